#!/usr/bin/python3
"""test_gobgp_e2e.py: GoBGP -> scripts/gobgp_adapter.py -> evfwd (suite "ring").

Two gobgpd (Debian package gobgpd 3.10; configs a.toml and b.toml written
into a temp dir from GOBGPD_CONF below) peer over iBGP (AS 65000, router-ids
10.0.0.1 and 10.0.0.2) with the l2vpn-evpn family: A is the injector, B
feeds the adapter. So that parallel runs (and other gobgpd on this machine)
do not collide, they use loopback addresses derived from this test's PID
(BGP on port 179 of each address, gRPC API on A:50051 and B:50052). evfwd
runs with a control ring and taps for its access and network ports (scapy on
the host side of each tap, test/pkt/evfpkt.py), and the adapter is attached
to B (with --advertise for the reverse direction).

1. Adds: on A, with the gobgp CLI (`gobgp global rib add -a evpn`, next hops
   198.18.x.y, label 10100 = the MAC-VRF's VNI, ESIs in LACP and ARBITRARY
   form): RT1 per-ES (two PEs on one segment) and per-EVI, RT2 MAC-only, with
   an ESI and IPv4, with an ARBITRARY ESI and IPv6, RT3 from two VTEPs, RT4
   for our local segment, an RT5 (skipped by the adapter, counted). evfwd's
   "show fdb" (VTEP and ESI destinations with their aliasing PE sets),
   "show es" (remote segments with their PEs, the local one's RT4 peer),
   "show mac-vrf blue" (flood list) follow.
2. Traffic: a frame from a host on the access tap to a MAC learned from an
   RT2 leaves the network tap VXLAN-encapsulated to that RT2's VTEP (every
   field checked); a frame to the multihomed MAC goes to one of its PEs.
3. Reverse direction: the host MAC evfwd learned from that frame is
   advertised by the adapter into B and reaches A (macadv, next hop 198.18.0.1).
4. Withdrawals on A: everything goes away again from the FDB, the segments
   and the flood list.
5. Adapter restart: routes re-added; the adapter is killed (SIGKILL); while it
   is down one route is withdrawn on A and another added; the adapter starts
   again: evfwd's state follows (stale route swept at SYNC-END, new route in,
   the rest unchanged) and "show ring" shows one more epoch change, sync begin
   and sync end.
Every process (gobgpd, gobgp, the adapter, evfwd-ctl, evfwd, scapy) and the
temp dir, taps and the shared-memory object are removed whatever happens. A
missing gobgpd/gobgp makes the test FAIL, loudly.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ringlib as R  # noqa: E402

E = R.E
_HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER = os.environ.get("GOBGP_ADAPTER") or os.path.join(_HERE, "..", "..", "scripts",
                                                          "gobgp_adapter.py")
GOBGPD, GOBGP = shutil.which("gobgpd"), shutil.which("gobgp")
if GOBGPD is None or GOBGP is None:
    E._die("gobgpd/gobgp not found: install the Debian package gobgpd (scripts/setup-deps.sh test)")

PID = os.getpid()
NET = "127.%d.%d" % (100 + PID % 100, 1 + (PID // 100) % 250)
A_IP, B_IP = NET + ".1", NET + ".2"
A = [GOBGP, "-u", A_IP, "-p", "50051"]
B = [GOBGP, "-u", B_IP, "-p", "50052"]
VNI = 10100
HOLD = 5
HOST = "00:c1:ab:00:00:77"
ESI_L5 = "01:aa:bb:cc:dd:ee:05:00:01:00"     # LACP aa:bb:cc:dd:ee:05 key 1 (remote)
ESI_ARB = "00:00:11:22:33:44:55:66:77:88"    # ARBITRARY 00:11:..:88 (remote)
ESI_L1 = "01:aa:bb:cc:dd:ee:01:00:01:00"     # LACP aa:bb:cc:dd:ee:01 key 1 (our ES-1)
TAP_ACC, TAP_NET = "evga%d" % (PID % 100000), "evgn%d" % (PID % 100000)

# gobgpd's configuration (TOML) of one speaker: one iBGP neighbor, l2vpn-evpn
GOBGPD_CONF = """[global.config]
  as = 65000
  router-id = "{router_id}"
  port = 179
  local-address-list = ["{me}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "{peer}"
    peer-as = 65000
  [neighbors.transport.config]
    local-address = "{me}"
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 30
    keepalive-interval = 10
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
"""

COMMON = "rt 65000:100 encap vxlan"
ROUTES = {
    # name: NLRI words (also used by del) + attribute words for add
    "rt1es-l5-2": ("a-d esi LACP aa:bb:cc:dd:ee:05 1 etag 4294967295 label 0 rd 10.0.0.2:0",
                   COMMON + " esi-label 0 nexthop 198.18.0.2"),
    "rt1es-l5-3": ("a-d esi LACP aa:bb:cc:dd:ee:05 1 etag 4294967295 label 0 rd 10.0.0.3:0",
                   COMMON + " esi-label 0 nexthop 198.18.0.3"),
    "rt1evi-l5-2": ("a-d esi LACP aa:bb:cc:dd:ee:05 1 etag 0 label 10100 rd 10.0.0.2:100",
                    COMMON + " nexthop 198.18.0.2"),
    "rt1evi-l5-3": ("a-d esi LACP aa:bb:cc:dd:ee:05 1 etag 0 label 10100 rd 10.0.0.3:100",
                    COMMON + " nexthop 198.18.0.3"),
    "rt1es-arb-4": ("a-d esi ARBITRARY 00:11:22:33:44:55:66:77:88 etag 4294967295 label 0 "
                    "rd 10.0.0.4:0", COMMON + " esi-label 0 nexthop 198.18.0.4"),
    "rt1evi-arb-4": ("a-d esi ARBITRARY 00:11:22:33:44:55:66:77:88 etag 0 label 10100 "
                     "rd 10.0.0.4:100", COMMON + " nexthop 198.18.0.4"),
    "rt2-mac": ("macadv 02:00:00:00:00:01 0.0.0.0 esi 0 etag 0 label 10100 rd 10.0.0.2:100",
                COMMON + " nexthop 198.18.0.2"),
    "rt2-l5-ip4": ("macadv 02:00:00:00:00:02 192.168.10.2 esi LACP aa:bb:cc:dd:ee:05 1 etag 0 "
                   "label 10100 rd 10.0.0.2:100", COMMON + " router-mac 02:aa:00:00:00:01 "
                   "nexthop 198.18.0.2"),
    "rt2-arb-ip6": ("macadv 02:00:00:00:00:04 2001:db8::4 esi ARBITRARY 00:11:22:33:44:55:66:77:88 "
                    "etag 0 label 10100 rd 10.0.0.4:100", COMMON + " nexthop 198.18.0.4"),
    "rt3-2": ("multicast 198.18.0.2 etag 0 rd 10.0.0.2:100",
              COMMON + " pmsi ingress-repl 10100 198.18.0.2 nexthop 198.18.0.2"),
    "rt3-3": ("multicast 198.18.0.3 etag 0 rd 10.0.0.3:100",
              COMMON + " pmsi ingress-repl 10100 198.18.0.3 nexthop 198.18.0.3"),
    "rt4-l1-5": ("esi 198.18.0.5 esi LACP aa:bb:cc:dd:ee:01 1 rd 10.0.0.5:0",
                 "encap vxlan nexthop 198.18.0.5"),
    "rt5": ("prefix 10.20.0.0/24 etag 0 label 50000 rd 10.0.0.2:5000",
            "rt 65000:5000 encap vxlan router-mac 02:aa:00:00:00:01 nexthop 198.18.0.2"),
}
# what evfwd must show with every route of ROUTES in
FDB_ALL = {
    ("blue", "02:00:00:00:00:01"): "vxlan 198.18.0.2",
    ("blue", "02:00:00:00:00:02"): "esi:%s (aliasing: 198.18.0.2 198.18.0.3)" % ESI_L5,
    ("blue", "02:00:00:00:00:04"): "esi:%s (aliasing: 198.18.0.4)" % ESI_ARB,
}


def gobgp(base, *words, check=True):
    p = subprocess.run(base + list(words), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError("%s: rc %d: %s%s" % (" ".join(base + list(words)), p.returncode,
                                                   p.stdout[-500:], p.stderr[-500:]))
    return p.stdout


def inject(name, op="add"):
    nlri, attrs = ROUTES[name]
    words = ["global", "rib", op, "-a", "evpn"] + nlri.split() + (attrs.split() if op == "add" else [])
    gobgp(A, *words)


class GobgpE2E(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="evft-gobgp-")
        cls.lab = E.Lab("ring-gobgp")
        cls.links = E.Links()
        cls.ring = R.ring_name("gobgp")
        cls.status = os.path.join(cls.tmp, "adapter.json")
        cls.adapter = None
        cls.adapter_log = None
        for n, rid, me, peer in (("a", "10.0.0.1", A_IP, B_IP), ("b", "10.0.0.2", B_IP, A_IP)):
            with open(os.path.join(cls.tmp, n + ".toml"), "w") as fh:
                fh.write(GOBGPD_CONF.format(router_id=rid, me=me, peer=peer))
        cls.gobgpd, cls.logs = [], []
        for n, ip, port in (("a", A_IP, 50051), ("b", B_IP, 50052)):
            log = open(os.path.join(cls.tmp, n + ".log"), "w")
            cls.logs.append(log)
            cls.gobgpd.append(R.spawn(["timeout", "300", GOBGPD, "-f", n + ".toml", "-p",
                                       "--api-hosts", "%s:%d" % (ip, port), "--pprof-disable"],
                                      cwd=cls.tmp, stdout=log, stderr=subprocess.STDOUT))
        try:
            R.wait_until(lambda: re.search(r"^%s\s.*Establ" % re.escape(A_IP),
                                           gobgp(B, "neighbor", check=False), re.M),
                         60, interval=0.5, what="the BGP session A-B to be Established")
        except AssertionError:
            cls.tearDownClass()
            raise
        cls.links.tap(TAP_ACC)
        cls.links.tap(TAP_NET)
        config = (
            "node: {vtep-ipv4: 198.18.0.1, mac: \"%s\"}\n"
            "ports:\n"
            "  - {name: uplink, device: \"net_tap0,iface=%s\", role: network, next-hop-mac: \"%s\"}\n"
            "  - {name: acc0, device: \"net_tap1,iface=%s\", role: access}\n"
            "  - {name: lag1, device: \"net_null0,no-rx=1\", role: access}\n"
            "mac-vrfs:\n"
            "  - {name: blue, vni: %d, attachments: [{port: acc0, vlan: untagged},"
            " {port: lag1, vlan: 10}]}\n"
            "ethernet-segments:\n"
            "  - {name: ES-1, esi: \"%s\", interface: lag1, df-timer: 0}\n"
            "control-ring: {name: %s, records: 4096, hold-time: %d}\n"
            "workers: {count: 1, idle-sleep-us: 50}\n"
            % (E.ME_MAC, TAP_NET, E.NH_MAC, TAP_ACC, VNI, ESI_L1, cls.ring, HOLD))
        cls.evf = E.LiveRun(cls.lab, config, max_runtime=280)
        cls.peer = E.Peer([TAP_ACC, TAP_NET])

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "adapter", None) is not None:
            R.kill(cls.adapter)
        if getattr(cls, "peer", None) is not None:
            cls.peer.close()
        if getattr(cls, "evf", None) is not None:
            try:
                res = cls.evf.quit()
                res.assert_no_mbuf_leak()
            finally:
                cls.evf.close()
        for p in getattr(cls, "gobgpd", []):
            R.kill(p)
        R.cleanup()
        for f in getattr(cls, "logs", []) + [getattr(cls, "adapter_log", None)]:
            if f is not None:
                f.close()
        if getattr(cls, "links", None) is not None:
            cls.links.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- helpers ----
    @classmethod
    def start_adapter(cls):
        if cls.adapter_log is not None:
            cls.adapter_log.close()
        cls.adapter_log = open(os.path.join(cls.tmp, "adapter.log"), "a")
        cls.adapter = R.spawn([sys.executable, ADAPTER, "--gobgp-host", B_IP, "--gobgp-port", "50052",
                               "--ring", cls.ring, "--evfwd-ctl", R.EVFWD_CTL, "--status-file",
                               cls.status, "--heartbeat", "1", "--advertise", "--nexthop",
                               "198.18.0.1", "--rd-admin", "10.0.0.2", "--rt-asn", "65000",
                               "--verbose"], stdout=cls.adapter_log, stderr=subprocess.STDOUT)

    def adapter_status(self):
        try:
            with open(self.status) as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return {}

    def wait_synced(self, syncs):
        R.wait_until(lambda: self.adapter_status().get("syncs", 0) >= syncs and
                     self.adapter_status().get("pid") == self.adapter.pid, 60, interval=0.2,
                     what="adapter sync #%d" % syncs)

    def fdb(self):
        return R.fdb_evpn(self.evf.cmd("show fdb"))

    def wait_fdb(self, expect, what, timeout=30):
        last = {}

        def ok():
            last["fdb"] = self.fdb()
            return last["fdb"] == expect
        try:
            R.wait_until(ok, timeout, interval=0.3, what=what)
        except AssertionError:
            self.fail("%s: show fdb %s, expected %s\nadapter: %s" % (what, last.get("fdb"), expect,
                                                                     self.adapter_status()))

    def es_rows(self):
        return {r["ESI"]: r for r in R.table(self.evf.cmd("show es"), "Name")}

    def flood(self):
        for ln in self.evf.cmd("show mac-vrf blue"):
            if "Flood list" in ln:
                return sorted(re.findall(r"(\d+\.\d+\.\d+\.\d+)\(", ln))
        self.fail("no flood list line in show mac-vrf blue")

    def local_peers(self):
        text = "\n".join(self.evf.cmd("show es ES-1"))
        m = re.search(r"Peers for local bias\s*: (.*)", text)
        return m.group(1).strip() if m else None

    def send_and_capture(self, dst, n=3):
        before = len(self.peer.captured(TAP_NET))
        frames = [E.host_frame(HOST, dst, sport=2000 + k, size=120) for k in range(n)]
        self.peer.send(TAP_ACC, frames)
        got = []

        def arrived():
            got[:] = [f for f in self.peer.captured(TAP_NET)[before:]
                      if len(f) > 50 and f[12:14] == b"\x08\x00" and f[23] == 17]
            return len(got) >= n
        R.wait_until(arrived, 10, interval=0.1, what="%d VXLAN frames to %s" % (n, dst))
        return frames, got

    # ---- the scenario (one test: the steps depend on each other) ----
    def test_e2e(self):
        self.start_adapter()
        self.wait_synced(1)
        ring0 = R.show_ring(self.evf.cmd("show ring"))
        self.assertEqual(ring0.get("sync_begin"), 1, ring0["text"])

        # 1. adds
        for name in ROUTES:
            inject(name)
        self.wait_fdb(FDB_ALL, "FDB after the adds")
        es = self.es_rows()
        self.assertIn(ESI_L5, es, es)
        self.assertEqual(es[ESI_L5]["Type"], "remote")
        self.assertEqual(es[ESI_L5]["PEs (RT1 per-ES)"], "198.18.0.2,198.18.0.3")
        self.assertEqual(es[ESI_ARB]["PEs (RT1 per-ES)"], "198.18.0.4")
        self.assertEqual(self.flood(), ["198.18.0.2", "198.18.0.3"])
        R.wait_until(lambda: self.local_peers() == "198.18.0.5", 10, interval=0.3,
                     what="the RT4 peer of ES-1")
        ring = R.show_ring(self.evf.cmd("show ring"))
        self.assertEqual(ring["rejected"].get("route-rejected", 0), 0, ring["text"])
        st = self.adapter_status()
        R.wait_until(lambda: self.adapter_status().get("skipped", {}).get("type5") == 1, 10,
                     what="the adapter to count the RT5 as skipped")

        # 2. traffic: to the single-homed MAC -> 198.18.0.2; to the ES MAC -> one of its PEs
        sent, got = self.send_and_capture("02:00:00:00:00:01")
        for s, g in zip(sent, got):
            E.assert_vxlan(g, inner=s, vni=VNI, dst_ip="198.18.0.2", what="to 02:00:00:00:00:01")
        sent, got = self.send_and_capture("02:00:00:00:00:02", n=8)
        for s, g in zip(sent, got):
            f = E.parse_vxlan(g)
            self.assertIn(f["ip_dst"], ("198.18.0.2", "198.18.0.3"))
            self.assertEqual(f["inner"], s)
            self.assertEqual(f["vni"], VNI)

        # 3. reverse: our host MAC, learned on acc0, reaches A as a macadv from B
        R.wait_until(lambda: HOST in gobgp(A, "global", "rib", "-a", "evpn"), 20, interval=0.5,
                     what="the learned MAC %s advertised to A" % HOST)
        rib_a = json.loads(gobgp(A, "global", "rib", "-a", "evpn", "-j") or "{}")
        adv = [p for k, ps in rib_a.items() if HOST in k for p in ps]
        self.assertTrue(adv)
        nh = [a.get("nexthop") for a in adv[0]["attrs"] if a.get("type") == 14]
        self.assertEqual(nh, ["198.18.0.1"])
        self.assertEqual(adv[0]["nlri"]["value"]["labels"], [VNI])

        # 4. withdrawals
        for name in ROUTES:
            inject(name, "del")
        self.wait_fdb({}, "FDB after the withdrawals")
        R.wait_until(lambda: self.flood() == [], 10, interval=0.3, what="an empty flood list")
        R.wait_until(lambda: self.local_peers() == "-", 10, interval=0.3, what="no RT4 peer")
        es = self.es_rows()
        for esi in (ESI_L5, ESI_ARB):
            if esi in es:
                self.assertEqual(es[esi]["PEs (RT1 per-ES)"], "-", es[esi])
        ring = R.show_ring(self.evf.cmd("show ring"))
        self.assertEqual(ring["rejected"].get("route-rejected", 0), 0, ring["text"])

        # 5. adapter restart with changes while it is down
        keep = ["rt1es-l5-2", "rt1es-l5-3", "rt1evi-l5-2", "rt1evi-l5-3", "rt2-mac", "rt2-l5-ip4",
                "rt3-2", "rt3-3", "rt4-l1-5"]
        for name in keep:
            inject(name)
        expect = {k: v for k, v in FDB_ALL.items() if k[1] != "02:00:00:00:00:04"}
        self.wait_fdb(expect, "FDB after the re-adds")
        before = R.show_ring(self.evf.cmd("show ring"))
        R.kill(self.adapter, signal.SIGKILL)
        inject("rt2-mac", "del")          # withdrawn while the adapter is down
        inject("rt2-arb-ip6")             # added while it is down (its segment has no RT1 now)
        inject("rt1es-arb-4")
        inject("rt1evi-arb-4")
        time.sleep(1)
        self.assertEqual(self.fdb(), expect, "evfwd changed while no producer was attached")
        self.start_adapter()
        self.wait_synced(1)
        expect2 = dict(expect)
        del expect2[("blue", "02:00:00:00:00:01")]
        expect2[("blue", "02:00:00:00:00:04")] = FDB_ALL[("blue", "02:00:00:00:00:04")]
        self.wait_fdb(expect2, "FDB after the adapter restart")
        after = R.show_ring(self.evf.cmd("show ring"))
        self.assertEqual(after["epochs"], before["epochs"] + 1, after["text"])
        self.assertEqual(after["sync_begin"], before["sync_begin"] + 1, after["text"])
        self.assertEqual(after["sync_end"], before["sync_end"] + 1, after["text"])
        self.assertEqual(after["hold_expiries"], before["hold_expiries"], after["text"])
        self.assertGreaterEqual(after["swept"], before["swept"] + 1, after["text"])
        self.assertFalse(after["resync"] or after["hold_timer"], after["text"])
        self.assertEqual(self.flood(), ["198.18.0.2", "198.18.0.3"])
        self.assertEqual(self.local_peers(), "198.18.0.5")
        es = self.es_rows()
        self.assertEqual(es[ESI_L5]["PEs (RT1 per-ES)"], "198.18.0.2,198.18.0.3")
        sent, got = self.send_and_capture("02:00:00:00:00:04", n=2)
        for s, g in zip(sent, got):
            E.assert_vxlan(g, inner=s, vni=VNI, dst_ip="198.18.0.4", what="to 02:00:00:00:00:04")
        sys.stderr.write("adapter status: %s\nshow ring after the restart:\n%s\n"
                         % (json.dumps(self.adapter_status(), sort_keys=True), after["text"]))


if __name__ == "__main__":
    E.main()
