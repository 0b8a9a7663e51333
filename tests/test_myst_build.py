"""The mystmd plugin in a real mystmd build: a small course project (``tests/myst_course``, with
the ``myst.yml`` of ``docs/jupyter-book.md``) and every MyST snippet of the docs, built with
``myst build --site`` to the content JSON mystmd writes before it needs a theme.

Checks the page AST: the seed's total, the table's cells, the math node, numbering and
cross-references across pages, the diagram's image, the role; that every documentation
snippet gives the same tables, formulas and notes as the Sphinx directive; and that mistakes
are printed by mystmd with the file, the line and the Sphinx warning's text while the rest of
the page builds.

Needs mystmd (the test extra pins it: ``pip install -e ".[test]"``) and Node.js 20 or newer on
``PATH``. The HTML theme cannot be had offline (mystmd downloads it), so no HTML is built.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from docutils import nodes

pytestmark = pytest.mark.tools  # mystmd on Node.js: the main line of CI runs it

TESTS = Path(__file__).parent
ROOT = TESTS.parent
COURSE = TESTS / "myst_course"
SNIPPETS = ROOT / "docs" / "snippets" / "myst"
MYSTMD_VERSION = "1.11.0"  # the test extra's pin (pyproject.toml)
HOW = f'pip install "mystmd=={MYSTMD_VERSION}" (the test extra has it) and Node.js >= 20'
NBSP = "\N{NO-BREAK SPACE}"

Node = dict[str, Any]


def _tool(name: str) -> str | None:
    """A command from this interpreter's environment, else from PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.is_file() else shutil.which(name)


@pytest.fixture(scope="module")
def myst() -> str:
    """The pinned mystmd, with Node.js; the plugin's console script beside this Python."""
    command = os.environ.get("MYST") or _tool("myst")
    if command is None:
        pytest.skip(f"no `myst` command: {HOW}")
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"no `node` on PATH (mystmd runs on Node.js): {HOW}")
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(re.sub(r"^v(\d+).*", r"\1", node_version.strip()) or 0) < 20:
        pytest.skip(f"Node.js {node_version.strip()} is too old for mystmd: {HOW}")
    done = subprocess.run(
        [command, "--version"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    version = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    if version.lstrip("v") != MYSTMD_VERSION:
        pytest.skip(f"`{command}` is mystmd {version!r}, the tests pin {MYSTMD_VERSION}: {HOW}")
    if _tool("lstm-params-myst") is None:
        pytest.skip('no `lstm-params-myst` console script: pip install -e ".[test]"')
    return command


def documented_myst_yml() -> dict[str, Any]:
    """The ``myst.yml`` that docs/jupyter-book.md shows."""
    page = (ROOT / "docs" / "jupyter-book.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n# myst.yml\n(.*?)```", page, re.DOTALL)
    assert block, "docs/jupyter-book.md shows no myst.yml"
    config: dict[str, Any] = yaml.safe_load(block[1])
    return config


@dataclass
class Build:
    root: Path
    output: str  # what mystmd printed, without its update notice

    def page(self, slug: str) -> Node:
        content = self.root / "_build" / "site" / "content" / f"{slug}.json"
        mdast: Node = json.loads(content.read_text(encoding="utf-8"))["mdast"]
        return mdast

    def warnings(self, page: str) -> list[str]:
        return [line for line in self.output.splitlines() if f" {page}:" in line]


def run_myst(
    myst: str, root: Path, env: dict[str, str] | None = None, exports: bool = False
) -> Build:
    """``myst build --site`` (with ``exports``, also the book's ``--md`` and ``--jats``
    exports, each of which mystmd builds in a session of its own)."""
    done = subprocess.run(
        [myst, "build", "--site", *(["--md", "--jats"] if exports else [])],
        cwd=root,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        # plain text to read, also where CI sets FORCE_COLOR
        env={**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1", **(env or {})},
        timeout=300,
    )
    output = "\n".join(
        line for line in (done.stdout + done.stderr).splitlines() if not re.match(r"\s*[│╭╰]", line)
    )
    assert done.returncode == 0, output
    return Build(root, output)


COURSE_PAGES = ["index.md", "lesson.md", "mistakes.md", "models.md", "quotes.md"]


def course_project(
    path: Path, extra_pages: dict[str, str] | None = None, pages: list[str] = COURSE_PAGES
) -> Path:
    """tests/myst_course (or ``pages`` of it) with the documented myst.yml: the plugin is this
    environment's console script, the theme a local stub (the real one comes from the
    network)."""
    shutil.copytree(COURSE, path)
    config = documented_myst_yml()
    plugin = config["project"]["plugins"][0]
    assert plugin == {"type": "executable", "path": ".venv/bin/lstm-params-myst"}
    plugin["path"] = _tool("lstm-params-myst")
    config["project"]["toc"] = [{"file": page} for page in [*pages, *(extra_pages or {})]]
    # what a book that is also an article or a journal's XML asks for (built with exports)
    config["project"]["exports"] = [
        {"format": "md", "articles": ["models.md"], "output": "exports/models.md"},
        {"format": "jats", "articles": ["models.md"], "output": "exports/models.xml"},
    ]
    config["site"]["template"] = "./theme-stub"
    for name, text in (extra_pages or {}).items():
        (path / name).write_text(text, encoding="utf-8")
    (path / "myst.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def course(myst: str, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The course, with every MyST snippet of the docs as a page of its own."""
    snippets = {
        f"snippet-{path.stem}.md": f"# {path.stem}\n\n{path.read_text(encoding='utf-8')}"
        for path in sorted(SNIPPETS.glob("*.md"))
    }
    root = course_project(tmp_path_factory.mktemp("course") / "book", snippets)
    return run_myst(myst, root)


@pytest.fixture(scope="module")
def exported(myst: str, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The course's models page, built with the book's ``--md`` and ``--jats`` exports (each
    export is a mystmd session of its own, so only the page they export is in the book)."""
    root = course_project(
        tmp_path_factory.mktemp("exported") / "book", pages=["index.md", "models.md"]
    )
    return run_myst(myst, root, exports=True)


# -- reading the AST -----------------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.get("children") or []:
        yield from walk(child)


def flat(node: Node) -> str:
    """A node's text; a line break as a newline, a caption's number left out."""
    kind = node.get("type")
    if kind in ("text", "inlineCode", "inlineMath"):
        return str(node.get("value", ""))
    if kind == "break":
        return "\n"
    if kind == "captionNumber":
        return ""
    return "".join(flat(child) for child in node.get("children") or [])


def of_type(tree: Node, node_type: str, **attributes: Any) -> list[Node]:
    return [
        node
        for node in walk(tree)
        if node.get("type") == node_type and all(node.get(k) == v for k, v in attributes.items())
    ]


def cells(table: Node) -> list[list[str]]:
    return [[flat(cell) for cell in row["children"]] for row in of_type(table, "tableRow")]


def ours(tree: Node, kind: str = "lstm-params") -> list[Node]:
    """The nodes our directives answered with, in page order: the parts themselves, each with
    the class ``kind`` (no div around them, which the md and JATS exports would drop)."""
    return [n for n in walk(tree) if kind in str(n.get("class", "")).split()]


# -- the course ----------------------------------------------------------------------------------


W = f"4,096{NBSP}×{NBSP}256 ={NBSP}1,048,576"  # input weights of a gate
U = f"256{NBSP}×{NBSP}256 ={NBSP}65,536"  # recurrent weights of a gate
SEED_ROWS = [
    ["Gate", "Input weights W", "Recurrent weights U", "Biases", "Total"],
    ["input gate", W, U, "256", "1,114,368"],
    ["forget gate", W, U, "256", "1,114,368"],
    ["cell candidate", W, U, "256", "1,114,368"],
    ["output gate", W, U, "256", "1,114,368"],
    ["Total", "", "", "", "4,457,472"],
]


def test_the_seed_answers_with_its_total(course: Build) -> None:
    index = course.page("index")
    answer = next(p for p in of_type(index, "paragraph") if "trainable" in flat(p))
    assert flat(answer) == (
        "Keras LSTM, 256 units, 4,096 input features has 4,457,472 trainable parameters."
    )
    assert [flat(s) for s in of_type(answer, "strong")] == ["4,457,472"]
    assert [part["type"] for part in ours(index)[:5]] == [
        "paragraph",  # the answer
        "container",  # the table
        "math",
        "paragraph",  # where i = ..., h = ...
        "list",  # the notes
    ]


def test_the_table_is_a_numbered_table_with_a_header_row(course: Build) -> None:
    (table,) = of_type(course.page("index"), "container", kind="table")
    assert table["identifier"] == table["label"] == "tbl-encoder"
    assert table["enumerator"] == "1"
    caption = of_type(table, "caption")[0]
    assert flat(caption) == "Where the parameters of the encoder sit"
    assert [flat(e) for e in of_type(caption, "emphasis")] == ["encoder"]
    (number,) = of_type(caption, "captionNumber")
    assert number["enumerator"] == "1" and number["kind"] == "table"
    assert cells(table) == SEED_ROWS
    rows = of_type(table, "tableRow")
    assert all(cell.get("header") for cell in rows[0]["children"])  # the header row
    assert all(row["children"][0].get("header") for row in rows)  # the stub column
    assert not any(cell.get("header") for row in rows[1:] for cell in row["children"][1:])
    assert [cell.get("align") for cell in rows[1]["children"]] == [None, *["right"] * 4]
    assert [flat(s) for s in of_type(rows[-1], "strong")] == ["Total", "4,457,472"]


def test_the_formula_is_a_numbered_math_node(course: Build) -> None:
    (math,) = of_type(course.page("index"), "math")
    assert math["identifier"] == "eq-encoder" and math["enumerator"] == "1"
    assert math["value"] == (
        "\\begin{aligned}\n"
        "P &= 4\\,\\left(\\left(i + 1\\right)\\,h + h^2\\right) \\\\\n"
        "  &= 4 \\times \\left(\\left(4{,}096 + 1\\right) \\times 256 + 256^2\\right) \\\\\n"
        "  &= 4{,}457{,}472\n"
        "\\end{aligned}"
    )
    assert "katex" in math["html"] and not math.get("error")  # KaTeX typeset it, offline
    where = next(p for p in of_type(course.page("index"), "paragraph") if "where" in flat(p))
    assert flat(where) == "where i = 4,096 input features, h = 256 units."
    assert [n["value"] for n in of_type(where, "inlineMath")] == ["i", "h"]


def test_the_notes_are_a_list(course: Build) -> None:
    (notes,) = of_type(course.page("index"), "list")
    assert notes["ordered"] is False
    assert [flat(item) for item in notes["children"]] == [
        "Timesteps (16) do not change the count: the same weights are used at every step.",
        "Memory: 17.0 MiB at float32 (4 bytes per parameter).",
        "Multiply-accumulates: 4,456,448 per timestep; 71,303,168 per sequence of 16 steps.",
    ]


def test_the_diagram_is_a_figure_with_an_svg_image(course: Build) -> None:
    (figure,) = of_type(course.page("index"), "container", kind="figure")
    assert figure["identifier"] == "fig-encoder-cell" and figure["enumerator"] == "1"
    (image,) = of_type(figure, "image")
    assert image["urlSource"].startswith("data:image/svg+xml;base64,")
    svg = course.root / "_build" / "site" / "public" / image["url"].lstrip("/")
    assert svg.suffix == ".svg" and svg.read_text(encoding="utf-8").startswith("<svg ")
    assert "4,457,472" in image["alt"] or "1,114,368" in image["alt"]
    assert flat(of_type(figure, "caption")[0]) == (
        "Cell diagram: Keras LSTM, 256 units, 4,096 input features"
    )


def test_the_role_and_references_across_pages(course: Build) -> None:
    lesson = course.page("lesson")
    first = flat(of_type(lesson, "paragraph")[0])
    assert first.startswith("The encoder has 4,457,472 parameters;")
    assert first.endswith("In PyTorch the same layer has 4,458,496.")  # text: every export
    references = {
        node["identifier"]: (flat(node), node.get("resolved"), node.get("url"))
        for node in of_type(lesson, "crossReference")
    }
    assert references == {
        "tbl-encoder": (f"Table{NBSP}1", True, "/"),
        "fig-encoder-cell": (f"Figure{NBSP}1", True, "/"),
        "eq-encoder": ("(1)", True, "/"),
        # numbering goes on across pages, as the documented myst.yml asks
        "map-decoder": (f"Table{NBSP}2", True, None),
    }


def test_a_yaml_option_block_and_the_storage_map(course: Build) -> None:
    lesson = course.page("lesson")
    answer = next(p for p in of_type(lesson, "paragraph") if "trainable" in flat(p))
    assert flat(answer) == (
        "PyTorch LSTM, 128 units, 64 input features, bidirectional has 198,656 trainable "
        "parameters."
    )
    (storage,) = of_type(lesson, "container", kind="table")
    assert storage["identifier"] == "map-decoder" and storage["enumerator"] == "2"
    rows = cells(storage)
    assert rows[0] == ["Layer", "Tensor", "Gates, in storage order"]
    assert rows[1][:2] == ["1 forward", "weight_ih_l0\n(512, 64)\nInput weights W"]
    assert rows[1][2].startswith("input gate (i): [0:128, :]\nforget gate (f): [128:256, :]")


# -- mistakes ------------------------------------------------------------------------------------

MISTAKES = [
    (4, "lstm-params: unknown option 'unit'; did you mean 'units'?"),
    (
        12,
        "lstm-params: peepholes: PyTorch LSTM has no peephole weights (ONNX P and TF1 "
        "use_peepholes have them)",
    ),
    (17, "lstm-params: input-dim: '4,096.5' is not a whole number from 1 to 1,000,000,000,000"),
    (20, "lstm-params: line 4 of the directive is not an option (':name: value'): 'a stray line'"),
    (
        27,
        "lstm-params: nn.LSTM: unknown keyword 'num_layerz' (it may change the count, so it "
        "is not ignored); did you mean 'num_layers'?",
    ),
]
ROLE_MISTAKE = (
    31,
    "lstm-params role: units: '2x' is not a whole number from 1 to 1,000,000,000,000",
)


OURS = "(?:lstm-params|model-summary)"  # what our messages start with


def printed(build: Build, page: str) -> list[tuple[int, str]]:
    """Our messages as mystmd printed them: (line, the Sphinx warning's text)."""
    found = []
    for line in build.warnings(page):
        carried = re.search(rf'{page}:(\d+) unexpected option "({OURS}.*)" provided', line)
        referenced = re.search(
            rf"{page}:(\d+):\d+ Cross reference target was not found: ({OURS}.*)$", line
        )
        match = carried or referenced
        if match:
            found.append((int(match[1]), match[2]))
    return sorted(set(found))  # once: mystmd builds a page again for each export


def test_mistakes_are_printed_with_file_line_and_the_sphinx_text(course: Build) -> None:
    assert printed(course, "mistakes.md") == sorted([*MISTAKES, ROLE_MISTAKE])
    # mystmd's own word for the undeclared option, beside ours
    assert any(
        'mistakes.md:4 unexpected option "unit"' in w for w in course.warnings("mistakes.md")
    )
    assert "⛔" not in course.output  # no error of mystmd's: no page was lost


def test_the_documented_messages_are_what_mystmd_prints(course: Build) -> None:
    page = (ROOT / "docs" / "jupyter-book.md").read_text(encoding="utf-8")
    shown = [line for line in page.splitlines() if line.startswith(("mistakes.md:", "models.md:"))]
    assert len(shown) == 5
    for line in shown:
        assert f"\N{WARNING SIGN}\N{VARIATION SELECTOR-16}  {line}" in course.output.splitlines()


def test_mistakes_show_in_the_page_and_the_page_goes_on(course: Build) -> None:
    page = course.page("mistakes")
    boxes = of_type(page, "admonition", kind="error")
    assert [flat(box.get("children", [])[1]) for box in boxes] == [m for _l, m in MISTAKES]
    (reference,) = of_type(page, "crossReference")
    assert flat(reference) == "{lstm-params}`units=2x, input-dim=3`"  # the role as written
    assert not of_type(page, "mystRole") and not of_type(page, "mystOption")  # no carrier left
    answers = [flat(p) for p in of_type(page, "paragraph") if "trainable" in flat(p)]
    assert answers == ["Keras LSTM, 8 units, 3 input features has 384 trainable parameters."]


@pytest.mark.parametrize("name", ["mistakes", "models"])
def test_the_sphinx_directive_gives_the_same_warnings_at_the_same_lines(
    course: Build, tmp_path: Path, project: Callable[..., Any], name: str
) -> None:
    page = (COURSE / f"{name}.md").read_text(encoding="utf-8")
    toctree = f"Course\n======\n\n.. toctree::\n\n   {name}\n"
    built = project(tmp_path / "sphinx", {"index.rst": toctree, f"{name}.md": page})
    sphinx = sorted(
        (int(m[1]), m[2])
        for m in re.finditer(
            rf"{name}\.md:(\d+): WARNING: ({OURS}.*?)(?: \[|$)", built.warnings, re.MULTILINE
        )
    )
    assert sphinx and sphinx == printed(course, f"{name}.md")


# -- a model summary -----------------------------------------------------------------------------

MODEL_ROWS = [
    ["Layer (type)", "Output Shape", "Param #"],
    ["embedding (Embedding)", "(None, None, 128)", "2,560,000"],
    ["bidirectional (Bidirectional)", "(None, None, 128)", "98,816"],
    ["bidirectional_1 (Bidirectional)", "(None, 128)", "98,816"],
    ["dense (Dense)", "(None, 1)", "129"],
]
MODEL_MISTAKES = [
    (
        24,
        "model-summary: lstm is not counted: layers.LSTM: unknown keyword 'return_sequence' (it "
        "may change the count, so it is not ignored); did you mean 'return_sequences'?",
    ),
    (
        25,
        "model-summary: dense is not counted: layers.Dense: its input width is not known, since "
        "the layer before could not be followed",
    ),
    (33, "model-summary: x.mean(...): not a step we follow; the shapes after it are not known"),
    (
        38,
        "model-summary: input-shape: '80 words' is not a shape, such as (None, 16, 4096) or 16, "
        "4096",
    ),
]


def test_a_model_summary_is_a_numbered_table_with_its_totals(course: Build) -> None:
    page = course.page("models")
    table, *lines = ours(page, "lstm-params-models")[:5]
    assert table["type"] == "container" and table["kind"] == "table"
    assert table["identifier"] == "model-course" and table["enumerator"] == "3"
    caption = of_type(table, "caption")[0]
    assert flat(caption) == "The IMDB classifier"
    assert [flat(e) for e in of_type(caption, "emphasis")] == ["IMDB"]
    assert cells(table) == MODEL_ROWS
    rows = of_type(table, "tableRow")
    assert all(row["children"][0].get("header") for row in rows)  # the stub column
    assert [cell.get("align") for cell in rows[1]["children"]] == [None, None, "right"]
    # right under the table, a paragraph a line: the totals, and the base of Keras' units
    assert [(line["type"], flat(line)) for line in lines] == [
        ("paragraph", "Total params: 2,757,761 (10.52 MB)"),
        ("paragraph", "Trainable params: 2,757,761 (10.52 MB)"),
        ("paragraph", "Non-trainable params: 0 (0.00 B)"),
        ("paragraph", "Sizes as Keras prints them: 1 KB = 1,024 bytes, 1 MB = 1,024² bytes."),
    ]
    # one breakdown for the two identical Bidirectional layers; the second says so
    heads = [
        n
        for n in ours(page, "lstm-params-models")
        if n.get("identifier", "").startswith("model-course-layer-")
    ]
    assert [flat(head) for head in heads] == [
        "bidirectional (Bidirectional)",
        "bidirectional_1 (Bidirectional): same as bidirectional (Bidirectional).",
    ]
    (same,) = of_type(heads[1], "crossReference")
    assert same["identifier"] == heads[0]["identifier"] and same["resolved"] is True
    # a bold line heads each breakdown, not a heading: the page's outline stays the author's
    assert not [h for h in of_type(page, "heading") if "lstm-params" in str(h.get("class"))]


def test_a_recurrent_count_links_to_its_breakdown(course: Build) -> None:
    page = course.page("models")
    table = ours(page, "lstm-params-models")[0]
    links = of_type(table, "crossReference")
    assert [flat(link) for link in links] == ["98,816", "98,816"]
    targets = {n["identifier"]: n for n in of_type(page, "paragraph") if n.get("identifier")}
    for link in links:  # the second identical layer links to the first one's breakdown
        assert link["identifier"] == "model-course-layer-2"
        assert link["resolved"] is True and link["kind"] == "paragraph"
        target = targets[link["identifier"]]  # in the page: the anchor is the label's html_id
        assert link["html_id"] == target["html_id"] == link["identifier"]
        assert target["class"].endswith("lstm-params-model-rubric")
        assert flat(target) == cells(table)[2][0]
    # what the breakdown shows: the config's parts, as an lstm-params directive without :show:
    parts = ours(page, "lstm-params-models")
    start = parts.index(targets["model-course-layer-2"])
    assert [part["type"] for part in parts[start : start + 7]] == [
        "paragraph",  # its label
        "paragraph",  # the answer
        "container",  # the table
        "math",
        "paragraph",
        "list",
        "paragraph",  # the second layer: the same
    ]
    # the author's own references: the table, and a breakdown by its id
    (author, to_breakdown) = [
        r
        for r in of_type(page, "crossReference")
        if r.get("identifier") in ("model-course", "model-course-layer-2")
        and r not in links
        and "lstm-params" not in str(r.get("class", ""))
        and not any(r is x for x in of_type(parts[start + 6], "crossReference"))
    ]
    assert (flat(author), author["resolved"]) == (f"Table{NBSP}3", True)
    assert (flat(to_breakdown), to_breakdown["resolved"]) == ("the first LSTM", True)
    assert not any("Cross reference" in w for w in course.warnings("models.md"))


def test_model_mistakes_are_printed_and_the_page_goes_on(course: Build) -> None:
    assert printed(course, "models.md") == MODEL_MISTAKES
    # under the directive that raised them (the role that carries them is named after it)
    carried = [w for w in course.warnings("models.md") if "unexpected option" in w]
    assert len(set(carried)) == 4 and all(w.endswith("(in model-summary)") for w in carried)
    page = course.page("models")
    # a summary with lines that cannot be counted is one warning box, not a table of "?"
    (box,) = of_type(page, "admonition", kind="warning")
    assert [flat(item) for item in of_type(box, "listItem")] == [
        f"line {line}: {m.removeprefix('model-summary: ')}" for line, m in MODEL_MISTAKES[:2]
    ]
    assert flat(box).startswith("WarningThis model summary is not shown")
    # a step that cannot be followed leaves the shapes after it unknown; the summary stays
    tables = of_type(page, "table")
    assert len(tables) == 3  # the IMDB summary, its breakdown's, and the LSTM one's
    assert cells(tables[2])[-1] == ["├─Linear: 1-2", "?", "2,570"]
    (code,) = of_type(page, "code")
    assert "x.mean(...): not a step we follow" in code["value"]
    (box,) = of_type(page, "admonition", kind="error")
    assert flat(box["children"][1]) == MODEL_MISTAKES[-1][1]
    assert not of_type(page, "mystRole") and not of_type(page, "mystOption")
    assert "The page goes on after its mistakes." in [flat(p) for p in of_type(page, "paragraph")]


# -- what the exports keep ------------------------------------------------------------------------


def test_the_md_and_jats_exports_keep_every_table_formula_and_count(exported: Build) -> None:
    """mystmd 1.11.0's ``--md`` and ``--jats`` exports write no node they do not know: a
    ``div`` (and all it held: the tables, the formulas, the notes) was dropped with
    "Unsupported node type: div", a ``span`` with "Unsupported node type: span", and JATS
    ran a paragraph's lines together ("There are no breaks allowed in paragraphs"). The
    plugin answers with nodes every export keeps."""
    for refused in ("Unsupported node type", "Unhandled JATS conversion", "no breaks allowed"):
        assert refused not in exported.output
    exports = exported.root / "exports"
    md = (exports / "models.md").read_text(encoding="utf-8")
    for kept in (
        ":::{list-table} The *IMDB* classifier\n:header-rows: 1\n:name: model-course",
        "    *   [98,816](#model-course-layer-2)",
        "Total params: 2,757,761 (10.52 MB)\n\nTrainable params: 2,757,761 (10.52 MB)",
        "Sizes as Keras prints them: 1 KB = 1,024 bytes, 1 MB = 1,024² bytes.",
        "(model-course-layer-2)=\n**bidirectional (Bidirectional)**",
        ":::{list-table} Parameters of a Keras LSTM, 64 units, 128 input features, bidirectional",
        "```{math}\n\\begin{aligned}\nP &= 2 \\times 4",
        "*   Memory: 386.0 {abbr}`KiB (1 KiB = 1,024 bytes)` at float32",
        "**bidirectional\\_1 (Bidirectional)**: same as [bidirectional (Bidirectional)]"
        "(#model-course-layer-2).",
        ":::{warning}",
        "*   line 24: lstm is not counted:",
    ):
        assert kept in md, kept
    assert "All [2,757,761](#model-course) of its parameters train." in md  # a quote
    xml = (exports / "models.xml").read_text(encoding="utf-8")
    # the two summaries that could be made, and the breakdown of the first
    assert len(re.findall(r"<table[ >]", xml)) == 3 and "<tex-math" in xml
    assert "<p>Total params: 2,757,761 (10.52 MB)</p>" in xml


# -- quoting a named summary ---------------------------------------------------------------------

QUOTE_MISTAKES = [
    "lstm-params role: expect=2,757,000 does not match the count, 2,757,761 (761 more)",
    "lstm-params role: model=no-such: no model summary has that :name:",
]


def test_a_quote_gives_the_summarys_count_linked_to_it(course: Build) -> None:
    page = course.page("quotes")
    quotes = [r for r in of_type(page, "crossReference") if "lstm-params" in str(r.get("class"))]
    assert [(flat(r), r["identifier"], r.get("resolved")) for r in quotes[:2]] == [
        ("2,757,761", "model-course", True),  # on another page, read before or after this one
        ("98,816", "model-course", True),
    ]
    assert [m for _line, m in printed(course, "quotes.md")] == QUOTE_MISTAKES
    assert flat(quotes[2]) == "2,757,761"  # a stale expect= still shows the count


def test_an_authors_label_keeps_its_id_and_ours_moves_aside(course: Build) -> None:
    """``(m-layer-1)=`` before a summary named ``m``: mystmd would warn of a duplicate (with
    no line), give both the same HTML id and send the count's link to the author's heading.
    The plugin's transform renames ours ``m-layer-1-2`` first, as Sphinx does."""
    page = course.page("quotes")
    targets = {
        n["identifier"]: n for n in walk(page) if n.get("html_id") and n["type"] != "crossReference"
    }
    assert targets["m-layer-1"]["type"] == "heading"
    assert targets["m-layer-1-2"]["class"].endswith("lstm-params-model-rubric")
    (table,) = [t for t in of_type(page, "container", kind="table") if t.get("identifier") == "m"]
    (count,) = of_type(table, "crossReference")
    assert (count["identifier"], count["kind"]) == ("m-layer-1-2", "paragraph")
    author = {typographic(flat(r)): r["identifier"] for r in of_type(page, "crossReference")}
    assert author["The author's section"] == "m-layer-1"
    assert author["the summary's LSTM"] == "m-layer-1-2"
    assert not any("Duplicate" in w for w in course.warnings("quotes.md"))


def test_sphinx_quotes_and_ids_alike(
    course: Build, tmp_path: Path, project: Callable[..., Any]
) -> None:
    pages = {
        name: (COURSE / name).read_text(encoding="utf-8") for name in ("models.md", "quotes.md")
    }
    toctree = "Course\n======\n\n.. toctree::\n\n   models\n   quotes\n"
    built = project(tmp_path / "sphinx", {"index.rst": toctree, **pages})
    warned = re.findall(r"quotes\.md:\d+: WARNING: (lstm-params role: .*?) \[", built.warnings)
    assert warned == QUOTE_MISTAKES
    html = built.output("quotes.html")
    assert 'href="models.html#model-course"><span class="lstm-params">2,757,761</span>' in html
    assert html.count('id="m-layer-1"') == html.count('id="m-layer-1-2"') == 1
    assert 'href="#m-layer-1-2">128</a>' in html  # the count links to our breakdown


# -- every documentation snippet, in mystmd and in Sphinx ----------------------------------------


# the answer sentence, in both of its forms (wording.answer): "... has 384 trainable
# parameters." and "... has 192 parameters, 64 of them trainable."
ANSWER = re.compile(r" has \S+ (trainable parameters|parameters, \S+ of them trainable)\.$")


def is_answer(text: str) -> bool:
    return bool(ANSWER.search(text))


def entry_text(entry: nodes.Element) -> str:
    """A table cell's text, a line of a line block per line."""
    lines = list(entry.findall(nodes.line))
    return "\n".join(line.astext() for line in lines) if lines else entry.astext()


def typographic(value: Any) -> Any:
    """Sphinx's smart quotes also make the apostrophes of our generated words typographic,
    which mystmd does not do to a plugin's nodes: the one difference allowed."""
    return json.loads(
        json.dumps(value, ensure_ascii=False).replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
    )


# a count grouped in thousands, as a role writes it in the page's own paragraphs
GROUPED = re.compile(r"\d,\d{3}")


def sphinx_parts(doctree: nodes.document) -> dict[str, Any]:
    containers = [c for c in doctree.findall(nodes.container) if "lstm-params" in c["classes"]]
    references = [r for c in containers for r in c.findall(nodes.reference) if r.get("refid")]
    tables = [
        [
            [entry_text(entry) for entry in row.findall(nodes.entry)]
            for row in table.findall(nodes.row)
        ]
        for c in containers
        for table in c.findall(nodes.table)
    ]
    figures = [f for c in containers for f in c.findall(nodes.figure)]
    captions = [
        table[0].astext()
        for c in containers
        for table in c.findall(nodes.table)
        if isinstance(table[0], nodes.title)
    ]
    return {
        "tables": tables,
        "captions": captions,
        "formulas": [b.astext() for c in containers for b in c.findall(nodes.math_block)],
        "notes": [
            [item.astext() for item in bullet.children]
            for c in containers
            for bullet in c.findall(nodes.bullet_list)
        ],
        "answers": [
            p.astext()
            for c in containers
            for p in c.findall(nodes.paragraph)
            if is_answer(p.astext())
        ],
        # the page's own paragraphs with a count in them: those a role answered in
        "roles": [
            p.astext()
            for p in doctree.findall(nodes.paragraph)
            if GROUPED.search(p.astext())
            and not any(p in c.findall(nodes.paragraph) for c in containers)
        ],
        "figures": [
            (f.next_node(nodes.caption).astext(), svg_description(f.next_node(nodes.raw).astext()))
            for f in figures
        ],
        # a model summary's: the lines after its table, the size units said once, its
        # printed text, its breakdowns' labels (a repeated layer's line), where each count
        # links to (the label of its breakdown), and what a warning box lists
        "lines": [
            [line.astext() for line in block.findall(nodes.line)]
            for c in containers
            for block in c.findall(nodes.line_block)
            if any(name.startswith("lstm-params-model-") for name in block["classes"])
        ],
        "units": [
            p.astext()
            for c in containers
            for p in c.findall(nodes.paragraph)
            if "lstm-params-model-units" in p["classes"]
        ],
        "printed": [
            b.astext()
            for c in containers
            for b in c.findall(nodes.literal_block)
            if "lstm-params-model-printed" in b["classes"]
        ],
        "breakdowns": [
            b[0].astext()
            for c in containers
            for b in c.findall(nodes.container)
            if "lstm-params-model-breakdown" in b["classes"]
        ],
        "links": [
            (r.astext(), target[0].astext())
            for r in references
            for target in doctree.findall(nodes.container)
            if r["refid"] in target["ids"]
        ],
        "problems": [
            [item.astext() for item in box.findall(nodes.list_item)]
            for c in containers
            for box in c.findall(nodes.warning)
        ],
    }


def svg_description(svg: str) -> str:
    found = re.search(r"<desc>(.*?)</desc>", svg, re.DOTALL)
    assert found, svg[:200]
    return html.unescape(found[1])


def myst_parts(page: Node) -> dict[str, Any]:
    """The parts of our output in a page mystmd built, as :func:`sphinx_parts` reads them
    from Sphinx's."""
    blocks = [n for n in ours(page) if n["type"] != "crossReference"]
    tables = [t for b in blocks for t in of_type(b, "container", kind="table")]
    model = [b for b in blocks if str(b.get("class")).split()[-1].startswith("lstm-params-model-")]
    inside = {id(p) for b in blocks for p in of_type(b, "paragraph")}
    return {
        "tables": [cells(t) for t in tables],
        "captions": [flat(of_type(t, "caption")[0]) for t in tables],
        "formulas": [
            m["value"].removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}")
            for b in blocks
            for m in of_type(b, "math")
        ],
        "notes": [
            [flat(i) for i in lst["children"]]
            for b in blocks
            for lst in of_type(b, "list")
            if "lstm-params-notes" in str(lst.get("class"))
        ],
        "answers": [flat(p) for b in blocks for p in of_type(b, "paragraph") if is_answer(flat(p))],
        "roles": [
            flat(p)
            for p in of_type(page, "paragraph")
            if GROUPED.search(flat(p)) and id(p) not in inside
        ],
        "figures": [
            (flat(of_type(f, "caption")[0]), of_type(f, "image")[0]["alt"])
            for b in blocks
            for f in of_type(b, "container", kind="figure")
        ],
        "lines": [
            [flat(p) for p in group]
            for _kind, group in itertools.groupby(
                (p for p in model if p["class"].endswith(("-totals", "-sizes"))),
                key=lambda p: p["class"],
            )
        ],
        "units": [flat(p) for p in model if p["class"].endswith("-units")],
        "printed": [c["value"] for b in blocks for c in of_type(b, "code")],
        "breakdowns": [flat(p) for p in model if p["class"].endswith(("-rubric", "-same"))],
        "links": [
            (flat(r), label_of(page, r["identifier"]) if r.get("resolved") else None)
            for b in blocks
            for r in of_type(b, "crossReference")
        ],
        "problems": [
            [flat(item) for item in of_type(box, "listItem")]
            for box in blocks
            if box["type"] == "admonition" and box.get("kind") == "warning"
        ],
    }


def label_of(page: Node, identifier: str) -> str:
    """The label heading the breakdown with this identifier."""
    (target,) = [
        n for n in walk(page) if n.get("identifier") == identifier and n["type"] == "paragraph"
    ]
    return flat(target)


@pytest.fixture(scope="module")
def sphinx_snippets(
    tmp_path_factory: pytest.TempPathFactory, project: Callable[..., Any]
) -> dict[str, dict[str, Any]]:
    names = sorted(path.stem for path in SNIPPETS.glob("*.md"))
    pages = {
        f"{name}.md": f"# {name}\n\n{(SNIPPETS / f'{name}.md').read_text(encoding='utf-8')}"
        for name in names
    }
    toctree = "Snippets\n========\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in names)
    conf = 'extensions = ["sphinxcontrib_lstmparams", "myst_parser"]\n'
    conf += 'myst_enable_extensions = ["colon_fence"]\nnumfig = True\n'
    built = project(
        tmp_path_factory.mktemp("sphinx") / "src", {"index.rst": toctree, **pages}, conf=conf
    )
    assert built.warnings == ""
    # the doctrees as the pages were written: a quote of a summary is answered then
    env, builder = built.app.env, built.app.builder
    return {name: sphinx_parts(env.get_and_resolve_doctree(name, builder)) for name in names}


@pytest.mark.parametrize("name", sorted(path.stem for path in SNIPPETS.glob("*.md")))
def test_every_snippet_says_the_same_in_mystmd_and_in_sphinx(
    course: Build, sphinx_snippets: dict[str, dict[str, Any]], name: str
) -> None:
    mystmd = myst_parts(course.page(f"snippet-{name}"))
    sphinx = sphinx_snippets[name]
    assert any(sphinx.values()), f"{name}: nothing to compare"
    assert typographic(mystmd) == typographic(sphinx)
    assert not course.warnings(f"snippet-{name}.md")


# -- config from the environment -----------------------------------------------------------------


def documented_script() -> str:
    """The plugin script of docs/jupyter-book.md (``path: lstm_params.py``)."""
    page = (ROOT / "docs" / "jupyter-book.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(#!/usr/bin/env python3\n.*?)```", page, re.DOTALL)
    assert block, "docs/jupyter-book.md shows no plugin script"
    return block[1]


def test_config_values_from_the_environment_and_the_documented_script(
    myst: str, tmp_path: Path
) -> None:
    page = "# Config\n\n```{lstm-params}\n:units: 256\n:input-dim: 4096\n```\n\n"
    page += "Role: {lstm-params}`units=256, input-dim=4096`.\n"
    root = course_project(tmp_path / "book", {"config.md": page}, pages=["index.md"])
    # the documented script instead of the console script: `python3` is this environment's
    script = root / "lstm_params.py"
    script.write_text(documented_script(), encoding="utf-8")
    script.chmod(0o755)
    config = yaml.safe_load((root / "myst.yml").read_text(encoding="utf-8"))
    config["project"]["plugins"][0]["path"] = "lstm_params.py"
    (root / "myst.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    build = run_myst(myst, root, {"PATH": path})
    role = [flat(p) for p in of_type(build.page("config"), "paragraph") if "Role" in flat(p)]
    assert role == ["Role: 4,458,496."]  # the script's config: PyTorch
    env = {
        "LSTMPARAMS_SHOW": "answer, notes",
        "LSTMPARAMS_THOUSANDS_SEPARATOR": "\N{THIN SPACE}",
        "LSTMPARAMS_DEFAULT_FRAMEWORK": "pytorhc",
        "LSTMPARAMS_LANGUAGE": "ja",
    }
    build = run_myst(myst, root, {"PATH": path, **env})  # the environment wins
    config = build.page("config")
    answer, notes = ours(config)
    assert [answer["type"], notes["type"]] == ["paragraph", "list"]
    assert "4\N{THIN SPACE}457\N{THIN SPACE}472" in flat(answer)
    assert flat(answer) != (
        "Keras LSTM, 256 units, 4,096 input features has 4,457,472 trainable parameters."
    )  # in Japanese
    role = [flat(p) for p in of_type(config, "paragraph") if "Role" in flat(p)]
    assert role == ["Role: 4\N{THIN SPACE}457\N{THIN SPACE}472."]
    bad = (
        "lstmparams_default_framework: 'pytorhc' is not one of keras, pytorch, onnx, "
        "tensorflow-v1, flax, flax-nnx; using 'keras'"
    )
    assert f'config.md:3 unexpected option "{bad}" provided (in lstm-params)' in build.output
