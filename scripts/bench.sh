#!/usr/bin/env bash
# The benchmark command: builds the release wasm package and CLI, then runs bench/run.mjs
# (headless Chromium, the native tools, the emulated cloud). Prints the markdown table with the
# ratios and targets; writes bench/results/latest.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
cargo build --quiet --release -p ecs-password-cli
node bench/run.mjs
