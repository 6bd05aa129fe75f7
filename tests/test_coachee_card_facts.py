"""Issue #11: card facts asked in other people's words (bench/bench_card_probes.py; questions written blind from
the cards). The causes behind its misses, each pinned here in the shape it was found:

1. everyday chat words ("ngajar", "mapel") are read as the standard words the memory is written in
2. a turn that adds nothing to its question is searched as the question (its words were counted twice)
3. "mapel apa?" / "what kind of school?" is answered by the item naming a subject / a kind of school
4. a yes/no naming the wrong day, length of time, app, subject, kind of school or class is answered "no"
5. a checked summary that gets a fact wrong is not confirmed
6. an answer that holds a new fact is no repeat, even when its other words were said before
7. a question for a plain fact as the first turn is answered before the presenting concern
8. (session 11) a question about then is answered from then, one about now from now; the clause about what a yes/no
   asks decides it; a day is no "who"; "Saya kira itu ..." presupposes nothing; "what does X mean" about a term
   is no question for meaning
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from simulator.coachee.memory import standard
from simulator.coachee.persona import load_personas
from simulator.reading.facts import facts_agree, kinds_agree, kinds_named
from simulator.reading.focus import focus
from simulator.session import Session

ROOT = Path(__file__).resolve().parent.parent
NO = re.compile(r"^\W*(?:(?:ah|oh|mm|hmm)\W+)?(no|nah|not|nope|tidak|bukan|nggak|enggak)\b", re.I)
YES = re.compile(r"^\W*(?:(?:ah|oh|mm|hmm)\W+)?(yes|yeah|ya|iya|betul|benar)\b", re.I)


def ask(persona: str, lang: str, text: str, before: tuple[str, ...] = ()) -> str:
    s = Session(persona, lang)
    for turn in before:
        s.coach_says(turn)
    return s.coach_says(text).reply


# 1 ------------------------------------------------------------------------------------------------------------
def test_everyday_chat_words_read_as_standard_words():
    assert standard("Ibu ngajar mapel apa sih?", "id") == "Ibu mengajar mata pelajaran apa sih?"
    assert standard("Udah gimana, Bu?", "id") == "sudah bagaimana, Bu?"
    assert standard("Do you wanna talk?", "en") == "Do you want to talk?"
    assert standard("Sama saja", "id") == "Sama saja"   # "sama" (same) is no chat word for "dengan"


# 2, 3 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona,lang,text,wanted", [
    ("guru_baru", "id", "Ibu ngajar mapel apa sih, Bu?", "Bahasa Inggris"),
    ("guru_senior_skeptis", "id", "Pak Bambang mengajar mapel apa, Pak?", "Sejarah"),
    ("guru_diferensiasi", "id", "Bu Maya mengajar mata pelajaran apa?", "Bahasa Indonesia"),
    ("guru_baru", "en", "Which subject do you teach?", "English"),
    ("guru_sosial_emosional", "en", "What kind of school do you teach at?", "primary"),
    ("pasca_observasi_guru_pasif", "id", "Ibu mengajar di jenjang apa, Bu?", "SD"),
])
def test_the_subject_and_the_kind_of_school_are_answered(persona, lang, text, wanted):
    assert wanted in ask(persona, lang, text)


def test_subject_and_school_questions_have_their_own_focus():
    assert focus("Mapelnya apa, Pak?", "id") == "subject"
    assert focus("What do you teach?", "en") == "subject"
    assert focus("Ibu mengajar di jenjang apa?", "id") == "school"
    assert focus("What kind of school is it?", "en") == "school"
    assert focus("Materi apa yang sedang dipelajari?", "id") == "topic"   # a topic is no subject


# 4 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("question,fact,lang,agree", [
    ("Gelar karyanya masih tiga bulan lagi?", "Gelar karya P5 tiga minggu lagi.", "id", False),
    ("Komunitasnya dibentuk setahun lalu?", "Komunitas belajar saya bentuk tiga bulan lalu.", "id", False),
    ("Did you set it up about a year ago?", "I set it up three months ago.", "en", False),
    ("Is the observation on Monday?", "It's 8C, being observed next Thursday.", "en", False),
    ("Was it an Instagram group?", "They removed me from the WhatsApp group.", "en", False),
    ("You teach geography, right?", "I teach history to Year 9.", "en", False),
    ("Ibu wali kelas VI, kan?", "Saya wali kelas V di SD negeri ini.", "id", False),
    ("Do you teach at a private school?", "I teach at a state junior secondary school.", "en", False),
    ("Sekolahnya SMP, kan Bu?", "Saya kepala SMP ini, sudah tahun kedua.", "id", True),
    ("Ibu mengajar kelas VII?", "Saya pegang kelas VII-A sampai VII-D.", "id", True),
    ("Is the showcase in three weeks?", "The showcase is in three weeks.", "en", True),
    ("Observasinya minggu depan, Bu?", "Yang diobservasi kelas VIII-C, Kamis depan.", "id", None),
    ("Kita ketemu hari Minggu?", "Kita ketemu hari Kamis.", "id", False),
])
def test_a_day_a_length_of_time_an_app_a_subject_a_school_or_a_class_decides_a_yes_no(question, fact, lang, agree):
    assert kinds_agree(question, fact, lang) is agree
    assert facts_agree(question, fact, lang) is agree


def test_a_number_counting_another_thing_decides_nothing():
    assert facts_agree("Have you been off school five times?", "I get up at five, pray, shower.", "en") is None
    assert facts_agree("Ini tahun kedua Ibu?", "Ini tahun kedua saya.", "id") is True
    assert facts_agree("Ada lima kelompok?", "Di kelas ada enam kelompok.", "id") is False


def test_items_naming_a_thing_of_the_asked_kind_move_up():
    from simulator.coachee.memory import Hit, load_memory
    from simulator.reading.focus import rerank

    memory = load_memory("pra_observasi_guru_matematika")
    day = next(i for i in memory.items if "Thursday" in i.short("en"))
    other = next(i for i in memory.items if not kinds_named(f"{i.short('en')} {i.long('en')}", "en"))
    hits = [Hit(other, 0.5, 0.9, 0.5), Hit(day, 0.45, 0.9, 0.4)]
    assert rerank(hits, "Is the observation on Monday?", "en")[0].item is day
    assert rerank(hits, "Is the observation going well?", "en")[0].item is other


def test_a_clock_time_is_no_length_of_time():
    assert kinds_agree("Pulang jam dua?", "Saya pulang jam lima.", "id") is None


@pytest.mark.parametrize("persona,lang,text,wanted", [
    ("pra_observasi_guru_matematika", "en", "Is the observation on Monday?", "Thursday"),
    ("guru_p5_banyak_cerita", "id", "Gelar karyanya masih tiga bulan lagi, kan Pak?", "tiga minggu"),
])
def test_a_yes_no_naming_the_wrong_value_is_answered_no_with_the_right_one(persona, lang, text, wanted):
    reply = ask(persona, lang, text)
    assert NO.search(reply) and wanted in reply, reply


def test_a_yes_no_naming_the_right_kind_of_school_is_answered_yes():
    reply = ask("kepala_sekolah", "id", "Sekolah yang Ibu pimpin ini SMP, kan Bu?")
    assert YES.search(reply) and "SMP" in reply, reply


# 5 ------------------------------------------------------------------------------------------------------------
def test_a_checked_summary_with_a_wrong_fact_is_not_confirmed():
    reply = ask("guru_baru", "en", "So you've been teaching for about three years now, right?")
    assert NO.search(reply) and "three months" in reply, reply


# 6 ------------------------------------------------------------------------------------------------------------
def test_an_answer_with_a_new_fact_is_no_repeat():
    # The greeting reply already says "Kamis nanti kelas saya yang diobservasi"; which class (VIII-C) is new.
    before = ("Selamat siang, Bu Ratna. Terima kasih sudah meluangkan waktu untuk berbincang.",
              "Bagaimana keadaan Ibu akhir-akhir ini?")
    reply = ask("pra_observasi_guru_matematika", "id", "Kelas mana yang nanti saya observasi, Bu?", before)
    assert "VIII-C" in reply, reply


# 7 ------------------------------------------------------------------------------------------------------------
def test_a_plain_fact_asked_first_is_answered_before_the_concern():
    reply = ask("pasca_observasi_guru_pasif", "en", "What kind of lesson did I just watch?")
    assert "reading" in reply.lower(), reply


def test_an_open_question_about_how_things_are_still_brings_out_the_concern():
    s = Session("guru_baru", "en")
    s.coach_says("Hi Ms Nadia, thanks for making time.")
    s.coach_says("What's been on your mind lately?")
    assert "surface" in s.state.revealed


# the bench's data -----------------------------------------------------------------------------------------------
def test_the_blind_card_probes_cover_every_persona_in_both_languages():
    personas = load_personas()
    for path in sorted((ROOT / "bench" / "data" / "card_probes").glob("[A-Z].tsv")):
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        assert {(r["persona"], r["lang"]) for r in rows} == {(p, lang) for p in personas for lang in ("id", "en")}
        assert all(r["kind"] in ("open", "yesno") and r["accept"].strip() for r in rows), path.name


def test_the_bench_grades_a_yes_no_by_its_first_word():
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_card_probes import right

    row = {"kind": "yesno", "accept": "no"}
    assert right(row, "Ah, tidak. Praktikumnya molor.")
    assert not right(row, "Yes, that's right. It was three months ago.")
    assert right({"kind": "open", "accept": "tiga bulan|3 bulan"}, "Baru 3 bulan, Pak.")


# round 17 -------------------------------------------------------------------------------------------------------
def test_a_stock_line_is_never_said_again_as_i_said():
    from simulator.coachee.voices import ScriptedVoice
    from simulator.reading.moves import move_lines

    lines = move_lines("id")
    said = [*lines["nothing_new"], *lines["unknown"]]   # every fresh "not sure" used up
    reply = ScriptedVoice()._again(lines["unknown"][0], said, "id", "k")
    assert not any(reply.startswith(t.split("{")[0]) for t in lines["already"] if t.split("{")[0]), reply
    assert reply not in said or reply.startswith("..."), reply


def test_a_checked_feeling_with_nothing_new_to_add_is_not_taken_back():
    # Round 18: "Kedengarannya Ibu cukup kecewa. Benar begitu, Bu?" - "Iya. Wah, itu belum bisa saya jawab sekarang."
    from simulator.reading.moves import move_lines

    s = Session("kepala_sekolah", "id")
    told = s.coach_says("Selamat siang, Bu Endang. Apa yang sedang Ibu pikirkan?").reply
    reply = s.coach_says("Ibu sudah menyiapkan jadwal, konsumsi, dan materi, tapi yang datang tetap empat orang. "
                         "Kedengarannya Ibu cukup kecewa. Benar begitu, Bu?").reply
    assert YES.search(reply), reply
    stock = {x for pool in move_lines("id").values() for x in pool}
    assert not any(line in reply for line in stock if len(line) > 12), reply
    assert reply.split(". ", 1)[-1] not in told, reply


@pytest.mark.parametrize("text,kind", [
    ("Okay. Thanks for talking it through with me, Mr Hendra. Let's catch up again after your next practical.",
     "goodbye"),                                                                    # round 18: the telling again
    ("Let's catch up on what happened in the lesson first. What happened?", "coaching"),
    # round 18: answered with her evening routine (thanks and the next meeting in one sentence)
    ("That's okay, no pressure. Thank you for being so open with me today, Nadia - shall we check in again next "
     "week?", "goodbye"),
])
def test_lets_catch_up_again_is_a_goodbye(text, kind):
    from simulator.reading.moves import classify

    assert classify(text, "en").kind == kind


# 8 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona,lang,text,yes,wanted", [
    # her first school was private; she teaches at a state school now
    ("pra_observasi_guru_matematika", "en", "Do you teach at a private school?", False, "State"),
    # "dulu" asks about then: known as a storyteller then (not whether he still is)
    ("guru_senior_skeptis", "id", "Dulu Bapak dikenal sebagai pencerita ulung, ya Pak?", True, "Dulu"),
    # the timetable lists Monday, but says the observation is on Thursday
    ("pra_observasi_guru_matematika", "id", "Observasinya hari Senin, kan Bu?", False, "Kamis"),
    ("murid_sosial_emosional", "en", "By the way, have you been off school five times?", False, "twice"),
])
def test_a_yes_no_is_answered_from_the_time_and_the_clause_it_asks_about(persona, lang, text, yes, wanted):
    reply = ask(persona, lang, text)
    assert (YES if yes else NO).match(reply), reply
    assert wanted in reply


def test_the_time_asked_and_the_time_told():
    from simulator.reading.facts import tense_asked, tense_told

    assert tense_asked("Do you teach at a private school?") == "now"
    assert tense_asked("Dulu Bapak dikenal sebagai pencerita ulung?") == "past"
    assert tense_asked("Dulu Bapak bercerita, sekarang masih?") is None
    assert tense_told("For my first four years I taught at a private school.") == "past"
    assert tense_told("Sekarang pun saya masih bercerita, seperti dulu.") == "now"
    assert tense_told("I teach maths at State Junior Secondary School 5.") is None
    assert tense_told("I teach maths.", history=True) == "past"


def test_a_day_is_no_answer_to_who():
    from simulator.reading.focus import has_form

    assert not has_form("It all started two weeks ago, on a Saturday night.", "Who have you been sitting with?", "en")
    assert has_form("Right now I sit at the very back, on my own.", "Who have you been sitting with?", "en")
    assert "own" in ask("murid_sosial_emosional", "en", "Who have you been sitting with lately?")


def test_a_thought_introduced_by_saya_kira_itu_presupposes_nothing():
    # the coachee's own idea of a term is told, not passed over for a line that presupposes less
    reply = ask("guru_sosial_emosional", "id", "Menurut Ibu, pembelajaran sosial emosional itu apa?")
    assert "pelajaran tambahan" in reply
    assert "rencana berbeda" in ask("guru_diferensiasi", "id", "Menurut Ibu, diferensiasi itu artinya gimana?")
