"""Keras 2's ways of giving a layer its input, and what Keras 3 does with each (standard
library only).

The tool reads them as Keras 2 did (the counts of tutorials written for it), and prints Keras
3's summary; where Keras 3 would refuse the keyword or ignore it, a note says so at the layer's
line, in Keras 3's own words (keras/src/layers/layer.py ``Layer.__init__``: it takes
``input_shape`` and ``input_dim``, with a warning, and refuses every other keyword it does not
know; keras/src/layers/core/embedding.py drops ``input_length``). Recorded in
``tests/data/code_cells.json``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...constructors import Layer

# keywords of Keras 2's Layer that Keras 3's refuses ("Unrecognized keyword arguments passed
# to LSTM: {'input_length': 16}"), except on the classes that take them themselves
REFUSED_BY_KERAS_3: Mapping[str, frozenset[str]] = {
    "batch_input_shape": frozenset(),
    "batch_size": frozenset(),
    "input_length": frozenset({"Embedding"}),
    "weights": frozenset({"Embedding"}),
}
# what Keras 3 does with a keyword it takes but no longer reads
IGNORED_BY_KERAS_3: Mapping[tuple[str, str], str] = {
    ("Embedding", "input_length"): (
        "Keras 3 ignores input_length on Embedding (\u201cArgument `input_length` is "
        "deprecated. Just remove it.\u201d): without keras.Input(shape=({length},)) first, "
        "its model stays unbuilt and prints no counts. It is read here as Keras 2 read it, "
        "the sequence length"
    ),
}


def keras3_notes(layer: Layer, written: Mapping[str, object], called: bool = False) -> list[str]:
    """What Keras 3 would say of the Keras 2 keywords a layer is written with (``written``:
    keyword -> value, as the cell gives them). ``called``: the layer is called on a tensor
    (a functional model), which gives its input: only the keywords Keras 3 refuses matter."""
    notes = []
    refused = {
        word: written[word]
        for word, takers in REFUSED_BY_KERAS_3.items()
        if word in written and layer.cls not in takers
    }
    if refused:
        shown = ", ".join(f"{word!r}: {value!r}" for word, value in refused.items())
        notes.append(
            f"Keras 3 refuses {', '.join(refused)} on {layer.cls} (\u201cUnrecognized keyword "
            f"arguments passed to {layer.cls}: {{{shown}}}\u201d); it is read here as Keras 2 "
            "read it"
        )
    if called:
        return notes
    for (cls, word), text in IGNORED_BY_KERAS_3.items():
        if layer.cls == cls and word in written:
            notes.append(text.format(length=written[word]))
    if (
        layer.options.get("cell") in ("lstm", "gru", "rnn")
        and "input_dim" in written
        and "input_shape" not in written
        and "input_length" not in written
    ):
        notes.append(
            f"Keras 3 reads input_dim={written['input_dim']} as the input shape "
            f"({written['input_dim']},), which {layer.cls} refuses (it takes sequences); Keras 2 "
            "read it as the features of each step, as here"
        )
    return notes
