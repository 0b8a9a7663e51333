"""``lstmparams_verify``: build every layer of the site in the frameworks named there and warn
where one disagrees with the page (how is :mod:`sphinxcontrib_lstmparams.verify`).

It runs once per build, in the main process, at ``env-check-consistency``: after every page has
been read (by parallel workers too, whose counts the environment merged, :mod:`.record`) and
before any is written. It checks every count of the site, not only the pages just read: what
changes is the framework installed, not the page. A framework is imported only when a layer
needs it; one that cannot be imported is one info line, not a warning per layer. Built layers
are cached per distinct layer (spec, options given, framework version) in this process, so a
site with a thousand directives builds each distinct layer once; the cache holds only what a
framework deterministically builds, so every process that fills it fills it alike.
"""

from __future__ import annotations

import os
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..counting import count, parse_spec
from ..spec import OptionError
from ..verify import (
    Built,
    Library,
    Unavailable,
    build,
    cache_key,
    compare,
    covers,
    given_options,
    load,
    report,
)
from .config import settings
from .record import Entry, site_counts
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinxcontrib_lstmparams")

# (library, version, layer, given) -> what the library built, for this process's builds
BUILT: dict[Hashable, Built] = {}


@dataclass(frozen=True)
class Check:
    """One count of the site that a library can build."""

    entry: Entry
    spec: Any
    given: frozenset[str]


def checks_of(env: BuildEnvironment, default_framework: str) -> list[Check]:
    """The site's single-layer counts, each read again from the words its author wrote."""
    found = []
    for entry in site_counts(env):
        written = entry.get("written")
        if written is None:  # not one layer in our words (another directive's count)
            continue
        try:
            spec = parse_spec(written["options"], default_framework, layer=written["layer"])
            given = given_options(written["options"], written["layer"])
        except OptionError:  # it was read once already; a count that cannot be is not checked
            continue
        found.append(Check(entry, spec, given))
    return found


def location(env: BuildEnvironment, entry: Entry) -> str:
    return f"{os.path.join(env.srcdir, entry['source'])}:{entry['line']}"


def layers(number: int) -> str:
    return f"{number:,} layer" + ("" if number == 1 else "s")


def verify_site(app: Sphinx, env: BuildEnvironment) -> None:
    """Check each count against each library of ``lstmparams_verify`` that builds its layer."""
    config = settings(app.config)
    if not config.verify:
        return
    counts = checks_of(env, config.default_framework)
    for library in config.verify:
        checks = [check for check in counts if covers(library, check.spec)]
        if not checks:
            logger.info(f"lstmparams_verify: no layer on the site for {library} to build")
            continue
        started = time.perf_counter()
        try:
            version = load(library)
        except Unavailable as error:
            logger.info(
                f"lstmparams_verify: {library} cannot be imported ({error}); "
                f"{layers(len(checks))} not checked against it"
            )
            continue
        imported = time.perf_counter() - started
        _verify_with(env, library, version, checks, imported)


def _verify_with(
    env: BuildEnvironment, library: Library, version: str, checks: list[Check], imported: float
) -> None:
    started = time.perf_counter()
    keys, disagree = set(), 0
    for check in checks:
        key = cache_key(library, version, check.spec, check.given)
        keys.add(key)
        built = BUILT.get(key)
        if built is None:
            built = BUILT[key] = build(library, check.spec, check.given)
        problems = compare(count(check.spec), built)
        if problems:
            disagree += 1
            warn(f"lstm-params: {report(built, problems)}", location(env, check.entry), "verify")
    outcome = "all agree" if not disagree else f"{disagree:,} disagree"
    logger.info(
        f"lstmparams_verify: {layers(len(checks))} ({len(keys):,} distinct) checked against "
        f"{library} {version} in {time.perf_counter() - started:.1f} s (import "
        f"{imported:.1f} s): {outcome}"
    )
