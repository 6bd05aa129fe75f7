"""The English reader's linear model (lexicons/en.yaml `model:`) and the reader errors colleagues reported."""

from __future__ import annotations

import pytest
import yaml

from simulator.errors import ContentError
from simulator.reading.reader import LEXICON_DIR, load_lexicon, read_turn


@pytest.mark.parametrize("text", [
    "You need to take your medicine.", "Well, you do need to take your medicine.",
    "You could make a stricter schedule.", "You should check it every lesson.",
])
def test_telling_is_advice_not_reflection(text):
    acts = read_turn(text).acts
    assert "advice" in acts and "reflection" not in acts, acts


@pytest.mark.parametrize("text", [
    "Behavior like this could get you suspended.",
    "Sam, your Year 9 homework numbers are really poor. That's not good enough.",
])
def test_verdicts_and_warnings_are_judgement_never_reflection(text):
    r = read_turn(text)
    assert r.judgement and "reflection" not in r.acts, r


@pytest.mark.parametrize("text", ["What have you tried so far?", "What options do you see for helping them start?",
                                  "Mana yang paling penting menurut Ibu?", "Dari keduanya, mana yang mau Ibu coba dulu?",
                                  "Apa kesimpulan Ibu dari diskusi tadi?"])
def test_open_questions_reported_as_misread(text):
    assert read_turn(text).acts == ("open_question",)


def test_a_list_with_wh_words_is_not_a_stacked_question():
    r = read_turn("Ibu ingin catatan siapa yang bicara, berapa kali, dan reaksi siswa.")
    assert r.questions == 0 and not r.stacked and "reflection" in r.acts


@pytest.mark.parametrize("text", ["Who will make sure it happens?", "When and how will you start?"])
def test_responsibility_questions_are_tirta_tanggung_jawab(text):
    assert read_turn(text).tirta == "tanggung_jawab"


def test_model_reads_information_as_information_and_names_its_call():
    r = read_turn("Research shows that smoking doubles the risk of heart disease, and the patch can help.")
    assert "reflection" not in r.acts and any(lab == "information" for lab, _ in r.evidence)
    assert any(lab == "model" for lab, _ in r.evidence)
    # the rules alone are still there (model=False), and Indonesian has no model
    assert not any(lab == "model" for lab, _ in read_turn("Jadi Ibu merasa lelah.").evidence)


def test_formed_questions_and_checks_survive_the_model():
    assert read_turn("Tell me more.").acts == ("open_question",)
    assert read_turn("You felt ignored?").acts == ("reflection",)
    assert read_turn("So you feel stuck. What would help?").acts == ("reflection", "open_question")


def test_a_bad_model_section_names_the_field(tmp_path):
    data = yaml.safe_load((LEXICON_DIR / "en.yaml").read_text(encoding="utf-8"))
    data["model"]["main"]["weights"]["qmark_end"] = [1.0, 2.0]  # needs one weight per class
    bad = tmp_path / "en.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="model.main.weights.qmark_end"):
        load_lexicon(bad)
    data["model"]["features"]["so_you"]["scope"] = "paragraph"
    data["model"]["main"]["weights"]["qmark_end"] = [1.0, 2.0, 3.0, 4.0]
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="model.features.so_you.scope"):
        load_lexicon(bad)
