"""The ``model-summary`` directive: a model's layers, one per line, as ``model.summary()``
(Keras) or torchinfo (PyTorch) would list them, each recurrent layer's count linked to its
gate-by-gate breakdown."""

from __future__ import annotations

from dataclasses import replace

from docutils import nodes

from ..directive_options import DirectiveError
from ..expect import EXPECT
from ..model.body import ModelInput, notes_at, parse_model_directive, problems_at
from ..model.layout import MODEL_CLASS, breakdown_ids, listed_rows, same_breakdowns
from ..model.printers import layout
from ..model.quote import record
from ..model.summary import ModelError
from ..numbers import NumberStyle
from ..render import RenderSettings
from ..render.model import ModelRender, model_nodes
from ..spec import DEFAULT_MODEL_PARTS
from .checks import check_expected
from .config import settings
from .directive import BodyDirective, _
from .quotes import keep_model
from .record import record_count
from .warnings import inform, warn


class ModelSummaryDirective(BodyDirective):
    """``.. model-summary::``, options, then one layer per line."""

    def run(self) -> list[nodes.Node]:
        config = settings(self.config)
        try:
            given = parse_model_directive(
                list(self.content), DEFAULT_MODEL_PARTS, nodes.make_id, config.define
            )
        except DirectiveError as error:
            where = self.get_location() if error.index is None else self._location(error.index)
            subtype = "model" if isinstance(error.__cause__, ModelError) else "option"
            warn(f"model-summary: {error}", where, subtype)
            return []
        summary, display = given.summary, given.display
        problems = []
        for index, problem in problems_at(given):
            path, line = self._source_and_line(self._line_of(index))
            warn(f"model-summary: {problem}", f"{path}:{line}", "model")
            problems.append(_("line {line}: {problem}").format(line=line, problem=problem))
        for index, note in notes_at(given):
            inform(f"model-summary: {note}", self._location(index))
        if display.expect is not None and not summary.refused:  # no total: its warning says why
            where = self._location(given.lines[EXPECT])
            check_expected(display.expect, summary.total, where, "model-summary")
        self._record(given)
        numbers = NumberStyle(config.separator)
        serial = self.env.new_serialno("lstm-params-model")
        base = nodes.make_id(display.name) if display.name else f"lstm-params-model-{serial}"
        document = self.state.document
        ids = breakdown_ids(summary, base, display.parts, lambda id_: id_ in document.ids)
        shown = RenderSettings(config.show, numbers)
        # a layer that could not be counted leaves no summary to show: the box says what to
        # fix (a step that could not be followed only leaves shapes unknown: the table stays)
        boxed = problems if summary.problems else []
        render_settings = ModelRender(
            display.parts, numbers, shown, ids, same=same_breakdowns(summary), problems=boxed
        )
        messages: list[nodes.system_message] = []
        if display.caption:
            title_nodes, source, messages = self._caption(display.caption, given.lines["caption"])
            render_settings = replace(render_settings, caption=title_nodes, caption_source=source)
        container = nodes.container(classes=["lstm-params", MODEL_CLASS + "s", *display.classes])
        container.extend(model_nodes(summary, layout(summary, numbers, _), render_settings, _))
        self.set_source_info(container)
        for box in container.findall(nodes.container):
            if box["ids"]:
                # the page's ids know ours: an author's label after the summary gets an id of
                # its own instead of a second "m-layer-1" (docutils numbers it)
                document.set_id(box)
        if display.name:
            self.options["name"] = display.name
            tables = list(container.findall(nodes.table))
            named = tables[0] if "summary" in display.parts and tables else container
            self.add_name(named)
            keep_model(self.env, display.name, named["ids"][0], record(summary))
        self._typeset(container)
        return [container, *messages]

    def _record(self, given: ModelInput) -> None:
        """The model's total in ``lstm-params.json``, and each recurrent layer's, written so
        that ``lstmparams_verify`` builds it again in the framework: its line, and the input
        width the model gives it."""
        source, line = self.get_source_info()
        summary = given.summary
        if summary.refused:  # the framework would not build it: there is no total to list
            return
        record_count(
            self.env,
            kind="model-summary",
            source=source,
            line=line,
            spec=None,
            total=summary.total,
            expect=given.display.expect,
        )
        for row in listed_rows(summary):
            if not row.recurrent or row.breakdown is None:
                continue
            spec = row.breakdown.spec
            row_source, row_line = self.state_machine.get_source_and_line(
                self._line_of(given.first_layer_line + row.line)
            )
            record_count(
                self.env,
                kind="model-summary layer",
                source=row_source,
                line=row_line,
                spec=spec,
                total=row.params,
                expect=None,
                layer=row.source,
                written=[("input-dim", str(spec.input_dim))],
            )
