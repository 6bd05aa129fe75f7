"""The Review tab (facilitators): submitted sessions listed on arrival, filters with date pickers, a click on a
row opens the very report the trainee read with the transcript, the facilitator's score beside it, and
scoring an uploaded transcript."""

from __future__ import annotations

import html
import uuid

import gradio as gr
import pandas as pd

from simulator.errors import SimulatorError
from simulator.ui import logic
from simulator.ui.logic import AppContext, t

# the scored upload appears below the upload box: bring its top into view
SHOW_UPLOAD_REPORT = """() => { setTimeout(() => {
  const r = document.querySelector('#review-upload-report .pamong-upload-head');
  if (r) r.scrollIntoView({block: 'start', behavior: 'smooth'}); }, 120); }"""


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list, name: gr.Textbox) -> tuple:
    """Lay out the tab; returns (note, body, (refresh fn, inputs, outputs)) — the app closes the tab to a
    signed-in trainee and lists the sessions when the tab is opened."""
    lang0 = "id"
    note = gr.Markdown(t("review_login_note" if ctx.auth else "review_local_note", lang0), elem_id="review-note")
    body = gr.Column(elem_id="review-body")
    body.__enter__()
    ids = gr.State([])
    opened = gr.Textbox("", visible=False, elem_id="review-opened-id")  # a Textbox: API clients pass the id
    # scoring a transcript from elsewhere is its own task: at the top, not under whatever report is open
    with gr.Accordion(t("upload", lang0), open=False, elem_id="review-upload-box") as upload_box:
        # our own button, not gr.File's drop zone: its "Drop File Here – or – Click to Upload" follows the
        # browser's language, not the page's
        upload = gr.UploadButton(t("upload_choose", lang0), file_types=[".txt", ".json"], type="filepath",
                                 elem_id="review-upload", variant="primary")
        upload_status = gr.Markdown("", elem_id="review-upload-status")
        doc_view = gr.HTML("", elem_id="review-doc")
        with gr.Row(equal_height=True):
            coach = gr.Dropdown([], label=t("doc_coach", lang0), elem_id="review-doc-coach", allow_custom_value=True,
                                min_width=200)
            conversation = gr.Dropdown([("1", 0)], value=0, label=t("doc_conversation", lang0),
                                       elem_id="review-doc-conversation", min_width=160)
            score_btn = gr.Button(t("score_upload", lang0), variant="primary", elem_id="review-score-upload",
                                  min_width=160)
        upload_report = gr.HTML("", elem_id="review-upload-report")
        upload_files = gr.DownloadButton(t("downloads", lang0), elem_id="review-upload-files", visible=False)
    with gr.Row(equal_height=True, elem_id="review-filter-row"):
        trainee = gr.Textbox(label=t("filter_trainee", lang0), max_lines=1, elem_id="review-trainee", min_width=160)
        persona = gr.Dropdown([(t("any", lang0), "")] + [(p.title(lang0), p.id) for p in ctx.personas.values()],
                              value="", label=t("filter_persona", lang0), elem_id="review-persona", min_width=200)
        since = gr.DateTime(label=t("filter_since", lang0), include_time=False, type="string", elem_id="review-since",
                            min_width=200)
        until = gr.DateTime(label=t("filter_until", lang0), include_time=False, type="string", elem_id="review-until",
                            min_width=200)
        levels = [(t("any", lang0), "")] + [(str(v), str(v)) for v in (1, 2, 3, 4)]
        min_score = gr.Dropdown(levels, value="", label=t("filter_min", lang0), elem_id="review-min", min_width=110)
        max_score = gr.Dropdown(levels, value="", label=t("filter_max", lang0), elem_id="review-max", min_width=110)
    search = gr.Button(t("search", lang0), variant="primary", elem_id="review-search")
    status = gr.Markdown("", elem_id="review-status")
    pick_help = gr.Markdown(t("review_pick_help", lang0), elem_id="review-help")
    table = gr.Dataframe(pd.DataFrame(columns=logic.review_columns(lang0)), interactive=False, elem_id="review-table",
                         show_label=False, wrap=True)
    # on a phone the table is wider than the screen: say it scrolls (the note is hidden on wider screens)
    scroll_note = gr.HTML(f'<p class="pamong-scroll-note">{t("table_scrolls", lang0)}</p>', elem_id="review-scroll-note")
    open_status = gr.Markdown("", elem_id="review-open-status")
    with gr.Row(elem_id="review-opened", visible=False) as opened_row:  # shown once a session is opened
        with gr.Column(scale=3, min_width=300):
            report = gr.HTML("", elem_id="review-report")
            with gr.Accordion(t("transcript", lang0), open=True) as transcript_box:
                transcript = gr.HTML("", elem_id="review-transcript")
        with gr.Column(scale=2, min_width=260):
            override_title = gr.Markdown(f"### {t('override_title', lang0)}")
            criterion = gr.Dropdown([], label=t("criterion", lang0), elem_id="review-criterion",
                                    allow_custom_value=True)  # an id sent through the API; checked on save
            score = gr.Dropdown([1, 2, 3, 4], value=None, label=t("override_score", lang0), elem_id="review-score")
            comment = gr.Textbox(label=t("override_comment", lang0), lines=2, max_lines=5, elem_id="review-comment")
            save = gr.Button(t("save_override", lang0), variant="primary", elem_id="review-save")
            save_status = gr.Markdown("", elem_id="review-save-status")
            scores = gr.HTML("", elem_id="review-scores")
    body.__exit__()
    relabel += [(scroll_note, lambda lg: f'<p class="pamong-scroll-note">{t("table_scrolls", lg)}</p>', "value"),
                (note, "review_note", "value"), (trainee, "filter_trainee", "label"),
                (persona, "filter_persona", "label"), (since, "filter_since", "label"),
                (until, "filter_until", "label"), (min_score, "filter_min", "label"),
                (max_score, "filter_max", "label"), (search, "search", "value"), (pick_help, "review_pick_help", "value"),
                (transcript_box, "transcript", "label"), (override_title, lambda lg: f"### {t('override_title', lg)}",
                                                          "value"),
                (criterion, "criterion", "label"), (score, "override_score", "label"),
                (comment, "override_comment", "label"), (save, "save_override", "value"),
                (upload_box, "upload", "label"), (upload, "upload_choose", "label"), (score_btn, "score_upload", "value"),
                (coach, "doc_coach", "label"), (conversation, "doc_conversation", "label"),
                (upload_files, "downloads", "label"),
                (persona, lambda lg: [(t("any", lg), "")] + [(p.title(lg), p.id) for p in ctx.personas.values()],
                 "choices"),
                (min_score, lambda lg: [(t("any", lg), "")] + [(str(v), str(v)) for v in (1, 2, 3, 4)], "choices"),
                (max_score, lambda lg: [(t("any", lg), "")] + [(str(v), str(v)) for v in (1, 2, 3, 4)], "choices")]

    def who(name_, request, *, need_name=False):
        """Without login a facilitator may browse without typing a name; saving a score needs one."""
        if not ctx.auth and not (name_ or "").strip() and not need_name:
            return "", "facilitator"
        return ctx.identity(getattr(request, "username", None), name_)

    def on_search(name_, tr, pe, si, un, lo, hi, ui, request: gr.Request):
        try:
            viewer, role = who(name_, request)
            rows = logic.review_rows(ctx, viewer=viewer, role=role, trainee=tr, persona=pe, since=si, until=un,
                                     min_score=lo, max_score=hi, lang=ui)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), logic.message(exc, ui)
        frame = pd.DataFrame([r["row"] for r in rows], columns=logic.review_columns(ui))
        return frame, [r["id"] for r in rows], ("" if rows else t("no_sessions", ui))

    search_inputs = [name, trainee, persona, since, until, min_score, max_score, ui_lang]
    search.click(on_search, search_inputs, [table, ids, status], api_name="review_search")
    ui_lang.change(on_search, search_inputs, [table, ids, status], api_visibility="private")

    def view_of(name_, sid, ui, request):
        viewer, role = who(name_, request)
        if not sid:
            raise SimulatorError("need_session")
        return logic.review_open(ctx, viewer=viewer, role=role, session_id=sid, lang=ui)

    def on_open(name_, sid, ui, request: gr.Request):
        try:
            view = view_of(name_, sid, ui, request)
        except SimulatorError as exc:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), logic.message(exc, ui)
        info = view["info"]
        return (sid, view["report"], view["transcript"],
                logic.scores_html(view["scores"], ui),
                gr.update(choices=view["criteria"], value=view["criteria"][0][1] if view["criteria"] else None),
                gr.update(visible=True),
                t("review_opened", ui, code=logic.short_code(info.id), trainee=info.owner))

    open_outputs = [opened, report, transcript, scores, criterion, opened_row, open_status]

    def on_row(name_, row_ids, ui, evt: gr.SelectData, request: gr.Request):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        sid = row_ids[row] if row_ids and 0 <= int(row) < len(row_ids) else ""
        return on_open(name_, sid, ui, request)

    table.select(on_row, [name, ids, ui_lang], open_outputs, api_visibility="private").then(
        None, None, None, js="() => document.querySelector('#review-opened')?.scrollIntoView({behavior: 'smooth'})")
    # the same, by id, for the HTTP API and scripts
    api_id = gr.Textbox(visible=False)
    gr.Button(visible=False).click(on_open, [name, api_id, ui_lang], open_outputs, api_name="review_open")
    def reopen(name_, sid, ui, request: gr.Request):  # a language switch re-renders the open report
        return on_open(name_, sid, ui, request) if sid else [gr.skip()] * len(open_outputs)

    ui_lang.change(reopen, [name, opened, ui_lang], open_outputs, api_visibility="private")

    def on_save(name_, sid, crit, value, text, ui, request: gr.Request):
        try:
            viewer, role = who(name_, request, need_name=True)
            logic.review_override(ctx, viewer=viewer, role=role, session_id=sid, criterion=crit, score=value,
                                  comment=text)
            view = logic.review_open(ctx, viewer=viewer, role=role, session_id=sid, lang=ui)
        except SimulatorError as exc:
            return gr.skip(), logic.message(exc, ui)
        return logic.scores_html(view["scores"], ui), t("override_saved", ui)

    save.click(on_save, [name, opened, criterion, score, comment, ui_lang], [scores, save_status],
               api_name="review_override")

    def coach_choices(document):
        return [sp.label for sp in document.speakers if sp.role in ("coach", "coachee")] or \
            [sp.label for sp in document.speakers]

    def on_read(path, ui):
        """A file chosen: show who speaks, the role each was given and why, and what was set aside."""
        from simulator.evaluation.document import DocumentError

        if not path:
            return "", "", gr.update(choices=[], value=None), gr.update(choices=[("1", 0)], value=0), "", \
                gr.update(visible=False)
        try:
            document = logic.read_upload(path)
        except DocumentError as exc:  # e.g. the coach cannot be told: offer the speakers to choose from
            return (logic.message(exc, ui), "", gr.update(choices=list(exc.speakers), value=None),
                    gr.update(), "", gr.update(visible=False))
        except SimulatorError as exc:
            return logic.message(exc, ui), "", gr.update(), gr.update(), "", gr.update(visible=False)
        coach_now = document.coach()
        return ("", logic.document_html(document, ui),
                gr.update(choices=coach_choices(document), value=coach_now.label if coach_now else None),
                gr.update(choices=[(str(i + 1), i) for i in range(document.conversations)], value=document.chosen),
                "", gr.update(visible=False))

    upload.upload(on_read, [upload, ui_lang], [upload_status, doc_view, coach, conversation, upload_report,
                                               upload_files], api_visibility="private")

    def on_upload(name_, path, coach_label, conv, ui, request: gr.Request, note_key: str = ""):  # noqa: PLR0913
        try:
            _viewer, role = who(name_, request)
            if role != "facilitator":
                raise SimulatorError("review_denied")
            document = logic.read_upload(path, coach=coach_label, conversation=conv or 0)
            evaluation = logic.score_document(ctx, document)
            paths = logic.write_reports(ctx, "upload-" + uuid.uuid4().hex[:12], evaluation, ui)
        except SimulatorError as exc:
            return logic.message(exc, ui), gr.skip(), gr.skip(), gr.skip()
        transcript_ = document.transcript
        coach_now = document.coach()
        label = html.escape(coach_now.label if coach_now else "?")  # HTML here: no Markdown escapes
        head = f'<h3 class="pamong-upload-head">{t("upload_report_for", ui).replace("{coach}", label)}</h3>'
        html_ = head + logic.report_html(evaluation, ui, prefix="upload", audience="coach") + logic.transcript_html(
            [{"speaker": u.speaker, "text": u.text} for u in transcript_.turns], transcript_.lang, prefix="upload",
            acts={v.index: v.acts for v in evaluation.turns if v.speaker == "coach"})
        note = t(note_key, ui, coach=coach_now.label) if note_key and coach_now else ""
        return note, logic.document_html(document, ui), html_, gr.update(value=paths[0], visible=True)

    upload_outputs = [upload_status, doc_view, upload_report, upload_files]
    score_btn.click(on_upload, [name, upload, coach, conversation, ui_lang], upload_outputs,
                    api_name="review_upload").then(None, None, None, js=SHOW_UPLOAD_REPORT)

    def on_reassign(name_, path, coach_label, conv, ui, request: gr.Request):
        """One step: another speaker is the coach (or another conversation) -> read again and score again."""
        if not path:
            return [gr.skip()] * len(upload_outputs)
        return on_upload(name_, path, coach_label, conv, ui, request, note_key="doc_rescored")

    def on_language(name_, path, coach_label, conv, shown, ui, request: gr.Request):  # noqa: PLR0913
        """The interface language changed: what the upload shows is said again in it (the table of what was read,
        the report), with the coach and conversation as they were chosen."""
        if not path:
            return [gr.skip()] * len(upload_outputs)
        if shown:  # a report is on screen: score again in the new language (same coach, same conversation)
            return on_upload(name_, path, coach_label, conv, ui, request)
        try:
            document = logic.read_upload(path, coach=coach_label, conversation=conv or 0)
        except SimulatorError:
            return [gr.skip()] * len(upload_outputs)
        return gr.skip(), logic.document_html(document, ui), gr.skip(), gr.skip()

    ui_lang.change(on_language, [name, upload, coach, conversation, upload_report, ui_lang], upload_outputs,
                   api_visibility="private")

    for control in (coach, conversation):
        control.input(on_reassign, [name, upload, coach, conversation, ui_lang], upload_outputs,
                      api_visibility="private")
    return note, body, (on_search, search_inputs, [table, ids, status])
