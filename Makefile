# Two commands: `make run` (portal with demo data on SQLite) and `make test` (the whole suite).
# Everything else here is what those two need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check
PORT ?= 8000

.PHONY: run serve worker test lint security format migrate seed venv dev-venv clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

# axe-core for the browser tests' accessibility checks (tests/e2e/test_accessibility.py), as the lock pins
# it. Test-only: nothing under node_modules/ is served.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev node_modules/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Scheduler runs have a queue and a worker of their own, with the solo pool: a prefork pool's processes
# may not start children, and the scheduler starts a second process for its MaxSAT stage (portal/celery.py).
SCHEDULER_QUEUE = $${CELERY_QUEUE:-portal}-scheduler
SCHEDULER_WORKER = -m celery -A portal worker --pool solo --queues "$(SCHEDULER_QUEUE)" --hostname scheduler@%h

# The development server, and task-queue workers beside it (e-mails and periodic jobs; scheduler runs)
# that stop with it. Their queue is a folder of message files (.queue/): no server to install.
run: seed
	$(PY) -m celery -A portal worker --beat --concurrency 2 --loglevel WARNING & worker=$$!; \
	$(PY) $(SCHEDULER_WORKER) --loglevel WARNING & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode: DEBUG off, settings from the environment (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
# REDIS_URL, ...), static files collected for whitenoise, then the task-queue worker (TASK_WORKERS
# processes; with the periodic jobs' scheduler when BEAT=1, on one host of a deployment only) beside
# gunicorn with 2 x cores + 1 web workers; beside them the scheduler's worker (one run at a time, each
# on two cores). `make worker` runs the two workers alone, for hosts that only do tasks.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
TASK_WORKERS ?= $(shell nproc)
BEAT ?= 1
CELERY_WORKER = $(VENV)/bin/celery -A portal worker --concurrency $(TASK_WORKERS) --loglevel INFO
serve: venv
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(CELERY_WORKER) $(if $(filter 1,$(BEAT)),--beat) & worker=$$!; \
	DEBUG=0 $(PY) $(SCHEDULER_WORKER) --loglevel INFO & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	DEBUG=0 $(VENV)/bin/gunicorn portal.wsgi --bind 0.0.0.0:$(PORT) --workers $(WORKERS) --access-logfile -

worker: venv
	DEBUG=0 $(PY) $(SCHEDULER_WORKER) --loglevel INFO & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	DEBUG=0 $(CELERY_WORKER) $(if $(filter 1,$(BEAT)),--beat)

# pytest-xdist spreads the suite over the cores; DATABASE_URL picks PostgreSQL.
test: dev-venv
	$(PY) -m pytest -n auto --dist loadgroup

lint: dev-venv security
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# bandit on the project's code: any medium or high finding fails (low ones, such as seeded random
# numbers for demo data and benchmarks, are reported by a plain `bandit -r`).
security: dev-venv
	$(VENV)/bin/bandit -q -r portal matching bench manage.py -x '*/migrations/*' --severity-level medium

format: dev-venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .queue .mail
