"""A Keras functional model (``keras.Model(inputs, outputs)``) and what its summary lists
(standard library only).

The rows are the model's operations in Keras' order (keras/src/ops/function.py
``map_graph``: by depth from the inputs, then in the order a depth-first walk from the
outputs first meets them), each with the shapes of its last call and, unless the graph is a
plain chain, the tensors each of its calls was fed ("Connected to";
keras/src/utils/summary_utils.py ``print_summary``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ...spec import Shape
from ..code.values import FrameworkObject, Unknown, shown
from ..summary import ModelSummary, Row, SummaryCall
from .graph import KerasTensor, Node, Operation, call_node, keras_tensors

if TYPE_CHECKING:
    from ..code.reader import Reader


class GraphError(ValueError):
    """A graph Keras refuses to make a model of, in Keras' words."""


@dataclass(frozen=True)
class GraphMap:
    """map_graph's answer: the operations in order, the nodes by depth, and the model's own
    nodes (a shared layer's calls outside it are not its connections)."""

    operations: tuple[Operation, ...]
    nodes_by_depth: dict[int, list[Node]]

    @property
    def nodes(self) -> list[Node]:
        return [
            node for depth in sorted(self.nodes_by_depth) for node in self.nodes_by_depth[depth]
        ]


def map_graph(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> GraphMap:
    """keras/src/ops/function.py map_graph and _build_map, step for step."""
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[Node] = []  # from the inputs to the outputs
    first_seen: dict[int, int] = {}  # id(operation) -> when the walk first met it
    input_ids = {id(tensor) for tensor in inputs}

    def walk(tensor: KerasTensor) -> None:
        node = tensor.node
        if id(node) in finished:
            return
        if node.inputs and id(tensor) in input_ids:  # an input made by a layer: the edge
            finished.add(id(node))
            return
        if id(node) in in_progress:
            raise GraphError(f"Tensor {tensor.history} is part of a cycle.")
        first_seen.setdefault(id(node.operation), len(first_seen))
        in_progress.add(id(node))
        for parent in node.inputs:
            walk(parent)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for tensor in outputs:
        walk(tensor)
    in_graph = {id(node) for node in ordered}
    node_depth: dict[int, int] = {}
    operation_depth: dict[int, int] = {}
    operations: dict[int, Operation] = {}
    for node in reversed(ordered):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, operation_depth.get(id(node.operation), 0))
        operation_depth[id(node.operation)] = depth
        operations[id(node.operation)] = node.operation
        node_depth[id(node)] = depth
        for parent in node.parents:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    by_id = {id(node): node for node in ordered}
    for tensor in inputs:  # an input nothing uses is still the model's
        operation = tensor.node.operation
        if id(operation) not in operation_depth and not tensor.node.inputs:
            operation_depth[id(operation)] = 0
            operations[id(operation)] = operation
            first_seen[id(operation)] = -1
            node_depth[id(tensor.node)] = 0
            by_id[id(tensor.node)] = tensor.node
    nodes_by_depth: dict[int, list[Node]] = defaultdict(list)
    for key, depth in node_depth.items():
        nodes_by_depth[depth].append(by_id[key])
    by_depth: dict[int, list[Operation]] = defaultdict(list)
    for key, depth in operation_depth.items():
        by_depth[depth].append(operations[key])
    listed: list[Operation] = []
    for depth in sorted(by_depth, reverse=True):
        listed += sorted(by_depth[depth], key=lambda op: first_seen[id(op)])
    computable = {id(tensor) for tensor in inputs}
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for tensor in node.inputs:
                if id(tensor) not in computable:
                    raise GraphError(
                        f"Graph disconnected: cannot find parent for tensor {tensor.history} "
                        f"at operation '{node.operation.name}'."
                    )
            computable.update(id(tensor) for tensor in node.outputs)
    names = [operation.name for operation in listed]
    for name in names:
        if names.count(name) != 1:
            raise GraphError(
                f'The name "{name}" is used {names.count(name)} times in the model. All '
                "operation names should be unique."
            )
    return GraphMap(tuple(listed), dict(nodes_by_depth))


def unreached_output(
    graph: GraphMap, inputs: list[KerasTensor], outputs: list[tuple[str, KerasTensor]]
) -> str | None:
    """Keras runs the graph from the model's inputs once (Function._run_through_graph): the
    path of the first output it does not reach (one fed by another Input), or None."""
    reached = {id(tensor) for tensor in inputs}
    for depth in sorted(graph.nodes_by_depth, reverse=True):
        for node in graph.nodes_by_depth[depth]:
            if node.inputs and all(id(tensor) in reached for tensor in node.inputs):
                reached.update(id(tensor) for tensor in node.outputs)
    return next((path for path, tensor in outputs if id(tensor) not in reached), None)


def flattened(structure: object, path: str = "") -> list[tuple[str, object]]:
    """``tree.flatten_with_path``: lists in order, dicts by key; each item's path."""
    if isinstance(structure, list | tuple):
        found: list[tuple[str, object]] = []
        for index, item in enumerate(structure):
            found += flattened(item, f"{path}.{index}" if path else str(index))
        return found
    if isinstance(structure, dict):
        found = []
        for key in sorted(structure, key=str):
            found += flattened(structure[key], f"{path}.{key}" if path else str(key))
        return found
    return [(path, structure)]


class FunctionalModel(FrameworkObject, Operation):
    """``keras.Model(inputs, outputs, name=...)``: the graph from its inputs to its outputs.
    Used as a layer (called on tensors) it is one operation of a bigger model."""

    def __init__(
        self,
        name: str,
        line: int,
        inputs: list[KerasTensor],
        outputs: list[tuple[str, KerasTensor]],
        graph: GraphMap | None,
        problem: str | None,
    ) -> None:
        Operation.__init__(self, name, "Functional", line)
        self.inputs = inputs
        self.outputs = outputs
        self.graph = graph
        self.problem = problem  # why Keras would not make it
        self.call = SummaryCall()
        self.frozen = False

    def shown(self) -> str:
        return f"the model {self.name!r}"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name":
            return self.name
        if name in ("inputs", "input"):
            return list(self.inputs) if name == "inputs" or len(self.inputs) > 1 else self.inputs[0]
        if name in ("outputs", "output"):
            outputs = [tensor for _path, tensor in self.outputs]
            return outputs if name == "outputs" or len(outputs) > 1 else outputs[0]
        if name == "layers" and self.graph is not None:
            return [op for op in self.graph.operations if op.is_layer]
        if name == "trainable":
            return not self.frozen
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        from .library import QUIET_MODEL_METHODS, summary_call

        if name == "summary":
            self.call = summary_call(reader, args, kwargs, node)
            reader.summarized.append((self, reader.line_of(node)))
            return None
        if name == "__setattr__" and args and args[0] == "trainable":
            self.frozen = args[1] is False
            return None
        if name == "get_layer" and self.graph is not None:
            wanted = args[0] if args else kwargs.get("name")
            for operation in self.graph.operations:
                if operation.name == wanted:
                    return getattr(operation, "obj", operation)
        if name in QUIET_MODEL_METHODS:
            return None
        return super().method(reader, name, args, kwargs, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """The model used as a layer: one node of the outer graph, and its outputs."""
        given = args[0] if args else kwargs.get("inputs")
        tensors = list(keras_tensors(given))
        if isinstance(given, Unknown):
            return given
        if not tensors:
            return reader.unknown(
                node, f"calls {self.shown()} on {shown(given)}, not on tensors", definable=False
            )
        problem = None
        if len(tensors) != len(self.inputs):
            problem = (
                f"Model {self.name!r} takes {len(self.inputs)} input(s), and is called on "
                f"{len(tensors)}"
            )
        made = call_node(self, tensors, reader.line_of(node), problem)
        shapes = self.replay(made, [tensor.shape for tensor in tensors])
        outputs = made.add_outputs(shapes or [t.shape for _p, t in self.outputs], "float32")
        return outputs[0] if len(outputs) == 1 else outputs

    def replay(self, node: Node, shapes: list[Shape | None]) -> list[Shape | None] | None:
        """Keras runs the model's graph on the tensors it is called on: the shapes of its
        outputs for inputs of other shapes than its own (each call replayed; a call that
        cannot say keeps the shapes it gave)."""
        own = [tensor.shape for tensor in self.inputs]
        if self.graph is None or len(shapes) != len(own):
            return None
        if shapes == own:
            return [tensor.shape for _path, tensor in self.outputs]
        found: dict[int, Shape | None] = {
            id(tensor): shape for tensor, shape in zip(self.inputs, shapes, strict=True)
        }
        for depth in sorted(self.graph.nodes_by_depth, reverse=True):
            for call in self.graph.nodes_by_depth[depth]:
                if not call.inputs:
                    continue
                fed = [found.get(id(tensor), tensor.shape) for tensor in call.inputs]
                again = call.operation.replay(call, fed)
                made = again if again is not None else [t.shape for t in call.outputs]
                for tensor, shape in zip(call.outputs, made, strict=False):
                    found[id(tensor)] = shape
        return [found.get(id(tensor), tensor.shape) for _path, tensor in self.outputs]

    def row(self) -> Row:
        return Row(self.line, self.cls, self.name, self.cls, nested=self.summary(),
                   frozen=self.frozen)  # fmt: skip

    def summary(self) -> ModelSummary:
        return functional_summary(self)


def _row(operation: Operation, own: set[int]) -> Row:
    """An operation's row in a model: its own (count, nested model), with the shapes of its
    last call and every call's inputs that are the model's own (``own``: their ids)."""
    row = operation.row()
    connected = tuple(
        tensor.history for node in operation.nodes if id(node) in own for tensor in node.inputs
    )
    last = operation.nodes[-1] if operation.nodes else None
    shapes: tuple[Shape | None, ...] = () if last is None else tuple(t.shape for t in last.outputs)
    return replace(
        row,
        output_shape=shapes[0] if shapes else None,
        output_shapes=shapes if len(shapes) > 1 else (),
        connected_to=connected,
    )


def is_chain(graph: GraphMap) -> bool:
    """summary_utils.print_summary's ``sequential_like``: one node at every depth, each fed
    one tensor, and no layer called twice in the model."""
    nodes: list[Node] = []
    for depth in sorted(graph.nodes_by_depth):
        at_depth = graph.nodes_by_depth[depth]
        if len(at_depth) > 1 or (len(at_depth) == 1 and len(at_depth[0].inputs) > 1):
            return False
        nodes += at_depth
    own = {id(node) for node in nodes}
    for operation in graph.operations:
        if operation.is_layer and sum(id(node) in own for node in operation.nodes) > 1:
            return False
    return True


def functional_summary(model: FunctionalModel) -> ModelSummary:
    graph = model.graph
    problems: list[tuple[int, str]] = []
    if model.problem:
        problems.append((model.line, model.problem))
    rows: list[Row] = []
    if graph is not None:
        own = {id(node) for node in graph.nodes}
        rows = [_row(operation, own) for operation in graph.operations]
        for node in graph.nodes:
            if node.problem:
                problems.append((node.line, f"{node.operation.name}: {node.problem}"))
    first = model.inputs[0] if model.inputs else None
    outputs = [tensor for _path, tensor in model.outputs]
    stops = [line for line, _problem in problems]
    if graph is not None:  # a call whose row says why Keras refuses it
        stops += [node.line for node in graph.nodes if node.refused]
    refused = min(stops, default=None)
    return ModelSummary(
        "keras",
        model.name,
        None if first is None else first.shape,
        "float32" if first is None else first.dtype,
        outputs[0].shape if outputs else None,
        tuple(rows),
        tuple(sorted(problems)),
        (),
        model.call,
        connected=graph is not None and not is_chain(graph),
        refused_at=refused,
    )


__all__ = ["FunctionalModel", "GraphError", "flattened", "functional_summary", "map_graph"]
