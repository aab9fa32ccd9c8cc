#!/usr/bin/env bash
# Builds the three release wasm modules (wasm-pack, then wasm-opt from the npm package binaryen:
# Debian's wasm-opt 108 silently breaks wasm-bindgen's output): the key module
# (bindings/keys -> pkg/keys/), the cloud module (bindings/cloud -> pkg/cloud/) and the export
# module (bindings/export -> pkg/export/, fetched only when the user exports). Name modules as
# arguments to build only those (e.g. scripts/build-wasm.sh export).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(keys cloud export)
for module in "${modules[@]}"; do
  wasm-pack --quiet build --release --target web --out-dir "$PWD/pkg/$module" --no-pack "bindings/$module"
done
