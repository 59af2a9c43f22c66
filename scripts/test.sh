#!/usr/bin/env bash
# Set-up command 2: install dependencies, build with warnings as errors,
# check formatting, and run the whole test suite (unit, integration, e2e
# with the real kubectl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-ci}
CMAKE_ARGS="-DBERTH_WERROR=ON ${CMAKE_ARGS:-}" BUILD_DIR=$BUILD_DIR scripts/build.sh
scripts/check-format.sh
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 600
