"""Benchmark the deterministic turn reader (simulator/reading/reader.py) against human labels.

    .venv/bin/python bench/bench_reading.py            # report: AnnoMI odd (held-out) half, ESConv, Welivita MI
    .venv/bin/python bench/bench_reading.py --split even --show 30   # development half, with mistakes shown
    .venv/bin/python bench/bench_reading.py --fit      # refit the English reader model on the EVEN half only

Data: /work/shared/data (or PAMONG_BENCH_DATA). Split rule from its README: rules are tuned ONLY on AnnoMI
transcripts with an EVEN transcript_id; the ODD half, ESConv and the Welivita MI gold set are report-only.

Mapping our acts onto AnnoMI's main therapist behaviour (decided on the even half, stated once here):
  - a turn with any question act (open/closed/why)                          -> question
    (also when a reflection comes first: AnnoMI labels "summary, then a question" mostly as question)
  - advice (including advice dressed as a question)                        -> therapist_input
  - reflection                                                             -> reflection
  - other noted as information, or with at least INFO_WORDS words           -> therapist_input
  - affirmation, greetings, short acknowledgements ("Okay.", "Mm-hmm.")     -> other
Open vs closed on AnnoMI question utterances: the last question act of the turn; why -> open (MITI counts
"why" questions as open); advice dressed as a question ("Have you tried ...?") -> closed.
The English reader's linear model (simulator/reading/lexicons/en.yaml, `model:`) is fitted by `--fit` on the EVEN half only
(logistic regression with L2, numpy; a transcript-grouped 2-fold cross-validation inside the even half is printed);
the gold classes are AnnoMI's main behaviours (therapist_input -> "input") and, for questions, open/closed.
Writes bench/results/reading.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from docsfile import VALIDITY, write_section  # noqa: E402

from simulator.reading.reader import QUESTION_ACTS, read_turn  # noqa: E402

DATA = Path(os.environ.get("PAMONG_BENCH_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
INFO_WORDS = 12
LAMBDA = 10.0  # L2 strength of the fitted reader model (chosen by 2-fold CV inside the even half)
MAIN = ("question", "reflection", "therapist_input", "other")


def to_main(r) -> str:
    if any(a in QUESTION_ACTS for a in r.acts):
        return "question"
    if "advice" in r.acts:
        return "therapist_input"
    if "reflection" in r.acts:
        return "reflection"
    if "other" in r.acts and (r.words >= INFO_WORDS or any(label == "information" for label, _ in r.evidence)):
        return "therapist_input"
    return "other"


def to_open_closed(r) -> str:
    qs = [label for label, _ in r.evidence if label in QUESTION_ACTS]  # evidence keeps every question in order
    if not qs:
        return "closed"
    return "closed" if qs[-1] == "closed_question" else "open"


def macro_f1(gold: list[str], pred: list[str], labels) -> tuple[float, dict]:
    per = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[lab] = {"precision": round(prec, 3), "recall": round(rec, 3),
                    "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0, "n": tp + fn}
    return round(sum(v["f1"] for v in per.values()) / len(labels), 3), per


def annomi(split: str, show: int = 0) -> dict:
    path = DATA / "annomi" / "annomi_therapist_utterances.csv"
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8"))
            if int(r["transcript_id"]) % 2 == (0 if split == "even" else 1)]
    gold_m, pred_m, gold_q, pred_q, wh_q = [], [], [], [], []
    # baseline: "open if the utterance contains a wh-word" (the data README's rule, 0.757 on all of AnnoMI)
    wh = re.compile(r"\b(what|how|why|when|where|who|which)\b", re.I)
    mistakes = Counter()
    examples: dict = {}
    for row in rows:
        r = read_turn(row["utterance_text"], row["prev_client_text"], lang="en")
        g, p = row["main_therapist_behaviour"], to_main(r)
        gold_m.append(g)
        pred_m.append(p)
        if g != p:
            mistakes[(g, p)] += 1
            examples.setdefault((g, p), []).append((row["utterance_text"], r.acts))
        if g == "question" and row["question_subtype"] in ("open", "closed"):
            gold_q.append(row["question_subtype"])
            pq = to_open_closed(r)
            pred_q.append(pq)
            wh_q.append("open" if wh.search(row["utterance_text"]) else "closed")
            if pq != row["question_subtype"]:
                examples.setdefault(("q", row["question_subtype"], pq), []).append((row["utterance_text"], r.acts))
    f1, per = macro_f1(gold_m, pred_m, MAIN)
    acc = sum(g == p for g, p in zip(gold_q, pred_q, strict=True)) / len(gold_q)
    wh_acc = sum(g == p for g, p in zip(gold_q, wh_q, strict=True)) / len(gold_q)
    if show:
        for key, exs in sorted(examples.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## gold/pred {key}: {len(exs)}")
            for text, a in exs[:show]:
                print(f"   {a}  {text[:160]!r}")
    return {"split": split, "utterances": len(rows), "main_macro_f1": f1, "main_per_label": per,
            "main_accuracy": round(sum(g == p for g, p in zip(gold_m, pred_m, strict=True)) / len(gold_m), 3),
            "open_closed_accuracy": round(acc, 3), "open_closed_n": len(gold_q),
            "wh_rule_open_closed_accuracy": round(wh_acc, 3)}


ESCONV_MAP = {  # ESConv strategy -> the act we should read (only labels that map onto ours)
    "Questions": "question",
    "Restatement or Paraphrasing": "reflection",
    "Reflection of feelings": "reflection",
    "Affirmation and Reassurance": "affirmation",
    "Providing Suggestions": "advice",
}


def _esconv_pred(r, want: str) -> bool:
    if want == "question":
        return any(a in QUESTION_ACTS for a in r.acts)
    return want in r.acts


def esconv() -> dict:
    path = DATA / "esconv" / "testWithStrategy_short.tsv"
    seen, per = set(), Counter()
    hits = Counter()
    for line in path.open(encoding="utf-8"):
        turns = line.rstrip("\n").split(" EOS ")
        last = turns[-1]
        m = re.match(r"^\S+ 1 \d+ \[([^\]]+)\] (.*)$", last)
        if not m:
            continue
        strategy, text = m.group(1), m.group(2).strip()
        prev = ""
        if len(turns) > 1:
            pm = re.match(r"^\S+ 0 \d+ (.*)$", turns[-2])
            prev = pm.group(1).strip() if pm else ""
        if strategy not in ESCONV_MAP or (text, strategy) in seen:
            continue
        seen.add((text, strategy))
        want = ESCONV_MAP[strategy]
        r = read_turn(text, prev, lang="en")
        per[strategy] += 1
        hits[strategy] += _esconv_pred(r, want)
    total = sum(per.values())
    return {"utterances": total, "accuracy": round(sum(hits.values()) / total, 3),
            "per_label": {k: {"n": per[k], "recall": round(hits[k] / per[k], 3)} for k in per},
            "note": "share of supporter turns whose ESConv strategy is among our acts (question / reflection / "
                    "affirmation / advice); unmapped strategies (self-disclosure, information, others) are left out"}


WELIVITA_MAP = {
    "Open Question": "open_question",
    "Closed Question": "closed_question",
    "Simple Reflection": "reflection",
    "Complex Reflection": "reflection",
    "Affirm": "affirmation",
    "Advise with Permission": "advice",
    "Advise without Permission": "advice",
    "Direct": "advice",
}


def welivita() -> dict:
    path = DATA / "welivita_mi" / "mi_gold_test_output.csv"
    per, hits = Counter(), Counter()
    for row in csv.DictReader(path.open(encoding="utf-8")):
        label = row["Ground truth"].strip()
        if label not in WELIVITA_MAP:
            continue
        r = read_turn(row["Text"], "", lang="en")
        want = WELIVITA_MAP[label]
        per[label] += 1
        if want in ("open_question", "closed_question"):
            hits[label] += bool(r.acts) and any(a in QUESTION_ACTS for a in r.acts) and (
                to_open_closed(r) == want.split("_")[0])
        else:
            hits[label] += want in r.acts
    total = sum(per.values())
    return {"sentences": total, "accuracy": round(sum(hits.values()) / total, 3),
            "per_label": {k: {"n": per[k], "recall": round(hits[k] / per[k], 3)} for k in sorted(per)},
            "note": "sentence read as the mapped act (open/closed question: a question of that type); "
                    "sentences are read without the client's turn, so reflections rely on openers only"}


def throughput() -> dict:
    path = DATA / "annomi" / "annomi_therapist_utterances.csv"
    rows = [(r["utterance_text"], r["prev_client_text"]) for r in csv.DictReader(path.open(encoding="utf-8"))]
    read_turn("warm up", "")
    # CPU time of this (single-threaded) process: the cost on one core, whatever else the machine is doing.
    best = wall = 0.0
    for _ in range(3):
        t0, w0 = time.process_time(), time.perf_counter()
        for text, prev in rows:
            read_turn(text, prev, lang="en")
        best = max(best, len(rows) / (time.process_time() - t0))
        wall = max(wall, len(rows) / (time.perf_counter() - w0))
    t0 = time.process_time()
    for text, prev in rows:
        read_turn(text, prev)  # with language detection
    auto = len(rows) / (time.process_time() - t0)
    words = sum(len(t.split()) for t, _ in rows) / len(rows)
    return {"utterances": len(rows), "mean_words": round(words, 1), "per_second": round(best),
            "per_second_wall_clock": round(wall), "load_average": os.getloadavg()[0],
            "per_second_auto_lang": round(auto), "cores": 1, "python": platform.python_version(),
            "machine": platform.processor() or platform.machine()}


def indonesian() -> dict:
    import yaml

    from simulator.reading.reader import ACTS
    data = yaml.safe_load((ROOT / "tests" / "data" / "id_utterances.yaml").read_text(encoding="utf-8"))
    out = {}
    for lang, items in data.items():
        tp, fp, fn = Counter(), Counter(), Counter()
        for it in items:
            got = set(read_turn(it["text"], it.get("coachee_before", "")).acts)
            gold = set(it["acts"])
            for a in ACTS:
                tp[a] += a in got and a in gold
                fp[a] += a in got and a not in gold
                fn[a] += a in gold and a not in got
        out[lang] = {"n": len(items), **{a: {"precision": round(tp[a] / max(tp[a] + fp[a], 1), 3),
                                             "recall": round(tp[a] / max(tp[a] + fn[a], 1), 3)} for a in ACTS}}
    return out


def fit(write: bool = False, lam: float = LAMBDA) -> dict:
    """Fit the reader's linear model (simulator/reading/lexicons/en.yaml, `model:`) on the EVEN AnnoMI half only.

    L2-regularised logistic regression (numpy, full-batch gradient descent) over the features
    `model_features` gives: the rules' own acts plus the lexicon's cues. The result is a few weights per cue.
    A transcript-grouped 2-fold cross-validation inside the even half is printed as an honest estimate.
    """
    import numpy as np
    import yaml

    path = DATA / "annomi" / "annomi_therapist_utterances.csv"
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if int(r["transcript_id"]) % 2 == 0]
    feats, main_y, oc_y, groups = [], [], [], []
    to_cls = {"question": "question", "reflection": "reflection", "therapist_input": "input", "other": "other"}
    for row in rows:
        f: dict = {}
        read_turn(row["utterance_text"], row["prev_client_text"], lang="en", model=False, features=f)
        feats.append(f)
        main_y.append(to_cls[row["main_therapist_behaviour"]])
        oc_y.append(row["question_subtype"] if row["main_therapist_behaviour"] == "question" else "")
        groups.append(int(row["transcript_id"]) // 2 % 2)
    names = sorted({k for f in feats for k in f})
    X = np.array([[f.get(n, 0.0) for n in names] for f in feats])
    groups = np.array(groups)

    def train(X, y, k, lam=1.0, steps=3000, lr=0.5):
        W, b = np.zeros((X.shape[1], k)), np.zeros(k)
        Y = np.eye(k)[y]
        for _ in range(steps):
            Z = X @ W + b
            Z -= Z.max(1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(1, keepdims=True)
            G = P - Y
            W -= lr * (X.T @ G / len(X) + lam * W / len(X))
            b -= lr * G.mean(0)
        return W, b

    def macro(y, p, k):
        f1s = []
        for c in range(k):
            tp, fp, fn = np.sum((y == c) & (p == c)), np.sum((y != c) & (p == c)), np.sum((y == c) & (p != c))
            f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
        return float(np.mean(f1s))

    out = {}
    for mname, classes, labels, mask in (
            ("main", ["question", "reflection", "input", "other"], main_y, np.ones(len(rows), bool)),
            ("open_closed", ["open", "closed"], oc_y, np.array([y in ("open", "closed") for y in oc_y]))):
        Xm = X[mask]
        y = np.array([classes.index(lab) for lab, m in zip(labels, mask, strict=True) if m])
        g = groups[mask]
        cv = []
        for fold in (0, 1):
            W, b = train(Xm[g != fold], y[g != fold], len(classes), lam)
            pred = (Xm[g == fold] @ W + b).argmax(1)
            cv.append((macro(y[g == fold], pred, len(classes)), float(np.mean(pred == y[g == fold]))))
        W, b = train(Xm, y, len(classes), lam)
        pred = (Xm @ W + b).argmax(1)
        print(f"{mname}: even fit macro-F1 {macro(y, pred, len(classes)):.3f} acc {np.mean(pred == y):.3f}; "
              f"2-fold CV inside even: " + ", ".join(f"F1 {a:.3f} acc {c:.3f}" for a, c in cv))
        out[mname] = {"classes": classes, "bias": [round(float(x), 2) for x in b],
                      "weights": {n: [round(float(x), 2) for x in W[i]] for i, n in enumerate(names)
                                  if np.abs(W[i]).max() >= 0.05}}
    if write:
        lex = ROOT / "simulator" / "reading" / "lexicons" / "en.yaml"
        text = lex.read_text(encoding="utf-8")
        head = text[: text.index("\n  main:\n") + 1]
        body = yaml.safe_dump({"main": out["main"], "open_closed": out["open_closed"]},
                              default_flow_style=None, sort_keys=False, width=110)
        lex.write_text(head + "".join("  " + line + "\n" for line in body.splitlines()), encoding="utf-8")
        print(f"wrote the fitted weights into {lex}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["odd", "even"], default="odd")
    ap.add_argument("--show", type=int, default=0, help="print N mistakes per confusion (even split only)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "reading.json"))
    ap.add_argument("--doc", default=str(VALIDITY), help="docs page the table is written into ('' for none)")
    ap.add_argument("--fit", action="store_true", help="fit the reader's linear model on the EVEN half and "
                    "write its weights into simulator/reading/lexicons/en.yaml")
    args = ap.parse_args(argv)
    if args.fit:
        fit(write=True)
        return 0
    if args.show and args.split != "even":
        ap.error("--show is for the development (even) half only")
    res = {"annomi": annomi(args.split, args.show)}
    if args.split == "odd":
        res["esconv"] = esconv()
        res["welivita_mi"] = welivita()
        res["labelled_set"] = indonesian()
    res["throughput"] = throughput()
    a, t = res["annomi"], res["throughput"]
    lines: list[str] = []
    emit = lines.append  # the table goes to stdout and into the docs page
    emit(f"\n| Reading coach turns ({args.split} AnnoMI half) | ours | reference |")
    emit("|---|---|---|")
    emit(f"| AnnoMI open vs closed accuracy (n={a['open_closed_n']}) | {a['open_closed_accuracy']:.3f} "
          f"| wh-word rule {a['wh_rule_open_closed_accuracy']:.3f}; target 0.85 |")
    emit(f"| AnnoMI main behaviour macro-F1 (n={a['utterances']}) | {a['main_macro_f1']:.3f} "
          f"| target 0.75; human kappa 0.74 |")
    for lab, v in a["main_per_label"].items():
        emit(f"| - {lab}: precision / recall | {v['precision']:.2f} / {v['recall']:.2f} | n={v['n']} |")
    if "esconv" in res:
        e, w = res["esconv"], res["welivita_mi"]
        emit(f"| ESConv test, mapped strategies read as our act (n={e['utterances']}) | {e['accuracy']:.3f} | report only |")
        for k, v in e["per_label"].items():
            emit(f"| - {k} | {v['recall']:.2f} | n={v['n']} |")
        emit(f"| Welivita MI gold, mapped labels (n={w['sentences']}) | {w['accuracy']:.3f} | report only |")
        for k, v in w["per_label"].items():
            emit(f"| - {k} | {v['recall']:.2f} | n={v['n']} |")
        for lang, v in res["labelled_set"].items():
            mp = sum(v[x]["precision"] for x in v if x != "n") / 7
            mr = sum(v[x]["recall"] for x in v if x != "n") / 7
            how = {"id_holdout": "written after tuning, never tuned on",
                   "en_holdout": "written blind by a second author after tuning, never tuned on; 0.85 / 0.84 before "
                                 "the third round",
                   "id_blind": "written blind by a second author; first score 0.82 / 0.81, since tuned on",
                   "id_blind_2": "written blind by a third author; first score 0.84 / 0.79, since tuned on",
                   "id_holdout_3": "written blind by a fourth author after the second round of tuning, never tuned on; "
                                   "0.85 / 0.87 before the third",
                   "id_blind_4": "written blind by a fifth author (praise); first score 0.81 / 0.81, since tuned on",
                   "id_blind_6": "written blind by a sixth author (why, reflections); first score 0.75 / 0.80, "
                                 "since tuned on",
                   "id_holdout_5": "written blind by a seventh author, never tuned on or read; first score 0.82 / 0.74",
                   }.get(lang, "written and tuned on by us")
            emit(f"| Our labelled set ({lang}, n={v['n']}): macro precision / recall | {mp:.2f} / {mr:.2f} "
                  f"| {how} |")
    emit(f"| Throughput, deterministic path, 1 core | {t['per_second']:,} utt/s "
          f"({t['per_second_auto_lang']:,} with language detection) | target 2,000 |")
    print("\n".join(lines))
    if args.split == "odd" and args.doc:
        write_section("reading", "\n".join(lines), doc=Path(args.doc))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.split == "odd":
        out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
