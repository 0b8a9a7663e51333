"""``lstm-params.json``: every count of the site, written by the HTML builders, complete after
incremental and parallel builds (byte-identity of whole builds is in test_reproducible.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import count_params

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture
PAGES = Path(__file__).parent / "roots" / "test-robust-pages"

INDEX = """\
Index
=====

.. toctree::

   md
   other

Prose :lstm-params:`units=256, input-dim=4096, expect=4,457,472`.

.. lstm-params:: nn.LSTM(300, 512, num_layers=2)
   :show: answer

.. lstm-params::
   :units: 0
   :input-dim: 3

.. include:: part.txt
"""
PART = """\
.. lstm-params::
   :cell: convlstm2d
   :units: 4
   :input-dim: 3
   :kernel-size: 3x5
"""
MD = """\
# Markdown

:::{lstm-params}
---
cell: gru
units: 8
input-dim: 3
reset-after: false
---
:::
"""
OTHER = "Other\n=====\n\n:lstm-params:`cell=rnn, units=4, input-dim=3`\n"


def counts(outdir: Path) -> list[dict[str, Any]]:
    document = json.loads((outdir / "lstm-params.json").read_text(encoding="utf-8"))
    assert document["format"] == 1 and document["generator"] == "sphinxcontrib-lstmparams"
    found: list[dict[str, Any]] = document["counts"]
    return found


def sphinx(src: Path, out: Path, *options: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-q", "-b", "html", *options, str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def site(tmp_path: Path, project: Project) -> Any:
    pages = {"index.rst": INDEX, "part.txt": PART, "md.md": MD, "other.rst": OTHER}
    return project(tmp_path, pages)


def test_every_count_of_the_site_in_page_order(site: Any) -> None:
    found = counts(site.outdir)
    where = [(c["page"], c["source"], c["line"], c["kind"], c["total"]) for c in found]
    assert where == [
        ("index", "index.rst", 9, "role", 4_457_472),
        ("index", "index.rst", 11, "directive", count_params("nn.LSTM(300, 512, 2)").total),
        # the failed directive (units 0, line 14) has no count; the included one has its file
        ("index", "part.txt", 1, "directive", 1696),
        ("md", "md.md", 3, "directive", 3 * 8 * (3 + 8 + 1)),
        ("other", "other.rst", 4, "role", 32),
    ]
    role, ctor, _conv, gru, _rnn = found
    assert role["expect"] == 4_457_472 and ctor["expect"] is None
    assert role["written"] == {"layer": None, "options": [["units", "256"], ["input-dim", "4096"]]}
    assert ctor["written"] == {"layer": "nn.LSTM(300, 512, num_layers=2)", "options": []}
    assert ctor["options"]["framework"] == "pytorch" and ctor["options"]["layers"] == 2
    assert gru["options"]["reset_after"] is False
    assert gru["written"]["options"][-1] == ["reset-after", "false"]
    assert found[2]["options"]["kernel_size"] == [3, 5]


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml"])
def test_every_html_builder_writes_it(tmp_path: Path, project: Project, builder: str) -> None:
    built = project(tmp_path, {"index.rst": INDEX, "part.txt": PART, "md.md": MD}, builder)
    assert len(counts(built.outdir)) == 4


@pytest.mark.parametrize("builder", ["text", "latex", "epub"])
def test_other_builders_do_not(tmp_path: Path, project: Project, builder: str) -> None:
    built = project(tmp_path, {"index.rst": OTHER}, builder)
    assert not (built.outdir / "lstm-params.json").exists()


def test_a_site_without_counts_has_an_empty_record(tmp_path: Path, project: Project) -> None:
    built = project(tmp_path, {"index.rst": "Nothing\n=======\n\nto count.\n"})
    assert counts(built.outdir) == []
    assert built.output("lstm-params.json") == (
        '{"format": 1, "generator": "sphinxcontrib-lstmparams", "counts": []}\n'
    )


def test_an_incremental_build_keeps_the_pages_it_did_not_read(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(PAGES, src)
    sphinx(src, out)
    before = counts(out)
    assert {c["page"] for c in before} == {
        "flax",
        "keras",
        "merge",
        "onnx",
        "pytorch",
        "simple",
        "tf1",
    }

    keras = src / "keras.rst"
    keras.write_text(keras.read_text(encoding="utf-8").replace(":units: ", ":units: 1"), "utf-8")
    (src / "onnx.md").unlink()
    index = src / "index.rst"
    index.write_text(index.read_text(encoding="utf-8").replace("   onnx\n", ""), "utf-8")
    sphinx(src, out)
    after = counts(out)
    assert [c for c in after if c["page"] not in ("keras", "onnx")] == [
        c for c in before if c["page"] not in ("keras", "onnx")
    ]
    assert not [c for c in after if c["page"] == "onnx"]
    old = [c["options"]["units"] for c in before if c["page"] == "keras"]
    new = [c["options"]["units"] for c in after if c["page"] == "keras"]
    assert len(new) == len(old) and new != old


def test_a_parallel_build_records_what_every_worker_read(tmp_path: Path) -> None:
    sphinx(PAGES, tmp_path / "serial")
    sphinx(PAGES, tmp_path / "parallel", "-j", "2")
    serial = (tmp_path / "serial" / "lstm-params.json").read_bytes()
    assert (tmp_path / "parallel" / "lstm-params.json").read_bytes() == serial
    # every page but the index, which counts nothing
    assert len({c["page"] for c in counts(tmp_path / "parallel")}) == 7
