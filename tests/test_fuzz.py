"""Generated option sets through a real Sphinx build, in reST and MyST.

Every generated directive (and role) either renders a total equal to the core's, checked
again against DESIGN.md's table written out independently below, or gives exactly one
``lstmparams.option`` warning at the right file and line and renders nothing. One Sphinx
app lives for the whole module; each example is a new page, built incrementally.

Profiles: ``ci`` (default, about 100 examples) and ``thorough`` (5,000), picked with
``HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docutils import nodes
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinxcontrib_lstmparams import gate_rows
from sphinxcontrib_lstmparams.counting import Breakdown, count, parse_spec
from sphinxcontrib_lstmparams.directive_options import (
    DISPLAY_OPTIONS,
    DirectiveError,
    parse_directive,
)
from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES as FRAMEWORKS
from sphinxcontrib_lstmparams.kinds.recurrent import MERGE_MODES
from sphinxcontrib_lstmparams.numbers import SEPARATORS, format_count
from sphinxcontrib_lstmparams.options import (
    ALIASES,
    MAX_LAYERS,
    MAX_SIZE,
    canonical_name,
    kebab,
    read_role_text,
)
from sphinxcontrib_lstmparams.render import (
    DIAGRAM_TEXT_CLASS,
    FORMULA_TEXT_CLASS,
    STORAGE_CLASS,
    TABLE_CLASS,
)
from sphinxcontrib_lstmparams.settings import CONFIG_VALUES, read_settings
from sphinxcontrib_lstmparams.spec import (
    DEFAULT_PARTS,
    DTYPE_BYTES,
    PARTS,
    LayerSpec,
    OptionError,
    captioned_part,
)
from sphinxcontrib_lstmparams.storage import storage_notes

# "ci": the same 100 examples on every run (no flaky CI); "thorough": 5,000 fresh ones.
# Hypothesis ships a "ci" profile of its own; this one says the same explicitly.
settings.register_profile(
    "ci", max_examples=100, derandomize=True, database=None, print_blob=True, deadline=None
)
settings.register_profile("thorough", max_examples=5000, deadline=None, print_blob=True)
PROFILE = settings(
    settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")),
    deadline=None,  # a Sphinx build per example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------------------------------------
# The expected total, from DESIGN.md's table, without the package's counting code.

GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def reference_total(spec: LayerSpec) -> int:
    g, h, p, fw = GATES[spec.cell], spec.units, spec.proj_size, spec.framework
    if not spec.bias:
        biases = 0
    elif fw in ("pytorch", "onnx"):
        biases = 2 * g * h  # b_ih and b_hh
    elif spec.cell == "gru" and fw == "keras" and spec.reset_after:
        biases = 6 * h
    elif spec.cell == "gru" and fw == "flax":
        biases = 4 * h  # the candidate's two Dense layers both carry a bias
    else:
        biases = g * h
    extras = (3 * h if spec.peepholes else 0) + p * h  # peepholes; projection matrix

    def one_direction(inputs: int) -> int:
        return g * h * (inputs + (p or h)) + biases + extras

    directions = 2 if spec.bidirectional else 1
    widens = spec.merge_mode == "concat" and fw != "tensorflow-v1"
    deeper = (p or h) * (directions if widens else 1)
    return directions * (one_direction(spec.input_dim) + (spec.layers - 1) * one_direction(deeper))


def test_reference_total_matches_the_seed() -> None:
    spec = parse_spec({"units": 256, "input_dim": 4096})
    assert reference_total(spec) == 4457472 == count(spec).total


# ---------------------------------------------------------------------------------------------
# Generated option words.

ODD_NUMBERS = [
    "0",
    "-1",
    "1e3",
    str(2**70),
    "",
    "abc",
    "\uff14",  # fullwidth 4
    "\u0663",  # Arabic-Indic 3
    "1.5",
    "0x10",
    "1,00",
    "1__0",
    "4\u200b",  # zero-width space
    str(MAX_SIZE + 1),
    "<b>8</b>",
    "4" * 4301,  # past Python's limit for converting digits to an int
    "1" * 10_000,
    "+" + "9" * 50,
    "++5",
]
SIZES = st.one_of(
    st.integers(1, 40).map(str),
    st.sampled_from(["4_096", "1,024", "+8", "0012", " 5 ", str(MAX_SIZE)]),
)
BOOLS = ["true", "false", "yes", "no", "on", "off", "1", "0", "True"]

# Caption pieces: plain words, LaTeX specials, other roles, and (in reST) markup errors.
# ROLE stands for our own role, written in the page's syntax (it renders 416).
ROLE = "ROLE"
CAPTION_ROLE = {
    "rst": ":lstm-params:`units=8, input-dim=4`",
    "md": "{lstm-params}`units=8, input-dim=4`",
}
# reST markup errors and the warning docutils gives for each (MyST reads them as text)
MARKUP_ERRORS = {
    "*unclosed": "Inline emphasis start-string without end-string.",
    "`unclosed": "Inline interpreted text or phrase reference start-string without end-string.",
}
CAPTION_PIECES = [
    "Before",
    "after",
    ROLE,
    ":guilabel:`&Go`",
    ":menuselection:`A --> B`",
    "**bold**",
    "100% & $5 #1 {x} ~ ^_",
]
CAPTION_WORDS = ["Before", "after", "100% & $5 #1 {x} ~ ^_"]


def sometimes_odd(valid: st.SearchStrategy[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Mostly valid words, one in eight from the odd list (or any short text)."""
    wild = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=6)
    return st.integers(0, 15).flatmap(
        lambda n: st.one_of(st.sampled_from(odd), wild) if n < 2 else valid
    )


PART_WORDS = [
    "all",
    "table",
    "answer",
    "formula",
    "notes",
    "answer, table",
    "table formula notes",
    "diagram",
    "storage, diagram",
]

VALUES: dict[str, st.SearchStrategy[str]] = {
    "cell": sometimes_odd(st.sampled_from(["lstm", "gru", "rnn", "GRU"]), ["lstmx", ""]),
    "units": sometimes_odd(SIZES, ODD_NUMBERS),
    "input_dim": sometimes_odd(SIZES, ODD_NUMBERS),
    "framework": sometimes_odd(st.sampled_from([*FRAMEWORKS, "PyTorch"]), ["jax", "tf"]),
    "layers": sometimes_odd(st.integers(1, 3).map(str), [*ODD_NUMBERS, str(MAX_LAYERS + 1)]),
    "bidirectional": sometimes_odd(st.sampled_from(["", *BOOLS]), ["maybe", "2"]),
    "bias": sometimes_odd(st.sampled_from(BOOLS), ["", "maybe"]),
    "proj_size": sometimes_odd(st.integers(0, 12).map(str), ODD_NUMBERS),
    "peepholes": sometimes_odd(st.sampled_from(["", *BOOLS]), ["maybe"]),
    "reset_after": sometimes_odd(st.sampled_from(BOOLS), ["", "later"]),
    "merge_mode": sometimes_odd(st.sampled_from(MERGE_MODES), ["avg", ""]),
    "timesteps": sometimes_odd(SIZES, ODD_NUMBERS),
    "dtype": sometimes_odd(st.sampled_from(list(DTYPE_BYTES)), ["float8", ""]),
    "caption": st.one_of(
        st.text("abcXYZ 0123456789.-", max_size=24),
        st.lists(st.sampled_from(CAPTION_PIECES), min_size=1, max_size=4).map(" ".join),
        # one markup error among plain words (other markup could pair up with it)
        st.tuples(
            st.lists(st.sampled_from(CAPTION_WORDS), max_size=2),
            st.sampled_from(sorted(MARKUP_ERRORS)),
        ).map(lambda pair: " ".join([*pair[0], pair[1]])),
    ),
    "class": st.sampled_from(["wide", "a b", ""]),
    "show": st.sampled_from([*PART_WORDS, "ALL", "tabel", "", "table, table"]),
}
OPTIONAL = [name for name in VALUES if name not in ("units", "input_dim")]
REVERSE_ALIASES = {ours: theirs for theirs, ours in ALIASES.items()}


def spellings(name: str) -> st.SearchStrategy[str]:
    words = [kebab(name), name, kebab(name).upper(), kebab(name).title()]
    if name in REVERSE_ALIASES:
        words += [kebab(REVERSE_ALIASES[name])] * 2
    return st.sampled_from(words)


UNKNOWN_NAMES = st.one_of(
    st.sampled_from(["unit", "input", "hidden", "num-layer", "Bidirectional_", "caption2"]),
    st.text("abcdefghijklmnopqrstuvwxyz-_\u00fc\u0645", min_size=1, max_size=10),
)


def number_words(n: int) -> st.SearchStrategy[str]:
    """Ways to write a whole number that the option parser takes."""
    return st.sampled_from([str(n), f"+{n}", f" {n} ", f"{n:_}", f"{n:,}", f"00{n}"])


TRUE_WORDS = ["true", "yes", "on", "1", "True"]
FALSE_WORDS = ["false", "no", "off", "0"]


@st.composite
def buildable_layers(draw: st.DrawFn, role: bool = False) -> list[tuple[str, str]]:
    """Options of a layer the framework can build, by DESIGN.md's rules (not the package's)."""
    cell = draw(st.sampled_from(["lstm", "gru", "rnn"]))
    framework = draw(st.sampled_from(FRAMEWORKS))
    units = draw(st.one_of(st.integers(1, 40), st.sampled_from([4096, 10**6])))
    chosen: dict[str, st.SearchStrategy[str]] = {
        "units": number_words(units),
        "input_dim": st.integers(1, 5000).flatmap(number_words),
        "cell": st.just(cell),
        "framework": st.just(framework),
        "layers": st.integers(1, 3).flatmap(number_words),
        "timesteps": st.integers(1, 10**6).flatmap(number_words),
        "dtype": st.sampled_from(list(DTYPE_BYTES)),
    }
    bidirectional = draw(st.booleans())
    chosen["bidirectional"] = st.sampled_from(["", *TRUE_WORDS] if bidirectional else FALSE_WORDS)
    if framework not in ("tensorflow-v1", "flax", "flax-nnx"):
        chosen["bias"] = st.sampled_from(TRUE_WORDS + FALSE_WORDS)
    if cell == "lstm" and framework == "pytorch":
        chosen["proj_size"] = st.integers(0, units - 1).flatmap(number_words)
    if cell == "lstm" and framework == "tensorflow-v1":
        chosen["proj_size"] = st.integers(0, 50).flatmap(number_words)
    if cell == "lstm" and framework in ("tensorflow-v1", "onnx"):
        chosen["peepholes"] = st.sampled_from(["", *TRUE_WORDS, *FALSE_WORDS])
    if cell == "gru" and framework in ("keras", "onnx"):
        chosen["reset_after"] = st.sampled_from(TRUE_WORDS + FALSE_WORDS)
    if framework == "keras" and bidirectional:
        chosen["merge_mode"] = st.sampled_from(MERGE_MODES)
    if not role:
        chosen["show"] = st.sampled_from(PART_WORDS)
        chosen["caption"] = VALUES["caption"]
        chosen["class"] = VALUES["class"]
    names = ["units", "input_dim"] + [
        name for name in chosen if name not in ("units", "input_dim") and draw(st.booleans())
    ]
    if "cell" not in names and cell != "lstm":
        names.append("cell")
    if "framework" not in names and framework != "keras":
        names.append("framework")
    if "bidirectional" not in names and bidirectional:
        names.append("bidirectional")
    return [(draw(spellings(name)), draw(chosen[name])) for name in names]


@st.composite
def wild_fields(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Anything: odd values, repeats, unknown words, impossible combinations."""
    fields = []
    for required in ("units", "input_dim"):
        if draw(st.integers(0, 11)):
            fields.append((draw(spellings(required)), draw(VALUES[required])))
    for name in draw(st.lists(st.sampled_from(OPTIONAL), max_size=4)):  # repeats: duplicates
        fields.append((draw(spellings(name)), draw(VALUES[name])))
    if draw(st.integers(0, 5)) == 0:
        fields.append((draw(UNKNOWN_NAMES), draw(VALUES["units"])))
    return fields


@dataclass
class DirectiveCase:
    fields: list[tuple[str, str]]
    buildable: bool  # made by buildable_layers: the core must accept it
    blank_before: list[bool]  # a blank line before each field
    first_on_marker_line: bool  # `.. lstm-params:: :units: 8` / ```{lstm-params} :units: 8
    yaml: bool  # MyST: a --- block of `name: value` lines
    fence: str  # MyST: ``` or :::
    garbage: bool  # one line that is not an option


@st.composite
def directive_cases(draw: st.DrawFn, syntax: str, index: int) -> DirectiveCase:
    buildable = draw(st.booleans())
    fields = draw(buildable_layers() if buildable else wild_fields())
    for display in ("name", "label"):
        if draw(st.integers(0, 5)) == 0:
            fields.append((display, f"{display}-{syntax}-{index}"))
    fields = draw(st.permutations(fields))
    yaml = syntax == "md" and draw(st.booleans())
    return DirectiveCase(
        fields=fields,
        buildable=buildable,
        blank_before=[draw(st.integers(0, 7)) == 0 for _ in fields],
        first_on_marker_line=bool(fields) and not yaml and draw(st.integers(0, 7)) == 0,
        yaml=yaml,
        fence=draw(st.sampled_from(["```", ":::"])),
        garbage=not buildable and draw(st.integers(0, 9)) == 0,
    )


ROLE_VALUE = re.compile(r"[^,;`\\=\s]*")


@st.composite
def role_texts(draw: st.DrawFn) -> tuple[str, bool]:
    """Role text (``units=8, input-dim=3``) and whether the layer is buildable."""
    if draw(st.booleans()):
        pairs = draw(buildable_layers(role=True))
        pieces = [name if not value else f"{name}={value.strip()}" for name, value in pairs]
        return ", ".join(draw(st.permutations(pieces))), True
    pieces = []
    for name in ["units", "input_dim", *draw(st.lists(st.sampled_from(OPTIONAL[:-3]), max_size=3))]:
        value = "".join(ROLE_VALUE.findall(draw(VALUES[name])))
        spelled = draw(spellings(name))
        flag = not value and name in ("bidirectional", "peepholes")
        pieces.append(spelled if flag else f"{spelled}={value}")
    pieces = draw(st.permutations(pieces))
    return ", ".join(pieces[: draw(st.integers(1, len(pieces)))]), False


@dataclass
class Expected:
    """One directive or role of a generated page and what the reader must get from it."""

    kind: str  # "directive" or "role"
    line: int  # where a warning must point (1-based)
    message: str | None  # the warning, or None when it renders
    breakdown: Breakdown | None = None
    parts: tuple[str, ...] = DEFAULT_PARTS
    caption_roles: int = 0  # our role in the caption, rendered (416) where the captioned part shows
    caption_warnings: list[tuple[int, str]] = field(default_factory=list)  # docutils' own


@dataclass
class Page:
    syntax: str
    lines: list[str] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)

    def add(self, *lines: str) -> int:
        """Append lines; the 1-based number of the first."""
        self.lines.extend(lines)
        return len(self.lines) - len(lines) + 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def expect_directive(
    body: list[str], body_lines: list[int], marker_line: int, buildable: bool
) -> Expected:
    """Run the directive's own parser on the body it sees, and say what the page owes."""
    refusal: DirectiveError | None = None
    try:
        given = parse_directive(body, "keras", DEFAULT_PARTS, nodes.make_id)
    except DirectiveError as error:
        refusal = error
    if refusal is not None:
        # a buildable layer can only be refused for how it is shown
        assert not buildable or refusal.option in DISPLAY_OPTIONS, f"buildable, yet {refusal}"
        line = marker_line if refusal.index is None else body_lines[refusal.index]
        return Expected("directive", line, f"lstm-params: {refusal}")
    breakdown = count(given.spec)
    assert breakdown.total == reference_total(given.spec), given.spec
    return Expected("directive", marker_line, None, breakdown, given.display.parts)


def write_directive(page: Page, case: DirectiveCase) -> None:
    rst = page.syntax == "rst"
    indent = "   " if rst else ""
    lines: list[str] = []  # body lines as written, without indentation
    if case.yaml:
        lines.append("---")
    caption = ""
    for (name, value), blank in zip(case.fields, case.blank_before, strict=True):
        if blank:
            lines.append("")
        if canonical_name(name) == "caption":
            caption = value = value.replace(ROLE, CAPTION_ROLE[page.syntax])
            value = json.dumps(value) if case.yaml else value  # free text: quoted in YAML
        word = f"{name}:" if case.yaml else f":{name}:"
        lines.append(f"{word} {value}".rstrip())
    if case.garbage:
        lines.insert(len(lines) // 2 + case.yaml, "units 8")
    if case.yaml:
        lines.append("---")
    first = ""
    if case.first_on_marker_line and lines and lines[0]:
        first = " " + lines.pop(0)
    # CommonMark ends a backtick fence's info string at a backtick (the line is then a
    # paragraph), so text with a role on the fence line needs the colon fence, as a user's would
    fence = ":::" if "`" in first else case.fence
    marker = ".. lstm-params::" if rst else f"{fence}{{lstm-params}}"
    marker_line = page.add(marker + first)
    body = ([first.strip()] if first else []) + lines
    start = page.add(*(f"{indent}{line}".rstrip() for line in lines)) if lines else marker_line
    numbers = ([marker_line] if first else []) + [start + i for i in range(len(lines))]
    if body and not body[0]:  # at most one; docutils drops leading blank lines, MyST one
        del body[0], numbers[0]
    if not rst:
        page.add(fence)
    page.add("")
    expected = expect_directive(body, numbers, marker_line, case.buildable)
    if expected.message is None and caption.strip():
        roles, warnings = caption_markup(caption, page.syntax)
        expected.caption_roles = roles
        caption_line = next(
            n
            for line, n in zip(body, numbers, strict=True)
            if canonical_name(line.strip().strip(":").partition(":")[0]) == "caption"
        )
        expected.caption_warnings = [(caption_line, warning) for warning in warnings]
    page.expected.append(expected)


def caption_markup(caption: str, syntax: str) -> tuple[int, list[str]]:
    """The roles that render in a generated caption, and reST's markup warnings for it.

    A lone backtick is not always unclosed: in reST, "`unclosed" followed later by the role
    is interpreted text that ends at the role's closing backtick, and swallows the role and
    everything between (no warning, no role). In MyST, backticks pair up in order into code
    spans, so a role renders only after an even number of backticks. (Docutils 0.20 met the
    first case on Python 3.10, where the derandomized fuzz draws other captions.)
    """
    role = CAPTION_ROLE[syntax]
    parts = caption.split(role)
    if syntax != "rst":
        roles, ticks = 0, 0
        for part in parts[:-1]:
            ticks += part.count("`")
            roles += ticks % 2 == 0
            ticks += role.count("`")
        return roles, []
    roles, warnings, swallowing = 0, [], False
    for index, part in enumerate(parts):
        more_roles = index < len(parts) - 1
        for word in part.split():
            if swallowing:
                continue
            if word == "`unclosed" and more_roles:
                swallowing = True
            elif word in MARKUP_ERRORS:
                warnings.append(MARKUP_ERRORS[word])
        if more_roles:
            if swallowing:
                swallowing = False
            else:
                roles += 1
    return roles, warnings


def write_role(page: Page, text: str, buildable: bool) -> None:
    role = f":lstm-params:`{text}`" if page.syntax == "rst" else f"{{lstm-params}}`{text}`"
    line = page.add(f"A role: {role} here.", "")
    try:
        spec = parse_spec(read_role_text(text))
    except OptionError as error:
        page.expected.append(Expected("role", line, f"lstm-params role: {error}"))
    else:
        breakdown = count(spec)
        assert breakdown.total == reference_total(spec), spec
        page.expected.append(Expected("role", line, None, breakdown))
    assert not buildable or page.expected[-1].breakdown, f"buildable, yet {page.expected[-1]}"


@st.composite
def pages(draw: st.DrawFn) -> Page:
    syntax = draw(st.sampled_from(["rst", "md"]))
    page = Page(syntax)
    if syntax == "rst":
        page.add(":orphan:", "", "Fuzz", "====", "")
    else:
        page.add("---", "orphan: true", "---", "# Fuzz", "")
    kinds = draw(
        st.lists(st.sampled_from(["directive", "directive", "role"]), min_size=1, max_size=3)
    )
    for index, kind in enumerate(kinds):
        if kind == "directive":
            write_directive(page, draw(directive_cases(syntax, index)))
        else:
            write_role(page, *draw(role_texts()))
    return page


# ---------------------------------------------------------------------------------------------
# One long-lived Sphinx project: each example is a new page, and the previous page goes.


class RecordCollector(logging.Handler):
    """Keeps warning records, to read their ``type`` and ``subtype`` on any Sphinx version."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Sphinx holds warnings back during a build and hands the same records on again
        if not any(seen is record for seen in self.records):
            self.records.append(record)


class PdfBatch:
    """The thorough profile also sets every generated page in a PDF: pages are collected into
    a second project (with ``keep_warnings``, so markup errors reach the LaTeX too) and
    compiled every ``size`` pages, and at the end."""

    def __init__(self, root: Path, compile_pdf: Callable[..., str], size: int = 250) -> None:
        self.root, self.size, self.pages, self.batches = root, size, 0, 0
        self.compile_pdf = compile_pdf

    def add(self, page: Page) -> None:
        src = self.root / f"batch{self.batches}"
        if not src.exists():
            src.mkdir(parents=True)
            # The generated text itself holds characters pdflatex has no glyph for (a bad
            # role's text, a fullwidth digit, is echoed as the author wrote it, as any page
            # would); set those as "?" so that what is checked is our output, not pdflatex's
            # Unicode coverage (Sphinx recommends xelatex for such pages).
            (src / "conf.py").write_text(
                'extensions = ["sphinxcontrib_lstmparams", "myst_parser"]\n'
                'myst_enable_extensions = ["colon_fence"]\nkeep_warnings = True\n'
                'project = "Fuzz"\nlatex_documents = [("index", "fuzz.tex", "Fuzz", "", "howto")]\n'
                "latex_elements = {'preamble': r'\\makeatletter"
                "\\def\\UTFviii@undefined@err#1{?}\\makeatother'}\n"
            )
            (src / "index.rst").write_text("Fuzz\n====\n\n.. toctree::\n   :glob:\n\n   case*\n")
        text = page.text.replace(":orphan:\n", "").replace("orphan: true\n", "")
        (src / f"case{self.pages}.{page.syntax}").write_text(text, encoding="utf-8")
        self.pages += 1
        if self.pages % self.size == 0:
            self.flush()

    def flush(self) -> None:
        src = self.root / f"batch{self.batches}"
        if not src.exists():
            return
        out = src / "_build" / "latex"
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-N", "-q", "-b", "latex", str(src), str(out)],
            check=True,
            capture_output=True,
        )
        self.compile_pdf(out)
        self.batches += 1


class Project:
    def __init__(self, srcdir: Path, pdf: PdfBatch | None = None) -> None:
        srcdir.mkdir(parents=True)
        (srcdir / "conf.py").write_text(
            'extensions = ["sphinxcontrib_lstmparams", "myst_parser"]\n'
            'myst_enable_extensions = ["colon_fence"]\n'
        )
        (srcdir / "index.rst").write_text("Index\n=====\n")
        self.srcdir = srcdir
        self.app = SphinxTestApp("html", srcdir=srcdir)
        self.app.build()
        self.collector = RecordCollector()
        logging.getLogger("sphinx").addHandler(self.collector)
        self.serial = 0
        self.previous: Path | None = None
        self.pdf = pdf

    def build(self, page: Page) -> tuple[str, Path, list[str], list[logging.LogRecord]]:
        """Build the page; its docname, source file, warning lines and warning records."""
        if self.previous:
            self.previous.unlink()
        self.serial += 1
        docname = f"case{self.serial}"
        source = self.srcdir / f"{docname}.{page.syntax}"
        source.write_text(page.text, encoding="utf-8")
        self.previous = source
        self.app.warning.seek(0)
        self.app.warning.truncate()
        self.collector.records.clear()
        self.app.build()
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.app.warning.getvalue())
        if self.pdf:
            self.pdf.add(page)
        return docname, source, text.splitlines(), list(self.collector.records)

    def close(self) -> None:
        logging.getLogger("sphinx").removeHandler(self.collector)
        self.app.cleanup()
        if self.pdf:
            self.pdf.flush()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, pdf: Callable[..., str]) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("fuzz")
    thorough = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
    batch = PdfBatch(root / "pdf", pdf) if thorough and shutil.which("latexmk") else None
    built = Project(root / "src", batch)
    yield built
    built.close()


def check_container(container: nodes.Element, expected: Expected) -> None:
    """A rendered directive holds exactly the requested parts, with the total in each."""
    assert expected.breakdown is not None
    total = format_count(expected.breakdown.total)
    # the table comes with its LaTeX column spec; the formula with its plain twin and a line
    notes = len(storage_notes(expected.breakdown, str))
    sizes = {"answer": 1, "table": 2, "formula": 3, "notes": 1, "diagram": 1, "storage": 2 + notes}
    assert len(container.children) == sum(sizes[part] for part in expected.parts)
    tables = [t for t in container.findall(nodes.table) if TABLE_CLASS in t["classes"]]
    assert len(tables) == ("table" in expected.parts)
    figures = list(container.findall(nodes.figure))
    assert len(figures) == ("diagram" in expected.parts)
    for figure in figures:  # the three printouts of one drawing, and a caption
        assert [n["format"] for n in figure.findall(nodes.raw)] == ["html", "latex"]
        drawing = list(figure.findall(nodes.literal_block))
        assert len(drawing) == 1 and DIAGRAM_TEXT_CLASS in drawing[0]["classes"]
    stored = [t for t in container.findall(nodes.table) if STORAGE_CLASS in t["classes"]]
    assert len(stored) == ("storage" in expected.parts)
    for table in tables:
        rows = list(next(iter(table.findall(nodes.tbody))).findall(nodes.row))
        spec = expected.breakdown.spec
        if spec.layers > 1 or spec.bidirectional:  # one row per layer and direction
            assert len(rows) == spec.layers * spec.directions + 1
        else:  # one per gate
            assert len(rows) == len(gate_rows(expected.breakdown)) + 1
        assert rows[-1].children[-1].astext() == total
    if "answer" in expected.parts:
        answer = container.children[expected.parts.index("answer")]
        assert [n.astext() for n in answer.findall(nodes.strong)] == [total]
    if "formula" in expected.parts:
        plain = [
            n for n in container.findall(nodes.literal_block) if FORMULA_TEXT_CLASS in n["classes"]
        ]
        assert len(plain) == 1 and plain[0].astext().endswith(f"= {total}")


@given(page=pages())
@PROFILE
def test_generated_pages_render_the_core_total_or_warn_once(project: Project, page: Page) -> None:
    docname, source, warnings, records = project.build(page)
    bad = [e for e in page.expected if e.message]
    event(f"{page.syntax}: {len(page.expected) - len(bad)} rendered, {len(bad)} warned")

    # exactly one typed, located warning per bad directive or role, docutils' own for a
    # markup error in a caption, and nothing else
    ours = [r for r in records if r.__dict__.get("type") == "lstmparams"]
    assert [r.__dict__.get("subtype") for r in ours] == ["option"] * len(bad), warnings
    expected_lines = []
    for e in page.expected:
        if e.message:
            expected_lines.append(f"{source}:{e.line}: WARNING: {e.message}")
        expected_lines += [f"{source}:{line}: WARNING: {text}" for line, text in e.caption_warnings]
    # (Sphinx 8+ names the warning's type at the end of the line; 7.4 does not)
    unsuffixed = [re.sub(r" \[(lstmparams\.option|docutils)\]$", "", w) for w in warnings]
    assert unsuffixed == expected_lines, page.text

    # the good ones render, with the core's total; the bad ones render nothing
    doctree = project.app.env.get_doctree(docname)
    containers = [n for n in doctree.findall(nodes.container) if "lstm-params" in n["classes"]]
    good = [e for e in page.expected if e.kind == "directive" and not e.message]
    assert len(containers) == len(good), page.text
    for container, expected in zip(containers, good, strict=True):
        check_container(container, expected)
    html = (Path(project.app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<div class="lstm-params[ "]', html)) == len(good)
    inline = re.findall(r'<span class="lstm-params">([^<]*)</span>', html)
    shown = []
    for e in page.expected:
        if e.kind == "role" and e.breakdown:
            shown.append(format_count(e.breakdown.total))
        elif e.breakdown and captioned_part(e.parts) is not None:
            # the role in the caption, in place: the table's, else the diagram's or the map's
            shown += ["416"] * e.caption_roles
    assert inline == shown
    for expected in good:
        assert expected.breakdown is not None
        if "answer" in expected.parts:
            assert f"<strong>{format_count(expected.breakdown.total)}</strong>" in html


# ---------------------------------------------------------------------------------------------
# Found by the generator: options on the directive's own line, anything after an
# `.. include::`, an option given three times and an unknown word given twice were all
# warned about at wrong lines. Kept as fixed cases.

LOCATED = [
    ("first.md", 3, "input-dim: 'x' is not a whole number"),
    ("first.md", 10, "units: given twice"),  # `:::{lstm-params} :units: 8` on line 8
    ("index.rst", 12, "unknown option 'unit'"),  # `.. lstm-params:: :units: 8` on line 10
    ("part.txt", 6, "cell: 'gruu' is not one of"),  # an included file names itself
    ("index.rst", 21, "show: 'tabel'"),  # after the include
    ("index.rst", 31, "peepholes: PyTorch LSTM has no peephole weights"),  # nested in a note
    ("index.rst", 39, "layers: given twice (as 'layers' and 'num-layers')"),  # not the third
    ("index.rst", 45, "unknown option 'colour'"),  # its first use, not its last
]


@pytest.mark.sphinx("html", testroot="robust-locations")
def test_warnings_point_at_the_file_and_line_of_the_option(app: SphinxTestApp) -> None:
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    # (the fuzz's long-lived app makes Sphinx say "already registered" here: not ours to judge)
    warnings = [line for line in text.splitlines() if ": WARNING: lstm-params: " in line]
    found = []
    for warning in warnings:
        where, _, message = warning.partition(": WARNING: lstm-params: ")
        path, _, line = where.rpartition(":")
        found.append((Path(path).resolve(), int(line), message))
    srcdir = Path(app.srcdir).resolve()
    assert len(found) == len(LOCATED), warnings
    for (name, line, message), got in zip(sorted(LOCATED), sorted(found), strict=True):
        assert got[:2] == (srcdir / name, line), warnings
        assert got[2].startswith(message)


# ---------------------------------------------------------------------------------------------
# Sizes at and past the bounds the options enforce (options.MAX_SIZE, options.MAX_LAYERS).

HUGE = [
    LayerSpec("lstm", 10**6, 10**6, layers=100, bidirectional=True),
    LayerSpec("lstm", MAX_SIZE, MAX_SIZE, framework="pytorch", timesteps=MAX_SIZE),
]


@pytest.mark.sphinx("html", testroot="robust-huge")
def test_huge_sizes_render_exact_totals(app: SphinxTestApp) -> None:
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    warnings = [line for line in text.splitlines() if ": WARNING: lstm-params: " in line]
    assert len(warnings) == 2, warnings
    assert (
        f"index.rst:23: WARNING: lstm-params: units: {MAX_SIZE + 1} is not a whole number"
        in (warnings[0])
    )
    bound = f"layers: 1001 is not a whole number from 1 to {MAX_LAYERS:,}"
    assert f"index.rst:29: WARNING: lstm-params: {bound}" in warnings[1]

    doctree = app.env.get_doctree("index")
    containers = [n for n in doctree.findall(nodes.container) if "lstm-params" in n["classes"]]
    assert len(containers) == len(HUGE)
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for container, spec in zip(containers, HUGE, strict=True):
        total = reference_total(spec)
        check_container(container, Expected("directive", 0, None, count(spec)))
        assert f"<strong>{total:,}</strong>" in page
    rows = list(next(iter(containers[0].findall(nodes.tbody))).findall(nodes.row))
    assert len(rows) == 100 * 2 + 1  # layer x direction (gates folded), and the totals
    assert rows[-2].children[0].astext() == "100 backward"
    assert f"per sequence of {MAX_SIZE:,} steps" in page


# ---------------------------------------------------------------------------------------------
# Config values of any type, and any punctuation, space or symbol as the separator.

CONFIG_NAMES = sorted(CONFIG_VALUES)
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["keras", "PyTorch", "all", "table, notes", ",", "\N{THIN SPACE}", "'"]),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(PARTS)), max_size=4),
    st.tuples(st.sampled_from(PARTS), st.sampled_from(PARTS)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(values=st.dictionaries(st.sampled_from(CONFIG_NAMES), ANY_VALUE))
@settings(max_examples=300 if PROFILE.max_examples < 1000 else 5000, deadline=None)
def test_any_config_values_read_as_settings_or_one_message_each(values: dict[str, object]) -> None:
    read, messages = read_settings(values)
    assert read.default_framework in FRAMEWORKS and read.separator in SEPARATORS
    assert set(read.show) <= set(PARTS) and read.show
    assert len(messages) <= len(values)
    assert all(message.startswith(tuple(values)) for message in messages)


@given(separator=st.characters(categories=["P", "Z", "S"]))
@settings(max_examples=300 if PROFILE.max_examples < 1000 else 5000, deadline=None)
def test_any_punctuation_is_a_separator_or_one_message(separator: str) -> None:
    read, messages = read_settings({"lstmparams_thousands_separator": separator})
    if separator in SEPARATORS:
        assert messages == [] and read.separator == separator
    else:
        assert len(messages) == 1 and read.separator == ","


@given(values=st.dictionaries(st.sampled_from(CONFIG_NAMES), ANY_VALUE, min_size=1))
@settings(
    max_examples=12 if PROFILE.max_examples < 1000 else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_config_values_build_with_one_warning_each(
    tmp_path_factory: pytest.TempPathFactory, values: dict[str, object]
) -> None:
    conf = 'extensions = ["sphinxcontrib_lstmparams"]\n' + "".join(
        f"{name} = {value!r}\n" for name, value in values.items()
    )
    if "nan" in conf or "inf" in conf:  # repr of a float that conf.py cannot read back
        return
    src = tmp_path_factory.mktemp("conf")
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.rst").write_text("T\n=\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = [w for w in app.warning.getvalue().splitlines() if "WARNING" in w]
    _read, messages = read_settings(values)
    assert len(warnings) == len(messages), warnings
    assert '<div class="lstm-params' in (Path(app.outdir) / "index.html").read_text(
        encoding="utf-8"
    )
