"""pamong serve [--host HOST] [--port PORT] [--knowledge PATH | --no-index] [--workers N] — start the web app.

`--workers N` serves with N app processes behind nginx (sticky per trainee), over DATABASE_URL (PostgreSQL for
several machines) and a Chroma server (started for you unless CHROMA_HOST is set); see docs/deployment.md.

Defaults: 127.0.0.1:7860 (or GRADIO_SERVER_NAME / GRADIO_SERVER_PORT). Any other host requires login
(PAMONG_AUTH_FILE or PAMONG_USERS). `--hash-password` reads a password from stdin and prints the hash to put
in the users file.
"""

from __future__ import annotations

import getpass
import sys

from simulator.config import load_settings


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="start the web app (Practice, Review, Progress)",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--host", help="interface to listen on (default 127.0.0.1; env GRADIO_SERVER_NAME)")
    p.add_argument("--port", type=int, help="port (default 7860; env GRADIO_SERVER_PORT)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--knowledge", help="folder to index for citations (default knowledge/)")
    group.add_argument("--no-index", action="store_true", help="start without the knowledge index")
    p.add_argument("--workers", type=int, metavar="N",
                   help="N app processes behind nginx on HOST:PORT (they listen on 127.0.0.1:PORT+1..PORT+N)")
    p.add_argument("--run-dir", help="with --workers: where nginx's configuration, the logs and serve.json go "
                                     "(default: a new folder in the system's temporary folder)")
    p.add_argument("--print-nginx", action="store_true",
                   help="print the nginx site for a system nginx (listening on HOST:PORT) and exit; the app "
                        "processes are --backends, or 127.0.0.1:PORT+1..PORT+N with --workers N")
    p.add_argument("--backends", help="with --print-nginx: HOST:PORT,HOST:PORT,... of the app processes")
    p.add_argument("--hash-password", action="store_true",
                   help="read a password (stdin) and print its hash for PAMONG_AUTH_FILE, then exit")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.hash_password:
        from simulator.ui.auth import hash_password

        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        print(hash_password(password))
        return 0
    settings = load_settings(data_dir=args.data_dir, host=args.host, port=args.port)
    knowledge = False if args.no_index else args.knowledge
    if args.print_nginx:
        from simulator.cli.serving import print_site

        backends = args.backends.split(",") if args.backends else \
            [f"127.0.0.1:{settings.port + i}" for i in range(1, (args.workers or 2) + 1)]
        print(print_site(f"{settings.host}:{settings.port}", backends))
        return 0
    if args.workers is not None:
        from simulator.cli.serving import serve

        return serve(settings, workers=args.workers, host=settings.host, port=settings.port, knowledge=knowledge,
                     run_dir=args.run_dir)
    from simulator.ui import launch

    launch(settings, knowledge=knowledge)
    return 0
