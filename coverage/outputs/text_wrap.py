"""Line breaking by measured width, shared by the static maps and the PDF page footer."""

from __future__ import annotations

from collections.abc import Callable


def wrap_words(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Break one paragraph into lines that each ``fits``, greedily.

    Lines break between words; a word that does not fit on a line of its own (a long web
    address or file name) is cut between characters. The last line is always returned,
    even when empty, so an empty paragraph gives ``[""]``.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while not fits(line) and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and not fits(line[:cut]):
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines


__all__ = ["wrap_words"]
