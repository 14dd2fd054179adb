#!/usr/bin/env bash
# Installs what is missing to build, run and test Resume ATS Scorer, and nothing
# else: every step checks for the tool (and its version) first, so a second run
# takes seconds. Everything comes from crates.io, npm or Debian (see
# ../shared/docs/toolchain.md for why each choice).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    step "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  step "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
SUDO=""
if [ "$(id -u)" != 0 ] && have sudo; then SUDO=sudo; fi

# 1. Rust: the wasm target on the default (stable) toolchain, nightly for cargo-leptos.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  step "rustup toolchain install nightly"
  rustup toolchain install nightly --profile minimal
fi

# 2. cargo-leptos: its lockfile needs a newer rustc than stable, so nightly + --locked.
if ! { have cargo-leptos && cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; }; then
  step "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes on 2 cores)"
  cargo +nightly install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# 3. wasm-bindgen CLI equal to the wasm-bindgen in Cargo.lock (not --locked: its
#    lock names a crate version the registry no longer has).
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! { have wasm-bindgen && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WBG_VERSION" ]; }; then
  step "cargo install wasm-bindgen-cli $WBG_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# 4. wasm-opt from npm's binaryen, first on PATH (Debian's breaks the Wasm).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  step "npm ci (tools: binaryen)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

# 5. Debian packages: Chromium for the end-to-end tests, Prometheus for promtool,
#    sqlite3 for the end-to-end tests that read what the server stored.
missing=()
have chromium || missing+=(chromium)
have sqlite3 || missing+=(sqlite3)
{ have promtool && have prometheus; } || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# 6. The end-to-end suite's npm packages, from its lockfile.
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  step "npm ci (end2end: Playwright)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi

# 7. GrowthBook's stats engine, to cross-check the experiment statistics
#    (server/tests/api/gbstats.rs runs tools/gbstats_check.py with it).
GBSTATS_VERSION=0.8.0
if ! tools/.venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('gbstats') != '$GBSTATS_VERSION')" 2>/dev/null; then
  if ! python3 -c "import ensurepip, venv" 2>/dev/null; then apt_install python3-venv; fi
  step "pip install gbstats==$GBSTATS_VERSION (tools/.venv)"
  [ -x tools/.venv/bin/python ] || python3 -m venv tools/.venv
  tools/.venv/bin/pip install --quiet --disable-pip-version-check "gbstats==$GBSTATS_VERSION"
fi

step "setup complete"
