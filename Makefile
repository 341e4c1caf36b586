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

# The virtual environment is for development and tests: production plus the dev extra,
# at the versions in requirements-dev.txt. A server installs requirements.txt (and
# requirements-s3.txt with S3 storage) instead: docs/deploy.md.
$(VENV)/.installed: pyproject.toml requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-15s %s\n", $$1, $$2}'

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment: the pinned production and dev dependencies

.PHONY: system-deps
system-deps: ## Install the Debian packages the app and its tests need (as root, when missing)
	@bash scripts/system-deps.sh

.PHONY: run
run: install ## Migrate SQLite, load the demo data, serve http://127.0.0.1:8000 with the background worker
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	@echo
	@echo "Serving CSP Portal at http://$(HOST):$(PORT)/ with its background worker (Ctrl+C stops both)."
	@PY=$(PY) bash scripts/serve-dev.sh $(HOST) $(PORT)

# The suite on SQLite, then the browser journeys on PostgreSQL (the server on
# 127.0.0.1:5432, or a throwaway cluster): a user's browser meets the production
# database, and the journeys run once. Coverage adds the two runs up before the gate.
.PHONY: test
test: install system-deps node_modules/.installed ## Run the whole suite: SQLite, then the browser journeys on PostgreSQL, with the coverage gate
	$(PYTEST) -n 2 --dist loadfile -m "not browser" --cov --cov-report= --cov-fail-under=0
	bash scripts/with-postgres.sh $(PYTEST) -n 2 --dist loadfile -m browser --cov --cov-append --cov-report=term:skip-covered

.PHONY: test-postgres
test-postgres: install ## Run the suite (without browser journeys) on PostgreSQL
	bash scripts/with-postgres.sh $(PYTEST) -n 2 --dist loadfile -m "not browser"

# The ci profile of the fuzz suite runs in make test; this is the long, random one.
.PHONY: fuzz
fuzz: install ## Run the hostile-input fuzz suite (tests/fuzz) with the long, random profile
	HYPOTHESIS_PROFILE=fuzz $(PYTEST) tests/fuzz -p no:randomly

.PHONY: test-browser
test-browser: install system-deps node_modules/.installed ## Run only the Playwright journeys with axe-core, on PostgreSQL
	bash scripts/with-postgres.sh $(PYTEST) -n 2 --dist loadfile -m browser

.PHONY: lint
lint: install ## ruff lint and format, missing migrations, declared dependencies (deptry), import layers, types (mypy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/deptry .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

.PHONY: format
format: install ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One plotly.js for the pages and the PDF exporter: the basic bundle (scatter, bar and pie
# traces, every chart the app draws) at exactly the version plotly.py targets, pinned in
# package.json; tests/reports/test_plotly_bundle.py checks the two. plotly.css holds the
# rules plotly.js would inject, which the Content Security Policy blocks.
.PHONY: assets
assets: node_modules/.installed ## Rebuild the GOV.UK CSS and copy vendored JS into static/
	npm run --silent build:css
	mkdir -p static/vendor/govuk-frontend static/vendor/plotly
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp node_modules/govuk-frontend/dist/govuk/../../LICENSE.txt static/vendor/govuk-frontend/ 2>/dev/null || true
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js node_modules/plotly.js-basic-dist-min/LICENSE static/vendor/plotly/
	node scripts/plotly-css.mjs static/vendor/plotly/plotly-basic.min.js static/vendor/plotly/plotly.css

# The locks, for Python 3.11 on Linux. The S3 set is resolved first and the production
# lock inside it, so that adding boto3 changes no production version (botocore caps
# python-dateutil); the dev lock is production plus the dev extra at the same versions.
# Existing pins are kept where they still fit; LOCK_ARGS=--upgrade moves them all.
LOCK_ARGS ?=
LOCK := $(VENV)/bin/uv pip compile --quiet --python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: lock
lock: install ## Re-pin requirements{,-dev,-s3}.txt from pyproject.toml with uv (needs network)
	$(LOCK) pyproject.toml --extra s3 -o requirements-s3.txt
	$(LOCK) pyproject.toml -c requirements-s3.txt -o requirements.txt
	$(LOCK) pyproject.toml --extra dev -c requirements.txt -o requirements-dev.txt
