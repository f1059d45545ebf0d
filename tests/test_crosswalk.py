"""Old-commune tables moved onto the post-merger communes (vietnamadminunits mapping)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pandas as pd
import pytest

from coverage.errors import InputError
from coverage.inputs.crosswalk import crosswalk_table
from coverage.text.i18n import t

# Four post-merger Gia Lai communes with populations chosen for hand checks.
COMMUNES = pd.DataFrame(
    {
        "code": ["21553", "21583", "21622", "21628"],
        "name": ["Quy Nhơn Bắc", "Quy Nhơn", "An Toàn", "An Hòa"],
        "province": ["Gia Lai"] * 4,
        "population": [50_000, 60_000, 10_000, 30_000],
    }
)
HEADER = ["old_commune", "old_district", "old_province", "vneid_level2", "online_pct", "pop_2024"]
GOOD = [
    # Nhơn Phú and Trần Quang Diệu both went whole to Quy Nhơn Bắc (21553).
    ["Phường Nhơn Phú", "Thành phố Quy Nhơn", "Tỉnh Bình Định", "100", "40", "1000"],
    ["tran quang dieu", "Quy Nhon", "Binh Dinh", "50", "80", "3000"],
    # Hải Cảng, typed in NFD, went whole to Quy Nhơn (21583).
    [
        unicodedata.normalize("NFD", "Phường Hải Cảng"),
        "TP Quy Nhơn",
        "Bình Định",
        "30",
        "50",
        "2000",
    ],
    # An Nghĩa (An Lão) was split between An Hòa (21628) and An Toàn (21622).
    ["Xã An Nghĩa", "Huyện An Lão", "Tỉnh Bình Định", "80", "20", "4000"],
]
MISSPELT = ["Phường Đống Đaa", "Thành phố Quy Nhơn", "Tỉnh Bình Định", "10", "10", "10"]


def _table(rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HEADER)


def _convert(rows: list[list[str]]):  # type: ignore[no-untyped-def]
    return crosswalk_table(
        _table(rows),
        COMMUNES,
        file="old.csv",
        value_columns=["vneid_level2", "pop_2024"],
        rate_columns=["online_pct"],
        weight_column="pop_2024",
    )


def test_counts_summed_rates_weighted_and_split_by_population() -> None:
    result = _convert(GOOD)
    table = result.table.set_index("commune_code")
    assert list(table.index) == ["21553", "21583", "21622", "21628"]
    # Counts: Quy Nhơn Bắc = 100 + 50; the split commune's 80 goes 3:1 to An Hòa (30,000
    # residents) and An Toàn (10,000).
    assert table.loc["21553", "vneid_level2"] == pytest.approx(150)
    assert table.loc["21583", "vneid_level2"] == pytest.approx(30)
    assert table.loc["21628", "vneid_level2"] == pytest.approx(60)
    assert table.loc["21622", "vneid_level2"] == pytest.approx(20)
    # Totals are kept.
    assert table["vneid_level2"].sum() == pytest.approx(100 + 50 + 30 + 80)
    assert table["pop_2024"].sum() == pytest.approx(1000 + 3000 + 2000 + 4000)
    # Rates are weighted by old population, never summed: (40*1000 + 80*3000) / 4000 = 70.
    assert table.loc["21553", "online_pct"] == pytest.approx(70)
    assert table.loc["21628", "online_pct"] == pytest.approx(20)
    assert table.loc["21553", "old_units"] == 2
    assert table.loc["21553", "commune_name"] == "Quy Nhơn Bắc"
    # The split is documented, with its rule and shares.
    assert len(result.splits) == 1
    split = result.splits.iloc[0]
    assert split["row"] == 5 and split["rule"] == "population"
    assert "An Hòa 75,0%" in split["split_vi"] and "An Toàn 25,0%" in split["split_vi"]
    assert "population" in split["split_en"]


def test_misspelt_name_is_listed_with_closest_match_and_left_out() -> None:
    result = _convert([*GOOD, MISSPELT])
    assert result.rows == 5 and result.matches["row"].nunique() == 4
    assert result.table["vneid_level2"].sum() == pytest.approx(260)  # the misspelt 10 is out
    (problem,) = result.unmatched
    assert (problem.row, problem.column, problem.value) == (6, "old_commune", "Phường Đống Đaa")
    message = problem.message("vi")
    assert "Phường Đống Đa" in message and "old.csv: dòng 6" in message
    assert "Closest: Phường Đống Đa" in problem.message("en")


def test_names_typed_without_unit_word_that_begin_like_one_are_found() -> None:
    # "Phương Liễu" is the ward Phường Phương Liễu, "Quan Hóa" the district Huyện Quan Hóa:
    # dropping a leading "phuong"/"quan" as if it were the unit word found nothing before.
    communes = pd.DataFrame(
        {
            "code": ["09265", "14869"],
            "name": ["Phương Liễu", "Hồi Xuân"],
            "province": ["Bắc Ninh", "Thanh Hoá"],
            "population": [42_255, 10_432],
        }
    )
    rows = [
        ["Phương Liễu", "Quế Võ", "Bắc Ninh", "7", "10", "100"],
        ["Phường Phương Liễu", "Thị xã Quế Võ", "Tỉnh Bắc Ninh", "5", "10", "100"],
        ["Hoi Xuan", "Quan Hoa", "Thanh Hoa", "3", "10", "100"],
        ["Phuong Lieuu", "Que Vo", "Bac Ninh", "1", "10", "100"],
    ]
    result = crosswalk_table(_table(rows), communes, file="old.csv", value_columns=["vneid_level2"])
    values = result.table.set_index("commune_code")["vneid_level2"].to_dict()
    assert values == {"09265": pytest.approx(12), "14869": pytest.approx(3)}
    (problem,) = result.unmatched
    assert (problem.row, problem.column) == (5, "old_commune")
    assert "Closest: Phường Phương Liễu" in problem.message("en")


def test_split_without_population_uses_equal_shares() -> None:
    communes = COMMUNES.assign(population=[50_000, 60_000, 0, 30_000])
    result = crosswalk_table(
        _table(GOOD[3:]), communes, file="old.csv", value_columns=["vneid_level2"]
    )
    values = result.table.set_index("commune_code")["vneid_level2"]
    assert values.to_dict() == {"21622": pytest.approx(40), "21628": pytest.approx(40)}
    assert result.splits.iloc[0]["rule"] == "equal"


def test_split_counts_keep_two_decimals_in_the_table_and_its_csv() -> None:
    communes = COMMUNES.assign(population=[50_000, 60_000, 10_000, 20_000])  # a 1:2 split
    result = crosswalk_table(
        _table(GOOD[3:]), communes, file="old.csv", value_columns=["vneid_level2"]
    )
    values = result.table.set_index("commune_code")["vneid_level2"].to_dict()
    assert values == {"21622": 26.67, "21628": 53.33}
    text = result.table.to_csv(index=False)
    assert "26.67" in text and "53.33" in text and "666" not in text and "333" not in text


def test_old_code_key_and_problems_name_row_and_column() -> None:
    table = pd.DataFrame({"old_code": ["21553", "99999", "21559"], "n": ["5", "x", "7"]})
    with pytest.raises(InputError) as err:
        crosswalk_table(table, COMMUNES, file="codes.csv", value_columns=["n"])
    assert [(p.code, p.row, p.column) for p in err.value.problems] == [("not_number", 3, "n")]
    table.loc[1, "n"] = "3"
    result = crosswalk_table(table, COMMUNES, file="codes.csv", value_columns=["n"])
    assert [(p.code, p.row, p.column) for p in result.unmatched] == [
        ("crosswalk.unknown_code", 3, "old_code")
    ]
    assert result.table.set_index("commune_code")["n"].to_dict() == {"21553": 12.0}


def test_rates_without_weight_and_missing_key_are_refused_with_the_fix() -> None:
    with pytest.raises(InputError) as err:
        crosswalk_table(
            pd.DataFrame({"name": ["x"], "r": ["1"]}), COMMUNES, file="f.csv", rate_columns=["r"]
        )
    codes = {p.code for p in err.value.problems}
    assert codes == {"crosswalk.no_key", "crosswalk.rates_need_weight"}
    fix = next(p for p in err.value.problems if p.code == "crosswalk.no_key").message("en")
    assert "old_code" in fix and "Columns found: name, r" in fix


def test_messages_have_the_same_placeholders_in_both_languages() -> None:
    import string

    from coverage.text.crosswalk import CROSSWALK_TEXT

    for key, text in CROSSWALK_TEXT.items():
        # A parameter may come in a per-language form (close_vi / close_en).
        names = [
            {f.removesuffix(f"_{lang}") for _, f, _, _ in string.Formatter().parse(text[lang]) if f}
            for lang in ("vi", "en")
        ]
        assert names[0] == names[1], key
        params = {f"{n}_{lang}": "x" for n in names[0] for lang in ("vi", "en")}
        assert t(key, "vi", **params, **dict.fromkeys(names[0], "x"))


@pytest.mark.realdata
def test_cli_converts_a_gia_lai_table(tmp_path, real_settings) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "old.csv"
    _table(GOOD).to_csv(source, index=False)
    out = tmp_path / "new.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "--lang",
            "en",
            "crosswalk",
            str(source),
            "--value-columns",
            "vneid_level2",
            "--rate-columns",
            "online_pct",
            "--weight-column",
            "pop_2024",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "4 of 4 old-commune rows -> 4 new communes" in run.stdout
    assert "Xã An Nghĩa (Huyện An Lão) split into" in run.stdout
    table = pd.read_csv(out, dtype={"commune_code": str})
    assert table["vneid_level2"].sum() == pytest.approx(260)
    assert set(table["commune_code"]) == {"21553", "21583", "21622", "21628"}


def test_column_guesses_take_rates_and_population_by_name() -> None:
    from coverage.inputs.crosswalk import guess_legacy_columns

    rates, weight = guess_legacy_columns(["vneid_level2", "online_pct", "Tỷ lệ 4G", "pop_2024"])
    assert rates == ("online_pct", "Tỷ lệ 4G")
    assert weight == "pop_2024"
    assert guess_legacy_columns(["n"]) == ((), None)


@pytest.mark.realdata
def test_cli_lists_unmatched_rows_and_exits_1(tmp_path, real_settings) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "old.csv"
    _table([*GOOD, MISSPELT]).to_csv(source, index=False)
    out = tmp_path / "new.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "crosswalk",
            str(source),
            "--value-columns",
            "vneid_level2",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "4/5 dòng xã cũ" in run.stdout
    assert "old.csv: dòng 6, cột 'old_commune'" in run.stderr and "Phường Đống Đa" in run.stderr
    assert out.exists()
