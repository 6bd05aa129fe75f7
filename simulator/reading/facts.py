"""Numbers and names in what people say: whether a yes/no question's numbers and names agree with a fact, and
which numbers and names a persona card states (each must be in the persona's memory).

    facts_agree(question, fact, lang) -> True | False | None
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
    verdicts = []
    if q_nums:
        verdicts.append(q_nums <= f_nums if f_nums else None)
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
