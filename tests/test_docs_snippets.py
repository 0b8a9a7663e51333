"""The documentation's examples are real: every snippet builds, and what the docs show is current.

* ``docs/snippets/rst/NAME.rst`` and ``docs/snippets/myst/NAME.md`` are one example in the two
  syntaxes. The usage page shows both sources and includes the reST file as the result. Both
  must build without a warning and give the same document tree. One normalised tree per
  snippet is kept in ``tests/test_docs_snippets/NAME.xml``.
* ``docs/snippets/config/NAME.py`` sets a config value; ``NAME.txt`` next to it is what the
  text builder prints for ``page.rst`` under it, checked here.
* ``docs/snippets/errors/NAME.rst`` holds mistakes; ``NAME.txt`` holds the warnings they give
  (under the conf.py lines of ``NAME.py``, where there is one).
* ``docs/snippets/cli/NAME.txt`` is a command and its output, checked against the command.

After an intended change of output, regenerate with ``pytest tests/test_docs_snippets.py
--force-regen`` and review the diff.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from sphinxcontrib_lstmparams.cli import build_parser
from sphinxcontrib_lstmparams.directive_options import DISPLAY_OPTIONS
from sphinxcontrib_lstmparams.kinds import all_options
from sphinxcontrib_lstmparams.model.body import MODEL_OPTIONS
from sphinxcontrib_lstmparams.options import ALIASES, kebab

DOCS = Path(__file__).parents[1] / "docs"
SNIPPETS = DOCS / "snippets"
RST_NAMES = sorted(path.stem for path in (SNIPPETS / "rst").glob("*.rst"))
MYST_NAMES = sorted(path.stem for path in (SNIPPETS / "myst").glob("*.md"))
CONFIG_NAMES = sorted(path.stem for path in (SNIPPETS / "config").glob("*.py"))
# a config value whose example needs a page of its own (config/NAME.rst; else page.rst)
CONFIG_PAGES = {path.stem for path in (SNIPPETS / "config").glob("*.rst")} - {"page"}
ERROR_NAMES = sorted(path.stem for path in (SNIPPETS / "errors").glob("*.rst"))
# Config values that check the pages rather than change them: what the text builder prints
# under them must be what it prints without them (and their example says so).
CHECKS_ONLY = {
    "lstmparams_verify": "builds the layers in the frameworks and only warns",
    "lstmparams_check_printed": "reads the pasted summaries and only warns",
}

# The command-line examples on docs/cli.rst: file name -> arguments after `lstm-params`.
CLI_EXAMPLES = {
    "seed": "--units 256 --input-dim 4096 --timesteps 16",
    "pytorch-bidirectional": "--framework pytorch --hidden-size 128 --input-size 64"
    " --num-layers 2 --bidirectional",
    "json": "--cell rnn --units 4 --input-dim 3 --json",
    "constructor": "'keras.layers.GRU(64, reset_after=False)' --input-dim 32",
    "error": "--units 256 --input-dim 4096 --framework pytorch --peepholes",
    "model": "--model imdb-model.lines",
    "model-json": "--model - --json < imdb-model.lines",
    "model-cell": "--model imdb-cell.py --define max_features=20000",
    "check-printed": "--check-printed stale-readme.md",
    "model-refused": "--model refused-model.lines",
}

CONF = """\
project = "Snippets"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
numfig = True
nitpicky = True
exclude_patterns = ["snippets"]
"""


def strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# -- normalised document trees ------------------------------------------------------------------

# Attributes that say where a node came from rather than what it is.
IGNORED_ATTRIBUTES = frozenset({"source", "line", "rawsource", "translation_progress"})


def normalise(node: nodes.Node, depth: int = 0) -> Iterator[str]:
    """Pseudo-XML that reST and MyST agree on when the rendered result is the same.

    Adjacent text nodes are joined (MyST keeps soft line breaks as their own text nodes), and
    ``translatable`` is dropped on inline nodes, where it has no effect: only block-level text
    is a message unit.
    """
    indent = "  " * depth
    if isinstance(node, nodes.Text):
        yield indent + repr(str(node))
        return
    assert isinstance(node, nodes.Element)
    attributes = []
    for key in sorted(node.attributes):
        value = node.attributes[key]
        if key in IGNORED_ATTRIBUTES or value in ([], None, ""):
            continue
        if key == "translatable" and isinstance(node, nodes.Inline):
            continue
        if isinstance(value, bool):
            value = int(value)
        attributes.append(f" {key}={str(value)!r}")
    yield f"{indent}<{node.tagname}{''.join(attributes)}>"
    text: list[str] = []
    for child in [*node.children, None]:
        if isinstance(child, nodes.Text):
            text.append(str(child))
            continue
        if text:
            yield from normalise(nodes.Text("".join(text)), depth + 1)
            text = []
        if child is not None:
            yield from normalise(child, depth + 1)


def body_of(doctree: nodes.document) -> str:
    """The section's content after its title (the test page's own heading is not the snippet)."""
    section = next(iter(doctree.findall(nodes.section)))
    assert isinstance(section[0], nodes.title)
    return "\n".join(line for child in section[1:] for line in normalise(child)) + "\n"


Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture


def build_with_snippets(
    project: Project, path: Path, pages: dict[str, str], builder: str = "html", conf: str = CONF
) -> Any:
    """A project holding the docs' snippets folder and ``pages``, built."""
    shutil.copytree(SNIPPETS, path / "snippets")
    return project(path, pages, builder, conf).app


@pytest.fixture(scope="module")
def snippet_builds(
    tmp_path_factory: pytest.TempPathFactory, project: Project
) -> dict[str, SphinxTestApp]:
    """Two projects: every reST snippet included by a reST page, every MyST one by a MyST page."""
    base = tmp_path_factory.mktemp("snippets")
    toctree = "Snippets\n========\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in RST_NAMES)
    rst_pages = {
        f"{n}.rst": f"{n}\n{'=' * len(n)}\n\n.. include:: snippets/rst/{n}.rst\n" for n in RST_NAMES
    }
    myst_pages = {
        f"{n}.md": f"# {n}\n\n```{{include}} snippets/myst/{n}.md\n```\n" for n in MYST_NAMES
    }
    return {
        "rst": build_with_snippets(project, base / "rst", {"index.rst": toctree, **rst_pages}),
        "myst": build_with_snippets(project, base / "myst", {"index.rst": toctree, **myst_pages}),
    }


def test_every_example_exists_in_both_syntaxes() -> None:
    assert RST_NAMES, "no snippets found"
    assert RST_NAMES == MYST_NAMES


@pytest.mark.parametrize("syntax", ["rst", "myst"])
def test_snippets_build_without_warnings(
    snippet_builds: dict[str, SphinxTestApp], syntax: str
) -> None:
    assert strip_colours(snippet_builds[syntax].warning.getvalue()) == ""


@pytest.mark.parametrize("name", RST_NAMES)
def test_rst_and_myst_give_the_same_doctree(
    snippet_builds: dict[str, SphinxTestApp], name: str, file_regression: Any
) -> None:
    rst = body_of(snippet_builds["rst"].env.get_doctree(name))
    myst = body_of(snippet_builds["myst"].env.get_doctree(name))
    assert "<" in rst, f"{name}: the snippet rendered nothing"
    assert myst == rst
    file_regression.check(rst, basename=name, extension=".xml")


def test_every_option_has_an_example() -> None:
    rst = "".join((SNIPPETS / "rst" / f"{n}.rst").read_text() for n in RST_NAMES)
    myst = "".join((SNIPPETS / "myst" / f"{n}.md").read_text() for n in MYST_NAMES)
    for option in (*all_options(), *ALIASES, *DISPLAY_OPTIONS, *MODEL_OPTIONS):
        word = kebab(option)
        assert f":{word}:" in rst, f"no reST snippet uses :{word}:"
        assert re.search(rf"^:?{word}:", myst, re.MULTILINE), f"no MyST snippet uses {word}"
    assert ":lstm-params:`" in rst and "{lstm-params}`" in myst  # the role
    assert re.search(r"^---$", myst, re.MULTILINE)  # a MyST option block
    assert "```{lstm-params}" in myst and ":::{lstm-params}" in myst  # both fences


def test_the_pages_show_every_example() -> None:
    """Every snippet is on a page (the directive's options on usage.rst, whole models on
    models.rst): both sources, and the reST one included as the result."""
    usage = (DOCS / "usage.rst").read_text()
    pages = "".join(page.read_text() for page in DOCS.glob("*.rst"))
    for name in RST_NAMES:
        assert f".. literalinclude:: snippets/rst/{name}.rst\n" in pages, name
        assert f".. literalinclude:: snippets/myst/{name}.md\n" in pages, name
        assert f".. include:: snippets/rst/{name}.rst\n" in pages, name
    for name in CONFIG_NAMES:
        assert f".. literalinclude:: snippets/config/{name}.py\n" in usage, name
        assert f".. literalinclude:: snippets/config/{name}.txt\n" in usage, name
        assert f"``{name}``" in usage, name
    for name in ERROR_NAMES:
        assert f".. literalinclude:: snippets/errors/{name}.rst\n" in pages, name
        assert f".. literalinclude:: snippets/errors/{name}.txt\n" in pages, name


# -- config values: conf.py lines and what the text builder prints under them -------------------


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_config_example_output(
    name: str, tmp_path: Path, file_regression: Any, project: Project
) -> None:
    setting = (SNIPPETS / "config" / f"{name}.py").read_text(encoding="utf-8")
    assert re.search(rf"^{name} = ", setting, re.MULTILINE)
    page_name = name if name in CONFIG_PAGES else "page"
    page = (SNIPPETS / "config" / f"{page_name}.rst").read_text(encoding="utf-8")
    app = build_with_snippets(
        project, tmp_path / "root", {"index.rst": page}, "text", CONF + setting
    )
    assert strip_colours(app.warning.getvalue()) == ""
    output = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    default = build_with_snippets(project, tmp_path / "default", {"index.rst": page}, "text")
    unchanged = (Path(default.outdir) / "index.txt").read_text(encoding="utf-8")
    if name in CHECKS_ONLY:
        assert output == unchanged, f"{name} {CHECKS_ONLY[name]}, yet it changed the page"
    else:
        assert output != unchanged, f"{name} changed nothing"
    file_regression.check(output, fullpath=SNIPPETS / "config" / f"{name}.txt")


def test_every_config_value_has_an_example(snippet_builds: dict[str, SphinxTestApp]) -> None:
    config = snippet_builds["rst"].config
    ours = {name for name in config.values if name.startswith("lstmparams_")}
    assert ours and set(CONFIG_NAMES) == ours


# -- mistakes and the warnings they give ---------------------------------------------------------


@pytest.mark.parametrize("name", ERROR_NAMES)
def test_error_example_warnings(
    name: str, tmp_path: Path, file_regression: Any, project: Project
) -> None:
    page = (SNIPPETS / "errors" / f"{name}.rst").read_text(encoding="utf-8")
    root = tmp_path / "root"
    conf = f"{CONF}root_doc = {name!r}\n"
    setting = SNIPPETS / "errors" / f"{name}.py"
    if setting.exists():
        conf += setting.read_text(encoding="utf-8")
    app = build_with_snippets(project, root, {f"{name}.rst": page}, conf=conf)
    warnings = strip_colours(app.warning.getvalue()).replace(f"{root}{'/'}", "")
    lines = warnings.splitlines()
    assert lines and all(f"{name}.rst:" in line for line in lines), warnings
    shown = SNIPPETS / "errors" / f"{name}.txt"
    if " [lstmparams." in warnings:
        file_regression.check(warnings, fullpath=shown)
    else:  # Sphinx 7 prints no [type.subtype] suffix; the page shows what Sphinx 8+ prints
        expected = shown.read_text(encoding="utf-8")
        assert warnings == re.sub(r" \[lstmparams\.\w+\]$", "", expected, flags=re.MULTILINE)


# -- the command line ----------------------------------------------------------------------------


def run_cli(arguments: str) -> str:
    """The command's output, run where its example files are (``< FILE`` is its input); no
    COLUMNS, so Keras' width is that of an 80-column terminal wherever the tests run."""
    words = shlex.split(arguments)
    stdin = None
    if "<" in words:
        stdin = (SNIPPETS / "cli" / words[words.index("<") + 1]).read_text(encoding="utf-8")
        words = words[: words.index("<")]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", *words],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=SNIPPETS / "cli",
        env=env,
    )
    output = done.stdout + done.stderr
    if done.returncode:
        output += f"$ echo $?\n{done.returncode}\n"
    return output


@pytest.mark.parametrize("name", sorted(CLI_EXAMPLES))
def test_cli_example_output(name: str, file_regression: Any) -> None:
    arguments = CLI_EXAMPLES[name]
    text = f"$ lstm-params {arguments}\n{run_cli(arguments)}"
    file_regression.check(text, fullpath=SNIPPETS / "cli" / f"{name}.txt")


def test_cli_page_shows_every_example_and_option() -> None:
    page = (DOCS / "cli.rst").read_text(encoding="utf-8")
    assert sorted(p.stem for p in (SNIPPETS / "cli").glob("*.txt")) == sorted(CLI_EXAMPLES)
    for name in CLI_EXAMPLES:
        assert f".. literalinclude:: snippets/cli/{name}.txt\n" in page, name
    documented = set(re.findall(r"^\.\. option:: (--[a-z-]+)", page, re.MULTILINE))
    flags = {flag for action in build_parser()._actions for flag in action.option_strings}
    assert documented == flags - {"-h"}


# -- Python examples on the pages ----------------------------------------------------------------


PAGES_WITH_PYTHON = sorted(p.name for p in DOCS.glob("*.rst") if ">>>" in p.read_text())


def test_python_examples_exist() -> None:
    assert "api.rst" in PAGES_WITH_PYTHON


@pytest.mark.parametrize("page", PAGES_WITH_PYTHON)
def test_python_examples_on_pages(page: str) -> None:
    result = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.attempted and not result.failed
