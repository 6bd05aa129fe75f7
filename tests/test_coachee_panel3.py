"""Issue #11, third blind panel: the causes behind its non-sequiturs, each pinned by a test in our own words.

1. two linked or self-corrected questions are answered, not refused as "too many"
2. a follow-up asking a detail the coachee does not hold is not answered "as I said, <the same thing>"
3. a meeting request, eating small talk and a longer joke are ordinary moves, not memory searches
5. a goal or step the coachee already named is held to, not taken back with "I don't know yet"
6. thanks followed by a salam or "shall we meet again?" closes the session; "what was that last bit?" is a repeat
7. a plain "how long / how many" about what the coachee is not ready for is answered vaguely, not refused
8. a person or thing nobody mentioned is queried, not accepted as true
"""

from __future__ import annotations

import pytest

from simulator.reading.moves import classify, move_lines
from simulator.session import Session

STACKED_LINES = ("satu-satu", "yang mana dulu", "pick one", "one at a time", "which one first", "lot of questions",
                 "tadi apa", "jawab yang pertama")


def said_in(reply: str, kind: str, lang: str) -> bool:
    return reply in move_lines(lang)[kind]


# 1 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,lang,wanted", [
    ("Pulangnya jam berapa? Naik apa?", "id", "jam berapa"),
    ("Which group sat at the back, and who led it?", "en", "Which group"),
    ("Muridnya berapa? Eh, maaf, saya salah tanya. Wali kelasnya siapa?", "id", "Wali kelasnya"),
    ("What did you plan for Monday? Sorry, I meant: what did you plan for Friday?", "en", "Friday"),
])
def test_two_linked_questions_are_one_turn_to_answer(text, lang, wanted):
    move = classify(text, lang)
    assert move.kind == "coaching" and not move.stacked
    assert wanted.lower() in move.asked.lower()


def test_two_linked_questions_get_an_answer_not_a_complaint():
    s = Session("guru_baru", lang="en")
    reply = s.coach_says("What do you teach, and how many classes is that?").reply
    assert not any(x in reply.lower() for x in STACKED_LINES)
    assert "english" in reply.lower()


def test_a_short_question_after_a_laugh_is_a_question():
    move = classify("Haha, maaf ya saya bingung sendiri. Kelasnya yang mana?", "id")
    assert move.kind == "coaching" and move.question == "factual"


# 2 ------------------------------------------------------------------------------------------------------------
def test_a_weak_fallback_is_not_said_a_third_time_and_a_missing_detail_is_not_repeated():
    s = Session("guru_baru", lang="id")
    s.coach_says("Ibu mengajar kelas apa saja?")
    s.coach_says("Kelas apa saja yang Ibu ajar?")
    third = s.coach_says("Yang Ibu ajar itu kelas apa saja, Bu?").reply
    assert "kelas vii" in third.lower()   # a fact asked a third time: still said, "as I said"
    already = [t.split("{said}")[0] for t in move_lines("id")["already"]]
    detail = s.coach_says("Terus kelas VII itu dapat pelajaran Bahasa Inggris sejak kapan, Bu?").reply
    assert not any(detail.startswith(a) for a in already) or "kapan" not in detail


# 3 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,lang,kind", [
    ("Oh iya Bu, lusa kita ngobrol lagi jam dua, bisa?", "id", "arrange"),
    ("Could we meet again on Friday after school?", "en", "arrange"),
    ("Tadi siang makan apa, Nak?", "id", "small_talk"),
    ("Have you eaten anything since the morning?", "en", "small_talk"),
    ("Wah, rapat sampai sore terus ya. Hehe, kalau saya sih pasti sudah tertidur di kursi, Bu.", "id", "humour"),
])
def test_ordinary_moves_are_not_memory_searches(text, lang, kind):
    assert classify(text, lang).kind == kind


def test_a_meeting_request_naming_a_day_gets_a_yes_not_a_story_about_that_day():
    s = Session("guru_baru", lang="id")
    s.coach_says("Selamat siang, Bu.")
    result = s.coach_says("Bu, minggu depan kita ketemu lagi hari Selasa pagi, bisa?")
    assert said_in(result.reply, "arrange", "id")
    assert result.state.revealed == s.states[-2].revealed


# 5 ------------------------------------------------------------------------------------------------------------
def test_a_goal_already_named_is_held_to():
    from simulator.coachee.memory import load_memory
    from simulator.session import Turn

    goal = next(i for i in load_memory("guru_baru").items if i.layer == "goal")
    s = Session("guru_baru", lang="id")
    s.coach_says("Selamat pagi, Bu.")
    s.turns[-1] = Turn("coachee", goal.long("id"), voice="scripted")   # as if it had named its goal earlier
    reply = s.coach_says("Langkah pertama apa yang mau Ibu coba minggu ini?").reply
    # The goal is held to (never taken back); the step itself may honestly not be decided yet (round 4: the goal
    # said again answered nothing; round 5: said again behind "not sure" it was a repeat all the same).
    assert reply in move_lines("id")["step_unsure"], reply


# 6 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,lang", [
    ("Baik, Pak. Nanti kita sambung lagi. Terima kasih banyak, Pak. Assalamualaikum.", "id"),
    ("Let's leave it there for today. Thank you so much. Could we meet again next month?", "en"),
    ("Semoga lancar besok ya, Bu. Terima kasih untuk ceritanya. Mari, Bu.", "id"),
])
def test_thanks_then_a_salam_or_the_next_meeting_is_leaving(text, lang):
    assert classify(text, lang).kind == "goodbye"


@pytest.mark.parametrize("text", ["Sorry, what was the last part? The class is a what?",
                                  "Can you repeat that for me, please?"])
def test_asking_for_the_last_bit_again_is_a_repeat(text):
    assert classify(text, "en").kind == "repeat"


# 7 ------------------------------------------------------------------------------------------------------------
def test_a_plain_how_long_about_a_locked_topic_is_vague_not_a_refusal():
    s = Session("guru_baru", lang="id")
    s.coach_says("Selamat pagi, Bu.")
    reply = s.coach_says("Biasanya Ibu menangis di motor itu berapa lama?").reply
    assert reply not in move_lines("id")["not_yet"]
    assert "menangis" not in reply.lower()


# 8 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang,text,ref", [
    ("id", "Terus, burung beonya yang mana, Bu?", "beonya"),
    ("en", "And what happened after the barbecue?", "barbecue"),
    ("en", "What are they like, Gerald and Winston?", "Gerald"),
])
def test_a_reference_nobody_made_is_queried(lang, text, ref):
    s = Session("guru_baru", lang=lang)
    s.coach_says("Selamat pagi, Bu." if lang == "id" else "Good morning.")
    reply = s.coach_says(text).reply
    assert ref.lower() in reply.lower() and any(reply.lower().startswith(t.split("{said}")[0].lower()[:4]) or
                                                t.split("{said}")[1].strip()[:12].lower() in reply.lower()
                                                for t in move_lines(lang)["unheard"])


def test_a_name_the_coachee_knows_or_a_school_subject_is_not_queried():
    s = Session("guru_baru", lang="en")
    s.coach_says("Good morning.")
    assert "mention" not in s.coach_says("Do you teach Maths, then?").reply.lower()
    names = s.coach_says("Which pupils in 7A are the noisiest?").reply
    named = [w for w in names.replace(",", " ").split() if w[:1].isupper() and w.lower() not in ("i", "7a")]
    if named:
        follow = s.coach_says(f"What is {named[-1].strip('.')} like in class?").reply
        assert "mention" not in follow.lower()


# 4/5 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang,text", [("id", "Sebelum praktikum, apa tujuan pembelajaran yang Bapak tulis di modul?"),
                                       ("en", "What was the learning objective of that practical?")])
def test_the_lessons_objective_is_a_fact_not_the_coachees_own_goal(lang, text):
    s = Session("pasca_observasi_guru_ipa", lang=lang)
    s.coach_says("Selamat pagi, Pak." if lang == "id" else "Good morning.")
    result = s.coach_says(text)
    assert "goal" not in result.state.revealed and result.plan.reveal != "goal"


def test_a_wh_or_either_or_question_is_never_answered_with_a_bare_yes():
    from simulator.coachee.persona import get_persona
    from simulator.coachee.state import Plan
    from simulator.coachee.voices import ScriptedVoice

    persona = get_persona("guru_baru")
    for lang, coach in (("id", "Kalau begitu, di kelas mana Ibu mau mulai?"),
                        ("en", "Would you rather start with 7A, or with another class?")):
        plan = Plan("closed", None, [], "neutral", move="coaching",
                    question="factual" if lang == "id" else "yes_no", remembers=True)
        reply = ScriptedVoice().say(persona=persona, plan=plan, state=None,
                                    history=[{"speaker": "coach", "text": coach}], lang=lang).text
        assert reply.strip(" .").lower() not in ("ya", "iya", "yes", "yeah", "tidak", "no")
        assert len(reply.split()) > 2


# 4 ------------------------------------------------------------------------------------------------------------
def test_which_students_gets_the_memory_that_names_them_over_one_that_shares_the_topic():
    s = Session("pra_observasi_guru_matematika", lang="en")
    s.coach_says("Good morning.")
    reply = s.coach_says("Which of the quiet students should I keep an eye on? Can you name a few?").reply
    assert sum(w[:1].isupper() for w in reply.replace(",", " ").split()[1:]) >= 2, reply


def test_which_friends_do_you_mean_asks_for_the_friends_not_for_other_words():
    assert classify("Busy with their own things... which friends do you mean?", "en").kind == "coaching"
