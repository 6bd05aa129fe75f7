"""simulator/content.py: every kind of content file fails the same way — one line naming the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.coachee.model_voice import PROMPTS_DIR, CoacheePrompt, GuardSpec
from simulator.coachee.persona import load_persona
from simulator.coachee.state import RULES_PATH, load_rules
from simulator.content import load_yaml, read_yaml
from simulator.errors import ContentError
from simulator.evaluation.judge import JudgePrompt
from simulator.evaluation.rubric import RUBRICS_DIR, load_rubric
from simulator.reading.lexicon import LEXICON_DIR, load_lexicon

REPO = Path(__file__).resolve().parent.parent


def _copy_with(tmp_path: Path, source: Path, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    out = tmp_path / source.name
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def _first_persona() -> Path:
    return sorted((REPO / "personas").glob("*.yaml"))[0]


# (loader, shipped file, a change that breaks one field, the field the error must name)
CASES = [
    (load_persona, _first_persona(), lambda d: d["reactions"].update(closd=d["reactions"]["closed"]), "reactions.closd"),
    (load_rubric, sorted(RUBRICS_DIR.glob("*.yaml"))[0], lambda d: d.update(scoring="guess"), "scoring"),
    (load_lexicon, LEXICON_DIR / "id.yaml", lambda d: d["patterns"].update(surprise=["x"]), "patterns.surprise"),
    (load_rules, RULES_PATH, lambda d: d["effects"]["reflection"].update(trusst=1), "effects.reflection.trusst"),
    (lambda p: load_yaml(p, JudgePrompt, "prompt"), PROMPTS_DIR / "judge.yaml", lambda d: d.pop("retry"), "retry"),
    (lambda p: load_yaml(p, CoacheePrompt, "prompt"), PROMPTS_DIR / "coachee.yaml", lambda d: d.update(levels="x"),
     "levels"),
    (lambda p: load_yaml(p, GuardSpec, "prompt"), PROMPTS_DIR / "guard.yaml", lambda d: d.update(extra=1), "extra"),
]


@pytest.mark.parametrize("loader,source,change,field", CASES, ids=lambda c: getattr(c, "name", None))
def test_a_broken_field_names_the_file_and_the_field_on_one_line(tmp_path, loader, source, change, field):
    loader(source)  # the shipped file loads
    broken = _copy_with(tmp_path, source, change)
    with pytest.raises(ContentError) as info:
        loader(broken)
    message = str(info.value)
    assert message.startswith(f"{broken}: field '{field}': "), message
    assert "\n" not in message


@pytest.mark.parametrize("data,needle", [
    (b"a: b: c\n", "invalid YAML at line 1: mapping values are not allowed here"),
    (b"a: [unclosed\nb: 2\n", "invalid YAML at line 2"),
    (b"a: 1\n\tb: 2\n", "invalid YAML at line 2"),
    ("a: caf\xe9\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_yaml_is_one_line_naming_the_file(tmp_path, data, needle):
    path = tmp_path / "broken.yaml"
    path.write_bytes(data)
    with pytest.raises(ContentError) as info:
        read_yaml(path, "persona")
    assert str(info.value).startswith(f"{path}: {needle}") and "\n" not in str(info.value)


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(ContentError, match=r"missing\.yaml: prompt file not found"):
        read_yaml(tmp_path / "missing.yaml", "prompt")
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"list\.yaml: a prompt file must be a YAML mapping \(with system, user, "):
        load_yaml(listing, JudgePrompt, "prompt")


def test_only_the_first_error_is_spelled_out(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text("system: s\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_yaml(path, JudgePrompt, "prompt")
    assert str(info.value) == f"{path}: field 'user': Field required (and 4 more)"
