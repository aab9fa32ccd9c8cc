#!/usr/bin/env bash
# The benchmark command: builds the release wasm package, then runs bench/run.mjs in headless
# Chromium. Prints a markdown table; writes bench/results/latest.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
node bench/run.mjs
