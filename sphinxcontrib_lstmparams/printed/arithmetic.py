"""Check (a), the counts: the rows add up to ``Total params``, and ``Trainable`` plus
``Non-trainable`` (plus Keras 3's ``Optimizer params``) is the total (standard library only).

Which rows add up, as each tool counts them: Keras prints a nested model's layers under it
(``expand_nested``) beside the nested model's own row, so only the model's own layers
(depth 0) are added; torchinfo adds every row it prints, a container showing ``--`` or the
parameters it holds itself, and leaves out a module met again (``(recursive)``). Older
torchinfo and torch-summary releases put a container's whole count on its row, so the rows
that have none printed under them are a second way to add up that is accepted too.
"""

from __future__ import annotations

from .summary import CountLine, PrintedSummary, Problem


def rows_total(summary: PrintedSummary) -> int | tuple[int, int] | None:
    """What the rows add up to (two ways for torchinfo); None when they cannot be added up:
    rows left out, a count that is not printed, no Param # column."""
    if summary.elided or not summary.rows or "Param #" not in summary.columns:
        return None
    rows = [row for row in summary.rows if row.counted]
    if any(row.params is None for row in rows):
        return None
    if summary.tool in ("keras2", "keras3"):
        return sum(row.params or 0 for row in rows if row.depth == 0)
    every = sum(row.params or 0 for row in rows)
    leaves = sum(row.params or 0 for row in rows if not row.has_children)
    return every if every == leaves else (every, leaves)


def check_counts(summary: PrintedSummary) -> list[Problem]:
    """Check (a) for the counts; the sizes are :mod:`.sizes`'."""
    total = summary.count("Total params")
    if total is None:
        return []
    parts = [
        line
        for label in ("Trainable params", "Non-trainable params", "Optimizer params")
        if (line := summary.count(label)) is not None
    ]
    optimizer = summary.count("Optimizer params")
    split = sum(line.count for line in parts) if len(parts) >= 2 else None
    added = rows_total(summary)
    # the optimizer's variables are in Keras 3's total, in no row
    layers_total = total.count - (optimizer.count if optimizer else 0)
    rows = None if added is None else _closest(added, layers_total)
    problems: list[Problem] = []
    name = f"printed {summary.title} summary"
    rows_agree = rows is None or rows == layers_total
    split_agrees = split is None or split == total.count
    if (
        not rows_agree
        and rows is not None
        and split is not None
        and rows == split - _opt(optimizer)
    ):
        problems.append(
            Problem(
                total.line,
                f"{name}: Total params is {total.count_text}, but the rows add up to "
                f"{rows:,}, and so do {_sum_words(parts)}",
            )
        )
        return problems
    if not rows_agree and rows is not None:
        gap = layers_total - rows
        problems.append(
            Problem(
                total.line,
                f"{name}: the rows add up to {rows:,}, not the {layers_total:,} of Total params"
                f"{' less the optimizer' if optimizer else ''} ({_more(gap)}): a row's count "
                "is wrong or a row is missing",
                gap=gap,
            )
        )
    if not split_agrees and split is not None:
        problems.append(
            Problem(
                parts[0].line,
                f"{name}: {_sum_words(parts)} make {split:,}, not the {total.count_text} of "
                "Total params",
            )
        )
    return problems


def _closest(added: int | tuple[int, int], target: int) -> int:
    if isinstance(added, int):
        return added
    return added[1] if added[1] == target else added[0]


def _opt(optimizer: CountLine | None) -> int:
    return optimizer.count if optimizer else 0


def _sum_words(parts: list[CountLine]) -> str:
    words = [f"{line.label} {line.count_text}" for line in parts]
    return " + ".join(words)


def _more(gap: int) -> str:
    """How the total differs from the rows, in words."""
    return f"{gap:,} more" if gap > 0 else f"{-gap:,} fewer"
