# Two commands set up everything on a fresh machine (Python 3.11, Node.js and npm):
#   make site   build the site from papers/ into site/
#   make test   run the tests
# Both create .venv and install the pinned dependencies (requirements.txt, package-lock.json) when needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PY_OK  := $(VENV)/.installed
JS_OK  := node_modules/.installed

.PHONY: site test serve bench validate clean deps

site: deps
	$(PY) -m generator validate
	$(PY) -m generator build

test: deps
	$(PY) -m pytest

serve: deps
	$(PY) -m generator serve

validate: $(PY_OK)
	$(PY) -m generator validate

bench: deps
	$(PY) benchmarks/bench.py

deps: $(PY_OK) $(JS_OK)

$(PY_OK): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(JS_OK): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf build site .site-*
