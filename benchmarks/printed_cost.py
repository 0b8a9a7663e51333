"""What ``lstmparams_check_printed`` costs a build: a page with 50 pasted summaries, built with
the check off and on, side by side.

The page holds 50 printed summaries as ``::`` blocks, each under its own heading with a
sentence of prose, drawn in turn from the real ones the tests keep (Keras 3 at 88 and 76
columns and with "Connected to", Keras 2, torchinfo at several depths and column sets,
torchsummary; ``tests/data/model_summaries.json`` and ``printed_summaries.json``). Every
build is a fresh ``sphinx-build -E -W -q -b html`` (so a summary that warned would stop the
run), off and on interleaved, and the medians are compared. The check's own time is also
measured in the process, as CPU time (the machine may be shared): reading and checking the
page's 50 blocks.

    python benchmarks/printed_cost.py            # 15 builds of each (about a minute)
    python benchmarks/printed_cost.py --quick    # 1 of each, to see that it runs
    python benchmarks/printed_cost.py --from-json benchmarks/results/printed_cost.json
    python benchmarks/printed_cost.py --with-code  # each summary after the code it printed

writes ``results/printed_cost.json`` and ``results/printed_summary.rst`` (included by
``docs/benchmarks.rst``); with ``--with-code``, ``printed_code_cost.json`` and
``printed_code_summary.rst``: each summary follows, as a ``code-block:: python``, the code
cell it was printed for (``tests/data/code_cells.json``, Keras 3 and Keras 2), so that the
check also reads 50 cells and holds each summary against its code.
"""

from __future__ import annotations

import argparse
import json
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


def summaries() -> list[str]:
    """Every real printed summary the tests keep, in a fixed order."""
    texts: list[str] = []
    for case in json.loads((DATA / "model_summaries.json").read_text(encoding="utf-8"))["cases"]:
        texts += [case[key] for key in sorted(case) if key.startswith("printed")]
    recorded = json.loads((DATA / "printed_summaries.json").read_text(encoding="utf-8"))
    texts += [case["printed"] for case in recorded["cases"]]
    return texts


def cells() -> list[tuple[str, str]]:
    """(code, printed) of every recorded cell that built, Keras 3's and Keras 2's text, with
    the values the cell cannot know written into it."""
    pairs = []
    for case in json.loads((DATA / "code_cells.json").read_text(encoding="utf-8"))["cases"]:
        if "printed" in case and case.get("built") and not case.get("model_variable"):
            values = "".join(f"{key} = {value!r}\n" for key, value in case["define"].items())
            if all(key.isidentifier() for key in case["define"]):
                pairs.append((values + case["code"], case["printed"]))
    return pairs


def _chosen(count: int, every: list[Any]) -> list[Any]:
    step = max(len(every) // count, 1)
    return [every[(i * step) % len(every)] for i in range(count)]


def _indented(text: str) -> str:
    return "\n".join(f"   {line}" if line else "" for line in text.splitlines())


def page(count: int, with_code: bool = False) -> str:
    """A page of ``count`` summaries, taken in turn from every kept one (after their code)."""
    parts = ["Pasted summaries", "================", ""]
    chosen = _chosen(count, cells() if with_code else [("", text) for text in summaries()])
    for number, (code, text) in enumerate(chosen, 1):
        title = f"Model {number}"
        parts += [title, "-" * len(title), ""]
        if code:
            parts += [".. code-block:: python", "", _indented(code), ""]
        parts += [f"What model {number} printed::", "", _indented(text), ""]
    return "\n".join(parts)


def write_project(root: Path, check: bool, count: int, with_code: bool = False) -> None:
    root.mkdir(parents=True, exist_ok=True)
    conf = 'project = "Printed"\nextensions = ["sphinxcontrib_lstmparams"]\n'
    conf += f"lstmparams_check_printed = {check}\n"
    (root / "conf.py").write_text(conf, encoding="utf-8")
    (root / "index.rst").write_text(page(count, with_code), encoding="utf-8")


def check_seconds(count: int, repeat: int, with_code: bool = False) -> float:
    """The median CPU time to read and check the page's blocks, in the process (and to read
    the code before each and hold the summary against it)."""
    from sphinxcontrib_lstmparams.printed.layers import forget_counts
    from sphinxcontrib_lstmparams.printed.pasted_code import CodeBlock, PageCode

    chosen = _chosen(count, cells() if with_code else [("", text) for text in summaries()])
    times = []
    for _ in range(repeat):
        forget_counts()  # as in a build: each count made once
        start = time.process_time()
        page = PageCode()
        found = []
        for code, text in chosen:
            if code:
                page.add(CodeBlock(code))
            checked = page.check(text)
            found.append(checked.problems)
            assert all(checked.held) == bool(code), "a summary was not held against its code"
        times.append(time.process_time() - start)
        assert not any(found), "a kept summary warned"
    return statistics.median(times)


def run(count: int, repeat: int, work: Path, with_code: bool = False) -> dict[str, Any]:
    sources = {check: work / f"check-{check}" for check in (False, True)}
    for check, source in sources.items():
        write_project(source, check, count, with_code)
    runs = []
    for repetition in range(repeat):
        for check in (False, True):
            wall, cpu, rss = build(sources[check], work / f"out-{check}", 1)
            runs.append(
                {"check": check, "repetition": repetition, "wall_s": wall, "cpu_s": cpu, "rss": rss}
            )
            print(f"  check={check!s:5} wall {wall:.2f} s  cpu {cpu:.2f} s", file=sys.stderr)
    return {
        "machine": machine(),
        "settings": {"summaries": count, "repeat": repeat, "with_code": with_code},
        "runs": runs,
        "check_in_process_s": check_seconds(count, max(repeat, 5), with_code),
    }


def medians(result: dict[str, Any]) -> dict[str, float]:
    def median(check: bool, key: str) -> float:
        return statistics.median(r[key] for r in result["runs"] if r["check"] is check)

    off_wall, on_wall = median(False, "wall_s"), median(True, "wall_s")
    off_cpu, on_cpu = median(False, "cpu_s"), median(True, "cpu_s")
    return {
        "off_wall": off_wall,
        "on_wall": on_wall,
        "off_cpu": off_cpu,
        "on_cpu": on_cpu,
        "wall_ratio": on_wall / off_wall,
        "cpu_ratio": on_cpu / off_cpu,
        "in_process_share": result["check_in_process_s"] / off_cpu,
    }


def summary_rst(result: dict[str, Any]) -> str:
    facts, settings, m = result["machine"], result["settings"], medians(result)
    head = [
        f":Date: {facts['date']}",
        f":Machine: {facts['cores']} cores, {facts['cpu']}, {facts['os']}",
        f":Software: Python {facts['python']}, Sphinx {facts['sphinx']}, docutils "
        f"{facts['docutils']}, sphinxcontrib-lstmparams {facts['sphinxcontrib-lstmparams']}",
        f":Builds: ``sphinx-build -E -W -q -b html``, one page of {settings['summaries']} "
        "pasted summaries"
        + (", each after its code cell" if settings.get("with_code") else "")
        + f"; median of {settings['repeat']} builds each, off and on interleaved",
    ]
    table = [
        ".. list-table:: A page of pasted summaries, without and with the check",
        "   :header-rows: 1",
        "   :widths: 40 20 20 20",
        "",
        "   * - lstmparams_check_printed",
        "     - Wall (s)",
        "     - CPU (s)",
        "     - CPU, ratio",
        "   * - False",
        f"     - {m['off_wall']:.2f}",
        f"     - {m['off_cpu']:.2f}",
        "     - 1.00",
        "   * - True",
        f"     - {m['on_wall']:.2f}",
        f"     - {m['on_cpu']:.2f}",
        f"     - {m['cpu_ratio']:.3f}",
    ]
    code = " and the code before each" if settings.get("with_code") else ""
    words = (
        f"Reading and checking the {settings['summaries']} blocks{code} in the process takes "
        "a CPU time of "
        f"{result['check_in_process_s'] * 1000:.0f} ms (median of "
        f"{max(settings['repeat'], 5)}), {m['in_process_share']:.1%} of the CPU time of the "
        "build without the check."
    )
    return "\n\n".join(["\n".join(head), "\n".join(table), words]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one build of each, printed only")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--summaries", type=int, default=50)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--from-json", type=Path, help="rewrite the summary from saved runs")
    parser.add_argument(
        "--with-code", action="store_true", help="each summary after the code cell it is of"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as work:
            repeat = 1 if args.quick else args.repeat
            result = run(args.summaries, repeat, Path(work), args.with_code)
    name = "printed_code" if result["settings"].get("with_code") else "printed"
    text = summary_rst(result)
    print(text)
    if args.quick:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.from_json:
        saved = json.dumps(result, indent=1, sort_keys=True) + "\n"
        (args.out / f"{name}_cost.json").write_text(saved, encoding="utf-8")
    (args.out / f"{name}_summary.rst").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
