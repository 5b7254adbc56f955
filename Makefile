# The book's commands. `make book` and `make test` are all a new machine needs:
# each creates .venv from requirements.txt (plus this package, editable) on
# first use and re-installs only when requirements.txt or pyproject.toml change.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
JOBS   ?= 2

.PHONY: help venv book test test-package test-notebooks test-book execute serve clean

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     every check: package tests, notebook hygiene, nbval, strict book build"
	@echo "make execute  re-run every notebook top to bottom, in place (NB=book/x.ipynb for one)"
	@echo "make serve    serve _build/html on http://localhost:$(PORT)"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==26.3
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html
	@echo "open _build/html/index.html"

test: test-package test-notebooks test-book

# The package's tests, its docstring examples and the notebook hygiene checks.
test-package: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) tests upsampling

# Re-execute every chapter listed in _toc.yml and compare with the stored outputs.
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadscope --nbval \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300 \
	    $$($(BIN)/python tools/toc.py)

# A full rebuild with every warning an error (a broken reference fails here).
test-book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html --all -W -n --keep-going

execute: $(STAMP)
	$(BIN)/python tools/execute.py $(NB)

serve:
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build
