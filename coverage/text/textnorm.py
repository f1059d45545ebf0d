"""Vietnamese text normalisation: NFC for storage, diacritic-free keys for matching.

Names typed on different systems arrive in NFC (precomposed) or NFD (decomposed)
form; both must match the same commune. Searching "ia mo" must find "Ia Mơ".
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Return a search key: lower case, no diacritics, đ as d, single spaces.

    >>> fold("Ia  Mơ") == fold("ia mo")
    True
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())


def without_diacritics(text: str) -> str:
    """Return ``text`` without diacritics, đ as d, case kept ("Đắk Lắk" gives "Dak Lak")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def picker_label(text: str) -> str:
    """Label a picker option so typing with or without diacritics finds it: "Đắk Lắk (Dak Lak)".

    Streamlit's pickers filter their options in the browser on the label's letters
    (lower-cased, with diacritics), so the diacritic-free form is written beside the
    name when it differs; a name without diacritics is returned as it is.
    """
    plain = without_diacritics(text)
    return text if plain == text else f"{text} ({plain})"
