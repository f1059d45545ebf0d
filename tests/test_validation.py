"""Each validation rule, pinned by file, row (spreadsheet numbering) and column."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
import shapely

from coverage.errors import Problem
from coverage.inputs.validation import validate_boundaries, validate_indicators, validate_teams
from tests.synthetic import roster_rows, three_communes


def _table(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows[1:], columns=rows[0])


def _where(problems: list[Problem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.code, p.row, p.column) for p in problems}


def test_clean_roster_has_no_problems_and_is_typed() -> None:
    teams, problems = validate_teams(_table(roster_rows()), three_communes(), file="r.csv")
    assert problems == []
    assert teams["members"].tolist() == [15, 12, 20]
    assert teams["weekly_hours"].tolist() == [4.0, 5.5, 3.0]  # decimal comma accepted
    assert teams["mode"].tolist() == ["mobile", "fixed", "mobile"]  # "lưu động" understood
    assert teams["commune_code"].tolist() == ["23938", "23995", "00001"]  # leading zeros restored
    assert teams["skills"][0] == ("vneid", "public_service_portal")
    # Blank location: a point inside the home commune; given location kept.
    assert shapely.contains_xy(
        three_communes().geometry[0], teams["longitude"][0], teams["latitude"][0]
    )
    assert teams["location_source"].tolist() == ["commune_point", "file", "commune_point"]


def test_wrong_code_negative_members_and_missing_column_are_all_reported() -> None:
    rows = roster_rows()
    weekly = rows[0].index("weekly_hours")
    rows = [[c for i, c in enumerate(r) if i != weekly] for r in rows]
    rows[2][2] = "99999"  # spreadsheet row 3
    rows[3][5] = "-3"  # spreadsheet row 4
    _, problems = validate_teams(_table(rows), three_communes(), file="bad.csv")
    assert _where(problems) == {
        ("missing_column", None, "weekly_hours"),
        ("unknown_commune", 3, "commune_code"),
        ("out_of_range", 4, "members"),
    }
    assert all(p.file == "bad.csv" for p in problems)
    message = next(p for p in problems if p.code == "out_of_range").message("en")
    assert (
        message
        == "bad.csv: row 4, column 'members': is out of range (got -3). Enter a value from 1 to "
        "100."
    )
    vi = next(p for p in problems if p.code == "out_of_range").message("vi")
    assert vi.startswith("bad.csv: dòng 4, cột 'members'")


def test_misspelt_column_suggests_the_closest_header() -> None:
    rows = roster_rows()
    rows[0][rows[0].index("members")] = "memebrs"
    _, problems = validate_teams(_table(rows), three_communes(), file="typo.csv")
    (problem,) = [p for p in problems if p.code == "missing_column"]
    assert problem.column == "members"
    assert "'memebrs'" in problem.message("en")
    assert "team_id, team_name" in problem.message("en")  # lists the columns found


def test_duplicate_team_id_names_both_rows() -> None:
    rows = roster_rows()
    rows[3][0] = "T1"
    _, problems = validate_teams(_table(rows), three_communes(), file="dup.csv")
    (problem,) = problems
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "duplicate_id",
        4,
        "team_id",
        "T1",
    )
    assert "row 2" in problem.message("en")


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("members", "twelve", "not_integer"),
        ("members", "12.5", "not_integer"),
        ("weekly_hours", "abc", "not_number"),
        ("weekly_hours", "99", "out_of_range"),
        ("mode", "sometimes", "bad_choice"),
        ("team_name", "", "missing_value"),
    ],
)
def test_bad_cells_are_pinned_to_row_and_column(column: str, value: str, code: str) -> None:
    rows = roster_rows()
    rows[2][rows[0].index(column)] = value
    _, problems = validate_teams(_table(rows), three_communes(), file="cells.csv")
    assert _where(problems) == {(code, 3, column)}
    assert problems[0].value == value


def test_location_outside_the_province_and_half_a_location() -> None:
    rows = roster_rows()
    rows[1][3], rows[1][4] = "10.78", "106.70"  # Hồ Chí Minh City, not Gia Lai
    rows[3][3] = "14.05"  # latitude without longitude
    _, problems = validate_teams(_table(rows), three_communes(), file="loc.csv")
    assert _where(problems) == {
        ("outside_province", 2, "latitude"),
        ("partial_location", 4, "longitude"),
    }
    assert "swapped" in problems[0].message("en")
    assert problems[0].value == "10.78, 106.7"


def test_unknown_code_with_a_known_name_in_nfd_suggests_the_right_code() -> None:
    rows = roster_rows()
    rows[0].append("commune_name")
    for r in rows[1:]:
        r.append("")
    rows[1][2] = "23939"
    rows[1][-1] = unicodedata.normalize("NFD", "ia mơ").upper()
    _, problems = validate_teams(_table(rows), three_communes(), file="nfd.csv")
    (problem,) = problems
    assert "23938 Ia Mơ" in problem.message("en")


def test_indicators_range_duplicate_and_unknown_code() -> None:
    header = [
        "commune_code",
        "adult_share_pct",
        "smartphone_adult_pct",
        "fixed_broadband_household_pct",
        "mobile_4g_population_pct",
        "vneid_level2_adult_pct",
        "online_filing_pct",
    ]
    rows = [
        header,
        ["23938", "66", "55", "10", "90", "50", "30"],
        ["23938", "66", "155", "10", "90", "50", "30"],
        ["12345", "66", "55", "10", "90", "x", "30"],
    ]
    frame, problems = validate_indicators(_table(rows), three_communes(), file="ind.csv")
    assert _where(problems) == {
        ("duplicate_id", 3, "commune_code"),
        ("out_of_range", 3, "smartphone_adult_pct"),
        ("unknown_commune", 4, "commune_code"),
        ("not_number", 4, "vneid_level2_adult_pct"),
    }
    assert frame["is_remote_official"].isna().all()


def test_boundaries_invalid_empty_geometry_duplicate_code_and_missing_crs() -> None:
    frame = three_communes()
    bowtie = shapely.Polygon([(108, 14), (108.1, 14.1), (108.1, 14), (108, 14.1)])
    frame.loc[1, "geometry"] = bowtie
    frame.loc[2, "geometry"] = shapely.Polygon()
    frame.loc[2, "code"] = "23938"
    _, problems = validate_boundaries(frame, file="b.gpkg")
    assert _where(problems) == {
        ("invalid_geometry", 3, "geometry"),
        ("empty_geometry", 4, "geometry"),
        ("duplicate_id", 4, "code"),
    }
    invalid = next(p for p in problems if p.code == "invalid_geometry")
    assert "Self-intersection" in invalid.message("en")

    no_crs = three_communes().set_crs(None, allow_override=True)
    _, problems = validate_boundaries(no_crs, file="nocrs.geojson")
    assert [p.code for p in problems] == ["missing_crs"]


def test_boundaries_missing_population_column_suggests_fix() -> None:
    frame = three_communes().rename(columns={"population": "pop"})
    _, problems = validate_boundaries(frame, file="b.gpkg")
    (problem,) = problems
    assert (problem.code, problem.column) == ("missing_column", "population")
