"""Hostile text in :caption:, :name: and :class: reaches html, latex, man and text escaped.

HTML tags, LaTeX specials (``\\ { } $ & % # _ ^ ~``), roff requests, right-to-left scripts,
bidi overrides, zero-width characters and a 5,000-character caption: every builder writes
them as text, never as markup, and the LaTeX compiles when a TeX installation is there.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Compile = Callable[..., str]  # conftest.compile_pdf, through the `pdf` fixture

ROOT = Path(__file__).parent / "roots" / "test-robust-hostile"
CAPTION = "<script>alert(1)</script> <b>bold</b> & 100% #1 a_b x^2 ~ {x} $5 \\ end"
LONG_CAPTION = " ".join(f"word{i}" for i in range(800))
RTL = "مرحبا بالعالم שלום עולם"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, project: Callable[..., Any]
) -> dict[str, tuple[Path, str]]:
    """Each builder's output folder and warnings, one build each."""
    outputs = {}
    for builder in ("html", "latex", "man", "text"):
        src = tmp_path_factory.mktemp(builder) / "src"
        done = project(src, builder=builder, conf="", copy_from=ROOT)
        outputs[builder] = (done.outdir, done.warnings)
    return outputs


@pytest.mark.parametrize("builder", ["html", "latex", "man", "text"])
def test_only_the_bad_role_and_the_bad_class_warn(
    built: dict[str, tuple[Path, str]], builder: str
) -> None:
    warnings = [w for w in built[builder][1].splitlines() if "WARNING" in w]
    assert len(warnings) == 2, warnings
    assert (
        "index.rst:18: WARNING: lstm-params role: units: '<script>alert(3)</script>'"
        in (warnings[0])
    )
    assert (
        "index.rst:26: WARNING: lstm-params: class: cannot make '}{' into a class" in (warnings[1])
    )


def test_html_has_no_markup_from_the_author_text(built: dict[str, tuple[Path, str]]) -> None:
    page = (built["html"][0] / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>bold" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; 100% #1"
    assert escaped in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page  # the bad role, shown as code
    assert 'id="script-alert-2-script"' in page  # :name: becomes a plain id
    assert 'class="lstm-params a-b x-y z docutils container"' in page
    assert len(re.findall(r'<table class="lstm-params-table[^"]*" id="', page)) == 2
    assert re.search(r'href="#a-b-c-d-e-f-g-i"><span class="std std-numref">Table 2', page)
    markdown = (built["html"][0] / "md.html").read_text(encoding="utf-8")
    assert "100% &amp; #1 a_b x^2 ~ {x} $5 end" in markdown


def test_latex_escapes_every_special(built: dict[str, tuple[Path, str]]) -> None:
    tex = (built["latex"][0] / "hostile.tex").read_text(encoding="utf-8")
    assert (
        r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} "
        r"\textless{}b\textgreater{}bold\textless{}/b\textgreater{} \& 100\% \#1 a\_b "
        r"x\textasciicircum{}2 \textasciitilde{} \{x\} \$5 \textbackslash{} end"
    ) in tex
    assert r".TH evil \textbackslash{}fB roff " in tex
    # class names reach LaTeX as environment arguments: only safe characters
    classes = re.findall(r"\\begin\{sphinxuseclass\}\{([^}]*)\}", tex)
    assert classes and all(re.fullmatch(r"[a-z0-9-]+", name) for name in classes), classes
    assert {"a-b", "x-y", "z"} <= set(classes)
    assert "alert(3)" in tex and "<script>" not in tex


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs latexmk and pdflatex (TeX Live)")
def test_latex_compiles(built: dict[str, tuple[Path, str]], pdf: Compile) -> None:
    outdir = built["latex"][0]
    pdf(outdir, "hostile")  # not rtl.tex: Arabic and Hebrew need xelatex
    assert (outdir / "hostile.pdf").stat().st_size > 0


def test_man_keeps_its_name_line_and_escapes_captions(built: dict[str, tuple[Path, str]]) -> None:
    page = (built["man"][0] / "hostile.1").read_text(encoding="utf-8")
    lines = page.splitlines()
    # docutils' man writer takes a table title for the page title; ours must not end up there
    assert lines[lines.index(".SH NAME") + 1] == r"hostile \- Hostile"
    assert [line for line in lines if line.startswith(".TH ")] == [
        line for line in lines if line.startswith('.TH "HOSTILE"')
    ]
    # the captions are text: backslashes escaped, no line starts a request of the author's
    assert r"\&.TH evil \efB roff \(aq quote" in page and r"$5 \e end" in page
    assert not any(line.startswith((".TH evil", "'")) for line in lines[1:])  # 1: tbl's hint
    assert "<script>alert(1)</script>" in page  # roff has no tags: plain text is right


def test_text_shows_the_captions_as_written(built: dict[str, tuple[Path, str]]) -> None:
    page = (built["text"][0] / "index.txt").read_text(encoding="utf-8")
    assert CAPTION in page and ".TH evil \\fB roff ' quote" in page


@pytest.mark.parametrize(("builder", "page"), [("html", "rtl.html"), ("text", "rtl.txt")])
def test_right_to_left_zero_width_and_long_captions(
    built: dict[str, tuple[Path, str]], builder: str, page: str
) -> None:
    text = (built[builder][0] / page).read_text(encoding="utf-8")
    assert RTL in text and "\u202eevil\u202c" in text and "zero\u200bwidth" in text
    flowing = " ".join(text.split())  # the text builder wraps long lines
    assert LONG_CAPTION in flowing or all(f"word{i}" in flowing for i in (0, 399, 799))


@pytest.mark.parametrize(("builder", "name"), [("latex", "rtl.tex"), ("man", "rtl.1")])
def test_right_to_left_reaches_latex_and_man(
    built: dict[str, tuple[Path, str]], builder: str, name: str
) -> None:
    text = (built[builder][0] / name).read_text(encoding="utf-8")
    assert RTL in text and "word799" in text
