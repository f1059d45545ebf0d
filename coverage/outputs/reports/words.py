"""What a report says, in words: the report messages and how numbers, names and sources read."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import coverage.text.reports  # noqa: F401  (registers the packet, moves and workbook words)
from coverage.outputs.safe_output import display_name
from coverage.text.i18n import (
    CATALOG,
    Lang,
    format_date,
    format_number,
    format_percent,
    register,
    t,
)
from coverage.text.population import population_figure

if TYPE_CHECKING:
    from coverage.inputs.model import Inputs
    from coverage.outputs.reports.content import ReportBundle

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


def code_words(values: Any, prefix: str, lang: Lang) -> str:
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


def mode_label(value: Any, lang: Lang) -> str:
    """Return a team's working mode in words (unknown modes as they are)."""
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


def priority_reason(row: Mapping[Any, Any], lang: Lang) -> str:
    """Return the reason to show first: the shortfall in capacity when there is one."""
    reasons = [r for r in reasons_text(row, lang).split("; ") if r]
    keys = ("thiếu năng lực", "không có đội", "capacity", "no team")
    for reason in reasons:
        if any(k in reason.lower() for k in keys):
            return reason
    return reasons[0] if reasons else ""


def _scenario_name(bundle: ReportBundle) -> str:
    return display_name(bundle.comparison.name) if bundle.comparison is not None else ""


def province_label(bundle: ReportBundle, lang: Lang) -> str:
    """Return the province as a title ("Tỉnh Gia Lai"), or the whole country."""
    province = bundle.inputs.province
    if province is None:
        return t("report.all_provinces", lang)
    name = province.name
    if re.match(r"^(Thành phố|TP\.?|Tỉnh)\s", name):
        return name
    return t("report.province", lang, name=name)


def data_notice(bundle: ReportBundle, lang: Lang) -> str | None:
    """Return the notice about SAMPLE or ILLUSTRATIVE data, or None when all is real."""
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


def sources_text(bundle: ReportBundle, lang: Lang) -> str:
    """Return where every input comes from, in one paragraph."""
    inputs = bundle.inputs
    teams = (
        t("report.source.sample", lang, source=inputs.teams_source_label(lang))
        if inputs.teams_is_sample
        else inputs.teams_source_label(lang)
    )
    text = t("report.sources", lang, teams=teams, indicators=_indicator_source(inputs, lang))
    credit = population_credit(bundle, lang)
    return f"{text} {credit}." if credit else text


def population_credit(bundle: ReportBundle, lang: Lang) -> str:
    """Return the WorldPop credit, or the even-spread estimate notice, for the bundle.

    :func:`coverage.text.population.demand_note` of the analysis's demand source; '' when
    the analysis does not say where it placed residents.
    """
    from coverage.text.population import demand_note

    return demand_note(str(getattr(bundle.analysis, "demand_source", "")), lang)


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


def subtitle(bundle: ReportBundle, lang: Lang) -> str:
    """Return the subtitle: province, number of communes, date, scenario."""
    text = t(
        "report.subtitle",
        lang,
        province=province_label(bundle, lang),
        communes=format_number(len(bundle.communes), lang),
        date=format_date(bundle.generated_on, lang),
    )
    if bundle.comparison is not None:
        text += " · " + t("report.scenario_line", lang, name=_scenario_name(bundle))
    return text


def map_title(bundle: ReportBundle, lang: Lang) -> str:
    """Return the map's title for the metric it is shaded by."""
    key = "report.map_title" if bundle.metric == "coverage_ratio" else "report.map_title_density"
    return t(key, lang)


def flags_text(row: pd.Series | Mapping[Any, Any], lang: Lang) -> str:
    """Return a commune's flags in words ("Biên giới, Vùng sâu, vùng xa")."""
    out = []
    if bool(row.get("is_border", False)):
        out.append(t("report.flag.border", lang))
    if bool(row.get("is_remote", False)):
        out.append(t("report.flag.remote", lang))
    return ", ".join(out)


def reasons_text(row: pd.Series | Mapping[Any, Any], lang: Lang, column: str = "reasons") -> str:
    """Return the ``<column>_<lang>`` text of a row ('' when missing)."""
    value = row.get(f"{column}_{lang}", "")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def percent_text(value: Any, lang: Lang) -> str:
    """Return a share as a whole percentage ("–" when not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return format_percent(number, lang, decimals=0) if math.isfinite(number) else "–"


def coverage_text(value: Any, lang: Lang) -> str:
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


def share_text(value: float, lang: Lang) -> str:
    """Return a share of capacity; under half a percent reads "< 1%"."""
    return (
        "< " + format_percent(0.01, lang, decimals=0)
        if 0 < value < 0.005
        else format_percent(value, lang, decimals=0)
    )


def population_text(row: pd.Series | Mapping[Any, Any], lang: Lang) -> str:
    """Return a commune's population, an estimate or a missing figure marked as such."""
    return population_figure(row.get("population"), row.get("population_source"), lang)


def number_text(value: Any, lang: Lang, decimals: int = 0) -> str:
    """Return a number in the language's format ("–" when not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return format_number(number, lang, decimals=decimals) if math.isfinite(number) else "–"


def signed_text(value: float, lang: Lang, *, decimals: int = 0) -> str:
    """Return a change with its sign ("+3", "−1,5"; zero without a sign)."""
    if round(value, decimals) == 0:
        return format_number(0, lang, decimals=decimals)
    sign = "+" if value > 0 else "−"
    return sign + format_number(abs(value), lang, decimals=decimals)


__all__ = [
    "code_words",
    "coverage_text",
    "data_notice",
    "flags_text",
    "map_title",
    "mode_label",
    "number_text",
    "percent_text",
    "population_credit",
    "priority_reason",
    "province_label",
    "reasons_text",
    "share_text",
    "short_reason",
    "signed_text",
    "sources_text",
    "subtitle",
]
