"""Prose that quotes a named model summary (standard library only): the role's
``model=imdb`` (the summary's total) or ``model=imdb, layer=bidirectional_1`` (that row's
Param #), with ``expect=`` as everywhere.

A summary with a ``:name:`` leaves a :func:`record` of its counts (JSON-ready: Sphinx keeps it
in the environment, the mystmd plugin in a file of the build); the role is answered from it
after every page has been read, so that a page may quote a summary on another page, before
or after it. :func:`quoted` is the one rule both front ends follow.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..expect import EXPECT, parse_expect
from ..options import canonical_name
from ..spec import OptionError
from .layout import breakdown_label
from .summary import ModelSummary

MODEL = "model"
LAYER = "layer"
WORDS = (MODEL, LAYER, EXPECT)


@dataclass(frozen=True)
class Quote:
    """What a role asks for: a summary's total, or one of its rows' count."""

    model: str
    layer: str | None = None
    expect: int | None = None

    @property
    def what(self) -> str:
        """``model=imdb`` or ``model=imdb, layer=lstm``, for messages."""
        said = f"{MODEL}={self.model}"
        return said if self.layer is None else f"{said}, {LAYER}={self.layer}"


def read_quote(pairs: Iterable[tuple[str, str]]) -> Quote | None:
    """Role pairs -> the quote they ask for; None when they name no model (a layer's own
    options). Raises OptionError for a word a quote does not take, or one given twice."""
    pairs = list(pairs)
    if not any(canonical_name(name) == MODEL for name, _value in pairs):
        return None
    given: dict[str, str] = {}
    for name, value in pairs:
        word = canonical_name(name)
        if word not in WORDS:
            raise OptionError(
                f"{name.strip()}: not a word of a quote ({', '.join(WORDS)}); a layer's options "
                f"and {MODEL}= do not go together",
                name,
            )
        if word in given:
            raise OptionError(f"{word}: given twice", word)
        if word != EXPECT and not value.strip():
            raise OptionError(f"{word}: empty", word)
        given[word] = value.strip()
    expected = parse_expect(given[EXPECT]) if EXPECT in given else None
    return Quote(model_key(given[MODEL]), given.get(LAYER), expected)


def model_key(name: str) -> str:
    """A summary's ``:name:`` as a quote finds it: case and runs of spaces do not matter, as
    they do not for a label."""
    return " ".join(name.lower().split())


def record(summary: ModelSummary) -> dict[str, Any]:
    """A named summary's counts, as a role quotes them: its total (None when a layer is not
    counted), and each row's Param # by the names a page may use for it (Keras' layer name,
    ``lstm`` or ``lstm (LSTM)``; torchinfo's ``LSTM: 1-2`` or ``1-2``), the first of them
    listed in ``rows`` for messages."""
    layers: dict[str, int | None] = {}
    rows: list[str] = []
    for index, row in enumerate(summary.rows):
        count = None if row.problem else row.params
        label = breakdown_label(summary, index)
        names = [row.name, label] if summary.framework == "keras" else [label, f"1-{index + 1}"]
        rows.append(names[0])
        for name in names:
            layers.setdefault(name, count)
    complete = summary.complete and not summary.step_problems
    total = summary.total if complete and not summary.refused else None
    return {"total": total, "refused": summary.refused, "layers": layers, "rows": rows}


def quoted(quote: Quote, records: dict[str, dict[str, Any]]) -> int:
    """The count ``quote`` asks for, from the summaries' records by name; OptionError when
    there is no such summary or row, or it has no count."""
    found = records.get(quote.model)
    if found is None:
        close = difflib.get_close_matches(quote.model, list(records), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise OptionError(f"{MODEL}={quote.model}: no model summary has that :name:{hint}")
    if quote.layer is None:
        if found.get("refused"):
            raise OptionError(
                f"{MODEL}={quote.model}: the framework would not build that model, so it has "
                "no total"
            )
        if found["total"] is None:
            raise OptionError(
                f"{MODEL}={quote.model}: a layer of that model is not counted, so it has no total"
            )
        return int(found["total"])
    layers: dict[str, int | None] = found["layers"]
    if quote.layer not in layers:
        close = difflib.get_close_matches(quote.layer, list(found["rows"]), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise OptionError(f"{quote.what}: that model has no such layer{hint}", LAYER)
    count = layers[quote.layer]
    if count is None:
        raise OptionError(f"{quote.what}: that layer is not counted")
    return count


__all__ = ["LAYER", "MODEL", "WORDS", "Quote", "model_key", "quoted", "read_quote", "record"]
