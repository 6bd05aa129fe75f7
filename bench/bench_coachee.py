"""Does the scripted coachee answer what was asked? Per persona and language, with the shipped memories:

- fact probes written from each persona's CARD (bench/coachee_probes.py), asked once the presenting problem is on
  the table: answered with the right fact (target >= 95% per persona);
- ordinary moves (repeat, clarify, small talk, thanks, goodbye, a joke, a question about the coach, a greeting by
  time of day, noise, a name): recognised, answered in kind, state unchanged;
- verbatim repeats in 20-turn sessions that re-ask and re-say things (target 0);
- canned-turn gaming: one well-formed "summary + question" turn sent 12 times (target: the core never opens);
- the core before the difficulty's floor with a good, engaging coach (target 0), and whether it gets there;
- p95 latency of a scripted turn with retrieval (index warm; target < 50 ms).

Prints Markdown, writes bench/results/coachee.json and the figures block of docs/coachee.md.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from simulator import offline  # noqa: E402

offline.setup()

from coachee_probes import PROBES  # noqa: E402
from docsfile import write_section  # noqa: E402
from test_session_personas import CANNED, FLOOR, OPENING, address, good_conversation, greeting, reflection  # noqa: E402

from simulator.coachee.memory import load_memory, memory_index  # noqa: E402
from simulator.coachee.persona import load_personas  # noqa: E402
from simulator.coachee.said import lower_words, strip_again  # noqa: E402
from simulator.coachee.state import VALUES  # noqa: E402
from simulator.session import Session  # noqa: E402

ORDINARY = {
    "id": [("Bisa diulang?", "repeat"), ("Maksudnya bagaimana?", "clarify"), ("Apa kabar hari ini?", "small_talk"),
           ("Terima kasih, ya.", "thanks"), ("haha", "humour"), ("Menurut {a}, saya ini bagaimana sebagai coach?",
                                                                "about_coach"),
           ("???", "noise"), ("{name}?", "name_only"), ("Selamat malam, {name}.", "greeting"),
           ("Terima kasih, sampai jumpa", "goodbye")],
    "en": [("Sorry, could you say that again?", "repeat"), ("What do you mean?", "clarify"),
           ("How are you today?", "small_talk"), ("Thank you.", "thanks"), ("haha", "humour"),
           ("What do you think of me as a coach?", "about_coach"), ("???", "noise"), ("{name}?", "name_only"),
           ("Good evening, {name}.", "greeting"), ("Thanks, see you next week!", "goodbye")],
}
REASK = {"id": ["Bisa diulang?", "Terima kasih.", "Apa yang {a} rasakan?", "Mengapa begitu?", "haha",
                "Bisa diulang?", "Apa yang {a} rasakan?", "Mengapa begitu?", "Terima kasih.", "haha",
                "Maksudnya bagaimana?", "Apa yang {a} rasakan?", "Bisa diulang?"],
         "en": ["Could you say that again?", "Thank you.", "How do you feel?", "Why is that?", "haha",
                "Could you say that again?", "How do you feel?", "Why is that?", "Thank you.", "haha",
                "What do you mean?", "How do you feel?", "Could you say that again?"]}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def opened(persona, lang) -> Session:
    """A session where the presenting problem is on the table (the surface layer open)."""
    s = Session(persona, lang)
    a = address(persona, lang)
    s.coach_says(greeting(persona, lang))
    reply = s.coach_says(OPENING[lang].format(a=a)).reply
    i = 0
    while "surface" not in s.state.revealed and i < 4:
        said, k = reflection(persona, reply, lang, i)
        reply = s.coach_says(f"{said} " + ("Bagaimana {k} itu bagi {a}?" if lang == "id" else
                                           "How is '{k}' for you?").format(k=k, a=a)).reply
        i += 1
    return s


def fact_probes(persona, lang, latencies) -> tuple[int, int, list[str]]:
    right, misses = 0, []
    base = opened(persona, lang).to_dict()
    for question, expected in PROBES.get(persona.id, {}).get(lang, []):
        s = Session.from_dict(base, persona=persona)
        q = question.replace("Ibu", address(persona, lang)) if lang == "id" and persona.role != "student" else question
        t0 = time.perf_counter()
        reply = s.coach_says(q).reply
        latencies.append((time.perf_counter() - t0) * 1000)
        if any(e.lower() in reply.lower() for e in expected):
            right += 1
        else:
            misses.append(f"{q} -> {reply}")
    return right, len(PROBES.get(persona.id, {}).get(lang, [])), misses


# a name, not a word of a capitalised title ("Gaya Hidup Berkelanjutan", "Kearifan Lokal", "Secondary School")
_NAME = re.compile(r"(?<=[a-z,] )(?:(?:Bu|Pak|Mrs|Mr|Ms|Miss) )?([A-Z][a-z]{2,})\b(?! [A-Z])")
_IN_TITLE = re.compile(r"\b(?!(?:Bu|Pak|Mrs|Mr|Ms|Miss) $)[A-Z][a-z]+ $")
FOLLOW = {"id": "{name} itu siapa?", "en": "Who is {name}?"}


def follow_ups(persona, lang) -> tuple[int, int, list[str]]:
    """A question about a detail just mentioned: whenever a reply names someone, ask who that is; the answer must
    speak of them (not a line about something else)."""
    s = opened(persona, lang)
    ok = n = 0
    wrong = []
    own = set(persona.name(lang).split())
    for question, _ in PROBES.get(persona.id, {}).get(lang, []) + [(OPENING[lang].format(a=address(persona, lang)),
                                                                     [])]:
        reply = s.coach_says(question).reply
        names = [m.group(1) for m in _NAME.finditer(reply) if not _IN_TITLE.search(reply[:m.start(1)])]
        names = [m for m in names if m not in own and m.lower() not in _COMMON
                 and m.lower() not in lower_words(persona.id, lang)]   # a word also written in lower case: no name
        if not names:
            continue
        name = names[0]
        answer = s.coach_says(FOLLOW[lang].format(name=name)).reply
        n += 1
        if name.lower() in answer.lower():
            ok += 1
        else:
            wrong.append(f"{name}: {answer}")
    return ok, n, wrong


_COMMON = {"saya", "kami", "kelas", "year", "the", "sekolah", "bahasa", "indonesia", "inggris", "english",
           "matematika", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "monday", "tuesday",
           "wednesday", "thursday", "friday", "saturday", "sunday", "kurikulum", "merdeka", "guru", "penggerak",
           "platform", "whatsapp", "sma", "smp", "ipa", "ips", "indonesian", "state", "january", "february", "march",
           "april", "may", "june", "july", "august", "september", "october", "november", "december", "januari",
           "februari", "maret", "mei", "juni", "juli", "agustus", "oktober", "desember"}


def ordinary_moves(persona, lang) -> tuple[int, int, list[str]]:
    s = opened(persona, lang)
    s.coach_says("Muridnya ada berapa?" if lang == "id" else "How many students are there?")
    ok, wrong = 0, []
    name = persona.name(lang)
    for text, kind in ORDINARY[lang]:
        text = text.format(a=address(persona, lang), name=name)
        before = tuple(getattr(s.state, k) for k in VALUES), s.state.revealed
        last = s.last_coachee_text()
        r = s.coach_says(text)
        after = tuple(getattr(r.state, k) for k in VALUES), r.state.revealed
        good = r.plan.move == kind and after == before and r.reply.strip()
        if kind == "repeat":
            good = good and strip_again(last, lang)[1:] in r.reply   # ("Well, as I said, X" said again is X)
        if kind == "greeting":
            good = good and ("malam" in r.reply.lower() if lang == "id" else "evening" in r.reply.lower())
        if kind == "goodbye":
            good = good and r.state.ended
        ok += bool(good)
        if not good:
            wrong.append(f"{text} -> [{r.plan.move}] {r.reply}")
    return ok, len(ORDINARY[lang]), wrong


def repeats(persona, lang, latencies) -> tuple[int, int]:
    """20+ turns: a good start, then re-asks and re-said things; count verbatim repeated replies."""
    s = opened(persona, lang)
    a = address(persona, lang)
    for question, _ in PROBES.get(persona.id, {}).get(lang, [])[:3] * 2:
        t0 = time.perf_counter()
        s.coach_says(question.replace("Ibu", a) if lang == "id" and persona.role != "student" else question)
        latencies.append((time.perf_counter() - t0) * 1000)
    for text in REASK[lang]:
        t0 = time.perf_counter()
        s.coach_says(text.format(a=a))
        latencies.append((time.perf_counter() - t0) * 1000)
    replies = [t.text for t in s.turns if t.speaker == "coachee"]
    return len(replies) - len(set(replies)), len(replies)


def canned(persona, lang) -> bool:
    s = Session(persona, lang)
    s.coach_says(greeting(persona, lang))
    s.coach_says(OPENING[lang].format(a=address(persona, lang)))
    text = CANNED[lang].replace("Ibu", address(persona, lang))
    for _ in range(12):
        s.coach_says(text)
    return "core" in s.state.revealed


def good_coach(persona, lang, latencies) -> tuple[int | None, bool]:
    t0 = time.perf_counter()
    s = good_conversation(persona, lang)
    n = max(1, s.coach_turns)
    latencies.extend([(time.perf_counter() - t0) * 1000 / n] * n)
    core = next((st for st in s.states if "core" in st.revealed), None)
    return (core.depth if core else None), ("action_plan" in s.state.revealed)


def real_coach_turns() -> dict:
    """The coach's turns of the real transcripts (development half, third-party: read, never copied), played to a
    teacher persona: how often the coachee takes a turn as stacked questions (the reader's own flag beside it),
    and verbatim repeats."""
    for base in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        folder = base / "data" / "real_transcripts" / "clean"
        if folder.is_dir():
            break
    else:
        return {}
    from simulator.reading.reader import read_turn

    turns = stacked = reader_stacked = repeats = replies = 0
    for path in sorted(folder.glob("*.txt")):
        coach = [line.split(":", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.lower().startswith("coach:") and line.split(":", 1)[1].strip()]
        session = Session("pra_observasi_guru_matematika", "id")
        for text in coach:
            result = session.coach_says(text[:4000])
            turns += 1
            stacked += result.plan.reaction == "stacked"
            reader_stacked += read_turn(text, "", "id").stacked
        said = [t.text for t in session.turns if t.speaker == "coachee"]
        repeats += len(said) - len(set(said))
        replies += len(said)
    return {"turns": turns, "stacked": stacked, "reader_stacked": reader_stacked, "repeats": repeats,
            "replies": replies}


def main() -> int:
    personas = load_personas()
    rows, details, latencies = [], {}, []
    with_memory = [pid for pid in sorted(personas) if load_memory(pid) is not None]
    for pid in with_memory:   # warm every index first: the bench measures turns, not the one-off build
        for lang in personas[pid].languages:
            memory_index(load_memory(pid), lang).warm()
    for pid in with_memory:
        persona = personas[pid]
        for lang in persona.languages:
            f_ok, f_n, f_miss = fact_probes(persona, lang, latencies)
            o_ok, o_n, o_wrong = ordinary_moves(persona, lang)
            d_ok, d_n, d_wrong = follow_ups(persona, lang)
            rep, said = repeats(persona, lang, latencies)
            gamed = canned(persona, lang)
            core_depth, plan = good_coach(persona, lang, latencies)
            early = core_depth is not None and core_depth < FLOOR[persona.difficulty]
            rows.append({"persona": pid, "lang": lang, "difficulty": persona.difficulty, "facts": f_ok,
                         "facts_n": f_n, "ordinary": o_ok, "ordinary_n": o_n, "detail": d_ok, "detail_n": d_n, "repeats": rep, "replies": said,
                         "canned_core": gamed, "core_depth": core_depth, "floor": FLOOR[persona.difficulty],
                         "core_early": early, "plan": plan})
            details[f"{pid}/{lang}"] = {"fact_misses": f_miss, "ordinary_wrong": o_wrong, "detail_wrong": d_wrong}
    missing = [pid for pid in sorted(personas) if pid not in with_memory]
    p50, p95 = statistics.median(latencies) if latencies else 0.0, pct(latencies, 95)
    real = real_coach_turns()
    md = table(rows, p50, p95, len(latencies), missing, real)
    print(md)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "coachee.json").write_text(json.dumps(
        {"rows": rows, "details": details, "latency_ms": {"p50": p50, "p95": p95, "n": len(latencies)},
         "without_memory": missing, "real_transcripts": real}, ensure_ascii=False, indent=1))
    write_doc(md)
    return 0


def table(rows, p50, p95, n, missing, real) -> str:
    def share(a, b):
        return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"

    out = ["### Scripted coachee: answering what was asked (bench/bench_coachee.py)", "",
           "| persona | lang | difficulty | card facts answered | 'who is X?' after X was named | ordinary moves | "
           "verbatim repeats | canned turn x12 opens core | core at coaching turn (floor) | owned plan |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        core = f"{r['core_depth']} ({r['floor']})" if r["core_depth"] is not None else f"never ({r['floor']})"
        out.append(f"| {r['persona']} | {r['lang']} | {r['difficulty']} | {share(r['facts'], r['facts_n'])} | "
                   f"{share(r['detail'], r['detail_n'])} | {share(r['ordinary'], r['ordinary_n'])} | {r['repeats']} of {r['replies']} | "
                   f"{'YES' if r['canned_core'] else 'no'} | {core}{' EARLY' if r['core_early'] else ''} | "
                   f"{'yes' if r['plan'] else 'no'} |")
    facts = sum(r["facts"] for r in rows), sum(r["facts_n"] for r in rows)
    ordinary = sum(r["ordinary"] for r in rows), sum(r["ordinary_n"] for r in rows)
    detail = sum(r["detail"] for r in rows), sum(r["detail_n"] for r in rows)
    out += ["", f"All: card facts {share(*facts)}; 'who is X?' about a name just said {share(*detail)}; "
                f"ordinary moves {share(*ordinary)}; verbatim repeats "
                f"{sum(r['repeats'] for r in rows)} in {sum(r['replies'] for r in rows)} replies; canned turn opened "
                f"the core in {sum(r['canned_core'] for r in rows)} of {len(rows)} persona-languages; core before the "
                f"floor {sum(r['core_early'] for r in rows)}; good coach reached the core in "
                f"{sum(r['core_depth'] is not None for r in rows)} of {len(rows)}.",
            f"Latency of a scripted turn with memory retrieval (index warm): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"over {n} turns."]
    if real:
        out.append(f"Real coach turns (the {real['turns']} coach turns of the development transcripts, played to "
                   f"pra_observasi_guru_matematika): taken as stacked questions {real['stacked']} times (the reader "
                   f"flags {real['reader_stacked']}); verbatim repeats {real['repeats']} in {real['replies']} replies.")
    if missing:
        out.append(f"Personas without a memory file (not measured): {', '.join(missing)}.")
    return "\n".join(out)


def write_doc(md: str) -> None:
    stamp = f"_Generated by `python bench/bench_coachee.py` on {time.strftime('%Y-%m-%d %H:%M')}; do not edit._"
    write_section("bench_coachee", f"{stamp}\n\n{md}", doc="coachee.md")


if __name__ == "__main__":
    sys.exit(main())
