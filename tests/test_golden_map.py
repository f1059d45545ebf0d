"""The Gia Lai map's HTML is byte-for-byte what it was before the maps split (issue 11).

The reference is a SHA-256 of the HTML, not the HTML: it is derived from the real data,
which is never committed. Folium's element ids (32 random hex digits, new on every run) are
the only part masked. When the map changes on purpose, regenerate the digests with
``python tests/test_golden_map.py --update`` and say why in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

from coverage import planning
from coverage import settings as cfg
from coverage.outputs.maps.build import build_map
from coverage.outputs.maps.export import map_html

DIGESTS = Path(__file__).resolve().parent / "golden" / "gia_lai_map_sha256.json"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LANGS = ("vi", "en")
_RANDOM_ID = re.compile(r"[0-9a-f]{32}")


def normalised_html(settings: cfg.Settings, lang: str) -> bytes:
    """The analysed Gia Lai map (teams, reach, flags, labels) with folium's ids masked."""
    inputs = planning.load_inputs(settings, province=cfg.DEFAULT_PROVINCE)
    analysis = planning.analyze(inputs, settings=settings)
    m = build_map(
        analysis.communes,
        inputs.teams,
        lang="en" if lang == "en" else "vi",
        show_reach=True,
        teams_is_sample=True,
        indicators_is_estimate=True,
        title='Gia Lai <&> "map"',
    )
    return _RANDOM_ID.sub("0" * 32, map_html(m)).encode("utf-8")


@pytest.mark.realdata
@pytest.mark.parametrize("lang", LANGS)
def test_gia_lai_map_html_is_unchanged(lang: str, real_settings: cfg.Settings) -> None:
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))[lang]
    html = normalised_html(real_settings, lang)
    if hashlib.sha256(html).hexdigest() != expected:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"golden_map_{lang}.html").write_bytes(html)
        pytest.fail(f"the Gia Lai map HTML changed; see tests/artifacts/golden_map_{lang}.html")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden_map.py --update")
    settings = cfg.load_settings()
    digests = {lang: hashlib.sha256(normalised_html(settings, lang)).hexdigest() for lang in LANGS}
    DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(digests, indent=1))
