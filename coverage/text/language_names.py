"""The one list of language names: every screen, edit, report and sentence reads it.

Keys are the codes of :data:`coverage.inputs.languages.MINORITY_LANGUAGES` (and ``vi``).
The minority languages are those of Vietnam's ethnic groups of about 20,000 people or
more (2019 census), so that a planner in any province finds the languages spoken there:
Gia Lai's first (Jrai, Bahnar, then the neighbours of the Central Highlands and old Bình
Định), then the others by the Vietnamese name. Smaller groups use ``other``.

Each entry gives the Vietnamese name (what follows "tiếng"), the English name, and
optionally another name people use, shown in titles only: "Tiếng Jrai (Gia Rai)".
"""

from __future__ import annotations

from typing import NamedTuple

from coverage.text.i18n import Lang


class LanguageName(NamedTuple):
    """How one language is named: ``vi`` follows "tiếng"; ``also`` is shown in titles."""

    vi: str
    en: str
    also_vi: str = ""
    also_en: str = ""


MINORITY_LANGUAGE_NAMES: dict[str, LanguageName] = {
    "jrai": LanguageName("Jrai", "Jrai", "Gia Rai"),
    "bahnar": LanguageName("Ba Na", "Bahnar"),
    "xo_dang": LanguageName("Xơ Đăng", "Xo Dang", also_en="Sedang"),
    "gie_trieng": LanguageName("Giẻ Triêng", "Gie Trieng"),
    "cham": LanguageName("Chăm", "Cham"),
    "hre": LanguageName("Hrê", "Hre"),
    "ede": LanguageName("Ê Đê", "Ede", also_en="Rade"),
    "mnong": LanguageName("M'Nông", "Mnong"),
    "bru_van_kieu": LanguageName("Bru - Vân Kiều", "Bru - Van Kieu"),
    "chu_ru": LanguageName("Chu Ru", "Chu Ru"),
    "cho_ro": LanguageName("Chơ Ro", "Cho Ro"),
    "co": LanguageName("Co", "Co"),
    "co_ho": LanguageName("Cơ Ho", "Co Ho", "K'Ho", "Koho"),
    "co_tu": LanguageName("Cơ Tu", "Co Tu", also_en="Katu"),
    "dao": LanguageName("Dao", "Dao", also_en="Yao"),
    "giay": LanguageName("Giáy", "Giay"),
    "ha_nhi": LanguageName("Hà Nhì", "Ha Nhi", also_en="Hani"),
    "hmong": LanguageName("H'Mông", "Hmong", "Mông"),
    "hoa": LanguageName("Hoa", "Hoa", also_en="Chinese"),
    "kho_mu": LanguageName("Khơ Mú", "Kho Mu", also_en="Khmu"),
    "khmer": LanguageName("Khmer", "Khmer", "Khơ-me"),
    "lao": LanguageName("Lào", "Lao"),
    "ma": LanguageName("Mạ", "Ma"),
    "muong": LanguageName("Mường", "Muong"),
    "nung": LanguageName("Nùng", "Nung"),
    "raglai": LanguageName("Raglai", "Raglai", "Ra Glai"),
    "san_chay": LanguageName("Sán Chay", "San Chay", "Cao Lan"),
    "san_diu": LanguageName("Sán Dìu", "San Diu"),
    "stieng": LanguageName("Xtiêng", "Stieng", "S'tiêng"),
    "ta_oi": LanguageName("Tà Ôi", "Ta Oi", "Pa Cô"),
    "tay": LanguageName("Tày", "Tay"),
    "thai": LanguageName("Thái", "Thai"),
    "tho": LanguageName("Thổ", "Tho"),
    "xinh_mun": LanguageName("Xinh Mun", "Xinh Mun"),
}
"""The minority languages, in the order pickers offer them (``other`` comes last)."""

VIETNAMESE = LanguageName("Việt", "Vietnamese")

OTHER: dict[str, dict[Lang, str]] = {
    "title": {"vi": "Ngôn ngữ khác", "en": "Other language"},
    "in_sentence": {"vi": "một tiếng dân tộc khác", "en": "another minority language"},
    "in_list": {"vi": "ngôn ngữ khác", "en": "other language"},
}
"""How ``other`` reads in each form: it has no name to put after "tiếng"."""


def _name(code: str) -> LanguageName | None:
    return VIETNAMESE if code == "vi" else MINORITY_LANGUAGE_NAMES.get(code)


def title(code: str, lang: Lang) -> str:
    """Name a language as a label or picker option: "Tiếng Jrai (Gia Rai)", "Other language"."""
    name = _name(code)
    if name is None:
        return OTHER["title"][lang] if code == "other" else code
    also = name.also_vi if lang == "vi" else name.also_en
    text = f"Tiếng {name.vi}" if lang == "vi" else name.en
    return f"{text} ({also})" if also else text


def in_sentence(code: str, lang: Lang) -> str:
    """Name a language inside a sentence: "tiếng Jrai", "another minority language"."""
    name = _name(code)
    if name is None:
        return OTHER["in_sentence"][lang] if code == "other" else code
    return f"tiếng {name.vi}" if lang == "vi" else name.en


def in_list(code: str, lang: Lang) -> str:
    """Name a language in a list of a team's languages: "tiếng Ba Na", "other language"."""
    return OTHER["in_list"][lang] if code == "other" else in_sentence(code, lang)


def entries(prefix: str, form: str) -> dict[str, dict[Lang, str]]:
    """Return catalogue entries ``prefix + code`` for ``vi``, every minority language and ``other``.

    ``form`` is ``title``, ``in_sentence`` or ``in_list``.
    """
    name = {"title": title, "in_sentence": in_sentence, "in_list": in_list}[form]
    codes = ["vi", *MINORITY_LANGUAGE_NAMES, "other"]
    return {f"{prefix}{code}": {"vi": name(code, "vi"), "en": name(code, "en")} for code in codes}


__all__ = [
    "MINORITY_LANGUAGE_NAMES",
    "LanguageName",
    "entries",
    "in_list",
    "in_sentence",
    "title",
]
