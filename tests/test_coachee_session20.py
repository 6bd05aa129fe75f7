"""Fixes of session 20, each on the rated turn of a blind panel it changes (bench/data/panels; the turns before are
replayed, so the coachee's state is the one the rater met). Each turn below was rated a non-sequitur."""

from __future__ import annotations

import pytest

from simulator.reading.moves import classify, core_question
from tests.test_coachee_panel9 import _reply_at
from tests.test_coachee_panel9 import _result_at as _plan_at


# ---------------------------------------------------------------------------- the question word at the end is asked
def test_a_question_word_after_a_comma_is_no_name():
    # '"Waktu itu saya kira bagus" - sekarang, kalau Ibu lihat lagi, bagaimana?' was cut to a yes/no: a bare "Iya."
    assert core_question("Sekarang, kalau Ibu lihat lagi, bagaimana?").endswith("bagaimana?")
    assert classify('"Waktu itu saya kira bagus" — sekarang, kalau Ibu lihat lagi, bagaimana?', "id").question == "open"
    # a name, a title or a tag at the end still goes
    assert core_question("Apa yang kamu rasakan, Raka?") == "Apa yang kamu rasakan?"
    assert core_question("What happened next, Mrs Yuni?") == "What happened next?"
    assert core_question("Terus apa, bu Nia?") == "Terus apa?"
    assert core_question("Teman-teman mikirnya kamu yang nyebarin, begitu?") == "Teman-teman mikirnya kamu yang nyebarin?"


def test_how_it_looks_now_gets_more_than_a_yes():
    reply = _reply_at("37", "R166", "kepala_sekolah_id", 10)
    assert reply.strip(" .") not in ("Iya", "Tidak", "Ya"), reply


# ------------------------------------------------------------------------------------- the goal, however it is put
@pytest.mark.parametrize("turn,lang", [
    ("Sampai akhir semester ini, Ibu ingin komunitas belajar itu seperti apa?", "id"),
    ("Sekarang, kalau tekanan pengawas kita kesampingkan sebentar, komunitas belajar ini sebenarnya Ibu ingin jadi apa "
     "buat guru-guru?", "id"),
    ("Naik itu maksudnya naik sampai berapa? Ada angka yang kamu incar?", "id"),
    ("Kalau ujian sekolah dua bulan lagi, kamu pengin dapat berapa?", "id"),
    ("So let's do the goal: by, say, the end of this month, what would you love to see Fajar and the other four doing "
     "during card reading?", "en"),
    ("What mark are you aiming for in the exam?", "en"),
])
def test_the_goal_asked_after_its_time_or_its_thing_is_a_goal_question(turn, lang):
    assert classify(turn, lang).goal


@pytest.mark.parametrize("turn,lang", [
    ("Ibu mau cerita seperti apa?", "id"),
    ("Bagaimana perasaan Ibu waktu itu?", "id"),
    ("What did you see in the lesson?", "en"),
    ("How many marks did you get?", "en"),
])
def test_other_questions_are_not_the_goal(turn, lang):
    assert not classify(turn, lang).goal


@pytest.mark.parametrize("where,wrong,right", [
    # "Naik itu maksudnya naik sampai berapa? Ada angka yang kamu incar?" - "Saya bangun jam lima, ... naik sepeda"
    (("37", "R166", "murid_target_belajar_id", 2), "bangun jam lima", "tujuh puluh lima"),
    # "by, say, the end of this month, what would you love to see Fajar ... doing?" - Mrs Yuni and Year 1
    (("37", "R167", "pasca_observasi_guru_pasif_en", 12), "Mrs Yuni", "Fajar"),
    # "komunitas belajar ini sebenarnya Ibu ingin jadi apa buat guru-guru?" - why she asked for the chat
    (("37", "R166", "kepala_sekolah_id", 7), "Guru Penggerak", "guru"),
])
def test_a_goal_question_gets_the_goal_not_a_nearby_memory(where, wrong, right):
    result = _plan_at(*where)
    assert wrong not in result.reply and right in result.reply, result.reply


# ------------------------------------------------------------------------------------ the next meeting, suggested
@pytest.mark.parametrize("turn,lang", [
    ("Let's stop here for today. How about we meet on Thursday to work out the children's first step together?", "en"),
    ("Baik, Bu. Bagaimana kalau kita bertemu hari Kamis untuk membahas langkah anak-anak?", "id"),
])
def test_a_meeting_suggested_with_how_about_we_is_arranging_it(turn, lang):
    assert classify(turn, lang).kind == "arrange"


def test_how_about_we_try_is_still_a_question():
    assert classify("How about we try a different approach?", "en").kind == "coaching"


def test_the_meeting_offered_at_the_close_is_agreed_to():
    # "Let's stop here for today. How about we meet on Thursday ...?" - "... what to start with tomorrow, oh, I don't
    # know."
    result = _plan_at("37", "R166", "guru_sosial_emosional_en", 14)
    assert "don't know" not in result.reply, result.reply
    assert result.plan.move == "arrange", result.plan.move
