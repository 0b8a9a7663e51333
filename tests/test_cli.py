"""The ``lstm-params`` command: a readable table, JSON, and one-line errors with status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sphinxcontrib_lstmparams.cli import build_parser, main


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


def test_help_says_what_each_flag_takes_and_shows_examples() -> None:
    done = run("--help")
    assert done.returncode == 0
    for words in ("--framework FRAMEWORK", "keras, pytorch, onnx", "(default: keras)", "--rows"):
        assert words in done.stdout, words
    assert "examples:\n  lstm-params --units 256 --input-dim 4096" in done.stdout
    helps = [a.help for a in build_parser()._actions if a.option_strings != ["-h", "--help"]]
    assert all(helps), "a flag without help"


def test_rows_fold_or_unfold_the_gates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--units", "8", "--input-dim", "3", "--layers", "2", "--rows", "gates"]) == 0
    assert capsys.readouterr().out.count("forget gate") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "3"], "unrecognized argument --unit; did you mean --units?"),
        (["--units", "3", "--units", "4"], "--units: given twice"),
        (["--units", "3", "--hidden-size", "4", "--input-dim", "3"], "units: given twice"),
        (["--units", "3", "--input-dim", "3", "--rows", "gate"], "--rows: 'gate' is not one of"),
        (["--units", "x", "--input-dim", "3"], "--units: 'x' is not a whole number"),
        (["--units", "3"], "--input-dim is required"),
        (["--units", "3", "--input-dim", "3", "--peepholes"], "--peepholes: Keras LSTM has no"),
        (["--zzz", "3"], "unrecognized arguments: --zzz"),
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
