# OCOP — the commands of SPEC §5.1. Everything runs from .venv (created by `make install`).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ocop-installed
# Leaflet (public map) and axe-core (browser tests' accessibility check) from npm, into static/vendor/.
VENDOR_STAMP := static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments for `make test`, e.g. make test ARGS="-k healthz"
ARGS ?=
# Extra arguments for `make bench`, e.g. make bench BENCH_ARGS=--quick
BENCH_ARGS ?=

.PHONY: help install run test test-sqlite test-pg lint format bench clean-test

help:
	@echo "make install   tạo .venv và cài dự án (chạy lại không làm gì nếu đã cài)"
	@echo "make run       khởi tạo CSDL, nạp dữ liệu mẫu và chạy http://$(HOST):$(PORT)/"
	@echo "make test      chạy toàn bộ bộ kiểm thử (SQLite + trình duyệt, rồi PostgreSQL 15)"
	@echo "make lint      ruff, định dạng, makemigrations --check, import-linter, mypy"
	@echo "make bench     đo hiệu năng"

# Bytecode of the project's own modules, kept current on every install: the package is installed in
# editable mode, and with PYTHONDONTWRITEBYTECODE set (as on our machines) every `ocop` command would
# otherwise compile ~400 modules again at start (~60 ms of each `ocop stats`). Only changed files are
# rewritten; a stale file is never used (Python checks the source's mtime).
install: $(STAMP) $(VENDOR_STAMP)
	@$(BIN)/python -m compileall -q -j 0 ocop config
	@$(BIN)/python scripts/compile_messages.py

# Reinstalls only when pyproject.toml or requirements.lock is newer than the stamp.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

$(VENDOR_STAMP): package.json package-lock.json scripts/vendor_static.sh
	bash scripts/vendor_static.sh
	@touch $(VENDOR_STAMP)

run: install
	$(BIN)/ocop init
	$(BIN)/ocop demo_data
	$(BIN)/ocop serve --host $(HOST) --port $(PORT)

test: install
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_postgres.sh
	$(BIN)/python scripts/run_tests.py $(ARGS)

test-sqlite: install
	bash scripts/ensure_chromium.sh
	$(BIN)/python scripts/run_tests.py --only sqlite $(ARGS)

test-pg: install
	bash scripts/ensure_postgres.sh
	$(BIN)/python scripts/run_tests.py --only postgres $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/mypy_check.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	bash scripts/ensure_bench_tools.sh
	bash scripts/ensure_postgres.sh
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean-test:
	rm -rf test-artifacts
