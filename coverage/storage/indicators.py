"""Indicator tables uploaded per province, one revision per upload or reset."""

from __future__ import annotations

import sqlite3
from typing import Literal

import pandas as pd

from coverage.storage.core import StoreCore, _clean_province
from coverage.storage.encoding import (
    _decode_frame,
    _encode_frame,
)
from coverage.storage.records import (
    IndicatorRevision,
    SavedIndicators,
)
from coverage.storage.revisions import RevisionedTable
from coverage.text.textnorm import nfc

INDICATORS = RevisionedTable("indicator_revision", keys=("province_code",))
"""Every upload (or return to the estimate) of each province's indicator table."""


class IndicatorRepository(StoreCore):
    """Load, list, save and reset the uploaded indicator tables."""

    __slots__ = ()

    def latest_indicator_revision(self, province_code: str) -> int:
        """Return the newest indicator revision of the province (0: nothing saved)."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            return INDICATORS.latest(conn, (code,))

    def load_indicators(
        self, province_code: str, *, revision: int | None = None
    ) -> SavedIndicators | None:
        """Load the province's uploaded indicator table.

        Parameters
        ----------
        province_code
            Official province code.
        revision
            A revision from :meth:`list_indicator_revisions`; the newest by default.

        Returns
        -------
        SavedIndicators or None
            ``None`` when nothing was ever saved or when that revision went back to the
            built-in estimate.

        Raises
        ------
        ValueError
            If ``revision`` is given and does not exist.
        """
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            wanted = INDICATORS.latest(conn, (code,)) if revision is None else revision
            if wanted == 0 and revision is None:
                return None
            row = INDICATORS.row(conn, (code,), wanted)
            if row is None:
                raise ValueError(f"province {code} has no indicator revision {wanted}")
            if row["indicators_json"] is None:
                return None
            return SavedIndicators(_indicator_info(row), _decode_frame(row["indicators_json"]))

    def list_indicator_revisions(self, province_code: str) -> tuple[IndicatorRevision, ...]:
        """Return every indicator revision of the province, newest first."""
        code = _clean_province(province_code)
        with self._transaction(write=False) as conn:
            rows = INDICATORS.history(conn, (code,))
        return tuple(_indicator_info(r) for r in rows)

    def save_indicators(
        self,
        province_code: str,
        indicators: pd.DataFrame,
        *,
        file_name: str,
        author: str = "",
        session_id: str = "",
    ) -> IndicatorRevision:
        """Make a validated indicator table the province's indicators, as a new revision.

        Parameters
        ----------
        province_code
            Official province code.
        indicators
            The table returned by :func:`coverage.inputs.validation.validate_indicators` (one row
            per commune, unique ``commune_code``).
        file_name
            The uploaded file's name, shown wherever the indicators are used.
        author, session_id
            Who saves and from which session.

        Returns
        -------
        IndicatorRevision
            The new revision; if the newest revision already holds the same table from the
            same file, nothing is written and that revision is returned.
        """
        author = self._authorize("write_indicators", author)
        code = _clean_province(province_code)
        name = " ".join(nfc(str(file_name)).split())
        if not name:
            raise ValueError("indicators: file_name is empty")
        if "commune_code" not in indicators.columns:
            raise ValueError("indicators: the table has no 'commune_code' column")
        codes = indicators["commune_code"].astype(str)
        duplicated = sorted(set(codes[codes.duplicated()]))
        if duplicated:
            raise ValueError(f"indicators: duplicate commune codes {duplicated[:8]}")
        encoded = _encode_frame(indicators, where="indicators")
        with self._transaction(write=True) as conn:
            latest, current = INDICATORS.head(conn, (code,))
            if (
                current is not None
                and current["file_name"] == name
                and current["indicators_json"] == encoded.text
            ):
                return _indicator_info(current)
            return self._write_indicators(
                conn,
                code,
                latest + 1,
                kind="file",
                file_name=name,
                row_count=len(encoded.records),
                text=encoded.text,
                author=author,
                session_id=session_id,
            )

    def reset_indicators(
        self, province_code: str, *, author: str = "", session_id: str = ""
    ) -> IndicatorRevision | None:
        """Go back to the built-in estimate; earlier uploads stay in the history.

        Returns
        -------
        IndicatorRevision or None
            The new revision, the current one if the estimate is already in use, or
            ``None`` if nothing was ever uploaded for the province.
        """
        author = self._authorize("write_indicators", author)
        code = _clean_province(province_code)
        with self._transaction(write=True) as conn:
            latest, current = INDICATORS.head(conn, (code,))
            if current is None:
                return None
            if current["kind"] == "estimate":
                return _indicator_info(current)
            return self._write_indicators(
                conn,
                code,
                latest + 1,
                kind="estimate",
                file_name="",
                row_count=0,
                text=None,
                author=author,
                session_id=session_id,
            )

    def _write_indicators(
        self,
        conn: sqlite3.Connection,
        code: str,
        revision: int,
        *,
        kind: Literal["file", "estimate"],
        file_name: str,
        row_count: int,
        text: str | None,
        author: str,
        session_id: str,
    ) -> IndicatorRevision:
        saved_at = self._now()
        INDICATORS.insert(
            conn,
            (code,),
            revision,
            {
                "saved_at": saved_at,
                "author": author,
                "session_id": session_id,
                "kind": kind,
                "file_name": file_name,
                "row_count": row_count,
                "indicators_json": text,
            },
        )
        return IndicatorRevision(
            province_code=code,
            revision=revision,
            saved_at=saved_at,
            author=author,
            session_id=session_id,
            kind=kind,
            file_name=file_name,
            row_count=row_count,
        )


def _indicator_info(row: sqlite3.Row) -> IndicatorRevision:
    return IndicatorRevision(
        province_code=str(row["province_code"]),
        revision=int(row["revision"]),
        saved_at=str(row["saved_at"]),
        author=str(row["author"]),
        session_id=str(row["session_id"]),
        kind="estimate" if row["kind"] == "estimate" else "file",
        file_name=str(row["file_name"]),
        row_count=int(row["row_count"]),
    )
