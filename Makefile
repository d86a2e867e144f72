# Waypost: `make run` serves the collector with a demo project; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE_URL ?= sqlite:///./var/waypost.db
DEMO_PORT ?= 8001
export WAYPOST_DATABASE_URL ?= $(DATABASE_URL)

.PHONY: run test lint typecheck install clean dashboard browser-sdk browser-sdk-test

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

# The dashboard web app (TypeScript, Chart.js bundled by esbuild), served at /dashboard.
DASHBOARD_BUILT := dashboard/dist/index.html
$(DASHBOARD_BUILT): dashboard/package.json dashboard/package-lock.json dashboard/build.mjs \
		dashboard/index.html $(wildcard dashboard/src/*.ts dashboard/src/*.css dashboard/src/pages/*.ts)
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error && npm run build

dashboard: $(DASHBOARD_BUILT)

# The browser SDK (sdk/js) and its widgets add-on (widgets/), served at /sdk/.
SDK_JS_BUILT := sdk/js/dist/waypost.js
$(SDK_JS_BUILT): sdk/js/package.json sdk/js/package-lock.json sdk/js/build.mjs \
		sdk/js/tsconfig.json sdk/js/tsconfig.build.json $(wildcard sdk/js/src/*.ts)
	cd sdk/js && npm ci --no-audit --no-fund --loglevel=error && npm run build

# The add-on is built when it exists; the stamp is a dot file, which the collector never serves.
WIDGETS_BUILT := $(if $(wildcard widgets/package.json),widgets/dist/.built)
widgets/dist/.built: widgets/package.json $(wildcard widgets/package-lock.json widgets/scripts/build.mjs \
		widgets/src/*.ts widgets/src/*/*.ts widgets/css/*.css)
	cd widgets && npm ci --no-audit --no-fund --loglevel=error && npm run build
	touch $@

browser-sdk: $(SDK_JS_BUILT) $(WIDGETS_BUILT)

# Type-checks the SDK and the widgets and runs their unit tests with node's own runner.
browser-sdk-test: browser-sdk
	cd sdk/js && npm run typecheck && npm test
	$(if $(WIDGETS_BUILT),cd widgets && npm run typecheck && npm test)

# Serves the demo SaaS app (examples/demo_saas) on DEMO_PORT beside the collector; Ctrl-C stops both.
run: $(STAMP) dashboard browser-sdk
	mkdir -p var
	$(BIN)/waypost migrate
	$(BIN)/waypost demo --persons 3000
	$(BIN)/python -m examples.demo_saas.server --port $(DEMO_PORT) --collector http://127.0.0.1:$${WAYPOST_PORT:-8000} &
	WAYPOST_WORKER_IN_PROCESS=1 $(BIN)/waypost serve

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) $(CHROMIUM) dashboard browser-sdk browser-sdk-test lint typecheck
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=90

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
