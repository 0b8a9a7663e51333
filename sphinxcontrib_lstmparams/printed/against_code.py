"""Check (c): a printed summary held against the summary computed from the code before it, a
doctest for model summaries (standard library only; which code, and how it is read, is
:mod:`.pasted_code`'s).

Whichever version printed it, the same model prints the same layers with the same counts;
what differs between versions is held to be no disagreement:

* Layer names (Keras 2's ``lstm_1`` in a notebook's second model, Keras 3's ``lstm``): rows
  are matched by their order and class, never by name.
* ``InputLayer`` rows: Keras 2 prints one for every functional model, Keras 3 for a
  functional model but not for a ``Sequential``; they hold nothing and are left out on both
  sides. Keras 3's ``NotEqual`` (a mask) holds nothing either, and other operations may
  be printed as rows: when the rows do not match one to one, those that hold parameters are.
* "Connected to": each version names the tensors its own way (``input_1[0][0]``,
  ``input_layer[0][0]``); it is not compared. A layer fed something else has another count,
  which is.
* Keras 3's ``Optimizer params`` are in its ``Total params`` and in no code's layers: they
  are taken off before the totals are compared.
* torchsummary counts a module's ``weight`` and ``bias`` attributes only (the hook in its
  ``torchsummary.py``), which a recurrent module does not have (``weight_ih_l0``, ...): a
  model with one is not held against its code.

Where the rows cannot be matched at all (layers the code makes that the summary does not
list, a torchinfo depth that shows containers) only the totals are compared. The output
shapes are compared for Keras, where a shape is the model's own (None for the batch);
torchinfo's holds the batch the author fed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model.summary import ModelSummary, Row
from .summary import PrintedRow, PrintedSummary, Problem, first_shape

# a line of the code (0-based, as the reader counts it) -> how a message names it
CodePlace = Callable[[int], str]

KERAS_TOOLS = frozenset({"keras2", "keras3"})
# rows that hold nothing and that versions print or leave out
_NEVER_COMPARED = frozenset({"InputLayer"})
# modules whose parameters are not named weight and bias, which torchsummary does not count
TORCHSUMMARY_UNCOUNTED = frozenset({"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"})
# the names a model gets when its code gives it none (Keras numbers them in a session)
_UNNAMED = re.compile(r"(?P<base>sequential|functional|model)(?:_(?P<number>\d+))?|Model")
_UNBUILT = frozenset({"0 (unbuilt)", "0 (unused)"})


def code_line(line: int) -> str:
    return f"line {line + 1}"


def same_model(summary: PrintedSummary, computed: ModelSummary) -> bool:
    """Whether the code can be the one that printed the summary: the same framework, and the
    same name where both have one of their own. A default name says little: Keras numbers
    them on through a session (a notebook run twice prints ``sequential_2`` for the code's
    ``sequential``), but never back, so a lower number is another model."""
    keras = summary.tool in KERAS_TOOLS
    if computed.framework != ("keras" if keras else "pytorch"):
        return False
    printed, code = summary.model_name, computed.title
    if not printed or not code:
        return True
    printed_default, code_default = _UNNAMED.fullmatch(printed), _UNNAMED.fullmatch(code)
    if printed_default and code_default:
        same_base = printed_default["base"] == code_default["base"]
        return not same_base or _number(printed_default) >= _number(code_default)
    return bool(printed_default or code_default) or printed == code


def _number(name: re.Match[str]) -> int:
    return int(name["number"] or 0)


def unbuilt(summary: PrintedSummary) -> bool:
    """Keras prints a model it has not built with no counts (``0 (unbuilt)``)."""
    return any(row.params_text in _UNBUILT for row in summary.rows)


def can_hold(summary: PrintedSummary, computed: ModelSummary) -> bool:
    """Whether the summary can be held against the code's: complete, of this model, and
    printed with counts that can be compared."""
    if not computed.complete or computed.step_problems or unbuilt(summary):
        return False
    if summary.tool == "torchsummary" and any(
        row.cls in TORCHSUMMARY_UNCOUNTED for row in computed.rows
    ):
        return False
    return same_model(summary, computed)


def check_against(
    summary: PrintedSummary, computed: ModelSummary, place: CodePlace = code_line
) -> list[Problem]:
    """Each printed row whose count (or Keras shape) is not the code's, and the totals.
    Nothing when the summary cannot be held against the code's (:func:`can_hold`)."""
    if not can_hold(summary, computed):
        return []
    pairs = match_rows(summary, computed)
    problems = [
        problem
        for printed, code in pairs or ()
        if (problem := _row_problem(summary, printed, code, place)) is not None
    ]
    totals = _totals_problem(summary, computed, pairs is None)
    return problems + ([totals] if totals else [])


def match_rows(
    summary: PrintedSummary, computed: ModelSummary
) -> list[tuple[PrintedRow, Row]] | None:
    """The printed rows paired with the code's, in order and by class: all of them, else
    those that hold parameters; None when they do not match (or rows were left out)."""
    if summary.elided:
        return None
    code = [row for row in computed.rows if row.cls not in _NEVER_COMPARED]
    counted = [row for row in code if row.params]
    for view in _printed_views(summary):
        if _classes(view) == _classes(code):
            return list(zip(view, code, strict=True))
        holding = [row for row in view if row.params]
        if _classes(holding) == _classes(counted):
            return list(zip(holding, counted, strict=True))
    return None


def _printed_views(summary: PrintedSummary) -> list[list[PrintedRow]]:
    """The rows that stand for the model's own layers, each way the tool may show them."""
    rows = [
        row
        for row in summary.rows
        if row.counted and row.params is not None and row.cls not in _NEVER_COMPARED
    ]
    if summary.tool in KERAS_TOOLS:  # a nested model's layers are in its own row
        return [[row for row in rows if row.depth == 0]]
    if summary.tool == "torchinfo":  # the model's children, or every module that holds no other
        children = [row for row in rows if row.depth == 1]
        leaves = [row for row in rows if row.depth >= 1 and not row.has_children]
        return [children] if leaves == children else [children, leaves]
    return [rows]


def _classes(rows: Sequence[PrintedRow | Row]) -> list[str]:
    return [row.cls for row in rows]


def _row_problem(
    summary: PrintedSummary, printed: PrintedRow, code: Row, place: CodePlace
) -> Problem | None:
    counted = code.params
    where = f"the code before it ({place(code.line)})"
    if printed.params is not None and printed.params != counted:
        return Problem(
            printed.line,
            f"printed {summary.title} summary: {printed.label} has {printed.params_text} "
            f"parameters, but {where} gives {counted:,}",
            fixes=(counted - printed.params,),
            from_code=True,
        )
    if summary.tool not in KERAS_TOOLS or code.output_shape is None:
        return None
    shape = first_shape(printed.output_shape)
    if shape is None or _same_shape(shape, code.output_shape):
        return None
    return Problem(
        printed.line,
        f"printed {summary.title} summary: {printed.label} outputs {printed.output_shape}, "
        f"but {where} gives {_keras_shape(code.output_shape)}",
        from_code=True,
    )


def _same_shape(printed: tuple[int | None, ...], code: tuple[int | None, ...]) -> bool:
    """The same rank, and the same size wherever both know it."""
    return len(printed) == len(code) and all(
        a == b for a, b in zip(printed, code, strict=True) if a is not None and b is not None
    )


def _keras_shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _totals_problem(
    summary: PrintedSummary, computed: ModelSummary, unmatched: bool
) -> Problem | None:
    """One problem for the totals: at Total params when it differs, else at the trainable
    split when that does."""
    total_line = summary.count("Total params")
    trainable_line = summary.count("Trainable params")
    frozen_line = summary.count("Non-trainable params")
    optimizer = summary.count("Optimizer params")
    total, trainable = computed.total, computed.trainable
    name = f"printed {summary.title} summary"
    if total_line is not None:
        printed = total_line.count - (optimizer.count if optimizer else 0)
        if printed != total:
            less = f" less its {optimizer.count_text} optimizer parameters" if optimizer else ""
            return Problem(
                total_line.line,
                f"{name}: Total params is {total_line.count_text}{less}, but the code before "
                f"it gives {total:,}" + (_layers_differ(summary, computed) if unmatched else ""),
                from_code=True,
            )
    split = [
        (line, count)
        for line, count in ((trainable_line, trainable), (frozen_line, total - trainable))
        if line is not None
    ]
    if all(line.count == count for line, count in split):
        return None
    printed_words = " and ".join(f"{line.label} {line.count_text}" for line, _count in split)
    code_words = " and ".join(f"{count:,}" for _line, count in split)
    return Problem(
        split[0][0].line,
        f"{name}: {printed_words}, but the code before it gives {code_words}",
        from_code=True,
    )


def _layers_differ(summary: PrintedSummary, computed: ModelSummary) -> str:
    """Words on how the layers that hold parameters differ, when the rows did not match."""
    if summary.elided:
        return ""
    views = _printed_views(summary)
    printed = [row.cls for row in views[-1] if row.params]
    code = [row.cls for row in computed.rows if row.params]
    if len(printed) > 8 or len(code) > 8:
        return f" (its layers with parameters: {len(code)}; the summary lists {len(printed)})"
    return (
        f" (its layers with parameters: {', '.join(code) or 'none'}; the summary lists "
        f"{', '.join(printed) or 'none'})"
    )


__all__ = [
    "CodePlace",
    "can_hold",
    "check_against",
    "code_line",
    "match_rows",
    "same_model",
    "unbuilt",
]
