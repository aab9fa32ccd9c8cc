#!/usr/bin/env bash
# Writes the static bundle of the pages (target/bundle/: any static server, any sub-path) and the
# npm package of the widget (target/npm/ecs-password-widget/) from www/, packages/ and the
# release build in pkg/ (scripts/build-wasm.sh first). See scripts/bundle.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/bundle.mjs
