"""The Gradio app. `build_app(settings) -> gr.Blocks`; one module per tab (practice, review, progress).

Gradio is imported only here and in the tab modules: the logic they wire lives in simulator.ui.logic, the
Session and the store, and is tested without a browser.
"""

import os
from pathlib import Path

from simulator import offline

CSS = """
#pamong-header {align-items: end;}
#pamong-title h1 {margin: 0; font-size: 1.5em;}
.pamong-cards {display: grid !important; align-items: stretch !important; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 10px;}
.pamong-card-col {border: 1px solid #cbd2d9; border-radius: 10px; padding: 10px 12px !important; gap: 6px !important;
                  background: #fff; min-width: 0 !important;}
.pamong-card h3 {margin: 0 0 4px 0; font-size: 1.05em;}
.pamong-card p {margin: 0 0 4px 0; font-size: .92em; line-height: 1.4;}
.pamong-meta {color: #3e4c59;}
.pamong-brief h3 {margin: 0 0 4px 0;}
.pamong-brief p {margin: 0 0 6px 0; line-height: 1.45;}
.pamong-tip {background: #eef4ff; border-radius: 6px; padding: 6px 8px; color: #1e3a8a;}
.pamong-thermos {display: grid; gap: 4px;}
.pamong-thermo {display: grid; grid-template-columns: 7.5em 1fr 3em; gap: 8px; align-items: center;}
.pamong-thermo meter {width: 100%; min-width: 80px; height: 14px;}
.pamong-turn {border-left: 3px solid #cbd2d9; padding: 4px 8px; margin: 4px 0;}
.pamong-coach {border-color: #1d4ed8;}
.pamong-coachee {border-color: #1a7f37;}
.pamong-act {display: inline-block; font-size: 0.8em; border-radius: 4px; padding: 0 5px; margin-right: 4px;
             background: #e4e7eb; color: #1f2933;}
.pamong-act-advice, .pamong-act-why_question, .pamong-act-closed_question {background: #ffe4de; color: #7a1f0e;}
.pamong-act-open_question, .pamong-act-reflection, .pamong-act-affirmation {background: #d3f5dc; color: #14532d;}
#review-table *, #progress-table *, #review-scores * {font-family: var(--font) !important;}
#review-table tbody tr {cursor: pointer;}
/* the chat's own "clear" only empties the screen, not the session: a trainee would think the talk was undone */
#pamong-chat button[aria-label="Clear"] {display: none;}
.pamong-scores {border-collapse: collapse; width: 100%; font-size: .92em;}
.pamong-scores td, .pamong-scores th {text-align: left; padding: 4px 6px; border-bottom: 1px solid #e4e7eb;
                                      vertical-align: top;}
.pamong-progress-figs {display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 10px;}
.pamong-progress-fig h4 {margin: 0;}
#pamong-choose-status p, #pamong-status p, #pamong-submit-status p, #pamong-fork-status p, #pamong-resume-status p,
#review-status p, #review-save-status p, #review-upload-status p, #review-open-status p
  {font-weight: 600; color: #1f2933; margin: 2px 0;}
#pamong-status p:empty {display: none;}
/* the card's text varies in length: its Start button sits at the bottom so a row of cards lines them up */
.pamong-card-col > .pamong-start {margin-top: auto !important;}
/* bigger tap targets for the report's "Turn n" links (WCAG 2.5.5: 44 px) */
.pr-report a[href*="-turn-"] {display: inline-block; min-height: 44px; line-height: 44px; padding: 0 4px;}
/* headers break between words only ("Se/si/ke-" was unreadable) */
#progress-table th, #progress-table th *, #review-table th, #review-table th *
  {word-break: keep-all !important; overflow-wrap: normal !important; hyphens: none !important;}
/* a wide table scrolls sideways: a shadow at its right edge shows there is more */
#review-table .table-wrap, #progress-table .table-wrap {
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left/40px 100% no-repeat local,
              linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right/40px 100% no-repeat local,
              radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.25), transparent) right/14px 100% no-repeat scroll;}
.pamong-scroll-note {display: none; color: #3e4c59; font-size: .9em;}
/* dropdown text stops before the arrow */
#pamong-fork-turn input, #review-filter-row input {padding-right: 28px !important; text-overflow: ellipsis;}
#review-filter-row > * {min-width: 0 !important;}
/* the date box's input kept its natural width and pushed the calendar button out of the box */
#review-since .timebox input, #review-until .timebox input {min-width: 0 !important; width: auto !important;
                                                             flex: 1 1 0 !important;}
#review-since .timebox, #review-until .timebox {display: flex; min-width: 0;}
/* a scrolled-to heading keeps a little space above it */
.pamong-upload-head, .pamong-turn {scroll-margin-top: 12px;}
/* the "how to begin" tip is for before the first turn */
#pamong-talk:has(#pamong-chat [data-testid="user"]) .pamong-tip,
#pamong-talk:has(#pamong-chat .user-row) .pamong-tip {display: none;}
@media (max-width: 640px) {
  .pamong-scroll-note {display: block;}
  .pamong-cards {grid-template-columns: 1fr;}
  #pamong-live {flex-direction: column;}
  #pamong-live > * {min-width: 0 !important; width: 100% !important;}
  .pamong-thermo meter {min-width: 0;}
  .pamong-thermo {grid-template-columns: minmax(0, 7em) minmax(0, 1fr) 3em;}
  #pamong-talk-row {flex-direction: column;}
  #pamong-chat {height: 46vh !important;}
  table {font-size: .85em;}
}
"""


# Page-level rules go in <head>: Gradio scopes the `css` it is given to the app's own container, so rules for
# the page frame (its side padding) or the theme's variables would not reach them from there.
HEAD = """<style>
/* contrast: text >= 4.5:1 on its background (WCAG AA); primary buttons blue-700 under white text */
:root, .gradio-container {--button-primary-background-fill: #1d4ed8; --button-primary-background-fill-hover: #1e40af;
  --button-primary-text-color: #ffffff; --button-primary-border-color: #1d4ed8;
  --input-placeholder-color: #52606d; --body-text-color-subdued: #3e4c59;}
::placeholder {color: #52606d !important; opacity: 1 !important;}
@media (max-width: 640px) { .main.fillable {padding-left: 8px !important; padding-right: 8px !important;} }
.pamong-turn-target {outline: 3px solid #f59e0b; background: #fff7e6; transition: background 1s;}
</style>
<script>
/* A report's "Turn n" link points into the transcript, which is folded away under the report: open the fold,
   bring the turn into view and mark it (a plain anchor jump did nothing while the fold was closed). */
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href*="-turn-"]');
  if (!a) return;
  const id = decodeURIComponent(a.getAttribute('href').slice(1));
  const find = () => document.getElementById(id);
  const show = () => { const t = find(); if (!t || t.offsetParent === null) return false;
    document.querySelectorAll('.pamong-turn-target').forEach(x => x.classList.remove('pamong-turn-target'));
    t.classList.add('pamong-turn-target'); t.scrollIntoView({block: 'center'}); return true; };
  ev.preventDefault();
  if (show()) return;
  // a closed fold does not render its content: open it (its box is `<prefix>-transcript-box`), then look again
  const prefix = id.split('-turn-')[0];
  const toggle = document.querySelector('#' + prefix + '-transcript-box .label-wrap');
  if (toggle) toggle.click();
  let tries = 0;
  const again = () => { if (!show() && ++tries < 20) setTimeout(again, 100); };
  setTimeout(again, 100);
});
</script>"""


# Gradio keeps per-event analytics for its monitoring page and, by default, rebuilds a pandas summary of the
# last 10,000 events after *every* event (GRADIO_ANALYTICS_CACHE_FREQUENCY=1): under load that was ~8 % of the
# server's CPU and grows with the number of events served. Pamong does not use that page: summarise rarely.
GRADIO_TUNING = {"GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000", "GRADIO_ANALYTICS_MAX_EVENTS": "1000"}
# Python work per turn is short and holds the GIL: more threads than this only interleave turns (each one then
# takes longer) without serving more per second (50 trainees, no pause, 2 cores: limit 2 -> 46 turns/s, p95
# 0.9 s; limit 8 -> 39 turns/s, p95 1.4 s). A model voice waits on the network, so it gets more. The limit is
# per event (/send, /end, ... each have their own), so a long /end does not hold up turns.
CONCURRENCY = {"scripted": 2, "model": 16}


def app_css() -> str:
    from simulator.evaluation.report_view import CSS as REPORT_CSS

    return CSS + REPORT_CSS


def theme():
    """Gradio's default look with a blue accent: its orange buttons had 2.8:1 contrast with their white text."""
    import gradio as gr

    # Gradio's bundled "Source Sans Pro" web font has no bold (700) capitals: the browser drew bold capitals from
    # a fallback font, smaller and thinner than the letters around them ("Bu", "RASA"). The system's own
    # sans-serif has every weight of every letter.
    system = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Liberation Sans",
              "DejaVu Sans", "Arial", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", font=system)


def tune_gradio() -> None:
    """Environment Gradio reads when the queue is created (an explicit setting in the environment wins)."""
    for key, value in GRADIO_TUNING.items():
        os.environ.setdefault(key, value)


def warm_up() -> None:
    """Load what the first turn would otherwise load (the reader's lexicons: ~0.5 s per language), so the
    first trainee of the day does not wait for it."""
    from simulator.reading.reader import read_turn

    read_turn("Apa yang Ibu rasakan tentang kelas itu?", "Saya khawatir.", "id")
    read_turn("What do you feel about that class?", "I am worried.", "en")


def build_app(settings, *, context=None, knowledge=None, users=None):
    """The whole app as a gr.Blocks (not launched). knowledge: folder to index, or False for none."""
    offline.setup()
    tune_gradio()
    import gradio as gr

    from simulator.ui import practice, progress, review
    from simulator.ui.context import build_context
    from simulator.ui.logic import t

    ctx = context or build_context(settings, knowledge=knowledge, users=users)
    relabel: list = []
    with gr.Blocks(title="Pamong", analytics_enabled=False) as demo:
        with gr.Row(elem_id="pamong-header", equal_height=True):
            title = gr.Markdown(f"# {t('app_title', 'id')}", elem_id="pamong-title")
            name = gr.Textbox(label=t("your_name", "id"), placeholder=t("name_ph", "id"), max_lines=1,
                              elem_id="pamong-name", visible=not ctx.auth, min_width=200)
            ui_lang = gr.Radio([("Bahasa Indonesia", "id"), ("English", "en")], value="id",
                               label=t("ui_lang", "id"), elem_id="pamong-ui-lang", min_width=260)
        # a fixed key: the name is no secret, and it must still read after the server restarts
        remembered = gr.BrowserState("", storage_key="pamong-name", secret="pamong-name-in-this-browser")
        who = gr.Markdown("", elem_id="pamong-user") if ctx.auth else None
        index_note = gr.Markdown(ctx.index_note["id"] if ctx.index_note else "", elem_id="pamong-index-note")
        relabel += [(title, lambda lg: f"# {t('app_title', lg)}", "value"), (ui_lang, "ui_lang", "label"),
                    (name, "your_name", "label"), (name, "name_ph", "placeholder"),
                    (index_note, lambda lg: ctx.index_note[lg] if ctx.index_note else "", "value")]
        with gr.Tabs(elem_id="pamong-tabs") as tabs:
            with gr.Tab(t("tab_practice", "id"), id="practice") as tab_p:
                practice_parts = practice.build(ctx, ui_lang, relabel, name)
            with gr.Tab(t("tab_review", "id"), id="review") as tab_r:
                review_note, review_body, review_refresh = review.build(ctx, ui_lang, relabel, name)
            with gr.Tab(t("tab_progress", "id"), id="progress") as tab_g:
                next_btn, next_persona, progress_refresh = progress.build(ctx, ui_lang, relabel, name)
        with gr.Accordion(t("about", "id"), open=False, elem_id="pamong-about") as about:
            voice_note = gr.Markdown(ctx.voice_note["id"], elem_id="pamong-voice-note")
        relabel += [(tab_p, "tab_practice", "label"), (tab_r, "tab_review", "label"),
                    (tab_g, "tab_progress", "label"), (about, "about", "label"),
                    (voice_note, lambda lg: ctx.voice_note[lg], "value")]

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

        # `lang` on the page: screen readers and the browser's spelling and hyphenation follow the interface
        ui_lang.change(switch, [ui_lang], components, api_visibility="private",
                       js="(lang) => { document.documentElement.lang = lang; return lang; }")
        demo.load(None, None, None, js="() => { document.documentElement.lang = 'id'; }")

        # the name typed once is remembered in this browser (and offered to Review and Progress)
        if not ctx.auth:
            def recall(stored, typed):  # never overwrite what was typed before the page finished loading
                return gr.skip() if (typed or "").strip() or not stored else stored

            demo.load(recall, [remembered, name], [name], api_visibility="private")
            name.change(lambda v: v, [name], [remembered], api_visibility="private")


        # Progress -> "Start: <scenario>": straight into the conversation on the Practice tab
        start_for = practice_parts["start_for"]

        def start_next(pid, user_name, lang, is_exam, ui, request: gr.Request):
            return [gr.Tabs(selected="practice")] + list(start_for(pid)(user_name, lang, is_exam, ui, request))

        next_btn.click(start_next, [next_persona, *practice_parts["inputs"]],
                       [tabs, *practice_parts["start_outputs"]], api_visibility="private").then(
            None, None, None, js=practice.FOCUS_MSG)
        tab_r.select(review_refresh[0], review_refresh[1], review_refresh[2], api_visibility="private")
        tab_g.select(progress_refresh[0], progress_refresh[1], progress_refresh[2], api_visibility="private")
        if ctx.auth:
            def signed_in(request: gr.Request):
                allowed = role_of(request) == "facilitator"
                return (signed_in_text("id", request),
                        review_note_text("id", request),
                        gr.update(visible=allowed))  # the API refuses trainees too

            demo.load(signed_in, None, [who, review_note, review_body], api_visibility="private")
            for fn, inputs, outputs in practice_parts["on_load"]:  # offer the signed-in trainee's unfinished sessions
                demo.load(fn, inputs, outputs, api_visibility="private")
    demo.pamong_context = ctx  # for tests and the launcher
    return demo


def launch(settings, *, knowledge=None, host: str | None = None, port: int | None = None,
           prevent_thread_lock: bool = False, quiet: bool = False):
    """Check login, build and serve. Beyond localhost without users -> InputError (a clear message)."""
    from simulator.ui.auth import authenticator, check_login_config, load_users

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
                allowed_paths=[str(reports)], footer_links=[], css=app_css(), theme=theme(), head=HEAD, ssr_mode=False)
    return demo
