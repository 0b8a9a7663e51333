"""The benchmark script still runs (its numbers live in docs/benchmarks.rst, not here)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "build_cost.py"


@pytest.mark.tools
def test_quick_benchmark_builds_both_projects() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(a) lstm-params directive" in done.stdout
    assert "(b) hand-written reST" in done.stdout
    assert "import sphinxcontrib_lstmparams" in done.stdout


RESULTS = SCRIPT.parent / "results"


# Each benchmark writes the summary docs/benchmarks.rst includes from its JSON: rewritten from
# the JSON kept in results/, it is the file kept beside it, byte for byte (and says what the
# docs quote).
SUMMARIES = [
    # script, its JSON, the summary it writes, what the summary must say
    ("build_cost.py", "verify_cost.json", "verify_summary.rst",
     [r"Build time without and with lstmparams_verify", r"(?m)^   \* - 1,000$"]),
    ("printed_cost.py", "printed_cost.json", "printed_summary.rst",
     [r"one page of 50 pasted summaries"]),
    ("paste_cost.py", "paste_cost.json", "paste_summary.rst",
     [r"one page of 100 models", r"200-line cell"]),
    ("big_page.py", "big_page.json", "big_page.rst", []),
]  # fmt: skip


@pytest.mark.parametrize(("script", "saved", "written", "says"), SUMMARIES)
def test_a_benchmark_summary_is_the_one_its_json_gives(
    tmp_path: Path, script: str, saved: str, written: str, says: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / script), "--from-json", str(RESULTS / saved),
         "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / written).read_text(encoding="utf-8")
    assert summary == (RESULTS / written).read_text(encoding="utf-8")
    for phrase in says:
        assert re.search(phrase, summary), phrase


@pytest.mark.verify
@pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("torch", "keras")),
    reason="needs torch and keras (.ci/verify installs them)",
)
def test_quick_verify_benchmark_builds_with_and_without() -> None:
    env = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "torch")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--verify"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Build time without and with lstmparams_verify" in done.stdout
    assert re.search(
        r"lstmparams_verify: \d+ layers \(\d+ distinct\) checked against torch", done.stdout
    )
    assert re.search(r"checked against keras \S+ in .*: all agree", done.stdout)
