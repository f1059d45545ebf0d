"""The commune panel: one commune's numbers, flags, reasons and reaching teams."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import coverage.text.population  # noqa: F401  (registers the population words)
import coverage.text.screens  # noqa: F401  (registers the "screens." catalogue)
import coverage.text.ui  # noqa: F401  (registers the "ui." catalogue)
from app_pages.state import inputs, lang, tr
from app_pages.widgets import (
    commune_names,
    coverage_text,
    flag_text,
    markdown_text,
    show_table,
)
from coverage import planning
from coverage.text.i18n import format_number, format_percent
from coverage.text.population import population_figure
from coverage.text.screens import language_name

# ---------------------------------------------------------------- commune panel


def commune_numbers(
    row: Mapping[str, Any], about: planning.CommuneFacts | None = None
) -> pd.DataFrame:
    """One commune's numbers as (item, value) text rows in the chosen language.

    With ``about`` (:func:`commune_facts`), the rows also give the ethnic-minority share,
    the teams based in the commune and the nearest team based outside it.
    """
    language = lang()

    def num(value: Any, decimals: int = 0) -> str:
        return format_number(None if value is None else float(value), language, decimals=decimals)

    kind = str(row.get("kind", ""))
    try:
        kind_text = tr(f"map.kind.{kind}")
    except KeyError:
        kind_text = kind
    items = [
        ("ui.field.code", str(row.get("code", ""))),
        ("ui.field.kind", kind_text),
        (
            "ui.field.population",
            population_figure(row.get("population"), row.get("population_source"), language),
        ),
        ("ui.field.area", num(row.get("area_km2"), 1)),
        ("ui.field.density", num(row.get("density_per_km2"))),
        ("ui.field.need", num(row.get("need"))),
        ("ui.field.capacity", num(row.get("capacity"), 1)),
        ("ui.field.coverage", coverage_text(row.get("coverage_ratio"))),
        ("ui.field.teams_in_reach", num(row.get("teams_in_reach"))),
        ("ui.field.out_of_reach", num(row.get("residents_out_of_reach"))),
        ("ui.field.nearest_km", num(row.get("nearest_team_km"), 1)),
        ("ui.field.per_1000", num(row.get("volunteers_per_1000"), 2)),
        ("ui.field.connectivity", num(row.get("connectivity_index"))),
    ]
    if about is not None:
        names = commune_names()
        minority = (
            format_percent(about.minority_pct / 100.0, language)
            if np.isfinite(about.minority_pct)
            else tr("screens.panel.unknown")
        )
        outside = (
            tr(
                "screens.panel.nearest_outside_value",
                km=num(about.nearest_outside_km, 1),
                team=about.nearest_outside_team,
                commune=names.get(about.nearest_outside_commune, about.nearest_outside_commune),
            )
            if np.isfinite(about.nearest_outside_km)
            else tr("screens.panel.none")
        )
        # The mean distance to the nearest team counts a team based here too: say so.
        items = [
            (("screens.panel.nearest_any", value) if key == "ui.field.nearest_km" else (key, value))
            for key, value in items
        ]
        at = [k for k, _ in items].index("screens.panel.nearest_any")
        items[at:at] = [
            (
                "screens.panel.based_here",
                "; ".join(about.teams_based_here) or tr("screens.panel.none"),
            ),
            ("screens.panel.nearest_outside", outside),
        ]
        items.append(("screens.panel.minority", minority))
    if "minority_languages" in row:
        items.append(
            (
                "language.field.languages",
                planning.display_languages(
                    str(row.get("minority_languages") or ""),
                    estimated=bool(row.get("languages_estimated")),
                    lang=language,
                ),
            )
        )
        if bool(row.get("is_language_gap")):
            items.append(("language.field.gap_residents", num(row.get("language_gap_residents"))))
    return pd.DataFrame(
        {
            tr("ui.field.item"): [tr(k) for k, _ in items],
            tr("ui.field.value"): [v for _, v in items],
        }
    )


def commune_facts(result: planning.AnalysisResult, code: str) -> planning.CommuneFacts:
    """Languages, capacity sharing and nearest outside team of a commune (a few ms; not cached)."""
    return planning.commune_facts(result, code, indicators=inputs().indicators)


def languages_text(codes: tuple[str, ...] | list[str]) -> str:
    """Language codes in words, in the chosen language ("Tiếng Việt, Tiếng Jrai (Gia Rai)")."""
    return ", ".join(language_name(code, lang()) for code in codes)


def sharing_sentence(about: planning.CommuneFacts, name: str) -> str:
    """How the capacity of the teams in reach is shared, in one sentence (plain text)."""
    language = lang()
    if not about.teams:
        return tr("screens.panel.sharing_none", name=name)
    return tr(
        "screens.panel.sharing",
        teams=format_number(len(about.teams), language),
        volunteers=format_number(about.volunteers_in_reach, language),
        name=name,
        equivalent=format_number(about.volunteer_equivalent, language, decimals=1),
        capacity=format_number(about.capacity_per_week, language, decimals=1),
    )


def team_share_table(about: planning.CommuneFacts) -> pd.DataFrame:
    """Return the teams in reach, their languages and the share of capacity this commune gets."""
    names = commune_names()
    language = lang()
    return pd.DataFrame(
        {
            tr("ui.field.team_name"): [s.team_name for s in about.teams],
            tr("ui.field.team_commune"): [
                names.get(s.commune_code, s.commune_code) for s in about.teams
            ],
            tr("ui.field.members"): [s.members for s in about.teams],
            tr("screens.panel.languages_col"): [languages_text(s.languages) for s in about.teams],
            tr("screens.panel.share"): [format_percent(s.share, language) for s in about.teams],
            tr("screens.panel.reaches"): [s.communes_in_reach for s in about.teams],
        }
    )


def show_commune_panel(
    result: planning.AnalysisResult, code: str, *, key: str, compact: bool = False
) -> None:
    """Show a commune's numbers, flags, reasons, reaching teams and pre-merger units."""
    rows = result.communes[result.communes["code"].astype(str) == str(code)]
    if rows.empty:
        st.info(tr("ui.commune.none"))
        return
    row = rows.iloc[0].to_dict()
    about = commune_facts(result, str(code))
    title = str(row.get("full_name") or row.get("name"))
    st.subheader(markdown_text(title), anchor=False)
    st.markdown(f"**{tr('ui.commune.flags')}:** {markdown_text(flag_text(row))}")
    st.markdown(f"**{tr('ui.commune.reasons')}**")
    reasons = [r for r in str(row.get(f"reasons_{lang()}") or "").split("; ") if r.strip()]
    if reasons:
        st.markdown("\n".join(f"- {markdown_text(r)}" for r in reasons))
    else:
        st.caption(tr("ui.commune.no_reasons"))
    # one wrapped HTML table: long labels and marked figures are read in full
    show_table(commune_numbers(row, about))
    st.markdown(f"**{tr('ui.commune.teams_reaching')}**")
    st.markdown(markdown_text(sharing_sentence(about, title)))
    if about.teams:
        st.markdown(
            f"**{tr('screens.panel.languages')}:** "
            f"{markdown_text(languages_text(about.languages) or tr('screens.panel.none'))}"
        )
        st.dataframe(team_share_table(about), hide_index=True, width="stretch", key=f"{key}.teams")
    else:
        st.caption(tr("ui.commune.no_teams_reaching"))
    units = [u.strip() for u in str(row.get("merged_from") or "").split(",") if u.strip()]
    if compact and len(units) > 6:
        units = units[:6] + ["…"]
    st.markdown(f"**{tr('ui.commune.merged_from')}**")
    if units:
        st.markdown("\n".join(f"- {markdown_text(u)}" for u in units))
    else:
        st.caption(tr("ui.commune.merged_none"))
