"""What the Progress tab tells a trainee (#13): a retry is shown as part of its original, and when the three
skills are level no single one is called the weakest. The retry list numbers the trainee's own turns."""

from __future__ import annotations

import pytest

from simulator.config import load_settings
from simulator.ui import logic
from simulator.ui.context import build_context
from simulator.ui.logic import Practice

TURNS = ["Selamat pagi, Bu. Apa yang ingin Ibu capai dari percakapan kita hari ini?",
         "Jadi Ibu merasa kewalahan dengan kelas itu. Apa yang paling Ibu harapkan berubah?",
         "Bagaimana Ibu melihat peran Ibu sendiri dalam situasi itu?"]


@pytest.fixture
def ctx(data_dir):
    return build_context(load_settings(), knowledge=False)


def play(ctx, st, turns):
    for text in turns:
        list(logic.take_turn(ctx, st, text))
    logic.end_session(ctx, st)
    return st


def test_a_retry_is_marked_as_part_of_its_original_and_numbered_in_the_trainees_turns(ctx):
    pid = sorted(ctx.personas)[0]
    st = play(ctx, logic.start_session(ctx, Practice(), user="Ani", persona_id=pid, lang="id"), TURNS)
    choices = logic.coach_turn_choices(st.session)
    assert [label.split(".")[0] for label, _ in choices] == ["1", "2", "3"]  # the trainee's turns, not 1, 3, 5
    retry = logic.fork_session(ctx, st, 1)
    play(ctx, retry, ["Apa yang membuat Ibu merasa begitu?"])
    rows = logic.progress_rows(ctx, "Ani", "en")
    assert len(rows) == 2
    title = ctx.personas[pid].title("en")
    assert rows[0][2] == title  # the original is plain
    assert rows[1][2] == logic.t("progress_retry_of", "en", title=title, n=1)  # the retry points to session 1


def test_level_skills_name_no_weakest(ctx, monkeypatch):
    pid = sorted(ctx.personas)[0]
    level = {"overall": 2.0, **{k: 2.0 for k in logic.DIMENSIONS}}
    monkeypatch.setattr(ctx.store, "progress", lambda user: [
        {"id": "s1", "persona_id": pid, "created": "2026-12-06T10:00:00", "status": "ended", "scores": level}])
    text, chosen = logic.suggest_next(ctx, "Ani", "en")
    assert chosen in ctx.personas
    assert not any(logic.t(k, "en") in text for k in logic.DIMENSIONS), text
    assert "weakest skill so far" not in text and "no single one is weakest" in text
    uneven = {**level, "active_listening": 1.0}
    monkeypatch.setattr(ctx.store, "progress", lambda user: [
        {"id": "s1", "persona_id": pid, "created": "2026-12-06T10:00:00", "status": "ended", "scores": uneven}])
    text, chosen = logic.suggest_next(ctx, "Ani", "en")
    assert logic.t("active_listening", "en") in text and "active_listening" in ctx.personas[chosen].skills
