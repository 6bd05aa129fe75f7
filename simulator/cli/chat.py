"""`pamong chat --persona ID [--lang id|en] [--voice scripted|openai|local]`: a role-play in the terminal.

Type what you say as the coach. /end ends the session and shows the evaluation, /state shows the coachee's
hidden state (for facilitators), /help lists the commands. With a model voice the reply appears as it is
written, and the coachee half-knows the passages of the knowledge index (when one has been built). Non-
interactive: `pamong chat --persona ID --coach-turns FILE --json` reads one coach turn per line and prints
JSON with `turns` (speaker, text; coachee turns also `voice`, and `notice` when the scripted voice stood in)
and `states` (one per coach turn).

One turn per command (for raters holding an adaptive conversation):
`pamong chat --persona ID --lang id --state FILE.json --say "coach text"` prints only the coachee's reply; the
session is created in FILE.json on the first call and resumed from it on every later one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simulator.coachee.persona import get_persona
from simulator.coachee.voices import ScriptedVoice
from simulator.config import load_settings
from simulator.errors import InputError, SimulatorError
from simulator.session import Session

HELP = {
    "id": "Perintah: /end mengakhiri sesi dan menampilkan evaluasi, /state menampilkan keadaan tersembunyi "
          "coachee (untuk fasilitator), /help bantuan ini.",
    "en": "Commands: /end ends the session and shows the evaluation, /state shows the coachee's hidden state "
          "(for facilitators), /help this help.",
}
PROMPT = {"id": "Anda (coach)> ", "en": "You (coach)> "}


def register(subparsers) -> None:
    p = subparsers.add_parser("chat", help="role-play a coaching conversation in the terminal",
                              description=__doc__, formatter_class=_raw())
    p.add_argument("--persona", required=True, help="persona id (see `pamong personas`)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="session language (default id)")
    p.add_argument("--voice", choices=["scripted", "openai", "local"], default=None,
                   help="coachee voice (default: PAMONG_VOICE, else scripted)")
    p.add_argument("--coach-turns", metavar="FILE", help="read the coach turns from FILE, one per line ('-' = stdin)")
    p.add_argument("--json", action="store_true", help="with --coach-turns: print the session as JSON")
    p.add_argument("--seed", type=int, default=0, help="seed of the scripted voice (default 0)")
    p.add_argument("--say", metavar="TEXT", help="one coach turn: print only the coachee's reply (needs --state)")
    p.add_argument("--state", metavar="FILE", help="with --say: the session file to create or resume (JSON)")
    p.set_defaults(func=run)


def _raw():
    import argparse

    return argparse.RawDescriptionHelpFormatter


def make_voice(name: str, settings, seed: int = 0):
    """The voice by name: scripted here; openai/local through the model seam (simulator.models.chat)."""
    if name in (None, "", "scripted"):
        return ScriptedVoice(seed=seed)
    try:
        from simulator.coachee.model_voice import voice_from_settings
    except ImportError as exc:
        raise SimulatorError(f"voice {name} is not available ({exc}).") from None
    return voice_from_settings(settings.with_(voice=name))


def read_coach_turns(path: str) -> list[str]:
    if path == "-":
        text = sys.stdin.read()
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{p}: no such file — give a text file with one coach turn per line.")
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{p}: not UTF-8 text — save the coach turns as UTF-8.") from None
        except OSError as exc:
            raise InputError(f"{p}: cannot be read ({exc.strerror or exc}).") from None
    turns = [line.strip() for line in text.splitlines() if line.strip()]
    if not turns:
        raise InputError(f"{path}: no coach turns — write one coach turn per line.")
    return turns


def _turn_json(turn) -> dict:
    out = {"speaker": turn.speaker, "text": turn.text}
    if turn.speaker == "coachee" and getattr(turn, "voice", None):
        out["voice"] = turn.voice  # which voice spoke this line: the model, or the scripted stand-in
    if turn.notice:
        out["notice"] = turn.notice
    return out


def session_json(session: Session) -> dict:
    model = getattr(session.voice, "model_name", None)
    return {"session_id": session.id, "persona": session.persona.id, "lang": session.lang,
            "voice": getattr(session.voice, "name", None), **({"model": model} if model else {}),
            "turns": [_turn_json(t) for t in session.turns],
            "states": [s.to_dict() for s in session.states[1:]]}


def run(args) -> int:
    settings = load_settings(data_dir=args.data_dir)
    persona = get_persona(args.persona)
    voice = make_voice(args.voice or settings.voice, settings, args.seed)
    if args.say is not None or args.state:
        return _one_turn(args, persona, voice)
    # Only a model voice uses the passages; the scripted chat stays as fast and offline as it was.
    searcher = _searcher(settings) if getattr(voice, "streams", False) else None
    session = Session(persona, args.lang, voice, searcher=searcher)
    if args.coach_turns:
        for text in read_coach_turns(args.coach_turns):
            session.coach_says(text)
        if args.json:
            print(json.dumps(session_json(session), ensure_ascii=False, indent=2))
        else:
            print(_transcript_text(session))
        return 0
    if args.json:
        raise InputError("--json needs --coach-turns FILE (the interactive chat prints text).")
    return _interactive(session, settings)


def _one_turn(args, persona, voice) -> int:
    """--say TEXT --state FILE: create or resume the session in FILE, take one coach turn, print the reply."""
    if args.say is None or not args.state:
        raise InputError("--say and --state go together: --state FILE.json --say \"what the coach says\".")
    path = Path(args.state)
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a saved session ({exc}).") from None
        if not isinstance(data, dict):
            raise InputError(f"{path}: not a saved session.")
        if data.get("persona") != persona.id or data.get("lang", "id") != args.lang:
            raise InputError(f"{path} holds a session with {data.get('persona')} ({data.get('lang')}), not "
                             f"{persona.id} ({args.lang}): use another --state file.")
        session = Session.from_dict(data, voice=voice, persona=persona)
        session.respond()   # a turn left unanswered by an interrupted call is answered first
    else:
        session = Session(persona, args.lang, voice)
    result = session.coach_says(args.say)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(session.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)   # atomic: an interrupted call never leaves half a file
    print(result.reply)
    return 0


def _transcript_text(session: Session) -> str:
    name = session.persona.name(session.lang)
    coach = "Coach"
    return "\n".join(f"{coach if t.speaker == 'coach' else name}: {t.text}" for t in session.turns)


def _interactive(session: Session, settings) -> int:
    lang, persona = session.lang, session.persona
    print(f"== {persona.title(lang)} ==")
    print(persona.scenario(lang))
    print(("Latihan: " if lang == "id" else "Practise: ") + persona.practise(lang))
    label = getattr(session.voice, "label", getattr(session.voice, "name", "?"))
    print(f"[voice: {label}] {HELP[lang]}\n")
    while True:
        try:
            text = input(PROMPT[lang])
        except EOFError:
            print()
            text = "/end"
        command = text.strip().lower()
        if command in ("/end", "/quit", "/exit"):
            print(evaluation_text(session, settings))
            return 0
        if command == "/state":
            print(json.dumps(session.state.to_dict(), ensure_ascii=False, indent=2))
            continue
        if command in ("/help", "/?"):
            print(HELP[lang])
            continue
        try:
            result = _reply(session, text, f"{persona.name(lang)}: ")
        except InputError as exc:
            print(f"! {exc}")
            continue
        if result.hint:
            print(f"  (hint) {result.hint}")


def _reply(session: Session, text: str, prefix: str):
    """The coachee's reply, printed as the voice writes it. The voice only lets out sentences that passed
    its guard; if a later one fails, the scripted line replaces what was shown, after the notice."""
    if not getattr(session.voice, "streams", False) or not hasattr(session.voice, "stream"):
        result = session.coach_says(text)
        if result.notice:
            print(f"! {result.notice}")
        print(prefix + result.reply)
        return result
    shown, pending, result = "", None, None

    def show(upto: str) -> None:
        nonlocal shown
        if upto.startswith(shown) and upto != shown:
            print((prefix if not shown else "") + upto[len(shown):], end="", flush=True)
            shown = upto

    # The session yields the growing reply, then the final reply again, then the result: printing one item
    # behind keeps a scripted stand-in (which comes with a notice) from being printed as if streamed.
    for item in session.coach_says_stream(text):
        if isinstance(item, str):
            if pending is not None:
                show(pending)
            pending = item
        else:
            result = item
    if result.notice is None and result.reply.startswith(shown):
        show(result.reply)
        print()
    else:
        if shown:
            print()
        if result.notice:
            print(f"! {result.notice}")
        print(prefix + result.reply)
    return result


def evaluation_text(session: Session, settings=None) -> str:
    """The evaluation as Markdown (rubric + report modules), or plain statistics if they are unavailable."""
    if session.coach_turns == 0:
        return "(no coach turns)" if session.lang == "en" else "(belum ada giliran coach)"
    transcript = session.to_transcript()
    try:
        from simulator.evaluation.scoring import evaluate_readings
    except ImportError:
        return _statistics(session)
    readings = {i: t.reading for i, t in enumerate(session.turns) if t.speaker == "coach" and t.reading}
    evaluation = evaluate_readings(transcript, readings, searcher=_searcher(settings))
    try:
        from simulator.evaluation.report import to_markdown
    except ImportError:
        return json.dumps(evaluation.scores, indent=2) + "\n" + _statistics(session)
    return to_markdown(evaluation, session.lang)


def _searcher(settings):
    """The knowledge store for citations, when an index exists; None otherwise (the report says so)."""
    if settings is None or not settings.chroma_dir.exists():
        return None
    try:
        from simulator.retrieval.search import KnowledgeStore

        return KnowledgeStore(settings)
    except (ImportError, SimulatorError):
        return None


def _statistics(session: Session) -> str:
    state = session.state
    counts = state.count
    lines = [f"coach turns: {session.coach_turns}",
             f"open/closed/why questions: {counts('open_question')}/{counts('closed_question')}/"
             f"{counts('why_question')}",
             f"reflections: {counts('reflection')}, advice: {counts('advice')}",
             f"revealed: {', '.join(state.revealed) or '-'}; stage: {state.stage}",
             f"trust {state.trust:.2f}, openness {state.openness:.2f}, insight {state.insight:.2f}, "
             f"ownership {state.ownership:.2f}"]
    return "\n".join(lines)
