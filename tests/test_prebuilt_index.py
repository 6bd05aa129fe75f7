"""The shipped knowledge index (simulator/retrieval/prebuilt.py): current with knowledge/, used on a first ingest instead of
the model, never used for a file or chunk it does not match, and ignored when made by another model."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from simulator.config import KNOWLEDGE_DIR, Settings
from simulator.retrieval import prebuilt
from simulator.retrieval import search as retrieval
from simulator.retrieval.search import KnowledgeStore


def test_the_shipped_index_is_current_with_knowledge():
    problems = prebuilt.stale(KNOWLEDGE_DIR)
    assert problems == [], ("The shipped knowledge index is stale: " + "; ".join(problems[:10])
                            + " -- run `make prebuilt-index` and commit simulator/retrieval/data/knowledge_index.*")
    assert prebuilt.load() is not None


def test_a_first_ingest_copies_the_shipped_vectors_and_never_loads_the_model(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieval, "embedder", lambda threads=1: pytest.fail("the model must not be loaded"))
    store = KnowledgeStore(Settings(data_dir=tmp_path))
    summary = store.ingest([KNOWLEDGE_DIR])
    assert summary.added == len(list(KNOWLEDGE_DIR.rglob("*.md"))) and summary.chunks > 50
    assert summary.prebuilt == summary.chunks
    monkeypatch.undo()
    # The copied vectors are the model's own (float16 rounding aside): compare one file's with a fresh embedding.
    got = store._open().get(where={"source": "knowledge/id/rasa.md"}, include=["embeddings", "documents",
                                                                               "metadatas"])
    order = np.argsort([m["chunk"] for m in got["metadatas"]])
    stored = np.asarray(got["embeddings"])[order]
    texts = [(f"{got['metadatas'][i]['heading']}\n\n" if got['metadatas'][i]['heading'] else "")
             + got["documents"][i] for i in order]
    fresh = np.asarray(retrieval.embed_passages(texts))
    cosines = (stored * fresh).sum(1) / np.linalg.norm(stored, axis=1) / np.linalg.norm(fresh, axis=1)
    assert cosines.min() > 0.999
    assert store.search("apa itu RASA", k=1)[0].source == "knowledge/id/rasa.md"


def test_a_changed_file_is_embedded_and_the_others_are_copied(tmp_path, monkeypatch):
    folder = tmp_path / "materi"
    shutil.copytree(KNOWLEDGE_DIR / "id", folder)
    changed = folder / "rasa.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n## Catatan baru\n\nRingkasan tambahan untuk uji.\n",
                       encoding="utf-8")
    embedded: list[str] = []
    real = retrieval.embed_passages
    monkeypatch.setattr(retrieval, "embed_passages",
                        lambda texts, threads=1: embedded.extend(texts) or real(texts, threads))
    summary = KnowledgeStore(Settings(data_dir=tmp_path / "data")).ingest([folder])
    assert summary.added == len(list(folder.glob("*.md")))
    assert len(embedded) == summary.chunks - summary.prebuilt          # only rasa.md's chunks were embedded
    assert any("Ringkasan tambahan" in t for t in embedded)
    assert 0 < len(embedded) < summary.chunks


def _fake_embed(texts):
    return [[float(len(t) % 7), 1.0, float(i)] for i, t in enumerate(texts)]


def test_written_index_round_trips_and_staleness_is_reported(tmp_path):
    kn = tmp_path / "knowledge"
    (kn / "id").mkdir(parents=True)
    (kn / "id" / "a.md").write_text("# A\n\nSatu dua tiga.\n\n## B\n\nEmpat lima.\n", encoding="utf-8")
    (kn / "id" / "b.md").write_text("# C\n\nEnam tujuh.\n", encoding="utf-8")
    manifest, vectors = tmp_path / "index.json", tmp_path / "index.npy"
    meta = prebuilt.write(kn, _fake_embed, manifest=manifest, vectors=vectors)
    assert set(meta["files"]) == {"knowledge/id/a.md", "knowledge/id/b.md"}
    assert np.load(vectors).dtype == np.float16
    assert prebuilt.stale(kn, manifest=manifest) == []
    loaded = prebuilt.load(manifest, vectors)
    entry = meta["files"]["knowledge/id/a.md"]
    from simulator.retrieval.chunking import chunk_document, read_document

    texts = [c.embed_text for c in chunk_document(kn / "id" / "a.md", read_document(kn / "id" / "a.md")[0])]
    assert loaded.lookup(entry["hash"], texts) == _fake_embed(texts)
    assert loaded.lookup(entry["hash"], texts[:-1] + ["other text"]) is None    # a chunk that differs: embed
    assert loaded.lookup("0" * 64, texts) is None
    (kn / "id" / "a.md").write_text("# A\n\nSatu.\n", encoding="utf-8")
    (kn / "id" / "b.md").unlink()
    (kn / "id" / "c.md").write_text("# D\n\nDelapan.\n", encoding="utf-8")
    assert prebuilt.stale(kn, manifest=manifest) == ["knowledge/id/a.md: changed", "knowledge/id/c.md: new",
                                                     "knowledge/id/b.md: removed"]


def test_an_index_from_another_model_or_a_damaged_one_is_ignored(tmp_path):
    meta = json.loads(prebuilt.MANIFEST.read_text(encoding="utf-8"))
    other = tmp_path / "other.json"
    other.write_text(json.dumps(dict(meta, model="some-other-model/v2")), encoding="utf-8")
    assert prebuilt.load(other, prebuilt.VECTORS) is None
    assert prebuilt.stale(KNOWLEDGE_DIR, manifest=other)[0].startswith("model some-other-model")
    short = tmp_path / "short.npy"
    np.save(short, np.load(prebuilt.VECTORS)[:3])
    assert prebuilt.load(prebuilt.MANIFEST, short) is None
