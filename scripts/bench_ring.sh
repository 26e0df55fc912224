#!/usr/bin/env bash
# bench_ring.sh: control-ring benchmark. One evfwd worker encapsulates a
# net_pcap infinite_rx input into a net_null sink (the encap benchmark of
# bench.sh) while evfwd-ctl bench-rt2 writes RT2 records into the routes ring:
#   1. latency: 200,000 RT2 adds paced at 100,000/s (MAC-VRF vni 200), apply
#      latency p50/p99 from evfwd's histogram (producer timestamp -> applied);
#   2. load: 1,000,000 RT2 adds (vni 100) as fast as the ring takes them, then
#      1,000,000 withdrawals, PAIRS times back to back; apply rate from
#      evfwd-ctl and the worker's forwarding rate measured exactly over that
#      load window, against an idle window of the same run just before it;
#      then the same for records of an unknown VNI (rejected), three rounds.
# Uses 2 MB hugepages (sets them up when missing; falls back to --no-huge with
# a note). Results: build/bench/ring.md (copy the figures into doc/benchmark.md).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
count=${COUNT:-1000000}
pairs=${PAIRS:-3}
idle_ms=${IDLE_MS:-3000}
scripts/setup-deps.sh test
scripts/build.sh || ninja -C build app/evfwd app/evfwd-ctl >/dev/null
out=build/bench
mkdir -p "$out"
/usr/bin/python3 scripts/bench_traffic.py "$out"

mem_note="2 MB hugepages"
eal=(--in-memory -m 1536 --no-pci -l 0-1 --log-level=lib.eal:error --log-level=pmd.net.pcap:error)
if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt 1024 ]; then
	echo 1024 > /proc/sys/vm/nr_hugepages || true
fi
if ! mountpoint -q /dev/hugepages; then
	mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages || true
fi
if [ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -lt 800 ] || ! mountpoint -q /dev/hugepages; then
	mem_note="no hugepages (--no-huge: page faults on first touch lower the forwarding rate under load)"
	eal=(--no-huge --no-shconf -m 1536 --no-pci -l 0-1 --log-level=lib.eal:error --log-level=pmd.net.pcap:error)
fi

ring=/evfwd-bench-$$
cat > "$out/ring.yaml" <<YAML
node: {vtep-ipv4: 198.18.0.3, mac: "02:00:00:00:00:03", fdb-capacity: 2097152}
ports:
  - {name: in, device: "net_pcap0,rx_pcap=$out/encap.pcap,infinite_rx=1", role: access}
  - {name: out, device: "net_null0,no-rx=1", role: network, next-hop-mac: "02:00:00:00:00:fe"}
mac-vrfs:
  - name: bench
    vni: 100
    attachments: [{port: in, vlan: untagged}]
    static-macs: [{mac: "00:c1:ab:00:00:11", port: in, vlan: untagged}]
    remote-macs: [{mac: "00:c1:ab:00:00:21", vtep: 198.18.0.1}]
  - name: paced
    vni: 200
    attachments: [{port: in, vlan: 200}]
control-ring: {name: $ring, records: 65536, batch: 1024}
workers: {count: 1, burst: 32}
YAML

log=$out/ring.evfwd.log
fifo=$out/ring.cmds
rm -f "$fifo" && mkfifo "$fifo"
build/app/evfwd "${eal[@]}" -- --config "$out/ring.yaml" --cmdline-file "$fifo" --quiet > "$log" 2>&1 &
evfwd_pid=$!
exec 3> "$fifo"
cleanup() {
	exec 3>&- 2>/dev/null || true
	kill "$evfwd_pid" 2>/dev/null || true
	wait "$evfwd_pid" 2>/dev/null || true
	rm -f "$fifo" "/dev/shm$ring"
}
trap cleanup EXIT

# Run one shell command and wait until its output is complete (the shell's
# "echo" marker after it appears in the log).
n_marks=0
cmd() {
	n_marks=$((n_marks + 1))
	printf '%s\necho mark-%d\n' "$1" "$n_marks" >&3
	for _ in $(seq 20000); do
		grep -q "^mark-$n_marks\$" "$log" && return 0
		kill -0 "$evfwd_pid" 2>/dev/null || { echo "evfwd exited; log:"; cat "$log"; exit 1; }
		sleep 0.001
	done
	echo "no answer from evfwd to '$1'"; exit 1
}
# TX-pps of port "out" in the last "show port stats all" (rate since the one before)
last_pps() { awk '$1=="out" && $2 ~ /network/ {v=$NF} END {print v}' "$log"; }
# The producer stays off the worker's core, as a BGP speaker does on a gateway
# whose worker cores are isolated (isolcpus): on core 0 with evfwd's main and
# control threads. Unpinned, the scheduler moves it onto the worker's core
# whenever core 0 is busy, and the worker loses its time slices.
ctl() { taskset -c 0 build/app/evfwd-ctl --ring "$ring" "$@"; }

for _ in $(seq 100); do [ -e "/dev/shm$ring" ] && break; sleep 0.1; done
cmd "sleep 2000"
cmd "show port stats all"

# 1. paced latency
cmd "sleep 2000"
cmd "show port stats all"
idle_paced=$(last_pps)
ctl bench-rt2 --vni 200 --vtep 198.18.0.1 --count 200000 --rate 100000 | tee -a "$out/ring.ctl.log"
cmd "show port stats all"
fwd_paced=$(last_pps)
ctl status > "$out/ring.status.paced"
# "  apply latency p50 < N ns, p99 < N ns"
p50=$(awk '/apply latency/ {print $5}' "$out/ring.status.paced")
p99=$(awk '/apply latency/ {print $9}' "$out/ring.status.paced")

# 2. full-speed loads: each round an idle window, then a load window of
#    $pairs x (1M RT2 adds + 1M withdrawals) back to back (several seconds,
#    so that the forwarding rate is measured over a window long enough to
#    be stable), and the same amount of records for an unknown VNI (checked
#    and rejected: the control thread's cost without table work).
load_window() { # $1: vni -> sets "busy" and appends the apply rates
	cmd "show port stats all"
	for _ in $(seq "$pairs"); do
		for op in add withdraw; do
			extra=(); [ $op = withdraw ] && extra=(--withdraw)
			line=$(ctl bench-rt2 --vni "$1" --vtep 198.18.0.1 --count "$count" "${extra[@]}")
			echo "$line" >> "$out/ring.ctl.log"
			rate=$(echo "$line" | sed -n 's/.* = \([0-9]*\) records\/s.*/\1/p')
			[ "$1" = 100 ] && { if [ $op = add ]; then rates_add+=("$rate"); else rates_wd+=("$rate"); fi; }
			[ "$1" != 100 ] && rates_rej+=("$rate")
		done
	done
	cmd "show port stats all"
	busy=$(last_pps)
}
idle_window() {
	cmd "sleep $idle_ms"
	cmd "show port stats all"
	cmd "sleep $idle_ms"
	cmd "show port stats all"
	idle=$(last_pps)
}
rates_add=() rates_wd=() rates_rej=() ratios=() ratios_rej=() loaded=() idles=()
for r in $(seq "$rounds"); do
	idle_window
	load_window 100
	ratio=$(awk -v b="$busy" -v i="$idle" 'BEGIN {printf "%.3f", b / i}')
	echo "round $r: forwarding $busy pps during $pairs x (adds + withdrawals) vs $idle idle (ratio $ratio)"
	idles+=("$idle"); loaded+=("$busy"); ratios+=("$ratio")
	idle_window
	load_window 999
	ratio=$(awk -v b="$busy" -v i="$idle" 'BEGIN {printf "%.3f", b / i}')
	echo "round $r: forwarding $busy pps during rejected records vs $idle idle (ratio $ratio)"
	ratios_rej+=("$ratio")
done
cmd "show ring"
cmd "show bd"
ctl status > "$out/ring.status.final"
printf 'quit\n' >&3

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m() { printf '%s\n' "$@" | median; }
{
	echo "Memory: $mem_note. Worker on core 1; evfwd's main and control threads and evfwd-ctl (taskset) share core 0."
	echo
	echo "| load | records/s applied (median) | forwarding during the load / idle (median of $rounds) |"
	echo "| --- | --- | --- |"
	echo "| $pairs x ($count RT2 adds + $count withdrawals) | adds $(m "${rates_add[@]}"), withdrawals $(m "${rates_wd[@]}") | $(m "${ratios[@]}") |"
	echo "| the same records for an unknown VNI (rejected) | $(m "${rates_rej[@]}") | $(m "${ratios_rej[@]}") |"
	echo "| 200,000 RT2 adds paced at 100,000/s | 100000 (paced) | $(awk -v b="$fwd_paced" -v i="$idle_paced" 'BEGIN {printf "%.3f", b / i}') |"
	echo
	echo "Idle forwarding: $(m "${idles[@]}") pps (median); during the RT2 loads: $(m "${loaded[@]}") pps (median)."
	echo "Apply latency at 100,000 records/s (producer timestamp to applied): p50 < $p50 ns, p99 < $p99 ns."
} > "$out/ring.md"
echo
cat "$out/ring.md"
