"""The answer sentence and the notes as docutils nodes."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..counting import Breakdown
from ..numbers import NumberStyle
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
        item += paragraph(text)
        bullet += item
    return bullet
