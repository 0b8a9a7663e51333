"""Options every layer kind reads the same way: framework, timesteps, dtype."""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from ..frameworks import FRAMEWORK_NAMES
from ..options import parse_int, parse_literal
from ..spec import DType, FrameworkName

DTYPES: tuple[DType, ...] = get_args(DType)


def read_framework(raw: Mapping[str, object], default: str) -> FrameworkName:
    value = raw.get("framework")
    return parse_literal("framework", default if value is None else value, FRAMEWORK_NAMES)


def read_timesteps(raw: Mapping[str, object]) -> int | None:
    value = raw.get("timesteps")
    return None if value is None else parse_int("timesteps", value, 1)


def read_dtype(raw: Mapping[str, object]) -> DType:
    return parse_literal("dtype", raw.get("dtype", "float32"), DTYPES)


def common_help() -> dict[str, str]:
    """Help lines of the options every kind reads the same way."""
    return {
        "framework": f"whose layout and biases: {', '.join(FRAMEWORK_NAMES)} (default: keras)",
        "timesteps": "sequence length; shown, and scales the multiply-accumulates, never the count",
        "dtype": f"bytes per parameter for the memory line: {', '.join(DTYPES)} (default: float32)",
    }
