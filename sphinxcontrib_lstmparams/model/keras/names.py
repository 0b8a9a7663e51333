"""Keras' layer names: ``to_snake_case`` of the class, then ``_1``, ``_2`` in the order layers
are made (keras/src/utils/naming.py)."""

from __future__ import annotations

import re

from ...constructors import Layer


def snake_case(name: str) -> str:
    """Keras' own ``to_snake_case``: LSTM -> lstm, SimpleRNN -> simple_rnn."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class KerasNames:
    """Keras' layer names: snake_case of the class, then _1, _2 ... in the order layers are
    made; a wrapped layer is made (and named) before its wrapper, and a name= given takes
    no number."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def take(self, cls: str) -> str:
        base = snake_case(cls)
        seen = self.used.get(base, 0)
        self.used[base] = seen + 1
        return base if seen == 0 else f"{base}_{seen}"

    def of(self, layer: Layer) -> str:
        """The outermost layer's name, every level named in the order Keras makes them."""
        given = layer.call.get("names", ())
        levels = (layer.cls, *reversed(layer.wrappers))
        name = ""
        for level, cls in enumerate(levels):
            explicit = given[level] if isinstance(given, tuple) and level < len(given) else None
            name = str(explicit) if explicit is not None else self.take(cls)
        return name
