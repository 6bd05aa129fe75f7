"""The knowledge store: reading messy files, heading-aware chunks, idempotent ingest, fused search.

Real Chroma in a temp folder and the real offline embedding model; corpora are a few small files."""

from __future__ import annotations

from pathlib import Path

import pytest
from served_app import free_port

from simulator.config import REPO_ROOT, load_settings
from simulator.errors import InputError, StoreError
from simulator.retrieval import search as retrieval
from simulator.retrieval.search import (
    KnowledgeStore,
    Passage,
    chunk_markdown,
    chunk_text,
    read_document,
    repair_text,
)

SEEDS = REPO_ROOT.parent / "shared" / "seeds"  # CI clones the repo with shared/ beside it

RASA_ID = """# RASA

Cara mendengarkan aktif dalam coaching.

## Receive

Terima semua informasi dari coachee. Perhatikan kata kunci yang diucapkan dan jangan memotong.

## Summarize

Rangkum cerita coachee dengan kata-katanya sendiri, lalu tanyakan apakah rangkuman itu sudah tepat.

## Sumber

- Artikel seed 000 (modul 2.3).
"""

QUESTIONS_EN = """# Powerful questions

## Open questions

An open question invites the coachee to think and talk at length: "What would success look like for you?"
It usually starts with what or how.

## Closed questions

A closed question can be answered with yes or no. Use it to check a fact, not to explore.
"""

SUPERVISION_TXT = """Siklus supervisi akademik
Supervisi akademik berjalan dalam tiga tahap: pra-observasi, observasi, dan pasca-observasi. Pada pra-observasi guru menetapkan tujuan pengamatan bersama supervisor.
Saat observasi supervisor mencatat data kelas tanpa menilai. Pasca-observasi adalah percakapan reflektif tentang data tersebut.
"""


def write_corpus(root: Path) -> Path:
    kb = root / "kb"
    (kb / "id").mkdir(parents=True)
    (kb / "en").mkdir()
    (kb / "id" / "rasa.md").write_text(RASA_ID, encoding="utf-8")
    (kb / "en" / "questions.md").write_text(QUESTIONS_EN, encoding="utf-8")
    (kb / "supervisi.txt").write_text(SUPERVISION_TXT, encoding="utf-8")
    return kb


@pytest.fixture
def store(data_dir) -> KnowledgeStore:
    return KnowledgeStore(load_settings())


# ------------------------------------------------------------------------------------------- reading & chunks


def test_repair_text_fixes_mojibake_and_leaves_good_text_alone():
    fixed, repaired = repair_text("caf\u00c3\u00a9 \u00e2\u20ac\u0153kata\u00e2\u20ac\u009d holistik; \u00c2 bukan")
    assert fixed == "café “kata” holistik; bukan" and repaired
    good = "Café — “benar” naïve"
    assert repair_text(good) == (good, False)


def test_read_document_reports_bad_files_in_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    for path, words in ((empty, "empty"), (binary, "binary")):
        with pytest.raises(InputError) as exc:
            read_document(path)
        message = str(exc.value)
        assert str(path) in message and words in message and "\n" not in message
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Kegiatan pra-observasi: guru menyiapkan tujuan — café".encode("cp1252"))
    text, note = read_document(latin)
    assert "café" in text and "—" in text and "UTF-8" in note


def test_seed_text_is_repaired():
    text, note = read_document(SEEDS / "001_717fb9c7a1d972c7.txt")
    assert "\u00c2" not in text and "\u00a0" not in text and note
    assert "menjadi coach bagi guru lain" in text


def test_markdown_chunks_keep_their_heading_trail():
    chunks = chunk_markdown(RASA_ID)
    headings = [c.heading for c in chunks]
    assert headings == ["RASA", "RASA > Receive", "RASA > Summarize"]
    summarize = chunks[2]
    assert summarize.text.startswith("Rangkum") and summarize.embed_text.startswith("RASA > Summarize\n")
    assert "## Summarize" not in summarize.text
    assert "Artikel seed" not in " ".join(c.text for c in chunks)    # the reference list is not indexed


def test_very_long_lines_are_split_at_sentences():
    sentence = "Guru mendengarkan murid dengan sabar dan penuh perhatian setiap hari. "
    line = sentence * 80  # ~5,600 characters on one line
    chunks = chunk_text("Judul catatan\n" + line)
    assert len(chunks) >= 5
    assert all(len(c.text) <= retrieval.CHUNK_SIZE for c in chunks)
    assert all(c.heading == "Judul catatan" for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)


def test_tokenize_stems_so_word_forms_meet():
    assert retrieval.tokenize("merangkum", "id") == ["merangkum", "~rangkum"]
    assert retrieval.tokenize("rangkuman", "id") == ["rangkuman", "~rangkum"]
    assert retrieval.tokenize("penghambat", "id")[1] == retrieval.tokenize("menghambat", "id")[1] == "~hambat"
    assert retrieval.tokenize("Listening to the questions", "en") == ["listening", "~listen", "questions", "~question"]


def test_detect_lang():
    assert retrieval.detect_lang("Apa yang ingin Ibu capai dari percakapan ini?") == "id"
    assert retrieval.detect_lang("What would you like to achieve from this conversation?") == "en"


# ----------------------------------------------------------------------------------------------------- ingest


def test_ingest_then_search_with_sources_headings_and_languages(store, tmp_path):
    kb = write_corpus(tmp_path)
    summary = store.ingest([kb])
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (3, 0, 0, 0)
    assert summary.chunks == store.count() >= 6
    assert set(store.sources()) == {"kb/id/rasa.md", "kb/en/questions.md", "kb/supervisi.txt"}

    best = store.search("bagaimana merangkum cerita coachee", k=3)[0]
    assert isinstance(best, Passage)
    assert (best.source, best.heading, best.lang) == ("kb/id/rasa.md", "RASA > Summarize", "id")
    assert best.cite() == "kb/id/rasa.md § RASA > Summarize"
    assert 0 < best.score <= 1

    yes_no = store.search("a question that can be answered with yes or no", k=1)[0]
    assert (yes_no.heading, yes_no.lang) == ("Powerful questions > Closed questions", "en")

    # Cross-lingual: an English question finds the Indonesian passage.
    cross = store.search("how to summarise what the coachee said", k=2)
    assert (cross[0].heading, cross[0].lang) == ("RASA > Summarize", "id")
    assert store.search("the stages of academic supervision", k=1)[0].source == "kb/supervisi.txt"


def test_lang_prefers_but_does_not_exclude(store, tmp_path):
    kb = write_corpus(tmp_path)
    (kb / "id" / "pertanyaan.md").write_text(
        "# Pertanyaan terbuka\n\nPertanyaan terbuka mengajak coachee berpikir dan bercerita panjang, "
        "misalnya: Apa yang ingin Ibu capai? Biasanya diawali dengan apa atau bagaimana.\n", encoding="utf-8")
    store.ingest([kb])
    plain = store.search("open question", k=6)
    preferred = store.search("open question", k=6, lang="id")
    assert (plain[0].source, plain[0].lang) == ("kb/en/questions.md", "en")
    assert (preferred[0].source, preferred[0].lang) == ("kb/id/pertanyaan.md", "id")
    assert "en" in {p.lang for p in preferred}            # English passages are still there
    english_only = store.search("closed question answered with yes or no", k=1, lang="id")[0]
    assert english_only.heading == "Powerful questions > Closed questions"   # nothing in id matches: en wins


def test_ingest_is_idempotent_and_tracks_changes_and_deletions(store, tmp_path, monkeypatch):
    kb = write_corpus(tmp_path)
    store.ingest([kb])
    before = store.count()

    calls = []
    real = retrieval.embed_passages
    monkeypatch.setattr(retrieval, "embed_passages", lambda texts, threads=1: calls.append(len(texts)) or real(texts, threads))
    again = store.ingest([kb])
    assert (again.unchanged, again.added, again.updated, again.chunks) == (3, 0, 0, 0)
    assert calls == [] and store.count() == before          # nothing re-embedded

    (kb / "en" / "questions.md").write_text(QUESTIONS_EN.replace("yes or no", "a single word such as zebra"))
    (kb / "supervisi.txt").unlink()
    changed = store.ingest([kb])
    assert (changed.updated, changed.removed, changed.unchanged, changed.added) == (1, 1, 1, 0)
    assert sum(calls) == changed.chunks > 0                 # only the changed file was embedded
    assert "kb/supervisi.txt" not in store.sources()
    texts = [p.text for p in store.search("zebra", k=10)]
    assert any("zebra" in t for t in texts) and not any("yes or no" in t for t in texts)


def test_interrupted_ingest_leaves_the_previous_index_usable(store, tmp_path, monkeypatch):
    kb = write_corpus(tmp_path)
    store.ingest([kb])
    ids_before = sorted(store._open().get()["ids"])
    (kb / "id" / "rasa.md").write_text(RASA_ID.replace("Rangkum", "Ringkas ulang"))
    (kb / "id" / "zzz.md").write_text("# Baru\n\nHalaman baru tentang refleksi.")

    def crash(texts, threads=1):
        raise KeyboardInterrupt

    monkeypatch.setattr(retrieval, "embed_passages", crash)
    with pytest.raises(KeyboardInterrupt):
        store.ingest([kb])
    assert sorted(store._open().get()["ids"]) == ids_before
    assert store.search("rangkum cerita coachee", k=1)[0].heading == "RASA > Summarize"

    monkeypatch.undo()
    resumed = store.ingest([kb])
    assert (resumed.updated, resumed.added, resumed.unchanged) == (1, 1, 2)
    assert "Ringkas ulang" in store.search("ringkas ulang cerita coachee", k=1)[0].text


def test_half_finished_swap_is_completed_on_the_next_ingest(store, tmp_path, monkeypatch):
    kb = write_corpus(tmp_path)
    store.ingest([kb])
    (kb / "id" / "rasa.md").write_text(RASA_ID + "\n## Ask\n\nTanyakan pertanyaan terbuka.\n")
    col = store._open()
    real_delete = col.delete
    monkeypatch.setattr(col, "delete", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):     # new chunks added, old not yet deleted
        store.ingest([kb])
    assert store.sources()["kb/id/rasa.md"] == 3 + 4   # both versions: still searchable
    monkeypatch.setattr(col, "delete", real_delete)
    finished = store.ingest([kb])
    assert finished.updated == 1 and finished.chunks == 0   # no re-embedding needed
    assert store.sources()["kb/id/rasa.md"] == 4


def test_bad_inputs_are_skipped_or_reported(store, tmp_path):
    kb = write_corpus(tmp_path)
    (kb / "empty.md").write_text("")
    (kb / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    summary = store.ingest([kb])
    assert summary.added == 3
    reasons = dict(summary.skipped)
    assert "empty" in reasons[str(kb / "empty.md")] and "binary" in reasons[str(kb / "blob.txt")]

    with pytest.raises(InputError, match="no such file or folder"):
        store.ingest([tmp_path / "missing"])
    with pytest.raises(InputError) as exc:
        store.ingest([kb / "blob.txt"])
    assert str(kb / "blob.txt") in str(exc.value) and "binary" in str(exc.value)


def test_unusable_data_dir_is_a_store_error(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    store = KnowledgeStore(load_settings(data_dir=not_a_dir))
    with pytest.raises(StoreError) as exc:
        store.search("apa itu coaching")
    assert str(not_a_dir) in str(exc.value) and "PAMONG_DATA_DIR" in str(exc.value)


def test_unreachable_chroma_server_is_a_store_error(data_dir):
    port = free_port()   # nothing listens there once closed
    store = KnowledgeStore(load_settings(chroma_host="127.0.0.1", chroma_port=port))
    with pytest.raises(StoreError, match=f"127.0.0.1:{port}.*chroma run"):
        store.count()


def test_another_process_ingest_refreshes_the_bm25_cache(data_dir, tmp_path):
    kb = write_corpus(tmp_path)
    reader, writer = KnowledgeStore(load_settings()), KnowledgeStore(load_settings())
    reader.ingest([kb])
    assert not any("zebra" in p.text for p in reader.search("zebra", k=3))
    (kb / "en" / "questions.md").write_text(QUESTIONS_EN.replace("yes or no", "zebra"))
    writer.ingest([kb])      # same chunk count: only the revision stamp tells the reader's cache it is stale
    assert "zebra" in reader.search("zebra", k=1)[0].text
    assert any("zebra" in doc for doc in reader._lexical()[3])


def test_empty_index_search_returns_nothing(store):
    assert store.count() == 0 and store.search("apa itu RASA") == []


def test_ensure_index_is_cheap_when_nothing_changed(data_dir, tmp_path, monkeypatch):
    kb = write_corpus(tmp_path)
    settings = load_settings()
    first = retrieval.ensure_index(settings, [kb])
    assert first.added == 3
    monkeypatch.setattr(retrieval, "embedder", lambda threads=1: pytest.fail("must not load the model"))
    second = retrieval.ensure_index(settings, [kb])
    assert second.unchanged == 3 and second.chunks == 0


def test_seeds_apa_itu_rasa_ranks_the_rasa_paragraph_first(store):
    """Done-when of issue 2: after ingesting the seeds, "apa itu RASA" finds the paragraph that explains
    Receive, Appreciate, Summarize, Ask."""
    summary = store.ingest([SEEDS])
    assert summary.added >= 3 and not summary.skipped
    best = store.search("apa itu RASA", k=3)[0]
    assert best.source == "seeds/000_367284e88fb1f38c.txt"
    for word in ("Receive", "Appreciate", "Summarize", "Ask"):
        assert word in best.text


def test_shared_chroma_server(tmp_path, data_dir):
    """CHROMA_HOST/CHROMA_PORT: the same store works against a real `chroma run` server on loopback."""
    import os
    import socket
    import subprocess
    import sys
    import time

    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.3)
        store = KnowledgeStore(load_settings(chroma_host="127.0.0.1", chroma_port=port))
        assert store.ingest([write_corpus(tmp_path)]).added == 3
        assert not (data_dir / "chroma").exists()            # nothing stored locally
        best = store.search("bagaimana merangkum cerita coachee", k=1)[0]
        assert (best.source, best.heading) == ("kb/id/rasa.md", "RASA > Summarize")
        again = KnowledgeStore(load_settings(chroma_host="127.0.0.1", chroma_port=port)).ingest([write_corpus(tmp_path / "x")])
        assert again.unchanged == 3
        server.terminate()
        server.wait(timeout=20)
        with pytest.raises(StoreError, match=f"127.0.0.1:{port}.*cannot be searched"):
            store.search("rangkuman", k=1)     # the server went away: one clear error, not a traceback
    finally:
        server.terminate()
        server.wait(timeout=20)
