"""What the ``lstm-params`` directive costs a docs build, against the alternatives.

Builds three generated Sphinx projects (see ``projects.py``) interleaved, several times each,
every build a fresh ``sphinx-build -E -W -q -b html`` into a new output folder, and reports
the median wall time, CPU time and peak memory of each, the ratios that matter, ``-j 2``
against serial for the directive, and the import time of the extension.

    python benchmarks/build_cost.py            # the full run (about 20 minutes on 2 cores)
    python benchmarks/build_cost.py --quick    # a smoke run (tiny N, one repetition, < 60 s)
    python benchmarks/build_cost.py --verify   # (a) with and without lstmparams_verify

``--verify`` times the directive's project with and without ``lstmparams_verify = ["torch",
"keras"]`` at N = 100 and 1,000 (``--verify-sizes``); it needs ``torch`` and ``keras`` in the
running interpreter (Keras on ``KERAS_BACKEND``, torch when unset) and writes
``verify_cost.json`` and ``verify_summary.rst`` beside the other results.

Variant (c) needs ``torch`` and ``sphinx-exec-code`` in the running interpreter; without
them it is skipped with a note. The plot needs ``matplotlib``; peak memory of the whole
process tree needs ``psutil`` (without it: the largest single process, from ``wait4``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from projects import PER_PAGE, make_layers, write_project  # noqa: E402

REPO = HERE.parent
LABELS = {
    "directive": "(a) lstm-params directive",
    "handwritten": "(b) hand-written reST",
    "exec": "(c) torch code run by sphinx-exec-code",
    "verify": "(a) with lstmparams_verify = torch, keras",
}
VERIFY_LIBRARIES = ("torch", "keras")
SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Run:
    variant: str
    n: int
    jobs: int
    repetition: int
    wall_s: float
    cpu_s: float  # user + system of the build and every process it waited for
    peak_rss_mib: float  # whole process tree where psutil is there, else the largest process


@dataclass(frozen=True)
class Row:
    variant: str
    n: int
    jobs: int
    builds: int
    wall_s: float  # medians
    cpu_s: float
    peak_rss_mib: float


# --- one build ---------------------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):  # it ended between the two calls
            total += proc.memory_info().rss
    return total


def _sample_peak(pid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], _tree_rss(pid))
        done.wait(SAMPLE_SECONDS)


def build(source: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """One fresh strict HTML build: (wall seconds, CPU seconds, peak RSS MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "-q", "-b", "html"]
    command += ["-j", str(jobs), str(source), str(out)]
    log = out.with_suffix(".log")
    sampling = importlib.util.find_spec("psutil") is not None
    with log.open("w", encoding="utf-8") as stream:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT)
        done, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_peak, args=(proc.pid, done, peak))
        if sampling:
            sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        if sampling:
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or log.read_text(encoding="utf-8").strip():
        raise RuntimeError(
            f"build of {source} failed or warned (exit {proc.returncode}):\n"
            + log.read_text(encoding="utf-8")[-3000:]
        )
    shutil.rmtree(out, ignore_errors=True)
    peak_bytes = max(peak[0], usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux
    return wall, usage.ru_utime + usage.ru_stime, peak_bytes / 2**20


# --- import time -------------------------------------------------------------------------------


def _cumulative_us(code: str, module: str) -> int:
    """Cumulative import time (microseconds) of ``module``, from ``-X importtime``."""
    # With bytecode cached, as after an install (some shells set PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    for line in result.stderr.splitlines():
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == module:
            return int(fields[1])
    raise RuntimeError(f"{module} not in the import times of {code!r}")


def import_times(repeat: int) -> dict[str, float]:
    """Median import times in milliseconds."""
    package = "sphinxcontrib_lstmparams"
    directive = f"{package}.sphinxext"
    preload = "import sphinx.application, sphinx.util.docutils, sphinx.directives.patches"
    cases = {
        # what `from sphinxcontrib_lstmparams import count_params` and the CLI load
        "package_ms": (f"import {package}", package),
        # what a docs build adds (the directive module imports the package): Sphinx itself
        # is loaded anyway
        "package_and_directive_after_sphinx_ms": (f"{preload}; import {directive}", directive),
        # for scale: Sphinx's own application module
        "sphinx_application_ms": ("import sphinx.application", "sphinx.application"),
    }
    times = {}
    for key, (code, module) in cases.items():
        _cumulative_us(code, module)  # writes the bytecode cache; not counted
        times[key] = statistics.median(_cumulative_us(code, module) for _ in range(repeat)) / 1000
    return times


# --- the run -----------------------------------------------------------------------------------


def exec_available() -> bool:
    return all(importlib.util.find_spec(name) for name in ("torch", "sphinx_exec_code"))


def schedule(
    sizes: Sequence[int], exec_sizes: Sequence[int], repeat: int, exec_repeat: int
) -> Iterator[tuple[int, str, int, int]]:
    """(repetition, variant, n, jobs), interleaved: a b a-j2 at each N, then c beside a and b."""
    for repetition in range(max(repeat, exec_repeat)):
        for n in sorted({*sizes, *exec_sizes}):
            if repetition < repeat:
                yield repetition, "directive", n, 1
                yield repetition, "handwritten", n, 1
                if n in sizes:
                    yield repetition, "directive", n, 2
            if n in exec_sizes and repetition < exec_repeat:
                yield repetition, "exec", n, 1


def summarize(runs: Sequence[Run]) -> list[Row]:
    groups: dict[tuple[str, int, int], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.variant, run.n, run.jobs), []).append(run)
    return [
        Row(
            variant=variant,
            n=n,
            jobs=jobs,
            builds=len(group),
            wall_s=statistics.median(r.wall_s for r in group),
            cpu_s=statistics.median(r.cpu_s for r in group),
            peak_rss_mib=statistics.median(r.peak_rss_mib for r in group),
        )
        for (variant, n, jobs), group in sorted(groups.items(), key=lambda item: item[0][1])
    ]


def ratios(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per N: a/b time (wall and CPU) and memory, c/a (wall and CPU), a -j 2 over a serial."""
    by_key = {(r.variant, r.n, r.jobs): r for r in rows}
    table = []
    for n in sorted({r.n for r in rows}):
        a, b = by_key.get(("directive", n, 1)), by_key.get(("handwritten", n, 1))
        c, a2 = by_key.get(("exec", n, 1)), by_key.get(("directive", n, 2))
        if a is None:
            continue
        table.append(
            {
                "n": n,
                "a_over_b_time": a.wall_s / b.wall_s if b else None,
                "a_over_b_cpu": a.cpu_s / b.cpu_s if b else None,
                "a_over_b_memory": a.peak_rss_mib / b.peak_rss_mib if b else None,
                "c_over_a_time": c.wall_s / a.wall_s if c else None,
                "c_over_a_cpu": c.cpu_s / a.cpu_s if c else None,
                "a_j2_over_a_time": a2.wall_s / a.wall_s if a2 else None,
            }
        )
    return table


def machine() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sphinx": version("sphinx"),
        "docutils": version("docutils"),
        "sphinxcontrib-lstmparams": version("sphinxcontrib-lstmparams"),
        "torch": version("torch"),
        "keras": version("keras"),
        "sphinx-exec-code": version("sphinx-exec-code"),
    }


# --- output ------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _cell(text: str) -> str:
    # a cell that starts "(a) " would be read as an enumerated list
    return "\\" + text if text.startswith("(") else text


def _list_table(title: str, header: list[str], body: list[list[str]], widths: str) -> str:
    lines = [f".. list-table:: {title}", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *body]:
        lines.append(f"   * - {_cell(row[0])}")
        lines += [f"     - {_cell(cell)}" if cell else "     -" for cell in row[1:]]
    return "\n".join(lines)


def summary_rst(result: dict[str, Any]) -> str:
    """The reST fragment that ``docs/benchmarks.rst`` includes."""
    facts = result["machine"]
    settings = result["settings"]
    imports = result["import_ms"]
    head = [
        f":Date: {facts['date']}",
        f":Machine: {facts['cores']} cores, {facts['cpu']}, {facts['os']}",
        f":Software: Python {facts['python']}, Sphinx {facts['sphinx']}, docutils "
        f"{facts['docutils']}, sphinxcontrib-lstmparams {facts['sphinxcontrib-lstmparams']}, "
        f"torch {facts['torch']}, sphinx-exec-code {facts['sphinx-exec-code']}",
        f":Builds: ``sphinx-build -E -W -q -b html``, fresh output folder each time, "
        f"{PER_PAGE} layers to a page; median of {settings['repeat']} builds "
        f"({settings['exec_repeat']} for (c))",
        f":Command: ``{settings['command']}``",
    ]
    rows = [
        [
            LABELS[r["variant"]] + (f", ``-j {r['jobs']}``" if r["jobs"] > 1 else ""),
            f"{r['n']:,}",
            str(r["builds"]),
            _fmt(r["wall_s"]),
            _fmt(r["cpu_s"]),
            _fmt(r["peak_rss_mib"], 0),
        ]
        for r in result["rows"]
    ]
    times = _list_table(
        "Build time and memory",
        ["Project", "Layers (N)", "Builds", "Wall (s)", "CPU (s)", "Peak RSS (MiB)"],
        rows,
        "40 12 10 12 12 14",
    )
    ratio_rows = [
        [
            f"{r['n']:,}",
            _fmt(r["a_over_b_time"]),
            _fmt(r["a_over_b_cpu"]),
            _fmt(r["a_over_b_memory"]),
            _fmt(r["c_over_a_time"], 0),
            _fmt(r["c_over_a_cpu"], 0),
            _fmt(r["a_j2_over_a_time"]),
        ]
        for r in result["ratios"]
    ]
    ratio_table = _list_table(
        "Ratios of the medians",
        [
            "Layers (N)",
            "(a) / (b) wall",
            "(a) / (b) CPU",
            "(a) / (b) memory",
            "(c) / (a) wall",
            "(c) / (a) CPU",
            "(a) -j 2 / (a) wall",
        ],
        ratio_rows,
        "16 14 14 14 14 14 14",
    )
    import_text = (
        f"Import time (median of {settings['import_repeat']}, ``python -X importtime``): "
        f"``import sphinxcontrib_lstmparams`` {imports['package_ms']:.1f} ms; the package "
        f"and its directive module once Sphinx is loaded, as in a build, "
        f"{imports['package_and_directive_after_sphinx_ms']:.1f} ms; for scale, "
        f"``import sphinx.application`` {imports['sphinx_application_ms']:.1f} ms."
    )
    return "\n\n".join(["\n".join(head), times, ratio_table, import_text]) + "\n"


def plot(result: dict[str, Any], path: Path) -> bool:
    """Build time against N, log-log, as ``path`` (.svg) and a .png beside it for LaTeX.

    False when matplotlib is missing.
    """
    if importlib.util.find_spec("matplotlib") is None:
        return False
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "sphinxcontrib-lstmparams"
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.2))
    styles = {
        ("directive", 1): ("o-", "C0"),
        ("handwritten", 1): ("s-", "C1"),
        ("exec", 1): ("^-", "C3"),
        ("directive", 2): ("o--", "C0"),
    }
    for (variant, jobs), (marker, colour) in styles.items():
        points = [r for r in result["rows"] if r["variant"] == variant and r["jobs"] == jobs]
        if not points:
            continue
        label = LABELS[variant] + (f", -j {jobs}" if jobs > 1 else "")
        axes.plot(
            [r["n"] for r in points],
            [r["wall_s"] for r in points],
            marker,
            color=colour,
            label=label,
            mfc="none" if jobs > 1 else colour,
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("layers documented (N)")
    axes.set_ylabel("median build time (s)")
    axes.set_title(
        f"sphinx-build -E -b html, {result['machine']['cores']} cores, "
        f"Sphinx {result['machine']['sphinx']}"
    )
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    # transparent: the page's background shows through, light or dark (docs/_static/custom.css
    # shows the plot inverted, hues kept, in a dark colour scheme)
    figure.savefig(path.with_suffix(".svg"), metadata={"Date": None}, transparent=True)
    figure.savefig(path.with_suffix(".png"), dpi=150, transparent=True)
    plt.close(figure)
    return True


def write_outputs(result: dict[str, Any], out: Path, plot_path: Path | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "build_cost.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    with (out / "build_cost.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(result["rows"][0]))
        writer.writeheader()
        writer.writerows(result["rows"])
    (out / "summary.rst").write_text(summary_rst(result), encoding="utf-8")
    if plot_path is not None and not plot(result, plot_path):
        print("matplotlib is not installed: no plot", file=sys.stderr)


# --- (a) with and without lstmparams_verify -----------------------------------------------------


def verify_available() -> bool:
    return all(importlib.util.find_spec(name) for name in VERIFY_LIBRARIES)


def verify_schedule(sizes: Sequence[int], repeat: int) -> Iterator[tuple[int, str, int, int]]:
    """(repetition, variant, n, jobs): without and with, side by side at each N."""
    for repetition in range(repeat):
        for n in sorted(sizes):
            yield repetition, "directive", n, 1
            yield repetition, "verify", n, 1


def verify_lines(source: Path, out: Path) -> list[str]:
    """What one (untimed) verifying build prints about its checks: layers, distinct layers,
    import and build seconds per framework."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "-b", "html", str(source), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    shutil.rmtree(out, ignore_errors=True)
    return re.findall(r"lstmparams_verify: [^\n]*", done.stdout)


def verify_rows(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per N: the medians without and with lstmparams_verify, and what it adds."""
    by_key = {(r.variant, r.n): r for r in rows if r.jobs == 1}
    table = []
    for n in sorted({r.n for r in rows}):
        off, on = by_key.get(("directive", n)), by_key.get(("verify", n))
        if off is None or on is None:
            continue
        table.append(
            {
                "n": n,
                "off_wall_s": off.wall_s,
                "on_wall_s": on.wall_s,
                "added_wall_s": on.wall_s - off.wall_s,
                "on_over_off_wall": on.wall_s / off.wall_s,
                "off_cpu_s": off.cpu_s,
                "on_cpu_s": on.cpu_s,
                "added_cpu_s": on.cpu_s - off.cpu_s,
                "off_peak_rss_mib": off.peak_rss_mib,
                "on_peak_rss_mib": on.peak_rss_mib,
            }
        )
    return table


def verify_summary_rst(result: dict[str, Any]) -> str:
    """The reST fragment with the verify comparison that ``docs/benchmarks.rst`` includes."""
    facts, settings = result["machine"], result["settings"]
    head = [
        f":Date: {facts['date']}",
        f":Machine: {facts['cores']} cores, {facts['cpu']}, {facts['os']}",
        f":Software: Python {facts['python']}, Sphinx {facts['sphinx']}, "
        f"sphinxcontrib-lstmparams {facts['sphinxcontrib-lstmparams']}, torch {facts['torch']}, "
        f"keras {facts['keras']} (backend {settings['keras_backend']})",
        f":Builds: ``sphinx-build -E -W -q -b html``, fresh output folder each time, "
        f"{PER_PAGE} layers to a page, without and with verification in turn; median of "
        f"{settings['repeat']} builds",
        f":Command: ``{settings['command']}``",
    ]
    load = settings["load_average"]
    head.insert(
        2,
        f":Load: 1-minute load average {load[0]:.1f} when the timed builds started and "
        f"{load[1]:.1f} when they ended, on {facts['cores']} cores (above the core count, builds "
        "wait for the CPU: wall times grow, CPU times do not)",
    )
    body = [
        [
            f"{r['n']:,}",
            f"{_fmt(r['off_wall_s'])} / {_fmt(r['on_wall_s'])}",
            f"{_fmt(r['off_cpu_s'])} / {_fmt(r['on_cpu_s'])}",
            _fmt(r["added_wall_s"]),
            _fmt(r["added_cpu_s"]),
            f"{_fmt(r['off_peak_rss_mib'], 0)} / {_fmt(r['on_peak_rss_mib'], 0)}",
        ]
        for r in result["verify"]
    ]
    table = _list_table(
        "Build time without and with lstmparams_verify",
        [
            "Layers (N)",
            "Wall (s), without / with",
            "CPU (s), without / with",
            "Added wall (s)",
            "Added CPU (s)",
            "Peak RSS (MiB), without / with",
        ],
        body,
        "12 20 20 14 14 20",
    )
    printed = []
    for n, lines in sorted(result["verify_lines"].items(), key=lambda item: int(item[0])):
        printed.append(f"N = {int(n):,}::\n\n" + "".join(f"   {line}\n" for line in lines))
    text = "What a verifying build printed (one build, untimed):\n\n" + "\n".join(printed)
    return "\n\n".join(["\n".join(head), table, text.rstrip("\n")]) + "\n"


def write_verify_outputs(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2) + "\n"
    (out / "verify_cost.json").write_text(text, encoding="utf-8")
    (out / "verify_summary.rst").write_text(verify_summary_rst(result), encoding="utf-8")


def run_verify(args: argparse.Namespace) -> int:
    if not verify_available():
        print("--verify needs torch and keras in this interpreter", file=sys.stderr)
        return 2
    os.environ.setdefault("KERAS_BACKEND", "torch")  # read by the builds' Keras
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    work = args.keep or Path(tempfile.mkdtemp(prefix="lstmparams-bench-"))
    try:
        layers = make_layers(max(args.verify_sizes))
        for n in sorted({2, *args.verify_sizes}):
            for variant in ("directive", "verify"):
                write_project(work / f"{variant}-{n}", variant, layers[:n])
        for variant in ("directive", "verify"):  # warm the disk cache and bytecode; not timed
            build(work / f"{variant}-2", work / "out-warmup", 1)
        runs: list[Run] = []
        plan = list(verify_schedule(args.verify_sizes, args.repeat))
        for step, (repetition, variant, n, jobs) in enumerate(plan, 1):
            wall, cpu, peak = build(work / f"{variant}-{n}", work / "out", jobs)
            runs.append(Run(variant, n, jobs, repetition, wall, cpu, peak))
            print(
                f"[{step}/{len(plan)}] {variant:9} N={n:<5}: {wall:7.2f} s wall {cpu:7.2f} s CPU "
                f"{peak:6.0f} MiB",
                flush=True,
            )
        rows = summarize(runs)
        command = "python benchmarks/build_cost.py --verify" + (" --quick" if args.quick else "")
        result = {
            "machine": machine(),
            "settings": {
                "mode": "verify",
                "command": command,
                "sizes": args.verify_sizes,
                "repeat": args.repeat,
                "per_page": PER_PAGE,
                "keras_backend": os.environ["KERAS_BACKEND"],
                "load_average": [load_at_start, os.getloadavg()[0]],
            },
            "rows": [asdict(row) for row in rows],
            "verify": verify_rows(rows),
            "verify_lines": {
                str(n): verify_lines(work / f"verify-{n}", work / "out")
                for n in sorted(args.verify_sizes)
            },
            "runs": [asdict(run) for run in runs],
            "elapsed_s": round(time.perf_counter() - started, 1),
        }
        out = args.out or work / "results"
        write_verify_outputs(result, out)
        print((out / "verify_summary.rst").read_text(encoding="utf-8"))
        print(f"results in {out}; {result['elapsed_s']:.0f} s in all")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny N, one repetition (< 60 s)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--exec-sizes", type=int, nargs="*", default=[10, 50])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--exec-repeat", type=int, default=2)
    parser.add_argument("--import-repeat", type=int, default=7)
    parser.add_argument(
        "--verify",
        action="store_true",
        help="time (a) without and with lstmparams_verify (needs torch and keras)",
    )
    parser.add_argument("--verify-sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument(
        "--out", type=Path, help="results folder (default benchmarks/results; --quick: a temp one)"
    )
    parser.add_argument(
        "--plot", type=Path, help="plot file (default docs/_static/benchmarks.svg; --quick: none)"
    )
    parser.add_argument("--keep", type=Path, help="generate the projects here and keep them")
    parser.add_argument(
        "--from-json",
        type=Path,
        help="build nothing: rewrite the summary, CSV and plot from this build_cost.json",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.exec_sizes, args.verify_sizes = [20], [2], [20]
        args.repeat = args.exec_repeat = 1
        args.import_repeat = 3
    elif args.out is None:
        args.out = HERE / "results"
        args.plot = args.plot or REPO / "docs" / "_static" / "benchmarks.svg"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
        if result["settings"].get("mode") == "verify":
            result["verify"] = verify_rows([Row(**row) for row in result["rows"]])
            write_verify_outputs(result, args.out or args.from_json.parent)
            return 0
        result["ratios"] = ratios([Row(**row) for row in result["rows"]])
        write_outputs(result, args.out or args.from_json.parent, args.plot)
        return 0
    if args.verify:
        return run_verify(args)
    started = time.perf_counter()
    exec_sizes = args.exec_sizes if exec_available() else []
    if args.exec_sizes and not exec_sizes:
        print("torch or sphinx-exec-code is not installed: skipping (c)", file=sys.stderr)
    work = args.keep or Path(tempfile.mkdtemp(prefix="lstmparams-bench-"))
    try:
        layers = make_layers(max([*args.sizes, *exec_sizes]))
        variants = ["directive", "handwritten", *(["exec"] if exec_sizes else [])]
        for n in sorted({2, *args.sizes, *exec_sizes}):
            for variant in variants:
                write_project(work / f"{variant}-{n}", variant, layers[:n])
        for variant in variants:  # warm the disk cache and bytecode; not timed
            build(work / f"{variant}-2", work / "out-warmup", 1)

        runs: list[Run] = []
        plan = list(schedule(args.sizes, exec_sizes, args.repeat, args.exec_repeat))
        for step, (repetition, variant, n, jobs) in enumerate(plan, 1):
            wall, cpu, peak = build(work / f"{variant}-{n}", work / "out", jobs)
            runs.append(Run(variant, n, jobs, repetition, wall, cpu, peak))
            print(
                f"[{step}/{len(plan)}] {variant:11} N={n:<5} -j {jobs}: "
                f"{wall:7.2f} s wall {cpu:7.2f} s CPU {peak:6.0f} MiB",
                flush=True,
            )
        rows = summarize(runs)
        command = "python benchmarks/build_cost.py" + (" --quick" if args.quick else "")
        result = {
            "machine": machine(),
            "settings": {
                "command": command,
                "sizes": args.sizes,
                "exec_sizes": exec_sizes,
                "repeat": args.repeat,
                "exec_repeat": args.exec_repeat,
                "import_repeat": args.import_repeat,
                "per_page": PER_PAGE,
            },
            "import_ms": import_times(args.import_repeat),
            "rows": [asdict(row) for row in rows],
            "ratios": ratios(rows),
            "runs": [asdict(run) for run in runs],
            "elapsed_s": round(time.perf_counter() - started, 1),
        }
        out = args.out or work / "results"
        write_outputs(result, out, args.plot)
        print((out / "summary.rst").read_text(encoding="utf-8"))
        print(f"results in {out}; {result['elapsed_s']:.0f} s in all")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
