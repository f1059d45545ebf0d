"""Map furniture: scale bar, north arrow and legend panel."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle

from coverage.outputs.staticmap.artists import _wrap
from coverage.outputs.staticmap.model import _NO_DATA, _Classes
from coverage.outputs.staticmap.population import key_handler
from coverage.text.i18n import Lang, format_number, t


def _nice_length_m(width_m: float) -> float:
    target = width_m * 0.16
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if km * 1000 >= target:
            return km * 1000.0
    return 1000_000.0


def _scale_bar(
    panel: Any,
    fig: Figure,
    ax: Any,
    extent: tuple[float, float, float, float],
    base_pt: float,
    lang: Lang,
) -> None:
    """Return a true scale bar in the legend panel (bottom left), measured on the map axes."""
    xmin, _, xmax, _ = extent
    width = xmax - xmin
    length = _nice_length_m(width)
    map_w_in = ax.get_position().width * fig.get_figwidth()
    panel_w_in = panel.get_position().width * fig.get_figwidth()
    panel_h_in = panel.get_position().height * fig.get_figheight()
    bar_w = (length / width) * map_w_in / panel_w_in  # panel fraction
    x0, y0 = 0.02, 0.035
    bar_h = base_pt * 0.45 / 72 / panel_h_in
    half = bar_w / 2
    for i, colour in enumerate(("#222222", "white", "#222222", "white")):
        panel.add_patch(
            Rectangle(
                (x0 + i * half / 2, y0),
                half / 2,
                bar_h,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.6,
                transform=panel.transAxes,
                clip_on=False,
                zorder=11,
            )
        )
    km = length / 1000
    for pos, value in ((0.0, 0.0), (half, km / 2), (bar_w, km)):
        label = format_number(value, lang, decimals=0 if float(value).is_integer() else 1)
        panel.text(
            x0 + pos,
            y0 + bar_h * 1.6,
            label + (" km" if pos == bar_w else ""),
            ha="center",
            va="bottom",
            fontsize=base_pt * 0.8,
            transform=panel.transAxes,
            clip_on=False,
            zorder=12,
        )


def _north_arrow(panel: Any, base_pt: float, lang: Lang) -> None:
    """North arrow in the legend panel, right of the scale bar (the map is drawn north up)."""
    x, y = 0.86, 0.035
    panel.add_patch(
        FancyArrow(
            x,
            y,
            0,
            0.07,
            width=0.018,
            head_width=0.05,
            head_length=0.03,
            length_includes_head=True,
            transform=panel.transAxes,
            facecolor="#222222",
            edgecolor="#222222",
            zorder=11,
            clip_on=False,
        )
    )
    panel.text(
        x,
        y + 0.075,
        t("staticmap.north", lang),
        transform=panel.transAxes,
        ha="center",
        va="bottom",
        fontsize=base_pt * 1.1,
        fontweight="bold",
        zorder=12,
    )


def _legend_panel(
    panel: Any,
    fig: Figure,
    *,
    classes: _Classes,
    metric: str,
    has_no_data: bool,
    flag_handles: list[Any],
    point_handles: list[Any],
    notice: str | None,
    subtitle: str | None,
    base_pt: float,
    lang: Lang,
    renderer: Any,
    population: tuple[str, tuple[Patch, ...], str] | None = None,
) -> None:
    """Fill the legend panel: colour classes, outlines, residents out of reach, points, notice.

    ``population`` is the key of the residents-out-of-reach squares (title, one patch per
    grey, label), shown in one row after the outlines; ``None`` leaves it out.
    """
    fill_handles = [
        Patch(facecolor=c, edgecolor="#999999", linewidth=0.4, label=lab)
        for c, lab in zip(classes.colors, classes.labels, strict=False)
    ]
    if has_no_data:
        fill_handles.append(
            Patch(
                facecolor=_NO_DATA,
                edgecolor="#999999",
                linewidth=0.4,
                label=t("staticmap.legend.no_data", lang),
            )
        )
    y = 1.0
    if subtitle:
        txt = panel.text(
            0.0,
            y,
            subtitle,
            transform=panel.transAxes,
            fontsize=base_pt * 1.05,
            va="top",
            ha="left",
            color="#333333",
        )
        y -= _height_axes(txt, panel, renderer) + 0.02
    key = f"staticmap.legend.{metric}"
    legends = [
        (t(key, lang) if key in _legend_keys() else metric, fill_handles),
        (
            t("staticmap.legend.flags", lang),
            [
                *flag_handles,
                Line2D(
                    [],
                    [],
                    color="#222222",
                    linewidth=base_pt * 0.14,
                    label=t("staticmap.legend.province", lang),
                ),
            ],
        ),
    ]
    # title, handles, their labels, options of this legend only
    keys: list[tuple[str, list[Any], list[str], dict[str, Any]]] = [
        (title, handles, [h.get_label() for h in handles], {}) for title, handles in legends
    ]
    if population is not None:
        population_title, patches, label = population
        wide = {"handler_map": key_handler(), "handlelength": 4.4}  # the five greys side by side
        keys.append((population_title, [patches], [label], wide))
    if point_handles:
        keys.append(("", point_handles, [h.get_label() for h in point_handles], {}))
    for title, handles, labels, options in keys:
        leg = Legend(
            panel,
            handles,
            labels,
            title=title or None,
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            frameon=False,
            fontsize=base_pt * 1.0,
            title_fontsize=base_pt * 1.08,
            alignment="left",
            borderaxespad=0.0,
            handleheight=1.1,
            labelspacing=0.45,
            **{"handlelength": 2.2, **options},
        )
        leg.get_title().set_fontweight("bold")
        panel.add_artist(leg)
        y -= _height_axes(leg, panel, renderer) + 0.035
    if notice:
        width_in = panel.get_position().width * fig.get_figwidth()
        lines = _wrap(notice, width_in * 0.9, base_pt * 0.95)
        panel.text(
            0.0,
            y - 0.01,
            "\n".join(lines),
            transform=panel.transAxes,
            fontsize=base_pt * 0.95,
            va="top",
            ha="left",
            color="#7a1d00",
            linespacing=1.3,
            bbox={"facecolor": "#fff3e0", "edgecolor": "#e08a3c", "boxstyle": "round,pad=0.5"},
        )


def _legend_keys() -> set[str]:
    return {
        f"staticmap.legend.{m}"
        for m in (
            "coverage_ratio",
            "density_per_km2",
            "need",
            "connectivity_index",
            "volunteers_per_1000",
        )
    }


def _height_axes(artist: Any, panel: Any, renderer: Any) -> float:
    bb = artist.get_window_extent(renderer)
    return float(bb.height / panel.get_window_extent(renderer).height)
