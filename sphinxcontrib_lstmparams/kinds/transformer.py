"""PyTorch's transformer layers: ``nn.TransformerEncoderLayer``/``nn.TransformerDecoderLayer``,
their stacks ``nn.TransformerEncoder``/``nn.TransformerDecoder`` and ``nn.Transformer``.

A layer (torch/nn/modules/transformer.py) is a self-attention ``self_attn`` (an
``nn.MultiheadAttention``: ``4(E + 1)E``), a decoder's cross-attention ``multihead_attn`` too,
a feed-forward ``linear1`` (E -> F) and ``linear2`` (F -> E), and a LayerNorm of E after
each of those blocks (``norm1``, ``norm2``, a decoder's ``norm3``); ``bias=False`` takes the
bias out of all of them. A stack is ``num_layers`` deep copies of its layer and an optional
final ``norm``; ``nn.Transformer`` is an encoder stack and a decoder stack, each with its
final LayerNorm. Recorded, with torchinfo's rows at every depth, in
``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Add, Copies, Expr, Sym, Symbol, Where
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import MAX_LAYERS, MAX_SIZE, parse_bool, parse_int, required
from ..signatures import PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gate, Gettext, OptionError, Shape, TensorKind
from .attention import _grouped, _projection
from .base import Child
from .common import read_dtype, read_framework, read_timesteps
from .named import NamedKind, Stored

CLASSES = {
    "transformer_encoder_layer": "TransformerEncoderLayer",
    "transformer_decoder_layer": "TransformerDecoderLayer",
    "transformer_encoder": "TransformerEncoder",
    "transformer_decoder": "TransformerDecoder",
    "transformer": "Transformer",
}
DECODERS = frozenset({"transformer_decoder_layer", "transformer_decoder"})
# the attention blocks of a layer: PyTorch's attribute and our gates for its four projections
SELF: tuple[Gate, ...] = ("query", "key", "value", "attention_output")
CROSS: tuple[Gate, ...] = ("cross_query", "cross_key", "cross_value", "cross_output")


@dataclass(frozen=True)
class TransformerSpec:
    cell: str
    input_dim: int  # d_model
    heads: int  # nhead: divides d_model, changes nothing else
    feedforward: int = 2048  # dim_feedforward
    layers: int = 1  # a stack's num_layers, nn.Transformer's num_encoder_layers
    decoder_layers: int = 0  # nn.Transformer's num_decoder_layers
    final_norm: bool = False  # a stack's norm (nn.Transformer always has both)
    framework: FrameworkName = "pytorch"
    bias: bool = True
    timesteps: int | None = None
    dtype: DType = "float32"


def _layer_params(cls: str, cell: str) -> Signature:
    return Signature(
        framework="pytorch",
        classes=(cls,),
        fixed={cls: {"cell": cell}},
        prefixes=PYTORCH,
        positional=(
            Param("d_model", "int", "input_dim"),
            Param("nhead", "int", "heads"),
            Param("dim_feedforward", "int", "feedforward"),
            Param("dropout"),
            Param("activation"),
            Param("layer_norm_eps"),
            Param("batch_first", "bool", shapes=True),
            Param("norm_first", "bool"),
            Param("bias", "bool", "bias"),
        ),
        keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
        required=("d_model", "nhead"),
    )


SIGNATURES = (
    _layer_params("TransformerEncoderLayer", "transformer_encoder_layer"),
    _layer_params("TransformerDecoderLayer", "transformer_decoder_layer"),
    Signature(
        framework="pytorch",
        classes=("Transformer",),
        # its defaults: d_model=512, nhead=8, 6 encoder and 6 decoder layers
        fixed={
            "Transformer": {
                "cell": "transformer",
                "input_dim": 512,
                "heads": 8,
                "layers": 6,
                "decoder_layers": 6,
                "final_norm": True,
            }
        },
        prefixes=PYTORCH,
        positional=(
            Param("d_model", "int", "input_dim"),
            Param("nhead", "int", "heads"),
            Param("num_encoder_layers", "int", "layers"),
            Param("num_decoder_layers", "int", "decoder_layers"),
            Param("dim_feedforward", "int", "feedforward"),
            Param("dropout"),
            Param("activation"),
            Param("custom_encoder", "any", lambda value: _custom("custom_encoder", value)),
            Param("custom_decoder", "any", lambda value: _custom("custom_decoder", value)),
            Param("layer_norm_eps"),
            Param("batch_first", "bool", shapes=True),
            Param("norm_first", "bool"),
            Param("bias", "bool", "bias"),
        ),
        keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
    ),
)
# nn.TransformerEncoder(encoder_layer, num_layers, norm=None, ...) and the decoder's are read
# by constructors.py, since their first argument is a layer's call


def _custom(name: str, value: object) -> dict[str, object]:
    raise OptionError(f"{name}: a module of your own is not counted; count it apart")


class Transformer(NamedKind[TransformerSpec]):
    name = "transformer"
    cells: ClassVar[tuple[str, ...]] = tuple(CLASSES)
    options: ClassVar[tuple[str, ...]] = (
        "input_dim",
        "heads",
        "feedforward",
        "layers",
        "decoder_layers",
        "final_norm",
        "framework",
        "bias",
        "timesteps",
        "dtype",
    )
    flags: ClassVar[frozenset[str]] = frozenset({"final_norm"})
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def parse(
        self, cell: str, raw: Mapping[str, object], default_framework: str
    ) -> TransformerSpec:
        framework = read_framework(
            raw, "pytorch" if raw.get("framework") is None else default_framework
        )
        if framework != "pytorch":
            raise refuse("framework", f"nn.{CLASSES[cell]} is a PyTorch layer")
        whole = cell == "transformer"
        stack = cell in ("transformer_encoder", "transformer_decoder")

        def read(word: str, minimum: int = 1, maximum: int = MAX_SIZE) -> int:
            return parse_int(word, required(raw, word), minimum, maximum)

        for word, applies in (
            ("layers", whole or stack),
            ("decoder_layers", whole),
            ("final_norm", stack or whole),
        ):
            if raw.get(word) is not None and not applies:
                raise refuse(word.replace("_", "-"), f"nn.{CLASSES[cell]} has no such option")
        spec = TransformerSpec(
            cell,
            read("input_dim"),
            read("heads"),
            parse_int("feedforward", raw.get("feedforward", 2048), 1),
            read("layers", 1, MAX_LAYERS) if whole or stack else 1,
            read("decoder_layers", 0, MAX_LAYERS) if whole else 0,
            whole or (stack and parse_bool("final_norm", raw.get("final_norm", False), flag=True)),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            read_timesteps(raw),
            read_dtype(raw),
        )
        if whole and spec.layers < 1:
            raise refuse("layers", "nn.Transformer needs an encoder layer or more")
        if spec.input_dim % spec.heads:
            raise refuse("heads", f"{spec.heads} does not divide d_model {spec.input_dim}")
        return spec

    def display_name(self, spec: TransformerSpec) -> str:
        return CLASSES[spec.cell]

    # -- the count -------------------------------------------------------------------------------

    def _layer(self, spec: TransformerSpec, decoder: bool) -> Expr:
        """One layer: 4(E + 1)E [+ 4(E + 1)E] + (E + 1)F + (F + 1)E + 2 × 2E [+ 2E]."""
        e, f = Sym("E", spec.input_dim), Sym("F", spec.feedforward)
        attention = _grouped([(g, _projection(e, spec.bias, e)) for g in SELF])
        blocks: list[Expr] = [attention]
        if decoder:
            blocks.append(_grouped([(g, _projection(e, spec.bias, e)) for g in CROSS]))
        blocks.append(Copies((Where(gate="feedforward"),), _projection(e, spec.bias, f)))
        blocks.append(Copies((Where(gate="feedforward_output"),), _projection(f, spec.bias, e)))
        norms: tuple[Gate, ...] = ("norm1", "norm2", "norm3") if decoder else ("norm1", "norm2")
        kinds: tuple[TensorKind, ...] = ("scale", "offset") if spec.bias else ("scale",)
        blocks.append(Copies(tuple(Where(gate=n, kind=k) for n in norms for k in kinds), e))
        return Add(tuple(blocks))

    def _stack(
        self, spec: TransformerSpec, decoder: bool, first: int, count: int, norm: bool
    ) -> list[Expr]:
        layers = tuple(Where(layer=first + i, direction="forward") for i in range(count))
        out: list[Expr] = [Copies(layers, self._layer(spec, decoder))] if count else []
        if norm:
            kinds: tuple[TensorKind, ...] = ("scale", "offset") if spec.bias else ("scale",)
            last = first + max(count, 1) - 1
            out.append(
                Copies(
                    tuple(
                        Where(layer=last, direction="forward", gate="final_norm", kind=k)
                        for k in kinds
                    ),
                    Sym("E", spec.input_dim),
                )
            )
        return out

    def expression(self, spec: TransformerSpec) -> Expr:
        if spec.cell == "transformer":
            parts = self._stack(spec, False, 1, spec.layers, True)
            parts += self._stack(spec, True, spec.layers + 1, spec.decoder_layers, True)
        else:
            parts = self._stack(spec, spec.cell in DECODERS, 1, spec.layers, spec.final_norm)
        return parts[0] if len(parts) == 1 else Add(tuple(parts))

    def stored(self, spec: TransformerSpec) -> tuple[Stored, ...]:
        if spec.cell in ("transformer_encoder_layer", "transformer_decoder_layer"):
            return self._layer_stored(spec, spec.cell in DECODERS, "", 1, None)
        if spec.cell == "transformer":
            return (
                *self._stack_stored(spec, False, "encoder.", 1, spec.layers, True),
                *self._stack_stored(
                    spec, True, "decoder.", spec.layers + 1, spec.decoder_layers, True
                ),
            )
        return self._stack_stored(spec, spec.cell in DECODERS, "", 1, spec.layers, spec.final_norm)

    def _stack_stored(
        self, spec: TransformerSpec, decoder: bool, prefix: str, first: int, count: int, norm: bool
    ) -> tuple[Stored, ...]:
        out: list[Stored] = []
        for index in range(count):
            out += self._layer_stored(spec, decoder, f"{prefix}layers.{{i}}.", first + index, index)
        if norm:
            last = first + max(count, 1) - 1
            where = Where(layer=last, gate="final_norm")
            out.append(Stored(f"{prefix}norm.weight", (spec.input_dim,), (_kind(where, "scale"),)))
            if spec.bias:
                out.append(
                    Stored(f"{prefix}norm.bias", (spec.input_dim,), (_kind(where, "offset"),))
                )
        return tuple(out)

    def _layer_stored(
        self, spec: TransformerSpec, decoder: bool, prefix: str, layer: int, index: int | None
    ) -> tuple[Stored, ...]:
        e, f = spec.input_dim, spec.feedforward
        out: list[Stored] = []

        def add(name: str, shape: tuple[int, ...], *holds: Where) -> None:
            full = Stored(f"{prefix}{name}", shape, tuple(_at(w, layer) for w in holds), index)
            out.append(full)

        attentions = [("self_attn", SELF)] + ([("multihead_attn", CROSS)] if decoder else [])
        for attribute, (q, k, v, o) in attentions:
            add(
                f"{attribute}.in_proj_weight",
                (3 * e, e),
                *(Where(gate=g, kind="input_weights") for g in (q, k, v)),
            )
            if spec.bias:
                add(
                    f"{attribute}.in_proj_bias",
                    (3 * e,),
                    *(Where(gate=g, kind="bias") for g in (q, k, v)),
                )
            add(f"{attribute}.out_proj.weight", (e, e), Where(gate=o, kind="input_weights"))
            if spec.bias:
                add(f"{attribute}.out_proj.bias", (e,), Where(gate=o, kind="bias"))
        for attribute, gate, shape in (
            ("linear1", "feedforward", (f, e)),
            ("linear2", "feedforward_output", (e, f)),
        ):
            add(f"{attribute}.weight", shape, Where(gate=gate, kind="input_weights"))  # type: ignore[arg-type]
            if spec.bias:
                add(f"{attribute}.bias", shape[:1], Where(gate=gate, kind="bias"))  # type: ignore[arg-type]
        norms: tuple[Gate, ...] = ("norm1", "norm2", "norm3") if decoder else ("norm1", "norm2")
        for norm in norms:
            add(f"{norm}.weight", (e,), Where(gate=norm, kind="scale"))
            if spec.bias:
                add(f"{norm}.bias", (e,), Where(gate=norm, kind="offset"))
        return tuple(out)

    def children(self, spec: TransformerSpec) -> tuple[Child, ...]:
        if spec.cell in ("transformer_encoder_layer", "transformer_decoder_layer"):
            return self._layer_children(spec, spec.cell in DECODERS)
        if spec.cell == "transformer":
            encoder = self._stack_children(spec, False, spec.layers, True)
            decoder = self._stack_children(spec, True, spec.decoder_layers, True)
            return (
                Child("encoder", "TransformerEncoder", _total(encoder), True, encoder),
                Child("decoder", "TransformerDecoder", _total(decoder), True, decoder),
            )
        return self._stack_children(spec, spec.cell in DECODERS, spec.layers, spec.final_norm)

    def _stack_children(
        self, spec: TransformerSpec, decoder: bool, count: int, norm: bool
    ) -> tuple[Child, ...]:
        cls = "TransformerDecoderLayer" if decoder else "TransformerEncoderLayer"
        layer = self._layer_children(spec, decoder)
        layers = tuple(Child(str(i), cls, _total(layer), True, layer) for i in range(count))
        # a ModuleList is a container: forward calls the layers in it, not it
        out = [Child("layers", "ModuleList", _total(layers), False, layers)]
        if norm:
            out.append(Child("norm", "LayerNorm", _norm_params(spec), True))
        return tuple(out)

    def _layer_children(self, spec: TransformerSpec, decoder: bool) -> tuple[Child, ...]:
        e, f, bias = spec.input_dim, spec.feedforward, spec.bias
        out_proj = Child(
            "out_proj", "NonDynamicallyQuantizableLinear", e * e + (e if bias else 0), False
        )
        attention = Child(
            "self_attn", "MultiheadAttention", 4 * e * e + (4 * e if bias else 0), True, (out_proj,)
        )
        attentions = [attention]
        if decoder:
            attentions.append(
                Child("multihead_attn", attention.cls, attention.params, True, (out_proj,))
            )
        norms = ("norm1", "norm2", "norm3") if decoder else ("norm1", "norm2")
        dropouts = ("dropout1", "dropout2", "dropout3") if decoder else ("dropout1", "dropout2")
        return (
            *attentions,
            Child("linear1", "Linear", e * f + (f if bias else 0)),
            Child("dropout", "Dropout", 0),
            Child("linear2", "Linear", f * e + (e if bias else 0)),
            *(Child(norm, "LayerNorm", _norm_params(spec)) for norm in norms),
            *(Child(dropout, "Dropout", 0) for dropout in dropouts),
        )

    # -- words -----------------------------------------------------------------------------------

    def describe(self, spec: TransformerSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [
            _("{features} features (d_model)").format(features=numbers.count(spec.input_dim)),
            _("{heads} heads").format(heads=numbers.count(spec.heads)),
            _("feed-forward {size}").format(size=numbers.count(spec.feedforward)),
        ]
        if spec.cell == "transformer":
            parts.append(
                _("{encoder} encoder and {decoder} decoder layers").format(
                    encoder=spec.layers, decoder=spec.decoder_layers
                )
            )
        elif spec.cell in ("transformer_encoder", "transformer_decoder"):
            parts.append(_("{layers} stacked layers").format(layers=spec.layers))
            if spec.final_norm:
                parts.append(_("a final LayerNorm"))
        return parts if spec.bias else [*parts, _("no bias")]

    def symbols(self, spec: TransformerSpec, _: Gettext) -> list[Symbol]:
        return [
            Symbol("E", spec.input_dim, _("{symbol} = {value} features (d_model)")),
            Symbol("F", spec.feedforward, _("{symbol} = {value} feed-forward features")),
        ]

    def option_help(self) -> dict[str, str]:
        return {
            "feedforward": "transformer layers: the feed-forward width (dim_feedforward; "
            "default: 2048)",
            "decoder_layers": "nn.Transformer: decoder layers (num_decoder_layers; default: 6)",
            "final_norm": "nn.TransformerEncoder/Decoder: a LayerNorm after the last layer "
            "(norm=nn.LayerNorm(d_model); default: off)",
        }

    # -- in a model ------------------------------------------------------------------------------

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        if cell in DECODERS or cell == "transformer":
            raise OptionError(_several(cell))
        return shape[-1] if shape else None

    def options_from_inputs(
        self,
        cell: str,
        shapes: Sequence[Shape],
        call: Mapping[str, object],
        framework: FrameworkName,
    ) -> dict[str, object]:
        """An encoder: (src,); a decoder: (tgt, memory); nn.Transformer: (src, tgt): each with
        d_model features."""
        wanted = 2 if cell in DECODERS or cell == "transformer" else 1
        if len(shapes) != wanted:
            raise OptionError(
                _several(cell) if wanted == 2 else f"nn.{CLASSES[cell]} takes one input"
            )
        widths = {shape[-1] for shape in shapes if shape}
        if len(widths) > 1:
            raise OptionError(f"nn.{CLASSES[cell]}'s inputs must have d_model features alike")
        width = widths.pop() if widths else None
        return {} if width is None else {"input_dim": width}

    def output_from_inputs(
        self, spec: TransformerSpec, shapes: Sequence[Shape], call: Mapping[str, object]
    ) -> Shape:
        """The target's shape: a decoder's first input, nn.Transformer's second."""
        return tuple(shapes[1] if spec.cell == "transformer" else shapes[0])

    def output_shape(
        self, spec: TransformerSpec, shape: Shape, call: Mapping[str, object]
    ) -> Shape:
        if spec.cell in DECODERS or spec.cell == "transformer":
            raise OptionError(_several(spec.cell))
        return shape

    def first_input(self, spec: TransformerSpec, cls: str) -> tuple[Shape, str]:
        return (None, None, spec.input_dim), "float32"


def _several(cell: str) -> str:
    takes = "(src, tgt)" if cell == "transformer" else "(tgt, memory)"
    return (
        f"nn.{CLASSES[cell]} is called on two tensors, forward{takes}; a model of one layer "
        "per line passes one on"
    )


def _at(where: Where, layer: int) -> Where:
    return Where(layer, where.direction, where.gate, where.kind)


def _kind(where: Where, kind: TensorKind) -> Where:
    return Where(where.layer, where.direction, where.gate, kind)


def _total(children: tuple[Child, ...]) -> int:
    return sum(child.params for child in children)


def _norm_params(spec: TransformerSpec) -> int:
    return spec.input_dim * (2 if spec.bias else 1)


TRANSFORMER = Transformer()
