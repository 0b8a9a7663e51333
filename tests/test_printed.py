"""Printed summaries read back and checked (sphinxcontrib_lstmparams.printed): no false alarm on
what the tools really print, every planted error caught at its line, and text that is not a
summary left alone. The Sphinx check and the command line are tested at the end."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams.cli import main
from sphinxcontrib_lstmparams.printed import check_text, find_summaries
from sphinxcontrib_lstmparams.printed.blocks import file_blocks

DATA = Path(__file__).parent / "data"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


MODEL_SUMMARIES = _load("model_summaries.json")["cases"]
RECORDED = _load("printed_summaries.json")["cases"]
FROM_THE_WEB = _load("printed_from_the_web.json")["cases"]


def _texts() -> list[tuple[str, str]]:
    """(name, text) of every real printed summary the repository keeps."""
    texts = [
        (f"{case['framework']}:{case['name']}:{key}", case[key])
        for case in MODEL_SUMMARIES
        for key in sorted(case)
        if key.startswith("printed")
    ]
    texts += [(f"{case['framework']}:{case['name']}", case["printed"]) for case in RECORDED]
    texts += [(f"web:{i}:{case['source']}", case["text"]) for i, case in enumerate(FROM_THE_WEB)]
    return texts


# -- what the tools print: read right, no false alarm --------------------------------------------


def test_every_real_summary_is_found_once_and_gets_no_warning() -> None:
    texts = _texts()
    assert len(texts) > 180
    tools = set()
    for name, text in texts:
        found = find_summaries(text)
        assert len(found) == 1, name
        tools.add(found[0].tool)
        assert check_text(text) == [], name
    assert tools == {"keras2", "keras3", "torchinfo", "torchsummary"}


@pytest.mark.parametrize("case", RECORDED, ids=lambda c: f"{c['framework']}-{c['name']}")
def test_recorded_totals_are_read_as_the_framework_counted_them(case: dict[str, Any]) -> None:
    (summary,) = find_summaries(case["printed"])
    assert summary.tool == case["framework"]
    counts = summary.counts
    optimizer = counts["Optimizer params"].count if "Optimizer params" in counts else 0
    assert counts["Total params"].count - optimizer == case["total"]
    assert counts["Trainable params"].count == case["trainable"]
    assert counts["Non-trainable params"].count == case["non_trainable"]
    assert summary.rows and not summary.elided


def _recorded(framework: str, name: str) -> str:
    return next(c["printed"] for c in RECORDED if c["framework"] == framework and c["name"] == name)


def test_rows_of_each_layout() -> None:
    (keras3,) = find_summaries(_recorded("keras3", "nested-expanded-trainable"))
    assert [(r.name, r.cls, r.depth, r.params) for r in keras3.rows][:3] == [
        ("encoder", "Sequential", 0, 4624),
        ("gru", "GRU", 1, 3840),
        ("simple_rnn", "SimpleRNN", 1, 784),
    ]
    assert keras3.rows[0].has_children and not keras3.rows[1].has_children
    (keras2,) = find_summaries(_recorded("keras2", "seq2seq-connected-to"))
    wrapped = keras2.rows[3]  # "repeat_vector (RepeatVecto" / "r)" in tf_keras
    assert (wrapped.label, wrapped.connected_to) == (
        "repeat_vector (RepeatVector)",
        ("lstm[0][0]",),
    )
    assert keras2.rows[4].connected_to == ("repeat_vector[0][0]", "lstm[0][1]", "lstm[0][2]")
    (verbose,) = find_summaries(_recorded("torchinfo", "frozen-verbose-2"))
    assert [(r.cls, r.params_text) for r in verbose.rows] == [
        ("Frozen", "--"),
        ("Embedding", "(500)"),
        ("GRU", "4,440"),
        ("Linear", "42"),
    ]
    (shared,) = find_summaries(_recorded("torchinfo", "with-token-var-names-ascii"))
    assert [r.depth for r in shared.rows] == [0, 1, 1, 1, 2, 3, 3, 2, 3, 3, 1]
    assert not shared.rows[2].counted  # (recursive)


# -- planted errors, each caught at its line ------------------------------------------------------

KERAS3 = next(c["printed"] for c in MODEL_SUMMARIES if c["name"] == "imdb-bidirectional-lstm")
KERAS2 = _recorded("keras2", "compiled-optimizer")
TORCHINFO = _recorded("torchinfo", "tagger-every-column")
TORCHSUMMARY = _recorded("torchsummary", "lenet")


def _replace(old: str, new: str) -> Callable[[str], str]:
    def plant(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return plant


def _delete(containing: str, also_next: bool = False) -> Callable[[str], str]:
    def plant(text: str) -> str:
        lines = text.splitlines(keepends=True)
        (index,) = [i for i, line in enumerate(lines) if containing in line]
        del lines[index : index + (2 if also_next else 1)]
        return "".join(lines)

    return plant


# (the summary, the change, the text of the line to blame, words the message must hold)
PLANTED = {
    "keras3-row": (
        KERAS3,
        _replace("│             129 │", "│             130 │"),
        "dense (Dense)",
        ["130", "129"],
    ),
    "keras3-total": (
        KERAS3,
        _replace("Total params: 2,757,761 (10.52 MB)", "Total params: 2,757,771 (10.52 MB)"),
        "Total params",
        ["2,757,771", "2,757,761"],
    ),
    "keras3-row-deleted": (
        KERAS3,
        _delete("embedding (Embedding)", also_next=True),
        "Total params",
        ["197,761", "2,757,761"],
    ),
    "keras3-trainable": (
        KERAS3,
        _replace("Non-trainable params: 0 (0.00 B)", "Non-trainable params: 12 (48.00 B)"),
        "Trainable params: 2,757,761",
        ["2,757,773", "2,757,761"],
    ),
    "keras3-size": (
        KERAS3,
        _replace("Total params: 2,757,761 (10.52 MB)", "Total params: 2,757,761 (10.62 MB)"),
        "Total params",
        ["10.62 MB", "10.52 MB"],
    ),
    "keras2-row": (
        KERAS2,
        _replace("(None, 1)                 21 ", "(None, 1)                 23 "),
        "dense (Dense)",
        ["23", "21"],
    ),
    "keras2-total": (
        KERAS2,
        _replace("Total params: 2421 (9.46 KB)", "Total params: 2422 (9.46 KB)"),
        "Total params",
        ["2422", "2,421"],
    ),
    "keras2-size": (
        KERAS2,
        _replace("Trainable params: 2421 (9.46 KB)", "Trainable params: 2421 (9.56 KB)"),
        "Trainable params",
        ["9.56 KB", "9.46 KB"],
    ),
    "torchinfo-row": (
        TORCHINFO,
        _replace("[4, 7, 32]                544 ", "[4, 7, 32]                545 "),
        "Linear: 2-1",
        ["545", "544"],
    ),
    "torchinfo-row-deleted": (
        TORCHINFO,
        _delete("├─Embedding: 1-1"),
        "Total params",
        ["12,421", "14,021"],
    ),
    "torchinfo-non-trainable": (
        TORCHINFO,
        _replace("Non-trainable params: 0", "Non-trainable params: 100"),
        "Trainable params",
        ["14,121", "14,021"],
    ),
    "torchinfo-size": (
        TORCHINFO,
        _replace("Params size (MB): 0.06", "Params size (MB): 0.16"),
        "Params size (MB)",
        ["0.16", "0.06"],
    ),
    "torchsummary-row": (
        TORCHSUMMARY,
        _replace("30,840", "30,841"),
        "Linear-6",
        ["30,841", "120"],
    ),
    "torchsummary-total": (
        TORCHSUMMARY,
        _replace("Total params: 34,874", "Total params: 34,875"),
        "Total params",
        ["34,874", "34,875"],
    ),
    "torchsummary-size": (
        TORCHSUMMARY,
        _replace("Params size (MB): 0.13", "Params size (MB): 0.23"),
        "Params size (MB)",
        ["0.23", "0.13"],
    ),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_error_is_caught_at_its_line(name: str) -> None:
    text, plant, blamed, words = PLANTED[name]
    changed = plant(text)
    problems = check_text(changed)
    lines = changed.splitlines()
    assert problems, name
    first = problems[0]
    assert blamed in lines[first.line], (name, lines[first.line], problems)
    for word in words:
        assert word in first.message, (name, first.message)


def test_a_row_already_blamed_is_not_blamed_again_through_the_total() -> None:
    changed = _replace("│             129 │", "│             130 │")(KERAS3)
    (problem,) = check_text(changed)
    assert "dense (Dense)" in changed.splitlines()[problem.line]
    assert problem.message == (
        "printed Keras 3 summary: dense (Dense) has 130 parameters, but a Dense layer of 1 unit "
        "fed 128 features has 129 (128 without a bias)"
    )


# -- text that is not a summary -------------------------------------------------------------------

DECOYS = {
    "results table": """\
| model      | params    | accuracy |
|------------|-----------|----------|
| LSTM(64)   | 98,816    | 0.87     |
| GRU(64)    | 74,496    | 0.86     |
Total params: 173,312 across both
""",
    "training log": """\
Epoch 1/3
782/782 ━━━━━━━━━━━━━━━━━━━━ 41s 50ms/step - accuracy: 0.71 - loss: 0.54 - val_loss: 0.38
Epoch 2/3
782/782 ━━━━━━━━━━━━━━━━━━━━ 39s 49ms/step - accuracy: 0.88 - loss: 0.30 - val_loss: 0.33
Total params: 2,757,761 (10.52 MB)
""",
    "directory tree": """\
project/
├── model.py
│   └── Param #  (not a column)
└── README.md
""",
    "dataframe": """\
   layer        Param #  Output Shape
0  embedding  2560000    (None, None, 128)
1  dense      129        (None, 1)
""",
    "box diagram": """\
┏━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)  ┃ Param #       ┃
┡━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input → LSTM  │ → Dense       │
""",
    "markdown table of a summary": """\
| Layer (type) |Output Shape  |  Param #  |
| :---         |     :---:      |          ---: |
| dense_8 (Dense)    | (None, 256)      |  1,843,456   |

 Total params: 1,850,393 (7.06 MB)
 Trainable params: 1,850,393 (7.06 MB)
 Non-trainable params: 0 (0.00 B)
""",
    "pytorch print(model)": """\
Net(
  (lstm): LSTM(300, 512, num_layers=2)
  (fc): Linear(in_features=512, out_features=10, bias=True)
)
Total params: 3,784,580
""",
}


@pytest.mark.parametrize("name", sorted(DECOYS))
def test_text_that_is_not_a_summary_is_left_alone(name: str) -> None:
    assert find_summaries(DECOYS[name]) == []
    assert check_text(DECOYS[name]) == []


def test_a_summary_with_rows_left_out_is_not_added_up() -> None:
    lines = TORCHINFO.splitlines()
    index = next(i for i, line in enumerate(lines) if "├─LSTM: 1-3" in line)
    elided = "\n".join([*lines[:index], "...", *lines[index + 1 :]])
    (summary,) = find_summaries(elided)
    assert summary.elided and check_text(elided) == []


def test_ansi_colours_and_indentation_are_read_through() -> None:
    coloured = KERAS3.replace("Total params:", "\x1b[1mTotal params:\x1b[0m")
    assert check_text(coloured) == []
    indented = "\n".join("    " + line for line in TORCHSUMMARY.splitlines())
    assert len(find_summaries(indented)) == 1
    planted = indented.replace("30,840", "30,841")
    assert [p.line for p in check_text(planted)] == [8]  # Linear-6


# -- the blocks of Markdown and reST files, and the command line ----------------------------------

MARKDOWN = f"""\
# A page

```python
model.summary()
```

```
{_replace("30,840", "30,841")(TORCHSUMMARY)}```

```python
# the same in a code block is code, not checked
{_replace("30,840", "30,841")(TORCHSUMMARY)}```
"""

REST = (
    "Title\n=====\n\nThe summary::\n\n"
    + "\n".join(
        "   " + line
        for line in _replace("Total params: 2421 (9.46 KB)", "Total params: 2422 (9.46 KB)")(
            KERAS2
        ).splitlines()
    )
    + "\n\n.. code-block:: python\n\n   "
    + KERAS2.replace("2421", "2422").replace("\n", "\n   ")
)


def test_blocks_of_markdown_and_rest_files() -> None:
    markdown = file_blocks(MARKDOWN, ".md")
    assert [block.first_line for block in markdown] == [7]
    assert markdown[0].text.startswith("-" * 64)
    rest = file_blocks(REST, ".rst")
    assert [block.first_line for block in rest] == [5]
    assert rest[0].text.startswith('Model: "sequential"')


def test_check_printed_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text(MARKDOWN, encoding="utf-8")
    Path("guide.rst").write_text(REST, encoding="utf-8")
    Path("clean.txt").write_text(TORCHSUMMARY, encoding="utf-8")
    assert main(["--check-printed", "README.md", "guide.rst", "clean.txt"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [re.match(r"[\w.]+:\d+", line)[0] for line in out] == [  # type: ignore[index]
        "README.md:16",
        "guide.rst:15",
    ]
    assert "Linear-6 has 30,841 parameters" in out[0]
    assert "Total params is 2422, but the rows add up to 2,421" in out[1]
    assert main(["--check-printed", "clean.txt"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--check-printed", "missing.md"]) == 2
    assert "cannot read 'missing.md'" in capsys.readouterr().err
    assert main(["--check-printed", "clean.txt", "--units", "3"]) == 2
