"""Random Unicode never crashes read_turn, and every Reading is well formed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.reading.reader import ACTS, TIRTA_STAGES, read_turn

WORDS = st.sampled_from([
    "apa", "yang", "Ibu", "kenapa", "?", ",", "kan", "jadi", "sebaiknya", "what", "you", "feel", "so", "why",
    "don't", "tried", "!", ".", "ya", "bagaimana", "kalau", "coba", "ceritakan", "terima kasih", "\n", "…",
    "İ", "ß", "😀", "\u200b", "\x00",
])


def check(r, text):
    assert r.lang in ("id", "en")
    assert r.acts and set(r.acts) <= set(ACTS) and len(set(r.acts)) == len(r.acts)
    assert r.questions >= 0 and r.stacked == (r.questions > 1)
    assert r.tirta is None or r.tirta in TIRTA_STAGES
    assert 0.0 <= r.keyword_overlap <= 1.0
    assert r.words >= 0
    for label, span in r.evidence:
        assert isinstance(label, str) and isinstance(span, str)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=200), st.sampled_from(["auto", "id", "en"]))
def test_random_unicode(text, before, lang):
    check(read_turn(text, before, lang), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join), st.lists(WORDS, max_size=20).map(" ".join))
def test_random_coaching_words(text, before):
    check(read_turn(text, before), text)
