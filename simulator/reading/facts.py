"""Numbers and names in what people say: whether a yes/no question's numbers and names agree with a fact, and
which numbers and names a persona card states (each must be in the persona's memory).

    facts_agree(question, fact, lang) -> True | False | None
    kinds_agree(question, fact, lang) -> True | False | None   (lengths of time, days, subjects, kinds of school)
    kinds_named(text, lang) -> {kind, ...}                      (the kinds of which the text names a thing)
    kind_value(word, lang) -> bool                             (a day, a subject, a kind of school, an app)
    card_facts(text, lang) -> set[str]
    missing_card_facts(persona, memory) -> {lang: [fact, ...]}
"""

from __future__ import annotations

import re

from simulator.reading.reader import tokens

NUMBER = re.compile(r"\d+")


def facts_agree(question: str, fact: str, lang: str) -> bool | None:
    """Numbers and names: all of the question's found in the fact -> True; one missing while the fact states
    others of the same kind -> False; nothing to compare -> None."""
    q_nums, f_nums = set(_numbers(question, lang)), set(_numbers(fact, lang))
    q_names, f_names = _names(question), _names(fact)
    verdicts = [kinds_agree(question, fact, lang)]
    q_nums -= {n for n, _ in _spans(question, lang)}
    if q_nums:
        found = q_nums <= f_nums if f_nums else None
        if found and _counts(question, lang).keys() & _counts(fact, lang).keys():
            # "Off school five times?" - "I get up at five": the same number counting another thing says nothing
            q_counts, f_counts = _counts(question, lang), _counts(fact, lang)
            if any(n in f_counts and not (q_counts[n] & f_counts[n]) for n in q_counts):
                found = None
        verdicts.append(found)
    if q_names:
        found = {n for n in q_names if n.lower() in fact.lower()}
        verdicts.append(True if found == q_names else (False if f_names - q_names else None))
    known = [v for v in verdicts if v is not None]
    if not known:
        return None
    return all(known)


_NUMBER_WORDS = {
    "id": {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
           "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100},
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "hundred": 100},
}
_TENS_ID = {"belas": 10, "puluh": 10}
_ORDINALS = {
    "id": {"pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
           "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10},
    "en": {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10},
}


def _numbers(text: str, lang: str) -> list[int]:
    """Digits and number words ("tiga puluh dua" -> 32, "thirty-two" -> 32)."""
    out = [int(n) for n in NUMBER.findall(text)]
    words = tokens(text.replace("-", " "))
    out += [_ORDINALS.get(lang, {})[w] for w in words if w in _ORDINALS.get(lang, {})]
    table = _NUMBER_WORDS.get(lang, {})
    i = 0
    while i < len(words):
        w = words[i]
        if w in table or w in ("sepuluh", "sebelas", "seratus"):
            value = table[w]
            j = i + 1
            if lang == "id" and j < len(words) and words[j] in _TENS_ID:
                value = value * 10 if words[j] == "puluh" else value + 10
                j += 1
                if j < len(words) and words[j] in table and table[words[j]] < 10:
                    value += table[words[j]]
                    j += 1
            elif lang == "en" and value >= 20 and j < len(words) and words[j] in table and table[words[j]] < 10:
                value += table[words[j]]
                j += 1
            out.append(value)
            i = j
            continue
        i += 1
    return out


_UNIT = {"id": {"menit": "minute", "jam": "hour", "hari": "day", "minggu": "week", "pekan": "week", "bulan": "month",
                "tahun": "year", "semester": "term"},
         "en": {"minute": "minute", "minutes": "minute", "hour": "hour", "hours": "hour", "day": "day", "days": "day",
                "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year",
                "years": "year", "term": "term", "terms": "term"}}


def _spans(text: str, lang: str) -> set[tuple[int, str]]:
    """Lengths of time: (number, unit) for "tiga bulan", "3 months", "two years" ("jam dua" is a clock time)."""
    units = _UNIT.get(lang, _UNIT["id"])
    out = set()
    words = tokens(text.replace("-", " "))
    low = " ".join(words)
    for phrase, span in _NEXT.get(lang, {}).items():   # "next week", "minggu depan": one of the unit from now
        if re.search(r"\b" + phrase + r"\b", low):
            out.add(span)
    for w in words:   # "setahun", "sebulan": one of the unit
        if lang == "id" and w.startswith("se") and w[2:] in units and units[w[2:]] != "hour":
            out.add((1, units[w[2:]]))
    for i, w in enumerate(words[1:], start=1):
        if w in units:
            n = [1] if lang == "en" and words[i - 1] in ("a", "an") else _numbers(words[i - 1], lang)
            if not n and i >= 2:
                n = _numbers(" ".join(words[i - 2:i]), lang)[-1:]
            if n and not (lang == "id" and units[w] == "hour" and i >= 2 and words[i - 2] == "jam"):
                out.add((n[-1], units[w]))
    return out


def _counts(text: str, lang: str) -> dict[int, set[str]]:
    """Each number of the text -> the starts (4 letters) of the words beside it: what it counts or orders."""
    words = tokens(text.replace("-", " "))
    out: dict[int, set[str]] = {}
    for i, w in enumerate(words):
        for n in _numbers(w, lang):
            out.setdefault(n, set()).update(x[:4] for x in words[max(i - 1, 0):i + 2] if x != w and len(x) >= 3)
    return out


_NEXT = {"id": {"minggu depan": (1, "week"), "pekan depan": (1, "week"), "bulan depan": (1, "month"),
                "tahun depan": (1, "year"), "besok": (1, "day")},
         "en": {"next week": (1, "week"), "next month": (1, "month"), "next year": (1, "year"),
                "tomorrow": (1, "day")}}


# Things of one kind that exclude each other: a yes/no question naming one the fact does not, while the fact
# names another, is answered "no" ("Observasinya hari Senin?" - "Kamis depan"; "Ibu wali kelas VI?" - "kelas V").
# ("Minggu depan" is next week, not Sunday.)
_KINDS = {
    "id": {"day": r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|(?<=hari )minggu|minggu(?= (pagi|siang|sore|malam))",
           "subject": r"bahasa indonesia|bahasa inggris|matematika|ipas|ipa|ips|sejarah|pjok|seni budaya|prakarya|"
                      r"ppkn|informatika|biologi|fisika|kimia|geografi|ekonomi|sosiologi",
           "school": r"sd|smp|sma|smk|mts",
           "status": r"negeri|swasta",
           "app": r"whatsapp|wa|instagram|ig|tiktok|facebook|telegram|line",
           "grade": r"kelas (?:xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)(?!\w)"},
    "en": {"day": r"monday|tuesday|wednesday|thursday|friday|saturday|sunday",
           "subject": r"english|indonesian|maths|math|mathematics|science|history|geography|pe|physical education|"
                      r"art|civics|biology|physics|chemistry|economics|ict",
           "school": r"primary|junior (?:high|secondary)|senior (?:high|secondary)|vocational",
           "status": r"state|private",
           "app": r"whatsapp|instagram|tiktok|facebook|telegram|snapchat"},
}
_SAME = {"wa": "whatsapp", "ig": "instagram", "jum'at": "jumat", "math": "maths", "mathematics": "maths",
         "physical education": "pe"}


def kinds_agree(question: str, fact: str, lang: str) -> bool | None:
    """Lengths of time and things of one kind (a day, a subject, a kind of school, an app, a grade): all the
    question's found in the fact -> True; one missing while the fact names another of its kind -> False."""
    verdicts = []
    q_spans, f_spans = _spans(question, lang), _spans(fact, lang)
    if q_spans:
        # "Tiga bulan lagi?" - "tiga minggu lagi": the same number of another unit is another length of time
        verdicts.append(q_spans <= f_spans if f_spans else None)
    for pattern in _KINDS.get(lang, {}).values():
        q_vals, f_vals = _values(pattern, question), _values(pattern, fact)
        if q_vals:
            verdicts.append(True if q_vals <= f_vals else (False if f_vals - q_vals else None))
    known = [v for v in verdicts if v is not None]
    return all(known) if known else None


def _values(pattern: str, text: str) -> set[str]:
    # "Bahasa Inggrismu", "WA-nya": the value with a possessive ending
    found = (m.group(1).lower() for m in re.finditer(r"\b(" + pattern + r")(?:-?(?:mu|nya|ku))?\b", text, re.I))
    return {_SAME.get(v, v) for v in found}


def kinds_named(text: str, lang: str) -> set[str]:
    """The kinds (day, subject, school, status, app, grade) of which the text names a thing."""
    return {kind for kind, pattern in _KINDS.get(lang, {}).items() if _values(pattern, text)}


def kind_value(word: str, lang: str) -> bool:
    """Is the word one of the things of a kind (a day, a subject, a kind of school, an app)?"""
    w = re.sub(r"-?(mu|nya|ku)$", "", word.lower())
    return len(w) >= 2 and any(_values(pattern, word) or re.search(r"(?<![\w?(])" + re.escape(w) + r"(?![\w])", pattern)
                               for pattern in _KINDS.get(lang, {}).values())


_PAST_ASKED = re.compile(r"\b(dulu(nya)?|dahulu|sebelumnya|waktu itu|semasa|did (you|they|he|she|it|that|this|we|things)|"
                         r"were (you|they)|was (it|he|she)|used to|back then|in the past|previously|before you came|"
                         # "the last time it happened", "kemarin": round 35 heard a wish to "what did it look like?"
                         r"(the )?last time|terakhir kali|kemarin|yesterday)\b", re.I)
_NOW_ASKED = re.compile(r"\b(sekarang|kini|saat ini|masih|now|currently|these days|nowadays|still|do (you|they)|"
                        r"does (he|she|it)|are (you|they)|is (it|he|she))\b", re.I)
_PAST_TOLD = re.compile(r"\b(dulu|dahulu|pertama kali|(\w+ )?tahun (yang )?lalu|waktu (kecil|muda|kuliah)|used to|once|"
                        r"years ago|back then|when I was|first (\w+ ){0,2}years|in those days|last (term|semester|year)|semester lalu)\b", re.I)
_NOW_TOLD = re.compile(r"\b(sekarang|kini|saat ini|masih|now|currently|these days|nowadays|still)\b", re.I)


def tense_asked(question: str) -> str | None:
    """"past" for "Dulu Bapak dikenal ...?" / "Did you ...?", "now" for "Do you teach ...?", None when it says
    neither or both ("Dulu ..., sekarang masih?")."""
    past, now = bool(_PAST_ASKED.search(question)), bool(_NOW_ASKED.search(question))
    return "past" if past and not now else "now" if now and not past else None


def tense_told(text: str, history: bool = False) -> str | None:
    """The time a telling is about: "now" when it says so ("Sekarang pun saya masih ..."), "past" for a history
    or one that says "dulu" / "for my first four years", None for a plain statement."""
    now, then = _NOW_TOLD.search(text), _PAST_TOLD.search(text)
    if now and then and then.start() < now.start() and not history:
        # from then to now: "Last term my report mark was eighty; my last test now was fifty-five" (but "Sekarang
        # pun saya masih bercerita, seperti dulu" is about now)
        return None
    return "now" if now else "past" if history or then else None


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b")
_NOT_NAMES = {"Ibu", "Bapak", "Pak", "Bu", "Mrs", "Mr", "Ms", "Miss", "Year", "Kelas", "Saya", "Apakah", "Apa",
              "Do", "Did", "Is", "Are", "Was", "The", "Jadi", "Kalau", "And", "But", "Tapi", "Dan", "Sir",
              "Madam", "Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Monday", "Tuesday",
              "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "English", "Bahasa", "Indonesia",
              "Inggris", "Kak", "Nak", "You", "Your", "What", "How", "Who", "When", "Which", "Where"}


def _names(text: str) -> set[str]:
    return {m for m in _NAME.findall(text) if m not in _NOT_NAMES}


def is_number_or_name(text: str) -> bool:
    return bool(NUMBER.search(text) or _names(text))


# ---------------------------------------------------------------------------------------------- card facts
_CARD_NOT_FACTS = {"Anda", "You", "I", "Catatan", "Facilitator", "Surface", "Ms", "Mr", "Mrs", "Pak", "Bu", "Ibu",
                   "Bapak"}


def card_facts(text: str, lang: str) -> set[str]:
    """The numbers and names in a persona card's text: digits, number words, class codes (VII, VIII-B) and
    capitalised words that do not open a sentence. Each must be said somewhere in the persona's memory."""
    out = set(re.findall(r"(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])", text))
    out |= set(re.findall(r"\b[IVX]{2,}(?:-[A-Z])?\b|(?<=kelas )[IVX]+(?:-[A-Z])?\b", text))
    words = {"id": set(_NUMBER_WORDS["id"]) | {"puluh", "belas", "ratus"}, "en": set(_NUMBER_WORDS["en"])}[lang]
    out |= {w.lower() for w in tokens(text) if w.lower() in words}
    for m in re.finditer(r"(?<![.!?:]\s)(?<!^)\b([A-Z][\w]*(?:-[\w]+)*)", text):
        if m.group(1) not in _CARD_NOT_FACTS:
            out.add(m.group(1))
    return out


def missing_card_facts(persona, memory) -> dict[str, list[str]]:
    """Per language, the card's numbers and names (scenario, background, presenting_issue) that no memory item's
    short or long text says."""
    missing = {}
    for lang in persona.languages:
        said = " ".join(f"{i.short(lang)} {i.long(lang)}" for i in memory.items)
        card = " ".join(getattr(persona, f)(lang) for f in ("scenario", "background", "presenting_issue"))
        gaps = [f for f in sorted(card_facts(card, lang))
                if not re.search(r"(?<![\w-])" + re.escape(f) + r"(?!\w)", said, re.IGNORECASE)]
        if gaps:
            missing[lang] = gaps
    return missing
