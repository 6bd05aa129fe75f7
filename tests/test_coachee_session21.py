"""Fixes of session 21, each on the rated turn of a blind panel it changes (bench/data/panels; the turns before are
replayed, so the coachee's state is the one the rater met)."""

from __future__ import annotations

import pytest

from simulator.coachee.asked import ASKS_FEELING
from simulator.reading.moves import classify, move_lines
from simulator.session import Session
from tests.test_coachee_panel9 import _reply_at
from tests.test_coachee_panel9 import _result_at as _plan_at


# ------------------------------------------------------- a request names the topic, the bare question after it asks
@pytest.mark.parametrize("turn,lang,topic", [
    ("Tell me about Bayu. What happened?", "en", "Bayu"),
    ("Ceritakan tentang Bayu. Apa yang terjadi?", "id", "Bayu"),
    ("Coba ceritakan tentang kerja kelompok di kelas VIII-C. Biasanya seperti apa?", "id", "kelompok"),
])
def test_a_request_before_a_bare_question_is_part_of_what_is_asked(turn, lang, topic):
    assert topic in classify(turn, lang).asked


def test_a_question_with_a_topic_of_its_own_is_asked_alone():
    # "Tell me about your Year 9 history classes, then. What do you enjoy about teaching them?" asks the enjoying
    assert classify("Tell me about your classes. What do you enjoy about teaching them?", "en").asked \
        == "What do you enjoy about teaching them?"


def test_asked_about_someone_by_a_request_the_coachee_tells_about_them():
    # round 38: "... Tell me about Bayu. What happened?" - "I opened with a prayer and a song, then showed a picture of a
    # cat" (how the lesson began)
    reply = _reply_at("38", "R171", "pasca_observasi_guru_pasif_en", 7)
    assert "Bayu" in reply and "cat" not in reply, reply


# ------------------------------------------------------------------ asked how something has been: a feeling, no shrug
@pytest.mark.parametrize("question", [
    "What has that been like for you?", "What's that been like for you?", "How has it been for you?",
    "Rasanya seperti apa, Bu?", "Rasanya gimana buat kamu?",
])
def test_how_it_has_been_asks_a_feeling(question):
    assert ASKS_FEELING.search(question)


def test_how_it_has_been_for_the_coachee_is_answered_with_a_feeling():
    # round 38: "Tired of change ... That sounds exhausting after a long career. What has that been like for you?" -
    # "Never crossed my mind. And I'm in no hurry for it to." (it had just told how tired of change it is)
    reply = _reply_at("38", "R169", "guru_senior_skeptis_en", 2)
    shrugs = {line for kind in ("nothing_new", "unknown", "not_sure", "already") for line in move_lines("en")[kind]}
    assert reply not in shrugs and "crossed my mind" not in reply, reply
    assert any(reply.startswith(t.split("{said}")[0]) for t in move_lines("en")["feeling"] if t.split("{said}")[0]), \
        reply


# ------------------------------------------------------------------------- a long question after a clause in front
def test_a_long_who_question_after_a_clause_is_no_yes_no():
    turn = "If the second picture already happens in the staffroom, who are one or two teachers you might talk to first?"
    assert classify(turn, "en").question == "factual"
    assert classify("Kalau nanti sudah jalan, siapa saja guru yang menurut Ibu bisa diajak bicara lebih dulu?",
                    "id").question != "yes_no"


# ------------------------------------------------------- what lies under the problem, asked straight at enough trust
@pytest.mark.parametrize("where,wrong,right", [
    # "Kamu biasanya belajar di rumah berapa lama?" - "Nggak tahu pasti, sih." (he watches videos for ten minutes)
    (("22", "R92", "murid_target_belajar_id", 8), "Nggak tahu pasti", "video"),
    # "What happens when you sit down to do a quadratics problem?" - "My other subjects are fine, mostly in the eighties."
    (("31", "R136", "murid_target_belajar_en", 3), "eighties", "blank"),
    # "Is that part of why mornings end up with you arriving late?" - "Nothing. It's fine."
    (("33", "R147", "murid_tugas_terlambat_en", 9), "Nothing. It's fine", "market"),
    # "Looking back, where do you think the time went?" - "I don't really know, sorry."
    (("22", "R91", "pasca_observasi_guru_ipa_en", 5), "don't really know", "half an hour"),
])
def test_asked_straight_about_what_lies_under_it_the_coachee_tells_it(where, wrong, right):
    result = _plan_at(*where)
    assert wrong not in result.reply and right in result.reply, result.reply
    assert result.plan.reveal == "underneath"


def test_asked_straight_at_the_start_it_is_not_told_yet():
    # the same question as the first turn: the coachee does not trust the coach enough yet
    s = Session("murid_target_belajar", "id")
    s.coach_says("Kamu biasanya belajar di rumah berapa lama?")
    assert "underneath" not in s.state.revealed


# ------------------------------------------------------------------------ "the one who told" is no question for who
def test_were_you_the_one_who_is_no_question_who_someone_is():
    # round 34: "You said it's because Salsa's secret got out - do they think you were the one who told?" - "I was
    # proudest when I sang a solo ..." (the telling that names Salsa came first, as if asked who she is)
    reply = _reply_at("34", "R149", "murid_sosial_emosional_en", 7)
    assert "solo" not in reply and "Salsa" in reply, reply


# ------------------------------------------------------------------------------------ "ngapain": why, or doing what
@pytest.mark.parametrize("turn,act", [
    ("Bantu ibu ngapain, Dim?", "open_question"),
    ("Biasanya kamu ngapain di rumah sampai malam?", "open_question"),
    ("Ngomong-ngomong, Bu, apersepsi itu Ibu mau ngapain di sepuluh menit itu?", "open_question"),
    ("Ngapain kamu datang ke sini?", "why_question"),
    ("Terus ngapain kamu diam aja?", "why_question"),
])
def test_ngapain_asks_why_only_at_the_head_of_its_clause(turn, act):
    from simulator.reading.reader import read_turn
    acts = read_turn(turn, "", "id").acts
    assert act in acts and ({"why_question", "open_question"} - {act}).isdisjoint(acts), acts


def test_asked_what_he_does_at_home_the_student_says_it():
    # round 38: "Biasanya kamu ngapain di rumah sampai malam?" - "Nggak ada alasan. Pokoknya belum aja." (a why)
    reply = _reply_at("38", "R171", "murid_tugas_terlambat_id", 7)
    assert "alasan" not in reply and "warung" in reply, reply


# ----------------------------------------------------------------------- a quoted question is not the coach asking
def test_a_question_quoted_inside_a_sentence_is_not_asked():
    from simulator.reading.reader import read_turn, unquote_questions
    turn = ("Nadia and Bagas as checkers who ask 'why?', and a word with them on Wednesday at break. What time does "
            "the lesson start on Thursday?")
    assert "why_question" not in read_turn(turn, "", "en").acts
    assert classify(turn, "en").asked.startswith("What time")
    # at the very end it is the question: "... who stays silent at 'Any questions?'"
    assert unquote_questions("Shall I note who stays silent at 'Any questions?'").endswith("?'")


# ------------------------------------------------------------------------------- the next meeting, however it is put
@pytest.mark.parametrize("turn,lang", [
    ("That's alright, it doesn't have to be decided now. Shall we meet again next week, after you've had a few days "
     "to notice what happens after break?", "en"),
    ("So on Thursday I'll sit by group seven. Shall we have a short chat right after the lesson to look at the notes "
     "together?", "en"),
    ("That's a clear measure. Would you like me to come and observe when you try the cards, or would you prefer to run "
     "it on your own first?", "en"),
    ("Baik, Pak. Supaya saya bisa ikut mendukung, kapan enaknya kita ngobrol lagi untuk melihat bagaimana hasilnya di "
     "IX-A?", "id"),
])
def test_the_next_meeting_put_to_the_coachee_is_arranged(turn, lang):
    # round 39: "No idea yet. My head's full of the squabbling after break.", "Hmm, I don't remember exactly."
    assert classify(turn, lang).kind in ("arrange", "goodbye")


@pytest.mark.parametrize("turn,lang", [
    ("Rencana yang bagus, Bu. Kapan kita ngobrol lagi, dan apa yang mau Ibu coba duluan?", "id"),
    ("Good plan. Shall we meet again next week, and what will you try first?", "en"),
])
def test_the_next_meeting_with_another_question_is_no_mere_arrangement(turn, lang):
    assert classify(turn, lang).kind == "coaching"


# ---------------------------------------------------------------------------------------------- round 39's causes
@pytest.mark.parametrize("turn,lang", [
    ("Is there anything you'd want Salsa to know?", "en"),
    ("Ada yang ingin kamu sampaikan ke Salsa?", "id"),
    ("Apakah ada yang ingin Ibu tambahkan?", "id"),
])
def test_is_there_anything_you_want_asks_for_the_thing(turn, lang):
    assert classify(turn, lang).question == "open"


@pytest.mark.parametrize("turn,lang", [("Is there anyone you could ask?", "en"), ("Ada yang mau ditanyakan?", "id")])
def test_other_is_there_questions_stay_yes_no(turn, lang):
    assert classify(turn, lang).question == "yes_no"


def test_what_she_wants_her_friend_to_know_is_said():
    # round 39: "Is there anything you'd want Salsa to know?" - "Yeah, she's moved to sit with Keisha."
    reply = _reply_at("39", "R176", "murid_sosial_emosional_en", 10)
    assert "Keisha" not in reply and "know" in reply, reply


@pytest.mark.parametrize("question,clause", [
    ("On Thursday, what would you like me to pay particular attention to when I'm observing?", True),
    ("Who do you talk to when it gets hard?", True),
    ("Which one will you hand over first, and when shall we check in again?", False),
    ("Which one could you finish first, and by when?", False),
    ("What time does the lesson start?", False),
    ("When will you start?", False),
])
def test_when_is_only_a_clause_inside_another_question(question, clause):
    from simulator.reading.focus import when_is_a_clause
    assert when_is_a_clause(question) is clause


def test_what_to_watch_when_observing_is_no_question_for_a_time():
    # round 39: "On Thursday, what would you like me to pay particular attention to when I'm observing?" - "Oh dear, I
    # haven't thought about that at all."
    reply = _reply_at("39", "R176", "pra_observasi_guru_matematika_en", 10)
    assert "haven't thought" not in reply and "lesson plan" in reply, reply


def test_who_this_person_is_asked_with_ini():
    # round 39: "Rara ini siapa, dan apa hubungannya dengan cerita Salsa?" - "Saya sedih, sekarang Salsa nggak mau lihat
    # saya."
    reply = _reply_at("39", "R174", "murid_sosial_emosional_id", 10)
    assert "Rara" in reply, reply


def test_a_line_said_inside_a_longer_reply_is_not_said_again_alone():
    # round 39: "Hmm, how can I put it... I've never looked at it that way." at turn 4 (then a telling) and again, alone,
    # at turn 13
    from tests.test_coachee_panel7 import _replayed
    s, rows = _replayed("39", "R176", "guru_sosial_emosional_en", 12)
    earlier = rows[3]["coachee"]
    assert earlier.startswith("Hmm, how can I put it... I've never looked at it that way.")
    reply = s.coach_says(rows[12]["coach"]).reply
    assert "never looked at it that way" not in reply, reply
