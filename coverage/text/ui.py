"""Every visible string of the Streamlit app, in Vietnamese and English.

Keys start with ``ui.``; importing this module registers them into
:data:`coverage.text.i18n.CATALOG` once (Python imports a module once per process, and a
Streamlit server reruns scripts in one process). Values are ``str.format`` templates.
Plain words for planners who are not GIS experts: "xã/phường", "đội hình", "vùng sâu,
vùng xa", "thiếu hỗ trợ".
"""

from __future__ import annotations

from coverage.text.i18n import CATALOG, Lang, register

UI_TEXT: dict[str, dict[Lang, str]] = {
    # ------------------------------------------------------------------ app frame
    "ui.app.page_title": {"vi": "Điều phối đội hình tình nguyện", "en": "Volunteer team planner"},
    "ui.app.title": {
        "vi": "Điều phối đội hình thanh niên tình nguyện hỗ trợ dịch vụ công trực tuyến",
        "en": "Planning youth volunteer teams that help residents with online public services",
    },
    "ui.sidebar.language": {"vi": "Ngôn ngữ / Language", "en": "Ngôn ngữ / Language"},
    "ui.sidebar.province": {"vi": "Tỉnh/thành phố", "en": "Province"},
    "ui.sidebar.author": {
        "vi": "Tên người sửa (ghi vào lịch sử)",
        "en": "Your name (kept in the history)",
    },
    "ui.sidebar.author_placeholder": {"vi": "ví dụ: Nguyễn Văn A", "en": "e.g. Nguyen Van A"},
    "ui.sidebar.data_labels": {"vi": "Nguồn dữ liệu", "en": "Data sources"},
    "ui.lang.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "ui.lang.en": {"vi": "English", "en": "English"},
    "ui.page.map": {"vi": "Bản đồ tổng quan", "en": "Map overview"},
    "ui.page.commune": {"vi": "Chi tiết xã/phường", "en": "Commune detail"},
    "ui.page.teams": {"vi": "Đội hình", "en": "Teams"},
    "ui.page.suggestions": {"vi": "Đề xuất bố trí", "en": "Suggestions"},
    "ui.page.scenarios": {"vi": "Kịch bản", "en": "Scenarios"},
    "ui.page.data": {"vi": "Dữ liệu", "en": "Data"},
    "ui.page.reports": {"vi": "Báo cáo", "en": "Reports"},
    "ui.notice.sample": {
        "vi": "Danh sách đội là dữ liệu MẪU ({source}), không phải danh sách thật của tỉnh đoàn. "
        "Hãy nạp danh sách thật ở trang Dữ liệu trước khi ra quyết định.",
        "en": "The team roster is SAMPLE data ({source}), not the Youth Union's real roster. "
        "Load the real roster on the Data page before deciding anything.",
    },
    "ui.notice.edited_sample": {
        "vi": "Danh sách đội (phiên bản {revision}) được sửa từ dữ liệu MẪU; chưa phải danh sách "
        "thật.",
        "en": "The roster (revision {revision}) was edited from SAMPLE data; it is not the real "
        "roster yet.",
    },
    "ui.notice.estimate": {
        "vi": "Các chỉ số kết nối số ({source}) là ƯỚC TÍNH MINH HOẠ, không phải số liệu thống kê "
        "chính thức.",
        "en": "The connectivity indicators ({source}) are an ILLUSTRATIVE ESTIMATE, not official "
        "statistics.",
    },
    "ui.notice.indicators_file": {
        "vi": "Các chỉ số kết nối số lấy từ tệp “{source}” do {author} nạp lúc {saved_at}. "
        "Đổi tệp hoặc quay lại ước tính minh hoạ ở trang Dữ liệu.",
        "en": "The connectivity indicators come from the file “{source}”, uploaded by {author} at "
        "{saved_at}. Change the file or go back to the illustrative estimate on the Data page.",
    },
    "ui.notice.indicators_missing": {
        "vi": "{count} xã/phường không có trong tệp; các xã/phường này dùng ƯỚC TÍNH MINH HOẠ.",
        "en": "{count} communes are not in the file; they use the ILLUSTRATIVE ESTIMATE.",
    },
    "ui.notice.someone": {"vi": "một người dùng", "en": "a user"},
    "ui.input_error": {
        "vi": "Chưa nạp được dữ liệu. Hãy sửa các vấn đề trong bảng dưới đây.",
        "en": "The data could not be loaded. Fix the problems in the table below.",
    },
    "ui.storage_error": {"vi": "Không lưu được", "en": "Could not save"},
    "ui.problems.heading": {"vi": "Các vấn đề cần sửa", "en": "Problems to fix"},
    "ui.yes": {"vi": "Có", "en": "Yes"},
    "ui.no": {"vi": "Không", "en": "No"},
    "ui.none": {"vi": "Không có", "en": "None"},
    # ------------------------------------------------------------------ headline
    "ui.metric.communes": {"vi": "Xã/phường", "en": "Communes"},
    "ui.metric.population": {"vi": "Dân số", "en": "Population"},
    "ui.metric.teams": {"vi": "Đội hình", "en": "Teams"},
    "ui.metric.volunteers": {"vi": "Tình nguyện viên", "en": "Volunteers"},
    "ui.metric.underserved": {"vi": "Xã/phường thiếu hỗ trợ", "en": "Under-served communes"},
    "ui.metric.priority": {
        "vi": "Thiếu hỗ trợ ở biên giới/vùng sâu",
        "en": "Under-served, border or remote",
    },
    "ui.metric.need_met": {"vi": "Nhu cầu được đáp ứng", "en": "Need met"},
    "ui.metric.pop_reached": {"vi": "Dân số trong tầm hỗ trợ", "en": "Population within reach"},
    # ------------------------------------------------------------------ map page
    "ui.map.colour_by": {"vi": "Tô màu theo", "en": "Colour by"},
    "ui.map.filters": {"vi": "Chỉ hiện", "en": "Show only"},
    "ui.map.only_border": {"vi": "Xã biên giới", "en": "Border communes"},
    "ui.map.only_remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote communes"},
    "ui.map.only_underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
    "ui.map.filter_help": {
        "vi": "Chọn nhiều ô: chỉ hiện xã/phường thoả tất cả điều kiện đã chọn.",
        "en": "Several boxes: only communes that meet every chosen condition are shown.",
    },
    "ui.map.show_reach": {"vi": "Vẽ phạm vi hỗ trợ của đội", "en": "Draw team reach"},
    "ui.map.search": {
        "vi": "Tìm xã/phường (gõ có dấu hoặc không dấu)",
        "en": "Find a commune (with or without diacritics)",
    },
    "ui.map.search_placeholder": {"vi": "ví dụ: ia mo", "en": "e.g. ia mo"},
    "ui.map.search_results": {"vi": "Kết quả tìm ({count})", "en": "Matches ({count})"},
    "ui.map.search_none": {
        "vi": "Không tìm thấy xã/phường nào khớp với “{query}”.",
        "en": "No commune matches “{query}”.",
    },
    "ui.map.help": {
        "vi": "Rê chuột lên một xã/phường để xem số liệu; bấm vào để xem chi tiết bên phải. "
        "Viền đen gạch: biên giới; viền tím chấm: vùng sâu, vùng xa; viền hồng: thiếu hỗ trợ.",
        "en": "Hover a commune for its numbers; click it to see its detail on the right. "
        "Dashed black outline: border; dotted purple: remote; pink: under-served.",
    },
    "ui.map.filtered": {
        "vi": "Đang hiện {shown}/{total} xã/phường theo bộ lọc.",
        "en": "Showing {shown} of {total} communes (filtered).",
    },
    "ui.map.filter_empty": {
        "vi": "Không có xã/phường nào thoả tất cả điều kiện đã chọn. Bỏ bớt một ô để xem thêm.",
        "en": "No commune meets every chosen condition. Untick a box to see more.",
    },
    "ui.map.priority_heading": {
        "vi": "Cần ưu tiên: thiếu hỗ trợ ở biên giới hoặc vùng sâu, vùng xa ({count})",
        "en": "Priority: under-served border or remote communes ({count})",
    },
    "ui.map.priority_help": {
        "vi": "Cột “Lý do” nói vì sao mỗi xã/phường được đánh dấu. Bấm vào xã trên bản đồ để xem "
        "chi tiết.",
        "en": "The “Reasons” column says why each commune is flagged. Click it on the map for the "
        "detail.",
    },
    "ui.map.list_heading": {"vi": "Danh sách xã/phường đang hiện", "en": "Communes shown"},
    "ui.map.select_hint": {
        "vi": "Bấm vào một xã/phường trên bản đồ hoặc chọn trong ô tìm kiếm.",
        "en": "Click a commune on the map or pick one from the search.",
    },
    "ui.map.open_detail": {"vi": "Mở trang chi tiết", "en": "Open the detail page"},
    "ui.map.clear_selection": {"vi": "Bỏ chọn", "en": "Clear selection"},
    "ui.map.suggested_shown": {
        "vi": "Ngôi sao xanh: {count} vị trí đề xuất đội mới (từ trang Đề xuất bố trí).",
        "en": "Green stars: {count} suggested new team sites (from the Suggestions page).",
    },
    # ------------------------------------------------------------------ commune detail
    "ui.commune.choose": {"vi": "Chọn xã/phường", "en": "Choose a commune"},
    "ui.commune.placeholder": {"vi": "Chọn một xã/phường…", "en": "Pick a commune…"},
    "ui.commune.none": {
        "vi": "Chưa chọn xã/phường nào. Chọn ở ô trên hoặc bấm trên Bản đồ tổng quan.",
        "en": "No commune chosen. Pick one above or click it on the Map overview.",
    },
    "ui.commune.flags": {"vi": "Đặc điểm", "en": "Flags"},
    "ui.commune.no_flags": {"vi": "Không thuộc diện ưu tiên", "en": "Not flagged"},
    "ui.commune.reasons": {"vi": "Vì sao được đánh dấu", "en": "Why it is flagged"},
    "ui.commune.no_reasons": {"vi": "Không có ghi chú nào.", "en": "Nothing to note."},
    "ui.commune.numbers": {"vi": "Số liệu", "en": "Numbers"},
    "ui.commune.teams_reaching": {
        "vi": "Các đội hỗ trợ được xã/phường này",
        "en": "Teams that reach this commune",
    },
    "ui.commune.no_teams_reaching": {
        "vi": "Chưa có đội nào trong tầm hỗ trợ xã/phường này.",
        "en": "No team reaches this commune yet.",
    },
    "ui.commune.merged_from": {
        "vi": "Hình thành từ các đơn vị trước sáp nhập",
        "en": "Formed from these pre-merger units",
    },
    "ui.commune.merged_none": {
        "vi": "Không có thông tin sáp nhập.",
        "en": "No merger information.",
    },
    "ui.commune.add_team_here": {
        "vi": "Thêm đội tại xã/phường này",
        "en": "Add a team in this commune",
    },
    "ui.field.item": {"vi": "Chỉ tiêu", "en": "Item"},
    "ui.field.value": {"vi": "Giá trị", "en": "Value"},
    "ui.field.code": {"vi": "Mã", "en": "Code"},
    "ui.field.name": {"vi": "Xã/phường", "en": "Commune"},
    "ui.field.kind": {"vi": "Loại", "en": "Type"},
    "ui.field.population": {"vi": "Dân số", "en": "Population"},
    "ui.field.area": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "ui.field.density": {"vi": "Mật độ (người/km²)", "en": "Density (people/km²)"},
    "ui.field.need": {"vi": "Nhu cầu hỗ trợ (lượt người)", "en": "Need (resident-equivalents)"},
    "ui.field.capacity": {"vi": "Năng lực hỗ trợ (người/tuần)", "en": "Capacity (residents/week)"},
    "ui.field.coverage": {"vi": "Mức đáp ứng", "en": "Coverage"},
    "ui.field.teams_in_reach": {"vi": "Số đội trong tầm", "en": "Teams within reach"},
    "ui.field.nearest_km": {
        "vi": "Khoảng cách tới đội gần nhất (km)",
        "en": "Distance to nearest team (km)",
    },
    "ui.field.per_1000": {
        "vi": "Tình nguyện viên/1.000 dân",
        "en": "Volunteers per 1,000 residents",
    },
    "ui.field.connectivity": {
        "vi": "Chỉ số kết nối số (0–100)",
        "en": "Connectivity index (0–100)",
    },
    "ui.field.border": {"vi": "Biên giới", "en": "Border"},
    "ui.field.remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote"},
    "ui.field.underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
    "ui.field.reasons": {"vi": "Lý do", "en": "Reasons"},
    "ui.field.latitude": {"vi": "Vĩ độ", "en": "Latitude"},
    "ui.field.longitude": {"vi": "Kinh độ", "en": "Longitude"},
    "ui.field.skills": {"vi": "Kỹ năng", "en": "Skills"},
    "ui.field.languages": {"vi": "Ngôn ngữ", "en": "Languages"},
    "ui.teams.coord_help": {
        "vi": "Để trống để dùng điểm giữa xã/phường; độ thập phân, ví dụ 13.98 và 108.01.",
        "en": "Leave empty to use the commune's centre; decimal degrees, e.g. 13.98 and 108.01.",
    },
    "ui.teams.mode_help": {
        "vi": "fixed: cố định tại bộ phận một cửa; mobile: lưu động đến thôn, làng.",
        "en": "fixed: at the one-stop desk; mobile: visits villages.",
    },
    "ui.teams.list_help": {
        "vi": "Nhiều giá trị cách nhau bằng dấu chấm phẩy, ví dụ vi;jrai.",
        "en": "Several values separated by semicolons, e.g. vi;jrai.",
    },
    "ui.sugg.after": {
        "vi": "Nếu thêm các đội đề xuất (mũi tên: thay đổi so với hiện tại):",
        "en": "With the suggested teams (arrows: change from today):",
    },
    "ui.field.team_id": {"vi": "Mã đội", "en": "Team id"},
    "ui.field.team_name": {"vi": "Tên đội", "en": "Team name"},
    "ui.field.team_commune": {"vi": "Đặt tại", "en": "Based in"},
    "ui.field.members": {"vi": "Số thành viên", "en": "Members"},
    "ui.field.mode": {"vi": "Hình thức", "en": "Mode"},
    "ui.field.hours": {"vi": "Giờ/tuần", "en": "Hours/week"},
    "ui.field.status_before": {"vi": "Trước", "en": "Before"},
    "ui.field.status_after": {"vi": "Sau", "en": "After"},
    "ui.status.underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
    "ui.status.served": {"vi": "Đủ hỗ trợ", "en": "Served"},
    # ------------------------------------------------------------------ teams page
    "ui.teams.intro": {
        "vi": "Sửa trực tiếp trong bảng (thêm dòng ở cuối bảng, xoá bằng ô chọn bên trái) hoặc "
        "dùng các ô bên dưới. Mỗi thay đổi được kiểm tra theo đúng quy tắc khi nạp tệp; thay đổi "
        "hợp lệ được lưu ngay.",
        "en": "Edit in the table (add a row at the bottom, delete with the tick box on the left) "
        "or use the forms below. Every change is checked with the same rules as a file import; "
        "valid changes are saved at once.",
    },
    "ui.teams.revision": {
        "vi": "Đang dùng phiên bản {revision} (lưu lúc {saved_at}, bởi {author}).",
        "en": "Using revision {revision} (saved {saved_at} by {author}).",
    },
    "ui.teams.revision_none": {
        "vi": "Chưa có bản sửa nào được lưu; đang dùng danh sách gốc ({source}).",
        "en": "No edit saved yet; using the original roster ({source}).",
    },
    "ui.teams.saved": {
        "vi": "Đã lưu thành phiên bản {revision}.",
        "en": "Saved as revision {revision}.",
    },
    "ui.teams.invalid": {
        "vi": "Thay đổi CHƯA được lưu vì có {count} lỗi. Bảng vẫn giữ nguyên những gì bạn đã sửa; "
        "hãy sửa các ô dưới đây.",
        "en": "The change is NOT saved: {count} problem(s). The table keeps your edit; fix the "
        "cells below.",
    },
    "ui.teams.editor_file": {"vi": "bảng đội hình", "en": "team table"},
    "ui.teams.form_file": {"vi": "ô nhập", "en": "form"},
    "ui.teams.discard": {"vi": "Bỏ các sửa đổi chưa lưu", "en": "Discard unsaved edits"},
    "ui.teams.add": {"vi": "Thêm đội", "en": "Add a team"},
    "ui.teams.add_commune": {"vi": "Đặt tại xã/phường", "en": "Based in commune"},
    "ui.teams.add_name": {"vi": "Tên đội", "en": "Team name"},
    "ui.teams.add_name_default": {"vi": "Đội TNTN {commune}", "en": "Volunteer team {commune}"},
    "ui.teams.add_button": {"vi": "Thêm đội", "en": "Add team"},
    "ui.teams.move": {"vi": "Chuyển / đổi quy mô đội", "en": "Move or resize a team"},
    "ui.teams.move_team": {"vi": "Chọn đội", "en": "Team"},
    "ui.teams.move_commune": {"vi": "Chuyển tới xã/phường", "en": "Move to commune"},
    "ui.teams.move_lat": {"vi": "Vĩ độ mới (tuỳ chọn)", "en": "New latitude (optional)"},
    "ui.teams.move_lon": {"vi": "Kinh độ mới (tuỳ chọn)", "en": "New longitude (optional)"},
    "ui.teams.move_button": {"vi": "Lưu thay đổi của đội", "en": "Save the team's changes"},
    "ui.teams.remove": {"vi": "Xoá đội", "en": "Remove a team"},
    "ui.teams.remove_button": {"vi": "Xoá đội đã chọn", "en": "Remove the chosen team"},
    "ui.teams.history": {"vi": "Lịch sử các phiên bản", "en": "Revision history"},
    "ui.teams.history_cols": {
        "vi": "Phiên bản|Thời gian|Người sửa|Số đội|Thêm|Xoá|Sửa|Ghi chú",
        "en": "Revision|Time|By|Teams|Added|Removed|Changed|Note",
    },
    "ui.teams.conflict_title": {
        "vi": "Có người khác vừa lưu danh sách đội",
        "en": "Someone else saved the roster",
    },
    "ui.teams.conflict_theirs": {
        "vi": "Họ đã thêm: {added}; xoá: {removed}; sửa: {changed}.",
        "en": "They added: {added}; removed: {removed}; changed: {changed}.",
    },
    "ui.teams.conflict_reload": {
        "vi": "Tải bản mới nhất (bỏ sửa đổi của tôi)",
        "en": "Load the latest (drop my edit)",
    },
    "ui.teams.conflict_keep": {
        "vi": "Giữ bản của tôi (lưu thành bản mới nhất)",
        "en": "Keep mine (save it as the latest)",
    },
    "ui.teams.newer": {
        "vi": "Có phiên bản mới hơn ({revision}) do {author} lưu. Đã tải phiên bản đó.",
        "en": "A newer revision ({revision}) was saved by {author}; it is now shown.",
    },
    "ui.mode.fixed": {"vi": "Cố định (tại bộ phận một cửa)", "en": "Fixed (at the one-stop desk)"},
    "ui.mode.mobile": {"vi": "Lưu động (đến thôn, làng)", "en": "Mobile (visits villages)"},
    # ------------------------------------------------------------------ suggestions
    "ui.sugg.intro": {
        "vi": "Công cụ tìm nơi đặt đội mới để hỗ trợ được nhiều người cần giúp nhất, theo danh "
        "sách đội hiện tại.",
        "en": "The tool finds where new teams would help the most people who need it, given the "
        "current roster.",
    },
    "ui.sugg.count": {"vi": "Số đội mới", "en": "Number of new teams"},
    "ui.sugg.members": {"vi": "Số thành viên mỗi đội", "en": "Members per team"},
    "ui.sugg.hours": {"vi": "Giờ/tuần mỗi thành viên", "en": "Hours per week per member"},
    "ui.sugg.mode": {"vi": "Hình thức đội mới", "en": "Mode of the new teams"},
    "ui.sugg.options": {"vi": "Tuỳ chọn nâng cao", "en": "More options"},
    "ui.sugg.border": {
        "vi": "Mọi xã biên giới phải có đội trong tầm phục vụ",
        "en": "Every border commune must have a team in reach",
    },
    "ui.sugg.exclude": {"vi": "Không đặt đội mới tại", "en": "Do not place new teams in"},
    "ui.sugg.max_per": {
        "vi": "Tối đa số đội mới mỗi xã/phường",
        "en": "At most new teams per commune",
    },
    "ui.sugg.resite": {
        "vi": "Cho phép chuyển chỗ tối đa số đội hiện có",
        "en": "Re-site up to this many existing teams",
    },
    "ui.sugg.time": {"vi": "Thời gian tính tối đa (giây)", "en": "Time limit (seconds)"},
    "ui.sugg.method": {"vi": "Cách tính", "en": "Method"},
    "ui.sugg.method.exact": {"vi": "Tối ưu (chính xác)", "en": "Optimal (exact)"},
    "ui.sugg.method.greedy": {"vi": "Nhanh (gần đúng)", "en": "Quick (approximate)"},
    "ui.sugg.run": {"vi": "Tìm vị trí đề xuất", "en": "Find suggested sites"},
    "ui.sugg.status": {"vi": "Kết quả tính: {status}", "en": "Solver result: {status}"},
    "ui.sugg.sites": {"vi": "Các vị trí đề xuất", "en": "Suggested sites"},
    "ui.sugg.site_line": {"vi": "{n}. {commune}: {reason}", "en": "{n}. {commune}: {reason}"},
    "ui.sugg.none_yet": {
        "vi": "Chưa có đề xuất. Chọn số đội mới rồi bấm “Tìm vị trí đề xuất”.",
        "en": "No suggestion yet. Choose the number of new teams and press “Find suggested sites”.",
    },
    "ui.sugg.accept_name": {"vi": "Tên kịch bản", "en": "Scenario name"},
    "ui.sugg.accept_default": {"vi": "Thêm {count} đội mới", "en": "Add {count} new teams"},
    "ui.sugg.accept": {"vi": "Lưu thành kịch bản", "en": "Save as a scenario"},
    "ui.sugg.accepted": {
        "vi": "Đã lưu kịch bản “{name}”. Xem và so sánh ở trang Kịch bản.",
        "en": "Saved scenario “{name}”. See and compare it on the Scenarios page.",
    },
    "ui.sugg.new_team_name": {"vi": "Đội mới {n} – {commune}", "en": "New team {n} – {commune}"},
    "ui.sugg.stale": {
        "vi": "Danh sách đội đã thay đổi từ khi tính đề xuất này; hãy tính lại.",
        "en": "The roster changed since this suggestion was computed; run it again.",
    },
    "ui.sugg.stale_indicators": {
        "vi": "Bộ chỉ số kết nối số đã thay đổi từ khi tính đề xuất này; hãy tính lại.",
        "en": "The connectivity indicators changed since this suggestion was computed; run it "
        "again.",
    },
    # ------------------------------------------------------------------ scenarios
    "ui.scen.current": {"vi": "Phương án hiện tại", "en": "Current plan"},
    "ui.scen.save_current": {
        "vi": "Lưu phương án hiện tại thành kịch bản",
        "en": "Save the current plan as a scenario",
    },
    "ui.scen.name": {"vi": "Tên kịch bản", "en": "Scenario name"},
    "ui.scen.save": {"vi": "Lưu", "en": "Save"},
    "ui.scen.saved": {"vi": "Đã lưu kịch bản “{name}”.", "en": "Saved scenario “{name}”."},
    "ui.scen.list": {"vi": "Các kịch bản đã lưu", "en": "Saved scenarios"},
    "ui.scen.list_cols": {
        "vi": "Tên|Số đội|Thiếu hỗ trợ|Cập nhật|Người lưu",
        "en": "Name|Teams|Under-served|Updated|Saved by",
    },
    "ui.scen.empty": {
        "vi": "Chưa có kịch bản nào. Lưu một đề xuất ở trang Đề xuất bố trí, hoặc lưu phương án "
        "hiện tại.",
        "en": "No scenario yet. Save a suggestion on the Suggestions page, or save the current "
        "plan.",
    },
    "ui.scen.compare": {"vi": "So sánh hai phương án", "en": "Compare two plans"},
    "ui.scen.left": {"vi": "Phương án A", "en": "Plan A"},
    "ui.scen.right": {"vi": "Phương án B", "en": "Plan B"},
    "ui.scen.metric": {"vi": "Chỉ tiêu", "en": "Measure"},
    "ui.scen.change": {"vi": "Thay đổi", "en": "Change"},
    "ui.scen.changed_status": {
        "vi": "Xã/phường đổi trạng thái",
        "en": "Communes that change status",
    },
    "ui.scen.no_status_change": {
        "vi": "Không có xã/phường nào đổi trạng thái.",
        "en": "No commune changes status.",
    },
    "ui.scen.diff_map": {
        "vi": "Bản đồ phương án B: tô theo mức đáp ứng; ngôi sao xanh là đội có ở B mà không có ở "
        "A.",
        "en": "Map of plan B shaded by coverage; green stars are teams in B that are not in A.",
    },
    "ui.scen.team_changes": {
        "vi": "Đội hình khác nhau: thêm {added}, bớt {removed}, thay đổi {changed}.",
        "en": "Roster differences: {added} added, {removed} removed, {changed} changed.",
    },
    "ui.scen.rename": {"vi": "Đổi tên", "en": "Rename"},
    "ui.scen.new_name": {"vi": "Tên mới", "en": "New name"},
    "ui.scen.delete": {"vi": "Xoá kịch bản", "en": "Delete the scenario"},
    "ui.scen.manage": {"vi": "Quản lý kịch bản", "en": "Manage scenarios"},
    "ui.scen.pick": {"vi": "Kịch bản", "en": "Scenario"},
    "ui.scen.adopt": {
        "vi": "Dùng kịch bản này làm phương án hiện tại",
        "en": "Make this scenario the current plan",
    },
    "ui.scen.adopted": {
        "vi": "Đã dùng kịch bản “{name}” làm phương án hiện tại (phiên bản {revision}).",
        "en": "Scenario “{name}” is now the current plan (revision {revision}).",
    },
    "ui.scen.deleted": {"vi": "Đã xoá kịch bản “{name}”.", "en": "Deleted scenario “{name}”."},
    "ui.scen.renamed": {"vi": "Đã đổi tên thành “{name}”.", "en": "Renamed to “{name}”."},
    # ------------------------------------------------------------------ data page
    "ui.data.intro": {
        "vi": "Kiểm tra tệp trước khi dùng: công cụ báo từng dòng, từng cột có vấn đề và cách sửa. "
        "Dung lượng tối đa {limit_mb} MB mỗi tệp.",
        "en": "Check a file before using it: the tool names every row and column with a problem "
        "and how to fix it. Each file may be at most {limit_mb} MB.",
    },
    "ui.data.roster": {"vi": "Danh sách đội (CSV hoặc Excel)", "en": "Team roster (CSV or Excel)"},
    "ui.data.indicators": {
        "vi": "Chỉ số kết nối số theo xã/phường (CSV hoặc Excel)",
        "en": "Connectivity indicators per commune (CSV or Excel)",
    },
    "ui.data.too_large": {
        "vi": "Tệp “{name}” nặng {size_mb} MB, vượt giới hạn {limit_mb} MB. Hãy cắt bớt hoặc nén "
        "tệp rồi thử lại.",
        "en": "File “{name}” is {size_mb} MB, over the {limit_mb} MB limit. Trim or compress it "
        "and try again.",
    },
    "ui.data.ok": {
        "vi": "Tệp “{name}” hợp lệ: {rows} dòng.",
        "en": "File “{name}” is valid: {rows} rows.",
    },
    "ui.data.preview": {"vi": "Xem trước", "en": "Preview"},
    "ui.data.use_roster": {
        "vi": "Dùng danh sách này làm phương án hiện tại",
        "en": "Use this roster as the current plan",
    },
    "ui.data.used_roster": {
        "vi": "Đã lưu danh sách từ tệp thành phiên bản {revision}.",
        "en": "Saved the file's roster as revision {revision}.",
    },
    "ui.data.indicators_note": {
        "vi": "Tệp hợp lệ. Bấm nút dưới đây để dùng bộ chỉ số này cho phân tích của {province}; "
        "đến lúc đó bộ chỉ số đang dùng ({source}) được giữ nguyên.",
        "en": "The file is valid. Press the button below to use these indicators in the analysis "
        "of {province}; until then the indicators in use ({source}) stay as they are.",
    },
    "ui.data.indicators_will_miss": {
        "vi": "Tệp thiếu {count} xã/phường của tỉnh; nếu dùng, các xã/phường này sẽ dùng ƯỚC TÍNH "
        "MINH HOẠ.",
        "en": "The file leaves out {count} of the province's communes; if used, they will use the "
        "ILLUSTRATIVE ESTIMATE.",
    },
    "ui.data.indicators_kept": {
        "vi": "Chưa dùng tệp này. Bộ chỉ số đang dùng ({source}) được giữ nguyên.",
        "en": "This file is not used. The indicators in use ({source}) stay as they are.",
    },
    "ui.data.indicators_in_use": {
        "vi": "Phân tích đang dùng đúng bộ chỉ số trong tệp này.",
        "en": "The analysis already uses the indicators in this file.",
    },
    "ui.data.use_indicators": {
        "vi": "Dùng bộ chỉ số này cho phân tích",
        "en": "Use these indicators in the analysis",
    },
    "ui.data.used_indicators": {
        "vi": "Phân tích đang dùng chỉ số từ tệp “{name}” (phiên bản {revision}, {rows} "
        "xã/phường).",
        "en": "The analysis now uses the indicators from “{name}” (revision {revision}, {rows} "
        "communes).",
    },
    "ui.data.back_to_estimate": {
        "vi": "Quay lại ước tính minh hoạ",
        "en": "Go back to the illustrative estimate",
    },
    "ui.data.backed_to_estimate": {
        "vi": "Phân tích đã quay lại dùng ƯỚC TÍNH MINH HOẠ. Các tệp đã nạp vẫn được giữ trong "
        "lịch sử.",
        "en": "The analysis is back on the ILLUSTRATIVE ESTIMATE. Uploaded files stay in the "
        "history.",
    },
    "ui.data.indicator_history": {
        "vi": "Lịch sử chỉ số đã nạp",
        "en": "History of uploaded indicators",
    },
    "ui.data.indicator_history_cols": {
        "vi": "Phiên bản|Nguồn|Số xã/phường|Thời điểm|Người nạp",
        "en": "Revision|Source|Communes|When|By",
    },
    "ui.data.note_uploaded": {"vi": "tệp nạp lúc {saved_at}", "en": "file uploaded at {saved_at}"},
    "ui.data.note_missing": {
        "vi": "{count} xã/phường thiếu trong tệp dùng ước tính",
        "en": "{count} communes missing from the file use the estimate",
    },
    "ui.data.templates": {"vi": "Tệp mẫu", "en": "Templates"},
    "ui.data.template_roster": {
        "vi": "Tải tệp mẫu danh sách đội",
        "en": "Download the roster template",
    },
    "ui.data.template_indicators": {
        "vi": "Tải tệp mẫu chỉ số",
        "en": "Download the indicator template",
    },
    "ui.data.sources": {"vi": "Dữ liệu đang dùng", "en": "Data in use"},
    "ui.data.source_cols": {"vi": "Dữ liệu|Nguồn|Ghi chú", "en": "Data|Source|Note"},
    "ui.data.src_boundaries": {"vi": "Ranh giới xã/phường", "en": "Commune boundaries"},
    "ui.data.src_roster": {"vi": "Danh sách đội", "en": "Team roster"},
    "ui.data.src_indicators": {"vi": "Chỉ số kết nối số", "en": "Connectivity indicators"},
    "ui.data.note_sample": {"vi": "dữ liệu MẪU", "en": "SAMPLE data"},
    "ui.data.note_estimate": {"vi": "ước tính minh hoạ", "en": "illustrative estimate"},
    "ui.data.note_saved": {"vi": "phiên bản đã lưu {revision}", "en": "saved revision {revision}"},
    "ui.data.note_official": {
        "vi": "sau sáp nhập, từ 1/7/2025",
        "en": "post-merger, from 1 July 2025",
    },
    # ------------------------------------------------------------------ reports
    "ui.rep.intro": {
        "vi": "Tạo tài liệu cho cuộc họp, dùng được khi không có mạng: bản đồ HTML, ảnh PNG, "
        "bản đồ PDF khổ A4/A3, bản tóm tắt PDF và bài trình chiếu PPTX.",
        "en": "Make meeting documents that work offline: an HTML map, a PNG picture, A4/A3 PDF "
        "maps, a PDF briefing and PPTX slides.",
    },
    "ui.rep.formats": {"vi": "Định dạng", "en": "Formats"},
    "ui.rep.scenario": {"vi": "Báo cáo về", "en": "Report on"},
    "ui.rep.with_plan": {
        "vi": "Kèm đề xuất bố trí vừa tính",
        "en": "Include the latest suggestion",
    },
    "ui.rep.format.html": {"vi": "Bản đồ tương tác (HTML)", "en": "Interactive map (HTML)"},
    "ui.rep.format.png": {"vi": "Ảnh bản đồ (PNG)", "en": "Map picture (PNG)"},
    "ui.rep.format.pdf": {
        "vi": "Bản đồ A4/A3 và bản tóm tắt (PDF)",
        "en": "A4/A3 maps and briefing (PDF)",
    },
    "ui.rep.format.pptx": {"vi": "Bài trình chiếu (PPTX)", "en": "Slides (PPTX)"},
    "ui.rep.no_scenario": {"vi": "Không so sánh", "en": "No comparison"},
    "ui.rep.make": {"vi": "Tạo báo cáo", "en": "Make the report"},
    "ui.rep.ready": {"vi": "Đã tạo {count} tệp.", "en": "Made {count} file(s)."},
    "ui.rep.download": {"vi": "Tải {name}", "en": "Download {name}"},
}

for _key, _value in UI_TEXT.items():
    if _key not in CATALOG:
        register({_key: _value})


__all__ = ["UI_TEXT"]
