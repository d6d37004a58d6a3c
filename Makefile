# Set-up and everyday commands. Needs only Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install test-tools benchmark benchmark-cli clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mtfp run scenarios/example.yaml --out outputs/example

test: $(TEST_STAMP) test-tools
	$(BIN)/python -m pytest

test-tools:
	@bash scripts/ensure-test-tools.sh

benchmark: $(STAMP)
	$(BIN)/python benchmarks/montecarlo.py

benchmark-cli: $(STAMP)
	$(BIN)/python benchmarks/cli.py

clean:
	rm -rf $(VENV) outputs/* build dist src/*.egg-info .pytest_cache .hypothesis
	touch outputs/.gitkeep
