#!/usr/bin/env bash
# Installs every Debian 12 package Atelier needs to build, run and test.
# Idempotent: when everything is present it only checks (a second or two).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # Qt 6 and the QML modules the UI imports
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
  qt6-svg-dev qt6-qpa-plugins libqt6sql6-sqlite libqt6opengl6-dev libgl-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtquick-dialogs
  qml6-module-qtqml-workerscript qml6-module-qtqml-models qml6-module-qtqml
  qml6-module-qtcore qml6-module-qt-labs-platform qml6-module-qttest
  qml6-module-qt-labs-settings qml6-module-qt-labs-qmlmodels qml6-module-qt-labs-folderlistmodel
  # storage
  libsqlite3-dev sqlite3
  # images
  libstb-dev
  # Vulkan: headers, loader, shader compiler, the CPU driver (lavapipe) for tests, and the
  # validation layer (tests check the backend's barriers with synchronization validation)
  libvulkan-dev vulkan-tools glslc mesa-vulkan-drivers spirv-tools vulkan-validationlayers
  # tokenizers: Unicode regexes and normalization
  libpcre2-dev libutf8proc-dev
  # headless runs of the GUI
  xvfb xauth fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
