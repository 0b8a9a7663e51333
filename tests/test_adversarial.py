"""What a hand-made hostile run broke, each through a real build: huge values, bad config
values, separators in LaTeX, odd labels, markup errors and roles in captions, texinfo anchors,
MyST option blocks as YAML, literal blocks in catalogs, and the smaller rough edges."""

from __future__ import annotations

import json
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


# -- issue 23: what a hostile run of the model readers broke ------------------------------------

UNHASHABLE = [
    ("keras.Input(shape={[1]: 2})", "layers.Dense(1)"),
    ("nn.Embedding.from_pretrained(torch.zeros({[1]: 2}, 3))", "nn.Linear(3, 1)"),
]
HEX = "0x" + "f" * 400  # a size of 482 digits
# sizes multiplied past 4,300 digits, which Python refuses to print
GROWING = ("layers.RepeatVector(1000000000000)", "layers.Flatten()") * 10


def model_rst(*bodies: tuple[str, ...]) -> str:
    blocks = ["".join(f"   {line}\n" for line in body) for body in bodies]
    return page(*(f".. model-summary::\n\n{block}\nAfter.\n" for block in blocks))


def model_md(*bodies: tuple[str, ...]) -> str:
    return "---\norphan: true\n---\n# T\n\n" + "".join(
        "```{model-summary}\n" + "".join(f"{line}\n" for line in body) + "```\n\nAfter.\n\n"
        for body in bodies
    )


def test_literals_and_sizes_of_any_kind_are_one_located_warning_each(
    tmp_path: Path, project: Project
) -> None:
    """{[1]: 2} is a TypeError to ast.literal_eval; huge and negative sizes, one warning."""
    bodies = [
        *UNHASHABLE,
        ("keras.Input(shape=(3,))", f"layers.RepeatVector({HEX})", "layers.Flatten()"),
        ("keras.Input(shape=(3,))", *GROWING),
        ("keras.Input(shape=(3,))", "layers.RepeatVector(-3)"),
        ("keras.Input(shape=(10,))", f"layers.Reshape(({HEX}, -1))"),
        ("nn.Linear(4, 4)", f"x.view({HEX}, -1)", "nn.ReLU()"),
        (":input-shape: {[1]: 2}", "", "layers.Dense(1)"),
    ]
    built = project(tmp_path, {"index.rst": model_rst(*bodies), "other.md": model_md(*bodies)})
    assert "Traceback" not in built.warnings
    for name, lines in [
        ("index.rst", [6, 13, 21, 46, 55, 62, 69, 76]),
        ("other.md", [7, 14, 22, 47, 56, 63, 70, 77]),
    ]:
        found = [w for w in warnings_of(built) if f"/{name}:" in w]
        assert [int(re.findall(rf"{name}:(\d+)", w)[0]) for w in found] == lines, found
        assert "has a key that cannot be one" in found[0]
        assert "Embedding is not counted: nn.Embedding.from_pretrained" in found[1]
        assert "repeat_vector is not counted" in found[2] and "too large to be a size" in found[2]
        assert "flatten_8 is not counted" in found[3] and "than we follow" in found[3]
        assert 'Keras refuses it: "Argument `n` should be a positive integer"' in found[4]
        assert "reshape is not counted" in found[5] and "the most we follow" in found[6]
        assert "input-shape: '{[1]: 2}' is not a shape" in found[7]
    assert built.output().count("After.") == len(bodies)


def run_model_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", "--model", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_line_says_what_is_wrong_with_a_model_in_one_line(tmp_path: Path) -> None:
    done = run_model_cli("-", stdin="\n".join(UNHASHABLE[0]))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "-, line 1: Input(shape=...): `{[1]: 2}` has a key that cannot be one" in done.stderr
    bom = tmp_path / "model.py"  # as a Windows editor saves it
    bom.write_bytes("layers.LSTM(3, input_shape=(5, 4))\n".encode("utf-8-sig"))
    done = run_model_cli(str(bom))
    assert done.returncode == 0 and "Total params: 96 (384.00 B)" in done.stdout, done.stderr
    piped = run_model_cli("-", stdin="\ufefflayers.LSTM(3, input_shape=(5, 4))\n")
    assert piped.returncode == 0 and "Total params: 96" in piped.stdout
    named = run_model_cli(str(bom), "--model-name", "a\x1b[2Jb")
    assert named.returncode == 2 and "\x1b" not in named.stderr + named.stdout
    assert "--model-name: 'a\\x1b[2Jb' holds the control character U+001B" in named.stderr
    most = "\n".join(["layers.Dense(2)"] * 1_000)
    assert run_model_cli("-", "--input-shape", "3", stdin=most).returncode == 0
    over = run_model_cli("-", "--input-shape", "3", stdin=most + "\nlayers.Dense(2)")
    assert over.returncode == 2
    assert (
        over.stderr
        == "lstm-params: error: -, line 1001: more than 1,000 layers: a summary lists fewer\n"
    )


def test_a_page_warns_at_the_first_layer_past_the_limit(tmp_path: Path, project: Project) -> None:
    body = ":model-name: fine\n\n" + "".join("   layers.Dense(2)\n" for _ in range(1_001))
    text = page(".. model-summary::\n   :input-shape: 3\n   " + body + "\nAfter.\n")
    built = project(tmp_path, {"index.rst": text})
    (warning,) = warnings_of(built)
    assert "index.rst:1008: WARNING: model-summary: more than 1,000 layers" in warning


@pytest.mark.parametrize("kind", ["--directive", "--role"])
def test_deeply_nested_json_gets_one_error_answer_from_the_plugin(kind: str) -> None:
    nested = b'{"name": "lstm-params", "body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams.myst", kind, "lstm-params"],
        input=nested,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    box, carrier = json.loads(done.stdout)
    message = "lstm-params: the call mystmd sent is nested too deeply to read"
    assert box["type"] == "admonition" and carrier["children"][0]["name"] == message


@pytest.mark.parametrize("body", UNHASHABLE)
def test_the_plugin_answers_an_unhashable_literal_with_the_warning(body: tuple[str, str]) -> None:
    value = "\n".join(body)
    fence = {"start": {"line": 3, "column": 1}, "end": {"line": 6, "column": 1}}
    at = {"start": {"line": 4, "column": 1}, "end": {"line": 5, "column": 1}}
    node = {"type": "mystDirective", "name": "model-summary", "value": value, "position": fence}
    node["children"] = [{"type": "mystDirectiveBody", "value": value, "position": at}]
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams.myst", "--directive", "model-summary"],
        input=json.dumps({"name": "model-summary", "node": node}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "internal error" not in done.stdout, done.stderr
    carriers = [n for n in json.loads(done.stdout) if n["type"] == "mystRole"]
    (carrier,) = carriers
    message = carrier["children"][0]["name"]
    assert "has a key that cannot be one" in message or "from_pretrained" in message


def test_a_number_of_50_digits_in_a_constructor_is_one_warning(
    tmp_path: Path, project: Project
) -> None:
    """A literal too large to be a size: the constructor reader said so with a name it had not
    set (UnboundLocalError), which stopped the build."""
    built = project(tmp_path, {"index.rst": page(f".. lstm-params:: nn.LSTM({'9' * 50}, 3)\n")})
    (warning,) = warnings_of(built)
    assert "index.rst:4: WARNING: lstm-params: a number of more than 40 digits" in warning
