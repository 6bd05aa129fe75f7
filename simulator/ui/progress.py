"""The Progress tab: a trainee's scored sessions over time, each dimension plotted, and the next persona to try."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from ..errors import SimulatorError
from . import logic
from .logic import AppContext, t

COLUMNS = ["session", "dimension", "score", "persona", "date"]


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list) -> None:
    lang0 = "id"
    name = gr.Textbox(label=t("progress_name", lang0), max_lines=1, elem_id="progress-name", visible=not ctx.auth)
    show = gr.Button(t("show_progress", lang0), variant="primary", elem_id="progress-show")
    suggestion = gr.Markdown("", elem_id="progress-suggestion")
    chart = gr.LinePlot(pd.DataFrame(columns=COLUMNS), x="session", y="score", color="dimension", y_lim=[1, 4],
                        label=t("progress_chart", lang0), elem_id="progress-chart")
    table = gr.Dataframe(pd.DataFrame(columns=COLUMNS), interactive=False, elem_id="progress-table")
    relabel += [(name, "progress_name", "label"), (show, "show_progress", "value"),
                (chart, "progress_chart", "label")]

    def on_show(user_name, ui, request: gr.Request):
        try:
            user, _role = ctx.identity(getattr(request, "username", None), user_name)
            rows = logic.progress_rows(ctx, user, ui)
            text = logic.suggest_next(ctx, user, ui)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), logic.message(exc, ui)
        frame = pd.DataFrame(rows, columns=COLUMNS)
        return frame, frame, text

    show.click(on_show, [name, ui_lang], [chart, table, suggestion], api_name="progress")
