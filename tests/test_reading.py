"""Reading a coach turn: the labelled set (per-act precision/recall) and each tricky rule on its own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from simulator.errors import ContentError
from simulator.reading.reader import ACTS, TIRTA_STAGES, Reading, detect_lang, load_lexicon, read_turn, stems

DATA = Path(__file__).parent / "data" / "id_utterances.yaml"
LABELLED = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _per_act(items):
    tp, fp, fn = Counter(), Counter(), Counter()
    for it in items:
        got = set(read_turn(it["text"], it.get("coachee_before", "")).acts)
        gold = set(it["acts"])
        for a in ACTS:
            tp[a] += a in got and a in gold
            fp[a] += a in got and a not in gold
            fn[a] += a in gold and a not in got
    prec = {a: tp[a] / (tp[a] + fp[a]) for a in ACTS if tp[a] + fp[a]}
    rec = {a: tp[a] / (tp[a] + fn[a]) for a in ACTS if tp[a] + fn[a]}
    return prec, rec


def test_labelled_set_is_big_and_covers_every_act():
    assert len(LABELLED["id"]) >= 150
    assert len(LABELLED["en"]) >= 40
    for lang in ("id", "en"):
        counts = Counter(a for it in LABELLED[lang] for a in it["acts"])
        assert set(counts) == set(ACTS), f"{lang}: missing {set(ACTS) - set(counts)}"
        for it in LABELLED[lang]:
            assert set(it["acts"]) <= set(ACTS), it


# sets written with the rules must be read almost perfectly; sets written blind by others (since tuned on) well
@pytest.mark.parametrize("lang, macro, per_act", [("id", 0.9, 0.8), ("en", 0.9, 0.8), ("id_blind", 0.9, 0.8),
                                                  ("id_blind_2", 0.85, 0.7), ("id_blind_4", 0.9, 0.55),
                                                  ("id_blind_6", 0.9, 0.75)])
def test_per_act_precision_and_recall(lang, macro, per_act):
    prec, rec = _per_act(LABELLED[lang])
    assert set(rec) == set(ACTS)
    macro_p = sum(prec.values()) / len(ACTS)
    macro_r = sum(rec.values()) / len(ACTS)
    assert macro_p >= macro and macro_r >= macro, (prec, rec)
    for a in ACTS:
        assert prec.get(a, 0) >= per_act and rec[a] >= per_act, (a, prec.get(a), rec[a])


@pytest.mark.parametrize("name, floor", [("id_holdout", 0.85), ("en_holdout", 0.8), ("id_holdout_3", 0.8),
                                         ("id_holdout_5", 0.8)])
def test_holdout_set_written_after_tuning_stays_good(name, floor):
    # never tuned on: a guard that the rules generalise beyond the sentences they were written against
    prec, rec = _per_act(LABELLED[name])
    assert len(LABELLED[name]) >= 40
    assert sum(prec.values()) / len(prec) >= floor and sum(rec.values()) / len(rec) >= floor, (prec, rec)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_acts_in_order_and_flags_match_gold(lang):
    exact = 0
    flag_errors = []
    for it in LABELLED[lang]:
        r = read_turn(it["text"], it.get("coachee_before", ""))
        exact += list(r.acts) == it["acts"]
        assert r.lang == lang, it["text"]
        for flag in ("stacked", "leading", "judgement", "tirta"):
            if flag in it and getattr(r, flag) != it[flag]:
                flag_errors.append((it["text"], flag, getattr(r, flag)))
    assert exact / len(LABELLED[lang]) >= 0.9
    assert not flag_errors


def acts(text, before="", lang="auto"):
    return read_turn(text, before, lang).acts


# --- questions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Apa Ibu sudah siap?", "apa bapak masih mau lanjut", "Apa ada hal lain?", "Apakah itu membantu?",
    "Sudahkah Ibu mencoba?", "Bisakah kita mulai?", "Ibu sudah mencoba metode itu?", "Adakah kendala lain?",
    "Do you want to continue?", "Is that right?", "Have you talked to her?", "How many drinks a day?",
    "How long has this been going on?",
])
def test_closed_questions(text):
    assert acts(text) == ("closed_question",)


@pytest.mark.parametrize("text", [
    "Apa yang Ibu rasakan?", "apa yang ibu rasakan", "Bagaimana menurut Bapak?", "gimana perasaan ibu",
    "Seberapa penting ini?", "Kapan Ibu mulai?", "Siapa yang membantu?", "Di mana itu terjadi?",
    "dimana kesulitannya", "Ke mana arah kelas ini?", "Apa langkah pertamanya?", "Coba ceritakan lebih lanjut.",
    "kamu maunya gimana", "What would you like?", "how do you feel about it", "Tell me more.", "What else?",
    "Can you tell me more about that?", "Bu Sari, apa yang Ibu harapkan?", "Langkah kecil apa yang mungkin?",
])
def test_open_questions(text):
    assert acts(text) == ("open_question",)


def test_english_follows_mi_coding_for_invitations_and_facts():
    # MI coders (AnnoMI) count "anything else?" and a closed form that invites a story as open ...
    assert acts("Is there anything else?") == ("open_question",)
    assert acts("Do you have a sense of what worries her?") == ("open_question",)
    # ... and "how many / how long" as closed: they ask for a fact.
    assert acts("How often do you drink?") == ("closed_question",)
    # a statement voiced as a check is a reflection, not a question
    r = read_turn("So that's a big stress right now?")
    assert r.acts == ("reflection",) and r.questions == 0
    # a scaling question stays open, as coaching teaches it (MITI would code it closed: it asks for a number)
    assert acts("On a scale of 1 to 10, how committed are you?") == ("open_question",)
    # "when you ..." opens a clause, not a question
    clause = read_turn("And so when you go to parties, most of the time there's alcohol there?", model=False)
    assert "open_question" not in clause.acts
    assert acts("When would you like to start?") == ("open_question",)


@pytest.mark.parametrize("text", [
    "Why don't you start by telling me a little bit about yourself?",
    "Why don't you fill me in on what's been going on since I saw you last?",
    "Would you mind filling me in a little bit about that?",
    "Tell us something about your class.",
])
def test_an_invitation_to_talk_is_an_open_question_not_advice(text):
    assert acts(text) == ("open_question",)


@pytest.mark.parametrize("text", [
    "Why don't you try cutting down?",
    "Why don't you talk to your doctor about the patch?",
    "Why don't you tell her how you feel?",
])
def test_why_dont_you_do_something_else_stays_advice(text):
    assert "advice" in acts(text)


def test_apa_as_yes_no_particle_is_closed_but_apa_yang_is_open():
    assert acts("Apa Ibu sudah siap?") == ("closed_question",)
    assert acts("Apa yang membuat Ibu siap?") == ("open_question",)
    assert acts("Apa pendapat Ibu?") == ("open_question",)


@pytest.mark.parametrize("text", [
    "Mengapa Ibu memilih itu?", "kenapa kamu terlambat", "Kenapa Bapak tidak memberi tahu kepala sekolah?",
    "Why did you do that?", "How come you left?", "emang kenapa?", "Untuk apa tugas itu Ibu tambahkan?",
    "Ngapain kamu ke kantin jam pelajaran?", "Alasannya apa, Pak, sampai berhenti ikut rapat?",
    "itu kok gitu?", "Terus kenapa nggak Ibu laporkan ke wali kelas waktu itu?",
])
def test_why_questions(text):
    assert acts(text) == ("why_question",)


@pytest.mark.parametrize("text", [
    "Kenapa tidak dicoba saja?", "kenapa gak langsung ditanya aja", "Why don't you ask her?", "Why not try it?",
    "Bagaimana kalau Ibu mencoba diskusi kelompok?", "Apakah tidak lebih baik Ibu menelepon orang tuanya?",
    "Have you tried a seating plan?", "What if you tried talking to him?", "How about asking a colleague?",
    "Bukankah lebih baik murid dibagi kelompok?", "Apakah Ibu sudah mencoba berbicara dengan orang tuanya?",
    "Sudah pernah coba papan giliran, Bu?", "Bagaimana kalau Ibu awali dengan kuis singkat?",
    "Kok nggak sekalian aja Ibu ajak guru BK?",
])
def test_advice_dressed_as_a_question_is_advice_not_why_or_open(text):
    r = read_turn(text)
    assert r.acts == ("advice",)
    assert r.questions == 1


def test_bagaimana_kalau_about_a_situation_is_open_not_advice():
    assert acts("Bagaimana kalau rencana itu tidak berhasil?") == ("open_question",)
    assert acts("How about you?") == ("open_question",)


@pytest.mark.parametrize("text", [
    "Sebaiknya Ibu istirahat.", "Saran saya, bicarakan dengan wali kelas.", "Saya sarankan Bapak memakai rubrik.",
    "Lebih baik langsung telepon orang tuanya.", "Ibu harus lebih tegas.", "Coba Ibu pakai kartu warna.",
    "You should talk to her.", "I suggest a break.", "Try a seating plan.",
])
def test_advice_statements(text):
    assert acts(text) == ("advice",)


def test_coba_ceritakan_is_an_open_question_not_advice():
    assert acts("Coba ceritakan apa yang terjadi.") == ("open_question",)
    assert acts("Coba Ibu gunakan kartu warna.") == ("advice",)


# --- stacked, leading, tag --------------------------------------------------------------------
def test_two_questions_are_stacked_but_a_summary_then_a_question_is_not():
    r = read_turn("Apa yang Ibu rasakan? Dan apa yang Ibu harapkan?")
    assert r.stacked and r.questions == 2
    r = read_turn("Apa yang terjadi dan bagaimana perasaan Ibu?")
    assert r.stacked and r.questions == 2
    r = read_turn("Jadi Ibu merasa lelah karena tugas tambahan. Apa yang paling berat?")
    assert not r.stacked and r.questions == 1
    assert r.acts == ("reflection", "open_question")
    r = read_turn("Jadi Ibu merasa lelah, apa yang paling berat?")
    assert r.acts == ("reflection", "open_question") and not r.stacked


@pytest.mark.parametrize("text", [
    "Ibu pasti lelah, kan?", "kamu sudah tahu jawabannya kan", "Bukankah itu lebih mudah?",
    "That makes you angry, right?", "Don't you think that's risky?", "Surely you agree?",
    "Itu karena muridnya malas, bukan?",
])
def test_leading_questions(text):
    r = read_turn(text)
    assert r.leading and r.is_question


def test_a_neutral_tag_is_a_question_but_not_leading():
    r = read_turn("Kita mulai sekarang, ya?")
    assert r.acts == ("closed_question",) and not r.leading
    assert not read_turn("Apa yang Ibu rasakan?").leading


def test_a_question_after_a_tag_body_counts_once():
    r = read_turn("Apa Ibu sudah siap, ya?")
    assert r.questions == 1 and r.acts == ("closed_question",)


# --- reflections, affirmations, other -------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Jadi Ibu merasa kewalahan.", "Kalau saya tidak salah tangkap, Bapak ingin murid lebih aktif.",
    "Sepertinya Ibu sangat peduli pada murid.", "Ibu merasa kecewa.", "It sounds like you're worried.",
    "So you feel stuck.", "What I'm hearing is that time is short.", "You feel ignored.",
])
def test_reflection_openers(text):
    assert acts(text) == ("reflection",)


def test_reflection_without_opener_needs_the_coachees_words():
    before = "Murid-murid di kelas 8B selalu ramai, tugas mereka tidak pernah selesai."
    coach = "Murid-murid ramai dan tugas tidak selesai."
    assert acts(coach, before) == ("reflection",)
    assert acts(coach) != ("reflection",)  # without the coachee's turn, nothing marks it


def test_key_words_use_light_indonesian_stemming():
    r = read_turn("Jadi penilaiannya yang membuat Ibu terbebani?", "Saya terbebani dengan menilai tugas murid.")
    assert "terbebani" in r.key_words and "menilai" in r.key_words
    assert 0 < r.keyword_overlap <= 1
    assert {"ajar"} <= stems("mengajarkan", "id")
    assert {"tulis"} <= stems("menulis", "id")
    assert read_turn("Apa yang terjadi?", "").keyword_overlap == 0.0


@pytest.mark.parametrize("text", [
    "Terima kasih sudah berbagi.", "Luar biasa!", "Saya menghargai kejujuran Bapak.", "That's a great insight.",
    "You've clearly worked hard on this.", "makasih udah cerita",
])
def test_affirmations(text):
    assert acts(text) == ("affirmation",)


@pytest.mark.parametrize("text", [
    "Tertib sekali cara Ibu membagi peran, Bu. Rapi banget.", "Itu keputusan yang dewasa, Dik.",
    "Ketelitian seperti itu langka, Pak.", "wah kartu angkanya dari kardus bekas, kreatif sekali bu",
    "That was a brave thing to say to your principal.", "Really thoughtful.",
])
def test_a_short_verdict_of_praise_is_an_affirmation(text):
    assert "affirmation" in acts(text)


@pytest.mark.parametrize("text", ["Itu kurang rapi, Bu.", "Hasilnya belum tepat.", "It is not very creative.",
                                  "Saya sabar sekali menunggu laporan itu."])
def test_praise_undone_by_a_negator_or_said_of_oneself_is_no_affirmation(text):
    assert "affirmation" not in acts(text)


def test_the_deed_before_a_verdict_is_part_of_the_affirmation_unless_it_echoes_the_coachee():
    text = "Ibu menyusun soal cerita dari pengalaman anak-anak sendiri. Cerdas sekali itu, Bu."
    assert acts(text) == ("affirmation",)
    # the same deed, given back from the coachee's own words, is also a reflection
    before = "Soal ceritanya saya susun dari pengalaman anak-anak sendiri, Bu."
    assert set(acts(text, before)) == {"reflection", "affirmation"}
    # a reflection that names a feeling stays one
    assert set(acts("Ibu kecewa, tapi tetap mau memperbaiki. Itu sikap yang matang.")) == {"reflection", "affirmation"}


@pytest.mark.parametrize("text", ["Harusnya Ibu pakai model discovery learning.", "Guru itu harus bisa melihat seluruh kelas.",
                                  "Perbaikannya begini, Bu: LKPD dipakai, ceramah sepuluh menit saja."])
def test_telling_how_it_must_be_is_advice(text):
    assert "advice" in acts(text)


def test_a_reproach_with_masa_is_a_judgement_but_the_future_is_not():
    assert read_turn("Masa tiga kali lupa, Nak.").judgement
    assert not read_turn("Masa depan anak-anak itu penting bagi Ibu.").judgement


def test_a_reason_given_after_advice_belongs_to_the_advice():
    assert acts("Coba pakai kartu giliran, Bu. Anak kelas dua biasanya lebih tenang kalau tahu gilirannya.") == (
        "advice",)


@pytest.mark.parametrize("text", ["Khawatir anak-anak yang pendiam makin tertinggal.", "Lega ya, Pak, akhirnya datang.",
                                  "Ibu merasa berjalan sendirian?"])
def test_a_feeling_given_back_is_a_reflection(text):
    assert acts(text) == ("reflection",)


@pytest.mark.parametrize("text", ["Selamat pagi, Bu.", "Baik.", "", "   ", "Okay.", "Kita punya waktu tiga puluh menit."])
def test_other_and_never_empty(text):
    assert acts(text) == ("other",)


def test_greeting_then_question_keeps_both_in_order():
    assert acts("Selamat siang, Pak. Bagaimana kabar kelas 9?") == ("other", "open_question")
    assert acts("Terima kasih sudah jujur, Bu. Apa yang ingin Ibu ubah?") == ("affirmation", "open_question")


# --- flags ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Seharusnya Ibu bilang dulu.", "Itu salah, Bu.", "Cara Ibu kurang tepat.", "You should have told him.",
    "That was wrong.",
])
def test_judgement(text):
    assert read_turn(text).judgement


def test_no_judgement_in_a_neutral_question():
    assert not read_turn("Apa yang Ibu pelajari dari situ?").judgement


@pytest.mark.parametrize("text,stage", [
    ("Apa yang ingin Ibu capai hari ini?", "tujuan"),
    ("What would you like to achieve?", "tujuan"),
    ("Apa yang terjadi di kelas kemarin?", "identifikasi"),
    ("How did that feel?", "identifikasi"),
    ("Apa saja pilihan yang Ibu punya?", "rencana"),
    ("What options do you see?", "rencana"),
    ("Kapan Ibu akan mulai?", "tanggung_jawab"),
    ("Pada skala 1 sampai 10, seberapa yakin Ibu?", "tanggung_jawab"),
    ("Who will support you?", "tanggung_jawab"),
    ("How will you know it worked?", "tanggung_jawab"),
])
def test_tirta_stage(text, stage):
    r = read_turn(text)
    assert r.tirta == stage and stage in TIRTA_STAGES


def test_forward_looking():
    assert read_turn("Apa yang akan Ibu lakukan minggu depan?").forward
    assert read_turn("What's your goal for this term?").forward
    assert not read_turn("Apa yang terjadi kemarin?").forward


# --- robustness, language, evidence ------------------------------------------------------------
@pytest.mark.parametrize("text,lang", [
    ("Apa yang Ibu rasakan?", "id"), ("gimana", "id"), ("udah?", "id"), ("What happened?", "en"),
    ("Okay.", "en"), ("kenapa", "id"), ("Tell me more", "en"), ("Bu Sari, terima kasih.", "id"),
])
def test_language_detection_on_short_text(text, lang):
    assert detect_lang(text) == lang
    assert read_turn(text).lang == lang


def test_explicit_language_wins():
    assert read_turn("Apa yang terjadi?", lang="en").lang == "en"


def test_unknown_language_is_a_content_error():
    with pytest.raises(ContentError):
        read_turn("hello", lang="fr")


def test_lower_case_and_no_punctuation_read_like_the_proper_form():
    assert acts("apakah ibu sudah mencoba") == acts("Apakah Ibu sudah mencoba?")
    assert acts("bagaimana perasaan bapak") == acts("Bagaimana perasaan Bapak?")
    assert acts("what do you think") == acts("What do you think?")


def test_evidence_names_the_span_behind_each_act():
    r = read_turn("Terima kasih sudah berbagi. Sebaiknya Ibu istirahat. Kenapa Ibu marah?")
    assert r.acts == ("affirmation", "advice", "why_question")
    ev = dict(r.evidence)
    assert ev["affirmation"].lower().startswith("terima kasih")
    assert ev["advice"].lower() == "sebaiknya"
    assert ev["why_question"] == "Kenapa"
    for label, span in r.evidence:
        assert span.lower() in r.text.lower() or label in ("stacked", "reflection", "tirta")


def test_reading_is_well_formed_and_serialisable():
    r = read_turn("Jadi Ibu lelah. Apa yang paling berat?", "Saya lelah sekali.")
    assert isinstance(r, Reading) and r.words == 7
    d = r.to_dict()
    assert d["acts"] == ("reflection", "open_question") and d["key_words"] == ("lelah",)


def test_deterministic():
    text = "Jadi Bapak ingin murid lebih mandiri, apa langkah pertama yang mungkin?"
    assert read_turn(text) == read_turn(text)


# --- lexicon files -------------------------------------------------------------------------------
def test_a_bad_lexicon_names_the_file_and_the_field(tmp_path):
    src = yaml.safe_load((Path(__file__).parent.parent / "simulator" / "reading" / "lexicons" / "id.yaml").read_text())
    src["patterns"]["surprise"] = ["x"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(src), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_lexicon(bad)
    assert "bad.yaml" in str(exc.value) and "patterns.surprise" in str(exc.value)

    src["patterns"].pop("surprise")
    src["patterns"]["why"] = ["(unclosed"]
    bad.write_text(yaml.safe_dump(src), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_lexicon(bad)
    assert "patterns.why[0]" in str(exc.value)

    src["patterns"]["why"] = ["mengapa"]
    del src["stopwords"]
    bad.write_text(yaml.safe_dump(src), encoding="utf-8")
    with pytest.raises(ContentError, match="stopwords"):
        load_lexicon(bad)


@pytest.mark.parametrize("text, acts, leading", [
    # "Kenapa tidak…?" with the coachee named in between and informal forms is advice, not a why question
    ("kenapa ibu nggak pakai diskusi kelompok aja, kan lebih seru?", ("advice",), True),
    ("Kenapa Bapak tidak mencoba kuis di awal?", ("advice",), False),
    # a real why question about the coachee's feeling stays a why question
    ("Kenapa Ibu tidak merasa nyaman?", ("why_question",), False),
])
def test_informal_why_not_advice_and_kan_lebih_tag(text, acts, leading):
    r = read_turn(text, "Murid saya pasif.")
    assert r.acts == acts and r.leading is leading
