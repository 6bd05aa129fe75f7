"""What the coach's turn asks, as the scripted voice needs to know it: the question itself (`main_question`), its
topic words, an either-or's two choices, a name asked about, whether it asks for a step, a time to come, a feeling
or a conclusion, which way of not knowing fits it (`unknown_kind`, `aside_kind`), whether words already said still
answer it (`still_answers`), and whether it refers to something nobody has mentioned (`unheard_reference`)."""

from __future__ import annotations

import re
from functools import cache

from simulator.coachee.said import ASKED_BEFORE, COACH_SAID, HEARD, last_own_words, lower_words, strip_again
from simulator.coachee.state import SUITABLE, asks_own_conclusion
from simulator.reading.facts import kind_value, tense_asked
from simulator.reading.focus import focus, has_form
from simulator.reading.moves import core_question, load_move_rules, question_type, same_question


def aside_kind(question: str, lang: str) -> str:
    """How a person meets a question it holds no story on: a detail not remembered, the usual (an everyday routine:
    "What does a typical afternoon look like?"), or not sure ("What would it look like for you?" is no routine:
    round 8 heard "Nothing out of the ordinary, really" to it)."""
    if focus(question, lang) in ("number", "time", "who", "where") and unknown_kind(question, lang) == "unknown":
        return "aside_unknown"
    if load_move_rules().search(lang, "usual", question) and not MIGHT.search(question) \
            and not asks_forward(question, lang):
        return "aside_usual"
    return "aside_unsure"


def main_question(coach: str) -> str:
    """The last question of the turn without its lead-in and a name at the end ("" when nothing is asked)."""
    found = [q.strip() for q in QUESTION_SENTENCE.findall(coach) if q.strip(" ?")]
    return core_question(found[-1]) if found else ""


_OR = re.compile(r"\s*,?\s+\b(atau|or)\b\s+", re.I)
_NOT_A_CHOICE = re.compile(r"^(tidak|nggak|gak|enggak|belum|bukan|not|no|(something|anything|anyone|anybody|someone)(?=\W*$| else| like| who| that)|"
                           r"apa(?! yang \w+ \w+)|what|yang lain|"
                           r"lainnya|else|sebaliknya)\b", re.I)
_TAIL = re.compile(r"(,?\s+\b(bu|pak|ibu|bapak|nak|kak|mas|mbak|sih|ya|nih|dong|deh|kira-kira|menurut (ibu|bapak|kamu|anda)|"
                   r"do you think|would you say|for you)\b)+\W*$|,\s*[A-Z][a-z]+\W*$", re.I)
_LEAD = re.compile(r"^\W*((jadi|terus|lalu|nah|so|and|then|like|kira-kira|menurut (ibu|bapak|kamu|anda)|"
                   r"(apakah|apa|did|do|does|is|are|was|were|would|should|could) (you |they |kamu |ibu |bapak |anda )?"
                   r"(\w+ (if|kalau) )?)\W*)+", re.I)


def still_answers(text: str, lang: str) -> bool:
    """Do words already said still answer this turn ("As I said, ..." then), or would they answer another question
    (a fresh "nothing more I know" then)? A turn that asks nothing (a reflection), for feelings or for a conclusion takes
    them; a question only when it asks again for what they hold: asked before and mostly held by them, a question for a
    number, a time, a name or a place whose every word they hold, or "who is X?" when a sentence of them opens with X
    (never a correction). Rounds 4-6 rated "As I said, ..." to any other
    question a non-sequitur 10 times in 12; with narrower tests in between (topic words covered, a number found, a
    deep open question), rounds 22-24 still rated it a non-sequitur 17 times in 18 ("Who's Pak Darmawan?" - "As I
    said, for myself, I could sleep the night before Pak Darmawan comes"; "How many minutes had you set aside for
    the closing?" - "As I mentioned, two periods, eighty minutes"): a new question asks for something new."""
    coach = COACH_SAID.get() or ""
    question = main_question(coach)
    if not question or ASKS_FEELING.search(question) or asks_conclusion(coach):
        return True   # (round 4 rated "I'm tired. ..." again to "How do you feel about that?" a fit; a conclusion
        # asked for is what it has come to, said again)
    rules = load_move_rules()
    if rules.search(lang, "own_meaning", coach) or rules.search(lang, "correction", coach):
        return False
    if not topic_words(question, lang) and focus(question, lang) in ("number", "time", "who", "where"):
        return True   # "Who were they?" about the five just named: what it said holds the answer
    if focus(question, lang) in ("number", "time", "who", "where") and has_form(text, question, lang) \
            and covers_question(text, question, lang, every=True):
        return True   # "Sorry, what time does the gate shut?" after "The gate shuts at seven": every word of it held
    if focus(question, lang) == "who" and says_who(text, question, lang):
        return True   # "Bu Wati itu siapa?" right after "Bu Wati guru Bahasa Inggris senior di sini"
    # Asked again, the words said are the answer only if they hold most of what is asked: a question asked again
    # because the reply missed it ("... dan berapa untuk penutup?" after "two periods, eighty minutes") is not
    # answered by saying them a third time (round 25).
    return any(same_question(before, question, lang) for before in ASKED_BEFORE.get()) \
        and (not topic_words(question, lang) or covers_question(text, question, lang))


def covers_question(text: str, question: str, lang: str, every: bool = False) -> bool:
    """Does the text hold more than half the question's topic words (synonyms count)? One shared word is not enough:
    "I have five Year 8 classes" does not answer "Do you already use groups in your class?", nor "... it's their
    questions" "What might bring the questions back?"."""
    from simulator.coachee.memory import synonyms
    from simulator.reading.reader import content_words, stems

    words = topic_words(question, lang)
    if not words:
        return False
    same = synonyms(lang)
    low = text.lower()
    held = {x for w in content_words(low, lang) for x in stems(w, lang)}
    # ("observasinya" is in "diobservasi": the same stem, whatever the affixes; "observation" in "observed")
    found = sum(1 for w in words if any(stems(v, lang) & held or re.search(r"\b" + re.escape(v[:5]), low)
                                        for v in (w, *same.get(w, ()))))
    return found == len(words) and len(words) >= 2 if every else found * 2 > len(words) or found == len(words)


def names_in(question: str) -> list[str]:
    """The names in the coach's turn (capitalised mid-sentence, not an honorific), lower case."""
    return [w for m in _NAME_MID.finditer(question) if (w := m.group(0).lower()) not in HONORIFICS]


def says_who(text: str, question: str, lang: str) -> bool:
    """Does a sentence of the text open by saying who the person asked about is: their name beside what they are
    ("Bu Wati guru Bahasa Inggris ...", "Pengawas kita, Pak Darmawan, ...", "Fikri is nine")? A sentence that only
    mentions them further on ("... tidur malam sebelum Pak Darmawan datang") does not (round 24), nor one that opens
    with what they do ("Pak Darmawan datang awal bulan depan": round 27 heard it again to "Pak Darmawan itu siapa?")."""
    names = names_in(question)
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        words = [x.lower() for x in re.findall(r"[\w']+", sentence)]
        for i, word in enumerate(words[:4]):
            if word in names and (_WHO_WORDS & set(words[max(0, i - 3):i + 4])
                                  or i + 1 < len(words) and words[i + 1] in _COPULAS):
                return True
    return False


def adds_to(item: dict, coach: str, lang: str) -> bool:
    """Does the fuller telling of an item whose short answer was said hold more of what the coach now asks? ("Ada
    berapa kelompok?" - the number is in the long form only.) Not when the question asks for a form the short answer
    already gave, or its words are as much in the short answer ("Dari delapan puluh menit itu, rencananya penutup
    butuh berapa menit?" after "Dua jam pelajaran, delapan puluh menit": round 25 heard the eighty minutes again)."""
    question = main_question(coach) or coach
    if not topic_words(question, lang):
        return True   # "Which ones?" after "four Year 7 classes": about what was just said
    if _ASKS_LIST.search(question) and _listed(item["long"]) >= _listed(item["short"]) + 2:
        return True   # "Empat tugas itu tugas apa saja?" after "Ada empat tugas ...": the fuller telling names them
    if _asked_as_written(item, question) and not covers_question(item["short"], question, lang):
        # "Bagaimana cara Ibu memilih siapa yang maju membaca?" is one of the questions the item was written to
        # answer, and its short answer (who read) does not: the fuller telling does ("Saya tunjuk yang angkat
        # tangan": round 34 heard "Hmm, saya kurang yakin")
        return True
    covers = covers_question(item["long"], question, lang) and not covers_question(item["short"], question, lang)
    if focus(question, lang) in ("number", "time", "who", "where"):
        # ("Sebelumnya biasanya dapat berapa?" after "lima puluh lima": the earlier chapter's mark is in the long form)
        return has_form(item["long"], question, lang) and (not has_form(item["short"], question, lang) or covers)
    return covers


ASKED_AS_WRITTEN = 0.6   # a question sharing this much of its words with one of an item's example questions


def _asked_as_written(item: dict, question: str) -> bool:
    """Is the question one of those the item was written to answer (Dice overlap of all words with one of its
    example questions)?"""
    words = set(re.findall(r"\w+", question.lower()))
    return bool(words) and any(2 * len(words & ask) / (len(words) + len(ask)) >= ASKED_AS_WRITTEN
                               for ask in (set(re.findall(r"\w+", a.lower())) for a in item.get("asks", ())) if ask)


_ASKS_LIST = re.compile(r"\b(apa|siapa|mana|yang mana) (aja|saja)\b|\bwhich (ones|ones are they|are they)\b|"
                        r"\bwhat are (they|those|these)\b|\bwho are (they|those|these)\b|\bwhat (were|are) the\b", re.I)


def _listed(text: str) -> int:
    """How many things a telling lists (its commas and "dan"/"and")."""
    return text.count(",") + len(re.findall(r"\b(dan|sama|serta|and)\b", text, re.I))


def choices_in(question: str, lang: str) -> list[str]:
    """The two things an either-or question offers ("pulang sekolah", "malam"), each of at most six words; [] for a
    yes/no in disguise ("... atau tidak?", "... or anything else?") or no "or" at all."""
    question = question.strip().rstrip("?").strip()
    parts = _OR.split(question)
    if len(parts) != 3:
        return []
    if _EXAMPLES.search(parts[0]) and not ASKS_WHICH.search(parts[0]) and not _OFFERS.match(parts[0]):
        return []   # "... commitments, like Friday prayers or picking up their kids?": examples, not a choice (but
        # "Bagian mana yang bikin kamu bingung, misalnya pas memfaktorkan atau pas pakai rumus?" offers the two)
    if _EXAMPLES.search(parts[0]):
        parts[0] = parts[0][_EXAMPLES.search(parts[0]).end(1):]
    first, second = parts[0], _TAIL.sub("", parts[2]).strip()
    first = _LEAD.sub("", re.split(r"[,:;]\s+", first)[-1]).strip()
    if len(first.split()) > 6 and second:
        first = _alternative_to(first, second)
    most = 8 if _PREFERS.search(question) else 6   # a preference may name two longer ways of doing
    if not first or not second or _NOT_A_CHOICE.match(second) or len(first.split()) > most or len(second.split()) > most:
        return []
    if _ASKS_AGAIN.match(second):
        return []   # "..., or was it a surprise?": two questions, not two things to pick ("Probably was it a surprise.")
    if _WH.fullmatch(second.split()[-1]) or _WH.fullmatch(first.split()[0]) and question.lower().startswith(first.lower()):
        # "kamu biasanya duduk atau main bareng siapa?", "Who do you sit or hang out with?": one question for a person,
        # two verbs (round 40 heard "Kayaknya saya biasanya duduk.")
        return []
    if _DETERMINER.match(first) and _DETERMINER.match(second):
        # "Did the filtering or the evaporating take longer?": two things of the same shape, the verb after them
        second = " ".join(second.split()[:len(first.split())])
    return [first, second]


_WH = re.compile(r"\b(siapa|apa|apakah|kapan|berapa|bagaimana|gimana|kenapa|mengapa|who|whom|what|which|where|when|how|"
                 r"why)\b", re.I)
_PREFERS = re.compile(r"\b(lebih suka|lebih senang|lebih pilih|lebih memilih|prefer|rather|would you like)\b", re.I)
_PLACE_WORD = re.compile(r"^(in|on|at|with|by|during|before|after|from|di|ke|dari|dengan|sama|pas|waktu|saat|sebelum|"
                         r"sesudah|setelah)$", re.I)


def _alternative_to(first: str, second: str) -> str:
    """The end of a long first part that is the alternative to `second`: from the second's first word ("ramai ngobrol
    di luar materi atau ramai diskusi"), or from the last word of place or time when the second opens with one ("Do
    the squabbles start out there on the yard, or in the canteen?"). "" when neither is found."""
    pref = _PREFERS.search(first)
    if pref and len(first[pref.end():].split()) <= 8:
        return first[pref.end():].strip()   # "Ibu lebih suka saya mencatat kata-kata pertanyaan Ibu apa adanya, atau ..."
    words, lead = first.split(), second.split()[0].lower()
    at = next((i for i in range(len(words) - 1, 0, -1) if words[i].lower() == lead), None)
    if at is None and _PLACE_WORD.match(lead):
        at = next((i for i in range(len(words) - 1, 0, -1) if _PLACE_WORD.match(words[i])), None)
    return " ".join(words[at:]) if at is not None else ""


_ASKS_AGAIN = re.compile(r"^\W*(do|does|did|is|are|was|were|have|has|can|could|will|would)\s+(you|i|we|they|he|she|it|"
                         r"there|this|that)\b|^\W*(apakah|apa(?! yang))\s", re.IGNORECASE)
# "Misalnya berapa kali mereka bicara, atau apa yang mereka katakan?": the examples are the question, two ways offered
_OFFERS = re.compile(r"^\W*(misalnya|contohnya|for example|say)\b", re.I)
# which one, or what the coachee's own word means ("you said 'a long talk', what's that, like a class meeting or you
# talking to the ones involved?": round 38 heard "I haven't given it a thought")
ASKS_WHICH = re.compile(r"\b(mana|yang mana|which|what part|which part|what('s| is| was) (that|it)|what do you mean|"
                        r"maksudnya|itu apa|apa itu)\b", re.I)
_EXAMPLES = re.compile(r"\b(like|such as|for example|e\.g\.|seperti|misalnya|contohnya)\b[^,;:]*$", re.I)
_DETERMINER = re.compile(r"^(the|a|an|this|that|my|your|his|her|their|our)\s", re.I)
# "Apa yang Bapak rasakan …?", "Gimana perasaanmu?", "How does that make you feel?" (not "Do you feel ready …?" alone)
ASKS_FEELING = re.compile(r"\b(apa yang (\w+ )?(ibu|bapak|kamu|anda|kau) rasakan|(bagaimana|gimana) (perasaan|rasanya)|"
                           r"perasaan (ibu|bapak|kamu|anda|mu)\b.{0,20}(bagaimana|gimana|seperti apa)|"
                           r"how (do|did|does) (you|it|that|this) (make you )?feel|what do you feel|how are you feeling|"
                           r"what (was|is) that like for you|"
                           # "What has that been like for you?", "How has it been for you?", "Rasanya seperti apa?"
                           r"what('s| is| was| has| have)? ?(that|it|this|all that|all this)?( been)? like for you|"
                           r"how (has|have) (that|it|this|all that|all this) been for you|"
                           r"rasanya (bagaimana|gimana|seperti apa|kayak apa))", re.IGNORECASE)
QUESTION_WORDS = {"berapa", "kapan", "siapa", "mana", "dimana", "where", "when", "who", "which", "many", "much",
                   "long", "what", "year", "semuanya", "semua", "sekarang", "biasanya", "kira", "now", "usually",
                   "maksud", "maksudnya", "lama", "menjadi", "mean", "meant", "sorry", "maaf", "gimana", "bagaimana", "that", "itu"}


def topic_words(question: str, lang: str) -> list[str]:
    """The words that say what a question is about (no question words, honorifics or fillers)."""
    from simulator.reading.reader import content_words

    return [w for w in content_words(question.lower(), lang)
            if len(w) >= 4 and w not in QUESTION_WORDS and w not in HONORIFICS and w not in GENERIC]


def on_topic(item: dict, question: str, lang: str, strict: bool = False) -> bool:
    """Does the memory item share a topic word with the question (its first five letters, so "kelompok" finds
    "kelompoknya")? A question of question words only is on any topic (unless `strict`)."""
    words = topic_words(question, lang)
    if not words:
        return not strict
    from simulator.coachee.memory import synonyms

    same = synonyms(lang)
    # its example questions count: "berapa lama menjadi guru?" is what "Sudah delapan tahun saya mengajar" answers
    text = " ".join([item.get("short", ""), item.get("long", ""), item.get("topic", ""), *item.get("asks", ())]).lower()
    return any(re.search(r"\b" + re.escape(v[:5]), text) for w in words for v in (w, *same.get(w, ())))


def touches_conversation(question: str, lang: str) -> bool:
    """Does the question name something of this conversation (the scenario or what was said: "the lesson")?"""
    from simulator.reading.reader import content_words

    heard = (HEARD.get() or "").replace(question.lower(), " ")   # what was said before this question
    return any(len(w) >= 5 and w not in GENERIC and re.search(r"\b" + re.escape(w), heard)
               for w in content_words(question.lower(), lang))


GENERIC = {"today", "really", "think", "about", "would", "could", "should", "things", "something", "sekarang",
            "hari", "memang", "sebenarnya", "biasanya", "kira-kira", "rasanya", "usually", "actually", "punya",
            "pernah", "masih", "sudah", "belum", "bapak", "there", "ever", "still", "happen", "happens", "happened",
            "terjadi", "going", "doing", "yourself", "myself", "yourselves", "sendiri", "ones", "those", "these",
            "them", "saja", "sebagai"}
QUESTION_SENTENCE = re.compile(r"[^.!?]*\?")
_REFERRED = {"id": re.compile(r"\b([a-z]{4,}) (?:itu|tadi|tersebut|yang mana)\b"),
             "en": re.compile(r"\b(?:after|before|about|during|from) the ([a-z]{4,})\b|\bthe ([a-z]{4,}) you (?:mentioned|said)\b")}
HONORIFICS = {"ibu", "bapak", "bu", "pak", "mas", "mbak", "kak", "dik", "nak", "sir", "miss", "mrs", "ms", "mr",
               "madam", "guru", "kepala", "teacher", "saja", "aja", "sih", "deh", "dong", "nih", "kok"}
# What a person is to the coachee, said beside their name ("Putri, ketua kelas", "my friend Salsa"); and "X is ...".
_WHO_WORDS = frozenset("""guru murid siswa teman temen sahabat kakak adik ibu ayah mama papa kepala pengawas wali anak ketua
    rekan tetangga pelatih koordinator suami istri sepupu kakek nenek paman bibi tante om wakil teacher student pupil
    friend brother sister mum mom dad father mother principal head supervisor colleague neighbour neighbor classmate
    coach coordinator deputy husband wife son daughter cousin tutor grandma grandpa uncle aunt""".split())
_COPULAS = frozenset({"itu", "adalah", "ialah", "is", "was", "'s"})
_NAME_MID = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b")
_NOT_REFERENCES = {"yang", "mana", "kapan", "siapa", "berapa", "bagaimana", "gimana", "kenapa", "waktu", "saat", "hari",
                   "kelas", "sekolah", "pelajaran", "anak", "murid", "guru", "first", "last", "next", "same", "lesson",
                   "class", "school", "time", "kids", "students", "teacher", "moment", "week", "rest", "end", "start",
                   "pertemuan", "obrolan", "pertanyaan", "question", "conversation", "observation", "observasi",
                   # what a coach calls something told in its own words ("momen itu" for the story of Bu Rina's
                   # glance: round 23 heard "Rasanya saya tidak menyebut itu")
                   "momen", "kejadian", "peristiwa", "cerita", "situasi", "kondisi", "keadaan", "perasaan",
                   "pengalaman", "keinginan", "harapan", "kebiasaan", "sikap", "perilaku", "masalah", "bagian",
                   "event", "story", "situation", "feeling", "feelings", "experience", "habit", "behaviour", "part",
                   "thing", "things", "idea", "problem"}
# a verb or a derived word the coach points with ("melatih itu", "Ibu tafsirkan itu sebagai apa?", "kepedulian
# itu", "selarut itu"): the coach's own word for what was told (rounds 23-24)
_VERB_FORM = re.compile(r"^(me[mn]?g?y?|ber|ter|di|per)\w{3,}$|^\w{3,}kan$|^se\w{3,}$|^(ke|pe[mn]?g?|per)\w{3,}an$")


@cache
def _known_words(persona_id: str) -> frozenset[str]:
    """Every word of the persona's card and memory, both languages, in lower case."""
    return frozenset(lower_words(persona_id, "id") | lower_words(persona_id, "en")
                     | {w.lower() for lang in ("id", "en") for w in re.findall(r"[A-Za-z]{3,}", _card_text(persona_id, lang))})


@cache
def _common_words() -> frozenset[str]:
    """Words on the cards or in the memories of two personas or more ("Matematika", "Thursday"): the school's
    common vocabulary, never a reference the coach made up. A wrong one ("Ibu guru Matematika?") is corrected by
    the answer itself."""
    from collections import Counter

    from simulator.coachee.persona import load_personas

    seen: Counter[str] = Counter()
    for pid in load_personas():
        seen.update({w.lower() for lang in ("id", "en") for w in re.findall(r"[A-Za-z]{3,}", _card_text(pid, lang))})
    return frozenset(w for w, n in seen.items() if n >= 2)


def _card_text(persona_id: str, lang: str) -> str:
    """The persona's card and memory as one text (names keep their capitals)."""
    from simulator.coachee.memory import load_memory
    from simulator.coachee.persona import get_persona

    try:
        card = str(get_persona(persona_id).model_dump())
    except Exception:  # noqa: BLE001 - a test persona not on disk: the memory alone
        card = ""
    memory = load_memory(persona_id)
    return card + " " + " ".join(t for i in (memory.items if memory else ()) for t in (i.short(lang), i.long(lang)))


def asks_forward(coach: str, lang: str) -> bool:
    """Does the coach ask for a step, a plan or a time to come (our `forward`/`goal` patterns, "would", "will")?"""
    rules = load_move_rules()
    return bool(lang in rules.patterns and (rules.search(lang, "forward", coach) or rules.search(lang, "goal", coach))
                or FUTURE.search(coach))


def unknown_kind(coach: str, lang: str) -> str:
    """The pool for a detail the coachee does not hold: "I don't remember exactly" about the past; about what is to
    come or might be ("When can you hand it in?", "What would make it easier?") memory is no excuse - not thought
    about yet (round 5: "When could we talk again?" - "I don't remember exactly"). Nor about a feeling or a reason
    ("What makes you feel that?", "Why do you think you get lost?"): hard to say, not forgotten (round 12)."""
    if MIGHT.search(coach) or asks_forward(coach, lang):
        return "nothing_new"
    rules = load_move_rules()
    if _REASON.search(coach) or _WEIGHS.search(coach) or lang in rules.patterns and rules.search(lang, "deep", coach):
        return "aside_unsure"
    return "unknown"


# A question that asks to weigh things ("Which part took longer than you planned?", "Mana yang paling penting?"):
# not knowing is "hard to say", not "I don't remember exactly" (round 25).
_WEIGHS = re.compile(r"\b(which|what|mana|apa)\b[^?.]*\b(most|least|best|worst|longer|longest|shorter|harder|hardest|"
                     r"easier|easiest|more than|less than|paling|lebih)\b", re.I)
# A yes/no that asks whether something is doable or sits well ("Menurut kamu sanggup nggak?", "Does that work for you?")
FEASIBLE = re.compile(r"\b(sanggup|masuk akal|realistis|bisa (nggak|gak|tidak|enggak|ndak)|cocok (nggak|gak|tidak|enggak)|"
                      r"oke (nggak|gak|tidak|enggak)|does (that|it|this) (work|make sense|sound (doable|realistic|manageable))|"
                      r"(is|would) (that|it|this) (be )?(doable|realistic|manageable|work)|(could|can) you manage|"
                      r"do you think you (could|can) (manage|do) (that|it|this))\b", re.I)
# (and what stood in the way: "What stopped you from handing it back at that moment?" - round 35 heard "no picture of
# that yet")
_REASON = re.compile(r"\b(why|what makes you|what made you|what (stopped|kept|held) (you|him|her|them)|what got in the way|"
                     r"kenapa|mengapa|apa yang (membuat|menghalangi|menahan))\b", re.I)
# (what is to come, or a choice or a use: "Mana yang mau Bapak temui duluan, dan kapan?", "Itu berguna nggak buat
# Ibu?" - round 19 heard "Persisnya saya kurang ingat" to both)
MIGHT = re.compile(r"\b(would|might|could|will|going to|useful|helpful|first|choose|prefer|rather|lebih suka|kira-kira|besok|tomorrow|"
                    r"mau|akan|berguna|membantu|duluan|pilih|(harus|mau|akan|bisa|boleh) (me)?milih|(me)?milih satu|minggu ini|this week|kalau\b[^?.]{0,25}\bbisa)\b", re.I)
FUTURE = re.compile(r"\b(would you|will you|are you going to|nanti|mau mulai|akan|minggu depan|next week)\b"
                    # "When do you think you could find time for it?" (round 30 heard the due dates gone by)
                    r"|\b((could|can) you|you (could|can|'ll)) (find|start|begin|manage|fit|make time|get (it|them|this|that) "
                    r"done)\b|" + SUITABLE, re.I)


def own_idea_asked(coach: str, said: list[str], lang: str) -> bool:
    """Does the coach's turn name something the coachee itself said (two of its rarer words, in the coachee's
    words: "berhenti sejenak", "menarik napas")?"""
    from simulator.reading.reader import content_words

    question = main_question(coach)
    if not _WILL_TRY.search(question) or _ANYTHING.search(question):
        return False   # "Do you write a plan for each class?", "Is there anything you'd like to try?" ask otherwise
    own = " ".join(said).lower()

    def shared(text: str) -> int:
        # (four letters: "stopping" is the coachee's "stop", "room" its "room")
        words = {w[:4] for w in content_words(text.lower(), lang) if len(w) >= 4 and w not in GENERIC
                 and w not in HONORIFICS and w not in QUESTION_WORDS}
        return sum(1 for w in words if re.search(r"\b" + re.escape(w), own))

    # the question names it, or points back ("itu", "that") at a turn that names it
    return shared(question) >= 2 or bool(_POINTS_BACK.search(question)) and shared(coach) >= 2


# ("Mau dicoba itu dulu minggu ini?": round 42 heard "Itu... belum bisa saya ceritakan sekarang" to its own idea)
_WILL_TRY = re.compile(r"\b((mau|akan|ingin|bisa|siap) (ibu |bapak |kamu |anda )?(di)?(coba|lakukan|mulai|pakai|terapkan|ajak)|"
                       r"(will|would|could|can) you (be (willing|able|happy|ready) to )?(try|do|start|use|give)|are you going to|"
                       r"want to try|willing to try|(bersedia|siap) (mencoba|coba))\b", re.I)
_ANYTHING = re.compile(r"(^|,\s*)(apa |apakah )?(ada|adakah)\b|\b(anything|something|is there)\b", re.I)
_POINTS_BACK = re.compile(r"\b(itu|tersebut|tadi|that|it|this|those)\b", re.I)


def asks_how_things_are(coach: str, question: str, lang: str) -> bool:
    """Does the turn end on a yes/no about how things are ("Is she working in the mornings?", "Kalau sekarang, masih
    rame juga?") - not about then, what is to come, a view ("Menurut kamu itu ngaruh nggak?"), leave asked ("Boleh
    begitu?") or a proposal ("Bisa kita bikin tanggalnya sekarang?"), and not one with a request after it ("... do you
    mean the students? Tell me more.")? Paired comparison 32: "not sure" beat "haven't thought about it" on the first
    kind, and lost on the others."""
    rules = load_move_rules()
    return bool(question) and coach.rstrip().endswith("?") and lang in rules.patterns \
        and question_type(question, rules, lang) == "yes_no" and tense_asked(question) != "past" \
        and unknown_kind(question, lang) == "unknown" and not _VIEW_OR_LEAVE.search(coach)


_VIEW_OR_LEAVE = re.compile(r"\b(menurut (kamu|ibu|bapak|anda|mu)|do you think|would you say|in your (view|opinion)|"
                            r"boleh|bolehkah|may i|can i|could i|bisa kita|can we|shall we|in your day|waktu (kamu|ibu|"
                            r"bapak) (kecil|sekolah|masih))\b", re.I)


# a step the coach puts as an example ("Kalau harus memulai dari satu langkah saja, misalnya di pintu kelas saat bel, apa
# yang bisa Ibu lakukan?")
_EXAMPLE_GIVEN = re.compile(r"\b(misalnya|misal|contohnya|umpamanya|for example|for instance|say(?=,))\b[,:]?\s+"
                            r"([^,.?!;:]{4,60}?)\s*(?=[,.?!;:]|$)", re.I)


def example_offered(coach: str, lang: str) -> str:
    """The step the coach offers as an example in a question for a step ("" when none): what the coachee weighs when it
    has no step of its own yet (round 37 heard "the goal's there, the step isn't" a second time)."""
    question = main_question(coach)
    if not question or not asks_step(question, lang):
        return ""
    m = _EXAMPLE_GIVEN.search(question)
    return m.group(2).strip() if m and len(m.group(2).split()) >= 2 else ""


def asks_step(coach: str, lang: str) -> bool:
    """Asks for a step to take (our `forward` patterns) rather than for the goal."""
    rules = load_move_rules()
    return lang in rules.patterns and bool(rules.search(lang, "forward", coach)) \
        and not rules.search(lang, "goal", coach)


def unheard_reference(coach: str, persona_id: str, lang: str) -> str | None:
    """A person or thing the coach's question refers to as known ("Salsa and Dinda", "kucing yang mana", "after the
    birthday") that nobody has mentioned in this session, that is not on the scenario card, and that the coachee's
    memory does not hold: the coach invented it (or misheard)."""
    heard = (HEARD.get() or "")
    low = coach.lower()
    heard = heard.replace(low, " ")
    known = _known_words(persona_id)
    # What the coach tells before asking is what "itu" may point at ("Penjelasan di awal berlangsung sekitar dua puluh
    # lima menit. Bagaimana Bapak melihat data itu?" - round 26 heard "Data? ... Rasanya saya tidak menyebut itu").
    told_first = len(QUESTION_SENTENCE.sub(" ", coach).split()) >= TOLD_FIRST_WORDS
    for sentence in QUESTION_SENTENCE.findall(coach):
        found = [m.group(0) for m in _NAME_MID.finditer(sentence)]
        if not told_first:
            for pattern in _REFERRED.values():
                # (not in a when-clause: "waktu anak-anak membaca nyaring tadi" is the lesson the coach watched)
                found += [g for m in pattern.finditer(sentence.lower()) for g in m.groups()
                          if g and not _WHEN_CLAUSE.search(sentence.lower()[:m.start()])]
        from simulator.reading.reader import content_words, stems

        for word in found:
            w = word.lower()
            if w in HONORIFICS or not content_words(w, lang) or w in _NOT_REFERENCES or w in _common_words() or w[:5] in heard or w in known or w[:5] in _prefixes(known):
                continue
            if lang == "id" and word.islower() and _VERB_FORM.match(w):
                continue
            if any(len(x) >= 4 and re.search(r"\b\w{0,3}" + re.escape(x), heard) for x in stems(w, lang) if x != w):
                continue   # "selengkap itu?" after "lengkap": the same word with an affix (round 9)
            if re.search(r"\b(saya|aku|i.m|i am|my name)\s+" + re.escape(word), sentence, re.I):
                continue   # the coach introducing itself
            if kind_value(word, lang):
                continue   # "Was it an Instagram group?": one of a kind (an app, a subject, a day), answered no
            return word
    return None


TOLD_FIRST_WORDS = 6   # the coach's own telling before its question, this long, is what "X itu" may refer to
_WHEN_CLAUSE = re.compile(r"\b(waktu|saat|ketika|pas|sewaktu|when|while)\b(?!.*[,;:])[^?]*$")


@cache
def _prefixes(known: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:5] for w in known if len(w) >= 5)


def naming_sentence(item: dict, question: str) -> str | None:
    """Asked about someone by name ("Hartono itu siapa?"): the sentence of the item that names them, when its
    short answer does not."""
    names = [w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", question) if w not in item["short"]]
    if not names:
        return None
    for sentence in re.split(r"(?<=[.!?])\s+", item["long"]):
        if any(n in sentence for n in names):
            return sentence
    return None


def asks_conclusion(coach: str) -> bool:
    """The coach asks for the coachee's conclusion or takeaway ("Apa yang Ibu bawa pulang?", "What are you taking
    away?"): the coachee rules' closing patterns."""
    return asks_own_conclusion(main_question(coach) or coach)


def meant_words(said: list[str], lang: str) -> str:
    """What "What do you mean by no child feeling branded?" asks to explain: the latest reply that holds the words
    named (round 6 explained the reply before instead), else the last reply."""
    coach = COACH_SAID.get() or ""
    named = [w for w in topic_words(coach, lang) if w not in _CLARIFY_WORDS]
    for text in reversed(said):
        if named and any(re.search(r"\b" + re.escape(w[:5]), text.lower()) for w in named):
            return strip_again(text, lang)
    return last_own_words(said, lang)


_CLARIFY_WORDS = {"mean", "meant", "maksud", "maksudnya", "sorry", "maaf", "explain", "jelaskan", "dijelaskan", "artinya",
                  "paham", "understand", "follow", "exactly", "persisnya"}
