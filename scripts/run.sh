#!/usr/bin/env bash
# The README's run command: builds ecs-password and shows it working on a demo key.
#
#   scripts/run.sh          the CLI: key facts of a passphrase-protected OpenSSH key, then the
#                           password decrypted with it
#   scripts/run.sh --page   also builds the wasm package and serves the decrypt page on
#                           http://127.0.0.1:8080/ (PORT=... to change) until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-browser
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --quiet --release -p ecs-password-cli
bin=target/release/ecs-password
demo=tests/fixtures
show() { printf '\n$ %s\n' "$*"; "$@"; }

show "$bin" key-info --key "$demo/rsa2048.openssh-aes256ctr" --passphrase-file "$demo/passphrase.txt"
show "$bin" decrypt --key "$demo/rsa2048.openssh-aes256ctr" --passphrase-file "$demo/passphrase.txt" \
  --ciphertext-file "$demo/rsa2048.ciphertext.b64"
printf '\n# and with the wrong key, a clear error (exit status 1):\n'
show "$bin" decrypt --key "$demo/other2048.pkcs1.pem" --ciphertext-file "$demo/rsa2048.ciphertext.b64" || true

if [ "${1:-}" = "--page" ]; then
  scripts/build-wasm.sh
  exec node scripts/serve-page.mjs
fi
