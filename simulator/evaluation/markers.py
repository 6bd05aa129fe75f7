"""The word lists of simulator/evaluation/templates/markers.yaml (goal, commitment, time, conclusion …), and
the questions that rightly ask without summarising first."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from simulator.content import read_yaml
from simulator.reading.reader import Reading

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _markers() -> dict[str, dict[str, re.Pattern]]:
    data = read_yaml(TEMPLATES / "markers.yaml", "template")
    out: dict[str, dict[str, re.Pattern]] = {}
    for kind, per_lang in data.items():
        out[kind] = {}
        for lang, words in per_lang.items():
            alts = sorted((re.escape(w).replace(r"\*", r"\w*") for w in words), key=len, reverse=True)
            out[kind][lang] = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
    return out


def has_marker(kind: str, text: str, lang: str) -> bool:
    return bool(_markers()[kind]["en" if lang == "en" else "id"].search(text))


def marker_word(kind: str, text: str, lang: str, skip: frozenset[str] = frozenset()) -> str | None:
    """The first marker word of `kind` in `text` that is not in `skip`, as written ("kewalahan"), or None."""
    for m in _markers()[kind]["en" if lang == "en" else "id"].finditer(text):
        if m.group(0).lower() not in skip:
            return m.group(0).lower()
    return None


def asks_for_their_own_words(r: Reading, lang: str) -> bool:
    """A goal-setting or closing question ("What would you like to get out of today?", "What have you taken away?"):
    it rightly asks without summarising the coachee first."""
    return r.tirta == "tujuan" or has_marker("goal", r.text, lang) or has_marker("conclusion", r.text, lang)
