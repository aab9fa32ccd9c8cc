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
  # The cloud module is optimised for size (Cargo.toml, profile release-size: why).
  profile=(--release)
  [ "$module" = cloud ] && profile=(--profile release-size)
  wasm-pack --quiet build "${profile[@]}" --target web --out-dir "$PWD/pkg/$module" --no-pack "bindings/$module"
done
# The message catalogues and their renderer, beside the modules (served as pkg/, copied by
# scripts/bundle.mjs): locales/<lang>/ecs-password.ftl -> pkg/locales/, and the ESM build of the
# pinned @fluent/bundle (package-lock.json) -> pkg/fluent/, with its licence (Apache-2.0; the
# package ships no licence file, so Debian's copy of the text is used).
rm -rf pkg/locales pkg/fluent
mkdir -p pkg/locales pkg/fluent
cp -r locales/. pkg/locales/
cp node_modules/@fluent/bundle/esm/*.js node_modules/@fluent/bundle/esm/*.d.ts pkg/fluent/
{
  echo "@fluent/bundle $(node -p 'require("./node_modules/@fluent/bundle/package.json").version') (https://github.com/projectfluent/fluent.js), Apache-2.0:"
  echo
  cat /usr/share/common-licenses/Apache-2.0
} > pkg/fluent/LICENSE
