"""Messages of the old-commune crosswalk (:mod:`coverage.inputs.crosswalk`), Vietnamese and English.

Importing this module registers the keys into :data:`coverage.text.i18n.CATALOG` once.
"""

from __future__ import annotations

from coverage.text.i18n import CATALOG, Lang, register

CROSSWALK_TEXT: dict[str, dict[Lang, str]] = {
    "crosswalk.no_package": {
        "vi": "thiếu gói vietnamadminunits (bảng chuyển đổi xã cũ sang xã mới)",
        "en": "the vietnamadminunits package (old-to-new commune table) is not installed",
    },
    "crosswalk.no_package.fix": {
        "vi": "Chạy lại 'make setup' để cài đặt các gói của dự án.",
        "en": "Run 'make setup' again to install the project's packages.",
    },
    "crosswalk.no_key": {
        "vi": "không có cột xác định xã cũ",
        "en": "no column identifies the old commune",
    },
    "crosswalk.no_key.fix": {
        "vi": "Thêm cột 'old_code' (mã xã cũ 5 chữ số) hoặc ba cột 'old_commune', "
        "'old_district', 'old_province' (tên xã, huyện, tỉnh trước sáp nhập). "
        "Các cột có trong tệp: {found}.",
        "en": "Add a column 'old_code' (5-digit pre-merger commune code) or the three columns "
        "'old_commune', 'old_district', 'old_province' (pre-merger names). "
        "Columns found: {found}.",
    },
    "crosswalk.no_values": {
        "vi": "chưa chọn cột số liệu nào để chuyển",
        "en": "no value column was chosen to convert",
    },
    "crosswalk.no_values.fix": {
        "vi": "Chọn cột số đếm (cộng dồn) và/hoặc cột tỷ lệ (bình quân theo dân số). "
        "Các cột có trong tệp: {found}.",
        "en": "Choose count columns (summed) and/or rate columns (population-weighted). "
        "Columns found: {found}.",
    },
    "crosswalk.missing_value_column": {
        "vi": "không có cột này trong tệp",
        "en": "this column is not in the file",
    },
    "crosswalk.missing_value_column.fix": {
        "vi": "Kiểm tra tên cột (gần giống: {close}). Các cột có trong tệp: {found}.",
        "en": "Check the column name (closest: {close}). Columns found: {found}.",
    },
    "crosswalk.rates_need_weight": {
        "vi": "tỷ lệ không thể cộng dồn khi gộp xã",
        "en": "rates cannot be summed when communes merge",
    },
    "crosswalk.rates_need_weight.fix": {
        "vi": "Chọn cột dân số (hoặc số đếm làm trọng số) của từng xã cũ để tính bình quân "
        "có trọng số cho: {columns}.",
        "en": "Choose the population column (or another count used as the weight) of each "
        "old commune, to average these by population: {columns}.",
    },
    "crosswalk.unknown_code": {
        "vi": "không có xã cũ nào mang mã này",
        "en": "no pre-merger commune has this code",
    },
    "crosswalk.unknown_code.fix": {
        "vi": "Dùng mã ĐVHC xã cũ 5 chữ số (trước 1/7/2025), hoặc điền tên xã, huyện, tỉnh "
        "cũ vào các cột 'old_commune', 'old_district', 'old_province'.",
        "en": "Use the 5-digit pre-merger commune code (before 1 July 2025), or fill in the "
        "old commune, district and province names in 'old_commune', 'old_district', "
        "'old_province'.",
    },
    "crosswalk.unmatched": {
        "vi": "không tìm thấy đơn vị hành chính cũ có tên này",
        "en": "no pre-merger unit has this name",
    },
    "crosswalk.unmatched.fix": {
        "vi": "Sửa lại tên cho đúng (không cần dấu, không cần chữ Xã/Huyện/Tỉnh).{close_vi}",
        "en": "Correct the name (diacritics and the words Xã/Huyện/Tỉnh are optional).{close_en}",
    },
    "crosswalk.ambiguous": {
        "vi": "tên này trùng với nhiều xã cũ",
        "en": "this name matches several pre-merger communes",
    },
    "crosswalk.ambiguous.fix": {
        "vi": "Dùng cột 'old_code' để chỉ rõ xã: {choices}.",
        "en": "Use the 'old_code' column to say which: {choices}.",
    },
    # ---- the Data page section
    "ui.crosswalk.title": {
        "vi": "Số liệu theo xã cũ → xã mới",
        "en": "Figures by old commune → new communes",
    },
    "ui.crosswalk.intro": {
        "vi": "Tải lên bảng số liệu theo xã/phường trước sáp nhập (cột 'old_code', hoặc "
        "'old_commune', 'old_district', 'old_province'). Số đếm được cộng dồn; xã cũ bị "
        "chia cho nhiều xã mới được chia theo dân số 2025 của các xã mới (hoặc chia đều "
        "nếu thiếu dân số); tỷ lệ được tính bình quân theo dân số của xã cũ, không cộng dồn.",
        "en": "Upload a table of figures by pre-merger commune (column 'old_code', or "
        "'old_commune', 'old_district', 'old_province'). Counts are summed; an old commune "
        "split between new communes is shared by the 2025 population of the new communes "
        "(equal shares where a population is missing); rates are averaged weighted by the "
        "old communes' population, never summed.",
    },
    "ui.crosswalk.upload": {
        "vi": "Bảng theo xã cũ (.csv hoặc .xlsx)",
        "en": "Table by old commune (.csv or .xlsx)",
    },
    "ui.crosswalk.counts": {"vi": "Cột số đếm (cộng dồn)", "en": "Count columns (summed)"},
    "ui.crosswalk.rates": {
        "vi": "Cột tỷ lệ, phần trăm (bình quân theo dân số)",
        "en": "Rate or percentage columns (population-weighted)",
    },
    "ui.crosswalk.weight": {
        "vi": "Cột dân số của xã cũ (trọng số cho tỷ lệ)",
        "en": "Population of each old commune (weight of the rates)",
    },
    "ui.crosswalk.no_weight": {"vi": "(không có)", "en": "(none)"},
    "ui.crosswalk.choose": {"vi": "Chọn cột", "en": "Choose columns"},
    "ui.crosswalk.convert": {"vi": "Chuyển sang xã mới", "en": "Convert to new communes"},
    "ui.crosswalk.done": {
        "vi": "Đã chuyển {rows}/{total} dòng xã cũ sang {communes} xã/phường mới.",
        "en": "Converted {rows} of {total} old-commune rows to {communes} new communes.",
    },
    "ui.crosswalk.unmatched": {
        "vi": "{count} dòng chưa chuyển được và không có trong bảng kết quả. Sửa tên hoặc mã "
        "theo gợi ý dưới đây rồi tải lại tệp.",
        "en": "{count} rows could not be converted and are left out of the result. Correct "
        "the names or codes as suggested below and upload the file again.",
    },
    "ui.crosswalk.splits": {
        "vi": "**Xã cũ bị chia cho nhiều xã mới** (cách chia):",
        "en": "**Old communes split between new communes** (how they were shared):",
    },
    "ui.crosswalk.download": {
        "vi": "Tải bảng theo xã mới (.csv)",
        "en": "Download the table by new commune (.csv)",
    },
    "ui.crosswalk.as_indicators": {
        "vi": "Bảng có đủ các cột chỉ số: {count} xã của tỉnh đang chọn có thể dùng làm bộ "
        "chỉ số ({outside} xã thuộc tỉnh khác được bỏ qua).",
        "en": "The table holds every indicator column: {count} communes of the chosen province "
        "can be used as its indicators ({outside} communes of other provinces are left out).",
    },
    "ui.crosswalk.use_indicators": {
        "vi": "Kiểm tra và dùng làm bộ chỉ số",
        "en": "Check and use as the indicators",
    },
}

if "crosswalk.no_key" not in CATALOG:
    register(CROSSWALK_TEXT)
