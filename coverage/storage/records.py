"""What the store returns: frozen records of roster revisions, scenarios and indicators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from coverage.storage.encoding import RosterDiff

RosterKind = Literal["edit", "import"]
"""What a roster revision is: an edit of the roster, or a whole file imported in one go."""


@dataclass(frozen=True)
class RosterRevision:
    """One saved revision of a province's working roster, without the teams.

    Attributes
    ----------
    province_code
        Official province code (for example ``"52"``).
    revision
        Revision number, 1 for the first save, increasing by one per save.
    saved_at
        When it was saved, UTC, ISO 8601 (``2026-11-23T09:30:00.000000+00:00``).
    author, session_id
        Who saved it and from which session (as given by the caller).
    note
        The note given when saving.
    team_count
        Number of teams in the roster.
    restored_from
        The earlier revision whose teams this one restores, or ``None``.
    changes
        Audit of the teams added, removed and changed since the previous revision.
    kind
        ``"import"`` for a whole file loaded in one go (shown as one history entry),
        ``"edit"`` otherwise.
    is_sample
        Whether the roster is (or was edited from) the SAMPLE roster; ``None`` when the
        saver did not say (and for revisions saved before the label was kept whose note
        named neither a file nor the sample): labelled like the province's original roster.
    source_file
        The file the roster was imported from, kept by the edits made to it; ``None``
        for the province's original roster and its edits.
    """

    province_code: str
    revision: int
    saved_at: str
    author: str
    session_id: str
    note: str
    team_count: int
    restored_from: int | None
    changes: RosterDiff
    kind: RosterKind = "edit"
    is_sample: bool | None = None
    source_file: str | None = None


@dataclass(frozen=True)
class SavedRoster:
    """A revision of the working roster with its teams.

    Attributes
    ----------
    info
        The revision's number, author, time, note and audit.
    teams
        The roster (see :data:`coverage.inputs.validation.TEAM_COLUMNS`), as saved.
    """

    info: RosterRevision
    teams: pd.DataFrame

    @property
    def revision(self) -> int:
        """The revision number, to pass back as ``base_revision`` when saving."""
        return self.info.revision


@dataclass(frozen=True)
class ScenarioInfo:
    """A saved scenario without its tables, for lists and side-by-side comparison.

    Attributes
    ----------
    province_code
        Official province code.
    name
        Name as the user typed it (NFC, single spaces).
    revision
        1 when created, increasing by one on every overwrite or rename; pass it back as
        ``expected_revision`` to overwrite, rename or delete safely.
    created_at, updated_at
        UTC, ISO 8601.
    author, session_id
        Who saved the current version and from which session.
    roster_revision
        The working-roster revision the scenario was computed from, if any.
    team_count
        Number of teams in the scenario's roster.
    summary
        The result summary saved with it.
    """

    province_code: str
    name: str
    revision: int
    created_at: str
    updated_at: str
    author: str
    session_id: str
    roster_revision: int | None
    team_count: int
    summary: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """A saved scenario: roster, parameters, result summary and per-commune table.

    Attributes
    ----------
    province_code, name, revision, created_at, updated_at, author, session_id, roster_revision
        As in :class:`ScenarioInfo`.
    teams
        The roster the scenario was computed with.
    params
        The analysis and optimisation parameters.
    summary
        The result summary (headline numbers).
    per_commune
        The per-commune result table without geometry, or ``None``.
    """

    province_code: str
    name: str
    revision: int
    created_at: str
    updated_at: str
    author: str
    session_id: str
    roster_revision: int | None
    teams: pd.DataFrame
    params: dict[str, Any]
    summary: dict[str, Any]
    per_commune: pd.DataFrame | None


@dataclass(frozen=True)
class IndicatorRevision:
    """One revision of a province's indicator table, without the table.

    Attributes
    ----------
    province_code
        Official province code.
    revision
        Revision number, 1 for the first upload, increasing by one per change.
    saved_at
        When it was saved, UTC, ISO 8601.
    author, session_id
        Who saved it and from which session.
    kind
        ``"file"``: an uploaded table; ``"estimate"``: back to the built-in
        ILLUSTRATIVE ESTIMATE.
    file_name
        Name of the uploaded file ('' for the estimate).
    row_count
        Number of communes in the uploaded table (0 for the estimate).
    """

    province_code: str
    revision: int
    saved_at: str
    author: str
    session_id: str
    kind: Literal["file", "estimate"]
    file_name: str
    row_count: int

    @property
    def is_estimate(self) -> bool:
        """Whether this revision goes back to the built-in estimate."""
        return self.kind == "estimate"


@dataclass(frozen=True)
class SavedIndicators:
    """An uploaded indicator table with its revision.

    Attributes
    ----------
    info
        The revision's number, file name, author and time.
    indicators
        The validated table (see :data:`coverage.inputs.validation.INDICATOR_COLUMNS`), as saved.
    """

    info: IndicatorRevision
    indicators: pd.DataFrame
