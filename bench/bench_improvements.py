"""Do the report's three improvements fit the turn they are attached to? Rated blind, before and after a change.

    python bench/bench_improvements.py --dump OUT.json [--repo PATH]     # the improvements of every transcript
    python bench/bench_improvements.py --packets DIR --before B.json --after A.json
        # DIR/packets/<transcript>.md: the transcript and its two lists of improvements in a hashed order
    python bench/bench_improvements.py [--count DIR]                     # DIR/ratings/*.tsv -> docs/evaluator-validity.md

Transcripts: DIR/transcripts/*.txt (`Coach:` / `Coachee:` lines). Each round in bench/data/improvements/ holds 12
practice transcripts a helper wrote in the style teachers publish, the improvements before and after a change, and
two blind raters' verdicts, "before" always being the code before session 9: 9-dev (rated after the first pass;
its raters' notes drove the second pass), 9 (written after the second pass and held out then; its notes drove the
third) and 10 (written after the third pass, never looked at while changing the code). Each improvement is rated
on its own: good (fits the turn and the moment, and the suggestion is what a trainer would say), acceptable
(fits, but generic or a little off), wrong (does not fit the turn or the moment, misreads the turn, or the suggested
sentence is awkward, ungrammatical or addresses the coachee wrongly).
The count also dumps the improvements with the code as it is now and says how many transcripts still get the rated
"after" list.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = ROOT / "bench" / "data" / "improvements"
DEFAULT = ROUNDS / "9"
VERDICTS = ("good", "acceptable", "wrong")


def dump(folder: Path, repo: Path) -> dict:
    sys.path.insert(0, str(repo))
    from simulator import offline
    from simulator.evaluation.scoring import evaluate
    from simulator.evaluation.transcript import load_transcript

    offline.setup()
    out = {}
    for f in sorted((folder / "transcripts").glob("*.txt")):
        ev = evaluate(load_transcript(f))
        out[f.stem] = [{"turn": im.turn_index + 1, "kind": im.kind, "title": im.title.get(ev.lang), "quote": im.quote,
                        "better": im.better, "why": im.why.get(ev.lang)} for im in ev.improvements]
    return out


def _order(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2


def packets(folder: Path, before: dict, after: dict) -> None:
    (folder / "packets").mkdir(exist_ok=True)
    for f in sorted((folder / "transcripts").glob("*.txt")):
        lines = [f"# {f.stem}", "", "## The transcript (turns numbered)", ""]
        for n, line in enumerate([x for x in f.read_text(encoding="utf-8").splitlines() if x.strip()], start=1):
            lines.append(f"[{n}] {line}")
        lists = (before[f.stem], after[f.stem]) if _order(f.stem) == 0 else (after[f.stem], before[f.stem])
        for name, items in zip("PQ", lists, strict=True):
            lines += ["", f"## List {name}", ""]
            for k, im in enumerate(items, start=1):
                lines += [f"{name}{k}. {im['title']} (turn [{im['turn']}])", f"   the coach said: \"{im['quote']}\"",
                          f"   suggested instead: \"{im['better']}\"", f"   why: {im['why']}", ""]
        (folder / "packets" / f"{f.stem}.md").write_text("\n".join(lines), encoding="utf-8")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def count(folder: Path) -> str:
    before = json.loads((folder / "before.json").read_text(encoding="utf-8"))
    after = json.loads((folder / "after.json").read_text(encoding="utf-8"))
    now = dump(folder, ROOT)
    same = sum(now.get(k) == v for k, v in after.items())
    table = ["| rater | before: good / acceptable / wrong | after: good / acceptable / wrong |", "|---|---|---|"]
    got: dict[str, dict] = {}
    for f in sorted((folder / "ratings").glob("*.tsv")):
        by = {"before": [], "after": []}
        for r in _rows(f):
            which = ("before", "after") if _order(r["transcript"]) == 0 else ("after", "before")
            side = which["PQ".index(r["item"][0])]
            by[side].append(r["verdict"])
            got.setdefault(f.stem, {})[(r["transcript"], side, r["item"][1:])] = r["verdict"]

        def share(xs: list[str]) -> str:
            return " / ".join(f"{xs.count(v)} ({100 * xs.count(v) / max(1, len(xs)):.0f}%)" for v in VERDICTS)

        table.append(f"| {f.stem} | {share(by['before'])} | {share(by['after'])} |")
    changed = sum(before[k] != after[k] for k in after)
    n_before, n_after = sum(map(len, before.values())), sum(map(len, after.values()))
    md = (f"{len(after)} transcripts, up to three improvements each ({n_before} before, {n_after} after); the change "
          f"moved at least one improvement in {changed}. Each improvement rated blind (the two lists in a hashed "
          "order).\n\n" + "\n".join(table))
    raters = list(got)
    if len(raters) >= 2:
        common = set(got[raters[0]]) & set(got[raters[1]])
        agree = sum(got[raters[0]][k] == got[raters[1]][k] for k in common)
        md += f"\n\n{raters[0]} and {raters[1]} gave the same verdict on {agree} of {len(common)} improvements."
    md += f"\n\nWith the code as it is now, {same} of {len(after)} transcripts get the rated 'after' list."
    return md


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--repo", type=Path, default=ROOT)
    ap.add_argument("--packets", type=Path)
    ap.add_argument("--before", type=Path)
    ap.add_argument("--after", type=Path)
    ap.add_argument("--count", type=Path, action="append", help="a round's folder (default: every round)")
    ap.add_argument("--dir", type=Path, default=DEFAULT, help="the round's folder (for --dump)")
    ap.add_argument("--doc", default="validity", help="docs page ('' = don't)")
    args = ap.parse_args(argv)
    if args.dump:
        args.dump.write_text(json.dumps(dump(args.dir, args.repo), ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    if args.packets:
        packets(args.packets, json.loads(args.before.read_text(encoding="utf-8")),
                json.loads(args.after.read_text(encoding="utf-8")))
        return 0
    rounds = args.count or sorted((p for p in ROUNDS.iterdir() if (p / "ratings").exists()),
                                  key=lambda p: (int(p.name.split("-")[0]), "-" not in p.name))
    if not rounds:
        print(f"bench_improvements: no rated round under {ROUNDS}; skipped")
        return 0
    md = "\n\n".join(f"**Round {r.name}.** {count(r)}" for r in rounds)
    print(md)
    if args.doc:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from docsfile import VALIDITY, write_section
        write_section("improvements", md, doc=VALIDITY if args.doc == "validity" else Path(args.doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
