"""Issue #11, session 14: what panel round 27 (at 6275fa1) found, pinned on the raters' own conversations
(bench/data/panels/27) and on turns written for the test.

- A suggestion with a phrase before it ("What if, at the next session, you asked ...?", "What if ... the students did
  more of that?", "Mungkin mulai Senin, di jam pertama, Ibu ajak ...") is advice, for the reader and the coachee.
- "Who is X?" is not answered by a telling that only opens with what X does ("Pak Darmawan datang awal bulan
  depan"), nor by "not sure" about someone the coachee named itself, nor by the coachee's own introduction.
- The close of a talk is answered in kind: a day for the next talk, the door left open, leave asked to share an idea,
  "anything else?" alone.
- A step the coachee said yes to is held to when asked which day, what it will try, or "Deal?".
- A goal telling presupposes no plan not told yet ("the little slips")."""

from __future__ import annotations

import pytest

from simulator.coachee.persona import get_persona
from simulator.coachee.voices import not_knowing_lines
from simulator.reading.reader import read_turn
from tests.test_coachee_panel9 import _as_i_said, _reply_at


@pytest.mark.parametrize("lang,text", [
    ("en", "That's okay — it's a big shift. What if, at the next session, you asked the four teachers what problem "
           "they'd most like to work on? How would that feel?"),
    ("en", "A whole lesson on Diponegoro every year — that's a tradition. What if at the end of that story, the "
           "students had a question to argue about, like whether he should have surrendered?"),
    ("en", "You even light the burners yourself. What if the students did more of that?"),
    ("id", "Nggak apa-apa Bu. Mungkin mulai Senin, di jam pertama, Ibu ajak anak-anak ngobrol 15 menit soal bercanda "
           "yang bikin sakit hati. Kira-kira gimana?"),
    ("id", "Mungkin besok Ibu minta Fajar membaca duluan."),
])
def test_a_suggestion_with_a_phrase_before_it_is_advice(lang, text):
    assert "advice" in read_turn(text, "", lang).acts


@pytest.mark.parametrize("lang,text", [
    ("en", "What would happen if you let the students choose the topic?"),
    ("en", "What if it went really well on Friday: what would you see?"),
    ("en", "Let's try something small then. Next week, what's one thing you could try in one lesson?"),
    ("en", "What if, at that point, you felt stuck? What did you do then?"),
    ("id", "Mungkin Ibu merasa lelah sekali minggu ini?"),
    ("id", "Mungkin mulai Senin, di jam pertama, suasananya lain. Apa yang Ibu lihat?"),
])
def test_a_question_that_only_pictures_is_no_advice(lang, text):
    assert "advice" not in read_turn(text, "", lang).acts


@pytest.mark.parametrize("rater,conv,turn,wrong", [
    # "... What if, at the next session, you asked the four teachers ...? How would that feel?" - "The teachers here
    # are hard to move forward. If there's an allowance, then they come."
    ("R116", "kepala_sekolah_en", 12, "allowance"),
    # "Mungkin mulai Senin, di jam pertama, Ibu ajak anak-anak ngobrol 15 menit ... Kira-kira gimana?" - "Susah juga
    # menjelaskannya."
    ("R116", "guru_sosial_emosional_id", 13, "menjelaskannya"),
])
def test_a_suggestion_put_as_a_question_gets_a_reaction_to_it(rater, conv, turn, wrong):

    reply = _reply_at("27", rater, conv, turn)
    lang = conv.rsplit("_", 1)[1]
    assert wrong not in reply and reply in get_persona(conv.rsplit("_", 1)[0]).reactions.advice(lang), reply


def test_who_someone_is_is_not_a_telling_of_what_they_do():
    # round 27 R114, turn 5 of kepala_sekolah id: "Maaf, Pak Darmawan itu siapa, Bu?" - "Itu tadi, Pak Darmawan
    # datang awal bulan depan, ..." (the X rater: "repeats her Pak Darmawan sentence word for word")
    reply = _reply_at("27", "R114", "kepala_sekolah_id", 5)
    assert "Pengawas" in reply and "awal bulan depan" not in reply and not _as_i_said(reply, "id"), reply


def test_who_someone_is_still_comes_back_when_the_telling_said_it():
    # the earlier case (round 24): a telling that names him beside what he is still answers "who is he?"
    from simulator.coachee.asked import says_who

    assert says_who("Bu Wati guru Bahasa Inggris senior di sini.", "Bu Wati itu siapa, Bu?", "id")
    assert says_who("Pengawas kita, Pak Darmawan, datang setiap bulan.", "Pak Darmawan itu siapa?", "id")
    assert not says_who("Pak Darmawan datang awal bulan depan.", "Pak Darmawan itu siapa?", "id")
    assert says_who("Fikri is nine, and he goes to SD Negeri 2.", "Who's Fikri?", "en")


def test_who_someone_it_named_is_comes_from_the_memory_about_them():
    # round 27 R115, turn 9 of pasca_observasi_guru_ipa en: "Who is Nayla - what happened with her yesterday?" after
    # "If someone asks like Nayla did, I'll hand it back to the group first" - "I don't really know, sorry."
    reply = _reply_at("27", "R115", "pasca_observasi_guru_ipa_en", 9)
    assert "Nayla" in reply and "know" not in reply, reply


def test_the_picture_of_the_goal_presupposes_no_plan_not_told():
    # round 27 R115, turn 7 of guru_senior_skeptis en: "The little slips are full, ..." - the slips are the plan he
    # had not told yet; asked "what are those slips?" twice, he could only say he had not thought that far
    reply = _reply_at("27", "R115", "guru_senior_skeptis_en", 7)
    assert "slips" not in reply and "kertas kecil" not in reply, reply


def _pool(name: str, lang: str, role: str | None = None) -> list[str]:
    from simulator.reading.moves import move_lines

    return move_lines(lang, role)[name]


@pytest.mark.parametrize("rater,conv,turn,pools", [
    # "... My door's open if you want to talk again after Friday, okay?" - "No."
    ("R117", "murid_sosial_emosional_en", 14, ("goodbye",)),
    # "... Makasih udah cerita, Raka. Semangat ya, kalau ada apa-apa cari Ibu aja." - a new disclosure
    ("R114", "murid_target_belajar_id", 13, ("goodbye",)),
    # "Baik, Bu. Kalau Rabu siang setelah anak-anak pulang, Ibu bisa?" - a memory about parents' messages
    ("R114", "pasca_observasi_guru_pasif_id", 14, ("arrange",)),
    # "Thank you for your time today ... Would it be alright to meet again in two weeks?" - "I retire in two years."
    ("R115", "guru_senior_skeptis_en", 14, ("arrange", "goodbye")),
    # "... Would it help if I shared one idea, and you decide whether it fits?" - "I haven't thought that far"
    ("R116", "pasca_observasi_guru_pasif_en", 13, ("permission",)),
    # "Baik, saya catat: langkahnya sesuai modul ajar dan waktunya cukup. Ada hal lain, Bu?" - "Wah, itu belum bisa
    # saya jawab sekarang."
    ("R116", "pra_observasi_guru_matematika_id", 13, ("anything_else",)),
])
def test_the_close_of_a_talk_is_answered_in_kind(rater, conv, turn, pools):

    pid, lang = conv.rsplit("_", 1)
    role = get_persona(pid).role
    reply = _reply_at("27", rater, conv, turn)
    lines = [line for name in pools for line in _pool(name, lang, role)]
    assert any(line in reply for line in lines), reply


@pytest.mark.parametrize("lang,text,kind", [
    ("en", "How about Monday's lesson, how did it go?", "coaching"),
    ("en", "Did you talk again with her after that?", "coaching"),
    ("id", "Kalau Senin nanti anak-anak ribut lagi, Ibu bisa apa?", "coaching"),
    ("en", "Before I share what I noticed, what part of the lesson felt best to you?", "coaching"),
    ("en", "What else is on your mind about the class?", "coaching"),
    ("en", "How about Wednesday after school?", "arrange"),
    ("id", "Kalau Rabu gimana, Bu?", "arrange"),
    ("id", "Boleh saya kasih satu ide?", "permission"),
    ("en", "Is there anything else you'd like to add?", "anything_else"),
    ("en", "Come and find me any time, okay?", "goodbye"),
])
def test_the_new_closing_moves_are_read_narrowly(lang, text, kind):
    from simulator.reading.moves import classify

    assert classify(text, lang).kind == kind


@pytest.mark.parametrize("turn,kind", [(10, "agreed_when"), (13, "agreed_step"), (14, "agreed_deal")])
def test_a_step_it_said_yes_to_is_held_to(turn, kind):
    # round 27 R116, murid_target_belajar en: "what if you did 20 minutes of factorising before football ...? What do
    # you think?" - "Yeah, I'll try." Then "Which day are you going to start?" - "I've got the target. How to get there,
    # I haven't worked out."; "what are you going to try this week?" - "The first step's the confusing bit."; "Let's
    # start small: ... Deal?" - a goal of its own (the rater: "contradicts 'I'll try'")
    reply = _reply_at("27", "R116", "murid_target_belajar_en", turn)
    assert reply in _pool(kind, "en", "student"), reply


def test_who_about_someone_else_is_not_answered_with_the_coachee_s_own_name():
    # round 27 R117, guru_senior_skeptis id turn 7: "Kalau melihat kelas IX Bapak sekarang, apakah masih ada murid yang
    # seperti Arif dulu?" - "Iya." - "Siapa, Pak, kalau boleh tahu? Dan seperti apa dia di kelas?" - "Saya Bambang,
    # anak-anak memanggil saya Pak Bambang." (the rater: "misreads the question")
    reply = _reply_at("27", "R117", "guru_senior_skeptis_id", 7)
    assert "Bambang" not in reply, reply


def test_a_question_about_what_the_coachee_might_use_is_no_suggestion():
    from simulator.reading.moves import classify

    text = ("Silakan, Bu. Kembali ke pertanyaan tadi: cara apa yang mungkin Ibu pakai untuk mendengar masalah nyata "
            "guru-guru di kelas mereka?")
    assert "advice" not in read_turn(text, "", "id").acts and not classify(text, "id").suggests


@pytest.mark.parametrize("text", ["What if they laughed at you?", "What if the students had questions you couldn't answer?",
                                  "What if, at that point, the class got noisy again?"])
def test_a_worry_pictured_is_no_suggestion(text):
    from simulator.reading.moves import classify

    assert "advice" not in read_turn(text, "", "en").acts and not classify(text, "en").suggests


@pytest.mark.parametrize("round_,rater,conv,turn,old", [
    # "Hmm, similar-ability groups. What's the reason for that choice?" - "It's my 8C class being observed on Thursday."
    ("28", "R122", "pra_observasi_guru_matematika_en", 7, "observed on Thursday"),
    # "Maksudnya bagaimana urutannya?" - "Biasanya setelah diobservasi saya diberi nilai dan catatan."
    ("25", "R104", "pasca_observasi_guru_pasif_id", 5, "diberi nilai"),
    # "What helped you keep going through all of them?" - "Kids these days just want to play."
    ("25", "R105", "guru_senior_skeptis_en", 5, "Kids these days"),
])
def test_a_question_that_opens_nothing_and_nothing_answers_is_met_not_talked_past(round_, rater, conv, turn, old):
    # paired comparison 30: such replies (the layer's own lines) were fit 4 and non-sequiturs 13 times in 27; met with
    # "not sure" they were fit 4-6 times and non-sequiturs none
    pid, lang = conv.rsplit("_", 1)
    reply = _reply_at(round_, rater, conv, turn)
    pools = [*not_knowing_lines(get_persona(pid), lang, "aside_unsure"),
             *not_knowing_lines(get_persona(pid), lang, "aside_unknown")]
    assert old not in reply and reply in pools, reply
