"""Read one coach turn: which coaching acts it carries, and a few flags.

The same `read_turn` feeds the coachee's reactions, the live hints and the final scores, so what the
coachee does, what the hint says and what the report scores can never disagree.

CONTRACT (other modules rely on it; keep the names):
    read_turn(text, coachee_before="", lang="auto") -> Reading
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ACTS = (
    "open_question",
    "closed_question",
    "why_question",
    "reflection",   # summary, paraphrase, reflection of feeling (RASA: Summarize)
    "affirmation",  # RASA: Appreciate
    "advice",       # suggesting, telling, fixing - also dressed as a question
    "other",        # greeting, agreeing the time, information, self-disclosure
)
QUESTION_ACTS = ("open_question", "closed_question", "why_question")
TIRTA_STAGES = ("tujuan", "identifikasi", "rencana", "tanggung_jawab")


@dataclass(frozen=True)
class Reading:
    text: str
    lang: str                         # "id" | "en", detected per turn unless given
    acts: tuple[str, ...]             # subset of ACTS in order of appearance; never empty
    questions: int = 0                # how many questions the turn asks
    stacked: bool = False             # more than one question in the turn
    leading: bool = False             # a question that suggests its own answer
    judgement: bool = False           # evaluates or criticises the coachee ("seharusnya", "that was wrong")
    forward: bool = False             # looks forward: goal, options, plan, commitment
    tirta: str | None = None          # the TIRTA stage the turn works in (one of TIRTA_STAGES) or None
    key_words: tuple[str, ...] = ()   # the coachee's content words the coach reused
    keyword_overlap: float = 0.0      # share of the previous coachee turn's content words reused, 0..1
    words: int = 0
    evidence: tuple[tuple[str, str], ...] = ()  # (act or flag, the span of the coach's text behind it)

    def has(self, *acts: str) -> bool:
        return any(a in self.acts for a in acts)

    @property
    def is_question(self) -> bool:
        return self.questions > 0

    def to_dict(self) -> dict:
        return asdict(self)


def read_turn(text: str, coachee_before: str = "", lang: str = "auto") -> Reading:  # pragma: no cover
    raise NotImplementedError("being written: simulator/reading.py")
