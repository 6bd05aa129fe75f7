"""`pamong classify`: JSON lines in, one JSON line out per input; bad lines are reported and skipped."""

from __future__ import annotations

import json
import subprocess
import sys


def run(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", "classify", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_one_line_out_per_line_in_with_errors_in_place():
    lines = [
        json.dumps({"coach": "Jadi Ibu lelah. Apa yang paling berat?", "coachee_before": "Saya lelah sekali"}),
        "not json",
        json.dumps({"coach": 3}),
        json.dumps({"coach": "Why did you do that?"}),
    ]
    p = run("\n".join(lines) + "\n")
    out = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["acts"] == ["reflection", "open_question"] and out[0]["lang"] == "id"
    assert out[0]["key_words"] == ["lelah"] and out[0]["stacked"] is False
    assert out[1]["error"].startswith("line 2:")
    assert out[2]["error"].startswith("line 3:") and "coach" in out[2]["error"]
    assert out[3]["acts"] == ["why_question"] and out[3]["lang"] == "en" and "hint" in out[3]
    assert p.returncode == 1


def test_lang_option_forces_the_language():
    p = run(json.dumps({"coach": "Okay."}) + "\n", "--lang", "id", "--no-hint")
    out = json.loads(p.stdout)
    assert out["lang"] == "id" and "hint" not in out and p.returncode == 0
