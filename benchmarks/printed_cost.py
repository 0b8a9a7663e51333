"""What ``lstmparams_check_printed`` costs a build: a page with 50 pasted summaries, built with
the check off and on, side by side.

The page holds 50 printed summaries as ``::`` blocks, each under its own heading with a
sentence of prose, drawn in turn from the real ones the tests keep (Keras 3 at 88 and 76
columns and with "Connected to", Keras 2, torchinfo at several depths and column sets,
torchsummary; ``tests/data/model_summaries.json`` and ``printed_summaries.json``). Every
build is a fresh ``sphinx-build -E -W -q -b html`` (so a summary that warned would stop the
run), off and on interleaved, and the medians are compared. The check's own time is also
measured in the process: reading and checking the page's 50 blocks.

    python benchmarks/printed_cost.py            # 15 builds of each (about a minute)
    python benchmarks/printed_cost.py --quick    # 1 of each, to see that it runs
    python benchmarks/printed_cost.py --from-json benchmarks/results/printed_cost.json

writes ``results/printed_cost.json`` and ``results/printed_summary.rst`` (included by
``docs/benchmarks.rst``).
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


def page(count: int) -> str:
    """A page of ``count`` summaries, taken in turn from every kept one."""
    every = summaries()
    step = max(len(every) // count, 1)
    chosen = [every[(i * step) % len(every)] for i in range(count)]
    parts = ["Pasted summaries", "================", ""]
    for number, text in enumerate(chosen, 1):
        title = f"Model {number}"
        block = "\n".join(f"   {line}" if line else "" for line in text.splitlines())
        parts += [title, "-" * len(title), "", f"What model {number} printed::", "", block, ""]
    return "\n".join(parts)


def write_project(root: Path, check: bool, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    conf = 'project = "Printed"\nextensions = ["sphinxcontrib_lstmparams"]\n'
    conf += f"lstmparams_check_printed = {check}\n"
    (root / "conf.py").write_text(conf, encoding="utf-8")
    (root / "index.rst").write_text(page(count), encoding="utf-8")


def check_seconds(count: int, repeat: int) -> float:
    """The median time to read and check the page's blocks, in the process."""
    from sphinxcontrib_lstmparams.printed import check_text
    from sphinxcontrib_lstmparams.printed.layers import forget_counts

    every = summaries()
    step = max(len(every) // count, 1)
    chosen = [every[(i * step) % len(every)] for i in range(count)]
    times = []
    for _ in range(repeat):
        forget_counts()  # as in a build: each count made once
        start = time.perf_counter()
        found = [check_text(text) for text in chosen]
        times.append(time.perf_counter() - start)
        assert not any(found), "a kept summary warned"
    return statistics.median(times)


def run(count: int, repeat: int, work: Path) -> dict[str, Any]:
    sources = {check: work / f"check-{check}" for check in (False, True)}
    for check, source in sources.items():
        write_project(source, check, count)
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
        "settings": {"summaries": count, "repeat": repeat},
        "runs": runs,
        "check_in_process_s": check_seconds(count, max(repeat, 5)),
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
        f"pasted summaries; median of {settings['repeat']} builds each, off and on interleaved",
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
    words = (
        f"Reading and checking the {settings['summaries']} blocks in the process takes "
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
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as work:
            result = run(args.summaries, 1 if args.quick else args.repeat, Path(work))
    text = summary_rst(result)
    print(text)
    if args.quick:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.from_json:
        saved = json.dumps(result, indent=1, sort_keys=True) + "\n"
        (args.out / "printed_cost.json").write_text(saved, encoding="utf-8")
    (args.out / "printed_summary.rst").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
