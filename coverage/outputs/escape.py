r"""Escapers named for where the text goes: element text, attribute values, script strings.

Maps, reports and the app pages share them. Braces become character references in HTML
(and ``\u007b`` in scripts) because branca parses every rendered script again as a Jinja
template: a ``{{ ... }}`` in a roster would otherwise be evaluated on the server.
"""

from __future__ import annotations

import html
import json
import math
import re

_JINJA_OPENING = re.compile(r"\{(?=[{%#])")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def html_text(value: object) -> str:
    """Escape text from a file (names, reasons) for an element's text or ``innerHTML``.

    ``None`` and NaN become the empty string. Quotes are escaped too, so the result is
    also safe inside a quoted attribute, and braces become ``&#123;``/``&#125;``.
    """
    return html.escape(_text(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def html_attr(value: object) -> str:
    """Escape text for a double- or single-quoted HTML attribute value.

    ``None`` and NaN become the empty string; ``&``, ``<``, ``>``, both quotes and braces
    become character references.
    """
    return html.escape(_text(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def script_json(value: object, *, in_html: bool = True) -> str:
    r"""Return JSON safe inside ``<script>`` and inside a branca template.

    As Jinja's ``tojson``, ``<``, ``>``, ``&`` and ``'`` are escaped. So is a ``{``
    that would open a Jinja tag (``{{``, ``{%``, ``{#``): branca parses rendered scripts
    again as templates. Outside strings JSON never has these pairs, so every match is
    inside a string, where ``\u007b`` is the same character. With ``in_html=False``
    (a script run with ``eval``, never parsed as HTML) ``<``, ``>``, ``&`` and ``'``
    stay as they are, which keeps tooltips a third smaller.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    escapes = (
        (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")) if in_html else ()
    )
    for char, escape in (*escapes, ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return _JINJA_OPENING.sub(r"\\u007b", text)


def js_string(value: object, *, in_html: bool = True) -> str:
    """Return ``value`` as a quoted JavaScript string literal safe inside ``<script>``.

    ``None`` and NaN become ``""``; see :func:`script_json` for ``in_html``.
    """
    return script_json(_text(value), in_html=in_html)
