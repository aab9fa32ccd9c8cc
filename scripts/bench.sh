#!/usr/bin/env bash
# The benchmark command: builds the release wasm package and CLI, then runs bench/run.mjs
# (headless Chromium, the native tools, the emulated cloud). Prints the markdown table with the
# ratios and targets; writes bench/results/latest.{json,md}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-wasm.sh
cargo build --quiet --release -p ecs-password-cli
# The CLI just built, wherever CARGO_TARGET_DIR puts it.
ECS_PASSWORD_BIN="${ECS_PASSWORD_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/ecs-password}" node bench/run.mjs
