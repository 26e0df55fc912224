#!/usr/bin/python3
"""make_nd_seeds.py: the seed corpus of fuzz_nd (deterministic): byte 0
(bit 0: IPv6, bit 1: fix the ICMPv6 checksum up), 6 bytes of Ethernet source, then the message after the
Ethernet header: ARP request, reply, gratuitous, probe; NS, DAD NS, NA
solicited and unsolicited, an NS with an unknown option.

usage: make_nd_seeds.py --seeds DIR [--mkdir DIR]... [--stamp FILE]
"""
import argparse
import os

from scapy.config import conf
conf.verb = 0
from scapy.layers.inet6 import (IPv6, ICMPv6ND_NS, ICMPv6ND_NA,  # noqa: E402
                                ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, ICMPv6NDOptMTU)
from scapy.layers.l2 import ARP  # noqa: E402

MAC = "02:00:00:00:01:01"


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def seeds():
    a = bytes([0]) + mac_bytes(MAC)
    v6 = bytes([3]) + mac_bytes(MAC)     # IPv6, checksum fixed up by the harness
    s = {
        "arp-request": a + bytes(ARP(op=1, hwsrc=MAC, psrc="198.19.1.10", pdst="198.19.1.1")),
        "arp-reply": a + bytes(ARP(op=2, hwsrc=MAC, psrc="198.19.1.10", hwdst="02:00:00:00:00:01",
                                   pdst="198.19.1.1")),
        "arp-garp": a + bytes(ARP(op=1, hwsrc=MAC, psrc="198.19.1.10", pdst="198.19.1.10")),
        "arp-probe": a + bytes(ARP(op=1, hwsrc=MAC, psrc="0.0.0.0", pdst="198.19.1.10")),
        "ns": v6 + bytes(IPv6(src="2001:db8:1::10", dst="ff02::1:ff00:1", hlim=255) /
                         ICMPv6ND_NS(tgt="2001:db8:1::1") / ICMPv6NDOptSrcLLAddr(lladdr=MAC)),
        "ns-dad": v6 + bytes(IPv6(src="::", dst="ff02::1:ff00:10", hlim=255) /
                             ICMPv6ND_NS(tgt="2001:db8:1::10")),
        "ns-unknown-option": v6 + bytes(IPv6(src="2001:db8:1::10", dst="2001:db8:1::1", hlim=255) /
                                        ICMPv6ND_NS(tgt="2001:db8:1::1") / ICMPv6NDOptMTU() /
                                        ICMPv6NDOptSrcLLAddr(lladdr=MAC)),
        "na-solicited": v6 + bytes(IPv6(src="2001:db8:1::10", dst="2001:db8:1::1", hlim=255) /
                                   ICMPv6ND_NA(tgt="2001:db8:1::10", R=1, S=1, O=1) /
                                   ICMPv6NDOptDstLLAddr(lladdr=MAC)),
        "na-unsolicited": v6 + bytes(IPv6(src="2001:db8:1::10", dst="ff02::1", hlim=255) /
                                     ICMPv6ND_NA(tgt="2001:db8:1::10", R=0, S=0, O=1) /
                                     ICMPv6NDOptDstLLAddr(lladdr=MAC)),
    }
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--mkdir", action="append", default=[])
    ap.add_argument("--stamp")
    args = ap.parse_args()
    os.makedirs(args.seeds, exist_ok=True)
    for d in args.mkdir:
        os.makedirs(d, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(args.seeds, name), "wb") as fh:
            fh.write(data)
    if args.stamp:
        with open(args.stamp, "w") as fh:
            fh.write("ok\n")


if __name__ == "__main__":
    main()
