"""Readers over every supported format, from paths and from uploaded bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from coverage.errors import InputError
from coverage.inputs.readers import read_boundaries
from coverage.inputs.sources import MAX_UPLOAD_BYTES
from coverage.inputs.tables import read_table
from tests.synthetic import roster_rows, three_communes, to_csv


class FakeUpload:
    """What Streamlit's UploadedFile offers."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


def _write_boundaries(frame: gpd.GeoDataFrame, path: Path) -> Path:
    if path.suffix == ".parquet":
        frame.to_parquet(path)
    elif path.suffix == ".zip":
        shp_dir = path.parent / "shp"
        shp_dir.mkdir()
        frame.to_file(shp_dir / "communes.shp", engine="pyogrio")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for member in shp_dir.iterdir():
                zf.write(member, member.name)
    else:
        frame.to_file(path, engine="pyogrio")
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg", ".geojson", ".zip"])
def test_read_boundaries_every_format_from_path_and_bytes(tmp_path: Path, suffix: str) -> None:
    path = _write_boundaries(three_communes(), tmp_path / f"communes{suffix}")
    from_path, _ = read_boundaries(path)
    from_bytes, _ = read_boundaries(path.read_bytes(), name=path.name)
    from_upload, _ = read_boundaries(FakeUpload(path.name, path.read_bytes()))
    for frame in (from_path, from_bytes, from_upload):
        assert len(frame) == 3
        assert frame.crs is not None and frame.crs.to_epsg() == 4326
        assert sorted(frame["name"]) == sorted(["Ia Mơ", "Đak Pơ", "Ia Zero"])


def test_shapefile_without_crs_is_refused_naming_the_file(tmp_path: Path) -> None:
    frame = three_communes().set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        path = _write_boundaries(frame, tmp_path / "nocrs.zip")
    with pytest.raises(InputError) as info:
        read_boundaries(path)
    (problem,) = info.value.problems
    assert problem.code == "missing_crs"
    assert problem.file == "nocrs.zip"
    assert "EPSG:4326" in problem.message("en")


def test_zip_with_unsafe_path_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/passwd.shp", b"x")
    with pytest.raises(InputError) as info:
        read_boundaries(path)
    assert info.value.problems[0].code == "unsafe_zip"
    assert info.value.problems[0].value == "../../etc/passwd.shp"


def test_zip_bomb_is_refused_from_its_index(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.shp", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(InputError) as info:
        read_boundaries(path)
    assert info.value.problems[0].code == "zip_ratio_too_high"


def test_upload_over_the_size_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(InputError) as info:
        read_table(b"x" * (MAX_UPLOAD_BYTES + 1), name="huge.csv")
    problem = info.value.problems[0]
    assert problem.code == "too_large"
    assert "50 MB" in problem.message("en")


def test_unsupported_format_lists_the_supported_ones() -> None:
    with pytest.raises(InputError) as info:
        read_table(b"a,b\n1,2\n", name="roster.ods")
    assert ".csv, .xlsx" in info.value.problems[0].message("en")


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks combining."""
    import unicodedata

    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_csv_utf8_with_and_without_bom(encoding: str) -> None:
    data = to_csv(roster_rows()).encode(encoding)
    table, warnings = read_table(data, name="roster.csv")
    assert warnings == []
    assert table.columns[0] == "team_id"  # no BOM glued to the first header
    assert table.loc[1, "team_name"] == "Đội Đak Pơ"


def test_csv_in_windows_1258_is_read_with_a_warning() -> None:
    # Windows-1258 writes Vietnamese with combining tone marks; the reader returns NFC.
    data = encode_cp1258(to_csv(roster_rows()))
    table, warnings = read_table(data, name="roster_cp1258.csv")
    assert [w.code for w in warnings] == ["encoding_cp1258"]
    assert warnings[0].severity == "warning"
    assert table.loc[0, "team_name"] == "Đội Ia Mơ"


def test_nfd_names_are_returned_in_nfc() -> None:
    import unicodedata

    rows = roster_rows()
    rows[1][1] = unicodedata.normalize("NFD", rows[1][1])
    table, _ = read_table(to_csv(rows).encode(), name="nfd.csv")
    assert table.loc[0, "team_name"] == unicodedata.normalize("NFC", "Đội Ia Mơ")


def test_xlsx_from_path_and_upload(tmp_path: Path) -> None:
    rows = roster_rows()
    path = tmp_path / "roster.xlsx"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, index=False)
    table, _ = read_table(path)
    uploaded, _ = read_table(FakeUpload("roster.xlsx", path.read_bytes()))
    assert len(table) == len(uploaded) == 3
    assert table.loc[2, "mode"] == "lưu động"


def test_duplicate_header_and_empty_file_are_reported() -> None:
    with pytest.raises(InputError) as info:
        read_table(b"team_id,team_id\n", name="dupe.csv")
    codes = {p.code for p in info.value.problems}
    assert {"duplicate_column", "empty_file"} <= codes


def test_broken_xlsx_names_the_file() -> None:
    with pytest.raises(InputError) as info:
        read_table(io.BytesIO(b"not a workbook").getvalue(), name="broken.xlsx")
    assert info.value.problems[0].file == "broken.xlsx"
