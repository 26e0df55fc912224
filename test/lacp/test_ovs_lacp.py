#!/usr/bin/python3
"""test_ovs_lacp.py: evfwd's LACP LAG against a real LACP partner, Open vSwitch
in its userspace (netdev) datapath (suite "lacp", doc/lag.md).

Topology (ovslab.py; every name starts with evfl-XXXX, XXXX from the PID):

  netns -host                 root namespace                                 netns -spine
  -hh (host 198.18.1.1) ---- -hb [br-host, netdev datapath]                  -np (VTEP 198.18.0.1)
                             bond0: lacp active, fast, balance-tcp             |
                               -m1o ===veth=== -m1  evfwd m1 (net_af_xdp)      |
                               -m2o ===veth=== -m2  evfwd m2 (net_af_xdp)      |
                                               -n   evfwd uplink (net_af_packet)

evfwd (one worker, idle-sleep-us 20): lag1 = m1 (port 1) + m2 (port 2), LACP
fast, system 00:00:00:00:00:11 priority 11 key 11, tx-hash l34, management
member m1 for the BMC MAC 00:c1:ab:00:0b:01; MAC-VRF blue (VNI 10010) with lag1
untagged, remote MAC R 00:c1:ab:00:04:04 behind VTEP 198.18.0.1 (the spine).
OVS br-host: system id 02:00:00:00:0a:01, priority 100, bond-rebalance off.

Traffic comes from raw-socket agents (ovslab.Agent): each frame carries a magic
and a 32-bit sequence number, so every frame is accounted for exactly, per
member too: an agent on each OVS-side member end sees what OVS sent to evfwd
("out") and what evfwd sent to OVS ("in") on that member.

 1. LACP converges within 15 s: OVS lacp/show: negotiated, both members
    current/attached/may_enable, partner 00:00:00:00:00:11 priority 11 key 11,
    partner port numbers 1 and 2 on -m1o and -m2o, partner state
    sync/collecting/distributing; bond/show both enabled. evfwd show lacp:
    both members IN_SYNC/collecting/distributing (booleans and state byte),
    mux distributing, receive current, our system/key/port numbers, partner =
    OVS's system id, key and port ids; show lag: up, both distributing, the
    256 buckets shared 64..192 each.
 2. host -> network: 200 UDP flows x 5 (1000 frames) sent into br-host: OVS
    spreads them over both members (20-80% each), evfwd's per-port RX counters
    agree, every frame arrives at the spine once, as VXLAN checked field by
    field (inner bytes identical).
 3. network -> host: 200 flows x 5 as VXLAN into evfwd's uplink: evfwd spreads
    them over m1 and m2 (20-80% each, per-port TX counters agree), each flow
    always on the same member, every frame at the host once and byte-exact.
 4. failover: 1000 pps for 10 s (64 flows) from the spine to the host; after
    3 s "ip link set -m2o down". Lost frames are counted by sequence number and
    reported ("failover loss: N packets at R pps (= X ms)"); loss must stay
    under 300 ms of traffic, only frames sent around the link-down may be
    lost, every frame after that arrives (over m1). evfwd shows m2 down and
    not distributing, all 256 buckets on m1. Link up again: both distribute
    again (evfwd and OVS) and evfwd's traffic spreads again; OVS gets a new
    bond-hash-basis (it never hands hashes back to a re-enabled member when
    rebalancing is off) and host -> network spreads over both again.
 5. LACPDUs from OVS to m2 dropped (nftables netdev table, egress hook of
    -m2o): evfwd removes m2 after the short timeout (2..6 s after the rule:
    3 s after the last LACPDU it got), OVS disables -m2o too. A 500 pps
    stream each way runs across the block: network -> host loses nothing;
    host -> network loses only frames OVS sent on -m2o between evfwd's
    removal and OVS's, exactly as many as evfwd counts as lag-not-collecting,
    and no more than LOSS_BLOCK_MAX_MS of traffic: when m2's partner info
    expires evfwd stops collecting and at once tells OVS it is out of sync,
    which OVS looks at. Then bursts both ways go over m1 only, nothing lost.
    The rule removed, m2 comes back within RECOVER_S: with the fast interval
    evfwd keeps sending PDUs every second even when defaulted, and OVS
    answers as soon as it hears one -- and traffic spreads again both ways
    (OVS after a new bond-hash-basis).
 6. management member: 200 flows from the spine to the BMC MAC (learned on
    lag1) all leave on m1: none on m2 (agent on -m2o; evfwd's m2 TX counter
    moved by no more than its LACPDUs), every frame at the host once.
 7. nothing is left: namespaces, veths, nftables tables, OVS, evfwd, agents
    (tearDownClass and the last test).

Why the LACPDU block is an egress rule on OVS's end: on a veth, evfwd's
net_af_xdp socket gets frames from XDP, before the netdev ingress hook, and
packet sockets (net_af_packet, OVS's netdev-linux) get them from the taps,
also before that hook; an "ingress device <evfwd end>" rule counts the
LACPDUs but does not keep them from evfwd (checked: OVS kept its partner with
such a rule on its own end). The egress hook of the other end runs in
dev_queue_xmit, which OVS's AF_PACKET transmit goes through, so the LACPDUs
never reach the veth.

evfwd and ovs-vswitchd run at nice -10: the machine has 2 CPUs, often shared
with other suites (their evfwd instances use the same lcores) and CPU hogs;
under such load, runs at normal priority lost bursts of frames (0.15 to 1.8 s
of traffic, on the uplink's AF_PACKET ring: evfwd's worker did not get the
CPU), which do not happen on an idle machine.
A failure message about lost frames shows where they were counted (kernel
counters of every root-namespace end, evfwd's port counters, per-member
captures, softnet backlog drops) and the machine load.

On SIGTERM/SIGINT/SIGHUP the test exits at once and ovslab's watchdog removes
everything (also after SIGKILL); meson's timeout kill gives only 0.5 s.

Root, openvswitch-switch, nftables, iproute2, python3-scapy and tshark (for
evfpkt) are needed; anything missing fails the test. EVFPKT_KEEP=1 keeps the
run directories (evfwd's stdout/stderr, the OVS logs); they are kept anyway
when a test fails.
"""
import os
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import ovslab as L  # noqa: E402  (puts test/pkt on sys.path)
from ovslab import pct, ranges  # noqa: E402
import lagshow as S  # noqa: E402
import evfpkt as E  # noqa: E402

L.install_signal_handlers()

VNI = 10010
VTEP = "198.18.0.10"                 # node.vtep-ipv4
RVTEP = "198.18.0.1"                 # the spine's remote VTEP
ME_MAC, NH_MAC = E.ME_MAC, E.NH_MAC  # node.mac, uplink next-hop-mac
R_MAC, R_IP = "00:c1:ab:00:04:04", "198.18.4.4"      # remote host behind RVTEP
H_MAC = L.HOST_MAC                   # the host behind br-host
H_DATA_IP = "198.18.1.200"           # inner destination IP: not the host's own (no ICMP back)
BMC_MAC, BMC_IP = "00:c1:ab:00:0b:01", "198.18.1.11"
MAGIC = b"EVFLACP!"
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]
MEMBERS = ["m1", "m2"]

CONVERGE_S = 15          # both sides collecting+distributing within this (1)
SPREAD = (0.20, 0.80)    # share of each member (2, 3)
LACPDU_SLACK = 12        # frames a counter may have on top of the data (PDUs, 3/s at most)
FAIL_RATE, FAIL_SECS, FAIL_AT = 1000, 10, 3.0
FAILOVER_MAX_MS = 300    # (4) loss bound, in ms of traffic at FAIL_RATE
TIMEOUT_MIN_S, TIMEOUT_MAX_S = 2.0, 6.0   # (5) fast timeout is 3 s after the last LACPDU
RECOVER_S = 12           # (5) fast PDUs even when defaulted, WAITING 2 s, OVS's own reaction
LOSS_BLOCK_MAX_MS = 200  # (5) host -> network loss between evfwd's removal and OVS's
BURST_RATE = 2000
BLOCK_RATE, BLOCK_SECS = 500, 12   # (5) streams across the LACPDU block

CONFIG = """
node:
  name: lacp-ovs
  vtep-ipv4: %(vtep)s
  mac: %(me)s
ports:
  - name: uplink
    device: "net_af_packet0,iface=%(net)s"
    role: network
    next-hop-mac: %(nh)s
  - name: m1
    device: "net_af_xdp0,iface=%(m1)s"
    role: access
  - name: m2
    device: "net_af_xdp1,iface=%(m2)s"
    role: access
lags:
  - name: lag1
    members:
      - {port: m1, port-number: 1}
      - {port: m2, port-number: 2}
    lacp: {interval: fast, system-id: "00:00:00:00:00:11", system-priority: 11, key: 11}
    tx-hash: l34
    management: {member: m1, macs: ["%(bmc)s"]}
mac-vrfs:
  - name: blue
    vni: %(vni)d
    attachments:
      - {port: lag1, vlan: untagged}
    remote-vteps: [%(rvtep)s]
    remote-macs:
      - {mac: "%(rmac)s", vtep: %(rvtep)s}
workers:
  count: 1
  idle-sleep-us: 20
"""


def softnet_drops():
    """Packets the kernel dropped because a CPU's input backlog was full (all CPUs)."""
    with open("/proc/net/softnet_stat") as fh:
        return sum(int(line.split()[1], 16) for line in fh if line.strip())


class LacpOvs(E.EvfTestCase):
    """One evfwd run against OVS; the tests run in name order and share it."""

    lab = evf = None

    # ------------------------------------------------------------ set-up --
    @classmethod
    def setUpClass(cls):
        # ovs-netdev and br-host are machine-wide names: one OVS lab at a time
        L.wait_other_labs(say=lambda m: sys.stderr.write("\n    %s\n" % m))
        cls.elab = E.Lab("lacp-ovs")
        cls.lab = L.OvsLab(parent_dir=cls.elab.dir)   # OVS logs kept with evfwd's on failure
        try:
            cls._setup()
        except BaseException:
            cls.lab.failed = cls.elab.failed = True
            cls._teardown()
            raise

    @classmethod
    def _setup(cls):
        lab = cls.lab
        lab.make_links()
        lab.start_ovs()
        lab.make_host_bridge()
        cls.host_rx = L.Agent("count", lab.hh, ns=lab.ns_host, magic=MAGIC)
        cls.host_tx = L.Agent("send", lab.hh, ns=lab.ns_host)
        cls.spine_rx = L.Agent("count", lab.netp, ns=lab.ns_spine, magic=MAGIC)
        cls.spine_tx = L.Agent("send", lab.netp, ns=lab.ns_spine)
        cls.ovs_end = {"m1": lab.m1o, "m2": lab.m2o}
        cls.member_rx = {m: L.Agent("count", cls.ovs_end[m], magic=MAGIC) for m in MEMBERS}
        config = CONFIG % dict(vtep=VTEP, me=ME_MAC, nh=NH_MAC, net=lab.net, m1=lab.m1,
                               m2=lab.m2, bmc=BMC_MAC, vni=VNI, rvtep=RVTEP, rmac=R_MAC)
        cls.t_start = time.monotonic()
        cls.evf = E.LiveRun(cls.elab, config, eal_args=EAL, max_runtime=280)
        L.boost(cls.evf.proc.pid)   # every evfwd thread (its own session)
        cls.load_at_start = L.machine_load()
        cls.converge = cls._wait_converged(CONVERGE_S)
        if cls.converge["ok"]:
            cls._prime()

    @classmethod
    def _wait_converged(cls, timeout):
        """Poll both sides until both members distribute on both; never raises for
        a timeout: returns what was seen (test 1 asserts)."""
        lab, res = cls.lab, {"ok": False, "ovs_at": None, "evf_at": None}
        end = cls.t_start + timeout
        while True:
            now = time.monotonic()
            try:
                lab.wait_bond(lab.bond_host, [lab.m1o, lab.m2o], timeout=0)
                if res["ovs_at"] is None:
                    res["ovs_at"] = now - cls.t_start
            except AssertionError as e:
                res["ovs_err"] = str(e)
                res["ovs_at"] = None
            try:
                lacp = cls.show_lacp()
                if all(lacp[m].actor_flags() == (True, True, True) for m in MEMBERS):
                    if res["evf_at"] is None:
                        res["evf_at"] = now - cls.t_start
                else:
                    res["evf_at"] = None
                res["evf_err"] = "\n".join(lacp["m1"].context.splitlines())
            except AssertionError as e:
                res["evf_err"] = str(e)
                res["evf_at"] = None
            if res["ovs_at"] is not None and res["evf_at"] is not None:
                res["ok"] = True
                return res
            if time.monotonic() > end:
                return res
            time.sleep(0.25)

    @classmethod
    def _prime(cls):
        """Teach evfwd the host and BMC MACs (on lag1) and OVS the remote MAC (on bond0)."""
        cls.host_tx.send([L.ipv4_udp(H_MAC, R_MAC, L.HOST_IP, R_IP, 9, 9, b"prime", size=64),
                          L.ipv4_udp(BMC_MAC, R_MAC, BMC_IP, R_IP, 9, 9, b"prime", size=64)])
        inner = L.ipv4_udp(R_MAC, H_MAC, R_IP, H_DATA_IP, 9, 9, b"prime", size=64)
        cls.spine_tx.send([L.vxlan_udp(inner, VNI, RVTEP, VTEP, NH_MAC, ME_MAC, 50000)])
        cls.fdb_primed = cls.evf.wait_for(
            "show fdb", lambda out: sum(1 for line in out if (H_MAC in line or BMC_MAC in line)
                                        and "lag1" in line) == 2, timeout=10)

    # ------------------------------------------------------------ teardown --
    @classmethod
    def _teardown(cls):
        cls.quit_error = None
        if cls.evf is not None and cls.evf.proc.poll() is None:
            try:
                res = cls.evf.quit(timeout=30)
                sys.stderr.write("evfwd final drop counters: %s\n" % (res.drops or "none"))
            except AssertionError as e:
                cls.quit_error = str(e)
        cls.lab.cleanup()

    @classmethod
    def tearDownClass(cls):
        cls._teardown()
        left = cls.lab.leftovers()
        if left:
            raise AssertionError("(7) left behind after cleanup: %s" % left)
        if cls.quit_error:
            cls.elab.failed = True
            raise AssertionError("evfwd did not end cleanly: %s" % cls.quit_error)

    # ------------------------------------------------------------ helpers --
    @classmethod
    def show_lacp(cls):
        return S.parse_members(cls.evf.cmd("show lacp"), MEMBERS, "show lacp")

    @classmethod
    def show_lag(cls):
        out = cls.evf.cmd("show lag")
        return S.parse_members(out, MEMBERS, "show lag"), S.lag_values(out, "lag1"), out

    @classmethod
    def port_stats(cls):
        return S.port_stats(cls.evf.cmd("show port stats all"))

    def note(self, msg):
        sys.stderr.write("    %s\n" % msg)
        sys.stderr.flush()

    def need_converged(self):
        if not self.converge["ok"]:
            self.fail("LACP never converged (test 1 says why); nothing to test")

    def wait_evf(self, what, pred, timeout, interval=0.1):
        """Poll show lacp + show lag until pred(lacp, lag, lagvals); returns seconds taken."""
        t0 = time.monotonic()
        while True:
            lacp = self.show_lacp()
            lag, vals, raw = self.show_lag()
            if pred(lacp, lag, vals):
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                self.fail("evfwd: %s not within %.0f s\n%s\n---- show lag ----\n%s\n%s"
                          % (what, timeout, lacp["m1"].context, "\n".join(raw),
                             self.ovs_state()))
            time.sleep(interval)

    def ovs_state(self):
        """OVS's view, nftables tables and the member ends' kernel counters (for failures)."""
        lab = self.lab
        out = ["---- ovs lacp/show ----", lab.ovs.appctl("lacp/show", lab.bond_host, check=False),
               "---- ovs bond/show ----", lab.ovs.appctl("bond/show", lab.bond_host, check=False),
               "---- nft list tables ----", E.sh([L.NFT, "list", "tables"], check=False)]
        for m in MEMBERS:
            e = self.ovs_end[m]
            out.append("%s: tx %d rx %d, link %s" % (
                e, lab.kstat(e, "tx_packets"), lab.kstat(e, "rx_packets"),
                E.sh([E.IP_CMD, "-br", "link", "show", e], check=False).strip()))
        return "\n".join(out)

    def kernel_counters(self):
        lab = self.lab
        out = {}
        for i in (lab.net, lab.m1, lab.m2, lab.m1o, lab.m2o, lab.hb):
            for c in ("rx_packets", "tx_packets", "rx_dropped", "tx_dropped"):
                out[(i, c)] = lab.kstat(i, c)
        return out

    def wait_ovs_members(self, want, timeout):
        """Wait until OVS bond/show has exactly the members in want enabled."""
        t0 = time.monotonic()
        while True:
            b = self.lab.bond(self.lab.bond_host)
            en = {m for m in MEMBERS if b["members"][self.ovs_end[m]]["state"] == "enabled"}
            if en == set(want):
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                self.fail("OVS bond0: enabled members %s, expected %s after %.0f s\n%s"
                          % (sorted(en), sorted(want), timeout, self.ovs_state()))
            time.sleep(0.1)

    def both_distributing(self, lacp, lag, vals):
        return all(lacp[m].actor_flags() == (True, True, True) and lag[m].flag("distributing")
                   for m in MEMBERS)

    # ---- traffic ----
    def _reset_counters(self):
        for a in [self.host_rx, self.spine_rx] + list(self.member_rx.values()):
            a.reset()

    def up_frames(self, nflows):
        """host -> R (encapsulated by evfwd): one template per flow (source port)."""
        return [L.ipv4_udp(H_MAC, R_MAC, L.HOST_IP, R_IP, 20000 + k, 7000, MAGIC + bytes(4),
                           size=160) for k in range(nflows)]

    def down_inner(self, nflows, dst_mac=H_MAC, dst_ip=H_DATA_IP, sport0=30000):
        return [L.ipv4_udp(R_MAC, dst_mac, R_IP, dst_ip, sport0 + k, 8000, MAGIC + bytes(4),
                           size=140) for k in range(nflows)]

    def down_frames(self, inners):
        return [L.vxlan_udp(f, VNI, RVTEP, VTEP, NH_MAC, ME_MAC, 50000 + k % 10000)
                for k, f in enumerate(inners)]

    def burst(self, direction, nflows=200, reps=5, dst_mac=H_MAC, dst_ip=H_DATA_IP,
              base=0, settle=5.0):
        """Send nflows x reps frames (frame i = flow i % nflows, sequence base + i) up
        (host -> network) or down (network -> host). Returns a dict: n, seqs at the
        receiver, frames at the receiver, per member {m: set of seqs} and evfwd's
        per-port counter deltas."""
        n = nflows * reps
        self._reset_counters()
        if direction == "up":
            tmpl = self.up_frames(nflows)
            sender, rx, mdir = self.host_tx, self.spine_rx, "out"
        else:
            tmpl = self.down_frames(self.down_inner(nflows, dst_mac, dst_ip))
            sender, rx, mdir = self.spine_tx, self.host_rx, "in"
        before = self.port_stats()
        k0, sn0 = self.kernel_counters(), softnet_drops()
        sender.load(tmpl)
        sender.go(BURST_RATE, n, L.seq_offset(tmpl[0], MAGIC), base)
        sender.wait_done(30 + n / BURST_RATE)
        end = time.monotonic() + settle
        while True:
            seqs = rx.seqs("in")
            if len(seqs) >= n or time.monotonic() > end:
                break
            time.sleep(0.1)
        time.sleep(0.3)
        seqs = rx.seqs("in")
        after = self.port_stats()
        k1, sn1 = self.kernel_counters(), softnet_drops()
        per = {m: self.member_rx[m].seqs(mdir) for m in MEMBERS}
        return {"n": n, "nflows": nflows, "base": base, "seqs": seqs, "rx": rx,
                "templates": tmpl, "per": per, "softnet": sn1 - sn0,
                "kern": {key: k1[key] - k0[key] for key in k1},
                "evf": {p: {k: after[p][k] - before[p][k] for k in ("rx", "tx")}
                        for p in after if p in before and isinstance(after[p]["rx"], int)}}

    def assert_once(self, r, what):
        want = set(range(r["base"], r["base"] + r["n"]))
        got = r["seqs"]
        missing = sorted(want - set(got))
        dup = {k: v for k, v in got.items() if v != 1}
        extra = sorted(set(got) - want)
        if missing or dup or extra:
            self.fail("%s: %d of %d frames arrived; missing %d (%s), duplicated %d %s, "
                      "unexpected %d %s\n%s"
                      % (what, len(set(got) & want), r["n"], len(missing),
                         ranges([q - r["base"] for q in missing]), len(dup),
                         dict(list(dup.items())[:8]), len(extra), extra[:8],
                         self.path_report(r)))

    def path_report(self, r):
        """Where frames of a burst were counted: kernel counters of the root-namespace
        ends, evfwd's port counters, per-member captures, softnet backlog drops."""
        k = r.get("kern")
        lines = ["per hop (burst offsets are sequence - %d):" % r["base"]]
        if k:
            lines.append("  kernel: " + ", ".join("%s %s +%d" % (i, c, v)
                                                  for (i, c), v in sorted(k.items())))
        lines.append("  evfwd ports: %s" % r["evf"])
        lines.append("  per member capture: %s" % {m: len(v) for m, v in r["per"].items()})
        lines.append("  softnet backlog drops +%d" % r.get("softnet", 0))
        lines.append(L.machine_load())
        return "\n".join(lines)

    def member_share(self, r):
        """{m: number of burst frames on member m}, each frame on exactly one member."""
        want = set(range(r["base"], r["base"] + r["n"]))
        cnt = {m: len(set(r["per"][m]) & want) for m in MEMBERS}
        both = set(r["per"]["m1"]) & set(r["per"]["m2"]) & want
        self.assertFalse(both, "frames seen on both members: %s" % sorted(both)[:12])
        return cnt

    def assert_spread(self, counts, what):
        tot = sum(counts.values())
        self.assertGreater(tot, 0, "%s: no frames at all" % what)
        for m, v in counts.items():
            self.assertTrue(SPREAD[0] <= v / tot <= SPREAD[1],
                            "%s: member %s carried %d of %d (%s), expected %s..%s"
                            % (what, m, v, tot, pct(v / tot), pct(SPREAD[0]), pct(SPREAD[1])))

    # =============================================================== tests ==
    def test_1_lacp_converged(self):
        c = self.converge
        self.assertTrue(c["ok"], "LACP did not converge within %d s of evfwd's start:\n"
                        "OVS: %s\nevfwd: %s" % (CONVERGE_S, "ready at %.1f s" % c["ovs_at"]
                                                if c["ovs_at"] else c.get("ovs_err"),
                                                c.get("evf_err")))
        self.note("LACP converged: OVS at %.1f s, evfwd at %.1f s after evfwd started"
                  % (c["ovs_at"], c["evf_at"]))
        lab = self.lab
        lacp_txt = lab.ovs.appctl("lacp/show", lab.bond_host)
        o = L.parse_lacp_show(lacp_txt)
        b = lab.bond(lab.bond_host)
        ctx = "\n---- ovs lacp/show ----\n" + lacp_txt
        self.assertIn("negotiated", o.get("status", []), ctx)
        self.assertEqual(o.get("sys_id"), L.HOST_SYS_ID, ctx)
        ovs_key = o.get("key")
        self.assertIsNotNone(ovs_key, "no aggregation key in lacp/show" + ctx)
        ovs_port = {}
        for n, m in enumerate(MEMBERS):
            lm = o["members"][self.ovs_end[m]]
            for f in ("current", "attached"):
                self.assertIn(f, lm["flags"], "%s%s" % (m, ctx))
            self.assertTrue(lm.get("may_enable"), m + ctx)
            p = lm["partner"]
            self.assertEqual(p.get("sys_id"), L.EVF_SYS_ID, m + ctx)
            self.assertEqual(p.get("sys_priority"), L.EVF_SYS_PRIO, m + ctx)
            self.assertEqual(p.get("key"), L.EVF_KEY, m + ctx)
            self.assertEqual(p.get("port_id"), n + 1, "%s partner port number%s" % (m, ctx))
            for f in ("activity", "timeout", "aggregation", "synchronized", "collecting",
                      "distributing"):
                self.assertIn(f, p.get("state", []), "%s partner state%s" % (m, ctx))
            for f in ("defaulted", "expired"):
                self.assertNotIn(f, p.get("state", []), "%s partner state%s" % (m, ctx))
            self.assertEqual(b["members"][self.ovs_end[m]]["state"], "enabled", m)
            ovs_port[m] = lm["actor"]["port_id"]
        self.assertEqual(b.get("lacp_status"), "negotiated")
        # evfwd's side
        lacp = self.show_lacp()
        for n, m in enumerate(MEMBERS):
            r = lacp[m]
            self.assertEqual(r.actor_flags(), (True, True, True), "%s\n%s" % (m, r.context))
            self.assertEqual(r.text("oper").lower(), "up", m)
            self.assertEqual(r.mac("system"), L.EVF_SYS_ID, m)
            self.assertEqual(r.num("key"), L.EVF_KEY, m)
            self.assertEqual(r.num("port_number"), n + 1, m)
            self.assertEqual(r.mac("partner_system"), L.HOST_SYS_ID, m)
            self.assertEqual(r.num("partner_key"), ovs_key, m)
            self.assertEqual(r.num("partner_port"), ovs_port[m], m)
            self.assertEqual(r.text("mux").lower(), "distributing", m)
            self.assertEqual(r.text("rx").lower(), "current", m)
            if "timeout" in r:
                self.assertIn(r.text("timeout").lower(), ("fast", "short"), m)
            if "state_byte" in r:
                st = S.parse_state_byte(r["state_byte"])
                self.assertEqual(st & 0x3f, 0x3f, "%s actor state 0x%02x: activity, short "
                                 "timeout, aggregation, sync, collecting, distributing" % (m, st))
                self.assertEqual(st & 0xc0, 0, "%s actor state 0x%02x: defaulted/expired"
                                 % (m, st))
        lag, vals, raw = self.show_lag()
        self.assertEqual(vals.get("oper"), "up", "show lag:\n" + "\n".join(raw))
        buckets = {}
        for m in MEMBERS:
            self.assertTrue(lag[m].flag("distributing"), m)
            self.assertEqual(lag[m].text("link").lower(), "up", m)
            self.assertGreater(lag[m].num("lacpdu_in"), 0, m)
            self.assertGreater(lag[m].num("lacpdu_out"), 0, m)
            self.assertEqual(lag[m].num("illegal"), 0, m)
            buckets[m] = lag[m].num("buckets")
        self.assertEqual(sum(buckets.values()), 256, "buckets %s" % buckets)
        for m, v in buckets.items():
            self.assertTrue(64 <= v <= 192, "%s holds %d of 256 buckets" % (m, v))
        self.note("evfwd: partner %s key %d, ports %s, buckets %s"
                  % (L.HOST_SYS_ID, ovs_key, ovs_port, buckets))
        self.assertEqual(len([l for l in self.fdb_primed if "lag1" in l and
                              (H_MAC in l or BMC_MAC in l)]), 2,
                         "host and BMC MACs not learned on lag1:\n" + "\n".join(self.fdb_primed))

    def test_2_host_to_network(self):
        self.need_converged()
        # Frames the host namespace sent while only one member was enabled in
        # OVS (IPv6 ND/MLD at link up) pinned their hash entries to it, and with
        # rebalancing off OVS never deals them again: start from fresh entries.
        self.lab.spread_bond(self.lab.bond_host)
        r = self.burst("up", base=1000000)
        cnt = self.member_share(r)
        self.note("host -> network: OVS sent %s of %d frames (%s)"
                  % (cnt, r["n"], ", ".join("%s %s" % (m, pct(v / max(1, r["n"])))
                                            for m, v in cnt.items())))
        self.assert_once(r, "host -> network at the spine")
        self.assertEqual(sum(cnt.values()), r["n"], "frames OVS sent on the members")
        self.assert_spread(cnt, "OVS member tx")
        evf = {m: r["evf"][m]["rx"] for m in MEMBERS}
        self.note("evfwd per-port RX: %s" % evf)
        for m in MEMBERS:
            self.assertTrue(cnt[m] <= evf[m] <= cnt[m] + LACPDU_SLACK,
                            "evfwd %s RX-packets moved by %d, OVS sent %d data frames on it"
                            % (m, evf[m], cnt[m]))
        self.assert_spread(evf, "evfwd per-port RX")
        self.assertTrue(r["n"] <= r["evf"]["uplink"]["tx"] <= r["n"] + 2,
                        "uplink TX moved by %d for %d frames" % (r["evf"]["uplink"]["tx"], r["n"]))
        frames = r["rx"].frames("in")
        for q in sorted(frames)[:r["n"]]:
            inner = L.with_seq(r["templates"][(q - r["base"]) % r["nflows"]], MAGIC, q)
            E.assert_vxlan(frames[q], inner=inner, vni=VNI, dst_ip=RVTEP, src_ip=VTEP,
                           what="VXLAN packet seq %d" % q)

    def test_3_network_to_host(self):
        self.need_converged()
        r = self.burst("down", base=2000000)
        cnt = self.member_share(r)
        self.note("network -> host: evfwd sent %s of %d frames (%s)"
                  % (cnt, r["n"], ", ".join("%s %s" % (m, pct(v / max(1, r["n"])))
                                            for m, v in cnt.items())))
        self.assert_once(r, "network -> host at the host")
        self.assertEqual(sum(cnt.values()), r["n"], "frames evfwd sent on the members")
        self.assert_spread(cnt, "evfwd member tx (captured on OVS's ends)")
        evf = {m: r["evf"][m]["tx"] for m in MEMBERS}
        self.note("evfwd per-port TX: %s" % evf)
        for m in MEMBERS:
            self.assertTrue(cnt[m] <= evf[m] <= cnt[m] + LACPDU_SLACK,
                            "evfwd %s TX-packets moved by %d, %d data frames seen on it"
                            % (m, evf[m], cnt[m]))
        self.assert_spread(evf, "evfwd per-port TX")
        # a flow stays on one member
        where = {}
        for m in MEMBERS:
            for q in r["per"][m]:
                where.setdefault((q - r["base"]) % r["nflows"], set()).add(m)
        split = {f: sorted(ms) for f, ms in where.items() if len(ms) > 1}
        self.assertFalse(split, "flows sent over both members: %s" % dict(list(split.items())[:8]))
        inners = self.down_inner(r["nflows"])
        frames = r["rx"].frames("in")
        for q, fr in frames.items():
            want = L.with_seq(inners[(q - r["base"]) % r["nflows"]], MAGIC, q)
            self.assertEqual(fr.hex(), want.hex(), "decapsulated frame seq %d" % q)

    def test_4_failover_link_down(self):
        self.need_converged()
        lab = self.lab
        n = FAIL_RATE * FAIL_SECS
        nflows = 64
        inners = self.down_inner(nflows, sport0=40000)
        tmpl = self.down_frames(inners)
        self._reset_counters()
        base = 3000000
        self.spine_tx.load(tmpl)
        t0 = self.spine_tx.go(FAIL_RATE, n, L.seq_offset(tmpl[0], MAGIC), base)
        time.sleep(max(0.0, t0 + FAIL_AT - time.monotonic()))
        t_down = time.monotonic()
        try:
            E.sh([E.IP_CMD, "link", "set", lab.m2o, "down"])
            t_cmd = time.monotonic()
            dt_evf = self.wait_evf("m2 out of distribution after link down",
                                   lambda lacp, lag, v: not lag["m2"].flag("distributing"), 3)
            self.spine_tx.wait_done(FAIL_SECS + 30)
            time.sleep(1.0)
            seqs = self.host_rx.seqs("in")
            per = {m: self.member_rx[m].seqs("in") for m in MEMBERS}
            lacp = self.show_lacp()
            lag, vals, raw = self.show_lag()
        finally:
            E.sh([E.IP_CMD, "link", "set", lab.m2o, "up"])
        send_t = lambda q: t0 + (q - base) / FAIL_RATE  # noqa: E731
        lost = [q for q in range(base, base + n) if q not in seqs]
        dup = {q: c for q, c in seqs.items() if c != 1}
        ms = len(lost) * 1000.0 / FAIL_RATE
        window = ((send_t(lost[0]) - t_down) * 1000, (send_t(lost[-1]) - t_down) * 1000) \
            if lost else (0, 0)
        self.note("failover loss: %d packets at %d pps (= %.0f ms); lost frames were sent "
                  "%.0f..%.0f ms after the link-down; evfwd showed m2 not distributing "
                  "%.2f s after it (ip link took %.0f ms)"
                  % (len(lost), FAIL_RATE, ms, window[0], window[1], dt_evf,
                     (t_cmd - t_down) * 1000))
        self.assertFalse(dup, "duplicated frames: %s" % dict(list(dup.items())[:10]))
        self.assertLessEqual(ms, FAILOVER_MAX_MS, "failover lost %d packets (%.0f ms), "
                             "offsets %s\n%s" % (len(lost), ms, ranges([q - base for q in lost]),
                                                 L.machine_load()))
        early = [q for q in lost if send_t(q) < t_down - 0.05]
        self.assertFalse(early, "frames lost before the link went down: %s" % early[:10])
        late = [q for q in lost if send_t(q) > t_down + FAILOVER_MAX_MS / 1000.0]
        self.assertFalse(late, "frames lost %d ms or more after the link-down: %s"
                         % (FAILOVER_MAX_MS, late[:10]))
        # the downed member did carry traffic before, the survivor carries all after
        before_m2 = [q for q in per["m2"] if send_t(q) < t_down]
        self.assertGreater(len(before_m2), 0, "m2 carried none of the stream before the link "
                           "went down: the failover was not exercised")
        after = [q for q in range(base, base + n) if send_t(q) > t_down + FAILOVER_MAX_MS / 1e3]
        on_m1 = set(per["m1"])
        self.assertEqual([q for q in after if q not in on_m1], [],
                         "frames after the failover not on m1")
        self.note("after the failover all %d frames went over m1" % len(after))
        # evfwd's view while m2 was down
        self.assertEqual(lacp["m2"].text("oper").lower(), "down", lacp["m2"].context)
        self.assertFalse(lacp["m2"].actor_flags()[2], "m2 still distributing")
        self.assertEqual(lacp["m1"].actor_flags(), (True, True, True))
        self.assertEqual(lag["m2"].text("link").lower(), "down", "\n".join(raw))
        self.assertEqual(lag["m1"].num("buckets"), 256, "\n".join(raw))
        self.assertEqual(lag["m2"].num("buckets"), 0, "\n".join(raw))
        self.assertEqual(vals.get("oper"), "up", "\n".join(raw))
        # back up: both distribute again, traffic spreads again
        dt = self.wait_evf("both members distributing after link up", self.both_distributing,
                           CONVERGE_S)
        self.wait_ovs_members(MEMBERS, 5)
        self.note("link up: both members distributing again %.1f s later" % dt)
        r = self.burst("down", base=3500000)
        self.assert_once(r, "network -> host after link up")
        self.assert_spread(self.member_share(r), "evfwd member tx after link up")
        # OVS keeps the hashes it moved to m1o; deal them again, then evfwd must
        # collect on m2 again
        lab.spread_bond(lab.bond_host)
        r = self.burst("up", base=3600000)
        self.assert_once(r, "host -> network after link up")
        self.assert_spread(self.member_share(r), "OVS member tx after link up (new hash basis)")

    def test_5_lacpdus_blocked(self):
        self.need_converged()
        lab = self.lab
        self.wait_evf("both members distributing", self.both_distributing, CONVERGE_S)
        # a stream each way across the whole block (rule -> evfwd removes m2 -> OVS
        # disables its end), so every frame of the transition is accounted for
        n = BLOCK_RATE * BLOCK_SECS
        up_t = self.up_frames(64)
        down_t = self.down_frames(self.down_inner(64, sport0=45000))
        self._reset_counters()
        drops0 = S.drops(self.evf.cmd("show drops"))
        self.host_tx.load(up_t)
        self.spine_tx.load(down_t)
        base_up, base_down = 4200000, 4300000
        t0_up = self.host_tx.go(BLOCK_RATE, n, L.seq_offset(up_t[0], MAGIC), base_up)
        t0_down = self.spine_tx.go(BLOCK_RATE, n, L.seq_offset(down_t[0], MAGIC), base_down)
        time.sleep(1.0)
        tname = lab.nft_drop_slow(lab.m2o, hook="egress")
        try:
            t_rule = time.monotonic()
            dt = self.wait_evf("m2 removed after the LACPDU timeout",
                               lambda lacp, lag, v: not lag["m2"].flag("distributing")
                               and not lacp["m2"].actor_flags()[2], TIMEOUT_MAX_S + 4)
            t_evf = time.monotonic()
            lacp = self.show_lacp()
            lag, vals, raw = self.show_lag()
            dto = self.wait_ovs_members(["m1"], 8)
            t_ovs = time.monotonic()
            self.host_tx.wait_done(BLOCK_SECS + 30)
            self.spine_tx.wait_done(BLOCK_SECS + 30)
            time.sleep(1.0)
            dropped = lab.nft_counter(tname)
            drops1 = S.drops(self.evf.cmd("show drops"))
            up_seen, down_seen = self.spine_rx.seqs("in"), self.host_rx.seqs("in")
            up_per = {m: self.member_rx[m].seqs("out") for m in MEMBERS}
            self.note("LACPDUs to m2 dropped (nft egress on %s, %s dropped): evfwd removed m2 "
                      "%.1f s after the rule (m2 mux %s, receive %s); OVS disabled %s %.1f s "
                      "after that" % (lab.m2o, dropped, dt, lacp["m2"].get("mux"),
                                      lacp["m2"].get("rx"), lab.m2o, dto))
            self.assertGreater(dropped or 0, 0, "the nftables rule dropped nothing")
            self.assertTrue(TIMEOUT_MIN_S <= dt <= TIMEOUT_MAX_S,
                            "m2 left distribution %.1f s after the last LACPDUs, expected "
                            "%.0f..%.0f s (fast timeout 3 s)" % (dt, TIMEOUT_MIN_S, TIMEOUT_MAX_S))
            self.assertEqual(lacp["m1"].actor_flags(), (True, True, True))
            self.assertEqual(lag["m2"].num("buckets"), 0, "\n".join(raw))
            self.assertEqual(lag["m1"].num("buckets"), 256, "\n".join(raw))
            self.assertEqual(vals.get("oper"), "up", "\n".join(raw))
            self.assertEqual(lag["m2"].text("link").lower(), "up", "link stays up")
            # network -> host: evfwd moved m2's flows to m1 without losing any
            lost_down = [q for q in range(base_down, base_down + n) if q not in down_seen]
            # host -> network: what OVS still sent on m2 after evfwd stopped collecting
            send_up = lambda q: t0_up + (q - base_up) / BLOCK_RATE  # noqa: E731
            lost_up = [q for q in range(base_up, base_up + n) if q not in up_seen]
            nc = drops1.get("lag-not-collecting", 0) - drops0.get("lag-not-collecting", 0)
            on_m2_late = [q for q in up_per["m2"] if send_up(q) > t_evf]
            self.note("OVS sent %d frames on %s after evfwd showed m2 removed (last %.2f s "
                      "after)" % (len(on_m2_late), lab.m2o, max([send_up(q) - t_evf for q in
                                                              on_m2_late] or [0])))
            self.note("streams of %d pps each way during the block: network -> host lost %d; "
                      "host -> network lost %d (%.0f ms of traffic), all sent by OVS on %s "
                      "between evfwd's removal and OVS's; evfwd lag-not-collecting +%d"
                      % (BLOCK_RATE, len(lost_down), len(lost_up),
                         len(lost_up) * 1000.0 / BLOCK_RATE, lab.m2o, nc))
            early_m2 = [q for q in up_per["m2"] if send_up(q) < t_rule]
            self.assertGreater(len(early_m2), 0, "OVS sent none of the host -> network stream "
                               "on %s before the rule: nothing to test" % lab.m2o)
            if lost_down:
                self.fail("network -> host: %d frames lost while evfwd moved m2's buckets to m1 "
                          "(stream offsets %s; removal at +%.2f s, stream start +0)"
                          % (len(lost_down), ranges([q - base_down for q in lost_down]),
                             t_evf - t0_down) + "\n" + L.machine_load())
            self.assertEqual([q for q in lost_up if q not in up_per["m2"]], [],
                             "host -> network frames lost that OVS did not send on m2")
            self.assertEqual([q for q in lost_up if send_up(q) < t_rule + TIMEOUT_MIN_S - 0.5],
                             [], "host -> network frames lost before the partner timeout")
            self.assertEqual([q for q in lost_up if send_up(q) > t_ovs + 0.5], [],
                             "host -> network frames lost after OVS disabled %s" % lab.m2o)
            self.assertEqual(nc, len(lost_up), "lag-not-collecting drops vs. frames lost")
            self.assertLessEqual(len(lost_up) * 1000.0 / BLOCK_RATE, LOSS_BLOCK_MAX_MS,
                                 "host -> network loss: OVS kept sending on %s after evfwd "
                                 "stopped collecting (was evfwd's out-of-sync PDU sent?)" % lab.m2o)
            self.assertEqual([q for q in up_seen if up_seen[q] != 1], [], "duplicates")
            self.assertEqual([q for q in down_seen if down_seen[q] != 1], [], "duplicates")
            # m2 timed out and disabled on both sides: everything on m1, nothing lost
            r = self.burst("down", reps=2, base=4000000)
            self.assert_once(r, "network -> host with m2 timed out")
            self.assertEqual(self.member_share(r), {"m1": r["n"], "m2": 0})
            r = self.burst("up", reps=2, base=4100000)
            self.assert_once(r, "host -> network with m2 timed out")
            self.assertEqual(self.member_share(r), {"m1": r["n"], "m2": 0})
            self.note("then traffic on m1 only, both ways, nothing lost")
            evf_m2 = self.show_lacp()["m2"]
            ovs_m2 = lab.lacp(lab.bond_host)["members"][lab.m2o]
        finally:
            lab.nft_delete(tname)
        t_del = time.monotonic()
        # Once both ends of m2 are DEFAULTED (partner = admin defaults, long timeout),
        # both send only every 30 s (802.1AX periodic machine: SLOW_PERIODIC), so the
        # first LACPDU after the rule is gone can take up to 30 s.
        self.note("rule deleted with m2 %s/%s on evfwd and %s on OVS"
                  % (evf_m2.get("mux"), evf_m2.get("rx"), " ".join(ovs_m2["flags"])))
        self.wait_evf("m2 back after the rule was deleted", self.both_distributing, RECOVER_S)
        self.wait_ovs_members(MEMBERS, 5)
        self.note("rule deleted: m2 distributing again after %.1f s" % (time.monotonic() - t_del))
        r = self.burst("down", base=4500000)
        self.assert_once(r, "network -> host after the rule was deleted")
        self.assert_spread(self.member_share(r), "evfwd member tx after m2 came back")
        lab.spread_bond(lab.bond_host)
        r = self.burst("up", base=4600000)
        self.assert_once(r, "host -> network after the rule was deleted")
        self.assert_spread(self.member_share(r), "OVS member tx after m2 came back")

    def test_6_management_member(self):
        self.need_converged()
        # RECOVER_S: if test 5 failed half-way, m2 may still be coming back
        self.wait_evf("both members distributing", self.both_distributing, RECOVER_S)
        fdb = self.evf.cmd("show fdb")
        self.assertTrue(any(BMC_MAC in l and "lag1" in l for l in fdb),
                        "BMC MAC not learned on lag1:\n" + "\n".join(fdb))
        lag0, _, _ = self.show_lag()
        r = self.burst("down", nflows=200, reps=1, dst_mac=BMC_MAC, dst_ip=BMC_IP,
                       base=5000000)
        lag1, _, _ = self.show_lag()
        cnt = self.member_share(r)
        pdus = lag1["m2"].num("lacpdu_out") - lag0["m2"].num("lacpdu_out")
        self.note("to the BMC MAC (200 flows): %s; evfwd TX m1 +%d, m2 +%d (m2 LACPDUs out +%d)"
                  % (cnt, r["evf"]["m1"]["tx"], r["evf"]["m2"]["tx"], pdus))
        self.assert_once(r, "network -> BMC at the host")
        self.assertEqual(cnt, {"m1": r["n"], "m2": 0}, "frames to the BMC MAC per member")
        self.assertLessEqual(r["evf"]["m2"]["tx"], pdus,
                             "m2 TX-packets moved by more than its LACPDUs")
        self.assertGreaterEqual(r["evf"]["m1"]["tx"], r["n"])


class Zz_NothingLeft(E.EvfTestCase):
    """Runs after LacpOvs (classes run in name order)."""

    def test_7_nothing_left(self):
        lab = LacpOvs.lab
        self.assertIsNotNone(lab)
        lab.cleanup()
        self.assertEqual(lab.leftovers(), [], "left behind")
        self.assertEqual(E.Links.leftovers("evfl-" + lab.tag), [])


if __name__ == "__main__":
    E.main()
