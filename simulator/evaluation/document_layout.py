"""The layout pass of the document reader: lines of a real transcript as found -> turns and set-aside lines.

A published coaching script is rarely one turn per line. It has page furniture ("Anda di halaman 1dari 3"),
a title and an introduction, a cast list, headings between the TIRTA stages, stage directions, text wrapped
over several lines by a PDF export (sometimes with blank lines inside a turn), Word tables flattened to
`Guru | … |`, and labels in many shapes. This module only says WHERE the turns are and what each label says;
who is the coach is decided in document_roles.py. Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from simulator.content import Strict, load_yaml
from simulator.evaluation.document_formats import normalise, osa

RULES_PATH = Path(__file__).resolve().parent / "rules" / "document.yaml"


class _Msg(Strict):
    id: str
    en: str


class _Roles(Strict):
    coach: list[str]
    coachee: list[str]
    observer: list[str]


class _ByLang(Strict):
    id: list[str]
    en: list[str]


class _Behaviour(Strict):
    coach: list[str]
    coachee: list[str]


class Rules(Strict):
    roles: _Roles
    weak_coach: list[str]
    weak_coachee: list[str]
    counselling_words: list[str]
    headers: list[str]
    honorifics: list[str]
    stage_words: _ByLang
    next_conversation: str
    noise: str
    behaviour: _Behaviour
    messages: dict[str, _Msg]


class _Compiled(BaseModel):
    """The rules with their regular expressions compiled once."""
    model_config = {"arbitrary_types_allowed": True}
    rules: Rules
    noise: re.Pattern
    next_conversation: re.Pattern
    coach_moves: list[re.Pattern]
    coachee_moves: list[re.Pattern]
    role_of: dict[str, str]  # exact role word -> coach | coachee | observer | weak_coach | weak_coachee | header


@lru_cache(maxsize=1)
def rules() -> _Compiled:
    r = load_yaml(RULES_PATH, Rules, what="document rules")
    role_of: dict[str, str] = {}
    for kind, words in (("header", r.headers), ("weak_coachee", r.weak_coachee), ("weak_coach", r.weak_coach),
                        ("observer", r.roles.observer), ("coachee", r.roles.coachee), ("coach", r.roles.coach)):
        for w in words:
            role_of[w.lower()] = kind  # later (stronger) kinds win on a word listed twice
    return _Compiled(rules=r, noise=re.compile(r.noise), next_conversation=re.compile(r.next_conversation),
                     coach_moves=[re.compile(p, re.I) for p in r.behaviour.coach],
                     coachee_moves=[re.compile(p, re.I) for p in r.behaviour.coachee], role_of=role_of)


# ------------------------------------------------------------------------------------------------ labels
_LABEL = re.compile(
    r"^\s*(?:[•●▪◦·∙‣*>]\s*|[-–]\s+|\d{1,3}[.)]\s+|[ivxl]{1,6}[.)]\s+)?"  # a bullet, a list number ("3.", "iv.")
    r"(?:\[?\(?\d{1,2}[:.]\d{2}(?::\d{2})?\)?\]?\s*)?"         # a [00:12] time stamp
    r"\**[\"“]?(?P<label>[^\W\d_][^:：\n\"“”?!|]{0,44}?)\**\s*"
    r"(?P<sep>[:：]|\s[-–—]\s)\**\s*(?P<text>.*)$")
_STRONG = ("coach", "coachee", "observer")
TERMINAL = tuple(".?!…”\"’')»")
PRONOUNS = re.compile(r"\b(saya|aku|kamu|anda|kita|kami|i|you|we|my|your|me|don't|i'm)\b", re.I)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip(" \t*.:")).lower()


@lru_cache(maxsize=4096)
def role_word(part: str) -> tuple[str | None, str, bool]:
    """(kind, the role word, typo?) for one label part: exact words first, then near-misses of the strong
    role words (never of names: only words of 5+ letters, within 1 edit, or 2 for 7+ letters)."""
    p = norm(part)
    kinds = rules().role_of
    if p in kinds:
        return kinds[p], p, False
    first = p.split(" ", 1)[0]
    if " " in p and kinds.get(first) == "header":  # "Tujuan Pembelajaran Khusus", "Nama Siswa"
        return "header", first, False
    letters = re.sub(r"[^a-z ]", "", p).strip()
    if letters in kinds and len(letters) > 1:
        return kinds[letters], letters, False
    numbered = re.fullmatch(r"(.+?) (?:[a-z]|\d{1,2})", p)  # "Guru B", "Siswa 1", "Observer 2"
    if numbered and numbered.group(1) in kinds:
        return kinds[numbered.group(1)], numbered.group(1), False
    if " " in letters or len(letters) < 3:
        return None, p, False
    best: list[tuple[int, str]] = []
    for word, kind in kinds.items():
        if kind not in _STRONG or len(word) < 5 or " " in word:
            continue
        d = osa(letters, word)
        if d <= (2 if len(word) >= 7 else 1) or (len(letters) >= 3 and word.startswith(letters) and
                                                   kind in ("coach", "coachee")):
            best.append((0 if word.startswith(letters) and d > 1 else d, word))
    if not best:
        return None, p, False
    best.sort(key=lambda x: (x[0], len(x[1])))
    words = [w for d, w in best if d == best[0][0]]
    if {"coach", "coachee"} <= set(words):  # "Coache": one edit from both; the extra letters say coachee
        return "coachee" if len(letters) > 5 else "coach", ("coachee" if len(letters) > 5 else "coach"), True
    word = words[0]
    return kinds[word], word, True


@dataclass(frozen=True)
class LabelInfo:
    raw: str
    kind: str | None        # coach | coachee | observer | weak_coach | weak_coachee | header | None (a name)
    word: str               # the role word it matched ("" for a bare name)
    typo: bool
    name: str               # the person's name part ("" when the label is only a role word)
    abbr: str               # "PI" in "Pak Ilham (PI)"


@lru_cache(maxsize=4096)
def parse_label(raw: str) -> LabelInfo:
    raw = re.sub(r"\s+", " ", raw.strip(" *\t"))
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", raw)
    parts = [m.group(1), m.group(2)] if m else (raw.split("/", 1) if "/" in raw else [raw])
    parts = [x.strip() for x in parts if x.strip()]
    kind, word, typo, names, abbr = None, "", False, [], ""
    for part in parts:
        k, w, t = role_word(part)
        if k is not None and (kind is None or (kind not in _STRONG and k in _STRONG)):
            if kind is not None:
                names.append(word)
            kind, word, typo = k, w, t
        elif re.fullmatch(r"[A-Z]{1,3}", part) and len(parts) == 2:
            abbr = part
        else:
            names.append(part)
    return LabelInfo(raw=raw, kind=kind, word=word, typo=typo, name=" ".join(names), abbr=abbr)


def plausible_label(label: str) -> bool:
    """A speaker label, not the first words of a sentence that happens to contain a colon."""
    label = label.strip(" *")
    words = label.split()
    if not words or len(words) > 6 or len(label) > 45 or "," in label:
        return False
    info = parse_label(label)
    if info.kind is not None:
        return True
    numbered = [w for w in words if re.search(r"\d", w)]
    if numbered and not re.fullmatch(r"[A-Z]{1,3}\d{1,2}", label) and not (
            all(re.fullmatch(r"\d{1,2}[A-Za-z]?|[A-Za-z]{1,4}-?\d{1,2}[A-Za-z]?", w) for w in numbered)
            and any(re.fullmatch(r"[^\W\d_]{2,}", w) for w in words)):
        return False   # ("Siswa 1", "P1" / "P2", a class after a name, "Dimas 9B", are labels; "13.15 – 13.40 WIB" is not)
    honor = set(rules().rules.honorifics)
    after_honorific = False
    for w in re.split(r"[ /()]+", label):
        if not w:
            continue
        # a name after a title may be written in lower case ("Bu cucu"); a sentence may not ("dengan guru")
        if not (w[0].isupper() or w.lower().strip(".") in honor or w[0].isdigit() or after_honorific):
            return False
        after_honorific = w.lower().strip(".") in honor and w[0].isupper()
    return True


# ------------------------------------------------------------------------------------------------ lines
@dataclass
class Turn:
    label: str          # as written (spaces collapsed)
    text: str
    line: int
    info: LabelInfo
    table: bool = False


@dataclass
class Aside:
    kind: str           # noise | prose | cast | stage
    text: str
    line: int


@dataclass
class Layout:
    items: list = field(default_factory=list)      # Turn | Aside, in document order
    cast: list[tuple[str, str, str]] = field(default_factory=list)   # (role kind, value, line as written)
    prose: str = ""                                # all prose joined, for declarations ("X sebagai coach")


_INLINE = re.compile(r"(?:^|(?<=[.?!…”\"')]\s))(?P<label>[A-Z][\w.'’]*(?:\s[A-Z0-9][\w.'’]*){0,2})\s?:\s")


def _unflatten(line: str) -> list[str]:
    """A dialogue flattened into one paragraph ("A: Halo. B: Apa kabar? A: Baik."): split it before each
    label that recurs; a paragraph that merely contains a colon stays whole."""
    if len(line) < 200:
        return [line]
    hits = list(_INLINE.finditer(line))
    counts: dict[str, int] = {}
    for m in hits:
        counts[m.group("label")] = counts.get(m.group("label"), 0) + 1
    recurring = {k for k, n in counts.items() if n >= 2}
    if len(recurring) < 2 or sum(counts[k] for k in recurring) < 4:
        return [line]
    cuts = [m.start() for m in hits if m.group("label") in recurring and m.start() > 0]
    bounds = [0] + cuts + [len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if line[a:b].strip()]


_SHORT_LABEL = re.compile(r"^\s*([A-Z][A-Za-z]{0,3})\s*:")


def _line_start_labels(lines: list[str]) -> set[str]:
    """Short speaker labels ("K", "AL", "Ko") that open lines of the document (none unless three lines do)."""
    counts: dict[str, int] = {}
    for line in lines:
        m = _SHORT_LABEL.match(line)
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return set(counts) if sum(counts.values()) >= 3 else set()


def _split_known(line: str, known: set[str]) -> list[str]:
    """A short line holding two turns ("K : Suka menyanyi? AL : Iya bu."): split before another short label
    that opens lines elsewhere in the document, written with a colon after it."""
    m = _SHORT_LABEL.match(line)
    if not m or m.group(1) not in known or len(known) < 2:
        return [line]
    others = "|".join(re.escape(k) for k in sorted(known - {m.group(1)}, key=len, reverse=True))
    if not others:
        return [line]
    cuts = [c.start(1) for c in re.finditer(rf"\s((?:{others}|{re.escape(m.group(1))})\s*:\s)", line[m.end():])]
    bounds = [0] + [m.end() + c for c in cuts] + [len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if line[a:b].strip()]


def _table_cells(line: str) -> list[str] | None:
    if line.count("|") < 1:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _name_like(text: str) -> bool:
    """A cast-list value ("Pak Fatchur", "Chitra Sintarani, S.Pd.", "Asih dari SMK 1", "guru"), not a short
    turn ("Baik bu.")."""
    t = text.strip().strip("“”\"")
    # who the person is, in brackets or after a dash, is no part of the name ("Bu Rina (Rina Marlina, S.Pd. – CGP
    # Angkatan 8, guru Bahasa Indonesia)", "Pak Andi Setiawan, S.Pd. – guru IPA kelas VIII")
    t = re.split(r"\s[–—-]\s", re.sub(r"\s*[(\[][^)\]]*[)\]]", "", t))[0].strip() or t
    if not t or re.search(r"[?!“”\"]", t) or len(t.split()) > 12:
        return False
    # "NAME dari/from PLACE": only the name before the origin counts
    if "," in t:  # only a degree may follow a comma ("Chitra, S.Pd."), never a sentence ("Nak, bisakah ...")
        after = t.split(",", 1)[1].strip()
        if len(after.split()) > 3 or "." not in after:
            return False
    head = re.split(r",|\s(?:dari|from|di|of|asal)\s", t)[0].strip()
    if len(head.split()) > 5:
        return False
    if head.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", head):
        return False
    honor = set(rules().rules.honorifics)
    words = [w for w in re.split(r"[\s,]+", head) if w]
    if rules().role_of.get(norm(head)) in ("weak_coach", "weak_coachee", "coach", "coachee", "observer"):
        return True
    return bool(words) and all(w[0].isupper() or w.lower().strip(".") in honor for w in words) and \
        any(w[0].isupper() for w in words)


_SCENARIO = re.compile(r"\b(coachee|coach|pengamat|observer|klien|client|supervisor)\s*[:：]", re.I)
_EQUALS = re.compile(r"([A-Za-z][\w ]{1,25}?)\s*(?:\([^)]*\))?\s*=\s*([^,;=]+)")


def _equals_cast(line: str) -> list[tuple[str, str]]:
    """A cast written with equals signs on one line ("Pengamat = Ayu, Coach = Bu Sari, Coachee = Pak Budi")."""
    if line.count("=") < 2:
        return []
    pairs = []
    for m in _EQUALS.finditer(line):
        kind, _, _ = role_word(m.group(1).strip())
        if kind in ("coach", "coachee", "observer", "weak_coach", "weak_coachee"):
            pairs.append((kind, m.group(2).strip()))
    return pairs if len(pairs) >= 2 else []


def _heading_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 5 and not line.endswith(TERMINAL) and (line[0].isupper() or line[0].isdigit())


def _open_quote(text: str) -> bool:
    opens, closes = text.count("“"), text.count("”")
    if opens or closes:
        return opens > closes
    return text.count('"') % 2 == 1


def stage_only(text: str, lang_words: list[str]) -> bool:
    """A whole turn or line that is a stage direction: "(bercerita masalah)", "Mulai menangis.."."""
    t = text.strip()
    if re.fullmatch(r"[\(\[][^()\[\]]*[\)\]][.…]*", t):
        return True
    words = t.lower().strip(" .…!").split()
    if not words or len(words) > 6 or PRONOUNS.search(t):
        return False
    first_two = " ".join(words[:2])
    return any(first_two.startswith(w) or words[0] == w for w in lang_words)


_BRACKET = re.compile(r"^\[(?P<label>[^\]\n]{1,30})\]\s*(?P<text>.*)$")


def _bracket_labels(lines: list[str]) -> set[str]:
    """Labels written in brackets ("[Mia] I'm writing a letter.", "[Me]" alone on its line): a bracketed name
    that recurs at line starts. A bracketed stage direction ("[laughing]", "[Pause]") is not one."""
    stage = rules().rules.stage_words.id + rules().rules.stage_words.en
    counts: dict[str, int] = {}
    for line in lines:
        m = _BRACKET.match(line)
        if m:
            counts[m.group("label")] = counts.get(m.group("label"), 0) + 1
    return {x for x, n in counts.items() if n >= 2 and plausible_label(x) and not stage_only(x, stage)}


def split_lines(text: str) -> Layout:
    """Turn the text into items: turns (with their continuation lines joined) and set-aside lines."""
    r = rules()
    lines = [part for line in normalise(text.splitlines()) for part in _unflatten(line)]
    short = _line_start_labels(lines)
    lines = [part for line in lines for part in _split_known(line, short)]
    stripped = [ln.strip() for ln in lines]
    brackets = _bracket_labels(stripped)
    parsed: list[tuple[int, str, object, bool]] = []  # (line no, kind, payload, blank_before)
    blank = False
    for no, line in enumerate(stripped, start=1):
        if not line:
            blank = True
            continue
        kind, payload = "plain", line
        if r.noise.match(line):
            kind = "noise"
        else:
            cells = _table_cells(line)
            if cells is not None and len(cells) >= 1 and plausible_label(cells[0]) and len(cells[0]) < 40:
                if len(cells) >= 2 and any(cells[1:]):
                    kind, payload = "turn", (cells[0], " ".join(c for c in cells[1:] if c), True)
                else:
                    kind, payload = "heading", cells[0]
            elif (b := _BRACKET.match(line)) and b.group("label") in brackets:
                kind, payload = "turn", (b.group("label"), b.group("text").strip(), False)
            else:
                m = _LABEL.match(line)
                if m and plausible_label(m.group("label")):
                    dash = m.group("sep").strip() in "-–—"
                    if not dash or parse_label(m.group("label")).kind in _STRONG:
                        kind, payload = "turn", (m.group("label"), m.group("text").strip(), False)
        parsed.append((no, kind, payload, blank))
        blank = False
    # Is this a document whose turns run over several lines? (PDF dumps; then an unfinished turn goes on
    # after a blank line.) A chat log with one line per turn says no, and its commentary stays out.
    multiline = any(parsed[i][1] == "turn" and parsed[i + 1][1] == "plain" and parsed[i + 1][2][:1].islower()
                    for i in range(len(parsed) - 1))
    layout = Layout()
    prose: list[str] = []
    current: Turn | None = None
    first_dialogue_seen = False
    speakers_seen: dict[str, int] = {}
    i = 0
    while i < len(parsed):
        no, kind, payload, blank_before = parsed[i]
        i += 1
        if kind == "noise":
            layout.items.append(Aside("noise", str(payload), no))
            continue
        if kind == "heading":
            current = None
            layout.items.append(Aside("prose", str(payload), no))
            prose.append(str(payload))
            continue
        if kind == "plain":
            line = str(payload)
            pairs = _equals_cast(line)
            if pairs:
                current = None
                layout.items.append(Aside("cast", line, no))
                layout.cast += [(k, v, line) for k, v in pairs]
                continue
            known = _known_prefix(line, speakers_seen, current)
            if known is not None:
                kind, payload = "turn", (known, line[len(known):].strip(), False)
            else:
                if stage_only(line, []) and current is not None:
                    layout.items.append(Aside("stage", line, no))
                    continue
                if current is not None and _continues(current.text, line, blank_before, multiline):
                    # a word hyphenated across the line break ("masalah-\nmasalah" stays one word)
                    glue = "" if current.text.endswith("-") and line[:1].islower() else " "
                    current.text = f"{current.text}{glue}{line}".strip()
                    continue
                current = None
                layout.items.append(Aside("prose", line, no))
                prose.append(line)
                continue
        label, body, table = payload
        info = parse_label(label)
        if info.kind == "header":
            current = None
            layout.items.append(Aside("cast", f"{label}: {body}", no))
            prose.append(body)
            continue
        if _SCENARIO.search(body) and info.kind is not None:
            current = None
            layout.items.append(Aside("cast", f"{label}: {body}", no))
            whole = f"{label}: {body}"
            for m in re.finditer(r"\b([\w ]{2,20}?)\s*[:：]\s*([^,:;.]+)", whole):
                k, _, _ = role_word(m.group(1))
                if k is not None:
                    layout.cast.append((k, m.group(2).strip(), whole))
            continue
        if info.kind is not None and body and _name_like(body) and (
                not first_dialogue_seen or not info.name and _cast_neighbour(parsed, i - 1)):
            # (before the dialogue a role label with a name is a cast line too: "P1 (Coach) : Bu Rina (CGP)")
            current = None
            layout.items.append(Aside("cast", f"{label}: {body}", no))
            layout.cast.append((info.kind, body, f"{label}: {body}"))
            continue
        if not body:
            # A label alone on its line ("Coach:") with the words on the next line; a bare "Aktor:" or
            # "Nama:" with nothing after it is a header.
            if i + 1 < len(parsed) and parsed[i][1] == parsed[i + 1][1] == "plain" and \
                    _heading_like(str(parsed[i][2])) and not _heading_like(str(parsed[i + 1][2])):
                # a stage heading between the label and its words ("[Me]" / "Research" / "Hi, Mia! ...")
                layout.items.append(Aside("prose", str(parsed[i][2]), parsed[i][0]))
                i += 1
            if i < len(parsed) and parsed[i][1] == "plain" and not _heading_like(str(parsed[i][2])):
                body = str(parsed[i][2])
                i += 1
            else:
                current = None
                layout.items.append(Aside("cast", label, no))
                continue
        current = Turn(label=re.sub(r"\s+", " ", label.strip(" *")), text=body, line=no, info=info, table=table)
        speakers_seen[current.label] = speakers_seen.get(current.label, 0) + 1
        first_dialogue_seen = True
        layout.items.append(current)
    layout.prose = " ".join(prose)
    return layout


def _cast_candidate(item) -> bool:
    no, kind, payload, _ = item
    if kind != "turn":
        return False
    info = parse_label(payload[0])
    return info.kind is not None and not info.name and bool(payload[1]) and _name_like(payload[1])


def _cast_neighbour(parsed: list, i: int) -> bool:
    """A cast line after some dialogue (a second cast list before the main conversation) comes in a block:
    the line before or after it is a cast line too. A lone "Coachee : Baik bu." stays a turn."""
    return any(0 <= j < len(parsed) and _cast_candidate(parsed[j]) for j in (i - 1, i + 1))


def _known_prefix(line: str, seen: dict[str, int], current: Turn | None) -> str | None:
    """A turn whose colon went missing ("Bu Ratih Heem.."): the line starts with a speaker label used at
    least twice, of two words or more, was someone else's, and the previous turn is finished or the words
    after the name start a sentence."""
    if current is None:
        return None
    ended = current.text.rstrip().endswith(TERMINAL)
    for label, count in seen.items():
        if count >= 2 and " " in label and label != current.label and line.startswith(label + " "):
            rest = line[len(label):].strip()
            if rest and (ended or rest[0].isupper()):
                return label
    return None


def _continues(previous: str, line: str, blank_before: bool, multiline: bool) -> bool:
    """Whether an unlabelled line goes on with the previous turn (a wrapped line) or is prose between turns
    (a heading, the narrator, commentary)."""
    prev = previous.rstrip()
    if _open_quote(prev):
        return True
    first = line[0]
    if first.islower() or first in ",;…-–":
        return True
    ended = prev.endswith(TERMINAL)
    if ended and _heading_like(line):
        return False
    if not blank_before:
        return True
    return multiline and not ended
