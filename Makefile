# ChainLead: `make demo` runs the app on the embedded store; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NEO4J_PORT ?= 7699
HOST ?= 127.0.0.1
PORT ?= 5000
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk poppler-utils

.PHONY: install demo test test-fast bench neo4j-start neo4j-stop system-packages clean

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

# Starts a throwaway Neo4j when Java and Maven are here (always in CI), runs everything, stops it.
test: install system-packages
	@set -o pipefail; uri=""; \
	if command -v java >/dev/null && command -v mvn >/dev/null; then \
	  uri=$$(tools/neo4j/start.sh $(NEO4J_PORT) --fresh) || exit 1; \
	else echo "no Java/Maven: Neo4j tests will be skipped (CI fails on that)"; fi; \
	CHAINLEAD_TEST_NEO4J_URI=$$uri $(BIN)/python -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	[ -n "$$uri" ] && tools/neo4j/stop.sh $(NEO4J_PORT) >/dev/null; exit $$rc

bench: install
	@uri=$$(tools/neo4j/start.sh $(NEO4J_PORT) --fresh) && \
	CHAINLEAD_TEST_NEO4J_URI=$$uri $(BIN)/python -m bench.store_bench; rc=$$?; \
	tools/neo4j/stop.sh $(NEO4J_PORT) >/dev/null; exit $$rc

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
