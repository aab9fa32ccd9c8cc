#!/usr/bin/env bash
# Builds and runs the cargo-fuzz targets in fuzz/ for SECONDS each (default 60), one at a time on
# one core, and fails on the first crash, timeout or out-of-memory, printing where the input is.
# Installs cargo-fuzz (pinned) when missing. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 20   (the CI smoke)
#
# Environment:
#   FUZZ_SANITIZER   none (default: fastest to build and run; the library has no unsafe code)
#                    or address (AddressSanitizer, for the dependencies' unsafe code)
#   FUZZ_TIMEOUT     seconds one input may take before it counts as a hang (default 25: the
#                    slowest key derivation the library accepts takes about 20 s in a fuzz build)
#   FUZZ_RSS_MB      memory limit in MiB (default 2048; scrypt and Argon2 may use 256 MiB)
#   FUZZ_TOOLCHAIN   stable: use stable + RUSTC_BOOTSTRAP=1 even when nightly is installed
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_FUZZ_VERSION=0.13.2
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
ALL_TARGETS=(key ciphertext iam nova api_response signer)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
SANITIZER=${FUZZ_SANITIZER:-none}
TIMEOUT=${FUZZ_TIMEOUT:-25}
RSS_MB=${FUZZ_RSS_MB:-2048}

say() { printf '[fuzz] %s\n' "$*" >&2; }
die() { printf '[fuzz] error: %s\n' "$*" >&2; exit 1; }

case $SECONDS_EACH in '' | *[!0-9]*) die "SECONDS must be a whole number, got '$SECONDS_EACH'" ;; esac
for t in "${TARGETS[@]}"; do
  [ -f "fuzz/fuzz_targets/$t.rs" ] || die "no fuzz target '$t' (targets: ${ALL_TARGETS[*]})"
done

if ! command -v cargo-fuzz >/dev/null 2>&1 || [ "$(cargo fuzz --version | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 1 minute)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# cargo-fuzz needs nightly-only rustc flags (-Z, sanitizers). Use a nightly toolchain when one is
# installed, else the stable one with RUSTC_BOOTSTRAP=1, which unlocks the same flags.
# FUZZ_TOOLCHAIN=stable forces the second way (to check it where nightly is installed).
if [ "${FUZZ_TOOLCHAIN:-}" != stable ] && rustup toolchain list | grep -q '^nightly'; then
  TOOLCHAIN=+nightly
else
  TOOLCHAIN=+stable
  export RUSTC_BOOTSTRAP=1
  say "using the stable toolchain with RUSTC_BOOTSTRAP=1 (no nightly, or FUZZ_TOOLCHAIN=stable)"
fi

FUZZ=(cargo "$TOOLCHAIN" fuzz)
say "building ${TARGETS[*]} (sanitizer: $SANITIZER, $(cargo "$TOOLCHAIN" --version))"
for t in "${TARGETS[@]}"; do
  "${FUZZ[@]}" build -s "$SANITIZER" "$t"
done

status=0
summary=()
for t in "${TARGETS[@]}"; do
  work=fuzz/work/$t
  mkdir -p "$work"
  log=$work.log
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
  say "running $t for ${SECONDS_EACH}s (new inputs go to $work, seeds are read from fuzz/corpus/$t)"
  # New inputs go to the first directory only: the committed seeds stay as they are.
  set +e
  "${FUZZ[@]}" run -s "$SANITIZER" "$t" "$work" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
    -print_final_stats=1 "${dict[@]}" >"$log" 2>&1
  rc=$?
  set -e
  final=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' "$log" | tail -1 || true)
  execs=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
  if [ $rc -ne 0 ]; then
    status=1
    input=$(grep -oE "(Test unit written to|written to) [^ ]+" "$log" | tail -1 | awk '{print $NF}')
    kind=$(grep -oE 'ERROR: libFuzzer: [a-z -]+|panicked at [^ ]+|out-of-memory|AddressSanitizer: [a-z-]+' "$log" | head -1)
    tail -n 60 "$log" >&2
    say "FAILED $t: ${kind:-exit $rc}; input: ${input:-see $log}"
    say "  replay: cargo $TOOLCHAIN fuzz run -s $SANITIZER $t ${input:-<input>}"
    summary+=("$t: FAILED (${kind:-exit $rc}) input ${input:-?}")
  else
    summary+=("$t: ok, ${execs:-?} exec/s, $final")
  fi
done

say "summary (${SECONDS_EACH}s each, sanitizer $SANITIZER):"
for line in "${summary[@]}"; do say "  $line"; done
exit $status
