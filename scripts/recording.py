"""What the recorders (``scripts/record_*.py``) share: their command line, each framework run in
a fresh interpreter of its own, the records of frameworks not re-recorded kept from the existing
file, and one deterministic JSON layout, so a rerun with the same versions is byte-identical.

A recorder calls :func:`command_line` (which answers a ``--worker`` call itself), then
:func:`kept_records`, runs its workers with :func:`run_workers`, and writes with
:func:`write_records`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Case = dict[str, Any]


def command_line(
    doc: str | None,
    frameworks: Sequence[str],
    default_out: Path,
    workers: Mapping[str, Callable[[], dict[str, Any]]],
    check: str | None = None,
    argv: list[str] | None = None,
) -> argparse.Namespace | None:
    """The recorder's arguments; ``None`` after answering a ``--worker`` call (the recorder
    then exits). ``check`` is the help of ``--no-check`` where the recorder has one."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n", 1)[0])
    parser.add_argument(
        "--framework",
        action="append",
        choices=frameworks,
        help="record only this framework (repeatable); the others are kept from --out",
    )
    parser.add_argument("--out", type=Path, default=default_out)
    if check:
        parser.add_argument("--no-check", dest="check", action="store_false", help=check)
    parser.add_argument("--worker", choices=sorted(workers), help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.worker_out.write_text(json.dumps(workers[args.worker]()))
        return None
    args.selected = list(args.framework or frameworks)
    return args


def run_workers(
    script: str, workers: Sequence[str], env: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Each worker's result, each run in a fresh interpreter (a framework's import state and
    global seeds never leak into the next), side by side."""
    command = [sys.executable, str(Path(script).resolve()), "--worker"]
    environment = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"recording {', '.join(workers)} ...", file=sys.stderr, flush=True)
        running = {}
        for worker in workers:
            out = Path(tmp) / f"{worker}.json"
            process = subprocess.Popen(
                [*command, worker, "--worker-out", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
            running[worker] = (process, out)
        for worker, (process, out) in running.items():
            _, stderr = process.communicate(timeout=1800)
            if process.returncode != 0 or not out.exists():
                sys.stderr.write(stderr[-5000:])
                raise RuntimeError(f"worker {worker} failed with exit code {process.returncode}")
            results[worker] = json.loads(out.read_text())
    return results


@dataclass
class Records:
    """Cases, notes and versions by framework, in the recorder's framework order."""

    frameworks: Sequence[str]
    cases: dict[str, list[Case]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def record(self, framework: str, result: dict[str, Any]) -> None:
        """A worker's result replaces what was kept for its framework."""
        self.cases[framework] = result["cases"]
        self.notes[framework] = list(result["notes"])
        self.versions.update(result["versions"])
        print(f"  {framework}: {len(result['cases'])} cases", file=sys.stderr, flush=True)

    def all_cases(self) -> list[Case]:
        return [case for fw in self.frameworks for case in self.cases[fw]]


def kept_records(args: argparse.Namespace, frameworks: Sequence[str]) -> Records:
    """With ``--framework``, what ``--out`` holds for the frameworks not being re-recorded."""
    records = Records(frameworks, {fw: [] for fw in frameworks}, {fw: [] for fw in frameworks})
    if not (args.framework and args.out.exists()):
        return records
    previous = json.loads(args.out.read_text(encoding="utf-8"))
    records.versions.update(previous.get("versions", {}))
    for case in previous.get("cases", []):
        if case["framework"] not in args.selected:
            records.cases[case["framework"]].append(case)
    for note in previous.get("notes", []):
        fw, _, text = note[1:].partition("] ") if note.startswith("[") else ("", "", note)
        if fw in records.notes and fw not in args.selected:
            records.notes[fw].append(text)
    return records


def write_records(
    out: Path, script: str, records: Records, general: Sequence[str] = (), **extra: Any
) -> None:
    """The file: who wrote it, the versions, the notes (``general`` first, then each
    framework's, tagged ``[framework]``), the cases and any ``extra`` keys."""
    records.versions["python"] = platform.python_version()
    doc = {
        "generated_by": f"scripts/{Path(script).name}",
        "versions": records.versions,
        "notes": [
            *general,
            *(f"[{fw}] {n}" for fw in records.frameworks for n in records.notes[fw]),
        ],
        "cases": records.all_cases(),
        **extra,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(format_json(doc) + "\n", encoding="utf-8")
    print(f"wrote {len(doc['cases'])} cases to {out}", file=sys.stderr)


def format_json(obj: Any, level: int = 0) -> str:
    """Deterministic JSON: sorted keys, indent 1; on one line, when at most 100 characters
    long, a dict of scalars and a list without dicts (a shape, a list of shapes)."""
    compact = json.dumps(obj, sort_keys=True, separators=(", ", ": "), ensure_ascii=False)
    pad = " " * (level + 1)
    if isinstance(obj, dict):
        scalars = all(not isinstance(v, (dict, list)) for v in obj.values())
        if not obj or (scalars and len(compact) <= 100):
            return compact
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {format_json(obj[k], level + 1)}"
            for k in sorted(obj)
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * level + "}"
    if isinstance(obj, list):
        if not obj or (all(not isinstance(v, dict) for v in obj) and len(compact) <= 100):
            return compact
        items = [f"{pad}{format_json(v, level + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + " " * level + "]"
    return compact
