"""Builds are reproducible: clean builds, a ``-j 2`` build and an incremental build all agree.

The project (tests/roots/test-robust-pages) has eight pages, reST and MyST, each with a named
table, a labelled formula, a role and cross-references to the next page, so numbering and
references cross page boundaries. Sphinx is run as ``python -m sphinx``, as users run it.

The only file that differs between two identical builds is Sphinx's own
``.doctrees/environment.pickle``, which records when each page was read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent / "roots" / "test-robust-pages"
NOT_REPRODUCIBLE = {Path(".doctrees", "environment.pickle")}  # Sphinx's read times


def sphinx(src: Path, out: Path, builder: str, *options: str) -> str:
    """Run a build; its status output. Any warning fails the build (-W)."""
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-W", "-b", builder, *options, str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout


def files(out: Path) -> dict[Path, bytes]:
    found = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return {path: data for path, data in found.items() if path not in NOT_REPRODUCIBLE}


def assert_same_files(first: Path, second: Path) -> None:
    one, two = files(first), files(second)
    assert sorted(one) == sorted(two)
    assert [path for path in sorted(one) if one[path] != two[path]] == []


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("pages") / "src"
    shutil.copytree(ROOT, copy)
    return copy


@pytest.mark.parametrize("builder", ["html", "text"])
def test_two_clean_builds_are_byte_identical(src: Path, tmp_path: Path, builder: str) -> None:
    sphinx(src, tmp_path / "one", builder)
    sphinx(src, tmp_path / "two", builder)
    assert len(files(tmp_path / "one")) > 8
    assert_same_files(tmp_path / "one", tmp_path / "two")


@pytest.mark.parametrize("builder", ["html", "text"])
def test_parallel_build_equals_serial(src: Path, tmp_path: Path, builder: str) -> None:
    sphinx(src, tmp_path / "serial", builder)
    status = sphinx(src, tmp_path / "parallel", builder, "-j", "2")
    # chunks of pages ("flax .. merge") show the pages really went to two processes
    assert re.search(r"reading sources\.\.\. \[[ \d]+%\] \S+ \.\. \S+", status), status
    assert_same_files(tmp_path / "serial", tmp_path / "parallel")


def read_and_written(status: str) -> tuple[list[str], list[str]]:
    """Docnames in "reading sources... [ 50%] tf1" and "writing output... [100%] tf1" lines."""
    # with CI set, Sphinx draws progress with erase-line codes and carriage returns
    status = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", status).replace("\r", "\n")
    read = re.findall(r"^reading sources\.\.\. \[[ \d]+%\] (\S+)$", status, re.MULTILINE)
    written = re.findall(r"^writing output\.\.\. \[[ \d]+%\] (\S+)$", status, re.MULTILINE)
    return read, written


def test_incremental_build_rereads_only_the_touched_page(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sphinx(src, out, "html")

    again = sphinx(src, out, "html")
    assert "0 added, 0 changed, 0 removed" in again  # the pickled environment is reused
    assert read_and_written(again) == ([], [])

    os.utime(src / "tf1.rst")
    status = sphinx(src, out, "html")
    assert "0 added, 1 changed, 0 removed" in status
    read, written = read_and_written(status)
    assert read == ["tf1"]
    # Sphinx itself also rewrites the page whose toctree lists the changed one (index), with
    # or without this extension; the pages that cross-reference tf1's table are not rewritten
    assert sorted(written) == ["index", "tf1"]

    sphinx(src, tmp_path / "clean", "html")
    assert_same_files(tmp_path / "clean", out)
