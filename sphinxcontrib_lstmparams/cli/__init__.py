"""The command line, ``lstm-params``: one layer's breakdown (``main.py``), or a whole model's
summary with ``--model FILE`` (``model.py``)."""

from __future__ import annotations

from .main import build_parser, main

__all__ = ["build_parser", "main"]
