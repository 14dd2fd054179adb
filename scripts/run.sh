#!/usr/bin/env bash
# Sets up what is missing, builds the release site and serves it at
# http://127.0.0.1:3000 with the embedded SQLite database under ./data/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
cargo leptos build --release
./scripts/build-worker.sh
exec ./target/release/ats-scorer serve --site-root target/site "$@"
