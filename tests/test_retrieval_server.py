"""The knowledge index on a real Chroma server (`chroma run`, as `pamong serve --workers N` starts it) that goes
away and comes back: a search says so in one line naming the server, the coachee's turn and the report go on
without citations (the report says why), and once the server is back the same store searches again."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from served_app import free_port

from simulator.config import KNOWLEDGE_DIR, Settings
from simulator.errors import StoreError
from simulator.retrieval.search import KnowledgeStore

pytestmark = pytest.mark.slow
COACH = ["Selamat pagi, Bu. Apa yang ingin Ibu bicarakan?", "Jadi Ibu khawatir. Apa yang paling Ibu harapkan?",
         "Apakah Ibu sudah mencoba kartu giliran?", "Kenapa Ibu belum mencobanya?"]   # lessons to cite for


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("chroma run did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_a_chroma_server_that_goes_away_and_comes_back(tmp_path):
    from simulator.coachee.voices import ScriptedVoice
    from simulator.evaluation.scoring import evaluate
    from simulator.session import Session

    port = free_port()
    server = start_chroma(tmp_path / "chroma", port)
    try:
        store = KnowledgeStore(Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port))
        summary = store.ingest([KNOWLEDGE_DIR])
        assert summary.prebuilt == summary.chunks > 0          # the shipped vectors go to the server too
        assert store.search("apa itu RASA", k=1)[0].source == "knowledge/id/rasa.md"

        # Several app processes starting at once each bring the same new index up to date: none fails.
        settings = store.settings
        racers = [KnowledgeStore(settings, collection="race") for _ in range(3)]
        failures: list[BaseException] = []

        def ingest(racer):
            try:
                racer.ingest([KNOWLEDGE_DIR])
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=ingest, args=(r,)) for r in racers]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
        assert failures == [] and racers[0].count() == summary.chunks
        stop(server)

        with pytest.raises(StoreError) as err:
            store.search("bagaimana merangkum ucapan coachee", k=2)
        message = str(err.value)
        assert f"127.0.0.1:{port}" in message and "\n" not in message
        session = Session("pra_observasi_guru_matematika", "id", ScriptedVoice(), searcher=store)
        for text in COACH:
            assert session.coach_says(text).reply                # the coachee answers without knowledge
        report = evaluate(session.to_transcript(), searcher=store)
        assert all(i.passage is None for i in report.improvements)
        assert any(f"127.0.0.1:{port}" in str(note) for note in report.notes), report.notes

        server = start_chroma(tmp_path / "chroma", port)        # the same data: nothing to re-index
        assert store.search("bagaimana merangkum ucapan coachee", k=1)
        assert store.count() == summary.chunks
    finally:
        stop(server)
