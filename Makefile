# Makefile — `make help` lists the targets. Two commands set up and check a fresh machine:
#   make extract   (virtual environment + pinned dependencies + model, then a run on seeds/)
#   make test      (the test suite, including the gold evaluation)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SEEDS := $(wildcard seeds/*.txt)
SOURCES := $(wildcard pipeline/*.py pipeline/*/*.py) $(shell find rules -type f 2>/dev/null)
OUT := outputs

.DEFAULT_GOAL := help

.PHONY: help install extract eval eval-dev eval-real test test-fast peers bench report export clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# the distribution was called `pipeline` before it became arms-transfers-fr: drop the old link
	$(PY) -m pip uninstall --quiet --yes pipeline 2>/dev/null || true
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## install: create .venv and install the pinned dependencies and the model
install: $(STAMP)

$(OUT)/entities.jsonl: $(STAMP) $(SEEDS) $(SOURCES)
	$(PY) -m pipeline extract seeds --out $(OUT)

## extract: run the pipeline on seeds/ into outputs/ (installs first if needed)
extract: $(OUT)/entities.jsonl

## eval: score outputs/ against tests/gold/ and print the table
eval: $(OUT)/entities.jsonl
	$(PY) -m pipeline evaluate --out $(OUT) --gold tests/gold

## eval-dev: run on the hand-annotated unseen articles of tests/dev/ and print their table
eval-dev: $(STAMP)
	$(PY) -m pipeline extract tests/dev/texts --out $(OUT)/dev --quiet
	$(PY) -m pipeline evaluate --out $(OUT)/dev --gold tests/dev/gold

## eval-real: run on the real press articles of ../shared/dev_real (when present) and print their table
eval-real: $(STAMP)
	@if [ -d ../shared/dev_real/gold ]; then \
	  $(PY) -m pipeline extract ../shared/dev_real/texts --metadata ../shared/dev_real/metadata.csv --out $(OUT)/dev_real --quiet && \
	  $(PY) -m pipeline evaluate --out $(OUT)/dev_real --gold ../shared/dev_real/gold; \
	else echo "../shared/dev_real not present: nothing to evaluate"; fi

## test: the whole test suite (unit tests, pattern examples, gold evaluation)
test: $(STAMP)
	$(PY) -m pytest

## test-fast: the tests that do not load the statistical model
test-fast: $(STAMP)
	$(PY) -m pytest -m "not model and not gold"

## peers: other projects' French money and date test suites, pass rates per file
peers: $(STAMP)
	$(PY) -m pipeline.peers tests/external

## bench: speed and memory benchmark (see bench/README.md)
bench: $(STAMP)
	$(PY) bench/run.py

## report: outputs/report.html, one page to inspect every document
report: $(OUT)/entities.jsonl
	$(PY) -m pipeline report --out $(OUT)

## export: outputs as flat CSV tables in outputs/csv/
export: $(OUT)/entities.jsonl
	$(PY) -m pipeline export --format csv --out $(OUT) --to $(OUT)/csv

## clean: remove outputs and caches (keeps .venv)
clean:
	rm -rf $(OUT) .pytest_cache bench/out
