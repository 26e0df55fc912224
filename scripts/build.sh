#!/usr/bin/env bash
# build.sh: configure (once) and build evfwd into build/ with clang, so the
# libFuzzer targets are built too. Extra arguments go to "meson setup".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
	CC=${CC:-clang} meson setup build "$@" >/dev/null
fi
ninja -C build >/dev/null
echo "build: build/app/evfwd ready"
