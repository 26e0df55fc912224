#!/usr/bin/env bash
# test.sh: install what is missing, build, and run every test suite
# (unit, pkt, fuzz, ...). Extra arguments go to "meson test" (e.g. --suite unit).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh test
scripts/build.sh
meson test -C build --print-errorlogs --num-processes 2 "$@"
# A test never skips itself into a pass: exit code 77 (meson's SKIP, also
# libFuzzer's default crash code) fails the run.
skipped=$(grep -c '"result": "SKIP"' build/meson-logs/testlog.json || true)
if [ "$skipped" -ne 0 ]; then
	grep '"result": "SKIP"' build/meson-logs/testlog.json | sed 's/.*"name": "\([^"]*\)".*/test.sh: SKIPPED (counts as a failure): \1/' >&2
	exit 1
fi
