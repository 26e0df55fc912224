#!/usr/bin/env bash
# build.sh: configure (once) and build evfwd into build/ with clang, so the
# libFuzzer targets are built too. Extra arguments go to "meson setup".
# BUILD_DIR=DIR builds elsewhere (scripts/test.sh: build-gcc with CC=gcc,
# build-san with -Dsanitizers=true); CC picks the compiler at configure time.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build}
if [ ! -f "$dir/build.ninja" ]; then
	CC=${CC:-clang} meson setup "$dir" "$@" >/dev/null
fi
if ! out=$(ninja -C "$dir" 2>&1); then
	printf "%s\n" "$out" | tail -40 >&2
	echo "build: ninja failed in $dir (output above)" >&2
	exit 1
fi
echo "build: $dir/app/evfwd ready"
