#!/usr/bin/env python3
"""Prototype mystmd executable plugin: the ``lstm-params`` directive and role.

Standard library only. Checked with mystmd 1.8.3 (npm), mystmd 1.11.0 (PyPI) and
Jupyter Book 2.1.7, which bundles myst-cli 1.11.0. mystmd spawns a new process for every
call below, with exactly these arguments. See NOTES.md next to this file.

* ``plugin.py`` with no arguments: print the plugin spec (JSON) on stdout.
* ``plugin.py --directive lstm-params``: stdin is ``{"name", "node", "options", "arg"?,
  "body"?}``. Print a JSON list of mdast nodes; they replace the directive.
* ``plugin.py --role lstm-params``: stdin is ``{"name", "node", "body"}``. Print a JSON
  list of inline nodes.

A non-zero exit or invalid JSON makes mystmd drop the whole page ("Error reading file").
So this plugin always exits 0 on bad input. It shows each problem in the page and also
gets mystmd to print it with file and line (see ``message_carrier`` and
``unresolved_reference``).

Counts: Keras LSTM only, P = 4 ((i + 1) h + h^2). That is enough for the prototype.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

Node = dict[str, Any]

NAME = "lstm-params"

# Every option is declared as a string, so mystmd passes the text through unchanged.
# A "number" option would turn "4,096" into NaN and warn in mystmd's own words.
# "caption" is "myst", so mystmd parses its inline markup for us (*emphasis*, roles, $math$).
PLUGIN_SPEC: dict[str, Any] = {
    "name": "lstm-params (prototype)",
    "directives": [
        {
            "name": NAME,
            "doc": "Parameter count of a recurrent layer: answer, table, formula and notes.",
            "options": {
                "units": {"type": "string", "doc": "h, the number of units"},
                "input-dim": {"type": "string", "doc": "i, the number of input features"},
                "framework": {"type": "string", "doc": "keras (the only one in the prototype)"},
                "cell": {"type": "string", "doc": "lstm (the only one in the prototype)"},
                "caption": {"type": "myst", "doc": "table caption (inline MyST)"},
                "label": {"type": "string", "doc": "label of the formula"},
                "name": {"type": "string", "doc": "label of the table"},
            },
            # The Sphinx directive's options are body lines. mystmd parses the leading
            # `:key: value` lines as options. Declaring a body keeps mystmd from warning
            # "unexpected body" about whatever is left. The prototype ignores the body.
            "body": {"type": "string"},
        }
    ],
    "roles": [
        {
            "name": NAME,
            "doc": "Just the total, e.g. {lstm-params}`units=256, input-dim=4096`.",
            "body": {"type": "string"},
        }
    ],
}

_INT = re.compile(r"[0-9]+(?:[_,][0-9]{3})*")


class OptionError(ValueError):
    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


# ---------------------------------------------------------------- counting


def parse_int(option: str, value: Any) -> int:
    text = "" if value is None or value is True else str(value).strip()
    if not _INT.fullmatch(text):
        raise OptionError(f"{option}: {text!r} is not a whole number", option)
    number = int(text.replace(",", "").replace("_", ""))
    if number < 1:
        raise OptionError(f"{option}: must be at least 1, not {number}", option)
    return number


def read_spec(options: dict[str, Any]) -> tuple[int, int]:
    for option, allowed in (("framework", "keras"), ("cell", "lstm")):
        value = str(options.get(option) or allowed).strip().lower()
        if value != allowed:
            raise OptionError(f"{option}: {value!r} is not supported by the prototype", option)
    if "units" not in options:
        raise OptionError("units: missing (the number of units, h)", "units")
    if "input-dim" not in options:
        raise OptionError("input-dim: missing (the number of input features, i)", "input-dim")
    return parse_int("units", options["units"]), parse_int("input-dim", options["input-dim"])


def grouped(n: int) -> str:
    return f"{n:,}"


def tex_grouped(n: int) -> str:
    return f"{n:,}".replace(",", "{,}")


# ---------------------------------------------------------------- mdast helpers


def text(value: str) -> Node:
    return {"type": "text", "value": value}


def strong(value: str) -> Node:
    return {"type": "strong", "children": [text(value)]}


def paragraph(*children: Node) -> Node:
    return {"type": "paragraph", "children": list(children)}


def cell(value: str | Node, header: bool = False) -> Node:
    content = text(value) if isinstance(value, str) else value
    node: Node = {"type": "tableCell", "children": [content]}
    if header:
        node["header"] = True
    return node


def row(*cells: Node) -> Node:
    return {"type": "tableRow", "children": list(cells)}


def normalize_label(label: str) -> tuple[str, str]:
    """mystmd's normalizeLabel: the label as written, and the identifier refs resolve to."""
    identifier = re.sub(r"[\t\n\r ]+", " ", label)
    identifier = re.sub(r"['\u2018\u2019\"\u201c\u201d]+", "", identifier).strip().lower()
    return label.strip(), identifier


def add_label(node: Node, label: str | None) -> Node:
    if label and label.strip():
        node["label"], node["identifier"] = normalize_label(label)
    return node


# ---------------------------------------------------------------- problems


def option_position(directive: Node, option: str | None) -> Any:
    """The source position of ``:option:`` (mystmd passes the raw option nodes along)."""
    for child in directive.get("children", []):
        if child.get("type") == "mystOption" and child.get("name") == option:
            return child.get("position")
    return directive.get("position")


def message_carrier(message: str, position: Any) -> Node:
    """A node that makes mystmd print ``message`` at ``position`` while it builds.

    Executable plugins have no channel for warnings: stderr is shown only with
    ``myst build -d``. mystmd runs every role after every directive, and the returned
    nodes are part of the tree by then. An unprocessed ``mystRole`` of our own role with a
    ``mystOption`` child named after the message makes mystmd print
    ``⚠️  page.md:LINE unexpected option "MESSAGE" provided (in lstm-params)``.
    Our role then gets an empty body and returns [], so nothing reaches the page.
    """
    return {
        "type": "mystRole",
        "name": NAME,
        "processed": False,
        "position": position,
        "children": [
            {
                "type": "mystOption",
                "name": message,
                "value": True,
                "location": "colon",
                "position": position,
            },
            {"type": "mystRoleBody", "value": ""},
        ],
    }


def unresolved_reference(message: str, role: Node) -> Node:
    """An inline node that shows ``message`` and makes mystmd warn about it.

    Nodes a role returns are not run again, so ``message_carrier`` does not work for
    roles. Cross-references are resolved after parsing, so a reference to a label that
    does not exist makes mystmd print
    ``⚠️  page.md:LINE:COL Cross reference target was not found: MESSAGE``.
    The page shows the message as the text of a dead link.
    """
    return {
        "type": "crossReference",
        "identifier": message,
        "label": message,
        "position": role.get("position"),
        "children": [text(message)],
    }


def error_nodes(error: OptionError, directive: Node) -> list[Node]:
    message = f"lstm-params: {error}"
    admonition = {
        "type": "admonition",
        "kind": "error",
        "class": "lstm-params-error",
        "children": [
            {"type": "admonitionTitle", "children": [text("lstm-params")]},
            paragraph(text(str(error))),
        ],
    }
    return [admonition, message_carrier(message, option_position(directive, error.option))]


# ---------------------------------------------------------------- directive and role


def run_directive(data: dict[str, Any]) -> list[Node]:
    options = data.get("options") or {}
    directive = data.get("node") or {}
    try:
        units, input_dim = read_spec(options)
    except OptionError as error:
        return error_nodes(error, directive)
    h, i = units, input_dim
    per_gate_w, per_gate_u, per_gate_b = i * h, h * h, h
    per_gate = per_gate_w + per_gate_u + per_gate_b
    total = 4 * per_gate
    layer = f"Keras LSTM, {grouped(h)} units, {grouped(i)} input features"

    answer = paragraph(
        text(f"{layer} has "), strong(grouped(total)), text(" trainable parameters.")
    )

    caption_nodes = options.get("caption") or [text(f"Parameters of a {layer}")]
    header = row(
        *(
            cell(v, header=True)
            for v in ("Gate", "Input weights W", "Recurrent weights U", "Biases", "Total")
        )
    )
    gates = row(
        cell("each of the 4 gates (i, f, c, o)"),
        cell(f"{grouped(i)} \u00d7 {grouped(h)} = {grouped(per_gate_w)}"),
        cell(f"{grouped(h)} \u00d7 {grouped(h)} = {grouped(per_gate_u)}"),
        cell(grouped(per_gate_b)),
        cell(grouped(per_gate)),
    )
    totals = row(cell(strong("Total")), cell(""), cell(""), cell(""), cell(strong(grouped(total))))
    table = {
        "type": "container",
        "kind": "table",
        "class": "lstm-params",
        "children": [
            {"type": "caption", "children": [paragraph(*caption_nodes)]},
            {"type": "table", "children": [header, gates, totals]},
        ],
    }
    add_label(table, options.get("name"))

    # Write \begin{aligned} out in full. A bare `&=` makes mystmd warn
    # "Wrapping with \begin{align*}" (KaTeX) for every page.
    latex = (
        "\\begin{aligned}\n"
        "P &= 4\\,\\left(\\left(i + 1\\right)h + h^2\\right) \\\\\n"
        f"  &= 4\\,\\left(\\left({tex_grouped(i)} + 1\\right) \\cdot {tex_grouped(h)}"
        f" + {tex_grouped(h)}^2\\right) \\\\\n"
        f"  &= {tex_grouped(total)}\n"
        "\\end{aligned}"
    )
    math = add_label({"type": "math", "value": latex, "enumerated": True}, options.get("label"))

    notes = {
        "type": "list",
        "ordered": False,
        "spread": False,
        "children": [
            {"type": "listItem", "spread": False, "children": [paragraph(text(item))]}
            for item in (
                f"Memory: {total * 4 / 2**20:.1f} MiB at float32 (4 bytes per parameter).",
                f"Multiply-accumulates: {grouped(total - 4 * h)} per timestep.",
            )
        ],
    }
    position = directive.get("position")
    for node in (answer, table, math, notes):
        if position:
            node["position"] = position
    return [answer, table, math, notes]


def parse_role_body(body: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\s]*(?:,\s+|;)\s*", body))):
        key, sep, value = part.partition("=")
        if not sep:
            raise OptionError(f"{part!r} is not of the form name=value")
        options[key.strip().replace("_", "-")] = value.strip()
    return options


def run_role(data: dict[str, Any]) -> list[Node]:
    body = (data.get("body") or "").strip()
    if not body:  # a message_carrier (or an empty role): nothing to show
        return []
    try:
        units, input_dim = read_spec(parse_role_body(body))
    except OptionError as error:
        return [unresolved_reference(f"lstm-params: {error}", data.get("node", {}))]
    return [text(grouped(4 * ((input_dim + 1) * units + units * units)))]


def main(argv: list[str]) -> int:
    if not argv:
        json.dump(PLUGIN_SPEC, sys.stdout)
        return 0
    if len(argv) == 2 and argv[0] in ("--directive", "--role") and argv[1] == NAME:
        data = json.load(sys.stdin)
        nodes = run_directive(data) if argv[0] == "--directive" else run_role(data)
        json.dump(nodes, sys.stdout)
        return 0
    print(f"{NAME} plugin: unexpected arguments {argv!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
