"""The live hint shown after a coach turn: what the turn was read as, and a better form when there is one.

    hint_for(reading, lang) -> str | None

Texts live in simulator/reading/lexicons/<lang>.yaml under `hints` (content is data). A turn that needs no
correction (an open question, a reflection, a reflection followed by an open question) gets a short positive
note; a turn with nothing to say about it gets None.
"""

from __future__ import annotations

import re

from simulator.reading.reader import Reading, lexicon

# Which problem to point out first when a turn has several.
_PRIORITY = ("judgement", "advice", "stacked", "leading", "why_question", "closed_question")


def _subject(reading: Reading, lang: str) -> str:
    """The address term the coach used ("Bapak", "Nak"), so the rewrite speaks the same way."""
    lex = lexicon(lang)
    if lang == "id":
        for word in re.findall(r"[A-Za-z/]+", reading.text):
            if word.lower() in lex.data.subjects and word.lower() not in ("bu", "pak", "dik", "kak"):
                return word[0].upper() + word[1:] if word.lower() in ("bapak", "ibu", "anda") else word.lower()
            if word.lower() in ("bu", "pak"):
                return {"bu": "Ibu", "pak": "Bapak"}[word.lower()]
    return lex.hints.default_subject


def rewrite(reading: Reading, lang: str) -> str:
    """An open form of a closed or why question, from the lexicon's rewrite rules or its default."""
    lex = lexicon(lang)
    subj = _subject(reading, lang)
    for sentence in re.split(r"(?<=[.!?])\s+", reading.text.strip()):
        low = re.sub(r"^\W+|[\s?.!]+$", "", sentence.lower())
        for pattern, repl in lex.rewrites:
            m = pattern.match(low) or pattern.match(lex.fillers.sub("", low, count=1))
            if m:
                out = m.expand(repl.replace("{subj}", subj)).strip()
                return out[0].upper() + out[1:] if out else out
    key = "why_rewrite_default" if reading.has("why_question") else "closed_rewrite_default"
    return getattr(lex.hints, key).replace("{subj}", subj)


def hint_for(reading: Reading, lang: str | None = None) -> str | None:
    """The hint for one coach turn in `lang` (default: the turn's own language)."""
    lang = lang or reading.lang
    lex = lexicon(lang)
    h = lex.hints
    subj = _subject(reading, lang)
    names = ", ".join(getattr(h.act_names, a) for a in reading.acts)
    label = h.acts_label.format(acts=names)

    problems = {
        "judgement": reading.judgement,
        "advice": reading.has("advice"),
        "stacked": reading.stacked,
        "leading": reading.leading,
        "why_question": reading.has("why_question"),
        "closed_question": reading.has("closed_question") and not reading.has("open_question"),
    }
    for name in _PRIORITY:
        if not problems[name]:
            continue
        text = getattr(h, name)
        if name in ("closed_question", "why_question"):
            text = text.replace("{rewrite}", rewrite(reading, lang))
        return f"{label} {text.replace('{subj}', subj).replace('{n}', str(reading.questions))}"

    if reading.has("reflection") and reading.has("open_question"):
        return f"{label} {h.reflection_then_question}"
    for act in ("open_question", "reflection", "affirmation"):
        if reading.has(act):
            return f"{label} {getattr(h, act)}"
    if reading.acts == ("other",):
        if reading.words <= 3:
            return None  # "Baik, Bu." - nothing worth a hint
        return h.other  # "Read as: other" tells a trainee nothing: the hint alone
    return None
