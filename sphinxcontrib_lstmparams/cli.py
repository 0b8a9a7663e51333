"""``lstm-params``: the breakdown in a terminal, or as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__, wording
from .counting import Breakdown, count_params
from .formula import formula
from .kinds import all_flags, all_options, kind_of
from .numbers import NumberStyle
from .options import ALIASES, kebab
from .spec import OptionError, untranslated
from .table import Table, cell_text, format_plain

NUMBERS = NumberStyle()


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line and exit status 2, never a usage dump or a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="lstm-params",
        allow_abbrev=False,
        description="Count the parameters of an LSTM, GRU or simple RNN layer, "
        "gate by gate, as Keras, PyTorch, ONNX, TF1 or Flax report them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    flags = all_flags()
    for name in (*all_options(), *ALIASES):
        flag = "--" + kebab(name)
        if name in flags:
            # `--bidirectional` alone means true; `--bidirectional false` is allowed too
            parser.add_argument(flag, dest=name, nargs="?", const="true", metavar="BOOL")
        else:
            parser.add_argument(flag, dest=name, metavar=kebab(name).upper())
    parser.add_argument("--json", action="store_true", help="print the breakdown as JSON")
    return parser


def format_table(table: Table) -> str:
    """The breakdown table for a terminal: the same columns and cells as in the docs."""
    rows = [[cell_text(cell, NUMBERS) for cell in row.cells] for row in table.rows]
    headers = [column.header for column in table.columns]
    return format_plain(headers, rows, [column.numeric for column in table.columns])


def format_text(breakdown: Breakdown[Any]) -> str:
    _ = untranslated
    before, total, after = wording.answer(breakdown, _, NUMBERS)
    table = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _)
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
    options = {name: value for name, value in args.items() if value is not None}
    try:
        breakdown = count_params(**options)
    except OptionError as error:
        # the message starts with the option in our words; show it as the flag
        flag = "--" if error.option else ""
        print(f"lstm-params: error: {flag}{error}", file=sys.stderr)
        return 2
    try:
        print(format_json(breakdown) if as_json else format_text(breakdown), flush=True)
    except BrokenPipeError:  # `lstm-params ... | head`: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a full disk, a closed terminal: say so in one line
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"lstm-params: error: cannot write the output: {error.strerror}", file=sys.stderr)
        return 1
    return 0
