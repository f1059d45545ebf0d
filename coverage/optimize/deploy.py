"""Suggest where to deploy new teams: build the model from an analysis, solve, explain.

The bridge between :mod:`coverage.analysis.analyze` (demand points, need, reach, flags) and the
array models of :mod:`coverage.optimize.covering`:

* demand points and their need come from :attr:`AnalysisResult.demand` (``need``, a
  stock of resident-equivalents), grouped by commune;
* a team's capacity over the horizon is ``capacity_per_week x planning_horizon_weeks``,
  with ``capacity_per_week = members x weekly_hours x residents_per_volunteer_hour``
  (:func:`coverage.analysis.need.capacity_per_week`);
* candidate sites are one per commune at its representative point (EPSG:4326), or points
  the user gives; their reach comes from :meth:`AnalysisResult.reach_from_sites` with the
  same travel model as the existing teams (straight line x detour, or roads).

One coverage model (the rule a planner can check by hand)
---------------------------------------------------------
Every team, existing, new or moved, shares its hours among the demand points it reaches
in proportion to their need, independently of the other teams: the rule of the analysis
(:func:`coverage.analysis.need.share_by_need`). So a team at a site adds a fixed amount to each
commune it reaches, a commune's coverage is the sum of what its teams add divided by its
need, and the coverage a plan promises is exactly what ``analyze`` gives for the roster
with the plan's teams added and its moves made.

What a plan is worth (the objective, :class:`ServiceWeights`)
-------------------------------------------------------------
On top of that shared coverage the plan maximises a *service value*:

* **Tiers (diminishing returns).** A commune's credit counts 1 per resident-equivalent
  up to the adequacy threshold ``coverage_ratio = underserved_ratio``
  (``params.flags.underserved_ratio``, 0.5 by default; tier A), ``beyond_threshold_weight``
  (0.25) beyond it up to its need (tier B), and nothing beyond its need: the next team
  goes where it lifts the most residents of under-served communes toward the threshold.
* **Priorities.** Need in a border commune is worth ``border_weight`` (1.5) times as
  much, in a remote commune ``remote_weight`` (1.25), in a commune no team reaches
  ``unreached_weight`` (1.5). When several apply the weights multiply; with the defaults
  the largest product, 2.81, times 0.25 is still below 1, so need beyond the threshold
  anywhere never outranks need below it anywhere.

The plan reports both the *service value* (what the solver maximises and proves) and the
raw need served in resident-equivalents; the status sentence refers to the value.

Re-siting (``relocate > 0``): a moved team keeps its members, hours, mode and languages;
it is credited at its new site by the same rule, and loses what it was credited where it
was. Moves are aggregated by (reach mode, minority languages spoken).

Languages (technology interpreters): every team's credit in a commune is scaled by the
language factor of :mod:`coverage.analysis.need` (full rate for residents whose language a member
speaks, ``interpreter_rate`` otherwise), existing, new and moved teams alike. New teams
may be asked to speak given languages (``languages``); a site's explanation then says
when part of what it adds comes from that language need.
By default no move may leave a commune that had a team in reach with none
(``keep_reached``); the plan states what that guarantee costs.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from coverage.text.i18n import LANGS, Lang, format_number, format_percent, register, t
from coverage.optimize.covering import (
    Alternative,
    CapacitatedCovering,
    DeploymentSolution,
    Infeasibility,
    Method,
    Status,
)
from coverage.text import language as text_language  # noqa: F401  (registers the language messages)
from coverage.text.plan import format_points

if TYPE_CHECKING:
    from coverage.analysis.analyze import AnalysisResult

Mode = Literal["fixed", "mobile"]

SITE_COLUMNS = (
    "commune_code", "commune_name", "lon", "lat", "need_served", "newly_reached", "is_border",
    "is_remote", "reason_vi", "reason_en", "alternative_vi", "alternative_en",
    "value_added", "need_below_threshold", "communes_served", "alternative_code",
    "alternative_value", "alternative_need_served", "worse_value", "languages", "language_extra",
)
"""Columns of :attr:`PlanResult.sites`: the first twelve are promised by
docs/architecture.md; then the service value and the alternative in numbers, the new
team's minority languages (``jrai;bahnar``) and ``language_extra``, the residents it
helps in addition, over the horizon, because it speaks them where no team in reach did."""


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
    "plan.reason.lift": {"vi": "{name} từ {before} lên {after} (đội này góp {change})",
                         "en": "{name} from {before} to {after} (this team adds {change})"},
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
        One row per moved existing team (:data:`MOVE_COLUMNS`): the team, from which
        commune to which (``lon``/``lat`` of the new site, EPSG:4326), what the origin
        commune keeps (coverage before and after, teams still in reach, whether it is
        left with none) and what the target gains, with a sentence in each language;
        empty unless re-siting.
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
        One row per commune whose coverage or teams in reach change: ``commune_code``,
        ``commune_name``, ``coverage_before``, ``coverage_after`` (share of need met
        within the horizon, exactly the analysis's ``coverage_ratio`` of the roster
        before and after the plan), ``need_served`` (change in need served),
        ``priority_weight``, ``is_border``, ``is_remote``, ``unreached`` (before),
        ``teams_in_reach_before``, ``teams_in_reach_after``.
    notes_vi, notes_en
        What the chosen options guarantee and cost, in plain words (border reach is
        reach, not adequacy; the cost of keeping every commune reached; communes a move
        leaves with no team).
    keep_reached
        Whether moves were kept from leaving a commune with no team in reach.
    unguarded_added
        Value the plan would add without that guarantee (NaN when not computed).
    border_min_coverage
        Minimum share of need required in every border commune (0: none).
    new_team_languages
        Minority languages every new team speaks (keys); :func:`roster_with_plan` gives
        them to the new teams.
    interpreter_rate
        Rate of help without a speaker of the residents' language (the analysis's).
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
    notes_vi: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    keep_reached: bool = True
    unguarded_added: float = math.nan
    border_min_coverage: float = 0.0
    new_team_languages: tuple[str, ...] = ()
    interpreter_rate: float = math.nan


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
class DeploymentInstance:
    """Arrays built from an analysis: the model plus what is needed to explain it."""

    model: CapacitatedCovering
    candidates: pd.DataFrame        # one row per option: commune_index, commune_code, lon, lat
    communes_reached: sp.csr_matrix  # communes by options
    existing_reached: np.ndarray    # bool per commune: reached by an existing team
    border_communes: np.ndarray     # commune indices of the border communes
    horizon_weeks: float
    new_capacity: float
    priority: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per commune
    weights: ServiceWeights = field(default_factory=ServiceWeights)
    threshold_ratio: float = 0.5
    languages: tuple[str, ...] = ()          # minority languages the new teams speak
    plain_factor: np.ndarray | None = None   # per commune: factor of a team speaking none
    new_factor: np.ndarray | None = None     # per commune: factor of a new team


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
    weights: ServiceWeights = ServiceWeights(),
    languages: Sequence[str] = (),
) -> DeploymentInstance:
    """Build the capacitated covering model for ``analysis``.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze.analyze_coverage`.
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
        When positive, existing teams may move to the candidate sites (each keeps its
        capacity and its mode's reach).
    weights
        How coverage is valued (tiers and priorities, see the module docstring).
    languages
        Minority-language keys every new team speaks (``("jrai",)``); they are credited
        at the full rate where those languages are spoken.
    """
    from coverage.analysis.need import capacity_per_week, language_factor
    from coverage.inputs.validation import representative_points

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
    lon, lat = cand["lon"].to_numpy(float), cand["lat"].to_numpy(float)
    reach = sp.csc_matrix(analysis.reach_from_sites(lon, lat, mode=mode).covers.T, dtype=bool)
    teams = analysis.teams.reset_index(drop=True)
    team_cap = teams["capacity_per_week"].to_numpy(float) * horizon
    need_l = analysis.language_need
    n_classes = analysis.language_factor.shape[0]
    team_class = (teams["language_class"].to_numpy(np.int64) if "language_class" in teams.columns
                  else np.zeros(len(teams), dtype=np.int64))
    new_speaks = need_l.speaks([tuple(languages)])
    extra_rows = language_factor(np.vstack([new_speaks, np.zeros_like(new_speaks)]), need_l.share,
                                 interpreter_rate=analysis.params.capacity.interpreter_rate)
    factor_table = np.vstack([analysis.language_factor, extra_rows]) if need_l.languages else None
    move_reach: list[sp.csc_matrix] = []
    move_class: list[int] = []
    existing_mode = np.full(len(teams), -1, dtype=np.int64)
    if relocate > 0 and len(teams):
        modes = teams["mode"].astype(str).to_numpy()
        for m in ("fixed", "mobile"):
            if (modes == m).any():
                matrix = sp.csc_matrix(analysis.reach_from_sites(lon, lat, mode=m).covers.T, dtype=bool)
                for k in np.unique(team_class[modes == m]):  # moves aggregate by (mode, languages)
                    existing_mode[(modes == m) & (team_class == k)] = len(move_reach)
                    move_reach.append(matrix)
                    move_class.append(int(k))
    existing_group = teams["commune_code"].astype(str).map(index_of).fillna(-1).astype("int64").to_numpy()
    border_flag = communes["is_border"].to_numpy(bool)
    border = np.flatnonzero(border_flag)
    threshold_ratio = float(analysis.params.flags.underserved_ratio)
    unreached = communes["teams_in_reach"].to_numpy(np.int64) == 0
    priority_c = weights.priority(is_border=border_flag, is_remote=communes["is_remote"].to_numpy(bool),
                                  unreached=unreached)
    model = CapacitatedCovering(
        reach, analysis.demand["need"].to_numpy(float), new_cap_week * horizon,
        group=analysis.demand["commune_index"].to_numpy(np.int64), n_groups=len(communes),
        existing_reach=sp.csc_matrix(analysis.reach.covers.T, dtype=bool), existing_capacity=team_cap,
        threshold_ratio=threshold_ratio, priority=priority_c,
        beyond_threshold_weight=weights.beyond_threshold_weight,
        option_group=cand["commune_index"].to_numpy(np.int64), existing_group=existing_group,
        move_reach=move_reach, existing_mode=existing_mode, required=border,
        language_factor=factor_table, new_class=n_classes, existing_class=team_class, move_class=move_class)
    return DeploymentInstance(model, cand, sp.csr_matrix(model.new_hits.T), model.baseline_reach > 0,
                              border, horizon, new_cap_week * horizon, priority=priority_c,
                              weights=weights, threshold_ratio=threshold_ratio,
                              languages=tuple(languages),
                              plain_factor=extra_rows[1], new_factor=extra_rows[0])


def suggest_sites(
    analysis: AnalysisResult,
    *,
    new_teams: int,
    team_size: int = 15,
    mode: Mode = "mobile",
    weekly_hours: float | None = None,
    require_border: bool = False,
    border_min_coverage: float = 0.0,
    exclude: Sequence[str] = (),
    max_per_commune: int | None = 1,
    relocate: int = 0,
    keep_reached: bool = True,
    method: Method = "exact",
    time_limit_s: float = 60.0,
    candidates: pd.DataFrame | None = None,
    weights: ServiceWeights = ServiceWeights(),
    explain: bool = True,
    languages: Sequence[str] = (),
) -> PlanResult:
    """Suggest where to deploy ``new_teams`` new teams, with reasons in Vietnamese and English.

    Coverage follows the analysis's rule (module docstring), so every coverage figure of
    the plan is what ``analyze`` gives for the roster with the plan applied; the plan
    maximises the service value on top of it.

    Parameters
    ----------
    analysis
        Result of :func:`coverage.analysis.analyze.analyze_coverage`.
    new_teams
        Number of new teams (``K``).
    team_size, mode, weekly_hours
        Volunteers per new team, ``"fixed"`` or ``"mobile"``, and hours per volunteer per
        week (default: the roster's median).
    require_border
        Every border commune must have at least one team in reach (existing or new).
        This is about reach, not about how much of the need is met.
    border_min_coverage
        Every border commune must have at least this share of its need met (e.g. 0.5);
        0 for no minimum.
    exclude
        Commune codes that must not receive a team.
    max_per_commune
        At most this many new (or moved) teams per commune (default 1); ``None``: no limit.
    relocate
        Also move up to this many existing teams.
    keep_reached
        No move may leave a commune that had a team in reach with none (default). When
        it holds and teams may move, the plan is also solved without it and the cost of
        the guarantee is stated.
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
        Compute the best alternative for each site.
    languages
        Minority languages every new team speaks (keys, e.g. ``("jrai",)``); the
        interpreter rate is the analysis's (``params.capacity.interpreter_rate``).
    """
    inst = build_instance(analysis, team_size=team_size, mode=mode, weekly_hours=weekly_hours,
                          candidates=candidates, relocate=relocate, weights=weights, languages=languages)
    excluded = {str(c) for c in exclude}
    allowed = ~inst.candidates["commune_code"].isin(excluded).to_numpy()
    options: dict[str, Any] = {"allowed": allowed, "max_per_group": max_per_commune, "relocate": relocate,
                               "require": require_border, "min_coverage": float(border_min_coverage),
                               "method": method, "time_limit_s": time_limit_s}
    sol = inst.model.solve(new_teams, keep_reached=keep_reached, **options)
    unguarded: DeploymentSolution | None = None
    if (keep_reached and relocate > 0 and sol.status != "infeasible"
            and (inst.model.existing_mode >= 0).any()):
        unguarded = inst.model.solve(new_teams, keep_reached=False, **options)
        if unguarded.status == "infeasible":
            unguarded = None
    return plan_from_solution(analysis, inst, sol, allowed=allowed, max_per_commune=max_per_commune,
                              require_border=require_border, border_min_coverage=border_min_coverage,
                              keep_reached=keep_reached, relocate=relocate, unguarded=unguarded,
                              explain=explain)


def _names(indices: Sequence[int] | np.ndarray, names: np.ndarray, *, most: int = 5) -> str:
    shown = [str(names[i]) for i in list(indices)[:most]]
    return ", ".join(shown) + (", …" if len(indices) > most else "")


def _share(credit: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Coverage as the analysis computes it: credit / need (1 where there is no need)."""
    out: np.ndarray = np.divide(credit, need, out=np.ones(len(need)), where=need > 0)
    return out


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
    communes = analysis.communes.reset_index(drop=True)
    codes = communes["code"].astype(str).to_numpy()
    names = communes["name"].astype(str).to_numpy()
    border = communes["is_border"].to_numpy(bool)
    remote = communes["is_remote"].to_numpy(bool)
    model = inst.model
    need_c = model.group_need
    unreached_c = model.baseline_reach == 0
    ratio = inst.threshold_ratio
    weeks = inst.horizon_weeks
    before = _share(sol.baseline_credit, need_c)
    after = _share(sol.credit, need_c)
    infeasible = {"vi": "", "en": ""}
    if sol.status == "infeasible" and sol.infeasibility is not None:
        problem = sol.infeasibility
        for lg in LANGS:
            groups = problem.params.get("groups", [])
            most = problem.params.get("most", [])
            if most:
                group_names = [f"{names[g]} ({format_percent(v, lg, decimals=0)})" for g, v in zip(groups, most)]
            else:
                group_names = [f"{names[g]} ({codes[g]})" for g in groups]
            infeasible[lg] = describe_infeasibility(problem, lang=lg, names=group_names)
    alternatives: dict[int, Alternative] = {}
    if explain and sol.status != "infeasible":
        for alt in model.alternatives(sol, allowed=allowed, max_per_group=max_per_commune,
                                      require=require_border, keep_reached=keep_reached, relocate=relocate,
                                      min_coverage=border_min_coverage):
            alternatives[alt.option] = alt

    def labelled(c: int, lg: Lang, site: int = -1) -> str:
        """Commune name with the flags that raise its priority, e.g. ``Ia Ko (remote)``."""
        flags = [t(f"plan.flag.{name}", lg) for name, on in
                 (("border", border[c]), ("remote", remote[c]), ("unreached", unreached_c[c])) if on]
        return f"{names[c]} ({', '.join(flags)})" if flags and c != site else str(names[c])

    rows: list[dict[str, Any]] = []
    new_options = np.flatnonzero(sol.counts > 0)
    order = new_options[np.argsort(-sol.value_by_option[new_options], kind="stable")]
    for j in order:
        ci = int(cast(int, inst.candidates.at[j, "commune_index"]))
        n_here = int(sol.counts[j])
        credit_j = model.new_credit[[j]].toarray().ravel()
        reached = inst.communes_reached[:, [j]].toarray().ravel()
        newly = np.flatnonzero(reached & unreached_c)
        rest = sol.credit - credit_j
        served = model.served_of(sol.credit) - model.served_of(rest)
        value = model.value_of(sol.credit) - model.value_of(rest)
        below = float((np.minimum(np.maximum(sol.credit, 0), model.threshold)
                       - np.minimum(np.maximum(rest, 0), model.threshold)).sum())
        served_communes = np.flatnonzero(credit_j > 1e-6)
        served_communes = served_communes[np.argsort(-credit_j[served_communes], kind="stable")]
        total_j = float(credit_j.sum())
        noticeable = served_communes[(credit_j[served_communes] >= 0.05 * total_j)
                                     | (served_communes == served_communes[:1])]
        lifted = [int(c) for c in noticeable if before[c] < ratio][:3]
        above = [int(c) for c in noticeable if before[c] >= ratio][:3]
        language_need = _language_need_served(analysis, inst, credit_j, served_communes, served)
        text: dict[str, str] = {}
        alt_text: dict[str, str] = {}
        for lg in LANGS:
            lang = lg
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

            def lift(c: int, lg: Lang = lg) -> str:
                key = "plan.reason.lift" if after[c] >= before[c] else "plan.reason.lift_down"
                return t(key, lg, name=labelled(c, lg, ci),
                         before=format_percent(before[c], lg, decimals=0),
                         after=format_percent(after[c], lg, decimals=0),
                         change=format_points(credit_j[c] / need_c[c] if need_c[c] > 0 else 0.0, lg,
                                              decimals=0))

            if lifted:
                parts.append(t("plan.reason.lifts", lg, items=", ".join(lift(c) for c in lifted)))
            elif above:
                parts.append(t("plan.reason.above", lg, threshold=threshold,
                               items=", ".join(lift(c) for c in above)))
            if border[ci]:
                parts.append(t("plan.reason.border", lg))
            if remote[ci]:
                parts.append(t("plan.reason.remote", lg))
            if unreached_c[ci] and ci not in newly:
                parts.append(t("plan.reason.unreached", lg))
            if language_need is not None:
                parts.append(language_need.sentence(names, lg))
            text[lang] = "; ".join(parts)
            best: Alternative | None = alternatives.get(int(j))
            if best is None or best.alternative is None:
                alt_text[lang] = t("plan.alternative.none", lg) if best is not None else ""
            else:
                k = int(cast(int, inst.candidates.at[best.alternative, "commune_index"]))
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
        alt_ci = (int(cast(int, inst.candidates.at[best.alternative, "commune_index"]))
                  if best is not None and best.alternative is not None else -1)
        for _ in range(n_here):
            rows.append({
                "commune_code": str(codes[ci]), "commune_name": str(names[ci]),
                "lon": float(cast(float, inst.candidates.at[j, "lon"])), "lat": float(cast(float, inst.candidates.at[j, "lat"])),
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
                "languages": ";".join(inst.languages),
                "language_extra": language_need.extra if language_need is not None else 0.0,
            })
    sites = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    moves = _moves(analysis, inst, sol, codes, names)
    changed = np.flatnonzero((np.abs(sol.credit - sol.baseline_credit) > 1e-9)
                             | (sol.teams_in_reach != sol.baseline_teams_in_reach))
    changed = changed[np.argsort(-(after[changed] - before[changed]), kind="stable")]
    served_c = np.minimum(np.maximum(sol.credit, 0), need_c) - np.minimum(sol.baseline_credit, need_c)
    lifted_table = pd.DataFrame({
        "commune_code": codes[changed], "commune_name": names[changed],
        "coverage_before": before[changed], "coverage_after": after[changed],
        "need_served": served_c[changed],
        "priority_weight": inst.priority[changed] if len(inst.priority) else np.ones(len(changed)),
        "is_border": border[changed], "is_remote": remote[changed], "unreached": unreached_c[changed],
        "teams_in_reach_before": sol.baseline_teams_in_reach[changed],
        "teams_in_reach_after": sol.teams_in_reach[changed],
    })
    notes = _notes(inst, sol, names=names, require_border=require_border,
                   border_min_coverage=border_min_coverage, keep_reached=keep_reached, relocate=relocate,
                   unguarded=unguarded)
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
        threshold_ratio=ratio, communes=lifted_table,
        notes_vi=notes["vi"], notes_en=notes["en"], keep_reached=keep_reached,
        unguarded_added=(unguarded.objective - unguarded.baseline) if unguarded is not None else math.nan,
        border_min_coverage=float(border_min_coverage), new_team_languages=inst.languages,
        interpreter_rate=float(analysis.params.capacity.interpreter_rate))


@dataclass(frozen=True)
class _LanguageNeedServed:
    """Why a site was chosen for its language need: the communes, languages and numbers."""

    communes: tuple[int, ...]
    languages: tuple[str, ...]
    residents: float
    extra: float
    gap: bool
    estimated: bool = False

    def sentence(self, names: np.ndarray, lang: Lang) -> str:
        from coverage.analysis.languages import language_words, rounded_residents

        words = ", ".join(language_words(k, lang) for k in self.languages)
        key = "language.plan.reason" if self.gap else "language.plan.reason_speakers"
        text = t(key, lang, residents=format_number(rounded_residents(self.residents), lang),
                 names=_names(list(self.communes), names, most=3), language=words,
                 extra=format_number(self.extra, lang))
        return t("language.reason.estimated", lang, text=text) if self.estimated else text


def _language_need_served(analysis: AnalysisResult, inst: DeploymentInstance, credit: np.ndarray,
                          served: np.ndarray, need_served: float) -> _LanguageNeedServed | None:
    """What a new team's languages add where residents mainly speak them, if noticeable.

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
    extra = float(sum(credit[c] * (1.0 - inst.plain_factor[c] / inst.new_factor[c])
                      for c in relevant if inst.new_factor[c] > 0))
    if extra < max(0.5, 0.01 * need_served):
        return None
    index = {k: i for i, k in enumerate(analysis.language_need.languages)}
    population = communes["population"].to_numpy(dtype=float)
    used = [k for k in inst.languages if k in index and any(k in listed[c].split(";") for c in relevant)]
    residents = float(sum(population[c] * analysis.language_need.share[c, index[k]]
                          for c in relevant for k in used))
    had_gap = any(wanted & set(gap[c].split(";")) for c in relevant)
    estimated = bool(communes["languages_estimated"].to_numpy(dtype=bool)[relevant].any()) \
        if "languages_estimated" in communes.columns else False
    return _LanguageNeedServed(tuple(relevant), tuple(used), residents, extra, had_gap, estimated)


def _notes(inst: DeploymentInstance, sol: DeploymentSolution, *, names: np.ndarray, require_border: bool,
           border_min_coverage: float, keep_reached: bool, relocate: int,
           unguarded: DeploymentSolution | None) -> dict[str, tuple[str, ...]]:
    """What the options guarantee, and what they cost, in plain words."""
    model = inst.model
    out: dict[str, list[str]] = {"vi": [], "en": []}
    if sol.status == "infeasible":
        return {"vi": (), "en": ()}
    border = inst.border_communes
    before = _share(sol.baseline_credit, model.group_need)
    after = _share(sol.credit, model.group_need)
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
                items = ", ".join(f"{names[c]} {format_percent(after[c], lg, decimals=0)}" for c in low)
                out[lang].append(t("plan.note.border_below", lg, count=len(low), threshold=threshold,
                                   items=items))
            else:
                out[lang].append(t("plan.note.border_all_above", lg, threshold=threshold))
        if border_min_coverage > 0 and len(border):
            c = int(border[np.argmin(after[border])])
            out[lang].append(t("plan.note.border_min", lg, min=format_percent(border_min_coverage, lg, decimals=0),
                               name=names[c], lowest=format_percent(after[c], lg, decimals=1)))
        if relocate > 0 and (model.existing_mode >= 0).any():
            if keep_reached:
                out[lang].append(t("plan.note.keep_reached", lg))
                if unguarded is not None:
                    cut = np.flatnonzero((unguarded.teams_in_reach <= 0) & (unguarded.baseline_teams_in_reach > 0))
                    cost = unguarded.added - sol.added
                    if cost <= 1e-6 * max(1.0, abs(sol.added)) or len(cut) == 0:
                        out[lang].append(t("plan.note.keep_cost_none", lg,
                                           value=format_number(max(unguarded.added, sol.added), lg)))
                    else:
                        out[lang].append(t("plan.note.keep_cost", lg, with_value=format_number(sol.added, lg),
                                           without_value=format_number(unguarded.added, lg),
                                           cost=format_number(cost, lg), count=len(cut),
                                           names=_names(cut, names)))
            else:
                out[lang].append(t("plan.note.keep_lifted", lg))
        if len(lost):
            out[lang].append(t("plan.note.left_unreached", lg, count=len(lost), names=_names(lost, names)))
    del before
    return {lang: tuple(v) for lang, v in out.items()}


MOVE_COLUMNS = (
    "team_id", "team_name", "members", "mode", "from_code", "from_name", "to_code", "to_name", "lon", "lat",
    "from_coverage_before", "from_coverage_after", "from_teams_in_reach_after", "from_left_unreached",
    "to_coverage_before", "to_coverage_after", "reason_vi", "reason_en",
)
"""Columns of :attr:`PlanResult.moves`."""


def _moves(analysis: AnalysisResult, inst: DeploymentInstance, sol: DeploymentSolution,
           codes: np.ndarray, names: np.ndarray) -> pd.DataFrame:
    moved = np.flatnonzero(sol.moved_to >= 0)
    if len(moved) == 0:
        return pd.DataFrame(columns=list(MOVE_COLUMNS))
    teams = analysis.teams.reset_index(drop=True)
    model = inst.model
    before = _share(sol.baseline_credit, model.group_need)
    after = _share(sol.credit, model.group_need)
    index_of = {c: i for i, c in enumerate(codes)}
    rows = []
    for e in moved:
        j = int(sol.moved_to[e])
        to = int(cast(int, inst.candidates.at[j, "commune_index"]))
        home = index_of.get(str(teams.at[e, "commune_code"]), -1)
        record: dict[str, Any] = {
            "team_id": str(teams.at[e, "team_id"]),
            "team_name": str(teams.at[e, "team_name"]) if "team_name" in teams.columns else "",
            "members": int(cast(int, teams.at[e, "members"])), "mode": str(teams.at[e, "mode"]),
            "from_code": str(teams.at[e, "commune_code"]), "from_name": str(names[home]) if home >= 0 else "",
            "to_code": str(codes[to]), "to_name": str(names[to]),
            "lon": float(cast(float, inst.candidates.at[j, "lon"])), "lat": float(cast(float, inst.candidates.at[j, "lat"])),
            "from_coverage_before": float(before[home]) if home >= 0 else math.nan,
            "from_coverage_after": float(after[home]) if home >= 0 else math.nan,
            "from_teams_in_reach_after": int(sol.teams_in_reach[home]) if home >= 0 else 0,
            "from_left_unreached": bool(home >= 0 and sol.teams_in_reach[home] <= 0),
            "to_coverage_before": float(before[to]), "to_coverage_after": float(after[to]),
        }
        for lg in LANGS:
            lang = lg
            left = (t("plan.move.left_unreached", lg) if record["from_left_unreached"]
                    else t("plan.move.still_reached", lg, count=record["from_teams_in_reach_after"]))
            record[f"reason_{lang}"] = t(
                "plan.move.reason", lg, team=record["team_id"], source=record["from_name"] or record["from_code"],
                target=record["to_name"], before=format_percent(record["from_coverage_before"], lg, decimals=0),
                after=format_percent(record["from_coverage_after"], lg, decimals=0),
                change=format_points(record["from_coverage_after"] - record["from_coverage_before"], lg,
                                     decimals=0),
                left=left, to_before=format_percent(record["to_coverage_before"], lg, decimals=0),
                to_after=format_percent(record["to_coverage_after"], lg, decimals=0),
                to_change=format_points(record["to_coverage_after"] - record["to_coverage_before"], lg,
                                        decimals=0))
        rows.append(record)
    return pd.DataFrame(rows, columns=list(MOVE_COLUMNS))


def roster_with_plan(teams: pd.DataFrame, plan: PlanResult, *, team_size: int = 15, mode: Mode = "mobile",
                     weekly_hours: float | None = None, id_prefix: str = "NEW") -> pd.DataFrame:
    """The validated roster with the plan applied: its moves made and its new teams added.

    Moved teams keep everything but their commune and location (the new site); new teams
    get ``team_size`` members, ``mode``, ``weekly_hours`` (default: the roster's
    median, as :func:`suggest_sites` assumes), the plan's ``new_team_languages``, ids ``<id_prefix>-1``, ``-2``... Analysing
    the result gives exactly the coverage the plan reports (``plan.communes``).
    """
    out = teams.copy().reset_index(drop=True)
    for move in plan.moves.to_dict(orient="records"):
        where = out["team_id"].astype(str) == str(move["team_id"])
        out.loc[where, "commune_code"] = str(move["to_code"])
        out.loc[where, "latitude"] = float(move["lat"])
        out.loc[where, "longitude"] = float(move["lon"])
    hours = (float(pd.to_numeric(teams["weekly_hours"], errors="coerce").median()) if weekly_hours is None
             and len(teams) else float(weekly_hours if weekly_hours is not None else 5.0))
    rows = []
    for n, site in enumerate(plan.sites.to_dict(orient="records"), start=1):
        row: dict[str, Any] = {column: None for column in out.columns}
        row.update({"team_id": f"{id_prefix}-{n}", "team_name": f"{id_prefix} {n} {site['commune_name']}",
                    "commune_code": str(site["commune_code"]), "latitude": float(site["lat"]),
                    "longitude": float(site["lon"]), "members": int(team_size), "mode": str(mode),
                    "weekly_hours": hours})
        for column in ("skills", "languages"):
            if column in out.columns:
                row[column] = tuple(plan.new_team_languages) if column == "languages" else ()
        rows.append(row)
    if not rows:
        return out
    return pd.concat([out, pd.DataFrame(rows, columns=out.columns)], ignore_index=True)


def plan_to_records(plan: PlanResult) -> dict[str, Any]:
    """Return the plan as JSON-ready data (no NaN: unknown numbers become ``None``)."""
    def num(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    def clean(value: Any) -> Any:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return num(float(value))
        return value

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{str(k): clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

    return {
        "status": plan.status, "status_vi": plan.status_vi, "status_en": plan.status_en,
        "objective": num(plan.objective), "baseline": num(plan.baseline), "added": num(plan.added),
        "bound": num(plan.bound), "gap": num(plan.gap), "runtime_s": num(plan.runtime_s),
        "horizon_weeks": num(plan.horizon_weeks),
        "need_served": num(plan.need_served), "baseline_need_served": num(plan.baseline_need_served),
        "added_need_served": num(plan.added_need_served),
        "threshold_ratio": num(plan.threshold_ratio), "weights": dataclasses.asdict(plan.weights),
        "infeasible_vi": plan.infeasible_vi, "infeasible_en": plan.infeasible_en,
        "keep_reached": plan.keep_reached, "unguarded_added": num(plan.unguarded_added),
        "border_min_coverage": num(plan.border_min_coverage),
        "new_team_languages": list(plan.new_team_languages), "interpreter_rate": num(plan.interpreter_rate),
        "notes_vi": list(plan.notes_vi), "notes_en": list(plan.notes_en),
        "sites": records(plan.sites), "moves": records(plan.moves), "communes": records(plan.communes),
    }
