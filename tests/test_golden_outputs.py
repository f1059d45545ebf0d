"""The CLI's JSON on Gia Lai is byte-for-byte what it was before the restructure (issue 11).

The reference is a SHA-256 of the output, not the output: the output is derived from the
real data, which is never committed. Run times are the only fields masked (they differ
from run to run). When behaviour changes on purpose, regenerate the digests with
``python tests/test_golden_outputs.py --update`` and say why in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).resolve().parent / "golden" / "gia_lai_cli_sha256.json"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

COMMANDS: dict[str, list[str]] = {
    "analyze": ["analyze", "--format", "json"],
    "plan_10_border": ["plan", "--new-teams", "10", "--require-border", "--format", "json"],
}
TIMING_FIELDS = {"runtime_s"}


def _mask_timings(value: object) -> object:
    if isinstance(value, dict):
        return {k: (0 if k in TIMING_FIELDS else _mask_timings(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_timings(v) for v in value]
    return value


def normalised_output(name: str) -> bytes:
    """The command's stdout with run times set to 0, re-serialised exactly as the CLI does."""
    done = subprocess.run(
        [sys.executable, "-m", "coverage", *COMMANDS[name]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    text = json.dumps(_mask_timings(data), ensure_ascii=False, indent=1, sort_keys=True)
    return text.encode("utf-8")


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_json_is_unchanged(name: str, real_settings: object) -> None:
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))[name]
    output = normalised_output(name)
    digest = hashlib.sha256(output).hexdigest()
    if digest != expected:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"golden_{name}.json").write_bytes(output)
    assert digest == expected, (
        f"`coverage {' '.join(COMMANDS[name])}` changed; the new output is in "
        f"tests/artifacts/golden_{name}.json (compare with the output of the last commit)"
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden_outputs.py --update")
    DIGESTS.parent.mkdir(parents=True, exist_ok=True)
    digests = {name: hashlib.sha256(normalised_output(name)).hexdigest() for name in COMMANDS}
    DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(digests, indent=1))
