"""Content as data: one way to read a YAML file into a strict pydantic model.

Personas, rubrics, the coachee rules, the reader's lexicons and the prompt files all load through `load_yaml`,
so a broken file always fails the same way: one `ContentError`, on one line, that names the file and (for a
schema error) the field, e.g. `personas/sari.yaml: field 'reactions.closed.id': List should have at least 1 item`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from simulator.errors import ContentError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base for content schemas: an unknown key is an error, so a typo in a file never passes silently."""

    model_config = ConfigDict(extra="forbid")


def read_yaml(path: str | Path, what: str = "content") -> Any:
    """The parsed YAML of a UTF-8 file; any failure is one line naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path}: {what} file not found") from None
    except UnicodeDecodeError:
        raise ContentError(f"{path}: not UTF-8 text; save the {what} file as UTF-8") from None
    except OSError as exc:
        raise ContentError(f"{path}: cannot read the {what} file ({exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_FAST)   # the C parser: ~10x faster on the persona memory files
    except yaml.YAMLError:
        pass   # a bad file: parsed again by the Python parser, whose message is the one people know
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())  # one line, whatever yaml says
        raise ContentError(f"{path}: invalid YAML{where}: {problem}") from None


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def field_error(path: str | Path, exc: ValidationError) -> str:
    """`file: field 'a.b.0': message (and N more)` for the first error pydantic reports."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    msg = " ".join(first["msg"].removeprefix("Value error, ").split())
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: field '{where}': {msg}{more}"


def load_yaml(path: str | Path, model: type[M], what: str = "content") -> M:
    """Read `path` and validate it as `model`; raises ContentError naming the file and the field."""
    path = Path(path)
    raw = read_yaml(path, what)
    if not isinstance(raw, dict):
        required = ", ".join(name for name, f in model.model_fields.items() if f.is_required())
        raise ContentError(f"{path}: a {what} file must be a YAML mapping (with {required})")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(field_error(path, exc)) from None
