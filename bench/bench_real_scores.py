"""How Pamong's scores agree with trainers on REAL coaching transcripts teachers published (issue #12).

Data: ../shared/data/real_transcripts (beside the repo; or PAMONG_REAL_TRANSCRIPTS): clean/NN.txt, one
`Coach:` / `Coachee:` turn per line, and ratings.tsv, three trainers' blind 1-4 ratings of presence, active
listening, powerful questions and overall. Third-party text: read here, never copied into the project.

Split, fixed before any tuning: TUNE (the reader's fixes and the calibration were developed on these, their
text read) and HELD OUT (never read while developing; scored once at the end). Per dimension and overall, against
the mean of the three trainers:
  - Pearson of Pamong's unrounded score (the calibrated one that rounds to the 1-4 score shown);
  - bias: mean of (Pamong minus trainers), for the unrounded score and for the 1-4 score;
  - SD ratio: SD of Pamong's unrounded score / SD of the trainers' mean (the issue asks for >= 0.8);
  - rater-vs-rest: each trainer against the mean of the other two (what agreement people reach).

    python bench/bench_real_scores.py [--split tune|holdout|all] [--show] [--doc docs/evaluator-validity.md]

Writes bench/results/real_scores.json, prints a Markdown table, and (with --doc, the default when the split is
"all") writes the table into docs/evaluator-validity.md between its `real-scores` markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulator import offline  # noqa: E402

offline.setup()

from docblock import VALIDITY as DOC  # noqa: E402
from docblock import write_block  # noqa: E402

from simulator.rubric import DEFAULT_RUBRIC_ID, load_rubric  # noqa: E402
from simulator.scoring import evaluate  # noqa: E402
from simulator.transcript import load_transcript  # noqa: E402

TUNE = ("01", "02", "05", "07", "08", "12", "14")
HOLDOUT = ("15", "17", "21", "22", "23", "24", "25")
KEYS = ("presence", "active_listening", "powerful_questions", "overall")


def data_dir() -> Path | None:
    for p in (os.environ.get("PAMONG_REAL_TRANSCRIPTS"), ROOT.parent / "shared" / "data" / "real_transcripts",
              Path("/work/shared/data/real_transcripts")):
        if p and (Path(p) / "ratings.tsv").exists():
            return Path(p)
    return None


def load_ratings(where: Path) -> dict[str, dict[str, dict[str, int]]]:
    """file -> rater -> key -> 1..4"""
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    with (where / "ratings.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["file"]][row["rater"]] = {k: int(row[k]) for k in KEYS}
    return dict(out)


def pamong_scores(where: Path, files, rubric) -> dict[str, dict[str, tuple[float, int]]]:
    """file -> key -> (unrounded score, 1-4 score)."""
    out = {}
    for f in files:
        ev = evaluate(load_transcript(where / "clean" / f"{f}.txt"), rubric)
        out[f] = {k: (ev.dimensions[k].raw, ev.dimensions[k].score) for k in KEYS[:3]}
        out[f]["overall"] = (ev.overall_raw, ev.overall)
    return out


def _pearson(a, b) -> float:
    try:
        return statistics.correlation(a, b)
    except statistics.StatisticsError:  # a constant series
        return float("nan")


def agreement(files, ratings, scores) -> dict[str, dict[str, float]]:
    out = {}
    for k in KEYS:
        human = [statistics.mean(r[k] for r in ratings[f].values()) for f in files]
        raw = [scores[f][k][0] for f in files]
        lvl = [scores[f][k][1] for f in files]
        sd_h = statistics.pstdev(human)
        out[k] = {"n": len(files), "pearson": round(_pearson(raw, human), 3),
                  "bias": round(statistics.mean(p - h for p, h in zip(raw, human, strict=True)), 3),
                  "bias_level": round(statistics.mean(p - h for p, h in zip(lvl, human, strict=True)), 3),
                  "sd_ratio": round(statistics.pstdev(raw) / sd_h, 3) if sd_h else float("nan"),
                  "within_half": sum(abs(p - h) <= 0.5 for p, h in zip(lvl, human, strict=True))}
    return out


def rater_vs_rest(files, ratings) -> dict[str, dict[str, float]]:
    """Each trainer against the mean of the other two, per key: what agreement people reach on these files."""
    out: dict[str, dict[str, float]] = {}
    raters = sorted({r for f in files for r in ratings[f]})
    for k in KEYS:
        out[k] = {}
        for rater in raters:
            mine = [ratings[f][rater][k] for f in files]
            rest = [statistics.mean(v[k] for r, v in ratings[f].items() if r != rater) for f in files]
            out[k][rater] = round(_pearson(mine, rest), 3)
    return out


def table(results: dict, rest: dict) -> str:
    lines = ["| material | score | n | Pearson | bias (unrounded) | bias (1-4 score) | SD ratio | 1-4 score within 0.5 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, res in results.items():
        for k in KEYS:
            r = res[k]
            lines.append(f"| {name} | {k} | {r['n']} | {r['pearson']:.2f} | {r['bias']:+.2f} | {r['bias_level']:+.2f} | "
                         f"{r['sd_ratio']:.2f} | {r['within_half']} of {r['n']} |")
    lines += ["", "Trainers among themselves (all 14 files): each rater against the mean of the other two, Pearson",
              "", "| score | " + " | ".join(sorted(next(iter(rest.values())))) + " |",
              "|---|" + "---|" * len(next(iter(rest.values())))]
    for k in KEYS:
        lines.append(f"| {k} | " + " | ".join(f"{v:.2f}" for _, v in sorted(rest[k].items())) + " |")
    return "\n".join(lines)


MIN_R_FOR_SPREAD = 0.3  # below this tuning correlation only the strictness (mean) is fitted, not the spread


def fit(where: Path, ratings, rubric) -> str:
    """The calibration maps, fitted on the TUNE files only: per dimension, a line that gives Pamong's unrounded
    scores the trainers' mean and SD (moment matching, not regression, so the spread is kept); where the tuning
    correlation is weak (< MIN_R_FOR_SPREAD) the slope stays 1: stretching a ranking that is not trusted would
    only spread the errors. Then the same for the overall score (the weighted mean of the calibrated dimensions)."""
    from simulator.rubric import DIMENSIONS, Calibration

    def line(xs, ys, label):
        mx, my, sx, sy = statistics.mean(xs), statistics.mean(ys), statistics.pstdev(xs), statistics.pstdev(ys)
        r = _pearson(xs, ys)
        slope = sy / sx if sx and r >= MIN_R_FOR_SPREAD else 1.0
        pts = [(1.0, round(my + (1 - mx) * slope, 3)), (4.0, round(my + (4 - mx) * slope, 3))]
        return Calibration(points=pts, fitted_on=f"real transcripts, tune half ({label}; r {r:.2f}, slope {slope:.2f})")

    for k in DIMENSIONS:
        rubric.dimensions[k].calibration = None
    rubric.overall.calibration = None
    tune = {f: evaluate(load_transcript(where / "clean" / f"{f}.txt"), rubric) for f in TUNE}
    human = {k: [statistics.mean(r[k] for r in ratings[f].values()) for f in TUNE] for k in KEYS}
    out = []
    for k in DIMENSIONS:
        rubric.dimensions[k].calibration = line([tune[f].dimensions[k].uncalibrated for f in TUNE], human[k], k)
        out.append(f"  {k}: {rubric.dimensions[k].calibration.model_dump()}")
    tune = {f: evaluate(load_transcript(where / "clean" / f"{f}.txt"), rubric) for f in TUNE}
    rubric.overall.calibration = line([tune[f].overall_raw for f in TUNE], human["overall"], "overall")
    out.append(f"  overall: {rubric.overall.calibration.model_dump()}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    ap.add_argument("--rubric", default=DEFAULT_RUBRIC_ID)
    ap.add_argument("--show", action="store_true", help="per-file scores beside the trainers' mean")
    ap.add_argument("--fit", action="store_true", help="fit the calibration maps on the TUNE files and print them")
    ap.add_argument("--no-calibration", action="store_true",
                    help="score without the rubric's calibration maps (a diagnostic: what the reader and signals do)")
    ap.add_argument("--doc", default=None, help=f"docs page to write the table into (default with --split all: {DOC})")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "real_scores.json"))
    args = ap.parse_args(argv)
    where = data_dir()
    if where is None:
        print("real transcripts not found (../shared/data/real_transcripts): skipped")
        return 0
    rubric = load_rubric(args.rubric)
    ratings = load_ratings(where)
    if args.fit:
        print(fit(where, ratings, rubric.model_copy(deep=True)))
        return 0
    block = "real-scores"
    if args.no_calibration:
        from simulator.rubric import DIMENSIONS
        rubric = rubric.model_copy(deep=True)
        for k in DIMENSIONS:
            rubric.dimensions[k].calibration = None
        rubric.overall.calibration = None
        block = "real-scores-uncalibrated"
    splits = {"tune": TUNE, "holdout": HOLDOUT, "all": TUNE + HOLDOUT}
    chosen = {"tune": ["tune"], "holdout": ["holdout"], "all": ["tune", "holdout", "all"]}[args.split]
    files = sorted({f for s in chosen for f in splits[s]})
    scores = pamong_scores(where, files, rubric)
    names = {"tune": "tune (7, read)", "holdout": "held out (7, never read)", "all": "all 14"}
    results = {names[s]: agreement(splits[s], ratings, scores) for s in chosen}
    rest = rater_vs_rest(TUNE + HOLDOUT, ratings)
    if args.show:
        for f in files:
            human = {k: statistics.mean(r[k] for r in ratings[f].values()) for k in KEYS}
            print(f, "  ".join(f"{k[:4]} {scores[f][k][0]:.2f}/{scores[f][k][1]} vs {human[k]:.2f}" for k in KEYS))
    out = table(results, rest)
    print(f"## Pamong vs trainers on real transcripts (rubric `{rubric.id}`)\n\n{out}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"rubric": rubric.id, "results": results, "rater_vs_rest": rest,
                                          "scores": scores}, indent=2) + "\n", encoding="utf-8")
    doc = args.doc or (str(DOC) if args.split == "all" else None)
    if doc:
        write_block(Path(doc), block, out)
        print(f"\nwritten: {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
