"""The mystmd (Jupyter Book 2) front end: the executable plugin (``plugin.py``) and the MyST AST
it answers with (``mdast.py`` for a layer, ``mdast_model.py`` for a model summary). Standard
library only, and nothing here imports Sphinx or docutils."""

from __future__ import annotations

from .plugin import main

__all__ = ["main"]
