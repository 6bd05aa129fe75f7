"""How far turn-by-turn judgement carries on real transcripts (issue #12): a ceiling, not a score of Pamong.

    python bench/bench_real_turns.py [--dir ../annot2] [--doc docs/evaluator-validity.md]

Two blind labellers (helpers who never saw the reader) judged every coach turn of the 28 real transcripts of the fit
pool (the 14 of ../shared and the rated folders beside the repo) on three 0-2 scales: `listen` (took in the
coachee's words), `ask` (the quality of the question; NA when none) and `presence` (followed the coachee's lead,
no advice or judgement). The folder (beside the repo, never committed: it quotes third-party text) holds
turns.tsv (file, turn, coachee_before, coach) and one L*.tsv per labeller (file, turn, listen, ask, presence).

Reported: the labellers' agreement, and per file the mean label (both labellers) correlated with the raters' mean
per dimension, beside Pamong's own score on the same files. If perfect turn-level judgement does no better than
Pamong, the remaining gap to the trainers is not in how single turns are read. Skips when the folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import statistics as st
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulator import offline  # noqa: E402

offline.setup()

from bench_real_scores import (  # noqa: E402
    KEYS,
    _scores,
    data_dir,
    extra_pool,
    human_means,
    load_ratings,
    rater_vs_rest,
    read_files,
)
from docsfile import VALIDITY as DOC  # noqa: E402
from docsfile import write_section  # noqa: E402

from simulator.evaluation.rubric import load_rubric  # noqa: E402
from simulator.evaluation.scoring import evaluate_readings  # noqa: E402

SCALES = ("listen", "ask", "presence")
# which label speaks to which dimension; the overall score against the mean of the three
FOR = {"presence": "presence", "active_listening": "listen", "powerful_questions": "ask"}


def _num(x: str) -> int | None:
    return None if x in ("NA", "") else int(x)


def measure(folder: Path) -> dict:
    labels: dict[str, dict[tuple[str, int], dict]] = {}
    for path in sorted(folder.glob("L*.tsv")):
        with path.open(encoding="utf-8") as fh:
            labels[path.stem] = {(r["file"], int(r["turn"])): r for r in csv.DictReader(fh, delimiter="\t")}
    names = sorted(labels)
    agree = {}
    for s in SCALES:
        pairs = [(_num(labels[names[0]][k][s]), _num(labels[names[1]][k][s])) for k in labels[names[0]]
                 if k in labels[names[1]]]
        pairs = [p for p in pairs if None not in p]
        agree[s] = (len(pairs), sum(a == b for a, b in pairs) / len(pairs), st.correlation(*zip(*pairs, strict=True)))
    where = data_dir()
    ratings = load_ratings(where)
    shared = sorted(ratings)
    data = {f"dev/{f}": v for f, v in read_files(where, shared).items()}
    more_ratings, _, more_data = extra_pool()
    human = {f"dev/{f}": v for f, v in human_means(ratings, shared).items()}
    human |= human_means(more_ratings, sorted(more_ratings))
    data |= more_data
    files = sorted(f for f in data if any(k[0] == f for k in labels[names[0]]))
    rubric = load_rubric(None)
    pamong = {f: _scores(evaluate_readings(*data[f], rubric)) for f in files}
    mean = {}
    for f in files:
        mean[f] = {}
        for s in SCALES:
            vals = [v for n in names for k, row in labels[n].items() if k[0] == f
                    if (v := _num(row[s])) is not None]
            mean[f][s] = st.mean(vals) if vals else 1.0
    table = {}
    for k in KEYS:
        h = [human[f][k] for f in files]
        lab = [mean[f][FOR[k]] if k in FOR else st.mean(mean[f].values()) for f in files]
        turns = [sum(t.speaker == "coach" for t in data[f][0].turns) for f in files]
        both = _loo([[mean[f][s] for s in SCALES] + [pamong[f][k][0], n] for f, n in zip(files, turns, strict=True)], h)
        table[k] = (st.correlation(lab, h), st.correlation([pamong[f][k][0] for f in files], h), both)
    return {"labellers": names, "agree": agree, "files": len(files),
            "turns": len(labels[names[0]]), "table": table, "pamong": pamong}


def _loo(rows: list[list[float]], y: list[float]) -> float:
    """Pearson of leave-one-out least-squares predictions (an intercept and every column)."""
    import numpy as np
    x, t = np.array([[1.0, *r] for r in rows]), np.array(y)
    pred = []
    for i in range(len(t)):
        keep = np.arange(len(t)) != i
        beta, *_ = np.linalg.lstsq(x[keep], t[keep], rcond=None)
        pred.append(float(x[i] @ beta))
    return st.correlation(pred, y)


def tables(res: dict) -> str:
    a = res["agree"]
    out = [f"{res['turns']} coach turns of {res['files']} real transcripts, labelled by {len(res['labellers'])} blind "
           "labellers (" + "; ".join(f"{s}: exact agreement {a[s][1]:.0%}, Pearson {a[s][2]:.2f}, n={a[s][0]}"
                                     for s in SCALES) + ").", "",
           "| Pearson with the raters' mean, per file | presence | active listening | powerful questions | overall |",
           "|---|---|---|---|---|",
           "| the labellers' mean turn label (`presence` / `listen` / `ask` / all three) | "
           + " | ".join(f"{res['table'][k][0]:.2f}" for k in KEYS) + " |",
           "| Pamong's unrounded score (calibrated, as shipped) | "
           + " | ".join(f"{res['table'][k][1]:.2f}" for k in KEYS) + " |",
           "| all three labels, Pamong's score and the number of coach turns, least squares, leave-one-out | "
           + " | ".join(f"{res['table'][k][2]:.2f}" for k in KEYS) + " |"]
    return "\n".join(out)


def holistic(folder: Path, pamong: dict) -> str:
    """Blind helper raters who rated the 14 of ../shared whole, from the rubric only (../rated_dev/H*.tsv: file,
    presence, ...): how close a careful reader of the same text comes to the trainers, beside Pamong (`pamong`:
    measure()'s scores, "dev/NN" -> key -> (unrounded, 1-4))."""
    where = data_dir()
    ratings = load_ratings(where)
    files = sorted(ratings)
    trainers = human_means(ratings, files)
    helpers = {}
    for path in sorted(folder.glob("H*.tsv")):
        with path.open(encoding="utf-8") as fh:
            helpers[path.stem] = {r["file"].zfill(2): {k: int(r[k]) for k in KEYS}
                                  for r in csv.DictReader(fh, delimiter="\t")}
    if len(helpers) < 2:
        return ""
    rest = rater_vs_rest(files, ratings)
    rows = []
    for k in KEYS:
        t = [trainers[f][k] for f in files]
        mean = [st.mean(h[f][k] for h in helpers.values()) for f in files]
        each = " / ".join(f"{st.correlation([h[f][k] for f in files], t):.2f}" for h in helpers.values())
        lo, hi = min(rest[k].values()), max(rest[k].values())
        rows.append(f"| {k} | {st.correlation(mean, t):.2f} | {each} | {lo:.2f}-{hi:.2f} | "
                    f"{st.correlation([pamong[f'dev/{f}'][k][0] for f in files], t):.2f} | "
                    f"{st.mean(mean) - st.mean(t):+.2f} |")
    return "\n".join([
        f"The 14 of ../shared rated whole by {len(helpers)} blind helper raters from the rubric only, against the "
        "trainers' mean (Pearson):", "",
        "| dimension | helpers' mean | each helper | one trainer vs the other two | Pamong as shipped "
        "| helpers minus trainers |", "|---|---|---|---|---|---|", *rows])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=str(ROOT.parent / "annot2"))
    ap.add_argument("--doc", default=str(DOC), help="docs page to write the table into ('' = don't)")
    args = ap.parse_args()
    folder = Path(args.dir)
    if len(list(folder.glob("L*.tsv"))) < 2 or data_dir() is None:
        print(f"bench_real_turns: no labelled turns at {folder}; skipped")
        return 0
    res = measure(folder)
    md = tables(res)
    whole = holistic(ROOT.parent / "rated_dev", res["pamong"])
    if whole:
        md += "\n\n" + whole
    print(md)
    if args.doc:
        write_section("real-turns", md, doc=Path(args.doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
