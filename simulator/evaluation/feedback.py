"""Feedback from a scored session: evidence quotes, what went well, and up to three improvements, each
quoting a real coach turn with a better phrasing made by rules (in the transcript's language) and, when a
searcher is given, the knowledge passage that teaches it.

The phrasing rules follow the Guru Penggerak module 2.3 (open questions with apa/bagaimana/sejauh mana,
"Apa yang membuat…" instead of "mengapa", RASA: summarise then ask) and ICF/MITI (one question at a time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from simulator.content import read_yaml
from simulator.evaluation.markers import TEMPLATES, asks_for_their_own_words, has_marker, marker_word
from simulator.evaluation.results import Citation, Evidence, Improvement, Text, Trace, WentWell
from simulator.evaluation.rubric import Rubric
from simulator.evaluation.transcript import Transcript
from simulator.reading.moves import classify, load_move_rules
from simulator.reading.reader import TIRTA_STAGES, Reading, read_turn

MAX_QUOTE = 400  # a whole sentence is quoted; only a run-on past this is cut (at a word)
SPACE_MIN_WORDS = 8  # a coachee answer this long after a clean coach turn is credited as room given
QUESTION_SIGNALS = {"open_share", "closed_share", "why_count", "leading_count", "stacked_count", "stacked_share",
                    "goal_by_coachee", "followup_concrete", "followup_from_coachee", "coachee_conclusion",
                    "forward_count", "tirta_stages", "rasa_count"}


@lru_cache(maxsize=1)
def labels() -> dict:
    return read_yaml(TEMPLATES / "labels.yaml", "template")


@lru_cache(maxsize=1)
def kinds() -> dict:
    return read_yaml(TEMPLATES / "improvements.yaml", "template")


def _t(d: dict) -> Text:
    return Text(d["id"], d["en"])


def signal_label(signal: str, lang: str) -> str:
    return labels()["signals"][signal]["en" if lang == "en" else "id"]


def evidence_note(signal: str, positive: bool, reading: Reading) -> Text:
    note = _t(labels()["evidence"].get(signal, labels()["evidence"]["open_share"])[
        "positive" if positive else "negative"])
    if signal == "keyword_use" and positive and reading.key_words:
        words = ", ".join(reading.key_words[:4])
        note = Text(f"{note.id}: {words}", f"{note.en}: {words}")
    return note


# ---------------------------------------------------------------- quoting the coach's own words

_SENT = re.compile(r"[^.!?…]+[.!?…]*")


def sentences(text: str) -> list[str]:
    return [m.group().strip() for m in _SENT.finditer(text) if m.group().strip()]


def _clip(s: str) -> str:
    if len(s) <= MAX_QUOTE:
        return s
    cut = s[:MAX_QUOTE]
    return cut[: cut.rfind(" ")] if " " in cut else cut


# The reading's evidence tags that show each signal (the rest fall back on the first question or statement).
_SHOWN_BY = {"advice_count": ("advice",), "advice_share": ("advice",), "judgement_count": ("judgement",),
             "why_count": ("why_question",), "why_share": ("why_question",), "closed_share": ("closed_question",),
             "leading_count": ("leading",), "forward_count": ("forward",), "tirta_stages": ("tirta",),
             "affirmation_count": ("affirmation",)}


def quote_for(text: str, signal: str, reading: Reading, positive: bool = True) -> str:
    """The sentence of the coach's turn that shows the signal (always a substring of `text`): for "Mengapa…?
    Apakah…? Bagaimana…?" an open question is quoted as the "Bagaimana" sentence and a "why" as the "Mengapa" one."""
    sents = sentences(text) or [text.strip()]
    questions = [s for s in sents if s.endswith("?")]
    statements = [s for s in sents if not s.endswith("?")]
    pick = sents[0]
    if signal in ("stacked_count", "stacked_share", "rasa_count"):
        return _clip(text.strip())
    tags = _SHOWN_BY.get(signal)
    if signal == "open_share":
        tags = ("open_question",) if positive else ("closed_question", "why_question", "advice")
    span = next((sp for tag, sp in reading.evidence if tags and tag in tags and sp and sp.lower() in text.lower()), None)
    if span:
        pick = next((s for s in sents if span.lower() in s.lower() or s.lower() in span.lower()), span)
    elif signal in QUESTION_SIGNALS and questions:
        pick = questions[0]
    elif signal in ("reflections_per_question", "feeling_reflections", "affirmation_count") and statements:
        pick = statements[0]
    elif signal == "keyword_use" and reading.key_words:
        pick = max(sents, key=lambda s: sum(w.lower() in s.lower() for w in reading.key_words))
    return _clip(pick)


# ---------------------------------------------------------------- went well


def went_well(transcript: Transcript, readings: Mapping[int, Reading], values: dict, trace: Trace) -> list[WentWell]:
    ww = labels()["went_well"]
    out: list[WentWell] = []
    # each sentence is quoted once: the same words under three headings read as padding. A quote inside (or around)
    # one already given counts as the same; a turn that praises AND summarises may still be quoted by each sentence.
    quoted: set[tuple[int, str]] = set()

    def fresh(signal: str) -> list[tuple[int, str]]:
        hits = [(i, quote_for(transcript.turns[i].text, signal, readings[i]))
                for i, pos in trace.turns.get(signal, []) if pos]
        return [(i, q) for i, q in hits if not any(j == i and (q in p or p in q) for j, p in quoted)]

    def add(key: str, signal: str, min_value: float = 1) -> None:
        hits = fresh(signal)
        if values.get(signal, 0) >= min_value and hits:
            ev = [Evidence(i, q, evidence_note(signal, True, readings[i])) for i, q in hits[:2]]
            quoted.update(hits[:2])
            out.append(WentWell(_t(ww[key]), ev))

    add("goal", "goal_by_coachee")
    add("rasa", "rasa_count")
    add("reflections", "reflections_per_question", 0.5)
    add("feelings", "feeling_reflections")
    add("appreciate", "affirmation_count")
    add("open", "open_share", 0.6)
    add("keywords", "keyword_use", 0.4)
    add("followup", "followup_from_coachee")
    if len(out) < 4 and values["advice_count"] == 0 and values["questions"] >= 3:
        hits = fresh("open_share")[:1]
        out.append(WentWell(_t(ww["no_advice"]), [Evidence(i, q, evidence_note("advice_count", True, readings[i]))
                                                  for i, q in hits]))
    if not out:  # always something real: the coach turn that drew out the longest coachee answer
        turns = transcript.turns
        clean = [i for i, r in readings.items() if not (r.has("advice", "why_question", "closed_question")
                                                          or r.judgement or r.leading or r.stacked)]
        answered = [i for i in clean if i + 1 < len(turns) and turns[i + 1].speaker == "coachee"
                    and len(turns[i + 1].text.split()) >= SPACE_MIN_WORDS]  # "Oh, begitu, Bu." is no opening up
        best = max(answered, key=lambda i: len(turns[i + 1].text.split()), default=None)
        if best is not None:
            note = _t(ww["space"])
            out.append(WentWell(note, [Evidence(best, quote_for(turns[best].text, "open_share", readings[best]),
                                                note)]))
        else:  # every turn has a concern: credit a summary the coach did make ("So you'll phone ... Is that clear?")
            summaries = [i for i, r in readings.items() if r.has("reflection") and not (r.has("advice") or r.judgement)]
            opens = [i for i, r in readings.items() if r.has("open_question") and not (r.has("advice") or r.judgement)]
            if summaries:
                note = _t(ww["reflections"])
                out.append(WentWell(note, [Evidence(summaries[0], quote_for(
                    turns[summaries[0]].text, "reflections_per_question", readings[summaries[0]]), note)]))
            elif opens:  # an open question, even one lost among others ("Mengapa…? Apakah…? Bagaimana…?")
                note = _t(ww["one_open"])
                out.append(WentWell(note, [Evidence(opens[0], quote_for(turns[opens[0]].text, "open_share",
                                                                         readings[opens[0]]), note)]))
    return out[:4]


# ---------------------------------------------------------------- improvements


def improvements(transcript: Transcript, readings: Mapping[int, Reading], values: dict, trace: Trace,
                 rubric: Rubric, searcher, notes: list[Text], credited: list[WentWell] | None = None
                 ) -> list[Improvement]:
    """`credited`: what went well; a turn quoted there is not also a turn to "deepen" (praise and critique of one
    sentence is the contradiction teachers notice first)."""
    turns, lang = transcript.turns, transcript.lang
    addr = address(transcript)
    problems: list[tuple[int, int, str]] = []  # (-severity, turn, kind)
    sev = {k: v["severity"] for k, v in kinds().items() if isinstance(v, dict) and "severity" in v}
    # Before the coachee has said anything of substance, questions are rapport ("Udah makan?", "Menang nggak?"):
    # closed, stacked or leading there is no lesson (blind raters of the improvements, session 9).
    opened = next((i for i, t in enumerate(turns) if t.speaker == "coachee" and len(t.text.split()) >= 6
                   and not _move(t.text, lang).ordinary), len(turns))
    reflected_before: set[int] = set()
    last_reflected = False
    for i in sorted(readings):
        if last_reflected:
            reflected_before.add(i)
        last_reflected = _reflects(readings[i])
    for i, r in readings.items():
        prev = turns[i - 1].text if i and turns[i - 1].speaker == "coachee" else ""
        is_q = r.questions > 0 or r.has("open_question", "closed_question", "why_question")
        found = []
        retell = bool(_RETELL[lang].search(r.text))   # "Coba Ibu rangkum rencana Ibu": the coachee's words, asked for
        if r.has("advice") and not retell and not (i < opened and len(r.text.split()) <= 15):
            found.append("advice")   # (not "Sini duduk, nggak usah tegang." before the coachee has said anything)
        if r.judgement:
            found.append("judgement")
        if r.has("why_question") and rubric.settings.why_counts_against:
            found.append("why")
        # a stack of "Apa kabar? Sehat?" and one question, or "Sehat kan?" in the small talk, is no lesson to spend
        # one of three on (the reading still counts it)
        small_talk = (_move(r.text, lang).kind in ("greeting", "small_talk") or _SMALL_TALK[lang].search(r.text)
                      or i < opened)
        scale = bool(_SCALE[lang].search(r.text))   # "Apa yang membuat angkanya 6, bukan lebih rendah?" scales
        if r.leading and not r.has("advice") and not small_talk and not scale:
            found.append("leading")
        if r.stacked and r.questions >= 2 and not small_talk and not retell and _really_stacked(r.text, lang):
            found.append("stacked")   # ("Could you put your plan in your own words, what you'll do and when?")
        # agreeing the time ("Masih oke kalau 30 menit?"), "Ada lagi?" and an invitation ("Could you put it in your
        # own words?") are closed in form only
        if (r.has("closed_question") and not r.has("advice", "why_question") and not r.leading and not small_talk
                and not _CLOSED_IS_FINE[lang].search(r.text) and not _reflects(r) and not retell
                and _asks_closed(r.text, lang)):  # "… cemas ya, Bu?" checks a reflection
            found.append("closed")
        # a summary before every question is no rule: not right after a turn that summarised, nor before "from 1 to
        # 10" (raters: "a quick follow-up was fine")
        if (is_q and not r.has("reflection") and len(prev.split()) >= 15 and not r.key_words
                and not asks_for_their_own_words(r, lang) and i not in reflected_before and not scale):
            found.append("missed_reflection")
        if len(r.text.split()) > 60:
            found.append("long_turn")
        problems += [(-sev[k], i, k) for k in found]
    problems.sort()
    # Up to three DIFFERENT improvements: the most serious of each kind on different turns, then ways to deepen a
    # strength (other kinds) on other turns, then other kinds on any turn; the same kind twice only when no
    # other kind is left.
    working = _coaching_turns(transcript, lang)
    everything = _deepen(transcript, readings, trace, working)
    fits = _fitting(transcript, readings, trace, credited, working)
    # a missed summary is a listening lesson too: not on a turn credited for "summarise, then ask"
    problems = [p for p in problems if p[2] != "missed_reflection" or fits(p[1], p[2])]
    deepen = [c for c in everything if fits(*c)]
    candidates = [(i, k) for _, i, k in problems] + deepen
    chosen: list[tuple[int, str]] = []

    def base(kind: str) -> str:  # one family per lesson: "summarise first" is one lesson, missed or deepened
        kind = kind.split(":")[0]
        return "rasa" if kind == "missed_reflection" else kind

    # one lesson per family first, on a turn of its own first
    for pool, new_turn in (([(i, k) for _, i, k in problems], True), (deepen, True), (candidates, False)):
        for i, k in pool:
            if len(chosen) < 3 and base(k) not in {base(c[1]) for c in chosen} and (
                    not new_turn or i not in {c[0] for c in chosen}):
                chosen.append((i, k))
    for cand in candidates:  # the same lesson twice before none
        if len(chosen) < 3 and cand not in chosen:
            chosen.append(cand)
    # Fewer than three rather than a lesson that does not fit: a summary of "Terima kasih", a feeling named after
    # "Iya, Bu", praise and critique of one sentence (blind raters of the improvements, session 9).
    out = [_improvement(transcript, readings, i, k, addr) for i, k in chosen[:3]]
    _attach_passages(out, searcher, lang, notes)
    return out


_REFLECTION_TAGS = ("reflection", "feeling_reflection", "rasa")


def _reflects(r: Reading) -> bool:
    """The turn summarises or names a feeling somewhere (not only in the sentence a quote would pick)."""
    return r.has("reflection") or any(tag in _REFLECTION_TAGS for tag, _ in r.evidence)


def _fitting(transcript: Transcript, readings: Mapping[int, Reading], trace: Trace,
             credited: list[WentWell] | None, working: set[int] | None = None):
    """Whether a way to deepen a strength fits a turn. Each rule removes a contradiction a reader saw:
    - summarise/name the feeling/conclude needs something to respond to: never on a turn no coachee words came
      before (the greeting), nor after a coachee's mere greeting or thanks;
    - "summarise first" never on a turn that already reflects (quoting only its question hid the summary);
    - "name the feeling" never on a turn that named one (or was credited for it);
    - no "summarise/name the feeling" on a turn credited for listening under what went well;
    - "conclude"/"next stage" never on a turn whose question the rewrite would only echo ("Langkah kecil apa yang
      akan Ibu lakukan minggu ini?" -> "Apa langkah pertama yang akan Ibu ambil minggu ini?");
    - none of them on a turn that does not coach: a salam, "Silakan duduk", thanks, a fragment ("How wo"), and
      "summarise, then ask" only on a turn that asks (two blind judges of 38 real transcripts: "a goal question put
      in place of a greeting", "a summary of a greeting")."""
    turns, lang = transcript.turns, transcript.lang
    listening = {_t(labels()["went_well"][k]) for k in ("rasa", "reflections", "feelings")}
    praised = {e.turn_index for w in credited or [] if w.note in listening for e in w.evidence}
    felt = {i for i, pos in trace.turns.get("feeling_reflections", []) if pos}

    addr = address(transcript)
    working = _coaching_turns(transcript, lang) if working is None else working
    coaching = working.__contains__
    last = max(working) if working and _closes(transcript, lang) else None   # the end of a conversation that ends

    def fits(i: int, kind: str) -> bool:
        kind_full, kind = kind, kind.split(":")[0]
        r = readings[i]
        prev = turns[i - 1] if i else None
        if not consistent(i, kind):
            return False
        if kind in ("rasa", "feeling", "missed_reflection", "conclude") and not coaching(i):
            return False
        if kind == "feeling" and not has_marker("feelings", prev.text, lang):
            return False  # "name the feeling" where the coachee voiced one, not after "Yes, that's right."
        if kind == "conclude" and i != last:
            # "What will you take away from today?" belongs to the last turn of a conversation that ends; a page
            # often stops in the middle (raters of 38 real transcripts: 19 of 21 take-aways "in the middle")
            return False
        if kind in ("rasa", "missed_reflection") and not asks(r):
            return False  # "Sama-sama, A." rewritten as "So what I'm hearing is …. What have you tried so far?"
        if kind == "rasa" and not r.has("open_question"):
            return False  # a closed question "summarised, then asked" is still closed ("How did you read …?")
        if kind in ("conclude", "next_stage") and _echoes(r.text, _rewrite_of(kind_full, addr, lang)):
            return False
        return True

    def consistent(i: int, kind: str) -> bool:
        """The rules no lesson may break even when nothing fits better (the report contradicting itself)."""
        kind, r = kind.split(":")[0], readings[i]
        prev = turns[i - 1] if i else None
        if kind in ("rasa", "feeling", "missed_reflection", "conclude"):
            if prev is None or prev.speaker != "coachee" or not prev.text.strip():
                return False
            if _move(prev.text, lang).ordinary:  # "Pagi, Bu. Terima kasih sudah mau ketemu": no content yet
                return False
        if kind in ("rasa", "missed_reflection", "feeling") and len(prev.text.split()) < 6:
            return False  # "Iya, benar." leaves nothing to summarise ("ini penting bagi Ibu" is empty)
        if kind in ("rasa", "feeling", "missed_reflection"):
            if i in praised:
                return False  # praised for listening, then told to listen better: one sentence both ways
            if kind != "feeling" and _reflects(r):
                return False
            if kind == "feeling" and (i in felt or has_marker("feelings", r.text, lang)):
                return False
        return True

    return fits


@lru_cache(maxsize=4096)
def _move(text: str, lang: str):
    """The ordinary move a turn is (once per text: every candidate lesson asks about its turn and the one before)."""
    return classify(text, lang)


def asks(r: Reading) -> bool:
    return r.questions > 0 or r.has("open_question", "closed_question", "why_question")


def _closes(transcript: Transcript, lang: str) -> bool:
    """The conversation ends here: thanks or a goodbye anywhere in its last two turns of either speaker (the
    move rules' own patterns, as the coachee hears them)."""
    rules = load_move_rules()
    return any(_move(t.text, lang).kind in ("thanks", "goodbye") or rules.search(lang, "thanks_any", t.text)
               or rules.search(lang, "goodbye", t.text) for t in transcript.turns[-4:])


def _coaching_turns(transcript: Transcript, lang: str) -> set[int]:
    """Coach turns that coach: not an ordinary move (a salam, small talk, thanks, goodbye) and at least three words
    (not "Wah..", "”." or a fragment a page cut short)."""
    return {i for i, t in enumerate(transcript.turns)
            if t.speaker == "coach" and len(re.findall(r"\w+", t.text)) >= 3 and not _move(t.text, lang).ordinary
            and not _SMALL_TALK[lang].search(t.text)}


ECHO_OVERLAP = 0.4  # word overlap (Jaccard) above which a rewrite says what the coach already asked


def _words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _echoes(text: str, rewrite: str) -> bool:
    """The rewrite is nearly one of the turn's own questions."""
    new = _words_of(rewrite)
    for q in [x for x in sentences(text) if x.endswith("?")] or [text]:
        old = _words_of(q)
        if old and new and len(old & new) / len(old | new) >= ECHO_OVERLAP:
            return True
    return False


def _rewrite_of(kind: str, addr: str, lang: str) -> str:
    """The fixed rewrite of a deepening kind that does not depend on the turn (conclude, next stage)."""
    if kind.startswith("next_stage:"):
        return _t(kinds()["stage_questions"][kind.split(":", 1)[1]]).get(lang).format(addr=addr)
    return _t(kinds()[kind]["better"]).get(lang).format(addr=addr)


def _deepen(transcript: Transcript, readings: Mapping[int, Reading], trace: Trace, working: set[int]
            ) -> list[tuple[int, str]]:
    """Ways to deepen a strength; every candidate; `_fitting` decides which fit."""
    turns, lang = transcript.turns, transcript.lang
    coach = sorted(readings)
    # a stage any coach turn worked in counts as reached here, in whatever order (the score rewards the order;
    # "the conversation did not reach Identify" after "what has worked so far?" late in the talk is false)
    reached = {TIRTA_STAGES[k] for k, _ in trace.turns.get("_stages", [])} | {
        r.tirta for r in readings.values() if r.tirta}
    out: list[tuple[int, str]] = []
    # The goal question belongs where the coach first asks about the matter (not on the salam); a later stage's
    # question on the last turn that still coaches (not on "Terima kasih, Bu").
    ordered = sorted(working)
    asking = [i for i in ordered if readings[i].has("open_question")] or [i for i in ordered if asks(readings[i])] \
        or ordered
    for stage in TIRTA_STAGES:
        if stage not in reached:
            # a later stage "not reached" only in a conversation that ends: a page cut off mid-talk has not failed
            # to reach the plan (and its last question is often the good one the rewrite would replace)
            if asking and (stage == "tujuan" or _closes(transcript, lang)):
                out.append((asking[0] if stage == "tujuan" else asking[-1], f"next_stage:{stage}"))
            break
    for i in coach:
        r = readings[i]
        prev = turns[i - 1] if i else None
        if prev is not None and prev.speaker == "coachee":
            if has_marker("feelings", prev.text, lang) and not has_marker("feelings", r.text, lang):
                out.append((i, "feeling"))
            if r.has("open_question") and not r.has("reflection"):
                out.append((i, "rasa"))
    for i in reversed(coach):  # last resort: the latest turns
        out += [(i, "rasa"), (i, "feeling")]
    # always possible: let the coachee draw the conclusion (the latest turn first; others when it does not fit)
    out += [(i, "conclude") for i in reversed(coach)]
    seen, uniq = set(), []
    for c in out:
        if c not in seen:
            seen.add(c)
            uniq.append(c)
    return uniq


def _improvement(transcript: Transcript, readings: Mapping[int, Reading], i: int, kind: str, addr: str
                 ) -> Improvement:
    lang = transcript.lang
    turns = transcript.turns
    text, r = turns[i].text, readings[i]
    stage = None
    if kind.startswith("next_stage:"):
        kind, stage = kind.split(":", 1)
    spec = kinds()[kind]
    prev = turns[i - 1].text if i and turns[i - 1].speaker == "coachee" else ""
    qs = [s for s in sentences(text) if s.endswith("?")]
    fields = {"addr": addr, "rest": "", "para": paraphrase(prev, lang, addr) if prev else "",
              "question": repair_question(qs[0], lang, addr) if qs else _t(kinds()["stage_questions"]["identifikasi"]
                                                                           ).get(lang).format(addr=addr),
              "first": repair_question(first_question(qs[0] if qs else text), lang, addr),
              "stage": "", "stage_question": ""}
    quote_signal = {"advice": "advice_count", "judgement": "judgement_count", "stacked": "stacked_count",
                    "long_turn": "coach_talk_share", "feeling": "reflections_per_question"}.get(kind, "open_share")
    quote = quote_for(text, quote_signal, r)
    better = ""
    if kind == "why":
        # the sentence that asks why, with or without "?" ("Tapi pak, kenapa ya pak, saya lihat kok bapak kurang
        # semangat." before "Ada apa ya pak?"; "kok tiba-tiba …?" after "Gimana nih kabarnya Pak?")
        why_q = next((q for q in qs if re.search(r"\b(mengapa|kenapa|why)\b", q, re.I)), None) or next(
            (q for q in sentences(text) if "why_question" in read_turn(q, lang=lang).acts), qs[0] if qs else text)
        quote = _clip(why_q) if why_q in text else quote
        better = rephrase_why(why_q, lang, addr)
    elif kind == "closed":
        closed_q = next((q for q in qs if "closed_question" in read_turn(q, lang=lang).acts), qs[0] if qs else text)
        quote = _clip(closed_q) if closed_q in text else quote
        better = rephrase_closed(closed_q, lang, addr)
    elif kind == "stacked" and qs:  # keep the one good open question of the stack, if there is one
        keep = next((q for q in qs if good_rewrite(q, lang)), None)
        if keep:
            better = keep
    elif kind == "long_turn" and qs:
        fields["question"] = repair_question(qs[-1], lang, addr)
    elif kind == "feeling" and (felt := marker_word("feelings", prev, lang, _NOT_A_FEELING)):
        # the feeling the coachee voiced, named back ("Kedengarannya Ibu merasa kewalahan."), not a stock "this
        # really matters to you" (raters, round 9: "names the wrong feeling")
        better = (f"It sounds like you're feeling {felt}. What's that like for you?" if lang == "en" else
                  f"Kedengarannya {addr} merasa {felt}. Apa yang paling membuat {addr} merasa begitu?")
    elif kind in ("missed_reflection", "rasa") and (len(prev.split()) < 6 or len(fields["para"].split()) < 4):
        # nothing worth summarising ("Baik, nanti saya coba."): a summary of it would sound absurd
        fields["para"] = "ini penting bagi " + addr if lang == "id" else "that this matters to you"
    if kind == "next_stage" and stage:
        fields["stage"] = _t(kinds()["stage_names"][stage]).get(lang)
        fields["stage_question"] = _t(kinds()["stage_questions"][stage]).get(lang).format(addr=addr)
    if not better:
        better = _t(spec["better"]).get(lang).format(**fields)
    better = _tidy(better)
    if not good_rewrite(better, lang):  # a rewrite must itself be one good open question
        generic = _tidy(_t(spec["better"]).get(lang).format(**fields))
        better = generic if good_rewrite(generic, lang) else _tidy(
            _t(kinds()["fallback"]).get(lang).format(addr=addr))
    why = _t(spec["why"])
    if stage:
        why = Text(why.id.format(stage=_t(kinds()["stage_names"][stage]).id),
                   why.en.format(stage=_t(kinds()["stage_names"][stage]).en))
    return Improvement(kind=kind if not stage else f"next_stage:{stage}", turn_index=i, quote=quote,
                       title=_t(spec["title"]), why=why, better=better, passage=None)


def _attach_passages(items: list[Improvement], searcher, lang: str, notes: list[Text]) -> None:
    if searcher is None or not items:   # (no improvement, nothing searched: "no passages" would not be true)
        return
    found = 0
    for item in items:
        spec = kinds()[item.kind.split(":")[0]]
        try:
            hits = searcher.search(_t(spec["query"]).get(lang), k=1, lang=lang)
        except Exception as exc:  # retrieval is optional: a report without citations beats no report
            msg = _t(labels()["notes"]["search_failed"])
            err = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            notes.append(Text(msg.id.format(error=err), msg.en.format(error=err)))
            return
        if hits:
            p = hits[0]
            item.passage = Citation(text=p.text, source=p.source, heading=p.heading, cite=p.cite())
            found += 1
    if not found:
        notes.append(_t(labels()["notes"]["no_passages"]))


# ---------------------------------------------------------------- phrasing rules

_ADDR = re.compile(r"\b(bapak|ibu|pak|bu|anda|kamu|nak|mas|mbak)\b", re.I)
_ADDR_NORM = {"pak": "Bapak", "bu": "Ibu", "bapak": "Bapak", "ibu": "Ibu", "anda": "Anda", "kamu": "kamu",
              "nak": "kamu", "mas": "Mas", "mbak": "Mbak"}
_FILLERS_ID = r"^(?:(?:jadi|lalu|terus|nah|oke|ok|baik|baiklah|hmm|ya|iya|kalau begitu|kemudian|trus|sekarang)[,\s]+)+"
_FILLERS_EN = r"^(?:(?:so|and|ok|okay|well|right|now|then|alright|hmm)[,\s]+)+"


def address(transcript: Transcript) -> str:
    if transcript.lang == "en":
        return "you"
    # A teacher talking with a student calls herself "Ibu" ("ada yang bisa ibu bantu?") and the student "kamu" or
    # "Nak": a coach who says "kamu"/"Nak" anywhere speaks to a student.
    if any(re.search(r"\b(kamu|nak)\b", t.text, re.I) for t in transcript.turns if t.speaker == "coach"):
        return "kamu"
    for t in transcript.turns:
        if t.speaker == "coach":
            m = _ADDR.search(t.text)
            if m:
                return _ADDR_NORM[m.group(1).lower()]
    return "Anda"


def _strip(q: str, lang: str) -> str:
    q = q.strip().rstrip("?").strip()
    return re.sub(_FILLERS_EN if lang == "en" else _FILLERS_ID, "", q, flags=re.I).strip(" ,")


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([?.,])", r"\1", s)
    s = s.replace("….", "…")  # a paraphrase cut short already ends the sentence
    return s[:1].upper() + s[1:]


_PAST_EN = {"went": "go", "came": "come", "got": "get", "took": "take", "made": "make", "gave": "give",
            "left": "leave", "felt": "feel", "stopped": "stop", "lost": "lose", "ran": "run", "fell": "fall"}
_EN_OPEN = [  # (a closed form, its open form): raters found "To what extent did you know …?" awkward
    (r"is there (?:anything|anyone|anybody|someone|something) or (?:anything|anyone|anybody|someone|something)"
     r"(?: (?:that|who|which))? (.+)", "Who or what {0}?"),
    (r"is there (?:anything|something)(?: (?:that|which))? (.+)", "What {0}?"),
    (r"is there (?:anyone|anybody|someone)(?: (?:who|that))? (.+)", "Who {0}?"),
    (r"is there (?:any|a) way (?:to )?(.+)", "What ways {0} can you see?"),
    (r"did you (?!know|reali[sz]e|notice|see|hear)(.+)", "How did you {0}?"),   # not "How did you know …?"
    (r"have you (?:ever )?tried (.+)", "What have you tried so far?"),
]


def rephrase_closed(q: str, lang: str, addr: str) -> str:
    core = _strip(q, lang)
    if lang == "en":
        for pattern, form in _EN_OPEN:
            m = re.fullmatch(pattern, core, re.I)
            if m:
                return form.format(*m.groups())
        return _t(kinds()["closed"]["better"]).en
    m = re.match(r"(.*?)\b(?:udah|sudah)\s+(.+?)\s+belum\b(.*)", core, re.I)
    if m and len(m.group(2).split()) <= 5:
        # "Bapak udah sosialisasi belum?" -> "Apa yang sudah Bapak lakukan untuk sosialisasi?"
        rest = f"{m.group(2)}{m.group(3)}".strip(" ,")
        return f"Apa yang sudah {addr} lakukan untuk {rest}?"
    core = re.sub(r",?\s*\b(kan|ya|bukan|tidak|nggak|gak|kah)$", "", core, flags=re.I)   # not "orang tua-nya"
    m = re.match(r"(apakah|apa iya|apa(?=\s+(?:bapak|ibu|pak|bu|anda|kamu|sudah|pernah|bisa|memang)\b)|sudahkah|"
                 r"pernahkah|bisakah|dapatkah|adakah|benarkah|maukah)\s+(.*)", core, re.I)
    if m:
        word, rest = m.group(1).lower(), m.group(2)
        if word == "sudahkah":
            s = re.match(r"(\S+)\s+(.*)", rest)
            return f"Sejauh mana {s.group(1)} sudah {s.group(2)}?" if s else f"Sejauh mana {rest}?"
        if word == "pernahkah":
            return f"Seberapa sering {rest}?"
        if word in ("bisakah", "dapatkah"):
            return f"Apa yang membantu untuk {rest}?"
        if word == "adakah":
            return f"Apa saja {rest}?"
        return f"Sejauh mana {rest}?"
    return _t(kinds()["closed"]["better"]).id.format(addr=addr)


def rephrase_why(q: str, lang: str, addr: str) -> str:
    core = _strip(q, lang)
    if lang == "en":
        think = re.match(r"why do you think (?:that )?(.*)", core, re.I)
        if think:
            # "Why do you think they keep going off topic?" asks for the coachee's view of a cause, not of why it
            # thinks so ("What led you to think…" doubts what the coachee saw)
            rest = think.group(1)
            there = re.match(r"there (?:is|was|are|were) (.+)", rest, re.I)
            if there:
                return f"What do you think led to {there.group(1)}?"
            m = re.match(r"(they|he|she|we|it)\s+(?!(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had)\b)"
                         r"(\w+)\b(.*)", rest, re.I)
            if m:
                obj = {"they": "them", "he": "him", "she": "her", "we": "you", "it": "it"}[m.group(1).lower()]
                verb, past = m.group(2), _PAST_EN.get(m.group(2).lower())
                if past or verb.lower().endswith("ed"):
                    # "Why do you think it went so wrong?" -> "What do you think made it go so wrong?"
                    return f"What do you think made {obj} {past}{m.group(3)}?" if past else \
                        "What do you think is behind that?"
                verb = re.sub(r"(?<=[^s])s$", "", verb) if m.group(1).lower() in ("he", "she", "it") else verb
                return f"What do you think makes {obj} {verb}{m.group(3)}?"
            return "What do you think is behind that?"
        m = re.match(r"why\s+(did|do|does|would|are|were|is|was)\s+(you|he|she|they|we|it|i)\s+(.*)", core, re.I)
        if m:
            aux, subj, rest = m.group(1).lower(), m.group(2).lower(), m.group(3)
            obj = {"he": "him", "she": "her", "they": "them", "we": "you", "i": "you"}.get(subj, subj)
            if re.search(r"\b(not|never)\b|n't\b", f"{aux} {rest}", re.I):
                return "What were you weighing up at that moment?"
            if aux in ("are", "were", "is", "was"):
                return f"What makes {obj} {rest}?"
            return f"What led {obj} to {rest}?"
        return _t(kinds()["why"]["better"]).en
    m = re.search(r"\b(?:mengapa|kenapa)(?:[,\s]+(?:sih|kok|ya|ya\s+kok)\b)?[,\s]*(.*)", core, re.I)
    rest = re.sub(r"[,\s]+(?:bu|pak|nak|ibu|bapak|mbak|mas|dik)\W*$", "", m.group(1).strip(), flags=re.I) if m else ""
    if m and not re.sub(r"\W", "", rest) or re.fullmatch(r"(?:bu|pak|nak|ibu|bapak|mbak|mas|dik)\W*", rest, re.I):
        return "Apa yang terjadi?"   # "Kenapa, Nak?": what is the matter, not a why about something said
    if re.match(r"(bisa|jadi|sampai|begitu|begini)\b", rest, re.I):
        rest = "hal itu " + rest   # "Kenapa kok bisa turun, Nak?" -> "Apa yang membuat hal itu bisa turun?"
    view = re.search(r"\b(?:menurut|kata)\s+(bapak|ibu|pak|bu|kamu|anda|mas|mbak)\b[,\s]*", rest, re.I)
    if view:
        # "Kenapa menurut Ibu dia nggak mau ngomong?" asks for the coachee's view of another person: kept as that
        rest = (rest[:view.start()] + rest[view.end():]).strip(" ,")
        return f"Menurut {addr}, apa yang membuat {rest}?"
    if re.match(r"(dia|mereka|anak|murid|siswa|orang tua|teman)", rest, re.I):
        return f"Menurut {addr}, apa yang membuat {rest}?"
    m_not = re.search(r"\b(?:tidak|nggak|gak|enggak|belum|tak|kurang)\s+(\w+)", rest, re.I)
    if m_not and not re.match(r"(me|ber|di|ter|ke|pe)\w{3,}", m_not.group(1), re.I):
        # "Mengapa Ibu tidak tegas?" -> "Apa yang membuat Ibu tidak tegas?" keeps the reproach (a trait the coach
        # finds missing); ask about the coachee's own reasoning instead. A missing deed ("tidak memakai media")
        # is a fair thing to ask about and stays.
        return f"Apa yang {addr} pertimbangkan saat itu?"
    if not rest:
        rest = f"{addr} memilih cara itu"
    return f"Apa yang membuat {rest}?"


_BAD_IN_REWRITE = ("advice", "why_question", "closed_question")
_CLOSED_IS_FINE = {
    "id": re.compile(r"\b(\d+\s*menit|masih (oke|bisa|ada waktu)|boleh (saya|kita)|ada lagi|apa lagi|lainnya|"
                     r"berapa lama waktu|waktu(nya)? (ibu|bapak|kamu)? ?(ada|cukup|longgar))\b"
                     r"|\b(bisa|coba|boleh) (ceritakan|sampaikan|jelaskan|sebutkan)\b", re.I),
    "en": re.compile(r"\b(\d+\s*min(ute)?s?|still work|is (that|this) (ok|okay|alright)|anything else|what else|"
                     r"how long (have|do) (we|you) (got|have)|how much time|"
                     r"may i|shall we)\b|\b(could|can|would) you (tell|say|put|describe|share|walk|explain|give|talk)\b",
                     re.I)}
_RETELL = {"id": re.compile(r"\b(kata-kata|kalimat) (ibu|bapak|kamu|anda|sendiri)\b|\bcoba (ceritakan|sampaikan)\b"
                           r"|\b(rangkum|simpulkan|ringkas)\w*\b", re.I),
           "en": re.compile(r"\bin your own words\b|\bwalk me through\b|\b(summari[sz]e|sum up|recap)\b", re.I)}
_SCALE = {"id": re.compile(r"\b(dari|skala) (1|satu)\b.*\b(10|sepuluh)\b|\bangka(nya)?\s+\d|\bjadi\s+\d+\b", re.I),
          "en": re.compile(r"\b(from|on a scale of|scale) (1|one)\b.*\b(10|ten)\b|\b(a|an|to)\s+(\d+|seven|eight|nine)\b"
                           r"(?!\s*(minutes?|mins?|hours?|days?|weeks?|students?|pupils?|children|kids))", re.I)}
_SMALL_TALK = {"id": re.compile(r"\b(apa kabar|gimana kabar|bagaimana kabar|sehat\b)", re.I),
               "en": re.compile(r"\b(how are you|how's it going|how have you been|good (weekend|holiday|break)|"
                                r"how('s| is| has| was) (the|your) (week|day|weekend|morning|holiday|break))\b", re.I)}
_NOT_A_FEELING = frozenset({"merasa", "perasaan", "emosi", "berat", "feel", "feels", "feeling", "felt",
                            "hard on you", "difficult for you", "alone", "sendirian"})
_WH = r"(apa|bagaimana|gimana|kapan|siapa|mengapa|kenapa|berapa|di ?mana|what|how|when|who|why|where|which)"


def _asks_closed(text: str, lang: str) -> bool:
    """A closed question of three words or more ("Oh ya?" and "Gitu?" are backchannels, not closed questions)."""
    qs = [q for q in sentences(text) if q.endswith("?")] or [text]
    return any(len(re.findall(r"\w+", q)) >= 3 and ("closed_question" in read_turn(q, lang=lang).acts
                                                   or _closed_form(q, lang)) for q in qs)


def _really_stacked(text: str, lang: str) -> bool:
    """Two questions the coachee must answer: two asked sentences of three words or more, or "…, dan apa …?".
    "Oh ya? Apa yang kamu rasakan?" and "Coba ceritakan, apa yang berbeda?" ask once (raters, round 9)."""
    asked = [q for q in sentences(text) if q.endswith("?") and len(re.findall(r"\w+", q)) >= 3]
    return len(asked) >= 2 or bool(re.search(rf"\b(dan|atau|and|or|terus|lalu)\s+{_WH}\b", text, re.I))
# A yes/no form at the start is a closed question whatever else the reader saw in it ("Did you talk to…?")
_CLOSED_START = {
    "en": re.compile(r"^\s*(?:(?:so|and|ok|okay|well)[,\s]+)*(do|does|did|is|are|was|were|have|has|had|can|could|will|"
                     r"would|should|am)\b", re.I),
    "id": re.compile(r"^\s*(apakah|sudahkah|pernahkah|bisakah|dapatkah|adakah|benarkah|maukah|apa iya)\b", re.I)}


def _closed_form(question: str, lang: str) -> bool:
    return bool(_CLOSED_START["en" if lang == "en" else "id"].match(question))


def good_rewrite(text: str, lang: str) -> bool:
    """One open question, not closed, not "why", no advice, judgement or leading (a summary before it is fine)."""
    parts = sentences(text)
    if text.count("?") != 1 or not text.rstrip().endswith("?") or not parts:
        return False   # (a bare "?" has no sentence: nothing to ask)
    question = parts[-1]
    r = read_turn(question, lang=lang)
    whole = read_turn(text, lang=lang)
    return ("open_question" in r.acts and not r.has(*_BAD_IN_REWRITE) and not r.leading and not r.stacked
            and not whole.judgement and not whole.has("advice") and not _closed_form(question, lang))


def first_question(q: str) -> str:
    """One question: "What will you do, and when?" -> "What will you do?"."""
    parts = re.split(r"(?:,\s*|\s+)(?:and|or|dan|atau|lalu|serta)\s+(?=\w)", q.rstrip("?").strip(), maxsplit=1)
    return parts[0].strip(" ,") + "?" if len(parts) > 1 else q


def repair_question(q: str, lang: str, addr: str) -> str:
    """The question as a better coach would ask it: closed and why questions rewritten, others kept."""
    acts = read_turn(q, lang=lang).acts
    if "why_question" in acts:
        return rephrase_why(q, lang, addr)
    if "closed_question" in acts or _closed_form(q, lang):
        return rephrase_closed(q, lang, addr)
    return q.strip()


_EN_SWAP = [(r"\bi am\b", "you are"), (r"\bi wasn't\b", "you weren't"), (r"\bi was\b", "you were"), (r"\bi'm\b", "you're"), (r"\bi've\b", "you've"),
            (r"\bi'll\b", "you'll"), (r"\bi'd\b", "you'd"), (r"\bi\b", "you"), (r"\bme\b", "you"),
            (r"\bmy\b", "your"), (r"\bmine\b", "yours"), (r"\bmyself\b", "yourself"), (r"\bwe\b", "you"),
            (r"\bour\b", "your"), (r"\bus\b", "you")]


_OPENER = re.compile(r"(?:ya|iya|yes|yeah|yep|no|nope|ok|okay|oke|boleh|betul|benar|baik|nah|well|sure|right|"
                     r"alhamdulillah|tidak|nggak|enggak|hmm|oh|wah)\b|.*\b(?:bu|pak|ibu|bapak|mbak|mas)\s+[A-Z]", re.I)


def paraphrase(coachee_text: str, lang: str, addr: str) -> str:
    """The coachee's first clause in the coach's voice ("saya" -> "Ibu", "I" -> "you")."""
    text = re.sub(r"[\"“”„]", "", coachee_text).replace("’", "'")  # a transcript's quotation marks are not words
    sents = [x for x in sentences(text) if not x.endswith("?")] or sentences(text) or [text]
    first = max(sents, key=lambda x: len(x.split())).rstrip(".!?… ")
    first = re.sub(_FILLERS_EN if lang == "en" else r"^(?:(?:ya|iya|hmm|nah|nih|sih|jadi|begini|sebenarnya|gini)[,\s]+)+",
                   "", first, flags=re.I)
    first = re.sub(r"^(?:[Bb]u|[Pp]ak|[Ii]bu|[Bb]apak|[Mm]bak|[Mm]as)\s+[A-Z]\w*[,\s]+(?=\w)", "", first)  # "Bu Chitra, …"
    # a short opening clause that only answers or addresses ("Iya nih Bu Chitra, …", "Boleh, …", "Yes, …") is not
    # what the coachee said about the matter
    while (m := re.match(r"([^,]{1,40}),\s+(?=\S)", first)) and len(m.group(1).split()) <= 4 and _OPENER.match(m.group(1)):
        first = first[m.end():]
    first = re.sub(r"[,\s]+(?:bu|pak|nak)\W*$", "", first, flags=re.I)  # "… belum percaya diri Bu"
    first = re.sub(r"\s*\b(?:kali\s+)?ya,?\s+(?:bu|pak)\b,?", "", first, flags=re.I)  # "… dulu kali ya Bu, biar …"
    first = re.sub(r"^(?:atau|dan|tapi|terus|trus|soalnya|or|and|but|because)\b[,\s]*", "", first, flags=re.I)
    words = first.split()
    if len(words) > 16:
        head = " ".join(words[:16])
        first = head[: head.rfind(",")] if "," in head[20:] else head + " …"
    if lang == "en":
        s = first
        for pat, rep in _EN_SWAP:
            s = re.sub(pat, rep, s, flags=re.I)
        return s[:1].lower() + s[1:] if not s[:2].isupper() else s
    s = re.sub(r"\b(saya|aku|sy)\b", addr, first, flags=re.I)
    return s if s.startswith(addr) else s[:1].lower() + s[1:]
