#!/usr/bin/env bash
# Runs every test: lints (Rust, and JavaScript with its types), native tests (library and CLI),
# the Nova policy engine against the real oslo.policy, the wasm tests in Node and in headless
# Chromium, the release build (wasm-opt'd) in Node and in Chromium with the static bundle and the
# npm package (scripts/bundle.sh), and the end-to-end flows in Chromium, Firefox ESR and WebKit.
# Installs what is missing first (scripts/setup.sh). Fails if any suite ran zero tests, and ends
# with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

scripts/setup.sh

LOGS=$(mktemp -d)
passed=0
failed=0
step() { printf '\n==> %s\n' "$*" >&2; }

# Adds up libtest's "test result:" lines in $1 and fails if fewer than $2 suites ran a test.
count_cargo() {
  local log=$1 min_suites=$2 suites
  suites=$(grep -cE '^test result: ok\. [1-9][0-9]* passed' "$log" || true)
  passed=$((passed + $(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')))
  if [ "$suites" -lt "$min_suites" ]; then
    echo "error: expected $min_suites test suites with tests in $log, found $suites (a suite was skipped?)" >&2
    failed=$((failed + 1))
    exit 1
  fi
}

# Reads node --test's "# pass N" / "# fail N" and fails on zero passes.
count_node() {
  local log=$1 p f
  p=$(awk '/^# pass /{print $3}' "$log")
  f=$(awk '/^# fail /{print $3}' "$log")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "${p:-0}" -eq 0 ] || [ "${f:-1}" -ne 0 ]; then
    echo "error: node tests in $log: ${p:-0} passed, ${f:-?} failed" >&2
    exit 1
  fi
}

# Reads unittest's "Ran N tests" and its final "OK" line; fails on zero tests or any failure.
count_python() {
  local log=$1 n
  n=$(awk '/^Ran [0-9]+ tests? in /{print $2}' "$log" | tail -1)
  if [ "${n:-0}" -eq 0 ] || ! grep -qE '^OK( \(|$)' "$log"; then
    echo "error: python tests in $log: ${n:-0} ran, not all passed" >&2
    failed=$((failed + 1))
    exit 1
  fi
  passed=$((passed + n))
}

run() { # run LOG COMMAND...: tee the output to LOG, fail with the command
  local log=$1; shift
  "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

step "format and lints"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
# The wasm bindings (bindings/keys, bindings/cloud, bindings/export) with their tests, for the wasm target.
cargo clippy --quiet --target wasm32-unknown-unknown -p ecs-password-keys-wasm -p ecs-password-cloud-wasm -p ecs-password-export-wasm --lib --tests -- -D warnings

step "JavaScript lint and types (eslint.config.js, tsconfig.json, tsconfig.modules.json)"
# The type check reads the wasm module's generated declarations: build pkg/ first if it is
# missing or older than the Rust sources.
if [ ! -f pkg/keys/ecs_password_keys.d.ts ] || [ ! -f pkg/cloud/ecs_password_cloud.d.ts ] || [ ! -f pkg/export/ecs_password_export.d.ts ] ||
  [ -n "$(find src bindings -name '*.rs' -newer pkg/keys/ecs_password_keys.d.ts -print -quit)" ] ||
  [ -n "$(find src bindings -name '*.rs' -newer pkg/cloud/ecs_password_cloud.d.ts -print -quit)" ] ||
  [ -n "$(find src export bindings -name '*.rs' -newer pkg/export/ecs_password_export.d.ts -print -quit)" ]; then
  scripts/build-wasm.sh
fi
npx --no-install eslint --max-warnings 0 .
npx --no-install tsc -p .
npx --no-install tsc -p tsconfig.modules.json

step "native tests (library, CLI, property tests)"
run "$LOGS/native.log" cargo test --workspace
count_cargo "$LOGS/native.log" 4

step "Nova policy against the real oslo.policy (tests/oracle/nova_policy.py, docs/permissions.md)"
.venv/bin/python tests/oracle/nova_policy.py --out target/nova-oracle/cases.json
run "$LOGS/nova-oracle.log" env NOVA_ORACLE_CASES="$PWD/target/nova-oracle/cases.json" \
  cargo test -p ecs-password --test nova_oracle -- --nocapture
count_cargo "$LOGS/nova-oracle.log" 1

step "real clients against the emulated cloud: openstacksdk, python-novaclient, Huawei's Python SDK (tests/clients/)"
cargo build --quiet -p ecs-password-cli
run "$LOGS/clients.log" tests/clients/run.sh
count_python "$LOGS/clients.log"

step "fuzz smoke (every target 20 s; docs/fuzzing.md)"
run "$LOGS/fuzz.log" scripts/fuzz.sh 20

step "wasm tests in Node (the key module: API and memory scan; the cloud module)"
run "$LOGS/wasm-node-keys.log" env -C bindings/keys wasm-pack test --node --release -- --test wasm_node --test wasm_memory
count_cargo "$LOGS/wasm-node-keys.log" 2
run "$LOGS/wasm-node-cloud.log" env -C bindings/cloud wasm-pack test --node --release -- --test wasm_node
count_cargo "$LOGS/wasm-node-cloud.log" 1

step "wasm tests in headless Chromium (the key module, the cloud module)"
run "$LOGS/wasm-browser-keys.log" env -C bindings/keys wasm-pack test --headless --chrome --release -- --test wasm_browser
count_cargo "$LOGS/wasm-browser-keys.log" 1
run "$LOGS/wasm-browser-cloud.log" env -C bindings/cloud wasm-pack test --headless --chrome --release -- --test wasm_browser
count_cargo "$LOGS/wasm-browser-cloud.log" 1

step "release build (wasm-opt) in Node and in headless Chromium, the page through ecs-password serve, the static bundle and the npm package under sub-paths"
scripts/build-wasm.sh
scripts/bundle.sh # target/bundle/ and target/npm/ecs-password-widget/; tests/js/bundle.test.mjs serves them
cargo build --quiet -p ecs-password-cli
run "$LOGS/release.log" node --test --test-concurrency=1 tests/js/
count_node "$LOGS/release.log"

step "end-to-end flows in each engine: Chromium, Firefox ESR, WebKit (tests/js/engines/)"
engine_counts=()
for engine in chromium firefox webkit; do
  started=$SECONDS
  run "$LOGS/e2e-$engine.log" env ENGINE="$engine" node --test tests/js/engines/e2e.mjs
  count_node "$LOGS/e2e-$engine.log" # fails if this engine ran no test
  engine_counts+=("$engine: $(awk '/^# pass /{print $3}' "$LOGS/e2e-$engine.log") passed in $((SECONDS - started)) s")
done
printf 'engines: %s\n' "${engine_counts[@]}"

echo
echo "${passed} passed, ${failed} failed"
