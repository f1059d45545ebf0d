"""Messages about the population raster (:mod:`coverage.inputs.population`), vi and en."""

from __future__ import annotations

import numpy as np

from coverage.text.i18n import CATALOG, Lang, format_number, register, t

POPULATION_TEXT: dict[str, dict[Lang, str]] = {
    "population.no_crs": {
        "vi": "tệp dân số dạng lưới (raster) không khai báo hệ toạ độ",
        "en": "the population raster declares no coordinate reference system",
    },
    "population.no_crs.fix": {
        "vi": "Dùng tệp GeoTIFF có hệ toạ độ (ví dụ EPSG:4326), như tệp WorldPop gốc.",
        "en": "Use a GeoTIFF with a CRS (for example EPSG:4326), as the original WorldPop file.",
    },
    "population.unreadable": {
        "vi": "không đọc được tệp dân số dạng lưới",
        "en": "the population raster cannot be read",
    },
    "population.unreadable.fix": {
        "vi": "Kiểm tra tệp là GeoTIFF một lớp ({reason}); chạy lại 'make data' để chép bản gốc.",
        "en": "Check that it is a single-band GeoTIFF ({reason}); run 'make data' to copy the "
        "original again.",
    },
    "population.empty": {
        "vi": "tệp dân số dạng lưới không có ô nào có số liệu trong vùng này",
        "en": "the population raster has no cell with a value over this area",
    },
    "population.empty.fix": {
        "vi": "Dùng tệp dân số phủ Việt Nam (WorldPop); không có tệp thì phân tích dùng lưới đều.",
        "en": "Use a population raster covering Vietnam (WorldPop); without one the analysis "
        "uses its even grid.",
    },
    # ---- maps, reports and the app
    "map.layer.out_of_reach": {
        "vi": "Dân cư ngoài tầm với của các đội",
        "en": "Residents out of reach of every team",
    },
    "map.out_of_reach.unit": {"vi": "người", "en": "residents"},
    "credit.population": {
        "vi": "Phân bố dân cư: WorldPop (www.worldpop.org), 2020, CC BY 4.0",
        "en": "Population distribution: WorldPop (www.worldpop.org), 2020, CC BY 4.0",
    },
    "credit.population.grid": {
        "vi": "Dân cư giả định trải đều trong mỗi xã (ước tính: chưa có tệp phân bố dân cư)",
        "en": "Residents assumed evenly spread within each commune (estimate: no population "
        "raster)",
    },
    "ui.field.out_of_reach": {
        "vi": "Dân cư ngoài tầm với (người)",
        "en": "Residents out of reach",
    },
    "population.figure.worldpop_estimate": {
        "vi": "≈ {population} (ước tính WorldPop)",
        "en": "≈ {population} (WorldPop estimate)",
    },
    "population.figure.missing": {"vi": "chưa rõ", "en": "unknown"},
    "population.source.official": {"vi": "dữ liệu xã", "en": "commune data"},
    "population.source.worldpop_estimate": {
        "vi": "ước tính WorldPop 2020",
        "en": "WorldPop 2020 estimate",
    },
    "population.source.missing": {"vi": "không có số liệu", "en": "no figure"},
}


def population_figure(value: object, source: object, lang: Lang = "vi") -> str:
    """Write a commune's population as the screens show it, marked when not the data's own.

    ``source`` is the commune's ``population_source``
    (:func:`coverage.inputs.datasets.fill_missing_population`): an estimate reads
    "≈ 28.539 (ước tính WorldPop)", a missing figure "chưa rõ"; anything else the number.
    """
    number = float(value) if isinstance(value, (int, float, np.number)) else None
    if source == "missing":
        return t("population.figure.missing", lang)
    text = format_number(number, lang)
    if source == "worldpop_estimate":
        return t("population.figure.worldpop_estimate", lang, population=text)
    return text


def demand_note(demand_source: str, lang: Lang = "vi") -> str:
    """Return the line a map or report carries about where residents were placed.

    ``demand_source`` is the analysis's
    (:attr:`coverage.analysis.analyze.AnalysisResult.demand_source`): ``worldpop`` gives the
    credit CC BY 4.0 asks for wherever the raster is used; ``grid`` says the residents were
    spread evenly over each commune, an estimate labelled as one; anything else gives ''.
    """
    if demand_source == "worldpop":
        return t("credit.population", lang)
    if demand_source == "grid":
        return t("credit.population.grid", lang)
    return ""


if "population.no_crs" not in CATALOG:
    register(POPULATION_TEXT)
