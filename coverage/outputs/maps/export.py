"""The map as one self-contained HTML document, and the commune table beside it."""

from __future__ import annotations

import base64
import re

import folium
import numpy as np
import pandas as pd

from coverage.outputs.maps.scales import (
    FLAGS,
    available_metrics,
    metric_values,
)
from coverage.outputs.maps.tooltips import _is_true, _kind_label
from coverage.text.i18n import Lang, t

# ----------------------------------------------------------------------- export

_DATA_SCRIPT = re.compile(
    r'<script src="data:text/javascript;charset=utf-8;base64,([A-Za-z0-9+/=]+)"></script>'
)
_DATA_STYLE = re.compile(
    r'<link rel="stylesheet" href="data:text/css;charset=utf-8;base64,([A-Za-z0-9+/=]+)"/>'
)


def map_html(m: folium.Map) -> str:
    """Return the map as one self-contained HTML document.

    Leaflet's code and stylesheet are inlined; the document makes no request to the
    internet (tiles excepted, if the map was built with ``tiles``). Render a freshly
    built map: ``st_folium`` renames a map's elements when it shows it.

    Returns
    -------
    str
        ``<!DOCTYPE html>`` document, UTF-8, ``lang`` set to the map's language.
    """
    document = str(m.get_root().render())

    def script(match: re.Match[str]) -> str:
        code = base64.b64decode(match.group(1)).decode("utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + base64.b64decode(match.group(1)).decode("utf-8") + "</style>"

    document = _DATA_SCRIPT.sub(script, document)
    document = _DATA_STYLE.sub(style, document)
    lang = getattr(m, "_coverage_lang", "vi")
    document = document.replace("<html>", f'<html lang="{lang}">', 1)
    return document.replace("<head>", '<head>\n<meta charset="utf-8">', 1)


def commune_table(communes: pd.DataFrame, *, lang: Lang = "vi") -> pd.DataFrame:
    """Return the numbers the map shows per commune, as a table for the UI.

    Columns (translated): name, type, population, area (km²), density and, when
    present, need, coverage and connectivity. Values stay numeric for sorting.
    """
    headers = {
        "vi": {
            "code": "Mã",
            "name": "Xã/phường",
            "kind": "Loại",
            "population": "Dân số",
            "area_km2": "Diện tích (km²)",
        },
        "en": {
            "code": "Code",
            "name": "Commune",
            "kind": "Type",
            "population": "Population",
            "area_km2": "Area (km²)",
        },
    }[lang]
    table = pd.DataFrame(
        {
            headers["code"]: communes["code"].astype(str).to_numpy(),
            headers["name"]: communes["name"].astype(str).to_numpy(),
        }
    )
    if "kind" in communes.columns:
        table[headers["kind"]] = [_kind_label(k, lang) for k in communes["kind"]]
    if "population" in communes.columns:
        table[headers["population"]] = pd.to_numeric(
            communes["population"], errors="coerce"
        ).to_numpy()
    if "area_km2" in communes.columns:
        table[headers["area_km2"]] = (
            pd.to_numeric(communes["area_km2"], errors="coerce").round(1).to_numpy()
        )
    for metric in available_metrics(communes):
        values = metric_values(communes, metric)
        table[t(f"map.metric.{metric}", lang)] = np.round(
            values, 0 if metric == "density_per_km2" else 2
        )
    for flag in FLAGS:
        if flag in communes.columns:
            table[t(f"map.flag.{flag}", lang)] = communes[flag].map(_is_true).to_numpy()
    return table
