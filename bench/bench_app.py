"""App benchmark (issue 6): cold start and load through the app's HTTP API.

1. Cold start: `python app.py` in a subprocess with a temporary PAMONG_DATA_DIR whose knowledge index is
   already built (built once, first, with `pamong ingest`, and timed separately), until the first page is
   served (HTTP 200 on /). Target < 10 s. Run --starts times (the first run also pays the OS file cache).
2. Load: N simulated trainees (default 50) each start a session and take T coach turns (default 10) through
   the app's named HTTP API (/start, /send, /end), one thread per trainee, scripted voice (no API key),
   knowledge index on (as `make run` starts it). Each trainee speaks the protocol the page itself speaks
   (POST /gradio_api/queue/join, then read the server-sent events of /gradio_api/queue/data until the event's
   `process_completed`), over one kept-alive HTTP connection, like a browser tab. A turn's latency is what a
   trainee waits: from sending the message to the reply having arrived.
   - baseline: one trainee alone (the latency of an idle server);
   - burst: all N at once with no pause between turns (worst case: everyone presses Send at once, all the
     time); run twice: with the page's protocol, and with `gradio_client` (one Client per trainee, created
     before timing), whose reader thread polls for messages every 50 ms and adds that to every call;
   - paced: a classroom: each trainee starts at a random moment within the first pause and pauses --think
     seconds between turns (default 20-60 s: reading the reply and typing the next question).
   - floor: the same burst against Gradio apps with no work in them, served with Pamong's queue settings:
     "echo" (one Textbox in, one out) and "send" (/send's own components -- 6 in, 6 out: the whole chat
     history, the fork menu's choices -- filled by a handler that only echoes). What no Pamong code can go
     below in one process on this machine.
   Per turn: latency measured by the client (p50/p95/max; target p95 < 300 ms on 2 cores), errors (an
   exception, a reply that did not arrive, or a "not saved" warning; target 0). Per round also the CPU seconds
   the server process and the client threads used (from /proc and the process clock), so the server's cost
   per turn is known apart from the clients', and the CPU every other program on the machine used meanwhile
   (from /proc/stat), since that slows the server down too. Memory per session: the server's RSS growth over
   the burst round divided by the number of sessions it holds.

The client threads run on the same machine as the server, so they take CPU from it: the figures are an upper
bound for a server whose trainees sit at other computers.

    python bench/bench_app.py [--trainees 50] [--turns 10] [--paced-turns 5] [--think 20,60] [--starts 2]
                              [--no-paced] [--no-gradio-client] [--no-floor] [--out bench/results/app.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from gradio_page import Page, api_description  # noqa: E402  the one client for the page's queue protocol
from served_app import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PERSONAS = ["pra_observasi_guru_matematika", "guru_baru", "guru_diferensiasi", "guru_senior_skeptis",
            "guru_sosial_emosional", "kepala_sekolah", "murid_target_belajar", "pasca_observasi_guru_ipa"]
TURNS = {
    "id": ["Selamat siang, Bu. Apa yang ingin Ibu bicarakan hari ini?",
           "Jadi Ibu khawatir soal kelas itu. Apa yang paling Ibu harapkan dari percakapan ini?",
           "Bagaimana Ibu melihat situasinya sekarang?",
           "Apa yang sudah Ibu coba sejauh ini?",
           "Mengapa Ibu belum mencoba kerja kelompok?",
           "Sebaiknya Ibu pakai kartu soal saja.",
           "Jadi yang paling Ibu rasakan adalah cemas. Apa yang membuat Ibu cemas?",
           "Apa yang akan berbeda kalau tujuan itu tercapai?",
           "Apa langkah pertama yang akan Ibu ambil minggu ini?",
           "Kapan Ibu akan memulainya, dan siapa yang bisa membantu?"],
    "en": ["Good afternoon. What would you like to talk about today?",
           "So that class worries you. What do you most hope to get from our conversation?",
           "How do you see the situation now?",
           "What have you tried so far?",
           "Why haven't you tried group work?",
           "You should just use question cards.",
           "So what you feel most is anxious. What makes you anxious?",
           "What would be different if you reached that goal?",
           "What is the first step you will take this week?",
           "When will you start, and who could help you?"],
}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def env_for(data_dir: Path, port: int) -> dict:
    env = dict(os.environ)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PAMONG_VOICE", "PAMONG_USERS", "PAMONG_AUTH_FILE",
                "CHROMA_HOST", "DATABASE_URL", "PAMONG_KNOWLEDGE_DIR"):
        env.pop(var, None)
    env.update({"PAMONG_DATA_DIR": str(data_dir), "GRADIO_SERVER_NAME": "127.0.0.1",
                "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False",
                "ANONYMIZED_TELEMETRY": "False", "PYTHONUNBUFFERED": "1"})
    return env


def build_index(data_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-m", "simulator", "--data-dir", str(data_dir), "ingest", "-q"], cwd=ROOT,
                   env=env_for(data_dir, 0), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def start_app(data_dir: Path, timeout: float = 120.0) -> tuple[subprocess.Popen, str, float]:
    """`python app.py` until GET / answers 200; returns the process, its URL and the seconds it took."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data_dir / f"app-{port}.log", "w")  # noqa: SIM115 - closed with the process
    started = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "app.py"], cwd=ROOT, env=env_for(data_dir, port), stdout=log,
                            stderr=subprocess.STDOUT)
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return proc, url, time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"app.py did not serve a page within {timeout:.0f} s")


def stop_app(proc: subprocess.Popen, grace: float = 10) -> None:
    """Terminate, and kill what has not exited after `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_s() -> float:
    """CPU seconds all processes on the machine have used so far (from /proc/stat): what else ran during a round
    (another program on the same cores slows the server down, and the figures should say so)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


class Trainee:
    def __init__(self, n: int, url: str, transport: str = "page", api: dict | None = None):
        self.n = n
        self.name = f"trainee-{n:03d}"
        self.lang = "id" if n % 2 == 0 else "en"
        self.persona = PERSONAS[n % len(PERSONAS)]
        if transport == "gradio_client":
            from gradio_client import Client

            self.client = Client(url + "/", verbose=False, download_files=False, httpx_kwargs={"timeout": 120})
        else:
            self.client = Page(url, api or api_description(url), timeout=120)
        self.latencies: list[float] = []
        self.end_latency: float | None = None
        self.errors: list[str] = []

    def start(self) -> None:
        out = self.client.predict(self.name, self.persona, self.lang, self.lang, api_name="/start")
        if not re.search(r"(Kode sesi|Session code): [0-9a-f]{8}", " ".join(map(str, out))):  # the brief
            self.errors.append(f"start: {str(out)[:120]}")

    def play(self, turns: int, think: tuple[float, float], barrier: threading.Barrier | None,
             stagger: bool = False) -> None:
        rng = random.Random(self.n)
        try:
            if barrier is not None:
                barrier.wait()
            if stagger:  # a classroom: people do not all press Send in the same second
                time.sleep(rng.uniform(0, think[1]))
            for i in range(turns):
                text = TURNS[self.lang][i % len(TURNS[self.lang])]
                t0 = time.perf_counter()
                out = self.client.predict(text, True, True, False, self.lang, api_name="/send")
                self.latencies.append(time.perf_counter() - t0)
                chat, status = out[0], str(out[4])
                if not isinstance(chat, list) or len(chat) != 2 * (i + 1):
                    self.errors.append(f"turn {i + 1}: chat has {len(chat) if isinstance(chat, list) else chat!r}")
                elif "⚠" in status:
                    self.errors.append(f"turn {i + 1}: {status[:120]}")
                if think[1] > 0 and i < turns - 1:
                    time.sleep(rng.uniform(*think))
            t0 = time.perf_counter()
            out = self.client.predict(self.lang, api_name="/end")
            self.end_latency = time.perf_counter() - t0
            if "pamong-report" not in " ".join(map(str, out)):
                self.errors.append(f"end: {str(out)[:120]}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted, the run goes on
            self.errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")


def load_round(url: str, pid: int, trainees: int, turns: int, think: tuple[float, float],
               transport: str = "page", stagger: bool = False, idle_cores: float = 0.0) -> dict:
    """idle_cores: the server's CPU use when nobody is connected (Gradio's queue loop polls every 1 ms),
    subtracted for the per-call figure."""
    from concurrent.futures import ThreadPoolExecutor

    api = api_description(url) if transport == "page" else None
    with ThreadPoolExecutor(max_workers=4) as pool:  # connecting (fetching the API description) is not measured
        people = list(pool.map(lambda n: Trainee(n, url, transport, api), range(trainees)))
    rss_before = rss_mb(pid)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda t: t.start(), people))
    barrier = threading.Barrier(trainees)
    threads = [threading.Thread(target=t.play, args=(turns, think, barrier, stagger)) for t in people]
    server_cpu0, client_cpu0, busy0 = cpu_s(pid), time.process_time(), machine_busy_s()
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    server_cpu, client_cpu = cpu_s(pid) - server_cpu0, time.process_time() - client_cpu0
    others = machine_busy_s() - busy0 - server_cpu - client_cpu
    rss_after = rss_mb(pid)
    lat = [x * 1000 for t in people for x in t.latencies]
    ends = [t.end_latency * 1000 for t in people if t.end_latency is not None]
    errors = [f"{t.name}: {e}" for t in people for e in t.errors]
    for t in people:
        if hasattr(t.client, "close"):
            t.client.close()
    calls = len(lat) + len(ends)
    return {
        "transport": transport, "trainees": trainees, "turns_each": turns, "think_s": list(think),
        "staggered_start": stagger, "turns": len(lat),
        "p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1), "max_ms": round(max(lat, default=0), 1),
        "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
        "end_p50_ms": round(pct(ends, 50), 1), "end_p95_ms": round(pct(ends, 95), 1),
        "turns_per_s": round(len(lat) / wall, 1) if wall else None, "wall_s": round(wall, 1),
        "server_cpu_s": round(server_cpu, 2), "client_cpu_s": round(client_cpu, 2),
        "other_processes_cores": round(max(others, 0) / wall, 2) if wall else None,
        "server_cpu_ms_per_call": round(max(server_cpu - idle_cores * wall, 0) * 1000 / calls, 1) if calls else None,
        "errors": len(errors), "error_examples": errors[:5],
        "rss_before_mb": round(rss_before, 1), "rss_after_mb": round(rss_after, 1),
        "rss_per_session_mb": round((rss_after - rss_before) / trainees, 2),
    }


def serve_floor(shape: str, port: int) -> None:
    """A Gradio app with no work in it, queued like Pamong's (tune_gradio, CONCURRENCY, status_update_rate)."""
    sys.path.insert(0, str(ROOT))
    from simulator import offline

    offline.setup()
    from simulator.ui import CONCURRENCY, tune_gradio

    tune_gradio()
    import gradio as gr

    from simulator.ui.practice import processed_in_call

    with gr.Blocks(analytics_enabled=False) as demo:
        if shape == "echo":
            text, out = gr.Textbox(), gr.Textbox()
            gr.Button().click(lambda x: x, [text], [out], api_name="send")
        else:  # /send's components and registration; the handler only echoes into the tab's history
            msg, history = gr.Textbox(), gr.State([])
            flags = [gr.Checkbox(value=True), gr.Checkbox(value=True), gr.Checkbox(value=False)]
            lang = gr.Radio([("Bahasa Indonesia", "id"), ("English", "en")], value="id")
            outputs = [gr.Chatbot(sanitize_html=True, render_markdown=True), msg, gr.Markdown(), gr.HTML(),
                       gr.Markdown(), gr.Dropdown([], allow_custom_value=True)]

            def send(text, shown, *_):
                shown += [{"role": "user", "content": text}, {"role": "assistant", "content": text[::-1]}]
                choices = [(f"{i + 1}. {m['content'][:57]}", i) for i, m in enumerate(shown[::2])]
                return (list(shown), "", f"**Hint:** {text}", f"<meter value='{len(shown) % 10 / 10}'></meter>", "",
                        gr.update(choices=choices, value=choices[-1][1], label="Fork"))

            inputs = [msg, history, *flags, lang]
            gr.Button().click(processed_in_call(send, inputs, outputs), inputs, outputs, api_name="send",
                              preprocess=False, postprocess=False)
    demo.queue(default_concurrency_limit=CONCURRENCY["scripted"], status_update_rate=2)
    demo.launch(server_name="127.0.0.1", server_port=port, quiet=True, ssr_mode=False)


def floor_round(shape: str, trainees: int, turns: int, work: Path) -> dict:
    """The burst (page protocol) against serve_floor(shape): what Gradio alone costs per event here."""
    from concurrent.futures import ThreadPoolExecutor

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(work / f"floor-{shape}.log", "w")  # noqa: SIM115 - closed with the process
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([PYTHON, __file__, "--serve-floor", shape, "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(1200):
            if proc.poll() is not None:
                raise RuntimeError(f"the floor app exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                time.sleep(0.05)
        api = api_description(url)
        values = ("Apa yang Ibu rasakan?",) if shape == "echo" else ("Apa yang Ibu rasakan?", True, True, False, "id")
        clients = [Page(url, api, timeout=120) for _ in range(trainees)]
        with ThreadPoolExecutor(max_workers=16) as pool:  # like /start: every tab has been served once
            list(pool.map(lambda c: c.predict(*values, api_name="/send"), clients))
        latencies: list[float] = []
        errors: list[str] = []
        barrier = threading.Barrier(trainees)

        def play(client) -> None:
            barrier.wait()
            for _ in range(turns):
                t0 = time.perf_counter()
                try:
                    client.predict(*values, api_name="/send")
                except Exception as exc:  # noqa: BLE001 - counted
                    errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                    return
                latencies.append(time.perf_counter() - t0)

        threads = [threading.Thread(target=play, args=(c,)) for c in clients]
        cpu0, client0, busy0, started = cpu_s(proc.pid), time.process_time(), machine_busy_s(), time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall, cpu = time.perf_counter() - started, cpu_s(proc.pid) - cpu0
        others = machine_busy_s() - busy0 - cpu - (time.process_time() - client0)
        for c in clients:
            c.close()
    finally:
        stop_app(proc)
        log.close()
    lat = [x * 1000 for x in latencies]
    return {"shape": shape, "trainees": trainees, "turns_each": turns, "turns": len(lat),
            "p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1), "max_ms": round(max(lat, default=0), 1),
            "turns_per_s": round(len(lat) / wall, 1) if wall else None, "wall_s": round(wall, 1),
            "server_cpu_s": round(cpu, 2), "server_cpu_ms_per_call": round(cpu * 1000 / len(lat), 1) if lat else None,
            "other_processes_cores": round(max(others, 0) / wall, 2) if wall else None,
            "errors": len(errors), "error_examples": errors[:5]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trainees", type=int, default=50)
    ap.add_argument("--turns", type=int, default=10)
    ap.add_argument("--starts", type=int, default=2, help="cold starts to time")
    ap.add_argument("--no-paced", action="store_true", help="skip the paced round")
    ap.add_argument("--think", default="20,60", help="paced round: pause between turns, MIN,MAX seconds")
    ap.add_argument("--paced-turns", type=int, default=5, help="paced round: turns per trainee")
    ap.add_argument("--no-gradio-client", action="store_true", help="skip the burst round through gradio_client")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor rounds (Gradio apps with no work)")
    ap.add_argument("--serve-floor", choices=["echo", "send"], help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "app.json"))
    args = ap.parse_args()
    if args.serve_floor:
        serve_floor(args.serve_floor, args.port)
        return 0

    work = Path(tempfile.mkdtemp(prefix="pamong-bench-app-"))
    data_dir = work / "data"
    data_dir.mkdir()
    results: dict = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"}
    proc = None
    try:
        results["index_build_s"] = round(build_index(data_dir), 1)
        starts = []
        for i in range(args.starts):
            proc, url, seconds = start_app(data_dir)
            starts.append(round(seconds, 2))
            if i < args.starts - 1:
                stop_app(proc)
                proc = None
        results["cold_start_s"] = starts
        pid = proc.pid
        results["rss_idle_mb"] = round(rss_mb(pid), 1)
        cpu0 = cpu_s(pid)
        time.sleep(5)
        idle = results["server_idle_cpu_cores"] = round((cpu_s(pid) - cpu0) / 5, 3)
        results["baseline"] = load_round(url, pid, 1, args.turns, (0.0, 0.0), idle_cores=idle)
        results["burst"] = load_round(url, pid, args.trainees, args.turns, (0.0, 0.0), idle_cores=idle)
        if not args.no_gradio_client:
            results["burst_gradio_client"] = load_round(url, pid, args.trainees, args.turns, (0.0, 0.0),
                                                        transport="gradio_client", idle_cores=idle)
        if not args.no_paced:
            lo, hi = (float(x) for x in args.think.split(","))
            results["paced"] = load_round(url, pid, args.trainees, args.paced_turns, (lo, hi), stagger=True,
                                          idle_cores=idle)
        stop_app(proc)
        proc = None
        if not args.no_floor:
            results["floor"] = {shape: floor_round(shape, args.trainees, args.turns, work)
                                for shape in ("echo", "send")}
    finally:
        if proc is not None:
            stop_app(proc)
        shutil.rmtree(work, ignore_errors=True)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    cold = results["cold_start_s"]
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    print("## App: cold start and load through the HTTP API (scripted voice)\n")
    print(f"Knowledge index built once first in {results['index_build_s']} s (not part of the cold start).\n")
    print("| measure | value | target | met |")
    print("|---|---|---|---|")
    print(f"| cold start, `python app.py` to first page | {cold[0]} s (then {', '.join(map(str, cold[1:])) or '—'} s)"
          f" | < 10 s | {ok(max(cold) < 10)} |")
    print(f"| server memory, idle | {results['rss_idle_mb']} MB | | |")
    print(f"| server CPU, idle (Gradio's queue loop) | {results['server_idle_cpu_cores']} cores | | |")
    think = "-".join(f"{x:g}" for x in (results.get("paced") or {}).get("think_s", []))
    for key, label in (("baseline", "one trainee alone"), ("burst", "burst, no pause"),
                       ("burst_gradio_client", "burst through gradio_client"),
                       ("paced", f"classroom, {think} s pause")):
        r = results.get(key)
        if not r:
            continue
        who = f"{r['trainees']} trainees x {r['turns_each']} turns, " if r["trainees"] > 1 else ""
        print(f"| {who}{label}: turn p50 / p95 / max | "
              f"{r['p50_ms']} / {r['p95_ms']} / {r['max_ms']} ms | p95 < 300 ms | {ok(r['p95_ms'] < 300)} |")
        print(f"| {label}: errors | {r['errors']} of {r['turns']} turns | 0 | {ok(r['errors'] == 0)} |")
        print(f"| {label}: throughput | {r['turns_per_s']} turns/s | | |")
        print(f"| {label}: end of session (report) p50 / p95 | {r['end_p50_ms']} / {r['end_p95_ms']} ms | | |")
        print(f"| {label}: CPU, server / clients | {r['server_cpu_s']} s ({r['server_cpu_ms_per_call']} ms per call over idle)"
              f" / {r['client_cpu_s']} s over {r['wall_s']} s; other programs {r['other_processes_cores']} cores"
              " | | |")
    for shape, r in (results.get("floor") or {}).items():
        what = {"echo": "one Textbox in and out", "send": "/send's components"}[shape]
        print(f"| floor: Gradio app with no work ({what}), same burst: turn p50 / p95 | {r['p50_ms']} / "
              f"{r['p95_ms']} ms | | |")
        print(f"| floor ({shape}): throughput, server CPU per call | {r['turns_per_s']} turns/s, "
              f"{r['server_cpu_ms_per_call']} ms (other programs {r['other_processes_cores']} cores) | | |")
    b = results["burst"]
    print(f"| memory per live session | {b['rss_per_session_mb']} MB "
          f"({b['rss_before_mb']} → {b['rss_after_mb']} MB for {b['trainees']} sessions) | | |")
    print(f"\nClients and server share the same {os.cpu_count()} cores. Written: {out}")
    for key in ("burst", "burst_gradio_client", "paced"):
        for example in (results.get(key) or {}).get("error_examples", []):
            print(f"- {key} error: {example}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
