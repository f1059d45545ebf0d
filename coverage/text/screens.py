"""Text of the map page, the commune panel and the pickers; Streamlit's own words; the glossary.

Importing this module registers its keys (prefix ``screens.``) into
:data:`coverage.text.i18n.CATALOG`.

:data:`GLOSSARY` names one word for each concept the screens, reports and messages
talk about, with the variants that must not appear anywhere in the catalogue
(``tests/test_glossary.py`` checks every entry of every language against it).

:data:`STREAMLIT_DEFAULTS` are the English texts Streamlit's browser code writes itself
(the file uploader's "Drag and drop file here", a picker's "No results"...), for which
Streamlit offers no option, with their Vietnamese words; :func:`streamlit_defaults`
gives them for a language (none for English). The app replaces them in the page (see
``app_pages/widgets.py``, ``translate_streamlit_defaults``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coverage.text import language_names
from coverage.text.i18n import CATALOG, Lang, register


@dataclass(frozen=True)
class Term:
    """One concept and its one word in each language.

    Attributes
    ----------
    concept
        What it names (in English, for the developer).
    vi, en
        The words to use.
    avoid_vi, avoid_en
        Regular expressions (matched case-insensitively) of variants that must not appear.
    """

    concept: str
    vi: str
    en: str
    avoid_vi: tuple[str, ...] = ()
    avoid_en: tuple[str, ...] = ()


GLOSSARY: tuple[Term, ...] = (
    Term(
        "digital connectivity index (0-100)",
        "chỉ số kết nối số",
        "connectivity index",
        avoid_vi=(r"chỉ số số ho[áa]", r"chỉ số kết nối(?! số)"),
        avoid_en=(r"digiti[sz]ation index", r"digital index", r"digitali[sz]ation index"),
    ),
    Term(
        "coverage: capacity over need",
        "mức đáp ứng",
        "coverage",
        avoid_vi=(r"độ bao phủ", r"tỷ lệ bao phủ", r"độ phủ"),
        avoid_en=(r"coverage rate",),
    ),
    Term(
        "under-served commune",
        "thiếu hỗ trợ",
        "under-served",
        avoid_vi=(r"chưa được phục vụ đủ", r"thiếu phục vụ"),
        avoid_en=(r"underserved", r"under served"),
    ),
    Term(
        "remote commune",
        "vùng sâu, vùng xa",
        "remote",
        avoid_vi=(r"vùng sâu vùng xa", r"vùng sâu-vùng xa"),
    ),
    Term(
        "border commune",
        "xã biên giới",
        "border commune",
        avoid_vi=(r"xã giáp biên\b", r"xã vùng biên\b"),
    ),
    # "TNV" stays allowed in compact units ("người/TNV-giờ", the activity pages' tables).
    Term("volunteer", "tình nguyện viên", "volunteer", avoid_vi=(r"tình nguyện sinh\b",)),
    Term(
        "ethnic-minority share",
        "tỷ lệ đồng bào dân tộc thiểu số",
        "ethnic-minority share",
        avoid_vi=(r"tỉ lệ (người |đồng bào )?dân tộc", r"tỷ lệ người dân tộc", r"tỷ lệ dân tộc"),
        avoid_en=(r"minority ratio",),
    ),
    Term("need for help", "nhu cầu hỗ trợ", "need", avoid_vi=(r"nhu cầu trợ giúp",)),
)
"""One word per concept; ``tests/test_glossary.py`` keeps the catalogue to it."""


def glossary_violations(entries: dict[str, dict[Lang, str]]) -> list[tuple[str, Lang, str, str]]:
    """Return (key, language, variant, text) for each catalogue text with an avoided variant."""
    found: list[tuple[str, Lang, str, str]] = []
    for key, texts in entries.items():
        for term in GLOSSARY:
            by_language: tuple[tuple[Lang, tuple[str, ...]], ...] = (
                ("vi", term.avoid_vi),
                ("en", term.avoid_en),
            )
            for language, patterns in by_language:
                text = texts.get(language, "")
                for pattern in patterns:
                    match = re.search(pattern, text, flags=re.IGNORECASE)
                    if match:
                        found.append((key, language, match.group(0), text))
    return found


STREAMLIT_DEFAULTS: tuple[tuple[str, str], ...] = (
    # (English text Streamlit writes, or a regular expression starting with ^; Vietnamese)
    ("No results", "Không có kết quả phù hợp"),
    ("Drag and drop file here", "Kéo thả tệp vào đây"),
    ("Drag and drop a file here", "Kéo thả tệp vào đây"),
    ("Drag and drop files here", "Kéo thả các tệp vào đây"),
    ("Upload", "Chọn tệp"),
    ("Browse files", "Chọn tệp"),
    (r"^Limit (.+) per file(.*)$", r"Tối đa \1 mỗi tệp\2"),
    (r"^(\S+) per file(.*)$", r"Tối đa \1 mỗi tệp\2"),
    ("Press Enter to apply", "Nhấn Enter để áp dụng"),
    ("Press Enter to submit form", "Nhấn Enter để gửi"),
    (r"^Press (⌘|Ctrl)\+Enter to apply$", r"Nhấn \1+Enter để áp dụng"),
    (r"^Press (⌘|Ctrl)\+Enter to submit form$", r"Nhấn \1+Enter để gửi"),
    ("Select all", "Chọn tất cả"),
    (r"^Select (\d+) matches$", r"Chọn \1 kết quả"),
    ("Choose an option", "Chọn…"),
    ("Choose options", "Chọn…"),
    ("Add options", "Thêm lựa chọn"),
    ("Clear all", "Bỏ chọn tất cả"),
)
"""Streamlit's own English texts (browser side, no option to change them) and their Vietnamese."""

ENGLISH_DEFAULTS: tuple[str, ...] = (
    "Choose an option",
    "Choose options",
    "No results",
    "Drag and drop file here",
    "Drag and drop a file here",
    "Drag and drop files here",
    "Browse files",
    "Select all",
    "Press Enter to apply",
    "Press Enter to submit form",
    "per file",
)
"""Fragments of Streamlit's English that must not show on a Vietnamese page (tests use them)."""


def streamlit_defaults(lang: Lang) -> list[tuple[str, str]]:
    """Return the (English, replacement) pairs for the page in ``lang`` (none in English)."""
    return [] if lang == "en" else list(STREAMLIT_DEFAULTS)


TEXT: dict[str, dict[Lang, str]] = {
    # ---------------------------------------------------------------- pickers
    "screens.placeholder.one": {"vi": "Chọn…", "en": "Choose…"},
    "screens.placeholder.many": {"vi": "Chọn một hoặc nhiều…", "en": "Choose one or more…"},
    "screens.placeholder.province": {
        "vi": "Gõ tên tỉnh (có dấu hoặc không dấu)…",
        "en": "Type a province (with or without diacritics)…",
    },
    "screens.placeholder.commune": {
        "vi": "Gõ tên xã/phường (có dấu hoặc không dấu)…",
        "en": "Type a commune (with or without diacritics)…",
    },
    # ---------------------------------------------------------------- map page
    "screens.map.priority_heading": {
        "vi": "Cần ưu tiên: xã/phường thiếu hỗ trợ ở biên giới, rồi ở vùng sâu, vùng xa ({count})",
        "en": "Priority: under-served border communes, then remote ones ({count})",
    },
    "screens.map.priority_help": {
        "vi": "Xã biên giới trước, rồi xã vùng sâu, vùng xa; trong mỗi nhóm, mức đáp ứng thấp nhất "
        "trước. Bảng theo các ô “Chỉ hiện” ở trên. Cột “Lý do” ghi đầy đủ vì sao xã/phường được "
        "đánh dấu.",
        "en": "Border communes first, then remote ones; within each group, the lowest coverage "
        "first. The table follows the “Show only” boxes above. The “Reasons” column says in full "
        "why each commune is flagged.",
    },
    "screens.map.priority_none": {
        "vi": "Không có xã/phường biên giới hay vùng sâu, vùng xa nào thiếu hỗ trợ trong các "
        "xã/phường đang hiện.",
        "en": "No under-served border or remote commune among the communes shown.",
    },
    "screens.map.group": {"vi": "Nhóm", "en": "Group"},
    "screens.map.group.border": {"vi": "Xã biên giới", "en": "Border commune"},
    "screens.map.group.remote": {"vi": "Vùng sâu, vùng xa", "en": "Remote"},
    # ---------------------------------------------------------------- commune panel
    "screens.panel.languages": {
        "vi": "Ngôn ngữ của các đội trong tầm",
        "en": "Languages of the teams in reach",
    },
    "screens.panel.minority": {
        "vi": "Tỷ lệ đồng bào dân tộc thiểu số",
        "en": "Ethnic-minority share",
    },
    "screens.panel.unknown": {"vi": "chưa có số liệu", "en": "not known"},
    "screens.panel.none": {"vi": "không có", "en": "none"},
    "screens.panel.sharing": {
        "vi": "{teams} đội ({volunteers} tình nguyện viên) có {name} trong tầm, nhưng mỗi đội chia "
        "thời gian cho mọi xã/phường mà đội tới, theo nhu cầu hỗ trợ của từng nơi. Phần dành cho "
        "{name} tương đương {equivalent} tình nguyện viên, hỗ trợ được {capacity} người mỗi tuần.",
        "en": "{teams} team(s) ({volunteers} volunteers) have {name} in reach, but each team "
        "shares its time among all the communes it reaches, in proportion to their need. {name}'s "
        "part is worth {equivalent} volunteers, who can help {capacity} residents a week.",
    },
    "screens.panel.sharing_none": {
        "vi": "Chưa có đội nào tới được {name}.",
        "en": "No team reaches {name} yet.",
    },
    "screens.panel.based_here": {
        "vi": "Đội đặt tại xã/phường này",
        "en": "Teams based in this commune",
    },
    "screens.panel.nearest_outside": {
        "vi": "Đội gần nhất đặt ngoài xã/phường (km, trung bình từ nơi dân ở)",
        "en": "Nearest team based outside the commune (km, average from where residents live)",
    },
    "screens.panel.nearest_outside_value": {
        "vi": "{km} km: {team} ({commune})",
        "en": "{km} km: {team} ({commune})",
    },
    "screens.panel.nearest_any": {
        "vi": "Tới đội gần nhất, kể cả đội đặt tại xã (km, trung bình từ nơi dân ở)",
        "en": "To the nearest team, including one based here (km, average from where residents "
        "live)",
    },
    "screens.panel.share": {"vi": "Phần dành cho xã/phường này", "en": "Share for this commune"},
    "screens.panel.reaches": {"vi": "Số xã/phường đội tới", "en": "Communes it reaches"},
    "screens.panel.languages_col": {"vi": "Ngôn ngữ", "en": "Languages"},
}

for _key, _value in TEXT.items():
    if _key not in CATALOG:
        register({_key: _value})


def language_name(code: str, lang: Lang) -> str:
    """Name a language code (``jrai``) in words (``Tiếng Jrai (Gia Rai)``); unknown: as given."""
    return language_names.title(code, lang)


def language_picker_label(code: str, lang: Lang) -> str:
    """Label a language in a picker: its name and its code, "Tiếng H'Mông (Mông) · hmong".

    Streamlit's pickers filter on the label's letters with their diacritics; the code
    lets a planner find a language typing without them ("mong", "ede", "khmer"), and
    is what a roster or indicator file writes. A code not in the list reads as written.
    """
    name = language_name(code, lang)
    return code if name == code else f"{name} · {code}"


__all__ = [
    "ENGLISH_DEFAULTS",
    "GLOSSARY",
    "STREAMLIT_DEFAULTS",
    "TEXT",
    "Term",
    "glossary_violations",
    "language_name",
    "language_picker_label",
    "streamlit_defaults",
]
