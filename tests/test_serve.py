# ruff: noqa: F811 - the PostgreSQL fixtures are imported from store_backends and named as test arguments
"""`pamong serve --workers 2` for real: the supervisor, two app processes, nginx and a throwaway PostgreSQL, all
on 127.0.0.1. A trainee is driven through the proxy with the page's own protocol (cookies kept, as a browser).

- the process serving a trainee is killed: the next turn lands on the other process, which says (one line)
  "start or resume a session first" and takes no turn; the trainee resumes with the session code and carries on
  with every turn saved; the supervisor restarts the dead process; a facilitator sees the submitted session from
  either process;
- the sticky cookie is lost (the request reaches the wrong process): the same clear line, nothing half-taken;
- PostgreSQL drops every connection during a burst: each trainee's turns in the database are whole (every coach
  turn answered) and match what the trainee was shown."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fake_openai_server import FakeOpenAIServer
from gradio_page import EndpointFailed, Page, api_description
from store_backends import postgres  # noqa: F401 - fixture

from simulator.cli.serving import port_free
from simulator.config import REPO_ROOT

pytestmark = pytest.mark.slow
PERSONA = "pra_observasi_guru_matematika"
TURNS = ["Selamat siang, Bu. Apa yang ingin Ibu bicarakan hari ini?",
         "Jadi Ibu khawatir soal kelas itu. Apa yang paling Ibu harapkan?",
         "Bagaimana Ibu melihat situasinya sekarang?",
         "Apa yang sudah Ibu coba sejauh ini?"]
BURST_TURNS = [f"{text} ({n})" for n in range(6) for text in TURNS]   # long enough to outlast the interruptions
NEED_SESSION = "Mulai atau lanjutkan sesi dulu."


def _base_port() -> int:
    rng = random.Random(os.getpid())
    for _ in range(50):
        base = rng.randrange(20000, 40000)
        if all(port_free("127.0.0.1", port) for port in range(base, base + 3)):
            return base
    pytest.fail("no three free ports in a row on 127.0.0.1")


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got = check()
            if got:
                return got
        except (OSError, ValueError, httpx.HTTPError):
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class Farm:
    def __init__(self, url: str, run_dir: Path, db_url: str, proc: subprocess.Popen):
        self.url, self.run_dir, self.db_url, self.proc = url, run_dir, db_url, proc

    def status(self) -> dict:
        return json.loads((self.run_dir / "serve.json").read_text())

    def worker(self, name: str) -> dict:
        return next(w for w in self.status()["workers"] if w["name"] == name)

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.db_url) as conn:
            return [tuple(r) for r in conn.execute(sql, args).fetchall()]

    def turns(self, session_id: str) -> list[tuple[str, str]]:
        """The saved turns of a session, by its full id or the short code the trainee sees."""
        return self.rows("SELECT speaker, text FROM turns WHERE session_id LIKE %s ORDER BY idx", (session_id + "%",))

    def all_serving(self, timeout: float = 120) -> None:
        for w in self.status()["workers"]:
            direct = f"http://127.0.0.1:{w['port']}/"
            _wait(lambda d=direct: httpx.get(d, timeout=2).status_code == 200, timeout, f"{w['name']} to serve")


def _refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def running_farm(postgres, tmp_path_factory, **extra_env: str):
    db_url = postgres.new_database()
    data = tmp_path_factory.mktemp("serve-data")
    run_dir = tmp_path_factory.mktemp("serve-run")
    port = _base_port()
    env = {k: v for k, v in os.environ.items() if k not in (
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "PAMONG_VOICE", "PAMONG_USERS", "PAMONG_AUTH_FILE", "CHROMA_HOST")}
    env.update(DATABASE_URL=db_url, PAMONG_DATA_DIR=str(data), GRADIO_ANALYTICS_ENABLED="False",
               ANONYMIZED_TELEMETRY="False", PYTHONPATH=str(REPO_ROOT), **extra_env)
    out = open(run_dir / "supervisor.out", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--workers", "2", "--no-index",
                             "--port", str(port), "--run-dir", str(run_dir)], cwd=REPO_ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: proc.poll() is None and (run_dir / "serve.json").exists(), 150, "pamong serve to start")
        yield Farm(url, run_dir, db_url, proc)
    finally:
        pids = []
        if (run_dir / "serve.json").exists():
            status = json.loads((run_dir / "serve.json").read_text())
            pids = [w["pid"] for w in status["workers"]] + [status["nginx_pid"]]
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()
        # the supervisor stops what it started: no app process or nginx left behind
        time.sleep(0.5)
        left = [pid for pid in pids if pid and Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
        assert left == [], f"processes left running after the supervisor stopped: {left}"


@pytest.fixture(scope="module")
def farm(postgres, tmp_path_factory):
    with running_farm(postgres, tmp_path_factory) as f:
        yield f


def _start(page: Page, name: str) -> str:
    """Start a session through the proxy; the brief shows its short code, the database holds the full id."""
    out = page.predict(name, PERSONA, "id", "id", api_name="/start")
    found = re.search(r"Kode sesi: ([0-9a-f]{8})", " ".join(map(str, out)))
    assert found, out
    return found.group(1)


def _send(page: Page, text: str) -> tuple[list, str]:
    out = page.predict(text, True, True, False, "id", api_name="/send")
    return out[0], str(out[4])


def test_a_killed_process_loses_no_turn_and_the_trainee_carries_on_elsewhere(farm):
    api = api_description(farm.url)
    page = Page(farm.url, api)
    sid = _start(page, "ani")
    first = page.node
    assert first in ("w1", "w2")
    for i, text in enumerate(TURNS[:2]):
        chat, status = _send(page, text)
        assert len(chat) == 2 * (i + 1) and status == ""
        assert page.node == first                    # sticky: every request went to the same process

    victim = farm.worker(first)
    os.kill(victim["pid"], signal.SIGKILL)
    # Once the process is gone its port refuses connections and nginx moves on at once. (A request already
    # written to the process as it died is not re-sent: the page then shows Gradio's connection error.)
    _wait(lambda: _refused(victim["port"]), 10, "the killed process's port to close")
    # The next turn reaches the other process, which does not hold this tab's state: one clear line, no turn.
    chat, status = _send(page, TURNS[2])
    assert page.node != first
    assert status == NEED_SESSION
    assert len(farm.turns(sid)) == 4                 # saved turns intact, nothing half-taken
    out = page.predict(None, sid, "ani", "id", api_name="/resume")
    chat = next(o for o in out if isinstance(o, list))  # the API's outputs: the views' updates, then the chat, …
    assert len(chat) == 4 and "4 giliran dimuat" in " ".join(map(str, out))   # "Sesi dilanjutkan: 4 giliran dimuat."
    for text in TURNS[2:]:
        chat, status = _send(page, text)
        assert status == ""
    assert len(chat) == 8
    saved = farm.turns(sid)
    assert [s for s, _ in saved] == ["coach", "coachee"] * 4 and [t for s, t in saved if s == "coach"] == TURNS
    assert page.predict("id", api_name="/submit")[0] != ""
    assert farm.rows("SELECT submitted FROM sessions WHERE id LIKE %s", (sid + "%",))[0][0]

    # The supervisor restarts the killed process; a facilitator sees the same sessions from either process.
    restarted = _wait(lambda: farm.worker(first)["restarts"] == 1 and farm.worker(first), 30, "the restart")
    assert restarted["pid"] != victim["pid"]
    assert "exited with -9; restarting" in (farm.run_dir / "supervisor.out").read_text()
    farm.all_serving()
    for w in farm.status()["workers"]:
        facilitator = Page(f"http://127.0.0.1:{w['port']}")
        table = facilitator.predict("fasilitator", "", "", "", "", "", "", "id", api_name="/review_search")[0]
        assert sid in json.dumps(table), (w["name"], table)
        facilitator.close()
    page.close()


def test_a_lost_sticky_cookie_gives_one_clear_line_and_takes_no_half_turn(farm):
    farm.all_serving()
    page = Page(farm.url)
    sid = _start(page, "budi")
    _send(page, TURNS[0])
    home = page.node
    other = "w2" if home == "w1" else "w1"
    page.http.cookies.clear()                        # a proxy that lost or mangled the cookie
    page.http.cookies.set("pamong_node", other, domain="127.0.0.1", path="/")
    chat, status = _send(page, TURNS[1])
    assert status == NEED_SESSION and page.node == other
    assert len(farm.turns(sid)) == 2
    page.predict(None, sid, "budi", "id", api_name="/resume")
    chat, status = _send(page, TURNS[1])
    assert status == "" and len(chat) == 4 and len(farm.turns(sid)) == 4
    page.close()


def _burst(farm, interrupt) -> None:
    """Six trainees take twelve turns each at once while `interrupt(playing)` runs (`playing()`: how many are still
    taking turns); afterwards every trainee's session in
    the database holds whole turns only, and exactly the turns the trainee was shown."""
    farm.all_serving()
    api = api_description(farm.url)
    pages = [Page(farm.url, api) for _ in range(6)]
    sids = [_start(p, f"burst-{i}-{time.monotonic_ns()}") for i, p in enumerate(pages)]
    shown: dict[int, int] = {}
    notes: dict[int, list[str]] = {}
    errors: list[str] = []

    def play(i: int) -> None:
        try:
            chat = []
            for text in BURST_TURNS:
                chat, status = _send(pages[i], text)
                if status:
                    notes.setdefault(i, []).append(status)
            shown[i] = len(chat)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"{i}: {exc}")

    threads = [threading.Thread(target=play, args=(i,)) for i in range(len(pages))]
    for th in threads:
        th.start()
    interrupt(lambda: sum(th.is_alive() for th in threads))
    for th in threads:
        th.join(120)
    assert errors == []
    for i, sid in enumerate(sids):
        saved = _wait(lambda sid=sid: (lambda rows: rows if len(rows) == 2 * len(BURST_TURNS) else None)(farm.turns(sid)),
                      30, f"session {i}'s turns to be saved ({notes.get(i)})")
        speakers = [s for s, _ in saved]
        assert speakers == ["coach", "coachee"] * len(BURST_TURNS), f"a half-saved turn in {sid}: {speakers}"
        assert shown[i] == len(saved), (i, len(saved), shown[i], notes.get(i))
    for p in pages:
        p.close()


def test_postgresql_dropping_every_connection_mid_burst_leaves_whole_turns(farm, postgres):
    database = farm.db_url.rsplit("/", 1)[1]
    dropped = []

    def drop(playing):
        for _ in range(3):   # what an administrator or a failing network does to the open connections
            time.sleep(0.15)
            assert playing() > 0, "the burst ended before the connections were dropped: make it longer"
            with postgres.admin() as conn:
                dropped.append(conn.execute("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                            "datname = %s AND pid <> pg_backend_pid()", (database,)).fetchone()[0])

    _burst(farm, drop)
    assert sum(dropped) > 0


def test_postgresql_restarted_mid_burst_leaves_whole_turns(farm, postgres):
    def restart(playing):
        time.sleep(0.2)
        assert playing() > 0, "the burst ended before PostgreSQL restarted: make it longer"
        postgres._run("pg_ctl", "-D", str(postgres.data), "-l", str(postgres.dir / "log"), "-m", "fast", "-w", "-t",
                      "60", "restart")

    _burst(farm, restart)


def test_a_process_killed_mid_turn_leaves_the_turn_whole_after_resuming(postgres, tmp_path_factory):
    """A model voice that takes 1.2 s per reply: the process is killed while the coachee's reply is being made.
    The coach turn was saved before the model was asked; resuming on the other process answers it."""
    lines = iter(f"Saya masih memikirkan kelas itu, Pak, bagian {n} yang paling berat." for n in range(1, 99))
    with FakeOpenAIServer(reply=lambda body: next(lines), latency=1.2) as model, \
            running_farm(postgres, tmp_path_factory, PAMONG_VOICE="openai", OPENAI_BASE_URL=model.base_url,
                         OPENAI_API_KEY="test-key", PAMONG_MODEL_RETRIES="0") as slow:
        page = Page(slow.url)
        sid = _start(page, "citra")
        chat, status = _send(page, TURNS[0])
        assert len(chat) == 2
        victim = slow.worker(page.node)
        failed: list[BaseException] = []

        def second_turn():
            try:
                _send(page, TURNS[1])
            except (EndpointFailed, httpx.HTTPError) as exc:
                failed.append(exc)

        th = threading.Thread(target=second_turn)
        th.start()
        _wait(lambda: model.hits >= 2, 20, "the model to be asked for the second reply")
        os.kill(victim["pid"], signal.SIGKILL)
        th.join(30)
        assert failed, "the trainee's turn should have failed visibly with its process"
        saved = slow.turns(sid)
        assert [s for s, _ in saved] == ["coach", "coachee", "coach"] and saved[-1][1] == TURNS[1]
        _wait(lambda: _refused(victim["port"]), 10, "the killed process's port to close")
        out = page.predict(None, sid, "citra", "id", api_name="/resume")
        assert page.node != victim["name"]
        saved = slow.turns(sid)
        assert [s for s, _ in saved] == ["coach", "coachee"] * 2, saved     # the pending turn answered
        assert len(next(o for o in out if isinstance(o, list))) == 4   # the chat, after the views' updates
        chat, status = _send(page, TURNS[2])
        assert len(chat) == 6 and [s for s, _ in slow.turns(sid)] == ["coach", "coachee"] * 3
        page.close()
