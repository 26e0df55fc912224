#!/usr/bin/python3
"""test_leaf_pair_df.py: DF election, DF filtering and local bias on the ES-1 pair.

Two evfwd instances run side by side: leaf1 (198.18.0.1) and leaf2
(198.18.0.2), each with ES-1 (all-active, df-timer 0) on its access port ce1
and a single-homed access port h1 in the same MAC-VRFs. Each is told the
other's RT4, RT1 per-ES and per-EVI routes, RT2 for ce1's MAC with ESI-1, and
the RT3 routes of the peer and of leaf3. Both get the same network traffic,
each copy addressed to its own VTEP:
  A) BUM from leaf3 (outer source 198.18.0.3): broadcast, unknown unicast,
     multicast;
  B) BUM whose outer source is the ES peer;
  C) known unicast to ce1's MAC from leaf3.
Checked:
  * show df on both: the same DF per MAC-VRF, equal to a model of the
    algorithm (modulo: candidates by address, DF = EVI mod N; HRW: RFC 8584
    3.2 computed here with zlib.crc32); "This node" DF on exactly one;
  * every A frame reaches ce1 exactly once over both instances, through the
    DF; every A and B frame reaches h1 on both instances;
  * no B frame reaches ce1 on either (local-bias counter = B frames sent);
  * every C frame is delivered to ce1 by both instances whatever the DF;
  * drop counters are exactly df-filter (A frames of the MAC-VRFs where the
    instance is not DF) and local-bias; nothing goes back to the network;
  * df-change events agree with show df and report changes only;
  * when the peer withdraws its RT4 each leaf is DF for every MAC-VRF at once
    (show df right after), and the election is back to the model once the
    RT4 is re-advertised.
Variants: modulo with one MAC-VRF (EVI 1); modulo with two MAC-VRFs (EVI 1
and 2: the DF differs per MAC-VRF); HRW with two MAC-VRFs whose EVIs are
chosen by the model so that each leaf is DF for one of them.
"""
import collections
import sys

sys.dont_write_bytecode = True
import os  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mhlib as M  # noqa: E402
from mhlib import E, ESI1, CE1, CE2, LEAF  # noqa: E402

L1, L2, L3 = LEAF[1], LEAF[2], LEAF[3]
PEER = {L1: L2, L2: L1}


def config(me, alg, vrfs):
    """vrfs: [(name, vni, evi, vlan or None for untagged)]."""
    s = M.node_yaml("leaf%s" % me[-1], me) + "ports:\n"
    s += M.port_yaml("uplink", "network", False) + M.port_yaml("ce1", enabled=False)
    s += M.port_yaml("h1")
    s += ("ethernet-segments:\n  - name: ES-1\n    esi: %s\n    interface: ce1\n"
          "    mode: all-active\n    df-election: {algorithm: %s}\n    df-timer: 0\n" % (ESI1, alg))
    s += "mac-vrfs:\n"
    for name, vni, evi, vlan in vrfs:
        v = "untagged" if vlan is None else str(vlan)
        s += ("  - name: %s\n    vni: %d\n    evi: %d\n    attachments:\n"
              "      - {port: ce1, vlan: %s}\n      - {port: h1, vlan: %s}\n" % (name, vni, evi, v, v))
    return s + M.workers_yaml()


def commands(me, alg, vrfs):
    p = PEER[me]
    c = [M.rt4(p, alg=alg), M.rt1_es(p)]
    for _, vni, _, _ in vrfs:
        c += [M.rt1_evi(vni, p), M.rt3(vni, p), M.rt3(vni, L3), M.rt2(vni, CE1, p, ESI1)]
    c += ["port start ce1", "sleep 500", "show df", "show es", "show es ES-1",
          "port start uplink", "wait idle 300", "show df", "show fdb", "show drops",
          "show routes", "show events 100",
          # the peer leaves (RT4 withdrawn): we are DF for everything at once;
          # it comes back: the election is as before once the DF timer (0) ran
          M.rt4(p, op="del"), "show df", M.rt4(p, alg=alg), "sleep 200", "show df", "quit"]
    return c


def traffic(vrfs):
    """{category: [(vni, inner frame)]}; the same for both instances (only the
    outer destination differs)."""
    t = collections.defaultdict(list)
    for k, (_, vni, _, _) in enumerate(vrfs):
        tg = 16 * (k + 1)
        for i in range(3):
            t["A"].append((vni, E.bcast_frame(CE2[i], ident=tg + i)))
            t["A"].append((vni, E.host_frame(CE2[i], E.mac(0x0e0000 + tg + i), M.CE2_IP,
                                             "192.168.0.%d" % (100 + i), 3000 + tg + i, 80,
                                             size=90)))
            t["A"].append((vni, E.host_frame(CE2[i], "01:00:5e:00:00:%02x" % (tg + i), M.CE2_IP,
                                             "224.0.0.%d" % (tg + i), 5000, 5000, size=70)))
        for i in range(2):
            t["B"].append((vni, E.bcast_frame(CE1, ident=tg + 8 + i)))
            t["B"].append((vni, E.host_frame(CE1, E.mac(0x0d0000 + tg + i), M.CE1_IP,
                                             "192.168.0.%d" % (120 + i), 4000 + tg + i, 80,
                                             size=100)))
        for i in range(5):
            t["C"].append((vni, E.host_frame(CE2[i % 3], CE1, M.CE2_IP, M.CE1_IP, 6000 + tg + i,
                                             80, size=110)))
    return t


def uplink_input(me, t):
    frames = []
    for cat, src in (("A", L3), ("B", PEER[me]), ("C", L3)):
        for n, (vni, inner) in enumerate(t[cat]):
            frames.append(E.vxlan4(inner, vni, src=src, dst=me, sport=50000 + n))
    # mix the categories (filtering is decided frame by frame, not per run)
    return frames[0::2] + frames[1::2]


class _PairBase:
    ALG = "modulo"
    VRFS = [("mac-vrf-1", 1, 1, None)]

    @classmethod
    def setUpClass(cls):
        cls.t = traffic(cls.VRFS)
        cls.lab = E.Lab("mh-pair-%s" % cls.__name__.lower())
        jobs = {}
        for me in (L1, L2):
            jobs["leaf" + me[-1]] = (config(me, cls.ALG, cls.VRFS),
                                     {"uplink": uplink_input(me, cls.t)},
                                     commands(me, cls.ALG, cls.VRFS))
        r = M.run_many(cls.lab, jobs)
        cls.res = {L1: r["leaf1"], L2: r["leaf2"]}
        model = M.df_hrw if cls.ALG == "hrw" else M.df_modulo
        cls.df = {vni: model([L1, L2], evi) for _, vni, evi, _ in cls.VRFS}
        cls.vlan = {vni: vlan for _, vni, _, vlan in cls.VRFS}
        print("\n  %s: DF per VNI: %s" % (cls.__name__, cls.df), file=sys.stderr)

    def on_port(self, vni, inner):
        """The frame as it leaves an access port of that MAC-VRF."""
        v = self.vlan[vni]
        return inner if v is None else E.tag(inner, v)

    def test_routes_applied(self):
        for me in (L1, L2):
            M.assert_all_applied(self, self.res[me])

    def test_show_df_matches_model(self):
        for me in (L1, L2):
            for idx in (0, 1):
                rows = M.show_df(self.res[me], idx)
                self.assertEqual(len(rows), len(self.VRFS), "show df rows on %s" % me)
                for name, vni, evi, _ in self.VRFS:
                    r = rows[("ES-1", name)]
                    self.assertEqual(r["EVI"], str(evi))
                    self.assertEqual(r["Algorithm"], self.ALG)
                    self.assertEqual(r["DF"], self.df[vni], "DF of %s on %s (show df #%d)"
                                     % (name, me, idx))
                    self.assertEqual(r["This node"], "DF" if self.df[vni] == me else "non-DF",
                                     "%s on %s" % (name, me))

    def test_show_es(self):
        for me in (L1, L2):
            es = M.show_es(self.res[me])["ES-1"]
            self.assertEqual((es["Type"], es["Mode"], es["Interface"], es["Oper"]),
                             ("local", "all-active", "ce1", "up"))
            self.assertEqual(es["PEs (RT1 per-ES)"], PEER[me])
            mine = sum(1 for v in self.df.values() if v == me)
            self.assertEqual(es["DF for"], "%d of %d mac-vrfs" % (mine, len(self.VRFS)))
            d = "\n".join(M.show(self.res[me], "show es ES-1"))
            self.assertIn("Peers for local bias            : %s" % PEER[me], d)
            self.assertIn("Oper DF Election  : %s" % self.ALG, d)
            for name, vni, _, _ in self.VRFS:
                self.assertIn("%-14s %s%s" % (name, self.df[vni], " (this node) (DF)"
                                              if self.df[vni] == me else " (DF)"), d)

    def test_peer_rt4_withdrawn_and_back(self):
        for me in (L1, L2):
            for name, vni, _, _ in self.VRFS:
                r = M.show_df(self.res[me], 2)[("ES-1", name)]
                self.assertEqual((r["DF"], r["This node"]), (me, "DF"),
                                 "%s, %s: right after the peer's RT4 withdrawal" % (me, name))
                r = M.show_df(self.res[me], 3)[("ES-1", name)]
                self.assertEqual(r["DF"], self.df[vni], "%s, %s: the peer's RT4 back" % (me, name))

    def test_bum_from_leaf3_reaches_ce1_once(self):
        got = {me: collections.Counter(self.res[me].out("ce1")) for me in (L1, L2)}
        for n, (vni, inner) in enumerate(self.t["A"]):
            f = self.on_port(vni, inner)
            total = got[L1][f] + got[L2][f]
            self.assertEqual(total, 1, "BUM frame #%d (VNI %d) reached ce1 %d times (leaf1 %d, "
                             "leaf2 %d)" % (n, vni, total, got[L1][f], got[L2][f]))
            self.assertEqual(got[self.df[vni]][f], 1, "BUM frame #%d not delivered by the DF" % n)

    def test_bum_from_peer_never_reaches_ce1(self):
        for me in (L1, L2):
            out = set(self.res[me].out("ce1"))
            for n, (vni, inner) in enumerate(self.t["B"]):
                self.assertNotIn(self.on_port(vni, inner), out, "BUM from the ES peer #%d "
                                 "delivered to ce1 by %s (split horizon)" % (n, me))

    def test_ce1_output_exact(self):
        for me in (L1, L2):
            exp = [self.on_port(v, f) for v, f in self.t["A"] if self.df[v] == me]
            exp += [self.on_port(v, f) for v, f in self.t["C"]]
            self.assertFrames(self.res[me].out("ce1"), exp, "ce1 output of %s" % me,
                              ordered=False)

    def test_known_unicast_delivered_by_both(self):
        for me in (L1, L2):
            out = collections.Counter(self.res[me].out("ce1"))
            for n, (vni, inner) in enumerate(self.t["C"]):
                self.assertEqual(out[self.on_port(vni, inner)], 1, "known unicast #%d to ce1 "
                                 "on %s" % (n, me))
            r = [x for x in self.res[me].fdb(0) if x["Address"] == CE1]
            self.assertEqual(len(r), len(self.VRFS))
            # the peer's RT2 with ES-1's ESI: MAC sync, the MAC is ours on ce1 too
            for x in r:
                self.assertTrue(x["Destination"].split(".")[0] == "ce1" and
                                x["Type"] == "learnt", x)

    def test_single_homed_port_gets_all_bum(self):
        for me in (L1, L2):
            exp = [self.on_port(v, f) for v, f in self.t["A"] + self.t["B"]]
            self.assertFrames(self.res[me].out("h1"), exp, "h1 output of %s" % me,
                              ordered=False)
            self.assertFrames(self.res[me].out("uplink"), [], "uplink output of %s" % me)

    def test_drop_counters(self):
        for me in (L1, L2):
            nondf = sum(1 for v, _ in self.t["A"] if self.df[v] != me)
            self.res[me].assert_drops({"df-filter": nondf, "local-bias": len(self.t["B"])},
                                      "final drop counters of %s" % me)

    def test_df_events(self):
        # EVF_EV_DF_CHANGE: "we became (or stopped being) DF": each event a change
        nochange = []
        for me in (L1, L2):
            state = {}
            for seq, typ, f, text in M.events(self.res[me], cmd="show events 100"):
                if typ != "df-change":
                    continue
                self.assertEqual(f["esi"], ESI1)
                vni = int(f["vni"])
                if f["df"] == state.get(vni, False):  # nobody is DF before the election
                    nochange.append("%s event %d: %s" % (me, seq, text))
                state[vni] = f["df"]
            for _, vni, _, _ in self.VRFS:
                self.assertEqual(state.get(vni, False), self.df[vni] == me,
                                 "%s: DF state of VNI %d from the events" % (me, vni))
        self.assertEqual(nochange, [], "df-change events that report no change")

    def test_no_mbuf_leak(self):
        for me in (L1, L2):
            self.res[me].assert_no_mbuf_leak()


class Modulo1(_PairBase, E.EvfTestCase):
    ALG = "modulo"
    VRFS = [("mac-vrf-1", 1, 1, None)]


class Modulo2(_PairBase, E.EvfTestCase):
    ALG = "modulo"
    VRFS = [("mac-vrf-1", 1, 1, None), ("mac-vrf-2", 2, 2, 2)]

    def test_df_differs_per_mac_vrf(self):
        self.assertEqual(self.df, {1: L2, 2: L1}, "modulo model (EVI 1 -> second, EVI 2 -> first)")


def _hrw_evis():
    """The smallest EVI where leaf1 wins HRW and the smallest where leaf2 wins."""
    win = {}
    for evi in range(1, 1000):
        win.setdefault(M.df_hrw([L1, L2], evi), evi)
        if len(win) == 2:
            return win[L1], win[L2]
    raise AssertionError("no EVI split the HRW election")


class Hrw2(_PairBase, E.EvfTestCase):
    ALG = "hrw"
    _e1, _e2 = _hrw_evis()
    VRFS = [("mac-vrf-1", 1, _e1, None), ("mac-vrf-2", 2, _e2, 2)]

    def test_weights_printed(self):
        for _, vni, evi, _ in self.VRFS:
            w = {ip: M.hrw_weight(evi, M.ESI1_BYTES, ip) for ip in (L1, L2)}
            print("\n  HRW EVI %d: weights %s -> DF %s" % (evi, w, self.df[vni]), file=sys.stderr)
        self.assertNotEqual(self.df[1], self.df[2])


if __name__ == "__main__":
    E.main()
