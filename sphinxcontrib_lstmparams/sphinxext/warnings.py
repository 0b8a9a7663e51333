"""One way to warn: located, typed ``lstmparams.<subtype>`` so it can be suppressed; and one
way to note what the author should know but that is no mistake."""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinxcontrib_lstmparams")

WARNING_TYPE = "lstmparams"


def warn(message: str, location: Any, subtype: str = "option") -> None:
    logger.warning(message, location=location, type=WARNING_TYPE, subtype=subtype)


def inform(message: str, location: Any) -> None:
    """A located note for the author that never fails a build (shown unless ``-q``)."""
    logger.info(message, location=location)
