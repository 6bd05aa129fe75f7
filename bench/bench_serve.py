"""Serving benchmark (issue 14): the first run, and a burst served by 1 and by 2 app processes.

1. First start: `python app.py` on an EMPTY data folder until the first page is served (HTTP 200 on /): the
   knowledge index is filled from the shipped vectors (simulator/retrieval/prebuilt.py). For comparison, the same with the
   shipped vectors switched off (PAMONG_PREBUILT=off: every chunk embedded, as before). Target < 15 s.
2. Fresh clone to a served page: `git clone` of this repository's current commit into a temporary folder,
   `make install` there (pip's cache warm, as on a machine that installed Python packages before; the registry
   is still asked for each pin), then `python app.py` on an empty data folder until the first page. Target < 75 s.
3. Burst: 50 trainees x 10 turns with no pause (everyone presses Send all the time), the page's own protocol
   (bench_app.Trainee, cookies kept like a browser) through `pamong serve --workers N` -- nginx in front for
   both N = 1 and N = 2, one PostgreSQL (a throwaway cluster, as the tests start it), one Chroma server -- so the
   only difference is the number of app processes. The client threads share the machine's cores with them.

    python bench/bench_serve.py [--trainees 50] [--turns 10] [--no-clone] [--no-burst]

Prints Markdown, writes bench/results/serve.json and the generated sections of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench_app import Trainee, api_description, cpu_s, free_port, machine_busy_s, pct, stop_app  # noqa: E402
from docsfile import write_section  # noqa: E402
from run_all import machine  # noqa: E402

from simulator.cli.serving import port_free  # noqa: E402

CLEAN_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PAMONG_VOICE", "PAMONG_USERS", "PAMONG_AUTH_FILE", "CHROMA_HOST",
             "CHROMA_PORT", "DATABASE_URL", "PAMONG_KNOWLEDGE_DIR", "PAMONG_PREBUILT", "VIRTUAL_ENV")


def env(**extra: str) -> dict:
    out = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    out.update(GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1", **extra)
    return out


def serve_first_page(python: str, cwd: Path, data: Path, timeout: float = 300, **extra: str) -> float:
    """Seconds from `python app.py` to the first page on an empty data folder."""
    port = free_port()
    started = time.perf_counter()
    with open(data.parent / f"app-{port}.log", "w") as log:
        proc = subprocess.Popen([python, "app.py"], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                env=env(PAMONG_DATA_DIR=str(data), GRADIO_SERVER_PORT=str(port), **extra))
        try:
            while time.perf_counter() - started < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"app.py exited with {proc.returncode}; see {log.name}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        if response.status == 200:
                            return round(time.perf_counter() - started, 1)
                except OSError:
                    pass
                time.sleep(0.05)
            raise RuntimeError(f"app.py served nothing within {timeout:.0f} s")
        finally:
            stop_app(proc, grace=15)


def first_start(work: Path) -> dict:
    out = {}
    for label, extra in (("shipped", {}), ("embedded", {"PAMONG_PREBUILT": "off"})):
        data = work / f"first-{label}" / "data"
        data.parent.mkdir(parents=True)
        out[label] = serve_first_page(sys.executable, ROOT, data, **extra)
    return out


def fresh_clone(work: Path) -> dict:
    branch = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    clone = work / "clone"
    base_python = getattr(sys, "_base_executable", sys.executable)
    import resource

    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", "--branch", branch, str(ROOT), str(clone)], check=True)
    t1 = time.perf_counter()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["make", "install", f"PYTHON={base_python}"], cwd=clone, check=True, env=env(),
                   stdout=subprocess.DEVNULL)
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t2 = time.perf_counter()
    (work / "clone-data").mkdir()
    first_page = serve_first_page(str(clone / ".venv" / "bin" / "python"), clone, work / "clone-data" / "data")
    return {"commit": commit, "clone_s": round(t1 - t0, 1), "install_s": round(t2 - t1, 1),
            "first_page_s": first_page, "total_s": round(time.perf_counter() - t0, 1),
            "install_cpu_s": round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 1),
            "load_average": round((load_before + os.getloadavg()[0]) / 2, 1)}


# -------------------------------------------------------------------------------------------------------- burst


def start_farm(workers: int, db_url: str, chroma_port: int, work: Path) -> tuple[subprocess.Popen, dict]:
    port = free_port()
    while any(not port_free("127.0.0.1", p) for p in range(port, port + workers + 1)):
        port = free_port()
    run_dir = work / f"run-{workers}"
    data = work / f"data-{workers}"
    data.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--workers", str(workers), "--port",
                             str(port), "--run-dir", str(run_dir)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env=env(DATABASE_URL=db_url, PAMONG_DATA_DIR=str(data), CHROMA_HOST="127.0.0.1",
                                    CHROMA_PORT=str(chroma_port)))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (run_dir / "serve.json").exists():
        if proc.poll() is not None:
            raise RuntimeError(f"pamong serve --workers {workers} exited with {proc.returncode}")
        time.sleep(0.2)
    return proc, json.loads((run_dir / "serve.json").read_text())


def burst(url: str, pids: list[int], trainees: int, turns: int) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    api = api_description(url)
    people = [Trainee(n, url, "page", api) for n in range(trainees)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda t: t.start(), people))
    nodes: dict[str, int] = {}
    for t in people:
        node = t.client.http.cookies.get("pamong_node") or "?"
        nodes[node] = nodes.get(node, 0) + 1
    barrier = threading.Barrier(trainees)
    threads = [threading.Thread(target=t.play, args=(turns, (0.0, 0.0), barrier)) for t in people]
    cpu0 = sum(cpu_s(p) for p in pids)
    client0 = time.process_time()
    busy0 = machine_busy_s()
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    cpu = sum(cpu_s(p) for p in pids) - cpu0
    client_cpu = time.process_time() - client0
    others = machine_busy_s() - busy0 - cpu - client_cpu
    lat = [x * 1000 for t in people for x in t.latencies]
    ends = [t.end_latency * 1000 for t in people if t.end_latency is not None]
    errors = [f"{t.name}: {e}" for t in people for e in t.errors]
    for t in people:
        t.client.close()
    return {"trainees": trainees, "turns": len(lat), "p50_ms": round(pct(lat, 50), 1),
            "p95_ms": round(pct(lat, 95), 1), "max_ms": round(max(lat, default=0), 1),
            "end_p50_ms": round(pct(ends, 50), 1), "end_p95_ms": round(pct(ends, 95), 1),
            "turns_per_s": round(len(lat) / wall, 1), "wall_s": round(wall, 1),
            "app_and_proxy_cpu_s": round(cpu, 1), "client_cpu_s": round(client_cpu, 1),
            "others_cores": round(max(others, 0.0) / wall, 2), "errors": len(errors), "error_examples": errors[:5],
            "trainees_per_process": dict(sorted(nodes.items()))}


def bursts(work: Path, trainees: int, turns: int, rounds: int) -> dict:
    """Both farms up at once, bursts alternating 1, 2, 1, 2, ... so that whatever else the machine is doing
    falls on both alike; each figure is the median over the rounds (every round's throughput is kept too)."""
    from store_backends import Cluster

    cluster = Cluster()
    chroma_port = free_port()
    chroma = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path",
                               str(work / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
    farms: dict[str, tuple[subprocess.Popen, dict]] = {}
    runs: dict[str, list[dict]] = {"1": [], "2": []}
    try:
        for workers in (1, 2):
            farms[str(workers)] = start_farm(workers, cluster.new_database(), chroma_port, work)
        for _ in range(rounds):
            for key, (_proc, status) in farms.items():
                pids = [w["pid"] for w in status["workers"]] + [status["nginx_pid"]]
                runs[key].append(burst(status["url"], pids, trainees, turns))
    finally:
        for proc, _status in farms.values():
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        chroma.terminate()
        chroma.wait(30)
        cluster.stop()
    return {key: median_run(rs) for key, rs in runs.items()}


def median_run(rs: list[dict]) -> dict:
    import statistics

    out = dict(rs[0])
    for key, value in rs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = round(statistics.median(r[key] for r in rs), 2)
    out["errors"] = sum(r["errors"] for r in rs)
    out["turns"] = sum(r["turns"] for r in rs)
    out["rounds"] = len(rs)
    out["turns_per_s_each"] = [r["turns_per_s"] for r in rs]
    out["error_examples"] = [e for r in rs for e in r["error_examples"]][:5]
    return out


# ----------------------------------------------------------------------------------------------------- report


def first_run_table(r: dict) -> str:
    lines = ["| First run | Seconds | Target |", "|---|---|---|"]
    if "first_start" in r:
        f = r["first_start"]
        lines += [f"| `python app.py` on an empty data folder, to the first page (shipped index) | "
                  f"**{f['shipped']}** | < 15 |",
                  f"| the same, shipped index switched off (every chunk embedded, as before) | {f['embedded']} | |"]
    if "fresh_clone" in r:
        c = r["fresh_clone"]
        lines += [f"| fresh clone to a served page: `git clone` + `make install` (pip cache warm) + "
                  f"`python app.py` | **{c['total_s']}** | < 75 |",
                  f"| of which `git clone` / `make install` / first page | {c['clone_s']} / {c['install_s']} / "
                  f"{c['first_page_s']} | |",
                  f"| `make install`: CPU used (user + system, all its processes) | {c['install_cpu_s']} | |",
                  f"| machine load average meanwhile (other programs on the same cores) | {c['load_average']} | |"]
    note = ("\n\nWall-clock times include waiting for the CPU: with a load average above the number of cores, other "
            "programs were using it too, and `make install`'s CPU time is the better guide to an idle machine.")
    return "\n".join(lines) + note + f"\n\nMeasured {r['date']} by `bench/bench_serve.py` on {r['machine']}."


def burst_table(r: dict) -> str:
    one, two = r["burst"]["1"], r["burst"]["2"]
    rows = [("turn p50 / p95 / max (ms)", lambda b: f"{b['p50_ms']} / {b['p95_ms']} / {b['max_ms']}"),
            ("end of session (report) p50 / p95 (ms)", lambda b: f"{b['end_p50_ms']} / {b['end_p95_ms']}"),
            ("throughput (turns/s): median, and each round", lambda b: f"{b['turns_per_s']} "
             f"({', '.join(map(str, b['turns_per_s_each']))})"),
            ("errors (all rounds)", lambda b: f"{b['errors']} of {b['turns']} turns"),
            ("p95 < 300 ms (the issue's target)", lambda b: "yes" if b["p95_ms"] < 300 else "**no**"),
            ("CPU of the app processes + nginx (s)", lambda b: f"{b['app_and_proxy_cpu_s']} over {b['wall_s']} s"),
            ("CPU of the 50 simulated trainees (the load generator, s)", lambda b: f"{b['client_cpu_s']}"),
            ("everything else meanwhile: PostgreSQL, Chroma, other programs (cores)",
             lambda b: f"{b['others_cores']}"),
            ("trainees per process (sticky cookie)", lambda b: ", ".join(f"{k}: {v}" for k, v in
                                                                       b["trainees_per_process"].items()))]
    lines = [f"| {one['trainees']} trainees x {one['turns'] // one['trainees'] // one['rounds']} turns, no pause; "
             f"median of {one['rounds']} bursts each, alternating | 1 app process | 2 app processes |", "|---|---|---|"]
    lines += [f"| {label} | {fn(one)} | {fn(two)} |" for label, fn in rows]
    return ("\n".join(lines) + f"\n\nBoth behind nginx, over one PostgreSQL and one Chroma server, scripted voice; "
            f"the {one['trainees']} client threads run on the same {os.cpu_count()} cores. A second app process can "
            "only use the CPU that the first, the load generator, PostgreSQL, Chroma and the machine's other programs "
            f"leave free: the last CPU rows say how much that was. Measured {r['date']} by `bench/bench_serve.py` on "
            f"{r['machine']}.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trainees", type=int, default=50)
    ap.add_argument("--turns", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3, help="bursts per configuration, alternating (default 3)")
    ap.add_argument("--no-clone", action="store_true", help="skip the fresh clone + make install")
    ap.add_argument("--no-burst", action="store_true")
    ap.add_argument("--no-first-run", action="store_true", help="skip the first start and the fresh clone")
    ap.add_argument("--out", default=str(HERE / "results" / "serve.json"))
    args = ap.parse_args(argv)
    result: dict = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    work = Path(tempfile.mkdtemp(prefix="pamong-bench-serve-"))
    try:
        if not args.no_first_run:
            result["first_start"] = first_start(work)
            if not args.no_clone:
                result["fresh_clone"] = fresh_clone(work)
        if not args.no_burst:
            result["burst"] = bursts(work, args.trainees, args.turns, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if "first_start" in result:
        print("## First run\n\n" + first_run_table(result))
        if "fresh_clone" in result:   # the docs get the whole table or nothing
            write_section("first-run", first_run_table(result))
    if "burst" in result:
        print("\n## Serving a burst: one and two app processes\n\n" + burst_table(result))
        write_section("serve-burst", burst_table(result))
        for n, b in result["burst"].items():
            for example in b["error_examples"]:
                print(f"- {n} process(es): {example}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
