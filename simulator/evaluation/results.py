"""The evaluator's typed results: every score with its evidence (turn indices and quotes) and reason.

Plain dataclasses, shared by scoring (which makes them), feedback (which fills what went well and the
improvements), the report, the judge and the UI; they depend on nothing of those.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from simulator.evaluation.rubric import DIMENSIONS

if TYPE_CHECKING:
    from simulator.evaluation.transcript import Transcript


@dataclass(frozen=True)
class Text:
    """A short text in both languages."""
    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


@dataclass(frozen=True)
class Evidence:
    turn_index: int        # 0-based index into transcript.turns (a coach turn)
    quote: str             # the coach's own words, a substring of that turn
    note: Text             # what it shows
    positive: bool = True  # a strength (True) or a concern (False)


@dataclass(frozen=True)
class SignalValue:
    signal: str
    value: float
    level: float  # 1..N, linear between the rubric's thresholds (rubric.SignalRule.level)
    weight: float


@dataclass
class DimensionScore:
    key: str
    name: Text
    score: int
    level_name: Text
    evidence: list[Evidence]
    reason: Text
    signals: list[SignalValue] = field(default_factory=list)
    raw: float = 0.0       # the unrounded score that rounds to `score` (calibrated where the rubric says so)
    uncalibrated: float = 0.0  # the weighted mean of signal levels (or share of criteria met) before calibration
    not_judged: list[str] = field(default_factory=list)  # signals left out: their phase was not reached


@dataclass(frozen=True)
class CriterionResult:
    id: str
    name: Text
    dimension: str
    met: bool
    value: float
    evidence: list[Evidence]


@dataclass(frozen=True)
class Citation:
    text: str
    source: str
    heading: str
    cite: str


@dataclass
class Improvement:
    kind: str
    turn_index: int
    quote: str             # the coach's own words (substring of the turn)
    title: Text
    why: Text
    better: str            # a better phrasing, in the transcript's language
    passage: Citation | None = None


@dataclass
class WentWell:
    note: Text
    evidence: list[Evidence]


@dataclass
class SessionStats:
    turns: int
    coach_turns: int
    coachee_turns: int
    coach_words: int
    coachee_words: int
    coach_talk_share: float
    open_questions: int
    closed_questions: int
    why_questions: int
    open_closed: str           # "5:2"
    reflections: int
    reflections_per_question: float
    advice_count: int
    why_count: int
    tirta_stages: list[str]


@dataclass
class TurnView:
    """One turn as the evaluator read it (for transcript views with per-turn labels)."""
    index: int
    speaker: str
    text: str
    acts: list[str]
    flags: list[str]


@dataclass
class Evaluation:
    rubric_id: str
    rubric_name: Text
    lang: str
    scale: list[tuple[int, Text]]
    dimensions: dict[str, DimensionScore]
    overall: int
    overall_level: Text
    overall_reason: Text
    went_well: list[WentWell]
    improvements: list[Improvement]
    stats: SessionStats
    signals: dict[str, float]
    criteria: list[CriterionResult] = field(default_factory=list)
    turns: list[TurnView] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)   # e.g. "no citations: the knowledge index is empty"
    judged_by: str | None = None
    overall_raw: float = 0.0
    judge: Any = None   # judge.JudgedEvaluation: an LLM's second opinion, shown beside the scores above

    @property
    def scores(self) -> dict[str, int]:
        return {**{k: self.dimensions[k].score for k in DIMENSIONS}, "overall": self.overall}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["scores"] = self.scores
        return data


class Judge(Protocol):
    """Optional LLM judge (engineer G): refines labels/feedback; returns a new, validated Evaluation."""
    def refine(self, evaluation: Evaluation, transcript: Transcript) -> Evaluation: ...


@dataclass
class Trace:
    """Which coach turns stand behind each signal: (turn index, positive?)."""
    turns: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)

    def add(self, signal: str, index: int, positive: bool) -> None:
        self.turns.setdefault(signal, []).append((index, positive))
