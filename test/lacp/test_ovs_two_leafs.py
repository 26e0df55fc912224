#!/usr/bin/python3
"""test_ovs_two_leafs.py: one LACP bond in Open vSwitch towards TWO evfwd
instances sharing an Ethernet Segment (suite "lacp"; doc/lag.md,
doc/multihoming.md; seeds 000 and 003: "show lag lag1 lacp-state" on both
leafs shows system id 00:00:00:00:00:11, key 11, priority 11, and only the
partner port number differs).

Topology (ovslab.py; every name starts with evfl-XXXX, XXXX from the PID):

  netns -host            root namespace                                   netns -spine
  -hh (198.18.1.1) ---- -hb [br-host, netdev datapath]
                         bond0: lacp active, fast, balance-tcp
                           -m1o ===veth=== -m1  leaf1 lag1 (port 1) ; -n  --veth-- -np
                           -m2o ===veth=== -m2  leaf2 lag1 (port 2) ; -n2 --veth-- -n2p

leaf1 (VTEP 198.18.0.1) and leaf2 (198.18.0.2): one worker each, idle-sleep-us
20, nice -10; lag1 with one member (net_af_xdp), LACP fast, system
00:00:00:00:00:11 priority 11 key 11; ES-1 (01:11:11:11:11:11:11:00:00:01,
all-active, modulo, df-timer 1) on lag1; MAC-VRF mac-vrf-1 (VNI 1) with lag1
untagged; an uplink (net_af_packet) into the spine namespace, one veth per
leaf, so the spine knows which leaf sent what. The test plays the control
plane: through each evfwd's shell it gives the peer's RT4, RT1 per-ES and
per-EVI, the RT3 of the peer and of the remote VTEP 198.18.0.3, and an RT2 for
the remote host R (00:c1:ab:00:04:04) behind 198.18.0.3. Expected DF for
EVI 1: modulo over {198.18.0.1, 198.18.0.2} (computed, = leaf2).

 1. OVS's bond0 sees ONE partner: both members current/attached, partner
    00:00:00:00:00:11 priority 11 key 11, partner ports 1 and 2, bond/show both
    enabled. Each evfwd's show lacp: its member in sync/collecting/
    distributing, partner = OVS's system id, key and port id; show lag: up,
    256 buckets. show es ES-1 on both: up, candidates 198.18.0.1 and
    198.18.0.2, the same DF (the model); show df agrees.
 2. host -> network: 200 flows x 5 into br-host towards R: OVS spreads them,
    some are encapsulated by leaf1 and some by leaf2 (20-80% each); every
    frame reaches the spine exactly once; what OVS sent on -m1o is what leaf1
    encapsulated (same for -m2o/leaf2); VXLAN checked field by field (outer
    source = the leaf that carried it, VNI 1, destination 198.18.0.3).
 3. BUM from 198.18.0.3 (ingress replication: a copy to each leaf, VNI 1,
    broadcast): every frame reaches the host exactly once, over the DF's
    member only; the non-DF counts exactly that many df-filter drops, the DF
    none; nothing goes back to the network.
 4. failover: a 1000 pps host -> network stream; after 2 s "ip link set
    -m2o down" (the DF leaf2's member). OVS disables -m2o and moves everything
    to -m1o; leaf2's ES-1 goes oper down with an es-down event. Lost frames
    are counted by sequence number and reported; only frames sent around the
    link-down may be lost, every later frame is encapsulated by leaf1. The
    test then withdraws leaf2's RT4/RT1 routes at leaf1 (as BGP would on
    leaf2's es-down): leaf1 becomes DF at once and BUM reaches the host once
    through leaf1. Link up: LACP converges again (OVS and leaf2), leaf2's
    ES-1 comes back up (es-up event), the routes are re-advertised, the DF is
    back to the model on both, traffic spreads over both leafs again and BUM
    reaches the host once.
 5. nothing is left (tearDownClass and the last test).

Lab notes: OVS gets a new bond-hash-basis once both members are up (the leafs
converge independently; with rebalancing off OVS would keep every hash on the
member enabled first). Two evfwd's net_af_packet uplinks can pick the same
fanout group id in DPDK 22.11 ((pid ^ ifindex) & 0xffff): the second start
then fails with EINVAL and is retried. Another OVS lab running on the machine
(lacp-ovs, maybe of another checkout) owns the global tap names ovs-netdev and
br-host: the test waits for it to end first (ovslab.wait_other_labs).

On SIGTERM/SIGINT/SIGHUP the test exits at once and ovslab's watchdog removes
everything (also after SIGKILL). EVFPKT_KEEP=1 keeps the run directories
(both evfwd's stdout/stderr, the OVS logs); they are kept anyway on failure.
"""
import os
import re
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.join(_HERE, "..", "mh"))
import ovslab as L  # noqa: E402  (puts test/pkt on sys.path)
from ovslab import pct, ranges  # noqa: E402
import lagshow as S  # noqa: E402
import evfpkt as E  # noqa: E402
import mhlib as M  # noqa: E402

L.install_signal_handlers()

T0 = time.monotonic()
VNI = EVI = 1
ESI = M.ESI1
RVTEP = "198.18.0.3"                 # the remote VTEP (leaf3 of the seed)
R_MAC, R_IP = "00:c1:ab:00:04:04", "198.18.4.4"
H_MAC = L.HOST_MAC
H_DATA_IP = "198.18.1.200"           # inner destination of BUM frames: not the host's own
NH_MAC = E.NH_MAC
MAGIC = b"EVF2LEAF"
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]
LEAFS = ["leaf1", "leaf2"]
LEAF_IP = {"leaf1": "198.18.0.1", "leaf2": "198.18.0.2"}
LEAF_MAC = {"leaf1": "02:00:00:00:00:01", "leaf2": "02:00:00:00:00:02"}
MEMBER = {"leaf1": "m1", "leaf2": "m2"}       # the member port's name in each evfwd
PORT_NO = {"leaf1": 1, "leaf2": 2}
PEER = {"leaf1": "leaf2", "leaf2": "leaf1"}
DF_IP = M.df_modulo(list(LEAF_IP.values()), EVI)
DF = next(l for l in LEAFS if LEAF_IP[l] == DF_IP)
NON_DF = PEER[DF]

CONVERGE_S = 20          # LACP on both sides and the DF election (1)
SPREAD = (0.20, 0.80)
BURST_RATE = 2000
BUM_RATE = 1000
FAIL_RATE, FAIL_SECS, FAIL_AT = 1000, 7, 2.0
FAILOVER_MAX_MS = 300    # (4) host -> network loss bound, ms of traffic at FAIL_RATE
AFXDP_KEPT_MBUFS = 2048 + 64   # (5) fill ring of the member's net_af_xdp port, and slack
RECOVER_S = 15           # (4) link up -> LACP, segment and DF back

CONFIG = """
node:
  name: %(name)s
  vtep-ipv4: %(vtep)s
  mac: %(me)s
ports:
  - name: uplink
    device: "net_af_packet0,iface=%(net)s"
    role: network
    next-hop-mac: %(nh)s
  - name: %(member)s
    device: "net_af_xdp0,iface=%(mdev)s"
    role: access
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
ethernet-segments:
  - name: ES-1
    esi: %(esi)s
    mode: all-active
    interface: lag1
    df-election: {algorithm: modulo}
    df-timer: 1
workers:
  count: 1
  idle-sleep-us: 20
"""


def peer_es_routes(peer_ip, op="add"):
    """The ES routes a peer PE advertises: RT4, RT1 per-ES, RT1 per-EVI."""
    return [M.rt4(peer_ip, alg="modulo" if op == "add" else None, op=op),
            M.rt1_es(peer_ip, op=op), M.rt1_evi(VNI, peer_ip, op=op)]


def routes_for(leaf):
    p = LEAF_IP[PEER[leaf]]
    return peer_es_routes(p) + [M.rt3(VNI, p), M.rt3(VNI, RVTEP),
                                M.rt2(VNI, R_MAC, RVTEP)]


_EV = re.compile(r"^\s*(\d+)\s+t=(\d+)\s+(\S+)\s*(.*)$")


def parse_events(lines):
    """'show events N' -> [(seq, type, rest)]"""
    return [(int(m.group(1)), m.group(3), m.group(4)) for m in map(_EV.match, lines) if m]


def parse_es_detail(lines):
    """'show es ES-1' (local segment) -> {'oper': 'up'|'down', 'df_vrf': {vrf: 'Yes'|'No'},
    'candidates': [(ip, this_node, is_df)], 'aliasing': str, 'local_bias': str, 'timer': str}"""
    out = {"candidates": [], "df_vrf": {}, "text": "\n".join(lines)}
    section = None
    for line in lines:
        s = line.strip()
        m = re.match(r"Oper State\s*:\s*(\S+)", s)
        if m:
            out["oper"] = m.group(1)
            continue
        m = re.match(r"DF Timer\s*:\s*(.*)$", s)
        if m:
            out["timer"] = m.group(1)
            continue
        m = re.match(r"Peers with RT1 per-ES \(aliasing\)\s*:\s*(.*)$", s)
        if m:
            out["aliasing"] = m.group(1).strip()
            continue
        m = re.match(r"Peers for local bias\s*:\s*(.*)$", s)
        if m:
            out["local_bias"] = m.group(1).strip()
            continue
        if s.startswith("MAC-VRF") and "DF" in s and "EVI" in s:
            section = "vrf"
            continue
        if s == "DF Candidates":
            section = "cand"
            continue
        if s.startswith("MAC-VRF") and "ES Peers" in s:
            continue
        if set(s) == {"-"}:
            section = None if section == "vrf" else section
            continue
        w = s.split()
        if section == "vrf" and len(w) == 4:
            out["df_vrf"][w[0]] = w[3]
        elif section == "cand" and len(w) >= 2 and w[0] == "mac-vrf-1":
            out["candidates"].append((w[1], "(this node)" in s, "(DF)" in s))
    return out


class TwoLeafs(E.EvfTestCase):
    """Two evfwd instances and OVS; the tests run in name order and share them."""

    lab = None
    evf = {}

    # ------------------------------------------------------------ set-up --
    @classmethod
    def setUpClass(cls):
        # another OVS lab (lacp-ovs, maybe of another checkout) would own the netdev
        # datapath's global tap names: wait for it rather than fail
        cls.t_waited = L.wait_other_labs(say=lambda m: sys.stderr.write("\n    %s\n" % m))
        cls.elab = E.Lab("lacp-two-leafs")
        cls.lab = L.OvsLab(parent_dir=cls.elab.dir)
        cls.evf = {}
        try:
            cls._setup()
        except BaseException:
            cls.lab.failed = cls.elab.failed = True
            cls._teardown()
            raise

    @classmethod
    def _setup(cls):
        lab = cls.lab
        t = time.monotonic()
        lab.make_links()
        # leaf2's uplink: a second veth into the spine namespace
        cls.net2, cls.netp2 = lab.prefix + "-n2", lab.prefix + "-n2p"
        lab.links.veth(cls.net2, cls.netp2, lab.ns_spine, queues=1)
        lab.start_ovs()
        lab.make_host_bridge()
        cls.t_lab = time.monotonic() - t
        cls.net = {"leaf1": lab.net, "leaf2": cls.net2}
        cls.spine_if = {"leaf1": lab.netp, "leaf2": cls.netp2}
        cls.mdev = {"leaf1": lab.m1, "leaf2": lab.m2}
        cls.ovs_end = {"leaf1": lab.m1o, "leaf2": lab.m2o}
        cls.host_rx = L.Agent("count", lab.hh, ns=lab.ns_host, magic=MAGIC)
        cls.host_tx = L.Agent("send", lab.hh, ns=lab.ns_host)
        cls.spine_rx = {l: L.Agent("count", cls.spine_if[l], ns=lab.ns_spine, magic=MAGIC)
                        for l in LEAFS}
        cls.spine_tx = {l: L.Agent("send", cls.spine_if[l], ns=lab.ns_spine) for l in LEAFS}
        # per OVS member end: "out" = what OVS sent to that leaf, "in" = what the leaf sent
        cls.member = {l: L.Agent("count", cls.ovs_end[l], magic=MAGIC) for l in LEAFS}
        cls.t_start = time.monotonic()
        for l in LEAFS:
            config = CONFIG % dict(name=l, vtep=LEAF_IP[l], me=LEAF_MAC[l], net=cls.net[l],
                                   nh=NH_MAC, member=MEMBER[l], mdev=cls.mdev[l],
                                   pnum=PORT_NO[l], sysid=L.EVF_SYS_ID, prio=L.EVF_SYS_PRIO,
                                   key=L.EVF_KEY, vni=VNI, esi=ESI)
            cls.evf[l] = cls._start_leaf(l, config)
            L.boost(cls.evf[l].proc.pid)   # every evfwd thread (its own session)
        cls.route_out = {}
        for l in LEAFS:
            cls.route_out[l] = [(r, cls.evf[l].cmd(r)) for r in routes_for(l)]
        cls.t_routes = time.monotonic() - cls.t_start
        cls.load_at_start = L.machine_load()
        cls.converge = cls._wait_converged(CONVERGE_S)
        if cls.converge["ok"]:
            cls._prime()

    @classmethod
    def _start_leaf(cls, leaf, config, tries=4):
        """LiveRun, retried when DPDK 22.11's net_af_packet could not join its fanout
        group: the group id is (getpid() ^ ifindex) & 0xffff and fanout groups are
        per network namespace, so two evfwd processes started back to back (pids a
        few threads apart) on two uplinks (ifindexes a few apart) can pick the same
        id; the second one then fails with EINVAL (the group is bound to the other
        device). Another process id gives another group id."""
        for k in range(tries):
            try:
                return E.LiveRun(cls.elab, config, eal_args=EAL, max_runtime=280,
                                 tag=leaf if k == 0 else "%s-try%d" % (leaf, k + 1))
            except AssertionError as e:
                if "PACKET_FANOUT" not in str(e) or k + 1 == tries:
                    raise
                cls.elab.failed = False
                cls.fanout_retries = getattr(cls, "fanout_retries", 0) + 1
                sys.stderr.write("\n    %s: net_af_packet fanout group id collision with the "
                                 "other leaf (DPDK 22.11: pid ^ ifindex); starting it again\n"
                                 % leaf)

    @classmethod
    def _state(cls):
        """(why not converged: [str], details)"""
        lab, why = cls.lab, []
        try:
            lab.wait_bond(lab.bond_host, [lab.m1o, lab.m2o], partner_sys=L.EVF_SYS_ID,
                          partner_key=L.EVF_KEY, partner_prio=L.EVF_SYS_PRIO, timeout=0)
        except AssertionError as e:
            why.append("OVS: " + str(e).splitlines()[0])
        for l in LEAFS:
            try:
                r = cls.show_lacp(l)
                if r.actor_flags() != (True, True, True):
                    why.append("%s: %s actor flags %s" % (l, MEMBER[l], r.actor_flags()))
            except AssertionError as e:
                why.append("%s: %s" % (l, str(e).splitlines()[0]))
            es = cls.show_es(l)
            if es.get("oper") != "up":
                why.append("%s: ES-1 %s" % (l, es.get("oper")))
            df = cls.show_df(l)
            if df is None or df["DF"] != DF_IP or \
                    df["This node"] != ("DF" if l == DF else "non-DF"):
                why.append("%s: show df %s" % (l, df))
        return why

    @classmethod
    def _wait_converged(cls, timeout, since=None):
        """Poll OVS, both leafs' LACP, ES-1 and the DF until all agree; never raises
        for a timeout: returns what was seen (tests assert)."""
        t0 = cls.t_start if since is None else since
        while True:
            why = cls._state()
            dt = time.monotonic() - t0
            if not why:
                return {"ok": True, "at": dt}
            if dt > timeout:
                return {"ok": False, "at": dt, "why": why}
            time.sleep(0.25)

    @classmethod
    def _prime(cls):
        """Teach both OVS (R on bond0) and the leafs (H on lag1) the MACs: one frame each
        way (the BUM from R reaches the host through the DF). First a new
        bond-hash-basis: OVS assigns its balance-tcp hash entries to the members
        enabled when it first needs them, and with rebalancing off never moves them;
        the two leafs converge independently, so one member may have been enabled
        alone for a moment and got every entry (ovslab.OvsLab.spread_bond)."""
        cls.lab.spread_bond(cls.lab.bond_host)
        cls.host_tx.send([L.ipv4_udp(H_MAC, R_MAC, L.HOST_IP, R_IP, 9, 9, b"prime", size=64)])
        inner = L.ipv4_udp(R_MAC, "ff:ff:ff:ff:ff:ff", R_IP, H_DATA_IP, 9, 9, b"prime", size=64)
        for l in LEAFS:
            cls.spine_tx[l].send([L.vxlan_udp(inner, VNI, RVTEP, LEAF_IP[l], NH_MAC,
                                              LEAF_MAC[l], 50000)])
        time.sleep(0.3)

    # ------------------------------------------------------------ teardown --
    @classmethod
    def _teardown(cls):
        cls.quit_error = []
        for l, evf in cls.evf.items():
            if evf is not None and evf.proc.poll() is None:
                try:
                    res = evf.quit(timeout=30)
                    sys.stderr.write("%s final drop counters: %s; mbufs in use after stop %s\n"
                                     % (l, res.drops or "none", res.mbufs_in_use))
                    # net_af_xdp keeps its fill ring's mbufs after close (DPDK 22.11,
                    # test_backends.py: ~2050 per af_xdp port); thousands of frames went
                    # through each leaf, so a per-frame leak would show far above that
                    if res.mbufs_in_use is None or res.mbufs_in_use > AFXDP_KEPT_MBUFS:
                        cls.quit_error.append("%s: mbufs in use after stop %s, more than the "
                                              "%d an af_xdp port keeps"
                                              % (l, res.mbufs_in_use, AFXDP_KEPT_MBUFS))
                except AssertionError as e:
                    cls.quit_error.append("%s: %s" % (l, e))
        cls.lab.cleanup()

    @classmethod
    def tearDownClass(cls):
        cls._teardown()
        left = cls.lab.leftovers()
        if left:
            raise AssertionError("(5) left behind after cleanup: %s" % left)
        if cls.quit_error:
            cls.elab.failed = True
            raise AssertionError("evfwd did not end cleanly: %s" % cls.quit_error)
        sys.stderr.write("    whole run %.1f s (lab set-up %.1f s%s)\n"
                         % (time.monotonic() - T0, cls.t_lab,
                            ", %.0f s waiting for another OVS lab" % cls.t_waited
                            if cls.t_waited >= 1 else ""))

    # ------------------------------------------------------------ helpers --
    @classmethod
    def show_lacp(cls, leaf):
        return S.parse_members(cls.evf[leaf].cmd("show lacp"), [MEMBER[leaf]],
                               "%s show lacp" % leaf)[MEMBER[leaf]]

    @classmethod
    def show_lag(cls, leaf):
        out = cls.evf[leaf].cmd("show lag")
        return (S.parse_members(out, [MEMBER[leaf]], "%s show lag" % leaf)[MEMBER[leaf]],
                S.lag_values(out, "lag1"), out)

    @classmethod
    def show_es(cls, leaf):
        return parse_es_detail(cls.evf[leaf].cmd("show es ES-1"))

    @classmethod
    def show_df(cls, leaf):
        rows = M.table(cls.evf[leaf].cmd("show df"))
        rows = [r for r in rows if r.get("Segment") == "ES-1" and r.get("MAC-VRF") == "mac-vrf-1"]
        return rows[0] if len(rows) == 1 else None

    @classmethod
    def events(cls, leaf):
        return parse_events(cls.evf[leaf].cmd("show events 200"))

    @classmethod
    def drops(cls, leaf):
        return S.drops(cls.evf[leaf].cmd("show drops"))

    @classmethod
    def port_stats(cls, leaf):
        return S.port_stats(cls.evf[leaf].cmd("show port stats all"))

    def note(self, msg):
        sys.stderr.write("    %s\n" % msg)
        sys.stderr.flush()

    def need_converged(self):
        if not self.converge["ok"]:
            self.fail("the two leafs never converged (test 1 says why); nothing to test")

    def ovs_state(self):
        lab = self.lab
        return "\n".join(["---- ovs lacp/show ----",
                          lab.ovs.appctl("lacp/show", lab.bond_host, check=False),
                          "---- ovs bond/show ----",
                          lab.ovs.appctl("bond/show", lab.bond_host, check=False)])

    def wait_until(self, what, pred, timeout, interval=0.1, context=None):
        """Poll pred() (returns a true value when done); returns (seconds, value)."""
        t0 = time.monotonic()
        while True:
            v = pred()
            if v:
                return time.monotonic() - t0, v
            if time.monotonic() - t0 > timeout:
                self.fail("%s: not within %.0f s\n%s" % (what, timeout,
                                                         context() if context else ""))
            time.sleep(interval)

    def ovs_enabled(self):
        b = self.lab.bond(self.lab.bond_host)
        return {l for l in LEAFS if b["members"][self.ovs_end[l]]["state"] == "enabled"}

    # ---- traffic ----
    def _reset_counters(self):
        for a in [self.host_rx] + list(self.spine_rx.values()) + list(self.member.values()):
            a.reset()

    def up_frames(self, nflows):
        """host -> R (encapsulated by whichever leaf OVS hashes the flow to)."""
        return [L.ipv4_udp(H_MAC, R_MAC, L.HOST_IP, R_IP, 20000 + k, 7000, MAGIC + bytes(4),
                           size=160) for k in range(nflows)]

    def bum_inner(self, nflows):
        return [L.ipv4_udp(R_MAC, "ff:ff:ff:ff:ff:ff", R_IP, H_DATA_IP, 30000 + k, 8000,
                           MAGIC + bytes(4), size=140) for k in range(nflows)]

    def bum_frames(self, leaf, inners):
        """What 198.18.0.3's ingress replication sends to leaf."""
        return [L.vxlan_udp(f, VNI, RVTEP, LEAF_IP[leaf], NH_MAC, LEAF_MAC[leaf],
                            50000 + k % 10000) for k, f in enumerate(inners)]

    def wait_rx(self, get, n, settle):
        """After a sender is done: wait until the receivers have n frames, or their
        count has not moved for 0.5 s, or settle seconds."""
        end = time.monotonic() + settle
        last, since = -1, time.monotonic()
        while True:
            cnt = sum(len(g) for g in get())
            if cnt >= n or time.monotonic() > end:
                break
            if cnt != last:
                last, since = cnt, time.monotonic()
            elif time.monotonic() - since > 0.5:
                break
            time.sleep(0.1)
        time.sleep(0.3)

    def burst_up(self, nflows=200, reps=5, base=0, settle=5.0):
        """nflows x reps frames host -> R; returns seqs per spine end, per OVS member
        end (what OVS sent) and the leafs' uplink TX deltas."""
        n = nflows * reps
        self._reset_counters()
        tmpl = self.up_frames(nflows)
        st0 = {l: self.port_stats(l) for l in LEAFS}
        self.host_tx.load(tmpl)
        self.host_tx.go(BURST_RATE, n, L.seq_offset(tmpl[0], MAGIC), base)
        self.host_tx.wait_done(30 + n / BURST_RATE)
        self.wait_rx(lambda: [self.spine_rx[l].seqs("in") for l in LEAFS], n, settle)
        st1 = {l: self.port_stats(l) for l in LEAFS}
        return {"n": n, "nflows": nflows, "base": base, "templates": tmpl,
                "spine": {l: self.spine_rx[l].seqs("in") for l in LEAFS},
                "ovs_out": {l: self.member[l].seqs("out") for l in LEAFS},
                "uplink_tx": {l: st1[l]["uplink"]["tx"] - st0[l]["uplink"]["tx"] for l in LEAFS}}

    def burst_bum(self, nflows=100, reps=3, base=0, settle=5.0):
        """nflows x reps broadcasts from R, a copy to each leaf (the same sequence numbers);
        returns seqs at the host, per OVS member end (what each leaf sent to OVS), at the
        spine (anything sent back to the network) and the df-filter deltas."""
        n = nflows * reps
        self._reset_counters()
        inners = self.bum_inner(nflows)
        tmpl = {l: self.bum_frames(l, inners) for l in LEAFS}
        d0 = {l: self.drops(l) for l in LEAFS}
        off = L.seq_offset(tmpl["leaf1"][0], MAGIC)
        for l in LEAFS:
            self.spine_tx[l].load(tmpl[l])
        for l in LEAFS:
            self.spine_tx[l].go(BUM_RATE, n, off, base)
        for l in LEAFS:
            self.spine_tx[l].wait_done(30 + n / BUM_RATE)
        self.wait_rx(lambda: [self.host_rx.seqs("in")], n, settle)
        d1 = {l: self.drops(l) for l in LEAFS}
        return {"n": n, "nflows": nflows, "base": base, "inners": inners,
                "host": self.host_rx.seqs("in"), "rx": self.host_rx,
                "member_in": {l: self.member[l].seqs("in") for l in LEAFS},
                "spine": {l: self.spine_rx[l].seqs("in") for l in LEAFS},
                "drops": {l: {k: d1[l].get(k, 0) - d0[l].get(k, 0)
                              for k in set(d0[l]) | set(d1[l])} for l in LEAFS}}

    def assert_once(self, seqs, base, n, what):
        want = set(range(base, base + n))
        missing = sorted(want - set(seqs))
        dup = {k: v for k, v in seqs.items() if v != 1}
        extra = sorted(set(seqs) - want)
        if missing or dup or extra:
            self.fail("%s: %d of %d frames arrived; missing %d (%s), duplicated %d %s, "
                      "unexpected %d %s\n%s"
                      % (what, len(set(seqs) & want), n, len(missing),
                         ranges([q - base for q in missing]), len(dup),
                         dict(list(dup.items())[:8]), len(extra), extra[:8], L.machine_load()))

    def check_up(self, r, what, spread=True, vxlan=True):
        """host -> network burst: exactly once over both spine ends, per-leaf sets equal
        OVS's per-member sets; returns {leaf: frames carried}."""
        n, base = r["n"], r["base"]
        union = {}
        for l in LEAFS:
            for q, c in r["spine"][l].items():
                union[q] = union.get(q, 0) + c
        both = set(r["spine"]["leaf1"]) & set(r["spine"]["leaf2"])
        self.assertFalse(both, "%s: frames encapsulated by both leafs: %s"
                         % (what, sorted(both)[:12]))
        self.assert_once(union, base, n, "%s at the spine (both leafs together)" % what)
        cnt = {l: len(r["spine"][l]) for l in LEAFS}
        for l in LEAFS:
            self.assertEqual(set(r["ovs_out"][l]), set(r["spine"][l]),
                             "%s: frames OVS sent on %s (%d) vs. frames %s encapsulated (%d)"
                             % (what, self.ovs_end[l], len(r["ovs_out"][l]), l, cnt[l]))
            self.assertTrue(cnt[l] <= r["uplink_tx"][l] <= cnt[l] + 2,
                            "%s: %s uplink TX moved by %d for %d frames"
                            % (what, l, r["uplink_tx"][l], cnt[l]))
        if spread:
            for l in LEAFS:
                self.assertTrue(SPREAD[0] <= cnt[l] / n <= SPREAD[1],
                                "%s: %s carried %d of %d (%s), expected %s..%s"
                                % (what, l, cnt[l], n, pct(cnt[l] / n), pct(SPREAD[0]),
                                   pct(SPREAD[1])))
        if vxlan:
            for l in LEAFS:
                frames = self.spine_rx[l].frames("in")
                for q, fr in frames.items():
                    inner = L.with_seq(r["templates"][(q - base) % r["nflows"]], MAGIC, q)
                    E.assert_vxlan(fr, inner=inner, vni=VNI, dst_ip=RVTEP, src_ip=LEAF_IP[l],
                                   outer_src_mac=LEAF_MAC[l], outer_dst_mac=NH_MAC,
                                   what="%s: VXLAN packet seq %d from %s" % (what, q, l))
        return cnt

    def check_bum(self, r, what, via, filtered):
        """BUM burst: at the host exactly once, byte-exact, only through leaf `via`;
        `filtered`: {leaf: expected df-filter delta}."""
        n, base = r["n"], r["base"]
        self.assert_once(r["host"], base, n, "%s at the host" % what)
        for l in LEAFS:
            want = n if l == via else 0
            self.assertEqual(len(r["member_in"][l]), want,
                             "%s: %d frames came from %s (OVS end %s), expected %d"
                             % (what, len(r["member_in"][l]), l, self.ovs_end[l], want))
            self.assertEqual(r["spine"][l], {}, "%s: %s sent BUM from the network back to "
                             "the network" % (what, l))
            for reason, v in filtered[l].items():
                self.assertEqual(r["drops"][l].get(reason, 0), v,
                                 "%s: %s %s drops %s" % (what, l, reason, r["drops"][l]))
        frames = r["rx"].frames("in")
        for q, fr in frames.items():
            want = L.with_seq(r["inners"][(q - base) % r["nflows"]], MAGIC, q)
            self.assertEqual(fr.hex(), want.hex(), "%s: decapsulated frame seq %d" % (what, q))

    def assert_converged_es(self, what):
        """show es ES-1 and show df on both leafs: up, both PEs, the model's DF."""
        for l in LEAFS:
            es = self.show_es(l)
            ctx = "%s %s:\n%s" % (what, l, es["text"])
            self.assertEqual(es.get("oper"), "up", ctx)
            self.assertEqual(sorted(c[0] for c in es["candidates"]),
                             sorted(LEAF_IP.values()), ctx)
            self.assertEqual([c[0] for c in es["candidates"] if c[1]], [LEAF_IP[l]], ctx)
            self.assertEqual([c[0] for c in es["candidates"] if c[2]], [DF_IP], ctx)
            self.assertEqual(es["df_vrf"], {"mac-vrf-1": "Yes" if l == DF else "No"}, ctx)
            self.assertEqual(es.get("aliasing"), LEAF_IP[PEER[l]], ctx)
            self.assertEqual(es.get("local_bias"), LEAF_IP[PEER[l]], ctx)
            df = self.show_df(l)
            self.assertIsNotNone(df, "%s %s: no show df row for ES-1/mac-vrf-1" % (what, l))
            self.assertEqual((df["EVI"], df["Algorithm"], df["DF"], df["This node"]),
                             (str(EVI), "modulo", DF_IP, "DF" if l == DF else "non-DF"),
                             "%s %s show df" % (what, l))

    # =============================================================== tests ==
    def test_1_one_partner_two_leafs(self):
        c = self.converge
        for l in LEAFS:
            for r, out in self.route_out[l]:
                self.assertTrue(any(line.endswith(": applied") for line in out),
                                "%s: %r not applied: %s" % (l, r, out))
        self.assertTrue(c["ok"], "not converged within %d s of the leafs' start: %s\n%s\n%s"
                        % (CONVERGE_S, "; ".join(c.get("why", [])), self.ovs_state(),
                           self.load_at_start))
        self.note("converged (OVS bond, both leafs' LACP, ES-1 up, DF elected) %.1f s after "
                  "the leafs started (routes given after %.1f s)" % (c["at"], self.t_routes))
        lab = self.lab
        lacp_txt = lab.ovs.appctl("lacp/show", lab.bond_host)
        o = L.parse_lacp_show(lacp_txt)
        b = lab.bond(lab.bond_host)
        ctx = "\n---- ovs lacp/show ----\n" + lacp_txt
        self.assertIn("negotiated", o.get("status", []), ctx)
        self.assertEqual(o.get("sys_id"), L.HOST_SYS_ID, ctx)
        self.assertEqual(b.get("lacp_status"), "negotiated")
        self.assertEqual(b.get("bond_mode"), "balance-tcp")
        ovs_key = o.get("key")
        self.assertIsNotNone(ovs_key, "no aggregation key in lacp/show" + ctx)
        ovs_port = {}
        for l in LEAFS:
            e = self.ovs_end[l]
            lm = o["members"][e]
            for f in ("current", "attached"):
                self.assertIn(f, lm["flags"], "%s%s" % (e, ctx))
            self.assertTrue(lm.get("may_enable"), e + ctx)
            p = lm["partner"]
            self.assertEqual((p.get("sys_id"), p.get("sys_priority"), p.get("key")),
                             (L.EVF_SYS_ID, L.EVF_SYS_PRIO, L.EVF_KEY),
                             "%s: OVS must see one partner system behind both members%s"
                             % (e, ctx))
            self.assertEqual(p.get("port_id"), PORT_NO[l], "%s partner port%s" % (e, ctx))
            for f in ("activity", "timeout", "aggregation", "synchronized", "collecting",
                      "distributing"):
                self.assertIn(f, p.get("state", []), "%s partner state%s" % (e, ctx))
            for f in ("defaulted", "expired"):
                self.assertNotIn(f, p.get("state", []), "%s partner state%s" % (e, ctx))
            self.assertEqual(b["members"][e]["state"], "enabled", e)
            ovs_port[l] = lm["actor"]["port_id"]
        self.note("OVS bond0: one partner %s prio %d key %d behind %s (port 1) and %s "
                  "(port 2), both enabled" % (L.EVF_SYS_ID, L.EVF_SYS_PRIO, L.EVF_KEY,
                                              lab.m1o, lab.m2o))
        for l in LEAFS:
            r = self.show_lacp(l)
            m = MEMBER[l]
            self.assertEqual(r.actor_flags(), (True, True, True), "%s %s\n%s" % (l, m, r.context))
            self.assertEqual(r.text("oper").lower(), "up", l)
            self.assertEqual(r.mac("system"), L.EVF_SYS_ID, l)
            self.assertEqual(r.num("key"), L.EVF_KEY, l)
            self.assertEqual(r.num("port_number"), PORT_NO[l], l)
            self.assertEqual(r.mac("partner_system"), L.HOST_SYS_ID, l)
            self.assertEqual(r.num("partner_key"), ovs_key, l)
            self.assertEqual(r.num("partner_port"), ovs_port[l], l)
            self.assertEqual(r.text("mux").lower(), "distributing", l)
            self.assertEqual(r.text("rx").lower(), "current", l)
            if "state_byte" in r:
                st = S.parse_state_byte(r["state_byte"])
                self.assertEqual(st, 0x3f, "%s actor state 0x%02x" % (l, st))
            lag, vals, raw = self.show_lag(l)
            self.assertEqual(vals.get("oper"), "up", "\n".join(raw))
            self.assertTrue(lag.flag("distributing"), l)
            self.assertEqual(lag.num("buckets"), 256, "\n".join(raw))
            self.assertGreater(lag.num("lacpdu_in"), 0, l)
            self.assertEqual(lag.num("illegal"), 0, l)
            self.note("%s: %s port %d distributing, partner %s key %d port %d (OVS %s)"
                      % (l, m, PORT_NO[l], L.HOST_SYS_ID, ovs_key, ovs_port[l],
                         self.ovs_end[l]))
        # seeds 000/003: "show lag lag1 lacp-state" is the same on both leafs except the
        # port numbers (ours and the partner's)
        out = {l: self.evf[l].cmd("show lacp lag1") for l in LEAFS}
        rows = {l: S.parse_members(out[l], [MEMBER[l]], "%s show lacp lag1" % l)[MEMBER[l]]
                for l in LEAFS}
        ctx = "\n".join("---- %s show lacp lag1 ----\n%s" % (l, "\n".join(out[l])) for l in LEAFS)
        differ = sorted(h for h in set(rows["leaf1"].raw) | set(rows["leaf2"].raw)
                        if rows["leaf1"].raw.get(h) != rows["leaf2"].raw.get(h))
        self.assertEqual([S.norm(h) for h in differ], ["partnerportno", "portno"],
                         "columns that differ between the leafs: %s\n%s" % (differ, ctx))
        head = {l: [x for x in out[l] if x.strip() and MEMBER[l] not in x.split()[:1]
                    and not set(x.strip()) <= {"-"}] for l in LEAFS}
        self.assertEqual(head["leaf1"], head["leaf2"], "LAG-level lines differ\n" + ctx)
        self.note("show lacp lag1: identical on both leafs except %s (%s / %s)"
                  % (" and ".join(differ), "/".join(rows["leaf1"].raw[h] for h in differ),
                     "/".join(rows["leaf2"].raw[h] for h in differ)))
        self.assert_converged_es("after start-up")
        self.note("ES-1 up on both leafs, candidates 198.18.0.1 and 198.18.0.2, DF %s (%s) on "
                  "both = modulo model (EVI %d mod 2)" % (DF_IP, DF, EVI))
        for l in LEAFS:
            ev = [e for e in self.events(l) if e[1] == "es-up" and ESI in e[2]]
            self.assertTrue(ev, "%s: no es-up event for ES-1" % l)

    def test_2_host_to_network(self):
        self.need_converged()
        r = self.burst_up(base=1000000)
        cnt = self.check_up(r, "host -> network")
        self.note("host -> network, %d frames (200 flows): leaf1 encapsulated %d (%s), leaf2 %d "
                  "(%s); each exactly once, VXLAN fields checked"
                  % (r["n"], cnt["leaf1"], pct(cnt["leaf1"] / r["n"]), cnt["leaf2"],
                     pct(cnt["leaf2"] / r["n"])))

    def test_3_bum_from_network(self):
        self.need_converged()
        r = self.burst_bum(base=2000000)
        self.check_bum(r, "BUM from %s" % RVTEP, via=DF,
                       filtered={DF: {"df-filter": 0}, NON_DF: {"df-filter": r["n"]}})
        self.note("BUM from %s to both leafs, %d frames: each at the host once, all through "
                  "the DF %s; %s df-filter +%d" % (RVTEP, r["n"], DF, NON_DF,
                                                   r["drops"][NON_DF].get("df-filter", 0)))

    def test_4_member_link_down(self):
        self.need_converged()
        lab = self.lab
        down = DF                      # take the DF's member down: the election must move
        surv = PEER[down]
        end = self.ovs_end[down]
        ev0 = {l: max([e[0] for e in self.events(l)] or [0]) for l in LEAFS}
        n = FAIL_RATE * FAIL_SECS
        nflows = 64
        tmpl = self.up_frames(nflows)
        self._reset_counters()
        base = 3000000
        self.host_tx.load(tmpl)
        t0 = self.host_tx.go(FAIL_RATE, n, L.seq_offset(tmpl[0], MAGIC), base)
        time.sleep(max(0.0, t0 + FAIL_AT - time.monotonic()))
        t_down = time.monotonic()
        try:
            E.sh([E.IP_CMD, "link", "set", end, "down"])
            t_cmd = time.monotonic()
            dt_ovs, _ = self.wait_until("OVS disables %s" % end,
                                        lambda: self.ovs_enabled() == {surv}, 5,
                                        context=self.ovs_state)
            dt_ovs += t_cmd - t_down
            dt_es, es_down = self.wait_until(
                "%s ES-1 oper down" % down,
                lambda: (lambda es: es if es.get("oper") == "down" else None)(self.show_es(down)),
                5, interval=0.01)
            dt_es += t_cmd - t_down
            evs = [e for e in self.events(down) if e[0] > ev0[down]]
            lacp_down = self.show_lacp(down)
            lag_down, vals_down, raw_down = self.show_lag(down)
            # the control plane: leaf2's es-down makes BGP withdraw its ES routes
            t_w = time.monotonic()
            outs = [(rt, self.evf[surv].cmd(rt)) for rt in
                    peer_es_routes(LEAF_IP[down], op="del")]
            df_surv = self.show_df(surv)
            t_df = time.monotonic() - t_w
            self.host_tx.wait_done(FAIL_SECS + 30)
            self.wait_rx(lambda: [self.spine_rx[l].seqs("in") for l in LEAFS], n, 3.0)
            spine = {l: self.spine_rx[l].seqs("in") for l in LEAFS}
            ovs_out = {l: self.member[l].seqs("out") for l in LEAFS}
            # BUM with the DF's link down: the survivor delivers once
            rb = self.burst_bum(nflows=50, reps=2, base=3500000)
        finally:
            E.sh([E.IP_CMD, "link", "set", end, "up"])
            t_up = time.monotonic()
        send_t = lambda q: t0 + (q - base) / FAIL_RATE  # noqa: E731
        union = {}
        for l in LEAFS:
            for q, c in spine[l].items():
                union[q] = union.get(q, 0) + c
        lost = [q for q in range(base, base + n) if q not in union]
        dup = {q: c for q, c in union.items() if c != 1}
        ms = len(lost) * 1000.0 / FAIL_RATE
        window = ((send_t(lost[0]) - t_down) * 1000, (send_t(lost[-1]) - t_down) * 1000) \
            if lost else (0, 0)
        self.note("link down on %s (%s's member): OVS disabled it after %.0f ms, %s ES-1 oper "
                  "down after %.0f ms (ip link took %.0f ms)"
                  % (end, down, dt_ovs * 1000, down, dt_es * 1000, (t_cmd - t_down) * 1000))
        self.note("failover loss (host -> network): %d frames at %d pps (= %.0f ms); lost "
                  "frames were sent %.0f..%.0f ms after the link-down"
                  % (len(lost), FAIL_RATE, ms, window[0], window[1]))
        # the segment went down on that leaf, with an event
        self.assertEqual(es_down.get("oper"), "down", es_down["text"])
        self.assertIn("es-down", [e[1] for e in evs if ESI in e[2]],
                      "%s: no es-down event for ES-1 after the link went down: %s"
                      % (down, evs))
        self.assertEqual(lacp_down.text("oper").lower(), "down", lacp_down.context)
        self.assertFalse(lacp_down.actor_flags()[2], "%s still distributing" % down)
        self.assertEqual(vals_down.get("oper"), "down", "\n".join(raw_down))
        self.assertEqual(lag_down.num("buckets"), 0, "\n".join(raw_down))
        # host -> network: OVS moved everything to the survivor
        self.assertFalse(dup, "duplicated frames: %s" % dict(list(dup.items())[:10]))
        before = [q for q in spine[down] if send_t(q) < t_down]
        self.assertGreater(len(before), 0, "%s carried none of the stream before the link "
                           "went down: the failover was not exercised" % down)
        early = [q for q in lost if send_t(q) < t_down - 0.05]
        self.assertFalse(early, "frames lost before the link went down: %s" % early[:10])
        self.assertLessEqual(ms, FAILOVER_MAX_MS, "failover lost %d frames (%.0f ms), offsets "
                             "%s\n%s" % (len(lost), ms, ranges([q - base for q in lost]),
                                         L.machine_load()))
        late = [q for q in lost if send_t(q) > t_down + FAILOVER_MAX_MS / 1000.0]
        self.assertFalse(late, "frames lost %d ms or more after the link-down: %s"
                         % (FAILOVER_MAX_MS, late[:10]))
        after = [q for q in range(base, base + n) if send_t(q) > t_down + FAILOVER_MAX_MS / 1e3]
        self.assertEqual([q for q in after if q not in spine[surv]], [],
                         "frames after the failover not encapsulated by %s" % surv)
        self.assertEqual(set(ovs_out[surv]), set(spine[surv]),
                         "what OVS sent on %s vs. what %s encapsulated" % (self.ovs_end[surv],
                                                                          surv))
        self.note("after the failover all %d frames were encapsulated by %s" % (len(after), surv))
        # the control plane withdrew the peer: the survivor is DF at once
        for rt, out in outs:
            self.assertTrue(any(line.endswith(": applied") for line in out),
                            "%s: %r not applied: %s" % (surv, rt, out))
        self.assertIsNotNone(df_surv)
        self.assertEqual((df_surv["DF"], df_surv["This node"]), (LEAF_IP[surv], "DF"),
                         "%s show df right after %s's routes were withdrawn" % (surv, down))
        self.check_bum(rb, "BUM with %s's member down" % down, via=surv,
                       filtered={surv: {"df-filter": 0, "es-down": 0},
                                 down: {"df-filter": 0, "es-down": rb["n"]}})
        self.note("%s's RT4/RT1 withdrawn at %s (%.0f ms for the three commands): %s DF at "
                  "once; %d BUM frames reached the host once, through %s"
                  % (down, surv, t_df * 1000, surv, rb["n"], surv))
        # link up: LACP converges again, the segment comes back, routes re-advertised
        self.wait_until(
            "LACP converged again after link up",
            lambda: self.ovs_enabled() == set(LEAFS) and
            self.show_lacp(down).actor_flags() == (True, True, True), RECOVER_S,
            interval=0.2, context=self.ovs_state)
        t_lacp = time.monotonic() - t_up
        self.wait_until(
            "%s ES-1 up again" % down,
            lambda: self.show_es(down).get("oper") == "up", RECOVER_S, interval=0.2)
        t_esup = time.monotonic() - t_up
        ev_up = [e for e in self.events(down) if e[0] > ev0[down] and e[1] == "es-up"
                 and ESI in e[2]]
        self.assertTrue(ev_up, "%s: no es-up event after link up" % down)
        t_adv = time.monotonic()
        for rt in peer_es_routes(LEAF_IP[down]):
            out = self.evf[surv].cmd(rt)
            self.assertTrue(any(line.endswith(": applied") for line in out),
                            "%s: %r not applied: %s" % (surv, rt, out))
        c = self._wait_converged(RECOVER_S, since=t_adv)
        self.assertTrue(c["ok"], "not converged again after link up: %s\n%s"
                        % ("; ".join(c.get("why", [])), self.ovs_state()))
        self.assert_converged_es("after link up")
        # what each leaf told the control plane, in order: segment and DF changes only,
        # no flapping
        want = {down: ["es-down", "df-change vni 1 non-DF", "es-up", "df-change vni 1 DF"],
                surv: ["df-change vni 1 DF", "df-change vni 1 non-DF"]}
        for l in LEAFS:
            evs = [e for e in self.events(l) if e[0] > ev0[l] and ESI in e[2]
                   and e[1] in ("es-up", "es-down", "df-change")]
            got = [e[1] + (" vni %s %s" % (e[2].split()[3], e[2].split()[4])
                           if e[1] == "df-change" else "") for e in evs]
            self.assertEqual(got, want[l], "%s segment/DF events since the link-down: %s"
                             % (l, evs))
        self.note("events: %s %s; %s %s" % (down, ", ".join(want[down]), surv,
                                             ", ".join(want[surv])))
        self.note("link up: OVS and %s distributing again %.1f s after it, ES-1 up (es-up "
                  "event) after %.1f s; routes re-advertised at %s, DF %s again on both %.1f s "
                  "later" % (down, t_lacp, t_esup, surv, DF, c["at"]))
        # traffic over both leafs again (OVS: new hash basis), BUM once through the DF
        lab.spread_bond(lab.bond_host)
        r = self.burst_up(base=3600000)
        cnt = self.check_up(r, "host -> network after link up", vxlan=False)
        rb = self.burst_bum(nflows=50, reps=2, base=3700000)
        self.check_bum(rb, "BUM after link up", via=DF,
                       filtered={DF: {"df-filter": 0}, NON_DF: {"df-filter": rb["n"]}})
        self.note("then host -> network spread again (%s) and BUM once through %s" % (cnt, DF))


class Zz_NothingLeft(E.EvfTestCase):
    """Runs after TwoLeafs (classes run in name order)."""

    def test_5_nothing_left(self):
        lab = TwoLeafs.lab
        self.assertIsNotNone(lab)
        lab.cleanup()
        self.assertEqual(lab.leftovers(), [], "left behind")
        self.assertEqual(E.Links.leftovers("evfl-" + lab.tag), [])


if __name__ == "__main__":
    E.main()
