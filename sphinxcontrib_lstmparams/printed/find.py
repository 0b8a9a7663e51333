"""Where a block of text holds a printed summary, and which tool printed it (standard library
only): each reader is tried where its layout would start, and text that is not a summary
(a results table, a training log, a directory tree) matches none of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .keras2 import read as read_keras2
from .keras3 import read as read_keras3
from .summary import PrintedSummary, Tool, is_rule, without_ansi
from .torchinfo import read as read_torchinfo
from .torchsummary import HEADER as TORCHSUMMARY_HEADER
from .torchsummary import read as read_torchsummary

Reader = Callable[[list[str], int], PrintedSummary | None]
# the rule above a header says whose it is
READERS: dict[Tool, Reader] = {
    "keras3": read_keras3,
    "keras2": read_keras2,
    "torchinfo": read_torchinfo,
    "torchsummary": read_torchsummary,
}
_RULES: dict[str, Tool] = {"_": "keras2", "=": "torchinfo", "-": "torchsummary"}
_MODEL_LINE = re.compile(r'\s*Model: "(?P<name>[^"]*)"\s*')


def might_hold_a_summary(text: str) -> bool:
    """A quick test that most blocks fail: every layout prints one of these."""
    return "Total params" in text or "Param #" in text


def find_summaries(text: str) -> list[PrintedSummary]:
    """Every summary in ``text``, its lines counted from the text's first line."""
    if not might_hold_a_summary(text):
        return []
    lines = [line.rstrip() for line in without_ansi(text).expandtabs().splitlines()]
    found: list[PrintedSummary] = []
    index = 0
    while index < len(lines):
        summary = _summary_at(lines, index)
        if summary is None:
            index += 1
        else:
            found.append(replace(summary, model_name=_model_name(lines, summary)))
            index = summary.last_line + 1
    return found


def _model_name(lines: list[str], summary: PrintedSummary) -> str:
    """Keras' ``Model: "sequential"`` above its table; torchinfo's first row, the model's
    class; "" where the summary does not say (torchsummary, Keras 2.0)."""
    if summary.tool in ("keras2", "keras3"):
        model = _MODEL_LINE.fullmatch(lines[summary.first_line])
        return model["name"] if model else ""
    if summary.tool == "torchinfo" and summary.rows and summary.rows[0].depth == 0:
        return summary.rows[0].cls
    return ""


def _summary_at(lines: list[str], index: int) -> PrintedSummary | None:
    line = lines[index]
    if line.lstrip().startswith("┏"):
        return READERS["keras3"](lines, index)
    if "Layer (type" not in line or index == 0:
        return None
    above = lines[index - 1]
    # torchsummary's right-aligned header, under a "-" rule (or "=" in copies of it)
    right_aligned = TORCHSUMMARY_HEADER.fullmatch(line[len(above) - len(above.lstrip()) :])
    tool = "torchsummary" if right_aligned else _RULES.get(above.strip()[:1])
    if tool is None or not is_rule(above, above.strip()[0]):
        return None
    # the rule above starts where the summary does: read it without that indent
    indent = len(above) - len(above.lstrip())
    if indent:
        lines = lines[: index - 1] + [_dedent(line, indent) for line in lines[index - 1 :]]
    return READERS[tool](lines, index)


def _dedent(line: str, indent: int) -> str:
    return line[indent:] if not line[:indent].strip() else line.lstrip()
