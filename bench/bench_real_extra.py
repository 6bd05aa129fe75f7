"""Real transcripts rated blind AFTER the evaluator was built: the held-out checks of issue #12.

    python bench/bench_real_extra.py [--dir ../rated_extra --dir ../rated_extra2] [--doc docs/evaluator-validity.md]

Each folder (kept beside the repo, never committed: third-party text) holds FILES.tsv (item, file, coach_label,
coachee_label, url), the raw page beginnings as found, and one TSV per blind rater (T*.tsv: item, presence,
active_listening, powerful_questions, overall, ...). A folder may hold SPLIT.tsv (item, half = fit | check): the
fit half may be read while changing the scoring, the check half is not, and is reported on its own.
Each file goes through the document reader exactly as a facilitator's upload would (who the coach is, what is set
aside), then the default rubric. Reported per folder (and per half): whether the reader found the raters' coach,
and per dimension Pearson, bias and SD ratio against the raters' mean, with the raters' agreement with each other
(mean Pearson over pairs of raters).
"""

from __future__ import annotations

import argparse
import itertools
import statistics as st
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_scores import _pearson, _rows  # noqa: E402
from docsfile import VALIDITY, write_section  # noqa: E402

from simulator.evaluation.document import DocumentError, read_document  # noqa: E402
from simulator.evaluation.scoring import evaluate  # noqa: E402

KEYS = ("presence", "active_listening", "powerful_questions", "overall")
FOLDERS = {"rated_extra": "round 2: nine conversations rated after round 2 (looked at in round 3, session 8)",
           "rated_extra2": "round 3 (session 8): fifteen conversations"}


def _norm(label: str) -> str:
    return " ".join(label.lower().replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ").split())


def read_folder(folder: Path) -> list[dict]:
    """One row per item: how the reader read it, Pamong's unrounded scores and the raters' mean."""
    raters = [{r["item"]: r for r in _rows(p)} for p in sorted(folder.glob("T*.tsv"))]
    split = {r["item"]: r["half"] for r in _rows(folder / "SPLIT.tsv")} if (folder / "SPLIT.tsv").exists() else {}
    rows = []
    for it in _rows(folder / "FILES.tsv"):
        row = {"item": it["item"], "half": split.get(it["item"], "all"), "got": {},
               "raters": [{k: float(r[it["item"]][k]) for k in KEYS} for r in raters if it["item"] in r]}
        row["mean"] = {k: st.mean(r[k] for r in row["raters"]) for k in KEYS}
        try:
            doc = read_document((folder / it["file"]).read_bytes(), name=it["item"])
        except DocumentError as exc:
            row["how"] = "refused: " + str(exc)[:80]
            rows.append(row)
            continue
        coach = [s.label for s in doc.speakers if s.role == "coach"]
        right = any(_norm(c).startswith(_norm(it["coach_label"]).split()[0]) for c in coach)
        row["how"] = "right coach" if right else f"WRONG coach ({', '.join(coach)})"
        ev = evaluate(doc.transcript)
        row["got"] = {k: ev.dimensions[k].raw for k in KEYS[:3]} | {"overall": ev.overall_raw}
        rows.append(row)
    return rows


def stats(rows: list[dict]) -> dict:
    right = [r for r in rows if r["how"] == "right coach"]
    out = {"n": len(rows), "right": len(right), "refused": sum(r["how"].startswith("refused") for r in rows)}
    for k in KEYS:
        p, h = [r["got"][k] for r in right], [r["mean"][k] for r in right]
        out[k] = {"r": _pearson(p, h) if len(p) > 2 else float("nan"),
                  "bias": st.mean(p) - st.mean(h) if p else float("nan"),
                  "sd_ratio": st.pstdev(p) / st.pstdev(h) if len(h) > 1 and st.pstdev(h) else float("nan")}
    n_raters = min((len(r["raters"]) for r in rows), default=0)
    out["raters"] = n_raters
    out["agree"] = {k: st.mean(_pearson([r["raters"][a][k] for r in rows], [r["raters"][b][k] for r in rows])
                               for a, b in itertools.combinations(range(n_raters), 2))
                    if n_raters >= 2 else float("nan") for k in KEYS}
    return out


def table(name: str, rows: list[dict]) -> str:
    halves = sorted({r["half"] for r in rows})
    parts = [("all", rows)] + ([(h, [r for r in rows if r["half"] == h]) for h in halves] if len(halves) > 1 else [])
    out = [f"**{FOLDERS.get(name, name)}** (`../{name}`)", "",
           "| material | read as found: right coach / refused / WRONG | raters (agreement) | Pearson P / AL / PQ / overall "
           "| bias | SD ratio |", "|---|---|---|---|---|---|"]
    for label, part in parts:
        s = stats(part)
        wrong = s["n"] - s["right"] - s["refused"]
        agree = " / ".join(f"{s['agree'][k]:.2f}" for k in KEYS)
        out.append(f"| {label} ({s['n']}) | {s['right']} / {s['refused']} / **{wrong}** | {s['raters']} ({agree}) | "
                   + " / ".join(f"{s[k]['r']:.2f}" for k in KEYS) + " | "
                   + " / ".join(f"{s[k]['bias']:+.2f}" for k in KEYS) + " | "
                   + " / ".join(f"{s[k]['sd_ratio']:.2f}" for k in KEYS) + " |")
    out += ["", "| item | half | reader | presence | active listening | powerful questions | overall (Pamong / raters) |",
            "|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = " | ".join(f"{r['got'][k]:.2f} / {r['mean'][k]:.1f}" for k in KEYS) if r["got"] else " | | | "
        out.append(f"| {r['item']} | {r['half']} | {r['how']} | {cells} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", action="append", help="a rated folder (repeatable; default ../rated_extra, ../rated_extra2)")
    ap.add_argument("--doc", default=str(VALIDITY), help="docs page to write the tables into ('' = don't)")
    args = ap.parse_args()
    folders = [Path(d) for d in (args.dir or [ROOT.parent / n for n in FOLDERS])]
    present = [f for f in folders if (f / "FILES.tsv").exists()]
    if not present:
        print(f"bench_real_extra: no rated folder at {', '.join(map(str, folders))}; skipped")
        return 0
    md = "\n\n".join(table(f.name, read_folder(f)) for f in present)
    print(md)
    if args.doc:
        write_section("real-extra", md, doc=Path(args.doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
