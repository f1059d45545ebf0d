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
=============================== =======================

"Highland" is the former Gia Lai province (codes 23xxx-24xxx); the former Bình Định
(21xxx-22xxx) is lowland and coastal. A seeded jitter of +/-4 points per commune keeps
neighbouring communes from looking identical; it is not data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

INDICATOR_STATUS = "illustrative estimate (ước tính minh hoạ), not measured"
ROSTER_STATUS = "sample (dữ liệu mẫu), not the real roster"


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


def is_highland(codes: pd.Series) -> np.ndarray:
    """Whether each commune lies in the former Gia Lai (highland) part of the province."""
    prefix = codes.astype(str).str[:2].astype(int).to_numpy()
    return np.asarray((prefix >= 23) & (prefix <= 24))


def estimate_indicators(communes: pd.DataFrame) -> pd.DataFrame:
    """Estimate the indicator table for ``communes`` by the documented model.

    Parameters
    ----------
    communes
        Table with ``code``, ``kind``, ``area_km2`` (km2) and ``population``.

    Returns
    -------
    pandas.DataFrame
        The indicator schema of :data:`coverage.validation.INDICATOR_COLUMNS` plus
        ``data_status``, one row per commune.
    """
    u = urbanness(communes)
    codes = communes["code"].astype(str)
    highland = is_highland(codes)

    def pct(base: float, slope: float, salt: str) -> np.ndarray:
        return np.asarray(np.round(np.clip(base + slope * u + _jitter(codes, salt, 4.0), 1, 99), 1), dtype=float)

    ethnic = np.where(highland, 20 + 60 * (1 - u), 2 + 8 * (1 - u)) + _jitter(codes, "eth", 4.0)
    return pd.DataFrame({
        "commune_code": codes.to_numpy(),
        "commune_name": communes["name"].astype(str).to_numpy(),
        "adult_share_pct": np.round(np.clip(64 + 8 * u, 1, 99), 1),
        "smartphone_adult_pct": pct(45, 40, "phone"),
        "fixed_broadband_household_pct": pct(8, 62, "fbb"),
        "mobile_4g_population_pct": pct(72, 27, "4g"),
        "vneid_level2_adult_pct": pct(42, 38, "vneid"),
        "online_filing_pct": pct(20, 55, "filing"),
        "ethnic_minority_pct": np.round(np.clip(ethnic, 0.5, 99), 1),
        "is_remote_official": "",
        "data_status": INDICATOR_STATUS,
    })


def write_indicator_estimate(communes: pd.DataFrame, path: Path) -> None:
    """Write :func:`estimate_indicators` to ``path`` as UTF-8 CSV."""
    estimate_indicators(communes).to_csv(path, index=False, encoding="utf-8")


def make_sample_roster(
    communes: gpd.GeoDataFrame, *, seed: int = 2025, prefix: str = "GL"
) -> pd.DataFrame:
    """Make a SAMPLE roster: one team per commune, 10-20 members, seeded.

    Rules: wards get a fixed team at the one-stop office; communes with fewer than 150
    residents/km2 get a mobile team; members 10-20; weekly hours per member 3-8;
    every team has the VNeID and public-service-portal skills, others at random;
    highland teams speak Jrai or Bahnar with probability 0.7. Sparse highland
    communes (under 100 residents/km2, scattered villages) get a thin team: 10-13
    members giving 2-4 hours a week, as the programme reports for remote border areas
    where volunteers also travel far and farm.
    """
    rng = np.random.default_rng(seed)
    ordered = communes.sort_values("code").reset_index(drop=True)
    u = urbanness(ordered)
    highland = is_highland(ordered["code"])
    density = ordered["population"].to_numpy() / ordered["area_km2"].astype(float).clip(lower=0.01).to_numpy()
    rows = []
    extra_skills = ("social_insurance", "e_health", "cashless_payments", "ai_assistant")
    for i, rec in ordered.iterrows():
        skills = ["vneid", "public_service_portal"] + [s for s in extra_skills if rng.random() < 0.5]
        languages = ["vi"]
        if highland[i] and rng.random() < 0.7:
            languages.append(str(rng.choice(["jrai", "bahnar"])))
        mode = "fixed" if rec["kind"] == "phuong" or density[i] >= 150 else "mobile"
        members = int(rng.integers(10, 21))
        hours = float(rng.integers(3, 9)) if u[i] < 0.9 else float(rng.integers(4, 9))
        if highland[i] and density[i] < 100:
            members, hours = 10 + members % 4, 2.0 + members % 3
        rows.append({
            "team_id": f"{prefix}-{i + 1:03d}",
            "team_name": f"Đội TNTN {rec['full_name'] or rec['name']}",
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
        })
    return pd.DataFrame(rows)
