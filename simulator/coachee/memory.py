"""Persona memory: what the coachee knows and has lived, so the scripted coachee answers what was asked.

    load_memory(persona_id, directory=MEMORY_DIR) -> PersonaMemory | None     validated; None when no file
    memory_index(memory, lang) -> MemoryIndex                                 built lazily, cached per persona+lang
    MemoryIndex.search(text, layers, k=5) -> list[Hit]                        best first
    MemoryIndex.search_turn(turn, question, k=5) -> list[Hit]                 the main question decides
    MemoryIndex.yes_no(text, item) -> True | False | None                     the TRUE answer to a yes/no question

The file format is docs/writing-persona-memory.md (personas/memory/<persona_id>.yaml). Search is hybrid, three
signals fused: a lexical one in the spirit of BM25 (the idf-weighted share of the turn's words, light stems and
everyday synonyms, that the item contains: finds rare exact words - names, numbers, "KKTP"), the offline
multilingual embedding (finds paraphrases and cross-lingual asks; the turn as a "query:" against the item's example
questions as "query:" too - question to question is a symmetric task - and against its short/long texts as
"passage:"), and the word overlap with the example questions (question words included: "how many" vs "who").
Everything is kept in memory: an index is ~300 vectors, cached on disk by a hash of its texts.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from simulator.coachee.persona import Text
from simulator.config import PERSONAS_DIR
from simulator.content import Strict, load_yaml
from simulator.errors import ContentError
from simulator.reading.facts import NUMBER, facts_agree, kinds_agree, kinds_named
from simulator.reading.reader import stems, tokens
from simulator.vocabulary import ITEMS

MEMORY_DIR = PERSONAS_DIR / "memory"
MEMORY_LAYERS = ("open", *ITEMS)   # "open": plain facts anyone may hear at once
Layer = Literal["open", "surface", "underneath", "core", "goal", "action_plan"]
Kind = Literal["fact", "episode", "opinion", "feeling", "history"]

DENSE_WEIGHT = 0.45   # share of the embedding in the fused score
ASK_WEIGHT = 0.2      # share of the word overlap with the item's example questions; the lexical coverage gets the rest
DENSE_FLOOR = 0.86    # an E5 cosine at or below this says nothing
WHOLE_TURN_WEIGHT = 0.85   # a match on the whole turn (summary + question) counts this much of one on the question
WORDS_DECIDE = 0.03   # a yes/no whose yes and no examples are this close by embedding is decided by shared words
MATCH_FLOOR = 0.4     # a fused score below this is "nothing in memory answers that"


class Asks(Strict):
    """2-8 ways a coach might ask for the item, per language (plain, open, a follow-up: the more ways, the more of
    a trainee's own wordings find the item)."""

    id: list[str] = Field(min_length=2, max_length=8)
    en: list[str] = Field(min_length=2, max_length=8)

    def __call__(self, lang: str) -> list[str]:
        return getattr(self, lang)


class Examples(Strict):
    """Yes/no questions whose true answer is fixed (the `yes` or the `no` list)."""

    id: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def __call__(self, lang: str) -> list[str]:
        return getattr(self, lang)


class MemoryItem(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Kind
    layer: Layer
    topic: str = Field(pattern=r"^[a-z_]+$")
    short: Text          # the direct answer: one spoken sentence
    long: Text           # 2-3 sentences, when asked openly about the topic
    asks: Asks
    yes: Examples | None = None
    no: Examples | None = None

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data):
        """YAML 1.1 reads an unquoted key `yes:`/`no:` as the boolean true/false: take them as the names."""
        if isinstance(data, dict) and (True in data or False in data):
            data = {("yes" if k is True else "no" if k is False else k): v for k, v in data.items()}
        return data


class PersonaMemory(Strict):
    persona: str = Field(pattern=r"^[a-z0-9_]+$")
    items: list[MemoryItem] = Field(min_length=1)

    def duplicates(self) -> str | None:
        """'items.3.id: ...' for the first id or short text used twice (a field path and why), else None."""
        seen: dict[str, int] = {}
        for i, item in enumerate(self.items):
            if item.id in seen:
                return f"items.{i}.id': '{item.id}' is used twice (also items.{seen[item.id]})"
            seen[item.id] = i
        for lang in ("id", "en"):
            shorts: dict[str, int] = {}
            for i, item in enumerate(self.items):
                key = " ".join(item.short(lang).lower().split())
                if key in shorts:
                    return f"items.{i}.short.{lang}': the same text as items.{shorts[key]}"
                shorts[key] = i
        return None

    def item(self, item_id: str) -> MemoryItem:
        return next(i for i in self.items if i.id == item_id)


def load_memory_file(path: str | Path) -> PersonaMemory:
    path = Path(path)
    memory = load_yaml(path, PersonaMemory, "persona memory")
    duplicate = memory.duplicates()
    if duplicate:
        raise ContentError(f"{path}: field '{duplicate}")
    if memory.persona != path.stem:
        raise ContentError(f"{path}: field 'persona' is '{memory.persona}' but must match the file name "
                           f"'{path.stem}'.")
    return memory


@cache
def _load(path: Path, mtime: float) -> PersonaMemory:
    return load_memory_file(path)


def load_memory(persona_id: str, directory: str | Path = MEMORY_DIR) -> PersonaMemory | None:
    """The persona's memory (validated, cached per file version); None when the persona has no memory file."""
    path = Path(directory) / f"{persona_id}.yaml"
    if not path.is_file():
        return None
    return _load(path, path.stat().st_mtime)


def load_memories(directory: str | Path = MEMORY_DIR) -> dict[str, PersonaMemory]:
    return {p.stem: load_memory_file(p) for p in sorted(Path(directory).glob("*.yaml"))}


# ---------------------------------------------------------------------------------------------- search
@dataclass(frozen=True)
class Hit:
    item: MemoryItem
    score: float        # fused, 0..1 (1 = the best possible on both sides)
    dense: float        # best cosine of the turn with the item's asks / texts
    lexical: float      # share of the turn's informative words (idf-weighted) found in the item

    @property
    def layer(self) -> str:
        return self.item.layer


def _bag(text: str, lang: str) -> list[str]:
    out: list[str] = []
    for tok in tokens(text):
        if len(tok) < 3 and not tok.isdigit():
            continue
        out.extend(sorted(stems(tok, lang)))
    out.extend(NUMBER.findall(text))
    return out


_STOP = {"id": {"yang", "apa", "ibu", "bapak", "pak", "bu", "saya", "itu", "ini", "ada", "dan", "dengan", "untuk",
                "dari", "kamu", "anda", "sudah", "tidak", "akan", "bisa", "juga", "apakah", "berapa", "siapa",
                "kapan", "mana", "bagaimana", "kalau", "karena", "tadi", "kita", "nya", "sih", "kah", "dong"},
         "en": {"the", "you", "your", "what", "how", "who", "when", "which", "where", "does", "did", "are",
                "was", "were", "have", "has", "and", "that", "this", "with", "for", "many", "much", "about",
                "can", "could", "would", "there", "they", "them", "any", "tell", "our", "from"}}


class MemoryIndex:
    """One persona's memory in one language, ready to search (idf word coverage + embedding, all in memory)."""

    def __init__(self, memory: PersonaMemory, lang: str, embed: bool = True):
        self.memory, self.lang = memory, lang
        self.items = list(memory.items)
        stop = _STOP.get(lang, set())
        self._docs: list[set[str]] = []
        for item in self.items:
            text = " ".join([item.short(lang), item.long(lang), *item.asks(lang),
                             *(item.yes(lang) if item.yes else []), *(item.no(lang) if item.no else [])])
            self._docs.append(set(_bag(text, lang)) - stop)
        self._df: dict[str, int] = {}
        for doc in self._docs:
            for w in doc:
                self._df[w] = self._df.get(w, 0) + 1
        self._stop = stop
        # Each example question as a set of ALL its words (question words included: "how many" vs "who" matters
        # when matching a question against questions).
        self._asks = [[set(tokens(q)) for q in (*item.asks(lang), *(item.yes(lang) if item.yes else []),
                                                 *(item.no(lang) if item.no else []))] for item in self.items]
        self._vectors: bool | None = None
        self._matrix = self._owner = None
        self._kind: list[str] = []
        self._embed = embed
        self._lock = threading.Lock()

    # The embedding side is built on first use (~1-2 s for 40 items), then kept.
    def _ensure_vectors(self) -> bool | None:
        if not self._embed:
            return None
        with self._lock:
            if self._vectors is None:
                import numpy as np

                lang = self.lang
                questions, owners = [], []
                for i, item in enumerate(self.items):
                    for kind, texts in (("asks", item.asks(lang)), ("yes", item.yes(lang) if item.yes else []),
                                        ("no", item.no(lang) if item.no else [])):
                        for t in texts:
                            questions.append(t)
                            owners.append((i, kind))
                texts = [t for item in self.items for t in (item.short(lang), item.long(lang))]
                qvecs, pvecs = _cached_vectors(questions, texts, lambda: _embed_all(questions, texts))
                # One matrix for all example questions and texts, with the owner item of each row and its kind.
                rows = [qvecs.astype(np.float32)] if questions else []
                rows.append(pvecs)
                self._matrix = np.vstack(rows)
                self._owner = np.array([i for i, _ in owners] + [i for i in range(len(self.items)) for _ in (0, 1)])
                self._kind = [k for _, k in owners] + ["text"] * len(texts)
                self._vectors = True
            return self._vectors

    def warm(self) -> MemoryIndex:
        self._ensure_vectors()
        return self

    def search(self, text: str, layers: Sequence[str] | None = None, k: int = 5, dense: bool = True) -> list[Hit]:
        """The items that answer `text`, best first, among `layers` (all when None). `dense=False`: words only."""
        text = standard(text, self.lang)
        raw = self._coverage(text)
        words = set(tokens(text))
        asked = [max((2 * len(words & a) / (len(words) + len(a)) for a in asks if a), default=0.0) if words else 0.0
                 for asks in self._asks]
        dense_by_item = self._dense(text) if dense else None
        hits = []
        for i, item in enumerate(self.items):
            if layers is not None and item.layer not in layers:
                continue
            lexical = raw[i]
            dense = float(dense_by_item[i]) if dense_by_item is not None else 0.0
            if dense_by_item is not None:
                score = DENSE_WEIGHT * _scale(dense) + ASK_WEIGHT * asked[i] + (1 - DENSE_WEIGHT - ASK_WEIGHT) * lexical
            else:
                score = (1 - ASK_WEIGHT) * lexical + ASK_WEIGHT * asked[i]
            hits.append(Hit(item, round(score, 4), round(dense, 4), round(lexical, 4)))
        hits.sort(key=lambda h: (-h.score, h.item.id))
        return hits[:k]

    def search_turn(self, turn: str, question: str = "", layers: Sequence[str] | None = None,
                    k: int = 5) -> list[Hit]:
        """Search for a whole coach turn whose main question is `question`: the question decides ("Kelas mana
        yang paling menantang?" after a summary about paperwork asks about classes), the whole turn (whose
        summary names what "itu" is) counts a little less, by its words only (one embedding per turn keeps a
        turn fast)."""
        if not question or question.strip() == turn.strip():
            return self.search(turn, layers, k)
        asked = {frozenset(f) for f in self._word_forms(question)}
        if all(frozenset(f) in asked for f in self._word_forms(turn)):
            # The turn says nothing the question does not ("Ibu ngajar mapel apa sih, Bu?"): its words alone would
            # count the question's words twice, and outrank what the question means ("mapel" is in many items).
            return self.search(question, layers, k)
        by_item: dict[str, Hit] = {}
        for weight, text, dense in ((1.0, question, True), (WHOLE_TURN_WEIGHT, turn, False)):
            for hit in self.search(text, layers, k=len(self.items), dense=dense):
                scored = Hit(hit.item, round(hit.score * weight, 4), hit.dense, hit.lexical)
                if hit.item.id not in by_item or scored.score > by_item[hit.item.id].score:
                    by_item[hit.item.id] = scored
        return sorted(by_item.values(), key=lambda h: (-h.score, h.item.id))[:k]

    def _word_forms(self, text: str) -> list[set[str]]:
        """Each informative word of the turn as the set of its stems and its synonyms' stems (stop words out)."""
        same = synonyms(self.lang)
        out = []
        for tok in tokens(text):
            if (len(tok) < 3 and not tok.isdigit()) or tok in self._stop:
                continue
            forms = set(stems(tok, self.lang))
            for other in same.get(tok, ()):
                forms |= stems(other, self.lang)
            out.append(forms - self._stop)
        return out

    def unknown_share(self, text: str) -> float:
        """The share of the turn's informative words (idf-weighted) that no item has: near 1 for "Do you like
        coffee?" (nobody here talks about coffee), 0 when every word is known."""
        n = len(self._docs)
        rare = math.log((n + 1) / 0.5)
        total = unknown = 0.0
        for forms in self._word_forms(text):
            df = max((self._df.get(f, 0) for f in forms), default=0)
            weight = math.log((n + 1) / (df + 0.5))
            total += weight
            unknown += weight if df == 0 else 0.0
        return unknown / total if total and total >= rare * 0.5 else 0.0

    def _coverage(self, text: str) -> list[float]:
        """Per item: the share of the turn's informative words (weighted by rarity, idf) that the item contains.
        Absolute, unlike a BM25 score scaled by the best item so "nothing answers this" stays low; a word no
        item knows ("hobi") weighs most and lowers every item's share."""
        n = len(self._docs)
        words = []
        words += [forms for forms in self._word_forms(text) if forms]
        words += [{d} for d in NUMBER.findall(text)]
        if not words:
            return [0.0] * n
        idf = [math.log((n + 1) / (max((self._df.get(f, 0) for f in forms), default=0) + 0.5)) for forms in words]
        # Normalised by at least one rare word's weight: a turn whose only content word is common to many items
        # ("the practical") is weak lexical evidence for any one of them.
        total = max(sum(idf), math.log((n + 1) / 0.5))
        return [sum(w for forms, w in zip(words, idf, strict=True) if forms & doc) / total for doc in self._docs]

    def _similarities(self, text: str):
        """Cosine of the turn with every row (asks, yes, no as "query:"; short, long as "passage:")."""
        if not self._ensure_vectors():
            return None
        import numpy as np

        from simulator.retrieval.search import embed_query

        q = np.asarray(embed_query(text), dtype=np.float32)
        return self._matrix @ q

    def _dense(self, text: str):
        """Per item: the best cosine over its example questions and (a little favoured) its own texts."""
        sims = self._similarities(text)
        if sims is None:
            return None
        import numpy as np

        bonus = np.array([0.02 if k == "text" else 0.0 for k in self._kind], dtype=np.float32)
        best = np.full(len(self.items), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, sims + bonus)
        return best

    def yes_no(self, text: str, item: MemoryItem) -> bool | None:
        """True/False when the question's true answer is known from the item, None when it is not.

        First the item's own yes/no examples (the closest one, by embedding, decides); then numbers and names:
        a number or a capitalised name in the question that the item's texts contradict is a "no", all of them
        found is a "yes"."""
        i = self.items.index(item)
        told = item.short(self.lang) + " " + item.long(self.lang)
        facts = facts_agree(text, told, self.lang)
        if facts is False:
            return False   # a number or name the item contradicts decides ("first year?" - "my second year")
        about = self._about(text, item)
        if about != told and (said := kinds_agree(text, about, self.lang)) is not None:
            return said    # the clause about what was asked names the day ("glad the observation is on Thursday")
        if kinds_agree(text, told, self.lang):
            return True    # the day, subject, kind of school or length of time asked about is the item's
        # Words shared with one side's examples and none with the other's decide when the embedding is close:
        # "Are you on any team besides teaching?" shares "team" with "Are you on the P5 team?" and nothing with
        # "Are you a form tutor as well?", which the embedding put 0.01 nearer.
        asked = stem_set(text, self.lang)
        words = {kind: max((len(asked & stem_set(t, self.lang)) for t in (getattr(item, kind)(self.lang)
                                                                          if getattr(item, kind) else [])), default=0)
                 for kind in ("yes", "no")}
        by_words = words["yes"] > 0 == words["no"] or words["no"] > 0 == words["yes"]
        sims = self._similarities(text)
        if sims is not None:
            yes = max((float(sims[r]) for r in range(len(self._kind)) if self._owner[r] == i and self._kind[r] == "yes"),
                      default=-1.0)
            no = max((float(sims[r]) for r in range(len(self._kind)) if self._owner[r] == i and self._kind[r] == "no"),
                     default=-1.0)
            if by_words and min(yes, no) > -1.0 and abs(yes - no) < WORDS_DECIDE:
                return words["yes"] > 0
            if max(yes, no) >= 0.86 and abs(yes - no) >= 0.005:
                return yes > no
        return facts


    def _about(self, text: str, item: MemoryItem) -> str:
        """The clauses of the item's tellings that name a thing of a kind and share a word with the question: the
        timetable that lists Monday says "glad the observation is on Thursday", which is what "Is the observation
        on Monday?" asks about. All of the tellings when no clause does."""
        told = item.short(self.lang) + " " + item.long(self.lang)
        asked = stem_set(" ".join(w for w in text.split() if not kinds_named(w, self.lang)), self.lang)
        near = [c for c in re.split(r"[.;:,!?]\s+", told) if kinds_named(c, self.lang) and asked & stem_set(c, self.lang)]
        return " ".join(near) or told


def stem_set(text: str, lang: str) -> frozenset[str]:
    """The stems of a text's content words (4+ letters)."""
    from simulator.reading.reader import content_words

    return frozenset(x for w in content_words(text.lower(), lang) if len(w) >= 4 for x in stems(w, lang))


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def _scale(cos: float) -> float:
    """E5 cosines crowd into 0.85-1.0 (an unrelated question ~0.89, a paraphrase ~0.93+); stretch that to 0..1."""
    return min(1.0, max(0.0, (cos - DENSE_FLOOR) / (1.0 - DENSE_FLOOR)))


SYNONYMS_PATH = Path(__file__).resolve().parent / "rules" / "synonyms.yaml"


class Informal(Strict):
    id: dict[str, str] = {}
    en: dict[str, str] = {}


class Synonyms(Strict):
    id: list[list[str]] = []
    en: list[list[str]] = []
    informal: Informal = Informal()


@cache
def _informal(lang: str, path: Path = SYNONYMS_PATH) -> tuple[re.Pattern | None, dict[str, str]]:
    table = {k.lower(): v for k, v in getattr(load_yaml(path, Synonyms, "synonyms").informal, lang, {}).items()
             if k.lower() != v.lower()}
    if not table:
        return None, {}
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b", re.I), table


def standard(text: str, lang: str) -> str:
    """The turn in the standard words the items are written in ("Ibu ngajar mapel apa?" -> "Ibu mengajar mata
    pelajaran apa?"): rules/synonyms.yaml `informal`."""
    pattern, table = _informal(lang)
    return pattern.sub(lambda m: table[m.group(1).lower()], text) if pattern else text


@cache
def synonyms(lang: str, path: Path = SYNONYMS_PATH) -> dict[str, tuple[str, ...]]:
    """Each single word of rules/synonyms.yaml -> the other words of its group (one-word forms only)."""
    groups = getattr(load_yaml(path, Synonyms, "synonyms"), lang, [])
    out: dict[str, tuple[str, ...]] = {}
    for group in groups:
        words = [w.lower() for w in group]
        for w in words:
            if " " not in w:
                out[w] = tuple(x for x in words if x != w and " " not in x)
    return out


RELEVANT = 0.81   # an E5 query/passage cosine below this: a reply about something else than the question asked


def relevance(question: str, text: str) -> float | None:
    """How near a reply is to the question, by the offline embedding (the question as "query:", the reply as
    "passage:"); None when the embedding is not available. Measured on 677 blind-rated replies (bench/data/panels):
    non-sequiturs average 0.816, fitting replies 0.851 (AUC 0.77); below RELEVANT are 42% of non-sequiturs and 8%
    of fitting replies."""
    try:
        import numpy as np

        from simulator.retrieval.search import embed_query

        q = np.asarray(embed_query(question), dtype=np.float32)
        p = _passage_vector(text)
    except Exception:  # noqa: BLE001 - no model on this machine: relevance unknown, nothing is changed
        return None
    return float(q @ p / ((np.linalg.norm(q) * np.linalg.norm(p)) or 1.0))


@lru_cache(maxsize=4096)   # the same authored lines and memory texts come back in every session
def _passage_vector(text: str):
    import numpy as np

    from simulator.retrieval.search import embed_passages

    return np.asarray(embed_passages([text])[0], dtype=np.float32)


def _embed_all(questions: list[str], texts: list[str]):
    import numpy as np

    from simulator.retrieval.search import embed_passages, embedder

    qvecs = np.asarray(embedder(1).query(questions), dtype=np.float32) if questions else np.zeros((0, 384), np.float32)
    return qvecs, np.asarray(embed_passages(texts), dtype=np.float32)


def cache_dir() -> Path:
    """Where embedded memories are kept between runs (PAMONG_CACHE_DIR, else the user's cache folder)."""
    explicit = os.environ.get("PAMONG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pamong" / "memory-index"


def _cached_vectors(questions: list[str], texts: list[str], compute):
    """The vectors of these exact texts: embedding a persona's memory costs seconds on a busy CPU, so the
    result is kept on disk under a hash of the texts (any edit of the memory file makes a new key)."""
    import numpy as np

    digest = hashlib.sha256(json.dumps([questions, texts], ensure_ascii=False).encode()).hexdigest()[:24]
    path = cache_dir() / f"{digest}.npz"
    try:
        with np.load(path) as data:
            q, p = data["q"], data["p"]
            if len(q) == len(questions) and len(p) == len(texts):
                return q, p
    except (OSError, KeyError, ValueError):
        pass
    q, p = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
        np.savez(tmp, q=q, p=p)
        tmp.replace(path)
    except OSError:
        pass   # a read-only home: the index still works, it is only rebuilt next time
    return q, p


_INDEXES: dict[tuple[str, str, int, bool], MemoryIndex] = {}
_INDEX_LOCK = threading.Lock()


def warm_in_background(memory: PersonaMemory, lang: str) -> threading.Thread:
    """Build the index (and load the embedding model) while the coach reads the scenario card, so the first
    question is answered as fast as the others."""
    thread = threading.Thread(target=lambda: memory_index(memory, lang).warm(), daemon=True,
                              name=f"memory-{memory.persona}-{lang}")
    thread.start()
    return thread


def memory_index(memory: PersonaMemory, lang: str, embed: bool = True) -> MemoryIndex:
    """The cached index of one persona's memory in one language (built once per process and memory object)."""
    key = (memory.persona, lang, id(memory), embed)
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = MemoryIndex(memory, lang, embed)
        return index


__all__ = ["MEMORY_LAYERS", "MEMORY_DIR", "Hit", "MemoryIndex", "MemoryItem", "PersonaMemory",
           "load_memory", "load_memory_file", "load_memories", "memory_index"]
