"""The Review tab (facilitators): submitted sessions with filters, a transcript with act labels and the state
chart, a facilitator score beside the automatic one, and scoring an uploaded transcript."""

from __future__ import annotations

import uuid

import gradio as gr
import pandas as pd

from ..errors import SimulatorError
from . import logic
from .logic import AppContext, t

COLUMNS = ["id", "trainee", "persona", "created", "overall", "turns"]
SCORE_COLUMNS = ["criterion", "auto", "override", "comment", "by"]


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list) -> tuple:
    """Lay out the tab; returns (note, body) so the app can close the tab to a signed-in trainee."""
    lang0 = "id"
    note = gr.Markdown(t("review_login_note" if ctx.auth else "review_local_note", lang0), elem_id="review-note")
    body = gr.Column(elem_id="review-body")
    body.__enter__()
    facilitator = gr.Textbox(label=t("facilitator_name", lang0), max_lines=1, elem_id="review-name",
                             visible=not ctx.auth)
    with gr.Row():
        trainee = gr.Textbox(label=t("filter_trainee", lang0), max_lines=1, elem_id="review-trainee")
        persona = gr.Dropdown([("—", "")] + [(p.title(lang0), p.id) for p in ctx.personas.values()], value="",
                              label=t("filter_persona", lang0), elem_id="review-persona")
        since = gr.Textbox(label=t("filter_since", lang0), max_lines=1, elem_id="review-since")
        until = gr.Textbox(label=t("filter_until", lang0), max_lines=1, elem_id="review-until")
        min_score = gr.Textbox(label=t("filter_min", lang0), max_lines=1, elem_id="review-min")  # empty: any
        max_score = gr.Textbox(label=t("filter_max", lang0), max_lines=1, elem_id="review-max")
    search = gr.Button(t("search", lang0), variant="primary", elem_id="review-search")
    status = gr.Markdown("", elem_id="review-status")
    table = gr.Dataframe(pd.DataFrame(columns=COLUMNS), label=t("sessions", lang0), interactive=False,
                         elem_id="review-table")
    with gr.Row():
        pick = gr.Dropdown([], label=t("open_session", lang0), elem_id="review-pick", scale=4,
                           allow_custom_value=True)  # an id typed or sent through the API; the store checks it
        open_btn = gr.Button(t("open", lang0), elem_id="review-open", scale=1)
    transcript = gr.HTML("", elem_id="review-transcript")
    chart = gr.LinePlot(pd.DataFrame(columns=["turn", "measure", "value"]), x="turn", y="value", color="measure",
                        y_lim=[0, 1], label=t("state_chart", lang0), elem_id="review-chart")
    scores = gr.Dataframe(pd.DataFrame(columns=SCORE_COLUMNS), label=t("scores", lang0), interactive=False,
                          elem_id="review-scores")
    with gr.Row():
        criterion = gr.Dropdown([], label=t("criterion", lang0), elem_id="review-criterion",
                                allow_custom_value=True)
        score = gr.Dropdown([1, 2, 3, 4], value=None, label=t("override_score", lang0), elem_id="review-score")
        comment = gr.Textbox(label=t("override_comment", lang0), max_lines=3, elem_id="review-comment", scale=3)
    save = gr.Button(t("save_override", lang0), elem_id="review-save")
    with gr.Accordion(t("upload", lang0), open=False) as upload_box:
        upload = gr.File(label=t("upload", lang0), file_types=[".txt", ".json"], type="filepath",
                         elem_id="review-upload")
        score_btn = gr.Button(t("score_upload", lang0), elem_id="review-score-upload")
        upload_report = gr.HTML("", elem_id="review-upload-report")
        upload_files = gr.File(label=t("downloads", lang0), file_count="multiple", interactive=False,
                               elem_id="review-upload-files")

    body.__exit__()
    relabel += [(note, "review_note", "value"), (facilitator, "facilitator_name", "label"),
                (trainee, "filter_trainee", "label"), (persona, "filter_persona", "label"),
                (since, "filter_since", "label"), (until, "filter_until", "label"), (min_score, "filter_min", "label"),
                (max_score, "filter_max", "label"), (search, "search", "value"), (table, "sessions", "label"),
                (pick, "open_session", "label"), (open_btn, "open", "value"), (chart, "state_chart", "label"),
                (scores, "scores", "label"), (criterion, "criterion", "label"), (score, "override_score", "label"),
                (comment, "override_comment", "label"), (save, "save_override", "value"),
                (upload_box, "upload", "label"), (upload, "upload", "label"), (score_btn, "score_upload", "value"),
                (upload_files, "downloads", "label")]

    def who(name, request):
        return ctx.identity(getattr(request, "username", None), name)

    def on_search(name, tr, pe, si, un, lo, hi, ui, request: gr.Request):
        try:
            viewer, role = who(name, request)
            rows = logic.review_rows(ctx, viewer=viewer, role=role, trainee=tr, persona=pe, since=si, until=un,
                                     min_score=lo, max_score=hi)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), logic.message(exc, ui)
        frame = pd.DataFrame(rows, columns=COLUMNS)
        choices = [(f"{r[1]} · {r[2]} · {r[3]} · {r[0][:8]}", r[0]) for r in rows]
        return frame, gr.update(choices=choices, value=choices[0][1] if choices else None), \
            ("" if rows else t("no_sessions", ui))

    search.click(on_search, [facilitator, trainee, persona, since, until, min_score, max_score, ui_lang],
                 [table, pick, status], api_name="review_search")

    def on_open(name, sid, ui, request: gr.Request):
        try:
            viewer, role = who(name, request)
            if not sid:
                raise SimulatorError("need_session")
            view = logic.review_open(ctx, viewer=viewer, role=role, session_id=sid, lang=ui)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), logic.message(exc, ui)
        frame = pd.DataFrame(view["states"], columns=["turn", "measure", "value"])
        crit = view["criteria"]
        return (view["transcript"], frame, pd.DataFrame(view["scores"], columns=SCORE_COLUMNS),
                gr.update(choices=crit, value=crit[0] if crit else None), "")

    open_btn.click(on_open, [facilitator, pick, ui_lang], [transcript, chart, scores, criterion, status],
                   api_name="review_open")

    def on_save(name, sid, crit, value, text, ui, request: gr.Request):
        try:
            viewer, role = who(name, request)
            logic.review_override(ctx, viewer=viewer, role=role, session_id=sid, criterion=crit, score=value,
                                  comment=text)
            view = logic.review_open(ctx, viewer=viewer, role=role, session_id=sid, lang=ui)
        except SimulatorError as exc:
            return gr.skip(), logic.message(exc, ui)
        return pd.DataFrame(view["scores"], columns=SCORE_COLUMNS), t("override_saved", ui)

    save.click(on_save, [facilitator, pick, criterion, score, comment, ui_lang], [scores, status],
               api_name="review_override")

    def on_upload(name, path, ui, request: gr.Request):
        try:
            viewer, role = who(name, request)
            if role != "facilitator":
                raise SimulatorError("review_denied")
            transcript_, evaluation = logic.score_upload(ctx, path)
            lang = transcript_.lang
            paths = logic.write_reports(ctx, "upload-" + uuid.uuid4().hex[:12], evaluation, ui)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), logic.message(exc, ui)
        html_ = logic.report_html(evaluation, ui, prefix="upload") + logic.transcript_html(
            [{"speaker": u.speaker, "text": u.text} for u in transcript_.turns], lang, prefix="upload",
            acts={v.index: v.acts for v in evaluation.turns if v.speaker == "coach"})
        return html_, paths, ""

    score_btn.click(on_upload, [facilitator, upload, ui_lang], [upload_report, upload_files, status],
                    api_name="review_upload")
    return note, body
