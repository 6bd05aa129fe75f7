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

from simulator.coachee.voices import ScriptedVoice
from simulator.config import load_settings
from simulator.session import Session
from simulator.storage.store import Store


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
    send = next(d for d in config["dependencies"] if d.get("api_name") == "send")
    chat_id = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "pamong-chat")
    chat = messages[-1]["output"]["data"][send["outputs"].index(chat_id)]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    shown = json.dumps(chat[0]["content"])
    assert "bicarakan" in shown and "<b>" not in shown  # still escaped
    assert demo.pamong_context.store.list_sessions(viewer="Ani")[0].turns == 2  # saved


# ---------------------------------------------------------------------------------------------- what a turn keeps
def test_turn_locks_are_released_and_still_serialise_one_session(data_dir):
    """One lock per session id while a turn runs or waits, none kept afterwards (a defaultdict kept one per
    session ever played, for the life of the server); two holders of one id still go one after the other."""
    import threading
    import time

    from simulator.ui.context import build_context
    from simulator.ui.logic import Practice, SessionLocks, start_session, take_turn

    ctx = build_context(load_settings(), knowledge=False)
    for n in range(5):
        st = start_session(ctx, Practice(), user=f"u{n}", persona_id="guru_baru", lang="id")
        list(take_turn(ctx, st, "Apa yang ingin Ibu bicarakan hari ini?"))
        gen = take_turn(ctx, st, "Bagaimana kelasnya?")
        next(gen)  # a turn that stops half-way (a closed tab) lets go of its lock too
        gen.close()
    assert len(ctx.turn_locks) == 0

    locks, inside, overlaps = SessionLocks(), [], []

    def hold(key):
        with locks.hold(key):
            inside.append(key)
            if inside.count(key) > 1:
                overlaps.append(key)
            time.sleep(0.02)
            inside.remove(key)

    threads = [threading.Thread(target=hold, args=(key,)) for key in ("a", "a", "a", "b")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert overlaps == [] and len(locks) == 0


def test_send_does_its_component_processing_in_the_call_and_sends_what_gradio_would(data_dir):
    """/send runs its inputs' preprocess and outputs' postprocess in its own call (Gradio would hand each to its
    thread pool: a dozen GIL hand-offs per turn) and does not store the tab's Practice back (it changes in place).
    The payload is the same as with Gradio's own processing: checked on the same components both ways."""
    import asyncio

    import gradio as gr
    from gradio.state_holder import SessionState

    from simulator.ui import build_app
    from simulator.ui.practice import processed_in_call

    demo = build_app(load_settings(), knowledge=False)
    send = next(f for f in demo.fns.values() if f.api_name == "send")
    assert not send.preprocess and not send.postprocess
    assert not any(c.stateful for c in send.outputs)

    history = [{"role": "user", "content": "Apa yang <b>Ibu</b> rasakan?"},
               {"role": "assistant", "content": "Saya **cemas**.\n  Sungguh."}]
    values = (history, "", "  **Hint:** x\n   y", "<meter value='0.3'></meter>", "",
              gr.update(choices=[("1. Apa", 0)], value=0, label="Fork"))

    with gr.Blocks() as probe:
        text, st, flag = gr.Textbox(), gr.State(None), gr.Checkbox()
        lang = gr.Radio([("Bahasa Indonesia", "id"), ("English", "en")], value="id")
        outs = [gr.Chatbot(sanitize_html=True, render_markdown=True), gr.Textbox(), gr.Markdown(), gr.HTML(),
                gr.Markdown(), gr.Dropdown([], allow_custom_value=True)]
        button = gr.Button()
        seen = []

        def fn(t, s, f, lg):
            seen.append((t, s, f, lg))
            return tuple(dict(v) if isinstance(v, dict) else v for v in values)

        button.click(fn, [text, st, flag, lang], outs)
        button.click(processed_in_call(fn, [text, st, flag, lang], outs), [text, st, flag, lang], outs,
                     preprocess=False, postprocess=False)
    plain, direct = list(probe.fns.values())

    async def run(block_fn):
        return (await probe.process_api(block_fn, ["hi", None, True, "en"], SessionState(probe)))["data"]

    assert asyncio.run(run(direct)) == asyncio.run(run(plain))
    assert seen[0] == seen[1] == ("hi", None, True, "en")
    with pytest.raises(Exception, match="not in the list of choices"):  # the Radio still checks its value
        asyncio.run(probe.process_api(direct, ["hi", None, True, "xx"], SessionState(probe)))


def test_a_repeated_knowledge_query_is_embedded_and_searched_once(data_dir, monkeypatch):
    """The report's per-improvement queries and a persona's knowledge_queries come back on every session:
    the query embedding (~25 ms of E5) and the search answer (until the index changes) are kept."""
    from simulator.retrieval import search as retrieval

    calls = []

    class Model:
        def query(self, text):
            import numpy as np

            calls.append(text)
            return np.full(4, float(len(text)), dtype=np.float32)

    monkeypatch.setattr(retrieval, "embedder", lambda threads=1: Model())
    monkeypatch.setattr(retrieval, "_QUERY_CACHE", type(retrieval._QUERY_CACHE)())
    first = retrieval.embed_query("pertanyaan terbuka")
    first.append(99.0)  # a caller changing its list does not change the cache
    assert retrieval.embed_query("pertanyaan terbuka") == [18.0] * 4
    assert calls == ["pertanyaan terbuka"]

    store = retrieval.KnowledgeStore(load_settings())
    revision = ["r1"]
    searched = []
    monkeypatch.setattr(store, "_revision", lambda: revision[0])
    monkeypatch.setattr(store, "_search", lambda q, k, lang: searched.append(q) or [f"{q}@{revision[0]}"])
    assert store.search("rangkuman", k=1, lang="id") == ["rangkuman@r1"]
    assert store.search(" rangkuman ", k=1, lang="id") == ["rangkuman@r1"]
    assert searched == ["rangkuman"]
    store.search("rangkuman", k=2, lang="id")
    assert searched == ["rangkuman", "rangkuman"]  # another k is another question
    revision[0] = "r2"  # the index changed (an ingest here or in another process)
    assert store.search("rangkuman", k=1, lang="id") == ["rangkuman@r2"]
    monkeypatch.setattr(retrieval, "DENSE_WEIGHT", 1.0)  # other weights (the benchmark's ablation): searched anew
    store.search("rangkuman", k=1, lang="id")
    assert len(searched) == 4
    store.forget_answers()
    store.search("rangkuman", k=1, lang="id")
    assert len(searched) == 5 and not retrieval._QUERY_CACHE


def test_a_streaming_send_yields_processed_partials_then_the_whole_turn(data_dir):
    """A model voice streams: /send stays a generator through processed_in_call, every partial carries the chat
    as Gradio would send it and leaves the other outputs alone (gr.skip), and the last message has everything."""
    from simulator.ui import build_app
    from simulator.ui.context import build_context
    from simulator.ui.logic import Practice, start_session

    settings = load_settings()
    ctx = build_context(settings, knowledge=False, voice=StreamingVoice())
    demo = build_app(settings, context=ctx)
    send = next(f for f in demo.fns.values() if f.api_name == "send")
    st = start_session(ctx, Practice(), user="Ani", persona_id="guru_baru", lang="id")
    messages = list(send.fn("Apa yang ingin Ibu bicarakan hari ini?", st, True, True, False, "id", None))
    assert len(messages) >= 2 and all(len(m) == len(send.outputs) for m in messages)
    *partials, last = messages
    for chat, text, *rest in partials:
        assert [m["role"] for m in chat] == ["user", "assistant"] and text == ""
        assert all(r == {"__type__": "update"} for r in rest)
    chat, text, hint, thermo, status, fork = last
    assert chat[-1]["content"][0]["text"] == partials[-1][0][-1]["content"][0]["text"]
    assert "pamong-thermo" in thermo and fork["__type__"] == "update" and fork["value"] == 0
    assert len(st.session.turns) == 2
