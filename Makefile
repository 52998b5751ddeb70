# Factcheck: `make run` serves the demo, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DJANGO_DEBUG ?= 1

.PHONY: run test install install-test migrate demo lint format bench db-stop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_demo_admin

## Install, migrate, load the demo data and serve on http://127.0.0.1:8000/ with a job worker beside it
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Factcheck on http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/); Ctrl-C stops the server and the worker"
	$(BIN)/python scripts/run_dev.py 127.0.0.1:8000

## Install the test requirements and run the whole suite (embedded PostgreSQL unless DATABASE_URL is set)
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks against their floors (docs/PERFORMANCE.md): make bench [CLAIMS=1000000] [BENCH_ARGS="--only api"]
CLAIMS ?= 100000
bench: install
	$(BIN)/python -m bench --claims $(CLAIMS) $(BENCH_ARGS)

db-stop:
	$(BIN)/python -c "import factcheck.dbctl as d; d.stop()"

clean:
	rm -rf staticfiles
