"""Shared fixtures. Every test runs offline: a socket guard refuses any connection outside loopback."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from simulator import offline

offline.setup()

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(AssertionError):
    pass


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_loopback(address):
        raise NetworkBlocked(f"test tried to connect outside loopback: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_loopback(address):
        raise NetworkBlocked(f"test tried to connect outside loopback: {address!r}")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "") and not _is_loopback((host,)):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise NetworkBlocked(f"test tried to resolve a remote host: {host!r}") from None
    return _real_getaddrinfo(host, *args, **kwargs)


ATTEMPTS: list = []


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Refuse (and record) every connection or DNS lookup that leaves the machine."""
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh PAMONG_DATA_DIR for one test."""
    path = tmp_path / "data"
    monkeypatch.setenv("PAMONG_DATA_DIR", str(path))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PAMONG_VOICE", "CHROMA_HOST", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return path
