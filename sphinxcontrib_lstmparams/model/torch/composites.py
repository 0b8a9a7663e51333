"""torch's modules made of modules, counted as one layer (``nn.MultiheadAttention``, the
Transformer layers and stacks): their children as modules, and the calls their ``forward``
makes (standard library only).

A layer kind lists the children (:meth:`~sphinxcontrib_lstmparams.kinds.base.LayerKind.
children`: attribute, class, parameters, whether ``forward`` calls it); here they become
modules with an identity, so torchinfo's walk and hooks see them as torch's. The order of the
calls is torch 2.13's ``forward`` (torch/nn/modules/transformer.py): ``norm_first`` moves each
norm before its block; ``nn.MultiheadAttention`` calls none of its children (its
``out_proj`` is used through ``F.multi_head_attention_forward``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...kinds import KINDS
from ...kinds.base import Child
from ...spec import Shape
from ..code.values import FrameworkObject

if TYPE_CHECKING:
    from .calls import Hooks
    from .modules import TorchLayer

# what torch calls a module's own parameters (torchinfo's mult-adds tell "weight" and "bias"
# from names that only hold them, such as in_proj_weight)
_OWN_NAMES = {"MultiheadAttention": "in_proj_weight"}


class ChildModule(FrameworkObject):
    """A module inside a layer we count (a Transformer layer's ``linear1``)."""

    def __init__(self, child: Child, owner: TorchLayer, path: str) -> None:
        self.cls = child.cls
        self.attribute_name = child.attribute
        self.params = child.params
        self.called_in_forward = child.called
        self.owner = owner  # the layer whose weights these are (frozen with it)
        self.line = owner.line
        self.path = path
        self.children = [
            (sub.attribute, ChildModule(sub, owner, f"{path}.{sub.attribute}"))
            for sub in child.children
        ]
        self.weights = ChildWeights(self)

    def shown(self) -> str:
        return self.cls

    @property
    def own(self) -> int:
        """Its parameters that no child of it holds."""
        return self.params - sum(child.params for _name, child in self.children)

    @property
    def own_name(self) -> str:
        return _OWN_NAMES.get(self.cls, "weight")


class ChildWeights(FrameworkObject):
    """A child module's own parameters, as one."""

    def __init__(self, module: ChildModule | TorchLayer, count: int | None = None) -> None:
        self.module = module
        self.count = count

    def shown(self) -> str:
        return f"the weights of {self.module.cls}"

    def numel(self) -> int:
        if self.count is not None:
            return self.count
        assert isinstance(self.module, ChildModule)
        return self.module.own


def layer_children(layer: TorchLayer) -> list[tuple[str, ChildModule]]:
    """The modules a layer we count is made of, made once (they have an identity)."""
    found: list[tuple[str, ChildModule]] | None = getattr(layer, "_children", None)
    if found is None:
        from ...counting import Breakdown

        counted = layer.counted()
        children: tuple[Child, ...] = ()
        if isinstance(counted, Breakdown):
            children = KINDS[counted.spec.cell].children(counted.spec)
        found = [
            (child.attribute, ChildModule(child, layer, child.attribute)) for child in children
        ]
        layer._children = found  # type: ignore[attr-defined]
    return found


def own_name(layer: TorchLayer) -> str:
    return _OWN_NAMES.get(layer.cls, "weight")


def norm_first(layer: TorchLayer) -> bool:
    """``norm_first=True`` anywhere in the layer's call (a stack's layer's too)."""
    for node in ast.walk(layer.call_node):
        if isinstance(node, ast.keyword) and node.arg == "norm_first":
            return isinstance(node.value, ast.Constant) and node.value.value is True
    return False


# the order each composite's forward calls its children in: (norm_first False, True)
_ENCODER_LAYER = (
    ("self_attn", "dropout1", "norm1", "linear1", "dropout", "linear2", "dropout2", "norm2"),
    ("norm1", "self_attn", "dropout1", "norm2", "linear1", "dropout", "linear2", "dropout2"),
)
_DECODER_LAYER = (
    ("self_attn", "dropout1", "norm1", "multihead_attn", "dropout2", "norm2", "linear1",
     "dropout", "linear2", "dropout3", "norm3"),
    ("norm1", "self_attn", "dropout1", "norm2", "multihead_attn", "dropout2", "norm3",
     "linear1", "dropout", "linear2", "dropout3"),
)  # fmt: skip


def calls_of(
    cls: str, children: list[tuple[str, ChildModule]], first: bool
) -> Iterator[ChildModule]:
    """The children a composite's forward calls, in order (each once)."""
    by_name = dict(children)
    if cls == "TransformerEncoderLayer":
        order: tuple[str, ...] = _ENCODER_LAYER[first]
    elif cls == "TransformerDecoderLayer":
        order = _DECODER_LAYER[first]
    elif cls in ("TransformerEncoder", "TransformerDecoder"):
        layers = by_name.get("layers")
        for _name, layer in layers.children if layers else []:
            yield layer
        if "norm" in by_name:
            yield by_name["norm"]
        return
    elif cls == "Transformer":
        order = ("encoder", "decoder")
    else:
        return
    for name in order:
        if name in by_name:
            yield by_name[name]


def run_children(
    hooks: Hooks,
    layer: TorchLayer,
    module: TorchLayer | ChildModule,
    shape: Shape | None,
    target: Shape | None,
    node: ast.AST,
) -> None:
    """The hooks see each child call of a composite's forward, with its input and output
    sizes: the model's width everywhere but after ``linear1``; ``nn.Transformer(src, tgt)``
    feeds its decoder the target."""
    from .tensors import TorchTensor

    children = layer_children(layer) if module is layer else module.children  # type: ignore[union-attr]
    feedforward = getattr(layer.counted(), "spec", None)
    width = getattr(feedforward, "feedforward", None)
    wide = None if shape is None or width is None else (*shape[:-1], width)
    for child in calls_of(module.cls, children, norm_first(layer)):
        name = child.attribute_name
        given = target if module.cls == "Transformer" and name == "decoder" else shape
        fed = wide if name == "linear2" else given
        out = wide if name in ("linear1", "dropout") else given
        hooks.pre(child, node)
        run_children(hooks, layer, child, given, target, node)
        hooks.post(child, [TorchTensor(fed)], _output(child, out))


def _output(child: ChildModule, shape: Shape | None) -> Any:
    from .tensors import TorchTensor

    out = TorchTensor(shape)
    return (out, None) if child.cls == "MultiheadAttention" else out


__all__ = [
    "ChildModule",
    "ChildWeights",
    "calls_of",
    "layer_children",
    "norm_first",
    "run_children",
]
