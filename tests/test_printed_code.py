"""Check (c): a printed summary held against the code before it. No false alarm on what the
frameworks really printed for a cell (Keras 3 and Keras 2, as recorded in
``tests/data/code_cells.json`` and ``model_summaries.json``); each planted disagreement
caught at its line with both numbers; which code a summary is held against; and the command
line. The Sphinx check is in ``test_printed_sphinx.py``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import model_summary, summary_text
from sphinxcontrib_lstmparams.cli import main
from sphinxcontrib_lstmparams.printed.blocks import page_blocks
from sphinxcontrib_lstmparams.printed.pasted_code import Checked, CodeBlock, PageCode

DATA = Path(__file__).parent / "data"
CELLS = json.loads((DATA / "code_cells.json").read_text(encoding="utf-8"))["cases"]
MODELS = json.loads((DATA / "model_summaries.json").read_text(encoding="utf-8"))["cases"]
PRINTED = json.loads((DATA / "printed_summaries.json").read_text(encoding="utf-8"))["cases"]


def _cell(framework: str, name: str) -> dict[str, Any]:
    return next(c for c in CELLS if c["framework"] == framework and c["name"] == name)


def held_against(
    code: str | list[str], printed: str, define: dict[str, object] | None = None
) -> Checked:
    """A page of Python blocks (the code), then the printed block, checked."""
    page = PageCode([define or {}])
    for index, block in enumerate([code] if isinstance(code, str) else code):
        page.add(CodeBlock(block, "page.md", 100 * index))
    return page.check(printed, "page.md")


# -- what the frameworks printed for the code: no warning ----------------------------------------


def _pairs() -> list[tuple[str, str, dict[str, object], str]]:
    """(name, code, defines, printed) of every recording that holds code and its printout:
    each cell with Keras 3's and Keras 2's text (the same code, at two line lengths), each
    model with Keras 3's Sequential and functional text and torchinfo's and torchsummary's."""
    pairs = [
        (f"{c['framework']}:{c['name']}:{key}", c["code"], c["define"], c[key])
        for c in CELLS
        for key in ("printed", "printed_76")
        if key in c
    ]
    pairs += [
        (f"{c['framework']}:{c['name']}:{key}", "\n".join(c["lines"]), {}, c[key])
        for c in MODELS
        for key in sorted(c)
        if key.startswith("printed")
    ]
    mlp = next(c for c in PRINTED if c["name"] == "mlp")  # nn.Sequential(...) in torchsummary
    lines = "nn.Linear(20, 64)\nnn.ReLU()\nnn.Dropout()\nnn.Linear(64, 2)"
    return [*pairs, ("torchsummary:mlp", lines, {}, mlp["printed"])]


PAIRS = _pairs()
# printed summaries the code cannot be held against, and why
NOT_HELD = {
    # Keras 3 left the model unbuilt (input_length is gone) and printed no counts
    "keras:embedding-input-length-flatten:printed",
    # the recorder printed `encoder` (model_variable); the cell calls decoder.summary(), and
    # Keras named the decoder sequential_1: a summary named sequential is another model
    "keras:two-models-picked-by-name:printed",
    "keras:two-models-picked-by-name:printed_76",
    "keras2:two-models-picked-by-name:printed",
}


def test_every_recorded_printout_agrees_with_its_code() -> None:
    assert len(PAIRS) > 200
    tools = set()
    for name, code, define, printed in PAIRS:
        checked = held_against(code, printed, define)
        assert checked.problems == [] and checked.notes == [], (name, checked)
        assert checked.held == [name not in NOT_HELD], name
        tools.add(name.split(":")[0])
    assert tools == {"keras", "keras2", "pytorch", "torchsummary"}


def test_keras_2_names_of_a_notebook_session_are_the_same_layers() -> None:
    case = _cell("keras2", "imdb-lstm-keras2-example")
    printed = case["printed"].replace('"sequential"', '"sequential_3"')
    for name in ("embedding", "lstm", "dense"):
        printed = printed.replace(f" {name} (", f" {name}_4 (")
    assert "lstm_4 (LSTM)" in printed
    checked = held_against(case["code"], printed)
    assert checked.held == [True] and checked.problems == []


# -- planted disagreements, each at its line with both numbers ------------------------------------

IMDB = _cell("keras", "imdb-lstm-keras2-example")
IMDB_KERAS2 = _cell("keras2", "imdb-lstm-keras2-example")
GRU = next(c for c in MODELS if c["name"] == "gru-sentiment")
MLP = next(c for c in PRINTED if c["name"] == "mlp")


def _line(text: str, containing: str) -> int:
    """The 0-based line of ``containing`` in ``text``."""
    (index,) = [i for i, line in enumerate(text.splitlines()) if containing in line]
    return index


def _changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# (code, printed, [(text of the blamed printed line, words the message holds)])
Planted = tuple[str, str, list[tuple[str, list[str]]]]
PLANTED: dict[str, Callable[[], Planted]] = {
    "units changed in the code (Keras 3 text)": lambda: (
        _changed(IMDB["code"], "LSTM(128,", "LSTM(64,"),
        IMDB["printed"],
        [
            ("lstm (LSTM)", ["131,584", "49,408", "line 12"]),
            ("dense (Dense)", ["129", "65", "line 13"]),
            ("Total params", ["2,691,713", "2,609,473"]),
        ],
    ),
    "units changed in the code (Keras 2 text)": lambda: (
        _changed(IMDB["code"], "LSTM(128,", "LSTM(64,"),
        IMDB_KERAS2["printed"],
        [
            ("lstm (LSTM)", ["131584", "49,408"]),
            ("dense (Dense)", ["129", "65"]),
            ("Total params", ["2691713", "2,609,473"]),
        ],
    ),
    "a row changed in the printed text": lambda: (
        IMDB["code"],
        _changed(IMDB["printed"], "131,584 │", "131,585 │"),
        [("lstm (LSTM)", ["has 131,585 parameters", "the code before it (line 12) gives 131,584"])],
    ),
    "a total changed in the printed text": lambda: (
        IMDB["code"],
        _changed(IMDB_KERAS2["printed"], "Total params: 2691713", "Total params: 2691773"),
        [("Total params", ["Total params is 2691773", "the code before it gives 2,691,713"])],
    ),
    "the trainable split changed in the printed text": lambda: (
        IMDB["code"],
        _changed(IMDB["printed"], "Non-trainable params: 0 (0.00 B)", "Non-trainable params: 12"),
        [("Trainable params", ["Non-trainable params 12", "gives 2,691,713 and 0"])],
    ),
    "a layer's shape (return_sequences) changed in the code": lambda: (
        _changed(
            IMDB["code"],
            "recurrent_dropout=0.2)",
            "recurrent_dropout=0.2,\n    return_sequences=True)",
        ),
        IMDB["printed"],
        [
            ("lstm (LSTM)", ["outputs (None, 128)", "gives (None, 80, 128)"]),
            ("dense (Dense)", ["outputs (None, 1)", "gives (None, 80, 1)"]),
        ],
    ),
    "a layer added in the code": lambda: (
        _changed(IMDB["code"], "model.add(Dense(1,", "model.add(Dense(8))\nmodel.add(Dense(1,"),
        IMDB["printed"],
        [("Total params", ["2,691,713", "2,692,625", "Embedding, LSTM, Dense, Dense"])],
    ),
    "torchinfo: a Linear's outputs changed in the code": lambda: (
        "\n".join(GRU["lines"]).replace("nn.Linear(512, 1)", "nn.Linear(512, 2)"),
        GRU["printed"],
        [("├─Linear: 1-4", ["513", "1,026", "line 5"]), ("Total params", ["4,233,634"])],
    ),
    "torchsummary: a Linear's outputs changed in the code": lambda: (
        "nn.Linear(20, 64)\nnn.ReLU()\nnn.Dropout()\nnn.Linear(64, 3)",
        MLP["printed"],
        [("Linear-4", ["130", "195", "line 4"]), ("Total params", ["1,474", "1,539"])],
    ),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_disagreement_with_the_code_is_caught_at_its_line(name: str) -> None:
    code, printed, expected = PLANTED[name]()
    checked = held_against(code, printed)
    lines = printed.splitlines()
    assert checked.held == [True], name
    assert [lines[problem.line] for problem in checked.problems] == [
        lines[_line(printed, blamed)] for blamed, _words in expected
    ], (name, checked.problems)
    for problem, (_blamed, words) in zip(checked.problems, expected, strict=True):
        for word in words:
            assert word in problem.message, (name, word, problem.message)


def test_one_warning_per_line_and_the_code_has_the_word() -> None:
    changed = _changed(IMDB["printed"], "129 │", "130 │")
    (problem,) = held_against(IMDB["code"], changed).problems
    assert problem.message == (
        "printed Keras 3 summary: dense (Dense) has 130 parameters, but the code before it "
        "(line 13) gives 129"
    )  # not also (b)'s "a Dense layer of 1 unit fed 128 features has 129", nor the total's


# -- which code a summary is held against ---------------------------------------------------------

KERAS_MODEL = """\
import keras
from keras import layers

model = keras.Sequential([keras.Input((3, 2)), layers.SimpleRNN(2), layers.Dense(1)])
"""
TINY = next(c for c in MODELS if c["name"] == "tiny-simplernn")["printed"]  # of that model
STALE_TINY = _changed(TINY, "│              10 │", "│              12 │")
OTHER = IMDB["printed"]  # another model's summary, right in itself


def test_summary_called_in_a_later_block_reads_the_block_that_makes_the_model() -> None:
    checked = held_against(
        [KERAS_MODEL, "model.compile('adam', 'mse')", "model.summary()"], STALE_TINY
    )
    assert checked.held == [True]
    (problem,) = checked.problems
    assert "simple_rnn (SimpleRNN) has 12 parameters, but the code before it (line 4) gives 10" in (
        problem.message
    )


def test_not_back_past_another_printed_summary() -> None:
    page = PageCode()
    page.add(CodeBlock(KERAS_MODEL))
    assert page.check(TINY).held == [True]
    page.add(CodeBlock("model.summary()"))  # of a model shown elsewhere
    assert page.check(OTHER) == Checked([], [], [False])


def test_a_model_the_reader_does_not_know_is_not_another_model() -> None:
    code = KERAS_MODEL + "other = keras.models.load_model('other.keras')\nother.summary()\n"
    assert held_against(code, OTHER) == Checked([], [], [False])


def test_each_summary_call_prints_the_model_as_it_was_then() -> None:
    code = KERAS_MODEL.replace(", layers.Dense(1)]", "]") + (
        "model.summary()\nmodel.add(layers.Dense(1))\nmodel.summary()\n"
    )
    first = summary_text(model_summary(KERAS_MODEL.replace(", layers.Dense(1)]", "]")))
    assert "simple_rnn" in first and "dense" not in first
    checked = held_against(code, first + "\n" + TINY)
    assert checked.held == [True, True] and checked.problems == []
    assert held_against(code, TINY + "\n" + first).problems  # the other way round: stale


def test_a_value_the_code_cannot_know_is_a_note_until_it_is_defined() -> None:
    code = IMDB["code"].replace("max_features = 20000\n", "")
    checked = held_against(code, IMDB["printed"])
    assert checked.problems == [] and checked.held == [False]
    ((line, note),) = checked.notes
    assert IMDB["printed"].splitlines()[line] == 'Model: "sequential"'
    assert note == (
        "printed Keras 3 summary: not held against the code before it: `max_features` is "
        "not defined in the cell: give it with :define: max_features=... "
        f"(line {_line(code, 'Embedding(max_features') + 1})"
    )
    defined = held_against(code, IMDB["printed"], {"max_features": 20_000})
    assert defined.held == [True] and defined.problems == [] and defined.notes == []
    stale = held_against(code, IMDB["printed"], {"max_features": 10_000})
    assert "2,560,000 parameters, but the code before it (line 10) gives 1,280,000" in (
        stale.problems[0].message
    )


def test_a_define_fills_in_and_never_replaces_what_the_code_sets() -> None:
    checked = held_against(IMDB["code"], IMDB["printed"], {"max_features": 10_000, "maxlen": 5})
    assert checked.held == [True] and checked.problems == []


def test_code_that_is_not_a_model_or_another_framework_says_nothing() -> None:
    for code in ("print('hello')", "x = undefined_function()", "import torch\nx = torch.zeros(3)"):
        assert held_against(code, OTHER) == Checked([], [], [False]), code
    torch_lines = "\n".join(GRU["lines"])
    assert held_against(torch_lines, OTHER) == Checked([], [], [False])  # a Keras summary


def test_a_torchinfo_model_name_of_its_own_must_be_the_codes() -> None:
    other = GRU["printed"].replace("GRUSentiment ", "Classifier   ")
    lines = "\n".join(GRU["lines"])
    assert held_against(lines, other).held == [True]  # the code's model has no name here


# -- the command line ------------------------------------------------------------------------------

README_CODE = IMDB["code"].replace("max_features = 20000", "max_features = load_vocabulary()")
README = f"""\
# A model

```python
{README_CODE.replace("LSTM(128,", "LSTM(64,")}```

It prints:

```
{IMDB["printed"]}```
"""


def test_check_printed_holds_a_summary_against_the_python_block_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text(README, encoding="utf-8")
    assert main(["--check-printed", "README.md"]) == 0  # max_features unknown: a note
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"lstm-params: note: README.md:{_line(README, 'Model: ') + 1}: printed Keras 3 "
        "summary: not held against the code before it: `max_features` is set from "
        "`load_vocabulary()`, which the reader cannot work out (`load_vocabulary` is not "
        "defined in the cell): give it with --define 'max_features=...' "
        f"(line {_line(README, 'Embedding(max_features') + 1})\n"
    )
    assert main(["--check-printed", "README.md", "--define", "max_features=20000"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"README.md:{_line(README, '131,584') + 1}: printed Keras 3 summary: lstm (LSTM) has "
        f"131,584 parameters, but the code before it (line {_line(README, 'LSTM(64') + 1}) "
        "gives 49,408",
        f"README.md:{_line(README, '129 │') + 1}: printed Keras 3 summary: dense (Dense) has "
        f"129 parameters, but the code before it (line {_line(README, 'Dense(1') + 1}) "
        "gives 65",
        f"README.md:{_line(README, 'Total params') + 1}: printed Keras 3 summary: Total params "
        "is 2,691,713, but the code before it gives 2,609,473",
    ]
    front = "---\nlstmparams-define: max_features=20000\n---\n" + README
    Path("front.md").write_text(front, encoding="utf-8")
    assert main(["--check-printed", "front.md"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 3
    Path("bad.md").write_text(front.replace("=20000", "=many"), encoding="utf-8")
    assert main(["--check-printed", "bad.md"]) == 2
    assert "bad.md:2: lstmparams-define: max_features = 'many' is not a Python literal" in (
        capsys.readouterr().err
    )
    assert main(["--check-printed", "README.md", "--units", "3"]) == 2


def _indented(text: str) -> str:
    return "\n".join("   " + line if line.strip() else "" for line in text.splitlines())


REST = f"""\
:lstmparams-define: max_features=20000

A model
=======

::

{_indented(IMDB["code"].replace("max_features = 20000", ""))}

It prints::

{_indented(_changed(IMDB_KERAS2["printed"], "131584 ", "131585 "))}
"""


def test_rest_literal_blocks_of_python_and_the_page_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.rst"
    path.write_text(REST, encoding="utf-8")
    assert main(["--check-printed", str(path)]) == 1
    (out,) = capsys.readouterr().out.splitlines()
    assert out.startswith(f"{path}:{_line(REST, '131585') + 1}: printed Keras 2 summary: lstm")
    assert f"the code before it (line {_line(REST, 'model.add(LSTM(') + 1}) gives 131,584" in out


def test_code_too_deep_or_not_python_never_stops_the_check() -> None:
    deep = KERAS_MODEL + "x = " + " + ".join(["1"] * 3000) + "\nmodel.summary()\n"
    for code in (deep, "model = (((((", "%%bash\necho hi"):
        assert held_against(code, TINY).problems == [], code


def test_the_blocks_a_page_holds_and_which_are_python() -> None:
    markdown = """\
```{code-cell} ipython3
:tags: [hide-output]
model.summary()
```

```{python}
import keras
```

```{note}
A note.
```

    x = 1
"""
    assert [(b.first_line, b.language) for b in page_blocks(markdown, ".qmd")] == [
        (2, "ipython3"),
        (6, "python"),
        (10, "{note}"),
        (13, None),
    ]
    rest = "Text::\n\n   x = 1\n\n.. code-block:: python\n\n   y = 2\n\n.. code:: text\n\n   z\n"
    assert [(b.text, b.language) for b in page_blocks(rest, ".rst")] == [
        ("x = 1", None),
        ("y = 2", "python"),
        ("z", "text"),
    ]
