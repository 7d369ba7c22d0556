# Two commands on a fresh machine: `make run` and `make test` (README).
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

.PHONY: install syslibs run test test-sqlite test-postgres bench clean screenshots

$(STAMP): requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# The recap PDF (WeasyPrint) lays out text with Pango and subsets fonts with HarfBuzz, Debian
# libraries: a fresh machine (root, apt) gets them here, only when they are missing.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
syslibs:
	@for lib in $(PDF_LIBS); do /sbin/ldconfig -p | grep -q "$$lib" || missing=1; done; \
	if [ -n "$${missing:-}" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	fi

install: syslibs $(STAMP)

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

bench: install
	$(PY) bench/login_bench.py
	$(PY) bench/pdf_bench.py

clean:
	rm -rf var .pytest_cache

# Every J1–J3 page, the help, legal and error pages at 1280 and 375 px, into var/screenshots/.
screenshots: install
	rm -rf var/screenshots && mkdir -p var/screenshots
	$(VENV)/bin/pytest tests/browser/screenshots.py -q -p no:randomly -p no:xdist
	@ls var/screenshots | wc -l | xargs echo "captures dans var/screenshots :"
