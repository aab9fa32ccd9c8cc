#!/usr/bin/env bash
# Builds the two release wasm modules (wasm-pack, then wasm-opt from the npm package binaryen:
# Debian's wasm-opt 108 silently breaks wasm-bindgen's output): the key module
# (bindings/keys -> pkg/keys/) and the cloud module (bindings/cloud -> pkg/cloud/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
for module in keys cloud; do
  wasm-pack --quiet build --release --target web --out-dir "$PWD/pkg/$module" --no-pack "bindings/$module"
done
