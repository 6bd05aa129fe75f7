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

import yaml

from ..errors import InputError, SimulatorError, StoreError
from ..persona import Persona
from ..store import SessionConflict, Store

LABELS_PATH = Path(__file__).with_name("labels.yaml")
DIMENSIONS = ("presence", "active_listening", "powerful_questions")
MEASURES = ("trust", "openness", "insight", "ownership")
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")  # after html.escape: no raw <, >, &


# ---------------------------------------------------------------------------------------------- text
@cache
def _labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load(LABELS_PATH.read_text(encoding="utf-8"))


def t(key: str, lang: str, **values: Any) -> str:
    """A label in `lang`; values are escaped for Markdown/HTML before they are filled in."""
    entry = _labels()[key]
    text = entry["en" if lang == "en" else "id"]
    return text.format(**{k: md_escape(str(v)) for k, v in values.items()}) if values else text


def md_escape(text: str) -> str:
    """User text made inert for a Markdown/HTML renderer: HTML-escaped, then every Markdown character
    backslash-escaped (so `[x](javascript:…)` is shown, not linked). Line breaks are kept."""
    return "\n".join(_MD_SPECIAL.sub(r"\\\1", html.escape(line, quote=False)) for line in str(text).split("\n"))


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
                raise InputError("Sign in first.")
            return username, self.users[username]
        name = re.sub(r"\s+", " ", (typed or "")).strip()
        if not name:
            raise InputError("need_name")
        if len(name) > 80:
            raise InputError("Your name is too long (at most 80 characters).")
        return name, "facilitator"


def message(exc: Exception, lang: str) -> str:
    """One clear line for a person (labels for known keys; the error's own text otherwise)."""
    text = str(exc)
    if text in _labels():
        return t(text, lang)
    return md_escape(text)


# ---------------------------------------------------------------------------------------------- scenario cards
def persona_label(p: Persona, lang: str) -> str:
    return f"{p.title(lang)} ({t(p.difficulty, lang)})"


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

    @property
    def lang(self) -> str:
        return self.session.lang if self.session else "id"


def chat_messages(session) -> list[dict]:
    """The conversation as Chatbot messages: coach = user, coachee = assistant; every text escaped."""
    if session is None:
        return []
    return [{"role": "user" if turn.speaker == "coach" else "assistant", "content": md_escape(turn.text)}
            for turn in session.turns]


def thermometer_html(state, lang: str) -> str:
    if state is None:
        return ""
    rows = []
    for key in ("trust", "openness"):
        value = float(getattr(state, key))
        rows.append(f'<div class="pamong-thermo"><span>{esc(t(key, lang))}</span>'
                    f'<meter min="0" max="1" value="{value:.2f}"></meter><span>{round(value * 100)}%</span></div>')
    return "".join(rows)


def state_rows(states, lang: str) -> list[dict]:
    """Long-form rows for a line chart: one per (coach turn, measure)."""
    return [{"turn": i, "measure": t(m, lang), "value": round(float(getattr(s, m) if not isinstance(s, dict)
                                                                    else s[m]), 3)}
            for i, s in enumerate(states) for m in MEASURES]


def _session_class():
    from ..session import Session
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
    session = ctx.store.load_session(session_id.strip(), viewer=user, voice=ctx.voice_factory(),
                                     searcher=ctx.searcher)
    info = ctx.store.info(session.id, user)
    _attach(ctx, st, session, user)
    if info.status == "submitted":
        session.recorder = None  # read-only from here; fork to practise further
    elif session.turns and session.turns[-1].speaker == "coach":
        session.respond()
    return st


def take_turn(ctx: AppContext, st: Practice, text: str) -> Iterator[str | Any]:
    """Yield the reply as it grows, then the TurnResult. If another tab continued this session first, reload it
    from the store and take the turn again on top (no duplicate, nothing lost)."""
    if st.session is None:
        raise InputError("need_session")
    if st.session.recorder is None:
        raise InputError("submitted")
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
    from ..scoring import evaluate_readings

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
    for i, turn in enumerate(session.turns):
        if turn.speaker == "coach":
            text = turn.text if len(turn.text) <= 60 else turn.text[:57] + "…"
            out.append((f"{i + 1}. {text}", n))
            n += 1
    return out


def write_reports(ctx: AppContext, session_id: str, evaluation, lang: str) -> list[str]:
    from .. import report

    folder = ctx.reports_dir / re.sub(r"[^A-Za-z0-9_-]", "_", session_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"pamong-report-{session_id[:8]}"
    files = {"json": report.to_json(evaluation, lang), "md": report.to_markdown(evaluation, lang),
             "html": report.to_html(evaluation, lang)}
    paths = []
    for ext, text in files.items():
        path = folder / f"{stem}.{ext}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


# ---------------------------------------------------------------------------------------------- rendering
def _anchor(prefix: str, index: int) -> str:
    return f"{prefix}-turn-{index + 1}"


def transcript_html(turns, lang: str, prefix: str = "pamong", acts: dict[int, list[str]] | None = None) -> str:
    """Numbered turns (anchors `prefix-turn-N`) with per-turn act labels for coach turns."""
    rows = []
    for i, turn in enumerate(turns):
        speaker = turn["speaker"] if isinstance(turn, dict) else turn.speaker
        text = turn["text"] if isinstance(turn, dict) else turn.text
        labels = (acts or {}).get(i)
        if labels is None and not isinstance(turn, dict) and getattr(turn, "reading", None) is not None:
            labels = list(turn.reading.acts)
        badges = "".join(f'<span class="pamong-act pamong-act-{esc(a)}">{esc(a)}</span>' for a in labels or ())
        rows.append(f'<div class="pamong-turn pamong-{esc(speaker)}" id="{_anchor(prefix, i)}">'
                    f'<b>{i + 1}. {esc(t(speaker, lang) if speaker in ("coach", "coachee") else speaker)}</b> '
                    f'{badges}<div>{esc(text)}</div></div>')
    return '<div class="pamong-transcript">' + "".join(rows) + "</div>"


def report_html(evaluation, lang: str, prefix: str = "pamong") -> str:
    """Scores, evidence linked to turns, what went well and the three improvements with cited knowledge."""
    lg = "en" if lang == "en" else "id"
    parts = [f'<div class="pamong-report"><h3>{esc(t("scores", lg))}</h3><table class="pamong-scores">']
    for key in DIMENSIONS:
        d = evaluation.dimensions[key]
        parts.append(f"<tr><th>{esc(d.name.get(lg))}</th><td>{d.score}</td><td>{esc(d.level_name.get(lg))}</td>"
                     f"<td>{esc(d.reason.get(lg))}</td></tr>")
    parts.append(f"<tr><th>{esc(t('overall', lg))}</th><td>{evaluation.overall}</td>"
                 f"<td>{esc(evaluation.overall_level.get(lg))}</td><td>{esc(evaluation.overall_reason.get(lg))}</td>"
                 "</tr></table>")
    parts.append(f"<h3>{esc(t('evidence', lg))}</h3><ul>")
    for key in DIMENSIONS:
        for e in evaluation.dimensions[key].evidence:
            mark = "+" if e.positive else "−"
            parts.append(f'<li>{mark} <a href="#{_anchor(prefix, e.turn_index)}">{esc(t("turn", lg))} '
                         f'{e.turn_index + 1}</a>: “{esc(e.quote)}” — {esc(e.note.get(lg))}</li>')
    parts.append("</ul>")
    if evaluation.went_well:
        parts.append(f"<h3>{esc(t('went_well', lg))}</h3><ul>")
        for w in evaluation.went_well:
            turns = ", ".join(f'<a href="#{_anchor(prefix, e.turn_index)}">{e.turn_index + 1}</a>'
                              for e in w.evidence)
            parts.append(f"<li>{esc(w.note.get(lg))} {('(' + turns + ')') if turns else ''}</li>")
        parts.append("</ul>")
    parts.append(f"<h3>{esc(t('improvements', lg))}</h3><ol>")
    for imp in evaluation.improvements:
        cite = ""
        if imp.passage is not None:
            cite = (f'<blockquote>{esc(imp.passage.text[:400])}<br><small>{esc(t("source", lg))}: '
                    f"{esc(imp.passage.cite)}</small></blockquote>")
        parts.append(f'<li><b>{esc(imp.title.get(lg))}</b> — <a href="#{_anchor(prefix, imp.turn_index)}">'
                     f'{esc(t("turn", lg))} {imp.turn_index + 1}</a>: “{esc(imp.quote)}”<br>{esc(imp.why.get(lg))}'
                     f"<br><b>{esc(t('better', lg))}:</b> “{esc(imp.better)}”{cite}</li>")
    parts.append("</ol>")
    for note in evaluation.notes:
        parts.append(f"<p><small>{esc(note.get(lg))}</small></p>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- review
def review_rows(ctx: AppContext, *, viewer: str, role: str, trainee: str = "", persona: str = "",
                since: str = "", until: str = "", min_score=None, max_score=None) -> list[list]:
    if role != "facilitator":
        raise InputError("review_denied")
    for value in (since, until):
        if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise InputError(f"'{value}' is not a date: use YYYY-MM-DD.")
    infos = ctx.store.list_sessions(viewer=viewer, role="facilitator", status="submitted",
                                    owner=(trainee or "").strip() or None, persona=persona or None,
                                    since=(since or "").strip() or None, until=(until or "").strip() or None,
                                    min_score=_num(min_score), max_score=_num(max_score))
    return [[i.id, i.owner, i.persona_id, i.created[:16].replace("T", " "), i.overall, i.turns] for i in infos]


def _num(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"'{value}' is not a number.") from None


def criteria_for(evaluation_dict: dict | None) -> list[str]:
    keys = list(DIMENSIONS) + ["overall"]
    for c in (evaluation_dict or {}).get("criteria") or []:
        keys.append(c["id"])
    return keys


def review_open(ctx: AppContext, *, viewer: str, role: str, session_id: str, lang: str) -> dict:
    """A submitted session for a facilitator: transcript with act labels, state rows, scores beside overrides."""
    if role != "facilitator":
        raise InputError("review_denied")
    data = ctx.store.session_dict(session_id, viewer, role)
    acts = {i: list((turn.get("reading") or {}).get("acts") or []) for i, turn in enumerate(data["turns"])
            if turn["speaker"] == "coach"}
    evaluation = ctx.store.evaluation(session_id, viewer, role)
    scores = ctx.store.effective_scores(session_id, viewer, role)
    table = [[k, v.get("auto"), v.get("override"), v.get("comment"), v.get("by")] for k, v in scores.items()]
    return {"transcript": transcript_html(data["turns"], lang, prefix="review", acts=acts),
            "states": state_rows(data["states"], lang), "scores": table, "criteria": criteria_for(evaluation),
            "info": ctx.store.info(session_id, viewer, role)}


def review_override(ctx: AppContext, *, viewer: str, role: str, session_id: str, criterion: str, score,
                    comment: str) -> None:
    if role != "facilitator":
        raise InputError("review_denied")
    if not session_id:
        raise InputError("need_session")
    if not criterion:
        raise InputError("Choose a criterion.")
    value = _num(score)
    if value is None or not 1 <= value <= 4:
        raise InputError("A facilitator score is a number from 1 to 4.")
    ctx.store.add_override(session_id, criterion, value, comment, facilitator=viewer)


def score_upload(ctx: AppContext, path: str | None):
    from ..scoring import evaluate
    from ..transcript import parse_transcript

    if not path:
        raise InputError("Choose a transcript file (.txt or .json) first.")
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p.name}: cannot be read ({exc.strerror}).") from exc
    transcript = parse_transcript(data, name=p.name)
    return transcript, evaluate(transcript, ctx.rubric, searcher=ctx.searcher)


# ---------------------------------------------------------------------------------------------- progress
def progress_rows(ctx: AppContext, user: str, lang: str) -> list[dict]:
    rows = []
    for n, item in enumerate(ctx.store.progress(user), start=1):
        for key in DIMENSIONS:
            if key in item["scores"]:
                rows.append({"session": n, "dimension": t(key, lang), "score": float(item["scores"][key]),
                             "persona": item["persona_id"], "date": item["created"][:10]})
    return rows


def suggest_next(ctx: AppContext, user: str, lang: str) -> str:
    """The persona that trains the trainee's weakest dimension (mean over their scored sessions); among those,
    the one practised least, easier first."""
    history = ctx.store.progress(user)
    if not history:
        return t("no_progress", lang)
    means = {k: sum(h["scores"].get(k, 0) for h in history) / len(history) for k in DIMENSIONS}
    weakest = min(DIMENSIONS, key=lambda k: (means[k], DIMENSIONS.index(k)))
    done: dict[str, int] = {}
    for h in history:
        done[h["persona_id"]] = done.get(h["persona_id"], 0) + 1
    candidates = [p for p in ctx.personas.values() if weakest in p.skills] or list(ctx.personas.values())
    best = min(candidates, key=lambda p: (done.get(p.id, 0), DIFFICULTY_ORDER[p.difficulty], p.id))
    return t("next_persona", lang, persona=best.title(lang), skill=t(weakest, lang), score=f"{means[weakest]:.1f}")


def safe(fn: Callable, lang: str, *args, **kwargs) -> tuple[Any, str | None]:
    """Run fn; a SimulatorError becomes (None, one clear line)."""
    try:
        return fn(*args, **kwargs), None
    except SimulatorError as exc:
        return None, message(exc, lang)
