"""Settings, read once at the edge. Order: explicit argument > environment variable > default.

Every variable is documented in docs/configuration.md and .env.example.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
PERSONAS_DIR = REPO_ROOT / "personas"
RUBRICS_DIR = REPO_ROOT / "rubrics"


def default_data_dir() -> Path:
    """A per-user folder: $XDG_DATA_HOME/pamong or ~/.local/share/pamong."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pamong"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    chroma_host: str | None = None
    chroma_port: int = 8000
    database_url: str | None = None
    voice: str = "scripted"  # scripted | openai | local
    model: str = "gpt-4o-mini"
    openai_base_url: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)  # never printed
    local_model_path: str | None = None
    local_threads: int = 2
    model_timeout: float = 30.0
    model_retries: int = 1
    embed_threads: int = 1
    host: str = "127.0.0.1"
    port: int = 7860
    auth_file: str | None = None

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "pamong.sqlite3"

    def with_(self, **changes) -> Settings:
        """A copy with explicit (argument-level) overrides; None values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_settings(**overrides) -> Settings:
    """Environment over defaults, then explicit arguments over both."""
    env = {
        "data_dir": Path(p).expanduser() if (p := _env("PAMONG_DATA_DIR")) else None,
        "chroma_host": _env("CHROMA_HOST"),
        "chroma_port": int(p) if (p := _env("CHROMA_PORT")) else None,
        "database_url": _env("DATABASE_URL"),
        "voice": _env("PAMONG_VOICE"),
        "model": _env("PAMONG_MODEL"),
        "openai_base_url": _env("OPENAI_BASE_URL"),
        "openai_api_key": _env("OPENAI_API_KEY"),
        "local_model_path": _env("PAMONG_LOCAL_MODEL"),
        "local_threads": int(p) if (p := _env("PAMONG_LOCAL_THREADS")) else None,
        "model_timeout": float(p) if (p := _env("PAMONG_MODEL_TIMEOUT")) else None,
        "model_retries": int(p) if (p := _env("PAMONG_MODEL_RETRIES")) else None,
        "embed_threads": int(p) if (p := _env("PAMONG_EMBED_THREADS")) else None,
        "host": _env("GRADIO_SERVER_NAME"),
        "port": int(p) if (p := _env("GRADIO_SERVER_PORT")) else None,
        "auth_file": _env("PAMONG_AUTH_FILE"),
    }
    settings = Settings().with_(**env)
    # A configured key or base URL without an explicit voice means the user wants the model voice.
    if _env("PAMONG_VOICE") is None and (settings.openai_api_key or settings.openai_base_url):
        settings = settings.with_(voice="openai")
    if isinstance(overrides.get("data_dir"), str):
        overrides["data_dir"] = Path(overrides["data_dir"]).expanduser()
    return settings.with_(**overrides)
