#!/usr/bin/env bash
# Builds the file-import worker (extract-worker, wasm32) into target/site/worker/:
# the pinned wasm-bindgen CLI (no-modules glue for importScripts) and npm's
# wasm-opt. Run after `cargo leptos build --release`; the server serves
# /worker/* from the site root.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
out=target/site/worker
cargo build -p extract-worker --lib --target wasm32-unknown-unknown --profile wasm-release
mkdir -p "$out"
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name extract_worker \
  target/wasm32-unknown-unknown/wasm-release/extract_worker.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$out/extract_worker_bg.wasm" -o "$out/extract_worker_bg.wasm"
cp extract-worker/worker.js "$out/extract-worker.js"
echo "worker: $(stat -c %s "$out/extract_worker_bg.wasm") bytes of Wasm in $out"
