"""The ``lstm-params`` command: a readable table, JSON, and one-line errors with status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sphinxcontrib_lstmparams.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_seed_case_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--units", "256", "--input-dim", "4096", "--timesteps", "16"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Keras LSTM, 256 units, 4,096 input features has 4,457,472 trainable parameters.\n"
    )
    assert "  = 4 × ((4,096 + 1) × 256 + 256²)\n  = 4,457,472" in out
    total_row = next(line for line in out.splitlines() if line.startswith("Total"))
    assert total_row.endswith(" 4,457,472")
    assert "Timesteps (16) do not change the count" in out


def test_json_has_total_tensors_formula_bytes_macs() -> None:
    done = run("--cell", "rnn", "--units", "4", "--input-dim", "3", "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["total"] == 32
    assert [t["count"] for t in data["tensors"]] == [12, 16, 4]
    assert data["bytes"] == 128
    assert data["macs_per_step"] == 28
    assert data["formula"]["text"].endswith("= 32")


def test_pytorch_spelling_and_flag() -> None:
    done = run(
        "--hidden-size",
        "256",
        "--input-size",
        "4096",
        "--framework",
        "pytorch",
        "--bidirectional",
        "--json",
    )
    assert json.loads(done.stdout)["total"] == 2 * 4458496


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--units", "x", "--input-dim", "3"], "--units: 'x' is not a whole number"),
        (["--units", "3"], "--input-dim is required"),
        (["--units", "3", "--input-dim", "3", "--peepholes"], "--peepholes: Keras LSTM has no"),
        (["--unit", "3"], "unrecognized arguments: --unit 3"),
        (["--units", "3", "--input-dim", "3", "--cell"], "argument --cell: expected one argument"),
    ],
)
def test_bad_arguments_one_line_status_2(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
