#!/usr/bin/python3
"""test_malformed.py: valid traffic mixed with unusual and malformed input.

One pcap per port; on each port valid and malformed frames alternate, so
every receive burst holds both. Every valid frame must be forwarded (exact
output count and bytes) and every malformed class must raise exactly its
own drop counter by the number sent, or be forwarded where the RFCs say so.

Ports / MAC-VRFs:
  uplink  network, MTU 9100 (VTEP 198.18.0.1 / 2001:2::1)
  h1      access MTU 1500: untagged -> A (VNI 1000, static RA behind .2),
          VLAN 10 -> Q (VNI 1100, flood list .2, static RQ behind .2)
  h2      access: untagged -> IV (VNI 2000, allow-inner-vlan: true)
  jumbo   access MTU 9000 -> J (VNI 3000, static RJ behind .3)
  big     access MTU 9600 -> BG (VNI 4000, static RBG behind .3)
  ll      access -> LL (VNI 5000): only receives the link-local check below

Network-side classes (VXLAN to us unless said otherwise): truncated at
Ethernet / IPv4 / IPv6 / UDP / VXLAN / inner frame, zero-length UDP payload,
I flag clear, reserved bits set (forwarded: RFC 7348 says ignore them),
unknown VNI, wrong outer destination IPv4 / IPv6 / MAC, wrong UDP port,
IPv4 options (forwarded), IPv4 MF / offset fragments, IPv6 fragment header,
IPv6 hop-by-hop header (forwarded), IHL < 5, IPv4 total length beyond the
frame or below the header, wrong IPv4 checksum, UDP length beyond the IP
payload or below 8, IPv4 version field 6, ARP (not IP), ICMP / TCP / IPv6-TCP
(not UDP), wrong underlay VLAN, outer packet above the uplink MTU, inner
802.1Q tag (dropped in A; forwarded unchanged in IV), inner multicast source,
inner destination = static remote MAC, inner frame above h1's MTU, Ethernet
padding after the UDP datagram (IPv4 and IPv6; forwarded, padding removed),
inner link-local destination 01:80:c2:00:00:0e.
Access-side classes: truncated Ethernet / 802.1Q header, frame above the
port MTU (untagged and tagged), multicast / broadcast / zero source MAC,
link-local destinations, VLAN without attachment, LACP EtherType, QinQ
(802.1Q inside VLAN 10) to a remote MAC (inner-vlan) and broadcast (never
over VXLAN: no-destination), 9000-byte-MTU jumbo frames (forwarded, inner
byte-identical), frames whose encapsulation exceeds the uplink MTU.
"""
import collections
import os
import struct

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import (ARP, ICMP, IP, TCP, Ether, IPv6, IPv6ExtHdrFragment,
                    IPv6ExtHdrHopByHop, Raw, bcast_frame, host_frame, ip4_patch, tag,
                    udp_patch, untag, vxlan4, vxlan6)

CONFIG = """
node:
  name: malformed
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: 2001:2::1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 9100
  - name: h1
    device: "{dev:h1}"
    role: access
  - name: h2
    device: "{dev:h2}"
    role: access
  - name: jumbo
    device: "{dev:jumbo}"
    role: access
    mtu: 9000
  - name: big
    device: "{dev:big}"
    role: access
    mtu: 9600
  - name: ll
    device: "{dev:ll}"
    role: access
mac-vrfs:
  - name: A
    vni: 1000
    attachments:
      - {port: h1, vlan: untagged}
    remote-macs:
      - {mac: "00:c1:ab:00:0a:0a", vtep: 198.18.0.2}
  - name: Q
    vni: 1100
    attachments:
      - {port: h1, vlan: 10}
    remote-vteps: [198.18.0.2]
    remote-macs:
      - {mac: "00:c1:ab:00:0c:0c", vtep: 198.18.0.2}
  - name: IV
    vni: 2000
    allow-inner-vlan: true
    attachments:
      - {port: h2, vlan: untagged}
  - name: J
    vni: 3000
    attachments:
      - {port: jumbo, vlan: untagged}
    remote-macs:
      - {mac: "00:c1:ab:00:0d:0d", vtep: 198.18.0.3}
  - name: BG
    vni: 4000
    attachments:
      - {port: big, vlan: untagged}
    remote-macs:
      - {mac: "00:c1:ab:00:0e:0e", vtep: 198.18.0.3}
  - name: LL
    vni: 5000
    attachments:
      - {port: ll, vlan: untagged}
workers:
  count: 1
  idle-sleep-us: 20
"""

ME, NH = E.ME_MAC, E.NH_MAC
R2, R3 = "198.18.0.2", "198.18.0.3"
RA, RQ, RJ, RBG = ("00:c1:ab:00:0a:0a", "00:c1:ab:00:0c:0c", "00:c1:ab:00:0d:0d",
                   "00:c1:ab:00:0e:0e")
H1, H2, HJ, HB = ("00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:01:03",
                  "00:c1:ab:00:01:04")
R1 = "00:c1:ab:00:02:01"            # remote host (network side)
LINK_LOCAL = "01:80:c2:00:00:0e"

_seq = [0]


def uniq():
    _seq[0] += 1
    return _seq[0]


def unk():
    """A fresh unknown unicast MAC (never a source anywhere)."""
    return E.mac(0x700000 + uniq())


def inner(dst=None, size=80, src=R1, vlan=None):
    n = uniq()
    return host_frame(src, dst or unk(), "198.19.50.%d" % (n % 250 + 1), "198.19.60.1",
                      20000 + n, 4789 + n % 3, size=size, vlan=vlan)


def vx(inner_frame=None, vni=1000, **kw):
    return vxlan4(inner_frame if inner_frame is not None else inner(), vni, src=R2,
                  sport=40000 + uniq(), **kw)


def vx6(inner_frame=None, vni=1000, **kw):
    return vxlan6(inner_frame if inner_frame is not None else inner(), vni, src="2001:2::2",
                  sport=40000 + uniq(), **kw)


def cut_ip4(frame, ip_len, udp_len=None):
    """First 14+ip_len bytes of frame with IPv4 total length ip_len (checksum fixed)
    and optionally the UDP length field rewritten."""
    f = ip4_patch(frame[:14 + ip_len], tot_len=ip_len)
    if udp_len is not None and ip_len >= 28:
        f = udp_patch(f, 34, length=udp_len)
    return f


def add_ip4_options(frame, opts=b"\x01\x01\x01\x00"):
    """Insert IPv4 options (NOP NOP NOP EOL) after the fixed header: IHL 6."""
    tot = struct.unpack_from("!H", frame, 16)[0]
    f = frame[:34] + opts + frame[34:]
    return ip4_patch(f, ihl=5 + len(opts) // 4, tot_len=tot + len(opts))


class Case:
    """One class of input: frames for a port, and what must happen to them."""

    def __init__(self, name, port, frames, drop=None, out=None, out_port=None):
        self.name, self.port, self.frames = name, port, frames
        self.drop = drop            # drop reason (all frames dropped with it)
        self.out = out or []        # frames expected on out_port (forwarded classes)
        self.out_port = out_port


def network_cases():
    C = []
    valid_inner = [inner(size=60 + 7 * i) for i in range(60)]
    C.append(Case("valid VXLAN/IPv4", "uplink", [vx(f) for f in valid_inner[:54]],
                  out=valid_inner[:54], out_port="h1"))
    C.append(Case("valid VXLAN/IPv6", "uplink", [vx6(f) for f in valid_inner[54:]],
                  out=valid_inner[54:], out_port="h1"))

    C.append(Case("truncated Ethernet (10 bytes)", "uplink",
                  [bytes.fromhex("020000000001020000"), bytes.fromhex("02000000000102000000fe")],
                  drop="truncated-eth"))
    C.append(Case("truncated 802.1Q header", "uplink",
                  [E.mac_bytes(ME) + E.mac_bytes(NH) + b"\x81\x00\x00"], drop="truncated-eth"))
    C.append(Case("truncated IPv4 header", "uplink",
                  [vx()[:14 + 12], vx()[:14 + 19]], drop="truncated-ip"))
    C.append(Case("truncated IPv6 header", "uplink", [vx6()[:14 + 30]], drop="truncated-ip"))
    C.append(Case("truncated UDP header", "uplink",
                  [cut_ip4(vx(), 24), cut_ip4(vx(), 27)], drop="truncated-udp"))
    C.append(Case("truncated VXLAN header", "uplink",
                  [cut_ip4(vx(), 32, udp_len=12), cut_ip4(vx(), 35, udp_len=15)],
                  drop="truncated-vxlan"))
    C.append(Case("zero-length UDP payload", "uplink",
                  [cut_ip4(vx(), 28, udp_len=8), cut_ip4(vx(), 28, udp_len=8)],
                  drop="empty-udp-payload"))
    C.append(Case("truncated inner frame", "uplink",
                  [vx(b"\x00\xc1\xab\x00\x01\x01\x00\xc1\xab\x00"), vx(b"\x01" * 13)],
                  drop="truncated-inner"))
    C.append(Case("VXLAN I flag clear", "uplink",
                  [vx(flags=0x00), vx(flags=0x00), vx(flags=0xf7)], drop="bad-flags"))
    rsv = [inner(size=90), inner(size=91)]
    C.append(Case("VXLAN reserved bits set (RFC 7348: ignore)", "uplink",
                  [vx(rsv[0], flags=0xff, reserved1=0xffffff, reserved2=0xff),
                   vx(rsv[1], flags=0x0c, reserved1=0x000001, reserved2=0x01)],
                  out=rsv, out_port="h1"))
    C.append(Case("unknown VNI", "uplink", [vx(vni=999), vx(vni=1), vx(vni=0xffffff)],
                  drop="unknown-vni"))
    # VNI 0 is no MAC-VRF's either; sent after valid packets of the same burst
    C.append(Case("VNI 0", "uplink", [vx(vni=0), vx(vni=0)], drop="unknown-vni"))
    C.append(Case("wrong outer destination IPv4", "uplink",
                  [vx(dst="198.18.0.99"), vx(dst="198.19.0.1")], drop="not-our-vtep"))
    C.append(Case("wrong outer destination IPv6", "uplink", [vx6(dst="2001:2::99")],
                  drop="not-our-vtep"))
    C.append(Case("wrong outer destination MAC", "uplink",
                  [vx(dmac="02:00:00:00:00:99"), vx(dmac="ff:ff:ff:ff:ff:ff")],
                  drop="not-our-mac"))
    C.append(Case("wrong UDP destination port", "uplink", [vx(dport=4790), vx(dport=8472)],
                  drop="not-vxlan"))
    opt = [inner(size=100), inner(size=101)]
    C.append(Case("outer IPv4 options (forwarded)", "uplink",
                  [add_ip4_options(vx(opt[0])), add_ip4_options(vx(opt[1]), b"\x94\x04\x00\x00")],
                  out=opt, out_port="h1"))
    C.append(Case("outer IPv4 fragment (MF)", "uplink",
                  [ip4_patch(vx(), flags_frag=0x2000), ip4_patch(vx(), flags_frag=0x2000)],
                  drop="ip-fragment"))
    C.append(Case("outer IPv4 fragment (offset)", "uplink",
                  [ip4_patch(vx(), flags_frag=100), ip4_patch(vx(), flags_frag=0x4000 | 1)],
                  drop="ip-fragment"))
    C.append(Case("outer IPv6 fragment header", "uplink",
                  [vx6(ext=IPv6ExtHdrFragment(m=1, id=7)),
                   vx6(ext=IPv6ExtHdrFragment(m=0, offset=10, id=8))], drop="ip-fragment"))
    hbh = [inner(size=110), inner(size=111)]
    C.append(Case("outer IPv6 hop-by-hop header (forwarded)", "uplink",
                  [vx6(hbh[0], ext=IPv6ExtHdrHopByHop()), vx6(hbh[1], ext=IPv6ExtHdrHopByHop())],
                  out=hbh, out_port="h1"))
    C.append(Case("IPv4 IHL below 5", "uplink", [ip4_patch(vx(), ihl=4), ip4_patch(vx(), ihl=0)],
                  drop="bad-ip-header-len"))
    f = vx()
    C.append(Case("IPv4 total length beyond the frame / below the header", "uplink",
                  [ip4_patch(f, tot_len=len(f) - 14 + 1), ip4_patch(vx(), tot_len=1500),
                   ip4_patch(vx(), tot_len=19)], drop="bad-ip-length"))
    C.append(Case("bad IPv4 header checksum", "uplink",
                  [ip4_patch(vx(), checksum=0x1234), ip4_patch(vx(), checksum=0),
                   ip4_patch(vx(), checksum=0xffff)], drop="bad-ip-checksum"))
    f1, f2 = vx(), vx()
    C.append(Case("UDP length beyond the IP payload / below 8", "uplink",
                  [udp_patch(f1, 34, length=len(f1) - 34 + 1),
                   udp_patch(f2, 34, length=len(f2) - 34 + 100), udp_patch(vx(), 34, length=4)],
                  drop="bad-udp-length"))
    C.append(Case("IPv4 EtherType, version 6", "uplink", [ip4_patch(vx(), version=6)],
                  drop="bad-ip-version"))
    C.append(Case("non-IP (ARP, LLDP EtherType) on the network port", "uplink",
                  [bytes(Ether(src=NH, dst=ME) / ARP(psrc=R2, pdst=E.ME_V4)),
                   bytes(Ether(src=NH, dst=ME, type=0x88cc) / Raw(b"\x00" * 46))],
                  drop="not-ip"))
    C.append(Case("non-UDP on the network port", "uplink",
                  [bytes(Ether(src=NH, dst=ME) / IP(src=R2, dst=E.ME_V4) / ICMP() / Raw(b"x" * 40)),
                   bytes(Ether(src=NH, dst=ME) / IP(src=R2, dst=E.ME_V4) / TCP(dport=4789)),
                   bytes(Ether(src=NH, dst=ME) / IPv6(src="2001:2::2", dst=E.ME_V6) /
                         TCP(dport=4789))], drop="not-udp"))
    C.append(Case("802.1Q tag on the untagged uplink", "uplink", [vx(vlan=5)],
                  drop="underlay-vlan"))
    C.append(Case("outer packet above the uplink MTU", "uplink",
                  [vx(inner(size=9100 - 36 + 1))], drop="oversize"))
    C.append(Case("inner 802.1Q tag (inner-vlan)", "uplink",
                  [vx(inner(vlan=100)), vx(inner(vlan=4094, size=200))], drop="inner-vlan"))
    iv = [inner(vlan=100, size=120), inner(vlan=7, size=121)]
    C.append(Case("inner 802.1Q tag with allow-inner-vlan (forwarded)", "uplink",
                  [vx(iv[0], vni=2000), vx(iv[1], vni=2000)], out=iv, out_port="h2"))
    C.append(Case("inner multicast / broadcast source MAC", "uplink",
                  [vx(inner(src="01:00:5e:00:00:05")), vx(inner(src="ff:ff:ff:ff:ff:ff"))],
                  drop="bad-src-mac"))
    C.append(Case("inner destination = static remote MAC", "uplink", [vx(inner(dst=RA))],
                  drop="remote-to-remote"))
    C.append(Case("inner frame above h1's MTU", "uplink", [vx(inner(size=1515))],
                  drop="mtu-exceeded"))
    pad = [ARP_inner() for _ in range(2)] + [ARP_inner()]
    C.append(Case("Ethernet padding after the UDP datagram (forwarded, padding removed)",
                  "uplink", [vx(pad[0]) + b"\x00" * 18, vx(pad[1]) + b"\xaa" * 4,
                             vx6(pad[2]) + b"\x00" * 10], out=pad, out_port="h1"))
    return C


def ARP_inner():
    """A 42-byte ARP reply (a short inner frame, never padded inside VXLAN)."""
    n = uniq()
    return bytes(Ether(src=R1, dst=unk()) / ARP(op=2, hwsrc=R1, psrc="198.19.50.%d" % (n % 250),
                                                  pdst="198.19.60.1"))


def access_cases():
    C = []
    ok = [host_frame(H1, RA, "198.19.1.1", "198.19.2.%d" % (i % 200 + 1), 30000 + i, 80,
                     size=(1514 if i % 10 == 3 else 60 + 13 * i)) for i in range(40)]
    C.append(Case("valid h1 -> remote MAC", "h1", ok, out=[("A", f) for f in ok],
                  out_port="uplink"))
    qb = [bcast_frame(H1, vlan=10, ident=i) for i in range(2)]
    C.append(Case("valid h1.10 broadcast (flood list)", "h1", qb,
                  out=[("Q", untag(f)) for f in qb], out_port="uplink"))
    C.append(Case("access: truncated Ethernet / 802.1Q header", "h1",
                  [bytes(12), E.mac_bytes(RA) + E.mac_bytes(H1) + b"\x08",
                   E.mac_bytes(RA) + E.mac_bytes(H1) + b"\x81\x00\x00\x0a"],
                  drop="truncated-eth"))
    C.append(Case("access: frame above the port MTU", "h1",
                  [host_frame(H1, RA, size=1515), host_frame(H1, RA, size=1600),
                   host_frame(H1, RQ, size=1519, vlan=10)], drop="oversize"))
    C.append(Case("access: multicast / broadcast / zero source MAC", "h1",
                  [host_frame("01:00:5e:00:00:01", RA), host_frame("03:00:00:00:00:01", RA),
                   host_frame("ff:ff:ff:ff:ff:ff", RA), host_frame("00:00:00:00:00:00", RA)],
                  drop="bad-src-mac"))
    C.append(Case("access: link-local destination", "h1",
                  [host_frame(H1, LINK_LOCAL), host_frame(H1, LINK_LOCAL, vlan=10),
                   host_frame(H1, "01:80:c2:00:00:00")], drop="link-local-dst"))
    C.append(Case("access: VLAN without attachment", "h1",
                  [host_frame(H1, RA, vlan=99), host_frame(H1, RA, vlan=4095)],
                  drop="no-attachment"))
    C.append(Case("access: LACP EtherType", "h1",
                  [bytes(Ether(src=H1, dst="01:80:c2:00:00:02", type=0x8809) / Raw(b"\x01" * 50))],
                  drop="slow-protocol"))
    C.append(Case("access: QinQ to a remote MAC", "h1",
                  [tag(host_frame(H1, RQ, size=100, vlan=100), 10),
                   tag(host_frame(H1, RQ, size=104, vlan=200), 10)], drop="inner-vlan"))
    C.append(Case("access: QinQ broadcast (never over VXLAN, no other attachment)", "h1",
                  [tag(bcast_frame(H1, vlan=300, ident=77), 10)], drop="no-destination"))
    # jumbo: MTU 9000 access, 9100 uplink
    jok = [host_frame(HJ, RJ, "198.19.3.1", "198.19.3.2", 5000 + i, 80, size=s)
           for i, s in enumerate([9014, 64, 9014, 4000, 2049, 9000])]
    C.append(Case("jumbo: 9000-byte MTU frames (forwarded)", "jumbo", jok,
                  out=[("J", f) for f in jok], out_port="uplink"))
    C.append(Case("jumbo: above the 9000 MTU", "jumbo", [host_frame(HJ, RJ, size=9015)],
                  drop="oversize"))
    bok = [host_frame(HB, RBG, size=s) for s in (64, 9064)]
    C.append(Case("big: encapsulation fits the uplink MTU exactly", "big", bok,
                  out=[("BG", f) for f in bok], out_port="uplink"))
    C.append(Case("big: encapsulation above the uplink MTU", "big",
                  [host_frame(HB, RBG, size=9065), host_frame(HB, RBG, size=9614)],
                  drop="mtu-exceeded"))
    return C


LL_CASE = "inner link-local destination 01:80:c2:00:00:0e"


def interleave(valid, bad):
    """v b v b ... then the rest: every burst of 32 holds both kinds."""
    out = []
    for i in range(max(len(valid), len(bad))):
        if i < len(valid):
            out.append(valid[i])
        if i < len(bad):
            out.append(bad[i])
    return out


VNI_DST = {"A": (1000, R2), "Q": (1100, R2), "J": (3000, R3), "BG": (4000, R3)}


class Malformed(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = network_cases() + access_cases()
        # disputed class: kept apart (own MAC-VRF and port) so it shows on its own
        cls.ll_frames = [inner(dst=LINK_LOCAL, size=64), inner(dst=LINK_LOCAL, size=65)]
        cls.ll = Case(LL_CASE, "uplink", [vx(f, vni=5000) for f in cls.ll_frames],
                      drop="link-local-dst")
        inputs = {}
        for port in ("uplink", "h1", "h2", "jumbo", "big"):
            valid = [f for c in cls.cases if c.port == port and c.drop is None for f in c.frames]
            bad = [f for c in cls.cases + [cls.ll] if c.port == port and c.drop is not None
                   for f in c.frames]
            if port == "uplink":
                # forwarded unusual classes go between the plain valid packets too
                plain = cls.cases[0].frames + cls.cases[1].frames
                unusual = [f for c in cls.cases if c.port == port and c.drop is None
                           and c not in cls.cases[:2] for f in c.frames]
                valid = interleave(plain, unusual)
            inputs[port] = interleave(valid, bad)
            if valid and bad:
                assert len(valid) >= len(bad) - 1, (port, len(valid), len(bad))
        cls.inputs = inputs
        cls.lab = E.Lab("malformed")
        cls.res = cls.lab.run(CONFIG, inputs)

    def expected_out(self, port):
        vals = []
        for c in self.cases:
            if c.out_port == port:
                vals += c.out
        return vals

    def test_h1_gets_exactly_the_valid_decapsulated_frames(self):
        # order: the uplink input order of the forwarded classes
        order = {}
        for c in self.cases:
            if c.out_port == "h1":
                for fr, o in zip(c.frames, c.out):
                    order[fr] = o
        exp = [order[f] for f in self.inputs["uplink"] if f in order]
        self.assertEqual(len(exp), len(self.expected_out("h1")))
        got = self.res.out("h1")
        extra = collections.Counter(got) - collections.Counter(exp)
        if extra:
            self.fail("h1 output has %d unexpected frame(s) (%d, expected %d):\n    %s" % (
                sum(extra.values()), len(got), len(exp), "\n    ".join(
                    "%s... (%d bytes) from class '%s'" % (f[:24].hex(), len(f), self.who_sent(f))
                    for f in extra)))
        self.assertFrames(got, exp, "h1 output (valid + forwarded classes)")

    def who_sent(self, frame):
        for c in self.cases + [self.ll]:
            if any(frame in f for f in c.frames):
                return c.name
        return "?"

    def test_h2_inner_vlan_allowed(self):
        self.assertFrames(self.res.out("h2"), self.expected_out("h2"),
                          "h2 output (allow-inner-vlan: inner tag kept)")

    def test_uplink_gets_exactly_the_valid_encapsulated_frames(self):
        got = collections.defaultdict(list)
        for n, pkt in enumerate(self.res.out("uplink")):
            f = E.parse_vxlan(pkt)
            got[(f["vni"], f["ip_dst"])].append(f["inner"])
            E.assert_vxlan(pkt, inner=f["inner"], vni=f["vni"], dst_ip=f["ip_dst"],
                           what="uplink packet #%d" % n)
        exp = collections.defaultdict(list)
        for bd, fr in self.expected_out("uplink"):
            exp[VNI_DST[bd]].append(fr)
        self.assertEqual(sorted(got), sorted(exp), "(VNI, VTEP) pairs on the uplink")
        for k in exp:
            self.assertFrames(got[k], exp[k], "inner frames VNI %d to %s" % k, ordered=False)

    def test_jumbo_inner_byte_identical(self):
        jumbo = [E.parse_vxlan(p)["inner"] for p in self.res.out("uplink")
                 if E.parse_vxlan(p)["vni"] == 3000]
        sent = [f for c in self.cases if c.port == "jumbo" and c.drop is None for f in c.frames]
        self.assertFrames(jumbo, sent, "jumbo inner frames (in order)")
        self.assertIn(9014 + 50, [len(p) for p in self.res.out("uplink")])

    def test_tshark_agrees(self):
        rows = E.tshark_vxlan(self.res.pcap("uplink"))
        self.assertEqual(len(rows), len(self.expected_out("uplink")))
        E.assert_tshark_inner(rows, [f for _, f in self.expected_out("uplink")],
                              "tshark inner frames on the uplink", ordered=False)
        E.assert_tshark_frames(self.res.pcap("h1"), self.res.out("h1"), "tshark on h1")
        E.assert_tshark_frames(self.res.pcap("h2"), self.expected_out("h2"), "tshark on h2")
        for r in rows:
            self.assertEqual(r["ip_cksum"], E.CKSUM_GOOD, r)
            self.assertIn(r["vni"], ("1000", "1100", "3000", "4000"), r)

    def expected_drops(self, with_ll):
        exp = collections.Counter()
        for c in self.cases + ([self.ll] if with_ll else []):
            if c.drop:
                exp[c.drop] += len(c.frames)
        return exp

    def test_each_class_counts_exactly_its_reason(self):
        """Every drop reason except link-local-dst (checked below) equals the sum of
        the classes that map to it; no other reason is non-zero."""
        exp = self.expected_drops(with_ll=True)
        got = dict(self.res.drops)
        msgs = []
        for reason in sorted(set(exp) | set(got)):
            if reason == "link-local-dst":
                continue
            if exp.get(reason, 0) != got.get(reason, 0):
                classes = ["%s x%d" % (c.name, len(c.frames)) for c in self.cases
                           if c.drop == reason]
                msgs.append("%-20s got %d, expected %d (%s)" % (
                    reason, got.get(reason, 0), exp.get(reason, 0),
                    "; ".join(classes) or "no class sent for it"))
        if msgs:
            self.fail("drop counters:\n    " + "\n    ".join(msgs))

    def test_link_local_dst_access(self):
        acc = sum(len(c.frames) for c in self.cases if c.drop == "link-local-dst")
        self.assertGreaterEqual(self.res.drops.get("link-local-dst", 0), acc,
                                "link-local destinations from h1")

    def test_link_local_dst_from_vxlan_is_not_bridged(self):
        """01:80:c2:00:00:0x is never bridged (802.1Q 8.6.3; evfwd's own drop reason says
        so): the same frames arriving inside VXLAN must not reach a local attachment."""
        self.assertFrames(self.res.out("ll"), [], "ll output (link-local inner destination)")
        self.assertEqual(self.res.drops.get("link-local-dst", 0),
                         self.expected_drops(with_ll=True)["link-local-dst"],
                         "link-local-dst: h1 frames + VXLAN frames")

    def test_port_counters(self):
        p = self.res.ports
        for port in ("uplink", "h1", "h2", "jumbo", "big"):
            self.assertEqual(p[port]["rx_packets"], len(self.inputs[port]), port)
            self.assertEqual(p[port]["rx_bytes"], sum(len(f) for f in self.inputs[port]), port)
        for port in ("uplink", "h1", "jumbo", "big"):
            ndrop = sum(len(c.frames) for c in self.cases if c.port == port and c.drop)
            if port == "uplink":  # the link-local class is checked on its own
                ndrop += (self.res.drops.get("link-local-dst", 0) -
                          sum(len(c.frames) for c in self.cases if c.drop == "link-local-dst"))
            self.assertEqual(p[port]["dropped"], ndrop, "%s dropped" % port)
        self.assertEqual(p["uplink"]["tx_packets"], len(self.expected_out("uplink")))
        self.assertEqual(p["h1"]["tx_packets"], len(self.expected_out("h1")))

    def test_at_least_15_malformed_classes_verified(self):
        """Counts only classes whose evidence holds, each checked on its own: all its
        frames are in the input pcap evfwd read (read back from disk), none of them
        (nor the inner frame it carries, nor its encapsulation) left on any port, and
        the drop counter of its reason equals the frames of the classes mapping to it.
        At least 15 classes and 15 distinct drop reasons must pass."""
        sent = {}
        for port in self.inputs:
            sent[port] = collections.Counter(E.read_pcap(
                os.path.join(self.res.dir, "%s_in.pcap" % port)))
        outputs = [f for port in ("uplink", "h1", "h2", "jumbo", "big", "ll")
                   for f in self.res.out(port)]
        exp = self.expected_drops(with_ll=True)
        verified, failed = [], []
        for c in self.cases + [self.ll]:
            if not c.drop:
                continue
            why = []
            need = collections.Counter(c.frames)
            if any(sent[c.port][f] < n for f, n in need.items()):
                why.append("not all frames in %s_in.pcap" % c.port)
            for f in c.frames:
                # a forwarded frame: the frame itself, its inner frame (a suffix of a
                # VXLAN packet), or the frame encapsulated (a suffix of the packet)
                if len(f) >= 20 and any(o == f or f.endswith(o) or o.endswith(f) or
                                        o.endswith(untag(f)) for o in outputs):
                    why.append("a frame (%d bytes) was forwarded" % len(f))
                    break
            if self.res.drops.get(c.drop, 0) != exp[c.drop]:
                why.append("%s counted %d, expected %d" % (c.drop, self.res.drops.get(c.drop, 0),
                                                           exp[c.drop]))
            (failed if why else verified).append((c, why))
        self.assertEqual([(c.name, why) for c, why in failed], [], "classes not verified")
        self.assertGreaterEqual(len(verified), 15, [c.name for c, _ in verified])
        self.assertGreaterEqual(len({c.drop for c, _ in verified}), 15,
                                sorted({c.drop for c, _ in verified}))

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
