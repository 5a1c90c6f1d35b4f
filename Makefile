# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MOFAN := $(BIN)/mofan
MOFAN_PORT ?= 8000
export MOFAN_PORT

.PHONY: run test setup test-postgres test-browser lint bench serve-production clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

run: setup
	MOFAN_DEBUG=1 $(MOFAN) migrate --noinput
	MOFAN_DEBUG=1 $(MOFAN) seed-demo --scale small
	@echo "模范机关建设平台：http://127.0.0.1:$(MOFAN_PORT)  （Ctrl-C 停止）"
	MOFAN_DEBUG=1 $(MOFAN) runserver 127.0.0.1:$(MOFAN_PORT)

test: setup
	$(BIN)/pytest -q

# Fixed test-only secrets: with DATABASE_URL set, settings insist on real ones.
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdefghij \
	MOFAN_FIELD_KEY=00112233445566778899aabbccddeeff \
	MOFAN_HASH_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \
	MOFAN_AUDIT_KEY=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 \
	$(BIN)/pytest -q

test-browser: setup
	$(BIN)/pytest -q -m browser -p no:randomly

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/docparse.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/delivery.py

clean:
	rm -rf $(VENV) node_modules var
