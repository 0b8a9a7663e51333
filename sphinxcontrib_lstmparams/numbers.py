"""How numbers read: thousands separators and memory sizes (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass


def format_count(value: int, separator: str = ",") -> str:
    """4457472 -> '4,457,472' (the separator is configurable; '' for none)."""
    return f"{value:,}".replace(",", separator)


def format_bytes(value: int) -> str:
    """17829888 -> '17.0 MiB' (binary units, as memory is usually quoted)."""
    if value < 1024:
        return f"{value:,} bytes"
    size = value / 1024
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        if size < 1024:
            return f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} PiB"


@dataclass(frozen=True)
class NumberStyle:
    """The author's choice of how counts are written, handed to everything that prints one."""

    separator: str = ","

    def count(self, value: int) -> str:
        return format_count(value, self.separator)

    def bytes(self, value: int) -> str:
        return format_bytes(value)
