#!/usr/bin/env python3
"""Print the parts of mystmd's content JSON that the prototype is about, and check them.

Usage: show.py BUILD_DIR (the `_build` of scratch/mystmd/project) or show.py --bad BUILD_DIR.
Exits 1 if an expected part is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        failures.append(what)


def walk(node: Any):
    if isinstance(node, dict):
        yield node
        for child in node.get("children", []):
            yield from walk(child)


def flat(node: Any) -> str:
    if isinstance(node, dict):
        return (
            node.get("value", "")
            if node.get("type") == "text"
            else "".join(flat(c) for c in node.get("children", []))
        )
    return ""


def page(build: Path, slug: str) -> dict[str, Any]:
    return json.loads((build / "site" / "content" / f"{slug}.json").read_text())["mdast"]


def good(build: Path) -> None:
    index, usage = page(build, "index"), page(build, "usage")

    print("index.md, first directive (units 256, input-dim 4096):")
    nodes = list(walk(index))
    answer = next(n for n in nodes if n["type"] == "paragraph" and "trainable" in flat(n))
    print("  answer:", flat(answer))
    strongs = [flat(n) for n in walk(answer) if n["type"] == "strong"]
    check(strongs == ["4,457,472"], f"total in a strong node: {strongs}")

    table = next(n for n in nodes if n["type"] == "container" and n.get("kind") == "table")
    caption = next(c for c in table["children"] if c["type"] == "caption")
    number = next(n for n in walk(caption) if n["type"] == "captionNumber")
    print("  caption:", flat(caption))
    check(flat(caption).startswith("Table\u00a01:"), "caption numbered 'Table 1:'")
    check(
        table.get("identifier") == "tbl-encoder" and table.get("enumerator") == "1",
        f"table container identifier={table.get('identifier')}"
        f" enumerator={table.get('enumerator')}",
    )
    check(number.get("enumerator") == "1", "captionNumber enumerator 1")
    rows = [[flat(c) for c in r["children"]] for r in walk(table) if r["type"] == "tableRow"]
    headers = [
        c.get("header", False)
        for c in next(r for r in walk(table) if r["type"] == "tableRow")["children"]
    ]
    for r in rows:
        print("  row:", " | ".join(r))
    check(all(headers), "first row is all header cells")
    check(
        len(rows) == 3 and rows[-1][-1] == "4,457,472", "header + 2 body rows, total in last cell"
    )

    math = next(n for n in nodes if n["type"] == "math")
    print(
        "  math:",
        {k: v for k, v in math.items() if k in ("label", "identifier", "enumerator", "html_id")},
    )
    print("  math value:", math["value"].replace("\n", " "))
    check(
        math.get("enumerator") == "1" and math.get("identifier") == "eq-encoder",
        "math enumerator 1, identifier eq-encoder",
    )
    check("4{,}457{,}472" in math["value"], "formula ends in 4{,}457{,}472")
    check("html" in math and "katex" in math["html"], "math rendered by KaTeX (offline)")

    bullets = next(n for n in nodes if n["type"] == "list")
    items = [flat(i) for i in bullets["children"]]
    print("  notes:", items)
    check(bullets.get("ordered") is False and len(items) == 2, "bullet list of 2 notes")

    print("usage.md (cross-page references and the role):")
    unodes = list(walk(usage))
    role_text = flat(next(n for n in unodes if n["type"] == "paragraph"))
    print("  first paragraph:", role_text.replace("\n", " "))
    check("The encoder has 4,457,472 parameters" in role_text, "role gives 4,457,472")
    refs = [
        (n["identifier"], flat(n), n.get("resolved"), n.get("url"))
        for n in unodes
        if n["type"] == "crossReference"
    ]
    for ref in refs:
        print("  crossReference:", ref)
    check(("tbl-encoder", "Table\u00a01", True, "/") in refs, "[](#tbl-encoder) -> 'Table 1' on /")
    check(("eq-encoder", "(1)", True, "/") in refs, "[](#eq-encoder) -> '(1)' on /")
    check(all(r[2] for r in refs), "every reference resolved")
    umath = next(n for n in unodes if n["type"] == "math")
    check(
        umath.get("identifier") == "eq-decoder" and umath.get("enumerator") == "1",
        "usage.md's own formula is (1): numbering restarts on each page",
    )


def bad(build: Path) -> None:
    nodes = list(walk(page(build, "bad")))
    for n in nodes:
        if n["type"] == "admonition":
            print("  admonition:", n["kind"], "-", flat(n))
        if n["type"] == "crossReference":
            print("  crossReference (the role's error):", flat(n), "resolved:", n.get("resolved"))
    check(sum(n["type"] == "admonition" for n in nodes) == 2, "two error admonitions in the page")
    check(
        not any(n["type"] in ("mystRole", "mystOption") for n in nodes),
        "no message carrier is left in the page",
    )


if __name__ == "__main__":
    if sys.argv[1] == "--bad":
        bad(Path(sys.argv[2]))
    else:
        good(Path(sys.argv[1]))
    sys.exit(1 if failures else 0)
