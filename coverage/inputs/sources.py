"""Where input bytes come from (path, bytes, upload), the size limit and zip-index checks."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

from coverage.errors import InputError, Problem
from coverage.text import inputs as text_inputs  # noqa: F401  (registers the messages used here)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest file accepted (50 MB); above it the reader refuses before parsing."""

MAX_ZIP_RATIO = 100.0
"""Largest compression ratio of a zip member that unpacks to more than
:data:`ZIP_RATIO_FLOOR_BYTES` (a zip bomb has ~1000:1; spreadsheets ~5-20:1)."""

ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
"""Members smaller than this unpacked are not held to the ratio limit (harmless)."""


@runtime_checkable
class Upload(Protocol):
    """What Streamlit's ``UploadedFile`` offers: a name and the bytes."""

    name: str

    def getvalue(self) -> bytes:
        """Return the uploaded file's bytes."""
        ...


Source = str | Path | bytes | Upload


@dataclass(frozen=True)
class RawFile:
    """A file's bytes and the name to quote in messages."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        """The file name's extension, lower case (``.csv``)."""
        return PurePosixPath(self.name.lower()).suffix


def raw_from_source(source: Source, *, name: str | None = None) -> RawFile:
    """Return the bytes and display name of a path, bytes or upload.

    Raises
    ------
    InputError
        If the file is larger than :data:`MAX_UPLOAD_BYTES` or cannot be opened.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        display = name or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(
                [Problem("unreadable", display, params={"reason": exc.strerror or str(exc)})]
            ) from exc
        _check_size(display, size)
        return RawFile(display, path.read_bytes())
    if isinstance(source, bytes):
        display = name or "upload"
        _check_size(display, len(source))
        return RawFile(display, source)
    display = name or source.name
    data = source.getvalue()
    _check_size(display, len(data))
    return RawFile(display, data)


def _check_size(name: str, size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise InputError(
            [
                Problem(
                    "too_large",
                    name,
                    value=f"{size / 1024 / 1024:.1f} MB",
                    params={"limit_mb": str(MAX_UPLOAD_BYTES // 1024 // 1024)},
                )
            ]
        )


def check_zip_index(raw: RawFile, *, limit_bytes: int) -> zipfile.ZipFile:
    """Refuse an unsafe or "zip bomb" archive from its index, before decompressing anything.

    Only the central directory is read: member names (no absolute paths, ``..`` or drive
    letters), the total unpacked size (at most ``limit_bytes``) and each member's
    compression ratio (at most :data:`MAX_ZIP_RATIO` for members over
    :data:`ZIP_RATIO_FLOOR_BYTES`). Python's ``zipfile`` (used by openpyxl) never
    unpacks more than the size the index declares, so a lying index cannot get past.

    Returns
    -------
    zipfile.ZipFile
        The open archive, for further checks of its member list.

    Raises
    ------
    InputError
        Not a zip, an unsafe path, too large unpacked, or compressed too much.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw.data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise InputError(
            [Problem("unreadable", raw.name, params={"reason": "not a zip file"})]
        ) from exc
    total = 0
    for info in archive.infolist():
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise InputError(
                [
                    Problem(
                        "unsafe_zip",
                        raw.name,
                        value=info.filename,
                        params={"reason": "an unsafe path"},
                    )
                ]
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > MAX_ZIP_RATIO:
            raise InputError(
                [
                    Problem(
                        "zip_ratio_too_high",
                        raw.name,
                        value=f"{ratio:.0f}:1",
                        params={
                            "member": info.filename[:80],
                            "ratio": f"{ratio:.0f}",
                            "limit": f"{MAX_ZIP_RATIO:.0f}",
                        },
                    )
                ]
            )
    if total > limit_bytes:
        raise InputError(
            [
                Problem(
                    "zip_unpacked_too_large",
                    raw.name,
                    value=f"{total / 1024 / 1024:.0f} MB",
                    params={
                        "unpacked_mb": f"{total / 1024 / 1024:.0f}",
                        "limit_mb": str(limit_bytes // 1024 // 1024),
                    },
                )
            ]
        )
    return archive
