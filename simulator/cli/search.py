"""`pamong search "QUERY" [-k N] [--lang id|en] [--json]`: the best passages from the knowledge index."""

from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

from simulator.config import load_settings
from simulator.errors import InputError
from simulator.retrieval.search import KnowledgeStore

EMPTY = "The knowledge index is empty: run `pamong ingest` first."


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "search", help="search the knowledge index",
        description="Ranked passages (Indonesian, English or across languages) with score, source and heading.",
    )
    parser.add_argument("query", help="what to look for, in Indonesian or English")
    parser.add_argument("-k", type=int, default=3, help="how many passages (default 3)")
    parser.add_argument("--lang", choices=["id", "en"], help="prefer passages in this language")
    parser.add_argument("--json", action="store_true", help="print a JSON list of passages")
    parser.set_defaults(func=run)


def snippet(text: str, width: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rsplit(" ", 1)[0] + "…"


def run(args) -> int:
    if not args.query.strip():
        raise InputError("the search query is empty; give some words to look for.")
    if args.k < 1:
        raise InputError(f"-k must be at least 1 (got {args.k}).")
    store = KnowledgeStore(load_settings(data_dir=Path(args.data_dir) if args.data_dir else None))
    if store.count() == 0:
        if args.json:
            print("[]")
        print(EMPTY, file=sys.stderr if args.json else sys.stdout)
        return 1
    passages = store.search(args.query, k=args.k, lang=args.lang)
    if args.json:
        print(json.dumps([asdict(p) | {"cite": p.cite()} for p in passages], ensure_ascii=False, indent=2))
        return 0
    for rank, p in enumerate(passages, 1):
        print(f"{rank}. [{p.score:.3f}] {p.source}" + (f" § {p.heading}" if p.heading else "") + f"  ({p.lang})")
        print(textwrap.indent(textwrap.fill(snippet(p.text), width=100), "   "))
        print()
    return 0
