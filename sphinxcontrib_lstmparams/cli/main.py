"""``lstm-params``: the breakdown in a terminal, or as JSON; ``--model FILE`` for a whole
model's summary."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .. import __version__
from ..constructors import ConstructorError
from ..counting import count_params
from ..kinds import KINDS, all_flags, all_options, registered
from ..options import ALIASES, kebab, parse_literal
from ..plain_text import format_json, format_text
from ..spec import OptionError
from ..table import ROWS
from .model import MODEL_ONLY, run_model
from .printed import check_printed_files, merge_texts

EXAMPLES = """\
examples:
  lstm-params --units 256 --input-dim 4096
  lstm-params "nn.LSTM(300, 512, num_layers=2, bidirectional=True)"
  lstm-params "keras.layers.GRU(64, reset_after=False)" --input-dim 32
  lstm-params --framework pytorch --hidden-size 128 --input-size 64 --num-layers 2 --bidirectional
  lstm-params --cell rnn --units 4 --input-dim 3 --json
  lstm-params --model model.txt --input-shape "(None, 80)"
  lstm-params --model cell.py --define max_features=20000 --define "len(chars)=57"
  printf 'nn.LSTM(300, 512)\nnn.Linear(512, 10)\n' | lstm-params --model - --breakdowns
  lstm-params --check-printed README.md docs/*.md
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
    model = parser.add_argument_group(
        "whole models",
        "--model prints what Keras' model.summary() or torchinfo.summary() would; with it,\n"
        "--framework and --input-shape are the model's, and each line says its own layer",
    )
    model.add_argument(
        "--model",
        metavar="FILE",
        action=_Once,
        help="a model as its code writes it (a notebook cell, a script) or one layer per line "
        "(- for standard input); read, never run",
    )
    model.add_argument(
        "--define",
        metavar="KEY=VALUE",
        action="append",
        help="a value the code uses but cannot know, such as max_features=20000 or "
        "'len(chars)=60' (repeatable; a comma-separated list also works)",
    )
    model.add_argument(
        "--model-variable",
        metavar="NAME",
        action=_Once,
        help="which model, by its variable's name, when the code builds several (default: the "
        "one model.summary() is called on, else the last one built)",
    )
    model.add_argument(
        "--model-class",
        metavar="CALL",
        action=_Once,
        help="PyTorch: the class of the code that is the model, with its arguments if it needs "
        "them, such as 'Net' or 'Seq2Seq(enc, dec, device)' (default: the model the code makes)",
    )
    model.add_argument(
        "--depth",
        metavar="N",
        action=_Once,
        help="torchinfo's depth= (default: the code's summary() call, else 3)",
    )
    model.add_argument(
        "--columns",
        metavar="NAMES",
        action=_Once,
        help="torchinfo's col_names=: input_size, output_size, num_params, params_percent, "
        "kernel_size, mult_adds, trainable (default: the code's summary() call)",
    )
    model.add_argument(
        "--model-name",
        metavar="NAME",
        action=_Once,
        help='the model\'s name in the summary (default: Keras "sequential", PyTorch "Model")',
    )
    model.add_argument(
        "--line-length",
        metavar="COLUMNS",
        action=_Once,
        help="Keras' line_length (default: as Keras, min(88, terminal width - 4); 108 for a "
        "model with branches)",
    )
    model.add_argument(
        "--expand-nested",
        action="store_true",
        help="Keras' expand_nested: a nested model's own layers under its row",
    )
    model.add_argument(
        "--breakdowns",
        action="store_true",
        help="after the summary, the gate-by-gate breakdown of every recurrent layer",
    )
    printed = parser.add_argument_group(
        "summaries already printed",
        "--check-printed reads the model.summary() and torchinfo/torchsummary tables pasted\n"
        "in Markdown, reST or text files and checks their counts and sizes",
    )
    printed.add_argument(
        "--check-printed",
        metavar="FILE",
        nargs="+",
        help="check every printed summary in these files, and against the Python block before "
        "it (with --define's values); each problem as file:line: message, exit status 1 when "
        "there is one",
    )
    return parser


def _check_printed(paths: Sequence[str], defines: Sequence[str]) -> int:
    try:
        define = merge_texts(defines)
        found = check_printed_files(paths, define)
    except OptionError as error:
        print(f"lstm-params: error: {error}", file=sys.stderr)
        return 2
    for note in found.notes:
        print(f"lstm-params: note: {note}", file=sys.stderr)
    for problem in found.problems:
        print(problem)
    return 1 if found.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    printed = args.pop("check_printed")
    if printed is not None:
        defines = args.pop("define") or []
        given = [name for name, value in args.items() if value not in (None, False)]
        if given:
            print(
                f"lstm-params: error: --check-printed takes files and --define only, not "
                f"--{kebab(given[0])}",
                file=sys.stderr,
            )
            return 2
        return _check_printed(printed, defines)
    as_json = args.pop("json")
    rows_word = args.pop("rows")
    layer = args.pop("layer")
    model = args.pop("model")
    args["breakdowns"] = True if args.pop("breakdowns") else None  # None: not given
    args["expand_nested"] = True if args.pop("expand_nested") else None
    notes: list[str] = []
    options = {name: value for name, value in args.items() if value is not None}
    warnings: list[str] = []
    try:
        if model is not None:
            if layer is not None or rows_word is not None:
                extra = "LAYER" if layer is not None else "--rows"
                raise OptionError(f"model: {extra} is not for a whole model")
            output, warnings, notes = run_model(model, options, as_json)
        else:
            stray = [name for name in MODEL_ONLY if name in options]
            if stray:
                raise OptionError(f"{kebab(stray[0])}: only with --model FILE", stray[0])
            rows = None if rows_word is None else parse_literal("rows", rows_word, ROWS)
            breakdown = count_params(layer, **options)
            output = format_json(breakdown) if as_json else format_text(breakdown, rows)
    except OptionError as error:
        # the message starts with the option in our words; show it as the flag
        flag = "--" if error.option and not isinstance(error, ConstructorError) else ""
        print(f"lstm-params: error: {flag}{error}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"lstm-params: note: {note}", file=sys.stderr)
    for warning in warnings:
        print(f"lstm-params: warning: {warning}", file=sys.stderr)
    try:
        print(output, flush=True)
    except BrokenPipeError:  # `lstm-params ... | head`: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a full disk, a closed terminal: say so in one line
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"lstm-params: error: cannot write the output: {error.strerror}", file=sys.stderr)
        return 1
    return 1 if warnings else 0  # an incomplete model fails a script, as a warning fails -W
