"""What the code reader keeps of PyTorch while it reads a cell (standard library only): the
modules made, the ``torchinfo.summary(...)`` calls (read when the whole cell is), and, while the
summary's forward pass is read, the hooks that record each module call and the steps that
could not be followed."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..code.evaluate import Scope
    from ..code.reader import Reader


@dataclass
class TorchSession:
    made: list[Any] = field(default_factory=list)  # every module the cell made, in order
    # torchinfo.summary(...) calls, as written, with the scope to read them in at the end
    summary_calls: list[tuple[ast.Call, Scope]] = field(default_factory=list)
    hooks: Any = None  # the Hooks of the summary's forward pass, while it is read
    training: bool = True  # torchinfo reads the model in eval mode
    problems: list[tuple[int, str]] = field(default_factory=list)
    input_dtype: str | None = None  # what the model's input must be (int64 for an Embedding)

    def problem(self, line: int, text: str) -> None:
        """A step of the forward pass that cannot be followed (said only while the summary's
        forward pass is read, once)."""
        if self.hooks is not None and (line, text) not in self.problems:
            self.problems.append((line, text))


def torch_session(reader: Reader) -> TorchSession:
    found = reader.session.get("torch")
    if not isinstance(found, TorchSession):
        found = reader.session["torch"] = TorchSession()
    return found


__all__ = ["TorchSession", "torch_session"]
