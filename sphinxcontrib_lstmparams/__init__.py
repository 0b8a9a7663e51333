"""Sphinx extension that shows how many parameters an LSTM, GRU or RNN layer has, and why;
and what ``model.summary()`` or torchinfo would print for a whole model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .counting import Breakdown, count, count_params, parse_spec
from .formula import Formula, formula
from .kinds.recurrent import GateRow, gate_rows
from .model import ModelError, ModelSummary, model_summary, summary_text
from .spec import LayerSpec, OptionError, Tensor

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.2.0"

__all__ = [
    "Breakdown",
    "Formula",
    "GateRow",
    "LayerSpec",
    "ModelError",
    "ModelSummary",
    "OptionError",
    "Tensor",
    "__version__",
    "count",
    "count_params",
    "formula",
    "gate_rows",
    "model_summary",
    "parse_spec",
    "setup",
    "summary_text",
]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Called by Sphinx for ``extensions = ["sphinxcontrib_lstmparams"]``: registers the
    ``lstm-params`` directive and role, the three config values and the message catalog, and
    declares the extension safe for parallel reading and writing."""
    # Imported here so that the Python API and the command line never load Sphinx.
    from .sphinxext import setup_extension

    return setup_extension(app, __version__)
