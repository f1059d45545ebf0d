"""``analyze``: one row per commune with coverage, flags and reasons."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from coverage.commands.plan import interpreter_rate_percent, languages_unknown_note
from coverage.planning import (
    DEFAULT_PROVINCE,
    AnalysisParams,
    analyze,
    load_inputs,
    load_settings,
    measured_inputs,
    neutralise_frame,
    rate_by_commune,
    read_roads,
    with_interpreter_rate,
)

OUTPUT_COLUMNS = (
    "code",
    "name",
    "kind",
    "province",
    "population",
    "need",
    "capacity",
    "coverage_ratio",
    "teams_in_reach",
    "nearest_team_km",
    "volunteers_per_1000",
    "connectivity_index",
    "remote_index",
    "is_border",
    "is_remote",
    "is_underserved",
    "residents_out_of_reach",
    "minority_languages",
    "languages_estimated",
    "is_language_gap",
    "language_gap_residents",
    "demand_source",
    "reasons",
)
ALL_PROVINCES = ("all", "toan-quoc", "vn", "*")


def add_parser(sub: Any) -> None:
    """Register ``analyze``."""
    p = sub.add_parser(
        "analyze",
        help="coverage of every commune: need, capacity in reach, flags and reasons",
    )
    p.add_argument(
        "--province",
        default=DEFAULT_PROVINCE,
        help="province name or code (default: Gia Lai); 'all' for all 3,321 communes",
    )
    p.add_argument("--teams", help="team roster (.csv or .xlsx); default: the sample roster")
    p.add_argument("--indicators", help="per-commune indicators (.csv or .xlsx); default: estimate")
    p.add_argument(
        "--roads",
        help="road lines (.gpkg or .geojson) with speed_kmh or road_class; "
        "reach becomes travel time",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument(
        "--throughput",
        choices=("assumed", "measured"),
        default="assumed",
        help="residents helped per volunteer-hour: the assumption (1.5) or measured from "
        "the activity reports (each commune's row says which it used)",
    )
    p.add_argument(
        "--interpreter-rate",
        type=interpreter_rate_percent,
        default=None,
        metavar="PERCENT",
        help="rate of help, in percent of the usual, for residents whose language no team in "
        "reach speaks (through an interpreter; default 50, the planning assumption)",
    )
    p.set_defaults(func=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    """Print (or write) every commune's coverage, flags and reasons."""
    settings = load_settings()
    province = None if str(args.province).strip().lower() in ALL_PROVINCES else args.province
    inputs = load_inputs(settings, province=province, teams=args.teams, indicators=args.indicators)
    roads = read_roads(args.roads) if args.roads else None
    if args.throughput == "measured":
        inputs = measured_inputs(settings, inputs).inputs
    params = (
        AnalysisParams()
        if args.interpreter_rate is None
        else with_interpreter_rate(AnalysisParams(), args.interpreter_rate / 100.0)
    )
    result = analyze(inputs, settings=settings, roads=roads, params=params)
    rates = rate_by_commune(result, lang=args.lang)
    frame = rows_for_output(
        result.communes, lang=args.lang, demand_source=result.demand_source
    ).assign(
        throughput_rate=rates["rate_used"].round(3).to_numpy(),
        throughput_source=rates["rate_label"].to_numpy(),
    )
    text = render(frame, fmt=args.format)
    if result.attribution and args.format == "table":
        text += (
            ("Phân bố dân cư: " if args.lang == "vi" else "Population distribution: ")
            + result.attribution
            + "\n"
        )
    unknown_note = languages_unknown_note(result.communes, args.lang)
    if unknown_note and args.format == "table":
        text += unknown_note + "\n"
    elif unknown_note:  # standard output stays a clean CSV / JSON
        print(unknown_note, file=sys.stderr)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def rows_for_output(
    communes: pd.DataFrame, *, lang: str, demand_source: str = "grid"
) -> pd.DataFrame:
    """Select and round the output columns; ``reasons`` in the requested language.

    ``demand_source`` (``worldpop`` or ``grid``) says on every row where the demand points
    came from (:attr:`coverage.analysis.analyze.AnalysisResult.demand_source`).
    """
    frame = communes.assign(reasons=communes[f"reasons_{lang}"], demand_source=demand_source)
    frame = pd.DataFrame(frame[list(OUTPUT_COLUMNS)])
    for col, digits in (
        ("need", 0),
        ("capacity", 1),
        ("coverage_ratio", 3),
        ("nearest_team_km", 1),
        ("volunteers_per_1000", 2),
        ("connectivity_index", 1),
        ("remote_index", 1),
    ):
        frame[col] = frame[col].astype(float).round(digits)
    return frame


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def render(frame: pd.DataFrame, *, fmt: str) -> str:
    """Render rows as an aligned table, CSV or JSON (a list of objects; no NaN)."""
    if fmt == "csv":  # text cells that a spreadsheet would run as a formula are neutralised
        return str(neutralise_frame(frame).to_csv(index=False))
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
        400,
    ):
        return str(frame.to_string(index=False)) + "\n"
