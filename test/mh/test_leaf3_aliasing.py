#!/usr/bin/python3
"""test_leaf3_aliasing.py: aliasing, mass withdrawal and fallbacks as leaf3 sees ES-1.

evfwd is leaf3 (VTEP 198.18.0.3, MAC-VRF mac-vrf-1 VNI 1). Access ports p1..p4
(ce2's links) start one after the other, each carrying one phase of traffic
from one of ce2's MACs to ce1's MAC. Routes, given before any traffic:
RT1 per-ES and per-EVI for ES-1 from leaf1 and leaf2, RT2 for ce1's MAC with
ESI-1 from both, RT3 from both.

  phase 1 (p1): 1000 flows (seeded random UDP ports), 2 frames each -> VXLAN
      to 198.18.0.1 or .2, each PE 40-60 %, both frames of a flow to the same
      PE; every field checked;
      show fdb: "esi:ESI-1 (aliasing: 198.18.0.1 198.18.0.2)".
  route del rt1 per-ES from leaf1 (mass withdrawal)
  phase 2 (p2): 100 % to 198.18.0.2; show fdb lists only .2.
  route del rt1 per-ES from leaf2
  phase 3 (p3): back to both PEs through the RT2 routes (40-60 % each);
      show fdb: "(rt2 fallback: 198.18.0.1 198.18.0.2)".
  route del rt2 from both
  phase 4 (p4): ce1's MAC is unknown: each frame flooded once to each RT3
      VTEP and to p1..p3; ce1's MAC gone from show fdb.
No drops anywhere; no mbuf leaked.
"""
import collections
import sys

sys.dont_write_bytecode = True
import os  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mhlib as M  # noqa: E402
from mhlib import E, ESI1, CE1, CE2, LEAF  # noqa: E402

L1, L2, L3 = LEAF[1], LEAF[2], LEAF[3]
PORTS = ["p1", "p2", "p3", "p4"]

CONFIG = (M.node_yaml("leaf3", L3) + "ports:\n" + M.port_yaml("uplink", "network", False) +
          "".join(M.port_yaml(p, enabled=False) for p in PORTS) +
          "mac-vrfs:\n  - name: mac-vrf-1\n    vni: 1\n    attachments:\n" +
          "".join("      - {port: %s, vlan: untagged}\n" % p for p in PORTS) +
          M.workers_yaml())

NFLOWS = 1000
ROUTES = [M.rt1_es(L1), M.rt1_es(L2), M.rt1_evi(1, L1), M.rt1_evi(1, L2),
          M.rt2(1, CE1, L1, ESI1), M.rt2(1, CE1, L2, ESI1), M.rt3(1, L1), M.rt3(1, L2)]

CMDS = ROUTES + [
    "show fdb", "show es", "show es " + ESI1,
    "port start uplink", "port start p1", "wait idle 300",
    M.rt1_es(L1, op="del"), "show fdb", "show es",
    "port start p2", "wait idle 300",
    M.rt1_es(L2, op="del"), "show fdb", "show es",
    "port start p3", "wait idle 300",
    "route del rt2 vni 1 mac %s vtep %s" % (CE1, L1),
    "route del rt2 vni 1 mac %s vtep %s" % (CE1, L2), "show fdb",
    "port start p4", "wait idle 300",
    "show drops", "show routes", "show events 100", "quit"]


def phase_frames(k, n, twice):
    ports = M.flow_ports(n, seed=k)
    f = M.flows(CE2[k], CE1, n, tag=k, ports=ports)
    if not twice:
        return f
    # a second frame of every flow (same 5-tuple, other payload and size)
    g = [E.host_frame(CE2[k], CE1, M.CE2_IP, M.CE1_IP, sp, dp, size=96,
                      payload=b"again%02d%05d" % (k, i)) for i, (sp, dp) in enumerate(ports)]
    return f + g


class Leaf3Aliasing(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.inp = {"p1": phase_frames(0, NFLOWS, True), "p2": phase_frames(1, 200, False),
                   "p3": phase_frames(2, NFLOWS, True), "p4": phase_frames(3, 50, False)}
        cls.lab = E.Lab("mh-aliasing")
        cls.res = cls.lab.run(CONFIG, cls.inp, cmds=CMDS, timeout=90)
        # uplink output by phase (inner source MAC = ce2's MAC of that phase)
        cls.up = collections.defaultdict(list)
        for pkt in cls.res.out("uplink"):
            p = E.parse_vxlan(pkt)
            cls.up[E.mac_str(p["inner"][6:12])].append(pkt)

    def check_phase(self, k, vteps, what):
        """Every frame of phase k left once, VXLAN to one of vteps, all fields right.
        Returns {vtep: count}."""
        sent = self.inp[PORTS[k]]
        got = self.up[CE2[k]]
        by = collections.defaultdict(list)
        for n, pkt in enumerate(got):
            p = E.parse_vxlan(pkt)
            self.assertIn(p["ip_dst"], vteps, "%s: packet #%d to an unexpected VTEP" % (what, n))
            E.assert_vxlan(pkt, inner=p["inner"], vni=1, dst_ip=p["ip_dst"], src_ip=L3,
                           what="%s packet #%d" % (what, n))
            by[p["ip_dst"]].append(p["inner"])
        self.assertFrames([i for v in by.values() for i in v], sent,
                          "%s: inner frames on the uplink" % what, ordered=False)
        print("\n  %s: %d frames: %s" % (what, len(got), ", ".join(
            "%s %d (%.1f%%)" % (ip, len(by[ip]), 100.0 * len(by[ip]) / max(1, len(got)))
            for ip in sorted(vteps))), file=sys.stderr)
        return by

    def check_flow_affinity(self, by, what):
        where = {}
        for ip, inners in by.items():
            for inner in inners:
                ports = inner[34:38]          # UDP source and destination port
                where.setdefault(ports, set()).add(ip)
        split = {s: v for s, v in where.items() if len(v) > 1}
        self.assertEqual(split, {}, "%s: flows whose frames went to both PEs" % what)

    def check_balance(self, by, total, what):
        for ip in (L1, L2):
            share = len(by.get(ip, [])) / total
            self.assertTrue(0.40 <= share <= 0.60, "%s: %s got %.1f%% of %d frames (40-60%% "
                            "expected)" % (what, ip, 100 * share, total))

    def test_routes_applied(self):
        M.assert_all_applied(self, self.res)
        applied, results = M.route_counters(self.res)
        self.assertEqual(applied, {("rt1", "add"): 4, ("rt1", "del"): 2, ("rt2", "add"): 2,
                                   ("rt2", "del"): 2, ("rt3", "add"): 2, ("rt3", "del"): 0,
                                   ("rt4", "add"): 0, ("rt4", "del"): 0})
        self.assertEqual(results, {"ok": 12})

    def test_phase1_aliasing_split(self):
        by = self.check_phase(0, {L1, L2}, "phase 1 (aliasing over RT1)")
        self.check_balance(by, 2 * NFLOWS, "phase 1")
        self.check_flow_affinity(by, "phase 1")

    def test_phase1_fdb_and_es(self):
        r = M.fdb_row(self.res, CE1, 0)
        self.assertIsNotNone(r, "ce1's MAC in show fdb after the routes")
        self.assertEqual(r["Destination"], "esi:%s (aliasing: %s %s)" % (ESI1, L1, L2))
        self.assertEqual((r["Type"], r["Seq"], r["MAC-VRF"]), ("evpn", "0", "mac-vrf-1"))
        es = M.show_es(self.res, 0)
        self.assertIn(ESI1, es, "show es: the remote segment is named by its ESI")
        self.assertEqual(es[ESI1]["Type"], "remote")
        self.assertEqual(es[ESI1]["Mode"], "all-active")
        self.assertEqual(es[ESI1]["PEs (RT1 per-ES)"], "%s,%s" % (L1, L2))
        detail = "\n".join(M.show(self.res, "show es " + ESI1))
        self.assertIn("PEs with RT1 per-ES  : %s,%s" % (L1, L2), detail)

    def test_phase2_mass_withdrawal(self):
        by = self.check_phase(1, {L2}, "phase 2 (leaf1 per-ES withdrawn)")
        self.assertEqual(len(by[L2]), 200)
        r = M.fdb_row(self.res, CE1, 1)
        self.assertEqual(r["Destination"], "esi:%s (aliasing: %s)" % (ESI1, L2))
        self.assertEqual(M.show_es(self.res, 1)[ESI1]["PEs (RT1 per-ES)"], L2)

    def test_phase3_rt2_fallback(self):
        by = self.check_phase(2, {L1, L2}, "phase 3 (no per-ES route: RT2 fallback)")
        self.check_balance(by, 2 * NFLOWS, "phase 3")
        self.check_flow_affinity(by, "phase 3")
        r = M.fdb_row(self.res, CE1, 2)
        self.assertEqual(r["Destination"], "esi:%s (rt2 fallback: %s %s)" % (ESI1, L1, L2))
        self.assertEqual(M.show_es(self.res, 2)[ESI1]["PEs (RT1 per-ES)"], "-")

    def test_phase4_flood_to_rt3(self):
        sent = self.inp["p4"]
        got = self.up[CE2[3]]
        by = collections.defaultdict(list)
        for n, pkt in enumerate(got):
            p = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=p["inner"], vni=1, dst_ip=p["ip_dst"], src_ip=L3,
                           what="phase 4 flood packet #%d" % n)
            by[p["ip_dst"]].append(p["inner"])
        self.assertEqual(sorted(by), [L1, L2], "VTEPs the unknown unicast was flooded to")
        for ip in (L1, L2):
            self.assertFrames(by[ip], sent, "phase 4: copies to RT3 VTEP %s" % ip, ordered=False)
        self.assertIsNone(M.fdb_row(self.res, CE1, 3), "ce1's MAC after both RT2 withdrawn")

    def test_access_ports_get_only_the_flood(self):
        for p in ("p1", "p2", "p3"):
            self.assertFrames(self.res.out(p), self.inp["p4"], "%s output" % p, ordered=False)
        self.assertFrames(self.res.out("p4"), [], "p4 output")

    def test_counters(self):
        self.res.assert_drops({})
        n = sum(len(self.inp[p]) for p in PORTS)
        self.assertEqual(self.res.ports["uplink"]["tx_packets"], n + len(self.inp["p4"]))

    def test_no_df_events_for_remote_segment(self):
        # leaf3 has no local segment: it is never DF and must not report DF changes
        ev = [e for e in M.events(self.res, cmd="show events 100") if e[1] == "df-change"]
        self.assertEqual(ev, [], "df-change events on a node without a local segment")

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
