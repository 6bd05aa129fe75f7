"""The reader's lexicons: the schema of simulator/reading/lexicons/<lang>.yaml, its validation and compilation.

Every word list and pattern the reader (simulator/reading/reader.py) uses lives in a lexicon file. A file is
validated against `LexiconFile` at load, its patterns are compiled once into a `Lexicon`, and a bad file or a
bad pattern raises ContentError naming the file and the field. `lexicon(lang)` is the cached entry point.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from simulator.content import Strict, load_yaml
from simulator.errors import ContentError
from simulator.vocabulary import LANGS

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


class TirtaPatterns(Strict):
    tanggung_jawab: list[str]
    rencana: list[str]
    tujuan: list[str]
    identifikasi: list[str]


class Patterns(Strict):
    open: list[str]
    open_request: list[str]
    closed: list[str]
    closed_marked: list[str] = []     # closed starts that count only when the piece ends with "?"
    unmarked_question: list[str] = []  # starts that make a piece a question without "?" (default: open+why+closed)
    question_end: list[str] = []       # a piece ending in one of these is a question ("kamu maunya gimana")
    embedded_question: list[str] = []  # ... unless it is said as not knowing ("bingung harus melakukan apa")
    why: list[str]
    advice_question: list[str]         # at the start of a question: advice dressed as a question
    advice: list[str]                  # anywhere in a statement
    advice_start: list[str] = []       # at the start of a statement (imperatives: "Try ...")
    affirmation: list[str]
    verdict: list[str] = []            # a short sentence of praise ({praise}): "Rapi sekali perencanaannya."
    reflection_opener: list[str]
    reflection_anywhere: list[str] = []  # reflection markers that may sit mid-sentence ("..., it sounds like")
    reflection_check: list[str] = []   # openers that make a declarative "...?" a reflection voiced as a check
    second_person: list[str] = []      # the coachee as subject ("you", "Ibu") ...
    first_person: list[str] = []       # ... without the coach's own "I/we": a statement about the coachee
    information: list[str] = []        # giving information: the piece is "other" with an "information" note
    declarative_reflects: bool = False  # a "...?" with no question form is a reflection (MI convention)
    closed_override: list[str] = []    # question starts that ask for a fact and are closed ("how many")
    open_inside_closed: list[str] = []  # a closed form that still invites a story ("do you have a sense of what")
    tag: list[str]
    leading_tag: list[str] = []
    leading: list[str]
    judgement: list[str]
    # a clause that gives the coachee's own words or view ("You're saying it was a mistake", "Ibu merasa itu salah"):
    # a verdict inside it is reflected, not the coach's judgement
    reported: list[str] = []
    forward: list[str]
    # a lesson planned is no plan to come ("Boleh Ibu ceritakan pelajaran apa yang Ibu rencanakan untuk hari itu?" in
    # a pre-observation talk asks what the lesson is: rounds 33 and 35)
    lesson_planned: list[str] = []
    conditional: list[str]
    # a clause that pictures what the coachee could do, framing the question after it ("If you could ask someone
    # for one kind of help, what would it be?"): the coach asks, it does not advise
    hypothetical: list[str] = []
    stacker: list[str]
    greeting: list[str]
    # a question that only checks the reflection just given ("..., apakah benar demikian?", "is that right?"): part
    # of the reflection, not a question of its own (MITI codes the pair as one reflection)
    check_question: list[str] = []
    # asking for time, a meeting or a place ("Bisa minta waktunya sebentar?", "Can we talk after class?"): arranging
    # the conversation, not a coaching question
    procedural: list[str] = []
    # a teacher talking to a student calls the student "kamu"/"nak" and themself "ibu"/"bapak": in such talk the
    # titles are the coach, not the coachee ("Mungkin bapak bisa bantu", "kamu bertemu bapak tadi")
    student_address: list[str] = []
    coach_titles: list[str] = []
    tirta: TirtaPatterns


class Affixes(Strict):
    particles: list[str]
    suffixes: list[str]
    prefixes: list[str]


class ActNames(Strict):
    open_question: str
    closed_question: str
    why_question: str
    reflection: str
    affirmation: str
    advice: str
    other: str


class HintTexts(Strict):
    open_question: str
    reflection: str
    reflection_then_question: str
    affirmation: str
    closed_question: str
    closed_rewrite_default: str
    why_question: str
    why_rewrite_default: str
    advice: str
    stacked: str
    leading: str
    judgement: str
    other: str
    no_key_words: str
    acts_label: str
    act_names: ActNames
    default_subject: str
    rewrites: list[tuple[str, str]] = []  # (regex on the question, replacement) for closed/why rewrites


class ModelFeature(Strict):
    scope: Literal["turn", "start", "question"]  # the whole turn, its first piece, or its last question piece
    pattern: str


class LinearModel(Strict):
    classes: list[str]                  # one score per class: bias + sum of weight * feature value
    bias: list[float]
    weights: dict[str, list[float]]     # feature name -> one weight per class


class ReadingModel(Strict):
    """A small, transparent linear model over the rule reading and lexical features (see _apply_model)."""
    note: str = ""
    features: dict[str, ModelFeature]
    main: LinearModel                   # classes: question, reflection, input, other
    open_closed: LinearModel            # classes: open, closed (for a turn read as a question)
    min_confidence: float = 0.5         # the model overrides the rules only when its class probability reaches this


class LexiconFile(Strict):
    lang: str
    markers: list[str]
    auxiliaries: list[str] = []
    subjects: list[str]
    titles: list[str] = []             # forms of address before a name ("Bu", "Pak"): a vocative, not a subject
    fillers: list[str]
    stopwords: list[str]
    feelings: list[str] = []           # words for feelings: `{feeling}` in patterns
    praise: list[str] = []             # words of praise and of virtues: `{praise}` in patterns, never after a negator
    negators: list[str] = []           # "tidak", "kurang": "kurang rapi" is no praise
    affixes: Affixes
    semantic_threshold: float = 0.88   # cosine (E5) above which an unmarked statement reflects the coachee's turn
    patterns: Patterns
    hints: HintTexts
    model: ReadingModel | None = None  # optional; without it the rules alone decide


class Lexicon:
    """A validated lexicon file with its patterns compiled once."""

    def __init__(self, data: LexiconFile, path: Path):
        self.data, self.path, self.lang = data, path, data.lang
        self.hints = data.hints
        self.markers = frozenset(data.markers)
        self.stopwords = frozenset(data.stopwords)
        self.subj = _alternation(data.subjects)
        self.aux = _alternation(data.auxiliaries or ["(?!x)x"])
        self.feelings = _alternation(data.feelings or ["(?!x)x"])
        not_after = "".join(f"(?<!\\b{re.escape(n)} )" for n in data.negators)
        self.praise = not_after + _alternation(data.praise or ["(?!x)x"])
        self.addressee = re.compile(rf"(?<!\w){self.subj}(?!\w)")
        p = data.patterns
        self.fillers = self._compile("fillers", data.fillers, "filler")
        self.open = self._compile("patterns.open", p.open, "start")
        self.open_any = self._compile("patterns.open", [x for x in p.open if not x.endswith("$")], "any")
        self.open_request = self._compile("patterns.open_request", p.open_request, "any")
        self.closed = self._compile("patterns.closed", p.closed, "start")
        self.closed_marked = self._compile("patterns.closed_marked", p.closed_marked, "start")
        self.why = self._compile("patterns.why", p.why, "start")
        self.why_any = self._compile("patterns.why", p.why, "any")
        self.advice_question = self._compile("patterns.advice_question", p.advice_question, "start")
        self.question_end = self._compile("patterns.question_end", [f"(?:{x})$" for x in p.question_end], "any")
        self.embedded_question = self._compile("patterns.embedded_question", p.embedded_question, "any")
        self.advice_start = self._compile("patterns.advice_start", p.advice_start, "start")
        unmarked = p.unmarked_question or (p.open + p.why + p.closed)
        self.unmarked = self._compile("patterns.unmarked_question", unmarked, "start")
        self.starter = self._compile("patterns", p.open + p.why + p.closed + p.advice_question, "start")
        self.advice = self._compile("patterns.advice", p.advice, "any")
        self.affirmation = self._compile("patterns.affirmation", p.affirmation, "any")
        self.verdict = self._compile("patterns.verdict", p.verdict, "any")
        # every verdict names a word of praise: a piece without one skips the verdict search (the reader's hot path)
        self.praise_word = re.compile(_alternation(data.praise or ["(?!x)x"]))
        self.feeling = self._compile("feelings", ["{feeling}"], "any")
        self.negator = self._compile("negators", [re.escape(n) for n in data.negators], "any")
        self.opener = self._compile("patterns.reflection_opener", p.reflection_opener, "start")
        self.reflection_any = self._compile("patterns.reflection_anywhere", p.reflection_anywhere, "any")
        self.reflection_check = self._compile("patterns.reflection_check", p.reflection_check, "start")
        self.second_person = self._compile("patterns.second_person", p.second_person, "any")
        self.first_person = self._compile("patterns.first_person", p.first_person, "any")
        self.information = self._compile("patterns.information", p.information, "any")
        self.closed_override = self._compile("patterns.closed_override", p.closed_override, "start")
        self.open_inside_closed = self._compile("patterns.open_inside_closed", p.open_inside_closed, "any")
        self.tag = self._compile("patterns.tag", p.tag, "raw")
        self.leading = self._compile("patterns.leading", p.leading, "any")
        self.leading_tag = self._compile("patterns.leading_tag", p.leading_tag, "raw")
        self.judgement = self._compile("patterns.judgement", p.judgement, "any")
        self.reported = self._compile("patterns.reported", p.reported, "any")
        self.forward = self._compile("patterns.forward", p.forward, "any")
        self.lesson_planned = self._compile("patterns.lesson_planned", p.lesson_planned, "any")
        self.conditional = self._compile("patterns.conditional", p.conditional, "start")
        self.hypothetical = self._compile("patterns.hypothetical", p.hypothetical, "start")
        self.stacker = self._compile("patterns.stacker", p.stacker, "any")
        self.greeting = self._compile("patterns.greeting", p.greeting, "any")
        self.check_question = self._compile("patterns.check_question", p.check_question, "start")
        self.procedural = self._compile("patterns.procedural", p.procedural, "any")
        self.student_address = self._compile("patterns.student_address", p.student_address, "any")
        self.coach_titles = self._compile("patterns.coach_titles", p.coach_titles, "any")
        self.tirta = [(stage, self._compile(f"patterns.tirta.{stage}", getattr(p.tirta, stage), "any"))
                      for stage in ("tanggung_jawab", "rencana", "tujuan", "identifikasi")]
        self.model = data.model
        self.model_features: list[tuple[str, str, re.Pattern]] = []
        if data.model:
            for name, f in data.model.features.items():
                self.model_features.append((name, f.scope, self._compile(f"model.features.{name}", [f.pattern], "any")))
            for mname in ("main", "open_closed"):
                lm = getattr(data.model, mname)
                for fname, ws in lm.weights.items():
                    if len(ws) != len(lm.classes):
                        raise ContentError(f"{path}: field 'model.{mname}.weights.{fname}': needs one weight per class")
        self.rewrites = []
        for i, (pattern, repl) in enumerate(data.hints.rewrites):
            self.rewrites.append((self._compile(f"hints.rewrites[{i}]", [pattern], "start"), repl))

    def _compile(self, field: str, patterns: list[str], mode: str) -> re.Pattern:
        parts = []
        for i, pattern in enumerate(patterns):
            body = (pattern.replace("{subj}", self.subj).replace("{aux}", self.aux)
                    .replace("{feeling}", self.feelings).replace("{praise}", self.praise))
            try:
                re.compile(body)
            except re.error as exc:
                raise ContentError(f"{self.path}: {field}[{i}]: invalid pattern {pattern!r}: {exc}") from None
            parts.append(body)
        if not parts:
            return re.compile(r"(?!x)x")  # matches nothing
        alt = "|".join(f"(?:{b})" for b in parts)
        if mode == "start":
            return re.compile(rf"^(?:{alt})(?!\w)")
        if mode == "any":
            return re.compile(rf"\b(?:{alt})(?!\w)" if all(_starts_with_word(b) for b in parts) else rf"(?<!\w)(?:{alt})(?!\w)")
        if mode == "filler":  # one or more leading fillers with their commas
            return re.compile(rf"^(?:(?:{alt})(?!\w)[\s,;:.!-]*)+")
        return re.compile(alt)


def _starts_with_word(pattern: str) -> bool:
    """True when every match of the pattern starts with a letter, so a cheap \\b can stand for (?<!\\w)."""
    head = re.sub(r"^(?:\(\?:)+", "", pattern)
    if re.match(r"[a-z{]|\\[wd]", head) is None:
        return False
    # every alternative of a leading group must start with a word character too
    group = re.match(r"\(\?:([^()]*)\)", pattern)
    return group is None or all(re.match(r"[a-z{]|\\[wd]", alt) for alt in group.group(1).split("|"))


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) if w != "(?!x)x" else w for w in sorted(words, key=len, reverse=True)) + ")"


def load_lexicon(path: Path) -> Lexicon:
    """Load and validate one lexicon file; a bad file raises ContentError naming the file and the field."""
    return Lexicon(load_yaml(path, LexiconFile, "lexicon"), Path(path))


@cache
def lexicon(lang: str) -> Lexicon:
    if lang not in LANGS:
        raise ContentError(f"no lexicon for language {lang!r}: use one of {', '.join(LANGS)}")
    lex = load_lexicon(LEXICON_DIR / f"{lang}.yaml")
    if lex.lang != lang:
        raise ContentError(f"{lex.path}: field 'lang': says {lex.lang!r}, expected {lang!r}")
    return lex
