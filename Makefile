# CSP Portal: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST := $(VENV)/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?=

$(VENV)/.installed: pyproject.toml requirements.txt
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-15s %s\n", $$1, $$2}'

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment and install the pinned dependencies

.PHONY: system-deps
system-deps: ## Install the Debian packages the app and its tests need (as root, when missing)
	@bash scripts/system-deps.sh

.PHONY: run
run: install ## Migrate SQLite, load the demo data and serve http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Serving CSP Portal at http://$(HOST):$(PORT)/ (Ctrl+C to stop). Demo password: demo-password"
	$(PY) manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: install system-deps node_modules/.installed ## Run the whole test suite on SQLite, browser journeys included
	$(PYTEST) -n 2 --dist loadfile

.PHONY: test-postgres
test-postgres: install ## Run the suite (without browser journeys) on PostgreSQL
	bash scripts/with-postgres.sh $(PYTEST) -n 2 --dist loadfile -m "not browser"

.PHONY: test-browser
test-browser: install system-deps node_modules/.installed ## Run the Playwright journeys with axe-core, on PostgreSQL
	bash scripts/with-postgres.sh $(PYTEST) -m browser

.PHONY: lint
lint: install ## ruff lint and format check, and a check for missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: format
format: install ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: assets
assets: node_modules/.installed ## Rebuild the GOV.UK CSS and copy vendored JS into static/
	npm run --silent build:css
	mkdir -p static/vendor/govuk-frontend static/vendor/plotly
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp node_modules/govuk-frontend/dist/govuk/../../LICENSE.txt static/vendor/govuk-frontend/ 2>/dev/null || true
	cp node_modules/plotly.js-dist-min/plotly.min.js node_modules/plotly.js-dist-min/LICENSE static/vendor/plotly/
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js static/vendor/plotly/

.PHONY: lock
lock: ## Re-pin requirements.txt from pyproject.toml (needs network)
	python3 -m venv /tmp/cspportal-lock && /tmp/cspportal-lock/bin/pip install --quiet -e '.[dev]' \
	  && /tmp/cspportal-lock/bin/pip freeze --exclude-editable > requirements.txt
