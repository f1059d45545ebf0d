"""Count progress against targets, and reporting completeness and timeliness, for a period.

Counting follows routine-reporting systems such as DHIS2:

* **expected reports** = teams x weeks of the period (every team of the roster is
  expected to report every week); a team's week counts as **reported** when it has at
  least one report (a session or a weekly row) dated in that week;
* a report is **on time** when it was submitted within :attr:`ProgressParams.timely_days`
  days after the end (Sunday) of its week (the submission time is the Google Forms
  timestamp, or when it was first entered);
* **reporting rate** = reported / expected; **timeliness** = on time / expected; both per
  team, per commune (the teams whose home is there) and for the province;
* a team is **silent** when its last report is :attr:`ProgressParams.silent_weeks` weeks or
  more before the end of the period (or it has none).

Outliers: a report's throughput (residents helped per volunteer-hour) is compared with
the team's own median over all its reports; when the team has at least
:attr:`ProgressParams.outlier_min_reports` and the value is more than
:attr:`ProgressParams.outlier_factor` times above or below it (or above the plausible
limit of :data:`~coverage.monitoring.activity_columns.PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR`), the
report is
flagged for review. Flagged reports still count as reports and their residents in the
totals, but they are left out of every throughput figure (they are not averaged in).

Targets: residents helped per week and VNeID level-2 activations per week per commune,
and the share of filings handled online (province, default 80%). A commune without a
stored target gets the default: what the roster promises for the teams based there
(members x weekly hours x the assumed 1.5 residents per volunteer-hour) and 35% of that
for VNeID level 2; the output says which ("đã đặt" / "mặc định"). A commune is **behind
target** when residents helped per week are below :attr:`ProgressParams.behind_share` of
its target; the reasons are written out in plain words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from coverage.analysis.need import CapacityParams
from coverage.monitoring.activity_columns import PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR
from coverage.monitoring.activity_parsing import monday_of_week, week_of
from coverage.monitoring.periods import (
    Period,
)
from coverage.text.i18n import Lang, format_number, format_percent, register, t

DEFAULT_ONLINE_FILING_TARGET: Final = 0.8
"""Government target: at least 80% of administrative filings handled fully online."""

DEFAULT_VNEID_SHARE: Final = 0.35
"""Default VNeID level-2 target per week, as a share of the residents target."""

register(
    {
        "progress.reason.residents": {
            "vi": "mới đạt {share} chỉ tiêu người dân được hỗ trợ ({actual}/tuần, chỉ tiêu "
            "{target}/tuần)",
            "en": "reached {share} of the residents-helped target ({actual}/week against "
            "{target}/week)",
        },
        "progress.reason.vneid": {
            "vi": "kích hoạt VNeID mức 2 mới đạt {share} chỉ tiêu ({actual}/tuần, chỉ tiêu "
            "{target}/tuần)",
            "en": "VNeID level-2 activations at {share} of target ({actual}/week against "
            "{target}/week)",
        },
        "progress.reason.silent": {
            "vi": "{count} đội không báo cáo từ {weeks} tuần trở lên ({teams})",
            "en": "{count} team(s) silent for {weeks} weeks or more ({teams})",
        },
        "progress.reason.rate": {
            "vi": "chỉ nhận được {share} số báo cáo dự kiến",
            "en": "only {share} of the expected reports came in",
        },
        "progress.reason.none": {
            "vi": "chưa có báo cáo nào trong kỳ",
            "en": "no report in the period",
        },
        "progress.target.stored": {"vi": "đã đặt", "en": "set"},
        "progress.target.default": {"vi": "mặc định", "en": "default"},
    }
)


@dataclass(frozen=True)
class ProgressParams:
    """Rules of the progress count, each named.

    Attributes
    ----------
    timely_days
        A report is on time when submitted at most this many days after its week ends.
    silent_weeks
        A team is silent when its last report is this many weeks or more before the end.
    behind_share
        A commune is behind when it reaches less than this share of its target.
    outlier_factor, outlier_min_reports
        Flag a report whose throughput is more than ``outlier_factor`` times above or below
        the team's own median, when the team has at least ``outlier_min_reports`` reports.
    """

    timely_days: int = 3
    silent_weeks: int = 2
    behind_share: float = 0.8
    outlier_factor: float = 3.0
    outlier_min_reports: int = 4
    capacity: CapacityParams = field(default_factory=CapacityParams)


@dataclass(frozen=True)
class Progress:
    """Progress of one province over a period (tables; see the module docstring).

    Attributes
    ----------
    period
        The period counted.
    communes
        One row per commune: ``code``, ``name``, ``teams``, ``expected_reports``,
        ``reports``, ``reports_on_time``, ``reporting_rate``, ``timeliness``,
        ``residents_helped``, ``residents_per_week``, ``volunteer_hours``, ``throughput``,
        ``vneid_level2``, ``vneid_level2_per_week``, ``target_residents_per_week``,
        ``target_vneid_level2_per_week``, ``target_source`` (``stored``/``default``),
        ``progress_ratio``, ``vneid_progress_ratio``, ``silent_teams``, ``is_behind``,
        ``behind_reasons_vi``, ``behind_reasons_en`` and the map flags when given.
    teams
        One row per team: ``team_id``, ``team_name``, ``commune_code``, ``mode``,
        ``expected_reports``, ``reports``, ``reports_on_time``, ``reporting_rate``,
        ``timeliness``, ``last_week``, ``weeks_silent``, ``is_silent``,
        ``residents_helped``, ``volunteer_hours``, ``throughput``, ``outliers``.
    weekly
        One row per week of the period: ``week``, ``reports``, ``teams_reporting``,
        ``residents_helped``, ``vneid_level2``, ``volunteer_hours``.
    weekly_communes
        ``week``, ``commune_code``, ``residents_helped`` (a commune's trend).
    models
        One row per working model: ``working_model``, ``reports``, ``teams``,
        ``residents_helped``, ``volunteer_hours``, ``throughput`` (best first).
    outliers
        The reports flagged for review with ``throughput`` and ``team_median``.
    summary
        Province figures (expected, reports, rates, residents, targets, counts).
    """

    period: Period
    communes: pd.DataFrame
    teams: pd.DataFrame
    weekly: pd.DataFrame
    weekly_communes: pd.DataFrame
    models: pd.DataFrame
    outliers: pd.DataFrame
    summary: dict[str, Any]


def flag_outliers(reports: pd.DataFrame, *, params: ProgressParams = ProgressParams()) -> pd.Series:
    """Whether each report's throughput is far outside its team's usual range."""
    volunteer_hours = reports["volunteers"].to_numpy(dtype=float) * reports["hours"].to_numpy(
        dtype=float
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(
            volunteer_hours > 0,
            reports["residents_helped"].to_numpy(dtype=float) / volunteer_hours,
            np.nan,
        )
    rate_s = pd.Series(rate, index=reports.index)
    team = reports["team_id"].astype(str)
    median = rate_s.groupby(team).transform("median")
    count = rate_s.groupby(team).transform("count")
    factor = params.outlier_factor
    with np.errstate(divide="ignore", invalid="ignore"):
        far = (count >= params.outlier_min_reports) & (
            (rate_s > factor * median) | ((rate_s < median / factor) & (median > 0))
        )
    return (far | (rate_s > PLAUSIBLE_RESIDENTS_PER_VOLUNTEER_HOUR)).fillna(False).astype(bool)


def default_targets(
    teams: pd.DataFrame, *, params: CapacityParams = CapacityParams()
) -> pd.DataFrame:
    """Default per-commune targets: what the roster promises for the teams based there."""
    promised = (
        teams["members"].to_numpy(dtype=float)
        * teams["weekly_hours"].to_numpy(dtype=float)
        * params.residents_per_volunteer_hour
    )
    frame = pd.DataFrame({"commune_code": teams["commune_code"].astype(str), "value": promised})
    per = frame.groupby("commune_code")["value"].sum()
    return pd.DataFrame(
        {
            "commune_code": per.index,
            "residents_per_week": per.to_numpy(),
            "vneid_level2_per_week": per.to_numpy() * DEFAULT_VNEID_SHARE,
        }
    )


def compute_progress(
    reports: pd.DataFrame,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    period: Period,
    targets: pd.DataFrame | None = None,
    params: ProgressParams = ProgressParams(),
) -> Progress:
    """Count progress, completeness and timeliness of a province over ``period``.

    Parameters
    ----------
    reports
        Reports in force (:meth:`coverage.storage.activity_store.ActivityStore.current_reports`).
    teams
        The roster (``team_id``, ``team_name``, ``commune_code``, ``mode``, ``members``,
        ``weekly_hours``).
    communes
        ``code`` and ``name`` per commune, and optionally the flags ``is_border``,
        ``is_remote``, ``is_underserved`` (copied to the result).
    period
        The weeks counted.
    targets
        Stored targets (:meth:`coverage.storage.activity_store.ActivityStore.targets`) or ``None``.
    params
        The counting rules.
    """
    weeks = list(period.weeks)
    n_weeks = len(weeks)
    end = pd.Timestamp(period.end)
    history = reports[reports["day"] <= end]
    outlier_all = flag_outliers(history, params=params) if len(history) else pd.Series(dtype=bool)
    history = history.assign(is_outlier=outlier_all.to_numpy(dtype=bool) if len(history) else [])
    inside = history[history["week"].isin(weeks)].copy()
    inside["volunteer_hours"] = inside["volunteers"] * inside["hours"]
    clean = inside[~inside["is_outlier"]]
    # on time (DHIS2 style): submitted at most timely_days after the week's Sunday
    deadline_of = {
        w: (monday_of_week(w) or period.start) + dt.timedelta(days=6 + params.timely_days)
        for w in inside["week"].unique()
    }
    deadline = inside["week"].map(deadline_of)
    submitted = pd.to_datetime(
        inside["submitted_at"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
    )
    inside["on_time"] = (submitted <= pd.to_datetime(deadline)).fillna(False).to_numpy(dtype=bool)

    out_t = _team_table(inside, clean, history, teams=teams, period=period, params=params)
    out_c = _commune_table(inside, clean, out_t, communes=communes, n_weeks=n_weeks)
    online_target, online_source = _apply_targets(
        out_c, teams=teams, targets=targets, params=params
    )
    _explain_behind(out_c, out_t, params=params)
    weekly, weekly_communes, models = _over_time(inside, clean, weeks)
    outliers = _outliers_with_median(inside, history)
    expected = int(out_t["expected_reports"].sum())
    total_target = float(out_c["target_residents_per_week"].sum())
    residents = int(out_c["residents_helped"].sum())
    summary: dict[str, Any] = {
        "period": period.label,
        "weeks": n_weeks,
        "teams": len(out_t),
        "expected_reports": expected,
        "reports": int(out_t["reports"].sum()),
        "reports_on_time": int(out_t["reports_on_time"].sum()),
        "reporting_rate": (out_t["reports"].sum() / expected) if expected else float("nan"),
        "timeliness": (out_t["reports_on_time"].sum() / expected) if expected else float("nan"),
        "report_rows": len(inside),
        "sample_rows": int(inside.get("is_sample", pd.Series(dtype=bool)).sum()),
        "residents_helped": residents,
        "residents_per_week": residents / max(n_weeks, 1),
        "target_residents_per_week": total_target,
        "progress_ratio": (residents / max(n_weeks, 1) / total_target)
        if total_target > 0
        else float("nan"),
        "vneid_level2": int(out_c["vneid_level2"].sum()),
        "communes_behind": int(out_c["is_behind"].sum()),
        "silent_teams": int(out_t["is_silent"].sum()),
        "outliers": len(outliers),
        "online_filing_target": online_target,
        "online_filing_target_source": online_source,
        "throughput": (clean["residents_helped"].sum() / clean["volunteer_hours"].sum())
        if clean["volunteer_hours"].sum() > 0
        else float("nan"),
    }
    return Progress(
        period=period,
        communes=out_c,
        teams=out_t,
        weekly=weekly,
        weekly_communes=weekly_communes,
        models=models,
        outliers=outliers.reset_index(drop=True),
        summary=summary,
    )


def _team_table(
    inside: pd.DataFrame,
    clean: pd.DataFrame,
    history: pd.DataFrame,
    *,
    teams: pd.DataFrame,
    period: Period,
    params: ProgressParams,
) -> pd.DataFrame:
    """Return one row per team: completeness, timeliness, silence, residents, throughput."""
    n_weeks = period.week_count
    team_ids = teams["team_id"].astype(str)
    team_weeks = inside.groupby(["team_id", "week"]).agg(on_time=("on_time", "max")).reset_index()
    per_team = team_weeks.groupby("team_id").agg(
        reports=("week", "count"), reports_on_time=("on_time", "sum")
    )
    last_all = history.groupby("team_id")["day"].max()
    sums = inside.groupby("team_id").agg(
        residents_helped=("residents_helped", "sum"), outliers=("is_outlier", "sum")
    )
    clean_sums = clean.groupby("team_id").agg(
        clean_residents=("residents_helped", "sum"), volunteer_hours=("volunteer_hours", "sum")
    )
    out_t = pd.DataFrame(
        {
            "team_id": team_ids.to_numpy(),
            "team_name": teams.get("team_name", team_ids).astype(str).to_numpy(),
            "commune_code": teams["commune_code"].astype(str).to_numpy(),
            "mode": teams["mode"].astype(str).to_numpy(),
        }
    )
    out_t["expected_reports"] = n_weeks
    out_t["reports"] = out_t["team_id"].map(per_team["reports"]).fillna(0).astype("int64")
    out_t["reports_on_time"] = (
        out_t["team_id"].map(per_team["reports_on_time"]).fillna(0).astype("int64")
    )
    out_t["reporting_rate"] = out_t["reports"] / max(n_weeks, 1)
    out_t["timeliness"] = out_t["reports_on_time"] / max(n_weeks, 1)
    last_day = out_t["team_id"].map(last_all)
    last_week = pd.Series([""] * len(out_t), dtype=object)
    has_last = last_day.notna().to_numpy()
    if has_last.any():
        last_week[has_last] = week_of(pd.to_datetime(last_day[has_last])).to_numpy()
    out_t["last_week"] = last_week.to_numpy()
    end_monday = pd.Timestamp(period.end - dt.timedelta(days=6))
    last_monday = pd.to_datetime(last_day) - pd.to_timedelta(
        pd.to_datetime(last_day).dt.day_of_week, unit="D"
    )
    silent = (end_monday - last_monday).dt.days // 7
    out_t["weeks_silent"] = silent.fillna(n_weeks).astype("int64")
    out_t["is_silent"] = out_t["weeks_silent"] >= params.silent_weeks
    out_t["residents_helped"] = (
        out_t["team_id"].map(sums["residents_helped"]).fillna(0).astype("int64")
    )
    out_t["volunteer_hours"] = out_t["team_id"].map(clean_sums["volunteer_hours"]).fillna(0.0)
    clean_res = out_t["team_id"].map(clean_sums["clean_residents"]).fillna(0.0)
    out_t["throughput"] = np.where(
        out_t["volunteer_hours"] > 0,
        clean_res / out_t["volunteer_hours"].where(out_t["volunteer_hours"] > 0),
        np.nan,
    )
    out_t["outliers"] = out_t["team_id"].map(sums["outliers"]).fillna(0).astype("int64")
    return out_t


def _commune_table(
    inside: pd.DataFrame,
    clean: pd.DataFrame,
    out_t: pd.DataFrame,
    *,
    communes: pd.DataFrame,
    n_weeks: int,
) -> pd.DataFrame:
    """Return one row per commune: work where it happened, reporting of the teams based there."""
    codes = communes["code"].astype(str)
    out_c = pd.DataFrame(
        {"code": codes.to_numpy(), "name": communes["name"].astype(str).to_numpy()}
    )
    for flag in ("is_border", "is_remote", "is_underserved"):
        if flag in communes.columns:
            out_c[flag] = communes[flag].astype(bool).to_numpy()
    home = out_t.groupby("commune_code").agg(
        teams=("team_id", "count"),
        expected_reports=("expected_reports", "sum"),
        reports=("reports", "sum"),
        reports_on_time=("reports_on_time", "sum"),
        silent_teams=("is_silent", "sum"),
    )
    for column in ("teams", "expected_reports", "reports", "reports_on_time", "silent_teams"):
        out_c[column] = out_c["code"].map(home[column]).fillna(0).astype("int64")
    out_c["reporting_rate"] = out_c["reports"] / out_c["expected_reports"].where(
        out_c["expected_reports"] > 0
    )
    out_c["timeliness"] = out_c["reports_on_time"] / out_c["expected_reports"].where(
        out_c["expected_reports"] > 0
    )
    work = inside.groupby("commune_code").agg(
        residents_helped=("residents_helped", "sum"), vneid_level2=("vneid_level2", "sum")
    )
    clean_work = clean.groupby("commune_code").agg(
        clean_residents=("residents_helped", "sum"), volunteer_hours=("volunteer_hours", "sum")
    )
    out_c["residents_helped"] = (
        out_c["code"].map(work["residents_helped"]).fillna(0).astype("int64")
    )
    out_c["residents_per_week"] = out_c["residents_helped"] / max(n_weeks, 1)
    out_c["volunteer_hours"] = out_c["code"].map(clean_work["volunteer_hours"]).fillna(0.0)
    clean_c = out_c["code"].map(clean_work["clean_residents"]).fillna(0.0)
    out_c["throughput"] = clean_c / out_c["volunteer_hours"].where(out_c["volunteer_hours"] > 0)
    out_c["vneid_level2"] = out_c["code"].map(work["vneid_level2"]).fillna(0).astype("int64")
    out_c["vneid_level2_per_week"] = out_c["vneid_level2"] / max(n_weeks, 1)
    return out_c


def _apply_targets(
    out_c: pd.DataFrame,
    *,
    teams: pd.DataFrame,
    targets: pd.DataFrame | None,
    params: ProgressParams,
) -> tuple[float, str]:
    """Add the targets and progress ratios to ``out_c``; return the online-filing target.

    Stored targets win; the rest default to what the roster promises.
    """
    defaults = default_targets(teams, params=params.capacity).set_index("commune_code")
    out_c["target_residents_per_week"] = (
        out_c["code"].map(defaults["residents_per_week"]).fillna(0.0)
    )
    out_c["target_vneid_level2_per_week"] = (
        out_c["code"].map(defaults["vneid_level2_per_week"]).fillna(0.0)
    )
    out_c["target_source"] = "default"
    online_target = DEFAULT_ONLINE_FILING_TARGET
    online_source = "default"
    if targets is not None and len(targets):
        for metric, column in (
            ("residents_per_week", "target_residents_per_week"),
            ("vneid_level2_per_week", "target_vneid_level2_per_week"),
        ):
            stored = targets[(targets["metric"] == metric) & (targets["commune_code"] != "")]
            by_code = stored.set_index("commune_code")["value"]
            hit = out_c["code"].isin(by_code.index)
            out_c.loc[hit, column] = out_c.loc[hit, "code"].map(by_code).astype(float)
            out_c.loc[hit, "target_source"] = "stored"
        online = targets[
            (targets["metric"] == "online_filing_share") & (targets["commune_code"] == "")
        ]
        if len(online):
            online_target, online_source = float(online["value"].iloc[0]), "stored"
    target = out_c["target_residents_per_week"]
    out_c["progress_ratio"] = out_c["residents_per_week"] / target.where(target > 0)
    vtarget = out_c["target_vneid_level2_per_week"]
    out_c["vneid_progress_ratio"] = out_c["vneid_level2_per_week"] / vtarget.where(vtarget > 0)
    out_c["is_behind"] = (out_c["progress_ratio"] < params.behind_share).fillna(False).astype(bool)
    return online_target, online_source


def _explain_behind(out_c: pd.DataFrame, out_t: pd.DataFrame, *, params: ProgressParams) -> None:
    """Add each commune's reasons for being behind, in Vietnamese and English."""
    silent_names = (
        out_t[out_t["is_silent"]]
        .groupby("commune_code")["team_id"]
        .agg(lambda ids: ", ".join(sorted(ids)))
    )
    for language in ("vi", "en"):
        out_c[f"behind_reasons_{language}"] = [
            _reasons(row, silent_names.get(row["code"], ""), lang=language, params=params)
            for row in out_c.to_dict("records")
        ]


def _over_time(
    inside: pd.DataFrame, clean: pd.DataFrame, weeks: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the weekly totals, each commune's weekly residents and the working models."""
    weekly = inside.groupby("week").agg(
        reports=("team_id", "count"),
        teams_reporting=("team_id", "nunique"),
        residents_helped=("residents_helped", "sum"),
        vneid_level2=("vneid_level2", "sum"),
        volunteer_hours=("volunteer_hours", "sum"),
    )
    weekly = weekly.reindex(weeks).fillna(0).rename_axis("week").reset_index()
    for column in ("reports", "teams_reporting", "residents_helped", "vneid_level2"):
        weekly[column] = weekly[column].astype("int64")
    weekly_communes = (
        inside.groupby(["week", "commune_code"])["residents_helped"].sum().reset_index()
    )
    models = (
        clean.groupby("working_model")
        .agg(
            reports=("team_id", "count"),
            teams=("team_id", "nunique"),
            residents_helped=("residents_helped", "sum"),
            volunteer_hours=("volunteer_hours", "sum"),
        )
        .reset_index()
    )
    models["throughput"] = models["residents_helped"] / models["volunteer_hours"].where(
        models["volunteer_hours"] > 0
    )
    models = models.sort_values("throughput", ascending=False).reset_index(drop=True)
    return weekly, weekly_communes, models


def _outliers_with_median(inside: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Return the flagged reports of the period with their throughput and the team's median."""
    outliers = inside[inside["is_outlier"]].copy()
    if len(outliers):
        med = (
            history.assign(
                rate=history["residents_helped"]
                / (history["volunteers"] * history["hours"]).where(history["hours"] > 0)
            )
            .groupby("team_id")["rate"]
            .median()
        )
        outliers["throughput"] = outliers["residents_helped"] / outliers["volunteer_hours"].where(
            outliers["volunteer_hours"] > 0
        )
        outliers["team_median"] = outliers["team_id"].map(med)
    return outliers


def _reasons(
    row: Mapping[Hashable, Any], silent: str, *, lang: Lang, params: ProgressParams
) -> str:
    parts: list[str] = []
    target = float(row["target_residents_per_week"])
    if row["residents_helped"] == 0 and target > 0:
        parts.append(t("progress.reason.none", lang))
    elif row["is_behind"]:
        parts.append(
            t(
                "progress.reason.residents",
                lang,
                share=format_percent(row["progress_ratio"], lang, decimals=0),
                actual=format_number(row["residents_per_week"], lang, decimals=0),
                target=format_number(target, lang, decimals=0),
            )
        )
    vratio = row["vneid_progress_ratio"]
    if row["is_behind"] and vratio == vratio and vratio < params.behind_share:
        parts.append(
            t(
                "progress.reason.vneid",
                lang,
                share=format_percent(vratio, lang, decimals=0),
                actual=format_number(row["vneid_level2_per_week"], lang, decimals=0),
                target=format_number(row["target_vneid_level2_per_week"], lang, decimals=0),
            )
        )
    if row["silent_teams"]:
        parts.append(
            t(
                "progress.reason.silent",
                lang,
                count=row["silent_teams"],
                weeks=params.silent_weeks,
                teams=silent,
            )
        )
    rate = row["reporting_rate"]
    if row["is_behind"] and rate == rate and rate < params.behind_share:
        parts.append(t("progress.reason.rate", lang, share=format_percent(rate, lang, decimals=0)))
    return "; ".join(parts)
