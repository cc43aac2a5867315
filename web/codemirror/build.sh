#!/usr/bin/env bash
# Bundles entry.js (CodeMirror 6 and the few extensions the code pane uses) into one minified
# script, build/codemirror.js, that index.html loads before the wasm. trunk runs this as a
# pre_build hook; it does nothing when the bundle is newer than its sources.
set -euo pipefail
cd "$(dirname "$0")"
out=build/codemirror.js
if [ -f "$out" ] && [ "$out" -nt entry.js ] && [ "$out" -nt package-lock.json ] && [ "$out" -nt build.sh ]; then
  exit 0
fi
if [ ! -x node_modules/.bin/esbuild ]; then
  echo "web/codemirror: node packages missing; run scripts/setup.sh (npm ci)" >&2
  exit 1
fi
mkdir -p build
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2020 --legal-comments=none \
  --banner:js="/* CodeMirror 6, @lezer, style-mod, w3c-keyname, crelt: MIT licensed, (c) Marijn Haverbeke and others. See web/codemirror/package.json for versions. */" \
  --outfile="$out.tmp" --log-level=warning
mv "$out.tmp" "$out"
