"""Which code a printed summary is held against (check (c)), read with the code reader and
never run (standard library only).

A page is read in order (:class:`PageCode`): its Python blocks (``python``, ``py``,
``ipython``, or no language and Python text), and its printed blocks. A printed block is held
against the nearest Python block before it (in a notebook, the cell whose output it is):

* When that block calls ``summary`` (``model.summary()``, ``summary(model, ...)``), the
  summary is of that model as it was at that call: the code is read up to the statement
  that calls it, for that variable. If the block does not make the variable, the blocks
  before it are read with it, back to the one that does, but not back past another printed
  summary (which had its own code). A block that calls it several times prints several
  summaries: the first printed one is the first call's.
* Else the block is read alone, and the model is the one the reader picks (the last made, or
  a builder's).

The values the code cannot know come from the site's ``lstmparams_define`` and the page's own
(``lstmparams-define``); they fill in, and never replace a value the code sets to a constant
(the printed summary was of the code as written). IPython's ``%magic`` and ``!shell`` lines
are read as blank lines.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..literals import LiteralError, literal_value
from ..model import read_model
from ..model.code.defines import merge
from ..model.summary import ModelSummary
from .against_code import can_hold, check_against, same_model, unbuilt
from .check import CHECKS, Check, check_summary
from .find import find_summaries, might_hold_a_summary
from .summary import PrintedSummary, Problem

PYTHON_LANGUAGES = frozenset({"python", "python3", "py", "py3", "ipython", "ipython3"})
# what a block that names no language says (Sphinx and myst-parser write "default")
_NO_LANGUAGE = frozenset({"", "default"})
# how far back a summary's variable is looked for, in blocks
MAX_BLOCKS = 12


@dataclass(frozen=True, eq=False)
class CodeBlock:
    """A block of Python on a page: its text, and where its lines are for a message."""

    text: str
    source: str = ""  # its file
    first_line: int | None = None  # the file line (0-based) of its first line; None: unknown
    label: str = "the code block"  # what a message calls it when its lines are not known

    def place(self, line: int, seen_from: str) -> str:
        """Line ``line`` of the block (0-based) as a message about ``seen_from`` says it."""
        if self.first_line is None:
            return f"line {line + 1} of {self.label}"
        if self.source and self.source != seen_from:
            return f"{self.source}:{self.first_line + line + 1}"
        return f"line {self.first_line + line + 1}"

    @functools.cached_property
    def lines(self) -> list[str]:
        """Its lines, IPython's magics and shell escapes blanked (the line numbers kept)."""
        return [
            "" if line.lstrip().startswith(("%", "!")) else line for line in self.text.splitlines()
        ]

    @functools.cached_property
    def tree(self) -> ast.Module | None:
        try:
            return ast.parse("\n".join(self.lines))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None

    @functools.cached_property
    def calls(self) -> list[SummaryCall]:
        """Its ``summary`` calls (:func:`summary_calls`)."""
        if self.tree is None or "summary" not in self.text:
            return []
        return summary_calls(self.tree)


def is_code(language: str | None, text: str) -> bool:
    """Whether a literal block is Python: it says so, or it says no language and its text is
    Python (and no printed summary)."""
    word = (language or "").strip().lower()
    if word in PYTHON_LANGUAGES:
        return True
    if word not in _NO_LANGUAGE or might_hold_a_summary(text) or not text.strip():
        return False
    return CodeBlock(text).tree is not None


# -- what the code says -------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryCall:
    """``model.summary()`` or ``summary(model, ...)`` at the top level of a block."""

    target: str  # the variable: "model"
    end: int  # the line (0-based) after the statement that holds the call


def summary_calls(tree: ast.Module) -> list[SummaryCall]:
    """The block's summary calls in order; those inside a ``def`` or ``class`` are the
    function's (they print when it is called)."""
    calls: list[SummaryCall] = []
    for statement in tree.body:
        end = statement.end_lineno or statement.lineno
        for node in _outside_definitions(statement):
            if isinstance(node, ast.Call):
                target = _summarized(node)
                if target is not None:
                    calls.append(SummaryCall(target, end))
    return calls


def _summarized(call: ast.Call) -> str | None:
    """The variable a call summarizes: ``model.summary(...)`` (Keras), ``summary(model,
    ...)`` and ``torchinfo.summary(model, ...)``; None for another call."""
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if name != "summary":
        return None
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Name):  # summary(model, ...), torchinfo.summary(model, ...)
        return first.id
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        return function.value.id
    return None


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _outside_definitions(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what it holds in order, not entering a ``def``, ``lambda`` or ``class``
    (a loop, not recursion: ``a + a + ... + a`` nests as deep as it is long)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children = [c for c in ast.iter_child_nodes(current) if not isinstance(c, _DEFINITIONS)]
        stack.extend(reversed(children))


def _binds(tree: ast.Module, name: str) -> bool:
    """Whether the block gives ``name`` a value (outside its functions)."""
    for statement in tree.body:
        if isinstance(statement, _DEFINITIONS) and getattr(statement, "name", "") == name:
            return True
        for node in _outside_definitions(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
                return True
            if isinstance(node, ast.alias) and (node.asname or node.name) == name:
                return True
    return False


def _constants(tree: ast.Module) -> set[str]:
    """The names the code sets to a value that needs nothing else (``maxlen = 80``)."""
    fixed: set[str] = set()
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets = [statement.target]
        value = getattr(statement, "value", None)
        if targets and value is not None and _constant(value):
            fixed.update(target.id for target in targets if isinstance(target, ast.Name))
    return fixed


def _constant(node: ast.expr) -> bool:
    try:
        literal_value(node)
    except (LiteralError, ValueError, TypeError, ArithmeticError, MemoryError, RecursionError):
        return False
    return True


# -- a page's blocks in order ----------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """The code's summary for one printed summary (None: no model it can read)."""

    summary: ModelSummary | None
    blocks: tuple[tuple[int, CodeBlock], ...] = ()  # (first line in the code read, block)

    def place(self, line: int, seen_from: str) -> str:
        start, block = next((s, b) for s, b in reversed(self.blocks) if s <= line)
        return block.place(line - start, seen_from)

    def why_not(self, seen_from: str) -> str:
        """Why the model read from the code is not complete: its first problem, at its line
        ("" when it does not say)."""
        if self.summary is None:
            return ""
        found = [(row.line, row.problem) for row in self.summary.rows if row.problem]
        found += list(self.summary.step_problems)
        if not found:
            return ""
        line, why = min(found)
        return f"{why} ({self.place(line, seen_from)})"


@dataclass
class Checked:
    """What one printed block gives: its problems (lines counted in the block), notes
    (line, text) on summaries that could not be held against their code, and for each
    summary whether it was."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    held: list[bool] = field(default_factory=list)


class PageCode:
    """The Python blocks of one page so far, in runs that a printed summary ends."""

    def __init__(
        self,
        define: Sequence[Mapping[str, object]] = (),
        define_hint: str = ":define: {key}=...",
    ) -> None:
        self.define = list(define)  # the site's values, then the page's: later ones win
        self.define_hint = define_hint
        self._runs: list[list[CodeBlock]] = []
        self._ended = True  # a printed summary came after the last block
        self._read: dict[tuple[tuple[str, ...], str | None], ModelSummary | None] = {}

    def add(self, block: CodeBlock) -> None:
        if self._ended:
            self._runs.append([])
            self._ended = False
        self._runs[-1].append(block)

    def check(self, text: str, seen_from: str = "", cell: CodeBlock | None = None) -> Checked:
        """Every problem of every summary in a printed block; ``cell``: the notebook cell
        whose output it is (only that cell's code is its code)."""
        checked = Checked()
        summaries = find_summaries(text)
        if not summaries:
            return checked
        run = self._runs[-1] if self._runs else []
        if cell is not None and (not run or run[-1] is not cell):
            run = []
        computed = self._computed(run, len(summaries))
        self._ended = True
        for summary, code in zip(summaries, computed, strict=True):
            checks: tuple[Check, ...] = CHECKS
            model = code.summary
            held = model is not None and can_hold(summary, model)
            if model is not None and held:
                place = functools.partial(code.place, seen_from=seen_from)
                against = functools.partial(check_against, computed=model, place=place)
                checks = (*CHECKS, against)
            elif model is not None and same_model(summary, model):
                why = code.why_not(seen_from)
                if why and not unbuilt(summary):
                    checked.notes.append((summary.first_line, _note(summary, why)))
            checked.held.append(held)
            checked.problems += check_summary(summary, checks)
        return checked

    # -- the code of a printed block -----------------------------------------------------------

    def _computed(self, run: list[CodeBlock], count: int) -> list[Computed]:
        nothing = [Computed(None)] * count
        last = run[-1] if run else None
        if last is None or last.tree is None:
            return nothing
        calls = last.calls
        if not calls:
            return [self._summary([last], None, None)] * count
        if len(calls) != count:
            if len(calls) > 1:
                return nothing  # which call printed which summary cannot be told
            calls = calls * count
        found = []
        for call in calls:
            blocks = [last]
            for earlier in reversed(run[-MAX_BLOCKS:-1]):
                if blocks[0].tree is not None and _binds(blocks[0].tree, call.target):
                    break
                blocks.insert(0, earlier)
            found.append(self._summary(blocks, call.end, call.target))
        return found

    def _summary(self, blocks: list[CodeBlock], end: int | None, variable: str | None) -> Computed:
        """The summary of the blocks read as one cell (the last up to line ``end``)."""
        lines: list[str] = []
        starts: list[tuple[int, CodeBlock]] = []
        for block in blocks:
            starts.append((len(lines), block))
            lines += block.lines
        if end is not None:
            lines = lines[: starts[-1][0] + end]
        key = (tuple(lines), variable)
        if key not in self._read:
            self._read[key] = self._read_model(blocks, lines, variable)
        return Computed(self._read[key], tuple(starts))

    def _read_model(
        self, blocks: list[CodeBlock], lines: list[str], variable: str | None
    ) -> ModelSummary | None:
        given = [layer for layer in self.define if layer]
        if given:  # a value the code sets itself is the code's
            fixed = set().union(*(_constants(b.tree) for b in blocks if b.tree is not None))
            given = [{k: v for k, v in layer.items() if k not in fixed} for layer in given]
        try:
            return read_model(
                lines, define=merge(given), variable=variable, define_hint=self.define_hint
            )
        except (ValueError, MemoryError, RecursionError):  # ModelError: no model it can read
            return None


def _note(summary: PrintedSummary, why: str) -> str:
    return f"printed {summary.title} summary: not held against the code before it: {why}"


__all__ = ["Checked", "CodeBlock", "PageCode", "is_code", "summary_calls"]
