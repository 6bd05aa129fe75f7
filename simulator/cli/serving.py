"""`pamong serve --workers N`: N app processes behind nginx, over one database and one Chroma server.

Why several processes: one Gradio process serves a classroom but not a burst (its own routing and queue cost
~8-11 ms of CPU per event whatever the app does, and a Python process gets one core). Sessions already live in
the database (PostgreSQL for several machines) and the index can live in a Chroma server, so what one process
holds alone is a tab's gr.State: nginx keeps each trainee on one process (deploy/nginx/pamong-site.conf.template
says how), and when that process dies the trainee lands on another, sees "Start or resume a session first",
resumes with the session code and carries on with every saved turn.

The supervisor, in order: a Chroma server (`chroma run`, unless CHROMA_HOST names one) -> the knowledge index
brought up to date once (the shipped vectors: ~1 s) -> the app processes on 127.0.0.1, ports PORT+1..PORT+N ->
nginx on HOST:PORT. It restarts an app process that exits, and stops everything on SIGTERM/SIGINT. What runs
where is written to RUN/serve.json (for operators and tests).
"""

from __future__ import annotations

import json
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from simulator.config import REPO_ROOT, Settings
from simulator.errors import InputError, StoreError

DEPLOY = REPO_ROOT / "deploy" / "nginx"
log = logging.getLogger("pamong.serve")


@dataclass
class Worker:
    name: str            # "w1": what the sticky cookie holds
    port: int
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started: float = 0.0      # monotonic time of the last start
    host: str = "127.0.0.1"   # another machine's address when nginx fronts several (--print-nginx --backends)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def render_site(listen: str, workers: list[Worker]) -> str:
    """The nginx site for these processes, from deploy/nginx/pamong-site.conf.template."""
    template = (DEPLOY / "pamong-site.conf.template").read_text(encoding="utf-8")
    upstreams = []
    for w in workers:
        backups = "".join(f"    server {o.address} max_fails=0 backup;\n" for o in workers if o is not w)
        upstreams.append(f"upstream pamong_{w.name} {{\n    server {w.address} max_fails=0;\n"
                         f"{backups}}}")
    fields = {
        "LISTEN": listen,
        "COOKIE_MAP": "\n".join(f"    {w.name} pamong_{w.name};" for w in workers),
        "SERVED_MAP": "\n".join(f'    "~(^|, ){re.escape(w.address)}$" {w.name};' for w in workers),
        "UPSTREAMS": "\n\n".join(upstreams),
        "POOL": "\n".join(f"    server {w.address} max_fails=0;" for w in workers),
    }
    for key, value in fields.items():
        template = template.replace(f"@@{key}@@", value)
    return template


def print_site(listen: str, backends: list[str]) -> str:
    """The nginx site for app processes anywhere ("host:port" each), for a system nginx (docs/deployment.md)."""
    workers = []
    for i, backend in enumerate(backends):
        host, _, port = backend.strip().rpartition(":")
        if not host or not port.isdigit():
            raise InputError(f"--backends: {backend!r} is not HOST:PORT (e.g. 10.0.0.5:7861).")
        workers.append(Worker(f"w{i + 1}", int(port), host=host))
    return render_site(listen, workers)


def _nginx_user() -> str:
    """nginx's worker processes drop root; as another user they simply run as that user."""
    if os.geteuid() != 0:
        return ""
    for name, group in (("www-data", "www-data"), ("nobody", "nogroup")):
        try:
            pwd.getpwnam(name)
            return f"user {name} {group};"
        except KeyError:
            continue
    return ""


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                           if Path(p).exists()), None)
    if not found:
        raise InputError("nginx is not installed: `sudo apt-get install nginx` (or run scripts/system-deps.sh), "
                         "then run `pamong serve --workers N` again.")
    return found


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


@dataclass
class Supervisor:
    settings: Settings
    workers: int
    host: str = "127.0.0.1"
    port: int = 7860
    knowledge: str | bool | None = None      # a folder, None for knowledge/, False for no index
    run_dir: Path | None = None               # default: a new folder in the system's temporary folder
    started: float = 0.0
    _workers: list[Worker] = field(default_factory=list)
    _chroma: subprocess.Popen | None = None
    _nginx: subprocess.Popen | None = None
    _stopping: bool = False
    _env_cache: dict = field(default_factory=dict)
    _own_run_dir: bool = False                # made here: removed again after a clean stop
    _asked_to_stop: bool = False

    # -- start -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.started = time.monotonic()
        if self.workers < 1:
            raise InputError(f"--workers must be at least 1 (got {self.workers}).")
        nginx = nginx_binary()
        self._check_login()
        ports = [self.port + i for i in range(1, self.workers + 1)]
        own_chroma = self.knowledge is not False and not self.settings.chroma_host and self.workers > 1
        extra = [("127.0.0.1", self.port + self.workers + 1)] if own_chroma else []
        for host, port in [(self.host, self.port)] + [("127.0.0.1", p) for p in ports] + extra:
            if not port_free(host, port):
                raise InputError(f"{host}:{port} is already in use: choose another --port (the app processes "
                                 f"use the {self.workers} ports after it).")
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="pamong-serve-"))
            self._own_run_dir = True
        self.run_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.run_dir, 0o755)   # nginx's workers (www-data) write their temporary files here
        (self.run_dir / "logs").mkdir(exist_ok=True)
        try:
            env = self._env_cache = self._env()
            if self.knowledge is not False:
                self._index(env)
            self._workers = [Worker(f"w{i + 1}", p) for i, p in enumerate(ports)]
            for w in self._workers:
                self._spawn(w, env)
            for w in self._workers:
                if not wait_http(f"http://{w.address}/", 180, w.proc):
                    raise StoreError(f"app process {w.name} (port {w.port}) did not start; see "
                                     f"{self.run_dir / 'logs' / (w.name + '.log')}")
            self._start_nginx(nginx)
        except BaseException:
            self.stop()   # nothing half-started is left behind
            raise
        self._write_status()
        log.warning("Pamong is serving on http://%s:%d with %d app processes (%.1f s); logs in %s",
                    self.host, self.port, self.workers, time.monotonic() - self.started, self.run_dir)

    def _check_login(self) -> None:
        from simulator.ui.auth import check_login_config, load_users

        check_login_config(self.host, load_users(self.settings.auth_file))

    def _env(self) -> dict[str, str]:
        env = dict(os.environ, PAMONG_DATA_DIR=str(self.settings.data_dir), PYTHONUNBUFFERED="1")
        if not self.settings.database_url and self.workers > 1:
            log.warning("DATABASE_URL is not set: the app processes share SQLite at %s (one machine only; use "
                        "PostgreSQL for several machines, see docs/deployment.md)", self.settings.db_path)
        if self.knowledge is not False and not self.settings.chroma_host and self.workers > 1:
            # Several processes must not write one local Chroma folder: they share a Chroma server instead.
            port = self.port + self.workers + 1
            path = Path(self.settings.data_dir) / "chroma-server"
            self._chroma = subprocess.Popen(
                [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path), "--host", "127.0.0.1",
                 "--port", str(port)], stdout=open(self.run_dir / "logs" / "chroma.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT, env=dict(env, ANONYMIZED_TELEMETRY="False"))
            if not wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, self._chroma):
                raise StoreError(f"the Chroma server did not start; see {self.run_dir / 'logs' / 'chroma.log'}")
            env.update(CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(port))
        return env

    def _index(self, env: dict[str, str]) -> None:
        """Once, before the app processes start, so they do not all embed the same new files at once."""
        from simulator.retrieval.search import ensure_index

        settings = self.settings.with_(chroma_host=env.get("CHROMA_HOST"),
                                       chroma_port=int(env["CHROMA_PORT"]) if env.get("CHROMA_PORT") else None)
        summary = ensure_index(settings, [Path(self.knowledge)] if self.knowledge not in (None, True) else None)
        if summary is not None:
            log.warning("%s", summary.line())

    def _spawn(self, w: Worker, env: dict[str, str]) -> None:
        args = [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", str(w.port)]
        if self.knowledge is False:
            args.append("--no-index")
        elif self.knowledge not in (None, True):
            args += ["--knowledge", str(self.knowledge)]
        logfile = open(self.run_dir / "logs" / f"{w.name}.log", "a")  # noqa: SIM115 - the child keeps it
        w.started = time.monotonic()
        w.proc = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT, env=env,
                                  cwd=REPO_ROOT)

    def _start_nginx(self, nginx: str) -> None:
        (self.run_dir / "tmp").mkdir(exist_ok=True)
        (self.run_dir / "pamong-site.conf").write_text(render_site(f"{self.host}:{self.port}", self._workers))
        main = (DEPLOY / "nginx-standalone.conf.template").read_text(encoding="utf-8")
        main = main.replace("@@RUN@@", str(self.run_dir)).replace("@@USER@@", _nginx_user())
        (self.run_dir / "nginx.conf").write_text(main)
        cmd = [nginx, "-e", str(self.run_dir / "nginx-error.log"), "-p", str(self.run_dir), "-c",
               str(self.run_dir / "nginx.conf")]
        check = subprocess.run(cmd + ["-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise StoreError(f"nginx rejected the configuration: {check.stderr.strip()[-500:]}")
        self._nginx = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_http(f"http://{self.host if self.host not in ('0.0.0.0', '::') else '127.0.0.1'}:{self.port}/",
                         30, self._nginx):
            raise StoreError(f"nginx did not start; see {self.run_dir / 'nginx-error.log'}")

    def _write_status(self) -> None:
        status = {"url": f"http://{self.host}:{self.port}", "run_dir": str(self.run_dir),
                  "nginx_pid": self._nginx.pid if self._nginx else None,
                  "chroma_pid": self._chroma.pid if self._chroma else None,
                  "workers": [{"name": w.name, "port": w.port, "pid": w.proc.pid if w.proc else None,
                               "restarts": w.restarts} for w in self._workers]}
        tmp = self.run_dir / "serve.json.tmp"
        tmp.write_text(json.dumps(status, indent=1))
        tmp.replace(self.run_dir / "serve.json")

    # -- run -------------------------------------------------------------------------------------------------

    def watch(self, poll: float = 0.5) -> None:
        """Restart app processes that exit (a crash, an OOM kill) until stopped; nginx meanwhile sends their
        trainees to the others."""
        while not self._stopping:
            for w in self._workers:
                # A process that keeps dying (a broken configuration) is restarted less and less often.
                backoff = min(2.0 ** w.restarts, 30.0) if time.monotonic() - w.started < 10 else 0.0
                if w.proc is not None and w.proc.poll() is not None and not self._stopping \
                        and time.monotonic() - w.started >= backoff:
                    log.warning("app process %s (port %d, pid %d) exited with %s; restarting it", w.name, w.port,
                                w.proc.pid, w.proc.returncode)
                    w.restarts += 1
                    self._spawn(w, self._env_cache)
                    self._write_status()
            if self._nginx is not None and self._nginx.poll() is not None and not self._stopping:
                log.error("nginx exited with %s; stopping (see %s)", self._nginx.returncode,
                          self.run_dir / "nginx-error.log")
                break
            time.sleep(poll)
        self.stop()

    def stop(self, *signal_args) -> None:
        if signal_args:
            self._asked_to_stop = True   # SIGTERM / Ctrl-C, as opposed to a failure
        self._stopping = True
        procs = [self._nginx] + [w.proc for w in self._workers] + [self._chroma]
        for proc in procs:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc is not self._nginx else signal.SIGQUIT)
        deadline = time.monotonic() + 10
        for proc in procs:
            if proc is None:
                continue
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def serve(settings: Settings, *, workers: int, host: str, port: int, knowledge: str | bool | None,
          run_dir: str | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s pamong serve: %(message)s")
    supervisor = Supervisor(settings, workers, host=host, port=port, knowledge=knowledge,
                            run_dir=Path(run_dir) if run_dir else None)
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    supervisor.start()
    print(f"Pamong: http://{host}:{port} ({workers} app processes; status in {supervisor.run_dir / 'serve.json'})",
          flush=True)
    supervisor.watch()
    if supervisor._own_run_dir and supervisor._asked_to_stop and not any(w.restarts for w in supervisor._workers):
        shutil.rmtree(supervisor.run_dir, ignore_errors=True)   # a clean run: nothing worth keeping
    return 0
