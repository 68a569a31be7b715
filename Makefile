# The two commands of the README: `make run` and `make test`. Both do all their own set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
export QC_REDIS_PORT ?= 6391
# make run HOST=... PORT=...: where the site listens, and (unless SITE_URL is set) the address
# every email links to. make test PYTEST_ARGS="tests/core -x": part of the suite.
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help run test setup venv assets services lock lint migrate seed bench benchmark bench-sending clean

help:
	@echo "make run    start the site with demo data on http://127.0.0.1:8000 (HOST=, PORT= to change)"
	@echo "make test   run every check and the whole test suite, then stop what it started"
	@echo "make bench  benchmarks: the directory at 100,000 users, Q Exchange pages, then newsletter sending (README)"
	@echo "make bench-sending  only the sending run: 100,000 messages vs a plain smtplib loop"
	@echo "make lock   re-pin Python dependencies into requirements.lock"

$(VENV)/.installed: requirements.lock
	@PYBIN=$$(scripts/find-python.sh) && \
	  { uv --version >/dev/null 2>&1 || "$$PYBIN" -m uv --version >/dev/null 2>&1 || \
	    "$$PYBIN" -m pip install --quiet --user uv || "$$PYBIN" -m pip install --quiet uv; } && \
	  UV=$$(uv --version >/dev/null 2>&1 && echo uv || echo "$$PYBIN -m uv") && \
	  { [ -x $(PY) ] || $$UV venv --quiet --python "$$PYBIN" $(VENV); } && \
	  $$UV pip sync --quiet --python $(PY) --require-hashes requirements.lock
	@touch $@

venv: $(VENV)/.installed

assets:
	@scripts/build-assets.sh

setup: venv assets

lock:
	@PYBIN=$$(scripts/find-python.sh) && UV=$$(uv --version >/dev/null 2>&1 && echo uv || echo "$$PYBIN -m uv") && \
	  $$UV pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.12 \
	    --custom-compile-command "make lock" --quiet -o requirements.lock

# The port is checked before the slow set-up, so a busy one is reported at once.
run:
	@scripts/check-port.sh "$(HOST)" "$(PORT)"
	@$(MAKE) --no-print-directory setup
	@HOST="$(HOST)" PORT="$(PORT)" scripts/run.sh

test: setup
	@scripts/test.sh $(PYTEST_ARGS)

lint: venv
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	@scripts/benchmark.sh
	@scripts/bench-sending.sh

benchmark: bench

bench-sending: venv
	@scripts/bench-sending.sh

clean:
	@scripts/services.sh clean || true
	rm -rf .run static/vendor
