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
