#!/usr/bin/python3
"""make_seeds.py: write the seed corpus of fuzz_pkt (deterministic).

Each seed is one fuzz_pkt input (format in fuzz_pkt.c's header comment):
3 control bytes (ingress port and flags, segmentation, parameters), then
frames as a 2-byte big-endian length followed by the frame. The addresses
match the config built into fuzz_pkt.c.

It also writes the regression inputs kept in test/fuzz/regress/ (--regress
DIR): each reproduces one finding of the fuzzer in lib/ and is run by the
"fuzz-pkt-regress" test; regenerate them with
  test/fuzz/make_seeds.py --regress test/fuzz/regress

usage: make_seeds.py [--seeds DIR] [--regress DIR] [--mkdir DIR]... [--stamp FILE]
"""
import argparse
import os
import struct
import sys

from scapy.config import conf
conf.verb = 0
from scapy.layers.inet import IP, UDP, TCP, ICMP              # noqa: E402
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrHopByHop,     # noqa: E402
                                IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, ICMPv6EchoRequest,
                                ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr,
                                ICMPv6NDOptDstLLAddr)
from scapy.layers.l2 import Ether, Dot1Q, ARP                 # noqa: E402
from scapy.layers.vxlan import VXLAN                          # noqa: E402
from scapy.packet import Raw                                   # noqa: E402

# fuzz_pkt.c config
NODE_MAC = "02:00:00:00:00:03"
SPINE_MAC = "02:00:00:00:00:fe"
VTEP4, VTEP6 = "198.18.0.3", "2001:2::3"
R4_1, R4_2 = "198.18.0.1", "198.18.0.2"
R6_1, R6_2 = "2001:2::1", "2001:2::2"
VNI_BLUE, VNI_RED, VNI_GREEN, VNI_GRAY = 100, 200, 300, 16777215
UPLINK_VLAN = 100
REMOTE_MAC_BLUE4 = "00:c1:ab:00:01:01"   # blue, behind 198.18.0.1
REMOTE_MAC_BLUE6 = "00:c1:ab:00:01:02"   # blue, behind 2001:2::1
REMOTE_MAC_RED = "00:c1:ab:00:02:01"     # red, behind 198.18.0.2
BCAST = "ff:ff:ff:ff:ff:ff"

# byte 0
UPLINK0, UPLINK1, HOST1, HOST2 = 0, 1, 2, 3
CK_UNKNOWN, CK_GOOD, CK_BAD, CK_NONE = 0 << 2, 1 << 2, 2 << 2, 3 << 2
PRESSURE = 1 << 4
CLK_SAME, CLK_NEXT, CLK_AGE, CLK_AGE_FAR = 0 << 5, 1 << 5, 2 << 5, 3 << 5
HEADROOM = 1 << 7


def seg(nsegs=1, style=0, tiny=0):
    """byte 1: segments per frame, split style (0 even, 1 tiny leading,
    2 data-derived, 3 tiny trailing), tiny size parameter."""
    return (nsegs - 1) | (style << 2) | (tiny << 4)


def host(n):
    return "00:00:5e:00:%02x:%02x" % (n >> 8, n & 0xff)


def inner_ip(src, dst, n=0, size=64):
    return (Ether(src=src, dst=dst) / IP(src="10.0.0.%d" % (1 + n % 200), dst="10.0.1.1") /
            UDP(sport=10000 + n, dport=80) / Raw(b"x" * size))


def vx4(inner, vni, vlan=None, src=R4_1, dst=VTEP4, sport=49200, **ipkw):
    eth = Ether(src=SPINE_MAC, dst=NODE_MAC)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    return eth / IP(src=src, dst=dst, ttl=64, **ipkw) / UDP(sport=sport, dport=4789) / \
        VXLAN(vni=vni, flags=0x08) / inner


def vx6(inner, vni, vlan=None, src=R6_1, dst=VTEP6, sport=49300, ext=None):
    eth = Ether(src=SPINE_MAC, dst=NODE_MAC)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    ip6 = IPv6(src=src, dst=dst, hlim=64)
    if ext is not None:
        ip6 = ip6 / ext
    return eth / ip6 / UDP(sport=sport, dport=4789) / VXLAN(vni=vni, flags=0x08) / inner


def seed(b0, b1=0, b2=0, frames=()):
    out = bytes([b0, b1, b2])
    for f in frames:
        f = bytes(f)
        assert len(f) < 0x4000
        out += struct.pack(">H", len(f)) + f
    return out


def seeds():
    s = {}
    arp_bcast = Ether(src=host(1), dst=BCAST) / ARP(psrc="10.0.0.1", pdst="10.0.0.2")

    # ---- ARP/ND on access attachments (blue: gateway 10.0.0.254, fd00::fe;
    # red, VLAN 10: proxy, unknown targets dropped) ----
    gw_mac = "00:00:5e:00:01:01"
    s["acc-arp-gateway"] = seed(HOST1, frames=[
        Ether(src=host(1), dst=BCAST) / ARP(hwsrc=host(1), psrc="10.0.0.1", pdst="10.0.0.254")])
    s["acc-arp-learn-then-proxy"] = seed(HOST1, frames=[
        Ether(src=host(1), dst=BCAST) / ARP(hwsrc=host(1), psrc="10.0.0.1", pdst="10.0.0.254"),
        Ether(src=host(2), dst=BCAST) / ARP(hwsrc=host(2), psrc="10.0.0.2", pdst="10.0.0.1"),
        Ether(src=host(3), dst=BCAST) / ARP(op=2, hwsrc=host(3), psrc="10.0.0.1",
                                           pdst="10.0.0.1")])
    s["acc-arp-spoof-gateway"] = seed(HOST2, frames=[
        Ether(src=host(4), dst=BCAST) / ARP(op=2, hwsrc=host(4), psrc="10.0.0.254",
                                           pdst="10.0.0.254")])
    s["acc-ns-gateway"] = seed(HOST1, frames=[
        Ether(src=host(1), dst="33:33:ff:00:00:fe") / IPv6(src="fd00::1", dst="ff02::1:ff00:fe",
                                                            hlim=255) /
        ICMPv6ND_NS(tgt="fd00::fe") / ICMPv6NDOptSrcLLAddr(lladdr=host(1))])
    s["acc-ns-dad"] = seed(HOST1, frames=[
        Ether(src=host(1), dst="33:33:ff:00:00:09") / IPv6(src="::", dst="ff02::1:ff00:9",
                                                            hlim=255) / ICMPv6ND_NS(tgt="fd00::9")])
    s["acc-na-unsolicited"] = seed(HOST2, frames=[
        Ether(src=host(5), dst="33:33:00:00:00:01") / IPv6(src="fd00::5", dst="ff02::1", hlim=255) /
        ICMPv6ND_NA(tgt="fd00::5", R=1, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=host(5))])
    s["acc-arp-red-unknown"] = seed(HOST1, frames=[
        Ether(src=host(6), dst=BCAST) / Dot1Q(vlan=10) /
        ARP(hwsrc=host(6), psrc="10.2.0.6", pdst="10.2.0.7")])
    s["acc-to-gateway-mac"] = seed(HOST1, frames=[inner_ip(host(1), gw_mac)])

    # ---- network side (VXLAN in) ----
    s["net-v4-blue-arp-bcast"] = seed(UPLINK0, frames=[
        vx4(Ether(src=REMOTE_MAC_BLUE4, dst=BCAST) / ARP(psrc="10.0.0.9", pdst="10.0.0.1"),
            VNI_BLUE)])
    s["net-v4-blue-unknown-unicast"] = seed(UPLINK0, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, host(7)), VNI_BLUE)])
    s["net-v4-red-inner-vlan"] = seed(UPLINK0, frames=[
        vx4(Ether(src=REMOTE_MAC_RED, dst=host(2)) / Dot1Q(vlan=55) / IP(dst="10.2.0.1") /
            ICMP(), VNI_RED, src=R4_2)])
    s["net-v4-blue-inner-vlan-drop"] = seed(UPLINK0, frames=[
        vx4(Ether(src=REMOTE_MAC_BLUE4, dst=host(2)) / Dot1Q(vlan=7) / IP() / ICMP(),
            VNI_BLUE)])
    s["net-v6-green"] = seed(UPLINK0, frames=[
        vx6(Ether(src="00:c1:ab:00:03:01", dst=BCAST) / IPv6(src="fd00::1", dst="ff02::1") /
            ICMPv6EchoRequest(), VNI_GREEN, src=R6_2)])
    s["net-v6-ext-headers"] = seed(UPLINK0, seg(2, 1, 3), frames=[
        vx6(inner_ip(REMOTE_MAC_BLUE6, BCAST), VNI_BLUE,
            ext=IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting())])
    s["net-v4-underlay-vlan"] = seed(UPLINK1, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, host(1)), VNI_BLUE, vlan=UPLINK_VLAN)])
    s["net-v6-underlay-vlan"] = seed(UPLINK1, frames=[
        vx6(inner_ip(REMOTE_MAC_BLUE6, BCAST), VNI_BLUE, vlan=UPLINK_VLAN)])
    s["net-v4-unknown-vni"] = seed(UPLINK0, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, host(1)), 999)])
    s["net-v4-ip-options"] = seed(UPLINK0, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST), VNI_BLUE, options=b"\x94\x04\x00\x00")])
    s["net-v4-fragment"] = seed(UPLINK0, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST), VNI_BLUE, flags="MF")])
    s["net-v4-eth-padding"] = seed(UPLINK0, frames=[
        bytes(vx4(Ether(src=REMOTE_MAC_BLUE4, dst=BCAST) / Raw(b"\x08\x06" + b"\0" * 2),
                  VNI_BLUE)) + b"\0" * 20])
    bad = vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST), VNI_BLUE)
    bad[IP].chksum = 0x1234
    s["net-v4-bad-cksum-offload-good"] = seed(UPLINK0 | CK_GOOD, frames=[bad])
    s["net-v4-bad-cksum"] = seed(UPLINK0 | CK_NONE, frames=[bad])
    s["net-v4-gray"] = seed(UPLINK0, frames=[
        vx4(inner_ip("00:c1:ab:00:04:01", BCAST), VNI_GRAY)])
    s["net-v4-burst32-tiny-segs"] = seed(UPLINK0, seg(4, 1, 0), frames=[
        vx4(inner_ip("00:c1:ab:00:05:%02x" % i, host(i % 3), n=i), (VNI_BLUE, VNI_RED)[i % 2],
            sport=49152 + i) for i in range(32)])
    s["net-v4-4segs-data-derived"] = seed(UPLINK0, seg(4, 2, 5), frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST, size=400), VNI_BLUE)])
    s["net-v4-jumbo"] = seed(UPLINK0, seg(2, 3, 2), frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST, size=8000), VNI_BLUE)])

    # ---- access side ----
    s["acc-host1-arp-bcast"] = seed(HOST1, frames=[arp_bcast])
    s["acc-host1-vlan10-to-remote"] = seed(HOST1, frames=[
        Ether(src=host(2), dst=REMOTE_MAC_RED) / Dot1Q(vlan=10, prio=5) /
        IP(src="10.2.0.2", dst="10.2.0.9") / TCP(sport=1234, dport=443)])
    s["acc-host1-vlan20-v6-bcast"] = seed(HOST1, frames=[
        Ether(src=host(3), dst=BCAST) / Dot1Q(vlan=20) / IPv6(src="fd00::3", dst="ff02::1") /
        ICMPv6EchoRequest()])
    s["acc-host2-to-remote-v6-vtep"] = seed(HOST2, frames=[
        inner_ip(host(4), REMOTE_MAC_BLUE6)])
    s["acc-host2-vlan40-gray"] = seed(HOST2, frames=[
        Ether(src=host(5), dst=BCAST) / Dot1Q(vlan=40) / ARP()])
    s["acc-host1-learn-and-reply"] = seed(HOST1 | CLK_NEXT, frames=[
        inner_ip(host(10), host(11)), inner_ip(host(11), host(10)), inner_ip(host(10), host(11))])
    s["acc-host1-mac-limit"] = seed(HOST1 | CLK_NEXT, frames=[
        inner_ip(host(100 + i), BCAST, n=i) for i in range(10)])
    s["acc-host1-vlan10-double-tag"] = seed(HOST1, frames=[
        Ether(src=host(6), dst=BCAST) / Dot1Q(vlan=10) / Dot1Q(vlan=300) / IP() / ICMP()])
    s["acc-host1-priority-tag"] = seed(HOST1, frames=[
        Ether(src=host(8), dst=BCAST) / Dot1Q(vlan=0, prio=3) / ARP()])
    s["acc-host1-no-attachment"] = seed(HOST1, frames=[
        Ether(src=host(9), dst=BCAST) / Dot1Q(vlan=99) / ARP()])
    s["acc-host2-lacp"] = seed(HOST2, frames=[
        Ether(src=host(12), dst="01:80:c2:00:00:02", type=0x8809) / Raw(b"\x01\x01" + b"\0" * 108)])
    s["acc-host1-stp"] = seed(HOST1, frames=[
        Ether(src=host(13), dst="01:80:c2:00:00:00") / Raw(b"\x42\x42\x03" + b"\0" * 40)])
    s["acc-host1-jumbo-vlan20-pressure"] = seed(HOST1 | PRESSURE, seg(3, 0), 2, frames=[
        Ether(src=host(14), dst=BCAST) / Dot1Q(vlan=20) / IP() / UDP() / Raw(b"j" * 8900)])
    s["acc-host1-no-headroom"] = seed(HOST1 | HEADROOM, seg(1), 0x00, frames=[
        inner_ip(host(15), REMOTE_MAC_BLUE4)])
    s["acc-host2-small-headroom-pressure"] = seed(HOST2 | HEADROOM | PRESSURE, seg(2, 1, 1),
                                                  0x21, frames=[inner_ip(host(16), BCAST)])
    s["acc-host1-age-far"] = seed(HOST1 | CLK_AGE_FAR, frames=[
        inner_ip(host(10), host(11)), Ether(src=host(17), dst=BCAST) / Dot1Q(vlan=20) / ARP()])
    s["acc-host1-age-soon"] = seed(HOST1 | CLK_AGE, seg(2, 3, 4), frames=[
        Ether(src=host(18), dst=host(3)) / Dot1Q(vlan=20) / IP() / ICMP()])
    s["acc-host2-runt"] = seed(HOST2, frames=[b"\x01\x02\x03"])
    return s


def regress():
    """Reproducers of fuzz_pkt findings in lib/: each one fails (ASan, UBSan or
    a fuzz_pkt invariant) on the code it was found in and must pass once the
    bug is fixed."""
    r = {}
    # Found on f01d05f, fixed in bdf6676 ("drop reason 0", "VNI 0").
    # A runt (< 14 bytes) on a network port after a valid VXLAN packet in the
    # same burst: evf_vxlan_parse_outer() returned EVF_DROP_TRUNC_ETH, which
    # was 0 (= success), so network_chunk() took the runt for a VXLAN packet of
    # VNI 0 (o.vni left 0 by the caller); evf_bd_lookup_vni(0) matched an
    # empty slot of the VNI table and returned MAC-VRF 0; the 3-byte frame was
    # read as an inner Ethernet header: ASan use-after-poison (read past the
    # packet data) in network_chunk(), lib/dp/dp_network.c:54.
    r["net-runt-after-vxlan"] = seed(UPLINK0, frames=[
        vx4(inner_ip(REMOTE_MAC_BLUE4, BCAST), VNI_BLUE), b"\x01\x02\x03"])
    # Found on f01d05f, fixed in bdf6676 (evf_ld64/evf_ld32).
    # An 802.1Q priority-tagged ARP broadcast from an access port: after the
    # tag is popped the frame starts 4 bytes off 8-byte alignment and
    # evf_flow_hash() (lib/pkt/evf_pkt.h) loaded *(const uint64_t *)p:
    # UBSan "load of misaligned address".
    r["acc-priority-tag-misaligned-hash"] = seed(HOST1, frames=[
        Ether(src=host(8), dst=BCAST) / Dot1Q(vlan=0, prio=3) / ARP()])
    # Found in the uncommitted work tree before bdf6676, fixed there ("IPv6
    # template copy"). An untagged ARP broadcast flooded to a remote IPv6 VTEP
    # through the uplink with an underlay VLAN (74-byte encap template): two
    # 32-byte moves (0..31, 42..73) left bytes 32..41, the end of the outer
    # IPv6 source address, unwritten (fuzz_pkt: "IPv6 source is not our VTEP").
    r["acc-bcast-ipv6-vtep-tagged-uplink"] = seed(HOST1, frames=[
        Ether(src=host(1), dst=BCAST) / ARP(psrc="10.0.0.1", pdst="10.0.0.2")])
    # Open in bdf6676. Any VXLAN/IPv4 packet received without the RX checksum
    # offload flag: evf_ipv4_cksum_ok() (lib/pkt/evf_pkt.h:163) sums the
    # outer IPv4 header as uint32_t words, but the header sits 14 (or 18)
    # bytes into the frame, 2 bytes off 4-byte alignment: UBSan "load of
    # misaligned address ... for type 'const uint32_t'".
    r["net-v4-misaligned-ipv4-cksum"] = seed(UPLINK0, frames=[
        vx4(Ether(src=REMOTE_MAC_BLUE4, dst=BCAST) / ARP(psrc="10.0.0.9", pdst="10.0.0.1"),
            VNI_BLUE)])
    # Open in bdf6676. A 344-byte UDP frame from host1 (untagged: MAC-VRF
    # blue) to the remote MAC behind the IPv6 VTEP 2001:2::1, received as 3
    # segments of 325, 16 and 3 bytes.
    # evf_vxlan_encap() computes the outer UDP checksum with DPDK 22.11's
    # rte_raw_cksum_mbuf(), which byte-swaps the sum of a segment that starts
    # at an odd offset with rte_bswap16((uint16_t)tmp) before reducing it, so
    # the carries of that segment are lost: the packet leaves with a wrong UDP
    # checksum (fuzz_pkt: "bad UDP checksum over IPv6") and the remote VTEP
    # drops it. Any chain with an odd-length segment followed by one whose
    # words sum above 0xffff is hit (lib/vxlan/evf_vxlan_dp.h, IPv6 encap
    # without UDP checksum offload).
    r["acc-multiseg-ipv6-udp-cksum"] = seed(HOST1, seg(3, 3, 15), frames=[
        Ether(src=host(20), dst=REMOTE_MAC_BLUE6) / IP(src="10.0.0.20", dst="10.0.1.1") /
        UDP(sport=1, dport=2) / Raw(b"\xff" * 302)])
    # Open in bdf6676 (access_chunk() decision cache). Two frames on host1
    # VLAN 20 (MAC-VRF green, allow-inner-vlan false) with the same source and
    # destination MACs; the second still carries a customer tag after the
    # VLAN 20 tag is popped. access_chunk() (lib/dp/dp_access.c) reuses the
    # first frame's decision for every frame with the same attachment, source
    # and destination FDB slot, but decide() also depends on the inner tag:
    # the tagged frame is flooded to green's remote VTEPs instead of being
    # kept off VXLAN (RFC 7348 6.1; fuzz_pkt: "inner 802.1Q tag in MAC-VRF
    # green"). Same for a known remote destination (ACT_TX_VTEP instead of the
    # inner-vlan drop).
    r["acc-inner-tag-decision-cache"] = seed(HOST1, frames=[
        Ether(src=host(30), dst=host(31)) / Dot1Q(vlan=20) / IP() / ICMP(),
        Ether(src=host(30), dst=host(31)) / Dot1Q(vlan=20) / Dot1Q(vlan=5) / IP() / ICMP()])
    return r


def write_dir(d, wanted):
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        if name not in wanted:
            os.unlink(os.path.join(d, name))
    for name, data in sorted(wanted.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds")
    ap.add_argument("--regress")
    ap.add_argument("--mkdir", action="append", default=[])
    ap.add_argument("--stamp")
    a = ap.parse_args()
    for d in a.mkdir:
        os.makedirs(d, exist_ok=True)
    n = 0
    if a.seeds:
        wanted = seeds()
        write_dir(a.seeds, wanted)
        n = len(wanted)
    if a.regress:
        write_dir(a.regress, regress())
    if a.stamp:
        with open(a.stamp, "w") as f:
            f.write("%d seeds\n" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
