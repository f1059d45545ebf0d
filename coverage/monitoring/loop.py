"""Facade of the monitoring loop: import reports, seed the SAMPLE log, count progress.

The app (``app_pages/activity.py``) and the CLI (``python -m coverage activity ...``,
``report --period``) call these functions; they read and write through
:class:`coverage.storage.activity_store.ActivityStore` and compute with
:mod:`coverage.monitoring.progress`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coverage import settings as cfg
from coverage.errors import InputError, Problem
from coverage.inputs.model import Inputs
from coverage.inputs.sources import Source
from coverage.monitoring.activity import read_activity
from coverage.monitoring.activity_checks import validate_activity
from coverage.monitoring.activity_columns import ActivityLog
from coverage.monitoring.activity_sample import make_sample_activity
from coverage.monitoring.periods import Period, last_weeks, parse_period
from coverage.monitoring.progress import Progress, ProgressParams, compute_progress
from coverage.monitoring.throughput import (
    ThroughputParams,
    helped_by_commune,
    measured_rates,
    with_measured_throughput,
)
from coverage.outputs.reports.progress_pages import ProgressSection
from coverage.storage.activity_store import PROGRESS_COLUMNS, ActivityStore, ImportResult
from coverage.storage.store import Store, open_store
from coverage.text.i18n import Lang, format_number, t
from coverage.text.textnorm import nfc

SAMPLE_SOURCE = "SAMPLE (dữ liệu mẫu)"
"""``source`` of the generated sample reports in the store."""

SAMPLE_AUTHOR = "SAMPLE"


def open_activity_store(settings: cfg.Settings) -> ActivityStore:
    """Return the activity tables in the data folder's store (migrated on first use)."""
    return ActivityStore(open_store(settings))


def activity_store_of(store: Store) -> ActivityStore:
    """Return the activity tables of an opened :class:`coverage.storage.store.Store`."""
    return ActivityStore(store)


def team_communes(teams: pd.DataFrame) -> dict[str, str]:
    """Team id -> home commune code (what a commune reporter's permission is checked on)."""
    return dict(zip(teams["team_id"].astype(str), teams["commune_code"].astype(str), strict=True))


def today_vietnam() -> dt.date:
    """Today's date in Vietnam (UTC+7)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()


def check_activity(
    source: Source,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    today: dt.date | None = None,
    name: str | None = None,
) -> ActivityLog:
    """Read and check a log; the caller decides what to do with the problems."""
    return read_activity(
        source, teams=teams, communes=communes, today=today or today_vietnam(), name=name
    )


def import_activity(
    astore: ActivityStore,
    province_code: str,
    source: Source,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    author: str = "",
    session_id: str = "",
    today: dt.date | None = None,
    name: str | None = None,
) -> tuple[ImportResult, ActivityLog]:
    """Check a log and store it if it has no errors (nothing is stored otherwise).

    Raises
    ------
    InputError
        With every problem (errors and warnings) if any is an error.
    """
    log = check_activity(source, teams=teams, communes=communes, today=today, name=name)
    if log.errors:
        raise InputError(list(log.problems))
    result = astore.store_reports(
        province_code,
        log.reports,
        author=author,
        session_id=session_id,
        source=log.file,
        team_communes=team_communes(teams),
    )
    return result, log


def enter_report(
    astore: ActivityStore,
    province_code: str,
    values: dict[str, str],
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    author: str = "",
    session_id: str = "",
    today: dt.date | None = None,
) -> tuple[ImportResult, ActivityLog]:
    """Check and store one report typed in the app's form (same rules as a file).

    ``values`` are text cells keyed by schema column. A report whose key (team, date,
    commune) exists is stored as a correction (a new revision).
    """
    table = pd.DataFrame([{k: nfc(str(v)) for k, v in values.items()}])
    log = validate_activity(
        table, teams=teams, communes=communes, today=today or today_vietnam(), file="form"
    )
    if log.errors:
        raise InputError(list(log.problems))
    result = astore.store_reports(
        province_code,
        log.reports,
        author=author,
        session_id=session_id,
        source="form",
        team_communes=team_communes(teams),
    )
    return result, log


def ensure_sample_activity(
    astore: ActivityStore,
    province_code: str,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    border_codes: Sequence[str] = (),
) -> int:
    """Store the SAMPLE log for a province that has no reports yet; return rows added.

    The rows are stored with ``source`` :data:`SAMPLE_SOURCE` and ``is_sample``, so every
    view can label them.
    """
    if astore.count_reports(province_code) > 0:
        return 0
    table = make_sample_activity(teams, border_codes=border_codes).drop(columns="data_status")
    log = validate_activity(
        table, teams=teams, communes=communes, today=dt.date(2026, 3, 31), file="sample"
    )
    if log.errors:  # the generator is wrong; never store a broken sample
        raise InputError(list(log.errors))
    # The tool writes the sample, not the account that opened the page.
    result = astore.unbound().store_reports(
        province_code, log.reports, author=SAMPLE_AUTHOR, source=SAMPLE_SOURCE, is_sample=True
    )
    return result.added


@dataclass(frozen=True)
class ProgressView:
    """Progress with the labels every view shows.

    Attributes
    ----------
    progress
        The counts.
    sample_rows
        How many reports in the period are SAMPLE.
    """

    progress: Progress
    sample_rows: int


def default_period(reports: pd.DataFrame, *, weeks: int = 4) -> Period:
    """Return the last ``weeks`` whole weeks with reports (or ending this week when none)."""
    latest = reports["day"].max() if len(reports) else None
    day = latest.date() if latest is not None and pd.notna(latest) else today_vietnam()
    return last_weeks(day, weeks)


def progress_of(
    astore: ActivityStore,
    province_code: str,
    *,
    teams: pd.DataFrame,
    communes: pd.DataFrame,
    period: Period | None = None,
    params: ProgressParams = ProgressParams(),
    reports: pd.DataFrame | None = None,
) -> ProgressView:
    """Progress of a province over ``period`` (default: the last four weeks with reports)."""
    if reports is None:
        reports = astore.current_reports(province_code, columns=PROGRESS_COLUMNS)
    chosen = period or default_period(reports)
    progress = compute_progress(
        reports,
        teams=teams,
        communes=communes,
        period=chosen,
        targets=astore.targets(province_code),
        params=params,
    )
    return ProgressView(progress=progress, sample_rows=int(progress.summary["sample_rows"]))


def border_codes_of(communes: pd.DataFrame, settings: cfg.Settings) -> tuple[str, ...]:
    """Codes of the communes on Vietnam's land border (for the SAMPLE log's border teams).

    Uses the same land border and tolerance as the analysis' border flag.
    """
    import shapely

    from coverage.analysis.flags import FlagParams, border_contact, load_land_border
    from coverage.analysis.geo import Projection

    polygons = communes.geometry.to_numpy()
    bounds = shapely.bounds(polygons)
    projection = Projection.for_longitudes((bounds[:, 0] + bounds[:, 2]) / 2)
    params = FlagParams()
    contact = border_contact(
        polygons,
        load_land_border(settings),
        projection=projection,
        tolerance_m=params.border_tolerance_m,
    )
    mask = contact.length_km >= params.border_min_length_km
    return tuple(communes["code"].astype(str)[mask])


@dataclass(frozen=True)
class MeasuredInputs:
    """Inputs that plan from measured throughput, with what was measured.

    Attributes
    ----------
    inputs
        Teams with their rate (:data:`coverage.monitoring.throughput.RATE_COLUMN`) and need less the
        residents already helped.
    rates
        :func:`coverage.monitoring.throughput.measured_rates` per team.
    helped
        Residents already helped per commune code.
    sample_rows
        How many of the reports used are SAMPLE.
    """

    inputs: Inputs
    rates: pd.DataFrame
    helped: pd.Series
    sample_rows: int

    def note(self, lang: Lang) -> str:
        """One sentence: which rate the teams use, and whether the reports are SAMPLE."""
        counts = self.rates["rate_source"].value_counts()
        text = t(
            "rate.note",
            lang,
            team=int(counts.get("team", 0)),
            mode=int(counts.get("mode", 0)),
            assumed=int(counts.get("assumed", 0)),
            helped=format_number(float(self.helped.sum()), lang),
        )
        if self.sample_rows:
            text += " " + t("rate.note.sample", lang, count=self.sample_rows)
        return text


def measured_inputs(
    settings: cfg.Settings,
    inputs: Inputs,
    *,
    astore: ActivityStore | None = None,
    params: ThroughputParams = ThroughputParams(),
) -> MeasuredInputs:
    """Plan from measured throughput: each team's rate and the residents already helped.

    A province without any report gets the SAMPLE log first when its roster is the sample
    (so a fresh machine shows the loop); otherwise every team keeps the assumption.
    """
    store = astore or open_activity_store(settings)
    code = inputs.province.code if inputs.province is not None else ""
    if code and store.count_reports(code) == 0 and inputs.teams_is_sample:
        ensure_sample_activity(
            store,
            code,
            teams=inputs.teams,
            communes=inputs.communes,
            border_codes=border_codes_of(inputs.communes, settings),
        )
    reports = store.current_reports(code or None, columns=PROGRESS_COLUMNS)
    known = set(inputs.teams["team_id"].astype(str))
    reports = reports[reports["team_id"].astype(str).isin(known)]
    rates = measured_rates(reports, inputs.teams, params=params)
    helped = helped_by_commune(reports)
    return MeasuredInputs(
        with_measured_throughput(inputs, rates, helped),
        rates,
        helped,
        int(reports["is_sample"].sum()) if len(reports) else 0,
    )


def assumed_note(lang: Lang) -> str:
    """Return the sentence for plans made from the assumption."""
    return t("rate.note.assumed", lang)


def progress_section(
    settings: cfg.Settings, inputs: Inputs, *, period: str, analysis: Any = None
) -> ProgressSection:
    """Return the progress pages of the meeting outputs for ``period``.

    ``period`` is a week, a range of weeks or a month (``2026-W10..2026-W13``, ``2026-03``).

    Raises
    ------
    InputError
        If the period cannot be read, or there is no province.
    """
    chosen = parse_period(period)
    if inputs.province is None:
        raise InputError([Problem("progress.bad_period", "--province", value="all")])
    astore = open_activity_store(settings)
    code = inputs.province.code
    if astore.count_reports(code) == 0 and inputs.teams_is_sample:
        ensure_sample_activity(
            astore,
            code,
            teams=inputs.teams,
            communes=inputs.communes,
            border_codes=border_codes_of(inputs.communes, settings),
        )
    communes = (
        analysis.communes[["code", "name", "is_border", "is_remote", "is_underserved"]]
        if analysis is not None
        else inputs.communes[["code", "name"]]
    )
    view = progress_of(astore, code, teams=inputs.teams, communes=communes, period=chosen)
    return ProgressSection(view.progress, sample_rows=view.sample_rows)


__all__ = [
    "SAMPLE_SOURCE",
    "MeasuredInputs",
    "ProgressView",
    "activity_store_of",
    "team_communes",
    "check_activity",
    "default_period",
    "ensure_sample_activity",
    "enter_report",
    "import_activity",
    "measured_inputs",
    "assumed_note",
    "progress_section",
    "border_codes_of",
    "open_activity_store",
    "progress_of",
    "today_vietnam",
]
