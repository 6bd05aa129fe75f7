"""A fix put as a "why don't you" is advice for the coachee too, as it is for the hint and the report.

A usability tester saw the thermometer rise after "Kenapa Ibu tidak pakai saja …?" while the hint said "saran":
the coachee had dropped the reader's advice label because its own suggestion patterns missed the form.
"""

import pytest

from simulator.reading.moves import classify
from simulator.session import Session

OPENING = ["Selamat siang, Bu. Apa kabar?", "Apa yang ingin Ibu bicarakan hari ini?"]


@pytest.mark.parametrize("turn", [
    "Kenapa Ibu tidak pakai saja modul dari guru senior?",
    "Kenapa nggak minta bantuan Bu Wati saja?",
])
def test_a_fix_put_as_why_not_lowers_trust_and_reads_as_advice(turn):
    session = Session("guru_baru", "id")
    for text in OPENING:
        session.coach_says(text)
    before = session.state
    result = session.coach_says(turn)
    assert "advice" in result.reading.acts            # the hint and the report say advice
    assert session.state.reaction == "advice"          # and so does the coachee
    assert session.state.trust <= before.trust and session.state.openness <= before.openness


@pytest.mark.parametrize("turn", ["Kenapa Ibu merasa sendirian?", "Apa saja yang sudah Ibu coba?"])
def test_a_real_question_is_no_suggestion(turn):
    assert not classify(turn, "id").suggests
