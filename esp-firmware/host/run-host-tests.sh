#!/usr/bin/env bash
# Builds and runs the firmware's host tests with CMake and CTest (gcc): the protocol code's unit
# tests, then the device simulator against a fleet it starts. Installs the C toolchain and the
# libraries (libwebsockets, libopus, cJSON) with apt-get when they are missing. .ci/run calls this.
# SF_SKIP_FLEET=1 runs only the unit tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${SF_HOST_BUILD_DIR:-$here/build}

missing=""
for tool in gcc cmake ctest pkg-config; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
for lib in libwebsockets opus libcjson; do
  command -v pkg-config >/dev/null && pkg-config --exists "$lib" || missing="$missing $lib"
done
if [ -n "$missing" ]; then
  echo "installing the C toolchain and libraries (missing:$missing)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make cmake pkg-config \
    libwebsockets-dev libopus-dev libcjson-dev >/dev/null
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j 2
if [ "${SF_SKIP_FLEET:-0}" = 1 ]; then
  ctest --test-dir "$build" --verbose -LE fleet
else
  ctest --test-dir "$build" --verbose
fi
