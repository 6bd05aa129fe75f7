"""Read a coaching transcript document as a facilitator finds it. CONTRACT (the CLI and the app code against
these names):

    read_document(data: str | bytes, *, name="transcript", coach: str | None = None, conversation: int = 0)
        -> Document
    Document.transcript        the Transcript to score (coach / coachee utterances)
    Document.speakers          [Speaker(label, role: coach|coachee|observer|other, turns, evidence: Text)]
    Document.set_aside         [Text] what was left out, with counts (page noise, prose, cast list, stage
                               directions, observer talk, other conversations)
    Document.conversations     how many conversations the page holds; Document.chosen: the one read (0-based)
    Document.warnings          [Text] (few coach turns, roles guessed, stops mid-way, several conversations)
    Document.roles_inferred    roles came from behaviour, not from what the document says
    Document.confident         False when the guess is weak: show the roles and ask before trusting the scores
    DocumentError(InputError)  .message: Text — no dialogue, one speaker, or the coach cannot be told apart;
                               str() is the one line in the document's language.

`coach=` re-reads with roles reassigned: a speaker label, name or unique prefix (case-insensitive).
`conversation=` picks another conversation on the same page (0-based).
JSON transcripts are read by transcript.parse_transcript (their roles are explicit).
The layout pass is in document_layout.py, the speakers and the evidence for roles in document_roles.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from simulator.errors import InputError
from simulator.evaluation.document_layout import (
    PRONOUNS,
    TERMINAL,
    Aside,
    Layout,
    Turn,
    parse_label,
    rules,
    split_lines,
    stage_only,
)
from simulator.evaluation.document_roles import (
    CONFIDENT,
    REFUSE,
    Group,
    behaviour,
    build_groups,
    declarations,
    declared_abbreviations,
    matches_name,
)
from simulator.evaluation.scoring import Text
from simulator.evaluation.transcript import (
    MAX_BYTES,
    MAX_TURNS,
    Transcript,
    Utterance,
    _clean,
    _decode,
    detect_lang,
    looks_like_json,
    parse_transcript,
)

ROLES = ("coach", "coachee", "observer", "other")


@dataclass(frozen=True)
class Speaker:
    label: str
    role: str           # coach | coachee | observer | other
    turns: int
    evidence: Text


@dataclass
class Document:
    transcript: Transcript
    speakers: list[Speaker] = field(default_factory=list)
    set_aside: list[Text] = field(default_factory=list)
    conversations: int = 1
    chosen: int = 0
    warnings: list[Text] = field(default_factory=list)
    roles_inferred: bool = False
    confident: bool = True
    name: str = "transcript"

    @property
    def lang(self) -> str:
        return self.transcript.lang

    def coach(self) -> Speaker | None:
        return next((s for s in self.speakers if s.role == "coach"), None)


class DocumentError(InputError):
    """The document cannot be read as a coaching conversation; `message` says why in both languages."""

    def __init__(self, message: Text, lang: str = "en", speakers: tuple[str, ...] = ()):
        self.message, self.lang, self.speakers = message, lang, speakers
        super().__init__(message.get(lang))

    def __str__(self) -> str:
        return self.message.get(self.lang)


def _msg(key: str, **values) -> Text:
    m = rules().rules.messages[key]
    return Text(id=m.id.format(**values), en=m.en.format(**values))


# ------------------------------------------------------------------------------------------------ the API
def read_document(data: str | bytes, *, name: str = "transcript", coach: str | None = None,
                  conversation: int = 0) -> Document:
    if isinstance(data, bytes):
        data = _decode(data, name)
    stripped = data.lstrip("\ufeff \t\r\n")
    if not stripped or looks_like_json(stripped) or len(data) > MAX_BYTES or "\x00" in data:
        # JSON, empty, binary or huge: the strict reader's messages are the right ones.
        transcript = parse_transcript(data, name=name)
        return _from_transcript(transcript, name)
    return _read_text(stripped, name=name, coach=coach, conversation=conversation)


# Timestamps of a recording's transcript: "[00:05.58]MALE STUDENT: Hi ...[00:11.33]FEMALE ADVISOR: No problem" (several
# turns on one line), "(01:02:03)", or "00:05 " opening a line. A time said in a turn ("jam 7:15") stays.
_STAMP = r"\d{1,2}:\d{2}(?:[:.,]\d{1,3}){0,2}"
_BRACKETED_STAMP = re.compile(rf"\s*[\[(]{_STAMP}[\])]\s*")
_LINE_STAMP = re.compile(rf"^[ \t]*{_STAMP}[ \t]+(?=\S)", re.M)


def _untimed(text: str) -> str:
    """The text without its timestamps: a bracketed one before a speaker's label starts a new line, any other one is
    a space."""
    if not _BRACKETED_STAMP.search(text) and not _LINE_STAMP.search(text):
        return text
    text = _LINE_STAMP.sub("", text)
    return _BRACKETED_STAMP.sub(lambda m: "\n" if re.match(r"[^\W\d][^:\n]{0,40}:", text[m.end():]) else " ", text)


def _from_transcript(transcript: Transcript, name: str) -> Document:
    counts = Counter(t.speaker for t in transcript.turns)
    ev = _msg("ev_json")
    speakers = [Speaker(role.capitalize(), role, counts[role], ev) for role in ("coach", "coachee") if counts[role]]
    doc = Document(transcript=transcript, speakers=speakers, name=name)
    _common_warnings(doc)
    return doc


def _read_text(text: str, *, name: str, coach: str | None, conversation: int) -> Document:
    text = text.replace("\u00c2\u00a0", " ")  # a UTF-8 no-break space read as Latin-1 ("Â ") by a web export
    text = _untimed(text)
    layout = split_lines(text)
    turns = [x for x in layout.items if isinstance(x, Turn)]
    lang = detect_lang(text)
    if sum(n >= 2 for n in Counter(t.label for t in turns).values()) < 2:
        # No two labels that speak twice ("Rubrik: Ruang Guru", "Oleh: …" on a story told in quotations): the
        # quotations, when they make a dialogue, are the turns; the labelled lines stay set aside.
        quoted = _story_quotes(layout) or _quoted_turns(layout, lang)
        if quoted:
            keep = {id(t) for t in quoted}
            layout.items = [Aside("prose", f"{x.label}: {x.text}", x.line) if isinstance(x, Turn) and id(x) not in keep
                            else x for x in layout.items]
            turns = quoted
    if not turns:
        raise DocumentError(_msg("no_dialogue", name=name), lang)
    declared_abbr = declared_abbreviations(layout.prose)
    groups, merged = build_groups(turns, declared_abbr)
    runs = _conversations(layout, turns, groups)
    if not 0 <= conversation < len(runs):
        raise DocumentError(_msg("bad_conversation", name=name, wanted=conversation + 1, count=len(runs)), lang)
    chosen = runs[conversation]
    chosen_turns = {id(t) for t in chosen}
    local = [g for g in groups if any(id(t) in chosen_turns for t in g.turns)]
    for g in local:
        g.turns = [t for t in g.turns if id(t) in chosen_turns]
        g.labels = Counter(t.label for t in g.turns)
        top = next(t.info for t in g.turns if t.label == g.label)
        if top.kind is not None:
            g.kind, g.word = top.kind, top.word
    lang = detect_lang(" ".join(t.text for t in chosen)) if chosen else lang
    if coach is None:
        _not_a_coaching_talk(local, name, lang)
    roles, evidence, inferred, confident = _decide(local, layout, name, lang, coach, text)
    doc = _assemble(layout, chosen, local, roles, evidence, name, lang)
    doc.conversations, doc.chosen = len(runs), conversation
    doc.roles_inferred, doc.confident = inferred, confident
    if len(runs) > 1:
        others = sum(len(r) for i, r in enumerate(runs) if i != conversation)
        doc.set_aside.append(_msg("aside_conversations", n=len(runs) - 1, turns=others))
        doc.warnings.append(_msg("warn_conversations", count=len(runs), chosen=conversation + 1))
    if merged:
        doc.warnings.append(_msg("warn_typos", pairs=", ".join(f"{a} → {b}" for a, b in dict(merged).items())))
    if inferred:
        doc.warnings.append(_msg("warn_guessed" if confident else "warn_weak"))
    _common_warnings(doc)
    _guard_collapse(doc, layout, text, name)
    return doc


# ------------------------------------------------------------------------------------------------ steps
_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}"
_SAID_ID = "kata|tanya|jawab|ujar|ucap|balas|sahut"   # "“…,” kata Bu Sari": the verb before who said it
_SAID = re.compile(
    r"^[“\"](?P<q>.+)[”\"“]\s*[,.]?\s*(?:(?P<a>" + _NAME + r")\s+(?:said|asked|replied|stated|answered|added|"
    r"continued|says|asks|replies|responded|berkata|bertanya|menjawab)|(?:" + _SAID_ID + r")\s+"
    r"(?P<b>" + _NAME + r"))\b[^“”\"]{0,40}$", re.S)


def _quoted_turns(layout: Layout, lang: str) -> list[Turn]:
    """No labels at all: turns given as quotations, one (possibly wrapped) per paragraph — either with who said
    it ("…,” John asked. / “…,” kata Bu Sari.) or, without names, alternating between two speakers."""
    prose = [x for x in layout.items if isinstance(x, Aside) and x.kind == "prose"]
    quotes: list[tuple[list[Aside], str, str | None]] = []   # (lines, words, speaker named by the page)
    buf: list[Aside] = []
    for x in prose:
        if not buf and not x.text.startswith(("“", '"')):
            continue
        buf.append(x)
        joined = " ".join(b.text for b in buf)
        said = _SAID.match(joined)
        if said:
            quotes.append((buf, "“" + said.group("q").strip(" ,") + "”", said.group("a") or said.group("b")))
            buf = []
        elif joined.rstrip(" .").endswith(("”", '"')) and len(joined) > 2:
            quotes.append((buf, joined, None))
            buf = []
        elif len(buf) > 8:
            buf = []
    if len(quotes) < 4:
        return []
    named = [who for _, _, who in quotes if who]
    people = sorted(set(named), key=named.index)
    if len(named) >= 0.75 * len(quotes) and 2 <= len(people) <= 3:
        labels = []
        for _, _, who in quotes:  # an unattributed quote goes to the other of the last two speakers
            labels.append(who or (people[1] if labels and labels[-1] == people[0] else people[0]))
    elif not named:
        pair = ("Pembicara 1", "Pembicara 2") if lang == "id" else ("Speaker 1", "Speaker 2")
        labels = [pair[i % 2] for i in range(len(quotes))]
    else:
        return []
    return _as_turns(layout, [(lines, words, label) for (lines, words, _), label in zip(quotes, labels, strict=True)])


def _as_turns(layout: Layout, spoken: list[tuple[list[Aside], str, str]]) -> list[Turn]:
    """Prose lines that hold a turn (lines, words, who said them): one Turn each, in the place of its first line;
    the other lines go."""
    out: list[Turn] = []
    replace: dict[int, Turn] = {}
    dropped: set[int] = set()
    for lines, words, label in spoken:
        t = Turn(label=label, text=words, line=lines[0].line, info=parse_label(label))
        out.append(t)
        replace[id(lines[0])] = t
        dropped |= {id(x) for x in lines[1:]}
    layout.items = [replace.get(id(x), x) for x in layout.items if id(x) not in dropped]
    return out


_PERSON = r"(?:(?:Bu|Pak|Ibu|Bapak|Kak|Mr\.?|Mrs\.?|Ms\.?|Miss)\s)?[A-Z][a-z]+"
_TOLD = re.compile(r"[”\"]\s*,?\s*(?:" + _SAID_ID + r"|ulang|lanjut|bisik|seru|timpal|said|asked|"
                   r"replied|answered|added|repeated)\s+(?P<n>" + _PERSON + r")")
_QUOTE = re.compile(r"[“\"]([^”\"]{2,})[”\"]")


def _story_quotes(layout: Layout) -> list[Turn]:
    """A story told in paragraphs, the talk in quotations among narration ("Tegar menarik kursi. “Anu, Bu…”",
    "“…,” ulang Bu Nisa sambil mengangguk. “Kalau itu tercapai…?”"): each paragraph with a quotation is one turn,
    said by the person its attribution names, else by the named person its narration starts with, else by the
    other of the two. Only when two people are named as speaking, at least six such paragraphs."""
    prose = [x for x in layout.items if isinstance(x, Aside) and x.kind == "prose"]
    paragraphs: list[list[Aside]] = []
    for x in prose:
        if paragraphs and x.line == paragraphs[-1][-1].line + 1:
            paragraphs[-1].append(x)
        else:
            paragraphs.append([x])
    found = []
    for para in paragraphs:
        text = " ".join(x.text for x in para)
        quotes = _QUOTE.findall(text)
        if quotes:
            told = _TOLD.search(text)
            words = "“" + " ".join(q.strip(" ,") for q in quotes) + "”"   # quotation marks kept, as _quoted_turns
            found.append((para, words, told.group("n") if told else None, text))
    named = Counter(who for *_, who, _ in found if who)
    people = [who for who, _ in named.most_common(2)]
    if len(found) < 6 or len(people) < 2 or sum(named.values()) < 3:
        return []
    spoken: list[tuple[list[Aside], str, str]] = []
    for para, words, who, text in found:
        if who not in people:
            lead = text.split("“")[0].split('"')[0]
            who = next((p for p in people if lead.startswith(p)), None)
        if who is None:
            who = people[1] if spoken and spoken[-1][2] == people[0] else people[0]
        spoken.append((para, words, who))
    return _as_turns(layout, spoken)


def _conversations(layout: Layout, turns: list[Turn], groups: list[Group]) -> list[list[Turn]]:
    """Split where a new conversation starts: after prose, the speakers before and after are different
    people, or a line announces the next example ("Contoh percakapan 2")."""
    owner = {id(t): g.key for g in groups for t in g.turns}
    minor = {g.key for g in groups if len(g.turns) < 2 or g.kind in ("header", "observer")}
    cuts: list[int] = []
    turn_pos = {id(t): i for i, t in enumerate(turns)}
    seen_prose: list[str] = []
    last_turn = -1
    for x in layout.items:
        if isinstance(x, Turn):
            i = turn_pos[id(x)]
            if seen_prose and last_turn >= 3:
                before = {owner[id(t)] for t in turns[(cuts[-1] if cuts else 0):i]} - minor
                after = {owner[id(t)] for t in turns[i:]} - minor
                announced = any(rules().next_conversation.search(p) for p in seen_prose)
                if (before and after and not before & after) or (announced and i - (cuts[-1] if cuts else 0) >= 4):
                    cuts.append(i)
            seen_prose = []
            last_turn = i - (cuts[-1] if cuts else 0)
        elif x.kind in ("prose", "cast"):
            seen_prose.append(x.text)
    bounds = [0] + cuts + [len(turns)]
    runs = [turns[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    # A run where nobody speaks twice (a cast list read as lines of talk, a page's "Label: value" lines) is no
    # conversation of its own: it goes with the run after it (before it, at the end of the page).
    def talk(run: list[Turn]) -> bool:
        return max(Counter(owner[id(t)] for t in run).values()) >= 2
    while len(runs) > 1 and not all(map(talk, runs)):
        k = next(i for i, r in enumerate(runs) if not talk(r))
        j = k + 1 if k + 1 < len(runs) else k - 1
        lo, hi = min(k, j), max(k, j)
        runs[lo:hi + 1] = [runs[lo] + runs[hi]]
    # A run where one person talks with the observer (the pre-observation talk of a practice triad) is not a
    # conversation of its own: it is set aside with the coaching that follows it.
    observer = {g.key for g in groups if g.kind == "observer"}
    merged: list[list[Turn]] = []
    for run in runs:
        people = {owner[id(t)] for t in run} - observer - minor
        if merged and len({owner[id(t)] for t in merged[-1]} - observer - minor) < 2:
            merged[-1] = merged[-1] + run
        elif merged and len(people) < 2:
            merged[-1] = merged[-1] + run
        else:
            merged.append(run)
    return merged


_FAQ_PAIRS = ({"q", "a"}, {"t", "j"}, {"p", "j"}, {"tanya", "jawab"}, {"question", "answer"}, {"pertanyaan", "jawaban"})
_STUDENT = re.compile(r"^(s|ss|st|student|students|pupil|siswa|murid|peserta didik|pd)\s*\d*$", re.I)


def _not_a_coaching_talk(groups: list[Group], name: str, lang: str) -> None:
    """Pages with labelled lines that are no coaching conversation, refused in one line rather than scored: an FAQ
    ("T: … / J: …", "Q: … / A: …") and a lesson (a teacher with several students: "T:", "S3:", "S5:")."""
    top = sorted((g for g in groups if g.kind not in ("header", "observer")), key=lambda g: -len(g.turns))[:2]
    asks = next((g for g in top if g.label.lower() in ("q", "t", "p", "tanya", "question", "pertanyaan")), None)
    # An FAQ asks one plain question a line; "Q: Hi Maya, come in. So your tutor says …?" is someone talking
    # (a counsellor's write-up where "Q is me and A is Maya").
    if len(top) == 2 and {g.label.lower() for g in top} in _FAQ_PAIRS and asks is not None \
            and all(re.fullmatch(r"[^.!?]+\?", t.text.strip()) for t in asks.turns):
        raise DocumentError(_msg("faq", name=name, speakers=f"{top[0].label}/{top[1].label}"), lang,
                            tuple(g.label for g in top))
    students = sorted({label for g in groups for label in g.labels if _STUDENT.match(label.strip())})
    if len(students) >= 3:
        raise DocumentError(_msg("lesson", name=name, speakers=", ".join(students[:6])), lang, tuple(students))


_THIRD_PERSON = re.compile(r"\b(the (student|teacher|coach|coachee|client|child|pupil|kid)s?'?s?|she|he|her|his)\b", re.I)


def _commentators(groups: list[Group], roles: dict[str, str]) -> list[Group]:
    """With two others talking, a speaker who mostly talks about them, not to them: a training page's commentator
    ("Coach: The student is feeling dysregulated. It might be helpful for Ms. Abbie to try ..."), set aside like an
    observer. A turn is about the others when it asks nothing and names one of them or speaks of "the student",
    "she" ... For English only: in Indonesian a person is spoken to by name ("Pak Firman hari ini tampak kurang
    semangat")."""
    talkers = [g for g in groups if g.key not in roles and g.kind != "header" and len(g.turns) >= 2]
    out = []
    for g in talkers:
        others = [o for o in talkers if o is not g]
        if len(others) < 2:
            continue
        names = {w for o in others for w in re.findall(r"\b[A-Z][a-z]{2,}\b", o.label)}
        about = sum(1 for t in g.turns if "?" not in t.text and (
            _THIRD_PERSON.search(t.text) or any(re.search(rf"\b{re.escape(n)}\b", t.text) for n in names)))
        if about * 2 > len(g.turns):
            out.append(g)
    return out


def _decide(groups: list[Group], layout: Layout, name: str, lang: str, coach: str | None,
            text: str) -> tuple[dict[str, str], dict[str, Text], bool, bool]:
    """Role for every group key, the evidence, whether it was inferred from behaviour, and confidence."""
    roles: dict[str, str] = {}
    evidence: dict[str, Text] = {}
    observers = [(v, line) for k, v, line in layout.cast if k == "observer"] + [
        (who, quote) for who, k, _, quote in declarations(layout.prose) if k == "observer"]
    for g in groups:
        if g.kind == "observer":
            roles[g.key], evidence[g.key] = "observer", _msg("ev_observer")
        elif g.kind is None and any(matches_name(g, who) for who, _ in observers):
            line = next(line for who, line in observers if matches_name(g, who))
            roles[g.key], evidence[g.key] = "observer", _msg("ev_cast", line=line[:60])
        elif g.kind == "header":
            roles[g.key], evidence[g.key] = "other", _msg("ev_minor", turns=len(g.turns))
    if lang == "en":
        for g in _commentators(groups, roles):
            roles[g.key], evidence[g.key] = "observer", _msg("ev_commentary")
    speakers = sorted((g for g in groups if g.key not in roles), key=lambda g: -len(g.turns))
    if coach is not None:
        return _user_choice(groups, speakers, roles, evidence, coach, name, lang)
    if not speakers:
        raise DocumentError(_msg("no_dialogue", name=name), lang)
    # key -> [(kind, role word, evidence)]; kind: coach | coachee (the document says so) or weak_coach |
    # weak_coachee (a role word that usually coaches / is coached: guru, murid, kepala sekolah ...)
    votes: dict[str, list[tuple[str, str, Text]]] = {}

    def vote(g: Group, kind: str, word: str, ev: Text) -> None:
        votes.setdefault(g.key, []).append((kind, word, ev))

    for g in speakers:  # 1. the label says so
        if g.kind in ("coach", "coachee", "weak_coach", "weak_coachee"):
            typo = all(i.typo for i in g.infos if i.kind == g.kind)
            vote(g, g.kind, g.word, _msg("ev_typo", label=g.label, word=g.word) if typo
                 else _msg("ev_label", word=g.word))
    counselling = any(w in text.lower() for w in rules().rules.counselling_words)
    for g in speakers:  # "K": Konselor in BK, Klien elsewhere
        if {i.raw.lower() for i in g.infos} == {"k"}:
            partner = next((o for o in speakers if o is not g), None)
            if partner is not None and (counselling or partner.kind == "weak_coachee") and partner.kind != "coach":
                votes[g.key] = [("coach", "k", _msg("ev_counselling"))]
    if not any(v[0] in ("coach", "coachee") for vs in votes.values() for v in vs):
        for kind, value, line in layout.cast:  # 2. the cast list
            for g in speakers:
                if kind in ("coach", "coachee", "weak_coach", "weak_coachee") and (
                        matches_name(g, value) or (g.word and g.word == value.lower().strip())):
                    vote(g, kind, value.lower(), _msg("ev_cast", line=line[:60]))
        for who, kind, word, quote in declarations(layout.prose):  # 3. the introduction
            for g in speakers:
                if kind in ("coach", "coachee", "weak_coach", "weak_coachee") and matches_name(g, who):
                    vote(g, kind, word, _msg("ev_prose", quote=quote))
    if all(len(g.turns) < 2 for g in speakers) and not any(v[0] in ("coach", "coachee") for vs in votes.values()
                                                           for v in vs):
        # "Diterbitkan: 3 Mei", "Referensi: …", "Download PDF: …": nobody speaks twice - page text, no talk to
        # choose a coach in (the refusal said "cannot tell which is the coach among Diterbitkan, Referensi")
        raise DocumentError(_msg("no_talk", name=name, speakers=", ".join(g.label for g in speakers[:4])), lang)
    main = _main_pair(speakers, votes)
    for g in speakers:
        if g not in main:
            roles[g.key] = "other"
            evidence[g.key] = _msg("ev_minor", turns=len(g.turns))
    if len(main) < 2:
        only = main[0] if main else speakers[0]
        if only.kind == "coachee":
            raise DocumentError(_msg("no_coach", name=name), lang, (only.label,))
        seen = ", ".join(g.label for g in groups if roles.get(g.key) == "observer")
        raise DocumentError(_msg("one_speaker_observer" if seen else "one_speaker", name=name, speakers=only.label,
                                 observers=seen), lang, (only.label,))
    a, b = main
    coach_g, decided = _resolve(a, b, votes)
    inferred, confident = False, True
    if coach_g is None:  # 5. behaviour
        ba, bb = behaviour(a.turns), behaviour(b.turns)
        margin = ba.score - bb.score
        if abs(margin) < REFUSE or min(ba.turns, bb.turns) < 2:
            # (the two who talk, not every "Step 1:" of the page around them)
            raise DocumentError(_msg("undecided", name=name, speakers=", ".join(g.label for g in main)), lang,
                                tuple(g.label for g in main))
        coach_g = a if margin > 0 else b
        inferred, confident = True, abs(margin) >= CONFIDENT
        for g, bh in ((a, ba), (b, bb)):
            decided[g.key] = _msg("ev_behaviour", q=bh.questions, n=bh.turns, c=bh.coach_moves, p=bh.problem)
    coachee_g = b if coach_g is a else a
    roles[coach_g.key], roles[coachee_g.key] = "coach", "coachee"
    for g, partner in ((coach_g, coachee_g), (coachee_g, coach_g)):
        evidence[g.key] = decided[g.key] if g.key in decided else _msg("ev_partner", other=partner.label)
    return roles, evidence, inferred, confident


def _resolve(a: Group, b: Group, votes: dict) -> tuple[Group | None, dict[str, Text]]:
    """The coach of the pair from the votes: what the document says (coach/coachee) beats what a role word
    suggests (guru over murid, kepala sekolah over guru); contradictions decide nothing."""
    def best(g: Group):
        vs = votes.get(g.key, [])
        strong = [v for v in vs if v[0] in ("coach", "coachee")]
        return (strong or vs or [None])[0]

    va, vb = best(a), best(b)
    strong_a = va is not None and va[0] in ("coach", "coachee")
    strong_b = vb is not None and vb[0] in ("coach", "coachee")
    evidence = {g.key: v[2] for g, v in ((a, va), (b, vb)) if v is not None}
    if strong_a and strong_b:
        if va[0] == vb[0]:
            return None, {}
        return (a if va[0] == "coach" else b), evidence
    if strong_a or strong_b:
        g, v = (a, va) if strong_a else (b, vb)
        return (g if v[0] == "coach" else (b if g is a else a)), {g.key: v[2]}
    if va is None and vb is None:
        return None, {}
    if va is None or vb is None:
        g, v = (a, va) if va is not None else (b, vb)
        return (g if v[0] == "weak_coach" else (b if g is a else a)), {g.key: v[2]}
    if va[0] != vb[0]:
        return (a if va[0] == "weak_coach" else b), evidence
    if va[0] == "weak_coach":
        order = rules().rules.weak_coach
        ra = order.index(va[1]) if va[1] in order else 99
        rb = order.index(vb[1]) if vb[1] in order else 99
        if ra != rb:
            return (a if ra < rb else b), evidence
    return None, {}


def _main_pair(speakers: list[Group], votes: dict[str, list]) -> list[Group]:
    """The coach and the coachee: the speakers the document names as such, else the two who speak most."""
    by_role: dict[str, Group] = {}
    talk = any(len(g.turns) >= 3 for g in speakers)
    for g in speakers:
        if talk and len(g.turns) < 2:
            continue   # a line that names a role once ("Guru (Coachee) : Lestari") is no speaker of the dialogue
        for kind, _, _ in votes.get(g.key, []):
            if kind in ("coach", "coachee"):
                by_role.setdefault(kind, g)
    pair = [g for g in (by_role.get("coach"), by_role.get("coachee")) if g is not None]
    for g in speakers:
        if len(pair) >= 2:
            break
        if g not in pair and (len(g.turns) >= 2 or len(speakers) == 2):
            pair.append(g)
    if len(pair) == 1:
        # One speaker of two turns and a one-line answer between them, among numbered points of the article
        # ("Step 1: ...", "Manager: ...", "Team Member: ...", "Manager: ..."): the one who answers is the partner.
        lines = [t.line for t in pair[0].turns]
        pair += [g for g in speakers if g is not pair[0] and len(g.turns) == 1
                 and min(lines) < g.turns[0].line < max(lines)][:1]
    return pair


def _user_choice(groups, speakers, roles, evidence, coach, name, lang):
    want = coach.strip().lower()
    candidates = [g for g in groups if g.kind != "header"]
    exact = [g for g in candidates if want in g.names() or want == g.label.lower()]
    hits = exact or [g for g in candidates if any(n.startswith(want) for n in g.names() | {g.label.lower()})]
    labels = ", ".join(g.label for g in candidates)
    if not hits:
        raise DocumentError(_msg("unknown_coach", name=name, coach=coach, speakers=labels), lang)
    if len(hits) > 1:
        raise DocumentError(_msg("ambiguous_coach", name=name, coach=coach,
                                 speakers=", ".join(g.label for g in hits)), lang)
    chosen = hits[0]
    rest = sorted((g for g in candidates if g is not chosen and roles.get(g.key) != "observer"),
                  key=lambda g: (g.kind != "coachee", -len(g.turns)))  # a label that says coachee comes first
    if not rest:
        raise DocumentError(_msg("one_speaker", name=name, speakers=chosen.label), lang)
    roles[chosen.key], evidence[chosen.key] = "coach", _msg("ev_user")
    roles[rest[0].key], evidence[rest[0].key] = "coachee", _msg("ev_partner", other=chosen.label)
    for g in rest[1:]:
        roles.setdefault(g.key, "other")
        evidence.setdefault(g.key, _msg("ev_minor", turns=len(g.turns)))
    return roles, evidence, False, True


def _assemble(layout: Layout, chosen: list[Turn], groups: list[Group], roles: dict[str, str],
              evidence: dict[str, Text], name: str, lang: str) -> Document:
    owner = {id(t): g.key for g in groups for t in g.turns}
    stage_words = rules().rules.stage_words.id + rules().rules.stage_words.en
    utterances: list[Utterance] = []
    stage = sum(1 for x in layout.items if isinstance(x, Aside) and x.kind == "stage")
    set_aside_turns: Counter = Counter()
    after_observer = 0
    coaching_started = 0
    for t in chosen:
        role = roles.get(owner[id(t)], "other")
        if after_observer:
            after_observer += 1
            continue
        if role == "observer" and coaching_started >= 4:
            after_observer = 1  # the observer takes over after the coaching: the debrief is not scored
            continue
        if role not in ("coach", "coachee"):
            set_aside_turns[owner[id(t)]] += 1
            continue
        body, n = _strip_stage(t.text, stage_words)
        stage += n
        body = _clean(body)
        if not body or stage_only(body, stage_words):
            stage += 1
            continue
        coaching_started += 1
        utterances.append(Utterance(role, body))
    if len(utterances) > MAX_TURNS:
        raise InputError(f"{name}: {len(utterances):,} turns — the evaluator reads at most {MAX_TURNS:,}; "
                         "split the transcript")
    label_of = {g.key: g.label for g in groups}
    speakers = [Speaker(g.label, roles.get(g.key, "other"), len(g.turns), evidence.get(g.key, _msg(
        "ev_minor", turns=len(g.turns)))) for g in groups if g.kind != "header"]
    speakers.sort(key=lambda s: (ROLES.index(s.role), -s.turns))
    doc = Document(transcript=Transcript(lang=lang, turns=utterances), speakers=speakers, name=name)
    kinds = Counter(x.kind for x in layout.items if isinstance(x, Aside))
    if kinds["noise"]:
        doc.set_aside.append(_msg("aside_noise", n=kinds["noise"]))
    if kinds["prose"]:
        doc.set_aside.append(_msg("aside_prose", n=kinds["prose"]))
    headers = sum(len(g.turns) for g in groups if g.kind == "header")
    if kinds["cast"] + headers:
        doc.set_aside.append(_msg("aside_cast", n=kinds["cast"] + headers))
    if stage:
        doc.set_aside.append(_msg("aside_stage", n=stage))
    if set_aside_turns:
        who = ", ".join(label_of[k] for k in set_aside_turns)
        doc.set_aside.append(_msg("aside_observer", n=sum(set_aside_turns.values()), who=who))
        minor = [label_of[k] for k in set_aside_turns if roles.get(k) == "other" and set_aside_turns[k] >= 2 and
                 next(g for g in groups if g.key == k).kind != "header"]
        if minor:
            doc.warnings.append(_msg("warn_third", who=", ".join(minor)))
    if after_observer:
        doc.set_aside.append(_msg("aside_after_observer", n=after_observer))
    return doc


def _strip_stage(text: str, stage_words: list[str]) -> tuple[str, int]:
    """Remove short parenthesised stage directions from a turn ("(Tertawa kecil)", "(sambil tersenyum)");
    keep parentheses that hold speech (they use "saya", "I", "you" ...)."""
    count = 0

    def repl(m):
        nonlocal count
        inner = m.group(1)
        if len(inner.split()) <= 8 and not PRONOUNS.search(inner):
            count += 1
            return " "
        return m.group(0)

    return re.sub(r"\(([^()]{1,80})\)", repl, text), count


def _common_warnings(doc: Document) -> None:
    turns = doc.transcript.turns
    n = sum(t.speaker == "coach" for t in turns)
    if n < 3:
        doc.warnings.append(_msg("warn_few_coach", n=n))
    if turns and not turns[-1].text.rstrip().endswith(TERMINAL) and len(turns) >= 4:
        doc.warnings.append(_msg("warn_cut"))


_LABEL_INSIDE = re.compile(r"(?:^|[\s|])[A-Z][\w.]{0,14}\s*:\s*[“\"]")


def _guard_collapse(doc: Document, layout: Layout, text: str, name: str) -> None:
    """Never score a document read as one or two turns out of a page of text: that is a layout we did not
    understand, not a conversation."""
    turns = doc.transcript.turns
    spoken = sum(len(t.text) for t in turns)
    noise = sum(len(x.text) for x in layout.items if isinstance(x, Aside) and x.kind == "noise")
    total = max(len(text) - noise, 1)
    if not turns:
        raise DocumentError(_msg("no_dialogue", name=name), doc.lang)
    swallowed = max((len(_LABEL_INSIDE.findall(t.text)) for t in turns), default=0) >= 3
    if len(turns) < 4 and (spoken < 0.3 * total or swallowed):
        # (or one turn holds other people's labelled lines: a table read as a turn, "… | T: "Okay…" | S3: …")
        raise DocumentError(_msg("collapsed", name=name, turns=len(turns)), doc.lang)
    if not any(t.speaker == "coach" for t in turns):
        raise DocumentError(_msg("no_coach", name=name), doc.lang)
