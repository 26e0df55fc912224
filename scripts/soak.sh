#!/usr/bin/env bash
# soak.sh [MINUTES]: a soak benchmark (not a timed test). evfwd forwards for
# MINUTES (default 5; SOAK_SECONDS=N overrides) on five ports - two uplinks
# (net_pcap infinite_rx VXLAN input, net_null sink) and three access ports (two
# net_pcap infinite_rx inputs whose 8 shared source MACs move between them all
# the time, one net_null sink) - while, cycle after cycle:
#   - evfwd-ctl bench-rt2 writes 20,000 RT2 adds into the routes ring, and
#     withdraws them again (or a new producer epoch sweeps them);
#   - evfwd-ctl push sends RT2s for the moving MACs with a rising sequence
#     number (MAC mobility against local learning, duplicate detection);
#   - every third cycle a new producer instance: push --new-epoch with
#     sync-begin ... sync-end (resync, sweep of the previous generation);
#   - the command file (a FIFO) stops and starts ports (one, then all);
#   - evfwd-ctl watch reads the events ring throughout.
# Then quit, and a report (also SOAK_OUT/soak.md, default build/soak):
# mbufs in use after stop, records sent vs read vs applied, events emitted vs
# written vs read, RSS at warm-up and at the end. It exits 1 when mbufs are
# left in use, a record sent was not read, or an event written was not read.
# EVFWD / EVFWD_CTL: binaries to run (default build/app/evfwd, evfwd-ctl).
# A 20-second smoke run is test pkt-soak (test/pkt/test_soak.py).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SOAK_SECONDS:-$(( ${1:-5} * 60 ))}
count=${SOAK_ROUTES:-20000}
out=${SOAK_OUT:-build/soak}
if [ -n "${EVFWD:-}" ]; then
	evfwd=$EVFWD
	ctl_bin=${EVFWD_CTL:-$(dirname "$EVFWD")/evfwd-ctl}
else
	scripts/build.sh >/dev/null
	evfwd=build/app/evfwd
	ctl_bin=${EVFWD_CTL:-build/app/evfwd-ctl}
fi
mkdir -p "$out"
/usr/bin/python3 scripts/soak_traffic.py "$out"

ring=/evfwd-soak-$$
cat > "$out/soak.yaml" <<YAML
node: {vtep-ipv4: 198.18.0.3, mac: "02:00:00:00:00:03", fdb-capacity: 262144}
ports:
  - {name: up0, device: "net_pcap0,rx_pcap=$out/up0.pcap,infinite_rx=1,tx_pcap=/dev/null",
     role: network, next-hop-mac: "02:00:00:00:00:fe"}
  - {name: up1, device: "net_null0,no-rx=1", role: network, next-hop-mac: "02:00:00:00:00:fd"}
  - {name: host1, device: "net_pcap1,rx_pcap=$out/host1.pcap,infinite_rx=1,tx_pcap=/dev/null",
     role: access}
  - {name: host2, device: "net_pcap2,rx_pcap=$out/host2.pcap,infinite_rx=1,tx_pcap=/dev/null",
     role: access}
  - {name: host3, device: "net_null1,no-rx=1", role: access}
mac-vrfs:
  - name: blue
    vni: 100
    mac-aging: 5
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: untagged}
      - {port: host3, vlan: untagged}
    remote-vteps: [198.18.0.1, 198.18.0.2]
    remote-macs: [{mac: "00:c1:ab:00:00:21", vtep: 198.18.0.1}]
    mac-duplication: {num-moves: 5, monitoring-window: 10, hold-down: 2}
  - name: red
    vni: 200
    attachments: [{port: host1, vlan: 20}]
    remote-vteps: [198.18.0.2]
control-ring: {name: $ring, records: 65536, event-records: 65536, hold-time: 30}
workers: {count: 1, burst: 32}
YAML

eal=(--no-huge --no-shconf --no-pci -l 0-1 --log-level=lib.eal:error --log-level=pmd.net.pcap:error)
log=$out/soak.evfwd.log
fifo=$out/soak.cmds
events=$out/soak.events
rm -f "$fifo" "$events" && mkfifo "$fifo"
"$evfwd" "${eal[@]}" -- --config "$out/soak.yaml" --cmdline-file "$fifo" > "$log" 2>&1 &
evfwd_pid=$!
exec 3> "$fifo"
watch_pid=
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
	kill "$evfwd_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "$fifo" "/dev/shm$ring"
}
trap cleanup EXIT

# One shell command, then wait until the shell's "echo" marker after it shows.
n_marks=0
cmd() {
	n_marks=$((n_marks + 1))
	printf '%s\necho soak-mark-%d\n' "$1" "$n_marks" >&3
	for _ in $(seq 60000); do
		grep -q "^soak-mark-$n_marks\$" "$log" && return 0
		kill -0 "$evfwd_pid" 2>/dev/null || { echo "soak: evfwd exited; log:"; tail -50 "$log"; exit 1; }
		sleep 0.005
	done
	echo "soak: no answer from evfwd to '$1'"; exit 1
}
ctl() { "$ctl_bin" --ring "$ring" "$@"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$evfwd_pid/status"; }
# "evfwd-ctl status" field: the number after a label
stat() { ctl status | tr ',' '\n' | awk -v k="$1" 'index($0, k) {for (i = NF; i > 0; i--) if ($i ~ /^[0-9]+$/) {print $i; exit}}'; }

# the ring is there once evfwd-ctl can open it
for _ in $(seq 300); do ctl status > /dev/null 2>&1 && break; sleep 0.1; done
ctl status > /dev/null || { echo "soak: evfwd-ctl cannot open the ring; log:"; tail -50 "$log"; exit 1; }
"$ctl_bin" --ring "$ring" watch > "$events" &
watch_pid=$!
cmd "show port stats all"

sent=0 route_sent=0 cycles=0 epochs=0 rss0= rss_max=0 rss_q=() q=1
moving=(00:c1:cc:00:00:00 00:c1:cc:00:00:01 00:c1:cc:00:00:02 00:c1:cc:00:00:03
	00:c1:cc:00:00:04 00:c1:cc:00:00:05 00:c1:cc:00:00:06 00:c1:cc:00:00:07)
t_end=$((SECONDS + secs))
while [ $SECONDS -lt $t_end ]; do
	cycles=$((cycles + 1))
	ctl bench-rt2 --vni 100 --vtep 198.18.0.1 --count "$count" >> "$out/soak.ctl.log"
	sent=$((sent + count)) route_sent=$((route_sent + count))
	for m in "${moving[@]}"; do
		echo "rt2 add vni 100 mac $m vtep 198.18.0.2 seq $((cycles * 2))"
	done | ctl push --producer --quiet
	sent=$((sent + ${#moving[@]})) route_sent=$((route_sent + ${#moving[@]}))
	cmd "port stop host2"
	sleep 0.3
	cmd "port start host2"
	if [ $((cycles % 2)) -eq 0 ]; then
		cmd "port stop all"
		sleep 0.2
		cmd "port start all"
	fi
	if [ $((cycles % 3)) -eq 0 ]; then
		# a new producer instance: resync, the previous generation is swept
		printf '%s\n' sync-begin "rt3 add vni 100 vtep 198.18.0.1" \
			"rt3 add vni 100 vtep 198.18.0.4" \
			"rt2 add vni 100 mac 00:c1:ee:00:00:01 vtep 198.18.0.4 seq 0" sync-end |
			ctl push --producer --new-epoch --quiet --wait
		sent=$((sent + 5)) route_sent=$((route_sent + 3)) epochs=$((epochs + 1))
	else
		ctl bench-rt2 --vni 100 --vtep 198.18.0.1 --count "$count" --withdraw >> "$out/soak.ctl.log"
		sent=$((sent + count)) route_sent=$((route_sent + count))
	fi
	cmd "show port stats all"
	r=$(rss_kb)
	[ -z "$rss0" ] && rss0=$r
	[ "$r" -gt "$rss_max" ] && rss_max=$r
	# RSS when each quarter of the run is over
	while [ $q -le 3 ] && [ $((SECONDS - t_end + secs)) -ge $((q * secs / 4)) ]; do
		rss_q+=("$r"); q=$((q + 1))
	done
done
rss_end=$(rss_kb)
ctl push --producer --wait --quiet heartbeat
sent=$((sent + 1))
cmd "show ring"
cmd "show fdb mac-vrf red"
# the events of the last poll reach the ring, then watch reads them all;
# evfwd may still write some (aging after the last port stop, slower under
# a sanitizer): wait until watch has every one written and no new one came
sleep 1
for _ in $(seq 200); do
	written=$(stat "events written")
	[ "$(wc -l < "$events")" -ge "$written" ] && [ "$(stat "events written")" = "$written" ] &&
		break
	sleep 0.1
done
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
watch_pid=
read_ev=$(wc -l < "$events")
# evfwd publishes its counters at least every 100 ms: wait that long, so the
# count covers every event written before watch stopped (timers still fire)
sleep 0.3
written_after=$(stat "events written")
ctl status > "$out/soak.status"
records=$(stat "records read")
applied=$(stat "routes applied")
swept=$(stat "swept")
lost=$(stat "lost (ring full)")
restarts=$(stat "producer restarts")
rejected=$(sed -n 's/^ *rejected://p' "$out/soak.status" | awk '{for (i = 1; i < NF; i += 2) if ($(i + 1) != 0) printf " %s %s", $i, $(i + 1)}')
gaps=$(awk 'NR > 1 && $1 != prev + 1 {g++} {prev = $1} END {print g + 0}' "$events")
printf 'quit\n' >&3
exec 3>&-
wait "$evfwd_pid" || { echo "soak: evfwd exited with $?"; tail -50 "$log"; exit 1; }
mbufs=$(sed -n 's/^mbufs in use after stop: \([0-9]*\) of \([0-9]*\)$/\1 of \2/p' "$log")

{
	echo "Soak: $secs s, $cycles cycles, worker on core 1 (main, control thread and evfwd-ctl on core 0)."
	echo
	echo "| figure | value |"
	echo "| --- | --- |"
	echo "| mbufs in use after stop | $mbufs |"
	echo "| ring records sent (bench-rt2, push, control records) | $sent |"
	echo "| ring records read by evfwd | $records |"
	echo "| route records sent / applied | $route_sent / $applied |"
	echo "| route records rejected, by reason | ${rejected:- none} |"
	echo "| routes swept by resyncs / producer epochs sent / restarts seen | $swept / $epochs / $restarts |"
	echo "| events emitted (written + lost) / written to the ring / read by evfwd-ctl watch | $((written_after + lost)) / $written_after / $read_ev |"
	echo "| events written while the reader stopped (not read) | $((written_after - read_ev)) |"
	echo "| events lost (ring full) / gaps in ev_seq seen by the reader | $lost / $gaps |"
	echo "| RSS after the first cycle / at the end / max (kB) | $rss0 / $rss_end / $rss_max |"
	echo "| RSS at 1/4, 1/2, 3/4 of the run (kB) | ${rss_q[*]:-} |"
	echo "| RSS growth after the first cycle | $((rss_end - rss0)) kB |"
	echo
	echo "Final port counters:"
	echo
	echo '```'
	awk '/^==== final statistics ====/ {on = 1} on && /^Port / {p = 1} p {print} p && /^$/ {exit}' "$log"
	echo '```'
} > "$out/soak.md"
cat "$out/soak.md"

fail=0
[ "${mbufs%% *}" = 0 ] || { echo "soak: FAILED: mbufs in use after stop: $mbufs"; fail=1; }
[ "$records" = "$sent" ] || { echo "soak: FAILED: $sent records sent, $records read"; fail=1; }
[ "$read_ev" -ge "$written" ] && [ "$read_ev" -le "$written_after" ] ||
	{ echo "soak: FAILED: $written events written ($written_after at the end), $read_ev read"; fail=1; }
exit $fail
