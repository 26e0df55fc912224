#!/usr/bin/env bash
# test.sh: install what is missing, then build and test three ways:
#   main  build/      clang: every suite (unit, pkt, fuzz, lab, mh, ring, lacp,
#                     fabric, l3, underlay, cli)
#   gcc   build-gcc/  gcc, Debian's default compiler: the "pure" suite (every
#                     CUnit test that starts no evfwd: unit, lacp, df, mh)
#   san   build-san/  clang -Dsanitizers=true (ASan + UBSan): the unit, ring,
#                     mh, pkt and cli suites, but pkt-demo (it runs build/'s evfwd);
#                     a sanitizer report exits 99, which no test expects.
# Extra arguments go to the main build's "meson test" (e.g. --suite unit) and
# then only the main build runs, unless EVF_TEST_BUILDS says which ("main gcc
# san" by default). A failing build or suite does not stop the others; the
# exit code is 1 if anything failed. doc/testing.md has the times.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh test
if [ $# -gt 0 ]; then
	builds=${EVF_TEST_BUILDS:-main}
else
	builds=${EVF_TEST_BUILDS:-main gcc san}
fi

failed=()
summary=()

# A test never skips itself into a pass: exit code 77 (meson's SKIP, also
# libFuzzer's default crash code) fails the run.
no_skips() {
	local log=$1/meson-logs/testlog.json skipped
	skipped=$(grep -c '"result": "SKIP"' "$log" || true)
	if [ "$skipped" -ne 0 ]; then
		grep '"result": "SKIP"' "$log" | sed "s|.*\"name\": \"\\([^\"]*\\)\".*|test.sh: $1: SKIPPED (counts as a failure): \\1|" >&2
		return 1
	fi
}

# run NAME DIR CC SETUP-ARGS -- MESON-TEST-ARGS...
run() {
	local name=$1 dir=$2 cc=$3 setup=$4 t0
	shift 5
	t0=$SECONDS
	echo "test.sh: == $name: $dir (CC=$cc $setup) =="
	# shellcheck disable=SC2086
	if ! BUILD_DIR=$dir CC=$cc scripts/build.sh $setup; then
		failed+=("$name: build")
	else
		meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || failed+=("$name: tests")
		no_skips "$dir" || failed+=("$name: skipped tests")
	fi
	summary+=("$name ($dir): $((SECONDS - t0)) s")
	return 0
}

for b in $builds; do
	case "$b" in
	main) run main build clang "" -- "$@" ;;
	gcc) run gcc build-gcc gcc "" -- --suite pure ;;
	san) run san build-san clang "-Dsanitizers=true" -- \
		--suite unit --suite ring --suite mh --suite pkt --suite cli --no-suite main-build-only ;;
	*) echo "test.sh: unknown build '$b' in EVF_TEST_BUILDS (main, gcc, san)" >&2; exit 2 ;;
	esac
done

printf "test.sh: %s\n" "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
	printf "test.sh: FAILED: %s\n" "${failed[@]}" >&2
	exit 1
fi
echo "test.sh: all passed"
