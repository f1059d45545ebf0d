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
* existing teams keep serving first, with the need-proportional share the analysis
  credits them; new teams are credited only with the need left (never counted twice).

What a plan is worth (the objective, :class:`ServiceWeights`)
-------------------------------------------------------------
A new team's capacity (about 2,900 residents over 26 weeks for 15 volunteers) is far
smaller than the need left around almost any site, so every site would serve exactly its
capacity and "need served" alone cannot tell plans apart. Need served is therefore
valued:

* **Tiers (diminishing returns).** Each commune's unmet need is split into *tier A*, the
  need still missing to reach the adequacy threshold ``coverage_ratio =
  underserved_ratio`` (``params.flags.underserved_ratio``, 0.5 by default) with the
  capacity the existing teams already credit, ``A_c = max(0, ratio x need_c -
  capacity_horizon_c)``, and *tier B*, the rest of its unmet need. Tier A is shared
  between the commune's demand points in proportion to their unmet need. A
  resident-equivalent served is worth 1 in tier A and ``beyond_threshold_weight`` (0.25)
  in tier B: the next team goes where it lifts the most residents of under-served
  communes toward the threshold.
* **Priorities.** Need in a border commune is worth ``border_weight`` (1.5) times as
  much, in a remote commune ``remote_weight`` (1.25), in a commune no team reaches
  ``unreached_weight`` (1.5). When several apply the weights multiply (the reasons are
  independent: a remote border commune is harder to serve on both counts); with the
  defaults the largest product, 2.81, times 0.25 is still below 1, so need beyond the
  threshold anywhere never outranks need below it anywhere.

The plan reports both the *service value* (what the solver maximises and proves) and the
raw need served in resident-equivalents; the status sentence refers to the value.

Re-siting (``relocate > 0``): moved teams are grouped by mode and by capacity into at most
three classes per mode (tertiles); a moved team is credited with the *smallest* capacity
of its class at its new site, so a move is never over-credited, and the service it was
credited with at its old site is lost.
"""

from __future__ import annotations

import dataclasses
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
    "value_added", "need_below_threshold", "communes_served", "alternative_code",
    "alternative_value", "alternative_need_served", "worse_value",
)
"""Columns of :attr:`PlanResult.sites`: the first twelve are promised by
docs/architecture.md; the rest are the service value and the alternative in numbers."""


@dataclass(frozen=True)
class ServiceWeights:
    """How need served is valued: every weight of the objective, named and adjustable.

    Attributes
    ----------
    beyond_threshold_weight
        Value of a resident-equivalent served beyond the adequacy threshold (tier B),
        relative to 1 below it (tier A).
    border_weight, remote_weight, unreached_weight
        Multipliers for need in border communes, remote communes and communes no
        existing team reaches; they multiply when several apply.
    """

    beyond_threshold_weight: float = 0.25
    border_weight: float = 1.5
    remote_weight: float = 1.25
    unreached_weight: float = 1.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.beyond_threshold_weight <= 1.0:
            raise ValueError(f"beyond_threshold_weight must be between 0 and 1 "
                             f"(got {self.beyond_threshold_weight})")
        for name in ("border_weight", "remote_weight", "unreached_weight"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (got {getattr(self, name)})")

    def priority(self, *, is_border: np.ndarray, is_remote: np.ndarray,
                 unreached: np.ndarray) -> np.ndarray:
        """Priority multiplier of each commune (the product of the weights that apply)."""
        return (np.where(is_border, self.border_weight, 1.0)
                * np.where(is_remote, self.remote_weight, 1.0)
                * np.where(unreached, self.unreached_weight, 1.0))


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
        "vi": "là đội đầu tiên phục vụ {names}",
        "en": "first team to reach {names}",
    },
    "plan.reason.serves": {
        "vi": "giúp khoảng {need} người dân trong {weeks} tuần",
        "en": "helps about {need} residents over {weeks} weeks",
    },
    "plan.reason.serves_below": {
        "vi": "giúp khoảng {need} người dân trong {weeks} tuần, trong đó {below} người ở các xã chưa đạt "
              "{threshold} nhu cầu",
        "en": "helps about {need} residents over {weeks} weeks, {below} of them in communes still below "
              "{threshold} of their need",
    },
    "plan.reason.lift": {"vi": "{name} từ {before} lên {after}", "en": "{name} from {before} to {after}"},
    "plan.reason.lifts": {
        "vi": "nâng mức đáp ứng nhu cầu của {items}",
        "en": "lifts {items} of need",
    },
    "plan.reason.above": {
        "vi": "bổ sung hỗ trợ ở nơi đã đạt trên {threshold} nhu cầu: {items}",
        "en": "adds help where over {threshold} of the need is already met: {items}",
    },
    "plan.reason.border": {"vi": "xã biên giới", "en": "border commune"},
    "plan.reason.remote": {"vi": "xã vùng sâu, vùng xa", "en": "remote commune"},
    "plan.reason.unreached": {
        "vi": "trước đây chưa có đội nào trong tầm phục vụ",
        "en": "no team within reach before",
    },
    "plan.alternative.best": {
        "vi": "nơi tốt thứ hai cho đội này là {name} ({code}): giá trị ưu tiên {alt_value} ({alt_need} người dân) "
              "thay vì {value} ({need} người dân) ở đây",
        "en": "the next best place for this team, {name} ({code}), would add a value of {alt_value} "
              "({alt_need} residents) instead of {value} ({need} residents) here",
    },
    "plan.alternative.close": {"vi": "gần tương đương", "en": "almost as good"},
    "plan.alternative.same": {"vi": "tốt ngang nhau", "en": "just as good"},
    "plan.alternative.worse": {
        "vi": "nơi kế tiếp sau đó chỉ đạt tối đa {value}",
        "en": "the next place after that would add at most {value}",
    },
    "plan.flag.border": {"vi": "biên giới", "en": "border"},
    "plan.flag.remote": {"vi": "vùng sâu", "en": "remote"},
    "plan.flag.unreached": {"vi": "chưa có đội", "en": "no team yet"},
    "plan.alternative.none": {
        "vi": "không có địa điểm thay thế nào thoả mãn các ràng buộc",
        "en": "no other site meets the constraints",
    },
    "plan.cli.status": {"vi": "Trạng thái: {status}", "en": "Status: {status}"},
    "plan.cli.totals": {
        "vi": "Giá trị ưu tiên tăng thêm: {value} (các đội hiện có: {baseline_value}); số người dân được hỗ trợ "
              "thêm: {added} (các đội hiện có: {baseline}) trong {weeks} tuần",
        "en": "Priority-weighted value added: {value} (existing teams: {baseline_value}); residents helped in "
              "addition: {added} (existing teams: {baseline}) over {weeks} weeks",
    },
    "plan.cli.weights": {
        "vi": "Cách tính giá trị: mỗi người dân được hỗ trợ tính 1 cho đến khi xã đạt {threshold} nhu cầu, "
              "{beyond} sau đó; nhân {border} ở xã biên giới, {remote} ở xã vùng sâu, vùng xa, {unreached} ở xã "
              "chưa có đội nào (nhân với nhau khi có nhiều yếu tố)",
        "en": "How the value is counted: a resident helped counts 1 until the commune reaches {threshold} of its "
              "need, {beyond} beyond; times {border} in border communes, {remote} in remote communes, "
              "{unreached} where no team reaches (multiplied when several apply)",
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
        ``need_served`` in resident-equivalents over the horizon; ``value_added`` the
        service value the team adds (see the module docstring); ``need_below_threshold``
        the part of ``need_served`` in communes still below the adequacy threshold.
    moves
        One row per moved existing team (``team_id``, ``from_code``, ``to_code``,
        ``to_name``, ``lon``, ``lat``); empty unless re-siting.
    status
        ``optimal``, ``time_limit``, ``gap_limit``, ``infeasible`` or ``greedy``; it
        refers to the service value, which is what the solver maximises.
    status_vi, status_en
        The status in plain words.
    objective
        Service value of all teams (existing and new), the quantity proven optimal.
    baseline
        Service value of the existing teams on their own.
    added
        ``objective - baseline``: the value the plan adds.
    bound, gap
        Proven upper bound on ``objective`` and the relative gap measured on what the
        plan adds, ``(bound - objective) / (bound - baseline)`` (NaN when unknown).
    runtime_s
        Wall clock of the solve, seconds.
    horizon_weeks
        Planning horizon the capacities and need are compared over.
    infeasible_vi, infeasible_en
        Which constraint fails, with the numbers (empty when feasible).
    need_served, baseline_need_served, added_need_served
        Raw need served (resident-equivalents over the horizon) by all teams, by the
        existing teams alone, and in addition by the plan.
    weights
        The service weights used; ``threshold_ratio`` the adequacy threshold.
    communes
        One row per commune the new teams serve: ``commune_code``, ``commune_name``,
        ``coverage_before``, ``coverage_after`` (share of need met within the horizon),
        ``need_served`` (by new teams), ``priority_weight``, ``is_border``,
        ``is_remote``, ``unreached``.
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
    need_served: float = math.nan
    baseline_need_served: float = math.nan
    added_need_served: float = math.nan
    weights: ServiceWeights = field(default_factory=ServiceWeights)
    threshold_ratio: float = 0.5
    communes: pd.DataFrame = field(default_factory=pd.DataFrame)


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
    membership: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))  # points x communes
    priority: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per commune
    tier_a: np.ndarray = field(default_factory=lambda: np.zeros(0))    # per commune
    weights: ServiceWeights = field(default_factory=ServiceWeights)
    threshold_ratio: float = 0.5


def _weekly_hours(analysis: AnalysisResult) -> float:
    teams = analysis.teams
    if "weekly_hours" in teams.columns and len(teams):
        return float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median())
    return 5.0


def tiers_from_analysis(analysis: AnalysisResult, *, threshold_ratio: float) -> tuple[np.ndarray,
                                                                                     np.ndarray]:
    """Return tier-A need per commune and per demand point.

    Per commune ``A_c = max(0, threshold_ratio x need_c - capacity_horizon_c)``, the need
    still missing to reach the threshold with what existing teams already credit; it is
    shared between the commune's demand points in proportion to their unmet need.
    """
    communes = analysis.communes
    need = communes["need"].to_numpy(float)
    credited = communes["capacity_horizon"].to_numpy(float)
    tier_c = np.maximum(threshold_ratio * need - credited, 0.0)
    ci = analysis.demand["commune_index"].to_numpy(np.int64)
    unmet = analysis.demand["unmet_need"].to_numpy(float)
    unmet_c = np.bincount(ci, weights=unmet, minlength=len(communes))
    share = np.divide(tier_c, unmet_c, out=np.zeros(len(communes)), where=unmet_c > 0)
    tier_c = np.minimum(tier_c, unmet_c)
    return tier_c, np.minimum(unmet * share[ci], unmet)


def build_instance(
    analysis: AnalysisResult,
    *,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    candidates: pd.DataFrame | None = None,
    relocate: int = 0,
    weights: ServiceWeights = ServiceWeights(),
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
    weights
        How need served is valued (tiers and priorities, see the module docstring).
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
    border_flag = communes["is_border"].to_numpy(bool)
    border = np.flatnonzero(border_flag)
    threshold_ratio = float(analysis.params.flags.underserved_ratio)
    tier_c, tier_points = tiers_from_analysis(analysis, threshold_ratio=threshold_ratio)
    unreached = communes["teams_in_reach"].to_numpy(np.int64) == 0
    priority_c = weights.priority(is_border=border_flag, is_remote=communes["is_remote"].to_numpy(bool),
                                  unreached=unreached)
    ci = analysis.demand["commune_index"].to_numpy(np.int64)
    model = CapacitatedCovering(
        reach, analysis.demand["need"].to_numpy(float), np.concatenate(capacity),
        existing_reach=existing_reach, existing_capacity=team_cap,
        tier_a=tier_points, priority=priority_c[ci],
        beyond_threshold_weight=weights.beyond_threshold_weight,
        option_group=option_commune, option_class=np.concatenate(option_class),
        existing_class=existing_class,
        required=communes_reached[border], required_existing=existing_communes[border])
    options = pd.concat([cand] * len(blocks), ignore_index=True)
    assert len(options) == n_opt
    return DeploymentInstance(model, options, communes_reached, existing_reached, border, horizon,
                              new_cap_week * horizon, membership=membership, priority=priority_c,
                              tier_a=tier_c, weights=weights, threshold_ratio=threshold_ratio)


def suggest_sites(
    analysis: AnalysisResult,
    *,
    new_teams: int,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    require_border: bool = False,
    exclude: Sequence[str] = (),
    max_per_commune: int | None = 1,
    relocate: int = 0,
    method: Method = "exact",
    time_limit_s: float = 60.0,
    candidates: pd.DataFrame | None = None,
    weights: ServiceWeights = ServiceWeights(),
    explain: bool = True,
) -> PlanResult:
    """Suggest where to deploy ``new_teams`` new teams, with reasons in Vietnamese and English.

    The plan maximises the service value described in the module docstring: need served
    below each commune's adequacy threshold counts fully, beyond it less, and need in
    border, remote and unreached communes counts more.

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
        At most this many new (or moved) teams per commune (default 1); ``None``: no limit.
    relocate
        Also move up to this many existing teams.
    method
        ``"exact"`` (HiGHS) or ``"greedy"`` (instant).
    time_limit_s
        Wall-clock limit for the exact solve, seconds.
    candidates
        Candidate sites (``commune_code``, ``lon``, ``lat`` in EPSG:4326); default one per
        commune at its representative point.
    weights
        Tier and priority weights of the service value.
    explain
        Compute the best alternative for each site (one small LP per site and candidate).
    """
    inst = build_instance(analysis, team_size=team_size, mode=mode, weekly_hours=weekly_hours,
                          candidates=candidates, relocate=relocate, weights=weights)
    excluded = {str(c) for c in exclude}
    allowed = ~inst.candidates["commune_code"].isin(excluded).to_numpy()
    sol = inst.model.solve(new_teams, allowed=allowed, max_per_group=max_per_commune,
                           relocate=relocate, require=require_border, method=method,
                           time_limit_s=time_limit_s)
    return plan_from_solution(analysis, inst, sol, allowed=allowed, max_per_commune=max_per_commune,
                              require_border=require_border, explain=explain)


def _names(indices: Sequence[int] | np.ndarray, names: np.ndarray, *, most: int = 5) -> str:
    shown = [str(names[i]) for i in list(indices)[:most]]
    return ", ".join(shown) + (", …" if len(indices) > most else "")


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
    need_c = communes["need"].to_numpy(float)
    credited_c = communes["capacity_horizon"].to_numpy(float)
    unreached_c = communes["teams_in_reach"].to_numpy(np.int64) == 0
    ratio = inst.threshold_ratio
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
    model = inst.model
    new_at = np.asarray(sol.flow.sum(axis=1)).ravel()
    below_new = np.maximum(sol.below_threshold_at_demand
                           - np.minimum(model.existing_served, model.threshold), 0.0)
    below_share = np.divide(below_new, new_at, out=np.zeros(len(new_at)), where=new_at > 0)
    flow_c = sp.csc_matrix(inst.membership.T @ sol.flow)                 # communes x options
    below_c = sp.csc_matrix(inst.membership.T @ sp.diags(below_share) @ sol.flow)

    def labelled(c: int, lg: Lang, site: int = -1) -> str:
        """Commune name with the flags that raise its priority, e.g. ``Ia Ko (remote)``."""
        flags = [t(f"plan.flag.{name}", lg) for name, on in
                 (("border", border[c]), ("remote", remote[c]), ("unreached", unreached_c[c])) if on]
        return f"{names[c]} ({', '.join(flags)})" if flags and c != site else str(names[c])

    rows: list[dict[str, Any]] = []
    running = credited_c.copy()                     # service credited so far, per commune
    new_options = np.flatnonzero((sol.counts > 0) & (model.option_class == 0))
    order = new_options[np.argsort(-sol.value_by_option[new_options], kind="stable")]
    for j in order:
        ci = int(inst.candidates.at[j, "commune_index"])
        n_here = int(sol.counts[j])
        reached = inst.communes_reached[:, [j]].toarray().ravel()
        newly = np.flatnonzero(reached & ~inst.existing_reached)
        served = float(sol.served_by_option[j]) / n_here
        value = float(sol.value_by_option[j]) / n_here
        flows = flow_c[:, [j]].toarray().ravel()
        below = float(below_c[:, [j]].sum()) / n_here
        served_communes = np.flatnonzero(flows > 1e-6)
        served_communes = served_communes[np.argsort(-flows[served_communes], kind="stable")]
        before = np.divide(running, need_c, out=np.ones(len(need_c)), where=need_c > 0)
        running = running + flows
        after = np.minimum(np.divide(running, need_c, out=np.ones(len(need_c)), where=need_c > 0),
                           np.maximum(before, 1.0))
        noticeable = served_communes[(flows[served_communes] >= 0.05 * served)
                                     | (served_communes == served_communes[:1])]
        lifted = [int(c) for c in noticeable if before[c] < ratio][:3]
        above = [int(c) for c in noticeable if before[c] >= ratio][:3]
        text: dict[str, str] = {}
        alt_text: dict[str, str] = {}
        for lang in ("vi", "en"):
            lg: Lang = lang  # type: ignore[assignment]
            pct = {int(c): (format_percent(before[c], lg, decimals=0),
                            format_percent(after[c], lg, decimals=0)) for c in served_communes}
            parts = []
            if len(newly):
                parts.append(t("plan.reason.reaches", lg, names=_names(newly, names)))
            threshold = format_percent(ratio, lg, decimals=0)
            if below >= 0.5:
                parts.append(t("plan.reason.serves_below", lg, need=format_number(served, lg),
                               weeks=format_number(weeks, lg), below=format_number(below, lg),
                               threshold=threshold))
            else:
                parts.append(t("plan.reason.serves", lg, need=format_number(served, lg),
                               weeks=format_number(weeks, lg)))
            if lifted:
                items = ", ".join(t("plan.reason.lift", lg, name=labelled(c, lg, ci), before=pct[c][0],
                                    after=pct[c][1]) for c in lifted)
                parts.append(t("plan.reason.lifts", lg, items=items))
            elif above:
                items = ", ".join(t("plan.reason.lift", lg, name=labelled(c, lg, ci), before=pct[c][0],
                                    after=pct[c][1]) for c in above)
                parts.append(t("plan.reason.above", lg, threshold=threshold, items=items))
            if border[ci]:
                parts.append(t("plan.reason.border", lg))
            if remote[ci]:
                parts.append(t("plan.reason.remote", lg))
            if unreached_c[ci] and ci not in newly:
                parts.append(t("plan.reason.unreached", lg))
            text[lang] = "; ".join(parts)
            best: Alternative | None = alternatives.get(int(j))
            if best is None or best.alternative is None:
                alt_text[lang] = t("plan.alternative.none", lg) if best is not None else ""
            else:
                k = int(inst.candidates.at[best.alternative, "commune_index"])
                alt_text[lang] = t("plan.alternative.best", lg, name=names[k], code=codes[k],
                                   alt_value=format_number(best.alternative_adds, lg),
                                   alt_need=format_number(best.alternative_served, lg),
                                   value=format_number(best.adds, lg),
                                   need=format_number(best.adds_served, lg))
                if best.alternative_adds >= best.adds - 1e-6 * max(1.0, best.adds):
                    alt_text[lang] += f" ({t('plan.alternative.same', lg)})"
                    if math.isfinite(best.worse_adds):
                        alt_text[lang] += "; " + t("plan.alternative.worse", lg,
                                                   value=format_number(best.worse_adds, lg))
                elif best.alternative_adds >= 0.99 * best.adds:
                    alt_text[lang] += f" ({t('plan.alternative.close', lg)})"
        best = alternatives.get(int(j))
        alt_ci = (int(inst.candidates.at[best.alternative, "commune_index"])
                  if best is not None and best.alternative is not None else -1)
        for _ in range(n_here):
            rows.append({
                "commune_code": str(codes[ci]), "commune_name": str(names[ci]),
                "lon": float(inst.candidates.at[j, "lon"]), "lat": float(inst.candidates.at[j, "lat"]),
                "need_served": served, "newly_reached": [str(codes[i]) for i in newly],
                "is_border": bool(border[ci]), "is_remote": bool(remote[ci]),
                "reason_vi": text["vi"], "reason_en": text["en"],
                "alternative_vi": alt_text["vi"], "alternative_en": alt_text["en"],
                "value_added": value, "need_below_threshold": below,
                "communes_served": [str(codes[c]) for c in served_communes],
                "alternative_code": str(codes[alt_ci]) if alt_ci >= 0 else "",
                "alternative_value": float(best.alternative_adds) if alt_ci >= 0 and best else math.nan,
                "alternative_need_served": float(best.alternative_served) if alt_ci >= 0 and best else math.nan,
                "worse_value": float(best.worse_adds) if best is not None else math.nan,
            })
    sites = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    moves = _moves(analysis, inst, sol, codes, names)
    total_flow_c = np.asarray(flow_c.sum(axis=1)).ravel()
    touched = np.flatnonzero(total_flow_c > 1e-6)
    touched = touched[np.argsort(-total_flow_c[touched], kind="stable")]
    lifted_table = pd.DataFrame({
        "commune_code": codes[touched], "commune_name": names[touched],
        "coverage_before": np.divide(credited_c[touched], need_c[touched],
                                     out=np.ones(len(touched)), where=need_c[touched] > 0),
        "coverage_after": np.divide(credited_c[touched] + total_flow_c[touched], need_c[touched],
                                    out=np.ones(len(touched)), where=need_c[touched] > 0),
        "need_served": total_flow_c[touched], "priority_weight": inst.priority[touched]
        if len(inst.priority) else np.ones(len(touched)),
        "is_border": border[touched], "is_remote": remote[touched], "unreached": unreached_c[touched],
    })
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
        details={"options": model.n_options, "demand_points": int(model.reach.shape[0]),
                 "pairs": int(model.reach.nnz), "existing_teams": model.n_existing,
                 "new_team_capacity": inst.new_capacity, "method": sol.method},
        need_served=sol.served, baseline_need_served=sol.baseline_served,
        added_need_served=sol.served - sol.baseline_served, weights=inst.weights,
        threshold_ratio=ratio, communes=lifted_table)


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
        "need_served": num(plan.need_served), "baseline_need_served": num(plan.baseline_need_served),
        "added_need_served": num(plan.added_need_served),
        "threshold_ratio": num(plan.threshold_ratio), "weights": dataclasses.asdict(plan.weights),
        "infeasible_vi": plan.infeasible_vi, "infeasible_en": plan.infeasible_en,
        "sites": sites, "moves": moves,
        "communes": [{k: (num(v) if isinstance(v, float) else v) for k, v in row.items()}
                     for row in plan.communes.to_dict(orient="records")],
    }
