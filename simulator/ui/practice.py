"""The Practice tab: choose a scenario, talk with the coachee, end -> report, fork, resume, submit.
Only wiring: every decision is in simulator.ui.logic, the Session and the store."""

from __future__ import annotations

import functools
import inspect

import gradio as gr

from simulator.errors import SimulatorError
from simulator.storage.store import SessionNotFound
from simulator.ui import logic
from simulator.ui.logic import AppContext, Practice, t


def _user(ctx: AppContext, request: gr.Request | None, name: str) -> str:
    return ctx.identity(getattr(request, "username", None), name)[0]


def _fork_update(st: Practice, lang: str):
    choices = logic.coach_turn_choices(st.session)
    return gr.update(choices=choices, value=choices[-1][1] if choices else None, label=t("fork_turn", lang))


def _is_update(value) -> bool:
    return isinstance(value, dict) and "update" in str(value.get("__type__", ""))


def processed_in_call(fn, inputs: list, outputs: list):
    """`fn` with its inputs' preprocess and its outputs' postprocess done inside the call itself; register it
    with preprocess=False, postprocess=False.

    Gradio 6 runs each component's preprocess and postprocess as its own job on its thread pool, one after the
    other: for /send (6 inputs, 6 outputs) that is a dozen hand-offs between the event loop and a worker thread
    per turn, on a server whose Python work is serialised by the GIL. Here they run in the event's one worker
    thread. What is sent is the same: the same component methods, then the `model_dump` Gradio does; State
    values and updates (gr.update, gr.skip) go back to Gradio untouched, as before. The components built here
    are used, not a tab's copy of them: per tab only their labels change (the interface language), which
    neither method reads."""
    n_in = len(inputs)

    def prepare(args):  # the inputs, then what Gradio adds after them (the gr.Request)
        return [a if c.stateful else c.preprocess(a) for c, a in zip(inputs, args[:n_in], strict=True)] \
            + list(args[n_in:])

    def finish(values):
        if len(outputs) == 1:
            values = (values,)
        out = []
        for component, value in zip(outputs, values, strict=True):
            if component.stateful or _is_update(value):
                out.append(value)
                continue
            value = component.postprocess(value)
            out.append(value.model_dump() if hasattr(value, "model_dump") else value)
        return out[0] if len(outputs) == 1 else out

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def streamed(*args):
            for values in fn(*prepare(args)):
                yield finish(values)
        return streamed

    @functools.wraps(fn)
    def once(*args):
        return finish(fn(*prepare(args)))
    return once


# After Start / Resume / Fork: on success the talk view is up -> top of the page, cursor in the input. On an
# error the page stays where the message is (beside the control pressed); a missing name gets the cursor.
FOCUS_MSG = """() => { setTimeout(() => {
  const m = document.querySelector('#pamong-msg textarea');
  if (m && m.offsetParent) {
    window.scrollTo(0, 0); m.focus({preventScroll: true});
    // a phone's screen is shorter than title + chat + input: bring the input and Send into view
    const row = document.querySelector('#pamong-input-row');
    const r = row && row.getBoundingClientRect();
    if (r && r.bottom > window.innerHeight) window.scrollBy(0, r.bottom - window.innerHeight + 8);
    return; }
  const n = document.querySelector('#pamong-name input');
  if (n && !n.value.trim()) n.focus(); }, 80); }"""
TO_TOP = "() => { window.scrollTo(0, 0); }"


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list, name: gr.Textbox) -> dict:
    """Lay out the tab as three views: Choose -> Talk -> Report. `name` is the page's name field.
    Returns what the app wires further: the on-load calls, the language re-render and the start handler."""
    lang0 = "id"
    personas = list(ctx.personas.values())
    skills = sorted({s for p in personas for s in p.skills}, key=logic.DIMENSIONS.index)
    state = gr.State(Practice())

    # ------------------------------------------------------------------ 1. choose
    with gr.Column(elem_id="pamong-choose") as choose_view:
        intro = gr.Markdown(t("choose_intro", lang0), elem_id="pamong-intro")
        with gr.Row(elem_id="pamong-filters", equal_height=True):
            skill = gr.Dropdown([(t("any", lang0), "")] + [(t(k, lang0), k) for k in skills], value="",
                                label=t("filter_skill", lang0), elem_id="pamong-filter-skill", min_width=150)
            level = gr.Dropdown([(t("any", lang0), ""), (t("easy", lang0), "easy"), (t("medium", lang0), "medium"),
                                 (t("hard", lang0), "hard")], value="", label=t("filter_difficulty", lang0),
                                elem_id="pamong-filter-level", min_width=150)
            conv_lang = gr.Dropdown([(t("lang_id", lang0), "id"), (t("lang_en", lang0), "en")], value="id",
                                    label=t("conversation_lang", lang0), elem_id="pamong-conv-lang", min_width=150)
            exam = gr.Checkbox(value=False, label=t("exam_mode", lang0), info=t("exam_mode_info", lang0),
                               elem_id="pamong-exam", min_width=150)
        choose_status = gr.Markdown("", elem_id="pamong-choose-status")
        card_cols, card_html, card_btns = [], [], []
        with gr.Row(elem_id="pamong-cards", elem_classes=["pamong-cards"]):
            for p in personas:
                with gr.Column(elem_classes=["pamong-card-col"], min_width=240) as col:
                    html_ = gr.HTML(logic.card_html(p, lang0), elem_id=f"pamong-card-{p.id}")
                    btn = gr.Button(t("start_card", lang0), variant="primary", size="md",
                                    elem_id=f"pamong-start-{p.id}", elem_classes=["pamong-start"])
                card_cols.append(col)
                card_html.append(html_)
                card_btns.append(btn)
        no_cards = gr.Markdown("", elem_id="pamong-no-cards")
        with gr.Accordion(t("resume", lang0), open=False, elem_id="pamong-resume-box") as resume_box:
            with gr.Row():
                pick = gr.Dropdown([], label=t("resume_pick", lang0), elem_id="pamong-resume-pick", scale=3,
                                   allow_custom_value=True, min_width=200)
                typed_id = gr.Textbox(label=t("resume_id", lang0), max_lines=1, elem_id="pamong-resume-id",
                                      scale=2, min_width=160)
            resume = gr.Button(t("resume", lang0), elem_id="pamong-resume")
            resume_status = gr.Markdown("", elem_id="pamong-resume-status")

    # ------------------------------------------------------------------ 2. talk
    with gr.Column(visible=False, elem_id="pamong-talk") as talk_view:
        talk_title = gr.Markdown("", elem_id="pamong-talk-title")
        with gr.Row(elem_id="pamong-talk-row"):
            with gr.Column(scale=3, min_width=300):
                # (no floating label: it covered the first line once the talk scrolled; the heading names the talk)
                chat = gr.Chatbot(label=t("chat", lang0), show_label=False, elem_id="pamong-chat", height=400,
                                  sanitize_html=True, render_markdown=True, buttons=["copy"])
                with gr.Row(equal_height=True, elem_id="pamong-input-row"):
                    msg = gr.Textbox(show_label=False, label=t("your_turn", lang0),
                                     placeholder=t("your_turn_ph", lang0), max_lines=4, lines=1,
                                     elem_id="pamong-msg", scale=5, min_width=180, autofocus=True)
                    send = gr.Button(t("send", lang0), variant="primary", elem_id="pamong-send", scale=1,
                                     min_width=80)
                status = gr.Markdown("", elem_id="pamong-status")
                with gr.Row(elem_id="pamong-live"):
                    hint = gr.Markdown("", elem_id="pamong-hint")
                    thermo = gr.HTML("", elem_id="pamong-thermo")
                with gr.Row():
                    end = gr.Button(t("end", lang0), variant="primary", elem_id="pamong-end", min_width=160)
                    leave = gr.Button(t("new_session", lang0), variant="secondary", elem_id="pamong-leave",
                                      min_width=160)
            with gr.Column(scale=2, min_width=260, elem_id="pamong-side"):
                brief = gr.HTML("", elem_id="pamong-brief")
                with gr.Accordion(t("options", lang0), open=False) as options_box:
                    show_hint = gr.Checkbox(value=True, label=t("show_hint", lang0), elem_id="pamong-show-hint")
                    show_thermo = gr.Checkbox(value=True, label=t("show_thermo", lang0),
                                              elem_id="pamong-show-thermo")

    # ------------------------------------------------------------------ 3. report
    with gr.Column(visible=False, elem_id="pamong-report-view") as report_view:
        report_status = gr.Markdown("", elem_id="pamong-report-status")
        report = gr.HTML("", elem_id="pamong-report")
        with gr.Row(elem_id="pamong-report-actions", equal_height=True):
            download = gr.DownloadButton(t("downloads", lang0), variant="primary", elem_id="pamong-download",
                                         min_width=200)
            submit = gr.Button(t("submit", lang0), elem_id="pamong-submit", min_width=200)
            again = gr.Button(t("new_session", lang0), elem_id="pamong-again", min_width=200)
        with gr.Row(visible=False, elem_id="pamong-confirm") as confirm_row:
            confirm_text = gr.Markdown(t("submit_confirm", lang0), elem_id="pamong-confirm-text")
            confirm_yes = gr.Button(t("submit_yes", lang0), variant="primary", elem_id="pamong-submit-yes",
                                    min_width=120)
            confirm_no = gr.Button(t("submit_no", lang0), elem_id="pamong-submit-no", min_width=120)
        submit_status = gr.Markdown("", elem_id="pamong-submit-status")
        with gr.Group(elem_id="pamong-fork-box"):
            fork_help = gr.Markdown(t("fork_help", lang0), elem_id="pamong-fork-help")
            with gr.Row(equal_height=True):
                fork_turn = gr.Dropdown([], label=t("fork_turn", lang0), elem_id="pamong-fork-turn", scale=3,
                                        allow_custom_value=True, min_width=220)
                fork = gr.Button(t("fork", lang0), elem_id="pamong-fork", scale=1, min_width=160)
            fork_status = gr.Markdown("", elem_id="pamong-fork-status")
        with gr.Accordion(t("transcript_fold", lang0), open=False, elem_id="pamong-transcript-box") as transcript_box:
            transcript = gr.HTML("", elem_id="pamong-transcript")
        with gr.Accordion(t("json_fold", lang0), open=False) as json_box:
            json_file = gr.DownloadButton(t("json_download", lang0), elem_id="pamong-json", size="sm")

    relabel += [(intro, "choose_intro", "value"), (skill, "filter_skill", "label"),
                (level, "filter_difficulty", "label"), (conv_lang, "conversation_lang", "label"),
                (exam, "exam_mode", "label"), (exam, "exam_mode_info", "info"), (resume_box, "resume", "label"), (pick, "resume_pick", "label"),
                (typed_id, "resume_id", "label"), (resume, "resume", "value"), (chat, "chat", "label"),
                (msg, "your_turn", "label"), (msg, "your_turn_ph", "placeholder"), (send, "send", "value"),
                (end, "end", "value"), (leave, "new_session", "value"), (options_box, "options", "label"),
                (show_hint, "show_hint", "label"), (show_thermo, "show_thermo", "label"),
                (download, "downloads", "label"), (submit, "submit", "value"), (again, "new_session", "value"),
                (confirm_text, "submit_confirm", "value"), (confirm_yes, "submit_yes", "value"),
                (confirm_no, "submit_no", "value"), (fork_help, "fork_help", "value"),
                (fork_turn, "fork_turn", "label"), (fork, "fork", "value"),
                (transcript_box, "transcript_fold", "label"), (json_box, "json_fold", "label"),
                (json_file, "json_download", "label"),
                (conv_lang, lambda lg: [(t("lang_id", lg), "id"), (t("lang_en", lg), "en")], "choices"),
                (skill, lambda lg: [(t("any", lg), "")] + [(t(k, lg), k) for k in skills], "choices"),
                (level, lambda lg: [(t("any", lg), "")] + [(t(k, lg), k) for k in ("easy", "medium", "hard")],
                 "choices")]
    for p, html_, btn in zip(personas, card_html, card_btns, strict=True):
        relabel += [(html_, functools.partial(logic.card_html, p), "value"), (btn, "start_card", "value")]

    # ------------------------------------------------------------------ filters
    def on_filter(sk, lv, ui):
        shown = [logic.card_visible(p, sk, lv) for p in personas]
        return [gr.update(visible=v) for v in shown] + [t("no_cards", ui) if not any(shown) else ""]

    for comp in (skill, level):
        comp.change(on_filter, [skill, level, ui_lang], card_cols + [no_cards], api_visibility="private")

    # ------------------------------------------------------------------ opening a session (start, resume, fork)
    views = [choose_view, talk_view, report_view]
    clean = [report, transcript, report_status, submit_status, confirm_row, download, json_file, submit]

    def clean_values():  # a new session, a fork or a resumed one starts with nothing of the last report
        return ["", "", "", "", gr.update(visible=False), gr.update(value=None), gr.update(value=None),
                gr.update(interactive=True)]

    def talk_values(st: Practice, ui: str, note: str):
        p = st.session.persona
        thermo_html = logic.thermometer_html(st.session.state, ui) if st.session.states else ""
        return [st, gr.update(visible=False), gr.update(visible=True), gr.update(visible=False),
                logic.chat_messages(st.session), f"### {t('talk_with', ui, persona=p.display_name(ui))}",
                logic.brief_html(p, ui, logic.short_code(st.session.id)), note, "", thermo_html,
                gr.update(interactive=not st.ended, value=""), gr.update(interactive=not st.ended),
                gr.update(interactive=not st.ended), _fork_update(st, ui), *clean_values()]

    open_outputs = [state, *views, chat, talk_title, brief, status, hint, thermo, msg, send, end, fork_turn, *clean]

    def start_for(persona_id):
        def on_start(user_name, lang, is_exam, ui, request: gr.Request):
            try:
                user = _user(ctx, request, user_name)
                st = logic.start_session(ctx, Practice(), user=user, persona_id=persona_id, lang=lang)
            except SimulatorError as exc:
                return [gr.skip()] * len(open_outputs) + [logic.message(exc, ui), gr.skip(), gr.skip()]
            note = t("started", ui, persona=st.session.persona.display_name(ui))  # as in the title beside it
            return talk_values(st, ui, note) + ["", gr.update(value=not is_exam), gr.update(value=not is_exam)]
        on_start.__name__ = f"start_{persona_id}"
        return on_start

    start_outputs = open_outputs + [choose_status, show_hint, show_thermo]
    for p, btn in zip(personas, card_btns, strict=True):
        btn.click(start_for(p.id), [name, conv_lang, exam, ui_lang], start_outputs,
                  api_visibility="private").then(
            None, None, None, js=FOCUS_MSG)

    # the HTTP API's /start takes the persona id (tests and scripts); the cards call their own handlers
    def api_start(user_name, persona_id, lang, ui, request: gr.Request):
        return start_for(persona_id)(user_name, lang, False, ui, request)

    hidden_persona = gr.Textbox(visible=False, elem_id="pamong-api-persona")
    gr.Button(visible=False).click(api_start, [name, hidden_persona, conv_lang, ui_lang], start_outputs,
                                   api_name="start")

    # ------------------------------------------------------------------ talking
    def on_send(text, st: Practice, want_hint, want_thermo, is_exam, ui, request: gr.Request):
        if st.session is not None and ctx.auth:  # without login the tab's own State is the only owner there is
            try:
                if _user(ctx, request, st.owner) != st.owner:  # defence in depth: gr.State is per tab anyway
                    raise SessionNotFound("This session belongs to someone else.")
            except SimulatorError as exc:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), logic.message(exc, ui), gr.skip()
                return
        base = logic.chat_messages(st.session)
        try:
            result = None
            streams = getattr(st.session.voice, "name", "scripted") != "scripted" if st.session else False
            for item in logic.take_turn(ctx, st, text):
                if isinstance(item, str):
                    if not streams:  # the scripted voice answers at once: one update, not two
                        continue
                    shown = logic.chat_messages(st.session)
                    if shown and shown[-1]["role"] == "user":
                        shown.append({"role": "assistant", "content": logic.chat_escape(item)})
                    yield shown, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
                else:
                    result = item
        except SimulatorError as exc:
            yield base if st.session is None else logic.chat_messages(st.session), gr.skip(), gr.skip(), \
                gr.skip(), logic.message(exc, ui), gr.skip()
            return
        notes = []
        if st.notice:
            notes.append(t(st.notice, ui))
        if result is not None and result.notice:
            notes.append(logic.md_escape(result.notice))
        if st.recorder is not None and st.recorder.error is not None:
            notes.append(t("not_saved", ui, error=str(st.recorder.error)))
        st.last_reading = getattr(result, "reading", None)
        hint_text = _hint_text(st, ui) if want_hint and not is_exam else ""
        thermo_html = logic.thermometer_html(st.session.state, ui) if want_thermo and not is_exam else ""
        yield (logic.chat_messages(st.session), "", hint_text, thermo_html, "\n\n".join(notes),
               _fork_update(st, ui))

    def on_send_once(text, st: Practice, want_hint, want_thermo, is_exam, ui, request: gr.Request):
        """The same turn as one plain call, for a voice that does not stream (the scripted coachee answers at
        once): Gradio then runs no generator machinery and sends one message, not a partial and a final."""
        out = None
        for out in on_send(text, st, want_hint, want_thermo, is_exam, ui, request):  # noqa: B007
            pass
        return out

    streams = getattr(ctx.voice_factory(), "name", "scripted") != "scripted"
    send_fn = on_send if streams else on_send_once
    # Not `state`: a turn changes the tab's Practice in place (take_turn), so there is nothing to store back, and
    # storing it would make Gradio rebuild the State's config on every turn.
    send_outputs = [chat, msg, hint, thermo, status, fork_turn]
    send_inputs = [msg, state, show_hint, show_thermo, exam, ui_lang]
    send_fn = processed_in_call(send_fn, send_inputs, send_outputs)  # the hot path: one thread hop, not 12
    send.click(send_fn, send_inputs, send_outputs, api_name="send", preprocess=False, postprocess=False)
    msg.submit(send_fn, send_inputs, send_outputs, api_visibility="private", preprocess=False, postprocess=False)

    def on_toggle(st: Practice, want_hint, want_thermo, is_exam, ui):
        if st.session is None:
            return "", ""
        return (_hint_text(st, ui) if want_hint and not is_exam else "",
                logic.thermometer_html(st.session.state, ui) if want_thermo and not is_exam else "")

    for box in (show_hint, show_thermo):
        box.input(on_toggle, [state, show_hint, show_thermo, exam, ui_lang], [hint, thermo],
                  api_visibility="private")

    # ------------------------------------------------------------------ ending: the report view
    def render_report(st: Practice, ui: str) -> str:
        s = st.session
        info_created = getattr(s, "created", None)
        meta = logic.report_meta(ctx, st.owner, s.persona.id, info_created, ui)
        return logic.report_html(st.evaluation, ui, states=s.states, meta=meta)

    def on_end(st: Practice, ui):
        try:
            if st.evaluation is None or not st.ended:
                logic.end_session(ctx, st)
            st.ended = True
            s = st.session
            meta = logic.report_meta(ctx, st.owner, s.persona.id, None, ui)
            paths = logic.write_reports(ctx, s.id, st.evaluation, ui, states=s.states, meta=meta)
        except SimulatorError as exc:
            return [gr.skip(), logic.message(exc, ui)] + [gr.skip()] * 12
        return (st, "", render_report(st, ui), t("submitted", ui) if st.submitted else t("ended", ui),
                logic.transcript_html(s.turns, ui),
                gr.update(visible=False), gr.update(visible=False), gr.update(visible=True),
                gr.update(value=paths[0]), gr.update(value=paths[1]),
                gr.update(interactive=not st.submitted), _fork_update(st, ui),
                gr.update(interactive=False), gr.update(interactive=False))

    # API clients see these without the State: [status, report, report_status, transcript, ...]
    end_outputs = [state, status, report, report_status, transcript, *views, download, json_file, submit, fork_turn,
                   msg, send]
    end.click(on_end, [state, ui_lang], end_outputs, api_name="end").then(None, None, None, js=TO_TOP)

    def to_choose(ui):
        return gr.update(visible=True), gr.update(visible=False), gr.update(visible=False), Practice(), ""

    for btn in (leave, again):
        btn.click(to_choose, [ui_lang], [*views, state, choose_status], api_visibility="private").then(
            None, None, None, js=TO_TOP)

    # ------------------------------------------------------------------ fork and resume open the talk view, clean
    def on_fork(choice, st: Practice, ui):
        try:
            if choice is None:
                raise SimulatorError("need_turns")
            new = logic.fork_session(ctx, st, int(choice))
        except (SimulatorError, ValueError) as exc:
            return [gr.skip()] * len(open_outputs) + [logic.message(exc, ui)]
        return talk_values(new, ui, t("forked", ui, n=int(choice) + 1)) + [""]

    fork.click(on_fork, [fork_turn, state, ui_lang], open_outputs + [fork_status], api_name="fork").then(
        None, None, None, js=FOCUS_MSG)

    def on_resume(picked, typed, user_name, ui, request: gr.Request):
        try:
            user = _user(ctx, request, user_name)
            sid = (typed or "").strip() or (picked or "")
            if not sid:
                raise SimulatorError("need_session")
            st = logic.resume_session(ctx, user=user, session_id=sid)
        except SimulatorError as exc:
            return [gr.skip()] * len(open_outputs) + [logic.message(exc, ui)]
        return talk_values(st, ui, t("resumed", ui, n=len(st.session.turns))) + [""]

    resume.click(on_resume, [pick, typed_id, name, ui_lang], open_outputs + [resume_status], api_name="resume").then(
        None, None, None, js=FOCUS_MSG)

    def on_refresh(user_name, ui, request: gr.Request):
        try:
            user = _user(ctx, request, user_name)
        except SimulatorError:
            return gr.update(choices=[], value=None), ""
        infos = ctx.store.list_sessions(viewer=user, unfinished=True)

        def title(pid):
            return ctx.personas[pid].title(ui) if pid in ctx.personas else pid

        choices = [(f"{logic.format_date(i.updated, ui)} {i.updated[11:16]} · {title(i.persona_id)} · "
                    f"{logic.short_code(i.id)}", i.id) for i in infos]
        return (gr.update(choices=choices, value=choices[0][1] if choices else None),
                "" if choices else t("resume_none", ui))

    name.blur(on_refresh, [name, ui_lang], [pick, resume_status], api_name="unfinished")

    # ------------------------------------------------------------------ submit, with a confirmation
    def ask_submit(st: Practice, ui):
        if st.session is None or st.evaluation is None:
            return gr.skip(), t("end_first", ui)
        return gr.update(visible=True), ""

    submit.click(ask_submit, [state, ui_lang], [confirm_row, submit_status], api_visibility="private")
    confirm_no.click(lambda: gr.update(visible=False), None, [confirm_row], api_visibility="private")

    def on_submit(st: Practice, ui):
        try:
            if st.session is None:
                raise SimulatorError("need_session")
            if st.evaluation is None:
                logic.end_session(ctx, st)
            ctx.store.submit(st.session.id, owner=st.owner)
            st.session.recorder = None
            st.submitted = st.ended = True
        except SimulatorError as exc:
            return st, logic.message(exc, ui), gr.skip(), gr.skip()
        return st, t("submitted", ui), gr.update(visible=False), gr.update(interactive=False)

    confirm_yes.click(on_submit, [state, ui_lang], [state, submit_status, confirm_row, submit],
                      api_name="submit")

    # ------------------------------------------------------------------ a language switch re-renders what is shown
    def rerender(st: Practice, want_hint, want_thermo, is_exam, ui):
        if st.session is None:
            return [gr.skip()] * 8
        p = st.session.persona
        ended = st.evaluation is not None
        return (f"### {t('talk_with', ui, persona=p.display_name(ui))}",
                logic.brief_html(p, ui, logic.short_code(st.session.id)),
                _hint_text(st, ui) if want_hint and not is_exam else "",
                logic.thermometer_html(st.session.state, ui) if want_thermo and not is_exam and st.session.states
                else "",
                render_report(st, ui) if st.evaluation is not None else "",
                logic.transcript_html(st.session.turns, ui) if st.evaluation is not None else "",
                # the messages already on screen follow the language too
                (t("submitted", ui) if st.submitted else t("ended", ui)) if ended else gr.skip(),
                t("submitted", ui) if st.submitted else gr.skip())

    ui_lang.change(rerender, [state, show_hint, show_thermo, exam, ui_lang],
                   [talk_title, brief, hint, thermo, report, transcript, report_status, submit_status],
                   api_visibility="private")
    return {"on_load": [(on_refresh, [name, ui_lang], [pick, resume_status])] if ctx.auth else [],
            "start_for": start_for, "start_outputs": start_outputs, "inputs": [name, conv_lang, exam, ui_lang],
            "views": views}


def _hint_text(st: Practice, lang: str) -> str:
    """The live hint in the interface language, from the last coach turn's reading."""
    from simulator.reading.hints import hint_for

    if st.last_reading is None:
        return ""
    text = hint_for(st.last_reading, lang)
    return f"**{t('hint', lang)}:** {logic.md_escape(text)}" if text else ""
