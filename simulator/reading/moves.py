"""What kind of turn the coach took, beyond the coaching acts the reader finds: ordinary conversation (repeat,
clarify, thanks, goodbye, small talk, a joke, a question about the coach, a greeting, noise, a name) and the type
of the question asked (factual, yes/no, open), with real stacked questions told apart from one question with an
echo or a clause in front.

    classify(text, lang, names=()) -> Move          pure and deterministic
    move_lines(lang) -> dict[str, list[str]]         the generic lines for these moves (simulator/reading/rules/moves.yaml)

Kept apart from the reader (simulator/reading/reader.py) on purpose: the reader scores the coach; this module only
decides how a person would take the turn in conversation. Patterns and lines are data in rules/moves.yaml.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from pydantic import PrivateAttr, model_validator

from simulator.content import Strict, load_yaml
from simulator.reading.lexicon import lexicon
from simulator.reading.reader import content_words, detect_lang, tokens, unquote_questions

MOVES_PATH = Path(__file__).resolve().parent / "rules" / "moves.yaml"

# Ordinary conversation: answered in kind, the hidden state does not move.
ORDINARY = ("noise", "name_only", "repeat", "clarify", "thanks", "goodbye", "greeting", "small_talk", "humour",
            "about_coach", "monologue", "arrange", "proposal", "permission", "anything_else")
QUESTION_TYPES = ("factual", "yes_no", "open")
MONOLOGUE_WORDS = 250        # a turn this long is a monologue: nobody answers all of it
SHORT_ORDINARY_WORDS = 14    # thanks / small talk / a joke longer than this carries something else too


class LangPatterns(Strict):
    repeat: list[str]
    clarify: list[str]
    thanks: list[str]
    goodbye: list[str]
    thanks_any: list[str]       # thanks anywhere in the turn (with a leave-taking at the end it is a goodbye)
    meets_again: list[str]      # the next meeting put to the coachee ("Maybe we can look at it together next week?")
    closing_time: list[str]     # a last sentence that takes leave ("Selamat siang, Pak!", "Good luck this week")
    own_meaning: list[str]      # the coach explains its own question ("Maksud saya, ...", "I mean, ...")
    check: list[str]            # a yes/no that checks a feeling or a summary of what the coachee said
    greeting: list[str]
    small_talk: list[str]
    humour: list[str]
    about_coach: list[str]
    arrange: list[str]          # asks to meet again / fixes a time for the next talk ("Minggu depan ketemu lagi, bisa?")
    proposal: list[str]         # offers to do something itself and asks if that helps ("Would it help if I sat near ...?")
    permission: list[str]       # asks leave to share an idea ("Would it help if I shared one idea?")
    anything_else: list[str]    # "Anything else?" alone
    correction: list[str]       # the coach corrects itself before asking again ("Eh, maaf, saya belum tanya ya.")
    factual: list[str]
    yes_no: list[str]
    open: list[str]
    more: list[str]
    suggests: list[str]
    forward: list[str]
    goal: list[str]
    deep: list[str]
    # A question for something particular (beside when / how many / who / where): a reply about something else
    # does not answer it. `usual` asks for an everyday thing (a typical lesson, the morning, what one does).
    usual: list[str]
    specific: list[str]
    stop_echo_words: int


class LangLines(Strict):
    greet_back: list[str]
    repeat: list[str]
    repeat_nothing: list[str]
    clarify: list[str]
    clarify_nothing: list[str]
    thanks: list[str]
    goodbye: list[str]
    small_talk: list[str]
    humour: list[str]
    about_coach: list[str]
    noise: list[str]
    name_only: list[str]
    monologue: list[str]
    arrange: list[str]
    free_when: list[str]        # asked when it is free for the next talk ("Kapan Ibu ada waktu?")
    proposal: list[str]
    permission: list[str]
    anything_else: list[str]
    agreed_step: list[str]      # asked for its step after saying yes to the coach's ("Yeah, I'll try."): that one
    agreed_when: list[str]      # ... asked when it will start ("Which day are you going to start?")
    agreed_deal: list[str]      # ... asked to agree ("Deal?")
    unheard: list[str]          # "{said}?": a person or thing the coach refers to that nobody mentioned
    other_lang: list[str]
    not_yet: list[str]
    unknown: list[str]
    not_sure: list[str]       # a yes/no about how things are now that it cannot say ("Is the chat still going?")
    why_unsure: list[str]     # a why about what others do, that nothing the coachee holds answers
    off_topic: list[str]
    already: list[str]
    nothing_new: list[str]    # nothing more to say on it, instead of an earlier reply said again
    clarify_more: list[str]   # asked to explain with nothing new to explain it with
    offer: list[str]          # "Mau teh atau kopi?" accepted
    offer_plain: list[str]    # "Mau minum air dulu?", "Do you want some water?": accepted or declined, nothing named
    scale_sure: list[str]     # "from 1 to 10?" once a goal or a step is named
    scale_unsure: list[str]   # "from 1 to 10?" before that
    say_yes: list[str]        # a yes to a question about a fact ("Yes.", "Iya.")
    confirm_yes: list[str]    # a yes to what was checked (a summary, a feeling): "Yes, that's right.", "Betul."
    say_no: list[str]
    after_end: list[str]
    conclude: list[str]
    guarded: list[str]
    # A specific question the reply does not answer (nothing the coachee holds does): said first, so the reply
    # meets the question before it goes on ("What does a normal lesson look like?" - "Oh, the usual, really.").
    aside_usual: list[str]     # describe / what happens / what do you do: an everyday thing, nothing special
    aside_unknown: list[str]   # when / how many / who / where: not known exactly
    aside_unsure: list[str]    # why / based on what / anything else: not thought about
    bridge: list[str]          # "{said}" - from the aside to what the coachee goes on to say
    not_settled: list[str]     # said after a goal or a step not reached yet, asked for plainly: not decided
    weigh_example: list[str]   # "{said}": a step the coach offers as an example, weighed when it has none yet
    step_unsure: list[str]     # asked for a step with only the goal named: the goal is clear, the way not yet
    step_after_insight: list[str]  # asked for a step after its insight, no goal yet: the aim comes first (TIRTA)
    goal_unsure: list[str]     # asked what it wants before it is ready to say (guarded): no picture of it yet
    feeling: list[str]         # "{said}": one of the persona's feelings, asked how it feels with nothing new to tell
    conclude_early: list[str]  # asked for its conclusion before any insight: clearer now, no way through yet
    either: list[str]          # an either-or question ("... atau ...?") the reply does not answer: one of the two
    try_yes: list[str]         # "Apa Ibu mau coba itu besok?" about the coachee's own idea: yes
    maybe_yes: list[str]       # "Is that doable for you?" that memory holds nothing on: a hedged yes


class MoveRules(Strict):
    patterns: dict[str, LangPatterns]
    lines: dict[str, LangLines]
    student_lines: dict[str, dict[str, list[str]]] = {}   # per language, replaces lines for student personas
    _compiled: dict[tuple[str, str], list[re.Pattern]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _compile(self) -> MoveRules:
        for lang, pats in self.patterns.items():
            for kind, values in pats.model_dump().items():
                if not isinstance(values, list):
                    continue
                compiled = []
                for i, pattern in enumerate(values):
                    try:
                        compiled.append(re.compile(pattern, re.IGNORECASE))
                    except re.error as exc:
                        raise ValueError(f"patterns.{lang}.{kind}.{i}: bad regular expression ({exc})") from exc
                self._compiled[(lang, kind)] = compiled
        for lang in ("id", "en"):
            if lang not in self.patterns or lang not in self.lines:
                raise ValueError(f"patterns/lines.{lang}: missing")
        for lang, lines in self.student_lines.items():
            unknown = set(lines) - set(LangLines.model_fields)
            if unknown:
                raise ValueError(f"student_lines.{lang}.{sorted(unknown)[0]}: not a kind of line")
        return self

    def search(self, lang: str, kind: str, text: str) -> re.Match | None:
        for p in self._compiled[(lang, kind)]:
            m = p.search(text)
            if m:
                return m
        return None


@cache
def _load(path: Path) -> MoveRules:
    return load_yaml(path, MoveRules, "conversation moves")


def load_move_rules(path: str | Path = MOVES_PATH) -> MoveRules:
    return _load(Path(path))


def move_lines(lang: str, role: str | None = None) -> dict[str, list[str]]:
    """The generic lines in `lang`; a student's own register replaces some of them (rules/moves.yaml)."""
    rules = load_move_rules()
    lang = lang if lang in rules.lines else "id"
    lines = rules.lines[lang].model_dump()
    if role == "student":
        lines.update(rules.student_lines.get(lang, {}))
    return lines


@dataclass(frozen=True)
class Move:
    kind: str                   # one of ORDINARY, or "coaching" (everything else)
    question: str | None        # type of the main question: factual | yes_no | open | None (no question)
    questions: int              # distinct real questions (echoes and tags do not count)
    stacked: bool               # two or more distinct real questions
    greeting: str | None        # the coach's greeting, as typed ("Selamat pagi"), to answer in kind
    lang: str                   # the language the turn is written in
    focus: str                  # the main question (or the whole turn): what the coachee answers
    ordinary: bool = False      # True for ORDINARY moves: no state change
    asked: str = ""             # the main question alone ("" when the turn asks none)
    forward: bool = False       # looks forward: a plan, a next step, a commitment
    deep: bool = False          # asks for meaning, feelings or values
    more: bool = False          # "tell me more": go on about what was just said
    suggests: bool = False      # a suggestion put as a question ("Maybe you could ...?"): taken as advice
    goal: bool = False          # asks what the coachee wants to achieve
    check: bool = False         # checks a feeling or a summary ("Capek ya, Bu?", "Is that right?"): confirm, go on

    def to_dict(self) -> dict:
        return asdict(self)


_SENTENCE = re.compile(r"[^.?!…]+[.?!…]*")
_LETTERS = re.compile(r"[^\W_]", re.UNICODE)
_NAME_WORDS = {"bu", "ibu", "pak", "bapak", "mas", "mbak", "nak", "dik", "kak", "mrs", "mr", "ms", "miss", "sir"}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


_REQUEST = re.compile(r"^\W*(coba |boleh |tolong )?(ceritakan|ceritain|jelaskan|gambarkan|tell me|describe|"
                      r"walk me through|talk me through|say more)\b", re.IGNORECASE)
_MARKED_YES_NO = re.compile(r"^\W*(apakah|\w+kah|do|does|did|is|are|was|were|have|has|can|could|will|would)\b",
                            re.IGNORECASE)
_SUBORDINATE = re.compile(
    r"^\W*(ketika|saat|waktu|kalau|jika|apabila|setelah|sesudah|sebelum|sambil|selama|sejak|"
    r"(when|if|while|after|before|as|since|once)(?!\s+(did|do|does|is|are|was|were|will|can|could|would|have|has)\b))\b",
    re.IGNORECASE)
# "What could you try?" asks; "Maybe you could try ...?" suggests.
# (after a short lead-in: "Next week, what's one thing you could try?" asks)
_OPEN_START = re.compile(r"^\W*((so|and|then|okay|ok|now|jadi|lalu|terus|trus|nah|oke)\s+)?([\w']+(\s+[\w']+){0,2},\s*)?"
                         r"(what(?!\s+(if|about)\b)|which|who|when|where|how (would|could|might|will)|apa|siapa|kapan|di ?mana|langkah apa|"
                         r"(kira-kira|kiranya|kira2) (apa|yang mana|bagaimana|gimana))\b",
                         re.IGNORECASE)
# "If you could ask someone for one kind of help, what would it be?": a pictured ability frames the question
_PICTURED = re.compile(r"^\W*((so|and|then|jadi|nah|terus)\s+)?(if|suppose|imagine|kalau|kalo|jika|bila|apabila|seandainya|"
                       r"andaikan|andai|misalkan|bayangkan)\s+(\w+\s+)?(could|were able to|bisa|boleh|dapat)\b", re.IGNORECASE)


def _asks_what(asked: str, rules: MoveRules, lang: str) -> bool:
    """"What's one small thing you could try?" asks, after any lead-in ("Going back to what matters most to you,
    curious students - what's one ...": round 18 heard "Yes. Noted." as to advice)."""
    parts = re.split(r"\s[-–—]\s|[,;:]\s*", asked)
    return bool(_OPEN_START.match(asked)) or any(
        _OPEN_START.match(part) and rules.search(lang, "suggests", part)
        or _PICTURED.match(part) and any(_OPEN_START.match(p) for p in parts[n + 1:])
        for n, part in enumerate(parts))


def _suggests(focus: str, asked: str, rules: MoveRules, lang: str) -> bool:
    """A suggestion in the turn: before its question ("My tip would be to give each one a role. What do you think?"
    asks about the tip: round 21), or the question itself ("Maybe you could try ...?"), which "What's one thing you
    could try?" is not."""
    before = focus.replace(asked, " ") if asked else ""
    return bool(before and rules.search(lang, "suggests", before)) or (
        bool(rules.search(lang, "suggests", asked or focus)) and not _asks_what(asked, rules, lang))


_EN_ASKS = re.compile(r"^\W*(do|does|did|is|are|was|were|have|has|can|could|will|would)\s+"
                     r"(you|i|we|they|he|she|it|there|the|your|this|that|those|these)\b", re.IGNORECASE)
_TAG = re.compile(r",\s*(ya|kan|bukan|right|yes|no)\s*\?\s*$", re.IGNORECASE)


def _is_question(piece: str, rules: MoveRules, lang: str) -> bool:
    if "?" in piece or _REQUEST.search(piece) or rules.search(lang, "more", piece):
        return True
    if rules.search(lang, "own_meaning", piece) and _WH.search(piece):
        return True   # "I was asking what the squabbling looks like." - the question said again, as a statement
    # English asks by word order even without "?" ("Do you teach Year 7"); "Have a seat." does not.
    return lang == "en" and bool(_EN_ASKS.match(piece))


# a polite request for a telling, not a yes/no ("No, actually. There's no proper routine ..." to "Can you tell me what
# usually happens when they come back in?": paired comparison 38's raters)
_POLITE_REQUEST = re.compile(r"^\W*(can|could|would|will) you (please )?(tell me|describe|explain|talk me through|walk me "
                      r"through|say (a bit |a little )?more|share|give me an example|help me understand)\b", re.I)


# "Is there anything you'd like to ...?", "Ada yang ingin Ibu sampaikan ke dia?": asks for the thing
_ANYTHING_YOU = re.compile(r"^\W*((so|and|okay|ok|then|jadi|terus|nah)\W+)?(is there|are there|(apa(kah)? )?ada(kah)?)\s+"
                           r"(anything|something|anyone|someone|(hal |sesuatu )?yang)\b"
                           r"(?=[^?]{0,60}\b(you|you'd|you'll|kamu|ibu|bapak|anda)\b)"
                           r"(?=[^?]{0,60}\b(want|like|wish|hope|need|ingin|mau|pengin|pingin|harap)\b)", re.I)


def question_type(piece: str, rules: MoveRules, lang: str) -> str:
    """factual | yes_no | open for one question piece (a question mark alone is a yes/no question)."""
    low = piece.strip()
    if _POLITE_REQUEST.match(low):
        return "open"   # "Can you tell me what usually happens when they come back in?" asks for the telling
    if _ANYTHING_YOU.match(low):
        return "open"   # "Is there anything you'd want Salsa to know?" is answered with the thing (round 39: "Yeah, ...")
    if re.match(r"^\W*(apakah|do|does|did|is|are|was|were|have|has|can|could|will|would)\b", low, re.I):
        return "yes_no"
    if rules.search(lang, "factual", low):
        return "factual"
    tail = _WH_TAIL.search(low)
    if tail and not _WH_ANY.match(low):
        # "And the friends who don't say hi anymore, who are they?": the question is its last clause (round 36
        # heard "Yeah.")
        return question_type(tail.group(1), rules, lang)
    if rules.search(lang, "yes_no", low) and not re.search(r"\b(apa yang|bagaimana|gimana|seperti apa)\b", low, re.I):
        return "yes_no"
    if rules.search(lang, "open", low) or rules.search(lang, "more", low) or re.search(r"\b(apa|what|how|mana|which)\b",
                                                                                         low, re.I):
        return "open"
    return "yes_no"


def _strip_greeting(text: str, rules: MoveRules, lang: str) -> tuple[str | None, str]:
    m = rules.search(lang, "greeting", text)
    if not m:
        return None, text
    greeting = m.group(0).strip(" ,.!")
    rest = text[m.end():].lstrip(" ,.!")
    # Drop the name after the greeting too ("Selamat pagi, Bu Nadia.")
    rest = re.sub(r"^(bu|ibu|pak|bapak|mas|mbak|nak|dik|kak|mrs|mr|ms|miss|sir)?\s*[A-Z][\w.]*[\s,.!]*", "",
                  rest) if re.match(r"^(bu|ibu|pak|bapak|mas|mbak|nak|dik|kak|mrs|mr|ms|miss|sir)\b", rest, re.I) \
        else rest
    return greeting, rest.strip()


def classify(text: str, lang: str, names: tuple[str, ...] = (), rules: MoveRules | None = None) -> Move:
    """How a person would take this coach turn. `lang` is the session's language; `names` the coachee's
    names ("Bu Nadia", "Nadia") so a turn that is only a name is recognised."""
    rules = rules or load_move_rules()
    raw = unquote_questions(" ".join(text.split()))
    # a turn with no word that tells the language ("Who's Fajar?") is in the session's language
    turn_lang = detect_lang(raw, "", default=lang) if tokens(raw) else lang
    if turn_lang not in rules.patterns:
        turn_lang = lang
    L = turn_lang

    def move(kind: str, question=None, questions=0, stacked=False, greeting=None, focus=raw, asked="") -> Move:
        probe = asked or focus
        # "Boleh cerita lebih lanjut, berapa lama ...?" asks its own question: not a bare "tell me more".
        more = kind == "coaching" and bool(rules.search(L, "more", probe)) \
            and not (rules.search(L, "factual", probe) and question == "factual")
        question = "open" if more else question
        return Move(kind, question, questions, stacked, greeting, L, focus, kind in ORDINARY, asked,
                    bool(rules.search(L, "forward", probe)) and not lexicon(L).lesson_planned.search(probe.lower()),
                    bool(rules.search(L, "deep", probe)), more,
                    kind == "coaching" and _suggests(focus, asked, rules, L), bool(rules.search(L, "goal", probe)),
                    kind == "coaching" and question == "yes_no" and bool(rules.search(L, "check", probe)))

    if not _LETTERS.search(raw):
        return move("noise")
    words = tokens(raw)
    if names:
        name_words = {w for n in names for w in tokens(n)} | _NAME_WORDS
        if words and all(w in name_words for w in words) and any(w not in _NAME_WORDS for w in words) \
                or (words and all(w in _NAME_WORDS for w in words) and len(words) <= 2):
            return move("name_only")
    if len(words) > MONOLOGUE_WORDS:
        return move("monologue")

    if len(words) <= 4:
        # "Pardon?", "Goodbye, Ms Nadia": too short to tell the language; an ordinary move in either counts.
        for other in (L, *(x for x in rules.patterns if x != L)):
            for name in ("goodbye", "repeat", "clarify", "thanks"):
                asks = "?" in raw
                if rules.search(other, name, raw) and not (asks and name in ("goodbye", "thanks")) \
                        and not (name == "clarify" and _rephrases(raw, rules, other)):
                    return move(name)
    greeting, rest = _strip_greeting(raw, rules, L)
    short = len(words) <= SHORT_ORDINARY_WORDS
    # Goodbye first: "Terima kasih, sampai jumpa" is a goodbye, not a thank-you.
    if rules.search(L, "goodbye", raw) and ("?" not in _TAG.sub(".", raw) or _closes(raw, rules, L)):
        return move("goodbye", greeting=greeting)
    if _closes(raw, rules, L) and rules.search(L, "thanks_any", raw):
        # "Terima kasih sudah bercerita hari ini. ... Selamat siang, Bu." - thanks, then the time of day: leaving.
        return move("goodbye", greeting=greeting)
    if "?" not in raw and rules.search(L, "thanks_any", raw) and _CLOSING_THANKS.search(raw):
        # "Thank you for your time today, Mr Bambang. I've enjoyed hearing about …" / "Makasih ya sudah cerita banyak
        # hari ini. Istirahat dulu, ya.": thanks for the talk with nothing asked is the coach closing (round 5:
        # answered with an insight or an opening greeting).
        return move("goodbye", greeting=greeting)
    sentences = all_sentences = _sentences(rest or raw) or [raw]
    while len(sentences) > 1 and "?" not in sentences[-1] and _FAREWELL.search(sentences[-1]):
        sentences = sentences[:-1]   # "... Bagaimana kalau kita ngobrol lagi Jumat depan? Semoga hari Ibu menyenangkan."
    tagged = len(sentences) > 1 and _TAG_ONLY.match(sentences[-1])   # "... Kita ngobrol lagi hari Kamis ya. Gimana?"
    final = " ".join(sentences[-2:]) if tagged else sentences[-1]
    if rules.search(L, "arrange", rest or raw) and _arranges_only(rest or raw, rules, L) \
            and not _ASKS_ELSE.search(_PURPOSE.sub("", sentences[-2] if tagged else final)) and (
            len(words) <= 24 or rules.search(L, "arrange", final)):
        # "Minggu depan kita ketemu hari Selasa, bisa?": not a memory; nor after a summary that closes the talk
        # ("... We need to wrap up for today. Shall we meet again on Friday and work out that first step together?":
        # round 34 heard the goal again)
        return move("arrange", greeting=greeting)
    last = all_sentences[-1]
    for name in ("permission", "anything_else"):
        if rules.search(L, name, last) and _asks_only_last(rest or raw, rules, L):
            return move(name, greeting=greeting)   # "... Would it help if I shared one idea?": yes, not a memory
    if rules.search(L, "proposal", rest or raw) and _asks_only_last(rest or raw, rules, L) \
            and not rules.search(L, "suggests", rest or raw):
        # "Would it help if I sat near group three and wrote down who speaks?", "Kalau saya fokus mencatat siapa yang
        # bicara, apakah itu membantu?": what the coach itself will do, put to the coachee (round 33: "I don't follow")
        return move("proposal", greeting=greeting)
    if rules.search(L, "repeat", rest or raw) and len(words) <= 12:
        return move("repeat", greeting=greeting)
    if rules.search(L, "clarify", rest or raw) and len(words) <= 14 and not _rephrases(rest or raw, rules, L):
        return move("clarify", greeting=greeting)

    pieces = [p for p in _sentences(rest) if tokens(p)]
    real: list[str] = []
    echoes: list[str] = []
    for p in pieces:
        if not _is_question(p, rules, L):
            continue
        n = len(tokens(p))
        typed = question_type(p, rules, L)
        # An echo ("Ramai?", "Oh ya?", "Really?", "Ramai sekali, ya?") is no question of its own.
        if typed == "yes_no" and not _MARKED_YES_NO.search(p) and (
                n <= rules.patterns[L].stop_echo_words or (_TAG.search(p) and n <= 4)):
            echoes.append(p)
            continue
        if real and _same_question(real[-1], p, rules, L):
            if rules.search(L, "correction", p):
                real[-1] = p   # "... Monday? Sorry, I meant: ... Friday?": the corrected one is asked
            continue   # the same question again, or rephrased ("Apa yang akan kita bahas? Topik apa yang mau...?")
        if rules.search(L, "small_talk", p) and len(tokens(p)) <= 6:
            continue   # "Gimana kabarnya? ..." - a greeting, not a question to answer alongside the other
        real.append(p)
    if not real and echoes:
        real = echoes[-1:]   # a short question alone ("Ramai, ya?") is a question, not an echo
    real = _one_question(real, rules, L)
    if len(real) == 1 and len(pieces) == 1 and "," in real[0]:
        # "Kalau boleh tahu, apa yang...": a clause in front; count the questions after commas only if each
        # carries its own question word.
        parts = [x for x in real[0].split(",") if tokens(x)]
        # "When they were spellbound, what was happening?": a clause in front, not a question of its own.
        parts = [x for x in parts if not _SUBORDINATE.match(x)]
        wh = [x for x in parts if re.match(r"^\W*((dan|atau|lalu|terus|juga|and|or|then|also)\s+)?"
                                           r"(apa|apakah|bagaimana|gimana|siapa|kapan|berapa|di mana|mengapa|kenapa|"
                                           r"what|how|who|when|where|which|why|do|does|did|is|are)\b", x, re.I)]
        if len(wh) >= 2:
            real = wh
    if not real and pieces:
        if greeting and short and not rules.search(L, "small_talk", rest):
            return move("greeting", greeting=greeting)
        if rules.search(L, "small_talk", pieces[-1]) and len(tokens(pieces[-1])) <= 8:
            return move("small_talk", greeting=greeting)   # "Makasih sudah datang. Sudah makan?" asks after them
        if rules.search(L, "thanks", rest or raw) and short:
            return move("thanks", greeting=greeting)
        if rules.search(L, "humour", raw) and len(words) <= 2 * SHORT_ORDINARY_WORDS \
                and not rules.search(L, "suggests", raw):
            return move("humour", greeting=greeting)   # a joke with no question in it is a joke, even a longer one
        if rules.search(L, "small_talk", rest) and (short or len(tokens(pieces[-1])) <= 8
                                                      and rules.search(L, "small_talk", pieces[-1])):
            return move("small_talk", greeting=greeting)
    if not pieces:
        if greeting:
            return move("greeting", greeting=greeting)
        if rules.search(L, "humour", raw):
            return move("humour")
        return move("noise")
    if real:
        main = real[-1]
        if (short or len(tokens(main)) <= 10) and rules.search(L, "small_talk", main):
            return move("small_talk", greeting=greeting)
        if rules.search(L, "about_coach", main) or rules.search(L, "about_coach", rest or raw):
            return move("about_coach", greeting=greeting)
        if short and rules.search(L, "humour", raw) and not rules.search(L, "open", main) \
                and not _asks_something(main, rules, L):
            return move("humour", greeting=greeting)
        # Stacked: two questions that each ask for something (a wh-question), or three of any kind. A yes/no check
        # in front of a real question ("Jadi anaknya tinggal dengan nenek? Menurut Ibu, apa masalahnya?") is how
        # people talk, and is answered as one.
        # Stacked only from three questions on: two linked questions ("Kapan? Berapa lama?", "Which class, and what
        # time?") are how people talk, and a person answers the first (a blind panel read "one at a time" to two
        # short questions as a non-answer). A self-correction ("Eh, maaf, saya belum tanya ya. Apa ...?") means the
        # question after it is the one asked.
        # (asking leave to offer something is no question of its own: "Boleh saya tawarkan satu hal, Bu? Gimana kalau
        # ...? Menurut Ibu gimana?" - round 36 heard "Satu-satu saja")
        leave = [q for q in real[:-1] if _ASKS_LEAVE.search(q) or rules.search(L, "permission", q)]
        real = [q for q in real if q not in leave] or real
        wh = [q for q in real if question_type(q, rules, L) != "yes_no"]
        stacked = len(real) >= 3
        if len(real) == 2 and len(wh) == 1 and wh[0] == real[0]:
            main = real[0]   # "Who are the four? Are they the same every time?": the yes/no only narrows the who
        elif len(real) == 2 and _POLITE_REQUEST.match(real[0]) and question_type(real[-1], rules, L) != "yes_no":
            main = real[-1]   # "Can you tell me about the last time? What did the teasing look like?": the second
        elif len(real) == 2 and not stacked:
            corrected = any(rules.search(L, "correction", p) for p in pieces[pieces.index(real[0]) + 1:]) \
                if real[0] in pieces else bool(rules.search(L, "correction", rest))
            main = real[-1] if corrected or len(wh) == 1 and wh[0] == real[-1] else real[0]
        # The whole turn is what the coachee answers: a reflection in front names the topic of "itu".
        asked = core_question(main)
        return move("coaching", question_type(asked, rules, L), len(real), stacked, greeting, rest or raw, asked)
    return move("coaching", None, 0, False, greeting, rest or raw)


# Thanks for the talk as a whole ("today", "your time", "if you need to talk again"), not for one answer: "Terima
# kasih sudah cerita. Saya dengar Ibu lelah." mid-conversation is thanks and a reflection.
_CLOSING_THANKS = re.compile(r"\b(hari ini|waktu(nya| ibu| bapak| kamu)|cerita banyak|banyak cerita|(ngobrol|cerita|"
                             r"bicara) lagi|today|your time|(talk|chat) again|(this|the) (chat|talk|conversation)|"
                             # thanks for having talked ("makasih ya Dim sudah mau ngobrol", "Thanks for being so
                             # honest with me": rounds 28-29 heard a complaint or an insight after them; not thanks for
                             # coming, which opens a talk, nor for one answer: "Terima kasih sudah cerita. Saya dengar
                             # Ibu lelah sekali.")
                             r"(sudah|udah) mau (ngobrol|cerita|bercerita|berbagi|terbuka|jujur)|"
                             r"for (talking (this through |it through )?with me|being so|your honesty|opening up))\b",
                             re.IGNORECASE)


# a tag at the end asks nothing ("My door's open if you want to talk again after Friday, okay?")
_TAG = re.compile(r"[,\s]+(okay|ok|alright|all right|right|yeah|ya|yah|oke|deal|kan)\s*\?+\s*$", re.IGNORECASE)


def _closes(text: str, rules: MoveRules, lang: str) -> bool:
    """The turn ends on a leave-taking ("... Have a good afternoon!", "... Selamat siang, Pak!"): whatever was
    asked before it ("shall we?"), the coach is leaving."""
    pieces = [p for p in _sentences(text) if tokens(p)]
    if len(pieces) < 2:
        return False
    last = pieces[-1]
    if rules.search(lang, "goodbye", last) or rules.search(lang, "closing_time", last):
        return True
    # "... Terima kasih waktunya. Assalamualaikum." / "... Thank you. Could we meet again next week?": a salam or
    # the next meeting after thanks is leave-taking, not a greeting or a question to answer from memory.
    # ("Thank you for being so open today - shall we check in again next week?": thanks and the next meeting in one)
    thanked = any(rules.search(lang, "thanks_any", p) for p in pieces)
    if rules.search(lang, "thanks_any", last) and not _is_question(last, rules, lang) \
            and any(rules.search(lang, "goodbye", p) or rules.search(lang, "arrange", p) or _meets_again(p, rules, lang)
                    for p in pieces[-3:-1]):
        return True   # "Let's talk again on Monday, okay? Thanks for staying behind, Raka." (round 17: "Nah.")
    return thanked and bool(re.match(r"^\W*(assalamu\w*|salam\b)", last, re.I) or rules.search(lang, "arrange", last)
                            or _meets_again(last, rules, lang))


def puts_next_meeting(text: str, lang: str) -> bool:
    """Does the turn put the next meeting to the coachee ("Shall I pop back next week?", "Maybe we can meet again on
    Friday?")? A goodbye that does is answered yes, then goodbye."""
    rules = load_move_rules()
    return lang in rules.patterns and (bool(rules.search(lang, "arrange", text))
                                       or any(_meets_again(p, rules, lang) for p in _sentences(text)))


# a request to say more that names nothing of its own, after the question it asks more about
_BARE_REQUEST = re.compile(r"^\W*((boleh|bisa|tolong|coba)( \w+)? (dijelaskan|diceritakan|diceritain|dijelasin|jelaskan|ceritakan|"
                           r"ceritain|jelasin)|(can|could|would) you (please )?(explain|say more|tell me more|expand)|tell me more)"
                           r"( (sedikit|lagi|lebih lanjut|lebih jelas|a bit|a little|more))?(,? (bu|pak|nak|dik|kak|please))?\W*$",
                           re.I)
_WH_TAIL = re.compile(r",\s*((who|what|which) (is|are|was|were|did|do|does)\b[^,]{0,80}\?|(siapa|apa|yang mana|berapa)\b"
                      r"[^,]{0,80}\?)\s*$", re.I)
# (a question that opens with its own question word is that question: "How do you find out now, before the test, who's
# struggling?")
_WH_ANY = re.compile(r"^\W*((and|so|but|then|okay|ok|dan|jadi|terus|lalu|nah)\W+)?(who|what|which|where|when|why|how|siapa|"
                     r"apa|mana|kapan|berapa|bagaimana|gimana|kenapa|mengapa)\b", re.I)
_ASKS_LEAVE = re.compile(r"\b(boleh(kah)?|bisa(kah)?|can|could|may) (saya|aku|i)\b[^?]{0,40}\b(tawar\w*|menawarkan|usul\w*|kasih|"
                         r"beri|memberi|sampaikan|menyampaikan|share|offer|suggest|tell you|bagi|berbagi)\b", re.I)
# another question beside the meeting in the same sentence ("Apa yang Bapak bawa hari ini, dan kapan kita bisa bertemu
# lagi?", "Which one will you hand over, and when shall we meet?")
# what the meeting is for asks nothing else: "kapan enaknya kita ngobrol lagi untuk melihat bagaimana hasilnya?" (round 39)
_PURPOSE = re.compile(r"\b(untuk|buat|supaya|agar|biar|to|and) (melihat|lihat|membahas|bahas|ngecek|cek|see|look at|talk "
                      r"about|check|go over)\b[^?]*", re.I)
# (English: a question word that opens a clause of its own, "..., and what will you try first?", not "after you've had a
# few days to notice what happens"; Indonesian asks in place, "langkah kecil apa yang mau Bapak coba", anywhere - but
# "gimana" at the end asks how about it: "Kalau Rabu gimana, Bu?")
_ASKS_ELSE = re.compile(r"\b((?<!-)apa(?!-)|siapa|mana|(bagaimana|gimana)(?! kalau)(?!\s*(,\s*\w+)?\s*\?))\b|"
                        r"(^\W*|[,;:.\u2013\u2014-]\s*|\b(and|or|so|then)\s+)(what(?! about| day| time)|which(?! day| time)|who|"
                        r"how(?! about))\b", re.I)


def _meets_again(piece: str, rules: MoveRules, lang: str) -> bool:
    """Does the piece put the next meeting to the coachee ("Maybe we can look at the homework conclusions together
    next week?", "... kita lihat lagi minggu depan, ya?"), not ask what it will do by then ("What could you try
    next week?", "Apa yang bisa kita lakukan minggu depan?")? Rounds 28-29 heard an insight or a complaint after
    thanks with such a proposal."""
    return bool(rules.search(lang, "meets_again", piece)) and not _WH.search(piece)


def _asks_only_last(text: str, rules: MoveRules, lang: str) -> bool:
    """The turn's last sentence is its only question ("Baik, saya catat. Ada hal lain, Bu?")."""
    pieces = [p for p in _sentences(text) if tokens(p)]
    return not any(_is_question(p, rules, lang) for p in pieces[:-1])


def _arranges_only(text: str, rules: MoveRules, lang: str) -> bool:
    """The turn only fixes the next meeting: no other question asked beside it ("Gimana?" / "Oke?" after the meeting put
    as a plan checks that plan)."""
    pieces = [p for p in _sentences(text) if tokens(p) and _is_question(p, rules, lang)]
    return all(rules.search(lang, "arrange", p) or _TAG_ONLY.match(p) for p in pieces)


# a good wish at the end of a turn, after what it asks (round 37: "... Semoga hari Ibu menyenangkan.")
_FAREWELL = re.compile(r"^\W*(semoga|selamat (mengajar|bekerja|beraktivitas|siang|sore|pagi|istirahat)|sampai (jumpa|ketemu)|"
                       r"have a (good|nice|great)|enjoy|see you|good luck|take care|thanks?|terima kasih|makasih)\b", re.I)
# a check of what was just said, asking nothing of its own
_TAG_ONLY = re.compile(r"^\W*(gimana|bagaimana|oke|ok|okay|okey|bisa|boleh|setuju|ya|deal|sip|how.s that|how does that "
                       r"sound|all right|alright|sound good|good)(\s*,?\s*(bu|pak|nak|dik|kak|ya|\w+))?\W*$", re.I)


def _rephrases(text: str, rules: MoveRules, lang: str) -> bool:
    """"Maksud saya, ... siapa yang diam?" / "I mean, ...": the coach explains its OWN question (a question to
    answer, not a request to explain); "Pelajaran apa nih maksudnya?" asks for a fact with "maksudnya" as a tag."""
    if rules.search(lang, "own_meaning", text):
        return True
    # "Biasa aja gimana maksudnya? Ngerti atau nggak?": the question after the request is what is asked.
    after = [p for p in _sentences(text)[1:] if "?" in p and len(tokens(p)) >= 3 and not rules.search(lang, "clarify", p)]
    if after:
        return True
    stripped = re.sub(r"\b(maksud\w*|what do you mean|you mean)\b", " ", text, flags=re.I)
    return bool(rules.search(lang, "factual", stripped)) and len(tokens(stripped)) >= 3


def _asks_something(piece: str, rules: MoveRules, lang: str) -> bool:
    """A real question beside a laugh ("Hehe, maaf. Ibu mengajar kelas berapa?"): answer the question."""
    if "?" in piece and len(tokens(piece)) >= 2 and _WH.search(piece):
        return True   # "Hehe maaf. Tujuannya apa?": short, but a question word and a question mark
    return len(tokens(piece)) > 3 and ("?" in piece or bool(_WH.search(piece)) or bool(_MARKED_YES_NO.search(piece))
                                        or bool(rules.search(lang, "factual", piece)))


_LEAD_IN = re.compile(
    r"^\W*((kalau|jika) boleh (saya )?(tahu|tanya)|boleh (saya )?(tahu|tanya)( dulu)?|saya (mau|ingin|pengin) "
    r"(tahu|tanya)|by the way|if i may ask|can i ask( you)?|may i ask|i.m (curious|wondering)|i wonder)\W*",
    re.IGNORECASE)
_LEAD_IN_ANYWHERE = re.compile(_LEAD_IN.pattern.replace("^\\W*", "(^|,\\s*)\\W*", 1), re.IGNORECASE)
# a name, a title or a tag at the end, never a question word (", bagaimana?": round 37 heard a bare "Iya")
_VOCATIVE = re.compile(r",\s*((?i:bu|pak|ibu|bapak|mas|mbak|nak|dik|kak|sir|ma.am|miss|mrs|mr|ms)\b\s*[A-Z]?[\w.']*|[A-Z][\w.']*|"
                       r"(?i:begitu|gitu|ya|kan|bukan|right|yes|no|eh|ok|okay|yeah|usually|honestly|really))"
                       r"\s*(\?+)\s*$")


def core_question(piece: str) -> str:
    """The question without its lead-in ("Kalau boleh tahu, ...", "Sekarang Ibu mau nanya yang ringan aja: ...")
    and a name at the end (", Nia?"): what is asked, so retrieval weighs the words that matter."""
    q = piece.strip()
    if ":" in q and tokens(q.split(":", 1)[1]):
        q = q.split(":", 1)[1].strip()
    m = _LEAD_IN_ANYWHERE.search(q)
    if m and len(tokens(q[:m.start()])) <= 2:
        q = q[m.end():].strip() or q   # "Still, I'm curious, what ...": the lead-in and a word before it
    m = _VOCATIVE.search(q)
    if m and len(tokens(q[:m.start()])) >= 2 and len(tokens(m.group(0))) <= 2:
        q = q[:m.start()].rstrip() + "?"
    return q


_EXAMPLES = re.compile(r"^\W*(misalnya|misal|contohnya|contoh|seperti|kayak|for example|for instance|e\.g\.|like|say|"
                       r"such as|atau|or)\b", re.IGNORECASE)


def _one_question(real: list[str], rules: MoveRules, lang: str) -> list[str]:
    """One question, however it is dressed: a request in front ("Tell me about the last time. What did you
    see?"), examples or options after it ("Misalnya siapa yang bicara, berapa lama?"; "Kurang tidur, atau ada
    yang dipikirin?") are part of the question, not questions of their own."""
    if len(real) < 2:
        return real
    out: list[str] = []
    real = list(real)
    for i, p in enumerate(real):
        if i + 1 < len(real) and _REQUEST.search(p) and "?" not in p:
            if len(content_words(real[i + 1], lang)) <= 1:
                # ... and the question says what about it, not what it is about: "Tell me about Bayu. What
                # happened?" asks about Bayu (round 38 heard how the lesson opened)
                real[i + 1] = f"{p} {real[i + 1]}"
            continue   # "Tell me about ..." followed by the question it asks
        if i + 1 < len(real) and rules.search(lang, "more", p) and "?" not in p:
            continue   # "say more about that." followed by the real question
        if out and _BARE_REQUEST.match(p):
            continue   # "Maksudnya 'anak-anaknya tetap sama' itu gimana, Bu? Boleh dijelaskan sedikit?" (round 36)
        if i + 1 < len(real) and len(tokens(p)) <= 8 and (rules.search(lang, "repeat", p)
                                                           or rules.search(lang, "clarify", p)) \
                and not _BARE_REQUEST.match(real[i + 1]):
            continue   # "Maksudnya gimana? Anak yang terluka itu siapa?" - the question it asks follows
        if out and rules.search(lang, "clarify", p):
            out[-1] = p   # "Susah yang mana? Pelajaran apa nih maksudnya?": the same question, explained
            continue
        if out and (_EXAMPLES.search(p) or (re.search(r"\b(atau|or)\b", p, re.I) and not _WH.search(p))):
            continue   # examples or options for the question before
        out.append(p)
    return out or real[-1:]


_WH = re.compile(r"\b(apa|siapa|kapan|berapa|bagaimana|gimana|mana|mengapa|kenapa|"
                 r"what|who|when|how|where|which|why)\b", re.IGNORECASE)


def _same_question(a: str, b: str, rules: MoveRules, lang: str) -> bool:
    """The same question twice, or rephrased: most words shared, or the same question word and half of the
    content words of the shorter one."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not (ta and tb):
        return False
    if len(ta & tb) / len(ta | tb) >= 0.6:
        return True
    wa, wb = {w.lower() for w in _WH.findall(a)}, {w.lower() for w in _WH.findall(b)}
    ca, cb = set(content_words(a, lang)), set(content_words(b, lang))
    small = min(len(ca), len(cb))
    return bool(wa & wb) and wa == wb and small > 0 and len(ca & cb) / small >= 0.5


def same_question(a: str, b: str, lang: str) -> bool:
    """Are the two the same question, or one rephrased (`_same_question`)?"""
    rules = load_move_rules()
    return lang in rules.patterns and _same_question(a, b, rules, lang)


def asks_particular(question: str, lang: str) -> bool:
    """Does the question ask for a particular thing (a time, a number, a person, a place, a topic, an everyday
    routine, "based on what", "which", "turnamen olahraga apa?") rather than invite the coachee to talk ("What's on
    your mind?") or ask for feelings and meaning (any telling of the inner world fits those)?"""
    from simulator.reading.focus import focus

    rules = load_move_rules()
    if lang not in rules.patterns or rules.search(lang, "deep", question):
        return False
    return focus(question, lang) in ("number", "time", "who", "where", "topic") \
        or bool(rules.search(lang, "usual", question) or rules.search(lang, "specific", question))


def greeting_reply(greeting: str, lang: str, pick: int = 0) -> str:
    """Answer a greeting in kind: the coach's own time of day, never a "correction"."""
    g = greeting.strip()
    for pattern, reply in _GREETING_ANSWERS:
        if pattern.match(g):
            return reply
    lines = move_lines(lang)["greet_back"]
    g = g[:1].upper() + g[1:]
    return lines[pick % len(lines)].format(greeting=g, greeting_low=g.lower())


# Greetings answered with their own reply rather than "... juga": a salam, a welcome.
_GREETING_ANSWERS = [(re.compile(r"^assalamu", re.I), "Waalaikumsalam."),
                     (re.compile(r"^salam\b", re.I), "Salam."),
                     (re.compile(r"^selamat datang", re.I), "Terima kasih."),
                     (re.compile(r"^welcome", re.I), "Thank you."),
                     (re.compile(r"^(hi|hey|hello)$", re.I), "Hi."),
                     (re.compile(r"^(hai|halo|hallo)$", re.I), "Halo.")]
