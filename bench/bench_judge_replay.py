"""The optional LLM judge on REAL transcripts, with recorded answers from capable models (issue #12).

No model a school can run offline judges coaching; this machine has none. So the judge path is measured with
answers recorded from capable models that saw only the judge's own request (the system and user messages that
simulator/evaluation/judge.py builds: rubric, transcript, automatic labels and scores) and nothing else:

    python bench/bench_judge_replay.py --export ../judge_runs      # writes ../judge_runs/prompts/<case>.txt
    (each answering model writes ../judge_runs/<M>/<case>.txt: its whole reply to that request)
    python bench/bench_judge_replay.py [--replay DIR ...]          # tables; docs/evaluator-validity.md section

The replay sends each recorded reply through `judge_evaluation` exactly as a live reply (the deterministic
FakeChatModel answering with the recording; the retry gets the same recording, so an unusable reply stays unusable), and compares
the judge's 1-4 scores and its overall with the raters' mean, beside Pamong's automatic scores on the same files.

Cases: the 14 of ../shared/data/real_transcripts (clean copies, three trainers) and the rated folders beside the
repo (../rated_extra, ../rated_extra2: the page as found, read with the raters' coach given; three or two blind
helper raters). All are third-party text: prompts and replies stay beside the repo, never in it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics as st
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_scores import KEYS, _pearson, _rows, data_dir, human_means, load_ratings  # noqa: E402
from docsfile import VALIDITY, write_section  # noqa: E402

from simulator import offline  # noqa: E402
from simulator.errors import ModelError  # noqa: E402
from simulator.evaluation.document import read_document  # noqa: E402
from simulator.evaluation.judge import (  # noqa: E402
    _coach_numbers,
    _result,
    build_messages,
    first_json_object,
    judge_evaluation,
    parse_reply,
)
from simulator.evaluation.rubric import load_rubric  # noqa: E402
from simulator.evaluation.scoring import evaluate  # noqa: E402
from simulator.evaluation.transcript import load_transcript  # noqa: E402
from simulator.models.chat import FakeChatModel  # noqa: E402

FOLDERS = ("rated_extra", "rated_extra2")


def cases(root: Path = ROOT.parent) -> dict[str, dict]:
    """case -> {"group", "transcript", "human": key -> raters' mean}."""
    out: dict[str, dict] = {}
    shared = data_dir()
    if shared is not None:
        ratings = load_ratings(shared)
        means = human_means(ratings, sorted(ratings))
        for f in sorted(ratings):
            out[f"shared-{f}"] = {"group": "shared 14 (trainers)",
                                  "transcript": load_transcript(shared / "clean" / f"{f}.txt"), "human": means[f]}
    for name in FOLDERS:
        folder = root / name
        if not (folder / "FILES.tsv").exists():
            continue
        split = {r["item"]: r["half"] for r in _rows(folder / "SPLIT.tsv")} if (folder / "SPLIT.tsv").exists() else {}
        raters = [{r["item"]: r for r in _rows(p)} for p in sorted(folder.glob("T*.tsv"))]
        for it in _rows(folder / "FILES.tsv"):
            got = [r[it["item"]] for r in raters if it["item"] in r]
            doc = read_document((folder / it["file"]).read_bytes(), name=it["item"],
                                coach=it["coach_label"].strip("[] "))
            half = split.get(it["item"])
            out[f"{name}-{it['item']}"] = {
                "group": f"{name}{' ' + half + ' half' if half else ''} (helper raters)",
                "transcript": doc.transcript,
                "human": {k: st.mean(float(g[k]) for g in got) for k in KEYS}}
    return out


def export(where: Path) -> int:
    rubric = load_rubric(None)
    (where / "prompts").mkdir(parents=True, exist_ok=True)
    n = 0
    for case, c in cases().items():
        ev = evaluate(c["transcript"], rubric)
        messages = build_messages(ev, c["transcript"], rubric, ev.lang)
        text = "".join(f"=== {m['role'].upper()} MESSAGE ===\n{m['content'].strip()}\n\n" for m in messages)
        (where / "prompts" / f"{case}.txt").write_text(text, encoding="utf-8")
        n += 1
    print(f"bench_judge_replay: {n} requests written to {where / 'prompts'}")
    return 0


def _stale(reply: str, ev, transcript, rubric, name: str):
    """A recording made for an earlier request whose improvements have changed since: its scores, validated as the
    judge validates them, with the improvements' feedback left out (None if it fails for any other reason)."""
    try:
        improvements = len(first_json_object(reply).get("improvements") or [])
        verdict = parse_reply(reply, high=rubric.max_level, coach_turns=_coach_numbers(transcript),
                              improvements=improvements)
    except Exception:  # noqa: BLE001 - unusable for a reason of its own
        return None
    return _result(verdict.model_copy(update={"improvements": []}), ev, rubric, ev.lang, name)


def _stats(rows: list[tuple[dict, dict]]) -> dict:
    out = {}
    for k in KEYS:
        p, h = [g[k] for g, _ in rows], [m[k] for _, m in rows]
        out[k] = {"r": _pearson(p, h) if len(p) > 2 else float("nan"),
                  "bias": st.mean(p) - st.mean(h) if p else float("nan"),
                  "sd": st.pstdev(p) / st.pstdev(h) if len(h) > 1 and st.pstdev(h) else float("nan")}
    return out


def _cells(s: dict) -> str:
    return " | ".join(f"{s[k]['r']:.2f} / {s[k]['bias']:+.2f} / {s[k]['sd']:.2f}" for k in KEYS)


def replay(runs: dict[str, Path], doc: Path | None) -> int:
    rubric = load_rubric(None)
    models = [(label, p) for label, where in runs.items()
              for p in sorted(where.iterdir()) if p.is_dir() and p.name != "prompts"]
    if not models:
        print(f"bench_judge_replay: no recorded replies under {', '.join(map(str, runs.values()))}; skipped")
        return 0
    all_cases = cases()
    judged: dict[str, dict[str, dict]] = {}   # "run: model" -> case -> key -> score
    auto: dict[str, dict] = {}
    unusable: dict[str, list[str]] = {}
    stale: dict[str, list[str]] = {}
    for case, c in all_cases.items():
        ev = evaluate(c["transcript"], rubric)
        auto[case] = {k: ev.dimensions[k].raw for k in KEYS[:3]} | {"overall": ev.overall_raw}
        for label, m in models:
            name = f"{label}: {m.name}"
            f = m / f"{case}.txt"
            if not f.exists():
                continue
            reply = f.read_text(encoding="utf-8")
            try:
                j = judge_evaluation(ev, c["transcript"], rubric, FakeChatModel(default=reply, name=m.name))
            except ModelError as exc:
                j = _stale(reply, ev, c["transcript"], rubric, m.name)
                if j is None:
                    unusable.setdefault(name, []).append(f"{case}: {str(exc)[:120]}")
                    continue
                stale.setdefault(name, []).append(case)
            judged.setdefault(name, {})[case] = {k: float(j.dimensions[k].score) for k in KEYS[:3]} \
                | {"overall": float(j.overall)}
    groups = sorted({c["group"] for c in all_cases.values()})
    lines = ["| model | cases | presence | active listening | powerful questions | overall |",
             "|---|---|---|---|---|---|"]

    def add(label: str, score_of: dict[str, dict], names: list[str]) -> None:
        rows = [(score_of[c], all_cases[c]["human"]) for c in names if c in score_of]
        if len(rows) > 2:
            lines.append(f"| {label} | {len(rows)} | {_cells(_stats(rows))} |")

    for g in [None, *groups]:
        names = [c for c, v in all_cases.items() if g is None or v["group"] == g]
        title = "all" if g is None else g
        lines.append(f"| **{title}** | | | | | |")
        add("Pamong, automatic (unrounded)", auto, names)
        for label in runs:
            mine = [m for m in judged if m.startswith(f"{label}: ")]
            for m in mine:
                add(f"judge ({m})", judged[m], names)
            if len(mine) >= 2:
                both = {c: {k: st.mean(judged[m][c][k] for m in mine) for k in KEYS}
                        for c in names if all(c in judged[m] for m in mine)}
                add(f"judge ({label}: mean of {len(mine)})", both, names)
    agree = []
    for label in runs:
        ms = [m for m in judged if m.startswith(f"{label}: ")]
        for a, b in itertools.combinations(ms, 2):
            common = [c for c in judged[a] if c in judged[b]]
            agree.append(f"{a} vs {b} ({len(common)} cases): " + ", ".join(
                f"{k} {_pearson([judged[a][c][k] for c in common], [judged[b][c][k] for c in common]):.2f}"
                for k in KEYS))
    md = ("Each cell: Pearson / bias / SD ratio against the raters' mean (the judge's 1-4 scores; Pamong's "
          "unrounded).\n\n" + "\n".join(lines))
    if agree:
        md += "\n\nThe recordings against each other (Pearson): " + "; ".join(agree) + "."
    for m, old in stale.items():
        md += (f"\n\n{m}: {len(old)} recordings answer an earlier request (the report's improvements changed since they "
               "were recorded); their scores are read as recorded, without the improvements' feedback.")
    for m, bad in unusable.items():
        md += f"\n\nUnusable replies from {m} ({len(bad)}): " + "; ".join(bad)
    print(md)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "judge_replay.json").write_text(
        json.dumps({"judged": judged, "auto": auto, "unusable": unusable}, indent=1), encoding="utf-8")
    if doc:
        write_section("judge-replay", md, doc=doc)
    return 0


RUNS = {"as shipped": "judge_runs",   # beside the repo: the judge's request as simulator/evaluation/judge.py builds it
        "no automatic labels or scores": "judge_runs2"}   # the same request without them (an A/B of anchoring)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--export", type=Path, help="write the judge's requests to DIR/prompts")
    ap.add_argument("--replay", type=Path, action="append", help="replay DIR/<model>/<case>.txt (repeatable)")
    ap.add_argument("--doc", default=str(VALIDITY), help="docs page to write the tables into ('' = don't)")
    args = ap.parse_args(argv)
    offline.setup()
    if args.export:
        return export(args.export)
    runs = {p.name: p for p in args.replay} if args.replay else \
        {label: ROOT.parent / name for label, name in RUNS.items() if (ROOT.parent / name).exists()}
    if not runs:
        print(f"bench_judge_replay: no recorded runs beside the repo ({', '.join(RUNS.values())}); skipped")
        return 0
    return replay(runs, Path(args.doc) if args.doc else None)


if __name__ == "__main__":
    raise SystemExit(main())
