"""The language-gap layer of the interactive map: hatched communes, legend key, tooltip words.

On the four hand-made squares of :mod:`tests.test_maps`; one commune with a language gap
has a hostile name and reason, which must reach the tooltip escaped.
"""

from __future__ import annotations

import re

import pytest

from coverage.outputs.maps.build import build_map
from coverage.outputs.maps.export import map_html
from coverage.outputs.maps.language_gap import HATCH_STYLE, LanguageGapLayer
from coverage.text.i18n import Lang, t
from tests.test_maps import HOSTILE, layers, legend_of, style_of, tiny_communes


def gap_communes() -> object:
    communes = tiny_communes(
        is_language_gap=[False, True, False, True],
        reasons_vi=["", "4.600 người dân chủ yếu nói tiếng Jrai; không đội nào …", "", HOSTILE],
        reasons_en=["", "4,600 residents mainly speak Jrai; no team in reach …", "", HOSTILE],
    )
    communes.loc[3, "name"] = HOSTILE
    communes.loc[3, "full_name"] = HOSTILE
    return communes


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_language_gap_communes_are_hatched_with_a_key(lang: Lang) -> None:
    m = build_map(gap_communes(), lang=lang)
    name = t("map.flag.is_language_gap", lang)
    layer = layers(m)[name]
    assert isinstance(layer, LanguageGapLayer)
    assert layer.codes == ["00002", "00004"] and layer.show  # on when the map opens
    assert HATCH_STYLE["fillColor"] == "url(#gl-hatch-language)"
    assert t("map.legend.language_gap", lang) in legend_of(m)
    tips = style_of(m).tips
    assert name in tips["00002"] and name not in tips["00001"]
    assert "mainly speak Jrai" in tips["00002"] or "chủ yếu nói tiếng Jrai" in tips["00002"]


def test_hostile_name_and_reason_are_escaped_and_layer_draws_offline() -> None:
    m = build_map(gap_communes(), lang="vi")
    html = map_html(m)
    assert "<img src=x" not in html and "</script>`" not in html
    assert "&lt;img src=x" in style_of(m).tips["00004"]
    assert "gl-hatch-language" in html and "glFlagLayer" in html
    assert not re.search(r"""(src=|url\()["']?https?://""", html)  # nothing fetched


def test_no_layer_without_the_flag_or_without_a_gap() -> None:
    plain = build_map(tiny_communes(), lang="en")
    none = build_map(tiny_communes(is_language_gap=[False] * 4), lang="en")
    for m in (plain, none):
        assert "Language gap" not in layers(m)
        assert "Language gap" not in legend_of(m)
