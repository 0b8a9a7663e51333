"""Shared fixtures: Sphinx's own ``sphinx.testing`` plugin with our test roots, and one way to
build a small project (:func:`build_project`) that every test file uses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
ROOTS = TESTS / "roots"
# Keep the documented flat test layout importable under --import-mode=importlib.
collect_ignore = ["roots"]

CONF = """\
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
"""


def strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@dataclass
class Built:
    """A finished build: the app (cleaned up), its output and its warnings without colours."""

    app: SphinxTestApp
    warnings: str

    @property
    def srcdir(self) -> Path:
        return Path(self.app.srcdir)

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    def output(self, name: str = "index.html") -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def doctree(self, docname: str = "index") -> nodes.document:
        return self.app.env.get_doctree(docname)


def build_project(
    srcdir: Path,
    pages: dict[str, str] | None = None,
    builder: str = "html",
    conf: str = CONF,
    *,
    extra_conf: str = "",
    copy_from: Path | None = None,
    **app_options: Any,
) -> Built:
    """Write ``pages`` (file name -> text) and ``conf.py`` into ``srcdir`` (after copying
    ``copy_from``, a test root or the docs' snippets) and build it. ``extra_conf`` is added
    to ``conf``; ``conf=""`` keeps the copied root's own ``conf.py``."""
    if copy_from is not None:
        shutil.copytree(copy_from, srcdir, dirs_exist_ok=True)
    srcdir.mkdir(parents=True, exist_ok=True)
    if conf or extra_conf:
        (srcdir / "conf.py").write_text(conf + extra_conf, encoding="utf-8")
    for name, text in (pages or {}).items():
        (srcdir / name).parent.mkdir(parents=True, exist_ok=True)
        (srcdir / name).write_text(text, encoding="utf-8")
    # warnings end with their type ("[lstmparams.model]") on Sphinx 7.4 too, as from 8.0 on
    overrides = {"show_warning_types": True, **app_options.pop("confoverrides", {})}
    app = SphinxTestApp(builder, srcdir=srcdir, confoverrides=overrides, **app_options)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(app, strip_colours(app.warning.getvalue()))


@pytest.fixture(scope="session")
def project() -> Callable[..., Built]:
    """:func:`build_project`, for tests that do not import conftest."""
    return build_project


def compile_pdf(outdir: Path, name: str = "") -> str:
    """Sphinx's own route to the PDF, ``make all-pdf`` (or ``make name.pdf``) in the LaTeX
    output; a LaTeX error fails the test with LaTeX's ``!`` lines. Returns the LaTeX logs, for
    the overfull-box checks."""
    done = subprocess.run(
        ["make", "-C", str(outdir), f"{name}.pdf" if name else "all-pdf", "LATEXMKOPTS=-silent"],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    log = "".join(p.read_text(encoding="latin-1") for p in sorted(outdir.glob("*.log")))
    errors = re.findall(r"^!.*$", log, re.MULTILINE)
    assert done.returncode == 0 and list(outdir.glob("*.pdf")), errors or done.stdout[-2000:]
    return log


@pytest.fixture(scope="session")
def pdf() -> Callable[..., str]:
    """:func:`compile_pdf`, for tests that do not import conftest."""
    return compile_pdf


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def framework_counts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TESTS / "data" / "framework_counts.json").read_text())
    return data


@pytest.fixture(scope="session")
def gate_orders() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TESTS / "data" / "gate_orders.json").read_text())
    return data
