"""Live hints: name the acts, suggest the better form, in the requested language."""

from __future__ import annotations

import pytest

from simulator.reading.hints import hint_for, rewrite
from simulator.reading.reader import read_turn


def hint(text, lang=None):
    r = read_turn(text)
    return hint_for(r, lang or r.lang)


def test_closed_question_gets_an_open_rewrite_in_the_coachs_address():
    h = hint("Pak, apakah Bapak setuju dengan kesimpulan itu?")
    assert "pertanyaan tertutup" in h
    assert "Bagaimana pendapat Bapak tentang kesimpulan itu?" in h


def test_why_question_becomes_apa_yang_membuat():
    assert "Apa yang membuat Ibu memilih metode ceramah?" in hint("Mengapa Ibu memilih metode ceramah?")
    assert "What led you to do that?" in hint("Why did you do that?")


def test_advice_points_to_the_coachees_own_ideas():
    h = hint("Sebaiknya Bapak istirahat dulu.")
    assert "saran" in h and "Menurut Bapak" in h
    assert "What options do you see?" in hint("You should talk to her parents.")


def test_stacked_says_one_at_a_time():
    h = hint("Apa yang Ibu rasakan? Dan apa yang Ibu harapkan?")
    assert "2 pertanyaan" in h and "satu pertanyaan" in h
    assert "one at a time" in hint("What happened? How did you feel?")


def test_leading_and_judgement():
    assert "menggiring" in hint("Ibu pasti lelah, kan?")
    assert "menghakimi" in hint("Itu salah, Bu.")


def test_good_turns_get_a_positive_note_and_trivial_turns_none():
    assert "RASA" in hint("Jadi Ibu lelah. Apa yang paling berat?")
    assert "bagus" in hint("Apa yang ingin Ibu capai?")
    assert hint("Baik, Bu.") is None


def test_the_hint_follows_the_requested_language():
    r = read_turn("Mengapa Ibu marah?")
    assert hint_for(r, "en").startswith("Read as: why question")
    assert hint_for(r, "id").startswith("Terbaca:")


@pytest.mark.parametrize("text", ["Apakah Ibu sudah siap?", "Kenapa?", "Do you?", "Is it?", "Why?"])
def test_rewrite_never_empty(text):
    r = read_turn(text)
    assert rewrite(r, r.lang).strip()
