"""Prompts are files (simulator/prompts/*.yaml), rendered strictly: a variable a template uses but is not given
is an error, never an empty string in a prompt. Shared by the coachee's model voice and the judge."""

from __future__ import annotations

from functools import cache
from typing import Any

from simulator.errors import ContentError


@cache
def _jinja():
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@cache
def _template(source: str):
    return _jinja().from_string(source)  # compiling is the slow part; a prompt file compiles once


def render(template: str, **variables: Any) -> str:
    """Render a prompt template strictly: a variable the template uses but is not given is an error."""
    import jinja2

    try:
        return _template(template).render(**variables).strip()
    except jinja2.UndefinedError as exc:
        raise ContentError(f"prompt template: {exc} (a variable the template uses was not provided).") from exc
    except jinja2.TemplateError as exc:
        raise ContentError(f"prompt template: {exc}") from exc
