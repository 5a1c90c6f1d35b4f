# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MOFAN := $(BIN)/mofan
MOFAN_PORT ?= 8000
export MOFAN_PORT

.PHONY: run test setup test-postgres test-browser lint bench serve-production clean lock wheelhouse docparse-model

# Every Python package at the version and with the hashes of requirements.lock (make lock).
$(BIN)/.installed: pyproject.toml requirements.lock
	@echo "==> 正在创建 Python 虚拟环境（$(VENV)）并安装依赖，首次约需数分钟……"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> 正在安装前端依赖（Tabler、htmx、ECharts、Tom Select，由本系统自行提供，不连外网 CDN）……"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The charts' parts of ECharts (mofan/core/assets/echarts*.js), bundled from the npm package by
# esbuild: one bundle for the heat map, one for the dashboard's trends.
build/echarts.mofan.min.js build/echarts.trends.min.js &: node_modules/.installed mofan/core/assets/echarts.js mofan/core/assets/echarts-trends.js
	npm run --silent build

setup: $(BIN)/.installed node_modules/.installed build/echarts.mofan.min.js build/echarts.trends.min.js

run: setup
	@echo "==> 正在创建或更新数据库（SQLite，位于 $${MOFAN_VAR_DIR:-var}/）……"
	$(MOFAN) migrate --noinput
	@echo "==> 正在生成演示数据（已有则跳过）……"
	$(MOFAN) seed-demo --scale small
	@echo "模范机关建设平台：http://127.0.0.1:$(MOFAN_PORT)  （Ctrl-C 停止）"
	$(MOFAN) runserver 127.0.0.1:$(MOFAN_PORT)

# The suite in one process per core (pytest-xdist), a module's tests in one process so that its
# costly fixtures (the corpus's cross-validation) are built once.
PYTEST_PARALLEL := -n auto --dist loadscope

test: setup
	$(BIN)/pytest -q $(PYTEST_PARALLEL)

# Fixed test-only secrets: with DATABASE_URL set, settings insist on real ones.
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdefghij \
	MOFAN_FIELD_KEY=00112233445566778899aabbccddeeff \
	MOFAN_HASH_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \
	MOFAN_AUDIT_KEY=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 \
	$(BIN)/pytest -q $(PYTEST_PARALLEL)

test-browser: setup
	$(BIN)/pytest -q -m browser -p no:randomly

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/docparse.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/delivery.py
	$(BIN)/python bench/cpu.py
	$(BIN)/python bench/browser.py

# Train the decomposition's sentence and unit models again from the labelled corpus (after labels
# changed or documents were added; a test fails until this is run): mofan/docparse/model/*.npz.
docparse-model: setup
	$(BIN)/python -m mofan.docparse.learning train

# Re-pin every Python dependency (and its hashes) after pyproject.toml changed.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	rm -rf .venv-lock

# What an air-gapped server needs to install without a network: see README "Offline install".
wheelhouse: setup
	rm -rf offline && mkdir -p offline/wheels
	$(BIN)/pip download --quiet --require-hashes --no-deps -r requirements.lock -d offline/wheels
	$(BIN)/pip download --quiet -d offline/wheels setuptools wheel
	npm ci --no-audit --no-fund --loglevel=error --cache offline/npm-cache
	tar -czf offline/mofan-offline.tar.gz --exclude=offline/mofan-offline.tar.gz \
		--exclude=.venv --exclude=node_modules --exclude=build --exclude=var --exclude=.git .
	@echo "offline/mofan-offline.tar.gz：离线安装包（源码、Python 轮子、npm 缓存）"

clean:
	rm -rf $(VENV) node_modules build var offline
