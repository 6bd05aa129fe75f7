"""The app served in-process on a free loopback port, with its environment set for the test and put back after."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_app(env: dict[str, str | None]) -> Iterator[tuple[str, object]]:
    """Yield (base URL without a trailing slash, the Gradio app); `env` values of None are unset."""
    from simulator.config import load_settings
    from simulator.ui import launch

    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    port = free_port()
    demo = launch(load_settings(), knowledge=False, host="127.0.0.1", port=port, prevent_thread_lock=True,
                  quiet=True)
    try:
        yield f"http://127.0.0.1:{port}", demo
    finally:
        demo.close()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
