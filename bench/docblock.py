"""Write a benchmark's generated table into a docs page, between `<!-- BEGIN name (generated) -->` and
`<!-- END name -->`, leaving the prose around it as it is (docs/evaluator-validity.md)."""

from __future__ import annotations

from pathlib import Path

VALIDITY = Path(__file__).resolve().parent.parent / "docs" / "evaluator-validity.md"


def write_block(path: Path, name: str, body: str) -> None:
    begin, end = f"<!-- BEGIN {name} (generated) -->", f"<!-- END {name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + ("\n\n" if text else "") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
