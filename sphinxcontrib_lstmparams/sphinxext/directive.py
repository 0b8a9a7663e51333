"""The ``lstm-params`` directive.

Options are read from the directive body by :func:`~sphinxcontrib_lstmparams.directive_options.
parse_directive` instead of a docutils ``option_spec``: reST and MyST then hand us the same
lines, so unknown, repeated and bad options all get the same single warning, at the line of the
option itself, in one place. (With an ``option_spec``, docutils reports those as its own
untyped errors and MyST drops bad options before ``run()`` sees them.)
"""

from __future__ import annotations

import os
import re
import weakref
from dataclasses import replace

from docutils import nodes
from docutils.statemachine import StateMachine
from sphinx import addnodes
from sphinx.directives.patches import MathDirective
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from ..counting import count
from ..directive_options import DirectiveError, parse_directive
from ..expect import EXPECT
from ..numbers import NumberStyle
from ..render import (
    DIAGRAM_CLASS,
    DIAGRAM_TEXT_CLASS,
    FORMULA_TEXT_CLASS,
    STORAGE_CLASS,
    STORAGE_TEXT_CLASS,
    TABLE_CLASS,
    RenderSettings,
    captioned_part,
    render,
)
from ..render.table import NUMBER_CLASS, TOTAL_CLASS
from .checks import check_expected
from .config import settings
from .latex_table import column_spec, column_widths
from .record import record_count
from .warnings import warn

# myst-parser before 5.2 moves text on the fence line (`{lstm-params} nn.LSTM(...`) into the
# body without counting that line, so every body line is reported one line too low.
_MYST_FENCE_TEXT = re.compile(r"\s*(`{3,}|~{3,}|:{3,})\s*\{[^}]+\}\s*\S")


def _myst_lost_the_fence_line(directive: SphinxDirective) -> bool:
    try:
        from myst_parser import __version__
    except ImportError:
        return False
    if tuple(int(part) for part in re.findall(r"\d+", __version__)[:2]) >= (5, 2):
        return False
    source, _ = directive.get_source_info()
    line = _source_line(directive.state.document, source, directive.lineno)
    return bool(_MYST_FENCE_TEXT.match(line))


# each source file read once per document parsed (a file may change between builds)
_READ: weakref.WeakKeyDictionary[nodes.document, dict[str, list[str]]]
_READ = weakref.WeakKeyDictionary()


def _source_line(document: nodes.document, source: str, line: int) -> str:
    """Line ``line`` (1-based) of a source file; empty when it cannot be read."""
    files = _READ.setdefault(document, {})
    if source not in files:
        try:
            with open(source, encoding="utf-8", errors="replace") as file:
                files[source] = file.read().splitlines()
        except OSError:
            files[source] = []
    lines = files[source]
    return lines[line - 1] if 0 < line <= len(lines) else ""


CATALOG = "sphinxcontrib_lstmparams"
_ = get_translation(CATALOG)


class BodyDirective(SphinxDirective):
    """A directive that reads its options from its body, and points at body lines."""

    has_content = True

    def _line_of(self, index: int) -> int:
        """The 1-based line of body line ``index`` in the parser's whole input."""
        if isinstance(self.state_machine, StateMachine):
            # docutils: content_offset is the 0-based input line of the first body line,
            # which may sit on the directive's own line (`.. lstm-params:: :units: 8`)
            return self.content_offset + index + 1
        # MyST numbers body lines from 0, after the directive's line
        line = self.lineno + 1 + self.content_offset + index
        return line - 1 if _myst_lost_the_fence_line(self) else line

    def _source_and_line(self, line: int) -> tuple[str, int]:
        """The file and line an input line came from (an included file has its own, which
        docutils gives relative to the working directory: made absolute, as Sphinx's are)."""
        source, source_line = self.state_machine.get_source_and_line(line)
        where = os.path.abspath(source) if source else str(source)
        return where, source_line if source_line is not None else line

    def _location(self, index: int) -> str:
        source, source_line = self._source_and_line(self._line_of(index))
        return f"{source}:{source_line}"

    def _caption(
        self, caption: str, index: int
    ) -> tuple[list[nodes.Node], tuple[str, str, int], list[nodes.system_message]]:
        """The author's caption parsed as inline markup, its source, and its markup errors
        (reported after the output, as docutils' own table directive does, never inside the
        caption, where LaTeX would choke)."""
        line = self._line_of(index)
        title_nodes, messages = self.state.inline_text(caption, line)
        return title_nodes, (caption, *self._source_and_line(line)), messages

    def _typeset(self, container: nodes.Element, label: str | None = None) -> None:
        """What every builder needs around our nodes: equation numbers and targets, the
        plain formula and text diagram for text builders, LaTeX column specs."""
        for block in list(container.findall(nodes.math_block)):
            block["docname"] = self.env.docname
            block["label"] = label or None
            # Sphinx's own math directive numbers and registers the equation (also for
            # math_number_all); its target must sit right before the block so the ids move
            # onto it, as numfig expects.
            targets: list[nodes.Node] = [block]
            MathDirective.add_target(self, targets)  # type: ignore[arg-type,unused-ignore]
            parent = block.parent
            for target in targets[:-1]:
                parent.insert(parent.index(block), target)
        _offer_plain_formula(container)
        _offer_text_diagram(container)
        for table in list(container.findall(nodes.table)):
            if TABLE_CLASS in table["classes"]:
                spec = addnodes.tabular_col_spec(spec=latex_column_spec(table))
                table.parent.insert(table.parent.index(table), spec)
        _give_source(container)


def _give_source(container: nodes.Element) -> None:
    """What Sphinx's ApplySourceWorkaround gives a line or a rubric that has no source (the
    nearest source above it, line 0), given here: Sphinx first prints each one it patches as
    XML for a debug message it then drops, seconds for a storage map of 100 layers."""
    source = container.source
    for kind in (nodes.line, nodes.rubric):
        for node in container.findall(kind):
            if node.source is None:
                node.source, node.line = source, 0


class LstmParamsDirective(BodyDirective):
    """``.. lstm-params::`` followed by ``:option: value`` lines (see the option table)."""

    def run(self) -> list[nodes.Node]:
        config = settings(self.config)
        try:
            given = parse_directive(
                self.content, config.default_framework, config.show, nodes.make_id
            )
        except DirectiveError as error:
            where = self.get_location() if error.index is None else self._location(error.index)
            warn(f"lstm-params: {error}", where)
            return []
        display = given.display
        breakdown = count(given.spec)
        if display.expect is not None:
            check_expected(display.expect, breakdown.total, self._location(given.lines[EXPECT]))
        source, line = self.get_source_info()
        record_count(
            self.env,
            kind="directive",
            source=source,
            line=line,
            spec=given.spec,
            total=breakdown.total,
            expect=display.expect,
            layer=given.layer,
            written=given.written,
        )
        render_settings = RenderSettings(
            display.parts, NumberStyle(config.separator), rows=display.rows
        )
        messages: list[nodes.system_message] = []
        if display.caption:
            title_nodes, title_source, messages = self._caption(
                display.caption, given.lines["caption"]
            )
            render_settings = replace(
                render_settings, caption=title_nodes, caption_source=title_source
            )
        container = nodes.container(classes=["lstm-params", *display.classes])
        container.extend(render(breakdown, render_settings, _))
        self.set_source_info(container)
        if display.name:
            self.options["name"] = display.name
            self.add_name(_named_part(container, captioned_part(display.parts)))
        self._typeset(container, display.label)
        return [container, *messages]


def _named_part(container: nodes.Element, part: str | None) -> nodes.Element:
    """What ``:name:`` labels: the part that has the caption, else the whole output."""
    wanted = {"table": TABLE_CLASS, "diagram": DIAGRAM_CLASS, "storage": STORAGE_CLASS}
    for node in container.findall(nodes.Element):
        if part and wanted[part] in node["classes"]:
            return node
    return container


# Builders that print a math_block as its LaTeX source get the plain-text formula instead.
PLAIN_MATH_BUILDERS = "format_text or format_man or format_texinfo"


def _offer_plain_formula(container: nodes.Element) -> None:
    """Wrap the math block (with its equation target) and its plain twin in ``only`` nodes,
    one per kind of builder. The twin gets a copy of the target, so that the text, man and
    texinfo builders also find the equation's anchor where the formula is."""
    for plain in list(container.findall(nodes.literal_block)):
        if FORMULA_TEXT_CLASS not in plain["classes"]:
            continue
        parent = plain.parent
        block = parent[parent.index(plain) - 1]
        start = parent.index(block)
        while start and isinstance(parent[start - 1], nodes.target):
            start -= 1
        targets = list(parent[start : parent.index(block)])
        typeset = addnodes.only(expr=f"not ({PLAIN_MATH_BUILDERS})")
        text = addnodes.only(expr=PLAIN_MATH_BUILDERS)
        parent.insert(start, typeset)
        parent.insert(start + 1, text)
        for node in [*targets, block]:
            parent.remove(node)
            typeset += node
        parent.remove(plain)
        text += [target.deepcopy() for target in targets]
        text += plain


def _offer_text_diagram(container: nodes.Element) -> None:
    """Keep the diagram's text drawing, and the storage map's text listing, for the builders
    that show neither SVG nor TikZ and whose tables cannot hold lines; the others get the
    storage table (the ``raw`` SVG and TikZ are dropped by every builder but their own)."""
    plain_only = {DIAGRAM_TEXT_CLASS: PLAIN_MATH_BUILDERS, STORAGE_TEXT_CLASS: PLAIN_MATH_BUILDERS}
    plain_only[STORAGE_CLASS] = f"not ({PLAIN_MATH_BUILDERS})"
    for node in list(container.findall(nodes.Element)):
        expr = next((plain_only[c] for c in node["classes"] if c in plain_only), None)
        if expr is not None and not isinstance(node.parent, addnodes.only):
            wrapper = addnodes.only(expr=expr)
            node.parent.replace(node, wrapper)
            wrapper += node


def latex_column_spec(table: nodes.table) -> str:
    """The table's column spec for LaTeX (``latex_table.py``): every column as wide as its
    widest unbreakable piece, numbers right-aligned, labels left, no hyphenation
    (``sphinxlstmparams.sty``), the whole within the text block, in a smaller size when the
    pieces do not fit it at the text's."""
    rows = [[entry.astext() for entry in row.children] for row in table.findall(nodes.row)]
    bold = [TOTAL_CLASS in row["classes"] for row in table.findall(nodes.row)]
    head = next(iter(table.findall(nodes.thead)))
    numeric = [NUMBER_CLASS in entry["classes"] for entry in head.findall(nodes.entry)]
    widths, size = column_widths(rows, bold)
    return column_spec(widths, numeric, size)
