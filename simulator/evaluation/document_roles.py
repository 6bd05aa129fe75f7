"""Who is who in a real transcript: speakers from labels, then the coach from what the document says.

Order of evidence (the first that decides wins, and is reported):
1. the label says the role ("Coach", "Name/Coachee", "Chitra (Coach)", "COACH", "Cocah" as a typo);
2. the cast list maps names to roles ("Coach : Tri" above a dialogue between "Tri" and "Rida");
3. the introduction says so ("saya Retno sebagai coach", "Pak Ilham, sebagai Kepala Sekolah");
4. a pair of role words where one usually coaches the other (guru/murid, kepala sekolah/guru,
   konselor/siswa; "K" is the Konselor in a school-counselling transcript);
5. behaviour: who asks, who checks understanding, who brings the problem ("saya bingung", "masalah saya").
   Reported as a guess; too small a difference is refused rather than scored.
The rule "the first speaker is the coach" is never used: in published practice scripts the coachee often
opens ("Assalamualaikum Bu, boleh minta waktunya?").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from simulator.evaluation.document_layout import LabelInfo, Turn, norm, osa, role_word, rules

# Behaviour margins (coach-likeness of one speaker minus the other's, per turn). Chosen on the development
# transcripts and our own synthetic ones: a real coach/coachee pair differs by 0.6-1.5; below REFUSE the
# two speakers are not told apart and the reader asks instead of guessing.
CONFIDENT = 0.55
REFUSE = 0.3


@dataclass
class Group:
    """One speaker: every label that names the same person or role."""
    key: str
    labels: Counter = field(default_factory=Counter)
    infos: list[LabelInfo] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    kind: str | None = None        # strongest role word in its labels
    word: str = ""
    typo_of: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0]

    def names(self) -> set[str]:
        out = {norm(x) for x in self.labels}
        for info in self.infos:
            if info.name:
                out.add(norm(info.name))
            if info.abbr:
                out.add(info.abbr.lower())
        return out


def _tokens(name: str) -> set[str]:
    honor = set(rules().rules.honorifics)
    return {w for w in re.findall(r"[a-z]+", name.lower()) if w not in honor and len(w) > 1}


def group_key(info: LabelInfo) -> str:
    if info.kind in ("coach", "coachee"):
        return "role:" + info.kind
    if info.kind == "observer":
        return "role:observer"
    return "name:" + norm(info.name or info.raw)


def build_groups(turns: list[Turn], declared_abbr: dict[str, tuple[str, str | None, str]]
                 ) -> tuple[list[Group], list[tuple[str, str]]]:
    """Group turns by speaker, resolve abbreviations ("PI" -> "Pak Ilham (PI)") and merge label typos into
    the nearest main speaker once two speakers are known. Returns the groups and the merged (typo, into)."""
    groups: dict[str, Group] = {}
    abbr_of: dict[str, str] = {}
    for t in turns:
        if t.info.abbr:
            abbr_of[t.info.abbr.lower()] = group_key(t.info)
    for t in turns:
        key = group_key(t.info)
        short = t.label.strip().lower()
        declared: tuple[str | None, str] = (None, "")
        if t.info.kind is None and short in abbr_of:
            key = abbr_of[short]
        elif t.info.kind is None and short in declared_abbr:
            key, *declared = declared_abbr[short]
        g = groups.setdefault(key, Group(key=key))
        if g.kind is None and declared[0] is not None:  # "the Head Teacher (HT)": HT's role word
            g.kind, g.word = declared
        g.labels[t.label] += 1
        g.infos.append(t.info)
        g.turns.append(t)
        if t.info.kind is not None and (g.kind is None or t.info.kind in ("coach", "coachee", "observer")):
            g.kind, g.word = t.info.kind, t.info.word
        if t.info.typo:
            g.typo_of.append(t.label)
    # Initials: "BW" for "Bu Wiguna" when nothing declared it.
    for key, g in list(groups.items()):
        if not re.fullmatch(r"name:[a-z]{2,3}", key):
            continue
        for other in groups.values():
            words = other.label.split()
            if other is not g and len(words) >= 2 and "".join(w[0] for w in words).lower() == key[5:]:
                _merge(other, g)
                del groups[key]
                break
    merged: list[tuple[str, str]] = []
    ordered = sorted(groups.values(), key=lambda x: -len(x.turns))
    main = [g for g in ordered if g.kind != "header"][:2]
    if len(main) == 2 and len(main[1].turns) >= 3:
        for g in ordered:
            if g in main or len(g.turns) > 2 or g.kind in ("coach", "coachee", "observer"):
                continue
            a = g.key.split(":", 1)[1]
            best = min(main, key=lambda m: osa(a, m.key.split(":", 1)[1]))
            b = best.key.split(":", 1)[1]
            if best.key.startswith("name:") and osa(a, b) <= max(1, min(2, len(b) // 4)):
                merged.append((g.label, best.label))
                _merge(best, g)
                del groups[g.key]
    for g in groups.values():
        for label in g.typo_of:
            merged.append((label, g.word.capitalize()))
    return sorted(groups.values(), key=lambda x: x.turns[0].line), merged


def _merge(into: Group, g: Group) -> None:
    into.labels.update(g.labels)
    into.infos += g.infos
    into.turns = sorted(into.turns + g.turns, key=lambda t: t.line)


# ----------------------------------------------------------------------------------------- declarations
_DECLARE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s*(?:\([A-Z]{1,3}\))?\s*,?\s*"
    r"(?:sebagai|selaku|yang merupakan|adalah|,?\s*seorang|as(?: the| a| an| my)?|is(?: the| a| an| my| our)?)\s+"
    r"(?:seorang\s+|salah satu\s+)?(?P<w1>[A-Za-z-]+)(?:\s+(?P<w2>[A-Za-z-]+))?")
_ABBR = re.compile(r"(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*|coach|coachee|klien|client)\s*"
                   r"\((?P<abbr>[A-Z]{1,3})\)")


def declarations(prose: str) -> list[tuple[str, str, str, str]]:
    """(name, role kind, role word, quote) for every "NAME sebagai ROLE" / "NAME as the ROLE" in the prose."""
    out = []
    for m in _DECLARE.finditer(prose):
        kind, word = None, ""
        if m.group("w2"):
            kind, word, _ = role_word(f"{m.group('w1')} {m.group('w2')}")
        if kind is None:
            kind, word, _ = role_word(m.group("w1"))
        if kind in (None, "header"):
            continue
        out.append((m.group("name"), kind, word, m.group(0)[:80]))
    return out


def declared_abbreviations(prose: str) -> dict[str, tuple[str, str | None, str]]:
    """"Usrok (U) dan coach (C)" -> {"u": ("name:usrok", None, ""), "c": ("role:coach", "coach", "coach")}:
    the speaker's group key, and the role word the declaration gives it ("the Head Teacher (HT)")."""
    out = {}
    for m in _ABBR.finditer(prose):
        name = m.group("name")
        kind, word, _ = role_word(name)
        if kind == "header":
            kind, word = None, ""
        key = f"role:{kind}" if kind in ("coach", "coachee") else "name:" + norm(name)
        out[m.group("abbr").lower()] = (key, kind, word)
    return out


def matches_name(group: Group, name: str) -> bool:
    """A cast-list or prose name refers to this speaker: every name word of the label is in it (honorifics
    and degrees ignored), or the other way round."""
    want = _tokens(name)
    if not want:
        return False
    for n in group.names():
        have = _tokens(n)
        if have and (have <= want or want <= have):
            return True
    return False


# ----------------------------------------------------------------------------------------- behaviour
@dataclass(frozen=True)
class Behaviour:
    turns: int
    questions: int
    coach_moves: int
    problem: int

    @property
    def score(self) -> float:
        n = max(self.turns, 1)
        return (self.questions + self.coach_moves - 1.5 * self.problem) / n


def behaviour(turns: list[Turn]) -> Behaviour:
    r = rules()
    q = c = p = 0
    for t in turns:
        text = t.text
        q += "?" in text
        c += any(x.search(text) for x in r.coach_moves)
        p += any(x.search(text) for x in r.coachee_moves)
    return Behaviour(turns=len(turns), questions=q, coach_moves=c, problem=p)
