"""``lstmparams_verify`` against the real PyTorch and Keras: a page of every recorded Keras and
PyTorch case (``tests/data/framework_counts.json``), as option words and as pasted
constructors, agrees with the frameworks to the tensor; a page built under a patched convention
is caught, in a parallel build, and ``-W`` fails it.

These tests need ``torch`` and ``keras`` (Keras 3, on the backend ``KERAS_BACKEND`` names; torch
when unset). ``.ci/verify`` (run by ``.ci/run``) installs them (torch==2.13.0 CPU,
keras==3.15.1) in a virtual environment of its own and runs ``pytest -m verify``; elsewhere
they are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams.options import kebab

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture
DATA = Path(__file__).parent / "data" / "framework_counts.json"
MISSING = [name for name in ("torch", "keras") if importlib.util.find_spec(name) is None]
pytestmark = [
    pytest.mark.verify,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"needs {' and '.join(MISSING)}: .ci/verify (run by .ci/run) installs "
        "torch==2.13.0 (CPU) and keras==3.15.1 in a venv of its own and runs pytest -m verify",
    ),
]
FRAMEWORKS = ("keras", "pytorch")
PER_PAGE = 200
CONF = """\
extensions = ["sphinxcontrib_lstmparams"]
lstmparams_verify = ["torch", "keras"]
"""


@pytest.fixture(scope="module", autouse=True)
def keras_backend() -> Iterator[None]:
    """Keras on torch unless the environment names another backend (read at import)."""
    before = os.environ.get("KERAS_BACKEND")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    yield
    if before is None:
        os.environ.pop("KERAS_BACKEND", None)


def word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "x".join(map(str, value))
    return str(value)


def option_lines(options: dict[str, Any]) -> list[str]:
    return [
        f":{kebab(name)}:"
        if value is True and name == "bidirectional"
        else f":{kebab(name)}: {word(value)}"
        for name, value in options.items()
    ]


def directives() -> dict[str, list[str]]:
    """framework -> one directive per distinct recorded case (its options, then its pasted
    constructor), each expecting the recorded total."""
    cases = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
    found: dict[str, list[str]] = {framework: [] for framework in FRAMEWORKS}
    seen: set[str] = set()
    for case in cases:
        framework = case["framework"]
        if framework not in FRAMEWORKS:
            continue
        expect = [f":expect: {case['total']:,}", ":show: answer"]
        key = json.dumps([framework, case["options"]], sort_keys=True)
        if key not in seen:
            seen.add(key)
            body = [f":framework: {framework}", *option_lines(case["options"]), *expect]
            found[framework].append(".. lstm-params::\n" + "".join(f"   {b}\n" for b in body))
        constructor = case.get("constructor")
        if constructor and constructor not in seen:
            seen.add(constructor)
            body = [*option_lines(case.get("constructor_options", {})), *expect]
            found[framework].append(
                f".. lstm-params:: {constructor}\n" + "".join(f"   {b}\n" for b in body)
            )
    return found


def pages(blocks: list[str]) -> dict[str, str]:
    names = [f"part{start // PER_PAGE:02d}" for start in range(0, len(blocks), PER_PAGE)]
    found = {"index.rst": "Cases\n=====\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in names)}
    for number, name in enumerate(names):
        chunk = blocks[number * PER_PAGE : (number + 1) * PER_PAGE]
        found[f"{name}.rst"] = f"{name}\n{'=' * len(name)}\n\n" + "\n".join(chunk)
    return found


def infos(status: str) -> dict[str, str]:
    """library -> its lstmparams_verify info line."""
    found = {}
    for line in re.findall(r"lstmparams_verify: [^\n]*", status):
        library = re.search(r"\b(torch|keras)\b", line)
        assert library, line
        found[library[1]] = line
    return found


def test_every_recorded_case_agrees_with_the_frameworks(tmp_path: Path, project: Project) -> None:
    blocks = directives()
    assert len(blocks["pytorch"]) > 400 and len(blocks["keras"]) > 600  # options and pastes
    built = project(tmp_path, pages(blocks["pytorch"] + blocks["keras"]), conf=CONF)
    assert built.warnings == ""  # every :expect: holds and every layer agrees
    lines = infos(built.app.status.getvalue())
    for library, framework in (("torch", "pytorch"), ("keras", "keras")):
        assert re.fullmatch(
            rf"lstmparams_verify: {len(blocks[framework]):,} layers \([\d,]+ distinct\) checked "
            rf"against {library} [^ ]+ in [\d.]+ s \(import [\d.]+ s\): all agree",
            lines[library],
        ), lines
    record = json.loads(built.output("lstm-params.json"))["counts"]
    assert len(record) == len(blocks["pytorch"]) + len(blocks["keras"])


PATCH = """
import dataclasses
from sphinxcontrib_lstmparams import frameworks

# the rules before TF 2 (Keras GRU reset_after=False) and a PyTorch with one bias per gate
records = frameworks.FRAMEWORKS
records["keras"] = dataclasses.replace(records["keras"], reset_after=False)
records["pytorch"] = dataclasses.replace(
    records["pytorch"], biases=frameworks._one_bias, two_biases=False
)
"""
STALE = {
    "index.rst": "Stale\n=====\n\n.. toctree::\n   :glob:\n\n   *\n",
    "keras.rst": """\
Keras
=====

.. lstm-params::
   :cell: gru
   :units: 16
   :input-dim: 8

Before TF 2 the role said :lstm-params:`cell=gru, units=16, input-dim=8`.

.. lstm-params:: keras.layers.GRU(16, reset_after=False)
   :input-dim: 8
""",
    "torch.rst": """\
Torch
=====

.. lstm-params:: nn.LSTM(300, 512, num_layers=2)
""",
    "fine.md": "# Fine\n\n```{lstm-params}\n:cell: rnn\n:units: 4\n:input-dim: 3\n```\n",
    # more pages, so that Sphinx reads them in parallel (it does for more than five)
    **{f"prose{n}.rst": f"Prose {n}\n=======\n\nNo counts here.\n" for n in range(4)},
}


def test_a_patched_convention_is_caught_in_a_parallel_build(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name, text in STALE.items():
        (src / name).write_text(text, encoding="utf-8")
    conf = CONF.replace("]\n", ', "myst_parser"]\n', 1)
    (src / "conf.py").write_text(conf + PATCH, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-N", "-W", "--keep-going", "-j", "2", "-b", "html"]
    done = subprocess.run(
        [*command, str(src), str(tmp_path / "out")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 3, done.stderr
    keras_gru = (
        r"WARNING: lstm-params: keras \S+ disagrees with this count\. keras\.layers\.GRU\(16\) on "
        r"inputs of shape \(None, None, 8\): 1,248 parameters, where the page counts 1,200; "
        r"gru_0/gru_cell/bias is \(2, 48\), the page's make \(48,\)"
    )
    # in the order of lstmparams_verify, then of the pages
    assert re.search(rf"keras\.rst:4: {keras_gru}", warnings[1]), warnings
    assert re.search(rf"keras\.rst:9: {keras_gru}", warnings[2]), warnings
    # the pasted GRU says reset_after=False, so Keras builds what the (patched) page counts
    assert re.search(
        r"torch\.rst:4: WARNING: lstm-params: torch \S+ disagrees with this count\. "
        r"torch\.nn\.LSTM\(300, 512, num_layers=2\): 3,768,320 parameters, where the page "
        r"counts 3,764,224; bias_ih_l0 \(2048,\) is not on the page",
        warnings[0],
    ), warnings
    # chunks of pages ("fine .. keras") show the pages really went to two processes
    assert re.search(r"reading sources\.\.\. \[[ \d]+%\] \S+ \.\. \S+", done.stdout), done.stdout
    lines = infos(done.stdout)
    assert re.search(
        r"4 layers \(3 distinct\) checked against keras .*: 2 disagree$", lines["keras"]
    )
    assert re.search(
        r"1 layer \(1 distinct\) checked against torch .*: 1 disagree$", lines["torch"]
    )
