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
