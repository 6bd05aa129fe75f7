"""The layout shows the architecture: one subpackage per subsystem, imports only downward, no cycles.

The layers contract lives in pyproject.toml ([tool.importlinter]); this test runs it, so a new upward import
or an import cycle fails CI with import-linter's own explanation of the offending chain.
"""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_imports_a_module_that_imports_it():
    graph = grimp.build_graph("simulator")
    pairs = sorted({tuple(sorted((m, i))) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)
                    if m in graph.find_modules_directly_imported_by(i)})
    assert pairs == []


def test_each_subsystem_is_a_package():
    for name in ("reading", "coachee", "evaluation", "retrieval", "models", "storage", "cli", "ui"):
        assert (ROOT / "simulator" / name / "__init__.py").exists(), name
    flat = sorted(p.stem for p in (ROOT / "simulator").glob("*.py"))
    assert flat == ["__init__", "__main__", "config", "content", "errors", "offline", "session", "vocabulary"]
