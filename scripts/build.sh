#!/usr/bin/env bash
# build.sh: configure (once) and build evfwd into build/ with clang, so the
# libFuzzer targets are built too. Extra arguments go to "meson setup".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
	CC=${CC:-clang} meson setup build "$@" >/dev/null
fi
if ! out=$(ninja -C build 2>&1); then
	printf "%s\n" "$out" | tail -40 >&2
	echo "build: ninja failed (output above)" >&2
	exit 1
fi
echo "build: build/app/evfwd ready"
