"""Models Keras 3 and PyTorch refuse to build or run (``tests/data/refused_models.json``,
``scripts/record_refused_models.py``): each is refused at the line the framework stopped at,
with one located warning that quotes what the framework said, and has no total, in a built
page (reST and MyST), on the command line, in JSON and in the mystmd plugin's answer.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams.model.printers import summary_text
from sphinxcontrib_lstmparams.model.read import summarize
from sphinxcontrib_lstmparams.model.summary import ModelSummary

DATA = json.loads(
    (Path(__file__).parent / "data" / "refused_models.json").read_text(encoding="utf-8")
)
CASES = {f"{case['framework']}:{case['name']}": case for case in DATA["cases"]}
TITLES = {"keras": "Keras", "pytorch": "PyTorch"}
Project = Callable[..., Any]


def options_of(case: dict[str, Any]) -> list[str]:
    shape = case.get("input_shape")
    return [] if shape is None else [f":input-shape: {', '.join(map(str, shape))}"]


def rebuilt(case: dict[str, Any]) -> ModelSummary:
    return summarize(case["lines"], input_shape=case.get("input_shape"))


def the_warning(summary: ModelSummary, line: int) -> str:
    """What the summary warns about at ``line`` (a layer's row, or a step)."""
    rows = [f"{row.name} is not counted: {row.problem}" for row in summary.rows if row.line == line]
    steps = [problem for at, problem in summary.step_problems if at == line]
    (found,) = [*rows, *steps]
    return found


def test_the_recordings_cover_the_issue() -> None:
    assert len([c for c in CASES.values() if c["framework"] == "keras"]) >= 25
    assert len([c for c in CASES.values() if c["framework"] == "pytorch"]) >= 20
    assert all(case["error"]["message"] for case in CASES.values())


@pytest.mark.parametrize("key", sorted(CASES))
def test_refused_at_the_line_that_breaks_in_the_frameworks_words(key: str) -> None:
    case = CASES[key]
    summary = rebuilt(case)
    assert summary.refused_at == case["refused_at"]
    warning = the_warning(summary, case["refused_at"])
    title = TITLES[case["framework"]]
    said = f'{title} refuses it: "{case["says"]}")' if case["says"] else f"{title} refuses it)"
    assert warning.endswith(said), warning
    assert case["says"] is None or case["says"] in case["error"]["message"]
    text = summary_text(summary)
    assert f"Total params: none: {title} would not build this model\n" in text
    assert not re.search(r"(Trainable params|mult-adds|Params size)", text)
    data = summary.as_dict()
    assert data["total"] is data["trainable"] is data["non_trainable"] is None
    assert data["refused_at"] == case["refused_at"] + 1


PAGE_CASES = ["keras:lstm-after-lstm-without-return-sequences", "pytorch:index-out-of-bounds"]


def rst_page() -> tuple[str, dict[str, int]]:
    """Every refused model on one page; key -> the file line of the line that breaks."""
    text, lines = "Refused\n=======\n\n", {}
    for key, case in sorted(CASES.items()):
        body = [*options_of(case), *([""] if options_of(case) else []), *case["lines"]]
        start = text.count("\n") + 2  # the first body line
        text += ".. model-summary::\n" + "".join(f"   {line}\n" if line else "\n" for line in body)
        text += "\nAfter.\n\n"
        lines[key] = start + len(body) - len(case["lines"]) + case["refused_at"]
    return text, lines


def md_page() -> tuple[str, dict[str, int]]:
    text, lines = "# Refused\n\n", {}
    for key in PAGE_CASES:
        case = CASES[key]
        body = [*options_of(case), *case["lines"]]
        start = text.count("\n") + 2
        text += "```{model-summary}\n" + "".join(f"{line}\n" for line in body) + "```\n\nAfter.\n\n"
        lines[key] = start + len(options_of(case)) + case["refused_at"]
    return text, lines


def test_a_built_page_warns_at_each_line_that_breaks_and_shows_no_total(
    project: Project, tmp_path: Path
) -> None:
    rst, rst_lines = rst_page()
    md, md_lines = md_page()
    built = project(tmp_path, {"index.rst": rst + ".. toctree::\n\n   refused\n", "refused.md": md})
    warnings = [line for line in built.warnings.splitlines() if "WARNING" in line]
    assert all("WARNING: model-summary: " in line for line in warnings), warnings
    expected = 0
    for key, case in CASES.items():
        summary = rebuilt(case)
        expected += len(summary.problems) + len(summary.step_problems)
        said = the_warning(summary, case["refused_at"])
        at = f"index.rst:{rst_lines[key]}: WARNING: model-summary: {said}"
        assert any(line.endswith(f"{at} [lstmparams.model]") for line in warnings), (at, warnings)
    for key, line in md_lines.items():
        said = the_warning(rebuilt(CASES[key]), CASES[key]["refused_at"])
        assert any(f"refused.md:{line}: WARNING: model-summary: {said}" in w for w in warnings)
    md_expected = sum(
        len(rebuilt(CASES[k]).problems) + len(rebuilt(CASES[k]).step_problems) for k in md_lines
    )
    assert len(warnings) == expected + md_expected
    # a layer that is not counted leaves a warning box where the summary would be; a step
    # torch refuses leaves the summary, whose totals say there are none
    for name, keys in (("index.html", sorted(CASES)), ("refused.html", PAGE_CASES)):
        html = built.output(name)
        boxed = sum(bool(rebuilt(CASES[key]).problems) for key in keys)
        assert html.count("After.") == len(keys)
        assert html.count("This model summary is not shown") == boxed
        assert html.count("would not build this model") == len(keys) - boxed
        assert "Trainable params" not in html and "Total params: at least" not in html


def run_cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("key", PAGE_CASES)
def test_the_command_line_fails_with_the_warning_and_no_total(key: str) -> None:
    case = CASES[key]
    shape = (
        ["--input-shape", ", ".join(map(str, case["input_shape"]))] if "input_shape" in case else []
    )
    done = run_cli("--model", "-", *shape, stdin="\n".join(case["lines"]))
    title = TITLES[case["framework"]]
    assert done.returncode == 1
    assert f"Total params: none: {title} would not build this model" in done.stdout
    said = the_warning(rebuilt(case), case["refused_at"])
    line = f"lstm-params: warning: line {case['refused_at'] + 1}: {said}\n"
    assert line in done.stderr
    data = json.loads(
        run_cli("--model", "-", "--json", *shape, stdin="\n".join(case["lines"])).stdout
    )
    assert data["total"] is None and data["refused_at"] == case["refused_at"] + 1


def test_the_mystmd_plugin_answers_with_no_total_and_the_warning() -> None:
    case = CASES["keras:reshape-3x3-of-10"]  # a layer not counted: the warning box
    body = "\n".join(case["lines"])
    call = {
        "name": "model-summary",
        "node": {
            "type": "mystDirective",
            "name": "model-summary",
            "value": body,
            "position": {"start": {"line": 3, "column": 1}, "end": {"line": 7, "column": 1}},
            "children": [
                {
                    "type": "mystDirectiveBody",
                    "value": body,
                    "position": {
                        "start": {"line": 4, "column": 1},
                        "end": {"line": 6, "column": 1},
                    },
                }
            ],
        },
    }
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams.myst", "--directive", "model-summary"],
        input=json.dumps(call),
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(done.stdout)
    text = json.dumps(answer, ensure_ascii=False)
    assert "This model summary is not shown" in text and "Total params" not in text
    said = json.dumps(the_warning(rebuilt(case), 1), ensure_ascii=False)[1:-1]
    assert said in text  # in the box, as in a Sphinx page
    carriers = [node for node in answer if node["type"] == "mystRole"]
    (carrier,) = carriers
    option = carrier["children"][0]
    assert option["name"] == "model-summary: " + the_warning(rebuilt(case), 1)
    assert option["position"]["start"]["line"] == 5
