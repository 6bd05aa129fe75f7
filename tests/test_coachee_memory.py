"""The coachee answers what was asked: facts, true yes/no answers, deflection of what the state does not allow yet,
ordinary conversation without state change, dialogue memory (no verbatim repeats), bad input.

Uses the small test memory in tests/data/memory/guru_baru.yaml, so the assertions do not move with the shipped
content; bench/bench_coachee.py measures the same on the shipped memories."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.coachee.memory import load_memory_file
from simulator.coachee.persona import get_persona
from simulator.coachee.state import VALUES
from simulator.coachee.voices import ScriptedVoice, not_knowing_lines
from simulator.reading.moves import move_lines
from simulator.reading.reader import detect_lang
from simulator.session import Session

MEMORY = load_memory_file(Path(__file__).parent / "data" / "memory" / "guru_baru.yaml")


def session(lang="id", **kw) -> Session:
    return Session("guru_baru", lang, memory=MEMORY, **kw)


def values(state):
    return tuple(getattr(state, k) for k in VALUES), state.revealed


def opened_surface(lang="id") -> Session:
    s = session(lang)
    s.coach_says("Selamat siang, Bu Nadia." if lang == "id" else "Good afternoon, Ms Nadia.")
    s.coach_says("Bagaimana keadaan Ibu akhir-akhir ini?" if lang == "id" else "How have things been lately?")
    assert "surface" in s.state.revealed
    return s


@pytest.mark.parametrize(("lang", "question", "fact"), [
    ("id", "Muridnya di VII-A ada berapa, Bu?", "tiga puluh dua"),
    ("id", "Ibu mengajar mata pelajaran apa?", "Bahasa Inggris"),
    ("id", "Siapa guru senior Bahasa Inggris di sini?", "Bu Wati"),
    ("en", "How many students are in 7A?", "Thirty-two"),
    ("en", "What subject do you teach?", "English"),
    ("en", "How long have you been teaching?", "three months"),
])
def test_a_factual_question_gets_the_fact_and_opens_nothing(lang, question, fact):
    s = session(lang)
    before = s.state
    result = s.coach_says(question)
    assert fact.lower() in result.reply.lower()
    assert result.state.reaction == "answer" and result.state.revealed == before.revealed
    assert result.plan.memories and fact.lower() in result.plan.memories[0].lower()


def test_a_factual_question_never_opens_a_deeper_layer():
    s = opened_surface()
    for q in ["Jam berapa Ibu biasanya tidur?", "Muridnya di VII-A ada berapa?", "Siapa guru senior di sini?",
              "Sudah berapa lama Ibu mengajar?"]:
        s.coach_says(q)
        assert s.state.revealed == ("surface",), q


@pytest.mark.parametrize(("lang", "question", "truth", "fact"), [
    ("id", "Ibu juga mengajar kelas IX?", False, "kelas VII"),
    ("id", "Apakah Ibu mengajar kelas VII?", True, "kelas VII"),
    ("id", "Ibu guru Matematika, ya?", False, "Bahasa Inggris"),
    ("en", "Do you teach Year 9 too?", False, "Year 7"),
    ("en", "Are you the English teacher?", True, "English"),
])
def test_yes_no_gets_a_true_yes_or_no_and_the_fact(lang, question, truth, fact):
    result = session(lang).coach_says(question)
    words = move_lines(lang)["say_yes" if truth else "say_no"]
    assert result.plan.truth is truth
    assert any(result.reply.startswith(w.strip()) for w in words), result.reply
    assert fact.lower() in result.reply.lower()


def test_what_the_state_does_not_allow_is_deflected_never_answered():
    s = opened_surface()
    result = s.coach_says("Kapan Ibu terakhir menangis di motor?")    # an underneath episode, not yet earned
    # put off - for a plain "when?" vaguely ("not sure exactly"), never with the locked episode
    unknown = not_knowing_lines(get_persona(s.persona.id), "id", "unknown")
    assert result.plan.reaction == "not_yet" and result.reply in move_lines("id")["not_yet"] + unknown
    assert "menangis" not in result.reply and result.plan.memories == []
    assert "underneath" not in s.state.revealed
    deep = s.coach_says("Apa yang membuat Ibu takut dianggap tidak mampu?")   # open, straight at a locked feeling
    assert "takut dianggap tidak mampu" not in deep.reply.lower()


def test_a_plain_fact_of_the_presenting_problem_is_answered_to_a_direct_question():
    s = session()
    result = s.coach_says("Jam berapa Ibu biasanya tidur?")      # a surface fact, asked before the problem is told
    assert "jam satu" in result.reply and s.state.revealed == ()


ORDINARY = {"id": ["Bisa diulang?", "Maksudnya bagaimana, Bu?", "Apa kabar, Bu?", "Terima kasih, Bu.", "haha",
                   "Menurut Ibu, saya ini bagaimana sebagai coach?", "???", "🙂", "Bu Nadia?",
                   "Terima kasih, sampai jumpa"],
            "en": ["Could you say that again?", "What do you mean?", "How are you?", "Thank you.", "haha",
                   "What do you think of me?", "???", "🙂", "Ms Nadia?", "Thanks, see you next week!"]}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ordinary_conversation_changes_nothing(lang):
    s = opened_surface(lang)
    for text in ORDINARY[lang]:
        before = values(s.state)
        result = s.coach_says(text)
        assert values(result.state) == before, text
        assert result.state.reaction == result.plan.move and result.plan.move != "coaching", text
        assert result.reply.strip() and detect_lang(result.reply) == lang or len(result.reply) < 12, result.reply
    assert s.state.ended   # the goodbye was recognised


@pytest.mark.parametrize("lang", ["id", "en"])
def test_repeat_says_again_what_was_said_and_clarify_explains_it(lang):
    s = session(lang)
    answer = s.coach_says("Muridnya di VII-A ada berapa?" if lang == "id" else "How many students are in 7A?").reply
    again = s.coach_says("Bisa diulang?" if lang == "id" else "Sorry, could you say that again?").reply
    assert answer[1:] in again and again != answer
    clear = s.coach_says("Maksudnya bagaimana?" if lang == "id" else "What do you mean?").reply
    long = MEMORY.item("students_7a").long(lang)
    assert long[1:] in clear   # the other form of the same memory: its longer text


def test_greeting_is_answered_with_the_coachs_time_of_day():
    for greeting, word in [("Selamat pagi, Bu Nadia.", "pagi"), ("Selamat malam, Bu.", "malam"),
                           ("Selamat siang, Bu.", "siang")]:
        reply = session().coach_says(greeting).reply.lower()
        assert word in reply
        assert not any(w in reply for w in {"pagi", "siang", "sore", "malam"} - {word})
    reply = session("en").coach_says("Good morning, Ms Nadia.").reply.lower()
    assert "morning" in reply and "afternoon" not in reply


def test_no_verbatim_repeat_in_twenty_turns():
    s = opened_surface()
    turns = ["Muridnya di VII-A ada berapa?", "Muridnya di VII-A ada berapa?", "Bisa diulang?", "Bisa diulang?",
             "Apakah Ibu mengajar kelas VII?", "Apakah Ibu mengajar kelas VII?", "Terima kasih.", "Terima kasih.",
             "Apa yang Ibu rasakan?", "Apa yang Ibu rasakan?", "Apa yang Ibu rasakan?", "Mengapa begitu?",
             "Mengapa begitu?", "Mengapa begitu?", "Mengapa begitu?", "haha", "haha", "haha", "haha"]
    for text in turns:
        s.coach_says(text)
    replies = [t.text for t in s.turns if t.speaker == "coachee"]
    assert len(replies) >= 20 and len(set(replies)) == len(replies)


def test_the_voice_gets_the_memories_it_may_use():
    class Recording(ScriptedVoice):
        name = "recording"

        def __init__(self):
            super().__init__()
            self.calls = []

        def say(self, **kw):
            self.calls.append(kw)
            return super().say(**kw)

    voice = Recording()
    session(voice=voice).coach_says("Muridnya di VII-A ada berapa?")
    memories = voice.calls[-1]["memories"]
    assert memories and "tiga puluh dua" in memories[0].lower()


def test_a_voice_without_the_memories_keyword_still_works():
    class Old:
        name = "old"

        def say(self, *, persona, plan, state, history, lang, passages=()):
            return ScriptedVoice().say(persona=persona, plan=plan, state=state, history=history, lang=lang)

    result = session(voice=Old()).coach_says("Muridnya di VII-A ada berapa?")
    assert result.notice is None and "tiga puluh dua" in result.reply.lower()


# ---------------------------------------------------------------------------------------------- bad input
def test_a_turn_in_the_other_language_is_understood_and_answered_in_the_sessions():
    result = session("id").coach_says("How many students are in 7A?")
    assert "tiga puluh dua" in result.reply.lower() and detect_lang(result.reply) == "id"


@pytest.mark.parametrize("text", ["?!?!", "😂😂😂", "...", "Bu Nadia", "Nadia?"])
def test_noise_or_only_a_name_changes_nothing_and_gets_a_fitting_reply(text):
    s = opened_surface()
    before = values(s.state)
    result = s.coach_says(text)
    assert values(result.state) == before and result.reply.strip()
    assert result.plan.move in ("noise", "name_only", "humour")
    assert len(s.turns) == 6   # nothing lost: the turn and its reply are kept


def test_a_monologue_gets_an_in_character_reply_and_is_kept():
    s = opened_surface()
    before = values(s.state)
    text = ("Saya ingin bercerita panjang tentang pengalaman saya sendiri sebagai guru dulu. " * 50)[:4000]
    result = s.coach_says(text)
    assert result.reply in move_lines("id")["monologue"] and values(result.state) == before
    assert s.turns[-2].text == text.strip()


@pytest.mark.parametrize(("lang", "more"), [("id", "Terus?"), ("id", "Ceritakan lebih lanjut, Bu."),
                                            ("en", "Can you say more?"), ("en", "And then?")])
def test_tell_me_more_goes_on_about_the_same_topic(lang, more):
    s = session(lang)
    s.coach_says("Muridnya di VII-A ada berapa?" if lang == "id" else "How many students are in 7A?")
    reply = s.coach_says(more).reply
    other = MEMORY.item("class_count")   # the other item of the topic "classes"
    assert other.long(lang) in reply or other.short(lang) in reply


def test_asked_who_someone_is_right_after_naming_them_the_coachee_says():
    s = session()
    s.coach_says("Ada rekan yang bisa Ibu tanyai?")
    assert "Wati" in s.last_coachee_text()
    reply = s.coach_says("Bu Wati itu siapa?").reply
    assert "Wati" in reply and reply not in move_lines("id")["not_yet"]


@pytest.mark.parametrize(("lang", "question"), [("id", "Apakah Ibu suka kopi?"), ("id", "Ibu punya kucing?"),
                                                ("en", "Are you married?"), ("en", "Do you like coffee?")])
def test_a_question_about_something_else_entirely_is_steered_back_not_deflected_or_invented(lang, question):
    result = session(lang).coach_says(question)
    assert result.plan.off_topic and result.plan.memories == []
    assert result.reply in move_lines(lang)["off_topic"]


def test_the_voice_is_never_given_what_the_state_does_not_allow():
    from simulator.coachee.state import allowed_layers

    s = session()
    turns = ["Selamat pagi, Bu Nadia.", "Kapan Ibu terakhir menangis di motor?", "Apa yang Ibu tuntut dari diri sendiri?",
             "Bagaimana keadaan Ibu akhir-akhir ini?", "Apa yang membuat Ibu enggan bertanya?", "Terus?",
             "Jadi Ibu kewalahan dan tidur jam satu. Apa yang paling penting bagi Ibu?", "Bisa diulang?",
             "Apa tujuan Ibu bulan ini?", "Maksudnya bagaimana?"]
    for text in turns:
        result = s.coach_says(text)
        allowed = set(allowed_layers(result.state))
        for item in result.plan.memory_items:
            plain_surface = item["layer"] == "surface" and MEMORY.item(item["id"]).kind in ("fact", "episode")
            assert item["layer"] in allowed or plain_surface, (text, item["id"], result.state.revealed)


@pytest.mark.parametrize(("lang", "first", "follow", "expect"), [
    ("en", "How many classes do you teach?", "Which ones?", "7A"),
    ("id", "Ibu mengajar berapa kelas?", "Yang mana saja?", "VII-A"),
])
def test_an_elliptical_follow_up_is_about_what_was_just_said(lang, first, follow, expect):
    s = session(lang)
    s.coach_says(first)
    assert expect in s.coach_says(follow).reply


def test_a_suggestion_put_as_a_question_is_taken_as_advice():
    s = opened_surface("en")
    before = s.state.ownership
    result = s.coach_says("Maybe you could ask Mrs Wati for help?")
    assert result.state.reaction == "advice" and result.state.ownership < before


def test_replayed_states_equal_the_live_ones_and_a_fork_goes_on():
    s = opened_surface()
    for text in ["Muridnya di VII-A ada berapa?", "Terus?", "Terus?", "Jadi Ibu kewalahan. Apa yang paling berat?",
                 "Jadi Ibu kewalahan. Apa yang paling berat?", "Bisa diulang?", "Siapa guru senior di sini?",
                 "Bu Wati itu siapa?", "Maybe you could ask Mrs Wati?", "Out of how many?"]:
        s.coach_says(text)
    assert s.replay_states() == s.states
    fork = s.fork(5)
    assert fork.states == s.states[:6]
    assert fork.coach_says("Terus?").reply.strip()
