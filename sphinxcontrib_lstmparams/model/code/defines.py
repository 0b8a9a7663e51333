"""Values a cell uses but cannot know, given by the author (standard library only).

``:define: max_features=20000, len(chars)=60, X_train.shape[1:]=(8,)`` (and the command
line's ``--define``, ``model_summary(define={...})``, the config value ``lstmparams_define``):
each key is a name or an expression as the cell writes it, each value a Python literal. The
reader uses the value wherever the cell's code is that expression, however it is spaced.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...literals import LiteralError, literal_value
from ...options import describe
from ...spec import OptionError

# Values a define may give: what a literal can be.
_PLAIN = (int, float, str, bool, tuple, list, dict, type(None))
MAX_DEFINES = 200


@dataclass(frozen=True)
class Defines:
    """Names (``max_features``) and expressions (``len(chars)``, normalised by ``ast``) with
    their values."""

    names: Mapping[str, object]
    expressions: Mapping[str, object]

    def __bool__(self) -> bool:
        return bool(self.names or self.expressions)


NO_DEFINES = Defines({}, {})


def normalised(key: str) -> str:
    """A key as ``ast`` writes it back (``len( chars )`` -> ``len(chars)``); OptionError when
    it is not a Python expression."""
    try:
        node = ast.parse(key.strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise OptionError(f"define: {describe(key)} is not a name or an expression") from None
    if isinstance(node, ast.Constant):
        raise OptionError(f"define: {describe(key)} is a value, not a name or an expression")
    return ast.unparse(node)


def _checked(key: str, value: object) -> object:
    if not _plain(value):
        raise OptionError(f"define: {key} = {describe(value)} is not a Python literal value")
    return value


def _plain(value: object, depth: int = 0) -> bool:
    if depth > 20 or not isinstance(value, _PLAIN):
        return False
    if isinstance(value, tuple | list):
        return len(value) <= 10_000 and all(_plain(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return len(value) <= 10_000 and all(
            _plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items()
        )
    return True


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` outside brackets and quotes."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _key_and_value(item: str) -> tuple[str, str]:
    """``len(chars)=60`` -> ("len(chars)", "60"): at the first ``=`` that is not part of
    ``==``, ``<=``, ``>=`` or ``!=``, outside brackets and quotes."""
    depth, quote = 0, ""
    for index, char in enumerate(item):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "=" and depth == 0:
            before = item[index - 1] if index else ""
            after = item[index + 1 : index + 2]
            if before not in "=<>!" and after != "=":
                return item[:index], item[index + 1 :]
    raise OptionError(f"define: {describe(item.strip())} is not KEY=VALUE")


def parse_defines(text: str) -> dict[str, object]:
    """``max_features=20000, shape=(28, 28, 1)`` -> {key: value}; OptionError for a bad one."""
    values: dict[str, object] = {}
    for item in split_top_level(text, ","):
        if not item.strip():
            continue
        key, value_text = _key_and_value(item)
        try:
            value = literal_value(ast.parse(value_text.strip(), mode="eval").body)
        except (LiteralError, SyntaxError, ValueError, MemoryError, RecursionError):
            raise OptionError(
                f"define: {key.strip()} = {describe(value_text.strip())} is not a Python "
                "literal (a number, a string, a tuple ...)"
            ) from None
        values[key.strip()] = value
    return values


def merge(layers: Iterable[Mapping[str, object]]) -> Defines:
    """Several sources of values, later ones winning (the site's, then the page's)."""
    names: dict[str, object] = {}
    expressions: dict[str, object] = {}
    for given in layers:
        for key, value in given.items():
            if not isinstance(key, str):
                raise OptionError(f"define: the key {describe(key)} is not text")
            canonical = normalised(key)
            checked = _checked(canonical, value)
            (names if canonical.isidentifier() else expressions)[canonical] = checked
            if len(names) + len(expressions) > MAX_DEFINES:
                raise OptionError(f"define: more than {MAX_DEFINES} values")
    return Defines(names, expressions)
