"""Minority languages per commune: names, the ILLUSTRATIVE ESTIMATE, shares of need, the gap flag.

Many residents of Gia Lai's highland communes speak Jrai or Bahnar first; the programme
pairs them with volunteers who interpret ("technology interpreters"). The indicator
table's optional column ``minority_languages`` (``jrai;bahnar``) names each commune's
main minority languages; the roster's ``languages`` names what each team speaks.

Names
-----
Keys are lower-case ASCII (:data:`MINORITY_LANGUAGES`): the minority languages of the
whole country (:mod:`coverage.text.language_names`, every ethnic group of about 20,000
people or more), so that a province beyond Gia Lai can name its own (``hmong``, ``thai``,
``khmer``, ``ede`` ...). Names are matched NFC/NFD- and diacritic-insensitively, ignoring
case, spaces, hyphens and apostrophes, with the usual Vietnamese spellings
(:data:`LANGUAGE_ALIASES`): ``Gia Rai``, ``Jơ Rai`` and ``J'rai`` are ``jrai``; ``Ba Na``
is ``bahnar``; ``H'rê`` is ``hre``; ``Mông`` is ``hmong``; ``Khơ-me`` is ``khmer``.

Share of need
-------------
A commune whose row lists languages ``l_1..l_k`` and has ``ethnic_minority_pct = e``
has ``m = e / 100`` of its need mainly speaking a minority language, split equally:
``m_l = m / k`` for each listed language. This counts every ethnic-minority resident
as mainly speaking the listed language (many also speak Vietnamese well, so it errs on
the side of asking for speakers); a blank cell means no minority-language need. The
factor each team applies to that need is :func:`coverage.analysis.need.language_factor`.

ILLUSTRATIVE ESTIMATE (Gia Lai only; not measured)
--------------------------------------------------
Where the indicator table has no ``minority_languages`` column (or no row for a
commune), :func:`estimate_minority_languages` fills it by this rule, and every screen,
table and report that shows it says ESTIMATE:

1. A commune with ``ethnic_minority_pct`` below :data:`MIN_MINORITY_PCT` (15%) gets
   none: the coastal lowlands and the towns (Quy Nhơn, Pleiku, An Khê, Ayun Pa), where
   minority residents are few and mostly speak Vietnamese.
2. Former Bình Định (codes below 23000, the east of the new province): the mountain
   communes of old An Lão (north of 14.45°N and west of 108.95°E) speak Hrê (``hre``),
   the other mountain communes (old Vĩnh Thạnh, Vân Canh, Hoài Ân) Bahnar.
3. Former Gia Lai plateau (codes from 23000): the north-east, east of 108.20°E and
   north of 13.65°N (old Kbang, Đak Pơ, Kông Chro, Mang Yang, the east of Đak Đoa),
   Bahnar; the band between 108.05°E and 108.20°E north of 13.85°N (Đak Đoa, the east
   of Chư Păh) both Jrai and Bahnar; everywhere else, the west and south (Chư Păh,
   Ia Grai, Đức Cơ, Chư Prông, Chư Sê, Chư Pưh, Phú Thiện, Ia Pa, Krông Pa), Jrai.

Positions are the commune's label point (EPSG:4326 degrees). Other provinces have no
rule yet: they get none until a table with the column is uploaded.

The shares of need, the factor and the language-gap flag built from these names are in
:mod:`coverage.analysis.languages`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from coverage.errors import InputError, Problem
from coverage.text import language as text_language  # noqa: F401  (registers the messages used here)
from coverage.text.language_names import MINORITY_LANGUAGE_NAMES
from coverage.text.textnorm import fold

FloatArray = npt.NDArray[np.float64]

MINORITY_LANGUAGES: tuple[str, ...] = (*MINORITY_LANGUAGE_NAMES, "other")
"""Language keys accepted in ``minority_languages`` (the roster's languages without ``vi``):
the minority languages of :mod:`coverage.text.language_names`, then ``other``."""

_MORE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "jrai": ("jarai", "giarai", "jorai", "zarai"),
    "bahnar": ("bana", "banar"),
    "xo_dang": ("sedang", "xedang"),
    "gie_trieng": ("trieng",),
    "cham": ("chamhroi",),
    "ede": ("rade", "rhade"),
    "mnong": ("monong",),
    "bru_van_kieu": ("vankieu", "bru"),
    "chu_ru": ("churu",),
    "cho_ro": ("choro",),
    "co_ho": ("kho",),
    "co_tu": ("katu",),
    "dao": ("zao", "yao"),
    "ha_nhi": ("hani",),
    "hmong": ("mong",),
    "hoa": ("chinese",),
    "kho_mu": ("khmu",),
    "raglai": ("roglai",),
    "san_chay": ("caolan", "sanchi"),
    "stieng": ("xtieng",),
    "ta_oi": ("paco",),
    "thai": ("tai",),
    "other": ("khac",),
}
"""Other spellings people write, compact (see :func:`_compact`), beyond each key and name."""


def _compact(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"^(tieng|ngon ngu)\s+", "", folded)
    return re.sub(r"[^a-z0-9]", "", folded)


def _aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for key in MINORITY_LANGUAGES:
        name = MINORITY_LANGUAGE_NAMES.get(key)
        names = [key, *(() if name is None else name), *_MORE_SPELLINGS.get(key, ())]
        for spelling in filter(None, (_compact(n) for n in names)):
            aliases.setdefault(spelling, key)
    return aliases


LANGUAGE_ALIASES: dict[str, str] = _aliases()
"""Compact spellings (folded, letters and digits only) and the key they stand for."""

VIETNAMESE = frozenset({"vi", "viet", "tiengviet", "vietnamese", "kinh"})
"""Spellings of Vietnamese, which is not a minority language."""

MIN_MINORITY_PCT = 15.0
"""Ethnic-minority share (percent) below which the estimate lists no minority language."""

ESTIMATE_PROVINCE = "52"
"""Province code the estimate rule is written for (Gia Lai)."""


def language_key(text: str) -> str | None:
    """Return the key of a language name (``"Gia Rai"`` gives ``"jrai"``), or ``None``."""
    compact = _compact(text)
    if compact in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[compact]
    if compact in VIETNAMESE:
        return "vi"
    return None


def closest_language(text: str) -> str | None:
    """Return the accepted key spelt closest to ``text`` (for the fix of a typo)."""
    match = difflib.get_close_matches(_compact(text), list(LANGUAGE_ALIASES), n=1, cutoff=0.6)
    return LANGUAGE_ALIASES[match[0]] if match else None


def split_names(text: str) -> list[str]:
    """Split a cell on ``;`` or ``,`` and drop blanks."""
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def team_language_keys(value: object) -> tuple[str, ...]:
    """Return the language keys a roster cell names (a tuple, a list or ``jrai;bahnar`` text).

    Spellings are matched like the indicator column's; unknown names are kept as written.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    items = [str(v) for v in value] if isinstance(value, (tuple, list)) else split_names(str(value))
    return tuple(language_key(item) or item for item in items if item.strip())


def parse_languages(value: object) -> tuple[str, ...] | None:
    """Language keys of a validated ``minority_languages`` cell; ``None`` when not given."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return tuple(
        key
        for key in (language_key(name) for name in split_names(str(value)))
        if key is not None and key != "vi"
    )


def estimate_minority_languages(
    communes: pd.DataFrame, ethnic_minority_pct: npt.ArrayLike
) -> list[str]:
    """Estimate each commune's main minority languages by the module's documented rule.

    Parameters
    ----------
    communes
        ``code``, optionally ``province_code`` and a position: ``label_lon``/``label_lat``
        or a geometry (EPSG:4326).
    ethnic_minority_pct
        Ethnic-minority share of each commune (percent).

    Returns
    -------
    list of str
        ``jrai;bahnar``-style keys per commune, ``""`` for none.
    """
    n = len(communes)
    pct = np.asarray(
        pd.to_numeric(pd.Series(np.asarray(ethnic_minority_pct, dtype=object)), errors="coerce"),
        dtype=float,
    )
    codes = communes["code"].astype(str).to_numpy()
    province = (
        communes["province_code"].astype(str).to_numpy()
        if "province_code" in communes.columns
        else np.full(n, "", dtype=object)
    )
    lon, lat = _positions(communes)
    out: list[str] = []
    for i in range(n):
        if (
            province[i] != ESTIMATE_PROVINCE
            or not (pct[i] >= MIN_MINORITY_PCT)
            or not math.isfinite(lon[i])
        ):
            out.append("")
        elif int(codes[i][:5] or 0) < 23000:
            out.append("hre" if lat[i] >= 14.45 and lon[i] < 108.95 else "bahnar")
        elif lon[i] >= 108.20 and lat[i] >= 13.65:
            out.append("bahnar")
        elif 108.05 <= lon[i] < 108.20 and lat[i] >= 13.85:
            out.append("jrai;bahnar")
        else:
            out.append("jrai")
    return out


def _positions(communes: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
    """Label points (EPSG:4326 degrees), else representative points, else NaN."""
    n = len(communes)
    if {"label_lon", "label_lat"} <= set(communes.columns):
        lon = pd.to_numeric(communes["label_lon"], errors="coerce").to_numpy(dtype=float)
        lat = pd.to_numeric(communes["label_lat"], errors="coerce").to_numpy(dtype=float)
        if np.isfinite(lon).all():
            return lon, lat
    if isinstance(communes, gpd.GeoDataFrame) and communes.geometry.notna().all():
        crs = communes.crs
        frame = communes if crs is None or crs.to_epsg() == 4326 else communes.to_crs(4326)
        points = frame.geometry.representative_point()
        return points.x.to_numpy(dtype=float), points.y.to_numpy(dtype=float)
    return np.full(n, np.nan), np.full(n, np.nan)


def validate_language_cells(
    values: Sequence[object], *, file: str, column: str, first_row: int
) -> tuple[list[str | None], list[Problem]]:
    """Check a ``minority_languages`` column; return canonical cells and the problems.

    Each cell becomes ``jrai;bahnar``-style keys (``""`` for a blank cell). An unknown
    name, or Vietnamese, is a problem naming the file, row, column and value, with the
    closest accepted name when there is one.
    """
    problems: list[Problem] = []
    cells: list[str | None] = []
    choices = ", ".join(MINORITY_LANGUAGES)
    for i, value in enumerate(values):
        text = (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )
        keys: list[str] = []
        for name in split_names(text):
            key = language_key(name)
            if key is None:
                close = closest_language(name)
                problems.append(
                    Problem(
                        "unknown_language",
                        file,
                        row=i + first_row,
                        column=column,
                        value=name,
                        params={
                            "choices": choices,
                            "suggestion_vi": f" (có phải là '{close}'?)" if close else "",
                            "suggestion_en": f" (did you mean '{close}'?)" if close else "",
                        },
                    )
                )
            elif key == "vi":
                problems.append(
                    Problem(
                        "not_minority_language", file, row=i + first_row, column=column, value=name
                    )
                )
            elif key not in keys:
                keys.append(key)
        cells.append(";".join(keys))
    return cells, problems


def ordered_languages(
    first: Iterable[str], catalogue: Sequence[str] = MINORITY_LANGUAGES
) -> list[str]:
    """Return ``catalogue`` with the keys of ``first`` moved to its front, in their order.

    For the language pickers: a province's own languages (most speakers first, see
    :func:`coverage.analysis.languages.spoken_languages`) before the rest of the country's;
    ``"other"`` stays last, and a key of ``first`` the catalogue lacks is left out.
    """
    front = [k for k in dict.fromkeys(first) if k in catalogue and k != "other"]
    return [*front, *(k for k in catalogue if k not in front)]


def new_team_languages(names: Iterable[str], *, source: str = "--languages") -> tuple[str, ...]:
    """Return the keys of the languages asked for new teams (``"Gia Rai; ba na"``: jrai, bahnar).

    Raises
    ------
    InputError
        Naming every unknown name (or Vietnamese) with the closest accepted one;
        ``source`` says where the names were typed.
    """
    keys: list[str] = []
    problems: list[Problem] = []
    for name in names:
        cells, found = validate_language_cells(
            [str(name)], file=source, column="languages", first_row=0
        )
        problems += found
        keys += [k for k in (cells[0] or "").split(";") if k and k not in keys]
    if problems:
        raise InputError([replace(p, row=None, column=None) for p in problems])
    return tuple(keys)


__all__ = [
    "LANGUAGE_ALIASES",
    "MINORITY_LANGUAGES",
    "MIN_MINORITY_PCT",
    "closest_language",
    "estimate_minority_languages",
    "language_key",
    "new_team_languages",
    "ordered_languages",
    "parse_languages",
    "split_names",
    "team_language_keys",
    "validate_language_cells",
]
