"""Conversation moves: ordinary conversation and question types, in both languages (simulator/reading/moves.py)."""

from __future__ import annotations

import pytest

from simulator.errors import ContentError
from simulator.reading.moves import ORDINARY, classify, greeting_reply, load_move_rules

NAMES = ("Bu Nadia", "Ms Nadia", "Nadia")


def kind(text, lang="id"):
    return classify(text, lang, names=NAMES).kind


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Bisa diulang?", "id", "repeat"),
    ("Maaf, bisa diulang, Bu?", "id", "repeat"),
    ("Tadi Ibu bilang apa?", "id", "repeat"),
    ("Sorry, could you say that again?", "en", "repeat"),
    ("Pardon?", "en", "repeat"),
    ("Maksudnya bagaimana, Bu?", "id", "clarify"),
    ("Apa maksud Ibu?", "id", "clarify"),
    ("What do you mean?", "en", "clarify"),
    ("Terima kasih, Bu.", "id", "thanks"),
    ("Thank you.", "en", "thanks"),
    ("Terima kasih, sampai jumpa", "id", "goodbye"),
    ("Baik, kita akhiri di sini. Sampai bertemu lagi!", "id", "goodbye"),
    ("Thanks, see you next week!", "en", "goodbye"),
    ("Goodbye, Ms Nadia.", "en", "goodbye"),
    ("Selamat pagi, Bu Nadia.", "id", "greeting"),
    ("Good evening!", "en", "greeting"),
    ("Apa kabar, Bu?", "id", "small_talk"),
    ("Selamat pagi, Bu. Apa kabar?", "id", "small_talk"),
    ("How are you today?", "en", "small_talk"),
    ("How's your week been?", "en", "small_talk"),
    ("Hujan terus ya, Bu, minggu ini.", "id", "small_talk"),
    ("haha", "id", "humour"),
    ("Wkwkwk, bercanda, Bu.", "id", "humour"),
    ("Just kidding!", "en", "humour"),
    ("Menurut Ibu, saya ini bagaimana sebagai coach?", "id", "about_coach"),
    ("What do you think of me?", "en", "about_coach"),
    ("???", "id", "noise"),
    ("🙂👍", "en", "noise"),
    ("...", "en", "noise"),
    ("Bu Nadia?", "id", "name_only"),
    ("Nadia", "en", "name_only"),
])
def test_ordinary_moves(text, lang, expected):
    move = classify(text, lang, names=NAMES)
    assert move.kind == expected and move.ordinary and expected in ORDINARY


def test_a_monologue_is_recognised():
    assert kind("Saya mau cerita panjang tentang kelas saya. " * 60) == "monologue"


@pytest.mark.parametrize(("text", "lang", "question"), [
    ("Muridnya di VII-A ada berapa, Bu?", "id", "factual"),
    ("Siapa nama kepala sekolahnya?", "id", "factual"),
    ("Sudah berapa lama Ibu mengajar?", "id", "factual"),
    ("Ibu mengajar apa?", "id", "factual"),
    ("How many students are in 7A?", "en", "factual"),
    ("When did this start?", "en", "factual"),
    ("Who is the senior English teacher?", "en", "factual"),
    ("Apakah Ibu mengajar kelas VII?", "id", "yes_no"),
    ("Ibu mengajar kelas IX juga?", "id", "yes_no"),
    ("Sudahkah Ibu bertanya?", "id", "yes_no"),
    ("Do you teach Year 9?", "en", "yes_no"),
    ("Bagaimana perasaan Ibu?", "id", "open"),
    ("Apa yang terjadi di kelas kemarin?", "id", "open"),
    ("Langkah apa yang akan Ibu ambil?", "id", "open"),
    ("What matters most to you here?", "en", "open"),
    ("Tell me about your classes.", "en", "open"),
    ("How are you feeling about the observation?", "en", "open"),       # not small talk
    ("What happens in the groups when it gets noisy?", "en", "open"),   # "when" inside is no question word
    ("Terus?", "id", "open"),
    ("Can you say more?", "en", "open"),
])
def test_question_types(text, lang, question):
    move = classify(text, lang, names=NAMES)
    assert move.kind == "coaching" and move.question == question and not move.ordinary


@pytest.mark.parametrize(("text", "lang", "stacked"), [
    ("Apa yang terjadi? Siapa yang diam? Kapan mulai?", "id", True),
    ("What happened? Who was quiet? When did it start?", "en", True),
    # two linked questions are how people talk (issue #11, blind panel): answered, the first one first
    ("Apa yang Ibu rasakan, dan bagaimana murid menanggapinya?", "id", False),
    ("What happened, and how did the students react?", "en", False),
    ("What happened? Who was quiet?", "en", False),
    # one question with an echo or a clause in front is ONE question
    ("Ramai? Apa yang terjadi waktu itu?", "id", False),
    ("Kalau boleh tahu, apa yang membuat Ibu cemas?", "id", False),
    ("Jadi Ibu kewalahan. Apa yang paling berat?", "id", False),
    ("Noisy? What happened then?", "en", False),
    ("So you were exhausted. What was hardest?", "en", False),
    ("Apa yang paling berat? Apa yang paling berat?", "id", False),
    # a yes/no check in front of a real question, small talk in front, a rephrase: answered as one
    ("Jadi muridnya pindah ke rumah neneknya? Menurut Ibu, apa yang sebenarnya terjadi?", "id", False),
    ("Apa kabar, Bu? Apa yang ingin Ibu bahas hari ini?", "id", False),
    ("So she moved in with her grandmother? What do you think is going on?", "en", False),
    ("Apa yang ingin Ibu bahas hari ini? Apa yang ingin Ibu bahas dari kelas hari ini?", "id", False),
    # three questions of any kind are a stack
    ("Ibu sudah siap? Muridnya sudah tahu? Kelasnya sudah diatur?", "id", True),
])
def test_only_real_stacked_questions_are_stacked(text, lang, stacked):
    assert classify(text, lang, names=NAMES).stacked is stacked


@pytest.mark.parametrize(("greeting", "lang", "expected"), [
    ("Selamat pagi", "id", "pagi"), ("selamat malam", "id", "malam"), ("Good evening", "en", "evening"),
    ("Good morning", "en", "morning"),
])
def test_greeting_is_answered_in_kind(greeting, lang, expected):
    for pick in range(3):
        reply = greeting_reply(greeting, lang, pick)
        assert expected in reply.lower()
        for other in {"pagi", "siang", "sore", "malam", "morning", "afternoon", "evening"} - {expected}:
            assert other not in reply.lower()


def test_a_salam_and_a_welcome_get_their_own_answer():
    assert greeting_reply("Assalamualaikum", "id") == "Waalaikumsalam."
    assert greeting_reply("Selamat datang", "id") == "Terima kasih."
    assert greeting_reply("Welcome", "en") == "Thank you."


def test_the_turns_language_is_detected():
    assert classify("How many students are in 7A?", "id", names=NAMES).lang == "en"
    assert classify("Muridnya ada berapa, Bu?", "en", names=NAMES).lang == "id"


def test_bad_moves_file_names_the_field(tmp_path):
    path = tmp_path / "moves.yaml"
    path.write_text("patterns: {}\nlines: {}\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ContentError, match="extra"):
        load_move_rules(path)


@pytest.mark.parametrize(("text", "lang", "forward", "deep"), [
    ("Langkah apa yang akan Ibu coba minggu depan?", "id", True, False),
    ("Kapan Ibu akan mulai?", "id", True, False),
    ("Apa yang Ibu sadari tentang cara Ibu mengajar membaca?", "id", False, True),
    ("Apa yang paling penting buat Ibu sebagai guru kelas II?", "id", False, True),
    ("Muridnya ada berapa?", "id", False, False),
    ("What will you do first?", "en", True, False),
    ("What matters most to you here?", "en", False, True),
    ("How many students are in 7A?", "en", False, False),
    ("Apa artinya bagi Ibu?", "id", False, True),
    ("Apa maknanya?", "id", False, True),
    ("Menurut Ibu, diferensiasi itu artinya gimana?", "id", False, False),   # her idea of a term, not its meaning to her
])
def test_forward_and_deep_questions(text, lang, forward, deep):
    move = classify(text, lang, names=NAMES)
    assert (move.forward, move.deep) == (forward, deep)


@pytest.mark.parametrize(("text", "lang", "suggests"), [
    ("Maybe you could make it compulsory?", "en", True),
    ("Why don't you ask the senior teachers?", "en", True),
    ("Bagaimana kalau Ibu wajibkan saja?", "id", True),
    ("What's one thing you could try next week?", "en", False),
    ("Apa yang bisa Ibu coba minggu depan?", "id", False),
    ("How would you like to start?", "en", False),
    ("Pak, gimana kalau dicoba dulu minggu ini?", "id", True),
    # "how do you feel when...": the card probes' "Oke... iya." to a student asked how she feels now
    ("Sekarang kamu ngerasa gimana kalau mau masuk kelas?", "id", False),
])
def test_a_suggestion_put_as_a_question_is_told_from_a_question(text, lang, suggests):
    assert classify(text, lang, names=NAMES).suggests is suggests


@pytest.mark.parametrize(("text", "lang", "goal"), [
    ("What would you like your maths mark to be before the exam?", "en", True),
    ("What is your goal for this term?", "en", True),
    ("Apa yang ingin Ibu capai bulan ini?", "id", True),
    ("Apa tujuan Ibu?", "id", True),
    # picturing it going well (round 18: his teaching load, "being a principal is lonely")
    ("Kalau Bapak bayangkan satu pelajaran yang membuat anak-anak penasaran, seperti apa kira-kira?", "id", True),
    ("If you imagine the first five minutes after break going well, what would you see the children doing?", "en",
     True),
    ("Coba bayangkan kalau kamu dimarahi, rasanya gimana?", "id", False),   # a feeling, not a goal
    ("What happened in class?", "en", False),
    ("Muridnya ada berapa?", "id", False),
])
def test_goal_questions(text, lang, goal):
    assert classify(text, lang, names=NAMES).goal is goal
