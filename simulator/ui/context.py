"""Build the app's shared context once at start: store, personas, voice, knowledge index, users.

Everything that can fail at start degrades with a visible note instead of stopping the app — except the
session database (nothing could be saved) and a missing login when served beyond localhost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.coachee.persona import load_personas
from simulator.errors import SimulatorError
from simulator.storage.store import open_store
from simulator.ui.auth import User
from simulator.ui.logic import AppContext, t


def _voice(settings) -> tuple[Any, dict[str, str]]:
    from simulator.coachee.voices import ScriptedVoice

    try:
        from simulator.coachee.model_voice import voice_from_settings

        voice = voice_from_settings(settings)
    except SimulatorError as exc:
        return ScriptedVoice(), {lg: t("voice_note_error", lg, error=str(exc)) for lg in ("id", "en")}
    except ImportError as exc:
        return ScriptedVoice(), {lg: t("voice_note_error", lg, error=f"missing module {exc.name}") for lg in ("id", "en")}
    name = getattr(voice, "name", settings.voice)
    if name == "scripted":
        return voice, {lg: t("voice_note_scripted", lg) for lg in ("id", "en")}
    model = getattr(voice, "model_name", settings.model)  # the model that speaks, e.g. a local GGUF's name
    return voice, {lg: t("voice_note_model", lg, voice=name, model=model) for lg in ("id", "en")}


def _searcher(settings, knowledge: str | Path | bool | None) -> tuple[Any, dict[str, str] | None]:
    """Bring the index up to date (cheap when current) and open it; None + a note when unavailable."""
    if knowledge is False:
        return None, {lg: t("index_note_disabled", lg) for lg in ("id", "en")}
    try:
        from simulator.retrieval.search import KnowledgeStore, ensure_index

        ensure_index(settings, [Path(knowledge)] if knowledge not in (None, True) else None)
        searcher = KnowledgeStore(settings)
        if searcher.count() == 0:
            return None, {lg: t("index_note_off", lg, error="empty index") for lg in ("id", "en")}
        return searcher, None
    except Exception as exc:  # noqa: BLE001 - the app must start without retrieval; it then cites nothing
        why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return None, {lg: t("index_note_off", lg, error=why) for lg in ("id", "en")}


def build_context(settings, *, knowledge: str | Path | bool | None = None, users: dict[str, User] | None = None,
                  store=None, voice=None, rubric: str | None = None) -> AppContext:
    """knowledge: a folder to index (default knowledge/), or False for no retrieval (tests)."""
    store = store or open_store(settings)
    if voice is None:
        voice, note = _voice(settings)
    else:
        model = getattr(voice, "model_name", settings.model)
        note = {lg: t("voice_note_model", lg, voice=getattr(voice, "name", "?"), model=model)
                for lg in ("id", "en")}
    searcher, index_note = _searcher(settings, knowledge)
    reports = Path(settings.data_dir) / "reports"
    return AppContext(settings=settings, store=store, personas=load_personas(), voice_factory=lambda: voice,
                      voice_note=note, searcher=searcher, index_note=index_note,
                      users={u.username: u.role for u in users.values()} if users else None,
                      reports_dir=reports, rubric=rubric)
