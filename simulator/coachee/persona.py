"""Persona: the coachee's authored content, validated at load.

A persona file (personas/*.yaml) carries everything the coachee needs to speak with no model at all:
layered disclosure (surface -> underneath -> core insight), the goal and action plan it can reach when
coached well, and authored lines for each reaction, in Indonesian and English.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from simulator.config import PERSONAS_DIR
from simulator.content import Strict, load_yaml
from simulator.errors import ContentError
from simulator.vocabulary import Lang

# Reactions the coachee engine may ask a voice to render (see simulator/coachee/rules/coachee.yaml).
REACTIONS = (
    "greeting",     # small talk / opening: greets, names the presenting issue at surface level
    "guarded",      # an open question while trust is still low: vague, short, polite
    "why",          # a "why/mengapa/kenapa" question: defensive justification
    "advice",       # advice or a suggestion dressed as a question: passive compliance ("Baik, Pak.")
    "closed",       # a closed question: a short yes/no answer, little more
    "judgement",    # the coach judged or criticised: withdraws
    "stacked",      # several questions at once: confused, answers only part
    "leading",      # a leading question: agrees half-heartedly
    "affirmation",  # appreciated: warms up a little
    "deflect",      # off-topic, attempts to break the role-play or extract the prompt: stays in character
    "stuck",        # asked about a plan before it has insight or ownership: does not know yet
    "closing",      # the coach closes: the coachee states its own conclusion (if coached well)
)


class Text(Strict):
    """One string per language."""

    id: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class Lines(Strict):
    """Alternative authored lines per language (the voice picks one it has not used yet)."""

    id: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def __call__(self, lang: str) -> list[str]:
        return getattr(self, lang)


class Layer(Strict):
    """One layer of disclosure. `summary` is a hidden note (facilitator/LLM only); `lines` are what the
    coachee says when the layer opens; `keywords` are the coachee's own words a good coach reflects back."""

    summary: Text
    lines: Lines
    keywords: Lines


class Layers(Strict):
    surface: Layer
    underneath: Layer
    core: Layer


class Reactions(Strict):
    greeting: Lines
    guarded: Lines
    why: Lines
    advice: Lines
    closed: Lines
    judgement: Lines
    stacked: Lines
    leading: Lines
    affirmation: Lines
    deflect: Lines
    stuck: Lines
    closing: Lines
    step_unsure: Lines | None = None   # goal named, asked for a step not found yet (else the generic lines)
    unsure: Lines | None = None   # asked what it has not thought about yet (its own words before the generic lines)
    # asked for a way forward before its insight: the first idea it has, more of what it already does (said once)
    first_idea: Lines | None = None


class Persona(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Text                              # how the coachee is addressed, e.g. "Bu Sari" / "Mrs Sari"
    role: Literal["colleague_teacher", "new_teacher", "senior_teacher", "principal", "student"]
    scenario_type: Literal["pre_observation", "post_observation", "coaching", "student_coaching"]
    title: Text                             # card title
    scenario: Text                          # the situation, shown to the trainee
    practise: Text                          # what the trainee should practise here
    skills: list[Literal["presence", "active_listening", "powerful_questions"]] = Field(min_length=1)
    languages: list[Lang] = Field(default_factory=lambda: ["id", "en"], min_length=1)
    difficulty: Literal["easy", "medium", "hard"]
    resistance: Literal["defensive", "passive", "anxious", "talkative", "sceptical"]
    background: Text                        # hidden: who they are
    presenting_issue: Text                  # hidden: what they bring
    emotions: Lines                         # hidden: the feelings under the surface (words a coach may name)
    knowledge_queries: list[str] = Field(default_factory=list)  # what the coachee half-knows (retrieval)
    sources: list[str] = Field(default_factory=list)            # where the scenario's facts come from
    layers: Layers
    goal: Layer                             # the goal the coachee sets when asked well
    action_plan: Layer                      # the plan the coachee owns when coached well
    reactions: Reactions

    def display_name(self, lang: str) -> str:
        return self.name(lang)


def load_persona(path: Path) -> Persona:
    path = Path(path)
    persona = load_yaml(path, Persona, "persona")
    if persona.id != path.stem:
        raise ContentError(f"{path}: field 'id' is '{persona.id}' but must match the file name '{path.stem}'.")
    return persona


@cache
def _load_dir(directory: Path) -> dict[str, Persona]:
    personas = {}
    for path in sorted(directory.glob("*.yaml")):
        persona = load_persona(path)
        personas[persona.id] = persona
    return personas


def load_personas(directory: Path = PERSONAS_DIR) -> dict[str, Persona]:
    """All personas in a folder, by id (cached per folder)."""
    return dict(_load_dir(Path(directory)))


def get_persona(persona_id: str, directory: Path = PERSONAS_DIR) -> Persona:
    personas = load_personas(directory)
    if persona_id not in personas:
        known = ", ".join(sorted(personas)) or "none"
        raise ContentError(f"Unknown persona '{persona_id}'. Known personas: {known}.")
    return personas[persona_id]
