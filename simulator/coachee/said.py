"""What the coachee has said and what the voice knows of the turn it answers.

The scripted voice sets the turn's context (what was heard, the coach's words, the earlier questions, the speaker's
role and feelings) in context variables for the length of one reply; these helpers read it. Here too: whether a
line tells an earlier reply again (`told_again`, `near_repeat`), the coach's words in the coachee's mouth
(`as_speaker`) and whether a line refers to something nobody has mentioned (`presupposes`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar
from functools import cache, lru_cache

from simulator.reading.facts import card_facts
from simulator.reading.moves import move_lines


def norm(text: str) -> str:
    return " ".join(text.lower().split())


_KEEP_CAPITAL = {"I", "Bu", "Pak", "Ibu", "Bapak", "Mrs", "Mr", "Ms", "Miss", "Sir", "Mas", "Mbak", "Kak", "Dik",
                 "Nak", "Tuhan", "Allah", "Alhamdulillah", "Insya", "Insyaallah"}
# Words that open a sentence and are never names, lowered after a lead-in even when the persona never writes them in
# lower case ("Intinya, ternyata saya nggak harus ...": paired 51's raters both saw "Intinya, Ternyata")
_OPENERS = {"ternyata", "sebenarnya", "sejujurnya", "jujur", "mungkin", "rasanya", "kayaknya", "pokoknya", "intinya",
            "honestly", "actually", "maybe", "frankly", "really", "apparently", "basically"}
# The words this persona writes in lower case somewhere (so "Empat" may become "empat", "Rafi" stays "Rafi").
LOWER_WORDS: ContextVar[frozenset[str] | None] = ContextVar("lower_words", default=None)


def said_any(lines: Iterable[str], texts: Iterable[str]) -> bool:
    """Is any of `lines` in any of `texts`, as a whole or inside a longer reply (normalised)?"""
    heard = [norm(t) for t in texts]
    return any(norm(line) in h for line in lines for h in heard)


@cache
def lower_words(persona_id: str, lang: str) -> frozenset[str]:
    from simulator.coachee.memory import load_memory
    from simulator.coachee.persona import get_persona

    texts: list[str] = []
    try:
        stack: list = [get_persona(persona_id).model_dump()]
    except Exception:  # noqa: BLE001 - a test persona not on disk: the memory alone
        stack = []
    while stack:   # every string of the card, both languages (a word in lower case in either is no name)
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            texts.append(node)
    memory = load_memory(persona_id)
    if memory is not None:
        texts += [t for i in memory.items for t in (i.short(lang), i.long(lang))]
    return frozenset(w for t in texts for w in re.findall(r"(?<![\w-])[a-z][a-z']*", t))


def lower_first(text: str) -> str:
    """"Empat rombel." -> "empat rombel." after "As I said, "; names, titles, codes ("P5", "VII-A") stay."""
    first = re.split(r"[\s,.!?;:]", text, maxsplit=1)[0]
    known = LOWER_WORDS.get()
    if (len(first) > 1 and first[0].isupper() and first[1:].islower()
            and first.replace("'", "").replace("-", "").isalpha()   # "Guru-guru" too
            and first.split("'")[0] not in _KEEP_CAPITAL
            and (known is None or first.lower().split("-")[0] in known or first.lower() in _OPENERS)):
        return text[0].lower() + text[1:]
    return text


NEAR_REPEAT = 0.6   # share of a sentence's content words already said at which it is the old telling again
NEAR_WORDS = 4      # a sentence with fewer content words says too little to tell ("... the Year 7 project team.")


@lru_cache(maxsize=4096)
def stem_set(text: str, lang: str) -> frozenset[str]:
    """The first five letters of each content word (4+ letters): "kelompoknya" and "kelompok" are one. Cached: every
    earlier reply is compared again at each turn, by several checks."""
    from simulator.reading.reader import content_words

    return frozenset(w[:5] for w in content_words(text.lower(), lang) if len(w) >= 4)


def told_again(text: str, told: list[frozenset[str]], lang: str) -> bool:
    """Is every sentence of the text (of four words or more) an earlier reply again in other words? A telling with
    a new sentence in it is not (`_new_part` says only that sentence)."""
    long = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if len(x.split()) >= OLD_SENTENCE_WORDS]
    return bool(long) and all(near_repeat(x, told, lang) for x in long)


def new_facts(sentence: str, heard: str, lang: str) -> bool:
    """Does the sentence hold a number, a class or a name not said before ("Yang diobservasi kelas VIII-C, Kamis
    depan" after "Kamis nanti kelas saya yang diobservasi": the class is new, so it is no repeat)?"""
    return any(f.lower() not in heard for f in card_facts(sentence, lang))


def near_repeat(sentence: str, told: list[frozenset[str]], lang: str) -> bool:
    """Is the sentence one earlier reply told again in other words (the longer form of a short answer given, the same
    story re-cut)? Rated blind, replies with 60% or more of their content words in one earlier reply were
    non-sequiturs 36% of the time and fitted 22% (rounds 1-5, 86 of 692 replies; round 6, not fitted on: 57% and 7%),
    against 17% and 52% for the rest; three content words at least (a short sentence says too little to tell)."""
    words = stem_set(sentence, lang)
    return len(words) >= NEAR_WORDS and any(len(words & earlier) / len(words) >= NEAR_REPEAT for earlier in told)


# The turn being answered, set by the scripted voice for the length of one reply.
HEARD: ContextVar[str | None] = ContextVar("heard", default=None)   # the scenario and the whole talk, lower case
COACH_SAID: ContextVar[str | None] = ContextVar("coach_said", default=None)   # the coach's turn
ASKED_BEFORE: ContextVar[tuple[str, ...]] = ContextVar("asked_before", default=())   # earlier coach questions
ROLE: ContextVar[str | None] = ContextVar("role", default=None)
EMOTIONS: ContextVar[tuple[str, ...]] = ContextVar("emotions", default=())   # the persona's feelings, this language
# The persona's own ways of not having thought about something yet: (language, lines) (personas/*.yaml `unsure`)
OWN_UNSURE: ContextVar[tuple[str, tuple[str, ...]]] = ContextVar("own_unsure", default=("id", ()))
# the generic pools of not having thought about it, which a persona's own lines join (not "I don't remember
# exactly": paired raters preferred the stock lines there, 15 to 12 - "I didn't notice" misfits a question on a habit)
UNSURE_POOLS = ("nothing_new", "aside_unsure")


def generic_lines(lang: str) -> dict[str, list[str]]:
    """The generic lines in the speaker's register (a student's "Nggak tahu, sih", not "Wah, itu saya kurang tahu
    persis": round 5 heard the adult line from a student where a path left the role out). The persona's own ways of
    not having thought about it join those pools, ahead of the stock lines (`own_line`)."""
    return _with_own(lang, ROLE.get(), OWN_UNSURE.get()[1])


@lru_cache(maxsize=256)
def _with_own(lang: str, role: str | None, own: tuple[str, ...]) -> dict[str, list[str]]:
    lines = move_lines(lang, role)
    if not own:
        return lines
    return {**lines, **{pool: [*(x for x in own if pool == "nothing_new" or not LOOKS_AHEAD.search(x)),
                               *(x for x in lines[pool] if x not in own)] for pool in UNSURE_POOLS}}


# A way of not knowing that puts it off to later ("Biar saya lihat dulu nanti", "I'll have to see") answers what is
# to come, not a question about what was or is ("What stopped you at that moment?", "Bagian mana yang kemarin paling
# lama?" - round 35 rated both a non-sequitur).
LOOKS_AHEAD = re.compile(r"\b(nanti|i('ll| will) (have|need) to|we'll see|let it sit|in no hurry|buru-buru)\b", re.I)


def own_line(line: str) -> bool:
    """Is the line one of the persona's own ways of not knowing, to go before the stock lines? Blind raters called the
    same "I'd need to think about that one" from every persona stock (rounds 27-29); paired raters preferred the
    persona's own 44 times to 14 (two raters, bench/data/paired/31). Not one that names what the coach asks about: "My head's
    full of the showcase" is no reason for not knowing about the showcase."""
    lang, own = OWN_UNSURE.get()
    return line in own and not stem_set(line, lang) & stem_set(COACH_SAID.get() or "", lang)


OLD_SENTENCE_WORDS = 4   # a sentence this long said before is a repeat when said again ("Yes." is not)


# Case matters in Indonesian: "Ibu" is the listener, "bantu ibu" the speaker's mother.
_SPEAKER = {"id": {"kamu": "saya", "Kamu": "saya", "Ibu": "saya", "Bapak": "saya", "Anda": "saya", "anda": "saya",
                   "kau": "saya"},
            "en": {"you": "I", "You": "I", "your": "my", "Your": "my", "yours": "mine", "yourself": "myself",
                   "I": "you", "my": "your", "me": "you"}}


def as_speaker(phrase: str, lang: str) -> str:
    """The coach's words in the coachee's mouth: "perasaan kamu" -> "perasaan saya", "your plan" -> "my plan",
    "talking about you" -> "talking about me"."""
    swap = _SPEAKER.get(lang, _SPEAKER["id"])
    words = phrase.split()

    def one(n: int, token: str) -> str:   # a word with what sticks to it ("Bapak," - round 26 heard "rencana Bapak")
        head, w, tail = re.match(r"^(\W*)(.*?)(\W*)$", token).groups()
        if lang == "en" and w.lower() == "you" and (n == len(words) - 1 or words[n - 1].lower().strip(",;:") in _OBJECT_AFTER
                                                     or words[n + 1].lower().endswith("ing")):   # "me talking to them"
            return f"{head}me{tail}"
        return f"{head}{swap.get(w, w)}{tail}"

    out = " ".join(one(n, w) for n, w in enumerate(words))
    if lang == "id":
        out = re.sub(r"\b(\w{3,})mu\b", r"\1 saya", out)
    return lower_first(out)   # "Pulang sekolah" -> "pulang sekolah"; "Friday" stays


_OBJECT_AFTER = {"about", "to", "with", "for", "at", "from", "of", "by", "on", "help", "helps", "tell", "told", "ask",
                 "asked", "give", "gave", "show", "see", "call", "make", "makes", "let", "like", "bother",
                 "bothers", "upset", "upsets", "worry", "worries"}


_REFERS = {"id": re.compile(r"\b([a-z][a-z-]{3,}) (itu|tadi|tersebut)\b(?!-)"),   # ("orangnya itu-itu saja": the same ones)
           "en": re.compile(r"\b(?:those|these|that same) ([a-z][a-z-]{3,})\b"),
           # the coach's word asked back: "Rencana apa?", "A plan for what?" (round 7: no plan had been mentioned)
           "asked_back": re.compile(r"^\W*(?:an? )?([a-z]{4,}) (?:for what|apa( dulu)?)\?")}
_NOT_THINGS = {"hal", "begitu", "waktu", "saat", "semua", "rasanya", "memang", "kalau", "karena", "seperti",
               "justru", "hanya", "cuma", "juga", "sudah", "masih", "yang", "sama", "kata", "bilang", "sebenarnya",
               # "Saya kira itu pelajaran tambahan": "itu" is "it" after a verb of thinking or saying
               "kira", "pikir", "rasa", "tahu", "dengar", "anggap", "ingat", "lihat", "kirain",
               "days", "times", "things", "ones", "kinds"}


def presupposes(text: str) -> bool:
    """Does the line refer to a thing as known ("anak itu", "those priorities") that nobody has mentioned yet in
    this session (coach or coachee) or on the scenario card?"""
    heard = HEARD.get()
    if heard is None:
        return False
    low = text.lower()
    for pattern in _REFERS.values():
        for m in pattern.finditer(low):
            noun = m.group(1)
            if noun not in _NOT_THINGS and noun[:5] not in heard:
                return True
    return False


def said_history(said: list[str]) -> list[dict]:
    return [{"speaker": "coachee", "text": s} for s in said]


def strip_again(text: str, lang: str) -> str:
    """Drop an "As I said, " prefix so it is not doubled."""
    for template in generic_lines(lang)["already"] + generic_lines(lang)["repeat"] + generic_lines(lang)["clarify"]:
        head = template.split("{said}")[0]
        if head and text.startswith(head):
            rest = text[len(head):]
            return rest[:1].upper() + rest[1:]
    return text


def last_own_words(said: list[str], lang: str) -> str:
    return strip_again(said[-1], lang) if said else ""


def join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
