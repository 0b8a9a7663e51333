"""Generated code cells: any mix of real statements, hostile ones and broken text.

Whatever the cell, the reader either reads a summary (whose totals are the sum of its rows,
whose every message is at a line of the cell) or refuses the cell as a whole with one
``ModelError``; it never raises anything else, and never runs what it reads.

Profiles as in ``test_fuzz.py``: ``ci`` (default) and ``thorough`` (``HYPOTHESIS_PROFILE``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_lstmparams.model import read_model
from sphinxcontrib_lstmparams.model.code.defines import merge
from sphinxcontrib_lstmparams.model.summary import ModelError
from sphinxcontrib_lstmparams.spec import OptionError

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"

STATEMENTS = [
    "import keras",
    "from keras import layers",
    "from keras.models import Sequential",
    "from keras.layers import LSTM, Dense, Embedding, Bidirectional, GRU, Dropout",
    "import torch.nn as nn",
    "units = {n}",
    "vocab = {n} * 2 + 1",
    "sizes = [{n}, {n} // 2]",
    "shape = ({n}, {n})",
    "model = Sequential()",
    "model = keras.Sequential(name='m{n}')",
    "model = keras.Sequential([keras.Input(shape=({n},)), layers.Dense({n})])",
    "model.add(LSTM({n}, input_shape=({n}, {n})))",
    "model.add(Dense(units))",
    "model.add(Embedding(vocab, {n}))",
    "model.add(Bidirectional(LSTM({n}, return_sequences=True)))",
    "model.add(Dropout(0.{n}))",
    "model.add(layers.Input(({n},)))",
    "model.add(Dense(max_features))",
    "model.add(GRU(units, input_dim={n}))",
    "model.build((None, {n}))",
    "model.summary(line_length={n})",
    "model.compile('adam', 'mse')",
    "model.fit(x, y, epochs={n})",
    "for i in range({n}):\n    model.add(Dense(i + 1))",
    "for u in sizes:\n    model.add(Dense(u))",
    "if units > {n}:\n    model.add(Dense(1))\nelse:\n    model.add(Dense(2))",
    "if flag:\n    model.add(Dense({n}))",
    "def build(u={n}):\n    m = keras.Sequential([keras.Input(({n},))])\n"
    "    m.add(Dense(u))\n    return m",
    "model = build()",
    "x = 10 ** 10 ** {n}",
    "y = 'a' * 10 ** {n}",
    "z = [0] * 10 ** {n}",
    "while {n}:\n    pass",
    "def f(n):\n    return f(n)",
    "v = f({n})",
    "class M:\n    def __init__(self):\n        self.x = {n}",
    "m2 = M()",
    "with strategy.scope():\n    model.add(Dense({n}))",
    "try:\n    model.add(Dense({n}))\nexcept Exception:\n    pass",
    "layers.Dense({n})",
    "nn.Linear({n}, {n})",
    "x[:, -1, :]",
    "async def g():\n    pass",
    "del units",
    "lambda q: q",
    "print(model.layers[{n}].name)",
    "model.layers[0].trainable = False",
    "{{'a': {n}}}[0]",
    "__import__('os').system('echo no')",
    "open('/etc/passwd').read()",
]
BROKEN = ["model.add(Dense(", ")", "def", "    indented = 1", "\x00", "'''", "if :", "@"]


@st.composite
def cells(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(BROKEN)))
        else:
            template = draw(st.sampled_from(STATEMENTS))
            number = draw(st.sampled_from([0, 1, 3, 8, 64, 200, 10**6]))
            lines.append(template.format(n=number))
    return "\n".join(lines)


@settings(
    max_examples=2000 if THOROUGH else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(cells(), st.sampled_from([None, {"max_features": 100, "flag": True}]))
def test_any_cell_reads_or_is_refused_as_a_whole(code: str, define: dict | None) -> None:
    lines = code.splitlines()
    try:
        summary = read_model(lines, define=merge([define or {}]))
    except (ModelError, OptionError):
        return
    assert summary.total == sum(row.params for row in summary.rows)
    assert summary.trainable + summary.non_trainable == summary.total
    for line, text in (*summary.step_problems, *summary.notes):
        assert 0 <= line < max(len(lines), 1), (line, text)
        assert text and len(text) < 2_000
    for row in summary.rows:
        assert 0 <= row.line < max(len(lines), 1)
        assert (row.problem is None) or row.params == 0
