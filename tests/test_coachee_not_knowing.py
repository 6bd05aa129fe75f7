"""The coachee's own ways of not having thought about something yet (personas/*.yaml reactions `unsure`, session 15).

Blind panel raters called the same "I'd need to think about that one." from every persona stock (rounds 27-29: 97
replies of not knowing, 19% fit). Helpers who saw only the cards wrote, for each persona, lines in its own voice
("Honestly? I usually just dive straight in without thinking it through."). They come before the register's stock
lines, which follow once they are used up. Two blind raters compared 60 such turns of rounds 22-29 (bench/data/
paired/31): the persona's own "not thought about it" fit 29 of 86 ratings against 14 and was preferred 44 to 14 times;
its own "I don't remember, I didn't notice" lines were preferred less often than the stock ones (12 to 15) and were
dropped."""

from __future__ import annotations

import re

import pytest

from simulator.coachee.persona import load_personas
from simulator.coachee.said import UNSURE_POOLS
from simulator.coachee.state import Plan
from simulator.coachee.voices import ScriptedVoice, not_knowing_lines
from simulator.reading.moves import move_lines
from tests.test_coachee_panel9 import _reply_at

PERSONAS = load_personas()


@pytest.mark.parametrize("pid", sorted(PERSONAS))
def test_every_persona_has_its_own_ways_of_not_knowing(pid):
    persona = PERSONAS[pid]
    register = move_lines("id", persona.role)
    lines = persona.reactions.unsure
    assert lines is not None
    for lang in ("id", "en"):
        assert len(lines(lang)) >= 3, lang
        stock = {x for pools in (move_lines(lang, persona.role), register) for x in pools["nothing_new"]}
        assert not stock & set(lines(lang))
        # no number a line could get wrong: a way of not knowing names nothing particular
        assert not any(re.search(r"\d", x) for x in lines(lang)), lines(lang)


@pytest.mark.parametrize("pool", UNSURE_POOLS)
def test_its_own_lines_come_before_the_stock_ones(pool):
    persona = PERSONAS["pasca_observasi_guru_pasif"]
    own = list(persona.reactions.unsure("en"))
    lines = not_knowing_lines(persona, "en", pool)
    assert lines[:len(own)] == own
    assert set(move_lines("en", persona.role)[pool]) <= set(lines[len(own):])
    # not remembering stays plain: "I didn't notice" misfits a question about a habit (paired raters, 15 to 12)
    assert not_knowing_lines(persona, "en", "unknown") == move_lines("en", persona.role)["unknown"]


def test_the_stock_lines_follow_when_its_own_are_used_up_and_nothing_is_said_twice():
    persona = PERSONAS["guru_baru"]
    own = set(persona.reactions.unsure("en"))
    voice, history, said = ScriptedVoice(), [], []
    plan = Plan("reveal", None, [], "neutral", move="coaching", question="open")
    for _ in range(len(own) + 3):
        history.append({"speaker": "coach", "text": "What would you try first next week?"})
        text = voice.say(persona=persona, plan=plan, state=None, history=history, lang="en").text
        history.append({"speaker": "coachee", "text": text})
        said.append(text)
    assert len(set(said)) == len(said), said
    assert set(said[:len(own)]) == own, said      # its own words first ...
    assert not own & set(said[len(own):])          # ... then the others


# Replayed turns of the panels (round, rater, conversation, coach turn) and words the reply must not hold. Paired
# comparison 31: both raters preferred the persona's own line to the stock one in the first three.
OWN_WORDS = [
    # "... mana yang paling mendesak menurut Bapak?" - "Belum tahu, ya. Saya belum kepikiran." (the chatty coordinator)
    (("23", "R96", "guru_p5_banyak_cerita_id", 6), "Belum tahu, ya. Saya belum kepikiran."),
    # "Yet four of thirty come. What do you make of that?" - "I can't really answer that yet."
    (("25", "R106", "kepala_sekolah_en", 3), "I can't really answer that yet."),
    # "What makes you worried that half the class might sit silent?" - "I'd need to think about that one."
    (("25", "R104", "pra_observasi_guru_matematika_en", 5), "I'd need to think about that one."),
]


@pytest.mark.parametrize("where,never", OWN_WORDS)
def test_not_having_thought_about_it_is_said_in_the_persona_s_own_words(where, never):
    pid, lang = where[2].rsplit("_", 1)
    reply = _reply_at(*where)
    assert never not in reply and reply in PERSONAS[pid].reactions.unsure(lang), reply


@pytest.mark.parametrize("where", [
    # "And the group chat — is it still going?" - "Dunno yet." (paired comparison 32: both raters preferred "not sure")
    ("29", "R127", "murid_sosial_emosional_en", 6),
    # "Is she working in the mornings?" - "Dunno. Haven't worked that out."
    ("29", "R127", "murid_tugas_terlambat_en", 6),
    # "Kalau sekarang, masih rame juga?" - "Nggak tahu, belum mikir sampai situ."
    ("23", "R95", "murid_sosial_emosional_id", 6),
])
def test_a_yes_no_about_how_things_are_is_not_sure_not_unthought(where):
    pid, lang = where[2].rsplit("_", 1)
    reply = _reply_at(*where)
    assert reply in move_lines(lang, PERSONAS[pid].role)["not_sure"], reply


@pytest.mark.parametrize("coach,expected", [
    ("And the group chat — is it still going?", True),
    ("Kalau sekarang, masih rame juga?", True),
    ("Menurut kamu itu ngaruh nggak ke nilai kamu?", False),      # a view: not thought about it
    ("Nanti saya catat waktunya ya. Boleh begitu?", False),       # leave asked
    ("Bisa kita bikin tanggalnya sekarang?", False),              # a proposal
    ("In your day, were pupils encouraged to ask questions?", False),   # then
    ("Do you mean the students? Tell me more about what that would look like.", False),   # a request after it
    ("What would you like to try next week?", False),             # no yes/no
])
def test_which_questions_ask_how_things_are(coach, expected):
    from simulator.coachee.asked import asks_how_things_are, main_question

    lang = "id" if any(w in coach for w in ("kamu", "sekarang", "saya", "kita")) else "en"
    assert asks_how_things_are(coach, main_question(coach) or coach, lang) is expected


@pytest.mark.parametrize("pid", sorted(PERSONAS))
def test_its_own_lines_keep_its_word_for_i(pid):
    # paired raters heard a student switch from "saya" to "aku" with these lines (comparison 31)
    from simulator.coachee.memory import load_memory

    memory = " ".join(i.short("id") + " " + i.long("id") for i in load_memory(pid).items).lower()
    mine = "aku" if len(re.findall(r"\baku\b", memory)) > len(re.findall(r"\bsaya\b", memory)) else "saya"
    other = {"aku": "saya", "saya": "aku"}[mine]
    other = rf"\b{other}\b" + (r"|\w+(?<!bu)ku\b" if mine == "saya" else "")   # ("pikiranku", not "buku")
    assert not any(re.search(other, x.lower()) for x in PERSONAS[pid].reactions.unsure("id"))
