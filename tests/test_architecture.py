"""The shape of the package: where Sphinx may be imported, no import cycles, every framework
record complete, and a new layer kind added by registering it alone."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, get_args

import pytest

import sphinxcontrib_lstmparams
from sphinxcontrib_lstmparams import count_params, formula
from sphinxcontrib_lstmparams.expression import Add, Mul, Num, Sym, Symbol, labelled
from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES, FRAMEWORKS
from sphinxcontrib_lstmparams.kinds import KINDS, register, registered, unregister
from sphinxcontrib_lstmparams.kinds.base import LayerKind
from sphinxcontrib_lstmparams.kinds.common import read_dtype, read_framework, read_timesteps
from sphinxcontrib_lstmparams.kinds.recurrent import CELLS
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.options import parse_int, required
from sphinxcontrib_lstmparams.spec import (
    DType,
    FrameworkName,
    Gate,
    Gettext,
    RecurrentCell,
    Tensor,
)
from sphinxcontrib_lstmparams.storage import stored_tensors
from sphinxcontrib_lstmparams.table import Column, Counts, Product, Row, Table

PACKAGE = Path(sphinxcontrib_lstmparams.__file__).parent


@dataclass(frozen=True)
class Module:
    name: str  # dotted
    package: str  # what a relative import starts from
    tree: ast.Module


def modules() -> Iterator[Module]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path.name == "__init__.py":
            name = name.removesuffix(".__init__")
            yield Module(name, name, tree)
        else:
            yield Module(name, name.rpartition(".")[0], tree)


def imports(module: Module) -> set[str]:
    """What ``module`` imports at import time (not under TYPE_CHECKING, not in functions)."""
    found = set()
    for node in module.tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = module.package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            named = node.module or ""
            target = (f"{base}.{named}" if named else base) if node.level else named
            found.add(target)
            for alias in node.names:  # `from . import wording` imports a module
                path = PACKAGE.parent / f"{target}.{alias.name}".replace(".", "/")
                if path.with_suffix(".py").exists():
                    found.add(f"{target}.{alias.name}")
    return found


def test_sphinx_only_in_sphinxext_and_docutils_only_where_nodes_are_made() -> None:
    seen = set()
    for module in modules():
        top = {name.split(".")[0] for name in imports(module)}
        seen |= top
        if "sphinx" in top:
            assert ".sphinxext" in module.name, f"{module.name} imports Sphinx"
        if "docutils" in top:
            assert module.name.split(".")[1] in ("sphinxext", "render"), module.name
    assert {"sphinx", "docutils"} <= seen  # the check looked at real imports


def test_no_import_cycles_inside_the_package() -> None:
    graph = {
        module.name: {m for m in imports(module) if m.startswith("sphinxcontrib_lstmparams")}
        for module in modules()
    }
    assert "sphinxcontrib_lstmparams.kinds" in graph["sphinxcontrib_lstmparams.counting"]
    assert "sphinxcontrib_lstmparams.wording" in graph["sphinxcontrib_lstmparams.plain_text"]

    done: set[str] = set()  # modules whose imports are known to end without a cycle

    def visit(node: str, path: list[str]) -> None:
        assert node not in path, " -> ".join([*path[path.index(node) :], node])
        if node in done:
            return
        for child in graph.get(node, ()):
            visit(child, [*path, node])
        done.add(node)

    for name in graph:
        visit(name, [])


def all_imports(module: Module) -> set[str]:
    """What ``module`` may import, at import time or later (in its functions), not counting
    ``if TYPE_CHECKING:`` blocks; for a package, what its ``__init__`` imports when loaded."""
    if module.name == module.package:
        return imports(module)

    def nodes(node: ast.AST) -> Iterator[ast.AST]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            yield child
            yield from nodes(child)

    found = set()
    for node in nodes(module.tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            body = ast.Module(body=[node], type_ignores=[])
            found |= imports(Module(module.name, module.package, body))
    return found


def test_the_mystmd_plugin_reaches_neither_sphinx_nor_docutils() -> None:
    """mystmd runs ``myst/plugin.py`` as a process per directive: everything it can import, in any
    function, is the package's, the standard library's or PyYAML (``directive_options`` reads
    a ``---`` option block with it)."""
    by_name = {module.name: module for module in modules()}
    seen: set[str] = set()
    todo = ["sphinxcontrib_lstmparams.myst"]
    while todo:
        name = todo.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        for imported in all_imports(by_name[name]):
            top = imported.split(".")[0]
            if top == "sphinxcontrib_lstmparams":
                todo.append(imported)
            else:
                assert top in sys.stdlib_module_names or top == "yaml", (name, imported)
    assert {
        "sphinxcontrib_lstmparams.myst.mdast_model",
        "sphinxcontrib_lstmparams.model.summary",
    } <= seen


# -- frameworks ---------------------------------------------------------------------------------


def test_every_framework_name_has_a_complete_record() -> None:
    assert set(FRAMEWORKS) == set(FRAMEWORK_NAMES)
    canonical: dict[RecurrentCell, set[Gate]] = {
        "lstm": {"input", "forget", "cell", "output"},
        "gru": {"update", "reset", "candidate"},
        "rnn": {"hidden"},
    }
    for name, record in FRAMEWORKS.items():
        assert record.name == name and record.title and record.short
        for cell in CELLS:
            gates = record.gate_order[cell]
            assert sorted(gates) == sorted(canonical[cell]), (name, cell)
            assert len(record.gate_letters[cell]) == len(gates), (name, cell)
            spec = count_params(cell=cell, units=3, input_dim=2, framework=name).spec
            stored = stored_tensors(spec)
            assert stored, (name, cell)
            for gate in gates:
                for reset_after in (True, False):
                    biases = record.biases(cell, gate, reset_after)
                    assert 1 <= len(biases) <= 2 and set(biases) <= {
                        "bias",
                        "input_bias",
                        "recurrent_bias",
                    }
        assert "concat" in record.merge_modes
        assert record.projection_below_units <= bool(record.projection)


def test_refusals_name_the_frameworks_that_have_the_feature() -> None:
    with pytest.raises(ValueError, match=r"\(ONNX P and TF1 use_peepholes have them\)"):
        count_params(units=8, input_dim=3, peepholes=True)
    with pytest.raises(ValueError, match=r"\(PyTorch proj_size and TF1 num_proj have one\)"):
        count_params(units=8, input_dim=3, proj_size=2)


# -- a new layer kind, registered alone ----------------------------------------------------------


@dataclass(frozen=True)
class LinearSpec:
    cell: str
    units: int
    input_dim: int
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"


class Linear(LayerKind[LinearSpec]):
    """A toy kind: one weight matrix and one bias, y = x W + b."""

    name = "linear"
    cells: ClassVar[tuple[str, ...]] = ("linear",)
    options: ClassVar[tuple[str, ...]] = ("units", "input_dim", "framework", "timesteps", "dtype")

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> LinearSpec:
        return LinearSpec(
            cell,
            parse_int("units", required(raw, "units"), 1),
            parse_int("input_dim", required(raw, "input_dim"), 1),
            read_framework(raw, default_framework),
            read_timesteps(raw),
            read_dtype(raw),
        )

    def expression(self, spec: LinearSpec) -> Any:
        weights = labelled(Sym("i", spec.input_dim), kind="input_weights")
        bias = labelled(Num(1), kind="bias")
        body = Mul((Add((weights, bias)), Sym("h", spec.units)))
        return labelled(body, layer=1, direction="forward", gate="layer")

    def title(self, spec: LinearSpec, _: Gettext) -> str:
        return f"{FRAMEWORKS[spec.framework].title} linear layer"

    def describe(self, spec: LinearSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        return [f"{numbers.count(spec.units)} units"]

    def symbols(self, spec: LinearSpec, _: Gettext) -> list[Symbol]:
        return [Symbol("i", spec.input_dim, "{symbol} = {value}")]

    def table(
        self, spec: LinearSpec, tensors: Sequence[Tensor], _: Gettext, rows: Any = None
    ) -> Table:
        rows = [Row((t.kind, Product(t.shape))) for t in tensors]
        total = Row(("Total", Counts((sum(t.count for t in tensors),))), is_total=True)
        return Table((Column("Part", numeric=False), Column("Count")), (*rows, total))


@pytest.fixture
def linear_kind() -> Iterator[Linear]:
    kind = Linear()
    register(kind)
    yield kind
    unregister(kind)


def test_a_registered_kind_counts_through_the_api_and_the_directive(
    linear_kind: Linear, tmp_path: Path, project: Callable[..., Any]
) -> None:
    assert linear_kind in registered() and KINDS["linear"] is linear_kind
    breakdown = count_params(cell="linear", units=3, input_dim=4)
    assert breakdown.total == 15
    assert [(t.kind, t.shape) for t in breakdown.tensors] == [
        ("input_weights", (4, 3)),
        ("bias", (3,)),
    ]
    assert formula(breakdown).text() == "P = (i + 1) × h\n  = (4 + 1) × 3\n  = 15"

    page = "T\n=\n\n.. lstm-params::\n   :cell: linear\n   :units: 3\n   :input-dim: 4\n"
    built = project(tmp_path, {"index.rst": page})
    assert built.warnings == ""
    html = built.output().replace("\N{NO-BREAK SPACE}", " ")
    assert "Keras linear layer, 3 units has <strong>15</strong> trainable parameters." in html
    assert "4 × 3 = 12" in html and "Parameters of a Keras linear layer" in html


def test_a_kind_without_a_cell_draws_no_diagram_and_no_storage_map(
    linear_kind: Linear, tmp_path: Path, project: Callable[..., Any]
) -> None:
    page = "T\n=\n\n.. lstm-params::\n   :cell: linear\n   :units: 3\n   :input-dim: 4\n"
    built = project(tmp_path, {"index.rst": page + "   :show: answer, diagram, storage\n"})
    assert built.warnings == ""
    html = built.output()
    assert "<strong>15</strong>" in html and "<svg" not in html and "<table" not in html


def test_options_of_one_kind_are_refused_for_another(linear_kind: Linear) -> None:
    with pytest.raises(
        ValueError, match="bidirectional: applies to ConvLSTM and recurrent layers only, not linear"
    ):
        count_params(cell="linear", units=3, input_dim=4, bidirectional=True)


@pytest.mark.parametrize("kind", registered(), ids=lambda kind: kind.name)
def test_every_kind_expands_into_whole_tensors(kind: LayerKind[Any]) -> None:
    """The expression multiplied out is one whole tensor per term, and sums to its value."""
    for cell in kind.cells:
        for framework in FRAMEWORK_NAMES:
            try:
                breakdown = count_params(
                    cell=cell,
                    units=5,
                    input_dim=3,
                    framework=framework,
                    layers=2,
                    bidirectional=True,
                )
            except ValueError:
                continue
            assert formula(breakdown).total == breakdown.total
            assert len(set(breakdown.tensors)) == len(breakdown.tensors)


def test_literal_types_list_what_parsing_accepts() -> None:
    assert get_args(RecurrentCell) == CELLS


def test_the_architecture_page_names_every_folder_and_front_end_module() -> None:
    """docs/architecture.rst's tree is the folder tree: every subpackage is named there, and
    every module of the core, of ``model/`` and of the front ends by its path."""
    page = (PACKAGE.parent / "docs" / "architecture.rst").read_text(encoding="utf-8")
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        folder = relative.parts[0] if len(relative.parts) > 1 else ""
        if folder:
            assert f"{folder}/" in page, f"the folder {folder}/ is not on the page"
        if path.name in ("__init__.py", "__main__.py") or folder in (
            "kinds",
            "render",
            "sphinxext",
        ):
            continue  # each kind, renderer and Sphinx piece is named in its own section
        parent = relative.parent.as_posix()
        named = relative.as_posix() in page or (f"{parent}/" in page and path.name in page)
        assert named, f"{relative} is not on docs/architecture.rst"
