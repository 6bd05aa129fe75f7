"""Thanks for the talk with the next meeting put to the coachee is the close of the talk (session 15).

Rounds 28-29 heard an insight, a complaint or a memory after "Thanks for your time today, Mr Hendra. Maybe we can
look at the homework conclusions together next week?" or "Makasih ya Dim sudah mau ngobrol. Kalau ada apa-apa,
kamu boleh cari Bapak kapan aja." (rated partly: "ignores the goodbye"). A question about what the coachee will do
by then stays a question."""

from __future__ import annotations

import pytest

from simulator.reading.moves import classify, move_lines
from simulator.session import Session


@pytest.mark.parametrize("lang,text", [
    ("en", "That's alright. Let's stop here for today - thank you, Mrs Siti. Maybe think about it and we can meet again "
           "on Friday?"),
    ("en", "That's a useful distinction. Thanks for your time today, Mr Hendra. Maybe we can look at the homework "
           "conclusions together next week?"),
    ("id", "Ya sudah, makasih ya Dim sudah mau ngobrol. Kalau ada apa-apa, kamu boleh cari Bapak kapan aja."),
    ("id", "Oke, Raka. Terima kasih sudah cerita ya. Semangat, nanti kabari Ibu hasilnya."),
    ("id", "Terima kasih banyak untuk obrolannya hari ini. Bolehkah kita bertemu lagi minggu depan untuk melanjutkan?"),
])
def test_thanks_for_the_talk_with_the_next_meeting_is_a_goodbye(lang, text):
    assert classify(text, lang).kind == "goodbye"


@pytest.mark.parametrize("lang,text", [
    ("en", "Thanks for sharing that. What could you try next week?"),
    ("en", "Thank you for coming, Mr Bambang. I know this wasn't your idea."),          # a welcome, not a goodbye
    ("en", "Thanks, that's helpful. So shall we look at the worksheet again? Which part is hardest?"),
    ("id", "Terima kasih sudah cerita. Apa yang bisa kita lakukan minggu depan?"),
    ("id", "Terima kasih sudah cerita, Bu. Kira-kira apa yang mau Ibu coba besok?"),
    ("id", "Makasih sudah jujur, Nak. Kenapa kamu nggak bilang dari awal?"),
])
def test_a_question_after_thanks_or_a_welcome_is_no_goodbye(lang, text):
    assert classify(text, lang).kind != "goodbye"


def test_the_next_meeting_put_at_the_close_gets_a_yes_then_goodbye():
    s = Session("pasca_observasi_guru_ipa", "en")
    s.coach_says("Good morning, Mr Hendra. How did the practical go?")
    reply = s.coach_says("Thanks for your time today, Mr Hendra. Maybe we can look at the homework conclusions "
                         "together next week?").reply
    lines = move_lines("en")
    yes = next((x for x in lines["arrange"] if reply.startswith(x)), None)
    assert yes, reply
    bye = reply[len(yes):].strip()
    assert bye and not bye.lower().startswith(("yes", "yeah")), reply   # one yes, then goodbye
    assert any(bye.rstrip(".") in line or line.split(", ", 1)[-1].rstrip(".").lower() in bye.lower()
               for line in lines["goodbye"]), reply


# ------------------------------------------------------------------------------------------ feelings (round 30)
@pytest.mark.parametrize("lang,text,question", [
    ("en", "When you say it's never finished, how does that feel for you at the end of the day?", "open"),
    ("en", "When you get stuck, what usually happens?", "open"),
    ("en", "When did you start teaching here?", "factual"),
    ("en", "When is the observation?", "factual"),
])
def test_a_when_clause_in_front_asks_no_time(lang, text, question):
    assert classify(text, lang).question == question


@pytest.mark.parametrize("where,stock,feeling", [
    # "... When you say it's never finished, how does that feel for you at the end of the day?" - "Oh gosh, sorry, I
    # honestly haven't got that far yet." (read as a question for a time; paired comparison 34)
    (("30", "R131", "guru_baru_en", 2), "haven't got that far", "feels like"),
    # "Kalau di kelas, rasanya gimana belakangan ini?" - "Teman-teman lagi sibuk sama urusan mereka. Saya juga."
    (("30", "R132", "murid_sosial_emosional_id", 3), "Teman-teman lagi sibuk", "males"),
])
def test_a_question_for_a_feeling_gets_a_feeling(where, stock, feeling):
    from tests.test_coachee_panel9 import _reply_at

    reply = _reply_at(*where)
    assert stock not in reply and feeling in reply, reply


# ------------------------------------------------------------------------------------------ a plain yes (round 30)
@pytest.mark.parametrize("where", [
    # "... do Rafi or Wulan say anything, or is it mostly the others?" - "Yes, that's right. Rafi is with Nadia in ..."
    ("30", "R129", "pra_observasi_guru_matematika_en", 10),
    # "Is that part of what got you into history in the first place?" - "Yes, that's right. I became a history ..."
    ("30", "R132", "guru_senior_skeptis_en", 5),
    # "Memangnya diferensiasi itu harus satu LKPD per anak, Bu?" - "Betul."
    ("25", "R105", "guru_diferensiasi_id", 4),
])
def test_a_question_about_a_fact_gets_a_plain_yes_not_a_confirmation(where):
    # paired raters (comparison 34) called "Yes, that's right." before an unrelated telling a bolted-on sentence
    from tests.test_coachee_panel9 import _reply_at

    reply = _reply_at(*where)
    assert not reply.startswith(("Yes, that's right", "Betul", "Benar")), reply
