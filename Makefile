# The two commands: `make run` and `make test`. Everything else is what they need.
PORT ?= 8000
# SIMULATE=0 runs without the broker simulator.
SIMULATE ?= 1
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export NO_PROXY := 127.0.0.1,localhost
FAKE_TWILIO_PORT ?= 8030
# For the demo only (not the tests, which choose their own): links in the API, feeds and snapshot
# follow the port unless SITE_URL is set, and texts go through the real twilio library to the
# project's fake Twilio unless TWILIO_* say otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export FAKE_TWILIO_PORT := $(FAKE_TWILIO_PORT)
run: export TWILIO_ACCOUNT_SID ?= AC00000000000000000000000000000000
run: export TWILIO_AUTH_TOKEN ?= demo-auth-token-not-a-secret
run: export TWILIO_MESSAGING_SERVICE_SID ?= MG00000000000000000000000000000000
run: export TWILIO_API_BASE_URL ?= http://127.0.0.1:$(FAKE_TWILIO_PORT)

.PHONY: run test setup lint messages bench clean lock audit production-check

## Set up (first time only), load the demo and run web + the Celery worker pools + Celery beat on http://127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo "EPS Status: http://127.0.0.1:$(PORT)/   (texts: http://127.0.0.1:$(PORT)/dev/outbox/)  Ctrl-C stops everything."
	@echo "Ops console: http://127.0.0.1:$(PORT)/console/  as ops-publisher / eps-status-demo, code: $(PY) manage.py totp_code ops-publisher"
	WEB_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile -p $(PORT) $(if $(filter 0,$(SIMULATE)),web detection sends outbound snapshots beat twilio,)

## Run every test (PostgreSQL and Redis on 127.0.0.1 are used when running; Chromium for browser tests)
test: setup
	$(VENV)/bin/pytest

setup: $(VENV)/.installed node_modules/.installed

# Every package is checked against the hash pinned in requirements*.txt (pip itself included).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## ruff (lint and format), the import contract (layers, no cycles, a pure core) and mypy on the pure core
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

## After changing any English: gather it into locale/cy/LC_MESSAGES/django.po (the one source of the Welsh), then compile
messages: setup
	$(PY) manage.py makemessages -l cy --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests --ignore=var --ignore=locale
	$(PY) manage.py compilemessages -l cy --ignore=.venv --ignore=node_modules

## After changing a pin in requirements*.in: compile requirements*.txt with every file's hash
lock: setup
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links --strip-extras --no-header requirements.in -o requirements.txt
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links --strip-extras --no-header requirements-dev.in -o requirements-dev.txt

## Known vulnerabilities in what we pin (asks PyPI's advisory database)
audit: setup
	$(VENV)/bin/pip-audit --strict --require-hashes -r requirements.txt
	$(VENV)/bin/pip-audit --strict --require-hashes -r requirements-dev.txt

## The production layout on this machine (nginx, gunicorn, every pool, beat, PostgreSQL, Redis, DEBUG off), checked end to end
production-check: setup
	$(PY) -m deploy.production.check

bench: setup
	bench/run

clean:
	rm -rf var
