"""Tooltip HTML for communes, built from escaped file text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

from coverage.outputs.escape import html_text
from coverage.outputs.maps.scales import FLAGS, Metric, format_metric
from coverage.text.i18n import Lang, format_number, t
from coverage.text.population import population_figure

# ------------------------------------------------------------------------ text


def _is_true(value: object) -> bool:
    return (
        bool(value)
        if value is not None and not (isinstance(value, float) and math.isnan(value))
        else False
    )


def _kind_label(kind: object, lang: Lang) -> str:
    key = f"map.kind.{kind}"
    try:
        return t(key, lang)
    except KeyError:
        return html_text(kind)


def _tip(title: str, rows: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> str:
    """Build tooltip HTML; ``title``, row values and ``extra`` must be escaped already."""
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    tail = "".join(extra)
    return f'<div class="gl-title">{title}</div><table>{body}</table>{tail}'


def _commune_title(row: Mapping[str, Any], lang: Lang) -> str:
    if lang == "vi" and str(row.get("full_name") or ""):
        return html_text(row["full_name"])
    return html_text(row.get("name", row.get("code", "")))


def _commune_tip(row: Mapping[str, Any], metric: Metric, value: float, lang: Lang) -> str:
    rows: list[tuple[str, str]] = []
    if "kind" in row:
        rows.append((t("map.tip.kind", lang), _kind_label(row["kind"], lang)))
    if "population" in row:
        figure = population_figure(_float(row["population"]), row.get("population_source"), lang)
        rows.append((t("map.tip.population", lang), figure))
    if "area_km2" in row:
        area = format_number(_float(row["area_km2"]), lang, decimals=1)
        rows.append((t("map.tip.area", lang), f"{area} {t('map.unit.km2', lang)}"))
    rows.append((t(f"map.metric.{metric}", lang), format_metric(metric, value, lang=lang)))
    if metric != "density_per_km2" and "density_per_km2" in row:
        rows.append(
            (
                t("map.metric.density_per_km2", lang),
                format_metric("density_per_km2", _float(row["density_per_km2"]), lang=lang),
            )
        )
    flags = [
        t(f"map.flag.{flag}", lang)
        for flag in (*FLAGS, "is_language_gap")
        if _is_true(row.get(flag))
    ]
    extra = [f'<div class="gl-flag">{" · ".join(flags)}</div>'] if flags else []
    reason = row.get(f"reasons_{lang}")
    if reason is not None and html_text(reason):
        lines = "".join(
            f"<div>{html_text(part)}</div>" for part in str(reason).split("; ") if part.strip()
        )
        extra.append(f'<div class="gl-reasons">{lines}</div>')
    return _tip(_commune_title(row, lang), rows, extra)


def _float(value: object) -> float:
    try:
        return float(cast(Any, value))
    except (TypeError, ValueError):
        return float("nan")
