# One task runner. The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export OMP_WAIT_POLICY := PASSIVE

WORKERS ?= 2
# --no-compile: pip would compile every installed module to bytecode (~20 s of CPU, a third of the install);
# Python compiles the ones the app imports on first use instead (~2 s, once).
PIP_FLAGS := --quiet --disable-pip-version-check --no-input --prefer-binary --no-compile

.PHONY: install install-test index prebuilt-index run serve test test-fast lint bench bench-eval clean

# A first `make run` installs what the app needs and nothing else: the test tools (pytest, hypothesis,
# playwright, ruff) come with the first `make test`. No `pip install --upgrade pip` first: the venv's bundled pip
# installs every pinned wheel, and the upgrade cost ~5 s of a first run.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) -c constraints.txt -e .
	touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install $(PIP_FLAGS) -c constraints.txt -e '.[test]'
	touch $(TESTSTAMP)

install: $(STAMP)

install-test: $(TESTSTAMP)

index: install            ## build or refresh the knowledge index (only changed files are embedded)
	$(BIN)/pamong ingest

prebuilt-index: install   ## maintainers: re-embed knowledge/ into the shipped index (simulator/retrieval/data/knowledge_index.*)
	$(BIN)/pamong ingest --write-prebuilt

run: install              ## serve http://127.0.0.1:7860 (the index comes from the shipped vectors: ~1 s)
	$(BIN)/python app.py

serve: install            ## WORKERS app processes behind nginx on http://127.0.0.1:7860 (see docs/deployment.md)
	bash scripts/system-deps.sh
	$(BIN)/pamong serve --workers $(WORKERS)

test: install-test        ## the whole test suite, browser and PostgreSQL tests included
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest

test-fast: install-test
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: install-test
	$(BIN)/ruff check simulator tests bench app.py
	$(BIN)/lint-imports

bench: install-test          ## every benchmark; figures go in docs/performance.md
	$(BIN)/python bench/run_all.py

bench-eval: install-test     ## evaluator figures only (AnnoMI, ESConv, MI gold set, Indonesian set)
	$(BIN)/python bench/bench_reading.py
	$(BIN)/python bench/bench_sessions.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts bench/results
