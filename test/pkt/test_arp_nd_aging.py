#!/usr/bin/python3
"""test_arp_nd_aging.py: unicast probes before a binding ages (RFC 9161 3.1,
doc/l3.md "Aging and probes"), at the smallest binding-aging allowed (60 s):
the run takes about 62 s.

host1 (00:c1:ab:00:00:01, 198.19.1.10, 2001:db8:1::10) asks for the gateway
by ARP and NS once: both bindings are learned. The host never answers
again. In the last tenth of the binding's life (from 54 s) evfwd sends 3
ARP probes (unicast to the host's MAC, from the gateway MAC and gateway
address) and 3 NS probes (from the IPv6 gateway address, to the host's
address, SLLA the gateway MAC), one a second, out of host1 only; at 60 s both
bindings are gone ("aged 2"). Probes field by field (byte-identical to
scapy's build) and by tshark (ICMPv6 checksum good).
"""
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from scapy.all import ARP, IPv6, Ether, Raw, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr  # noqa: E402
from test_arp_nd import (GW_MAC, GW4, GW6, H1, H1_4, H1_6, arp_req, ns, config,  # noqa: E402
                         rows_by_addr, shell_counter, ArpNdCase)


def arp_probe():
    return bytes(Ether(src=GW_MAC, dst=H1) / ARP(op=1, hwsrc=GW_MAC, psrc=GW4,
                                                 hwdst="00:00:00:00:00:00", pdst=H1_4)
                 / Raw(b"\0" * 18))


def ns_probe():
    return bytes(Ether(src=GW_MAC, dst=H1) / IPv6(src=GW6, dst=H1_6, hlim=255)
                 / ICMPv6ND_NS(tgt=H1_6) / ICMPv6NDOptSrcLLAddr(lladdr=GW_MAC))


class ProbesBeforeAging(ArpNdCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("arp-nd-aging")
        cls.res = cls.lab.run(
            config(["host1", "host3"], arpnd="binding-aging: 60"),
            {"host1": [arp_req(H1, H1_4, GW4), ns(H1, H1_6, GW6)]},
            cmds=["wait idle 300", "show arp", "show nd", "sleep 50000", "show irb",
                  "sleep 7500", "show irb", "sleep 4000", "show arp", "show nd", "show irb"],
            timeout=100)

    def test_learned_then_aged(self):
        self.assertIn(H1_4, rows_by_addr(self.res.table("show arp", 0)))
        self.assertIn(H1_6, rows_by_addr(self.res.table("show nd", 0)))
        self.assertEqual(set(rows_by_addr(self.res.table("show arp", 1))), {GW4, "198.19.1.2"})
        self.assertEqual(set(rows_by_addr(self.res.table("show nd", 1))), {GW6})

    def test_probe_counters(self):
        irb = ["\n".join(o) for o in self.res.outputs_of("show irb")]
        got = [(shell_counter(t, "probes"), shell_counter(t, "probes not sent"),
                shell_counter(t, "aged")) for t in irb]
        # 50 s: none yet; 57.5 s: 3 ARP + 3 NS probes; 61.5 s: both aged
        self.assertEqual(got, [(0, 0, 0), (6, 0, 0), (6, 0, 2)], irb[-1])

    def test_probes_on_the_wire(self):
        out = self.res.out("host1")
        self.assertEqual(len(out), 2 + 6, "2 answers and 6 probes, got %d frames" % len(out))
        self.check_arp_reply(out[0], H1, H1_4, GW_MAC, GW4)
        self.check_na(out[1], H1, H1_6, GW_MAC, GW6, 1)
        probes = out[2:]
        self.assertFrames(probes, [arp_probe()] * 3 + [ns_probe()] * 3, "probes", ordered=False)
        for fr in probes:
            p = Ether(fr)
            self.assertEqual((p.dst, p.src), (H1, GW_MAC))
            if ARP in p:
                self.assertEqual((p[ARP].op, p[ARP].psrc, p[ARP].pdst, p[ARP].hwsrc),
                                 (1, GW4, H1_4, GW_MAC))
            else:
                self.assertEqual((p[IPv6].src, p[IPv6].dst, p[IPv6].hlim), (GW6, H1_6, 255))
                self.assertEqual(p[ICMPv6ND_NS].tgt, H1_6)
                self.assertEqual(p[ICMPv6NDOptSrcLLAddr].lladdr, GW_MAC)
        rows = E.tshark_fields(self.res.pcap("host1"), [
            "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "icmpv6.type",
            "icmpv6.checksum.status", "icmpv6.nd.ns.target_address", "icmpv6.opt.linkaddr"])[2:]
        self.assertEqual(sorted(rows), sorted(
            [("1", GW4, H1_4, "", "", "", "")] * 3 + [("", "", "", "135", E.CKSUM_GOOD, H1_6,
                                                      GW_MAC)] * 3))
        for p in ["host3", "uplink"]:
            self.assertFrames(self.res.out(p), [], p + ": probes go to the host only")
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
