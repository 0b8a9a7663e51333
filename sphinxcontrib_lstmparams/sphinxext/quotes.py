"""The role quoting a named model summary: ``:lstm-params:`model=imdb``` -> 2,757,761, the
number computed as the summary's table computes it and guarded by ``expect=``
(:mod:`sphinxcontrib_lstmparams.model.quote` holds the rule).

The summary may be on another page, read before or after the role's. So the model directive
keeps its counts in the environment (``env.lstmparams_models``: name -> the page, the id of
its table and :func:`~sphinxcontrib_lstmparams.model.quote.record`), the role leaves a
placeholder, and :func:`resolve_quotes` answers it once every page has been read, with a
link to the summary. A page that quotes is read again whenever a page changes
(:func:`outdated_quotes`), so that a number never stays behind its table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from ..expect import EXPECT, mismatch
from ..model.quote import Quote, model_key, quoted
from ..numbers import format_count
from ..spec import OptionError
from .config import settings
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

MODELS = "lstmparams_models"  # name -> {"page", "target", "total", "layers"}
QUOTING = "lstmparams_quoting"  # the pages with a quote
QUOTE = "lstmparams_quote"  # the placeholder's attribute: the quote, as a dict
QUOTE_CLASS = "lstm-params-quote"


def models(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] | None = getattr(env, MODELS, None)
    if found is None:
        found = {}
        setattr(env, MODELS, found)
    return found


def quoting(env: BuildEnvironment) -> set[str]:
    found: set[str] | None = getattr(env, QUOTING, None)
    if found is None:
        found = set()
        setattr(env, QUOTING, found)
    return found


def keep_model(env: BuildEnvironment, name: str, target: str, counts: dict[str, Any]) -> None:
    """A named summary of the page being read, for the quotes of the site."""
    models(env)[model_key(name)] = {"page": env.docname, "target": target, **counts}


def placeholder(env: BuildEnvironment, rawtext: str, quote: Quote) -> nodes.inline:
    """What the role leaves until every page has been read."""
    quoting(env).add(env.docname)
    node = nodes.inline(rawtext, quote.what, classes=["lstm-params", QUOTE_CLASS])
    node[QUOTE] = {"model": quote.model, "layer": quote.layer, "expect": quote.expect}
    return node


def resolve_quotes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each placeholder -> the count, linked to its summary; a quote that cannot be answered
    is one located warning and shows the role as written (``doctree-resolved``: every page
    has been read)."""
    known = models(app.env)
    separator = settings(app.config).separator
    for node in list(doctree.findall(nodes.inline)):
        if QUOTE not in node:
            continue
        given = node[QUOTE]
        quote = Quote(given["model"], given["layer"], given["expect"])
        try:
            count = quoted(quote, known)
        except OptionError as error:
            warn(f"lstm-params role: {error}", node)
            node.replace_self(nodes.literal(node.rawsource, node.rawsource))
            continue
        if quote.expect is not None:
            message = mismatch(quote.expect, count, f"{EXPECT}=")
            if message is not None:
                warn(f"lstm-params role: {message}", node, EXPECT)
        text = format_count(count, separator)
        shown = nodes.inline(node.rawsource, text, classes=["lstm-params"])
        found = known[quote.model]
        try:
            link = make_refnode(app.builder, docname, found["page"], found["target"], shown)
        except NoUri:  # the summary's page is not in this output (a LaTeX document's)
            node.replace_self(shown)
            continue
        node.replace_self(link)


def purge_quotes(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    found = models(env)
    for name in [n for n, model in found.items() if model["page"] == docname]:
        del found[name]
    quoting(env).discard(docname)


def merge_quotes(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    """A parallel reader's summaries and quoting pages, for the documents it read."""
    read = set(docnames)
    models(env).update({n: m for n, m in models(other).items() if m["page"] in read})
    quoting(env).update(quoting(other) & read)


def outdated_quotes(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The pages that quote a summary, whenever any page is read again: the summary they
    quote may be on it."""
    if not (added or changed or removed):
        return []
    return sorted(quoting(env) - removed)
