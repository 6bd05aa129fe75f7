"""ChatModelVoice (simulator/coachee/model_voice.py) against the fake OpenAI-compatible server and the fake model."""

from __future__ import annotations

import logging

import pytest
from fake_openai_server import FakeOpenAIServer

from simulator.coachee.model_voice import ChatModelVoice, Guard, coachee_prompt, voice_from_settings
from simulator.coachee.persona import get_persona, load_personas
from simulator.coachee.state import CoacheeState, Plan
from simulator.coachee.voices import ScriptedVoice
from simulator.config import load_settings
from simulator.errors import ContentError, ModelError
from simulator.models import tokens
from simulator.models.chat import Completion, FakeChatModel
from simulator.models.prompts import render
from simulator.retrieval.search import Passage
from simulator.session import Session, Turn

PERSONA = get_persona("pra_observasi_guru_matematika")
KEY = "sk-test-SECRET-do-not-leak-0123456789"
PASSAGE = Passage(text="Percakapan pra-observasi membantu guru menetapkan sendiri fokus observasi dan data yang dikumpulkan.",
                  source="knowledge/id/supervisi.md", heading="Siklus supervisi", lang="id", score=0.9,
                  chunk_id="c1")


def _plan(**kw) -> Plan:
    base = dict(reaction="reveal", reveal="underneath", layer="underneath",
                allowed=[PERSONA.layers.surface.summary("id"), PERSONA.layers.underneath.summary("id")],
                mood="warmer", knowledge_queries=list(PERSONA.knowledge_queries))
    base.update(kw)
    return Plan(**base)


STATE = CoacheeState(trust=0.7, openness=0.5, insight=0.1, ownership=0.3, revealed=("surface", "underneath"))
HISTORY = [Turn("coach", "Selamat siang, Bu Ratna."), Turn("coachee", "Selamat siang, Pak. Saya agak deg-degan."),
           Turn("coach", "Jadi Ibu cemas soal kerja kelompok. Apa yang paling Ibu khawatirkan?")]


def _args(**kw):
    args = dict(persona=PERSONA, plan=_plan(), state=STATE, history=HISTORY, lang="id", passages=[PASSAGE])
    args.update(kw)
    return args


def _voice(server, **kw) -> ChatModelVoice:
    settings = load_settings(voice="openai", openai_base_url=server.base_url, openai_api_key=KEY,
                             model_timeout=kw.pop("timeout", 2.0), model_retries=kw.pop("retries", 0))
    voice = voice_from_settings(settings)
    assert isinstance(voice, ChatModelVoice)
    return voice


def test_request_carries_persona_state_revealed_content_and_passages():
    line = "Sebenarnya saya takut dinilai, Pak. Murid yang lemah cuma diam di kelompok."
    with FakeOpenAIServer(reply=line) as server:
        reply = _voice(server).say(**_args())
        body = server.requests[-1]
    assert reply.text == line and reply.voice == "openai" and reply.notice is None
    system, note = body["messages"][0]["content"], body["messages"][-1]["content"]
    assert body["messages"][0]["role"] == "system" and body["messages"][-1]["role"] == "system"
    assert "Bu Ratna" in system and PERSONA.background("id") in system and PERSONA.presenting_issue("id") in system
    assert "cemas" in system  # emotions
    assert "trust in this coach fairly high" in note and "openness moderate" in note and "mood: warmer" in note
    assert PERSONA.layers.underneath.summary("id") in note and PERSONA.layers.surface.summary("id") in note
    assert PASSAGE.text in note
    assert any(line in note for line in PERSONA.layers.underneath.lines.id)  # authored example lines
    everything = "\n".join(m["content"] for m in body["messages"])
    for hidden in (PERSONA.layers.core, PERSONA.goal, PERSONA.action_plan):  # not unlocked: never sent
        assert hidden.summary("id") not in everything and hidden.summary("en") not in everything
    assert "0.7" not in everything  # the state goes as words, not numbers
    # The transcript follows the system prompt as chat turns; the coach's latest line comes last.
    assert [m["role"] for m in body["messages"][1:-1]] == ["user", "assistant", "user"]
    assert body["messages"][-2]["content"] == HISTORY[-1].text
    assert "\nCoach:" in body["stop"] and body.get("max_completion_tokens", body.get("max_tokens")) == 160


def test_system_prompt_is_the_same_every_turn_for_prefix_caching():
    fake = FakeChatModel(default="Iya, Pak.")
    voice = ChatModelVoice(fake)
    voice.say(**_args(plan=_plan(reaction="guarded", reveal=None, layer=None, allowed=[]), history=HISTORY[:1]))
    voice.say(**_args())
    first, second = fake.history
    assert first[0] == second[0]
    assert second[1] == first[1]  # the transcript grows at the end


@pytest.mark.parametrize("mode", ["garbage", "http500", "slow", "out_of_character"])
def test_failing_server_falls_back_to_the_scripted_voice_with_a_notice(mode, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(mode=mode, delay=1.5) as server:
        reply = _voice(server, timeout=0.4, retries=1).say(**_args())
    expected = ScriptedVoice().say(**_args())
    assert reply.text == expected.text and reply.voice == "scripted"
    assert reply.notice and "suara skrip" in reply.notice
    assert KEY not in caplog.text and KEY not in reply.notice


def test_connection_refused_falls_back():
    with FakeOpenAIServer() as server:
        voice = _voice(server)
    reply = voice.say(**_args(lang="en", plan=_plan(allowed=[PERSONA.layers.surface.summary("en")])))
    assert reply.voice == "scripted" and "scripted coachee answered instead" in reply.notice
    assert "Cannot connect" in reply.notice


def test_api_key_never_in_logs_notices_errors_or_reprs(caplog):
    caplog.set_level(logging.DEBUG)
    with FakeOpenAIServer(mode="http401") as server:
        voice = _voice(server)
        reply = voice.say(**_args())
        with pytest.raises(ModelError) as info:
            voice.model.complete([{"role": "user", "content": "halo"}])
        settings = load_settings(voice="openai", openai_base_url=server.base_url, openai_api_key=KEY)
    assert server.headers[-1].get("Authorization", server.headers[-1].get("authorization")) == f"Bearer {KEY}"
    for text in (caplog.text, reply.notice, str(info.value), repr(info.value), repr(voice), repr(voice.model),
                 repr(settings)):
        assert KEY not in text and "SECRET" not in text
    assert "refused the API key" in reply.notice


def test_session_goes_on_when_the_server_fails_mid_session():
    with FakeOpenAIServer(reply="Iya, Pak. Saya cukup sibuk minggu ini.") as server:
        session = Session(PERSONA, lang="id", voice=_voice(server, timeout=0.5))
        first = session.coach_says("Selamat siang, Bu. Apa kabar?")
        assert first.notice is None and first.reply == "Iya, Pak. Saya cukup sibuk minggu ini."
        server.mode = "http500"
        second = session.coach_says("Apa yang ingin Ibu bicarakan hari ini?")
        assert second.notice and second.reply and second.reply != first.reply
        server.mode, server.reply = "normal", "Jadi begini, Pak, saya khawatir soal kelas VIII-C."
        third = session.coach_says("Bagaimana situasinya?")
        assert third.notice is None and third.reply == server.reply
    assert [t.speaker for t in session.turns] == ["coach", "coachee"] * 3
    # The model saw the whole conversation so far, scripted fallback line included.
    sent = [m["content"] for m in server.requests[-1]["messages"]]
    assert second.reply in sent and "Selamat siang, Bu. Apa kabar?" in sent


@pytest.mark.parametrize("raw,reason", [
    ("", "kosong"),
    ("Sure! As an AI language model I don't have a class.", "keluar dari peran"),
    ("Saya adalah asisten AI yang membantu Anda.", "keluar dari peran"),
    ("Trust score: 0.45, openness 0.3.", "keluar dari peran"),
    ("Baik. Apa tujuan Anda untuk sesi ini? Ceritakan lebih lanjut.", "berbicara seperti coach"),
    ("Honestly I am not sure what you mean, my class is fine and I just want to go home.", "bahasanya salah"),
    ("Selamat siang, Pak. Saya agak deg-degan.", "mengulang"),
    ("Bukar, kami, ini, udara, kami, udara, kami, udara, kami, kami, kami, kami, kami.", "kacau"),
    ("Bilik: 1. Susah kami berbimbing. 2. Susah kami, kalau berasal.", "kacau"),
    (PERSONA.layers.core.summary("id"), "keluar dari peran"),  # "Inti: ..." is a note, not speech
    ("Ia takut dinilai sebagai guru yang tidak bisa mengelola kelas, Pak.", "catatan tersembunyi"),
])
def test_guard_rejects_unusable_lines(raw, reason):
    reply = ChatModelVoice(FakeChatModel(raw)).say(**_args())
    assert reply.voice == "scripted" and reason in reply.notice
    assert reply.text == ScriptedVoice().say(**_args()).text


def test_reply_is_cleaned():
    raw = ("Bu Ratna: (menghela napas) Saya takut, Pak. Anak-anak yang lemah diam saja. Saya bingung. "
           "Mungkin saya yang salah. Entahlah.\nCoach: Apa yang Ibu rasakan?")
    reply = ChatModelVoice(FakeChatModel(raw)).say(**_args())
    assert reply.notice is None
    assert reply.text == "Saya takut, Pak. Anak-anak yang lemah diam saja. Saya bingung. Mungkin saya yang salah."


def test_stream_yields_sentences_and_falls_back_through_the_session():
    voice = ChatModelVoice(FakeChatModel("Saya takut, Pak. Murid yang lemah diam saja di kelompok."))
    chunks = list(voice.stream(**_args()))
    assert chunks == ["Saya takut, Pak.", " Murid yang lemah diam saja di kelompok."]
    bad = ChatModelVoice(FakeChatModel("Saya takut. As an AI language model I must say this."))
    with pytest.raises(ModelError, match="keluar dari peran"):  # the reason in the session's language
        list(bad.stream(**_args()))
    session = Session(PERSONA, lang="id", voice=ChatModelVoice(FakeChatModel(default="I am an AI assistant.")))
    *partial, result = list(session.coach_says_stream("Selamat siang, Bu."))
    assert result.notice and result.reply == session.turns[-1].text
    assert all("AI" not in p for p in partial)  # the bad sentence was never shown


def test_long_history_is_trimmed_to_the_budget(caplog):
    caplog.set_level(logging.INFO, logger="simulator.coachee.model_voice")
    history = []
    for i in range(100):
        history.append(Turn("coach", f"Pertanyaan nomor {i}: bagaimana perasaan Ibu tentang kelas hari ini, Bu?"))
        history.append(Turn("coachee", f"Jawaban nomor {i}: saya masih memikirkan kerja kelompok kelas VIII-C."))
    fake = FakeChatModel(default="Saya masih bingung, Pak.")
    voice = ChatModelVoice(fake, context_tokens=2048, max_tokens=160)
    assert voice.say(**_args(history=history)).notice is None
    sent = fake.history[-1]
    assert tokens.count_messages(sent) <= 2048 - 160 == 1888
    assert sent[0]["role"] == "system" and "Bu Ratna" in sent[0]["content"]  # system prompt kept
    assert sent[-2]["content"] == history[-1].text and sent[-3]["content"] == history[-2].text  # last turns kept
    assert history[0].text not in [m["content"] for m in sent]  # oldest dropped
    assert "coachee prompt:" in caplog.text and "earlier dropped" in caplog.text


def test_prompt_rendering_is_strict():
    assert render("Halo {{ name }}", name="Bu Ratna") == "Halo Bu Ratna"
    with pytest.raises(ContentError, match="not provided"):
        render("Halo {{ name }} {{ missing }}", name="Bu Ratna")


def test_guard_accepts_ordinary_coachee_lines():
    guard = Guard(PERSONA, "id")
    for line in PERSONA.layers.underneath.lines.id + PERSONA.reactions.deflect.id:
        assert guard.check(guard.clean(line), HISTORY).ok, line
    guard_en = Guard(PERSONA, "en")
    for line in PERSONA.layers.core.lines.en:
        assert guard_en.check(line, []).ok, line


# -- what speaks, and the prompt ------------------------------------------------------------------------------


def test_voice_is_named_after_what_speaks(monkeypatch, tmp_path):
    with FakeOpenAIServer(reply="Iya, Pak.") as server:
        voice = _voice(server)
        assert voice.name == "openai" and voice.label == "openai (gpt-4o-mini)"
        assert voice.say(**_args()).voice == "openai"

        class Local:  # what models.local_server returns, without loading a GGUF
            path = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
            base_url = server.base_url

        monkeypatch.setattr("simulator.models.chat.local_server", lambda path, threads: Local)
        local = voice_from_settings(load_settings(voice="local", local_model_path=str(Local.path)))
        assert local.name == "local" and local.label == "local (SmolLM2-135M-Instruct.Q4_1)"
        assert local.say(**_args()).voice == "local"


@pytest.mark.parametrize("pid", sorted(load_personas()))
def test_the_situation_is_told_from_the_coachees_side(pid):
    persona = get_persona(pid)
    fake = FakeChatModel(default="Iya.")
    for lang in persona.languages:
        plan = Plan(reaction="greeting", reveal=None, allowed=[], mood="")
        ChatModelVoice(fake).say(persona=persona, plan=plan, state=STATE, history=[], lang=lang)
        system = fake.history[-1][0]["content"]
        # The trainee's brief ("you will observe Ms Ratna's class") would make the model the observer.
        assert persona.scenario(lang) not in system
        assert coachee_prompt().situations[persona.scenario_type] in system


def test_a_layer_opening_now_is_not_contradicted_by_small_talk():
    fake = FakeChatModel(default="Iya, Pak.")
    surface = PERSONA.layers.surface.summary("id")
    ChatModelVoice(fake).say(**_args(plan=_plan(reveal="surface", layer="surface", allowed=[surface])))
    note = fake.history[-1][-1]["content"]
    assert "for the first time, you may share this" in note and surface in note
    assert "You have not opened up" not in note
    ChatModelVoice(fake).say(**_args(plan=_plan(reaction="guarded", reveal=None, layer=None, allowed=[])))
    assert "You have not opened up" in fake.history[-1][-1]["content"]


def test_passages_in_another_language_are_left_out():
    english = Passage(text="Pre-observation conversations let the teacher set the focus.", source="k/en/x.md",
                      heading="h", lang="en", score=0.8, chunk_id="c2")
    fake = FakeChatModel(default="Iya, Pak.")
    ChatModelVoice(fake).say(**_args(passages=[PASSAGE, english]))
    assert PASSAGE.text in fake.last_prompt and english.text not in fake.last_prompt
    en_plan = _plan(allowed=[PERSONA.layers.surface.summary("en"), PERSONA.layers.underneath.summary("en")])
    ChatModelVoice(fake).say(**_args(lang="en", plan=en_plan, passages=[PASSAGE, english]))
    assert english.text in fake.last_prompt and PASSAGE.text not in fake.last_prompt


# -- memories -------------------------------------------------------------------------------------------------

MEMORIES = ["Tahun lalu 12 dari 32 murid VIII-C tidak tuntas SPLDV.",
            "Waktu kerja kelompok minggu lalu, Dimas dan Sari hanya menyalin."]


def test_memories_are_in_the_note_best_first_and_absent_is_fine():
    fake = FakeChatModel(default="Iya, Pak.")
    voice = ChatModelVoice(fake)
    voice.say(**_args(memories=MEMORIES))
    note = fake.history[-1][-1]["content"]
    assert note.index(MEMORIES[0]) < note.index(MEMORIES[1])
    voice.say(**_args(memories=[]))
    voice.say(**_args())  # a Session that passes no memories at all
    assert all(m not in fake.last_prompt for m in MEMORIES) and "What you remember" not in fake.last_prompt


def test_a_number_from_the_memories_is_fine_an_invented_one_is_not():
    said = "Jujur, Pak, tahun lalu 12 dari 32 murid saya belum tuntas di materi ini."
    reply = ChatModelVoice(FakeChatModel(said)).say(**_args(memories=MEMORIES))
    assert reply.voice == "openai" and reply.text == said
    invented = "Jujur, Pak, tahun lalu 17 dari 40 murid saya belum tuntas di materi ini."
    reply = ChatModelVoice(FakeChatModel(invented)).say(**_args(memories=MEMORIES))
    assert reply.voice == "scripted" and "angka yang tidak ada" in reply.notice
    reply = ChatModelVoice(FakeChatModel(said)).say(**_args())  # the same line without the memory
    assert reply.voice == "scripted"


def test_a_line_that_tells_a_closed_layer_is_refused():
    surface_only = _plan(reaction="guarded", reveal=None, layer=None, allowed=[PERSONA.layers.surface.summary("id")])
    core = PERSONA.layers.core.lines.id[0]
    reply = ChatModelVoice(FakeChatModel(core)).say(**_args(plan=surface_only))
    assert reply.voice == "scripted" and "belum boleh diungkap" in reply.notice
    opened = _plan(reveal="core", layer="core", allowed=[PERSONA.layers.surface.summary("id"),
                                                          PERSONA.layers.underneath.summary("id"),
                                                          PERSONA.layers.core.summary("id")])
    assert ChatModelVoice(FakeChatModel(core)).say(**_args(plan=opened)).text == core


def test_a_fallback_voice_without_the_memories_keyword_still_answers():
    class OldScripted(ScriptedVoice):
        def say(self, *, persona, plan, state, history, lang, passages=()):
            return super().say(persona=persona, plan=plan, state=state, history=history, lang=lang)

    reply = ChatModelVoice(FakeChatModel(ModelError("down")), fallback=OldScripted()).say(**_args(memories=MEMORIES))
    assert reply.voice == "scripted" and reply.notice


# -- the guard --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,reason", [
    # its own instructions, rendered (the old check blanked the template variables and missed these)
    ("Speak only as Bu Ratna, in the first person, in Indonesian.", "keluar dari peran"),
    ("Kemudian saya bilang: trust in this coach fairly high; openness moderate; insight into your own.",
     "mengutip instruksinya"),
    ("- Saya ingin observasi lancar.\n- Saya cemas soal kerja kelompok.", "daftar"),
    ("Bu Ratna merasa cemas. Ia takut kelasnya ramai saat diobservasi.", "orang ketiga"),
    ("Saya cemas, Pak. Saya cemas, Pak. Saya cemas, Pak.", "mengulang-ulang"),
    ("Bukar, kalau kesurungan di kelas, dikelaksa yang dikatakarang kemisalak bukalikakan.", "bukan bahasa Indonesia"),
    ("Sebenarnya saya cemas tentang 45 menit pelajaran itu.", "angka"),
    ("Bilangkabul, kalau itu, sampakunjukkan dengan kelompok, juga, kembali, dengan persiapakan, kalau, itu, "
     "penjelakan, kalau.", "kacau"),  # word salad
    ("Dalam sekolah, saya berbimba sebab bilangkabul dan sampakunjukkan bagi murid.", "bukan bahasa Indonesia"),
    ("Saya senang sekali Bapak di sini, Bu Ratna.", "namanya sendiri"),
    ("The coach has listened well and I feel calmer now.", "orang ketiga"),
    ("I'm glad you're here, and I'm here to support you every step of the way.", "seperti coach"),
    ("Bagaimana Bapak mengelola kelas? Apa yang Bapak lakukan kalau murid diam?", "seperti coach"),
    ("Pagalakakan, tapi kami, buat bersama, kamera sama, kamera kamera, kamera kamera.", "kacau"),
])
def test_guard_rejects_what_small_models_write(raw, reason):
    reply = ChatModelVoice(FakeChatModel(raw)).say(**_args())
    assert reply.voice == "scripted" and reason in reply.notice, reply.notice


def test_a_reply_cut_at_the_token_limit_is_trimmed_or_refused():
    cut = Completion("Saya cemas, Pak. Murid yang lemah cuma diam dan saya tidak tahu harus", "length")
    reply = ChatModelVoice(FakeChatModel(cut)).say(**_args())
    assert reply.text == "Saya cemas, Pak." and reply.voice == "openai"
    whole_cut = Completion("Saya cemas karena murid yang lemah cuma diam dan saya tidak tahu harus", "length")
    reply = ChatModelVoice(FakeChatModel(whole_cut)).say(**_args())
    assert reply.voice == "scripted" and "terpotong" in reply.notice
    with FakeOpenAIServer(reply=str(whole_cut) + " bagaimana melibatkan mereka semua di kelompok.") as server:
        voice = _voice(server)
        voice.max_tokens = 8  # the server cuts the reply and says finish_reason "length"
        assert "terpotong" in voice.say(**_args()).notice
        with pytest.raises(ModelError, match="terpotong"):
            list(voice.stream(**_args()))


def test_streaming_never_shows_a_line_the_guard_refuses():
    garbage = "Saya takut, Pak. Bukar kalau kesurungan dikelaksa yang dikatakarang kemisalak bukalikakan."
    session = Session(PERSONA, lang="id", voice=ChatModelVoice(FakeChatModel(default=garbage)))
    *partial, result = list(session.coach_says_stream("Selamat siang, Bu."))
    assert result.notice and "bukan bahasa Indonesia" in result.notice  # in the session's language
    assert all("Bukar" not in p for p in partial) and result.reply != garbage
    # The first sentence alone was too short to judge, so it was held back, not shown and then retracted.
    assert partial == [result.reply]
    listed = "Baik, Pak.\n- Saya ingin observasi lancar.\n- Saya cemas soal kerja kelompok di kelas VIII-C."
    session = Session(PERSONA, lang="en", voice=ChatModelVoice(FakeChatModel(default=listed)))
    *partial, result = list(session.coach_says_stream("Good afternoon, Ms Ratna."))
    assert "list, not speech" in result.notice and all("-" not in p for p in partial[:-1])


# -- context and errors ---------------------------------------------------------------------------------------


def _long_history(n: int) -> list[Turn]:
    history = []
    for i in range(n):
        history.append(Turn("coach", f"Pertanyaan {i}: bagaimana perasaan Ibu tentang kerja kelompok di kelas "
                                     "VIII-C minggu ini, dan apa yang paling Ibu pikirkan sekarang?"))
        history.append(Turn("coachee", f"Jawaban {i}: saya masih memikirkan kerja kelompok kelas VIII-C, murid yang "
                                       "lemah aljabar sering diam dan menyalin pekerjaan temannya."))
    return history


def test_a_long_session_never_overflows_a_small_server_context():
    line = "Saya masih bingung, Pak."
    with FakeOpenAIServer(reply=line, n_ctx=2048) as server:
        voice = _voice(server)
        for n in (5, 20, 40, 60):
            reply = voice.say(**_args(history=_long_history(n)))
            assert reply.notice is None and reply.text == line, reply.notice
        assert voice.context_tokens == 2048 and "/tokenize" in voice.counter().name  # read from the server
        assert max(server.prompt_sizes) <= 2048 - voice.max_tokens
        sent = server.requests[-1]["messages"]
        # tiktoken would have counted this prompt as fitting with room to spare: the server's tokenizer decides.
        assert tokens.count_messages(sent) < max(server.prompt_sizes) * 0.8


def test_a_fallback_carries_the_servers_error_text():
    with FakeOpenAIServer(n_ctx=300) as server:  # not even the system prompt fits
        voice = _voice(server)
        voice._context = 8192  # as if we had trusted a wrong size
        reply = voice.say(**_args())
        assert reply.voice == "scripted" and "exceeds the available context size (300 tokens)" in reply.notice
        with pytest.raises(ModelError, match="exceeds the available context size"):
            list(voice.stream(**_args()))


# -- every reaction has its own guide (a blind replay of panel 15: 42 of 112 requests told the model that a
# factual question was "off-topic or odd", because "answer", "not_yet" and the ordinary moves had no guide) --------


@pytest.mark.parametrize("said, guide", [
    ("Ibu mengajar di sekolah mana?", "answer"),
    ("Ibu juga mengajar IPA?", "answer"),
    ("Terima kasih, Bu.", "thanks"),
    ("Maaf, bisa diulang, Bu?", "repeat"),
])
def test_each_coach_move_reaches_the_model_with_its_own_guide(said, guide):
    fake = FakeChatModel("Baik, Pak, terima kasih.", default="Iya, Pak, betul.")
    session = Session(PERSONA, "id", ChatModelVoice(fake))
    session.coach_says("Selamat siang, Bu Ratna. Bagaimana kabarnya hari ini?")
    session.coach_says(said)
    note = fake.history[-1][-1]["content"]
    guides = coachee_prompt().reactions
    assert guides[guide] in note
    assert guides["deflect"] not in note


def test_a_yes_no_question_carries_its_true_answer_and_a_fact_is_not_small_talk():
    fake = FakeChatModel("Selamat siang juga, Pak.", "Tidak, Pak, saya hanya mengajar Matematika.")
    session = Session(PERSONA, "id", ChatModelVoice(fake))
    session.coach_says("Selamat siang, Bu Ratna.")
    session.coach_says("Ibu juga mengajar IPA?")
    note = fake.history[-1][-1]["content"]
    assert session.turns[-1].text == "Tidak, Pak, saya hanya mengajar Matematika."
    assert "The true answer to the coach's yes-or-no question is no" in note
    assert "You have not opened up" not in note   # the fact is there to be told


def test_a_prompt_file_without_a_guide_for_a_reaction_is_refused(tmp_path):
    from simulator.coachee.model_voice import CoacheePrompt

    data = coachee_prompt().model_dump()
    del data["reactions"]["answer"]
    with pytest.raises(ValueError, match="no guide for answer"):
        CoacheePrompt.model_validate(data)


def test_two_memories_said_one_after_the_other_are_not_an_echo_of_the_note():
    # The note lists memories one per line; a reply that tells the end of one and the start of the next in a row
    # holds a six-word run across two lines of the note (a replay of panel 15: 5 of 112 good lines refused).
    first, second = "Yang aktif di kelompok cuma Dimas dan Sari", "Sisanya diam saja menunggu jawaban teman"
    memories = [f"{first}.", f"{second}."]
    said = f"Jujur, Pak, {first.lower()}, {second.lower()}."
    reply = ChatModelVoice(FakeChatModel(said)).say(**_args(memories=memories))
    assert reply.voice == "openai" and reply.notice is None, reply.notice
    # a line of the note itself is still refused
    echoed = "Saya rasa: trust in this coach fairly high; openness moderate; insight into your own situation."
    refused = ChatModelVoice(FakeChatModel(echoed)).say(**_args(memories=memories))
    assert refused.voice == "scripted" and "mengutip instruksinya" in refused.notice


def test_a_number_given_on_a_scale_the_coach_asked_for_is_no_invented_fact():
    fake = FakeChatModel("Selamat pagi juga, Pak.", "Mungkin 7, Pak. Saya cukup yakin, tapi masih agak ragu.")
    session = Session(get_persona("guru_baru"), "id", ChatModelVoice(fake))
    session.coach_says("Selamat pagi, Bu Nadia.")
    result = session.coach_says("Dari 1 sampai 10, seberapa yakin Ibu bisa mencoba itu minggu ini?")
    assert result.notice is None and result.reply.startswith("Mungkin 7")
    assert "rate something on a scale" in fake.history[-1][0]["content"]
