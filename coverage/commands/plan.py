"""``plan``: suggest where to deploy new teams (capacitated maximal covering, HiGHS)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from coverage.planning import (
    DEFAULT_PROVINCE,
    AnalysisParams,
    ServiceWeights,
    analyze,
    assumed_note,
    display_languages,
    load_inputs,
    load_settings,
    measured_inputs,
    new_team_languages,
    plan_to_records,
    suggest,
    with_interpreter_rate,
)
from coverage.text.i18n import Lang, format_number, format_percent, t
from coverage.text.plan import format_points


def interpreter_rate_percent(text: str) -> float:
    """Parse ``--interpreter-rate`` (percent, 0-100) for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a number: {text!r} (give a percent, e.g. 50)"
        ) from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is outside 0-100 (give a percent, e.g. 50)")
    return value


def add_parser(sub: Any) -> None:
    """Register ``plan``."""
    p = sub.add_parser(
        "plan", help="suggest sites for new teams (exact, capacity-aware, explained)"
    )
    p.add_argument("--new-teams", type=int, required=True, help="number of new teams (K)")
    p.add_argument("--team-size", type=int, default=15, help="volunteers per new team (default 15)")
    p.add_argument(
        "--mode",
        choices=("fixed", "mobile"),
        default="mobile",
        help="fixed or mobile teams (sets the reach; default mobile)",
    )
    p.add_argument(
        "--require-border",
        action="store_true",
        help="every border commune must have at least one team in reach (reach only: it does not "
        "guarantee how much of the need is met; see --border-min-coverage)",
    )
    p.add_argument(
        "--border-min-coverage",
        type=float,
        default=0.0,
        metavar="PERCENT",
        help="every border commune must have at least this percent of its need met, e.g. 50 "
        "(default 0: no minimum); the plan says so plainly when it cannot be met",
    )
    p.add_argument(
        "--exclude", default="", help="commune codes that must not get a team, comma-separated"
    )
    p.add_argument(
        "--max-per-commune",
        type=int,
        default=1,
        help="at most N new teams per commune (default 1; 0 = no limit)",
    )
    p.add_argument("--relocate", type=int, default=0, help="also move up to R existing teams")
    p.add_argument(
        "--allow-unreached",
        action="store_true",
        help="let a move leave a commune with no team in reach (by default no move may; "
        "the plan states what that guarantee costs)",
    )
    p.add_argument("--method", choices=("exact", "greedy"), default="exact")
    p.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds for the exact solver (default 60)"
    )
    p.add_argument(
        "--beyond-threshold-weight",
        type=float,
        default=0.25,
        help="value of help beyond a commune's adequacy threshold, relative to 1 below it "
        "(default 0.25)",
    )
    p.add_argument(
        "--border-weight",
        type=float,
        default=1.5,
        help="priority of need in border communes (default 1.5)",
    )
    p.add_argument(
        "--remote-weight",
        type=float,
        default=1.25,
        help="priority of need in remote communes (default 1.25)",
    )
    p.add_argument(
        "--unreached-weight",
        type=float,
        default=1.5,
        help="priority of need in communes no team reaches (default 1.5)",
    )
    p.add_argument(
        "--languages",
        action="append",
        default=[],
        metavar="NAMES",
        help="minority languages every new team speaks, e.g. jrai or 'jrai;bahnar' (repeatable); "
        "they help residents who mainly speak them at the full rate",
    )
    p.add_argument(
        "--interpreter-rate",
        type=interpreter_rate_percent,
        default=None,
        metavar="PERCENT",
        help="rate of help, in percent of the usual, for residents whose language no member of "
        "the team speaks (through an interpreter; default 50, the planning assumption)",
    )
    p.add_argument(
        "--province", default=DEFAULT_PROVINCE, help="province name or code (default Gia Lai)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--throughput",
        choices=("assumed", "measured"),
        default="assumed",
        help="existing teams' residents per volunteer-hour: the assumption (1.5) or measured "
        "from the activity reports; measured also subtracts residents already helped",
    )
    p.set_defaults(func=run_plan)


def languages_unknown_note(communes: Any, lang: Lang) -> str:
    """Say how many communes have unknown minority languages (the estimate is Gia Lai's only).

    ``communes`` is an analysis' commune table; ``""`` when every commune's languages are
    known (listed, uploaded, or "none" by the Gia Lai rule).
    """
    if "languages_estimated" not in communes.columns:
        return ""
    unknown = communes["languages_estimated"].astype(bool) & (
        communes["minority_languages"].fillna("").astype(str) == ""
    )
    count = int(unknown.sum())
    return t("language.unknown_note", lang, count=format_number(count, lang)) if count else ""


def run_plan(args: argparse.Namespace) -> int:
    """Suggest sites for new teams and print the plan (table or JSON)."""
    lang: Lang = args.lang
    settings = load_settings()
    inputs = load_inputs(settings, province=args.province)
    measured_note = None
    if args.throughput == "measured":
        measured = measured_inputs(settings, inputs)
        inputs, measured_note = measured.inputs, measured.note(lang)
    languages = new_team_languages(args.languages)
    params = (
        AnalysisParams()
        if args.interpreter_rate is None
        else with_interpreter_rate(AnalysisParams(), args.interpreter_rate / 100.0)
    )
    analysis = analyze(inputs, settings=settings, params=params)
    exclude = tuple(c.strip() for c in str(args.exclude).split(",") if c.strip())
    weights = ServiceWeights(
        beyond_threshold_weight=args.beyond_threshold_weight,
        border_weight=args.border_weight,
        remote_weight=args.remote_weight,
        unreached_weight=args.unreached_weight,
    )
    plan = suggest(
        analysis,
        new_teams=args.new_teams,
        team_size=args.team_size,
        mode=args.mode,
        require_border=args.require_border,
        border_min_coverage=max(args.border_min_coverage, 0.0) / 100.0,
        keep_reached=not args.allow_unreached,
        exclude=exclude,
        max_per_commune=args.max_per_commune if args.max_per_commune > 0 else None,
        relocate=args.relocate,
        method=args.method,
        time_limit_s=args.time_limit,
        weights=weights,
        languages=languages,
    )
    unknown_note = languages_unknown_note(analysis.communes, lang) if languages else ""
    if args.format == "json":
        if unknown_note:
            print(unknown_note, file=sys.stderr)
        print(json.dumps(plan_to_records(plan), ensure_ascii=False, allow_nan=False, indent=1))
        return 1 if plan.status == "infeasible" else 0
    status = plan.status_vi if lang == "vi" else plan.status_en
    print(t("plan.cli.status", lang, status=status))
    print(measured_note or assumed_note(lang))
    if plan.status == "infeasible":
        return 1
    w = plan.weights
    print(
        t(
            "plan.cli.weights",
            lang,
            threshold=format_percent(plan.threshold_ratio, lang, decimals=0),
            beyond=format_number(w.beyond_threshold_weight, lang, decimals=2),
            border=format_number(w.border_weight, lang, decimals=2),
            remote=format_number(w.remote_weight, lang, decimals=2),
            unreached=format_number(w.unreached_weight, lang, decimals=2),
        )
    )
    print(
        t(
            "language.plan.settings",
            lang,
            languages=display_languages(
                ";".join(plan.new_team_languages), estimated=False, lang=lang
            ),
            rate=format_percent(plan.interpreter_rate, lang, decimals=0),
        )
    )
    if unknown_note:
        print(unknown_note)
    print(
        t(
            "plan.cli.totals",
            lang,
            value=format_number(plan.added, lang),
            baseline_value=format_number(plan.baseline, lang),
            added=format_number(plan.added_need_served, lang),
            baseline=format_number(plan.baseline_need_served, lang),
            weeks=format_number(plan.horizon_weeks, lang),
        )
    )
    row: Any  # rows of the plan's tables (pandas types them as unions of scalars)
    for n, row in enumerate(plan.sites.itertuples(index=False), start=1):
        lat = format_number(row.lat, lang, decimals=5)
        lon = format_number(row.lon, lang, decimals=5)
        print(
            f"{n:>3}. {row.commune_code} {row.commune_name}  ({lat}, {lon})  "
            f"{format_number(row.value_added, lang)} / {format_number(row.need_served, lang)}"
        )
        print(f"     {row.reason_vi if lang == 'vi' else row.reason_en}")
        alt = row.alternative_vi if lang == "vi" else row.alternative_en
        if alt:
            print(f"     {alt}")
    reason_col = "reason_vi" if lang == "vi" else "reason_en"
    if len(plan.moves):
        print(t("plan.cli.moves", lang))
        for move in plan.moves.to_dict(orient="records"):
            print(f"  - {move[reason_col]}")
    notes = plan.notes_vi if lang == "vi" else plan.notes_en
    if notes:
        print(t("plan.cli.notes", lang))
        for note in notes:
            print(f"  - {note}")
    if len(plan.communes):
        print(t("plan.cli.communes", lang))
        for row in plan.communes.to_dict(orient="records"):
            before, after = row["coverage_before"], row["coverage_after"]
            print(
                f"  {row['commune_code']} {row['commune_name']}: "
                f"{format_percent(before, lang)} → {format_percent(after, lang)} "
                f"({format_points(after - before, lang)})"
            )
    return 0
