"""Does the coachee's memory search find the item people say answers the turn? (issue #11)

    python bench/bench_judged_answers.py [--dir bench/data/judged_answers] [--doc coachee.md]

Each set in bench/data/judged_answers/<set>/ holds moments of blind-panel conversations whose reply was rated partly
or a non-sequitur (items.json: persona, language, the conversation so far, the coach's turn) and, per judge, the
memory item that answers the turn (<judge>.tsv: item, best, how, second, note; NONE when no item does). The judges
read only the task (TASK.md), the moments and the memory files, never the code. For each moment this replays the
coach's turns through a session (so the coachee's state is the one the search meets), searches the memory for the
turn as the coachee does (`Session._hits`), and reports where the judged item ranks among all items, and whether its layer is open to
the coachee then. 27/, 28/ and 22-24/ are held out: nothing was tuned on them.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.docsfile import write_section  # noqa: E402
from simulator import offline  # noqa: E402


def judged(folder: Path) -> tuple[list[dict], dict[int, dict[str, tuple[str, str]]]]:
    items = json.loads((folder / "items.json").read_text(encoding="utf-8"))
    judges: dict[int, dict[str, tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.tsv")):
        for row in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"):
            second = (row.get("second") or "-").strip()
            judges.setdefault(int(row["item"]), {})[path.stem] = (row["best"].strip(), second)
    return items, judges


def figures(folder: Path) -> dict:
    from simulator.coachee import state as coachee
    from simulator.coachee.memory import memory_index, synonyms
    from simulator.reading.focus import rerank
    from simulator.session import Session

    items, judges = judged(folder)
    names = sorted({j for per in judges.values() for j in per})
    ranks, locked, none, both = [], 0, 0, 0
    for k, it in enumerate(items, 1):
        per = judges.get(k, {})
        if not per:
            continue
        bests = [b for b, _ in per.values()]
        if len(per) >= 2:
            both += len(set(bests)) == 1
        if all(b == "NONE" for b in bests):
            none += 1
            continue
        wanted = {x for b, s in per.values() for x in (b, s) if x not in ("NONE", "-", "")}
        session = Session(it["persona"], it["lang"])
        for coach, _reply in it["history"]:
            session.coach_says(coach)
        # the coachee's state from the replay; what it has said as the raters met it
        replies = iter(reply for _coach, reply in it["history"])
        session.turns = [replace(t, text=next(replies)) if t.speaker == "coachee" else t for t in session.turns]
        state = session.state
        move = session._classify(it["coach"])
        asked, turn = session._unnamed(move.asked or move.focus), session._unnamed(move.focus)
        index = memory_index(session.memory, it["lang"])
        searched = rerank(index.search_turn(turn, asked, k=len(index.items)), asked, it["lang"], synonyms(it["lang"]))
        # what the coachee chooses from (`Session._hits`: the search, then what was told and who is asked about), and
        # beyond those the plain search order
        first = session._hits(move, session.last_coachee_text())
        order = [h.item.id for h in first] + [h.item.id for h in searched if h.item.id not in {x.item.id for x in first}]
        rank = min(order.index(w) + 1 for w in wanted if w in order)
        ranks.append(rank)
        layer = next(i.layer for i in index.items if i.id == order[rank - 1])
        locked += layer not in (*coachee.allowed_layers(state), "surface")
    n = len(ranks)
    return {"moments": len(items), "judges": names, "same_best": both, "none": none, "ranked": n,
            "top1": sum(r <= 1 for r in ranks), "top3": sum(r <= 3 for r in ranks), "top5": sum(r <= 5 for r in ranks),
            "mrr": sum(1 / r for r in ranks) / n if n else 0.0, "median": sorted(ranks)[n // 2] if n else 0,
            "locked": locked}


def table(sets: dict[str, dict]) -> str:
    out = ["| set | moments | judges (same best item) | no item answers | judged item ranked 1st / top 3 / top 5 "
           "| MRR | median rank | its layer not open yet |", "|---|---|---|---|---|---|---|---|"]
    for name, f in sets.items():
        n = f["ranked"] or 1
        out.append(f"| {name} | {f['moments']} | {', '.join(f['judges'])} ({f['same_best']}) | {f['none']} | "
                   f"{f['top1'] / n:.0%} / {f['top3'] / n:.0%} / {f['top5'] / n:.0%} | {f['mrr']:.2f} | {f['median']} | "
                   f"{f['locked']} of {f['ranked']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(HERE / "data" / "judged_answers"))
    ap.add_argument("--doc", default="coachee.md", help="docs file to write the table into ('' = don't)")
    args = ap.parse_args()
    root = Path(args.dir)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.tsv"))) if root.is_dir() else []
    if not folders:
        print(f"bench_judged_answers: no judged sets in {root}; skipped")
        return 0
    offline.setup()
    sets = {p.name: figures(p) for p in folders}
    md = table(sets)
    print(md)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "judged_answers.json").write_text(json.dumps(sets, indent=1), encoding="utf-8")
    if args.doc:
        write_section("bench_judged_answers", md, doc=args.doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
