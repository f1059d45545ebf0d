# One-command set-up. `make run` starts the app on the default data (Gia Lai);
# `make test` does all set-up and runs the tests. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-provinces setup data browser-deps bench lint

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed data

data: $(VENV)/.installed
	$(PY) -m coverage setup-data

run: setup
	$(PY) -m coverage app

# Headless Chromium for the browser tests and the HTML map check (Debian packages).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) apt-get install -y -q chromium chromium-driver fonts-dejavu-core poppler-utils; \
	fi

# Style and types (issue 11): ruff's formatter and linter, then mypy strict, all configured
# in pyproject.toml; any finding fails. On your own files while others edit the tree:
#   .venv/bin/ruff format FILES && .venv/bin/ruff check --fix FILES && .venv/bin/python -m mypy
lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) -m mypy

# Style and types first (ruff, then mypy strict; see `lint`): any finding fails the run
# before a single test starts.
test: setup browser-deps lint
	$(PY) -m pytest

test-provinces: setup
	COVERAGE_TEST_ALL_REPORTS=1 $(PY) -m pytest tests/test_provinces.py

bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done
