#!/usr/bin/python3
"""test_fabric_seed003.py: the seed-003 fabric (SR Linux EVPN L2 multihoming
lab) with a real control plane and nothing pushed by hand (suite "fabric";
doc/fabric.md is the guide to it).

  ce1 (netns -host, 198.18.1.1) --- OVS LACP bond (balance-tcp, fast) ---+--- leaf1 lag1 (m1)
                                                                       +--- leaf2 lag1 (m2)
  ce2 (netns -ce2, 198.18.1.2) --- leaf3 (port ce2)
  host4 (netns -h4, 198.18.1.4) --- leaf4: Linux bridge + VXLAN + FRR (netns -l4)

  leaf1..3: evfwd (VTEPs 198.18.0.1-3), each with its gobgpd (BASE.1-3) and
  evfwd-gobgp; leaf4: FRR bgpd/zebra (VTEP 198.18.0.4, BGP as BASE.4 through a
  relay, fabriclib.py); a fourth gobgpd (BASE.100) is the route reflector.
  Underlay: the spine namespace routes 198.18.0.x between the leafs' uplinks.
  MAC-VRF mac-vrf-1, VNI 100 = EVI; ES-1 on leaf1 and leaf2, all-active,
  modulo, DF timer 1 s, LACP system id 00:00:00:00:00:11 key 11 (the seed's).

ES-1's ESI: the seed writes 01:11:11:11:11:11:11:00:00:01. gobgpd 3.10 refuses
an ESI of type 1 whose last octet is not 0 (RFC 7432 section 5) and then
disables EVPN on the whole session, so evfwd-gobgp does not advertise it
(test_origin.go and ring-gobgp-e2e check that). The lab uses the type-1 ESI
RFC 7432 derives from the seed's LACP parameters instead:
01:00:00:00:00:00:11:00:0b:00 (system MAC 00:00:00:00:00:11, port key 11).

 1. control plane: every BGP session up, every adapter attached and in sync;
    each speaker originates exactly its routes (leaf1/leaf2: RT3, RT4, RT1
    per-ES, RT1 per-EVI; leaf3: RT3; FRR: RT3) and every RIB has them all;
    evfwd's manual ring is empty (nothing by hand);
 2. LACP negotiated on both members (OVS bond0 and both evfwd's show lacp);
 3. exactly one DF for the EVI and both leafs agree (show df; the model);
 4. ping both ways between ce1, ce2 and host4 (also teaches every MAC);
    then ce2's MAC/IP binding, snooped on leaf3 (arp-nd, proxy off so that
    ARP still floods as the other steps expect), is advertised as an RT2
    MAC+IP route by leaf3's evfwd-gobgp and is a remote binding in leaf1's
    and leaf2's `show arp` (ce2's MAC behind 198.18.0.3 in their FDB);
 5. leaf3's FDB has ce1's MAC behind ES-1 with both leafs; 200 flows ce2 ->
    ce1 split 35-65% over leaf1/leaf2, each delivered exactly once;
 6. broadcast ce2 -> all and ce1 -> all: delivered exactly once to each other
    host, never echoed back;
 7. FRR interop: bgpd lists ES-1 with VTEPs 198.18.0.1 and .2 (show bgp l2vpn
    evpn es), its kernel reaches ce1's MAC through a nexthop group of both;
    evfwd has host4's MAC behind 198.18.0.4 and 198.18.0.4 in its flood list;
 8. leaf1's member down under a 1000 pps stream ce2 -> ce1: loss < 500
    frames (reported), then leaf3 no longer sends to leaf1; link up again;
 9. the DF's member down under a BUM stream ce2 -> ce1: BUM delivered again
    by the other leaf within DF timer + 1 s (reported); link up again;
10. evfwd on leaf2 killed (SIGKILL) and restarted: its routes leave every
    RIB, come back, and afterwards every gobgpd RIB holds exactly what the
    speakers originate (no stale route, none missing), leaf2's FDB and flood
    list are whole again;
11. teardown: adapters stopped cleanly withdraw everything they originated;
    nothing of the lab is left.
Every figure goes to stderr and to build/fabric/results.md.
"""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.join(_HERE, "..", "lacp"))
sys.path.insert(0, os.path.join(_HERE, "..", "mh"))
import fabriclib as F  # noqa: E402
import ovslab as L  # noqa: E402
import lagshow as S  # noqa: E402
import evfpkt as E  # noqa: E402
import mhlib as M  # noqa: E402

L.install_signal_handlers()

T0 = time.monotonic()
VNI = EVI = 100
ESI = "01:00:00:00:00:00:11:00:0b:00"
LEAFS = ["leaf1", "leaf2", "leaf3"]
N = {"leaf1": 1, "leaf2": 2, "leaf3": 3}
VTEP = {"leaf1": "198.18.0.1", "leaf2": "198.18.0.2", "leaf3": "198.18.0.3", "leaf4": "198.18.0.4"}
LEAF_MAC = {"leaf1": "02:00:00:00:00:01", "leaf2": "02:00:00:00:00:02",
            "leaf3": "02:00:00:00:00:03"}
SPINE_MAC = {"leaf1": "02:00:00:00:aa:01", "leaf2": "02:00:00:00:aa:02",
             "leaf3": "02:00:00:00:aa:03"}
MH = ["leaf1", "leaf2"]
PEER = {"leaf1": "leaf2", "leaf2": "leaf1"}
CE1_IP, CE1_MAC = L.HOST_IP, L.HOST_MAC
CE1_DATA_IP = "198.18.1.201"   # test flows to ce1's MAC, not its address: no ICMP replies
CE2_IP, CE2_MAC = "198.18.1.2", "00:c1:ab:00:02:02"
H4_IP, H4_MAC = "198.18.1.4", "00:c1:ab:00:04:04"
MTU = 1400                      # hosts: room for VXLAN on the 1500-byte underlay
DF_IP = M.df_modulo([VTEP["leaf1"], VTEP["leaf2"]], EVI)
DF = next(l for l in MH if VTEP[l] == DF_IP)
NON_DF = PEER[DF]
MAGIC = b"EVFFABRC"
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]
BASE = "127.67.%d." % (os.getpid() % 250 + 1)
RR = 100
CONVERGE_S = 60
FAIL_RATE, FAIL_SECS, FAIL_AT = 1000, 9, 2.0
LOSS_MAX = 500
BUM_RATE, BUM_SECS = 200, 8
DF_TIMER_S = 1
AFXDP_KEPT_MBUFS = 2 * (2048 + 64)   # two af_xdp ports' fill rings on leaf3
RESULTS = os.path.join(_HERE, "..", "..", "build", "fabric", "results.md")

CONFIG_MH = """
node: {name: %(name)s, vtep-ipv4: %(vtep)s, mac: "%(me)s"}
ports:
  - {name: uplink, device: "net_af_packet0,iface=%(up)s", role: network, next-hop-mac: "%(nh)s"}
  - {name: %(member)s, device: "net_af_xdp0,iface=%(mdev)s", role: access}
lags:
  - name: lag1
    members:
      - {port: %(member)s, port-number: %(pnum)d}
    lacp: {interval: fast, system-id: "%(sysid)s", system-priority: %(prio)d, key: %(key)d}
    tx-hash: l34
mac-vrfs:
  - name: mac-vrf-1
    vni: %(vni)d
    attachments:
      - {port: lag1, vlan: untagged}
    arp-nd: {proxy: false}
ethernet-segments:
  - name: ES-1
    esi: "%(esi)s"
    mode: all-active
    interface: lag1
    df-election: {algorithm: modulo}
    df-timer: %(dft)d
control-ring: {name: %(ring)s, hold-time: 30}
workers: {count: 1, idle-sleep-us: 50}
"""

CONFIG_SH = """
node: {name: %(name)s, vtep-ipv4: %(vtep)s, mac: "%(me)s"}
ports:
  - {name: uplink, device: "net_af_packet0,iface=%(up)s", role: network, next-hop-mac: "%(nh)s"}
  - {name: ce2, device: "net_af_xdp0,iface=%(cdev)s", role: access}
mac-vrfs:
  - name: mac-vrf-1
    vni: %(vni)d
    attachments:
      - {port: ce2, vlan: untagged}
    arp-nd: {proxy: false}
control-ring: {name: %(ring)s, hold-time: 30}
workers: {count: 1, idle-sleep-us: 50}
"""


def note(msg):
    sys.stderr.write("    %s\n" % msg)
    sys.stderr.flush()


class Fabric(E.EvfTestCase):
    """The lab is built once; the tests run in name order and share it."""

    lab = None
    evf = {}
    results = []

    # ------------------------------------------------------------ set-up --
    @classmethod
    def setUpClass(cls):
        F.need_tools()
        cls.t_waited = L.wait_other_labs(say=lambda m: sys.stderr.write("\n    %s\n" % m))
        cls.elab = E.Lab("fabric")
        cls.lab = L.OvsLab(parent_dir=cls.elab.dir)
        cls.evf, cls.adapters, cls.sp, cls.frr = {}, {}, None, None
        try:
            cls._setup()
        except BaseException:
            cls.lab.failed = cls.elab.failed = True
            cls._teardown()
            raise

    @classmethod
    def _setup(cls):
        lab, P = cls.lab, cls.lab.prefix
        t = time.monotonic()
        lab.make_links()          # ce1's namespace, spine namespace, m1/m2, leaf1's uplink
        cls.up = {"leaf1": lab.net, "leaf2": P + "-u2", "leaf3": P + "-u3"}
        cls.sp_if = {"leaf1": lab.netp, "leaf2": P + "-s2", "leaf3": P + "-s3"}
        for l in ("leaf2", "leaf3"):
            lab.links.veth(cls.up[l], cls.sp_if[l], lab.ns_spine, queues=1)
        cls.ns_ce2, cls.c2, cls.c2h = P + "-ce2", P + "-c2", P + "-c2h"
        lab.links.netns(cls.ns_ce2)
        lab.links.veth(cls.c2, cls.c2h, cls.ns_ce2, queues=1, peer_mac=CE2_MAC)
        E.sh([F.IP_CMD, "addr", "add", CE2_IP + "/24", "dev", cls.c2h], ns=cls.ns_ce2)
        for ns, dev in ((cls.ns_ce2, cls.c2h), (lab.ns_host, lab.hh)):
            E.sh([F.IP_CMD, "link", "set", dev, "mtu", str(MTU)], ns=ns)
        spine = F.Spine(lab.links, lab.ns_spine)
        for l in LEAFS:
            spine.evfwd_leaf(cls.sp_if[l], VTEP[l], LEAF_MAC[l], SPINE_MAC[l])
        cls.frr = F.FrrLeaf(lab.links, cls.elab.dir, P, VNI, VTEP["leaf4"], "10.0.0.4",
                            BASE + str(RR), BASE + "4")
        cls.frr.build(lab.ns_spine, P + "-u4", P + "-s4", "198.18.10.2", "198.18.10.1",
                      P + "-h4b", P + "-h4h", H4_IP, H4_MAC, MTU)
        spine.routed_leaf(P + "-s4", "198.18.10.1", "198.18.10.2", VTEP["leaf4"])
        lab.start_ovs()
        lab.make_host_bridge()
        cls.t_lab = time.monotonic() - t

        # control plane: route reflector, one gobgpd per evfwd leaf
        cls.sp = F.Speakers(cls.elab.dir, BASE)
        cls.sp.gobgpd("rr", RR, "10.0.0.100", clients=[1, 2, 3], passive=[4])
        for l in LEAFS:
            cls.sp.gobgpd(l, N[l], "10.0.0.%d" % N[l], rr=RR)
        cls.frr.start()
        # the data plane
        cls.t_start = time.monotonic()
        for l in LEAFS:
            cls.evf[l] = cls._start_leaf(l)
        for l in LEAFS:
            cls.adapters[l] = F.Adapter(cls.elab.dir, l, cls.sp.api(N[l]), cls.ring(l)).start()
        # traffic agents
        cls.ce1_rx = L.Agent("count", lab.hh, ns=lab.ns_host, magic=MAGIC)
        cls.ce1_tx = L.Agent("send", lab.hh, ns=lab.ns_host)
        cls.ce2_rx = L.Agent("count", cls.c2h, ns=cls.ns_ce2, magic=MAGIC)
        cls.ce2_tx = L.Agent("send", cls.c2h, ns=cls.ns_ce2)
        cls.h4_rx = L.Agent("count", P + "-h4h", ns=cls.frr.ns_host, magic=MAGIC)
        # what each evfwd leaf gets from the spine
        cls.uplink_rx = {l: L.Agent("count", cls.up[l], magic=MAGIC) for l in LEAFS}
        cls.converge = cls._wait_converged(CONVERGE_S)

    @classmethod
    def ring(cls, leaf):
        return "/evff-%s-%s" % (cls.lab.tag, leaf)

    @classmethod
    def _config(cls, leaf):
        lab = cls.lab
        if leaf == "leaf3":
            return CONFIG_SH % dict(name=leaf, vtep=VTEP[leaf], me=LEAF_MAC[leaf],
                                    up=cls.up[leaf], nh=SPINE_MAC[leaf], cdev=cls.c2, vni=VNI,
                                    ring=cls.ring(leaf))
        return CONFIG_MH % dict(name=leaf, vtep=VTEP[leaf], me=LEAF_MAC[leaf], up=cls.up[leaf],
                                nh=SPINE_MAC[leaf], member="m%d" % N[leaf],
                                mdev=lab.m1 if leaf == "leaf1" else lab.m2, pnum=N[leaf],
                                sysid=L.EVF_SYS_ID, prio=L.EVF_SYS_PRIO, key=L.EVF_KEY,
                                vni=VNI, esi=ESI, dft=DF_TIMER_S, ring=cls.ring(leaf))

    @classmethod
    def _start_leaf(cls, leaf, tries=4, tag=None):
        """LiveRun, retried on DPDK 22.11's net_af_packet fanout id collisions
        (test_ovs_two_leafs.py explains them)."""
        for k in range(tries):
            try:
                run = E.LiveRun(cls.elab, cls._config(leaf), eal_args=EAL, max_runtime=900,
                                tag=(tag or leaf) + ("" if k == 0 else "-try%d" % (k + 1)))
                L.boost(run.proc.pid)
                return run
            except AssertionError as e:
                if "PACKET_FANOUT" not in str(e) or k + 1 == tries:
                    raise
                cls.elab.failed = False

    # --------------------------------------------------------- state --
    @classmethod
    def _state(cls):
        """Why the fabric is not converged yet: [reasons]."""
        why = []
        nb = cls.sp.neighbors(RR)
        for n in (1, 2, 3, 4):
            if nb.get(BASE + str(n)) not in ("established", 6):
                why.append("RR: session with %s%d %s" % (BASE, n, nb.get(BASE + str(n))))
        for l in LEAFS:
            if not cls.adapters[l].ready():
                why.append("%s: adapter not ready" % l)
        try:
            cls.lab.wait_bond(cls.lab.bond_host, [cls.lab.m1o, cls.lab.m2o],
                              partner_sys=L.EVF_SYS_ID, partner_key=L.EVF_KEY,
                              partner_prio=L.EVF_SYS_PRIO, timeout=0)
        except AssertionError as e:
            why.append("OVS: " + str(e).splitlines()[0])
        for l in MH:
            es = cls.show_es(l)
            if es.get("oper") != "up":
                why.append("%s: ES-1 %s" % (l, es.get("oper")))
            df = cls.show_df(l)
            if df is None or df["DF"] != DF_IP or \
                    df["This node"] != ("DF" if l == DF else "non-DF"):
                why.append("%s: show df %s" % (l, df))
        want = cls.expected_local()
        for l in LEAFS:
            got = cls.kinds(cls.sp.local(N[l]))
            if not want[l] <= got:
                why.append("%s originates %s, not yet %s" % (l, sorted(got), sorted(want[l])))
        return why

    @classmethod
    def _wait_converged(cls, timeout, since=None):
        t0 = cls.t_start if since is None else since
        while True:
            why = cls._state()
            dt = time.monotonic() - t0
            if not why:
                return {"ok": True, "at": dt}
            if dt > timeout:
                return {"ok": False, "at": dt, "why": why}
            time.sleep(0.5)

    def assertConverged(self, conv, what):
        if not conv["ok"]:
            self.lab.failed = self.elab.failed = True
        self.assertTrue(conv["ok"], "%s: not converged after %.0f s:\n  %s\n%s"
                        % (what, conv["at"], "\n  ".join(conv.get("why", [])), self.describe()))

    @staticmethod
    def kinds(keys):
        """Route keys -> {(type, etag kind)}: what a speaker originates, without RDs."""
        out = set()
        for k in keys:
            t = k[0]
            if t == 1:
                out.add("rt1-es" if k[3] == 4294967295 else "rt1-evi")
            else:
                out.add("rt%d" % t)
        return out

    @classmethod
    def expected_local(cls):
        return {"leaf1": {"rt3", "rt4", "rt1-es", "rt1-evi"},
                "leaf2": {"rt3", "rt4", "rt1-es", "rt1-evi"}, "leaf3": {"rt3"}}

    # ------------------------------------------------------------ helpers --
    @classmethod
    def show_es(cls, leaf):
        import test_ovs_two_leafs as T2  # its parser of "show es NAME"
        return T2.parse_es_detail(cls.evf[leaf].cmd("show es ES-1"))

    @classmethod
    def show_df(cls, leaf):
        rows = [r for r in M.table(cls.evf[leaf].cmd("show df"))
                if r.get("Segment") == "ES-1" and r.get("MAC-VRF") == "mac-vrf-1"]
        return rows[0] if len(rows) == 1 else None

    @classmethod
    def fdb(cls, leaf):
        """{MAC: destination text} of mac-vrf-1."""
        return {r["Address"].lower(): r["Destination"]
                for r in M.table(cls.evf[leaf].cmd("show fdb")) if r.get("MAC-VRF") == "mac-vrf-1"}

    @classmethod
    def flood(cls, leaf):
        for line in cls.evf[leaf].cmd("show mac-vrf mac-vrf-1"):
            if line.strip().startswith("Flood list"):
                return line.split(":", 1)[1].split()
        return []

    def ping(self, ns, dst, count=3):
        r = subprocess.run([F.IP_CMD, "netns", "exec", ns, "ping", "-c", str(count), "-i", "0.2",
                            "-W", "2", dst], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=30)
        m = re.search(r"(\d+) received", r.stdout)
        return int(m.group(1)) if m else 0, r.stdout

    def describe(self):
        out = []
        for l in LEAFS:
            a = self.adapters.get(l)
            if a is not None:
                out.append("---- %s evfwd-gobgp log (tail) ----\n%s" % (l, a.log()[-3000:]))
        return "\n".join(out)

    def record(self, line):
        note(line)
        Fabric.results.append(line)

    def flows_frames(self, n, tag, dst_mac=CE1_MAC, dst_ip=CE1_DATA_IP):
        ports = M.flow_ports(n, seed=tag)
        return [L.ipv4_udp(CE2_MAC, dst_mac, CE2_IP, dst_ip, sp, dp, MAGIC + b"\0\0\0\0",
                           size=96) for sp, dp in ports]

    @staticmethod
    def outer(frame):
        """Outer headers of a VXLAN frame, for messages."""
        try:
            v = E.parse_vxlan(frame)
            inner = v["inner"]
            return "%s -> %s vni %d ttl %d; inner %s -> %s" % (
                v["ip_src"], v["ip_dst"], v["vni"], v["ttl"], E.mac_str(inner[6:12]),
                E.mac_str(inner[0:6]))
        except (AssertionError, KeyError, ValueError):
            return frame[:64].hex()

    def reset_counters(self):
        for a in [self.ce1_rx, self.ce2_rx, self.h4_rx] + list(self.uplink_rx.values()):
            a.reset()

    # ------------------------------------------------------------ 1 --
    def test_01_control_plane(self):
        if os.environ.get("FABRIC_PAUSE"):   # a debugging aid: look at the lab by hand
            note("FABRIC_PAUSE: pausing %s s; lab prefix %s, BGP base %s, dir %s"
                 % (os.environ["FABRIC_PAUSE"], self.lab.prefix, BASE, self.elab.dir))
            time.sleep(float(os.environ["FABRIC_PAUSE"]))
        self.assertConverged(self.converge, "(1) set-up")
        self.record("(1) fabric converged %.1f s after evfwd start (lab set-up %.1f s)"
                    % (self.converge["at"], self.t_lab))
        nb = self.sp.neighbors(RR)
        self.assertEqual({a: s in ("established", 6) for a, s in nb.items()},
                         {BASE + str(n): True for n in (1, 2, 3, 4)})
        want = self.expected_local()
        frr_routes = {k for k, nb in self.sp.rib(RR) if nb == BASE + "4"}
        self.assertEqual(self.kinds(frr_routes), {"rt3"}, frr_routes)
        union = set(frr_routes)
        for l in LEAFS:
            loc = self.sp.local(N[l])
            self.assertEqual(self.kinds(loc), want[l], "%s originates %s" % (l, sorted(loc)))
            for k in loc:
                self.assertEqual(k[-1], VTEP[l], "%s: next hop of %s" % (l, k))
                if k[0] == 1 and k[3] != 4294967295 or k[0] in (2, 3):
                    self.assertEqual(k[1], "10.0.0.%d:%d" % (N[l], EVI), "RD of %s" % (k,))
            union |= loc
            st = self.adapters[l].status()
            self.assertEqual(st["ring"]["dumps"], 1, st["ring"])
            self.assertEqual(st["origin"]["errors"], 0, st["origin"])
        for n in (RR, 1, 2, 3):
            self.assertEqual({k for k, _ in self.sp.rib(n)}, union, "RIB of speaker %d" % n)
        for l in LEAFS:
            ring = self.evf[l].cmd("show ring")
            self.assertIn("manual records 0,", "\n".join(ring))

    # ------------------------------------------------------------ 2 --
    def test_02_lacp(self):
        bond = self.lab.wait_bond(self.lab.bond_host, [self.lab.m1o, self.lab.m2o],
                                  partner_sys=L.EVF_SYS_ID, partner_key=L.EVF_KEY,
                                  partner_prio=L.EVF_SYS_PRIO, timeout=10)
        self.assertTrue(bond)
        for l in MH:
            m = "m%d" % N[l]
            r = S.parse_members(self.evf[l].cmd("show lacp"), [m], "%s show lacp" % l)[m]
            self.assertEqual(r.actor_flags(), (True, True, True), "%s %s" % (l, m))

    # ------------------------------------------------------------ 3 --
    def test_03_df(self):
        rows = {l: self.show_df(l) for l in MH}
        self.assertEqual({l: r["DF"] for l, r in rows.items()}, {l: DF_IP for l in MH}, rows)
        self.assertEqual(sorted(r["This node"] for r in rows.values()), ["DF", "non-DF"], rows)
        self.assertEqual(rows[DF]["This node"], "DF")
        for l in MH:
            segs = self.adapters[l].status()["evfwd"]["segments"]
            self.assertEqual([(s["esi"], s["up"]) for s in segs], [(ESI, True)])
            self.assertEqual(segs[0]["df_for_vnis"], [VNI] if l == DF else [])
        self.record("(3) DF for EVI %d: %s (%s), both leafs agree" % (EVI, DF, DF_IP))

    # ------------------------------------------------------------ 4 --
    def test_04_ping(self):
        pairs = [(self.lab.ns_host, CE2_IP, "ce1 -> ce2"), (self.ns_ce2, CE1_IP, "ce2 -> ce1"),
                 (self.frr.ns_host, CE1_IP, "host4 -> ce1"), (self.ns_ce2, H4_IP, "ce2 -> host4"),
                 (self.lab.ns_host, H4_IP, "ce1 -> host4")]
        for ns, dst, what in pairs:
            got, out = self.ping(ns, dst, count=5)
            self.assertGreaterEqual(got, 4, "%s: %d of 5 replies\n%s" % (what, got, out))
        self.record("(4) ping ce1 <-> ce2, host4 <-> ce1, ce2: ok")

    def arp(self, leaf):
        """{address: row} of show arp mac-vrf-1."""
        return {r["Address"]: r for r in M.table(self.evf[leaf].cmd("show arp mac-vrf-1"))
                if r.get("MAC-VRF") == "mac-vrf-1"}

    def test_04b_macip(self):
        t = time.monotonic()
        key = F.wait_until(lambda: next((k for k in self.sp.local(N["leaf3"])
                                         if k[0] == 2 and k[2] == CE2_MAC and k[3] == CE2_IP), None),
                           10, what="leaf3's RT2 MAC+IP route of ce2")
        self.assertEqual(key[1], "10.0.0.3:%d" % EVI, key)
        self.assertEqual(self.arp("leaf3").get(CE2_IP, {}).get("Type"), "local", self.arp("leaf3"))
        st = self.adapters["leaf3"].status()
        self.assertGreaterEqual(st["evfwd"]["local_bindings"], 1, st["evfwd"])
        self.assertGreaterEqual(st["origin"]["advertised_by_type"].get("rt2-mac-ip", 0), 1, st["origin"])
        for l in MH:
            row = F.wait_until(lambda: self.arp(l).get(CE2_IP), 10,
                               what="%s: ce2's binding in show arp" % l)
            # (show arp's Where is "-" for remote bindings: the VTEP is the FDB's)
            self.assertEqual((row["MAC"].lower(), row["Type"]), (CE2_MAC, "remote"), row)
            self.assertEqual(self.fdb(l).get(CE2_MAC), "vxlan %s" % VTEP["leaf3"], l)
        self.record("(4b) ce2's MAC/IP binding: snooped on leaf3, RT2 MAC+IP, remote binding on "
                    "leaf1 and leaf2 in %.1f s" % (time.monotonic() - t))

    # ------------------------------------------------------------ 5 --
    def test_05_aliasing(self):
        # ce1's MAC at leaf3: behind ES-1, both leafs
        dest = F.wait_until(lambda: (self.fdb("leaf3").get(CE1_MAC, "").find("aliasing") >= 0
                                     and self.fdb("leaf3")[CE1_MAC]), 15,
                            what="ce1's MAC behind ES-1 at leaf3")
        m = re.match(r"esi:(\S+) \(aliasing: (.*)\)$", dest)
        self.assertTrue(m, dest)
        self.assertEqual((m.group(1), sorted(m.group(2).split())),
                         (ESI, [VTEP["leaf1"], VTEP["leaf2"]]), dest)
        frames = self.flows_frames(200, 5)
        self.reset_counters()
        self.ce2_tx.load(frames)
        self.ce2_tx.go(1000, 200, seq_off=L.seq_offset(frames[0], MAGIC), seq_base=0)
        self.ce2_tx.wait_done(20)
        time.sleep(0.5)
        got = self.ce1_rx.seqs("in")
        self.assertEqual(sorted(got), list(range(200)), "ce1 got %d of 200 flows" % len(got))
        self.assertEqual(set(got.values()), {1}, "a flow arrived twice at ce1")
        by = {l: len(self.uplink_rx[l].seqs("in")) for l in MH}
        self.assertEqual(sum(by.values()), 200, by)
        share = {l: by[l] / 200.0 for l in MH}
        for l in MH:
            self.assertTrue(0.35 <= share[l] <= 0.65, "aliasing split %s" % by)
        back = self.uplink_rx["leaf3"].frames("in")
        self.assertEqual(len(back), 0, "leaf3 received %d of its own flows back: %s\n%s"
                         % (len(back), [self.outer(f) for f in list(back.values())[:3]],
                            "\n".join("%s fdb: %s" % (l, self.fdb(l)) for l in LEAFS)))
        self.record("(5) 200 flows ce2 -> ce1: leaf1 %d, leaf2 %d; each delivered once"
                    % (by["leaf1"], by["leaf2"]))

    # ------------------------------------------------------------ 6 --
    def bum_frames(self, src_mac, src_ip, n=1):
        return [L.ipv4_udp(src_mac, "ff:ff:ff:ff:ff:ff", src_ip, "198.18.1.255", 7, 7,
                           MAGIC + b"\0\0\0\0", size=96)] * n

    def test_06_bum_once(self):
        for sender, src_mac, src_ip, rx_self, rx_others, what in (
                (self.ce2_tx, CE2_MAC, CE2_IP, self.ce2_rx, (self.ce1_rx, self.h4_rx), "ce2"),
                (self.ce1_tx, CE1_MAC, CE1_IP, self.ce1_rx, (self.ce2_rx, self.h4_rx), "ce1")):
            self.reset_counters()
            f = self.bum_frames(src_mac, src_ip)
            sender.load(f)
            sender.go(200, 100, seq_off=L.seq_offset(f[0], MAGIC), seq_base=0)
            sender.wait_done(20)
            time.sleep(0.5)
            for rx, name in zip(rx_others, ("other host", "host4")):
                got = rx.seqs("in")
                self.assertEqual(sorted(got), list(range(100)), "BUM from %s at %s" % (what, name))
                self.assertEqual(set(got.values()), {1}, "BUM from %s twice at %s" % (what, name))
            self.assertEqual(rx_self.seqs("in"), {}, "BUM from %s echoed back" % what)
        self.record("(6) broadcast ce2 -> all, ce1 -> all: each host once, no echo")

    # ------------------------------------------------------------ 7 --
    def test_07_frr_interop(self):
        es = F.wait_until(lambda: self._frr_es(), 20, what="FRR's view of ES-1")
        self.assertEqual(sorted(es), [VTEP["leaf1"], VTEP["leaf2"]], es)
        try:
            nhid = F.wait_until(lambda: self._frr_fdb_nhid(CE1_MAC), 30,
                                what="ce1's MAC in FRR's kernel FDB with a nexthop group")
        except AssertionError as e:
            raise AssertionError("%s\nbridge fdb:\n%s\nFRR:\n%s" % (
                e, E.sh(["bridge", "fdb", "show", "dev", "vxlan%d" % VNI], ns=self.frr.ns),
                self.frr.vtysh("show evpn mac vni %d" % VNI)))
        grp = E.sh([F.IP_CMD, "nexthop", "show", "id", nhid], ns=self.frr.ns)
        ids = re.findall(r"group ([\d/]+)", grp)
        self.assertTrue(ids, grp)
        members = [E.sh([F.IP_CMD, "nexthop", "show", "id", i], ns=self.frr.ns)
                   for i in ids[0].split("/")]
        vteps = sorted(re.search(r"via (\S+)", m).group(1) for m in members)
        self.assertEqual(vteps, [VTEP["leaf1"], VTEP["leaf2"]], members)
        for l in LEAFS:
            self.assertEqual(self.fdb(l).get(H4_MAC), "vxlan %s" % VTEP["leaf4"], l)
            self.assertIn(VTEP["leaf4"] + "(imet)", self.flood(l), l)
        self.record("(7) FRR: ES-1 via %s, ce1's MAC through nexthop group %s of %s; evfwd has "
                    "host4 behind %s" % (" ".join(sorted(es)), nhid, " ".join(vteps),
                                         VTEP["leaf4"]))

    def _frr_es(self):
        """VTEPs FRR's bgpd lists for ES-1 ("198.18.0.1(A),198.18.0.2(A)": active)."""
        out = self.frr.vtysh("show bgp l2vpn evpn es")
        for line in out.splitlines():
            w = line.split()
            if w and w[0].lower() == ESI:
                vteps = re.findall(r"(\d+\.\d+\.\d+\.\d+)\(A\)", w[-1])
                return vteps if len(vteps) == 2 else None
        return None

    def _frr_fdb_nhid(self, mac):
        out = E.sh(["bridge", "fdb", "show", "dev", "vxlan%d" % VNI], ns=self.frr.ns)
        for line in out.splitlines():   # the bridge's entry, then the VXLAN device's
            m = re.search(r"nhid (\d+)", line)
            if line.startswith(mac) and m:
                return m.group(1)
        return None

    # ------------------------------------------------------------ 8 --
    def stream(self, sender, frames, rate, secs, action_at, action):
        """Send rate*secs frames (cycling over frames) with sequence numbers; run
        action() action_at seconds in. Returns (start time, action time)."""
        sender.load(frames)
        t0 = sender.go(rate, int(rate * secs), seq_off=L.seq_offset(frames[0], MAGIC),
                       seq_base=0)
        while time.monotonic() < t0 + action_at:
            time.sleep(0.01)
        t_act = time.monotonic()
        note("action at %s (wall clock, to compare with the adapters' logs)"
             % time.strftime("%H:%M:%S", time.localtime()) + ".%03d" % (time.time() % 1 * 1000))
        action()
        sender.wait_done(secs + 20)
        time.sleep(0.5)
        return t0, t_act

    def link(self, dev, up):
        E.sh([F.IP_CMD, "link", "set", dev, "up" if up else "down"])

    def wait_back(self, what):
        conv = self._wait_converged(40, since=time.monotonic())
        self.assertConverged(conv, what)
        self.lab.spread_bond(self.lab.bond_host)
        return conv["at"]

    def test_08_member_down(self):
        frames = self.flows_frames(200, 8)
        self.reset_counters()
        t0, t_down = self.stream(self.ce2_tx, frames, FAIL_RATE, FAIL_SECS, FAIL_AT,
                                 lambda: self.link(self.lab.m1o, False))
        total = int(FAIL_RATE * FAIL_SECS)
        state = "leaf3 after the stream:\n%s" % "\n".join(
            self.evf["leaf3"].cmd("show fdb") + self.evf["leaf3"].cmd("show es") +
            self.evf["leaf3"].cmd("show routes"))
        got = self.ce1_rx.seqs("in")
        lost = total - len(got)
        via1 = sorted(self.uplink_rx["leaf1"].seqs("in"))
        last_via1 = via1[-1] if via1 else -1
        last_s = (last_via1 + 1) / FAIL_RATE - (t_down - t0)
        self.record("(8) leaf1's member down under %d pps ce2 -> ce1: %d of %d frames lost "
                    "(%.0f ms of traffic); leaf3 sent its last frame to leaf1 %.0f ms after the "
                    "link went down" % (FAIL_RATE, lost, total, lost * 1000.0 / FAIL_RATE,
                                        last_s * 1000))
        self.assertEqual(set(got.values()) - {1}, set(), "frames delivered twice\n" + state)
        self.assertLess(lost, LOSS_MAX, "lost %d frames\n%s" % (lost, state))
        # leaf3 no longer sends to leaf1: nothing in the last 3 s of the stream
        late = {s: f for s, f in self.uplink_rx["leaf1"].frames("in").items()
                if s > total - 3 * FAIL_RATE}
        if late:
            self.fail("leaf1 still received %d flows in the last 3 s, e.g. %s\n%s"
                      % (len(late), [self.outer(f) for f in list(late.values())[:3]], state))
        self.assertEqual(self.fdb("leaf3").get(CE1_MAC),
                         "esi:%s (aliasing: %s)" % (ESI, VTEP["leaf2"]))
        self.link(self.lab.m1o, True)
        t = self.wait_back("(8) leaf1's member up again")
        self.record("(8) leaf1 back in %.1f s (LACP, ES-1, routes)" % t)

    # ------------------------------------------------------------ 9 --
    def test_09_df_member_down(self):
        member = {"leaf1": self.lab.m1o, "leaf2": self.lab.m2o}[DF]
        f = self.bum_frames(CE2_MAC, CE2_IP)
        self.reset_counters()
        t0, t_down = self.stream(self.ce2_tx, f, BUM_RATE, BUM_SECS, 2.0,
                                 lambda: self.link(member, False))
        got = sorted(self.ce1_rx.seqs("in"))
        seq_down = int((t_down - t0) * BUM_RATE)
        after = [s for s in got if s > seq_down]
        self.assertTrue(after, "no BUM reached ce1 after the DF's member went down")
        gap_s = (after[0] - seq_down) / float(BUM_RATE)
        missing = [s for s in range(seq_down, int(BUM_RATE * BUM_SECS)) if s not in set(got)]
        self.record("(9) the DF's (%s) member down: BUM delivered again by %s after %.2f s "
                    "(DF timer %d s); %d BUM frames lost" % (DF, NON_DF, gap_s, DF_TIMER_S,
                                                           len(missing)))
        self.assertLessEqual(gap_s, DF_TIMER_S + 1.0)
        rows = self.show_df(NON_DF)
        self.assertEqual((rows["DF"], rows["This node"]), (VTEP[NON_DF], "DF"), rows)
        self.assertEqual(len(self.ce1_rx.seqs("in")), len(set(got)))
        self.link(member, True)
        t = self.wait_back("(9) the DF's member up again")
        self.record("(9) %s back in %.1f s, DF again" % (DF, t))

    # ------------------------------------------------------------ 10 --
    def all_ribs_whole(self):
        """Every gobgpd RIB == the union of what the speakers originate."""
        frr = {k for k, nb in self.sp.rib(RR) if nb == BASE + "4"}
        union = set(frr)
        for l in LEAFS:
            union |= self.sp.local(N[l])
        bad = []
        for n in (RR, 1, 2, 3):
            rib = {k for k, _ in self.sp.rib(n)}
            if rib != union:
                bad.append("speaker %d: stale %s missing %s" % (n, sorted(rib - union),
                                                               sorted(union - rib)))
        return bad, union

    def test_10_kill_restart(self):
        # before: both leafs know ce1 (ping from ce1 over both members)
        self.ping(self.lab.ns_host, CE2_IP, count=5)
        t = time.monotonic()
        os.killpg(self.evf["leaf2"].proc.pid, 9)
        self.evf["leaf2"].proc.wait(10)
        gone = F.wait_until(lambda: not any(k[-1] == VTEP["leaf2"] for k, _ in self.sp.rib(RR)),
                            20, interval=0.05, what="leaf2's routes leaving the RR")
        t_gone = time.monotonic() - t
        self.assertTrue(gone)
        self.assertEqual(self.adapters["leaf2"].status()["origin"]["advertised"], 0)
        self.evf["leaf2"] = self._start_leaf("leaf2", tag="leaf2-restarted")
        t_restart = time.monotonic()
        conv = self._wait_converged(60, since=t_restart)
        self.assertConverged(conv, "(10) leaf2 restarted")
        self.lab.spread_bond(self.lab.bond_host)
        for _ in range(2):          # ce1 speaks through both members again
            self.ping(self.lab.ns_host, CE2_IP, count=5)
            self.ping(self.lab.ns_host, H4_IP, count=5)
        bad = F.wait_until(lambda: not self.all_ribs_whole()[0], 20,
                           what="every RIB whole: " + "; ".join(self.all_ribs_whole()[0]))
        self.assertTrue(bad)
        after = {l: self.kinds(self.sp.local(N[l])) for l in LEAFS}
        for l in LEAFS:
            self.assertTrue(self.expected_local()[l] <= after[l], (l, after))
        self.assertTrue(any(k[0] == 2 and k[2] == CE1_MAC for l in MH
                            for k in self.sp.local(N[l])), "nobody advertises ce1's MAC")
        self.assertTrue(any(k[0] == 2 and k[2] == CE2_MAC for k in self.sp.local(N["leaf3"])))
        fdb2 = self.fdb("leaf2")
        self.assertEqual(fdb2.get(CE2_MAC), "vxlan %s" % VTEP["leaf3"])
        self.assertEqual(fdb2.get(H4_MAC), "vxlan %s" % VTEP["leaf4"])
        self.assertEqual(sorted(self.flood("leaf2")),
                         sorted("%s(imet)" % VTEP[l] for l in ("leaf1", "leaf3", "leaf4")))
        self.assertGreaterEqual(self.adapters["leaf2"].status()["ring"]["attaches"], 2)
        self.record("(10) leaf2 killed: its routes left the RR in %.2f s; restarted, the fabric "
                    "converged in %.1f s, every RIB whole" % (t_gone, conv["at"]))

    # ------------------------------------------------------------ 11 --
    def test_11_adapters_withdraw(self):
        for l in LEAFS:
            rc = self.adapters[l].stop()
            self.assertEqual(rc, 0, "%s: evfwd-gobgp exit code %s" % (l, rc))
        rest = F.wait_until(lambda: all(nb == BASE + "4" for _, nb in self.sp.rib(RR)) and 1,
                            10, what="only FRR's routes left at the RR")
        self.assertTrue(rest)
        for l in LEAFS:
            self.assertEqual(self.sp.local(N[l]), set(), l)
        self.record("(11) adapters stopped: every route they originated withdrawn")

    # ------------------------------------------------------------ teardown --
    @classmethod
    def _teardown(cls):
        cls.quit_error = []
        for a in getattr(cls, "adapters", {}).values():
            a.stop()
        for l, evf in cls.evf.items():
            if evf is not None and evf.proc.poll() is None:
                try:
                    res = evf.quit(timeout=30)
                    if res.mbufs_in_use is None or res.mbufs_in_use > AFXDP_KEPT_MBUFS:
                        cls.quit_error.append("%s: mbufs in use after stop %s"
                                              % (l, res.mbufs_in_use))
                except AssertionError as e:
                    cls.quit_error.append("%s: %s" % (l, e))
        if cls.frr is not None:
            cls.frr.stop()
        if cls.sp is not None:
            cls.sp.stop()
        cls.lab.cleanup()

    @classmethod
    def tearDownClass(cls):
        cls._teardown()
        os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
        with open(RESULTS, "w") as fh:
            fh.write("# fabric lab (seed 003), %s\n\n" % time.strftime("%Y-%m-%d %H:%M"))
            for line in cls.results:
                fh.write("- %s\n" % line)
        left = cls.lab.leftovers()
        left += ["gobgpd %s" % n for n, up in (cls.sp.alive() if cls.sp else {}).items() if up]
        left += ["frr %s" % n for n, up in (cls.frr.alive() if cls.frr else {}).items() if up]
        left += ["evfwd-gobgp %s" % l for l, a in getattr(cls, "adapters", {}).items()
                 if a.proc is not None and a.proc.poll() is None]
        if left:
            raise AssertionError("(11) left behind after cleanup: %s" % left)
        if cls.quit_error:
            cls.elab.failed = True
            raise AssertionError("evfwd did not end cleanly: %s" % cls.quit_error)
        note("whole run %.1f s" % (time.monotonic() - T0))


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
