"""What a page author writes and what a reader sees, through real Sphinx builds."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from sphinxcontrib_lstmparams import __version__

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture

ROOTS = Path(__file__).parent / "roots"


def plain(text: str) -> str:
    """Warning text without the terminal's colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def html(app: SphinxTestApp, page: str = "index") -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="basic")
def test_seed_cases_in_html(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = html(app).replace("\N{NO-BREAK SPACE}", " ")
    # the answer, bold; the role in prose
    assert "<strong>4,457,472</strong>" in page
    assert 'Keras reports <span class="lstm-params">4,457,472</span> parameters' in page
    assert '3 features has <span class="lstm-params">32</span>' in page
    # the table: caption, header row, a gate row and the totals row
    table = page[page.index('<table class="lstm-params-table') : page.index("</table>")]
    assert "<caption>" in table and "Parameters of a Keras LSTM" in table
    headers = re.findall(r'<th class="head[^"]*"><p>(.*?)</p>', table)
    assert headers == ["Gate", "Input weights W", "Recurrent weights U", "Biases", "Total"]
    assert "4,096 × 256 = 1,048,576" in table and "256 × 256 = 65,536" in table
    assert "1,114,368" in table and table.count("4,457,472") == 1
    # the formula, typeset by MathJax, with the numbers put in
    assert r"4 \times \left(\left(4{,}096 + 1\right) \times 256 + 256^2\right)" in page
    assert "mathjax" in page.lower()
    # notes, and cross-references to the named table and the labelled equation
    assert "Timesteps (16) do not change the count" in page
    assert "Multiply-accumulates: 4,456,448 per timestep; 71,303,168 per sequence" in page
    assert "Table 1" in page and '<span class="eqno">(1)' in page
    # the simple RNN of the seed: 16 recurrent + 12 input + 4 bias
    assert "3 × 4 = 12" in page and "4 × 4 = 16" in page and "<strong>32</strong>" in page


@pytest.mark.sphinx("html", testroot="basic")
def test_setup_reports_our_version_and_parallel_safety(app: SphinxTestApp) -> None:
    extension = app.extensions["sphinxcontrib_lstmparams"]
    assert extension.version == __version__
    assert extension.parallel_read_safe and extension.parallel_write_safe


@pytest.mark.sphinx("html", testroot="basic")
def test_doctree_uses_standard_nodes_only(app: SphinxTestApp) -> None:
    app.build()
    doctree = app.env.get_doctree("index")
    container = next(iter(doctree.findall(nodes.container)))
    kinds = {type(node).__module__ for node in container.findall()}
    # docutils nodes plus Sphinx's `only` (resolved by every builder before writing) and
    # `tabular_col_spec` (what `.. tabularcolumns::` makes; every builder knows it)
    assert kinds <= {"docutils.nodes", "sphinx.addnodes"}
    assert {type(n).__name__ for n in container.findall() if "sphinx" in type(n).__module__} == {
        "only",
        "tabular_col_spec",
    }


EXPECTED_WARNINGS = [
    (5, "units: 'abc' is not a whole number from 1 to 1,000,000,000,000"),
    (11, "unknown option 'unit'; did you mean 'units'?"),
    (16, "units: given twice"),
    (18, "input-dim is required"),
    (25, "peepholes: PyTorch LSTM has no peephole weights"),
    (30, "show: 'tabel' is not a list of distinct parts"),
    (32, "lstm-params role: units: 8"),
]


@pytest.mark.sphinx("html", testroot="warnings")
def test_each_bad_directive_gives_one_located_warning(app: SphinxTestApp) -> None:
    app.build()
    warnings = [w for w in plain(app.warning.getvalue()).splitlines() if w.strip()]
    assert len(warnings) == len(EXPECTED_WARNINGS), warnings
    source = str(Path(app.srcdir) / "index.rst")
    for (line, message), warning in zip(EXPECTED_WARNINGS, warnings, strict=True):
        if "role" in message:
            message = "lstm-params role: input-dim: 'x' is not a whole number"
        assert warning.startswith(f"{source}:{line}: WARNING: "), warning
        assert message in warning, warning
        assert "Traceback" not in warning
    page = html(app)
    # nothing half-rendered: only the good directive made a table; the page went on
    assert page.count("<table") == 1 and 'id="still-built"' in page
    assert "The rest of the page builds." in page
    assert "<code" in page and "input-dim=x" in page  # the bad role stays visible


@pytest.mark.sphinx(
    "html", testroot="warnings", confoverrides={"suppress_warnings": ["lstmparams.option"]}
)
def test_warnings_are_typed_so_they_can_be_suppressed(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""


def test_dash_w_fails_the_build(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(ROOTS / "test-warnings"),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("WARNING: lstm-params") == len(EXPECTED_WARNINGS)


@pytest.mark.sphinx("html", testroot="basic", confoverrides={"lstmparams_default_framework": "jax"})
def test_bad_config_value_warns_once_and_falls_back(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue().strip().splitlines()
    assert len(warnings) == 1
    assert "lstmparams_default_framework: 'jax' is not one of" in warnings[0]
    assert "<strong>4,457,472</strong>" in html(app)


def test_config_values(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {"index.rst": "T\n=\n\n.. lstm-params::\n   :units: 256\n   :input-dim: 4096\n"},
        extra_conf='lstmparams_default_framework = "pytorch"\n'
        + 'lstmparams_show = ["table"]\n'
        + 'lstmparams_thousands_separator = "\N{THIN SPACE}"\n',
    )
    assert built.warnings == ""
    page = built.output()
    assert "4\N{THIN SPACE}458\N{THIN SPACE}496" in page  # PyTorch's count, thin spaces
    assert "256\N{NO-BREAK SPACE}+\N{NO-BREAK SPACE}256" in page  # two bias vectors
    assert "trainable parameters" not in page and 'class="math' not in page


def test_show_class_and_caption(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {
            "index.rst": (
                "Title\n=====\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n"
                "   :show: formula, answer\n   :class: wide\n\n"
                ".. lstm-params::\n   :units: 8\n   :input-dim: 3\n   :show: table\n"
                "   :caption: My *own* caption\n"
            )
        },
    )
    assert built.warnings == ""
    page = built.output()
    first = page.index('class="lstm-params wide')
    assert page.index('class="math', first) < page.index("<strong>", first)
    assert "My <em>own</em> caption" in page
    assert page.count("<table") == 1


def test_myst_fences_render_the_same_totals(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {
            "index.md": (
                "# Title\n\n```{lstm-params}\n:units: 256\n:input-dim: 4096\n```\n\n"
                ":::{lstm-params}\n---\ncell: rnn\nunits: 4\ninput-dim: 3\n"
                "bidirectional:\n---\n:::\n\n"
                "Inline {lstm-params}`units=4, input-dim=3, cell=gru`.\n\n"
                "```{lstm-params}\n:units: 4\n:input-dim: 3\n:cell: gruu\n```\n"
            )
        },
    )
    assert "index.md:22: WARNING: lstm-params: cell: 'gruu'" in built.warnings
    assert built.warnings.count("WARNING") == 1
    page = built.output()
    assert "<strong>4,457,472</strong>" in page and "<strong>64</strong>" in page
    assert '<span class="lstm-params">108</span>' in page  # Keras GRU(4) on 3: 3*4*(3+4) + 6*4


@pytest.mark.parametrize("text", ["", "   ", ":units:", "---", "---\n---", ":: 3", "units"])
def test_odd_bodies_warn_without_traceback(tmp_path: Path, project: Project, text: str) -> None:
    body = "T\n=\n\n.. lstm-params::\n" + "".join(f"   {line}\n" for line in text.splitlines())
    warnings = project(tmp_path, {"index.rst": body}).warnings
    assert warnings.count("WARNING") == 1 and "lstm-params" in warnings, warnings
    assert "Traceback" not in warnings


def test_math_number_all_numbers_our_formula_too(tmp_path: Path, project: Project) -> None:
    body = "T\n=\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n   :show: formula\n"
    built = project(tmp_path, {"index.rst": body}, extra_conf="math_number_all = True\n")
    assert built.warnings == ""
    assert '<span class="eqno">(1)' in built.output()


def test_label_without_a_formula_is_an_error_at_the_directive(
    tmp_path: Path, project: Project
) -> None:
    body = (
        "T\n=\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n   :show: table\n"
        "   :label: eq-x\n"
    )
    warnings = project(tmp_path, {"index.rst": body}).warnings
    assert "index.rst:8: WARNING: lstm-params: label: names the formula" in warnings
    assert warnings.count("WARNING") == 1
