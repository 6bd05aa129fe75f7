"""`pamong ingest` and `pamong search` end to end through the CLI entry point (real Chroma in a temp dir)."""

from __future__ import annotations

import json

from simulator.cli import main


def make_corpus(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "rasa.md").write_text(
        "# RASA\n\n## Summarize\n\nRangkum cerita coachee dengan kata-katanya sendiri, lalu konfirmasi.\n"
        "\n## Ask\n\nAjukan pertanyaan terbuka setelah merangkum.\n", encoding="utf-8")
    (folder / "tirta.txt").write_text(
        "TIRTA\nTIRTA adalah alur percakapan coaching: Tujuan, Identifikasi, Rencana aksi, Tanggung jawab.\n",
        encoding="utf-8")
    return folder


def test_ingest_prints_one_summary_line_then_search_finds(data_dir, tmp_path, capsys):
    folder = make_corpus(tmp_path)
    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("Indexed 2 files (2 new, 0 changed, 0 removed, 0 unchanged): 3 chunks in ")

    assert main(["ingest", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("Indexed 0 files (0 new, 0 changed, 0 removed, 2 unchanged): 0 chunks")

    assert main(["search", "alur percakapan tujuan rencana", "-k", "2"]) == 0
    text = capsys.readouterr().out
    assert text.lstrip().startswith("1. [") and "notes/tirta.txt § TIRTA" in text.splitlines()[0]

    assert main(["search", "how do I summarise what the coachee told me", "-k", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    assert set(rows[0]) >= {"text", "source", "heading", "lang", "score", "chunk_id", "cite"}
    assert (rows[0]["source"], rows[0]["heading"]) == ("notes/rasa.md", "RASA > Summarize")


def test_search_on_an_empty_index_says_what_to_do(data_dir, capsys):
    assert main(["search", "apa itu RASA"]) == 1
    assert capsys.readouterr().out.strip() == "The knowledge index is empty: run `pamong ingest` first."


def test_bad_paths_give_one_clear_line(data_dir, tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pamong: error: ") and str(tmp_path / "nope") in err[0]

    blob = tmp_path / "scan.txt"
    blob.write_bytes(b"\x00\xff\x00binary")
    assert main(["ingest", str(blob)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(blob) in err[0] and "binary" in err[0]

    folder = make_corpus(tmp_path)
    (folder / "kosong.md").write_text("")
    assert main(["ingest", "-q", str(folder)]) == 0        # skipped files do not stop the rest
    captured = capsys.readouterr()
    assert "Indexed 2 files" in captured.out
    assert f"pamong: skipped {folder / 'kosong.md'}: " in captured.err and "empty" in captured.err


def test_unwritable_data_dir_gives_one_clear_line(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    folder = make_corpus(tmp_path)
    assert main(["--data-dir", str(blocker), "ingest", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(blocker) in err[0] and "PAMONG_DATA_DIR" in err[0]
