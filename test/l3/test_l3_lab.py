#!/usr/bin/python3
"""test_l3_lab.py: the seed-001 gateway (suite "l3"; doc/l3.md): an anycast
IRB gateway on three evfwd leafs, proxy ARP/ND from EVPN bindings, and BGP
sessions from a dual-homed CE to each PE over its LAG through the host path.

  ce1 (netns -host, 198.18.1.1, 2001:db8:1::1; gobgpd AS 65100)
     --- OVS LACP bond (balance-slb, fast) ---+--- leaf1 lag1 (m1)   host path tap: 198.18.1.252
                                              +--- leaf2 lag1 (m2)   host path tap: 198.18.1.253
  h3 (netns -ce2, 198.18.1.2, 2001:db8:1::2) --- leaf3 (port h3)

  Every leaf: MAC-VRF mac-vrf-1 (VNI 100), irb with the anycast gateway
  198.18.1.254/24 and 2001:db8:1::fe/64 (MAC 00:00:5e:00:01:01); leaf1 and
  leaf2 also have their own address (seed 001's "m-lag ip address") and a
  host-port (net_tap) whose kernel side holds it and runs a gobgpd (AS 65001,
  65002) peering with ce1's gobgpd over the LAG.
  Each evfwd leaf runs in a namespace of its own (-l1..-l3) with its ports'
  devices (the tap's kernel side must not share a stack with the data
  veths); its EVPN speaker (gobgpd on 127.x, route reflector) and evfwd-gobgp
  are those of the fabric lab (fabriclib.py), in the root namespace.

 1. control plane converged: BGP, adapters, LACP on both members, ES-1 up;
 2. ARP and NS from 200 source flows of ce1 (200 sender MAC/IP pairs) for the
    anycast gateway, broadcast and unicast (a host re-validating its
    neighbour entry): each answered exactly once, by the
    leaf the bond picked, with the gateway MAC (ARP reply / solicited NA
    with R, S, O, the target link-layer option and a correct checksum); the
    share per leaf is reported;
 3. h3's bindings (learned on leaf3 from its ARP/NS) reach leaf1 and leaf2
    as RT2 MAC+IP routes; then ARP and NS for h3 from 200 flows of ce1 are
    answered by leaf1/leaf2 with h3's MAC, and not one ARP request or NS for
    h3 reaches h3;
 4. ce1's gobgpd holds a BGP session with each leaf's host gobgpd over the
    LAG (both established, through the host path), a prefix ce1 announces
    reaches both, and no session dropped while the traffic of 2 and 3 flowed
    and while a 200-flow TCP-like stream goes to both unique addresses;
 5. teardown: nothing of the lab is left.
The shares and times go to stderr and to build/l3/results.md.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "fabric"))
sys.path.insert(0, os.path.join(_HERE, "..", "lacp"))
sys.path.insert(0, os.path.join(_HERE, "..", "mh"))
import fabriclib as F  # noqa: E402
import ovslab as L  # noqa: E402
import evfpkt as E  # noqa: E402
import mhlib as M  # noqa: E402

from scapy.all import ARP, Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr  # noqa: E402
from scapy.all import ICMPv6NDOptSrcLLAddr, IPv6, in6_getnsma, in6_getnsmac  # noqa: E402
from socket import inet_pton  # noqa: E402
from socket import AF_INET6, inet_ntop  # noqa: E402

L.install_signal_handlers()

T0 = time.monotonic()

VNI = EVI = 100
ESI = "01:00:00:00:00:00:11:00:0b:00"
LEAFS = ["leaf1", "leaf2", "leaf3"]
MH = ["leaf1", "leaf2"]
N = {"leaf1": 1, "leaf2": 2, "leaf3": 3}
VTEP = {"leaf1": "198.18.0.1", "leaf2": "198.18.0.2", "leaf3": "198.18.0.3"}
LEAF_MAC = {"leaf1": "02:00:00:00:00:01", "leaf2": "02:00:00:00:00:02",
            "leaf3": "02:00:00:00:00:03"}
SPINE_MAC = {"leaf1": "02:00:00:00:aa:01", "leaf2": "02:00:00:00:aa:02",
             "leaf3": "02:00:00:00:aa:03"}
GW_MAC = "00:00:5e:00:01:01"
GW4, GW6 = "198.18.1.254", "2001:db8:1::fe"
UNIQUE = {"leaf1": "198.18.1.252", "leaf2": "198.18.1.253"}
HOST_AS = {"leaf1": 65001, "leaf2": 65002}
CE_AS = 65100
CE_IP, CE_MAC, CE_IP6 = L.HOST_IP, L.HOST_MAC, "2001:db8:1::1"
H3_IP, H3_MAC, H3_IP6 = "198.18.1.2", "00:c1:ab:00:02:02", "2001:db8:1::2"
CE_PREFIX = "198.18.99.0/24"
FLOWS = 200
MTU = 1400
EAL = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]
BASE = "127.68.%d." % (os.getpid() % 250 + 1)
RR = 100
CONVERGE_S = 60
AFXDP_KEPT_MBUFS = 2 * (2048 + 64)
RESULTS = os.path.join(_HERE, "..", "..", "build", "l3", "results.md")
NDAGENT = os.path.join(_HERE, "ndagent.py")
GOBGPD, GOBGP = F.GOBGPD, F.GOBGP
ETHTOOL = shutil.which("ethtool") or "/usr/sbin/ethtool"

CONFIG = """
node: {name: %(name)s, vtep-ipv4: %(vtep)s, mac: "%(me)s"}
ports:
  - {name: uplink, device: "net_af_packet0,iface=%(up)s", role: network, next-hop-mac: "%(nh)s"}
%(ports)s
mac-vrfs:
  - name: mac-vrf-1
    vni: %(vni)d
    attachments:
      - {port: %(attach)s, vlan: untagged}
    irb:
      mac: "%(gw_mac)s"
      addresses: [%(gw4)s/24, "%(gw6)s/64"]
%(irb_extra)s    arp-nd: {proxy: true, unknown: flood}
%(es)scontrol-ring: {name: %(ring)s, hold-time: 30}
workers: {count: 1, idle-sleep-us: 50}
"""

MH_PORTS = """  - {name: %(member)s, device: "net_af_xdp0,iface=%(mdev)s", role: access}
  - {name: host, device: "net_tap0,iface=%(tap)s", role: access}
lags:
  - name: lag1
    members:
      - {port: %(member)s, port-number: %(pnum)d}
    lacp: {interval: fast, system-id: "%(sysid)s", system-priority: %(prio)d, key: %(key)d}
    tx-hash: l34"""

MH_IRB = """      unique-addresses: [%(unique)s/24]
      host-port: host
"""

MH_ES = """ethernet-segments:
  - name: ES-1
    esi: "%(esi)s"
    mode: all-active
    interface: lag1
    df-election: {algorithm: modulo}
    df-timer: 1
"""


def note(msg):
    sys.stderr.write("    %s\n" % msg)
    sys.stderr.flush()


def ns_sh(ns, *args, check=True, timeout=30):
    return E.sh(list(args), ns=ns, check=check, timeout=timeout)


# ------------------------------------------------------------- frames --

def flow_mac(i):
    return "02:ce:%02x:00:%02x:%02x" % (0x10, i >> 8, i & 0xff)


def flow_ip4(i):
    return "198.18.1.%d" % (10 + i)


def flow_ip6(i):
    return "2001:db8:1::1:%x" % (i + 1)


def arp_request(i, target, unicast=None):
    """Broadcast, or unicast to the MAC the sender has cached (a Linux host
    re-validating its neighbour entry sends those)."""
    return bytes(Ether(src=flow_mac(i), dst=unicast or "ff:ff:ff:ff:ff:ff") /
                 ARP(op=1, hwsrc=flow_mac(i), psrc=flow_ip4(i), hwdst="00:00:00:00:00:00",
                     pdst=target))


def ns_request(i, target, unicast=None):
    """To the target's solicited-node group, or unicast (a NUD probe)."""
    group = inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, target)))
    return bytes(Ether(src=flow_mac(i), dst=unicast or in6_getnsmac(inet_pton(AF_INET6, target))) /
                 IPv6(src=flow_ip6(i), dst=target if unicast else group, hlim=255) /
                 ICMPv6ND_NS(tgt=target) / ICMPv6NDOptSrcLLAddr(lladdr=flow_mac(i)))


def answers(frames, kind, target, want_mac):
    """{flow index: number of correct answers} among captured frames; raises on
    an answer for target that is wrong in any field."""
    got = {}
    owners = {flow_mac(i): i for i in range(FLOWS)}
    for b in frames:
        e = Ether(b)
        dst = e.dst.lower()
        if dst not in owners:
            continue
        i = owners[dst]
        if kind == "arp" and ARP in e and e[ARP].op == 2 and e[ARP].psrc == target:
            a = e[ARP]
            assert e.src.lower() == want_mac and a.hwsrc.lower() == want_mac, e.summary()
            assert a.hwdst.lower() == flow_mac(i) and a.pdst == flow_ip4(i), e.summary()
            got[i] = got.get(i, 0) + 1
        elif kind == "nd" and ICMPv6ND_NA in e and e[ICMPv6ND_NA].tgt == target:
            na, ip6 = e[ICMPv6ND_NA], e[IPv6]
            assert e.src.lower() == want_mac, e.summary()
            assert ip6.dst == flow_ip6(i) and ip6.hlim == 255, e.summary()
            assert na.S == 1 and na.O == 1, e.summary()
            assert ICMPv6NDOptDstLLAddr in e and \
                e[ICMPv6NDOptDstLLAddr].lladdr.lower() == want_mac, e.summary()
            # the checksum: scapy recomputes it when the field is cleared
            raw = IPv6(bytes(ip6))
            ck = raw[ICMPv6ND_NA].cksum
            del raw[ICMPv6ND_NA].cksum
            assert IPv6(bytes(raw))[ICMPv6ND_NA].cksum == ck, "NA checksum %#x" % ck
            got[i] = got.get(i, 0) + (10 if target == GW6 and na.R != 1 else 1)
    return got


def run_agent(ns, ifname, frames, linger=1.5):
    """Send frames from ifname in ns and return the ARP/ND frames received."""
    r = subprocess.run([F.IP_CMD, "netns", "exec", ns, "/usr/bin/python3", NDAGENT, ifname,
                        str(linger)], input="".join(f.hex() + "\n" for f in frames),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=60 + len(frames) / 100)
    if r.returncode != 0 or not r.stdout.rstrip().endswith("end"):
        raise AssertionError("ndagent in %s failed (%d): %s" % (ns, r.returncode, r.stderr))
    return [bytes.fromhex(l[3:]) for l in r.stdout.splitlines() if l.startswith("in ")]


class Capture:
    """Every ARP/ND frame arriving on ifname in ns while it runs (ndagent with
    nothing to send and a long linger, stopped early)."""

    def __init__(self, ns, ifname, seconds):
        self.proc = subprocess.Popen([F.IP_CMD, "netns", "exec", ns, "/usr/bin/python3",
                                      NDAGENT, ifname, str(seconds)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)

    def frames(self, timeout):
        out, err = self.proc.communicate(timeout=timeout)
        if self.proc.returncode != 0:
            raise AssertionError("capture failed: %s" % err)
        return [bytes.fromhex(l[3:]) for l in out.splitlines() if l.startswith("in ")]


# ------------------------------------------------------------- gobgpd --

class HostBgp:
    """A gobgpd in a namespace, for BGP over the LAG (ce1 and the leafs' host
    paths); its gRPC API on that namespace's 127.0.0.1."""

    def __init__(self, rundir, ns, name, asn, router_id, neighbors):
        self.ns, self.name = ns, name
        lines = ['[global.config]', '  as = %d' % asn, '  router-id = "%s"' % router_id,
                 '  local-address-list = ["%s"]' % router_id]
        for addr, peer_as in neighbors:
            lines += ['[[neighbors]]', '  [neighbors.config]',
                      '    neighbor-address = "%s"' % addr, '    peer-as = %d' % peer_as,
                      '  [neighbors.timers.config]', '    connect-retry = 1',
                      '    hold-time = 9', '    keepalive-interval = 3',
                      '  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]',
                      '      afi-safi-name = "ipv4-unicast"']
        cfg = os.path.join(rundir, "%s.toml" % name)
        with open(cfg, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        self.log_path = os.path.join(rundir, "%s.log" % name)
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen([F.IP_CMD, "netns", "exec", ns, GOBGPD, "-f", cfg, "-p",
                                      "--api-hosts", "127.0.0.1:50051", "--pprof-disable",
                                      "-l", "info"], stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()

    def cli(self, *args, check=True):
        r = subprocess.run([F.IP_CMD, "netns", "exec", self.ns, GOBGP, "-u", "127.0.0.1", "-p",
                            "50051"] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        if check and r.returncode != 0:
            raise AssertionError("gobgp (%s) %s: %s" % (self.name, " ".join(args), r.stderr))
        return r.stdout

    def neighbors(self):
        """address -> (state, established count, uptime-ish) from gobgp neighbor -j."""
        try:
            data = json.loads(self.cli("neighbor", "-j", check=False) or "[]")
        except ValueError:
            return {}
        out = {}
        for n in data or []:
            st = n.get("state", {})
            addr = n.get("conf", {}).get("neighbor_address") or st.get("neighbor_address")
            out[addr] = (st.get("session_state"), n.get("timers", {}).get("state", {}).get(
                "uptime", {}).get("seconds"), st.get("flops", 0))
        return out

    def established(self):
        return {a for a, v in self.neighbors().items() if v[0] in ("established", 6)}

    def rib_prefixes(self):
        out = self.cli("global", "rib", "-a", "ipv4", "-j", check=False).strip()
        try:
            return set(json.loads(out).keys()) if out else set()
        except ValueError:
            return set()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- lab --

class L3Lab(E.EvfTestCase):
    """The lab is built once; the tests run in name order and share it."""

    results = []

    @classmethod
    def setUpClass(cls):
        F.need_tools()
        if not os.path.exists(ETHTOOL):
            raise AssertionError("the l3 lab needs ethtool (Debian package ethtool)")
        cls.t_waited = L.wait_other_labs(say=lambda m: sys.stderr.write("\n    %s\n" % m))
        cls.elab = E.Lab("l3")
        cls.lab = L.OvsLab(parent_dir=cls.elab.dir)
        cls.evf, cls.adapters, cls.sp, cls.bgp, cls.devs = {}, {}, None, {}, {}
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
        lab.make_links()     # ce1's namespace, spine namespace, m1/m2, leaf1's uplink
        cls.ns = {l: "%s-l%d" % (P, N[l]) for l in LEAFS}
        cls.up = {"leaf1": lab.net, "leaf2": P + "-u2", "leaf3": P + "-u3"}
        cls.sp_if = {"leaf1": lab.netp, "leaf2": P + "-s2", "leaf3": P + "-s3"}
        cls.tap = {l: "%s-t%d" % (P, N[l]) for l in MH}
        for l in ("leaf2", "leaf3"):
            lab.links.veth(cls.up[l], cls.sp_if[l], lab.ns_spine, queues=1)
        cls.ns_h3, cls.c2, cls.c2h = P + "-ce2", P + "-c2", P + "-c2h"
        lab.links.netns(cls.ns_h3)
        lab.links.veth(cls.c2, cls.c2h, cls.ns_h3, queues=1, peer_mac=H3_MAC)
        ns_sh(cls.ns_h3, F.IP_CMD, "addr", "add", H3_IP + "/24", "dev", cls.c2h)
        for ns, dev, ip6 in ((cls.ns_h3, cls.c2h, H3_IP6), (lab.ns_host, lab.hh, CE_IP6)):
            # a veth leaves TCP checksums to "hardware": frames that cross OVS's
            # userspace datapath and evfwd would reach the leafs' kernels with
            # none; a real NIC fills them in
            ns_sh(ns, ETHTOOL, "-K", dev, "tx", "off")
            ns_sh(ns, "sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=0" % dev)
            ns_sh(ns, F.IP_CMD, "addr", "add", ip6 + "/64", "dev", dev, "nodad")
            ns_sh(ns, F.IP_CMD, "link", "set", dev, "mtu", str(MTU))
            ns_sh(ns, F.IP_CMD, "link", "set", "lo", "up")
        ns_sh(lab.ns_host, F.IP_CMD, "route", "replace", "default", "via", GW4)
        # each leaf's devices go into its namespace
        devs = cls.devs = {"leaf1": [cls.up["leaf1"], lab.m1], "leaf2": [cls.up["leaf2"], lab.m2],
                           "leaf3": [cls.up["leaf3"], cls.c2]}
        for l in LEAFS:
            lab.links.netns(cls.ns[l])
            ns_sh(cls.ns[l], F.IP_CMD, "link", "set", "lo", "up")
            for d in devs[l]:
                E.sh([F.IP_CMD, "link", "set", d, "netns", cls.ns[l]])
                ns_sh(cls.ns[l], F.IP_CMD, "link", "set", d, "up")
                # the kernel of a leaf's namespace never answers on a data port
                # (a NIC of a real gateway belongs to DPDK, not to the kernel)
                ns_sh(cls.ns[l], "sysctl", "-q", "-w", "net.ipv4.conf.%s.arp_ignore=8" % d)
                ns_sh(cls.ns[l], "sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % d)
        spine = F.Spine(lab.links, lab.ns_spine)
        for l in LEAFS:
            spine.evfwd_leaf(cls.sp_if[l], VTEP[l], LEAF_MAC[l], SPINE_MAC[l])
        lab.start_ovs()
        lab.make_host_bridge()
        # balance-slb: the bond hashes every frame by its source MAC, as a CE's
        # layer-2 LAG hash does; balance-tcp hashes L3/L4 fields only, so ARP
        # (no IP header) would always take one member.
        lab.ovs.vsctl("set", "Port", lab.bond_host, "bond_mode=balance-slb")
        cls.t_lab = time.monotonic() - t

        cls.sp = F.Speakers(cls.elab.dir, BASE)
        cls.sp.gobgpd("rr", RR, "10.0.0.100", clients=[1, 2, 3])
        for l in LEAFS:
            cls.sp.gobgpd(l, N[l], "10.0.0.%d" % N[l], rr=RR)
        cls.t_start = time.monotonic()
        for l in LEAFS:
            cls.evf[l] = cls._start_leaf(l)
        for l in LEAFS:
            cls.adapters[l] = F.Adapter(cls.elab.dir, l, cls.sp.api(N[l]), cls.ring(l)).start()
        # the host paths: the tap's kernel side holds the leaf's own address
        for l in MH:
            ns, tap = cls.ns[l], cls.tap[l]
            ns_sh(ns, "sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % tap)
            ns_sh(ns, F.IP_CMD, "addr", "add", UNIQUE[l] + "/24", "dev", tap)
            ns_sh(ns, F.IP_CMD, "link", "set", tap, "mtu", str(MTU), "up")
        bgpdir = os.path.join(cls.elab.dir, "hostbgp")
        os.makedirs(bgpdir, exist_ok=True)
        for l in MH:
            cls.bgp[l] = HostBgp(bgpdir, cls.ns[l], "host-" + l, HOST_AS[l], UNIQUE[l],
                                 [(CE_IP, CE_AS)])
        cls.bgp["ce1"] = HostBgp(bgpdir, lab.ns_host, "ce1", CE_AS, CE_IP,
                                 [(UNIQUE[l], HOST_AS[l]) for l in MH])
        cls.converge = cls._wait(cls._state, CONVERGE_S)

    @classmethod
    def ring(cls, leaf):
        return "/evff-%s-l3%s" % (cls.lab.tag, leaf)

    @classmethod
    def _config(cls, leaf):
        lab = cls.lab
        d = dict(name=leaf, vtep=VTEP[leaf], me=LEAF_MAC[leaf], up=cls.up[leaf],
                 nh=SPINE_MAC[leaf], vni=VNI, gw_mac=GW_MAC, gw4=GW4, gw6=GW6,
                 ring=cls.ring(leaf))
        if leaf == "leaf3":
            d.update(ports='  - {name: h3, device: "net_af_xdp0,iface=%s", role: access}'
                     % cls.c2, attach="h3", irb_extra="", es="")
        else:
            d.update(ports=MH_PORTS % dict(member="m%d" % N[leaf],
                                           mdev=lab.m1 if leaf == "leaf1" else lab.m2,
                                           tap=cls.tap[leaf], pnum=N[leaf], sysid=L.EVF_SYS_ID,
                                           prio=L.EVF_SYS_PRIO, key=L.EVF_KEY),
                     attach="lag1", irb_extra=MH_IRB % dict(unique=UNIQUE[leaf]),
                     es=MH_ES % dict(esi=ESI))
        return CONFIG % d

    @classmethod
    def _start_leaf(cls, leaf):
        run = E.LiveRun(cls.elab, cls._config(leaf), eal_args=EAL, max_runtime=600, tag=leaf,
                        netns=cls.ns[leaf])
        L.boost(run.proc.pid)
        return run

    @classmethod
    def _state(cls):
        why = []
        nb = cls.sp.neighbors(RR)
        for n in (1, 2, 3):
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
            if "oper up" not in " ".join(cls.evf[l].cmd("show es ES-1")).lower().replace(
                    ":", "").replace("  ", " ") and not cls._es_up(l):
                why.append("%s: ES-1 not up" % l)
        return why

    @classmethod
    def _es_up(cls, leaf):
        for line in cls.evf[leaf].cmd("show es ES-1"):
            m = re.match(r"\s*Oper(?:ational)? state\s*:\s*(\S+)", line, re.I)
            if m:
                return m.group(1).lower() == "up"
        return False

    @classmethod
    def _wait(cls, fn, timeout):
        t0 = time.monotonic()
        while True:
            why = fn()
            dt = time.monotonic() - t0
            if not why:
                return {"ok": True, "at": dt}
            if dt > timeout:
                return {"ok": False, "at": dt, "why": why}
            time.sleep(0.5)

    def assertOk(self, res, what):
        if not res["ok"]:
            self.lab.failed = self.elab.failed = True
        self.assertTrue(res["ok"], "%s: not reached after %.0f s:\n  %s\n%s"
                        % (what, res["at"], "\n  ".join(res.get("why", [])), self.describe()))

    def describe(self):
        out = []
        for l in LEAFS:
            a = self.adapters.get(l)
            if a is not None:
                out.append("---- %s evfwd-gobgp log (tail) ----\n%s" % (l, a.log()[-2000:]))
        for name, b in self.bgp.items():
            try:
                with open(b.log_path) as fh:
                    out.append("---- gobgpd %s (tail) ----\n%s" % (name, fh.read()[-1500:]))
            except OSError:
                pass
        return "\n".join(out)

    def record(self, line):
        note(line)
        L3Lab.results.append(line)

    @classmethod
    def irb_counters(cls, leaf):
        """The ARP/ND counters of show irb: {name: value}."""
        out = {}
        for line in cls.evf[leaf].cmd("show irb"):
            if line.startswith("ARP/ND:") or line.startswith("Bindings:"):
                for part in line.split(":", 1)[1].split(","):
                    m = re.match(r"\s*(.*\S)\s+(\d+)$", part)
                    if m:
                        out[m.group(1)] = int(m.group(2))
        return out

    @classmethod
    def bindings(cls, leaf, family="arp"):
        """{address: (MAC, type, flags)} of mac-vrf-1."""
        return {r["Address"]: (r["MAC"].lower(), r["Type"], r["Flags"])
                for r in M.table(cls.evf[leaf].cmd("show %s" % family))
                if r.get("MAC-VRF") == "mac-vrf-1"}

    def sweep(self, kind, target, want_mac, what, unicast=False):
        """FLOWS requests from ce1 for target (broadcast / to the solicited-node
        group, or unicast to want_mac); every one answered once, correctly.
        The bond (balance-slb) spreads both kinds by source MAC.
        Returns {leaf: answers counted by that leaf}."""
        before = {l: self.irb_counters(l) for l in MH}
        uc = want_mac if unicast else None
        frames = [arp_request(i, target, uc) if kind == "arp" else ns_request(i, target, uc)
                  for i in range(FLOWS)]
        got = answers(run_agent(self.lab.ns_host, self.lab.hh, frames), kind, target, want_mac)
        bad = {i: n for i, n in got.items() if n != 1}
        missing = [i for i in range(FLOWS) if i not in got]
        counter = "ARP answered" if kind == "arp" else "NS answered"
        share = {l: self.irb_counters(l)[counter] - before[l][counter] for l in MH}
        self.assertEqual(bad, {}, "%s: flows answered more than once (or NA without R)" % what)
        self.assertEqual(missing, [], "%s: %d of %d flows unanswered" % (what, len(missing),
                                                                          FLOWS))
        # the leafs' counters also see the lab's own ARP/ND (ce1's kernel, the
        # host paths' kernels, BGP coming up): a few more than the sweep
        self.assertTrue(FLOWS <= sum(share.values()) <= FLOWS + 10,
                        "%s: answers counted by the leafs %s" % (what, share))
        for l in MH:
            self.assertGreater(share[l], FLOWS // 10, "%s: %s answered %s of %d: the bond's "
                               "hash should spread %d flows" % (what, l, share[l], FLOWS, FLOWS))
        self.record("%s: %d of %d answered, leaf1 %d (%.0f%%), leaf2 %d (%.0f%%)"
                    % (what, len(got), FLOWS, share["leaf1"], 100.0 * share["leaf1"] / FLOWS,
                       share["leaf2"], 100.0 * share["leaf2"] / FLOWS))
        return share

    # ------------------------------------------------------------ 1 --
    def test_01_converged(self):
        if os.environ.get("L3_PAUSE"):   # a debugging aid: look at the lab by hand
            note("L3_PAUSE: pausing %s s; lab prefix %s, dir %s"
                 % (os.environ["L3_PAUSE"], self.lab.prefix, self.elab.dir))
            time.sleep(float(os.environ["L3_PAUSE"]))
        self.assertOk(self.converge, "(1) set-up")
        self.record("(1) converged %.1f s after evfwd start (lab set-up %.1f s)"
                    % (self.converge["at"], self.t_lab))
        for l in LEAFS:
            b = self.bindings(l)
            self.assertEqual(b.get(GW4), (GW_MAC, "gateway", "ROI"), "%s: %s" % (l, b))
        for l in MH:
            self.assertEqual(self.bindings(l).get(UNIQUE[l]),
                             (LEAF_MAC[l], "own", "ROI"), l)

    # ------------------------------------------------------------ 2 --
    def test_02_gateway_answered_by_either_leaf(self):
        for uc in (False, True):
            how = "unicast" if uc else "broadcast"
            self.sweep("arp", GW4, GW_MAC, "(2) %s ARP for the gateway %s" % (how, GW4), uc)
            self.sweep("nd", GW6, GW_MAC, "(2) %s NS for the gateway %s"
                       % ("unicast" if uc else "multicast", GW6), uc)

    # ------------------------------------------------------------ 3 --
    def test_03_remote_host_suppressed(self):
        # h3 speaks: its ARP and NS for the gateway teach leaf3 its bindings
        r = subprocess.run([F.IP_CMD, "netns", "exec", self.ns_h3, "ping", "-c", "2", "-i", "0.2",
                            "-W", "1", GW4], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=30)
        run_agent(self.ns_h3, self.c2h, [bytes(
            Ether(src=H3_MAC, dst=in6_getnsmac(inet_pton(AF_INET6, GW6))) /
            IPv6(src=H3_IP6, dst=inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, GW6))),
                 hlim=255) / ICMPv6ND_NS(tgt=GW6) / ICMPv6NDOptSrcLLAddr(lladdr=H3_MAC))],
            linger=0.5)

        def learned():
            why = []
            for l in LEAFS:
                for fam, ip in (("arp", H3_IP), ("nd", H3_IP6)):
                    b = self.bindings(l, fam).get(ip)
                    want = "local" if l == "leaf3" else "remote"
                    if b is None or b[0] != H3_MAC or b[1] != want:
                        why.append("%s: show %s %s: %s (want %s %s)" % (l, fam, ip, b, H3_MAC,
                                                                       want))
            return why
        t0 = time.monotonic()
        res = self._wait(learned, 30)
        self.assertOk(res, "(3) h3's bindings (ping: %s)" % r.stdout[-200:])
        self.record("(3) h3's bindings on leaf1 and leaf2 %.1f s after h3 spoke"
                    % (time.monotonic() - t0))
        cap = Capture(self.ns_h3, self.c2h, 15)
        for uc in (False, True):
            how = "unicast" if uc else "broadcast"
            self.sweep("arp", H3_IP, H3_MAC, "(3) %s ARP for the remote host %s" % (how, H3_IP),
                       uc)
            self.sweep("nd", H3_IP6, H3_MAC, "(3) %s NS for the remote host %s"
                       % ("unicast" if uc else "multicast", H3_IP6), uc)
        seen = cap.frames(30)
        asked = [Ether(b).summary() for b in seen
                 if (ARP in Ether(b) and Ether(b)[ARP].op == 1 and Ether(b)[ARP].pdst == H3_IP)
                 or (ICMPv6ND_NS in Ether(b) and Ether(b)[ICMPv6ND_NS].tgt == H3_IP6)]
        self.assertEqual(asked, [], "(3) ARP requests / NS for h3 reached h3")
        self.record("(3) requests for h3 that reached h3 while %d ARP and %d NS were answered: "
                    "%d" % (FLOWS, FLOWS, len(asked)))

    # ------------------------------------------------------------ 4 --
    def test_04_bgp_over_the_lag(self):
        ce = self.bgp["ce1"]

        def sessions():
            why = []
            est = ce.established()
            for l in MH:
                if UNIQUE[l] not in est:
                    why.append("ce1: session with %s %s" % (UNIQUE[l], ce.neighbors().get(
                        UNIQUE[l])))
                if CE_IP not in self.bgp[l].established():
                    why.append("%s host: session with ce1 not established" % l)
            return why
        res = self._wait(sessions, 40)
        self.assertOk(res, "(4) BGP sessions over the LAG")
        # sessions came up in step 1's time at the latest; none dropped since
        for l in MH:
            st = ce.neighbors()[UNIQUE[l]]
            self.assertIn(st[2] or 0, (0, 1), "(4) ce1 - %s flapped: %s" % (l, st))
        ce.cli("global", "rib", "add", CE_PREFIX, "-a", "ipv4")

        def prefix():
            return ["%s has not %s" % (l, CE_PREFIX) for l in MH
                    if CE_PREFIX not in self.bgp[l].rib_prefixes()]
        self.assertOk(self._wait(prefix, 20), "(4) ce1's prefix at both leafs' hosts")
        # traffic while the sessions run: the sweeps again, 200 flows each way
        up_before = {l: ce.neighbors()[UNIQUE[l]] for l in MH}
        self.sweep("arp", GW4, GW_MAC, "(4) unicast ARP for the gateway, sessions up", True)
        self.sweep("nd", GW6, GW_MAC, "(4) unicast NS for the gateway, sessions up", True)
        time.sleep(10)   # > hold time 9 s: a session that lost keepalives is gone
        for l in MH:
            st = ce.neighbors().get(UNIQUE[l])
            self.assertIn(st[0], ("established", 6), "(4) ce1 - %s: %s" % (l, st))
            self.assertEqual(st[2] or 0, up_before[l][2] or 0, "(4) ce1 - %s flapped" % l)
        for l in MH:
            to_host = self.irb_counters(l)["to host"]
            self.assertGreater(to_host, 0, l)
        self.record("(4) ce1's BGP sessions to %s and %s established over the LAG and kept; "
                    "frames to the host paths: leaf1 %d, leaf2 %d"
                    % (UNIQUE["leaf1"], UNIQUE["leaf2"], self.irb_counters("leaf1")["to host"],
                       self.irb_counters("leaf2")["to host"]))

    # ------------------------------------------------------------ teardown --
    @classmethod
    def _teardown(cls):
        cls.quit_error = []
        for a in getattr(cls, "adapters", {}).values():
            a.stop()
        for b in getattr(cls, "bgp", {}).values():
            b.stop()
        for l, evf in cls.evf.items():
            if evf is not None and evf.proc.poll() is None:
                try:
                    res = evf.quit(timeout=30)
                    if res.mbufs_in_use is None or res.mbufs_in_use > AFXDP_KEPT_MBUFS:
                        cls.quit_error.append("%s: mbufs in use after stop %s"
                                              % (l, res.mbufs_in_use))
                except AssertionError as e:
                    cls.quit_error.append("%s: %s" % (l, e))
        if cls.sp is not None:
            cls.sp.stop()
        # the veths moved into the leafs' namespaces go with their peers now,
        # not when the kernel gets round to destroying the namespaces
        for l, ns in getattr(cls, "ns", {}).items():
            for d in cls.devs.get(l, []):
                E.sh([F.IP_CMD, "-n", ns, "link", "del", d], check=False)
        cls.lab.cleanup()

    @classmethod
    def tearDownClass(cls):
        cls._teardown()
        os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
        with open(RESULTS, "w") as fh:
            fh.write("# l3 lab (seed 001 gateway), %s\n\n" % time.strftime("%Y-%m-%d %H:%M"))
            for line in cls.results:
                fh.write("- %s\n" % line)
        left = cls.lab.leftovers()
        left += ["gobgpd %s" % n for n, up in (cls.sp.alive() if cls.sp else {}).items() if up]
        left += ["gobgpd %s" % n for n, b in cls.bgp.items() if b.proc.poll() is None]
        left += ["evfwd-gobgp %s" % l for l, a in getattr(cls, "adapters", {}).items()
                 if a.proc is not None and a.proc.poll() is None]
        if left:
            raise AssertionError("(5) left behind after cleanup: %s" % left)
        if cls.quit_error:
            cls.elab.failed = True
            raise AssertionError("evfwd did not end cleanly: %s" % cls.quit_error)
        note("whole run %.1f s" % (time.monotonic() - T0))


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
