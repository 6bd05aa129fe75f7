"""How Pamong's scores agree with trainers on REAL coaching transcripts teachers published (issue #12).

Data: ../shared/data/real_transcripts (beside the repo; or PAMONG_REAL_TRANSCRIPTS): clean/NN.txt, one
`Coach:` / `Coachee:` turn per line, ratings.tsv (three trainers' blind 1-4 ratings of presence, active listening,
powerful questions and overall) and sources.tsv (language and kind of talk). Third-party text: read here, never
copied into the project.

All 14 files are development material (round 1 read seven, round 2 read all). So every figure here is
LEAVE-ONE-OUT for what is fitted to the ratings: for each file, the calibration is fitted on the other 13 and the
file is scored with that fit; the 14 predictions are then compared with the trainers' mean. With no calibration
nothing is fitted and the figure is the plain score. Per dimension and overall, for all 14 and per kind of talk
(teacher-teacher vs other: teacher-student, principal-teacher, professional and English life coaches):
  - Pearson of Pamong's unrounded score (the one that rounds to the 1-4 score shown);
  - bias: mean of (Pamong minus trainers), for the unrounded score and for the 1-4 score;
  - SD ratio: SD of Pamong's unrounded score / SD of the trainers' mean (the issue asks for >= 0.8);
  - rater-vs-rest: each trainer against the mean of the other two (what agreement people reach).
The same leave-one-out is run for every calibration METHOD, so the shipped one is chosen on figures that were
not fitted on the file they score.

    python bench/bench_real_scores.py [--show] [--fit] [--doc docs/evaluator-validity.md]

Writes bench/results/real_scores.json, prints Markdown tables and writes them into docs/evaluator-validity.md
between its `real-scores-loo` markers.
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

from docsfile import VALIDITY as DOC  # noqa: E402
from docsfile import write_section  # noqa: E402

from simulator.evaluation.rubric import DEFAULT_RUBRIC_ID, DIMENSIONS, Calibration, Rubric, load_rubric  # noqa: E402
from simulator.evaluation.scoring import Evaluation, evaluate_readings, read_transcript  # noqa: E402
from simulator.evaluation.transcript import load_transcript  # noqa: E402

KEYS = ("presence", "active_listening", "powerful_questions", "overall")
TEACHERS = "teacher-teacher"
# round 1's split, kept to name the files in the docs: tuned on the first, the second scored once
ROUND1_TUNE = ("01", "02", "05", "07", "08", "12", "14")
ROUND1_HOLDOUT = ("15", "17", "21", "22", "23", "24", "25")
SYNTHETIC = ("rated", "rated_2", "rated_3")  # tests/data/conversations/<set>: our own conversations, rated blind


def data_dir() -> Path | None:
    for p in (os.environ.get("PAMONG_REAL_TRANSCRIPTS"), ROOT.parent / "shared" / "data" / "real_transcripts"):
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


def load_kinds(where: Path) -> dict[str, str]:
    """file -> "teacher-teacher" or "other" (sources.tsv's kind)."""
    out = {}
    with (where / "sources.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["file"]] = TEACHERS if row["kind"].strip() == TEACHERS else "other"
    return out


EXTRA = (("rated_extra", None), ("rated_extra2", "fit"))  # beside the repo: (folder, half of SPLIT.tsv or None = all)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def extra_pool(root: Path = ROOT.parent) -> tuple[dict, dict, dict]:
    """The rated real transcripts beside the repo that scoring may be fitted on: every file of ../rated_extra and
    the fit half of ../rated_extra2 (their check half is never read here). Each is read through the document
    reader with the raters' coach given, so a reading slip does not count as a scoring one.
    Returns (ratings file -> rater -> key -> 1..4, kinds, data file -> (transcript, readings))."""
    from simulator.evaluation.document import read_document
    ratings: dict = defaultdict(dict)
    kinds, data = {}, {}
    for name, half in EXTRA:
        folder = root / name
        if not (folder / "FILES.tsv").exists():
            continue
        split = {r["item"]: r["half"] for r in _rows(folder / "SPLIT.tsv")} if (folder / "SPLIT.tsv").exists() else {}
        raters = {p.stem: {r["item"]: r for r in _rows(p)} for p in sorted(folder.glob("T*.tsv"))}
        for it in _rows(folder / "FILES.tsv"):
            if half is not None and split.get(it["item"]) != half:
                continue
            doc = read_document((folder / it["file"]).read_bytes(), name=it["item"],
                                coach=it["coach_label"].strip("[] "))
            key = f"{name}/{it['item']}"
            data[key] = (doc.transcript, read_transcript(doc.transcript))
            kinds[key] = TEACHERS if "teacher-teacher" in it.get("kind", "") else "other"
            for rater, got in raters.items():
                if it["item"] in got:
                    ratings[key][rater] = {k: int(got[it["item"]][k]) for k in KEYS}
    return dict(ratings), kinds, data


def human_means(ratings, files) -> dict[str, dict[str, float]]:
    return {f: {k: statistics.mean(r[k] for r in ratings[f].values()) for k in KEYS} for f in files}


def read_files(where: Path, files) -> dict:
    """file -> (transcript, readings): the reader runs once; every fit below reuses its readings."""
    out = {}
    for f in files:
        t = load_transcript(where / "clean" / f"{f}.txt")
        out[f] = (t, read_transcript(t))
    return out


def pamong_scores(where: Path, files, rubric) -> dict[str, dict[str, tuple[float, int]]]:
    """file -> key -> (unrounded score, 1-4 score), with the rubric as it is (its calibration fitted on all 14)."""
    data = read_files(where, files)
    return {f: _scores(evaluate_readings(t, rd, rubric)) for f, (t, rd) in data.items()}


def _scores(ev: Evaluation) -> dict[str, tuple[float, int]]:
    out = {k: (ev.dimensions[k].raw, ev.dimensions[k].score) for k in DIMENSIONS}
    out["overall"] = (ev.overall_raw, ev.overall)
    return out


def _pearson(a, b) -> float:
    try:
        return statistics.correlation(a, b)
    except statistics.StatisticsError:  # a constant series
        return float("nan")


# ---------------------------------------------------------------- calibration methods

def plain(rubric: Rubric) -> Rubric:
    rb = rubric.model_copy(deep=True)
    for k in DIMENSIONS:
        rb.dimensions[k].calibration = None
    rb.overall.calibration = None
    return rb


def _shift(d: float, label: str) -> Calibration:
    return Calibration(points=[(1.0, round(1 + d, 3)), (4.0, round(4 + d, 3))], fitted_on=label)


def _line(xs, ys, shrink: float, label: str) -> Calibration:
    """Moment matching (the trainers' mean and SD), the slope shrunk toward 1 by `shrink` (0: a shift only)."""
    mx, my, sx, sy = statistics.mean(xs), statistics.mean(ys), statistics.pstdev(xs), statistics.pstdev(ys)
    slope = 1 + (1 - shrink) * ((sy / sx if sx else 1.0) - 1)
    return Calibration(points=[(1.0, round(my + (1 - mx) * slope, 3)), (4.0, round(my + (4 - mx) * slope, 3))],
                       fitted_on=f"{label}; slope {slope:.2f}")


# Each method: how many numbers it fits, and how. "shift" moves each dimension to the trainers' mean (3 numbers;
# the overall, a weighted mean of the shifted dimensions, follows). "shift-pooled" fits the same shifts on the
# real files AND our 40 synthetic rated conversations (each set weighted as much as the real files), so one odd
# real file moves them less; "shift-needed" applies that shift only to a dimension whose bias on the real files is
# beyond the issue's ±0.25. "stretch" is round 1's moment matching of mean and SD (8 numbers); "stretch-half"
# shrinks its slopes halfway toward 1.
METHODS = {"none": "no calibration (nothing fitted)",
           "shift": "shift per dimension (3 numbers)",
           "shift-pooled": "shift per dimension, real + synthetic rated sets (3 numbers)",
           "shift-needed": "pooled shift, only where the real files' bias is beyond the issue's ±0.25 (0-3 numbers)",
           "stretch-half": "mean and SD, slopes shrunk halfway to 1 (8 numbers)",
           "stretch": "mean and SD per dimension and overall, round 1's form (8 numbers)"}


BIAS_TOLERANCE = 0.25  # the issue's target for the bias; "shift-needed" calibrates only a dimension beyond it


def synthetic_offsets(rubric: Rubric) -> dict[str, list[float]]:
    """Per dimension, trainer-author rating minus Pamong's uncalibrated score on our own rated conversations."""
    import yaml
    rb = plain(rubric)
    out: dict[str, list[float]] = defaultdict(list)
    for folder in SYNTHETIC:
        where = ROOT / "tests" / "data" / "conversations" / folder
        ratings = yaml.safe_load((where / "ratings.yaml").read_text(encoding="utf-8"))
        for name in sorted(ratings):
            t = load_transcript(where / f"{name}.txt")
            ev = evaluate_readings(t, read_transcript(t), rb)
            for k in DIMENSIONS:
                out[k].append(ratings[name][k] - ev.dimensions[k].raw)
    return dict(out)


def fit(method: str, train, data, plain_ev: dict[str, Evaluation], human, rubric: Rubric,
        synthetic: dict[str, list[float]] | None = None) -> Rubric:
    """The rubric with calibration maps fitted by `method` on the `train` files only."""
    rb = plain(rubric)
    if method == "none":
        return rb
    label = f"real transcripts ({len(train)} files)"
    for k in DIMENSIONS:
        xs = [plain_ev[f].dimensions[k].raw for f in train]
        ys = [human[f][k] for f in train]
        if method == "shift":
            rb.dimensions[k].calibration = _shift(statistics.mean(ys) - statistics.mean(xs), f"{label}; {k}; shift")
        elif method in ("shift-pooled", "shift-needed"):
            real = statistics.mean(ys) - statistics.mean(xs)
            if method == "shift-needed" and abs(real) <= BIAS_TOLERANCE:
                continue  # within the issue's tolerance already: nothing to fit
            synth = statistics.mean((synthetic or {}).get(k) or [real])
            rb.dimensions[k].calibration = _shift((real + synth) / 2,
                                                  f"{label} and 40 synthetic rated conversations; {k}; shift")
        else:
            rb.dimensions[k].calibration = _line(xs, ys, 0.5 if method == "stretch-half" else 0.0, f"{label}; {k}")
    if method.startswith("stretch"):
        ev = {f: evaluate_readings(*data[f], rb) for f in train}
        rb.overall.calibration = _line([ev[f].overall_raw for f in train], [human[f]["overall"] for f in train],
                                       0.5 if method == "stretch-half" else 0.0, f"{label}; overall")
    return rb


def leave_one_out(method: str, files, data, plain_ev, human, rubric, synthetic=None) -> dict:
    """file -> key -> (unrounded, 1-4): each file scored by maps fitted on the other files."""
    out = {}
    for f in files:
        rb = fit(method, [g for g in files if g != f], data, plain_ev, human, rubric, synthetic)
        out[f] = _scores(evaluate_readings(*data[f], rb))
    return out


# ---------------------------------------------------------------- agreement

def agreement(files, human, scores) -> dict[str, dict[str, float]]:
    out = {}
    for k in KEYS:
        h = [human[f][k] for f in files]
        raw = [scores[f][k][0] for f in files]
        lvl = [scores[f][k][1] for f in files]
        sd_h = statistics.pstdev(h)
        out[k] = {"n": len(files), "pearson": round(_pearson(raw, h), 3),
                  "bias": round(statistics.mean(p - x for p, x in zip(raw, h, strict=True)), 3),
                  "bias_level": round(statistics.mean(p - x for p, x in zip(lvl, h, strict=True)), 3),
                  "sd_ratio": round(statistics.pstdev(raw) / sd_h, 3) if sd_h else float("nan"),
                  "within_half": sum(abs(p - x) <= 0.5 for p, x in zip(lvl, h, strict=True))}
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


def shipped_method(rubric: Rubric) -> str:
    """Which METHOD the rubric's maps have the form of (the bench cross-validates that form)."""
    cals = [rubric.dimensions[k].calibration for k in DIMENSIONS]
    if not any(cals) and not rubric.overall.calibration:
        return "none"
    slopes = [(c.points[-1][1] - c.points[0][1]) / (c.points[-1][0] - c.points[0][0]) for c in cals if c]
    if not rubric.overall.calibration and all(abs(s - 1) < 1e-6 for s in slopes):
        if not any("synthetic" in c.fitted_on for c in cals if c):
            return "shift"
        return "shift-needed" if not all(cals) else "shift-pooled"
    return "stretch"


def tables(shipped: str, per_kind: dict, methods: dict, rest: dict, n: int) -> str:
    lines = [f"Leave-one-out, calibration `{shipped}` ({METHODS[shipped]}): each file scored with maps fitted on "
             f"the other {n - 1}.", "",
             "| material | score | n | Pearson | bias (unrounded) | bias (1-4 score) | SD ratio | 1-4 score within 0.5 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, res in per_kind.items():
        for k in KEYS:
            r = res[k]
            lines.append(f"| {name} | {k} | {r['n']} | {r['pearson']:.2f} | {r['bias']:+.2f} | {r['bias_level']:+.2f} | "
                         f"{r['sd_ratio']:.2f} | {r['within_half']} of {r['n']} |")
    lines += ["", f"Every calibration method, leave-one-out on all {n} (Pearson / bias / SD ratio of the unrounded "
              "score):", "", "| method | " + " | ".join(KEYS) + " |", "|---|" + "---|" * len(KEYS)]
    for m, res in methods.items():
        lines.append(f"| {m}: {METHODS[m]} | " + " | ".join(
            f"{res[k]['pearson']:.2f} / {res[k]['bias']:+.2f} / {res[k]['sd_ratio']:.2f}" for k in KEYS) + " |")
    raters = sorted(next(iter(rest.values())))
    lines += ["", "Trainers among themselves (the 14 files of ../shared): each rater against the mean of the other "
              "two, Pearson",
              "", "| score | " + " | ".join(raters) + " |", "|---|" + "---|" * len(raters)]
    for k in KEYS:
        lines.append(f"| {k} | " + " | ".join(f"{rest[k][r]:.2f}" for r in raters) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rubric", default=DEFAULT_RUBRIC_ID)
    ap.add_argument("--show", action="store_true", help="per-file scores (leave-one-out) beside the trainers' mean")
    ap.add_argument("--fit", action="store_true",
                    help="print the maps of the shipped method (or --method) fitted on all files, to paste into the rubric")
    ap.add_argument("--only-shared", action="store_true",
                    help="the 14 files of ../shared only (without the rated folders beside the repo)")
    ap.add_argument("--method", choices=tuple(METHODS), default=None, help="the method to report (default: the "
                    "form of the rubric's maps)")
    ap.add_argument("--doc", default=str(DOC), help="docs page the tables are written into ('' for none)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "real_scores.json"))
    args = ap.parse_args(argv)
    where = data_dir()
    if where is None:
        print("real transcripts not found (../shared/data/real_transcripts): skipped")
        return 0
    rubric = load_rubric(args.rubric)
    ratings, kinds = load_ratings(where), load_kinds(where)
    shared = sorted(ratings)
    data = read_files(where, shared)
    if not args.only_shared:
        more_ratings, more_kinds, more_data = extra_pool()
        ratings, kinds, data = ratings | more_ratings, kinds | more_kinds, data | more_data
    files = sorted(ratings)
    human = human_means(ratings, files)
    base = plain(rubric)
    plain_ev = {f: evaluate_readings(*data[f], base) for f in files}
    synthetic = synthetic_offsets(rubric)
    shipped = args.method or shipped_method(rubric)
    if args.fit:
        rb = fit(shipped, files, data, plain_ev, human, rubric, synthetic)
        for k in DIMENSIONS:
            c = rb.dimensions[k].calibration
            print(f"  {k}: {c.model_dump() if c else None}")
        print(f"  overall: {rb.overall.calibration.model_dump() if rb.overall.calibration else None}")
        return 0
    loo = {m: leave_one_out(m, files, data, plain_ev, human, rubric, synthetic) for m in METHODS}
    methods = {m: agreement(files, human, s) for m, s in loo.items()}
    teachers = [f for f in files if kinds.get(f) == TEACHERS]
    groups = {f"all {len(files)}": files, "the 14 of ../shared": shared,
              f"beside the repo ({len(files) - len(shared)})": [f for f in files if f not in shared],
              f"teacher-teacher ({len(teachers)})": teachers,
              f"other kinds ({len(files) - len(teachers)})": [f for f in files if f not in teachers]}
    per_kind = {name: agreement(fs, human, loo[shipped]) for name, fs in groups.items() if len(fs) > 2}
    rest = rater_vs_rest(shared, ratings)
    if args.show:
        for f in files:
            s = loo[shipped][f]
            print(f, kinds.get(f, "?")[:7], "  ".join(f"{k[:4]} {s[k][0]:.2f}/{s[k][1]} vs {human[f][k]:.2f}"
                                                       for k in KEYS))
    out = tables(shipped, per_kind, methods, rest, len(files))
    print(f"## Pamong vs trainers on real transcripts (rubric `{rubric.id}`)\n\n{out}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"rubric": rubric.id, "shipped": shipped, "per_kind": per_kind,
                                          "methods": methods, "rater_vs_rest": rest, "loo_scores": loo},
                                         indent=2) + "\n", encoding="utf-8")
    if args.doc:
        write_section("real-scores-loo", out, doc=Path(args.doc))
        print(f"\nwritten: {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
