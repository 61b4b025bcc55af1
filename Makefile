# SupportDesk. `make run` for the app on embedded defaults, `make test` for the whole suite
# on real PostgreSQL and Redis (started on free loopback ports, stopped afterwards), then
# tests/embedded again on make run's SQLite.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_ARGS ?=
# The PostgreSQL pass runs on this many pytest-xdist workers (0: one process), a test file per
# worker at a time (--dist loadfile: a module's fixtures are built once). Each worker has its own
# test database and Redis databases (tests/xdist_workers.py: at most 5 workers).
TEST_WORKERS ?= 2
RUN_VENV ?= .venv-run
EMBEDDED_PYTEST_ARGS ?=

.PHONY: run test test-on-day install install-test lock check bench clean

$(PY):
	python3 -m venv $(VENV)

# Python packages come from the lock files (requirements/*.lock: exact versions and hashes,
# `make lock` writes them from pyproject.toml), then the project itself without dependencies.
# A stamp in the virtualenv skips pip while neither the lock nor pyproject.toml changed.
install: $(PY)
	scripts/system-deps.sh run
	$(MAKE) --no-print-directory $(VENV)/.installed-run

install-test: $(PY)
	scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(VENV)/.installed-test

$(VENV)/.installed-%: requirements/%.lock pyproject.toml | $(PY)
	$(PIP) install -q --require-hashes -r requirements/$*.lock
	$(PIP) install -q --no-deps -e .
	touch $@

# Re-resolve the lock files after a change to pyproject.toml's dependencies (pip-tools, a tool
# of this target only). test.lock is held to run.lock's versions, so both install the same app.
PIP_COMPILE := $(VENV)/bin/pip-compile -q --strip-extras --allow-unsafe --generate-hashes \
	--no-emit-index-url --no-emit-find-links
lock: $(PY)
	$(PIP) install -q pip-tools
	$(PIP_COMPILE) -o requirements/run.lock pyproject.toml
	$(PIP_COMPILE) --extra test -c requirements/run.lock -o requirements/test.lock pyproject.toml

run: install
	scripts/run.sh

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy  # the apps, strictly: [tool.mypy] in pyproject.toml
	# The production smoke test (tests/production) runs the app from a virtualenv built the way
	# make run builds one: without the test dependencies, which would hide a missing package.
	$(MAKE) --no-print-directory install VENV=$(RUN_VENV)
	SUPPORTDESK_RUN_PYTHON=$(CURDIR)/$(RUN_VENV)/bin/python \
		$(PY) scripts/testenv.py -- $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)
	# Then make run's embedded default: tests/embedded on a SQLite file, no PostgreSQL or Redis.
	$(PY) scripts/embeddedenv.py -- $(PY) -m pytest tests/embedded $(EMBEDDED_PYTEST_ARGS)

# The whole suite with the machine's clock on another day, as `make test` would run it on that
# date: `make test-on-day DAY=2026-12-03` (at 15:00 UTC). Every Python process of the run
# starts on that date (scripts/machine-date/sitecustomize.py); the tests pin their own clock.
DAY ?= 2026-12-03
test-on-day:
	PYTHONPATH=$(CURDIR)/scripts/machine-date SUPPORTDESK_MACHINE_DATE="$(DAY)T10:00:00-05:00" \
		$(MAKE) --no-print-directory test

check: $(PY)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Every bench/*.py, each on its own throwaway PostgreSQL and Redis, then one table of figures.
bench: install-test
	$(PY) scripts/bench_table.py

clean:
	rm -rf var/ staticfiles/ build/ *.egg-info
