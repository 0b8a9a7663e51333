"""The benchmark script still runs (its numbers live in docs/benchmarks.rst, not here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "build_cost.py"


def test_quick_benchmark_builds_both_projects() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "(a) lstm-params directive" in done.stdout
    assert "(b) hand-written reST" in done.stdout
    assert "import sphinxcontrib_lstmparams" in done.stdout
