"""Rubric files and the evaluator: validation errors that name the field, signals from hand-built readings,
good conversations above poor ones on every dimension, evidence and improvements quoting the coach."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.errors import ContentError, InputError
from simulator.evaluation.rubric import DEFAULT_RUBRIC_ID, DIMENSIONS, RUBRICS_DIR, list_rubrics, load_rubric
from simulator.evaluation.scoring import evaluate, evaluate_readings
from simulator.evaluation.transcript import Transcript, Utterance, load_transcript
from simulator.reading.reader import Reading
from simulator.retrieval.search import Passage

CONV = Path(__file__).parent / "data" / "conversations"
PAIRS = [("id_pra_observasi_baik.txt", "id_pra_observasi_buruk.txt"),
         ("id_pasca_observasi_baik.json", "id_pasca_observasi_buruk.json"),
         ("en_good.txt", "en_poor.txt")]
ALL = [f for pair in PAIRS for f in pair]


# ---------------------------------------------------------------- rubric files


def test_every_shipped_rubric_loads():
    rubrics = {r.id: r for r in list_rubrics()}
    assert {DEFAULT_RUBRIC_ID, "guru-penggerak-8"} <= set(rubrics)
    for r in rubrics.values():
        assert set(r.dimensions) == set(DIMENSIONS)
        assert [lv.level for lv in r.scale] == [1, 2, 3, 4]
    assert rubrics[DEFAULT_RUBRIC_ID].level_name(1).en == "Needs guidance"
    assert rubrics[DEFAULT_RUBRIC_ID].level_name(4).id == "Mahir"
    assert len(rubrics["guru-penggerak-8"].criteria) == 8


def _default_data() -> dict:
    return yaml.safe_load((RUBRICS_DIR / f"{DEFAULT_RUBRIC_ID}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("mutate,field", [
    (lambda d: d["dimensions"]["presence"]["signals"][0].update(signal="vibes"), "dimensions.presence.signals.0.signal"),
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["dimensions"].pop("presence"), "dimensions"),
    (lambda d: d["dimensions"]["active_listening"]["signals"][0].update(thresholds=[1, 2]), "thresholds"),
    (lambda d: d["dimensions"]["active_listening"]["signals"][0].update(thresholds=[2, 1, 3]), "non-decreasing"),
    (lambda d: d["scale"][0]["name"].pop("en"), "scale.0.name.en"),
    (lambda d: d["settings"].update(why_counts_against="sometimes"), "settings.why_counts_against"),
    (lambda d: d["dimensions"]["presence"]["levels"].pop(4), "dimensions.presence.levels"),
])
def test_bad_rubric_names_the_file_and_field(tmp_path, mutate, field):
    data = _default_data()
    mutate(data)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_rubric(path)
    assert str(path) in str(exc.value) and field in str(exc.value)


def test_rubric_by_id_path_and_unknown(tmp_path):
    assert load_rubric("guru-penggerak-8").scoring == "criteria"
    data = _default_data()
    data["id"] = "facilitator-own"
    path = tmp_path / "own.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rubric(str(path)).id == "facilitator-own"
    with pytest.raises(ContentError, match="unknown rubric 'nope'"):
        load_rubric("nope")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="invalid YAML at line"):
        load_rubric(broken)


# ---------------------------------------------------------------- signals from hand-built readings


def R(text, *acts, **kw) -> Reading:
    questions = kw.pop("questions", sum(a.endswith("_question") for a in acts))
    return Reading(text=text, lang="id", acts=acts or ("other",), questions=questions, **kw)


def test_signals_from_readings_given_by_hand():
    t = Transcript("id", [
        Utterance("coach", "Apa yang ingin Ibu capai hari ini?"),
        Utterance("coachee", "Saya ingin siswa saya lebih aktif berdiskusi di kelas."),
        Utterance("coach", "Ibu ingin siswa lebih aktif berdiskusi."),
        Utterance("coach", "Apa yang sudah Ibu coba?"),
        Utterance("coachee", "Kerja kelompok, tapi hanya beberapa yang bicara. Saya khawatir."),
        Utterance("coach", "Sebaiknya Ibu pakai kartu giliran."),
        Utterance("coachee", "Baik."),
    ])
    readings = {0: R(t.turns[0].text, "open_question", tirta="tujuan"),
                2: R(t.turns[2].text, "reflection", key_words=("siswa", "aktif")),
                3: R(t.turns[3].text, "open_question"),
                5: R(t.turns[5].text, "advice")}
    ev = evaluate_readings(t, readings, DEFAULT_RUBRIC_ID)
    s = ev.signals
    assert s["goal_by_coachee"] == 1          # goal question answered by the coachee
    assert s["rasa_count"] == 1               # reflection, then a question in the next coach turn
    assert s["reflections_per_question"] == 0.5
    assert s["advice_count"] == 1 and s["open_share"] == 1.0
    assert ev.stats.open_closed == "2:0" and ev.stats.advice_count == 1
    assert ev.stats.tirta_stages == ["tujuan"]
    # the advice turn is the first improvement and is quoted
    assert ev.improvements[0].kind == "advice" and ev.improvements[0].turn_index == 5
    assert "pilihan" in ev.improvements[0].better
    with pytest.raises(InputError, match="no reading for coach turn"):
        evaluate_readings(t, {0: readings[0]}, DEFAULT_RUBRIC_ID)


def test_why_counts_against_is_a_rubric_setting(tmp_path):
    t = Transcript("id", [Utterance("coach", "Mengapa Ibu memilih ceramah?"), Utterance("coachee", "Karena cepat."),
                          Utterance("coach", "Mengapa itu penting?"), Utterance("coachee", "Waktunya sempit.")])
    readings = {0: R(t.turns[0].text, "why_question"), 2: R(t.turns[2].text, "why_question")}
    strict = evaluate_readings(t, readings, DEFAULT_RUBRIC_ID)
    data = _default_data()
    data["settings"]["why_counts_against"] = False
    path = tmp_path / "lenient.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lenient = evaluate_readings(t, readings, load_rubric(path))
    assert strict.signals["why_count"] == 2 and lenient.signals["why_count"] == 0
    assert lenient.dimensions["powerful_questions"].score > strict.dimensions["powerful_questions"].score
    assert "why" in {i.kind for i in strict.improvements}
    assert "why" not in {i.kind for i in lenient.improvements}


# ---------------------------------------------------------------- whole conversations


@pytest.fixture(scope="module")
def evaluations():
    return {name: evaluate(load_transcript(CONV / name)) for name in ALL}


@pytest.mark.parametrize("good,poor", PAIRS)
def test_good_conversations_score_above_poor_ones_on_every_dimension(evaluations, good, poor):
    g, p = evaluations[good].scores, evaluations[poor].scores
    for key in (*DIMENSIONS, "overall"):
        assert g[key] > p[key], (key, g, p)


@pytest.mark.parametrize("good,poor", PAIRS)
def test_programme_rubric_ranks_the_pairs_too(good, poor):
    g = evaluate(load_transcript(CONV / good), "guru-penggerak-8")
    p = evaluate(load_transcript(CONV / poor), "guru-penggerak-8")
    assert set(g.scores) == {*DIMENSIONS, "overall"}
    met_g, met_p = sum(c.met for c in g.criteria), sum(c.met for c in p.criteria)
    assert met_g > met_p and g.overall > p.overall
    # the count bands: 1-2 -> 1, 3-4 -> 2, 5-6 -> 3, 7-8 -> 4
    assert g.overall == {0: 1, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}[met_g]


@pytest.mark.parametrize("name", ALL)
def test_evidence_and_improvements_quote_the_coach(evaluations, name):
    ev = evaluations[name]
    transcript = load_transcript(CONV / name)
    coach = {i: u.text for i, u in enumerate(transcript.turns) if u.speaker == "coach"}
    quotes = [(e.turn_index, e.quote) for d in ev.dimensions.values() for e in d.evidence]
    quotes += [(e.turn_index, e.quote) for w in ev.went_well for e in w.evidence]
    assert quotes, "every report carries evidence"
    for index, quote in quotes + [(i.turn_index, i.quote) for i in ev.improvements]:
        assert index in coach and quote and quote in coach[index], (index, quote)
    assert 1 <= len(ev.improvements) <= 3
    for imp in ev.improvements:
        assert imp.better and imp.better != imp.quote
    assert ev.went_well


def test_poor_conversation_improvements_rewrite_the_real_problems(evaluations):
    ev = evaluations["id_pra_observasi_buruk.txt"]
    kinds = {i.kind: i for i in ev.improvements}
    assert "advice" in kinds and "why" in kinds
    assert kinds["why"].better.startswith("Apa yang membuat")
    assert "mengapa" not in kinds["why"].better.lower()
    assert kinds["advice"].better == "Apa saja pilihan yang sudah Ibu pikirkan?"
    en = {i.kind: i for i in evaluations["en_poor.txt"].improvements}
    assert "advice" in en and en["advice"].better == "What options have you already considered?"


def test_phrasing_rules():
    from simulator.evaluation.feedback import paraphrase, rephrase_closed, rephrase_why

    assert rephrase_closed("Apakah Ibu sudah mencoba kerja kelompok?", "id", "Ibu") == \
        "Sejauh mana Ibu sudah mencoba kerja kelompok?"
    assert rephrase_closed("Sudahkah Bapak membuat aturan?", "id", "Bapak") == "Sejauh mana Bapak sudah membuat aturan?"
    assert rephrase_closed("Have you tried group work?", "en", "you") == "What have you tried so far?"
    assert rephrase_why("Kenapa Ibu tidak memakai media?", "id", "Ibu") == "Apa yang membuat Ibu tidak memakai media?"
    assert rephrase_why("Why did you stop the lesson?", "en", "you") == "What led you to stop the lesson?"
    assert paraphrase("Saya lelah sekali dengan kelas saya.", "id", "Ibu") == "Ibu lelah sekali dengan kelas Ibu"
    assert paraphrase("I am tired of my class.", "en", "you") == "you are tired of your class"


def test_a_single_coach_turn_gets_only_the_lessons_that_fit_it():
    # (it used to get three, two of them "summarise first" and "name the feeling" with nothing said before it)
    t = Transcript("id", [Utterance("coach", "Apa yang ingin Ibu capai hari ini?"),
                          Utterance("coachee", "Saya ingin kelas lebih tenang.")])
    ev = evaluate(t)
    assert len(ev.improvements) <= 3
    assert all(i.turn_index == 0 and i.quote in t.turns[0].text for i in ev.improvements)
    assert not {i.kind for i in ev.improvements} & {"rasa", "feeling", "missed_reflection", "conclude"}
    assert len({i.kind for i in ev.improvements}) == len(ev.improvements)


class FakeSearcher:
    def __init__(self):
        self.queries = []

    def search(self, query, k=3, lang=None):
        self.queries.append((query, k, lang))
        return [Passage(text=f"Bacaan tentang {query}", source="knowledge/id/rasa.md", heading="RASA > Summarize",
                        lang=lang or "id", score=1.0, chunk_id=str(len(self.queries)))]


class BrokenSearcher:
    def search(self, query, k=3, lang=None):
        raise RuntimeError("index locked")


def test_improvements_cite_the_knowledge_store_and_survive_its_failure():
    t = load_transcript(CONV / "id_pra_observasi_buruk.txt")
    fake = FakeSearcher()
    ev = evaluate(t, searcher=fake)
    assert len(fake.queries) == 3 and all(k == 1 and lang == "id" for _, k, lang in fake.queries)
    assert all(i.passage and i.passage.cite == "knowledge/id/rasa.md § RASA > Summarize" for i in ev.improvements)
    broken = evaluate(t, searcher=BrokenSearcher())
    assert all(i.passage is None for i in broken.improvements)
    assert any("index locked" in n.en for n in broken.notes)
    assert broken.scores == ev.scores


def test_judge_hook_receives_the_evaluation():
    seen = []

    class Judge:
        def refine(self, evaluation, transcript):
            seen.append((evaluation.rubric_id, len(transcript.turns)))
            evaluation.judged_by = "fake"
            return evaluation

    t = load_transcript(CONV / "en_good.txt")
    ev = evaluate(t, judge=Judge())
    assert seen == [(DEFAULT_RUBRIC_ID, len(t.turns))] and ev.judged_by == "fake"


def test_evaluate_refuses_a_transcript_without_coach_turns():
    with pytest.raises(InputError, match="no coach turns"):
        evaluate(Transcript("id", [Utterance("coachee", "Halo")]))


@pytest.mark.parametrize("coach_text", ["🙂🙂", "???", "ok", "x" * 5000, "Apa? " * 300, "\u200b\u202e teks aneh",
                                        "Mengapa?", "Sebaiknya… ya?"])
def test_odd_coach_turns_still_give_a_well_formed_report(coach_text):
    from simulator.evaluation.report import to_html, to_json

    t = Transcript("id", [Utterance("coach", coach_text), Utterance("coachee", "Hmm 🤔 entahlah, Bu."),
                          Utterance("coach", coach_text)])
    ev = evaluate(t)
    assert set(ev.scores) == {*DIMENSIONS, "overall"} and all(1 <= v <= 4 for v in ev.scores.values())
    assert len(ev.improvements) <= 3
    assert all(i.quote in coach_text for i in ev.improvements)
    assert to_json(ev) and "</html>" in to_html(ev)
    if not ev.improvements:   # said, not left blank
        from html import escape

        from simulator.evaluation.report import _L
        assert escape(_L("improvements_none", "id")) in to_html(ev)


def test_signal_levels_are_linear_between_thresholds():
    """A signal earns its share of a step between two thresholds; counts on integer thresholds stay whole."""
    from simulator.evaluation.rubric import SignalRule

    rpq = SignalRule(signal="reflections_per_question", weight=1, better="higher", thresholds=[0.5, 1.0, 2.0])
    assert [rpq.level(v) for v in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 9.0)] == [1, 1.5, 2, 2.5, 3, 3.5, 4, 4]
    advice = SignalRule(signal="advice_share", weight=1, better="lower", thresholds=[0.2, 0.1, 0.02])
    assert advice.level(0.5) == 1 and advice.level(0.2) == 2 and advice.level(0.0) == 4
    assert advice.level(0.15) == pytest.approx(2.5)
    why = SignalRule(signal="why_count", weight=1, better="lower", thresholds=[2, 1, 0])
    assert [why.level(n) for n in (5, 3, 2, 1, 0)] == [1, 1, 2, 3, 4]
    feel = SignalRule(signal="feeling_reflections", weight=1, better="higher", thresholds=[1, 1, 2])
    assert [feel.level(n) for n in (0, 1, 2, 3)] == [1, 3, 4, 4]
    values = [x / 20 for x in range(0, 60)]
    for rule in (rpq, advice):  # monotone in the direction the rubric says is better
        levels = [rule.level(v) for v in values]
        pairs = list(zip(levels, levels[1:], strict=False))
        assert all(a <= b for a, b in pairs) if rule.better == "higher" else all(a >= b for a, b in pairs)


def test_evidence_quotes_the_sentence_that_shows_the_signal():
    """In "Mengapa…? Apakah…? Bagaimana…?" the open question is quoted as the Bagaimana sentence, the why as Mengapa."""
    t = Transcript(lang="id", turns=[
        Utterance("coachee", "Anak-anak di kelas saya pendiam sekali kalau diskusi."),
        Utterance("coach", "Mengapa yang bicara hanya anak-anak itu saja? Bagaimana Ibu mengaturnya?"),
        Utterance("coachee", "Saya bagi kelompok, tapi yang lain diam saja."),
    ])
    pq = evaluate(t).dimensions["powerful_questions"]
    quotes = {(e.positive, e.quote) for e in pq.evidence}
    assert any(pos and q == "Bagaimana Ibu mengaturnya?" for pos, q in quotes), quotes
    assert not any(pos and q.startswith("Mengapa") for pos, q in quotes), quotes


def test_forward_looking_means_a_question_about_what_comes_next():
    from simulator.reading.reader import read_turn

    assert read_turn("Apa yang ingin Ibu coba minggu depan?").forward
    assert not read_turn("Bu Dewi, minggu depan saya observasi kelas Ibu.").forward
    assert not read_turn("Jadi minggu depan Ibu pakai kartu giliran, kurangi ceramah. Apakah Ibu setuju?").forward


def test_what_went_well_is_never_invented():
    """A three-word "Oh, begitu, Bu." after a statement is no room given; with nothing to credit the list is empty."""
    t = Transcript(lang="id", turns=[
        Utterance("coach", "Bu, minggu depan saya observasi kelas Ibu."),
        Utterance("coachee", "Oh, begitu, Bu."),
        Utterance("coach", "Sebaiknya Ibu pakai kartu giliran saja."),
        Utterance("coachee", "Baik, Bu."),
    ])
    assert evaluate(t).went_well == []


def test_a_closing_question_is_not_faulted_for_skipping_the_coachees_words():
    t = Transcript(lang="en", turns=[
        Utterance("coach", "What would you like to get out of today?"),
        Utterance("coachee", "I want a plan for my Year 9 homework problem, because half the class hands in nothing."),
        Utterance("coach", "What have you taken away from our conversation today?"),
        Utterance("coachee", "That I should start small and ask the students what gets in the way."),
    ])
    ev = evaluate(t)
    assert not [i for i in ev.improvements if i.turn_index == 2 and i.kind == "missed_reflection"]
    al = ev.dimensions["active_listening"].evidence
    assert not [e for e in al if e.turn_index == 2 and not e.positive]


def test_timing_a_plan_reaches_the_responsibility_stage():
    from simulator.reading.reader import read_turn

    assert read_turn("What will you do first, and when?").tirta == "tanggung_jawab"
    assert read_turn("What will you do first?").tirta == "rencana"


def test_three_improvements_speak_of_different_turns_when_they_can(evaluations):
    for name, ev in evaluations.items():
        turns = [i.turn_index for i in ev.improvements]
        coach_turns = len([u for u in load_transcript(CONV / name).turns if u.speaker == "coach"])
        if coach_turns >= 3:
            # two lessons on one turn only when no third fits another turn: a good coach's turns already reflect,
            # and "what will you take away" belongs to the end (a closing question on turn 4 is no lesson)
            assert len(set(turns)) >= 2, (name, [(i.turn_index, i.kind) for i in ev.improvements])
            assert len({(i.turn_index, i.kind) for i in ev.improvements}) == 3
        assert not any("…." in i.better for i in ev.improvements)


def test_a_specific_appreciation_is_credited_with_the_praise_itself_as_evidence():
    """RASA's Appreciate: the praise sentence is quoted, not the deed described before it."""
    t = Transcript(lang="id", turns=[
        Utterance("coach", "Apa yang ingin Ibu bahas hari ini?"),
        Utterance("coachee", "Saya mau cerita soal kelas 7B. Kemarin saya coba bagi mereka jadi kelompok kecil."),
        Utterance("coach", "Ibu membagi kelas jadi kelompok kecil sesuai minat. Rapi sekali perencanaannya, Bu."),
        Utterance("coachee", "Terima kasih, Bu. Tapi masih ada yang ribut."),
    ])
    ev = evaluate(t)
    credit = [w for w in ev.went_well if w.note.en.startswith("You appreciated")]
    assert credit and credit[0].evidence[0].turn_index == 2
    assert credit[0].evidence[0].quote == "Rapi sekali perencanaannya, Bu."


@pytest.mark.parametrize("folder, n, pearson, within_one", [("rated", 12, 0.8, 11), ("rated_2", 14, 0.75, 12),
                                                         ("rated_3", 14, 0.75, 12)])
@pytest.mark.parametrize("dim", DIMENSIONS)
def test_scores_agree_with_a_trainers_blind_ratings_of_indonesian_conversations(dim, folder, n, pearson, within_one):
    """Conversations (good, poor and mixed profiles) written and rated 1-4 by trainer-authors who had not seen the
    evaluator (rated_3 was never read). Pamong must rank them as the trainer does and land within one level."""
    import statistics

    rated = CONV / folder
    ratings = yaml.safe_load((rated / "ratings.yaml").read_text(encoding="utf-8"))
    assert len(ratings) == n
    human, raw, score = [], [], []
    for name, r in sorted(ratings.items()):
        d = evaluate(load_transcript(rated / f"{name}.txt")).dimensions[dim]
        human.append(r[dim])
        raw.append(d.raw)
        score.append(d.score)
    assert statistics.correlation(human, raw) >= pearson, list(zip(human, raw, strict=True))
    assert sum(abs(h - s) <= 1 for h, s in zip(human, score, strict=True)) >= within_one, list(
        zip(human, score, strict=True))


def test_advice_put_as_a_question_counts_against_the_share_of_open_questions():
    t = Transcript(lang="id", turns=[
        Utterance("coach", "Apa yang ingin Ibu bahas hari ini?"),
        Utterance("coachee", "Kelas 8A ribut sekali setelah istirahat, saya kewalahan."),
        Utterance("coach", "Bagaimana kalau Ibu pakai kartu giliran?"),
        Utterance("coachee", "Mungkin, Bu."),
        Utterance("coach", "Sudah pernah coba papan poin kelompok, Bu?"),
        Utterance("coachee", "Belum."),
    ])
    ev = evaluate(t)
    assert ev.signals["open_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert ev.stats.advice_count == 2
    negatives = [e for e in ev.dimensions["powerful_questions"].evidence if not e.positive]
    assert [e.quote for e in negatives if e.turn_index == 2] == ["Bagaimana kalau Ibu pakai kartu giliran?"]


def _signal_after(coachee: str, coach: str, signal: str) -> float:
    """The session signal of one exchange: the coachee speaks, the coach answers (Indonesian)."""
    t = Transcript(lang="id", turns=[Utterance("coachee", coachee), Utterance("coach", coach)])
    return evaluate(t).signals[signal]


def test_the_coachees_words_count_as_listening_only_where_the_coach_listens():
    """A lecture on the coachee's topic reuses their words; that is not staying with them."""
    before = "Anak-anak kelas 8A ribut sekali setelah istirahat, saya kewalahan."
    lecture = "Kelas 8A yang ribut setelah istirahat itu harus Ibu tegur. Sebaiknya Ibu pakai kartu giliran."
    summary = "Jadi kelas 8A ribut setelah istirahat dan Ibu kewalahan. Apa yang paling berat?"
    assert _signal_after(before, lecture, "keyword_use") == 0
    assert _signal_after(before, summary, "keyword_use") == 1


def test_a_feeling_word_in_a_lecture_is_no_reflection_of_feeling():
    before = "Kelas saya tiga puluh enam anak, Pak, saya bingung kalau harus mengoreksi semuanya."
    lecture = "Jadi Ibu bingung. Saran saya, pakai exit ticket: apa yang masih bingung, tulis di kertas."
    listening = "Jadi Ibu bingung dan kewalahan dengan tiga puluh enam koreksian. Apa yang paling berat?"
    opinion = "Jadi tiga puluh enam koreksian itu, saya rasa cukup banyak. Apa yang paling menyita waktu?"
    assert _signal_after(before, lecture, "feeling_reflections") == 0
    assert _signal_after(before, listening, "feeling_reflections") == 1
    assert _signal_after(before, opinion, "feeling_reflections") == 0  # "saya rasa" is an opinion, not a feeling


# ---------------------------------------------------------------- issue #12: calibration, phases not reached, real talk


def test_calibration_is_monotone_kept_on_the_scale_and_validated(tmp_path):
    from simulator.evaluation.rubric import Calibration
    cal = Calibration(points=[(1.0, 0.5), (4.0, 4.7)])
    ys = [cal.apply(x, 4) for x in (0.5, 1.0, 2.0, 2.5, 3.0, 4.0, 4.5)]
    assert ys == sorted(ys) and ys[0] == 1.0 and ys[-1] == 4.0 and 1 < cal.apply(2.0, 4) < 4
    data = _default_data()
    data["dimensions"]["presence"]["calibration"] = {"points": [[1, 3], [4, 2]]}
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_rubric(path)
    assert "calibration" in str(exc.value) and "monotone" in str(exc.value)


def test_calibration_moves_the_score_and_says_so(tmp_path):
    t = load_transcript(CONV / "id_pra_observasi_baik.txt")
    base = _default_data()
    for d in base["dimensions"].values():
        d.pop("calibration", None)
    base["overall"].pop("calibration", None)
    stricter = yaml.safe_load(yaml.safe_dump(base))
    for d in stricter["dimensions"].values():
        d["calibration"] = {"points": [[1, 1], [4, 3]]}  # a third stricter at the top
    paths = []
    for name, data in (("plain", base), ("strict", stricter)):
        p = tmp_path / f"{name}.yaml"
        p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        paths.append(p)
    plain, strict = evaluate(t, paths[0]), evaluate(t, paths[1])
    for k in DIMENSIONS:
        u = plain.dimensions[k].raw
        assert strict.dimensions[k].uncalibrated == pytest.approx(u)
        assert strict.dimensions[k].raw == pytest.approx(1 + (u - 1) * 2 / 3, abs=1e-3)
        assert "calibrated" in strict.dimensions[k].reason.en
        assert strict.dimensions[k].evidence == plain.dimensions[k].evidence  # the same sentences stand behind it


def _cut_off() -> Transcript:
    return Transcript("id", [
        Utterance("coach", "Selamat pagi, Bu. Apa yang ingin Ibu capai dari percakapan kita hari ini?"),
        Utterance("coachee", "Saya ingin kelas saya lebih tenang waktu diskusi kelompok, Pak."),
        Utterance("coach", "Jadi Ibu ingin diskusi kelompok berjalan lebih tenang. Seperti apa kelas yang tenang itu bagi Ibu?"),
        Utterance("coachee", "Anak-anak bicara bergantian dan tidak berteriak dari ujung ke ujung."),
        Utterance("coach", "Bergantian dan tanpa teriakan. Apa yang sudah terjadi sejauh ini?"),
        Utterance("coachee", "Baru dua kali saya coba, dan dua-duanya ramai sekali."),
    ])


def _phased_rubric(tmp_path) -> Path:
    """The default rubric with its plan-phase signals marked `phase: plan` (a rubric author's choice; the default
    rubric judges them always since round 2 of issue #12)."""
    data = _default_data()
    for rule in data["dimensions"]["powerful_questions"]["signals"]:
        if rule["signal"] in ("forward_count", "tirta_stages"):
            rule["phase"] = "plan"
    path = tmp_path / "phased.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_conversation_cut_off_before_the_plan_is_not_judged_on_the_plan(tmp_path):
    rubric = _phased_rubric(tmp_path)
    ev = evaluate(_cut_off(), rubric)
    pq = ev.dimensions["powerful_questions"]
    assert set(pq.not_judged) == {"forward_count", "tirta_stages"}
    assert {s.signal for s in pq.signals}.isdisjoint(pq.not_judged)
    assert "Not judged yet" in pq.reason.en and "Belum dapat dinilai" in pq.reason.id
    assert any("cannot be judged yet" in n.en for n in ev.notes)
    # the same conversation carried on to a plan and a goodbye is judged on all of it
    done = _cut_off()
    done.turns += [
        Utterance("coach", "Langkah apa yang akan Ibu coba minggu depan?"),
        Utterance("coachee", "Minggu depan saya akan pakai kartu giliran bicara di setiap kelompok."),
        Utterance("coach", "Terima kasih, Bu. Sampai jumpa minggu depan."),
    ]
    ev2 = evaluate(done, rubric)
    assert ev2.dimensions["powerful_questions"].not_judged == [] and not ev2.notes
    # a plan the coach dictates is a plan phase reached too (badly): it is judged, not left out
    told = _cut_off()
    told.turns += [Utterance("coach", "Jadi Ibu pakai kartu giliran mulai besok, ya."), Utterance("coachee", "Baik, Pak.")]
    assert evaluate(told, rubric).dimensions["powerful_questions"].not_judged == []
    # the default rubric judges every signal, cut off or not
    assert evaluate(_cut_off()).dimensions["powerful_questions"].not_judged == []


def test_a_question_after_telling_is_not_credited_as_open():
    told = Transcript("id", [
        Utterance("coachee", "Anak-anak kelas saya susah diatur setelah istirahat."),
        Utterance("coach", "Sesuai aturan sekolah, guru wajib menegur siswa yang ribut. Bagaimana menurut Ibu?"),
        Utterance("coachee", "Iya, mungkin saya kurang tegas."),
    ])
    asked = Transcript("id", [told.turns[0], Utterance("coach", "Bagaimana menurut Ibu?"), told.turns[2]])
    assert evaluate(told).signals["open_share"] == 0.0 and evaluate(told).signals["advice_count"] == 1
    assert evaluate(asked).signals["open_share"] == 1.0


REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real_transcripts"
# leave-one-out agreement over all 14 real transcripts (bench/bench_real_scores.py), minus a margin: the reader
# and the shipped calibration must not fall below what round 2 measured (presence is not solved; see the docs)
REAL_FLOOR = {"active_listening": 0.3, "powerful_questions": 0.4, "overall": 0.15}
REAL_FLOOR_TEACHERS = {"active_listening": 0.7, "overall": 0.55}
REAL_MAX_BIAS = 0.25  # the target, leave-one-out


@pytest.mark.skipif(not (REAL / "ratings.tsv").exists(), reason="../shared/data/real_transcripts is absent")
def test_real_transcripts_leave_one_out_floor():
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_real_scores",
                                                  Path(__file__).resolve().parents[1] / "bench" / "bench_real_scores.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rubric = load_rubric(None)
    ratings, kinds = bench.load_ratings(REAL), bench.load_kinds(REAL)
    files = sorted(ratings)
    human = bench.human_means(ratings, files)
    data = bench.read_files(REAL, files)
    plain_ev = {f: bench.evaluate_readings(*data[f], bench.plain(rubric)) for f in files}
    method = bench.shipped_method(rubric)
    assert method in ("none", "shift", "shift-pooled", "shift-needed")  # round 1's stretch failed leave-one-out
    loo = bench.leave_one_out(method, files, data, plain_ev, human, rubric, bench.synthetic_offsets(rubric))
    res = bench.agreement(files, human, loo)
    for k, floor in REAL_FLOOR.items():
        assert res[k]["pearson"] >= floor, (k, res[k])
    for k in bench.KEYS:
        assert abs(res[k]["bias"]) <= REAL_MAX_BIAS, (k, res[k])
    teachers = bench.agreement([f for f in files if kinds[f] == bench.TEACHERS], human, loo)
    for k, floor in REAL_FLOOR_TEACHERS.items():
        assert teachers[k]["pearson"] >= floor, (k, teachers[k])


def test_small_talk_is_no_question_and_minimising_is_a_judgement():
    from simulator.reading.reader import read_turn
    for text in ("Bagaimana kabarnya, Bu Ratna?", "Gimana kabar Bapak hari ini?"):
        r = read_turn(text)
        assert r.questions == 0 and "open_question" not in r.acts, (text, r.acts)
    # asking after the coachee's class is a real question
    assert "open_question" in read_turn("Bagaimana kabar kelas tujuh setelah ujian?").acts
    r = read_turn("Jadi Bapak hanya menyuruh mereka menyalin catatan saja?", "Saya suruh mereka menyalin catatan.")
    assert r.judgement
