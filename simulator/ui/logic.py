"""What the app does, in plain Python (no Gradio here): tests drive these functions directly.

`AppContext` is built once per app (settings, store, personas, searcher, voice factory, users); `Practice` is
one browser tab's state (kept in gr.State). Identity comes from `AppContext.identity`: the signed-in user
when login is on, otherwise the name typed in the page. Privacy checks live in the store (`can_read`).
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import RootModel, model_validator

from simulator.coachee.persona import Persona
from simulator.content import load_yaml
from simulator.errors import InputError, SimulatorError, StoreError
from simulator.evaluation.report import md_escape as report_md_escape
from simulator.storage.store import SessionConflict, Store
from simulator.vocabulary import DIMENSIONS, LANGS, Lang

LABELS_PATH = Path(__file__).with_name("labels.yaml")
MEASURES = ("trust", "openness", "insight", "ownership")
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


# ---------------------------------------------------------------------------------------------- text
class _Labels(RootModel[dict[str, dict[Lang, str]]]):
    """ui/labels.yaml: every interface string in both languages (a missing language fails at load)."""

    @model_validator(mode="after")
    def _both_languages(self) -> _Labels:
        for key, texts in self.root.items():
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise ValueError(f"'{key}' has no {', '.join(missing)} text")
        return self


@cache
def _labels() -> dict[str, dict[str, str]]:
    return load_yaml(LABELS_PATH, _Labels, "interface labels").root


def t(key: str, lang: str, **values: Any) -> str:
    """A label in `lang`; values are escaped for Markdown/HTML before they are filled in."""
    entry = _labels()[key]
    text = entry["en" if lang == "en" else "id"]
    return text.format(**{k: md_escape(str(v)) for k, v in values.items()}) if values else text


def md_escape(text: str) -> str:
    """User text for the app's Markdown panels, line breaks kept (the report's one escaper)."""
    return report_md_escape(text, lines=True)


_CHAT_SPECIAL = re.compile(r"([\\`*_\[\]~|#])")  # after html.escape; links need [ ], images need [ ]


def chat_escape(text: str) -> str:
    """A chat message made inert with as few backslashes as possible (a copied message reads as typed): HTML
    escaped, and only the characters that make links, images, emphasis, code or headings escaped — full stops,
    commas, colons, dashes and brackets stay as they are."""
    return "\n".join(_CHAT_SPECIAL.sub(r"\\\1", html.escape(line, quote=False)) for line in str(text).split("\n"))


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------------------------------------- app context
class SessionLocks:
    """One lock per session id, held only while someone uses it: `with locks.hold(session_id): ...`. An entry
    lives as long as a turn on that session runs or waits, so a server that has seen thousands of sessions keeps
    none (a defaultdict of locks would keep one per session ever played, for the life of the process)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}   # session id -> [lock, number of holders and waiters]

    @contextmanager
    def hold(self, session_id: str) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(session_id, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[session_id]

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class AppContext:
    settings: Any
    store: Store
    personas: dict[str, Persona]
    voice_factory: Callable[[], Any]
    voice_note: dict[str, str]                 # lang -> the visible note on the active voice
    searcher: Any = None                       # a Searcher, or None when retrieval is unavailable
    index_note: dict[str, str] | None = None   # lang -> why nothing will be cited
    users: dict[str, str] | None = None        # username -> role, when login is on
    reports_dir: Path = field(default_factory=lambda: Path("."))
    rubric: str | None = None                  # None: the default rubric
    # One lock per session id: two tabs on one session take turns one after the other, never interleaved.
    turn_locks: SessionLocks = field(default_factory=SessionLocks, repr=False)

    @property
    def auth(self) -> bool:
        return self.users is not None

    def identity(self, username: str | None, typed: str | None) -> tuple[str, str]:
        """(user, role). With login: the signed-in user and their role (what was typed is ignored).
        Without: the typed name; everyone is trusted as trainee and facilitator on a local machine."""
        if self.auth:
            if not username or username not in self.users:
                raise InputError("sign_in_first")
            return username, self.users[username]
        name = re.sub(r"\s+", " ", (typed or "")).strip()
        if not name:
            raise InputError("need_name")
        if len(name) > 80:
            raise InputError("name_too_long")
        # "ani" is the Ani who practised before: one trainee, however the name is typed today
        known = self.store.owner_named(name) if hasattr(self.store, "owner_named") else None
        return known or name, "facilitator"


# Messages raised in English by modules the UI does not own, shown in the interface language.
_KNOWN = (("An override needs a comment", "override_needs_comment"), ("End the session", "end_first"),
          ("No session '", "not_found"), ("No submitted session", "not_found"),
          ("A session needs an owner", "need_name"), ("was submitted to a facilitator", "submitted"))


def message(exc: Exception, lang: str) -> str:
    """One clear line for a person, in the interface language (labels for known keys and messages; the
    error's own text otherwise)."""
    bilingual = getattr(exc, "message", None)
    if hasattr(bilingual, "get") and hasattr(bilingual, "en"):  # DocumentError: its message in both languages
        return md_escape(_app_words(bilingual.get(lang), lang))
    text = str(exc)
    values = getattr(exc, "values", None) or {}
    if text in _labels():
        return t(text, lang, **values)
    for start, key in _KNOWN:
        if start in text:
            return t(key, lang)
    return md_escape(text)


class LabelledError(InputError):
    """An InputError whose text is a label key, with values to fill in (shown in the interface language)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.values = values


def short_code(session_id: str) -> str:
    """What a person reads and types: the first 8 characters (the store keeps the whole id)."""
    return str(session_id)[:8]


def fmt_number(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


# ---------------------------------------------------------------------------------------------- scenario cards
def persona_label(p: Persona, lang: str) -> str:
    return f"{p.title(lang)} ({t(p.difficulty, lang)})"


def card_html(p: Persona, lang: str) -> str:
    skills = ", ".join(t(s, lang) for s in p.skills)
    return (f'<div class="pamong-card" data-persona="{esc(p.id)}"><h3>{esc(p.title(lang))}</h3>'
            f'<p class="pamong-meta">{esc(t(p.role, lang)).capitalize()} · {esc(t(p.difficulty, lang))} · '
            f'{esc(skills)}</p><p>{esc(p.scenario(lang))}</p></div>')


def card_visible(p: Persona, skill: str | None, difficulty: str | None) -> bool:
    return (not skill or skill in p.skills) and (not difficulty or difficulty == p.difficulty)


def brief_html(p: Persona | None, lang: str, code: str = "") -> str:
    """The scenario pinned beside the chat: who, the situation, what to practise, how to begin."""
    if p is None:
        return ""
    skills = ", ".join(t(s, lang) for s in p.skills)
    return (f'<div class="pamong-brief"><h3>{esc(p.title(lang))}</h3>'
            f'<p class="pamong-meta">{esc(t(p.role, lang)).capitalize()} · {esc(t(p.difficulty, lang))} · '
            f'{esc(skills)}</p><p>{esc(p.scenario(lang))}</p>'
            f'<p><b>{esc(t("brief_practise", lang))}:</b> {esc(p.practise(lang))}</p>'
            f'<p class="pamong-tip">{esc(t("brief_tip", lang))}</p>'
            + (f'<p class="pamong-meta">{esc(t("session_code", lang, id=code))}</p>' if code else "") + "</div>")


def cards_html(personas: dict[str, Persona], lang: str) -> str:
    cards = []
    for p in personas.values():
        skills = ", ".join(t(s, lang) for s in p.skills)
        cards.append(
            f'<div class="pamong-card" data-persona="{esc(p.id)}"><h4>{esc(p.title(lang))}</h4>'
            f'<p class="pamong-meta"><b>{esc(t("card_role", lang))}:</b> {esc(t(p.role, lang))} · '
            f'<b>{esc(t("card_difficulty", lang))}:</b> {esc(t(p.difficulty, lang))}</p>'
            f'<p>{esc(p.scenario(lang))}</p>'
            f'<p><b>{esc(t("card_trains", lang))}:</b> {esc(skills)} — {esc(p.practise(lang))}</p></div>')
    return '<div class="pamong-cards">' + "".join(cards) + "</div>"


# ---------------------------------------------------------------------------------------------- practice
@dataclass
class Practice:
    """One tab's practice state (lives in gr.State, never in a module global)."""
    session: Any = None          # simulator.session.Session
    owner: str | None = None
    recorder: Any = None
    evaluation: Any = None
    last_hint: str | None = None
    notice: str | None = None
    ended: bool = False          # End pressed: the chat is locked (fork to carry on differently)
    submitted: bool = False      # handed in: nothing about it changes any more
    last_reading: Any = None     # the last coach turn's reading (the hint is re-worded on a language switch)

    @property
    def lang(self) -> str:
        return self.session.lang if self.session else "id"


def chat_messages(session) -> list[dict]:
    """The conversation as Chatbot messages: coach = user, coachee = assistant; every text escaped."""
    if session is None:
        return []
    return [{"role": "user" if turn.speaker == "coach" else "assistant", "content": chat_escape(turn.text)}
            for turn in session.turns]


def thermometer_html(state, lang: str) -> str:
    if state is None:
        return ""
    rows = []
    for key in ("trust", "openness"):
        value = float(getattr(state, key))
        label = esc(t(key, lang))
        rows.append(f'<div class="pamong-thermo"><span class="pamong-thermo-name">{label}</span>'
                    f'<meter min="0" max="1" value="{value:.2f}" aria-label="{label}"></meter>'
                    f'<span>{round(value * 100)}%</span></div>')
    return f'<div class="pamong-thermos" aria-label="{esc(t("thermometer", lang))}">' + "".join(rows) + "</div>"


def state_rows(states, lang: str) -> list[dict]:
    """Long-form rows for a line chart: one per (coach turn, measure)."""
    return [{"turn": i, "measure": t(m, lang), "value": round(float(getattr(s, m) if not isinstance(s, dict)
                                                                    else s[m]), 3)}
            for i, s in enumerate(states) for m in MEASURES]


def _session_class():
    from simulator.session import Session
    return Session


def _attach(ctx: AppContext, st: Practice, session, owner: str) -> None:
    st.recorder = ctx.store.recorder(owner, strict=False)
    session.recorder = st.recorder
    st.session, st.owner, st.evaluation, st.notice = session, owner, None, None


def start_session(ctx: AppContext, st: Practice, *, user: str, persona_id: str, lang: str) -> Practice:
    if not persona_id or persona_id not in ctx.personas:
        raise InputError("need_persona")
    persona = ctx.personas[persona_id]
    if lang not in persona.languages:
        lang = persona.languages[0]
    session = _session_class()(persona, lang, ctx.voice_factory(), searcher=ctx.searcher)
    st = Practice()
    _attach(ctx, st, session, user)
    session.recorder.record(session)  # the session row exists from the first moment
    return st


def resume_session(ctx: AppContext, *, user: str, session_id: str) -> Practice:
    """Reopen one of the user's own sessions; a coach turn left without a reply is answered now."""
    st = Practice()
    session_id = session_id.strip()
    if len(session_id) < 32:  # a short code: the user's own session whose id starts with it
        match = [i.id for i in ctx.store.list_sessions(viewer=user) if i.id.startswith(session_id.lower())]
        session_id = match[0] if len(match) == 1 else session_id
    session = ctx.store.load_session(session_id, viewer=user, voice=ctx.voice_factory(),
                                     searcher=ctx.searcher)
    info = ctx.store.info(session.id, user)
    _attach(ctx, st, session, user)
    if info.status == "submitted":
        session.recorder = None  # read-only from here; fork to practise further
        st.submitted = st.ended = True
    elif info.ended:
        st.ended = True
    elif session.turns and session.turns[-1].speaker == "coach":
        session.respond()
    return st


def take_turn(ctx: AppContext, st: Practice, text: str) -> Iterator[str | Any]:
    """Yield the reply as it grows, then the TurnResult. If another tab continued this session first, reload it
    from the store and take the turn again on top (no duplicate, nothing lost)."""
    if st.session is None:
        raise InputError("need_session")
    if st.session.recorder is None or st.submitted:
        raise InputError("submitted")
    if st.ended:
        raise InputError("ended_locked")
    if not (text or "").strip():
        raise InputError("empty_turn")
    st.notice = None
    with ctx.turn_locks.hold(st.session.id):
        for _attempt in range(3):
            try:
                yield from st.session.coach_says_stream(text)
                break
            except SessionConflict:
                reloaded = ctx.store.load_session(st.session.id, viewer=st.owner, voice=st.session.voice,
                                                  searcher=ctx.searcher)
                _attach(ctx, st, reloaded, st.owner)
                st.notice = "other_tab"
        else:
            raise StoreError("This session keeps changing in another tab; close the other tab and resume it here.")
    st.evaluation = None


def end_session(ctx: AppContext, st: Practice):
    """Score the session with the readings it already has, keep the evaluation, and return it."""
    from simulator.evaluation.scoring import evaluate_readings

    session = st.session
    if session is None:
        raise InputError("need_session")
    if not session.coach_turns:
        raise InputError("need_turns")
    readings = {i: turn.reading for i, turn in enumerate(session.turns) if turn.speaker == "coach"}
    evaluation = evaluate_readings(session.to_transcript(), readings, ctx.rubric, searcher=ctx.searcher)
    if st.recorder is not None and session.recorder is not None:
        st.recorder.record(session)  # anything still unsaved (e.g. the database was locked earlier)
    ctx.store.save_evaluation(session.id, evaluation, owner=st.owner)
    st.evaluation = evaluation
    return evaluation


def fork_session(ctx: AppContext, st: Practice, coach_turn_index: int) -> Practice:
    """A new session with the turns before the chosen coach turn (state replayed), recorded at once."""
    if st.session is None:
        raise InputError("need_session")
    new = Practice(owner=st.owner, recorder=ctx.store.recorder(st.owner, strict=False))
    session, kept = st.session, st.session.recorder
    session.recorder = new.recorder  # Session.fork hands its recorder to the new session and records it
    try:
        new.session = session.fork(int(coach_turn_index))
    finally:
        session.recorder = kept
    new.session.recorder = new.recorder
    return new


def coach_turn_choices(session) -> list[tuple[str, int]]:
    if session is None:
        return []
    out, n = [], 0
    for turn in session.turns:
        if turn.speaker == "coach":
            text = turn.text if len(turn.text) <= 60 else turn.text[:turn.text.rfind(" ", 0, 57)] + " …"
            # numbered as the trainee's own turns, like the "from your turn n" status after a retry
            out.append((f"{n + 1}. {text}", n))
            n += 1
    return out


def write_reports(ctx: AppContext, session_id: str, evaluation, lang: str, *, states=None,
                  meta: dict | None = None) -> list[str]:
    """[printable HTML (trainee, scenario, date on top), JSON for tools] — the teacher's file first."""
    from simulator.evaluation import report

    folder = ctx.reports_dir / re.sub(r"[^A-Za-z0-9_-]", "_", session_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = ("laporan-pamong" if lang == "id" else "pamong-report") + f"-{short_code(session_id)}"
    files = {"html": report.to_html(evaluation, lang, states=states, meta=meta), "json": report.to_json(evaluation, lang)}
    paths = []
    for ext, text in files.items():
        path = folder / f"{stem}.{ext}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def report_meta(ctx: AppContext, owner: str | None, persona_id: str | None, created: str | None, lang: str) -> dict:
    from datetime import date

    persona = ctx.personas.get(persona_id or "")
    day = (created or date.today().isoformat())[:10]
    return {"trainee": owner or "", "scenario": persona.title(lang) if persona else (persona_id or ""),
            "date": format_date(day, lang)}


_MONTHS = {"id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                  "November", "Desember"],
           "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]}


def format_date(iso: str, lang: str) -> str:
    """2026-12-06 -> '6 Desember 2026' / '6 December 2026'."""
    try:
        y, m, d = (int(x) for x in iso[:10].split("-"))
        return f"{d} {_MONTHS['en' if lang == 'en' else 'id'][m - 1]} {y}"
    except (ValueError, IndexError):
        return iso


# ---------------------------------------------------------------------------------------------- rendering
def _anchor(prefix: str, index: int) -> str:
    return f"{prefix}-turn-{index + 1}"


def act_label(act: str, lang: str) -> str:
    key = f"act_{act}"
    return t(key, lang) if key in _labels() else act.replace("_", " ")


def transcript_html(turns, lang: str, prefix: str = "pamong", acts: dict[int, list[str]] | None = None) -> str:
    """Numbered turns (anchors `prefix-turn-N`) with per-turn act labels for coach turns."""
    rows = []
    for i, turn in enumerate(turns):
        speaker = turn["speaker"] if isinstance(turn, dict) else turn.speaker
        text = turn["text"] if isinstance(turn, dict) else turn.text
        labels = (acts or {}).get(i)
        if labels is None and not isinstance(turn, dict) and getattr(turn, "reading", None) is not None:
            labels = list(turn.reading.acts)
        badges = "".join(f'<span class="pamong-act pamong-act-{esc(a)}">{esc(act_label(a, lang))}</span>'
                         for a in labels or () if a != "other")
        rows.append(f'<div class="pamong-turn pamong-{esc(speaker)}" id="{_anchor(prefix, i)}">'
                    f'<b>{i + 1}. {esc(t(speaker, lang) if speaker in ("coach", "coachee") else speaker)}</b> '
                    f'{badges}<div>{esc(text)}</div></div>')
    return '<div class="pamong-transcript">' + "".join(rows) + "</div>"


def report_html(evaluation, lang: str, prefix: str = "pamong", *, states=None, meta: dict | None = None,
                audience: str = "trainee") -> str:
    """The report body shared with the download and the review tab (simulator.evaluation.report_view).
    audience="coach": about a coach in an uploaded transcript ("the coach said"), not to the reader."""
    from simulator.evaluation.report import to_dict
    from simulator.evaluation.report_view import report_body

    lg = "en" if lang == "en" else "id"
    data = evaluation if isinstance(evaluation, dict) else to_dict(evaluation, lg)
    return '<div class="pamong-report">' + report_body(data, lg, states=states, meta=meta, prefix=prefix,
                                                          audience=audience) + "</div>"


# ---------------------------------------------------------------------------------------------- review
def _day(value) -> str | None:
    """A date from a date picker or typed: '2026-12-06', '2026-12-06 00:00:00', or a timestamp."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        from datetime import datetime
        return datetime.fromtimestamp(float(value)).date().isoformat()
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value))
    if not m:
        raise LabelledError("not_a_date", value=value)
    return m.group(1)


def review_rows(ctx: AppContext, *, viewer: str, role: str, trainee: str = "", persona: str = "",
                since=None, until=None, min_score=None, max_score=None, lang: str = "id") -> list[dict]:
    """Submitted sessions, newest first: {"id", "row": [code, trainee, scenario, date, overall, turns]}.
    The trainee filter matches any part of the name, in any case."""
    if role != "facilitator":
        raise InputError("review_denied")
    infos = ctx.store.list_sessions(viewer=viewer, role="facilitator", status="submitted",
                                    persona=persona or None, since=_day(since), until=_day(until),
                                    min_score=_num(min_score), max_score=_num(max_score))
    who = re.sub(r"\s+", " ", trainee or "").strip().casefold()
    top = 4
    return [{"id": i.id, "owner": i.owner,
             "row": [short_code(i.id), i.owner, _persona_title(ctx, i.persona_id, lang),
                     format_date(i.created, lang), f"{i.overall:g}/{top}" if i.overall is not None else "—", i.turns]}
            for i in infos if not who or who in i.owner.casefold()]


def review_columns(lang: str) -> list[str]:
    return [t(k, lang) for k in ("col_code", "col_trainee", "col_scenario", "col_date", "col_overall", "col_turns")]


def _persona_title(ctx: AppContext, persona_id: str, lang: str) -> str:
    p = ctx.personas.get(persona_id)
    return p.title(lang) if p else persona_id


def _num(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        raise LabelledError("not_a_number", value=value) from None


def criterion_name(key: str, lang: str, evaluation_dict: dict | None = None) -> str:
    if key in DIMENSIONS or key == "overall":
        return t(key, lang)
    for c in (evaluation_dict or {}).get("criteria") or []:
        if c["id"] == key:
            name = c["name"]
            return name.get(lang, name.get("id")) if isinstance(name, dict) else str(name)
    return key.replace("_", " ")


def criteria_for(evaluation_dict: dict | None, lang: str = "id") -> list[tuple[str, str]]:
    """(label, key) choices: the three dimensions, overall, then the rubric's criteria, named in `lang`."""
    keys = list(DIMENSIONS) + ["overall"]
    for c in (evaluation_dict or {}).get("criteria") or []:
        keys.append(c["id"])
    return [(criterion_name(k, lang, evaluation_dict), k) for k in keys]


def score_columns(lang: str) -> list[str]:
    return [t(k, lang) for k in ("col_criterion", "col_auto", "col_override", "col_comment", "col_by")]


def scores_html(rows: list[list], lang: str) -> str:
    """The automatic score and any facilitator's score beside it, one criterion per row (wraps on a phone)."""
    head = "".join(f"<th>{esc(c)}</th>" for c in score_columns(lang))
    body = "".join("<tr>" + "".join(f"<td>{esc('' if v is None else (f'{v:g}' if isinstance(v, float) else v))}</td>"
                                    for v in row) + "</tr>" for row in rows)
    return f'<table class="pamong-scores"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def review_open(ctx: AppContext, *, viewer: str, role: str, session_id: str, lang: str) -> dict:
    """A submitted session for a facilitator: the very report the trainee read (in the facilitator's language),
    the transcript with a reading of each turn, and the scores beside any overrides."""
    from simulator.evaluation.report import from_stored

    if role != "facilitator":
        raise InputError("review_denied")
    data = ctx.store.session_dict(session_id, viewer, role)
    info = ctx.store.info(session_id, viewer, role)
    acts = {i: list((turn.get("reading") or {}).get("acts") or []) for i, turn in enumerate(data["turns"])
            if turn["speaker"] == "coach"}
    evaluation = ctx.store.evaluation(session_id, viewer, role)
    scores = ctx.store.effective_scores(session_id, viewer, role)
    table = [[criterion_name(k, lang, evaluation), v.get("auto"), v.get("override"), v.get("comment"), v.get("by")]
             for k, v in scores.items()]
    meta = report_meta(ctx, info.owner, info.persona_id, info.created, lang)
    report = ""
    if evaluation:
        report = report_html(from_stored(evaluation), lang, prefix="review", states=data["states"], meta=meta)
    return {"report": report, "transcript": transcript_html(data["turns"], lang, prefix="review", acts=acts),
            "scores": table, "criteria": criteria_for(evaluation, lang), "info": info}


def review_override(ctx: AppContext, *, viewer: str, role: str, session_id: str, criterion: str, score,
                    comment: str) -> None:
    if role != "facilitator":
        raise InputError("review_denied")
    if not session_id:
        raise InputError("need_session")
    if not criterion:
        raise InputError("choose_criterion")
    value = _num(score)
    if value is None or not 1 <= value <= 4:
        raise InputError("override_range")
    if not (comment or "").strip():
        raise InputError("override_needs_comment")
    ctx.store.add_override(session_id, criterion, value, comment, facilitator=viewer)


def read_upload(path: str | None, *, coach: str | None = None, conversation: int = 0):
    """The uploaded file read as a coaching conversation (simulator.evaluation.document): speakers with the role each was
    given and why, what was set aside, warnings. Raises DocumentError (bilingual) or InputError."""
    from simulator.evaluation.document import read_document

    if not path:
        raise InputError("choose_file")
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p.name}: cannot be read ({exc.strerror}).") from exc
    return read_document(data, name=p.name, coach=coach or None, conversation=int(conversation or 0))


def score_document(ctx: AppContext, document):
    from simulator.evaluation.scoring import evaluate

    return evaluate(document.transcript, ctx.rubric, searcher=ctx.searcher)


def score_upload(ctx: AppContext, path: str | None):
    """(transcript, evaluation) of an uploaded file, roles as the document reader gives them."""
    document = read_upload(path)
    return document.transcript, score_document(ctx, document)


def _app_words(text: str, lang: str) -> str:
    """The reader's messages name the CLI option; in the app the choice is the 'Who is the coach?' field."""
    return re.sub(r"--coach (NAMA|NAME)", f"“{t('doc_coach', lang)}”", text)


def document_html(document, lang: str) -> str:
    """What was read before scoring: each speaker, the role given and why; what was set aside; warnings."""
    lg = "en" if lang == "en" else "id"
    rows = "".join(
        f"<tr><td>{esc(sp.label)}</td><td><b>{esc(t('role_' + sp.role, lg))}</b></td><td>{sp.turns}</td>"
        f"<td>{esc(_app_words(sp.evidence.get(lg), lg))}</td></tr>" for sp in document.speakers)
    head = "".join(f"<th>{esc(t(k, lg))}</th>" for k in ("doc_speaker", "doc_role", "col_turns", "doc_why"))
    parts = [f'<div class="pamong-doc"><h3>{esc(t("doc_found", lg))}</h3>',
             f'<table class="pamong-scores"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>']
    if document.conversations > 1:
        parts.append(f"<p>{esc(t('doc_conversations', lg, n=document.conversations, k=document.chosen + 1))}</p>")
    if document.set_aside:
        parts.append(f"<p><b>{esc(t('doc_set_aside', lg))}</b></p><ul>"
                     + "".join(f"<li>{esc(_app_words(x.get(lg), lg))}</li>" for x in document.set_aside) + "</ul>")
    if document.warnings:
        parts.append("<ul class='pamong-warn'>" + "".join(f"<li>⚠ {esc(_app_words(x.get(lg), lg))}</li>" for x in document.warnings)
                     + "</ul>")
    if not document.confident:
        parts.append(f"<p class='pamong-warn'>{esc(t('doc_unsure', lg))}</p>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- progress
def progress_rows(ctx: AppContext, user: str, lang: str) -> list[list]:
    """One row per scored session, oldest first: [no., date, scenario, overall, presence, listening, questions]."""
    rows = []
    # a retry ("try again from turn n") is a branch of its original, not a new session: it is marked so
    forks = {info.id: info.forked_from for info in ctx.store.list_sessions(viewer=user) if info.forked_from}
    number: dict[str, int] = {}
    for n, item in enumerate(ctx.store.progress(user), start=1):
        sc = item["scores"]
        number[item["id"]] = n
        title = _persona_title(ctx, item["persona_id"], lang)
        origin = (forks.get(item["id"]) or {}).get("session_id")
        if origin is not None:
            title = t("progress_retry_of", lang, title=title, n=number.get(origin, "?"))
        rows.append([n, format_date(item["created"], lang), title,
                     *(sc.get(k) for k in ("overall", *DIMENSIONS))])
    return rows


def progress_columns(lang: str) -> list[str]:
    return [t("col_session", lang), t("col_date", lang), t("col_scenario", lang), t("overall", lang),
            *(t(k, lang) for k in DIMENSIONS)]


def progress_charts(rows: list[list], lang: str) -> str:
    """A small plot per dimension (and overall), whole levels 1-4, sessions numbered 1, 2, 3…"""
    from simulator.evaluation.charts import line_chart

    if not rows:
        return ""
    figs = []
    for col, key in enumerate(("overall", *DIMENSIONS), start=3):
        values = [None if r[col] is None else float(r[col]) for r in rows]
        figs.append(f'<div class="pamong-progress-fig"><h4>{esc(t(key, lang))}</h4>' + line_chart(
            [(t(key, lang), values)], x_labels=[str(r[0]) for r in rows], y_min=1, y_max=4,
            y_ticks=[(v, str(v)) for v in (1, 2, 3, 4)], x_title=t("col_session", lang), y_title=t("score", lang), title=t(key, lang), width=360, height=180) + "</div>")
    return '<div class="pamong-progress-figs">' + "".join(figs) + "</div>"


def suggest_next(ctx: AppContext, user: str, lang: str) -> tuple[str, str | None]:
    """(sentence, persona id): the persona that trains the trainee's weakest dimension (mean over their scored
    sessions); among those, the one practised least, easier first."""
    history = ctx.store.progress(user)
    if not history:
        return t("no_progress", lang), None
    means = {k: sum(h["scores"].get(k, 0) for h in history) / len(history) for k in DIMENSIONS}
    weakest = min(DIMENSIONS, key=lambda k: (means[k], DIMENSIONS.index(k)))
    even = max(means.values()) - min(means.values()) < 1e-9  # no single weakest skill: do not name one
    done: dict[str, int] = {}
    for h in history:
        done[h["persona_id"]] = done.get(h["persona_id"], 0) + 1
    candidates = ([p for p in ctx.personas.values() if weakest in p.skills] if not even else []) \
        or list(ctx.personas.values())
    best = min(candidates, key=lambda p: (done.get(p.id, 0), DIFFICULTY_ORDER[p.difficulty], p.id))
    if even:
        return t("next_persona_even", lang, persona=best.title(lang), score=fmt_number(means[weakest], lang)), best.id
    return t("next_persona", lang, persona=best.title(lang), skill=t(weakest, lang),
             score=fmt_number(means[weakest], lang)), best.id


def safe(fn: Callable, lang: str, *args, **kwargs) -> tuple[Any, str | None]:
    """Run fn; a SimulatorError becomes (None, one clear line)."""
    try:
        return fn(*args, **kwargs), None
    except SimulatorError as exc:
        return None, message(exc, lang)
