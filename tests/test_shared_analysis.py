"""One analysis per input revision shared by every session, never changed by one of them.

:func:`coverage.planning.analyze_shared` computes an analysis once per key for the whole
process and hands each caller a copy-on-write view. These tests check that a caller's
writes stay in its own view, that callers asking at once share one computation, and, with
two app sessions (AppTest) on one data folder, that a planner's unsaved edit is not seen
by the other planner while a saved edit reaches the other planner's next run.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from coverage import planning
from coverage import settings as cfg
from coverage.analysis import shared
from coverage.storage.store import open_store
from tests.conftest import GiaLai
from tests.test_app_pages import metrics, sample_figures, save_preview, start, vi

pytestmark = pytest.mark.realdata
NEED_MET = "Nhu cầu được đáp ứng"


@pytest.fixture
def gia_lai_inputs(gia_lai: GiaLai) -> planning.Inputs:
    """The session's Gia Lai inputs (read only: conftest checks they stay unchanged)."""
    return gia_lai.inputs


def test_a_view_written_to_leaves_the_shared_analysis_unchanged(
    gia_lai_inputs: planning.Inputs,
) -> None:
    shared.clear_shared()
    key = ("test", "gia lai", "written")
    first = planning.analyze_shared(gia_lai_inputs, key=key)
    before = first.communes["coverage_ratio"].to_numpy().copy()
    first.communes.loc[:, "coverage_ratio"] = -1.0  # a careless page writes into its result
    first.communes["extra"] = 1
    first.teams.loc[first.teams.index[0], "members"] = 999
    second = planning.analyze_shared(gia_lai_inputs, key=key)
    assert second is not first and shared.shared_count() == 1
    np.testing.assert_array_equal(second.communes["coverage_ratio"].to_numpy(), before)
    assert "extra" not in second.communes.columns
    assert second.teams["members"].iloc[0] != 999
    with pytest.raises(ValueError, match="read-only"):  # the reach matrix is shared as read-only
        second.reach.cost.data[0] = 0.0
    assert second.reach.covers.nnz == second.reach.cost.nnz  # derived arrays are the caller's own


def test_callers_at_once_share_one_computation(gia_lai_inputs: planning.Inputs) -> None:
    shared.clear_shared()
    calls: list[int] = []
    result = planning.analyze(gia_lai_inputs)

    def compute() -> planning.AnalysisResult:
        calls.append(1)
        threading.Event().wait(0.3)  # long enough for every caller to arrive first
        return result

    got: list[planning.AnalysisResult] = []
    threads = [
        threading.Thread(target=lambda: got.append(shared.shared_analysis(("at once",), compute)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(got) == 5
    assert len({id(r.communes) for r in got}) == 5  # a view each


def test_another_roster_is_another_analysis(gia_lai_inputs: planning.Inputs) -> None:
    shared.clear_shared()
    fewer = gia_lai_inputs.teams.iloc[:-20]
    whole = planning.analyze_shared(gia_lai_inputs, key=("roster", "whole"))
    part = planning.analyze_shared(replace(gia_lai_inputs, teams=fewer), key=("roster", "fewer"))
    assert len(whole.teams) == len(gia_lai_inputs.teams) and len(part.teams) == len(fewer)
    assert shared.shared_count() == 2


def test_unsaved_edit_stays_in_its_session_and_a_saved_one_reaches_the_others(
    data_dir: Path, gia_lai: GiaLai
) -> None:
    count = sample_figures(gia_lai)[0]
    teams = vi(count)
    editor, other = start("teams"), start()
    assert metrics(other)["Đội hình"] == teams
    need_met = metrics(other)[NEED_MET]  # from the analysis (the teams count is the roster's)
    editor.selectbox(key="teams_add_commune_0").set_value("23938")
    editor.text_input(key="teams_add_name_0").input("Đội Ia Mơ")
    editor.button(key="teams_add_submit").click().run()
    assert not editor.exception  # previewed (analysed with one team more), not saved
    other.run()
    assert metrics(other)["Đội hình"] == teams  # the other planner does not see an unsaved edit
    assert metrics(other)[NEED_MET] == need_met
    save_preview(editor)
    assert open_store(cfg.load_settings()).load_roster("52") is not None
    other.run()  # the other planner's next run analyses the saved roster
    assert not other.exception
    assert metrics(other)["Đội hình"] == vi(count + 1)
    assert metrics(other)[NEED_MET] != need_met  # the shared analysis of the saved roster
    editor.switch_page("app_pages/map_overview.py").run()
    assert metrics(editor) == metrics(other)
