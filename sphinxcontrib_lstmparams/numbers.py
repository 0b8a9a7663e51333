"""How numbers read: thousands separators and memory sizes (standard library only)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .spec import Gettext, untranslated

# The separators a page may group digits with, and how each is set inside LaTeX math (where a
# plain comma would get the space of a list separator, a space would vanish, and an apostrophe
# would be a prime). Every one of them also compiles in a pdflatex table cell.
SEPARATORS: dict[str, str] = {
    ",": "{,}",
    ".": "{.}",
    "'": r"\text{'}",
    "\N{RIGHT SINGLE QUOTATION MARK}": "\\text{\N{RIGHT SINGLE QUOTATION MARK}}",
    " ": r"\,",
    "\N{NO-BREAK SPACE}": r"\,",
    "\N{THIN SPACE}": r"\,",
    "\N{NARROW NO-BREAK SPACE}": r"\,",
    "\N{FIGURE SPACE}": r"\,",
    "_": r"\_",
    "": "",
}


def separator_name(separator: str) -> str:
    """'thin space (U+2009)' for the invisible ones, else the character quoted (also a
    white-space control character such as U+0085, which has no Unicode name)."""
    name = unicodedata.name(separator, "") if len(separator) == 1 else ""
    if separator.isspace() and name:
        return f"{name.lower()} (U+{ord(separator):04X})"
    return repr(separator)


def format_count(value: int, separator: str = ",") -> str:
    """4457472 -> '4,457,472' (the separator is configurable; '' for none)."""
    return f"{value:,}".replace(",", separator)


def format_bytes(value: int, separator: str = ",", _: Gettext = untranslated) -> str:
    """17829888 -> '17.0 MiB' (binary units, as memory is usually quoted)."""
    if value < 1024:
        return _("{count} bytes").format(count=format_count(value, separator))
    size, units = value / 1024, ["KiB", "MiB", "GiB", "TiB", "PiB"]
    while size >= 1024 and len(units) > 1:
        size /= 1024
        units.pop(0)
    unit = units[0]
    whole, _dot, tenth = f"{size:.1f}".partition(".")
    decimal = "," if separator == "." else "."  # 1.234,5 where "." groups digits
    return f"{format_count(int(whole), separator)}{decimal}{tenth} {unit}"


@dataclass(frozen=True)
class NumberStyle:
    """The author's choice of how counts are written, handed to everything that prints one."""

    separator: str = ","

    def __post_init__(self) -> None:
        if self.separator not in SEPARATORS:
            allowed = ", ".join(separator_name(s) for s in SEPARATORS)
            raise ValueError(f"{separator_name(self.separator)} is not one of {allowed}")

    def count(self, value: int) -> str:
        return format_count(value, self.separator)

    def latex(self, value: int) -> str:
        """The count inside LaTeX math."""
        return format_count(value, SEPARATORS[self.separator])

    def bytes(self, value: int, _: Gettext = untranslated) -> str:
        return format_bytes(value, self.separator, _)


# format_bytes' units and their powers of 1,024
BINARY_UNITS = {"KiB": 1, "MiB": 2, "GiB": 3, "TiB": 4, "PiB": 5}
_BINARY_UNIT = re.compile(r"\b(" + "|".join(BINARY_UNITS) + r")\b")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def binary_units(
    text: str, separator: str = ",", _: Gettext = untranslated
) -> list[str | tuple[str, str]]:
    """``text`` cut around its binary units, each with what it is, for a tooltip or a note:
    ``"17.0 MiB at ..."`` -> ``["17.0 ", ("MiB", "1 MiB = 1,024² bytes"), " at ..."]``
    (Keras' and torchinfo's "MB" on the same page mean 1,024² and 10⁶ bytes: ours says)."""
    pieces: list[str | tuple[str, str]] = []
    at = 0
    for found in _BINARY_UNIT.finditer(text):
        unit = found[1]
        power = str(BINARY_UNITS[unit]).translate(_SUPERSCRIPTS) if BINARY_UNITS[unit] > 1 else ""
        size = f"{format_count(1024, separator)}{power}"
        meaning = _("1 {unit} = {size} bytes").format(unit=unit, size=size)
        pieces += [text[at : found.start()], (unit, meaning)]
        at = found.end()
    pieces.append(text[at:])
    return [piece for piece in pieces if piece]
