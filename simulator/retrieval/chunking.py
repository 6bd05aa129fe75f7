"""Knowledge files as text: reading (with mojibake repair), heading-aware chunking, and the tokens BM25 uses.

Everything here is pure text handling, no index and no model: simulator/retrieval/search.py embeds and stores the
chunks. A file is read as UTF-8 (falling back to Windows-1252 with a note), repaired where a UTF-8 text was
once decoded as cp1252 ("Ã©" -> "é"), then cut at its headings and by size so each chunk keeps its heading trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.config import KNOWLEDGE_DIR
from simulator.errors import InputError

CHUNK_SIZE = 1000      # characters, before the heading is prepended
CHUNK_OVERLAP = 120


@dataclass(frozen=True)
class Chunk:
    text: str          # the chunk body as stored and shown
    heading: str       # heading trail, "" when the file has none
    index: int

    @property
    def embed_text(self) -> str:
        """What the model embeds: the heading trail travels with the body so a chunk keeps its topic."""
        return f"{self.heading}\n\n{self.text}" if self.heading else self.text


# --------------------------------------------------------------------------------------------------- reading


_CP1252_TAIL = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
# A UTF-8 sequence that was decoded as cp1252: a lead byte (Â..ô) followed by continuation bytes.
_MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_TAIL}]+")
_STRAY_A = re.compile("\u00c2(?=[\\s\u00a0]|$)", re.M)


def _cp1252_byte(ch: str) -> bytes:
    """cp1252 leaves five bytes (0x81, 0x8d, 0x8f, 0x90, 0x9d) undefined; mis-decoders pass them through."""
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        if ord(ch) < 256:
            return bytes([ord(ch)])
        raise


def repair_text(text: str) -> tuple[str, bool]:
    """Undo common mojibake; returns (text, whether anything was repaired).

    Each suspicious run is re-encoded as cp1252 and decoded as UTF-8 only when that round trip succeeds, so
    correct accented text is never touched. A lone "Â" before a space is the remains of a mis-decoded
    no-break space and is dropped; no-break spaces become plain spaces.
    """
    repairs = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repairs
        run = match.group(0)
        try:
            fixed = b"".join(_cp1252_byte(ch) for ch in run).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run
        repairs += 1
        return fixed

    text = _MOJIBAKE_RUN.sub(fix, text)
    text, stray = _STRAY_A.subn("", text)
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = "\n".join(line.strip() for line in text.splitlines())
    return text, bool(repairs or stray)


def read_document(path: Path) -> tuple[str, str | None]:
    """The text of a .md/.txt file and an optional note. Raises InputError with one line a person can act on."""
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied); fix its permissions or leave it out.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}); check the file.") from None
    if not raw.strip():
        raise InputError(f"{path}: the file is empty; add text to it or leave it out.")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: looks like a binary file, not text; only .md and .txt text files can be ingested.")
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        note = "not UTF-8; read as Windows-1252 (save it as UTF-8 to be sure accents are right)"
    text, repaired = repair_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if repaired and note is None:
        note = "repaired stray mis-decoded characters (e.g. 'Â')"
    if not text.strip():
        raise InputError(f"{path}: contains no readable text; add text to it or leave it out.")
    return text, note


# -------------------------------------------------------------------------------------------------- chunking


def _splitter(size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    # Sentence ends before spaces, so an over-long line (thousands of characters) splits at a full stop.
    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=overlap, separators=["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""],
        keep_separator="end",
    )


_REFERENCES = re.compile(r"^(sumber|sources?|references?|rujukan|referensi|daftar pustaka|bibliography)\b",
                         re.IGNORECASE)


def chunk_markdown(text: str) -> list[Chunk]:
    """Split at headings (#..####), then by size; each chunk keeps its heading trail ("RASA > Summarize").
    Reference-list sections ("## Sumber", "## Sources") are left out of the index."""
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    levels = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]
    sections = MarkdownHeaderTextSplitter(levels, strip_headers=True).split_text(text)
    splitter = _splitter()
    chunks: list[Chunk] = []
    for section in sections:
        trail = [section.metadata[key].strip() for _, key in levels if section.metadata.get(key)]
        if trail and _REFERENCES.match(trail[-1]):
            continue   # a bibliography teaches nothing and crowds out real passages for short queries
        heading = " > ".join(trail)
        for piece in splitter.split_text(section.page_content):
            if piece.strip():
                chunks.append(Chunk(piece.strip(), heading, len(chunks)))
    return chunks


def _is_title(line: str) -> bool:
    """A short line without a sentence end reads as a heading in plain-text notes."""
    return 0 < len(line) <= 80 and not line.endswith((".", ",", ";", ":", "?", "!")) and len(line.split()) <= 12


def chunk_text(text: str) -> list[Chunk]:
    """Plain text: paragraphs (one per line or blank-line separated) packed up to the chunk size; an over-long
    paragraph is split at sentence ends. A short title-like line becomes the heading of what follows."""
    splitter = _splitter()
    chunks: list[Chunk] = []
    heading, buffer = "", ""

    def flush() -> None:
        nonlocal buffer
        if buffer.strip():
            chunks.append(Chunk(buffer.strip(), heading, len(chunks)))
        buffer = ""

    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            continue
        if _is_title(line):
            flush()
            heading = line.lstrip("#-*0123456789. )").strip() or line
            continue
        if len(line) > CHUNK_SIZE:
            flush()
            for piece in splitter.split_text(line):
                chunks.append(Chunk(piece.strip(), heading, len(chunks)))
            continue
        if buffer and len(buffer) + 1 + len(line) > CHUNK_SIZE:
            flush()
        buffer = f"{buffer}\n{line}" if buffer else line
    flush()
    return chunks


def chunk_document(path: Path, text: str) -> list[Chunk]:
    return chunk_markdown(text) if path.suffix.lower() in (".md", ".markdown") else chunk_text(text)


# -------------------------------------------------------------------------------------------------- language

_STOP = {
    "id": set("yang dan di ini itu dengan untuk dari tidak adalah dalam akan pada juga saya kita atau bisa ada "
              "ke oleh sebagai karena agar bagaimana apa apakah anda ibu bapak mereka sudah belum lebih "
              "dapat tersebut seorang bahwa para serta hal kami kamu jika kalau saat setelah".split()),
    "en": set("the and of to is in that it for with as are this be on not you what how your they was were "
              "have has can their about which when who an or from by will would should do does more".split()),
}
STOPWORDS = _STOP["id"] | _STOP["en"]
_WORD = re.compile(r"\w+", re.UNICODE)


def detect_lang(text: str, default: str = "id") -> str:
    """Tiny stop-word vote between Indonesian and English; `default` on a tie."""
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    id_votes = sum(w in _STOP["id"] for w in words)
    en_votes = sum(w in _STOP["en"] for w in words)
    if id_votes == en_votes:
        return default
    return "id" if id_votes > en_votes else "en"


def lang_from_path(path: Path) -> str | None:
    """knowledge/id/... -> "id", knowledge/en/... -> "en"."""
    for part in reversed(path.parts[:-1]):
        if part in ("id", "en"):
            return part
    return None


_ID_PARTICLES = ("nya", "lah", "kah", "pun")
_ID_SUFFIXES = ("kan", "an", "i")
_ID_PREFIXES = ("memper", "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "ber", "ter",
                "di", "ke")


def stem_id(word: str) -> str:
    """A crude Indonesian stemmer (particles, -kan/-an/-i, me-/pe-/ber-/ter-/di-/ke- prefixes) for BM25 only:
    "merangkum", "rangkuman" -> "rangkum"; "menghambat", "penghambat" -> "hambat". It need not be right, only
    consistent, since queries and passages go through the same function."""
    for particle in _ID_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 4:
            word = word[: -len(particle)]
            break
    for prefix in _ID_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            word = word[len(prefix):]
            break
    for suffix in _ID_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word


def stem_en(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ly ("questions" -> "question", "listening" -> "listen")."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "ly", "es", "s"):
        if word.endswith(suffix) and not word.endswith(("ss", "us", "is")) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Lower-case unicode words without the commonest Indonesian/English function words, each followed by its
    stem for `lang` (detected when not given) marked with "~". The exact word and the stem are both terms, so
    an exact match counts double: "RASA" still prefers "RASA" over "merasakan" (whose stem is also ~rasa)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    stem = stem_en if (lang or detect_lang(text)) == "en" else stem_id
    return [term for w in words for term in (w, "~" + stem(w))]


EXTENSIONS = (".md", ".markdown", ".txt")   # what `pamong ingest` reads


def source_name(path: Path, root: Path) -> str:
    """How a file is named in the index: relative to the ingested folder's parent ("seeds/000_x.txt"); anything
    inside the repository's knowledge/ folder is always "knowledge/...", however it was ingested."""
    path = path.resolve()
    knowledge = KNOWLEDGE_DIR.resolve()
    if path == knowledge or knowledge in path.parents:
        return path.relative_to(knowledge.parent).as_posix()
    base = root.resolve().parent if root.resolve() != path else path.parent.parent
    return path.relative_to(base).as_posix()
