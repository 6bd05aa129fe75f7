"""The shipped persona library: every file validates, is complete in both languages, and the set covers
the programme's scenarios, every resistance style, difficulty and skill. A broken file fails loudly."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import get_args

import pytest
import yaml

from simulator.coachee.persona import REACTIONS, Persona, load_persona, load_personas
from simulator.config import PERSONAS_DIR
from simulator.errors import ContentError
from simulator.vocabulary import LANGS

PERSONAS = load_personas()
IDS = sorted(PERSONAS)
LAYER_NAMES = ("surface", "underneath", "core")
# Words that must never appear in anything the coachee says (it would break the role-play).
OUT_OF_CHARACTER = re.compile(
    r"\b(AI|A\.I\.|chatbot|language model|model bahasa|prompts?|personas?|simulat\w*|roleplay|role-play|"
    r"bermain peran|coachee)\b",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(r"\{[^}]*\}|<[a-z_]+>|\$\w+|TODO|XXX|\.\.\.\.")


def _enum(field: str) -> set[str]:
    return set(get_args(Persona.model_fields[field].annotation))


def _skill_values() -> set[str]:
    (inner,) = get_args(Persona.model_fields["skills"].annotation)
    return set(get_args(inner))


def _layers(persona: Persona):
    for name in LAYER_NAMES:
        yield name, getattr(persona.layers, name)
    yield "goal", persona.goal
    yield "action_plan", persona.action_plan


def _spoken(persona: Persona):
    """Every line the coachee can say, with where it comes from."""
    for name, layer in _layers(persona):
        for lang in LANGS:
            for line in layer.lines(lang):
                yield f"{name}.{lang}", line
    for reaction in type(persona.reactions).model_fields:   # REACTIONS and the optional own lines
        lines = getattr(persona.reactions, reaction)
        for lang in LANGS:
            for line in lines(lang) if lines else ():
                yield f"reactions.{reaction}.{lang}", line


def test_library_size_and_ids_match_files():
    files = sorted(PERSONAS_DIR.glob("*.yaml"))
    assert len(PERSONAS) >= 10
    assert len(files) == len(PERSONAS), "two files share an id"
    assert sorted(p.stem for p in files) == IDS
    for pid, persona in PERSONAS.items():
        assert persona.id == pid
        assert re.fullmatch(r"[a-z0-9_]+", pid)


@pytest.mark.parametrize("pid", IDS)
def test_every_persona_speaks_both_languages(pid):
    persona = PERSONAS[pid]
    assert set(persona.languages) == {"id", "en"}
    for lang in LANGS:
        for field in ("name", "title", "scenario", "practise", "background", "presenting_issue"):
            assert getattr(persona, field)(lang).strip(), f"{field}.{lang} empty"
        assert persona.emotions(lang)
    for name, layer in _layers(persona):
        for lang in LANGS:
            assert layer.summary(lang).strip()
            lines = layer.lines(lang)
            assert 3 <= len(lines) <= 5, f"{name}.lines.{lang} has {len(lines)} lines"
            assert 3 <= len(layer.keywords(lang)) <= 6, f"{name}.keywords.{lang}"
    for reaction in REACTIONS:
        lines = getattr(persona.reactions, reaction)
        for lang in LANGS:
            assert 3 <= len(lines(lang)) <= 5, f"reactions.{reaction}.{lang} has {len(lines(lang))} lines"
            assert len(set(lines(lang))) == len(lines(lang)), f"reactions.{reaction}.{lang} repeats a line"


@pytest.mark.parametrize("pid", IDS)
def test_languages_are_parallel(pid):
    """Each Indonesian line has its English counterpart, so a session reads the same in either language."""
    persona = PERSONAS[pid]
    for name, layer in _layers(persona):
        assert len(layer.lines.id) == len(layer.lines.en), f"{name}.lines"
        assert len(layer.keywords.id) == len(layer.keywords.en), f"{name}.keywords"
    for reaction in REACTIONS:
        lines = getattr(persona.reactions, reaction)
        assert len(lines.id) == len(lines.en), f"reactions.{reaction}"


@pytest.mark.parametrize("pid", IDS)
def test_keywords_are_the_coachees_own_words(pid):
    """A coach can only reflect a key word back if the coachee actually says it in that layer."""
    persona = PERSONAS[pid]
    for name, layer in _layers(persona):
        for lang in LANGS:
            text = " ".join(layer.lines(lang)).lower()
            for keyword in layer.keywords(lang):
                assert keyword.lower() in text, f"{pid}: keyword '{keyword}' not in {name}.lines.{lang}"


@pytest.mark.parametrize("pid", IDS)
def test_lines_are_speakable_and_in_character(pid):
    persona = PERSONAS[pid]
    for where, line in _spoken(persona):
        assert line == line.strip() and line, f"{pid} {where}: blank or padded line"
        assert not PLACEHOLDER.search(line), f"{pid} {where}: placeholder in {line!r}"
        assert not OUT_OF_CHARACTER.search(line), f"{pid} {where}: out-of-character word in {line!r}"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
        assert len(sentences) <= 4, f"{pid} {where}: too long to be one reply: {line!r}"


@pytest.mark.parametrize("pid", IDS)
def test_languages_are_not_mixed_up(pid):
    """English lines do not carry Indonesian function words and vice versa (a copy-paste slip)."""
    persona = PERSONAS[pid]
    id_words = re.compile(r"\b(yang|saya|tidak|dengan|sudah|belum|karena)\b", re.IGNORECASE)
    en_words = re.compile(r"\b(the|and|with|because|what|I'm|don't)\b")
    for where, line in _spoken(persona):
        if where.endswith(".en"):
            assert not id_words.search(line), f"{pid} {where}: Indonesian in English line {line!r}"
        else:
            assert not en_words.search(line), f"{pid} {where}: English in Indonesian line {line!r}"


def test_coverage_of_the_programme():
    values = list(PERSONAS.values())
    resistance = Counter(p.resistance for p in values)
    difficulty = Counter(p.difficulty for p in values)
    for style in _enum("resistance"):
        assert resistance[style] >= 2, f"resistance '{style}' used {resistance[style]} times"
    for level in _enum("difficulty"):
        assert difficulty[level] >= 2, f"difficulty '{level}' used {difficulty[level]} times"
    assert {p.scenario_type for p in values} == _enum("scenario_type")
    assert {p.role for p in values} == _enum("role")
    assert set().union(*(p.skills for p in values)) == _skill_values()
    for skill in _skill_values():  # the app suggests a next persona for the weakest skill: give it a choice
        assert sum(skill in p.skills for p in values) >= 3, f"skill '{skill}' trained by fewer than 3 personas"
    required = {
        "pra_observasi_guru_matematika", "pasca_observasi_guru_ipa", "guru_diferensiasi",
        "guru_sosial_emosional", "guru_baru", "guru_senior_skeptis", "kepala_sekolah",
        "murid_target_belajar", "murid_sosial_emosional",
    }
    assert required <= set(PERSONAS)


def test_knowledge_personas_keep_their_sources():
    for pid in ("guru_diferensiasi", "guru_sosial_emosional"):
        persona = PERSONAS[pid]
        assert persona.knowledge_queries and persona.sources
    for persona in PERSONAS.values():
        if persona.knowledge_queries:
            assert persona.sources, f"{persona.id}: knowledge without a source"


def test_students_talk_to_their_teacher_not_a_colleague():
    for persona in PERSONAS.values():
        if persona.role == "student":
            assert persona.scenario_type == "student_coaching"
            spoken = " ".join(line for _, line in _spoken(persona) if not _.endswith(".en"))
            assert not re.search(r"\b(rekan|sejawat|modul ajar|RPP)\b", spoken, re.IGNORECASE)


# --- broken files fail loudly, naming the file and the field -------------------------------------------

def _good_raw() -> dict:
    return yaml.safe_load((PERSONAS_DIR / "pra_observasi_guru_matematika.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, stem: str, raw: dict) -> Path:
    raw["id"] = stem
    path = tmp_path / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_good_copy_loads(tmp_path):
    path = _write(tmp_path, "salinan", _good_raw())
    assert load_persona(path).id == "salinan"
    assert list(load_personas(tmp_path)) == ["salinan"]


@pytest.mark.parametrize(
    "stem, breaks, field",
    [
        ("tanpa_reaksi", lambda raw: raw["reactions"].pop("why"), "reactions.why"),
        ("tanpa_inti", lambda raw: raw["layers"].pop("core"), "layers.core"),
        ("kolom_asing", lambda raw: raw.update(mood="happy"), "mood"),
        ("kolom_asing_lapisan", lambda raw: raw["goal"].update(hint="x"), "goal.hint"),
        ("tingkat_salah", lambda raw: raw.update(difficulty="extreme"), "difficulty"),
        ("gaya_salah", lambda raw: raw.update(resistance="angry"), "resistance"),
        ("bahasa_hilang", lambda raw: raw["layers"]["surface"]["lines"].pop("en"), "layers.surface.lines.en"),
        ("baris_kosong", lambda raw: raw["reactions"]["closed"].update(id=[]), "reactions.closed.id"),
    ],
)
def test_broken_persona_names_file_and_field(tmp_path, stem, breaks, field):
    raw = _good_raw()
    breaks(raw)
    path = _write(tmp_path, stem, raw)
    with pytest.raises(ContentError) as info:
        load_persona(path)
    message = str(info.value)
    assert f"{stem}.yaml" in message
    assert f"'{field}'" in message
    with pytest.raises(ContentError):
        load_personas(tmp_path)


def test_id_must_match_file_name(tmp_path):
    raw = _good_raw()
    path = tmp_path / "nama_lain.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=r"nama_lain\.yaml.*'id'"):
        load_persona(path)


def test_not_a_mapping_and_bad_yaml(tmp_path):
    listing = tmp_path / "daftar.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ContentError, match="daftar.yaml"):
        load_persona(listing)
    broken = tmp_path / "rusak.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="rusak.yaml"):
        load_persona(broken)
