"""Class names from the author's words, as docutils makes them (standard library only).

:func:`make_id` is docutils' ``nodes.make_id``, its algorithm and its two tables, so that the
mystmd plugin, which must not import docutils, turns a ``:class:`` word into the same class
name, and refuses the same words, as the Sphinx directive. The Sphinx directive keeps calling
docutils' own; ``tests/test_ids.py`` checks that the two agree, on every Unicode character and
on random text, with whichever docutils is installed (CI: 0.20 to 0.22).
"""

from __future__ import annotations

import re
import unicodedata

_NON_ID_CHARS = re.compile("[^a-z0-9]+")
_NON_ID_AT_ENDS = re.compile("^[-0-9]+|-+$")
# Letters with a stroke, hook, bar or curl, which NFKD does not take apart.
_NON_ID_TRANSLATE = {
    0x00F8: "o",
    0x0111: "d",
    0x0127: "h",
    0x0131: "i",
    0x0142: "l",
    0x0167: "t",
    0x0180: "b",
    0x0183: "b",
    0x0188: "c",
    0x018C: "d",
    0x0192: "f",
    0x0199: "k",
    0x019A: "l",
    0x019E: "n",
    0x01A5: "p",
    0x01AB: "t",
    0x01AD: "t",
    0x01B4: "y",
    0x01B6: "z",
    0x01E5: "g",
    0x0225: "z",
    0x0234: "l",
    0x0235: "n",
    0x0236: "t",
    0x0237: "j",
    0x023C: "c",
    0x023F: "s",
    0x0240: "z",
    0x0247: "e",
    0x0249: "j",
    0x024B: "q",
    0x024D: "r",
    0x024F: "y",
}
# Ligatures and digraphs: two letters each.
_NON_ID_TRANSLATE_DIGRAPHS = {
    0x00DF: "sz",
    0x00E6: "ae",
    0x0153: "oe",
    0x0238: "db",
    0x0239: "qp",
}


def make_id(string: str) -> str:
    """``'Seed Example'`` -> ``'seed-example'``; ``''`` for a word with no ASCII letter left.

    >>> make_id("Seed Example"), make_id("größe"), make_id("2nd"), make_id("日本")
    ('seed-example', 'grosze', 'nd', '')
    """
    ident = string.lower()
    ident = ident.translate(_NON_ID_TRANSLATE_DIGRAPHS)
    ident = ident.translate(_NON_ID_TRANSLATE)
    ident = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    ident = _NON_ID_CHARS.sub("-", " ".join(ident.split()))
    return _NON_ID_AT_ENDS.sub("", ident)
