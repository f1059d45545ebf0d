"""The plan's sentences beyond the sites: language need served, notes, moved teams."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from coverage.optimize.instance import DeploymentInstance
from coverage.optimize.plan import MOVE_COLUMNS
from coverage.optimize.results import DeploymentSolution
from coverage.text.i18n import LANGS, Lang, format_number, format_percent, t
from coverage.text.plan import format_points

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult


def commune_names(indices: Sequence[int] | np.ndarray, names: np.ndarray, *, most: int = 5) -> str:
    """Return up to ``most`` commune names, with an ellipsis when there are more."""
    shown = [str(names[i]) for i in list(indices)[:most]]
    return ", ".join(shown) + (", …" if len(indices) > most else "")


def coverage_share(credit: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Coverage as the analysis computes it: credit / need (1 where there is no need)."""
    out: np.ndarray = np.divide(credit, need, out=np.ones(len(need)), where=need > 0)
    return out


@dataclass(frozen=True)
class LanguageNeedServed:
    """Why a site was chosen for its language need: the communes, languages and numbers."""

    communes: tuple[int, ...]
    languages: tuple[str, ...]
    residents: float
    extra: float
    gap: bool
    estimated: bool = False

    def sentence(self, names: np.ndarray, lang: Lang) -> str:
        """Say why the site was chosen for its language need, in ``lang``."""
        from coverage.analysis.languages import language_words, rounded_residents

        words = ", ".join(language_words(k, lang) for k in self.languages)
        key = "language.plan.reason" if self.gap else "language.plan.reason_speakers"
        text = t(
            key,
            lang,
            residents=format_number(rounded_residents(self.residents), lang),
            names=commune_names(list(self.communes), names, most=3),
            language=words,
            extra=format_number(self.extra, lang),
        )
        return t("language.reason.estimated", lang, text=text) if self.estimated else text


def language_need_served(
    analysis: AnalysisResult,
    inst: DeploymentInstance,
    credit: np.ndarray,
    served: np.ndarray,
    need_served: float,
) -> LanguageNeedServed | None:
    """Return what a new team's languages add where residents mainly speak them, if noticeable.

    ``extra`` is the need it helps (over the horizon) beyond what a team speaking none of
    them would help at the same site: ``credit[g] * (1 - plain_factor[g] / new_factor[g])``
    summed over the communes it serves whose residents mainly speak one of its languages.
    Said only when it is at least 1% of what the team helps (and half a resident);
    ``gap`` when in one of them no team in reach spoke it before (the language-gap flag).
    """
    if not inst.languages or inst.new_factor is None or inst.plain_factor is None:
        return None
    communes = analysis.communes.reset_index(drop=True)
    if "minority_languages" not in communes.columns:
        return None
    listed = communes["minority_languages"].astype(str).to_numpy()
    gap = communes["language_gap_languages"].astype(str).to_numpy()
    wanted = set(inst.languages)
    relevant = [int(c) for c in served if wanted & set(listed[c].split(";"))]
    if not relevant:
        return None
    extra = float(
        sum(
            credit[c] * (1.0 - inst.plain_factor[c] / inst.new_factor[c])
            for c in relevant
            if inst.new_factor[c] > 0
        )
    )
    if extra < max(0.5, 0.01 * need_served):
        return None
    index = {k: i for i, k in enumerate(analysis.language_need.languages)}
    population = communes["population"].to_numpy(dtype=float)
    used = [
        k for k in inst.languages if k in index and any(k in listed[c].split(";") for c in relevant)
    ]
    residents = float(
        sum(
            population[c] * analysis.language_need.share[c, index[k]]
            for c in relevant
            for k in used
        )
    )
    had_gap = any(wanted & set(gap[c].split(";")) for c in relevant)
    estimated = (
        bool(communes["languages_estimated"].to_numpy(dtype=bool)[relevant].any())
        if "languages_estimated" in communes.columns
        else False
    )
    return LanguageNeedServed(tuple(relevant), tuple(used), residents, extra, had_gap, estimated)


def plan_notes(
    inst: DeploymentInstance,
    sol: DeploymentSolution,
    *,
    names: np.ndarray,
    require_border: bool,
    border_min_coverage: float,
    keep_reached: bool,
    relocate: int,
    unguarded: DeploymentSolution | None,
) -> dict[str, tuple[str, ...]]:
    """Say what the options guarantee, and what they cost, in plain words."""
    model = inst.model
    out: dict[str, list[str]] = {"vi": [], "en": []}
    if sol.status == "infeasible":
        return {"vi": (), "en": ()}
    border = inst.border_communes
    before = coverage_share(sol.baseline_credit, model.group_need)
    after = coverage_share(sol.credit, model.group_need)
    ratio = inst.threshold_ratio
    lost = np.flatnonzero((sol.teams_in_reach <= 0) & (sol.baseline_teams_in_reach > 0))
    for lg in LANGS:
        lang = lg
        if require_border and len(border):
            out[lang].append(t("plan.note.border_reach", lg))
            if (sol.baseline_teams_in_reach[border] > 0).all():
                out[lang].append(t("plan.note.border_already", lg, count=len(border)))
        if (require_border or border_min_coverage > 0) and len(border):
            low = border[after[border] < ratio]
            threshold = format_percent(ratio, lg, decimals=0)
            if len(low):
                items = ", ".join(
                    f"{names[c]} {format_percent(after[c], lg, decimals=0)}" for c in low
                )
                out[lang].append(
                    t(
                        "plan.note.border_below",
                        lg,
                        count=len(low),
                        threshold=threshold,
                        items=items,
                    )
                )
            else:
                out[lang].append(t("plan.note.border_all_above", lg, threshold=threshold))
        if border_min_coverage > 0 and len(border):
            c = int(border[np.argmin(after[border])])
            out[lang].append(
                t(
                    "plan.note.border_min",
                    lg,
                    min=format_percent(border_min_coverage, lg, decimals=0),
                    name=names[c],
                    lowest=format_percent(after[c], lg, decimals=1),
                )
            )
        if relocate > 0 and (model.existing_mode >= 0).any():
            if keep_reached:
                out[lang].append(t("plan.note.keep_reached", lg))
                if unguarded is not None:
                    cut = np.flatnonzero(
                        (unguarded.teams_in_reach <= 0) & (unguarded.baseline_teams_in_reach > 0)
                    )
                    cost = unguarded.added - sol.added
                    if cost <= 1e-6 * max(1.0, abs(sol.added)) or len(cut) == 0:
                        out[lang].append(
                            t(
                                "plan.note.keep_cost_none",
                                lg,
                                value=format_number(max(unguarded.added, sol.added), lg),
                            )
                        )
                    else:
                        out[lang].append(
                            t(
                                "plan.note.keep_cost",
                                lg,
                                with_value=format_number(sol.added, lg),
                                without_value=format_number(unguarded.added, lg),
                                cost=format_number(cost, lg),
                                count=len(cut),
                                names=commune_names(cut, names),
                            )
                        )
            else:
                out[lang].append(t("plan.note.keep_lifted", lg))
        if len(lost):
            out[lang].append(
                t("plan.note.left_unreached", lg, count=len(lost), names=commune_names(lost, names))
            )
    del before
    return {lang: tuple(v) for lang, v in out.items()}


def moves_table(
    analysis: AnalysisResult,
    inst: DeploymentInstance,
    sol: DeploymentSolution,
    codes: np.ndarray,
    names: np.ndarray,
) -> pd.DataFrame:
    """Return the table of moved teams (:data:`MOVE_COLUMNS`) with a sentence each."""
    moved = np.flatnonzero(sol.moved_to >= 0)
    if len(moved) == 0:
        return pd.DataFrame(columns=list(MOVE_COLUMNS))
    teams = analysis.teams.reset_index(drop=True)
    model = inst.model
    before = coverage_share(sol.baseline_credit, model.group_need)
    after = coverage_share(sol.credit, model.group_need)
    index_of = {c: i for i, c in enumerate(codes)}
    rows = []
    for e in moved:
        j = int(sol.moved_to[e])
        to = int(cast(int, inst.candidates.at[j, "commune_index"]))
        home = index_of.get(str(teams.at[e, "commune_code"]), -1)
        record: dict[str, Any] = {
            "team_id": str(teams.at[e, "team_id"]),
            "team_name": str(teams.at[e, "team_name"]) if "team_name" in teams.columns else "",
            "members": int(cast(int, teams.at[e, "members"])),
            "mode": str(teams.at[e, "mode"]),
            "from_code": str(teams.at[e, "commune_code"]),
            "from_name": str(names[home]) if home >= 0 else "",
            "to_code": str(codes[to]),
            "to_name": str(names[to]),
            "lon": float(cast(float, inst.candidates.at[j, "lon"])),
            "lat": float(cast(float, inst.candidates.at[j, "lat"])),
            "from_coverage_before": float(before[home]) if home >= 0 else math.nan,
            "from_coverage_after": float(after[home]) if home >= 0 else math.nan,
            "from_teams_in_reach_after": int(sol.teams_in_reach[home]) if home >= 0 else 0,
            "from_left_unreached": bool(home >= 0 and sol.teams_in_reach[home] <= 0),
            "to_coverage_before": float(before[to]),
            "to_coverage_after": float(after[to]),
        }
        for lg in LANGS:
            lang = lg
            left = (
                t("plan.move.left_unreached", lg)
                if record["from_left_unreached"]
                else t("plan.move.still_reached", lg, count=record["from_teams_in_reach_after"])
            )
            record[f"reason_{lang}"] = t(
                "plan.move.reason",
                lg,
                team=record["team_id"],
                source=record["from_name"] or record["from_code"],
                target=record["to_name"],
                before=format_percent(record["from_coverage_before"], lg, decimals=0),
                after=format_percent(record["from_coverage_after"], lg, decimals=0),
                change=format_points(
                    record["from_coverage_after"] - record["from_coverage_before"], lg, decimals=0
                ),
                left=left,
                to_before=format_percent(record["to_coverage_before"], lg, decimals=0),
                to_after=format_percent(record["to_coverage_after"], lg, decimals=0),
                to_change=format_points(
                    record["to_coverage_after"] - record["to_coverage_before"], lg, decimals=0
                ),
            )
        rows.append(record)
    return pd.DataFrame(rows, columns=list(MOVE_COLUMNS))
