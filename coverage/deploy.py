"""Suggest where to deploy new teams: build the model from an analysis, solve, explain.

The bridge between :mod:`coverage.analysis` (demand points, need, reach, flags) and the
array models of :mod:`coverage.optimize`:

* demand points and their need come from :attr:`AnalysisResult.demand` (``need``, a
  stock of resident-equivalents);
* a team's capacity over the horizon is ``capacity_per_week x planning_horizon_weeks``,
  with ``capacity_per_week = members x weekly_hours x residents_per_volunteer_hour``
  (:func:`coverage.need.capacity_per_week`);
* candidate sites are one per commune at its representative point (EPSG:4326), or points
  the user gives; their reach comes from :meth:`AnalysisResult.reach_from_sites` with the
  same travel model as the existing teams (straight line x detour, or roads);
* existing teams keep serving first; new teams are credited only with the need left.

Re-siting (``relocate > 0``): moved teams are grouped by mode and by capacity into at most
three classes per mode (tertiles); a moved team is credited with the *smallest* capacity
of its class at its new site, so a move is never over-credited.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from coverage.i18n import Lang, format_number, format_percent, register, t
from coverage.optimize import (
    Alternative,
    CapacitatedCovering,
    DeploymentSolution,
    Infeasibility,
    Method,
    Status,
)

if TYPE_CHECKING:
    from coverage.analysis import AnalysisResult

Mode = Literal["fixed", "mobile"]

SITE_COLUMNS = (
    "commune_code", "commune_name", "lon", "lat", "need_served", "newly_reached", "is_border",
    "is_remote", "reason_vi", "reason_en", "alternative_vi", "alternative_en",
)
"""Columns of :attr:`PlanResult.sites` promised by docs/architecture.md."""

register({
    "plan.status.optimal": {"vi": "tối ưu (đã chứng minh)", "en": "proven optimal"},
    "plan.status.bounded": {
        "vi": "phương án tốt nhất tìm được trong {seconds} giây, kém tối ưu nhiều nhất {gap}",
        "en": "best found in {seconds} s, at most {gap} below the optimum",
    },
    "plan.status.time_limit_unknown": {
        "vi": "phương án tốt nhất tìm được trong {seconds} giây (chưa biết cách tối ưu bao xa)",
        "en": "best found in {seconds} s (distance to the optimum unknown)",
    },
    "plan.status.greedy": {
        "vi": "phương án nhanh (tham lam), chưa chứng minh là tối ưu",
        "en": "quick answer (greedy), not proven optimal",
    },
    "plan.status.infeasible": {
        "vi": "không có phương án thoả mãn các ràng buộc: {reason}",
        "en": "no plan meets the constraints: {reason}",
    },
    "plan.infeasible.no_sites": {
        "vi": "không còn địa điểm nào được phép cho {new_teams} đội mới (tất cả đã bị loại trừ)",
        "en": "no candidate site is allowed for the {new_teams} new teams (all are excluded)",
    },
    "plan.infeasible.too_many_teams": {
        "vi": "cần đặt {new_teams} đội mới nhưng chỉ có {places} chỗ ({communes} xã x tối đa {per_commune} đội/xã)",
        "en": "{new_teams} new teams but only {places} places ({communes} communes x at most {per_commune} per commune)",
    },
    "plan.infeasible.border_unreachable": {
        "vi": "{count} xã biên giới không thể được phục vụ từ bất kỳ địa điểm được phép nào: {names}",
        "en": "{count} border communes cannot be reached from any allowed site: {names}",
    },
    "plan.infeasible.border_too_few": {
        "vi": "{unreached} xã biên giới chưa có đội nào phục vụ; cần ít nhất {needed} đội để phục vụ hết "
              "(một đội phục vụ tối đa {most_per_team} xã trong số đó), nhưng chỉ đặt được {available} đội",
        "en": "{unreached} border communes are reached by no team; reaching them all takes at least "
              "{needed} teams (one team reaches at most {most_per_team} of them), but only {available} can be placed",
    },
    "plan.infeasible.combined": {
        "vi": "không thể đồng thời thoả mãn yêu cầu xã biên giới, giới hạn {per_commune} đội/xã và các xã bị loại "
              "với {new_teams} đội mới; hãy tăng số đội hoặc nới giới hạn",
        "en": "the border requirement, the limit of {per_commune} per commune and the exclusions cannot all be met "
              "with {new_teams} new teams; add teams or relax a limit",
    },
    "plan.infeasible.greedy_failed": {
        "vi": "phương pháp nhanh không phục vụ được mọi xã biên giới với {new_teams} đội; hãy dùng phương pháp chính xác",
        "en": "the quick method could not reach every border commune with {new_teams} teams; use the exact method",
    },
    "plan.infeasible.no_answer_in_time": {
        "vi": "không tìm được phương án nào trong {time_limit_s} giây",
        "en": "no plan found within {time_limit_s} s",
    },
    "plan.reason.reaches": {
        "vi": "phục vụ {count} xã chưa có đội nào phục vụ ({names})",
        "en": "reaches {count} communes no team reached before ({names})",
    },
    "plan.reason.no_new": {
        "vi": "bổ sung năng lực cho các xã đã có đội nhưng còn thiếu",
        "en": "adds capacity where existing teams fall short",
    },
    "plan.reason.serves": {
        "vi": "đáp ứng nhu cầu của khoảng {need} người trong {weeks} tuần",
        "en": "serves the need of about {need} residents over {weeks} weeks",
    },
    "plan.reason.border": {"vi": "xã biên giới", "en": "border commune"},
    "plan.reason.remote": {"vi": "xã vùng sâu, vùng xa", "en": "remote commune"},
    "plan.alternative.best": {
        "vi": "phương án thay thế tốt nhất: {name} ({code}) sẽ đáp ứng {alt} người thay vì {adds}",
        "en": "best alternative: {name} ({code}) would have served {alt} residents instead of {adds}",
    },
    "plan.alternative.none": {
        "vi": "không có địa điểm thay thế nào thoả mãn các ràng buộc",
        "en": "no other site meets the constraints",
    },
    "plan.cli.status": {"vi": "Trạng thái: {status}", "en": "Status: {status}"},
    "plan.cli.totals": {
        "vi": "Nhu cầu đáp ứng thêm: {added} (các đội hiện có: {baseline}) trong {weeks} tuần",
        "en": "Need served in addition: {added} (existing teams: {baseline}) over {weeks} weeks",
    },
    "plan.moved": {
        "vi": "chuyển đội {team} từ {source} đến {target}",
        "en": "move team {team} from {source} to {target}",
    },
})


@dataclass(frozen=True)
class PlanResult:
    """A deployment plan with its status in plain words.

    Attributes
    ----------
    sites
        One row per new team (:data:`SITE_COLUMNS`); ``lon``/``lat`` in EPSG:4326;
        ``need_served`` in resident-equivalents over the horizon.
    moves
        One row per moved existing team (``team_id``, ``from_code``, ``to_code``,
        ``to_name``, ``lon``, ``lat``); empty unless re-siting.
    status
        ``optimal``, ``time_limit``, ``gap_limit``, ``infeasible`` or ``greedy``.
    status_vi, status_en
        The status in plain words.
    objective
        Need served by all teams (existing and new) over the horizon.
    baseline
        Need the existing teams serve on their own.
    added
        ``objective - baseline``: what the plan adds.
    bound, gap
        Proven upper bound on ``objective`` and the relative gap (NaN when unknown).
    runtime_s
        Wall clock of the solve, seconds.
    infeasible_vi, infeasible_en
        Which constraint fails, with the numbers (empty when feasible).
    """

    sites: pd.DataFrame
    moves: pd.DataFrame
    status: Status
    status_vi: str
    status_en: str
    objective: float
    baseline: float
    added: float
    bound: float
    gap: float
    runtime_s: float
    horizon_weeks: float
    infeasible_vi: str = ""
    infeasible_en: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def describe_status(status: Status, *, gap: float, runtime_s: float, lang: Lang,
                    reason: str = "") -> str:
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
    return t("plan.status.bounded", lang, seconds=seconds,
             gap=format_percent(gap, lang, decimals=decimals))


def describe_infeasibility(problem: Infeasibility, *, lang: Lang,
                           names: Sequence[str] = ()) -> str:
    """Translate an :class:`~coverage.optimize.Infeasibility` with its numbers."""
    params: dict[str, Any] = {}
    for key, value in problem.params.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            params[key] = format_number(value, lang)
        elif value is None:
            params[key] = "–"
        else:
            params[key] = value
    if problem.reason == "border_unreachable":
        params["names"] = ", ".join(names) if names else ""
    return t(f"plan.infeasible.{problem.reason}", lang, **params)


@dataclass(frozen=True)
class DeploymentInstance:
    """Arrays built from an analysis: the model plus what is needed to explain it."""

    model: CapacitatedCovering
    candidates: pd.DataFrame        # one row per option: commune_index, commune_code, lon, lat
    communes_reached: sp.csr_matrix  # communes by options
    existing_reached: np.ndarray    # bool per commune: reached by an existing team
    border_communes: np.ndarray     # commune indices of the required groups
    horizon_weeks: float
    new_capacity: float


def _weekly_hours(analysis: AnalysisResult) -> float:
    teams = analysis.teams
    if "weekly_hours" in teams.columns and len(teams):
        return float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median())
    return 5.0


def build_instance(
    analysis: AnalysisResult,
    *,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    candidates: pd.DataFrame | None = None,
    relocate: int = 0,
) -> DeploymentInstance:
    """Build the capacitated covering model for ``analysis``.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze_coverage`.
    team_size
        Volunteers in each new team.
    mode
        ``"fixed"`` or ``"mobile"``: sets the reach of new teams.
    weekly_hours
        Hours per volunteer per week (default: the roster's median).
    candidates
        Candidate sites with ``commune_code``, ``lon``, ``lat`` (EPSG:4326); default one
        per commune at its representative point.
    relocate
        When positive, add options that take moved existing teams (see module docstring).
    """
    from coverage.need import capacity_per_week
    from coverage.validation import representative_points

    communes = analysis.communes.reset_index(drop=True)
    codes = communes["code"].astype(str).to_numpy()
    index_of = {c: i for i, c in enumerate(codes)}
    if candidates is None:
        rep = representative_points(communes)
        cand = pd.DataFrame({"commune_code": codes, "lon": rep.loc[codes, "lon"].to_numpy(),
                             "lat": rep.loc[codes, "lat"].to_numpy()})
    else:
        cand = candidates[["commune_code", "lon", "lat"]].copy()
        cand["commune_code"] = cand["commune_code"].astype(str)
    cand["commune_index"] = cand["commune_code"].map(index_of).astype("int64")
    cand = cand.reset_index(drop=True)
    horizon = float(analysis.params.capacity.planning_horizon_weeks)
    hours = _weekly_hours(analysis) if weekly_hours is None else float(weekly_hours)
    new_cap_week = float(capacity_per_week(pd.DataFrame({"members": [team_size], "weekly_hours": [hours]}),
                                           params=analysis.params.capacity)[0])
    n_c = len(cand)
    lon, lat = cand["lon"].to_numpy(float), cand["lat"].to_numpy(float)
    blocks = [sp.csc_matrix(analysis.reach_from_sites(lon, lat, mode=mode).covers.T, dtype=bool)]
    capacity = [np.full(n_c, new_cap_week * horizon)]
    option_class = [np.zeros(n_c, dtype=np.int64)]
    teams = analysis.teams.reset_index(drop=True)
    team_cap = teams["capacity_per_week"].to_numpy(float) * horizon
    existing_class = np.zeros(len(teams), dtype=np.int64)
    if relocate > 0 and len(teams):
        cls = 0
        modes = teams["mode"].astype(str).to_numpy()
        for m in ("fixed", "mobile"):
            members = np.flatnonzero(modes == m)
            if len(members) == 0:
                continue
            edges = np.quantile(team_cap[members], [1 / 3, 2 / 3])
            bucket = np.searchsorted(edges, team_cap[members], side="right")
            reach_m = sp.csc_matrix(analysis.reach_from_sites(lon, lat, mode=m).covers.T, dtype=bool)
            for b in np.unique(bucket):
                cls += 1
                existing_class[members[bucket == b]] = cls
                blocks.append(reach_m)
                capacity.append(np.full(n_c, team_cap[members[bucket == b]].min()))
                option_class.append(np.full(n_c, cls, dtype=np.int64))
    reach = sp.hstack(blocks, format="csr")
    n_opt = reach.shape[1]
    option_commune = np.tile(cand["commune_index"].to_numpy(), len(blocks))
    membership = sp.csr_matrix(analysis.commune_membership(), dtype=float)
    communes_reached = sp.csr_matrix((membership.T @ sp.csr_matrix(reach, dtype=float)) > 0)
    existing_reach = sp.csr_matrix(analysis.reach.covers.T, dtype=bool)
    existing_communes = sp.csr_matrix((membership.T @ sp.csr_matrix(existing_reach, dtype=float)) > 0)
    existing_reached = np.asarray(existing_communes.sum(axis=1)).ravel() > 0
    border = np.flatnonzero(communes["is_border"].to_numpy(bool))
    model = CapacitatedCovering(
        reach, analysis.demand["need"].to_numpy(float), np.concatenate(capacity),
        existing_reach=existing_reach, existing_capacity=team_cap,
        option_group=option_commune, option_class=np.concatenate(option_class),
        existing_class=existing_class,
        required=communes_reached[border], required_existing=existing_communes[border])
    options = pd.concat([cand] * len(blocks), ignore_index=True)
    assert len(options) == n_opt
    return DeploymentInstance(model, options, communes_reached, existing_reached, border, horizon,
                              new_cap_week * horizon)


def suggest_sites(
    analysis: AnalysisResult,
    *,
    new_teams: int,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    require_border: bool = False,
    exclude: Sequence[str] = (),
    max_per_commune: int | None = None,
    relocate: int = 0,
    method: Method = "exact",
    time_limit_s: float = 60.0,
    candidates: pd.DataFrame | None = None,
    explain: bool = True,
) -> PlanResult:
    """Suggest where to deploy ``new_teams`` new teams, with reasons in Vietnamese and English.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze_coverage`.
    new_teams
        Number of new teams (``K``).
    team_size, mode, weekly_hours
        Volunteers per new team, ``"fixed"`` or ``"mobile"``, and hours per volunteer per
        week (default: the roster's median).
    require_border
        Every border commune must be reached by at least one team (existing or new).
    exclude
        Commune codes that must not receive a team.
    max_per_commune
        At most this many new (or moved) teams per commune.
    relocate
        Also move up to this many existing teams.
    method
        ``"exact"`` (HiGHS) or ``"greedy"`` (instant).
    time_limit_s
        Wall-clock limit for the exact solve, seconds.
    candidates
        Candidate sites (``commune_code``, ``lon``, ``lat`` in EPSG:4326); default one per
        commune at its representative point.
    explain
        Compute the best alternative for each site (a few small LPs per site).
    """
    inst = build_instance(analysis, team_size=team_size, mode=mode, weekly_hours=weekly_hours,
                          candidates=candidates, relocate=relocate)
    excluded = {str(c) for c in exclude}
    allowed = ~inst.candidates["commune_code"].isin(excluded).to_numpy()
    sol = inst.model.solve(new_teams, allowed=allowed, max_per_group=max_per_commune,
                           relocate=relocate, require=require_border, method=method,
                           time_limit_s=time_limit_s)
    return plan_from_solution(analysis, inst, sol, allowed=allowed, max_per_commune=max_per_commune,
                              require_border=require_border, explain=explain)


def plan_from_solution(
    analysis: AnalysisResult,
    inst: DeploymentInstance,
    sol: DeploymentSolution,
    *,
    allowed: np.ndarray,
    max_per_commune: int | None,
    require_border: bool,
    explain: bool = True,
) -> PlanResult:
    """Turn a solution into the plan table with reasons and alternatives."""
    communes = analysis.communes.reset_index(drop=True)
    codes = communes["code"].astype(str).to_numpy()
    names = communes["name"].astype(str).to_numpy()
    border = communes["is_border"].to_numpy(bool)
    remote = communes["is_remote"].to_numpy(bool)
    weeks = inst.horizon_weeks
    infeasible = {"vi": "", "en": ""}
    if sol.status == "infeasible" and sol.infeasibility is not None:
        groups = sol.infeasibility.params.get("groups", [])
        group_names = [f"{names[inst.border_communes[g]]} ({codes[inst.border_communes[g]]})"
                       for g in groups]
        for lang in ("vi", "en"):
            infeasible[lang] = describe_infeasibility(sol.infeasibility, lang=lang,
                                                      names=group_names)
    alternatives: dict[int, Alternative] = {}
    if explain and sol.status != "infeasible":
        for alt in inst.model.alternatives(sol, allowed=allowed, max_per_group=max_per_commune,
                                           require=require_border):
            alternatives[alt.option] = alt
    rows: list[dict[str, Any]] = []
    already = inst.existing_reached.copy()
    new_options = np.flatnonzero((sol.counts > 0) & (inst.model.option_class == 0))
    order = new_options[np.argsort(-sol.served_by_option[new_options], kind="stable")]
    for j in order:
        ci = int(inst.candidates.at[j, "commune_index"])
        reached = inst.communes_reached[:, [j]].toarray().ravel()
        newly = np.flatnonzero(reached & ~inst.existing_reached)
        already |= reached
        served = float(sol.served_by_option[j]) / int(sol.counts[j])
        newly_codes = [str(codes[i]) for i in newly]
        text: dict[str, str] = {}
        alt_text: dict[str, str] = {}
        for lang in ("vi", "en"):
            lg: Lang = lang  # type: ignore[assignment]
            parts = []
            if len(newly):
                shown = ", ".join(str(names[i]) for i in newly[:5]) + (", …" if len(newly) > 5 else "")
                parts.append(t("plan.reason.reaches", lg, count=format_number(len(newly), lg), names=shown))
            else:
                parts.append(t("plan.reason.no_new", lg))
            parts.append(t("plan.reason.serves", lg, need=format_number(served, lg),
                           weeks=format_number(weeks, lg)))
            if border[ci]:
                parts.append(t("plan.reason.border", lg))
            if remote[ci]:
                parts.append(t("plan.reason.remote", lg))
            text[lang] = "; ".join(parts)
            best: Alternative | None = alternatives.get(int(j))
            if best is None or best.alternative is None:
                alt_text[lang] = t("plan.alternative.none", lg) if best is not None else ""
            else:
                k = int(inst.candidates.at[best.alternative, "commune_index"])
                alt_text[lang] = t("plan.alternative.best", lg, name=names[k], code=codes[k],
                                   alt=format_number(best.alternative_adds, lg),
                                   adds=format_number(best.adds, lg))
        for _ in range(int(sol.counts[j])):
            rows.append({
                "commune_code": str(codes[ci]), "commune_name": str(names[ci]),
                "lon": float(inst.candidates.at[j, "lon"]), "lat": float(inst.candidates.at[j, "lat"]),
                "need_served": served, "newly_reached": newly_codes,
                "is_border": bool(border[ci]), "is_remote": bool(remote[ci]),
                "reason_vi": text["vi"], "reason_en": text["en"],
                "alternative_vi": alt_text["vi"], "alternative_en": alt_text["en"],
            })
    sites = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    moves = _moves(analysis, inst, sol, codes, names)
    reason = {lang: infeasible[lang] for lang in ("vi", "en")}
    return PlanResult(
        sites=sites, moves=moves, status=sol.status,
        status_vi=describe_status(sol.status, gap=sol.gap, runtime_s=sol.runtime_s, lang="vi",
                                  reason=reason["vi"]),
        status_en=describe_status(sol.status, gap=sol.gap, runtime_s=sol.runtime_s, lang="en",
                                  reason=reason["en"]),
        objective=sol.objective, baseline=sol.baseline, added=sol.objective - sol.baseline,
        bound=sol.bound, gap=sol.gap, runtime_s=sol.runtime_s, horizon_weeks=weeks,
        infeasible_vi=infeasible["vi"], infeasible_en=infeasible["en"],
        details={"options": inst.model.n_options, "demand_points": int(inst.model.reach.shape[0]),
                 "pairs": int(inst.model.reach.nnz), "existing_teams": inst.model.n_existing,
                 "new_team_capacity": inst.new_capacity, "method": sol.method})


def _moves(analysis: AnalysisResult, inst: DeploymentInstance, sol: DeploymentSolution,
           codes: np.ndarray, names: np.ndarray) -> pd.DataFrame:
    columns = ["team_id", "from_code", "to_code", "to_name", "lon", "lat"]
    moved = np.flatnonzero(~sol.kept)
    if len(moved) == 0:
        return pd.DataFrame(columns=columns)
    teams = analysis.teams.reset_index(drop=True)
    rows = []
    targets: dict[int, list[int]] = {}
    for j in np.flatnonzero((sol.counts > 0) & (inst.model.option_class > 0)):
        targets.setdefault(int(inst.model.option_class[j]), []).extend([int(j)] * int(sol.counts[j]))
    for e in moved:
        cls = int(inst.model.existing_class[e])
        target: int = targets[cls].pop() if targets.get(cls) else -1
        ci = int(inst.candidates.at[target, "commune_index"]) if target >= 0 else -1
        rows.append({"team_id": str(teams.at[e, "team_id"]), "from_code": str(teams.at[e, "commune_code"]),
                     "to_code": str(codes[ci]) if ci >= 0 else "", "to_name": str(names[ci]) if ci >= 0 else "",
                     "lon": float(inst.candidates.at[target, "lon"]) if target >= 0 else math.nan,
                     "lat": float(inst.candidates.at[target, "lat"]) if target >= 0 else math.nan})
    return pd.DataFrame(rows, columns=columns)


def plan_to_records(plan: PlanResult) -> dict[str, Any]:
    """Return the plan as JSON-ready data (no NaN: unknown numbers become ``None``)."""
    def num(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    sites = []
    for row in plan.sites.to_dict(orient="records"):
        sites.append({k: (num(v) if isinstance(v, float) else v) for k, v in row.items()})
    moves = [{k: (num(v) if isinstance(v, float) else v) for k, v in row.items()}
             for row in plan.moves.to_dict(orient="records")]
    return {
        "status": plan.status, "status_vi": plan.status_vi, "status_en": plan.status_en,
        "objective": num(plan.objective), "baseline": num(plan.baseline), "added": num(plan.added),
        "bound": num(plan.bound), "gap": num(plan.gap), "runtime_s": num(plan.runtime_s),
        "horizon_weeks": num(plan.horizon_weeks),
        "infeasible_vi": plan.infeasible_vi, "infeasible_en": plan.infeasible_en,
        "sites": sites, "moves": moves,
    }
