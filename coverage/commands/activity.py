"""``activity``: import, check and summarise the teams' activity reports.

Examples::

    python -m coverage activity validate reports_march.xlsx
    python -m coverage activity import reports_march.xlsx --author "Tỉnh đoàn Gia Lai"
    python -m coverage activity summary --period 2026-W10..2026-W13 --format table
    python -m coverage activity sample --out data/activity/sample_activity_gia_lai.csv
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from coverage.planning import (
    DEFAULT_PROVINCE,
    Settings,
    border_codes_of,
    check_activity,
    ensure_sample_activity,
    import_activity,
    load_inputs,
    load_settings,
    make_sample_activity,
    open_activity_store,
    parse_period,
    progress_of,
)
from coverage.text.i18n import Lang, format_percent


def add_parser(sub: Any) -> None:
    """Register ``activity`` with its sub-commands."""
    p = sub.add_parser("activity", help="activity reports of the teams: validate, import, summary")
    inner = p.add_subparsers(dest="activity_command", required=True)
    for name, help_text in (
        ("validate", "check a log and list every problem (nothing is stored)"),
        ("import", "check a log and store it (the same file twice adds nothing)"),
    ):
        q = inner.add_parser(name, help=help_text)
        q.add_argument("file", help="activity log (.csv or .xlsx, also a Google Forms export)")
        q.add_argument("--province", default=DEFAULT_PROVINCE, help="province name or code")
        q.add_argument(
            "--teams", help="team roster the team ids must belong to (default: sample roster)"
        )
        q.add_argument("--author", default="", help="who is importing (kept with every report)")
        q.set_defaults(func=run_validate if name == "validate" else run_import)
    s = inner.add_parser("summary", help="progress against targets, reporting rate and timeliness")
    s.add_argument(
        "--period",
        help="2026-W10, 2026-W10..2026-W13, 2026-03 or a date range "
        "(default: the last four weeks with reports)",
    )
    s.add_argument("--province", default=DEFAULT_PROVINCE, help="province name or code")
    s.add_argument("--teams", help="team roster (default: sample roster)")
    s.add_argument("--by", choices=("commune", "team", "model", "week"), default="commune")
    s.add_argument("--format", choices=("table", "csv", "json"), default="table")
    s.add_argument("--out", help="write to this file instead of standard output")
    s.set_defaults(func=run_summary)
    g = inner.add_parser("sample", help="write the SAMPLE activity log of the sample roster")
    g.add_argument("--out", required=True, help="CSV file to write")
    g.add_argument("--province", default=DEFAULT_PROVINCE, help="province name or code")
    g.set_defaults(func=run_sample)


def _context(args: argparse.Namespace) -> tuple[Settings, Any]:
    settings = load_settings()
    inputs = load_inputs(settings, province=args.province, teams=getattr(args, "teams", None))
    return settings, inputs


def run_validate(args: argparse.Namespace) -> int:
    """Check an activity report file and print its problems."""
    _, inputs = _context(args)
    log = check_activity(args.file, teams=inputs.teams, communes=inputs.communes)
    for problem in log.problems:
        print(problem.message(args.lang))
    errors = len(log.errors)
    warnings = len(log.problems) - errors
    print(
        _msg(
            args.lang,
            f"{len(log.reports)} dòng; {errors} lỗi, {warnings} cảnh báo",
            f"{len(log.reports)} rows; {errors} error(s), {warnings} warning(s)",
        )
    )
    return 1 if errors else 0


def run_import(args: argparse.Namespace) -> int:
    """Import an activity report file into the store."""
    settings, inputs = _context(args)
    astore = open_activity_store(settings)
    result, log = import_activity(
        astore,
        inputs.province.code,
        args.file,
        teams=inputs.teams,
        communes=inputs.communes,
        author=args.author,
        session_id="cli",
    )
    for problem in log.problems:
        print(problem.message(args.lang), file=sys.stderr)
    print(
        _msg(
            args.lang,
            f"đã thêm {result.added}, đã sửa {result.corrected}, không đổi {result.unchanged} "
            f"báo cáo ({settings.store_path})",
            f"added {result.added}, corrected {result.corrected}, unchanged {result.unchanged} "
            f"report(s) ({settings.store_path})",
        )
    )
    return 0


def run_summary(args: argparse.Namespace) -> int:
    """Print the progress summary of a period."""
    settings, inputs = _context(args)
    period = parse_period(args.period) if args.period else None
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
    view = progress_of(astore, code, teams=inputs.teams, communes=inputs.communes, period=period)
    frame = summary_frame(view.progress, by=args.by, lang=args.lang)
    text = render(frame, fmt=args.format)
    if args.format == "table":
        text = _header(view, args.lang) + text
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Write the SAMPLE activity log."""
    settings, inputs = _context(args)
    table = make_sample_activity(
        inputs.teams, border_codes=border_codes_of(inputs.communes, settings)
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, encoding="utf-8")
    print(
        _msg(
            args.lang,
            f"đã ghi {len(table)} dòng DỮ LIỆU MẪU vào {args.out}",
            f"wrote {len(table)} SAMPLE rows to {args.out}",
        )
    )
    return 0


SUMMARY_COLUMNS = {
    "commune": (
        "code",
        "name",
        "teams",
        "expected_reports",
        "reports",
        "reports_on_time",
        "reporting_rate",
        "timeliness",
        "residents_helped",
        "residents_per_week",
        "target_residents_per_week",
        "target_source",
        "progress_ratio",
        "vneid_level2",
        "throughput",
        "silent_teams",
        "is_behind",
        "behind_reasons",
    ),
    "team": (
        "team_id",
        "team_name",
        "commune_code",
        "mode",
        "expected_reports",
        "reports",
        "reports_on_time",
        "reporting_rate",
        "timeliness",
        "last_week",
        "weeks_silent",
        "is_silent",
        "residents_helped",
        "volunteer_hours",
        "throughput",
        "outliers",
    ),
    "model": (
        "working_model",
        "reports",
        "teams",
        "residents_helped",
        "volunteer_hours",
        "throughput",
    ),
    "week": (
        "week",
        "reports",
        "teams_reporting",
        "residents_helped",
        "vneid_level2",
        "volunteer_hours",
    ),
}


def summary_frame(progress: Any, *, by: str, lang: Lang) -> pd.DataFrame:
    """Return the rows of ``activity summary --by``: communes, teams, working models or weeks."""
    source = {
        "commune": progress.communes,
        "team": progress.teams,
        "model": progress.models,
        "week": progress.weekly,
    }[by]
    if by == "commune":
        source = source.assign(behind_reasons=source[f"behind_reasons_{lang}"])
    frame = pd.DataFrame(source[list(SUMMARY_COLUMNS[by])]).copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "f":
            frame[column] = frame[column].round(3)
    return frame


def _header(view: Any, lang: Lang) -> str:
    s = view.progress.summary
    sample = (
        _msg(
            lang,
            f"DỮ LIỆU MẪU: {view.sample_rows} báo cáo trong kỳ là mẫu, không phải thật.\n",
            f"SAMPLE: {view.sample_rows} report(s) in the period are made up, not real.\n",
        )
        if view.sample_rows
        else ""
    )
    return sample + _msg(
        lang,
        f"Kỳ {s['period']} ({s['weeks']} tuần): {s['reports']}/{s['expected_reports']} báo cáo "
        f"(tỷ lệ {format_percent(s['reporting_rate'], lang)}, đúng hạn "
        f"{format_percent(s['timeliness'], lang)}); {s['residents_helped']} người dân được hỗ trợ; "
        f"{s['communes_behind']} xã chậm so với chỉ tiêu; {s['silent_teams']} đội không báo cáo "
        f"từ 2 tuần trở lên; {s['outliers']} báo cáo cần xem lại.\n",
        f"Period {s['period']} ({s['weeks']} weeks): {s['reports']}/{s['expected_reports']} "
        f"reports (rate {format_percent(s['reporting_rate'], lang)}, on time "
        f"{format_percent(s['timeliness'], lang)}); {s['residents_helped']} residents helped; "
        f"{s['communes_behind']} commune(s) behind target; {s['silent_teams']} team(s) silent for "
        f"2 weeks or more; {s['outliers']} report(s) to review.\n",
    )


def _clean(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render(frame: pd.DataFrame, *, fmt: str) -> str:
    """Render rows as an aligned table, CSV or JSON (a list of objects; no NaN)."""
    if fmt == "csv":
        return str(frame.to_csv(index=False))
    if fmt == "json":
        records = [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
        return json.dumps(records, ensure_ascii=False, allow_nan=False, indent=1) + "\n"
    with pd.option_context(
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        250,
        "display.max_colwidth",
        200,
    ):
        return str(frame.to_string(index=False)) + "\n"


def _msg(lang: Lang, vi: str, en: str) -> str:
    return vi if lang == "vi" else en
