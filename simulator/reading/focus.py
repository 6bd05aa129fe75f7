"""What a question asks FOR (a number, a time, a person, a place, a reason), and how well a memory item answers
that: retrieval by shared words alone answers "How many years has it been?" with whatever mentions "years".

    focus(question, lang) -> str | None                  "number" | "time" | "who" | "subject" | "school" | "where"
                                                          | "reason" | "topic"
    rerank(hits, question, lang, asks=...) -> list[Hit]   hits whose answer has that form (and whose example
                                                          questions ask the same way) move up a little

Pure and deterministic; the patterns are the question words of the two languages, small enough to keep here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from simulator.reading.facts import kinds_named

FOCUS_BONUS = 0.08   # an item whose answer has the asked-for form (a number for "berapa")
ASKS_BONUS = 0.04    # ... and one whose example questions use the same question word
ONSET_PENALTY = 0.1  # asked when something usually happens, an item only about since when it happens
KIND_BONUS = 0.15    # an item naming a school subject for "mapel apa?", a kind of school for "jenjang apa?"
_KIND_FOCI = ("subject", "school")   # what a question asks for that is one of a kind

_FOCUS = {
    "id": [("time", r"\b(kapan|kpn|jam berapa|pukul berapa|tanggal berapa|hari apa|sejak kapan|bulan apa|tahun berapa|tahun apa)\b"),
           ("number", r"\b(berapa|brp)\b"),
           ("who", r"\b(siapa|sama siapa|bareng siapa|dengan siapa|(murid|anak|siswa|teman|guru)(nya)? (yang )?mana|"
                   r"(sebut\w*|kasih tahu|beri tahu)( \w+){0,4} nama\w*|nama-nama\w*)\b"),
           # a lesson planned is no subject ("Boleh Ibu ceritakan pelajaran apa yang Ibu rencanakan untuk hari itu?":
           # rounds 33 and 35 heard the colleagues of the learning community, named with their subjects)
           ("topic", r"\b(?<!mata )pelajaran apa yang (\w+ ){0,2}(\w*rencana\w*|\w*siap\w*)"),
           ("subject", r"\b((mata )?pelajaran apa|mapel(nya)? apa|(meng)?ajar(kan)? (apa|mapel|mata pelajaran)|"
                       r"guru (mapel |mata pelajaran )?apa|bidang studi)\b"),
           ("school", r"\b(jenjang|sekolah (apa|jenis apa|negeri atau swasta|swasta atau negeri)|di sekolah mana|"
                      r"(sd|smp|sma) atau (sd|smp|sma))\b"),
           ("where", r"\b(di ?mana|dmn|ke ?mana|dari mana)\b"),
           ("reason", r"\b(kenapa|mengapa|knp|apa sebabnya|karena apa)\b"),
           ("topic", r"\b(materi\w*|topik\w*|bab|tema\w*|belajar apa|tentang apa|dipelajari|pelajari)\b"),
           ("feeling", r"\b(perasaan\w*|rasanya|apa yang (\w+ )?(ibu|bapak|kamu|anda|kau) rasakan|(ibu|bapak|kamu|anda) "
                       r"(merasa|rasain|rasakan) (apa|bagaimana|gimana))\b")],
    # ("When you get stuck, what usually happens?": a clause in front, not a question for a time)
    "en": [("time", r"\b(when(?![^?,.]{0,80},\s*(what|how|who|where|which|why|do|does|did|is|are|was|were|can|could|"
                    r"would|will|have|has)\b)|what time|what day|what year|which year|what month|since when|how long ago)\b"),
           ("number", r"\b(how (many|much|long|old|often))\b|\bwhat(.s| is| was| were| are)? (your|his|her|their|the) "
                      r"((latest|last|current|usual|recent|maths?|english|test|exam|report|class)\s+){0,3}"
                      r"(marks?|scores?|grades?|average)\b(?! (been )?like)|\bwhat (marks?|scores?|grades?) did\b|"
                      r"\bwhat did (you|he|she|they) (get|score) (on|in|for)\b"),
           ("who", r"\b(who|whom|whose|which (\w+ )?(students|pupils|kids|children|friends|teachers|colleagues)|"
                   r"name (a couple|a few|some|them))\b"),
           ("subject", r"\b((which|what) subjects?|what do you teach|what are you teaching|teach(ing)? what)\b"),
           ("school", r"\b((what|which) (kind|sort|type|level) of school|level of school|what school|which school|"
                      r"state or private|private or state|primary or secondary)\b"),
           ("where", r"\bwhere\b"),
           ("reason", r"\bwhy\b"),
           ("topic", r"\b(topic|unit|chapter|studying|learning about|period of history|(is|was) it about)\b"),
           ("feeling", r"\b(how (do|did|does) (you|it|that|this) (make you )?feel|what (do|did) you feel|how are you "
                       r"feeling|how (did|does) (it|that) (feel|felt)|what was that like for you)\b")],
}
_FEELING = {lang: dict(patterns)["feeling"] for lang, patterns in _FOCUS.items()}
_NUMBER = (r"\b(\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|\w+ belas|\w+ puluh|"
           r"seratus|ratus|ribu|setengah|separuh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|once|twice)\b"
           # a class is a number too ("kelas berapa?" - "VIII-B", "9D"): Roman numerals in capitals, digit + letter
           r"|(?-i:\b(?:I{1,3}|IV|VI{0,3}|IX|XI{0,2})(?:-[A-Z])?\b)|\b\d+[A-Za-z]\b")
_ANSWERS = {
    "number": _NUMBER,
    "time": r"\b(jam|pukul|senin|selasa|rabu|kamis|jumat|sabtu|minggu|pagi|siang|sore|malam|bulan|tahun|kemarin|"
            r"besok|lalu|sejak|semester|monday|tuesday|wednesday|thursday|friday|saturday|sunday|o.clock|week|"
            r"month|year|yesterday|ago|since|morning|afternoon|evening|night|period|term|break|recess|lunch|"
            r"istirahat|pulang sekolah|after school|before school|weekend|akhir pekan)\b"
            # a clock time: "at seven", "by half past six", "13.00"
            r"|\b(at|by|until|till|around|about) (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"half past|quarter (past|to)|\d{1,2}([.:]\d{2})?)\b|\b\d{1,2}[.:]\d{2}\b",
    "who": r"(\b(bu|pak|kak|mas|mbak|mr|mrs|ms|miss|teman|temen|kakak|adik|ibu|bapak|ayah|friend|sister|brother|"
           r"mother|father|mum|dad|alone|on (my|his|her) own|by (myself|himself|herself)|nobody|no one|sendiri(an)?)\b"
           # a name, which a day or a month is not ("on a Saturday night" says when, not who)
           r"|(?<=\w )(?!(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|"
           r"Saturday|Sunday|Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
           r"Desember|January|February|March|May|June|July|August|October|December)\b)[A-Z][a-z]{2,})",
    "where": r"\b(di|ke|dari|at|in|room|ruang|kelas|perpustakaan|library|lab|rumah|home|kantin|canteen)\b",
    # a school subject; a kind or level of school (what "mapel apa" and "what kind of school" ask for)
    "subject": r"\b(bahasa indonesia|bahasa inggris|matematika|ipa|ips|ipas|sejarah|pjok|penjas|olahraga|seni( budaya)?|"
               r"prakarya|ppkn|pkn|agama|informatika|biologi|fisika|kimia|geografi|ekonomi|sosiologi|english|"
               r"indonesian|maths?|mathematics|science|history|geography|physical education|pe|art|civics|"
               r"social studies|biology|physics|chemistry|guru kelas|class teacher)\b",
    "school": r"\b(sd|smp|sma|smk|mts|madrasah|sekolah dasar|sekolah menengah|negeri|swasta|primary|junior (high|secondary)|"
              r"senior (high|secondary)|secondary|state|private|vocational|high school)\b",
    "reason": r"\b(karena|soalnya|sebab|gara-gara|habis|because|since|so that|that's why)\b",
}


_HOW = re.compile(r"(?:^|[.!?]\s+)\W*(how (do|did|does|would|will|can|could|should) (you|i|we|they|he|she)|bagaimana (cara )?(ibu|bapak|"
                  r"kamu|anda|kakak)|gimana (cara )?(ibu|bapak|kamu|anda|kakak))\b", re.IGNORECASE)


def focus(question: str, lang: str) -> str | None:
    """What the question asks for; None for an open or yes/no question with no question word of these, or for a
    question for a way of doing, whatever it asks about ("How do you decide who goes in which group?" asks how, not
    who: round 23 heard "I don't remember exactly")."""
    if _HOW.search(question):
        # ("How did you feel?" asks a feeling, not a way of doing)
        return "feeling" if re.search(_FEELING.get(lang, _FEELING["id"]), question, re.IGNORECASE) else None
    for name, pattern in _FOCUS.get(lang, _FOCUS["id"]):
        if re.search(pattern, question, re.IGNORECASE):
            return name
    return None


def when_is_a_clause(question: str) -> bool:
    """Does the question open with another question word, its "when" only a clause ("On Thursday, what would you like me
    to look at when I'm observing?" asks what: round 39 heard "I haven't thought about that at all")? Not "Which one
    first, and by when?" (two questions) nor "What time ...?"."""
    return bool(_WH_FIRST.match(question)) and not _TIME_WORDS.search(question) and not _AND_WHEN.search(question)


# a question that opens with another question word ("when" after it is a clause: "... when I'm observing?")
_WH_FIRST = re.compile(r"^\W*((\w+\s+){0,4}\w+,\s*)?(what|who|which|where|how|why)\b", re.I)
# ("Which one first, and when shall we check in?": two questions)
_AND_WHEN = re.compile(r"(,|\b(and|or))\s+((by|until|till|from) )?when\b", re.I)
_TIME_WORDS = re.compile(r"\b(what time|what day|what year|which year|what month|which day|how long ago)\b", re.I)


def rerank(hits: Sequence, question: str, lang: str, same: Mapping[str, Sequence[str]] | None = None) -> list:
    """The hits, with those whose short answer has the asked-for form lifted a little (never past a much better
    match: the bonus is small next to a real difference in meaning). `same`: word -> the words that name the same
    thing (the coachee's synonyms: "students" is counted by "thirty pupils")."""
    hits = _of_the_kind(hits, question, lang)
    want = focus(question, lang)
    if want != "reason" and not _ASKS_CAUSE.search(question):
        # A telling that opens with its reason ("Karena memang itu tugas saya") answers a why; to "Malam-malam Ibu
        # paling banyak dipakai untuk apa?" or "Would something like that work?" it answers what was not asked
        # (rounds 21-22)
        hits = sorted((replace(h, score=round(h.score - REASON_PENALTY, 4)) if _REASON_FIRST.match(h.item.short(lang))
                       else h for h in hits), key=lambda h: -h.score)
    if want is None or not hits:
        return list(hits)
    asked = "|".join(f"(?:{p})" for n, p in _FOCUS.get(lang, _FOCUS["id"]) if n == want)
    answer = re.compile(_ANSWERS.get(want, r"$^"), 0 if want == "who" else re.IGNORECASE)
    out = []
    for h in hits:
        same_ask = any(re.search(asked, q, re.IGNORECASE) for q in h.item.asks(lang))
        if want == "topic":
            # What a lesson is about has no form of its own: the item's example questions ask for it or not.
            bonus = FOCUS_BONUS + ASKS_BONUS if same_ask else 0.0
        elif want == "feeling":
            # "Gimana perasaanmu tiap pagi mau berangkat sekolah?": a feeling, not the morning routine the other words
            # match (round 30); "How does that feel at the end of the day?" likewise.
            bonus = (FOCUS_BONUS if h.item.kind == "feeling" else 0.0) + (ASKS_BONUS if same_ask else 0.0)
        elif want in _KIND_FOCI:
            # "Mapel apa?", "What kind of school?": an item that names a subject / a kind of school is the answer
            # (one word decides; the embedding hardly tells "subject" from "lesson" or "school" from "class").
            # (its longer telling counts: "four assignments: English, social studies, maths and Indonesian")
            bonus = (KIND_BONUS if answer.search(f"{h.item.short(lang)} {h.item.long(lang)}") else 0.0) \
                + (ASKS_BONUS if same_ask else 0.0)
        else:
            bonus = (FOCUS_BONUS if answer.search(h.item.short(lang)) else 0.0) + (ASKS_BONUS if same_ask else 0.0)
        counted = _COUNTED[lang if lang in _COUNTED else "id"].search(question) if want == "number" else None
        if counted and _counts(h.item.short(lang), [counted.group(1).lower()]):
            # "Ada berapa kelompok?": "lima kelompok" counts what is asked ("Murid saya tiga puluh" too); "tiga
            # puluh dua anak" counts another thing (round 10: the class size, twice)
            bonus += COUNTED_BONUS
        elif counted and _counts(h.item.short(lang), (same or {}).get(counted.group(1).lower(), ())):
            # "How many students?" - "thirty pupils" (round 20), a little less sure ("How many students in each
            # group?" - "two kids at most held the equipment" is another count: round 18)
            bonus += COUNTED_BONUS / 2
        if want == "time" and _HABIT.search(question) and not _ONSET.search(question) \
                and 2 * sum(bool(_ONSET.search(q)) for q in h.item.asks(lang)) > len(h.item.asks(lang)):
            # "Kapan biasanya ribut?" asks when it usually happens, not since when: an item most example questions
            # of which ask since when ("Sejak kapan mulai?") answers the other question.
            bonus = -ONSET_PENALTY
        out.append(replace(h, score=round(h.score + bonus, 4)) if bonus else h)
    return sorted(out, key=lambda h: -h.score)


def _counts(text: str, things: Sequence[str]) -> bool:
    """Does `text` count one of `things` ("lima kelompok", "murid saya tiga puluh")?"""
    if not things:
        return False
    thing = "(?:" + "|".join(re.escape(w[:5]) for w in things) + ")"
    return bool(re.search(r"(?:" + _NUMBER + r")\s+(\w+\s+)?" + thing + r"|\b" + thing + r"\w*\s+(\w+\s+)?(?:"
                          + _NUMBER + ")", text, re.IGNORECASE))


def _of_the_kind(hits: Sequence, question: str, lang: str) -> list:
    """"Is the observation on Monday?", "Was it an Instagram group?": the items that name a day / an app at all
    (whichever) are what can answer it yes or no; they move up a little."""
    kinds = kinds_named(question, lang)
    if not kinds:
        return list(hits)
    out = [replace(h, score=round(h.score + KIND_BONUS, 4)) if kinds & item_kinds(h.item, lang) else h for h in hits]
    return sorted(out, key=lambda h: -h.score)


def item_kinds(item, lang: str) -> set[str]:
    """The kinds (a day, a subject, an app, ...) of which a memory item's tellings name a thing."""
    return kinds_named(f"{item.short(lang)} {item.long(lang)}", lang)


REASON_PENALTY = 0.1   # a telling that opens with its reason, to a question that asks none
_REASON_FIRST = re.compile(r"^\W*(karena|soalnya|sebab|gara-gara|because|since|'cause)\b", re.I)
_ASKS_CAUSE = re.compile(r"\b(kenapa|mengapa|knp|sebab\w*|alasan\w*|apa (\w+ ){0,4}(membuat|bikin|menyebabkan)|why|"
                         r"what (\w+ ){0,4}(makes|made|caused|causes|led to|leads to)|reason|how come)\b", re.I)
COUNTED_BONUS = 0.2   # an item that counts the very thing "berapa X" / "how many X" asks for
_COUNTED = {"id": re.compile(r"\bberapa\s+(?:banyak\s+|jumlah\s+)?([a-z]{3,})", re.I),
            "en": re.compile(r"\bhow many\s+(?:of\s+(?:the|your)\s+)?([a-z]{3,})", re.I)}
_HABIT = re.compile(r"\b(biasanya|biasa|umumnya|sering|usually|normally|typically|often)\b", re.I)
_ONSET = re.compile(r"\b(sejak|mulai|awal(nya)?|pertama kali|since|start\w*|began|begin\w*|first|how long has|"
                    r"how long have|going on|was it like this)\b", re.I)


def has_form(text: str, question: str, lang: str) -> bool:
    """Does `text` give what `question` asks for (a number for "berapa")? True when the question asks for no
    particular form."""
    want = focus(question, lang)
    if want is None or want not in _ANSWERS:
        return True
    if _HOW_LONG.search(question):
        # "Berapa lama kamu belajar di rumah?" asks for a length of time: "Ayah pulang jam lima" has a number but no
        # duration (round 11: "as I said" the family story, twice)
        return bool(_DURATION.search(text))
    return bool(re.search(_ANSWERS[want], text, 0 if want == "who" else re.IGNORECASE))


_HOW_LONG = re.compile(r"\b(berapa lama|how long|for how long)\b(?! ago)", re.I)
_UNITS = r"(menit|jam|hari|malam|minggu|pekan|bulan|tahun|semester|minutes?|hours?|days?|evenings?|nights?|weeks?|months?|years?|terms?|lessons?|periods?)"
# a length of time: a count before its unit ("dua jam", "an hour"; "jam lima" is a clock time), or a word for one
_DURATION = re.compile(r"(?:" + _NUMBER + r"|\b(?:an?|half an?|setengah|beberapa|a few|several))\s+" + _UNITS + r"\b|"
                       r"\b(sejam|sehari|seminggu|sebulan|setahun|sebentar|seharian|semalaman|all (day|night|evening)|"
                       r"a while|ages)\b", re.I)
