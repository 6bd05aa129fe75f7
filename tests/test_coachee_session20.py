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
    assert core_question("What happens in the class after break, usually?") == "What happens in the class after break?"
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


# ------------------------------------------------------------------- a step pressed for again, with an example offered
def test_pressed_again_for_a_step_it_weighs_the_coach_s_example():
    # "Kalau harus memulai dari satu langkah saja, misalnya di pintu kelas saat bel, apa yang bisa Ibu lakukan?" -
    # "Itu yang saya belum tahu: tujuannya sudah ada, langkahnya belum." (said a turn before, in other words)
    reply = _reply_at("37", "R164", "guru_sosial_emosional_id", 12)
    assert "di pintu kelas saat bel" in reply.lower(), reply
    assert "langkahnya belum" not in reply, reply


def test_an_example_is_offered_only_in_a_question_for_a_step():
    from simulator.coachee.asked import example_offered
    assert example_offered("Kalau harus memulai dari satu langkah saja, misalnya di pintu kelas saat bel, apa yang bisa "
                           "Ibu lakukan?", "id") == "di pintu kelas saat bel"
    assert example_offered("What happened after break, for example on Monday?", "en") == ""


# ------------------------------------------------------------------------- a goal or a step asked for plainly, early
@pytest.mark.parametrize("where,said", [
    # "Which one will you hand over to the students?" - "Not sure yet. My head's completely full of the showcase"
    (("35", "R155", "guru_p5_banyak_cerita_en", 14), "waste-bank"),
    # "Of the four assignments, which one do you think you could finish first, and by when?" - school hours
    (("37", "R164", "murid_tugas_terlambat_en", 10), "library"),
])
def test_a_plain_question_for_a_step_not_reached_gets_it_as_not_settled(where, said):
    result = _plan_at(*where)
    assert result.plan.tentative and said in result.reply, result.reply


def test_what_was_planned_for_a_lesson_past_is_no_step_to_come():
    # "Berapa lama sebenarnya Bapak rencanakan untuk praktikum itu?" after the lesson: what was planned, not the step
    result = _plan_at("28", "R119", "pasca_observasi_guru_ipa_id", 2)
    assert not result.plan.tentative and "delapan puluh menit" in result.reply, result.reply


# ------------------------------------------------------------------------------------------------ either-or questions
def test_something_you_chose_is_a_choice():
    from simulator.coachee.asked import choices_in
    assert choices_in("Writing every one from scratch, is that something you were told to do, or something you "
                      "chose?", "en") == ["something you were told to do", "something you chose"]
    assert choices_in("Is it the noise or something?", "en") == []
    assert choices_in("Do you want tea or anything else?", "en") == []


def test_a_so_question_asking_who_is_no_check():
    assert not classify("So when it does turn into a long talk, who's usually in it? The whole class or just the kids "
                        "who were fighting?", "en").check
    assert classify("So you felt tired after that?", "en").check


def test_either_or_is_not_picked_against_what_the_coachee_holds():
    # "Apakah itu sudah pernah Ibu pakai, atau baru ide?" when its memory says "belum pernah saya pakai"
    reply = _reply_at("34", "R152", "guru_sosial_emosional_id", 8)
    assert "sudah pernah saya pakai" not in reply, reply


def test_her_own_emotions_chart_is_explained():
    # "Ngomong-ngomong, papan 'marah' itu apa, Bu? Sudah dipakai di kelas?" - "Hmm, kurang tahu juga, ya."
    reply = _reply_at("37", "R164", "guru_sosial_emosional_id", 5)
    assert "papan emosi" in reply and "kurang tahu" not in reply, reply


# --------------------------------------------------------------------------------------------- round 38's findings
@pytest.mark.parametrize("turn,lang", [
    ("Would you be open to me sitting with you next week and sketching a first step together, maybe starting with one "
     "conversation with Mr Dedi?", "en"),
    ("Ibu bersedia kalau kita duduk bersama minggu depan menyusun langkah pertama?", "id"),
])
def test_an_offer_to_sit_together_next_week_is_arranging_a_meeting(turn, lang):
    assert classify(turn, lang).kind == "arrange"


def test_an_offer_to_try_something_is_not_a_meeting():
    assert classify("Would you be open to trying that in class?", "en").kind == "coaching"


@pytest.mark.parametrize("turn", [
    "Kalau dibandingkan dengan keadaan sekarang, seberapa dekat kelompok-kelompok dengan gambaran itu?",
    "Seberapa penting itu buat Bapak?",
])
def test_seberapa_asks_how_much_not_yes_or_no(turn):
    # round 38 heard a bare "Ya." to "seberapa dekat ...?"
    assert classify(turn, "id").question == "open"


@pytest.mark.parametrize("where,step", [
    # "... langkah kecil apa yang mau Bapak coba minggu depan, dan bolehkah kita bertemu lagi untuk melanjutkan?" -
    # "Terlalu cepat. Saya belum tahu apa yang mau saya ubah." (the meeting unanswered)
    (("37", "R165", "guru_senior_skeptis_id", 14), "belum tahu"),
    # "... apa satu hal yang ingin Bapak coba di praktikum berikutnya, dan kapan kita bisa bertemu lagi ...?"
    (("35", "R155", "pasca_observasi_guru_ipa_id", 14), "belum bisa jawab"),
])
def test_a_step_and_the_next_meeting_asked_together_get_both_answered(where, step):
    from simulator.reading.moves import move_lines
    reply = _reply_at(*where)
    lines = move_lines("id")
    assert step in reply and any(x in reply for kind in ("arrange", "free_when") for x in lines[kind]), reply


def test_what_its_own_words_mean_offered_as_two_things_is_a_choice():
    from simulator.coachee.asked import choices_in
    assert choices_in("Hmm, you said 'a long talk', what's that, like a class meeting or you talking to the ones "
                      "involved?", "en") == ["a class meeting", "you talking to the ones involved"]
    assert choices_in("What do they do, like play football or chat?", "en") == []   # examples, not a choice


def test_a_shrug_near_in_meaning_does_not_answer_an_either_or():
    # "you said 'a long talk', what's that, like a class meeting or you talking to the ones involved?" - "Oh, I
    # haven't given it a thought. I've always just gone with the flow."
    reply = _reply_at("38", "R172", "guru_sosial_emosional_en", 5)
    assert "given it a thought" not in reply and "me talking to the ones involved" in reply, reply


def test_the_coach_s_you_before_a_gerund_is_me():
    from simulator.coachee.said import as_speaker
    assert as_speaker("you talking to the ones involved", "en") == "me talking to the ones involved"
    assert as_speaker("you tell them", "en") == "I tell them"


def test_what_you_would_say_is_no_example():
    from simulator.coachee.asked import example_offered
    assert example_offered("What could you say to Bima tomorrow?", "en") == ""
    assert example_offered("What could you try, say, a step card on each table?", "en") == "a step card on each table"
