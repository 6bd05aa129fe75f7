"""The live hint a trainee reads: a turn read as `other` gets no "Read as: other" label (#13)."""

from simulator.reading.hints import hint_for
from simulator.reading.reader import read_turn


def test_a_turn_read_as_other_has_a_hint_without_an_act_label():
    for lang, text in (("id", "Saya tadi sudah membaca catatan rapat minggu lalu di ruang guru."),
                       ("en", "I read the notes of last week's meeting in the staff room this morning.")):
        reading = read_turn(text, "Baik.", lang)
        assert reading.acts == ("other",), reading.acts
        hint = hint_for(reading, lang)
        assert hint, hint
        assert "Terbaca" not in hint and "lainnya" not in hint and "Read as" not in hint and ": other" not in hint
