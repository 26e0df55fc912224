#!/usr/bin/python3
"""test_underlay.py: ARP/ND on network ports and the usable uplinks of
lib/underlay (doc/config.md "Underlay resolution"), on net_pcap ports.

Two network ports, up0 (198.18.10.2/30 and 2001:db8:10::2/64, gateways
198.18.10.1 and 2001:db8:10::1) and up1 (198.18.11.2/30, gateway
198.18.11.1), no next-hop-mac; node VTEPs 198.18.0.1 and 2001:db8:ff::1;
access port host1 (started later) with a remote MAC behind VTEP 198.18.0.2.

* Answers: ARP for the VTEP and for up0's address, NS for the IPv6 VTEP and
  up0's IPv6 address, answered out of up0 from node.mac, field by field
  (byte-identical to scapy's build; tshark: ICMPv6 checksum good).
* Resolution: up0's gateways (their requests and an NA) resolve them (show
  underlay: reachable, their MAC, in use); up1's never answers (incomplete,
  probes sent: broadcast ARP requests from 198.18.11.2, checked field by
  field); host1's flows are all encapsulated on up0 to the gateway's MAC.
* Bad input on up0, each under its reason: a request for another address
  (nd-ignored), claims of our addresses (nd-spoofed-gateway), malformed ARP
  and NS (nd-bad-header, nd-truncated, nd-bad-checksum, nd-lla-mismatch),
  and in a second run a flood above arp-nd-rate (nd-rate-limited).
* Spread: both gateways answer: 64 flows split over up0 and up1, each to its
  own gateway's MAC. No gateway answers: every flow dropped as no-uplink.
"""
import re
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from scapy.all import (ARP, IPv6, Ether, Raw, ICMPv6ND_NS, ICMPv6ND_NA,  # noqa: E402
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr)

ME = "02:00:00:00:00:01"
S0, S1, X = "02:00:00:00:0a:01", "02:00:00:00:0b:01", "02:00:00:00:0a:09"
VTEP4, VTEP6 = "198.18.0.1", "2001:db8:ff::1"
P0_4, P0_6, P1_4 = "198.18.10.2", "2001:db8:10::2", "198.18.11.2"
G0_4, G0_6, G1_4 = "198.18.10.1", "2001:db8:10::1", "198.18.11.1"
H1, R1 = "00:c1:ab:00:00:01", "02:00:00:77:00:01"
REMOTE = "198.18.0.2"
BCAST = "ff:ff:ff:ff:ff:ff"

CONFIG = """
node:
  name: ul
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: "2001:db8:ff::1"
  mac: 02:00:00:00:00:01
ports:
  - name: up0
    device: "{dev:up0}"
    role: network
    addresses: [198.18.10.2/30, "2001:db8:10::2/64"]
    gateways: [198.18.10.1, "2001:db8:10::1"]
    probe-interval: %(interval0)d
    mtu: 1600
%(rate)s
  - name: up1
    device: "{dev:up1}"
    role: network
    addresses: [198.18.11.2/30]
    gateways: [198.18.11.1]
    probe-interval: %(interval1)d
    mtu: 1600
  - name: host1
    device: "{dev:host1}"
    role: access
    admin-state: disable
mac-vrfs:
  - name: blue
    vni: 100
    attachments: [{port: host1, vlan: untagged}]
    remote-macs: [{mac: "02:00:00:77:00:01", vtep: 198.18.0.2}]
workers:
  count: 1
  idle-sleep-us: 20
"""


def config(rate=None, interval0=60000, interval1=50):
    """interval0: up0's probe-interval; long by default, since a pcap gateway
    answers only what its input file holds (it would fail after 3 probes)."""
    return CONFIG % {"rate": "    arp-nd-rate: %d" % rate if rate is not None else "",
                     "interval0": interval0, "interval1": interval1}


def arp_req(mac, sip, tip, dst=BCAST, op=1, hwsrc=None, hwtype=1):
    return bytes(Ether(src=mac, dst=dst) / ARP(hwtype=hwtype, op=op, hwsrc=hwsrc or mac,
                                               psrc=sip, hwdst="00:00:00:00:00:00", pdst=tip))


def sn_group(ip6):
    import ipaddress
    low = ipaddress.IPv6Address(ip6).packed[13:]
    grp = str(ipaddress.IPv6Address(bytes.fromhex("ff0200000000000000000001ff") + low))
    return grp, "33:33:ff:%02x:%02x:%02x" % tuple(low)


def ns(mac, sip, target, hlim=255, cksum=None):
    grp, gmac = sn_group(target)
    icmp = ICMPv6ND_NS(tgt=target)
    if cksum is not None:
        icmp.cksum = cksum
    return bytes(Ether(src=mac, dst=gmac) / IPv6(src=sip, dst=grp, hlim=hlim) / icmp
                 / ICMPv6NDOptSrcLLAddr(lladdr=mac))


def na_from(mac, target, dst_ip, dst_mac=ME, solicited=1):
    return bytes(Ether(src=mac, dst=dst_mac) / IPv6(src=target, dst=dst_ip, hlim=255)
                 / ICMPv6ND_NA(tgt=target, R=1, S=solicited, O=1)
                 / ICMPv6NDOptDstLLAddr(lladdr=mac))


def arp_reply_exp(req_mac, req_ip, ip):
    return bytes(Ether(src=ME, dst=req_mac) / ARP(op=2, hwsrc=ME, psrc=ip, hwdst=req_mac,
                                                  pdst=req_ip) / Raw(b"\0" * 18))


def na_exp(req_mac, req_ip, target):
    return bytes(Ether(src=ME, dst=req_mac) / IPv6(src=target, dst=req_ip, hlim=255)
                 / ICMPv6ND_NA(tgt=target, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=ME))


def flows(n):
    return [E.host_frame(H1, R1, sip="198.19.0.%d" % (1 + i % 200), dip="198.19.1.1",
                         sport=1000 + i, dport=2000 + 3 * i) for i in range(n)]


ANSWERED = [arp_req(S0, G0_4, VTEP4), arp_req(S0, G0_4, P0_4),
            ns(S0, G0_6, VTEP6), ns(S0, G0_6, P0_6)]
BAD = {
    "nd-ignored": [arp_req(X, "198.18.10.3", "198.18.10.9")],
    "nd-spoofed-gateway": [arp_req(X, P0_4, G0_4), arp_req(X, VTEP4, VTEP4),
                           na_from(X, P0_6, "ff02::1", dst_mac="33:33:00:00:00:01",
                                   solicited=0)],
    "nd-bad-header": [arp_req(X, "198.18.10.3", VTEP4, hwtype=6),
                      ns(X, "2001:db8:10::3", VTEP6, hlim=64)],
    "nd-truncated": [arp_req(X, "198.18.10.3", VTEP4)[:14 + 20]],
    "nd-bad-checksum": [ns(X, "2001:db8:10::3", VTEP6, cksum=0x1234)],
    "nd-lla-mismatch": [arp_req(X, "198.18.10.3", VTEP4, hwsrc="02:00:00:00:0a:0a")],
}
# the gateways' own messages: G0_4's requests above, G0_6's NS above and an NA
GW_NA = [na_from(S0, G0_6, P0_6)]


def gw_rows(res, i):
    return _gw_table(res.outputs_of("show underlay")[i])


def _gw_table(lines):
    for i, line in enumerate(lines):
        if line.startswith("Gateway "):
            rows, _ = E.parse_table([line, "-" * len(line)] + lines[i + 1:], 0)
            return {r["Gateway"]: r for r in rows}
    raise AssertionError("no gateway table in:\n" + "\n".join(lines))


def counter(text, name):
    m = re.search(r"(?:^|[:,]\s*)%s (\d+)" % re.escape(name), text, re.M)
    if not m:
        raise AssertionError("no counter '%s' in:\n%s" % (name, text))
    return int(m.group(1))


CMDS = ["wait idle 300", "sleep 200", "show underlay", "port start host1", "wait idle 300",
        "show underlay", "show underlay json", "show drops"]


class Answers(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("underlay")
        bad = [f for fs in BAD.values() for f in fs]
        cls.flows = flows(16)
        cls.res = cls.lab.run(config(), {"up0": ANSWERED + bad + GW_NA, "host1": cls.flows},
                              cmds=CMDS)

    def test_answers_field_by_field(self):
        out = [f for f in self.res.out("up0")
               if Ether(f).type == 0x0806 and Ether(f)[ARP].op == 2 or
               (Ether(f).type == 0x86dd and ICMPv6ND_NA in Ether(f))]
        self.assertEqual(len(out), 4, "up0 must carry exactly 4 answers, got %d" % len(out))
        for fr, (ip, req_ip) in zip(out[:2], [(VTEP4, G0_4), (P0_4, G0_4)]):
            p = Ether(fr)
            self.assertEqual(len(fr), 60)
            self.assertEqual((p.dst, p.src, p.type), (S0, ME, 0x0806))
            a = p[ARP]
            self.assertEqual((a.hwtype, a.ptype, a.hwlen, a.plen, a.op), (1, 0x0800, 6, 4, 2))
            self.assertEqual((a.hwsrc, a.psrc, a.hwdst, a.pdst), (ME, ip, S0, req_ip))
            self.assertEqual(fr, arp_reply_exp(S0, req_ip, ip))
        for fr, target in zip(out[2:], [VTEP6, P0_6]):
            p = Ether(fr)
            self.assertEqual((p.dst, p.src, p.type), (S0, ME, 0x86dd))
            self.assertEqual((p[IPv6].src, p[IPv6].dst, p[IPv6].hlim), (target, G0_6, 255))
            na = p[ICMPv6ND_NA]
            self.assertEqual((na.type, na.code, na.R, na.S, na.O, na.tgt), (136, 0, 0, 1, 1, target))
            self.assertEqual(p[ICMPv6NDOptDstLLAddr].lladdr, ME)
            self.assertEqual(fr, na_exp(S0, G0_6, target))
        rows = E.tshark_fields(self.res.pcap("up0"), ["icmpv6.type", "icmpv6.checksum.status"])
        nas = [r for r in rows if r[0] == "136"]
        self.assertEqual(len(nas), 2, rows)
        for r in nas:
            self.assertEqual(r[1], E.CKSUM_GOOD, r)

    def test_probes(self):
        # up1's gateway never answers: broadcast ARP requests from up1's address
        probes = [Ether(f) for f in self.res.out("up1")
                  if Ether(f).type == 0x0806]
        self.assertGreaterEqual(len(probes), 3, "up1: %d probes" % len(probes))
        for p in probes:
            self.assertEqual((p.dst, p.src), (BCAST, ME))
            a = p[ARP]
            self.assertEqual((a.op, a.hwsrc, a.psrc, a.hwdst, a.pdst),
                             (1, ME, P1_4, "00:00:00:00:00:00", G1_4))
        # up0 (60 s interval): at most the first probe of each gateway, sent
        # unless its own messages came first, from up0's addresses
        arp = [Ether(f) for f in self.res.out("up0")
               if Ether(f).type == 0x0806 and Ether(f)[ARP].op == 1]
        self.assertLessEqual(len(arp), 1, "up0: ARP probes in a 60 s interval")
        for p in arp:
            self.assertEqual((p.src, p.dst, p[ARP].psrc, p[ARP].pdst, p[ARP].hwsrc),
                             (ME, BCAST, P0_4, G0_4, ME))
        nss = [Ether(f) for f in self.res.out("up0") if ICMPv6ND_NS in Ether(f)]
        self.assertLessEqual(len(nss), 1, "up0: NS probes")
        grp, gmac = sn_group(G0_6)
        for p in nss:
            self.assertEqual((p.src, p.dst, p[IPv6].src, p[IPv6].dst, p[ICMPv6ND_NS].tgt,
                              p[IPv6].hlim, p[ICMPv6NDOptSrcLLAddr].lladdr),
                             (ME, gmac, P0_6, grp, G0_6, 255, ME))
            self.assertEqual(bytes(p), bytes(Ether(bytes(p))))

    def test_gateways(self):
        for i in (0, 1):
            g = gw_rows(self.res, i)
            self.assertEqual(set(g), {G0_4, G0_6, G1_4}, g)
            self.assertEqual((g[G0_4]["State"], g[G0_4]["MAC"], g[G0_4]["In use"]),
                             ("reachable", S0, "yes"), g)
            self.assertEqual((g[G0_6]["State"], g[G0_6]["MAC"], g[G0_6]["In use"]),
                             ("reachable", S0, "yes"), g)
            self.assertEqual((g[G1_4]["State"], g[G1_4]["MAC"], g[G1_4]["In use"]),
                             ("incomplete", "-", "no"), g)
        text = "\n".join(self.res.outputs_of("show underlay")[1])
        self.assertIn("Usable uplinks: IPv4 1, IPv6 1", text)
        self.assertEqual(counter(text, "ARP answered"), 2)
        self.assertEqual(counter(text, "NS answered"), 2)
        self.assertEqual(counter(text, "resolved"), 2)

    def test_json(self):
        import json
        j = json.loads("\n".join(self.res.outputs_of("show underlay json")[0]))
        self.assertEqual([p["port"] for p in j["ports"]], ["up0", "up1"])
        self.assertEqual(j["ports"][0]["addresses"], [P0_4, P0_6, VTEP4, VTEP6])
        gws = {g["address"]: g for g in j["gateways"]}
        self.assertEqual((gws[G0_4]["state"], gws[G0_4]["mac"], gws[G0_4]["in_use"]),
                         ("reachable", S0, True))
        self.assertEqual(gws[G1_4]["mac"], None)
        self.assertEqual(j["usable_uplinks"], {"ipv4": 1, "ipv6": 1})
        self.assertEqual(j["arp_nd"]["spoofed"], 3)

    def test_encap_on_the_resolved_uplink(self):
        up0 = [f for f in self.res.out("up0") if Ether(f).type == 0x0800]
        self.assertEqual(len(up0), len(self.flows))
        for fr, inner in zip(up0, self.flows):
            E.assert_vxlan(fr, inner=inner, vni=100, dst_ip=REMOTE, src_ip=VTEP4,
                           outer_src_mac=ME, outer_dst_mac=S0)
        self.assertEqual([f for f in self.res.out("up1") if Ether(f).type == 0x0800], [])

    def test_drops(self):
        self.res.assert_drops({k: len(v) for k, v in BAD.items()})
        self.res.assert_no_mbuf_leak()


class RateAndSpread(E.EvfTestCase):
    """arp-nd-rate 5 on up0: 20 requests, 5 answered, 15 nd-rate-limited;
    both gateways answer: 64 flows over both uplinks, each to its gateway."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("underlay-rate")
        cls.flows = flows(64)
        cls.res = cls.lab.run(config(rate=5, interval1=60000), {
            "up0": [arp_req(S0, G0_4, VTEP4)] * 20,
            "up1": [arp_req(S1, G1_4, P1_4)], "host1": cls.flows}, cmds=CMDS)

    def test_rate(self):
        self.res.assert_drops({"nd-rate-limited": 15})
        text = "\n".join(self.res.outputs_of("show underlay")[1])
        self.assertEqual(counter(text, "rate limited"), 15)
        self.assertEqual(counter(text, "ARP answered"), 5 + 1)
        self.res.assert_no_mbuf_leak()

    def test_spread(self):
        got = {}
        for port, smac in (("up0", S0), ("up1", S1)):
            enc = [f for f in self.res.out(port) if Ether(f).type == 0x0800]
            for fr in enc:
                d = E.assert_vxlan(fr, inner=E.parse_vxlan(fr)["inner"], vni=100, dst_ip=REMOTE,
                                   src_ip=VTEP4, outer_src_mac=ME, outer_dst_mac=smac)
                got[d["inner"]] = port
        self.assertEqual(sorted(got), sorted(self.flows))
        n0 = sum(1 for p in got.values() if p == "up0")
        print("spread over 2 uplinks: up0 %d, up1 %d of %d flows" % (n0, 64 - n0, 64))
        self.assertGreater(n0, 10)
        self.assertGreater(64 - n0, 10)


class Failure(E.EvfTestCase):
    """up0's probe-interval 50 ms: its gateways answer once (their input)
    and then never: after 3 unanswered probes they fail; up1's never
    answers (incomplete). host1's flows are then all dropped as no-uplink."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("underlay-fail")
        cls.res = cls.lab.run(config(interval0=50), {"up0": [arp_req(S0, G0_4, VTEP4)] + GW_NA,
                                                     "host1": flows(8)},
                              cmds=["wait idle 300", "sleep 400"] + CMDS[2:])

    def test_failed_then_dropped(self):
        g = gw_rows(self.res, 0)
        self.assertEqual({k: (v["State"], v["Failed"]) for k, v in g.items()},
                         {G0_4: ("failed", "1"), G0_6: ("failed", "1"),
                          G1_4: ("incomplete", "0")}, g)
        self.assertEqual(g[G0_4]["MAC"], S0)
        self.assertGreaterEqual(int(g[G0_4]["Misses"]), 3)
        text = "\n".join(self.res.outputs_of("show underlay")[1])
        self.assertIn("Usable uplinks: IPv4 0, IPv6 0", text)
        self.assertEqual(counter(text, "failed"), 2)
        self.res.assert_drops({"no-uplink": 8})
        self.res.assert_no_mbuf_leak()

    def test_probes_unicast_then_broadcast(self):
        # reachable: unicast probes to S0 (the refresh); failed: broadcast
        # ARP and multicast NS again
        fr = [Ether(f) for f in self.res.out("up0")]
        arp = [p for p in fr if p.type == 0x0806 and p[ARP].op == 1]
        nss = [p for p in fr if ICMPv6ND_NS in p]
        for p in arp:
            self.assertEqual((p.src, p[ARP].hwsrc, p[ARP].psrc, p[ARP].pdst), (ME, ME, P0_4, G0_4))
        grp, gmac = sn_group(G0_6)
        for p in nss:
            self.assertEqual((p.src, p[IPv6].src, p[ICMPv6ND_NS].tgt, p[IPv6].hlim,
                              p[ICMPv6NDOptSrcLLAddr].lladdr), (ME, P0_6, G0_6, 255, ME))
            self.assertIn((p.dst, p[IPv6].dst), [(S0, G0_6), (gmac, grp)])
        self.assertGreaterEqual(len([p for p in arp if p.dst == S0]), 3)
        self.assertGreaterEqual(len([p for p in arp if p.dst == BCAST]), 1)
        self.assertGreaterEqual(len([p for p in nss if p.dst == S0]), 3)
        self.assertGreaterEqual(len([p for p in nss if p.dst == gmac]), 1)
        rows = E.tshark_fields(self.res.pcap("up0"), ["icmpv6.type", "icmpv6.checksum.status"])
        ns_rows = [r for r in rows if r[0] == "135"]
        self.assertEqual(len(ns_rows), len(nss))
        self.assertTrue(all(r[1] == E.CKSUM_GOOD for r in ns_rows), ns_rows)


if __name__ == "__main__":
    E.main()
