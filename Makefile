# One-command loop. `make demo` and `make test` are the two set-up commands in README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo serve test lint fix bench browser clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)  ## create, seed and serve the demo business on http://127.0.0.1:8000
	$(VENV)/bin/rapport demo

serve: $(STAMP)
	$(VENV)/bin/rapport serve

browser:  ## Debian's Chromium for the Playwright tests (no browser download)
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser  ## what CI runs: lint, checks, the suite on SQLite and on PostgreSQL when reachable
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fix: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)  ## writes docs/benchmarks.md
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) var
