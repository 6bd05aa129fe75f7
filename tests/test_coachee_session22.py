"""Fixes of session 22, each on the rated turn of blind panel round 40 it changes (bench/data/panels/40; the turns
before are replayed, so the coachee's state is the one the rater met)."""

from __future__ import annotations

import pytest

from simulator.coachee.asked import FUTURE
from simulator.coachee.persona import load_personas
from simulator.reading.moves import asks_particular, classify
from simulator.session import Session
from tests.test_coachee_panel9 import _reply_at
from tests.test_coachee_panel9 import _result_at as _plan_at


# ------------------------------------------------------------------ what it is like for the coachee: meaning, not a fact
@pytest.mark.parametrize("turn,lang", [
    ("A whole lesson gone on calming them down. What's it like for you when they come back in from break?", "en"),
    ("What's that like for you to see?", "en"),
    ("There's no proper routine after break. What's coming to mind now as you say that?", "en"),
    ("When you hear yourself say that number now, what goes through your mind?", "en"),
    ("Kalau Ibu perhatikan, apa yang sebenarnya terjadi pada diri Ibu saat itu?", "id"),
    ("Apa yang terlintas di pikiran Ibu sekarang?", "id"),
])
def test_what_it_is_like_for_the_coachee_asks_for_meaning(turn, lang):
    move = classify(turn, lang)
    assert move.deep and not asks_particular(move.asked, lang)


@pytest.mark.parametrize("turn", [
    "What does a typical day look like for you right now?",   # what happens (round 26: the timetable, fit)
    "What's it like when they come back in?",
    "If you brainstorm a few possible steps, what comes to mind?",
])
def test_what_happens_is_still_a_question_for_a_particular_thing(turn):
    assert not classify(turn, "en").deep


def test_asked_what_it_is_like_for_her_the_teacher_tells_what_lies_under_it():
    # round 40: "What's it like for you when they come back in from break like that?" - "It's simple really: they come
    # in, take turns at the water, sit down ..." (the wished-for routine: a non-sequitur)
    result = _plan_at("40", "R179", "guru_sosial_emosional_en", 2)
    assert result.plan.reveal == "underneath", result.plan
    assert not result.reply.startswith("It's simple really"), result.reply


# ------------------------------------------------------------------ the right time to come is a time to come
@pytest.mark.parametrize("turn", [
    "Kalau kamu bayangkan ngomong langsung ke dia, kira-kira kapan dan di mana yang paling pas?",
    "Kapan dan di mana kira-kira yang pas?", "Kapan enaknya?", "When would be a good time?",
])
def test_the_right_time_asks_about_what_is_to_come(turn):
    assert FUTURE.search(turn)


@pytest.mark.parametrize("turn", ["Pas istirahat kamu biasanya di mana?", "Kapan itu terjadi?", "When did it start?"])
def test_other_times_do_not(turn):
    assert not FUTURE.search(turn)


def test_asked_when_would_be_right_to_apologise_she_does_not_tell_when_it_happened():
    # round 40: "... kira-kira kapan dan di mana yang paling pas?" - "Salsa cerita kira-kira tiga minggu lalu, pas kami
    # jalan pulang bareng" (when the secret was told)
    reply = _reply_at("40", "R180", "murid_sosial_emosional_id", 9)
    assert "tiga minggu lalu" not in reply, reply


# ------------------------------------------------------------------ a way forward asked before the insight: a first idea
def test_every_persona_has_first_ideas_in_each_language():
    for persona in load_personas().values():
        ideas = persona.reactions.first_idea
        assert ideas is not None, persona.id
        for lang in persona.languages:
            assert len(ideas(lang)) >= 2, (persona.id, lang)


@pytest.mark.parametrize("where,persona,lang", [
    # "Kalau Bapak mengulang praktikum ini, apa yang ingin Bapak ubah?" - "Belum tahu. Kalau alatnya tetap lima set, ya
    # hasilnya sama saja."
    (("37", "R164", "pasca_observasi_guru_ipa_id", 11), "pasca_observasi_guru_ipa", "id"),
    # "Coming back to your own classroom, what's one thing within your control after break that you could ...?" - "A
    # plan... I'm still not sure where the problem is, with them or with me."
    (("39", "R176", "guru_sosial_emosional_en", 6), "guru_sosial_emosional", "en"),
])
def test_asked_what_it_would_do_before_any_goal_or_insight_the_coachee_names_its_first_idea(where, persona, lang):
    assert _reply_at(*where) in load_personas()[persona].reactions.first_idea(lang)


@pytest.mark.parametrize("where,persona,lang", [
    # which step of the lesson engaged the children (round 36): no idea for the future
    (("36", "R160", "pasca_observasi_guru_pasif_id", 3), "pasca_observasi_guru_pasif", "id"),
    # when she began to feel it ("Kapan Ibu mulai merasa ...?", round 40)
    (("40", "R182", "kepala_sekolah_id", 3), "kepala_sekolah", "id"),
    # after the goal is named, the old habit would take back the picture just given (paired comparison 56)
    (("40", "R179", "guru_diferensiasi_en", 8), "guru_diferensiasi", "en"),
])
def test_no_first_idea_where_no_step_is_asked_or_after_the_goal(where, persona, lang):
    assert _reply_at(*where) not in load_personas()[persona].reactions.first_idea(lang)


def test_the_first_idea_is_said_once_then_the_coachee_is_stuck():
    s = Session("guru_sosial_emosional", "en")
    s.coach_says("Good morning, Mrs Lestari. Thanks for making time. What would you like to talk about?")
    ideas = set(s.persona.reactions.first_idea("en"))
    first = s.coach_says("What could you try tomorrow?").reply
    second = s.coach_says("And what else could you try?").reply
    assert first in ideas and second not in ideas, (first, second)


def test_what_was_planned_before_gets_no_idea_for_the_future():
    # replayed round 34: "Apa yang Bapak rencanakan sebelumnya untuk pertemuan itu, dari awal sampai akhir?"
    s = Session("pasca_observasi_guru_ipa", "id")
    reply = s.coach_says("Apa yang Bapak rencanakan sebelumnya untuk pertemuan itu, dari awal sampai akhir?").reply
    assert reply not in s.persona.reactions.first_idea("id"), reply


@pytest.mark.parametrize("turn,forward", [
    ("Kalau boleh tahu, kapan Bapak mulai merasa begitu?", False),   # since when (round 35 heard "Belum tahu")
    ("Kapan Ibu mulai merasa sepinya itu mengganggu pikiran Ibu?", False),
    ("Kapan Ibu mau mulai?", True),
    ("Kapan kira-kira bisa mulai dicoba?", True),
])
def test_since_when_it_began_is_no_step_to_take(turn, forward):
    assert classify(turn, "id").forward is forward


@pytest.mark.parametrize("turn,scale", [
    ("Kalau dari skala 1 sampai 10, seberapa siap?", True), ("Kira-kira berapa dari sepuluh?", True),
    ("How sure are you, out of ten?", True),
    ("Anak-anak menulis lebih dari sepuluh pertanyaan. Apa satu hal kecil yang bisa Bapak coba?", False),
    ("Tujuh dari sepuluh anak sudah bisa. Apa yang membuat itu terjadi?", False),
    ("Eight out of ten students passed. What made that happen?", False),
])
def test_a_count_out_of_ten_is_no_scale_question(turn, scale):
    from simulator.coachee.voices import _SCALE
    assert bool(_SCALE.search(turn)) is scale


def test_more_than_ten_questions_is_no_scale_to_answer_with_a_number():
    # round 40: "... lebih dari sepuluh pertanyaan ... Apa satu hal kecil yang bisa Bapak coba di kelas minggu depan
    # untuk mendekati itu?" - "Delapan, kira-kira. Kalau sudah ada langkahnya begini, saya lebih yakin."
    reply = _reply_at("40", "R179", "guru_senior_skeptis_id", 12)
    assert not reply.startswith("Delapan"), reply


@pytest.mark.parametrize("turn,lang", [
    ("Kalau boleh tahu, kamu biasanya duduk atau main bareng siapa?", "id"),
    ("Who do you usually sit or hang out with?", "en"),
])
def test_two_verbs_in_one_question_for_a_person_offer_no_choice(turn, lang):
    from simulator.coachee.asked import choices_in
    assert choices_in(turn, lang) == []


def test_asked_who_she_sits_with_the_student_does_not_pick_sitting():
    # round 40: "... kamu biasanya duduk atau main bareng siapa?" - "Kayaknya saya biasanya duduk."
    reply = _reply_at("40", "R180", "murid_sosial_emosional_id", 3)
    assert "biasanya duduk." not in reply, reply


@pytest.mark.parametrize("turn,suggests", [
    ("Saya duduk di mana sebaiknya, Bu, supaya tidak mengganggu kelompok?", False),   # the observer's own seat
    ("Menurut Ibu, kapan sebaiknya kita mulai?", False),
    ("Sebaiknya Ibu coba pakai kartu peran.", True),
])
def test_what_should_be_done_asked_is_no_suggestion(turn, suggests):
    assert classify(turn, "id").suggests is suggests


def test_asked_where_the_observer_should_sit_the_teacher_says_where():
    # round 40: "Saya duduk di mana sebaiknya, Bu, supaya tidak mengganggu kelompok?" - "Baik. Saya catat dulu, nanti
    # saya coba terapkan." (taken as advice)
    result = _plan_at("40", "R180", "pra_observasi_guru_matematika_id", 13)
    assert result.plan.reaction != "advice" and "catat dulu" not in result.reply, result.reply


# ------------------------------------------------------------------ round 41
@pytest.mark.parametrize("turn,offer", [
    ("Good afternoon, Mr Bambang. Thank you for coming. Would you like some tea before we start?", True),
    ("Can I get you a drink?", True), ("Do you want some water?", True),
    ("So a coffee in the morning helps?", False), ("Do you drink a lot of coffee at night?", False),
])
def test_a_drink_offered_is_small_talk(turn, offer):
    assert (classify(turn, "en").kind == "small_talk") is offer


def test_offered_tea_the_teacher_answers_the_offer():
    # round 41: "... Would you like some tea before we start?" - "Good afternoon to you too. Never crossed my mind."
    reply = _reply_at("41", "R185", "guru_senior_skeptis_en", 1)
    assert "crossed my mind" not in reply and any(w in reply.lower() for w in ("tea", "water", "trouble")), reply


def test_a_day_named_before_is_no_one_asked_about():
    # round 41: "... where should I sit on Thursday, near which group, and what should I write down?" - "I've already
    # told 8C there'll be a visitor in class on Thursday." (Thursday, said before, taken for someone named)
    reply = _reply_at("41", "R185", "pra_observasi_guru_matematika_en", 13)
    assert "visitor" not in reply and "sit" in reply, reply


def test_a_when_clause_about_the_coach_is_not_what_is_asked():
    # round 41: "So what would you like me to focus on when I observe on Thursday?" - "It's 8C, my Year 8 class, being
    # observed next Thursday."
    reply = _reply_at("41", "R185", "pra_observasi_guru_matematika_en", 9)
    assert "8C" not in reply, reply


@pytest.mark.parametrize("turn", [
    "When you picture your next practical going the way you'd really like, what does it look like at the end of the lesson?",
    "When you picture a week that feels manageable, what would be different from this week?",
])
def test_picturing_it_as_one_would_like_asks_the_goal(turn):
    assert classify(turn, "en").goal


@pytest.mark.parametrize("where,wrong", [
    # "So for your next practical, what would you like to be different about the timing?" - "A plan for what? ..."
    (("41", "R184", "pasca_observasi_guru_ipa_en", 10), "A plan for what"),
    # "... When you picture your next practical going the way you'd really like, what does it look like ...?" - "Hmm, a
    # step... First I'd need to be clear what I'm aiming for."
    (("41", "R184", "pasca_observasi_guru_ipa_en", 13), "a step"),
])
def test_a_goal_asked_about_the_next_lesson_is_the_goal_not_a_step(where, wrong):
    result = _plan_at(*where)
    assert result.plan.reaction != "stuck" and wrong not in result.reply, result.reply


def test_offered_water_the_student_does_not_ask_for_tea():
    # replayed round 34: "Hi Nia, thanks for coming. ... Do you want some water? How's your week been?" - "Hi. Fine." (the
    # offer passed over; with the offer read, "Tea, please" would answer what was not offered)
    reply = _reply_at("34", "R149", "murid_sosial_emosional_en", 1)
    assert "Tea" not in reply and any(x in reply for x in ("thanks", "thank you", "Thanks")), reply


def test_asked_to_try_its_own_idea_with_a_passive_verb_the_teacher_says_yes():
    # round 42: "... Tadi Ibu sendiri sempat bilang mau coba nyicil modul di akhir pekan. Mau dicoba itu dulu minggu
    # ini? ..." - "Itu... belum bisa saya ceritakan sekarang."
    reply = _reply_at("42", "R191", "guru_baru_id", 14)
    assert "belum bisa saya ceritakan" not in reply and "coba" in reply, reply
