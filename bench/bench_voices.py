"""Coachee turn latency per voice: scripted; openai against a local fake OpenAI-compatible server (our own
overhead per turn); and a local GGUF model when PAMONG_LOCAL_MODEL points to one (time to first token,
tokens per second, prompt-cache reuse, and how often its lines pass the guard).

Prints Markdown and writes bench/results/voices.json.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from simulator import offline  # noqa: E402

offline.setup()

from fake_openai_server import FakeOpenAIServer  # noqa: E402

from simulator import tokens  # noqa: E402
from simulator.config import load_settings  # noqa: E402
from simulator.llm_voice import ChatModelVoice, Guard  # noqa: E402
from simulator.models import OpenAIChatModel, local_server, voice_from_settings  # noqa: E402
from simulator.session import Session  # noqa: E402
from simulator.voices import ScriptedVoice  # noqa: E402

PERSONA = "pra_observasi_guru_matematika"
COACH = [
    "Selamat siang, Bu Ratna. Apa kabar hari ini?",
    "Apa yang ingin Ibu bicarakan tentang observasi hari Kamis?",
    "Jadi Ibu ingin observasinya lancar dan khawatir kerja kelompok jadi ramai. Apa yang paling Ibu cemaskan?",
    "Ibu takut dinilai, dan murid yang lemah hanya diam. Bagaimana Ibu melihat hal itu?",
    "Apa yang ingin Ibu capai dari observasi ini?",
    "Kedengarannya Ibu ingin tahu apa yang terjadi pada murid yang diam. Apa yang akan Ibu lakukan?",
    "Kapan Ibu akan mulai, dan bagaimana kita tahu berhasil?",
    "Apa kesimpulan Ibu dari percakapan kita hari ini?",
]
TURNS = int(os.environ.get("BENCH_VOICE_TURNS", "40"))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_turns(voice, n: int) -> list[float]:
    times = []
    session = Session(PERSONA, lang="id", voice=voice)
    for i in range(n):
        if i and i % len(COACH) == 0:
            session = Session(PERSONA, lang="id", voice=voice)
        start = time.perf_counter()
        session.coach_says(COACH[i % len(COACH)])
        times.append((time.perf_counter() - start) * 1000)
    return times


def bare_roundtrip(server: FakeOpenAIServer, n: int) -> list[float]:
    """The fake server's own time: one raw HTTP POST with a small body, no SDK."""
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "halo"}]})
    times = []
    for _ in range(n):
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.close()
        times.append((time.perf_counter() - start) * 1000)
    return times


def bench_local(path: str) -> dict:
    settings = load_settings(voice="local", local_model_path=path)
    started = time.perf_counter()
    server = local_server(path, settings.local_threads)
    load_s = time.perf_counter() - started
    model = OpenAIChatModel(model="local", base_url=server.base_url, timeout=600, max_retries=0,
                            extra_body={"cache_prompt": True})
    voice = ChatModelVoice(model, name="local")
    session = Session(PERSONA, lang="id", voice=voice)
    rows, passed = [], 0
    n = int(os.environ.get("BENCH_LOCAL_TURNS", "4"))
    for text in COACH[:n]:
        # Time to first token and tokens/s measured on the raw stream with the same prompt the voice builds.
        turns = list(session.turns)
        result = session.coach_says(text)
        messages = voice.build_messages(persona=session.persona, plan=result.plan, state=result.state,
                                        history=turns + [session.turns[-2]], lang="id", passages=())
        start = time.perf_counter()
        first, out = None, ""
        for chunk in model.stream(messages, max_tokens=voice.max_tokens, stop=voice._stop(session.persona, "id")):
            if first is None:
                first = time.perf_counter() - start
            out += chunk
        total = time.perf_counter() - start
        n_tok = tokens.count_tokens(out)
        gen = max(1e-6, total - (first or 0))
        guard = Guard(session.persona, "id")
        ok = guard.check(guard.clean(out), turns).ok
        passed += ok
        rows.append({"coach": text, "model_line": out.strip(), "guard_ok": ok, "shown": result.reply,
                     "prompt_tokens": voice.last_prompt_tokens, "ttft_s": round(first or total, 3),
                     "tokens_per_s": round(n_tok / gen, 2), "total_s": round(total, 3)})
    return {"model": Path(path).name, "load_s": round(load_s, 2), "turns": rows,
            "guard_pass_rate": round(passed / max(1, len(rows)), 2)}


def main() -> int:
    results: dict = {"turns": TURNS}
    scripted = run_turns(ScriptedVoice(), TURNS)
    results["scripted"] = {"p50_ms": round(pct(scripted, 50), 2), "p95_ms": round(pct(scripted, 95), 2)}

    with FakeOpenAIServer(reply="Iya, Pak. Saya masih memikirkan kelas VIII-C dan kerja kelompoknya.") as server:
        settings = load_settings(voice="openai", openai_base_url=server.base_url, model_timeout=10, model_retries=0)
        voice = voice_from_settings(settings)
        run_turns(voice, 4)  # warm-up: imports, connection pool
        lines = [
            "Iya, Pak. Saya masih memikirkan kelas VIII-C.",
            "Sebenarnya yang membuat saya cemas itu kerja kelompoknya.",
            "Hmm, murid yang lemah biasanya diam saja, Pak.",
            "Saya belum tahu harus mulai dari mana.",
            "Mungkin saya perlu melihat apa yang terjadi pada murid yang diam.",
            "Terima kasih, Pak, saya jadi lebih tenang.",
            "Kamis nanti saya coba kartu peran di tiap kelompok.",
            "Saya rasa observasi ini bisa jadi cermin untuk saya.",
        ]
        server.reply = lambda body: lines[server.hits % len(lines)]
        openai = run_turns(voice, TURNS)
        bare = bare_roundtrip(server, TURNS)
        tiny = [{"role": "user", "content": "halo"}]
        sdk = []
        for _ in range(TURNS):
            start = time.perf_counter()
            voice.model.complete(tiny, max_tokens=16)
            sdk.append((time.perf_counter() - start) * 1000)
    overhead = [t - pct(scripted, 50) - pct(bare, 50) for t in openai]
    ours = [t - pct(scripted, 50) - pct(sdk, 50) for t in openai]
    results["openai_fake_server"] = {
        "p50_ms": round(pct(openai, 50), 2), "p95_ms": round(pct(openai, 95), 2),
        "server_roundtrip_p50_ms": round(pct(bare, 50), 2),
        "overhead_p50_ms": round(pct(overhead, 50), 2), "overhead_p95_ms": round(pct(overhead, 95), 2),
        "prompt_tokens_last_turn": voice.last_prompt_tokens,
        "sdk_floor_p50_ms": round(pct(sdk, 50), 2),
        "own_code_p50_ms": round(pct(ours, 50), 2), "own_code_p95_ms": round(pct(ours, 95), 2),
    }
    local_path = os.environ.get("PAMONG_LOCAL_MODEL")
    if local_path:
        try:
            results["local"] = bench_local(local_path)
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            results["local"] = {"error": str(exc)}

    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "voices.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    o = results["openai_fake_server"]
    print("### Coachee voices (turn latency)\n")
    print("| voice | p50 ms | p95 ms | note |")
    print("|---|---|---|---|")
    print(f"| scripted | {results['scripted']['p50_ms']} | {results['scripted']['p95_ms']} | whole turn (read, state, plan, voice) |")
    print(f"| openai → local fake server | {o['p50_ms']} | {o['p95_ms']} | server round trip p50 {o['server_roundtrip_p50_ms']} ms; "
          f"overhead over the server p50 {o['overhead_p50_ms']} ms, p95 {o['overhead_p95_ms']} ms (target < 50), of which "
          f"the openai SDK + langchain floor (a one-line request) is {o['sdk_floor_p50_ms']} ms and our own code "
          f"(prompt, tokens, guard) p50 {o['own_code_p50_ms']} ms; prompt {o['prompt_tokens_last_turn']} tokens |")
    if "local" in results:
        loc = results["local"]
        if "error" in loc:
            print(f"| local GGUF | – | – | failed: {loc['error']} |")
        else:
            ttft = [r["ttft_s"] for r in loc["turns"]]
            tps = [r["tokens_per_s"] for r in loc["turns"]]
            print(f"| local {loc['model']} | TTFT {min(ttft)}–{max(ttft)} s | {statistics.median(tps)} tok/s | "
                  f"load {loc['load_s']} s; lines passing the guard {loc['guard_pass_rate']:.0%} |")
    print(f"\n{TURNS} turns per voice, persona {PERSONA}, Indonesian.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
