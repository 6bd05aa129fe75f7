# ruff: noqa: F811 - the PostgreSQL fixtures are imported from store_backends and named as test arguments
"""The session store on a real SQLite file AND a real PostgreSQL server (the same assertions on both
backends: every test taking `store` runs twice): turn-by-turn recording, resume after a restart, a crash
during the model call, privacy, filters, overrides, progress, and two tabs writing the same session.
SQLite's own failure modes (read-only file, held write lock, damaged file, WAL) are tested here too;
PostgreSQL's are in test_store_postgres.py."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from store_backends import COACH, persona_id, postgres, postgres_url, rows  # noqa: F401 - fixtures

from simulator.coachee.persona import load_personas
from simulator.config import load_settings
from simulator.errors import StoreError
from simulator.session import Session
from simulator.storage.store import SCHEMA_VERSION, SessionConflict, SessionNotFound, Store, open_store

BACKENDS = ["sqlite", "postgresql"]



@pytest.fixture(params=BACKENDS)
def where(request, data_dir):
    """Where a database lives: a SQLite file, or a fresh database on the test PostgreSQL cluster."""
    if request.param == "sqlite":
        return data_dir / "pamong.sqlite3"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(where):
    s = Store(where, busy_timeout=0.3)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(data_dir):
    s = Store(data_dir / "pamong.sqlite3", busy_timeout=0.3)
    yield s
    s.close()


def play(session, turns=COACH):
    for text in turns:
        session.coach_says(text)
    return session


def stored_turns(store, sid):
    return rows(store, "SELECT idx, speaker, text FROM turns WHERE session_id = ? ORDER BY idx", (sid,))


def test_schema_is_created_with_a_version_and_wal(sqlite_store):
    store = sqlite_store
    with sqlite3.connect(store.path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"schema_version", "users", "sessions", "turns", "states", "evaluations", "overrides"} <= tables
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_turn_is_written_as_it_happens(store, persona_id):
    session = Session(persona_id, "id", recorder=store.recorder("Ani"))
    session.coach_says(COACH[0])
    turns = stored_turns(store, session.id)
    assert [r[1] for r in turns] == ["coach", "coachee"]
    assert turns[0][2] == COACH[0] and turns[1][2] == session.turns[1].text
    reading = json.loads(rows(store, "SELECT reading_json FROM turns WHERE idx = 0")[0][0])
    n_states = rows(store, "SELECT COUNT(*) FROM states WHERE session_id = ?", (session.id,))[0][0]
    assert reading["acts"] == list(session.turns[0].reading.acts)
    assert n_states == 2  # the initial state and the one after the coach turn


def test_a_restart_resumes_the_conversation_with_nothing_lost(store, where, persona_id):
    session = play(Session(persona_id, "id", recorder=store.recorder("Ani")))
    store.close()
    again = Store(where)  # a new process would build a new Store on the same database
    resumed = again.load_session(session.id, viewer="Ani")
    assert resumed.to_dict() == session.to_dict()
    resumed.recorder = again.recorder("Ani")
    resumed.coach_says("Apa langkah pertama yang akan Ibu ambil?")
    assert len(stored_turns(store, session.id)) == len(session.turns) + 2
    again.close()


def test_a_crash_during_the_model_call_keeps_the_coach_turn(store, where, persona_id):
    class Crash:
        name = "crash"

        def say(self, **kwargs):
            raise KeyboardInterrupt  # not an Exception: the session cannot fall back; the process dies

    session = Session(persona_id, "id", voice=Crash(), recorder=store.recorder("Ani"))
    with pytest.raises(KeyboardInterrupt):
        session.coach_says(COACH[0])
    resumed = Store(where).load_session(session.id, viewer="Ani")
    assert [t.text for t in resumed.turns] == [COACH[0]]
    result = resumed.respond()  # the app answers the pending coach turn on resume
    assert result is not None and resumed.turns[-1].speaker == "coachee"


def test_privacy_only_the_owner_reads_a_draft_and_facilitators_read_submitted(store, persona_id):
    mine = play(Session(persona_id, "id", recorder=store.recorder("Ani")), COACH[:2])
    theirs = play(Session(persona_id, "id", recorder=store.recorder("Budi")), COACH[:1])
    with pytest.raises(SessionNotFound):
        store.load_session(mine.id, viewer="Budi")
    with pytest.raises(SessionNotFound):
        store.load_session(mine.id, viewer="Fasil", role="facilitator")  # a draft is private
    assert [i.id for i in store.list_sessions(viewer="Budi")] == [theirs.id]
    assert store.list_sessions(viewer="Fasil", role="facilitator") == []
    with pytest.raises(SessionNotFound):  # Budi cannot write into Ani's session either
        store.record(mine, owner="Budi")

    with pytest.raises(StoreError, match="End the session"):
        store.submit(mine.id, owner="Ani")
    store.save_evaluation(mine.id, {"rubric_id": "pamong-default", "scores": {"presence": 3, "overall": 3}},
                          owner="Ani")
    with pytest.raises(SessionNotFound):
        store.submit(mine.id, owner="Budi")
    store.submit(mine.id, owner="Ani")
    seen = store.list_sessions(viewer="Fasil", role="facilitator")
    assert [i.id for i in seen] == [mine.id] and seen[0].status == "submitted"
    assert len(store.load_session(mine.id, viewer="Fasil", role="facilitator").turns) == 4
    with pytest.raises(StoreError, match="submitted"):  # a submitted session no longer changes
        mine.coach_says("Satu lagi?")


def test_filters_and_overrides_beside_the_automatic_score(store, persona_id):
    ids = []
    for owner, overall in (("Ani", 2), ("Ani", 4), ("Budi", 3)):
        s = play(Session(persona_id, "id", recorder=store.recorder(owner)), COACH[:1])
        store.save_evaluation(s.id, {"rubric_id": "pamong-default",
                                     "scores": {"presence": overall, "active_listening": 2, "overall": overall}},
                              owner=owner)
        store.submit(s.id, owner=owner)
        ids.append(s.id)
    f = dict(viewer="Fasil", role="facilitator")
    assert {i.id for i in store.list_sessions(owner="Ani", **f)} == set(ids[:2])
    assert [i.id for i in store.list_sessions(min_score=3, max_score=3, **f)] == [ids[2]]
    assert {i.id for i in store.list_sessions(min_score=3, **f)} == {ids[1], ids[2]}
    assert store.list_sessions(persona="nobody", **f) == []
    today = store.info(ids[0], "Ani").created[:10]
    assert len(store.list_sessions(since=today, until=today, **f)) == 3
    assert store.list_sessions(until="2000-01-01", **f) == []

    with pytest.raises(StoreError, match="comment"):
        store.add_override(ids[0], "presence", 4, "  ", facilitator="Fasil")
    store.add_override(ids[0], "presence", 4, "Hadir penuh di giliran 3", facilitator="Fasil")
    scores = store.effective_scores(ids[0], "Fasil", "facilitator")
    assert scores["presence"] == {"auto": 2, "override": 4.0, "comment": "Hadir penuh di giliran 3", "by": "Fasil"}
    assert scores["active_listening"]["override"] is None
    assert store.info(ids[0], "Ani").scores["presence"] == 2  # the automatic score is kept
    assert store.progress("Ani")[0]["scores"]["presence"] == 4.0  # progress uses the facilitator's score


def test_read_only_database_gives_a_clear_error_and_loses_no_turn(sqlite_store, persona_id, monkeypatch):
    store = sqlite_store
    session = play(Session(persona_id, "id", recorder=store.recorder("Ani", strict=False)), COACH[:1])
    real_connect = sqlite3.connect

    def read_only(path, *args, **kwargs):  # what SQLite does when the file is not writable
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    recorder = session.recorder
    session.coach_says(COACH[1])  # the conversation goes on in memory
    assert recorder.error is not None
    assert f"The session database at {store.path} is read-only" in str(recorder.error)
    with pytest.raises(StoreError, match="read-only"):
        store.recorder("Ani").record(session)  # strict recorder raises
    assert Store(store.path).list_sessions(viewer="Ani")[0].turns == 2  # a new Store can still read it
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    session.coach_says(COACH[2])  # writable again: everything missing is written
    assert recorder.error is None
    assert [r[2] for r in stored_turns(store, session.id)] == [t.text for t in session.turns]


def test_a_held_write_lock_gives_a_clear_error_then_everything_is_saved(sqlite_store, persona_id):
    store = sqlite_store
    session = play(Session(persona_id, "id", recorder=store.recorder("Ani", strict=False)), COACH[:1])
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        session.coach_says(COACH[1])
        assert "is locked by another program" in str(session.recorder.error)
        assert len(stored_turns(store, session.id)) == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    session.coach_says(COACH[2])
    assert session.recorder.error is None
    assert [r[2] for r in stored_turns(store, session.id)] == [t.text for t in session.turns]


def test_two_tabs_on_one_session_neither_duplicate_nor_lose_turns(store, persona_id):
    from simulator.ui.logic import AppContext, Practice, take_turn

    first = play(Session(persona_id, "id", recorder=store.recorder("Ani")), COACH[:1])
    tab_a = store.load_session(first.id, viewer="Ani", recorder=store.recorder("Ani"))
    tab_b = store.load_session(first.id, viewer="Ani", recorder=store.recorder("Ani"))
    tab_a.coach_says(COACH[1])
    with pytest.raises(SessionConflict):
        tab_b.coach_says(COACH[2])  # B is stale: its turn would land where A's already is
    assert [r[2] for r in stored_turns(store, first.id)][2] == COACH[1]

    # The app's take_turn reloads and replays the turn on top.
    ctx = AppContext(settings=None, store=store, personas=load_personas(), voice_factory=lambda: None,
                     voice_note={})
    stale = store.load_session(first.id, viewer="Ani")
    st = Practice(session=stale, owner="Ani", recorder=store.recorder("Ani", strict=False))
    stale.recorder = st.recorder
    tab_a.coach_says(COACH[3])  # A moves on again, so `stale` is behind by one exchange
    list(take_turn(ctx, st, COACH[2]))
    texts = [r[2] for r in stored_turns(store, first.id)]
    assert texts[::2] == [COACH[0], COACH[1], COACH[3], COACH[2]]  # every coach turn once, in order
    assert [r[0] for r in stored_turns(store, first.id)] == list(range(8))
    assert st.notice == "other_tab" and len(st.session.turns) == 8


def test_two_tabs_writing_at_the_same_moment_one_wins_and_the_other_is_told(store, where, persona_id):
    first = play(Session(persona_id, "id", recorder=store.recorder("Ani")), COACH[:1])
    tabs = [Store(where).load_session(first.id, viewer="Ani", recorder=Store(where).recorder("Ani"))
            for _ in range(2)]
    gate, outcome = threading.Barrier(2), {}

    def run(i):
        gate.wait()
        try:
            tabs[i].coach_says(COACH[1 + i])
            outcome[i] = "ok"
        except SessionConflict:
            outcome[i] = "conflict"
        except Exception as exc:  # noqa: BLE001
            outcome[i] = repr(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcome.values()) == ["conflict", "ok"], outcome
    winner = next(i for i, v in outcome.items() if v == "ok")
    stored = stored_turns(store, first.id)
    assert [r[0] for r in stored] == [0, 1, 2, 3]  # no duplicate index, nothing half-written
    assert stored[2][2] == COACH[1 + winner] and stored[3][2] == tabs[winner].turns[3].text


def test_concurrent_writers_queue_without_losing_turns(store, where, persona_id):
    sessions = [Session(persona_id, "id", recorder=Store(where).recorder(f"T{i}")) for i in range(4)]
    errors = []

    def run(s):
        try:
            play(s)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    for s in sessions:
        assert len(stored_turns(store, s.id)) == 2 * len(COACH)


def test_database_url_selects_the_backend(data_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{data_dir}/other.sqlite3")
    store = open_store(load_settings())
    assert store.backend == "sqlite" and store.path == data_dir / "other.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "mysql://u:secret@127.0.0.1/pamong")
    with pytest.raises(StoreError, match="postgresql://") as err:
        open_store(load_settings())
    assert "secret" not in str(err.value)
    monkeypatch.delenv("DATABASE_URL")
    assert open_store(load_settings()).path == data_dir / "pamong.sqlite3"


def test_unusable_data_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="PAMONG_DATA_DIR"):
        Store(blocker / "sub" / "pamong.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged|cannot be opened"):
        Store(bad)


def test_ended_sessions_leave_the_unfinished_list_until_continued(store, persona_id):
    session = play(Session(persona_id, "id", recorder=store.recorder("Ani")), COACH[:1])
    assert [i.id for i in store.list_sessions(viewer="Ani", unfinished=True)] == [session.id]
    store.save_evaluation(session.id, {"rubric_id": "pamong-default", "scores": {"overall": 2}}, owner="Ani")
    assert store.list_sessions(viewer="Ani", unfinished=True) == []
    session.coach_says(COACH[1])
    assert [i.id for i in store.list_sessions(viewer="Ani", unfinished=True)] == [session.id]
