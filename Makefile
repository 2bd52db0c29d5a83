# Crossdock: the two commands.
#   make run    install what is missing, build the app and the server, serve on PORT (8080)
#   make test   every check: fmt, clippy (native + wasm32), docs, native and wasm tests,
#               release build, load bench, browser end-to-end tests, benchmarks, fuzzing,
#               size budget
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One target dir outside the clone: CI's fresh clone on this machine reuses earlier builds;
# a new machine simply starts it empty.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/crossdock/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

PORT ?= 8080
ADDR ?= 127.0.0.1
# The demo partner site (scripts/partner-demo.mjs): another origin embedding Crossdock,
# on the port after PORT (8081).
PARTNER_PORT ?= $(shell echo $$(($(PORT) + 1)))
SERVER := $(CARGO_TARGET_DIR)/release/crossdock-server

.PHONY: help run test tools app server serve e2e bench fuzz budgets clean

help:
	@echo "make run     build and serve Crossdock on http://$(ADDR):$(PORT) (make run PORT=8081 for another port)"
	@echo "            (and a demo partner site embedding it on http://localhost:$(PARTNER_PORT)/, PARTNER_PORT=…)"
	@echo "make test    every check; logs in .test-output/"
	@echo "make e2e     browser tests against a fresh server (after make app server)"
	@echo "make bench   native and in-browser benchmarks, and the load bench (wrk; after make app server)"
	@echo "make fuzz    every fuzz target, 30 s each (FUZZ_SECS=600 make fuzz: 10 min each, by hand)"
	@echo "make budgets app sizes against the first-load budget"

## run: installs (skipped when present), builds (incremental), serves; with the demo
## partner site on PARTNER_PORT (stopped with the server).
run: tools app server
	@node scripts/partner-demo.mjs --crossdock http://$(ADDR):$(PORT) --port $(PARTNER_PORT) --host $(ADDR) & \
	  partner=$$!; trap 'kill $$partner 2>/dev/null || true' EXIT; \
	  $(SERVER) --addr $(ADDR) --port $(PORT)

test:
	@scripts/test.sh

tools:
	@scripts/install-tools.sh

app:
	@scripts/build-app.sh

server:
	@scripts/build-server.sh

## serve: the server only (for `trunk serve`, which proxies /api to it).
serve: server
	@$(SERVER) --addr $(ADDR) --port $(PORT)

e2e:
	@scripts/with-server.sh bash -c 'node --test --test-reporter=spec tests/e2e/*.test.mjs'

bench:
	@scripts/bench.sh
	@scripts/with-server.sh node scripts/browser-bench.mjs
	@scripts/load-bench.sh

## fuzz: longer runs by hand grow fuzz/corpus/ (commit what is worth keeping); a crash's
## input lands in fuzz/regressions/ (scripts/fuzz.sh).
fuzz:
	@scripts/fuzz.sh

budgets:
	@scripts/budgets.sh

clean:
	rm -rf dist .test-output
