#!/usr/bin/env bash
# test_xdp_steering.sh: lab test of XDP steering (drivers/xdp, port key
# "xdp-steering") on a real kernel interface: a veth pair, one end in a
# network namespace playing the spine/remote VTEP (198.18.1.2/24), the other
# in the root namespace (198.18.1.1/24, the kernel's address AND our VTEP)
# driven by evfwd as a net_af_xdp network port.
#   (a) xdp-steering: vxlan -> the kernel still answers ping from the netns;
#   (b) VXLAN to 198.18.1.1:4789 sent with scapy is received by evfwd (uplink
#       RX-packets), decapsulated to the access port (a net_pcap whose output is
#       compared with the inner frames), and counted "redirected" by the XDP
#       program; UDP to another port stays with the kernel ("pass-other-port");
#   (c) xdp-steering: none (the PMD's default program) -> the same ping fails,
#       which shows the test can fail.
# After each run no XDP program may be left on the interface.
# Needs root, iproute2, /usr/bin/python3 with scapy, and AF_XDP in the kernel.
# Anything missing or not working FAILS the test; it never skips.
# Environment: EVFWD (binary), EVF_XDP_OBJECT (the built BPF object, which
# evfwd uses by default; checked to exist), EVFLAB_KEEP=1 keeps the
# temporary directory.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EVFWD=${EVFWD:-$HERE/../../build/app/evfwd}
XDP_OBJ=${EVF_XDP_OBJECT:-$HERE/../../build/drivers/xdp/evfwd_xdp.o}
PY=/usr/bin/python3
EAL_ARGS=(--no-huge --in-memory --no-pci -l 0-1 --log-level=lib.eal:error)
N_VXLAN=50          # VXLAN packets sent per run
N_OTHER=5           # UDP packets to our address, another port
N_PING=3

SUF=$(($$ % 100000))
NS=evfx-ns$SUF      # the remote side
V_EVF=evfx-a$SUF    # root namespace: evfwd's net_af_xdp port
V_NS=evfx-b$SUF     # in $NS
IP_EVF=198.18.1.1
IP_NS=198.18.1.2
TMP=$(mktemp -d /tmp/evfx-lab.XXXXXX)
EVF_PID=
FAILED=1

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	if [ -n "$EVF_PID" ] && kill -0 "$EVF_PID" 2>/dev/null; then
		kill -TERM "$EVF_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$EVF_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$EVF_PID" 2>/dev/null
	fi
	ip link del "$V_EVF" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	if [ "$FAILED" = 1 ] || [ "${EVFLAB_KEEP:-}" = 1 ]; then
		echo "test_xdp_steering: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- preconditions: all failures, never skips ----
[ "$(id -u)" = 0 ] || fail "must run as root (netns, veth, AF_XDP, BPF)"
command -v ip >/dev/null || fail "iproute2 (ip) is required"
[ -x "$EVFWD" ] || fail "evfwd binary not found at $EVFWD (build with ninja -C build)"
[ -r "$XDP_OBJ" ] || fail "XDP object not found at $XDP_OBJ (build with ninja -C build)"
[ -x "$PY" ] || fail "$PY is required"
"$PY" -c 'import scapy.all' 2>/dev/null || fail "python3-scapy is required for $PY"
# Another route to the lab subnet would take the kernel's replies elsewhere.
used=$(ip -4 route show to match "$IP_NS" | grep -v "^default")
[ -z "$used" ] || fail "198.18.1.0/24 is already routed on this host (leftover lab?): $used"

# ---- helper run in the netns: ping (raw ICMP socket) and scapy senders ----
cat >"$TMP/lab.py" <<'EOF'
import logging, socket, struct, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s += s >> 16
    return ~s & 0xffff

def inner(i):
    from scapy.all import Ether, IP, UDP, Raw
    return bytes(Ether(src="00:c1:ab:00:02:01", dst="00:c1:ab:00:01:01") /
                 IP(src="198.19.2.1", dst="198.19.1.1") / UDP(sport=7000 + i, dport=53) /
                 Raw(bytes((i + k) & 0xff for k in range(40))))

cmd = sys.argv[1]
if cmd == "ping":                     # ping DST COUNT: print the number of replies
    dst, n = sys.argv[2], int(sys.argv[3])
    sk = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sk.settimeout(1.0)
    ok = 0
    for seq in range(n):
        h = struct.pack("!BBHHH", 8, 0, 0, 0xef01, seq) + b"evfwd-xdp-steering"
        h = h[:2] + struct.pack("!H", csum(h)) + h[4:]
        sk.sendto(h, (dst, 0))
        try:
            while True:
                d, _ = sk.recvfrom(2048)
                ihl = (d[0] & 0xf) * 4
                if d[ihl] == 0 and struct.unpack("!HH", d[ihl + 4:ihl + 8]) == (0xef01, seq):
                    ok += 1
                    break
        except socket.timeout:
            pass
    print(ok)
elif cmd == "send":                   # send IFACE DMAC DST N_VXLAN N_OTHER
    from scapy.all import Ether, IP, UDP, Raw, sendp
    iface, dmac, dst, nvx, nother = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    vxlan_hdr = struct.pack("!II", 0x08000000, 5001 << 8)
    pkts = [Ether(dst=dmac) / IP(src="198.18.1.2", dst=dst) /
            UDP(sport=49152 + i, dport=4789, chksum=0) / Raw(vxlan_hdr + inner(i))
            for i in range(nvx)]
    pkts += [Ether(dst=dmac) / IP(src="198.18.1.2", dst=dst) / UDP(sport=40000, dport=4790) /
             Raw(vxlan_hdr + inner(0)) for _ in range(nother)]
    sendp(pkts, iface=iface, verbose=False)
elif cmd == "empty-pcap":             # empty-pcap FILE
    with open(sys.argv[2], "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
elif cmd == "check-pcap":             # check-pcap FILE N: the decapsulated frames
    from scapy.all import rdpcap
    got = [bytes(p.original) for p in rdpcap(sys.argv[2])]
    want = [inner(i) for i in range(int(sys.argv[3]))]
    if sorted(got) != sorted(want):
        print("decapsulated frames differ: got %d, expected %d; first got %s"
              % (len(got), len(want), got[0][:40].hex() if got else "-"))
        sys.exit(1)
    print("%d decapsulated frames match the inner frames" % len(got))
EOF

lab() { ip netns exec "$NS" "$PY" "$TMP/lab.py" "$@"; }

# ---- the lab ----
ip netns add "$NS" || fail "cannot create network namespace $NS"
ip link add "$V_EVF" type veth peer name "$V_NS" || fail "cannot create veth $V_EVF/$V_NS"
ip link set "$V_NS" netns "$NS" || fail "cannot move $V_NS into $NS"
# IPv4 only: no IPv6 ND chatter, so every packet evfwd receives is one we sent.
echo 1 >"/proc/sys/net/ipv6/conf/$V_EVF/disable_ipv6"
ip netns exec "$NS" sh -c "echo 1 >/proc/sys/net/ipv6/conf/$V_NS/disable_ipv6"
ip addr add "$IP_EVF/24" dev "$V_EVF"
ip -n "$NS" addr add "$IP_NS/24" dev "$V_NS"
ip link set "$V_EVF" up
ip -n "$NS" link set "$V_NS" up
ip -n "$NS" link set lo up
EVF_MAC=$(cat "/sys/class/net/$V_EVF/address")
NS_MAC=$(ip netns exec "$NS" cat "/sys/class/net/$V_NS/address")
ok=0
for _ in $(seq 10); do          # the new link needs a moment to come up
	[ "$(lab ping "$IP_EVF" 1)" = 1 ] && { ok=1; break; }
done
[ "$ok" = 1 ] || fail "the lab is broken: no ping reply from $IP_EVF before evfwd started"

# stat PORT COLUMN: a column of PORT's row in the final statistics
# (3 Link ... 5 RX-packets, 7 TX-packets).
stat() {
	awk -v p="$1" -v c="$2" '/^==== final statistics ====/ { f = 1 } f && $1 == p { print $c; exit }' \
		"$RUN/stdout.txt"
}

# run_evfwd NAME STEERING: start evfwd on the veth (STEERING: vxlan | none).
run_evfwd() {
	RUN=$TMP/$1
	mkdir -p "$RUN"
	lab empty-pcap "$RUN/host1_in.pcap"
	{
		echo "node:"
		echo "  name: xdp-lab"
		echo "  vtep-ipv4: $IP_EVF"
		echo "ports:"
		echo "  - name: uplink"
		echo "    device: \"net_af_xdp0,iface=$V_EVF\""
		echo "    role: network"
		echo "    next-hop-mac: $NS_MAC"
		[ "$2" = none ] || echo "    xdp-steering: $2"
		echo "  - name: host1"
		echo "    device: \"net_pcap0,rx_pcap=$RUN/host1_in.pcap,tx_pcap=$RUN/host1_out.pcap\""
		echo "    role: access"
		echo "mac-vrfs:"
		echo "  - name: A"
		echo "    vni: 5001"
		echo "    attachments: [{port: host1, vlan: untagged}]"
		echo "    static-macs:"
		echo "      - {mac: \"00:c1:ab:00:01:01\", port: host1, vlan: untagged}"
		echo "workers:"
		echo "  count: 1"
		echo "  idle-sleep-us: 20"
	} >"$RUN/evfwd.yaml"
	(cd "$RUN" && exec "$EVFWD" "${EAL_ARGS[@]}" -- --config "$RUN/evfwd.yaml" \
		--max-runtime 90 >"$RUN/stdout.txt" 2>"$RUN/stderr.txt") &
	EVF_PID=$!
	for _ in $(seq 200); do
		grep -q "^evfwd: forwarding with" "$RUN/stdout.txt" 2>/dev/null && return 0
		kill -0 "$EVF_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "---- evfwd stdout ----" >&2; cat "$RUN/stdout.txt" >&2
	echo "---- evfwd stderr ----" >&2; cat "$RUN/stderr.txt" >&2
	fail "$1: evfwd did not start with $V_EVF as a net_af_xdp port (AF_XDP not usable here?)"
}

# stop_evfwd NAME: SIGTERM, wait for the final statistics, check exit code.
stop_evfwd() {
	local rc
	sleep 0.5        # let the worker drain what was just sent
	kill -TERM "$EVF_PID"
	wait "$EVF_PID"
	rc=$?
	EVF_PID=
	if [ "$rc" != 0 ] || ! grep -q "^==== final statistics ====" "$RUN/stdout.txt"; then
		cat "$RUN/stdout.txt" "$RUN/stderr.txt" >&2
		fail "$1: evfwd exited with $rc or printed no final statistics"
	fi
	if ip link show dev "$V_EVF" | grep -q "prog/xdp"; then
		ip link show dev "$V_EVF" >&2
		fail "$1: an XDP program is still attached to $V_EVF after evfwd exited"
	fi
}

# ---- (a) + (b): xdp-steering: vxlan ----
run_evfwd steer vxlan
ip link show dev "$V_EVF" | grep -q "prog/xdp.*name evf_xdp_steer" ||
	fail "steer: evfwd's program evf_xdp_steer is not attached to $V_EVF: $(ip link show dev "$V_EVF")"
replies=$(lab ping "$IP_EVF" "$N_PING")
lab send "$V_NS" "$EVF_MAC" "$IP_EVF" "$N_VXLAN" "$N_OTHER" || fail "steer: scapy could not send"
stop_evfwd steer
echo "steer: $replies/$N_PING ping replies; uplink RX $(stat uplink 5); host1 TX $(stat host1 7)"
grep "XDP steering" "$RUN/stderr.txt"
[ "$replies" = "$N_PING" ] ||
	fail "(a) with xdp-steering: vxlan the kernel answered $replies of $N_PING pings"
[ "$(stat uplink 5)" = "$N_VXLAN" ] ||
	fail "(b) evfwd received $(stat uplink 5) packets on uplink, expected exactly the $N_VXLAN VXLAN packets"
[ "$(stat host1 7)" = "$N_VXLAN" ] ||
	fail "(b) evfwd sent $(stat host1 7) decapsulated frames to host1, expected $N_VXLAN"
lab check-pcap "$RUN/host1_out.pcap" "$N_VXLAN" || fail "(b) decapsulated frames are wrong"
xdp_line=$(grep "port uplink: XDP steering on $V_EVF:" "$RUN/stderr.txt") ||
	fail "(b) no XDP counter line for uplink in evfwd's log"
[[ $xdp_line == *" redirected $N_VXLAN "* ]] ||
	fail "(b) XDP program did not count $N_VXLAN redirected packets: $xdp_line"
[[ $xdp_line == *" pass-other-port $N_OTHER"* ]] ||
	fail "(b) XDP program did not pass the $N_OTHER packets to UDP port 4790: $xdp_line"
[[ $xdp_line =~ pass-not-udp\ ([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge "$N_PING" ] ||
	fail "(a) XDP program did not pass the $N_PING pings as pass-not-udp: $xdp_line"
# the same counters in the final report's "XDP steering" table (show xdp)
xdp_row=$(awk '/^XDP steering:/ {t=1; next} t && $1 == "uplink" {print; exit}' "$RUN/stdout.txt")
read -r -a xdp_cols <<<"$(awk '/^XDP steering:/ {getline; print; exit}' "$RUN/stdout.txt")"
read -r -a xdp_vals <<<"$xdp_row"
for i in "${!xdp_cols[@]}"; do
	[ "${xdp_cols[$i]}" = redirected ] && redir=${xdp_vals[$i]}
done
[ "${redir:-}" = "$N_VXLAN" ] ||
	fail "(b) show xdp: redirected is '${redir:-}', expected $N_VXLAN: $xdp_row"

# ---- (c): xdp-steering: none, the PMD's default program takes everything ----
ip -n "$NS" neigh flush dev "$V_NS"
run_evfwd default none
replies=$(lab ping "$IP_EVF" "$N_PING")
stop_evfwd default
echo "default: $replies/$N_PING ping replies; uplink RX $(stat uplink 5)"
[ "$replies" = 0 ] ||
	fail "(c) with xdp-steering: none the kernel still answered $replies pings: the PMD's program did not take the traffic"
[ "$(stat uplink 5)" -ge 1 ] ||
	fail "(c) with xdp-steering: none evfwd received nothing on uplink"

[ "$(lab ping "$IP_EVF" 1)" = 1 ] || fail "no ping reply after evfwd exited"
FAILED=0
echo "PASS: XDP steering keeps kernel traffic, redirects VXLAN; default program takes everything"
