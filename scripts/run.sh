#!/usr/bin/env bash
# The README's run command: builds ecs-password (the CLI and the wasm package) and serves the
# decrypt page on http://127.0.0.1:8080/ until Ctrl-C. Demo keys and ciphertexts to try it with
# are in tests/fixtures/ (passphrase: tests/fixtures/passphrase.txt).
#
#   scripts/run.sh               serve the page (extra arguments go to `ecs-password serve`,
#                                e.g. --listen 127.0.0.1:9000)
#   scripts/run.sh --cli-demo    instead, show the CLI decrypting a demo key
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "${1:-}" = "--cli-demo" ]; then
  cargo build --quiet --release -p ecs-password-cli
  bin=target/release/ecs-password
  demo=tests/fixtures
  show() { printf '\n$ %s\n' "$*"; "$@"; }
  show "$bin" key-info --key "$demo/rsa2048.openssh-aes256ctr" --passphrase-file "$demo/passphrase.txt"
  show "$bin" decrypt --key "$demo/rsa2048.openssh-aes256ctr" --passphrase-file "$demo/passphrase.txt" \
    --ciphertext-file "$demo/rsa2048.ciphertext.b64"
  printf '\n# and with the wrong key, a clear error (exit status 1):\n'
  show "$bin" decrypt --key "$demo/other2048.pkcs1.pem" --ciphertext-file "$demo/rsa2048.ciphertext.b64" || true
  exit 0
fi

scripts/setup.sh --no-browser
scripts/build-wasm.sh
cargo build --quiet --release -p ecs-password-cli
exec target/release/ecs-password serve --root . "$@"
