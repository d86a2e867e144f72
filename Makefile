# Waypost: `make run` serves the collector with a demo project; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE_URL ?= sqlite:///./var/waypost.db
export WAYPOST_DATABASE_URL ?= $(DATABASE_URL)

.PHONY: run test lint typecheck install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml sdk/python/pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet -e sdk/python
	touch $(STAMP)

# The browser tests drive Debian's Chromium; install it when the machine has none.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/waypost migrate
	$(BIN)/waypost demo
	$(BIN)/waypost serve

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) $(CHROMIUM) lint typecheck
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=90

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
