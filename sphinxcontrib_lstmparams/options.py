"""Option words -> Python values (standard library only).

One vocabulary serves the directive, the role, the Python API and the command line:
kebab-case in markup and on the command line (``input-dim``), snake_case in Python
(``input_dim``); both spellings are accepted everywhere. Every bad value raises one
:class:`~sphinxcontrib_lstmparams.spec.OptionError` naming the option, the value and what is
allowed. Which options a layer has, and what they mean, is each layer kind's business
(:mod:`sphinxcontrib_lstmparams.kinds`); this module only reads words.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Collection, Iterable, Mapping
from typing import TypeVar

from .spec import OptionError

Word = TypeVar("Word", bound=str)

# Bounds keep a typo (an extra zero run) from producing a page of 10^5 table rows;
# the counts themselves are exact Python ints at any size.
MAX_SIZE = 10**12
MAX_LAYERS = 100
# Longest digit string worth converting: 10^12 grouped as 1_000_000_000_000, with room to spare
# so an out-of-range number is still named by its value.
MAX_DIGITS = 40

# PyTorch spellings, and the ConvLSTM words of Keras (filters) and Flax (features), are welcome
# as aliases of our words.
ALIASES = {
    "hidden_size": "units",
    "input_size": "input_dim",
    "num_layers": "layers",
    "filters": "units",
    "features": "units",
}

_DIGITS = re.compile(r"[0-9]+(?:[_,][0-9]{3})*")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def kebab(name: str) -> str:
    return name.replace("_", "-")


def canonical_name(name: str) -> str:
    """``input-dim``, ``input_dim`` and ``Input-Dim`` are one option; aliases map to our word."""
    snake = name.strip().lower().replace("-", "_")
    return ALIASES.get(snake, snake)


# An option value is shown in a message as written, up to this many characters.
SHOWN = 40


def describe(value: object) -> str:
    """A value as a message shows it: quoted if text, shortened if long, never a conversion
    that can fail (Python refuses ``str()`` of an int with more than 4,300 digits)."""
    if isinstance(value, str):
        if len(value) <= SHOWN:
            return repr(value)
        return f"{value[:SHOWN]!r}... ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        digits = int(value.bit_length() * 0.30103) + 1
        return f"a number of about {digits:,} digits"
    return str(value)


def _whole_number(value: object) -> int | None:
    """An int, an integer-like object (numpy's), or ASCII digits with ``_``/``,`` grouping and
    at most one leading ``+``; None for anything else. Never converts a string longer than
    any number we accept, so a 5,000-digit typo is refused, not computed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        text = text[1:] if text.startswith("+") else text
        if len(text) > MAX_DIGITS or not _DIGITS.fullmatch(text):
            return None
        return int(re.sub(r"[_,]", "", text))
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def parse_int(option: str, value: object, minimum: int, maximum: int = MAX_SIZE) -> int:
    """A whole number in [minimum, maximum]; accepts ints and ASCII-digit strings (``4_096``)."""
    allowed = f"a whole number from {minimum:,} to {maximum:,}"
    number = _whole_number(value)
    if number is None:
        raise OptionError(f"{kebab(option)}: {describe(value)} is not {allowed}", kebab(option))
    if not minimum <= number <= maximum:
        raise OptionError(f"{kebab(option)}: {describe(number)} is not {allowed}", kebab(option))
    return number


def parse_count(option: str, value: object) -> int:
    """A parameter count as an author writes it: ``4457472``, ``4,457,472`` or ``4_457_472``
    (the digits of :func:`parse_int`, with no bounds: a count may exceed any one size)."""
    number = _whole_number(value)
    if number is None:
        raise OptionError(
            f"{kebab(option)}: {describe(value)} is not a whole number (a parameter count, "
            "such as 4,457,472)",
            kebab(option),
        )
    return number


def parse_bool(option: str, value: object, flag: bool = False) -> bool:
    """``true``/``false`` (also yes/no, on/off, 1/0); for a flag, a bare name (empty, None) is
    true."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if flag:
            return True
    elif isinstance(value, str | int):
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise OptionError(f"{kebab(option)}: {describe(value)} is not true or false", kebab(option))


def parse_choice(
    option: str, value: object, choices: Collection[str], shown_as: str | None = None
) -> str:
    """One of ``choices``, case-insensitive. Messages name the option ``shown_as`` (a config
    value's own name), else in kebab-case."""
    word = value.strip().lower() if isinstance(value, str) else None
    if word is not None and word in choices:
        return word
    name = shown_as or kebab(option)
    raise OptionError(f"{name}: {describe(value)} is not one of {', '.join(choices)}", name)


def parse_literal(
    option: str, value: object, choices: tuple[Word, ...], shown_as: str | None = None
) -> Word:
    """:func:`parse_choice` for a ``Literal`` type's values, keeping the type."""
    word = parse_choice(option, value, choices, shown_as)
    return next(choice for choice in choices if choice == word)


def unknown_option_error(name: str, known: Iterable[str]) -> OptionError:
    words = sorted({kebab(word) for word in known})
    close = difflib.get_close_matches(kebab(canonical_name(name)), words, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known options: {', '.join(words)}"
    return OptionError(f"unknown option {name!r}{hint}", name)


def collect(
    pairs: Iterable[tuple[str, object]],
    known: Collection[str],
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
            aliases = [alias for alias, ours in ALIASES.items() if ours in known]
            raise unknown_option_error(name, (*known, *aliases, *also_known))
        if key in raw:
            first, again = kebab(spellings[key]), kebab(name)
            same = "given twice" if first == again else f"given twice (as {first!r} and {again!r})"
            raise OptionError(f"{kebab(key)}: {same}", kebab(key))
        raw[key] = value
        spellings[key] = name
    return raw


def required(raw: Mapping[str, object], name: str) -> object:
    """The raw value of an option the layer cannot do without."""
    if raw.get(name) is None:
        raise OptionError(f"{kebab(name)} is required", kebab(name))
    return raw[name]


def parse_words(option: str, value: object, choices: Collection[str]) -> tuple[str, ...]:
    """``table, formula`` -> ('table', 'formula'): distinct words from ``choices``; ``all`` is
    every choice."""
    words = re.split(r"[\s,]+", value.strip().lower()) if isinstance(value, str) else None
    words = [word for word in words or [] if word]
    if words == ["all"]:
        return tuple(choices)
    if not words or any(word not in choices for word in words) or len(set(words)) < len(words):
        allowed = ", ".join(choices)
        raise OptionError(
            f"{option}: {describe(value)} is not a list of distinct parts from {allowed} (or all)",
            option,
        )
    return tuple(words)


_ROLE_SEPARATOR = re.compile(r";|(?<![0-9]),|,(?![0-9]{3}(?![0-9]))")
_FIELD = re.compile(r"^:(?P<name>[^:\s][^:]*?):(?:\s+(?P<value>.*))?$")


def read_field_lines(lines: Iterable[str], start: int = 0) -> list[tuple[str, str, int]]:
    """Directive body lines (``:units: 256``) -> (name, value, 0-based line index); the lines
    are numbered from ``start``.

    Indented lines continue the previous value, as in a reST field list.
    """
    fields: list[tuple[str, str, int]] = []
    for index, line in enumerate(lines, start):
        text = line.strip()
        if not text:
            continue
        match = _FIELD.match(text)
        if match:
            fields.append((match["name"].strip(), (match["value"] or "").strip(), index))
        elif fields and line[:1].isspace():
            name, value, first = fields[-1]
            fields[-1] = (name, f"{value} {text}".strip(), first)
        else:
            raise OptionError(
                f"line {index + 1} of the directive is not an option (':name: value'): "
                f"{describe(text)}"
            )
    return fields


def read_role_text(text: str) -> list[tuple[str, str]]:
    """Role text ``units=256, input-dim=4096, bidirectional`` -> name/value pairs.

    A bare name is a flag. Pieces are separated by ``;`` or ``,``, except a comma that groups
    digits (a digit before it, exactly three after it, no space): ``input-dim=4,096`` is one
    number, while ``units=8, 123`` is ``units=8`` and a stray ``123``.
    """
    pairs: list[tuple[str, str]] = []
    for piece in _ROLE_SEPARATOR.split(text):
        piece = piece.strip()
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        if not sep:
            name, _, value = piece.partition(":")
        pairs.append((name.strip(), value.strip()))
    return pairs
