"""Check a count against the framework itself: build the layer in PyTorch or Keras without
allocating its weights, and compare its total and every tensor's shape with the
:class:`~sphinxcontrib_lstmparams.counting.Breakdown` (standard library only: a framework is
imported inside the functions that build with it, when asked for).

What is built, from a spec and the options the author gave (``given``):

``torch``
   Layers of framework ``pytorch``: ``torch.nn.LSTM``, ``GRU`` or ``RNN`` (the cells count
   alike) with ``num_layers``, ``bidirectional``, ``bias`` and ``proj_size``, on the ``meta``
   device (shapes, no memory). Its count is ``sum(p.numel() for p in module.parameters())``.
``keras``
   Layers of framework ``keras``: ``keras.layers.LSTM``, ``GRU``, ``SimpleRNN`` and
   ``ConvLSTM1D/2D/3D``, wrapped in ``Bidirectional`` (with its ``merge_mode``), a stack as one
   layer after another (each with ``return_sequences=True`` but the last), each built on the
   shape the one before gives (``compute_output_shape``), inside
   ``keras.StatelessScope(initialize_variables=False)``: variables get shapes, no values.
   Keras runs on whatever backend it is configured for (``KERAS_BACKEND``). Its count is
   ``count_params()``.

An option the author did not give is not passed: the framework's own default applies. So when a
framework changes a default (Keras' GRU ``reset_after`` became True in TF 2), the real layer
changes while the page keeps the old rule, and the two disagree.

How shapes are compared: a framework packs a layer's gates into a few tensors (Keras
``kernel`` (i, 4h), PyTorch ``weight_ih_l0`` (4h, i)). Each tensor's name says which layer and
direction it belongs to and which kind of our tensors it holds (:data:`TORCH_KINDS`,
:data:`KERAS_KINDS`); the page's tensors of that layer, direction and kind, one per gate, are
packed the same way: laid side by side on their last (output) axis, transposed for PyTorch's
``(out, in)`` matrices, and stacked on a new first axis when the framework keeps two kinds in
one tensor (Keras' GRU bias (2, 3h): input and recurrent bias). That packed shape must be the
framework's, every tensor of the page must be claimed by one of the framework's, and the totals
must be equal. Gate order cannot be seen in shapes; ``tests/data/gate_orders.json`` checks it.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .counting import Breakdown, with_constructor
from .kinds import all_options
from .kinds.convlstm import RANK, ConvLSTMSpec
from .options import canonical_name, collect
from .spec import Direction, LayerSpec, Tensor, TensorKind

Library = Literal["torch", "keras"]
LIBRARIES: tuple[Library, ...] = get_args(Library)
# our framework words that name a library
LIBRARY_ALIASES: dict[str, Library] = {"pytorch": "torch"}
# the framework (our word) whose layers each library builds
CHECKS: dict[Library, str] = {"torch": "pytorch", "keras": "keras"}
# options that never reach a framework's constructor: they cannot change what it builds
UNBUILT = frozenset({"timesteps", "dtype", "input_shape"})
# options a builder passes only when the author gave them (else the framework's default applies)
DEFAULTED = frozenset(
    {
        "layers",
        "bias",
        "bidirectional",
        "proj_size",
        "reset_after",
        "merge_mode",
        "strides",
        "padding",
        "dilation_rate",
    }
)


class Unavailable(Exception):
    """A library that cannot be imported (or is not a version we can build with)."""


@dataclass(frozen=True)
class RealTensor:
    """One tensor the framework made: its name and shape, and what of ours it holds (layer
    and direction None, kinds empty: nothing we know)."""

    name: str
    shape: tuple[int, ...]
    layer: int | None
    direction: Direction | None
    kinds: tuple[TensorKind, ...]
    transposed: bool = False  # stored (outputs, inputs), as torch.nn.Linear does

    @property
    def count(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Built:
    """What a framework built for a spec: what was called, its own count and its tensors, or
    the error it raised."""

    library: Library
    version: str
    call: str
    total: int = 0
    tensors: tuple[RealTensor, ...] = ()
    error: str | None = None


def library_name(word: str) -> Library | None:
    """``torch``, ``keras`` (any case) or ``pytorch`` -> the library; None for anything else."""
    key = word.strip().lower()
    key = LIBRARY_ALIASES.get(key, key)
    return next((library for library in LIBRARIES if library == key), None)


def covers(library: Library, spec: object) -> bool:
    """Whether ``library`` builds the layer that ``spec`` counts."""
    framework = getattr(spec, "framework", None)
    if framework != CHECKS[library]:
        return False
    if library == "torch":
        return isinstance(spec, LayerSpec)
    return isinstance(spec, LayerSpec | ConvLSTMSpec)


def given_options(
    written: Iterable[tuple[str, object]] | Iterable[Sequence[object]], layer: str | None
) -> frozenset[str]:
    """The options (our words) the author gave: in option words and in a pasted constructor."""
    pairs = [(str(name), value) for name, value in written]
    raw: dict[str, object] = collect(pairs, known=all_options())
    if layer is not None:
        raw = with_constructor(layer, raw)
    return frozenset(canonical_name(name) for name in raw)


def cache_key(library: Library, version: str, spec: object, given: frozenset[str]) -> Hashable:
    """One key per layer a library would build alike: the spec without what never reaches the
    constructor, and which of the options it passes only when given were given."""
    fields = {f.name for f in dataclasses.fields(spec)}  # type: ignore[arg-type]
    unbuilt: dict[str, object] = {name: None for name in UNBUILT & fields if name != "dtype"}
    if "dtype" in fields:
        unbuilt["dtype"] = "float32"
    normal = dataclasses.replace(spec, **unbuilt)  # type: ignore[type-var]
    return (library, version, type(spec).__name__, normal, given & DEFAULTED)


# -- importing ----------------------------------------------------------------------------------


def load(library: Library) -> str:
    """Import ``library``; its version. Raises :class:`Unavailable` with the reason."""
    try:
        module = importlib.import_module(library)
        version = str(module.__version__)
    except Exception as error:  # ImportError, or a backend that fails while loading
        reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        raise Unavailable(reason.rstrip(": ")) from error
    if library == "keras" and not hasattr(module, "StatelessScope"):
        raise Unavailable(f"keras {version} is not Keras 3 (no keras.StatelessScope)")
    return version


# -- building -----------------------------------------------------------------------------------

# PyTorch's parameter names: weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0 (the projection)
_TORCH_NAME = re.compile(
    r"(?P<what>weight|bias)_(?P<part>ih|hh|hr)_l(?P<layer>\d+)(?P<rev>_reverse)?"
)
TORCH_KINDS: dict[tuple[str, str], tuple[TensorKind, ...]] = {
    ("weight", "ih"): ("input_weights",),
    ("weight", "hh"): ("recurrent_weights",),
    ("bias", "ih"): ("input_bias",),
    ("bias", "hh"): ("recurrent_bias",),
    ("weight", "hr"): ("projection",),
}
# Keras' variable names inside a recurrent layer's cell; the bias holds one kind, or two rows
KERAS_KINDS: dict[str, tuple[TensorKind, ...]] = {
    "kernel": ("input_weights",),
    "recurrent_kernel": ("recurrent_weights",),
    "bias": ("bias", "input_bias", "recurrent_bias"),
}
TORCH_CLASSES = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}
KERAS_CLASSES = {"lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN"}


def said(option: str, given: frozenset[str]) -> bool:
    """Whether to pass ``option``: only when the author gave it (:data:`DEFAULTED` lists
    these options, so that the cache tells such layers apart)."""
    if option not in DEFAULTED:
        raise ValueError(f"{option} is not in DEFAULTED")
    return option in given


def _arguments(positional: Sequence[object], keywords: dict[str, object]) -> str:
    return ", ".join([*map(repr, positional), *(f"{k}={v!r}" for k, v in keywords.items())])


def torch_tensor(name: str, shape: tuple[int, ...]) -> RealTensor:
    """A PyTorch parameter, placed by its name."""
    match = _TORCH_NAME.fullmatch(name)
    if match is None:
        return RealTensor(name, shape, None, None, ())
    kinds = TORCH_KINDS[(match["what"], match["part"])]
    direction: Direction = "backward" if match["rev"] else "forward"
    return RealTensor(
        name, shape, int(match["layer"]) + 1, direction, kinds, match["what"] == "weight"
    )


def _build_torch(spec: LayerSpec, given: frozenset[str]) -> tuple[str, str, int, list[RealTensor]]:
    torch = importlib.import_module("torch")
    keywords: dict[str, object] = {}
    for ours, theirs in (
        ("layers", "num_layers"),
        ("bias", "bias"),
        ("bidirectional", "bidirectional"),
        ("proj_size", "proj_size"),
    ):
        if said(ours, given):
            keywords[theirs] = getattr(spec, ours)
    name = TORCH_CLASSES[spec.cell]
    positional = (spec.input_dim, spec.units)
    call = f"torch.nn.{name}({_arguments(positional, keywords)})"
    module = getattr(torch.nn, name)(*positional, **keywords, device="meta")
    tensors = [torch_tensor(n, tuple(p.shape)) for n, p in module.named_parameters()]
    total = sum(p.numel() for p in module.parameters())
    return str(torch.__version__), call, int(total), tensors


def _keras_layer(
    keras: Any, spec: LayerSpec | ConvLSTMSpec, given: frozenset[str], index: int, last: bool
) -> tuple[Any, str]:
    """One layer of the stack, and how it is written."""
    keywords: dict[str, object] = {}
    if said("bias", given):
        keywords["use_bias"] = spec.bias
    if isinstance(spec, ConvLSTMSpec):
        name = f"ConvLSTM{RANK[spec.cell]}D"
        positional: tuple[object, ...] = (spec.units, spec.kernel_size)
        for option in ("strides", "padding", "dilation_rate"):
            if said(option, given):
                keywords[option] = getattr(spec, option)
    else:
        name = KERAS_CLASSES[spec.cell]
        positional = (spec.units,)
        if spec.cell == "gru" and said("reset_after", given):
            keywords["reset_after"] = spec.reset_after
    if not last:
        keywords["return_sequences"] = True
    call = f"keras.layers.{name}({_arguments(positional, keywords)})"
    layer = getattr(keras.layers, name)(*positional, **keywords, name=f"{name.lower()}_{index}")
    if not spec.bidirectional:
        return layer, call
    outer: dict[str, object] = {}
    if said("merge_mode", given):
        outer["merge_mode"] = spec.merge_mode
    wrapped = keras.layers.Bidirectional(layer, **outer, name=f"bidirectional_{index}")
    return (
        wrapped,
        f"keras.layers.Bidirectional({call}{''.join(f', {k}={v!r}' for k, v in outer.items())})",
    )


def _keras_input_shape(spec: LayerSpec | ConvLSTMSpec) -> tuple[int | None, ...]:
    """(batch, timesteps, features), or (batch, timesteps, *space, channels) of the smallest
    space the kernel fits in (its size never changes the count)."""
    if isinstance(spec, LayerSpec):
        return (None, None, spec.input_dim)
    space = tuple(
        d * (k - 1) + 1 for k, d in zip(spec.kernel_size, spec.dilation_rate, strict=True)
    )
    return (None, None, *space, spec.input_dim)


def _build_keras(
    spec: LayerSpec | ConvLSTMSpec, given: frozenset[str]
) -> tuple[str, str, int, list[RealTensor]]:
    keras = importlib.import_module("keras")
    layers = spec.layers if isinstance(spec, LayerSpec) else 1
    shape = _keras_input_shape(spec)
    calls: list[str] = []
    tensors: list[RealTensor] = []
    total = 0
    with keras.StatelessScope(initialize_variables=False):
        for index in range(layers):
            layer, call = _keras_layer(keras, spec, given, index, index == layers - 1)
            layer.build(shape)
            calls.append(call)
            parts: list[tuple[Any, Direction]] = [(layer, "forward")]
            if spec.bidirectional:
                parts = [(layer.forward_layer, "forward"), (layer.backward_layer, "backward")]
            for part, direction in parts:
                for weight in part.weights:
                    kinds = KERAS_KINDS.get(weight.name, ())
                    dims = tuple(int(size) for size in weight.shape)
                    if kinds:
                        tensors.append(RealTensor(weight.path, dims, index + 1, direction, kinds))
                    else:
                        tensors.append(RealTensor(weight.path, dims, None, None, ()))
            total += int(layer.count_params())
            shape = tuple(layer.compute_output_shape(shape))
    first = _keras_input_shape(spec)
    return (
        str(keras.__version__),
        f"{', then '.join(calls)} on inputs of shape {first}",
        total,
        tensors,
    )


BUILDERS: dict[Library, Callable[[Any, frozenset[str]], tuple[str, str, int, list[RealTensor]]]] = {
    "torch": _build_torch,
    "keras": _build_keras,
}


def build(library: Library, spec: object, given: frozenset[str]) -> Built:
    """Build the layer in ``library`` (imported here); an exception it raises becomes
    :attr:`Built.error`. Call :func:`load` first: this assumes the library imports."""
    try:
        version, call, total, tensors = BUILDERS[library](spec, given)
    except Exception as error:
        first = str(error).splitlines()[0] if str(error) else ""
        return Built(library, _version(library), "", error=f"{type(error).__name__}: {first}")
    return Built(library, version, call, total, tuple(tensors))


def _version(library: Library) -> str:
    try:
        return load(library)
    except Unavailable:
        return "?"


# -- comparing ----------------------------------------------------------------------------------


def shape_text(shape: Sequence[int]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(map(str, shape))})"


def packed_shape(groups: Sequence[Sequence[Tensor]], transposed: bool) -> tuple[int, ...] | None:
    """The shape of one stored tensor that holds ``groups`` (one group per kind of ours, each
    one tensor per gate): each group side by side on the last axis (reversed for a transposed
    store), several groups stacked on a new first axis; None when they cannot make one tensor."""
    shapes = []
    for group in groups:
        heads = {tensor.shape[:-1] for tensor in group}
        if len(heads) != 1:
            return None
        shape = (*heads.pop(), sum(tensor.shape[-1] for tensor in group))
        shapes.append(shape[::-1] if transposed else shape)
    if not shapes or len(set(shapes)) != 1:
        return None
    return shapes[0] if len(shapes) == 1 else (len(shapes), *shapes[0])


def compare(breakdown: Breakdown[Any], built: Built) -> list[str]:
    """Where the framework's layer and the page's count differ; empty when they agree."""
    if built.error is not None:
        return [f"{built.library} cannot build it: {built.error}"]
    problems = []
    if built.total != breakdown.total:
        problems.append(f"{built.total:,} parameters, where the page counts {breakdown.total:,}")
    ours: dict[tuple[int, Direction, TensorKind], list[Tensor]] = {}
    for tensor in breakdown.tensors:
        ours.setdefault((tensor.layer, tensor.direction, tensor.kind), []).append(tensor)
    claimed: set[tuple[int, Direction, TensorKind]] = set()
    for real in built.tensors:
        held = []
        if real.layer is not None and real.direction is not None:
            keys = [(real.layer, real.direction, kind) for kind in real.kinds]
            held = [key for key in keys if key in ours]
        if not held:
            problems.append(f"{real.name} {shape_text(real.shape)} is not on the page")
            continue
        claimed.update(held)
        expected = packed_shape([ours[key] for key in held], real.transposed)
        if expected != real.shape:
            made = "no one tensor" if expected is None else shape_text(expected)
            problems.append(f"{real.name} is {shape_text(real.shape)}, the page's make {made}")
    for key, tensors in ours.items():
        if key not in claimed:
            layer, direction, kind = key
            count = sum(tensor.count for tensor in tensors)
            problems.append(
                f"the page's {kind.replace('_', ' ')} of layer {layer} ({direction}, {count:,} "
                f"parameters) are in no tensor of {built.library}"
            )
    return problems


def report(built: Built, problems: Sequence[str], shown: int = 4) -> str:
    """One message for a disagreement: who built what, then the first ``shown`` problems."""
    listed = list(problems[:shown])
    if len(problems) > shown:
        listed.append(f"and {len(problems) - shown} more")
    head = f"{built.library} {built.version} disagrees with this count"
    if built.call:
        return f"{head}. {built.call}: {'; '.join(listed)}"
    return f"{head}: {'; '.join(listed)}"
