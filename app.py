"""Start Pamong: `python app.py` serves on http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT).

No API key needed: the scripted coachee speaks unless a model is configured (see README). Beyond localhost a
login is required (PAMONG_AUTH_FILE or PAMONG_USERS). PAMONG_KNOWLEDGE_DIR picks the folder to index
(default knowledge/; "off" for none).
"""

from __future__ import annotations

import os
import sys

from simulator import offline

offline.setup()  # telemetry off before gradio is imported


def knowledge_from_env():
    value = os.environ.get("PAMONG_KNOWLEDGE_DIR", "").strip()
    if value.lower() in ("off", "none", "0", "false"):
        return False
    return value or None


def build_app(settings=None):
    """The Gradio Blocks (not launched), for `gradio app.py` reloads and embedding."""
    from simulator.config import load_settings
    from simulator.ui import build_app as _build

    return _build(settings or load_settings(), knowledge=knowledge_from_env())


def main() -> int:
    from simulator.config import load_settings
    from simulator.errors import SimulatorError
    from simulator.ui import launch

    try:
        launch(load_settings(), knowledge=knowledge_from_env())
    except SimulatorError as exc:
        print(f"pamong: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
