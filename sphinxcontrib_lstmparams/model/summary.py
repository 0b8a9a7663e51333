"""What ``model.summary()`` (Keras 3) or ``torchinfo.summary()`` (PyTorch) would list for a
model: every layer's row (name, output shape, parameters), the totals, and what could not be
counted (standard library only).

:mod:`.read` builds it from what was pasted (a code cell, or one layer per line); the
layouts in ``keras/`` and ``torch/`` print it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from ..counting import Breakdown
from ..kinds import KINDS
from ..literals import LiteralError, literal_value
from ..options import describe
from ..spec import DTYPE_BYTES, FrameworkName, OptionError, Shape
from .torch.rows import ModuleInfo, ModuleTree

MODEL_FRAMEWORKS: tuple[FrameworkName, ...] = ("keras", "pytorch")
# what each framework calls a model built from these lines, when the page does not say:
# Keras' first Sequential, and the class torchinfo names on its first row
DEFAULT_TITLES: dict[FrameworkName, str] = {"keras": "sequential", "pytorch": "Model"}
MAX_LAYERS = 1_000
# layers whose rows link to a gate-by-gate breakdown
RECURRENT_KINDS = frozenset({"recurrent", "ConvLSTM"})


@dataclass(frozen=True)
class Row:
    """One layer as the summary lists it."""

    line: int  # the body line it starts on (0-based)
    cls: str  # the class the summary shows: Bidirectional, LSTM, Linear
    name: str  # Keras' layer name (lstm, lstm_1), or the class for PyTorch
    source: str  # the line as written
    output_shape: Shape | None = None  # None: not known (a line before it failed)
    breakdown: Breakdown[Any] | None = None  # None: not counted
    frozen: bool = False  # no weight trains (Keras trainable=False, from_pretrained)
    problem: str | None = None
    # PyTorch, a model of modules: where the row sits and what torchinfo measured of it
    module: ModuleInfo | None = None
    # a Keras graph's rows (a functional model): what each call of the layer was fed, as
    # Keras' "Connected to" lists it (lstm[0][0], one entry per input tensor of each call)
    connected_to: tuple[str, ...] = ()
    # every tensor the layer returns, when it returns several (return_state=True,
    # merge_mode=None); output_shape is then the first
    output_shapes: tuple[Shape | None, ...] = ()
    # a model used as a layer: its own summary (its rows, its totals)
    nested: ModelSummary | None = None
    # not built: the framework refuses the model at an earlier line, which says why
    after_refusal: bool = False
    # a layer of a Keras subclassed model that no call reached: Keras prints 0 (unbuilt)
    unbuilt: bool = False
    # a custom layer's own layers: counted in its row, never listed (Keras' expand_nested
    # opens models only)
    nested_hidden: bool = False
    # weights a custom layer makes itself (add_weight), besides its layers': all, trainable
    own_params: tuple[int, int] = (0, 0)

    @property
    def params(self) -> int:
        if self.nested is not None:
            return self.nested.total + self.own_params[0]
        return 0 if self.breakdown is None else self.breakdown.total

    @property
    def trainable(self) -> int:
        if self.frozen:
            return 0
        if self.nested is not None:
            return self.nested.trainable + self.own_params[1]
        return 0 if self.breakdown is None else self.breakdown.trainable_total

    @property
    def param_bytes(self) -> int:
        if self.nested is not None:  # add_weight's float32 by default
            return self.nested.total_bytes + 4 * self.own_params[0]
        if self.breakdown is None:
            return 0
        return self.breakdown.total * DTYPE_BYTES[self.breakdown.spec.dtype]

    @property
    def trainable_bytes(self) -> int:
        if self.nested is not None:
            own = 4 * self.own_params[1]
            return 0 if self.frozen else self.nested.trainable_bytes + own
        if self.breakdown is None:
            return 0
        return self.trainable * DTYPE_BYTES[self.breakdown.spec.dtype]

    @property
    def has_weights(self) -> bool:
        """Whether the layer holds weights at all (Keras' show_trainable prints - if not)."""
        if self.nested is not None:
            return self.params > 0
        return self.breakdown is not None and bool(self.breakdown.tensors)

    @property
    def recurrent(self) -> bool:
        """A row whose count a gate-by-gate breakdown explains."""
        return self.breakdown is not None and (
            KINDS[self.breakdown.spec.cell].name in RECURRENT_KINDS
        )


@dataclass(frozen=True)
class SummaryCall:
    """How the pasted code asks for the summary: ``model.summary(line_length=...,
    expand_nested=..., show_trainable=...)``; None where it does not say."""

    line_length: int | None = None
    expand_nested: bool | None = None
    show_trainable: bool | None = None
    # torchinfo.summary(depth=..., col_names=..., col_width=..., row_settings=...)
    depth: int | None = None
    col_names: tuple[str, ...] | None = None
    col_width: int | None = None
    row_settings: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ModelSummary:
    framework: FrameworkName
    title: str  # Keras' model name, or the class torchinfo shows first
    input_shape: Shape | None  # as given (PyTorch: with the batch), or None
    input_dtype: str  # int64 word numbers or float32 features
    output_shape: Shape | None  # after the last line, forward steps included
    rows: tuple[Row, ...]
    # (line, problem) of what has no row of its own: a step between layers we could not
    # follow, code whose effect on the model could not be told
    step_problems: tuple[tuple[int, str], ...] = ()
    # (line, note) of what the reader skipped on purpose, for the author (never a warning)
    notes: tuple[tuple[int, str], ...] = ()
    call: SummaryCall = field(default_factory=SummaryCall)
    # PyTorch, a model of modules: its own row and totals (its rows do not add up to them:
    # containers, a module called twice, one never called)
    module_tree: ModuleTree | None = None
    # Keras' layout for a model that is not a chain (branches, several inputs, a shared
    # layer): the "Connected to" column, and the InputLayer rows
    connected: bool = False
    # the first line (a layer or a step) the framework itself refuses, its problem saying
    # why; None when it would build the model. A refused model has no total.
    refused_at: int | None = None

    @property
    def complete(self) -> bool:
        if self.module_tree is not None and (
            self.module_tree.total is None
            or self.module_tree.trainable is None
            or self.module_tree.hidden
        ):
            return False
        return all(
            row.problem is None
            and not row.after_refusal
            and (row.nested is None or row.nested.complete)
            for row in self.rows
        )

    @property
    def total_bytes(self) -> int:
        return sum(row.param_bytes for row in self.rows)

    @property
    def trainable_bytes(self) -> int:
        return sum(row.trainable_bytes for row in self.rows)

    @property
    def refused(self) -> bool:
        return self.refused_at is not None

    @property
    def total(self) -> int:
        if self.module_tree is not None:
            return self.module_tree.total or _known(row.module for row in self.rows)
        return sum(row.params for row in self.rows)

    @property
    def trainable(self) -> int:
        if self.module_tree is not None:
            if self.module_tree.trainable is not None:
                return self.module_tree.trainable
            return _known((row.module for row in self.rows), trainable=True)
        return sum(row.trainable for row in self.rows)

    @property
    def non_trainable(self) -> int:
        return self.total - self.trainable

    @property
    def problems(self) -> list[Row]:
        """The rows not counted, a nested model's among them."""
        found = []
        for row in self.rows:
            if row.problem:
                found.append(row)
            if row.nested is not None:
                found += row.nested.problems
        return found

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (``lstm-params --model FILE --json``)."""
        found = self._as_dict()
        if self.module_tree is not None:
            found["modules"] = self.module_tree.as_dict()
            for layer, row in zip(found["layers"], self.rows, strict=True):
                if row.module is not None:
                    layer.update(row.module.as_dict())
                    if row.module.container:
                        layer["params"] = row.module.params
                        layer["trainable"] = row.module.trainable
        return found

    def _as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "model_name": self.title,
            "input_shape": None if self.input_shape is None else list(self.input_shape),
            "input_dtype": self.input_dtype,
            "output_shape": None if self.output_shape is None else list(self.output_shape),
            "complete": self.complete,
            "refused_at": None if self.refused_at is None else self.refused_at + 1,
            "total": None if self.refused else self.total,
            "trainable": None if self.refused else self.trainable,
            "non_trainable": None if self.refused else self.non_trainable,
            "step_problems": [
                {"line": line + 1, "problem": problem} for line, problem in self.step_problems
            ],
            "notes": [{"line": line + 1, "note": note} for line, note in self.notes],
            "layers": [
                {
                    "line": row.line + 1,
                    "name": row.name,
                    "class": row.cls,
                    "source": row.source,
                    "output_shape": None if row.output_shape is None else list(row.output_shape),
                    "params": None if row.problem else row.params,
                    "trainable": None if row.problem else row.trainable,
                    "problem": row.problem,
                    "breakdown": row.breakdown.as_dict()
                    if row.recurrent and row.breakdown
                    else None,
                    **_graph_fields(row),
                }
                for row in self.rows
            ],
        }


def _graph_fields(row: Row) -> dict[str, Any]:
    """What a Keras graph's row adds to its JSON: its connections, its several outputs, a
    nested model's own summary."""
    fields: dict[str, Any] = {}
    if row.connected_to:
        fields["connected_to"] = list(row.connected_to)
    if row.output_shapes:
        fields["output_shapes"] = [None if s is None else list(s) for s in row.output_shapes]
    if row.nested is not None:
        fields["nested"] = row.nested.as_dict()
    return fields


def _known(infos: Any, trainable: bool = False) -> int:
    """What the rows of a model of modules add up to, the first row of each module once and
    no container twice: the part of a total that is known."""
    total = 0
    for info in infos:
        if info is None or info.recursive or info.container:
            continue
        value = info.trainable if trainable else info.params
        total += value or 0
    return total


class ModelError(OptionError):
    """A model that cannot be read at all (no layers, no framework, a bad input line);
    ``line`` is the body line (0-based) when one is to blame."""

    def __init__(self, message: str, line: int | None = None, option: str | None = None) -> None:
        super().__init__(message, option)
        self.line = line


# C0 and C1 controls, DEL, and the bidirectional overrides a terminal would obey
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_title(title: str) -> None:
    """A model name is printed as the framework's text, in a terminal too: no control
    characters (an escape sequence would act on the reader's terminal)."""
    found = _CONTROL.search(title)
    if found:
        raise ModelError(
            f"model-name: {describe(title)} holds the control character U+{ord(found.group()):04X}",
            option="model_name",
        )


# -- the input ----------------------------------------------------------------------------------


def parse_shape(value: object, framework: FrameworkName, batch: bool | None = None) -> Shape:
    """``(None, 16, 4096)``, ``16, 4096`` (Keras: the batch axis is added) or ``[32, 200]``
    (torchinfo's input_size, the batch first). ``batch``: whether the value starts with the
    batch axis (None: for Keras, when it starts with None)."""
    text = str(value).strip()
    try:
        tree = ast.parse(text if text.startswith(("(", "[")) else f"({text},)", mode="eval")
        parsed = literal_value(tree.body)
    except (LiteralError, ValueError, SyntaxError, MemoryError, RecursionError):
        parsed = None
    sizes = list(parsed) if isinstance(parsed, tuple | list) else None
    bad = f"input-shape: {describe(value)} is not a shape, such as (None, 16, 4096) or 16, 4096"
    if not sizes or len(sizes) > 8:
        raise OptionError(bad, "input_shape")
    for size in sizes:
        if size is not None and not (
            isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 10**9
        ):
            raise OptionError(bad, "input_shape")
    if framework == "keras" and (batch is False or (batch is None and sizes[0] is not None)):
        sizes.insert(0, None)  # Keras' shapes start with the batch axis, which is None
    elif framework == "pytorch" and None in sizes:
        raise OptionError(
            f"input-shape: {describe(value)}: torchinfo feeds a real tensor, so every size "
            "must be a number (the batch first), such as 32, 200",
            "input_shape",
        )
    return tuple(sizes)


__all__ = [
    "DEFAULT_TITLES",
    "MODEL_FRAMEWORKS",
    "ModelError",
    "ModelSummary",
    "Row",
    "SummaryCall",
    "check_title",
    "parse_shape",
]
