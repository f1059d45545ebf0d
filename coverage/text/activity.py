"""Texts of the activity & progress page (``act.*``), Vietnamese first."""

from __future__ import annotations

from coverage.text.i18n import register

register(
    {
        "ui.page.activity": {"vi": "Hoạt động & tiến độ", "en": "Activity & progress"},
        "act.intro": {
            "vi": "Đội báo cáo đã làm gì, tuần nào, ở đâu; so với chỉ tiêu của từng xã. Báo cáo "
            "được lưu trong cơ sở dữ liệu của công cụ kèm người nhập và thời điểm; sửa một báo cáo "
            "là lưu phiên bản mới (giữ lịch sử).",
            "en": "What the teams did, which week, where; against each commune's targets. Reports "
            "are kept in the tool's database with who entered them and when; correcting a report "
            "stores a new revision (history kept).",
        },
        "act.sample_notice": {
            "vi": "DỮ LIỆU MẪU: {count} báo cáo trong kỳ này là mẫu do công cụ tạo ra (không phải "
            "báo cáo thật) để trang có nội dung trên máy mới. Báo cáo bạn nhập được cộng thêm vào.",
            "en": "SAMPLE: {count} report(s) in this period are made up by the tool (not real "
            "reports) so that the page has something to show on a fresh machine. Reports you enter "
            "are added to them.",
        },
        "act.period_from": {"vi": "Từ tuần", "en": "From week"},
        "act.period_to": {"vi": "Đến tuần", "en": "To week"},
        "act.period_caption": {
            "vi": "Kỳ {label}: {start} – {end} ({weeks} tuần)",
            "en": "Period {label}: {start} – {end} ({weeks} weeks)",
        },
        "act.metric.reporting": {"vi": "Tỷ lệ báo cáo", "en": "Reporting rate"},
        "act.metric.reporting_help": {
            "vi": "Báo cáo đã nhận / báo cáo dự kiến (số đội × số tuần), cách tính như DHIS2.",
            "en": "Reports received / expected reports (teams × weeks), counted as DHIS2 does.",
        },
        "act.metric.timely": {"vi": "Đúng hạn", "en": "On time"},
        "act.metric.timely_help": {
            "vi": "Báo cáo gửi trong {days} ngày sau khi hết tuần / báo cáo dự kiến.",
            "en": "Reports sent within {days} days after the week ended / expected reports.",
        },
        "act.metric.residents": {"vi": "Người được hỗ trợ/tuần", "en": "Residents helped/week"},
        "act.metric.progress": {
            "vi": "so với chỉ tiêu {target}/tuần: {share}",
            "en": "against a target of {target}/week: {share}",
        },
        "act.metric.behind": {"vi": "Xã chậm chỉ tiêu", "en": "Communes behind"},
        "act.metric.silent": {"vi": "Đội im lặng ≥2 tuần", "en": "Teams silent ≥2 weeks"},
        "act.metric.review": {"vi": "Báo cáo cần xem lại", "en": "Reports to review"},
        "act.tab.progress": {"vi": "Tiến độ theo xã", "en": "Progress by commune"},
        "act.tab.enter": {"vi": "Nhập báo cáo", "en": "Enter a report"},
        "act.tab.charts": {"vi": "Biểu đồ", "en": "Charts"},
        "act.tab.targets": {"vi": "Chỉ tiêu", "en": "Targets"},
        "act.tab.review": {"vi": "Cần xem lại", "en": "To review"},
        "act.map_help": {
            "vi": "Màu: tiến độ so với chỉ tiêu người được hỗ trợ mỗi tuần. Viền cam đứt: chậm so "
            "với chỉ tiêu (dưới 80%); di chuột để xem lý do.",
            "en": "Colour: progress against the residents-helped-per-week target. Dashed orange "
            "outline: behind target (under 80%); hover to see why.",
        },
        "act.only_behind": {"vi": "Chỉ xã chậm chỉ tiêu", "en": "Only communes behind"},
        "act.download_xlsx": {
            "vi": "Tải bảng tiến độ (Excel)",
            "en": "Download the progress table (Excel)",
        },
        "act.teams_heading": {"vi": "Theo đội", "en": "By team"},
        "act.form.heading": {
            "vi": "Báo cáo một buổi (hoặc một tuần) của một đội",
            "en": "One team's session (or week)",
        },
        "act.form.unsaved": {
            "vi": "Báo cáo chỉ được lưu khi bấm 'Lưu báo cáo'. Nếu đóng trình duyệt trước đó, "
            "những gì đang nhập sẽ mất; báo cáo đã lưu thì không bao giờ mất.",
            "en": "The report is saved only when you press 'Save report'. Closing the browser "
            "before that loses what is typed; a saved report is never lost.",
        },
        "act.form.team": {"vi": "Đội", "en": "Team"},
        "act.form.date": {"vi": "Ngày hoạt động", "en": "Date of the session"},
        "act.form.weekly": {
            "vi": "Báo cáo cả tuần (tuần của ngày trên)",
            "en": "Report for the whole week (the week of that date)",
        },
        "act.form.commune": {
            "vi": "Xã/phường nơi làm việc",
            "en": "Commune where the work happened",
        },
        "act.form.commune_home": {"vi": "(xã của đội)", "en": "(the team's home commune)"},
        "act.form.place": {"vi": "Nơi làm việc", "en": "Place"},
        "act.form.village": {"vi": "Thôn/buôn (nếu có)", "en": "Village (if any)"},
        "act.form.volunteers": {"vi": "Số tình nguyện viên có mặt", "en": "Volunteers present"},
        "act.form.hours": {"vi": "Số giờ", "en": "Hours"},
        "act.form.residents": {"vi": "Số người dân được hỗ trợ", "en": "Residents helped"},
        "act.form.vneid_installs": {"vi": "Cài VNeID", "en": "VNeID installs"},
        "act.form.vneid_level2": {"vi": "Kích hoạt VNeID mức 2", "en": "VNeID level-2 activations"},
        "act.form.online_filings": {"vi": "Hồ sơ dịch vụ công trực tuyến", "en": "Online filings"},
        "act.form.social_apps": {
            "vi": "BHXH số / sổ sức khoẻ",
            "en": "Social insurance / health apps",
        },
        "act.form.cashless": {"vi": "Thanh toán không tiền mặt", "en": "Cashless payments"},
        "act.form.model": {"vi": "Mô hình làm việc", "en": "Working model"},
        "act.form.languages": {
            "vi": "Ngôn ngữ đã dùng (cách nhau bằng ;)",
            "en": "Languages used (separated by ;)",
        },
        "act.form.notes": {"vi": "Ghi chú", "en": "Notes"},
        "act.form.save": {"vi": "Lưu báo cáo", "en": "Save report"},
        "act.form.saved": {
            "vi": "Đã lưu báo cáo của đội {team} ngày {day} tại {commune} ({what}). Tiến độ bên "
            "trên đã được cập nhật.",
            "en": "Saved the report of team {team} on {day} in {commune} ({what}). The progress "
            "above is updated.",
        },
        "act.form.added": {"vi": "báo cáo mới", "en": "a new report"},
        "act.form.corrected": {
            "vi": "bản sửa; bản cũ được giữ trong lịch sử",
            "en": "a correction; the earlier version is kept in the history",
        },
        "act.form.unchanged": {"vi": "không có gì thay đổi", "en": "nothing changed"},
        "act.form.author_note": {"vi": "Người nhập: {author}", "en": "Entered by: {author}"},
        "act.form.no_author": {
            "vi": "(chưa nhập tên ở thanh bên)",
            "en": "(no name typed in the sidebar)",
        },
        "act.upload.heading": {
            "vi": "Hoặc nạp một tệp (CSV, Excel, Google Forms)",
            "en": "Or load a file (CSV, Excel, Google Forms)",
        },
        "act.upload.label": {"vi": "Tệp báo cáo hoạt động", "en": "Activity log file"},
        "act.upload.ok": {
            "vi": "Tệp {name}: {rows} dòng, không có lỗi{warnings}.",
            "en": "File {name}: {rows} rows, no errors{warnings}.",
        },
        "act.upload.warnings": {
            "vi": "; {count} cảnh báo (vẫn nhận)",
            "en": "; {count} warning(s) (accepted)",
        },
        "act.upload.save": {"vi": "Lưu {rows} báo cáo", "en": "Store {rows} report(s)"},
        "act.upload.stored": {
            "vi": "Đã lưu: {added} mới, {corrected} sửa, {unchanged} đã có (không cộng lại).",
            "en": "Stored: {added} new, {corrected} corrected, {unchanged} already there (not "
            "counted again).",
        },
        "act.upload.template": {
            "vi": "Tải mẫu trống (CSV)",
            "en": "Download the blank template (CSV)",
        },
        "act.trend_commune": {"vi": "Xã để xem xu hướng", "en": "Commune for the trend"},
        "act.targets.help": {
            "vi": "Chỉ tiêu của từng xã: người dân được hỗ trợ mỗi tuần và kích hoạt VNeID mức 2 "
            "mỗi tuần. Xã chưa đặt dùng mặc định: năng lực mà danh sách đội hứa (số thành viên × "
            "giờ/tuần × 1,5 người/giờ). Mỗi lần lưu là một dòng mới trong lịch sử.",
            "en": "Each commune's targets: residents helped per week and VNeID level-2 activations "
            "per week. Communes without one use the default: what the roster promises (members × "
            "weekly hours × 1.5 residents/hour). Every save is a new line in the history.",
        },
        "act.targets.online": {
            "vi": "Chỉ tiêu tỷ lệ hồ sơ trực tuyến toàn trình (cả tỉnh, %)",
            "en": "Target share of filings handled fully online (province, %)",
        },
        "act.targets.save": {"vi": "Lưu chỉ tiêu", "en": "Save targets"},
        "act.targets.saved": {"vi": "Đã lưu {count} chỉ tiêu.", "en": "Saved {count} target(s)."},
        "act.targets.none": {"vi": "Không có chỉ tiêu nào thay đổi.", "en": "No target changed."},
        "act.targets.history": {"vi": "Lịch sử chỉ tiêu", "en": "Target history"},
        "act.col.target_residents": {"vi": "Chỉ tiêu người/tuần", "en": "Target residents/week"},
        "act.col.target_vneid": {
            "vi": "Chỉ tiêu VNeID mức 2/tuần",
            "en": "Target VNeID level 2/week",
        },
        "act.review.silent": {
            "vi": "Đội không báo cáo từ 2 tuần trở lên",
            "en": "Teams silent for 2 weeks or more",
        },
        "act.review.outliers": {
            "vi": "Báo cáo có số liệu khác xa mức thường thấy của chính đội đó (gấp 3 lần trở lên "
            "hoặc bằng 1/3 trở xuống so với trung vị của đội, hoặc trên 6 người/TNV-giờ): vẫn được "
            "tính vào tổng nhưng không tính vào năng suất cho đến khi được kiểm tra.",
            "en": "Reports far outside the team's own usual range (3 times above or below the "
            "team's median, or above 6 per volunteer-hour): counted in the totals but left out of "
            "throughput until checked.",
        },
        "act.review.none": {"vi": "Không có.", "en": "None."},
        "act.panel.commune": {"vi": "Tiến độ của xã/phường", "en": "Progress of the commune"},
        "act.panel.residents": {
            "vi": "Người được hỗ trợ trong kỳ",
            "en": "Residents helped in the period",
        },
        "act.panel.per_week": {"vi": "Người/tuần", "en": "Residents/week"},
        "act.panel.target": {"vi": "chỉ tiêu {target}/tuần", "en": "target {target}/week"},
        "act.panel.progress": {"vi": "Tiến độ so với chỉ tiêu", "en": "Progress against target"},
        "act.panel.why": {"vi": "Chậm vì: {reasons}", "en": "Behind because: {reasons}"},
        "act.panel.change": {
            "vi": "{name}: tiến độ {before} → {after} (người được hỗ trợ trong kỳ "
            "{residents_before} → {residents_after}).",
            "en": "{name}: progress {before} → {after} (residents helped in the period "
            "{residents_before} → {residents_after}).",
        },
        "act.recent.heading": {
            "vi": "Báo cáo nhập gần đây (không tính dữ liệu mẫu)",
            "en": "Reports entered recently (sample data left out)",
        },
        "act.recent.entered_at": {"vi": "Lúc nhập", "en": "Entered at"},
        "act.recent.author": {"vi": "Người nhập", "en": "Entered by"},
        "act.recent.source": {"vi": "Nguồn", "en": "Source"},
        "act.recent.team_id": {"vi": "Đội", "en": "Team"},
        "act.recent.when": {"vi": "Ngày/tuần", "en": "Date/week"},
        "act.recent.commune_code": {"vi": "Xã", "en": "Commune"},
        "act.recent.residents_helped": {"vi": "Người được hỗ trợ", "en": "Residents helped"},
        "act.recent.revision": {"vi": "Phiên bản", "en": "Revision"},
        "ui.sugg.measured": {
            "vi": "Dùng năng suất đo từ báo cáo hoạt động",
            "en": "Use throughput measured from the activity reports",
        },
        "ui.sugg.measured_help": {
            "vi": "Bật: mỗi đội dùng số người được hỗ trợ mỗi tình nguyện viên-giờ đo từ báo cáo "
            "của đội (hoặc trung vị của tỉnh theo loại đội khi đội có ít báo cáo), và nhu cầu đã "
            "trừ số người đã được hỗ trợ. Tắt: giả định 1,5 người/giờ cho mọi đội.",
            "en": "On: each team uses the residents helped per volunteer-hour measured from its "
            "reports (or the province median for its mode when it has few), and need excludes "
            "residents already helped. Off: the assumed 1.5 per hour for every team.",
        },
        "ui.sugg.rate_used": {"vi": "Năng suất dùng cho xã", "en": "Rate used for the commune"},
        "act.rep.with_progress": {
            "vi": "Thêm đánh giá định kỳ (tiến độ so với chỉ tiêu) vào bản tóm tắt PDF và trình "
            "chiếu",
            "en": "Add the periodic evaluation (progress against targets) to the PDF briefing and "
            "slides",
        },
        "act.rep.period": {
            "vi": "Kỳ đánh giá: {period} (chọn kỳ khác ở trang Hoạt động & tiến độ)",
            "en": "Period: {period} (choose another on the Activity & progress page)",
        },
        "act.place.one_stop_office": {"vi": "Bộ phận một cửa", "en": "One-stop office"},
        "act.place.village_visit": {"vi": "Thăm thôn, buôn", "en": "Village visit"},
        "act.place.school": {"vi": "Trường học", "en": "School"},
        "act.place.other": {"vi": "Khác", "en": "Other"},
    }
)
