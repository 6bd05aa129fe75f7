"""Sessions, turns, states, evaluations and overrides in SQLite or PostgreSQL — written turn by turn.

    store = Store.from_settings(settings)           # settings.db_path, or DATABASE_URL: see open_store()
    session = Session(persona, lang, voice, recorder=store.recorder("Ani"))
    session.coach_says("...")                       # the store records the coach turn, then the reply
    store.load_session(session.id, viewer="Ani")    # a new Store on the same file resumes it

Why it is shaped this way:
- One transaction per `record(session)`: the session row is upserted and every turn/state not yet stored is
  inserted. Inserting is idempotent (primary key session_id+idx), so calling it again after a failure
  writes what is missing and nothing twice.
- Two tabs on one session: a stored turn at the same index with different words means another tab went on
  first. `record` then raises SessionConflict and writes nothing; the caller reloads and replays its turn
  on top (see `ui.logic.take_turn`). No duplicate, nothing lost.
- Privacy lives here, in one function (`can_read`): a trainee reads only their own sessions; a
  facilitator reads submitted ones. "Not yours" and "does not exist" give the same answer.
- A locked or read-only database raises StoreError with the path and what to do; the turn stays in memory
  and is written by the next successful `record`.
- A server restarting or a connection cut (PostgreSQL) is waited for on EVERY public call a turn can make,
  reads included (`@_reconnecting`): a turn passes through reads before its write (the page checks who is
  typing with `owner_named`, a conflict reloads with `load_session`), and one read failing at once would show
  the outage to the trainee and drop the turn although the write itself would have waited.
- The SQL below is shared by both databases; what differs (placeholders, generated ids, how a write
  transaction locks, pragmas, error translation) is in `db.py`.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.errors import StoreError
from simulator.storage.db import backend_for

log = logging.getLogger("pamong.store")

SCHEMA_VERSION = 1
ROLES = ("trainee", "facilitator")
STATUSES = ("draft", "submitted")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL DEFAULT 'trainee', created {ts} NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, persona_id TEXT NOT NULL, lang TEXT NOT NULL,
    voice TEXT, created {ts} NOT NULL, updated {ts} NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    rubric TEXT, ended {ts}, submitted {ts}, overall DOUBLE PRECISION, scores_json TEXT,
    forked_from_json TEXT);
CREATE INDEX IF NOT EXISTS sessions_owner ON sessions (owner, updated);
CREATE INDEX IF NOT EXISTS sessions_status ON sessions (status, updated);
CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT NOT NULL REFERENCES sessions (id), idx INTEGER NOT NULL, speaker TEXT NOT NULL,
    text TEXT NOT NULL, reading_json TEXT, notice TEXT, voice TEXT, created {ts} NOT NULL,
    PRIMARY KEY (session_id, idx));
CREATE TABLE IF NOT EXISTS states (
    session_id TEXT NOT NULL REFERENCES sessions (id), coach_turn_idx INTEGER NOT NULL,
    state_json TEXT NOT NULL, PRIMARY KEY (session_id, coach_turn_idx));
CREATE TABLE IF NOT EXISTS evaluations (
    id {id_pk}, session_id TEXT NOT NULL REFERENCES sessions (id),
    rubric TEXT NOT NULL, json TEXT NOT NULL, created {ts} NOT NULL);
CREATE TABLE IF NOT EXISTS overrides (
    id {id_pk}, session_id TEXT NOT NULL REFERENCES sessions (id),
    criterion TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, comment TEXT NOT NULL, facilitator TEXT NOT NULL,
    created {ts} NOT NULL);
"""


class SessionConflict(StoreError):
    """Another tab or process continued this session first; reload it and take the turn again."""


class SessionNotFound(StoreError):
    """No such session, or one the viewer may not read (the two are not told apart)."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class SessionInfo:
    id: str
    owner: str
    persona_id: str
    lang: str
    voice: str | None
    created: str
    updated: str
    status: str
    rubric: str | None
    ended: str | None
    submitted: str | None
    overall: float | None
    scores: dict[str, float] = field(default_factory=dict)
    turns: int = 0
    forked_from: dict | None = None

    @property
    def finished(self) -> bool:
        return self.ended is not None or self.status == "submitted"


def _reconnecting(method: Callable) -> Callable:
    """The Store method waits out a transient outage (see Store._reconnecting_call). Only for calls that are safe
    to run again: reads, and writes whose second run after a lost COMMIT changes nothing that is shown."""
    @functools.wraps(method)
    def wrapper(self: Store, *args, **kwargs):
        return self._reconnecting_call(method.__name__, lambda: method(self, *args, **kwargs))
    return wrapper


def can_read(info: SessionInfo, viewer: str | None, role: str = "trainee") -> bool:
    """The one privacy rule: your own sessions, or submitted ones when you are a facilitator."""
    if viewer is not None and info.owner == viewer:
        return True
    return role == "facilitator" and info.status == "submitted"


class SessionRecorder:
    """What a Session calls after each turn (`record(session)`), bound to the session's owner.

    `strict=False` (the app): a locked/read-only database does not stop the conversation; the error is kept
    in `.error` for the UI to show and the next call writes every turn still missing. A SessionConflict is
    always raised — the caller must reload."""

    def __init__(self, store: Store, owner: str, *, strict: bool = True):
        self.store, self.owner, self.strict = store, owner, strict
        self.error: StoreError | None = None

    def record(self, session) -> None:
        try:
            self.store.record(session, owner=self.owner)
            self.error = None
        except SessionConflict:
            raise
        except StoreError as exc:
            self.error = exc
            if self.strict:
                raise


class Store:
    """`Store(path)` for SQLite, `Store("postgresql://…")` for PostgreSQL (see db.backend_for)."""

    # How long a turn's write keeps trying while the database server restarts (PostgreSQL: typically 1-3 s) before
    # the turn is shown as not yet saved. The trainee's reply waits meanwhile; the write is idempotent (`record`
    # inserts only the turns the database does not hold), so trying again after a lost COMMIT is safe.
    RECONNECT_FOR = 10.0

    def __init__(self, where: str | Path, *, busy_timeout: float = 5.0, reconnect_for: float | None = None):
        self.reconnect_for = self.RECONNECT_FOR if reconnect_for is None else reconnect_for
        self.db = backend_for(where, busy_timeout=busy_timeout)
        self.path: Path | None = self.db.path  # the SQLite file; None on PostgreSQL
        self.where = self.db.where  # what messages name: the file, or the URL without its password
        self.busy_timeout = busy_timeout
        self._init_lock = threading.Lock()
        self._local = threading.local()  # .waiting: this thread is already inside a reconnecting call
        self._ready = False
        self._init()

    @classmethod
    def from_settings(cls, settings, **kwargs) -> Store:
        return open_store(settings, **kwargs)

    @property
    def backend(self) -> str:
        return self.db.name  # "sqlite" | "postgresql"

    # ---------------------------------------------------------------------------------------- plumbing
    def _explain(self, exc: BaseException) -> StoreError:
        return self.db.explain(exc)

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self.db.connection() as conn:
            try:
                yield conn
            except self.db.errors as exc:
                raise self._explain(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One transaction that takes its write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
        session row FOR UPDATE in `record`), so two writers queue, not deadlock or interleave."""
        with self.db.connection() as conn:
            try:
                conn.execute(self.db.begin_write)
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except self.db.errors as exc:
                if self.db.is_duplicate(exc):  # a turn index another writer took first
                    raise SessionConflict("This session was continued in another tab or window at the same "
                                          "moment. It has been reloaded; your turn is taken again on top "
                                          "of it.") from exc
                raise self._explain(exc) from exc

    def _reconnecting_call(self, what: str, call: Callable[[], Any], *, gave_up: str = "") -> Any:
        """`call()`, run again while the database is transiently unreachable (server restarting, connections
        terminated: `db.is_transient`) for up to `reconnect_for` seconds, logged once; then the error is raised
        as before. Anything else (locked, read-only, a conflict, not found) is raised at once. A call nested in
        another (load_session -> session_dict -> info) runs plainly: the outer one holds the single deadline,
        so waits do not multiply."""
        if getattr(self._local, "waiting", False):
            return call()
        self._local.waiting = True
        try:
            deadline = time.monotonic() + self.reconnect_for
            delay, logged = 0.1, False
            while True:
                try:
                    return call()
                except (SessionConflict, SessionNotFound):
                    raise
                except StoreError as exc:
                    if not self.db.is_transient(exc.__cause__) or time.monotonic() + delay > deadline:
                        if logged:
                            log.error("%s; %s gave up after %.0f s%s", exc, what, self.reconnect_for, gave_up)
                        raise
                    if not logged:
                        log.warning("%s; %s retrying for up to %.0f s", exc, what, self.reconnect_for)
                        logged = True
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
        finally:
            self._local.waiting = False

    def _init(self) -> None:
        self.db.prepare()
        with self._read() as conn:
            if self.db.has_table(conn, "schema_version"):
                row = conn.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()
                if row["v"] is not None and row["v"] > SCHEMA_VERSION:
                    raise StoreError(f"The session database at {self.where} was written by a newer Pamong "
                                     f"(schema {row['v']}; this one knows {SCHEMA_VERSION}). Upgrade Pamong.")
                if row["v"] == SCHEMA_VERSION:
                    self.db.keep()
                    return  # ready; works on a read-only database too
        with self._write() as conn:
            self.db.lock_schema(conn)
            for statement in _SCHEMA.format(id_pk=self.db.id_pk, ts=self.db.ts).split(";"):
                if statement.strip():
                    conn.execute(statement)
            if conn.execute("SELECT COUNT(*) AS n FROM schema_version").fetchone()["n"] == 0:
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        self.db.after_schema()
        self.db.keep()

    def close(self) -> None:
        self.db.close()

    # ---------------------------------------------------------------------------------------- users
    @_reconnecting
    def ensure_user(self, name: str, role: str = "trainee") -> None:
        if role not in ROLES:
            raise StoreError(f"Unknown role '{role}': use one of {', '.join(ROLES)}.")
        with self._write() as conn:
            conn.execute("INSERT INTO users (name, role, created) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET role = excluded.role", (name, role, now()))

    @_reconnecting
    def users(self) -> list[dict]:
        with self._read() as conn:
            return [dict(r) for r in conn.execute("SELECT name, role, created FROM users ORDER BY name")]

    # ---------------------------------------------------------------------------------------- recording
    def recorder(self, owner: str, *, strict: bool = True) -> SessionRecorder:
        if not owner or not owner.strip():
            raise StoreError("A session needs an owner: type your name first.")
        return SessionRecorder(self, owner.strip(), strict=strict)

    def record(self, session, owner: str) -> int:
        """Upsert the session row and insert every turn and state not stored yet. Returns turns written.

        Only what is new is serialised, so a turn costs the same at turn 40 as at turn 1. A server that is
        restarting is waited for (up to `reconnect_for` seconds, logged), then the error is raised as before;
        the write is idempotent, so running it again after a lost COMMIT is safe."""
        return self._reconnecting_call(
            "record", lambda: self._record(session, owner),
            gave_up=f"; session {session.id} not saved yet (it will be with its next turn)")

    def _record(self, session, owner: str) -> int:
        sid, stamp = session.id, now()
        voice = getattr(session.voice, "name", None)
        with self._write() as conn:
            # FOR UPDATE (PostgreSQL): a second writer on this session waits here, then sees our turns.
            row = conn.execute(f"SELECT owner, status FROM sessions WHERE id = ?{self.db.for_update}",
                               (sid,)).fetchone()
            if row is None:
                forked = getattr(session, "forked_from", None)
                conn.execute(
                    "INSERT INTO sessions (id, owner, persona_id, lang, voice, created, updated, forked_from_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (sid, owner, session.persona.id, session.lang, voice, stamp, stamp,
                     json.dumps(forked) if forked else None))
                conn.execute("INSERT INTO users (name, role, created) VALUES (?, 'trainee', ?) "
                             "ON CONFLICT (name) DO NOTHING", (owner, stamp))
            elif row["owner"] != owner:
                raise SessionNotFound(f"Session {sid} belongs to someone else; start your own session.")
            elif row["status"] == "submitted":
                raise StoreError(f"Session {sid} was submitted to a facilitator and cannot change; "
                                 "use 'try again from this turn' to practise further.")
            stored = conn.execute("SELECT idx, speaker, text FROM turns WHERE session_id = ? ORDER BY idx",
                                  (sid,)).fetchall()
            for turn, old in zip(session.turns, stored, strict=False):
                if (turn.speaker, turn.text) != (old["speaker"], old["text"]):
                    raise SessionConflict(
                        f"Session {sid} was continued in another tab or window (turn {old['idx'] + 1} differs). "
                        "It has been reloaded; your turn is taken again on top of it.")
            new = session.turns[len(stored):]
            conn.executemany(
                "INSERT INTO turns (session_id, idx, speaker, text, reading_json, notice, voice, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(sid, idx, turn.speaker, turn.text,
                  json.dumps(turn.reading.to_dict(), ensure_ascii=False) if turn.reading is not None else None,
                  turn.notice, turn.voice, stamp) for idx, turn in enumerate(new, start=len(stored))])
            n_states = conn.execute("SELECT COUNT(*) AS n FROM states WHERE session_id = ?",
                                    (sid,)).fetchone()["n"]
            conn.executemany(
                "INSERT INTO states (session_id, coach_turn_idx, state_json) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(sid, idx, json.dumps(state.to_dict(), ensure_ascii=False))
                 for idx, state in enumerate(session.states[n_states:], start=n_states)])
            conn.execute("UPDATE sessions SET updated = ?, voice = COALESCE(?, voice), "
                         "ended = CASE WHEN ? THEN NULL ELSE ended END WHERE id = ?",
                         (stamp, voice, bool(new), sid))  # more turns after End: unfinished again
        return len(new)

    # ---------------------------------------------------------------------------------------- reading
    def _info(self, conn, row) -> SessionInfo:
        n = conn.execute("SELECT COUNT(*) AS n FROM turns WHERE session_id = ?", (row["id"],)).fetchone()["n"]
        return SessionInfo(
            id=row["id"], owner=row["owner"], persona_id=row["persona_id"], lang=row["lang"], voice=row["voice"],
            created=row["created"], updated=row["updated"], status=row["status"], rubric=row["rubric"],
            ended=row["ended"], submitted=row["submitted"], overall=row["overall"],
            scores=json.loads(row["scores_json"]) if row["scores_json"] else {}, turns=n,
            forked_from=json.loads(row["forked_from_json"]) if row["forked_from_json"] else None)

    @_reconnecting
    def info(self, session_id: str, viewer: str | None, role: str = "trainee") -> SessionInfo:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (str(session_id).strip(),)).fetchone()
            info = self._info(conn, row) if row else None
        if info is None or not can_read(info, viewer, role):
            raise SessionNotFound(f"No session '{session_id}' that you can open. Check the id, or type the "
                                  "name you practised under.")
        return info

    @_reconnecting
    def session_dict(self, session_id: str, viewer: str | None, role: str = "trainee") -> dict:
        """The stored session in Session.to_dict() form (turns and states from their own tables)."""
        info = self.info(session_id, viewer, role)
        with self._read() as conn:
            turns = [{"speaker": r["speaker"], "text": r["text"],
                      "reading": json.loads(r["reading_json"]) if r["reading_json"] else None,
                      "notice": r["notice"], "voice": r["voice"]}
                     for r in conn.execute("SELECT * FROM turns WHERE session_id = ? ORDER BY idx", (info.id,))]
            states = [json.loads(r["state_json"]) for r in conn.execute(
                "SELECT state_json FROM states WHERE session_id = ? ORDER BY coach_turn_idx", (info.id,))]
        return {"session_id": info.id, "persona": info.persona_id, "lang": info.lang, "voice": info.voice,
                "forked_from": info.forked_from, "turns": turns, "states": states}

    @_reconnecting
    def load_session(self, session_id: str, *, viewer: str | None, role: str = "trainee", voice=None,
                     searcher=None, recorder=None, persona=None):
        """Rebuild a Session from the store (Session.from_dict); the viewer must be allowed to read it."""
        from simulator.session import Session

        data = self.session_dict(session_id, viewer, role)
        return Session.from_dict(data, voice=voice, searcher=searcher, recorder=recorder, persona=persona)

    @_reconnecting
    def list_sessions(self, *, owner: str | None = None, persona: str | None = None, status: str | None = None,
                      since: str | None = None, until: str | None = None, min_score: float | None = None,
                      max_score: float | None = None, unfinished: bool | None = None,
                      viewer: str | None = None, role: str = "trainee", limit: int = 500) -> list[SessionInfo]:
        """Sessions the viewer may read, newest first, filtered. since/until: ISO dates (until inclusive)."""
        where, args = [], []
        if role == "facilitator":
            where.append("(status = 'submitted' OR owner = ?)")
            args.append(viewer)
        else:
            where.append("owner = ?")
            args.append(viewer)
        for column, value in (("owner", owner), ("persona_id", persona), ("status", status)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if since:
            where.append("created >= ?")
            args.append(str(since))
        if until:
            where.append("created < ?")
            args.append(str(until) + "\uffff")  # the whole 'until' day
        if min_score is not None:
            where.append("overall >= ?")
            args.append(float(min_score))
        if max_score is not None:
            where.append("overall <= ?")
            args.append(float(max_score))
        if unfinished:
            where.append("ended IS NULL AND status = 'draft'")
        sql = f"SELECT * FROM sessions WHERE {' AND '.join(where)} ORDER BY updated DESC LIMIT ?"
        with self._read() as conn:
            rows = conn.execute(sql, (*args, int(limit))).fetchall()
            return [self._info(conn, r) for r in rows]

    # ---------------------------------------------------------------------------------------- lifecycle
    def _own(self, conn, session_id: str, owner: str):
        row = conn.execute(f"SELECT * FROM sessions WHERE id = ?{self.db.for_update}", (session_id,)).fetchone()
        if row is None or row["owner"] != owner:
            raise SessionNotFound(f"No session '{session_id}' of yours.")
        return row

    @_reconnecting
    def save_evaluation(self, session_id: str, evaluation, *, owner: str) -> None:
        """Keep the automatic evaluation (JSON) and mark the session ended. Run again after a lost COMMIT it adds
        the same evaluation once more, which changes nothing shown (the latest one is read)."""
        data = evaluation.to_dict() if hasattr(evaluation, "to_dict") else dict(evaluation)
        scores = data.get("scores") or {}
        rubric = data.get("rubric_id") or "default"
        stamp = now()
        with self._write() as conn:
            self._own(conn, session_id, owner)
            conn.execute("INSERT INTO evaluations (session_id, rubric, json, created) VALUES (?, ?, ?, ?)",
                         (session_id, rubric, json.dumps(data, ensure_ascii=False, default=str), stamp))
            conn.execute("UPDATE sessions SET rubric = ?, overall = ?, scores_json = ?, ended = COALESCE(ended, ?),"
                         " updated = ? WHERE id = ?",
                         (rubric, scores.get("overall"), json.dumps(scores), stamp, stamp, session_id))

    @_reconnecting
    def evaluation(self, session_id: str, viewer: str | None, role: str = "trainee") -> dict | None:
        info = self.info(session_id, viewer, role)
        with self._read() as conn:
            row = conn.execute("SELECT json FROM evaluations WHERE session_id = ? ORDER BY id DESC LIMIT 1",
                               (info.id,)).fetchone()
        return json.loads(row["json"]) if row else None

    @_reconnecting
    def submit(self, session_id: str, *, owner: str) -> None:
        stamp = now()
        with self._write() as conn:
            row = self._own(conn, session_id, owner)
            if row["overall"] is None:
                raise StoreError("End the session (to get its report) before submitting it.")
            conn.execute("UPDATE sessions SET status = 'submitted', submitted = ?, updated = ? WHERE id = ?",
                         (stamp, stamp, session_id))

    def add_override(self, session_id: str, criterion: str, score: float, comment: str, *,
                     facilitator: str) -> None:
        """A facilitator's score for one criterion, kept beside (never over) the automatic one."""
        if not comment or not str(comment).strip():
            raise StoreError("An override needs a comment saying why.")
        with self._write() as conn:
            row = conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None or row["status"] != "submitted":
                raise SessionNotFound(f"No submitted session '{session_id}'.")
            conn.execute("INSERT INTO overrides (session_id, criterion, score, comment, facilitator, created) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (session_id, criterion, float(score), str(comment).strip(), facilitator, now()))

    @_reconnecting
    def overrides(self, session_id: str, viewer: str | None, role: str = "trainee") -> list[dict]:
        info = self.info(session_id, viewer, role)
        with self._read() as conn:
            return [dict(r) for r in conn.execute(
                "SELECT criterion, score, comment, facilitator, created FROM overrides WHERE session_id = ? "
                "ORDER BY id", (info.id,))]

    @_reconnecting
    def effective_scores(self, session_id: str, viewer: str | None, role: str = "trainee") -> dict[str, Any]:
        """{criterion: {"auto": x, "override": y | None, "comment": ..., "by": ...}} (latest override wins)."""
        info = self.info(session_id, viewer, role)
        out: dict[str, Any] = {k: {"auto": v, "override": None, "comment": None, "by": None}
                               for k, v in info.scores.items()}
        for o in self.overrides(session_id, viewer, role):
            entry = out.setdefault(o["criterion"], {"auto": None})
            entry.update(override=o["score"], comment=o["comment"], by=o["facilitator"])
        return out

    @_reconnecting
    def owner_named(self, name: str) -> str | None:
        """The owner name already in use that matches `name` ignoring case ("ani" -> "Ani"), or None."""
        with self._read() as conn:
            row = conn.execute("SELECT owner FROM sessions WHERE LOWER(owner) = LOWER(?) ORDER BY created LIMIT 1",
                               (str(name),)).fetchone()
        return row["owner"] if row else None

    @_reconnecting
    def progress(self, owner: str) -> list[dict]:
        """The owner's evaluated sessions, oldest first: {id, persona_id, created, scores} (overrides applied)."""
        out = []
        for info in reversed(self.list_sessions(viewer=owner)):
            if not info.scores:
                continue
            scores = dict(info.scores)
            for o in self.overrides(info.id, owner):
                if o["criterion"] in scores:
                    scores[o["criterion"]] = o["score"]
            out.append({"id": info.id, "persona_id": info.persona_id, "created": info.created,
                        "status": info.status, "scores": scores})
        return out


def open_store(settings, *, busy_timeout: float = 5.0) -> Store:
    """The store the settings point to: SQLite at settings.db_path, or DATABASE_URL.

    DATABASE_URL: `sqlite:///relative/path` or `sqlite:////absolute/path`, or
    `postgresql://USER:PASSWORD@HOST:PORT/DATABASE` (also `postgres://`, and libpq query options such as
    `?sslmode=require`) for a shared deployment. The tables are created on first use in either."""
    url = getattr(settings, "database_url", None)
    return Store(url or settings.db_path, busy_timeout=busy_timeout)
