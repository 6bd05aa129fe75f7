"""Write a benchmark's Markdown into its own generated section of a docs/ file, between
`<!-- generated: NAME -->` and `<!-- end: NAME -->`, leaving the rest of the file (the hand-written text around
the figures) alone. A missing section is appended."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
VALIDITY = DOCS / "evaluator-validity.md"


def write_section(name: str, markdown: str, doc: str | Path = "performance.md") -> Path:
    """`doc`: a file name in docs/, or a path (a benchmark's --doc option)."""
    path = doc if isinstance(doc, Path) else DOCS / doc
    text = path.read_text(encoding="utf-8") if path.exists() else f"# {path.stem.replace('-', ' ').title()}\n"
    begin, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + f"\n\n{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
