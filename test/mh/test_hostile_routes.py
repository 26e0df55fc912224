#!/usr/bin/python3
"""test_hostile_routes.py: bad EVPN routes through the shell change nothing.

evfwd is leaf1 (198.18.0.1, IPv4 only) with ES-1 on ce1 (df-timer 0), a
single-homed port h1 with a static MAC, MAC-VRFs VNI 1 and 2. A set of good
routes is applied first: ES-1's peer leaf2 (RT4, RT1 per-ES/per-EVI, RT2 of
ce1's MAC), RT3 from leaf2 and leaf3, a remote host behind leaf3, a remote
segment ES-9 with 8 PEs (the most a segment can have), and a MAC with 4 RT2
routes (the most a MAC can have); a repeated RT3 add (a BGP update) is
accepted. Then the shell state is captured (show fdb, show es, show es ES-1,
show es ES-9, show df, show vteps, show mac-vrf X, show routes, show events)
and 82 bad route commands follow:

  * 45 rejected by validation, each with its exact reason: unknown VNI on
    rt1/rt2/rt3; all-zero ESI on rt1 (per-ES, per-EVI)/rt4; all-ones
    (MAX-ESI) ESI on rt1/rt4/rt2; multicast, broadcast and zero MACs; VTEPs
    0.0.0.0, multicast, loopback, broadcast and class E; our own VTEP (rt1,
    rt2, rt3, rt4); an IPv6 VTEP without an IPv6 source; RT4 for a remote
    segment and for an unknown one; a 9th PE on ES-9 (rt1 per-ES, rt1
    per-EVI for a bound and an unbound MAC-VRF, rt2); a 5th RT2 route for one
    MAC (with and without a new ESI); RT2 for a static MAC; withdrawals of
    routes never received (rt1 per-ES and per-EVI, rt2, rt3, rt4); RT2 IPs
    0.0.0.0 and multicast;
  * 37 refused by the parser ("Route not applied: ..."), each with its exact
    message: bad numbers (letters, 0, too large, negative, 0x, 23 digits,
    out-of-range pref/seq), unknown keys, keys of another route type, missing
    vtep, missing esi/vni/mac, repeated keys and flags, a key without its
    value, bad ESI, MAC and IP text, unknown route types, a bad df-alg, an
    etag other than max, single-active on a per-EVI route, etag max with vni.
Then: 'show routes' counts every rejection under its reason and nothing more
as applied; every view is identical to the capture (the accepted state is
untouched) and no event was emitted; and evfwd still forwards correctly
(unicast to the remote host, to the 4-route MAC's best route, to ce1 on the
local segment, and a broadcast to ce1 and both RT3 VTEPs), with no drop and
no mbuf leaked. The command file's exit status: every bad route fails its
line (standard error: "FILE:LINE: ROUTE: rejected (REASON)" or "FILE:LINE:
Route not applied: MESSAGE", in order, then the count) and evfwd exits 1.
"""
import collections
import re
import sys

sys.dont_write_bytecode = True
import os  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mhlib as M  # noqa: E402
from mhlib import E, ESI1, CE1, CE2, LEAF  # noqa: E402

L1, L2, L3 = LEAF[1], LEAF[2], LEAF[3]
ESI9 = "09:99:99:99:99:99:99:00:00:09"
ESI_NEW = "0a:aa:aa:aa:aa:aa:aa:00:00:0a"
ESI_ZERO = "00:00:00:00:00:00:00:00:00:00"
ESI_MAX = "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff"
STATIC = "00:c1:ab:00:05:05"          # static MAC on h1
H = "00:c1:ab:00:06:06"               # host on h1 sending the traffic check
Y = "00:c1:ab:00:07:07"               # MAC with 4 RT2 routes
X9 = "00:c1:ab:00:09:09"              # MAC behind ES-9
U = "00:c1:ab:00:0e:0e"               # never heard of
PE9 = ["198.18.1.%d" % i for i in range(1, 10)]
Y_VTEPS = [L2, L3, "198.18.0.4", "198.18.0.5"]

CONFIG = (M.node_yaml("leaf1", L1) + "ports:\n" + M.port_yaml("uplink", "network", False) +
          M.port_yaml("ce1", enabled=False) + M.port_yaml("h1", enabled=False) + """\
ethernet-segments:
  - name: ES-1
    esi: %s
    interface: ce1
    df-timer: 0
mac-vrfs:
  - name: mac-vrf-1
    vni: 1
    attachments:
      - {port: ce1, vlan: untagged}
      - {port: h1, vlan: untagged}
    static-macs:
      - {mac: "%s", port: h1, vlan: untagged}
  - name: mac-vrf-2
    vni: 2
    attachments:
      - {port: ce1, vlan: 2}
      - {port: h1, vlan: 2}
""" % (ESI1, STATIC) + M.workers_yaml())

GOOD = ([M.rt4(L2), M.rt1_es(L2), M.rt1_evi(1, L2), M.rt1_evi(2, L2), M.rt2(1, CE1, L2, ESI1),
         M.rt3(1, L2), M.rt3(1, L3), M.rt3(2, L3), M.rt2(1, CE2[0], L3)] +
        [M.rt1_es(v, ESI9) for v in PE9[:8]] + [M.rt1_evi(1, PE9[0], ESI9),
                                                 M.rt2(1, X9, PE9[0], ESI9)] +
        [M.rt2(1, Y, v) for v in Y_VTEPS] +
        # a repeated add (a BGP update of the same route) is accepted
        [M.rt3(1, L3)])

# (command, expected reason) -- validation rejects
REJECTS = [
    (M.rt2(999, U, L3), "unknown-vni"),
    (M.rt3(999, L3), "unknown-vni"),
    (M.rt1_evi(999, L2), "unknown-vni"),
    (M.rt1_es(L2, ESI_ZERO), "bad-esi"),
    (M.rt1_evi(1, L2, ESI_ZERO), "bad-esi"),
    (M.rt4(L2, ESI_ZERO), "bad-esi"),
    (M.rt1_es(L2, ESI_MAX), "bad-esi"),
    (M.rt4(L2, ESI_MAX), "bad-esi"),
    (M.rt2(1, U, L2, ESI_MAX), "bad-esi"),
    (M.rt2(1, "01:00:5e:00:00:01", L3), "bad-mac"),
    (M.rt2(1, "33:33:00:00:00:01", L3), "bad-mac"),
    (M.rt2(1, "ff:ff:ff:ff:ff:ff", L3), "bad-mac"),
    (M.rt2(1, "00:00:00:00:00:00", L3), "bad-mac"),
    (M.rt3(1, "0.0.0.0"), "bad-vtep"),
    (M.rt3(1, "224.0.0.5"), "bad-vtep"),
    (M.rt3(1, "239.1.1.1"), "bad-vtep"),
    (M.rt3(1, "127.0.0.1"), "bad-vtep"),
    (M.rt3(1, "255.255.255.255"), "bad-vtep"),
    (M.rt2(1, U, "240.0.0.1"), "bad-vtep"),
    (M.rt1_es("0.0.0.0"), "bad-vtep"),
    (M.rt3(1, L1), "own-route"),
    (M.rt4(L1), "own-route"),
    (M.rt1_es(L1), "own-route"),
    (M.rt2(1, U, L1), "own-route"),
    (M.rt3(1, "2001:2::5"), "no-source-for-family"),
    (M.rt4(L2, ESI9), "es-not-local"),
    (M.rt4(L2, ESI_NEW), "es-not-local"),
    (M.rt1_es(PE9[8], ESI9), "es-pe-limit"),
    (M.rt2(1, X9, PE9[8], ESI9), "es-pe-limit"),
    (M.rt1_evi(1, PE9[8], ESI9), "es-pe-limit"),
    (M.rt1_evi(2, PE9[8], ESI9), "es-pe-limit"),
    (M.rt2(1, Y, "198.18.0.6"), "too-many-routes-for-mac"),
    (M.rt2(1, Y, "198.18.0.6", ESI_NEW), "too-many-routes-for-mac"),
    (M.rt2(1, STATIC, L3), "static-mac"),
    (M.rt2(1, STATIC, L2, ESI1), "static-mac"),
    (M.rt2(1, U, L3, op="del"), "not-found"),
    (M.rt2(1, Y, "198.18.0.9", op="del"), "not-found"),
    (M.rt3(1, "198.18.0.9", op="del"), "not-found"),
    (M.rt3(2, L2, op="del"), "not-found"),
    (M.rt1_es(L2, ESI_NEW, op="del"), "not-found"),
    (M.rt1_es(L3, op="del"), "not-found"),
    (M.rt1_evi(1, L3, op="del"), "not-found"),
    (M.rt4(L3, op="del"), "not-found"),
    ("route add rt2 vni 1 mac %s vtep %s ip 224.0.0.1" % (U, L3), "bad-ip"),
    ("route add rt2 vni 1 mac %s vtep %s ip 0.0.0.0" % (U, L3), "bad-ip"),
]

# (command, expected parser message) -- "Route not applied: MSG"
MALFORMED = [
    ("route add rt3 vni abc vtep %s" % L3, "vni 'abc' is not 1..16777215"),
    ("route add rt3 vni 0 vtep %s" % L3, "vni '0' is not 1..16777215"),
    ("route add rt3 vni 16777216 vtep %s" % L3, "vni '16777216' is not 1..16777215"),
    ("route add rt3 vni -1 vtep %s" % L3, "vni '-1' is not 1..16777215"),
    ("route add rt3 vni 0x1 vtep %s" % L3, "vni '0x1' is not 1..16777215"),
    ("route add rt3 vni 99999999999999999999999 vtep %s" % L3,
     "vni '99999999999999999999999' is not 1..16777215"),
    ("route add rt2 vni 1 mac %s vtep %s seq -1" % (U, L3), "seq '-1' is not 0..4294967295"),
    ("route add rt2 vni 1 mac %s vtep %s seq 4294967296" % (U, L3),
     "seq '4294967296' is not 0..4294967295"),
    ("route add rt4 esi %s vtep %s pref 65536" % (ESI1, L2), "pref '65536' is not 0..65535"),
    ("route add rt3 vni 1 vtep %s color 5" % L3, "unexpected 'color' in an rt3 route"),
    ("route add rt3 vni 1 mac %s vtep %s" % (U, L3), "unexpected 'mac' in an rt3 route"),
    ("route add rt4 esi %s vni 1 vtep %s" % (ESI1, L2), "unexpected 'vni' in an rt4 route"),
    ("route add rt1 esi %s vtep %s sticky" % (ESI1, L2), "'sticky' needs a value"),
    ("route add rt3 vni 1", "missing 'vtep'"),
    ("route add rt2 vni 1 mac %s" % U, "missing 'vtep'"),
    ("route add rt3 vtep %s" % L3, "rt3 needs 'vni'"),
    ("route add rt2 vni 1 vtep %s" % L3, "rt2 needs 'vni' and 'mac'"),
    ("route add rt1 vtep %s" % L2, "rt1 needs 'esi'"),
    ("route add rt4 vtep %s" % L2, "rt4 needs 'esi'"),
    ("route add rt3 vni 1 vni 2 vtep %s" % L3, "'vni' given twice"),
    ("route add rt3 vni 1 vtep %s vtep %s" % (L3, L2), "'vtep' given twice"),
    ("route add rt3 vni 1 vtep", "'vtep' needs a value"),
    ("route add rt1 esi 01:02:03 vtep %s" % L2, "esi '01:02:03' is not ten colon-separated hex bytes"),
    ("route add rt1 esi %s:00 vtep %s" % (ESI1, L2),
     "esi '%s:00' is not ten colon-separated hex bytes" % ESI1),
    ("route add rt2 vni 1 mac 00:c1:ab:00:00 vtep %s" % L3, "mac '00:c1:ab:00:00' is not xx:xx:xx:xx:xx:xx"),
    ("route add rt2 vni 1 mac 00:c1:ab:00:00:zz vtep %s" % L3,
     "mac '00:c1:ab:00:00:zz' is not xx:xx:xx:xx:xx:xx"),
    ("route add rt3 vni 1 vtep 198.18.0.300", "vtep '198.18.0.300' is not an IPv4/IPv6 address"),
    ("route add rt3 vni 1 vtep leaf3", "vtep 'leaf3' is not an IPv4/IPv6 address"),
    ("route add rt2 vni 1 mac %s vtep %s ip 1.2.3" % (U, L3), "ip '1.2.3' is not an IPv4/IPv6 address"),
    ("route add rt5 vni 1 vtep %s" % L3, "unknown route type 'rt5' (rt1, rt2, rt3, rt4)"),
    ("route add RT3 vni 1 vtep %s" % L3, "unknown route type 'RT3' (rt1, rt2, rt3, rt4)"),
    ("route add rt4 esi %s vtep %s df-alg random" % (ESI1, L2),
     "df-alg 'random' is not modulo, hrw, preference or a DF type 0..255"),
    ("route add rt1 esi %s vtep %s etag 5" % (ESI1, L2),
     "etag '5': only 'max' (per-ES route) is accepted; per-EVI routes give 'vni'"),
    ("route add rt1 esi %s vni 1 vtep %s single-active" % (ESI1, L2),
     "rt1: 'single-active' belongs to per-ES routes (no 'vni')"),
    ("route add rt1 esi %s etag max vni 1 vtep %s" % (ESI1, L2),
     "rt1: 'etag max' (per-ES) and 'vni' (per-EVI) exclude each other"),
    ("route add rt4 esi %s vtep %s dont-preempt dont-preempt" % (ESI1, L2),
     "'dont-preempt' given twice"),
    ("route del rt3", "missing 'vtep'"),
]

VIEWS = ["show fdb", "show es", "show es ES-1", "show es " + ESI9, "show df", "show vteps",
         "show mac-vrf mac-vrf-1", "show mac-vrf mac-vrf-2"]

CMDS = (GOOD + VIEWS + ["show routes", "show events 300"] +
        [c for c, _ in REJECTS] + [c for c, _ in MALFORMED] +
        VIEWS + ["show routes", "show events 300"] +
        ["port start ce1", "sleep 500", "port start uplink", "port start h1", "wait idle 300",
         "show drops", "quit"])


def traffic():
    return {
        "to_remote": [E.host_frame(H, CE2[0], "192.168.0.50", M.CE2_IP, 7000 + i, 80, size=90)
                      for i in range(5)],
        "to_y": [E.host_frame(H, Y, "192.168.0.50", "192.168.0.70", 7100 + i, 80, size=95)
                 for i in range(5)],
        "to_ce1": [E.host_frame(H, CE1, "192.168.0.50", M.CE1_IP, 7200 + i, 80, size=100)
                   for i in range(5)],
        "bcast": [E.bcast_frame(H, ident=300 + i) for i in range(3)],
    }


class HostileRoutes(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = traffic()
        h1 = cls.t["to_remote"] + cls.t["to_y"] + cls.t["to_ce1"] + cls.t["bcast"]
        cls.lab = E.Lab("mh-hostile")
        # every rejected or malformed route fails its line: evfwd exits 1
        cls.res = cls.lab.run(CONFIG, {"h1": h1}, cmds=CMDS, expect_rc=1)
        cls.replies = {c: (k, d) for c, k, d in M.route_replies(cls.res)}

    def test_good_routes_applied(self):
        for c in GOOD:
            self.assertEqual(self.replies[c][0], "applied", "%s: %s" % (c, self.replies[c]))

    def test_rejections_exact(self):
        self.assertGreaterEqual(len(set(r for _, r in REJECTS)), 12, "kinds of rejection")
        wrong = []
        for c, reason in REJECTS:
            got = self.replies.get(c)
            if got != ("rejected", reason):
                wrong.append("%s\n        got %s, expected rejected (%s)" % (c, got, reason))
        self.assertEqual(wrong, [], "route commands with a wrong answer:\n    " +
                         "\n    ".join(wrong))

    def test_parser_messages_exact(self):
        wrong = []
        for c, msg in MALFORMED:
            got = self.replies.get(c)
            if got != ("not-applied", msg):
                wrong.append("%s\n        got %s, expected 'Route not applied: %s'" % (c, got, msg))
        self.assertEqual(wrong, [], "malformed route commands with a wrong answer:\n    " +
                         "\n    ".join(wrong))

    def test_route_counters(self):
        a0, r0 = M.route_counters(self.res, 0)
        a1, r1 = M.route_counters(self.res, 1)
        n_rt = collections.Counter(c.split()[2] for c in GOOD)
        self.assertEqual({k: v for k, v in a0.items() if k[1] == "add"},
                         {("rt%d" % t, "add"): n_rt["rt%d" % t] for t in range(1, 5)})
        self.assertEqual(r0, {"ok": len(GOOD)}, "results after the good routes")
        self.assertEqual(a1, a0, "'Routes applied' changed by rejected routes")
        exp = collections.Counter(r for _, r in REJECTS)
        exp["ok"] = len(GOOD)
        self.assertEqual(r1, dict(exp), "results after the bad routes")

    def test_views_unchanged(self):
        for v in VIEWS:
            before, after = M.show(self.res, v, 0), M.show(self.res, v, 1)
            self.assertEqual(after, before, "'%s' changed by rejected routes" % v)

    def test_no_events_from_rejected_routes(self):
        before, after = M.show(self.res, "show events 300", 0), M.show(self.res, "show events 300", 1)
        self.assertEqual(after, before, "rejected routes emitted events")

    def test_accepted_state(self):
        fdb = {r["Address"]: r for r in self.res.fdb(0)}
        self.assertEqual(fdb[CE1]["Destination"], "esi:%s (aliasing: %s)" % (ESI1, L2),
                         "ce1's MAC before ce1 is up")
        self.assertEqual(fdb[CE2[0]]["Destination"], "vxlan %s" % L3)
        self.assertEqual(fdb[Y]["Destination"], "vxlan %s" % L2, "best of 4 equal-seq routes")
        self.assertEqual(fdb[STATIC]["Type"], "static")
        self.assertEqual(fdb[X9]["Destination"], "esi:%s (aliasing: %s)" % (ESI9, PE9[0]))
        es = M.show_es(self.res, 0)
        self.assertEqual(sorted(es), sorted(["ES-1", ESI9]))
        self.assertEqual(es[ESI9]["PEs (RT1 per-ES)"], ",".join(PE9[:8]))

    def test_forwarding_after(self):
        by = collections.defaultdict(list)
        for n, pkt in enumerate(self.res.out("uplink")):
            p = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=p["inner"], vni=1, dst_ip=p["ip_dst"], src_ip=L1,
                           what="uplink packet #%d" % n)
            by[p["ip_dst"]].append(p["inner"])
        self.assertFrames(by[L3], self.t["to_remote"] + self.t["bcast"], "to leaf3",
                          ordered=False)
        self.assertFrames(by[L2], self.t["to_y"] + self.t["bcast"], "to leaf2", ordered=False)
        self.assertEqual(sorted(by), [L2, L3], "VTEPs that received traffic")
        self.assertFrames(self.res.out("ce1"), self.t["to_ce1"] + self.t["bcast"],
                          "ce1 output (local segment)", ordered=False)
        self.assertFrames(self.res.out("h1"), [], "h1 output")
        self.res.assert_drops({})

    def test_command_file_exit_status(self):
        """Each bad route fails its line: standard error names the file, the
        line and the reason, in order; then the count; exit code 1."""
        cf = os.path.join(self.res.dir, "cmds.txt")
        rejects, malformed = dict(REJECTS), dict(MALFORMED)
        want, failed = [], 0
        for n, c in enumerate(CMDS + ["quit"], 1):
            if c in rejects:
                want.append(r"%s:%d: .*: rejected \(%s\)" % (re.escape(cf), n,
                                                              re.escape(rejects[c])))
            elif c in malformed:
                want.append(r"%s:%d: Route not applied: %s" % (re.escape(cf), n,
                                                              re.escape(malformed[c])))
            else:
                continue
            failed += 1
        want.append(r"evfwd: %d command\(s\) in %s failed" % (failed, re.escape(cf)))
        got = [l for l in self.res.stderr.splitlines() if l.startswith(cf) or
               re.match(r"evfwd: \d+ command", l)]
        self.assertEqual(len(got), len(want), "stderr:\n" + "\n".join(got))
        for g, w in zip(got, want):
            self.assertRegex(g, "^" + w + "$")
        self.assertEqual(failed, len(REJECTS) + len(MALFORMED))
        self.assertEqual(self.res.rc, 1)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
