"""How Pamong reads the coach turns of REAL transcripts, against two blind human annotators (issue #12).

Two annotators labelled every coach turn of the 14 real transcripts act by act (open, closed and why question,
reflection, affirmation, advice, other; judgement and stacked flags), blind to each other and to the reader, in
`<annot>/A/NN.tsv` and `<annot>/B/NN.tsv` (columns n, acts, judgement, stacked, start; n counts coach turns from
1). The labels derive from third-party text: they are read here at bench time from ../annot (beside the repo; or
PAMONG_REAL_ANNOT) and never copied into the project. Absent: the bench says so and skips.

Per act (present in a turn or not, over all coach turns):
  - the annotators' agreement with each other: Cohen's kappa and F1 (symmetric);
  - the reader against each annotator and against the turns where both agree: precision and recall.

    python bench/bench_real_acts.py [--show ACT] [--doc docs/evaluator-validity.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulator import offline  # noqa: E402

offline.setup()

from bench_real_scores import KEYS as DIMENSIONS  # noqa: E402
from bench_real_scores import data_dir, human_means, load_ratings  # noqa: E402
from docsfile import VALIDITY as DOC  # noqa: E402
from docsfile import write_section  # noqa: E402

from simulator.evaluation.scoring import read_transcript  # noqa: E402
from simulator.evaluation.transcript import load_transcript  # noqa: E402
from simulator.reading.reader import ACTS  # noqa: E402

LABELS = (*ACTS, "judgement", "stacked")
ANNOTATORS = ("A", "B")


def annot_dir() -> Path | None:
    for p in (os.environ.get("PAMONG_REAL_ANNOT"), ROOT.parent / "annot"):
        if p and all((Path(p) / a).is_dir() and any((Path(p) / a).glob("*.tsv")) for a in ANNOTATORS):
            return Path(p)
    return None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def load_labels(where: Path, annotator: str, files) -> dict[tuple[str, int], dict]:
    """(file, 0-based turn index) -> {"labels": set, "start": str}; only files with a transcript."""
    out = {}
    for f in files:
        path = where / annotator / f"{f}.tsv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                labels = {a.strip() for a in (row.get("acts") or "").split(",") if a.strip()}
                for flag in ("judgement", "stacked"):
                    if (row.get(flag) or "").strip().lower() in ("yes", "y", "1", "true"):
                        labels.add(flag)
                out[(f, int(row["n"]))] = {"labels": labels, "start": row.get("start") or ""}
    return out


def reader_labels(real: Path, files) -> tuple[dict, dict, int]:
    """(file, n) -> the reader's labels for the n-th coach turn (1-based), the turn texts, and how many rows'
    `start` does not match the turn (a misaligned annotation file)."""
    out, texts = {}, {}
    for f in files:
        t = load_transcript(real / "clean" / f"{f}.txt")
        readings = read_transcript(t)
        for n, i in enumerate(t.coach_indices(), start=1):
            r = readings[i]
            out[(f, n)] = set(r.acts) | {x for x in ("judgement", "stacked") if getattr(r, x)}
            texts[(f, n)] = t.turns[i].text
    return out, texts


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe) if pe < 1 else float("nan")


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    p = tp / sum(pred) if sum(pred) else float("nan")
    r = tp / sum(gold) if sum(gold) else float("nan")
    f = 2 * p * r / (p + r) if p == p and r == r and p + r else float("nan")
    return p, r, f


def measure(ann: dict[str, dict], reader: dict) -> dict:
    keys = sorted(set.intersection(*(set(a) for a in ann.values())) & set(reader))
    res = {"turns": len(keys), "labels": {}}
    for lab in LABELS:
        a = [lab in ann["A"][k]["labels"] for k in keys]
        b = [lab in ann["B"][k]["labels"] for k in keys]
        me = [lab in reader[k] for k in keys]
        both = [k for k, x, y in zip(keys, a, b, strict=True) if x == y]
        gold = [lab in ann["A"][k]["labels"] for k in both]
        mine = [lab in reader[k] for k in both]
        res["labels"][lab] = {
            "n_A": sum(a), "n_B": sum(b), "n_agreed": sum(gold), "kappa_AB": round(kappa(a, b), 3),
            "f1_AB": round(prf(a, b)[2], 3),
            **{f"reader_vs_{name}": [round(x, 3) for x in prf(me, gold_)[:2]]
               for name, gold_ in (("A", a), ("B", b))},
            "reader_vs_agreed": [round(x, 3) for x in prf(mine, gold)[:2]], "n_both": len(both)}
    return res


def ceiling(ann: dict[str, dict], reader: dict, real: Path) -> dict:
    """How far act counts can carry agreement with the trainers: per file, the share of coach turns with each act
    - by the annotators (the mean of A and B: the reader made perfect) and by the reader - and its Pearson with the
    trainers' mean per dimension. If even the annotators' shares stay far from 0.8, the limit is not the reader
    but what act counts can say about these transcripts."""
    import statistics as st

    ratings = load_ratings(real)
    files = sorted({f for f, _ in reader} & set(ratings))
    means = human_means(ratings, files)
    trainers = {d: [means[f][d] for f in files] for d in DIMENSIONS}

    def has(source: str, lab: str, key: tuple) -> float:
        if source == "reader":
            return float(lab in reader[key])
        return st.mean(lab in ann[a][key]["labels"] for a in ANNOTATORS)

    out: dict[str, dict] = {}
    for source in ("annotators", "reader"):
        out[source] = {}
        for lab in LABELS:
            shares = []
            for f in files:
                keys = [k for k in reader if k[0] == f and all(k in ann[a] for a in ANNOTATORS)]
                shares.append(st.mean(has(source, lab, k) for k in keys) if keys else 0.0)
            out[source][lab] = {d: (round(st.correlation(shares, trainers[d]), 2) if st.pstdev(shares) else None)
                                for d in DIMENSIONS}
    return {"files": len(files), **out}


def ceiling_table(res: dict) -> str:
    lines = [f"How far act counts carry: Pearson of each act's share of coach turns per file with the trainers' mean "
             f"({res['files']} files), by the annotators' labels (the reader made perfect) / by the reader.", "",
             "| act | " + " | ".join(DIMENSIONS) + " |", "|---|" + "---|" * len(DIMENSIONS)]

    def cell(v):
        return "–" if v is None else f"{v:+.2f}"
    best = {d: max(abs(v[d]) for v in res["annotators"].values() if v[d] is not None) for d in DIMENSIONS}
    for lab in LABELS:
        a, r = res["annotators"][lab], res["reader"][lab]
        lines.append(f"| {lab} | " + " | ".join(f"{cell(a[d])} / {cell(r[d])}" for d in DIMENSIONS) + " |")
    lines += ["", "Strongest single act with the annotators' labels: "
              + ", ".join(f"{d} {best[d]:.2f}" for d in DIMENSIONS) + "."]
    return "\n".join(lines)


def table(res: dict, misaligned: int) -> str:
    lines = [f"{res['turns']} coach turns of the 14 real transcripts, labelled by two blind annotators"
             + (f" ({misaligned} rows whose first words do not match the turn)" if misaligned else "") + ".", "",
             "| act | turns A / B / both agree | A vs B kappa | A vs B F1 | reader vs A: P / R | reader vs B: P / R "
             "| reader vs agreed turns: P / R |", "|---|---|---|---|---|---|---|"]

    def pr(x):
        return " / ".join("–" if v != v else f"{v:.2f}" for v in x)
    for lab, r in res["labels"].items():
        lines.append(f"| {lab} | {r['n_A']} / {r['n_B']} / {r['n_agreed']} | {r['kappa_AB']:.2f} | "
                     f"{'–' if r['f1_AB'] != r['f1_AB'] else format(r['f1_AB'], '.2f')} | {pr(r['reader_vs_A'])} | "
                     f"{pr(r['reader_vs_B'])} | {pr(r['reader_vs_agreed'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", default=None, help="print the turns where the reader and the agreed label differ on ACT")
    ap.add_argument("--doc", default=str(DOC), help="docs page the table is written into ('' for none)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "real_acts.json"))
    args = ap.parse_args(argv)
    real, where = data_dir(), annot_dir()
    if real is None or where is None:
        note = ("real-transcript annotations not found (../annot/A and ../annot/B, or PAMONG_REAL_ANNOT): skipped"
                if real else "real transcripts not found (../shared/data/real_transcripts): skipped")
        print(note)
        return 0
    files = sorted(p.stem for p in (real / "clean").glob("*.txt"))
    reader, texts = reader_labels(real, files)
    ann = {a: load_labels(where, a, files) for a in ANNOTATORS}
    misaligned = sum(1 for a in ann.values() for k, v in a.items()
                     if k in texts and not _norm(texts[k]).startswith(_norm(v["start"])[:20]))
    res = measure(ann, reader)
    res["ceiling"] = ceiling(ann, reader, real)
    out = table(res, misaligned) + "\n\n" + ceiling_table(res["ceiling"])
    print(f"## Reading real coach turns: Pamong vs two blind annotators\n\n{out}")
    if args.show:
        for k in sorted(reader):
            if k in ann["A"] and k in ann["B"]:
                a, b = (args.show in ann[x][k]["labels"] for x in ANNOTATORS)
                if a == b and a != (args.show in reader[k]):
                    print(f"{k} agreed={a} reader={sorted(reader[k])} A={sorted(ann['A'][k]['labels'])} :: {texts[k][:200]}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"misaligned": misaligned, **res}, indent=2) + "\n", encoding="utf-8")
    if args.doc:
        write_section("real-acts", out, doc=Path(args.doc))
        print(f"\nwritten: {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
