"""The ``lstm-params`` and ``model-summary`` directives and the ``lstm-params`` role for mystmd
and Jupyter Book 2: an executable plugin (standard library only; no Sphinx, no docutils).

mystmd runs the plugin as a new process for every call, JSON on stdin and stdout:

* no arguments: print what the plugin declares (the directives, their option words, the role);
* ``--directive lstm-params``: stdin holds the directive as mystmd parsed it; print the MyST
  AST nodes that replace it (:func:`run_directive`);
* ``--directive model-summary``: the same for a model summary (:func:`run_model`);
* ``--role lstm-params``: the same for the role (:func:`run_role`).

``myst.yml`` names the executable: the console script ``lstm-params-myst`` that pip installs,
or a two-line script of the book's own (``docs/jupyter-book.md``). ``python -m
sphinxcontrib_lstmparams.myst`` runs the same :func:`main`.

The directives' options are read by :func:`~sphinxcontrib_lstmparams.directive_options.
parse_directive` and :func:`~sphinxcontrib_lstmparams.model.body.parse_model_directive`, like
the Sphinx directives': this module rebuilds the body lines Sphinx would see from mystmd's raw
node (:func:`body_lines`), so every rule, message and line number is the Sphinx directive's. A
bad directive shows its message in the page (an error admonition) and makes mystmd print it
with file and line, as does every other warning of the Sphinx directive (a layer of a model
that is not counted); the plugin itself always exits 0, because mystmd drops the whole page
when a plugin fails (see :func:`message_carrier`).

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
MODEL_NAME = "model-summary"
# the transform that answers the quotes of named summaries once every page has been read
QUOTES = "lstm-params-quotes"
# what mystmd calls the plugin with: a directive, a role (model-summary's only carries its
# messages), the transform
CALLS = {"--directive": (NAME, MODEL_NAME), "--role": (NAME, MODEL_NAME), "--transform": (QUOTES,)}
# Config values a book may set, as conf.py names them; the environment variable is the name in
# upper case. "lstmparams_language" picks the catalog of the labels (Sphinx's `language`).
LANGUAGE = "lstmparams_language"


def main(argv: Sequence[str] | None = None, config: Mapping[str, object] | None = None) -> int:
    """The plugin's entry point (the console script ``lstm-params-myst``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        _write(plugin_spec())
        return 0
    known = CALLS
    if len(args) != 2 or args[1] not in known.get(args[0], ()):
        print(f"{NAME} plugin: unexpected arguments {args!r}", file=sys.stderr)
        return 2
    try:
        data = json.loads(sys.stdin.buffer.read() or b"{}")
    except ValueError as error:
        data = None
        print(f"{NAME} plugin: stdin is not JSON: {error}", file=sys.stderr)
    except RecursionError:  # JSON nested past Python's stack: a call we cannot read
        message = f"{args[1]}: the call mystmd sent is nested too deeply to read"
        print(f"{NAME} plugin: {message}", file=sys.stderr)
        _write([_admonition(message, args[1]), message_carrier(message, None)])
        return 0
    if not isinstance(data, dict):
        _write([])
        return 0
    if args[0] == "--transform":
        _write(run_transform(data, _config(config)))
        return 0
    if args[0] == "--role" and not str(data.get("body") or "").strip():
        # an empty role: most often our own message carrier, called back; answered before
        # anything else is imported, since each call is a process of its own
        _write([])
        return 0
    values = _config(config)
    run = {NAME: run_directive, MODEL_NAME: run_model}[args[1]]
    try:
        nodes = run(data, values) if args[0] == "--directive" else run_role(data, values)
    except Exception as error:  # a bug of ours must not cost the author the whole page
        traceback.print_exc()  # mystmd shows it with `myst build -d`
        message = f"{args[1]}: internal error: {error!r}"
        nodes = [_admonition(message, args[1]), message_carrier(message, _position_of(data))]
    _write(nodes)
    return 0


def _write(value: object) -> None:
    sys.stdout.write(json.dumps(value))
    sys.stdout.flush()


def _config(config: Mapping[str, object] | None) -> dict[str, object]:
    """Config values: the script's, then the environment's (``LSTMPARAMS_SHOW=table``)."""
    from ..settings import CONFIG_VALUES

    values = dict(config or {})
    for name in (*CONFIG_VALUES, LANGUAGE):
        if name.upper() in os.environ:
            values[name] = os.environ[name.upper()]
    return values


# -- what the plugin declares --------------------------------------------------------------------


def option_words() -> list[str]:
    """Every option word of the directive, as the Sphinx directive takes them: kebab-case and
    snake_case, with the aliases and the display options."""
    from ..directive_options import DISPLAY_OPTIONS
    from ..kinds import all_options
    from ..options import ALIASES, kebab

    words = []
    for word in (*all_options(), *ALIASES, *DISPLAY_OPTIONS):
        words += [kebab(word), word]
    return list(dict.fromkeys(words))


def model_option_words() -> list[str]:
    """Every option word of the ``model-summary`` directive, kebab-case and snake_case."""
    from ..model.body import MODEL_OPTIONS
    from ..options import kebab

    words = [spelling for word in MODEL_OPTIONS for spelling in (kebab(word), word)]
    return list(dict.fromkeys(words))


def _options(words: Sequence[str]) -> dict[str, object]:
    """Options are declared as text (mystmd's "number" would refuse ``4,096``, and a YAML
    value keeps its spelling) and read by the package, except the caption, which mystmd parses
    as inline MyST like any caption."""
    options: dict[str, object] = {word: {"type": "string"} for word in words}
    options["caption"] = {"type": "myst"}
    return options


def plugin_spec() -> dict[str, object]:
    """What mystmd reads at start: the directives with their option words, and the role.

    A directive takes an argument (a pasted constructor; for a model summary its first layer,
    which MyST-Parser also reads as the first body line) and a body (whatever mystmd does not
    read as an option; the Sphinx directive reads it and says what is wrong with it).
    """
    return {
        "name": "sphinxcontrib-lstmparams",
        "directives": [
            {
                "name": NAME,
                "doc": "The parameters of an LSTM, GRU or RNN layer: answer, table, formula "
                "and notes.",
                "arg": {"type": "string", "doc": "a constructor, e.g. nn.LSTM(300, 512)"},
                "options": _options(option_words()),
                "body": {"type": "string"},
            },
            {
                "name": MODEL_NAME,
                "doc": "A whole model, one layer per line, summarized as Keras' model.summary() "
                "or torchinfo would, each recurrent layer's count linked to its breakdown.",
                "arg": {"type": "string", "doc": "the first layer"},
                "options": {
                    **_options(model_option_words()),
                    # not an option of the directive (the plugin refuses `:label:` as Sphinx
                    # does): declared so that mystmd takes its inline `#name` form, which it
                    # reads as a label and the plugin as the :name:
                    "label": {"type": "string", "doc": "not an option: use name"},
                },
                "body": {"type": "string", "doc": "the options, then one layer per line"},
            },
        ],
        "roles": [
            {
                "name": NAME,
                "doc": "The total, e.g. {lstm-params}`units=256, input-dim=4096`, or a named "
                "model summary's, {lstm-params}`model=imdb`.",
                "body": {"type": "string"},
            },
            {
                # not for pages: mystmd names the role of a message carrier in its message, so
                # model-summary's messages are carried by a role of that name
                "name": MODEL_NAME,
                "doc": "Not a role: the model-summary directive's messages.",
                "body": {"type": "string"},
            },
        ],
        "transforms": [
            {
                "name": QUOTES,
                "doc": "The counts {lstm-params}`model=NAME` quotes, once every page is read.",
                "stage": "document",
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


def message_carrier(message: str, position: Any, directive: str | None = None) -> Node:
    """A node that makes mystmd print ``message`` at ``position`` while it builds.

    Executable plugins have no channel for warnings (mystmd shows their stderr only with
    ``myst build -d``). mystmd runs the roles of a page after its directives, over the whole
    tree, the nodes directives returned included: an unprocessed ``mystRole`` of one of our
    roles with an option named after the message makes it print ``⚠️ page.md:LINE unexpected
    option "MESSAGE" provided (in model-summary)``, naming the role. So the carrier is the
    role named after the ``directive`` that raised the message (by default the one the
    message starts with): ``lstm-params``, or ``model-summary``, a role declared for this
    alone. The role is then called with an empty body and returns nothing, so nothing of it
    reaches the page. ``tests/test_myst_build.py`` checks this against the mystmd that CI
    installs.
    """
    if directive is None:
        directive = MODEL_NAME if message.startswith(f"{MODEL_NAME}:") else NAME
    return {
        "type": "mystRole",
        "name": directive,
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


def _admonition(message: str, title: str = NAME) -> Node:
    return {
        "type": "admonition",
        "kind": "error",
        "class": "lstm-params-error",
        "children": [
            {"type": "admonitionTitle", "children": [{"type": "text", "value": title}]},
            {"type": "paragraph", "children": [{"type": "text", "value": message}]},
        ],
    }


def _gettext(values: Mapping[str, object]) -> Any:
    language = values.get(LANGUAGE)
    if not isinstance(language, str) or not language.strip():
        from ..spec import untranslated

        return untranslated
    import gettext
    from pathlib import Path

    locale = Path(__file__).parent / "locale"
    catalog = gettext.translation(
        "sphinxcontrib_lstmparams", str(locale), [language.strip()], fallback=True
    )
    return catalog.gettext


def _node(data: Mapping[str, Any]) -> Mapping[str, Any]:
    node = data.get("node")
    return node if isinstance(node, dict) else {}


def _at(node: Mapping[str, Any], numbers: Sequence[int], index: int | None) -> Any:
    """The position of body line ``index``; the directive's own without one."""
    return node.get("position") if index is None else _position(numbers[index])


def _caption_of(data: Mapping[str, Any], given: str) -> list[Node] | None:
    """The author's caption as mystmd parsed it (inline MyST), if the directive has one."""
    caption = (data.get("options") or {}).get("caption") if given else None
    return caption if isinstance(caption, list) and caption else None


def run_directive(data: Mapping[str, Any], values: Mapping[str, object]) -> list[Node]:
    """mystmd's directive call -> the nodes that replace the directive."""
    from ..counting import count
    from ..directive_options import DirectiveError, parse_directive
    from ..ids import make_id
    from ..numbers import NumberStyle
    from ..settings import read_settings
    from .mdast import MdastSettings, labelled, render

    node = _node(data)
    settings, config_messages = read_settings(values)
    problems = [message_carrier(message, node.get("position")) for message in config_messages]
    lines, numbers = body_lines(node)
    try:
        given = parse_directive(lines, settings.default_framework, settings.show, make_id)
    except DirectiveError as error:
        message = f"{NAME}: {error}"
        at = _at(node, numbers, error.index)
        return [_admonition(message, NAME), message_carrier(message, at), *problems]
    display = given.display
    breakdown = count(given.spec)
    problems += _expect_carrier(NAME, display.expect, breakdown.total, given.lines, node, numbers)
    mdast_settings = MdastSettings(
        display.parts,
        NumberStyle(settings.separator),
        caption=_caption_of(data, display.caption),
        name=display.name,
        label=display.label,
        rows=display.rows,
    )
    built = render(breakdown, mdast_settings, _gettext(values))
    classes = " ".join(["lstm-params", *display.classes])
    if built and display.name and not any(part.get("label") for part in built):
        labelled(built[0], display.name)  # as in Sphinx: no caption, so the whole output
    return [*(_classed(part, classes) for part in built), *problems]


def _classed(node: Node, classes: str) -> Node:
    """A part of our output with the output's classes (a page's ``:class:``): no ``div``
    around the parts, which ``myst build --md`` and ``--jats`` would drop with all it holds."""
    own = str(node.get("class") or "")
    node["class"] = f"{classes} {own}".strip()
    return node


def _expect_carrier(
    name: str,
    expected: int | None,
    total: int,
    lines: Mapping[str, int],
    node: Mapping[str, Any],
    numbers: Sequence[int],
) -> list[Node]:
    """The Sphinx directive's ``lstmparams.expect`` warning, at the ``:expect:`` line."""
    from ..expect import EXPECT, mismatch

    message = None if expected is None else mismatch(expected, total)
    if message is None:
        return []
    return [message_carrier(f"{name}: {message}", _at(node, numbers, lines.get(EXPECT)))]


# -- the model summary ---------------------------------------------------------------------------


def model_base(display_name: str, lines: Sequence[str], fence: int) -> str:
    """What the identifiers of a summary's breakdowns start with: its ``:name:`` as an id, as
    in Sphinx. mystmd's identifiers are the project's, and a plugin is not told which page it
    is on, so an unnamed summary's come from its lines and their place in the page (Sphinx
    numbers them in the page instead)."""
    import hashlib

    from ..ids import make_id

    named = make_id(display_name) if display_name else ""
    if named:
        return named
    digest = hashlib.sha256(json.dumps([fence, list(lines)]).encode()).hexdigest()
    return f"lstm-params-model-{digest[:10]}"


def run_model(data: Mapping[str, Any], values: Mapping[str, object]) -> list[Node]:
    """mystmd's ``model-summary`` call -> the nodes that replace it: the summary, and a
    message for mystmd for each line the Sphinx directive warns about."""
    from ..directive_options import DirectiveError
    from ..ids import make_id
    from ..model.body import notes_at, parse_model_directive, problems_at
    from ..model.layout import MODEL_CLASS, breakdown_ids, same_breakdowns
    from ..model.printers import layout
    from ..numbers import NumberStyle
    from ..settings import read_settings
    from ..spec import DEFAULT_MODEL_PARTS
    from .mdast import MdastSettings, labelled
    from .mdast_model import ModelMdastSettings, render_model

    node = _node(data)
    settings, config_messages = read_settings(values)
    problems = [message_carrier(message, node.get("position")) for message in config_messages]
    lines, numbers = body_lines(node)
    try:
        given = parse_model_directive(lines, DEFAULT_MODEL_PARTS, make_id, settings.define)
    except DirectiveError as error:
        message = f"{MODEL_NAME}: {error}"
        at = _at(node, numbers, error.index)
        return [_admonition(message, MODEL_NAME), message_carrier(message, at), *problems]
    summary, display = given.summary, given.display
    _ = _gettext(values)
    shown_problems = []
    for index, problem in problems_at(given):
        problems.append(message_carrier(f"{MODEL_NAME}: {problem}", _at(node, numbers, index)))
        line = _("line {line}: {problem}").format(line=numbers[index], problem=problem)
        shown_problems.append(line)
    for index, note in notes_at(given):  # mystmd shows a plugin's stderr with -d only
        where = _at(node, numbers, index) or {}
        line = where.get("start", {}).get("line", "?")
        print(f"{MODEL_NAME} (line {line}): {note}", file=sys.stderr)
    if not summary.refused:  # a refused model has no total: its warning says why
        problems += _expect_carrier(
            MODEL_NAME, display.expect, summary.total, given.lines, node, numbers
        )
    style = NumberStyle(settings.separator)
    base = model_base(display.name, lines, _line(node) or 1)
    model_settings = ModelMdastSettings(
        display.parts,
        style,
        MdastSettings(settings.show, style),
        breakdown_ids(summary, base, display.parts),
        caption=_caption_of(data, display.caption),
        name=display.name if "summary" in display.parts else "",
        same=same_breakdowns(summary),
        problems=shown_problems if summary.problems else [],  # as in Sphinx
    )
    built = render_model(summary, layout(summary, style, _), model_settings, _)
    if display.name:
        if not any(part.get("label") for part in built):
            labelled(built[0], display.name)  # as in Sphinx: no table, so the whole output
        keep_model(display.name, summary)
    classes = " ".join(["lstm-params", f"{MODEL_CLASS}s", *display.classes])
    return [*(_classed(part, classes) for part in built), *problems]


# -- quotes of named summaries -------------------------------------------------------------------

# Where the named summaries of the build are kept for the quotes: a file of mystmd's build
# folder, in the book's folder (where mystmd runs, and myst.yml is); LSTMPARAMS_MYST_MODELS
# names another.
MODELS_FILE = ("_build", "temp", "lstm-params-models.json")


def _models_path() -> Any:
    from pathlib import Path

    return Path(os.environ.get("LSTMPARAMS_MYST_MODELS") or Path(*MODELS_FILE))


def _read_models() -> dict[str, Any]:
    try:
        found = json.loads(_models_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def keep_model(name: str, summary: Any) -> None:
    """A named summary's counts, for the quotes of every page (mystmd runs each directive as
    a process of its own, one after another, and the quotes after every page is read).
    Kept by name: a summary read again replaces its counts, and a quote of a summary that is
    gone is a reference mystmd cannot resolve, and says so."""
    from pathlib import Path

    from ..model.quote import model_key, record
    from .mdast import normalize_label

    path = _models_path()
    if "LSTMPARAMS_MYST_MODELS" not in os.environ and not Path("myst.yml").is_file():
        return  # not run by mystmd in a book's folder: nothing will quote it
    models = _read_models()
    models[model_key(name)] = {"identifier": normalize_label(name), **record(summary)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(models, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        print(f"{NAME} plugin: cannot keep the model {name!r}: {error}", file=sys.stderr)


QUOTE_KEY = "lstmParamsQuote"  # the placeholder's attribute: the quote, as a dict


def quote_placeholder(quote: Any, written: str, position: Any) -> Node:
    """What the role answers for ``model=NAME``: a reference to the summary, its text the
    role as written until :func:`run_transform` puts the count in."""
    return {
        "type": "crossReference",
        "identifier": quote.model,
        "label": quote.model,
        "class": "lstm-params",
        "position": position,
        QUOTE_KEY: {"model": quote.model, "layer": quote.layer, "expect": quote.expect},
        "children": [{"type": "inlineCode", "value": written}],
    }


def run_transform(page: Node, values: Mapping[str, object]) -> Node:
    """mystmd's page after its directives and roles (and every other page's) -> the page
    with every quote answered and no id of ours also an author's; ``{}`` (no change) for a
    page with neither."""
    quotes = [node for node in _walk(page) if isinstance(node.get(QUOTE_KEY), dict)]
    if quotes:
        answer_quotes(quotes, values)
    renamed = free_our_ids(page)
    return page if quotes or renamed else {}


def answer_quotes(quotes: Sequence[Node], values: Mapping[str, object]) -> None:
    """Each quote: the count, linked to its summary; or, for a quote that cannot be answered
    or an ``expect=`` that does not match, a reference mystmd reports as not found, with the
    message as its target (the count still shows after a stale ``expect=``)."""
    from ..expect import EXPECT, mismatch
    from ..model.quote import Quote, quoted
    from ..numbers import format_count
    from ..settings import read_settings
    from ..spec import OptionError

    models = _read_models()
    settings, _messages = read_settings(values)
    for node in quotes:
        given = node.pop(QUOTE_KEY)
        quote = Quote(str(given.get("model")), given.get("layer"), given.get("expect"))
        try:
            count = quoted(quote, models)
        except OptionError as error:
            message = f"{NAME} role: {error}"
            node.update(identifier=message, label=message, **{"class": "lstm-params-error"})
            continue
        total = format_count(count, settings.separator)
        node["children"] = [{"type": "text", "value": total}]
        node["identifier"] = node["label"] = models[quote.model]["identifier"]
        stale = None if quote.expect is None else mismatch(quote.expect, count, f"{EXPECT}=")
        if stale is not None:
            node["identifier"] = node["label"] = f"{NAME} role: {stale}"


BREAKDOWN_TARGETS = ("-model-rubric", "-model-same")  # the classes of our breakdowns' labels


def free_our_ids(page: Node) -> int:
    """A breakdown's identifier that an author's label on the same page also has
    (``(m-layer-1)=``) becomes ``m-layer-1-2``, and the counts that link to it follow: mystmd
    would warn of a duplicate, give both the same HTML id and send our link to the author's
    target. (Sphinx numbers the author's instead.) mystmd runs this before it collects the
    page's targets. Returns how many were renamed."""
    nodes = list(_walk(page))
    ours = [
        node
        for node in nodes
        if node.get("identifier") and str(node.get("class", "")).endswith(BREAKDOWN_TARGETS)
    ]
    if not ours:
        return 0
    mine = {id(node) for node in ours}
    taken = {
        str(node["identifier"])
        for node in nodes
        if node.get("identifier") and node["type"] != "crossReference" and id(node) not in mine
    }
    renamed: dict[str, str] = {}
    for node in ours:
        old = str(node["identifier"])
        if old not in taken:
            continue
        again = 2
        while f"{old}-{again}" in taken or f"{old}-{again}" in renamed.values():
            again += 1
        renamed[old] = node["identifier"] = node["label"] = f"{old}-{again}"
    parts = [node for node in nodes if "lstm-params" in str(node.get("class", "")).split()]
    for part in parts:  # our links, in our output: the tables' counts, the "same as" lines
        for node in _walk(part):
            if node["type"] == "crossReference" and node.get("identifier") in renamed:
                node["identifier"] = node["label"] = renamed[node["identifier"]]
    return len(renamed)


def _walk(node: Node) -> Any:
    yield node
    for child in node.get("children") or []:
        if isinstance(child, dict):
            yield from _walk(child)


# -- the role ------------------------------------------------------------------------------------


def run_role(data: Mapping[str, Any], values: Mapping[str, object]) -> list[Node]:
    """``{lstm-params}`units=256, input-dim=4096``` -> 4,457,472, as text (which every
    export keeps); ``{lstm-params}`model=imdb``` -> a placeholder that :func:`run_transform`
    answers once every page has been read.

    A bad role shows the role as written and makes mystmd print the message: nodes a role
    returns are not run again, so :func:`message_carrier` cannot serve; a reference to a
    label that does not exist can, as mystmd resolves references after parsing
    (``⚠️ page.md:LINE:COLUMN Cross reference target was not found: MESSAGE``).
    """
    from ..constructors import split_call
    from ..counting import count, parse_spec
    from ..expect import EXPECT, mismatch, split_expect
    from ..model.quote import read_quote
    from ..numbers import format_count
    from ..options import read_role_text
    from ..settings import read_settings
    from ..spec import OptionError

    body = str(data.get("body") or "")
    name = str(data.get("name") or NAME)
    written = f"{{{name}}}`{body}`"
    settings, _messages = read_settings(values)  # the directives report bad values
    layer, rest = split_call(body)
    try:
        if name == MODEL_NAME:
            raise OptionError(f"a directive, not a role; {{{NAME}}}`model=NAME` quotes a summary")
        quote = None if layer else read_quote(read_role_text(rest))
        if quote is not None:
            return [quote_placeholder(quote, written, _position_of(data))]
        pairs, expected = split_expect(read_role_text(rest))
        spec = parse_spec(pairs, settings.default_framework, also_known=(EXPECT,), layer=layer)
    except OptionError as error:
        message = f"{name} role: {error}"
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
    counted = count(spec).total
    total = format_count(counted, settings.separator)
    stale = None if expected is None else mismatch(expected, counted, f"{EXPECT}=")
    if stale is not None:  # the count still shows; mystmd prints the Sphinx role's warning
        message = f"{NAME} role: {stale}"
        return [
            {
                "type": "crossReference",
                "identifier": message,
                "label": message,
                "class": "lstm-params",
                "position": _position_of(data),
                "children": [{"type": "text", "value": total}],
            }
        ]
    return [{"type": "text", "value": total}]


if __name__ == "__main__":
    sys.exit(main())
