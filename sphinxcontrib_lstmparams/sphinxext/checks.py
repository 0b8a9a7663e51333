"""Checks a directive or role runs on its count: ``:expect:`` (the rule is in
:mod:`sphinxcontrib_lstmparams.expect`).

Any directive of this package that computes a total calls :func:`check_expected` with the
location of its ``:expect:`` line, so that every ``:expect:`` warns alike (type
``lstmparams.expect``: ``suppress_warnings = ["lstmparams.expect"]`` silences them, ``-W``
fails the build on them).
"""

from __future__ import annotations

from typing import Any

from ..expect import EXPECT, mismatch
from .warnings import warn


def check_expected(
    expected: int | None,
    total: int,
    location: Any,
    subject: str = "lstm-params",
    said_by: str = f":{EXPECT}: ",
) -> bool:
    """Warn at ``location`` (``"file:line"``, a node, or ``(docname, line)``) when ``total``
    is not ``expected``; True when they agree or nothing was expected.

    ``subject`` starts the message (``lstm-params``, ``lstm-params role``); ``said_by`` is how
    the page wrote the option, up to the number (``:expect:`` and a space, ``expect=``).
    """
    if expected is None:
        return True
    message = mismatch(expected, total, said_by)
    if message is None:
        return True
    warn(f"{subject}: {message}", location, EXPECT)
    return False
