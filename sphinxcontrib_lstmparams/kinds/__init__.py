"""Layer kinds: each one owns its options, its rules, its expression (hence its tensors and its
formula), its table and its words (standard library only).

A kind answers to one or more words of the ``cell`` option. To add one, write a module with a
:class:`~sphinxcontrib_lstmparams.kinds.base.LayerKind` subclass and register an instance at the
bottom of this file; nothing else changes (``docs/architecture.rst`` walks through it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..spec import Spec
from .attention import ATTENTION
from .base import Child, LayerKind, S
from .bilinear import BILINEAR
from .conv import CONV
from .conv_variants import CONV_TRANSPOSE, SEPARABLE_CONV
from .convlstm import CONVLSTM
from .dense import DENSE
from .embedding import EMBEDDING
from .embedding_bag import EMBEDDING_BAG
from .group_normalization import GROUP_NORMALIZATION
from .normalization import NORMALIZATION
from .prelu import PRELU
from .preprocessing import PREPROCESSING, STANDARDIZE
from .recurrent import RECURRENT
from .resampling import RESAMPLING
from .shaping import SHAPING
from .stacked_cells import STACKED_CELLS
from .transformer import TRANSFORMER

__all__ = [
    "KINDS",
    "Child",
    "LayerKind",
    "S",
    "all_flags",
    "all_options",
    "kind_of",
    "register",
]

KINDS: dict[str, LayerKind[Any]] = {}


def register(kind: LayerKind[Any]) -> LayerKind[Any]:
    """Make ``kind`` answer to its cell words."""
    taken = [cell for cell in kind.cells if cell in KINDS]
    if taken:
        raise ValueError(f"cell words already taken: {', '.join(taken)}")
    for cell in kind.cells:
        KINDS[cell] = kind
    return kind


def unregister(kind: LayerKind[Any]) -> None:
    for cell in kind.cells:
        if KINDS.get(cell) is kind:
            del KINDS[cell]


def kind_of(spec: Spec) -> LayerKind[Any]:
    return KINDS[spec.cell]


def registered() -> list[LayerKind[Any]]:
    """Each kind once, in the order registered."""
    return list(dict.fromkeys(KINDS.values()))


def all_options() -> tuple[str, ...]:
    """Every option word some kind reads, with `cell`; in the order kinds declare them."""
    words: Iterable[str] = ("cell", *(o for kind in registered() for o in kind.options))
    return tuple(dict.fromkeys(words))


def all_flags() -> frozenset[str]:
    return frozenset(flag for kind in registered() for flag in kind.flags)


# The built-in kinds, in the order `cell` lists their words.
register(RECURRENT)
register(CONVLSTM)
# the layers around recurrent ones in a model
register(DENSE)
register(EMBEDDING)
register(CONV)
register(NORMALIZATION)
register(SHAPING)
# the layers of real models around them (issue 22)
register(CONV_TRANSPOSE)
register(SEPARABLE_CONV)
register(GROUP_NORMALIZATION)
register(PRELU)
register(EMBEDDING_BAG)
register(STANDARDIZE)
register(ATTENTION)
register(BILINEAR)
register(TRANSFORMER)
register(STACKED_CELLS)
register(RESAMPLING)
register(PREPROCESSING)
