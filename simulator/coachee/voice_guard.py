"""The guard on a model-written coachee line: clean it, then decide whether it may be shown.

A line is refused (and the scripted coachee answers) when it is empty; steps out of the role-play; coaches
the coach; quotes the hidden notes or its own instructions; is a list; narrates the coachee in the third
person; loops or repeats itself or an earlier line; is in the wrong language or only looks like Indonesian;
was cut at the token limit mid-sentence; states a number found in none of the facts the coachee has
(persona, memories, conversation); or tells what a layer the coach has not opened yet holds. Patterns and
word lists live in simulator/prompts/guard.yaml; the reasons are given in the session's language.

Small local models fail in all these ways (SmolLM2-135M: 9 of 12 unusable lines passed the old guard);
larger models mostly in the first few, so every check is cheap and errs on the side of letting a
plausible line through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from simulator.config import KNOWLEDGE_DIR, PERSONAS_DIR
from simulator.content import Strict, load_yaml
from simulator.reading.lexicon import LEXICON_DIR
from simulator.vocabulary import ITEMS

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
MAX_SENTENCES = 4
QUOTE_WORDS = 8          # a shared run this long with the hidden notes is quoting, not paraphrasing
INSTRUCTION_WORDS = 6    # the instructions are not the coachee's words at all, so a shorter run is enough
LOCKED_RUN = 4           # a run of content from a closed layer
LOCKED_TERMS = 2         # distinct words found only in closed layers


class Notice(Strict):
    id: str
    en: str


class GuardSpec(Strict):
    out_of_character: list[str]
    case_sensitive: list[str]
    coach_speak: list[str]
    labels: list[str]
    markers: dict[str, list[str]]
    first_person: dict[str, list[str]]
    third_person: dict[str, list[str]]
    narration: list[str]
    reasons: dict[str, Notice]
    notices: dict[str, Notice]

    def reason(self, key: str, lang: str) -> str:
        return getattr(self.reasons[key], lang if lang in ("id", "en") else "en") if key in self.reasons else key


@cache
def guard_spec() -> GuardSpec:
    return load_yaml(PROMPTS_DIR / "guard.yaml", GuardSpec, "prompt")


# -- words ------------------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    # Cached: the persona's texts and the conversation are split again on every turn.
    return tuple(re.findall(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", text.lower()))


def ngrams(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i : i + n]) for i in range(len(seq) - n + 1)}


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def ends_a_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?…][\"'”’)\]]*\s*$", text))


_ID_PREFIXES = ("memper", "mempe", "menge", "meng", "meny", "mem", "men", "me", "ber", "ter", "per", "pe", "di", "ke",
                "se")
_ID_SUFFIXES = ("nya", "lah", "kah", "pun", "kan", "an", "i", "ku", "mu")


@lru_cache(maxsize=65536)
def _stems(word: str) -> frozenset[str]:
    """The word and what is left after the common Indonesian affixes, so 'kelompoknya' meets 'kelompok'."""
    out = {word}
    for part in word.split("-"):
        out.add(part)
    for w in list(out):
        for suffix in _ID_SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                out.add(w[: -len(suffix)])
    for w in list(out):
        for prefix in _ID_PREFIXES:
            if w.startswith(prefix) and len(w) - len(prefix) >= 3:
                out.add(w[len(prefix):])
    return frozenset(out)


@cache
def indonesian_vocabulary() -> frozenset[str]:
    """Every word of the project's own Indonesian text (knowledge, personas, lexicon, prompts): the words a
    coachee in these scenarios uses, beside PySastrawi's general dictionary of root words."""
    vocab: set[str] = set()
    sources = [*sorted((KNOWLEDGE_DIR / "id").glob("*.md")), *sorted(PERSONAS_DIR.glob("*.yaml")),
               *sorted(LEXICON_DIR.glob("*.yaml")), PROMPTS_DIR / "guard.yaml"]
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for w in words(text):
            vocab |= _stems(w)
    return frozenset(vocab)


@cache
def _sastrawi():
    """PySastrawi's Indonesian root-word dictionary (~30,000 words) and stemmer, when installed; else None."""
    try:
        from importlib.resources import files

        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        roots = frozenset(files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text("utf-8").split())
        return roots, StemmerFactory().create_stemmer()
    except Exception:  # noqa: BLE001 - optional: the project's own vocabulary still answers
        return None


@cache
def is_indonesian_word(word: str) -> bool:
    if _stems(word) & indonesian_vocabulary():
        return True
    dictionary = _sastrawi()
    if dictionary is None:
        return False
    roots, stemmer = dictionary
    return word in roots or stemmer.stem(word) in roots


def _digits(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}


def _field(turn: Any, key: str) -> Any:
    return turn.get(key) if isinstance(turn, dict) else getattr(turn, key, None)


def _item(persona, item: str):
    return getattr(persona.layers, item) if item in ("surface", "underneath", "core") else getattr(persona, item)


def open_items(persona, plan) -> set[str]:
    """The layers (and goal / action plan) the engine has opened: their summaries are in plan.allowed."""
    if plan is None:
        return set(ITEMS)
    allowed = set(plan.allowed or ())
    opened = {item for item in ITEMS
              if _item(persona, item).summary("id") in allowed or _item(persona, item).summary("en") in allowed}
    if plan.reveal in ITEMS:
        opened.add(plan.reveal)
    if plan.reaction == "reveal" and plan.layer in ITEMS:
        opened.add(plan.layer)
    return opened


# -- the guard ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


class Guard:
    """Cleans a model-written line and decides whether it may be shown, given what the coachee knows now.

    `plan` (what the engine allows this turn), `memories` (what the coachee may recall now), `history` (the
    conversation) and `instructions` (the rendered prompt messages) make the checks specific to the turn;
    without them the guard still runs the generic checks."""

    def __init__(self, persona, lang: str, *, plan=None, memories: Sequence[str] = (), history: Sequence[Any] = (),
                 instructions: Sequence[str] = (), passages: Sequence[str] = ()) -> None:
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
        self.own_names = {w for n in (persona.name.id, persona.name.en) for w in words(n)
                          if w not in {"bu", "pak", "ibu", "bapak", "mr", "mrs", "ms", "miss", "kak", "dik"}}
        self.narration = [re.compile(p, re.IGNORECASE) for p in spec.narration]
        self.first_person = set(spec.first_person.get(lang, ()))
        self.third_person = set(spec.third_person.get(lang, ()))
        self.markers = {k: set(v) for k, v in spec.markers.items()}
        self.history = list(history)

        # What the coachee may say: persona facts, open layers, memories, the conversation, the passages.
        opened = open_items(persona, plan)
        public = [persona.name.id, persona.name.en, persona.title.id, persona.title.en, persona.scenario.id,
                  persona.scenario.en, persona.background.id, persona.background.en, persona.presenting_issue.id,
                  persona.presenting_issue.en, *persona.emotions.id, *persona.emotions.en]
        reactions = [line for key in type(persona.reactions).model_fields if getattr(persona.reactions, key)
                     for line in (*getattr(persona.reactions, key).id, *getattr(persona.reactions, key).en)]
        said = [str(_field(t, "text") or "") for t in self.history]
        open_text = [text for item in opened
                     for text in (_item(persona, item).summary.id, _item(persona, item).summary.en,
                                  *_item(persona, item).lines.id, *_item(persona, item).lines.en)]
        known = [*public, *reactions, *open_text, *memories, *said, *passages]
        self.known_numbers = set().union(*(_digits(t) for t in known)) if known else set()

        # Hidden notes (every layer, both languages): quoting them is never speech, unless the words are also
        # in something the coachee may say (an authored line of an open layer).
        summaries = {_item(persona, item).summary(code) for item in ITEMS for code in ("id", "en")}
        sayable = set().union(*(ngrams(words(t), QUOTE_WORDS) for t in known if t not in summaries)) if known \
            else set()
        self.hidden: set[tuple[str, ...]] = set()
        for text in summaries:
            self.hidden |= ngrams(words(text), QUOTE_WORDS)
        self.hidden -= sayable

        # Closed layers: their distinctive words and runs (not found in anything the coachee may say).
        known_words = {s for t in known for w in words(t) for s in _stems(w)} | set().union(*self.markers.values())
        self.locked_terms: set[str] = set()
        self.locked_runs: set[tuple[str, ...]] = set()
        known_runs = set().union(*(ngrams(words(t), LOCKED_RUN) for t in known)) if known else set()
        for item in set(ITEMS) - opened:
            for text in (_item(persona, item).summary(lang), *_item(persona, item).lines(lang)):
                ws = words(text)
                self.locked_runs |= ngrams(ws, LOCKED_RUN) - known_runs
                self.locked_terms |= {w for w in ws if len(w) >= 6 and not (_stems(w) & known_words)}

        # The instructions as rendered this turn, line by line, minus anything the coachee may legitimately say. A
        # run across two lines of the prompt (the end of one memory and the start of the next) is two things the
        # coachee may say, said one after the other, not an echo (a replay of panel 15: 5 of 112 good lines refused).
        speakable = set().union(*(ngrams(words(t), INSTRUCTION_WORDS) for t in known)) if known else set()
        lines = [line for t in instructions for line in t.splitlines()]
        self.prompt_grams = set().union(*(ngrams(words(line), INSTRUCTION_WORDS) for line in lines)) - speakable \
            if lines else set()

    # -- cleaning
    def clean(self, raw: str, *, final: bool = True, cut: bool = False) -> str:
        """Strip a leading speaker label, cut at the next one, drop stage directions, keep four sentences.
        `cut`: the model stopped at the token limit, so the last, unfinished sentence is dropped."""
        text = raw.replace("\r", "")
        text = self.leading_label.sub("", text, count=1)
        label = self.next_label.search(text, 1)
        if label:
            text = text[: label.start()]
        text = re.sub(r"^\s*[A-Z]{3,}[A-Z ]{0,20}:\s*", "", text)  # MARKER: / RESPONSE:
        listed = bool(re.search(r"(^|\n)\s*([-*•·]|\d+[.)])\s+\S", text))
        # Stage directions anywhere: (sighs) [pause] *smiles*, and one left open when the model stopped.
        text = re.sub(r"\([^()]{0,120}\)|\[[^\[\]]{0,120}\]|\*[^*\n]{0,120}\*", " ", text)
        text = re.sub(r"\s[(\[*][^)\]*]*$", "", text)
        text = " ".join(text.split())
        text = text.strip().strip('"“”').strip()
        if listed:  # keep the list marks visible to the check: a list is not how a person talks
            return "• " + text
        sentences = split_sentences(text)
        if cut and sentences and not ends_a_sentence(text):
            sentences = sentences[:-1]
        if final:
            return " ".join(sentences[:MAX_SENTENCES])
        return " ".join(sentences)

    # -- the checks (each returns a reason key, or "")
    def out_of_character(self, text: str) -> str:
        if any(p.search(text) for p in self.ooc):
            return "out_of_character"
        if any(p.search(text) for p in self.coach):
            return "coach_speak"
        ws = words(text)
        if ngrams(ws, QUOTE_WORDS) & self.hidden:
            return "hidden_notes"
        if ngrams(ws, INSTRUCTION_WORDS) & self.prompt_grams:
            return "instructions"
        return ""

    @staticmethod
    def garbled(text: str) -> bool:
        """Degenerate output (a word looping, a numbered list): small local models do this."""
        ws = words(text)
        if len(re.findall(r"(^|\s)\d+[.)]\s", text)) >= 2:
            return True
        doubled = sum(a == b for a, b in zip(ws, ws[1:], strict=False))
        if doubled >= 3 and doubled >= 0.2 * len(ws):  # 'kamera kamera, kamera kamera'; 'me, me, me' is speech
            return True
        if len(ws) >= 12:
            top = max(ws.count(w) for w in set(ws))
            return top / len(ws) > 0.25 or len(set(ws)) / len(ws) < 0.4
        return False

    def questions_back(self, text: str) -> bool:
        """Two or more questions to the coach ('How have you dealt with the students? How do you ...?'): the
        model is coaching, not being coached. One question back is ordinary."""
        you = {"you", "your", "anda", "bapak", "ibu", "pak", "bu", "kamu"}
        asked = [s for s in split_sentences(text) if s.rstrip("\"'”’").endswith("?") and you & set(words(s))]
        return len(asked) >= 2

    @staticmethod
    def self_repeat(text: str) -> bool:
        """The same sentence twice, or the same five words three times, inside one reply."""
        sentences = [tuple(words(s)) for s in split_sentences(text)]
        sentences = [s for s in sentences if len(s) >= 3]
        if len(sentences) != len(set(sentences)):
            return True
        ws = words(text)
        runs = [tuple(ws[i : i + 5]) for i in range(len(ws) - 4)]
        return any(runs.count(r) >= 3 for r in set(runs))

    def names_itself(self, text: str) -> bool:
        """The coachee's own name ('I'm so glad you're here, Ms Ratna'): a person does not call herself by
        name, so the model is speaking to her or about her."""
        return bool(self.own_names & set(words(text)))

    def third_person_narration(self, text: str) -> bool:
        """'Bu Ratna merasa cemas.' / 'She sighs and says ...' / 'The coach has listened well': the model
        narrates instead of speaking."""
        if any(p.search(text) for p in self.narration):
            return True
        ws = words(text)
        if not ws or self.first_person & set(ws):
            return False
        starts = [words(s)[:2] for s in split_sentences(text)]
        return any(self.own_names & set(w) or (w and w[0] in self.third_person) for w in starts)

    def wrong_language(self, text: str) -> bool:
        ws = words(text)
        counts = {code: sum(w in marks for w in ws) for code, marks in self.markers.items()}
        mine = counts.get(self.lang, 0)
        other = max((c for code, c in counts.items() if code != self.lang), default=0)
        return other >= 3 and other > 2 * mine

    def pseudo_language(self, text: str) -> bool:
        """Indonesian-looking words that are not Indonesian ('bilangkabul', 'sampakunjukkan'): three
        different ones in a line. Names (capitalised inside a sentence), drawn-out words ('yaaa') and the
        words of the conversation do not count. Only checked in Indonesian sessions.

        Measured on real Indonesian coachee lines (third-party transcripts, read by the benchmark): none has
        three such words; SmolLM2-135M's Indonesian mostly does."""
        if self.lang != "id":
            return False
        said = {w for t in self.history for w in words(str(_field(t, "text") or ""))}
        unknown = set()
        for match in re.finditer(r"(?<![\w-])([^\W\d_]+(?:-[^\W\d_]+)*)", text):
            word = match.group(1)
            before = text[: match.start()].rstrip()
            if word[0].isupper() and before and before[-1] not in ".!?…\"“":
                continue  # a name
            w = re.sub(r"(.)\1{2,}", r"\1", word.lower())
            if len(w) >= 4 and w not in said and not is_indonesian_word(w):
                unknown.add(w)
        return len(unknown) >= 3

    @staticmethod
    def word_salad(text: str) -> bool:
        """Many one- or two-word fragments between commas ('kalau itu, kemudian, berbimba, kalau, ...')."""
        sizes = [len(part.split()) for part in re.split(r"[,.;:!?]", text) if part.strip()]
        return len(sizes) >= 8 and sum(sizes) / len(sizes) < 2.7

    def repeats_history(self, text: str) -> bool:
        mine = set(words(text))
        mine_sentences = {tuple(words(s)) for s in split_sentences(text) if len(words(s)) >= 5}
        for turn in self.history:
            earlier = str(_field(turn, "text") or "")
            theirs = set(words(earlier))
            if not theirs:
                continue
            if words(earlier) == words(text):
                return True
            if len(mine) >= 6 and len(mine & theirs) / len(mine | theirs) >= 0.85:
                return True
            if _field(turn, "speaker") == "coachee" and mine_sentences & {tuple(words(s)) for s in split_sentences(earlier)}:
                return True
        return False

    def invented_number(self, text: str) -> bool:
        return bool(_digits(text) - self.known_numbers)

    def reveals_locked(self, text: str) -> bool:
        ws = words(text)
        if ngrams(ws, LOCKED_RUN) & self.locked_runs:
            return True
        return len(set(ws) & self.locked_terms) >= LOCKED_TERMS

    def check(self, text: str, history: Sequence[Any] | None = None, *, final: bool = True) -> Verdict:
        """The verdict on a cleaned line. `final=False` checks a prefix while it streams (the checks that
        need the whole line, such as the language of a few words, wait for more text)."""
        if history is not None:
            self.history = list(history)
        if not text or not re.search(r"\w", text):
            return Verdict(False, "empty")
        if text.startswith("• "):
            return Verdict(False, "list")
        reason = self.out_of_character(text)
        if reason:
            return Verdict(False, reason)
        enough = final or len(words(text)) >= 8  # the language of three words is anyone's guess
        checks = (
            ("garbled", lambda t: self.garbled(t) or self.word_salad(t)),
            ("coach_speak", self.questions_back),
            ("self_repeat", self.self_repeat),
            ("third_person", self.third_person_narration),
            ("own_name", self.names_itself),
            ("invented_number", self.invented_number),
            ("locked", self.reveals_locked),
            ("repeat", self.repeats_history),
            ("wrong_language", lambda t: enough and self.wrong_language(t)),
            ("pseudo_language", lambda t: enough and self.pseudo_language(t)),
        )
        for key, failed in checks:
            if failed(text):
                return Verdict(False, key)
        return Verdict(True)

