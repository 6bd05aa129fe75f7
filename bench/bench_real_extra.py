"""Real transcripts rated blind AFTER the evaluator was built: the held-out check of issue #12.

    python bench/bench_real_extra.py [--dir ../rated_extra] [--doc docs/evaluator-validity.md]

The folder (kept beside the repo, never committed: third-party text) holds FILES.tsv (item, file, coach_label,
coachee_label, url), the raw page beginnings as found, and one TSV per blind rater (T*.tsv: item, presence,
active_listening, powerful_questions, overall, …). Each file goes through the document reader exactly as a
facilitator's upload would (who the coach is, what is set aside), then the default rubric. Reported: whether the
reader found the raters' coach, and per dimension Pearson, bias and SD ratio against the raters' mean, with the
raters' agreement with each other. Nobody who changed the reader or the scoring read these files.
"""

from __future__ import annotations

import argparse
import csv
import statistics as st
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docsfile import VALIDITY, write_section  # noqa: E402

from simulator.evaluation.document import DocumentError, read_document  # noqa: E402
from simulator.evaluation.scoring import evaluate  # noqa: E402

KEYS = ("presence", "active_listening", "powerful_questions", "overall")


def _tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _norm(label: str) -> str:
    return " ".join(label.lower().replace("(", " ").replace(")", " ").split())


def measure(folder: Path) -> dict:
    items = _tsv(folder / "FILES.tsv")
    raters = {p.stem: {r["item"]: r for r in _tsv(p)} for p in sorted(folder.glob("T*.tsv"))}
    rows, pamong, human = [], {k: [] for k in KEYS}, {k: [] for k in KEYS}
    for it in items:
        data = (folder / it["file"]).read_bytes()
        try:
            doc = read_document(data, name=it["item"])
        except DocumentError as exc:
            rows.append((it["item"], "refused: " + str(exc)[:80], {}))
            continue
        coach = [s.label for s in doc.speakers if s.role == "coach"]
        right = any(_norm(c).startswith(_norm(it["coach_label"]).split()[0]) for c in coach)
        ev = evaluate(doc.transcript)
        got = {k: ev.dimensions[k].raw for k in KEYS[:3]} | {"overall": ev.overall_raw}
        mean = {k: st.mean(float(r[it["item"]][k]) for r in raters.values()) for k in KEYS}
        if right:
            for k in KEYS:
                pamong[k].append(got[k])
                human[k].append(mean[k])
        rows.append((it["item"], "right coach" if right else f"WRONG coach ({', '.join(coach)})",
                     {k: (got[k], mean[k]) for k in KEYS}))
    stats = {}
    for k in KEYS:
        p, h = pamong[k], human[k]
        stats[k] = {"r": st.correlation(p, h) if len(p) > 2 else float("nan"), "bias": st.mean(p) - st.mean(h),
                    "sd_ratio": st.pstdev(p) / st.pstdev(h) if st.pstdev(h) else float("nan"), "n": len(p)}
    names = list(raters)
    agree = {k: st.correlation([float(raters[names[0]][i][k]) for i in raters[names[0]]],
                               [float(raters[names[1]][i][k]) for i in raters[names[0]]])
             for k in KEYS} if len(names) >= 2 else {}
    return {"rows": rows, "stats": stats, "agree": agree, "raters": len(names)}


def table(result: dict) -> str:
    s, a = result["stats"], result["agree"]
    n = s["overall"]["n"]
    right = sum(1 for _, how, _ in result["rows"] if how == "right coach")
    out = [f"Held out: {len(result['rows'])} real conversations read as found, {right} with the raters' coach; "
           f"{result['raters']} blind raters (agreement with each other, Pearson: "
           + ", ".join(f"{k} {a[k]:.2f}" for k in KEYS) + ").", "",
           "| | presence | active listening | powerful questions | overall |", "|---|---|---|---|---|"]
    out.append(f"| Pearson (n={n}) | " + " | ".join(f"{s[k]['r']:.2f}" for k in KEYS) + " |")
    out.append("| bias (Pamong − raters) | " + " | ".join(f"{s[k]['bias']:+.2f}" for k in KEYS) + " |")
    out.append("| SD ratio | " + " | ".join(f"{s[k]['sd_ratio']:.2f}" for k in KEYS) + " |")
    out += ["", "| item | reader | presence | active listening | powerful questions | overall (Pamong / raters) |",
            "|---|---|---|---|---|---|"]
    for item, how, got in result["rows"]:
        cells = " | ".join(f"{got[k][0]:.2f} / {got[k][1]:.1f}" for k in KEYS) if got else " | | | "
        out.append(f"| {item} | {how} | {cells} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(ROOT.parent / "rated_extra"))
    ap.add_argument("--doc", default=str(VALIDITY), help="docs page to write the table into ('' = don't)")
    args = ap.parse_args()
    folder = Path(args.dir)
    if not (folder / "FILES.tsv").exists():
        print(f"bench_real_extra: no held-out folder at {folder}; skipped")
        return 0
    md = table(measure(folder))
    print(md)
    if args.doc:
        write_section("real-extra", md, doc=Path(args.doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
