# ChainLead: `make demo` runs the app on the embedded store; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NEO4J_PORT ?= 7699
# Test workers: two, one per core (three took 10:50 against 8:56: the tests are mostly compute).
WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 5000
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk poppler-utils

.PHONY: install demo test test-fast bench fuzz neo4j-start neo4j-stop system-packages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The app on the embedded store with the seed data and a synthetic demo history; prints URL and logins.
demo: install
	$(BIN)/chainlead init
	$(BIN)/chainlead demo
	$(BIN)/chainlead serve --demo --host $(HOST) --port $(PORT)

# Debian packages the browser tests and report rendering need (installed once, as root).
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "please install:$$missing (apt-get, as root)"; exit 1; fi; \
	  echo "installing Debian packages:$$missing"; \
	  apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; \
	fi

neo4j-start:
	@tools/neo4j/start.sh $(NEO4J_PORT)

neo4j-stop:
	@tools/neo4j/stop.sh $(NEO4J_PORT)

# Type-checks, then runs every test on two workers (all Neo4j tests on one of them) against a
# throwaway Neo4j started from Maven Central while mypy runs; CI=true turns any skip of a
# Neo4j or browser test into a failure (tests/conftest.py).
URI_FILE := tools/neo4j/run/test-uri
test: install system-packages
	@set -o pipefail; uri=""; pid=""; mkdir -p tools/neo4j/run; \
	if command -v java >/dev/null && command -v mvn >/dev/null; then \
	  tools/neo4j/start.sh $(NEO4J_PORT) --fresh > $(URI_FILE) & pid=$$!; \
	else echo "no Java/Maven: Neo4j tests will be skipped (CI fails on that)"; fi; \
	$(BIN)/python -m mypy; typed=$$?; \
	if [ -n "$$pid" ]; then wait $$pid || { echo "Neo4j did not start"; exit 1; }; uri=$$(cat $(URI_FILE)); fi; \
	CHAINLEAD_TEST_NEO4J_URI=$$uri $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadgroup $(PYTEST_ARGS); rc=$$?; \
	[ -n "$$uri" ] && tools/neo4j/stop.sh $(NEO4J_PORT) >/dev/null; \
	[ $$typed = 0 ] || { echo "mypy found type errors"; exit 1; }; exit $$rc

# The schemathesis fuzz of every API operation with a large budget (the regular suite runs 6 examples each).
FUZZ_EXAMPLES ?= 100
fuzz: install
	CHAINLEAD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/api/test_fuzz.py $(PYTEST_ARGS)

bench: install
	@uri=$$(tools/neo4j/start.sh $(NEO4J_PORT) --fresh) && \
	CHAINLEAD_TEST_NEO4J_URI=$$uri $(BIN)/python -m bench.store_bench; rc=$$?; \
	tools/neo4j/stop.sh $(NEO4J_PORT) >/dev/null; exit $$rc

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
