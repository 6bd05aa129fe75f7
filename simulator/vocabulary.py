"""The project's one vocabulary: the names every subsystem shares, defined once.

Languages of the interface and the conversations; the rubric's three dimensions; the coachee's hidden values;
the layers a coachee reveals and everything that can be revealed. Content files are validated against these.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]
LANGS: tuple[str, ...] = ("id", "en")

DIMENSIONS: tuple[str, ...] = ("presence", "active_listening", "powerful_questions")

VALUES: tuple[str, ...] = ("trust", "openness", "insight", "ownership")   # the coachee's hidden state
LAYERS: tuple[str, ...] = ("surface", "underneath", "core")                 # what a coachee opens, in order
ITEMS: tuple[str, ...] = (*LAYERS, "goal", "action_plan")                   # everything that can be revealed
