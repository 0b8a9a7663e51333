"""What reading pasted code costs a build: a page of 100 models pasted as code cells, against
the same page written as today's bare lines, side by side.

Each model is one of the Keras models the tests keep (``tests/data/model_summaries.json``),
written twice: as its layers, one per line (what ``model-summary`` has always read), and as a
notebook cell would hold it (imports, the sizes in variables, ``model = keras.Sequential()``,
one ``model.add(...)`` per layer, ``compile``, ``fit`` and ``summary()``). Every build is a fresh
``sphinx-build -E -W -q -b html`` (a model that warned would stop the run), the two projects
interleaved, and the medians compared. Reading one 200-line cell (a builder function, loops,
data loading, plotting) is also timed in the process.

    python benchmarks/paste_cost.py            # 9 builds of each (a few minutes)
    python benchmarks/paste_cost.py --quick    # 1 of each, to see that it runs
    python benchmarks/paste_cost.py --from-json benchmarks/results/paste_cost.json

writes ``results/paste_cost.json`` and ``results/paste_summary.rst`` (included by
``docs/benchmarks.rst``).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_cost import build, machine  # noqa: E402

REPO = HERE.parent
DATA = REPO / "tests" / "data"
RESULTS = HERE / "results"
FORMS = ("lines", "cell")


def models() -> list[list[str]]:
    """The layers of every Keras model the tests keep, one per line."""
    cases = json.loads((DATA / "model_summaries.json").read_text(encoding="utf-8"))["cases"]
    return [case["lines"] for case in cases if case["framework"] == "keras"]


def as_cell(lines: list[str]) -> str:
    """The same model as a notebook cell writes it: its first size in a variable."""
    out = ["import keras", "from keras import layers", "from keras.layers import *", ""]
    first = re.search(r"\((\d+)", lines[1] if len(lines) > 1 else lines[0])
    if first:
        out.append(f"size = {first.group(1)}")
    out += ["epochs = 10", "model = keras.Sequential(name='sequential')"]
    for number, line in enumerate(lines):
        written = line.replace(f"({first.group(1)}", "(size", 1) if first and number == 1 else line
        out.append(f"model.add({written})")
    out += [
        "model.compile(optimizer='adam', loss='mse')",
        "# history = model.fit(x_train, y_train, epochs=epochs)",
        "model.summary()",
    ]
    return "\n".join(out)


def page(form: str, count: int) -> str:
    every = models()
    parts = ["Pasted models", "=============", ""]
    for number in range(count):
        lines = every[number % len(every)]
        body = "\n".join(lines) if form == "lines" else as_cell(lines)
        title = f"Model {number + 1}"
        block = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
        parts += [title, "-" * len(title), "", ".. model-summary::", "   :show: summary", "",
                  block, ""]  # fmt: skip
    return "\n".join(parts)


def big_cell() -> str:
    """A 200-line cell: data loading, constants, a builder with loops, training, plotting."""
    head = [
        "import numpy as np",
        "import matplotlib.pyplot as plt",
        "import tensorflow as tf",
        "from tensorflow import keras",
        "from tensorflow.keras import layers",
        "",
        "(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=20000)",
        "x_train = keras.utils.pad_sequences(x_train, maxlen=200)",
        "VOCAB, EMBED, MAXLEN = 20_000, 128, 200",
        "HIDDEN = [256, 128, 64]",
        "",
        "def build_model(vocab=VOCAB, embed=EMBED, hidden=HIDDEN, dropout=0.2):",
        "    model = keras.Sequential(name='stacked')",
        "    model.add(layers.Input(shape=(MAXLEN,)))",
        "    model.add(layers.Embedding(vocab, embed))",
        "    for i, units in enumerate(hidden):",
        "        last = i == len(hidden) - 1",
        "        model.add(layers.Bidirectional(layers.LSTM(units, return_sequences=not last)))",
        "        model.add(layers.Dropout(dropout))",
        "    model.add(layers.Dense(1, activation='sigmoid'))",
        "    return model",
        "",
    ]
    filler = []
    number = 0
    while len(head) + len(filler) < 197:
        number += 1
        filler += [
            f"# experiment {number}",
            f"rate_{number} = 1e-3 * {number}",
            f"history_{number} = None  # model.fit(x_train, y_train, epochs={number})",
            f"plt.plot(np.arange({number}), label='run {number}')",
            "",
        ]
    tail = ["model = build_model()", "model.compile('adam', 'binary_crossentropy')",
            "model.summary()"]  # fmt: skip
    return "\n".join(head + filler + tail)


def write_project(root: Path, form: str, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    conf = 'project = "Pasted"\nextensions = ["sphinxcontrib_lstmparams"]\n'
    (root / "conf.py").write_text(conf, encoding="utf-8")
    (root / "index.rst").write_text(page(form, count), encoding="utf-8")


def read_seconds(repeat: int) -> tuple[float, int]:
    """The median time to read the 200-line cell in the process, and its line count."""
    from sphinxcontrib_lstmparams.model import model_summary

    cell = big_cell()
    assert model_summary(cell).complete
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        model_summary(cell)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(cell.splitlines())


def run(count: int, repeat: int) -> dict[str, Any]:
    results: dict[str, list[dict[str, float]]] = {form: [] for form in FORMS}
    with tempfile.TemporaryDirectory() as work:
        for form in FORMS:
            write_project(Path(work) / form, form, count)
        for _ in range(repeat):
            for form in FORMS:
                root = Path(work) / form
                wall, cpu, peak = build(root, root / "_build", 1)
                results[form].append({"wall": wall, "cpu": cpu, "peak_mib": peak})
    seconds, lines = read_seconds(max(repeat * 5, 5))
    return {
        "machine": machine(),
        "count": count,
        "repeat": repeat,
        "builds": results,
        "big_cell": {"lines": lines, "seconds": seconds},
    }


def summary(data: dict[str, Any]) -> str:
    median = {form: {key: statistics.median(b[key] for b in data["builds"][form])
                     for key in ("wall", "cpu")} for form in FORMS}  # fmt: skip
    base = median["lines"]["cpu"]
    info = data["machine"]
    rows = "\n".join(
        f"   * - {label}\n     - {median[form]['wall']:.2f}\n     - {median[form]['cpu']:.2f}\n"
        f"     - {median[form]['cpu'] / base:.2f}"
        for form, label in (
            ("lines", "bare lines, one layer per line"),
            ("cell", "code cells as pasted"),
        )
    )
    big = data["big_cell"]
    return f"""\
:Date: {info["date"]}
:Machine: {info["cores"]} cores, {info["cpu"]}, {info["os"]}
:Software: Python {info["python"]}, Sphinx {info["sphinx"]}, docutils {info["docutils"]}, \
sphinxcontrib-lstmparams {info["sphinxcontrib-lstmparams"]}
:Builds: ``sphinx-build -E -W -q -b html``, one page of {data["count"]} models; median of \
{data["repeat"]} builds each, the two forms interleaved

.. list-table:: The same {data["count"]} models, written as bare lines and pasted as code cells
   :header-rows: 1
   :widths: 40 20 20 20

   * - the page's models
     - Wall (s)
     - CPU (s)
     - CPU, ratio
{rows}

Reading one {big["lines"]}-line cell (a builder function with a loop, data loading, training
and plotting lines) takes {big["seconds"] * 1000:.0f} ms in the process (median).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one build of each, 10 models")
    parser.add_argument("--from-json", type=Path, help="print the summary of a saved run")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        data = run(10, 1) if args.quick else run(100, 9)
        if not args.quick:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "paste_cost.json").write_text(json.dumps(data, indent=1) + "\n")
    text = summary(data)
    if not args.quick:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "paste_summary.rst").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
