"""Command line: ``python -m coverage <command> ...``.

Input problems print one line each (file, row, column, value, fix) and exit 2; a
clean run exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from coverage.errors import InputError, capped_messages

COMMANDS = (
    "coverage.commands.data",
    "coverage.commands.analyze",
    "coverage.commands.plan",
    "coverage.commands.report",
    "coverage.commands.crosswalk",
    "coverage.commands.app",
    "coverage.commands.activity",
    "coverage.commands.users",
)
"""Modules that register a sub-command; each adds itself here."""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="python -m coverage",
        description="Plan Youth Union volunteer teams for online public services "
        "(Gia Lai and all 34 provinces).",
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of messages (default: vi)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except InputError as exc:
        for line in capped_messages(exc.problems, args.lang):
            print(line, file=sys.stderr)
        return 2
    return code
