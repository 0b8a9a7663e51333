"""Check (b): a row's count against its layer type, where the printed shapes decide it
(standard library only).

The count comes from the package's own layer kinds (``counting.parse_spec``, then the kind's
expression), so each framework's rules stay in one place. A row is flagged only when no build
of its class fits: what the summary does not print (a bias, a GRU's ``reset_after``, a
Bidirectional's merge mode and wrapped layer) is tried every way, and a row whose input width
is not printed is left alone.

* A Keras layer is fed the output of the row it is ``Connected to``, else of the row before
  it at its own nesting (a Sequential's first layer is fed nothing printed). Keras:
  ``Dense``, ``LSTM``, ``GRU``, ``SimpleRNN``, ``Bidirectional`` of those, ``CuDNNLSTM`` and
  ``CuDNNGRU`` (which count as PyTorch does), ``BatchNormalization`` and
  ``LayerNormalization`` (whose width is their own output's: they keep their input's shape).
* PyTorch: ``forward`` may reshape anything between two rows, so a ``Linear`` is fed the
  width torchinfo's ``Input Shape`` column prints, and without it its count only has to be
  a multiple of its outputs; ``BatchNorm1d/2d/3d`` (channels: the output's axis 1) and
  ``LayerNorm`` from their own output. Recurrent modules are not decided: the layers and
  directions of an ``nn.LSTM`` are not printed.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..counting import parse_spec
from ..expression import evaluate
from ..kinds import kind_of
from ..spec import OptionError
from .summary import PrintedRow, PrintedSummary, Problem, Shape, first_shape, parse_shapes

# the options a candidate build says, beside cell/units/input_dim/framework
Options = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Candidate:
    """One way the layer could have been built, and how a message names it."""

    options: Options
    words: str  # "" for the usual build, else "without a bias", "reset_after=False", ...
    extra: int = 0  # weights beside the kind's own (a quantized kernel's scales)
    frozen: bool = False  # only where the model has weights that do not train


@dataclass(frozen=True)
class Layer:
    """What the shapes decide: the kind of layer and every build that fits them."""

    what: str  # "a Dense layer of 1 unit fed 32 features"
    candidates: tuple[Candidate, ...]


@functools.lru_cache(maxsize=4096)
def _count(options: Options) -> int | None:
    try:
        spec = parse_spec(options)
    except OptionError:
        return None
    # the kind's own expression, evaluated: the total its tensors add up to, without
    # multiplying it out into them (tests/test_architecture.py holds the two equal)
    return evaluate(kind_of(spec).expression(spec))


def forget_counts() -> None:
    """Empty the cache of counts (the benchmark measures a build's first look)."""
    _count.cache_clear()


Rule = Callable[[Shape | None, Shape], Layer | None]


def check_layers(summary: PrintedSummary) -> list[Problem]:
    framework = "keras" if summary.tool in ("keras2", "keras3") else "pytorch"
    rules = KERAS_RULES if framework == "keras" else TORCH_RULES
    problems: list[Problem] = []
    for index, row in enumerate(summary.rows):
        rule = rules.get(row.cls)
        if rule is None or row.params is None or not row.counted or row.params == 0:
            continue
        output = first_shape(row.output_shape)
        if output is None:
            continue
        given = _input(summary, index) if framework == "keras" else first_shape(row.input_shape)
        layer = rule(given, output)
        if layer is None and framework == "pytorch" and row.cls == "Linear":
            problem = _linear_multiple(row, output, summary.title)
            problems += [problem] if problem else []
            continue
        if layer is None:
            continue
        frozen = summary.count("Non-trainable params")
        if frozen is None or frozen.count == 0:
            layer = Layer(layer.what, tuple(c for c in layer.candidates if not c.frozen))
        problem = _against(row, layer, summary.title)
        if problem is not None:
            problems.append(problem)
    return problems


def _against(row: PrintedRow, layer: Layer, tool: str) -> Problem | None:
    counts = []
    for candidate in layer.candidates:
        counted = _count(candidate.options)
        if counted is not None:
            counted += candidate.extra
        if counted == row.params:
            return None
        if counted is not None:
            counts.append((counted, candidate.words))
    if not counts:
        return None
    shown = list(dict.fromkeys(counts))[:4]
    first, *others = shown
    alternatives = "; ".join(f"{count:,} {words}".rstrip() for count, words in others)
    has = f"{first[0]:,}" + (f" {first[1]}" if first[1] else "")
    return Problem(
        row.line,
        f"printed {tool} summary: {row.label} has {row.params_text} parameters, but "
        f"{layer.what} has {has}" + (f" ({alternatives})" if alternatives else ""),
        fixes=tuple(sorted({count - (row.params or 0) for count, _w in counts})),
    )


def _linear_multiple(row: PrintedRow, output: Shape, tool: str) -> Problem | None:
    """Without its input width, a Linear's count is still a multiple of its outputs."""
    units = output[-1] if output else None
    if units is None or row.params is None:
        return None
    features = row.params // units
    fits = _count(
        (("cell", "dense"), ("units", units), ("input_dim", max(features, 1)), _TORCH, _NO_BIAS)
    )
    if row.params % units == 0 and features >= 1 and fits == row.params - row.params % units:
        return None
    below, above = features * units, (features + 1) * units
    return Problem(
        row.line,
        f"printed {tool} summary: {row.label} has {row.params_text} parameters, but a "
        f"Linear with {units:,} outputs has a multiple of {units:,} ((inputs + 1) × {units:,}, "
        f"or inputs × {units:,} without a bias), such as {below:,} or {above:,}",
        fixes=(below - row.params, above - row.params),
    )


# -- what feeds a row ----------------------------------------------------------------------------


def _input(summary: PrintedSummary, index: int) -> Shape | None:
    """The shape a Keras row is fed, where the summary prints it."""
    rows = summary.rows
    row = rows[index]
    if row.connected_to:
        name, _, rest = row.connected_to[0].partition("[")
        node, tensor = (int(n) for n in rest.rstrip("]").split("]["))
        source = next((r for r in rows if r.name == name), None)
        shapes = None if source is None or node else parse_shapes(source.output_shape)
        return shapes[tensor] if shapes and tensor < len(shapes) else None
    if "Connected to" in summary.columns:
        return None
    for before in reversed(rows[:index]):
        if before.depth < row.depth:
            return None  # the first layer of a nested model: fed what the model is
        if before.depth == row.depth:
            return first_shape(before.output_shape)
    return None


# -- the rules -----------------------------------------------------------------------------------

_KERAS = ("framework", "keras")
_TORCH = ("framework", "pytorch")
_NO_BIAS = ("bias", False)


def _whole(*dims: int | None) -> bool:
    return all(isinstance(d, int) and d > 0 for d in dims)


def _units(n: int, word: str = "unit") -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _dense(framework: tuple[str, object], name: str) -> Rule:
    def rule(given: Shape | None, output: Shape) -> Layer | None:
        if given is None or len(given) != len(output) or given[:-1] != output[:-1]:
            return None
        features, units = given[-1], output[-1]
        if not _whole(features, units):
            return None
        base = (("cell", "dense"), ("units", units), ("input_dim", features), framework)
        candidates = [Candidate(base, ""), Candidate((*base, _NO_BIAS), "without a bias")]
        if framework == _KERAS:
            # Keras 3's model.quantize("int8") keeps a float scale per unit beside the int8
            # kernel, both not trained (keras/src/layers/core/dense.py, _int8_build): only a
            # model with non-trainable weights may have one
            candidates.append(Candidate(base, "quantized to int8", units or 0, frozen=True))
        return Layer(
            f"a {name} layer of {_units(units or 0)} fed {_units(features or 0, 'feature')}",
            tuple(candidates),
        )

    return rule


def _recurrent_shapes(given: Shape | None, output: Shape) -> bool:
    """A sequence in (batch, steps, features); out the last step or every step."""
    if given is None or len(given) != 3 or len(output) not in (2, 3):
        return False
    return output[0] == given[0] and (len(output) == 2 or output[1] == given[1])


def _builds(cell: str, bidirectional: bool) -> Iterator[tuple[Options, str]]:
    """The options the printed row does not say, each way, the usual one first."""
    resets = ((None, ""), (False, "reset_after=False")) if cell == "gru" else ((None, ""),)
    for (reset, reset_words), (bias, bias_words) in itertools.product(
        resets, ((True, ""), (False, "without biases"))
    ):
        options: Options = ((("reset_after", reset),) if reset is not None else ()) + (
            () if bias else (_NO_BIAS,)
        )
        words = ", ".join(w for w in (reset_words, bias_words) if w)
        yield options, words


_CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "rnn": "SimpleRNN"}


def _recurrent(cell: str, framework: tuple[str, object], name: str) -> Rule:
    def rule(given: Shape | None, output: Shape) -> Layer | None:
        if not _recurrent_shapes(given, output):
            return None
        assert given is not None  # for mypy
        features, units = given[-1], output[-1]
        if not _whole(features, units):
            return None
        base = (("cell", cell), ("units", units), ("input_dim", features), framework)
        builds = _builds(cell, False) if framework == _KERAS else iter([((), "")])
        return Layer(
            f"a {name} of {_units(units or 0)} fed {_units(features or 0, 'feature')}",
            tuple(Candidate((*base, *options), words) for options, words in builds),
        )

    return rule


def _bidirectional(given: Shape | None, output: Shape) -> Layer | None:
    if not _recurrent_shapes(given, output):
        return None
    assert given is not None  # for mypy
    features, width = given[-1], output[-1]
    if not _whole(features, width):
        return None
    assert isinstance(width, int)  # for mypy
    modes = ([("concat", width // 2)] if width % 2 == 0 else []) + [
        (mode, width) for mode in ("sum", "mul", "ave")
    ]
    candidates = []
    for cell, (mode, units) in itertools.product(("lstm", "gru", "rnn"), modes[:2]):
        for options, words in _builds(cell, True):
            base = (("cell", cell), ("units", units), ("input_dim", features), _KERAS)
            said = [f"as a {_CELL_NAMES[cell]}"]
            said += [f"merge_mode={mode!r}"] if mode != "concat" else []
            said += [words] if words else []
            extra = (("bidirectional", True), ("merge_mode", mode), *options)
            candidates.append(Candidate((*base, *extra), ", ".join(said)))
    return Layer(
        f"a Bidirectional recurrent layer with {_units(width)} out, fed "
        f"{_units(features or 0, 'feature')}",
        tuple(candidates),
    )


def _normalization(cell: str, framework: tuple[str, object], name: str, torch_batch: bool) -> Rule:
    def rule(given: Shape | None, output: Shape) -> Layer | None:
        if given is not None and given != output:
            return None
        widths = _widths(output, cell, torch_batch)
        if not widths:
            return None
        candidates = []
        for width in widths:
            for scale, bias in ((True, True), (True, False), (False, True), (False, False)):
                options: Options = (("cell", cell), ("input_dim", width), framework)
                options += (("scale", scale), ("bias", bias))
                words = (
                    ""
                    if scale and bias
                    else "without "
                    + " or ".join(
                        w for w, on in (("a scale", scale), ("an offset", bias)) if not on
                    )
                )
                candidates.append(Candidate(options, words))
        return Layer(f"a {name} over {_units(widths[0], 'feature')}", tuple(candidates))

    return rule


def _widths(output: Shape, cell: str, torch_batch: bool) -> list[int]:
    """The features a normalisation may have weights for: PyTorch's batch norm the
    channels; else the last axis first, then any other axis, then trailing products
    (``axis`` / ``normalized_shape`` may name several)."""
    dims = list(output[1:])
    if torch_batch:
        return [dims[0]] if dims and isinstance(dims[0], int) else []
    widths = [d for d in reversed(dims) if isinstance(d, int)]
    product = 1
    for dim in reversed(dims):
        if not isinstance(dim, int):
            break
        product *= dim
        widths.append(product)
    return list(dict.fromkeys(widths))


KERAS_RULES: dict[str, Rule] = {
    "Dense": _dense(_KERAS, "Dense"),
    "LSTM": _recurrent("lstm", _KERAS, "LSTM"),
    "GRU": _recurrent("gru", _KERAS, "GRU"),
    "SimpleRNN": _recurrent("rnn", _KERAS, "SimpleRNN"),
    # cuDNN's layout: two bias vectors per gate, as in PyTorch (docs/conventions.rst)
    "CuDNNLSTM": _recurrent("lstm", _TORCH, "CuDNNLSTM"),
    "CuDNNGRU": _recurrent("gru", _TORCH, "CuDNNGRU"),
    "Bidirectional": _bidirectional,
    "BatchNormalization": _normalization("batchnorm", _KERAS, "BatchNormalization", False),
    "LayerNormalization": _normalization("layernorm", _KERAS, "LayerNormalization", False),
}
TORCH_RULES: dict[str, Rule] = {
    "Linear": _dense(_TORCH, "Linear"),
    **{
        f"BatchNorm{n}d": _normalization("batchnorm", _TORCH, f"BatchNorm{n}d", True)
        for n in (1, 2, 3)
    },
    "LayerNorm": _normalization("layernorm", _TORCH, "LayerNorm", False),
}
