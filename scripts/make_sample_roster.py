"""Regenerate the committed SAMPLE roster ``data/teams/sample_roster_gia_lai.csv``.

Run after ``python -m coverage setup-data``::

    python scripts/make_sample_roster.py

The roster is made up (seed 2025) by :func:`coverage.samples.make_sample_roster`; it is
labelled a sample in its ``data_status`` column and in the app.
"""

from coverage import settings as cfg
from coverage.datasets import load_communes
from coverage.samples import make_sample_roster


def main() -> None:
    settings = cfg.load_settings()
    communes = load_communes(settings, province=cfg.DEFAULT_PROVINCE)
    roster = make_sample_roster(communes, seed=2025)
    out = cfg.PROJECT_ROOT / "data" / "teams" / cfg.SAMPLE_ROSTER_FILE
    roster.to_csv(out, index=False, encoding="utf-8")
    print(f"wrote {len(roster)} sample teams to {out}")


if __name__ == "__main__":
    main()
