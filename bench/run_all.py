"""`make bench`: run every benchmark script in turn and write one Markdown report.

Each script prints its own table and writes bench/results/<name>.json. This collects the tables, names the
machine, and writes bench/results/PERFORMANCE.md. Scripts may also write their own generated sections of
docs/*.md (bench/docsfile.py).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["bench_retrieval.py", "bench_reading.py", "bench_sessions.py", "bench_real_scores.py", "bench_real_acts.py",
           "bench_documents.py", "bench_real_extra.py", "bench_real_turns.py", "bench_voices.py", "bench_app.py", "bench_serve.py", "bench_coachee.py", "bench_card_probes.py", "bench_memory_probes.py", "bench_panel.py", "bench_judged_answers.py",
           "bench_voice_replay.py", "bench_judge_replay.py"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, no GPU, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    out = [f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.", ""]
    failed = []
    for script in SCRIPTS:
        path = HERE / script
        if not path.exists():
            failed.append(f"{script} (missing)")
            continue
        print(f"== {script}", flush=True)
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            failed.append(script)
            continue
        out += [proc.stdout.strip(), ""]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "PERFORMANCE.md").write_text("\n".join(out))
    print(f"\nwrote {HERE / 'results' / 'PERFORMANCE.md'}")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
