"""Convert tables keyed by pre-merger (2024) communes to the post-merger communes.

Planners still receive figures by old commune (police counts of VNeID activations, 2024
population, earlier surveys). :func:`crosswalk_table` moves such a table onto the 3,321
communes of 1 July 2025 with the old -> new mapping that the ``vietnamadminunits``
package (MIT) ships: its 10,040 legacy communes, the 3,321 new ones and, for each old
commune, the new commune(s) it went to. The package's data files are read directly; no
address is geocoded and nothing is downloaded.

Rules
-----
- An old commune is found by its 5-digit code (``old_code``) or by its name with its old
  district and province (``old_commune``, ``old_district``, ``old_province``). Names match
  without diacritics, case or the unit word ("Xã", "Huyện", "Tỉnh"...), in NFC or NFD; a
  name typed without its unit word may begin with a word that looks like one ("Phương
  Liễu" is the ward Phường Phương Liễu, "Quan Hóa" the district Huyện Quan Hóa).
- Counts (``value_columns``) are summed over the old communes that formed a new one.
- Where one old commune went to several new ones (471 of the 10,040), it is split in
  proportion to the official 2025 population of the new communes involved (the WorldPop
  estimate where the data has none), or in equal shares where a population is missing
  or zero; split counts keep two decimals. The old commune's own boundary is not
  available here, so the split cannot follow where its own residents live; every split is
  listed so a planner can check it.
- Rates and percentages (``rate_columns``) are never summed: each new commune gets the
  average of its old communes' rates weighted by their population (``weight_column``,
  times the split share).
- Every unmatched or ambiguous row is reported with the closest old communes and left
  out of the result (the result says how many rows it holds); the command line then exits
  with 1 so that a script notices.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import coverage.text.crosswalk  # noqa: F401  (registers the messages)
from coverage.errors import InputError, Problem
from coverage.text.textnorm import fold, nfc

CODE_COLUMN = "old_code"
NAME_COLUMNS = ("old_commune", "old_district", "old_province")
"""Key columns of a legacy table: a code, or a name with its district and province."""

_UNIT_WORDS = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
    "tx",
    "tt",
)
"""Unit words dropped from the front of a name before matching (and their abbreviations)."""


@dataclass(frozen=True)
class CrosswalkResult:
    """A legacy table moved onto the post-merger communes.

    Attributes
    ----------
    table
        One row per new commune that received a value: ``commune_code``,
        ``commune_name``, ``province``, the converted value and rate columns, ``old_units``
        (how many old communes contributed) and ``old_unit_names``. Usable directly as an
        indicator upload when it holds the indicator columns.
    matches
        One row per (input row, new commune) pair: ``row`` (spreadsheet row), the old
        commune, ``commune_code``, ``share`` (0-1) and ``rule`` (``whole``,
        ``population`` or ``equal``).
    splits
        The old communes that were split, one row each, with the new communes and shares
        in words (``split_vi`` / ``split_en``).
    unmatched
        Rows left out because their old commune was not found or is ambiguous, each with
        the closest matches; the table holds the other rows only.
    rows
        How many data rows the file has.
    """

    table: pd.DataFrame
    matches: pd.DataFrame
    splits: pd.DataFrame
    unmatched: tuple[Problem, ...]
    rows: int


def _unit_key(text: str, *, strip_unit: bool = True) -> str:
    """Diacritic-free key of a unit name without its unit word ("Xã Ia Dom" -> "ia dom").

    With ``strip_unit=False`` a leading word that looks like a unit word is kept: a name
    typed without its unit word may begin with one ("Phương Liễu", "Quản Bạ").
    """
    key = " ".join(re.sub(r"[.\-]", " ", fold(nfc(text))).split())
    for word in _UNIT_WORDS if strip_unit else ():
        if key.startswith(word + " "):
            key = key[len(word) + 1 :]
            break
    key = re.sub(r"[^\w ]", "", key)
    return " ".join(key.split())


def _rows_named(frame: pd.DataFrame, key_column: str, text: str) -> pd.DataFrame:
    """Rows of ``frame`` whose ``key_column`` is the key of ``text``.

    The key drops a leading unit word ("Phường Phương Liễu" -> "phuong lieu"); when
    nothing matches, the name is tried whole, since it may have been typed without its
    unit word and begin with a word that looks like one ("Phương Liễu" is the ward
    "Phường Phương Liễu", not a ward "Liễu").
    """
    key = _unit_key(text)
    found = frame[frame[key_column] == key]
    whole = _unit_key(text, strip_unit=False)
    if found.empty and whole != key:
        found = frame[frame[key_column] == whole]
    return found


def _package_data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise InputError([Problem("crosswalk.no_package", "vietnamadminunits")])
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@functools.cache
def _legacy_pairs() -> pd.DataFrame:
    """One row per (old commune, new commune) pair from the package's data (read-only)."""
    data = _package_data_dir()
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as con:
        legacy = pd.read_sql(
            "select wardCode, ward, district, province, provinceKey, districtKey, wardKey "
            "from admin_units_legacy",
            con,
        )
        new = pd.read_sql(
            "select wardCode, ward, province, provinceKey, wardKey from admin_units", con
        )
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    legacy["old_key"] = (
        legacy["provinceKey"] + "_" + legacy["districtKey"] + "_" + legacy["wardKey"].fillna("")
    )
    rows: list[tuple[str, str, str, bool]] = []
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            rows += [(old_key, new_province, new_ward, False) for old_key in old_keys]
    for new_province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            rows += [(old_key, new_province, t["newWardKey"], True) for t in targets]
    pairs = pd.DataFrame(rows, columns=["old_key", "provinceKey", "wardKey", "divided"])
    pairs = pairs.merge(
        new.rename(
            columns={"wardCode": "package_code", "ward": "new_name", "province": "new_province"}
        ),
        on=["provinceKey", "wardKey"],
        how="left",
    )
    pairs = legacy.rename(
        columns={
            "wardCode": "old_code",
            "ward": "old_commune",
            "district": "old_district",
            "province": "old_province",
        }
    )[["old_key", "old_code", "old_commune", "old_district", "old_province"]].merge(
        pairs[["old_key", "package_code", "new_name", "new_province", "divided"]],
        on="old_key",
        how="inner",
    )
    for col in ("old_commune", "old_district", "old_province"):
        pairs[col] = pairs[col].fillna("").astype(str)
    pairs["commune_key"] = pairs["old_commune"].map(_unit_key)
    pairs["district_key"] = pairs["old_district"].map(_unit_key)
    pairs["province_key"] = pairs["old_province"].map(_unit_key)
    return pairs.drop_duplicates(["old_key", "package_code"]).reset_index(drop=True)


def _official_codes(pairs: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Official code of each pair's new commune (by code, then by province and name).

    The package and the official list differ for a handful of codes (Ba Chẽ is 06970 in
    the package, 06978 officially), so a code that is not official is matched by name.
    """
    official = set(communes["code"])
    by_name = {
        (_unit_key(str(p)), _unit_key(str(n))): str(c)
        for p, n, c in zip(communes["province"], communes["name"], communes["code"], strict=True)
    }
    codes = []
    for code, province, name in zip(
        pairs["package_code"], pairs["new_province"], pairs["new_name"], strict=True
    ):
        if isinstance(code, str) and code in official:
            codes.append(code)
        else:
            codes.append(by_name.get((_unit_key(str(province)), _unit_key(str(name))), ""))
    return pd.Series(codes, index=pairs.index, dtype=object)


def crosswalk_table(
    table: pd.DataFrame,
    communes: pd.DataFrame,
    *,
    file: str,
    value_columns: Sequence[str] = (),
    rate_columns: Sequence[str] = (),
    weight_column: str | None = None,
) -> CrosswalkResult:
    """Move a table keyed by pre-merger communes onto the post-merger communes.

    Parameters
    ----------
    table
        Cells as text (from :func:`coverage.inputs.tables.read_table`): ``old_code`` or
        ``old_commune`` + ``old_district`` + ``old_province``, and the value columns.
    communes
        The post-merger communes (all 3,321, or at least every one the table reaches):
        ``code``, ``name``, ``province``, ``population``.
    file
        File name to quote in messages.
    value_columns
        Counts, summed (split in proportion to population where an old commune was split).
    rate_columns
        Rates or percentages, averaged with ``weight_column`` as the weight.
    weight_column
        Population (or another count) of each old commune; required with rate columns.

    Raises
    ------
    InputError
        Missing key or value columns, values that are not numbers, rates without a weight.
        Unmatched or ambiguous old communes do not raise: they are listed in
        :attr:`CrosswalkResult.unmatched`.
    """
    table = table.reset_index(drop=True)
    problems = _check_columns(table, file, value_columns, rate_columns, weight_column)
    if problems:
        raise InputError(problems)
    numbers, problems = _parse_numbers(
        table, file, [*value_columns, *rate_columns] + ([weight_column] if weight_column else [])
    )
    pairs = _legacy_pairs()
    pairs = pairs.assign(commune_code=_official_codes(pairs, communes))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    matched: dict[int, pd.DataFrame] = {}
    unmatched: list[Problem] = []
    for index in range(len(table)):
        row = index + 2
        found, problem = _match_row(table.iloc[index], pairs, file=file, row_number=row)
        if problem is not None:
            unmatched.append(problem)
        elif found is not None:
            matched[index] = found
    population = communes.set_index("code")["population"].astype(float)
    names = communes.set_index("code")["name"].astype(str)
    provinces = communes.set_index("code")["province"].astype(str)
    match_rows = []
    for index, found in matched.items():
        codes = [c for c in found["commune_code"] if c]
        weights = population.reindex(codes).fillna(0.0).to_numpy()
        if len(codes) == 1:
            shares, rule = [1.0], "whole"
        elif weights.sum() > 0 and (weights > 0).all():
            shares, rule = list(weights / weights.sum()), "population"
        else:
            shares, rule = [1.0 / len(codes)] * len(codes), "equal"
        first = found.iloc[0]
        for code, share in zip(codes, shares, strict=True):
            match_rows.append(
                {
                    "row": index + 2,
                    "old_code": first["old_code"],
                    "old_commune": first["old_commune"],
                    "old_district": first["old_district"],
                    "old_province": first["old_province"],
                    "commune_code": code,
                    "commune_name": names.get(code, ""),
                    "share": float(share),
                    "rule": rule,
                    "_index": index,
                }
            )
    matches = pd.DataFrame(
        match_rows,
        columns=[
            "row",
            "old_code",
            "old_commune",
            "old_district",
            "old_province",
            "commune_code",
            "commune_name",
            "share",
            "rule",
            "_index",
        ],
    )
    out = _aggregate(matches, numbers, value_columns, rate_columns, weight_column)
    out.insert(1, "commune_name", out["commune_code"].map(names))
    out.insert(2, "province", out["commune_code"].map(provinces))
    return CrosswalkResult(
        table=out.reset_index(drop=True),
        matches=matches.drop(columns="_index"),
        splits=_describe_splits(matches),
        unmatched=tuple(unmatched),
        rows=len(table),
    )


def guess_legacy_columns(columns: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """Guess which columns are rates and which one is the population (the planner confirms).

    A column is taken for a rate when its name says so (``pct``, ``percent``, ``rate``,
    ``ty le``, ``%``); the weight is the first column named for a population
    (``population``, ``pop``, ``dan so``).
    """

    def key(name: str) -> str:
        return " ".join(re.sub(r"[_\-.]", " ", fold(name)).split())

    rates = tuple(
        c
        for c in columns
        if any(w in key(c).split() or w in key(c) for w in ("pct", "percent", "rate", "ty le", "%"))
    )
    weight = next(
        (
            c
            for c in columns
            if c not in rates
            and any(w in key(c).split() or w in key(c) for w in ("population", "pop", "dan so"))
        ),
        None,
    )
    return rates, weight


def _check_columns(
    table: pd.DataFrame,
    file: str,
    value_columns: Sequence[str],
    rate_columns: Sequence[str],
    weight_column: str | None,
) -> list[Problem]:
    found = list(table.columns)
    problems = []
    if CODE_COLUMN not in found and not all(c in found for c in NAME_COLUMNS):
        missing = [c for c in NAME_COLUMNS if c not in found]
        problems.append(
            Problem(
                "crosswalk.no_key",
                file,
                column=missing[0],
                params={"found": ", ".join(found) or "-"},
            )
        )
    if not value_columns and not rate_columns:
        problems.append(
            Problem("crosswalk.no_values", file, params={"found": ", ".join(found) or "-"})
        )
    for name in [*value_columns, *rate_columns]:
        if name not in found:
            close = difflib.get_close_matches(name, found, n=1)
            problems.append(
                Problem(
                    "crosswalk.missing_value_column",
                    file,
                    column=name,
                    params={"found": ", ".join(found) or "-", "close": close[0] if close else "-"},
                )
            )
    if rate_columns and not weight_column:
        problems.append(
            Problem(
                "crosswalk.rates_need_weight", file, params={"columns": ", ".join(rate_columns)}
            )
        )
    if weight_column and weight_column not in found:
        problems.append(
            Problem(
                "crosswalk.missing_value_column",
                file,
                column=weight_column,
                params={"found": ", ".join(found) or "-", "close": "-"},
            )
        )
    return problems


def _parse_numbers(
    table: pd.DataFrame, file: str, columns: Sequence[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the value columns as numbers; a bad cell is a problem naming row and column."""
    out = pd.DataFrame(index=table.index)
    problems: list[Problem] = []
    for column in dict.fromkeys(columns):
        text = table[column].astype(str).str.strip().str.replace(" ", "", regex=False)
        values = pd.to_numeric(text, errors="coerce")
        for index in values.index[values.isna()]:
            problems.append(
                Problem(
                    "not_number",
                    file,
                    row=int(index) + 2,
                    column=column,
                    value=str(table.at[index, column]),
                    params={"example": "1234"},
                )
            )
        out[column] = values.astype(float)
    return out, problems


def _match_row(
    row: pd.Series, pairs: pd.DataFrame, *, file: str, row_number: int
) -> tuple[pd.DataFrame | None, Problem | None]:
    """Find the old commune of one input row (its pairs), or a problem with close matches."""
    code = str(row.get(CODE_COLUMN, "")).strip()
    if code:
        code = code.zfill(5) if code.isdigit() else code
        found = pairs[pairs["old_code"] == code]
        if not found.empty:
            return found, None
        if not all(str(row.get(c, "")).strip() for c in NAME_COLUMNS):
            return None, Problem(
                "crosswalk.unknown_code", file, row=row_number, column=CODE_COLUMN, value=code
            )
    commune, district, province = (str(row.get(c, "")).strip() for c in NAME_COLUMNS)
    if not commune:
        return None, Problem("missing_value", file, row=row_number, column=NAME_COLUMNS[0])
    in_province = _rows_named(pairs, "province_key", province)
    if in_province.empty:
        return None, _unmatched(
            file,
            row_number,
            NAME_COLUMNS[2],
            province,
            _closest(
                province,
                pairs.drop_duplicates("province_key"),
                "old_province",
                "province_key",
            ),
        )
    in_district = _rows_named(in_province, "district_key", district)
    if in_district.empty:
        return None, _unmatched(
            file,
            row_number,
            NAME_COLUMNS[1],
            district,
            _closest(
                district,
                in_province.drop_duplicates("district_key"),
                "old_district",
                "district_key",
            ),
        )
    found = _rows_named(in_district, "commune_key", commune)
    if found.empty:
        return None, _unmatched(
            file,
            row_number,
            NAME_COLUMNS[0],
            commune,
            _closest(
                commune,
                in_district.drop_duplicates("old_key"),
                "old_commune",
                "commune_key",
            ),
        )
    if found["old_key"].nunique() > 1:
        units = found.drop_duplicates("old_key")
        return None, Problem(
            "crosswalk.ambiguous",
            file,
            row=row_number,
            column=NAME_COLUMNS[0],
            value=commune,
            params={
                "choices": "; ".join(
                    f"{c} ({k})"
                    for c, k in zip(units["old_commune"], units["old_code"], strict=True)
                )
            },
        )
    return found, None


def _closest(text: str, candidates: pd.DataFrame, label: str, key_column: str) -> str:
    """Up to three candidates spelt closest to ``text`` (with or without its unit word)."""
    keys = list(candidates[key_column])
    scored = {
        match: difflib.SequenceMatcher(None, key, match).ratio()
        for key in dict.fromkeys([_unit_key(text), _unit_key(text, strip_unit=False)])
        for match in difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
    }
    close = sorted(scored, key=lambda k: -scored[k])[:3]
    labels = dict(zip(candidates[key_column], candidates[label], strict=True))
    return ", ".join(labels[k] for k in close)


def _unmatched(file: str, row: int, column: str, value: str, close: str) -> Problem:
    return Problem(
        "crosswalk.unmatched",
        file,
        row=row,
        column=column,
        value=value,
        params={
            "close_vi": f" Gần giống: {close}." if close else "",
            "close_en": f" Closest: {close}." if close else "",
        },
    )


def _aggregate(
    matches: pd.DataFrame,
    numbers: pd.DataFrame,
    value_columns: Sequence[str],
    rate_columns: Sequence[str],
    weight_column: str | None,
) -> pd.DataFrame:
    frame = matches[["commune_code", "share", "_index", "old_commune", "old_district"]].copy()
    columns = list(
        dict.fromkeys([*value_columns, *rate_columns] + ([weight_column] if weight_column else []))
    )
    for column in columns:
        frame[column] = numbers[column].reindex(frame["_index"]).to_numpy()
    grouped = frame.groupby("commune_code", sort=True)
    out = pd.DataFrame(index=grouped.size().index)
    for column in value_columns:
        # two decimals: a split count is an estimate, and the CSV should not read
        # 26.666666666666668 or 0.30000000000000004
        out[column] = (frame[column] * frame["share"]).groupby(frame["commune_code"]).sum().round(2)
    if rate_columns and weight_column:
        weight = frame[weight_column] * frame["share"]
        total = weight.groupby(frame["commune_code"]).sum()
        for column in rate_columns:
            weighted = (frame[column] * weight).groupby(frame["commune_code"]).sum()
            out[column] = (weighted / total.where(total > 0)).round(4)
    out["old_units"] = grouped["_index"].nunique()
    names = [f"{c} ({d})" for c, d in zip(frame["old_commune"], frame["old_district"], strict=True)]
    out["old_unit_names"] = (
        pd.Series(names, index=frame.index, dtype=object)
        .groupby(frame["commune_code"])
        .agg("; ".join)
    )
    out.index.name = "commune_code"
    return out.reset_index()


def _describe_splits(matches: pd.DataFrame) -> pd.DataFrame:
    split = matches[matches["rule"] != "whole"]
    rows = []
    for _, group in split.groupby("_index", sort=True):
        parts_vi = ", ".join(
            f"{n} {s * 100:.1f}%".replace(".", ",")
            for n, s in zip(group["commune_name"], group["share"], strict=True)
        )
        parts_en = ", ".join(
            f"{n} {s * 100:.1f}%"
            for n, s in zip(group["commune_name"], group["share"], strict=True)
        )
        first = group.iloc[0]
        rule = first["rule"]
        rows.append(
            {
                "row": int(first["row"]),
                "old_commune": first["old_commune"],
                "old_district": first["old_district"],
                "old_province": first["old_province"],
                "rule": rule,
                "split_vi": f"{first['old_commune']} ({first['old_district']}) chia cho "
                f"{parts_vi} theo "
                + ("dân số 2025 của các xã mới" if rule == "population" else "phần bằng nhau"),
                "split_en": f"{first['old_commune']} ({first['old_district']}) split into "
                f"{parts_en} by "
                + (
                    "the 2025 population of the new communes"
                    if rule == "population"
                    else "equal shares"
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "row",
            "old_commune",
            "old_district",
            "old_province",
            "rule",
            "split_vi",
            "split_en",
        ],
    )
