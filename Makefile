# SupportDesk. `make run` for the app on embedded defaults, `make test` for the whole suite
# on real PostgreSQL and Redis (started on free loopback ports, stopped afterwards), then
# tests/embedded again on make run's SQLite.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_ARGS ?=
EMBEDDED_PYTEST_ARGS ?=

.PHONY: run test install install-test check bench clean

$(PY):
	python3 -m venv $(VENV)

install: $(PY)
	scripts/system-deps.sh run
	$(PIP) install -q -e .

install-test: $(PY)
	scripts/system-deps.sh test
	$(PIP) install -q -e '.[test]'

run: install
	scripts/run.sh

test: install-test
	$(VENV)/bin/ruff check .
	$(PY) scripts/testenv.py -- $(PY) -m pytest $(PYTEST_ARGS)
	# Then make run's embedded default: tests/embedded on a SQLite file, no PostgreSQL or Redis.
	$(PY) scripts/embeddedenv.py -- $(PY) -m pytest tests/embedded $(EMBEDDED_PYTEST_ARGS)

check: $(PY)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Every bench/*.py, each on its own throwaway PostgreSQL and Redis, then one table of figures.
bench: install-test
	$(PY) scripts/bench_table.py

clean:
	rm -rf var/ staticfiles/ build/ *.egg-info
