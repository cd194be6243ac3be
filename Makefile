# Two commands: `make run` (set up everything, load demo data, serve) and `make test`.
# Django 6.1 needs Python >= 3.12; take the first one found (PATH first, then pyenv installs).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && command -v $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test e2e install lint format migrate demo messages check clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found; install it (see README)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed .env

# Keys for field encryption and ID hashing are generated once per checkout and never committed.
.env: | $(VENV)/.installed
	$(BIN)/python -m config.keys > .env
	@echo "wrote .env with fresh keys (keep it; losing it makes encrypted fields unreadable)"

# The English catalogue is committed as .po; the .mo is built here (needs GNU gettext's msgfmt).
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Reference data (organisation tree, programs, indicator templates) from fixtures/: only what is missing is created.
migrate: install messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_reference_data

demo: migrate
	$(BIN)/python manage.py load_demo

# The background worker (large uploads) runs beside the development server and stops with it.
run: demo
	$(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# As in production: gunicorn, whitenoise-served static files, the background worker, DEBUG off, PostgreSQL.
# HTTPS=False because it listens on plain HTTP at 127.0.0.1 (behind TLS in production: leave HTTPS unset).
# SERVE_DEMO=1 loads the demo accounts and data (never on a real server).
# SERVE_APP_ROLE=unionfunds_app: migrations run as the owner in SERVE_DATABASE_URL, then the web and the worker
# connect as that role (created or refreshed by `manage.py create_app_role`: no TRUNCATE, no DELETE on the ledgers).
# The worker is restarted if it dies (in production: systemd, deploy/systemd/).
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unionfunds
SERVE_PORT ?= 8001
SERVE_WORKERS ?= 3
SERVE_APP_ROLE ?=
serve: install messages
	export DEBUG=False HTTPS=$${HTTPS:-False} DATABASE_URL=$(SERVE_DATABASE_URL) \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}; \
	db=$${DATABASE_URL##*/}; \
	psql "$${DATABASE_URL%/*}/postgres" -tAc "select 1 from pg_database where datname='$$db'" | grep -q 1 \
		|| psql "$${DATABASE_URL%/*}/postgres" -c "create database $$db"; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py setup_reference_data && \
	$(BIN)/python manage.py collectstatic --no-input -v 0 && \
	{ [ "$(SERVE_DEMO)" != 1 ] || $(BIN)/python manage.py load_demo --allow-production; } && \
	if [ -n "$(SERVE_APP_ROLE)" ]; then \
	  $(BIN)/python manage.py create_app_role --role "$(SERVE_APP_ROLE)" && \
	  export DATABASE_URL=$$(printf '%s' "$$DATABASE_URL" | sed -E 's#^(postgres(ql)?://)[^@/]*@#\1$(SERVE_APP_ROLE)@#'); \
	fi && \
	{ ( while true; do $(BIN)/python manage.py db_worker --interval 1; \
	      echo "db_worker exited ($$?); restarting in 2 s" >&2; sleep 2; done ) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; pkill -P $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(SERVE_PORT) --workers $(SERVE_WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1; }

# The three user journeys in headless Chromium (Debian's chromium) against the production-like server above,
# on a scratch PostgreSQL database; screenshots go to artifacts/screenshots/.
e2e: install messages
	$(BIN)/python -m pytest tests/e2e -p no:django --confcutdir=tests/e2e -o addopts="-ra" \
		-W ignore::pytest.PytestConfigWarning $(E2E_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
