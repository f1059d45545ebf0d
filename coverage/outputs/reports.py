"""Meeting outputs that work offline: HTML map, static maps, briefing PDF and slides.

One bundle (:class:`ReportBundle`) holds what a meeting needs: the validated inputs,
the coverage analysis, the deployment plan and an optional before/after comparison
with a saved scenario. :func:`coverage.outputs.bundle.write_report` turns it into files:

========  ==============================================================================
format    files
========  ==============================================================================
``html``  ``<slug>-map.html``: the interactive map (:mod:`coverage.outputs.maps`), one file that
          opens with no internet (Leaflet inlined, every user text escaped).
``png``   ``<slug>-map.png``: 1920 x 1080 map for slides (:mod:`coverage.outputs.staticmap`).
``pdf``   ``<slug>-map-a4.pdf`` and ``<slug>-map-a3.pdf`` (landscape pages) and
          ``<slug>-briefing.pdf``, the briefing (A4 portrait, reportlab platypus).
``pdf``   ``<slug>-teams.pdf``: a sheet per team (home, communes served and share, members).
``pptx``  ``<slug>-slides.pptx``: 16:9 deck, one idea per slide, real text and tables of at
          most 6 rows at 18 pt (appendix slides: 7), a slide per border commune, moves.
``xlsx``  ``<slug>-tables.xlsx``: communes, roster, scenario differences, English sheet.
========  ==============================================================================

Every output says where the data come from and labels the SAMPLE roster and the
ILLUSTRATIVE connectivity estimate wherever they are used. Text is Vietnamese by
default (``lang="en"`` for English), numbers in the language's format (1.234.567;
12,5%), and PDFs embed DejaVu Sans (shipped with matplotlib), which has every
Vietnamese letter.

This module writes only the files it is asked for; it reads nothing from disk except
the fonts. Building the bundle from the data directory is the command line's job
(:mod:`coverage.commands.report`).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

import coverage.text.reports  # noqa: F401  (registers the packet, moves and workbook words)
from coverage.outputs.safe_output import NAME_CHARS, display_name, printable, shorten
from coverage.text.i18n import (
    CATALOG,
    Lang,
    format_date,
    format_number,
    format_percent,
    register,
    t,
)
from coverage.text.textnorm import fold

if TYPE_CHECKING:
    from coverage.inputs.model import Inputs
    from coverage.outputs import (
        staticmap,
    )  # imported where a map is drawn: matplotlib is slow to load

Format = Literal["html", "png", "pdf", "pptx", "xlsx"]
FORMATS: tuple[Format, ...] = ("html", "png", "pdf", "pptx", "xlsx")

_MAP_METRICS = ("coverage_ratio", "density_per_km2", "need", "connectivity_index")


class AnalysisLike(Protocol):
    """What reports read from :class:`coverage.analysis.analyze.AnalysisResult`."""

    @property
    def communes(self) -> gpd.GeoDataFrame: ...


class PlanLike(Protocol):
    """What reports read from :class:`coverage.optimize.deploy.PlanResult`."""

    @property
    def sites(self) -> pd.DataFrame: ...

    @property
    def status(self) -> str: ...

    @property
    def status_vi(self) -> str: ...

    @property
    def status_en(self) -> str: ...


register(
    {
        "report.title": {
            "vi": "Đội thanh niên tình nguyện hỗ trợ người dân sử dụng dịch vụ công trực tuyến",
            "en": "Youth volunteer teams helping residents use online public services",
        },
        "report.map_title": {
            "vi": "Mức đáp ứng của đội thanh niên tình nguyện hỗ trợ dịch vụ công trực tuyến",
            "en": "How far youth volunteer teams meet the need for help with online public "
            "services",
        },
        "report.map_title_density": {
            "vi": "Dân cư và đội thanh niên tình nguyện hỗ trợ dịch vụ công trực tuyến",
            "en": "Population and youth volunteer teams for online public services",
        },
        "report.briefing": {"vi": "Báo cáo tóm tắt", "en": "Briefing"},
        "report.subtitle": {
            "vi": "{province} · {communes} xã/phường · ngày {date}",
            "en": "{province} · {communes} communes · {date}",
        },
        "report.province": {"vi": "Tỉnh {name}", "en": "{name} province"},
        "report.all_provinces": {
            "vi": "Toàn quốc (34 tỉnh/thành)",
            "en": "Viet Nam (34 provinces)",
        },
        "report.scenario_line": {"vi": "Kịch bản: {name}", "en": "Scenario: {name}"},
        "report.notice.sample": {
            "vi": "Danh sách đội là dữ liệu MẪU, không phải danh sách thật.",
            "en": "The team roster is SAMPLE data, not the real roster.",
        },
        "report.notice.estimate": {
            "vi": "Các chỉ số kết nối số là ƯỚC TÍNH MINH HOẠ, không phải số liệu đo đạc.",
            "en": "The connectivity indicators are an ILLUSTRATIVE ESTIMATE, not measurements.",
        },
        "report.notice.head": {"vi": "Lưu ý về dữ liệu:", "en": "About the data:"},
        "report.notice.use": {
            "vi": "Kết quả chỉ minh hoạ cách làm; cần thay bằng số liệu thật trước khi quyết định.",
            "en": "Results illustrate the method; replace with real data before deciding.",
        },
        "report.sources": {
            "vi": "Nguồn: ranh giới và dân số xã/phường sau sáp nhập (1/7/2025): Bản đồ tham khảo "
            "đơn vị hành chính Việt Nam (sapnhap.bando.com.vn, NXB Tài nguyên – Môi trường và Bản "
            "đồ Việt Nam) qua thanglequoc/vietnamese-provinces-database (MIT) – bản đồ tham khảo, "
            "không phải ranh giới pháp lý; dân số hiệu chỉnh đối chiếu Vietflexmap/sapnhap. Nước "
            "láng giềng: Natural Earth (phạm vi công cộng). Danh sách đội: {teams}. Chỉ số kết nối "
            "số: {indicators}.",
            "en": "Sources: post-merger (1 July 2025) commune boundaries and population: Reference "
            "map of Viet Nam's administrative units (sapnhap.bando.com.vn, Viet Nam Natural "
            "Resources, Environment and Cartography Publishing House) via "
            "thanglequoc/vietnamese-provinces-database (MIT) – a reference map, not legal "
            "boundaries; population corrected against Vietflexmap/sapnhap. Neighbouring countries: "
            "Natural Earth (public domain). Team roster: {teams}. Connectivity indicators: "
            "{indicators}.",
        },
        "report.source.sample": {"vi": "MẪU ({source})", "en": "SAMPLE ({source})"},
        "report.source.estimate": {
            "vi": "ƯỚC TÍNH MINH HOẠ ({source})",
            "en": "ILLUSTRATIVE ESTIMATE ({source})",
        },
        "report.source.uploaded": {
            "vi": "tệp {source}, nạp ngày {date}",
            "en": "file {source}, uploaded {date}",
        },
        "report.source.partial": {
            "vi": "{source}; {count} xã/phường không có trong tệp dùng ƯỚC TÍNH MINH HOẠ",
            "en": "{source}; {count} communes missing from the file use the ILLUSTRATIVE ESTIMATE",
        },
        "report.notice.partial_estimate": {
            "vi": "{count} xã/phường không có trong tệp chỉ số kết nối số; các xã/phường này dùng "
            "ƯỚC TÍNH MINH HOẠ.",
            "en": "{count} communes are missing from the connectivity indicator file; they use the "
            "ILLUSTRATIVE ESTIMATE.",
        },
        # headline figures
        "report.h.communes": {"vi": "Xã/phường", "en": "Communes"},
        "report.h.population": {"vi": "Dân số", "en": "Population"},
        "report.h.teams": {"vi": "Đội tình nguyện", "en": "Volunteer teams"},
        "report.h.volunteers": {"vi": "Tình nguyện viên", "en": "Volunteers"},
        "report.h.need_met": {"vi": "Nhu cầu được đáp ứng", "en": "Need met"},
        "report.h.in_reach": {
            "vi": "Dân số trong tầm với của đội",
            "en": "Population within a team's reach",
        },
        "report.h.underserved": {"vi": "Xã/phường thiếu hỗ trợ", "en": "Under-served communes"},
        "report.h.priority": {
            "vi": "… trong đó biên giới, vùng sâu, vùng xa",
            "en": "… of which border or remote",
        },
        "report.h.need_met.note": {
            "vi": "Phần nhu cầu hỗ trợ mà năng lực các đội đáp ứng được trong kỳ kế hoạch.",
            "en": "Share of the need for help that team capacity meets within the planning "
            "horizon.",
        },
        "report.headline": {"vi": "Số liệu chính", "en": "Key figures"},
        "report.map": {"vi": "Bản đồ", "en": "Map"},
        "report.no_analysis": {
            "vi": "Chưa có kết quả phân tích mức đáp ứng; bản đồ tô màu theo mật độ dân số.",
            "en": "No coverage analysis yet; the map is shaded by population density.",
        },
        # priority communes
        "report.priority.title": {
            "vi": "Xã/phường biên giới, vùng sâu, vùng xa thiếu hỗ trợ",
            "en": "Under-served border and remote communes",
        },
        "report.priority.intro": {
            "vi": "{n} xã/phường biên giới hoặc vùng sâu, vùng xa có mức đáp ứng thấp (xếp từ thấp "
            "nhất).",
            "en": "{n} border or remote communes have low coverage (lowest first).",
        },
        "report.priority.none": {
            "vi": "Không có xã/phường biên giới hay vùng sâu, vùng xa nào bị đánh giá là thiếu hỗ "
            "trợ.",
            "en": "No border or remote commune is rated under-served.",
        },
        "report.priority.more": {
            "vi": "… và {n} xã/phường khác (xem bản báo cáo PDF).",
            "en": "… and {n} more (see the PDF briefing).",
        },
        "report.col.no": {"vi": "TT", "en": "No."},
        "report.col.commune": {"vi": "Xã/phường", "en": "Commune"},
        "report.col.population": {"vi": "Dân số", "en": "Population"},
        "report.col.coverage": {"vi": "Mức đáp ứng", "en": "Need met"},
        "report.col.flags": {"vi": "Đặc điểm", "en": "Type"},
        "report.col.reasons": {"vi": "Lý do", "en": "Reasons"},
        "report.col.need_served": {"vi": "Nhu cầu được đáp ứng thêm", "en": "Extra need served"},
        "report.col.newly_reached": {
            "vi": "Xã/phường được phủ mới",
            "en": "Communes newly reached",
        },
        "report.col.alternative": {"vi": "Phương án thay thế", "en": "Alternative"},
        "report.col.metric": {"vi": "Chỉ số", "en": "Measure"},
        "report.col.before": {"vi": "Hiện tại", "en": "Current"},
        "report.col.after": {"vi": "Kịch bản", "en": "Scenario"},
        "report.col.change": {"vi": "Thay đổi", "en": "Change"},
        "report.flag.border": {"vi": "Biên giới", "en": "Border"},
        "report.flag.remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote"},
        # plan
        "report.plan.title": {"vi": "Đề xuất bố trí đội mới", "en": "Proposed new teams"},
        "report.plan.intro": {
            "vi": "{n} vị trí đề xuất, đánh số như trên bản đồ.",
            "en": "{n} proposed sites, numbered as on the map.",
        },
        "report.plan.none": {
            "vi": "Chưa có phương án bố trí đội mới.",
            "en": "No deployment plan yet.",
        },
        "report.plan.empty": {
            "vi": "Phương án không đề xuất thêm đội nào.",
            "en": "The plan proposes no new team.",
        },
        "report.plan.status": {
            "vi": "Chất lượng lời giải: {status}.",
            "en": "Solution quality: {status}.",
        },
        "report.plan.total": {
            "vi": "Tổng nhu cầu được đáp ứng thêm: {need} (resident-equivalent); {n} xã/phường "
            "được phủ mới.",
            "en": "Total extra need served: {need} (resident-equivalents); {n} communes newly "
            "reached.",
        },
        # comparison
        "report.compare.title": {
            "vi": "So sánh trước và sau: {name}",
            "en": "Before and after: {name}",
        },
        "report.compare.intro": {
            "vi": "So sánh danh sách đội hiện tại với kịch bản đã lưu \u201c{name}\u201d.",
            "en": "The current roster compared with the saved scenario \u201c{name}\u201d.",
        },
        "report.compare.changed": {
            "vi": "Xã/phường thay đổi nhiều nhất về mức đáp ứng",
            "en": "Communes whose coverage changes most",
        },
        # sources / method
        "report.method.title": {
            "vi": "Nguồn dữ liệu và cách tính",
            "en": "Data sources and method",
        },
        "report.method.coverage": {
            "vi": "Mức đáp ứng của một xã/phường = năng lực hỗ trợ của các đội với tới xã đó trong "
            "kỳ kế hoạch chia cho nhu cầu hỗ trợ (số người còn cần giúp về VNeID mức 2, nộp hồ sơ "
            "trực tuyến, có tính thêm thời gian cho người không có điện thoại thông minh). Năng "
            "lực của mỗi đội được chia cho các xã nó với tới theo tỷ lệ nhu cầu, nên không tính "
            "trùng.",
            "en": "A commune's coverage = the help capacity of the teams that reach it within the "
            "planning horizon divided by its need for help (residents still needing help with "
            "VNeID level 2 and online filing, with extra time for those without a smartphone). "
            "Each team's capacity is shared between the communes it reaches in proportion to need, "
            "so nothing is counted twice.",
        },
        "report.method.crs": {
            "vi": "Khoảng cách và diện tích tính bằng mét trong hệ toạ độ phẳng {crs}.",
            "en": "Distances and areas are computed in metres in the projected coordinate system "
            "{crs}.",
        },
        "report.page": {"vi": "Trang {n}", "en": "Page {n}"},
        "report.generated": {"vi": "Lập ngày {date}", "en": "Prepared {date}"},
        "report.slide.map_caption": {
            "vi": "Màu: mức đáp ứng nhu cầu; viền đỏ tím: thiếu hỗ trợ; số trong vòng tròn xanh: "
            "vị trí đề xuất đội mới.",
            "en": "Colour: need met; magenta outline: under-served; numbers in green circles: "
            "proposed new teams.",
        },
        "report.slide.map_caption_density": {
            "vi": "Màu: mật độ dân số (người/km²); chấm xanh đậm: đội hiện có.",
            "en": "Colour: population density (people/km²); dark blue dots: existing teams.",
        },
        "report.slide.map_title": {
            "vi": "Bản đồ mức đáp ứng theo xã/phường",
            "en": "Coverage map by commune",
        },
        "report.slide.map_title_density": {
            "vi": "Bản đồ dân cư và các đội tình nguyện",
            "en": "Population and volunteer teams",
        },
        "report.continued": {"vi": "(tiếp)", "en": "(continued)"},
    }
)


# ------------------------------------------------------------------------ bundle


@dataclass(frozen=True)
class Headline:
    """Headline figures of one roster's analysis.

    Attributes
    ----------
    communes, population, teams, volunteers
        Counts (volunteers = sum of ``members``).
    need
        Total need for help (resident-equivalents), ``None`` without analysis.
    need_met_share
        ``sum(need * min(coverage_ratio, 1)) / sum(need)``, in [0, 1].
    population_in_reach_share
        Share of the population in communes with at least one team in reach.
    underserved, priority
        Number of under-served communes, and of those that are border or remote.
    """

    communes: int
    population: int
    teams: int
    volunteers: int
    need: float | None = None
    need_met_share: float | None = None
    population_in_reach_share: float | None = None
    underserved: int | None = None
    priority: int | None = None


MOVE_COLUMNS = (
    "team_id",
    "team_name",
    "members",
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "from_lon",
    "from_lat",
    "to_lon",
    "to_lat",
)
"""Columns of :attr:`ScenarioComparison.moves`: one row per team whose commune changes."""

NEW_TEAM_COLUMNS = (
    "team_id",
    "team_name",
    "commune_code",
    "commune_name",
    "members",
    "mode",
    "lon",
    "lat",
)
"""Columns of :attr:`ScenarioComparison.new_teams` (and ``removed_teams``)."""


@dataclass(frozen=True)
class ScenarioComparison:
    """Before/after figures for a saved scenario against the current roster.

    Attributes
    ----------
    name
        The scenario's name as saved (user text: escaped wherever it goes into HTML).
    before, after
        Headline figures of the current roster and of the scenario.
    changes
        Communes whose coverage changes, largest change first: ``code``, ``name``,
        ``coverage_before``, ``coverage_after``.
    moves
        Teams of both rosters whose commune differs (:data:`MOVE_COLUMNS`), from the
        roster differences alone.
    new_teams, removed_teams
        Teams only in the scenario, and only in the current roster (:data:`NEW_TEAM_COLUMNS`).
    """

    name: str
    before: Headline
    after: Headline
    changes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["code", "name", "coverage_before", "coverage_after"]
        )
    )
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MOVE_COLUMNS)))
    new_teams: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(NEW_TEAM_COLUMNS))
    )
    removed_teams: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(NEW_TEAM_COLUMNS))
    )


@dataclass(frozen=True)
class ReportBundle:
    """Everything a report shows, computed beforehand.

    Attributes
    ----------
    inputs
        Validated inputs (communes in EPSG:4326, roster, indicators, sample labels).
    analysis
        Coverage analysis (:class:`coverage.analysis.analyze.AnalysisResult`), or ``None``: the
        map is then shaded by density and the coverage sections are left out.
    plan
        Deployment plan (:class:`coverage.optimize.deploy.PlanResult`), or ``None``.
    comparison
        Before/after figures when a scenario is reported on.
    countries, provinces
        Optional grey context for the static maps (EPSG:4326).
    generated_on
        Date printed on every output.
    projected_crs
        Projected CRS in metres of the analysis; ``None`` picks the local UTM zone.
    """

    inputs: Inputs
    analysis: AnalysisLike | None = None
    plan: PlanLike | None = None
    comparison: ScenarioComparison | None = None
    countries: gpd.GeoDataFrame | None = None
    provinces: gpd.GeoDataFrame | None = None
    generated_on: dt.date = field(default_factory=dt.date.today)
    projected_crs: Any = None
    progress: Any = None
    """Progress pages for a period, or ``None``.

    A :class:`coverage.outputs.progress_charts.ProgressSection`.
    """

    def __post_init__(self) -> None:
        if self.projected_crs is None and self.analysis is not None:
            object.__setattr__(self, "projected_crs", getattr(self.analysis, "crs", None))

    @property
    def communes(self) -> gpd.GeoDataFrame:
        """Return the analysed communes, else the input communes with their density.

        Without an analysis, ``density_per_km2`` is added (EPSG:4326).
        """
        if self.analysis is not None:
            return self.analysis.communes
        frame = self.inputs.communes.copy()
        if "density_per_km2" not in frame.columns:
            area = pd.to_numeric(frame["area_km2"], errors="coerce")
            frame["density_per_km2"] = pd.to_numeric(
                frame["population"], errors="coerce"
            ) / area.where(area > 0)
        return frame

    @property
    def teams(self) -> pd.DataFrame:
        """The roster the analysis was computed with."""
        return self.inputs.teams

    @property
    def sites(self) -> pd.DataFrame:
        """Proposed sites, numbered 1.. in this order (empty without a plan)."""
        if self.plan is None or self.plan.sites is None:
            return pd.DataFrame(columns=["commune_code", "commune_name", "lon", "lat"])
        return self.plan.sites.reset_index(drop=True)

    @property
    def metric(self) -> str:
        """Column the maps are shaded by: coverage ratio, else population density."""
        return "coverage_ratio" if "coverage_ratio" in self.communes.columns else "density_per_km2"


def headline_from(communes: pd.DataFrame, teams: pd.DataFrame) -> Headline:
    """Compute the headline figures from analysed communes and their roster.

    Parameters
    ----------
    communes
        One row per commune with ``population`` and, when analysed, ``need``,
        ``coverage_ratio``, ``teams_in_reach``, ``is_underserved``, ``is_border``,
        ``is_remote``.
    teams
        The roster (``members``).
    """
    population = pd.to_numeric(communes["population"], errors="coerce").fillna(0)
    members = (
        pd.to_numeric(teams["members"], errors="coerce").fillna(0)
        if "members" in teams
        else pd.Series(dtype=float)
    )
    out: dict[str, Any] = {
        "communes": len(communes),
        "population": int(population.sum()),
        "teams": len(teams),
        "volunteers": int(members.sum()),
    }
    if {"need", "coverage_ratio"} <= set(communes.columns):
        need = pd.to_numeric(communes["need"], errors="coerce").fillna(0)
        ratio = pd.to_numeric(communes["coverage_ratio"], errors="coerce").fillna(0).clip(0, 1)
        total = float(need.sum())
        out["need"] = total
        out["need_met_share"] = float((need * ratio).sum() / total) if total > 0 else None
    if "teams_in_reach" in communes.columns and population.sum() > 0:
        reached = pd.to_numeric(communes["teams_in_reach"], errors="coerce").fillna(0) > 0
        out["population_in_reach_share"] = float(population[reached].sum() / population.sum())
    if "is_underserved" in communes.columns:
        under = _flag(communes, "is_underserved")
        out["underserved"] = int(under.sum())
        out["priority"] = int(
            (under & (_flag(communes, "is_border") | _flag(communes, "is_remote"))).sum()
        )
    return Headline(**out)


def compare_scenario(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    name: str,
    teams_before: pd.DataFrame,
    teams_after: pd.DataFrame,
    limit: int = 10,
) -> ScenarioComparison:
    """Compare the analysed communes of the current roster with a scenario's.

    Parameters
    ----------
    before, after
        Analysed communes (``code``, ``name``, ``coverage_ratio`` ...), one row each.
    name
        The scenario's name.
    teams_before, teams_after
        The two rosters.
    limit
        How many communes with the largest coverage change to list.
    """
    changes = pd.DataFrame(columns=["code", "name", "coverage_before", "coverage_after"])
    if "coverage_ratio" in before.columns and "coverage_ratio" in after.columns:
        merged = pd.DataFrame(
            {
                "code": before["code"].astype(str),
                "name": before["name"],
                "coverage_before": pd.to_numeric(before["coverage_ratio"], errors="coerce"),
            }
        )
        right = pd.DataFrame(
            {
                "code": after["code"].astype(str),
                "coverage_after": pd.to_numeric(after["coverage_ratio"], errors="coerce"),
            }
        )
        merged = merged.merge(right, on="code", how="inner")
        delta = (merged["coverage_after"] - merged["coverage_before"]).abs()
        merged = merged.assign(_delta=delta)[delta > 1e-9].sort_values("_delta", ascending=False)
        changes = merged.drop(columns="_delta").head(limit).reset_index(drop=True)
    names = dict(zip(before["code"].astype(str), before["name"].astype(str), strict=True))
    moves, added, removed = roster_differences(teams_before, teams_after, names=names)
    return ScenarioComparison(
        name=name,
        before=headline_from(before, teams_before),
        after=headline_from(after, teams_after),
        changes=changes,
        moves=moves,
        new_teams=added,
        removed_teams=removed,
    )


def roster_differences(
    teams_before: pd.DataFrame,
    teams_after: pd.DataFrame,
    *,
    names: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the moves, new teams and removed teams between two rosters.

    A *move* is a team (same ``team_id``) whose ``commune_code`` differs; new and removed
    teams are the ids found in only one roster. ``names`` maps commune codes to names.
    Coordinates are in degrees (EPSG:4326).
    """
    names = names or {}

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        if "team_id" not in frame.columns:
            return pd.DataFrame(columns=["team_id"]).set_index("team_id")
        return (
            frame.assign(_id=frame["team_id"].astype(str)).drop_duplicates("_id").set_index("_id")
        )

    b, a = keyed(teams_before), keyed(teams_after)

    def get(frame: pd.DataFrame, key: str, column: str) -> Any:
        return frame.at[key, column] if column in frame.columns else None

    def coord(frame: pd.DataFrame, key: str, column: str) -> float:
        value = pd.to_numeric(pd.Series([get(frame, key, column)]), errors="coerce").iloc[0]
        return float(value)

    moves = []
    for key in [k for k in a.index if k in b.index]:
        before_code, after_code = str(get(b, key, "commune_code")), str(get(a, key, "commune_code"))
        if before_code == after_code:
            continue
        moves.append(
            {
                "team_id": key,
                "team_name": str(get(a, key, "team_name") or ""),
                "members": get(a, key, "members"),
                "from_code": before_code,
                "from_name": names.get(before_code, before_code),
                "to_code": after_code,
                "to_name": names.get(after_code, after_code),
                "from_lon": coord(b, key, "longitude"),
                "from_lat": coord(b, key, "latitude"),
                "to_lon": coord(a, key, "longitude"),
                "to_lat": coord(a, key, "latitude"),
            }
        )

    def teams_only(frame: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for key in [k for k in frame.index if k not in other.index]:
            code = str(get(frame, key, "commune_code"))
            rows.append(
                {
                    "team_id": key,
                    "team_name": str(get(frame, key, "team_name") or ""),
                    "commune_code": code,
                    "commune_name": names.get(code, code),
                    "members": get(frame, key, "members"),
                    "mode": str(get(frame, key, "mode") or ""),
                    "lon": coord(frame, key, "longitude"),
                    "lat": coord(frame, key, "latitude"),
                }
            )
        return pd.DataFrame(rows, columns=list(NEW_TEAM_COLUMNS))

    return (pd.DataFrame(moves, columns=list(MOVE_COLUMNS)), teams_only(a, b), teams_only(b, a))


def priority_communes(communes: pd.DataFrame) -> pd.DataFrame:
    """Return the under-served border and remote communes, lowest coverage first.

    Empty (with the same columns) when the frame carries no flags.
    """
    needed = {"is_underserved", "is_border", "is_remote"}
    if not needed <= set(communes.columns):
        return pd.DataFrame(columns=list(communes.columns))
    mask = _flag(communes, "is_underserved") & (
        _flag(communes, "is_border") | _flag(communes, "is_remote")
    )
    frame = pd.DataFrame(communes[mask].drop(columns="geometry", errors="ignore"))
    keys = [c for c in ("coverage_ratio", "need") if c in frame.columns]
    return frame.sort_values(keys, ascending=[True, False][: len(keys)]) if keys else frame


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


# ------------------------------------------------------------- packets and teams


def team_commune_shares(bundle: ReportBundle) -> pd.DataFrame:
    """Return each team's share of capacity per commune it reaches.

    Columns ``team_id``, ``commune_code``, ``share`` (0-1; a team's shares sum to 1 when it reaches
    any need). The same rule as the analysis (:func:`coverage.analysis.need.share_by_need`): a
    team's capacity is shared between the demand points it reaches in proportion to their need.
    Without the reach matrix (no analysis), each team serves its own commune.
    """
    analysis = bundle.analysis
    reach = getattr(analysis, "reach", None)
    demand = getattr(analysis, "demand", None)
    teams = getattr(analysis, "teams", None)
    if reach is None or demand is None or teams is None or len(teams) == 0:
        roster = bundle.teams
        return pd.DataFrame(
            {
                "team_id": roster.get("team_id", pd.Series(dtype=str)).astype(str),
                "commune_code": roster.get("commune_code", pd.Series(dtype=str)).astype(str),
                "share": 1.0,
            }
        )
    from scipy import sparse

    covers = sparse.csr_array(reach.covers, dtype=float)
    need = pd.to_numeric(demand["need"], errors="coerce").fillna(0).to_numpy(dtype=float)
    codes = demand["commune_code"].astype(str).to_numpy()
    unique, point_commune = np.unique(codes, return_inverse=True)
    membership = sparse.csr_array(
        (need, (np.arange(len(need)), point_commune)), shape=(len(need), len(unique))
    )
    per_commune = sparse.coo_array(covers @ membership)
    total = np.asarray(per_commune.sum(axis=1)).ravel()
    frame = pd.DataFrame(
        {
            "team_id": teams["team_id"].astype(str).to_numpy()[per_commune.row],
            "commune_code": unique[per_commune.col],
            "share": per_commune.data
            / np.where(total[per_commune.row] > 0, total[per_commune.row], 1.0),
        }
    )
    return frame[frame["share"] > 0].sort_values(
        ["team_id", "share"], ascending=[True, False], ignore_index=True
    )


def teams_reaching(
    bundle: ReportBundle, code: str, *, shares: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the roster rows of the teams that reach commune ``code``.

    Largest share of their capacity there first, with a ``share`` column.
    """
    shares = team_commune_shares(bundle) if shares is None else shares
    here = shares[shares["commune_code"] == str(code)]
    roster = (
        bundle.teams.assign(_id=bundle.teams["team_id"].astype(str))
        if "team_id" in bundle.teams
        else None
    )
    if roster is None or here.empty:
        return bundle.teams.iloc[0:0].assign(share=pd.Series(dtype=float))
    merged = roster.merge(here.rename(columns={"team_id": "_id"})[["_id", "share"]], on="_id")
    return merged.sort_values("share", ascending=False).drop(columns="_id").reset_index(drop=True)


def border_communes(communes: pd.DataFrame) -> pd.DataFrame:
    """Return the border communes, lowest coverage first (empty without flags)."""
    if "is_border" not in communes.columns:
        return pd.DataFrame(columns=list(communes.columns))
    frame = communes[_flag(communes, "is_border")]
    keys = [c for c in ("coverage_ratio",) if c in frame.columns]
    return frame.sort_values(keys) if keys else frame


def _words(values: Any, prefix: str, lang: Lang) -> str:
    """``('vi', 'jrai')`` -> ``tiếng Việt, tiếng Jrai`` (unknown codes as they are)."""
    if isinstance(values, str):
        items = [v.strip() for v in values.replace(",", ";").split(";") if v.strip()]
    elif isinstance(values, (list, tuple, np.ndarray)):
        items = [str(v) for v in values]
    else:
        items = []
    out = []
    for item in items:
        key = f"{prefix}{item}"
        out.append(t(key, lang) if key in CATALOG else item)
    return ", ".join(out)


def _mode(value: Any, lang: Lang) -> str:
    key = f"report.mode.{value}"
    return t(key, lang) if key in CATALOG else str(value)


def short_reason(text: str, max_chars: int = 70) -> str:
    """Return a reason cut to a short phrase for slides.

    The first reason of a "; "-joined list, without its parenthesised details; when still
    longer than ``max_chars``, cut at the last clause (", ") that fits, else at a word,
    with "…".
    """
    first = str(text or "").split("; ")[0].strip()
    first = re.sub(r"\s*\([^()]*\)", "", first).strip()
    first = first[:1].upper() + first[1:]
    if len(first) <= max_chars:
        return first
    head = first[: max_chars - 1]
    cut = head.rfind(", ")
    if cut >= max_chars // 3:
        return head[:cut] + "…"
    cut = head.rfind(" ")
    return (head[:cut] if cut >= max_chars // 3 else head).rstrip(",;: ") + "…"


def _minority_pct(bundle: ReportBundle, code: str) -> float | None:
    indicators = bundle.inputs.indicators
    if indicators is None or "ethnic_minority_pct" not in indicators.columns:
        return None
    row = indicators[indicators["commune_code"].astype(str) == str(code)]
    if row.empty:
        return None
    value = pd.to_numeric(row["ethnic_minority_pct"], errors="coerce").iloc[0]
    return None if pd.isna(value) else float(value)


def _name(value: Any, max_chars: int = NAME_CHARS) -> str:
    """Return a user-given name as printed: visible glyphs only, at most ``max_chars``."""
    return display_name(value, max_chars)


def _scenario_name(bundle: ReportBundle) -> str:
    return _name(bundle.comparison.name) if bundle.comparison is not None else ""


# -------------------------------------------------------------------------- texts


def _province_label(bundle: ReportBundle, lang: Lang) -> str:
    province = bundle.inputs.province
    if province is None:
        return t("report.all_provinces", lang)
    name = province.name
    if re.match(r"^(Thành phố|TP\.?|Tỉnh)\s", name):
        return name
    return t("report.province", lang, name=name)


def _notice(bundle: ReportBundle, lang: Lang) -> str | None:
    parts = []
    if bundle.inputs.teams_is_sample:
        parts.append(t("report.notice.sample", lang))
    if bundle.inputs.indicators_is_estimate:
        parts.append(t("report.notice.estimate", lang))
    elif bundle.inputs.indicators_missing:
        parts.append(
            t(
                "report.notice.partial_estimate",
                lang,
                count=format_number(len(bundle.inputs.indicators_missing), lang),
            )
        )
    if not parts:
        return None
    return " ".join([t("report.notice.head", lang), *parts, t("report.notice.use", lang)])


def _sources(bundle: ReportBundle, lang: Lang) -> str:
    inputs = bundle.inputs
    teams = (
        t("report.source.sample", lang, source=inputs.teams_source_label(lang))
        if inputs.teams_is_sample
        else inputs.teams_source_label(lang)
    )
    text = t("report.sources", lang, teams=teams, indicators=_indicator_source(inputs, lang))
    credit = _population_credit(bundle, lang)
    return f"{text} {credit}." if credit else text


def _population_credit(bundle: ReportBundle, lang: Lang) -> str:
    """Return the WorldPop credit line when the analysis placed demand with it, else ''."""
    if getattr(bundle.analysis, "demand_source", "grid") != "worldpop":
        return ""
    import coverage.text.population  # noqa: F401  (registers the credit line)

    return t("credit.population", lang)


def _indicator_source(inputs: Inputs, lang: Lang) -> str:
    """Return the indicators' source: the estimate, or the file with its upload date and gaps."""
    if inputs.indicators_is_estimate:
        return t("report.source.estimate", lang, source=inputs.indicators_source_label(lang))
    text = inputs.indicators_source_label(lang)
    if inputs.indicators_saved_at:
        moment = dt.datetime.fromisoformat(inputs.indicators_saved_at)
        day = moment.astimezone(dt.timezone(dt.timedelta(hours=7))).date()  # Vietnam time
        text = t("report.source.uploaded", lang, source=text, date=format_date(day, lang))
    if inputs.indicators_missing:
        text = t(
            "report.source.partial",
            lang,
            source=text,
            count=format_number(len(inputs.indicators_missing), lang),
        )
    return text


def _subtitle(bundle: ReportBundle, lang: Lang) -> str:
    text = t(
        "report.subtitle",
        lang,
        province=_province_label(bundle, lang),
        communes=format_number(len(bundle.communes), lang),
        date=format_date(bundle.generated_on, lang),
    )
    if bundle.comparison is not None:
        text += " · " + t("report.scenario_line", lang, name=_scenario_name(bundle))
    return text


def _map_title(bundle: ReportBundle, lang: Lang) -> str:
    key = "report.map_title" if bundle.metric == "coverage_ratio" else "report.map_title_density"
    return t(key, lang)


def _flags_text(row: pd.Series | Mapping[Any, Any], lang: Lang) -> str:
    out = []
    if bool(row.get("is_border", False)):
        out.append(t("report.flag.border", lang))
    if bool(row.get("is_remote", False)):
        out.append(t("report.flag.remote", lang))
    return ", ".join(out)


def _reasons(row: pd.Series | Mapping[Any, Any], lang: Lang, column: str = "reasons") -> str:
    value = row.get(f"{column}_{lang}", "")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _pct(value: Any, lang: Lang) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return format_percent(number, lang, decimals=0) if math.isfinite(number) else "–"


def _cov(value: Any, lang: Lang) -> str:
    """Return a coverage ratio as a percentage; above 100% reads "> 100%"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(number):
        return "–"
    return (
        "> " + format_percent(1.0, lang, decimals=0)
        if number > 1.0
        else format_percent(number, lang, decimals=0)
    )


def _share(value: float, lang: Lang) -> str:
    """Return a share of capacity; under half a percent reads "< 1%"."""
    return (
        "< " + format_percent(0.01, lang, decimals=0)
        if 0 < value < 0.005
        else format_percent(value, lang, decimals=0)
    )


def _num(value: Any, lang: Lang, decimals: int = 0) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return format_number(number, lang, decimals=decimals) if math.isfinite(number) else "–"


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
        rows.append((label, format_number(x, lang), format_number(y, lang), _signed(y - x, lang)))

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
                _signed(points, lang, decimals=1) + unit,
            )
        )

    count(t("report.h.teams", lang), b.teams, a.teams)
    count(t("report.h.volunteers", lang), b.volunteers, a.volunteers)
    share(t("report.h.need_met", lang), b.need_met_share, a.need_met_share)
    share(t("report.h.in_reach", lang), b.population_in_reach_share, a.population_in_reach_share)
    count(t("report.h.underserved", lang), b.underserved, a.underserved, lower_is_better=True)
    count(t("report.h.priority", lang), b.priority, a.priority, lower_is_better=True)
    return rows


def _signed(value: float, lang: Lang, *, decimals: int = 0) -> str:
    if round(value, decimals) == 0:
        return format_number(0, lang, decimals=decimals)
    sign = "+" if value > 0 else "−"
    return sign + format_number(abs(value), lang, decimals=decimals)


def _site_rows(bundle: ReportBundle, lang: Lang) -> list[dict[str, str]]:
    sites = bundle.sites
    names = dict(
        zip(bundle.communes["code"].astype(str), bundle.communes["name"].astype(str), strict=True)
    )
    rows = []
    for number, row in enumerate(sites.to_dict("records"), start=1):
        reached = row.get("newly_reached")
        codes = list(reached) if isinstance(reached, (list, tuple, np.ndarray)) else []
        reached_names = [_name(names.get(str(c), str(c)), 40) for c in codes]
        flags = _flags_text(row, lang)
        commune = _name(row.get("commune_name") or names.get(str(row.get("commune_code")), ""))
        rows.append(
            {
                "no": str(number),
                "commune": commune + (f" ({flags})" if flags else ""),
                "need_served": _num(row.get("need_served"), lang),
                "newly_reached": (f"{len(codes)}: " + ", ".join(reached_names)) if codes else "0",
                "newly_reached_count": format_number(len(codes), lang),
                "commune_short": _name(commune, 30),
                "reason": _reasons(row, lang, "reason"),
                "alternative": _reasons(row, lang, "alternative"),
            }
        )
    return rows


def _plan_status(bundle: ReportBundle, lang: Lang) -> str | None:
    if bundle.plan is None:
        return None
    status = bundle.plan.status_vi if lang == "vi" else bundle.plan.status_en
    text = t("report.plan.status", lang, status=status) if status else None
    infeasible = str(getattr(bundle.plan, f"infeasible_{lang}", "") or "")
    if infeasible and text and infeasible not in text:
        text += " " + infeasible
    return text


def _plan_total(bundle: ReportBundle, lang: Lang) -> str | None:
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


def _crs_name(bundle: ReportBundle, lang: Lang) -> str:
    from coverage.outputs import staticmap

    return staticmap.crs_label(staticmap.projected_crs(bundle.communes, bundle.projected_crs), lang)


# ---------------------------------------------------------------------- static maps


DISPLAY_TOLERANCE_M = 30.0
"""Simplification of the static maps' polygons, metres: under 0,1 mm on an A3 page of a
province, and shared edges stay shared (:func:`coverage.outputs.maps.simplify_for_display`)."""


def map_layers(bundle: ReportBundle) -> staticmap.MapLayers:
    """Return the static-map layers of a bundle: communes, teams, numbered sites, context."""
    from coverage.outputs import maps, staticmap

    communes = maps.simplify_for_display(bundle.communes, tolerance_m=DISPLAY_TOLERANCE_M)
    teams = bundle.teams
    team_points = (
        staticmap.points_from_lonlat(teams, lon="longitude", lat="latitude")
        if {"longitude", "latitude"} <= set(teams.columns)
        else None
    )
    sites = bundle.sites
    site_points = (
        staticmap.points_from_lonlat(sites, lon="lon", lat="lat")
        if not sites.empty and {"lon", "lat"} <= set(sites.columns)
        else None
    )
    labels: list[str] = []
    if not sites.empty and "commune_code" in sites.columns:
        labels += [str(c) for c in sites["commune_code"]]
    # every border commune, then every flagged one (under-served border/remote first)
    labels += [str(c) for c in border_communes(communes)["code"]]
    flagged = _flag(communes, "is_underserved") | _flag(communes, "is_remote")
    if flagged.any():
        order = communes[flagged].assign(
            _p=~(
                _flag(communes, "is_underserved")
                & (_flag(communes, "is_border") | _flag(communes, "is_remote"))
            )[flagged],
            _u=~_flag(communes, "is_underserved")[flagged],
        )
        keys = ["_p", "_u"] + (["need"] if "need" in order.columns else [])
        order = order.sort_values(keys, ascending=[True, True, False][: len(keys)])
        labels += [str(c) for c in order["code"]]
    comparison = bundle.comparison
    new_points = moves = None
    if comparison is not None:
        if not comparison.new_teams.empty:
            new_points = staticmap.points_from_lonlat(comparison.new_teams, lon="lon", lat="lat")
            labels = [str(c) for c in comparison.new_teams["commune_code"]] + labels
        if not comparison.moves.empty:
            moves = comparison.moves
            labels = [str(c) for c in comparison.moves["to_code"]] + labels
    seen: set[str] = set()
    label_codes = tuple(c for c in labels if not (c in seen or seen.add(c)))  # type: ignore[func-returns-value]
    return staticmap.MapLayers(
        communes=communes,
        teams=team_points,
        sites=site_points,
        countries=bundle.countries,
        provinces=bundle.provinces,
        crs=bundle.projected_crs,
        label_codes=label_codes,
        new_teams=new_points,
        moves=moves,
    )


def draw_report_map(
    bundle: ReportBundle,
    *,
    layout: staticmap.Layout = "slide",
    lang: Lang = "vi",
    layers: staticmap.MapLayers | None = None,
) -> Any:
    """Draw the bundle's static map (a matplotlib Figure) for ``layout``.

    ``layers`` (from :func:`map_layers`) saves preparing them again for each page.
    """
    from coverage.outputs import staticmap

    text = staticmap.MapText(
        title=_map_title(bundle, lang),
        subtitle=_subtitle(bundle, lang),
        sources=_sources(bundle, lang),
        notice=_notice(bundle, lang),
    )
    return staticmap.draw_map(
        layers if layers is not None else map_layers(bundle),
        text=text,
        metric=bundle.metric,
        layout=layout,
        lang=lang,
    )


def write_map_png(
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: staticmap.MapLayers | None = None,
) -> Path:
    """Write the 1920 x 1080 PNG map for slides."""
    from coverage.outputs import staticmap

    fig = draw_report_map(bundle, layout="slide", lang=lang, layers=layers)
    return staticmap.save_figure(fig, path, dpi=staticmap.SLIDE_PNG_DPI)


def write_map_pdf(
    bundle: ReportBundle,
    path: Path,
    *,
    paper: Literal["a4", "a3"] = "a4",
    lang: Lang = "vi",
    layers: staticmap.MapLayers | None = None,
) -> Path:
    """Write the map as a one-page landscape PDF (A4 or A3), fonts embedded."""
    from coverage.outputs import staticmap

    fig = draw_report_map(bundle, layout=paper, lang=lang, layers=layers)
    return staticmap.save_figure(fig, path, dpi=200)


def _map_png_bytes(
    bundle: ReportBundle,
    *,
    layout: staticmap.Layout,
    lang: Lang,
    dpi: float,
    layers: staticmap.MapLayers | None = None,
) -> bytes:
    from coverage.outputs import staticmap

    fig = draw_report_map(bundle, layout=layout, lang=lang, layers=layers)
    buffer = io.BytesIO()
    with staticmap._style():
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


# ---------------------------------------------------------------------------- HTML


def map_html_document(bundle: ReportBundle, *, lang: Lang = "vi") -> str:
    """Return the interactive map as one self-contained HTML document.

    Built with :func:`coverage.outputs.maps.build_map` and :func:`coverage.outputs.maps.map_html`:
    Leaflet is inlined and no request leaves the file; ``build_map`` escapes the title.
    """
    from coverage.outputs import maps

    communes = bundle.communes
    metric = (
        bundle.metric if bundle.metric in maps.available_metrics(communes) else maps.DEFAULT_METRIC
    )
    sites = bundle.sites
    if sites.empty and bundle.comparison is not None and not bundle.comparison.new_teams.empty:
        new = bundle.comparison.new_teams  # a scenario's new teams, marked like proposed sites
        label = t("report.new_teams.title", lang)
        sites = pd.DataFrame(
            {
                "commune_code": new["commune_code"],
                "commune_name": new["commune_name"],
                "lon": new["lon"],
                "lat": new["lat"],
                f"reason_{lang}": [f"{label}: {n}" for n in new["team_name"]],
            }
        )
    title = f"{_map_title(bundle, lang)} – {_province_label(bundle, lang)}"
    m = maps.build_map(
        communes,
        bundle.teams,
        metric=metric,
        lang=lang,
        sites=sites if not sites.empty else None,
        title=title,
        teams_is_sample=bundle.inputs.teams_is_sample,
        indicators_is_estimate=bundle.inputs.indicators_is_estimate,
        demand=getattr(bundle.analysis, "demand", None),
        population_credit=_population_credit(bundle, lang),
    )
    return maps.map_html(m)


# ------------------------------------------------------------------------ briefing


def _fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab; return the two names."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = "DejaVuSans", "DejaVuSans-Bold"
    if regular not in pdfmetrics.getRegisteredFontNames():
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(regular, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(bold, str(folder / "DejaVuSans-Bold.ttf")))
        addMapping(regular, 0, 0, regular)
        addMapping(regular, 1, 0, bold)
        addMapping(regular, 0, 1, regular)
        addMapping(regular, 1, 1, bold)
    return regular, bold


PARAGRAPH_CHARS = 1500
"""Longest paragraph a PDF prints (then ``…``): no user text can outgrow a page."""

CELL_CHARS = 400
"""Longest table cell a PDF prints (then ``…``)."""


def _page_footer(canvas: Any, footer: str, page: str, *, font: str) -> None:
    """Draw the footer and the page number of an A4 portrait page.

    A footer too long for one line beside the page number goes on two lines
    (split at " · ").
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    size = 7.5
    room = A4[0] - 30 * mm - canvas.stringWidth(page, font, size) - 4 * mm
    footer = printable(footer)
    lines = [footer]
    if canvas.stringWidth(footer, font, size) > room and " · " in footer:
        parts = footer.split(" · ")
        first: list[str] = []
        while parts and canvas.stringWidth(" · ".join([*first, parts[0]]), font, size) <= room:
            first.append(parts.pop(0))
        first = first or [parts.pop(0)]
        lines = [" · ".join(first), " · ".join(parts)] if parts else [" · ".join(first)]
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.setFont(font, size)
    for n, line in enumerate(lines):
        canvas.drawString(15 * mm, (9 + 3.4 * (len(lines) - 1 - n)) * mm, shorten(line, 200))
    canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, page)
    canvas.restoreState()


def _p(text: str, max_chars: int = PARAGRAPH_CHARS) -> str:
    """Make text safe for a reportlab Paragraph.

    Glyphs the font has, bounded length, escaped (its markup is XML-like).
    """
    return html.escape(shorten(printable(str(text)), max_chars), quote=False)


def write_briefing_pdf(  # noqa: C901 (one page section after another; split planned, issue 11)
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: staticmap.MapLayers | None = None,
) -> Path:
    """Write the briefing: headline figures, map, priority communes, plan, comparison.

    A4 portrait, DejaVu Sans embedded, numbers in ``lang``'s format.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from coverage.outputs import staticmap

    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.3, leading=10.4)
    cell_head = ParagraphStyle("cellhead", parent=cell, fontName=bold, textColor=colors.white)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=17, leading=21, spaceAfter=3)
    h2 = ParagraphStyle(
        "h2",
        parent=base,
        fontName=bold,
        fontSize=12.5,
        leading=16,
        spaceBefore=8,
        spaceAfter=5,
        textColor=colors.HexColor("#08306b"),
    )
    big = ParagraphStyle(
        "big",
        parent=base,
        fontName=bold,
        fontSize=15,
        leading=18,
        textColor=colors.HexColor("#08306b"),
    )
    notice_style = ParagraphStyle(
        "notice",
        parent=base,
        fontSize=9,
        leading=11.5,
        textColor=colors.HexColor("#7a1d00"),
        backColor=colors.HexColor("#fff3e0"),
        borderColor=colors.HexColor("#e08a3c"),
        borderWidth=0.8,
        borderPadding=5,
        spaceBefore=4,
        spaceAfter=8,
    )
    width = A4[0] - 30 * mm
    head_bg = colors.HexColor("#08306b")

    def table(
        rows: Sequence[Sequence[str]], widths: Sequence[float], *, numeric: Iterable[int] = ()
    ) -> Table:
        body = [[Paragraph(_p(str(v)).replace("\n", "<br/>"), cell_head) for v in rows[0]]]
        body += [[Paragraph(_p(str(v), CELL_CHARS), cell) for v in row] for row in rows[1:]]
        tbl = Table(body, colWidths=list(widths), repeatRows=1)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), head_bg),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6fa")]),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        tbl.setStyle(TableStyle(style))
        return tbl

    story: list[Any] = [
        Paragraph(_p(t("report.briefing", lang) + ": " + t("report.title", lang)), h1),
        Paragraph(_p(_subtitle(bundle, lang)), base),
    ]
    notice = _notice(bundle, lang)
    if notice:
        story.append(Spacer(1, 4))
        story.append(Paragraph(_p(notice), notice_style))
    else:
        story.append(Spacer(1, 6))

    # headline figures: a grid of label + big number
    headline = headline_from(bundle.communes, bundle.teams)
    pairs = headline_rows(headline, lang)
    per_row = 4
    grid: list[list[Any]] = []
    for start in range(0, len(pairs), per_row):
        chunk = pairs[start : start + per_row]
        chunk += [("", "")] * (per_row - len(chunk))
        grid.append(
            [[Paragraph(_p(value), big), Paragraph(_p(label), small)] for label, value in chunk]
        )
    story.append(Paragraph(_p(t("report.headline", lang)), h2))
    tiles = Table(grid, colWidths=[width / per_row] * per_row)
    tiles.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, head_bg),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, head_bg),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story.append(tiles)
    if headline.need_met_share is not None:
        story.append(
            Paragraph(
                _p(t("report.h.need_met", lang) + ": " + t("report.h.need_met.note", lang)), small
            )
        )
    if bundle.analysis is None:
        story.append(Paragraph(_p(t("report.no_analysis", lang)), small))

    # map
    png = _map_png_bytes(bundle, layout="briefing", lang=lang, dpi=220, layers=layers)
    fig_w, fig_h = staticmap._LAYOUTS["briefing"][0]
    img = Image(io.BytesIO(png), width=width, height=width * fig_h / fig_w)
    story.append(Spacer(1, 6))
    story.append(KeepTogether([Paragraph(_p(t("report.map", lang)), h2), img]))

    # priority communes
    if bundle.analysis is not None:
        story.append(PageBreak())
        story.append(Paragraph(_p(t("report.priority.title", lang)), h2))
        priority = priority_communes(bundle.communes)
        if priority.empty:
            story.append(Paragraph(_p(t("report.priority.none", lang)), base))
        else:
            story.append(
                Paragraph(
                    _p(t("report.priority.intro", lang, n=format_number(len(priority), lang))), base
                )
            )
            story.append(Spacer(1, 4))
            rows: list[list[str]] = [
                [
                    t("report.col.no", lang),
                    t("report.col.commune", lang),
                    t("report.col.population", lang),
                    t("report.col.coverage", lang),
                    t("report.col.flags", lang),
                    t("report.col.reasons", lang),
                ]
            ]
            for i, row in enumerate(priority.to_dict("records"), start=1):
                rows.append(
                    [
                        str(i),
                        _name(row.get("name", "")),
                        _num(row.get("population"), lang),
                        _pct(row.get("coverage_ratio"), lang),
                        _flags_text(row, lang),
                        _reasons(row, lang),
                    ]
                )
            story.append(
                table(rows, [11 * mm, 28 * mm, 18 * mm, 19 * mm, 25 * mm, width - 101 * mm])
            )

    # plan
    story.append(Paragraph(_p(t("report.plan.title", lang)), h2))
    if bundle.plan is None:
        story.append(Paragraph(_p(t("report.plan.none", lang)), base))
    else:
        site_rows = _site_rows(bundle, lang)
        status = _plan_status(bundle, lang)
        if status:
            story.append(Paragraph("<b>" + _p(status) + "</b>", base))
        total = _plan_total(bundle, lang)
        if total:
            story.append(Paragraph(_p(total), base))
        if not site_rows:
            story.append(Paragraph(_p(t("report.plan.empty", lang)), base))
        else:
            story.append(
                Paragraph(
                    _p(t("report.plan.intro", lang, n=format_number(len(site_rows), lang))), base
                )
            )
            story.append(Spacer(1, 4))
            rows = [
                [
                    t("report.col.no", lang),
                    t("report.col.commune", lang),
                    t("report.col.need_served", lang),
                    t("report.col.newly_reached", lang),
                    t("report.col.reasons", lang),
                    t("report.col.alternative", lang),
                ]
            ]
            rows += [
                [
                    r["no"],
                    r["commune"],
                    r["need_served"],
                    r["newly_reached"],
                    r["reason"],
                    r["alternative"],
                ]
                for r in site_rows
            ]
            rest = width - 11 * mm - 28 * mm - 22 * mm - 35 * mm
            story.append(
                table(rows, [11 * mm, 28 * mm, 22 * mm, 35 * mm, rest * 0.55, rest * 0.45])
            )

    # comparison
    if bundle.comparison is not None:
        comparison = bundle.comparison
        block: list[Any] = [
            Paragraph(_p(t("report.compare.title", lang, name=_name(comparison.name))), h2),
            Paragraph(_p(t("report.compare.intro", lang, name=_name(comparison.name))), base),
            Spacer(1, 4),
        ]
        rows = [
            [
                t("report.col.metric", lang),
                t("report.col.before", lang),
                t("report.col.after", lang),
                t("report.col.change", lang),
            ]
        ]
        rows += [list(r) for r in comparison_rows(comparison, lang)]
        block.append(table(rows, [width * 0.43, width * 0.19, width * 0.19, width * 0.19]))
        story.append(KeepTogether(block))
        if not comparison.changes.empty:
            story.append(Spacer(1, 6))
            rows = [
                [
                    t("report.col.commune", lang),
                    t("report.col.before", lang),
                    t("report.col.after", lang),
                    t("report.col.change", lang),
                ]
            ]
            for row in comparison.changes.to_dict("records"):
                before, after = float(row["coverage_before"]), float(row["coverage_after"])
                rows.append(
                    [
                        _name(row["name"]),
                        _pct(before, lang),
                        _pct(after, lang),
                        _signed((after - before) * 100, lang)
                        + (" điểm %" if lang == "vi" else " pp"),
                    ]
                )
            story.append(
                KeepTogether(
                    [
                        Paragraph(_p(t("report.compare.changed", lang)), base),
                        Spacer(1, 3),
                        table(rows, [width * 0.43, width * 0.19, width * 0.19, width * 0.19]),
                    ]
                )
            )

    # moves and new teams of the scenario
    if bundle.comparison is not None:
        story.extend(
            _briefing_moves(
                bundle, lang, table=table, para=Paragraph, h2=h2, base=base, width=width
            )
        )

    # one page per border commune
    if bundle.analysis is not None:
        story.extend(
            _briefing_packets(
                bundle, lang, layers=layers, table=table, h2=h2, base=base, small=small, width=width
            )
        )

    if bundle.progress is not None:  # periodic evaluation (coverage.outputs.progress_charts)
        from coverage.outputs import progress_charts as report_progress

        story.extend(
            report_progress.briefing_story(
                bundle.progress,
                lang=lang,
                table=table,
                h2=h2,
                base=base,
                small=small,
                notice_style=notice_style,
                width=width,
            )
        )

    # sources and method
    story.append(PageBreak())
    story.append(Paragraph(_p(t("report.method.title", lang)), h2))
    if bundle.analysis is not None:
        story.append(Paragraph(_p(t("report.method.coverage", lang)), base))
        story.append(Spacer(1, 3))
    story.append(Paragraph(_p(t("report.method.crs", lang, crs=_crs_name(bundle, lang))), base))
    story.append(Spacer(1, 3))
    story.append(Paragraph(_p(_sources(bundle, lang)), base))
    if notice:
        story.append(Paragraph(_p(notice), notice_style))

    # appendix: every number the map shows, per commune
    story.append(PageBreak())
    story.append(Paragraph(_p(t("report.appendix.title", lang)), h2))
    header, records, widths_mm = appendix_rows(bundle.communes, lang)
    fixed = sum(widths_mm[:-1]) if widths_mm else 0.0
    col_widths = [w * mm for w in widths_mm[:-1]] + [width - fixed * mm]
    story.append(table([header, *records], col_widths))

    footer = t("report.generated", lang, date=format_date(bundle.generated_on, lang))
    if bundle.inputs.teams_is_sample or bundle.inputs.indicators_is_estimate:
        label = " · ".join(
            x
            for x in (
                t("report.flag.sample_short", lang) if bundle.inputs.teams_is_sample else "",
                t("report.flag.estimate_short", lang)
                if bundle.inputs.indicators_is_estimate
                else "",
            )
            if x
        )
        footer += " · " + label
    if _population_credit(bundle, lang):
        footer += " · " + _population_credit(bundle, lang)

    def on_page(canvas: Any, doc: Any) -> None:
        _page_footer(canvas, footer, t("report.page", lang, n=doc.page), font=regular)

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"{t('report.briefing', lang)}: {t('report.title', lang)}",
        author="gialai-coverage",
        lang=lang,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


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
                _name(row["team_name"] or row["team_id"]),
                _num(row.get("members"), lang),
                _name(row["from_name"]),
                _name(row["to_name"]),
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
                _name(row["team_name"] or row["team_id"]),
                _name(row["commune_name"]),
                _num(row.get("members"), lang),
                _mode(row.get("mode"), lang),
            ]
        )
    return rows


def _briefing_moves(
    bundle: ReportBundle, lang: Lang, *, table: Any, para: Any, h2: Any, base: Any, width: float
) -> list[Any]:
    from reportlab.platypus import Spacer

    comparison = bundle.comparison
    assert comparison is not None
    out: list[Any] = [para(_p(t("report.moves.title", lang)), h2)]
    if comparison.moves.empty:
        out.append(para(_p(t("report.moves.none", lang)), base))
    else:
        out.append(
            para(
                _p(t("report.moves.intro", lang, n=format_number(len(comparison.moves), lang))),
                base,
            )
        )
        out.append(Spacer(1, 3))
        out.append(
            table(
                move_rows(comparison, lang),
                [width * 0.36, width * 0.14, width * 0.25, width * 0.25],
            )
        )
    out.append(para(_p(t("report.new_teams.title", lang)), h2))
    if comparison.new_teams.empty:
        out.append(para(_p(t("report.new_teams.none", lang)), base))
    else:
        out.append(
            para(
                _p(
                    t(
                        "report.new_teams.intro",
                        lang,
                        n=format_number(len(comparison.new_teams), lang),
                    )
                ),
                base,
            )
        )
        out.append(Spacer(1, 3))
        out.append(
            table(
                new_team_rows(comparison, lang),
                [width * 0.08, width * 0.38, width * 0.26, width * 0.13, width * 0.15],
            )
        )
    if not comparison.removed_teams.empty:
        names = ", ".join(_name(n, 40) for n in comparison.removed_teams["team_name"].head(20))
        out.append(para(_p(t("report.removed_teams", lang, names=names)), base))
    return out


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
        flags = _flags_text(row, lang)
        facts = [
            (t("report.packet.population", lang), _num(row.get("population"), lang)),
            (t("report.packet.need", lang), _num(row.get("need"), lang)),
            (t("report.packet.coverage", lang), _cov(row.get("coverage_ratio"), lang)),
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
                    _name(team.get("team_name") or team.get("team_id"), 50),
                    _name(
                        names.get(str(team.get("commune_code")), str(team.get("commune_code"))), 30
                    ),
                    _num(team.get("members"), lang),
                    _mode(team.get("mode"), lang),
                    _words(team.get("skills"), "report.skill.", lang),
                    _words(team.get("languages"), "report.language.", lang),
                ]
            )
        packets.append(
            BorderPacket(
                code=code,
                name=_name(row.get("name", "")),
                facts=facts,
                reasons=_reasons(row, lang),
                teams=teams,
                team_rows=team_rows,
            )
        )
    return packets


_COUNTRIES = {
    "KHM": ("Campuchia", "Cambodia"),
    "LAO": ("Lào", "Laos"),
    "CHN": ("Trung Quốc", "China"),
}


def _country(value: str, lang: Lang) -> str:
    words = _COUNTRIES.get(value.upper())
    return (words[0] if lang == "vi" else words[1]) if words else value


def _team_header(lang: Lang) -> list[str]:
    return [
        t("report.col.team", lang),
        t("report.col.home", lang),
        t("report.col.members", lang),
        t("report.col.mode", lang),
        t("report.col.skills", lang),
        t("report.col.languages", lang),
    ]


PACKET_TEAMS = 12
"""Teams listed on a border commune's page (the largest shares first; then "… and N more")."""


def _briefing_packets(
    bundle: ReportBundle,
    lang: Lang,
    *,
    layers: staticmap.MapLayers | None,
    table: Any,
    h2: Any,
    base: Any,
    small: Any,
    width: float,
) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepInFrame,
        PageBreak,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    packets = border_packets(bundle, lang)
    if not packets:
        return []
    out: list[Any] = []
    for packet in packets:
        block: list[Any] = [Paragraph(_p(t("report.packet.heading", lang, name=packet.name)), h2)]
        png = inset_png_bytes(
            bundle, packet.code, layers=layers, lang=lang, size_in=INSET_IN, dpi=INSET_DPI
        )
        image = Image(io.BytesIO(png), width=78 * mm, height=78 * mm * INSET_IN[1] / INSET_IN[0])
        facts = Table(
            [[Paragraph(_p(k), small), Paragraph(_p(v, 300), base)] for k, v in packet.facts],
            colWidths=[34 * mm, width - 78 * mm - 40 * mm],
        )
        facts.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#cccccc"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        top = Table([[image, facts]], colWidths=[82 * mm, width - 82 * mm])
        top.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        block += [
            top,
            Spacer(1, 4),
            Paragraph("<b>" + _p(t("report.packet.reasons", lang)) + "</b>", base),
            Paragraph(_p(packet.reasons or t("report.packet.none_reasons", lang), 900), base),
            Spacer(1, 4),
            Paragraph("<b>" + _p(t("report.packet.teams", lang)) + "</b>", base),
        ]
        if not packet.team_rows:
            block.append(Paragraph(_p(t("report.packet.no_teams", lang)), base))
        else:
            rows = [_team_header(lang), *packet.team_rows[:PACKET_TEAMS]]
            block.append(
                table(
                    rows,
                    [
                        width * 0.22,
                        width * 0.15,
                        width * 0.1,
                        width * 0.1,
                        width * 0.25,
                        width * 0.18,
                    ],
                )
            )
            if len(packet.team_rows) > PACKET_TEAMS:
                block.append(
                    Paragraph(
                        _p(
                            t(
                                "report.slide.teams_more",
                                lang,
                                n=format_number(len(packet.team_rows) - PACKET_TEAMS, lang),
                            )
                        ),
                        small,
                    )
                )
        block.append(Paragraph(_p(t("report.teamsheet.share_note", lang)), small))
        out.append(PageBreak())
        out.append(KeepInFrame(width, 245 * mm, block, mode="shrink"))
    return out


def inset_png_bytes(
    bundle: ReportBundle,
    code: str,
    *,
    layers: staticmap.MapLayers | None,
    lang: Lang,
    size_in: tuple[float, float],
    dpi: float,
) -> bytes:
    """Return a small map of commune ``code`` with its neighbours and the teams that reach it.

    PNG.
    """
    from coverage.outputs import staticmap

    layers = layers if layers is not None else map_layers(bundle)
    key = ("inset", code, lang, size_in, dpi, bundle.metric)
    if key in layers.pictures:  # the briefing and the slides show the same inset
        return layers.pictures[key]
    reaching = teams_reaching(bundle, code)
    points = (
        staticmap.points_from_lonlat(reaching, lon="longitude", lat="latitude")
        if {"longitude", "latitude"} <= set(reaching.columns) and len(reaching)
        else None
    )
    fig = staticmap.draw_inset(
        layers, code, teams=points, metric=bundle.metric, size_in=size_in, lang=lang
    )
    buffer = io.BytesIO()
    with staticmap._style():
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    layers.pictures[key] = buffer.getvalue()
    return layers.pictures[key]


INSET_IN = (4.6, 4.2)
"""Size of a border commune's inset map (inches): on its slide at full size, in the
briefing 78 mm wide."""

INSET_DPI = 150


def write_team_sheets_pdf(bundle: ReportBundle, path: Path, *, lang: Lang = "vi") -> Path:
    """Write one sheet per team (A4 portrait, several to a page).

    Each sheet has the home commune, the communes the team serves with its share of
    capacity in each, members, mode, hours, skills and languages.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=3)
    h3 = ParagraphStyle(
        "h3",
        parent=base,
        fontName=bold,
        fontSize=11,
        leading=14,
        spaceBefore=6,
        spaceAfter=3,
        textColor=colors.HexColor("#08306b"),
    )
    width = A4[0] - 30 * mm
    names = dict(
        zip(bundle.communes["code"].astype(str), bundle.communes["name"].astype(str), strict=True)
    )
    coverage = (
        dict(
            zip(bundle.communes["code"].astype(str), bundle.communes["coverage_ratio"], strict=True)
        )
        if "coverage_ratio" in bundle.communes.columns
        else {}
    )
    shares = team_commune_shares(bundle)
    by_team = {str(k): g for k, g in shares.groupby("team_id", sort=False)}
    story: list[Any] = [
        Paragraph(
            _p(t("report.teamsheet.title", lang) + " · " + _province_label(bundle, lang)), h1
        ),
        Paragraph(_p(_subtitle(bundle, lang)), base),
        Paragraph(_p(t("report.teamsheet.share_note", lang)), small),
    ]
    notice = _notice(bundle, lang)
    if notice:
        story.append(Paragraph(_p(notice), small))
    for team in bundle.teams.to_dict("records"):
        team_id = str(team.get("team_id", ""))
        facts = [
            (
                t("report.col.home", lang),
                _name(names.get(str(team.get("commune_code")), str(team.get("commune_code")))),
            ),
            (t("report.col.members", lang), _num(team.get("members"), lang)),
            (t("report.col.mode", lang), _mode(team.get("mode"), lang)),
            (t("report.col.hours", lang), _num(team.get("weekly_hours"), lang, 1)),
            (t("report.col.skills", lang), _words(team.get("skills"), "report.skill.", lang)),
            (
                t("report.col.languages", lang),
                _words(team.get("languages"), "report.language.", lang),
            ),
        ]
        grid = Table(
            [[Paragraph(_p(k), small), Paragraph(_p(v, CELL_CHARS), base)] for k, v in facts],
            colWidths=[32 * mm, width * 0.5 - 32 * mm],
        )
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        served = by_team.get(team_id)
        serve_rows = [
            [
                Paragraph(_p(t("report.col.commune", lang)), small),
                Paragraph(_p(t("report.col.share", lang)), small),
                Paragraph(_p(t("report.col.coverage", lang)), small),
            ]
        ]
        if served is not None:
            for code, share in list(zip(served["commune_code"], served["share"], strict=True))[:12]:
                serve_rows.append(
                    [
                        Paragraph(_p(_name(names.get(str(code), str(code)), 40)), base),
                        _share(float(share), lang),
                        _cov(coverage.get(str(code)), lang),
                    ]
                )
        serves: Any
        if len(serve_rows) > 1:
            serves = Table(serve_rows, colWidths=[width * 0.26, width * 0.1, width * 0.1])
            serves.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), regular, 9),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.5, "#08306b"),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ]
                )
            )
        else:
            serves = Paragraph(_p(t("report.teamsheet.none", lang)), base)
        body = Table([[grid, serves]], colWidths=[width * 0.5, width * 0.5])
        body.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOX", (0, 0), (-1, -1), 0.4, "#b0b0b0"),
                ]
            )
        )
        heading = t(
            "report.teamsheet.heading",
            lang,
            name=_name(team.get("team_name") or team_id),
            team_id=_name(team_id, 30),
        )
        story.append(KeepTogether([Paragraph(_p(heading), h3), body, Spacer(1, 4)]))

    footer = t("report.generated", lang, date=format_date(bundle.generated_on, lang))

    def on_page(canvas: Any, doc: Any) -> None:
        _page_footer(canvas, footer, t("report.page", lang, n=doc.page), font=regular)

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=t("report.teamsheet.title", lang),
        author="gialai-coverage",
        lang=lang,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


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
            flags = _flags_text(row, lang)
            if bool(row.get("is_underserved", False)):
                flags = ", ".join(x for x in (t("report.flag.underserved", lang), flags) if x)
            rows.append(
                [
                    str(i),
                    _name(row["name"]),
                    _num(row.get("population"), lang),
                    _num(row.get("density_per_km2"), lang),
                    _num(row.get("need"), lang),
                    _cov(row.get("coverage_ratio"), lang),
                    _num(row.get("teams_in_reach"), lang),
                    flags,
                ]
            )
        else:
            rows.append(
                [
                    str(i),
                    _name(row["name"]),
                    _num(row.get("population"), lang),
                    _num(row.get("area_km2"), lang, 1),
                    _num(row.get("density_per_km2"), lang),
                ]
            )
    return header, rows, widths


register(
    {
        "report.appendix.title": {
            "vi": "Phụ lục: số liệu từng xã/phường",
            "en": "Appendix: figures per commune",
        },
        "report.col.density": {"vi": "Mật độ\n(người/km²)", "en": "Density\n(people/km²)"},
        "report.col.need": {"vi": "Nhu cầu", "en": "Need"},
        "report.col.teams_in_reach": {"vi": "Số đội trong tầm với", "en": "Teams in reach"},
        "report.col.area": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
        "report.flag.underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
        "report.flag.sample_short": {"vi": "Đội: dữ liệu MẪU", "en": "Teams: SAMPLE data"},
        "report.flag.estimate_short": {
            "vi": "Chỉ số kết nối số: ƯỚC TÍNH MINH HOẠ",
            "en": "Connectivity: ILLUSTRATIVE ESTIMATE",
        },
    }
)


# -------------------------------------------------------------------------- slides


def write_slides(  # noqa: C901 (one page section after another; split planned, issue 11)
    bundle: ReportBundle,
    path: Path,
    *,
    lang: Lang = "vi",
    layers: staticmap.MapLayers | None = None,
) -> Path:
    """Write a 16:9 PowerPoint deck, one idea per slide, with editable text and tables.

    Slides: title; key figures; map (the only picture); under-served border and remote
    communes; proposed new teams with the solution quality; before/after (with a
    scenario); data sources and caveats.
    """
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    from coverage.outputs import staticmap

    rgb: Any = RGBColor.from_string  # untyped in python-pptx
    navy, grey, warn, warn_fill = rgb("08306B"), rgb("555555"), rgb("7A1D00"), rgb("FFF3E0")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    slide_w = 13.333
    font = "DejaVu Sans"
    notice = _notice(bundle, lang)
    footer = " · ".join(
        [_province_label(bundle, lang), format_date(bundle.generated_on, lang)]
        + ([t("report.flag.sample_short", lang)] if bundle.inputs.teams_is_sample else [])
        + ([t("report.flag.estimate_short", lang)] if bundle.inputs.indicators_is_estimate else [])
        + ([_population_credit(bundle, lang)] if _population_credit(bundle, lang) else [])
    )

    def text_box(
        slide: Any,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        color: Any = None,
        fill: Any = None,
        wrap: bool = True,
    ) -> Any:
        shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = shape.text_frame
        frame.word_wrap = wrap
        for i, line in enumerate(shorten(text, SLIDE_TEXT_CHARS).split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.LEFT
            run = para.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = font
            if color is not None:
                run.font.color.rgb = color
        if fill is not None:
            shape.fill.solid()
            shape.fill.fore_color.rgb = fill
        return shape

    def _more(slide: Any, total: int) -> None:
        if total > SLIDE_ROWS:
            text_box(
                slide,
                0.5,
                6.45,
                slide_w - 1.0,
                0.45,
                t("report.priority.more", lang, n=format_number(total - SLIDE_ROWS, lang)),
                size=16,
                color=grey,
            )

    def new_slide(title: str) -> Any:
        title = shorten(title, 90)
        slide = prs.slides.add_slide(blank)
        size = 28 if len(title) <= 50 else 24 if len(title) <= 60 else 20
        text_box(slide, 0.5, 0.3, slide_w - 1.0, 0.8, title, size=size, bold=True, color=navy)
        text_box(slide, 0.5, 7.0, slide_w - 1.0, 0.35, footer, size=10, color=grey)
        return slide

    def add_table(
        slide: Any,
        rows: Sequence[Sequence[str]],
        widths_in: Sequence[float],
        *,
        y: float,
        size: float = SLIDE_PT,
        x: float = 0.5,
    ) -> Any:
        if len(rows) > APPENDIX_ROWS + 1:
            raise ValueError(
                f"a slide table has at most {APPENDIX_ROWS + 1} rows (got {len(rows)})"
            )
        height = Inches(0.4) * len(rows)
        shape = slide.shapes.add_table(
            len(rows), len(rows[0]), Inches(x), Inches(y), Inches(sum(widths_in)), Emu(int(height))
        )
        tbl = shape.table
        for j, w in enumerate(widths_in):
            tbl.columns[j].width = Inches(w)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = tbl.cell(i, j)
                cell.text = shorten(str(value), SLIDE_CELL_CHARS)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(size)
                        run.font.name = font
                        run.font.bold = i == 0
        return shape

    # 1. title
    slide = prs.slides.add_slide(blank)
    text_box(
        slide, 0.8, 2.0, slide_w - 1.6, 1.8, t("report.title", lang), size=36, bold=True, color=navy
    )
    text_box(slide, 0.8, 4.0, slide_w - 1.6, 0.6, _subtitle(bundle, lang), size=20, color=grey)
    if notice:
        text_box(slide, 0.8, 5.0, slide_w - 1.6, 1.0, notice, size=14, color=warn, fill=warn_fill)

    # 2. key figures
    headline = headline_from(bundle.communes, bundle.teams)
    pairs = headline_rows(headline, lang)
    slide = new_slide(t("report.headline", lang))
    cols = 4
    tile_w, tile_h = (slide_w - 1.0) / cols, 2.3
    for k, (label, value) in enumerate(pairs):
        x = 0.5 + (k % cols) * tile_w
        y = 1.5 + (k // cols) * (tile_h + 0.3)
        text_box(slide, x, y, tile_w - 0.2, 1.0, value, size=32, bold=True, color=navy)
        text_box(slide, x, y + 1.05, tile_w - 0.2, 1.0, label, size=16, color=grey)
    if headline.need_met_share is not None:
        text_box(
            slide,
            0.5,
            6.35,
            slide_w - 1.0,
            0.6,
            t("report.h.need_met", lang) + ": " + t("report.h.need_met.note", lang),
            size=12,
            color=grey,
        )

    # 3. map (the only picture)
    slide = new_slide(
        t(
            "report.slide.map_title"
            if bundle.metric == "coverage_ratio"
            else "report.slide.map_title_density",
            lang,
        )
    )
    png = _map_png_bytes(bundle, layout="slide_map", lang=lang, dpi=180, layers=layers)
    fig_w, fig_h = staticmap._LAYOUTS["slide_map"][0]
    pic_w = min(slide_w - 1.0, fig_w)
    pic_h = pic_w * fig_h / fig_w
    slide.shapes.add_picture(
        io.BytesIO(png), Inches((slide_w - pic_w) / 2), Inches(0.95), Inches(pic_w), Inches(pic_h)
    )
    caption_key = (
        "report.slide.map_caption"
        if bundle.metric == "coverage_ratio"
        else "report.slide.map_caption_density"
    )
    text_box(slide, 0.5, 6.5, slide_w - 1.0, 0.45, t(caption_key, lang), size=16, color=grey)

    # 4. priority communes: the lowest few, a short reason each; the full list in the appendix
    priority = priority_communes(bundle.communes) if bundle.analysis is not None else None
    priority_rows: list[list[str]] = []
    priority_header = [
        t("report.col.commune", lang),
        t("report.col.coverage", lang),
        t("report.col.flags", lang),
        t("report.col.reason_short", lang),
    ]
    priority_widths = [2.6, 1.9, 2.6, 5.2]
    if priority is not None:
        title = t("report.priority.title", lang)
        slide = new_slide(title)
        if priority.empty:
            text_box(slide, 0.5, 1.5, slide_w - 1.0, 1.0, t("report.priority.none", lang), size=20)
        else:
            priority_rows = [
                [
                    _name(r.get("name", ""), 30),
                    _pct(r.get("coverage_ratio"), lang),
                    _flags_text(r, lang),
                    short_reason(_priority_reason(r, lang), 68),
                ]
                for r in priority.to_dict("records")
            ]
            shown = priority_rows[:SLIDE_ROWS]
            text_box(
                slide,
                0.5,
                1.05,
                slide_w - 1.0,
                0.5,
                t(
                    "report.slide.priority_top",
                    lang,
                    shown=format_number(len(shown), lang),
                    n=format_number(len(priority_rows), lang),
                ),
                size=18,
                color=grey,
            )
            add_table(slide, [priority_header, *shown], priority_widths, y=1.75, size=SLIDE_PT)

    # 5. plan: SLIDE_ROWS sites a slide
    title = t("report.plan.title", lang)
    if bundle.plan is None:
        slide = new_slide(title)
        text_box(slide, 0.5, 1.5, slide_w - 1.0, 1.0, t("report.plan.none", lang), size=20)
    else:
        site_rows = _site_rows(bundle, lang)
        status = _plan_status(bundle, lang) or ""
        total = _plan_total(bundle, lang) or ""
        widths = [0.8, 3.0, 2.2, 2.0, 4.3]
        body = [
            [
                r["no"],
                r["commune_short"],
                r["need_served"],
                r["newly_reached_count"],
                short_reason(r["reason"], 68),
            ]
            for r in site_rows
        ]
        chunks = [body[i : i + SLIDE_ROWS] for i in range(0, len(body), SLIDE_ROWS)] or [[]]
        for page, chunk in enumerate(chunks):
            slide = new_slide(title + (" " + t("report.continued", lang) if page else ""))
            text_box(
                slide,
                0.5,
                1.05,
                slide_w - 1.0,
                0.9,
                "\n".join(x for x in (status, total) if x),
                size=18,
                color=navy,
            )
            if not chunk:
                text_box(slide, 0.5, 2.2, slide_w - 1.0, 1.0, t("report.plan.empty", lang), size=20)
                continue
            rows = [
                [
                    t("report.col.no", lang),
                    t("report.col.commune", lang),
                    t("report.col.need_served", lang),
                    t("report.col.newly_reached", lang),
                    t("report.col.reason_short", lang),
                ],
                *chunk,
            ]
            add_table(slide, rows, widths, y=2.15, size=SLIDE_PT)

    # 6. before/after, moves and new teams
    if bundle.comparison is not None:
        comparison = bundle.comparison
        short = _name(comparison.name, 40)
        slide = new_slide(t("report.compare.title", lang, name=short))
        text_box(
            slide,
            0.5,
            1.05,
            slide_w - 1.0,
            0.5,
            t("report.compare.intro", lang, name=short),
            size=18,
            color=grey,
        )
        rows = [
            [
                t("report.col.metric", lang),
                t("report.col.before", lang),
                t("report.col.after", lang),
                t("report.col.change", lang),
            ]
        ]
        rows += [list(r) for r in comparison_rows(comparison, lang)][:SLIDE_ROWS]
        add_table(slide, rows, [5.5, 2.0, 2.0, 2.5], y=1.75, size=SLIDE_PT)

        slide = new_slide(t("report.moves.title", lang))
        if comparison.moves.empty:
            text_box(slide, 0.5, 1.5, slide_w - 1.0, 1.0, t("report.moves.none", lang), size=20)
        else:
            text_box(
                slide,
                0.5,
                1.05,
                slide_w - 1.0,
                0.5,
                t("report.moves.intro", lang, n=format_number(len(comparison.moves), lang)),
                size=18,
                color=grey,
            )
            rows = move_rows(comparison, lang)
            add_table(
                slide,
                [rows[0], *rows[1 : SLIDE_ROWS + 1]],
                [4.4, 1.9, 3.0, 3.0],
                y=1.75,
                size=SLIDE_PT,
            )
            _more(slide, len(rows) - 1)
        if not comparison.new_teams.empty:
            slide = new_slide(t("report.new_teams.title", lang))
            text_box(
                slide,
                0.5,
                1.05,
                slide_w - 1.0,
                0.5,
                t("report.new_teams.intro", lang, n=format_number(len(comparison.new_teams), lang)),
                size=18,
                color=grey,
            )
            rows = new_team_rows(comparison, lang)
            add_table(
                slide,
                [rows[0], *rows[1 : SLIDE_ROWS + 1]],
                [1.0, 4.3, 3.0, 1.9, 2.1],
                y=1.75,
                size=SLIDE_PT,
            )
            _more(slide, len(rows) - 1)

    # 6b. one slide per border commune: inset map, figures, teams in reach and their languages
    if bundle.analysis is not None:
        for packet in border_packets(bundle, lang):
            slide = new_slide(t("report.packet.heading", lang, name=_name(packet.name, 40)))
            png = inset_png_bytes(
                bundle, packet.code, layers=layers, lang=lang, size_in=INSET_IN, dpi=INSET_DPI
            )
            slide.shapes.add_picture(
                io.BytesIO(png), Inches(0.5), Inches(1.2), Inches(INSET_IN[0]), Inches(INSET_IN[1])
            )
            facts = {k: v for k, v in packet.facts}
            lines = [
                f"{k}: {facts[k]}"
                for k in (
                    t("report.packet.population", lang),
                    t("report.packet.coverage", lang),
                    t("report.packet.status", lang),
                    t("report.packet.minority", lang),
                )
                if k in facts
            ]
            lines.append(
                short_reason(
                    _priority_reason(
                        {"reasons_vi": packet.reasons, "reasons_en": packet.reasons}, lang
                    ),
                    70,
                )
            )
            text_box(slide, 5.4, 1.1, 7.4, 1.9, "\n".join(lines), size=18)
            rows = [
                [
                    t("report.col.team", lang),
                    t("report.col.members", lang),
                    t("report.col.languages", lang),
                ]
            ]
            rows += [[r[0], r[2], r[5]] for r in packet.team_rows[:BORDER_SLIDE_TEAMS]]
            if len(rows) > 1:
                add_table(slide, rows, [3.4, 1.3, 3.0], y=3.2, size=SLIDE_PT, x=5.4)
                if len(packet.team_rows) > BORDER_SLIDE_TEAMS:
                    text_box(
                        slide,
                        5.4,
                        6.45,
                        7.4,
                        0.45,
                        t(
                            "report.slide.teams_more",
                            lang,
                            n=format_number(len(packet.team_rows) - BORDER_SLIDE_TEAMS, lang),
                        ),
                        size=16,
                        color=grey,
                    )
            else:
                text_box(slide, 5.4, 3.6, 7.4, 0.6, t("report.packet.no_teams", lang), size=18)

    if bundle.progress is not None:  # periodic evaluation (coverage.outputs.progress_charts)
        from coverage.outputs import progress_charts as report_progress

        def picture(slide: Any, png: bytes) -> None:
            slide.shapes.add_picture(
                io.BytesIO(png), Inches(0.9), Inches(1.1), Inches(11.5), Inches(5.2)
            )

        report_progress.add_slides(
            bundle.progress,
            lang=lang,
            new_slide=new_slide,
            text_box=text_box,
            add_table=add_table,
            picture=picture,
            rows_per_slide=SLIDE_ROWS,
        )

    # 7. sources
    slide = new_slide(t("report.method.title", lang))
    lines = []
    if bundle.analysis is not None:
        lines.append(t("report.method.coverage", lang))
    lines.append(t("report.method.crs", lang, crs=_crs_name(bundle, lang)))
    lines.append(_sources(bundle, lang))
    text_box(slide, 0.5, 1.2, slide_w - 1.0, 4.2, "\n\n".join(lines), size=13)
    if notice:
        text_box(slide, 0.5, 5.7, slide_w - 1.0, 1.0, notice, size=14, color=warn, fill=warn_fill)

    # 8. appendix: the full priority list, APPENDIX_ROWS a slide
    if priority_rows:
        title = t("report.slide.appendix", lang, title=t("report.priority.title", lang))
        for start in range(0, len(priority_rows), APPENDIX_ROWS):
            slide = new_slide(title + (" " + t("report.continued", lang) if start else ""))
            add_table(
                slide,
                [priority_header, *priority_rows[start : start + APPENDIX_ROWS]],
                priority_widths,
                y=1.2,
                size=SLIDE_PT,
            )

    prs.core_properties.title = t("report.title", lang)
    prs.core_properties.language = "vi-VN" if lang == "vi" else "en-GB"
    prs.save(str(path))
    return path


SLIDE_ROWS = 6
"""Body rows of a slide table (plus a header): what a room reads at 18 pt."""

APPENDIX_ROWS = 7
"""Body rows of an appendix slide table (plus a header: 8 rows at most)."""

SLIDE_PT = 18
"""Font size of slide tables."""

BORDER_SLIDE_TEAMS = 4
"""Teams listed on a border commune's slide (the rest: "… and N more")."""

SLIDE_CELL_CHARS = 90
SLIDE_TEXT_CHARS = 1200


def _priority_reason(row: Mapping[Any, Any], lang: Lang) -> str:
    """Return the reason to show first: the shortfall in capacity when there is one."""
    reasons = [r for r in _reasons(row, lang).split("; ") if r]
    keys = ("thiếu năng lực", "không có đội", "capacity", "no team")
    for reason in reasons:
        if any(k in reason.lower() for k in keys):
            return reason
    return reasons[0] if reasons else ""


def _paginate(
    rows: Sequence[Sequence[str]], widths_in: Sequence[float], *, size_pt: float, height_in: float
) -> list[list[list[str]]]:
    """Split table rows into slides so each slide's rows fit ``height_in``.

    A row's height is estimated from its longest wrapped cell (DejaVu Sans averages about
    0.55 em per character); the header takes one such row.
    """

    def row_height(row: Sequence[str]) -> float:
        lines = 1
        for text, width in zip(row, widths_in, strict=False):
            chars_per_line = max(1, int((width - 0.2) * 72 / (size_pt * 0.56)))
            lines = max(
                lines,
                sum(
                    max(1, math.ceil(len(part) / chars_per_line)) for part in str(text).split("\n")
                ),
            )
        return lines * size_pt * 1.2 / 72 + 0.14

    header = row_height(["x"]) * 2  # two-line header
    heights = [row_height(row) for row in rows]
    pages: list[list[list[str]]] = []
    current: list[list[str]] = []
    used = header
    for row, h in zip(rows, heights, strict=False):
        if current and used + h > height_in:
            pages.append(current)
            current, used = [], header
        current.append([str(v) for v in row])
        used += h
    if current:
        pages.append(current)
    if len(pages) > 1:  # same number of slides, rows spread evenly when they fit
        per = math.ceil(len(rows) / len(pages))
        even = [
            [[str(v) for v in row] for row in rows[i : i + per]] for i in range(0, len(rows), per)
        ]
        fits = all(
            header + sum(heights[i : i + per]) <= height_in for i in range(0, len(rows), per)
        )
        if fits and len(even) == len(pages):
            return even
    return pages


# ---------------------------------------------------------------------------- all


def report_slug(bundle: ReportBundle) -> str:
    """Return the file-name prefix: the province without diacritics (``gia-lai``)."""
    province = bundle.inputs.province
    name = province.name if province is not None else "viet-nam"
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")
    return slug or "report"


__all__ = [
    "FORMATS",
    "Headline",
    "ReportBundle",
    "ScenarioComparison",
    "compare_scenario",
    "comparison_rows",
    "draw_report_map",
    "headline_from",
    "headline_rows",
    "map_html_document",
    "map_layers",
    "priority_communes",
    "report_slug",
    "write_briefing_pdf",
    "write_map_pdf",
    "write_map_png",
    "write_slides",
    "write_team_sheets_pdf",
    "border_packets",
    "roster_differences",
    "team_commune_shares",
    "teams_reaching",
]
