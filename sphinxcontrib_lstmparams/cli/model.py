"""``lstm-params --model FILE``: a whole model's summary in a terminal, or as JSON."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping
from dataclasses import replace

from ..model.code.defines import merge, parse_defines
from ..model.keras.text import KERAS_LINE_LENGTH
from ..model.layout import breakdown_label, listed_rows
from ..model.printers import layout, summary_text
from ..model.read import parse_columns, parse_depth
from ..model.read import read_model as read_code
from ..model.summary import ModelError, ModelSummary
from ..options import kebab
from ..plain_text import format_text
from ..spec import OptionError

# the flags that mean something for a model; the layer flags belong to its lines
MODEL_ONLY = (
    "model_name", "line_length", "breakdowns", "define", "model_variable", "model_class",
    "depth", "columns", "expand_nested",
)  # fmt: skip
MODEL_FLAGS = frozenset({"framework", "input_shape", *MODEL_ONLY})


def read_model(path: str) -> list[str]:
    """The lines of FILE, or of standard input for ``-``, without a byte-order mark (Windows
    editors start UTF-8 files with one)."""
    if path == "-":
        return sys.stdin.read().removeprefix("\ufeff").splitlines()
    try:
        with open(path, encoding="utf-8-sig") as file:
            return file.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise OptionError(f"model: cannot read {path!r}: {reason}", "model") from None


def keras_line_length(given: str | None, default: int = KERAS_LINE_LENGTH) -> int:
    """As Keras decides: the width asked for, else min(its default for the model, terminal
    columns - 4)."""
    if given is None:
        return min(default, shutil.get_terminal_size().columns - 4)
    if not given.isdigit() or not 40 <= int(given) <= 1000:
        raise OptionError(f"line-length: {given!r} is not a width from 40 to 1000", "line_length")
    return int(given)


def model_text(summary: ModelSummary, line_length: int, breakdowns: bool) -> str:
    """The framework's summary, then (with ``breakdowns``) each recurrent layer's answer."""
    parts = [summary_text(summary, line_length).rstrip("\n")]
    if breakdowns:
        for index, row in enumerate(listed_rows(summary)):
            if row.module is not None and row.module.recursive:
                continue  # its breakdown is at its first row
            if row.recurrent and row.breakdown is not None:
                flat = summary.framework == "pytorch" and row.module is None
                heading = row.cls if flat else breakdown_label(summary, index)
                parts.append(f"{heading}\n{'-' * len(heading)}\n\n{format_text(row.breakdown)}")
    return "\n\n".join(parts)


def run_model(
    path: str, options: Mapping[str, object], as_json: bool
) -> tuple[str, list[str], list[str]]:
    """The output for ``--model``, and the warnings and notes for standard error; raises
    OptionError."""
    stray = sorted(name for name in options if name not in MODEL_FLAGS)
    if stray:
        raise OptionError(
            f"{kebab(stray[0])}: not with --model; each line of the model says its own layer",
            stray[0],
        )
    lines = read_model(path)
    line_length = keras_line_length(_text(options.get("line_length")))
    defines = options.get("define") or []
    assert isinstance(defines, list)
    define = merge([parse_defines(str(given)) for given in defines])
    variable = _text(options.get("model_variable"))
    try:
        summary = read_code(
            lines,
            framework=_text(options.get("framework")),
            input_shape=options.get("input_shape"),
            title=_text(options.get("model_name")),
            define=define,
            variable=variable,
            define_hint="--define '{key}=...'",
            model_class=_text(options.get("model_class")),
            depth=parse_depth(options["depth"]) if "depth" in options else None,
            columns=parse_columns(options["columns"]) if "columns" in options else None,
        )
    except ModelError as error:
        if error.line is None:
            raise
        raise OptionError(f"{path}, line {error.line + 1}: {error}") from None
    warnings = [
        f"line {line + 1}: {problem}"
        for line, problem in sorted(
            [
                *(
                    (row.line, f"{row.name} is not counted: {row.problem}")
                    for row in summary.problems
                ),
                *summary.step_problems,
            ]
        )
    ]
    notes = [f"line {line + 1}: {note}" for line, note in summary.notes]
    if options.get("expand_nested"):
        summary = replace(summary, call=replace(summary.call, expand_nested=True))
    if options.get("line_length") is None and summary.framework == "keras":
        line_length = keras_line_length(None, layout(summary).line_length or KERAS_LINE_LENGTH)
    if options.get("line_length") is None and summary.call.line_length is not None:
        line_length = summary.call.line_length  # the code's own model.summary(line_length=...)
    if as_json:
        data = summary.as_dict()
        data["printed"] = summary_text(summary, line_length)
        return json.dumps(data, indent=2), warnings, notes
    return model_text(summary, line_length, bool(options.get("breakdowns"))), warnings, notes


def _text(value: object) -> str | None:
    return None if value is None else str(value)


__all__ = ["MODEL_FLAGS", "MODEL_ONLY", "run_model"]
