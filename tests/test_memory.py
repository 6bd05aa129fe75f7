"""Persona memory: the file format (validated, one clear error naming file and field), the shipped files (enough
items per layer, consistent with the persona card), and search (idf word coverage + embedding)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from simulator.coachee.memory import (
    MATCH_FLOOR,
    MEMORY_DIR,
    load_memories,
    load_memory,
    load_memory_file,
    memory_index,
)
from simulator.coachee.persona import load_personas
from simulator.errors import ContentError
from simulator.reading.facts import card_facts, facts_agree, missing_card_facts

FIXTURE = Path(__file__).parent / "data" / "memory" / "guru_baru.yaml"
PERSONAS = load_personas()
SHIPPED = sorted(p.stem for p in MEMORY_DIR.glob("*.yaml"))


def _write(tmp_path, data, stem="guru_baru") -> Path:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _good() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_loads_and_yes_no_keys_survive_yaml_booleans(tmp_path):
    memory = load_memory_file(FIXTURE)
    assert memory.persona == "guru_baru" and len(memory.items) >= 10
    # An unquoted `yes:` / `no:` key is a YAML boolean: the loader still reads them as the yes/no examples.
    text = FIXTURE.read_text(encoding="utf-8").replace('"yes":', "yes:").replace('"no":', "no:")
    path = tmp_path / "guru_baru.yaml"
    path.write_text(text, encoding="utf-8")
    item = load_memory_file(path).item("class_count")
    assert item.yes and item.no and "kelas IX" in item.no.id[0]


@pytest.mark.parametrize(("breaks", "field"), [
    (lambda d: d["items"][0].update(layer="deep"), "items.0.layer"),
    (lambda d: d["items"][1].update(kind="rumour"), "items.1.kind"),
    (lambda d: d["items"][0]["short"].pop("en"), "items.0.short.en"),
    (lambda d: d["items"][2].update(colour="blue"), "items.2.colour"),
    (lambda d: d["items"][0]["asks"].update(id=["only one"]), "items.0.asks.id"),
    (lambda d: d["items"][0].update(id="Class Count"), "items.0.id"),
    (lambda d: d["items"][3].update(id="class_count"), "items.3.id"),
    (lambda d: d["items"][4]["short"].update(en=d["items"][0]["short"]["en"]), "items.4.short.en"),
    (lambda d: d.pop("items"), "items"),
])
def test_a_broken_memory_file_names_the_file_and_the_field(tmp_path, breaks, field):
    data = _good()
    breaks(data)
    path = _write(tmp_path, data)
    with pytest.raises(ContentError) as err:
        load_memory_file(path)
    message = str(err.value)
    assert str(path) in message and f"'{field}'" in message and "\n" not in message


def test_persona_must_match_the_file_name_and_bad_yaml_is_one_error(tmp_path):
    path = _write(tmp_path, _good(), stem="guru_lain")
    with pytest.raises(ContentError, match="must match the file name"):
        load_memory_file(path)
    bad = tmp_path / "guru_baru.yaml"
    bad.write_text("persona: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="invalid YAML"):
        load_memory_file(bad)


def test_no_memory_file_means_none(tmp_path):
    assert load_memory("guru_baru", tmp_path) is None


def test_shipped_memories_load():
    memories = load_memories()
    assert set(memories) == set(SHIPPED)
    for pid in SHIPPED:
        assert pid in PERSONAS, f"personas/memory/{pid}.yaml has no persona card"


@pytest.mark.parametrize("pid", SHIPPED)
def test_shipped_memory_has_enough_of_each_layer(pid):
    memory = load_memory(pid)
    layers = Counter(i.layer for i in memory.items)
    assert len(memory.items) >= 40
    minimum = {"open": 18, "surface": 8, "underneath": 6, "core": 3, "goal": 2, "action_plan": 2}
    short = {layer: (layers[layer], n) for layer, n in minimum.items() if layers[layer] < n}
    assert not short, f"{pid}: too few items (have, need): {short}"
    assert len({i.kind for i in memory.items}) >= 4


@pytest.mark.parametrize("pid", sorted(PERSONAS))
def test_every_number_and_name_on_the_card_is_in_the_memory(pid):
    """Card (scenario, background, presenting_issue) and memory never disagree: each number and name the card
    states is said by some memory item (so the coachee can answer a question about it)."""
    memory = load_memory(pid)
    if memory is None:
        pytest.fail(f"personas/memory/{pid}.yaml is missing (merge the content branches)")
    assert missing_card_facts(PERSONAS[pid], memory) == {}


def test_card_facts_finds_numbers_names_and_classes():
    facts = card_facts("Bu Nadia mengajar empat rombel kelas VII-A di SMP; 32 murid. Ia bertemu Bu Wati.", "id")
    assert {"Nadia", "empat", "VII-A", "SMP", "32", "Wati"} <= facts
    assert "Bu" not in facts


# ---------------------------------------------------------------------------------------------- search
@pytest.fixture(scope="module")
def index():
    return memory_index(load_memory_file(FIXTURE), "id")


@pytest.mark.parametrize(("question", "item"), [
    ("Muridnya di VII-A ada berapa, Bu?", "students_7a"),
    ("Ibu mengajar mata pelajaran apa?", "subject"),
    ("Siapa guru senior yang bisa Ibu tanyai?", "mentor_wati"),
    ("Sudah berapa lama Ibu jadi guru?", "months_teaching"),
    ("Bagaimana suasana di VII-A kemarin?", "noisy_class"),
])
def test_search_finds_the_item_that_answers(index, question, item):
    hits = index.search(question)
    assert hits[0].item.id == item and hits[0].score >= MATCH_FLOOR


@pytest.mark.parametrize("question", ["Apa hobi Ibu?", "Di mana Ibu tinggal?", "Berapa umur Ibu?"])
def test_nothing_in_memory_stays_below_the_floor(index, question):
    assert index.search(question)[0].score < MATCH_FLOOR


def test_search_filters_layers(index):
    hits = index.search("Bagaimana perasaan Ibu waktu pulang?", layers=("open",))
    assert hits and all(h.layer == "open" for h in hits)


@pytest.mark.parametrize(("question", "item", "truth"), [
    ("Ibu mengajar kelas VII?", "class_count", True),
    ("Ibu juga mengajar kelas IX?", "class_count", False),
    ("Ibu guru Matematika?", "subject", False),
    ("Ibu mengajar Bahasa Inggris, kan?", "subject", True),
])
def test_yes_no_gets_the_true_answer(index, question, item, truth):
    memory = load_memory_file(FIXTURE)
    assert index.yes_no(question, memory.item(item)) is truth


def test_numbers_and_names_decide_when_there_are_no_examples():
    assert facts_agree("Ada tiga puluh dua anak?", "Di VII-A ada tiga puluh dua anak.", "id") is True
    assert facts_agree("Ada 40 anak di sana?", "Di VII-A ada tiga puluh dua anak.", "id") is False
    assert facts_agree("Was it Mrs Wati?", "Mrs Wati is the senior teacher.", "en") is True
    assert facts_agree("Was it Mrs Endang?", "Mrs Wati is the senior teacher.", "en") is False
    assert facts_agree("Was it hard?", "Mrs Wati is the senior teacher.", "en") is None
    assert facts_agree("Is this your first year?", "I'm in my second year.", "en") is False
    assert facts_agree("Ini tahun kedua Ibu?", "Ini tahun kedua saya.", "id") is True


def test_a_contradicted_number_beats_a_similar_yes_example(index):
    """"Ibu mengajar lima rombel?" resembles the yes example "Ibu mengajar kelas VII?", but the item says four."""
    memory = load_memory_file(FIXTURE)
    assert index.yes_no("Ibu mengajar lima rombel kelas VII?", memory.item("class_count")) is False
    assert index.yes_no("Ibu mengajar empat rombel kelas VII?", memory.item("class_count")) is True


def test_synonyms_and_words_no_item_knows(index, tmp_path):
    from simulator.coachee.memory import synonyms

    assert "siswa" in synonyms("id")["murid"] and "kids" in synonyms("en")["students"]
    assert index.unknown_share("Apakah Ibu suka kopi?") >= 0.5
    assert index.unknown_share("Siswa di VII-A ada berapa?") == 0.0   # 'siswa' is known as 'murid'/'anak'
    bad = tmp_path / "synonyms.yaml"
    bad.write_text("id: [[murid, siswa]]\nfr: [[eleve]]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="fr"):
        synonyms("id", bad)
