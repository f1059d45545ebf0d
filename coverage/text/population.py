"""Messages about the population raster (:mod:`coverage.inputs.population`), vi and en."""

from __future__ import annotations

from coverage.text.i18n import CATALOG, Lang, register

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
    "ui.field.out_of_reach": {
        "vi": "Dân cư ngoài tầm với (người)",
        "en": "Residents out of reach",
    },
}

if "population.no_crs" not in CATALOG:
    register(POPULATION_TEXT)
