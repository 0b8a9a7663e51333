"""``lstm-params``: the breakdown in a terminal, or as JSON."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__, wording
from .constructors import ConstructorError
from .counting import Breakdown, count_params
from .formula import formula
from .kinds import KINDS, all_flags, all_options, kind_of, registered
from .numbers import NumberStyle
from .options import ALIASES, kebab, parse_literal
from .spec import OptionError, untranslated
from .table import ROWS, Rows, Table, cell_text, format_plain

NUMBERS = NumberStyle()


EXAMPLES = """\
examples:
  lstm-params --units 256 --input-dim 4096
  lstm-params "nn.LSTM(300, 512, num_layers=2, bidirectional=True)"
  lstm-params "keras.layers.GRU(64, reset_after=False)" --input-dim 32
  lstm-params --framework pytorch --hidden-size 128 --input-size 64 --num-layers 2 --bidirectional
  lstm-params --cell rnn --units 4 --input-dim 3 --json
"""


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line and exit status 2, never a usage dump or a traceback; an
    unknown flag gets a "did you mean"."""

    def error(self, message: str) -> NoReturn:
        unknown = re.match(r"unrecognized arguments: (--?[\w-]+)", message)
        if unknown:
            flags = [flag for action in self._actions for flag in action.option_strings]
            close = difflib.get_close_matches(unknown[1], flags, n=1)
            if close:
                message = f"unrecognized argument {unknown[1]}; did you mean {close[0]}?"
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Once(argparse.Action):
    """A flag given twice is an error, as an option given twice is in the directive."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option_string}: given twice")
        setattr(namespace, self.dest, values)


def _help(name: str) -> str:
    """The help line of an option: the kind that reads it says what it takes."""
    if name == "cell":
        return f"layer kind: {', '.join(KINDS)} (default: lstm)"
    if name == "rows":
        return f"table rows: {', '.join(ROWS)} (default: gates for one layer, layers for a stack)"
    for kind in registered():
        text = kind.option_help().get(name)
        if text:
            return text
    return ""


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="lstm-params",
        allow_abbrev=False,
        description="Count the parameters of an LSTM, GRU or simple RNN layer, gate by gate,\n"
        "as Keras, PyTorch, ONNX, TF1 or Flax report them. The flags are the options of\n"
        "the lstm-params directive, with the same words and rules.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "layer",
        nargs="?",
        help='the layer as its framework writes it, e.g. "nn.LSTM(4096, 256, num_layers=2)"; '
        "read, never run",
    )
    flags = all_flags()
    for name in (*all_options(), "rows", *ALIASES):
        flag = "--" + kebab(name)
        target = ALIASES.get(name)
        help_text = f"the same as --{kebab(target)}" if target else _help(name)
        if name in flags:
            # `--bidirectional` alone means true; `--bidirectional false` is allowed too
            parser.add_argument(
                flag,
                dest=name,
                nargs="?",
                const="true",
                metavar="BOOL",
                action=_Once,
                help=help_text,
            )
        else:
            metavar = kebab(name).upper()
            parser.add_argument(flag, dest=name, metavar=metavar, action=_Once, help=help_text)
    parser.add_argument("--json", action="store_true", help="print the breakdown as JSON")
    return parser


def format_table(table: Table) -> str:
    """The breakdown table for a terminal: the same columns and cells as in the docs."""
    rows = [[cell_text(cell, NUMBERS) for cell in row.cells] for row in table.rows]
    headers = [column.header for column in table.columns]
    return format_plain(headers, rows, [column.numeric for column in table.columns])


def format_text(breakdown: Breakdown[Any], rows: Rows | None = None) -> str:
    _ = untranslated
    before, total, after = wording.answer(breakdown, _, NUMBERS)
    table = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _, rows)
    notes = [f"* {note}" for note in wording.notes(breakdown, _, NUMBERS)]
    return "\n\n".join(
        [
            f"{before}{total}{after}",
            format_table(table),
            formula(breakdown).text(),
            wording.plain(wording.where(breakdown, _, NUMBERS)),
            "\n".join(notes),
        ]
    )


def format_json(breakdown: Breakdown[Any]) -> str:
    data = breakdown.as_dict()
    form = formula(breakdown)
    data["formula"] = {"latex": form.latex(), "text": form.text()}
    return json.dumps(data, indent=2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    as_json = args.pop("json")
    rows_word = args.pop("rows")
    layer = args.pop("layer")
    options = {name: value for name, value in args.items() if value is not None}
    try:
        rows = None if rows_word is None else parse_literal("rows", rows_word, ROWS)
        breakdown = count_params(layer, **options)
    except OptionError as error:
        # the message starts with the option in our words; show it as the flag
        flag = "--" if error.option and not isinstance(error, ConstructorError) else ""
        print(f"lstm-params: error: {flag}{error}", file=sys.stderr)
        return 2
    try:
        print(format_json(breakdown) if as_json else format_text(breakdown, rows), flush=True)
    except BrokenPipeError:  # `lstm-params ... | head`: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a full disk, a closed terminal: say so in one line
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"lstm-params: error: cannot write the output: {error.strerror}", file=sys.stderr)
        return 1
    return 0
