"""The checks a printed summary goes through, and the problems they find (standard library
only).

:data:`CHECKS` is the list every front end runs: (a) the counts and (b) the layers. A check is
a function of one :class:`~.summary.PrintedSummary` to its problems; one that needs more, (c)
the summary computed from the code before the block (:func:`.against_code.check_against`),
is given it by :func:`functools.partial` and passed to :func:`check_summary` beside these.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from .arithmetic import check_counts
from .find import find_summaries
from .layers import check_layers
from .sizes import check_sizes
from .summary import PrintedSummary, Problem

Check = Callable[[PrintedSummary], list[Problem]]
CHECKS: tuple[Check, ...] = (check_counts, check_sizes, check_layers)


def check_summary(summary: PrintedSummary, checks: Sequence[Check] = CHECKS) -> list[Problem]:
    """Every problem of one summary, by line; the rows' sum is not blamed on the total when
    the rows already blamed account for it; where the code before the block disagrees with a
    line, its message is the one kept for that line's counts (a size is still its own)."""
    found = [(check is check_sizes, problem) for check in checks for problem in check(summary)]
    by_code = {problem.line for _size, problem in found if problem.from_code}
    kept = [
        problem
        for size, problem in found
        if problem.from_code or size or problem.line not in by_code
    ]
    fixes = [problem.fixes for problem in kept if problem.fixes]
    kept = [
        problem for problem in kept if problem.gap is None or not _explained(problem.gap, fixes)
    ]
    return sorted(kept, key=lambda problem: problem.line)


def _explained(gap: int, fixes: list[tuple[int, ...]]) -> bool:
    """Whether fixing the rows already blamed, each in one of its ways, closes the gap."""
    if not fixes or len(fixes) > 6:
        return bool(fixes)
    return any(sum(choice) == gap for choice in itertools.product(*fixes))


def check_text(text: str, checks: Sequence[Check] = CHECKS) -> list[Problem]:
    """Every problem of every summary printed in ``text`` (a literal block, a file), lines
    counted from its first line."""
    return [
        problem for summary in find_summaries(text) for problem in check_summary(summary, checks)
    ]
