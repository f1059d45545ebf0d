"""Minority languages of the analysed communes: shares of need, the language-gap flag, words.

The names, the indicator column ``minority_languages`` and its ILLUSTRATIVE ESTIMATE are
in :mod:`coverage.inputs.languages`; the capacity factor is
:func:`coverage.analysis.need.language_factor`.

Language gap (flag)
-------------------
A commune has a language gap when, for some language ``l``, at least
``language_gap_min_residents`` residents mainly speak it (``population * m_l``) and no
team in reach has a speaker of ``l``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from coverage.analysis.geo import FloatArray
from coverage.analysis.need import LanguageNeed
from coverage.inputs.languages import ESTIMATE_PROVINCE, MINORITY_LANGUAGES, parse_languages
from coverage.text import language as text_language  # noqa: F401  (registers the messages used here)
from coverage.text.i18n import Lang, format_number, format_percent, t


@dataclass(frozen=True)
class CommuneLanguages:
    """The minority languages of every commune of an analysis, and where they come from.

    Attributes
    ----------
    need
        Shares of each commune's need by language (:class:`coverage.analysis.need.LanguageNeed`).
    listed
        Each commune's keys, ``jrai;bahnar``-style (``""`` for none).
    estimated
        Whether the commune's languages (or the share they are applied to) come from
        the ILLUSTRATIVE ESTIMATE rather than an uploaded table.
    """

    need: LanguageNeed
    listed: npt.NDArray[np.object_]
    estimated: npt.NDArray[np.bool_]


def languages_for(
    communes: pd.DataFrame, indicators: pd.DataFrame, *, all_estimated: bool
) -> CommuneLanguages:
    """Read ``minority_languages`` and ``ethnic_minority_pct`` for ``communes``, estimating gaps.

    Parameters
    ----------
    communes
        The analysed communes (``code``, ``kind``, ``area_km2``, ``population``, a position).
    indicators
        The validated indicator table; a missing column or row is filled from the estimate
        (:func:`coverage.inputs.samples.estimate_indicators`).
    all_estimated
        Whether the whole indicator table is the estimate (then every row is labelled so).
    """
    from coverage.inputs.samples import estimate_indicators

    codes = communes["code"].astype(str).to_numpy()
    table = indicators.copy()
    table["commune_code"] = table["commune_code"].astype(str)
    table = table.drop_duplicates("commune_code").set_index("commune_code").reindex(codes)
    pct = (
        pd.to_numeric(table["ethnic_minority_pct"], errors="coerce").to_numpy(dtype=float)
        if "ethnic_minority_pct" in table.columns
        else np.full(len(codes), np.nan)
    )
    given: list[tuple[str, ...] | None] = (
        [parse_languages(v) for v in table["minority_languages"].tolist()]
        if "minority_languages" in table.columns
        else [None] * len(codes)
    )
    languages_missing = np.array([g is None for g in given], dtype=bool)
    missing = languages_missing | ~np.isfinite(pct)
    if missing.any():
        estimate = estimate_indicators(communes).set_index("commune_code").reindex(codes)
        est_pct = pd.to_numeric(estimate["ethnic_minority_pct"], errors="coerce").to_numpy(
            dtype=float
        )
        pct = np.where(np.isfinite(pct), pct, est_pct)
        for i in np.flatnonzero([g is None for g in given]):
            given[i] = parse_languages(estimate["minority_languages"].iloc[i]) or ()
    keys: list[tuple[str, ...]] = [tuple(dict.fromkeys(g or ())) for g in given]
    languages = tuple(sorted({k for row in keys for k in row}))
    index = {lang: j for j, lang in enumerate(languages)}
    share = np.zeros((len(codes), len(languages)))
    minority = np.clip(np.nan_to_num(pct, nan=0.0) / 100.0, 0.0, 1.0)
    for row_number, row in enumerate(keys):
        for lang in row:
            share[row_number, index[lang]] = minority[row_number] / len(row)
    listed = np.array([";".join(row) for row in keys], dtype=object)
    # Outside Gia Lai the estimate has no rule: a blank there means "unknown", not "none",
    # and is labelled as the estimate's (display_languages says it covers only Gia Lai).
    unknown = (
        (languages_missing | bool(all_estimated)) & (listed == "") & _outside_estimate(communes)
    )
    estimated = ((missing | bool(all_estimated)) & (listed != "")) | unknown
    return CommuneLanguages(
        LanguageNeed(languages, share), listed, np.asarray(estimated, dtype=bool)
    )


def spoken_languages(
    communes: pd.DataFrame, indicators: pd.DataFrame, *, all_estimated: bool
) -> tuple[str, ...]:
    """Return the minority languages the communes' residents speak, the most residents first.

    Residents are each commune's population times its share of each language
    (:func:`languages_for`: the indicator table, its gaps filled from the estimate); ties
    keep the order of :data:`coverage.inputs.languages.MINORITY_LANGUAGES`. A province
    whose table names no language (outside Gia Lai without an uploaded table) has none.
    """
    langs = languages_for(communes, indicators, all_estimated=all_estimated)
    if not langs.need.languages:
        return ()
    population = pd.to_numeric(communes["population"], errors="coerce").fillna(0.0)
    residents = population.to_numpy(dtype=float) @ langs.need.share
    rank = {key: i for i, key in enumerate(MINORITY_LANGUAGES)}
    order = sorted(
        range(len(langs.need.languages)),
        key=lambda j: (-residents[j], rank.get(langs.need.languages[j], len(rank))),
    )
    return tuple(langs.need.languages[j] for j in order)


def _outside_estimate(communes: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Whether each commune lies outside the province the estimate rule is written for."""
    if "province_code" not in communes.columns:
        return np.zeros(len(communes), dtype=bool)
    return np.asarray(communes["province_code"].astype(str) != ESTIMATE_PROVINCE, dtype=bool)


@dataclass(frozen=True)
class LanguageGaps:
    """Per commune, the minority languages no team in reach speaks.

    Attributes
    ----------
    languages
        ``;``-joined keys of the languages with a gap (``""`` for none).
    residents
        Residents who mainly speak one of those languages (sum over them).
    by_language
        Shape ``(communes, languages)``: residents of each language left without a speaker
        (0 where some team in reach speaks it or they are below the minimum).
    """

    languages: npt.NDArray[np.object_]
    residents: FloatArray
    by_language: FloatArray

    @property
    def flagged(self) -> npt.NDArray[np.bool_]:
        """Whether each commune has a language gap."""
        return np.asarray(self.languages != "", dtype=bool)


def language_gaps(
    need: LanguageNeed,
    population: FloatArray,
    speakers_in_reach: npt.NDArray[np.int64],
    *,
    min_residents: float,
) -> LanguageGaps:
    """Find the language gaps (module docstring, "Language gap").

    Parameters
    ----------
    need
        Shares of need by language.
    population
        Residents of each commune.
    speakers_in_reach
        Shape ``(communes, languages)``: teams in reach with a speaker of each language.
    min_residents
        Fewest residents of one language that raise the flag.
    """
    residents = np.asarray(population, dtype=float)[:, None] * need.share
    gap = (residents >= min_residents) & (residents > 0) & (np.asarray(speakers_in_reach) == 0)
    by_language = np.where(gap, residents, 0.0)
    names = (
        np.array(
            [
                ";".join(lang for lang, on in zip(need.languages, row, strict=True) if on)
                for row in gap
            ],
            dtype=object,
        )
        if len(need.languages)
        else np.full(len(population), "", dtype=object)
    )
    return LanguageGaps(names, by_language.sum(axis=1), by_language)


def language_words(key: str, lang: Lang) -> str:
    """Return a language as it reads inside a sentence (``tiếng Jrai`` / ``Jrai``)."""
    return t(f"language.in_sentence.{key}", lang) if key in MINORITY_LANGUAGES else key


def rounded_residents(value: float) -> float:
    """Residents rounded for a sentence: to the hundred from 1,000, else to ten."""
    return float(round(value, -2) if value >= 1000 else round(value, -1))


def gap_reasons(
    gaps: LanguageGaps,
    need: LanguageNeed,
    *,
    lang: Lang,
    interpreter_rate: float,
    estimated: npt.ArrayLike | None = None,
) -> list[str]:
    """Write the language-gap sentence of each commune ("6.200 residents mainly speak Jrai; ...").

    Where ``estimated`` is true the languages come from the ILLUSTRATIVE ESTIMATE, and
    the sentence says so.
    """
    out: list[str] = []
    rate = format_percent(interpreter_rate, lang, decimals=0)
    flags = (
        np.zeros(len(gaps.by_language), dtype=bool)
        if estimated is None
        else np.asarray(estimated, dtype=bool)
    )
    for row, is_estimate in zip(gaps.by_language, flags, strict=True):
        parts = [
            t(
                "language.reason.gap",
                lang,
                residents=format_number(rounded_residents(float(value)), lang),
                language=language_words(key, lang),
                rate=rate,
            )
            for key, value in zip(need.languages, row, strict=True)
            if value > 0
        ]
        text = "; ".join(parts)
        out.append(
            t("language.reason.estimated", lang, text=text) if text and is_estimate else text
        )
    return out


def display_languages(listed: str, *, estimated: bool, lang: Lang) -> str:
    """``Jrai, Bahnar (ESTIMATE)`` for a table cell; ``none`` when blank.

    A blank from the estimate outside Gia Lai reads "unknown (the ESTIMATE covers only
    Gia Lai)": the estimate has no rule there (:func:`languages_for`).
    """
    if not listed:
        return t("language.unknown" if estimated else "language.none", lang)
    names = ", ".join(language_words(key, lang) for key in listed.split(";"))
    return t("language.with_estimate", lang, languages=names) if estimated else names


__all__ = [
    "CommuneLanguages",
    "LanguageGaps",
    "display_languages",
    "gap_reasons",
    "language_gaps",
    "language_words",
    "languages_for",
    "rounded_residents",
    "spoken_languages",
]
