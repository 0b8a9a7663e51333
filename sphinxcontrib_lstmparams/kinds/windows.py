"""Sliding windows, as convolutions and pooling slide them over their input: the sizes their
arguments give, the positions they leave, and what each framework refuses (standard library
only).

A window size below 1, or a window longer than its (padded) input, is an error the framework
raises itself when the model is built or run; the words it says are recorded in
``tests/data/refused_models.json`` (``scripts/record_refused_models.py``).
"""

from __future__ import annotations

import re
from typing import Literal

from ..frameworks import refuse, refused_by
from ..options import describe, parse_int
from ..signatures import NotKnown
from ..spec import FrameworkName, NotFollowed

MAX_KERNEL = 1_000
TIMES = "\N{MULTIPLICATION SIGN}"

# what slides: a convolution (ConvLSTM's too), a max or an average pooling
Family = Literal["conv", "max_pool", "avg_pool"]

# The framework's words for a window argument below 1, by (framework, family, argument).
# Keras checks every window argument of a convolution or a pooling when the layer is made
# (_KERAS_BELOW_ONE), except a pooling's strides, which it divides by when building.
_BELOW_ONE: dict[tuple[FrameworkName, Family, str], str] = {
    ("keras", "max_pool", "strides"): "division by zero",
    ("keras", "avg_pool", "strides"): "division by zero",
    ("pytorch", "conv", "kernel_size"): "kernel size should be greater than zero",
    ("pytorch", "conv", "stride"): "non-positive stride is not supported",
    ("pytorch", "conv", "dilation"): "dilation should be greater than zero",
    ("pytorch", "max_pool", "kernel_size"): "kernel_size must be greater than zero",
    ("pytorch", "max_pool", "stride"): "stride must be greater than zero",
    ("pytorch", "max_pool", "dilation"): "dilation must be greater than zero",
    ("pytorch", "avg_pool", "stride"): "stride should not be zero",
}
_KERAS_BELOW_ONE = "do not satisfy `value > 0`"
# ... and for a window longer than its input
_TOO_LONG: dict[tuple[FrameworkName, Family], str] = {
    ("keras", "conv"): "Computed output size would be zero or negative",
    ("keras", "max_pool"): "Computed output size would be zero or negative",
    ("keras", "avg_pool"): "Computed output size would be zero or negative",
    ("pytorch", "conv"): "Kernel size can't be greater than actual input size",
    ("pytorch", "max_pool"): "Invalid computed output size",
    ("pytorch", "avg_pool"): "Output size is too small",
}


def parse_sizes(
    option: str, value: object, rank: int, maximum: int = MAX_KERNEL
) -> tuple[int, ...]:
    """``3``, ``3x3``, ``3×3``, ``(3, 3)`` or ``[3, 3]`` -> (3, 3); one number is every axis."""
    if isinstance(value, tuple | list):
        words: list[object] = list(value)
    elif isinstance(value, str):
        text = value.strip().strip("()[]")
        words = [w for w in re.split(rf"[\s,x{TIMES}*]+", text) if w]
    else:
        words = [value]
    if len(words) == 1:
        words = words * rank
    if len(words) != rank:
        raise refuse(option.replace("_", "-"), f"{describe(value)} is not {rank} sizes")
    return tuple(parse_int(option, word, 1, maximum) for word in words)


def given_sizes(value: object) -> None:
    """Sizes the pasted code gives; one it computes from what cannot be known (data it loads,
    a number too large to be a size) is a problem, said with the reason."""
    for size in value if isinstance(value, tuple | list) else (value,):
        if isinstance(size, NotKnown):
            raise NotFollowed(size.why)


def window_sizes(
    option: str, value: object, rank: int, framework: FrameworkName, family: Family
) -> tuple[int, ...]:
    """A window argument of a layer in a model (``kernel_size``, ``strides``, ``dilation``,
    ``pool_size``), in the framework's own word: a size per axis. What the framework refuses
    (a size below 1; in Keras, a wrong number of sizes) raises its refusal."""
    given_sizes(value)
    sizes = list(value) if isinstance(value, tuple | list) else [value]
    if any(isinstance(n, int) and not isinstance(n, bool) and n < 1 for n in sizes):
        keras = _KERAS_BELOW_ONE if framework == "keras" else None
        says = _BELOW_ONE.get((framework, family, option), keras)
        raise refused_by(framework, f"{option}={describe(value)}: a window size below 1", says)
    if framework == "keras" and isinstance(value, tuple | list) and len(value) not in (1, rank):
        raise refused_by(
            "keras",
            f"{option}={describe(value)}: {len(value)} sizes for {rank} axes",
            f"argument must be a tuple of {rank} integers",
        )
    return parse_sizes(option, value, rank)


def conv_output_size(
    size: int | None, kernel: int, stride: int, dilation: int, padding: str | int
) -> int | None:
    """Positions along one axis after a convolution or a pooling window: Keras' ``valid`` and
    ``same``, or PyTorch's number of zeros added each side (0 when the window does not fit)."""
    if size is None:
        return None
    if padding in ("same", "causal"):
        # Keras' causal (Conv1D) pads d·(k - 1) zeros on the left only: as many positions as
        # same (keras/src/ops/operation_utils.py, compute_conv_output_shape)
        return -(-size // stride)
    pad = 0 if padding == "valid" else int(padding)
    return max(0, (size + 2 * pad - dilation * (kernel - 1) - 1) // stride + 1)


def slid(
    size: int | None,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str | int,
    framework: FrameworkName,
    family: Family,
) -> int | None:
    """:func:`conv_output_size` in a model: a window that leaves no position is refused."""
    out = conv_output_size(size, kernel, stride, dilation, padding)
    if out == 0:
        span = dilation * (kernel - 1) + 1
        padded = (
            f" ({size} + 2 × {padding} with its padding)"
            if padding and isinstance(padding, int)
            else ""
        )
        raise refused_by(
            framework,
            f"a window of {span} positions is longer than its input of {size}{padded}",
            _TOO_LONG[(framework, family)],
        )
    return out


def torch_padding(value: object, rank: int) -> tuple[int, ...]:
    """PyTorch's padding of a pooling or a convolution: zeros added each side, per axis."""
    sizes = tuple(value) if isinstance(value, tuple | list) else (value,) * rank
    if any(isinstance(n, int) and not isinstance(n, bool) and n < 0 for n in sizes):
        raise refused_by(
            "pytorch", f"padding={describe(value)}: below 0", "negative padding is not supported"
        )
    out = tuple(n for n in sizes if isinstance(n, int) and not isinstance(n, bool))
    if len(out) != rank or len(sizes) != rank:
        raise refuse("padding", f"{describe(value)} is not {rank} sizes")
    return out
