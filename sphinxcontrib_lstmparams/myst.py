"""The ``lstm-params`` directive and role for mystmd and Jupyter Book 2: an executable plugin
(standard library only; no Sphinx, no docutils).

mystmd runs the plugin as a new process for every call, JSON on stdin and stdout:

* no arguments: print what the plugin declares (the directive, its option words, the role);
* ``--directive lstm-params``: stdin holds the directive as mystmd parsed it; print the MyST
  AST nodes that replace it (:func:`run_directive`);
* ``--role lstm-params``: the same for the role (:func:`run_role`).

``myst.yml`` names the executable: the console script ``lstm-params-myst`` that pip installs,
or a two-line script of the book's own (``docs/jupyter-book.md``). ``python -m
sphinxcontrib_lstmparams.myst`` runs the same :func:`main`.

The directive's options are read by :func:`~sphinxcontrib_lstmparams.directive_options.
parse_directive`, like the Sphinx directive's: this module rebuilds the body lines Sphinx would
see from mystmd's raw node (:func:`body_lines`), so every rule, message and line number is the
Sphinx directive's. A bad directive shows its message in the page (an error admonition) and
makes mystmd print it with file and line; the plugin itself always exits 0, because mystmd
drops the whole page when a plugin fails (see :func:`message_carrier`).

The extension's three config values come from the environment (``LSTMPARAMS_SHOW`` and so on,
the names in upper case) or from a script's ``main(config={...})``: mystmd hands a plugin no
configuration of its own.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

Node = dict[str, Any]

NAME = "lstm-params"
# Config values a book may set, as conf.py names them; the environment variable is the name in
# upper case. "lstmparams_language" picks the catalog of the labels (Sphinx's `language`).
LANGUAGE = "lstmparams_language"


def main(argv: Sequence[str] | None = None, config: Mapping[str, object] | None = None) -> int:
    """The plugin's entry point (the console script ``lstm-params-myst``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        _write(plugin_spec())
        return 0
    if len(args) != 2 or args[0] not in ("--directive", "--role") or args[1] != NAME:
        print(f"{NAME} plugin: unexpected arguments {args!r}", file=sys.stderr)
        return 2
    try:
        data = json.loads(sys.stdin.buffer.read() or b"{}")
    except ValueError as error:
        data = None
        print(f"{NAME} plugin: stdin is not JSON: {error}", file=sys.stderr)
    if not isinstance(data, dict):
        _write([])
        return 0
    if args[0] == "--role" and not str(data.get("body") or "").strip():
        # an empty role: most often our own message carrier, called back; answered before
        # anything else is imported, since each call is a process of its own
        _write([])
        return 0
    values = _config(config)
    try:
        nodes = run_directive(data, values) if args[0] == "--directive" else run_role(data, values)
    except Exception as error:  # a bug of ours must not cost the author the whole page
        traceback.print_exc()  # mystmd shows it with `myst build -d`
        message = f"{NAME}: internal error: {error!r}"
        nodes = [_admonition(message), message_carrier(message, _position_of(data))]
    _write(nodes)
    return 0


def _write(value: object) -> None:
    sys.stdout.write(json.dumps(value))
    sys.stdout.flush()


def _config(config: Mapping[str, object] | None) -> dict[str, object]:
    """Config values: the script's, then the environment's (``LSTMPARAMS_SHOW=table``)."""
    from .settings import CONFIG_VALUES

    values = dict(config or {})
    for name in (*CONFIG_VALUES, LANGUAGE):
        if name.upper() in os.environ:
            values[name] = os.environ[name.upper()]
    return values


# -- what the plugin declares --------------------------------------------------------------------


def option_words() -> list[str]:
    """Every option word of the directive, as the Sphinx directive takes them: kebab-case and
    snake_case, with the aliases and the display options."""
    from .directive_options import DISPLAY_OPTIONS
    from .kinds import all_options
    from .options import ALIASES, kebab

    words = []
    for word in (*all_options(), *ALIASES, *DISPLAY_OPTIONS):
        words += [kebab(word), word]
    return list(dict.fromkeys(words))


def plugin_spec() -> dict[str, object]:
    """What mystmd reads at start: the directive with its option words, and the role.

    Options are declared as text (mystmd's "number" would refuse ``4,096``) and read by the
    package, except the caption, which mystmd parses as inline MyST like any caption. The
    directive takes an argument (a pasted constructor) and a body (whatever mystmd does not
    read as an option; the Sphinx directive reads it and says what is wrong with it).
    """
    options: dict[str, object] = {word: {"type": "string"} for word in option_words()}
    options["caption"] = {"type": "myst"}
    return {
        "name": "sphinxcontrib-lstmparams",
        "directives": [
            {
                "name": NAME,
                "doc": "The parameters of an LSTM, GRU or RNN layer: answer, table, formula "
                "and notes.",
                "arg": {"type": "string", "doc": "a constructor, e.g. nn.LSTM(300, 512)"},
                "options": options,
                "body": {"type": "string"},
            }
        ],
        "roles": [
            {
                "name": NAME,
                "doc": "The total, e.g. {lstm-params}`units=256, input-dim=4096`.",
                "body": {"type": "string"},
            }
        ],
    }


# -- the directive -------------------------------------------------------------------------------


def _line(node: Mapping[str, Any]) -> int | None:
    position = node.get("position") or {}
    line = (position.get("start") or {}).get("line")
    return line if isinstance(line, int) else None


def _colon_field(name: str, value: object) -> str:
    """An option as a ``:name: value`` line; a bare flag as ``:name:``."""
    if value is True or value is None or value == "":
        return f":{name}:"
    return f":{name}: {value}"


def _yaml_field(name: str, value: object) -> str:
    """An option as a YAML line that reads back as the value mystmd's YAML parser gave: text
    as a JSON (thus YAML) string, a flag as ``name:``, anything else as JSON."""
    if value is None:
        return f"{name}:"
    return f"{name}: {json.dumps(value, ensure_ascii=False)}"


def body_lines(node: Mapping[str, Any]) -> tuple[list[str], list[int]]:
    """The directive's body lines as the Sphinx directive sees them in a MyST page, and the
    file line of each.

    MyST-Parser gives a directive without arguments its argument as the first body line (a
    pasted constructor), then every line after the fence: the options, as ``:name: value``
    lines or a ``---`` YAML block, and the rest. mystmd has already parsed the options into
    ``mystOption`` children, in order; their line is that order (their own positions are off
    for flags and YAML blocks). A YAML block is written back one option per line (a value
    that spanned lines is blamed a little high). Options written in mystmd's inline form
    (``{lstm-params #tbl-a .wide units=8}``), which Sphinx has no word for, come first:
    ``#id`` names the table, ``.class`` is a class.
    """
    fence = _line(node) or 1
    children = [child for child in node.get("children") or [] if isinstance(child, dict)]
    options = [child for child in children if child.get("type") == "mystOption"]
    inline = [
        ({"id": "name"}.get(str(o.get("name")), str(o.get("name"))), o.get("value"))
        for o in options
        if o.get("location") == "inline"
    ]
    colon = [(str(o.get("name")), o.get("value")) for o in options if o.get("location") == "colon"]
    yaml = [(str(o.get("name")), o.get("value")) for o in options if o.get("location") == "yaml"]
    known: dict[int, str] = {}
    if yaml:
        block = ["---", *(_yaml_field(n, v) for n, v in [*inline, *yaml]), "---"]
        known.update(enumerate(block, fence + 1))
        inline = []
    else:
        known.update((fence + index, _colon_field(n, v)) for index, (n, v) in enumerate(colon, 1))
    for child in children:
        if child.get("type") == "mystDirectiveBody":
            start = _line(child) or max(known, default=fence) + 1
            known.update(enumerate(str(child.get("value") or "").split("\n"), start))
    arg = node.get("args")
    first = fence + 1
    if isinstance(arg, str) and arg.strip():
        known[fence] = arg
        first = fence
    last = max(known, default=first - 1)
    numbers = list(range(first, last + 1))
    lines = [known.get(number, "") for number in numbers]
    at = 1 if first == fence else 0  # after a constructor, which must come first
    lines[at:at] = [_colon_field(n, v) for n, v in inline]
    numbers[at:at] = [fence] * len(inline)
    return lines, numbers


def _position(line: int) -> dict[str, dict[str, int]]:
    return {"start": {"line": line, "column": 1}, "end": {"line": line, "column": 1}}


def _position_of(data: Mapping[str, Any]) -> Any:
    node = data.get("node")
    return node.get("position") if isinstance(node, dict) else None


def message_carrier(message: str, position: Any) -> Node:
    """A node that makes mystmd print ``message`` at ``position`` while it builds.

    Executable plugins have no channel for warnings (mystmd shows their stderr only with
    ``myst build -d``). mystmd runs the roles of a page after its directives, over the whole
    tree, the nodes directives returned included: an unprocessed ``mystRole`` of our own role
    with an option named after the message makes it print ``⚠️ page.md:LINE unexpected option
    "MESSAGE" provided (in lstm-params)``. Our role is then called with an empty body and
    returns nothing, so nothing of it reaches the page. ``tests/test_myst_build.py`` checks
    this against the mystmd that CI installs.
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


def _admonition(message: str) -> Node:
    return {
        "type": "admonition",
        "kind": "error",
        "class": "lstm-params-error",
        "children": [
            {"type": "admonitionTitle", "children": [{"type": "text", "value": NAME}]},
            {"type": "paragraph", "children": [{"type": "text", "value": message}]},
        ],
    }


def _gettext(values: Mapping[str, object]) -> Any:
    language = values.get(LANGUAGE)
    if not isinstance(language, str) or not language.strip():
        from .spec import untranslated

        return untranslated
    import gettext
    from pathlib import Path

    locale = Path(__file__).parent / "locale"
    catalog = gettext.translation(
        "sphinxcontrib_lstmparams", str(locale), [language.strip()], fallback=True
    )
    return catalog.gettext


def run_directive(data: Mapping[str, Any], values: Mapping[str, object]) -> list[Node]:
    """mystmd's directive call -> the nodes that replace the directive."""
    from .counting import count
    from .directive_options import DirectiveError, parse_directive
    from .ids import make_id
    from .mdast import MdastSettings, render
    from .numbers import NumberStyle
    from .settings import read_settings

    node: Mapping[str, Any] = data["node"] if isinstance(data.get("node"), dict) else {}
    settings, config_messages = read_settings(values)
    problems = [message_carrier(message, node.get("position")) for message in config_messages]
    lines, numbers = body_lines(node)
    try:
        given = parse_directive(lines, settings.default_framework, settings.show, make_id)
    except DirectiveError as error:
        message = f"{NAME}: {error}"
        fence = _line(node) or 1
        line = numbers[error.index] if error.index is not None else fence
        position = node.get("position") if error.index is None else _position(line)
        return [_admonition(message), message_carrier(message, position), *problems]
    display = given.display
    caption = (data.get("options") or {}).get("caption") if display.caption else None
    mdast_settings = MdastSettings(
        display.parts,
        NumberStyle(settings.separator),
        caption=caption if isinstance(caption, list) and caption else None,
        name=display.name,
        label=display.label,
        rows=display.rows,
    )
    built = render(count(given.spec), mdast_settings, _gettext(values))
    block: Node = {
        "type": "div",
        "class": " ".join(["lstm-params", *display.classes]),
        "children": built,
    }
    return [block, *problems]


# -- the role ------------------------------------------------------------------------------------


def run_role(data: Mapping[str, Any], values: Mapping[str, object]) -> list[Node]:
    """``{lstm-params}`units=256, input-dim=4096``` -> 4,457,472.

    A bad role shows the role as written and makes mystmd print the message: nodes a role
    returns are not run again, so :func:`message_carrier` cannot serve; a reference to a
    label that does not exist can, as mystmd resolves references after parsing
    (``⚠️ page.md:LINE:COLUMN Cross reference target was not found: MESSAGE``).
    """
    from .constructors import split_call
    from .counting import count, parse_spec
    from .numbers import format_count
    from .options import read_role_text
    from .settings import read_settings
    from .spec import OptionError

    body = str(data.get("body") or "")
    settings, _messages = read_settings(values)  # the directives report bad values
    layer, rest = split_call(body)
    try:
        spec = parse_spec(read_role_text(rest), settings.default_framework, layer=layer)
    except OptionError as error:
        message = f"{NAME} role: {error}"
        written = f"{{{NAME}}}`{body}`"
        return [
            {
                "type": "crossReference",
                "identifier": message,
                "label": message,
                "class": "lstm-params-error",
                "position": _position_of(data),
                "children": [{"type": "inlineCode", "value": written}],
            }
        ]
    total = format_count(count(spec).total, settings.separator)
    return [
        {"type": "span", "class": "lstm-params", "children": [{"type": "text", "value": total}]}
    ]


if __name__ == "__main__":
    sys.exit(main())
