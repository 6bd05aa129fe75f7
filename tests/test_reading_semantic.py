"""The optional embedding path: a paraphrase with no shared words is read as a reflection only when asked."""

from __future__ import annotations

from simulator.reading.reader import read_turn, similarity

BEFORE = "I never have enough time to plan my lessons properly."
PARAPHRASE = "Preparing for teaching keeps getting squeezed out."  # no content word of BEFORE
UNRELATED = "The module is in the shared folder."


def test_semantic_reflection_is_opt_in_and_needs_similarity():
    assert read_turn(PARAPHRASE, BEFORE).acts == ("other",)          # fast path: no marker, no shared stems
    r = read_turn(PARAPHRASE, BEFORE, semantic=True)
    assert r.acts == ("reflection",)
    assert "similar to the coachee's turn" in dict(r.evidence)["reflection"]
    assert read_turn(UNRELATED, BEFORE, semantic=True).acts == ("other",)
    assert similarity(PARAPHRASE, BEFORE) > similarity(UNRELATED, BEFORE)


def test_semantic_path_is_not_used_without_the_coachees_turn():
    assert read_turn(PARAPHRASE, "", semantic=True).acts == ("other",)
