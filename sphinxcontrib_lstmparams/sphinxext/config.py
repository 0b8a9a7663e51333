"""The extension's config values: declared with their types, read once, with one warning and
the default for a bad one (the rules are in :mod:`sphinxcontrib_lstmparams.settings`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..settings import CONFIG_VALUES, Settings, read_settings
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# What conf.py may hold for each value (anything else warns and falls back).
TYPES = {
    "lstmparams_default_framework": frozenset({str}),
    "lstmparams_show": frozenset({list, tuple, str}),
    "lstmparams_thousands_separator": frozenset({str}),
    "lstmparams_verify": frozenset({list, tuple, str}),
    "lstmparams_define": frozenset({dict, str}),
    "lstmparams_check_printed": frozenset({bool}),
}


def add_config_values(app: Sphinx) -> None:
    for name, default in CONFIG_VALUES.items():
        app.add_config_value(name, default, "env", types=TYPES[name])


def check_config(app: Sphinx, config: Config) -> None:
    """Warn once per bad value and put its default in its place, before Sphinx's own type
    check runs (so that a bad value is one warning, not two)."""
    values = {name: getattr(config, name) for name in CONFIG_VALUES}
    settings_, messages = read_settings(values)
    for message in messages:
        warn(message, None, "config")
    config.lstmparams_default_framework = settings_.default_framework
    config.lstmparams_show = list(settings_.show)
    config.lstmparams_thousands_separator = settings_.separator
    config.lstmparams_verify = list(settings_.verify)
    config.lstmparams_define = dict(settings_.define)
    config.lstmparams_check_printed = settings_.check_printed


def settings(config: Config) -> Settings:
    """The config values, already checked by :func:`check_config`."""
    return Settings(
        config.lstmparams_default_framework,
        tuple(config.lstmparams_show),
        config.lstmparams_thousands_separator,
        tuple(config.lstmparams_verify),
        dict(config.lstmparams_define),
        config.lstmparams_check_printed,
    )
