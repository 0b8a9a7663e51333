"""``:expect:`` on the directive and ``expect=`` in the role: a stated total that disagrees with
the count is one warning at its line (``lstmparams.expect``); one that agrees changes nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import OptionError
from sphinxcontrib_lstmparams.expect import mismatch, parse_expect, split_expect
from sphinxcontrib_lstmparams.options import read_role_text

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture

SEED = 4_457_472  # Keras LSTM(256) on 4,096 features
TYPE = r"(?: \[lstmparams\.expect\])?$"  # Sphinx 7 prints no [type.subtype] suffix


def warnings_of(built: Any) -> list[str]:
    return [line for line in built.warnings.splitlines() if "WARNING" in line]


def rst_directive(expect: str, *more: str) -> str:
    lines = [".. lstm-params::", "   :units: 256", "   :input-dim: 4096", *more]
    return "\n".join([*lines, f"   :expect: {expect}", "", ""])


def myst_directive(expect: str) -> str:
    return f"```{{lstm-params}}\n:units: 256\n:input-dim: 4096\n:expect: {expect}\n```\n\n"


# -- the words ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["4457472", "4,457,472", "4_457_472", " +4457472 "])
def test_expect_reads_the_spellings_of_a_count(written: str) -> None:
    assert parse_expect(written) == SEED


@pytest.mark.parametrize("written", ["", "lots", "4.457.472", "4 457 472", "-1", "4,45,7472"])
def test_a_malformed_expect_is_an_option_error(written: str) -> None:
    with pytest.raises(OptionError, match=r"^expect: .* is not a whole number") as caught:
        parse_expect(written)
    assert caught.value.option == "expect"


def test_a_huge_expect_is_refused_unread() -> None:
    with pytest.raises(OptionError, match=r"^expect: '9{40}'\.\.\. \(5,000 characters\) is not"):
        parse_expect("9" * 5000)


def test_the_mismatch_names_both_numbers_and_the_difference() -> None:
    assert mismatch(SEED, SEED) is None
    assert mismatch(SEED + 1024, SEED) == (
        ":expect: 4,458,496 does not match the count, 4,457,472 (1,024 fewer)"
    )
    assert mismatch(1, 32, "expect=") == "expect=1 does not match the count, 32 (31 more)"


def test_role_text_gives_expect_apart_from_the_layer() -> None:
    pairs = read_role_text("units=256, expect=4,457,472, input-dim=4096")
    assert split_expect(pairs) == ([("units", "256"), ("input-dim", "4096")], SEED)
    assert split_expect([("units", "8")]) == ([("units", "8")], None)
    with pytest.raises(OptionError, match="expect: given twice"):
        split_expect([("expect", "1"), ("Expect", "1")])


# -- through a build ----------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["4457472", "4,457,472", "4_457_472"])
def test_a_matching_expect_renders_nothing_extra(
    tmp_path: Path, project: Project, written: str
) -> None:
    plain = ".. lstm-params::\n   :units: 256\n   :input-dim: 4096\n\n"
    role = ":lstm-params:`units=256, input-dim=4096`"
    checked = rst_directive(written)
    checked_role = f":lstm-params:`units=256, input-dim=4096, expect={written}`"
    one = project(tmp_path / "plain", {"index.rst": f"T\n=\n\n{plain}A {role}.\n"})
    two = project(tmp_path / "checked", {"index.rst": f"T\n=\n\n{checked}A {checked_role}.\n"})
    assert one.warnings == two.warnings == ""
    body = re.compile(r'<div class="body" role="main">.*</div>', re.DOTALL)
    rendered = body.search(two.output())
    assert rendered and "expect" not in rendered[0]
    assert rendered[0] == body.search(one.output())[0]  # type: ignore[index]


@pytest.mark.parametrize("suffix", [".rst", ".md"])
def test_a_mismatch_is_one_warning_at_the_option_line(
    tmp_path: Path, project: Project, suffix: str
) -> None:
    if suffix == ".rst":
        text = "T\n=\n\nProse.\n\n" + rst_directive("4,458,496", "   :caption: The encoder")
        expect_line = 10
    else:
        text = "# T\n\nProse.\n\n" + myst_directive("4,458,496")
        expect_line = 8
    built = project(tmp_path, {f"index{suffix}": text})
    found = warnings_of(built)
    assert len(found) == 1, found
    assert re.search(
        rf"index{re.escape(suffix)}:{expect_line}: WARNING: lstm-params: :expect: 4,458,496 does "
        rf"not match the count, 4,457,472 \(1,024 fewer\){TYPE}",
        found[0],
    ), found
    # the page still shows the count, which is the truth
    assert "<strong>4,457,472</strong>" in built.output()


@pytest.mark.parametrize("suffix", [".rst", ".md"])
def test_a_role_mismatch_is_one_warning_at_the_role(
    tmp_path: Path, project: Project, suffix: str
) -> None:
    role = "{lstm-params}" if suffix == ".md" else ":lstm-params:"
    heading = "# T\n\n" if suffix == ".md" else "T\n=\n\n"
    text = f"{heading}Fine: {role}`cell=rnn, units=4, input-dim=3, expect=32`.\n\n"
    text += f"Stale: {role}`cell=rnn, units=4, input-dim=3, expect=28`.\n"
    built = project(tmp_path, {f"index{suffix}": text})
    found = warnings_of(built)
    assert len(found) == 1, found
    line = 5 if suffix == ".md" else 6
    assert re.search(
        rf"index{re.escape(suffix)}:{line}: WARNING: lstm-params role: expect=28 does not match "
        rf"the count, 32 \(4 more\){TYPE}",
        found[0],
    ), found
    assert built.output().count('<span class="lstm-params">32</span>') == 2


def test_a_malformed_expect_is_an_option_warning(tmp_path: Path, project: Project) -> None:
    text = "T\n=\n\n" + rst_directive("about four million")
    text += ":lstm-params:`units=256, input-dim=4096, expect=many`\n"
    built = project(tmp_path, {"index.rst": text})
    found = warnings_of(built)
    assert len(found) == 2, found
    assert (
        "index.rst:7: WARNING: lstm-params: expect: 'about four million' is not a whole"
        in (found[0])
    )
    assert "lstm-params role: expect: 'many' is not a whole number" in found[1]
    assert "lstmparams.expect" not in built.warnings


def test_a_repeated_expect_is_an_option_warning(tmp_path: Path, project: Project) -> None:
    text = "T\n=\n\n" + rst_directive("1", f"   :expect: {SEED}")
    built = project(tmp_path, {"index.rst": text})
    [found] = warnings_of(built)
    assert "index.rst:8: WARNING: lstm-params: expect: given twice" in found


def test_suppress_warnings_silences_expect_only(tmp_path: Path, project: Project) -> None:
    text = "T\n=\n\n" + rst_directive("1") + rst_directive("x")
    text += ":lstm-params:`units=256, input-dim=4096, expect=2`\n"
    built = project(
        tmp_path, {"index.rst": text}, extra_conf='suppress_warnings = ["lstmparams.expect"]\n'
    )
    found = warnings_of(built)
    assert len(found) == 1 and "expect: 'x' is not a whole number" in found[0], found


def test_w_fails_the_build_on_a_stale_expect(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinxcontrib_lstmparams"]\n')
    (source / "index.rst").write_text("T\n=\n\n" + rst_directive("4,457,000"))
    command = [sys.executable, "-m", "sphinx", "-N", "-W", "-q", "-b", "html"]
    done = subprocess.run(
        [*command, str(source), str(tmp_path / "out")], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0  # 1 from Sphinx 8 on, 2 (a warning raised) before
    assert ":expect: 4,457,000 does not match the count, 4,457,472 (472 more)" in done.stderr
    (source / "index.rst").write_text("T\n=\n\n" + rst_directive("4,457,472"))
    done = subprocess.run(
        [*command, str(source), str(tmp_path / "out")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stderr == ""


# A directive of someone else's that counts its own way, calling the shared check (as the
# model summary does): the same warning, at the line it names.
OTHER_DIRECTIVE = """
from docutils.parsers.rst import Directive, directives
from sphinxcontrib_lstmparams.expect import parse_expect
from sphinxcontrib_lstmparams.sphinxext.checks import check_expected

class Total(Directive):
    option_spec = {"expect": directives.unchanged}
    has_content = True

    def run(self):
        total = sum(int(line) for line in self.content if line.strip())
        source, line = self.state_machine.get_source_and_line(self.lineno)
        check_expected(parse_expect(self.options["expect"]), total, f"{source}:{line}", "total")
        return []

def setup(app):
    app.add_directive("total", Total)
"""


def test_the_check_serves_other_directives(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = "lstmparams_test_total_directive"
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / f"{module}.py").write_text(OTHER_DIRECTIVE, encoding="utf-8")
    monkeypatch.syspath_prepend(tmp_path / "code")
    monkeypatch.delitem(sys.modules, module, raising=False)
    text = "T\n=\n\n.. total::\n   :expect: 1,200\n\n   1000\n   248\n"
    conf = f'extensions = ["sphinxcontrib_lstmparams", "{module}"]\n'
    built = project(tmp_path / "src", {"index.rst": text}, conf=conf)
    [found] = warnings_of(built)
    assert re.search(
        rf"index.rst:4: WARNING: total: :expect: 1,200 does not match the count, 1,248 "
        rf"\(48 more\){TYPE}",
        found,
    ), found
