"""The ``lstm-params`` directive and role: the only module that imports Sphinx.

Options are read from the directive body by :func:`options.read_field_lines` instead of a
docutils ``option_spec``: reST and MyST then hand us the same lines, so unknown, repeated
and bad options all get the same single warning, at the line of the option itself, in one
place. (With an ``option_spec``, docutils reports those as its own untyped errors and
MyST drops bad options before ``run()`` sees them.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StateMachine
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.patches import MathDirective
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.typing import ExtensionMetadata

from .counting import count
from .formula import format_count
from .options import (
    DISPLAY_OPTIONS,
    FRAMEWORKS,
    PARTS,
    SPEC_OPTIONS,
    OptionError,
    canonical_name,
    collect,
    kebab,
    parse_parts,
    parse_spec,
    read_field_lines,
    read_role_text,
)
from .render import FORMULA_TEXT_CLASS, RenderSettings, render

CATALOG = "sphinxcontrib_lstmparams"
_ = get_translation(CATALOG)
logger = logging.getLogger(__name__)

WARNING_TYPE = "lstmparams"


def _warn(message: str, location: Any, subtype: str = "option") -> None:
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)


def _settings_from_config(config: Config) -> tuple[str, tuple[str, ...], str]:
    """Config values, already checked by :func:`check_config`."""
    return (
        config.lstmparams_default_framework,
        tuple(config.lstmparams_show),
        config.lstmparams_thousands_separator,
    )


def _class_names(value: str) -> list[str]:
    """:class: words made into safe class names, as docutils' own ``class`` option does.

    Builders write class names unescaped (LaTeX as ``\\begin{sphinxuseclass}{...}``).
    """
    names = []
    for word in value.split():
        name = nodes.make_id(word)
        if not name:
            raise OptionError(f"class: cannot make {word!r} into a class name", "class")
        names.append(name)
    return names


class LstmParamsDirective(SphinxDirective):
    """``.. lstm-params::`` followed by ``:option: value`` lines (see the option table)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        fields: list[tuple[str, str, int]] = []
        try:
            fields = read_field_lines(self.content)
            display_fields = [(n, v) for n, v, _i in fields if canonical_name(n) in DISPLAY_OPTIONS]
            spec_fields = [
                (n, v) for n, v, _i in fields if canonical_name(n) not in DISPLAY_OPTIONS
            ]
            display = {k: str(v) for k, v in collect(display_fields, known=DISPLAY_OPTIONS).items()}
            framework, default_parts, separator = _settings_from_config(self.config)
            spec = parse_spec(spec_fields, default_framework=framework, also_known=DISPLAY_OPTIONS)
            parts = parse_parts("show", display["show"]) if "show" in display else default_parts
            # values arrive stripped from read_field_lines
            label = display.get("label", "")
            if label and "formula" not in parts:
                raise OptionError("label: names the formula, which :show: leaves out", "label")
            classes = _class_names(display.get("class", ""))
        except OptionError as error:
            _warn(f"lstm-params: {error}", self._blame(fields, error.option))
            return []
        lines = {canonical_name(name): self._line_of(index) for name, _v, index in fields}

        breakdown = count(spec)
        settings = RenderSettings(parts=parts, separator=separator)
        caption = display.get("caption", "")
        if caption:
            title_nodes, messages = self.state.inline_text(caption, lines["caption"])
            settings = replace(
                settings,
                caption=[*title_nodes, *messages],
                caption_source=(caption, *self._source_and_line(lines["caption"])),
            )
        built = render(breakdown, settings, _)
        container = nodes.container(classes=["lstm-params", *classes])
        container.extend(built)
        self.set_source_info(container)
        if display.get("name"):
            self.options["name"] = display["name"]
            named = next(iter(container.findall(nodes.table)), container)
            self.add_name(named)
        _offer_plain_formula(container)
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
        return [container]

    def _blame(self, fields: list[tuple[str, str, int]], option: str | None) -> str:
        """Where an error about ``option`` points: its line; for a repeated option the repeat."""
        uses = [i for name, _v, i in fields if option in (name, kebab(canonical_name(name)))]
        if not uses:  # a missing option, or a body line that is not an option
            return self.get_location()
        known = canonical_name(option or "") in (*SPEC_OPTIONS, *DISPLAY_OPTIONS)
        index = uses[1] if known and len(uses) > 1 else uses[0]  # an unknown word: its first use
        return self._location(self._line_of(index))

    def _line_of(self, index: int) -> int:
        """The 1-based line of body line ``index`` in the parser's whole input."""
        if isinstance(self.state_machine, StateMachine):
            # docutils: content_offset is the 0-based input line of the first body line,
            # which may sit on the directive's own line (`.. lstm-params:: :units: 8`)
            return self.content_offset + index + 1
        # MyST numbers body lines from 0, after the directive's line
        return self.lineno + 1 + self.content_offset + index

    def _source_and_line(self, line: int) -> tuple[str, int]:
        """The file and line an input line came from (an included file has its own)."""
        source, source_line = self.state_machine.get_source_and_line(line)
        return str(source), source_line if source_line is not None else line

    def _location(self, line: int) -> str:
        source, source_line = self._source_and_line(line)
        return f"{source}:{source_line}"


# Builders that print a math_block as its LaTeX source get the plain-text formula instead.
PLAIN_MATH_BUILDERS = "format_text or format_man or format_texinfo"


def _offer_plain_formula(container: nodes.Element) -> None:
    """Wrap the math block and its plain twin in ``only`` nodes, one per kind of builder."""
    for plain in list(container.findall(nodes.literal_block)):
        if FORMULA_TEXT_CLASS not in plain["classes"]:
            continue
        parent = plain.parent
        block = parent[parent.index(plain) - 1]
        for node, expr in ((block, f"not ({PLAIN_MATH_BUILDERS})"), (plain, PLAIN_MATH_BUILDERS)):
            wrapper = addnodes.only(expr=expr)
            parent.replace(node, wrapper)
            wrapper += node


class LstmParamsRole(SphinxRole):
    """``:lstm-params:`units=256, input-dim=4096``` -> 4,457,472."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        framework, _parts, separator = _settings_from_config(self.config)
        try:
            spec = parse_spec(read_role_text(self.text), default_framework=framework)
        except OptionError as error:
            _warn(f"lstm-params role: {error}", self.get_location())
            return [nodes.literal(self.rawtext, self.rawtext)], []
        total = format_count(count(spec).total, separator)
        return [nodes.inline(self.rawtext, total, classes=["lstm-params"])], []


def check_config(app: Sphinx, config: Config) -> None:
    """Warn once about a bad config value and fall back to the default."""
    if config.lstmparams_default_framework not in FRAMEWORKS:
        _warn(
            f"lstmparams_default_framework: {config.lstmparams_default_framework!r} is not "
            f"one of {', '.join(FRAMEWORKS)}; using 'keras'",
            None,
            "config",
        )
        config.lstmparams_default_framework = "keras"
    try:
        show = config.lstmparams_show
        config.lstmparams_show = parse_parts(
            "lstmparams_show", show if isinstance(show, str) else ",".join(map(str, show))
        )
    except OptionError as error:
        _warn(f"{error}; using all parts", None, "config")
        config.lstmparams_show = PARTS


def caption_tables_for_man(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the man builder our table captions as paragraphs above the tables.

    docutils' man writer takes a table's title for the page's own title (the NAME line,
    unescaped) or a ``.SH`` heading; as a paragraph the caption is escaped text.
    """
    if app.builder.format != "man":
        return
    for table in list(doctree.findall(nodes.table)):
        if "lstm-params-table" not in table["classes"] or not isinstance(table[0], nodes.title):
            continue
        title = table[0]
        table.remove(title)
        caption = nodes.paragraph("", "", *title.children, classes=["lstm-params-caption"])
        table.parent.insert(table.parent.index(table), caption)


def setup_extension(app: Sphinx, version: str) -> ExtensionMetadata:
    app.add_config_value("lstmparams_default_framework", "keras", "env", types=frozenset({str}))
    app.add_config_value("lstmparams_show", PARTS, "env", types=frozenset({list, tuple, str}))
    app.add_config_value("lstmparams_thousands_separator", ",", "env", types=frozenset({str}))
    app.add_directive("lstm-params", LstmParamsDirective)
    app.add_role("lstm-params", LstmParamsRole())
    app.add_message_catalog(CATALOG, str(Path(__file__).parent / "locale"))
    app.connect("config-inited", check_config)
    app.connect("doctree-resolved", caption_tables_for_man)
    return {
        "version": version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        # nothing is stored in the environment; bump if that ever changes
        "env_version": 1,
    }
