"""Issue #11, blind panel round 18: non-sequiturs it found, pinned in the shape they were found."""

from __future__ import annotations

import pytest

from simulator.session import Session


@pytest.mark.parametrize("lang,text,offer,concern", [
    ("en", "Hi Maya, come in, have a seat. Coffee? You said you wanted to talk about something.", "Tea", "differentiat"),
    ("id", "Halo Bu Maya, silakan duduk. Kopi? Katanya Ibu mau ngobrol.", "Teh", "diferensiasi"),
])
def test_an_offer_then_an_invitation_gets_both_answered(lang, text, offer, concern):
    # round 18: "Oh, that's another story. Shall we stick to what we were talking about?" at the first turn
    reply = Session("guru_diferensiasi", lang).coach_says(text).reply
    assert offer in reply and concern in reply.lower(), reply
    assert "stick to" not in reply and "yang tadi" not in reply


def test_a_bare_offer_is_answered_alone():
    reply = Session("guru_diferensiasi", "en").coach_says("Coffee?").reply
    assert "Tea" in reply and "lesson plans" not in reply, reply
