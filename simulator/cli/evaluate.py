"""`pamong evaluate TRANSCRIPT [--coach NAME] [--conversation N] [--rubric ID|PATH] [--format json|md|html]
[--lang id|en] [--out FILE]`: read a coaching transcript as found (JSON, labelled text, or a published script
with a title, a cast list, observers and odd labels), say who was read as the coach and why, then score it."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.config import load_settings
from simulator.errors import InputError, ModelError, SimulatorError
from simulator.evaluation.document import Document, DocumentError, read_document
from simulator.evaluation.report import to_html, to_json, to_markdown
from simulator.evaluation.rubric import DEFAULT_RUBRIC_ID, load_rubric
from simulator.evaluation.scoring import evaluate
from simulator.evaluation.transcript import read_transcript_bytes

RENDER = {"json": to_json, "md": to_markdown, "html": to_html}
ROLE_NAMES = {"id": {"coach": "coach", "coachee": "coachee", "observer": "pengamat", "other": "lainnya"},
              "en": {"coach": "coach", "coachee": "coachee", "observer": "observer", "other": "other"}}
HEAD = {"id": ("dibaca", "percakapan", "dari", "pembicara", "giliran", "disisihkan", "peringatan"),
        "en": ("read", "conversation", "of", "speakers", "turns", "set aside", "warning")}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="score a coaching transcript against a rubric",
        description="Read a transcript as found — JSON {\"lang\": \"id\", \"turns\": [{\"speaker\": \"coach\", "
                    "\"text\": \"...\"}]}, text labelled Coach:/Coachee: (or Guru:, Murid:, Konselor:, names), or a "
                    "published practice script with a title, cast list, observer talk and stage directions — print "
                    "who was read as the coach and why, what was set aside, then score presence, active listening "
                    "and powerful questions with evidence. When the coach cannot be told apart the command stops "
                    "with one line naming the speakers: choose with --coach.")
    parser.add_argument("transcript", help="path to the transcript (.json or .txt); - reads standard input")
    parser.add_argument("--coach", metavar="NAME",
                        help="who is the coach: a speaker label or name as printed, or a unique beginning of it")
    parser.add_argument("--conversation", type=int, default=1, metavar="N",
                        help="which conversation to score when the document holds several (default 1)")
    parser.add_argument("--rubric", default=DEFAULT_RUBRIC_ID,
                        help=f"a rubric id from rubrics/ or a path to a rubric YAML file (default {DEFAULT_RUBRIC_ID})")
    parser.add_argument("--format", choices=sorted(RENDER), default="json", help="report format (default json)")
    parser.add_argument("--lang", choices=["id", "en"], help="report language (default: the transcript's)")
    parser.add_argument("--out", help="write the report to this file instead of standard output")
    parser.add_argument("--no-citations", action="store_true", help="do not search the knowledge index")
    parser.add_argument("--judge", action="store_true",
                        help="also ask the configured language model (OPENAI_API_KEY / OPENAI_BASE_URL / "
                             "PAMONG_MODEL, or PAMONG_VOICE=local) for a second opinion, shown beside the "
                             "automatic scores; if its answer is unusable the automatic report stands, with a note")
    parser.set_defaults(func=run)


def _searcher(args):
    """The knowledge store when it is usable; otherwise None and a note on stderr (never a failure)."""
    if args.no_citations:
        return None
    try:
        from simulator.retrieval.search import KnowledgeStore

        store = KnowledgeStore(load_settings(data_dir=args.data_dir))
        if store.count() == 0:
            print("pamong: note: the knowledge index is empty (run `pamong ingest`); "
                  "the report has no citations.", file=sys.stderr)
            return None
        return store
    except (SimulatorError, ImportError, OSError, RuntimeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"pamong: note: knowledge retrieval unavailable ({first}); the report has no citations.",
              file=sys.stderr)
        return None


def describe(doc: Document, lang: str) -> list[str]:
    """What was read, for a person: the speakers and their roles with evidence, what was set aside, warnings.
    Printed on standard error so that the report on standard output stays machine-readable."""
    read, conv, of, speakers, turns, aside, warning = HEAD[lang]
    lines = [f"pamong: {read} {doc.name}" + (f" — {conv} {doc.chosen + 1} {of} {doc.conversations}"
                                             if doc.conversations > 1 else "")]
    lines.append(f"  {speakers}:")
    for s in doc.speakers:
        lines.append(f"    {s.label} = {ROLE_NAMES[lang][s.role]} ({s.turns} {turns}; {s.evidence.get(lang)})")
    for item in doc.set_aside:
        lines.append(f"  {aside}: {item.get(lang)}")
    for item in doc.warnings:
        lines.append(f"  {warning}: {item.get(lang)}")
    return lines


def run(args) -> int:
    if args.transcript == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        data, name = read_transcript_bytes(args.transcript), args.transcript
    try:
        document = read_document(data, name=name, coach=args.coach, conversation=args.conversation - 1)
    except DocumentError as exc:
        # One line in the document's language (or the one asked for), never a half report.
        print(f"pamong: error: {exc.message.get(args.lang or exc.lang)}", file=sys.stderr)
        return 2
    transcript = document.transcript
    rubric = load_rubric(args.rubric)
    judge = None
    if args.judge:
        from simulator.evaluation.judge import judge_from_settings

        judge = judge_from_settings(load_settings(data_dir=args.data_dir), rubric, lang=args.lang)  # no model: error
    # Only once everything that can fail has been set up: an error stays the one line on standard error.
    print("\n".join(describe(document, args.lang or document.lang)), file=sys.stderr)
    evaluation = evaluate(transcript, rubric, searcher=_searcher(args))
    if judge is not None:
        from simulator.evaluation.judge import unusable_note

        try:
            evaluation = judge.refine(evaluation, transcript)
        except ModelError as exc:
            evaluation.notes.append(unusable_note(exc))
    for note in evaluation.notes:
        print(f"pamong: note: {note.get(args.lang or 'en')}", file=sys.stderr)
    text = RENDER[args.format](evaluation, args.lang)
    if args.out:
        try:
            Path(args.out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{args.out}: cannot write the report ({exc.strerror or exc})") from None
        print(f"report written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
