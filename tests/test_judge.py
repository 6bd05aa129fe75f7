"""The optional LLM judge (simulator/evaluation/judge.py): typed, validated verdicts beside the deterministic scores.

Every model call goes through FakeChatModel (or the fake OpenAI-compatible server on 127.0.0.1), so the tests
assert on what the judge SENT as well as on what it did with the reply. The live test runs only when
PAMONG_LIVE_MODEL=1, and then really calls the configured model.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer

import simulator.evaluation.judge as judge_module
from simulator.config import load_settings
from simulator.errors import ModelError
from simulator.evaluation.judge import (
    DimensionVerdict,
    JudgedEvaluation,
    JudgeReply,
    LabelFix,
    LLMJudge,
    build_messages,
    judge_evaluation,
    judge_from_settings,
    judge_of,
    reply_schema,
    unusable_note,
)
from simulator.evaluation.report import judge_section_html, judge_section_markdown
from simulator.evaluation.rubric import DIMENSIONS, load_rubric
from simulator.evaluation.scoring import evaluate
from simulator.evaluation.transcript import load_transcript
from simulator.models.chat import FakeChatModel, OpenAIChatModel
from simulator.reading.reader import ACTS

CONVERSATIONS = Path(__file__).parent / "data" / "conversations"
SECRET = "sk-test-JudgeSecret0123456789"


@pytest.fixture(scope="module")
def session():
    transcript = load_transcript(CONVERSATIONS / "en_poor.txt")
    rubric = load_rubric("pamong-default")
    evaluation = evaluate(transcript, rubric)
    return transcript, rubric, evaluation


def coach_numbers(transcript) -> list[int]:
    return [i + 1 for i in transcript.coach_indices()]


def coachee_numbers(transcript) -> list[int]:
    return [i + 1 for i, t in enumerate(transcript.turns) if t.speaker == "coachee"]


def scores_apart(evaluation, top: int) -> dict[str, int]:
    """Judge scores 0, 1 and >= 2 levels from the automatic ones (whatever the evaluator gave)."""
    auto = {k: evaluation.dimensions[k].score for k in DIMENSIONS}
    return {
        "presence": auto["presence"],
        "active_listening": auto["active_listening"] + 1 if auto["active_listening"] < top else top - 1,
        "powerful_questions": top if auto["powerful_questions"] <= top - 2 else 1,
    }


def corrected_acts(evaluation, turn_number: int) -> list[str]:
    """A correction that really differs from the automatic reading of that turn (a no-op would be dropped)."""
    return ["advice"] if list(evaluation.turns[turn_number - 1].acts) != ["advice"] else ["other"]


def valid_reply(transcript, evaluation, top: int = 4, **changes) -> dict:
    coach = coach_numbers(transcript)
    scores = scores_apart(evaluation, top)
    reply = {
        "dimensions": {
            k: {"reason": f"The coach's turns on {k} (turn {coach[0]}) match level {scores[k]} of the rubric.",
                "score": scores[k], "evidence_turns": coach[:2]}
            for k in DIMENSIONS
        },
        "label_corrections": [
            {"turn": coach[0], "reason": "It criticises the coachee; it does not reflect what they said.",
             "acts": corrected_acts(evaluation, coach[0])},
        ],
        "improvements": [
            {"improvement": n, "feedback": f"Feedback {n}: this turn closed the coachee down. The better phrasing "
                                           "hands the thinking back. Use it whenever you feel the urge to fix."}
            for n in range(1, len(evaluation.improvements) + 1)
        ],
    }
    for path, value in changes.items():
        node = reply
        *head, last = path.split(".")
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return reply


# -- a valid reply ---------------------------------------------------------------------------------------------


def test_valid_reply_gives_typed_results_beside_the_automatic_scores(session):
    transcript, rubric, evaluation = session
    model = FakeChatModel(json.dumps(valid_reply(transcript, evaluation)))
    judged = judge_evaluation(evaluation, transcript, rubric, model, "en")

    assert isinstance(judged, JudgedEvaluation)
    assert len(model.history) == 1, "a valid reply needs no retry"
    expected = scores_apart(evaluation, rubric.max_level)
    coach = coach_numbers(transcript)
    for key in DIMENSIONS:
        d = judged.dimensions[key]
        assert d.score == expected[key]
        assert d.automatic == evaluation.dimensions[key].score
        assert d.reason.startswith(f"The coach's turns on {key}")
        assert d.evidence == [n - 1 for n in coach[:2]]  # 0-based indices, like scoring.Evidence
        assert d.level_name.en == rubric.level_name(expected[key]).en
    assert judged.dimensions["presence"].agreement == "agrees"
    assert judged.dimensions["active_listening"].agreement == "close"
    assert judged.dimensions["powerful_questions"].agreement == "differs"
    notes = judged.agreement_notes("en")
    assert len(notes) == 1 and notes[0].startswith("powerful_questions:") and "levels apart" in notes[0]
    # the deterministic evaluation is untouched
    assert evaluation.judged_by is None and evaluation.dimensions["presence"].score == expected["presence"]
    # corrections keep the automatic acts beside the judge's
    (fix,) = judged.corrections
    assert fix.turn_index == coach[0] - 1 and fix.acts == corrected_acts(evaluation, coach[0])
    assert fix.automatic == list(evaluation.turns[coach[0] - 1].acts)
    # one richer feedback text per improvement, tied to the improvement's own turn and quote
    assert [f.number for f in judged.feedback] == list(range(1, len(evaluation.improvements) + 1))
    for f, im in zip(judged.feedback, evaluation.improvements, strict=True):
        assert (f.turn_index, f.quote) == (im.turn_index, im.quote)
        assert f.text.startswith(f"Feedback {f.number}:")
    data = judged.to_dict("en")
    assert data["scores"]["presence"] == expected["presence"]
    assert data["automatic_scores"]["overall"] == evaluation.overall
    assert data["dimensions"]["presence"]["evidence_turns"] == coach[:2]  # 1-based, as the reports show turns


def test_the_prompt_carries_the_rubric_descriptors_and_numbered_coach_sentences(session):
    transcript, rubric, evaluation = session
    model = FakeChatModel(json.dumps(valid_reply(transcript, evaluation)))
    judge_evaluation(evaluation, transcript, rubric, model, "en")
    sent = model.last_prompt
    for key in DIMENSIONS:
        dim = rubric.dimensions[key]
        for level in range(1, rubric.max_level + 1):
            assert dim.levels[level].en in sent, f"level {level} descriptor of {key} missing"
        for criterion in dim.criteria:
            assert criterion.en in sent
    for i, turn in enumerate(transcript.turns):
        speaker = "Coach" if turn.speaker == "coach" else "Coachee"
        assert f"[{i + 1}] {speaker}: {turn.text}" in sent
    for view in evaluation.turns:
        if view.speaker == "coach":
            assert ", ".join(view.acts) in sent  # the automatic labels it is asked to check
    for key in DIMENSIONS:
        assert evaluation.dimensions[key].reason.en in sent
    for im in evaluation.improvements:
        assert im.quote in sent and im.better in sent
    assert "1, 3, 5, 7, 9, 11" in sent  # the coach turns it may cite
    assert "English" in model.history[-1][0]["content"]


def test_indonesian_prompt_uses_the_indonesian_descriptors():
    transcript = load_transcript(CONVERSATIONS / "id_pra_observasi_buruk.txt")
    rubric = load_rubric("pamong-default")
    evaluation = evaluate(transcript, rubric)
    messages = build_messages(evaluation, transcript, rubric, "id")
    text = "\n".join(m["content"] for m in messages)
    assert rubric.dimensions["presence"].levels[1].id in text
    assert rubric.dimensions["presence"].levels[1].en not in text
    assert "Indonesian" in messages[0]["content"]


def test_criteria_rubric_sends_its_checklist_and_has_no_weighted_overall(session):
    transcript, _, _ = session
    rubric = load_rubric("guru-penggerak-8")
    evaluation = evaluate(transcript, rubric)
    model = FakeChatModel(json.dumps(valid_reply(transcript, evaluation, top=rubric.max_level)))
    judged = judge_evaluation(evaluation, transcript, rubric, model, "en")
    for criterion in rubric.criteria:
        assert criterion.name.en in model.last_prompt
    assert judged.overall is None and judged.scores["overall"] is None


# -- reason before score -----------------------------------------------------------------------------------------


def test_reason_comes_before_score_in_the_schema_and_the_prompt(session):
    transcript, rubric, evaluation = session
    assert list(DimensionVerdict.model_fields) == ["reason", "score", "evidence_turns"]
    assert list(LabelFix.model_fields)[:2] == ["turn", "reason"]
    props = reply_schema(4)["$defs"]["DimensionVerdict"]["properties"]
    assert list(props) == ["reason", "score", "evidence_turns"]
    assert props["score"]["maximum"] == 4 and props["score"]["minimum"] == 1
    assert reply_schema(4)["$defs"]["LabelFix"]["properties"]["acts"]["items"]["enum"] == list(ACTS)
    user = build_messages(evaluation, transcript, rubric, "en")[1]["content"]
    schema_text = user[user.index('"DimensionVerdict"'):]
    assert schema_text.index('"reason"') < schema_text.index('"score"')


# -- malformed replies: one retry with the error, then ModelError ------------------------------------------------


def _fails_twice(session, bad: str, expected_in_error: str):
    transcript, rubric, evaluation = session
    model = FakeChatModel(bad, bad)
    with pytest.raises(ModelError) as info:
        judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert len(model.history) == 2, "exactly one retry"
    retry = model.history[1]
    assert retry[-2] == {"role": "assistant", "content": bad}
    assert expected_in_error in retry[-1]["content"], "the validation error is fed back"
    assert expected_in_error in str(info.value)
    assert "unusable after a retry" in str(info.value)
    return info.value


def test_out_of_range_score_is_retried_then_refused(session):
    transcript, _, evaluation = session
    bad = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.presence.score": 5}))
    _fails_twice(session, bad, "dimensions.presence.score: 5 is outside the scale 1-4")


def test_zero_score_is_refused(session):
    transcript, _, evaluation = session
    bad = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.active_listening.score": 0}))
    _fails_twice(session, bad, "dimensions.active_listening.score")


def test_non_json_reply_is_retried_then_refused(session):
    _fails_twice(session, "I think the coach did quite well overall, maybe a 3.", "no JSON object")


def test_broken_json_is_retried_then_refused(session):
    _fails_twice(session, '{"dimensions": {"presence": {"reason": "ok", "score": 3,', "not valid JSON")


def test_evidence_on_a_coachee_turn_is_retried_then_refused(session):
    transcript, _, evaluation = session
    coachee = coachee_numbers(transcript)[0]
    bad = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.presence.evidence_turns": [coachee]}))
    _fails_twice(session, bad, f"dimensions.presence.evidence_turns: {coachee} not coach turns")


def test_evidence_on_a_turn_that_does_not_exist_is_refused(session):
    transcript, _, evaluation = session
    bad = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.presence.evidence_turns": [99]}))
    _fails_twice(session, bad, "99 not coach turns")


def test_correction_on_a_coachee_turn_or_unknown_act_is_refused(session):
    transcript, _, evaluation = session
    coachee = coachee_numbers(transcript)[0]
    bad = json.dumps(valid_reply(transcript, evaluation, **{"label_corrections.0.turn": coachee}))
    _fails_twice(session, bad, f"label_corrections.0.turn: {coachee} is not a coach turn")
    bad = json.dumps(valid_reply(transcript, evaluation, **{"label_corrections.0.acts": ["lecture"]}))
    _fails_twice(session, bad, "label_corrections.0.acts.0")


def test_extra_keys_string_scores_and_placeholders_are_refused(session):
    transcript, _, evaluation = session
    extra = valid_reply(transcript, evaluation)
    extra["dimensions"]["presence"]["confidence"] = 0.9
    _fails_twice(session, json.dumps(extra), "dimensions.presence.confidence")
    text_score = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.presence.score": "3"}))
    _fails_twice(session, text_score, "dimensions.presence.score")
    placeholder = json.dumps(valid_reply(transcript, evaluation, **{
        "dimensions.presence.reason": "<presence: the reason first, quoting the coach's words with turn numbers>"}))
    _fails_twice(session, placeholder, "placeholder")


def test_missing_feedback_for_an_improvement_is_refused(session):
    transcript, _, evaluation = session
    assert len(evaluation.improvements) == 3
    reply = valid_reply(transcript, evaluation)
    reply["improvements"] = reply["improvements"][:2]
    _fails_twice(session, json.dumps(reply), "improvements: need exactly one entry for each of 1, 2, 3")


def test_a_bad_reply_then_a_good_one_succeeds(session):
    transcript, rubric, evaluation = session
    good = valid_reply(transcript, evaluation)
    model = FakeChatModel("Sure! Here is my assessment.", "Here it is:\n```json\n" + json.dumps(good) + "\n```\nThanks")
    judged = judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert len(model.history) == 2
    assert judged.dimensions["presence"].score == good["dimensions"]["presence"]["score"]


def test_a_failing_model_raises_at_once_without_a_default(session):
    transcript, rubric, evaluation = session
    model = FakeChatModel(ModelError("Cannot connect to the model server at http://127.0.0.1:9/v1; is it running?"))
    with pytest.raises(ModelError, match="Cannot connect"):
        judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert len(model.history) == 1


def test_other_exceptions_become_a_key_free_model_error(session):
    transcript, rubric, evaluation = session
    model = FakeChatModel(RuntimeError(f"boom with Authorization: Bearer {SECRET}"))
    with pytest.raises(ModelError) as info:
        judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert SECRET not in str(info.value) and "RuntimeError" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_transcript_too_long_for_the_prompt_is_refused_before_any_call(session, monkeypatch):
    import simulator.evaluation.judge as judge_module

    transcript, rubric, evaluation = session
    monkeypatch.setattr(judge_module, "MAX_PROMPT_TOKENS", 200)
    model = FakeChatModel(json.dumps(valid_reply(transcript, evaluation)))
    with pytest.raises(ModelError, match="too long for the judge"):
        judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert model.history == []


# -- the API key never appears in errors -------------------------------------------------------------------------


def test_api_key_never_appears_in_errors_through_the_real_client(session):
    transcript, rubric, evaluation = session
    with FakeOpenAIServer(mode="http401") as server:
        model = OpenAIChatModel(model="fake-model", base_url=server.base_url, api_key=SECRET, max_retries=0)
        with pytest.raises(ModelError) as info:
            judge_evaluation(evaluation, transcript, rubric, model, "en")
        sent = {k.lower(): v for k, v in server.headers[-1].items()}
        assert sent["authorization"] == f"Bearer {SECRET}"  # the key was really sent
    assert SECRET not in str(info.value) and "401" in str(info.value)

    # an unusable reply that quotes the key: the error names the problem, never the key
    bad = json.dumps(valid_reply(transcript, evaluation, **{"dimensions.presence.score": 7,
                                                            "dimensions.presence.reason": f"key is {SECRET}"}))
    with FakeOpenAIServer(reply=bad) as server:
        model = OpenAIChatModel(model="fake-model", base_url=server.base_url, api_key=SECRET, max_retries=0)
        with pytest.raises(ModelError) as info:
            judge_evaluation(evaluation, transcript, rubric, model, "en")
        assert server.hits == 2
    assert "outside the scale" in str(info.value) and SECRET not in str(info.value)
    note = unusable_note(info.value)
    assert SECRET not in note.en and SECRET not in note.id and "outside the scale" in note.en
    assert note.en.startswith("The judge model's answer was unusable (dimensions.presence.score: 7")
    assert "SECRET" not in repr(model).upper() and SECRET not in repr(LLMJudge(model))


def test_a_valid_reply_through_the_fake_openai_server(session):
    transcript, rubric, evaluation = session
    good = json.dumps(valid_reply(transcript, evaluation))
    with FakeOpenAIServer(reply=good) as server:
        model = OpenAIChatModel(model="fake-model", base_url=server.base_url, api_key=SECRET, max_retries=0)
        judged = judge_evaluation(evaluation, transcript, rubric, model, "en")
        body = server.requests[-1]
    assert judged.model == "fake-model"
    assert body["messages"][0]["role"] == "system" and "[1] Coach:" in body["messages"][1]["content"]


# -- the Judge protocol, settings and the report sections --------------------------------------------------------


def test_refine_keeps_the_deterministic_result_and_attaches_the_judge(session):
    transcript, rubric, evaluation = session
    judge = LLMJudge(FakeChatModel(json.dumps(valid_reply(transcript, evaluation)), name="judge-model"), rubric)
    refined = evaluate(transcript, rubric, judge=judge)
    assert refined.scores == evaluation.scores
    assert refined.judged_by == "judge-model"
    judged = judge_of(refined)
    assert judged is not None and judged.automatic_overall == evaluation.overall
    assert judge_of(evaluation) is None

    failing = LLMJudge(FakeChatModel("not json", "still not json"), rubric)
    with pytest.raises(ModelError):
        evaluate(transcript, rubric, judge=failing)


def test_wrong_rubric_is_refused(session):
    transcript, _, evaluation = session
    with pytest.raises(ModelError, match="rubric"):
        judge_evaluation(evaluation, transcript, "guru-penggerak-8", FakeChatModel("{}"), "en")


def test_judge_from_settings_needs_a_configured_model(data_dir):
    with pytest.raises(ModelError, match="OPENAI_API_KEY"):
        judge_from_settings(load_settings())
    with FakeOpenAIServer() as server:
        judge = judge_from_settings(load_settings(voice="scripted", openai_base_url=server.base_url))
        assert isinstance(judge.model, OpenAIChatModel) and judge.model.base_url == server.base_url


def test_report_sections_show_both_scores_and_escape_model_text(session):
    transcript, rubric, evaluation = session
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) and the coach's turn 1 judged Sam."
    reply = valid_reply(transcript, evaluation, **{"dimensions.presence.reason": hostile})
    judged = judge_evaluation(evaluation, transcript, rubric, FakeChatModel(json.dumps(reply), name="m1"), "en")
    auto = {k: evaluation.dimensions[k].score for k in DIMENSIONS}

    html_text = judge_section_html(judged, "en")
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text
    assert "Second opinion" in html_text and "m1" in html_text
    for key in DIMENSIONS:
        row = html_text[html_text.index(f"<td><a href=\"#{key}\">"):]
        row = row[: row.index("</tr>")]
        assert f"<td>{auto[key]} (" in row and f"<td>{judged.dimensions[key].score} (" in row
    assert "levels apart" in html_text

    md = judge_section_markdown(judged, "en")
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\[x\\]\\(javascript" in md
    assert f"| Presence | {auto['presence']} \\(" in md
    assert "Turn label corrections" in md and "Richer feedback" in md

    md_id = judge_section_markdown(judged, "id")
    assert "Penilaian kedua" in md_id and "Skor otomatis" in md_id


# -- opt-in live test ------------------------------------------------------------------------------------------


@pytest.mark.skipif(os.environ.get("PAMONG_LIVE_MODEL") != "1", reason="live model test: set PAMONG_LIVE_MODEL=1")
def test_live_judge_with_the_configured_model(session):
    transcript, rubric, evaluation = session
    judge = judge_from_settings(load_settings(), rubric)
    judged = judge.judge(evaluation, transcript)
    coach = set(transcript.coach_indices())
    for key in DIMENSIONS:
        d = judged.dimensions[key]
        assert 1 <= d.score <= rubric.max_level and d.reason and set(d.evidence) <= coach
    # the poor English session: advice, "why" and leading questions, no reflections
    assert judged.dimensions["presence"].score <= 2
    assert len(judged.feedback) == len(evaluation.improvements)
    assert JudgeReply  # the schema the reply was validated against


# -- a small context (a local server) ----------------------------------------------------------------------------


def test_the_reply_budget_fits_the_models_context_first_call_and_retry(session):
    from simulator.models import tokens

    transcript, rubric, evaluation = session
    good = json.dumps(valid_reply(transcript, evaluation))
    prompt = tokens.count_messages(judge_module.build_messages(evaluation, transcript, rubric, "en"))
    window = prompt + 1200  # room for the prompt but not for 1,800 reply tokens
    model = FakeChatModel("Sure! Here is my assessment. " + "blah " * 3000, good, context=window)
    judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert len(model.history) == 2
    for sent, call in zip(model.history, model.calls, strict=True):
        assert call["max_tokens"] >= judge_module.MIN_REPLY_TOKENS
        assert tokens.count_messages(sent) + call["max_tokens"] <= window, "the request would overflow"
    assert model.calls[0]["max_tokens"] < judge_module.MAX_TOKENS
    # Without a known context the full budget is asked for, as before.
    unknown = FakeChatModel(good)
    judge_evaluation(evaluation, transcript, rubric, unknown, "en")
    assert unknown.calls[0]["max_tokens"] == judge_module.MAX_TOKENS


def test_a_context_too_small_for_any_reply_is_refused_before_the_call(session):
    from simulator.models import tokens

    transcript, rubric, evaluation = session
    prompt = tokens.count_messages(judge_module.build_messages(evaluation, transcript, rubric, "en"))
    model = FakeChatModel("{}", context=prompt + 300)
    with pytest.raises(ModelError, match="too long for the judge model's context"):
        judge_evaluation(evaluation, transcript, rubric, model, "en")
    assert model.history == []
