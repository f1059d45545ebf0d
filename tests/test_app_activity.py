"""The activity & progress page under AppTest: SAMPLE log on a fresh folder, a report typed in the
form changes the commune's progress, a target is stored with history."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_pages import access
from coverage import settings as cfg
from coverage.storage.activity_store import ActivityStore
from coverage.storage.store import open_store
from tests.test_app_pages import start

pytestmark = pytest.mark.realdata


def _row(at: object, code: str) -> dict[str, object]:
    for frame in at.dataframe:  # type: ignore[attr-defined]
        table = frame.value
        if "Mã xã" in table.columns and "Tiến độ" in table.columns:
            return dict(table[table["Mã xã"] == code].iloc[0])
    raise AssertionError("no progress table")


def test_fresh_folder_shows_sample_then_a_typed_report_changes_progress(data_dir: Path) -> None:
    at = start("activity")
    assert not at.exception, at.exception
    assert any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    assert (
        at.selectbox(key="act_from").value == "2026-W10"
        and at.selectbox(key="act_to").value == "2026-W13"
    )
    before = _row(at, "23938")
    team = next(o for o in at.selectbox(key="act_f_team").options if o.startswith("GL-"))
    teams = open_store(cfg.load_settings())  # noqa: F841  (the store exists)
    at.selectbox(key="act_f_team").set_value(_team_of(at, "23938"))
    at.selectbox(key="act_f_commune").set_value("23938")
    at.number_input(key="act_f_volunteers").set_value(6)
    at.number_input(key="act_f_hours").set_value(3.0)
    at.number_input(key="act_f_residents").set_value(240)
    at.number_input(key="act_f_vneid_level2").set_value(60)
    at.button(key="FormSubmitter:act_form-Lưu báo cáo").click().run()
    assert not at.exception, at.exception
    assert any("Đã lưu báo cáo" in s.value for s in at.success), [e.value for e in at.error]
    after = _row(at, "23938")
    assert after["Người được hỗ trợ"] > before["Người được hỗ trợ"]
    assert after["Tiến độ"] > before["Tiến độ"]
    stored = ActivityStore(open_store(cfg.load_settings())).current_reports("52")
    mine = stored[stored["source"] == "form"]
    # The signed-in account (here the local planner of a localhost app), never a typed name.
    assert len(mine) == 1 and mine["author"].iloc[0] == access.local_planner().username
    assert team


def _team_of(at: object, code: str) -> str:
    import pandas as pd

    roster = pd.read_csv(cfg.load_settings().sample_roster_path, dtype=str)
    return str(roster.loc[roster["commune_code"] == code, "team_id"].iloc[0])


def test_a_target_is_saved_with_history(data_dir: Path) -> None:
    at = start("activity")
    at.number_input(key="act_target_online").set_value(85.0)
    at.button(key="act_targets_save").click().run()
    assert not at.exception, at.exception
    targets = ActivityStore(open_store(cfg.load_settings())).targets("52")
    assert targets[targets["metric"] == "online_filing_share"]["value"].iloc[0] == pytest.approx(
        0.85
    )
    assert any("Đã lưu 1 chỉ tiêu" in s.value for s in at.success)


def test_suggestions_with_measured_throughput_say_which_rate(data_dir: Path) -> None:
    at = start("suggestions")
    assert any("giả định 1,5" in c.value for c in at.caption)
    at.toggle(key="sugg_measured").set_value(True).run()
    assert not at.exception, at.exception
    assert any("đo từ báo cáo" in i.value for i in at.info)
    at.radio(key="sugg_method").set_value("greedy")
    at.button(key="sugg_run").click().run()
    assert not at.exception, at.exception
    sites = next(f.value for f in at.dataframe if "Năng suất dùng cho xã" in f.value.columns)
    assert sites["Năng suất dùng cho xã"].str.contains("người/TNV-giờ").all()


def test_reports_page_adds_the_periodic_evaluation(data_dir: Path) -> None:
    at = start("reports")
    at.multiselect(key="rep_formats").set_value(["pptx"])
    at.checkbox(key="rep_with_progress").check().run()
    assert not at.exception, at.exception
    assert any("Kỳ đánh giá: 2026-W10..2026-W13" in c.value for c in at.caption)
    at.button(key="rep_make").click().run()
    assert not at.exception, at.exception
    import io

    from pptx import Presentation

    data = at.session_state["rep_files"]["files"][0][1]
    deck = Presentation(io.BytesIO(data))
    text = "\n".join(
        s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame
    )
    assert "Tiến độ so với chỉ tiêu — kỳ 2026-W10..2026-W13" in text


def test_measured_throughput_suggestions_use_the_interpreter_rate(data_dir: Path) -> None:
    """The planner's interpreter rate reaches the optimiser with measured throughput too."""
    found = {}
    for percent in (0, 100):
        at = start("suggestions")
        at.toggle(key="sugg_measured").set_value(True)
        at.slider(key="sugg_interpreter_rate").set_value(percent)
        at.number_input(key="sugg_count").set_value(3)
        at.radio(key="sugg_method").set_value("greedy")
        at.button(key="sugg_run").click().run()
        assert not at.exception, at.exception
        suggestion = at.session_state["suggestion.52"]
        assert suggestion.params["throughput"] == "measured"
        found[percent] = suggestion.result
    assert found[0].interpreter_rate == 0.0 and found[100].interpreter_rate == 1.0
    # Without interpreters nothing is credited for the minority-language share of need:
    # the same roster serves less, so the baseline and the credit differ.
    assert found[0].baseline_need_served < found[100].baseline_need_served
    assert found[0].need_served != found[100].need_served
