#!/usr/bin/python3
"""test_single_active.py: ES-1 in single-active mode.

Remote view (SingleActiveRemote, net_pcap files): evfwd is leaf3; RT1 per-ES
routes for ES-1 from leaf1 and leaf2 carry the single-active flag, RT1
per-EVI from both, RT2 for ce1's MAC from leaf1 only (the primary):
  phase 1 (p1): 300 flows to ce1's MAC all go to 198.18.0.1; show es: mode
      single-active;
  leaf1 withdraws its per-ES route:
  phase 2 (p2): all go to 198.18.0.2 (the backup);
  leaf1 advertises its per-ES route again:
  phase 3 (p3): all go to 198.18.0.1 again.

Local view (SingleActiveLocal): two evfwd instances, leaf1 and leaf2, each
with ES-1 in single-active mode (df-timer 0) on its port ce1 and two
MAC-VRFs, VNI 1 (EVI 1, untagged) and VNI 2 (EVI 2, VLAN 2), each told the
other's RT4/RT1 and the RT3s of the peer and leaf3. Modulo election makes
leaf2 DF for EVI 1 and leaf1 DF for EVI 2, so each instance is the DF side
for one MAC-VRF and the non-DF side for the other. ce1 is a live link (a
veth with scapy on the far side, in a network namespace), so its frames can
be sent after the election; the underlay is a pcap file started afterwards.
  * frames from ce1 (broadcast, unknown unicast, unicast to ce2 behind
    leaf3): the DF forwards them (VXLAN, every field checked), the non-DF
    drops them (df-filter) and does not learn ce1's MAC;
  * traffic from leaf3 to ce1 (BUM and unicast to ce1's MAC): delivered by the
    DF only; over both instances every frame reaches ce1 exactly once;
  * show df / show es on both: single-active, DF as the model says.
"""
import collections
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mhlib as M  # noqa: E402
from mhlib import E, ESI1, CE1, CE2, LEAF  # noqa: E402

L1, L2, L3 = LEAF[1], LEAF[2], LEAF[3]
PEER = {L1: L2, L2: L1}

# ------------------------------------------------------------ remote view --

RPORTS = ["p1", "p2", "p3"]
RCONFIG = (M.node_yaml("leaf3", L3) + "ports:\n" + M.port_yaml("uplink", "network", False) +
           "".join(M.port_yaml(p, enabled=False) for p in RPORTS) +
           "mac-vrfs:\n  - name: mac-vrf-1\n    vni: 1\n    attachments:\n" +
           "".join("      - {port: %s, vlan: untagged}\n" % p for p in RPORTS) +
           M.workers_yaml())
RCMDS = [M.rt1_es(L1, single_active=True), M.rt1_es(L2, single_active=True),
         M.rt1_evi(1, L1), M.rt1_evi(1, L2), M.rt2(1, CE1, L1, ESI1), M.rt3(1, L1), M.rt3(1, L2),
         "show es", "show fdb", "port start uplink", "port start p1", "wait idle 300",
         M.rt1_es(L1, op="del"), "show es", "show fdb", "port start p2", "wait idle 300",
         M.rt1_es(L1, single_active=True), "show es", "port start p3", "wait idle 300",
         "show drops", "quit"]
RFLOWS = 300


class SingleActiveRemote(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.inp = {p: M.flows(CE2[k], CE1, RFLOWS, seed=100 + k, tag=k)
                   for k, p in enumerate(RPORTS)}
        cls.lab = E.Lab("mh-sa-remote")
        cls.res = cls.lab.run(RCONFIG, cls.inp, cmds=RCMDS)
        cls.up = collections.defaultdict(list)
        for pkt in cls.res.out("uplink"):
            p = E.parse_vxlan(pkt)
            cls.up[E.mac_str(p["inner"][6:12])].append(pkt)

    def phase(self, k, vtep, what):
        got = self.up[CE2[k]]
        for n, pkt in enumerate(got):
            E.assert_vxlan(pkt, inner=E.parse_vxlan(pkt)["inner"], vni=1, dst_ip=vtep, src_ip=L3,
                           what="%s packet #%d" % (what, n))
        self.assertFrames([E.parse_vxlan(p)["inner"] for p in got], self.inp[RPORTS[k]], what,
                          ordered=False)

    def test_routes(self):
        M.assert_all_applied(self, self.res)

    def test_phase1_primary(self):
        self.phase(0, L1, "phase 1: all to the primary leaf1")
        es = M.show_es(self.res, 0)[ESI1]
        self.assertEqual((es["Mode"], es["PEs (RT1 per-ES)"]), ("single-active", "%s,%s" % (L1, L2)))
        # show fdb names the one PE in use, not an aliasing set
        self.assertEqual(self.res.fdb_map(0)[("mac-vrf-1", CE1.lower())],
                         "esi:%s (single-active primary: %s)" % (ESI1, L1))

    def test_phase2_backup(self):
        self.phase(1, L2, "phase 2: leaf1's per-ES route withdrawn, all to the backup leaf2")
        es = M.show_es(self.res, 1)[ESI1]
        self.assertEqual((es["Mode"], es["PEs (RT1 per-ES)"]), ("single-active", L2))
        self.assertEqual(self.res.fdb_map(1)[("mac-vrf-1", CE1.lower())],
                         "esi:%s (single-active primary: %s)" % (ESI1, L2))

    def test_phase3_primary_again(self):
        self.phase(2, L1, "phase 3: leaf1's per-ES route back, all to leaf1 again")

    def test_no_drops(self):
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


# ------------------------------------------------------------- local view --

PID = os.getpid()
PREFIX = "mhsa%d" % PID          # every namespace and link of this test
VRFS = [("mac-vrf-1", 1, None), ("mac-vrf-2", 2, 2)]    # name, vni (= evi), vlan
OURS = {E.mac_bytes(m) for m in [CE1] + CE2 + ["ff:ff:ff:ff:ff:ff"]}
DF = {vni: M.df_modulo([L1, L2], vni) for _, vni, _ in VRFS}


def lconfig(me, ce1_dev, up_dev):
    s = M.node_yaml("leaf" + me[-1], me) + "ports:\n"
    s += ("  - name: uplink\n    device: \"%s\"\n    role: network\n    next-hop-mac: %s\n"
          "    mtu: 1600\n    admin-state: disable\n" % (up_dev, M.NH_MAC))
    s += "  - name: ce1\n    device: \"%s\"\n    role: access\n    admin-state: disable\n" % ce1_dev
    s += ("ethernet-segments:\n  - name: ES-1\n    esi: %s\n    interface: ce1\n"
          "    mode: single-active\n    df-timer: 0\nmac-vrfs:\n" % ESI1)
    for name, vni, vlan in VRFS:
        s += ("  - name: %s\n    vni: %d\n    attachments:\n      - {port: ce1, vlan: %s}\n"
              % (name, vni, "untagged" if vlan is None else vlan))
    return s + M.workers_yaml()


def lroutes(me):
    p = PEER[me]
    c = [M.rt4(p), M.rt1_es(p, single_active=True)]
    for _, vni, _ in VRFS:
        c += [M.rt1_evi(vni, p), M.rt3(vni, p), M.rt3(vni, L3), M.rt2(vni, CE2[0], L3)]
        if DF[vni] == p:
            # the DF learned ce1 and advertises it
            c.append(M.rt2(vni, CE1, p, ESI1))
    return c


def on_port(vni, inner):
    vlan = dict((v, vl) for _, v, vl in VRFS)[vni]
    return inner if vlan is None else E.tag(inner, vlan)


def ce1_traffic():
    """[(vni, inner, kind)]: kind 'bum' or 'uni' (to ce2 behind leaf3)."""
    t = []
    for k, (_, vni, _) in enumerate(VRFS):
        g = 40 * (k + 1)
        for i in range(2):
            t.append((vni, E.bcast_frame(CE1, ident=g + i), "bum"))
            t.append((vni, E.host_frame(CE1, E.mac(0x0c0000 + g + i), M.CE1_IP, "192.168.0.77",
                                        2000 + g + i, 80, size=90), "bum"))
        for i in range(3):
            t.append((vni, E.host_frame(CE1, CE2[0], M.CE1_IP, M.CE2_IP, 2100 + g + i, 80,
                                        size=100), "uni"))
    return t


def net_traffic():
    """[(vni, inner, kind)] from leaf3 to ce1."""
    t = []
    for k, (_, vni, _) in enumerate(VRFS):
        g = 40 * (k + 1)
        t.append((vni, E.bcast_frame(CE2[1], ident=g + 20), "bum"))
        t.append((vni, E.host_frame(CE2[1], E.mac(0x0b0000 + g), M.CE2_IP, "192.168.0.78", 2200 + g,
                                    80, size=92), "bum"))
        t.append((vni, E.host_frame(CE2[1], "01:00:5e:00:01:%02x" % g, M.CE2_IP, "224.0.1.%d" % g,
                                    5000, 5000, size=72), "bum"))
        for i in range(3):
            t.append((vni, E.host_frame(CE2[1], CE1, M.CE2_IP, M.CE1_IP, 2300 + g + i, 80, size=104),
                      "uni"))
    return t


def is_vxlan_to_nh(frame):
    """What evfwd sends on the underlay: to the next hop, IPv4, UDP to 4789."""
    return (len(frame) >= 50 and frame[0:6] == E.mac_bytes(E.NH_MAC) and
            frame[12:14] == b"\x08\x00" and frame[23] == 17 and
            frame[36:38] == E.VXLAN_PORT.to_bytes(2, "big"))


def wait_show(run, cmd, pred, timeout=10):
    end = time.monotonic() + timeout
    while True:
        out = run.cmd(cmd)
        if pred(out) or time.monotonic() > end:
            return out
        time.sleep(0.05)


class SingleActiveLocal(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        E.cleanup_on_sigterm()
        cls.lab = E.Lab("mh-sa-local")
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
        ns = cls.links.netns(PREFIX)
        cls.ce_t, cls.net_t = ce1_traffic(), net_traffic()
        runs, cls.ce_if, cls.up_if = {}, {}, {}
        for me in (L1, L2):
            for role, d in (("c", cls.ce_if), ("u", cls.up_if)):
                ifname = "%s%s%s" % (PREFIX, role, me[-1])
                cls.links.veth(ifname, ifname + "p", ns, queues=1)
                d[me] = ifname
        peer = E.Peer([cls.ce_if[m] + "p" for m in (L1, L2)] + [cls.up_if[m] + "p" for m in (L1, L2)],
                      ns=ns)
        for me in (L1, L2):
            ce = "net_pcap0,iface=%s" % cls.ce_if[me]
            up = "net_pcap1,iface=%s" % cls.up_if[me]
            runs[me] = E.LiveRun(cls.lab, lconfig(me, ce, up), max_runtime=90,
                                 tag="leaf" + me[-1])
        cls.replies = {}
        for me in (L1, L2):
            for c in lroutes(me):
                cls.replies[(me, c)] = runs[me].cmd(c)
            runs[me].cmd("port start ce1")
            runs[me].cmd("port start uplink")
        cls.df_out = {}
        for me in (L1, L2):
            want = {name: ("DF" if DF[vni] == me else "non-DF") for name, vni, _ in VRFS}
            cls.df_out[me] = wait_show(runs[me], "show df", lambda out: {
                r["MAC-VRF"]: r["This node"] for r in M.table(out)} == want)
        # 1. ce1 sends the same frames on both links
        frames = [on_port(v, f) for v, f, _ in cls.ce_t]
        for me in (L1, L2):
            peer.send(cls.ce_if[me] + "p", frames)
        cls.fdb_out = {}
        for me in (L1, L2):
            runs[me].cmd("wait idle 300")
            cls.fdb_out[me] = runs[me].cmd("show fdb")
        # 2. leaf3 sends to ce1 through each leaf
        for me in (L1, L2):
            peer.send(cls.up_if[me] + "p", [E.vxlan4(f, vni, src=L3, dst=me, sport=51000 + n)
                                            for n, (vni, f, _) in enumerate(cls.net_t)])
        cls.es_out = {}
        for me in (L1, L2):
            runs[me].cmd("wait idle 300")
            cls.es_out[me] = runs[me].cmd("show es")
        time.sleep(0.3)   # let the last frames reach the capture
        cls.captured = {me: [f for f in peer.captured(cls.ce_if[me] + "p") if f[6:12] in OURS]
                        for me in (L1, L2)}
        cls.uplink = {me: [f for f in peer.captured(cls.up_if[me] + "p") if is_vxlan_to_nh(f)]
                      for me in (L1, L2)}
        cls.res = {}
        for me in (L1, L2):
            runs[me].cmd("show drops")
            cls.res[me] = runs[me].quit()

    def test_routes_applied(self):
        bad = {k: v for k, v in self.replies.items() if not any(l.endswith(": applied") for l in v)}
        self.assertEqual(bad, {}, "route commands not applied")

    def test_show_df_and_es(self):
        for me in (L1, L2):
            rows = {r["MAC-VRF"]: r for r in M.table(self.df_out[me])}
            for name, vni, _ in VRFS:
                self.assertEqual(rows[name]["DF"], DF[vni], "%s: DF of %s" % (me, name))
                self.assertEqual(rows[name]["This node"], "DF" if DF[vni] == me else "non-DF",
                                 "%s: %s" % (me, name))
            es = {r["Name"]: r for r in M.table(self.es_out[me])}["ES-1"]
            self.assertEqual((es["Type"], es["Mode"], es["Oper"], es["DF for"]),
                             ("local", "single-active", "up", "1 of 2 mac-vrfs"), me)

    def test_ce1_frames_forwarded_by_df_only(self):
        for me in (L1, L2):
            by = collections.defaultdict(list)
            for n, pkt in enumerate(self.uplink[me]):
                p = E.parse_vxlan(pkt)
                E.assert_vxlan(pkt, inner=p["inner"], vni=p["vni"], dst_ip=p["ip_dst"], src_ip=me,
                               what="%s uplink packet #%d" % (me, n))
                by[(p["vni"], p["ip_dst"])].append(p["inner"])
            exp = collections.defaultdict(list)
            for vni, f, kind in self.ce_t:
                if DF[vni] != me:
                    continue
                exp[(vni, L3)].append(f)
                if kind == "bum":
                    exp[(vni, PEER[me])].append(f)
            self.assertEqual(sorted(by), sorted(exp), "%s: (VNI, VTEP) pairs on the uplink" % me)
            for k in exp:
                self.assertFrames(by[k], exp[k], "%s: ce1's frames in VNI %d to %s" % ((me,) + k),
                                  ordered=False)

    def test_ce1_learned_on_df_only(self):
        for me in (L1, L2):
            rows = {r["MAC-VRF"]: r for r in M.table(self.fdb_out[me]) if r["Address"] == CE1}
            for name, vni, vlan in VRFS:
                if DF[vni] == me:
                    self.assertEqual((rows[name]["Destination"], rows[name]["Type"]),
                                     ("ce1" if vlan is None else "ce1.%d" % vlan, "learnt"),
                                     "%s: ce1's MAC in %s (DF)" % (me, name))
                else:
                    self.assertNotEqual(rows[name]["Type"], "learnt",
                                        "%s: ce1's MAC learned in %s on the non-DF" % (me, name))

    def test_network_to_ce1_once(self):
        got = {me: collections.Counter(self.captured[me]) for me in (L1, L2)}
        for n, (vni, f, kind) in enumerate(self.net_t):
            w = on_port(vni, f)
            self.assertEqual(got[DF[vni]][w], 1, "frame #%d (%s, VNI %d) not delivered by the DF "
                             "%s" % (n, kind, vni, DF[vni]))
            self.assertEqual(got[PEER[DF[vni]]][w], 0, "frame #%d (%s, VNI %d) delivered by the "
                             "non-DF %s" % (n, kind, vni, PEER[DF[vni]]))
        for me in (L1, L2):
            exp = [on_port(v, f) for v, f, _ in self.net_t if DF[v] == me]
            self.assertFrames(self.captured[me], exp, "%s: frames sent to ce1" % me,
                              ordered=False)

    def test_drop_counters(self):
        for me in (L1, L2):
            ce_in = sum(1 for v, _, _ in self.ce_t if DF[v] != me)
            net_bum = sum(1 for v, _, k in self.net_t if DF[v] != me and k == "bum")
            net_uni = sum(1 for v, _, k in self.net_t if DF[v] != me and k == "uni")
            # df-filter: ce1's frames and the BUM of the MAC-VRF this leaf is not DF for;
            # unicast to ce1 there: the MAC is behind the DF (its RT2 with ESI-1), so
            # the frame would go back to the network: remote-to-remote
            self.res[me].assert_drops({"df-filter": ce_in + net_bum, "remote-to-remote": net_uni},
                                      "%s: final drop counters" % me)

    def test_nothing_left(self):
        self.assertEqual(E.Links.leftovers(PREFIX), [], "namespaces/links left behind")

    def test_no_mbuf_leak(self):
        for me in (L1, L2):
            self.res[me].assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
