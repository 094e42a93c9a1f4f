# ILACS Tracker. `make run` to try it, `make test` for the whole suite. See README.md.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
PYTHON := $(UV) run --frozen python
MANAGE := $(PYTHON) manage.py
# Test processes: two per core. Much of the suite waits on a browser or a live server rather
# than the CPU (2 cores: 13 minutes with two processes, 9 with four).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) * 2 )))

.PHONY: run install test lint frontend bench loadtest archive-check clean

install:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@./scripts/system-deps.sh
	@$(UV) sync --frozen --quiet
	@# The OpenID Connect provider of the single sign-on test (tests/oidc_provider, locked).
	@[ -d tests/oidc_provider/node_modules/oidc-provider ] || npm ci --prefix tests/oidc_provider --no-audit --no-fund --silent

run: install
	@DEBUG=true $(MANAGE) migrate --no-input -v 0
	@DEBUG=true $(MANAGE) load_authorities
	@DEBUG=true $(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
	@DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

test: install
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen lint-imports --no-logo --no-cache
	@$(MANAGE) makemigrations --check --dry-run
	@$(UV) run --frozen pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	@$(UV) run --frozen ruff check --fix .
	@$(UV) run --frozen ruff format .

# Rebuilds static/css and static/js from GOV.UK Frontend (needs Node.js); the output is committed.
frontend:
	@./frontend/build.sh

# Performance benchmarks (gunicorn + PostgreSQL + a load tool); figures go in the README.
bench: install
	@./bench/run.sh

# The report importer run dry over a folder of Ofsted PDFs: counts by outcome, implausible results.
archive-check: install
	@./scripts/archive-check.sh "$(ARCHIVE)"

# 50 simulated users for 60 s, then a PostgreSQL restart mid-run.
loadtest: install
	@./scripts/loadtest.sh

clean:
	rm -rf .venv staticfiles db.sqlite3 .pytest_cache
