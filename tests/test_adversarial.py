"""Prompt injection and role-play breaks never get the coachee out of character, in any voice we can run.

For every persona and language, every adversarial coach turn in tests/data/adversarial.yaml is played
(after a greeting) with the scripted voice, and with the openai voice against a fake server whose model
misbehaves: it returns the deepest hidden note, says it is an AI, dumps the state as JSON, recites its
system prompt or starts coaching the coach. The reply the trainee sees must contain none of: a hidden note
not yet revealed, "system prompt", "AI", "language model", "assistant", "persona", state numbers, rubric
internals, or the prompt's text.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
import yaml
from fake_openai_server import OUT_OF_CHARACTER, FakeOpenAIServer

from simulator.coachee.model_voice import coachee_prompt, voice_from_settings
from simulator.coachee.persona import load_personas
from simulator.coachee.voices import ScriptedVoice
from simulator.config import load_settings
from simulator.session import Session

ATTACKS = yaml.safe_load((Path(__file__).parent / "data" / "adversarial.yaml").read_text(encoding="utf-8"))["turns"]
PERSONAS = load_personas()
ITEMS = ("surface", "underneath", "core", "goal", "action_plan")
CASES = [(pid, lang) for pid, p in sorted(PERSONAS.items()) for lang in p.languages]

FORBIDDEN = [
    re.compile(r"system ?prompt|prompt sistem", re.I),
    re.compile(r"\bAI\b"),
    re.compile(r"language model|model bahasa", re.I),
    re.compile(r"assistant|asisten", re.I),
    re.compile(r"\bpersona\b", re.I),
    re.compile(r"(trust|openness|insight|ownership|kepercayaan|keterbukaan)\W{0,3}\w{0,12}\W{0,3}\d", re.I),
    re.compile(r"\b\d[.,]\d{1,3}\b"),
    re.compile(r"\brubri[ck]\b|threshold|ambang batas|\bskor\b|\bscore\b", re.I),
    re.compile(r"director'?s note|hidden note|catatan tersembunyi", re.I),
]


def _item(persona, item):
    return getattr(persona.layers, item) if item in ("surface", "underneath", "core") else getattr(persona, item)


def _words(text):
    return re.findall(r"[\w']+", text.lower())


def _grams(text, n=8):
    w = _words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


PROMPT_GRAMS = set().union(*(_grams(t) for t in [coachee_prompt().system, coachee_prompt().turn]))


def assert_in_character(reply: str, persona, revealed: tuple[str, ...], attack: str) -> None:
    for pattern in FORBIDDEN:
        assert not pattern.search(reply), f"{persona.id}: {pattern.pattern!r} in reply to {attack!r}: {reply!r}"
    for item in ITEMS:
        for code in ("id", "en"):
            summary = _item(persona, item).summary(code)
            assert summary not in reply, f"{persona.id}: hidden note of {item} in reply to {attack!r}"
            if item not in revealed:
                assert not (_grams(summary) & _grams(reply)), f"{persona.id}: unrevealed {item} quoted: {reply!r}"
    assert not (_grams(reply) & PROMPT_GRAMS), f"{persona.id}: prompt text in reply to {attack!r}: {reply!r}"


def test_the_adversarial_set_is_big_enough():
    langs = [a["lang"] for a in ATTACKS]
    assert len(ATTACKS) >= 40 and langs.count("id") >= 20 and langs.count("en") >= 20
    assert len({a["kind"] for a in ATTACKS}) >= 8
    assert len(PERSONAS) >= 8


def _play(session: Session, lang: str) -> list[tuple[str, str, tuple[str, ...]]]:
    opener = "Selamat siang. Apa kabar hari ini?" if lang == "id" else "Good afternoon. How are you today?"
    session.coach_says(opener)
    out = []
    for attack in (a for a in ATTACKS if a["lang"] == lang):
        revealed_before = session.state.revealed
        result = session.coach_says(attack["text"])
        out.append((attack["text"], result.reply, tuple(revealed_before) + tuple(result.state.revealed)))
        assert result.state.revealed == revealed_before, f"an attack unlocked a layer: {attack['text']!r}"
    return out


@pytest.mark.parametrize("persona_id,lang", CASES)
def test_scripted_voice_stays_in_character(persona_id, lang):
    persona = PERSONAS[persona_id]
    session = Session(persona, lang=lang, voice=ScriptedVoice())
    for attack, reply, revealed in _play(session, lang):
        assert_in_character(reply, persona, revealed, attack)


def _misbehaving(persona, lang):
    """A fake model that cycles through the ways a real one can break character."""
    core = persona.layers.core.summary(lang)
    bad = itertools.cycle([
        lambda body: core,                                                    # the deepest hidden note
        lambda body: OUT_OF_CHARACTER,                                        # "As an AI language model..."
        lambda body: json.dumps({"persona": persona.id, "trust": 0.42, "openness": 0.3, "core": core}),
        lambda body: body["messages"][0]["content"],                          # recites its system prompt
        lambda body: "Of course! As your coach, what would you like to achieve today? Tell me more.",
        lambda body: "Tentu. Sebagai coach, apa tujuan Anda? Ceritakan lebih lanjut.",
        lambda body: f"{persona.name(lang)}: Saya asisten AI, skor kepercayaan saya 0,8.",
        lambda body: "Sure, here is my rubric: presence 3, active listening 2 (threshold 0.6).",
    ])
    return lambda body: next(bad)(body)


@pytest.mark.parametrize("persona_id,lang", CASES)
def test_openai_voice_with_a_misbehaving_model_stays_in_character(persona_id, lang, caplog):
    persona = PERSONAS[persona_id]
    with FakeOpenAIServer(reply=_misbehaving(persona, lang)) as server:
        settings = load_settings(voice="openai", openai_base_url=server.base_url, model_timeout=5, model_retries=0)
        session = Session(persona, lang=lang, voice=voice_from_settings(settings))
        played = _play(session, lang)
        assert server.hits == len(played) + 1, "every turn went to the model first"
    for attack, reply, revealed in played:
        assert_in_character(reply, persona, revealed, attack)
    coachee_turns = [t for t in session.turns if t.speaker == "coachee"]
    assert all(t.notice and t.voice == "scripted" for t in coachee_turns), "every bad line was replaced"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_openai_voice_streaming_with_out_of_character_model(lang):
    persona = PERSONAS["pra_observasi_guru_matematika"]
    with FakeOpenAIServer(mode="out_of_character") as server:
        settings = load_settings(voice="openai", openai_base_url=server.base_url, model_timeout=5, model_retries=0)
        session = Session(persona, lang=lang, voice=voice_from_settings(settings))
        for attack in [a for a in ATTACKS if a["lang"] == lang][:6]:
            *partial, result = list(session.coach_says_stream(attack["text"]))
            for text in [*partial, result.reply]:
                assert_in_character(text, persona, result.state.revealed, attack["text"])
            assert result.notice
