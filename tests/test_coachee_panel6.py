"""Issue #11, sixth blind panel (bench/data/panels/6): causes behind its notes, each pinned in our own words.

1. "As I said, ..." only when the question asks for those words again (rounds 4-6: 10 of 12 rated non-sequiturs)
2. an earlier reply told again in other words is a repeat too: only what is new is said, else another memory
3. "Maksudnya? Saya tanya ..." / "I meant ...": the coach saying its own question again is a question to answer
4. "What do you mean by X?" explains the reply that said X, not the last one
5. a bare "not sure" to a question for something particular says the question back first, in the coachee's person
6. "... kamu bantu ibu ngapain?" asks what, not why
7. a yes/no close by embedding is decided by the words it shares with the item's yes or no examples
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from simulator.coachee.asked import meant_words
from simulator.coachee.persona import get_persona
from simulator.coachee.said import COACH_SAID
from simulator.coachee.state import Plan, initial_state
from simulator.coachee.voices import ScriptedVoice, not_knowing_lines
from simulator.reading.moves import classify, move_lines
from simulator.reading.reader import read_turn
from simulator.session import Session

ROOT = Path(__file__).resolve().parent.parent

GATE = "The gate shuts at seven, and I usually get in at quarter past. The duty teacher writes my name down."


def _reply(coach: str, said: list[str], text: str, question: str = "factual", lang: str = "en",
           persona_id: str = "murid_tugas_terlambat", reaction: str = "answer") -> str:
    """The scripted voice's reply to `coach` when memory offers one item `text` and the coachee said `said`."""
    item = {"id": "x", "layer": "open", "topic": "t", "short": text, "long": text, "score": 0.9, "asks": []}
    plan = Plan(reaction, None, [], "open", move="coaching", question=question, memory_items=[item],
                memories=[text], remembers=True)
    history: list[dict] = []
    for line in said:
        history += [{"speaker": "coach", "text": "Go on."}, {"speaker": "coachee", "text": line}]
    history.append({"speaker": "coach", "text": coach})
    persona = get_persona(persona_id)
    return ScriptedVoice().say(persona=persona, plan=plan, state=initial_state(persona), history=history,
                               lang=lang).text


def _coach_well_until(s: Session, reply: str, template: str, opens, turns: int = 12) -> tuple[str, str]:
    """Reflect the coachee's last words and ask on (`template` with {said}) until the next such turn would bring out
    a layer `opens` accepts (tried on a copy of the session); (that next turn, the last reply). Fails if none does."""
    for _ in range(turns):
        good = template.format(said=" ".join(reply.split()[:8]).rstrip(".,"))
        if opens(Session.from_dict(s.to_dict(), persona=s.persona).coach_says(good).plan.reveal):
            return good, reply
        reply = s.coach_says(good).reply
    pytest.fail(f"no layer came within {turns} good turns")


def _one_turn_before_the_core():
    """guru_baru in English, coached well until the next good turn would bring out the core: (the session, that
    turn, opened(text, topic=, near=) -> the item the turn would open, the state left as it is)."""
    from simulator.coachee import state as coachee
    from simulator.reading.reader import read_turn

    s = Session("guru_baru", lang="en")
    s.coach_says("Good afternoon, Ms Nadia.")
    reply = s.coach_says("What's been on your mind lately?").reply
    good, _ = _coach_well_until(s, reply, "You said {said}. What does that mean for you?",
                                lambda reveal: reveal == "core", turns=14)
    heard = frozenset(w for t in s.turns if t.speaker == "coachee" for w in t.text.lower().split())

    def opened(text: str, topic: str | None = None, near: frozenset[str] | None = None) -> str | None:
        reading, move = read_turn(text, s.last_coachee_text(), "en"), classify(text, "en")
        return coachee.update(s.state, reading, s.persona, move=move, topic=topic, heard=heard, near=near).opened

    return s, good, opened


def _to_core(persona: str, lang: str, opener: str, template: str) -> Session:
    s = Session(persona, lang=lang)
    s.coach_says("Good afternoon." if lang == "en" else "Selamat siang.")
    reply = s.coach_says(opener).reply
    for _ in range(16):
        if "core" in s.state.revealed:
            return s
        reply = s.coach_says(template.format(said=" ".join(reply.split()[:8]).rstrip(".,"))).reply
    pytest.fail("the core did not come")


def _replay(round_: str, rater: str, persona: str, lang: str, upto: int) -> tuple[Session, list[dict]]:
    """A blind panel's conversation (bench/data/panels) played up to coach turn `upto`; the session and its rows."""
    path = ROOT / "bench" / "data" / "panels" / round_ / rater / f"{persona}_{lang}.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    s = Session(persona, lang=lang)
    for row in rows[:upto]:
        s.coach_says(row["coach"])
    return s, rows


def _heads(lang: str) -> tuple[str, ...]:
    return tuple(t.split("{said}")[0].strip() for t in move_lines(lang)["already"])


# 1 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("coach", ["I asked about bedtime actually. What time do you usually go to sleep?",
                                   "So what could you try next week?"])
def test_as_i_said_is_not_the_answer_to_another_question(coach):
    reply = _reply(coach, [GATE], GATE)
    assert not reply.startswith(_heads("en")) and "gate" not in reply, reply


def test_as_i_said_answers_the_same_question_asked_again():
    reply = _reply("Sorry, what time does the gate shut?", [GATE], GATE)
    assert reply.startswith(_heads("en")) and "seven" in reply, reply


# 2 ------------------------------------------------------------------------------------------------------------
def test_a_reply_told_again_in_other_words_says_only_what_is_new():
    said = "Setiap modul ajar saya buat dari nol, supaya rapi. Tapi jadinya tidak pernah selesai."
    longer = ("Setiap modul ajar saya buat sendiri dari nol supaya rapi, jadi tidak pernah selesai. "
              "Satu modul bisa makan dua atau tiga malam di rumah kos.")
    reply = _reply("Apa yang paling berat dari itu, Bu?", [said], longer, question="open", lang="id",
                   persona_id="guru_baru", reaction="reveal")
    assert "dari nol" not in reply and "dua atau tiga malam" in reply, reply


def test_a_feeling_check_after_the_telling_gets_yes_and_something_new():
    s = Session("guru_baru", lang="id")
    s.coach_says("Selamat pagi, Bu.")
    told = s.coach_says("Apa yang sedang Ibu pikirkan akhir-akhir ini?").reply
    result = s.coach_says("Kedengarannya Ibu lelah sekali, ya?")
    yes, _, rest = result.reply.partition(" ")
    assert result.plan.confirms and yes.strip(".,").lower() in {"iya", "betul", "ya", "mm"}, result.reply
    assert len(rest.split()) >= 5 and "capek sekali" not in rest and rest not in told, result.reply


# 3 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,lang,asked", [
    ("Maksudnya betul gimana, Bu? Saya tanya apa Raka ada yang bantu belajar di rumah.", "id", "Raka"),
    ("Eh, maksudnya? Bapak tanya di rumah, pagi-pagi kamu bantu ibu ngapain?", "id", "bantu ibu"),
    ("Biasa aja gimana maksudnya? Ngerti atau nggak?", "id", "Ngerti"),
    ("What do you mean? I was asking who usually helps you at home.", "en", "helps you"),
])
def test_the_coach_saying_its_question_again_is_a_question(text, lang, asked):
    move = classify(text, lang)
    assert move.kind == "coaching" and asked in move.asked, move


@pytest.mark.parametrize("text,lang", [("Maksudnya gimana, Bu? Saya belum paham.", "id"),
                                       ("Sorry, what do you mean by branded?", "en"), ("Maksudnya?", "id")])
def test_a_request_to_explain_is_still_one(text, lang):
    assert classify(text, lang).kind == "clarify"


# 4 ------------------------------------------------------------------------------------------------------------
def test_what_do_you_mean_by_explains_the_reply_that_said_it():
    said = ["What matters to me is that no child feels branded.",
            "Those forty minutes go: five on the register, fifteen explaining, twenty on the worksheet."]
    token = COACH_SAID.set("Sorry, what do you mean by no child feeling branded?")
    try:
        assert meant_words(said, "en") == said[0]
    finally:
        COACH_SAID.reset(token)
    token = COACH_SAID.set("What do you mean?")
    try:
        assert meant_words(said, "en") == said[1]   # nothing named: the last reply
    finally:
        COACH_SAID.reset(token)


# 5 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("coach,lang", [
    ("Menurut Ibu, siapa di sekolah yang bisa Ibu ajak berbagi contoh modul?", "id"),
    ("Who do you think is talking about you?", "en"),
])
def test_not_sure_is_said_plainly(coach, lang):
    # Round 6 had the coachee say the question back before "not sure"; paired raters in session 13 (bench/data/paired/
    # 28: the same 50 turns with and without it) rated the plain line a fit 16 and 19 times against 9 and 17 with the
    # question said back, which garbled some questions ("Where are I now"): it is gone.
    reply = _reply(coach, [GATE], GATE, lang=lang, persona_id="guru_baru")
    persona = get_persona("guru_baru")
    assert reply in not_knowing_lines(persona, lang, "nothing_new") + not_knowing_lines(persona, lang, "unknown"), reply


@pytest.mark.parametrize("coach", ["What comes to mind?", "Is there anyone you could ask?"])
def test_a_question_for_nothing_particular_is_not_said_back(coach):
    reply = _reply(coach, [GATE], GATE, persona_id="guru_baru")
    lines = move_lines("en")
    assert "..." not in reply or reply in lines["nothing_new"] + lines["unknown"], reply


# 6 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,act", [("Pagi-pagi kamu bantu ibu ngapain?", "open_question"),
                                      ("Kamu ngapain aja di rumah?", "open_question"),
                                      ("Ngapain kamu telat terus?", "why_question")])
def test_ngapain_at_the_end_asks_what_at_the_start_why(text, act):
    assert read_turn(text, lang="id").acts == (act,)


# 7 ------------------------------------------------------------------------------------------------------------
def test_a_yes_no_shares_words_with_the_side_it_is_on():
    # the embedding put "Are you a form tutor as well?" (a "no" example) 0.01 nearer than "Are you on the P5 team?"
    s = Session("guru_baru", lang="en")
    s.coach_says("Good afternoon.")
    s.coach_says("How have things been going lately?")
    reply = s.coach_says("Are you on any team besides teaching?").reply
    assert reply.lower().startswith(("yes", "yeah", "mm, yes", "that's right")) and "P5" in reply, reply


# Round 7 (bench/data/panels/7) ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question,lang,particular", [
    ("Turnamen olahraga apa itu, Pak?", "id", True), ("Tokonya toko apa, Dimas?", "id", True),
    ("Who is chasing you about it?", "en", True), ("What kind of shop is it?", "en", True),
    ("Bapak mau coba apa?", "id", False), ("Apa yang paling membuat Ibu merasa sendirian?", "id", False),
    ("What's on your mind?", "en", False)])
def test_a_question_for_a_particular_thing_is_told_apart(question, lang, particular):
    from simulator.reading.moves import asks_particular

    assert asks_particular(question, lang) is particular


def test_a_question_for_a_particular_thing_opens_no_layer():
    # Coach well until the next good turn would bring out a layer; a question for a particular thing instead gets
    # an answer, and the layer stays to come (round 7: "Turnamen olahraga apa?" - an insight).
    s = Session("guru_p5_banyak_cerita", lang="id")
    s.coach_says("Selamat pagi, Pak.")
    reply = s.coach_says("Apa yang sedang Bapak pikirkan soal gelar karya?").reply
    _, reply = _coach_well_until(s, reply, "Bapak bilang, {said}. Apa artinya itu buat Bapak?",
                                 lambda reveal: reveal not in (None, "surface"))
    said = " ".join(reply.split()[:8]).rstrip(".,")
    result = s.coach_says(f"Bapak bilang, {said}. Sepatu futsalnya merek apa?")
    assert result.plan.reveal is None, result.reply


def test_thanks_for_the_time_before_the_coachee_spoke_opens_the_talk():
    s = Session("guru_senior_skeptis", lang="id")
    result = s.coach_says("Selamat pagi, Pak Bambang. Terima kasih sudah meluangkan waktu untuk ngobrol dengan saya.")
    assert result.plan.move == "greeting" and not s.state.ended, result.reply
    assert result.reply not in move_lines("id")["goodbye"]


def test_a_goodbye_with_an_offer_to_come_back_says_yes_to_it():
    s = Session("pasca_observasi_guru_pasif", lang="en")
    s.coach_says("Good morning, Mrs Siti.")
    s.coach_says("How did the lesson go for you?")
    reply = s.coach_says("Thanks for your time today, Mrs Siti. Shall I pop back next week to see how the five are "
                         "getting on?").reply
    lines = move_lines("en")
    assert any(reply.startswith(a) for a in lines["arrange"]) and any(reply.endswith(g) for g in lines["goodbye"]), reply


def test_asked_to_try_its_own_idea_while_guarded_it_says_yes():
    said = "Storytelling is still my strength. I don't need to throw it away, just stop halfway and give the kids room."
    reply = _reply("Stopping halfway to give them room to ask. Would you be willing to try that with 9A this week?",
                   [said], "There's no problem. My classes run as they always have.", question="yes_no",
                   persona_id="guru_senior_skeptis", reaction="not_yet")
    assert reply in move_lines("en")["try_yes"], reply


def test_a_line_asking_back_a_word_nobody_said_goes_last():
    from simulator.coachee.said import HEARD, presupposes

    token = HEARD.set("what do you want your students to take away?")
    try:
        assert presupposes("A plan for what? I haven't agreed anything needs changing.")
        assert presupposes("Rencana apa? Saya belum setuju ada yang perlu diubah.")
    finally:
        HEARD.reset(token)
    token = HEARD.set("so what is your plan for next week?")
    try:
        assert not presupposes("A plan for what? I haven't agreed anything needs changing.")
    finally:
        HEARD.reset(token)


def test_one_shared_word_is_no_question_asked_again():
    said = "I've just realised it's not their attention that's gone, it's their questions."
    reply = _reply("It's their questions that are gone. What might bring the questions back?", [said], said,
                   question="open", persona_id="guru_senior_skeptis", reaction="reveal")
    assert not reply.startswith(_heads("en")) and said not in reply, reply


def test_a_turn_about_what_was_told_two_layers_up_does_not_bring_out_the_next():
    # "What would help you feel less alone?" matches what was told at the surface, not the core: answered from
    # that, not by the core insight (round 7). The same turn about nothing in memory still opens it.
    s, good, opened = _one_turn_before_the_core()
    assert opened(good, topic=None) == "core" and opened(good, topic="surface") != "core"


# Round 8 (bench/data/panels/8) ----------------------------------------------------------------------------------
def test_a_who_question_after_a_lead_in_is_no_feeling_check():
    move = classify("No worries. In a typical lesson now, who are the students you're most worried about?", "en")
    assert move.question == "factual" and not move.check, move
    assert classify("Yes, when you said that, were you worried?", "en").check   # "when" there is no question word


def test_a_question_for_a_particular_thing_does_not_open_the_goal():
    s = Session("guru_diferensiasi", lang="en")
    for turn in ("Good afternoon, Ms Maya.", "What's on your mind about 8D?",
                 "You said Raka still struggles to read. Tell me a bit more about Raka."):
        s.coach_says(turn)
    result = s.coach_says("What does his reading look like in class?")
    assert result.plan.reveal != "goal" and "goal" not in s.state.revealed, result.reply


def test_an_old_sentence_stays_only_to_say_who_is_asked_about():
    said = "Saya sudah tiga kali mengulang SPLDV dengan kerja kelompok, tapi setiap kali kelasnya ramai."
    text = f"{said} Presentasinya selalu terpotong bel sebelum semua kelompok maju."
    reply = _reply("Ramai ya, Bu. Waktu kerja kelompok itu, biasanya apa yang terjadi di dalam kelompok?", [said], text,
                   question="open", lang="id", persona_id="pra_observasi_guru_matematika", reaction="reveal")
    assert reply == "Presentasinya selalu terpotong bel sebelum semua kelompok maju.", reply


@pytest.mark.parametrize("question,kind", [
    ("What would 'not falling behind the times' look like for you?", "aside_unsure"),
    ("What does a typical afternoon look like for you after the last lesson?", "aside_usual"),
    ("How many came last time?", "aside_unknown")])
def test_what_would_it_look_like_is_no_question_about_the_usual(question, kind):
    from simulator.coachee.asked import aside_kind

    assert aside_kind(question, "en") == kind


# Round 9 (bench/data/panels/9) ----------------------------------------------------------------------------------
def test_the_same_word_with_an_affix_is_no_unheard_reference():
    from simulator.coachee.asked import unheard_reference
    from simulator.coachee.said import HEARD

    token = HEARD.set("setiap modul ajar saya buat dari nol, lengkap dengan lkpd dan rubrik.")
    try:
        assert unheard_reference("Selengkap itu, Bu?", "guru_baru", "id") is None   # "lengkap" was said
        assert unheard_reference("Kucing itu yang mana, Bu?", "guru_baru", "id") is not None
    finally:
        HEARD.reset(token)


def test_asked_about_its_past_with_nothing_new_it_is_not_sure_rather_than_not_yet():
    said = "We were five: me, Salsa, Rara, Tiara and Keisha, always together at the canteen."
    reply = _reply("The five of you. Who were they?", [said], said, persona_id="murid_sosial_emosional")
    tail = reply.split("... ")[-1]
    lines = move_lines("en", "student")
    assert tail in lines["unknown"] or reply.startswith(_heads("en")) or "Salsa" in reply, reply
    assert tail not in lines["nothing_new"], reply


def test_the_coachee_s_own_name_is_never_what_is_asked_about():
    # "Try what exactly, Mrs Siti?" found the item where she introduces herself (round 9).
    s = Session("pasca_observasi_guru_pasif", lang="en")
    s.coach_says("Good morning, Mrs Siti.")
    s.coach_says("How did the lesson go for you?")
    for turn in ("Try what exactly, Mrs Siti?", "Mrs Siti, what would you try first?"):
        hits = s._hits(s._classify(turn), s.last_coachee_text())
        assert hits and hits[0].item.id != "name_school", [(h.item.id, h.score) for h in hits]
    assert s._unnamed("Bu Siti, siapa nama anak itu?") == "siapa nama anak itu?"


# Round 10 (bench/data/panels/10) ---------------------------------------------------------------------------------
def test_how_many_x_is_answered_by_the_item_that_counts_x():
    # "Ada berapa kelompok kemarin?" - "VII-B itu tiga puluh dua anak." (round 10: the class size, twice)
    s = Session("pasca_observasi_guru_ipa", lang="id")
    s.coach_says("Selamat pagi, Pak Hendra. Bagaimana perasaan Bapak tentang praktikum kemarin?")
    reply = s.coach_says("Anak-anak senang dan aktif, ya. Ada berapa kelompok kemarin, Pak?").reply
    assert "lima kelompok" in reply.lower(), reply


def test_an_open_question_on_the_same_topic_is_not_answered_with_the_telling_again():
    # "Di jam pelajaran pagi ... juga suka saling ejek?" after the telling about breaks (round 10): something new
    # is asked; only a question whose every topic word the telling holds asks for it again.
    said = "Every break someone ends up crying, or they tease and squabble, and sometimes it turns into a fight."
    reply = _reply("And what happens in the mornings, before the first lesson starts?", [said], said,
                   question="open", persona_id="guru_sosial_emosional", reaction="reveal")
    assert not reply.startswith(_heads("en")) and said not in reply, reply


def test_as_i_said_to_an_either_or_question_picks_one_instead():
    said = "Anak-anak kelas V itu, setiap habis istirahat pasti ada yang menangis atau saling ejek."
    reply = _reply("Ributnya itu selalu setelah istirahat saja, atau juga di jam lain?", [said], said,
                   question="yes_no", lang="id", persona_id="guru_sosial_emosional")
    assert not reply.startswith(_heads("id")) and "istirahat" in reply, reply


def test_the_count_may_come_after_the_thing_counted():
    # "kelas V Ibu ada berapa murid?" - "Saya Lestari, wali kelas V ..." (rounds 6 and 8); "Murid saya tiga puluh"
    s = Session("guru_sosial_emosional", lang="id")
    s.coach_says("Selamat siang, Bu Lestari.")
    reply = s.coach_says("Padat ya, Bu. Ngomong-ngomong, kelas V Ibu ada berapa murid sih?").reply
    assert "tiga puluh" in reply, reply


def test_the_student_knows_who_called_him_in():
    # "Yeah, I know; my form teacher called me in" said to his form teacher (sessions 6 and 10)
    reply = Session("murid_tugas_terlambat", lang="en").coach_says(
        "Morning, Dimas. Do you know why I asked to see you?").reply
    assert "form teacher" not in reply and "you called me in" in reply, reply


def test_as_i_said_does_not_double_the_speaker_s_own_lead_word():
    # "Ya, pokoknya Pokoknya gelar karya harus meriah." (round 11)
    voice = ScriptedVoice()
    said = ["Pokoknya gelar karya harus meriah."]
    for k in range(6):
        again = voice._again(said[0], said, "id", f"k{k}", recall=True).lower()
        assert "pokoknya pokoknya" not in again and again.count("pokoknya") <= 1, again


@pytest.mark.parametrize("text,question,lang,holds", [
    ("Ayah pulang jam lima dan capek, jadi PR saya urus sendiri.", "Kamu belajar Matematika berapa lama?", "id", False),
    ("Biasanya satu jam, habis isya.", "Berapa lama kamu belajar?", "id", True),
    ("About half an hour, I think.", "How long did the demonstration take?", "en", True),
    ("It starts at seven.", "How long does it take?", "en", False)])
def test_how_long_wants_a_length_of_time_not_any_number(text, question, lang, holds):
    # round 11: "Berapa lama belajar di rumah?" - "as I said" the family story ("pulang jam lima"), twice
    from simulator.reading.focus import has_form

    assert has_form(text, question, lang) is holds


# Round 12 (bench/data/panels/12) --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, forward", [
    ("For your next practical, what's one concrete thing you'd try?", "en", True),
    ("If it really were the kids' project, what's the first thing you'd let go of?", "en", True),
    ("If you let one thing be 'good enough' this week, what might that be?", "en", True),
    ("Satu hal apa yang mau Ibu coba minggu ini?", "id", True),
    ("Tugas mana yang bisa diserahkan ke anak-anak minggu ini?", "id", True),
    ("What happened in the lesson this week?", "en", False),
    ("What's one thing that went well?", "en", False),
    ("Apa yang terjadi di kelas minggu ini?", "id", False),
])
def test_a_question_for_one_step_is_forward(text, lang, forward):
    assert classify(text, lang).forward is forward


def test_asked_for_one_step_after_the_core_the_coachee_does_not_give_another_insight():
    # Round 12: "what's one concrete thing you'd try?" read as a plain open question drew the core insight again
    # (8 times "an insight instead of the step"). A step question after the core, with no goal yet, leaves the
    # coachee stuck for a step - never a line of its core layer.
    from simulator.coachee.voices import candidate_lines
    s = _to_core("pasca_observasi_guru_ipa", "en", "How do you feel the practical went?",
                 "You said {said}. What does that mean for you?")
    assert "goal" not in s.state.revealed
    result = s.coach_says("For your next practical, what's one concrete thing you'd try?")
    core = candidate_lines(s.persona, Plan("reveal", None, [], "open", layer="core"), "en")
    assert result.plan.reaction == "stuck" and result.reply not in core, (result.plan.reaction, result.reply)
    # ... nor its early "nothing needs changing" stuck lines: what must change is clear, the aim is not said yet
    assert result.reply in move_lines("en")["step_after_insight"], result.reply
    # and the trainee who then asks for the goal gets it (TIRTA: the goal, then the plan)
    goal = s.coach_says("You're not sure yet what you're aiming for. What would you like to achieve in your practicals?")
    assert goal.plan.reveal == "goal", (goal.plan.reaction, goal.reply)


def test_a_step_asked_at_the_close_is_no_shrugged_conclusion():
    # Round 12: "Before we finish, what's one thing you'll do this week?" - "In short, Oh, I'm not sure about that."
    s = _to_core("guru_baru", "en", "What's been on your mind lately?", "You said {said}. What does that mean for you?")
    result = s.coach_says("We're nearly out of time. Before we finish, what's one thing you'll do this week, and when?")
    assert result.plan.reaction == "closing" and result.reply in move_lines("en")["step_after_insight"], result.reply
    # a conclusion asked for sums up the insight, even when every core line has been said: never a shrug
    for _ in range(3):
        reply = s.coach_says("Before we finish, what would you say is your conclusion from today?").reply
        assert not any(x.rstrip(".") in reply for x in move_lines("en")["unknown"] + move_lines("en")["nothing_new"]), reply


def test_a_person_the_coachee_named_asked_about_as_her_is_answered_about_her():
    # Round 12: "Salsa, is she a colleague? Tell me a bit about her." drew a line about Mrs Wati: the question names
    # her only as "her"; the name is earlier in the turn.
    s = Session("guru_baru", lang="en")
    s.coach_says("Good afternoon, Ms Nadia.")
    s.coach_says("Which students stand out for you in 7A?")
    assert "Salsa" in s.last_coachee_text()
    reply = s.coach_says("Salsa, is she a colleague? Tell me a bit about her.").reply
    assert "Salsa" in reply and "Wati" not in reply, reply


@pytest.mark.parametrize("coach, lang, pool", [
    ("Why do you think you get lost when you try on your own?", "en", "aside_unsure"),
    ("What makes you feel that?", "en", "aside_unsure"),
    ("Kenapa kamu merasa begitu?", "id", "aside_unsure"),
    ("How many students were there?", "en", "unknown"),
    ("When could we talk again?", "en", "nothing_new"),
    # round 19: "Persisnya saya kurang ingat, maaf." to a choice still to make and to a question of use
    ("Dari ketiganya, mana yang mau Bapak temui duluan, dan kapan?", "id", "nothing_new"),
    ("Kalau saya catat siapa saja yang aktif di tiap kelompok, itu berguna nggak buat Ibu?", "id", "nothing_new"),
    ("Berapa lama praktikumnya kemarin?", "id", "unknown"),
])
def test_not_holding_a_reason_or_feeling_is_hard_to_say_not_forgotten(coach, lang, pool):
    from simulator.coachee.asked import unknown_kind
    assert unknown_kind(coach, lang) == pool


# Round 13 (bench/data/panels/13) --------------------------------------------------------------------------------
def test_what_happened_that_time_is_about_what_was_just_said():
    # "I tried it once last semester" - "What happened that time?" drew the morning routine (round 13): the two
    # bare words find the wrong item; with what the coachee just said, the search finds the grouping.
    s = Session("guru_diferensiasi", lang="en")
    for turn in ("Hi Ms Maya, come in, have a seat. Busy day?", "Oh, okay. So you asked to talk - what's on your mind?",
                 "Thirty-four is a lot. How many classes like that do you teach?",
                 "Five classes of 34, so about 170 students. Why do you think differentiation is impossible there?"):
        s.coach_says(turn)
    tried = s.coach_says("Fair enough. Have you ever tried something like grouping them by reading level?").reply
    assert "tried" in tried.lower(), tried
    reply = s.coach_says("What happened that time?").reply
    assert "breakfast" not in reply and "kitchen" not in reply, reply


@pytest.mark.parametrize("text, lang", [("Hi Ms Maya, come in, have a seat. Busy day?", "en"), ("Long day today?", "en"),
                                        ("Sibuk hari ini, Bu?", "id"), ("Lagi sibuk, Bu Maya?", "id")])
def test_busy_day_is_small_talk(text, lang):
    # Round 13: "Busy day?" drew a fact about the form tutor
    assert classify(text, lang).kind == "small_talk"
    assert classify("Apa yang membuat Ibu sibuk?", "id").kind == "coaching"


def test_a_turn_with_no_word_of_either_language_is_in_the_sessions_language():
    # Round 13: "Who's Fajar?" in an English session was read as Indonesian and answered "Yes. ..."
    assert classify("Who's Fajar?", "en").question == "factual"
    assert classify("Who's Fajar?", "en").lang == "en"
    assert classify("Fajar siapa?", "id").lang == "id"


def test_which_one_is_no_invented_reference_word():
    # Round 13: "Tugas yang mana aja sih yang belum?" to the student behind on his homework - "Which one? I never
    # talked about that": "yang mana" itself was taken for the thing nobody had mentioned.
    from simulator.coachee.asked import unheard_reference
    assert unheard_reference("Oke. Tugas yang mana aja sih yang belum? Kamu tahu nggak?", "murid_tugas_terlambat",
                              "id") is None
    assert unheard_reference("Kucing yang mana, Bu?", "guru_baru", "id") == "kucing"


# Round 14 (bench/data/panels/14) --------------------------------------------------------------------------------
def test_why_not_x_or_y_is_no_either_or_question():
    # "Kenapa nggak nanya ke Pak Surya atau ke teman?" - "Lebih ke Kenapa nggak nanya ke Pak Surya, sih." (round 14)
    s, rows = _replay("14", "R52", "murid_target_belajar", "id", 10)
    reply = s.coach_says(rows[10]["coach"]).reply
    assert "atau ke teman" in rows[10]["coach"] and "Kenapa" not in reply and "Lebih ke" not in reply, reply


@pytest.mark.parametrize("text", ["Boleh kita ngobrol lagi setelah pertemuan Jumat?",
                                  "Bisa kita ketemu lagi minggu depan, Bu?"])
def test_asking_to_talk_again_is_arranging_the_next_meeting(text):
    # round 14: "Ah, tidak" - a yes/no read from memory, heard as a refusal
    assert classify(text, "id").kind == "arrange"


def test_after_the_insight_a_step_asked_for_may_come_before_any_goal():
    # Round 14: "satu langkah kecil apa yang ingin Ibu coba minggu ini?" after the core, no goal said - "I haven't
    # decided what I want to achieve" read as a dodge. Ready (the gate), the coachee names a step.
    s, rows = _replay("14", "R49", "guru_baru", "id", 12)
    assert "core" in s.state.revealed and "goal" not in s.state.revealed
    result = s.coach_says(rows[12]["coach"])
    assert result.plan.reveal == "action_plan", (result.plan.reaction, result.reply)


@pytest.mark.parametrize("text, lang, forward", [("What makes a single plan take that long?", "en", False),
                                                 ("Tell me about one lesson plan you wrote recently.", "en", False),
                                                 ("What's your plan for next week?", "en", True),
                                                 ("Rencana pelaksanaan pembelajarannya sudah jadi?", "id", False),
                                                 ("Apa rencana Ibu minggu depan?", "id", True)])
def test_a_lesson_plan_is_no_plan_to_make(text, lang, forward):
    # round 14: every "plan" in the lesson-plan persona's talk was read as asking for a step ("stuck" 4 times)
    assert classify(text, lang).forward is forward


# Rounds 16-17 (bench/data/panels/16, 17) -----------------------------------------------------------------------
def test_the_next_layer_comes_with_a_question_near_it_or_one_for_meaning():
    # "What do you think is going on between them at break?" met with "I'm worn out" (the next layer's line): a
    # particular question that none of the next layer's memories is near is answered from what may be said; one
    # near them, or one asking for meaning or feeling, still brings the layer out.
    s, good, opened = _one_turn_before_the_core()
    particular = "So the planning takes all evening. How do the other teachers manage it, do you think?"
    assert not classify(particular, "en").deep
    assert opened(particular, near=frozenset({"open", "surface"})) != "core"
    assert opened(particular, near=frozenset({"surface", "core"})) == "core"
    assert opened(good, near=frozenset({"open", "surface"})) == "core"   # "What does that mean for you?"
    assert opened(particular, near=None) == "core"                      # no memory to search: pacing as before
