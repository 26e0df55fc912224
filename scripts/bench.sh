#!/usr/bin/env bash
# bench.sh [SECONDS [PROFILES]]: evfwd against dpdk-testpmd io forwarding on the
# same devices in the same run, one worker core each: a net_pcap infinite_rx
# input and a net_null sink. Prints both rates, their ratio and evfwd's busy
# cycles per packet, per round and as medians.
# Profiles (PROFILES, or the second argument: names separated by spaces or
# commas; default all of them):
#   single  one flow's MAC pair (the header-run cache makes it cheap): decap, encap
#   hosts   4,096 remote MACs over 8 VTEPs, 1,024 local MACs, 4 VNIs on VLAN
#           subinterfaces, no two consecutive frames alike: hosts-decap, hosts-encap
#   scale   1M remote MACs pushed through the control ring (evfwd-ctl push),
#           65,536 distinct destinations: scale-encap (SCALE_MACS, SCALE_DESTS)
#   alias   the hosts traffic to MACs behind remote segments of 2 and 4 PEs
#           (RT1 per-ES + per-EVI, RT2 with ESI): alias-encap
#   flood   broadcast flooded to 8 VTEPs: flood-encap (rates are input frames:
#           evfwd's output rate divided by the 8 copies)
# Inputs: bench_traffic.py (single), bench_profiles.py (the others).
# Results: build/bench/results.md (copy the figures into doc/benchmark.md).
# Environment: ROUNDS (default 3) rounds per scenario; BENCH_OUT (default
# build/bench) for the inputs, logs and results; EVFWD=path runs that evfwd
# binary (and the evfwd-ctl beside it) instead of building build/app/evfwd;
# WARMUP_MS (default 2000) before evfwd's measurement window; HUGE=0 runs
# every profile with --no-huge instead of on hugepages. A smoke run (test/pkt/test_bench.py):
#   ROUNDS=1 WARMUP_MS=500 HUGE=0 SCALE_MACS=65536 SCALE_DESTS=4096 \
#   BENCH_OUT=/tmp/x EVFWD=build/app/evfwd scripts/bench.sh 1
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${ROUNDS:-3}
profiles=${2:-${PROFILES:-single hosts scale alias flood}}
warmup=${WARMUP_MS:-2000}
scripts/setup-deps.sh test
if [ -n "${EVFWD:-}" ]; then
	evfwd=$EVFWD
else
	scripts/build.sh || ninja -C build app/evfwd app/evfwd-ctl >/dev/null
	evfwd=build/app/evfwd
fi
evfwd_ctl=$(dirname "$evfwd")/evfwd-ctl
out=${BENCH_OUT:-build/bench}
mkdir -p "$out"
export BENCH_RING=/evfwd-bench-$$
trap 'rm -f "/dev/shm$BENCH_RING"' EXIT

scenarios=()
for p in ${profiles//,/ }; do
	case $p in
	single) scenarios+=(decap encap) ;;
	hosts) scenarios+=(hosts-decap hosts-encap) ;;
	scale) scenarios+=(scale-encap) ;;
	alias) scenarios+=(alias-encap) ;;
	flood) scenarios+=(flood-encap) ;;
	*) echo "bench.sh: unknown profile $p (single hosts scale alias flood)" >&2; exit 2 ;;
	esac
done
gen=()
for sc in "${scenarios[@]}"; do
	case $sc in decap|encap) ;; *) gen+=("$sc") ;; esac
done
/usr/bin/python3 scripts/bench_traffic.py "$out"
[ ${#gen[@]} -eq 0 ] || /usr/bin/python3 scripts/bench_profiles.py "$out" "${gen[@]}"

# evfwd config for the single-flow scenarios: $1 = decap|encap
evfwd_config() {
	local in_role=network out_role=access in_dev out_dev
	if [ "$1" = encap ]; then in_role=access; out_role=network; fi
	in_dev="net_pcap0,rx_pcap=$out/$1.pcap,infinite_rx=1"
	out_dev="net_null0,no-rx=1"
	cat <<YAML
node: {vtep-ipv4: 198.18.0.3, mac: "02:00:00:00:00:03"}
ports:
  - {name: in, device: "$in_dev", role: $in_role$( [ $in_role = network ] && echo ', next-hop-mac: "02:00:00:00:00:fe"')}
  - {name: out, device: "$out_dev", role: $out_role$( [ $out_role = network ] && echo ', next-hop-mac: "02:00:00:00:00:fe"')}
mac-vrfs:
  - name: bench
    vni: 100
    attachments: [{port: $( [ $1 = decap ] && echo out || echo in ), vlan: untagged}]
    static-macs: [{mac: "00:c1:ab:00:00:11", port: $( [ $1 = decap ] && echo out || echo in ), vlan: untagged}]
    remote-macs: [{mac: "00:c1:ab:00:00:21", vtep: 198.18.0.1}]
workers: {count: 1, burst: 32}
YAML
}

# per scenario: FANOUT (output frames per input frame), RING (routes through
# the control ring), MBUFS (pool for testpmd: the pcap PMD holds the whole file)
load_env() {
	FANOUT=1 RING=0 MBUFS=16384
	if [ -f "$out/$1.env" ] && [ "$1" != decap ] && [ "$1" != encap ]; then
		# shellcheck disable=SC1090
		. "$out/$1.env"
	fi
}

# Every profile runs on 2 MB hugepages, evfwd and testpmd alike, as a gateway
# does: with 4 KB pages the FDB (4 MB for the default 131,072 entries, ~130 MB
# for scale's 2M) misses the TLB on most lookups, and so does the mbuf pool.
# They are set up here when missing; HUGE=0, or a failure to get them, runs
# with --no-huge (with a note).
huge=0
if [ "${HUGE:-1}" != 0 ]; then
	if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt 1024 ]; then
		echo 1024 > /proc/sys/vm/nr_hugepages 2> /dev/null || true
	fi
	if ! mountpoint -q /dev/hugepages; then
		mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages 2> /dev/null || true
	fi
	if [ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -ge 800 ] &&
	   mountpoint -q /dev/hugepages; then
		huge=1
	else
		echo "bench.sh: no hugepages, running with --no-huge: TLB misses add to every profile" >&2
	fi
fi

eal_for() { # $1 scenario
	local mb=512 mem=(--in-memory)
	[ "$RING" = 1 ] && mb=1536
	[ "$huge" = 1 ] || mem=(--no-huge --no-shconf)
	echo "${mem[@]}" -m $mb --no-pci -l 0-1 --log-level=lib.eal:error --log-level=pmd.net.pcap:error
}

measure_cmds() {
	printf 'sleep %d\nshow port stats all\nsleep %d\nshow port stats all\nshow workers\nquit\n' \
		"$warmup" $((secs * 1000))
}

run_evfwd() { # $1 scenario -> "pps cycles_per_pkt"
	local sc=$1 eal pid fifo
	read -ra eal < <(eal_for "$sc")
	case $sc in
	decap|encap) evfwd_config "$sc" > "$out/$sc.yaml" ;;
	esac
	if [ "$RING" = 1 ]; then
		# routes through the control ring once evfwd runs, then the measurement
		fifo=$out/$sc.cmds
		rm -f "$fifo" && mkfifo "$fifo"
		"$evfwd" "${eal[@]}" -- --config "$out/$sc.yaml" --cmdline-file "$fifo" \
			--quiet > "$out/$sc.evfwd.log" 2>&1 &
		pid=$!
		exec 4> "$fifo"
		for _ in $(seq 600); do
			"$evfwd_ctl" --ring "$BENCH_RING" status > /dev/null 2>&1 && break
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.1
		done
		taskset -c 0 "$evfwd_ctl" --ring "$BENCH_RING" push --producer --wait --quiet \
			< "$out/$sc.ring" >> "$out/$sc.push.log" 2>&1 ||
			echo "bench.sh: $sc: evfwd-ctl push failed (see $out/$sc.push.log)" >&2
		"$evfwd_ctl" --ring "$BENCH_RING" status >> "$out/$sc.push.log" 2>&1 || true
		measure_cmds >&4
		exec 4>&-
		wait "$pid" || true
		rm -f "$fifo"
	else
		{ [ ! -f "$out/$sc.routes" ] || cat "$out/$sc.routes"; measure_cmds; } > "$out/$sc.cmds"
		"$evfwd" "${eal[@]}" -- --config "$out/$sc.yaml" --cmdline-file "$out/$sc.cmds" \
			--quiet > "$out/$sc.evfwd.log" 2>&1
	fi
	# second "show port stats all": TX-pps (last column) of the port named out,
	# per input frame
	local pps cpp
	pps=$(awk -v f="$FANOUT" '$1=="out" && $2 ~ /access|network/ {v=$NF}
		END {printf "%d\n", v / f}' "$out/$sc.evfwd.log")
	# "Busy cycles/pkt" is the last column of "show workers" (worker 0's row)
	cpp=$(awk '/Busy cycles\/pkt/ {getline; getline; print $NF}' "$out/$sc.evfwd.log")
	echo "$pps $cpp"
}

run_testpmd() { # $1 scenario -> median Tx-pps
	local eal
	read -ra eal < <(eal_for "$1")
	# a big pool takes a few seconds to set up: the first periods are skipped
	timeout -s INT $((secs + 4 + (RING ? 6 : 0))) dpdk-testpmd "${eal[@]}" \
		--vdev "net_pcap0,rx_pcap=$out/$1.pcap,infinite_rx=1" --vdev "net_null0,no-rx=1" \
		-- --forward-mode=io --stats-period 1 -a --total-num-mbufs="$MBUFS" \
		> "$out/$1.testpmd.log" 2>&1 || true
	# per period: port 0 then port 1 (the sink); skip the first two periods (warm-up),
	# but keep the last one when a short run has no more
	awk '/^ +Tx-pps:/ {n++; if (n % 2 == 0) print $2}' "$out/$1.testpmd.log" |
		awk '{a[NR]=$1} END {for (i = (NR > 2 ? 3 : NR); i <= NR && i > 0; i++) print a[i]}' |
		sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

{
	echo "| scenario | evfwd Mpps | testpmd io Mpps | ratio | evfwd busy cycles/pkt |"
	echo "| --- | --- | --- | --- | --- |"
} > "$out/results.md"
for sc in "${scenarios[@]}"; do
	load_env "$sc"
	e_list=() t_list=() c_list=() r_list=()
	for r in $(seq "$rounds"); do
		read -r e c < <(run_evfwd "$sc")
		t=$(run_testpmd "$sc")
		e_list+=("$e"); t_list+=("$t"); c_list+=("$c")
		r_list+=("$(awk -v e="$e" -v t="$t" 'BEGIN {printf "%.3f", (t > 0 ? e / t : 0)}')")
		echo "$sc round $r: evfwd $e pps, testpmd $t pps, ratio ${r_list[-1]}, $c cycles/pkt"
	done
	em=$(printf '%s\n' "${e_list[@]}" | median); tm=$(printf '%s\n' "${t_list[@]}" | median)
	cm=$(printf '%s\n' "${c_list[@]}" | median); rm=$(printf '%s\n' "${r_list[@]}" | median)
	awk -v sc="$sc" -v e="$em" -v t="$tm" -v r="$rm" -v c="$cm" \
		'BEGIN {printf "| %s | %.2f | %.2f | %s | %s |\n", sc, e / 1000000, t / 1000000, r, c}' \
		>> "$out/results.md"
done
echo
cat "$out/results.md"
