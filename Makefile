# Dynamic Framework: build, demo and test.
#
#   make demo            from a fresh clone: install, migrate var/ SQLite, load reference + demo data, serve
#   make test            ruff, then the whole suite on SQLite and again on a throwaway PostgreSQL cluster
#   make test-sqlite     the suite on SQLite only        (PYTEST_ARGS="-x -k foo" to narrow)
#   make test-postgres   the suite on PostgreSQL only    (scripts/with-postgres.sh)
#   make lint / format   ruff check + format --check / ruff fix + format
#   make clean           remove .venv, node_modules, var/ (the demo database), compiled translations, caches
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

# Compiles the translations (.po -> .mo) when the project has a compile_translations command.
# (DEBUG=1: the settings refuse to load without a SECRET_KEY otherwise; nothing here serves requests.)
PO_FILES := $(wildcard dynamic_framework/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)

ifneq ($(MO_FILES),)
$(MO_FILES): %.mo: %.po $(PY_STAMP)
	@if DEBUG=1 $(BIN)/python manage.py help compile_translations >/dev/null 2>&1; then \
		DEBUG=1 $(BIN)/dynamic-framework compile-translations; \
	fi
endif

demo: install
	$(BIN)/dynamic-framework demo --port $(PORT)

# Lint, then both halves of the suite: at the same time when there are two or more CPUs (each half's
# output is printed whole when it finishes), one after the other otherwise (TEST_JOBS=1).
# Everything runs even if something fails, so one run reports every problem; the exit status says if any did.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -ge 2 ] && echo 2 || echo 1)

test: install
	@start=$$(date +%s); lint=0; tests=0; \
	$(MAKE) --no-print-directory lint || lint=$$?; \
	$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-sqlite test-postgres || tests=$$?; \
	echo "make test: $$(( $$(date +%s) - start ))s; lint $$([ $$lint -eq 0 ] && echo passed || echo FAILED)," \
		"tests $$([ $$tests -eq 0 ] && echo passed || echo FAILED)"; \
	[ $$lint -eq 0 ] && [ $$tests -eq 0 ]

# Migrations are written by makemigrations, so their layout is not checked (make format still tidies them).
lint: $(PY_STAMP)
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check --output-format=concise --exclude '**/migrations/*.py' . || status=1; \
	if [ $$status -ne 0 ]; then echo "lint failed: \`make format\` fixes formatting and the fixable checks"; fi; \
	exit $$status

format: $(PY_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	@echo "=== SQLite half ==="; start=$$(date +%s); status=0; \
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	echo "=== SQLite half: $$(( $$(date +%s) - start ))s, exit status $$status ==="; exit $$status

test-postgres: install
	@echo "=== PostgreSQL half ==="; start=$$(date +%s); status=0; \
	scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	echo "=== PostgreSQL half: $$(( $$(date +%s) - start ))s, exit status $$status ==="; exit $$status

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .hypothesis test-results *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
	find dynamic_framework -name '*.mo' -delete
