"""bench/bench_replay.py: the first reply a later code words differently, on turns the earlier code still met word for
word, becomes a blind paired item (issue #11's paired comparisons)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_replay", ROOT / "bench" / "bench_replay.py")
bench_replay = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_replay)


def _row(coach, rec, got, rating="fit"):
    return {"coach": coach, "rec": rec, "got": got, "rating": rating, "note": ""}


def test_a_paired_item_is_the_first_changed_reply_where_the_rated_talk_still_holds(tmp_path):
    base = {"31/R1/guru_baru_en": [_row("Hi", "Hello.", "Hello."), _row("How many?", "Thirty.", "Thirty.", "partly"),
                                   _row("Who?", "Salsa.", "Salsa.")],
            "31/R1/guru_baru_id": [_row("Halo", "Halo.", "Hai.")],            # already diverged: never an item
            "31/R2/kepala_sekolah_en": [_row("Hi", "Hi.", "Hi.")]}             # unchanged: no item
    new = {"31/R1/guru_baru_en": [_row("Hi", "Hello.", "Hello."), _row("How many?", "Thirty.", "Thirty pupils."),
                                  _row("Who?", "Salsa.", "Nobody.")],
           "31/R1/guru_baru_id": [_row("Halo", "Halo.", "Halo juga.")],
           "31/R2/kepala_sekolah_en": [_row("Hi", "Hi.", "Hi.")]}
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "new.json").write_text(json.dumps(new))
    out = tmp_path / "paired"
    assert bench_replay.diverge(tmp_path / "base.json", tmp_path / "new.json", out, seed=3) == 0
    key = json.loads((out / "key.json").read_text())
    assert len(key) == 1
    item = key[0]
    assert (item["conv"], item["n"], item["old"], item["new"], item["rating_then"]) == \
        ("guru_baru_en", 2, "Thirty.", "Thirty pupils.", "partly")
    md = (out / "items.md").read_text()
    a, b = ("Thirty.", "Thirty pupils.") if item["A"] == "old" else ("Thirty pupils.", "Thirty.")
    assert f"- **A:** {a}\n- **B:** {b}" in md and "- COACH: Hi\n  COACHEE: Hello." in md
    assert "holds 1 items" in (out / "RATE.md").read_text() and (out / "briefs.md").exists()
