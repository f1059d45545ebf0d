"""The rows and sentences a report's tables show: figures, sites, moves, appendix, border pages."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coverage.analysis.headline import Headline
from coverage.outputs.reports.content import (
    ReportBundle,
    ScenarioComparison,
    border_communes,
    team_commune_shares,
    teams_reaching,
)
from coverage.outputs.reports.words import (
    code_words,
    coverage_text,
    flags_text,
    mode_label,
    number_text,
    population_text,
    reasons_text,
    signed_text,
)
from coverage.outputs.safe_output import display_name, printable, shorten
from coverage.text.i18n import Lang, format_number, format_percent, t
from coverage.text.textnorm import fold


def headline_rows(headline: Headline, lang: Lang) -> list[tuple[str, str]]:
    """Return the headline figures as (label, formatted value) pairs, in display order."""
    rows = [
        (t("report.h.communes", lang), format_number(headline.communes, lang)),
        (t("report.h.population", lang), format_number(headline.population, lang)),
        (t("report.h.teams", lang), format_number(headline.teams, lang)),
        (t("report.h.volunteers", lang), format_number(headline.volunteers, lang)),
    ]
    if headline.need_met_share is not None:
        rows.append((t("report.h.need_met", lang), format_percent(headline.need_met_share, lang)))
    if headline.population_in_reach_share is not None:
        rows.append(
            (t("report.h.in_reach", lang), format_percent(headline.population_in_reach_share, lang))
        )
    if headline.underserved is not None:
        rows.append((t("report.h.underserved", lang), format_number(headline.underserved, lang)))
    if headline.priority is not None:
        rows.append((t("report.h.priority", lang), format_number(headline.priority, lang)))
    return rows


def comparison_rows(comparison: ScenarioComparison, lang: Lang) -> list[tuple[str, str, str, str]]:
    """Return (measure, current, scenario, change) rows of a comparison, formatted."""
    b, a = comparison.before, comparison.after
    rows: list[tuple[str, str, str, str]] = []

    def count(label: str, x: int | None, y: int | None, *, lower_is_better: bool = False) -> None:
        if x is None or y is None:
            return
        rows.append(
            (label, format_number(x, lang), format_number(y, lang), signed_text(y - x, lang))
        )

    def share(label: str, x: float | None, y: float | None) -> None:
        if x is None or y is None:
            return
        points = (y - x) * 100
        unit = " điểm %" if lang == "vi" else " pp"
        rows.append(
            (
                label,
                format_percent(x, lang),
                format_percent(y, lang),
                signed_text(points, lang, decimals=1) + unit,
            )
        )

    count(t("report.h.teams", lang), b.teams, a.teams)
    count(t("report.h.volunteers", lang), b.volunteers, a.volunteers)
    share(t("report.h.need_met", lang), b.need_met_share, a.need_met_share)
    share(t("report.h.in_reach", lang), b.population_in_reach_share, a.population_in_reach_share)
    count(t("report.h.underserved", lang), b.underserved, a.underserved, lower_is_better=True)
    count(t("report.h.priority", lang), b.priority, a.priority, lower_is_better=True)
    return rows


def site_rows(bundle: ReportBundle, lang: Lang) -> list[dict[str, str]]:
    """Return the proposed sites as rows of formatted texts, numbered as on the map."""
    sites = bundle.sites
    names = dict(
        zip(bundle.communes["code"].astype(str), bundle.communes["name"].astype(str), strict=True)
    )
    rows = []
    for number, row in enumerate(sites.to_dict("records"), start=1):
        reached = row.get("newly_reached")
        codes = list(reached) if isinstance(reached, (list, tuple, np.ndarray)) else []
        reached_names = [display_name(names.get(str(c), str(c)), 40) for c in codes]
        flags = flags_text(row, lang)
        commune = display_name(
            row.get("commune_name") or names.get(str(row.get("commune_code")), "")
        )
        rows.append(
            {
                "no": str(number),
                "commune": commune + (f" ({flags})" if flags else ""),
                "need_served": number_text(row.get("need_served"), lang),
                "newly_reached": (f"{len(codes)}: " + ", ".join(reached_names)) if codes else "0",
                "newly_reached_count": format_number(len(codes), lang),
                "commune_short": display_name(commune, 30),
                "reason": reasons_text(row, lang, "reason"),
                "alternative": reasons_text(row, lang, "alternative"),
            }
        )
    return rows


def plan_status(bundle: ReportBundle, lang: Lang) -> str | None:
    """Return the plan's solution quality (and why it is infeasible), or None."""
    if bundle.plan is None:
        return None
    status = bundle.plan.status_vi if lang == "vi" else bundle.plan.status_en
    text = t("report.plan.status", lang, status=status) if status else None
    infeasible = str(getattr(bundle.plan, f"infeasible_{lang}", "") or "")
    if infeasible and text and infeasible not in text:
        text += " " + infeasible
    return text


def plan_total(bundle: ReportBundle, lang: Lang) -> str | None:
    """Return the need the plan serves in addition and the communes newly reached."""
    sites = bundle.sites
    if bundle.plan is None or sites.empty:
        return None
    # Residents helped in addition (raw), not the priority-weighted value the solver maximises.
    added = getattr(bundle.plan, "added_need_served", None)
    need = (
        float(added)
        if isinstance(added, (int, float)) and math.isfinite(added)
        else pd.to_numeric(sites.get("need_served", pd.Series(dtype=float)), errors="coerce").sum()
    )
    reached: set[str] = set()
    for value in sites.get("newly_reached", pd.Series(dtype=object)):
        if isinstance(value, (list, tuple, np.ndarray)):
            reached.update(str(v) for v in value)
    text = t(
        "report.plan.total",
        lang,
        need=format_number(float(need), lang),
        n=format_number(len(reached), lang),
    )
    return text.replace(" (resident-equivalent)", "") if lang == "vi" else text


def move_rows(comparison: ScenarioComparison, lang: Lang) -> list[list[str]]:
    """Rows (team, members, from, to) of a scenario's moves, header first."""
    rows = [
        [
            t("report.col.team", lang),
            t("report.col.members", lang),
            t("report.col.from", lang),
            t("report.col.to", lang),
        ]
    ]
    for row in comparison.moves.to_dict("records"):
        rows.append(
            [
                display_name(row["team_name"] or row["team_id"]),
                number_text(row.get("members"), lang),
                display_name(row["from_name"]),
                display_name(row["to_name"]),
            ]
        )
    return rows


def new_team_rows(comparison: ScenarioComparison, lang: Lang) -> list[list[str]]:
    """Rows (mark, team, commune, members, mode) of a scenario's new teams, header first."""
    rows = [
        [
            t("report.col.no", lang),
            t("report.col.team", lang),
            t("report.col.commune", lang),
            t("report.col.members", lang),
            t("report.col.mode", lang),
        ]
    ]
    mark = t("report.new_mark", lang)
    for n, row in enumerate(comparison.new_teams.to_dict("records"), start=1):
        rows.append(
            [
                f"{mark}{n}",
                display_name(row["team_name"] or row["team_id"]),
                display_name(row["commune_name"]),
                number_text(row.get("members"), lang),
                mode_label(row.get("mode"), lang),
            ]
        )
    return rows


def appendix_rows(
    communes: pd.DataFrame, lang: Lang
) -> tuple[list[str], list[list[str]], list[float]]:
    """Return the per-commune appendix (header, rows, column widths in mm), by name.

    With an analysis: population, density, need, coverage, teams in reach and flags;
    without: population, area and density.
    """
    frame = pd.DataFrame(communes.drop(columns="geometry", errors="ignore"))
    frame = frame.assign(_key=[fold(str(n)) for n in frame["name"]]).sort_values("_key")
    analysed = {"need", "coverage_ratio"} <= set(frame.columns)
    if analysed:
        header = [
            t("report.col.no", lang),
            t("report.col.commune", lang),
            t("report.col.population", lang),
            t("report.col.density", lang),
            t("report.col.need", lang),
            t("report.col.coverage", lang),
            t("report.col.teams_in_reach", lang),
            t("report.col.flags", lang),
        ]
        widths = [11.0, 30.0, 19.0, 22.0, 17.0, 18.0, 19.0, 0.0]
    else:
        header = [
            t("report.col.no", lang),
            t("report.col.commune", lang),
            t("report.col.population", lang),
            t("report.col.area", lang),
            t("report.col.density", lang),
        ]
        widths = [11.0, 50.0, 30.0, 30.0, 0.0]
    rows: list[list[str]] = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if analysed:
            flags = flags_text(row, lang)
            if bool(row.get("is_underserved", False)):
                flags = ", ".join(x for x in (t("report.flag.underserved", lang), flags) if x)
            rows.append(
                [
                    str(i),
                    display_name(row["name"]),
                    population_text(row, lang),
                    number_text(row.get("density_per_km2"), lang),
                    number_text(row.get("need"), lang),
                    coverage_text(row.get("coverage_ratio"), lang),
                    number_text(row.get("teams_in_reach"), lang),
                    flags,
                ]
            )
        else:
            rows.append(
                [
                    str(i),
                    display_name(row["name"]),
                    population_text(row, lang),
                    number_text(row.get("area_km2"), lang, 1),
                    number_text(row.get("density_per_km2"), lang),
                ]
            )
    return header, rows, widths


@dataclass(frozen=True)
class BorderPacket:
    """What a border commune's page and slide show (texts already in the reader's language)."""

    code: str
    name: str
    facts: list[tuple[str, str]]
    reasons: str
    teams: pd.DataFrame
    team_rows: list[list[str]]


def border_packets(bundle: ReportBundle, lang: Lang) -> list[BorderPacket]:
    """Return one packet per border commune, lowest coverage first.

    Each has the figures, the reasons and the teams in reach with members, skills and
    languages.
    """
    communes = border_communes(bundle.communes)
    if communes.empty:
        return []
    shares = team_commune_shares(bundle)
    names = dict(
        zip(bundle.communes["code"].astype(str), bundle.communes["name"].astype(str), strict=True)
    )
    packets = []
    for row in communes.to_dict("records"):
        code = str(row["code"])
        minority = _minority_pct(bundle, code)
        status = (
            t("report.status.underserved", lang)
            if bool(row.get("is_underserved", False))
            else t("report.status.served", lang)
        )
        flags = flags_text(row, lang)
        facts = [
            (t("report.packet.population", lang), population_text(row, lang)),
            (t("report.packet.need", lang), number_text(row.get("need"), lang)),
            (t("report.packet.coverage", lang), coverage_text(row.get("coverage_ratio"), lang)),
            (t("report.packet.status", lang), status + (f" ({flags})" if flags else "")),
            (
                t("report.packet.minority", lang),
                format_percent(minority / 100, lang, decimals=0)
                if minority is not None
                else t("report.unknown", lang),
            ),
        ]
        country = str(row.get("border_country") or "")
        if country and country != "nan":
            facts.append((t("report.packet.border_country", lang), _country(country, lang)))
        merged = str(row.get("merged_from") or "")
        facts.append(
            (
                t("report.packet.merged", lang),
                shorten(printable(merged), 300)
                if merged and merged != "nan"
                else t("report.unknown", lang),
            )
        )
        teams = teams_reaching(bundle, code, shares=shares)
        team_rows = []
        for team in teams.to_dict("records"):
            team_rows.append(
                [
                    display_name(team.get("team_name") or team.get("team_id"), 50),
                    display_name(
                        names.get(str(team.get("commune_code")), str(team.get("commune_code"))), 30
                    ),
                    number_text(team.get("members"), lang),
                    mode_label(team.get("mode"), lang),
                    code_words(team.get("skills"), "report.skill.", lang),
                    code_words(team.get("languages"), "report.language.", lang),
                ]
            )
        packets.append(
            BorderPacket(
                code=code,
                name=display_name(row.get("name", "")),
                facts=facts,
                reasons=reasons_text(row, lang),
                teams=teams,
                team_rows=team_rows,
            )
        )
    return packets


def _minority_pct(bundle: ReportBundle, code: str) -> float | None:
    indicators = bundle.inputs.indicators
    if indicators is None or "ethnic_minority_pct" not in indicators.columns:
        return None
    row = indicators[indicators["commune_code"].astype(str) == str(code)]
    if row.empty:
        return None
    value = pd.to_numeric(row["ethnic_minority_pct"], errors="coerce").iloc[0]
    return None if pd.isna(value) else float(value)


_COUNTRIES = {
    "KHM": ("Campuchia", "Cambodia"),
    "LAO": ("Lào", "Laos"),
    "CHN": ("Trung Quốc", "China"),
}


def _country(value: str, lang: Lang) -> str:
    words = _COUNTRIES.get(value.upper())
    return (words[0] if lang == "vi" else words[1]) if words else value


def team_header(lang: Lang) -> list[str]:
    """Return the header of the tables of teams in reach."""
    return [
        t("report.col.team", lang),
        t("report.col.home", lang),
        t("report.col.members", lang),
        t("report.col.mode", lang),
        t("report.col.skills", lang),
        t("report.col.languages", lang),
    ]


__all__ = [
    "BorderPacket",
    "appendix_rows",
    "border_packets",
    "comparison_rows",
    "headline_rows",
    "move_rows",
    "new_team_rows",
    "plan_status",
    "plan_total",
    "site_rows",
    "team_header",
]
