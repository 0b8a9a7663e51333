"""What the largest page costs: six ``lstm-params`` directives at the documented maxima.

Each directive counts 100 bidirectional layers of 10^12 units on 10^12 input features with
``:show: all`` (the answer, the gate table, the formula, the notes, the cell diagram and the
storage map), one per cell and framework. The script builds, interleaved and ``--repeat``
times, each a fresh ``sphinx-build -E -W -q -b html`` into a new folder:

* ``empty``: the same project with an empty page (the extension loaded);
* ``big``: the page;
* ``big, quadratic widths``: the page with the text builder's column-width search as it was
  before it was made linear (``old_column_widths`` of ``tests/test_column_widths.py``, where
  it is the tests' oracle), patched in before Sphinx starts.

It reports the median wall and CPU time of each, checks that the two pages are the same bytes,
and times the width search alone on the page's twelve tables as the builders ask for them, the
old and the new side by side in one process (CPU time). It writes ``results/big_page.json`` and
``results/big_page.rst`` (included by ``docs/benchmarks.rst``); ``--from-json`` rewrites the
summary only, with ``--widths`` after timing the width searches again.

    python benchmarks/big_page.py               # about 5 minutes on 2 busy cores
    python benchmarks/big_page.py --repeat 1    # one build of each
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
FRAMEWORKS = (
    ("keras", "lstm"),
    ("pytorch", "lstm"),
    ("keras", "gru"),
    ("pytorch", "gru"),
    ("onnx", "rnn"),
    ("flax", "lstm"),
)
VARIANTS = ("empty", "big", "big, quadratic widths")
# runs Sphinx with the width search the tests keep as their oracle in place of ours
QUADRATIC = f"""
import sys
sys.path.insert(0, {str(REPO / "tests")!r})
from test_column_widths import old_column_widths
import sphinxcontrib_lstmparams.render.storage as storage
import sphinxcontrib_lstmparams.render.table as table
table._column_widths = storage._column_widths = old_column_widths
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""


def page() -> str:
    directives = "".join(
        ".. lstm-params::\n"
        "   :units: 1000000000000\n"
        "   :input-dim: 1000000000000\n"
        "   :layers: 100\n"
        "   :bidirectional:\n"
        f"   :cell: {cell}\n"
        f"   :framework: {framework}\n"
        "   :show: all\n\n"
        for framework, cell in FRAMEWORKS
    )
    return "The largest page\n================\n\n" + directives


def write_project(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text('extensions = ["sphinxcontrib_lstmparams"]\n')
    (folder / "index.rst").write_text(text, encoding="utf-8")


def build(variant: str, source: Path, out: Path) -> tuple[float, float]:
    """One fresh strict build: (wall seconds, CPU seconds of the build process)."""
    shutil.rmtree(out, ignore_errors=True)
    arguments = ["-E", "-W", "-q", "-b", "html", str(source), str(out)]
    if variant == "big, quadratic widths":
        command = [sys.executable, "-c", QUADRATIC, *arguments]
    else:
        command = [sys.executable, "-m", "sphinx", *arguments]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    output = process.stdout.read().decode() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0 or output.strip():
        raise RuntimeError(f"{variant}: the build failed or warned:\n{output[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def widths_alone() -> dict[str, float]:
    """CPU seconds of each width search over the page's tables as the builders ask for them
    (12: a gate table and a storage map per directive), caught in a build of the page in this
    process, then searched again one table after the other by each."""
    sys.path.insert(0, str(REPO / "tests"))
    from sphinx.cmd.build import build_main
    from test_column_widths import old_column_widths

    import sphinxcontrib_lstmparams.render.storage as storage
    import sphinxcontrib_lstmparams.render.table as table

    linear = table._column_widths
    tables: list[list[list[str]]] = []

    def caught(rows: list[list[str]]) -> list[int]:
        tables.append([list(row) for row in rows])
        return linear(rows)

    table._column_widths = storage._column_widths = caught  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            write_project(Path(tmp) / "big", page())
            build_main(["-E", "-q", "-b", "html", f"{tmp}/big", f"{tmp}/out"])
    finally:
        table._column_widths = storage._column_widths = linear
    seconds, found = {}, {}
    for name, search in (("linear", linear), ("quadratic", old_column_widths)):
        start = time.process_time()
        found[name] = [search(rows) for rows in tables]
        seconds[name] = time.process_time() - start
    if found["linear"] != found["quadratic"]:
        raise AssertionError("the two searches disagree")
    return {**seconds, "tables": len(tables)}


def run(repeat: int) -> dict[str, Any]:
    runs: dict[str, list[tuple[float, float]]] = {variant: [] for variant in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root / "empty", "Empty\n=====\n")
        write_project(root / "big", page())
        pages = {}
        for repetition in range(repeat):
            for variant in VARIANTS:
                source = root / ("empty" if variant == "empty" else "big")
                out = root / f"out-{VARIANTS.index(variant)}"
                runs[variant].append(build(variant, source, out))
                if variant != "empty":
                    pages[variant] = (out / "index.html").read_bytes()
                print(f"{repetition + 1}/{repeat} {variant}: {runs[variant][-1]}", file=sys.stderr)
        if pages["big"] != pages["big, quadratic widths"]:
            raise AssertionError("the two searches give different pages")
    import docutils
    import sphinx

    return {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.platform()}",
        "software": f"Python {platform.python_version()}, Sphinx {sphinx.__version__}, "
        f"docutils {docutils.__version__}",
        "load": os.getloadavg()[0],
        "repeat": repeat,
        "builds": {variant: [list(run) for run in runs[variant]] for variant in VARIANTS},
        "widths_cpu_s": widths_alone(),
    }


def summary(data: dict[str, Any]) -> str:
    medians = {
        variant: (
            statistics.median(wall for wall, _cpu in runs),
            statistics.median(cpu for _wall, cpu in runs),
        )
        for variant, runs in data["builds"].items()
    }
    _wall, empty_cpu = medians["empty"]
    lines = [
        f":Date: {data['date']}",
        f":Machine: {data['machine']} (load average {data['load']:.1f} at the end: shared)",
        f":Software: {data['software']}",
        f":Builds: ``sphinx-build -E -W -q -b html``, fresh output folder each time, "
        f"median of {data['repeat']}, interleaved",
        ":Command: ``python benchmarks/big_page.py``",
        "",
        ".. list-table:: Six directives at the maxima, :show: all",
        "   :header-rows: 1",
        "",
        "   * - Project",
        "     - Wall (s)",
        "     - CPU (s)",
        "     - CPU more than the empty project (s)",
    ]
    for variant, (wall, cpu) in medians.items():
        lines += [
            f"   * - {variant}",
            f"     - {wall:.2f}",
            f"     - {cpu:.2f}",
            f"     - {cpu - empty_cpu:.2f}",
        ]
    widths = data["widths_cpu_s"]
    lines += [
        "",
        f"The width search alone over the page's {widths['tables']:.0f} tables, as the builders "
        "ask for them, one after the other in one process: "
        f"{widths['quadratic']:.2f} s of CPU before, {widths['linear']:.3f} s now "
        f"({widths['quadratic'] / widths['linear']:.0f} times less), the same widths; the two "
        "built pages are the same bytes.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--from-json", type=Path, help="rewrite the summary of a saved run")
    parser.add_argument(
        "--widths", action="store_true", help="with --from-json: time the width searches again"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
        if args.widths:
            data["widths_cpu_s"] = widths_alone()
            (args.out / "big_page.json").write_text(json.dumps(data, indent=1) + "\n")
    else:
        data = run(args.repeat)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "big_page.json").write_text(json.dumps(data, indent=1) + "\n")
    text = summary(data)
    (args.out / "big_page.rst").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
