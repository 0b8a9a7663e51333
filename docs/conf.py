"""Sphinx configuration for the sphinxcontrib-lstmparams documentation.

Every count on these pages is computed by the extension itself at build time. The builds
are strict: ``sphinx-build -W -n --keep-going`` for html, latex, text and man (see
``.ci/build-docs``).
"""

from __future__ import annotations

from pathlib import Path

import sphinxcontrib_lstmparams

HERE = Path(__file__).parent

project = "sphinxcontrib-lstmparams"
author = "sphinxcontrib-lstmparams developers"
copyright = "2026, sphinxcontrib-lstmparams developers"
version = release = sphinxcontrib_lstmparams.__version__

extensions = [
    "sphinx.ext.autodoc",
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib_lstmparams",
]
# No intersphinx: the builds run without network access.

# Snippets are included into pages (and built by the tests); they are not pages themselves.
exclude_patterns = ["_build", "snippets", "Thumbs.db", ".DS_Store"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"

nitpicky = True
# Only genuinely external names that no inventory can resolve without network access.
nitpick_ignore = [
    ("py:class", "collections.abc.Collection"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "collections.abc.Callable"),
    # a TypeVar and a Protocol that only exist for type checkers
    ("py:class", "sphinxcontrib_lstmparams.kinds.base.S"),
    ("py:class", "sphinxcontrib_lstmparams.kinds.recurrent.HasTensors"),
    # setup()'s signature names Sphinx's own types, imported only for type checking
    ("py:class", "Sphinx"),
    ("py:class", "ExtensionMetadata"),
]
numfig = True
today = "2026-11-27"

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# The extension's own settings, at their defaults (written out so the usage page can point here).
lstmparams_default_framework = "keras"
lstmparams_show = ["answer", "table", "formula", "notes"]
lstmparams_thousands_separator = ","

autodoc_member_order = "bysource"
autodoc_typehints = "signature"

html_theme = "furo"
html_title = f"sphinxcontrib-lstmparams {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_last_updated_fmt = None

# MathJax: a local copy when `.ci/browser-setup` fetched one (docs/_static/mathjax3/, git-ignored,
# used by the offline browser test); otherwise Sphinx's default CDN URL.
if (HERE / "_static" / "mathjax3" / "tex-chtml.js").is_file():
    mathjax_path = "mathjax3/tex-chtml.js"

latex_engine = "pdflatex"
latex_documents = [
    ("index", "sphinxcontrib-lstmparams.tex", project, author, "manual"),
]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    # the pasted text-builder and terminal outputs are up to 90 columns wide
    "fvset": r"\fvset{fontsize=\small}",
}
man_pages = [
    (
        "index",
        "sphinxcontrib-lstmparams",
        "count LSTM, GRU and RNN parameters in Sphinx docs",
        [author],
        7,
    ),
]
