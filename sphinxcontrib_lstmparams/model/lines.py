"""A paste of one layer per line -> its lines, each a layer with the line it starts on
(standard library only): blank lines and ``#`` comments skipped, a call continued over lines
until its brackets close. The reader (:mod:`.read`) reads such a paste line by line when it is
not Python as a whole."""

from __future__ import annotations

from collections.abc import Sequence

from .summary import MAX_LAYERS, ModelError

MAX_LINE = 2_000  # characters in one layer's call, continuation lines joined


def _code(line: str) -> str:
    """A line without its ``# comment`` (a ``#`` inside quotes stays)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def split_lines(lines: Sequence[str]) -> list[tuple[int, str]]:
    """The body's layers, each with the line it starts on: blank lines and ``#`` comments
    skipped, a trailing comma dropped, a call continued over lines until its brackets close.
    A line indented no deeper than an unclosed call's first line starts a layer of its own
    (the unclosed one is then reported, not the whole model swallowed)."""
    layers: list[tuple[int, str]] = []
    pending: list[str] = []
    start = indent = 0
    for index, line in enumerate(lines):
        check_count([start for start, _text in layers])
        text = _code(line).strip()
        if not text:
            continue
        depth = len(line) - len(line.lstrip())
        if pending and depth <= indent and text[0] not in ")]}":
            layers.append((start, " ".join(pending)))
            pending = []
        if not pending:
            start, indent = index, depth
        pending.append(text)
        joined = " ".join(pending)
        if len(joined) > MAX_LINE:  # its row says it is too long to read
            layers.append((start, joined[: MAX_LINE + 1]))
            pending = []
            continue
        if sum(joined.count(c) for c in "([{") <= sum(joined.count(c) for c in ")]}"):
            layers.append((start, joined.rstrip(",").strip()))
            pending = []
    if pending:
        layers.append((start, " ".join(pending)))
    check_count([start for start, _text in layers])
    return layers


def check_count(lines: Sequence[int]) -> None:
    """At most MAX_LAYERS layers (and steps), given the line each starts on; the error is at
    the first one past the limit."""
    if len(lines) > MAX_LAYERS:
        raise ModelError(
            f"more than {MAX_LAYERS:,} layers: a summary lists fewer", lines[MAX_LAYERS]
        )
