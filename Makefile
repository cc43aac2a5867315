# The README's two commands: `make serve` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := source scripts/env.sh

.PHONY: setup serve test test-native test-wasm test-e2e conformance build

setup:
	@scripts/setup.sh

## Serve the app, with the seed's order workflow loaded, on http://127.0.0.1:8080
serve: setup
	@$(ENV); trunk serve --release

## Run every test layer: native, wasm in headless Chromium, end-to-end in headless Chromium.
test: setup
	@$(MAKE) -k --no-print-directory test-native test-wasm test-e2e

test-native:
	@$(ENV); cargo test --all-targets
	@# The pass rates (JSONata suite, AWS-recorded cases and TestState calls) again, uncaptured, so they are in the output.
	@$(ENV); cargo test -q --test jsonata_suite --test conformance --test conformance_jsonata --test teststate --test workflows -- --nocapture

test-wasm:
	@$(ENV); cargo test --target wasm32-unknown-unknown --test web

build:
	@$(ENV); trunk build --release

test-e2e: build
	@$(ENV); cd tests/e2e && node --test --test-concurrency=1 .
