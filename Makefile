# OneWindow: `make run` serves the product on SQLite with the process library
# deployed and demo users seeded; `make test` runs the whole test suite.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: run test install init bench validate clean

# Python packages into the virtualenv; front-end packages from npm (pinned in
# package-lock.json), copied into web/static/vendor/ (DESIGN.md decision 11).
$(STAMP): setup.cfg pyproject.toml constraints.txt package.json package-lock.json web/vendor.py $(wildcard web/studio_src/*.js)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	npm ci --no-audit --no-fund
	$(BIN)/python web/vendor.py
	@touch $(STAMP)

install: $(STAMP)

init: install
	$(BIN)/onewindow init

run: init
	$(BIN)/onewindow serve --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

validate: install
	$(BIN)/onewindow validate processes/

bench: install
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules web/static/vendor
