"""Check (a), the sizes: each size printed agrees with its count, in the printing tool's own
units (standard library only).

* Keras 3 and tf.keras 2.13+: ``Total params: 2,757,761 (10.52 MB)``: the count times the
  bytes of its dtype, in steps of 1,024 (``keras3.size_text``, ``keras2.size_text``). The
  dtype is not printed: a size is right when some dtype gives it. The trainable weights have
  one dtype in practice; the others may mix several (a quantized layer's int8 kernel and
  float32 scale, an optimizer's int64 step counter), so there a size between the smallest
  and the largest dtype's is accepted, and the total must still be the sum of the parts.
* torchinfo: ``Params size (MB)`` is the bytes of every module that holds no other, in MB
  of 10^6 bytes (model_statistics.py); ``Estimated Total Size (MB)`` the sum of the three
  sizes above it, each rounded to two decimals on its own.
* torchsummary: ``Params size (MB)`` is the total times 4 bytes, in MB of 1,024 x 1,024
  bytes (torchsummary.py); the estimated total as in torchinfo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..spec import DTYPE_BYTES
from .keras2 import size_text as keras2_size
from .keras3 import size_text as keras3_size
from .summary import CountLine, PrintedSummary, Problem, SizeLine
from .torchsummary import BYTES_PER_MB, BYTES_PER_PARAM

# Bytes per parameter of the dtypes a weight can have: the package's dtypes, and Keras 3's
# int4 (quantized kernels), half a byte.
DTYPE_SIZES: tuple[float, ...] = (4, *sorted(set(DTYPE_BYTES.values()) - {4}), 0.5)
KERAS_UNITS = {"B": 1, "Byte": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
# torchinfo's MB: 10^6 bytes; its releases up to 1.5 (and torch-summary) divided by 1,024^2
TORCHINFO_MB = (10**6, 1024**2)
_KERAS_SIZE = re.compile(r"(?P<value>\d+\.\d\d) (?P<unit>[A-Za-z]+)")
# a sum of numbers each printed to two decimals is off by up to half a hundredth per number
_ROUNDING = 0.005


def check_sizes(summary: PrintedSummary) -> list[Problem]:
    if summary.tool == "keras3":
        return _keras(summary, keras3_size)
    if summary.tool == "keras2":
        return _keras(summary, keras2_size)
    if summary.tool == "torchinfo":
        exact, ceiling = _torchinfo_params(summary)
        return _megabytes(summary, exact, TORCHINFO_MB, ceiling)
    total = summary.count("Total params")
    counted = [] if total is None else [float(total.count * BYTES_PER_PARAM)]
    return _megabytes(summary, counted, (BYTES_PER_MB,))


def _parse(size: str) -> tuple[float, float] | None:
    """``10.52 MB`` -> its bytes, and how far off the rounding may leave them."""
    match = _KERAS_SIZE.fullmatch(size.strip())
    if not match or match["unit"] not in KERAS_UNITS:
        return None
    scale = KERAS_UNITS[match["unit"]]
    return float(match["value"]) * scale, _ROUNDING * scale


def _keras(summary: PrintedSummary, size_text: Callable[[float], str]) -> list[Problem]:
    lines = [line for line in summary.counts.values() if line.size is not None]
    name = f"printed {summary.title} summary"
    problems: list[Problem] = []
    exact: dict[str, bool] = {}
    for line in lines:
        assert line.size is not None  # for mypy
        sizes = {size_text(line.count * size): size for size in DTYPE_SIZES}
        exact[line.label] = line.size in sizes
        parsed = _parse(line.size)
        if exact[line.label]:
            continue
        mixed = line.label != "Trainable params" and line.count > 0 and parsed is not None
        if mixed and parsed is not None:
            low, high = line.count * min(DTYPE_SIZES), line.count * max(DTYPE_SIZES)
            if low - parsed[1] <= parsed[0] <= high + parsed[1]:
                continue  # several dtypes
        problems.append(Problem(line.line, f"{name}: {_keras_words(line, size_text)}"))
    total = summary.count("Total params")
    parts = [line for line in lines if line is not total]
    if total is None or total.size is None or not parts or problems:
        return problems
    return _keras_sum(summary, total, parts, exact, size_text)


def _keras_words(line: CountLine, size_text: Callable[[float], str]) -> str:
    float32 = size_text(line.count * 4)
    return (
        f"{line.label}: {line.count_text} is {float32} as float32 (4 bytes each, 1,024 bytes "
        f"to the KB), or another dtype's multiple of it, not {line.size}"
    )


def _keras_sum(
    summary: PrintedSummary,
    total: CountLine,
    parts: list[CountLine],
    exact: dict[str, bool],
    size_text: Callable[[float], str],
) -> list[Problem]:
    """The total's size is the sum of the parts' sizes (each rounded on its own)."""
    parsed = [_parse(line.size or "") for line in [total, *parts]]
    if None in parsed:
        return []
    (total_bytes, total_slack), *rest = [p for p in parsed if p is not None]
    added = sum(bytes_ for bytes_, _slack in rest)
    slack = total_slack + sum(s for _b, s in rest)
    if abs(total_bytes - added) <= slack:
        return []
    words = " + ".join(f"{line.size} ({line.label})" for line in parts)
    blamed = (
        total
        if not exact[total.label] or all(exact[p.label] for p in parts)
        else next(p for p in parts if not exact[p.label])
    )
    return [
        Problem(
            blamed.line,
            f"printed {summary.title} summary: Total params' size {total.size} is not "
            f"{words}, about {size_text(added)}",
        )
    ]


def _torchinfo_params(summary: PrintedSummary) -> tuple[list[float], float | None]:
    """The bytes torchinfo counted, at any dtype: those of the modules that hold no other.
    That is the total when no container holds parameters itself (the model's row and every
    row with rows under it show ``--``) and no module is met twice; else it cannot be told
    from the page (a module's own parameters, one shared, a ParameterList are counted in
    the total but not always in the size), and the size is only held below the total at
    the largest dtype."""
    total = summary.count("Total params")
    if total is None:
        return [], None
    plain = all(
        row.counted and (row.params == 0 or (row.depth > 0 and not row.has_children))
        for row in summary.rows
        if row.depth == 0 or row.has_children or not row.counted
    )
    if plain and not summary.elided:
        return [total.count * size for size in DTYPE_SIZES], None
    return [], total.count * max(DTYPE_SIZES)


def _megabytes(
    summary: PrintedSummary,
    params: Sequence[float],
    bases: Sequence[int],
    ceiling: float | None = None,
) -> list[Problem]:
    """``Params size (MB)`` is one of ``params`` (bytes) in one of the ``bases``, or at most
    ``ceiling`` bytes where it cannot be told exactly."""
    name = f"printed {summary.title} summary"
    problems: list[Problem] = []
    size = summary.sizes.get("Params size (MB)")
    if ceiling is not None and size is not None:
        fits = size.value <= ceiling / min(bases) + _ROUNDING
        if not fits:
            message = (
                f"{name}: Params size (MB) is {size.text}, more than "
                f"{ceiling / min(bases):0.2f} MB, the most its parameters can take"
            )
            return [Problem(size.line, message), *_estimated_total(summary, name)]
        return _estimated_total(summary, name)
    fits = size is None or any(
        abs(bytes_ / per_mb - size.value) <= _ROUNDING + 1e-9
        for bytes_ in params
        for per_mb in bases
    )
    if size is not None and params and not fits:
        per_mb = bases[0]
        unit = "10^6" if per_mb == 10**6 else "1,024 x 1,024"
        total = summary.count("Total params")
        count = total.count_text if total else "the total"
        float32 = (total.count if total else 0) * 4
        problems.append(
            Problem(
                size.line,
                f"{name}: Params size (MB) is {size.text}, but {count} parameters of 4 "
                f"bytes are {float32 / per_mb:0.2f} MB (of {unit} bytes)",
            )
        )
        # the estimated total is not wrong too when the right size makes it add up
        corrected = round(float32 / per_mb, 2)
        return problems + _estimated_total(summary, name, corrected)
    return problems + _estimated_total(summary, name)


def _estimated_total(
    summary: PrintedSummary, name: str, params_size: float | None = None
) -> list[Problem]:
    parts: list[SizeLine] = [
        line
        for label in ("Input size (MB)", "Forward/backward pass size (MB)", "Params size (MB)")
        if (line := summary.sizes.get(label)) is not None
    ]
    total = summary.sizes.get("Estimated Total Size (MB)")
    if total is None or len(parts) != 3:
        return []
    added = sum(line.value for line in parts)
    if abs(added - total.value) <= 4 * _ROUNDING + 1e-9:
        return []
    if params_size is not None:
        fixed = added - parts[2].value + params_size
        if abs(fixed - total.value) <= 4 * _ROUNDING + 1e-9:
            return []
    return [
        Problem(
            total.line,
            f"{name}: Estimated Total Size (MB) is {total.text}, but the three sizes above it "
            f"add up to {added:0.2f}",
        )
    ]
