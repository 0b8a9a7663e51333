"""Option words -> a validated :class:`LayerSpec` (standard library only).

One vocabulary serves the directive, the role, the Python API and the command line:
kebab-case in markup and on the command line (``input-dim``), snake_case in Python
(``input_dim``); both spellings are accepted everywhere. Every bad value raises one
:class:`OptionError` naming the option, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

CELLS = ("lstm", "gru", "rnn")
FRAMEWORKS = ("keras", "pytorch", "onnx", "tensorflow-v1", "flax")
MERGE_MODES = ("concat", "sum", "mul", "ave")
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2, "float64": 8, "int8": 1}

# Bounds keep a typo (an extra zero run) from producing a page of 10^5 table rows;
# the counts themselves are exact Python ints at any size.
MAX_SIZE = 10**12
MAX_LAYERS = 100

# PyTorch spellings are welcome as aliases of our words.
ALIASES = {"hidden_size": "units", "input_size": "input_dim", "num_layers": "layers"}

SPEC_OPTIONS = (
    "cell",
    "units",
    "input_dim",
    "framework",
    "layers",
    "bidirectional",
    "bias",
    "proj_size",
    "peepholes",
    "reset_after",
    "merge_mode",
    "timesteps",
    "dtype",
)
FLAG_OPTIONS = frozenset({"bidirectional", "peepholes"})

_DIGITS = re.compile(r"[0-9]+(?:[_,][0-9]{3})*")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


class OptionError(ValueError):
    """A bad option; ``option`` is its kebab-case name (None when no option is to blame)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class LayerSpec:
    """A recurrent layer (or stack) as one framework would build it."""

    cell: str
    units: int
    input_dim: int
    framework: str = "keras"
    layers: int = 1
    bidirectional: bool = False
    bias: bool = True
    proj_size: int = 0
    peepholes: bool = False
    reset_after: bool | None = None  # None: the framework's default (GRU only)
    merge_mode: str = "concat"
    timesteps: int | None = None
    dtype: str = "float32"

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def bytes_per_param(self) -> int:
        return DTYPE_BYTES[self.dtype]


def kebab(name: str) -> str:
    return name.replace("_", "-")


def canonical_name(name: str) -> str:
    """``input-dim``, ``input_dim`` and ``Input-Dim`` are one option; aliases map to our word."""
    snake = name.strip().lower().replace("-", "_")
    return ALIASES.get(snake, snake)


def _describe(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def parse_int(option: str, value: object, minimum: int, maximum: int = MAX_SIZE) -> int:
    """A whole number in [minimum, maximum]; accepts ints and ASCII-digit strings (``4_096``)."""
    allowed = f"a whole number from {minimum:,} to {maximum:,}"
    if isinstance(value, bool):
        raise OptionError(f"{kebab(option)}: {value} is not {allowed}", kebab(option))
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip().lstrip("+")):
        number = int(re.sub(r"[_,]", "", value.strip().lstrip("+")))
    else:
        raise OptionError(f"{kebab(option)}: {_describe(value)} is not {allowed}", kebab(option))
    if not minimum <= number <= maximum:
        raise OptionError(f"{kebab(option)}: {number} is not {allowed}", kebab(option))
    return number


def parse_bool(option: str, value: object) -> bool:
    """``true``/``false`` (also yes/no, on/off, 1/0); a bare flag (empty or None) is true."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if option in FLAG_OPTIONS:
            return True
    elif isinstance(value, str | int):
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise OptionError(f"{kebab(option)}: {_describe(value)} is not true or false", kebab(option))


def parse_choice(option: str, value: object, choices: Collection[str]) -> str:
    word = value.strip().lower() if isinstance(value, str) else None
    if word is not None and word in choices:
        return word
    allowed = ", ".join(choices)
    raise OptionError(f"{kebab(option)}: {_describe(value)} is not one of {allowed}", kebab(option))


def unknown_option_error(name: str, known: Iterable[str]) -> OptionError:
    words = sorted({kebab(word) for word in known})
    close = difflib.get_close_matches(kebab(canonical_name(name)), words, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known options: {', '.join(words)}"
    return OptionError(f"unknown option {name!r}{hint}", name)


def collect(
    pairs: Iterable[tuple[str, object]],
    known: Collection[str] = SPEC_OPTIONS,
    also_known: Collection[str] = (),
) -> dict[str, object]:
    """Name/value pairs -> {canonical name: raw value}; rejects unknown and repeated options.

    ``also_known`` names options handled elsewhere, only for the "did you mean" hint.
    """
    raw: dict[str, object] = {}
    spellings: dict[str, str] = {}
    for name, value in pairs:
        key = canonical_name(name)
        if key not in known:
            raise unknown_option_error(name, (*known, *ALIASES, *also_known))
        if key in raw:
            first, again = kebab(spellings[key]), kebab(name)
            same = "given twice" if first == again else f"given twice (as {first!r} and {again!r})"
            raise OptionError(f"{kebab(key)}: {same}", kebab(key))
        raw[key] = value
        spellings[key] = name
    return raw


def parse_spec(
    pairs: Iterable[tuple[str, object]] | Mapping[str, object],
    default_framework: str = "keras",
    also_known: Collection[str] = (),
) -> LayerSpec:
    """Option words -> LayerSpec; raises OptionError for a bad value or an impossible mix.

    Rules that span options (what a framework can build) live in the conventions module.
    """
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    raw = collect(items, also_known=also_known)

    def required(name: str) -> object:
        if raw.get(name) is None:
            raise OptionError(f"{kebab(name)} is required", kebab(name))
        return raw[name]

    framework = raw.get("framework")
    timesteps = raw.get("timesteps")
    reset_after = raw.get("reset_after")
    spec = LayerSpec(
        cell=parse_choice("cell", raw.get("cell", "lstm"), CELLS),
        units=parse_int("units", required("units"), 1),
        input_dim=parse_int("input_dim", required("input_dim"), 1),
        framework=parse_choice(
            "framework", default_framework if framework is None else framework, FRAMEWORKS
        ),
        layers=parse_int("layers", raw.get("layers", 1), 1, MAX_LAYERS),
        bidirectional=parse_bool("bidirectional", raw.get("bidirectional", False)),
        bias=parse_bool("bias", raw.get("bias", True)),
        proj_size=parse_int("proj_size", raw.get("proj_size", 0), 0),
        peepholes=parse_bool("peepholes", raw.get("peepholes", False)),
        reset_after=None if reset_after is None else parse_bool("reset_after", reset_after),
        merge_mode=parse_choice("merge_mode", raw.get("merge_mode", "concat"), MERGE_MODES),
        timesteps=None if timesteps is None else parse_int("timesteps", timesteps, 1),
        dtype=parse_choice("dtype", raw.get("dtype", "float32"), tuple(DTYPE_BYTES)),
    )
    # Imported here: conventions imports LayerSpec from this module.
    from .conventions import check_supported

    return check_supported(spec)


PARTS = ("answer", "table", "formula", "notes")
DISPLAY_OPTIONS = ("caption", "name", "class", "show", "label")


def parse_parts(option: str, value: object) -> tuple[str, ...]:
    """``table, formula`` -> ('table', 'formula'); ``all`` is every part."""
    words = re.split(r"[\s,]+", value.strip().lower()) if isinstance(value, str) else None
    words = [word for word in words or [] if word]
    if words == ["all"]:
        return PARTS
    if not words or any(word not in PARTS for word in words) or len(set(words)) < len(words):
        allowed = ", ".join(PARTS)
        raise OptionError(
            f"{option}: {_describe(value)} is not a list of distinct parts from {allowed} (or all)",
            option,
        )
    return tuple(words)


_FIELD = re.compile(r"^:(?P<name>[^:\s][^:]*?):(?:\s+(?P<value>.*))?$")


def read_field_lines(lines: Iterable[str]) -> list[tuple[str, str, int]]:
    """Directive body lines (``:units: 256``) -> (name, value, 0-based line index).

    Indented lines continue the previous value, as in a reST field list. A MyST
    ``---`` block of ``key: value`` lines is read the same way.
    """
    fields: list[tuple[str, str, int]] = []
    lines = list(lines)
    yaml_block = bool(lines) and lines[0].strip() == "---"
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or (yaml_block and text == "---"):
            continue
        match = _FIELD.match(text)
        if yaml_block and not text.startswith(":"):
            key, sep, value = text.partition(":")
            match = _FIELD.match(f":{key.strip()}: {value.strip()}") if sep else None
        if match:
            fields.append((match["name"].strip(), (match["value"] or "").strip(), index))
        elif fields and line[:1].isspace():
            name, value, first = fields[-1]
            fields[-1] = (name, f"{value} {text}".strip(), first)
        else:
            raise OptionError(
                f"line {index + 1} of the directive is not an option (':name: value'): {text!r}"
            )
    return fields


def read_role_text(text: str) -> list[tuple[str, str]]:
    """Role text ``units=256, input-dim=4096, bidirectional`` -> name/value pairs.

    A bare name is a flag; a piece of only digits after a comma continues the previous
    value, so ``input-dim=4,096`` reads as one number.
    """
    pairs: list[tuple[str, str]] = []
    for piece in re.split(r"[,;]", text):
        piece = piece.strip()
        if not piece:
            continue
        if piece.isdigit() and pairs and pairs[-1][1]:
            pairs[-1] = (pairs[-1][0], f"{pairs[-1][1]},{piece}")
            continue
        name, sep, value = piece.partition("=")
        if not sep:
            name, _, value = piece.partition(":")
        pairs.append((name.strip(), value.strip()))
    return pairs
