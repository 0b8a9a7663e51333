"""A machine-readable record of every count on the site: ``lstm-params.json`` in the HTML
output, one entry per directive and role that counted something.

Each document's entries are plain dicts kept in the build environment (``env.lstmparams_counts``,
docname -> entries in reading order), so that an incremental build keeps the entries of the
pages it did not read, and a parallel build merges its workers' entries (``env-merge-info``).
The file is written when the build finishes, sorted by page and then in the order the page was
read, with sorted keys: two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ATTRIBUTE = "lstmparams_counts"
FILENAME = "lstm-params.json"
FORMAT = 1  # bump when an entry's keys change meaning

Entry = dict[str, Any]


def entries(env: BuildEnvironment) -> dict[str, list[Entry]]:
    """docname -> the entries of that document, in reading order (made on first use)."""
    found: dict[str, list[Entry]] | None = getattr(env, ATTRIBUTE, None)
    if found is None:
        found = {}
        setattr(env, ATTRIBUTE, found)
    return found


def source_name(env: BuildEnvironment, source: str | None, docname: str) -> str:
    """The file a count was written in, relative to the source folder, with ``/``."""
    if not source or source.startswith("<"):
        return Path(env.doc2path(docname, False)).as_posix()
    return Path(os.path.relpath(os.path.abspath(source), env.srcdir)).as_posix()


def record_count(
    env: BuildEnvironment,
    *,
    kind: str,
    source: str | None,
    line: int | None,
    spec: object,
    total: int,
    expect: int | None,
    layer: str | None = None,
    written: Sequence[tuple[str, str]] | None = None,
) -> Entry:
    """Keep one count of the document being read.

    ``kind`` says what counted (``directive``, ``role``; another directive its own word).
    ``spec`` is a layer kind's spec dataclass: its fields become ``options``. ``layer`` and
    ``written`` are the constructor and the option words as the author wrote them, for a
    single layer that :func:`~sphinxcontrib_lstmparams.counting.parse_spec` reads again
    (``lstmparams_verify`` does); leave ``written`` None for anything else.
    """
    options = dataclasses.asdict(spec) if dataclasses.is_dataclass(spec) else {}  # type: ignore[arg-type]
    entry: Entry = {
        "page": env.docname,
        "source": source_name(env, source, env.docname),
        "line": line,
        "kind": kind,
        "options": options,
        "total": total,
        "expect": expect,
        "written": None
        if written is None
        else {"layer": layer, "options": [[name, value] for name, value in written]},
    }
    entries(env).setdefault(env.docname, []).append(entry)
    return entry


def purge_counts(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    entries(env).pop(docname, None)


def merge_counts(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    """A parallel reader's entries for the documents it read."""
    theirs = entries(other)
    ours = entries(env)
    for docname in docnames:
        if docname in theirs:
            ours[docname] = theirs[docname]


def site_counts(env: BuildEnvironment) -> list[Entry]:
    """Every entry of the site: by page name, then in reading order."""
    found = entries(env)
    return [entry for docname in sorted(found) for entry in found[docname]]


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def as_json(counts: Sequence[Entry]) -> str:
    """The file's text: a JSON object with one count to a line, keys sorted (easy to diff)."""
    lines = ",\n".join(f"  {_dumps(entry)}" for entry in counts)
    head = f'{{"format": {FORMAT}, "generator": "sphinxcontrib-lstmparams", "counts": ['
    return f"{head}\n{lines}\n]}}\n" if counts else f"{head}]}}\n"


def write_counts(app: Sphinx, exception: Exception | None) -> None:
    """``lstm-params.json`` next to the HTML pages (not in EPUB, whose files are a book)."""
    builder = app.builder
    if exception is not None or builder.format != "html" or builder.name.startswith("epub"):
        return
    Path(app.outdir, FILENAME).write_text(as_json(site_counts(app.env)), encoding="utf-8")
