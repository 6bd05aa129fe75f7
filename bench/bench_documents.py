"""Benchmark the document reader (simulator/evaluation/document.py) on real transcripts AS FOUND.

    .venv/bin/python bench/bench_documents.py          # table + docs/reading-real-transcripts.md figures
    .venv/bin/python bench/bench_documents.py --show   # also each file's outcome

Each raw file ends in one of three ways:
- read right: the right coach and the right turns. Against a clean/ answer key (one `Coach:`/`Coachee:` line
  per turn): at least 80% of the key's coach lines are found as coach turns and 80% of its coachee lines as
  coachee turns (same start of text), and at least 80% of the coach turns read are coach lines of the key.
  Against a keys.tsv answer key (file, coach label, coachee label, approximate coach turns): the speaker read
  as the coach is the key's coach, and the number of coach turns is within 30% (or 2) of the key's.
- refused: a DocumentError, one clear line (the person is asked to choose with --coach or to fix the file);
- WRONG: scored, but with the wrong coach or the wrong turns — the outcome that must never happen.

Material: ../shared/data/real_transcripts (development half: raw/ + clean/, looked at while building the
reader) and, when present, ../extra_real or PAMONG_EXTRA_REAL (collected with the search tool, answer key keys.tsv by hand,
measured only), and bench/data/documents_blind/D1-D9: 90 pages nine helpers wrote blind to the reader in the
layouts teachers publish (BRIEF.md; D6-D9 held out). Writes bench/results/documents.json and the figures section of
docs/reading-real-transcripts.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.evaluation.document import DocumentError, read_document  # noqa: E402

DEV = Path(os.environ.get("PAMONG_REAL_TRANSCRIPTS", ROOT.parent / "shared" / "data" / "real_transcripts"))
if not DEV.exists() and "PAMONG_REAL_TRANSCRIPTS" not in os.environ:  # a worktree one level deeper
    DEV = ROOT.parent.parent / "shared" / "data" / "real_transcripts"
EXTRA = Path(os.environ.get("PAMONG_EXTRA_REAL", ROOT.parent / "extra_real"))
EXTRA2 = Path(os.environ.get("PAMONG_EXTRA_REAL2", ROOT.parent / "extra_real2"))   # session 15's, measured once first
DOC = ROOT / "docs" / "reading-real-transcripts.md"
BEGIN, END = "<!-- figures:begin (bench/bench_documents.py writes this section) -->", "<!-- figures:end -->"
PREFIX = 24


def _norm(text: str) -> str:
    text = re.sub(r"\([^()]*\)", " ", text.lower())
    return re.sub(r"[^0-9a-z]+", "", text)


def _found(line: str, pool: list[str]) -> bool:
    a = _norm(line)[:PREFIX]
    return bool(a) and any(p.startswith(a) or a.startswith(p[:PREFIX]) and len(p) >= 6 for p in pool)


def clean_key(path: Path) -> dict[str, list[str]]:
    key: dict[str, list[str]] = {"coach": [], "coachee": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        role, _, text = line.partition(":")
        if role.strip().lower() in key and text.strip():
            key[role.strip().lower()].append(text.strip())
    return key


def judge_clean(doc, key: dict[str, list[str]]) -> tuple[bool, str]:
    got = {r: [_norm(t.text) for t in doc.transcript.turns if t.speaker == r] for r in ("coach", "coachee")}
    recall = {r: sum(_found(x, got[r]) for x in key[r]) / max(len(key[r]), 1) for r in key}
    keyn = [_norm(x) for x in key["coach"]]
    precision = sum(_found(t.text, keyn) for t in doc.transcript.turns if t.speaker == "coach") / max(
        len(got["coach"]), 1)
    ok = recall["coach"] >= 0.8 and recall["coachee"] >= 0.8 and precision >= 0.8
    return ok, f"coach recall {recall['coach']:.0%}, coachee recall {recall['coachee']:.0%}, precision {precision:.0%}"


def judge_label(doc, coach: str, coachee: str, turns: int) -> tuple[bool, str]:
    """Against keys.tsv. A key of 0 coach turns means there is no coaching to score (an article, a
    pre-observation talk only): any reading of it is wrong."""
    got = doc.coach()
    if turns == 0:
        return False, f"nothing to score, but read with coach '{got.label if got else '-'}'"
    n = sum(t.speaker == "coach" for t in doc.transcript.turns)
    if got is None:
        return False, "no coach"
    a, b = got.label.lower(), coach.lower()
    same = a in b or b in a or bool(set(re.findall(r"[a-z]{3,}", a)) & set(re.findall(r"[a-z]{3,}", b)))
    close = abs(n - turns) <= max(2, 0.3 * turns)
    return same and close, f"coach read '{got.label}' ({n} turns) vs key '{coach}' (~{turns})"


def run_set(items: list[tuple[str, bytes, object]]) -> dict:
    rows = []
    times = []
    for name, data, key in items:
        t0 = time.perf_counter()
        scorable = not (isinstance(key, tuple) and key[2] == 0)
        try:
            doc = read_document(data, name=name)
        except DocumentError as exc:
            times.append(time.perf_counter() - t0)
            line = str(exc)
            rows.append({"file": name, "outcome": "refused", "why": line, "one_line": "\n" not in line,
                         "scorable": scorable})
            continue
        times.append(time.perf_counter() - t0)
        ok, why = judge_clean(doc, key) if isinstance(key, dict) else judge_label(doc, *key)
        coach = doc.coach()
        rows.append({"file": name, "outcome": "right" if ok else "WRONG", "why": why, "scorable": scorable,
                     "coach": coach.label if coach else None, "inferred": doc.roles_inferred,
                     "confident": doc.confident, "conversations": doc.conversations})
    conv = [r for r in rows if r["scorable"]]
    n = len(conv)
    count = {k: sum(r["outcome"] == k for r in conv) for k in ("right", "refused", "WRONG")}
    empty = [r for r in rows if not r["scorable"]]
    return {"files": len(rows), "conversations": n, **count, "share_right": count["right"] / n if n else 0.0,
            "nothing_to_score": len(empty), "nothing_refused": sum(r["outcome"] == "refused" for r in empty),
            "nothing_wrong": sum(r["outcome"] == "WRONG" for r in empty),
            "one_line": all(r.get("one_line", True) for r in rows),
            "ms_median": 1000 * statistics.median(times) if times else 0.0,
            "ms_max": 1000 * max(times) if times else 0.0, "rows": rows}


def dev_items() -> list:
    raw = DEV / "raw"
    return [(p.name, p.read_bytes(), clean_key(DEV / "clean" / p.name)) for p in sorted(raw.glob("*.txt"))
            if (DEV / "clean" / p.name).exists()]


def behaviour_items() -> list:
    """The clean copies with their labels replaced by two neutral names: only behaviour can tell the coach.
    (A harder test than the raw files, where labels, cast lists and introductions usually say who is who.)"""
    out = []
    for p in sorted((DEV / "clean").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        text = re.sub(r"^Coachee:", "Rudi:", text, flags=re.M)
        text = re.sub(r"^Coach:", "Wati:", text, flags=re.M)
        out.append((p.name, text.encode("utf-8"), clean_key(p)))
    return out


BLIND = ROOT / "bench" / "data" / "documents_blind"   # pages written blind by helpers (BRIEF.md), ours to ship


def extra_items(folder: Path | None = None) -> list:
    folder = folder or EXTRA
    keys = folder / "keys.tsv"
    out = []
    with keys.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            path = folder / "raw" / row["file"]
            if path.exists():
                out.append((row["file"], path.read_bytes(), (row["coach"], row["coachee"], int(row["coach_turns"]))))
    return out


def speed() -> float:
    """Median milliseconds to read a 10 KB synthetic document (wrapped lines, headings, a cast list)."""
    part = ("Coach : Ibu Sari\nCoachee : Pak Budi\n\nPembuka\n\nBu Sari : Selamat pagi Pak Budi, apa yang ingin "
            "Bapak bicarakan\nhari ini?\n\nPak Budi : Saya bingung dengan kelas saya, Bu.\n")
    body = part + "".join(f"Bu Sari : Bagaimana perasaan Bapak tentang hal nomor {i}\nitu?\n\n"
                          f"Pak Budi : Saya merasa kelas {i} masih ramai sekali, Bu.\n" for i in range(200))
    body = body[:10_000]
    runs = []
    for _ in range(15):
        t0 = time.perf_counter()
        read_document(body)
        runs.append(time.perf_counter() - t0)
    return 1000 * statistics.median(runs)


def table(title: str, res: dict) -> list[str]:
    nothing = (f"{res['nothing_refused']} of {res['nothing_to_score']} refused, {res['nothing_wrong']} scored"
               if res["nothing_to_score"] else "—")
    return [f"| {title} | {res['conversations']} | {res['right']} ({res['share_right']:.0%}) | {res['refused']} | "
            f"**{res['WRONG']}** | {nothing} | {res['ms_median']:.1f} / {res['ms_max']:.1f} |"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print every file's outcome")
    args = ap.parse_args()
    results = {}
    lines = ["| material | files with a conversation | read right | refused (one line) | WRONG (scored wrong) | "
             "files with nothing to score (articles, observer talk only) | ms median / max |",
             "|---|---|---|---|---|---|---|"]
    notes = []
    if (DEV / "raw").exists():
        results["development"] = run_set(dev_items())
        lines += table("real transcripts, development half (looked at while building)", results["development"])
        results["behaviour_only"] = run_set(behaviour_items())
        lines += table("the same conversations with neutral names instead of labels (roles from behaviour only)",
                       results["behaviour_only"])
    else:
        notes.append(f"- {DEV} is absent: the development half was skipped.")
    if (EXTRA / "keys.tsv").exists():
        results["extra"] = run_set(extra_items())
        lines += table("extra real transcripts found with the search tool (looked at after the first measurement)", results["extra"])
    else:
        notes.append(f"- {EXTRA} is absent: the extra real transcripts were skipped.")
    if (EXTRA2 / "keys.tsv").exists():
        results["extra2"] = run_set(extra_items(EXTRA2))
        lines += table("more real transcripts found in session 15 (measured once, then looked at: 11 of 18 right, "
                       "5 wrong before)", results["extra2"])
    else:
        notes.append(f"- {EXTRA2} is absent: session 15's real transcripts were skipped.")
    for part, title in (("D1", "pages written blind in published layouts, set 1 (looked at: the causes fixed)"),
                        ("D2", "pages written blind in published layouts, set 2 (looked at: the causes fixed)"),
                        ("D3", "pages written blind in published layouts, set 3 (held out, then looked at: causes fixed)"),
                        ("D4", "pages written blind in published layouts, set 4 (held out, written after the first fixes)"),
                        ("D5", "pages written blind in published layouts, set 5 (held out, then looked at: causes fixed)"),
                        ("D6", "pages written blind in published layouts, set 6 (held out: written after all fixes)"),
                        ("D7", "pages written blind in published layouts, set 7 (held out: written after all fixes)"),
                        ("D8", "pages written blind in published layouts, set 8 (held out: written after session 11's fixes)"),
                        ("D9", "pages written blind in published layouts, set 9 (held out: written after session 11's fixes)")):
        if (BLIND / part / "keys.tsv").exists():
            results[f"blind_{part}"] = run_set(extra_items(BLIND / part))
            lines += table(title, results[f"blind_{part}"])
    ms = speed()
    lines += ["", f"Reading a 10 KB document takes {ms:.1f} ms (median of 15)."] + ([""] + notes if notes else [])
    print("\n".join(lines))
    if args.show:
        for key, res in results.items():
            for r in res["rows"]:
                print(f"{key:12} {r['file']:8} {r['outcome']:8} {r.get('coach') or ''!s:28} {r['why']}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "documents.json").write_text(json.dumps({**results, "ms_10kb": ms}, indent=1, ensure_ascii=False))
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            stamp = f"Measured {time.strftime('%Y-%m-%d')} by `bench/bench_documents.py`."
            DOC.write_text(head + BEGIN + "\n" + stamp + "\n\n" + "\n".join(lines) + "\n" + END + tail,
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
