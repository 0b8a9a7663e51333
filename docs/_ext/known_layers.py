"""A docs-local Sphinx extension: ``.. known-layers:: keras`` lists the classes of one
framework that the layer kinds answer to, read from the registry (``kinds.registered()``) and
the wrappers the constructor reader knows, so that docs/models.rst cannot drift from the code.

Each kind's classes are one item: the kind's words, then its classes, an alias after its
class (``MaxPooling2D`` (``MaxPool2D``)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_lstmparams.constructors import WRAPPER_CLASSES
from sphinxcontrib_lstmparams.kinds import registered

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# What each kind's classes are, in the list's words (a kind without an entry shows its name).
GROUPS = {
    "recurrent": "Recurrent layers and cells",
    "ConvLSTM": "Convolutional recurrent layers",
    "Dense": "Fully connected",
    "Embedding": "Embeddings",
    "EmbeddingBag": "Embeddings pooled per bag",
    "Conv": "Convolutions",
    "ConvTranspose": "Transposed convolutions",
    "SeparableConv": "Depthwise and separable convolutions",
    "Normalization": "Batch and layer normalisation",
    "GroupNormalization": "Group and instance normalisation",
    "preprocessing Normalization": "Feature normalisation (a mean, a variance and a count, "
    "none trained)",
    "PReLU": "The activation with weights",
    "attention": "Attention",
    "Bilinear": "Bilinear",
    "transformer": "Transformer layers",
    "stacked cells": "Recurrent cells that differ, in one layer",
    "layer without weights": "Layers without weights (activations, dropout and noise, "
    "pooling, padding, cropping, resizing, reshaping, preprocessing)",
}


def layer_groups(framework: str) -> list[tuple[str, list[str]]]:
    """(the kind's words, its classes as shown) for every kind with classes of ``framework``,
    in the order the kinds are registered; the wrappers last."""
    groups: dict[str, list[str]] = {}
    for kind in registered():
        for signature in kind.signatures:
            if signature.framework != framework:
                continue
            shown = groups.setdefault(GROUPS.get(kind.name, kind.name), [])
            for cls in signature.classes:
                aliases = sorted(a for a, c in signature.aliases.items() if c == cls)
                shown.append(cls + "".join(f" ({alias})" for alias in aliases))
    wrappers = WRAPPER_CLASSES.get(framework, ())  # type: ignore[call-overload]
    if wrappers:
        groups["Wrappers, counted with the layer inside"] = list(wrappers)
    return [(group, sorted(dict.fromkeys(classes))) for group, classes in groups.items() if classes]


class KnownLayers(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list()
        prefix = "nn." if self.arguments[0] == "pytorch" else ""
        for group, classes in layer_groups(self.arguments[0]):
            paragraph = nodes.paragraph()
            paragraph += nodes.strong(text=f"{group}:")
            paragraph += nodes.Text(" ")
            for index, shown in enumerate(classes):
                name, _space, aliases = shown.partition(" ")
                if index:
                    paragraph += nodes.Text(", ")
                paragraph += nodes.literal(text=prefix + name)
                if aliases:
                    for alias in aliases.strip("()").split(") ("):
                        paragraph += nodes.Text(" (")
                        paragraph += nodes.literal(text=prefix + alias)
                        paragraph += nodes.Text(")")
            item = nodes.list_item()
            item += paragraph
            items += item
        return [items]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("known-layers", KnownLayers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
