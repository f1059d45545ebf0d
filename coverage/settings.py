"""Where the data lives and the province the tool opens on.

The data directory is read once from the environment (``COVERAGE_DATA_DIR``) or
defaults to ``data/`` beside the project; it is passed down as a frozen object, never
kept in module state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout that holds ``app.py`` and ``coverage/``."""

DATA_DIR_ENV = "COVERAGE_DATA_DIR"
SHARED_DATA_ENV = "COVERAGE_SHARED_DATA"

DEFAULT_PROVINCE = "Gia Lai"
DEFAULT_PROVINCE_CODE = "52"

GIA_LAI_FILE = "gia_lai_communes_2025.parquet"
NATIONAL_FILE = "vietnam_communes_2025_simplified.parquet"
PROVINCES_FILE = "vietnam_provinces_2025_from_communes.parquet"
BORDER_LINES_FILE = "ne10m_boundary_lines_vnm_khm_lao.geojson"
COUNTRIES_FILE = "ne50m_countries_vnm_khm_lao.geojson"
POPULATION_RASTER_FILE = "worldpop_vnm_ppp_2020_1km_UNadj.tif"
"""WorldPop 2020 population per ~1 km cell (CC BY 4.0): where people live in a commune."""
SHARED_FILES = (
    GIA_LAI_FILE,
    NATIONAL_FILE,
    PROVINCES_FILE,
    BORDER_LINES_FILE,
    COUNTRIES_FILE,
    POPULATION_RASTER_FILE,
    "PROVENANCE.md",
)

SAMPLE_ROSTER_FILE = "sample_roster_gia_lai.csv"
SAMPLE_INDICATORS_FILE = "indicators_gia_lai_estimate.csv"


@dataclass(frozen=True)
class Settings:
    """Locations of the project's data, read once and passed down.

    Attributes
    ----------
    data_dir
        Folder holding ``boundaries/``, ``teams/``, ``indicators/`` and the SQLite store.
    shared_data_dir
        Folder the set-up step copies the real data from (``../shared/data``).
    """

    data_dir: Path
    shared_data_dir: Path

    @property
    def boundaries_dir(self) -> Path:
        """Folder of the commune and province boundary files."""
        return self.data_dir / "boundaries"

    @property
    def teams_dir(self) -> Path:
        """Folder of the team rosters."""
        return self.data_dir / "teams"

    @property
    def indicators_dir(self) -> Path:
        """Folder of the indicator files."""
        return self.data_dir / "indicators"

    @property
    def population_raster_path(self) -> Path:
        """Path of the population raster (people per cell)."""
        return self.boundaries_dir / POPULATION_RASTER_FILE

    @property
    def store_path(self) -> Path:
        """Path of the SQLite store of rosters, indicators and scenarios."""
        return self.data_dir / "planning.sqlite3"

    @property
    def sample_roster_path(self) -> Path:
        """Path of the generated SAMPLE roster."""
        return self.teams_dir / SAMPLE_ROSTER_FILE

    @property
    def sample_indicators_path(self) -> Path:
        """Path of the indicator ESTIMATE written by set-up."""
        return self.indicators_dir / SAMPLE_INDICATORS_FILE


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the data locations from the environment.

    Parameters
    ----------
    environ
        Mapping to read instead of :data:`os.environ` (tests pass their own).

    Returns
    -------
    Settings
        ``COVERAGE_DATA_DIR`` or ``<project>/data``; ``COVERAGE_SHARED_DATA`` or
        ``<project>/../shared/data``.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(env.get(DATA_DIR_ENV) or PROJECT_ROOT / "data").expanduser().resolve()
    shared = Path(env.get(SHARED_DATA_ENV) or PROJECT_ROOT.parent / "shared" / "data")
    return Settings(data_dir=data_dir, shared_data_dir=shared.expanduser().resolve())
