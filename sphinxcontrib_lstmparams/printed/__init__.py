"""Summaries already printed, read back and checked (standard library only): what Keras 2 and
3's ``model.summary()``, torchinfo and torchsummary printed, pasted in a page.

``find.py`` finds them in a block of text and hands each to its tool's reader
(``keras2.py``, ``keras3.py``, ``torchinfo.py``, ``torchsummary.py``), which fills in a
:class:`~.summary.PrintedSummary`. ``check.py`` runs the checks on it: (a) the counts add up
(``arithmetic.py``) and the sizes agree with them (``sizes.py``); (b) a row's count is the
one its layer type gives for the printed shapes (``layers.py``, counting with the package's
kinds). Each problem is a line of the block and a message; the front ends (the Sphinx check
of literal blocks, ``lstm-params --check-printed``) say where the block is.
"""

from __future__ import annotations

from .check import CHECKS, Check, check_summary, check_text
from .find import find_summaries
from .summary import PrintedRow, PrintedSummary, Problem

__all__ = [
    "CHECKS",
    "Check",
    "PrintedRow",
    "PrintedSummary",
    "Problem",
    "check_summary",
    "check_text",
    "find_summaries",
]
