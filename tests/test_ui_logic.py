"""The app's handlers without a browser: a whole practice session, reports, fork, resume, review with an
override, upload scoring, progress, escaping of hostile text, login rules and privacy between two users."""

from __future__ import annotations

import json
import re

import pytest

from simulator.config import load_settings
from simulator.errors import InputError, SimulatorError
from simulator.storage.store import SessionNotFound
from simulator.ui import auth, logic
from simulator.ui.context import build_context
from simulator.ui.logic import Practice

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]
GOOD = [
    "Selamat pagi, Bu. Apa yang ingin Ibu capai dari percakapan kita hari ini?",
    "Jadi Ibu merasa kewalahan dengan kelas itu. Apa yang paling Ibu harapkan berubah?",
    "Bagaimana Ibu melihat peran Ibu sendiri dalam situasi itu?",
    "Apa langkah pertama yang akan Ibu ambil minggu ini?",
]


@pytest.fixture
def ctx(data_dir):
    return build_context(load_settings(), knowledge=False)


def persona_id(ctx):
    return sorted(ctx.personas)[0]


def play(ctx, user="Ani", turns=GOOD, lang="id"):
    st = logic.start_session(ctx, Practice(), user=user, persona_id=persona_id(ctx), lang=lang)
    for text in turns:
        items = list(logic.take_turn(ctx, st, text))
        assert isinstance(items[-2], str) and items[-1].reply == items[-2]
    return st



def test_a_whole_session_gives_a_report_in_three_formats(ctx):
    st = play(ctx)
    assert [t.speaker for t in st.session.turns] == ["coach", "coachee"] * 4
    evaluation = logic.end_session(ctx, st)
    assert set(evaluation.scores) == {"presence", "active_listening", "powerful_questions", "overall"}
    meta = logic.report_meta(ctx, "Ani", st.session.persona.id, None, "id")
    paths = logic.write_reports(ctx, st.session.id, evaluation, "id", states=st.session.states, meta=meta)
    assert [p.rsplit(".", 1)[1] for p in paths] == ["html", "json"]  # the teacher's page first; no Markdown
    data = json.loads(open(paths[1], encoding="utf-8").read())
    assert data["scores"] == evaluation.scores
    printable = open(paths[0], encoding="utf-8").read()
    assert "Ani" in printable and st.session.persona.title("id") in printable and "data:image/svg+xml" in printable
    html_ = logic.report_html(evaluation, "id", states=st.session.states)
    assert 1 <= len(evaluation.improvements) <= 3 and html_.count("<h4>") == len(evaluation.improvements)
    assert f"{evaluation.dimensions['presence'].score}/4" in html_
    assert 'href="#pamong-turn-' in html_  # evidence links to the transcript's turn anchors
    info = ctx.store.info(st.session.id, "Ani")
    assert info.ended is not None and info.scores["overall"] == evaluation.overall
    rows = logic.state_rows(st.session.states, "en")
    assert {r["measure"] for r in rows} == {"Trust", "Openness", "Insight", "Ownership"}
    assert max(r["turn"] for r in rows) == 4


def test_hostile_text_is_shown_never_rendered(ctx):
    st = play(ctx, turns=HOSTILE)
    messages = logic.chat_messages(st.session)
    coach = [m["content"] for m in messages if m["role"] == "user"]
    for shown in coach:
        assert "<" not in shown and ">" not in shown and not re.search(r"(?<!\\)\]\(", shown)  # no link can form
    assert "&lt;script&gt;" in coach[0] and "\\[x\\](javascript" in coach[2]
    assert logic.chat_escape("Pagi, Bu. Apa (kira-kira) rencananya: kelas 8-B?") == \
        "Pagi, Bu. Apa (kira-kira) rencananya: kelas 8-B?"  # a copied message reads as it was typed
    transcript = logic.transcript_html(st.session.turns, "id")
    assert "<script>" not in transcript and "<img" not in transcript and "&lt;img src=x onerror" in transcript
    assert "<b>" not in logic.t("signed_in_as", "en", user="<b>x</b>", role="trainee").replace("**", "")
    from simulator.coachee.persona import Persona
    p = next(iter(ctx.personas.values()))
    evil = Persona.model_validate({**p.model_dump(), "scenario": {"id": HOSTILE[1], "en": HOSTILE[1]}})
    assert "<img" not in logic.cards_html({"x": evil}, "id")


def test_fork_starts_a_new_recorded_session_before_the_chosen_turn(ctx):
    st = play(ctx)
    choices = logic.coach_turn_choices(st.session)
    assert [c[1] for c in choices] == [0, 1, 2, 3] and choices[2][0].startswith("3. ")  # the trainee's 3rd turn
    new = logic.fork_session(ctx, st, 2)
    assert new.session.id != st.session.id and len(new.session.turns) == 4
    assert new.session.forked_from == {"session_id": st.session.id, "coach_turn": 2}
    list(logic.take_turn(ctx, new, "Apa yang Ibu rasakan saat itu?"))
    stored = ctx.store.session_dict(new.session.id, "Ani")
    assert len(stored["turns"]) == 6 and stored["forked_from"]["coach_turn"] == 2
    assert len(ctx.store.session_dict(st.session.id, "Ani")["turns"]) == 8  # the original is untouched


def test_resume_offers_unfinished_sessions_and_answers_a_pending_turn(ctx):
    st = play(ctx, turns=GOOD[:2])
    done = play(ctx, turns=GOOD[:1])
    logic.end_session(ctx, done)
    unfinished = ctx.store.list_sessions(viewer="Ani", unfinished=True)
    assert [i.id for i in unfinished] == [st.session.id]

    class Crash:  # the process dies during the model call: the coach turn is saved, the reply is not
        name = "crash"

        def say(self, **kwargs):
            raise KeyboardInterrupt

    st.session.voice = Crash()
    with pytest.raises(KeyboardInterrupt):
        list(logic.take_turn(ctx, st, GOOD[2]))
    assert len(ctx.store.session_dict(st.session.id, "Ani")["turns"]) == 5
    again = logic.resume_session(ctx, user="Ani", session_id=st.session.id)
    assert len(again.session.turns) == 6 and again.session.turns[-1].speaker == "coachee"
    assert len(ctx.store.session_dict(st.session.id, "Ani")["turns"]) == 6


def test_one_trainee_cannot_open_anothers_unsubmitted_session(ctx):
    st = play(ctx, user="Ani", turns=GOOD[:1])
    with pytest.raises(SessionNotFound):
        logic.resume_session(ctx, user="Budi", session_id=st.session.id)
    with pytest.raises(SessionNotFound):
        logic.review_open(ctx, viewer="Budi", role="facilitator", session_id=st.session.id, lang="id")
    assert logic.review_rows(ctx, viewer="Budi", role="facilitator") == []
    with pytest.raises(InputError, match="review_denied"):
        logic.review_rows(ctx, viewer="Budi", role="trainee")


def test_facilitator_review_with_an_override_and_filters(ctx):
    st = play(ctx, user="Ani")
    evaluation = logic.end_session(ctx, st)
    ctx.store.submit(st.session.id, owner="Ani")
    rows = logic.review_rows(ctx, viewer="Fasil", role="facilitator", trainee="ani")  # any case, any part
    assert [r["id"] for r in rows] == [st.session.id] and rows[0]["row"][4] == f"{evaluation.overall}/4"
    assert rows[0]["row"][0] == st.session.id[:8] and rows[0]["row"][2] == st.session.persona.title("id")
    assert logic.review_rows(ctx, viewer="Fasil", role="facilitator", trainee="Budi") == []
    assert logic.review_rows(ctx, viewer="Fasil", role="facilitator", min_score=evaluation.overall + 1) == []
    today = rows[0]["row"][3]
    assert logic.review_rows(ctx, viewer="Fasil", role="facilitator", since="2000-01-01 00:00:00")
    with pytest.raises(InputError) as bad_date:
        logic.review_rows(ctx, viewer="Fasil", role="facilitator", since="kemarin")
    assert logic.message(bad_date.value, "id") == "'kemarin' bukan tanggal." and today
    view = logic.review_open(ctx, viewer="Fasil", role="facilitator", session_id=st.session.id, lang="en")
    assert ">open question<" in view["transcript"] and "review-turn-8" in view["transcript"]
    assert ("Presence", "presence") in view["criteria"]
    assert "pr-report" in view["report"] and "data:image/svg+xml" in view["report"]  # the trainee's report, with the chart
    with pytest.raises(InputError) as out_of_range:
        logic.review_override(ctx, viewer="Fasil", role="facilitator", session_id=st.session.id,
                              criterion="presence", score=7, comment="x")
    assert "1 sampai 4" in logic.message(out_of_range.value, "id")
    with pytest.raises(InputError) as no_comment:
        logic.review_override(ctx, viewer="Fasil", role="facilitator", session_id=st.session.id,
                              criterion="presence", score=2, comment="")
    assert logic.message(no_comment.value, "id").startswith("Tulis komentar")
    logic.review_override(ctx, viewer="Fasil", role="facilitator", session_id=st.session.id,
                          criterion="presence", score=2, comment="Terlalu cepat ke rencana")
    view = logic.review_open(ctx, viewer="Fasil", role="facilitator", session_id=st.session.id, lang="en")
    row = next(r for r in view["scores"] if r[0] == "Presence")
    assert row == ["Presence", evaluation.scores["presence"], 2.0, "Terlalu cepat ke rencana", "Fasil"]


def test_upload_scoring(ctx, tmp_path):
    good = tmp_path / "t.txt"
    good.write_text("Coach: Apa yang ingin Ibu bicarakan?\nCoachee: Kelas saya ramai sekali.\n"
                    "Coach: Jadi kelasnya ramai. Bagaimana Ibu ingin kelas itu berjalan?\nCoachee: Lebih tenang.\n",
                    encoding="utf-8")
    transcript, evaluation = logic.score_upload(ctx, str(good))
    assert len(transcript.turns) == 4 and 1 <= evaluation.overall <= 4
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        logic.score_upload(ctx, str(bad))
    with pytest.raises(InputError):
        logic.score_upload(ctx, None)


def test_progress_and_the_next_persona_trains_the_weakest_skill(ctx):
    assert logic.suggest_next(ctx, "Ani", "en") == (logic.t("no_progress", "en"), None)
    st = play(ctx, user="Ani")
    evaluation = logic.end_session(ctx, st)
    rows = logic.progress_rows(ctx, "Ani", "en")
    assert len(rows) == 1 and rows[0][3:] == [evaluation.scores[k] for k in ("overall", *logic.DIMENSIONS)]
    assert logic.progress_columns("en")[3:] == ["Overall", "Presence", "Active listening", "Powerful questions"]
    assert logic.progress_charts(rows, "en").count("data:image/svg+xml") == 4  # a plot per measure
    weakest = min(logic.DIMENSIONS, key=lambda k: (evaluation.scores[k], logic.DIMENSIONS.index(k)))
    text, pid = logic.suggest_next(ctx, "Ani", "en")
    named = [p for p in ctx.personas.values() if f"**{logic.md_escape(p.title('en'))}**" in text]
    assert len(named) == 1 and named[0].id == pid
    assert ctx.identity(None, "ani") == ("Ani", "facilitator")  # the same trainee, however the name is typed
    if len({evaluation.scores[k] for k in logic.DIMENSIONS}) == 1:  # level skills: none is named weakest
        assert "no single one is weakest" in text
    else:
        assert weakest in named[0].skills and logic.t(weakest, "en") in text


def test_identity_local_and_with_login(ctx, tmp_path):
    assert ctx.identity(None, "  Ani  ") == ("Ani", "facilitator")
    with pytest.raises(InputError):
        ctx.identity(None, "   ")
    users_file = tmp_path / "users.yaml"
    users_file.write_text(f"- {{username: ani, password_hash: '{auth.hash_password('pw1')}', role: trainee}}\n"
                          "- {username: fasil, password: pw2, role: facilitator}\n", encoding="utf-8")
    users = auth.load_users(str(users_file), env="")
    check = auth.authenticator(users)
    assert check("ani", "pw1") and not check("ani", "pw2") and check("fasil", "pw2") and not check("x", "pw1")
    ctx.users = {u.username: u.role for u in users.values()}
    assert ctx.identity("ani", "fasil") == ("ani", "trainee")  # what was typed is ignored
    with pytest.raises(InputError):
        ctx.identity(None, "ani")
    env_users = auth.load_users(None, env="ani:p:a:ss:trainee,budi:x:facilitator,cici:y")
    assert {u: (v.role, v.password) for u, v in env_users.items()} == {
        "ani": ("trainee", "p:a:ss"), "budi": ("facilitator", "x"), "cici": ("trainee", "y")}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {username: x, role: boss, password: y}\n", encoding="utf-8")
    with pytest.raises(InputError, match="role 'boss'"):
        auth.load_users(str(bad), env="")


def test_serving_beyond_localhost_requires_login(data_dir, monkeypatch):
    from simulator.ui import launch

    monkeypatch.delenv("PAMONG_USERS", raising=False)
    monkeypatch.delenv("PAMONG_AUTH_FILE", raising=False)
    with pytest.raises(SimulatorError, match="requires login"):
        launch(load_settings(host="0.0.0.0"), knowledge=False)
    auth.check_login_config("127.0.0.1", None)  # local: fine


def test_errors_become_one_clear_line(ctx):
    st = Practice()
    result, error = logic.safe(lambda: list(logic.take_turn(ctx, st, "halo")), "en")
    assert result is None and error == logic.t("need_session", "en")
    st = play(ctx, turns=[])
    _, error = logic.safe(lambda: list(logic.take_turn(ctx, st, "   ")), "en")
    assert error == logic.t("empty_turn", "en")  # in the interface language
    _, error = logic.safe(logic.end_session, "en", ctx, st)
    assert error == logic.t("need_turns", "en")


def test_a_streaming_voice_streams_and_the_store_keeps_the_whole_reply(ctx):
    from simulator.coachee.voices import ScriptedVoice

    class Streaming(ScriptedVoice):
        name = "streaming"

        def stream(self, **kwargs):
            text = self.say(**kwargs).text
            for i in range(0, len(text), 7):
                yield text[i:i + 7]

    ctx.voice_factory = Streaming
    st = logic.start_session(ctx, Practice(), user="Ani", persona_id=persona_id(ctx), lang="id")
    items = list(logic.take_turn(ctx, st, GOOD[0]))
    partial = [i for i in items if isinstance(i, str)]
    assert len(partial) > 2 and all(b.startswith(a) for a, b in zip(partial, partial[1:], strict=False))
    stored = ctx.store.session_dict(st.session.id, "Ani")["turns"]
    assert stored[1]["text"] == partial[-1] and stored[1]["voice"] == "streaming"


def test_the_app_starts_when_retrieval_is_unavailable(data_dir, tmp_path):
    knowledge = tmp_path / "k"
    knowledge.mkdir()
    (knowledge / "a.md").write_text("# Judul\n\nIsi singkat tentang pertanyaan terbuka.\n", encoding="utf-8")
    data_dir.mkdir(parents=True)
    (data_dir / "chroma").write_text("not a folder", encoding="utf-8")  # the index cannot be opened
    ctx = build_context(load_settings(), knowledge=knowledge)
    assert ctx.searcher is None and "laporan tidak mengutip sumber" in ctx.index_note["id"]
    st = play(ctx, turns=GOOD[:3])
    ev = logic.end_session(ctx, st)
    assert ev.improvements and not any(im.passage for im in ev.improvements)  # feedback comes, without citations


def test_end_locks_the_chat_and_a_fork_or_new_session_starts_clean(ctx):
    st = play(ctx)
    logic.end_session(ctx, st)
    st.ended = True
    _, error = logic.safe(lambda: list(logic.take_turn(ctx, st, "Apa lagi, Bu?")), "id")
    assert error == logic.t("ended_locked", "id")
    new = logic.fork_session(ctx, st, 1)
    assert not new.ended and new.evaluation is None and len(new.session.turns) == 2
    items = list(logic.take_turn(ctx, new, "Bagaimana Ibu melihat kelas itu sekarang?"))
    assert items[-1].reply
    code = logic.short_code(st.session.id)
    assert len(code) == 8
    again = logic.resume_session(ctx, user="Ani", session_id=code)  # a short code opens the whole session
    assert again.session.id == st.session.id and again.ended


def test_the_report_a_teacher_reads(ctx):
    """No signal dump, raw Markdown or file path; three different improvements; quotes whole; rewrites open."""
    from simulator.evaluation.feedback import good_rewrite
    from simulator.evaluation.report import to_dict

    turns = ["Selamat pagi, Bu. Apa yang ingin Ibu bicarakan hari ini?",
             "Apakah Ibu sudah mencoba membuat aturan kelas?",
             "Sebaiknya Ibu buat aturan kelas saja. Mengapa Ibu tidak tegas? Apakah murid-murid tahu aturannya?",
             "Jadi Ibu merasa kewalahan. Apa yang paling Ibu harapkan berubah?"]
    st = play(ctx, turns=turns)
    evaluation = logic.end_session(ctx, st)
    kinds = [im.kind.split(":")[0].replace("missed_reflection", "rasa") for im in evaluation.improvements]
    titles = [im.title.id for im in evaluation.improvements]
    assert len(set(kinds)) == 3 and len(set(titles)) == 3
    for im in evaluation.improvements:
        assert good_rewrite(im.better, "id"), im.better
        assert im.quote in st.session.turns[im.turn_index].text
    for lang in ("id", "en"):
        html_ = logic.report_html(evaluation, lang, states=st.session.states)
        assert "(→" not in html_ and ".md" not in html_ and "**" not in html_ and "knowledge/" not in html_
        for key in logic.DIMENSIONS:
            d = to_dict(evaluation, lang)["dimensions"][key]
            assert f"{d['score']}/4 {d['level'][:1].upper() + d['level'][1:]}" in html_
    text = logic.report_html(evaluation, "id")
    assert "Kalimat ini berbentuk pertanyaan" in text  # "Apakah Ibu sudah mencoba…?" said to be advice, and why


def test_an_upload_shows_who_speaks_and_the_coach_can_be_swapped_in_one_step(ctx, tmp_path):
    """Speakers, the role each was given and why, before scoring; naming the other speaker as the coach reads the
    file again with the roles swapped, and the score follows."""
    upload = tmp_path / "rina-sari.txt"
    upload.write_text(
        "Rina: Selamat pagi, Bu Sari. Apa yang ingin Ibu bicarakan hari ini?\n"
        "Sari: Saya bingung dengan kelas 8B, mereka ramai sekali setiap siang dan saya merasa lelah.\n"
        "Rina: Jadi Ibu merasa lelah dengan kelas 8B. Apa yang paling Ibu harapkan berubah?\n"
        "Sari: Saya ingin mereka lebih tenang dan mau mendengarkan penjelasan saya.\n", encoding="utf-8")
    document = logic.read_upload(str(upload))
    assert [(s.label, s.role) for s in document.speakers] == [("Rina", "coach"), ("Sari", "coachee")]
    shown = logic.document_html(document, "en")
    assert "Rina" in shown and ">coach<" in shown and "--coach" not in shown
    swapped = logic.read_upload(str(upload), coach="Sari")
    assert swapped.coach().label == "Sari" and swapped.transcript.turns[0].speaker == "coachee"
    first, second = logic.score_document(ctx, document), logic.score_document(ctx, swapped)
    assert first.turns[0].speaker == "coach" and second.turns[0].speaker == "coachee"
    assert logic.message(InputError("choose_file"), "en") == logic.t("choose_file", "en")
