#!/usr/bin/env bash
# bench.sh [SECONDS]: evfwd against dpdk-testpmd io forwarding on the same
# devices in the same run, one worker core each: a net_pcap infinite_rx input
# of VXLAN (decap) or plain 64-byte frames (encap) and a net_null sink.
# Prints both rates, their ratio and evfwd's busy cycles per packet.
# Results: build/bench/results.md (copy the figures into doc/benchmark.md).
# Environment: ROUNDS (default 3) rounds per scenario; BENCH_OUT (default
# build/bench) for the inputs, logs and results; EVFWD=path runs that evfwd
# binary instead of building build/app/evfwd. A smoke run (test/pkt/test_bench.py):
#   ROUNDS=1 BENCH_OUT=/tmp/x EVFWD=build/app/evfwd scripts/bench.sh 1
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${ROUNDS:-3}
scripts/setup-deps.sh test
if [ -n "${EVFWD:-}" ]; then
	evfwd=$EVFWD
else
	scripts/build.sh || ninja -C build app/evfwd >/dev/null
	evfwd=build/app/evfwd
fi
out=${BENCH_OUT:-build/bench}
mkdir -p "$out"
/usr/bin/python3 scripts/bench_traffic.py "$out"
# DPDK 22.11 rejects --in-memory with --no-huge; --no-shconf is its equivalent for both programs.
eal=(--no-huge --no-shconf -m 512 --no-pci -l 0-1 --log-level=lib.eal:error --log-level=pmd.net.pcap:error)

# evfwd config for a scenario: $1 = decap|encap
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

run_evfwd() { # $1 scenario -> "pps cycles_per_pkt"
	evfwd_config "$1" > "$out/$1.yaml"
	printf 'sleep 2000\nshow port stats all\nsleep %d\nshow port stats all\nshow workers\nquit\n' \
		$((secs * 1000)) > "$out/$1.cmds"
	"$evfwd" "${eal[@]}" -- --config "$out/$1.yaml" --cmdline-file "$out/$1.cmds" \
		--quiet > "$out/$1.evfwd.log" 2>&1
	# second "show port stats all": TX-pps (last column) of the port named out
	local pps cpp
	pps=$(awk '$1=="out" && $2 ~ /access|network/ {v=$NF} END {print v}' "$out/$1.evfwd.log")
	# "Busy cycles/pkt" is the last column of "show workers" (worker 0's row)
	cpp=$(awk '/Busy cycles\/pkt/ {getline; getline; print $NF}' "$out/$1.evfwd.log")
	echo "$pps $cpp"
}

run_testpmd() { # $1 scenario -> median Tx-pps
	timeout -s INT $((secs + 4)) dpdk-testpmd "${eal[@]}" \
		--vdev "net_pcap0,rx_pcap=$out/$1.pcap,infinite_rx=1" --vdev "net_null0,no-rx=1" \
		-- --forward-mode=io --stats-period 1 -a --total-num-mbufs=16384 \
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
for sc in decap encap; do
	e_list=() t_list=() c_list=() r_list=()
	for r in $(seq "$rounds"); do
		read -r e c < <(run_evfwd $sc)
		t=$(run_testpmd $sc)
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
