"""``:expect:``: the total an author states beside a count, and what a page is told when the
count differs (standard library only).

Prose next to a directive ("the encoder has 4,457,472 parameters") goes stale when the
directive's options change. ``:expect: 4457472`` on the directive (``expect=4457472`` in the
role) states the number the prose relies on; the build warns when the count differs, and shows
nothing extra when it agrees. The Sphinx side is
:func:`sphinxcontrib_lstmparams.sphinxext.checks.check_expected`, which any directive that
counts something can call.
"""

from __future__ import annotations

from collections.abc import Iterable

from .numbers import format_count
from .options import canonical_name, parse_count
from .spec import OptionError

EXPECT = "expect"


def parse_expect(value: object) -> int:
    """``4457472``, ``4,457,472`` or ``4_457_472`` -> 4457472; OptionError otherwise."""
    return parse_count(EXPECT, value)


def split_expect(
    pairs: Iterable[tuple[str, str]],
) -> tuple[list[tuple[str, str]], int | None]:
    """Role text's name/value pairs -> the others, and the ``expect`` value (None: not given).
    Raises OptionError for a repeated or malformed ``expect``."""
    rest: list[tuple[str, str]] = []
    expected: int | None = None
    seen = False
    for name, value in pairs:
        if canonical_name(name) != EXPECT:
            rest.append((name, value))
            continue
        if seen:
            raise OptionError(f"{EXPECT}: given twice", EXPECT)
        seen = True
        expected = parse_expect(value)
    return rest, expected


def mismatch(expected: int, total: int, said_by: str = f":{EXPECT}: ") -> str | None:
    """What an author is told when ``total`` is not the ``expected`` count; None when it is.
    ``said_by`` is how the page wrote the option, up to the number.

    >>> mismatch(4457472, 4458496)
    ':expect: 4,457,472 does not match the count, 4,458,496 (1,024 more)'
    >>> mismatch(4457472, 4457472) is None
    True
    """
    if expected == total:
        return None
    difference = total - expected
    more = "more" if difference > 0 else "fewer"
    return (
        f"{said_by}{format_count(expected)} does not match the count, {format_count(total)} "
        f"({format_count(abs(difference))} {more})"
    )


__all__ = ["EXPECT", "mismatch", "parse_expect", "split_expect"]
