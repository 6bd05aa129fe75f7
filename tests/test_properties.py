"""Property-based tests (hypothesis, issue 6): random Unicode into the classifier, the evaluator and the session
always comes out well formed. tests/test_reading_fuzz.py covers short random strings for read_turn; this file
adds long strings with control characters, whole random transcripts for every shipped rubric, the report
renderers, and random conversations with the scripted coachee (including the save/load round trip the store
relies on)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.coachee.persona import load_personas
from simulator.coachee.state import TIRTA_STAGES
from simulator.errors import InputError
from simulator.evaluation.report import to_html, to_json, to_markdown
from simulator.evaluation.rubric import DIMENSIONS, list_rubrics
from simulator.evaluation.scoring import evaluate
from simulator.evaluation.transcript import Transcript, Utterance
from simulator.reading.reader import ACTS, read_turn
from simulator.session import MAX_CHARS, Session

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any code point except surrogates (which a str from a real request cannot carry); control characters in.
UNICODE = st.characters(blacklist_categories=("Cs",))
CONTROL = st.characters(whitelist_categories=("Cc", "Cf", "Zl", "Zp", "Zs"))
COACHING = st.sampled_from([
    "Apa", "yang", "Ibu", "rasakan", "?", "Bagaimana", "kalau", "Ibu", "coba", "kenapa", "mengapa", "jadi",
    "Bapak", "sebaiknya", "kan", "ya", ",", ".", "What", "would", "you", "like", "why", "so", "you", "feel",
    "have", "you", "tried", "Pak", "Bu", "udah", "gimana", "nggak", "tujuan", "rencana", "langkah", "!",
])
MIXED = st.one_of(
    st.text(UNICODE, min_size=1, max_size=2000),
    st.text(st.one_of(UNICODE, CONTROL), min_size=1, max_size=300),
    st.lists(COACHING, min_size=1, max_size=40).map(" ".join),
)


# ------------------------------------------------------------------------------------------ the classifier


def check_reading(r, text):
    assert r.lang in ("id", "en")
    assert r.acts and set(r.acts) <= set(ACTS) and len(set(r.acts)) == len(r.acts)
    assert 0.0 <= r.keyword_overlap <= 1.0
    assert r.questions >= 0 and r.stacked == (r.questions > 1) and r.words >= 0
    assert r.tirta is None or r.tirta in TIRTA_STAGES
    for label, span in r.evidence:
        assert isinstance(label, str) and isinstance(span, str)
        if label in ("leading", "judgement", "forward"):  # spans cut from the coach's own text
            assert span.strip() in r.text, (label, span)
    json.dumps(r.to_dict())  # what the store writes


@FAST
@given(MIXED, st.text(UNICODE, max_size=2000), st.sampled_from(["auto", "id", "en"]))
def test_read_turn_long_and_control_text(text, before, lang):
    check_reading(read_turn(text, before, lang), text)


# ------------------------------------------------------------------------------------------ the evaluator

RUBRICS = {r.id: r for r in list_rubrics()}


@st.composite
def transcripts(draw):
    n = draw(st.integers(min_value=1, max_value=20))
    speakers = draw(st.lists(st.sampled_from(["coach", "coachee"]), min_size=n, max_size=n))
    speakers[draw(st.integers(0, n - 1))] = "coach"  # at least one coach turn
    turns = []
    for speaker in speakers:
        text = draw(MIXED.filter(lambda s: s.strip()))
        turns.append(Utterance(speaker, text))
    return Transcript(lang=draw(st.sampled_from(["id", "en"])), turns=turns)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts(), st.sampled_from(sorted(RUBRICS)))
def test_evaluator_scores_in_range_with_quotes_from_coach_turns(transcript, rubric_id):
    rubric = RUBRICS[rubric_id]
    evaluation = evaluate(transcript, rubric)
    top = rubric.max_level
    assert set(evaluation.scores) == {*DIMENSIONS, "overall"}
    for key, value in evaluation.scores.items():
        assert isinstance(value, int) and 1 <= value <= top, (key, value)
    coach = {i: t.text for i, t in enumerate(transcript.turns) if t.speaker == "coach"}
    quotes = [e for d in evaluation.dimensions.values() for e in d.evidence]
    quotes += [e for w in evaluation.went_well for e in w.evidence]
    quotes += [e for c in evaluation.criteria for e in c.evidence]
    for e in quotes:
        assert e.turn_index in coach, f"evidence points at turn {e.turn_index}, not a coach turn"
        assert e.quote and e.quote in coach[e.turn_index], (e.quote, coach[e.turn_index])
    assert len(evaluation.improvements) <= 3   # fewer rather than one that fits no turn
    for imp in evaluation.improvements:
        assert imp.turn_index in coach and imp.quote and imp.quote in coach[imp.turn_index]
        assert isinstance(imp.better, str)  # non-empty: see the regression test below
    s = evaluation.stats
    assert 0.0 <= s.coach_talk_share <= 1.0 and s.coach_turns == len(coach)
    # Every renderer takes it; no user text can break the JSON.
    assert json.loads(to_json(evaluation))["scores"] == evaluation.scores
    assert to_markdown(evaluation) and to_html(evaluation).startswith("<!DOCTYPE html>")


def test_stacked_improvement_offers_a_phrasing_even_without_a_question_mark():
    """Found by the property test above: when the stacked 'questions' had no sentence ending in '?', the
    'stacked' improvement's better phrasing was '' and the report said 'Better: “”'. Every improvement must
    offer a phrasing."""
    for text in ("A?.APA", "Apa?.Bagaimana?.Kenapa"):
        evaluation = evaluate(Transcript("id", [Utterance("coach", text)]))
        for imp in evaluation.improvements:
            assert imp.better.strip(), (text, imp.kind)


# ------------------------------------------------------------------------------------------ the session

PERSONAS = sorted(load_personas())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PERSONAS), st.sampled_from(["id", "en"]),
       st.lists(st.one_of(MIXED, st.text(CONTROL, max_size=5)), min_size=1, max_size=5))
def test_session_with_the_scripted_voice_stays_well_formed(persona_id, lang, messages):
    session = Session(persona_id, lang)
    for text in messages:
        before = len(session.turns)
        if not text.strip() or len(text) > MAX_CHARS:
            try:
                session.coach_says(text)
            except InputError as exc:
                assert str(exc) and "\n" not in str(exc)
                assert len(session.turns) == before
                continue
            raise AssertionError(f"{text!r} was accepted")
        result = session.coach_says(text)
        assert isinstance(result.reply, str) and result.reply.strip()
        assert result.notice is None  # the scripted voice never needs a fallback
        assert len(session.turns) == before + 2
        st_ = result.state
        for value in (st_.trust, st_.openness, st_.insight, st_.ownership):
            assert 0.0 <= value <= 1.0
        assert st_.stage in TIRTA_STAGES
        check_reading(result.reading, text)
    assert len(session.states) == session.coach_turns + 1
    # What the store saves and reloads is the same session, and replaying the readings gives the same states.
    data = json.loads(json.dumps(session.to_dict()))
    again = Session.from_dict(data)
    assert again.to_dict() == session.to_dict()
    assert again.replay_states() == session.states


def test_a_bare_question_mark_is_no_rewrite():
    # found by the property test above: "A? ?A?" led to a rewrite candidate "?" with no sentence in it
    from simulator.evaluation.feedback import good_rewrite
    assert good_rewrite("?", "id") is False and good_rewrite("  ?", "en") is False
