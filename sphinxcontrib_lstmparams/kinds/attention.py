"""Attention: Keras ``Attention``, ``AdditiveAttention`` and ``MultiHeadAttention``, PyTorch
``nn.MultiheadAttention``.

They are called on several tensors (a query, a value, a key), so a model of one layer per line
cannot feed them; their counts depend on those tensors' features, which the options name:
``input-dim`` (the query's), ``key-input-dim`` and ``value-input-dim``. A graph that knows
the tensors reads them through :meth:`~sphinxcontrib_lstmparams.kinds.base.LayerKind.
options_from_inputs`.

* Keras ``Attention``: no weights, a scalar ``scale`` with ``use_scale=True`` and a scalar
  ``concat_score_weight`` with ``score_mode="concat"`` (keras/src/layers/attention/
  attention.py, build). ``AdditiveAttention``: a ``scale`` per query feature, on by default.
* Keras ``MultiHeadAttention(num_heads, key_dim, value_dim=key_dim, output_shape=query's)``:
  four dense projections (query, key, value, attention_output; a ``gate`` with
  ``use_gate=True``), each a kernel and a bias per head (multi_head_attention.py, build):
  ``(q + 1)hd + (k + 1)hd + (v + 1)he + (he + 1)o``.
* PyTorch ``nn.MultiheadAttention(E, heads, bias=True, add_bias_kv=False, kdim=E, vdim=E)``:
  the query, key and value projections stacked in ``in_proj_weight`` (separate
  ``q_proj_weight``... when kdim or vdim differ from E) with one ``in_proj_bias``, the output
  projection ``out_proj``, and with add_bias_kv ``bias_k`` and ``bias_v`` (torch/nn/modules/
  activation.py): ``4(E + 1)E`` by default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from ..expression import Add, Copies, Expr, Mul, Num, Sym, Symbol, Where, labelled
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_bool, parse_int, parse_literal, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gate, Gettext, OptionError, Shape
from .base import Child
from .common import read_dtype, read_framework, read_timesteps
from .named import NamedKind, Stored
from .recurrent_constructors import KERAS_NEUTRAL
from .simple import check_framework

ScoreMode = Literal["dot", "concat"]
SCORE_MODES: tuple[ScoreMode, ...] = get_args(ScoreMode)
CELLS = ("attention", "additive_attention", "multi_head_attention")
CLASSES = {
    "attention": "Attention",
    "additive_attention": "AdditiveAttention",
    "multi_head_attention": "MultiHeadAttention",
}


@dataclass(frozen=True)
class AttentionSpec:
    cell: str
    input_dim: int  # the query's features (PyTorch embed_dim); 0: not given (Attention)
    key_input_dim: int  # the key's features
    value_input_dim: int  # the value's features
    heads: int = 1
    head_dim: int = 0  # Keras key_dim: each head's query and key size
    value_head_dim: int = 0  # Keras value_dim
    units: tuple[int, ...] = ()  # Keras output_shape: the output's features per position
    framework: FrameworkName = "keras"
    bias: bool = True
    scale: bool = False  # Keras use_scale
    score_mode: ScoreMode = "dot"
    gated: bool = False  # Keras use_gate
    bias_kv: bool = False  # PyTorch add_bias_kv
    timesteps: int | None = None
    dtype: DType = "float32"


def _output_shape(value: object) -> dict[str, object]:
    """Keras' output_shape=16 or (3, 5): the output's features per position."""
    return {"units": value}


_KERAS_ATTENTION_NEUTRAL = frozenset({"dropout", "seed", "name", "trainable", "dtype"})
SIGNATURES = (
    # keras/src/layers/attention/attention.py and additive_attention.py
    Signature(
        framework="keras",
        classes=("Attention",),
        fixed={"Attention": {"cell": "attention"}},
        prefixes=KERAS,
        positional=(
            Param("use_scale", "bool", "scale"),
            Param("score_mode", "text", "score_mode"),
            Param("dropout"),
            Param("seed"),
        ),
        neutral=_KERAS_ATTENTION_NEUTRAL,
    ),
    Signature(
        framework="keras",
        classes=("AdditiveAttention",),
        fixed={"AdditiveAttention": {"cell": "additive_attention"}},
        prefixes=KERAS,
        positional=(Param("use_scale", "bool", "scale"), Param("dropout")),
        neutral=_KERAS_ATTENTION_NEUTRAL,
    ),
    # keras/src/layers/attention/multi_head_attention.py
    Signature(
        framework="keras",
        classes=("MultiHeadAttention",),
        fixed={"MultiHeadAttention": {"cell": "multi_head_attention"}},
        prefixes=KERAS,
        positional=(
            Param("num_heads", "int", "heads"),
            Param("key_dim", "int", "head_dim"),
            Param("value_dim", "int", "value_head_dim"),
            Param("dropout"),
            Param("use_bias", "bool", "bias"),
            Param("output_shape", "sizes", _output_shape, shapes=True),
            Param("attention_axes"),
            Param("sliding_window"),
            Param("flash_attention"),
            Param("kernel_initializer"),
            Param("bias_initializer"),
            Param("kernel_regularizer"),
            Param("bias_regularizer"),
            Param("activity_regularizer"),
            Param("kernel_constraint"),
            Param("bias_constraint"),
            Param("use_gate", "bool", "gated"),
            Param("seed"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        required=("num_heads", "key_dim"),
        neutral=KERAS_NEUTRAL,
    ),
    # torch/nn/modules/activation.py MultiheadAttention; embed_dim, kdim and vdim must be the
    # features of the query, key and value it is called on
    Signature(
        framework="pytorch",
        classes=("MultiheadAttention",),
        fixed={"MultiheadAttention": {"cell": "multi_head_attention"}},
        prefixes=PYTORCH,
        positional=(
            Param("embed_dim", "int", "input_dim", shapes=True),
            Param("num_heads", "int", "heads"),
            Param("dropout"),
            Param("bias", "bool", "bias"),
            Param("add_bias_kv", "bool", "bias_kv"),
            Param("add_zero_attn", "bool"),
            Param("kdim", "int", "key_input_dim", shapes=True),
            Param("vdim", "int", "value_input_dim", shapes=True),
            Param("batch_first", "bool", shapes=True),
        ),
        keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
        required=("embed_dim", "num_heads"),
    ),
)


def _several_inputs(cls: str, framework: FrameworkName) -> str:
    """Why a model that passes one tensor from layer to layer cannot feed the layer, as the
    framework says it."""
    if framework == "pytorch":
        return (
            f"nn.{cls} is called on a query, a key and a value (forward(query, key, "
            "value)); a model of one layer per line passes one tensor on"
        )
    if cls == "MultiHeadAttention":
        # keras/src/models/sequential.py, add
        return (
            "Layers added to a Sequential model can only have a single required positional "
            "argument, the input tensor; MultiHeadAttention takes query and value"
        )
    # keras/src/layers/attention/attention.py, _validate_inputs
    return (
        f"{cls} layer must be called on a list of inputs, namely [query, value] or "
        "[query, value, key]; a Sequential model passes one tensor"
    )


class Attention(NamedKind[AttentionSpec]):
    name = "attention"
    cells: ClassVar[tuple[str, ...]] = CELLS
    options: ClassVar[tuple[str, ...]] = (
        "input_dim",
        "key_input_dim",
        "value_input_dim",
        "heads",
        "head_dim",
        "value_head_dim",
        "units",
        "framework",
        "bias",
        "scale",
        "score_mode",
        "gated",
        "bias_kv",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> AttentionSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Attention")
        pytorch = framework == "pytorch"
        if pytorch and cell != "multi_head_attention":
            raise refuse("cell", f"{cell} is a Keras layer; PyTorch has nn.MultiheadAttention")
        self._only(cell, framework, raw)
        multi = cell == "multi_head_attention"
        scale = parse_bool("scale", raw.get("scale", cell == "additive_attention"))
        # the query's features: what every projection (and Keras' additive scale) reads
        if multi or (cell == "additive_attention" and scale):
            input_dim = parse_int("input_dim", required(raw, "input_dim"), 1)
        else:
            input_dim = parse_int("input_dim", raw.get("input_dim", 0), 0)
        value = parse_int("value_input_dim", raw.get("value_input_dim") or input_dim, 0)
        # Keras' key is the value unless given apart; PyTorch's kdim is embed_dim
        key = parse_int(
            "key_input_dim", raw.get("key_input_dim") or (input_dim if pytorch else value), 0
        )
        if multi and min(key, value) < 1:
            raise refuse("value-input-dim", "the key and the value need one feature or more")
        heads = parse_int("heads", required(raw, "heads") if multi else raw.get("heads", 1), 1)
        head_dim = 0
        if multi and not pytorch:
            head_dim = parse_int("head_dim", required(raw, "head_dim"), 1)
        value_head = parse_int("value_head_dim", raw.get("value_head_dim") or head_dim, 0)
        units = _sizes("units", raw["units"]) if raw.get("units") is not None else (input_dim,)
        spec = AttentionSpec(
            cell,
            input_dim,
            key,
            value,
            heads,
            head_dim,
            value_head,
            units if multi and not pytorch else (),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            scale,
            parse_literal("score_mode", raw.get("score_mode", "dot"), SCORE_MODES),
            parse_bool("gated", raw.get("gated", False)),
            parse_bool("bias_kv", raw.get("bias_kv", False)),
            read_timesteps(raw),
            read_dtype(raw),
        )
        if pytorch and spec.input_dim % spec.heads:
            # torch/nn/modules/activation.py: "embed_dim must be divisible by num_heads"
            raise refuse("heads", f"{spec.heads} does not divide embed_dim {spec.input_dim}")
        return spec

    @staticmethod
    def _only(cell: str, framework: FrameworkName, raw: Mapping[str, object]) -> None:
        """Refuse the options this layer of this framework does not have."""
        keras_multi = ("heads", "head_dim", "value_head_dim", "units", "gated", "bias")
        allowed = {
            ("keras", "attention"): {"scale", "score_mode"},
            ("keras", "additive_attention"): {"scale"},
            ("keras", "multi_head_attention"): set(keras_multi),
            ("pytorch", "multi_head_attention"): {"heads", "bias", "bias_kv"},
        }[(framework, cell)]
        theirs = ("heads", "head_dim", "value_head_dim", "units", "bias", "scale")
        for word in (*theirs, "score_mode", "gated", "bias_kv"):
            if raw.get(word) is not None and word not in allowed:
                layer = CLASSES[cell] if framework == "keras" else "nn.MultiheadAttention"
                raise refuse(word.replace("_", "-"), f"{layer} has no such option")

    def display_name(self, spec: AttentionSpec) -> str:
        return "MultiheadAttention" if spec.framework == "pytorch" else CLASSES[spec.cell]

    # -- the count ---------------------------------------------------------------------------

    def expression(self, spec: AttentionSpec) -> Expr:
        where = Where(layer=1, direction="forward")
        if spec.cell == "multi_head_attention":
            projections = _torch(spec) if spec.framework == "pytorch" else _keras_multi(spec)
            return Copies((where,), projections)
        scalars: list[Expr] = []
        if spec.scale and spec.cell == "additive_attention":
            scalars.append(labelled(Sym("q", spec.input_dim), gate="layer", kind="scale"))
        elif spec.scale:
            scalars.append(labelled(Num(1), gate="layer", kind="scale"))
        if spec.score_mode == "concat" and spec.cell == "attention":
            scalars.append(labelled(Num(1), gate="score", kind="scale"))
        if not scalars:
            return Copies((), Num(0))  # no weights
        return Copies((where,), Add(tuple(scalars)) if len(scalars) > 1 else scalars[0])

    def stored(self, spec: AttentionSpec) -> tuple[Stored, ...]:
        if spec.cell != "multi_head_attention":
            out = []
            if spec.scale:
                shape = (spec.input_dim,) if spec.cell == "additive_attention" else ()
                out.append(Stored("scale", shape, (Where(gate="layer", kind="scale"),)))
            if spec.score_mode == "concat" and spec.cell == "attention":
                out.append(Stored("concat_score_weight", (), (Where(gate="score"),)))
            return tuple(out)
        if spec.framework == "pytorch":
            return _torch_stored(spec)
        return _keras_stored(spec)

    def children(self, spec: AttentionSpec) -> tuple[Child, ...]:
        if spec.framework != "pytorch":
            return ()
        e = spec.input_dim
        # out_proj is an nn.Linear (NonDynamicallyQuantizableLinear) that forward never calls:
        # F.multi_head_attention_forward uses its weight and bias
        return (
            Child(
                "out_proj",
                "NonDynamicallyQuantizableLinear",
                e * e + (e if spec.bias else 0),
                False,
            ),
        )

    # -- words -------------------------------------------------------------------------------

    def describe(self, spec: AttentionSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts: list[str] = []
        if spec.cell == "multi_head_attention":
            parts.append(_("{heads} heads").format(heads=numbers.count(spec.heads)))
            if spec.head_dim:
                parts.append(_("{size} per head").format(size=numbers.count(spec.head_dim)))
            if spec.value_head_dim != spec.head_dim:
                parts.append(
                    _("{size} per value head").format(size=numbers.count(spec.value_head_dim))
                )
        if spec.input_dim:
            parts.append(
                _("query of {features} features").format(features=numbers.count(spec.input_dim))
            )
        if spec.cell == "multi_head_attention":
            if spec.key_input_dim != spec.input_dim:
                parts.append(
                    _("key of {features} features").format(
                        features=numbers.count(spec.key_input_dim)
                    )
                )
            if spec.value_input_dim != spec.input_dim:
                parts.append(
                    _("value of {features} features").format(
                        features=numbers.count(spec.value_input_dim)
                    )
                )
            if spec.gated:
                parts.append(_("a gate"))
            if spec.bias_kv:
                parts.append(_("a bias for the keys and values"))
            if not spec.bias:
                parts.append(_("no bias"))
        elif spec.scale:
            parts.append(_("a learned scale"))
        if spec.score_mode == "concat" and spec.cell == "attention":
            parts.append(_("concatenated scores"))
        return parts

    def symbols(self, spec: AttentionSpec, _: Gettext) -> list[Symbol]:
        if spec.cell == "additive_attention" and spec.scale:
            return [Symbol("q", spec.input_dim, _("{symbol} = {value} query features"))]
        if spec.cell != "multi_head_attention":
            return []
        if spec.framework == "pytorch":
            symbols = [Symbol("E", spec.input_dim, _("{symbol} = {value} features (embed_dim)"))]
            if spec.key_input_dim != spec.input_dim:
                symbols.append(
                    Symbol("k", spec.key_input_dim, _("{symbol} = {value} key features"))
                )
            if spec.value_input_dim != spec.input_dim:
                symbols.append(
                    Symbol("v", spec.value_input_dim, _("{symbol} = {value} value features"))
                )
            return symbols
        letters = _keras_letters(spec)
        symbols = [Symbol("q", spec.input_dim, _("{symbol} = {value} query features"))]
        if letters["key"] == "k":
            symbols.append(Symbol("k", spec.key_input_dim, _("{symbol} = {value} key features")))
        if letters["value"] == "v":
            symbols.append(
                Symbol("v", spec.value_input_dim, _("{symbol} = {value} value features"))
            )
        symbols += [
            Symbol("h", spec.heads, _("{symbol} = {value} heads")),
            Symbol("d", spec.head_dim, _("{symbol} = {value} query and key features per head")),
        ]
        if spec.value_head_dim != spec.head_dim:
            symbols.append(
                Symbol("e", spec.value_head_dim, _("{symbol} = {value} value features per head"))
            )
        if spec.units != (spec.input_dim,):
            symbols.append(
                Symbol("o", math.prod(spec.units), _("{symbol} = {value} output features"))
            )
        return symbols

    def option_help(self) -> dict[str, str]:
        return {
            "key_input_dim": "attention: the key's features (default: the value's in Keras, "
            "embed_dim in PyTorch; PyTorch kdim)",
            "value_input_dim": "attention: the value's features (default: the query's; PyTorch "
            "vdim)",
            "heads": "attention: heads (Keras num_heads, PyTorch num_heads)",
            "head_dim": "Keras MultiHeadAttention: query and key features per head (key_dim)",
            "value_head_dim": "Keras MultiHeadAttention: value features per head (value_dim; "
            "default: head-dim)",
            "score_mode": "Keras Attention: dot or concat (default: dot)",
            "gated": "Keras MultiHeadAttention: a sigmoid gate projection (use_gate; "
            "default: false)",
            "bias_kv": "PyTorch MultiheadAttention: a bias added to the keys and values "
            "(add_bias_kv; default: false)",
        }

    # -- in a model ------------------------------------------------------------------------------

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        cls = "MultiheadAttention" if framework == "pytorch" else CLASSES[cell]
        raise OptionError(_several_inputs(cls, framework))

    def options_from_inputs(
        self,
        cell: str,
        shapes: Sequence[Shape],
        call: Mapping[str, object],
        framework: FrameworkName,
    ) -> dict[str, object]:
        """Keras: [query, value] or [query, value, key] (Attention's list, MultiHeadAttention's
        arguments); PyTorch: (query, key, value), whose features must be the embed_dim, kdim
        and vdim it was made with."""
        if len(shapes) not in ((3,) if framework == "pytorch" else (2, 3)):
            cls = "MultiheadAttention" if framework == "pytorch" else CLASSES[cell]
            raise OptionError(_several_inputs(cls, framework))
        features = [shape[-1] if shape else None for shape in shapes]
        if None in features:
            return {}
        if framework == "pytorch":
            query, key, value = features
            embed = call.get("embed_dim", query)
            said = {
                "embed_dim": embed,
                "kdim": call.get("kdim") or embed,
                "vdim": call.get("vdim") or embed,
            }
            for (word, want), got, tensor in zip(
                said.items(), features, ("query", "key", "value"), strict=True
            ):
                if want != got:
                    raise OptionError(
                        f"the {tensor} has {got} features; nn.MultiheadAttention was made with "
                        f"{word}={describe(want)}"
                    )
            return {"input_dim": query, "key_input_dim": key, "value_input_dim": value}
        query, value = features[0], features[1]
        key = features[2] if len(features) > 2 else value
        return {"input_dim": query, "key_input_dim": key, "value_input_dim": value}

    def output_from_inputs(
        self, spec: AttentionSpec, shapes: Sequence[Shape], call: Mapping[str, object]
    ) -> Shape:
        """Keras Attention: the query's positions, the value's features (attention.py,
        compute_output_shape); MultiHeadAttention: the query's, its last axis
        output_shape when given; PyTorch: the query's."""
        query = tuple(shapes[0])
        if spec.cell != "multi_head_attention":
            return (*query[:-1], shapes[1][-1])
        if spec.framework == "keras" and call.get("output_shape") is not None:
            return (*query[:-1], *spec.units)
        return query

    def output_shape(self, spec: AttentionSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        raise OptionError(_several_inputs(self.display_name(spec), spec.framework))


def _sizes(option: str, value: object) -> tuple[int, ...]:
    """``16``, ``(3, 5)``, ``3x5``: one size or several."""
    if isinstance(value, tuple | list):
        words: list[object] = list(value)
    elif isinstance(value, str):
        words = [
            w
            for w in value.replace("x", ",").replace("(", "").replace(")", "").split(",")
            if w.strip()
        ]
    else:
        words = [value]
    if not words:
        raise refuse(option, f"{describe(value)} is not a size")
    return tuple(parse_int(option, word, 1) for word in words)


def _keras_letters(spec: AttentionSpec) -> dict[str, str]:
    """The letters of the key's and value's features: the query's q when they are as many."""
    return {
        "key": "q" if spec.key_input_dim == spec.input_dim else "k",
        "value": "q" if spec.value_input_dim == spec.input_dim else "v",
    }


def _projection(inputs: Expr, bias: bool, *out: Expr) -> Expr:
    """(i + 1) × out..., the kernel and bias of one projection; i × out... without a bias."""
    kernel = labelled(inputs, kind="input_weights")
    return Mul(((Add((kernel, labelled(Num(1), kind="bias"))) if bias else kernel), *out))


def _keras_multi(spec: AttentionSpec) -> Expr:
    """(q + 1)hd + (k + 1)hd + [(q + 1)he] + (v + 1)he + (he + 1)o, in build order; projections
    of the same size written once, times how many there are."""
    letters = _keras_letters(spec)
    q = Sym("q", spec.input_dim)
    h, d = Sym("h", spec.heads), Sym("d", spec.head_dim)
    e = Sym("e" if spec.value_head_dim != spec.head_dim else "d", spec.value_head_dim)
    o = Sym("o" if spec.units != (spec.input_dim,) else "q", math.prod(spec.units), spec.units)
    parts: list[tuple[Gate, Expr]] = [
        ("query", _projection(q, spec.bias, h, d)),
        ("key", _projection(Sym(letters["key"], spec.key_input_dim), spec.bias, h, d)),
    ]
    if spec.gated:
        parts.append(("attention_gate", _projection(q, spec.bias, h, e)))
    parts.append(
        ("value", _projection(Sym(letters["value"], spec.value_input_dim), spec.bias, h, e))
    )
    parts.append(("attention_output", _projection(Mul((h, e)), spec.bias, o)))
    return _grouped(parts)


def _grouped(parts: list[tuple[Gate, Expr]]) -> Expr:
    """Projections in order, a run of equal ones as copies: 4(E + 1)E, not four sums."""
    runs: list[tuple[list[Gate], Expr]] = []
    for gate, expr in parts:
        if runs and runs[-1][1] == expr:
            runs[-1][0].append(gate)
        else:
            runs.append(([gate], expr))
    terms = tuple(Copies(tuple(Where(gate=g) for g in gates), expr) for gates, expr in runs)
    return terms[0] if len(terms) == 1 else Add(terms)


def _keras_stored(spec: AttentionSpec) -> tuple[Stored, ...]:
    h, d, e = spec.heads, spec.head_dim, spec.value_head_dim
    layout: list[tuple[str, Gate, tuple[int, ...], tuple[int, ...]]] = [
        ("query", "query", (spec.input_dim, h, d), (h, d)),
        ("key", "key", (spec.key_input_dim, h, d), (h, d)),
    ]
    if spec.gated:
        layout.append(("gate", "attention_gate", (spec.input_dim, h, e), (h, e)))
    layout += [
        ("value", "value", (spec.value_input_dim, h, e), (h, e)),
        ("attention_output", "attention_output", (h, e, *spec.units), spec.units),
    ]
    out = []
    for name, gate, kernel, bias in layout:
        out.append(Stored(f"{name}/kernel", kernel, (Where(gate=gate, kind="input_weights"),)))
        if spec.bias:
            out.append(Stored(f"{name}/bias", bias, (Where(gate=gate, kind="bias"),)))
    return tuple(out)


def _torch(spec: AttentionSpec) -> Expr:
    """4(E + 1)E; with kdim or vdim, (E + 1)E + (k + 1)E + (v + 1)E + (E + 1)E; add_bias_kv
    adds 2E."""
    e = Sym("E", spec.input_dim)
    k = e if spec.key_input_dim == spec.input_dim else Sym("k", spec.key_input_dim)
    v = e if spec.value_input_dim == spec.input_dim else Sym("v", spec.value_input_dim)
    projections = _grouped(
        [
            ("query", _projection(e, spec.bias, e)),
            ("key", _projection(k, spec.bias, e)),
            ("value", _projection(v, spec.bias, e)),
            ("attention_output", _projection(e, spec.bias, e)),
        ]
    )
    if not spec.bias_kv:
        return projections
    kv = Copies((Where(gate="key", kind="kv_bias"), Where(gate="value", kind="kv_bias")), e)
    return Add((projections, kv))


def _torch_stored(spec: AttentionSpec) -> tuple[Stored, ...]:
    e = spec.input_dim
    inputs = ("query", "key", "value")
    if spec.key_input_dim == spec.value_input_dim == e:
        weights = [
            Stored(
                "in_proj_weight",
                (3 * e, e),
                tuple(Where(gate=g, kind="input_weights") for g in inputs),  # type: ignore[arg-type]
            )
        ]
    else:
        weights = [
            Stored(f"{g[0]}_proj_weight", (e, size), (Where(gate=g, kind="input_weights"),))  # type: ignore[arg-type]
            for g, size in zip(inputs, (e, spec.key_input_dim, spec.value_input_dim), strict=True)
        ]
    out = list(weights)
    if spec.bias:
        out.append(
            Stored("in_proj_bias", (3 * e,), tuple(Where(gate=g, kind="bias") for g in inputs))  # type: ignore[arg-type]
        )
    if spec.bias_kv:
        out += [
            Stored("bias_k", (1, 1, e), (Where(gate="key", kind="kv_bias"),)),
            Stored("bias_v", (1, 1, e), (Where(gate="value", kind="kv_bias"),)),
        ]
    out.append(
        Stored("out_proj.weight", (e, e), (Where(gate="attention_output", kind="input_weights"),))
    )
    if spec.bias:
        out.append(Stored("out_proj.bias", (e,), (Where(gate="attention_output", kind="bias"),)))
    return tuple(out)


ATTENTION = Attention()
