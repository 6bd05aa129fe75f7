"""Issue #11, fifth blind panel (bench/data/panels/5): causes behind its notes, each pinned in our own words.

1. thanks for the talk with nothing asked is the coach closing: a goodbye, never an insight or an opening greeting
2. "When can we talk again?" fixes the next meeting; it is no memory search ("I don't remember exactly")
3. what was already said is not said again behind a new bridge ("Not sure. What I do know is, <the goal again>")
"""

from __future__ import annotations

import pytest

from simulator.reading.moves import classify, move_lines
from simulator.session import Session


@pytest.mark.parametrize("text,lang", [
    ("That's okay. Thank you for your time today, Mr Lim. I've enjoyed hearing about your field trips.", "en"),
    ("Ya sudah, nggak apa-apa. Makasih ya sudah cerita banyak hari ini.", "id"),
    ("Oke, Rina. Makasih ya sudah mau cerita. Kalau butuh ngobrol lagi, Bapak ada kok. Sekarang ke kantin dulu.", "id"),
    ("Thanks so much for all this today. Shall we check in again next week to see how it went?", "en"),
])
def test_thanks_for_the_talk_with_nothing_asked_is_a_goodbye(text, lang):
    assert classify(text, lang).kind == "goodbye"


@pytest.mark.parametrize("text,lang", [
    ("Terima kasih sudah cerita. Saya dengar Ibu lelah sekali.", "id"),   # thanks and a reflection, mid-talk
    ("Thank you for sharing that. It sounds like the evenings are the hardest part.", "en"),
    ("Terima kasih sudah cerita hari ini. Apa yang paling berat buat Ibu?", "id"),   # something is still asked
])
def test_thanks_for_one_answer_or_with_a_question_is_not_a_goodbye(text, lang):
    assert classify(text, lang).kind != "goodbye"


@pytest.mark.parametrize("text,lang", [("Kapan kita bisa bicara lagi, Bu?", "id"),
                                       ("When can we catch up again?", "en")])
def test_asking_when_to_talk_again_fixes_the_next_meeting(text, lang):
    assert classify(text, lang).kind == "arrange"


def test_a_closing_gets_a_goodbye_reply_not_an_opening():
    s = Session("guru_senior_skeptis", lang="en")
    s.coach_says("Good afternoon, Mr Bambang.")
    s.coach_says("What would make this time useful for you?")
    result = s.coach_says("Thank you for your time today, Mr Bambang. I've enjoyed hearing about your lessons.")
    assert result.plan.move == "goodbye"
    assert result.reply in move_lines("en")["goodbye"], result.reply
