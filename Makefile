# Two commands are all a reader, a student or an instructor needs:
#
#   make book   # build the course book into _build/html
#   make test   # run the test suite
#
# and `make lab` opens the course in JupyterLab. All create a private virtual
# environment in .venv on first use.

PYTHON ?= python3
PYTEST_ARGS ?=

SHELL := /bin/bash

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed

# Every recipe sees the venv first on PATH: tools started as programs by
# other tools (nbgrader runs `alembic`, Jupyter starts `python` kernels)
# must come from the venv too.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Small matrix products run faster single-threaded than with OpenBLAS's threads on 2 cores.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

# pip, kept quiet but with its errors visible. Machines whose pip config
# lists local package indexes print one harmless "Location ... is ignored"
# line per package and index; those lines alone are dropped.
PIP_INSTALL := set -o pipefail; $(BIN)/pip install --quiet --progress-bar off
PIP_FILTER  := 2>&1 | { grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory" || true; }

.DEFAULT_GOAL := help
.PHONY: help bootstrap book test test-fast lab assignments release grade clean distclean class-deps similarity lms-export

help:
	@echo "make book       build the book into _build/html (sets up .venv on first use)"
	@echo "make test       run the tests with pytest (PYTEST_ARGS='...' is passed on)"
	@echo "make test-fast  the tests not marked slow (-m 'not slow'; no book build, nbgrader or training)"
	@echo "make lab        JupyterLab on the repository: book pages open as notebooks, assignments released"
	@echo "                (LAB_ARGS='--no-browser --port 8899' is passed on)"
	@echo "make assignments  rebuild assignments/source/*.ipynb from assignments/authoring/*.py"
	@echo "make release    generate the student versions into assignments/release/"
	@echo "make grade ASSIGNMENT=a01_rnn_forward [JOBS=2]"
	@echo "                autograde assignments/submitted/*/ASSIGNMENT, feedback, grades.csv"
	@echo "make similarity ASSIGNMENT=a01_rnn_forward"
	@echo "                similarity report of its submissions' answer cells (similarity/ASSIGNMENT.html)"
	@echo "make lms-export LMS=canvas|moodle"
	@echo "                grades as a CSV that the LMS gradebook imports (assignments/LMS_grades.csv)"
	@echo "make class-deps configurable-http-proxy (npm) for JupyterHub and the class test"
	@echo "make bootstrap  only create .venv and install the requirements"
	@echo "make clean      remove _build"
	@echo "make distclean  remove _build and .venv"

bootstrap: $(STAMP)

# Rebuilt whenever the requirements or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found; install Python 3.10+ or run 'make PYTHON=/path/to/python3.x ...'" >&2; \
	  exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { \
	  echo "error: Python 3.10+ is required, but '$(PYTHON)' is $$($(PYTHON) -c 'import platform; print(platform.python_version())')." >&2; \
	  echo "       Run 'make PYTHON=/path/to/python3.x ...' with a newer interpreter." >&2; \
	  exit 1; }
	@echo ">>> Creating $(VENV) with $$($(PYTHON) -c 'import sys; print(sys.executable, sys.version.split()[0])')"
	$(PYTHON) -m venv $(VENV)
	@echo ">>> Installing requirements (first run takes a few minutes)"
	@echo "$(BIN)/pip install -r requirements.txt"
	@$(PIP_INSTALL) -r requirements.txt $(PIP_FILTER)
	@echo "$(BIN)/pip install -e ."
	@$(PIP_INSTALL) -e . $(PIP_FILTER)
	@touch $@
	@echo ">>> Environment ready in $(VENV)"

# `jupyter-book build . -W -n --keep-going`, with the pages executed in parallel processes
# (one per core; RNNCOURSE_BOOK_JOBS=N to choose): see book/build.py.
book: $(STAMP)
	$(BIN)/python book/build.py . -W -n --keep-going
	@echo
	@echo "Book built. Open this file in a browser:"
	@echo "  $(CURDIR)/_build/html/index.html"

test: $(STAMP) class-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every test marked slow (book build, nbgrader runs, trained models) left out: seconds, not minutes.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# JupyterLab in the repository's root with this environment's kernel: the book's MyST pages open
# as notebooks (jupytext; book/lab.py makes it the default viewer of .md files) and the student
# versions of the assignments are in assignments/release/ first.
LAB_ARGS ?=
lab: release
	$(BIN)/python book/lab.py $(LAB_ARGS)

# nbgrader reads nbgrader_config.py from the working directory: run it inside assignments/.
assignments: $(STAMP)
	cd assignments && ../$(BIN)/python build_sources.py

release: $(STAMP)
	cd assignments && ../$(BIN)/python course.py release

JOBS ?= 2
grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=<name> [JOBS=N]; assignments: $$(ls assignments/source)" >&2; exit 2; }
	cd assignments && ../$(BIN)/python course.py grade $(ASSIGNMENT) -j $(JOBS)

# Running a class (book page "Running a class"): JupyterHub's proxy from npm, into .venv.
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
class-deps: $(CHP)
$(CHP):
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found; install Node.js 20+ (apt-get install nodejs npm)" >&2; exit 1; }
	mkdir -p $(VENV)/node
	npm install --prefix $(VENV)/node --no-audit --no-fund --silent configurable-http-proxy@5

similarity: $(STAMP)
	@test -n "$(ASSIGNMENT)" || { echo "usage: make similarity ASSIGNMENT=<name>; assignments: $$(ls assignments/source)" >&2; exit 2; }
	cd assignments && ../$(BIN)/python -m classroom.similarity $(ASSIGNMENT)

LMS ?= canvas
lms-export: $(STAMP)
	@case "$(LMS)" in canvas) plugin=CanvasExportPlugin;; moodle) plugin=MoodleExportPlugin;; \
	  *) echo "LMS must be canvas or moodle, not '$(LMS)'" >&2; exit 2;; esac; \
	cd assignments && ../$(BIN)/nbgrader export --exporter=classroom.exports.$$plugin --to=$(LMS)_grades.csv

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV)
