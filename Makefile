# Sinau — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup translations translations-update clean bench bench-scale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

setup: $(VENV)/.installed translations
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) lms seed-reference
	$(FLASK) lms import-courses
	$(FLASK) lms demo --if-new

run: setup
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Performance (docs/performance.md): seed 10,000 trainees, serve with gunicorn, load with
# wrk (apt-get install wrk; without it a thread client stands in) and locust, on SQLite
# then on a scratch PostgreSQL database; writes the table into docs/performance.md.
bench: setup $(VENV)/.installed-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The same costs at 10,000 and 100,000 trainees (takes ~20 minutes: seeding 100,000).
bench-scale: setup $(VENV)/.installed-dev
	$(BIN)/python -m bench.run --scale $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# For developers: collect new strings into the catalogue, then translate them.
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
