"""Language-aware service: the factor, the language-gap flag, ``--languages``; numbers by hand.

The rule (coverage.analysis.need, "Language"): a team credits a commune where a share ``m_l`` of
the need mainly speaks language ``l`` with ``1 - (1 - r) * sum_l m_l * (1 - speaks_l)``
times what it would credit otherwise (``r`` the interpreter rate, 0.5 by default).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from coverage import settings as cfg
from coverage.analysis.analyze import AnalysisParams, AnalysisResult, analyze_coverage
from coverage.analysis.flags import LandBorder
from coverage.analysis.languages import display_languages
from coverage.analysis.need import CapacityParams, LanguageNeed, language_factor, share_by_need
from coverage.cli import main
from coverage.commands.plan import languages_unknown_note
from coverage.errors import InputError
from coverage.inputs.languages import (
    MINORITY_LANGUAGES,
    estimate_minority_languages,
    language_key,
    new_team_languages,
)
from coverage.inputs.validation import validate_indicators
from coverage.optimize.credit import site_shares
from coverage.optimize.deploy import suggest_sites
from coverage.optimize.plan import roster_with_plan
from coverage.planning import Inputs, load_inputs
from tests.synthetic import strip_with_languages, two_far_communes_for_languages
from tests.test_plan_consistency import check_plan

# ---------------------------------------------------------------- the factor


def test_factor_by_hand() -> None:
    # one commune, 60% Jrai: a Jrai speaker gives 1, a team without one 1 - 0.5 * 0.6 = 0.7
    speaks = np.array([[True], [False]])
    assert language_factor(
        speaks, np.array([[0.6]]), interpreter_rate=0.5
    ).ravel() == pytest.approx([1.0, 0.7])
    # 30% Jrai + 30% Bahnar, a team speaking only Jrai: 1 - 0.5 * 0.3 = 0.85; neither: 0.7
    both = np.array([[0.3, 0.3]])
    got = language_factor(np.array([[True, False], [False, False]]), both, interpreter_rate=0.5)
    assert got.ravel() == pytest.approx([0.85, 0.7])
    # rate 1: the language makes no difference; rate 0: only speakers help that share
    assert language_factor(
        np.array([[False]]), np.array([[0.6]]), interpreter_rate=1.0
    ).ravel() == pytest.approx([1.0])
    assert language_factor(
        np.array([[False]]), np.array([[0.6]]), interpreter_rate=0.0
    ).ravel() == pytest.approx([0.4])


def test_sharing_keeps_hours_by_need_and_scales_what_they_credit() -> None:
    # one team of 60 reaching two points of need 1 and 3: hours go 1/4 and 3/4 (15 and 45);
    # the second point's residents speak a language the team lacks (factor 0.7): 45 x 0.7 = 31.5
    covers = sparse.csr_array(np.array([[1, 1]]))
    factor = sparse.csr_array(np.array([[1.0, 0.7]]))
    shared = share_by_need(covers, np.array([60.0]), np.array([1.0, 3.0]), factor=factor)
    assert shared.credited == pytest.approx([15.0, 31.5])
    assert shared.used == pytest.approx([46.5])
    assert shared.reached_need == pytest.approx([4.0])


def test_optimiser_shares_are_the_analysis_shares() -> None:
    # points (need 1, 3) in groups 0 and 1; factor of the column's class 1 is (1, 0.7)
    reach = sparse.csr_matrix(np.array([[1], [1]], dtype=bool))
    membership = sparse.csr_matrix(np.eye(2))
    table = np.array([[1.0, 1.0], [1.0, 0.7]])
    share, _ = site_shares(reach, np.array([1.0, 3.0]), membership, factor=table, column_class=1)
    assert share.toarray().ravel() == pytest.approx(
        [0.25, 0.525]
    )  # 60 x (0.25, 0.525) = (15, 31.5)


# ---------------------------------------------------------------- the indicator column


def _indicator_table(cells: list[str]) -> pd.DataFrame:
    n = len(cells)
    return pd.DataFrame(
        {
            "commune_code": ["23938", "23995", "00001"][:n],
            "adult_share_pct": ["70"] * n,
            "smartphone_adult_pct": ["80"] * n,
            "fixed_broadband_household_pct": ["50"] * n,
            "mobile_4g_population_pct": ["90"] * n,
            "vneid_level2_adult_pct": ["60"] * n,
            "online_filing_pct": ["40"] * n,
            "ethnic_minority_pct": ["60"] * n,
            "minority_languages": cells,
        }
    )


def test_language_names_match_spellings_nfc_nfd_and_without_diacritics() -> None:
    from tests.synthetic import three_communes

    nfd = unicodedata.normalize("NFD", "Gia Rai; BA NA")
    frame, problems = validate_indicators(
        _indicator_table([nfd, "Jơ Rai", ""]), three_communes(), file="chi_so.csv"
    )
    assert problems == []
    assert frame["minority_languages"].tolist() == ["jrai;bahnar", "jrai", ""]
    assert language_key("H'rê") == "hre" and language_key("tiếng Ba Na") == "bahnar"


def test_languages_of_other_provinces_are_named_and_validated() -> None:
    """A Lào Cai, An Giang or Đắk Lắk table names its own languages; they are not 'unknown'."""
    from tests.synthetic import three_communes

    frame, problems = validate_indicators(
        _indicator_table(["Mông; Dao", "Khơ-me", "Ê Đê;M'Nông"]), three_communes(), file="f.csv"
    )
    assert problems == []
    assert frame["minority_languages"].tolist() == ["hmong;dao", "khmer", "ede;mnong"]
    spellings = {"H'Mông": "hmong", "tiếng Thái": "thai", "Tày": "tay", "Cơ Ho": "co_ho"}
    assert {name: language_key(name) for name in spellings} == spellings
    assert new_team_languages(["Xtiêng", "Bru - Vân Kiều"]) == ("stieng", "bru_van_kieu")


def test_every_screen_report_and_sentence_names_a_language_from_one_list() -> None:
    """The pickers, the edit history, the reports and the reasons agree on every name."""
    from coverage.inputs.languages import LANGUAGE_ALIASES, MINORITY_LANGUAGES
    from coverage.inputs.validation import KNOWN_LANGUAGES
    from coverage.text import edits, reports  # noqa: F401  (register their words)
    from coverage.text.i18n import t
    from coverage.text.screens import language_name

    assert KNOWN_LANGUAGES == ("vi", *MINORITY_LANGUAGES) and MINORITY_LANGUAGES[-1] == "other"
    assert MINORITY_LANGUAGES[:2] == ("jrai", "bahnar")  # Gia Lai's first in the pickers
    assert len(MINORITY_LANGUAGES) >= 30
    for code in KNOWN_LANGUAGES:
        for lang in ("vi", "en"):
            title = language_name(code, lang)
            assert title == t(f"edits.language.{code}", lang) and title != code
            sentence = t(f"language.in_sentence.{code}", lang)
            if code != "other":
                assert t(f"report.language.{code}", lang) == sentence
                assert title.lower().startswith(sentence.lower())  # "Tiếng Jrai (Gia Rai)"
        assert code == "vi" or LANGUAGE_ALIASES[code.replace("_", "")] == code


def test_unknown_language_names_file_row_column_value_and_fix() -> None:
    from tests.synthetic import three_communes

    _, problems = validate_indicators(
        _indicator_table(["jrai", "jray;bahnar", "tiếng Việt"]), three_communes(), file="chi_so.csv"
    )
    codes = {(p.code, p.row, p.column, p.value) for p in problems}
    assert codes == {
        ("unknown_language", 3, "minority_languages", "jray"),
        ("not_minority_language", 4, "minority_languages", "tiếng Việt"),
    }
    unknown = next(p for p in problems if p.code == "unknown_language")
    en, vi = unknown.message("en"), unknown.message("vi")
    assert "chi_so.csv" in en and "row 3" in en and "minority_languages" in en and "jray" in en
    assert "did you mean 'jrai'" in en and "jrai;bahnar" in en
    assert "dòng 3" in vi and "có phải là 'jrai'" in vi


def test_cli_refuses_an_unknown_language_with_the_closest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(InputError) as caught:
        new_team_languages(["Gia Rai", "banhar"])
    assert "did you mean 'bahnar'" in caught.value.problems[0].message("en")
    assert new_team_languages(["Gia Rai; ba na", "jrai"]) == ("jrai", "bahnar")


# ---------------------------------------------------------------- the analysis: factor and flag


def _analyse(inputs: Inputs, **capacity: float) -> AnalysisResult:
    params = AnalysisParams(capacity=CapacityParams(**capacity))
    return analyze_coverage(inputs, params=params, land_border=LandBorder.none())


def test_capacity_in_a_jrai_commune_is_scaled_only_without_a_speaker() -> None:
    plain = _analyse(strip_with_languages(team_languages=(("vi", "jrai"), ("vi", "jrai"))))
    without = _analyse(strip_with_languages(team_languages=(("vi",), ("vi",))))
    one_speaker = _analyse(strip_with_languages(team_languages=(("vi",), ("vi", "jrai"))))
    hai = plain.communes.index[plain.communes["code"] == "00002"][0]
    mot = plain.communes.index[plain.communes["code"] == "00001"][0]
    # Hai: 60% of its need speaks Jrai; without a speaker every team credits 1 - 0.5 x 0.6 = 0.7
    assert without.communes.at[hai, "capacity"] == pytest.approx(
        0.7 * plain.communes.at[hai, "capacity"]
    )
    assert without.communes.at[hai, "coverage_ratio"] == pytest.approx(
        0.7 * plain.communes.at[hai, "coverage_ratio"]
    )
    # Một lists no minority language: nothing changes there
    assert without.communes.at[mot, "capacity"] == pytest.approx(plain.communes.at[mot, "capacity"])
    # only T2 reaches Hai (T1 is fixed, 5 km of travel): a Jrai speaker in T2 is all it takes
    assert int(plain.communes.at[hai, "teams_in_reach"]) == 1
    assert one_speaker.communes.at[hai, "capacity"] == pytest.approx(
        plain.communes.at[hai, "capacity"]
    )
    # the interpreter rate is a setting: at 100% the language makes no difference
    assert _analyse(strip_with_languages(), interpreter_rate=1.0).communes.at[
        hai, "capacity"
    ] == pytest.approx(plain.communes.at[hai, "capacity"])


def test_language_gap_flag_and_its_reason_by_hand() -> None:
    result = _analyse(strip_with_languages(team_languages=(("vi",), ("vi",))))
    row = result.communes.set_index("code").loc["00002"]
    # 5,000 residents x 60% = 3,000 mainly speak Jrai; no team in reach speaks it
    assert bool(row["is_language_gap"]) and row["language_gap_languages"] == "jrai"
    assert int(row["language_gap_residents"]) == 3000
    assert (
        "3,000 residents mainly speak Jrai; no team in reach has a Jrai speaker "
        "(through an interpreter, helping them goes at 50% of the usual rate)"
    ) in row["reasons_en"]
    assert (
        "3.000 người dân chủ yếu nói tiếng Jrai; "
        "không đội nào trong tầm với có người nói tiếng Jrai" in row["reasons_vi"]
    )
    assert "ESTIMATE" not in row["reasons_en"]  # an uploaded table, not the estimate
    assert not result.communes.set_index("code").loc[["00001", "00003"], "is_language_gap"].any()
    # a Jrai speaker in T2 (which reaches Hai) lifts the flag
    spoken = _analyse(strip_with_languages(team_languages=(("vi",), ("vi", "Gia Rai"))))
    assert not spoken.communes.set_index("code").at["00002", "is_language_gap"]


def test_languages_outside_gia_lai_read_unknown_not_none() -> None:
    # Đắk Lắk (66) with the estimate: the rule is Gia Lai's only, so a blank is "unknown",
    # labelled, and the CLI says so; before, it read "none" beside an 80% minority share.
    base = strip_with_languages()
    outside = replace(
        base,
        communes=base.communes.assign(province_code="66"),
        indicators=base.indicators.drop(columns="minority_languages"),
        indicators_is_estimate=True,
    )
    communes = _analyse(outside).communes
    assert communes["minority_languages"].tolist() == ["", "", ""]
    assert communes["languages_estimated"].all() and not communes["is_language_gap"].any()
    assert display_languages("", estimated=True, lang="en") == (
        "unknown (the ESTIMATE covers only Gia Lai)"
    )
    note = languages_unknown_note(communes, "en")
    assert note.startswith("Main minority languages are unknown for 3 communes")
    assert "covers only Gia Lai" in note
    # an uploaded table's blank cells still mean none (no note)
    uploaded = _analyse(replace(base, communes=base.communes.assign(province_code="66")))
    row = uploaded.communes.set_index("code").loc["00001"]
    assert row["minority_languages"] == "" and not row["languages_estimated"]
    assert languages_unknown_note(uploaded.communes, "en") == ""


@pytest.mark.realdata
def test_cli_outside_gia_lai_says_the_estimate_covers_only_gia_lai(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--lang", "en", "plan", "--province", "Đắk Lắk", "--new-teams", "3"]
    assert main([*args, "--languages", "jrai", "--method", "greedy"]) == 0
    out = capsys.readouterr().out
    assert "New teams speak: Jrai" in out
    assert "unknown for 102 communes: the ILLUSTRATIVE ESTIMATE covers only Gia Lai" in out


# ---------------------------------------------------------------- --languages in plans


def test_languages_choose_the_language_need_site_by_hand() -> None:
    inputs = two_far_communes_for_languages()
    analysis = _analyse(inputs)
    need = analysis.communes.set_index("code")["need"]
    # need = population x 0.7 x 0.6 x (0.4 + 0.5 x 0.2) x (1 + 0.5 x 0.2) = 0.231 x population
    assert need.to_dict() == pytest.approx({"00001": 1155.0, "00003": 1201.2})
    # one new team: 10 members x 4 h x 1.5 residents/h x 26 weeks = 1,560 over the horizon.
    # Speaking nothing, it credits Ba 1,560 x (1 - 0.5 x 0.8) = 936: value 600.6 + 0.25 x 335.4
    # = 684.45 < 0.625 x 1,155 = 721.9 in Một, so it goes to Một ...
    plain = suggest_sites(analysis, new_teams=1, team_size=10, weekly_hours=4.0)
    assert plain.sites["commune_code"].tolist() == ["00001"]
    assert plain.added == pytest.approx(0.625 * 1155.0 * 1.5)  # x 1.5: no team reached it before
    # ... speaking Jrai, it credits Ba in full: 0.625 x 1,201.2 = 750.75 > 721.9, so Ba
    jrai = suggest_sites(analysis, new_teams=1, team_size=10, weekly_hours=4.0, languages=("jrai",))
    site = jrai.sites.iloc[0]
    assert site["commune_code"] == "00003" and site["languages"] == "jrai"
    assert jrai.added == pytest.approx(0.625 * 1201.2 * 1.5)
    # what Jrai adds there: 1,560 x (1 - 0.6 / 1) = 624 residents over the horizon
    assert site["language_extra"] == pytest.approx(624.0)
    assert (
        "chosen also for its language need: about 4,200 residents of Ba mainly speak Jrai "
        "and no team in reach spoke it; a team that speaks Jrai helps about 624 more residents"
    ) in site["reason_en"]
    assert "chọn cả vì nhu cầu ngôn ngữ" in site["reason_vi"]
    # the roster with the plan carries the language, and analysing it gives the plan's coverage
    roster = roster_with_plan(inputs.teams, jrai, team_size=10, weekly_hours=4.0)
    assert roster["languages"].tolist() == [("jrai",)]
    check_plan(inputs, analysis, jrai, team_size=10, weekly_hours=4.0)


@pytest.mark.parametrize(
    "options",
    [
        {"new_teams": 2, "team_size": 10, "languages": ("jrai",)},
        {"new_teams": 1, "team_size": 10, "relocate": 1},
        {"new_teams": 0, "relocate": 2, "keep_reached": False},
    ],
)
def test_plans_with_languages_are_what_the_analysis_gives(options: dict[str, object]) -> None:
    inputs = strip_with_languages(team_languages=(("vi", "jrai"), ("vi",)))
    analysis = _analyse(inputs)
    plan = suggest_sites(analysis, **options)  # type: ignore[arg-type]
    check_plan(inputs, analysis, plan, team_size=int(options.get("team_size", 15)))  # type: ignore[call-overload]


def test_interpreter_rate_is_part_of_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    analysis = _analyse(two_far_communes_for_languages(), interpreter_rate=1.0)
    plan = suggest_sites(analysis, new_teams=1, team_size=10, weekly_hours=4.0)
    # at 100% the language makes no difference: the bigger need (Ba) wins
    assert plan.sites["commune_code"].tolist() == ["00003"] and plan.interpreter_rate == 1.0


# ------------------------------------------------------- Gia Lai with the labelled estimate


@pytest.fixture(scope="module")
def gia_lai(real_settings: cfg.Settings) -> tuple[Inputs, AnalysisResult]:
    inputs = load_inputs(real_settings, province=cfg.DEFAULT_PROVINCE)
    return inputs, analyze_coverage(inputs, settings=real_settings)


@pytest.mark.realdata
def test_gia_lai_estimate_rule(gia_lai: tuple[Inputs, AnalysisResult]) -> None:
    inputs, analysis = gia_lai
    communes = analysis.communes.set_index("name")
    languages = communes["minority_languages"]
    assert languages["Ia Mơ"] == "jrai" and languages["Ia Púch"] == "jrai"  # west, Cambodian border
    assert languages["Kbang"] == "bahnar" and languages["Kông Chro"] in ("", "bahnar")  # north-east
    assert (
        languages["An Toàn"] == "hre" and languages["Vân Canh"] == "bahnar"
    )  # former Bình Định mountains
    assert languages["Quy Nhơn"] == "" and languages["Pleiku"] == ""  # coast and towns
    listed = analysis.communes["minority_languages"] != ""
    assert analysis.communes.loc[listed, "languages_estimated"].all()  # labelled everywhere
    # the rule on its own gives what the analysis uses
    pct = inputs.indicators.set_index("commune_code").reindex(inputs.communes["code"])[
        "ethnic_minority_pct"
    ]
    assert (
        estimate_minority_languages(inputs.communes, pct.to_numpy())
        == analysis.communes["minority_languages"].tolist()
    )


@pytest.mark.realdata
def test_gia_lai_language_gaps_are_flagged_with_the_estimate_label(
    gia_lai: tuple[Inputs, AnalysisResult],
) -> None:
    _, analysis = gia_lai
    gaps = analysis.communes[analysis.communes["is_language_gap"]]
    assert len(gaps) >= 1
    assert gaps["reasons_en"].str.contains("mainly speak").all()
    assert gaps["reasons_en"].str.contains("ESTIMATE").all()
    assert gaps["reasons_vi"].str.contains("ƯỚC TÍNH").all()
    assert (gaps["language_gap_residents"] >= 200).all()


@pytest.mark.realdata
def test_gia_lai_jrai_teams_help_more_and_say_why(gia_lai: tuple[Inputs, AnalysisResult]) -> None:
    inputs, analysis = gia_lai
    plain = suggest_sites(analysis, new_teams=5)
    jrai = suggest_sites(analysis, new_teams=5, languages=("jrai",))
    assert jrai.status == "optimal" and jrai.added_need_served > plain.added_need_served
    assert jrai.sites["reason_en"].str.contains("chosen also for its language").any()
    assert (jrai.sites["language_extra"] > 0).any()
    check_plan(inputs, analysis, jrai)


@pytest.mark.realdata
def test_gia_lai_cli_plan_with_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--lang",
                "en",
                "plan",
                "--new-teams",
                "3",
                "--languages",
                "Gia Rai",
                "--interpreter-rate",
                "40",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "New teams speak: Jrai" in out and "at 40% of the usual rate" in out
    assert "chosen also for its language" in out
    assert main(["plan", "--new-teams", "3", "--languages", "jray"]) == 2
    assert "jray" in capsys.readouterr().err


def test_new_teams_without_languages_speak_none() -> None:
    assert LanguageNeed.none(2).speaks([("jrai",)]).shape == (1, 0)
    inputs = two_far_communes_for_languages()
    plan = suggest_sites(_analyse(inputs), new_teams=1, team_size=10, weekly_hours=4.0)
    assert plan.new_team_languages == () and plan.sites["languages"].tolist() == [""]
    assert replace(plan).sites["language_extra"].tolist() == [0.0]


def test_the_data_readmes_list_every_accepted_language() -> None:
    from pathlib import Path

    from coverage.inputs.validation import KNOWN_LANGUAGES

    folder = Path(__file__).resolve().parents[1] / "data"
    for readme in ("indicators/README.md", "teams/README.md"):
        text = (folder / readme).read_text(encoding="utf-8")
        missing = [code for code in KNOWN_LANGUAGES if f"`{code}`" not in text]
        assert missing == [] or missing == ["vi"] and readme.startswith("indicators"), readme


def test_language_pickers_can_be_searched_without_diacritics() -> None:
    """Streamlit filters picker options on their letters: the code beside the name finds it."""
    from coverage.text.screens import language_picker_label

    assert language_picker_label("hmong", "vi") == "Tiếng H'Mông (Mông) · hmong"
    assert language_picker_label("ede", "en") == "Ede (Rade) · ede"
    assert language_picker_label("Katu dialect", "vi") == "Katu dialect"  # kept as written


def test_pickers_list_the_provinces_own_languages_first() -> None:
    """A Lào Cai table naming Mông and Dao puts them first, most speakers first; 'other' last."""
    from coverage.planning import ordered_languages, province_languages
    from tests.synthetic import strip_with_languages

    base = strip_with_languages()
    # residents by language: Một 20,000 x 10% Dao = 2,000; Hai 5,000 x 60%, split equally
    # between Mông and Dao = 1,500 each; Ba 3,000 x 90% Mông = 2,700
    table = base.indicators.assign(
        ethnic_minority_pct=[10.0, 60.0, 90.0], minority_languages=["dao", "hmong;dao", "hmong"]
    )
    inputs = replace(base, indicators=table)
    assert inputs.communes["population"].tolist() == [20_000, 5_000, 3_000]
    assert province_languages(inputs) == ("hmong", "dao")  # 4,200 against 3,500
    choices = ordered_languages(province_languages(inputs))
    assert choices[:2] == ["hmong", "dao"] and choices[-1] == "other"
    assert sorted(choices) == sorted(MINORITY_LANGUAGES)  # nothing lost, nothing repeated
    # a province whose table names none (the estimate outside Gia Lai): the country's order
    outside = replace(
        base,
        communes=base.communes.assign(province_code="10"),
        indicators=base.indicators.drop(columns="minority_languages"),
        indicators_is_estimate=True,
    )
    assert province_languages(outside) == ()
    assert ordered_languages(()) == list(MINORITY_LANGUAGES)
    assert ordered_languages(["other", "xyz", "thai"])[:1] == ["thai"]


def test_team_language_options_keep_vietnamese_first_and_codes_the_roster_uses() -> None:
    from app_pages.team_edits import language_options

    teams = pd.DataFrame({"languages": ["vi;jrai", "vi;Katu dialect"]})
    options = language_options(teams, ("hmong", "thai"))
    assert options[:3] == ["vi", "hmong", "thai"]
    assert options[-2:] == ["other", "Katu dialect"]
    assert len(options) == len(set(options)) == len(MINORITY_LANGUAGES) + 2


@pytest.mark.realdata
def test_gia_lai_pickers_start_with_its_languages(gia_lai: tuple[Inputs, AnalysisResult]) -> None:
    from coverage.planning import province_languages

    inputs, _ = gia_lai
    assert set(province_languages(inputs)) == {"jrai", "bahnar", "hre"}
