"""Plan from measured results: each team's throughput from its reports, shrunk when thin.

The analysis assumes every volunteer helps ``a`` = 1.5 residents per hour
(:class:`coverage.analysis.need.CapacityParams`). With activity reports, each team's rate can be
measured instead. Reports flagged as outliers (:func:`coverage.monitoring.progress.flag_outliers`)
are left out. For team ``t`` let ``R_t`` be the residents it helped and ``H_t`` its
volunteer-hours (volunteers x hours, summed over its reports), ``n_t`` its reports.

1. **Province median per mode.** Among the teams of one mode (fixed or mobile) with at
   least :attr:`ThroughputParams.min_reports` reports, take the median of ``R_t / H_t``
   (``med_M``, over ``m`` teams) and shrink it towards the assumption as if ``n0`` more
   teams had reported exactly ``a``::

       rho_M = (m * med_M + n0 * a) / (m + n0)         (rho_M = a when m = 0)

2. **Teams with enough reports** (``n_t >= min_reports``) use their own rate, shrunk
   towards their mode's rate with ``k`` volunteer-hours of prior weight (the posterior
   mean of a Poisson rate with a Gamma prior of mean ``rho_M`` and ``k`` hours of
   exposure)::

       rho_t = (R_t + k * rho_M) / (H_t + k)

   A team with many hours of reports keeps almost its own rate; one with a few hours
   moves most of the way to ``rho_M``.
3. **Other teams** use ``rho_M``.

Each team's ``rate_source`` says which: ``team`` (its own reports), ``mode`` (the
province median of its mode, measured from reports) or ``assumed`` (no team of its mode
has enough reports: the assumption ``a``). In words: ``đo từ báo cáo`` (measured from
reports) for the first two, ``giả định`` (assumed) for the last.

Remaining need: residents already helped in each commune (all reports up to the date,
outliers included as reported) are subtracted from its need (never below zero); see
:attr:`coverage.planning.Inputs.residents_helped`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd
from scipy import sparse

from coverage.analysis.need import CapacityParams
from coverage.monitoring.progress import ProgressParams, flag_outliers
from coverage.text.i18n import Lang, format_number, register, t

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult
    from coverage.inputs.model import Inputs

Throughput = Literal["assumed", "measured"]
"""Which rate the analysis uses: the assumption, or rates measured from the reports."""

RATE_COLUMN: Final = "residents_per_volunteer_hour"
"""Roster column with a team's own rate.

Read by :func:`coverage.analysis.need.capacity_per_week`.
"""

register(
    {
        "rate.source.measured": {"vi": "đo từ báo cáo", "en": "measured from reports"},
        "rate.source.assumed": {"vi": "giả định", "en": "assumed"},
        "rate.source.mixed": {"vi": "một phần đo từ báo cáo", "en": "partly measured from reports"},
        "rate.source.none": {"vi": "không có đội", "en": "no team"},
        "rate.team.team": {"vi": "đo từ báo cáo của đội", "en": "measured from the team's reports"},
        "rate.team.mode": {
            "vi": "đo từ báo cáo (trung vị của tỉnh cho đội {mode})",
            "en": "measured from reports (province median for {mode} teams)",
        },
        "rate.team.assumed": {"vi": "giả định", "en": "assumed"},
        "rate.mode.fixed": {"vi": "cố định", "en": "fixed"},
        "rate.mode.mobile": {"vi": "lưu động", "en": "mobile"},
        "rate.label": {
            "vi": "{rate} người/TNV-giờ ({source})",
            "en": "{rate} residents/volunteer-hour ({source})",
        },
        "rate.note": {
            "vi": "Năng suất đội: đo từ báo cáo cho {team} đội (báo cáo của chính đội), {mode} đội "
            "dùng trung vị của tỉnh theo loại đội (đo từ báo cáo), {assumed} đội dùng giả định 1,5 "
            "người/TNV-giờ; nhu cầu còn lại đã trừ {helped} người đã được hỗ trợ.",
            "en": "Team throughput: measured from reports for {team} team(s) (their own reports), "
            "{mode} team(s) use the province median for their mode (measured from reports), "
            "{assumed} use the assumed 1.5 residents/volunteer-hour; remaining need excludes "
            "{helped} residents already helped.",
        },
        "rate.note.sample": {
            "vi": "(Báo cáo gồm {count} dòng DỮ LIỆU MẪU.)",
            "en": "(The reports include {count} SAMPLE rows.)",
        },
        "rate.note.assumed": {
            "vi": "Năng suất đội: giả định 1,5 người dân được hỗ trợ mỗi tình nguyện viên-giờ "
            "(chưa dùng báo cáo).",
            "en": "Team throughput: assumed 1.5 residents helped per volunteer-hour (reports not "
            "used).",
        },
    }
)


@dataclass(frozen=True)
class ThroughputParams:
    """How measured rates are made (see the module docstring).

    Attributes
    ----------
    min_reports
        Reports a team needs for its own rate.
    prior_volunteer_hours
        ``k``: volunteer-hours of prior weight pulling a team's rate towards its mode's.
    prior_teams
        ``n0``: teams of prior weight pulling a mode's median towards the assumption.
    """

    min_reports: int = 4
    prior_volunteer_hours: float = 20.0
    prior_teams: float = 3.0


def measured_rates(
    reports: pd.DataFrame,
    teams: pd.DataFrame,
    *,
    params: ThroughputParams = ThroughputParams(),
    capacity: CapacityParams = CapacityParams(),
    outliers: ProgressParams = ProgressParams(),
) -> pd.DataFrame:
    """Each team's rate in residents per volunteer-hour, and where it comes from.

    Parameters
    ----------
    reports
        Reports in force (``team_id``, ``volunteers``, ``hours``, ``residents_helped``).
    teams
        The roster (``team_id``, ``mode``).

    Returns
    -------
    pandas.DataFrame
        ``team_id``, ``mode``, ``reports``, ``residents_helped``, ``volunteer_hours``,
        ``own_rate`` (NaN without hours), ``mode_rate``, ``mode_teams`` (teams behind
        the mode median), ``rate``, ``rate_source`` (``team``/``mode``/``assumed``).
    """
    assumed = capacity.residents_per_volunteer_hour
    frame = pd.DataFrame(
        {
            "team_id": teams["team_id"].astype(str).to_numpy(),
            "mode": teams["mode"].astype(str).to_numpy(),
        }
    )
    if len(reports):
        clean = reports[~flag_outliers(reports, params=outliers).to_numpy(dtype=bool)]
        clean = clean.assign(volunteer_hours=clean["volunteers"] * clean["hours"])
        sums = clean.groupby("team_id").agg(
            reports=("residents_helped", "size"),
            residents_helped=("residents_helped", "sum"),
            volunteer_hours=("volunteer_hours", "sum"),
        )
    else:
        sums = pd.DataFrame(columns=["reports", "residents_helped", "volunteer_hours"])
    frame["reports"] = frame["team_id"].map(sums["reports"]).fillna(0).astype("int64")
    frame["residents_helped"] = (
        frame["team_id"].map(sums["residents_helped"]).fillna(0).astype(float)
    )
    frame["volunteer_hours"] = frame["team_id"].map(sums["volunteer_hours"]).fillna(0).astype(float)
    hours = frame["volunteer_hours"]
    frame["own_rate"] = frame["residents_helped"] / hours.where(hours > 0)
    enough = (frame["reports"] >= params.min_reports) & (hours > 0)
    medians = frame[enough].groupby("mode")["own_rate"].agg(["median", "count"])
    m = frame["mode"].map(medians["count"]).fillna(0).astype(float)
    med = frame["mode"].map(medians["median"]).fillna(assumed).astype(float)
    n0 = params.prior_teams
    frame["mode_rate"] = (m * med + n0 * assumed) / (m + n0)
    frame["mode_teams"] = m.astype("int64")
    k = params.prior_volunteer_hours
    own = (frame["residents_helped"] + k * frame["mode_rate"]) / (hours + k)
    frame["rate"] = np.where(enough, own, frame["mode_rate"])
    frame["rate_source"] = np.where(enough, "team", np.where(m > 0, "mode", "assumed"))
    return frame


def helped_by_commune(reports: pd.DataFrame, *, until: pd.Timestamp | None = None) -> pd.Series:
    """Residents already helped in each commune (where the work happened), by code."""
    chosen = reports if until is None else reports[reports["day"] <= until]
    return chosen.groupby("commune_code")["residents_helped"].sum().astype(float)


def with_measured_throughput(inputs: Inputs, rates: pd.DataFrame, helped: pd.Series) -> Inputs:
    """Return inputs whose teams carry their measured rate and whose need excludes those helped."""
    by_team = rates.set_index("team_id")
    teams = inputs.teams.copy()
    teams[RATE_COLUMN] = teams["team_id"].astype(str).map(by_team["rate"]).astype(float)
    teams["rate_source"] = (
        teams["team_id"].astype(str).map(by_team["rate_source"]).fillna("assumed")
    )
    return dataclasses.replace(inputs, teams=teams, residents_helped=helped)


def rate_by_commune(
    result: AnalysisResult, *, lang: Lang = "vi", capacity: CapacityParams = CapacityParams()
) -> pd.DataFrame:
    """Return the rate each commune's coverage used: the teams in reach, weighted by their hours.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``rate_used`` (residents per volunteer-hour, weighted by members x weekly
        hours of the teams in reach; NaN without teams), ``rate_source`` (``measured``,
        ``assumed``, ``mixed``, ``none``) and ``rate_label`` (in ``lang``, for example
        "1,21 người/TNV-giờ (đo từ báo cáo)").
    """
    teams = result.teams
    n = len(result.communes)
    codes = result.communes["code"].astype(str).to_numpy()
    if len(teams) == 0:
        return pd.DataFrame(
            {
                "code": codes,
                "rate_used": np.full(n, np.nan),
                "rate_source": "none",
                "rate_label": t("rate.source.none", lang),
            }
        )
    assumed = capacity.residents_per_volunteer_hour
    rate = (
        teams[RATE_COLUMN].astype(float).fillna(assumed).to_numpy()
        if RATE_COLUMN in teams.columns
        else np.full(len(teams), assumed)
    )
    measured = (
        teams["rate_source"].isin(["team", "mode"]).to_numpy(dtype=float)
        if "rate_source" in teams.columns
        else np.zeros(len(teams))
    )
    weight = teams["members"].to_numpy(dtype=float) * teams["weekly_hours"].to_numpy(dtype=float)
    covers = sparse.csr_array(result.reach.covers, dtype=float)
    ci = result.demand["commune_index"].to_numpy(dtype=np.int64)
    membership = sparse.csr_array((np.ones(len(ci)), (np.arange(len(ci)), ci)), shape=(len(ci), n))
    reach = sparse.csr_array((covers @ membership) > 0, dtype=float)  # teams x communes
    total = np.asarray(reach.T @ weight).ravel()
    rate_used = np.divide(
        np.asarray(reach.T @ (weight * rate)).ravel(),
        total,
        out=np.full(n, np.nan),
        where=total > 0,
    )
    share = np.divide(
        np.asarray(reach.T @ (weight * measured)).ravel(), total, out=np.zeros(n), where=total > 0
    )
    source = np.where(
        total <= 0,
        "none",
        np.where(share >= 1 - 1e-9, "measured", np.where(share <= 1e-9, "assumed", "mixed")),
    )
    labels = [
        t("rate.source.none", lang)
        if s == "none"
        else t(
            "rate.label",
            lang,
            rate=format_number(float(r), lang, decimals=2),
            source=t(f"rate.source.{s}", lang),
        )
        for r, s in zip(rate_used, source, strict=True)
    ]
    return pd.DataFrame(
        {"code": codes, "rate_used": rate_used, "rate_source": source, "rate_label": labels}
    )


def team_rate_label(row: pd.Series, lang: Lang) -> str:
    """Return a team's rate and its source in words."""
    source = str(row["rate_source"])
    how = (
        t("rate.team.mode", lang, mode=t(f"rate.mode.{row['mode']}", lang))
        if source == "mode"
        else t(f"rate.team.{source}", lang)
    )
    return t(
        "rate.label", lang, rate=format_number(float(row["rate"]), lang, decimals=2), source=how
    )


__all__ = [
    "RATE_COLUMN",
    "Throughput",
    "ThroughputParams",
    "helped_by_commune",
    "measured_rates",
    "rate_by_commune",
    "team_rate_label",
    "with_measured_throughput",
]
