"""Time the monitoring loop (not a test; run `python benchmarks/bench_activity.py`).

Prints, as medians of ``--repeat`` runs, with the issue's targets beside them:

1. import of a 100,000-row activity log of the Gia Lai sample roster (read + check the
   CSV, store in a fresh SQLite file), and a second import of the same file (adds nothing);
2. the Gia Lai summary (reports read from the store + progress for four weeks) and the
   progress map's colouring (``maps.commune_style`` by progress), target < 1 s;
3. all 34 provinces: 4,821 teams with a year (52 weeks) of weekly reports in the store,
   the national summary (read + progress for four weeks), target < 3 s.

The logs are made up (seeded) for timing only; nothing is written outside a temporary
folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from coverage.inputs.datasets import load_communes
from coverage.monitoring.activity import read_activity
from coverage.monitoring.activity_columns import ActivityLog
from coverage.monitoring.periods import parse_period
from coverage.monitoring.progress import Progress, compute_progress
from coverage.outputs.maps.geometry import simplify_for_display
from coverage.outputs.maps.style import CommuneStyle, commune_style
from coverage.planning import analyze, load_inputs
from coverage.settings import load_settings
from coverage.storage.activity_store import PROGRESS_COLUMNS, ActivityStore, ImportResult
from coverage.storage.store import Store

T = TypeVar("T")

TODAY = dt.date(2026, 12, 4)


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median seconds of ``repeat`` calls of ``fn`` (at least one) and its last result."""
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def big_log(teams: pd.DataFrame, codes: list[str], rows: int, *, seed: int = 7) -> pd.DataFrame:
    """``rows`` distinct (team, date, commune) sessions between July 2025 and November 2026."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-07-01", "2026-11-30", freq="D")
    n_teams = len(teams)
    picks = rng.choice(n_teams * len(days) * 2, size=rows, replace=False)
    team_idx = picks % n_teams
    day_idx = (picks // n_teams) % len(days)
    away = picks // (n_teams * len(days)) == 1
    home = teams["commune_code"].astype(str).to_numpy()[team_idx]
    other = np.asarray(codes)[rng.integers(0, len(codes), size=rows)]
    volunteers = rng.integers(2, 12, size=rows)
    hours = rng.integers(2, 7, size=rows).astype(float)
    return pd.DataFrame(
        {
            "date": days[day_idx].strftime("%Y-%m-%d"),
            "team_id": teams["team_id"].astype(str).to_numpy()[team_idx],
            "commune_code": np.where(away, other, home),
            "place_kind": "one_stop_office",
            "volunteers": volunteers,
            "hours": hours,
            "residents_helped": rng.poisson(1.5 * volunteers * hours),
            "vneid_level2": rng.integers(0, 10, size=rows),
            "working_model": "one_to_one",
            "submitted_at": "",
        }
    ).drop_duplicates(["date", "team_id", "commune_code"])


def national_reports(teams: pd.DataFrame, weeks: int, *, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = dt.date(2025, 12, 1)  # a Monday
    mondays = pd.to_datetime([first + dt.timedelta(weeks=w) for w in range(weeks)])
    team_idx = np.repeat(np.arange(len(teams)), weeks)
    week_idx = np.tile(np.arange(weeks), len(teams))
    keep = rng.random(len(team_idx)) < 0.85
    team_idx, week_idx = team_idx[keep], week_idx[keep]
    days = mondays[week_idx]
    iso = days.isocalendar()
    volunteers = rng.integers(2, 12, size=len(team_idx))
    hours = rng.integers(4, 20, size=len(team_idx)).astype(float)
    return pd.DataFrame(
        {
            "day": days,
            "week": (iso["year"].astype(str) + "-W" + iso["week"].map("{:02d}".format)).to_numpy(),
            "is_weekly": True,
            "team_id": teams["team_id"].to_numpy()[team_idx],
            "commune_code": teams["commune_code"].to_numpy()[team_idx],
            "place_kind": "other",
            "village": "",
            "volunteers": volunteers,
            "hours": hours,
            "residents_helped": rng.poisson(1.4 * volunteers * hours),
            "vneid_installs": 0,
            "vneid_level2": rng.integers(0, 20, size=len(team_idx)),
            "online_filings": 0,
            "social_apps": 0,
            "cashless_payments": 0,
            "other_help": 0,
            "languages": "vi",
            "working_model": "other",
            "notes": "",
            "submitted_at": "",
            "province_code": teams["province_code"].to_numpy()[team_idx],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings()
    inputs = load_inputs(settings)
    teams, communes = inputs.teams, inputs.communes
    codes = communes["code"].astype(str).tolist()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = big_log(teams, codes, args.rows)
        path = folder / "log.csv"
        log.to_csv(path, index=False)
        print(
            f"1. import of a {len(log):,}-row log ({path.stat().st_size / 1e6:.1f} MB CSV), Gia "
            "Lai roster"
        )

        def import_once(
            n: list[int] = [0],  # noqa: B006 (a counter for fresh files)
        ) -> tuple[ImportResult, ActivityLog, ActivityStore]:
            n[0] += 1
            astore = ActivityStore(Store(folder / f"import{n[0]}.sqlite3"))
            checked = read_activity(path, teams=teams, communes=communes, today=TODAY)
            assert not checked.errors, checked.errors[:3]
            return astore.store_reports("52", checked.reports, source="log.csv"), checked, astore

        start = time.perf_counter()
        checked = read_activity(path, teams=teams, communes=communes, today=TODAY)
        read_s = time.perf_counter() - start
        import_s, out = timed(import_once, args.repeat)
        result, _, astore = out
        again_s, again = timed(
            lambda: astore.store_reports("52", checked.reports, source="log.csv"), args.repeat
        )
        print(
            f"   read + check: {read_s:.2f} s; read + check + store (fresh file): {import_s:.2f} s "
            f"(target < 5 s, {import_s / 5:.0%} of it); {result}"
        )
        print(f"   the same file again: {again_s:.2f} s; {again}")

        # 2. Gia Lai summary and progress map (the app's base map is built once and cached)
        analysis = analyze(inputs, settings=settings)
        display = simplify_for_display(analysis.communes)
        period = parse_period("2026-W45..2026-W48")

        def summary() -> Progress:
            reports = astore.current_reports("52", columns=PROGRESS_COLUMNS)
            return compute_progress(reports, teams=teams, communes=analysis.communes, period=period)

        def progress_map() -> CommuneStyle:
            progress = summary()
            frame = display.assign(
                progress_ratio=display["code"].map(
                    progress.communes.set_index("code")["progress_ratio"]
                )
            )
            return commune_style(frame, metric="progress_ratio")

        summary_s, progress = timed(summary, args.repeat)
        map_s, _ = timed(progress_map, args.repeat)
        print(
            f"2. Gia Lai ({len(teams)} teams, {len(checked.reports):,} reports): summary "
            f"{summary_s:.2f} s, summary + progress map colouring {map_s:.2f} s (target < 1 s, "
            f"{map_s:.0%} of it)"
        )

        # 3. all 34 provinces, 4,821 teams, a year of weekly reports
        national = load_communes(settings, province=None)
        rng = np.random.default_rng(3)
        extra = rng.integers(0, len(national), size=4821 - len(national))
        home = np.concatenate([np.arange(len(national)), extra])
        all_teams = pd.DataFrame(
            {
                "team_id": [f"VN-{i:05d}" for i in range(len(home))],
                "team_name": [f"Đội {i}" for i in range(len(home))],
                "commune_code": national["code"].astype(str).to_numpy()[home],
                "province_code": national["province_code"].astype(str).to_numpy()[home],
                "mode": np.where(rng.random(len(home)) < 0.5, "fixed", "mobile"),
                "members": rng.integers(8, 25, size=len(home)),
                "weekly_hours": rng.integers(3, 9, size=len(home)),
            }
        )
        reports = national_reports(all_teams, 52)
        nstore = ActivityStore(Store(folder / "national.sqlite3"))
        start = time.perf_counter()
        for code, part in reports.groupby("province_code"):
            nstore.store_reports(str(code), part.drop(columns="province_code"), source="bench")
        store_s = time.perf_counter() - start
        national_period = parse_period("2026-W45..2026-W48")
        flags = national[["code", "name"]]

        def national_summary() -> Progress:
            current = nstore.current_reports(None, columns=PROGRESS_COLUMNS)
            return compute_progress(
                current, teams=all_teams, communes=flags, period=national_period
            )

        national_s, national_progress = timed(national_summary, args.repeat)
        print(
            f"3. 34 provinces: {len(all_teams):,} teams, {len(national):,} communes, "
            f"{len(reports):,} weekly reports over 52 weeks (stored in {store_s:.1f} s): national "
            f"summary {national_s:.2f} s (target < 3 s, {national_s / 3:.0%} of it); reporting "
            f"rate {national_progress.summary['reporting_rate']:.1%}"
        )


if __name__ == "__main__":
    main()
