"""Each framework's summary layout and printer, looked up by the summary's framework
(standard library only)."""

from __future__ import annotations

from ..numbers import NumberStyle
from ..spec import Gettext, untranslated
from .keras.layout import keras_layout
from .keras.text import keras_text
from .layout import Layout
from .summary import ModelSummary
from .torch.layout import torchinfo_layout
from .torch.text import torchinfo_text


def layout(
    summary: ModelSummary, numbers: NumberStyle | None = None, _: Gettext = untranslated
) -> Layout:
    """The summary in its framework's layout, counts grouped as ``numbers`` says (Keras and
    torchinfo group with commas: the default)."""
    style = numbers or NumberStyle()
    if summary.framework == "pytorch":
        return torchinfo_layout(summary, style, _)
    return keras_layout(summary, style, _)


def summary_text(summary: ModelSummary, line_length: int | None = None) -> str:
    """What ``model.summary(line_length=...)`` (default 88 for a chain, 108 with "Connected
    to", 12 more with show_trainable) or ``str(torchinfo.summary(...))`` prints for the
    model."""
    drawn = layout(summary)
    if summary.framework == "pytorch":
        return torchinfo_text(drawn)
    return keras_text(drawn, line_length)
