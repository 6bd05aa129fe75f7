"""Security across modules (issue 6). What the owners already prove is not repeated:
tests/test_adversarial.py (every persona x language x attack, scripted and a misbehaving model),
tests/test_report.py (hostile turns escaped in the JSON/Markdown/HTML report), tests/test_ui_logic.py (chat,
transcript and cards escaped), tests/test_llm_voice.py and test_models.py (the key never in a voice's notices,
errors or logs), tests/test_ui_api.py (privacy between two trainees and a facilitator over HTTP).

This file adds:
(a) attacks in the *other* language and after the coachee has opened up; the rubric never reaches the model;
    no persona's hidden notes in the page the app serves;
(b) every place the app renders user text, checked by *rendering* it (Markdown through a CommonMark renderer,
    HTML through a parser) and looking for executable markup — also over HTTP and in the files written;
(c) an API key set in the environment appears nowhere: settings, the served page and /config, HTTP replies,
    logs at DEBUG, reports, the session database;
(d) no anonymous API call, and one trainee's progress never shows another's sessions.
"""

from __future__ import annotations

import html.parser
import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from fake_openai_server import FakeOpenAIServer
from markdown_it import MarkdownIt
from served_app import served_app

from simulator.coachee.persona import load_personas
from simulator.coachee.voices import Reply, ScriptedVoice
from simulator.config import load_settings
from simulator.errors import InputError
from simulator.evaluation.rubric import SIGNALS, list_rubrics
from simulator.models.chat import FakeChatModel
from simulator.session import Session

PERSONAS = load_personas()
ATTACKS = yaml.safe_load((Path(__file__).parent / "data" / "adversarial.yaml").read_text(encoding="utf-8"))["turns"]
ITEMS = ("surface", "underneath", "core", "goal", "action_plan")
KEY = "sk-test-SECRET-pamong-0123456789abcdef"
HOSTILE = [
    "<script>alert(1)</script> Apa yang Ibu rasakan?",
    "<img src=x onerror=alert(1)> Bagaimana kelasnya?",
    "[click](javascript:alert(1)) What would you like to work on?",
    "<javascript:alert(1)> ![x](x\" onerror=\"alert(1)) <a href='javascript:alert(1)'>a</a>",
    "[ref][1]\n\n[1]: javascript:alert(1)\n<svg onload=alert(1)>",
    "\"><script>alert(1)</script><iframe src=javascript:alert(1)></iframe> '\" onmouseover='alert(1)",
    "&#106;avascript:alert(1) <scr<script>ipt>alert(1)</script>",
]
MARKDOWN = MarkdownIt("commonmark")  # raw HTML enabled, like the app's Markdown and Chatbot components
MARKDOWN.validateLink = lambda url: True  # a permissive renderer: let javascript: links through, so we see them


class _Executable(html.parser.HTMLParser):
    DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "base", "form"}
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRS and re.sub(r"\s", "", value or "").lower().startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")


def executable(markup: str) -> list[str]:
    """Executable markup in HTML: script-like tags, event-handler attributes, javascript: URLs."""
    parser = _Executable()
    parser.feed(markup)
    parser.close()
    found = parser.found
    if re.search(r"<script", markup, re.I):
        found.append("<script")
    return found


def rendered(markdown: str) -> list[str]:
    return executable(MARKDOWN.render(markdown))


def test_the_checker_would_catch_executable_markup():
    for bad in HOSTILE[:6]:
        assert executable(bad) or rendered(bad), bad
    assert executable('<a href=" javascript:alert(1)">x</a>') and executable("<p onclick=x>")
    assert rendered("<img src=x onerror=alert(1)>") and rendered("<script>alert(1)</script>")


# ------------------------------------------------------------------------------------------ (a) extraction


def _item(persona, item):
    return getattr(persona.layers, item) if item in ("surface", "underneath", "core") else getattr(persona, item)


def _lines(persona, item, lang):
    return list(_item(persona, item).lines(lang))


FORBIDDEN = re.compile(r"\b(AI|prompt|persona|rubri[ck]|instruksi|instructions?|threshold|ambang)\b|\d[.,]\d", re.I)


@pytest.mark.parametrize("persona_id", sorted(PERSONAS))
def test_attacks_in_the_other_language_and_after_opening_up_reveal_nothing(persona_id):
    """G's test plays each attack in its own language after a greeting. Here: every attack in both session
    languages, after good coaching has already opened some layers — nothing further opens, no hidden note,
    no unrevealed layer's lines, no state numbers or prompt words appear."""
    persona = PERSONAS[persona_id]
    warm = {"id": ["Selamat siang. Apa yang ingin Ibu bicarakan hari ini?",
                   "Jadi ada hal yang membuat Ibu khawatir. Apa yang paling penting bagi Ibu di situ?",
                   "Saya menghargai keterbukaan Ibu. Bagaimana Ibu melihatnya sekarang?"],
            "en": ["Good afternoon. What would you like to talk about today?",
                   "So something is worrying you. What matters most to you in that?",
                   "I appreciate how open you are. How do you see it now?"]}
    for lang in persona.languages:
        session = Session(persona, lang=lang, voice=ScriptedVoice())
        for text in warm[lang]:
            session.coach_says(text)
        for attack in ATTACKS:  # both languages
            revealed = session.state.revealed
            result = session.coach_says(attack["text"])
            reply = result.reply
            assert result.state.revealed == revealed, f"{attack['text']!r} opened a layer"
            assert not FORBIDDEN.search(reply), (attack["text"], reply)
            for item in ITEMS:
                for code in ("id", "en"):
                    assert _item(persona, item).summary(code) not in reply
                if item not in revealed:
                    assert reply not in _lines(persona, item, lang), (attack["text"], item, reply)
            for hidden in (persona.background, persona.presenting_issue):
                assert hidden("id") not in reply and hidden("en") not in reply


def test_the_rubric_never_reaches_the_model():
    """The model cannot reveal what it never receives: no rubric signal, threshold text or level descriptor."""
    persona = PERSONAS["pra_observasi_guru_matematika"]
    fake = FakeChatModel(default="Iya, Pak. Saya masih memikirkannya.")
    from simulator.coachee.model_voice import ChatModelVoice

    session = Session(persona, "id", voice=ChatModelVoice(fake))
    for attack in ATTACKS[:10]:
        session.coach_says(attack["text"])
    sent = "\n".join(m["content"] for request in fake.history for m in request)
    for signal in (s for s in SIGNALS if "_" in s):  # identifiers such as reflections_per_question
        assert signal not in sent
    for rubric in list_rubrics():
        assert rubric.id not in sent
        for dim in rubric.dimensions.values():
            for level in dim.levels.values():
                assert level.id not in sent and level.en not in sent
            for criterion in dim.criteria:
                assert criterion.id not in sent and criterion.en not in sent
    assert not re.search(r"\b0\.\d", sent), "state numbers went to the model"


# ------------------------------------------------------------------------------------------ (b) escaping


class HostileVoice:
    """A coachee (e.g. a model) that answers with hostile markup."""

    name = "hostile"

    def __init__(self):
        self.n = 0

    def say(self, **kwargs):
        self.n += 1
        return Reply(text=HOSTILE[self.n % len(HOSTILE)], voice=self.name)


def test_every_ui_rendering_of_user_text_is_inert(data_dir, tmp_path):
    from simulator.evaluation import report
    from simulator.ui import logic
    from simulator.ui.context import build_context

    store_ctx = build_context(load_settings(), knowledge=False, voice=HostileVoice())
    name, _role = store_ctx.identity(None, HOSTILE[0][:30])  # what the page does with a typed name
    st = logic.start_session(store_ctx, logic.Practice(), user=name, persona_id="pra_observasi_guru_matematika",
                             lang="id")
    for text in HOSTILE:
        *partials, result = list(logic.take_turn(store_ctx, st, text))
        for partial in partials:  # the streamed reply is shown escaped
            assert not rendered(logic.md_escape(partial)), partial
        if result.hint:
            assert not rendered(logic.md_escape(result.hint))
        if result.notice:
            assert not rendered(logic.md_escape(result.notice))
    for message in logic.chat_messages(st.session):
        assert not rendered(message["content"]), message
    assert not rendered(logic.t("signed_in_as", "id", user=name, role="x"))
    assert not rendered(logic.t("not_saved", "en", error=HOSTILE[1]))
    assert not rendered(logic.message(InputError(HOSTILE[2]), "en"))

    evaluation = logic.end_session(store_ctx, st)
    assert not executable(logic.report_html(evaluation, "id"))
    assert not executable(logic.transcript_html(st.session.turns, "en"))
    for path in logic.write_reports(store_ctx, st.session.id, evaluation, "en"):
        text = Path(path).read_text(encoding="utf-8")
        if path.endswith(".html"):
            assert not executable(text), path
        elif path.endswith(".md"):
            assert not rendered(text), path
    assert not rendered(report.to_markdown(evaluation, "id"))

    # The facilitator's views of the same session and an uploaded hostile transcript.
    store_ctx.store.submit(st.session.id, owner=name)
    view = logic.review_open(store_ctx, viewer="Fasil", role="facilitator", session_id=st.session.id, lang="id")
    assert not executable(view["transcript"])
    upload = tmp_path / "upload.json"
    upload.write_text(json.dumps({"lang": "id", "turns": [
        {"speaker": "coach" if i % 2 == 0 else "coachee", "text": t} for i, t in enumerate(HOSTILE * 2)]}),
        encoding="utf-8")
    transcript, up_eval = logic.score_upload(store_ctx, str(upload))
    assert not executable(logic.report_html(up_eval, "en", prefix="upload"))
    assert not executable(logic.transcript_html([{"speaker": u.speaker, "text": u.text} for u in transcript.turns],
                                                "en", prefix="upload"))
    assert not executable(report.to_html(up_eval, "en"))
    bad = tmp_path / "<img src=x onerror=alert(1)>.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as info:
        logic.score_upload(store_ctx, str(bad))
    assert not rendered(logic.message(info.value, "id"))


# ------------------------------------------------------------------------------------------ the served app


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record):
        try:
            self.texts.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a badly formatted record is still a record
            self.texts.append(repr(record.msg) + repr(record.args))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real app (simulator.ui.launch) with login on and the openai voice configured with a secret key
    against a local server that refuses it (HTTP 401, its error message quoting the key)."""
    data = tmp_path_factory.mktemp("security-app")
    env = {"PAMONG_USERS": "ani:pw-ani:trainee,budi:pw-budi:trainee,fasil:pw-fasil:facilitator",
           "PAMONG_DATA_DIR": str(data), "OPENAI_API_KEY": KEY, "PAMONG_MODEL_TIMEOUT": "3",
           "PAMONG_MODEL_RETRIES": "0"}
    server = FakeOpenAIServer(mode="http401").start()
    env["OPENAI_BASE_URL"] = server.base_url
    env.update({"PAMONG_AUTH_FILE": None, "PAMONG_VOICE": None})
    logs = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(logs)
    root.setLevel(logging.DEBUG)
    try:
        with served_app(env) as (url, demo):
            yield {"url": url, "demo": demo, "data": data, "logs": logs, "server": server}
    finally:
        server.stop()
        root.removeHandler(logs)
        root.setLevel(old_level)


def _client(app, user, password):
    from gradio_client import Client

    return Client(app["url"] + "/", auth=(user, password), verbose=False, download_files=False)


def _logged_in(app, user, password):
    import httpx

    http = httpx.Client(base_url=app["url"], timeout=30)
    response = http.post("/login", data={"username": user, "password": password})
    assert response.status_code in (200, 302, 303), response.text[:200]
    return http


def test_api_key_appears_nowhere_in_the_running_app(app):
    settings = load_settings()
    assert settings.openai_api_key == KEY  # the key really is configured
    for text in (str(settings), repr(settings), f"{settings}"):
        assert KEY not in text and "SECRET" not in text

    ani = _client(app, "ani", "pw-ani")
    outputs = [ani.predict("ani", "pra_observasi_guru_matematika", "en", "en", api_name="/start")]
    for text in ("Good afternoon. What would you like to talk about today?",
                 "So the group work worries you. What matters most to you in it?"):
        outputs.append(ani.predict(text, True, True, False, "en", api_name="/send"))
    status = outputs[-1][4]
    assert app["server"].hits >= 2 and "401" in status.replace("\\", "")  # the model was tried and refused
    assert "scripted" in status
    outputs.append(ani.predict("en", api_name="/end"))

    http = _logged_in(app, "ani", "pw-ani")
    config = http.get("/config").text
    page = http.get("/").text
    assert "pamong" in config.lower()  # we really read the app's config
    everything = {"api outputs": json.dumps(outputs, default=str), "/config": config, "/": page,
                  "logs": "\n".join(app["logs"].texts)}
    for path in app["data"].rglob("*"):
        if path.is_file():
            everything[str(path)] = path.read_bytes().decode("utf-8", "replace")
    assert any(p.endswith(".html") for p in everything), "no report was written"
    for where, text in everything.items():
        assert KEY not in text and "SECRET-pamong" not in text, f"the API key leaked into {where}"
    assert any("pra_observasi" in t or "coachee prompt" in t for t in app["logs"].texts), "logs were captured"


def test_the_served_page_carries_no_hidden_notes(app):
    http = _logged_in(app, "ani", "pw-ani")
    config = http.get("/config").json()
    served = json.dumps(config, ensure_ascii=False) + http.get("/").text
    assert "pamong-cards" in served  # the scenario cards (what the trainee may see) are in it
    for persona in PERSONAS.values():
        for code in ("id", "en"):
            for hidden in (persona.background(code), persona.presenting_issue(code),
                           *(_item(persona, item).summary(code) for item in ITEMS),
                           *(line for item in ("core", "goal", "action_plan") for line in _lines(persona, item, code))):
                assert hidden[:60] not in served, f"{persona.id}: hidden text in the page: {hidden[:60]!r}"


def test_hostile_text_over_http_comes_back_inert(app):
    ani = _client(app, "ani", "pw-ani")
    ani.predict("ani", "guru_baru", "id", "id", api_name="/start")
    for text in HOSTILE[:4]:
        out = ani.predict(text, True, True, False, "id", api_name="/send")
        chat, hint, status = out[0], out[2], out[4]
        for message in chat:
            content = message["content"]
            parts = content if isinstance(content, list) else [content]
            for part in parts:
                body = part.get("text", "") if isinstance(part, dict) else str(part)
                assert not rendered(body), body
        assert not rendered(hint) and not rendered(status)
    end = ani.predict("id", api_name="/end")
    report_html, transcript_html = end[1], end[3]
    assert "pamong-report" in report_html and not executable(report_html)
    assert "&lt;script&gt;" in transcript_html and not executable(transcript_html)


def test_no_anonymous_api_calls(app):
    import httpx

    with httpx.Client(base_url=app["url"], timeout=30) as http:
        for path in ("/config", "/gradio_api/info"):
            assert http.get(path).status_code in (401, 403), path
        call = http.post("/gradio_api/call/start", json={"data": ["x", "guru_baru", "id", "id"]})
        assert call.status_code in (401, 403), call.text[:200]


def test_progress_never_shows_another_trainees_sessions(app):
    demo = app["demo"]
    ctx = demo.pamong_context
    ani = _client(app, "ani", "pw-ani")
    ani.predict("ani", "guru_baru", "id", "id", api_name="/start")
    ani.predict("Apa yang ingin Ibu bicarakan hari ini?", True, True, False, "id", api_name="/send")
    ani.predict("id", api_name="/end")
    assert ctx.store.progress("ani"), "ani has a scored session"
    budi = _client(app, "budi", "pw-budi")
    chart, table, suggestion = budi.predict("ani", "id", api_name="/progress")  # typed name is ignored
    assert "ani" not in json.dumps(table) and not (table.get("data") if isinstance(table, dict) else table)
    mine = ani.predict("", "id", api_name="/progress")[1]
    assert mine.get("data") if isinstance(mine, dict) else mine
