"""Inputs that used to be silently misread or could exhaust the machine (issue 12, item 3).

Each attack is built on the fly (the zip bomb, the hand-written ``.dbf`` bytes) and must
give a clear problem naming the file, row, column and value, in Vietnamese and English.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from coverage.errors import InputError, Problem, cap_problems, capped_messages
from coverage.inputs import readers as coverage_io
from coverage.inputs import tables as table_reader
from coverage.inputs.cells import number_readings
from coverage.inputs.readers import clean_reason, read_boundaries, read_geodata
from coverage.inputs.tables import detect_separator, read_table
from coverage.inputs.validation import validate_boundaries
from coverage.planning import read_commune_boundaries, read_indicators, read_teams
from tests.hostile_files import write_dbf, write_xlsx_bomb
from tests.synthetic import roster_rows, three_communes, to_csv

PROJECT = Path(__file__).resolve().parent.parent


def _messages(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    """Render every problem in both languages (a missing key or parameter raises)."""
    return [p.message(lang) for p in problems for lang in ("vi", "en")]


def _raises(call: object) -> InputError:
    with pytest.raises(InputError) as info:
        call()  # type: ignore[operator]
    _messages(info.value.problems)
    return info.value


# ------------------------------------------------------------------------- zip bombs


def test_xlsx_bomb_is_refused_from_the_zip_index_without_decompressing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = write_xlsx_bomb(tmp_path / "bomb.xlsx", unpacked_bytes=64 * 1024 * 1024)
    assert bomb.stat().st_size < 200_000

    def no_unpacking(*args: object, **kwargs: object) -> None:
        raise AssertionError("a zip member was opened before the index was checked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    error = _raises(lambda: read_table(bomb))
    problem = error.problems[0]
    assert problem.code == "zip_ratio_too_high" and problem.file == "bomb.xlsx"
    assert problem.params["member"] == "xl/worksheets/sheet1.xml"
    assert int(problem.value.split(":")[0]) > 500  # type: ignore[union-attr]
    assert "zip bomb" in problem.message("en") and "bom zip" in problem.message("vi")


def test_xlsx_whose_zip_index_lies_about_the_size_is_never_unpacked_past_it(tmp_path: Path) -> None:
    # The index says 20 kB; the stream holds 512 MiB. zipfile stops at the declared size
    # and the CRC fails, so the reader refuses the file without unpacking the rest.
    liar = write_xlsx_bomb(
        tmp_path / "liar.xlsx", unpacked_bytes=512 * 1024 * 1024, declared_bytes=20_000
    )
    problem = _raises(lambda: read_table(liar)).problems[0]
    assert (problem.code, problem.file) == ("unreadable", "liar.xlsx")


def test_xlsx_over_the_unpacked_limit_is_refused_even_at_a_normal_ratio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roster.xlsx"
    rows = roster_rows()
    pd.DataFrame(rows[1:] * 300, columns=rows[0]).to_excel(path, index=False)
    assert read_table(path)[0].shape == (900, 10)  # a normal workbook reads
    monkeypatch.setattr(table_reader, "MAX_XLSX_UNCOMPRESSED_BYTES", 20_000)
    problem = _raises(lambda: read_table(path)).problems[0]
    assert problem.code == "zip_unpacked_too_large"
    assert "20 000" not in problem.message("en") and "MB" in problem.message("en")


def test_a_bomb_dressed_as_a_zipped_shapefile_is_refused_by_the_same_check(tmp_path: Path) -> None:
    path = tmp_path / "communes.zip"
    noise = random.Random(12)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(6):  # each member stored (1:1), together over the limit
            zf.writestr(f"part{i}.shp", noise.randbytes(512 * 1024))
    original = coverage_io.MAX_ZIP_UNCOMPRESSED_BYTES
    try:
        coverage_io.MAX_ZIP_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
        problem = _raises(lambda: read_boundaries(path)).problems[0]
    finally:
        coverage_io.MAX_ZIP_UNCOMPRESSED_BYTES = original
    assert problem.code == "zip_unpacked_too_large" and problem.value == "3 MB"
    assert "2 MB" in problem.message("en")


# ----------------------------------------------------------------------------- CSV


def _csv(rows: list[list[str]], delimiter: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize(("delimiter", "shown"), [(";", ";"), ("\t", "tab")])
def test_semicolon_and_tab_separated_rosters_are_read_and_the_separator_is_said(
    delimiter: str, shown: str
) -> None:
    data = _csv(roster_rows(), delimiter)
    teams, warnings = read_teams(data, three_communes(), name="doi_hinh.csv")
    assert teams["team_id"].tolist() == ["T1", "T2", "T3"]
    assert teams["weekly_hours"].tolist() == [4.0, 5.5, 3.0]  # "5,5" in a ';' file is 5.5
    assert teams["skills"].iloc[0] == ("vneid", "public_service_portal")
    note = next(w for w in warnings if w.code == "csv_separator")
    assert note.severity == "warning" and note.value == shown
    assert "dấu phân cách" in note.message("vi")


def test_separator_is_decided_by_the_header_not_by_decimal_commas() -> None:
    assert detect_separator("a;b;c\n1,5;2,5;3,5\n") == ";"
    assert detect_separator("a,b,c\n1;2;3\n") == ","
    assert detect_separator("a\tb\n1,5\t2\n") == "\t"
    assert detect_separator("only\n1\n") == ","


def test_unquoted_decimal_comma_is_reported_as_such_with_its_column() -> None:
    rows = roster_rows()
    text = to_csv(rows).replace('"5,5"', "5,5")  # as a hand-edited file would have it
    error = _raises(lambda: read_teams(text.encode(), three_communes(), name="roster.csv"))
    assert [p.code for p in error.problems] == ["csv_decimal_comma"]
    problem = error.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "weekly_hours", "5,5")
    assert 'Put the number in quotes ("5,5"), write it with a point (5.5)' in problem.message("en")
    assert "Dòng này có 11 ô nhưng dòng tiêu đề có 10 cột" in problem.message("vi")


def test_two_decimal_commas_in_coordinates_name_the_latitude_column() -> None:
    text = to_csv(roster_rows()) + "T4,Đội Ia Mơ 2,23938,14,05,108,05,12,fixed,vneid,vi,5\n"
    problem = _raises(lambda: read_table(text.encode(), name="r.csv")).problems[0]
    assert problem.code == "csv_decimal_comma"
    assert (problem.row, problem.column, problem.value) == (5, "latitude", "14,05; 108,05")


def test_a_row_with_a_stray_separator_in_text_says_so() -> None:
    text = "team_id,team_name,members\nT1,Đội A, B,15\n"
    problem = _raises(lambda: read_table(text.encode(), name="r.csv")).problems[0]
    assert problem.code == "csv_row_too_long" and problem.row == 2
    assert problem.value == "T1,Đội A, B,15"


def test_csv_code_page_is_told_apart_vietnamese_from_western() -> None:
    header = b"team_id,team_name\r\n"
    table, warnings = read_table(header + b"T1,\xd0\xe3\xeck \xd0oa\r\n", name="vn.csv")
    assert table["team_name"].tolist() == ["Đắk Đoa"] and [w.code for w in warnings] == [
        "encoding_cp1258"
    ]
    table, warnings = read_table(header + b"T1,Caf\xe9 M\xfcller\r\n", name="fr.csv")
    assert table["team_name"].tolist() == ["Café Müller"] and [w.code for w in warnings] == [
        "encoding_cp1252"
    ]
    _messages(warnings)


# -------------------------------------------------------------------------- numbers


def test_number_readings_in_both_conventions() -> None:
    assert number_readings("15") == [(15.0, "")]
    assert [v for v, _ in number_readings("5,5")] == [5.5]
    assert [v for v, _ in number_readings("1.234,5")] == [1234.5]
    assert [v for v, _ in number_readings("1,234.5")] == [1234.5]
    assert sorted(v for v, _ in number_readings("1.000")) == [1.0, 1000.0]
    assert sorted(v for v, _ in number_readings("1,234")) == [1.234, 1234.0]
    assert [v for v, _ in number_readings("1 234 567")] == [1234567.0]
    assert number_readings("abc") == [] and number_readings("nan") == []


def _roster_with(column: str, value: str, *, row: int = 1) -> bytes:
    rows = [list(r) for r in roster_rows()]
    rows[row][rows[0].index(column)] = value
    return to_csv(rows).encode()


def test_members_written_with_a_thousands_dot_is_reported_with_both_readings() -> None:
    error = _raises(
        lambda: read_teams(_roster_with("members", "1.000"), three_communes(), name="r.csv")
    )
    problem = error.problems[0]
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "number_two_readings",
        2,
        "members",
        "1.000",
    )
    assert problem.params["reading_vi"] == "1000" and problem.params["reading_en"] == "1"
    assert "1 to 100" in problem.message("en") and "từ 1 đến 100" in problem.message("vi")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("members", "15.0", 15),  # a spreadsheet's whole number
        ("weekly_hours", "1.000", 1.0),  # 1000 hours a week cannot be: the English reading
        ("weekly_hours", "2,5", 2.5),
        ("latitude", "14.050", 14.05),  # T2 has coordinates
    ],
)
def test_numbers_with_one_fitting_reading_are_accepted(
    column: str, value: str, expected: float
) -> None:
    teams, _ = read_teams(_roster_with(column, value, row=2), three_communes(), name="r.csv")
    assert teams[column].iloc[1] == expected


def test_indicator_percentages_in_either_convention() -> None:
    header = [
        "commune_code",
        "adult_share_pct",
        "smartphone_adult_pct",
        "fixed_broadband_household_pct",
        "mobile_4g_population_pct",
        "vneid_level2_adult_pct",
        "online_filing_pct",
    ]
    rows = [header, ["23938", "68", "62,5", "35.000", "1,234.5", "55", "40"]]
    error = _raises(lambda: read_indicators(to_csv(rows).encode(), three_communes(), name="i.csv"))
    assert [(p.code, p.column) for p in error.errors] == [
        ("out_of_range", "mobile_4g_population_pct")
    ]
    rows[1][4] = "90"
    frame, _ = read_indicators(to_csv(rows).encode(), three_communes(), name="i.csv")
    assert frame.loc[0, ["smartphone_adult_pct", "fixed_broadband_household_pct"]].tolist() == [
        62.5,
        35.0,
    ]


def test_boundary_population_with_thousands_dot_is_never_read_as_twelve() -> None:
    frame = three_communes()
    frame["population"] = ["12.000", "30,000", "1.5"]
    frame["area_km2"] = ["118,5", "1.234", "90"]
    checked, problems = validate_boundaries(frame, file="ranh_gioi.gpkg")
    assert checked["population"].tolist()[:2] == [12000, 30000]
    found = {(p.code, p.row, p.column, p.value) for p in problems}
    assert found == {
        ("not_integer", 4, "population", "1.5"),
        ("number_two_readings", 3, "area_km2", "1.234"),
    }
    both = next(p for p in problems if p.code == "number_two_readings")
    assert "it is 1234; read the English way ('.' for decimals) it is 1.234; both fit" in (
        both.message("en")
    )
    assert (
        "là 1234; theo cách viết tiếng Anh ('.' là dấu thập phân) là 1.234; cả hai đều hợp lệ"
        in (both.message("vi"))
    )
    _messages(problems)


# --------------------------------------------------------------------- coordinates


def test_geojson_in_metres_without_a_crs_is_not_taken_for_degrees(tmp_path: Path) -> None:
    metres = three_communes().to_crs("EPSG:3405")  # VN-2000 / UTM 48N
    features = json.loads(metres.to_json())
    features.pop("crs", None)
    path = tmp_path / "ranh_gioi_m.geojson"
    path.write_text(json.dumps(features), encoding="utf-8")
    problem = _raises(lambda: read_boundaries(path)).problems[0]
    assert problem.code == "not_degrees" and problem.file == "ranh_gioi_m.geojson"
    assert "VN-2000" in problem.message("en") and "EPSG:3405" in problem.message("vi")


def test_vn2000_geopackage_with_its_crs_is_reprojected_to_the_right_place(tmp_path: Path) -> None:
    path = tmp_path / "vn2000.gpkg"
    three_communes().to_crs("EPSG:3405").to_file(path, engine="pyogrio")
    frame, problems = read_commune_boundaries(path)
    assert problems == [] and frame.crs.equals("EPSG:4326")
    assert frame.total_bounds == pytest.approx((108.0, 14.0, 108.3, 14.1), abs=1e-4)


def test_boundaries_that_land_outside_vietnam_are_refused(tmp_path: Path) -> None:
    wrong = three_communes().set_crs("EPSG:3857", allow_override=True)  # degrees labelled metres
    wrong = gpd.GeoDataFrame(wrong, geometry=wrong.geometry.scale(1e5, 1e5, origin=(0, 0)))
    _, problems = validate_boundaries(wrong, file="sai_crs.gpkg")
    assert [p.code for p in problems] == ["outside_vietnam"]
    assert problems[0].value == "97.02…97.29°E, 12.48…12.56°N"
    assert "Vietnam lies within longitude 101.5–118.5, latitude 6–24" in problems[0].message("en")
    _messages(problems)


# ------------------------------------------------------------------- code pages


NAMES_1258 = [
    (b"\xd0\xe3\xeck \xd0oa", "Đắk Đoa"),  # Đ, ă + combining acute
    (b"Ch\xfd S\xea", "Chư Sê"),
    (b"Ia M\xf5", "Ia Mơ"),
    (b"Pleiku", "Pleiku"),
]


def _zipped_shapefile(tmp_path: Path, names: list[bytes], *, cpg: str | None) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    boxes = [shapely.box(108.0 + 0.1 * i, 14.0, 108.1 + 0.1 * i, 14.1) for i in range(len(names))]
    gpd.GeoDataFrame({"code": ["x"] * len(names)}, geometry=boxes, crs="EPSG:4326").to_file(
        folder / "xa.shp", engine="pyogrio"
    )
    write_dbf(
        folder / "xa.dbf",
        [("code", "C", 5), ("name", "C", 30), ("population", "N", 9)],
        [[f"{23938 + i:05d}".encode(), name, b"12000"] for i, name in enumerate(names)],
    )
    path = tmp_path / f"xa_{cpg}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for ext in ("shp", "shx", "dbf", "prj"):
            zf.write(folder / f"xa.{ext}", f"xa.{ext}")
        if cpg is not None:
            zf.writestr("xa.cpg", cpg)
    return path


@pytest.mark.parametrize("cpg", ["1258", "ANSI 1258", "CP1258"])
def test_declared_windows_1258_keeps_every_character(tmp_path: Path, cpg: str) -> None:
    path = _zipped_shapefile(tmp_path, [b for b, _ in NAMES_1258], cpg=cpg)
    frame, warnings = read_geodata(path)
    assert frame["name"].tolist() == [text for _, text in NAMES_1258]
    assert warnings == []


def test_undeclared_windows_1258_is_detected_and_said(tmp_path: Path) -> None:
    path = _zipped_shapefile(tmp_path, [b for b, _ in NAMES_1258], cpg=None)
    frame, warnings = read_geodata(path)
    assert frame["name"].tolist() == [text for _, text in NAMES_1258]
    assert [(w.code, w.severity, w.value) for w in warnings] == [
        ("encoding_guessed", "warning", "Windows-1258")
    ]
    assert "1258" in warnings[0].message("vi") and ".cpg" in warnings[0].message("en")


def test_undeclared_windows_1252_and_utf8_are_told_apart(tmp_path: Path) -> None:
    western = [b"Caf\xe9 M\xfcller", b"Se\xf1or"]
    frame, warnings = read_geodata(_zipped_shapefile(tmp_path, western, cpg=None))
    assert frame["name"].tolist() == ["Café Müller", "Señor"]
    assert warnings[0].value == "Windows-1252"
    (tmp_path / "utf8").mkdir()
    utf8 = ["Đắk Đoa".encode(), "Chư Sê".encode()]
    frame, warnings = read_geodata(_zipped_shapefile(tmp_path / "utf8", utf8, cpg=None))
    assert frame["name"].tolist() == ["Đắk Đoa", "Chư Sê"]
    assert [w.value for w in warnings] == ["UTF-8"]


def test_a_cpg_that_lies_is_caught(tmp_path: Path) -> None:
    frame, warnings = read_geodata(
        _zipped_shapefile(tmp_path, [b for b, _ in NAMES_1258], cpg="UTF-8")
    )
    assert frame["name"].tolist() == [text for _, text in NAMES_1258]
    assert warnings[0].code == "encoding_declared_wrong" and "UTF-8" not in warnings[0].value  # type: ignore[operator]


# ------------------------------------------------- capped lists and no server paths


def test_cap_keeps_the_first_of_each_kind_and_counts_the_rest() -> None:
    problems = [
        Problem("not_number", "f.csv", row=i, column="members", value="x") for i in range(2, 1002)
    ]
    problems.insert(5, Problem("missing_column", "f.csv", column="mode"))
    shown, hidden = cap_problems(problems, per_kind=20)
    assert len(shown) == 21 and shown[5].code == "missing_column"
    assert hidden == {"not_number": 980}
    assert cap_problems(problems, per_kind=0) == (problems, {})
    lines = capped_messages(problems, "vi", per_kind=20)
    assert len(lines) == 22 and lines[-1] == "… và 980 vấn đề khác cùng loại: không phải là số"


def test_cli_prints_at_most_n_problems_of_a_kind_and_counts_the_rest(tmp_path: Path) -> None:
    boxes = [shapely.box(108.0 + 0.001 * i, 14.0, 108.001 + 0.001 * i, 14.001) for i in range(300)]
    frame = gpd.GeoDataFrame(
        {
            "code": [f"{i:05d}" for i in range(300)],
            "name": ["x"] * 300,
            "population": ["nhiều"] * 300,
        },
        geometry=boxes,
        crs="EPSG:4326",
    )
    path = tmp_path / "ranh_gioi.geojson"
    frame.to_file(path, engine="pyogrio")
    result = subprocess.run(
        [sys.executable, "-m", "coverage", "--lang", "en", "validate", "--boundaries", str(path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert len(lines) == 22, result.stdout[-2000:]
    assert lines[-2] == "… and 280 more of the same kind: must be a whole number"
    assert lines[-1] == "300 error(s), 0 warning(s)"
    assert str(tmp_path) not in result.stdout


def test_gdal_messages_carry_no_server_paths_and_are_cut_at_a_word(tmp_path: Path) -> None:
    path = tmp_path / "hong.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 2000)
    problem = _raises(lambda: read_boundaries(path)).problems[0]
    assert problem.code == "unreadable"
    message = problem.message("en")
    assert "/tmp" not in message and "input.gpkg" not in message
    long = "Failed to open /tmp/tmpab12cd/input.zip/xa.shp: " + "word " * 60
    cleaned = clean_reason(long)
    assert "/tmp" not in cleaned and cleaned.endswith("word …") and len(cleaned) <= 163
