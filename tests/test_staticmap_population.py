"""Residents out of reach on the static maps (PNG, PDF, slides), on a hand-made case.

Five demand points no team reaches (one of them with nobody) and two reached ones, in the
three synthetic communes: the map draws one grey ~1 km square per unreached point with
residents, shaded by the interactive map's classes, with its legend key and the WorldPop
credit; with grid demand no squares are drawn and the sources say the residents were
spread evenly over each commune, an estimate.
"""

from __future__ import annotations

import dataclasses
import html
import io
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from coverage.outputs.maps_population import OUT_OF_REACH_COLOURS
from coverage.outputs.reports.content import ReportBundle
from coverage.outputs.reports.map_files import draw_report_map
from coverage.outputs.staticmap.model import map_style
from coverage.outputs.staticmap.population import CELL_SIDE_M, GID
from coverage.text.i18n import Lang, t
from tests.test_reports import make_bundle

# lat, lon, residents, reached: the unreached residents are 3, 12, 75 and 600 (classes 0,
# 1, 2 and 4 of the breaks 10/50/200/500), and one unreached point stands for nobody.
POINTS = [
    (14.05, 108.02, 3.0, False),
    (14.03, 108.05, 12.0, False),
    (14.06, 108.12, 75.0, False),
    (14.02, 108.25, 600.0, False),
    (14.08, 108.28, 0.0, False),
    (14.05, 108.05, 900.0, True),
    (14.05, 108.15, 40.0, True),
]


@dataclass(frozen=True)
class PopulationAnalysis:
    """Stands in for the analysis result: communes, the demand points and their source."""

    communes: gpd.GeoDataFrame
    demand: pd.DataFrame
    demand_source: str
    crs: Any = None


def bundle_with(source: str) -> ReportBundle:
    bundle = make_bundle()
    demand = pd.DataFrame(POINTS, columns=["lat", "lon", "population", "reached"])
    analysis = PopulationAnalysis(bundle.analysis.communes, demand, source)
    return dataclasses.replace(bundle, analysis=analysis)


def squares(fig: Any) -> list[Any]:
    return [c for ax in fig.axes for c in ax.collections if c.get_gid() == GID]


def texts(fig: Any) -> str:
    found = [text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(str(x) for x in found)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unreached_cells_are_drawn_as_shaded_squares_with_key_and_credit(lang: Lang) -> None:
    fig = draw_report_map(bundle_with("worldpop"), layout="a4", lang=lang)
    (drawn,) = squares(fig)
    # one square per unreached point with residents: 4 (the empty one and the reached not)
    assert len(drawn.get_paths()) == sum(1 for *_, p, r in POINTS if not r and p > 0) == 4
    expected = [OUT_OF_REACH_COLOURS[k] for k in (0, 1, 2, 4)]
    got = [tuple(round(v, 3) for v in rgba[:3]) for rgba in drawn.get_facecolors()]
    assert got == [tuple(round(v, 3) for v in to_rgba(c)[:3]) for c in expected]
    # each square is a 30 arc-second cell, about 0.93 km a side, in the map's metres
    side = drawn.get_paths()[0].vertices
    assert side[:, 0].max() - side[:, 0].min() == pytest.approx(CELL_SIDE_M)
    assert 900 < CELL_SIDE_M < 1000
    words = texts(fig)
    assert t("staticmap.legend.out_of_reach", lang) in words
    assert "WorldPop (www.worldpop.org), 2020, CC BY 4.0" in words


def png(bundle: ReportBundle) -> bytes:
    fig = draw_report_map(bundle, layout="slide", lang="vi")
    buffer = io.BytesIO()
    with map_style():
        fig.savefig(buffer, format="png", dpi=60, facecolor="white")
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_grid_demand_draws_no_squares_and_says_the_spread_is_an_estimate(lang: Lang) -> None:
    fig = draw_report_map(bundle_with("grid"), layout="a4", lang=lang)
    assert squares(fig) == []
    words = texts(fig)
    assert t("staticmap.legend.out_of_reach", lang) not in words
    assert "WorldPop" not in words
    assert t("credit.population.grid", lang) in words
    assert {"vi": "ước tính", "en": "estimate"}[lang] in t("credit.population.grid", lang)


def test_an_analysis_that_does_not_say_its_demand_source_draws_neither_line() -> None:
    words = texts(draw_report_map(make_bundle(), layout="a4", lang="vi"))
    assert t("credit.population.grid", "vi") not in words
    assert "WorldPop" not in words
    assert png(bundle_with("worldpop")) != png(make_bundle())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_map_draws_the_layer_from_cells_only_and_says_which(lang: Lang) -> None:
    """The exported HTML map follows the static maps: grid points are not drawn as cells."""
    from coverage.outputs.reports.map_files import map_html_document

    layer = t("map.layer.out_of_reach", lang)
    cells = map_html_document(bundle_with("worldpop"), lang=lang)
    assert layer in cells and "WorldPop (www.worldpop.org), 2020, CC BY 4.0" in cells
    grid = map_html_document(bundle_with("grid"), lang=lang)
    assert layer not in grid and "WorldPop" not in grid
    assert html.escape(t("credit.population.grid", lang)) in grid
