#!/usr/bin/python3
"""test_arp_nd.py: the IRB gateway and proxy ARP/ND of lib/nd (doc/l3.md).

MAC-VRF blue (VNI 100) with an `irb` (anycast 198.19.1.1/24 and
2001:db8:1::1/64 on 00:00:5e:00:01:01, unique 198.19.1.2 on 02:00:00:00:01:02,
no host port) and `arp-nd`; access ports host1, host2 (started later), host3
(an observer), and an uplink with remote VTEP 198.18.0.2 in the flood list, so
that anything flooded is seen on host1/host3 and as VXLAN on the uplink.

* Gateway: ARP for the gateway and for the unique address answered with the
  gateway MAC / unique MAC; NS for the IPv6 gateway answered by a solicited NA
  (R=1, S=1, O=1, TLLA, to the requester, hop limit 255); field by field with
  scapy (byte-identical to scapy's own build, checksum included) and by tshark
  (ICMPv6 checksum status good).
* Proxy: host1's ARP and NS teach bindings (show arp / show nd rows); host2's
  ARP and NS for host1 are answered by evfwd and reach nobody else; RT2
  MAC+IP routes added in the shell (one with `router`) make remote bindings
  answered too (NA with R=1 for the router one).
* Unknown targets flooded (`unknown: flood`) or dropped under
  nd-unknown-dropped (`unknown: drop`); GARP, unsolicited NA and DAD NS
  flooded as BUM (DAD counted).
* Duplicate IP: an address claimed by two MACs alternately num-moves times is
  frozen (flag F), requests for it are bridged, not answered, until
  `clear ip-duplication`.
* Bad input: each malformed ARP/NS/NA under its drop reason, spoofed claims of
  the gateway's addresses (nd-spoofed-gateway), a frame to the gateway MAC
  without host path (irb-not-routed), an ARP burst above `rate`
  (nd-rate-limited), bindings above `binding-limit` (refused at limit).
"""
import re
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from scapy.all import (ARP, IPv6, Ether, Raw, ICMPv6ND_NS, ICMPv6ND_NA,  # noqa: E402
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, IP, UDP)

GW_MAC, UQ_MAC = "00:00:5e:00:01:01", "02:00:00:00:01:02"
GW4, UQ4, GW6 = "198.19.1.1", "198.19.1.2", "2001:db8:1::1"
H1, H2, H3 = "00:c1:ab:00:00:01", "00:c1:ab:00:00:02", "00:c1:ab:00:00:03"
H1_4, H2_4 = "198.19.1.10", "198.19.1.20"
H1_6, H2_6 = "2001:db8:1::10", "2001:db8:1::20"
R1, R2 = "02:00:00:77:00:01", "02:00:00:77:00:02"     # behind the remote VTEP
R1_6, R2_4 = "2001:db8:1::77", "198.19.1.77"
VTEP = "198.18.0.2"
BCAST = "ff:ff:ff:ff:ff:ff"

CONFIG = """
node:
  name: arpnd
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
%(ports)s
mac-vrfs:
  - name: blue
    vni: 100
    attachments:
%(attach)s
    remote-vteps: [198.18.0.2]
    irb:
      mac: "00:00:5e:00:01:01"
      addresses: [198.19.1.1/24, "2001:db8:1::1/64"]
      unique-addresses: [198.19.1.2/24]
      unique-mac: "02:00:00:00:01:02"
    arp-nd:
%(arpnd)s
workers:
  count: 1
  idle-sleep-us: 20
"""


def config(ports, disabled=(), arpnd="unknown: flood", vlans=None):
    p, a = [], []
    for name in ports:
        p.append("  - name: %s\n    device: \"{dev:%s}\"\n    role: access%s"
                 % (name, name, "\n    admin-state: disable" if name in disabled else ""))
        a.append("      - {port: %s, vlan: %s}" % (name, (vlans or {}).get(name, "untagged")))
    ind = "\n".join("      " + line for line in arpnd.splitlines())
    return CONFIG % {"ports": "\n".join(p), "attach": "\n".join(a), "arpnd": ind}


# ---- frames ----

def arp_req(mac, sip, tip, dst=BCAST, op=1, hwdst="00:00:00:00:00:00"):
    return bytes(Ether(src=mac, dst=dst) / ARP(op=op, hwsrc=mac, psrc=sip, hwdst=hwdst, pdst=tip))


def sn_group(ip6):
    """Solicited-node group and its MAC of an IPv6 address."""
    import ipaddress
    low = ipaddress.IPv6Address(ip6).packed[13:]
    grp = str(ipaddress.IPv6Address(bytes.fromhex("ff0200000000000000000001ff") + low))
    return grp, "33:33:ff:%02x:%02x:%02x" % tuple(low)


def ns(mac, sip, target, sll=True, hlim=255, src_mac=None):
    grp, gmac = sn_group(target)
    p = (Ether(src=src_mac or mac, dst=gmac) / IPv6(src=sip, dst=grp, hlim=hlim)
         / ICMPv6ND_NS(tgt=target))
    if sll:
        p = p / ICMPv6NDOptSrcLLAddr(lladdr=mac)
    return bytes(p)


def dad_ns(mac, target):
    grp, gmac = sn_group(target)
    return bytes(Ether(src=mac, dst=gmac) / IPv6(src="::", dst=grp, hlim=255)
                 / ICMPv6ND_NS(tgt=target))


def una(mac, target, r=0):
    """Unsolicited NA to all-nodes, O=1, TLLA."""
    return bytes(Ether(src=mac, dst="33:33:00:00:00:01") / IPv6(src=target, dst="ff02::1", hlim=255)
                 / ICMPv6ND_NA(tgt=target, R=r, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=mac))


def arp_reply_exp(req_mac, req_ip, mac, ip):
    """The ARP reply evfwd must send: byte-exact, 60 bytes (zero padding)."""
    return bytes(Ether(src=mac, dst=req_mac) / ARP(op=2, hwsrc=mac, psrc=ip, hwdst=req_mac,
                                                   pdst=req_ip) / Raw(b"\0" * 18))


def na_exp(req_mac, req_ip, mac, target, r):
    """The solicited NA evfwd must send (scapy computes the checksum)."""
    return bytes(Ether(src=mac, dst=req_mac) / IPv6(src=target, dst=req_ip, hlim=255)
                 / ICMPv6ND_NA(tgt=target, R=r, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=mac))


def rows_by_addr(rows):
    return {r["Address"]: r for r in rows}


def shell_counter(text, name):
    m = re.search(r"(?:^|[:,]\s*)%s (\d+)" % re.escape(name), text, re.M)
    if not m:
        raise AssertionError("no counter '%s' in:\n%s" % (name, text))
    return int(m.group(1))


class ArpNdCase(E.EvfTestCase):
    def check_arp_reply(self, fr, req_mac, req_ip, mac, ip):
        p = Ether(fr)
        self.assertEqual(len(fr), 60)
        self.assertEqual((p.dst, p.src, p.type), (req_mac, mac, 0x0806))
        a = p[ARP]
        self.assertEqual((a.hwtype, a.ptype, a.hwlen, a.plen, a.op), (1, 0x0800, 6, 4, 2))
        self.assertEqual((a.hwsrc, a.psrc, a.hwdst, a.pdst), (mac, ip, req_mac, req_ip))
        self.assertEqual(fr, arp_reply_exp(req_mac, req_ip, mac, ip))

    def check_na(self, fr, req_mac, req_ip, mac, target, r):
        p = Ether(fr)
        self.assertEqual((p.dst, p.src, p.type), (req_mac, mac, 0x86dd))
        ip6 = p[IPv6]
        self.assertEqual((ip6.src, ip6.dst, ip6.hlim, ip6.nh, ip6.plen), (target, req_ip, 255, 58, 32))
        na = p[ICMPv6ND_NA]
        self.assertEqual((na.type, na.code, na.R, na.S, na.O, na.tgt), (136, 0, r, 1, 1, target))
        self.assertEqual(p[ICMPv6NDOptDstLLAddr].lladdr, mac)
        self.assertEqual(p[ICMPv6NDOptDstLLAddr].len, 1)
        # byte-identical to scapy's build, whose checksum scapy computes itself
        self.assertEqual(fr, na_exp(req_mac, req_ip, mac, target, r))

    def tshark_rows(self, res, port):
        return E.tshark_fields(res.pcap(port), [
            "eth.src", "eth.dst", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4",
            "arp.dst.hw_mac", "arp.dst.proto_ipv4", "ipv6.src", "ipv6.dst", "ipv6.hlim",
            "icmpv6.type", "icmpv6.checksum.status", "icmpv6.nd.na.flag.r",
            "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.nd.na.target_address",
            "icmpv6.opt.type", "icmpv6.opt.linkaddr", "_ws.expert.severity"])

    def assert_tshark_arp(self, row, req_mac, req_ip, mac, ip):
        self.assertEqual(row[:7], (mac, req_mac, "2", mac, ip, req_mac, req_ip), row)

    def assert_tshark_na(self, row, req_mac, req_ip, mac, target, r):
        self.assertEqual(row[0:2], (mac, req_mac), row)
        self.assertEqual(row[7:18], (target, req_ip, "255", "136", E.CKSUM_GOOD, str(r), "1",
                                     "1", target, "2", mac), row)


# ------------------------------------------------- gateway, proxy, flood --

PH1 = [arp_req(H1, H1_4, GW4),                 # the gateway
       arp_req(H1, H1_4, UQ4),                 # our unique address
       ns(H1, H1_6, GW6)]                      # the IPv6 gateway
PH2_ANSWERED = [arp_req(H2, H2_4, H1_4),       # host1's binding (snooped)
                ns(H2, H2_6, H1_6),
                ns(H2, H2_6, R1_6),            # remote binding, router
                arp_req(H2, H2_4, R2_4)]       # remote binding
PH2_FLOODED = [arp_req(H2, H2_4, "198.19.1.99"),   # unknown
               ns(H2, H2_6, "2001:db8:1::99"),
               arp_req(H2, H2_4, H2_4),            # gratuitous ARP
               una(H2, H2_6),                      # unsolicited NA
               dad_ns(H2, "2001:db8:1::21")]       # DAD

MAIN_CMDS = ["wait idle 300", "show arp", "show nd",
             "route add rt2 vni 100 mac %s vtep %s ip %s router" % (R1, VTEP, R1_6),
             "route add rt2 vni 100 mac %s vtep %s ip %s" % (R2, VTEP, R2_4),
             "port start host2", "wait idle 300",
             "show arp", "show nd", "show irb", "show drops"]


class GatewayProxyFlood(ArpNdCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd")
        cls.res = cls.lab.run(config(["host1", "host2", "host3"], disabled=["host2"]),
                              {"host1": PH1, "host2": PH2_ANSWERED + PH2_FLOODED},
                              cmds=MAIN_CMDS)

    def test_gateway_answers(self):
        out = self.res.out("host1")
        self.assertGreaterEqual(len(out), 3, "host1 got %d frames" % len(out))
        self.check_arp_reply(out[0], H1, H1_4, GW_MAC, GW4)
        self.check_arp_reply(out[1], H1, H1_4, UQ_MAC, UQ4)
        self.check_na(out[2], H1, H1_6, GW_MAC, GW6, 1)
        rows = self.tshark_rows(self.res, "host1")
        self.assert_tshark_arp(rows[0], H1, H1_4, GW_MAC, GW4)
        self.assert_tshark_arp(rows[1], H1, H1_4, UQ_MAC, UQ4)
        self.assert_tshark_na(rows[2], H1, H1_6, GW_MAC, GW6, 1)

    def test_bindings_learned(self):
        arp = rows_by_addr(self.res.table("show arp", 0))
        nd = rows_by_addr(self.res.table("show nd", 0))
        self.assertEqual(set(arp), {GW4, UQ4, H1_4}, arp)
        self.assertEqual(set(nd), {GW6, H1_6}, nd)
        for rows, ip, m, typ, fl, where in [
                (arp, GW4, GW_MAC, "gateway", "ROI", "-"), (arp, UQ4, UQ_MAC, "own", "ROI", "-"),
                (arp, H1_4, H1, "local", "O", "host1"), (nd, GW6, GW_MAC, "gateway", "ROI", "-"),
                (nd, H1_6, H1, "local", "O", "host1")]:
            r = rows[ip]
            self.assertEqual((r["MAC-VRF"], r["MAC"], r["Type"], r["Flags"], r["Where"]),
                             ("blue", m, typ, fl, where), r)

    def test_bindings_after(self):
        arp = rows_by_addr(self.res.table("show arp", 1))
        nd = rows_by_addr(self.res.table("show nd", 1))
        self.assertEqual(set(arp), {GW4, UQ4, H1_4, H2_4, R2_4}, arp)
        self.assertEqual(set(nd), {GW6, H1_6, H2_6, R1_6}, nd)
        self.assertEqual((arp[R2_4]["MAC"], arp[R2_4]["Type"], arp[R2_4]["Where"]),
                         (R2, "remote", "-"))
        self.assertEqual((nd[R1_6]["MAC"], nd[R1_6]["Type"]), (R1, "remote"))
        self.assertIn("R", nd[R1_6]["Flags"])
        self.assertEqual((arp[H2_4]["MAC"], arp[H2_4]["Where"]), (H2, "host2"))
        self.assertEqual((nd[H2_6]["MAC"], nd[H2_6]["Where"]), (H2, "host2"))

    def test_proxy_answers(self):
        out = self.res.out("host2")
        self.assertEqual(len(out), 4, "host2 must get exactly the 4 answers, got %d" % len(out))
        self.check_arp_reply(out[0], H2, H2_4, H1, H1_4)
        self.check_na(out[1], H2, H2_6, H1, H1_6, 0)
        self.check_na(out[2], H2, H2_6, R1, R1_6, 1)
        self.check_arp_reply(out[3], H2, H2_4, R2, R2_4)
        rows = self.tshark_rows(self.res, "host2")
        self.assert_tshark_arp(rows[0], H2, H2_4, H1, H1_4)
        self.assert_tshark_na(rows[1], H2, H2_6, H1, H1_6, 0)
        self.assert_tshark_na(rows[2], H2, H2_6, R1, R1_6, 1)
        self.assert_tshark_arp(rows[3], H2, H2_4, R2, R2_4)

    def test_answered_not_flooded_flooded_as_bum(self):
        # host1 and host3: exactly the flooded frames of phase 2, in order
        # (nothing of phase 1 or of the answered requests)
        self.assertFrames(self.res.out("host1")[3:], PH2_FLOODED, "host1 after the answers")
        self.assertFrames(self.res.out("host3"), PH2_FLOODED, "host3")
        up = self.res.out("uplink")
        self.assertEqual(len(up), len(PH2_FLOODED), "uplink: only the flooded frames")
        for fr, inner in zip(up, PH2_FLOODED):
            E.assert_vxlan(fr, inner=inner, vni=100, dst_ip=VTEP, src_ip="198.18.0.1")
        rows = E.tshark_vxlan(self.res.pcap("uplink"))
        E.assert_tshark_inner(rows, PH2_FLOODED)

    def test_counters(self):
        text = "\n".join(self.res.outputs_of("show irb")[0])
        want = {"ARP requests": 2 + 4, "NS": 1 + 3 + 1, "NA": 1, "ARP answered": 2 + 2,
                "NS answered": 1 + 2, "unknown flooded": 2, "gratuitous": 2, "DAD": 1,
                "from routes": 2, "rate limited": 0}
        got = {k: shell_counter(text, k) for k in want}
        self.assertEqual(got, want, text)
        self.assertRegex(text, r"Bindings\s*:\s*9 \(local 4, remote 2, gateway 2, own 1\)")

    def test_no_drops(self):
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


class UnknownDrop(ArpNdCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-drop")
        cls.ins = [arp_req(H1, H1_4, "198.19.1.99"), ns(H1, H1_6, "2001:db8:1::99"),
                   arp_req(H1, H1_4, GW4)]
        cls.res = cls.lab.run(config(["host1", "host3"], arpnd="unknown: drop"),
                              {"host1": cls.ins}, cmds=["wait idle 300", "show drops"])

    def test_dropped_not_flooded(self):
        self.res.assert_drops({"nd-unknown-dropped": 2})
        self.assertEqual(self.res.drops_in(0), {"nd-unknown-dropped": 2})
        self.assertFrames(self.res.out("host3"), [], "host3")
        self.assertFrames(self.res.out("uplink"), [], "uplink")
        out = self.res.out("host1")
        self.assertEqual(len(out), 1)
        self.check_arp_reply(out[0], H1, H1_4, GW_MAC, GW4)
        self.res.assert_no_mbuf_leak()


# ------------------------------------------------------- duplicate IP --

DUP_IP = "198.19.1.50"
DA, DB = "00:c1:ab:00:00:a1", "00:c1:ab:00:00:b1"
Q1, Q2 = "00:c1:ab:00:00:c1", "00:c1:ab:00:00:c2"


class DuplicateIp(ArpNdCase):
    """DA and DB claim DUP_IP alternately from four ports (each ARP request is
    for the gateway: answered, not flooded; its sender is snooped): learned,
    then 3 moves with num-moves 3 -> frozen on DA. q1 asks for it: bridged
    (flooded), not answered. After clear ip-duplication q2 asks: answered
    with DA's MAC."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-dup")
        ports = ["p1", "p2", "p3", "p4", "q1", "q2"]
        cls.q1 = arp_req(Q1, "198.19.1.61", DUP_IP)
        cls.q2 = arp_req(Q2, "198.19.1.62", DUP_IP)
        ins = {"p1": [arp_req(DA, DUP_IP, GW4)], "p2": [arp_req(DB, DUP_IP, GW4)],
               "p3": [arp_req(DA, DUP_IP, GW4)], "p4": [arp_req(DB, DUP_IP, GW4)],
               "q1": [cls.q1], "q2": [cls.q2]}
        cmds = ["wait idle 300"]
        for p in ["p2", "p3", "p4", "q1"]:
            cmds += ["port start %s" % p, "wait idle 300", "show arp"]
        cmds += ["clear ip-duplication", "show arp", "port start q2", "wait idle 300",
                 "show irb", "show drops"]
        cls.res = cls.lab.run(config(ports, disabled=ports[1:], arpnd=(
            "unknown: drop\nip-duplication: {num-moves: 3, monitoring-window: 60, "
            "hold-down: 600}")), ins, cmds=cmds)

    def test_moves_then_frozen(self):
        seen = []
        for i in range(4):
            r = rows_by_addr(self.res.table("show arp", i))[DUP_IP]
            seen.append((r["MAC"], r["Where"], "F" in r["Flags"]))
        self.assertEqual(seen, [(DB, "p2", False), (DA, "p3", False), (DA, "p3", True),
                                (DA, "p3", True)])
        r = rows_by_addr(self.res.table("show arp", 4))[DUP_IP]
        self.assertEqual((r["MAC"], r["Flags"]), (DA, "O"), "after clear ip-duplication")

    def test_frozen_not_answered_then_released(self):
        # q1's request was bridged (a broadcast: to every other port, even
        # with unknown: drop), never answered
        for p in ["p1", "p2", "p3", "p4"]:
            got = [f for f in self.res.out(p) if Ether(f).src != GW_MAC]
            self.assertFrames(got, [self.q1], p + ": q1's request bridged")
        self.assertFrames(self.res.out("q1"), [], "q1 got no answer")
        out = self.res.out("q2")
        self.assertEqual(len(out), 1, "q2: one answer")
        self.check_arp_reply(out[0], Q2, "198.19.1.62", DA, DUP_IP)
        text = "\n".join(self.res.outputs_of("show irb")[0])
        self.assertEqual((shell_counter(text, "moved"), shell_counter(text, "frozen")), (3, 1))
        self.assertEqual(self.res.drops.get("nd-unknown-dropped", 0), 0)
        self.res.assert_no_mbuf_leak()


# ---------------------------------------------------------- bad input --

X = "00:c1:ab:00:00:66"     # a host claiming our addresses


def raw_ns(mac, sip, target, opts=b"", hlim=255, code=0, cksum=None, plen=None, dst=None,
           src_mac=None):
    grp, gmac = sn_group(target)
    ip6 = IPv6(src=sip, dst=dst or grp, hlim=hlim)
    if plen is not None:
        ip6.plen = plen
    icmp = ICMPv6ND_NS(tgt=target, code=code)
    if cksum is not None:
        icmp.cksum = cksum
    return bytes(Ether(src=src_mac or mac, dst=gmac) / ip6 / icmp / Raw(opts))


def lla(t, mac):
    return bytes([t, 1]) + E.mac_bytes(mac)


def bad_cksum_ns():
    good = raw_ns(H1, H1_6, GW6, lla(1, H1))
    ck = int.from_bytes(good[56:58], "big") ^ 0x0101
    return raw_ns(H1, H1_6, GW6, lla(1, H1), cksum=ck)


BAD = [
    # (reason, frame)
    ("nd-truncated", arp_req(H1, H1_4, GW4)[:14 + 20]),
    ("nd-truncated", raw_ns(H1, H1_6, GW6, lla(1, H1), plen=64)),
    ("nd-bad-header", bytes(Ether(src=H1, dst=BCAST) / ARP(hwtype=6, hwsrc=H1, psrc=H1_4,
                                                           pdst=GW4))),
    ("nd-bad-header", bytes(Ether(src=H1, dst=BCAST) / ARP(op=3, hwsrc=H1, psrc=H1_4, pdst=GW4))),
    ("nd-bad-header", raw_ns(H1, H1_6, GW6, lla(1, H1), hlim=64)),
    ("nd-bad-header", raw_ns(H1, H1_6, GW6, lla(1, H1), code=1)),
    ("nd-bad-checksum", bad_cksum_ns()),
    ("nd-bad-option", raw_ns(H1, H1_6, GW6, b"\x01\x00" + E.mac_bytes(H1))),
    ("nd-bad-option", raw_ns(H1, H1_6, GW6, b"\x01\x02" + E.mac_bytes(H1))),
    ("nd-bad-option", raw_ns(H1, H1_6, GW6, lla(1, H1) + lla(1, H1))),
    ("nd-lla-mismatch", bytes(Ether(src=H1, dst=BCAST) / ARP(hwsrc=H3, psrc=H1_4, pdst=GW4))),
    ("nd-lla-mismatch", raw_ns(H1, H1_6, GW6, lla(1, H3))),
    ("nd-bad-address", arp_req(H1, H1_4, "224.0.0.5")),
    ("nd-bad-address", raw_ns(H1, H1_6, "ff02::1", lla(1, H1))),
    ("nd-bad-address", bytes(Ether(src=H1, dst="33:33:00:00:00:01")
                             / IPv6(src=H1_6, dst="ff02::1", hlim=255)
                             / ICMPv6ND_NA(tgt=H1_6, R=0, S=1, O=1)
                             / ICMPv6NDOptDstLLAddr(lladdr=H1))),
    ("nd-bad-address", raw_ns(H1, "::", "2001:db8:1::30", lla(1, H1))),
    ("nd-bad-address", raw_ns(H1, H1_6, GW6, lla(1, H1), dst="2001:db8:1::99")),
    # spoofed claims of our addresses from another MAC
    ("nd-spoofed-gateway", arp_req(X, GW4, H1_4, dst=H1, op=2, hwdst=H1)),   # ARP reply
    ("nd-spoofed-gateway", arp_req(X, GW4, GW4)),                            # GARP
    ("nd-spoofed-gateway", arp_req(X, UQ4, UQ4)),                            # GARP, unique
    ("nd-spoofed-gateway", una(X, GW6, r=1)),                                # NA
    # an IPv4 packet to the gateway MAC, no host path
    ("irb-not-routed", bytes(Ether(src=H1, dst=GW_MAC) / IP(src=H1_4, dst="198.19.9.9")
                             / UDP(sport=1, dport=2) / Raw(b"x" * 18))),
]


class BadInput(ArpNdCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-bad")
        cls.res = cls.lab.run(config(["host1", "host3"]), {"host1": [f for _, f in BAD]},
                              cmds=["wait idle 300", "show drops", "show arp", "show nd",
                                    "show irb"])

    def test_each_under_its_reason(self):
        want = {}
        for why, _ in BAD:
            want[why] = want.get(why, 0) + 1
        self.assertEqual(self.res.drops_in(0), want)
        self.res.assert_drops(want)

    def test_nothing_passes_nothing_learned(self):
        for p in ["host1", "host3", "uplink"]:
            self.assertFrames(self.res.out(p), [], p)
        arp = rows_by_addr(self.res.table("show arp", 0))
        nd = rows_by_addr(self.res.table("show nd", 0))
        self.assertEqual(set(arp), {GW4, UQ4})
        self.assertEqual(set(nd), {GW6})
        self.assertEqual(arp[GW4]["MAC"], GW_MAC)
        self.assertEqual(arp[UQ4]["MAC"], UQ_MAC)
        self.assertEqual(nd[GW6]["MAC"], GW_MAC)
        self.res.assert_no_mbuf_leak()


class RateLimit(ArpNdCase):
    N, RATE = 12, 5

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-rate")
        cls.res = cls.lab.run(config(["host1", "host3"], arpnd="rate: %d" % cls.RATE),
                              {"host1": [arp_req(H1, H1_4, GW4)] * cls.N},
                              cmds=["wait idle 300", "show irb"])

    def test_rate(self):
        self.res.assert_drops({"nd-rate-limited": self.N - self.RATE})
        out = self.res.out("host1")
        self.assertEqual(len(out), self.RATE)
        for fr in out:
            self.check_arp_reply(fr, H1, H1_4, GW_MAC, GW4)
        text = "\n".join(self.res.outputs_of("show irb")[0])
        self.assertEqual(shell_counter(text, "rate limited"), self.N - self.RATE)
        self.assertEqual(shell_counter(text, "ARP answered"), self.RATE)
        self.res.assert_no_mbuf_leak()


class BindingLimit(ArpNdCase):
    """binding-limit 2 (the gateway's 3 addresses are not counted against
    it, doc/l3.md): of 4 hosts announcing themselves by GARP, 2 are learned,
    2 refused and counted; their GARPs are still flooded."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-limit")
        cls.ins = [arp_req(E.mac(0x100 + i), "198.19.1.%d" % (100 + i), "198.19.1.%d" % (100 + i))
                   for i in range(4)]
        cls.res = cls.lab.run(config(["host1", "host3"], arpnd="binding-limit: 2"),
                              {"host1": cls.ins}, cmds=["wait idle 300", "show arp", "show irb"])

    def test_limit(self):
        arp = rows_by_addr(self.res.table("show arp", 0))
        local = sorted(ip for ip, r in arp.items() if r["Type"] == "local")
        self.assertEqual(local, ["198.19.1.100", "198.19.1.101"], arp)
        text = "\n".join(self.res.outputs_of("show irb")[0])
        self.assertEqual(shell_counter(text, "refused at limit"), 2, text)
        self.assertEqual(shell_counter(text, "learned"), 2, text)
        self.assertFrames(self.res.out("host3"), self.ins, "GARPs flooded")
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


class TaggedHeaderRun(ArpNdCase):
    """On a VLAN attachment, a unicast ARP request that follows an IPv4 frame
    with the same MACs and tag (the worker's header run: the EtherType is
    behind the tag) still takes the ARP/ND path: answered from the remote
    binding, not bridged to the VTEP."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-tagged")
        cls.ip = E.tag(bytes(Ether(src=H1, dst=R2) / IP(src=H1_4, dst=R2_4)
                             / UDP(sport=1, dport=2) / Raw(b"x" * 18)), 10)
        cls.arp = E.tag(arp_req(H1, H1_4, R2_4, dst=R2), 10)
        cls.res = cls.lab.run(
            config(["host1", "host3"], disabled=["host1"], vlans={"host1": 10}),
            {"host1": [cls.ip, cls.arp]},
            cmds=["route add rt2 vni 100 mac %s vtep %s ip %s" % (R2, VTEP, R2_4),
                  "port start host1", "wait idle 300", "show irb"])

    def test_answered_not_bridged(self):
        up = self.res.out("uplink")
        self.assertEqual(len(up), 1, "uplink: the IPv4 frame only, got %d" % len(up))
        E.assert_vxlan(up[0], inner=E.untag(self.ip), vni=100, dst_ip=VTEP)
        out = self.res.out("host1")
        self.assertEqual(len(out), 1, "host1: the ARP answer")
        p = Ether(out[0])
        self.assertEqual(p.vlan, 10)
        self.check_arp_reply(E.untag(out[0]), H1, H1_4, R2, R2_4)
        self.assertEqual(shell_counter("\n".join(self.res.outputs_of("show irb")[0]),
                                       "ARP answered"), 1)
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
