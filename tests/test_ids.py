"""The package's own ``make_id`` (for the mystmd plugin, which cannot import docutils) gives
the class names docutils' ``nodes.make_id`` gives (which the Sphinx directive uses)."""

from __future__ import annotations

from docutils import nodes
from hypothesis import given
from hypothesis import strategies as st

from sphinxcontrib_lstmparams.ids import make_id


def test_every_character_of_the_basic_plane_gives_what_docutils_gives() -> None:
    """Each code point of the Basic Multilingual Plane between two letters (where it may join
    or split a word, or vanish); the other planes are left to the random text below."""
    words = [f"a{chr(code)}b" for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    differ = [word for word in words if make_id(word) != nodes.make_id(word)]
    assert not differ, differ[:20]


@given(st.text())
def test_any_text_gives_what_docutils_gives(word: str) -> None:
    assert make_id(word) == nodes.make_id(word)


def test_class_words() -> None:
    assert make_id("Seed Example") == "seed-example"
    assert make_id("größe") == nodes.make_id("größe") == "grosze"
    assert make_id("日本") == "" == nodes.make_id("日本")  # the directive refuses it


def test_a_breakdown_id_an_author_has_taken_gets_a_number() -> None:
    """A summary named ``m`` after ``.. _m-layer-2:``: its breakdown takes ``m-layer-2-2``
    (the Sphinx directive asks the page's ids, the mystmd plugin's transform the page's
    labels); the HTML and the links are checked in tests/test_model_page.py and
    tests/test_myst_build.py."""
    from sphinxcontrib_lstmparams.model.layout import (
        breakdown_ids,
        breakdown_links,
        same_breakdowns,
    )
    from sphinxcontrib_lstmparams.model.read import summarize

    # (the GRU is given every step: on the last one alone, Keras would refuse it)
    summary = summarize(["layers.Embedding(9, 4)", "layers.LSTM(4, return_sequences=True)",
                         "layers.LSTM(4, return_sequences=True)", "layers.GRU(2)"])  # fmt: skip
    parts = ("summary", "breakdowns")
    taken = {"m-layer-2", "m-layer-2-2", "m-layer-4"}
    ids = breakdown_ids(summary, "m", parts, taken.__contains__)
    assert ids == {1: "m-layer-2-3", 2: "m-layer-3", 3: "m-layer-4-2"}
    assert breakdown_ids(summary, "m", ("summary",)) == {}  # nothing to link to
    # the second LSTM repeats the first (the same layer on the same input): its count links
    # to the first one's breakdown
    assert same_breakdowns(summary) == {2: 1}
    assert breakdown_links(ids, same_breakdowns(summary)) == {
        1: "m-layer-2-3",
        2: "m-layer-2-3",
        3: "m-layer-4-2",
    }
