"""Sphinx configuration for the sphinxcontrib-lstmparams documentation.

Every count on these pages is computed by the extension itself at build time. The builds
are strict: ``sphinx-build -W -n --keep-going`` for html, latex, text and man (see
``.ci/build-docs``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import sphinxcontrib_lstmparams

HERE = Path(__file__).parent

project = "sphinxcontrib-lstmparams"
author = "sphinxcontrib-lstmparams developers"
copyright = "2026, sphinxcontrib-lstmparams developers"
version = release = sphinxcontrib_lstmparams.__version__

sys.path.insert(0, str(HERE / "_ext"))
extensions = [
    "sphinx.ext.autodoc",
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib_lstmparams",
    "known_layers",  # docs/_ext: the list of layers, read from the registry
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
    ("py:class", "sphinxcontrib_lstmparams.kinds.simple.SS"),
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
# the summaries pasted on these pages (docs/models.rst) are read back and checked
lstmparams_check_printed = True

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
    # the index's columns are narrow for dotted names: break lines instead of overfilling
    "printindex": r"\footnotesize\raggedright\printindex",
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


# -- man page: this documentation's own tables ----------------------------------------------------
# The extension sets its own tables as monospace blocks in man pages (troff cannot fit their
# columns into 80 characters without warnings). The pages' hand-written tables (the options at
# a glance, the framework comparison, the benchmark results) have the same problem, so the man
# build sets them the same way; `.ci/build-docs` fails on any troff warning at 80 columns.
MAN_TABLE_WIDTH = 72  # an 80-column terminal, less the man page's indent


def _plain_table(rows: list[list[str]], width: int = MAN_TABLE_WIDTH) -> str:
    """Columns two spaces apart, the widest shrunk (never below its longest word) until the
    table fits ``width``; rows one blank line apart when a cell takes more than one line."""
    import textwrap

    columns = range(len(rows[0]))
    widths = [max(len(row[c]) for row in rows) for c in columns]
    floors = [max(len(word) for row in rows for word in row[c].split() or [""]) for c in columns]
    while sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(columns, key=lambda c: widths[c] - floors[c])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    wrapped = [
        [
            textwrap.wrap(cell, w, break_long_words=False) or [""]
            for cell, w in zip(row, widths, strict=True)
        ]
        for row in rows
    ]
    spaced = any(len(cell) > 1 for row in wrapped for cell in row)
    lines = []
    for index, cells in enumerate(wrapped):
        if spaced and index > 1:
            lines.append("")
        for line in range(max(map(len, cells))):
            parts = [
                (c[line] if line < len(c) else "").ljust(w)
                for c, w in zip(cells, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _man_tables(app, doctree, docname):  # type: ignore[no-untyped-def]
    from docutils import nodes

    if app.builder.format != "man":
        return
    for table in list(doctree.findall(nodes.table)):
        rows = [
            [" ".join(entry.astext().split()) for entry in row.children]
            for row in table.findall(nodes.row)
        ]
        text = _plain_table(rows)
        replacement = [nodes.literal_block(text, text)]
        title = next(iter(table.findall(nodes.title)), None)
        if title is not None:
            replacement.insert(0, nodes.paragraph("", "", *title.children))
        table.replace_self(replacement)


def setup(app):  # type: ignore[no-untyped-def]
    app.connect("doctree-resolved", _man_tables)
