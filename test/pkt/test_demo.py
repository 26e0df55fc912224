#!/usr/bin/python3
"""test_demo.py: README command 1, scripts/demo.sh, run as a user runs it.

demo.sh installs what is missing (scripts/setup-deps.sh demo: nothing when
the test packages are there, so no network is used), builds (a no-op on an
up-to-date build/), writes the demo traffic (scripts/demo_traffic.py) into
build/demo/ and runs evfwd on conf/demo.yaml with conf/demo.cmds, which ends
in quit. Everything it prints and writes is checked against its own inputs:

  * host1 gets exactly H2's 200 ICMP replies, the 200 VXLAN VNI 100 frames for
    H1 decapsulated (byte-identical) and the 200 VNI 200 frames for H1R with
    802.1Q tag 20 pushed; host2 gets H1's 200 ARP broadcasts and 200 pings,
    plus at most one copy of the VNI 100 frames flooded before H1 was learned;
  * the uplink carries exactly the 200 VLAN 20 TCP frames to 198.18.0.2 in VNI
    200 (static remote MAC) and, in VNI 100, the same inner frames to both
    198.18.0.1 and 198.18.0.2: all 200 ARP broadcasts plus the pings flooded
    before learning; every outer header field checked; tshark agrees and
    finds the same inner frames;
  * drops exactly 10 bad-flags and 10 unknown-vni; port counters equal the
    pcaps; the FDB, MAC-VRF, VTEP, port info, workers and learning tables;
    0 mbufs in use after stop.

The run's stdout and pcaps are copied into the lab directory (kept when a
check fails, or with EVFPKT_KEEP=1).
"""
import collections
import os
import shutil
import signal
import subprocess
import types

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import tag  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEMO = os.path.join(ROOT, "scripts", "demo.sh")
OUT = os.path.join(ROOT, "build", "demo")
DEMO_TIMEOUT = 600   # a build from scratch included

# conf/demo.yaml and scripts/demo_traffic.py
ME_MAC, NH_MAC, ME_IP = "02:00:00:00:00:10", "02:00:00:00:00:fe", "198.18.0.10"
V1, V2 = "198.18.0.1", "198.18.0.2"
H1, H2, H1R = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:02:11"
R1, RR = "00:c1:ab:00:01:31", "00:c1:ab:00:02:01"
CMDS = ["wait idle 300", "show port info", "show port stats all", "show mac-vrf",
        "show mac-vrf blue", "show fdb", "show vteps", "show drops", "show workers",
        "show learning", "quit"]


def src(f):
    return E.mac_str(f[6:12])


def dst(f):
    return E.mac_str(f[0:6])


def subsequence_in_order(seq, sub):
    """sub appears in seq in this order (not necessarily contiguous)."""
    it = iter(seq)
    return all(any(x == y for y in it) for x in sub)


class Demo(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("demo")
        proc = subprocess.Popen(["bash", DEMO], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=DEMO_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            cls.lab.failed = True
            raise AssertionError("scripts/demo.sh did not finish within %d s\n%s\n%s"
                                 % (DEMO_TIMEOUT, out[-6000:], err[-3000:]))
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        with open(os.path.join(cls.lab.dir, "stdout.txt"), "w") as fh:
            fh.write(out)
        with open(os.path.join(cls.lab.dir, "stderr.txt"), "w") as fh:
            fh.write(err)
        if proc.returncode != 0:
            cls.lab.failed = True
            hint = ""
            if "build: build/app/evfwd ready" not in out:
                hint = ("\n(scripts/build.sh did not finish; it sends ninja's output to "
                        "/dev/null: run 'ninja -C build' to see why)")
            raise AssertionError("scripts/demo.sh exited with %d%s\n---- stdout ----\n%s\n"
                                 "---- stderr ----\n%s" % (proc.returncode, hint, out[-6000:],
                                                           err[-3000:]))
        for p in ("uplink", "host1", "host2"):
            for d in ("in", "out"):
                name = "%s_%s.pcap" % (p, d)
                if not os.path.exists(os.path.join(OUT, name)):
                    cls.lab.failed = True
                    raise AssertionError("demo.sh wrote no %s" % os.path.join(OUT, name))
                shutil.copy(os.path.join(OUT, name), cls.lab.dir)
        cls.res = E.Result(cls.lab, cls.lab.dir, ["uplink", "host1", "host2"], [DEMO],
                           types.SimpleNamespace(returncode=0, stdout=out, stderr=err), CMDS)
        cls.inp = {p: E.read_pcap(os.path.join(cls.lab.dir, "%s_in.pcap" % p))
                   for p in ("uplink", "host1", "host2")}
        h1 = cls.inp["host1"]
        cls.arp = [f for f in h1 if dst(f) == "ff:ff:ff:ff:ff:ff"]
        cls.ping12 = [f for f in h1 if dst(f) == H2]
        cls.tcp20 = [f for f in h1 if dst(f) == RR]
        cls.ping21 = list(cls.inp["host2"])
        vx = [E.parse_vxlan(p) for p in cls.inp["uplink"]]
        cls.to_h1 = [v["inner"] for v in vx if v["vni"] == 100 and v["vx_flags"] == 0x08]
        cls.to_h1r = [v["inner"] for v in vx if v["vni"] == 200]
        cls.unknown_vni = [v for v in vx if v["vni"] == 999]
        cls.flags0 = [v for v in vx if v["vx_flags"] == 0]

    def test_0_demo_prints_its_steps(self):
        lines = self.res.stdout.splitlines()
        self.assertIn("build: build/app/evfwd ready", lines)
        self.assertIn("demo traffic: 600 + 200 frames on access ports, 420 VXLAN packets on "
                      "the uplink", lines)
        self.assertEqual([c for c, _ in self.res.sections], CMDS)

    def test_1_traffic_is_what_the_demo_says(self):
        self.assertEqual((len(self.arp), len(self.ping12), len(self.tcp20)), (200, 200, 200))
        self.assertEqual(len(self.ping21), 200)
        self.assertEqual((len(self.to_h1), len(self.to_h1r), len(self.unknown_vni),
                          len(self.flags0)), (200, 200, 10, 10))
        self.assertTrue(all(dst(f) == H1 and src(f) == R1 for f in self.to_h1))
        self.assertTrue(all(dst(f) == H1R and src(f) == RR for f in self.to_h1r))

    def test_2_host1_output(self):
        out = self.res.out("host1")
        exp = self.ping21 + self.to_h1 + [tag(f, 20) for f in self.to_h1r]
        self.assertFrames(out, exp, "host1 output", ordered=False)
        for what, sub in (("pings from H2", self.ping21), ("VNI 100 to H1", self.to_h1),
                          ("VNI 200 to H1R", [tag(f, 20) for f in self.to_h1r])):
            self.assertTrue(subsequence_in_order(out, sub), "host1: %s out of order" % what)
        E.assert_tshark_frames(self.res.pcap("host1"), out, "tshark on host1")

    def test_3_host2_output(self):
        out = self.res.out("host2")
        cnt, want = collections.Counter(out), collections.Counter(self.arp + self.ping12)
        for f, n in want.items():   # the ARP requests repeat (3 targets)
            self.assertEqual(cnt[f], n, "host2: %s... %d times, sent %d times"
                             % (f[:24].hex(), cnt[f], n))
        rest = collections.Counter(out) - collections.Counter(self.arp + self.ping12)
        # unknown unicast floods of VNI 100 before H1 was learned, once each at most
        allowed = collections.Counter(self.to_h1)
        self.assertFalse(rest - allowed, "host2 got unexpected frames: %s"
                         % E.multiset_diff(list((rest - allowed).elements()), []))
        self.assertTrue(subsequence_in_order(out, self.arp), "host2: ARP out of order")
        E.assert_tshark_frames(self.res.pcap("host2"), out, "tshark on host2")

    def uplink(self):
        got = collections.defaultdict(list)
        for n, pkt in enumerate(self.res.out("uplink")):
            f = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=f["inner"], vni=f["vni"], dst_ip=f["ip_dst"], src_ip=ME_IP,
                           outer_src_mac=ME_MAC, outer_dst_mac=NH_MAC,
                           what="uplink packet #%d" % n)
            got[(f["vni"], f["ip_dst"])].append(f["inner"])
        return got

    def test_4_uplink_output(self):
        got = self.uplink()
        self.assertEqual(sorted(got), [(100, V1), (100, V2), (200, V2)])
        self.assertFrames(got[(200, V2)], [f[:12] + f[16:] for f in self.tcp20],
                          "VNI 200 to 198.18.0.2 (tag 20 removed)")
        self.assertFrames(got[(100, V1)], got[(100, V2)], "VNI 100: same copies to both VTEPs")
        blue = got[(100, V1)]
        self.assertTrue(subsequence_in_order(blue, self.arp), "ARP broadcasts out of order")
        rest = collections.Counter(blue) - collections.Counter(self.arp)
        self.assertEqual(sum(collections.Counter(blue).values()) - sum(rest.values()), 200,
                         "not every ARP broadcast went to the VTEPs")
        pings = collections.Counter(self.ping12 + self.ping21)
        self.assertFalse(rest - pings, "VNI 100 frames that are neither ARP nor pings "
                         "flooded before learning")

    def test_5_tshark_uplink(self):
        rows = E.tshark_vxlan(self.res.pcap("uplink"))
        self.assertEqual(len(rows), len(self.res.out("uplink")))
        for r in rows:
            self.assertEqual(r["ip_cksum"], E.CKSUM_GOOD, r)
            self.assertEqual(r["udp_cksum"], E.CKSUM_NOT_PRESENT, r)
            self.assertEqual(r["ip_src"], ME_IP, r)
            self.assertIn((r["vni"], r["ip_dst"]), [("100", V1), ("100", V2), ("200", V2)], r)
        E.assert_tshark_inner(rows, [E.parse_vxlan(p)["inner"] for p in self.res.out("uplink")],
                              "tshark inner frames on the uplink")

    def test_6_counters(self):
        self.res.assert_drops({"bad-flags": 10, "unknown-vni": 10})
        for p in ("uplink", "host1", "host2"):
            c = self.res.ports[p]
            self.assertEqual(c["rx_packets"], len(self.inp[p]), p)
            self.assertEqual(c["rx_bytes"], sum(len(f) for f in self.inp[p]), p)
            self.assertEqual(c["tx_packets"], len(self.res.out(p)), p)
            self.assertEqual(c["tx_bytes"], sum(len(f) for f in self.res.out(p)), p)
            self.assertEqual(c["dropped"], 20 if p == "uplink" else 0, p)
        self.assertEqual(self.res.drops_in(0), {"bad-flags": 10, "unknown-vni": 10})
        # "show port stats all" after "wait idle" already saw everything
        rows = {r["Port"]: r for r in self.res.table("show port stats all")}
        for p in ("uplink", "host1", "host2"):
            self.assertEqual(int(rows[p]["RX-packets"]), self.res.ports[p]["rx_packets"], p)
            self.assertEqual(int(rows[p]["TX-packets"]), self.res.ports[p]["tx_packets"], p)

    def test_7_tables(self):
        self.assertEqual(self.res.fdb_map(), {("blue", H1): "host1", ("blue", H2): "host2",
                                              ("red", RR): "vxlan 198.18.0.2",
                                              ("red", H1R): "host1.20"})
        types_ = {(r["MAC-VRF"], r["Address"]): r["Type"] for r in self.res.fdb()}
        self.assertEqual(types_[("red", RR)], "static")
        self.assertEqual(types_[("blue", H1)], "learnt")
        vteps = {r["VTEP"]: (r["MACs"], r["Flood in"]) for r in self.res.table("show vteps")}
        self.assertEqual(vteps, {V1: ("0", "blue"), V2: ("1", "blue,red")})
        bds = {r["MAC-VRF"]: (r["VNI"], r["Attachments"], r["Remote VTEPs"], r["Learned"],
                              r["Static"]) for r in self.res.table("show mac-vrf")}
        self.assertEqual(bds, {"blue": ("100", "2", "2", "2", "0"),
                               "red": ("200", "1", "1", "1", "1")})
        detail = self.res.outputs_of("show mac-vrf blue")[0]
        self.assertIn("  Flood list (VTEPs) : 198.18.0.1(static) 198.18.0.2(static)", detail)
        self.assertIn("  Attachments        : host1 host2", detail)
        info = {r["Port"]: (r["Role"], r["MTU"]) for r in self.res.table("show port info")}
        self.assertEqual(info, {"uplink": ("network", "9000"), "host1": ("access", "1500"),
                                "host2": ("access", "1500")})
        workers = self.res.table("show workers")
        self.assertEqual(len(workers), 1)
        self.assertEqual(int(workers[0]["Packets"]), 420 + 600 + 200)
        learning = self.res.outputs_of("show learning")[0][0]
        self.assertIn("learned 3,", learning)

    def test_8_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
