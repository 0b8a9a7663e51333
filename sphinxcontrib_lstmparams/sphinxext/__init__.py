"""Everything that imports Sphinx: the directive, the role, the config values, builder hooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .config import add_config_values, check_config
from .directive import CATALOG, LstmParamsDirective
from .hooks import (
    LATEX_PACKAGE,
    ExplainUnitsOnce,
    KeepGeneratedBlocksOutOfCatalogs,
    KeepTablesWithHeadingsInLatex,
    WrapTablesForScrolling,
    adapt_for_man,
    add_static_dir,
    add_stylesheet,
    caption_diagrams_for_man,
    copy_latex_package,
    declare_inline_svg_for_epub,
)
from .model_directive import ModelSummaryDirective
from .printed import check_printed_blocks
from .quotes import merge_quotes, outdated_quotes, purge_quotes, resolve_quotes
from .record import merge_counts, purge_counts, write_counts
from .role import LstmParamsRole
from .verification import verify_site

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup_extension(app: Sphinx, version: str) -> ExtensionMetadata:
    add_config_values(app)
    app.add_directive("lstm-params", LstmParamsDirective)
    app.add_directive("model-summary", ModelSummaryDirective)
    app.add_role("lstm-params", LstmParamsRole())
    app.add_message_catalog(CATALOG, str(Path(__file__).parents[1] / "locale"))
    # the cell diagram is a tikzpicture in LaTeX (Debian: texlive-pictures)
    app.add_latex_package("tikz")
    app.connect("config-inited", check_config)
    app.connect("doctree-resolved", resolve_quotes)
    app.connect("doctree-resolved", adapt_for_man)
    app.connect("doctree-resolved", caption_diagrams_for_man)
    app.add_post_transform(WrapTablesForScrolling)
    app.add_post_transform(KeepTablesWithHeadingsInLatex)
    app.add_post_transform(ExplainUnitsOnce)
    app.add_transform(KeepGeneratedBlocksOutOfCatalogs)
    app.add_latex_package(LATEX_PACKAGE)
    app.connect("build-finished", copy_latex_package)
    app.connect("build-finished", declare_inline_svg_for_epub)
    app.connect("builder-inited", add_static_dir)
    app.connect("html-page-context", add_stylesheet)
    app.connect("env-purge-doc", purge_counts)
    app.connect("env-merge-info", merge_counts)
    app.connect("env-purge-doc", purge_quotes)
    app.connect("env-merge-info", merge_quotes)
    app.connect("env-get-outdated", outdated_quotes)
    app.connect("build-finished", write_counts)
    app.connect("env-check-consistency", verify_site)
    app.connect("doctree-read", check_printed_blocks)
    return {
        "version": version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        # the environment keeps every count of the site (record.py); bump when that changes
        "env_version": 3,
    }
