"""The coachee answers what was asked (issue #11): each test pins one CAUSE of the blind panel's non-sequiturs,
with our own sentences (not the panel's)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.coachee.memory import Hit
from simulator.coachee.voices import ScriptedVoice
from simulator.reading.focus import focus, rerank
from simulator.reading.moves import classify, core_question, move_lines
from simulator.session import Session

STOCK = {line for lang in ("id", "en") for kind in ("unknown", "not_yet", "off_topic")
         for line in move_lines(lang)[kind]}


def _session(persona: str, lang: str) -> Session:
    return Session(persona, lang=lang, voice=ScriptedVoice())


# ------------------------------------------------------------------ goodbyes and thanks, both languages
@pytest.mark.parametrize("text,lang", [
    ("Thanks so much for today. Have a lovely evening!", "en"),
    ("Thank you. We'll pick it up again, shall we? Have a nice weekend.", "en"),
    ("Makasih ya sudah cerita. Sampai ketemu besok.", "id"),
    ("Terima kasih untuk obrolannya hari ini. Selamat sore, Pak.", "id"),
    ("Oke, cukup dulu. Nanti kita ngobrol lagi minggu depan, ya.", "id"),
])
def test_goodbye_in_varied_forms(text, lang):
    assert classify(text, lang).kind == "goodbye"


def test_a_question_with_a_closing_word_in_it_is_no_goodbye():
    assert classify("Apa yang mau Ibu capai sampai minggu depan?", "id").kind == "coaching"


# ------------------------------------------------------------------ one question, however dressed
@pytest.mark.parametrize("text,lang", [
    ("What should I look at in the lesson? For example who talks, or how long they work?", "en"),
    ("Tell me about the lesson on Monday. What happened first?", "en"),
    ("Pusingnya kenapa? Kurang tidur, atau banyak pikiran?", "id"),
    ("Maaf, maksudnya gimana? Murid yang menangis itu siapa?", "id"),
])
def test_one_question_with_examples_options_or_a_request_is_not_stacked(text, lang):
    assert not classify(text, lang).stacked


def test_three_real_questions_are_still_stacked_two_are_answered_first_first():
    assert classify("Muridnya ada berapa? Siapa wali kelasnya? Kapan ulangannya?", "id").stacked
    two = classify("Muridnya ada berapa? Siapa wali kelasnya?", "id")
    assert not two.stacked and "berapa" in two.asked


# ------------------------------------------------------------------ clarification vs the coach rephrasing itself
def test_a_coach_explaining_its_own_question_is_a_question_not_a_request_to_explain():
    move = classify("Maksud saya, kelompok mana yang paling ramai waktu diskusi?", "id")
    assert move.kind == "coaching" and move.question is not None
    assert classify("I mean, which of your classes is the hardest one to settle?", "en").kind == "coaching"
    assert classify("Mapel apa nih maksudnya?", "id").kind == "coaching"


def test_a_bare_clarification_is_still_one():
    assert classify("Maksudnya?", "id").kind == "clarify"
    assert classify("What do you mean by that?", "en").kind == "clarify"


def test_a_laugh_in_front_of_a_question_does_not_hide_the_question():
    move = classify("Hehe, maaf. Ibu pegang kelas berapa saja?", "id")
    assert move.kind == "coaching" and move.question == "factual"


def test_small_talk_inside_a_longer_turn_is_small_talk():
    assert classify("Halo, makasih sudah mau datang di jam istirahat begini. Sudah makan siang belum?",
                    "id").kind == "small_talk"


def test_lead_in_and_name_are_not_part_of_what_is_asked():
    assert core_question("Kalau boleh tahu, biasanya pulang jam berapa, Bu?") == "biasanya pulang jam berapa?"
    assert core_question("Anyway, I'm curious, which year group do you like best?") == \
        "which year group do you like best?"


# ------------------------------------------------------------------ feeling checks and summaries
@pytest.mark.parametrize("text,lang", [
    ("Kedengarannya Ibu lelah sekali, ya?", "id"),
    ("Jadi setiap malam Ibu masih menyiapkan bahan untuk besok. Benar begitu?", "id"),
    ("You sound quite worn out by all this, is that right?", "en"),
])
def test_feeling_checks_and_summaries_are_recognised(text, lang):
    move = classify(text, lang)
    assert move.check and move.question == "yes_no"


@pytest.mark.parametrize("persona,lang,turns", [
    ("guru_baru", "id", ["Selamat pagi, Bu.", "Apa yang sedang Ibu pikirkan akhir-akhir ini?",
                         "Kedengarannya Ibu lelah sekali, ya?"]),
    ("kepala_sekolah", "en", ["Good morning.", "What is on your mind this week?",
                              "So you feel let down by the staff. Is that right?"]),
])
def test_a_feeling_check_is_confirmed_and_followed_by_content(persona, lang, turns):
    s = _session(persona, lang)
    for t in turns:
        res = s.coach_says(t)
    assert res.plan.confirms
    assert res.reply not in STOCK
    first, _, rest = res.reply.partition(" ")
    assert first.strip(".,").lower() in {"iya", "betul", "ya", "yes", "mm"} and len(rest.split()) >= 5


# ------------------------------------------------------------------ the coachee's own concern is answerable
def test_asked_straight_about_its_own_concern_the_coachee_answers_it():
    s = _session("guru_diferensiasi", "id")
    s.coach_says("Selamat pagi, Bu Maya.")
    res = s.coach_says("Bagian mana dari diferensiasi yang paling berat buat Ibu?")
    assert res.plan.reaction not in ("not_yet", "guarded")
    assert res.reply not in STOCK and res.plan.memory_items


def test_deeper_content_is_still_put_off_in_the_persona_register():
    # A student's put-off is said like a student: never the adult "yang itu nanti saja kita bahas".
    s = _session("murid_tugas_terlambat", "id")
    s.coach_says("Pagi, Dimas.")
    res = s.coach_says("Bapakmu sakit apa, Dim?")
    if res.plan.reaction == "not_yet":
        assert res.reply not in move_lines("id")["not_yet"]


def test_an_open_question_is_never_taken_as_advice():
    s = _session("pasca_observasi_guru_pasif", "en")
    s.coach_says("Good afternoon, Mrs Siti.")
    res = s.coach_says("If you could change one thing about today's lesson, what might it be?")
    assert res.state.reaction != "advice"
    assert "suggestion" not in res.reply.lower()


def test_a_question_nothing_answers_well_gets_an_in_character_answer_not_i_dont_know():
    s = _session("guru_baru", "id")
    s.coach_says("Selamat siang, Bu Nadia.")
    res = s.coach_says("Dari semua pekerjaan itu, mana yang paling menyita waktu Ibu?")
    assert res.reply not in STOCK


# ------------------------------------------------------------------ retrieval weighs what is asked for
def _hit(short: str, score: float, asks=("Apa kabar?",)):
    item = SimpleNamespace(short=lambda lang, s=short: s, asks=lambda lang, a=asks: list(a))
    return Hit(item, score, score, 0.5)


def test_focus_names_what_the_question_asks_for():
    assert focus("Kelompoknya ada berapa?", "id") == "number"
    assert focus("Jam berapa pulangnya?", "id") == "time"
    assert focus("Who runs the meetings?", "en") == "who"
    assert focus("Why do you think so?", "en") == "reason"
    assert focus("Bagaimana rasanya?", "id") == "feeling"   # a feeling, not a way of doing (round 30)
    assert focus("How did you feel?", "en") == "feeling" and focus("How did you decide?", "en") is None


def test_a_number_question_prefers_the_item_that_gives_a_number():
    words = _hit("Kelompoknya saya bagi menurut absen.", 0.40)
    number = _hit("Ada lima kelompok, tiap kelompok enam anak.", 0.36, asks=("Ada berapa kelompok?",))
    ranked = rerank([words, number], "Kelompoknya ada berapa?", "id")
    assert ranked[0].item.short("id").startswith("Ada lima")


def test_the_focus_bonus_never_beats_a_much_better_match():
    far = _hit("Ada tiga puluh anak.", 0.20)
    near = _hit("Kelompoknya saya bagi menurut absen.", 0.60)
    assert rerank([near, far], "Kelompoknya ada berapa?", "id")[0] is near


# ------------------------------------------------------------------ small talk answered in kind, a who before a yes/no
def test_small_talk_is_answered_in_kind_and_never_repeated():
    s = _session("murid_target_belajar", "id")
    first = s.coach_says("Sore, Raka. Udah makan siang belum?").reply
    second = s.coach_says("Beneran udah makan?").reply
    assert any(w in first.lower() for w in ("udah", "sudah"))
    assert " ".join(second.lower().split()) not in " ".join(first.lower().split())
    how = _session("guru_baru", "id").coach_says("Apa kabar, Bu?").reply
    assert "sudah" not in how.lower()   # "how are you?" is not answered "already, thanks"


def test_a_who_question_narrowed_by_a_yes_no_is_answered_as_the_who():
    move = classify("Who usually chairs the meetings? Is it always the same person?", "en")
    assert not move.stacked and move.question == "factual" and move.asked.lower().startswith("who")


def test_a_number_question_gets_the_telling_that_has_the_number():
    s = _session("pasca_observasi_guru_ipa", "id")
    s.coach_says("Selamat siang, Pak Hendra.")
    reply = s.coach_says("Jumlah kelompoknya kemarin ada berapa, Pak?").reply
    assert focus("ada berapa?", "id") == "number"
    assert any(n in reply.lower() for n in ("lima", "enam", "tujuh", "5"))


# ------------------------------------------------------------------ why-questions and words that only sound like closing
def test_a_why_question_gets_the_reason_the_coachee_holds_not_a_stock_defence():
    s = _session("kepala_sekolah", "en")
    s.coach_says("Good morning, Mrs Endang.")
    s.coach_says("What would you like to talk about today?")
    res = s.coach_says("Why do you think so few teachers come, Ma'am?")
    assert res.state.reaction == "why"   # the state still takes the cost of a why-question
    assert res.plan.memory_items and res.reply in (res.plan.memory_items[0]["long"],
                                                   res.plan.memory_items[0]["short"])


def test_a_lesson_conclusion_mentioned_in_passing_is_not_the_coach_closing():
    from simulator.coachee.state import load_rules

    rules = load_rules()
    assert not rules.matches("closing", "Tadi ada presentasi kesimpulan tiap kelompok, Pak?")
    assert rules.matches("closing", "Apa kesimpulan Ibu dari obrolan kita hari ini?")
    assert rules.matches("closing", "What is your conclusion from today?")


def test_off_topic_only_when_the_question_names_nothing_of_the_conversation():
    s = _session("pasca_observasi_guru_pasif", "en")
    s.coach_says("Good afternoon, Mrs Siti. Thank you for the reading lesson this morning.")
    res = s.coach_says("Which moment of the reading lesson pleased you most?")
    assert res.reply not in move_lines("en")["off_topic"]


def test_a_topic_question_prefers_the_item_asked_for_a_topic():
    timetable = _hit("I teach 9A on Monday, third period.", 0.40, asks=("When do you teach 9A?",))
    unit = _hit("We're on the colonial era now.", 0.33, asks=("What unit are the Year 9s on?",))
    assert focus("Which unit are they studying?", "en") == "topic"
    assert rerank([timetable, unit], "Which unit are they studying?", "en")[0].item is unit.item
