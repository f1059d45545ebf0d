"""Generate the labelled SAMPLE roster and the ILLUSTRATIVE indicator estimate.

No measured per-commune connectivity data exists for Vietnam's new communes (see
``PROVENANCE.md``), and the real team roster is not public. Both files produced here
are therefore made up by documented, seeded rules and carry a ``data_status`` column
saying so; the app and reports repeat the label wherever they are shown.

Indicator model (all values in percent, clipped to [1, 99])
-----------------------------------------------------------
``u = clip((log10(density_per_km2) - 1) / 3, 0, 1)`` is an urbanness score: 10
residents/km2 gives 0, 10,000/km2 gives 1; wards (``phuong``) add 0.15 (clipped).

=============================== =======================
column                          estimate
=============================== =======================
adult_share_pct                 64 + 8 u
smartphone_adult_pct            45 + 40 u
fixed_broadband_household_pct   8 + 62 u
mobile_4g_population_pct        72 + 27 u
vneid_level2_adult_pct          42 + 38 u
online_filing_pct               20 + 55 u
ethnic_minority_pct             highland: 20 + 60 (1 - u); lowland: 2 + 8 (1 - u)
minority_languages              the rule of :mod:`coverage.inputs.languages` (Gia Lai: Jrai in the
                                west and south, Bahnar in the north-east, Hrê in old An Lão,
                                none below 15% ethnic minority, e.g. the coastal lowlands)
=============================== =======================

"Highland" means a sparse commune (:func:`is_sparse`: a xã or đặc khu with fewer than
:data:`SPARSE_DENSITY_PER_KM2` = 100 residents/km2), the same test in every province: in
Vietnam such communes are the mountain, highland and border communes of scattered
villages where most ethnic minorities live (in Gia Lai: the former Gia Lai plateau and
the mountain communes of the former Bình Định, An Lão, Vĩnh Thạnh and Vân Canh). A
seeded jitter of +/-4 points per commune keeps neighbouring communes from looking
identical; it is not data.

Sample roster (every province, one set of rules)
------------------------------------------------
:func:`sample_roster_for` makes the roster of any province (or the whole country) from
one national allocation, so province samples add up to the programme's national figure:

1. One team per commune, 3,321 in all (the programme: "4,821 teams in 3,321 communes").
2. The other :data:`NATIONAL_SAMPLE_TEAMS` - 3,321 = 1,500 teams go, one at a time, to
   the commune with the most residents per team so far (highest averages, D'Hondt, ties by
   code), so populous wards get a second or third team and sparse communes keep one
   (:func:`teams_per_commune`).
3. Each team (:func:`make_sample_roster`, seed 2025): wards and communes with at least 150
   residents/km2 get a fixed team at the one-stop office, others a mobile one; 10-20
   members giving 3-8 hours a week; every team has the VNeID and public-service-portal
   skills and others at random; in a sparse commune (rule above) the team is **thin**, as
   the programme reports for remote highland and border areas where few young people live
   and volunteers travel far and farm: about one member per 1,000 residents (the rounded
   thousands -1, +0 or +1 at random, 4-13 members) giving 2-4 hours a week, so a remote
   commune is as thinly served in Cao Bằng as in Gia Lai whatever its size; with
   probability 0.7 the team speaks the province's minority language (Jrai or Bahnar in
   Gia Lai; "other" elsewhere).
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from coverage.inputs.languages import estimate_minority_languages

INDICATOR_STATUS = "illustrative estimate (ước tính minh hoạ), not measured"
ROSTER_STATUS = "sample (dữ liệu mẫu), not the real roster"

SPARSE_DENSITY_PER_KM2 = 100.0
"""Below this many residents/km2 a xã or đặc khu counts as sparse (highland) in the samples."""

NATIONAL_SAMPLE_TEAMS = 4821
"""Teams the programme reports nationally (4,821 in 3,321 communes); the samples add up to it."""

SAMPLE_SEED = 2025
"""Seed of every sample roster."""

MINORITY_LANGUAGES: dict[str, tuple[str, ...]] = {"52": ("jrai", "bahnar")}
"""Minority languages sample teams in sparse communes speak, by province code; else 'other'."""


def _jitter(codes: pd.Series, salt: str, scale: float) -> np.ndarray:
    out = []
    for code in codes.astype(str):
        digest = hashlib.sha256(f"{salt}:{code}".encode()).digest()
        out.append((digest[0] / 255.0 * 2 - 1) * scale)
    return np.asarray(out)


def urbanness(communes: pd.DataFrame) -> np.ndarray:
    """Return the 0-1 urbanness score of the indicator model (see module docstring)."""
    area = communes["area_km2"].astype(float).clip(lower=0.01).to_numpy()
    density = communes["population"].astype(float).to_numpy() / area
    u = np.clip((np.log10(np.maximum(density, 1.0)) - 1.0) / 3.0, 0.0, 1.0)
    u = u + np.where(communes["kind"].astype(str).to_numpy() == "phuong", 0.15, 0.0)
    return np.asarray(np.clip(u, 0.0, 1.0), dtype=float)


def density_per_km2(communes: pd.DataFrame) -> np.ndarray:
    """Residents per km2 (``population / area_km2``, area floored at 0.01 km2)."""
    area = communes["area_km2"].astype(float).clip(lower=0.01).to_numpy()
    return np.asarray(communes["population"].astype(float).to_numpy() / area, dtype=float)


def is_sparse(communes: pd.DataFrame) -> np.ndarray:
    """Whether each commune is sparse highland: not a ward, under 100 residents/km2."""
    rural = communes["kind"].astype(str).to_numpy() != "phuong"
    return np.asarray(rural & (density_per_km2(communes) < SPARSE_DENSITY_PER_KM2))


def estimate_indicators(communes: pd.DataFrame) -> pd.DataFrame:
    """Estimate the indicator table for ``communes`` by the documented model.

    Parameters
    ----------
    communes
        Table with ``code``, ``kind``, ``area_km2`` (km2) and ``population``.

    Returns
    -------
    pandas.DataFrame
        The indicator schema of :data:`coverage.inputs.validation.INDICATOR_COLUMNS` plus
        ``data_status``, one row per commune.
    """
    u = urbanness(communes)
    codes = communes["code"].astype(str)
    highland = is_sparse(communes)

    def pct(base: float, slope: float, salt: str) -> np.ndarray:
        return np.asarray(
            np.round(np.clip(base + slope * u + _jitter(codes, salt, 4.0), 1, 99), 1), dtype=float
        )

    ethnic = np.where(highland, 20 + 60 * (1 - u), 2 + 8 * (1 - u)) + _jitter(codes, "eth", 4.0)
    ethnic = np.round(np.clip(ethnic, 0.5, 99), 1)
    return pd.DataFrame(
        {
            "commune_code": codes.to_numpy(),
            "commune_name": communes["name"].astype(str).to_numpy(),
            "adult_share_pct": np.round(np.clip(64 + 8 * u, 1, 99), 1),
            "smartphone_adult_pct": pct(45, 40, "phone"),
            "fixed_broadband_household_pct": pct(8, 62, "fbb"),
            "mobile_4g_population_pct": pct(72, 27, "4g"),
            "vneid_level2_adult_pct": pct(42, 38, "vneid"),
            "online_filing_pct": pct(20, 55, "filing"),
            "ethnic_minority_pct": ethnic,
            "is_remote_official": "",
            "minority_languages": estimate_minority_languages(communes, ethnic),
            "data_status": INDICATOR_STATUS,
        }
    )


def write_indicator_estimate(communes: pd.DataFrame, path: Path) -> None:
    """Write :func:`estimate_indicators` to ``path`` as UTF-8 CSV."""
    estimate_indicators(communes).to_csv(path, index=False, encoding="utf-8")


def teams_per_commune(communes: pd.DataFrame, *, total: int = NATIONAL_SAMPLE_TEAMS) -> pd.Series:
    """Share ``total`` teams among communes: one each, the rest by residents per team.

    Parameters
    ----------
    communes
        Every commune the total is for (normally all 3,321), with ``code`` and
        ``population``.
    total
        Teams to place; at least one per commune.

    Returns
    -------
    pandas.Series
        Teams per commune (int), indexed by commune code, summing to ``max(total, n)``.
        After one team each, every further team goes to the commune with the most
        residents per team so far (highest averages / D'Hondt; ties to the lower code).
    """
    codes = communes["code"].astype(str).to_numpy()
    population = communes["population"].astype(float).clip(lower=0).to_numpy()
    order = np.argsort(codes, kind="stable")
    codes, population = codes[order], population[order]
    teams = np.ones(len(codes), dtype=np.int64)
    extra = max(int(total) - len(codes), 0)
    if extra and len(codes):
        heap = [(-population[i], i) for i in range(len(codes))]
        heapq.heapify(heap)
        for _ in range(extra):
            _, i = heapq.heappop(heap)
            teams[i] += 1
            heapq.heappush(heap, (-population[i] / (teams[i]), i))
    return pd.Series(teams, index=pd.Index(codes, name="code"), name="teams")


def make_sample_roster(
    communes: gpd.GeoDataFrame,
    *,
    seed: int = SAMPLE_SEED,
    prefix: str = "GL",
    teams: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Make a SAMPLE roster by the rules of the module docstring, seeded.

    Parameters
    ----------
    communes
        The communes (``code``, ``name``, ``full_name``, ``kind``, ``area_km2``,
        ``population``, optionally ``province_code``).
    seed
        Random seed.
    prefix
        Team ids are ``<prefix>-001``...: first the one team of each commune in code
        order, then the further teams of populous communes.
    teams
        Teams per commune code (:func:`teams_per_commune`); missing codes get one.
        ``None``: one team per commune.
    """
    rng = np.random.default_rng(seed)
    ordered = communes.sort_values("code").reset_index(drop=True)
    u = urbanness(ordered)
    sparse = is_sparse(ordered)
    density = density_per_km2(ordered)
    province_codes = (
        ordered["province_code"].astype(str)
        if "province_code" in ordered.columns
        else pd.Series([""] * len(ordered))
    )
    extra_skills = ("social_insurance", "e_health", "cashless_payments", "ai_assistant")

    def team(i: int, number: int) -> dict[str, object]:
        rec = ordered.iloc[i]
        skills = ["vneid", "public_service_portal"] + [
            s for s in extra_skills if rng.random() < 0.5
        ]
        languages = ["vi"]
        if sparse[i] and rng.random() < 0.7:
            languages.append(
                str(rng.choice(MINORITY_LANGUAGES.get(province_codes.iloc[i], ("other",))))
            )
        mode = "fixed" if rec["kind"] == "phuong" or density[i] >= 150 else "mobile"
        members = int(rng.integers(10, 21))
        hours = float(rng.integers(3, 9)) if u[i] < 0.9 else float(rng.integers(4, 9))
        if sparse[i]:  # a thin team: few young people live there, and they farm and travel far
            per_thousand = int(round(float(rec["population"]) / 1000))
            members, hours = int(np.clip(per_thousand - 1 + members % 3, 4, 13)), 2.0 + members % 3
        name = f"Đội TNTN {rec['full_name'] or rec['name']}" + (
            f" số {number}" if number > 1 else ""
        )
        return {
            "team_name": name,
            "commune_code": rec["code"],
            "commune_name": rec["name"],
            "latitude": "",
            "longitude": "",
            "members": members,
            "mode": mode,
            "skills": ";".join(skills),
            "languages": ";".join(languages),
            "weekly_hours": hours,
            "data_status": ROSTER_STATUS,
        }

    rows = [team(i, 1) for i in range(len(ordered))]
    counts = teams or {}
    for i, code in enumerate(ordered["code"].astype(str)):
        rows += [team(i, k) for k in range(2, int(counts.get(code, 1)) + 1)]
    width = max(3, len(str(len(rows))))
    return pd.DataFrame(
        [{"team_id": f"{prefix}-{n + 1:0{width}d}", **row} for n, row in enumerate(rows)]
    )


def sample_roster_for(
    communes: gpd.GeoDataFrame, national: pd.DataFrame, *, prefix: str
) -> pd.DataFrame:
    """Return the SAMPLE roster of ``communes`` (a province, or all) by the national allocation.

    Parameters
    ----------
    communes
        The province's communes (see :func:`make_sample_roster`).
    national
        All 3,321 communes (``code``, ``population``;
        :func:`coverage.inputs.datasets.load_commune_table`), among which the 4,821 teams
        are shared (:func:`teams_per_commune`).
    prefix
        Team id prefix (``GL`` for Gia Lai, else the province code).
    """
    allocation = teams_per_commune(national)
    return make_sample_roster(
        communes,
        seed=SAMPLE_SEED,
        prefix=prefix,
        teams={str(k): int(v) for k, v in allocation.items()},
    )
