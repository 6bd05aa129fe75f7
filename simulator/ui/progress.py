"""The Progress tab: a trainee's scored sessions, one row each (overall first), a plot per dimension, and the
next scenario to try — one click starts it."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from simulator.errors import SimulatorError
from simulator.ui import logic
from simulator.ui.logic import AppContext, t


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list, name: gr.Textbox) -> tuple:
    """Returns (the suggested-scenario button, its persona id State, (refresh fn, inputs, outputs))."""
    lang0 = "id"
    show = gr.Button(t("show_progress", lang0), variant="primary", elem_id="progress-show")
    with gr.Row(equal_height=True):
        suggestion = gr.Markdown("", elem_id="progress-suggestion")
        next_btn = gr.Button(t("start", lang0), variant="primary", visible=False, elem_id="progress-next",
                             min_width=200)
    next_persona = gr.State("")
    charts = gr.HTML("", elem_id="progress-charts")
    table = gr.Dataframe(pd.DataFrame(columns=logic.progress_columns(lang0)), interactive=False,
                         elem_id="progress-table", show_label=False, wrap=True)
    note = lambda lg: f'<p class="pamong-scroll-note">{t("table_scrolls", lg)}</p>'  # noqa: E731  (phones only)
    scroll_note = gr.HTML(note(lang0), elem_id="progress-scroll-note")
    relabel += [(show, "show_progress", "value"), (scroll_note, note, "value")]

    def on_show(user_name, ui, request: gr.Request):
        try:
            user, _role = ctx.identity(getattr(request, "username", None), user_name)
            rows = logic.progress_rows(ctx, user, ui)
            text, pid = logic.suggest_next(ctx, user, ui)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), logic.message(exc, ui), gr.update(visible=False), ""
        frame = pd.DataFrame(rows, columns=logic.progress_columns(ui))
        button = gr.update(visible=bool(pid), value=t("try_suggested", ui, persona=ctx.personas[pid].title(ui))
                           if pid else "")
        return logic.progress_charts(rows, ui), frame, text, button, pid or ""

    # API clients see [charts, table, suggestion]; the page also gets the start button (and its persona)
    outputs = [charts, table, suggestion, next_btn, next_persona]
    show.click(on_show, [name, ui_lang], outputs, api_visibility="private")
    api_out = [charts, table, suggestion]
    def api_show(user_name, ui, request: gr.Request):
        return on_show(user_name, ui, request)[:3]

    gr.Button(visible=False).click(api_show, [name, ui_lang], api_out, api_name="progress")
    ui_lang.change(on_show, [name, ui_lang], outputs, api_visibility="private")
    return next_btn, next_persona, (on_show, [name, ui_lang], outputs)
