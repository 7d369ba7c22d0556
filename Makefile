# Two commands on a fresh machine: `make run` and `make test` (README).
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes
RUN_STAMP := $(VENV)/.installed-run-$(shell sha1sum requirements.lock | cut -c1-12)
TEST_STAMP := $(VENV)/.installed-test-$(shell sha1sum requirements-test.lock | cut -c1-12)
LOCK_VENV := var/lock-venv
COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

.PHONY: install install-test lock run test bench clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# Production dependencies (requirements.lock), for `make run`.
$(RUN_STAMP): requirements.lock | $(VENV)/bin/python
	$(PIP) -r requirements.lock
	rm -f $(VENV)/.installed-run-* && touch $(RUN_STAMP)

# Production and test dependencies (requirements-test.lock, a superset), for `make test`.
$(TEST_STAMP): requirements-test.lock | $(VENV)/bin/python
	$(PIP) -r requirements-test.lock
	rm -f $(VENV)/.installed-test-* && touch $(TEST_STAMP)

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

# Re-pin everything, with hashes, after a change of requirements.in or requirements-test.in.
# The test lock is constrained by the production one: both pin the same versions.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || (python3 -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2)
	$(COMPILE) --output-file=requirements.lock requirements.in
	$(COMPILE) --output-file=requirements-test.lock requirements-test.in

# Development server on the embedded SQLite database, with demo data and the mail worker.
run: install
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	if [ "$${DEBUG:-1}" != "1" ]; then $(PY) manage.py collectstatic --noinput -v0; fi
	DEBUG=$${DEBUG:-1} PORT=$(PORT) bin/serve

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set, with the
# branch coverage of both passes (README "Tests").
test: install-test
	bin/run-tests

bench: install-test
	$(PY) bench/login_bench.py

clean:
	rm -rf var .pytest_cache
