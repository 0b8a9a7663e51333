"""Formulas without MathJax: ``sphinx.ext.imgmath`` turns ours into images (docs/offline.rst).

Needs ``latex`` and ``dvipng`` (Debian: texlive-latex-recommended, dvipng; ``.ci/run``
installs them); skips, saying so, without them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CONF = """\
extensions = ["sphinx.ext.imgmath", "sphinxcontrib_lstmparams"]
imgmath_image_format = "png"
"""

PAGE = """\
Offline
=======

.. lstm-params::
   :units: 256
   :input-dim: 4096
   :label: eq-seed

.. lstm-params::
   :framework: pytorch
   :units: 1024
   :input-dim: 4096
   :proj-size: 256
   :layers: 2
"""


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_imgmath_draws_our_multiline_formulas(tmp_path: Path, project: Callable[..., Any]) -> None:
    for tool in ("latex", "dvipng"):
        if shutil.which(tool) is None:
            pytest.skip(f"no {tool}: apt-get install texlive-latex-recommended dvipng")
    built = project(tmp_path, {"index.rst": PAGE}, "html", CONF)
    assert built.warnings == ""
    page = built.output()
    assert "mathjax" not in page.lower() and r"\[" not in page  # nothing left for MathJax
    # each display formula is one image of all its lines, numbered where it has a label
    displays = re.findall(r'<div class="math"[^>]*>\s*<p>(.*?)</p>', page, re.DOTALL)
    assert len(displays) == 2
    assert '<span class="eqno">(1)' in displays[0]
    lines_per_formula = [3, 5]  # the seed: P =, = numbers, = total; the stack: two more
    for display, lines in zip(displays, lines_per_formula, strict=True):
        image = re.search(r'<img src="(_images/math/[0-9a-f]+\.png)" alt="([^"]*)"', display)
        assert image, display
        assert image.group(2).count(r"\\") == lines - 1
        width, height = png_size((built.outdir / image.group(1)).read_bytes())
        # dvipng at 110 dpi and 12 pt: a line of the formula is about 20 px tall
        assert height >= 18 * lines and width > 200, (image.group(1), width, height)
    # the inline symbols of the "where" line are images too
    assert len(re.findall(r'<img class="math" src="_images/math/', page)) >= 5
