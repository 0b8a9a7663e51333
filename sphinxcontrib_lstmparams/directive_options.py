"""A directive's body lines -> the layer's spec and how to show it, or one located error
(standard library only).

The Sphinx directive and the fuzz test both call :func:`parse_directive`, so what a page author
is told, and where, is decided here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .constructors import ConstructorError, looks_like_constructor
from .counting import parse_spec
from .expect import EXPECT, parse_expect
from .kinds import all_options
from .options import (
    canonical_name,
    collect,
    describe,
    kebab,
    parse_literal,
    parse_words,
    read_field_lines,
)
from .spec import PARTS, OptionError, Part
from .table import ROWS, Rows

# Options about how the count is shown, or checked (``expect``), rather than what is counted.
DISPLAY_OPTIONS = ("caption", "name", "class", "show", "label", "rows", EXPECT)
# A :label: becomes an HTML id and a LaTeX \label{}: nothing that either would read as markup.
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


class DirectiveError(OptionError):
    """An OptionError with the 0-based body line to blame (None: the directive itself)."""

    def __init__(self, error: OptionError, index: int | None) -> None:
        super().__init__(str(error), error.option)
        self.index = index


@dataclass(frozen=True)
class Display:
    parts: tuple[Part, ...]
    caption: str = ""
    name: str = ""
    classes: tuple[str, ...] = ()
    label: str = ""
    rows: Rows | None = None  # the table's rows: per gate or per layer (None: as suits)
    expect: int | None = None  # the total the author states (None: not checked)


@dataclass(frozen=True)
class DirectiveInput:
    spec: Any
    display: Display
    lines: dict[str, int]  # option (our word) -> 0-based body line
    layer: str | None = None  # the constructor, as written
    # the option words that describe the layer, as written (name, value), in order
    written: tuple[tuple[str, str], ...] = ()


def split_constructor(lines: Sequence[str]) -> tuple[str | None, int]:
    """A constructor at the top of the body (``nn.LSTM(4096, 256,`` and the lines that close
    its parentheses), and the number of lines it takes; (None, 0) when the body starts with
    options."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not looks_like_constructor(lines[first]):
        return None, 0
    depth, end = 0, first
    for end in range(first, len(lines)):
        depth += lines[end].count("(") - lines[end].count(")")
        if depth <= 0 or (lines[end + 1 : end + 2] and lines[end + 1].strip().startswith(":")):
            break
    return "\n".join(line.strip() for line in lines[first : end + 1]), end + 1


def parse_parts(option: str, value: object) -> tuple[Part, ...]:
    """``table, formula`` -> ('table', 'formula'); ``all`` is every part."""
    words = parse_words(option, value, PARTS)
    return tuple(part for word in words for part in PARTS if part == word)


def parse_directive(
    lines: Iterable[str],
    default_framework: str,
    default_parts: tuple[Part, ...],
    make_id: Callable[[str], str],
) -> DirectiveInput:
    """Body lines -> spec and display settings; raises :class:`DirectiveError`.

    ``make_id`` turns a ``:class:`` word into a safe class name (docutils' ``make_id``), as the
    ``class`` option of docutils' own directives does.
    """
    fields: list[tuple[str, str, int]] = []
    lines = list(lines)
    layer, skip = split_constructor(lines)
    try:
        fields = read_fields(lines[skip:], skip)
        display_fields = [(n, v) for n, v, _i in fields if canonical_name(n) in DISPLAY_OPTIONS]
        spec_fields = [(n, v) for n, v, _i in fields if canonical_name(n) not in DISPLAY_OPTIONS]
        shown = {k: str(v) for k, v in collect(display_fields, known=DISPLAY_OPTIONS).items()}
        try:
            spec = parse_spec(
                spec_fields, default_framework, also_known=DISPLAY_OPTIONS, layer=layer
            )
        except ConstructorError as error:
            raise DirectiveError(error, _constructor_line(lines, error.offset)) from error
        parts = parse_parts("show", shown["show"]) if "show" in shown else default_parts
        label = shown.get("label", "")
        if label and not _LABEL.fullmatch(label):
            raise OptionError(
                f"label: {describe(label)} may only hold ASCII letters, digits and - _ . : "
                "(it becomes an HTML id and a LaTeX label)",
                "label",
            )
        if label and "formula" not in parts:
            raise OptionError("label: names the formula, which :show: leaves out", "label")
        classes = parse_classes(shown.get("class", ""), make_id)
        rows = parse_literal("rows", shown["rows"], ROWS) if "rows" in shown else None
        expect = parse_expect(shown[EXPECT]) if EXPECT in shown else None
    except DirectiveError:
        raise
    except OptionError as error:
        raise DirectiveError(error, _blame(fields, error.option)) from error
    display = Display(
        parts, shown.get("caption", ""), shown.get("name", ""), tuple(classes), label, rows, expect
    )
    lines_of = {canonical_name(n): i for n, _v, i in fields}
    return DirectiveInput(spec, display, lines_of, layer, tuple(spec_fields))


def parse_classes(value: str, make_id: Callable[[str], str]) -> list[str]:
    """``:class:`` words -> safe class names, as docutils' own directives make them."""
    classes = []
    for word in value.split():
        name = make_id(word)
        if not name:
            raise OptionError(f"class: cannot make {word!r} into a class name", "class")
        classes.append(name)
    return classes


def _constructor_line(lines: Sequence[str], offset: int | None) -> int:
    """The body line of a constructor that an error's offset (into its joined text) is in."""
    first = next(i for i, line in enumerate(lines) if line.strip())
    if offset is None:
        return first
    for index in range(first, len(lines)):
        width = len(lines[index].strip()) + 1
        if offset < width:
            return index
        offset -= width
    return first


def read_fields(lines: Sequence[str], start: int = 0) -> list[tuple[str, str, int]]:
    """The directive's options: ``:name: value`` lines, or a MyST ``---`` block read as YAML
    (as MyST reads the options of directives that declare them), each with its 0-based line
    (the lines numbered from ``start``)."""
    if not lines or lines[0].strip() != "---":
        return read_field_lines(lines, start)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise DirectiveError(OptionError("the option block has no closing '---'"), start)
    after = [i for i in range(end + 1, len(lines)) if lines[i].strip()]
    if after:
        text = describe(lines[after[0]].strip())
        raise DirectiveError(
            OptionError(f"line {start + after[0] + 1} of the directive is not an option: {text}"),
            start + after[0],
        )
    return _yaml_fields("\n".join(lines[1:end]), start)


def _yaml_fields(text: str, start: int) -> list[tuple[str, str, int]]:
    """A YAML mapping of option names to single values (0-based lines counted from the
    opening ``---``). Values stay text, as written (after YAML's quoting and folding), so
    that ``units: "256"`` and ``units: 256`` read alike."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        index = start + (mark.line + 1 if mark is not None else 0)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise DirectiveError(
            OptionError(f"the option block is not YAML: {problem}"), index
        ) from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise DirectiveError(
            OptionError("the option block must be 'name: value' lines"),
            start + node.start_mark.line + 1,
        )
    fields = []
    for key, value in node.value:
        index = start + key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            raise DirectiveError(
                OptionError(f"line {index + 1} of the directive: an option takes one value"),
                index,
            )
        fields.append((str(key.value), str(value.value).strip(), index))
    return fields


def _blame(fields: list[tuple[str, str, int]], option: str | None) -> int | None:
    """The body line an error about ``option`` points at: its line; for a repeated option the
    repeat; for an unknown word its first use; None for a missing option."""
    uses = [i for name, _v, i in fields if option in (name, kebab(canonical_name(name)))]
    if not uses:
        return None
    known = canonical_name(option or "") in (*all_options(), *DISPLAY_OPTIONS)
    return uses[1] if known and len(uses) > 1 else uses[0]
