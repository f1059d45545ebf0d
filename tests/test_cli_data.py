"""``python -m coverage setup-data`` and ``validate``, end to end in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coverage import settings as cfg
from coverage.errors import InputError
from coverage.inputs.datasets import load_communes, setup_data

PROJECT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coverage", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_missing_data_says_where_it_looked_and_what_to_run(tmp_path: Path) -> None:
    settings = cfg.Settings(data_dir=tmp_path / "data", shared_data_dir=tmp_path / "nowhere")
    with pytest.raises(InputError) as info:
        setup_data(settings)
    message = info.value.problems[0].message("en")
    assert str(tmp_path / "nowhere") in message and "make data" in message
    with pytest.raises(InputError):
        load_communes(settings)


def test_settings_read_the_data_dir_from_the_environment(tmp_path: Path) -> None:
    settings = cfg.load_settings({cfg.DATA_DIR_ENV: str(tmp_path)})
    assert settings.data_dir == tmp_path.resolve()
    assert settings.boundaries_dir == tmp_path.resolve() / "boundaries"


@pytest.mark.realdata
def test_default_data_has_135_communes_and_the_corrected_population() -> None:
    communes = load_communes(cfg.load_settings())
    assert len(communes) == 135
    assert int(communes["population"].sum()) == 3_583_691
    assert communes["code"].is_unique


@pytest.mark.realdata
def test_validate_clean_sample_roster_exits_zero() -> None:
    result = run_cli("validate", "--teams", "data/teams/sample_roster_gia_lai.csv")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi" in result.stdout


@pytest.mark.realdata
def test_validate_lists_every_problem_and_exits_non_zero(tmp_path: Path) -> None:
    sample = (PROJECT / "data" / "teams" / "sample_roster_gia_lai.csv").read_text(encoding="utf-8")
    lines = sample.splitlines()
    header = lines[0].split(",")
    drop = header.index("weekly_hours")

    def without(line: str) -> str:
        import csv
        import io

        cells = next(csv.reader(io.StringIO(line)))
        del cells[drop]
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        return out.getvalue()

    rows = [without(line) for line in lines]
    rows[3] = rows[3].replace(",21", ",99", 1)  # row 4: wrong commune code (21xxx -> 99xxx)
    cells = rows[5].split(",")
    members = header.index("members")
    cells[members] = "-3"  # row 6: negative member count
    rows[5] = ",".join(cells)
    bad = tmp_path / "bad_roster.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("--lang", "en", "validate", "--teams", str(bad))
    assert result.returncode == 1
    out = result.stdout
    assert "bad_roster.csv: column 'weekly_hours': required column is missing" in out
    assert "bad_roster.csv: row 4, column 'commune_code'" in out
    assert "bad_roster.csv: row 6, column 'members': is out of range (got -3)" in out
    assert "3 error(s)" in out


def test_validate_without_files_explains_usage() -> None:
    result = run_cli("validate")
    assert result.returncode == 2
    assert "--teams" in result.stderr
