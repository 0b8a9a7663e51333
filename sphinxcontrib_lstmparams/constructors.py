"""A layer written as its framework writes it -> option words (standard library only).

``nn.LSTM(300, 512, num_layers=2, bidirectional=True)``, ``keras.layers.LSTM(256)``,
``Bidirectional(GRU(64), merge_mode="sum")``, or the line ``print(model)`` shows: the text is
parsed with :mod:`ast`, never imported or executed. Arguments must be literals (numbers,
strings, True/False/None, tuples); a parameter that does not change the count is accepted
whatever it holds. The classes each framework offers, and their parameters in order, are
listed by the layer kinds (:attr:`~sphinxcontrib_lstmparams.kinds.base.LayerKind.signatures`);
the wrappers around them (Bidirectional, RNN(cell), MultiRNNCell) are here.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .frameworks import FRAMEWORKS, refused_by
from .kinds import registered
from .literals import LiteralError, literal_value
from .options import describe
from .signatures import (
    FLAX_LINEN,
    FLAX_NNX,
    KERAS,
    PYTORCH,
    TF1,
    Dotted,
    NotKnown,
    Param,
    Signature,
)
from .spec import FrameworkName, OptionError, Refused

# The longest text we parse: a constructor is one call, however many keywords it has.
MAX_LENGTH = 2_000
# what ast.literal_eval raises for what is not a literal: {[1]: 2} is a TypeError (a list
# cannot be a key), a deep nesting a RecursionError; every reader of pasted literals catches all
NOT_A_LITERAL = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)
# What an unknown class's message says instead of listing every class we know (over a
# hundred): where the list is.
KNOWN_LAYERS = (
    'the classes we know are listed in the documentation, under Whole models, "The layers it knows"'
)


@dataclass(frozen=True)
class Layer:
    """What a constructor says: whose class, and the options in our words."""

    framework: FrameworkName
    options: dict[str, object]
    source: str  # the class as written, for messages: "nn.LSTM"
    cls: str  # the layer's own class, inside any wrapper: "LSTM"
    # arguments that shape the output but not the count (framework words): return_sequences,
    # trainable, input_shape, and "names": the name= given to the layer and to each wrapper,
    # innermost first (None where not given)
    call: dict[str, object] = field(default_factory=dict)
    wrappers: tuple[str, ...] = ()  # outermost first: ("Bidirectional",), ("TimeDistributed",)


class ConstructorError(OptionError):
    """A constructor we cannot read; ``offset`` is where in its text (0-based), if known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message, "layer")
        self.offset = offset


class RefusedCall(ConstructorError, Refused):
    """A call the framework itself refuses, such as a Bidirectional of a Bidirectional."""


def keras_class(cls: str) -> str:
    """The class a Keras name stands for: its alias's (``MaxPool2D`` -> ``MaxPooling2D``, which
    Keras names the layer after), or itself."""
    for kind in registered():
        for signature in kind.signatures:
            if signature.framework == "keras" and cls in signature.aliases:
                return signature.class_of(cls)
    return cls


def looks_like_constructor(text: str) -> bool:
    """Whether ``text`` starts like a call (``Name(`` or ``a.b.Name(``), not an option."""
    head = text.lstrip().partition("(")[0].strip()
    return bool(head) and "(" in text and all(part.isidentifier() for part in head.split("."))


def split_call(text: str) -> tuple[str | None, str]:
    """A constructor at the start of ``text`` and what follows it (``nn.GRU(300, 128),
    dtype=float16`` -> the call, ``dtype=float16``); (None, text) when there is none."""
    if not looks_like_constructor(text):
        return None, text
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[: index + 1].strip(), text[index + 1 :].strip().lstrip(",;").strip()
    return text.strip(), ""  # unbalanced: the parser says where


# A NUL byte or a lone surrogate: Python source cannot hold either.
_UNREADABLE = re.compile("[\x00\ud800-\udfff]")


def parse_constructor(text: str, framework: str | None = None) -> Layer:
    """The layer a constructor call builds; ``framework`` (the page's ``:framework:``) picks
    among classes that several frameworks spell alike. Raises :class:`ConstructorError`."""
    if len(text) > MAX_LENGTH:
        raise ConstructorError(f"a constructor of {len(text):,} characters is too long to read")
    unreadable = _UNREADABLE.search(text.strip())
    if unreadable:  # Python 3.10 raises ValueError for these, not SyntaxError
        raise ConstructorError(
            f"not a Python call: {unreadable.group()!r} cannot be in Python source",
            unreadable.start(),
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        offset = (error.offset or 1) - 1 if error.lineno == 1 else None
        raise ConstructorError(f"not a Python call: {error.msg}", offset) from None
    if not isinstance(tree.body, ast.Call):
        raise ConstructorError(f"not a call of a layer class: {describe(text.strip())}")
    return _call(tree.body, _frameworks_for(framework))


def parse_call(call: ast.Call, framework: str | None = None) -> Layer:
    """:func:`parse_constructor` for a call already parsed, such as the code reader makes with
    the values it worked out put in (an argument it could not is marked: :func:`not_known`)."""
    try:
        return _call(call, _frameworks_for(framework))
    except RecursionError:
        raise ConstructorError("a call nested too deep to read") from None


def known_classes() -> frozenset[str]:
    """Every class name a pasted constructor may call, aliases and wrappers included."""
    classes = {
        c for kind in registered() for s in kind.signatures for c in (*s.classes, *s.aliases)
    }
    return frozenset(classes | set(_WRAPPERS))


def accepted_prefixes() -> frozenset[str]:
    """The module paths written before a class that the constructors read (``nn``,
    ``keras.layers``, ``tf.keras.layers`` ...), the bare name ("") among them."""
    prefixes = {p for kind in registered() for s in kind.signatures for p in s.prefixes}
    return frozenset(prefixes | {*KERAS, *FLAX_LINEN, *FLAX_NNX, *TF1})


def _frameworks_for(framework: str | None) -> tuple[FrameworkName, ...] | None:
    """The frameworks whose classes may be meant: ONNX models are exported from PyTorch."""
    if framework is None:
        return None
    if framework == "onnx":
        return ("pytorch",)
    return (framework,)  # type: ignore[return-value]


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


# what a literal with arithmetic is made of (anything else in it is code we do not run)
_LITERAL_PARTS = (
    ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp, ast.BinOp,
    ast.operator, ast.unaryop, ast.expr_context,
)  # fmt: skip


def not_known(node: ast.expr) -> NotKnown | None:
    """What the code reader says about an argument it could not work out (it marks the node
    it puts in the call), or None for an argument as written."""
    unknown = getattr(node, "not_known", None)
    return unknown if isinstance(unknown, NotKnown) else None


def _value(node: ast.expr) -> object:
    """A literal argument (arithmetic on literals included: ``64 * 7 * 7``), or a dotted name
    (``torch.float16``); anything else is refused."""
    unknown = not_known(node)
    if unknown is not None:
        raise ConstructorError(unknown.why, node.col_offset)
    name = _dotted(node)
    if name is not None and name not in ("True", "False", "None"):
        return Dotted(name)
    try:
        return literal_value(node)
    except LiteralError as refused:  # a number of 50 digits is literal, and refused
        error = refused
        if not all(isinstance(part, _LITERAL_PARTS) for part in ast.walk(node)):
            error = LiteralError(
                f"{ast.unparse(node)!r} is not a literal value (numbers, strings, True/False, "
                "tuples); pasted code is read, never run"
            )
        raise ConstructorError(str(error), node.col_offset) from None
    except RecursionError:
        raise ConstructorError("an argument nested too deep to read", node.col_offset) from None


def _shape_of(node: ast.expr) -> object:
    """What an argument is, without refusing non-literals: a literal's value, a name, what the
    code reader could not work out, or (for a lambda or a call) a name standing for it."""
    unknown = not_known(node)
    if unknown is not None:
        return unknown
    try:
        return _value(node)
    except ConstructorError:
        return Dotted(ast.unparse(node))


def _holds(value: object, holds: str) -> bool:
    if holds == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if holds == "bool":
        return isinstance(value, bool | int)
    if holds == "text":
        return isinstance(value, str | Dotted) or value is None
    if holds == "sizes":
        return isinstance(value, int | tuple | list) and not isinstance(value, bool)
    return True


def _split(call: ast.Call) -> tuple[str, str]:
    """``nn.LSTM`` -> ("nn", "LSTM")."""
    name = _dotted(call.func)
    if name is None:
        raise ConstructorError(f"{ast.unparse(call.func)!r} is not a class name", 0)
    prefix, _dot, cls = name.rpartition(".")
    return prefix, cls


def _call(call: ast.Call, frameworks: tuple[FrameworkName, ...] | None) -> Layer:
    prefix, cls = _split(call)
    wrapper = _WRAPPERS.get(cls)
    # RNN is a wrapper of a cell in Keras and Flax, and PyTorch's plain RNN layer
    if wrapper is not None and (cls != "RNN" or _inner(call, 0, "cell") or _cell_list(call)):
        return wrapper(call, prefix, frameworks)
    spelled = [
        signature
        for kind in registered()
        for signature in kind.signatures
        if signature.answers_to(cls) and prefix in signature.prefixes
    ]
    candidates = [s for s in spelled if frameworks is None or s.framework in frameworks]
    where = f"{prefix}.{cls}" if prefix else cls
    if spelled and not candidates and frameworks:
        theirs = " or ".join(sorted({FRAMEWORKS[s.framework].title for s in spelled}))
        raise ConstructorError(f"{where} is {theirs}, not {FRAMEWORKS[frameworks[0]].title}", 0)
    if not candidates:
        raise ConstructorError(f"{where} is not a layer we count ({KNOWN_LAYERS})", 0)
    fits: list[Layer] = []
    errors: list[ConstructorError] = []
    for signature in candidates:
        try:
            fits.append(_bind(call, signature, cls, prefix))
        except ConstructorError as error:
            errors.append(error)
    if not fits:
        raise errors[0]
    if len({layer.framework for layer in fits}) > 1:
        names = " or ".join(sorted({layer.framework for layer in fits}))
        raise ConstructorError(
            f"{cls}(...) could be {names}: write the module (torch.nn., keras.layers., "
            "flax.linen.) or give :framework:",
            0,
        )
    return fits[0]


def _bind(call: ast.Call, signature: Signature, written: str, prefix: str) -> Layer:
    """The call's arguments against one signature -> the layer, or why they do not fit."""
    source = f"{prefix}.{written}" if prefix else written
    cls = signature.class_of(written)
    if signature.ignores_arguments:
        fixed = dict(signature.fixed.get(cls, {}))
        return Layer(signature.framework, fixed, source, cls, {"names": (None,)})
    given: dict[str, tuple[Param, ast.expr]] = {}
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        raise ConstructorError(f"{source}: *args and **kwargs cannot be read", call.col_offset)
    if len(call.args) > len(signature.positional):
        raise ConstructorError(
            f"{source} takes at most {len(signature.positional)} positional arguments "
            f"({', '.join(p.name for p in signature.positional)}); got {len(call.args)}",
            call.args[len(signature.positional)].col_offset,
        )
    for param, arg in zip(signature.positional, call.args, strict=False):
        given[param.name] = (param, arg)
    for keyword in call.keywords:
        assert keyword.arg is not None
        known = signature.param(keyword.arg)
        base = signature.framework == "keras" and keyword.arg in KERAS_BASE_WORDS
        if base and (known is None or (known.means is None and not known.shapes)):
            known = Param(keyword.arg, "any", shapes=True)  # every Keras layer takes them
        if known is None:
            words = [p.name for p in (*signature.positional, *signature.keyword_only)]
            close = difflib.get_close_matches(keyword.arg, [*words, *signature.neutral], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConstructorError(
                f"{source}: unknown keyword {keyword.arg!r} (it may change the count, so "
                f"it is not ignored){hint}",
                keyword.value.col_offset,
            )
        if keyword.arg in given:
            raise ConstructorError(f"{source}: {keyword.arg} given twice", keyword.value.col_offset)
        given[known.name] = (known, keyword.value)
    missing = [name for name in signature.required if name not in given]
    if missing:
        raise ConstructorError(f"{source}: {', '.join(missing)} missing", call.col_offset)
    options: dict[str, object] = dict(signature.fixed.get(cls, {}))
    shaping: dict[str, object] = {}
    for name, (param, node) in given.items():
        if param.shapes or name in _MODEL_WORDS:
            shaping[name] = _value(node) if not_known(node) is None else _shape_of(node)
        if param.means is None:
            # does not change the count: accepted unread, but it must be what the parameter
            # takes, which tells PyTorch's GRUCell(3, 4) from Keras' GRUCell(units, activation)
            shown = _shape_of(node)
            checked = param.holds != "any" and not isinstance(shown, NotKnown)
            if checked and not _holds(shown, param.holds):
                raise ConstructorError(f"{source}: {name} takes no {ast.unparse(node)!r}")
            continue
        value = _value(node)
        if value is None:
            continue  # the framework's default, as if not given
        if isinstance(value, Dotted) and param.holds != "any":
            raise ConstructorError(
                f"{value.name!r} is not a literal value (numbers, strings, True/False, tuples); "
                "pasted code is read, never run",
                node.col_offset,
            )
        if not _holds(value, param.holds):
            raise ConstructorError(
                f"{source}: {name}={describe(value)} is not what {name} takes", node.col_offset
            )
        options.update({param.means: value} if isinstance(param.means, str) else param.means(value))
    shaping["names"] = (shaping.pop("name", None),)
    return Layer(signature.framework, options, source, cls, shaping)


# what a model summary reads from a call besides the count: the layer's name, whether it
# trains (Keras' trainable=False freezes it), and the input a first layer declares
_MODEL_WORDS = frozenset({"name", "trainable", "input_shape", "batch_input_shape", "input_length"})
# what a wrapper's own call says of the model (its input, when it comes first)
_SHAPING_WORDS = _MODEL_WORDS | {"batch_size"}
# What every Keras layer's constructor takes besides its own parameters (keras/src/layers/
# layer.py Layer.__init__ and its Keras 2 keywords, which Keras 3 still reads with a warning):
# they name the layer, freeze it, or declare the model's input when the layer comes first.
KERAS_BASE_WORDS = frozenset(
    {
        "name", "trainable", "dtype", "autocast", "input_shape", "batch_input_shape",
        "batch_size", "input_dim", "input_length", "activity_regularizer", "weights",
    }
)  # fmt: skip


def _wrapped(layer: Layer, node: ast.Call, wrapper: str, source: str, **changes: Any) -> Layer:
    """``layer`` inside ``wrapper``: the wrapper's own name goes into its call. Its
    ``trainable=False`` does not: Keras 3 sets it on the wrapper alone, whose wrapped layers
    keep their weights trainable, and model.summary() counts them as trainable
    (tests/data/model_summaries.json, the frozen-wrapper cases)."""
    given = {kw.arg: _value(kw.value) for kw in node.keywords if kw.arg in _SHAPING_WORDS}
    names = layer.call.get("names", (None,))
    assert isinstance(names, tuple)
    shaping = {**layer.call, "names": (*names, given.get("name"))}
    for word in ("input_shape", "batch_input_shape", "batch_size", "input_length"):
        if word in given:
            shaping[word] = given[word]
    return replace(
        layer,
        source=f"{source}({layer.source})",
        call={**shaping, **changes.pop("call", {})},
        wrappers=(wrapper, *layer.wrappers),
        **changes,
    )


# -- wrappers ------------------------------------------------------------------------------------


def _inner(call: ast.Call, index: int, keyword: str) -> ast.Call | None:
    """The wrapped layer: the positional argument at ``index`` or the keyword."""
    node = call.args[index] if len(call.args) > index else None
    for kw in call.keywords:
        if kw.arg == keyword:
            node = kw.value
    return node if isinstance(node, ast.Call) else None


def _only_keywords(
    call: ast.Call, source: str, allowed: dict[str, int], wrapped: dict[str, int]
) -> dict[str, Any]:
    """A wrapper's arguments besides the layers it wraps (``wrapped``: name -> position):
    those in ``allowed`` (name -> position) read as literals, neutral ones skipped, the rest
    refused."""
    values: dict[str, Any] = {}
    for name, position in allowed.items():
        if position < len(call.args):
            values[name] = _value(call.args[position])
    if len(call.args) > len({*allowed.values(), *wrapped.values()}):
        raise ConstructorError(f"{source}: too many positional arguments", call.col_offset)
    for kw in call.keywords:
        if kw.arg in wrapped:
            continue
        if kw.arg in allowed:
            values[kw.arg] = _value(kw.value)
        elif kw.arg not in _WRAPPER_NEUTRAL and kw.arg not in KERAS_BASE_WORDS:
            raise ConstructorError(
                f"{source}: unknown keyword {kw.arg!r} (it may change the count, so it is not "
                "ignored)",
                kw.value.col_offset,
            )
    return values


# wrapper keywords that change nothing: layer names, sequence handling, initial states
_WRAPPER_NEUTRAL = frozenset(
    {
        "name",
        "trainable",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "time_major",
        "reverse",
        "keep_order",
        "return_carry",
        "variable_axes",
        "variable_broadcast",
        "split_rngs",
        "rngs",
        "parent",
        "state_is_tuple",
        "dtype",
    }
)


def _keras_bidirectional(
    call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    source = f"{prefix}.Bidirectional" if prefix else "Bidirectional"
    inner = _inner(call, 0, "layer")
    if prefix in FLAX_LINEN or prefix in FLAX_NNX:
        return _flax_bidirectional(call, prefix, frameworks)
    if inner is None or prefix not in KERAS:
        raise ConstructorError(
            f"{source} needs a layer call to wrap, as in Bidirectional(LSTM(64))"
        )
    layer = _call(inner, ("keras",))
    _check_backward_copy(layer, source)
    extra = _only_keywords(
        call, source, {"merge_mode": 1, "input_shape": 99}, {"layer": 0, "backward_layer": 3}
    )
    backward = _inner(call, 3, "backward_layer")
    written = [call.args[3]] if len(call.args) > 3 else []
    written += [kw.value for kw in call.keywords if kw.arg == "backward_layer"]
    if backward is None and any(ast.unparse(node) != "None" for node in written):
        raise ConstructorError(
            f"{source}: backward_layer needs a layer call, as in backward_layer=LSTM(4, "
            "go_backwards=True)"
        )
    made: tuple[str, ...] = ()
    made_names: tuple[object, ...] = ()
    options = {**layer.options, "bidirectional": True}
    if backward is not None:
        other = _call(backward, ("keras",))
        if other.options != layer.options or other.cls != layer.cls:
            # two directions of their own: counted one by one (kinds/stacked_cells.py)
            options = {"cell": "paired_cells", "cells": (layer.options, other.options)}
        made = (other.cls,)  # Keras makes (and names) it before the wrapper
        given = other.call.get("names", (None,))
        made_names = (given[0] if isinstance(given, tuple) and given else None,)
    if extra.get("merge_mode") is not None:
        options["merge_mode"] = extra["merge_mode"]
    if "input_shape" in extra:
        options.update(_input_shape_of(layer, extra["input_shape"]))
    # merge_mode=None returns both directions apart: the count is the same, the output two
    # tensors (which a model summary refuses)
    shaping = {"merge_mode": None} if "merge_mode" in extra and extra["merge_mode"] is None else {}
    wrapped = _wrapped(layer, call, "Bidirectional", source, options=options, call=shaping)
    # the backward layer is named between the forward layer and the wrapper
    names = wrapped.call["names"]
    assert isinstance(names, tuple)
    return (
        replace(
            wrapped,
            wrappers=(*wrapped.wrappers, *made),
            call={**wrapped.call, "names": (names[0], *made_names, *names[1:])},
        )
        if made
        else wrapped
    )


# Keras' recurrent layers: their config takes go_backwards, and they run a cell over a sequence
_KERAS_RNN_LAYERS = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


def _check_backward_copy(layer: Layer, source: str) -> None:
    """Keras' Bidirectional makes its backward copy from the layer's config with
    go_backwards=True, which only a recurrent layer takes (tests/data/refused_models.json)."""
    wrapper = layer.wrappers[0] if layer.wrappers else None
    if wrapper == "RNN" or (wrapper is None and layer.cls in _KERAS_RNN_LAYERS):
        return
    why = (
        f"{source}({layer.source}): Bidirectional wraps a recurrent layer (LSTM, GRU, "
        "SimpleRNN, RNN, ConvLSTM), whose backward copy it makes with go_backwards=True"
    )
    if wrapper is None:
        says = "could not be deserialized properly"
    else:
        says = f"Unrecognized keyword arguments passed to {wrapper}: {{'go_backwards': True}}"
    raise RefusedCall(refused_by("keras", why, says).args[0])


def _check_cell(layer: Layer, source: str) -> None:
    """Keras' RNN runs a cell (LSTMCell, GRUCell, SimpleRNNCell), not a layer."""
    if not layer.wrappers and layer.cls.endswith("Cell"):
        return
    why = (
        f"{source}({layer.source}): RNN runs a cell (LSTMCell, GRUCell, SimpleRNNCell), not a layer"
    )
    if layer.wrappers[:1] == ("RNN",) or layer.cls in _KERAS_RNN_LAYERS[:3]:
        says: str | None = "Shapes used to initialize variables must be fully-defined"
    elif layer.cls in _KERAS_RNN_LAYERS:
        says = None
    else:
        says = "The RNN cell should have a `state_size` attribute"
    raise RefusedCall(refused_by("keras", why, says).args[0])


def _input_shape_of(layer: Layer, shape: object) -> dict[str, object]:
    """Keras reads input_shape on the wrapper as the wrapped layer would."""
    for kind in registered():
        for signature in kind.signatures:
            param = signature.param("input_shape")
            if signature.framework == "keras" and layer.cls in signature.classes and param:
                return param.means(shape) if callable(param.means) else {}
    return {}


def _flax_bidirectional(
    call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    source = f"{prefix}.Bidirectional"
    forward, backward = _inner(call, 0, "forward_rnn"), _inner(call, 1, "backward_rnn")
    if forward is None or backward is None:
        raise ConstructorError(f"{source} needs two RNN calls, forward and backward")
    _only_keywords(call, source, {}, {"forward_rnn": 0, "backward_rnn": 1})
    one, two = _call(forward, frameworks), _call(backward, frameworks)
    if one.options != two.options or one.framework != two.framework:
        raise ConstructorError(f"{source}: the two directions differ; we count alike ones only")
    options = {**one.options, "bidirectional": True}
    return replace(one, options=options, source=source, wrappers=("Bidirectional", *one.wrappers))


def _cell_list(call: ast.Call) -> list[ast.expr] | None:
    """Keras' ``RNN([LSTMCell(8), LSTMCell(8)])``: the cells of the list, or None."""
    node = call.args[0] if call.args else None
    for kw in call.keywords:
        if kw.arg == "cell":
            node = kw.value
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else None


def _stacked_cells(
    call: ast.Call, source: str, cells: list[ast.expr], frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    """Keras' RNN over a list of cells (keras/src/layers/rnn/stacked_rnn_cells.py): each cell
    reads the one before; alike cells are a stack of ``layers``."""
    if frameworks is not None and "keras" not in frameworks:
        raise ConstructorError(f"{source} over a list of cells is Keras, not {frameworks[0]}", 0)
    layers = [_call(cell, ("keras",)) for cell in cells if isinstance(cell, ast.Call)]
    if not layers or len(layers) != len(cells):
        raise ConstructorError(f"{source} needs a list of cell calls, as in RNN([LSTMCell(8)])")
    first = layers[0]
    extra = _only_keywords(call, source, {"return_sequences": 99, "return_state": 99}, {"cell": 0})
    if any(layer.options != first.options or layer.cls != first.cls for layer in layers):
        # cells of their own: counted one by one (kinds/stacked_cells.py)
        options: dict[str, object] = {
            "cell": "stacked_cells",
            "cells": tuple(layer.options for layer in layers),
        }
    else:
        options = {**first.options, "layers": len(layers)}
    return _wrapped(replace(first, options=options), call, "RNN", source, call=extra)


def _rnn(call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None) -> Layer:
    """Keras ``RNN(LSTMCell(4))`` or over a list of cells, Flax ``nn.RNN(nn.LSTMCell(4))``,
    NNX ``nnx.RNN(cell)``."""
    source = f"{prefix}.RNN" if prefix else "RNN"
    inner = _inner(call, 0, "cell")
    cells = _cell_list(call)
    if cells is not None and prefix in KERAS:
        return _stacked_cells(call, source, cells, frameworks)
    if inner is None:
        raise ConstructorError(f"{source} needs a cell call, as in RNN(LSTMCell(4))")
    if prefix in KERAS and prefix not in FLAX_LINEN:
        allowed: tuple[FrameworkName, ...] = ("keras",)
    elif prefix in FLAX_NNX:
        allowed = ("flax-nnx",)
    elif prefix in FLAX_LINEN:
        allowed = ("flax",)
    else:
        raise ConstructorError(f"{source}: not a wrapper we know", 0)
    if frameworks is not None and not set(allowed) & set(frameworks):
        raise ConstructorError(f"{source} is {allowed[0]}, not {frameworks[0]}", 0)
    extra = _only_keywords(call, source, {"return_sequences": 99, "return_state": 99}, {"cell": 0})
    layer = _call(inner, allowed)
    if allowed == ("keras",):
        _check_cell(layer, source)
    return _wrapped(layer, call, "RNN", source, call=extra)


def _multi_rnn_cell(
    call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    """TF1 ``MultiRNNCell([LSTMCell(8) for _ in range(2)])`` or ``[LSTMCell(8)] * 2``."""
    source = f"{prefix}.MultiRNNCell" if prefix else "MultiRNNCell"
    if prefix not in TF1:
        raise ConstructorError(f"{source}: not a wrapper we know", 0)
    node = call.args[0] if call.args else None
    for kw in call.keywords:
        if kw.arg == "cells":
            node = kw.value
    cells: list[ast.expr]
    if isinstance(node, ast.ListComp) and len(node.generators) == 1:
        loop = node.generators[0].iter
        if not (
            isinstance(loop, ast.Call)
            and _dotted(loop.func) == "range"
            and len(loop.args) == 1
            and isinstance(_value(loop.args[0]), int)
        ):
            raise ConstructorError(f"{source}: write the cells as [cell for _ in range(n)]")
        cells = [node.elt] * int(_value(loop.args[0]))  # type: ignore[call-overload]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        if not isinstance(node.left, ast.List) or len(node.left.elts) != 1:
            raise ConstructorError(f"{source}: write the cells as [cell] * n")
        cells = [node.left.elts[0]] * int(_value(node.right))  # type: ignore[call-overload]
    elif isinstance(node, ast.List | ast.Tuple):
        cells = list(node.elts)
    else:
        raise ConstructorError(f"{source} needs a list of cells")
    layers = [_call(cell, ("tensorflow-v1",)) for cell in cells if isinstance(cell, ast.Call)]
    if not layers or len(layers) != len(cells):
        raise ConstructorError(f"{source} needs a list of cell calls")
    if any(layer.options != layers[0].options for layer in layers):
        raise ConstructorError(f"{source}: the cells differ; we count a stack of alike ones")
    _only_keywords(call, source, {}, {"cells": 0})
    options = {**layers[0].options, "layers": len(layers)}
    return replace(layers[0], options=options, source=source, wrappers=("MultiRNNCell",))


def _time_distributed(
    call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    """Keras ``TimeDistributed(Dense(4))``: the wrapped layer at every step, its weights once."""
    source = f"{prefix}.TimeDistributed" if prefix else "TimeDistributed"
    inner = _inner(call, 0, "layer")
    if inner is None or prefix not in KERAS:
        raise ConstructorError(f"{source} needs a layer to wrap, as in TimeDistributed(Dense(4))")
    _only_keywords(call, source, {}, {"layer": 0})
    layer = _call(inner, ("keras",))
    return _wrapped(layer, call, "TimeDistributed", source)


def _transformer_stack(
    call: ast.Call, prefix: str, frameworks: tuple[FrameworkName, ...] | None
) -> Layer:
    """PyTorch's ``nn.TransformerEncoder(encoder_layer, num_layers, norm=None)`` and
    ``nn.TransformerDecoder(decoder_layer, num_layers, norm=None)``: ``num_layers`` deep copies
    of the layer, and the norm after them (torch/nn/modules/transformer.py)."""
    cls = _split(call)[1]
    source = f"{prefix}.{cls}" if prefix else cls
    part = "decoder" if cls == "TransformerDecoder" else "encoder"
    if prefix not in PYTORCH:
        raise ConstructorError(f"{source}: not a layer we count ({KNOWN_LAYERS})", 0)
    if frameworks is not None and "pytorch" not in frameworks:
        raise ConstructorError(f"{source} is PyTorch, not {frameworks[0]}", 0)
    inner = _inner(call, 0, f"{part}_layer")
    if inner is None:
        example = f"{cls}(nn.Transformer{part.title()}Layer(512, 8), 6)"
        raise ConstructorError(f"{source} needs a layer call, as in {example}")
    layer = _call(inner, ("pytorch",))
    if layer.options.get("cell") != f"transformer_{part}_layer":
        raise ConstructorError(
            f"{source}: its {part}_layer must be nn.Transformer{part.title()}Layer"
        )
    norm_node: ast.expr | None = call.args[2] if len(call.args) > 2 else None
    for kw in call.keywords:
        if kw.arg == "norm":
            norm_node = kw.value
    allowed = {"num_layers": 1, "enable_nested_tensor": 3, "mask_check": 4}
    extra = _only_keywords(call, source, allowed, {f"{part}_layer": 0, "norm": 2})
    if "num_layers" not in extra:
        raise ConstructorError(f"{source}: num_layers missing", call.col_offset)
    options = {
        **layer.options,
        "cell": f"transformer_{part}",
        "layers": extra["num_layers"],
        "final_norm": _final_norm(norm_node, layer, source),
    }
    return replace(layer, options=options, source=f"{source}({layer.source})", cls=cls)


def _final_norm(node: ast.expr | None, layer: Layer, source: str) -> bool:
    """A stack's norm=: none, or nn.LayerNorm(d_model) with the layers' own bias."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return False
    norm = _call(node, ("pytorch",)) if isinstance(node, ast.Call) else None
    bias = layer.options.get("bias", True)
    if (
        norm is None
        or norm.options.get("cell") != "layernorm"
        or norm.options.get("input_dim") != layer.options.get("input_dim")
        or norm.options.get("scale", True) is not True
        or norm.options.get("bias", True) != bias
    ):
        raise ConstructorError(
            f"{source}: norm={ast.unparse(node)} is counted when it is nn.LayerNorm(d_model) "
            f"with the layers' bias ({bias}); count it apart",
            node.col_offset,
        )
    return True


# The wrapper classes above, by framework (the docs list them beside the kinds' classes).
WRAPPER_CLASSES: dict[FrameworkName, tuple[str, ...]] = {
    "keras": ("Bidirectional", "RNN", "TimeDistributed"),
    "pytorch": ("TransformerEncoder", "TransformerDecoder"),
    "tensorflow-v1": ("MultiRNNCell",),
    "flax": ("Bidirectional", "RNN"),
    "flax-nnx": ("Bidirectional", "RNN"),
}

_WRAPPERS = {
    "Bidirectional": _keras_bidirectional,
    "RNN": _rnn,
    "MultiRNNCell": _multi_rnn_cell,
    "TimeDistributed": _time_distributed,
    "TransformerEncoder": _transformer_stack,
    "TransformerDecoder": _transformer_stack,
}
