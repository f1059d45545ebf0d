"""Every message of the catalogue says the same things in Vietnamese and English.

All ``coverage`` modules are imported first, so every catalogue they register is checked
(the app's, the reports', the inputs', the activity pages'...). A template names its
parameters with ``{name}``; a parameter given per language is written ``{name_vi}`` /
``{name_en}`` and counts as the same parameter.
"""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

import coverage
from coverage.text.i18n import CATALOG, LANGS


def _import_everything() -> None:
    for module in pkgutil.walk_packages(coverage.__path__, prefix="coverage."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)


def _fields(template: str, lang: str) -> set[str]:
    """Parameter names; ``x_vi`` in Vietnamese (``x_en`` in English) counts as ``x``, unless
    the template quotes both ``x_vi`` and ``x_en`` (two readings of one value)."""
    raw = {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field is not None
    }
    other = "en" if lang == "vi" else "vi"
    return {
        name.removesuffix(f"_{lang}")
        if name.endswith(f"_{lang}") and f"{name.removesuffix(f'_{lang}')}_{other}" not in raw
        else name
        for name in raw
    }


def test_catalogue_is_loaded_whole() -> None:
    _import_everything()
    assert len(CATALOG) > 500  # the app, reports, inputs, plans, activity...


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_has_both_languages_and_formats(lang: str) -> None:
    _import_everything()
    for key, texts in CATALOG.items():
        assert set(texts) == set(LANGS), key
        assert texts[lang].strip() or key.endswith((".sep", ".empty")), f"{key} is empty in {lang}"


def test_placeholders_are_the_same_in_vietnamese_and_english() -> None:
    _import_everything()
    mismatched = {
        key: (sorted(_fields(texts["vi"], "vi")), sorted(_fields(texts["en"], "en")))
        for key, texts in CATALOG.items()
        if _fields(texts["vi"], "vi") != _fields(texts["en"], "en")
    }
    assert not mismatched, mismatched


def test_placeholder_check_sees_a_missing_or_renamed_parameter() -> None:
    """The parity check can fail: formats, attributes and per-language names are read right."""
    assert _fields("{count:,} xã, {team.name} ({reason_vi})", "vi") == {"count", "team", "reason"}
    assert _fields("{count:,} communes ({reason_en})", "en") == {"count", "reason"}
    assert _fields("{x_vi} / {x_en}", "vi") == {"x_vi", "x_en"}  # both readings quoted
    assert _fields("{{literal}} {n}", "en") == {"n"}
