"""``:lstm-params:`units=256, input-dim=4096``` -> 4,457,472."""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from ..constructors import split_call
from ..counting import count, parse_spec
from ..expect import EXPECT, split_expect
from ..model.quote import read_quote
from ..numbers import format_count
from ..options import read_role_text
from ..spec import OptionError
from .checks import check_expected
from .config import settings
from .quotes import placeholder
from .record import record_count
from .warnings import warn


class LstmParamsRole(SphinxRole):
    """A layer's count, or with ``model=NAME`` a named model summary's (:mod:`.quotes`)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        config = settings(self.config)
        layer, rest = split_call(self.text)  # `nn.GRU(300, 128)`, options may follow
        try:
            quote = None if layer else read_quote(read_role_text(rest))
        except OptionError as error:
            warn(f"lstm-params role: {error}", self.get_location())
            written = self._as_written()
            return [nodes.literal(written, written)], []
        if quote is not None:
            node = placeholder(self.env, self._as_written(), quote)
            node.source, node.line = self.get_source_info()
            return [node], []
        try:
            pairs, expected = split_expect(read_role_text(rest))
            spec = parse_spec(pairs, config.default_framework, also_known=(EXPECT,), layer=layer)
        except OptionError as error:
            warn(f"lstm-params role: {error}", self.get_location())
            written = self._as_written()
            return [nodes.literal(written, written)], []
        counted = count(spec).total
        check_expected(expected, counted, self.get_location(), "lstm-params role", f"{EXPECT}=")
        source, line = self.get_source_info()
        record_count(
            self.env,
            kind="role",
            source=source,
            line=line,
            spec=spec,
            total=counted,
            expect=expected,
            layer=layer,
            written=pairs,
        )
        total = format_count(counted, config.separator)
        return [nodes.inline(self.rawtext, total, classes=["lstm-params"])], []

    def _as_written(self) -> str:
        """The role as the author wrote it: MyST hands roles over in reST spelling."""
        source, _line = self.get_source_info()
        suffix = os.path.splitext(str(source))[1]
        source_suffix = self.config.source_suffix
        if isinstance(source_suffix, dict) and source_suffix.get(suffix) == "markdown":
            return f"{{{self.name}}}`{self.text}`"
        return self.rawtext
