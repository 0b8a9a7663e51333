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


def test_the_verify_summary_is_the_one_its_json_gives(tmp_path: Path) -> None:
    saved = RESULTS / "verify_cost.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--from-json", str(saved), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "verify_summary.rst").read_text(encoding="utf-8")
    assert summary == (RESULTS / "verify_summary.rst").read_text(encoding="utf-8")
    assert "Build time without and with lstmparams_verify" in summary
    assert re.search(r"^   \* - 1,000$", summary, re.MULTILINE)  # the N the docs quote


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


PRINTED = SCRIPT.parent / "printed_cost.py"


def test_the_printed_summary_is_the_one_its_json_gives(tmp_path: Path) -> None:
    saved = RESULTS / "printed_cost.json"
    done = subprocess.run(
        [sys.executable, str(PRINTED), "--from-json", str(saved), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "printed_summary.rst").read_text(encoding="utf-8")
    assert summary == (RESULTS / "printed_summary.rst").read_text(encoding="utf-8")
    assert "one page of 50 pasted summaries" in summary


def test_the_paste_summary_is_the_one_its_json_gives(tmp_path: Path) -> None:
    script = SCRIPT.parent / "paste_cost.py"
    saved = RESULTS / "paste_cost.json"
    done = subprocess.run(
        [sys.executable, str(script), "--from-json", str(saved), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "paste_summary.rst").read_text(encoding="utf-8")
    assert summary == (RESULTS / "paste_summary.rst").read_text(encoding="utf-8")
    assert "one page of 100 models" in summary and "200-line cell" in summary


def test_the_largest_page_summary_is_the_one_its_json_gives(tmp_path: Path) -> None:
    """docs/benchmarks.rst includes results/big_page.rst, written from big_page.json."""
    script = SCRIPT.parent / "big_page.py"
    saved = RESULTS / "big_page.json"
    done = subprocess.run(
        [sys.executable, str(script), "--from-json", str(saved), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "big_page.rst").read_text(encoding="utf-8")
    assert summary == (RESULTS / "big_page.rst").read_text(encoding="utf-8")
