#!/usr/bin/env bash
# Installs what building and testing ecs-password needs, at pinned versions, and skips whatever is
# already present. Safe to run again. Called by scripts/run.sh and scripts/test.sh.
#
#   scripts/setup.sh            everything (wasm toolchain, browser, fixture tools, npm packages)
#   scripts/setup.sh --no-browser   skip the browsers (Chromium, Firefox ESR, WebKit; enough for `run`)
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned versions. WASM_BINDGEN must equal the wasm-bindgen version in Cargo.lock (checked below).
WASM_PACK_VERSION=0.15.1
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)

want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

say() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! have wasm-pack || [ "$(wasm-pack --version | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 2 minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

if ! have wasm-bindgen || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Its own Cargo.lock pins a webpki-roots release that was since yanked, so --locked cannot work.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

apt_missing=()
if [ "$want_browser" = 1 ]; then
  have chromium || apt_missing+=(chromium)
  have chromedriver || apt_missing+=(chromium-driver)
  # A CJK font, so that the Chinese screenshots of the end-to-end tests show text, not boxes.
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || apt_missing+=(fonts-wqy-microhei)
fi
have puttygen || apt_missing+=(putty-tools)
have openssl || apt_missing+=(openssl)
have ssh-keygen || apt_missing+=(openssh-client)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# The Python oracles of the tests (oslo.policy for the Nova policy engine), pinned in
# tests/oracle/requirements.txt, in .venv. Recreated when the requirements change.
if ! cmp -s tests/oracle/requirements.txt .venv/requirements.txt 2>/dev/null; then
  if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    say "installing Debian's python3-venv (to create .venv)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  say "creating .venv with tests/oracle/requirements.txt"
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r tests/oracle/requirements.txt
  cp tests/oracle/requirements.txt .venv/requirements.txt
fi

# Firefox ESR and WebKit (MiniBrowser, driven by WebKitWebDriver under a virtual X display) for the
# cross-engine end-to-end tests, tests/js/engines/. Debian ships one version of each; the versions
# tested are in the README ("Browsers") and printed here.
if [ "$want_browser" = 1 ]; then
  engines_missing=()
  have firefox-esr || engines_missing+=(firefox-esr)
  have WebKitWebDriver || engines_missing+=(webkit2gtk-driver)
  have xvfb-run || engines_missing+=(xvfb)
  have xauth || engines_missing+=(xauth)
  if [ ${#engines_missing[@]} -gt 0 ]; then
    say "installing Debian packages for Firefox and WebKit: ${engines_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${engines_missing[@]}" >/dev/null
  fi
  say "browsers: $(chromium --version 2>/dev/null | head -1); $(firefox-esr --version 2>/dev/null); WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null)"
fi

# npm packages (binaryen's working wasm-opt, playwright-core, benchmark baselines) from package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
