# forcewatch: two commands on a fresh clone.
#   make demo   build a demo database from the bundled data and serve it on http://127.0.0.1:8000
#   make test   run the whole (fast) test suite
# Also: make proof (slow proofs), make bench (benchmarks), make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
PYTEST_ARGS ?=
# test files spread over this many processes (`make test TEST_WORKERS=0` runs them in one)
TEST_WORKERS ?= 2

.PHONY: demo test proof bench docs clean install

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/forcewatch demo $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

proof: $(STAMP)
	$(BIN)/python -m pytest -m slow $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

docs: $(STAMP)
	$(BIN)/python -m forcewatch.cli.docs cli > docs/cli.md
	$(BIN)/python -m forcewatch.cli.docs access > docs/access.md
	$(BIN)/python -m forcewatch.cli.docs audit-events > docs/audit-events.md

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .hypothesis forcewatch-demo.db*
