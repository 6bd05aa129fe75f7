"""ChatModelVoice: the coachee spoken by a language model, kept inside the plan and in character.

The coachee engine decides WHAT happens (reaction, what may be revealed, which memories may be used); the
model only decides the wording. The prompt (simulator/prompts/coachee.yaml) carries the persona (its
situation told from the coachee's side), the state as words, the notes the engine has unlocked so far (never
deeper ones), the memories the coachee may use now, the reaction, authored example lines and the passages
the coachee half-knows. The reply is cleaned and guarded (simulator/coachee/voice_guard.py): a line that fails, or a
failed model call, is replaced by the scripted voice's line with a notice in the session's language, and the
session goes on.

The prompt is budgeted with the tokenizer of the model actually used (a llama.cpp server's /tokenize, else
tiktoken for the OpenAI API, else a conservative estimate) against the context the server reports, with a
margin, so a long session never overflows the context.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from pydantic import model_validator

from simulator.coachee.persona import REACTIONS
from simulator.coachee.voice_guard import (
    ITEMS,
    MAX_SENTENCES,
    PROMPTS_DIR,
    Guard,
    GuardSpec,
    Verdict,
    guard_spec,
    split_sentences,
)
from simulator.coachee.voices import Reply, ScriptedVoice, candidate_lines
from simulator.content import Strict, load_yaml
from simulator.errors import ModelError
from simulator.models import tokens
from simulator.models.chat import ChatModel, Completion, finish_reason, model_from_settings, redact
from simulator.models.prompts import render
from simulator.reading.moves import ORDINARY

__all__ = ["ChatModelVoice", "CoacheePrompt", "Guard", "GuardSpec", "PROMPTS_DIR", "Verdict", "coachee_prompt",
           "guard_spec", "render", "split_sentences"]

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 4096  # only when the server does not say (the OpenAI models have far more)


# -- prompt files ---------------------------------------------------------------------------------------------


class Level(Strict):
    below: float
    word: str


# Every reaction a plan can carry (simulator/coachee/state.py Plan): the persona's reactions, the engine's own and
# the ordinary moves. Each needs its own guide: a factual question once got "the coach said something off-topic or
# odd" (37% of a blind panel's turns before the prompt listed them all).
PLAN_REACTIONS = frozenset(REACTIONS) | {"reveal", "answer", "not_yet", "closing", "deflect"} | set(ORDINARY)


class CoacheePrompt(Strict):
    system: str
    turn: str
    situations: dict[str, str]
    reactions: dict[str, str]
    roles: dict[str, str]
    resistance: dict[str, str]
    difficulty: dict[str, str]
    levels: list[Level]
    languages: dict[str, str]

    @model_validator(mode="after")
    def _every_reaction(self) -> CoacheePrompt:
        missing = sorted(PLAN_REACTIONS - set(self.reactions))
        if missing:
            raise ValueError(f"reactions: no guide for {', '.join(missing)}")
        return self


@cache
def coachee_prompt() -> CoacheePrompt:
    return load_yaml(PROMPTS_DIR / "coachee.yaml", CoacheePrompt, "prompt")


# -- small helpers --------------------------------------------------------------------------------------------


def _field(turn: Any, key: str) -> Any:
    return turn.get(key) if isinstance(turn, dict) else getattr(turn, key, None)


def _level(value: float) -> str:
    for level in coachee_prompt().levels:
        if value < level.below:
            return level.word
    return coachee_prompt().levels[-1].word


def _item(persona, item: str):
    return getattr(persona.layers, item) if item in ("surface", "underneath", "core") else getattr(persona, item)


def _passage_text(p: Any, limit: int = 420) -> str:
    text = p if isinstance(p, str) else str(getattr(p, "text", p))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _in_language(passages: Sequence[Any], lang: str) -> list[Any]:
    """The passages in the session's language: the search prefers it but may return the other one, and an
    Indonesian passage in an English session makes the model switch language."""
    return [p for p in passages if getattr(p, "lang", None) in (None, lang)]


def _memory_texts(memories: Sequence[Any] | None) -> list[str]:
    out = []
    for m in memories or ():
        text = m if isinstance(m, str) else getattr(m, "text", None)
        if text and str(text).strip():
            out.append(" ".join(str(text).split()))
    return out


# -- the voice ------------------------------------------------------------------------------------------------


def _truth(plan) -> str:
    """A yes/no question's true answer as the engine knows it from memory ('' when it does not)."""
    if plan.reaction != "answer" or plan.question != "yes_no" or plan.truth is None:
        return ""
    return "yes" if plan.truth else "no"


class Unusable(ModelError):
    """The model's line failed the guard. The message is the reason in the session's language, so the
    session's notice reads in one language."""

    def __init__(self, reason: str, lang: str) -> None:
        self.reason = reason
        super().__init__(guard_spec().reason(reason, lang))


class ChatModelVoice:
    """The Voice protocol over any ChatModel, with the scripted voice as the safety net.

    `name` says what speaks ('openai', 'local'); `label` adds the model ('local (SmolLM2-135M-Instruct)').
    `context_tokens`: the model's context; by default what the server reports (llama.cpp /props), else 4,096.
    """

    streams = True   # a model writes its reply: shown sentence by sentence as each passes the guard

    def __init__(
        self,
        model: ChatModel,
        fallback=None,
        max_tokens: int = 160,
        *,
        context_tokens: int | None = None,
        name: str = "openai",
    ) -> None:
        if fallback is None:
            fallback = ScriptedVoice()
        self.model = model
        self.fallback = fallback
        self.max_tokens = max_tokens
        self._context = context_tokens
        self.name = name
        self.last_prompt_tokens = 0
        self.last_dropped = 0
        self._fallback_takes_memories = "memories" in inspect.signature(fallback.say).parameters

    def __repr__(self) -> str:
        return f"ChatModelVoice(model={self.model!r}, name={self.name!r})"

    @property
    def model_name(self) -> str:
        return str(getattr(self.model, "name", type(self.model).__name__))

    @property
    def label(self) -> str:
        return f"{self.name} ({self.model_name})"

    @property
    def context_tokens(self) -> int:
        """The context window: as given, else as the server reports it (asked once), else 4,096."""
        if self._context is None:
            reported = None
            ask = getattr(self.model, "context_window", None)
            if ask is not None:
                try:
                    reported = ask()
                except Exception as exc:  # noqa: BLE001 - the default is a safe guess
                    log.debug("context size unknown (%s)", exc)
            self._context = int(reported) if reported else DEFAULT_CONTEXT
        return self._context

    def counter(self) -> tokens.Counter:
        ask = getattr(self.model, "token_counter", None)
        if ask is not None:
            try:
                return ask()
            except Exception as exc:  # noqa: BLE001
                log.debug("no token counter from the model (%s)", exc)
        return tokens.tiktoken_counter()

    # -- prompt
    def build_messages(self, *, persona, plan, state, history, lang, passages=(), memories=()) -> list[dict]:
        prompt = coachee_prompt()
        lang = lang if lang in persona.languages else persona.languages[0]
        name = persona.name(lang)
        common = {"name": name, "role": prompt.roles.get(persona.role, persona.role),
                  "language": prompt.languages.get(lang, lang)}
        system = render(
            prompt.system,
            **common,
            situation=prompt.situations[persona.scenario_type],
            background=persona.background(lang),
            presenting_issue=persona.presenting_issue(lang),
            emotions=", ".join(persona.emotions(lang)),
            resistance=prompt.resistance[persona.resistance],
            difficulty=prompt.difficulty[persona.difficulty],
        )
        reveal_now = _item(persona, plan.reveal).summary(lang) if plan.reveal in ITEMS else ""
        allowed = [note for note in plan.allowed if note != reveal_now]
        reaction = plan.reaction if plan.reaction in prompt.reactions else "deflect"
        try:
            examples = candidate_lines(persona, plan, lang)[:3]
        except Exception:  # noqa: BLE001 - examples only help; a plan without lines still gets a note
            examples = []
        memory_texts = _memory_texts(memories)[:5]
        passage_texts = [_passage_text(p) for p in _in_language(passages, lang)][:3]

        def note(examples, passages, memories) -> str:
            return render(
                prompt.turn,
                **common,
                trust=_level(state.trust),
                openness=_level(state.openness),
                insight=_level(state.insight),
                ownership=_level(state.ownership),
                mood=plan.mood or state.mood,
                reaction_guide=prompt.reactions[reaction],
                truth=_truth(plan),
                reveal_now=reveal_now,
                allowed=allowed,
                memories=memories,
                examples=examples,
                passages=passages,
            )

        transcript = []
        for turn in history:
            text = str(_field(turn, "text") or "").strip()
            if not text:
                continue
            role = "user" if _field(turn, "speaker") == "coach" else "assistant"
            transcript.append({"role": role, "content": text})
        count = self.counter()
        budget = tokens.prompt_budget(self.context_tokens, self.max_tokens)
        head = [{"role": "system", "content": system}]
        # The note shrinks before the conversation does: passages first, then examples, then memories.
        for variant in ((examples, passage_texts, memory_texts), (examples, [], memory_texts),
                        ([], [], memory_texts[:2]), ([], [], [])):
            tail = [{"role": "system", "content": note(*variant)}]
            fixed = tokens.count_messages(head + tail, count)
            if fixed + 2 * 64 <= budget:  # room for at least the coach's last line
                break
        kept, dropped = tokens.trim_history(head, transcript, tail, budget, count=count)
        messages = head + kept + tail
        self.last_prompt_tokens = tokens.count_messages(messages, count)
        self.last_dropped = dropped
        log.info(
            "coachee prompt: %d tokens (%s), %d messages, %d earlier dropped, budget %d of context %d",
            self.last_prompt_tokens, count.name, len(messages), dropped, budget, self.context_tokens,
        )
        return messages

    def _stop(self, persona, lang: str) -> list[str]:
        name = persona.name(lang if lang in persona.languages else persona.languages[0])
        return ["\nCoach:", f"\n{name}:", "\nCoachee:", "\nPelatih:"]

    def _guard(self, messages: list[dict], args: dict) -> Guard:
        return Guard(args["persona"], args["lang"], plan=args["plan"], memories=_memory_texts(args.get("memories")),
                     history=args["history"], passages=[_passage_text(p) for p in args.get("passages") or ()],
                     instructions=[m["content"] for m in messages if m["role"] == "system"])

    # -- fallback
    def _fallback(self, kind: str, why: str, **args) -> Reply:
        if not self._fallback_takes_memories:
            args.pop("memories", None)
        reply = self.fallback.say(**args)
        lang = args.get("lang") if args.get("lang") in ("id", "en") else "en"
        notice = getattr(guard_spec().notices[kind], lang).format(why=why)
        # The notice tells the trainee; the log is for the operator and stays below WARNING, so a terminal
        # chat does not print it a second time beside the notice.
        log.info("coachee voice fell back to %s: %s", reply.voice, why)
        return Reply(text=reply.text, voice=reply.voice, notice=notice)

    @staticmethod
    def _why(exc: BaseException) -> str:
        text = redact(str(exc) or type(exc).__name__)
        return " ".join(text.split())[:300].rstrip(".")

    def _verdict(self, guard: Guard, raw: str, history) -> tuple[str, Verdict]:
        cut = finish_reason(raw) == "length"
        text = guard.clean(raw, cut=cut)
        if cut and not text and raw.strip():
            return "", Verdict(False, "cut_off")
        return text, guard.check(text, history)

    # -- the Voice protocol
    def say(self, *, persona, plan, state, history, lang, passages=(), memories=()) -> Reply:
        args = dict(persona=persona, plan=plan, state=state, history=history, lang=lang, passages=passages,
                    memories=memories)
        messages = self.build_messages(**args)
        started = time.perf_counter()
        try:
            raw = self.model.complete(messages, max_tokens=self.max_tokens, stop=self._stop(persona, lang))
        except Exception as exc:  # noqa: BLE001 - any model failure: the scripted coachee answers
            return self._fallback("failed", self._why(exc), **args)
        log.debug("model answered in %.0f ms", (time.perf_counter() - started) * 1000)
        text, verdict = self._verdict(self._guard(messages, args), raw if isinstance(raw, str) else "", history)
        if not verdict.ok:
            return self._fallback("unusable", guard_spec().reason(verdict.reason, lang), **args)
        return Reply(text=text, voice=self.name)

    def stream(self, *, persona, plan, state, history, lang, passages=(), memories=()) -> Iterator[str]:
        """Yields the reply sentence by sentence. Every sentence is checked with the whole guard (on the
        reply so far) before it is shown, and the first is held until there are enough words to judge the
        language, so a bad line is never on screen. If the model fails, or the line fails the guard, raises
        ModelError (its message in the session's language) and the session answers with the scripted voice."""
        args = dict(persona=persona, plan=plan, state=state, history=history, lang=lang, passages=passages,
                    memories=memories)
        messages = self.build_messages(**args)
        guard = self._guard(messages, args)
        raw, shown, reason = "", [], None
        try:
            for chunk in self.model.stream(messages, max_tokens=self.max_tokens, stop=self._stop(persona, lang)):
                raw += chunk
                reason = finish_reason(chunk) or reason
                sentences = split_sentences(guard.clean(raw, final=False))
                complete = sentences[:-1]  # the last one may still be growing
                ready = complete[len(shown) : MAX_SENTENCES]
                if not ready or (not shown and len(" ".join(complete).split()) < 8):
                    continue
                verdict = guard.check(" ".join([*shown, *ready]), history, final=False)
                if not verdict.ok:
                    raise Unusable(verdict.reason, lang)
                for sentence in ready:
                    yield sentence if not shown else " " + sentence
                    shown.append(sentence)
                if len(shown) >= MAX_SENTENCES:
                    break
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ModelError(self._why(exc)) from None
        text, verdict = self._verdict(guard, Completion(raw, reason), history)
        if not verdict.ok:
            raise Unusable(verdict.reason, lang)
        for sentence in split_sentences(text)[len(shown) : MAX_SENTENCES]:
            yield sentence if not shown else " " + sentence
            shown.append(sentence)


def voice_from_settings(settings):
    """A Voice for settings.voice: ScriptedVoice for 'scripted', ChatModelVoice for 'openai' and 'local'.

    The voice is named after what really speaks ('local' for a GGUF file, 'openai' for an OpenAI-compatible
    endpoint) and labelled with the model, e.g. 'local (SmolLM2-135M-Instruct.Q4_1)'."""
    if settings.voice in (None, "", "scripted"):
        return ScriptedVoice()
    model = model_from_settings(settings)
    return ChatModelVoice(model, fallback=ScriptedVoice(), name="local" if settings.voice == "local" else "openai")
