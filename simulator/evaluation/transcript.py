"""A coaching transcript: what the evaluator reads. CONTRACT (keep the names):

    Utterance(speaker: "coach" | "coachee", text: str)
    Transcript(lang: str, turns: list[Utterance])
    parse_transcript(text: str, name: str = "transcript") -> Transcript   # JSON or labelled plain text
    load_transcript(path) -> Transcript
    read_transcript_bytes(path) -> bytes                                 # path checks, one-line errors

Real documents as found (titles, cast lists, observers, odd labels, roles to infer) are read by
document.read_document, which uses this module's types and, for JSON, this parser.

Two input forms:
- JSON: {"lang": "id", "turns": [{"speaker": "coach" | "coachee", "text": "..."}]} (lang optional).
- Plain text, one turn per line with a speaker label ("Coach:", "Coachee:", "Guru:", "Rekan:", "C:", "K:",
  "Bu Rina:" ...). A line without a label continues the previous turn. Which label is the coach: a label
  from the known coach set, else the partner of a known coachee label, else the first speaker.
Bad input raises InputError with one line that says what is wrong and where.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import InputError
from simulator.vocabulary import LANGS

MAX_TURNS = 2000
MAX_BYTES = 2_000_000

# Speaker labels, lower case. Strong labels decide on their own; weak ones only against each other.
COACH_LABELS = {"coach", "pelatih", "c", "fasilitator", "facilitator", "therapist", "terapis", "konselor",
                "counselor", "counsellor", "supervisor", "t"}
COACHEE_LABELS = {"coachee", "coachi", "k", "klien", "client", "konseli", "cl", "p", "patient"}
# Weak labels: coach-like when the other speaker is coachee-like (Guru coaching Murid, Kepala Sekolah
# coaching Guru). Order matters: earlier = more likely the coach.
WEAK_COACH_ORDER = ["kepala sekolah", "kepsek", "pengawas", "guru penggerak", "pendamping", "mentor",
                    "guru", "teacher", "principal"]
WEAK_COACHEE = {"rekan", "rekan guru", "teman", "teman sejawat", "murid", "siswa", "siswi", "peserta didik",
                "student", "colleague", "peer", "orang tua", "wali murid"}
OTHER_LABELS = {"observer", "pengamat", "moderator", "narrator", "narator", "interviewer", "pewawancara"}
JSON_SPEAKERS = {"coach": "coach", "coachee": "coachee"} | {x: "coach" for x in COACH_LABELS} | {
    x: "coachee" for x in COACHEE_LABELS}

_LABEL = re.compile(
    r"^\s*(?:[-*>]\s*)?(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s*)?"  # bullet, [00:12] time stamp
    r"\**(?P<label>[^\W\d_][\w.'’ -]{0,29}?)\**\s*[:：]\**\s*(?P<text>.*)$"
)

_ID_WORDS = set("yang dan saya ibu bapak apa bagaimana tidak ini itu di ke dengan untuk sudah akan bisa kita "
                "pak bu anak kelas siswa ada juga kami mereka karena jadi kalau seperti belum lebih dari "
                "nggak gimana kenapa mengapa apakah".split())
_EN_WORDS = set("the and you i what how to is it that of in for with was have do are my your this we they "
                "so can would about not be what's it's don't i'm".split())


@dataclass(frozen=True)
class Utterance:
    speaker: str  # "coach" | "coachee"
    text: str


@dataclass
class Transcript:
    lang: str = "id"
    turns: list[Utterance] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"lang": self.lang, "turns": [{"speaker": t.speaker, "text": t.text} for t in self.turns]}

    def coach_indices(self) -> list[int]:
        return [i for i, t in enumerate(self.turns) if t.speaker == "coach"]


def detect_lang(text: str) -> str:
    """'id' or 'en' from function-word counts (Indonesian on a tie: the first users write Indonesian)."""
    words = re.findall(r"[a-z']+", text.lower())
    id_hits = sum(w in _ID_WORDS for w in words)
    en_hits = sum(w in _EN_WORDS for w in words)
    return "en" if en_hits > id_hits else "id"


# A text that opens with a tag in brackets is text, not JSON: a timestamp ("[00:05.58]MALE STUDENT: ..."), a speaker
# ("[Coach] ...") or a note ("[Transkrip]"). A page of a real transcript read "invalid JSON at line 1" (session 15).
_BRACKET_TAG = re.compile(r"\[\s*[^\]\[{}\"\s,][^\]\[{}\"\n]{0,40}\]")


def looks_like_json(stripped: str) -> bool:
    """Does the text (leading blanks stripped) open like JSON ("{", "[{", "[\n") rather than with a tag in brackets?"""
    return stripped[:1] in ("{", "[") and not _BRACKET_TAG.match(stripped)


def parse_transcript(text: str | bytes, name: str = "transcript") -> Transcript:
    """Parse JSON or labelled plain text into a Transcript; raise InputError naming `name` if unusable."""
    if isinstance(text, bytes):
        text = _decode(text, name)
    if len(text) > MAX_BYTES:
        raise InputError(f"{name}: too large ({len(text):,} characters; at most {MAX_BYTES:,}) — split it")
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file, not a transcript (JSON or labelled text)")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InputError(f"{name}: empty transcript — expected JSON or lines like 'Coach: ...'")
    if looks_like_json(stripped):
        transcript = _parse_json(stripped, name)
    else:
        transcript = _parse_text(stripped, name)
    if len(transcript.turns) > MAX_TURNS:
        raise InputError(f"{name}: {len(transcript.turns):,} turns — the evaluator reads at most "
                         f"{MAX_TURNS:,}; split the transcript")
    if not any(t.speaker == "coach" for t in transcript.turns):
        raise InputError(f"{name}: no coach turns — label the coach's lines (e.g. 'Coach:' or 'Guru:') "
                         "or use speaker \"coach\" in JSON")
    return transcript


def load_transcript(path: str | Path) -> Transcript:
    return parse_transcript(read_transcript_bytes(path), name=str(path))


def read_transcript_bytes(path: str | Path) -> bytes:
    """The bytes of a transcript file; a missing, folder, huge or unreadable path is one InputError line."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file — give the path of a transcript (.json or .txt)")
    if p.is_dir():
        raise InputError(f"{p}: is a folder — give the path of a transcript file (.json or .txt)")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES * 2:
            raise InputError(f"{p}: too large ({size:,} bytes) — split the transcript")
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if len(data) >= 4:
        # UTF-16 without a byte-order mark: every other byte of ASCII-range text is NUL.
        for offset, codec in ((1, "utf-16-le"), (0, "utf-16-be")):
            if data[offset::2].count(0) > 0.3 * (len(data) // 2):
                try:
                    return data.decode(codec)
                except UnicodeDecodeError:
                    raise InputError(f"{name}: UTF-16 text that cannot be decoded — save the transcript "
                                     "as UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (bad byte at offset {exc.start}) — "
                         "save the transcript as UTF-8") from None


def _parse_json(text: str, name: str) -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if isinstance(data, list):
        data = {"turns": data}
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise InputError(f"{name}: JSON must be an object with a \"turns\" list "
                         "([{\"speaker\": \"coach\", \"text\": \"...\"}, ...])")
    if len(data["turns"]) > MAX_TURNS:
        raise InputError(f"{name}: {len(data['turns']):,} turns — the evaluator reads at most "
                         f"{MAX_TURNS:,}; split the transcript")
    turns: list[Utterance] = []
    for i, raw in enumerate(data["turns"], start=1):
        if not isinstance(raw, dict):
            raise InputError(f"{name}: turn {i} must be an object with \"speaker\" and \"text\"")
        speaker, body = raw.get("speaker"), raw.get("text")
        role = JSON_SPEAKERS.get(str(speaker).strip().lower()) if isinstance(speaker, str) else None
        if role is None:
            raise InputError(f"{name}: turn {i}: unknown speaker {speaker!r} — use \"coach\" or \"coachee\"")
        if not isinstance(body, str):
            raise InputError(f"{name}: turn {i}: \"text\" must be a string")
        body = _clean(body)
        if body:
            turns.append(Utterance(role, body))
    lang = data.get("lang")
    if lang is None or lang == "auto":
        lang = detect_lang(" ".join(t.text for t in turns))
    elif lang not in LANGS:
        raise InputError(f"{name}: \"lang\" must be \"id\" or \"en\", not {lang!r}")
    return Transcript(lang=lang, turns=turns)


def _parse_text(text: str, name: str) -> Transcript:
    raw_turns: list[list] = []  # [label, [lines]]
    labels: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _LABEL.match(line)
        label = _norm_label(m.group("label")) if m else None
        if label is not None and label not in labels and len(labels) >= 2 and not _known(label):
            label = None  # "Catatan: ..." inside a turn once both speakers are known: a continuation
        if label is None:
            if not raw_turns:
                raise InputError(f"{name}: line {lineno} has no speaker label — start each turn with "
                                 "'Coach:' / 'Coachee:' (or Guru:, Rekan:, C:, K:, a name and a colon)")
            raw_turns[-1][1].append(line.strip())
            continue
        if label not in labels:
            if len(labels) >= 2:
                raise InputError(f"{name}: line {lineno}: a third speaker {m.group('label')!r} "
                                 f"(already {', '.join(labels)}) — a transcript has one coach and one coachee")
            labels.append(label)
        raw_turns.append([label, [m.group("text").strip()]])
    coach = _which_is_coach(labels)
    turns = []
    for label, lines in raw_turns:
        body = _clean(" ".join(x for x in lines if x))
        if body:
            turns.append(Utterance("coach" if label == coach else "coachee", body))
    return Transcript(lang=detect_lang(" ".join(t.text for t in turns)), turns=turns)


def _norm_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip(" *.").lower())


def _known(label: str) -> bool:
    return (label in COACH_LABELS or label in COACHEE_LABELS or label in WEAK_COACHEE or label in WEAK_COACH_ORDER
            or label in OTHER_LABELS)


def _which_is_coach(labels: list[str]) -> str | None:
    for label in labels:
        if label in COACH_LABELS:
            return label
    others = [x for x in labels if x not in COACHEE_LABELS]
    if len(labels) == 2 and len(others) == 1:
        return others[0]
    if len(labels) == 1:
        return None if labels[0] in COACHEE_LABELS or labels[0] in WEAK_COACHEE else labels[0]
    non_coachee = [x for x in labels if x not in WEAK_COACHEE and x not in COACHEE_LABELS]
    if len(non_coachee) == 1:
        return non_coachee[0]
    ranked = [x for x in WEAK_COACH_ORDER if x in labels]
    if ranked:
        return ranked[0]
    # two unknown names: the first speaker is the coach; never a label that names the coachee
    return next((x for x in labels if x not in COACHEE_LABELS and x not in WEAK_COACHEE), None)


def _clean(text: str) -> str:
    text = "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()
