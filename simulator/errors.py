"""One base error and a few precise subclasses. Library code raises; the CLI and UI translate."""


class SimulatorError(Exception):
    """Base class: the message is written for a person and says what to do."""


class ContentError(SimulatorError):
    """A persona, rubric, lexicon or prompt file is invalid (the message names the file and field)."""


class InputError(SimulatorError):
    """User-supplied input (a path, a transcript, a message) cannot be used."""


class StoreError(SimulatorError):
    """The data directory, the knowledge index or the session database cannot be used."""


class ModelError(SimulatorError):
    """A language-model call failed or answered something unusable."""
