"""ChatModelVoice: the coachee spoken by a language model, kept inside the plan and in character.

The coachee engine decides WHAT happens (reaction, what may be revealed); the model only decides the
wording. The prompt (simulator/prompts/coachee.yaml) carries the persona, the state as words, the notes the
engine has unlocked so far (never deeper ones), the reaction, authored example lines and the passages the
coachee half-knows. The reply is cleaned (labels, four sentences) and guarded (simulator/prompts/guard.yaml):
an empty, repeated, wrong-language or out-of-character line, or a failed model call, is replaced by the
scripted voice's line with a notice, and the session goes on.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import tokens
from .content import Strict, load_yaml
from .errors import ContentError, ModelError
from .models import ChatModel, redact
from .voices import Reply, ScriptedVoice, candidate_lines

log = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
ITEMS = ("surface", "underneath", "core", "goal", "action_plan")
MAX_SENTENCES = 4
QUOTE_WORDS = 8


# -- prompt files ---------------------------------------------------------------------------------------------


class Level(Strict):
    below: float
    word: str


class CoacheePrompt(Strict):
    system: str
    turn: str
    reactions: dict[str, str]
    roles: dict[str, str]
    resistance: dict[str, str]
    difficulty: dict[str, str]
    levels: list[Level]
    languages: dict[str, str]


class Notice(Strict):
    id: str
    en: str


class GuardSpec(Strict):
    out_of_character: list[str]
    case_sensitive: list[str]
    coach_speak: list[str]
    labels: list[str]
    markers: dict[str, list[str]]
    reasons: dict[str, Notice]
    notices: dict[str, Notice]

    def reason(self, key: str, lang: str) -> str:
        return getattr(self.reasons[key], lang if lang in ("id", "en") else "en") if key in self.reasons else key


@cache
def coachee_prompt() -> CoacheePrompt:
    return load_yaml(PROMPTS_DIR / "coachee.yaml", CoacheePrompt, "prompt")


@cache
def guard_spec() -> GuardSpec:
    return load_yaml(PROMPTS_DIR / "guard.yaml", GuardSpec, "prompt")


@cache
def _jinja():
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@cache
def _template(source: str):
    return _jinja().from_string(source)  # compiling is the slow part; a prompt file compiles once


def render(template: str, **variables: Any) -> str:
    """Render a prompt template strictly: a variable the template uses but is not given is an error."""
    import jinja2

    try:
        return _template(template).render(**variables).strip()
    except jinja2.UndefinedError as exc:
        raise ContentError(f"prompt template: {exc} (a variable the template uses was not provided).") from exc
    except jinja2.TemplateError as exc:
        raise ContentError(f"prompt template: {exc}") from exc


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


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _passage_text(p: Any, limit: int = 420) -> str:
    text = p if isinstance(p, str) else str(getattr(p, "text", p))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


# -- cleaning and guarding ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


class Guard:
    """Cleans a model-written line and decides whether it may be shown."""

    def __init__(self, persona, lang: str) -> None:
        spec = guard_spec()
        self.spec = spec
        self.lang = lang
        self.ooc = [re.compile(p, re.IGNORECASE) for p in spec.out_of_character]
        self.ooc += [re.compile(p) for p in spec.case_sensitive]
        self.coach = [re.compile(p, re.IGNORECASE) for p in spec.coach_speak]
        names = {persona.name.id, persona.name.en, *spec.labels}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self.leading_label = re.compile(rf"^\s*[\*\"'“]*({alternatives})\s*[\*]*\s*[:：]\s*", re.IGNORECASE)
        self.next_label = re.compile(rf"(\n|\s{{2,}}|^|(?<=[.!?…]) )\s*[\*\"'“]*({alternatives})\s*[\*]*\s*[:：]",
                                     re.IGNORECASE)
        # Hidden notes (every layer, both languages) and the prompt's own instruction text, as word n-grams:
        # a reply that shares a run of QUOTE_WORDS words with them is quoting, not speaking (shorter runs
        # such as "what happens to the quiet students" are a fair paraphrase).
        self.hidden: set[tuple[str, ...]] = set()
        for item in ITEMS:
            for code in ("id", "en"):
                self.hidden |= _ngrams(_words(_item(persona, item).summary(code)), QUOTE_WORDS)
        prompt = coachee_prompt()
        instructions = " ".join([prompt.system, prompt.turn, *prompt.reactions.values()])
        self.prompt_grams = _ngrams(_words(re.sub(r"\{[{%].*?[%}]\}", " ", instructions)), QUOTE_WORDS)
        self.markers = {k: set(v) for k, v in spec.markers.items()}

    def clean(self, raw: str, *, final: bool = True) -> str:
        """Strip a leading speaker label, cut at the next one, drop stage directions, keep four sentences."""
        text = raw.replace("\r", "")
        text = self.leading_label.sub("", text, count=1)
        cut = self.next_label.search(text, 1)
        if cut:
            text = text[: cut.start()]
        text = re.sub(r"^\s*[\(\[\*][^)\]\*]{0,80}[\)\]\*]\s*", "", text)  # (sighs) [pause] *smiles*
        text = " ".join(text.split())
        text = text.strip().strip('"“”').strip()
        sentences = split_sentences(text)
        if final:
            return " ".join(sentences[:MAX_SENTENCES])
        return " ".join(sentences)

    def out_of_character(self, text: str) -> str:
        if any(p.search(text) for p in self.ooc):
            return "out_of_character"
        if any(p.search(text) for p in self.coach):
            return "coach_speak"
        words = _words(text)
        grams = _ngrams(words, QUOTE_WORDS)
        if grams & self.hidden:
            return "hidden_notes"
        if grams & self.prompt_grams:
            return "instructions"
        return ""

    @staticmethod
    def garbled(text: str) -> bool:
        """Degenerate output (a word looping, a numbered list): small local models do this."""
        words = _words(text)
        if re.search(r"(^|\s)\d+[.)]\s", text) and len(re.findall(r"(^|\s)\d+[.)]\s", text)) >= 2:
            return True
        if len(words) >= 12:
            top = max(words.count(w) for w in set(words))
            return top / len(words) > 0.25 or len(set(words)) / len(words) < 0.4
        return False

    def wrong_language(self, text: str) -> bool:
        words = _words(text)
        counts = {code: sum(w in marks for w in words) for code, marks in self.markers.items()}
        mine = counts.get(self.lang, 0)
        other = max((c for code, c in counts.items() if code != self.lang), default=0)
        return other >= 3 and other > 2 * mine

    def check(self, text: str, history: Sequence[Any]) -> Verdict:
        if not text or not re.search(r"\w", text):
            return Verdict(False, "empty")
        reason = self.out_of_character(text)
        if reason:
            return Verdict(False, reason)
        if self.garbled(text):
            return Verdict(False, "garbled")
        if self.wrong_language(text):
            return Verdict(False, "wrong_language")
        mine = set(_words(text))
        for turn in history:
            earlier = str(_field(turn, "text") or "")
            theirs = set(_words(earlier))
            if not theirs:
                continue
            same = _words(earlier) == _words(text)
            overlap = len(mine & theirs) / len(mine | theirs)
            if same or (len(mine) >= 6 and overlap >= 0.85):
                return Verdict(False, "repeat")
        return Verdict(True)


# -- the voice ------------------------------------------------------------------------------------------------


class ChatModelVoice:
    """The Voice protocol over any ChatModel, with the scripted voice as the safety net."""

    def __init__(
        self,
        model: ChatModel,
        fallback=None,
        max_tokens: int = 160,
        *,
        context_tokens: int = 4096,
        name: str = "openai",
    ) -> None:
        if fallback is None:
            fallback = ScriptedVoice()
        self.model = model
        self.fallback = fallback
        self.max_tokens = max_tokens
        self.context_tokens = context_tokens
        self.name = name
        self.last_prompt_tokens = 0

    def __repr__(self) -> str:
        return f"ChatModelVoice(model={self.model!r}, name={self.name!r})"

    # -- prompt
    def build_messages(self, *, persona, plan, state, history, lang, passages=()) -> list[dict]:
        prompt = coachee_prompt()
        lang = lang if lang in persona.languages else persona.languages[0]
        name = persona.name(lang)
        common = {"name": name, "role": prompt.roles.get(persona.role, persona.role),
                  "language": prompt.languages.get(lang, lang)}
        system = render(
            prompt.system,
            **common,
            scenario=persona.scenario(lang),
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
        note = render(
            prompt.turn,
            **common,
            trust=_level(state.trust),
            openness=_level(state.openness),
            insight=_level(state.insight),
            ownership=_level(state.ownership),
            mood=plan.mood or state.mood,
            reaction_guide=prompt.reactions[reaction],
            reveal_now=reveal_now,
            allowed=allowed,
            examples=examples,
            passages=[_passage_text(p) for p in passages][:3],
        )
        transcript = []
        for turn in history:
            text = str(_field(turn, "text") or "").strip()
            if not text:
                continue
            role = "user" if _field(turn, "speaker") == "coach" else "assistant"
            transcript.append({"role": role, "content": text})
        head = [{"role": "system", "content": system}]
        tail = [{"role": "system", "content": note}]
        budget = max(512, self.context_tokens - self.max_tokens)
        kept, dropped = tokens.trim_history(head, transcript, tail, budget)
        messages = head + kept + tail
        self.last_prompt_tokens = tokens.count_messages(messages)
        log.info(
            "coachee prompt: %d tokens (%s), %d messages, %d earlier dropped, budget %d",
            self.last_prompt_tokens, tokens.encoding_name(), len(messages), dropped, budget,
        )
        log.debug("coachee prompt sizes: system %d, note %d, transcript %d",
                  tokens.count_tokens(system), tokens.count_tokens(note),
                  sum(tokens.count_message(m) for m in kept))
        return messages

    def _stop(self, persona, lang: str) -> list[str]:
        name = persona.name(lang if lang in persona.languages else persona.languages[0])
        return ["\nCoach:", f"\n{name}:", "\nCoachee:", "\nPelatih:"]

    # -- fallback
    def _fallback(self, kind: str, why: str, **args) -> Reply:
        reply = self.fallback.say(**args)
        lang = args.get("lang") if args.get("lang") in ("id", "en") else "en"
        notice = getattr(guard_spec().notices[kind], lang).format(why=why)
        log.warning("coachee voice fell back to %s: %s", reply.voice, why)
        return Reply(text=reply.text, voice=reply.voice, notice=notice)

    @staticmethod
    def _why(exc: BaseException) -> str:
        text = redact(str(exc) or type(exc).__name__)
        return text.split("; ")[0].rstrip(".")[:140]

    # -- the Voice protocol
    def say(self, *, persona, plan, state, history, lang, passages=()) -> Reply:
        args = dict(persona=persona, plan=plan, state=state, history=history, lang=lang, passages=passages)
        messages = self.build_messages(**args)
        started = time.perf_counter()
        try:
            raw = self.model.complete(messages, max_tokens=self.max_tokens, stop=self._stop(persona, lang))
        except Exception as exc:  # noqa: BLE001 - any model failure: the scripted coachee answers
            return self._fallback("failed", self._why(exc), **args)
        log.debug("model answered in %.0f ms", (time.perf_counter() - started) * 1000)
        guard = Guard(persona, lang)
        text = guard.clean(raw if isinstance(raw, str) else "")
        verdict = guard.check(text, history)
        if not verdict.ok:
            return self._fallback("unusable", guard_spec().reason(verdict.reason, lang), **args)
        return Reply(text=text, voice=self.name)

    def stream(self, *, persona, plan, state, history, lang, passages=()) -> Iterator[str]:
        """Yields the reply sentence by sentence, each checked before it is shown. If the model fails, or the
        finished line fails the guard, raises ModelError so the session answers with the scripted voice."""
        args = dict(persona=persona, plan=plan, state=state, history=history, lang=lang, passages=passages)
        messages = self.build_messages(**args)
        guard = Guard(persona, lang)
        raw, shown = "", []
        try:
            for chunk in self.model.stream(messages, max_tokens=self.max_tokens, stop=self._stop(persona, lang)):
                raw += chunk
                sentences = split_sentences(guard.clean(raw, final=False))
                complete = sentences[:-1]  # the last one may still be growing
                for sentence in complete[len(shown) : MAX_SENTENCES]:
                    reason = guard.out_of_character(" ".join([*shown, sentence]))
                    if reason:
                        raise ModelError(f"the model's reply was unusable: {guard_spec().reason(reason, 'en')}")
                    yield sentence if not shown else " " + sentence
                    shown.append(sentence)
                if len(shown) >= MAX_SENTENCES:
                    break
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ModelError(self._why(exc)) from None
        text = guard.clean(raw)
        verdict = guard.check(text, history)
        if not verdict.ok:
            raise ModelError(f"the model's reply was unusable: {guard_spec().reason(verdict.reason, 'en')}")
        rest = split_sentences(text)[len(shown) : MAX_SENTENCES]
        for sentence in rest:
            yield sentence if not shown else " " + sentence
            shown.append(sentence)

