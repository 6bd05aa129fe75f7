"""Rubrics as data: the pydantic model, the loader and the list of shipped rubrics.

A rubric file (rubrics/<id>.yaml) says how a session is scored, on which scale, with which words:

- `scale`: the levels (1..N) with names in Indonesian and English.
- `dimensions`: exactly `presence`, `active_listening`, `powerful_questions`, each with a name, a
  description, the observable criteria, one descriptor per level, and, for `scoring: signals`, the
  signals that feed it (signal name, weight, thresholds per level, whether higher or lower is better).
- `scoring: criteria` instead scores a checklist (`criteria`, each a signal compared with a value and
  mapped to a dimension) by how many are met (`overall.count_bands`).
- `settings`: e.g. whether "why"/"mengapa" counts against the coach.

The signals themselves are computed in `simulator/evaluation/scoring.py` from the per-turn Readings; SIGNALS below is
their vocabulary, so a rubric that names an unknown signal fails at load with the file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from simulator.config import RUBRICS_DIR
from simulator.content import Strict, load_yaml
from simulator.errors import ContentError
from simulator.vocabulary import DIMENSIONS

DEFAULT_RUBRIC_ID = "pamong-default"

# signal name -> what it measures (shown in `pamong evaluate --help`-level docs and the readme)
SIGNALS: dict[str, str] = {
    "coachee_talk_share": "coachee's share of all words spoken (0-1)",
    "coach_talk_share": "coach's share of all words spoken (0-1)",
    "reflections_per_question": "reflection turns per question turn (MITI R:Q; 1 fair, 2 good)",
    "reflection_share": "share of coach turns that reflect or summarise (0-1)",
    "keyword_use": "share of coach turns after a coachee turn that reuse the coachee's key words (0-1)",
    "keyword_overlap": "mean share of the previous coachee turn's content words the coach reused (0-1)",
    "rasa_count": "reflections followed by a question in the same or the next coach turn",
    "rasa_rate": "RASA sequences per question turn (0-1)",
    "feeling_reflections": "reflections that name the coachee's feelings",
    "affirmation_count": "turns that appreciate the coachee (RASA: Appreciate)",
    "questions": "coach turns that ask at least one question",
    "open_share": "open questions among question turns (0-1)",
    "closed_share": "closed questions among question turns (0-1)",
    "why_count": "'why'/'mengapa' questions",
    "why_share": "'why' questions among question turns (0-1)",
    "leading_count": "leading questions",
    "stacked_count": "turns that stack several questions",
    "stacked_share": "stacked turns among question turns (0-1)",
    "forward_count": "forward-looking turns (goal, options, plan, commitment)",
    "tirta_stages": "TIRTA stages reached in order (0-4)",
    "goal_by_coachee": "the goal question is asked and the coachee answers it (0/1)",
    "advice_count": "turns that give advice (also advice dressed as a question)",
    "advice_share": "share of coach turns that give advice (0-1)",
    "judgement_count": "turns that judge or criticise the coachee",
    "followup_concrete": "a concrete follow-up (action, time) is stated (0/1)",
    "followup_from_coachee": "the follow-up is stated by the coachee, not proposed by the coach (0/1)",
    "coachee_conclusion": "the coachee states the closing conclusion (0/1)",
}


def _check_signal(v: str) -> str:
    if v not in SIGNALS:
        raise ValueError(f"unknown signal {v!r}; known: {', '.join(sorted(SIGNALS))}")
    return v


Signal = Annotated[str, AfterValidator(_check_signal)]  # a name from SIGNALS


class LocalText(Strict):
    id: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class Level(Strict):
    level: int = Field(ge=1)
    name: LocalText


class SignalRule(Strict):
    signal: Signal
    weight: float = Field(gt=0)
    better: Literal["higher", "lower"] = "higher"
    # One threshold per step up the scale (len(scale) - 1): for "higher" the minimum value for levels
    # 2..N (non-decreasing); for "lower" the maximum value for levels 2..N (non-increasing).
    thresholds: list[float]
    note: LocalText | None = None
    # "plan": the signal is about the later phases (options, plan, commitment, closing). In a conversation that
    # stops before reaching them (a real transcript cut off, a practice ended early) it is not judged yet: it is
    # left out of the score and named in the report, rather than counted as a failure.
    phase: Literal["any", "plan"] = "any"

    @model_validator(mode="after")
    def _ordered(self) -> SignalRule:
        t = self.thresholds
        ok = all(a <= b for a, b in zip(t, t[1:], strict=False)) if self.better == "higher" else all(
            a >= b for a, b in zip(t, t[1:], strict=False))
        if not ok:
            order = "non-decreasing" if self.better == "higher" else "non-increasing"
            raise ValueError(f"thresholds for {self.signal} must be {order} when better is {self.better}")
        return self

    def level(self, value: float) -> float:
        """The signal's level on the scale, 1..N, linear between thresholds.

        Threshold k is where level k+1 is reached; between two thresholds the value earns its share of the
        step (a reflection ratio of 0.75 between 0.5 and 1.0 is level 2.5), so a session is not judged by which
        side of a line it fell on. Below the first threshold the level falls from 2 to 1 over one more step
        (from 0 for "higher" signals, from the first threshold plus the first step for "lower" ones).
        Integer counts on integer thresholds get the same levels as steps would.
        """
        t = self.thresholds
        if self.better == "higher":
            pts = [t[0] - 1 if t[0] <= 0 else 0.0, *t]
            frac = [_share(value, a, b) for a, b in zip(pts, pts[1:], strict=False)]
        else:
            first = t[0] + (t[0] - t[1] if len(t) > 1 and t[0] > t[1] else 1.0)
            pts = [first, *t]
            frac = [_share(-value, -a, -b) for a, b in zip(pts, pts[1:], strict=False)]
        return 1 + sum(frac)


def _share(v: float, a: float, b: float) -> float:
    """How much of the step from a to b (a <= b) the value v has climbed: 0..1; a zero-width step is a step."""
    if v >= b:
        return 1.0
    if v <= a or b <= a:
        return 0.0
    return (v - a) / (b - a)


class Calibration(Strict):
    """A monotone map from the unrounded score to the trainers' scale: points (x, y), linear between them and
    beyond the ends along the nearest segment, then kept within 1..N. Fitted on tuning material to match the
    trainers' strictness (mean) and spread (SD); it changes no ranking, so no correlation."""
    points: list[tuple[float, float]] = Field(min_length=2)
    fitted_on: str = ""

    @model_validator(mode="after")
    def _monotone(self) -> Calibration:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        if any(a >= b for a, b in zip(xs, xs[1:], strict=False)) or any(a > b for a, b in zip(ys, ys[1:], strict=False)):
            raise ValueError("points: x must increase and y must not decrease (a monotone map)")
        return self

    def apply(self, x: float, top: int) -> float:
        pts = self.points
        k = next((i for i in range(1, len(pts) - 1) if x < pts[i][0]), len(pts) - 1)
        (x0, y0), (x1, y1) = pts[k - 1], pts[k]
        y = y0 + (x - x0) * (y1 - y0) / (x1 - x0)
        return max(1.0, min(float(top), y))


class Cap(Strict):
    """A ceiling: when the signal crosses the value, the dimension cannot score above max_level."""
    signal: Signal
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float
    max_level: int = Field(ge=1)
    note: LocalText


class Dimension(Strict):
    name: LocalText
    description: LocalText
    criteria: list[LocalText] = Field(min_length=1)
    levels: dict[int, LocalText]
    signals: list[SignalRule] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)
    calibration: Calibration | None = None


class Criterion(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: LocalText
    dimension: Literal["presence", "active_listening", "powerful_questions"]
    signal: Signal
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float

    def met(self, value: float) -> bool:
        return compare(value, self.op, self.value)


class Overall(Strict):
    # signals scoring: overall = weighted mean of the dimension scores, rounded half up
    weights: dict[str, float] | None = None
    # signals scoring: the map of the weighted mean of the (calibrated) dimension scores; None: rounded as it is
    calibration: Calibration | None = None
    # criteria scoring: minimum number of criteria met for each level 1..N (first must be 0)
    count_bands: list[int] | None = None
    # criteria scoring: minimum share of a dimension's criteria met for each level 1..N (first must be 0)
    dimension_share_bands: list[float] | None = None


class Settings(Strict):
    why_counts_against: bool = True       # does "why"/"mengapa" count against the coach?
    goal_answer_min_words: int = Field(default=4, ge=1)   # a coachee answer to the goal question
    conclusion_window: int = Field(default=4, ge=1)       # last N turns searched for the conclusion


class Rubric(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: LocalText
    description: LocalText | None = None
    source: str | None = None
    scale: list[Level] = Field(min_length=2)
    settings: Settings = Field(default_factory=Settings)
    scoring: Literal["signals", "criteria"] = "signals"
    dimensions: dict[str, Dimension]
    criteria: list[Criterion] = Field(default_factory=list)
    overall: Overall

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        n = len(self.scale)
        if [lv.level for lv in self.scale] != list(range(1, n + 1)):
            raise ValueError("scale: levels must be 1, 2, ... in order")
        if set(self.dimensions) != set(DIMENSIONS):
            raise ValueError(f"dimensions: must be exactly {', '.join(DIMENSIONS)} "
                             f"(got {', '.join(self.dimensions) or 'none'})")
        for key, dim in self.dimensions.items():
            if set(dim.levels) != set(range(1, n + 1)):
                raise ValueError(f"dimensions.{key}.levels: need one descriptor for each level 1..{n}")
            for i, rule in enumerate(dim.signals):
                if len(rule.thresholds) != n - 1:
                    raise ValueError(f"dimensions.{key}.signals.{i}.thresholds: need {n - 1} values "
                                     f"(one per step of the {n}-level scale)")
            for i, cap in enumerate(dim.caps):
                if cap.max_level > n:
                    raise ValueError(f"dimensions.{key}.caps.{i}.max_level: above the scale")
        if self.scoring == "signals":
            for key, dim in self.dimensions.items():
                if not dim.signals:
                    raise ValueError(f"dimensions.{key}.signals: at least one signal is needed "
                                     "when scoring is 'signals'")
            w = self.overall.weights
            if not w or set(w) != set(DIMENSIONS) or any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
                raise ValueError("overall.weights: give a non-negative weight for each of "
                                 f"{', '.join(DIMENSIONS)}")
        else:
            if not self.criteria:
                raise ValueError("criteria: at least one criterion is needed when scoring is 'criteria'")
            ids = [c.id for c in self.criteria]
            if len(set(ids)) != len(ids):
                raise ValueError("criteria: ids must be unique")
            for key in DIMENSIONS:
                if not any(c.dimension == key for c in self.criteria):
                    raise ValueError(f"criteria: no criterion maps to the dimension {key}")
            for field_name, bands, top in (("count_bands", self.overall.count_bands, len(self.criteria)),
                                           ("dimension_share_bands", self.overall.dimension_share_bands, 1)):
                if not bands or len(bands) != n or bands[0] != 0 or any(
                        a > b for a, b in zip(bands, bands[1:], strict=False)) or bands[-1] > top:
                    raise ValueError(f"overall.{field_name}: need {n} non-decreasing minimums starting at 0 "
                                     f"(one per level) and at most {top}")
        return self

    def level_name(self, level: int) -> LocalText:
        return self.scale[level - 1].name

    @property
    def max_level(self) -> int:
        return len(self.scale)


def compare(value: float, op: str, target: float) -> bool:
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target,
            "==": abs(value - target) < 1e-9}[op]


def load_rubric(ref: str | Path | None = None) -> Rubric:
    """A rubric by id (a file in rubrics/) or by path to a YAML file. None: the default rubric."""
    ref = DEFAULT_RUBRIC_ID if ref is None else ref
    path = Path(ref)
    text_ref = str(ref)
    if not (text_ref.endswith((".yaml", ".yml")) or "/" in text_ref or "\\" in text_ref):
        path = RUBRICS_DIR / f"{text_ref}.yaml"
        if not path.exists():
            known = ", ".join(r.id for r in list_rubrics()) or "none"
            raise ContentError(f"unknown rubric {text_ref!r} (shipped: {known}; or give a path to a .yaml file)")
    return _load_file(path)


def list_rubrics() -> list[Rubric]:
    """Every rubric shipped in rubrics/, validated (a broken file raises ContentError)."""
    return [_load_file(p) for p in sorted(RUBRICS_DIR.glob("*.yaml"))]


_CACHE: dict[tuple[str, float], Rubric] = {}


def _load_file(path: Path) -> Rubric:
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except OSError:
        raise ContentError(f"{path}: rubric file not found") from None
    if key in _CACHE:
        return _CACHE[key]
    rubric = load_yaml(path, Rubric, "rubric")
    _CACHE[key] = rubric
    return rubric
