#!/usr/bin/env bash
# Builds the release wasm package into pkg/ (wasm-pack, then wasm-opt from the npm package
# binaryen: Debian's wasm-opt 108 silently breaks wasm-bindgen's output).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
wasm-pack --quiet build --release --target web --out-dir pkg --no-pack
