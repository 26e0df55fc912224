#!/usr/bin/env bash
# bench_instr.sh EVFWD [SCENARIOS]: instructions per packet of evfwd's worker
# and of dpdk-testpmd io on the same input, counted by valgrind's callgrind.
# Unlike timings, the counts repeat from run to run, so changes of a few
# percent show (doc/benchmark.md, round 3). Scenarios (default
# "hosts-encap hosts-decap flood-encap", alias-encap also works): the inputs
# of scripts/bench_profiles.py. alias-encap's routes go in through the shell
# with the input port stopped and the worker sleeping when idle
# (idle-sleep-us): valgrind runs one thread at a time, and a polling worker
# would make its 4,126 route commands take many minutes. scale-encap (a
# million routes pushed through the control ring) is not supported. Packets
# are the calls of the RX handler times 32: net_pcap's infinite_rx always
# fills the burst of 32 (a stopped port is not polled). Any build counts;
# for per-line annotation (callgrind_annotate) build with debug info, and
# with clang add -gdwarf-4 (valgrind 3.19 cannot read clang 14's DWARF 5):
#   CC=clang meson setup build-perf -Dbuildtype=release -Ddebug=true \
#       -Db_ndebug=true -Dc_args=-gdwarf-4
# Environment: BENCH_OUT (default build/bench-instr), SECONDS_RUN (default 3:
# the worker's run under valgrind, about 50x slower than native).
set -euo pipefail
cd "$(dirname "$0")/.."
evfwd=${1:?usage: bench_instr.sh EVFWD [SCENARIOS]}
scenarios=${2:-hosts-encap hosts-decap flood-encap}
out=${BENCH_OUT:-build/bench-instr}
secs=${SECONDS_RUN:-3}
command -v valgrind > /dev/null || { echo "bench_instr.sh: valgrind is missing" >&2; exit 1; }
mkdir -p "$out"
# shellcheck disable=SC2086
/usr/bin/python3 scripts/bench_profiles.py "$out" $scenarios
eal=(--no-huge --no-shconf -m 512 --no-pci -l 0-1 --log-level=lib.eal:error)

# inclusive instructions of the outermost function matching $2 (the one
# with the most) in callgrind file $1: a PMD's burst function includes its
# helpers, so summing them would count those twice
incl() {
	callgrind_annotate --inclusive=yes "$1" 2> /dev/null |
		awk -v re="$2" '$0 ~ re {x = $1; gsub(",", "", x); if (x + 0 > m) m = x + 0}
			END {printf "%.0f\n", m}'
}

# calls of the functions matching $2 in callgrind file $1, summed over the
# file's call records (callgrind_annotate's caller tree leaves out callers
# it cannot name, such as a call through a function pointer)
calls() {
	awk -v re="$2" '
		/^c?fn=\([0-9]+\)/ {
			id = $1; sub(/^c?fn=/, "", id)
			if (NF > 1) name[id] = $2
			callee = ($1 ~ /^cfn=/) ? id : ""
			next
		}
		/^calls=/ && callee != "" && name[callee] ~ re {split($1, c, "="); s += c[2]}
		/^calls=/ {callee = ""}
		END {printf "%.0f\n", s}' "$1"
}

echo "| scenario | testpmd io | evfwd RX | evfwd handler | evfwd TX flush | evfwd worker |"
echo "| --- | --- | --- | --- | --- | --- |"
for sc in $scenarios; do
	case $sc in
	scale-encap) echo "bench_instr.sh: $sc is not supported" >&2; exit 2 ;;
	esac
	: > "$out/$sc.cmds"
	if [ -f "$out/$sc.routes" ]; then
		# routes while the input is stopped and the idle worker sleeps
		sed -i 's/^workers: {\(.*\)}$/workers: {\1, idle-sleep-us: 1000}/' "$out/$sc.yaml"
		{ echo "port stop in"; cat "$out/$sc.routes"; echo "port start in"; } > "$out/$sc.cmds"
	fi
	printf 'sleep 500\nsleep %d\nshow workers\nquit\n' $((secs * 1000)) >> "$out/$sc.cmds"
	valgrind --tool=callgrind --callgrind-out-file="$out/$sc.evfwd.cg" "$evfwd" "${eal[@]}" -- \
		--config "$out/$sc.yaml" --cmdline-file "$out/$sc.cmds" --quiet \
		> "$out/$sc.evfwd.log" 2>&1 ||
		{ tail -n 5 "$out/$sc.evfwd.log" >&2; echo "bench_instr.sh: $sc: evfwd failed" >&2; exit 1; }
	timeout -s INT $((secs * 6 + 10)) valgrind --tool=callgrind \
		--callgrind-out-file="$out/$sc.testpmd.cg" dpdk-testpmd "${eal[@]}" \
		--vdev "net_pcap0,rx_pcap=$out/$sc.pcap,infinite_rx=1" --vdev "net_null0,no-rx=1" \
		-- --forward-mode=io -a --stats-period 5 --total-num-mbufs=16384 \
		> "$out/$sc.testpmd.log" 2>&1 || true
	pk=$(( $(calls "$out/$sc.evfwd.cg" '^dp_(access|network)_rx$') * 32 ))
	# testpmd: its packets are the TX-packets it reports; its per-packet
	# work is the two PMDs' burst functions (its io loop adds a few
	# instructions per burst, not counted)
	tpk=$(awk '/TX-packets:/ {v = $2} END {print v + 0}' "$out/$sc.testpmd.log")
	rx=$(incl "$out/$sc.evfwd.cg" 'librte_net_pcap.*\]$')
	tx=$(incl "$out/$sc.evfwd.cg" ':dp_tx_flush_port \[')
	h=$(incl "$out/$sc.evfwd.cg" ':dp_(access|network)_rx( \[|$)')
	w=$(incl "$out/$sc.evfwd.cg" ':evf_dp_worker_main( \[|$)')
	trx=$(( $(incl "$out/$sc.testpmd.cg" 'librte_net_pcap.*\]$') +
		$(incl "$out/$sc.testpmd.cg" 'librte_net_null.*\]$') ))
	if [ "$pk" -eq 0 ] || [ "$tpk" -eq 0 ]; then
		echo "bench_instr.sh: $sc: no packets counted (see $out/$sc.*.log)" >&2
		exit 1
	fi
	awk -v sc="$sc" -v pk="$pk" -v tpk="$tpk" -v rx="$rx" -v tx="$tx" -v h="$h" -v w="$w" \
		-v trx="$trx" 'BEGIN {printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
		sc, trx / tpk, rx / pk, h / pk, tx / pk, w / pk}'
done
