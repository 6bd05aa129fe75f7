"""The blind panels of issue #11: how often the scripted coachee's reply fits what a trainee just said.

    python bench/bench_panel.py [--dir bench/data/panels] [--doc docs/coachee.md]

Each round in bench/data/panels/<round>/ holds, per rater, the adaptive conversations that rater held with the
coachee (`pamong chat --say`, one command per turn) and rated reply by reply: fit, partly or nonsequitur
(R*/<persona>_<lang>.tsv: n, coach, coachee, rating, note). A round may also hold X/rated_<rater>_<file>.tsv, a
second rater's blind ratings of the same replies: their agreement is reported. The raters were helpers who never
saw the code; the rounds record the coachee as it was at the commit README.md names. This script only counts: it
does not run the coachee (a replay would not be adaptive).

bench/data/paired/<name>/ holds paired comparisons: rated conversations replayed with a later coachee up to the first
reply it words differently; two blind raters (P*.tsv) rated both replies to that turn, in random order (key.json says
which of A and B is the later one), so a change is measured on the same turns, without the noise of new
conversations.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docsfile import write_section  # noqa: E402

RATINGS = ("fit", "partly", "nonsequitur")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _rating(text: str) -> str | None:
    word = (text or "").strip().lower().replace("-", "").replace(" ", "")
    return word if word in RATINGS else None


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", (text or "").lower()).strip()


def round_figures(folder: Path) -> dict:
    per_rater: dict[str, Counter] = {}
    per_conv: dict[str, Counter] = {}   # persona_lang -> counts (the issue asks for figures per persona)
    repeats = replies = 0
    for rater in sorted(p for p in folder.glob("R*") if p.is_dir()):
        counts: Counter = Counter()
        for conv in sorted(rater.glob("*.tsv")):
            rows = _rows(conv)
            seen: list[str] = []
            for r in rows:
                rating = _rating(r.get("rating", ""))
                if rating:
                    counts[rating] += 1
                    per_conv.setdefault(conv.stem, Counter())[rating] += 1
                said = _norm(r.get("coachee", ""))
                asked_again = re.search(r"ulang|repeat|say that again|again\?", r.get("coach", ""), re.I)
                # an earlier reply said again whole (even behind "As I said, …"), unless the coach asked for it
                if not asked_again and any(len(old.split()) >= 5 and old in said for old in seen):
                    repeats += 1
                seen.append(said)
                replies += 1
        per_rater[rater.name] = counts
    agree = _agreement(folder)
    return {"raters": per_rater, "conversations": per_conv, "repeats": repeats, "replies": replies, "agreement": agree}


def _agreement(folder: Path) -> dict | None:
    """Cohen's kappa and exact agreement between the conversing rater and a second blind rater (X/)."""
    pairs = []
    for second in sorted((folder / "X").glob("rated_*.tsv")) if (folder / "X").is_dir() else []:
        rater, conv = second.name.removeprefix("rated_").split("_", 1)
        first = folder / rater / conv
        if not first.exists():
            continue
        a = {r["n"]: _rating(r.get("rating", "")) for r in _rows(first)}
        b = {r["n"]: _rating(r.get("rating", "")) for r in _rows(second)}
        pairs += [(a[n], b[n]) for n in a if a[n] and b.get(n)]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(ca[k] * cb[k] for k in RATINGS) / n / n
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    second_counts = cb
    return {"n": n, "exact": observed, "kappa": kappa, "second": second_counts}


def table(rounds: dict[str, dict], notes: dict[str, str]) -> str:
    out = ["| round | coachee at | replies rated | fit | partly | non-sequitur | an earlier reply said again, unasked |",
           "|---|---|---|---|---|---|---|"]
    for name, fig in rounds.items():
        total = Counter()
        for c in fig["raters"].values():
            total.update(c)
        n = sum(total.values()) or 1
        out.append(f"| {name} | {notes.get(name, '')} | {n} | {total['fit'] / n:.0%} | {total['partly'] / n:.0%} | "
                   f"{total['nonsequitur'] / n:.0%} | {fig['repeats']} |")
    out.append("")
    out.append("Target: ≥ 85% fit, ≤ 5% non-sequitur, no verbatim repeat in a session.")
    for name, fig in rounds.items():
        a = fig["agreement"]
        if a:
            s = a["second"]
            n = sum(s.values())
            out.append(f"\nRound {name}, a second blind rater on the same {a['n']} replies: exact agreement "
                       f"{a['exact']:.0%}, Cohen's kappa {a['kappa']:.2f}; the second rater's own counts: fit "
                       f"{s['fit'] / n:.0%}, partly {s['partly'] / n:.0%}, non-sequitur {s['nonsequitur'] / n:.0%}.")
    latest = list(rounds)[-1]
    out += ["", f"Round {latest} (the latest) per persona and language (one conversation of 14 turns each, "
            "different raters):", "", "| persona | lang | fit | partly | non-sequitur |", "|---|---|---|---|---|"]
    for conv, c in sorted(rounds[latest]["conversations"].items()):
        persona, _, lang = conv.rpartition("_")
        n = sum(c.values()) or 1
        out.append(f"| {persona} | {lang} | {c['fit']}/{n} | {c['partly']}/{n} | {c['nonsequitur']}/{n} |")
    return "\n".join(out)


def paired_figures(folder: Path) -> dict:
    """Per rater: counts for the earlier and the later reply, and which was better."""
    key = {str(k["item"]): k for k in json.loads((folder / "key.json").read_text(encoding="utf-8"))}
    figures = {}
    for path in sorted(folder.glob("P*.tsv")):
        earlier, later, better = Counter(), Counter(), Counter()
        for r in _rows(path):
            k = key[r["item"].strip()]
            new, old = (r["A"], r["B"]) if k["A"] == "new" else (r["B"], r["A"])
            later[_rating(new)] += 1
            earlier[_rating(old)] += 1
            pick = r.get("better", "").strip()
            better["same" if pick not in ("A", "B") else "later" if (pick == "A") == (k["A"] == "new") else "earlier"] += 1
        figures[path.stem] = {"earlier": earlier, "later": later, "better": better}
    return {"items": len(key), "raters": figures}


def paired_table(paired: dict[str, dict]) -> str:
    out = ["Paired comparisons (the same turns, the earlier reply against the later coachee's, rated blind in random "
           "order):", "", "| comparison | rater | turns | earlier: fit / partly / non-sequitur | "
           "later: fit / partly / non-sequitur | later better / earlier better / same |", "|---|---|---|---|---|---|"]
    for name, fig in paired.items():
        for rater, f in fig["raters"].items():
            e, la, b = f["earlier"], f["later"], f["better"]
            out.append(f"| {name} | {rater} | {fig['items']} | {e['fit']} / {e['partly']} / {e['nonsequitur']} | "
                       f"{la['fit']} / {la['partly']} / {la['nonsequitur']} | {b['later']} / {b['earlier']} / "
                       f"{b['same']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(HERE / "data" / "panels"))
    ap.add_argument("--paired", default=str(HERE / "data" / "paired"))
    ap.add_argument("--doc", default="coachee.md", help="docs file to write the table into ('' = don't)")
    args = ap.parse_args()
    root = Path(args.dir)
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: (not p.name.isdigit(), int(p.name)
                                                                                 if p.name.isdigit() else 0, p.name))
    rounds = {p.name: round_figures(p) for p in folders} if root.is_dir() else {}
    if not rounds:
        print(f"bench_panel: no panels in {root}; skipped")
        return 0
    notes = {}
    readme = root / "README.md"
    if readme.exists():
        for m in re.finditer(r"(\d+)/ at (?:commit )?([0-9a-f]{7})", readme.read_text(encoding="utf-8")):
            notes[m.group(1)] = m.group(2)
    md = table(rounds, notes)
    paired_root = Path(args.paired)
    paired = {p.name: paired_figures(p) for p in sorted(paired_root.iterdir()) if (p / "key.json").exists()} \
        if paired_root.is_dir() else {}
    if paired:
        md += "\n\n" + paired_table(paired)
    print(md)
    if args.doc:
        write_section("bench_panel", md, doc=args.doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
