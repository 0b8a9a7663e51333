"""The support matrix: each Python from 3.10 to 3.13 with Sphinx 7.4, 8.x and the newest 9.x
it can install, each with the docutils pip resolves for that Sphinx.

    nox -l                                        # the sessions
    nox -s "tests(python='3.13', sphinx='9')"      # one corner
    nox -s tests -- -k fuzz                       # arguments after -- go to pytest
    HYPOTHESIS_PROFILE=thorough nox -s tests      # the 5,000-example fuzz everywhere

Each session is a fresh virtual environment with the project installed the README's way
(``pip install -e ".[test]"``), in the same pip call as the pinned Sphinx so the resolver
keeps to both. The oldest Sphinx also gets the oldest docutils we declare (0.20).
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True

# pyenv's interpreters, when pyenv keeps them (its shims only offer the global ones)
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"), "versions")
if PYENV.is_dir():
    os.environ["PATH"] = os.pathsep.join(
        [*(str(p / "bin") for p in sorted(PYENV.iterdir())), os.environ.get("PATH", "")]
    )

# Sphinx series -> what pip installs for it
SPHINX = {
    "7.4": ["sphinx~=7.4.0", "docutils~=0.20.0"],  # our floors: Sphinx 7.4, docutils 0.20
    "8.1": ["sphinx~=8.1.0"],  # the last 8.x for Python 3.10
    "8.2": ["sphinx~=8.2.0"],  # needs Python >= 3.11
    "9": ["sphinx>=9,<10"],  # 9.0 needs 3.11, 9.1 3.12; pip picks the newest that fits
}
MATRIX = {
    "3.10": ["7.4", "8.1"],
    "3.11": ["7.4", "8.2", "9"],
    "3.12": ["7.4", "8.2", "9"],
    "3.13": ["7.4", "8.2", "9"],
}


@nox.session
@nox.parametrize(
    "python,sphinx",
    [(python, series) for python, serieses in MATRIX.items() for series in serieses],
)
def tests(session: nox.Session, sphinx: str) -> None:
    """The test suite on one Python with one Sphinx series."""
    session.install("-e", ".[test]", *SPHINX[sphinx])
    session.run(
        "python", "-c", "import sphinx, docutils; print(sphinx.__version__, docutils.__version__)"
    )
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
