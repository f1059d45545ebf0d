"""Regenerate the committed SAMPLE roster ``data/teams/sample_roster_gia_lai.csv``.

Run after ``python -m coverage setup-data``::

    python scripts/make_sample_roster.py

The roster is made up (seed 2025) by :func:`coverage.inputs.samples.sample_roster_for`, the
same rules as every other province's sample (the module docstring of
:mod:`coverage.inputs.samples`): one team per commune, Gia Lai's share of the programme's 4,821
teams to its most populous communes, thin teams in sparse highland communes. It is
labelled a sample in its ``data_status`` column and in the app.
"""

from coverage import settings as cfg
from coverage.inputs.datasets import load_commune_table, load_communes
from coverage.inputs.samples import sample_roster_for


def main() -> None:
    """Regenerate the SAMPLE roster file."""
    settings = cfg.load_settings()
    communes = load_communes(settings, province=cfg.DEFAULT_PROVINCE)
    roster = sample_roster_for(communes, load_commune_table(settings), prefix="GL")
    out = cfg.PROJECT_ROOT / "data" / "teams" / cfg.SAMPLE_ROSTER_FILE
    roster.to_csv(out, index=False, encoding="utf-8")
    print(f"wrote {len(roster)} sample teams to {out}")


if __name__ == "__main__":
    main()
