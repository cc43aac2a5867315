# Sourced by the Makefile's recipes: the PATH and variables every build and test step needs.
# npm's wasm-opt (binaryen 132) must come before any /usr/bin/wasm-opt.
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true        # trunk's update check would call out to the network
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json"
# The export verification tools (aws, moto_server, cfn-lint) live in a project-local venv.
export STATECRAFT_EXPORT_TOOLS="$PWD/.venv-export/bin"
export PATH="$STATECRAFT_EXPORT_TOOLS:$PATH"
