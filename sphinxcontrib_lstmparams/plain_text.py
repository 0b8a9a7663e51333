"""A breakdown as plain text or JSON, for terminals (standard library only): the same answer,
table, formula and notes as the docs, laid out in monospace."""

from __future__ import annotations

import json
from typing import Any

from . import wording
from .counting import Breakdown
from .formula import formula
from .kinds import kind_of
from .numbers import NumberStyle
from .spec import untranslated
from .table import Rows, Table, cell_text, format_plain

NUMBERS = NumberStyle()


def format_table(table: Table) -> str:
    """The breakdown table for a terminal: the same columns and cells as in the docs."""
    rows = [[cell_text(cell, NUMBERS) for cell in row.cells] for row in table.rows]
    headers = [column.header for column in table.columns]
    return format_plain(headers, rows, [column.numeric for column in table.columns])


def format_text(breakdown: Breakdown[Any], rows: Rows | None = None) -> str:
    _ = untranslated
    before, total, after = wording.answer(breakdown, _, NUMBERS)
    table = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _, rows)
    notes = [f"* {note}" for note in wording.notes(breakdown, _, NUMBERS)]
    return "\n\n".join(
        [
            f"{before}{total}{after}",
            format_table(table),
            formula(breakdown).text(),
            wording.plain(wording.where(breakdown, _, NUMBERS)),
            "\n".join(notes),
        ]
    )


def format_json(breakdown: Breakdown[Any]) -> str:
    data = breakdown.as_dict()
    form = formula(breakdown)
    data["formula"] = {"latex": form.latex(), "text": form.text()}
    return json.dumps(data, indent=2)
