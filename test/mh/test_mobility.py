#!/usr/bin/python3
"""test_mobility.py: MAC mobility (RFC 7432 section 15) and duplicate detection.

evfwd is leaf1 (198.18.0.1), MAC-VRF mac-vrf-1 (VNI 1) with mac-duplication
{num-moves: 3, monitoring-window: 60, hold-down: 0 (until cleared)}. Host M
(ce2's first MAC) moves; hosts T1..T6 send to M, one access port each, and M
sends to a static remote MAC R (behind 198.18.0.9), one access port per
appearance, so every phase is its own input and nothing is flooded:

  1. m1: M learned locally: show fdb "m1 learnt Seq 0", event mac-learned seq 0;
     t1: T1 -> M delivered on m1.
  2. RT2 for M from 198.18.0.2 with seq 1: M is remote (show fdb "vxlan
     198.18.0.2", evpn, Seq 1), event mac-moved; t2: T2 -> M is VXLAN to .2.
  3. m2: M seen on an access port again: local with seq 2 (show fdb Seq 2,
     event mac-learned seq 2); t3: T3 -> M delivered on m2.
  4. RT2 for M from 198.18.0.3 with seq 3: third move in the window: frozen
     (show fdb Flags frozen, event mac-frozen), at .3.
  5. m3: M on an access port again and an RT2 with seq 4 from .2: both
     ignored (still .3, frozen); t4: T4 -> M is VXLAN to .3.
  6. clear mac-duplication: "1 frozen MAC(s) released.", event mac-unfrozen;
     M follows its best route (seq 4 from .2); t5: T5 -> M is VXLAN to .2.
  7. m4: M local again with seq 5; t6: T6 -> M delivered on m4.
Every VXLAN field is checked; no drops; no mbuf leaked.

A second run (DuplicateRemoteFlaps) checks duplicate detection on its own,
with moves that come from routes only: M learned on m1 (seq 0), then RT2s
from .2 (seq 1), .3 (seq 2), .2 (seq 3): the third move freezes M at .2
(show fdb frozen, event mac-frozen); an RT2 with seq 4 from .3 and frames
from M on m2 change nothing (t1: T1 -> M is VXLAN to .2); clear
mac-duplication releases it to its best route, seq 4 from .3 (t2: VXLAN to
.3).
"""
import collections
import sys

sys.dont_write_bytecode = True
import os  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mhlib as M  # noqa: E402
from mhlib import E, CE2, LEAF  # noqa: E402

L1, L2, L3 = LEAF[1], LEAF[2], LEAF[3]
MAC = CE2[0]                     # the host that moves
R, R_VTEP = "00:c1:ab:00:09:99", "198.18.0.9"
T = ["00:c1:ab:00:02:%02x" % k for k in range(1, 7)]
MPORTS = ["m1", "m2", "m3", "m4"]
TPORTS = ["t1", "t2", "t3", "t4", "t5", "t6"]

CONFIG = (M.node_yaml("leaf1", L1) + "ports:\n" + M.port_yaml("uplink", "network", False) +
          "".join(M.port_yaml(p, enabled=False) for p in MPORTS + TPORTS) + """\
mac-vrfs:
  - name: mac-vrf-1
    vni: 1
    mac-duplication: {num-moves: 3, monitoring-window: 60, hold-down: 0}
    remote-macs:
      - {mac: "%s", vtep: %s}
    attachments:
""" % (R, R_VTEP) + "".join("      - {port: %s, vlan: untagged}\n" % p for p in MPORTS + TPORTS) +
          M.workers_yaml())

W = "wait idle 300"
EV = "show events 100"
MOB_CMDS = [
    "port start uplink",
    "port start m1", W, "show fdb", EV,                                      # fdb 0, ev 0
    "port start t1", W,
    M.rt2(1, MAC, L2, seq=1), "show fdb", EV,                                 # fdb 1, ev 1
    "port start t2", W,
    "port start m2", W, "show fdb", EV,                                       # fdb 2, ev 2
    "port start t3", W,
    M.rt2(1, MAC, L3, seq=3), "show fdb", EV,                                 # fdb 3, ev 3
    "port start m3", W, M.rt2(1, MAC, L2, seq=4), "show fdb",                 # fdb 4
    "port start t4", W,
    "clear mac-duplication", "show fdb", EV,                                  # fdb 5, ev 4
    "port start t5", W,
    "port start m4", W, "show fdb", EV,                                       # fdb 6, ev 5
    "port start t6", W,
    "show learning", "show drops", "quit"]


def inputs():
    d = {}
    for k, p in enumerate(MPORTS):
        d[p] = [E.host_frame(MAC, R, M.CE2_IP, "192.168.0.99", 9000 + 10 * k + i, 53, size=72,
                             payload=b"from-m%d-%d" % (k, i)) for i in range(3)]
    for k, p in enumerate(TPORTS):
        d[p] = [E.host_frame(T[k], MAC, "192.168.0.%d" % (30 + k), M.CE2_IP, 8000 + 10 * k + i,
                             80, size=84) for i in range(4)]
    return d


class _Base:
    PORTS = MPORTS + TPORTS
    CMDS = MOB_CMDS

    @classmethod
    def setUpClass(cls):
        inp = inputs()
        cls.inp = {p: inp[p] for p in cls.PORTS}
        cls.lab = E.Lab("mh-" + cls.__name__.lower())
        cls.res = cls.lab.run(CONFIG, cls.inp, cmds=cls.CMDS)
        cls.up = collections.defaultdict(list)   # inner source MAC -> [(vtep, packet)]
        for pkt in cls.res.out("uplink"):
            p = E.parse_vxlan(pkt)
            cls.up[E.mac_str(p["inner"][6:12])].append((p["ip_dst"], pkt))

    def row(self, i):
        r = M.fdb_row(self.res, MAC, i)
        self.assertIsNotNone(r, "M missing from show fdb #%d" % i)
        return r

    def ev(self, i, typ):
        return [e for e in M.events(self.res, i, EV) if e[1] == typ and e[2].get("mac") == MAC]

    def test_m_frames_to_r(self):
        # M's own frames always go to R's VTEP, whatever M's state
        got = self.up.get(MAC, [])
        self.assertEqual({v for v, _ in got}, {R_VTEP})
        sent = [f for p in MPORTS if p in self.inp for f in self.inp[p]]
        self.assertFrames([E.parse_vxlan(f)["inner"] for _, f in got], sent, "M's frames to R",
                          ordered=False)

    def test_counters(self):
        self.res.assert_drops({})
        for p in TPORTS:
            if p in self.inp:
                self.assertFrames(self.res.out(p), [], "%s output" % p)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class Mobility(_Base, E.EvfTestCase):

    def where(self, k):
        """Where T(k+1)'s frames to M went: a port name or 'vxlan IP' (one place)."""
        sent = self.inp[TPORTS[k]]
        places = []
        for p in MPORTS:
            got = [f for f in self.res.out(p) if f in sent]
            if got:
                self.assertFrames(got, sent, "T%d's frames on %s" % (k + 1, p))
                places.append(p)
        vx = self.up.get(T[k], [])
        for ip in sorted({v for v, _ in vx}):
            pk = [f for v, f in vx if v == ip]
            for n, f in enumerate(pk):
                E.assert_vxlan(f, inner=E.parse_vxlan(f)["inner"], vni=1, dst_ip=ip, src_ip=L1,
                               what="T%d -> M packet #%d" % (k + 1, n))
            self.assertFrames([E.parse_vxlan(f)["inner"] for f in pk], sent,
                              "T%d's frames to %s" % (k + 1, ip), ordered=False)
            places.append("vxlan " + ip)
        self.assertEqual(len(places), 1, "T%d's frames went to %s" % (k + 1, places))
        return places[0]

    def test_1_learned_local_seq0(self):
        r = self.row(0)
        self.assertEqual((r["Destination"], r["Type"], r["Seq"], r["Flags"]),
                         ("m1", "learnt", "0", "-"))
        ev = self.ev(0, "mac-learned")
        self.assertEqual([e[2]["seq"] for e in ev], ["0"], "mac-learned events for M")
        self.assertEqual(self.where(0), "m1")

    def test_2_rt2_seq1_moves_it_remote(self):
        r = self.row(1)
        self.assertEqual((r["Destination"], r["Type"]), ("vxlan " + L2, "evpn"))
        self.assertEqual(len(self.ev(1, "mac-moved")), 1, "mac-moved event for M")
        self.assertEqual(self.where(1), "vxlan " + L2)

    def test_2b_remote_entry_shows_route_seq(self):
        # the MAC now follows the RT2 with sequence 1
        self.assertEqual(self.row(1)["Seq"], "1", "Seq of M while it follows the seq-1 route")

    def test_3_local_again_seq2(self):
        r = self.row(2)
        self.assertEqual((r["Destination"], r["Type"], r["Seq"]), ("m2", "learnt", "2"),
                         "M after frames from m2 (remote with seq 1 before)")
        ev = self.ev(2, "mac-learned")
        self.assertEqual([e[2]["seq"] for e in ev], ["0", "2"], "mac-learned events for M")
        self.assertEqual(self.where(2), "m2")

    def after_step3(self):
        """Steps 4, 5 and 7 count on step 3 (M local again, the second move)."""
        r = self.row(2)
        if r["Destination"] != "m2":
            self.fail("precondition: step 3 left M at '%s', not local on m2 (see "
                      "test_3_local_again_seq2); the move count below is off" % r["Destination"])

    def test_4_third_move_freezes(self):
        self.after_step3()
        r = self.row(3)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L3, "frozen"))
        self.assertEqual(len(self.ev(3, "mac-frozen")), 1, "mac-frozen event for M")

    def test_5_frozen_ignores_moves(self):
        self.after_step3()
        r = self.row(4)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L3, "frozen"),
                         "M after frames from m3 and an RT2 with seq 4 while frozen")
        self.assertEqual(self.where(3), "vxlan " + L3)
        self.assertEqual(M.route_replies(self.res)[2][1], "applied", "the seq-4 RT2 is kept")

    def test_6_clear_releases(self):
        out = "\n".join(M.show(self.res, "clear mac-duplication"))
        self.assertIn("1 frozen MAC(s) released.", out)
        r = self.row(5)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L2, "-"),
                         "M after clear: its best route (seq 4 from leaf2)")
        self.assertEqual(len(self.ev(4, "mac-unfrozen")), 1, "mac-unfrozen event for M")
        self.assertEqual(self.where(4), "vxlan " + L2)

    def test_7_moves_again_after_release(self):
        self.after_step3()
        r = self.row(6)
        self.assertEqual((r["Destination"], r["Type"], r["Seq"], r["Flags"]),
                         ("m4", "learnt", "5", "-"))
        self.assertEqual(self.where(5), "m4")



DUP_CMDS = [
    "port start uplink", "port start m1", W, "show fdb",                     # fdb 0
    M.rt2(1, MAC, L2, seq=1), M.rt2(1, MAC, L3, seq=2), "show fdb",           # fdb 1
    M.rt2(1, MAC, L2, seq=3), "show fdb", EV,                                 # fdb 2, ev 0
    M.rt2(1, MAC, L3, seq=4), "port start m2", W, "show fdb",                 # fdb 3
    "port start t1", W,
    "clear mac-duplication", "show fdb", EV,                                  # fdb 4, ev 1
    "port start t2", W, "show drops", "quit"]


class DuplicateRemoteFlaps(_Base, E.EvfTestCase):
    """Duplicate detection with route-driven moves only (see the module text)."""
    PORTS = ["m1", "m2", "t1", "t2"]
    CMDS = DUP_CMDS

    def where(self, k):
        sent = self.inp[TPORTS[k]]
        for p in ("m1", "m2"):
            self.assertFrames([f for f in self.res.out(p) if f in sent], [],
                              "T%d's frames on %s" % (k + 1, p))
        vx = self.up.get(T[k], [])
        ips = sorted({v for v, _ in vx})
        self.assertEqual(len(ips), 1, "T%d's frames went to %s" % (k + 1, ips))
        for n, (ip, f) in enumerate(vx):
            E.assert_vxlan(f, inner=E.parse_vxlan(f)["inner"], vni=1, dst_ip=ip, src_ip=L1,
                           what="T%d -> M packet #%d" % (k + 1, n))
        self.assertFrames([E.parse_vxlan(f)["inner"] for _, f in vx], sent,
                          "T%d's frames" % (k + 1), ordered=False)
        return "vxlan " + ips[0]

    def test_d1_two_moves_not_frozen(self):
        self.assertEqual((self.row(0)["Destination"], self.row(0)["Seq"]), ("m1", "0"))
        r = self.row(1)
        self.assertEqual((r["Destination"], r["Type"], r["Flags"]), ("vxlan " + L3, "evpn", "-"),
                         "after 2 moves (local -> .2 -> .3)")

    def test_d2_third_move_freezes(self):
        r = self.row(2)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L2, "frozen"),
                         "after the third move (.3 -> .2)")
        self.assertEqual(len(self.ev(0, "mac-frozen")), 1, "mac-frozen event for M")

    def test_d3_frozen_ignores_route_and_frames(self):
        r = self.row(3)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L2, "frozen"),
                         "after an RT2 with seq 4 from .3 and frames from M on m2")
        self.assertEqual(self.where(0), "vxlan " + L2)
        self.assertEqual([k for _, k, _ in M.route_replies(self.res)], ["applied"] * 4)

    def test_d4_clear_releases_to_best_route(self):
        out = "\n".join(M.show(self.res, "clear mac-duplication"))
        self.assertIn("1 frozen MAC(s) released.", out)
        r = self.row(4)
        self.assertEqual((r["Destination"], r["Flags"]), ("vxlan " + L3, "-"),
                         "after clear: the best route is seq 4 from .3")
        self.assertEqual(len(self.ev(1, "mac-unfrozen")), 1, "mac-unfrozen event for M")
        self.assertEqual(self.where(1), "vxlan " + L3)


if __name__ == "__main__":
    E.main()
