"""Score a whole session against a rubric: signals from the per-turn Readings -> dimension scores with
evidence -> what went well and up to three improvements (simulator/evaluation/feedback.py).

    evaluate(transcript, rubric=None, searcher=None, judge=None) -> Evaluation
    evaluate_readings(transcript, readings, rubric=None, searcher=None, judge=None) -> Evaluation

`readings` maps a coach turn's index in transcript.turns to the Reading `read_turn` gave it, so a live
Session can reuse what it already computed. Turn indices are 0-based everywhere; reports show index + 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simulator.errors import InputError
from simulator.evaluation.feedback import evidence_note, improvements, quote_for, signal_label, went_well
from simulator.evaluation.markers import asks_for_their_own_words, has_marker
from simulator.evaluation.results import (  # made here; re-exported for the report, the judge and the UI
    CriterionResult,
    DimensionScore,
    Evaluation,
    Evidence,
    Judge,
    SessionStats,
    SignalValue,
    Text,
    Trace,
    TurnView,
)
from simulator.evaluation.rubric import DIMENSIONS, Rubric, SignalRule, compare, load_rubric
from simulator.evaluation.transcript import Transcript
from simulator.reading.reader import TIRTA_STAGES, Reading, read_turn


def _words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------- signals


def compute_signals(transcript: Transcript, readings: Mapping[int, Reading], rubric: Rubric
                    ) -> tuple[dict[str, float], Trace]:
    lang = transcript.lang
    turns = transcript.turns
    s = rubric.settings
    tr = Trace()
    coach_idx = [i for i, t in enumerate(turns) if t.speaker == "coach"]
    coach_words = sum(_words(turns[i].text) for i in coach_idx)
    coachee_words = sum(_words(t.text) for t in turns if t.speaker == "coachee")
    total_words = coach_words + coachee_words or 1

    why_raw = 0
    n_open = n_closed = n_why = n_advice_q = q_turns = refl = adv = judge = lead = stack = fwd = affirm = feel = 0
    kw_turns = kw_hits = 0
    overlap_sum = 0.0
    rasa = 0
    stage_pos = -1
    stages: list[str] = []
    goal = 0
    pending_reflection: int | None = None
    for i in coach_idx:
        r = readings[i]
        prev_is_coachee = i > 0 and turns[i - 1].speaker == "coachee"
        # the coachee's words and feelings count only where the coach listens: a lecture on the same topic reuses them
        listening = not (r.has("advice") or r.judgement)
        is_q = r.has("open_question", "closed_question", "why_question") or r.questions > 0
        if is_q and _told_first(r):
            # "Sesuai aturan, guru wajib… Bagaimana menurut Ibu?": the question asks for a reaction to what the coach
            # has just told; trainers credit the telling, not the question (issue #12)
            n_advice_q += 1
            tr.add("open_share", i, False)
        elif r.has("open_question"):
            n_open += 1
            tr.add("open_share", i, True)
        if r.has("closed_question") and not _told_first(r):
            n_closed += 1
            tr.add("open_share", i, False)
            tr.add("closed_share", i, False)
        if (r.questions and r.has("advice") and not r.has("open_question", "closed_question", "why_question")
                and not _told_first(r)):
            n_advice_q += 1  # "Bagaimana kalau Ibu…?" asks nothing open: a suggestion is no powerful question
            tr.add("open_share", i, False)
        if r.has("why_question"):  # a why after telling still puts the coachee on the defensive
            why_raw += 1
            if s.why_counts_against:
                n_why += 1
                tr.add("why_count", i, False)
                tr.add("open_share", i, False)
            else:
                n_open += 1
        q_turns += is_q
        if r.has("reflection"):
            refl += 1
            tr.add("reflections_per_question", i, True)
            if listening and has_marker("feelings", r.text, lang):
                feel += 1
                tr.add("feeling_reflections", i, True)
        elif is_q and prev_is_coachee and _words(turns[i - 1].text) >= 15 and not asks_for_their_own_words(r, lang):
            tr.add("reflections_per_question", i, False)  # asked straight after a long turn
        if r.has("affirmation"):
            affirm += 1
            tr.add("affirmation_count", i, True)
        if r.has("advice"):
            adv += 1
            tr.add("advice_count", i, False)
        if r.judgement:
            judge += 1
            tr.add("judgement_count", i, False)
        if r.leading:
            lead += 1
            tr.add("leading_count", i, False)
        if r.stacked:
            stack += 1
            tr.add("stacked_count", i, False)
        if r.forward and not (r.has("advice") or r.leading):
            fwd += 1
            tr.add("forward_count", i, True)
        if prev_is_coachee:
            kw_turns += 1
            if listening:
                overlap_sum += r.keyword_overlap
            if r.key_words:
                if listening:
                    kw_hits += 1
                    tr.add("keyword_use", i, True)
            elif _words(turns[i - 1].text) >= 12 and not asks_for_their_own_words(r, lang):
                tr.add("keyword_use", i, False)
        # RASA: a reflection followed by a question in the same turn or the next coach turn
        asks_open = r.has("open_question") and not r.has("advice")  # RASA's Ask: an open question
        if r.has("reflection") and asks_open and _reflection_before_question(r):
            rasa += 1
            tr.add("rasa_count", i, True)
            pending_reflection = None
        elif pending_reflection is not None and asks_open:
            rasa += 1
            tr.add("rasa_count", i, True)
            pending_reflection = None
        else:
            pending_reflection = i if r.has("reflection") else None
        if r.tirta in TIRTA_STAGES:
            k = TIRTA_STAGES.index(r.tirta)
            if k >= stage_pos:
                if r.tirta not in stages:
                    stages.append(r.tirta)
                    tr.add("tirta_stages", i, True)
                stage_pos = k
        if (not goal and (r.tirta == "tujuan" or has_marker("goal", r.text, lang)) and is_q and not r.has("advice") and i + 1 < len(turns)
                and turns[i + 1].speaker == "coachee"
                and _words(turns[i + 1].text) >= s.goal_answer_min_words):
            goal = 1
            tr.add("goal_by_coachee", i, True)
        if _words(r.text) > 60:
            tr.add("coachee_talk_share", i, False)

    followup, from_coachee, conclusion = _follow_up(transcript, readings, rubric, tr)
    qn = n_open + n_closed + n_why + n_advice_q
    coach_n = len(coach_idx) or 1
    if q_turns:
        rq = refl / q_turns
    else:
        rq = float(refl)
    values = {
        "coachee_talk_share": coachee_words / total_words,
        "coach_talk_share": coach_words / total_words,
        "reflections_per_question": min(rq, 5.0),
        "reflection_share": refl / coach_n,
        "keyword_use": kw_hits / kw_turns if kw_turns else 0.0,
        "keyword_overlap": overlap_sum / kw_turns if kw_turns else 0.0,
        "rasa_count": float(rasa),
        "rasa_rate": rasa / q_turns if q_turns else 0.0,
        "feeling_reflections": float(feel),
        "affirmation_count": float(affirm),
        "questions": float(q_turns),
        "open_share": n_open / qn if qn else 0.0,
        "closed_share": n_closed / qn if qn else 0.0,
        "why_count": float(n_why),
        "why_share": n_why / qn if qn else 0.0,
        "leading_count": float(lead),
        "stacked_count": float(stack),
        "stacked_share": stack / q_turns if q_turns else 0.0,
        "forward_count": float(fwd),
        "tirta_stages": float(len(stages)),
        "goal_by_coachee": float(goal),
        "advice_count": float(adv),
        "advice_share": adv / coach_n,
        "judgement_count": float(judge),
        "followup_concrete": float(followup),
        "followup_from_coachee": float(from_coachee),
        "coachee_conclusion": float(conclusion),
    }
    values["_plan_reached"] = float(_plan_reached(transcript, readings, stages, followup))
    values["_open"], values["_closed"], values["_why_raw"] = n_open, n_closed, why_raw
    values["_reflections"], values["_coach_words"], values["_coachee_words"] = refl, coach_words, coachee_words
    tr.turns["_stages"] = [(TIRTA_STAGES.index(x), True) for x in stages]
    return values, tr


def _plan_reached(transcript: Transcript, readings: Mapping[int, Reading], stages: list[str], followup: int) -> bool:
    """Did the conversation get to its later phases (options, plan, commitment, closing)?

    Real transcripts are often cut off after the goal and a few questions, and a practice can be stopped early:
    what was never reached cannot be judged, only what is there (issue #12)."""
    # (the closing-conclusion signal alone is no proof: any "coba" in the coachee's last words sets it)
    # A plan question in the last turns is not yet a plan phase: the page may stop right after it.
    if followup or "tanggung_jawab" in stages:
        return True
    turns = transcript.turns
    later = range(len(turns) // 2, len(turns))
    # a plan stated by anyone in the second half (the coach dictating one too: the phase was reached, badly)
    if any((has_marker("commitment", turns[i].text, transcript.lang) or (i in readings and readings[i].has("advice")))
           and has_marker("time", turns[i].text, transcript.lang) for i in later):
        return True
    from simulator.reading.lexicon import lexicon
    lex = lexicon(transcript.lang if transcript.lang in ("id", "en") else "id")
    coach = transcript.coach_indices()
    # a farewell in the coach's last turns: the session was closed, whether or not a plan came
    return len(transcript.turns) >= 6 and any(lex.greeting.search(readings[i].text.lower()) and
                                              not lex.greeting.search(transcript.turns[0].text.lower())
                                              for i in coach[-2:] if i > len(transcript.turns) // 2)


def _told_first(r: Reading) -> bool:
    """The turn tells (advice, a lecture) before it asks its question."""
    acts = list(r.acts)
    if "advice" not in acts:
        return False
    qs = [k for k, a in enumerate(acts) if a in ("open_question", "closed_question", "why_question")]
    return bool(qs) and acts.index("advice") < min(qs)


def _reflection_before_question(r: Reading) -> bool:
    acts = list(r.acts)
    qs = [k for k, a in enumerate(acts) if a == "open_question"]
    return "reflection" in acts and bool(qs) and acts.index("reflection") < max(qs)


def _follow_up(transcript: Transcript, readings: Mapping[int, Reading], rubric: Rubric, tr: Trace
               ) -> tuple[int, int, int]:
    """Concrete follow-up, stated by the coachee, and the coachee's closing conclusion."""
    turns, lang = transcript.turns, transcript.lang
    half = len(turns) // 2
    concrete = from_coachee = conclusion = 0
    for i in range(half, len(turns)):
        t = turns[i]
        if not (has_marker("commitment", t.text, lang) and has_marker("time", t.text, lang)):
            continue
        if t.speaker == "coach":
            if not concrete and readings[i].has("advice"):
                continue  # the coach proposing a plan is not the coachee's follow-up
            concrete = 1
            continue
        concrete = 1
        prev = i - 1
        if prev >= 0 and turns[prev].speaker == "coach" and not readings[prev].has("advice") and _words(t.text) >= 5:
            from_coachee = 1
            tr.add("followup_from_coachee", prev, True)
            tr.add("followup_concrete", prev, True)
    window = rubric.settings.conclusion_window
    for i in range(max(0, len(turns) - window), len(turns)):
        t = turns[i]
        if t.speaker != "coachee" or _words(t.text) < 6 or i == 0 or turns[i - 1].speaker != "coach":
            continue
        r = readings[i - 1]
        asked = r.questions > 0 or r.has("open_question", "closed_question", "why_question")
        if asked and not r.has("advice") and (has_marker("conclusion", t.text, lang)
                                               or has_marker("commitment", t.text, lang)
                                               or has_marker("conclusion", r.text, lang)):
            conclusion = 1
            tr.add("coachee_conclusion", i - 1, True)
    return concrete, from_coachee, conclusion


# ---------------------------------------------------------------- evaluate


def read_transcript(transcript: Transcript) -> dict[int, Reading]:
    """read_turn over every coach turn, with the coachee turn just before it."""
    out: dict[int, Reading] = {}
    student = _talks_to_a_student(transcript)
    for i, t in enumerate(transcript.turns):
        if t.speaker == "coach":
            before = transcript.turns[i - 1].text if i and transcript.turns[i - 1].speaker == "coachee" else ""
            out[i] = read_turn(t.text, coachee_before=before, lang=transcript.lang, student=student or None,
                               follows_coach=i > 0 and transcript.turns[i - 1].speaker == "coach")
    return out


def _talks_to_a_student(transcript: Transcript) -> bool:
    """The coach calls the coachee "kamu"/"nak" somewhere: a teacher with a student, who says "ibu"/"bapak" of
    themself in every turn, also those that do not say "kamu" ("Mungkin bapak bisa bantu")."""
    from simulator.reading.lexicon import lexicon
    lex = lexicon(transcript.lang if transcript.lang in ("id", "en") else "id")
    return any(lex.student_address.search(t.text.lower()) for t in transcript.turns if t.speaker == "coach")


def evaluate(transcript: Transcript, rubric: Rubric | str | None = None, searcher=None, judge: Judge | None = None
             ) -> Evaluation:
    """Score a transcript. rubric: a Rubric, a rubric id or path, or None for the default rubric."""
    _check(transcript)
    return evaluate_readings(transcript, read_transcript(transcript), rubric, searcher=searcher, judge=judge)


def evaluate_readings(transcript: Transcript, readings: Mapping[int, Reading] | Sequence[Reading | None],
                      rubric: Rubric | str | None = None, searcher=None, judge: Judge | None = None
                      ) -> Evaluation:

    _check(transcript)
    rb = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    if not isinstance(readings, Mapping):
        readings = {i: r for i, r in enumerate(readings) if r is not None}
    missing = [i for i in transcript.coach_indices() if i not in readings]
    if missing:
        raise InputError(f"no reading for coach turn(s) {', '.join(str(i + 1) for i in missing[:5])}")
    values, trace = compute_signals(transcript, readings, rb)
    lang = transcript.lang
    criteria: list[CriterionResult] = []
    if rb.scoring == "signals":
        dims = {k: _score_dimension(k, rb, values, trace, transcript, readings) for k in DIMENSIONS}
        w = rb.overall.weights or {}
        mean = sum(dims[k].score * w[k] for k in DIMENSIONS) / sum(w.values())
        overall = _clamp(int(mean + 0.5), rb.max_level)
        overall_raw = sum(dims[k].raw * w[k] for k in DIMENSIONS) / sum(w.values())  # before any rounding
        if rb.overall.calibration:
            # the mean of three scores is narrower than each: mapped again to the trainers' spread, then rounded
            overall_raw = rb.overall.calibration.apply(overall_raw, rb.max_level)
            overall = _clamp(int(overall_raw + 0.5), rb.max_level)
        overall_reason = Text(
            id="Rata-rata berbobot skor dimensi: " + ", ".join(f"{dims[k].name.id} {dims[k].score}" for k in DIMENSIONS),
            en="Weighted mean of the dimension scores: " + ", ".join(f"{dims[k].name.en} {dims[k].score}" for k in DIMENSIONS))
    else:
        criteria = [_criterion(c, values, trace, transcript, readings) for c in rb.criteria]
        dims = {k: _criteria_dimension(k, rb, criteria) for k in DIMENSIONS}
        met = sum(c.met for c in criteria)
        bands = rb.overall.count_bands or [0]
        overall = max(lv for lv, lo in enumerate(bands, start=1) if met >= lo)
        overall_raw = float(met)
        overall_reason = Text(id=f"{met} dari {len(criteria)} kriteria terpenuhi",
                              en=f"{met} of {len(criteria)} criteria met")
    stats = _stats(transcript, values, trace)
    notes: list[Text] = []
    if not values.get("_plan_reached", 1.0) and any(d.not_judged for d in dims.values()):
        notes.append(Text(
            id="Percakapan berhenti sebelum tahap rencana aksi dan penutup: tujuan lanjutan, rencana, dan komitmen "
               "belum dapat dinilai; skor menilai apa yang sudah ada.",
            en="The conversation stops before the action-plan and closing phases: options, plan and commitment "
               "cannot be judged yet; the scores judge what is there."))
    evaluation = Evaluation(
        rubric_id=rb.id, rubric_name=Text(rb.name.id, rb.name.en), lang=lang,
        scale=[(lv.level, Text(lv.name.id, lv.name.en)) for lv in rb.scale],
        dimensions=dims, overall=overall, overall_level=_lt(rb.level_name(overall)), overall_reason=overall_reason,
        went_well=(well := went_well(transcript, readings, values, trace)),
        improvements=improvements(transcript, readings, values, trace, rb, searcher, notes, credited=well),
        stats=stats, signals={k: round(v, 4) for k, v in values.items() if not k.startswith("_")},
        criteria=criteria, turns=_turn_views(transcript, readings), notes=notes, overall_raw=round(overall_raw, 4))
    if judge is not None:
        evaluation = judge.refine(evaluation, transcript)
    return evaluation


def _check(transcript: Transcript) -> None:
    if not transcript.coach_indices():
        raise InputError("the transcript has no coach turns — nothing to evaluate")


def _clamp(level: int, top: int) -> int:
    return max(1, min(top, level))


def _lt(x) -> Text:
    return Text(x.id, x.en)


def _score_dimension(key, rb: Rubric, values, trace: Trace, transcript, readings) -> DimensionScore:
    dim = rb.dimensions[key]
    reached = values.get("_plan_reached", 1.0) > 0
    rules = [r for r in dim.signals if reached or r.phase != "plan"] or list(dim.signals)
    not_judged = [r.signal for r in dim.signals if r not in rules]
    svals = [SignalValue(r.signal, round(values[r.signal], 4), round(r.level(values[r.signal]), 2), r.weight)
             for r in rules]
    uncal = sum(v.level * v.weight for v in svals) / sum(v.weight for v in svals)
    mean = dim.calibration.apply(uncal, rb.max_level) if dim.calibration else uncal
    score = _clamp(int(mean + 0.5), rb.max_level)
    cap_notes = []
    for cap in dim.caps:
        if compare(values[cap.signal], cap.op, cap.value) and score > cap.max_level:
            score = cap.max_level
            cap_notes.append(cap.note)
    ranked = sorted(zip(rules, svals, strict=True), key=lambda p: -p[0].weight)[:4]
    extra_id, extra_en = "", ""
    if dim.calibration:
        extra_id += f". Skor mentah {uncal:.2f} disetarakan dengan ketegasan pelatih: {mean:.2f}"
        extra_en += f". Raw score {uncal:.2f} calibrated to trainers' strictness: {mean:.2f}"
    if not_judged:
        extra_id += ". Belum dapat dinilai (percakapan belum sampai tahap rencana/penutup): " + ", ".join(
            signal_label(s, "id") for s in not_judged)
        extra_en += ". Not judged yet (the conversation has not reached the plan/closing phase): " + ", ".join(
            signal_label(s, "en") for s in not_judged)
    reason = Text(
        id="; ".join(_signal_phrase(rule, v, "id") for rule, v in ranked) + "".join(f". {n.id}" for n in cap_notes)
        + extra_id,
        en="; ".join(_signal_phrase(rule, v, "en") for rule, v in ranked) + "".join(f". {n.en}" for n in cap_notes)
        + extra_en)
    evidence = _evidence([r.signal for r in rules], trace, transcript, readings)
    return DimensionScore(key=key, name=_lt(dim.name), score=score, level_name=_lt(rb.level_name(score)),
                          evidence=evidence, reason=reason, signals=svals, raw=round(mean, 4),
                          uncalibrated=round(uncal, 4), not_judged=not_judged)


def _signal_phrase(rule: SignalRule, v: SignalValue, lang: str) -> str:
    value = f"{v.value:.2f}".rstrip("0").rstrip(".") if v.value % 1 else f"{int(v.value)}"
    return f"{signal_label(rule.signal, lang)} {value} (→ {v.level:g})"


def _criterion(c, values, trace, transcript, readings) -> CriterionResult:
    value = values[c.signal]
    return CriterionResult(id=c.id, name=_lt(c.name), dimension=c.dimension, met=c.met(value),
                           value=round(value, 4), evidence=_evidence([c.signal], trace, transcript, readings, 2))


def _criteria_dimension(key, rb: Rubric, criteria: list[CriterionResult]) -> DimensionScore:
    mine = [c for c in criteria if c.dimension == key]
    share = sum(c.met for c in mine) / len(mine)
    bands = rb.overall.dimension_share_bands or [0.0]
    score = max(lv for lv, lo in enumerate(bands, start=1) if share >= lo - 1e-9)
    evidence = [e for c in mine for e in c.evidence][:5]
    reason = Text(id="; ".join(f"{c.name.id}: {'ya' if c.met else 'belum'}" for c in mine),
                  en="; ".join(f"{c.name.en}: {'yes' if c.met else 'not yet'}" for c in mine))
    dim = rb.dimensions[key]
    return DimensionScore(key=key, name=_lt(dim.name), score=score, level_name=_lt(rb.level_name(score)),
                          evidence=evidence, reason=reason, raw=round(share, 4))


# signals whose evidence is the same turns as another signal's
TRACE_ALIAS = {"advice_share": "advice_count", "why_share": "why_count", "stacked_share": "stacked_count",
               "coach_talk_share": "coachee_talk_share", "reflection_share": "reflections_per_question",
               "rasa_rate": "rasa_count", "closed_share": "open_share", "keyword_overlap": "keyword_use",
               "questions": "open_share"}


def _evidence(signals: list[str], trace: Trace, transcript: Transcript, readings, limit: int = 5) -> list[Evidence]:
    chosen: dict[int, Evidence] = {}
    seen: set[str] = set()
    signals = [x for x in (TRACE_ALIAS.get(s, s) for s in signals) if not (x in seen or seen.add(x))]
    for per_signal in (2, 4):  # first up to 2 per signal, then fill
        for sig in signals:
            taken = 0
            for index, positive in trace.turns.get(sig, []):
                if len(chosen) >= limit or taken >= per_signal:
                    break
                if index in chosen:
                    continue
                text = transcript.turns[index].text
                chosen[index] = Evidence(index, quote_for(text, sig, readings[index], positive), evidence_note(sig, positive,
                                         readings[index]), positive)
                taken += 1
    return [chosen[k] for k in sorted(chosen)]


def _stats(transcript: Transcript, values, trace: Trace) -> SessionStats:
    turns = transcript.turns
    coach = len(transcript.coach_indices())
    q = int(values["questions"])
    return SessionStats(
        turns=len(turns), coach_turns=coach, coachee_turns=len(turns) - coach,
        coach_words=int(values["_coach_words"]), coachee_words=int(values["_coachee_words"]),
        coach_talk_share=round(values["coach_talk_share"], 3),
        open_questions=int(values["_open"]), closed_questions=int(values["_closed"]),
        why_questions=int(values["_why_raw"]),
        open_closed=f"{int(values['_open'])}:{int(values['_closed'])}",
        reflections=int(values["_reflections"]),
        reflections_per_question=round(values["_reflections"] / q, 2) if q else float(values["_reflections"]),
        advice_count=int(values["advice_count"]), why_count=int(values["_why_raw"]),
        tirta_stages=[TIRTA_STAGES[k] for k, _ in trace.turns.get("_stages", [])])


def _turn_views(transcript: Transcript, readings: Mapping[int, Reading]) -> list[TurnView]:
    out = []
    for i, t in enumerate(transcript.turns):
        r = readings.get(i)
        flags = [] if r is None else [f for f in ("stacked", "leading", "judgement", "forward") if getattr(r, f)]
        if r is not None and r.tirta:
            flags.append(f"tirta:{r.tirta}")
        out.append(TurnView(i, t.speaker, t.text, list(r.acts) if r else [], flags))
    return out
