# ruff: noqa: F811 - the PostgreSQL fixtures are imported from store_backends and named as test arguments
"""A PostgreSQL outage is waited for on every call a turn makes, reads included (issue #14).

A turn in the app reads before it writes: the page checks who is typing (`owner_named`) and a conflict reloads
the session (`load_session`, `info`). When only the write waited for the server, a read failing at once showed
the outage to the trainee and the turn was never taken (test_serve's mid-burst restart). Here the server is
down while those reads are made: each waits and answers; a server that stays down gives the one clear error."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from store_backends import COACH, PASSWORD, persona_id, postgres, postgres_url  # noqa: F401 - fixtures

from simulator.errors import StoreError
from simulator.session import Session
from simulator.storage.store import Store


def _pg_ctl(postgres, *args: str) -> None:
    postgres._run("pg_ctl", "-D", str(postgres.data), "-l", str(postgres.dir / "log"), "-w", "-t", "60", *args)


def _start(postgres) -> None:
    """Start the stopped cluster on its own port and socket directory (as store_backends.Cluster does)."""
    _pg_ctl(postgres, "-o", f"-c listen_addresses=127.0.0.1 -p {postgres.port} -c unix_socket_directories="
            f"{postgres.dir} -c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            "-c max_connections=100", "start")


@contextmanager
def stopped(postgres):
    """The server stopped for the block, then started again so later tests find it running."""
    _pg_ctl(postgres, "-m", "fast", "stop")
    try:
        yield
    finally:
        _start(postgres)


def test_reads_a_turn_makes_wait_for_a_restarting_server(postgres, postgres_url, persona_id, caplog):
    store = Store(postgres_url)
    session = Session(persona_id, "id", recorder=store.recorder("Ani", strict=True))
    session.coach_says(COACH[0])
    caplog.set_level("WARNING", logger="pamong.store")
    _pg_ctl(postgres, "-m", "fast", "stop")
    starter = threading.Timer(1.0, _start, args=(postgres,))
    starter.start()
    try:
        started = time.monotonic()
        assert store.owner_named("ani") == "Ani"          # the page's check of who is typing, every turn
        waited = time.monotonic() - started
        assert store.info(session.id, "Ani").turns == 2
        again = store.load_session(session.id, viewer="Ani")
        assert [t.text for t in again.turns] == [t.text for t in session.turns]
    finally:
        starter.join()
    assert waited >= 0.5, "the server was down: the read should have waited for it"
    assert any("owner_named retrying for up to" in r.getMessage() for r in caplog.records)
    assert PASSWORD not in caplog.text
    store.close()


def test_a_server_that_stays_down_gives_one_clear_error_after_the_wait(postgres, postgres_url, caplog):
    store = Store(postgres_url, reconnect_for=0.6)
    caplog.set_level("WARNING", logger="pamong.store")
    with stopped(postgres):
        _wait_for_the_error(store, caplog)


def _wait_for_the_error(store, caplog):
    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot be reached") as raised:
        store.owner_named("ani")
    assert 0.3 <= time.monotonic() - started < 5
    assert "\n" not in str(raised.value) and PASSWORD not in str(raised.value)
    assert any("owner_named gave up" in r.getMessage() for r in caplog.records)
    store.close()
