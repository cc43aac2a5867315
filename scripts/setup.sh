#!/usr/bin/env bash
# Installs what `make serve` and `make test` need, from the package registries only
# (apt, rustup, cargo, npm, pip). Idempotent: each step is skipped when its tool is present at the
# pinned version, so a run on a ready machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than ours
WASM_SPLIT_VERSION=0.8.0-alpha.3  # cuts the page's wasm (scripts/wasm-split.mjs; its script format is read)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# 1. Chromium and its driver, from Debian (headless browser for wasm tests and e2e tests).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "installing chromium and chromium-driver (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

# 1b. python3 (the seed's handlers are compared with their Python originals; the export tools
#     venv). The machine image ships one; install Debian's if it is missing.
if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  step "installing python3 and python3-venv (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv
fi

# 2. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target (rustup)"
  rustup target add wasm32-unknown-unknown
fi

# 3. wasm-bindgen-cli, exactly the crate's version. Not --locked: the lockfile pins a
#    webpki-roots release the registry here does not serve.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo, ~8 min on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# 4. trunk.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing trunk $TRUNK_VERSION (cargo, ~16 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# 4b. wasm-split-cli, which cuts the page's wasm at its split points after trunk's wasm-bindgen
#     (scripts/wasm-split.mjs, a trunk post_build hook). It has no --version: cargo's list says.
if ! cargo install --list | grep -qx "wasm-split-cli v$WASM_SPLIT_VERSION:"; then
  step "installing wasm-split-cli $WASM_SPLIT_VERSION (cargo, ~6 min on 2 cores)"
  cargo install wasm-split-cli --version "=$WASM_SPLIT_VERSION" --locked --force
fi

# 5. Node packages for the e2e tests: playwright-core (drives Debian's chromium) and npm's
#    binaryen 132 (the wasm-opt trunk runs; Debian's binaryen 108 breaks the module).
lock=tests/e2e/package-lock.json; installed=tests/e2e/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  step "installing e2e node packages (npm ci)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# 5b. Node packages for the code editor: CodeMirror 6 and esbuild, which bundles them into one
#     script at build time (web/codemirror/build.sh, a trunk pre_build hook).
lock=web/codemirror/package-lock.json; installed=web/codemirror/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  step "installing the code editor's node packages (npm ci)"
  (cd web/codemirror && npm ci --no-audit --no-fund --loglevel=error)
fi

# 6. The export verification tools (tests/export_verify.rs): shellcheck from Debian; the real
#    AWS CLI, moto's server and cfn-lint from PyPI, in a project-local venv that scripts/env.sh
#    puts on PATH. Pinned, so the golden outputs are checked by the same tools everywhere.
if ! command -v shellcheck >/dev/null; then
  step "installing shellcheck (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq shellcheck
fi
EXPORT_VENV=.venv-export
EXPORT_TOOLS=(awscli==1.45.11 "moto[server]==5.2.1" cfn-lint==1.51.0)
if [ ! -x "$EXPORT_VENV/bin/python" ]; then
  step "creating the export tools venv ($EXPORT_VENV)"
  python3 -m venv "$EXPORT_VENV"
fi
if [ "$("$EXPORT_VENV/bin/pip" freeze 2>/dev/null | grep -ciE '^(awscli==1\.45\.11|moto==5\.2\.1|cfn-lint==1\.51\.0)$')" != 3 ] \
   || [ ! -x "$EXPORT_VENV/bin/moto_server" ]; then
  step "installing ${EXPORT_TOOLS[*]} (pip, into $EXPORT_VENV)"
  "$EXPORT_VENV/bin/pip" install --quiet --disable-pip-version-check "${EXPORT_TOOLS[@]}"
fi

# 7. Crates: trunk builds with --offline, so the registry cache must hold every dependency.
cargo fetch --quiet
