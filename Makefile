# make run: the app at http://127.0.0.1:8501 on the local store · make test: the whole suite (SQLite and PostgreSQL)
.PHONY: run test lint demo chromium poppler clean-venv

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
# Written once the local store has been initialised with the demo program (first `make run`).
STORE_STAMP := $(VENV)/.store-initialised
HOST ?= 127.0.0.1
PORT ?= 8501
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k overview -x"
PYTEST_ARGS ?=

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the requirements changed since the last install.
$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(RUN_STAMP)

$(STORE_STAMP): | $(RUN_STAMP)
	$(PY) -m cqic_budget init --demo
	touch $@

run: $(RUN_STAMP) $(STORE_STAMP)
	$(PY) -m cqic_budget init
	$(PY) -m streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT) --server.headless true

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
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

clean-venv:
	rm -rf $(VENV)
