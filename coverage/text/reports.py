"""Words of the meeting outputs added for the packets, moves, workbook and slides.

Registered with :func:`coverage.text.i18n.register`; Vietnamese first, English second.
"""

from __future__ import annotations

from coverage.text.i18n import register
from coverage.text.language_names import entries

SKILL_WORDS = {
    "vneid": ("VNeID", "VNeID"),
    "public_service_portal": ("Cổng dịch vụ công", "Public-service portal"),
    "social_insurance": ("BHXH số", "Digital social insurance"),
    "e_health": ("Y tế số", "e-Health"),
    "cashless_payments": ("Thanh toán không tiền mặt", "Cashless payments"),
    "ai_assistant": ("Trợ lý AI", "AI assistant"),
}

register({f"report.skill.{k}": {"vi": vi, "en": en} for k, (vi, en) in SKILL_WORDS.items()})
register(entries("report.language.", "in_list"))  # the one list of language names
register(
    {
        "report.mode.fixed": {"vi": "cố định", "en": "fixed"},
        "report.mode.mobile": {"vi": "lưu động", "en": "mobile"},
        # moves and scenario teams
        "report.moves.title": {"vi": "Đội chuyển địa bàn", "en": "Teams that move"},
        "report.moves.intro": {
            "vi": "{n} đội đổi xã/phường hoạt động so với danh sách hiện tại (mũi tên trên bản "
            "đồ).",
            "en": "{n} teams change commune compared with the current roster (arrows on the map).",
        },
        "report.moves.none": {
            "vi": "Kịch bản không chuyển đội nào.",
            "en": "The scenario moves no team.",
        },
        "report.new_teams.title": {
            "vi": "Đội mới trong kịch bản",
            "en": "New teams in the scenario",
        },
        "report.new_teams.intro": {
            "vi": "{n} đội có trong kịch bản nhưng chưa có trong danh sách hiện tại (ký hiệu M1, "
            "M2… trên bản đồ).",
            "en": "{n} teams are in the scenario but not in the current roster (marked N1, N2… on "
            "the map).",
        },
        "report.new_teams.none": {
            "vi": "Kịch bản không thêm đội nào.",
            "en": "The scenario adds no team.",
        },
        "report.removed_teams": {
            "vi": "Đội bỏ khỏi kịch bản: {names}.",
            "en": "Teams left out of the scenario: {names}.",
        },
        "report.new_mark": {"vi": "M", "en": "N"},
        "report.col.team": {"vi": "Đội", "en": "Team"},
        "report.col.from": {"vi": "Từ xã/phường", "en": "From commune"},
        "report.col.to": {"vi": "Đến xã/phường", "en": "To commune"},
        "report.col.members": {"vi": "Số thành viên", "en": "Members"},
        "report.col.mode": {"vi": "Hình thức", "en": "Mode"},
        "report.col.skills": {"vi": "Kỹ năng", "en": "Skills"},
        "report.col.languages": {"vi": "Ngôn ngữ", "en": "Languages"},
        "report.col.hours": {"vi": "Giờ/tuần", "en": "Hours a week"},
        "report.col.home": {"vi": "Xã/phường đặt đội", "en": "Home commune"},
        "report.col.share": {"vi": "Phần năng lực", "en": "Share of capacity"},
        "report.col.reason_short": {"vi": "Lý do chính", "en": "Main reason"},
        # border commune packet
        "report.packet.title": {"vi": "Hồ sơ xã/phường biên giới", "en": "Border commune packets"},
        "report.packet.intro": {
            "vi": "Mỗi xã/phường biên giới một trang: số liệu, lý do, các đội với tới và ngôn ngữ "
            "của họ.",
            "en": "One page per border commune: figures, reasons, the teams in reach and their "
            "languages.",
        },
        "report.packet.heading": {
            "vi": "Xã/phường biên giới: {name}",
            "en": "Border commune: {name}",
        },
        "report.packet.population": {"vi": "Dân số", "en": "Population"},
        "report.packet.need": {"vi": "Nhu cầu hỗ trợ (người)", "en": "Need for help (people)"},
        "report.packet.coverage": {"vi": "Mức đáp ứng", "en": "Need met"},
        "report.packet.status": {"vi": "Đánh giá", "en": "Assessment"},
        "report.packet.minority": {
            "vi": "Tỷ lệ đồng bào dân tộc thiểu số",
            "en": "Ethnic-minority share",
        },
        "report.packet.merged": {"vi": "Đơn vị trước sáp nhập", "en": "Pre-merger units"},
        "report.packet.border_country": {"vi": "Giáp biên với", "en": "Borders"},
        "report.packet.teams": {
            "vi": "Các đội với tới xã/phường này",
            "en": "Teams that reach this commune",
        },
        "report.packet.no_teams": {
            "vi": "Không có đội nào với tới xã/phường này.",
            "en": "No team reaches this commune.",
        },
        "report.packet.reasons": {"vi": "Lý do", "en": "Reasons"},
        "report.packet.none_reasons": {"vi": "Không có lưu ý.", "en": "Nothing to note."},
        "report.status.underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
        "report.status.served": {"vi": "Đủ hỗ trợ", "en": "Served"},
        "report.unknown": {"vi": "không rõ", "en": "unknown"},
        # team sheets
        "report.teamsheet.title": {"vi": "Phiếu từng đội", "en": "Sheet per team"},
        "report.teamsheet.heading": {"vi": "{name} ({team_id})", "en": "{name} ({team_id})"},
        "report.teamsheet.serves": {
            "vi": "Xã/phường đội phục vụ (phần năng lực của đội)",
            "en": "Communes the team serves (its share of capacity)",
        },
        "report.teamsheet.none": {
            "vi": "Đội không với tới khu dân cư nào.",
            "en": "The team reaches no settled area.",
        },
        "report.teamsheet.share_note": {
            "vi": "Năng lực của mỗi đội được chia cho các xã/phường nó với tới theo tỷ lệ nhu cầu.",
            "en": "Each team's capacity is shared between the communes it reaches in proportion to "
            "need.",
        },
        # slides
        "report.slide.priority_top": {
            "vi": "{shown} trong {n} xã/phường ưu tiên thấp nhất; danh sách đầy đủ ở phụ lục và "
            "tệp Excel.",
            "en": "The {shown} lowest of {n} priority communes; the full list is in the appendix "
            "and the Excel file.",
        },
        "report.slide.appendix": {"vi": "Phụ lục: {title}", "en": "Appendix: {title}"},
        "report.slide.teams_more": {"vi": "… và {n} đội khác", "en": "… and {n} more teams"},
        # workbook
        "report.xlsx.communes": {"vi": "Xã phường", "en": "Communes"},
        "report.xlsx.roster": {"vi": "Danh sách đội", "en": "Roster"},
        "report.xlsx.differences": {"vi": "Khác biệt kịch bản", "en": "Scenario differences"},
        "report.xlsx.english": {"vi": "English", "en": "English"},
        "report.xlsx.about": {"vi": "Giới thiệu", "en": "About"},
        "report.xlsx.kind": {"vi": "Loại thay đổi", "en": "Change"},
        "report.xlsx.kind.move": {"vi": "Chuyển địa bàn", "en": "Moved"},
        "report.xlsx.kind.new": {"vi": "Đội mới", "en": "New team"},
        "report.xlsx.kind.removed": {"vi": "Bỏ khỏi kịch bản", "en": "Removed"},
        "report.xlsx.kind.coverage": {"vi": "Mức đáp ứng thay đổi", "en": "Coverage changes"},
        "report.xlsx.no_scenario": {
            "vi": "Không có kịch bản nào được chọn: báo cáo là danh sách hiện tại.",
            "en": "No scenario chosen: the report shows the current roster.",
        },
    }
)

# the app's Reports page
register(
    {
        "ui.rep.current": {"vi": "Danh sách đội hiện tại", "en": "The current roster"},
        "ui.rep.for": {
            "vi": "Báo cáo cho {province}. Chọn một kịch bản đã lưu để mọi bản đồ, số liệu và bảng "
            "là của kịch bản đó (kèm so sánh với danh sách hiện tại, các đội chuyển và đội mới).",
            "en": "Report for {province}. Choose a saved scenario and every map, figure and table "
            "is that scenario's (compared with the current roster, with its moves and new teams).",
        },
        "ui.rep.format.xlsx": {"vi": "Bảng tính Excel (XLSX)", "en": "Excel workbook (XLSX)"},
    }
)
