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
     event mac-moved seq 2); t3: T3 -> M delivered on m2.
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
.3). Both runs use the default mac-duplication action (stop-learning): M's
frames are always forwarded.

DuplicateRemoteFlapsBlackhole: the same flaps with action blackhole: M's
frames on m2 while it is frozen at .2 are dropped (frozen-mac, exactly their
number, counted on m2); after clear, its frames on m3 are forwarded and move
it to m3 (seq 5).

Sticky: RT2s with the sticky flag pin their MAC (RFC 7432 15.2): frames from
it on an access port neither move it nor produce a learn event; a MAC
re-advertised as sticky becomes pinned, one re-advertised without the flag
moves again (see the comment above the class).

DupLocalStopLearning / DupLocalBlackhole: a MAC frozen by local moves
between two access attachments (a, b, a, b; live ports so that an
attachment can be used again), then seen on a: forwarded and not learned
(stop-learning) or dropped as frozen-mac (blackhole); its frames on b and
frames to it are forwarded in both (see the comment above the classes).
These two run as root (network namespace, veths).
"""
import collections
import re
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


def config(action=None):
    """leaf1 with every m and t port; action: mac-duplication.action (None: the default)."""
    dup = "num-moves: 3, monitoring-window: 60, hold-down: 0"
    if action is not None:
        dup += ", action: " + action
    return (M.node_yaml("leaf1", L1) + "ports:\n" + M.port_yaml("uplink", "network", False) +
            "".join(M.port_yaml(p, enabled=False) for p in MPORTS + TPORTS) + """\
mac-vrfs:
  - name: mac-vrf-1
    vni: 1
    mac-duplication: {%s}
    remote-macs:
      - {mac: "%s", vtep: %s}
    attachments:
""" % (dup, R, R_VTEP) + "".join("      - {port: %s, vlan: untagged}\n" % p
                                for p in MPORTS + TPORTS) + M.workers_yaml())


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


def learning(res):
    """Counters of the (first) show learning: {events, learned, moved, refreshed, ignored}."""
    text = "\n".join(M.show(res, "show learning"))
    m = re.search(r"Learning: events (\d+), learned (\d+), moved (\d+), refreshed (\d+), "
                  r".* ignored (\d+),", text)
    if m is None:
        raise AssertionError("no learning counters in:\n" + text)
    return dict(zip(("events", "learned", "moved", "refreshed", "ignored"), map(int, m.groups())))


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
    ACTION = None           # mac-duplication.action: the default (stop-learning)

    @classmethod
    def setUpClass(cls):
        inp = inputs()
        cls.inp = {p: inp[p] for p in cls.PORTS}
        cls.lab = E.Lab("mh-" + cls.__name__.lower())
        cls.res = cls.lab.run(config(cls.ACTION), cls.inp, cmds=cls.CMDS)
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
        self.assertEqual([e[2]["seq"] for e in ev], ["0"], "mac-learned events for M")
        # a move to a local attachment is reported as mac-moved (with the new sequence)
        ev = self.ev(2, "mac-moved")
        self.assertEqual([e[2]["seq"] for e in ev], ["1", "2"], "mac-moved events for M")
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



# The same route flaps in a MAC-VRF with action blackhole: M frozen at .2 (a
# remote place), so every local attachment is "elsewhere": M's frames on m2
# are dropped as frozen-mac. After clear mac-duplication nothing is blocked:
# M's frames on m3 are forwarded and move M to m3 (seq 5).
DUP_BH_CMDS = DUP_CMDS[:-2] + ["port start m3", W, "show fdb", EV,          # fdb 5, ev 2
                               "show drops", "quit"]


class DuplicateRemoteFlapsBlackhole(DuplicateRemoteFlaps):
    """DuplicateRemoteFlaps with mac-duplication action blackhole."""
    PORTS = ["m1", "m2", "m3", "t1", "t2"]
    CMDS = DUP_BH_CMDS
    ACTION = "blackhole"

    def test_m_frames_to_r(self):
        # m1 (before the freeze) and m3 (after clear) reach R; m2 (frozen) none
        got = self.up.get(MAC, [])
        self.assertEqual({v for v, _ in got}, {R_VTEP})
        for n, (_, f) in enumerate(got):
            E.assert_vxlan(f, inner=E.parse_vxlan(f)["inner"], vni=1, dst_ip=R_VTEP, src_ip=L1,
                           what="M -> R packet #%d" % n)
        self.assertFrames([E.parse_vxlan(f)["inner"] for _, f in got],
                          self.inp["m1"] + self.inp["m3"], "M's frames to R", ordered=False)

    def test_counters(self):
        # exactly M's frames on m2, counted on m2's ingress
        self.res.assert_drops({"frozen-mac": len(self.inp["m2"])})
        self.assertEqual(self.res.drops_in(0), {"frozen-mac": len(self.inp["m2"])},
                         "show drops after the run")
        self.assertEqual({p: self.res.ports[p]["dropped"] for p in self.PORTS},
                         {p: len(self.inp["m2"]) if p == "m2" else 0 for p in self.PORTS},
                         "per-port drops")
        for p in self.PORTS:
            self.assertFrames(self.res.out(p), [], "%s output" % p)

    def test_d5_released_mac_moves_again(self):
        r = self.row(5)
        self.assertEqual((r["Destination"], r["Type"], r["Seq"], r["Flags"]),
                         ("m3", "learnt", "5", "-"), "M after clear and frames on m3")
        self.assertEqual([(e[1], e[2]["seq"]) for e in M.events(self.res, 2, EV)
                          if e[2].get("mac") == MAC],
                         [("mac-learned", "0"), ("mac-moved", "1"), ("mac-frozen", "3"),
                          ("mac-unfrozen", "3"), ("mac-moved", "5")],
                         "events for M (none for its frames on m2)")


# ---------------------------------------------------------- sticky MACs --
# RFC 7432 15.2: a MAC advertised with the sticky (static) flag does not move.
# One run (ports m1 and t1), four remote MACs:
#   S  RT2 from .2 seq 0 sticky;
#   N  RT2 from .2 seq 1 (control: not sticky);
#   P  RT2 from .3 seq 1, then re-advertised sticky (becomes pinned);
#   U  RT2 from .3 seq 2 sticky, then re-advertised without (no longer pinned).
# m1 then carries frames from all four (to R): S and P stay behind their
# VTEPs (show fdb sticky, no event, no learn event at all), N and U move to
# m1 with seq = remote + 1 (mac-moved events with seq 2 and 3); t1: a host
# sends to each, S and P go over VXLAN, N and U are delivered on m1.

ST = {"S": "00:c1:ab:00:05:01", "N": "00:c1:ab:00:05:02", "P": "00:c1:ab:00:05:03",
      "U": "00:c1:ab:00:05:04"}
ST_T = "00:c1:ab:00:05:10"     # the host on t1
STICKY_CMDS = [
    "port start uplink",
    M.rt2(1, ST["S"], L2, seq=0, sticky=True), M.rt2(1, ST["N"], L2, seq=1),
    M.rt2(1, ST["P"], L3, seq=1), M.rt2(1, ST["U"], L3, seq=2, sticky=True),
    "show fdb",                                                              # fdb 0
    M.rt2(1, ST["P"], L3, seq=1, sticky=True), M.rt2(1, ST["U"], L3, seq=2),
    "show fdb",                                                              # fdb 1
    "port start m1", W, "show fdb", EV, "show learning",                     # fdb 2, ev 0
    "port start t1", W, "show drops", "quit"]


def sticky_inputs():
    order = ["S", "N", "P", "U"]
    m1 = [E.host_frame(ST[k], R, "192.168.0.%d" % (50 + j), "192.168.0.99", 6000 + 10 * j + i,
                       53, size=70 + i, payload=b"sticky-%s-%d" % (k.encode(), i))
          for i in range(3) for j, k in enumerate(order)]          # interleaved S N P U S ...
    t1 = [E.host_frame(ST_T, ST[k], "192.168.0.60", "192.168.0.%d" % (50 + j), 6100 + 10 * j + i,
                       80, size=90) for i in range(2) for j, k in enumerate(order)]
    return {"m1": m1, "t1": t1}


class Sticky(E.EvfTestCase):
    """Sticky RT2s pin their MAC (see the comment above)."""

    @classmethod
    def setUpClass(cls):
        cls.inp = sticky_inputs()
        cls.lab = E.Lab("mh-sticky")
        cls.res = cls.lab.run(config(), cls.inp, cmds=STICKY_CMDS)
        cls.up = collections.defaultdict(list)   # inner source MAC -> [(vtep, packet)]
        for pkt in cls.res.out("uplink"):
            p = E.parse_vxlan(pkt)
            cls.up[(E.mac_str(p["inner"][6:12]), E.mac_str(p["inner"][0:6]))].append(
                (p["ip_dst"], pkt))

    def row(self, k, i):
        r = M.fdb_row(self.res, ST[k], i)
        self.assertIsNotNone(r, "%s missing from show fdb #%d" % (k, i))
        return (r["Destination"], r["Type"], r["Seq"], r["Flags"])

    def vxlan_to(self, src, dst, vtep, sent, what):
        got = self.up.get((src, dst), [])
        for n, (ip, f) in enumerate(got):
            E.assert_vxlan(f, inner=E.parse_vxlan(f)["inner"], vni=1, dst_ip=vtep, src_ip=L1,
                           what="%s packet #%d" % (what, n))
        self.assertFrames([E.parse_vxlan(f)["inner"] for _, f in got], sent, what)

    def test_routes_applied(self):
        M.assert_all_applied(self, self.res)
        self.assertEqual(len(M.route_replies(self.res)), 6)

    def test_1_advertised(self):
        self.assertEqual(self.row("S", 0), ("vxlan " + L2, "evpn", "0", "sticky"))
        self.assertEqual(self.row("N", 0), ("vxlan " + L2, "evpn", "1", "-"))
        self.assertEqual(self.row("P", 0), ("vxlan " + L3, "evpn", "1", "-"))
        self.assertEqual(self.row("U", 0), ("vxlan " + L3, "evpn", "2", "sticky"))

    def test_2_readvertised(self):
        self.assertEqual(self.row("P", 1), ("vxlan " + L3, "evpn", "1", "sticky"),
                         "P after its RT2 came again with the sticky flag")
        self.assertEqual(self.row("U", 1), ("vxlan " + L3, "evpn", "2", "-"),
                         "U after its RT2 came again without the sticky flag")

    def test_3_sticky_macs_stay_remote(self):
        self.assertEqual(self.row("S", 2), ("vxlan " + L2, "evpn", "0", "sticky"),
                         "S (sticky) after its frames on m1")
        self.assertEqual(self.row("P", 2), ("vxlan " + L3, "evpn", "1", "sticky"),
                         "P (made sticky) after its frames on m1")

    def test_4_others_move_local(self):
        self.assertEqual(self.row("N", 2), ("m1", "learnt", "2", "-"),
                         "N (not sticky, seq 1) after its frames on m1")
        self.assertEqual(self.row("U", 2), ("m1", "learnt", "3", "-"),
                         "U (no longer sticky, seq 2) after its frames on m1")

    def test_5_events(self):
        ev = {k: [(e[1], e[2].get("seq")) for e in M.events(self.res, 0, EV)
                  if e[2].get("mac") == m] for k, m in ST.items()}
        # no event at all for S and P (neither mac-learned nor mac-moved)
        self.assertEqual(ev, {"S": [], "P": [], "N": [("mac-moved", "2")],
                              "U": [("mac-moved", "3")]}, "events per MAC")

    def test_6_no_learn_events_for_pinned(self):
        # Workers report no move for a pinned MAC: the learn events are N's and
        # U's (two moves, perhaps a refresh); none reached the control thread
        # only to be ignored there.
        c = learning(self.res)
        self.assertEqual((c["learned"], c["moved"], c["ignored"]), (0, 2, 0), c)
        self.assertEqual(c["events"], c["moved"] + c["refreshed"], c)

    def test_7_frames_from_the_macs_forwarded(self):
        for k, m in ST.items():
            self.vxlan_to(m, R, R_VTEP, [f for f in self.inp["m1"] if f[6:12] == E.mac_bytes(m)],
                          "%s -> R" % k)

    def test_8_traffic_to_the_macs(self):
        to = {k: [f for f in self.inp["t1"] if f[0:6] == E.mac_bytes(m)] for k, m in ST.items()}
        self.vxlan_to(ST_T, ST["S"], L2, to["S"], "T -> S")
        self.vxlan_to(ST_T, ST["P"], L3, to["P"], "T -> P")
        for k in ("N", "U"):
            self.assertEqual(self.up.get((ST_T, ST[k]), []), [], "T -> %s over VXLAN" % k)
        self.assertFrames(self.res.out("m1"), [f for f in self.inp["t1"]
                                               if f[0:6] in (E.mac_bytes(ST["N"]),
                                                             E.mac_bytes(ST["U"]))],
                          "m1 output: T's frames to N and U")
        self.assertFrames(self.res.out("t1"), [], "t1 output")

    def test_9_counters(self):
        self.res.assert_drops({})
        self.assertEqual(self.res.drops_in(0), {})
        self.assertEqual(len(self.res.out("uplink")),
                         len(self.inp["m1"]) + len(self.inp["t1"]) // 2, "uplink packets")
        self.res.assert_no_mbuf_leak()



# ------------------------------------------- duplicate actions, live ports --
# A MAC frozen by local moves between two access attachments a and b, in a
# MAC-VRF with action stop-learning (DupLocalStopLearning) or blackhole
# (DupLocalBlackhole), otherwise the same run. a, b and t are live: net_pcap
# reading a veth (rx_iface_in, frames sent by scapy from a network namespace)
# and writing a pcap file, so one attachment can be used again after another;
# the uplink is a pcap file. D sends to the static remote MAC R; h (on t)
# sends to D. Phases, each followed by "wait idle" and "show fdb":
#   0 a: D learned on a          1 b: move 1     2 a: move 2
#   3 b: move 3: frozen on b (mac-frozen event)
#   4 a: D's unicast to R and two broadcasts (the wrong attachment)
#        stop-learning: forwarded (unicast over VXLAN to R, the broadcasts on
#        b and t), D stays on b, no learn event at all;
#        blackhole: all dropped as frozen-mac, counted on a, nothing sent;
#   5 b: D's frames on its own attachment: forwarded in both;
#   6 t: h -> D delivered on b in both.

PID = os.getpid()
LPREFIX = "mhmo%d" % PID            # every namespace and link of these tests
LPORTS = ["a", "b", "t"]
D, DH = "00:c1:ab:00:06:01", "00:c1:ab:00:06:02"


def dup_phases():
    """[(port, frames)] in the order they are sent."""
    def to_r(k, n):
        return [E.host_frame(D, R, "192.168.0.61", "192.168.0.99", 7000 + 10 * k + i, 53,
                             size=70 + i, payload=b"dup-p%d-%d" % (k, i)) for i in range(n)]
    return [("a", to_r(0, 3)), ("b", to_r(1, 3)), ("a", to_r(2, 3)), ("b", to_r(3, 3)),
            ("a", to_r(4, 5) + [E.bcast_frame(D, ident=400 + i) for i in range(2)]),
            ("b", to_r(5, 4)),
            ("t", [E.host_frame(DH, D, "192.168.0.62", "192.168.0.61", 7100 + i, 80, size=88)
                   for i in range(4)])]


def live_config(action, rundir, ifname):
    s = M.node_yaml("leaf1", L1) + "ports:\n"
    s += ("  - name: uplink\n    device: \"net_pcap0,rx_pcap=%s/uplink_in.pcap,"
          "tx_pcap=%s/uplink_out.pcap\"\n    role: network\n    next-hop-mac: %s\n"
          "    mtu: 1600\n" % (rundir, rundir, M.NH_MAC))
    for n, p in enumerate(LPORTS):
        s += ("  - name: %s\n    device: \"net_pcap%d,rx_iface_in=%s,tx_pcap=%s/%s_out.pcap\"\n"
              "    role: access\n" % (p, n + 1, ifname[p], rundir, p))
    s += ("mac-vrfs:\n  - name: mac-vrf-1\n    vni: 1\n"
          "    mac-duplication: {num-moves: 3, monitoring-window: 60, hold-down: 0,"
          " action: %s}\n    remote-macs:\n      - {mac: \"%s\", vtep: %s}\n"
          "    attachments:\n" % (action, R, R_VTEP))
    s += "".join("      - {port: %s, vlan: untagged}\n" % p for p in LPORTS)
    return s + M.workers_yaml()


class _DupLocal:
    ACTION = None

    @classmethod
    def setUpClass(cls):
        E.cleanup_on_sigterm()
        cls.lab = E.Lab("mh-dup-" + cls.ACTION)
        cls.links = E.Links()
        try:
            cls._scenario()
        except BaseException:
            cls.lab.failed = True
            raise
        finally:
            cls.links.cleanup()

    @classmethod
    def _scenario(cls):
        ns = cls.links.netns(LPREFIX + cls.ACTION[0])
        ifname = {}
        for p in LPORTS:
            ifname[p] = "%s%s%s" % (LPREFIX, cls.ACTION[0], p)
            cls.links.veth(ifname[p], ifname[p] + "p", ns, queues=1)
        peer = E.Peer([ifname[p] + "p" for p in LPORTS], ns=ns)
        tag = "run-" + cls.ACTION
        rundir = os.path.join(cls.lab.dir, tag)
        os.makedirs(rundir)
        E.write_pcap(os.path.join(rundir, "uplink_in.pcap"), [])
        run = E.LiveRun(cls.lab, live_config(cls.ACTION, rundir, ifname), max_runtime=90,
                        tag=tag)
        cls.phases = dup_phases()
        for k, (p, frames) in enumerate(cls.phases):
            peer.send(ifname[p] + "p", frames)
            run.cmd(W)
            run.cmd("show fdb")
            if k == 3:
                run.cmd(EV)
        run.cmd(EV)
        run.cmd("show learning")
        run.cmd("show drops")
        cls.res = run.quit()
        peer.close()
        cls.up = collections.defaultdict(list)   # inner source MAC -> [(vtep, packet)]
        for pkt in cls.res.out("uplink"):
            p = E.parse_vxlan(pkt)
            cls.up[E.mac_str(p["inner"][6:12])].append((p["ip_dst"], pkt))

    def sent(self, *phases, unicast_only=False):
        return [f for k in phases for f in self.phases[k][1]
                if not (unicast_only and f[0] & 1)]

    def row(self, i):
        r = M.fdb_row(self.res, D, i)
        self.assertIsNotNone(r, "D missing from show fdb #%d" % i)
        return (r["Destination"], r["Type"], r["Flags"])

    def d_events(self, i):
        return [e[1] for e in M.events(self.res, i, EV) if e[2].get("mac") == D]

    def test_1_moves_freeze(self):
        self.assertEqual([self.row(i) for i in range(4)],
                         [("a", "learnt", "-"), ("b", "learnt", "-"), ("a", "learnt", "-"),
                          ("b", "learnt", "frozen")], "D after phases 0-3 (a, b, a, b)")
        self.assertEqual(self.d_events(0), ["mac-learned"] + ["mac-moved"] * 3 + ["mac-frozen"],
                         "events for D after the third move")

    def test_2_frozen_stays_on_b(self):
        self.assertEqual([self.row(i) for i in (4, 5, 6)], [("b", "learnt", "frozen")] * 3,
                         "D after its frames on a (4) and b (5), and h's frames (6)")
        self.assertEqual(self.d_events(1), ["mac-learned"] + ["mac-moved"] * 3 + ["mac-frozen"],
                         "events for D at the end: nothing after the freeze")

    def test_3_no_learn_event_while_frozen(self):
        # D learned and moved 3 times, h learned; a frozen MAC is pinned, so
        # its frames on a are not even reported to the control thread (no
        # event ignored there)
        c = learning(self.res)
        self.assertEqual((c["learned"], c["moved"], c["ignored"]), (2, 3, 0), c)
        self.assertEqual(c["events"], c["learned"] + c["moved"] + c["refreshed"], c)

    def test_4_h_to_d_on_b(self):
        self.assertFrames(self.res.out("b"), self.expected_b(), "b output")
        self.assertEqual(self.up.get(DH, []), [], "h's frames over VXLAN")

    def test_5_d_to_r(self):
        got = self.up.get(D, [])
        for n, (ip, f) in enumerate(got):
            E.assert_vxlan(f, inner=E.parse_vxlan(f)["inner"], vni=1, dst_ip=R_VTEP, src_ip=L1,
                           what="D -> R packet #%d" % n)
        self.assertFrames([E.parse_vxlan(f)["inner"] for _, f in got], self.expected_to_r(),
                          "D's frames to R")
        self.assertEqual(len(self.res.out("uplink")), len(got), "uplink: only D's frames")

    def test_6_rx_counts(self):
        rx = collections.Counter()
        for p, frames in self.phases:
            rx[p] += len(frames)
        self.assertEqual({p: self.res.ports[p]["rx_packets"] for p in LPORTS}, dict(rx),
                         "frames received per port (every frame sent was read)")

    def test_nothing_left(self):
        self.assertEqual(E.Links.leftovers(LPREFIX), [], "namespaces/links left behind")

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class DupLocalStopLearning(_DupLocal, E.EvfTestCase):
    """action stop-learning: the frozen MAC's frames from elsewhere are forwarded."""
    ACTION = "stop-learning"

    def expected_to_r(self):
        return self.sent(0, 1, 2, 3, 4, 5, unicast_only=True)

    def expected_b(self):
        return self.sent(4)[5:] + self.sent(6)    # D's broadcasts from a, then h's frames

    def test_7_wrong_attachment_forwarded(self):
        self.assertFrames(self.res.out("t"), self.sent(4)[5:], "t output: D's broadcasts from a")
        self.assertFrames(self.res.out("a"), [], "a output")

    def test_8_no_drops(self):
        self.res.assert_drops({})
        self.assertEqual(self.res.drops_in(0), {}, "show drops")
        self.assertEqual({p: self.res.ports[p]["dropped"] for p in LPORTS + ["uplink"]},
                         dict.fromkeys(LPORTS + ["uplink"], 0), "per-port drops")


class DupLocalBlackhole(_DupLocal, E.EvfTestCase):
    """action blackhole: the frozen MAC's frames from elsewhere are dropped (frozen-mac)."""
    ACTION = "blackhole"

    def expected_to_r(self):
        return self.sent(0, 1, 2, 3, 5)

    def expected_b(self):
        return self.sent(6)

    def test_7_wrong_attachment_dropped(self):
        self.assertFrames(self.res.out("t"), [], "t output")
        self.assertFrames(self.res.out("a"), [], "a output")

    def test_8_frozen_mac_drops(self):
        n = len(self.sent(4))
        self.res.assert_drops({"frozen-mac": n})
        self.assertEqual(self.res.drops_in(0), {"frozen-mac": n}, "show drops")
        self.assertEqual({p: self.res.ports[p]["dropped"] for p in LPORTS + ["uplink"]},
                         {"a": n, "b": 0, "t": 0, "uplink": 0}, "per-port drops")


if __name__ == "__main__":
    E.main()
