"""Build the deployment plan from a solution: sites with reasons and alternatives, status."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from coverage.optimize.instance import DeploymentInstance
from coverage.optimize.plan import SITE_COLUMNS, PlanResult
from coverage.optimize.plan_details import (
    LanguageNeedServed,
    commune_names,
    coverage_share,
    language_need_served,
    moves_table,
    plan_notes,
)
from coverage.optimize.results import Alternative, DeploymentSolution, Infeasibility, Status
from coverage.text.i18n import LANGS, Lang, format_number, format_percent, t
from coverage.text.plan import format_points

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult


def describe_status(
    status: Status, *, gap: float, runtime_s: float, lang: Lang, reason: str = ""
) -> str:
    """Say how good an answer is in plain words; never call a time-limited answer optimal."""
    if status == "optimal":
        return t("plan.status.optimal", lang)
    if status == "infeasible":
        return t("plan.status.infeasible", lang, reason=reason)
    if status == "greedy":
        return t("plan.status.greedy", lang)
    seconds = format_number(runtime_s, lang, decimals=0 if runtime_s >= 10 else 1)
    if not math.isfinite(gap):
        return t("plan.status.time_limit_unknown", lang, seconds=seconds)
    decimals = 2 if gap < 0.01 else 1
    return t(
        "plan.status.bounded",
        lang,
        seconds=seconds,
        gap=format_percent(gap, lang, decimals=decimals),
    )


def describe_infeasibility(problem: Infeasibility, *, lang: Lang, names: Sequence[str] = ()) -> str:
    """Translate an :class:`~coverage.optimize.covering.Infeasibility` with its numbers."""
    params: dict[str, Any] = {}
    for key, value in problem.params.items():
        if key == "min_coverage" and isinstance(value, float):
            params[key] = format_percent(value, lang, decimals=0)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            params[key] = format_number(value, lang)
        elif value is None:
            params[key] = "–"
        else:
            params[key] = value
    if problem.reason in ("border_unreachable", "border_min_unreachable"):
        params["names"] = ", ".join(names) if names else ""
    return t(f"plan.infeasible.{problem.reason}", lang, **params)


@dataclass(frozen=True)
class _Facts:
    """What every sentence of a plan reads: the communes, their flags and coverage."""

    inst: DeploymentInstance
    codes: np.ndarray
    names: np.ndarray
    border: np.ndarray
    remote: np.ndarray
    unreached: np.ndarray
    need: np.ndarray
    before: np.ndarray
    after: np.ndarray
    ratio: float
    weeks: float

    def labelled(self, c: int, lg: Lang, site: int = -1) -> str:
        """Return the commune name with the flags that raise its priority (``Ia Ko (remote)``)."""
        flags = [
            t(f"plan.flag.{name}", lg)
            for name, on in (
                ("border", self.border[c]),
                ("remote", self.remote[c]),
                ("unreached", self.unreached[c]),
            )
            if on
        ]
        return (
            f"{self.names[c]} ({', '.join(flags)})" if flags and c != site else str(self.names[c])
        )


def _facts(analysis: AnalysisResult, inst: DeploymentInstance, sol: DeploymentSolution) -> _Facts:
    """Collect the commune facts the plan's sentences read."""
    communes = analysis.communes.reset_index(drop=True)
    model = inst.model
    return _Facts(
        inst=inst,
        codes=communes["code"].astype(str).to_numpy(),
        names=communes["name"].astype(str).to_numpy(),
        border=communes["is_border"].to_numpy(bool),
        remote=communes["is_remote"].to_numpy(bool),
        unreached=model.baseline_reach == 0,
        need=model.group_need,
        before=coverage_share(sol.baseline_credit, model.group_need),
        after=coverage_share(sol.credit, model.group_need),
        ratio=inst.threshold_ratio,
        weeks=inst.horizon_weeks,
    )


def _infeasible_texts(f: _Facts, sol: DeploymentSolution) -> dict[str, str]:
    """Say which constraint fails, in each language (empty when feasible)."""
    infeasible = {"vi": "", "en": ""}
    if sol.status != "infeasible" or sol.infeasibility is None:
        return infeasible
    problem = sol.infeasibility
    for lg in LANGS:
        groups = problem.params.get("groups", [])
        most = problem.params.get("most", [])
        if most:
            group_names = [
                f"{f.names[g]} ({format_percent(v, lg, decimals=0)})"
                for g, v in zip(groups, most, strict=True)
            ]
        else:
            group_names = [f"{f.names[g]} ({f.codes[g]})" for g in groups]
        infeasible[lg] = describe_infeasibility(problem, lang=lg, names=group_names)
    return infeasible


@dataclass(frozen=True)
class _SiteGain:
    """What one new team at an option adds, commune by commune."""

    option: int
    commune: int
    credit: np.ndarray
    newly: np.ndarray
    served: float
    value: float
    below: float
    served_communes: np.ndarray
    lifted: list[int]
    above: list[int]
    language_need: LanguageNeedServed | None


def _site_gain(analysis: AnalysisResult, f: _Facts, sol: DeploymentSolution, j: int) -> _SiteGain:
    """Measure what one team at option ``j`` adds, every other team as placed."""
    inst = f.inst
    model = inst.model
    credit_j = model.new_credit[[j]].toarray().ravel()
    reached = inst.communes_reached[:, [j]].toarray().ravel()
    rest = sol.credit - credit_j
    served = model.served_of(sol.credit) - model.served_of(rest)
    below = float(
        (
            np.minimum(np.maximum(sol.credit, 0), model.threshold)
            - np.minimum(np.maximum(rest, 0), model.threshold)
        ).sum()
    )
    served_communes = np.flatnonzero(credit_j > 1e-6)
    served_communes = served_communes[np.argsort(-credit_j[served_communes], kind="stable")]
    total_j = float(credit_j.sum())
    noticeable = served_communes[
        (credit_j[served_communes] >= 0.05 * total_j) | (served_communes == served_communes[:1])
    ]
    return _SiteGain(
        option=j,
        commune=int(cast(int, inst.candidates.at[j, "commune_index"])),
        credit=credit_j,
        newly=np.flatnonzero(reached & f.unreached),
        served=served,
        value=model.value_of(sol.credit) - model.value_of(rest),
        below=below,
        served_communes=served_communes,
        lifted=[int(c) for c in noticeable if f.before[c] < f.ratio][:3],
        above=[int(c) for c in noticeable if f.before[c] >= f.ratio][:3],
        language_need=language_need_served(analysis, inst, credit_j, served_communes, served),
    )


def _lift(f: _Facts, g: _SiteGain, c: int, lg: Lang) -> str:
    """Say how one commune's coverage moves with the plan, and what this team adds to it."""
    key = "plan.reason.lift" if f.after[c] >= f.before[c] else "plan.reason.lift_down"
    return t(
        key,
        lg,
        name=f.labelled(c, lg, g.commune),
        before=format_percent(f.before[c], lg, decimals=0),
        after=format_percent(f.after[c], lg, decimals=0),
        change=format_points(g.credit[c] / f.need[c] if f.need[c] > 0 else 0.0, lg, decimals=0),
    )


def _reason(f: _Facts, g: _SiteGain, lg: Lang) -> str:
    """Say why a team goes to this site, in one language."""
    ci = g.commune
    parts = []
    if len(g.newly):
        parts.append(t("plan.reason.reaches", lg, names=commune_names(g.newly, f.names)))
    threshold = format_percent(f.ratio, lg, decimals=0)
    need, weeks = format_number(g.served, lg), format_number(f.weeks, lg)
    if g.below >= 0.5:
        below = format_number(g.below, lg)
        parts.append(
            t(
                "plan.reason.serves_below",
                lg,
                need=need,
                weeks=weeks,
                below=below,
                threshold=threshold,
            )
        )
    else:
        parts.append(t("plan.reason.serves", lg, need=need, weeks=weeks))
    if g.lifted:
        items = ", ".join(_lift(f, g, c, lg) for c in g.lifted)
        parts.append(t("plan.reason.lifts", lg, items=items))
    elif g.above:
        items = ", ".join(_lift(f, g, c, lg) for c in g.above)
        parts.append(t("plan.reason.above", lg, threshold=threshold, items=items))
    if f.border[ci]:
        parts.append(t("plan.reason.border", lg))
    if f.remote[ci]:
        parts.append(t("plan.reason.remote", lg))
    if f.unreached[ci] and ci not in g.newly:
        parts.append(t("plan.reason.unreached", lg))
    if g.language_need is not None:
        parts.append(g.language_need.sentence(f.names, lg))
    return "; ".join(parts)


def _alternative_text(f: _Facts, best: Alternative | None, lg: Lang) -> str:
    """Say what the best other site would add instead (empty when not explained)."""
    if best is None or best.alternative is None:
        return t("plan.alternative.none", lg) if best is not None else ""
    k = int(cast(int, f.inst.candidates.at[best.alternative, "commune_index"]))
    text = t(
        "plan.alternative.best",
        lg,
        name=f.names[k],
        code=f.codes[k],
        alt_value=format_number(best.alternative_adds, lg),
        alt_need=format_number(best.alternative_served, lg),
        value=format_number(best.adds, lg),
        need=format_number(best.adds_served, lg),
    )
    if best.alternative_adds >= best.adds - 1e-6 * max(1.0, best.adds):
        text += f" ({t('plan.alternative.same', lg)})"
        if math.isfinite(best.worse_adds):
            text += "; " + t("plan.alternative.worse", lg, value=format_number(best.worse_adds, lg))
    elif best.alternative_adds >= 0.99 * best.adds:
        text += f" ({t('plan.alternative.close', lg)})"
    return text


def _site_row(f: _Facts, g: _SiteGain, best: Alternative | None) -> dict[str, Any]:
    """Return the row of :data:`SITE_COLUMNS` for one new team at the gain's option."""
    inst, codes, ci, j = f.inst, f.codes, g.commune, g.option
    text = {lg: _reason(f, g, lg) for lg in LANGS}
    alt_text = {lg: _alternative_text(f, best, lg) for lg in LANGS}
    alt_ci = (
        int(cast(int, inst.candidates.at[best.alternative, "commune_index"]))
        if best is not None and best.alternative is not None
        else -1
    )
    return {
        "commune_code": str(codes[ci]),
        "commune_name": str(f.names[ci]),
        "lon": float(cast(float, inst.candidates.at[j, "lon"])),
        "lat": float(cast(float, inst.candidates.at[j, "lat"])),
        "need_served": g.served,
        "newly_reached": [str(codes[i]) for i in g.newly],
        "is_border": bool(f.border[ci]),
        "is_remote": bool(f.remote[ci]),
        "reason_vi": text["vi"],
        "reason_en": text["en"],
        "alternative_vi": alt_text["vi"],
        "alternative_en": alt_text["en"],
        "value_added": g.value,
        "need_below_threshold": g.below,
        "communes_served": [str(codes[c]) for c in g.served_communes],
        "alternative_code": str(codes[alt_ci]) if alt_ci >= 0 else "",
        "alternative_value": float(best.alternative_adds) if alt_ci >= 0 and best else math.nan,
        "alternative_need_served": float(best.alternative_served)
        if alt_ci >= 0 and best
        else math.nan,
        "worse_value": float(best.worse_adds) if best is not None else math.nan,
        "languages": ";".join(inst.languages),
        "language_extra": g.language_need.extra if g.language_need is not None else 0.0,
    }


def _sites(
    analysis: AnalysisResult,
    f: _Facts,
    sol: DeploymentSolution,
    alternatives: dict[int, Alternative],
) -> pd.DataFrame:
    """Return the table of new teams (:data:`SITE_COLUMNS`), the most valuable first."""
    rows: list[dict[str, Any]] = []
    new_options = np.flatnonzero(sol.counts > 0)
    order = new_options[np.argsort(-sol.value_by_option[new_options], kind="stable")]
    for j in order:
        gain = _site_gain(analysis, f, sol, int(j))
        row = _site_row(f, gain, alternatives.get(int(j)))
        rows.extend(dict(row) for _ in range(int(sol.counts[j])))
    return pd.DataFrame(rows, columns=list(SITE_COLUMNS))


def _communes_table(f: _Facts, sol: DeploymentSolution) -> pd.DataFrame:
    """Return the communes whose coverage or reach the plan changes, the most lifted first."""
    before, after, need = f.before, f.after, f.need
    changed = np.flatnonzero(
        (np.abs(sol.credit - sol.baseline_credit) > 1e-9)
        | (sol.teams_in_reach != sol.baseline_teams_in_reach)
    )
    changed = changed[np.argsort(-(after[changed] - before[changed]), kind="stable")]
    served_c = np.minimum(np.maximum(sol.credit, 0), need) - np.minimum(sol.baseline_credit, need)
    priority = f.inst.priority
    return pd.DataFrame(
        {
            "commune_code": f.codes[changed],
            "commune_name": f.names[changed],
            "coverage_before": before[changed],
            "coverage_after": after[changed],
            "need_served": served_c[changed],
            "priority_weight": priority[changed] if len(priority) else np.ones(len(changed)),
            "is_border": f.border[changed],
            "is_remote": f.remote[changed],
            "unreached": f.unreached[changed],
            "teams_in_reach_before": sol.baseline_teams_in_reach[changed],
            "teams_in_reach_after": sol.teams_in_reach[changed],
        }
    )


def plan_from_solution(
    analysis: AnalysisResult,
    inst: DeploymentInstance,
    sol: DeploymentSolution,
    *,
    allowed: np.ndarray,
    max_per_commune: int | None,
    require_border: bool,
    border_min_coverage: float = 0.0,
    keep_reached: bool = True,
    relocate: int = 0,
    unguarded: DeploymentSolution | None = None,
    explain: bool = True,
) -> PlanResult:
    """Turn a solution into the plan tables with reasons, alternatives, moves and notes."""
    f = _facts(analysis, inst, sol)
    model = inst.model
    infeasible = _infeasible_texts(f, sol)
    alternatives: dict[int, Alternative] = {}
    if explain and sol.status != "infeasible":
        for alt in model.alternatives(
            sol,
            allowed=allowed,
            max_per_group=max_per_commune,
            require=require_border,
            keep_reached=keep_reached,
            relocate=relocate,
            min_coverage=border_min_coverage,
        ):
            alternatives[alt.option] = alt
    notes = plan_notes(
        inst,
        sol,
        names=f.names,
        require_border=require_border,
        border_min_coverage=border_min_coverage,
        keep_reached=keep_reached,
        relocate=relocate,
        unguarded=unguarded,
    )
    status = {
        lg: describe_status(
            sol.status, gap=sol.gap, runtime_s=sol.runtime_s, lang=lg, reason=infeasible[lg]
        )
        for lg in LANGS
    }
    return PlanResult(
        sites=_sites(analysis, f, sol, alternatives),
        moves=moves_table(analysis, inst, sol, f.codes, f.names),
        status=sol.status,
        status_vi=status["vi"],
        status_en=status["en"],
        objective=sol.objective,
        baseline=sol.baseline,
        added=sol.objective - sol.baseline,
        bound=sol.bound,
        gap=sol.gap,
        runtime_s=sol.runtime_s,
        horizon_weeks=f.weeks,
        infeasible_vi=infeasible["vi"],
        infeasible_en=infeasible["en"],
        details={
            "options": model.n_options,
            "demand_points": int(model.reach.shape[0]),
            "pairs": int(model.reach.nnz),
            "existing_teams": model.n_existing,
            "new_team_capacity": inst.new_capacity,
            "method": sol.method,
        },
        need_served=sol.served,
        baseline_need_served=sol.baseline_served,
        added_need_served=sol.served - sol.baseline_served,
        weights=inst.weights,
        threshold_ratio=f.ratio,
        communes=_communes_table(f, sol),
        notes_vi=notes["vi"],
        notes_en=notes["en"],
        keep_reached=keep_reached,
        unguarded_added=(unguarded.objective - unguarded.baseline)
        if unguarded is not None
        else math.nan,
        border_min_coverage=float(border_min_coverage),
        new_team_languages=inst.languages,
        interpreter_rate=float(analysis.params.capacity.interpreter_rate),
    )
