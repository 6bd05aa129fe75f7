"""The Practice tab: choose a scenario, talk with the coachee, end -> report, fork, resume, submit.
Only wiring: every decision is in simulator.ui.logic, the Session and the store."""

from __future__ import annotations

import functools
import inspect

import gradio as gr
import pandas as pd

from ..errors import SimulatorError
from ..store import SessionNotFound
from . import logic
from .logic import AppContext, Practice, t


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


def _chart(states, lang: str) -> pd.DataFrame:
    return pd.DataFrame(logic.state_rows(states, lang), columns=["turn", "measure", "value"])


def build(ctx: AppContext, ui_lang: gr.Radio, relabel: list) -> list:
    """Lay out the tab; returns the (fn, inputs, outputs) to run when the page loads."""
    lang0 = "id"
    persona_choices = [(logic.persona_label(p, lang0), p.id) for p in ctx.personas.values()]
    state = gr.State(Practice())
    with gr.Row():
        name = gr.Textbox(label=t("your_name", lang0), max_lines=1, elem_id="pamong-name",
                          visible=not ctx.auth, scale=2)
        conv_lang = gr.Radio([("Bahasa Indonesia", "id"), ("English", "en")], value="id",
                             label=t("conversation_lang", lang0), elem_id="pamong-conv-lang", scale=1)
    persona = gr.Radio(persona_choices, label=t("scenario", lang0), elem_id="pamong-persona")
    cards = gr.HTML(logic.cards_html(ctx.personas, lang0), elem_id="pamong-cards")
    with gr.Row():
        show_hint = gr.Checkbox(value=True, label=t("show_hint", lang0), elem_id="pamong-show-hint")
        show_thermo = gr.Checkbox(value=True, label=t("show_thermo", lang0), elem_id="pamong-show-thermo")
        exam = gr.Checkbox(value=False, label=t("exam_mode", lang0), elem_id="pamong-exam")
    start = gr.Button(t("start", lang0), variant="primary", elem_id="pamong-start")
    with gr.Accordion(t("resume", lang0), open=False) as resume_box:
        with gr.Row():
            pick = gr.Dropdown([], label=t("resume_pick", lang0), elem_id="pamong-resume-pick", scale=3,
                               allow_custom_value=True)
            typed_id = gr.Textbox(label=t("resume_id", lang0), max_lines=1, elem_id="pamong-resume-id", scale=2)
        with gr.Row():
            refresh = gr.Button(t("refresh", lang0), elem_id="pamong-refresh")
            resume = gr.Button(t("resume", lang0), elem_id="pamong-resume")
    status = gr.Markdown("", elem_id="pamong-status")
    code = gr.Markdown("", elem_id="pamong-code")
    chat = gr.Chatbot(label=t("chat", lang0), elem_id="pamong-chat", height=380, sanitize_html=True,
                      render_markdown=True)
    with gr.Row():
        msg = gr.Textbox(label=t("your_turn", lang0), placeholder=t("your_turn_ph", lang0), max_lines=4,
                         elem_id="pamong-msg", scale=5)
        send = gr.Button(t("send", lang0), variant="primary", elem_id="pamong-send", scale=1)
    with gr.Row():
        hint = gr.Markdown("", elem_id="pamong-hint")
        thermo = gr.HTML("", elem_id="pamong-thermo")
    end = gr.Button(t("end", lang0), variant="stop", elem_id="pamong-end")
    report = gr.HTML("", elem_id="pamong-report")
    chart = gr.LinePlot(pd.DataFrame(columns=["turn", "measure", "value"]), x="turn", y="value", color="measure",
                        y_lim=[0, 1], label=t("state_chart", lang0), elem_id="pamong-chart")
    transcript = gr.HTML("", elem_id="pamong-transcript")
    files = gr.File(label=t("downloads", lang0), file_count="multiple", interactive=False, elem_id="pamong-files")
    with gr.Row():
        fork_turn = gr.Dropdown([], label=t("fork_turn", lang0), elem_id="pamong-fork-turn", scale=3,
                                allow_custom_value=True)
        fork = gr.Button(t("fork", lang0), elem_id="pamong-fork", scale=1)
        submit = gr.Button(t("submit", lang0), elem_id="pamong-submit", scale=1)

    relabel += [(name, "your_name", "label"), (conv_lang, "conversation_lang", "label"),
                (persona, "scenario", "label"), (show_hint, "show_hint", "label"),
                (show_thermo, "show_thermo", "label"), (exam, "exam_mode", "label"), (start, "start", "value"),
                (resume_box, "resume", "label"), (pick, "resume_pick", "label"), (typed_id, "resume_id", "label"),
                (refresh, "refresh", "value"), (resume, "resume", "value"), (chat, "chat", "label"),
                (msg, "your_turn", "label"), (send, "send", "value"), (end, "end", "value"),
                (chart, "state_chart", "label"), (files, "downloads", "label"), (fork_turn, "fork_turn", "label"),
                (fork, "fork", "value"), (submit, "submit", "value"),
                (cards, lambda lg: logic.cards_html(ctx.personas, lg), "value"),
                (persona, lambda lg: [(logic.persona_label(p, lg), p.id) for p in ctx.personas.values()],
                 "choices")]

    fresh = [gr.update(value=""), _chart([], "id"), gr.update(value=""), gr.update(value=None)]  # report..files

    def opened(st: Practice, lang: str, note_key: str, **values):
        return (st, logic.chat_messages(st.session), t(note_key, lang, **values),
                t("session_code", lang, id=st.session.id), _fork_update(st, lang),
                logic.thermometer_html(st.session.state, lang), "", *fresh)

    opened_outputs = [state, chat, status, code, fork_turn, thermo, hint, report, chart, transcript, files]

    def on_start(user_name, persona_id, lang, ui, request: gr.Request):
        try:
            user = _user(ctx, request, user_name)
            st = logic.start_session(ctx, Practice(), user=user, persona_id=persona_id, lang=lang)
        except SimulatorError as exc:
            return (gr.skip(), gr.skip(), logic.message(exc, ui), *[gr.skip()] * 8)
        return opened(st, ui, "started", persona=st.session.persona.display_name(st.lang))

    start.click(on_start, [name, persona, conv_lang, ui_lang], opened_outputs, api_name="start")

    def on_send(text, st: Practice, want_hint, want_thermo, is_exam, ui, request: gr.Request):
        if st.session is not None:
            try:
                if _user(ctx, request, st.owner) != st.owner:  # defence in depth: gr.State is per tab anyway
                    raise SessionNotFound("This session belongs to someone else.")
            except SimulatorError as exc:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), logic.message(exc, ui), gr.skip()
                return
        lang = st.lang if st.session else ui
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
                        shown.append({"role": "assistant", "content": logic.md_escape(item)})
                    yield shown, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
                else:
                    result = item
        except SimulatorError as exc:
            yield base if st.session is None else logic.chat_messages(st.session), gr.skip(), gr.skip(), \
                gr.skip(), logic.message(exc, lang), gr.skip()
            return
        notes = []
        if st.notice:
            notes.append(t(st.notice, lang))
        if result is not None and result.notice:
            notes.append(logic.md_escape(result.notice))
        if st.recorder is not None and st.recorder.error is not None:
            notes.append(t("not_saved", lang, error=str(st.recorder.error)))
        hint_text = ""
        if want_hint and not is_exam and result is not None and result.hint:
            hint_text = f"**{t('hint', lang)}:** " + logic.md_escape(result.hint)
        thermo_html = logic.thermometer_html(st.session.state, lang) if want_thermo and not is_exam else ""
        yield (logic.chat_messages(st.session), "", hint_text, thermo_html, "\n\n".join(notes),
               _fork_update(st, lang))

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

    def on_end(st: Practice, ui):
        lang = st.lang if st.session else ui
        try:
            evaluation = logic.end_session(ctx, st)
            paths = logic.write_reports(ctx, st.session.id, evaluation, lang)
        except SimulatorError as exc:
            return st, logic.message(exc, lang), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return (st, t("ended", lang), logic.report_html(evaluation, lang),
                _chart(st.session.states, lang), logic.transcript_html(st.session.turns, lang), paths)

    end.click(on_end, [state, ui_lang], [state, status, report, chart, transcript, files], api_name="end")

    def on_fork(choice, st: Practice, ui):
        lang = st.lang if st.session else ui
        try:
            if choice is None:
                raise SimulatorError("need_turns")
            new = logic.fork_session(ctx, st, int(choice))
        except (SimulatorError, ValueError) as exc:
            return (gr.skip(), gr.skip(), logic.message(exc, lang), *[gr.skip()] * 8)
        return opened(new, lang, "forked", n=int(choice) + 1)

    fork.click(on_fork, [fork_turn, state, ui_lang], opened_outputs, api_name="fork")

    def on_resume(picked, typed, user_name, ui, request: gr.Request):
        try:
            user = _user(ctx, request, user_name)
            sid = (typed or "").strip() or (picked or "")
            if not sid:
                raise SimulatorError("need_session")
            st = logic.resume_session(ctx, user=user, session_id=sid)
        except SimulatorError as exc:
            return (gr.skip(), gr.skip(), logic.message(exc, ui), *[gr.skip()] * 8)
        return opened(st, ui, "resumed", n=len(st.session.turns))

    resume.click(on_resume, [pick, typed_id, name, ui_lang], opened_outputs, api_name="resume")

    def on_refresh(user_name, ui, request: gr.Request):
        try:
            user = _user(ctx, request, user_name)
        except SimulatorError as exc:
            return gr.update(choices=[]), logic.message(exc, ui)
        infos = ctx.store.list_sessions(viewer=user, unfinished=True)
        def title(pid):
            return ctx.personas[pid].title(ui) if pid in ctx.personas else pid

        choices = [(f"{i.updated[:16].replace('T', ' ')} · {title(i.persona_id)} · {i.turns} · {i.id[:8]}", i.id)
                   for i in infos]
        return gr.update(choices=choices, value=choices[0][1] if choices else None), ""

    refresh.click(on_refresh, [name, ui_lang], [pick, status], api_name="unfinished")
    name.blur(on_refresh, [name, ui_lang], [pick, status], api_visibility="private")

    def on_submit(st: Practice, ui):
        lang = st.lang if st.session else ui
        try:
            if st.session is None:
                raise SimulatorError("need_session")
            if st.evaluation is None:
                logic.end_session(ctx, st)
            ctx.store.submit(st.session.id, owner=st.owner)
            st.session.recorder = None
        except SimulatorError as exc:
            return st, logic.message(exc, lang)
        return st, t("submitted", lang)

    submit.click(on_submit, [state, ui_lang], [state, status], api_name="submit")
    return [(on_refresh, [name, ui_lang], [pick, status])] if ctx.auth else []
