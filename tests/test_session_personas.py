"""Done-when for the coachee engine: for EVERY persona, in both languages, with the scripted voice and the real
reader, a well-coached conversation reaches the core insight and a coachee-owned action plan, while an
advice-and-"why" conversation does not.

The coach scripts are generic: the reflections are built from the coachee's last reply (its key words), so they
work for every persona and for personas added later."""

from __future__ import annotations

import re

import pytest

from simulator.coachee.memory import load_memory
from simulator.coachee.persona import Persona, load_personas
from simulator.session import Session
from simulator.vocabulary import LANGS

PERSONAS = load_personas()
CASES = [(pid, lang) for pid, p in sorted(PERSONAS.items()) for lang in LANGS if lang in p.languages]
ITEMS = ("surface", "underneath", "core", "goal", "action_plan")
MAX_TURNS = 24

# A good coach varies its words and builds every turn on what the coachee just said (RASA): a reflection with the
# coachee's own key words, then a question about one of them. {k} is the coachee's key word.
REFLECT = {"id": ["Jadi yang saya dengar, {kw} sedang {a} pikirkan.", "Saya menangkap bahwa {kw} terasa berat buat {a}.",
                  "Kedengarannya {kw} cukup menguras tenaga {a}.", "{A} tadi menyebut {kw}.",
                  "Sepertinya {kw} penting sekali buat {a}."],
           "en": ["So what I'm hearing is that {kw} are on your mind.", "It sounds like {kw} weigh on you.",
                  "You mentioned {kw}.", "I notice {kw} matter a lot to you.", "So {kw} have been taking a lot out of you."]}
ASK = {"id": ["Bagaimana {k} itu memengaruhi {a}?", "Apa yang paling {a} rasakan soal {k}?",
              "Apa arti {k} itu bagi {a}?", "Apa yang {a} sadari tentang {k} sekarang?",
              "Seperti apa {k} itu dalam keseharian {a}?", "Apa yang sebenarnya paling penting bagi {a} di balik {k}?"],
       "en": ["How does '{k}' affect you?", "What do you feel most about '{k}'?", "What does '{k}' mean to you?",
              "What are you noticing about '{k}' now?", "What is '{k}' like day to day for you?",
              "What matters most to you behind '{k}'?"]}
GOAL = {"id": ["Apa yang ingin {a} capai dari percakapan kita hari ini?", "Kalau percakapan ini berhasil, apa yang ingin {a} capai?",
               "Apa tujuan {a} untuk beberapa minggu ke depan?"],
        "en": ["What would you like to achieve from our conversation today?",
               "If this conversation went well, what would you like to achieve?", "What is your goal for the next few weeks?"]}
FORWARD = {"id": ["Langkah apa yang akan {a} ambil untuk mencapainya?", "Apa yang akan {a} lakukan pertama kali?",
                  "Rencana apa yang akan {a} jalankan minggu ini?", "Apa langkah kecil yang ingin {a} coba besok?"],
           "en": ["What steps will you take to get there?", "What will you do first?", "What plan will you carry out this week?",
                  "What small step would you like to try tomorrow?"]}
OPENING = {"id": "Bagaimana keadaan {a} akhir-akhir ini?", "en": "How have things been going lately?"}
CANNED = {"id": "Jadi Ibu merasa berat dan cemas. Apa yang paling penting bagi Ibu di sini?",
          "en": "So you feel it is heavy and you are anxious. What matters most to you here?"}
FLOOR = {"easy": 4, "medium": 6, "hard": 8}
BAD = {"id": ["Mengapa {a} membiarkan hal itu terjadi?", "Sebaiknya {a} lebih tegas saja.",
              "Kenapa tidak dari dulu dicoba?", "Bagaimana kalau {a} coba cara lain saja?",
              "Apakah {a} sudah mencoba?", "Langkah apa yang akan {a} ambil?", "Coba {a} buat jadwal yang lebih ketat.",
              "Mengapa {a} masih ragu?", "Saran saya, {a} minta bantuan kepala sekolah.", "Kapan {a} akan mulai?"],
       "en": ["Why did you let that happen?", "You should be firmer.", "Why didn't you try that earlier?",
              "Have you tried a different approach?", "Did you try it?", "What steps will you take?",
              "My advice is to make a stricter schedule.", "Why are you still unsure?",
              "I suggest you ask the principal for help.", "When will you start?"]}


def address(persona: Persona, lang: str) -> str:
    if lang == "en":
        return "you"
    if persona.role == "student":
        return "kamu"
    return "Bapak" if persona.name.id.startswith("Pak") else "Ibu"


def greeting(persona: Persona, lang: str) -> str:
    if lang == "id":
        return f"Selamat siang, {persona.name.id}. Terima kasih sudah meluangkan waktu untuk berbincang."
    return f"Good afternoon, {persona.name.en}. Thank you for making the time to talk."


def key_words(persona: Persona, reply: str, lang: str, n: int = 2) -> list[str]:
    """The coachee's words to reflect back: its authored key words found in the reply, else its longest words."""
    low = reply.lower()
    candidates: list[str] = []
    for item in ITEMS:
        source = getattr(persona.layers, item) if item in ("surface", "underneath", "core") else getattr(persona, item)
        candidates += source.keywords(lang)
    found = [k.lower() for k in candidates if k.lower() in low]
    words = sorted({w.lower() for w in re.findall(r"[^\W\d_][\w-]+", reply) if len(w) > 5},
                   key=lambda w: (-len(w), w))
    found += [w for w in words if w not in found]
    return list(dict.fromkeys(found))[:n]


def reflection(persona: Persona, reply: str, lang: str, i: int) -> tuple[str, str]:
    """(a reflection in the coachee's own words, the key word to ask about)."""
    words = key_words(persona, reply, lang)
    a = address(persona, lang)
    if lang == "id":
        kw = " dan ".join(words) or "hal itu"
    else:
        kw = " and ".join(f"'{w}'" for w in words) or "this"
    text = REFLECT[lang][i % len(REFLECT[lang])].format(kw=kw, a=a, A=a[:1].upper() + a[1:])
    return text, (words[0] if words else ("itu" if lang == "id" else "this"))


def good_conversation(persona: Persona, lang: str, voice=None) -> Session:
    session = Session(persona, lang, voice)
    a = address(persona, lang)
    session.coach_says(greeting(persona, lang))
    reply = session.coach_says(OPENING[lang].format(a=a)).reply
    i = 0
    while session.coach_turns < MAX_TURNS and "action_plan" not in session.state.revealed:
        revealed = session.state.revealed
        said, k = reflection(persona, reply, lang, i)
        if "goal" not in revealed and "surface" in revealed:
            question = GOAL[lang][i % len(GOAL[lang])]
        elif "core" not in revealed:
            question = ASK[lang][i % len(ASK[lang])]
        else:
            question = FORWARD[lang][i % len(FORWARD[lang])]
        i += 1
        reply = session.coach_says(f"{said} {question.format(a=a, k=k)}").reply
    return session


def bad_conversation(persona: Persona, lang: str, voice=None) -> Session:
    session = Session(persona, lang, voice)
    session.coach_says(greeting(persona, lang))
    for text in BAD[lang]:
        session.coach_says(text.format(a=address(persona, lang)))
    return session


def test_there_are_personas_to_test():
    assert len(PERSONAS) >= 9 and len(CASES) >= 18


@pytest.mark.parametrize(("persona_id", "lang"), CASES)
def test_good_coaching_reaches_core_insight_and_owned_plan(persona_id, lang):
    persona = PERSONAS[persona_id]
    session = good_conversation(persona, lang)
    final = session.state
    assert "goal" in final.revealed, f"the coachee never set the goal: {final}"
    assert "core" in final.revealed and "action_plan" in final.revealed, f"{final}"
    assert final.ownership >= 0.7 and final.insight >= 0.9
    # the coachee spoke its own authored plan, in the session's language
    plan_lines = list(persona.action_plan.lines(lang))
    memory = load_memory(persona.id)
    if memory is not None:   # or the persona's memory of its plan, in the same words
        plan_lines += [t for i in memory.items if i.layer == "action_plan" for t in (i.short(lang), i.long(lang))]
    last = session.turns[-1]
    assert last.speaker == "coachee" and any(line in last.text for line in plan_lines), last.text
    assert len(session.states) == session.coach_turns + 1
    core_at = next(i for i, st in enumerate(session.states) if "core" in st.revealed)
    assert session.states[core_at].depth >= FLOOR[persona.difficulty]


@pytest.mark.parametrize(("persona_id", "lang"), CASES)
def test_a_canned_turn_repeated_never_opens_the_core(persona_id, lang):
    """The same well-formed "summary + question" turn, again and again, earns less each time: no core."""
    persona = PERSONAS[persona_id]
    session = Session(persona, lang)
    session.coach_says(greeting(persona, lang))
    session.coach_says(OPENING[lang].format(a=address(persona, lang)))
    canned = CANNED[lang].replace("Ibu", address(persona, lang))
    for _ in range(12):
        session.coach_says(canned)
    assert "core" not in session.state.revealed


@pytest.mark.parametrize(("persona_id", "lang"), CASES)
def test_the_core_never_comes_before_the_difficulty_floor(persona_id, lang):
    persona = PERSONAS[persona_id]
    session = good_conversation(persona, lang)
    for st in session.states:
        if "core" in st.revealed:
            assert st.depth >= FLOOR[persona.difficulty], st
            break


@pytest.mark.parametrize(("persona_id", "lang"), CASES)
def test_advice_and_why_coaching_does_not(persona_id, lang):
    persona = PERSONAS[persona_id]
    session = bad_conversation(persona, lang)
    final = session.state
    assert "core" not in final.revealed and "action_plan" not in final.revealed
    assert final.ownership < session.states[0].ownership
    reactions = [s.reaction for s in session.states[1:]]
    assert "why" in reactions and "advice" in reactions
    assert not any(t.text in persona.action_plan.lines(lang) for t in session.turns if t.speaker == "coachee")
