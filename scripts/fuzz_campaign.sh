#!/usr/bin/env bash
# fuzz_campaign.sh [SECONDS] [TARGET...]: a longer libFuzzer campaign than the
# fuzz suite's, then the line coverage its corpus reaches.
#   1. each TARGET (default: cfg route-text shell; also pkt nd ring-rec
#      ring-hdr ctlsock)
#      runs SECONDS (default 300) from build/'s binary on its kept corpus
#      (build/test/fuzz/corpus-*) and seeds, one after the other;
#   2. build-fuzzcov/ (-Dfuzz_coverage=true: the same targets with clang
#      source-based coverage) replays each corpus once (-runs=0), and
#      llvm-cov gives the share of lines and regions covered in the target's
#      own sources (cfg: lib/cfg; route-text: lib/route/route_text.c; shell:
#      app/evfwd/shell and app/evfwd/show; ...): the "lines" column.
# Results: build/fuzz-campaign/campaign.md (executions, exec/s, libFuzzer's
# cov/ft, corpus size, line and region coverage); logs beside it. A crash
# stops nothing: it is reported, its input is in build/test/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(cfg route-text shell)
out=build/fuzz-campaign
fz=build/test/fuzz
src=$(pwd)
scripts/build.sh >/dev/null
[ -f build-fuzzcov/build.ninja ] || CC=clang meson setup build-fuzzcov -Dfuzz_coverage=true >/dev/null
mkdir -p "$out"
ninja -C build test/fuzz/seeds.stamp test/fuzz/ring-seeds.stamp test/fuzz/text-seeds.stamp test/fuzz/nd-seeds.stamp >/dev/null

# target -> binary, corpus, seeds, extra flags, sources whose coverage counts
spec() {
	case "$1" in
	cfg) echo "fuzz_cfg corpus-cfg text-seeds/cfg -dict=$src/test/fuzz/cfg.dict|lib/cfg" ;;
	route-text) echo "fuzz_route_text corpus-route text-seeds/route -dict=$src/test/fuzz/route.dict|lib/route/route_text.c" ;;
	shell) echo "fuzz_shell corpus-shell text-seeds/shell -dict=$src/test/fuzz/shell.dict -close_fd_mask=3|app/evfwd/shell app/evfwd/show" ;;
	pkt) echo "fuzz_pkt corpus seeds|lib/dp lib/pkt lib/vxlan/evf_vxlan_dp.h lib/nd/nd_access_dp.c lib/underlay/ul_network_dp.c" ;;
	nd) echo "fuzz_nd corpus-nd nd-seeds|lib/nd/nd_codec.c" ;;
	ring-rec) echo "fuzz_ring_rec corpus-ring-rec ring-seeds/rec|lib/ring/ring_codec.c" ;;
	ring-hdr) echo "fuzz_ring_hdr corpus-ring-hdr ring-seeds/hdr|lib/ring/ring_consume_ctl.c lib/ring/ring_events_ctl.c lib/ring/ring_shm_ctl.c lib/ring/ring_stats_ctl.c lib/ring/ring_guard_ctl.c" ;;
	ctlsock) echo "fuzz_ctlsock corpus-ctlsock text-seeds/shell -dict=$src/test/fuzz/shell.dict -close_fd_mask=1|app/evfwd/shell/ctl_socket.c app/evfwd/shell/ctl_client.c app/evfwd/shell/shell_io.c" ;;
	*) echo "fuzz_campaign: unknown target $1" >&2; exit 2 ;;
	esac
}

# "LINES% REGIONS%" of the files of an llvm-cov report whose path contains
# one of the given source paths (the report names files without the leading /)
cov_of() {
	local rep=$1
	shift
	awk -v pats="$*" -v root="${src#/}/" '
		BEGIN { n = split(pats, p, " ") }
		NF >= 13 && $1 != "TOTAL" {
			for (i = 1; i <= n; i++) if (index($1, root p[i]) == 1) {
				r += $2; rm += $3; l += $8; lm += $9; break
			}
		}
		END { printf "%.1f%% %.1f%%\n", l ? 100 * (l - lm) / l : 0, r ? 100 * (r - rm) / r : 0 }' "$rep"
}

{
	echo "Campaign: $secs s per target, build/ (clang, ASan + UBSan), $(nproc) CPUs shared."
	echo
	echo "| target | executions | exec/s | cov (edges) | ft | corpus | lines | regions | result |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$out/campaign.md"
for t in "${targets[@]}"; do
	IFS='|' read -r run files < <(spec "$t")
	read -r bin corpus seeds extra <<< "$run"
	mkdir -p "$fz/$corpus" "$fz/artifacts"
	log=$out/$t.log
	echo "fuzz_campaign: $t for $secs s"
	# shellcheck disable=SC2086
	if "$fz/$bin" -max_total_time="$secs" -rss_limit_mb=4096 -error_exitcode=1 -timeout=25 \
		-print_final_stats=1 -artifact_prefix="$fz/artifacts/" $extra "$fz/$corpus" "$fz/$seeds" \
		> "$log" 2>&1; then
		result=ok
	else
		result="FAILED (see $log)"
	fi
	execs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
	rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
	covft=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p')
	ncorp=$(find "$fz/$corpus" -type f | wc -l)
	# coverage of the corpus: replay it once with the coverage build
	ninja -C build-fuzzcov "test/fuzz/$bin" >/dev/null
	rm -f "$out/$t".profraw
	# shellcheck disable=SC2086
	LLVM_PROFILE_FILE="$out/$t.profraw" build-fuzzcov/test/fuzz/$bin -runs=0 $extra \
		"$fz/$corpus" > "$out/$t.replay.log" 2>&1 || true
	llvm-profdata merge -sparse "$out/$t.profraw" -o "$out/$t.profdata"
	llvm-cov report "build-fuzzcov/test/fuzz/$bin" -instr-profile="$out/$t.profdata" \
		> "$out/$t.cov.txt"
	read -r lines regions < <(cov_of "$out/$t.cov.txt" $files)
	echo "| $t | $execs | $rate | ${covft% *} | ${covft#* } | $ncorp | $lines | $regions | $result |" >> "$out/campaign.md"
done
echo
cat "$out/campaign.md"
