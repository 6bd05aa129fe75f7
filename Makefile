# One task runner. The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export OMP_WAIT_POLICY := PASSIVE

.PHONY: install index run serve test test-fast lint bench bench-eval clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install            ## build or refresh the knowledge index (only changed files are embedded)
	$(BIN)/pamong ingest

run: install              ## build/refresh the knowledge index (with progress), then serve http://127.0.0.1:7860
	$(BIN)/pamong ingest
	$(BIN)/python app.py

test: install             ## the whole test suite, browser and PostgreSQL tests included
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: install
	$(BIN)/ruff check simulator tests bench app.py

bench: install            ## every benchmark; figures go in README's Performance section
	$(BIN)/python bench/run_all.py

bench-eval: install       ## evaluator figures only (AnnoMI, ESConv, MI gold set, Indonesian set)
	$(BIN)/python bench/bench_reading.py
	$(BIN)/python bench/bench_sessions.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts bench/results
