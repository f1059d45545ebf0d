"""Guess and apply the code page of text: UTF-8, Windows-1258 or Windows-1252."""

from __future__ import annotations

import codecs
import unicodedata
import zipfile

import geopandas as gpd
import pandas as pd

from coverage.errors import Problem

_VI_LOWER = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_VI_LETTERS = frozenset(_VI_LOWER + _VI_LOWER.upper())
_CP1258_ONLY = frozenset(b"\xc3\xcc\xd0\xd2\xd5\xdd\xde\xe3\xec\xf0\xf2\xf5\xfd\xfe")
"""Bytes that Windows-1258 and Windows-1252 read differently (ă, đ, ơ, ư, tone marks)."""


def shapefile_codepage(archive: zipfile.ZipFile) -> tuple[str | None, bool]:
    """Return (Python codec, declared?) of a zipped Shapefile's attribute text.

    The ``.cpg`` file names the code page; without one, a non-zero language driver
    byte in the ``.dbf`` header declares it (GDAL reads those); otherwise nothing is
    declared and the text will be guessed.
    """
    names = archive.namelist()
    stem = next(n for n in names if n.lower().endswith(".shp"))[:-4].lower()
    cpg = next((n for n in names if n.lower() == stem + ".cpg"), None)
    if cpg is not None:
        return _codec_from_cpg(archive.read(cpg)[:64].decode("ascii", "replace")), True
    dbf = next((n for n in names if n.lower() == stem + ".dbf"), None)
    if dbf is None:
        return None, True
    with archive.open(dbf) as handle:
        head = handle.read(32)
    return None, len(head) > 29 and head[29] != 0


def _codec_from_cpg(text: str) -> str | None:
    """Python codec of a ``.cpg`` text (``1258``, ``ANSI 1258``, ``UTF-8``...), or None."""
    value = (
        text.strip().upper().replace("ANSI", "").replace("WINDOWS-", "").replace("CP", "").strip()
    )
    if value in ("UTF-8", "UTF8", "65001"):
        return "utf-8"
    for name in (f"cp{value}" if value.isdigit() else "", text.strip()):
        if not name:
            continue
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def guess_codec(data: bytes) -> str | None:
    """Guess the code page of undeclared Shapefile text: UTF-8, Windows-1258 or 1252.

    ASCII needs no guess (None). Text that decodes as UTF-8 is UTF-8. Otherwise,
    if the bytes where the two Windows code pages differ are present and at least
    80 % of the non-ASCII letters read as Windows-1258 are Vietnamese letters, it is
    Windows-1258; else Windows-1252.
    """
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if not _CP1258_ONLY.intersection(data):
        return "cp1252"
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    wide = [c for c in text if ord(c) > 127]
    vietnamese = sum(c in _VI_LETTERS for c in wide)
    return "cp1258" if vietnamese >= 0.8 * len(wide) else "cp1252"


_CODEC_NAMES = {
    "cp1258": ("Windows-1258", "1258"),
    "cp1252": ("Windows-1252", "1252"),
    "utf-8": ("UTF-8", "UTF-8"),
}


def decode_text(
    frame: gpd.GeoDataFrame, file: str, *, codec: str | None, declared: bool
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Decode text read as Latin-1 bytes with the declared or guessed code page."""
    if codec is None and declared:
        return frame, []  # GDAL decoded it (no zip, or a language driver byte in the .dbf)
    columns = [
        c
        for c in frame.columns
        if c != frame.geometry.name
        and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))
    ]
    warnings: list[Problem] = []
    data = b"\n".join(
        v.encode("latin1", errors="replace")
        for c in columns
        for v in frame[c].tolist()
        if isinstance(v, str)
    ) + "\n".join(map(str, frame.columns)).encode("latin1", errors="replace")
    wrong = False
    if declared and codec is not None:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            wrong = True
    if not declared or wrong:
        declared_codec, codec = codec, guess_codec(data)
        if codec is None:
            return frame, []
        label, cpg = _CODEC_NAMES.get(codec, (codec, codec))
        code = "encoding_declared_wrong" if wrong else "encoding_guessed"
        warnings.append(
            Problem(
                code,
                file,
                severity="warning",
                value=label,
                params={"encoding": label, "cpg": cpg, "declared": str(declared_codec)},
            )
        )
    assert codec is not None

    def decode(value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.encode("latin1", errors="replace").decode(codec, errors="replace")

    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(decode)
    frame.columns = pd.Index([c if c == frame.geometry.name else decode(c) for c in frame.columns])
    return frame, warnings
