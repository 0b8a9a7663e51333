"""What ``print(model)`` shows, read back into modules (standard library only).

torch prints a module as ``Class(`` then one ``(name): ...`` line per child, indented by two
spaces, and ``)``; a child that has no children of its own is one line, its class and the
arguments it was made with (``Linear(in_features=512, out_features=10, bias=True)``), and a
``ModuleList`` writes a run of alike items once, as ``(0-11): 12 x BertLayer(``. That text is
not Python, so :mod:`..read` asks :func:`looks_like_tree` before reading a paste line by line.

Each line becomes the module it names: the containers torch has, the layers we count (read
by the constructors, as a pasted layer is), and a class of the author's as a module holding
its children. A repr never shows an ``nn.Parameter`` that a class of the author's holds
itself, so such classes are named: their totals are at least what the rows add up to.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...counting import Breakdown
from ..summary import ModelError
from .modules import (
    ModuleDict,
    ModuleList,
    Sequential,
    TorchLayer,
    TorchModule,
    TorchParameter,
    UnreadModule,
)

_OPEN = re.compile(r"^(?:\((?P<key>[^()]*)\): )?(?:(?P<count>\d+) x )?(?P<cls>[A-Za-z_]\w*)\($")
_CHILD = re.compile(r"^\((?P<key>[^()]*)\): (?:(?P<count>\d+) x )?(?P<text>.*)$")
_CONTAINERS = {"Sequential": Sequential, "ModuleList": ModuleList, "ModuleDict": ModuleDict}
# torch's modules made of modules that hold no parameter of their own
_TORCH_BLOCKS = frozenset(
    {"TransformerEncoderLayer", "TransformerDecoderLayer", "TransformerEncoder",
     "TransformerDecoder", "Transformer"}
)  # fmt: skip
# what print(model) writes for a class we count as another (MultiheadAttention's out_proj)
_READ_AS = {"NonDynamicallyQuantizableLinear": "Linear"}
# what a repr shows that the class's call does not take (its class fixes it)
_SHOWN_ONLY = {"UpsamplingNearest2d": "mode", "UpsamplingBilinear2d": "mode"}
MAX_TREE_LINES = 20_000


def looks_like_tree(lines: Sequence[str]) -> bool:
    """Whether a paste is a ``print(model)`` tree: ``Class(``, then indented ``(name): ...``
    lines (and ``)``, which :func:`read_tree` asks for)."""
    body = [line.rstrip() for line in lines if line.strip()]
    if len(body) < 2 or not _OPEN.match(body[0].strip()):
        return False
    return bool(_CHILD.match(body[1].strip())) and body[1][:1] == " "


@dataclass
class Tree:
    """A tree read back: its model, and the classes of the author's it holds (whose own
    parameters a repr cannot show)."""

    model: TorchModule
    custom: list[tuple[int, str]]  # (line, class) of each class of the author's
    notes: list[tuple[int, str]]  # (line, note) of what a repr does not show but is assumed


def read_tree(lines: Sequence[str]) -> Tree:
    """The modules a ``print(model)`` tree shows; ModelError at a line that is not one."""
    if len(lines) > MAX_TREE_LINES:
        raise ModelError(f"a print(model) tree of more than {MAX_TREE_LINES:,} lines")
    numbered = [(i, line) for i, line in enumerate(lines) if line.strip()]
    custom: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    position = 0

    def block(cls: str, line: int, indent: int) -> TorchModule:
        """The lines of a module opened with ``cls(`` up to its ``)``."""
        nonlocal position
        module = _container(cls, line, custom)
        while position < len(numbered):
            index, text = numbered[position]
            stripped = text.strip()
            depth = len(text) - len(text.lstrip(" "))
            if stripped == ")" and depth <= indent:
                position += 1
                if cls == "MultiheadAttention":
                    _attention(module, line, notes)
                return module
            position += 1
            child = _CHILD.match(stripped)
            if child is None:
                continue  # the module's own extra_repr line: nothing to count
            count = int(child["count"]) if child["count"] else 1
            opened = _OPEN.match(stripped)
            made: list[object]
            if opened is not None:
                made = [block(opened["cls"], index, depth)]
                end = position
                for _copy in range(count - 1):  # a run of alike items: the same text again
                    position = _start_of(numbered, index)
                    made.append(block(opened["cls"], index, depth))
                    position = end
            else:
                made = [_leaf(child["text"], index) for _copy in range(count)]
            for offset, item in enumerate(made):
                module.modules[_key(child["key"], offset)] = item
        raise ModelError(f"the module {cls} opened here is never closed with )", line)

    first_index, first = numbered[0]
    opened = _OPEN.match(first.strip())
    assert opened is not None
    position = 1
    model = block(opened["cls"], first_index, len(first) - len(first.lstrip(" ")))
    if position < len(numbered):
        raise ModelError("text after the model's closing )", numbered[position][0])
    return Tree(model, custom, notes)


def _start_of(numbered: list[tuple[int, str]], index: int) -> int:
    """Where the block opened at body line ``index`` starts (read again for each copy)."""
    return next(i for i, (line, _text) in enumerate(numbered) if line == index) + 1


def _key(key: str, offset: int) -> str:
    """``0-11`` with its copies: 0, 1, ... 11."""
    if "-" in key:
        start = key.partition("-")[0]
        if start.isdigit():
            return str(int(start) + offset)
    return key


def _container(cls: str, line: int, custom: list[tuple[int, str]]) -> TorchModule:
    made = _CONTAINERS.get(cls)
    if made is not None:
        return made(cls, line)
    if cls not in _TORCH_BLOCKS and cls != "MultiheadAttention":
        custom.append((line, cls))
    return TorchModule(cls, line)


def _attention(module: TorchModule, line: int, notes: list[tuple[int, str]]) -> None:
    """nn.MultiheadAttention prints only its ``out_proj``; its ``in_proj`` is 3 × (e × e + e)
    for a key and value of ``e`` features (the default), as a parameter of its own."""
    out = module.modules.get("out_proj")
    if not isinstance(out, TorchLayer):
        return
    counted = out.counted()
    if not isinstance(counted, Breakdown):
        return
    e = int(counted.spec.input_dim)
    bias = counted.total > e * e
    module.parameters["in_proj_weight"] = TorchParameter((3 * e, e), line)
    if bias:
        module.parameters["in_proj_bias"] = TorchParameter((3 * e,), line)
    note = (
        f"MultiheadAttention: print(model) shows only its out_proj; its in_proj is counted as "
        f"3 × ({e} × {e}{' + ' + str(e) if bias else ''}), for a key and value of {e} features "
        "(kdim, vdim and add_bias_kv are not shown)"
    )
    if (line, note) not in notes:
        notes.append((line, note))


def _leaf(text: str, line: int) -> object:
    """One line: a layer we count, or a module whose parameters are not known."""
    cls = text.partition("(")[0]
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return UnreadModule(cls or "?", line, f"{text}: not a module as print(model) writes one")
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return UnreadModule(cls or "?", line, f"{text}: not a module as print(model) writes one")
    if cls in _CONTAINERS and not node.args and not node.keywords:
        return _CONTAINERS[cls](cls, line)  # an empty container: ModuleList()
    if cls in _SHOWN_ONLY:
        node.keywords = [kw for kw in node.keywords if kw.arg != _SHOWN_ONLY[cls]]
    if cls in _READ_AS:  # counted as the class it is
        node.func = ast.copy_location(ast.Name(id=_READ_AS[cls], ctx=ast.Load()), node.func)
    layer = TorchLayer(node, text, cls, line, "pytorch")
    counted = layer.counted()
    if isinstance(counted, Exception) and "is not a layer we count" in str(counted):
        if not node.args and not node.keywords:
            # a class of the author's without children or arguments: its parameters unseen
            return UnreadModule(
                cls, line, f"{cls}() shows no parameters in print(model); its own are not known"
            )
        return UnreadModule(cls, line, str(counted), text)
    return layer


__all__ = ["Tree", "looks_like_tree", "read_tree"]
