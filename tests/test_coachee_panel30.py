"""Non-sequiturs of the blind panels (mostly round 30's, and some of rounds 22-32) that still came out word for word in
session 16, each met by a general fix (bench/data/panels; the turns before are replayed, so the coachee's state is
the one the rater met)."""

from __future__ import annotations

import re

import pytest

from simulator.coachee.asked import asks_forward, choices_in
from simulator.coachee.persona import load_personas
from simulator.reading.facts import tense_told
from simulator.reading.focus import focus
from simulator.reading.moves import classify, move_lines
from simulator.reading.reader import read_turn
from simulator.session import Session
from tests.test_coachee_panel9 import _replayed, _reply_at

PERSONAS = load_personas()


@pytest.mark.parametrize("text,lang", [
    ("That's really honest of you, Nia. You're saying it was a mistake to tell Rara, but you never meant to hurt "
     "Salsa. What would that look like?", "en"),
    ("So you feel that was wrong of you. What would you do now?", "en"),
    ("Ibu merasa cara itu salah, ya. Apa yang mau Ibu ubah?", "id"),
    ("Menurut Ibu itu kesalahan. Apa yang Ibu pelajari?", "id"),
])
def test_a_verdict_the_coachee_gave_and_the_coach_reflects_is_no_judgement(text, lang):
    assert not read_turn(text, lang).judgement


@pytest.mark.parametrize("text,lang", [
    ("That was a mistake, Nia. What now?", "en"),
    ("You said it yourself. But that was wrong. What now?", "en"),   # the verdict is its own sentence
    ("Cara itu salah, Bu. Apa yang mau Ibu ubah?", "id"),
])
def test_the_coach_s_own_verdict_still_is(text, lang):
    assert read_turn(text, lang).judgement


def test_the_reflected_verdict_does_not_close_the_student_up():
    # "You're saying it was a mistake to tell Rara ... what would that look like?" - "Yeah... sorry." (round 30, R130)
    reply = _reply_at("30", "R130", "murid_sosial_emosional_en", 9)
    assert "Salsa" in reply and reply != "Yeah... sorry.", reply


@pytest.mark.parametrize("question", [
    "What's your mark right now, roughly?",
    "what did you get on your last maths test?",
    "What was your last score?",
    "What marks did you get last term?",
])
def test_a_mark_asked_for_is_a_number(question):
    assert focus(question, "en") == "number"
    assert classify(question, "en").question == "factual"


@pytest.mark.parametrize("question", [
    "What mark would you like to get in maths?",          # the goal asked
    "What were your maths marks like recently?",          # how they went (paired comparison 36: the fuller telling)
])
def test_a_mark_wished_for_or_described_is_not_a_number_asked(question):
    assert classify(question, "en").question != "factual"
    assert focus(question, "en") != "number"


def test_a_mark_asked_for_opens_no_layer():
    # "What's your mark right now, roughly?" - the core insight (round 30, R129: a non-sequitur)
    reply = _reply_at("30", "R129", "murid_target_belajar_en", 10)
    assert "up for it" not in reply, reply


def test_a_telling_of_then_and_now_answers_either():
    assert tense_told("Last term my maths report mark was eighty; my last test now was fifty-five.") is None
    assert tense_told("Sekarang pun saya masih mengajar di sini.") == "now"
    assert tense_told("Dulu saya mengajar di SD.") == "past"


def test_the_last_test_asked_gets_the_marks():
    # "what did you get on your last maths test?" - why he wants SMA Negeri 1 (round 30, R129 turn 11, after the
    # turn before is answered as it is now)
    s, rows = _replayed("30", "R129", "murid_target_belajar_en", 10)
    reply = s.coach_says(rows[10]["coach"]).reply
    assert "fifty-five" in reply, reply


@pytest.mark.parametrize("question", [
    "When do you think you could find time for the English one?",
    "When can you start on it?",
])
def test_when_it_could_be_done_asks_forward(question):
    assert asks_forward(question, "en")


def test_a_time_to_come_is_not_answered_with_due_dates_gone_by():
    # "When do you think you could find time for the English one?" - "Social studies was due ten days ago, ..."
    reply = _reply_at("30", "R130", "murid_tugas_terlambat_en", 12)
    assert "ago" not in reply and "last week" not in reply, reply


@pytest.mark.parametrize("where,never", [
    # "Can you tell me more about the learning community and what's been happening?" - the reminder's wording again
    (("25", "R106", "kepala_sekolah_en", 2), "Teachers are reminded"),
    # "Tell me more about what happens after break." - the pictured goal ("By five past ten the books are open")
    (("24", "R102", "guru_sosial_emosional_en", 2), "five past ten"),
    # "... the students at the showcase? Tell me more about what that would look like." - once "Not sure yet. My
    # head's completely full of the showcase right now.", then (session 15) "I'd need to think about that one.";
    # now the picture it holds of the day (its goal layer is open)
    (("26", "R112", "guru_p5_banyak_cerita_en", 5), "think about that"),
])
def test_tell_me_more_about_something_named_searches_for_it(where, never):
    reply = _reply_at(*where)
    assert never not in reply, reply


@pytest.mark.parametrize("question,lang,choices", [
    ("Ramainya itu ramai ngobrol di luar materi atau ramai diskusi?", "id", ["ramai ngobrol di luar materi", "ramai diskusi"]),
    ("Do the squabbles start out there on the yard, or in the canteen with the girls?", "en",
     ["on the yard", "in the canteen with the girls"]),
    ("Ibu lebih suka saya mencatat kata-kata pertanyaan Ibu apa adanya, atau cukup menghitung berapa murid yang diam "
     "ikut bicara?", "id", ["saya mencatat kata-kata pertanyaan Ibu apa adanya",
                            "cukup menghitung berapa murid yang diam ikut bicara"]),
])
def test_a_long_either_or_still_offers_two_things(question, lang, choices):
    assert choices_in(question, lang) == choices


@pytest.mark.parametrize("where,never", [
    # "Ramainya itu ramai ngobrol di luar materi atau ramai diskusi?" - "Ya." (round 26)
    (("26", "R110", "pra_observasi_guru_matematika_id", 9), "Ya."),
    # "... on the yard, or in the canteen with the girls?" - "Not really." (round 27)
    (("27", "R114", "guru_sosial_emosional_en", 4), "Not really."),
])
def test_an_either_or_is_answered_with_one_of_the_two(where, never):
    reply = _reply_at(*where)
    assert reply != never and re.search(r"\b(ngobrol|diskusi|yard|canteen)\b", reply), reply


@pytest.mark.parametrize("where,never", [
    # "Why do you think the others stay away?" - "Because if I leave it, nothing happens." (round 24)
    (("24", "R100", "kepala_sekolah_en", 3), "if I leave it"),
    # "Menurut Ibu, kenapa mereka gampang saling ejek setelah istirahat?" - "Karena saya harus tegas." (round 26)
    (("26", "R110", "guru_sosial_emosional_id", 6), "harus tegas"),
])
def test_a_why_about_others_gets_no_stock_justification_of_its_own_doing(where, never):
    pid, lang = where[2].rsplit("_", 1)
    reply = _reply_at(*where)
    assert never not in reply and reply in move_lines(lang, PERSONAS[pid].role)["why_unsure"], reply


def test_a_why_about_others_that_memory_answers_is_answered():
    # "Why do you think Dani keeps teasing the others?" - what she knows of Dani (round 31), not "not sure why"
    reply = _reply_at("31", "R135", "guru_sosial_emosional_en", 5)
    assert "Dani" in reply, reply


def test_when_something_began_is_no_time_to_come():
    # "Turunnya mulai kapan, Raka?" - "nggak tahu, belum kepikiran" (round 31: 'mulai' read as a step to come)
    reply = _reply_at("31", "R134", "murid_target_belajar_id", 3)
    assert "semester ini" in reply, reply


def test_which_part_with_two_examples_is_a_choice_leaning_to_what_it_said():
    # "Bagian mana yang bikin kamu bingung, misalnya pas memfaktorkan atau pas pakai rumus?" - "belum pernah mikirin"
    # (round 31); it has said factorising is the hard part
    assert choices_in("Bagian mana yang bikin kamu bingung, misalnya pas memfaktorkan atau pas pakai rumus?", "id") \
        == ["pas memfaktorkan", "pas pakai rumus"]
    assert choices_in("Do you have other commitments, like Friday prayers or picking up your kids?", "en") == []
    s, rows = _replayed("31", "R134", "murid_target_belajar_id", 9)
    reply = s.coach_says(rows[9]["coach"]).reply
    assert "memfaktorkan" in reply, reply


def test_who_someone_is_comes_from_a_memory_about_them_not_one_that_only_places_them():
    # "Who is Salsa?" - "The form tutor set the seating ...: ..., and Salsa is in the front row." (round 31)
    reply = _reply_at("31", "R134", "guru_baru_en", 6)
    assert "seating" not in reply and "diligent" in reply, reply


def test_a_chatty_person_tells_it_at_length():
    # Bu Lestari ("loves to talk"): "How many kids are in the class?" - the fuller telling, not "I have thirty pupils,
    # sixteen boys and fourteen girls." (paired comparison 38: the fuller telling better 18 times in 21 for both raters)
    persona = PERSONAS["guru_sosial_emosional"]
    reply = _reply_at("26", "R112", "guru_sosial_emosional_en", 3)
    assert reply.startswith("My Year 5 class has thirty children") and len(reply.split()) > 15, reply
    assert persona.resistance == "talkative"


def test_a_quiet_person_answers_a_fact_in_short():
    # Bu Siti (passive): "How many children are in the class?" - the short answer
    session = Session("pasca_observasi_guru_pasif", "en")
    session.coach_says("Good morning, Mrs Siti.")
    reply = session.coach_says("How many children are in your class?").reply
    assert len(reply.split()) <= 20, reply


@pytest.mark.parametrize("text", [
    "Can you tell me what usually happens when they come back in?",
    "Could you tell me a bit about the lesson you're planning for 8C?",
    "Would you walk me through what happened?",
])
def test_a_polite_request_for_a_telling_is_an_open_question(text):
    assert classify(text, "en").question == "open"


def test_a_polite_request_before_a_direct_question_leaves_the_direct_one_asked():
    move = classify("A whole lesson, that's tough. Can you tell me about the last time it happened? What did the "
                    "teasing look like?", "en")
    assert move.asked.startswith("What did the teasing look like")
    assert classify("Can you come on Friday?", "en").question == "yes_no"


def test_a_request_for_a_telling_gets_no_no_in_front():
    # "Can you tell me a bit about the lesson?" - "Hi. No. On Thursday it's word problems ..." (round 26)
    reply = _reply_at("26", "R112", "pra_observasi_guru_matematika_en", 1)
    assert not reply.startswith(("Hi. No", "No")), reply


def test_an_invitation_to_tell_gets_no_no_in_front():
    # "Katanya ada yang mau diceritakan soal kelas V ya?" - "Selamat siang juga. Tidak. Aduh, macam-macam ..." (round 30)
    reply = _reply_at("30", "R129", "guru_sosial_emosional_id", 1)
    assert "Tidak." not in reply and "macam-macam" in reply, reply


def test_examples_put_as_the_question_are_a_choice():
    assert choices_in("Misalnya berapa kali mereka bicara, atau apa yang mereka katakan?", "id") \
        == ["berapa kali mereka bicara", "apa yang mereka katakan"]
    assert choices_in("Kamu mau cerita sekarang atau apa?", "id") == []
    assert choices_in("Is it the noise, or what they say to each other?", "en") == []


@pytest.mark.parametrize("where", [("27", "R117", "murid_tugas_terlambat_en", 13),
                                   ("32", "R142", "murid_tugas_terlambat_en", 12)])
def test_what_he_helps_with_at_home_is_not_his_comic_hero(where):
    # "Helping out at home. What kind of things do you help with?" - "Captain Kite is a village kid ..." (rounds 27, 32)
    reply = _reply_at(*where)
    assert "Captain Kite" not in reply and "sweeping" in reply, reply
