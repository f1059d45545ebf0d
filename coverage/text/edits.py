"""Messages of roster editing: history entries, the impact of a change, team words.

Registered in the shared catalogue (:func:`coverage.text.i18n.register`) under ``edits.``.
"""

from __future__ import annotations

from coverage.text.i18n import Lang, register
from coverage.text.language_names import entries

SKILL_WORDS: dict[str, dict[Lang, str]] = {
    "vneid": {"vi": "VNeID (định danh điện tử)", "en": "VNeID (electronic ID)"},
    "public_service_portal": {"vi": "Cổng dịch vụ công", "en": "Public-service portal"},
    "social_insurance": {"vi": "Bảo hiểm xã hội số (VssID)", "en": "Social insurance app (VssID)"},
    "e_health": {"vi": "Sổ sức khoẻ điện tử", "en": "Electronic health record"},
    "cashless_payments": {"vi": "Thanh toán không dùng tiền mặt", "en": "Cashless payments"},
    "ai_assistant": {"vi": "Trợ lý AI", "en": "AI assistant"},
}
"""Plain words for the skill codes of :data:`coverage.inputs.validation.KNOWN_SKILLS`."""


_ENTRIES: dict[str, dict[Lang, str]] = {
    **{f"edits.skill.{code}": words for code, words in SKILL_WORDS.items()},
    **entries("edits.language.", "title"),  # the one list of language names
    "edits.mode.fixed": {"vi": "cố định", "en": "fixed"},
    "edits.mode.mobile": {"vi": "lưu động", "en": "mobile"},
    # ---- history: one entry per change, precise per field
    "edits.field.team_name": {"vi": "tên", "en": "name"},
    "edits.field.members": {"vi": "thành viên", "en": "members"},
    "edits.field.weekly_hours": {"vi": "giờ/tuần", "en": "hours a week"},
    "edits.field.mode": {"vi": "hình thức", "en": "mode"},
    "edits.field.skills": {"vi": "kỹ năng", "en": "skills"},
    "edits.field.languages": {"vi": "ngôn ngữ", "en": "languages"},
    "edits.field.location": {"vi": "vị trí", "en": "location"},
    "edits.field.team_id": {"vi": "mã đội", "en": "team id"},
    "edits.change.field": {
        "vi": "{team}: {field} {old} → {new}",
        "en": "{team}: {field} {old} → {new}",
    },
    "edits.change.move": {"vi": "{team}: {old} → {new}", "en": "{team}: {old} → {new}"},
    "edits.change.added": {
        "vi": "Thêm {team} ({name}, {commune})",
        "en": "Added {team} ({name}, {commune})",
    },
    "edits.change.removed": {
        "vi": "Xoá {team} ({name}, {commune})",
        "en": "Removed {team} ({name}, {commune})",
    },
    "edits.change.list_add": {"vi": "thêm {items}", "en": "added {items}"},
    "edits.change.list_remove": {"vi": "bỏ {items}", "en": "removed {items}"},
    "edits.change.centre": {"vi": "điểm giữa xã", "en": "the commune's centre"},
    "edits.change.blank": {"vi": "(trống)", "en": "(blank)"},
    "edits.history.import": {
        "vi": "Nhập cả danh sách: {count} đội",
        "en": "Imported a whole roster: {count} teams",
    },
    "edits.history.import_diff": {
        "vi": " (so với trước: thêm {added}, xoá {removed}, sửa {changed} đội)",
        "en": " (against the previous one: {added} added, {removed} removed, {changed} changed)",
    },
    "edits.history.restore": {
        "vi": "Khôi phục phiên bản {revision}",
        "en": "Restored revision {revision}",
    },
    "edits.history.none": {"vi": "Không có thay đổi", "en": "No change"},
    "edits.history.line": {
        "vi": "Phiên bản {revision} · {saved_at} · {author}: {changes}",
        "en": "Revision {revision} · {saved_at} · {author}: {changes}",
    },
    "edits.history.empty": {"vi": "Chưa lưu phiên bản nào.", "en": "No revision saved yet."},
    "edits.history.all": {"vi": "Tất cả các phiên bản", "en": "Every revision"},
    "edits.history.cols": {
        "vi": "Phiên bản|Thời gian|Người lưu|Số đội|Thay đổi|Ghi chú",
        "en": "Revision|Time|Saved by|Teams|Changes|Note",
    },
    # ---- the Teams page
    "edits.grid.intro": {
        "vi": "Sửa trực tiếp trong bảng (thêm dòng ở cuối bảng, xoá bằng ô chọn bên trái) hoặc "
        "dùng các ô bên dưới. Mỗi thay đổi được kiểm tra theo đúng quy tắc khi nạp tệp, rồi hiện "
        "ảnh hưởng của nó (xã/phường đổi trạng thái, mức đáp ứng trước → sau) để bạn xem trước khi "
        "lưu.",
        "en": "Edit the table directly (add a row at the bottom, delete with the box on the left) "
        "or use the forms below. Each change is checked with the same rules as a file import, then "
        "its effect (communes whose status changes, coverage before → after) is shown for you to "
        "review before saving.",
    },
    "edits.grid.commune_name": {"vi": "Xã/phường (theo mã)", "en": "Commune (from the code)"},
    "edits.grid.commune_help": {
        "vi": "Tên xã/phường của mã ở cột bên cạnh; tự cập nhật sau khi lưu.",
        "en": "The name of the commune whose code is in the next column; updated after saving.",
    },
    "edits.grid.skills_help": {
        "vi": "Chọn các việc đội hỗ trợ được.",
        "en": "Choose what the team can help with.",
    },
    "edits.grid.languages_help": {
        "vi": "Chọn các ngôn ngữ đội nói được.",
        "en": "Choose the languages the team speaks.",
    },
    "edits.grid.mode_help": {
        "vi": "Cố định: tại bộ phận một cửa (tầm 5 km). Lưu động: đến thôn, làng (tầm 15 km).",
        "en": "Fixed: at the one-stop desk (5 km reach). Mobile: visits villages (15 km reach).",
    },
    "edits.edit.title": {
        "vi": "Sửa một đội (chuyển, đổi quy mô…)",
        "en": "Edit a team (move, resize…)",
    },
    "edits.edit.team": {"vi": "Chọn đội", "en": "Team"},
    "edits.edit.intro": {
        "vi": "Các ô dưới đây là giá trị hiện tại của đội đã chọn; chỉ những gì bạn đổi mới được "
        "thay đổi.",
        "en": "The fields below hold the chosen team's current values; only what you change is "
        "changed.",
    },
    "edits.edit.commune": {"vi": "Đặt tại xã/phường", "en": "Based in commune"},
    "edits.edit.lat": {
        "vi": "Vĩ độ (để trống: điểm giữa xã)",
        "en": "Latitude (blank: the commune's centre)",
    },
    "edits.edit.lon": {
        "vi": "Kinh độ (để trống: điểm giữa xã)",
        "en": "Longitude (blank: the commune's centre)",
    },
    "edits.edit.rename": {
        "vi": "Đổi tên đội theo xã mới: “{new}”",
        "en": "Rename the team after its new commune: “{new}”",
    },
    "edits.edit.button": {"vi": "Xem trước thay đổi", "en": "Preview the change"},
    "edits.edit.nothing": {
        "vi": "Chưa có gì thay đổi so với giá trị hiện tại của đội.",
        "en": "Nothing differs from the team's current values.",
    },
    "edits.add.skills": {"vi": "Kỹ năng hỗ trợ", "en": "Skills"},
    "edits.add.languages": {"vi": "Ngôn ngữ", "en": "Languages"},
    "edits.add.button": {"vi": "Xem trước khi thêm", "en": "Preview the new team"},
    "edits.remove.button": {"vi": "Xem trước khi xoá", "en": "Preview the removal"},
    "edits.placeholder.choose": {"vi": "Chọn…", "en": "Choose…"},
    # ---- the preview of a change
    "edits.preview.title": {
        "vi": "Xem trước thay đổi (chưa lưu)",
        "en": "Preview of the change (not saved yet)",
    },
    "edits.preview.changes": {"vi": "Thay đổi", "en": "Changes"},
    "edits.preview.totals": {"vi": "Toàn tỉnh: trước → sau", "en": "Province: before → after"},
    "edits.preview.status": {
        "vi": "Xã/phường đổi trạng thái",
        "en": "Communes whose status changes",
    },
    "edits.preview.status_none": {
        "vi": "Không xã/phường nào đổi trạng thái (thiếu hỗ trợ / đủ hỗ trợ).",
        "en": "No commune changes status (under-served / served).",
    },
    "edits.preview.status_line": {
        "vi": "{commune} ({flags}): {old_status} → {new_status}; mức đáp ứng {old} → {new} "
        "({points})",
        "en": "{commune} ({flags}): {old_status} → {new_status}; coverage {old} → {new} ({points})",
    },
    "edits.preview.communes": {"vi": "Mức đáp ứng trước → sau", "en": "Coverage before → after"},
    "edits.preview.communes_none": {
        "vi": "Mức đáp ứng của các xã/phường không đổi.",
        "en": "No commune's coverage changes.",
    },
    "edits.preview.save": {"vi": "Lưu thay đổi", "en": "Save the change"},
    "edits.preview.cancel": {"vi": "Huỷ, không lưu", "en": "Cancel, do not save"},
    "edits.preview.confirm": {
        "vi": "Tôi đã xem các cảnh báo trên và vẫn muốn lưu",
        "en": "I have read the warnings above and still want to save",
    },
    "edits.preview.confirm_needed": {
        "vi": "Thay đổi này có cảnh báo: đánh dấu ô xác nhận trước khi lưu.",
        "en": "This change has warnings: tick the confirmation before saving.",
    },
    "edits.preview.harms": {"vi": "Cảnh báo", "en": "Warnings"},
    "edits.preview.table_pending": {
        "vi": "Bảng có sửa đổi chưa lưu: xem ảnh hưởng bên dưới rồi lưu hoặc bỏ.",
        "en": "The table has unsaved edits: see their effect below, then save or discard them.",
    },
    "edits.preview.form_blocked": {
        "vi": "Đang có một thay đổi chờ lưu: lưu hoặc huỷ nó trước.",
        "en": "A change is waiting to be saved: save or cancel it first.",
    },
    "edits.harm.no_team_in_reach": {
        "vi": "{commune} không còn đội nào trong tầm (trước: {before} đội).",
        "en": "{commune} is left with no team in reach (before: {before}).",
    },
    "edits.harm.loses_only_team": {
        "vi": "{commune} ({kind}) mất đội đặt tại xã (trước: {before} đội).",
        "en": "{commune} ({kind}) loses the team based there (before: {before}).",
    },
    "edits.harm.border_below_threshold": {
        "vi": "Xã biên giới {commune} xuống dưới ngưỡng {threshold} nhu cầu: {old} → {new}.",
        "en": "Border commune {commune} falls below the {threshold} threshold: {old} → {new}.",
    },
    "edits.kind.island": {"vi": "xã đảo", "en": "island commune"},
    "edits.kind.border": {"vi": "xã biên giới", "en": "border commune"},
    "edits.kind.island_border": {"vi": "xã đảo, biên giới", "en": "island and border commune"},
    "edits.col.commune": {"vi": "Xã/phường", "en": "Commune"},
    "edits.col.flags": {"vi": "Loại", "en": "Kind"},
    "edits.col.status": {"vi": "Trạng thái trước → sau", "en": "Status before → after"},
    "edits.col.coverage": {"vi": "Mức đáp ứng trước → sau", "en": "Coverage before → after"},
    "edits.col.change": {"vi": "Thay đổi (điểm %)", "en": "Change (pp)"},
    "edits.col.teams_in_reach": {
        "vi": "Đội trong tầm trước → sau",
        "en": "Teams in reach before → after",
    },
    "edits.col.item": {"vi": "Chỉ tiêu", "en": "Item"},
    "edits.col.before": {"vi": "Trước", "en": "Before"},
    "edits.col.after": {"vi": "Sau", "en": "After"},
    "edits.col.difference": {"vi": "Chênh lệch", "en": "Difference"},
    "edits.status.underserved": {"vi": "thiếu hỗ trợ", "en": "under-served"},
    "edits.status.served": {"vi": "đủ hỗ trợ", "en": "served"},
    "edits.flag.border": {"vi": "biên giới", "en": "border"},
    "edits.flag.remote": {"vi": "vùng sâu", "en": "remote"},
    "edits.flag.island": {"vi": "đảo", "en": "island"},
    "edits.total.teams": {"vi": "Số đội", "en": "Teams"},
    "edits.total.volunteers": {"vi": "Tình nguyện viên", "en": "Volunteers"},
    "edits.total.underserved": {"vi": "Xã/phường thiếu hỗ trợ", "en": "Under-served communes"},
    "edits.total.need_met": {"vi": "Nhu cầu được đáp ứng", "en": "Need met"},
    "edits.points": {"vi": "{value} điểm %", "en": "{value} pp"},
}

register(_ENTRIES)
