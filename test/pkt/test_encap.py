#!/usr/bin/python3
"""test_encap.py: access -> static remote MAC, VXLAN encapsulation.

Run 1 (defaults: UDP 4789, TTL 64, untagged uplink): MAC-VRF V4 (VNI 10100,
host1 untagged, remote MAC behind 198.18.0.2) and MAC-VRF V6 (VNI 10200,
host1 VLAN 30, remote MAC behind 2001:2::2). Every packet on the uplink is
checked field by field (outer MACs, IPv4 DF/TTL/ID 0/checksum/length, IPv6
payload length/hop limit, UDP ports/length/checksum, VXLAN flags/VNI, inner
bytes = sent frame minus the access tag) and again by tshark (IP and UDP
checksum status, VNI). Different inner flows get different UDP source ports,
the same flow always the same one. Jumbo frames (9000-byte MTU) on both
families, including the IPv6 UDP checksum over a chained mbuf.

Run 2 (udp-port 8472, ttl 17, underlay VLAN 100, udp6-zero-checksum): the
same checks with those values; VXLAN received on 8472 in VLAN 100 is
decapsulated, while 4789, untagged and VLAN 101 packets are dropped with
their own counters.
"""
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import host_frame, untag

CONFIG = """
node:
  name: encap
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: 2001:2::1
  mac: 02:00:00:00:00:01
{node_extra}
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 9100
{uplink_extra}
  - name: host1
    device: "{dev:host1}"
    role: access
    mtu: 9000
mac-vrfs:
  - name: V4
    vni: 10100
    attachments:
      - {port: host1, vlan: untagged}
    remote-macs:
      - {mac: "00:c1:ab:00:04:04", vtep: 198.18.0.2}
  - name: V6
    vni: 10200
    attachments:
      - {port: host1, vlan: 30}
    remote-macs:
      - {mac: "00:c1:ab:00:06:06", vtep: "2001:2::2"}
workers:
  count: 1
  idle-sleep-us: 20
"""

H1 = "00:c1:ab:00:01:01"
R4, R6 = "00:c1:ab:00:04:04", "00:c1:ab:00:06:06"
V4_VTEP, V6_VTEP = "198.18.0.2", "2001:2::2"
NFLOWS = 8


def flows(dst, vlan=None, pcp=0):
    """NFLOWS distinct flows (UDP and TCP, different ports/addresses), each sent twice,
    interleaved: returns (frames, flow index per frame)."""
    frames, idx = [], []
    for rep in range(2):
        for i in range(NFLOWS):
            f = host_frame(H1, dst, "198.19.1.%d" % (1 + i % 3), "198.19.9.%d" % (1 + i // 3),
                           10000 + 37 * i, 443 if i % 2 else 53, size=100 + i + 3 * rep,
                           vlan=vlan, pcp=pcp, proto="tcp" if i % 2 else "udp")
            frames.append(f)
            idx.append(i)
    return frames, idx


def make_inputs():
    f4, i4 = flows(R4)
    f6, i6 = flows(R6, vlan=30, pcp=3)
    jumbo4 = host_frame(H1, R4, "198.19.1.1", "198.19.9.1", 1234, 5678, size=9014)
    jumbo6 = host_frame(H1, R6, "198.19.1.1", "198.19.9.2", 1234, 5679, size=9018, vlan=30)
    frames, kinds = [], []
    for a, b, ia, ib in zip(f4, f6, i4, i6):
        frames += [a, b]
        kinds += [("v4", ia), ("v6", ib)]
    frames += [jumbo4, jumbo6]
    kinds += [("v4", "jumbo"), ("v6", "jumbo")]
    return frames, kinds


class EncapBase(E.EvfTestCase):
    node_extra = ""
    uplink_extra = ""
    udp_port = 4789
    ttl = 64
    vlan = None
    zero6 = False
    extra_uplink_in = []

    @classmethod
    def setUpClass(cls):
        cls.frames, cls.kinds = make_inputs()
        cfg = (CONFIG.replace("{node_extra}", cls.node_extra)
               .replace("{uplink_extra}", cls.uplink_extra))
        cls.lab = E.Lab("encap")
        cls.res = cls.lab.run(cfg, {"host1": cls.frames, "uplink": cls.extra_uplink_in()})

    def expected_inner(self):
        return [f if k[0] == "v4" else untag(f) for f, k in zip(self.frames, self.kinds)]

    def test_count(self):
        self.assertEqual(len(self.res.out("uplink")), len(self.frames),
                         "one VXLAN packet per access frame")

    def test_fields(self):
        out = self.res.out("uplink")
        self.assertEqual(len(out), len(self.frames))
        for n, (pkt, f, k) in enumerate(zip(out, self.frames, self.kinds)):
            v4 = k[0] == "v4"
            E.assert_vxlan(pkt, inner=f if v4 else untag(f), vni=10100 if v4 else 10200,
                           dst_ip=V4_VTEP if v4 else V6_VTEP, vlan=self.vlan, ttl=self.ttl,
                           udp_dport=self.udp_port, udp6_zero_checksum=self.zero6,
                           what="uplink packet #%d (%s flow %s)" % (n, k[0], k[1]))

    def test_udp_source_ports(self):
        out = self.res.out("uplink")
        ports = {}
        for pkt, k in zip(out, self.kinds):
            ports.setdefault(k, set()).add(E.parse_vxlan(pkt)["udp_sport"])
        for k, s in ports.items():
            self.assertEqual(len(s), 1, "flow %s got several UDP source ports %s" % (k, s))
        for fam in ("v4", "v6"):
            per_flow = [next(iter(ports[(fam, i)])) for i in range(NFLOWS)]
            self.assertEqual(len(set(per_flow)), NFLOWS,
                             "%s: %d inner flows share UDP source ports: %s"
                             % (fam, NFLOWS, per_flow))

    def test_tshark(self):
        rows = E.tshark_vxlan(self.res.pcap("uplink"), self.udp_port)
        self.assertEqual(len(rows), len(self.frames))
        for n, (r, k) in enumerate(zip(rows, self.kinds)):
            v4 = k[0] == "v4"
            what = "tshark packet #%d (%s): %s" % (n, k[0], r)
            self.assertEqual(r["vni"], "10100" if v4 else "10200", what)
            self.assertEqual(r["flags"], "0x0800", what)  # I flag only
            self.assertEqual(r["dport"], str(self.udp_port), what)
            self.assertEqual(r["vlan"], "" if self.vlan is None else str(self.vlan), what)
            if v4:
                self.assertEqual(r["ip_cksum"], E.CKSUM_GOOD, what)
                self.assertEqual(r["udp_cksum"], E.CKSUM_NOT_PRESENT, what)
                self.assertEqual(r["ttl"], str(self.ttl), what)
                self.assertEqual(r["ip_dst"], V4_VTEP, what)
                self.assertEqual(r["ip_src"], E.ME_V4, what)
            else:
                # tshark calls a zero UDP checksum over IPv6 "illegal" (RFC 8200);
                # udp6-zero-checksum asks for exactly that (RFC 6935)
                self.assertEqual(r["udp_cksum"], E.CKSUM_ILLEGAL if self.zero6
                                 else E.CKSUM_GOOD, what)
                self.assertEqual(r["hlim"], str(self.ttl), what)
                self.assertEqual(r["ip6_dst"], V6_VTEP, what)
                self.assertEqual(r["ip6_src"], E.ME_V6, what)
        # the inner frame tshark finds after the VXLAN header is byte-identical
        E.assert_tshark_inner(rows, [f if k[0] == "v4" else untag(f)
                                     for f, k in zip(self.frames, self.kinds)],
                              "tshark inner frames")

    def test_jumbo_inner_identical(self):
        out = self.res.out("uplink")
        got = [E.parse_vxlan(p)["inner"] for p in out[-2:]]
        self.assertEqual(len(got[0]), 9014)
        self.assertEqual(got[0], self.frames[-2], "IPv4 jumbo inner frame differs")
        self.assertEqual(got[1], untag(self.frames[-1]), "IPv6 jumbo inner frame differs")

    def test_no_drops(self):
        self.res.assert_drops(self.expected_drops())

    def expected_drops(self):
        return {}

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class EncapDefaults(EncapBase):
    """Defaults: UDP 4789, TTL 64, untagged underlay, UDP checksum over IPv6."""

    @staticmethod
    def extra_uplink_in():
        return []


R_IN = "00:c1:ab:00:05:05"
DEC_OK = [host_frame(R_IN, H1, "198.19.5.5", "198.19.1.1", 999, 53, size=77 + i) for i in range(3)]


def _decap_inputs():
    """VXLAN towards run 2's node: on 8472 in VLAN 100 (accepted), on 4789
    (not-vxlan), untagged / VLAN 101 (underlay-vlan)."""
    pk = []
    for f in DEC_OK:
        pk.append(E.vxlan4(f, 10100, src=V4_VTEP, dport=8472, vlan=100))
    pk.append(E.vxlan6(DEC_OK[0], 10100, src=V6_VTEP, dport=8472, vlan=100))
    pk.append(E.vxlan4(DEC_OK[0], 10100, src=V4_VTEP, dport=4789, vlan=100))
    pk.append(E.vxlan4(DEC_OK[0], 10100, src=V4_VTEP, dport=8472))
    pk.append(E.vxlan4(DEC_OK[0], 10100, src=V4_VTEP, dport=8472, vlan=101))
    return pk


class EncapConfigured(EncapBase):
    """udp-port 8472, ttl 17, underlay VLAN 100, udp6-zero-checksum true."""
    node_extra = "  udp-port: 8472\n  ttl: 17\n  udp6-zero-checksum: true"
    uplink_extra = "    vlan: 100"
    udp_port = 8472
    ttl = 17
    vlan = 100
    zero6 = True

    @staticmethod
    def extra_uplink_in():
        return _decap_inputs()

    def expected_drops(self):
        return {"not-vxlan": 1, "underlay-vlan": 2}

    def test_decap_on_configured_port(self):
        # the three IPv4 and the one IPv6 packet on UDP 8472 in VLAN 100 reach host1 (H1
        # learned or not, host1 is the only attachment of V4); the others are dropped
        got = self.res.out("host1")
        self.assertFrames(got, DEC_OK + DEC_OK[:1], "host1 output (VXLAN on UDP 8472, VLAN 100)",
                          ordered=False)


del EncapBase

if __name__ == "__main__":
    E.main()
