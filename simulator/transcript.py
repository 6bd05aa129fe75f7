"""A coaching transcript: what the evaluator reads. CONTRACT (keep the names):

    Utterance(speaker: "coach" | "coachee", text: str)
    Transcript(lang: str, turns: list[Utterance])
    parse_transcript(text: str, name: str = "transcript") -> Transcript   # JSON or labelled plain text
    load_transcript(path) -> Transcript
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Utterance:
    speaker: str  # "coach" | "coachee"
    text: str


@dataclass
class Transcript:
    lang: str = "id"
    turns: list[Utterance] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"lang": self.lang, "turns": [{"speaker": t.speaker, "text": t.text} for t in self.turns]}
