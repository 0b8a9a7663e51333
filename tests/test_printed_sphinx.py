"""``lstmparams_check_printed`` in a Sphinx build: which literal blocks are read, the warnings at
the file and line of the row to blame, summaries held against the Python block before them,
and pages that stay the same with the check on or off. One build per configuration, many
assertions each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "printed_summaries.json").read_text(encoding="utf-8"))["cases"]
MODEL_CASES = json.loads((DATA / "model_summaries.json").read_text(encoding="utf-8"))["cases"]
CELLS = json.loads((DATA / "code_cells.json").read_text(encoding="utf-8"))["cases"]
IMDB = next(
    c for c in CELLS if c["framework"] == "keras" and c["name"] == "imdb-lstm-keras2-example"
)


def _printed(framework: str, name: str) -> str:
    return next(c["printed"] for c in CASES if c["framework"] == framework and c["name"] == name)


KERAS3 = next(c["printed"] for c in MODEL_CASES if c["name"] == "imdb-bidirectional-lstm")
TORCHINFO = next(c["printed"] for c in MODEL_CASES if c["name"] == "gru-sentiment")
LENET = _printed("torchsummary", "lenet")
KERAS2 = _printed("keras2", "compiled-optimizer")


def _indent(text: str) -> str:
    return "\n".join("   " + line if line else "" for line in text.splitlines())


STALE_KERAS3 = KERAS3.replace("│             129 │", "│             257 │")
STALE_TORCHINFO = TORCHINFO.replace("Params size (MB): 16.93", "Params size (MB): 18.93")
STALE_LENET = LENET.replace("30,840", "30,841")

INDEX = f"""\
Pasted summaries
================

A stale one::

{_indent(STALE_KERAS3)}

.. code-block:: text
   :caption: torchinfo

{_indent(STALE_TORCHINFO)}

.. code-block:: python

{_indent(STALE_LENET)}

.. literalinclude:: keras2.txt

.. toctree::

   notes
   code
   code-md
"""
NOTES = f"""\
# Notes

```
{STALE_LENET}```

```python
{STALE_LENET}```

```console
{KERAS3}```
"""
KERAS2_FILE = KERAS2.replace("Total params: 2421 (9.46 KB)", "Total params: 2521 (9.46 KB)")
# (c): the code changed (64 units, not 128) after its summary was pasted; the code does not
# say max_features, the page does (a reST field; MyST front matter, here as a mapping)
UNKNOWN = IMDB["code"].replace("max_features = 20000\n", "")
CODE = UNKNOWN.replace("LSTM(128,", "LSTM(64,")
STALE_ROW = IMDB["printed"].replace("│         131,584 │", "│         131,585 │")
CODE_RST = f"""\
:lstmparams-define: max_features=20000

Code and its summary
====================

.. code-block:: python

{_indent(CODE)}

It prints::

{_indent(IMDB["printed"])}
"""
CODE_MD = f"""\
---
lstmparams-define:
  max_features: 20000
---
# Code and its summary in MyST

```python
{UNKNOWN}```

```
{STALE_ROW}```
"""
PAGES = {
    "index.rst": INDEX,
    "notes.md": NOTES,
    "keras2.txt": KERAS2_FILE,
    "code.rst": CODE_RST,
    "code-md.md": CODE_MD,
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory, project: Project) -> Any:
    root = tmp_path_factory.mktemp("checked")
    return project(root, PAGES, extra_conf="lstmparams_check_printed = True\n")


def _line(text: str, containing: str) -> int:
    """The 1-based line of ``containing`` in ``text``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if containing in line)


def test_each_problem_is_one_warning_at_the_line_to_blame(checked: Any) -> None:
    root = f"{checked.srcdir}/"
    warnings = checked.warnings.replace(root, "").splitlines()
    assert warnings == [
        f"code.rst:{_line(CODE_RST, '131,584')}: WARNING: printed Keras 3 summary: lstm (LSTM) "
        f"has 131,584 parameters, but the code before it (line {_line(CODE_RST, 'LSTM(64')}) "
        "gives 49,408 [lstmparams.printed]",
        f"code.rst:{_line(CODE_RST, '129 │')}: WARNING: printed Keras 3 summary: dense (Dense) "
        f"has 129 parameters, but the code before it (line {_line(CODE_RST, 'Dense(1,')}) "
        "gives 65 [lstmparams.printed]",
        f"code.rst:{_line(CODE_RST, 'Total params')}: WARNING: printed Keras 3 summary: Total "
        "params is 2,691,713, but the code before it gives 2,609,473 [lstmparams.printed]",
        f"code-md.md:{_line(CODE_MD, '131,585')}: WARNING: printed Keras 3 summary: lstm (LSTM) "
        f"has 131,585 parameters, but the code before it (line {_line(CODE_MD, 'LSTM(128')}) "
        "gives 131,584 [lstmparams.printed]",
        f"index.rst:{_line(INDEX, '│             257 │')}: WARNING: printed Keras 3 summary: "
        "dense (Dense) has 257 parameters, but a Dense layer of 1 unit fed 128 features has 129 "
        "(128 without a bias) [lstmparams.printed]",
        f"index.rst:{_line(INDEX, 'Params size (MB): 18.93')}: WARNING: printed torchinfo "
        "summary: Params size (MB) is 18.93, but 4,233,121 parameters of 4 bytes are 16.93 MB "
        "(of 10^6 bytes) [lstmparams.printed]",
        f"keras2.txt:{_line(KERAS2_FILE, 'Total params: 2521')}: WARNING: printed Keras 2 "
        "summary: Total params is 2521, but the rows add up to 2,421, and so do Trainable params "
        "2421 + Non-trainable params 0 [lstmparams.printed]",
        f"notes.md:{_line(NOTES, '30,841')}: WARNING: printed torchsummary summary: Linear-6 has "
        "30,841 parameters, but a Linear with 120 outputs has a multiple of 120 ((inputs + 1) × "
        "120, or inputs × 120 without a bias), such as 30,840 or 30,960 [lstmparams.printed]",
    ]


def test_the_check_changes_no_page(checked: Any, tmp_path: Path, project: Project) -> None:
    off = project(tmp_path / "off", PAGES)
    assert off.warnings == ""
    pages = sorted(p.relative_to(off.outdir) for p in off.outdir.rglob("*.html"))
    assert pages
    for page in pages:
        assert (checked.outdir / page).read_bytes() == (off.outdir / page).read_bytes(), page


def test_a_bad_value_warns_once_and_keeps_the_check_off(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {"index.rst": INDEX.split(".. literalinclude::")[0]},
        extra_conf='lstmparams_check_printed = "yes"\n',
    )
    assert built.warnings.count("WARNING") == 1
    assert "lstmparams_check_printed: 'yes' is not True or False; using False" in built.warnings


TINY = next(c["printed"] for c in MODEL_CASES if c["name"] == "tiny-simplernn")
TINY_CELL = [
    "%matplotlib inline\n",
    "import keras\n",
    "from keras import layers\n",
    "model = keras.Sequential([keras.Input((3, 2)), layers.SimpleRNN(2), layers.Dense(1)])\n",
    "model.summary()",
]


def _code_cell(name: str, source: list[str], printed: str) -> dict[str, Any]:
    output = {"name": "stdout", "output_type": "stream", "text": printed.splitlines(True)}
    return {
        "cell_type": "code",
        "id": name,
        "execution_count": 1,
        "metadata": {},
        "outputs": [output],
        "source": source,
    }


def test_a_notebook_output_is_checked_where_myst_nb_keeps_it(
    tmp_path: Path, project: Project
) -> None:
    changed = [line.replace("SimpleRNN(2)", "SimpleRNN(3)") for line in TINY_CELL]
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "title", "metadata": {}, "source": ["# A notebook"]},
            _code_cell("summary", ["summary(model, (1, 28, 28))"], STALE_LENET),
            _code_cell("as-run", TINY_CELL, TINY),  # the model and its own output
            _code_cell("changed", changed, TINY),  # the code changed since it ran
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    conf = 'extensions = ["sphinxcontrib_lstmparams", "myst_nb"]\nnb_execution_mode = "off"\n'
    built = project(
        tmp_path,
        {"index.ipynb": json.dumps(notebook)},
        conf=conf,
        extra_conf="lstmparams_check_printed = True\n",
    )
    printed = [line for line in built.warnings.splitlines() if "[lstmparams.printed]" in line]
    assert len(printed) == 4
    assert all("index.ipynb:" in line for line in printed)
    assert "Linear-6 has 30,841 parameters" in printed[0]
    assert f"(line {_line(STALE_LENET, '30,841')} of the block)" in printed[0]
    where = "the code before it (line 4 of cell 4 of the notebook)"
    assert [line.split(": WARNING: ")[1] for line in printed[1:]] == [
        f"printed Keras 3 summary: simple_rnn (SimpleRNN) has 10 parameters, but {where} gives "
        f"18 (line {_line(TINY, 'simple_rnn')} of the block) [lstmparams.printed]",
        f"printed Keras 3 summary: dense (Dense) has 3 parameters, but {where} gives 4 "
        f"(line {_line(TINY, 'dense (Dense)')} of the block) [lstmparams.printed]",
        "printed Keras 3 summary: Total params is 13, but the code before it gives 22 "
        f"(line {_line(TINY, 'Total params')} of the block) [lstmparams.printed]",
    ]
