"""Browser-test fixtures: Debian's headless Chromium and the app started by the test in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from served_app import free_port

from simulator.config import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TINY_KNOWLEDGE = """# Pertanyaan terbuka

Pertanyaan terbuka dimulai dengan apa, bagaimana, seberapa, kapan, siapa atau di mana. Pertanyaan tertutup
("apakah", "sudahkah") hanya mengundang jawaban ya atau tidak; ubah menjadi "Bagaimana ...?" agar coachee
berpikir. Hindari "mengapa", yang membuat coachee membela diri; tanyakan "Apa yang membuat ...?".

## RASA

Receive, Appreciate, Summarize, Ask: terima kata kunci, apresiasi, rangkum, lalu bertanya dari kata kunci itu.
"""


class Server:
    """`python app.py` on a free loopback port with its own data folder; restartable on the same folder."""

    def __init__(self, data_dir: Path, knowledge: str, log: Path, env: dict[str, str] | None = None):
        self.data_dir, self.knowledge, self.log, self.extra = data_dir, knowledge, log, env or {}
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 180) -> None:
        env = {**os.environ, "PAMONG_DATA_DIR": str(self.data_dir), "GRADIO_SERVER_NAME": "127.0.0.1",
               "GRADIO_SERVER_PORT": str(self.port), "PAMONG_KNOWLEDGE_DIR": self.knowledge,
               "PAMONG_VOICE": "scripted", "GRADIO_ANALYTICS_ENABLED": "False", "PAMONG_EMBED_THREADS": "1"}
        for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PAMONG_USERS", "PAMONG_AUTH_FILE", "DATABASE_URL"):
            env.pop(var, None)
        env.update(self.extra)
        self.proc = subprocess.Popen([sys.executable, str(REPO_ROOT / "app.py")], cwd=REPO_ROOT, env=env,
                                     stdout=self.log.open("a"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the app exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"the app did not answer on {self.url} within {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium — run "
                    "`apt-get install chromium` (.ci/run installs it).", pytrace=False)
    return str(CHROMIUM)


@pytest.fixture
def server(tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "pertanyaan.md").write_text(TINY_KNOWLEDGE, encoding="utf-8")
    srv = Server(tmp_path / "data", str(knowledge), tmp_path / "app.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def login_server(tmp_path):
    srv = Server(tmp_path / "data", "off", tmp_path / "app.log",
                 env={"PAMONG_USERS": "ani:pw-ani:trainee,fasil:pw-fasil:facilitator"})
    srv.start()
    yield srv
    srv.stop()
