"""Words of the interactive and static maps: metrics, layers, flags, tooltips, legend ("map.*")."""

from __future__ import annotations

from coverage.text.i18n import register

register(
    {
        "map.metric.density_per_km2": {
            "vi": "Mật độ dân số (người/km²)",
            "en": "Population density (people/km²)",
        },
        "map.metric.need": {"vi": "Nhu cầu hỗ trợ", "en": "Need for help"},
        "map.metric.coverage_ratio": {
            "vi": "Mức đáp ứng (năng lực/nhu cầu)",
            "en": "Coverage (capacity/need)",
        },
        "map.metric.connectivity_index": {
            "vi": "Chỉ số kết nối số (0–100)",
            "en": "Digital connectivity index (0–100)",
        },
        "map.kind.xa": {"vi": "Xã", "en": "Commune"},
        "map.kind.phuong": {"vi": "Phường", "en": "Ward"},
        "map.kind.dac_khu": {"vi": "Đặc khu", "en": "Special zone"},
        "map.tip.kind": {"vi": "Loại", "en": "Type"},
        "map.tip.population": {"vi": "Dân số", "en": "Population"},
        "map.tip.area": {"vi": "Diện tích", "en": "Area"},
        "map.tip.team": {"vi": "Đội", "en": "Team"},
        "map.tip.members": {"vi": "Thành viên", "en": "Members"},
        "map.tip.commune": {"vi": "Xã/phường", "en": "Commune"},
        "map.tip.hours": {"vi": "Giờ/tuần", "en": "Hours/week"},
        "map.tip.need_served": {"vi": "Nhu cầu được đáp ứng thêm", "en": "Extra need served"},
        "map.tip.site": {"vi": "Đề xuất đội mới số {n}", "en": "Suggested new team {n}"},
        "map.unit.km2": {"vi": "km²", "en": "km²"},
        "map.unit.density": {"vi": "người/km²", "en": "people/km²"},
        "map.layer.communes": {"vi": "Xã/phường (tô màu)", "en": "Communes (shaded)"},
        "map.layer.labels": {"vi": "Tên xã/phường", "en": "Commune names"},
        "map.layer.province": {"vi": "Ranh giới tỉnh", "en": "Province boundary"},
        "map.layer.fixed": {"vi": "Đội cố định", "en": "Fixed teams"},
        "map.layer.mobile": {"vi": "Đội lưu động", "en": "Mobile teams"},
        "map.layer.reach": {"vi": "Phạm vi hỗ trợ của đội", "en": "Team reach"},
        "map.layer.sites": {"vi": "Vị trí đề xuất đội mới", "en": "Suggested new teams"},
        "map.layer.selected": {"vi": "Xã/phường đang chọn", "en": "Selected commune"},
        "map.flag.is_border": {"vi": "Xã biên giới", "en": "Border commune"},
        "map.flag.is_remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote area"},
        "map.flag.is_underserved": {"vi": "Thiếu hỗ trợ", "en": "Under-served"},
        "map.flag.is_behind": {"vi": "Chậm so với chỉ tiêu", "en": "Behind target"},
        "map.flag.is_language_gap": {
            "vi": "Thiếu người nói tiếng dân tộc",
            "en": "Language gap",
        },
        "map.legend.language_gap": {
            "vi": "Thiếu người nói tiếng dân tộc (gạch chéo)",
            "en": "Language gap (hatched)",
        },
        "map.metric.progress_ratio": {
            "vi": "Tiến độ so với chỉ tiêu (người được hỗ trợ/tuần)",
            "en": "Progress against target (residents helped/week)",
        },
        "map.mode.fixed": {"vi": "Đội cố định", "en": "Fixed team"},
        "map.mode.mobile": {"vi": "Đội lưu động", "en": "Mobile team"},
        "map.legend.no_data": {"vi": "Không có số liệu", "en": "No data"},
        "map.legend.symbols": {"vi": "Ký hiệu", "en": "Symbols"},
        "map.legend.heading": {"vi": "Chú giải", "en": "Legend"},
        "map.legend.reach": {
            "vi": "Phạm vi hỗ trợ ({radius} km)",
            "en": "Team reach ({radius} km)",
        },
        "map.legend.reach_column": {"vi": "Phạm vi hỗ trợ của đội", "en": "Team reach"},
        "map.legend.sample": {
            "vi": "Danh sách đội là dữ liệu MẪU, không phải danh sách thật.",
            "en": "The team roster is SAMPLE data, not the real roster.",
        },
        "map.legend.estimate": {
            "vi": "Chỉ số kết nối số là ước tính minh hoạ.",
            "en": "Digital indicators are an illustrative estimate.",
        },
        "map.legend.off_view": {
            "vi": "Ngoài khung nhìn đầu (đảo xa): {names}. Thu nhỏ bản đồ để xem.",
            "en": "Outside the first view (far islands): {names}. Zoom out to see them.",
        },
        "staticmap.off_view": {
            "vi": "Không vẽ trong khung (đảo xa): {names}",
            "en": "Not drawn in the frame (far islands): {names}",
        },
    }
)
