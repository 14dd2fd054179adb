#!/usr/bin/env bash
# Sets up what is missing and runs every check: formatting, clippy for both
# feature sets, unit and integration tests, the release build and the Playwright
# end-to-end suite in Chromium against it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy: server and native crates (ssr)"
cargo clippy --workspace --all-targets --exclude app -- -D warnings
cargo clippy -p app --all-targets --features ssr -- -D warnings
step "clippy: browser crate (hydrate, wasm32)"
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "release build (cargo leptos build --release, then the import worker)"
cargo leptos build --release
./scripts/build-worker.sh

step "unit and integration tests"
# The integration tests start the release binary built above (SIGTERM test) and
# run promtool against /metrics.
export LEPTOS_OUTPUT_NAME=ats-scorer  # as cargo-leptos sets it, so the release deps are reused
cargo test --workspace --exclude app --release
cargo test -p app --features ssr --release

step "end-to-end tests (Playwright, Chromium)"
(cd end2end && npx playwright test)
