"""Text in a terminal: how many cells a string takes, and padding to a width."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


def width_of(text: str) -> int:
    """Terminal cells: East Asian wide characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - width_of(text), 0)
    return gap + text if right else text + gap
