#!/usr/bin/env python3
"""Record what mystmd sends the ``lstm-params-myst`` plugin for one page.

``tests/test_myst_plugin.py`` runs the plugin on these calls without mystmd. The page is built
with ``myst build --site`` in a throwaway project whose plugin is a wrapper: it saves its
arguments and stdin, then runs this checkout's plugin on them (so the build goes on as usual).
The calls of the plugin's own message carrier (the role, called back with an empty body) are
left out; they carry nothing of the page.

Output: ``{"mystmd": VERSION, "page": TEXT, "calls": [{"kind": "directive" | "role", "stdin":
{...}}, ...]}``, in the order mystmd made the calls (the directives of a page before its roles).

The page is a MyST file, or a recording, whose page is then built again. Needs mystmd (``pip
install "mystmd==1.11.0"``, the test extra's pin) and Node.js 20 or newer; from the repository
root::

    python scripts/record_mystmd_calls.py tests/data/mystmd_model_calls.json \\
        tests/data/mystmd_model_calls.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THEME = ROOT / "tests" / "myst_course" / "theme-stub"

WRAPPER = """\
#!{python}
import io, json, sys

sys.path.insert(0, {root!r})
data = sys.stdin.buffer.read() if sys.argv[1:] else b""  # no arguments: nothing on stdin
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "stdin": data.decode()}}) + "\\n")
sys.stdin = io.TextIOWrapper(io.BytesIO(data))
from sphinxcontrib_lstmparams.myst import main

raise SystemExit(main())
"""

MYST_YML = """\
version: 1
project:
  title: Recorded calls
  plugins:
    - type: executable
      path: plugin.py
  toc:
    - file: page.md
site:
  template: ./theme-stub
"""


def record(page: str, myst: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temporary:
        book = Path(temporary)
        log = book / "calls.jsonl"
        wrapper = book / "plugin.py"
        wrapper.write_text(
            WRAPPER.format(python=sys.executable, root=str(ROOT), log=str(log)), encoding="utf-8"
        )
        wrapper.chmod(0o755)
        (book / "myst.yml").write_text(MYST_YML, encoding="utf-8")
        (book / "page.md").write_text(page, encoding="utf-8")
        shutil.copytree(THEME, book / "theme-stub")
        subprocess.run([myst, "build", "--site"], cwd=book, check=True, stdin=subprocess.DEVNULL)
        version = subprocess.run(
            [myst, "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[-1]
        calls = []
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if not entry["argv"]:
                continue  # the spec call
            stdin = json.loads(entry["stdin"])
            kind = entry["argv"][0].removeprefix("--")
            if kind == "role" and not str(stdin.get("body") or "").strip():
                continue  # a message carrier, called back
            calls.append({"kind": kind, "stdin": stdin})
    return {"mystmd": version.lstrip("v"), "page": page, "calls": calls}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the MyST page to build, or a recording of one")
    parser.add_argument("output", type=Path, help="the JSON file to write")
    parser.add_argument("--myst", default=shutil.which("myst") or "myst", help="mystmd command")
    args = parser.parse_args()
    page = args.page.read_text(encoding="utf-8")
    if args.page.suffix == ".json":
        page = json.loads(page)["page"]
    recorded = record(page, args.myst)
    text = json.dumps(recorded, indent=1, ensure_ascii=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    calls = recorded["calls"]
    assert isinstance(calls, list)
    print(f"{len(calls)} calls of mystmd {recorded['mystmd']} -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
