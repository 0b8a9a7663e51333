"""What a hand-made hostile run broke, each through a real build: huge values, bad config
values, separators in LaTeX, odd labels, markup errors and roles in captions, texinfo anchors,
MyST option blocks as YAML, literal blocks in catalogs, and the smaller rough edges."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import OptionError, count_params
from sphinxcontrib_lstmparams.numbers import SEPARATORS, format_bytes
from sphinxcontrib_lstmparams.options import read_role_text

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture
Compile = Callable[..., str]  # conftest.compile_pdf, through the `pdf` fixture
HAS_LATEX = bool(shutil.which("latexmk") and shutil.which("pdflatex"))
HUGE = "9" * 5000


def page(*directives: str, title: str = "T") -> str:
    return f"{title}\n{'=' * len(title)}\n\n" + "\n".join(directives)


def directive(*options: str) -> str:
    return ".. lstm-params::\n" + "".join(f"   {option}\n" for option in options) + "\n"


def warnings_of(built: Any) -> list[str]:
    return [line for line in built.warnings.splitlines() if "WARNING" in line]


# -- 1. values too long to convert --------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".rst", ".md"])
def test_a_5000_digit_value_is_one_warning(tmp_path: Path, project: Project, suffix: str) -> None:
    if suffix == ".rst":
        text = page(directive(f":units: {HUGE}", ":input-dim: 3"))
        text += f"\nA role :lstm-params:`units={HUGE}, input-dim=3`.\n"
    else:
        text = f"# T\n\n```{{lstm-params}}\n:units: {HUGE}\n:input-dim: 3\n```\n\n"
        text += f"A role {{lstm-params}}`units={HUGE}, input-dim=3`.\n"
    built = project(tmp_path, {f"index{suffix}": text})
    found = warnings_of(built)
    assert len(found) == 2, found
    assert all("(5,000 characters) is not a whole number" in w for w in found), found
    assert "Traceback" not in built.warnings


def test_huge_numbers_from_python_raise_option_errors() -> None:
    with pytest.raises(OptionError, match=r"units: a number of about 5,00\d digits is not"):
        count_params(units=10**5000, input_dim=4)


def test_huge_numbers_on_the_command_line_are_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", "--units", HUGE, "--input-dim", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-500:]
    assert "(5,000 characters) is not a whole number" in done.stderr


# -- 2, 3. config values of the wrong type ------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("lstmparams_show = 42", "lstmparams_show: 42 is not a list of parts"),
        ("lstmparams_show = None", "lstmparams_show: None is not a list of parts"),
        ("lstmparams_show = ['table', 3]", "lstmparams_show: ['table', 3] is not a list"),
        ("lstmparams_thousands_separator = None", "lstmparams_thousands_separator: None is not"),
        ("lstmparams_thousands_separator = 5", "lstmparams_thousands_separator: 5 is not one of"),
        ("lstmparams_thousands_separator = '%'", "lstmparams_thousands_separator: '%' is not"),
        ("lstmparams_thousands_separator = ', '", "lstmparams_thousands_separator: ', ' is not"),
        ("lstmparams_default_framework = 3", "lstmparams_default_framework: 3 is not one of"),
    ],
)
def test_a_bad_config_value_is_one_warning_and_its_default(
    tmp_path: Path, project: Project, setting: str, message: str
) -> None:
    built = project(
        tmp_path,
        {"index.rst": page(directive(":units: 256", ":input-dim: 4096"))},
        extra_conf=setting + "\n",
    )
    found = warnings_of(built)
    assert len(found) == 1 and message in found[0], found
    assert "; using " in found[0]
    assert "<strong>4,457,472</strong>" in built.output()


def test_config_framework_names_are_case_insensitive(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {"index.rst": page(directive(":units: 256", ":input-dim: 4096"))},
        extra_conf='lstmparams_default_framework = "PyTorch"\n',
    )
    assert built.warnings == "" and "<strong>4,458,496</strong>" in built.output()


# -- 4, 5, 6. what reaches LaTeX -----------------------------------------------------------------


@pytest.mark.parametrize("separator", sorted(SEPARATORS))
def test_every_separator_is_set_in_math_by_its_latex_form(
    tmp_path: Path, project: Project, separator: str
) -> None:
    built = project(
        tmp_path,
        {"index.rst": page(directive(":units: 256", ":input-dim: 4096"))},
        "latex",
        extra_conf=f"project = 'T'\nlstmparams_thousands_separator = {separator!r}\n",
    )
    assert built.warnings == ""
    tex = (built.outdir / "t.tex").read_text(encoding="utf-8")
    assert "&= 4" + SEPARATORS[separator] + "457" + SEPARATORS[separator] + "472" in tex


# one of each kind of LaTeX form: a text-mode glyph, a space pdflatex has no glyph for, an
# escaped special, and nothing; plus a caption that is a markup error under keep_warnings
PDF_SEPARATORS = ["'", "\N{THIN SPACE}", "_", "\N{RIGHT SINGLE QUOTATION MARK}"]


@pytest.mark.skipif(not HAS_LATEX, reason="needs latexmk and pdflatex (TeX Live)")
@pytest.mark.parametrize("separator", PDF_SEPARATORS)
def test_the_pdf_compiles_with_each_kind_of_separator(
    tmp_path: Path, project: Project, separator: str, pdf: Compile
) -> None:
    text = page(
        directive(":units: 256", ":input-dim: 4096", ":caption: A *broken caption"),
        directive(":units: 8", ":input-dim: 3", ":layers: 2", ":timesteps: 12345"),
    )
    built = project(
        tmp_path,
        {"index.rst": text},
        "latex",
        extra_conf=(
            f"project = 'T'\nkeep_warnings = True\nlstmparams_thousands_separator = {separator!r}\n"
        ),
    )
    assert len(warnings_of(built)) == 1  # the caption's markup error, reported once
    tex = (built.outdir / "t.tex").read_text(encoding="utf-8")
    caption = tex[tex.index(r"\sphinxcaption{") :].split("\n", 1)[0]
    assert "Inline emphasis start-string" not in caption  # the message is not in the caption
    pdf(built.outdir)


@pytest.mark.parametrize("label", ["a}b", r"eq\x", "a b", "-x", "x%", "é"])
def test_a_label_latex_or_html_would_read_as_markup_is_refused(
    tmp_path: Path, project: Project, label: str
) -> None:
    built = project(
        tmp_path, {"index.rst": page(directive(":units: 8", ":input-dim: 3", f":label: {label}"))}
    )
    found = warnings_of(built)
    assert len(found) == 1 and "index.rst:7: WARNING: lstm-params: label:" in found[0], found
    assert "may only hold ASCII letters, digits and - _ . :" in found[0]


# -- 7. roles in captions stay where they were written ------------------------------------------


def test_roles_in_a_caption_stay_in_place(tmp_path: Path, project: Project) -> None:
    caption = (
        "Before :lstm-params:`units=8, input-dim=4` after :guilabel:`&Cancel` and "
        ":menuselection:`Start --> Programs` end"
    )
    built = project(
        tmp_path,
        {"index.rst": page(directive(":units: 8", ":input-dim: 3", f":caption: {caption}"))},
    )
    assert built.warnings == ""
    html = built.output()
    caption_html = html[html.index('<span class="caption-text">') :].split("</caption>", 1)[0]
    text = re.sub(r"<[^>]+>", "", caption_html).replace("\N{PILCROW SIGN}", "").strip()
    assert text == "Before 416 after Cancel and Start \N{TRIANGULAR BULLET} Programs end", text


# -- 8. texinfo: anchors at the formula, reproducible -------------------------------------------


def test_texinfo_puts_the_equation_anchor_at_the_formula_in_every_run(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinxcontrib_lstmparams"]\nproject = "t"\n')
    (src / "index.rst").write_text(
        page(
            "See :eq:`eq-one` and :eq:`eq-two`.\n",
            directive(":units: 8", ":input-dim: 3", ":label: eq-one"),
            directive(":units: 4", ":input-dim: 3", ":cell: gru", ":label: eq-two"),
        )
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        out = tmp_path / f"out{seed}"
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-N", "-q", "-E", "-b", "texinfo", str(src), str(out)],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add((out / "t.texi").read_text(encoding="utf-8"))
    assert len(outputs) == 1
    texi = outputs.pop()
    for label, total in (("eq-one", "384"), ("eq-two", "108")):
        anchor = texi.index(f"@anchor{{index equation-{label}}}")
        assert texi.index("@example", anchor) < texi.index(f"= {total}", anchor)
        assert anchor > texi.index("@multitable")  # at its formula, not dumped at the end


# -- 9. MyST option blocks are YAML ---------------------------------------------------------------


def test_myst_option_block_is_read_as_yaml(tmp_path: Path, project: Project) -> None:
    text = (
        "# T\n\n:::{lstm-params}\n---\n"
        'units: "256"  # quoted, with a comment\n'
        "input-dim: &width 4096\n"
        "caption: |\n  A caption\n  on two lines\n"
        "---\n:::\n\n"
        "```{lstm-params}\n---\nunits: [1, 2]\ninput-dim: 3\n---\n```\n"
    )
    built = project(tmp_path, {"index.md": text})
    found = warnings_of(built)
    assert (
        len(found) == 1
        and "index.md:15: WARNING: lstm-params: line 2 of the directive: an " in (found[0])
    ), found
    html = built.output()
    assert "<strong>4,457,472</strong>" in html
    assert "A caption\non two lines" in html or "A caption on two lines" in html
    assert "| A caption" not in html


# -- 10. generated literal blocks stay out of the author's catalogs -----------------------------


def test_gettext_additional_targets_leave_our_formula_out(tmp_path: Path, project: Project) -> None:
    built = project(
        tmp_path,
        {"index.rst": page(directive(":units: 8", ":input-dim: 3"), "::\n\n   the author's own\n")},
        "gettext",
        extra_conf="gettext_additional_targets = ['literal-block', 'raw']\n",
    )
    pot = (built.outdir / "index.pot").read_text(encoding="utf-8")
    assert "the author's own" in pot  # the setting works on the author's blocks
    assert "P = " not in pot and "index.rst:-1" not in pot


# -- smaller ------------------------------------------------------------------------------------


def test_memory_line_uses_the_separator_and_translates_bytes() -> None:
    assert format_bytes(1000, ".") == "1.000 bytes"
    assert format_bytes(10**15, ".") == "909,5 TiB"
    assert format_bytes(1000, ",", lambda m: {"{count} bytes": "{count} バイト"}.get(m, m)) == (
        "1,000 バイト"
    )


class IndexLike:
    """What numpy's integers look like to Python: an ``__index__`` and nothing else."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def test_integer_like_values_count_and_double_plus_does_not() -> None:
    assert count_params(units=IndexLike(256), input_dim=IndexLike(4096)).total == 4_457_472
    with pytest.raises(OptionError, match="units: '\\+\\+5' is not a whole number"):
        count_params(units="++5", input_dim=3)


def test_role_keeps_a_comma_in_a_number_only_when_it_groups_digits() -> None:
    assert read_role_text("units=8,123") == [("units", "8,123")]
    assert read_role_text("units=8, 123") == [("units", "8"), ("123", "")]
    with pytest.raises(OptionError, match="unknown option '123'"):
        count_params(units="8", input_dim="3", **{"123": ""})


def test_a_bad_role_in_myst_shows_what_the_author_wrote(tmp_path: Path, project: Project) -> None:
    built = project(tmp_path, {"index.md": "# T\n\nA {lstm-params}`units=x, input-dim=3` role.\n"})
    assert len(warnings_of(built)) == 1
    text = re.sub(r"<[^>]+>", "", built.output())
    assert "A {lstm-params}`units=x, input-dim=3` role" in text and ":lstm-params:" not in text


def test_warnings_from_included_files_name_an_absolute_path(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-robust-locations", src)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-q", "-b", "html", "src", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    included = [w for w in done.stderr.splitlines() if "part.txt" in w]
    assert included and all(w.startswith(f"{src}/part.txt:") for w in included), included


def test_a_full_disk_is_one_line_on_the_command_line() -> None:
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "sphinxcontrib_lstmparams", "--units", "8", "--input-dim", "3"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    assert done.returncode == 1
    assert done.stderr == "lstm-params: error: cannot write the output: No space left on device\n"
