"""Shared fixtures: Sphinx's own ``sphinx.testing`` plugin with our test roots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
# Keep the documented flat test layout importable under --import-mode=importlib.
collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


@pytest.fixture(scope="session")
def framework_counts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TESTS / "data" / "framework_counts.json").read_text())
    return data


@pytest.fixture(scope="session")
def gate_orders() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TESTS / "data" / "gate_orders.json").read_text())
    return data
