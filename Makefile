# Dynamic Framework: build, demo and test.
#
#   make demo            from a fresh clone: install, migrate var/ SQLite, load reference + demo data, serve
#   make test            ruff, then the whole suite on SQLite and again on a throwaway PostgreSQL cluster
#   make test-sqlite     the suite on SQLite only        (PYTEST_ARGS="-x -k foo" to narrow)
#   make test-postgres   the suite on PostgreSQL only    (scripts/with-postgres.sh)
#   make lint / format   ruff check + format --check / ruff fix + format
#   make clean           remove .venv, node_modules, var/ and caches
#
# Needs only Python 3.11, Node.js/npm and (for the PostgreSQL half) the PostgreSQL server binaries.

PYTHON ?= python3.11
PORT ?= 8000
VENV ?= .venv
PYTEST_ARGS ?=

BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help install translations demo test test-sqlite test-postgres lint format clean

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

install: $(PY_STAMP) $(NODE_STAMP) translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs when pyproject.toml changes (or the venv is new).
$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# npm ci when node_modules is missing or package.json/package-lock.json are newer than the last install.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Compiles the Welsh translations when the project has a compile_translations command.
# (DEBUG=1: the settings refuse to load without a SECRET_KEY otherwise; nothing here serves requests.)
translations: $(PY_STAMP)
	@if DEBUG=1 $(BIN)/python manage.py help compile_translations >/dev/null 2>&1; then \
		DEBUG=1 $(BIN)/dynamic-framework compile-translations; \
	fi

demo: install
	$(BIN)/dynamic-framework demo --port $(PORT)

# Lint first; then both halves, each timed. Stops at the first failure.
test: install
	@$(MAKE) --no-print-directory lint
	@start=$$(date +%s); $(MAKE) --no-print-directory test-sqlite; \
		echo "SQLite half took $$(( $$(date +%s) - start ))s"
	@start=$$(date +%s); $(MAKE) --no-print-directory test-postgres; \
		echo "PostgreSQL half took $$(( $$(date +%s) - start ))s"

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(PY_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .hypothesis test-results *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
