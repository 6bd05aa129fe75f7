"""Replays of the blind panels' rated conversations (issue #11): the work list and the paired comparisons.

    python bench/bench_replay.py replay OUT.json [--rounds 22-32]
        # each rated conversation of bench/data/panels/<round>/R*/ through the code as it is, turn by turn (the coach's
        # turns as the rater wrote them, the coachee's replies as this code gives them)
    python bench/bench_replay.py still OUT.json [--rating nonsequitur]
        # the turns rated so that still come out word for word (the rater's history met exactly): what to fix
    python bench/bench_replay.py diverge BASE.json NEW.json DIR [--seed N]
        # where NEW first words a reply differently from BASE, and BASE still met the rated conversation word for
        # word up to it: items.md (random A/B order), key.json, RATE.md and briefs.md for two blind raters
        # (bench/data/paired/<name>/; bench/bench_panel.py counts their P*.tsv)

A replay of an older code is made from a git worktree of it: `cd WORKTREE && python /path/to/bench_replay.py replay
...` runs that checkout's code on this checkout's panels (`--panels`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PANELS = HERE / "data" / "panels"
PAIRED = HERE / "data" / "paired"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _rounds(spec: str) -> list[str]:
    lo, _, hi = spec.partition("-")
    return [str(r) for r in range(int(lo), int(hi or lo) + 1)]


def replay(out: Path, rounds: list[str], panels: Path) -> int:
    sys.path.insert(0, str(Path.cwd()))   # the code of the checkout this runs in
    from simulator import offline
    from simulator.coachee.persona import load_personas
    from simulator.session import Session

    offline.setup()
    ids = sorted(load_personas(), key=len, reverse=True)
    result = {}
    for rnd in rounds:
        for path in sorted(panels.glob(f"{rnd}/R*/*.tsv")):
            pid = next(p for p in ids if path.stem.startswith(p + "_"))
            lang = path.stem[len(pid) + 1:]
            rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
            session = Session(pid, lang)
            result[f"{rnd}/{path.parent.name}/{path.stem}"] = [
                {"coach": r["coach"], "rec": r["coachee"], "rating": (r.get("rating") or "").strip().lower(),
                 "note": r.get("note", ""), "got": session.coach_says(r["coach"]).reply} for r in rows]
    out.write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(result)} conversations -> {out}")
    return 0


def still(path: Path, rating: str) -> int:
    for conv, rows in json.loads(path.read_text(encoding="utf-8")).items():
        for n, row in enumerate(rows, 1):
            if _norm(row["got"]) != _norm(row["rec"]):
                break
            if row["rating"] == rating:
                print(f"## {conv} {n}\n  C: {row['coach']}\n  R: {row['got']}\n  note: {row['note']}")
    return 0


def diverge(base: Path, new: Path, out: Path, seed: int) -> int:
    old_runs, new_runs = (json.loads(p.read_text(encoding="utf-8")) for p in (base, new))
    items = []
    for conv, rows in old_runs.items():
        for n, (b, a) in enumerate(zip(rows, new_runs.get(conv, []), strict=False), 1):
            if _norm(b["got"]) != _norm(b["rec"]):
                break   # the rated conversation no longer holds
            if _norm(a["got"]) != _norm(b["got"]):
                items.append({"conv": conv, "n": n, "history": [(r["coach"], r["rec"]) for r in rows[:n - 1]],
                              "coach": b["coach"], "old": b["got"], "new": a["got"], "rating_then": b["rating"]})
                break
    rng = random.Random(seed)
    rng.shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    md, key = [], []
    for i, it in enumerate(items, 1):
        persona, lang = it["conv"].rsplit("/", 1)[1].rsplit("_", 1)
        old_first = rng.random() < 0.5
        a, b = (it["old"], it["new"]) if old_first else (it["new"], it["old"])
        md.append(f"## Item {i}: persona {persona}, language {lang}\n")
        md += [f"- COACH: {c}\n  COACHEE: {r}" for c, r in it["history"]]
        md.append(f"\n**Coach's turn:** {it['coach']}\n\n- **A:** {a}\n- **B:** {b}\n")
        rnd, rater, conv = it["conv"].split("/")
        key.append({"item": i, "A": "old" if old_first else "new", "round": rnd, "rater": rater, "conv": conv,
                    **{k: it[k] for k in ("n", "coach", "old", "new", "rating_then")}})
    (out / "items.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    template = PAIRED / "39"
    rate = (template / "RATE.md").read_text(encoding="utf-8")
    (out / "RATE.md").write_text(re.sub(r"holds \d+ items", f"holds {len(items)} items",
                                        re.sub(r"\d+ lines\.", f"{len(items)} lines.", rate)), encoding="utf-8")
    (out / "briefs.md").write_text((template / "briefs.md").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{len(items)} turns -> {out}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("replay")
    p.add_argument("out", type=Path)
    p.add_argument("--rounds", default="22-32")
    p.add_argument("--panels", type=Path, default=PANELS)
    p = sub.add_parser("still")
    p.add_argument("replayed", type=Path)
    p.add_argument("--rating", default="nonsequitur")
    p = sub.add_parser("diverge")
    p.add_argument("base", type=Path)
    p.add_argument("new", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.cmd == "replay":
        return replay(args.out, _rounds(args.rounds), args.panels)
    if args.cmd == "still":
        return still(args.replayed, args.rating)
    return diverge(args.base, args.new, args.out, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
