# make run: the app at http://127.0.0.1:8501 on the local store · make test: the whole suite (SQLite and PostgreSQL)
.PHONY: run test lint demo chromium poppler clean-venv lock check-lock

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# Written once the local store has been initialised with the demo program (first `make run`).
STORE_STAMP := $(VENV)/.store-initialised
HOST ?= 127.0.0.1
PORT ?= 8501
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k overview -x"
PYTEST_ARGS ?=
# pytest-xdist workers; a test module stays on one worker. Four on the 2-core CI machine: much of the suite
# waits (PostgreSQL, the browser, subprocesses) rather than computes — 425 s of pytest against 517 s with two
# (fresh clone, quiet machine, 2026-12-02). PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= 4

# uv installs the locked dependencies (uv.lock) into .venv. When it is not on the PATH, `pip install` puts
# this pinned release under .tools/ (git-ignored) the first time.
UV_VERSION := 0.13.9
TOOLS := .tools
UV ?= $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
# uv reads neither pip.conf nor PIP_*: give it the machine's certificate bundle and, when pip is told to use
# another index than PyPI (a mirror: PIP_INDEX_URL or index-url in a pip.conf), that index.
PIP_CONFS := /etc/pip.conf /etc/xdg/pip/pip.conf $(HOME)/.config/pip/pip.conf $(HOME)/.pip/pip.conf
PIP_INDEX_URL ?= $(lastword $(shell sed -n 's/^[[:space:]]*index-url[[:space:]]*=//p' $(PIP_CONFS) 2>/dev/null))
ifneq ($(strip $(PIP_INDEX_URL)),)
export UV_DEFAULT_INDEX ?= $(PIP_INDEX_URL)
endif
export SSL_CERT_FILE ?= $(or $(PIP_CERT),$(wildcard /etc/ssl/certs/ca-certificates.crt))
export UV_PYTHON ?= $(PYTHON)
SYNC := $(UV) sync --frozen --inexact

$(TOOLS)/bin/uv:
	$(PYTHON) -m pip install --target $(TOOLS) --no-warn-script-location uv==$(UV_VERSION)

# Reinstall only when the lock changed since the last install (--frozen: exactly the locked versions).
$(RUN_STAMP): uv.lock | $(UV)
	$(SYNC) --no-dev
	touch $@

# --compile-bytecode: the test run starts ~50 Python processes (pytest-xdist workers, the command-line tests'
# `python -m cqic_budget`); without .pyc files in the venv (uv writes none by default, and none get written
# under PYTHONDONTWRITEBYTECODE) each one compiles pandas, SQLAlchemy and Streamlit from source again:
# about 4.5 s of CPU per process on the 2-core machine.
$(DEV_STAMP): uv.lock | $(UV)
	$(SYNC) --compile-bytecode
	touch $@ $(RUN_STAMP)

# After a change of dependencies in pyproject.toml: lock them, and write requirements*.txt from the lock.
lock: | $(UV)
	$(UV) lock
	$(UV) export --frozen --no-dev --no-hashes --no-emit-project --quiet > requirements.txt
	$(UV) export --frozen --all-groups --no-hashes --no-emit-project --quiet > requirements-dev.txt

# Fails when uv.lock is behind pyproject.toml or requirements*.txt behind uv.lock.
check-lock: | $(UV)
	$(UV) lock --check
	$(UV) export --frozen --no-dev --no-hashes --no-emit-project --quiet | diff -u requirements.txt -
	$(UV) export --frozen --all-groups --no-hashes --no-emit-project --quiet | diff -u requirements-dev.txt -

# The schema to the latest migration; the first time, the demo program too (one `init` either way).
run: $(RUN_STAMP)
	$(PY) -m cqic_budget init $(if $(wildcard $(STORE_STAMP)),,--demo)
	touch $(STORE_STAMP)
	$(PY) serve.py --server.address $(HOST) --server.port $(PORT) --server.headless true

# Load the demo program into the store named by CQIC_DATABASE_URL (idempotent).
demo: $(RUN_STAMP)
	$(PY) -m cqic_budget init --demo

# The browser test drives Debian's chromium; install it when absent (needs root; CI runs as root).
chromium:
	@if [ -x /usr/bin/chromium ]; then \
		true; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	elif [ "$$CI" = true ]; then \
		echo "chromium is missing and installing it needs root" >&2; exit 1; \
	else \
		echo "chromium is missing and installing it needs root: the browser test will be skipped"; \
	fi

# The PDF tests read text with pdftotext and render pages with pdftoppm (Debian's poppler-utils).
poppler:
	@if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then \
		true; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils; \
	elif [ "$$CI" = true ]; then \
		echo "poppler-utils is missing and installing it needs root" >&2; exit 1; \
	else \
		echo "poppler-utils is missing and installing it needs root: the PDF tests will be skipped"; \
	fi

test: $(DEV_STAMP) chromium poppler
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

clean-venv:
	rm -rf $(VENV) $(TOOLS)
