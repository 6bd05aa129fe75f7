"""Report renderers (JSON, Markdown, HTML) and `pamong evaluate`: exact score keys, labels in the report
language, hostile transcript text escaped everywhere, and the CLI's formats, rubric choice and errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.evaluation.report import md_escape, to_dict, to_html, to_json, to_markdown
from simulator.evaluation.rubric import DIMENSIONS
from simulator.evaluation.scoring import evaluate
from simulator.evaluation.transcript import Transcript, Utterance, load_transcript

CONV = Path(__file__).parent / "data" / "conversations"
HOSTILE = [
    '<script>alert("x")</script> Apakah Ibu sudah mencoba kerja kelompok?',
    '<img src=x onerror="alert(1)"> Sebaiknya Ibu pakai [kartu](javascript:alert(1)) saja.',
    "Mengapa Ibu <b>tidak</b> mencoba? Apa yang terjadi? Kapan?",
]


@pytest.fixture(scope="module")
def hostile_eval():
    turns = []
    for text in HOSTILE:
        turns += [Utterance("coach", text), Utterance("coachee", 'Saya <script>steal()</script> bingung, "Bu".')]
    return evaluate(Transcript("id", turns))


@pytest.fixture(scope="module")
def good_eval():
    return evaluate(load_transcript(CONV / "id_pra_observasi_baik.txt"))


def test_json_has_exactly_the_score_keys(good_eval):
    d = to_dict(good_eval)
    assert list(d["scores"]) == [*DIMENSIONS, "overall"]
    assert all(1 <= v <= 4 for v in d["scores"].values())
    assert d["scores"]["overall"] == d["overall"]["score"]
    parsed = json.loads(to_json(good_eval, "en"))
    assert parsed["scores"] == d["scores"] and len(parsed["improvements"]) == len(good_eval.improvements) >= 1
    assert parsed["dimensions"]["active_listening"]["evidence"][0]["turn"] >= 1
    for key in ("coach_talk_share", "open_closed", "reflections_per_question", "advice_count", "why_count",
                "tirta_stages", "turns"):
        assert key in parsed["stats"]


def test_labels_follow_the_report_language(good_eval):
    md_id, md_en = to_markdown(good_eval, "id"), to_markdown(good_eval, "en")
    assert "Tiga hal untuk diperbaiki" in md_id and "Three things to improve" in md_en
    assert "Kehadiran penuh" in md_id and "Presence" in md_en
    assert to_dict(good_eval, "en")["dimensions"]["presence"]["level"] in {"Needs guidance", "Developing",
                                                                            "Proficient", "Accomplished"}
    assert '<html lang="en">' in to_html(good_eval, "en") and '<html lang="id">' in to_html(good_eval, "id")


def test_html_is_self_contained_and_prints(good_eval):
    page = to_html(good_eval, "id")
    assert "@media print" in page and "<style>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    for imp in good_eval.improvements:
        assert f"Giliran {imp.turn_index + 1}" in page


def test_hostile_text_is_escaped_in_every_format(hostile_eval):
    page = to_html(hostile_eval, "en")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "<img" not in page and "onerror=\"" not in page and "<b>tidak</b>" not in page
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", page, re.I)
    md = to_markdown(hostile_eval, "en")
    assert "<script" not in md and "<img" not in md
    assert "](javascript:" not in md and "\\[kartu\\]\\(javascript\\:" in md
    data = json.loads(to_json(hostile_eval))  # JSON keeps the text verbatim, as data
    assert any("<script>" in t["text"] for t in data["turns"])


def test_md_escape_neutralises_markup():
    assert md_escape("[x](javascript:alert(1)) <b> &") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\) &lt;b&gt; &amp;"
    assert md_escape("*a*\n# b") == "\\*a\\* \\# b"


# ---------------------------------------------------------------- CLI


def test_cli_json_and_no_index_note(data_dir, capsys):
    code = main(["evaluate", str(CONV / "id_pasca_observasi_baik.json")])
    out, err = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert set(data["scores"]) == {*DIMENSIONS, "overall"}
    assert "no citations" in err


def test_cli_formats_rubric_and_out(data_dir, tmp_path, capsys):
    out_file = tmp_path / "r.html"
    assert main(["evaluate", str(CONV / "en_poor.txt"), "--format", "html", "--out", str(out_file),
                 "--rubric", "guru-penggerak-8", "--no-citations"]) == 0
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Criteria" in page
    assert main(["evaluate", str(CONV / "en_poor.txt"), "--format", "md", "--lang", "id", "--no-citations"]) == 0
    assert "# Laporan Coaching" in capsys.readouterr().out


def test_cli_errors_are_one_line(data_dir, tmp_path, capsys):
    bad_rubric = tmp_path / "bad.yaml"
    bad_rubric.write_text("id: x\nname: {id: a, en: b}\nscale: []\n", encoding="utf-8")
    assert main(["evaluate", str(CONV / "en_poor.txt"), "--rubric", str(bad_rubric), "--no-citations"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pamong: error:") and "bad.yaml" in err and "scale" in err and "\n" not in err
    broken = tmp_path / "t.json"
    broken.write_text('{"turns": [\n  {"speaker": "coach", "text": "hi"\n]}', encoding="utf-8")
    assert main(["evaluate", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert "invalid JSON at line 3" in err and "\n" not in err


def test_a_session_with_nothing_to_credit_says_so_instead_of_an_empty_section():
    from simulator.evaluation.report import to_html, to_markdown
    from simulator.evaluation.scoring import evaluate
    from simulator.evaluation.transcript import parse_transcript

    poor = parse_transcript("Coach: Why did you choose group work?\nCoachee: I thought it would help.\n"
                            "Coach: You should give them individual worksheets instead.\nCoachee: OK.\n")
    evaluation = evaluate(poor)
    assert evaluation.went_well == []
    assert "Nothing to credit in this session yet" in to_markdown(evaluation, "en")
    assert "Belum ada yang bisa dipuji" in to_html(evaluation, "id")


def test_the_report_body_speaks_plainly():
    """Evidence once per sentence, passages without Markdown or file paths, reasons in words, numbers in the
    reader's convention, a journey sentence that names the turn to look at."""
    from simulator.evaluation.report_view import (
        grouped_evidence,
        journey,
        number,
        passage_html,
        passage_title,
        plain_reason,
    )

    items = [{"turn": 3, "quote": "Apakah Ibu sudah mencoba?", "note": "memberi saran", "positive": False},
             {"turn": 3, "quote": "Apakah Ibu sudah mencoba?", "note": "memberi saran", "positive": False},
             {"turn": 3, "quote": "Apakah Ibu sudah mencoba?", "note": "masuk ke tahap TIRTA", "positive": True},
             {"turn": 1, "quote": "Apa yang ingin Ibu bicarakan?", "note": "pertanyaan terbuka", "positive": True}]
    groups = grouped_evidence(items)
    assert [g["turn"] for g in groups] == [1, 3]
    assert groups[1]["neg"] == ["memberi saran"] and groups[1]["pos"] == ["masuk ke tahap TIRTA"]

    text = "## RASA\n\n**Receive**, *Appreciate*: see [the module](http://x).\n\n| A | B |\n|---|---|\n| x | y |\n"
    shown = passage_html(text)
    assert "**" not in shown and "##" not in shown and "http" not in shown and "|" not in shown
    assert "Receive, Appreciate: see the module." in shown and "x — y" in shown
    assert passage_title({"heading": "Kesalahan umum > Memberi saran", "source": "knowledge/id/k.md"}) == \
        "Kesalahan umum › Memberi saran"
    assert "knowledge" not in passage_title({"heading": "", "source": "knowledge/id/kesalahan-umum.md"})

    signals = [{"signal": "advice_share", "value": 0.4, "level": 1.0, "weight": 3.0},
               {"signal": "judgement_count", "value": 0.0, "level": 4.0, "weight": 1.0}]
    assert plain_reason(signals, "id") == "Anda tidak menghakimi, tetapi Anda memberi saran."
    assert plain_reason(signals, "en") == "You did not judge, but you gave advice."
    assert number(4000, "id") == "4.000" and number(4000, "en") == "4,000" and number(0.25, "id", 2) == "0,25"

    states = [{"trust": t, "openness": 0.2, "insight": 0.0, "ownership": 0.3} for t in (0.3, 0.4, 0.2, 0.25)]
    figure, said = journey(states, "en", coach_turns=[1, 3, 5])
    assert "data:image/svg+xml" in figure and "Trust" in figure
    assert said == "The coachee's trust fell from 30% to 25%; it fell most after turn 3 — look at what you said there."
