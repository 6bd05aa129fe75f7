"""The optional LLM judge: a second opinion beside the deterministic evaluator, never instead of it.

    judged = judge_evaluation(evaluation, transcript, rubric, model, lang)   # -> JudgedEvaluation
    LLMJudge(model, rubric).refine(evaluation, transcript)                   # scoring.Judge protocol
    judge_from_settings(settings, rubric)                                    # the configured model, or ModelError

The model (any `models.ChatModel`) receives the rubric (dimensions, criteria, one descriptor per level), the
transcript with turn numbers, each coach turn's automatic acts and flags, the automatic scores with their
reasons and the improvements (prompt: simulator/prompts/judge.yaml). It must answer with ONE JSON object,
validated here with pydantic (extra="forbid", strict types): per dimension `reason` (first), `score` (an int
on the rubric's scale) and `evidence_turns` (coach turns that exist); optional label corrections (acts from
reading.ACTS); 2-4 sentences of richer feedback per improvement. The ChatModel seam has no `response_format`,
so the JSON Schema is in the prompt and the first JSON object of the reply is parsed.

A reply that fails any check is sent back once with the error; a second failure raises ModelError. There is
never a default score: the caller keeps the deterministic report and shows `unusable_note(...)`.
Turn numbers in the prompt and the reply are 1-based (as in the reports); the typed results hold 0-based
`turn_index` values like the rest of scoring.py.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from simulator.content import Strict, load_yaml
from simulator.errors import ContentError, ModelError
from simulator.evaluation.rubric import DIMENSIONS, Rubric, load_rubric
from simulator.evaluation.scoring import Evaluation, Text
from simulator.evaluation.transcript import Transcript
from simulator.models import tokens
from simulator.models.chat import ChatModel, redact
from simulator.models.prompts import render
from simulator.reading.reader import ACTS

log = logging.getLogger(__name__)

PROMPT_FILE = Path(__file__).resolve().parent.parent / "prompts" / "judge.yaml"
TURN_CHARS = 1200          # a longer turn is shortened in the prompt (the judge still sees its start)
MAX_PROMPT_TOKENS = 24000  # beyond this the transcript is too long to judge in one request
MAX_TOKENS = 1800          # the reply: three reasons, a few corrections, three feedback paragraphs
MIN_REPLY_TOKENS = 700     # less room than this for the reply in the model's context: do not ask at all

Act = Literal["open_question", "closed_question", "why_question", "reflection", "affirmation", "advice", "other"]
assert set(Act.__args__) == set(ACTS), "judge.Act must list reading.ACTS"  # type: ignore[attr-defined]


# -- the prompt file ------------------------------------------------------------------------------------------


class _Local(Strict):
    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class JudgePrompt(Strict):
    system: str
    user: str
    retry: str
    speakers: dict[Literal["coach", "coachee"], str]
    languages: dict[Literal["id", "en"], str]
    labels: dict[str, _Local]


_LABEL_KEYS = {"title", "intro", "dimension", "automatic", "judge", "reason", "evidence", "turn", "agreement",
               "agrees", "close", "differs", "overall", "corrections", "automatic_labels", "judge_labels",
               "feedback", "improvement", "unusable"}


@cache
def judge_prompt() -> JudgePrompt:
    prompt = load_yaml(PROMPT_FILE, JudgePrompt, "prompt")
    missing = _LABEL_KEYS - set(prompt.labels)
    if missing:
        raise ContentError(f"{PROMPT_FILE}: field 'labels': missing {', '.join(sorted(missing))}")
    return prompt


def _label(key: str, lang: str, **fmt: Any) -> str:
    text = judge_prompt().labels[key].get(lang)
    return text.format(**fmt) if fmt else text


# -- the reply schema (field order is the order the model writes: reason before score) -----------------------


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _not_placeholder(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        raise ValueError("is the example's placeholder; write your own text")
    return text


class DimensionVerdict(_Reply):
    reason: str = Field(min_length=10, max_length=2000,
                        description="Written FIRST: why this score, citing the coach's words and turn numbers.")
    score: int = Field(ge=1, description="A whole number on the rubric's scale, decided after the reason.")
    evidence_turns: list[int] = Field(min_length=1, max_length=10,
                                      description="Numbers of the COACH turns the reason rests on.")

    _reason = field_validator("reason")(_not_placeholder)


class DimensionVerdicts(_Reply):
    presence: DimensionVerdict
    active_listening: DimensionVerdict
    powerful_questions: DimensionVerdict


class LabelFix(_Reply):
    turn: int = Field(description="The number of a COACH turn whose automatic labels are wrong.")
    reason: str = Field(min_length=5, max_length=600, description="Written first: why the labels are wrong.")
    acts: list[Act] = Field(min_length=1, max_length=len(ACTS), description="The correct acts for that turn.")


class FeedbackItem(_Reply):
    improvement: int = Field(ge=1, description="The improvement's number as listed in the prompt.")
    feedback: str = Field(min_length=40, max_length=1200, description="2 to 4 sentences for the trainee.")

    _feedback = field_validator("feedback")(_not_placeholder)


class JudgeReply(_Reply):
    dimensions: DimensionVerdicts
    label_corrections: list[LabelFix] = Field(default_factory=list, max_length=60)
    improvements: list[FeedbackItem] = Field(max_length=10)

    @model_validator(mode="after")
    def _fits_the_session(self, info: ValidationInfo) -> JudgeReply:
        """Checks that need the session: the scale, which turns are coach turns, how many improvements."""
        ctx = info.context or {}
        high = ctx.get("high")
        coach = set(ctx.get("coach_turns", ()))
        numbers = ctx.get("improvement_numbers")
        problems = []
        for key in DIMENSIONS:
            v = getattr(self.dimensions, key)
            if high is not None and not 1 <= v.score <= high:
                problems.append(f"dimensions.{key}.score: {v.score} is outside the scale 1-{high}")
            bad = [t for t in v.evidence_turns if coach and t not in coach]
            if bad:
                problems.append(f"dimensions.{key}.evidence_turns: {_turn_list(bad)} not coach turns "
                                f"(coach turns: {_turn_list(sorted(coach))})")
            if len(set(v.evidence_turns)) != len(v.evidence_turns):
                problems.append(f"dimensions.{key}.evidence_turns: a turn is listed twice")
        seen = set()
        for i, fix in enumerate(self.label_corrections):
            if coach and fix.turn not in coach:
                problems.append(f"label_corrections.{i}.turn: {fix.turn} is not a coach turn")
            if fix.turn in seen:
                problems.append(f"label_corrections.{i}.turn: turn {fix.turn} is corrected twice")
            seen.add(fix.turn)
            if len(set(fix.acts)) != len(fix.acts):
                problems.append(f"label_corrections.{i}.acts: an act is listed twice")
        if numbers is not None:
            got = [f.improvement for f in self.improvements]
            if sorted(got) != sorted(numbers):
                problems.append(f"improvements: need exactly one entry for each of {_turn_list(numbers) or 'none'} "
                                f"(got {_turn_list(got) or 'none'})")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _turn_list(xs) -> str:
    return ", ".join(str(x) for x in xs)


def reply_schema(high: int) -> dict:
    """The JSON Schema sent to the model, with the rubric's top level filled in."""
    schema = JudgeReply.model_json_schema()
    schema["$defs"]["DimensionVerdict"]["properties"]["score"]["maximum"] = high
    return schema


# -- typed results --------------------------------------------------------------------------------------------


@dataclass
class JudgeScore:
    key: str
    name: Text                 # the dimension's name from the rubric
    score: int                 # the judge's score on the rubric's scale
    level_name: Text
    reason: str                # in the judge's language (JudgedEvaluation.lang)
    evidence: list[int]        # 0-based coach turn indices
    automatic: int             # the deterministic score beside it
    agreement: str             # "agrees" (same), "close" (1 level apart) or "differs" (2 or more)

    @property
    def diff(self) -> int:
        return abs(self.score - self.automatic)


@dataclass
class LabelCorrection:
    turn_index: int
    automatic: list[str]       # the deterministic acts
    acts: list[str]            # the judge's acts (subset of reading.ACTS)
    reason: str


@dataclass
class ImprovementFeedback:
    number: int                # 1-based, as in the report
    turn_index: int
    quote: str
    text: str


@dataclass
class JudgedEvaluation:
    """The judge's section, shown beside (never instead of) the deterministic Evaluation it refers to."""
    model: str
    lang: str
    rubric_id: str
    scale: list[tuple[int, Text]]
    dimensions: dict[str, JudgeScore]
    overall: int | None        # from the judge's dimension scores with the rubric's weights (signals rubrics)
    automatic_overall: int
    corrections: list[LabelCorrection] = field(default_factory=list)
    feedback: list[ImprovementFeedback] = field(default_factory=list)

    @property
    def scores(self) -> dict[str, int | None]:
        return {**{k: self.dimensions[k].score for k in DIMENSIONS}, "overall": self.overall}

    def agreement_notes(self, lang: str) -> list[str]:
        """One line per dimension where the judge and the automatic score are 2 or more levels apart."""
        return [f"{k}: {_label('differs', lang, diff=d.diff)} ({d.automatic} vs {d.score})"
                for k, d in self.dimensions.items() if d.agreement == "differs"]

    def to_dict(self, lang: str | None = None) -> dict:
        lg = _lg(lang or self.lang)
        return {
            "model": self.model,
            "lang": self.lang,
            "rubric": self.rubric_id,
            "scores": self.scores,
            "automatic_scores": {**{k: d.automatic for k, d in self.dimensions.items()},
                                 "overall": self.automatic_overall},
            "dimensions": {k: {"name": d.name.get(lg), "score": d.score, "level": d.level_name.get(lg), "reason": d.reason,
                               "evidence_turns": [i + 1 for i in d.evidence], "automatic": d.automatic,
                               "agreement": d.agreement}
                           for k, d in self.dimensions.items()},
            "agreement": self.agreement_notes(lg),
            "label_corrections": [{"turn": c.turn_index + 1, "automatic": c.automatic, "acts": c.acts,
                                   "reason": c.reason} for c in self.corrections],
            "feedback": [{"improvement": f.number, "turn": f.turn_index + 1, "quote": f.quote, "text": f.text}
                         for f in self.feedback],
        }


def _lg(lang: str | None) -> str:
    return "en" if lang == "en" else "id"


# -- the prompt -----------------------------------------------------------------------------------------------


def _clip(text: str, limit: int = TURN_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _coach_numbers(transcript: Transcript) -> list[int]:
    return [i + 1 for i in transcript.coach_indices()]


def build_messages(evaluation: Evaluation, transcript: Transcript, rubric: Rubric, lang: str) -> list[dict]:
    """The judge's request: a system message (role and rules) and a user message (rubric, transcript, scores)."""
    prompt = judge_prompt()
    lg = _lg(lang)
    high = rubric.max_level
    coach = _coach_numbers(transcript)
    views = {t.index: t for t in evaluation.turns}
    turns = []
    for i, t in enumerate(transcript.turns):
        view = views.get(i)
        labels = ""
        if t.speaker == "coach" and view is not None:
            labels = ", ".join(view.acts) + (f" | flags: {', '.join(view.flags)}" if view.flags else "")
        turns.append({"number": i + 1, "speaker": prompt.speakers.get(t.speaker, t.speaker),
                      "text": _clip(t.text), "labels": labels})
    dims = []
    for key in DIMENSIONS:
        d = rubric.dimensions[key]
        dims.append({
            "key": key, "name": d.name.get(lg), "description": d.description.get(lg),
            "criteria": [c.get(lg) for c in d.criteria],
            "levels": [{"level": n, "name": rubric.level_name(n).get(lg), "text": d.levels[n].get(lg)}
                       for n in range(1, high + 1)],
            "checklist": [c.name.get(lg) for c in rubric.criteria if c.dimension == key],
        })
    scores = [{"key": k, "score": evaluation.dimensions[k].score,
               "level": evaluation.dimensions[k].level_name.get(lg),
               "reason": evaluation.dimensions[k].reason.get(lg)} for k in DIMENSIONS]
    improvements = [{"number": n, "title": im.title.get(lg), "turn": im.turn_index + 1, "quote": _clip(im.quote),
                     "better": _clip(im.better), "why": im.why.get(lg)}
                    for n, im in enumerate(evaluation.improvements, start=1)]
    example = {
        "dimensions": {k: {"reason": f"<{k}: the reason first, quoting the coach's words with turn numbers>",
                           "score": 1, "evidence_turns": coach[:1]} for k in DIMENSIONS},
        "label_corrections": [],
        "improvements": [{"improvement": im["number"], "feedback": "<2 to 4 sentences for the trainee>"}
                         for im in improvements],
    }
    common = {"low": 1, "high": high, "coach_turns": _turn_list(coach), "acts": ", ".join(ACTS),
              "language": prompt.languages[lg]}
    system = render(prompt.system, **common)
    user = render(
        prompt.user, **common,
        rubric_name=rubric.name.get(lg),
        scale=", ".join(f"{n} {rubric.level_name(n).get(lg)}" for n in range(1, high + 1)),
        dimensions=dims, turns=turns, scores=scores,
        overall=f"{evaluation.overall} ({evaluation.overall_level.get(lg)})",
        improvements=improvements,
        schema=json.dumps(reply_schema(high), ensure_ascii=False, separators=(",", ":")),
        example=json.dumps(example, ensure_ascii=False),
    )
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    size = tokens.count_messages(messages)
    log.info("judge prompt: %d tokens (%s), %d turns", size, tokens.encoding_name(), len(turns))
    if size > MAX_PROMPT_TOKENS:
        raise ModelError(f"The transcript is too long for the judge ({size} prompt tokens; the limit is "
                         f"{MAX_PROMPT_TOKENS}); the automatic scores stand alone.")
    return messages


# -- parsing and validation -----------------------------------------------------------------------------------


_UNUSABLE = "The judge model's answer was unusable after a retry: "


class _Unusable(Exception):
    """A reply that failed a check; the message is fed back to the model once."""


def first_json_object(text: str) -> dict:
    """The first JSON object in a reply (prose or a ```json fence around it is tolerated)."""
    if not isinstance(text, str) or "{" not in text:
        raise _Unusable("the reply contains no JSON object")
    start = text.index("{")
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise _Unusable(f"the reply is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(value, dict):
        raise _Unusable("the reply's JSON is not an object")
    return value


def parse_reply(text: str, *, high: int, coach_turns: list[int], improvements: int) -> JudgeReply:
    """Parse and validate one reply, or raise _Unusable naming what is wrong."""
    data = first_json_object(text)
    context = {"high": high, "coach_turns": coach_turns, "improvement_numbers": list(range(1, improvements + 1))}
    try:
        return JudgeReply.model_validate(data, context=context)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:6]:
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(msg if where == "(top level)" else f"{where}: {msg}")
        more = f" (+{exc.error_count() - 6} more)" if exc.error_count() > 6 else ""
        raise _Unusable("; ".join(parts) + more) from None


# -- the judge ------------------------------------------------------------------------------------------------


def _call(model: ChatModel, messages: list[dict], max_tokens: int) -> str:
    try:
        reply = model.complete(messages, max_tokens=max_tokens)
    except ModelError as exc:
        raise ModelError(redact(str(exc))[:500]) from None
    except Exception as exc:  # noqa: BLE001 - any failure of the model object becomes one clear, key-free line
        raise ModelError(redact(f"The judge model failed ({type(exc).__name__}: {exc})")[:500]) from None
    if not isinstance(reply, str):
        raise ModelError(f"The judge model returned {type(reply).__name__}, not text.")
    return reply


def _context(model: ChatModel) -> tuple[int | None, tokens.Counter]:
    """The model's context window (None when its server does not say) and its tokenizer."""
    window, count = None, tokens.tiktoken_counter()
    try:
        window = getattr(model, "context_window", lambda: None)()
        count = getattr(model, "token_counter", tokens.tiktoken_counter)()
    except Exception as exc:  # noqa: BLE001 - unknown context: ask with the default reply budget
        log.debug("judge: model context unknown (%s)", exc)
    return (int(window) if window else None), count


def _reply_budget(messages: list[dict], wanted: int, window: int | None, count: tokens.Counter) -> int:
    """The reply tokens to ask for: `wanted`, or what the context leaves after the prompt and a margin (a
    small local server's 4,096 or 8,192 tokens do not hold a 3,000-token prompt and 1,800 reply tokens)."""
    if window is None:
        return wanted
    return min(wanted, tokens.prompt_budget(window, 0) - tokens.count_messages(messages, count))


def _retry_messages(messages: list[dict], reply: str, retry: str, wanted: int, window: int | None,
                    count: tokens.Counter) -> tuple[list[dict], int]:
    """The retry request: the first reply echoed back (shortened, or left out, when the context is small)
    and the validation error; and its reply budget."""
    echo = reply[:4000]
    while True:
        again = messages + ([{"role": "assistant", "content": echo}] if echo else []) + [
            {"role": "user", "content": retry}]
        budget = _reply_budget(again, wanted, window, count)
        if budget >= min(wanted, MIN_REPLY_TOKENS) or not echo:
            return again, budget
        echo = echo[: len(echo) // 2] if len(echo) > 200 else ""


def judge_evaluation(evaluation: Evaluation, transcript: Transcript, rubric: Rubric | str | None,
                     model: ChatModel, lang: str | None = None, *, max_tokens: int = MAX_TOKENS
                     ) -> JudgedEvaluation:
    """Ask `model` for a second opinion on `evaluation`. Raises ModelError when the model fails or its
    answer is unusable after one retry with the validation error fed back."""
    rb = rubric if isinstance(rubric, Rubric) else load_rubric(rubric if rubric is not None else evaluation.rubric_id)
    if rb.id != evaluation.rubric_id:
        raise ModelError(f"the evaluation was scored with rubric '{evaluation.rubric_id}', not '{rb.id}'")
    lg = _lg(lang or evaluation.lang)
    messages = build_messages(evaluation, transcript, rb, lg)
    coach = _coach_numbers(transcript)
    n_improvements = len(evaluation.improvements)
    check = dict(high=rb.max_level, coach_turns=coach, improvements=n_improvements)
    window, count = _context(model)
    budget = _reply_budget(messages, max_tokens, window, count)
    if budget < min(max_tokens, MIN_REPLY_TOKENS):
        raise ModelError(f"The transcript is too long for the judge model's context ({window} tokens, "
                         f"{tokens.count_messages(messages, count)} of them the prompt); the automatic scores "
                         "stand alone.")
    reply = _call(model, messages, budget)
    try:
        verdict = parse_reply(reply, **check)
    except _Unusable as first:
        log.info("judge reply unusable (%s); asking once more", first)
        retry = render(judge_prompt().retry, error=str(first), low=1, high=rb.max_level,
                       coach_turns=_turn_list(coach),
                       improvement_numbers=_turn_list(range(1, n_improvements + 1)) or "none")
        again, budget = _retry_messages(messages, reply, retry, max_tokens, window, count)
        reply = _call(model, again, budget)
        try:
            verdict = parse_reply(reply, **check)
        except _Unusable as second:
            raise ModelError(redact(f"{_UNUSABLE}{second}")[:600]) from None
    return _result(verdict, evaluation, rb, lg, getattr(model, "name", type(model).__name__))


def _result(verdict: JudgeReply, evaluation: Evaluation, rb: Rubric, lg: str, model_name: str) -> JudgedEvaluation:
    dims = {}
    for key in DIMENSIONS:
        v: DimensionVerdict = getattr(verdict.dimensions, key)
        auto = evaluation.dimensions[key].score
        diff = abs(v.score - auto)
        name = rb.level_name(v.score)
        dims[key] = JudgeScore(key=key, name=evaluation.dimensions[key].name, score=v.score, level_name=Text(name.id, name.en), reason=v.reason.strip(),
                               evidence=[t - 1 for t in v.evidence_turns], automatic=auto,
                               agreement="agrees" if diff == 0 else "close" if diff == 1 else "differs")
    overall = None
    weights = rb.overall.weights if rb.scoring == "signals" else None
    if weights:
        mean = sum(dims[k].score * weights[k] for k in DIMENSIONS) / sum(weights.values())
        overall = max(1, min(rb.max_level, int(mean + 0.5)))
    views = {t.index: t for t in evaluation.turns}
    corrections = []
    for fix in verdict.label_corrections:
        before = list(views[fix.turn - 1].acts) if fix.turn - 1 in views else []
        acts = list(fix.acts)
        if set(acts) != set(before):  # a "correction" that repeats the automatic labels changes nothing
            corrections.append(LabelCorrection(turn_index=fix.turn - 1, automatic=before, acts=acts,
                                               reason=fix.reason.strip()))
    feedback = []
    for item in sorted(verdict.improvements, key=lambda f: f.improvement):
        im = evaluation.improvements[item.improvement - 1]
        feedback.append(ImprovementFeedback(number=item.improvement, turn_index=im.turn_index, quote=im.quote,
                                            text=item.feedback.strip()))
    return JudgedEvaluation(model=model_name, lang=lg, rubric_id=rb.id, scale=list(evaluation.scale),
                            dimensions=dims, overall=overall, automatic_overall=evaluation.overall,
                            corrections=corrections, feedback=feedback)


class LLMJudge:
    """scoring.Judge: `refine(evaluation, transcript)` returns a copy with `judged_by` and `judge` set.
    The deterministic fields are untouched; ModelError propagates (the caller keeps the original)."""

    def __init__(self, model: ChatModel, rubric: Rubric | str | None = None, *, lang: str | None = None) -> None:
        self.model = model
        self.rubric = rubric
        self.lang = lang

    def __repr__(self) -> str:
        return f"LLMJudge(model={self.model!r})"

    def judge(self, evaluation: Evaluation, transcript: Transcript) -> JudgedEvaluation:
        return judge_evaluation(evaluation, transcript, self.rubric, self.model, self.lang)

    def refine(self, evaluation: Evaluation, transcript: Transcript) -> Evaluation:
        judged = self.judge(evaluation, transcript)
        copy = replace(evaluation, judged_by=judged.model)
        copy.judge = judged  # type: ignore[attr-defined]  # a field once scoring.Evaluation declares `judge`
        return copy


def judge_of(evaluation: Evaluation) -> JudgedEvaluation | None:
    """The judge section attached by LLMJudge.refine, if any."""
    judged = getattr(evaluation, "judge", None)
    return judged if isinstance(judged, JudgedEvaluation) else None


def judge_from_settings(settings, rubric: Rubric | str | None = None, *, lang: str | None = None) -> LLMJudge:
    """An LLMJudge over the configured model (models.model_from_settings), or ModelError saying what to set."""
    from simulator.models.chat import model_from_settings

    voice = settings.voice
    if voice not in ("openai", "local"):
        if settings.openai_api_key or settings.openai_base_url:
            settings = settings.with_(voice="openai")
        else:
            raise ModelError("The judge needs a language model: set OPENAI_API_KEY (and PAMONG_MODEL), or "
                             "OPENAI_BASE_URL for a local OpenAI-compatible server, or PAMONG_VOICE=local with "
                             "PAMONG_LOCAL_MODEL.")
    return LLMJudge(model_from_settings(settings), rubric, lang=lang)


def unusable_note(exc: BaseException) -> Text:
    """The notice for a report whose judge failed (both languages); the deterministic scores stand."""
    why = redact(str(exc) or type(exc).__name__).removeprefix(_UNUSABLE).rstrip(".")[:300]
    return Text(id=_label("unusable", "id", why=why), en=_label("unusable", "en", why=why))
