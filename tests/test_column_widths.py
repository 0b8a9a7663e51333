"""The text builder's column widths: the same widths as the search that tried every width of
every column at every step (kept here as the oracle, as it was before it was made linear), on
generated tables and on the breakdown tables of real layers, the largest included."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from docutils.utils import column_width
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_lstmparams import count_params
from sphinxcontrib_lstmparams.kinds import kind_of
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.render import table as render_table
from sphinxcontrib_lstmparams.render.table import TEXT_WIDTH, _column_widths
from sphinxcontrib_lstmparams.spec import untranslated
from sphinxcontrib_lstmparams.table import cell_text

# -- the oracle: render/table.py before it was made linear -----------------------------------


def old_breaks_only_at_spaces(text: str, width: int) -> bool:
    """Whether Sphinx's text writer, wrapping ``text`` at ``width``, breaks lines at plain
    spaces only. It breaks at any white space, and a number grouped with no-break spaces
    would be split ("1 048 / 576"); the widths below avoid that instead of trusting it.
    """
    chunks = [chunk for chunk in re.split(r"(\s+)", text) if chunk]
    line = 0
    for index, chunk in enumerate(chunks):
        size = column_width(chunk)
        if chunk.isspace():
            line += size
            continue
        if line and line + size > width:
            if chunks[index - 1] != " ":  # the line ends at a space that is not ours to break
                return False
            line = 0
        if size > width:
            return False  # a word wider than the column is cut anywhere
        line += size
    return True


def old_column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Widest cell per column, shrunk (widest first) to fit TEXT_WIDTH in the text builder,
    which reads colwidth as terminal columns (a CJK character takes two), never to a width
    at which a cell would break anywhere but at a plain space."""
    columns = [[row[c] for row in rows] for c in range(len(rows[0]))]
    widths = [max(map(column_width, cells)) for cells in columns]

    def narrower(column: int) -> int | None:
        """The next smaller width that keeps this column's cells whole, if any."""
        for width in range(widths[column] - 1, 0, -1):
            if all(old_breaks_only_at_spaces(cell, width) for cell in columns[column]):
                return width
        return None

    # the text writer adds a border and a space either side of every column
    while sum(widths) + 3 * len(widths) + 1 > TEXT_WIDTH:
        options = {c: narrower(c) for c in range(len(widths))}
        shrinkable = [c for c, width in options.items() if width is not None]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda c: widths[c])
        widths[widest] = options[widest] or widths[widest]
    return widths


# -- the same widths ---------------------------------------------------------------------------

WORDS = st.one_of(
    st.sampled_from(["Total", "**Total**", "Input weights W", "h", "(4 × 8)", "漢字", "e\u0301"]),
    st.integers(0, 10**13).map(lambda n: f"{n:,}"),
    st.integers(0, 10**13).map(lambda n: f"{n:,}".replace(",", "\N{NO-BREAK SPACE}")),
    st.text(st.sampled_from("ab1,\u00a0\u202f 漢-"), max_size=8),
)
CELLS = st.lists(WORDS, max_size=3).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    columns = draw(st.integers(1, 6))
    rows = draw(st.integers(1, 5))
    return [[draw(CELLS) for _ in range(columns)] for _ in range(rows)]


@settings(max_examples=150, deadline=None)
@given(tables())
def test_the_widths_are_the_searchs(rows: list[list[str]]) -> None:
    assert _column_widths(rows) == old_column_widths(rows)


def _cells(**options: Any) -> list[list[str]]:
    """A layer's breakdown table as the text builder gets it: header, rows, totals marked."""
    breakdown = count_params(**options)
    described = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, untranslated)
    style = NumberStyle("\N{NO-BREAK SPACE}")
    rows = [[column.header for column in described.columns]]
    for row in described.rows:
        cells = [cell_text(cell, style) for cell in row.cells]
        rows.append([f"**{text}**" if row.is_total and text else text for text in cells])
    return rows


LAYERS = [
    {"units": 256, "input_dim": 4096},
    {"units": 10**12, "input_dim": 10**12, "layers": 100, "bidirectional": True},
    {"units": 10**12, "input_dim": 3, "cell": "gru", "framework": "pytorch", "layers": 3},
    {"units": 7, "input_dim": 5, "cell": "rnn", "framework": "onnx", "bidirectional": True},
]


# the largest table is left to the benchmark: the oracle takes minutes over it
@pytest.mark.parametrize(
    "options", LAYERS[::2] + LAYERS[3:], ids=lambda o: ",".join(map(str, o.values()))
)
def test_the_widths_of_real_tables_are_the_searchs(options: dict[str, Any]) -> None:
    rows = _cells(**options)
    assert _column_widths(rows) == old_column_widths(rows)


def test_each_width_of_a_column_is_tried_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search is linear in the cells: at most one check per cell and width of its column
    (the old one checked each again at every step, 2.5 million calls for six such tables)."""
    rows = _cells(**LAYERS[1])
    calls = 0
    check = render_table._breaks_only_at_spaces

    def counted(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        return check(*args)

    monkeypatch.setattr(render_table, "_breaks_only_at_spaces", counted)
    widths = _column_widths(rows)
    assert widths == [9, 43, 43, 21, 41]  # 13-digit counts grouped with no-break spaces
    widest = [max(column_width(row[c]) for row in rows) for c in range(len(widths))]
    assert 0 < calls <= sum(widest) * len(rows)
