"""Generate the three Sphinx projects that ``build_cost.py`` times against each other.

(a) ``directive``: N ``lstm-params`` directives.
(b) ``handwritten``: the same pages with what the directive renders typed out as plain reST
    (``list-table``, ``math``, paragraphs, bullet list): the floor, no extension can cost less
    than the page it produces. The text is taken from :mod:`sphinxcontrib_lstmparams.render`
    itself, so the two doctrees carry the same tables, formulas and notes.
(c) ``exec``: what users do without the extension: run framework code at build time with
    ``sphinx-exec-code`` (``torch.nn.LSTM(...)``, ``sum(p.numel() for p in m.parameters())``).
``verify``: (a) with ``lstmparams_verify = ["torch", "keras"]`` (``build_cost.py --verify``).

Every project has the same layers (a seeded random mix of realistic options), the same
headings and prose, ``PER_PAGE`` layers to a page and an index with a toctree.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes

from sphinxcontrib_lstmparams import OptionError, count, parse_spec
from sphinxcontrib_lstmparams.render import RenderSettings, render
from sphinxcontrib_lstmparams.spec import DEFAULT_PARTS
from sphinxcontrib_lstmparams.sphinxext.directive import PLAIN_MATH_BUILDERS

PER_PAGE = 50
VARIANTS = ("directive", "handwritten", "exec", "verify")

_UNITS = (16, 32, 64, 128, 128, 256, 256, 512, 1024)
_INPUTS = (1, 8, 13, 40, 64, 80, 128, 300, 512, 768, 1024, 4096)
_TORCH_CLASS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}


@dataclass(frozen=True)
class Layer:
    """One documented layer: its option lines, in the order an author would write them."""

    options: tuple[tuple[str, str], ...]
    title: str

    def value(self, name: str, default: str = "") -> str:
        return dict(self.options).get(name, default)


def _random_options(rng: random.Random) -> list[tuple[str, str]]:
    cell = rng.choice(("lstm", "lstm", "lstm", "gru", "gru", "rnn"))
    framework = rng.choice(("keras",) * 4 + ("pytorch",) * 3 + ("tensorflow-v1", "onnx", "flax"))
    units = rng.choice(_UNITS)
    options = [("cell", cell), ("units", str(units)), ("input-dim", str(rng.choice(_INPUTS)))]
    options.append(("framework", framework))
    layers = rng.choice((1, 1, 1, 1, 2, 2, 3))
    if layers > 1:
        options.append(("layers", str(layers)))
    if rng.random() < 0.3:
        options.append(("bidirectional", ""))
    if cell == "lstm" and framework in ("pytorch", "tensorflow-v1") and rng.random() < 0.15:
        options.append(("proj-size", str(units // 4)))
    if cell == "lstm" and framework == "tensorflow-v1" and rng.random() < 0.3:
        options.append(("peepholes", ""))
    if cell == "gru" and framework == "keras" and rng.random() < 0.2:
        options.append(("reset-after", "false"))
    if rng.random() < 0.05:
        options.append(("bias", "false"))
    if rng.random() < 0.5:
        options.append(("timesteps", str(rng.choice((16, 50, 100, 128, 200)))))
    if rng.random() < 0.2:
        options.append(("dtype", rng.choice(("float16", "bfloat16", "float64"))))
    return options


def make_layers(count_: int, seed: int = 2026) -> list[Layer]:
    """``count_`` valid layers, the same for a given seed."""
    rng = random.Random(seed)
    layers: list[Layer] = []
    while len(layers) < count_:
        options = _random_options(rng)
        try:
            spec = parse_spec(options)
        except OptionError:
            continue
        number = len(layers) + 1
        title = f"Layer {number}: {spec.cell.upper()} with {spec.units} units"
        if rng.random() < 0.2:
            options.append(("name", f"tbl-layer-{number}"))
        layers.append(Layer(tuple(options), title))
    return layers


def _spec_options(layer: Layer) -> list[tuple[str, str]]:
    return [(n, v) for n, v in layer.options if n != "name"]


# --- (a) the directive -------------------------------------------------------------------------


def directive_block(layer: Layer) -> str:
    lines = [".. lstm-params::"]
    lines += [f"   :{name}: {value}".rstrip() for name, value in layer.options]
    return "\n".join(lines)


# --- (b) the same output, written by hand ------------------------------------------------------


def _escape(text: str) -> str:
    for char in "\\*`|_":
        text = text.replace(char, "\\" + char)
    return text


def _inline(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return _escape(str(node))
    if isinstance(node, nodes.strong):
        return f"**{_escape(node.astext())}**"
    if isinstance(node, nodes.Element):
        return "".join(_inline(child) for child in node.children)
    raise TypeError(f"no reST for inline {node!r}")


def _indent(text: str, prefix: str = "   ") -> str:
    return textwrap.indent(text, prefix, lambda line: bool(line.strip()))


def _list_table(table: nodes.table, name: str) -> str:
    title = next(iter(table.findall(nodes.title)))
    colspecs = list(table.findall(nodes.colspec))
    rows = list(table.findall(nodes.row))
    lines = [f".. list-table:: {_inline(title)}"]
    lines.append("   :header-rows: 1")
    lines.append("   :stub-columns: 1")
    lines.append("   :widths: " + " ".join(str(c["colwidth"]) for c in colspecs))
    lines.append("   :class: " + " ".join(table["classes"]))
    if name:
        lines.append(f"   :name: {name}")
    lines.append("")
    for row in rows:
        for index, entry in enumerate(row.children):
            bullet = "   * -" if index == 0 else "     -"
            text = _inline(entry)
            lines.append(f"{bullet} {text}" if text else bullet)
    return "\n".join(lines)


def handwritten_block(layer: Layer) -> str:
    """What the directive renders for ``layer``, as plain reST (same nodes, same text)."""
    breakdown = count(parse_spec(_spec_options(layer)))
    built = render(breakdown, RenderSettings(parts=DEFAULT_PARTS), lambda message: message)
    parts: list[str] = []
    for element in built:
        if isinstance(element, nodes.table):
            parts.append(_list_table(element, layer.value("name")))
        elif isinstance(element, nodes.math_block):
            math = ".. math::\n\n" + _indent(element.astext())
            parts.append(f".. only:: not ({PLAIN_MATH_BUILDERS})\n\n" + _indent(math))
        elif isinstance(element, nodes.literal_block):
            code = f".. code-block:: none\n   :class: {' '.join(element['classes'])}\n\n"
            code += _indent(element.astext())
            parts.append(f".. only:: {PLAIN_MATH_BUILDERS}\n\n" + _indent(code))
        elif isinstance(element, nodes.bullet_list):
            items = [f"* {_inline(item)}" for item in element.children]
            parts.append(f".. rst-class:: {' '.join(element['classes'])}\n\n" + "\n".join(items))
        elif isinstance(element, nodes.paragraph):
            parts.append(_inline(element))
        else:
            raise TypeError(f"no reST for {element.__class__.__name__}")
    return ".. container:: lstm-params\n\n" + _indent("\n\n".join(parts))


# --- (c) executing framework code at build time ------------------------------------------------


def exec_block(layer: Layer) -> str:
    """A ``sphinx-exec-code`` block that builds the layer in PyTorch and prints the count.

    The other frameworks' layers are built in PyTorch too (it imports faster than
    TensorFlow), so this is a lower bound on what executing real framework code costs.
    """
    spec = parse_spec(_spec_options(layer))
    arguments = [f"input_size={spec.input_dim}", f"hidden_size={spec.units}"]
    if spec.layers > 1:
        arguments.append(f"num_layers={spec.layers}")
    if not spec.bias:
        arguments.append("bias=False")
    if spec.bidirectional:
        arguments.append("bidirectional=True")
    if spec.proj_size and spec.cell == "lstm":
        arguments.append(f"proj_size={spec.proj_size}")
    code = [
        "import torch",
        "",
        f"layer = torch.nn.{_TORCH_CLASS[spec.cell]}({', '.join(arguments)})",
        "for name, p in layer.named_parameters():",
        "    print(f'{name:20} {str(tuple(p.shape)):16} {p.numel():>12,}')",
        "print(f'total {sum(p.numel() for p in layer.parameters()):,}')",
    ]
    return ".. exec_code::\n\n" + _indent("\n".join(code))


# --- projects ----------------------------------------------------------------------------------

BLOCKS: dict[str, Callable[[Layer], str]] = {
    "directive": directive_block,
    "handwritten": handwritten_block,
    "exec": exec_block,
    "verify": directive_block,
}
EXTENSIONS = {
    "directive": ["sphinxcontrib_lstmparams"],
    "handwritten": [],
    "exec": ["sphinx_exec_code"],
    "verify": ["sphinxcontrib_lstmparams"],
}


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}"


def _page(variant: str, number: int, layers: Iterable[tuple[int, Layer]]) -> str:
    blocks = [_heading(f"Model part {number}", "="), "The recurrent layers of this part."]
    for index, layer in layers:
        blocks.append(_heading(layer.title, "-"))
        blocks.append(
            f"Layer {index} reads {layer.value('input-dim')} features per step; "
            f"here is what it costs in parameters."
        )
        blocks.append(BLOCKS[variant](layer))
    return "\n\n".join(blocks) + "\n"


def write_project(root: Path, variant: str, layers: list[Layer]) -> Path:
    """Write conf.py, index.rst and the pages for ``variant`` under ``root``; return it."""
    root.mkdir(parents=True, exist_ok=True)
    conf = [
        f'project = "Benchmark ({variant}, {len(layers)} layers)"',
        'author = "sphinxcontrib-lstmparams benchmarks"',
        f"extensions = {EXTENSIONS[variant]!r}",
        "numfig = True",
    ]
    if variant == "exec":
        conf.append(f"exec_code_working_dir = {str(root)!r}")
    if variant == "verify":
        conf.append('lstmparams_verify = ["torch", "keras"]')
    (root / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    pages = []
    for start in range(0, len(layers), PER_PAGE):
        number = start // PER_PAGE + 1
        name = f"part{number:04d}"
        numbered = enumerate(layers[start : start + PER_PAGE], start + 1)
        (root / f"{name}.rst").write_text(_page(variant, number, numbered), encoding="utf-8")
        pages.append(name)
    index = [_heading("Benchmark", "="), ".. toctree::\n   :maxdepth: 1\n"]
    index[-1] += "\n" + "\n".join(f"   {page}" for page in pages)
    (root / "index.rst").write_text("\n\n".join(index) + "\n", encoding="utf-8")
    return root
