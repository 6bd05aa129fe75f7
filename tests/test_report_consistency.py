"""A report never says one thing and its opposite: the same sentence is not praised and criticised, a card's
plain sentence does not claim a count the evidence denies, improvements sit on turns that have something to
respond to, and rewrites do not echo a question that was already good (issue #13, the blind teacher's test)."""

from __future__ import annotations

import pytest

from simulator.evaluation.feedback import kinds, labels
from simulator.evaluation.report import to_dict
from simulator.evaluation.report_view import plain_reason
from simulator.evaluation.scoring import evaluate, read_transcript
from simulator.evaluation.transcript import parse_transcript
from simulator.reading.reader import read_turn

# A tired teacher: the coach names the feeling (turn 4), summarises before asking (turn 6), asks a good
# open question about the next step (turn 8). Nothing here comes from the real transcripts.
TIRED = """Coach: Selamat pagi, Bu Sari. Silakan duduk.
Coachee: Pagi, Bu. Terima kasih sudah mau ketemu saya hari ini.
Coach: Apa yang ingin Ibu bahas hari ini?
Coachee: Saya capek sekali, Bu. Tiap malam saya menyusun modul ajar sampai larut, tapi anak-anak tetap tidak memperhatikan di kelas dan saya jadi kecewa.
Coach: Sepertinya Ibu sangat lelah dan kecewa. Apa yang paling menguras tenaga Ibu?
Coachee: Menyusun modulnya, Bu. Saya ingin modulnya rapi dan lengkap supaya kepala sekolah puas waktu supervisi nanti.
Coach: Modul yang rapi itu penting bagi Ibu. Apa yang Ibu harapkan terjadi di kelas setelah modul itu selesai?
Coachee: Saya berharap anak-anak lebih aktif dan tidak cuma diam mencatat di buku mereka masing-masing.
Coach: Langkah kecil apa yang akan Ibu lakukan minggu ini?
Coachee: Mungkin saya akan coba satu kegiatan diskusi berpasangan di hari Kamis.
"""

# Goal, what already worked, what made it work, the next step, how to measure it, the conclusion: all of TIRTA.
WHOLE_TIRTA = """Coach: Selamat pagi, Pak Budi. Apa yang ingin Bapak capai dari obrolan kita pagi ini?
Coachee: Saya ingin anak-anak kelas lima lebih berani bertanya waktu pelajaran IPA, sekarang hampir tidak ada yang bertanya.
Coach: Bapak ingin kelas lima lebih berani bertanya. Apa yang sudah berhasil selama ini, walaupun sedikit?
Coachee: Waktu saya pakai percobaan sederhana dengan air dan minyak, beberapa anak mulai bertanya sendiri. Itu jarang terjadi.
Coach: Percobaan sederhana membuat mereka penasaran. Apa yang membuat saat itu berbeda dari hari biasa?
Coachee: Mungkin karena mereka pegang alatnya sendiri, jadi tidak cuma mendengar saya menjelaskan di depan.
Coach: Memegang alat sendiri yang membuat mereka terlibat. Langkah kecil apa yang akan Bapak lakukan minggu ini?
Coachee: Minggu ini saya akan siapkan satu percobaan kecil di setiap pertemuan IPA, mulai hari Rabu.
Coach: Satu percobaan kecil tiap pertemuan, mulai Rabu. Bagaimana Bapak akan tahu bahwa langkah itu berhasil?
Coachee: Saya akan hitung berapa pertanyaan yang muncul dari anak-anak di setiap pertemuan, dan catat di buku saya.
Coach: Terima kasih, Pak Budi. Apa yang Bapak bawa dari percakapan kita hari ini?
Coachee: Bahwa anak-anak bertanya kalau mereka mengalami sendiri, bukan kalau saya yang bicara terus.
"""

# One piece of advice, put as "why don't you just…", in an otherwise questioning talk.
ONE_ADVICE = """Coach: Apa yang ingin Bapak bahas hari ini?
Coachee: Kelas enam saya terlalu ramai waktu kerja kelompok, saya kewalahan mengawasi tiga puluh anak sekaligus.
Coach: Kenapa Bapak tidak bagi saja kelasnya jadi dua gelombang?
Coachee: Bisa juga, tapi ruangannya cuma satu dan jam pelajarannya pendek, jadi sulit dibagi begitu.
Coach: Ruangan satu dan jam pendek. Apa yang sudah Bapak coba sejauh ini?
Coachee: Saya pernah pakai bel kecil sebagai tanda diam, itu cukup membantu di minggu pertama.
Coach: Bel kecil sempat membantu. Apa yang akan Bapak lakukan minggu depan?
Coachee: Saya akan pakai lagi belnya dan menunjuk satu ketua di setiap kelompok untuk menjaga suara.
"""

LISTENING = ("rasa", "feeling", "missed_reflection")


def _eval(text: str):
    t = parse_transcript(text)
    return t, evaluate(t), read_transcript(t)


def test_a_turn_credited_for_listening_is_not_told_to_listen_better():
    t, ev, readings = _eval(TIRED)
    listening_notes = {labels()["went_well"][k]["id"] for k in ("rasa", "reflections", "feelings")}
    praised = {e.turn_index for w in ev.went_well if w.note.id in listening_notes for e in w.evidence}
    assert praised, "the feeling reflection and the summary should be credited"
    for imp in ev.improvements:
        if imp.kind in LISTENING:
            assert imp.turn_index not in praised, (imp.kind, imp.quote)


def test_summarise_first_is_never_asked_of_a_turn_that_already_summarises():
    for text in (TIRED, WHOLE_TIRTA, ONE_ADVICE):
        t, ev, readings = _eval(text)
        for imp in ev.improvements:
            if imp.kind in ("rasa", "missed_reflection"):
                assert not readings[imp.turn_index].has("reflection"), (imp.turn_index, t.turns[imp.turn_index].text)


def test_nothing_to_respond_to_means_no_summary_feeling_or_conclusion_advice():
    # turn 0 opens the talk, turn 2 follows a mere "good morning, thank you"
    t, ev, _ = _eval(TIRED)
    for imp in ev.improvements:
        if imp.kind in LISTENING + ("conclude",):
            assert imp.turn_index not in (0, 2), (imp.kind, imp.turn_index)


def test_a_rewrite_does_not_echo_the_coach_s_own_good_question():
    for text in (TIRED, WHOLE_TIRTA, SPLIT_RASA):
        t, ev, _ = _eval(text)
        for imp in ev.improvements:
            if imp.kind.split(":")[0] not in ("conclude", "next_stage"):
                continue  # "summarise, then ask" keeps the question on purpose and adds the summary
            own = set(imp.quote.lower().rstrip("?").split())
            new = set(imp.better.lower().rstrip("?").split())
            assert len(own & new) / len(own | new) < 0.4, (imp.kind, imp.quote, imp.better)


def test_what_went_well_quotes_each_sentence_once():
    for text in (TIRED, WHOLE_TIRTA):
        _, ev, _ = _eval(text)
        quotes = [(e.turn_index, e.quote) for w in ev.went_well for e in w.evidence]
        for n, (i, q) in enumerate(quotes):
            for j, p in quotes[n + 1:]:
                assert not (i == j and (q in p or p in q)), (q, p)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_piece_of_advice_is_not_called_several(lang):
    t, ev, _ = _eval(ONE_ADVICE)
    assert ev.signals["advice_count"] == 1
    presence = to_dict(ev, lang)["dimensions"]["presence"]
    sentence = plain_reason(presence["signals"], lang).lower()
    for many in ("beberapa kali", "more than once", "tidak memberi saran", "no advice"):
        assert many not in sentence, sentence


def test_low_plain_clauses_do_not_claim_a_count_or_never():
    # a low level can mean once: the words for it must be true for once as well as for many
    for signal in ("advice_count", "advice_share", "reflections_per_question", "feeling_reflections", "rasa_count"):
        for lang in ("id", "en"):
            low = labels()["plain"][signal]["low"][lang].lower()
            assert not any(w in low for w in ("beberapa kali", "more than once", "jarang", "seldom", "never")), low


def test_why_dont_you_just_is_advice_whatever_the_verb_or_the_address():
    for text, lang in (("Kenapa Bapak tidak bagi saja kelasnya jadi dua gelombang?", "id"),
                       ("Kenapa Ibu tidak pakai saja lembar kerja yang lama?", "id"),
                       ("Mengapa kamu tidak tanya saja ke wali kelasnya?", "id"),
                       ("Why don't you just split the class in two?", "en")):
        assert read_turn(text, lang=lang).has("advice"), text
        # the same words after a coachee turn (as in an uploaded transcript) read the same
        assert read_turn(text, coachee_before="Kelasnya ramai sekali, saya bingung.", lang=lang).has("advice"), text
    # a real question about a past event stays a "why" (it is no suggestion)
    past = read_turn("Kenapa Bapak tidak datang saja kemarin?", lang="id")
    assert not past.has("advice") and past.has("why_question")
    # and in a whole uploaded transcript the report's presence sees the advice
    _, ev, _ = _eval(ONE_ADVICE)
    assert any(imp.kind == "advice" for imp in ev.improvements)


def test_a_conversation_through_all_of_tirta_is_not_told_it_missed_a_stage():
    t, ev, readings = _eval(WHOLE_TIRTA)
    assert read_turn("Apa yang sudah berhasil selama ini?", lang="id").tirta == "identifikasi"
    assert read_turn("What has worked so far?", lang="en").tirta == "identifikasi"
    assert {r.tirta for r in readings.values()} >= {"tujuan", "identifikasi", "rencana", "tanggung_jawab"}
    assert not [imp for imp in ev.improvements if imp.kind.startswith("next_stage")]
    assert 1 <= len(ev.improvements) <= 3 and set(kinds()) >= {imp.kind.split(":")[0] for imp in ev.improvements}


# The summary is its own turn and the open question comes in the next one: RASA spread over two turns.
SPLIT_RASA = """Coach: Apa yang ingin Ibu bahas hari ini?
Coachee: Saya ingin membahas anak-anak kelas tujuh yang sering terlambat masuk setelah jam istirahat, sudah hampir sebulan begini terus.
Coach: Jadi sudah hampir sebulan anak-anak kelas tujuh terlambat masuk setelah istirahat.
Coachee: Iya, Bu, betul sekali, dan saya jadi harus mengulang penjelasan di awal pelajaran setiap hari untuk mereka yang terlambat itu.
Coach: Apa yang menurut Ibu terjadi di jam istirahat itu?
Coachee: Mereka main bola di lapangan belakang, jauh dari kelas, dan belnya tidak terdengar dari sana sama sekali kalau sedang ramai.
Coach: Apa yang bisa Ibu lakukan minggu ini?
Coachee: Saya akan bicara dengan wali kelas supaya ada petugas yang mengingatkan anak-anak lima menit sebelum bel.
"""


def test_the_question_credited_for_summarise_then_ask_is_not_faulted_for_a_missed_summary():
    t, ev, _ = _eval(SPLIT_RASA)
    rasa_note = labels()["went_well"]["rasa"]["id"]
    credited = {e.turn_index for w in ev.went_well if w.note.id == rasa_note for e in w.evidence}
    for imp in ev.improvements:
        if imp.kind in LISTENING:
            assert imp.turn_index not in credited, (imp.kind, imp.quote)
