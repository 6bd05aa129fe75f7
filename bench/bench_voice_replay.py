"""The model voice with a capable model, measured on a blind panel's conversations (issue #11).

No capable model runs on this machine, so the model voice (simulator/coachee/model_voice.py) is measured with
replies recorded from capable models that saw only the voice's own request (the messages ChatModelVoice builds
for that turn: persona, state, unlocked notes, memories, reaction, examples, passages, the conversation so far):

    python bench/bench_voice_replay.py --export DIR [--panel bench/data/panels/15] [--only CONVERSATION ...]
        # DIR/prompts/<conversation>__<n>.txt: the request for each coach turn of the panel
    (each answering model writes DIR/<M>/<conversation>__<n>.txt: its reply)
    python bench/bench_voice_replay.py --replay DIR
        # DIR/pairs/: each turn's scripted reply and the model voice's, in a blind order, for raters (RATE.md)
    python bench/bench_voice_replay.py [--count DIR]
        # the raters' verdicts (DIR/ratings/<rater>.tsv) -> docs/coachee.md; DIR defaults to the round in the
        # repo (bench/data/voice_runs/15: our personas, helper-written turns and replies, nothing third-party)

The panel's conversations are replayed through the same code (the scripted replies come out as the raters saw
them), so every request holds the conversation the panel rater was in. A recorded reply goes through the model
voice's guard exactly as a live one: what the guard rejects is replaced by the scripted line, as in the app. The
conversation itself stays the panel's: each reply is judged as an answer to the coach's turn after that history.
The count also replays the round with the code as it is now and says how many replies still come out as rated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_scores import _rows  # noqa: E402
from docsfile import write_section  # noqa: E402

from simulator import offline  # noqa: E402
from simulator.coachee.model_voice import ChatModelVoice  # noqa: E402
from simulator.coachee.voices import ScriptedVoice  # noqa: E402
from simulator.models.chat import FakeChatModel  # noqa: E402
from simulator.session import Session  # noqa: E402

COACHEE_DOC = ROOT / "docs" / "coachee.md"
RATINGS = ("fit", "partly", "nonsequitur")


class _Both:
    """A voice that lets the model voice answer (kept aside) and the scripted voice speak, so the conversation
    stays the panel's."""

    def __init__(self) -> None:
        # the recorded reply, or a ModelError when there is none; a hosted model's context (the whole
        # conversation fits, as it would live)
        self.model = FakeChatModel(name="recorded", context=128_000)
        self.voice = ChatModelVoice(self.model, name="recorded")
        self.scripted = ScriptedVoice()
        self.last = None

    def say(self, *, persona, plan, state, history, lang, passages=(), memories=()):
        args = dict(persona=persona, plan=plan, state=state, history=history, lang=lang, passages=passages,
                    memories=memories)
        self.last = self.voice.say(**args)
        return self.scripted.say(**args)


def _conversations(panel: Path, only: list[str] | None) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(panel.glob("R*/*.tsv")):
        name = f"{path.parent.name}_{path.stem}"
        if not only or name in only:
            out.append((name, path))
    return out


def _session(path: Path, both: _Both) -> Session:
    pid, lang = path.stem.rsplit("_", 1)
    return Session(pid, lang, voice=both)


def _render(messages: list[dict]) -> str:
    names = {"system": "SYSTEM", "user": "USER (the coach)", "assistant": "ASSISTANT (you, earlier)"}
    return "".join(f"=== {names.get(m['role'], m['role'])} ===\n{m['content'].strip()}\n\n" for m in messages)


def export(where: Path, panel: Path, only: list[str] | None) -> int:
    (where / "prompts").mkdir(parents=True, exist_ok=True)
    n = same = 0
    for name, path in _conversations(panel, only):
        both = _Both()
        session = _session(path, both)
        for row in _rows(path):
            both.model.default = None
            result = session.coach_says(row["coach"])
            same += result.reply.strip() == row["coachee"].strip()
            (where / "prompts" / f"{name}__{int(row['n']):02d}.txt").write_text(_render(both.model.history[-1]),
                                                                               encoding="utf-8")
            n += 1
    print(f"bench_voice_replay: {n} requests written ({same} scripted replies as the panel saw them)")
    return 0


def _replayed(where: Path, panel: Path) -> list[dict]:
    """Every recorded reply through the model voice (and its guard), beside the scripted reply, turn by turn."""
    models = sorted(p for p in where.iterdir() if p.is_dir() and p.name not in ("prompts", "pairs", "ratings"))
    rows_out = []
    for name, path in _conversations(panel, None):
        turns = _rows(path)
        for m in models:
            if not any((m / f"{name}__{int(r['n']):02d}.txt").exists() for r in turns):
                continue
            both = _Both()
            session = _session(path, both)
            history = []
            for row in turns:
                f = m / f"{name}__{int(row['n']):02d}.txt"
                both.model.default = f.read_text(encoding="utf-8").strip() if f.exists() else None
                result = session.coach_says(row["coach"])
                model_reply = both.last.text if both.last and both.last.voice == "recorded" else None
                rows_out.append({"conversation": name, "model": m.name, "n": row["n"], "coach": row["coach"],
                                 "scripted": result.reply, "panel_rating": row["rating"],
                                 "recorded": both.model.default or "", "guard": "passed" if model_reply else
                                 (both.last.notice or "no reply") if both.last else "no reply",
                                 "model_voice": model_reply or result.reply, "history": list(history)})
                history += [("coach", row["coach"]), ("coachee", result.reply)]
    return rows_out


def replay(where: Path, panel: Path) -> int:
    rows_out = _replayed(where, panel)
    (where / "pairs").mkdir(exist_ok=True)
    (where / "pairs" / "replayed.json").write_text(json.dumps(rows_out, ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
    # blind packets: per conversation and model, each turn with its two candidate replies in a seeded order
    for key in sorted({(r["conversation"], r["model"]) for r in rows_out}):
        turns = [r for r in rows_out if (r["conversation"], r["model"]) == key]
        lines = [f"# Conversation {key[0]} / set {key[1]}", ""]
        for r in turns:
            first = int(hashlib.sha256(f"{key}|{r['n']}".encode()).hexdigest(), 16) % 2
            cands = [r["scripted"], r["model_voice"]] if first == 0 else [r["model_voice"], r["scripted"]]
            lines += [f"## Turn {r['n']}", "", "Conversation so far:"]
            lines += [f"- {who.upper()}: {text}" for who, text in r["history"]] or ["- (nothing yet)"]
            lines += ["", f"COACH (this turn): {r['coach']}", "", f"Reply X: {cands[0]}", "", f"Reply Y: {cands[1]}", ""]
        (where / "pairs" / f"{key[0]}__{key[1]}.md").write_text("\n".join(lines), encoding="utf-8")
    passed = sum(r["guard"] == "passed" for r in rows_out)
    print(f"bench_voice_replay: {len(rows_out)} turns replayed, {passed} model lines passed the guard; "
          f"packets in {where / 'pairs'}")
    return 0


def count(where: Path, panel: Path, doc: Path | None) -> int:
    rows = json.loads((where / "pairs" / "replayed.json").read_text(encoding="utf-8"))
    now = {(r["conversation"], r["model"], r["n"]): r for r in _replayed(where, panel)}
    same = sum(1 for r in rows if (k := now.get((r["conversation"], r["model"], r["n"]))) is not None
               and k["scripted"] == r["scripted"] and k["model_voice"] == r["model_voice"])
    by = {(r["conversation"], r["model"], str(r["n"])): r for r in rows}
    raters = sorted((where / "ratings").glob("*.tsv"))
    table = ["| rater | turns | scripted voice: fit / partly / non-sequitur | model voice: fit / partly / "
             "non-sequitur | model better / same / worse |", "|---|---|---|---|---|"]
    verdicts: dict[str, dict] = {}
    for f in raters:
        got = {"scripted": [], "model": [], "cmp": []}
        for r in _rows(f):
            row = by.get((r["conversation"], r["set"], str(int(r["turn"]))))
            if row is None:
                continue
            first = int(hashlib.sha256(f"{(row['conversation'], row['model'])}|{row['n']}".encode()).hexdigest(),
                        16) % 2
            scripted, model = (r["x"], r["y"]) if first == 0 else (r["y"], r["x"])
            got["scripted"].append(scripted)
            got["model"].append(model)
            got["cmp"].append(RATINGS.index(scripted) - RATINGS.index(model))
            verdicts.setdefault(f.stem, {})[(row["conversation"], row["model"], row["n"])] = (scripted, model)
        n = len(got["cmp"])
        if not n:
            continue

        def share(xs: list[str]) -> str:
            return " / ".join(f"{100 * xs.count(v) / len(xs):.0f}%" for v in RATINGS)

        better = sum(c > 0 for c in got["cmp"])
        worse = sum(c < 0 for c in got["cmp"])
        table.append(f"| {f.stem} | {n} | {share(got['scripted'])} | {share(got['model'])} | "
                     f"{better} / {n - better - worse} / {worse} |")
    passed = sum(r["guard"] == "passed" for r in rows)
    md = (f"{len(rows)} coach turns of the panel's conversations; the recorded model line passed the guard in "
          f"{passed} ({100 * passed / max(1, len(rows)):.0f}%), else the scripted line stands in (as in the app).\n\n"
          + "\n".join(table)
          + f"\n\nReplayed with the code as it is now, {same} of {len(rows)} turns give the replies the raters saw.")
    names = list(verdicts)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            common = set(verdicts[a]) & set(verdicts[b])
            if common:
                agree = sum(verdicts[a][k][j] == verdicts[b][k][j] for k in common for j in (0, 1))
                md += f"\n\n{a} and {b} gave the same verdict on {100 * agree / (2 * len(common)):.0f}% of " \
                      f"{2 * len(common)} replies."
    print(md)
    if doc:
        write_section("voice-replay", md, doc=doc)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--export", type=Path)
    ap.add_argument("--replay", type=Path)
    ap.add_argument("--count", type=Path)
    ap.add_argument("--panel", type=Path, default=ROOT / "bench" / "data" / "panels" / "15")
    ap.add_argument("--only", nargs="*", help="conversations (R54_guru_baru_id ...)")
    ap.add_argument("--doc", default=str(COACHEE_DOC))
    args = ap.parse_args(argv)
    offline.setup()
    if args.export:
        return export(args.export, args.panel, args.only)
    if args.replay:
        return replay(args.replay, args.panel)
    where = args.count or ROOT / "bench" / "data" / "voice_runs" / "15"
    if not (where / "pairs" / "replayed.json").exists():
        print(f"bench_voice_replay: no replayed turns under {where}; skipped")
        return 0
    return count(where, args.panel, Path(args.doc) if args.doc else None)


if __name__ == "__main__":
    raise SystemExit(main())
