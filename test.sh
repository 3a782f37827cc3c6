#!/usr/bin/env bash
# Installs what is needed, builds everything the tests use, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash packaging/install-deps.sh
BUILD_DIR=${ATELIER_BUILD_DIR:-build}
JOBS=${ATELIER_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/atelier-ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --parallel "$JOBS"
cd "$BUILD_DIR"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --parallel "$JOBS" --timeout 900
