"""Whole-session benchmark for the evaluator (issue 3).

AnnoMI (../shared/data/annomi/AnnoMI-simple.csv): every transcript becomes a coaching transcript
(therapist -> coach, client -> coachee) and is scored with a rubric. We report the ROC AUC of the
active-listening score and of the overall score for high- versus low-quality sessions, separately for the
EVEN transcript ids (the half thresholds were tuned on) and the ODD ids (held out: never tuned on).
AUC is given for the 1-4 score a trainee sees (ties count one half) and for the unrounded score behind it.
Also: agreement with trainer-authors' 1-4 ratings of Indonesian conversations they wrote without seeing the
evaluator (tests/data/conversations/rated: 12, rated_2: 14, rated_3: 14), and the time to evaluate a 40-turn session (target < 100 ms), without retrieval.

    python bench/bench_sessions.py [--rubric ID] [--data PATH] [--out bench/results/sessions.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from simulator import offline  # noqa: E402

offline.setup()

from docsfile import VALIDITY, write_section  # noqa: E402

from simulator.evaluation.rubric import DEFAULT_RUBRIC_ID, load_rubric  # noqa: E402
from simulator.evaluation.scoring import evaluate, evaluate_readings  # noqa: E402
from simulator.evaluation.transcript import Transcript, Utterance, load_transcript  # noqa: E402
from simulator.reading.reader import Reading  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.csv"
if not DATA.exists():
    DATA = Path("/work/shared/data/annomi/AnnoMI-simple.csv")


def load_annomi(path: Path) -> dict[int, tuple[str, Transcript, dict[int, Reading]]]:
    """transcript id -> (quality, transcript, gold Readings from the human utterance labels)."""
    rows: dict[int, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[int(row["transcript_id"])].append(row)
    labels = {}
    per_utt = path.parent / "annomi_therapist_utterances.csv"
    if per_utt.exists():
        with per_utt.open(encoding="utf-8", newline="") as fh:
            labels = {(int(r["transcript_id"]), int(r["utterance_id"])): r for r in csv.DictReader(fh)}
    out = {}
    for tid, rs in rows.items():
        rs.sort(key=lambda r: int(r["utterance_id"]))
        turns, gold = [], {}
        for r in rs:
            text = r["utterance_text"].strip()
            if not text:
                continue
            if r["interlocutor"] == "therapist":
                gold[len(turns)] = _gold_reading(text, labels.get((tid, int(r["utterance_id"])), r))
            turns.append(Utterance("coach" if r["interlocutor"] == "therapist" else "coachee", text))
        out[tid] = (rs[0]["mi_quality"], Transcript(lang="en", turns=turns), gold)
    return out


def _gold_reading(text: str, label: dict) -> Reading:
    """The human (majority) label as a Reading: what the rubric does with a perfect per-utterance classifier."""
    behaviour = label.get("main_therapist_behaviour", "other")
    if behaviour == "question":
        acts: tuple[str, ...] = ("closed_question",) if label.get("question_subtype") == "closed" else ("open_question",)
    elif behaviour == "reflection":
        acts = ("reflection",)
    elif behaviour == "therapist_input" and label.get("therapist_input_subtype") == "advice":
        acts = ("advice",)
    else:
        acts = ("other",)
    return Reading(text=text, lang="en", acts=acts, questions=int(behaviour == "question"), words=len(text.split()))


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random high-quality session outscores a random low-quality one (ties: 1/2)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def score_half(data, parity: int, rubric, gold: bool = False) -> dict:
    scored = {"high": defaultdict(list), "low": defaultdict(list)}
    for tid, (quality, tr, gold_readings) in sorted(data.items()):
        if tid % 2 != parity or not tr.coach_indices():
            continue
        ev = evaluate_readings(tr, gold_readings, rubric) if gold else evaluate(tr, rubric)
        d = scored[quality]
        d["active_listening"].append(ev.dimensions["active_listening"].score)
        d["active_listening_raw"].append(ev.dimensions["active_listening"].raw)
        d["overall"].append(ev.overall)
        d["overall_raw"].append(ev.overall_raw)
        for k in ("presence", "powerful_questions"):
            d[k].append(ev.dimensions[k].score)
            d[k + "_raw"].append(ev.dimensions[k].raw)
    keys = ["active_listening", "active_listening_raw", "overall", "overall_raw", "presence", "presence_raw",
            "powerful_questions", "powerful_questions_raw"]
    return {"n_high": len(scored["high"]["overall"]), "n_low": len(scored["low"]["overall"]),
            **{f"auc_{k}": round(auc(scored["high"][k], scored["low"][k]), 3) for k in keys}}


RATED = {"rated": "set A (tuned on; first Pearson 0.93 / 0.95 / 0.84)",
         "rated_2": "set B (one report read; first Pearson 0.82 / 0.82 / 0.94)",
         "rated_3": "set C (written after every change, never read)"}


def rated_conversations(rubric, folder: str) -> dict:
    """Indonesian conversations written and rated 1-4 per dimension by a trainer-author who had not seen the
    evaluator (tests/data/conversations/<folder>): agreement of Pamong's scores with those ratings."""
    import yaml

    where = ROOT / "tests" / "data" / "conversations" / folder
    ratings = yaml.safe_load((where / "ratings.yaml").read_text(encoding="utf-8"))
    out = {}
    evs = {name: evaluate(load_transcript(where / f"{name}.txt"), rubric) for name in sorted(ratings)}
    for dim in ("presence", "active_listening", "powerful_questions"):
        human = [ratings[n][dim] for n in evs]
        score = [evs[n].dimensions[dim].score for n in evs]
        raw = [evs[n].dimensions[dim].raw for n in evs]
        uncal = [evs[n].dimensions[dim].uncalibrated for n in evs]
        out[dim] = {"n": len(human), "pearson_unrounded": round(statistics.correlation(human, raw), 3),
                    "pearson_uncalibrated": round(statistics.correlation(human, uncal), 3),
                    "exact": sum(h == s for h, s in zip(human, score, strict=True)),
                    "within_one": sum(abs(h - s) <= 1 for h, s in zip(human, score, strict=True)),
                    "mean_difference": round(statistics.mean(s - h for h, s in zip(human, score, strict=True)), 2)}
    return out


def time_40_turns(data, rubric, repeats: int = 20) -> dict:
    tr = next(t for tid, (_, t, _) in sorted(data.items()) if tid % 2 == 0 and len(t.turns) >= 40)
    session = Transcript(lang="en", turns=tr.turns[:40])
    evaluate(session, rubric)  # warm the caches (lexicons, templates)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        evaluate(session, rubric)
        times.append((time.perf_counter() - t0) * 1000)
    return {"turns": 40, "median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rubric", default=DEFAULT_RUBRIC_ID)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "sessions.json"))
    ap.add_argument("--doc", default=str(VALIDITY), help="docs page the tables are written into ('' for none)")
    args = ap.parse_args(argv)
    rubric = load_rubric(args.rubric)
    data = load_annomi(Path(args.data))
    even, odd = score_half(data, 0, rubric), score_half(data, 1, rubric)
    gold_even, gold_odd = score_half(data, 0, rubric, gold=True), score_half(data, 1, rubric, gold=True)
    speed = time_40_turns(data, rubric)
    rated = {folder: rated_conversations(rubric, folder) for folder in RATED}
    result = {"rubric": rubric.id, "dataset": "AnnoMI-simple.csv (high vs low MI quality)",
              "even_tuning": even, "odd_held_out": odd, "speed": speed,
              "with_human_utterance_labels": {"even_tuning": gold_even, "odd_held_out": gold_odd},
              "indonesian_rated_conversations": rated,
              "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"}
    lines: list[str] = []
    emit = lines.append  # the tables go to stdout and into the docs page
    emit(f"## Evaluator on AnnoMI whole sessions (rubric `{rubric.id}`)\n")
    emit("| half | sessions (high/low) | AUC active listening | (unrounded) | AUC overall | (unrounded) |")
    emit("|---|---|---|---|---|---|")
    for name, r in (("EVEN (tuning)", even), ("ODD (held out)", odd),
                    ("EVEN, human utterance labels", gold_even), ("ODD, human utterance labels", gold_odd)):
        emit(f"| {name} | {r['n_high']}/{r['n_low']} | {r['auc_active_listening']:.3f} | "
              f"{r['auc_active_listening_raw']:.3f} | {r['auc_overall']:.3f} | {r['auc_overall_raw']:.3f} |")
    emit("\n## Indonesian conversations rated blind by trainer-authors (tests/data/conversations/rated*)\n")
    emit("| set | dimension | n | Pearson (unrounded) | (before calibration) | same level | within one level | "
          "Pamong minus rater |")
    emit("|---|---|---|---|---|---|---|---|")
    for folder, dims in rated.items():
        for dim, r in dims.items():
            emit(f"| {RATED[folder]} | {dim} | {r['n']} | {r['pearson_unrounded']:.2f} | {r['pearson_uncalibrated']:.2f} | "
                  f"{r['exact']} | {r['within_one']} | {r['mean_difference']:+.2f} |")
    emit(f"\n40-turn session: median {speed['median_ms']} ms, max {speed['max_ms']} ms (target < 100 ms)")
    text = "\n".join(lines)
    print(text)
    if args.doc:
        write_section("sessions", text, doc=Path(args.doc))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
