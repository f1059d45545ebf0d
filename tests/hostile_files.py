"""Hostile and tricky input files made on the fly (never committed): an .xlsx zip bomb
and a Shapefile ``.dbf`` with known bytes in a chosen code page."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>team_id</t></is></c></row>'
)
_SHEET_ROW = b'<row><c t="inlineStr"><is><t>GL-001</t></is></c></row>'
_SHEET_TAIL = b"</sheetData></worksheet>"


def _raw_deflate(data: bytes, *, final: bool) -> bytes:
    """Deflate ``data`` as self-contained, byte-aligned blocks (no back-references out)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def write_xlsx_bomb(path: Path, *, unpacked_bytes: int, declared_bytes: int | None = None) -> Path:
    """Write a valid .xlsx whose one sheet unpacks to about ``unpacked_bytes``.

    The sheet is one deflate stream: a 1 MiB block (one row and blanks, which XML
    allows between rows) is compressed once (about 1000:1) and repeated, so a 3 GiB
    sheet takes ~3 MB and a few seconds to write.
    Every size and CRC in the zip is true: without a check, a reader would unpack it all.
    ``declared_bytes`` makes the zip index lie about the sheet's unpacked size instead.
    """
    unit = _SHEET_ROW + b" " * ((1 << 20) - len(_SHEET_ROW))  # a row, then 1 MiB of blanks
    count = max(1, (unpacked_bytes - len(_SHEET_HEAD) - len(_SHEET_TAIL)) // len(unit))
    block = _raw_deflate(unit, final=False)
    sheet_deflated = (
        _raw_deflate(_SHEET_HEAD, final=False),
        block,
        count,
        _raw_deflate(_SHEET_TAIL, final=True),
    )
    crc = zlib.crc32(_SHEET_HEAD)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(_SHEET_TAIL, crc)
    sheet_size = len(_SHEET_HEAD) + count * len(unit) + len(_SHEET_TAIL)
    members: list[tuple[bytes, int, int, int, list[bytes] | tuple[bytes, bytes, int, bytes]]] = []
    for name, content in (
        (b"[Content_Types].xml", _CONTENT_TYPES),
        (b"_rels/.rels", _RELS),
        (b"xl/workbook.xml", _WORKBOOK),
        (b"xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
    ):
        packed = _raw_deflate(content, final=True)
        members.append((name, zlib.crc32(content), len(packed), len(content), [packed]))
    head, rep, times, tail = sheet_deflated
    members.append(
        (
            b"xl/worksheets/sheet1.xml",
            crc,
            len(head) + len(rep) * times + len(tail),
            sheet_size if declared_bytes is None else declared_bytes,
            sheet_deflated,
        )
    )
    central = bytearray()
    with path.open("wb") as out:
        for name, member_crc, packed_size, size, chunks in members:
            offset = out.tell()
            header = struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0x21,
                member_crc,
                packed_size,
                size,
                len(name),
                0,
            )
            out.write(header + name)
            if isinstance(chunks, tuple):
                first, repeated, n, last = chunks
                out.write(first)
                for _ in range(n):
                    out.write(repeated)
                out.write(last)
            else:
                for chunk in chunks:
                    out.write(chunk)
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    member_crc,
                    packed_size,
                    size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name
            )
        start = out.tell()
        out.write(bytes(central))
        out.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
            )
        )
    return path


def write_dbf(
    path: Path,
    fields: list[tuple[str, str, int]],
    rows: list[list[bytes]],
    *,
    language_driver: int = 0,
) -> Path:
    """Write a dBASE III ``.dbf`` with exactly the given bytes in each cell.

    ``fields`` are (name, type ``C`` or ``N``, width); text is left-aligned and numbers
    right-aligned, padded with spaces. ``language_driver`` 0 declares no code page.
    """
    header_size = 32 + 32 * len(fields) + 1
    record_size = 1 + sum(width for _, _, width in fields)
    out = bytearray(
        struct.pack(
            "<BBBBIHH17xB2x", 3, 126, 1, 1, len(rows), header_size, record_size, language_driver
        )
    )
    for name, kind, width in fields:
        out += struct.pack("<11sc4xBB14x", name.encode("ascii"), kind.encode("ascii"), width, 0)
    out += b"\r"
    for row in rows:
        out += b" "
        for (_, kind, width), cell in zip(fields, row, strict=True):
            out += (cell.ljust(width) if kind == "C" else cell.rjust(width))[:width]
    out += b"\x1a"
    path.write_bytes(bytes(out))
    return path
