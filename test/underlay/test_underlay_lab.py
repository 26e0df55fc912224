#!/usr/bin/python3
"""test_underlay_lab.py: underlay resolution with two uplinks (suite
"underlay"; doc/config.md "Underlay resolution").

  H (198.19.0.1) --h0-- evfwd (netns L) --l0/up0 198.18.10.2/30-- S1 (198.18.10.1) --+
                                        --l1/up1 198.18.11.2/30-- S2 (198.18.11.1) --+-- R
  R: VTEP 198.18.0.2 (a Linux vxlan device, VNI 100, 198.19.0.2 on it), ECMP
  routes to evfwd's VTEP 198.18.0.1 over both spines; S1 and S2 are Linux
  routers. evfwd has no next-hop-mac: it resolves 198.18.10.1, 198.18.11.1
  (ARP) and 2001:db8:10::1, 2001:db8:11::1 (ND), and answers ARP for its VTEP
  and port addresses.

 1. H and R ping each other through evfwd (both directions through the
    spines); both spines' kernels hold evfwd's addresses in their neighbour
    tables with evfwd's MAC (not a static entry), evfwd's gateways are all
    reachable, and its ARP answers are counted;
 2. 64 UDP flows from H to R split over both uplinks (share reported);
 3. failover, each case 3 times: S1's link set down (spine side), S1's ARP
    dropped by nftables, S1's address deleted: the time from the change until
    no packet is lost any more must be < 100 ms (median reported); then the
    change is undone and traffic is on both uplinks again;
 4. evfwd exits with no mbuf leaked; nothing of the lab is left.
Times and shares go to stderr and build/underlay/results.md.
"""
import os
import statistics
import struct
import subprocess
import sys
import shutil
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "pkt"))
import evfpkt as E  # noqa: E402

E.cleanup_on_sigterm()
IP = E.IP_CMD
PFX = "evful%d" % (os.getpid() % 10000)
NS = {k: "%s-%s" % (PFX, k) for k in ("L", "H", "S1", "S2", "R")}
ME = "02:00:00:00:00:01"
R_MAC = "02:00:00:77:00:01"
H_MAC = "02:00:00:66:00:01"
RATE = 4000            # packets per second of the failover stream
FLOWS = 64
LIMIT_MS = 100
REPEATS = 3
RESULTS = os.path.join(_HERE, "..", "..", "build", "underlay", "results.md")
ETHTOOL = shutil.which("ethtool") or "/usr/sbin/ethtool"
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]

CONFIG = """
node: {name: ul, vtep-ipv4: 198.18.0.1, mac: "%(me)s"}
ports:
  - name: up0
    device: "net_af_packet0,iface=l0"
    role: network
    addresses: [198.18.10.2/30, "2001:db8:10::2/64"]
    gateways: [198.18.10.1, "2001:db8:10::1"]
    probe-interval: 15
    probe-misses: 3
  - name: up1
    device: "net_af_packet1,iface=l1"
    role: network
    addresses: [198.18.11.2/30, "2001:db8:11::2/64"]
    gateways: [198.18.11.1, "2001:db8:11::1"]
    probe-interval: 15
    probe-misses: 3
  - {name: host, device: "net_af_packet2,iface=h0", role: access}
mac-vrfs:
  - name: blue
    vni: 100
    attachments: [{port: host, vlan: untagged}]
    remote-vteps: [198.18.0.2]
    remote-macs: [{mac: "%(rmac)s", vtep: 198.18.0.2}]
workers: {count: 1}
""" % {"me": ME, "rmac": R_MAC}

SENDER = r"""
import socket, struct, sys, time
dst, rate, dur, flows, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
socks = []
for i in range(flows):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 20000 + i))
    socks.append(s)
log = bytearray()
t0 = time.monotonic()
seq = 0
while True:
    now = time.monotonic()
    if now - t0 >= dur:
        break
    due = int((now - t0) * rate)
    while seq < due:
        t = time.monotonic()
        try:
            socks[seq % flows].sendto(struct.pack("!Qd", seq, t) + b"x" * 40, (dst, 9999))
        except OSError:
            pass
        log += struct.pack("!Qd", seq, t)
        seq += 1
    time.sleep(0.0005)
open(out, "wb").write(bytes(log))
"""

# On S1's link from evfwd: the send time (the sender's clock, CLOCK_MONOTONIC
# like the test's) of the last data packet that came through S1.
TAP = r"""
import socket, struct, sys, time
ifc, out, dur = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((ifc, 0))
s.settimeout(0.2)
print("ready", flush=True)
last, n = 0.0, 0
end = time.monotonic() + dur
while time.monotonic() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    except OSError:      # the link is down (the link-down case)
        time.sleep(0.002)
        continue
    # outer IPv4 (20) / UDP 4789 / VXLAN / inner Ethernet / IPv4 / UDP 9999 / seq, time
    if len(f) >= 108 and f[23] == 17 and f[36:38] == b"\x12\xb5" and f[86:88] == b"\x27\x0f":
        t = struct.unpack("!d", f[100:108])[0]
        n += 1
        last = max(last, t)
open(out, "w").write("%r %d\n" % (last, n))
"""

# From a spine: ARP requests for evfwd's VTEP and port address; prints the
# sender MAC of each answer (or "none").
ARP_ASK = r"""
import socket, struct, sys, time
ifc, sip, targets = sys.argv[1], socket.inet_aton(sys.argv[2]), sys.argv[3:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind((ifc, 0))
me = s.getsockname()[4]
for t in targets:
    tip = socket.inet_aton(t)
    s.send(b"\xff" * 6 + me + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + me + sip
           + b"\0" * 6 + tip + b"\0" * 18)
    got, end = "none", time.monotonic() + 2
    s.settimeout(0.1)
    while time.monotonic() < end and got == "none":
        try:
            f = s.recv(100)
        except socket.timeout:
            continue
        if f[20:22] == b"\x00\x02" and f[28:32] == tip and f[32:38] == me:
            got = ":".join("%02x" % b for b in f[22:28])
    print(t, got, flush=True)
"""

RECEIVER = r"""
import socket, struct, sys, time
out, dur = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("0.0.0.0", 9999))
s.settimeout(0.2)
print("ready", flush=True)
got = bytearray()
end = time.monotonic() + dur
while time.monotonic() < end:
    try:
        d = s.recv(2048)
    except socket.timeout:
        continue
    got += d[:8]
open(out, "wb").write(bytes(got))
"""


def sh(args, ns=None, check=True):
    return E.sh(args, ns=NS[ns] if ns else None, check=check)


def log(msg):
    print("[%6.1fs] %s" % (time.monotonic() - T0, msg), file=sys.stderr, flush=True)


T0 = time.monotonic()


def veth(a, a_ns, b, b_ns, a_mac=None, b_mac=None):
    # made in the root namespace under names of this lab, then moved and renamed
    ta, tb = "%s%s" % (PFX, a), "%s%s" % (PFX, b)
    sh([IP, "link", "add", ta, "type", "veth", "peer", "name", tb])
    for t, name, ns in ((ta, a, a_ns), (tb, b, b_ns)):
        sh([IP, "link", "set", "dev", t, "netns", NS[ns]])
        sh([IP, "-n", NS[ns], "link", "set", "dev", t, "name", name])
    for name, ns, mac in ((a, a_ns, a_mac), (b, b_ns, b_mac)):
        sh(["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=%d"
            % (name, 0 if name in ("s1", "s2") else 1)], ns=ns)
        if mac:
            sh([IP, "link", "set", "dev", name, "address", mac], ns=ns)
        sh([IP, "link", "set", "dev", name, "up"], ns=ns)


def build(links):
    for k in NS:
        links.netns(NS[k])
    # IPv6 only on the spines' links to evfwd (its ND gateways); evfwd's own
    # links carry nothing of the kernel in L
    sh(["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"], ns="R")
    veth("h0", "L", "hh", "H", b_mac=H_MAC)
    veth("l0", "L", "s1", "S1", a_mac=ME)
    veth("l1", "L", "s2", "S2", a_mac=ME)
    veth("r1", "R", "sr1", "S1")
    veth("r2", "R", "sr2", "S2")
    for k in ("S1", "S2", "R"):
        sh(["sysctl", "-qw", "net.ipv4.ip_forward=1"], ns=k)
        sh(["sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0"], ns=k)
        sh(["sysctl", "-qw", "net.ipv4.conf.default.rp_filter=0"], ns=k)
        sh(["sysctl", "-qw", "net.ipv4.fib_multipath_hash_policy=1"], ns=k)
    for n, sp in ((1, "S1"), (2, "S2")):
        s, sr = "s%d" % n, "sr%d" % n
        sh([IP, "addr", "add", "198.18.1%d.1/30" % (n - 1), "dev", s], ns=sp)
        sh([IP, "addr", "add", "2001:db8:1%d::1/64" % (n - 1), "dev", s, "nodad"], ns=sp)
        sh([IP, "addr", "add", "198.18.2%d.1/30" % (n - 1), "dev", sr], ns=sp)
        sh([IP, "route", "add", "198.18.0.1/32", "via", "198.18.1%d.2" % (n - 1)], ns=sp)
        sh([IP, "route", "add", "198.18.0.2/32", "via", "198.18.2%d.2" % (n - 1)], ns=sp)
        sh([IP, "addr", "add", "198.18.2%d.2/30" % (n - 1), "dev", "r%d" % n], ns="R")
    sh([IP, "addr", "add", "198.18.0.2/32", "dev", "lo"], ns="R")
    sh([IP, "route", "add", "198.18.0.1/32", "nexthop", "via", "198.18.20.1", "nexthop", "via",
        "198.18.21.1"], ns="R")
    sh([IP, "link", "add", "vx0", "address", R_MAC, "type", "vxlan", "id", "100", "local",
        "198.18.0.2", "dstport", "4789", "nolearning"], ns="R")
    sh([IP, "link", "set", "dev", "vx0", "mtu", "1400", "up"], ns="R")
    sh(["bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "198.18.0.1"], ns="R")
    sh([IP, "addr", "add", "198.19.0.2/24", "dev", "vx0"], ns="R")
    sh([IP, "addr", "add", "198.19.0.1/24", "dev", "hh"], ns="H")
    sh([IP, "link", "set", "dev", "hh", "mtu", "1400"], ns="H")
    # H's kernel must write its UDP checksums itself: with the veth's
    # offload they would leave unfinished, and R's kernel would drop them
    sh([ETHTOOL, "-K", "hh", "tx", "off"], ns="H")
    # H reaches R's MAC without ARP: R's answers come back over R's ECMP
    # routes, through the spine a case breaks; only H -> R is measured
    sh([IP, "neigh", "replace", "198.19.0.2", "lladdr", R_MAC, "dev", "hh", "nud", "permanent"],
       ns="H")


def rx(ns, ifc):
    return int(sh(["cat", "/sys/class/net/%s/statistics/rx_packets" % ifc], ns=ns))


def stream(tag, dur, event=None, at=1.0):
    """Send dur seconds of RATE packets/s over FLOWS flows from H to R; run
    event() at `at` s. Returns (sent [(seq, t)], received seqs, T event, rx S1, rx S2)."""
    d = LAB.dir
    sl, rl = os.path.join(d, "%s.sent" % tag), os.path.join(d, "%s.recv" % tag)
    recv = subprocess.Popen([IP, "netns", "exec", NS["R"], sys.executable, "-c", RECEIVER, rl,
                             str(dur + 1.5)], stdout=subprocess.PIPE, text=True)
    if recv.stdout.readline().strip() != "ready":
        raise AssertionError("receiver did not start")
    tl = os.path.join(d, "%s.tap" % tag)
    tap = subprocess.Popen([IP, "netns", "exec", NS["S1"], sys.executable, "-c", TAP, "s1", tl,
                            str(dur + 1.5)], stdout=subprocess.PIPE, text=True)
    if tap.stdout.readline().strip() != "ready":
        raise AssertionError("tap did not start")
    a1, a2 = rx("S1", "s1"), rx("S2", "s2")
    send = subprocess.Popen([IP, "netns", "exec", NS["H"], sys.executable, "-c", SENDER,
                             "198.19.0.2", str(RATE), str(dur), str(FLOWS), sl])
    tev = None
    if event is not None:
        time.sleep(at)
        tev = time.monotonic()
        event()
    send.wait(timeout=dur + 30)
    recv.wait(timeout=dur + 30)
    tap.wait(timeout=dur + 30)
    with open(tl) as fh:
        last_s1, n_s1 = fh.read().split()
    STREAM_TAP[tag] = (float(last_s1), int(n_s1))
    b1, b2 = rx("S1", "s1"), rx("S2", "s2")
    with open(sl, "rb") as fh:
        raw = fh.read()
    sent = [struct.unpack("!Qd", raw[i:i + 16]) for i in range(0, len(raw), 16)]
    with open(rl, "rb") as fh:
        got = fh.read()
    seqs = set(struct.unpack("!Q", got[i:i + 8])[0] for i in range(0, len(got), 8))
    return sent, seqs, tev, b1 - a1, b2 - a2


STREAM_TAP = {}


def failover_ms(tag, sent, seqs, tev):
    """Time from the event until all traffic is on S2: the later of the send
    time of the last packet lost (sent after the event) and of the last
    packet that still went through S1."""
    lost = [t for s, t in sent if s not in seqs and t >= tev - 0.005]
    last_s1, _ = STREAM_TAP[tag]
    ends = ([max(lost)] if lost else []) + ([last_s1] if last_s1 > tev else [])
    return (max(ends) - tev) * 1000 if ends else 0.0, len(lost)


class UnderlayLab(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        global LAB
        cls.links = E.Links()
        LAB = cls.lab = E.Lab("underlay")
        cls.results = []
        build(cls.links)
        cls.run_ = E.LiveRun(cls.lab, CONFIG, eal_args=EAL, max_runtime=300, netns=NS["L"])
        # every gateway reachable
        cls.run_.wait_for("show underlay json", lambda out: out and
                          '"state": "incomplete"' not in "\n".join(out) and
                          '"state": "failed"' not in "\n".join(out), timeout=15)
        log("lab up in %s" % cls.lab.dir)

    @classmethod
    def tearDownClass(cls):
        try:
            res = cls.run_.quit()
            cls.final = res
        finally:
            cls.links.cleanup()
        left = E.Links.leftovers(PFX)
        os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
        with open(RESULTS, "w") as fh:
            fh.write("# underlay lab (test_underlay_lab.py)\n\n" + "\n".join(cls.results) + "\n")
        if left:
            raise AssertionError("left behind: %s" % left)

    def test_1_resolution_and_ping(self):
        # the first echo also resolves H and R (their ARP crosses evfwd)
        sh(["ping", "-c", "1", "-W", "2", "198.19.0.1"], ns="R", check=False)
        out = sh(["ping", "-c", "3", "-i", "0.2", "-W", "2", "198.19.0.1"], ns="R")
        self.assertIn("3 received", out)
        out = sh(["ping", "-c", "3", "-i", "0.2", "-W", "2", "198.19.0.2"], ns="H")
        self.assertIn("3 received", out)
        for sp, s, addr in (("S1", "s1", "198.18.10.2"), ("S2", "s2", "198.18.11.2")):
            # the route to 198.18.0.1 needs evfwd's port address resolved by ARP
            n = sh([IP, "neigh", "show", addr, "dev", s], ns=sp)
            self.assertIn("lladdr %s" % ME, n, "%s: %r" % (sp, n))
            self.assertNotIn("PERMANENT", n)
            log("%s neighbour: %s" % (sp, n.strip()))
        import json
        j = json.loads("\n".join(self.run_.cmd("show underlay json")))
        gws = {g["address"]: g for g in j["gateways"]}
        for ip, sp in (("198.18.10.1", "S1"), ("2001:db8:10::1", "S1"),
                       ("198.18.11.1", "S2"), ("2001:db8:11::1", "S2")):
            mac = sh(["cat", "/sys/class/net/s%s/address" % sp[1]], ns=sp).strip()
            self.assertEqual((gws[ip]["state"], gws[ip]["mac"], gws[ip]["in_use"]),
                             ("reachable", mac, True), gws[ip])
        # a spine asking evfwd itself: its VTEP and its port address
        for sp, s, me_ip, port_ip in (("S1", "s1", "198.18.10.1", "198.18.10.2"),
                                      ("S2", "s2", "198.18.11.1", "198.18.11.2")):
            out = sh([sys.executable, "-c", ARP_ASK, s, me_ip, "198.18.0.1", port_ip], ns=sp)
            self.assertEqual(out.split(), ["198.18.0.1", ME, port_ip, ME], out)
        j = json.loads("\n".join(self.run_.cmd("show underlay json")))
        self.assertGreaterEqual(j["arp_nd"]["arp_answered"], 4, j["arp_nd"])
        self.assertEqual(j["usable_uplinks"]["ipv4"], 2)

    def share(self, tag):
        sent, seqs, _, d1, d2 = stream(tag, 1.0)
        total = d1 + d2
        self.assertGreater(total, 0.8 * len(sent), "spines saw %d of %d" % (total, len(sent)))
        p1 = 100.0 * d1 / total
        log("%s: %d packets, S1 %.1f %%, S2 %.1f %%, lost %d" %
            (tag, len(sent), p1, 100 - p1, len(sent) - len(seqs)))
        self.results.append("- %s: %d packets of %d flows, uplink up0/S1 %.1f %%, up1/S2 %.1f %%"
                            % (tag, len(sent), FLOWS, p1, 100 - p1))
        self.assertGreater(p1, 20)
        self.assertLess(p1, 80)
        self.assertLessEqual(len(sent) - len(seqs), 5)

    def test_2_spread(self):
        self.share("spread")

    def failover(self, short, name, down, up):
        times = []
        for i in range(REPEATS):
            tag = "%s%d" % (short, i)
            sent, seqs, tev, d1, d2 = stream(tag, 2.0, event=down)
            ms, nlost = failover_ms(tag, sent, seqs, tev)
            times.append(ms)
            log("%s #%d: all on S2 after %.1f ms (%d lost; S1 saw %d data packets)" %
                (name, i + 1, ms, nlost, STREAM_TAP[tag][1]))
            up()
            self.run_.wait_for("show underlay json", lambda out: out and
                               '"state": "incomplete"' not in "\n".join(out) and
                               '"state": "failed"' not in "\n".join(out), timeout=10)
            self.share("%s #%d restored" % (name, i + 1))
        med = statistics.median(times)
        self.results.append("- failover, %s: median %.1f ms (%s ms)" %
                            (name, med, ", ".join("%.1f" % t for t in times)))
        log("%s: median %.1f ms" % (name, med))
        self.assertLess(med, LIMIT_MS, times)
        self.assertLess(max(times), 2 * LIMIT_MS, times)

    def test_3a_link_down(self):
        self.failover("link", "link down (ip link set s1 down on S1)",
                      lambda: sh([IP, "link", "set", "dev", "s1", "down"], ns="S1"),
                      lambda: sh([IP, "link", "set", "dev", "s1", "up"], ns="S1"))

    def test_3b_arp_dropped(self):
        def down():
            subprocess.run([IP, "netns", "exec", NS["S1"], "nft", "-f", "-"], check=True,
                           input="table arp evful {\n chain i {\n type filter hook input"
                                 " priority 0; policy drop;\n }\n chain o {\n type filter hook"
                                 " output priority 0; policy drop;\n }\n}\n",
                           text=True)

        self.failover("nft", "gateway stops answering ARP (nftables on S1)", down,
                      lambda: sh(["nft", "delete", "table", "arp", "evful"], ns="S1"))

    def test_3c_address_deleted(self):
        def up():
            sh([IP, "addr", "add", "198.18.10.1/30", "dev", "s1"], ns="S1")
            sh([IP, "route", "replace", "198.18.0.1/32", "via", "198.18.10.2"], ns="S1")

        self.failover("addr", "gateway address deleted on S1",
                      lambda: sh([IP, "addr", "del", "198.18.10.1/30", "dev", "s1"], ns="S1"), up)

    def test_4_counters(self):
        out = "\n".join(self.run_.cmd("show underlay"))
        log("show underlay:\n" + out)
        self.assertIn("up0", out)


if __name__ == "__main__":
    E.main()
