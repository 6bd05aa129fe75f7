"""`pamong chat --persona ID --lang L --state FILE.json --say TEXT`: one coach turn per command, for raters."""

from __future__ import annotations

import json

from simulator.cli import main
from simulator.session import Session

PID = "guru_baru"


def say(capsys, state, text, lang="id", persona=PID):
    code = main(["chat", "--persona", persona, "--lang", lang, "--state", str(state), "--say", text])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_turn_per_command_creates_then_resumes_the_session(capsys, tmp_path, data_dir):
    state = tmp_path / "rater.json"
    code, out, _ = say(capsys, state, "Selamat pagi, Bu Nadia.")
    assert code == 0 and out.strip() and "pagi" in out.lower() and "\n" not in out.strip()
    code, out2, _ = say(capsys, state, "Sudah berapa lama Ibu mengajar?")
    assert code == 0 and "tiga bulan" in out2
    code, out3, _ = say(capsys, state, "Bisa diulang?")
    assert "tiga bulan" in out3 and out3 != out2
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert [t["speaker"] for t in saved["turns"]] == ["coach", "coachee"] * 3
    assert len(saved["states"]) == 4
    session = Session.from_dict(saved)    # the file is a whole session: replies, readings, states
    assert session.turns[-1].text == out3.strip()


def test_the_same_as_one_session_in_memory(capsys, tmp_path, data_dir):
    turns = ["Selamat siang, Bu Nadia.", "Bagaimana keadaan Ibu akhir-akhir ini?", "Muridnya di VII-A ada berapa?"]
    state = tmp_path / "s.json"
    printed = [say(capsys, state, t)[1].strip() for t in turns]
    session = Session(PID, "id")
    assert printed == [session.coach_says(t).reply for t in turns]


def test_a_state_file_of_another_persona_or_language_is_refused(capsys, tmp_path, data_dir):
    state = tmp_path / "s.json"
    say(capsys, state, "Good morning, Ms Nadia.", lang="en")
    code, out, err = say(capsys, state, "Selamat pagi.", lang="id")
    assert code == 2 and "another --state file" in err and out == ""
    code, _, err = say(capsys, state, "Hello.", lang="en", persona="kepala_sekolah")
    assert code == 2 and "guru_baru" in err


def test_a_broken_state_file_and_say_without_state_are_clear_errors(capsys, tmp_path, data_dir):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = say(capsys, bad, "Halo.")
    assert code == 2 and "not a saved session" in err
    code = main(["chat", "--persona", PID, "--say", "Halo."])
    _, err = capsys.readouterr()
    assert code == 2 and "--state" in err


def test_an_empty_turn_is_refused_and_the_file_keeps_what_it_had(capsys, tmp_path, data_dir):
    state = tmp_path / "s.json"
    say(capsys, state, "Selamat pagi, Bu Nadia.")
    before = state.read_text(encoding="utf-8")
    code, _, err = say(capsys, state, "   ")
    assert code == 2 and ("Empty message" in err or "kosong" in err)
    assert state.read_text(encoding="utf-8") == before
