"""``crosswalk``: move a table keyed by pre-merger communes onto the new communes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coverage.planning import convert_legacy_table, load_commune_table, load_settings


def add_parser(sub: Any) -> None:
    """Register ``crosswalk``."""
    p = sub.add_parser(
        "crosswalk",
        help="convert a table keyed by old (pre-July-2025) communes to the new communes",
        description="Counts are summed; an old commune split between new communes is shared "
        "in proportion to their 2025 population; rates are averaged weighted by population. "
        "Key columns: old_code, or old_commune + old_district + old_province.",
    )
    p.add_argument("file", help="table keyed by old commune (.csv or .xlsx)")
    p.add_argument(
        "--value-columns",
        default="",
        help="comma-separated count columns (summed), e.g. vneid_level2,population",
    )
    p.add_argument(
        "--rate-columns",
        default="",
        help="comma-separated rate or percentage columns (population-weighted)",
    )
    p.add_argument(
        "--weight-column", help="population of each old commune, the weight of the rate columns"
    )
    p.add_argument("--out", required=True, help="output table (.csv or .xlsx)")
    p.set_defaults(func=run_crosswalk)


def _names(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def run_crosswalk(args: argparse.Namespace) -> int:
    """Move a table keyed by pre-merger communes onto the new communes."""
    settings = load_settings()
    communes = load_commune_table(settings)
    result = convert_legacy_table(
        args.file,
        communes,
        value_columns=_names(args.value_columns),
        rate_columns=_names(args.rate_columns),
        weight_column=args.weight_column,
    )
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        result.table.to_excel(out, index=False)
    else:
        result.table.to_csv(out, index=False)
    vi = args.lang == "vi"
    rows = result.matches["row"].nunique()
    print(
        f"{rows}/{result.rows} dòng xã cũ -> {len(result.table)} xã/phường mới; đã ghi {out.name}"
        if vi
        else f"{rows} of {result.rows} old-commune rows -> {len(result.table)} new communes; "
        f"wrote {out.name}"
    )
    column = "split_vi" if vi else "split_en"
    if len(result.splits):
        print("Xã cũ bị chia:" if vi else "Old communes that were split:", file=sys.stdout)
        for row, text in zip(result.splits["row"], result.splits[column], strict=True):
            print(f"  {'dòng' if vi else 'row'} {row}: {text}")
    if result.unmatched:
        print(
            "Các dòng chưa chuyển được (không có trong bảng kết quả):"
            if vi
            else "Rows not converted (left out of the output):",
            file=sys.stderr,
        )
        for problem in result.unmatched:
            print(f"  {problem.message(args.lang)}", file=sys.stderr)
        return 1
    return 0
