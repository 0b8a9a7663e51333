"""One drawing, three printers: SVG (HTML, EPUB), TikZ (LaTeX) and text (text, man, texinfo)
(standard library only).

A :class:`Drawing` is laid out on a grid of character cells, the way a terminal shows text:
``columns`` wide and ``rows`` high, column 0 and row 0 at the top left. Boxes have their borders
on cells, paths run through cell centres, text starts (or ends) in a cell. The text printer puts
one character in each cell; the SVG and TikZ printers scale the same cells to points, so the
three outputs are one picture. Text widths are measured as a terminal shows them (East Asian
wide characters take two cells), which is at least as wide as a proportional font sets them,
so a label that fits in text fits everywhere.

The printers return strings and are deterministic: the same drawing gives the same bytes.
The SVG has no ids, no script and no colours of its own: strokes and text use
``currentColor`` (the page's text colour, which the theme sets for light and dark), gate boxes a
faint fill of it and, where the theme defines one, its brand colour.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape

Style = Literal["plain", "var", "sub", "strong", "note"]
BoxKind = Literal["gate", "part", "dashed"]
Align = Literal["start", "end"]


@dataclass(frozen=True)
class Run:
    """A piece of a label: ``var`` is a math variable (italic), ``sub`` its subscript,
    ``strong`` bold, ``note`` an aside (italic)."""

    text: str
    style: Style = "plain"


Label = tuple[Run, ...]


def plain(text: str) -> Label:
    return (Run(text),)


def symbol(name: str, subscript: str = "") -> Label:
    """A variable with an optional subscript: ``symbol("x", "t")`` is x with t below."""
    return (Run(name, "var"), Run(subscript, "sub")) if subscript else (Run(name, "var"),)


def as_text(label: Iterable[Run]) -> str:
    """The label as the text printer writes it: a subscript after ``_``."""
    return "".join(f"_{run.text}" if run.style == "sub" else run.text for run in label)


def cell_width(text: str) -> int:
    """Cells a terminal gives ``text``: two for East Asian wide and full-width characters."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def width(label: Iterable[Run]) -> int:
    return cell_width(as_text(label))


@dataclass(frozen=True)
class Box:
    """A rectangle whose border runs through the given cells (inclusive). ``gate``: a layer
    with parameters (filled); ``part``: a plain frame; ``dashed``: a part without parameters."""

    left: int
    top: int
    right: int
    bottom: int
    kind: BoxKind = "part"


@dataclass(frozen=True)
class Text:
    """A label on one row: its first cell is ``column`` (``start``), or its last (``end``)."""

    column: int
    row: int
    label: Label
    align: Align = "start"

    @property
    def cells(self) -> range:
        first = self.column if self.align == "start" else self.column - width(self.label) + 1
        return range(first, first + width(self.label))


@dataclass(frozen=True)
class Path:
    """A line through the centres of ``points``; each step is horizontal or vertical. With
    ``arrow``, the last point holds an arrowhead whose tip touches the next cell on: its centre,
    where a box's border runs, or with ``to_text`` its near edge, above or before a label."""

    points: tuple[tuple[int, int], ...]
    arrow: bool = False
    dashed: bool = False
    to_text: bool = False

    def __post_init__(self) -> None:
        if len(self.points) < 2:
            raise ValueError("a path needs two points")
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            if (x0 != x1) == (y0 != y1):
                raise ValueError(f"not a horizontal or vertical step: {self.points}")

    def cells(self) -> Iterable[tuple[int, int]]:
        """Every cell the line passes through, in order (a corner once)."""
        yield self.points[0]
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
            x, y = x0, y0
            while (x, y) != (x1, y1):
                x, y = x + dx, y + dy
                yield x, y

    @property
    def heading(self) -> tuple[int, int]:
        """The direction of the last step, (dx, dy) with y down."""
        (x0, y0), (x1, y1) = self.points[-2:]
        return (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)


Item = Box | Text | Path


@dataclass(frozen=True)
class Drawing:
    """A picture on a grid of ``columns`` x ``rows`` cells, with the words a screen reader
    says for it: ``title`` (its name) and ``description``."""

    columns: int
    rows: int
    title: str
    description: str
    items: tuple[Item, ...] = field(default=())


# -- text -----------------------------------------------------------------------------------------

# Box-drawing characters by the directions a cell's lines leave it in: n, e, s, w.
_LINES = {
    "ew": "─",
    "e": "─",
    "w": "─",
    "ns": "│",
    "n": "│",
    "s": "│",
    "es": "┌",
    "sw": "┐",
    "ne": "└",
    "nw": "┘",
    "nes": "├",
    "nsw": "┤",
    "esw": "┬",
    "new": "┴",
    "nesw": "┼",
}
_DASHED = {"ew": "┄", "e": "┄", "w": "┄", "ns": "┆", "n": "┆", "s": "┆"}
_ARROWS = {(1, 0): "►", (-1, 0): "◄", (0, 1): "▼", (0, -1): "▲"}
_STEPS = {(0, -1): "n", (1, 0): "e", (0, 1): "s", (-1, 0): "w"}


def _box_edges(box: Box) -> Iterable[tuple[tuple[int, int], str]]:
    """(cell, direction) for each half-line of the box's border."""
    for x in range(box.left, box.right):
        for y in (box.top, box.bottom):
            yield (x, y), "e"
            yield (x + 1, y), "w"
    for y in range(box.top, box.bottom):
        for x in (box.left, box.right):
            yield (x, y), "s"
            yield (x, y + 1), "n"


def _path_edges(path: Path) -> Iterable[tuple[tuple[int, int], str]]:
    cells = list(path.cells())
    for (x0, y0), (x1, y1) in itertools.pairwise(cells):
        step = (x1 - x0, y1 - y0)
        back = (-step[0], -step[1])
        yield (x0, y0), _STEPS[step]
        yield (x1, y1), _STEPS[back]


def to_text(drawing: Drawing) -> str:
    """The drawing in box-drawing characters, one line per row, trailing spaces removed."""
    directions: dict[tuple[int, int], set[str]] = {}
    dashed: set[tuple[int, int]] = set()
    overlay: dict[tuple[int, int], str] = {}
    for item in drawing.items:
        if isinstance(item, Box):
            for cell, step in _box_edges(item):
                directions.setdefault(cell, set()).add(step)
                if item.kind == "dashed":
                    dashed.add(cell)
        elif isinstance(item, Path):
            for cell, step in _path_edges(item):
                directions.setdefault(cell, set()).add(step)
                if item.dashed:
                    dashed.add(cell)
            if item.arrow:
                overlay[item.points[-1]] = _ARROWS[item.heading]
    grid = [[" "] * drawing.columns for _ in range(drawing.rows)]
    for (x, y), steps in directions.items():
        key = "".join(step for step in "nesw" if step in steps)
        grid[y][x] = (_DASHED if (x, y) in dashed else {}).get(key) or _LINES[key]
    for (x, y), char in overlay.items():
        grid[y][x] = char
    for item in drawing.items:
        if isinstance(item, Text):
            cells = iter(item.cells)
            for char in as_text(item.label):
                x = next(cells)
                grid[item.row][x] = char
                if cell_width(char) == 2:  # the wide character covers the next cell too
                    grid[item.row][next(cells)] = ""
    return "\n".join("".join(row).rstrip() for row in grid) + "\n"


def overlaps(drawing: Drawing) -> list[str]:
    """Labels that sit on a line or on another label, or leave the grid (a layout bug)."""
    drawn: set[tuple[int, int]] = set()
    for item in drawing.items:
        if isinstance(item, Box):
            drawn.update(cell for cell, _step in _box_edges(item))
        elif isinstance(item, Path):
            drawn.update(item.cells())
    problems = []
    for item in drawing.items:
        if not isinstance(item, Text):
            continue
        cells = {(x, item.row) for x in item.cells}
        outside = [x for x, _y in cells if not 0 <= x < drawing.columns]
        if outside or not 0 <= item.row < drawing.rows:
            problems.append(f"{as_text(item.label)!r} leaves the grid")
        if cells & drawn:
            problems.append(f"{as_text(item.label)!r} sits on a line")
        drawn |= cells
    return problems


# -- SVG ------------------------------------------------------------------------------------------

FONT_SIZE = 14  # px, a little below the body text of most themes
CELL_WIDTH = 8.5  # px: a digit of a 14 px sans-serif font is 7 to 8 px wide
ROW_HEIGHT = 21.0
ARROW_LENGTH = 7.0  # px
ARROW_HALF_WIDTH = 3.5  # px


def _number(value: float) -> str:
    """A coordinate, written the same way on every machine."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _centre(point: tuple[float, float]) -> tuple[float, float]:
    return (point[0] + 0.5) * CELL_WIDTH, (point[1] + 0.5) * ROW_HEIGHT


def _floats(points: Iterable[tuple[int, int]]) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in points]


def _arrowhead(path: Path) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The line's points in cell units, ending where the head starts, and the head's corners.

    The tip touches the centre of the cell after the last point (a box's border); the head is
    ARROW_LENGTH by twice ARROW_HALF_WIDTH points whichever way it points.
    """
    dx, dy = path.heading
    *body, (x, y) = _floats(path.points)
    reach = 0.5 if path.to_text else 1.0
    tip = (x + dx * reach, y + dy * reach)
    if dx:
        base = (tip[0] - dx * ARROW_LENGTH / CELL_WIDTH, tip[1])
        side = (0.0, ARROW_HALF_WIDTH / ROW_HEIGHT)
    else:
        base = (tip[0], tip[1] - dy * ARROW_LENGTH / ROW_HEIGHT)
        side = (ARROW_HALF_WIDTH / CELL_WIDTH, 0.0)
    head = [tip, (base[0] - side[0], base[1] - side[1]), (base[0] + side[0], base[1] + side[1])]
    return [*body, base], head


def _svg_points(points: Sequence[tuple[float, float]]) -> str:
    pairs = [_centre(point) for point in points]
    return " ".join(
        f"{'M' if i == 0 else 'L'}{_number(x)} {_number(y)}" for i, (x, y) in enumerate(pairs)
    )


def _svg_label(label: Label) -> str:
    pieces = []
    lowered = False
    for run in label:
        text = escape(run.text)
        attributes = ""
        if run.style == "var" or run.style == "note":
            attributes = ' font-style="italic"'
        elif run.style == "strong":
            attributes = ' font-weight="bold"'
        elif run.style == "sub":
            attributes = ' font-size="75%" dy="3"'
        if lowered and run.style != "sub":
            attributes += ' dy="-3"'
        lowered = run.style == "sub"
        pieces.append(f"<tspan{attributes}>{text}</tspan>" if attributes else text)
    return "".join(pieces)


def to_svg(drawing: Drawing) -> str:
    """An inline ``<svg>`` element: scalable, no ids, colours from ``currentColor``."""
    w, h = drawing.columns * CELL_WIDTH, drawing.rows * ROW_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lstm-params-svg" role="img" '
        f'width="{_number(w)}" height="{_number(h)}" viewBox="0 0 {_number(w)} {_number(h)}" '
        f'style="max-width:100%;height:auto" font-size="{FONT_SIZE}" fill="none" '
        f'stroke="currentColor" stroke-width="1">',
        f"<title>{escape(drawing.title)}</title>",
        f"<desc>{escape(drawing.description)}</desc>",
    ]
    for item in drawing.items:
        if isinstance(item, Box):
            x, y = _centre((item.left, item.top))
            width_ = (item.right - item.left) * CELL_WIDTH
            height = (item.bottom - item.top) * ROW_HEIGHT
            shape = (
                f'x="{_number(x)}" y="{_number(y)}" width="{_number(width_)}" '
                f'height="{_number(height)}" rx="3"'
            )
            if item.kind == "gate":
                out.append(
                    f'<rect {shape} fill="currentColor" fill-opacity="0.06" '
                    f'style="stroke:var(--color-brand-primary,currentColor)" '
                    f'stroke-width="1.5"/>'
                )
            elif item.kind == "dashed":
                out.append(f'<rect {shape} stroke-dasharray="4 3"/>')
            else:
                out.append(f"<rect {shape}/>")
        elif isinstance(item, Path):
            dash = ' stroke-dasharray="4 3"' if item.dashed else ""
            if item.arrow:
                body, head = _arrowhead(item)
                out.append(f'<path d="{_svg_points(body)}"{dash}/>')
                out.append(f'<path d="{_svg_points(head)} Z" fill="currentColor" stroke="none"/>')
            else:
                points = _floats(item.points)
                out.append(f'<path d="{_svg_points(points)}"{dash}/>')
    for item in drawing.items:
        if isinstance(item, Text):
            if item.align == "start":
                x, anchor = item.column * CELL_WIDTH, ""
            else:
                x, anchor = (item.column + 1) * CELL_WIDTH, ' text-anchor="end"'
            y = (item.row + 0.5) * ROW_HEIGHT + FONT_SIZE * 0.35
            out.append(
                f'<text x="{_number(x)}" y="{_number(y)}"{anchor} fill="currentColor" '
                f'stroke="none">{_svg_label(item.label)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


# -- TikZ -----------------------------------------------------------------------------------------

TIKZ_CELL_WIDTH = 0.19  # cm; \small digits are about 0.16 cm wide
TIKZ_ROW_HEIGHT = 0.46  # cm

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # symbols pdflatex's utf8 input does not know: set as math
    "⊙": r"\ensuremath{\odot}",
    "×": r"\ensuremath{\times}",
    "\N{GREEK SMALL LETTER SIGMA}": r"\ensuremath{\sigma}",
    "\N{MINUS SIGN}": r"\ensuremath{-}",
    "·": r"\ensuremath{\cdot}",
    "→": r"\ensuremath{\rightarrow}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def _tikz_label(label: Label) -> str:
    wrappers = {
        "var": r"\textit{%s}",
        "note": r"\textit{%s}",
        "strong": r"\textbf{%s}",
        "sub": r"\textsubscript{%s}",
    }
    return "".join(
        wrappers.get(run.style, "%s") % latex_escape(run.text) for run in label if run.text
    )


def _tikz_points(points: Sequence[tuple[float, float]]) -> str:
    return " -- ".join(f"({_number(x + 0.5)},{_number(y + 0.5)})" for x, y in points)


def to_tikz(drawing: Drawing) -> str:
    """A ``tikzpicture`` (needs ``\\usepackage{tikz}``), shrunk to the line width when wider
    and to most of a page when taller, so that a float with its caption fits a page.

    Rows go down (``y`` is negative), as in the other printers. ``handle active characters in
    code`` keeps babel's shorthands (French ``;``, ``:``) out of TikZ's way.
    """
    out = [
        r"\resizebox{!}{\ifdim\height>.8\textheight.8\textheight\else\height\fi}{%",
        r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%",
        rf"\begin{{tikzpicture}}[x={TIKZ_CELL_WIDTH}cm, y=-{TIKZ_ROW_HEIGHT}cm, "
        r"line width=0.5pt, font=\small, handle active characters in code]",
        # the whole grid, so that the picture has the same margins as the SVG
        rf"\path (0,0) rectangle ({drawing.columns},{drawing.rows});",
    ]
    for item in drawing.items:
        if isinstance(item, Box):
            style = {
                "gate": "rounded corners=1.5pt, fill=black!5, line width=0.8pt",
                "part": "rounded corners=1.5pt",
                "dashed": "rounded corners=1.5pt, dashed",
            }[item.kind]
            corners = _tikz_points([(item.left, item.top), (item.right, item.bottom)])
            out.append(rf"\draw[{style}] {corners.replace(' -- ', ' rectangle ')};")
        elif isinstance(item, Path):
            dash = "[dashed]" if item.dashed else ""
            if item.arrow:
                body, head = _arrowhead(item)
                out.append(rf"\draw{dash} {_tikz_points(body)};")
                out.append(rf"\fill {_tikz_points(head)} -- cycle;")
            else:
                points = _floats(item.points)
                out.append(rf"\draw{dash} {_tikz_points(points)};")
    for item in drawing.items:
        if isinstance(item, Text):
            x = item.column if item.align == "start" else item.column + 1
            y = item.row + 0.5 + 0.3  # the baseline, a little below the row's middle
            anchor = "base west" if item.align == "start" else "base east"
            out.append(
                rf"\node[anchor={anchor}, inner sep=0pt] at ({_number(x)},{_number(y)}) "
                rf"{{{_tikz_label(item.label)}}};"
            )
    out.append(r"\end{tikzpicture}%")
    out.append("}}")
    return "\n".join(out) + "\n"
