"""Card facts asked in other people's words (issue #11: "factual questions about what the scenario card and
background say are answered with the right fact in >= 95% of probes, in Indonesian and English, for every
persona").

    python bench/bench_card_probes.py [--show-misses] [--doc docs/coachee.md]

bench/data/card_probes/<writer>.tsv: questions written by helpers who saw only the twelve cards (title, scenario,
background, presenting issue) — never the code, the memories or bench/coachee_probes.py — with the words a right
answer contains (`accept`, alternatives split by `|`) or, for a yes/no question, its true answer. Each question is
asked three ways: as the session's first turn, after a greeting, and once the presenting problem is on the table
(bench_coachee's `opened`). An open question is right when the reply holds one of its words; a yes/no question when
the reply starts with the true answer (and a "yes" does not deny it). `verdicts.tsv` holds two blind raters'
verdicts (right / held_back / wrong) on the replies the words did not match: a reply both call right counts as
right (the fact in other words, an implied yes or no), one both call held back is counted apart (a student who
will not talk about his father's illness yet), anything else is wrong. Replies nobody rated (the code changed
since) count by their words only: the table says how many.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from simulator import offline  # noqa: E402

offline.setup()

from bench_coachee import opened  # noqa: E402
from docsfile import write_section  # noqa: E402
from test_session_personas import greeting  # noqa: E402

from simulator.coachee.persona import load_personas  # noqa: E402
from simulator.session import Session  # noqa: E402

DATA = HERE / "data" / "card_probes"
CONTEXTS = ("first turn", "after a greeting", "problem on the table")
_LEAD = r"^\W*(?:(?:ah|oh|hmm+|mm+|eh|wah|well|uh|um|hm)\W+)?"
_YES = re.compile(_LEAD + r"(iya|ya|yes|yeah|yep|betul|benar|bener|sudah|udah|pernah|ada|right|that's right|correct|"
                  r"sure|of course|tentu|memang|he'?em|hm+,? iya|i do|i am|it is|it was|we do|they do)\b", re.I)
_NO = re.compile(_LEAD + r"(tidak|nggak|ngga|gak|enggak|bukan|belum|no|nope|not|nah|never|i don'?t|i'?m not|it'?s not|"
                 r"it isn'?t|it wasn'?t|they don'?t|we don'?t|kurang)\b", re.I)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r.get("question")]


def right(row: dict, reply: str) -> bool:
    if row["kind"] == "yesno":
        first = re.split(r"(?<=[.!?])\s", reply.strip(), maxsplit=1)[0]
        says_yes, says_no = bool(_YES.search(first)), bool(_NO.search(first))
        return says_yes and not says_no if row["accept"].strip().lower() == "yes" else says_no
    text = reply.lower()
    return any(a.strip().lower() in text for a in row["accept"].split("|") if a.strip())


def sessions(persona, lang: str) -> dict[str, dict]:
    first = Session(persona.id, lang).to_dict()
    greeted = Session(persona.id, lang)
    greeted.coach_says(greeting(persona, lang))
    return {CONTEXTS[0]: first, CONTEXTS[1]: greeted.to_dict(), CONTEXTS[2]: opened(persona, lang).to_dict()}


def verdicts() -> dict[tuple[str, str], tuple[str, str]]:
    path = DATA / "verdicts.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {(r["question"], r["reply"]): (r["r1"], r["r2"]) for r in csv.DictReader(fh, delimiter="\t")}


def measure() -> list[dict]:
    personas = load_personas()
    judged = verdicts()
    base: dict[tuple[str, str], dict] = {}
    rows = []
    for path in sorted(DATA.glob("[A-Z].tsv")):
        for probe in load(path):
            persona = personas[probe["persona"]]
            lang = probe["lang"]
            if (persona.id, lang) not in base:
                base[persona.id, lang] = sessions(persona, lang)
            for context, state in base[persona.id, lang].items():
                s = Session.from_dict(state, persona=persona)
                reply = s.coach_says(probe["question"]).reply
                ok = right(probe, reply)
                pair = judged.get((probe["question"], reply))
                rows.append({"writer": path.stem, "persona": persona.id, "lang": lang, "kind": probe["kind"],
                             "context": context, "question": probe["question"], "accept": probe["accept"],
                             "fact": probe["fact"], "reply": reply, "words": ok, "rated": pair,
                             "right": ok or pair == ("right", "right"),
                             "held": not ok and pair == ("held_back", "held_back")})
    return rows


def share(rows: list[dict]) -> str:
    n = len(rows)
    k = sum(r["right"] for r in rows)
    return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "-"


def tables(rows: list[dict]) -> str:
    out = ["| writer | context | language | open | yes/no | all |", "|---|---|---|---|---|---|"]
    for writer in sorted({r["writer"] for r in rows}):
        for context in CONTEXTS:
            for lang in ("id", "en"):
                sel = [r for r in rows if r["writer"] == writer and r["context"] == context and r["lang"] == lang]
                out.append(f"| {writer} | {context} | {lang} | {share([r for r in sel if r['kind'] == 'open'])} | "
                           f"{share([r for r in sel if r['kind'] == 'yesno'])} | {share(sel)} |")
    out += ["", "Per persona (all writers, contexts and languages):", "",
            "| persona | id | en | all |", "|---|---|---|---|"]
    by = defaultdict(list)
    for r in rows:
        by[r["persona"]].append(r)
    for persona in sorted(by):
        sel = by[persona]
        out.append(f"| {persona} | {share([r for r in sel if r['lang'] == 'id'])} | "
                   f"{share([r for r in sel if r['lang'] == 'en'])} | {share(sel)} |")
    out.append(f"| **all** | {share([r for r in rows if r['lang'] == 'id'])} | "
               f"{share([r for r in rows if r['lang'] == 'en'])} | {share(rows)} |")
    misses = [r for r in rows if not r["words"]]
    rated = [r for r in misses if r["rated"]]
    agree = sum(r["rated"][0] == r["rated"][1] for r in rated)
    out += ["", f"{len(rows)} answers; {len(misses)} did not hold the expected words, {len(rated)} of those rated "
            f"blind by two raters (they agreed on {agree}): {sum(r['right'] and not r['words'] for r in rows)} right in "
            f"other words, {sum(r['held'] for r in rows)} held back in character (counted as not right), "
            f"{len(misses) - len(rated)} not rated (counted by their words)."]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--misses-tsv", help="write the replies the words did not match (for blind raters)")
    ap.add_argument("--doc", default="coachee.md")
    args = ap.parse_args()
    rows = measure()
    md = tables(rows)
    print(md)
    if args.show_misses:
        for r in rows:
            if not r["right"]:
                print(f"[{r['writer']} {r['persona']}/{r['lang']} {r['context']}] {r['question']}\n"
                      f"   want {r['accept']!r} ({r['fact']})\n   got  {r['reply']}")
    if args.misses_tsv:
        with open(args.misses_tsv, "w", encoding="utf-8") as fh:
            fh.write("question\tfact\treply\n")
            seen = set()
            for r in rows:
                key = (r["question"], r["reply"])
                if not r["words"] and key not in seen:
                    seen.add(key)
                    fh.write(f"{r['question']}\t{r['fact']}\t{r['reply']}\n")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "card_probes.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    write_section("card-probes", md, args.doc)


if __name__ == "__main__":
    main()
