"""The rows torchinfo records, from a model of modules (standard library only).

torchinfo (1.8, ``torchinfo.py`` and ``layer_info.py``) walks the model's modules depth first
in the order they were registered, putting a hook on each (a module registered twice keeps
the hook, name and depth of the last place it is found), then runs ``forward``: every call
of a hooked module is a row, in the order of the calls, marked recursive when the module had
a row before. Containers that ``forward`` never calls (a ``ModuleList``) are put in above the
first row under them. Without an input nothing is run: every module is a row, in the order of
the walk. :class:`Hooks` does the same over the reader's modules, while the reader reads the
forward pass; :func:`finished` orders and numbers the rows as torchinfo does.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from ...spec import Shape
from ..summary import ModelError
from .modules import child_modules, module_cls, named_parameters, parameter_count
from .tensors import ELEMENT_BYTES, TorchTensor

# the most modules a walk goes through (a module that holds itself would never end), and the
# most module calls a forward pass may make (a loop over a long sequence)
MAX_MODULES = 1_000
MAX_CALLS = 2_000


@dataclass(eq=False)
class Call:
    """One row of torchinfo's: a module called (or, without an input, a module found)."""

    module: object
    var_name: str  # the attribute it is registered as (the model's class for the model)
    path: str  # where it sits: encoder.rnn ("" for the model)
    depth: int
    parent: Call | None  # the row of the module it is registered under, as the walk found it
    depth_index: int | None = None
    recursive: bool = False
    executed: bool = False
    line: int = 0  # where it is called (the module's own line when not called)
    input_size: Shape | None = ()  # () when torchinfo has no size: it prints --
    output_size: Shape | None = ()
    output_bytes: int | None = 0
    children: list[Call] = field(default_factory=list)
    params: int | None = 0  # every parameter of the module, its children's included
    trainable: int | None = 0
    weighted: bool = False  # a parameter whose name has weight or bias (torchinfo's MACs)

    @property
    def leaf(self) -> bool:
        return not any(True for _ in child_modules(self.module))

    def count(self) -> None:
        """LayerInfo.calculate_num_params: every parameter of the module, each once."""
        total: int | None = 0
        trainable: int | None = 0
        self.weighted = False
        for name, param in named_parameters(self.module):
            n, t = parameter_count(param)
            total = None if total is None or n is None else total + n
            trainable = None if trainable is None or t is None else trainable + t
            last = name.rpartition(".")[2]
            if ("weight" in last or "bias" in last) and n != 0:
                self.weighted = True
        self.params, self.trainable = total, trainable


class Hooks:
    """torchinfo's hooks on the reader's modules."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.rows: list[Call] = []
        self.seen: set[int] = set()  # modules that had a row (for recursive)
        self.latest: dict[int, Call] = {}  # the last row of each module
        # id -> (name, path, depth, parent): where the walk found each module last
        self.registered: dict[int, tuple[str, str, int, Call | None]] = {}
        self.walk: list[Call] = []  # every module as the walk found it, in order
        stack: list[tuple[str, str, object, int, Call | None]] = [
            (module_cls(model), "", model, 0, None)
        ]
        while stack:
            name, path, module, depth, parent = stack.pop()
            if len(self.walk) == MAX_MODULES:
                raise ModelError(f"more than {MAX_MODULES:,} modules: a summary lists fewer")
            above = parent
            while above is not None:
                if above.module is module:
                    raise ModelError(
                        f"{path} is the module {above.path or module_cls(model)} itself: "
                        "torchinfo would walk it for ever",
                        getattr(module, "line", None),
                    )
                above = above.parent
            found = Call(module, name, path, depth, parent, line=getattr(module, "line", 0))
            self.walk.append(found)
            self.registered[id(module)] = (name, path, depth, parent)
            stack += [
                (child, f"{path}.{child}" if path else child, sub, depth + 1, found)
                for child, sub in reversed(list(child_modules(module)))
            ]

    def _row(self, module: object, line: int) -> Call:
        if len(self.rows) == MAX_CALLS:
            raise ModelError(
                f"forward calls modules more than {MAX_CALLS:,} times: a summary lists fewer "
                "(a loop over a long sequence? give a shorter input)",
                line,
            )
        name, path, depth, parent = self.registered[id(module)]
        row = Call(module, name, path, depth, parent, line=line)
        row.count()
        row.recursive = id(module) in self.seen
        self.rows.append(row)
        self.seen.add(id(module))
        self.latest[id(module)] = row
        return row

    def without_input(self) -> list[Call]:
        """torchinfo without an input: every module found, in the order of the walk, each
        with the name and depth of the place it is found there."""
        for found in self.walk:
            found.count()
            found.recursive = id(found.module) in self.seen
            self.seen.add(id(found.module))
            self.rows.append(found)
        return finished(self.rows, ran=False)

    # -- the forward pass ----------------------------------------------------------------------

    def pre(self, module: object, node: ast.AST) -> None:
        if id(module) in self.registered:
            self._row(module, getattr(node, "lineno", 1) - 1)

    def post(self, module: object, args: list[object], out: object) -> None:
        row = self.latest.get(id(module))
        if row is None:
            return
        row.input_size, _ = measured(tuple(args))
        row.output_size, element = measured(out)
        size = row.output_size
        if size is None or element is None or None in size:
            row.output_bytes = None
        else:
            row.output_bytes = element * math.prod(n or 0 for n in size)
        row.executed = True

    def with_input(self) -> list[Call]:
        """The rows of the forward pass read, with the containers it never called put in."""
        add_missing_containers(self.rows)
        return finished(self.rows, ran=True)


def measured(value: object) -> tuple[Shape | None, int | None]:
    """LayerInfo.calculate_size: the size torchinfo lists for a module's input or output
    and the bytes of one element; ``()`` (printed ``--``) when there is no tensor, None when
    the reader could not follow the shape. A tuple's first tensor counts (depth first), a
    dict's last value (then that value's first)."""
    if isinstance(value, dict):
        value = list(value.values())[-1] if value else None  # the last, as torchinfo
    for _ in range(20):
        if isinstance(value, TorchTensor):
            element = ELEMENT_BYTES.get(value.dtype or "float32", 4)
            return value.shape, element
        if isinstance(value, dict):
            value = next(iter(value.values()), None)
        elif isinstance(value, tuple | list) and value:
            value = value[0]
        elif isinstance(value, tuple | list) or value is None:
            return (), 0
        else:
            return None, None  # what the reader could not follow
    return None, None


def add_missing_containers(rows: list[Call]) -> None:
    """torchinfo.py add_missing_container_layers: the modules above a row that have no row
    of their own just before it (a ModuleList, which is never called) are put in. As there,
    the loop goes on over the list as it grows (a row put in is then looked at too)."""
    ids = {id(row.module) for row in rows}
    current: dict[int, Call] = {}
    index = 0
    while index < len(rows):
        row = rows[index]
        shift = 0
        hierarchy: dict[int, Call] = {}
        parent = row.parent
        while parent is not None and parent.depth > 0:
            hierarchy[parent.depth] = parent
            parent = parent.parent
        for depth in range(1, row.depth):
            above = hierarchy[depth]
            before = rows[index + shift - 1]
            if (depth not in current or current[depth].module is not above.module) and (
                above is not before
            ):
                above.count()
                above.recursive = id(above.module) in ids
                rows.insert(index + shift, above)
                ids.add(id(above.module))
                current[depth] = above
                shift += 1
        current[row.depth] = row
        deeper = row.depth + 1
        while deeper in current:
            current.pop(deeper)
            deeper += 1
        index += 1


def finished(rows: list[Call], ran: bool) -> list[Call]:
    """torchinfo.py set_children_layers: each row's number among the rows of its depth, and
    the rows under it."""
    numbers: dict[int, int] = {}
    for index, row in enumerate(rows):
        numbers[row.depth] = numbers.get(row.depth, 0) + 1
        row.depth_index = numbers[row.depth]
        under: list[Call] = []
        for later in rows[index + 1 :]:
            if later.depth <= row.depth:
                break
            under.append(later)
        row.children = under
        if not ran:
            row.input_size = row.output_size = ()
    return rows


__all__ = ["Call", "Hooks", "add_missing_containers", "finished", "measured"]
