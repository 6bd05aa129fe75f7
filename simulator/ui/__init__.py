"""The Gradio app. `build_app(settings) -> gr.Blocks`; one module per tab (practice, review, progress).

Gradio is imported only here and in the tab modules: the logic they wire lives in simulator.ui.logic, the
Session and the store, and is tested without a browser.
"""

import os
from pathlib import Path

from .. import offline

CSS = """
.pamong-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px;}
.pamong-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; font-size: 0.9em;}
.pamong-card h4 {margin: 0 0 4px 0;}
.pamong-meta {color: #57606a;}
.pamong-thermo {display: flex; gap: 8px; align-items: center;}
.pamong-thermo meter {width: 160px;}
.pamong-turn {border-left: 3px solid #d0d7de; padding: 4px 8px; margin: 4px 0;}
.pamong-coach {border-color: #0969da;}
.pamong-coachee {border-color: #1a7f37;}
.pamong-act {display: inline-block; font-size: 0.75em; border-radius: 4px; padding: 0 4px; margin-right: 4px;
             background: #eaeef2;}
.pamong-act-advice, .pamong-act-why_question, .pamong-act-closed_question {background: #ffebe9;}
.pamong-act-open_question, .pamong-act-reflection, .pamong-act-affirmation {background: #dafbe1;}
.pamong-scores td, .pamong-scores th {padding: 2px 8px; text-align: left;}
"""


# Gradio keeps per-event analytics for its monitoring page and, by default, rebuilds a pandas summary of the
# last 10,000 events after *every* event (GRADIO_ANALYTICS_CACHE_FREQUENCY=1): under load that was ~8 % of the
# server's CPU and grows with the number of events served. Pamong does not use that page: summarise rarely.
GRADIO_TUNING = {"GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000", "GRADIO_ANALYTICS_MAX_EVENTS": "1000"}
# Python work per turn is short and holds the GIL: more threads than this only interleave turns (each one then
# takes longer) without serving more per second (50 trainees, no pause, 2 cores: limit 2 -> 46 turns/s, p95
# 0.9 s; limit 8 -> 39 turns/s, p95 1.4 s). A model voice waits on the network, so it gets more. The limit is
# per event (/send, /end, ... each have their own), so a long /end does not hold up turns.
CONCURRENCY = {"scripted": 2, "model": 16}


def tune_gradio() -> None:
    """Environment Gradio reads when the queue is created (an explicit setting in the environment wins)."""
    for key, value in GRADIO_TUNING.items():
        os.environ.setdefault(key, value)


def warm_up() -> None:
    """Load what the first turn would otherwise load (the reader's lexicons: ~0.5 s per language), so the
    first trainee of the day does not wait for it."""
    from ..reading import read_turn

    read_turn("Apa yang Ibu rasakan tentang kelas itu?", "Saya khawatir.", "id")
    read_turn("What do you feel about that class?", "I am worried.", "en")


def build_app(settings, *, context=None, knowledge=None, users=None):
    """The whole app as a gr.Blocks (not launched). knowledge: folder to index, or False for none."""
    offline.setup()
    tune_gradio()
    import gradio as gr

    from . import practice, progress, review
    from .context import build_context
    from .logic import t

    ctx = context or build_context(settings, knowledge=knowledge, users=users)
    relabel: list = []
    with gr.Blocks(title="Pamong", analytics_enabled=False) as demo:
        with gr.Row():
            title = gr.Markdown(f"## {t('app_title', 'id')}", elem_id="pamong-title")
            ui_lang = gr.Radio([("Bahasa Indonesia", "id"), ("English", "en")], value="id",
                               label=t("ui_lang", "id"), elem_id="pamong-ui-lang")
        voice_note = gr.Markdown(ctx.voice_note["id"], elem_id="pamong-voice-note")
        index_note = gr.Markdown(ctx.index_note["id"] if ctx.index_note else "", elem_id="pamong-index-note")
        who = gr.Markdown("", elem_id="pamong-user") if ctx.auth else None
        relabel += [(title, lambda lg: f"## {t('app_title', lg)}", "value"), (ui_lang, "ui_lang", "label"),
                    (voice_note, lambda lg: ctx.voice_note[lg], "value"),
                    (index_note, lambda lg: ctx.index_note[lg] if ctx.index_note else "", "value")]
        with gr.Tab(t("tab_practice", "id"), id="practice") as tab_p:
            on_load = practice.build(ctx, ui_lang, relabel)
        with gr.Tab(t("tab_review", "id"), id="review") as tab_r:
            review_note, review_body = review.build(ctx, ui_lang, relabel)
        with gr.Tab(t("tab_progress", "id"), id="progress") as tab_g:
            progress.build(ctx, ui_lang, relabel)
        relabel += [(tab_p, "tab_practice", "label"), (tab_r, "tab_review", "label"),
                    (tab_g, "tab_progress", "label")]

        components = [c for c, _, _ in relabel]

        def role_of(request):
            return (ctx.users or {}).get(getattr(request, "username", None), "trainee")

        def review_note_text(lang, request):
            if not ctx.auth:
                return t("review_local_note", lang)
            return t("review_login_note" if role_of(request) == "facilitator" else "review_denied", lang)

        def signed_in_text(lang, request):
            user = getattr(request, "username", None)
            return t("signed_in_as", lang, user=user or "?", role=t(f"role_{role_of(request)}", lang))

        if who is not None:
            relabel.append((who, "signed_in", "value"))
            components.append(who)

        def switch(lang, request: gr.Request):
            out = []
            for _component, key, attr in relabel:
                if key == "review_note":
                    text = review_note_text(lang, request)
                elif key == "signed_in":
                    text = signed_in_text(lang, request)
                else:
                    text = key(lang) if callable(key) else t(key, lang)
                out.append(gr.update(**{attr: text}))
            return out

        ui_lang.change(switch, [ui_lang], components, api_visibility="private")
        if ctx.auth:
            def signed_in(request: gr.Request):
                allowed = role_of(request) == "facilitator"
                return (signed_in_text("id", request),
                        review_note_text("id", request),
                        gr.update(visible=allowed))  # the API refuses trainees too

            demo.load(signed_in, None, [who, review_note, review_body], api_visibility="private")
            for fn, inputs, outputs in on_load:  # offer the signed-in trainee's unfinished sessions
                demo.load(fn, inputs, outputs, api_visibility="private")
    demo.pamong_context = ctx  # for tests and the launcher
    return demo


def launch(settings, *, knowledge=None, host: str | None = None, port: int | None = None,
           prevent_thread_lock: bool = False, quiet: bool = False):
    """Check login, build and serve. Beyond localhost without users -> InputError (a clear message)."""
    from .auth import authenticator, check_login_config, load_users

    host = host or settings.host
    port = port or settings.port
    users = load_users(settings.auth_file)
    check_login_config(host, users)
    demo = build_app(settings, knowledge=knowledge, users=users)
    warm_up()
    streams = getattr(demo.pamong_context.voice_factory(), "name", "scripted") != "scripted"
    # status_update_rate: every waiting event learns its queue position when it joins and then every 2 s;
    # Gradio's default ("auto") re-sends it to *every* waiting event each time one starts, i.e. with 50
    # trainees waiting, ~50 extra messages per turn.
    demo.queue(default_concurrency_limit=CONCURRENCY["model" if streams else "scripted"], status_update_rate=2)
    reports = Path(settings.data_dir) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    demo.launch(server_name=host, server_port=port, auth=authenticator(users) if users else None,
                auth_message="Pamong", prevent_thread_lock=prevent_thread_lock, quiet=quiet,
                allowed_paths=[str(reports)], footer_links=[], css=CSS, ssr_mode=False)
    return demo
