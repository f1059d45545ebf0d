"""Messages for inputs that could be misread.

Zip bombs, CSV separators, number formats, coordinates that cannot be degrees, shapefile
encodings, and long problem lists.

Importing this module registers the keys into :data:`coverage.text.i18n.CATALOG` (the
readers in :mod:`coverage.inputs.readers` and :mod:`coverage.inputs.validation` import it).
Each problem code has a text and a ``.fix``; the fix says what to do in plain words.
"""

from __future__ import annotations

from coverage.text.i18n import CATALOG, Lang, register

INPUT_TEXT: dict[str, dict[Lang, str]] = {
    # ---- zipped files (.xlsx and zipped Shapefile), checked from the zip index
    "zip_unpacked_too_large": {
        "vi": "tệp nén sẽ bung ra quá lớn",
        "en": "the file would unpack to too much data",
    },
    "zip_unpacked_too_large.fix": {
        "vi": "Khi giải nén, tệp sẽ chiếm {unpacked_mb} MB (giới hạn {limit_mb} MB), nên công cụ "
        "từ chối trước khi mở tệp. Mở tệp trong Excel hoặc LibreOffice, xoá các dòng/cột thừa rồi "
        "lưu lại; danh sách đội hình thường nhỏ hơn 1 MB.",
        "en": "Unpacked it would take {unpacked_mb} MB (the limit is {limit_mb} MB), so it was "
        "refused before being opened. Open it in Excel or LibreOffice, delete unused rows and "
        "columns and save it again; a roster is normally well under 1 MB.",
    },
    "zip_ratio_too_high": {
        "vi": "tệp nén có tỉ lệ nén bất thường (có thể là 'bom zip')",
        "en": "the file is compressed far more than normal (a possible 'zip bomb')",
    },
    "zip_ratio_too_high.fix": {
        "vi": "Phần '{member}' sẽ bung ra gấp {ratio} lần (giới hạn {limit} lần), nên công cụ từ "
        "chối trước khi mở tệp. Nếu tệp là của bạn, hãy lưu lại từ Excel hoặc LibreOffice.",
        "en": "Part '{member}' would unpack to {ratio} times its size (the limit is {limit}), so "
        "it was refused before being opened. If the file is yours, save it again from Excel or "
        "LibreOffice.",
    },
    # ---- CSV structure
    "csv_separator": {
        "vi": "tệp CSV không dùng dấu phẩy để phân cách cột",
        "en": "the CSV file does not separate its columns with commas",
    },
    "csv_separator.fix": {
        "vi": "Đã đọc với dấu phân cách là {separator_vi}, như Excel với cài đặt vùng Việt Nam vẫn "
        "lưu; không cần làm gì nếu các cột trong bảng xem trước là đúng.",
        "en": "It was read with {separator_en} as the separator, as Excel with Vietnamese regional "
        "settings saves it; nothing to do if the columns in the preview look right.",
    },
    "csv_decimal_comma": {
        "vi": "dấu phẩy thập phân đã tách một số thành hai ô, làm lệch cả dòng",
        "en": "a decimal comma split a number into two cells and shifted the row",
    },
    "csv_decimal_comma.fix": {
        "vi": "Dòng này có {found} ô nhưng dòng tiêu đề có {expected} cột, vì tệp dùng dấu phẩy để "
        'phân cách cột. Đặt số trong dấu ngoặc kép ("{example}"), '
        "viết bằng dấu chấm ({example_dot}) hoặc lưu tệp dạng CSV dùng dấu chấm phẩy (;).",
        "en": "This row has {found} cells but the header has {expected} columns, because the file "
        'separates columns with commas. Put the number in quotes ("{example}"), write it with a '
        "point ({example_dot}), or save the file as CSV separated by semicolons (;).",
    },
    "csv_row_too_long": {
        "vi": "dòng có nhiều ô hơn số cột của dòng tiêu đề",
        "en": "the row has more cells than the header has columns",
    },
    "csv_row_too_long.fix": {
        "vi": "Dòng này có {found} ô nhưng tiêu đề có {expected} cột; có thể một giá trị chứa dấu "
        "phân cách '{separator}'. Đặt giá trị đó trong dấu ngoặc kép hoặc bỏ dấu phân cách.",
        "en": "This row has {found} cells but the header has {expected} columns; a value probably "
        "contains the separator '{separator}'. Put that value in quotes or remove the separator.",
    },
    # ---- numbers with thousands separators and decimal marks
    "number_two_readings": {
        "vi": "số có thể hiểu theo hai cách",
        "en": "the number can be read two ways",
    },
    "number_two_readings.fix": {
        "vi": "Theo cách viết Việt Nam ('.' ngăn hàng nghìn, ',' là dấu thập phân) là "
        "{reading_vi}; theo cách viết tiếng Anh ('.' là dấu thập phân) là {reading_en}; {why_vi}. "
        "Viết số không có dấu ngăn hàng nghìn (ví dụ {example}).",
        "en": "Read the Vietnamese way ('.' between thousands, ',' for decimals) it is "
        "{reading_vi}; read the English way ('.' for decimals) it is {reading_en}; {why_en}. Write "
        "the number without thousands separators (for example {example}).",
    },
    "number.both_fit": {
        "vi": "cả hai đều hợp lệ cho cột này nên công cụ không đoán",
        "en": "both fit this column, so the tool does not guess",
    },
    "number.none_fit": {
        "vi": "cột này cần {kind_vi} từ {low} đến {high}",
        "en": "this column needs {kind_en} from {low} to {high}",
    },
    "number.kind.int": {"vi": "số nguyên", "en": "a whole number"},
    "number.kind.float": {"vi": "một số", "en": "a number"},
    # ---- coordinates
    "not_degrees": {
        "vi": "toạ độ không thể là độ kinh/vĩ",
        "en": "the coordinates cannot be degrees",
    },
    "not_degrees.fix": {
        "vi": "Tệp được ghi nhận là WGS 84 (độ; GeoJSON không khai báo hệ toạ độ luôn được hiểu "
        "như vậy) nhưng toạ độ vượt ra ngoài ±180/±90: có lẽ là mét (VN-2000 hoặc UTM). Lưu lại "
        "tệp kèm đúng hệ toạ độ (ví dụ GeoPackage với EPSG:3405 VN-2000 / UTM 48N) hoặc chuyển "
        "sang EPSG:4326.",
        "en": "The file is labelled WGS 84 degrees (a GeoJSON without a CRS always is) but its "
        "coordinates go beyond ±180/±90: they are probably metres (VN-2000 or UTM). "
        "Save the file with its real coordinate system (for example a GeoPackage with EPSG:3405 "
        "VN-2000 / UTM 48N) or convert it to EPSG:4326.",
    },
    "outside_vietnam": {
        "vi": "dữ liệu nằm ngoài lãnh thổ Việt Nam",
        "en": "the data lie outside Vietnam",
    },
    "outside_vietnam.fix": {
        "vi": "Sau khi đổi sang độ, dữ liệu trải từ {extent}; Việt Nam nằm trong khoảng kinh độ "
        "{lon_min}–{lon_max}, vĩ độ {lat_min}–{lat_max}. Kiểm tra hệ toạ độ khai báo trong tệp "
        "(mã EPSG sai, hoặc X và Y bị đảo).",
        "en": "Converted to degrees the data span {extent}; Vietnam lies within longitude "
        "{lon_min}–{lon_max}, latitude {lat_min}–{lat_max}. Check the coordinate system declared "
        "in the file (a wrong EPSG code, or X and Y swapped).",
    },
    # ---- shapefile text encodings
    "encoding_guessed": {
        "vi": "Shapefile không khai báo bảng mã (.cpg); bảng mã dùng để đọc là đoán",
        "en": "the Shapefile declares no code page (.cpg); the one used to read it is a guess",
    },
    "encoding_declared_wrong": {
        "vi": "chữ trong Shapefile không khớp bảng mã khai báo trong tệp .cpg; bảng mã dùng để đọc "
        "là đoán",
        "en": "the Shapefile's text does not match the code page its .cpg declares; the one used "
        "to read it is a guess",
    },
    "encoding_declared_wrong.fix": {
        "vi": "Tệp .cpg ghi '{declared}'. Kiểm tra dấu tiếng Việt của các tên; sửa tệp .cpg thành "
        "'{cpg}' nếu tên hiện đúng.",
        "en": "The .cpg says '{declared}'. Check the Vietnamese diacritics of the names; change "
        "the .cpg to '{cpg}' if the names look right.",
    },
    "encoding_guessed.fix": {
        "vi": "Kiểm tra dấu tiếng Việt của các tên; thêm vào tệp zip một tệp .cpg cùng tên chứa "
        "'{cpg}' (hoặc lưu lại dạng UTF-8) để công cụ không phải đoán.",
        "en": "Check the Vietnamese diacritics of the names; add a .cpg file of the same name "
        "holding '{cpg}' to the zip (or save it again as UTF-8) so nothing has to be guessed.",
    },
    "encoding_cp1252": {
        "vi": "tệp không phải UTF-8 và không có chữ tiếng Việt; đã đọc theo bảng mã Windows-1252",
        "en": "file is not UTF-8 and holds no Vietnamese letters; read as Windows-1252",
    },
    "encoding_cp1252.fix": {
        "vi": "Kiểm tra các chữ có dấu; nên lưu lại tệp dạng 'CSV UTF-8'.",
        "en": "Check the accented letters; save the file again as 'CSV UTF-8'.",
    },
    # ---- long problem lists
    "problems.more": {
        "vi": "… và {count} vấn đề khác cùng loại: {problem}",
        "en": "… and {count} more of the same kind: {problem}",
    },
    "problems.more_total": {
        "vi": "Chỉ hiện {shown} trên tổng số {total} vấn đề (tối đa {per_kind} mỗi loại).",
        "en": "Showing {shown} of {total} problems (at most {per_kind} of each kind).",
    },
    "problems.cut_reason": {
        "vi": "lỗi của thư viện GDAL: {detail}",
        "en": "GDAL error: {detail}",
    },
}

for _key, _value in INPUT_TEXT.items():
    if _key not in CATALOG:
        register({_key: _value})


__all__ = ["INPUT_TEXT"]
