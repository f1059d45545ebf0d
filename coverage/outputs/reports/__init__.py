"""Meeting outputs: content, maps, briefing and team-sheet PDFs, slides, workbook.

The names below are those of the former ``coverage/outputs/reports.py`` that the app pages
still reach through ``coverage.outputs.reports`` (issue 11 moves them behind
``coverage.planning``); new code imports the module that defines a name. Remove this list
when no page uses it.
"""

from coverage.outputs.reports.content import (
    FORMATS,
    Headline,
    ReportBundle,
    compare_scenario,
    headline_from,
    priority_communes,
)
from coverage.outputs.reports.rows import comparison_rows

__all__ = [
    "FORMATS",
    "Headline",
    "ReportBundle",
    "compare_scenario",
    "comparison_rows",
    "headline_from",
    "priority_communes",
]
