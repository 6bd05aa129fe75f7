"""What keeps the app fast under load (issue 6, bench/bench_app.py): the SQLite keeper really keeps the WAL
open, a non-streaming voice answers /send in one message, and the queue is tuned when the app is served."""

from __future__ import annotations

import inspect
import json
import os
import uuid

import httpx
import pytest
from served_app import served_app

from simulator.config import load_settings
from simulator.session import Session
from simulator.store import Store
from simulator.voices import ScriptedVoice


def test_a_write_does_not_checkpoint_the_wal_on_close(tmp_path):
    """Closing the last connection to a WAL database checkpoints it (and fsyncs). The store's keeper
    connection prevents that, but only if it has read the file once: after a turn is written, the WAL is
    still there with the turn in it."""
    store = Store(tmp_path / "pamong.sqlite3")
    session = Session("guru_baru", "id", recorder=store.recorder("Ani"))
    session.coach_says("Apa yang ingin Ibu bicarakan hari ini?")
    wal = tmp_path / "pamong.sqlite3-wal"
    assert wal.exists() and wal.stat().st_size > 0
    store.close()
    assert Store(tmp_path / "pamong.sqlite3").list_sessions(viewer="Ani")[0].turns == 2


class StreamingVoice(ScriptedVoice):
    name = "fake-stream"


def _send_fn(demo):
    return next(f for f in demo.fns.values() if f.api_name == "send").fn


def test_send_is_one_plain_call_for_the_scripted_voice_and_streams_for_a_model(data_dir):
    from simulator.ui import build_app
    from simulator.ui.context import build_context

    settings = load_settings()
    scripted = build_app(settings, knowledge=False)
    assert not inspect.isgeneratorfunction(_send_fn(scripted))
    streaming = build_app(settings, context=build_context(settings, knowledge=False, voice=StreamingVoice()))
    assert inspect.isgeneratorfunction(_send_fn(streaming))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    env = dict.fromkeys(("PAMONG_USERS", "PAMONG_AUTH_FILE", "PAMONG_VOICE", "OPENAI_API_KEY"))
    env["PAMONG_DATA_DIR"] = str(tmp_path_factory.mktemp("perf-data"))
    with served_app(env) as served:
        yield served


def _call(http, url, config, session_hash, api_name, *values) -> list[dict]:
    """Like the page: join the queue, then read the event stream until the event completes; all messages."""
    states = {c["id"] for c in config["components"] if c.get("type") == "state"}
    dep = next(d for d in config["dependencies"] if d.get("api_name") == api_name)
    given = iter(values)
    data = [None if cid in states else next(given) for cid in dep["inputs"]]
    joined = http.post(f"{url}/gradio_api/queue/join", json={"data": data, "fn_index": dep["id"],
                                                             "session_hash": session_hash, "event_data": None,
                                                             "trigger_id": None})
    joined.raise_for_status()
    event_id, messages = joined.json()["event_id"], []
    with http.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("event_id") == event_id:
                    messages.append(message)
                    if message["msg"] == "process_completed":
                        return messages
    raise AssertionError(f"{api_name}: no process_completed in {messages}")


def test_served_queue_is_tuned_and_a_turn_is_one_message_with_the_whole_reply(served):
    url, demo = served
    queue = demo._queue
    assert os.environ["GRADIO_ANALYTICS_CACHE_FREQUENCY"] == "1000"
    assert queue.ANAYLTICS_CACHE_FREQUENCY == 1000  # no pandas summary after every event
    assert not queue.live_updates  # queue positions every 2 s, not to every waiting event per turn
    assert queue.default_concurrency_limit == 2  # the scripted voice: short turns that hold the GIL
    with httpx.Client(timeout=60) as http:
        config = http.get(f"{url}/config").json()
        tab = uuid.uuid4().hex[:11]
        started = _call(http, url, config, tab, "start", "Ani", "guru_baru", "id", "id")
        assert started[-1]["success"]
        text = "Apa yang ingin Ibu <b>bicarakan</b> hari ini?"
        messages = _call(http, url, config, tab, "send", text, True, True, False, "id")
    kinds = [m["msg"] for m in messages]
    assert "process_generating" not in kinds and kinds[-1] == "process_completed"
    assert messages[-1]["success"]
    chat = messages[-1]["output"]["data"][1]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    shown = json.dumps(chat[0]["content"])
    assert "bicarakan" in shown and "<b>" not in shown  # still escaped
    assert demo.pamong_context.store.list_sessions(viewer="Ani")[0].turns == 2  # saved
