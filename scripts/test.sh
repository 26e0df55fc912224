#!/usr/bin/env bash
# test.sh: install what is missing, build, and run every test suite
# (unit, pkt, fuzz, ...). Extra arguments go to "meson test" (e.g. --suite unit).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh test
scripts/build.sh
exec meson test -C build --print-errorlogs --num-processes 2 "$@"
