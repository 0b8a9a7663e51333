"""The extension's config values: what each may be, and the default that stands in for a bad
one (standard library only; sphinxext/config.py registers them and warns)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .directive_options import parse_parts
from .frameworks import FRAMEWORK_NAMES
from .model.code.defines import merge, parse_defines
from .numbers import SEPARATORS, separator_name
from .options import describe, parse_literal
from .spec import DEFAULT_PARTS, FrameworkName, OptionError, Part
from .verify import LIBRARIES, Library, library_name


@dataclass(frozen=True)
class Settings:
    """The config values, checked."""

    default_framework: FrameworkName = "keras"
    show: tuple[Part, ...] = DEFAULT_PARTS
    separator: str = ","
    verify: tuple[Library, ...] = ()  # frameworks to build each layer in, to check the count
    # values pasted code uses but cannot know, for every model of the site (key -> value)
    define: Mapping[str, object] = field(default_factory=dict)
    check_printed: bool = False  # read back and check the summaries pasted as literal blocks


DEFAULTS = Settings()
# config value -> its default, as conf.py would write it
CONFIG_VALUES: dict[str, object] = {
    "lstmparams_default_framework": DEFAULTS.default_framework,
    "lstmparams_show": list(DEFAULTS.show),
    "lstmparams_thousands_separator": DEFAULTS.separator,
    "lstmparams_verify": list(DEFAULTS.verify),
    "lstmparams_define": {},
    "lstmparams_check_printed": DEFAULTS.check_printed,
}


T = TypeVar("T")


def _framework(value: object) -> FrameworkName:
    name = "lstmparams_default_framework"
    return parse_literal(name, value, FRAMEWORK_NAMES, shown_as=name)


def _show(value: object) -> tuple[Part, ...]:
    if isinstance(value, list | tuple) and all(isinstance(word, str) for word in value):
        value = ", ".join(value)
    if not isinstance(value, str):
        raise OptionError(
            f"lstmparams_show: {describe(value)} is not a list of parts (or a string of them)"
        )
    return parse_parts("lstmparams_show", value)


def _separator(value: object) -> str:
    if isinstance(value, str) and value in SEPARATORS:
        return value
    allowed = ", ".join(separator_name(s) for s in SEPARATORS)
    shown = separator_name(value) if isinstance(value, str) and len(value) == 1 else describe(value)
    raise OptionError(f"lstmparams_thousands_separator: {shown} is not one of {allowed}")


def _verify(value: object) -> tuple[Library, ...]:
    name, allowed = "lstmparams_verify", ", ".join(LIBRARIES)
    if isinstance(value, list | tuple) and all(isinstance(word, str) for word in value):
        words = [str(word) for word in value]
    elif isinstance(value, str):
        words = re.split(r"[\s,]+", value)
    else:
        raise OptionError(f"{name}: {describe(value)} is not a list of frameworks ({allowed})")
    libraries: list[Library] = []
    for word in (word for word in words if word.strip()):
        library = library_name(word)
        if library is None:
            raise OptionError(
                f"{name}: {describe(word)} is not a framework it can build layers in ({allowed})"
            )
        if library not in libraries:
            libraries.append(library)
    return tuple(libraries)


def _define(value: object) -> Mapping[str, object]:
    """``{"max_features": 20000, "len(chars)": 60}``, or the same as ``:define:`` writes it."""
    try:
        given = parse_defines(value) if isinstance(value, str) else value
        if not isinstance(given, Mapping):
            raise OptionError(
                f"define: {describe(value)} is not a dict of names (or expressions) and values"
            )
        merge([given])
    except OptionError as error:  # each message names the config value, as the others do
        raise OptionError(f"lstmparams_{error}") from None
    return dict(given)


def _check_printed(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise OptionError(f"lstmparams_check_printed: {describe(value)} is not True or False")


def read_settings(values: Mapping[str, object]) -> tuple[Settings, list[str]]:
    """conf.py's values -> settings, and one message per bad value (which keeps its default)."""
    messages: list[str] = []

    def read(name: str, reader: Callable[[object], T], default: T) -> T:
        if name not in values:
            return default
        try:
            return reader(values[name])
        except OptionError as error:
            messages.append(f"{error}; using {describe(CONFIG_VALUES[name])}")
            return default

    settings = Settings(
        read("lstmparams_default_framework", _framework, DEFAULTS.default_framework),
        read("lstmparams_show", _show, DEFAULTS.show),
        read("lstmparams_thousands_separator", _separator, DEFAULTS.separator),
        read("lstmparams_verify", _verify, DEFAULTS.verify),
        read("lstmparams_define", _define, DEFAULTS.define),
        read("lstmparams_check_printed", _check_printed, DEFAULTS.check_printed),
    )
    return settings, messages
