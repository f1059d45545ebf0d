"""``setup-data`` and ``validate``: bring the data in, and check input files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coverage.errors import MAX_PROBLEMS_PER_KIND, InputError, Problem, capped_messages
from coverage.planning import (
    CLEANED_FILES,
    DEFAULT_PROVINCE,
    cleaning_report,
    load_communes,
    load_settings,
    read_boundaries,
    read_table,
    setup_data,
    validate_boundaries,
    validate_indicators,
    validate_teams,
)


def add_parser(sub: Any) -> None:
    """Register ``setup-data`` and ``validate``."""
    p = sub.add_parser("setup-data", help="copy the real data from ../shared/data into data/")
    p.add_argument("--force", action="store_true", help="copy even if the files are there")
    p.set_defaults(func=run_setup)

    v = sub.add_parser(
        "validate", help="check roster, indicator or boundary files; list every problem"
    )
    v.add_argument("--teams", help="team roster (.csv or .xlsx)")
    v.add_argument("--indicators", help="per-commune indicators (.csv or .xlsx)")
    v.add_argument("--boundaries", help="commune boundaries (.parquet, .gpkg, .geojson, .zip)")
    v.add_argument(
        "--province",
        default=DEFAULT_PROVINCE,
        help="province whose communes the codes must belong to (default: Gia Lai)",
    )
    v.add_argument(
        "--max-per-kind",
        type=int,
        default=MAX_PROBLEMS_PER_KIND,
        metavar="N",
        help=f"list at most N problems of each kind, then count the rest "
        f"(default {MAX_PROBLEMS_PER_KIND}; 0 lists all)",
    )
    v.set_defaults(func=run_validate)


def run_setup(args: argparse.Namespace) -> int:
    """Bring the real data into the data folder."""
    settings = load_settings()
    written = setup_data(settings, force=args.force)
    for path in written:
        print(f"  {path}")
    for name in CLEANED_FILES:
        if (settings.boundaries_dir / name).exists():
            print(f"  cleaned coverage: {cleaning_report(settings, name).describe()}")
    print(f"data ready in {settings.data_dir}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    """Check input files and print every problem found."""
    if not (args.teams or args.indicators or args.boundaries):
        print("nothing to check: give --teams, --indicators or --boundaries", file=sys.stderr)
        return 2
    settings = load_settings()
    problems: list[Problem] = []
    if args.boundaries:
        problems += _collect(lambda: _check_boundaries(args.boundaries))
    # Each table is read (and a zip bomb refused) before the boundaries are loaded.
    communes: list[Any] = []

    def province_communes() -> Any:
        if not communes:
            communes.append(load_communes(settings, province=args.province))
        return communes[0]

    if args.teams:
        problems += _collect(lambda: _check_table(args.teams, province_communes, kind="teams"))
    if args.indicators:
        problems += _collect(
            lambda: _check_table(args.indicators, province_communes, kind="indicators")
        )
    for line in capped_messages(problems, args.lang, per_kind=args.max_per_kind):
        print(line)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if args.lang == "vi":
        print(f"{errors} lỗi, {warnings} cảnh báo")
    else:
        print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _collect(check: Any) -> list[Problem]:
    try:
        result: list[Problem] = check()
        return result
    except InputError as exc:
        return list(exc.problems)


def _check_boundaries(path: str) -> list[Problem]:
    frame, warnings = read_boundaries(path)
    _, problems = validate_boundaries(frame, file=Path(path).name)
    return warnings + problems


def _check_table(path: str, communes: Any, *, kind: str) -> list[Problem]:
    table, warnings = read_table(path)
    name = Path(path).name
    validate = validate_teams if kind == "teams" else validate_indicators
    _, problems = validate(table, communes(), file=name)
    return warnings + problems
