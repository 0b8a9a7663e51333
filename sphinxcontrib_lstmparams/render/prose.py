"""The answer sentence and the notes as docutils nodes."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..counting import Breakdown
from ..numbers import NumberStyle, binary_units
from ..spec import Gettext


def paragraph(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def answer_paragraph(
    breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle
) -> nodes.paragraph:
    """One sentence with the total in bold."""
    before, total, after = wording.answer(breakdown, _, numbers)
    node = nodes.paragraph()
    node += [nodes.Text(before), nodes.strong(total, total), nodes.Text(after)]
    return node


def notes_list(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> nodes.bullet_list:
    bullet = nodes.bullet_list(classes=["lstm-params-notes"])
    for text in wording.notes(breakdown, _, numbers):
        item = nodes.list_item()
        item += with_units(text, numbers, _)
        bullet += item
    return bullet


def with_units(text: str, numbers: NumberStyle, _: Gettext) -> nodes.paragraph:
    """A sentence whose binary units (``MiB``) say what they are: an abbreviation with its
    meaning (a tooltip in HTML; LaTeX writes the meaning after its first use, and the other
    builders after the first on the page, ``sphinxext.hooks``)."""
    node = nodes.paragraph(text)
    for piece in binary_units(text, numbers.separator, _):
        if isinstance(piece, str):
            node += nodes.Text(piece)
        else:
            unit, meaning = piece
            node += nodes.abbreviation(unit, unit, explanation=meaning)
    return node
