"""A real, throwaway PostgreSQL cluster for the store tests (one per test run), and backend-neutral helpers.

PostgreSQL refuses to run as root and the tests run as root: the cluster lives in a temporary folder owned
by the `postgres` user (created by Debian's package) and its programs run through `runuser -u postgres`.
It listens on 127.0.0.1 on a free port, with its socket in the same folder, password authentication on.
Missing binaries FAIL the test run with what to install — they are never a reason to skip.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest
from served_app import free_port

from simulator.coachee.persona import load_personas

PASSWORD = "pamong-test-secret"
INSTALL = "install Debian's postgresql package (apt-get install postgresql)"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if not found:
        pytest.fail(f"PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin: {INSTALL}",
                    pytrace=False)
    return Path(found[-1]).parent


class Cluster:
    def __init__(self):
        self.bin = _bin_dir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail(f"There is no 'postgres' user to run the test cluster: {INSTALL}", pytrace=False)
        self.dir = Path(tempfile.mkdtemp(prefix="pamong-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.started = False
        self._n = itertools.count(1)
        if self.as_root:
            os.chown(self.dir, self.pw.pw_uid, self.pw.pw_gid)
        os.chmod(self.dir, 0o700)
        pwfile = self.dir / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.as_root:
            os.chown(pwfile, self.pw.pw_uid, self.pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                  "--auth=scram-sha-256", f"--pwfile={pwfile}", "--no-sync", "--no-instructions")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
                "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "-t", "60",
                  "start")
        self.started = True

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin / program), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, cwd=self.dir, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = (self.dir / "log").read_text(errors="replace")[-2000:] if (self.dir / "log").exists() else ""
            pytest.fail(f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{log}",
                        pytrace=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def new_database(self) -> str:
        """A fresh, empty database for one test; its URL."""
        name = f"t{os.getpid()}_{next(self._n)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except BaseException:  # noqa: BLE001 - still remove the folder
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


_cluster: Cluster | None = None


def cluster() -> Cluster:
    """The run's one cluster, started on first use (initdb takes a few seconds)."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
        atexit.register(_cluster.stop)  # also when pytest is interrupted
    return _cluster


@pytest.fixture(scope="session")
def postgres():
    c = cluster()
    yield c
    c.stop()
    globals()["_cluster"] = None


@pytest.fixture
def postgres_url(postgres):
    return postgres.new_database()


def rows(store, sql: str, args: tuple = ()) -> list[tuple]:
    """Read the store's database directly with its driver (not through the Store), as tuples."""
    if store.backend == "sqlite":
        with sqlite3.connect(store.path) as conn:
            return [tuple(r) for r in conn.execute(sql, args).fetchall()]
    import psycopg

    with psycopg.connect(store.db.url) as conn:
        return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), args).fetchall()]


# A short Indonesian coaching conversation the store tests replay on either backend.
COACH = [
    "Selamat siang, Bu. Apa yang ingin Ibu bicarakan hari ini?",
    "Jadi Ibu merasa kelas itu sulit dikendalikan. Apa yang paling Ibu harapkan dari percakapan ini?",
    "Bagaimana Ibu melihat situasinya sekarang?",
    "Apa yang sudah Ibu coba sejauh ini?",
]


@pytest.fixture
def persona_id():
    return sorted(load_personas())[0]
