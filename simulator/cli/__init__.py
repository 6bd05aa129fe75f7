"""The `pamong` command. Each subcommand lives in its own module with `register(subparsers)`;
this file only parses, dispatches and translates errors into one clear line for a person."""

from __future__ import annotations

import argparse
import importlib
import sys

from simulator import offline
from simulator.errors import SimulatorError

# Subcommand modules, in the order `pamong --help` lists them.
COMMANDS = ["ingest", "search", "classify", "evaluate", "personas", "chat", "serve"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pamong", description="Coaching-practice simulator.")
    parser.add_argument("--data-dir", help="where the index and sessions live (env PAMONG_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command still being built must not break the others
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    offline.setup()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SimulatorError as exc:
        print(f"pamong: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pamong: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
