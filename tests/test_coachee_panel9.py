"""Issue #11, session 13: the coachee's "As I said, ..." and its weak answers to questions for a particular thing,
measured over blind panel rounds 22-24 (1,008 rated replies replayed at the commits that made them): "As I said"
plus an earlier telling was rated a non-sequitur 17 times in 18, an answer to a question for a particular thing
from a memory matched below the floor 10 times in 22, a plain "not sure" 7 times in 70. Pinned by replaying the
raters' own conversations (bench/data/panels) up to the turn."""

from __future__ import annotations

import pytest

from simulator.reading.moves import move_lines
from tests.test_coachee_panel7 import _replayed


def _as_i_said(reply: str, lang: str) -> bool:
    return reply.startswith(tuple(t.split("{said}")[0].strip() for t in move_lines(lang)["already"]))


@pytest.mark.parametrize("round_,rater,conv,turn,old", [
    # "Sekarang ini, kira-kira berapa murid yang bertanya ...?" - "Ya, tadi sudah saya bilang, tujuan saya ..."
    ("24", "R99", "guru_senior_skeptis_id", 8, "tujuan saya sederhana"),
    # "Wait, what trick? What do you do for Nabila and Raka?" - "As I said, honestly, I've never thought ..."
    ("24", "R99", "guru_diferensiasi_en", 11, "never thought of that as differentiation"),
    # "What would help you feel less alone here?" - "As I said, I feel alone here."
    ("24", "R101", "guru_baru_en", 4, "I feel alone here"),
])
def test_a_new_question_gets_no_earlier_telling_again(round_, rater, conv, turn, old):
    s, rows = _replayed(round_, rater, conv, turn - 1)
    lang = conv.rsplit("_", 1)[1]
    reply = s.coach_says(rows[turn - 1]["coach"]).reply
    assert not _as_i_said(reply, lang) and old not in reply, reply


def test_who_someone_is_comes_from_the_memory_that_says_so():
    # round 24: "Pak Darmawan itu siapa, Bu?" after a telling that named him - "Ya, tadi sudah saya bilang, untuk
    # saya sendiri, mungkin saya bisa tidur malam sebelum Pak Darmawan datang ..."
    s, rows = _replayed("24", "R102", "kepala_sekolah_id", 6)
    reply = s.coach_says(rows[6]["coach"]).reply
    assert "Pengawas" in reply and not _as_i_said(reply, "id"), reply


def test_a_goal_is_no_answer_to_how_things_are_now():
    # the untold memory as near as the told one may answer "how many ... now?" only if it is about now: "Di bab
    # Proklamasi, saya ingin setiap pertemuan ada paling tidak sepuluh pertanyaan" is the goal, not the count
    s, rows = _replayed("24", "R99", "guru_senior_skeptis_id", 7)
    reply = s.coach_says(rows[7]["coach"]).reply
    assert "sepuluh pertanyaan" not in reply and "tujuan saya" not in reply.lower(), reply


@pytest.mark.parametrize("round_,rater,conv,turn,wrong", [
    # "Which class do you enjoy teaching most?" - "Ms Rina, the young social-studies teacher, uses phone quizzes"
    ("24", "R101", "guru_senior_skeptis_en", 3, "Rina"),
    # "Of those pieces, which one matters most to you?" - "Mostly moth orchids and dendrobiums ..."
    ("23", "R96", "kepala_sekolah_en", 5, "orchids"),
])
def test_a_weak_match_to_a_question_for_a_particular_thing_is_not_said(round_, rater, conv, turn, wrong):
    s, rows = _replayed(round_, rater, conv, turn - 1)
    lang = conv.rsplit("_", 1)[1]
    reply = s.coach_says(rows[turn - 1]["coach"]).reply
    assert wrong not in reply and reply.split("... ")[-1] in [*move_lines(lang)["unknown"],
                                                               *move_lines(lang)["nothing_new"]], reply
