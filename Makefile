# Commands that set up everything on a fresh machine (Python 3.11, Node.js and npm):
#   make site    build the site from papers/ into site/
#   make check   the fast tier (under a minute on two cores): validate, unit tests, lint, types; no browser, no network
#   make test    everything: `make check` first, then the site builds, the live preview and Chromium
# Both create .venv and install the pinned dependencies (requirements.txt, package-lock.json) when needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PY_OK  := $(VENV)/.installed
JS_OK  := node_modules/.installed

.PHONY: site check test slow serve bench validate clean deps lint types check-validate check-unit-1 check-unit-2

# The unit tests are split in two interleaved shares (tests/conftest.py --shard) run at once, one a core;
# -O prints each job's output in one piece when it ends.
FAST   := -m "not browser and not slow" -p no:cacheprovider -q

site: deps
	$(PY) -m generator validate
	$(PY) -m generator build

check: deps
	@$(MAKE) --no-print-directory -j2 -O check-validate lint types check-unit-1 check-unit-2

check-validate: $(PY_OK)
	$(PY) -m generator validate --format $(if $(GITHUB_ACTIONS),github,text)

check-unit-1 check-unit-2: check-unit-%: deps
	$(PY) -m pytest $(FAST) --shard $*/2

lint: $(PY_OK)
	$(VENV)/bin/ruff check --no-cache --output-format $(if $(GITHUB_ACTIONS),github,concise) generator tests benchmarks
	$(VENV)/bin/ruff format --no-cache --check generator tests benchmarks

types: $(PY_OK)
	$(VENV)/bin/mypy generator

test: check
	@$(MAKE) --no-print-directory slow

slow: deps
	$(PY) -m pytest -m "browser or slow"

# make serve PORT=8001 (PORT=0: any free port); the preview builds into preview/, site/ stays `make site`'s
PORT ?= 8000
serve: deps
	$(PY) -m generator serve --port $(PORT)

validate: $(PY_OK)
	$(PY) -m generator validate

bench: deps
	$(PY) benchmarks/bench.py

deps: $(PY_OK) $(JS_OK)

$(PY_OK): requirements.txt requirements-cff.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-cff.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(JS_OK): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf build site .site-*
