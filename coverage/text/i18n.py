"""One translation catalogue for every visible string, and Vietnamese number formats.

Vietnamese is the default language; English is the second. Keys are stable
identifiers; values are ``str.format`` templates. Numbers follow the language's
conventions: ``1.234.567`` and ``12,5%`` in Vietnamese, ``1,234,567`` and ``12.5%`` in
English; dates are ``22/11/2026`` in both.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

CATALOG: dict[str, dict[Lang, str]] = {
    # ---- input problems: <file>: row <n>, column '<col>': <problem> (got <value>). <fix>
    "problem.where.row_col": {
        "vi": "{file}: dòng {row}, cột '{column}'",
        "en": "{file}: row {row}, column '{column}'",
    },
    "problem.where.col": {"vi": "{file}: cột '{column}'", "en": "{file}: column '{column}'"},
    "problem.where.row": {"vi": "{file}: dòng {row}", "en": "{file}: row {row}"},
    "problem.where.file": {"vi": "{file}", "en": "{file}"},
    "problem.got": {"vi": " (giá trị: {value})", "en": " (got {value})"},
    "missing_column": {
        "vi": "thiếu cột bắt buộc",
        "en": "required column is missing",
    },
    "missing_column.fix": {
        "vi": "Thêm cột '{column}' vào dòng tiêu đề{suggestion_vi}. Các cột có trong tệp: {found}.",
        "en": "Add a column '{column}' to the header row{suggestion_en}. Columns found: {found}.",
    },
    "missing_column.suggest": {
        "vi": " (có phải cột '{close}' bị viết sai?)",
        "en": " (is '{close}' a misspelling of it?)",
    },
    "missing_value": {"vi": "ô bị bỏ trống", "en": "value is empty"},
    "missing_value.fix": {
        "vi": "Điền giá trị cho ô này.",
        "en": "Fill in this cell.",
    },
    "not_number": {"vi": "không phải là số", "en": "is not a number"},
    "not_number.fix": {
        "vi": "Nhập một số (ví dụ {example}).",
        "en": "Enter a number (for example {example}).",
    },
    "not_integer": {"vi": "phải là số nguyên", "en": "must be a whole number"},
    "not_integer.fix": {
        "vi": "Nhập một số nguyên (ví dụ {example}).",
        "en": "Enter a whole number (for example {example}).",
    },
    "out_of_range": {"vi": "nằm ngoài khoảng cho phép", "en": "is out of range"},
    "out_of_range.fix": {
        "vi": "Nhập giá trị từ {low} đến {high}.",
        "en": "Enter a value from {low} to {high}.",
    },
    "bad_choice": {"vi": "không phải giá trị hợp lệ", "en": "is not an allowed value"},
    "bad_choice.fix": {
        "vi": "Dùng một trong các giá trị: {choices}.",
        "en": "Use one of: {choices}.",
    },
    "duplicate_id": {"vi": "mã bị trùng", "en": "duplicate identifier"},
    "duplicate_id.fix": {
        "vi": "Mã này đã dùng ở dòng {other_row}; mỗi dòng cần một mã riêng.",
        "en": "This identifier is already used on row {other_row}; give each row its own.",
    },
    "unknown_commune": {
        "vi": "mã xã/phường không có trong ranh giới đã nạp",
        "en": "commune code is not in the loaded boundaries",
    },
    "unknown_commune.fix": {
        "vi": "Dùng mã ĐVHC 5 chữ số của xã/phường sau sáp nhập{suggestion_vi}.",
        "en": "Use the 5-digit official code of a post-merger commune{suggestion_en}.",
    },
    "unknown_commune.suggest": {
        "vi": " (có phải là {close}?)",
        "en": " (did you mean {close}?)",
    },
    "name_mismatch": {
        "vi": "tên xã/phường không khớp với mã",
        "en": "commune name does not match its code",
    },
    "name_mismatch.fix": {
        "vi": "Mã {code} là '{expected}'; sửa tên hoặc mã.",
        "en": "Code {code} is '{expected}'; correct the name or the code.",
    },
    "outside_province": {
        "vi": "vị trí nằm ngoài tỉnh",
        "en": "location is outside the province",
    },
    "outside_province.fix": {
        "vi": "Kiểm tra vĩ độ/kinh độ (có bị đảo ngược?) hoặc để trống để dùng điểm giữa xã.",
        "en": "Check latitude/longitude (swapped?) or leave them empty to use the commune's "
        "centre.",
    },
    "partial_location": {
        "vi": "chỉ có một trong hai toạ độ",
        "en": "only one of the two coordinates is given",
    },
    "partial_location.fix": {
        "vi": "Điền cả vĩ độ và kinh độ, hoặc để trống cả hai.",
        "en": "Fill in both latitude and longitude, or leave both empty.",
    },
    "invalid_geometry": {"vi": "hình ranh giới không hợp lệ", "en": "geometry is invalid"},
    "invalid_geometry.fix": {
        "vi": "Sửa hình trong phần mềm GIS (ví dụ lệnh 'Fix geometries'); lý do: {reason}.",
        "en": "Repair the shape in a GIS (for example 'Fix geometries'); reason: {reason}.",
    },
    "empty_geometry": {"vi": "không có hình ranh giới", "en": "geometry is empty"},
    "empty_geometry.fix": {
        "vi": "Vẽ lại ranh giới cho xã/phường này hoặc xoá dòng.",
        "en": "Draw the boundary of this commune or remove the row.",
    },
    "not_polygon": {"vi": "hình không phải vùng (polygon)", "en": "geometry is not a polygon"},
    "not_polygon.fix": {
        "vi": "Ranh giới xã/phường phải là Polygon hoặc MultiPolygon.",
        "en": "Commune boundaries must be Polygon or MultiPolygon.",
    },
    "missing_crs": {"vi": "tệp không khai báo hệ toạ độ (CRS)", "en": "file declares no CRS"},
    "missing_crs.fix": {
        "vi": "Lưu lại tệp kèm hệ toạ độ, ví dụ EPSG:4326 (WGS 84); công cụ không tự đoán.",
        "en": "Save the file with its coordinate system, e.g. EPSG:4326 (WGS 84); the tool never "
        "guesses.",
    },
    "encoding_cp1258": {
        "vi": "tệp không phải UTF-8; đã đọc theo bảng mã Windows-1258",
        "en": "file is not UTF-8; read as Windows-1258",
    },
    "encoding_cp1258.fix": {
        "vi": "Kiểm tra dấu tiếng Việt; nên lưu lại tệp dạng 'CSV UTF-8'.",
        "en": "Check the Vietnamese diacritics; save the file again as 'CSV UTF-8'.",
    },
    "unreadable": {"vi": "không đọc được tệp", "en": "the file cannot be read"},
    "unreadable.fix": {
        "vi": "Kiểm tra định dạng tệp ({reason}).",
        "en": "Check the file's format ({reason}).",
    },
    "unsupported_format": {
        "vi": "định dạng tệp không được hỗ trợ",
        "en": "unsupported file format",
    },
    "unsupported_format.fix": {
        "vi": "Dùng một trong các định dạng: {formats}.",
        "en": "Use one of: {formats}.",
    },
    "too_large": {"vi": "tệp quá lớn", "en": "file is too large"},
    "too_large.fix": {
        "vi": "Giới hạn là {limit_mb} MB; hãy cắt bớt hoặc nén lại tệp.",
        "en": "The limit is {limit_mb} MB; trim or compress the file.",
    },
    "unsafe_zip": {"vi": "tệp zip không an toàn", "en": "unsafe zip archive"},
    "unsafe_zip.fix": {
        "vi": "Tệp zip có {reason}; hãy nén lại chỉ các tệp Shapefile.",
        "en": "The zip has {reason}; zip only the Shapefile's files.",
    },
    "empty_file": {"vi": "tệp không có dòng dữ liệu nào", "en": "file has no data rows"},
    "empty_file.fix": {
        "vi": "Thêm ít nhất một dòng dưới dòng tiêu đề.",
        "en": "Add at least one row below the header.",
    },
    "duplicate_column": {"vi": "cột bị lặp lại", "en": "column appears twice"},
    "duplicate_column.fix": {
        "vi": "Xoá hoặc đổi tên một trong hai cột.",
        "en": "Delete or rename one of the two columns.",
    },
    "no_boundaries": {
        "vi": "không tìm thấy dữ liệu ranh giới xã/phường",
        "en": "commune boundaries not found",
    },
    "no_boundaries.fix": {
        "vi": "Đã tìm ở: {looked}. Chạy 'make data' (hoặc 'python -m coverage setup-data') "
        "để chép dữ liệu từ ../shared/data, hoặc đặt biến COVERAGE_DATA_DIR.",
        "en": "Looked in: {looked}. Run 'make data' (or 'python -m coverage setup-data') to copy "
        "the data from ../shared/data, or set COVERAGE_DATA_DIR.",
    },
    "unknown_province": {"vi": "không có tỉnh/thành này", "en": "no such province"},
    "unknown_province.fix": {
        "vi": "Dùng tên hoặc mã của một trong 34 tỉnh/thành{suggestion_vi}.",
        "en": "Use the name or code of one of the 34 provinces{suggestion_en}.",
    },
    "severity.error": {"vi": "Lỗi", "en": "Error"},
    "severity.warning": {"vi": "Cảnh báo", "en": "Warning"},
}


def t(key: str, lang: Lang = "vi", /, **params: object) -> str:
    """Return the catalogue string ``key`` in ``lang`` with ``params`` filled in.

    A missing key raises ``KeyError`` so that tests catch untranslated strings.
    """
    template = CATALOG[key][lang]
    return template.format(**params) if params else template


def register(entries: dict[str, dict[Lang, str]]) -> None:
    """Add catalogue entries from another module at import time.

    Raises ``ValueError`` if a key is defined twice or lacks a language.
    """
    for key, value in entries.items():
        if key in CATALOG:
            raise ValueError(f"translation key defined twice: {key}")
        if set(value) != set(LANGS):
            raise ValueError(f"translation key {key} must have exactly {LANGS}")
        CATALOG[key] = value


def _group(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.append(digits[-3:])
        digits = digits[:-3]
    parts.append(digits)
    return sep.join(reversed(parts))


def format_number(value: float | None, lang: Lang = "vi", *, decimals: int = 0) -> str:
    """Format a number with the language's separators (``1.234.567,5`` or ``1,234,567.5``).

    ``None`` and NaN become an en dash.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    thousands, point = (".", ",") if lang == "vi" else (",", ".")
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if float(value) < 0 and float(text) != 0 else ""
    out = sign + _group(whole, thousands)
    return out + point + frac if frac else out


def format_percent(fraction: float | None, lang: Lang = "vi", *, decimals: int = 1) -> str:
    """Format a fraction as a percentage: ``0.125`` gives ``12,5%`` in Vietnamese."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    return format_number(fraction * 100, lang, decimals=decimals) + "%"


def format_date(day: dt.date, lang: Lang = "vi") -> str:
    """Format a date as ``22/11/2026`` (both languages use day/month/year here)."""
    return day.strftime("%d/%m/%Y")
