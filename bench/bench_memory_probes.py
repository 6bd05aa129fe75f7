"""Does the persona memory find the item a new question asks for? (issue #11: "answering a nearby question")

    python bench/bench_memory_probes.py [--doc docs/coachee.md]

bench/data/probes/Q_*.tsv: 240 questions (English and Indonesian) written by two helpers for 240 memory items they
were shown the tellings of, never the items' own example questions. Each is put to its persona's memory the way a
session does (`Session._hits`: the hybrid search and the re-ranking by what the question asks for), with every
layer open and nothing said yet. Reported per writer and language: the item first, the item in the first three, an
item of the same topic first. Near-duplicate items make "the item first" strict: a same-topic item is often a fair
answer.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulator import offline  # noqa: E402

offline.setup()

from docsfile import write_section  # noqa: E402

from simulator.coachee.memory import load_memories  # noqa: E402
from simulator.session import Session  # noqa: E402

DATA = ROOT / "bench" / "data" / "probes"


def measure(path: Path) -> dict[str, Counter]:
    memories = load_memories()
    sessions: dict[tuple[str, str], Session] = {}
    out: dict[str, Counter] = {"en": Counter(), "id": Counter()}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        topic = {i.id: i.topic for i in memories[row["persona"]].items}
        for lang in ("en", "id"):
            s = sessions.setdefault((row["persona"], lang), Session(row["persona"], lang))
            ids = [h.item.id for h in s._hits(s._classify(row[f"q_{lang}"]), "")]
            c = out[lang]
            c["n"] += 1
            c["first"] += bool(ids) and ids[0] == row["item"]
            c["three"] += row["item"] in ids[:3]
            c["topic"] += bool(ids) and topic.get(ids[0]) == topic[row["item"]]
    return out


def table() -> str:
    lines = ["| questions | language | n | the item first | in the first three | an item of its topic first |",
             "|---|---|---|---|---|---|"]
    for path in sorted(DATA.glob("Q_*.tsv")):
        for lang, c in measure(path).items():
            lines.append(f"| {path.stem[2:]} | {lang} | {c['n']} | {c['first'] / c['n']:.0%} | "
                         f"{c['three'] / c['n']:.0%} | {c['topic'] / c['n']:.0%} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--doc", default="coachee.md", help="docs page to write the table into ('' = don't)")
    args = ap.parse_args()
    md = table()
    print(md)
    if args.doc:
        write_section("memory-probes", md, doc=args.doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
