"""`pamong evaluate TRANSCRIPT [--rubric ID|PATH] [--format json|md|html] [--lang id|en] [--out FILE]`:
score a coaching transcript (JSON or labelled text) and print or write the report."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import load_settings
from ..errors import InputError, ModelError, SimulatorError
from ..report import to_html, to_json, to_markdown
from ..rubric import DEFAULT_RUBRIC_ID, load_rubric
from ..scoring import evaluate
from ..transcript import load_transcript

RENDER = {"json": to_json, "md": to_markdown, "html": to_html}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="score a coaching transcript against a rubric",
        description="Score presence, active listening and powerful questions with evidence, what went well and "
                    "three improvements (with knowledge citations when the index exists). A transcript is JSON "
                    '{"lang": "id", "turns": [{"speaker": "coach", "text": "..."}]} or text with one turn per line '
                    "labelled Coach:/Coachee: (or Guru:, Rekan:, C:, K:, names).")
    parser.add_argument("transcript", help="path to the transcript (.json or .txt); - reads standard input")
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
        from ..retrieval import KnowledgeStore

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


def run(args) -> int:
    if args.transcript == "-":
        from ..transcript import parse_transcript

        transcript = parse_transcript(sys.stdin.buffer.read(), name="<stdin>")
    else:
        transcript = load_transcript(args.transcript)
    rubric = load_rubric(args.rubric)
    judge = None
    if args.judge:
        from ..judge import judge_from_settings

        judge = judge_from_settings(load_settings(data_dir=args.data_dir), rubric, lang=args.lang)  # no model: error
    evaluation = evaluate(transcript, rubric, searcher=_searcher(args))
    if judge is not None:
        from ..judge import unusable_note

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
