"""``:lstm-params:`units=256, input-dim=4096``` -> 4,457,472."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from ..counting import count, parse_spec
from ..numbers import format_count
from ..options import read_role_text
from ..spec import OptionError
from .config import settings
from .warnings import warn


class LstmParamsRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        framework, _parts, separator = settings(self.config)
        try:
            spec = parse_spec(read_role_text(self.text), default_framework=framework)
        except OptionError as error:
            warn(f"lstm-params role: {error}", self.get_location())
            return [nodes.literal(self.rawtext, self.rawtext)], []
        total = format_count(count(spec).total, separator)
        return [nodes.inline(self.rawtext, total, classes=["lstm-params"])], []
