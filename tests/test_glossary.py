"""One word for each concept: every catalogue text, in both languages, keeps to the glossary."""

from __future__ import annotations

import importlib
import pkgutil

import coverage
from coverage.text.i18n import CATALOG
from coverage.text.screens import GLOSSARY, glossary_violations


def _load_every_catalogue() -> None:
    for module in pkgutil.walk_packages(coverage.__path__, prefix="coverage."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def test_no_catalogue_text_uses_a_variant_the_glossary_rules_out() -> None:
    _load_every_catalogue()
    assert len(CATALOG) > 400
    found = glossary_violations(CATALOG)
    assert found == [], "\n".join(
        f"{key} [{lang}] uses '{variant}': {text}" for key, lang, variant, text in found
    )


def test_the_glossary_words_are_the_ones_the_screens_use() -> None:
    _load_every_catalogue()
    every_vi = " ".join(texts["vi"] for texts in CATALOG.values()).casefold()
    every_en = " ".join(texts["en"] for texts in CATALOG.values()).casefold()
    for term in GLOSSARY:
        assert term.vi.casefold() in every_vi, term
        assert term.en.casefold() in every_en, term


def test_the_check_catches_the_legend_variant_of_the_issue() -> None:
    entries = {
        "x": {"vi": "Chỉ số số hoá là ước tính minh hoạ.", "en": "Underserved communes"},
        "y": {"vi": "Chỉ số kết nối (0–100)", "en": "Connectivity index"},
        "z": {"vi": "Chỉ số kết nối số (0–100)", "en": "Under-served"},
    }
    found = {(key, lang) for key, lang, _, _ in glossary_violations(entries)}  # type: ignore[arg-type]
    assert found == {("x", "vi"), ("x", "en"), ("y", "vi")}
