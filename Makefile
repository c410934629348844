# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VAR_DIR := $(or $(MENTORING_VAR_DIR),var)
export DJANGO_SETTINGS_MODULE ?= mentoring.settings.local

# Find Python >= 3.12: $(PYTHON) if given, else python3.13, python3.12, then pyenv's versions.
define find_python
for c in $(PYTHON) python3.13 python3.12 python3 \
         $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    command -v $$c; exit 0; fi; \
done; exit 1
endef

.PHONY: help install run test lint format bench proof proof-short clean

help:
	@echo "make run     set up everything, load the demo, serve http://127.0.0.1:$(PORT) + Celery worker + beat"
	@echo "             (another port: make run PORT=8080)"
	@echo "make test    set up everything and run the whole test suite"
	@echo "make lint    ruff check + format check"
	@echo "make bench   run the benchmarks and print their figures"
	@echo "make proof   lint, tests, then the stack under load, faults and a backup round trip"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@base=$$($(find_python)) || { echo "Python 3.12 or newer is required (Django 6). Install it, or pass PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	echo "Using $$base"; \
	test -x $(PY) || $$base -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.installed: node_modules/.installed scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py
	touch $@

install: $(VENV)/.installed static/vendor/.installed

# The demo logins are printed by seed_demo and kept in $(VAR_DIR)/demo-logins.txt, so that
# run_local.sh prints them again once the worker's start-up banner has scrolled past.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	@mkdir -p "$(VAR_DIR)"
	set -o pipefail; $(PY) manage.py seed_demo | tee "$(VAR_DIR)/demo-logins.txt"
	PORT=$(PORT) PY=$(PY) bash scripts/run_local.sh

# Two test processes (pytest-xdist), one file at a time each: module fixtures (the seeded
# demo of the accessibility crawl) are built once. PYTEST_ARGS="-n 0 -k …" for one test.
PYTEST_ARGS ?= -n 2 --dist loadfile

test: install
	$(PY) manage.py makemigrations --check --dry-run --settings=mentoring.settings.test
	DJANGO_SETTINGS_MODULE=mentoring.settings.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) -m pairing.bench --participants 1000
	$(PY) -m pairing.bench --participants 5000
	$(PY) manage.py bench_metrics --participants 5000
	$(PY) manage.py bench_import --rows 10000
	$(PY) manage.py bench_reminders --due 10000
	$(PY) manage.py bench_dashboard --participants 5000

# The production-like stack on loopback (own PostgreSQL, Redis, gunicorn, worker, beat on
# their own ports) under load, faults and a backup round trip: scripts/proof. CI runs
# proof-short; the README keeps the full run's table.
proof: lint test
	$(PY) -m scripts.proof

proof-short: install
	$(PY) -m scripts.proof --short

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var test-artifacts
