"""`pamong ingest [PATH ...]`: index .md/.txt files and folders (default: the repository's knowledge/)."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.config import KNOWLEDGE_DIR, load_settings
from simulator.retrieval.search import KnowledgeStore


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest", help="index coaching material (.md/.txt) for search",
        description="Index .md and .txt files (folders recursively). Unchanged files are not re-embedded, "
                    "changed files are replaced and files deleted from an ingested folder are removed.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default: {KNOWLEDGE_DIR})")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.add_argument("--write-prebuilt", action="store_true",
                        help="maintainers: embed knowledge/ from scratch and write the shipped index "
                             "(simulator/retrieval/data/knowledge_index.*; `make prebuilt-index`), then exit")
    parser.set_defaults(func=run)


class _Progress:
    """A tqdm bar on a terminal; otherwise nothing (logs stay clean)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int, source: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True)
        self.bar.set_postfix_str(source[-40:], refresh=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def write_prebuilt(settings) -> int:
    import time

    from simulator.retrieval import prebuilt
    from simulator.retrieval.search import embed_passages

    started = time.perf_counter()
    meta = prebuilt.write(KNOWLEDGE_DIR, lambda texts: embed_passages(texts, settings.embed_threads))
    rows = sum(len(f["chunks"]) for f in meta["files"].values())
    print(f"Wrote {prebuilt.VECTORS.name} and {prebuilt.MANIFEST.name}: {len(meta['files'])} files, {rows} chunks, "
          f"model {meta['model']}, in {time.perf_counter() - started:.1f} s")
    return 0


def run(args) -> int:
    settings = load_settings(data_dir=Path(args.data_dir) if args.data_dir else None)
    if args.write_prebuilt:
        return write_prebuilt(settings)
    paths = args.paths or [KNOWLEDGE_DIR]
    progress = _Progress(enabled=not args.quiet)
    try:
        summary = KnowledgeStore(settings).ingest(paths, progress=progress)
    finally:
        progress.close()
    for path, note in summary.notes:
        print(f"pamong: note: {path}: {note}", file=sys.stderr)
    for path, reason in summary.skipped:
        print(f"pamong: skipped {path}: {reason}", file=sys.stderr)
    print(summary.line())
    return 0
