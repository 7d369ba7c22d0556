# Two commands on a fresh machine: `make run` and `make test` (README).
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

.PHONY: install run test test-sqlite test-postgres bench clean

$(STAMP): requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Development server on the embedded SQLite database, with demo data and the mail worker.
run: install
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	if [ "$${DEBUG:-1}" != "1" ]; then $(PY) manage.py collectstatic --noinput -v0; fi
	DEBUG=$${DEBUG:-1} PORT=$(PORT) bin/serve

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set.
test: install
	bin/run-tests

# Every benchmark (bench/*_bench.py) in one go; each prints its figures, none asserts them.
bench: install
	@set -e; for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf var .pytest_cache
