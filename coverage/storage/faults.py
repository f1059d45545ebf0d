"""Errors of the store the user can act on, and faults of the database file itself."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal

import coverage.text.accounts  # noqa: F401  (registers the store-fault and permission messages)
from coverage.storage.encoding import RosterDiff
from coverage.text.i18n import Lang, format_number, register, t

MAX_NAME_LENGTH: Final = 120
"""Longest scenario name accepted, in characters."""


VIETNAM_UTC_OFFSET: Final = dt.timezone(dt.timedelta(hours=7))
"""Offset used to show times in messages (Vietnam has no daylight saving time)."""


class StorageError(Exception):
    """A storage problem the user can act on; the UI shows :meth:`message`.

    Subclasses carry the fields the message needs; ``code`` is the catalogue key
    (``storage.*``), and ``code + ".fix"`` says what to do.
    """

    code: str
    """Catalogue key of the message (``storage.*``)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(self.message("en"))

    def message(self, lang: Lang = "vi") -> str:
        """Render the problem and its fix in ``lang``."""
        params = self._params(lang)
        return f"{t(self.code, lang, **params)}. {t(self.code + '.fix', lang, **params)}"

    def _params(self, lang: Lang) -> dict[str, object]:
        return {}


class ConflictError(StorageError):
    """Someone else saved since the revision this edit started from.

    Attributes
    ----------
    kind
        ``"roster"`` for the working roster, ``"scenario"`` for a named scenario.
    province_code
        Province of the roster or scenario.
    name
        Scenario name, or ``None`` for the roster.
    base_revision
        The revision the caller loaded and edited (0: none).
    current_revision
        The newer revision now stored (0: the scenario was deleted).
    saved_by, saved_session, saved_at
        Author, session and UTC time (ISO 8601) of the newer revision.
    differences
        Teams that differ between the newer stored revision and the caller's roster
        (what saving anyway would change).
    their_changes
        What the other save changed relative to ``base_revision``, or ``None`` when
        the base is not known (scenarios keep no history).
    both_changed
        Team ids changed by both sides since the base, to different values.
    differing_params
        Scenario parameters whose values differ (empty for the roster).
    """

    def __init__(
        self,
        *,
        kind: Literal["roster", "scenario"],
        province_code: str,
        name: str | None,
        base_revision: int,
        current_revision: int,
        saved_by: str,
        saved_session: str,
        saved_at: str,
        differences: RosterDiff,
        their_changes: RosterDiff | None = None,
        both_changed: tuple[str, ...] = (),
        differing_params: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.province_code = province_code
        self.name = name
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.saved_by = saved_by
        self.saved_session = saved_session
        self.saved_at = saved_at
        self.differences = differences
        self.their_changes = their_changes
        self.both_changed = both_changed
        self.differing_params = differing_params
        super().__init__(f"storage.{kind}_conflict")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "name": self.name or "",
            "base_revision": self.base_revision,
            "current_revision": self.current_revision,
            "saved_by": self.saved_by or t("storage.unknown_author", lang),
            "saved_at": _display_time(self.saved_at, lang),
            "team_ids": _list_text(self.differences.team_ids, lang),
            "param_names": _list_text(self.differing_params, lang),
        }


class DuplicateNameError(StorageError):
    """A scenario with this name already exists in the province.

    Attributes
    ----------
    province_code, name
        Where and what name.
    existing_revision, saved_by, saved_at
        Revision, author and UTC time (ISO 8601) of the existing scenario.
    """

    def __init__(
        self, *, province_code: str, name: str, existing_revision: int, saved_by: str, saved_at: str
    ) -> None:
        self.province_code = province_code
        self.name = name
        self.existing_revision = existing_revision
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__("storage.duplicate_name")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "name": self.name,
            "saved_by": self.saved_by or t("storage.unknown_author", lang),
            "saved_at": _display_time(self.saved_at, lang),
        }


class ScenarioNotFoundError(StorageError):
    """No scenario with this name in the province (deleted or renamed meanwhile?)."""

    def __init__(self, *, province_code: str, name: str) -> None:
        self.province_code = province_code
        self.name = name
        super().__init__("storage.scenario_not_found")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"name": self.name}


class RevisionNotFoundError(StorageError):
    """The working roster of the province has no such revision.

    Attributes
    ----------
    province_code, revision
        What was asked for.
    latest_revision
        The newest revision stored (0: none).
    """

    def __init__(self, *, province_code: str, revision: int, latest_revision: int) -> None:
        self.province_code = province_code
        self.revision = revision
        self.latest_revision = latest_revision
        super().__init__("storage.revision_not_found")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"revision": self.revision, "latest_revision": self.latest_revision}


class InvalidNameError(StorageError):
    """A scenario name is empty or too long.

    Attributes
    ----------
    name
        The name as given.
    reason
        ``"empty"`` or ``"too_long"``.
    """

    def __init__(self, *, name: str, reason: Literal["empty", "too_long"]) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"storage.invalid_name.{reason}")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"limit": MAX_NAME_LENGTH}


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of the tool.

    Attributes
    ----------
    path
        The database file.
    found_version, supported_version
        Schema version in the file and the newest this code knows.
    """

    def __init__(self, *, path: Path, found_version: int, supported_version: int) -> None:
        self.path = path
        self.found_version = found_version
        self.supported_version = supported_version
        super().__init__("storage.schema_too_new")

    def _params(self, lang: Lang) -> dict[str, object]:
        return {
            "file": self.path.name,
            "found_version": self.found_version,
            "supported_version": self.supported_version,
        }


class StoreFaultError(StorageError):
    """The database file cannot be used right now (locked, read-only, full, missing, damaged).

    Nothing was written: every write is one transaction that commits whole or not at all.

    Attributes
    ----------
    path
        The database file.
    detail
        SQLite's own words (for the log; the message says what to do).
    """

    def __init__(self, code: str, *, path: Path, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        super().__init__(code)

    def _params(self, lang: Lang) -> dict[str, object]:
        return {"file": self.path.name, "folder": str(self.path.parent), "detail": self.detail}


class StoreLockedError(StoreFaultError):
    """Another connection held the write lock for longer than the store waits.

    Attributes
    ----------
    waited_s
        How long the call waited (:data:`coverage.storage.core.LOCK_WAIT_S` unless the
        store was opened with another ``timeout_s``).
    holders
        Processes that have the file open (best effort, from ``/proc``), as
        ``(pid, program name)``; empty when they cannot be seen.
    """

    def __init__(
        self,
        *,
        path: Path,
        waited_s: float,
        holders: tuple[tuple[int, str], ...] = (),
        detail: str = "",
    ) -> None:
        self.waited_s = waited_s
        self.holders = holders
        super().__init__("storage.fault.locked", path=path, detail=detail)

    def _params(self, lang: Lang) -> dict[str, object]:
        names = [
            t("storage.fault.holder_self", lang, pid=pid)
            if pid == os.getpid()
            else t("storage.fault.holder", lang, name=name, pid=pid)
            for pid, name in self.holders
        ]
        return {
            **super()._params(lang),
            "seconds": format_number(self.waited_s, lang, decimals=0 if self.waited_s >= 1 else 1),
            "holders": "; ".join(names) if names else t("storage.fault.holders_unknown", lang),
        }


class StoreReadOnlyError(StoreFaultError):
    """The file or its folder cannot be written; reading still works."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.read_only", path=path, detail=detail)


class StoreFullError(StoreFaultError):
    """The disk is full or the file reached its page limit."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.full", path=path, detail=detail)

    def _params(self, lang: Lang) -> dict[str, object]:
        try:
            free_mb = _free_bytes(self.path.parent) / 1e6
            free = f"{format_number(free_mb, lang, decimals=0)} MB"
        except OSError:
            free = "?"
        return {**super()._params(lang), "free": free}


class StoreMissingError(StoreFaultError):
    """The file (or its folder) went away after the store was opened, or cannot be created."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.missing", path=path, detail=detail)


class StoreUnusableError(StoreFaultError):
    """The file is damaged, not a database, or the disk reports an input/output error."""

    def __init__(self, *, path: Path, detail: str = "") -> None:
        super().__init__("storage.fault.unusable", path=path, detail=detail)


def _free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return int(stat.f_bavail * stat.f_frsize)


def _file_holders(path: Path) -> tuple[tuple[int, str], ...]:
    """Return the processes with ``path`` (or its -wal / -shm) open.

    Read from ``/proc`` (Linux; best effort).
    """
    targets = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    found: list[tuple[int, str]] = []
    proc = Path("/proc")
    try:
        entries = [e for e in proc.iterdir() if e.name.isdigit()]
    except OSError:
        return ()
    for entry in entries:
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:  # gone meanwhile, or another user's process
            continue
        links = set()
        for fd in fds:
            with contextlib.suppress(OSError):  # closed meanwhile
                links.add(os.readlink(fd))
        if links & targets:
            try:
                name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                name = "?"
            found.append((int(entry.name), name))
        if len(found) >= 5:
            break
    return tuple(sorted(found))


def store_fault(error: sqlite3.Error, *, path: Path, waited_s: float) -> StoreFaultError | None:
    """Return the :class:`StoreFaultError` for an SQLite error the user can act on, or ``None``.

    ``None`` means a programming error (bad SQL, a constraint): the caller re-raises it.
    """
    name = str(getattr(error, "sqlite_errorname", "") or "")
    detail = f"{name}: {error}" if name else str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreLockedError(
            path=path, waited_s=waited_s, holders=_file_holders(path), detail=detail
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreReadOnlyError(path=path, detail=detail)
    if name == "SQLITE_FULL":
        return StoreFullError(path=path, detail=detail)
    if name.startswith("SQLITE_CANTOPEN"):
        if not path.exists():
            return StoreMissingError(path=path, detail=detail)
        return StoreReadOnlyError(path=path, detail=detail)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR")):
        return StoreUnusableError(path=path, detail=detail)
    return None


register(
    {
        "storage.roster_conflict": {
            "vi": "Danh sách đội đã được {saved_by} lưu thành phiên bản {current_revision} "
            "lúc {saved_at}, sau phiên bản {base_revision} mà bạn đang sửa",
            "en": "The roster was saved as revision {current_revision} by {saved_by} at "
            "{saved_at}, after revision {base_revision} that you are editing",
        },
        "storage.roster_conflict.fix": {
            "vi": "Các đội khác nhau: {team_ids}. Chưa có gì bị ghi đè: hãy tải phiên bản mới "
            "nhất, xem lại các thay đổi rồi lưu lại.",
            "en": "Teams that differ: {team_ids}. Nothing was overwritten: load the latest "
            "revision, review the changes and save again.",
        },
        "storage.scenario_conflict": {
            "vi": "Kịch bản '{name}' đã được {saved_by} lưu thành phiên bản {current_revision} "
            "lúc {saved_at}, sau phiên bản {base_revision} mà bạn đang sửa",
            "en": "Scenario '{name}' was saved as revision {current_revision} by {saved_by} "
            "at {saved_at}, after revision {base_revision} that you are editing",
        },
        "storage.scenario_conflict.fix": {
            "vi": "Các đội khác nhau: {team_ids}; tham số khác nhau: {param_names}. Chưa có gì "
            "bị ghi đè: hãy tải lại kịch bản hoặc lưu với một tên mới.",
            "en": "Teams that differ: {team_ids}; parameters that differ: {param_names}. "
            "Nothing was overwritten: reload the scenario or save it under a new name.",
        },
        "storage.duplicate_name": {
            "vi": "Tỉnh này đã có kịch bản tên '{name}' (do {saved_by} lưu lúc {saved_at})",
            "en": "This province already has a scenario named '{name}' (saved by {saved_by} "
            "at {saved_at})",
        },
        "storage.duplicate_name.fix": {
            "vi": "Chọn một tên khác, hoặc chọn ghi đè kịch bản cũ.",
            "en": "Choose another name, or choose to overwrite the existing scenario.",
        },
        "storage.scenario_not_found": {
            "vi": "Không tìm thấy kịch bản '{name}'",
            "en": "Scenario '{name}' was not found",
        },
        "storage.scenario_not_found.fix": {
            "vi": "Có thể kịch bản đã bị xoá hoặc đổi tên ở một phiên làm việc khác; hãy tải "
            "lại danh sách kịch bản, hoặc lưu với tên mới.",
            "en": "It may have been deleted or renamed in another session; reload the list "
            "of scenarios, or save it under a new name.",
        },
        "storage.revision_not_found": {
            "vi": "Danh sách đội không có phiên bản {revision}",
            "en": "The roster has no revision {revision}",
        },
        "storage.revision_not_found.fix": {
            "vi": "Phiên bản mới nhất là {latest_revision}; chọn một phiên bản trong lịch sử.",
            "en": "The latest revision is {latest_revision}; choose one from the history.",
        },
        "storage.invalid_name.empty": {
            "vi": "Tên kịch bản đang để trống",
            "en": "The scenario name is empty",
        },
        "storage.invalid_name.empty.fix": {
            "vi": "Nhập một tên ngắn gọn, ví dụ 'Phương án tháng 12'.",
            "en": "Enter a short name, for example 'December plan'.",
        },
        "storage.invalid_name.too_long": {
            "vi": "Tên kịch bản dài quá {limit} ký tự",
            "en": "The scenario name is longer than {limit} characters",
        },
        "storage.invalid_name.too_long.fix": {
            "vi": "Rút gọn tên còn tối đa {limit} ký tự.",
            "en": "Shorten the name to at most {limit} characters.",
        },
        "storage.schema_too_new": {
            "vi": "Tệp dữ liệu {file} do một phiên bản mới hơn của công cụ tạo ra (lược đồ "
            "{found_version}; phiên bản này chỉ đọc được đến {supported_version})",
            "en": "The data file {file} was written by a newer version of the tool (schema "
            "{found_version}; this version reads up to {supported_version})",
        },
        "storage.schema_too_new.fix": {
            "vi": "Cập nhật công cụ lên phiên bản mới nhất; tệp chưa bị thay đổi.",
            "en": "Update the tool to the latest version; the file has not been changed.",
        },
        "storage.unknown_author": {"vi": "một người khác", "en": "someone else"},
        "storage.none": {"vi": "không có", "en": "none"},
        "storage.more": {"vi": "{items} và {count} mục khác", "en": "{items} and {count} more"},
        "storage.time": {"vi": "{time} (giờ Việt Nam)", "en": "{time} (Vietnam time)"},
    }
)


def _display_time(iso_utc: str, lang: Lang) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    local = moment.astimezone(VIETNAM_UTC_OFFSET)
    return t("storage.time", lang, time=local.strftime("%H:%M %d/%m/%Y"))


def _list_text(items: Sequence[str], lang: Lang, *, limit: int = 8) -> str:
    if not items:
        return t("storage.none", lang)
    shown = ", ".join(items[:limit])
    if len(items) <= limit:
        return shown
    return t("storage.more", lang, items=shown, count=len(items) - limit)
