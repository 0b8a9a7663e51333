"""``lstm-params``: the breakdown in a terminal, or as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .conventions import framework_name
from .counting import Breakdown, count_params, gate_rows
from .formula import format_bytes, format_count, formula
from .options import ALIASES, FLAG_OPTIONS, SPEC_OPTIONS, OptionError, kebab


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
    for name in (*SPEC_OPTIONS, *ALIASES):
        flag = "--" + kebab(name)
        if name in FLAG_OPTIONS:
            # `--bidirectional` alone means true; `--bidirectional false` is allowed too
            parser.add_argument(flag, dest=name, nargs="?", const="true", metavar="BOOL")
        else:
            parser.add_argument(flag, dest=name, metavar=kebab(name).upper())
    parser.add_argument("--json", action="store_true", help="print the breakdown as JSON")
    return parser


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[c]) for row in (headers, *rows)) for c in range(len(headers))]
    lines = []
    for index, row in enumerate((headers, *rows)):
        cells = [
            cell.ljust(w) if c < 3 else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0 or index == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _shape(shape: tuple[int, ...]) -> str:
    return " x ".join(str(n) for n in shape)


def format_text(breakdown: Breakdown) -> str:
    spec = breakdown.spec
    headers = ["layer", "direction", "gate", "input W", "recurrent U", "biases", "total"]
    if spec.peepholes:
        headers.insert(-1, "peephole")
    rows = []
    for row in gate_rows(breakdown):
        weights = row.projection or row.input_weights
        cells = [
            str(row.layer),
            row.direction,
            row.gate,
            f"{_shape(weights.shape)} = {format_count(weights.count)}" if weights else "",
            f"{_shape(row.recurrent_weights.shape)} = {format_count(row.recurrent_weights.count)}"
            if row.recurrent_weights
            else "",
            " + ".join(format_count(t.count) for t in row.biases),
        ]
        if spec.peepholes:
            cells.append(format_count(row.peephole.count) if row.peephole else "")
        rows.append([*cells, format_count(row.total)])
    rows.append(
        [
            "total",
            "",
            "",
            "",
            "",
            "",
            *([""] if spec.peepholes else []),
            format_count(breakdown.total),
        ]
    )
    layers = f"{spec.layers} layers" if spec.layers > 1 else "1 layer"
    kind = f"{'bidirectional ' if spec.bidirectional else ''}{spec.cell.upper()}"
    lines = [
        f"{framework_name(spec.framework)} {kind}, {layers}, {spec.units:,} units, "
        f"{spec.input_dim:,} input features: {format_count(breakdown.total)} parameters",
        "",
        _table(headers, rows),
        "",
        formula(breakdown).text(),
        "",
        f"memory: {format_bytes(breakdown.bytes)} at {spec.dtype}",
        f"MACs per timestep: {format_count(breakdown.macs_per_step)}",
    ]
    if breakdown.macs_per_sequence is not None:
        lines.append(
            f"MACs per sequence of {spec.timesteps:,} steps: "
            f"{format_count(breakdown.macs_per_sequence)} "
            "(timesteps do not change the parameter count)"
        )
    return "\n".join(lines)


def format_json(breakdown: Breakdown) -> str:
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
    return 0
