"""`pamong personas` and `pamong chat` (non-interactive JSON and the interactive loop)."""

from __future__ import annotations

import io
import json

import pytest

from simulator.cli import main
from simulator.coachee.persona import load_personas

PID = "pra_observasi_guru_matematika"
TURNS_ID = [
    "Selamat siang, Bu Ratna. Terima kasih sudah meluangkan waktu.",
    "Bagaimana keadaan Ibu akhir-akhir ini?",
    "Jadi yang saya dengar, kerja kelompok dan lancar sedang Ibu pikirkan. Apa yang ingin Ibu capai hari ini?",
    "Mengapa Ibu memilih kerja kelompok?",
]
STATE_KEYS = {"trust", "openness", "insight", "ownership", "stage", "revealed"}


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_personas_json_lists_every_persona(capsys, data_dir):
    code, out, _ = run_cli(capsys, "personas", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["id"] for r in rows} == set(load_personas())
    for r in rows:
        assert {"id", "title", "role", "difficulty", "resistance", "skills"} <= set(r)
        assert r["difficulty"] in ("easy", "medium", "hard") and r["skills"]


def test_personas_table(capsys, data_dir):
    code, out, _ = run_cli(capsys, "personas", "--lang", "en")
    assert code == 0 and PID in out and "Ms Ratna" in out and "skills:" in out


def test_chat_coach_turns_json_shape(capsys, tmp_path, data_dir):
    path = tmp_path / "turns.txt"
    path.write_text("\n".join(TURNS_ID[:2]) + "\n\n" + "\n".join(TURNS_ID[2:]) + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "chat", "--persona", PID, "--lang", "id", "--coach-turns", str(path), "--json")
    data = json.loads(out)
    assert code == 0
    assert [t["speaker"] for t in data["turns"]] == ["coach", "coachee"] * len(TURNS_ID)
    assert [t["text"] for t in data["turns"][::2]] == TURNS_ID
    assert len(data["states"]) == len(TURNS_ID)
    for state in data["states"]:
        assert STATE_KEYS <= set(state)
        assert all(0.0 <= state[k] <= 1.0 for k in ("trust", "openness", "insight", "ownership"))
        assert isinstance(state["revealed"], list)
    assert data["states"][2]["revealed"] == ["surface", "goal"]
    assert data["states"][3]["trust"] < data["states"][2]["trust"]  # the why question
    # deterministic
    run_cli(capsys, "chat", "--persona", PID, "--lang", "id", "--coach-turns", str(path), "--json")
    code2, out2, _ = run_cli(capsys, "chat", "--persona", PID, "--lang", "id", "--coach-turns", str(path), "--json")
    again = json.loads(out2)
    assert again["turns"] == data["turns"] and again["states"] == data["states"]


def test_chat_coach_turns_text_output(capsys, tmp_path, data_dir):
    path = tmp_path / "turns.txt"
    path.write_text("Good afternoon, Ms Ratna.\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "chat", "--persona", PID, "--lang", "en", "--coach-turns", str(path))
    assert code == 0 and out.startswith("Coach: Good afternoon, Ms Ratna.\nMs Ratna: ")


@pytest.mark.parametrize(("argv", "message"), [
    (["chat", "--persona", "nobody"], "Unknown persona 'nobody'"),
    (["chat", "--persona", PID, "--json"], "--json needs --coach-turns"),
    (["chat", "--persona", PID, "--coach-turns", "/no/such/file.txt"], "no such file"),
])
def test_chat_errors_are_one_clear_line(capsys, data_dir, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("pamong: error: ") and message in err and err.count("\n") == 1


def test_chat_empty_turns_file(capsys, tmp_path, data_dir):
    path = tmp_path / "empty.txt"
    path.write_text("\n  \n", encoding="utf-8")
    code, _, err = run_cli(capsys, "chat", "--persona", PID, "--coach-turns", str(path), "--json")
    assert code == 2 and "no coach turns" in err


def test_chat_model_voice_without_configuration_is_a_clear_error(capsys, data_dir):
    code, _, err = run_cli(capsys, "chat", "--persona", PID, "--voice", "openai")
    assert code == 2 and err.startswith("pamong: error: ") and "OPENAI" in err


def test_interactive_chat_state_help_and_end(capsys, monkeypatch, data_dir):
    lines = ["Selamat siang, Bu Ratna.", "/state", "/help", "   ", "Bagaimana keadaan Ibu akhir-akhir ini?",
             "Mengapa begitu?", "/end"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run_cli(capsys, "chat", "--persona", PID, "--lang", "id")
    assert code == 0
    assert "Pra-observasi" in out and "[voice: scripted]" in out
    assert '"trust": ' in out and '"revealed": []' in out           # /state
    assert out.count("/end mengakhiri sesi") >= 2                     # banner + /help
    assert "Pesan kosong" in out                                      # the blank line
    assert "Bu Ratna: " in out
    assert "Mendengarkan aktif" in out or "coach turns: 3" in out    # evaluation (or plain statistics)


def test_interactive_chat_ends_on_eof(capsys, monkeypatch, data_dir):
    monkeypatch.setattr("sys.stdin", io.StringIO("Good afternoon, Ms Ratna.\n"))
    code, out, _ = run_cli(capsys, "chat", "--persona", PID, "--lang", "en")
    assert code == 0 and "Ms Ratna: " in out


def test_chat_json_says_which_voice_spoke_each_line(capsys, tmp_path, data_dir, monkeypatch):
    from fake_openai_server import FakeOpenAIServer

    path = tmp_path / "turns.txt"
    path.write_text("\n".join(TURNS_ID[:3]) + "\n", encoding="utf-8")
    _, out, _ = run_cli(capsys, "chat", "--persona", PID, "--coach-turns", str(path), "--json")
    assert {t["voice"] for t in json.loads(out)["turns"] if t["speaker"] == "coachee"} == {"scripted"}
    replies = iter(["Iya, Pak. Saya cukup sibuk minggu ini.", "As an AI language model I cannot say.",
                    "Jadi begini, Pak, saya khawatir soal kelas VIII-C."])
    with FakeOpenAIServer(reply=lambda body: next(replies)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        code, out, err = run_cli(capsys, "chat", "--persona", PID, "--coach-turns", str(path), "--json")
    data = json.loads(out)
    coachee = [t for t in data["turns"] if t["speaker"] == "coachee"]
    assert code == 0 and data["voice"] == "openai" and data["model"] == "gpt-4o-mini"
    assert [t["voice"] for t in coachee] == ["openai", "scripted", "openai"]
    assert "notice" not in coachee[0] and "keluar dari peran" in coachee[1]["notice"]
    assert err == ""  # the notice is the message; no log line beside it


def test_interactive_chat_streams_the_model_voice_and_shows_one_notice(capsys, monkeypatch, data_dir):
    from fake_openai_server import FakeOpenAIServer

    replies = iter(["Iya, Pak. Saya agak cemas soal Kamis, terutama kerja kelompoknya nanti.",
                    "As an AI language model I cannot say."])
    with FakeOpenAIServer(reply=lambda body: next(replies)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setattr("sys.stdin", io.StringIO("Selamat siang, Bu Ratna.\nApa kabar, Bu?\n/end\n"))
        code, out, err = run_cli(capsys, "chat", "--persona", PID, "--lang", "id")
        streamed = [r.get("stream") for r in server.requests]
    assert code == 0 and "[voice: openai (gpt-4o-mini)]" in out
    assert streamed == [True, True]  # the interactive chat streams
    assert "Bu Ratna: Iya, Pak. Saya agak cemas soal Kamis, terutama kerja kelompoknya nanti.\n" in out
    notice = [line for line in out.splitlines() if "! " in line]  # after the input prompt on the same line
    assert len(notice) == 1 and "keluar dari peran" in notice[0] and "suara skrip" in notice[0]
    after = out.split(notice[0], 1)[1].splitlines()[1]
    assert after.startswith("Bu Ratna: ") and "AI" not in out.replace("[voice", "")
    assert err == ""
