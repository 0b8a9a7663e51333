"""The wheel ships what users need; the counting core never imports Sphinx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import sphinxcontrib_lstmparams

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    flit = pytest.importorskip("flit_core.buildapi")
    out = tmp_path_factory.mktemp("wheel")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        name = flit.build_wheel(str(out))
    finally:
        os.chdir(cwd)
    return zipfile.ZipFile(out / name)


def test_wheel_ships_catalogs_types_and_the_command(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "sphinxcontrib_lstmparams/locale/ja/LC_MESSAGES/sphinxcontrib_lstmparams.mo" in names
    assert "sphinxcontrib_lstmparams/py.typed" in names
    assert "sphinxcontrib_lstmparams/sphinxext/latex/sphinxlstmparams.sty" in names
    info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = wheel.read(info).decode()
    assert "lstm-params=sphinxcontrib_lstmparams.cli:main" in entry_points
    assert "lstm-params-myst=sphinxcontrib_lstmparams.myst:main" in entry_points  # for mystmd


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    meta = wheel.read(meta_name).decode()
    assert f"Version: {sphinxcontrib_lstmparams.__version__}" in meta
    runtime = [
        line
        for line in meta.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    # PyYAML reads MyST option blocks (MyST itself depends on it)
    assert runtime == [
        "Requires-Dist: sphinx>=7.4",
        "Requires-Dist: docutils>=0.20",
        "Requires-Dist: pyyaml>=5.1",
    ]
    assert "Requires-Python: >=3.10" in meta


def test_core_and_command_line_do_not_import_sphinx_or_docutils() -> None:
    code = (
        "import sys\n"
        "from sphinxcontrib_lstmparams import count_params, formula, cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_mystmd_plugin_imports_neither_sphinx_nor_docutils() -> None:
    """mystmd starts the plugin once per directive: it stays light, whatever it draws."""
    call = {
        "name": "lstm-params",
        "options": {},
        "node": {
            "type": "mystDirective",
            "position": {"start": {"line": 1, "column": 1}},
            "children": [
                {"type": "mystOption", "name": "units", "location": "colon", "value": "8"},
                {"type": "mystOption", "name": "input-dim", "location": "colon", "value": "3"},
                {"type": "mystOption", "name": "show", "location": "colon", "value": "all"},
            ],
        },
    }
    code = (
        "import io, json, sys\n"
        "from sphinxcontrib_lstmparams.myst import main\n"
        f"sys.stdin = io.TextIOWrapper(io.BytesIO({json.dumps(call).encode()!r}))\n"
        "main(['--directive', 'lstm-params'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    assert b"lstm-params-storage" in done.stdout and b"svg+xml" in done.stdout  # all parts


def test_render_imports_docutils_but_not_sphinx() -> None:
    code = (
        "import sys\n"
        "import sphinxcontrib_lstmparams.render\n"
        "assert 'docutils.nodes' in sys.modules\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sphinx')\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ci_runs_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python -m pip install")]
    assert len(commands) == 2, commands
    for command in commands:
        assert command in ci
