"""Layouts that people publish a dialogue in, rewritten to one `Label: words` line per turn before the layout pass
(document_layout.split_lines) reads the page. Pure functions over lines; each leaves a page it does not recognise
unchanged.

    normalise(lines) -> lines
        a chat export ("02/03/24 19.47 - Bu Wulan BK: …"): the date and time dropped, the app's notices set aside
        a table copied from Word or a PDF (cells split by tabs or "|"): the speaker column and the words column
        a label alone on its line with no colon ("COACH", "PAK HARTONO", "Speaker 1  0:05"), the words below it
        markdown emphasis, a timestamp or a turn number in front of a label ("**[00:00:13] Marcus:**", "6  ST:")
"""

from __future__ import annotations

import re
from collections import Counter

# ------------------------------------------------------------------------------------------------ chat exports
_CHAT = re.compile(r"^\s*\[?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?\]?"
                   r"\s*[-–]?\s*(?P<rest>.*)$")
_CHAT_SAID = re.compile(r"^(?P<name>[^:]{1,40}?):\s(?P<text>.*)$")
_CHAT_NOTICE = re.compile(r"^<?(media tidak disertakan|media omitted|pesan ini telah dihapus|this message was deleted|"
                          r"anda menghapus pesan ini|you deleted this message|gambar dihilangkan|image omitted|"
                          r"stiker tidak disertakan|sticker omitted)>?$", re.I)


def _chat(lines: list[str]) -> list[str]:
    if sum(bool(_CHAT.match(ln)) for ln in lines) < 4:
        return lines
    out = []
    for line in lines:
        m = _CHAT.match(line)
        if not m:
            out.append(line)
            continue
        said = _CHAT_SAID.match(m.group("rest"))
        if said is None:
            out.append(m.group("rest"))          # an app notice ("Pesan dan panggilan terenkripsi …"): prose
        elif _CHAT_NOTICE.match(said.group("text").strip()):
            out.append(f"{said.group('name')}: ({said.group('text').strip(' <>')})")   # a stage direction
        else:
            out.append(f"{said.group('name')}: {said.group('text')}")
    return out


# ------------------------------------------------------------------------------------------------ tables
def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.count("|") >= 2:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    else:
        return None
    return cells if len(cells) >= 3 else None


def _short(cell: str) -> bool:
    return 0 < len(cell) <= 30 and len(cell.split()) <= 4 and not cell.endswith(("?", ".", "!")) \
        and not cell.isdigit()


def _table(lines: list[str]) -> list[str]:
    """Rows of three cells or more, one column of which holds the speaker (short, few values, repeated) and
    another the words (the longest cell): "Speaker: words". A row with no speaker goes on the turn before."""
    rows = [(i, c) for i, c in enumerate(map(_cells, lines)) if c is not None]
    if len(rows) < 4:
        return lines
    width = Counter(len(c) for _, c in rows).most_common(1)[0][0]
    body = [(i, c + [""] * (width - len(c))) for i, c in rows if len(c) >= width - 1]
    best = None
    for col in range(width):
        values = [c[col] for _, c in body if c[col]]
        counts = Counter(values)
        repeated = [v for v, n in counts.items() if n >= 2]
        if len(values) >= 4 and all(_short(v) for v in repeated) and 2 <= len(repeated) <= 4 \
                and sum(counts[v] for v in repeated) >= 0.6 * len(values):
            words = max((k for k in range(width) if k != col),
                        key=lambda k: sum(len(c[k]) for _, c in body))
            score = sum(counts[v] for v in repeated)
            if best is None or score > best[0]:
                best = (score, col, words, set(repeated))
    if best is None:
        return lines
    _, col, words, speakers = best
    out = list(lines)
    for i, c in body:
        if c[col] in speakers and c[words]:
            out[i] = f"{c[col]}: {c[words]}"
        elif not c[col] and c[words] and not any(c[k] for k in range(width) if k not in (col, words)):
            out[i] = c[words]   # words going on from the row above
    return out


# ------------------------------------------------------------------------------------------------ bare labels
_TIME_AFTER = re.compile(r"\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*$")
_BARE = re.compile(r"^[A-Za-z][\w.'’ ()/-]{0,29}$")


def osa(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment edit distance (a transposition counts once): "Cocah" is one edit from
    "Coach". Stops early above `limit` because only near-misses matter. (Here for the bare labels; the label pass
    and the speakers use it too.)"""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _bare_key(line: str) -> str | None:
    text = _TIME_AFTER.sub("", line.strip()).strip(" *_")
    if not text or not _BARE.match(text) or text.endswith((".", "?", "!", ",")):
        return None
    if len(text.split()) > 4 or not (text[0].isupper()):
        return None
    return text


def _bare_labels(lines: list[str]) -> list[str]:
    """A speaker's label alone on its line, no colon, the words on the lines below ("COACH" / "Selamat siang …"):
    labels that come back at least twice, two of them or more, each time followed by words."""
    keys = [(_bare_key(ln) if ln.strip() else None) for ln in lines]

    def words_follow(i: int) -> bool:
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        return j < len(lines) and keys[j] is None and len(lines[j].split()) >= 2

    counts = Counter(k for i, k in enumerate(keys) if k and words_follow(i))
    recurring = {k for k, n in counts.items() if n >= 2}
    if len(recurring) < 2 or sum(counts[k] for k in recurring) < 6:
        return lines
    out, i = [], 0
    while i < len(lines):
        k = keys[i]
        label = k if k in recurring else next((r for r in recurring if k and osa(k.upper(), r.upper(), 1) <= 1),
                                               None)
        if label is not None and words_follow(i):
            j = i + 1
            while not lines[j].strip():
                j += 1
            out.append(f"{k}: {lines[j].strip()}")   # the label as written: a typo is merged later, and said so
            i = j + 1
            continue
        out.append(lines[i])
        i += 1
    return out


# ------------------------------------------------------------------------------------------------ prefixes
_EMPHASIS = re.compile(r"^(\s*)(\*\*|__|\*|_)(?P<inner>[^*_\n]{1,60}?)\2(?P<after>\s*:?)")
_STAMP = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*[-–]?\s*(?=[A-Z][\w .'’()/-]{0,30}:\s)")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]?\s+(?=[A-Z][\w .'’()/-]{0,30}:\s)")


def _prefixes(line: str) -> str:
    m = _EMPHASIS.match(line)
    if m:   # "**Coach:** …", "**Bu Sari** : …", "**[00:00:13] Marcus:** …"
        inner = m.group("inner").strip()
        colon = ":" if inner.endswith(":") or m.group("after").strip() == ":" else ""
        line = f"{m.group(1)}{inner.rstrip(':')}: {line[m.end():].lstrip()}" if colon else line
    line = _STAMP.sub("", line)
    return _NUMBER.sub("", line)


def normalise(lines: list[str]) -> list[str]:
    lines = _chat(lines)
    lines = _table(lines)
    lines = [_prefixes(ln) for ln in lines]
    return _bare_labels(lines)
