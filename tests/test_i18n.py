"""Translation catalogue and Vietnamese number formats."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest

from coverage.text.i18n import CATALOG, format_date, format_number, format_percent, register, t
from coverage.text.textnorm import fold


def test_vietnamese_and_english_number_formats() -> None:
    assert format_number(1_234_567) == "1.234.567"
    assert format_number(1_234_567, "en") == "1,234,567"
    assert format_number(4185.5, decimals=1) == "4.185,5"
    assert format_percent(0.125) == "12,5%"
    assert format_percent(0.125, "en") == "12.5%"
    assert format_number(-38.0) == "-38"
    assert format_number(float("nan")) == "–"
    assert format_date(dt.date(2026, 11, 22)) == "22/11/2026"


def test_every_key_has_both_languages() -> None:
    for key, value in CATALOG.items():
        assert set(value) == {"vi", "en"}, key


def test_register_refuses_duplicates_and_missing_languages() -> None:
    with pytest.raises(ValueError):
        register({"missing_column": {"vi": "x", "en": "y"}})
    with pytest.raises(ValueError):
        register({"test.only_vi": {"vi": "x"}})  # type: ignore[dict-item]
    assert t("missing_value", "en") == "value is empty"


@pytest.mark.parametrize("query", ["ia mo", "IA MƠ", "Ia  Mơ", "ia mơ"])
def test_search_key_ignores_diacritics_case_and_spacing(query: str) -> None:
    assert fold(query) == fold("Ia Mơ")


def test_d_with_stroke_folds_to_d() -> None:
    assert fold("Đak Pơ") == "dak po"


CATALOGUE_MODULES = (
    "coverage.commands.app",
    "coverage.optimize.deploy",
    "coverage.analysis.flags",
    "coverage.outputs.maps.build",
    "coverage.outputs.maps.export",
    "coverage.outputs.reports.content",
    "coverage.outputs.reports.rows",
    "coverage.outputs.staticmap.draw",
    "coverage.storage.store",
    "coverage.text.ui",
)
"""Every module that registers visible strings (imported so the whole catalogue is seen)."""


def test_the_under_served_flag_has_one_name_in_each_language() -> None:
    for module in CATALOGUE_MODULES:
        importlib.import_module(module)
    for key, value in CATALOG.items():
        assert "phục vụ đủ" not in value["vi"].lower(), key  # the flag is "thiếu hỗ trợ"
        assert not re.search(r"\bunderserved\b", value["en"], flags=re.IGNORECASE), (
            key
        )  # "under-served"
    for key in ("ui.field.underserved", "ui.status.underserved", "report.flag.underserved"):
        assert (CATALOG[key]["vi"], CATALOG[key]["en"]) == ("Thiếu hỗ trợ", "Under-served"), key
    assert (
        CATALOG["report.h.underserved"]["vi"]
        == CATALOG["ui.metric.underserved"]["vi"]
        == "Xã/phường thiếu hỗ trợ"
    )
