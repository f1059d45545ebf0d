"""``report``: write the meeting outputs (HTML map, PNG/PDF maps, briefing PDF, slides).

Example::

    python -m coverage report --out reports/ --lang vi --formats html,png,pdf,pptx,xlsx
    python -m coverage report --out reports/ --scenario "Thêm 5 đội lưu động"
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Literal, cast

from coverage.planning import (
    DEFAULT_PROVINCE,
    REPORT_FORMATS,
    ReportBundle,
    ReportFormat,
    Settings,
    StorageError,
    analyze,
    compare_scenario,
    context_layer,
    load_inputs,
    load_settings,
    open_store,
    progress_section,
    suggest,
    write_report,
)
from coverage.text.i18n import Lang

ALL_PROVINCES = ("all", "toan-quoc", "vn", "*")


def add_parser(sub: Any) -> None:
    """Register ``report``."""
    p = sub.add_parser(
        "report",
        help="write the meeting outputs: offline HTML map, PNG and A4/A3 PDF maps, "
        "briefing PDF (a page per border commune), team sheets, PowerPoint slides and "
        "an Excel workbook; all files or none",
    )
    p.add_argument(
        "--out", required=True, help="folder to write the files into (created if missing)"
    )
    p.add_argument(
        "--province",
        default=DEFAULT_PROVINCE,
        help="province name or code (default: Gia Lai); 'all' for the whole country",
    )
    p.add_argument(
        "--scenario",
        help="saved scenario to report on: every map, figure and table shows "
        "its roster, compared with the current roster (moves and new teams listed)",
    )
    p.add_argument(
        "--teams", help="team roster (.csv or .xlsx); default: the saved or sample roster"
    )
    p.add_argument("--indicators", help="per-commune indicators (.csv or .xlsx); default: estimate")
    p.add_argument(
        "--lang",
        dest="report_lang",
        choices=("vi", "en"),
        default=None,
        help="language of the outputs (default: vi, or the global --lang)",
    )
    p.add_argument(
        "--formats",
        default="html,png,pdf,pptx,xlsx",
        help="comma-separated: html, png, pdf, pptx, xlsx (default: all)",
    )
    p.add_argument(
        "--new-teams",
        type=int,
        default=5,
        help="number of new teams the plan proposes (default: 5; 0 leaves the plan out)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        help="seconds the optimiser may take (default: 60)",
    )
    p.add_argument(
        "--method",
        choices=("exact", "greedy"),
        default="exact",
        help="exact (HiGHS, proven optimal or with a gap) or greedy (instant)",
    )
    p.add_argument("--date", help="date printed on the outputs, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--period",
        help="add the periodic evaluation for this period: 2026-W10..2026-W13, "
        "2026-W10 or a month (2026-03): progress against targets, communes "
        "behind, teams not reporting, best working models",
    )
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Write the meeting outputs."""
    lang: Lang = args.report_lang or getattr(args, "lang", "vi") or "vi"
    requested = [f.strip().lower() for f in str(args.formats).split(",") if f.strip()]
    unknown = [f for f in requested if f not in REPORT_FORMATS]
    if unknown or not requested:
        print(
            _msg(
                lang,
                f"định dạng không hợp lệ: {', '.join(unknown) or '(trống)'}; dùng: html, png, pdf, "
                "pptx, xlsx",
                f"unknown format(s): {', '.join(unknown) or '(none)'}; use: html, png, pdf, pptx, "
                "xlsx",
            ),
            file=sys.stderr,
        )
        return 2
    day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    settings = load_settings()
    province = None if str(args.province).strip().lower() in ALL_PROVINCES else args.province
    inputs = load_inputs(settings, province=province, teams=args.teams, indicators=args.indicators)
    analysis = analyze(inputs, settings=settings)
    progress = None
    if args.period:
        progress = progress_section(settings, inputs, period=args.period, analysis=analysis)
    comparison = None
    if args.scenario:
        loaded = _load_scenario(settings, inputs, args.scenario, lang)
        if loaded is None:
            return 2
        name, teams = loaded
        before = analysis
        inputs = dataclasses.replace(inputs, teams=teams)
        analysis = analyze(inputs, settings=settings)
        comparison = compare_scenario(
            before.communes,
            analysis.communes,
            name=name,
            teams_before=before.teams,
            teams_after=teams,
        )
    plan = (
        _plan(analysis, new_teams=args.new_teams, time_limit_s=args.time_limit, method=args.method)
        if args.new_teams > 0
        else None
    )
    bundle = ReportBundle(
        inputs=inputs,
        analysis=analysis,
        plan=plan,
        comparison=comparison,
        countries=context_layer(settings, "countries"),
        provinces=context_layer(settings, "provinces"),
        generated_on=day,
        progress=progress,
    )
    try:
        formats = tuple(cast(ReportFormat, f) for f in requested)  # all in REPORT_FORMATS
        written = write_report(bundle, Path(args.out), formats=formats, lang=lang)
    except OSError as exc:  # a full disk, a read-only folder: all files or none were written
        print(
            _msg(
                lang,
                f"không ghi được báo cáo vào {args.out} ({exc.strerror or exc}); không tệp nào "
                "được ghi. Hãy chọn thư mục khác hoặc giải phóng dung lượng rồi chạy lại.",
                f"could not write the report into {args.out} ({exc.strerror or exc}); no file was "
                "written. Choose another folder or free some space, then run again.",
            ),
            file=sys.stderr,
        )
        return 1
    for path in written:
        print(f"  {path}")
    print(
        _msg(
            lang,
            f"đã ghi {len(written)} tệp vào {args.out}",
            f"wrote {len(written)} files to {args.out}",
        )
    )
    return 0


def _msg(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _load_scenario(
    settings: Settings, inputs: Any, name: str, lang: Lang
) -> tuple[str, Any] | None:
    """Return the scenario's name and roster, or print why not and return ``None``."""
    if inputs.province is None:
        print(
            _msg(
                lang,
                "kịch bản gắn với một tỉnh: hãy chọn --province",
                "scenarios belong to a province: give --province",
            ),
            file=sys.stderr,
        )
        return None
    if not settings.store_path.exists():
        print(
            _msg(
                lang,
                f"chưa có kịch bản nào được lưu ({settings.store_path})",
                f"no scenario has been saved yet ({settings.store_path})",
            ),
            file=sys.stderr,
        )
        return None
    store = open_store(settings)
    try:
        scenario = store.load_scenario(name, inputs.province.code)
    except StorageError as exc:
        print(exc.message(lang), file=sys.stderr)
        return None
    return scenario.name, scenario.teams


def _plan(
    analysis: Any, *, new_teams: int, time_limit_s: float, method: Literal["exact", "greedy"]
) -> Any:
    """Return the deployment plan for ``new_teams`` new teams (``planning.suggest``)."""
    return suggest(analysis, new_teams=new_teams, time_limit_s=time_limit_s, method=method)
