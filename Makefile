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

.PHONY: install install-test syslibs lock run test bench bench-http clean screenshots cluster

# A new venv gets a known pip first: the machine's pip 23.2 refuses `coverage[toml]` (an extra
# named by pytest-cov) under --require-hashes, which later pips accept.
PIP_VERSION := 25.3
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)

# Production dependencies (requirements.lock), for `make run`.
$(RUN_STAMP): requirements.lock | $(VENV)/bin/python
	$(PIP) -r requirements.lock
	rm -f $(VENV)/.installed-run-* && touch $(RUN_STAMP)

# Production and test dependencies (requirements-test.lock, a superset), for `make test`.
$(TEST_STAMP): requirements-test.lock | $(VENV)/bin/python
	$(PIP) -r requirements-test.lock
	rm -f $(VENV)/.installed-test-* && touch $(TEST_STAMP)

# The recap PDF (WeasyPrint) lays out text with Pango and subsets fonts with HarfBuzz, Debian
# libraries: a fresh machine (root, apt) gets them here, only when they are missing.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
syslibs:
	@for lib in $(PDF_LIBS); do /sbin/ldconfig -p | grep -q "$$lib" || missing=1; done; \
	if [ -n "$${missing:-}" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	fi

install: syslibs $(RUN_STAMP)

install-test: syslibs $(TEST_STAMP)

# Re-pin everything, with hashes, after a change of requirements.in or requirements-test.in.
# The test lock is constrained by the production one: both pin the same versions.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || (python3 -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2)
	$(COMPILE) --output-file=requirements.lock requirements.in
	$(COMPILE) --output-file=requirements-test.lock requirements-test.in

# Development server on the embedded SQLite database, with demo data, the mail and letters workers.
run: install
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	if [ "$${DEBUG:-1}" != "1" ]; then $(PY) manage.py collectstatic --noinput -v0; fi
	DEBUG=$${DEBUG:-1} PORT=$(PORT) bin/serve

# README's many-node layout on one machine (deploy/cluster.py): NODES (2) gunicorn nodes behind
# Debian's nginx (https://localhost:8443/), on PostgreSQL (DATABASE_URL) and Redis (REDIS_URL),
# one mail worker, one letters worker and the periodic jobs; Ctrl-C stops everything.
cluster: install-test
	$(PY) deploy/cluster.py

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set, with the
# branch coverage of both passes (README "Tests").
test: install-test
	bin/run-tests

# Every benchmark (bench/*_bench.py) in one go; each prints its figures, none asserts them.
bench: install-test
	@set -e; for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script; done

# The HTTP load bench alone (README "Benchmarks"): the real gunicorn pinned to core 0, the load
# client to core 1; BENCH_STACK=services for PostgreSQL + Redis (it empties them).
bench-http: install-test
	$(PY) bench/http_bench.py

clean:
	rm -rf var .pytest_cache

# Every J1–J3 page, the help, legal and error pages, J4–J8 pages, the login lock and J8 outside,
# at 1280 and 375 px, into var/screenshots/.
screenshots: install-test
	rm -rf var/screenshots && mkdir -p var/screenshots
	$(VENV)/bin/pytest tests/browser/screenshots.py -q -p no:randomly -p no:xdist
	@ls var/screenshots | wc -l | xargs echo "captures dans var/screenshots :"
