"""A ``model-summary`` directive's body -> the model's summary and how to show it, or one
located error (standard library only).

The body starts with the options (``:input-shape: 80`` lines, or a MyST ``---`` block), then
holds the model: a code cell as pasted, or one layer per line. Options are read as
:mod:`.directive_options` reads them, so the two directives word their errors alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..directive_options import DirectiveError, parse_classes, read_fields
from ..expect import EXPECT, parse_expect
from ..options import canonical_name, collect, parse_bool, parse_words
from ..spec import MODEL_PARTS, ModelPart, OptionError
from .code.defines import merge, parse_defines
from .read import parse_columns, parse_depth, read_model
from .summary import ModelError, ModelSummary

MODEL_OPTIONS = (
    "framework",
    "input_shape",
    "model_name",
    "define",
    "model_variable",
    "model_class",
    "depth",
    "columns",
    "expand_nested",
    "caption",
    "name",
    "class",
    "show",
    "expect",
)
_FIELD_START = re.compile(r"^\s*:[^:\s][^:]*:(\s|$)")


@dataclass(frozen=True)
class ModelDisplay:
    parts: tuple[ModelPart, ...]
    caption: str = ""
    name: str = ""
    classes: tuple[str, ...] = ()
    expect: int | None = None  # the total the page's prose states (:expect:)


@dataclass(frozen=True)
class ModelInput:
    summary: ModelSummary
    display: ModelDisplay
    lines: dict[str, int]  # option (our word) -> 0-based body line
    first_layer_line: int  # the body line the layers start on


def split_body(lines: Sequence[str]) -> int:
    """Where the options end and the layers begin (a body line index)."""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        return len(lines) if end is None else end + 1
    index = 0
    while index < len(lines):
        line, after = lines[index], lines[index + 1 : index + 2]
        field = bool(_FIELD_START.match(line))
        continued = index > 0 and line[:1].isspace() and bool(line.strip())
        # a blank line between options, not the one before the layers
        gap = not line.strip() and bool(after) and bool(_FIELD_START.match(after[0]))
        if not (field or continued or gap):
            break
        index += 1
    return index


def parse_model_directive(
    lines: Sequence[str],
    default_parts: tuple[ModelPart, ...],
    make_id: Callable[[str], str],
    site_define: Mapping[str, object] | None = None,
) -> ModelInput:
    """Body lines -> summary and display settings; raises :class:`DirectiveError` (an
    option, or a model that cannot be read at all). A layer that cannot be counted is a row
    with its problem, for the caller to warn about at its line. ``site_define``: the values
    of ``lstmparams_define``, which the page's ``:define:`` overrides key by key."""
    lines = list(lines)
    start = split_body(lines)
    fields: list[tuple[str, str, int]] = []
    try:
        fields = read_fields(lines[:start], 0) if start else []
        known = collect([(n, v) for n, v, _i in fields], known=MODEL_OPTIONS)
        given = {key: str(value) for key, value in known.items()}
        parts = default_parts
        if "show" in given:
            words = parse_words("show", given["show"], MODEL_PARTS)
            parts = tuple(part for word in words for part in MODEL_PARTS if part == word)
        classes = parse_classes(given.get("class", ""), make_id)
        title = given.get("model_name")
        if title is not None and not title.strip():
            raise OptionError("model-name: empty", "model_name")
        expected = parse_expect(given[EXPECT]) if EXPECT in given else None
        page_define = parse_defines(given["define"]) if "define" in given else {}
        define = merge([site_define or {}, page_define])
        expand = parse_bool("expand_nested", given["expand_nested"], flag=True) if (
            "expand_nested" in given
        ) else None  # fmt: skip
        variable = given.get("model_variable")
        if variable is not None and not variable.strip().isidentifier():
            raise OptionError(
                f"model-variable: {variable.strip()!r} is not a variable's name", "model_variable"
            )
        model_class = given.get("model_class")
        if model_class is not None and not model_class.strip():
            raise OptionError("model-class: empty", "model_class")
        if model_class is not None and variable is not None:
            raise OptionError(
                "model-class: give the model by its class or by its variable, not both",
                "model_class",
            )
        depth = parse_depth(given["depth"]) if "depth" in given else None
        columns = parse_columns(given["columns"]) if "columns" in given else None
    except DirectiveError:
        raise
    except OptionError as error:
        raise DirectiveError(error, _blame(fields, error.option)) from error
    body = lines[start:]
    try:
        summary = read_model(
            body,
            framework=given.get("framework"),
            input_shape=given.get("input_shape"),
            title=title and title.strip(),
            define=define,
            variable=variable and variable.strip(),
            model_class=model_class,
            depth=depth,
            columns=columns,
        )
    except ModelError as error:
        index = start + error.line if error.line is not None else _blame(fields, error.option)
        raise DirectiveError(error, index) from error
    except OptionError as error:
        raise DirectiveError(error, _blame(fields, error.option)) from error
    if expand is not None:  # the option wins over the code's model.summary(expand_nested=...)
        summary = replace(summary, call=replace(summary.call, expand_nested=expand))
    display = ModelDisplay(
        parts, given.get("caption", ""), given.get("name", ""), tuple(classes), expected
    )
    lines_of = {canonical_name(n): i for n, _v, i in fields}
    return ModelInput(summary, display, lines_of, start)


def problems_at(given: ModelInput) -> list[tuple[int, str]]:
    """What the directive warns about besides its output, each with its body line: every
    layer that is not counted, then every step between layers that could not be followed."""
    start = given.first_layer_line
    rows = [
        (start + row.line, f"{row.name} is not counted: {row.problem}")
        for row in given.summary.problems
    ]
    steps = ((start + line, problem) for line, problem in given.summary.step_problems)
    return sorted([*rows, *steps], key=lambda pair: pair[0])


def notes_at(given: ModelInput) -> list[tuple[int, str]]:
    """What the reader skipped on purpose or read as an older framework did, each with its
    body line: told to the author, never a warning."""
    start = given.first_layer_line
    return [(start + line, note) for line, note in given.summary.notes]


def _blame(fields: list[tuple[str, str, int]], option: str | None) -> int | None:
    """The line of the option an error is about: its first use (the repeat, if repeated)."""
    if option is None:
        return None
    uses = [i for name, _v, i in fields if canonical_name(name) == canonical_name(option)]
    if not uses:
        return None
    return uses[1] if len(uses) > 1 else uses[0]


__all__ = [
    "MODEL_OPTIONS",
    "ModelDisplay",
    "ModelInput",
    "notes_at",
    "parse_model_directive",
    "problems_at",
    "split_body",
]
