"""Whole models (standard library only): what ``model.summary()`` (Keras 3) or
``torchinfo.summary()`` (PyTorch) would print, read from the model as it is written.

``summary.py`` holds the summary (its rows and totals) and builds it layer after layer;
``body.py`` reads a ``model-summary`` directive's body; ``layout.py`` and ``printers.py`` lay
a summary out, each framework in its own folder (``keras/``: layer names, layout, printed text;
``torch/``: the steps of ``forward``, torchinfo's layout and text).
"""

from __future__ import annotations

from .printers import layout, summary_text
from .read import model_summary, read_model, summarize
from .summary import ModelError, ModelSummary, Row

__all__ = [
    "ModelError",
    "ModelSummary",
    "Row",
    "layout",
    "model_summary",
    "read_model",
    "summarize",
    "summary_text",
]
