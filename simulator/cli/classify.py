"""`pamong classify`: read coach turns given as JSON lines on stdin, one JSON line out per input.

Input lines: {"coach": "...", "coachee_before": "..."} (coachee_before optional; a bare JSON string is
taken as the coach turn). Output lines: {"acts": [...], "lang": ..., "questions": ..., "stacked": ...,
"leading": ..., "judgement": ..., "forward": ..., "tirta": ..., "key_words": [...], "keyword_overlap": ...,
"words": ..., "evidence": [[label, span], ...], "hint": ...}. A bad line gets {"error": "line N: ..."} and
processing continues; the exit status is 1 when any line was bad.
"""

from __future__ import annotations

import json
import sys

from simulator.errors import InputError
from simulator.reading.hints import hint_for
from simulator.reading.reader import read_turn


def register(subparsers) -> None:
    p = subparsers.add_parser("classify", help="read coach turns (JSON lines on stdin) into coaching acts",
                              description=__doc__.splitlines()[0])
    p.add_argument("--lang", choices=["auto", "id", "en"], default="auto",
                   help="language of the turns (default: detected per turn)")
    p.add_argument("--no-hint", action="store_true", help="leave out the live hint text")
    p.set_defaults(func=run)


def classify_line(line: str, n: int, lang: str = "auto", hint: bool = True) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"line {n}: not valid JSON ({exc.msg} at column {exc.colno})"}
    if isinstance(item, str):
        item = {"coach": item}
    if not isinstance(item, dict):
        return {"error": f"line {n}: expected an object like {{\"coach\": \"...\"}}"}
    coach, before = item.get("coach"), item.get("coachee_before", "")
    if not isinstance(coach, str):
        return {"error": f"line {n}: \"coach\" must be a string"}
    if before is None:
        before = ""
    if not isinstance(before, str):
        return {"error": f"line {n}: \"coachee_before\" must be a string"}
    r = read_turn(coach, before, lang)
    out = r.to_dict()
    out.pop("text")
    out["acts"] = list(r.acts)
    out["key_words"] = list(r.key_words)
    out["evidence"] = [list(e) for e in r.evidence]
    if hint:
        out["hint"] = hint_for(r, r.lang)
    return out


def run(args) -> int:
    if sys.stdin.isatty():
        raise InputError('classify reads JSON lines on stdin, e.g. echo \'{"coach": "Apa yang Ibu rasakan?"}\' | pamong classify')
    bad = 0
    for n, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        out = classify_line(line, n, args.lang, not args.no_hint)
        bad += "error" in out
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if bad else 0
