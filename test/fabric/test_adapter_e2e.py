#!/usr/bin/python3
"""test_adapter_e2e.py: evfwd-gobgp between one evfwd and a real gobgpd, and
what it does when things go wrong (suite "fabric"; doc/fabric.md).

  peer gobgpd A (BASE.1) <-iBGP-> leaf gobgpd B (BASE.2) <-gRPC-> evfwd-gobgp <-ring-> evfwd

evfwd (net_null ports, no traffic): MAC-VRF blue (VNI 100, EVI 10) with a
static MAC on acc0; ES-hrw (01:22:22:22:22:22:22:00:02:00, DF election HRW)
on acc1; ES-seed on acc2 with seed 003's ESI 01:11:11:11:11:11:11:00:00:01,
which gobgpd refuses.

 1. origination: B holds exactly RT3 (PMSI ingress replication, label 100,
    RD 10.0.0.2:10, RT 65000:100), the static MAC's RT2 (sticky mobility),
    ES-hrw's RT4 (ES-import, DF Election HRW), RT1 per-ES (ESI label) and
    per-EVI; nothing of ES-seed (counted as refused, warned once); A does not
    keep ES-hrw's RT4 (gobgpd drops a route with the DF Election community:
    the documented limit, warned once);
 2. intake: routes A originates reach evfwd (RT2 in VNI 100, RT3: FDB and
    flood list); an RT2 of an unknown VNI, a type-5 route and an MPLS route
    are counted by reason and never written to the ring;
 3. a manual route (evfwd-ctl push) beside the adapter survives its resync;
 4. gobgpd B killed and restarted: evfwd keeps its routes meanwhile, the
    adapter reconnects, originates everything again and resyncs its intake;
 5. the adapter killed (SIGKILL) and restarted: it finds its paths in B and
    sends none again; evfwd keeps every route;
 5b. the ring object truncated by another process: evfwd survives and serves
    a new object with its routes kept, evfwd-gobgp survives, reattaches and
    B holds the same paths again;
 6. the adapter stopped (SIGTERM): every path it originated leaves B and A.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import fabriclib as F  # noqa: E402
import evfpkt as E  # noqa: E402

BASE = "127.69.%d." % (os.getpid() % 250 + 1)
ESI_HRW = "01:22:22:22:22:22:22:00:02:00"
ESI_SEED = "01:11:11:11:11:11:11:00:00:01"
STATIC = "02:00:00:00:5a:01"
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]


def config(ring):
    return """
node: {vtep-ipv4: 198.18.0.2, mac: "%s"}
ports:
  - {name: uplink, device: "net_null0,no-rx=1", role: network, next-hop-mac: "%s"}
  - {name: acc0, device: "net_null1,no-rx=1", role: access}
  - {name: acc1, device: "net_null2,no-rx=1", role: access}
  - {name: acc2, device: "net_null3,no-rx=1", role: access}
mac-vrfs:
  - name: blue
    vni: 100
    evi: 10
    attachments: [{port: acc0, vlan: untagged}, {port: acc1, vlan: untagged},
                  {port: acc2, vlan: untagged}]
    static-macs: [{mac: "%s", port: acc0, vlan: untagged}]
ethernet-segments:
  - {name: ES-hrw, esi: "%s", interface: acc1, df-timer: 0, df-election: {algorithm: hrw}}
  - {name: ES-seed, esi: "%s", interface: acc2, df-timer: 0}
control-ring: {name: %s, hold-time: 60}
""" % (E.ME_MAC, E.NH_MAC, STATIC, ESI_HRW, ESI_SEED, ring)


class AdapterE2E(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        F.need_tools()
        cls.elab = E.Lab("fabric-adapter")
        cls.sp = F.Speakers(cls.elab.dir, BASE)
        cls.sp.gobgpd("A", 1, "10.0.0.1", rr=2)      # A and B: plain iBGP peers
        cls.sp.gobgpd("B", 2, "10.0.0.2", rr=1)
        cls.ring = "/evff-e2e-%d" % os.getpid()
        cls.evf = E.LiveRun(cls.elab, config(cls.ring), eal_args=EAL, max_runtime=600)
        cls.ring_size = os.stat("/dev/shm" + cls.ring).st_size
        cls.ad = F.Adapter(cls.elab.dir, "leaf", cls.sp.api(2), cls.ring).start()
        F.wait_until(lambda: cls.sp.neighbors(2).get(BASE + "1") in ("established", 6), 30,
                     what="the A-B session")
        F.wait_until(cls.ad.ready, 30, what="evfwd-gobgp ready")
        F.wait_until(lambda: len(cls.sp.local(2)) >= 5, 15, what="B originating")

    @classmethod
    def tearDownClass(cls):
        cls.ad.stop(signal.SIGKILL)
        try:
            if cls.evf.proc.poll() is None:
                res = cls.evf.quit()
                res.assert_no_mbuf_leak()
        finally:
            cls.sp.stop()
        left = [n for n, up in cls.sp.alive().items() if up]
        if left:
            raise AssertionError("gobgpd left running: %s" % left)

    # ------------------------------------------------------------ helpers --
    def kinds(self, n):
        out = {}
        for k in self.sp.local(n):
            if k[0] == 1:
                key = "rt1-es" if k[3] == 4294967295 else "rt1-evi"
            else:
                key = "rt%d" % k[0]
            out.setdefault(key, []).append(k)
        return out

    def rib_json(self, n):
        out = self.sp.cli(n, "global", "rib", "-a", "evpn", "-j")
        data = json.loads(out) if out.strip() and not out.startswith("Network") else {}
        return [p for plist in data.values() for p in plist]

    def fdb(self):
        return {r["Address"].lower(): r["Destination"] for r in
                E.table_rows(self.evf.cmd("show fdb")) if "Address" in r}

    def flood(self):
        for line in self.evf.cmd("show mac-vrf blue"):
            if line.strip().startswith("Flood list"):
                return line.split(":", 1)[1].split()
        return []

    def a_add(self, *words):
        self.sp.cli(1, "global", "rib", "add", "-a", "evpn", *words)

    # ------------------------------------------------------------ 1 --
    def test_1_origination(self):
        k = self.kinds(2)
        self.assertEqual(sorted(k), ["rt1-es", "rt1-evi", "rt2", "rt3", "rt4"], k)
        self.assertTrue(all(len(v) == 1 for v in k.values()), k)
        rt3 = k["rt3"][0]
        self.assertEqual(rt3[1:], ("10.0.0.2:10", "198.18.0.2", "198.18.0.2"))
        self.assertEqual(k["rt2"][0][1:3], ("10.0.0.2:10", STATIC))
        paths = {json.dumps(p["nlri"], sort_keys=True): p for p in self.rib_json(2)}
        attrs = {p["nlri"]["type"]: p["attrs"] for p in paths.values()}
        pmsi = [a for a in attrs[3] if a.get("type") == 22]
        self.assertEqual((pmsi[0]["tunnel-type"], pmsi[0]["label"], pmsi[0]["tunnel-id"]),
                         (6, 100, "198.18.0.2"), pmsi)
        ext2 = [c for a in attrs[2] if a.get("type") == 16 for c in a["value"]]
        mm = [c for c in ext2 if c.get("type") == 6 and c.get("subtype") == 0]
        self.assertTrue(mm and mm[0].get("is_sticky"), ext2)
        rts = [c for c in ext2 if c.get("subtype") == 2 and c.get("type") == 0]
        self.assertEqual([c["value"] for c in rts], ["65000:100"])
        st = self.ad.status()
        self.assertGreater(st["origin"]["refused"].get("esi-refused-by-gobgp-peers", 0), 0, st)
        log = self.ad.log()
        self.assertEqual(log.count("ESI %s is of type 1" % ESI_SEED), 1, log)
        self.assertEqual(log.count("carries the DF Election community"), 1, log)
        self.assertFalse(any(ESI_SEED.replace(":", "") in str(x) for x in self.sp.local(2)))
        # A drops the RT4 with the DF Election community (gobgpd 3.10), keeps the rest
        a = {x[0] for x, nb in self.sp.rib(1) if nb == BASE + "2"}
        self.assertEqual(a, {1, 2, 3}, self.sp.rib(1))
        with open(os.path.join(self.sp.dir, "A.log")) as fh:
            self.assertIn("unknown evpn subtype: 6", fh.read())

    # ------------------------------------------------------------ 2 --
    def test_2_intake(self):
        self.a_add("macadv", "02:00:00:00:a1:01", "0.0.0.0", "esi", "0", "etag", "0", "label",
                   "100", "rd", "10.0.0.1:10", "rt", "65000:100", "encap", "vxlan",
                   "nexthop", "198.18.0.1")
        self.a_add("multicast", "198.18.0.1", "etag", "0", "rd", "10.0.0.1:10", "rt",
                   "65000:100", "encap", "vxlan", "pmsi", "ingress-repl", "100", "198.18.0.1",
                   "nexthop", "198.18.0.1")
        self.a_add("macadv", "02:00:00:00:a1:02", "0.0.0.0", "esi", "0", "etag", "0", "label",
                   "999", "rd", "10.0.0.1:999", "rt", "65000:999", "encap", "vxlan",
                   "nexthop", "198.18.0.1")
        self.a_add("prefix", "198.19.0.0/24", "etag", "0", "label", "5000", "rd",
                   "10.0.0.1:5000", "rt", "65000:5000", "encap", "vxlan", "nexthop",
                   "198.18.0.1")
        self.a_add("macadv", "02:00:00:00:a1:03", "0.0.0.0", "esi", "0", "etag", "0", "label",
                   "100", "rd", "10.0.0.1:11", "rt", "65000:100", "encap", "mpls",
                   "nexthop", "198.18.0.1")
        F.wait_until(lambda: self.fdb().get("02:00:00:00:a1:01") == "vxlan 198.18.0.1", 10,
                     what="A's RT2 in evfwd's FDB")
        F.wait_until(lambda: "198.18.0.1(imet)" in self.flood(), 10, what="A's RT3")
        sk = F.wait_until(lambda: (lambda s: s if all(
            s.get(r, 0) >= 1 for r in ("vni-not-local", "route-type-5", "not-vxlan")) else None)(
            self.ad.status()["intake"]["skipped"]), 10, what="the skip counters")
        self.assertEqual((sk["vni-not-local"], sk["route-type-5"], sk["not-vxlan"]), (1, 1, 1), sk)
        fdb = self.fdb()
        self.assertNotIn("02:00:00:00:a1:02", fdb)
        self.assertNotIn("02:00:00:00:a1:03", fdb)
        for reason in ("vni-not-local", "route-type-5", "not-vxlan"):
            self.assertEqual(self.ad.log().count("intake: %s:" % reason), 1)

    # ------------------------------------------------------------ 3 --
    def test_3_manual_beside(self):
        r = subprocess.run([E.EVFWD.replace("/evfwd", "/evfwd-ctl"), "--ring", self.ring, "push",
                            "--wait", "rt2", "add", "vni", "100", "mac", "02:00:00:00:c0:01",
                            "vtep", "198.18.0.7"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.fdb().get("02:00:00:00:c0:01"), "vxlan 198.18.0.7")
        # the adapter resyncs (a new producer epoch): the manual route stays
        self.ad.stop(signal.SIGKILL)
        self.ad.start()
        F.wait_until(self.ad.ready, 30, what="evfwd-gobgp ready again")
        F.wait_until(lambda: "resync withdrew" in self.evf.stdout() or
                     self.ad.status()["bgp"]["resyncs"] >= 1, 10, what="the resync")
        time.sleep(0.5)
        fdb = self.fdb()
        self.assertEqual(fdb.get("02:00:00:00:c0:01"), "vxlan 198.18.0.7", fdb)
        self.assertEqual(fdb.get("02:00:00:00:a1:01"), "vxlan 198.18.0.1", fdb)

    # ------------------------------------------------------------ 4 --
    def test_4_gobgpd_restart(self):
        before = set(self.sp.local(2))
        name, p = self.sp.procs[2]
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(10)
        F.wait_until(lambda: "reconnecting" in self.ad.log(), 10, what="the adapter noticing")
        time.sleep(1.0)
        # evfwd forwards on its last state meanwhile
        self.assertEqual(self.fdb().get("02:00:00:00:a1:01"), "vxlan 198.18.0.1")
        self.sp.gobgpd("B", 2, "10.0.0.2", rr=1)
        F.wait_until(lambda: self.sp.neighbors(2).get(BASE + "1") in ("established", 6), 30,
                     what="B back up with A")
        F.wait_until(lambda: set(self.sp.local(2)) == before, 20,
                     what="B holding our routes again")
        F.wait_until(self.ad.ready, 20, what="the adapter in sync again")
        st = self.ad.status()
        self.assertGreaterEqual(st["bgp"]["connects"], 2, st["bgp"])
        F.wait_until(lambda: self.fdb().get("02:00:00:00:a1:01") == "vxlan 198.18.0.1", 10,
                     what="A's route in evfwd after the resync")
        self.assertIn("198.18.0.1(imet)", self.flood())

    # ------------------------------------------------------------ 5 --
    def test_5_adapter_kill_restart(self):
        before = set(self.sp.local(2))
        self.ad.stop(signal.SIGKILL)
        time.sleep(0.5)
        self.assertEqual(set(self.sp.local(2)), before, "paths gone with a SIGKILLed adapter")
        self.ad.start()
        F.wait_until(self.ad.ready, 30, what="evfwd-gobgp ready again")
        self.assertRegex(self.ad.log(), r"gobgpd holds %d path\(s\) of ours" % len(before))
        st = self.ad.status()
        self.assertEqual(st["origin"]["paths_added"], 0, st["origin"])
        self.assertEqual(set(self.sp.local(2)), before)
        self.assertEqual(self.fdb().get("02:00:00:00:a1:01"), "vxlan 198.18.0.1")

    # ------------------------------------------------------------ 5b --
    def test_5b_ring_shrunk(self):
        """Another process truncates the ring object: evfwd survives (no
        SIGBUS), serves a new object, keeps its routes; evfwd-gobgp detaches,
        reattaches to the new object and originates everything again."""
        before = set(self.sp.local(2))
        attaches = self.ad.status()["ring"]["attaches"]
        fdb0 = self.fdb()
        os.truncate("/dev/shm" + self.ring, 4096)
        F.wait_until(lambda: "was shrunk under evfwd" in self.evf.stderr(), 5,
                     what="evfwd replacing the object")
        self.assertIsNone(self.evf.proc.poll(), "evfwd died")
        self.assertEqual(os.stat("/dev/shm" + self.ring).st_size, self.ring_size)
        F.wait_until(lambda: self.ad.status()["ring"]["attaches"] > attaches and
                     self.ad.ready(), 20, what="evfwd-gobgp on the new object")
        st = self.ad.status()
        self.assertEqual(st["ring"]["shrunk"], 1, st["ring"])
        self.assertIsNone(self.ad.proc.poll(), "evfwd-gobgp died")
        F.wait_until(lambda: set(self.sp.local(2)) == before, 20,
                     what="B holding our routes again")
        fdb = self.fdb()
        for mac in ("02:00:00:00:a1:01", "02:00:00:00:c0:01"):  # A's route, the manual one
            self.assertEqual(fdb.get(mac), fdb0.get(mac), fdb)
        out = subprocess.run([E.EVFWD.replace("/evfwd", "/evfwd-ctl"), "--ring", self.ring,
                              "status"], stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("replaced 1 time(s)", out)

    # ------------------------------------------------------------ 6 --
    def test_6_clean_stop(self):
        self.assertEqual(self.ad.stop(signal.SIGTERM), 0)
        self.assertEqual(self.sp.local(2), set())
        F.wait_until(lambda: not any(nb == BASE + "2" for _, nb in self.sp.rib(1)), 10,
                     what="A without any of B's routes")


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
