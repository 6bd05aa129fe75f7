"""Voices: what turns a Plan into the coachee's words.

    Reply(text, voice, notice=None)
    Voice (Protocol): name; say(*, persona, plan, state, history, lang, passages=()) -> Reply
                      optional stream(...) -> Iterator[str]
    ScriptedVoice(seed=0): the authored lines, deterministic, no model and no extra dependency.

A model-backed voice (simulator/llm_voice.py) implements the same Protocol and falls back to ScriptedVoice.
`history` is the session's turns so far (objects with `.speaker` and `.text`, or dicts with those keys).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from .coachee import LAYERS, CoacheeState, Plan
from .persona import Persona


@dataclass(frozen=True)
class Reply:
    text: str
    voice: str
    notice: str | None = None   # shown to the trainee, e.g. "the model failed; scripted voice used"


@runtime_checkable
class Voice(Protocol):
    name: str

    def say(self, *, persona: Persona, plan: Plan, state: CoacheeState, history: Sequence[Any], lang: str,
            passages: Sequence[Any] = ()) -> Reply: ...


def _field(turn: Any, key: str) -> Any:
    return turn.get(key) if isinstance(turn, dict) else getattr(turn, key, None)


def said_by_coachee(history: Iterable[Any]) -> list[str]:
    return [str(_field(t, "text")) for t in history if _field(t, "speaker") == "coachee"]


def candidate_lines(persona: Persona, plan: Plan, lang: str) -> list[str]:
    """The authored lines that fit the plan, in the session's language."""
    lang = lang if lang in persona.languages else persona.languages[0]
    if plan.reaction == "reveal":
        item = plan.layer or plan.reveal or "surface"
        source = getattr(persona.layers, item) if item in LAYERS else getattr(persona, item)
        return list(source.lines(lang))
    return list(getattr(persona.reactions, plan.reaction)(lang))


class ScriptedVoice:
    """Renders the persona's authored line for the plan. Deterministic: the choice depends only on the seed,
    the persona, the plan and what the coachee has already said. A line already said in this session is not
    repeated while an unused alternative remains; when all are used, the least recently said one returns."""

    name = "scripted"

    def __init__(self, seed: int = 0):
        self.seed = seed

    def choose(self, persona: Persona, plan: Plan, history: Sequence[Any], lang: str) -> str:
        lines = candidate_lines(persona, plan, lang)
        said = said_by_coachee(history)
        key = f"{self.seed}|{persona.id}|{plan.reaction}|{plan.layer}|{lang}"
        start = int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(lines)
        ordered = lines[start:] + lines[:start]
        fresh = [line for line in ordered if line not in said]
        if fresh:
            return fresh[0]
        last_said = {line: max(i for i, s in enumerate(said) if s == line) for line in ordered}
        return min(ordered, key=lambda line: last_said[line])

    def say(self, *, persona: Persona, plan: Plan, state: CoacheeState, history: Sequence[Any], lang: str,
            passages: Sequence[Any] = ()) -> Reply:
        return Reply(text=self.choose(persona, plan, history, lang), voice=self.name)

    def stream(self, *, persona: Persona, plan: Plan, state: CoacheeState, history: Sequence[Any], lang: str,
               passages: Sequence[Any] = ()) -> Iterator[str]:
        yield self.say(persona=persona, plan=plan, state=state, history=history, lang=lang,
                       passages=passages).text
