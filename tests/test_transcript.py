"""Transcript parsing: JSON and labelled text, speaker roles, language, and one-line errors for bad input."""

from __future__ import annotations

import json

import pytest

from simulator.errors import InputError
from simulator.evaluation.transcript import MAX_TURNS, detect_lang, load_transcript, parse_transcript


def roles(t):
    return [u.speaker for u in t.turns]


def test_json_with_lang_and_turns():
    t = parse_transcript(json.dumps({"lang": "en", "turns": [
        {"speaker": "coach", "text": "What would you like to talk about?"},
        {"speaker": "coachee", "text": "My class."}]}))
    assert t.lang == "en" and roles(t) == ["coach", "coachee"]
    assert t.turns[1].text == "My class."


def test_json_without_lang_is_detected():
    t = parse_transcript('{"turns": [{"speaker": "coach", "text": "Apa yang ingin Ibu capai hari ini?"},'
                         '{"speaker": "coachee", "text": "Saya ingin kelas saya lebih tenang."}]}')
    assert t.lang == "id"


@pytest.mark.parametrize("text,expected", [
    ("Coach: Apa kabar?\nCoachee: Baik.\n", ["coach", "coachee"]),
    ("Coachee: Halo.\nCoach: Apa yang ingin dibahas?\n", ["coachee", "coach"]),
    ("C: Apa yang ingin Ibu capai?\nK: Kelas yang tenang.\n", ["coach", "coachee"]),
    ("Murid: Saya bingung, Bu.\nGuru: Apa yang membuatmu bingung?\n", ["coachee", "coach"]),
    ("Guru: Apa kabar, Bu?\nKepala Sekolah: Baik. Apa yang ingin Ibu bahas?\nGuru: Kelas saya.\n",
     ["coachee", "coach", "coachee"]),
    ("Rekan: Saya lelah.\nGuru: Apa yang paling melelahkan?\n", ["coachee", "coach"]),
    ("Pelatih: Apa tujuan Anda?\nGuru: Siswa lebih aktif.\n", ["coach", "coachee"]),
    ("Bu Ratna: Apa yang ingin Ibu capai?\nBu Dewi: Kelas yang tenang.\nBu Ratna: Seperti apa?\n",
     ["coach", "coachee", "coach"]),
])
def test_labels_decide_who_is_the_coach(text, expected):
    assert roles(parse_transcript(text)) == expected


def test_unlabelled_lines_continue_the_previous_turn_and_noise_is_tolerated():
    t = parse_transcript("**Coach:** Apa yang terjadi\nkemarin di kelas?\n\n[00:12] Coachee: Anak-anak ribut.\n"
                         "Catatan: ini setelah istirahat.\n")
    assert roles(t) == ["coach", "coachee"]
    assert t.turns[0].text == "Apa yang terjadi kemarin di kelas?"
    assert t.turns[1].text == "Anak-anak ribut. Catatan: ini setelah istirahat."


def test_bytes_with_bom_and_control_characters():
    t = parse_transcript("\ufeffCoach: What\x07 now?\nCoachee: Not sure.".encode())
    assert t.turns[0].text == "What now?" and t.lang == "en"


def test_detect_lang():
    assert detect_lang("What do you want to work on today?") == "en"
    assert detect_lang("Apa yang ingin Ibu capai hari ini?") == "id"


@pytest.mark.parametrize("data,needle", [
    ('{"turns": [\n{"speaker": "coach", "text": "hi"},\n{"speaker": "coachee" "text": "x"}]}', "line 3"),
    ('{"turns": [{"speaker": "observer", "text": "hi"}]}', "unknown speaker 'observer'"),
    ('{"turns": [{"speaker": "coachee", "text": "hi"}]}', "no coach turns"),
    ('{"lang": "fr", "turns": [{"speaker": "coach", "text": "hi"}]}', "\"lang\""),
    ('{"turns": [{"speaker": "coach", "text": 3}]}', "turn 1"),
    ('{"speakers": []}', "\"turns\" list"),
    ("Coachee: Halo.\nK: lagi.\n", "no coach turns"),
    ("Halo semuanya.\nCoach: Apa kabar?", "line 1 has no speaker label"),
    ("Coach: a\nCoachee: b\nObserver: c\n", "third speaker"),
    ("   \n\n", "empty transcript"),
])
def test_bad_input_gives_one_clear_line(data, needle):
    with pytest.raises(InputError) as exc:
        parse_transcript(data, name="t.json")
    message = str(exc.value)
    assert needle in message and message.startswith("t.json") and "\n" not in message


def test_too_many_turns_is_refused():
    turns = [{"speaker": "coach" if i % 2 == 0 else "coachee", "text": "ya"} for i in range(MAX_TURNS + 1)]
    with pytest.raises(InputError, match="at most 2,000"):
        parse_transcript(json.dumps({"turns": turns}))
    text = "\n".join(f"{'Coach' if i % 2 == 0 else 'Coachee'}: ya" for i in range(MAX_TURNS + 5))
    with pytest.raises(InputError, match="at most 2,000"):
        parse_transcript(text)


def test_load_transcript_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_transcript(tmp_path / "missing.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Coach: Bagaimana kabar Ibu? caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_transcript(bad)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"Coach: \x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        load_transcript(binary)
    with pytest.raises(InputError, match="folder"):
        load_transcript(tmp_path)


def test_load_shipped_conversations():
    from pathlib import Path

    folder = Path(__file__).parent / "data" / "conversations"
    files = sorted(f for f in folder.rglob("*") if f.suffix in (".txt", ".json"))
    assert len(files) >= 46  # six of our own, 12 + 14 + 14 rated blind (rated/, rated_2/, rated_3/)
    for f in files:
        t = load_transcript(f)
        assert t.coach_indices() and len(t.turns) >= 10
        assert t.lang == ("en" if f.name.startswith("en_") else "id"), f.name
