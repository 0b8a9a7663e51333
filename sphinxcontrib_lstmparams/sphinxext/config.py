"""The extension's config values: declared with their types, checked once, with one warning
and the default for a bad one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..directive_options import parse_parts
from ..frameworks import FRAMEWORK_NAMES
from ..spec import DEFAULT_PARTS, OptionError
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def add_config_values(app: Sphinx) -> None:
    app.add_config_value("lstmparams_default_framework", "keras", "env", types=frozenset({str}))
    app.add_config_value(
        "lstmparams_show", DEFAULT_PARTS, "env", types=frozenset({list, tuple, str})
    )
    app.add_config_value("lstmparams_thousands_separator", ",", "env", types=frozenset({str}))


def check_config(app: Sphinx, config: Config) -> None:
    """Warn once about a bad config value and fall back to the default."""
    if config.lstmparams_default_framework not in FRAMEWORK_NAMES:
        warn(
            f"lstmparams_default_framework: {config.lstmparams_default_framework!r} is not "
            f"one of {', '.join(FRAMEWORK_NAMES)}; using 'keras'",
            None,
            "config",
        )
        config.lstmparams_default_framework = "keras"
    try:
        show = config.lstmparams_show
        config.lstmparams_show = parse_parts(
            "lstmparams_show", show if isinstance(show, str) else ",".join(map(str, show))
        )
    except OptionError as error:
        warn(f"{error}; using the default parts", None, "config")
        config.lstmparams_show = DEFAULT_PARTS


def settings(config: Config) -> tuple[str, tuple[Any, ...], str]:
    """Config values, already checked by :func:`check_config`."""
    return (
        config.lstmparams_default_framework,
        tuple(config.lstmparams_show),
        config.lstmparams_thousands_separator,
    )
