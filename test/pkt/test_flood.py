#!/usr/bin/python3
"""test_flood.py: BUM flooding from access ports with a 3-VTEP flood list.

MAC-VRF F (VNI 7000): host1 untagged, host2 untagged, host3 VLAN 10, remote
VTEPs 198.18.0.2, 198.18.0.3 and 2001:2::4. MAC-VRF G (VNI 7001): host3 VLAN
20, VTEP 198.18.0.5 (must see nothing). Broadcast, unknown unicast and
multicast frames from host1, host2 and host3.10 must reach:
  * each of the 3 VTEPs exactly once per input frame (inner = frame minus the
    access tag, VNI 7000, all fields checked, tshark agrees);
  * every other local attachment of F exactly once (host3 with tag 10 pushed,
    keeping the ingress PCP);
  * never the ingress attachment, never MAC-VRF G, nothing else; no drops.
"""
import collections

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag, untag

CONFIG = """
node:
  name: flood
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: 2001:2::1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
  - name: host1
    device: "{dev:host1}"
    role: access
  - name: host2
    device: "{dev:host2}"
    role: access
  - name: host3
    device: "{dev:host3}"
    role: access
mac-vrfs:
  - name: F
    vni: 7000
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: untagged}
      - {port: host3, vlan: 10}
    remote-vteps: [198.18.0.2, 198.18.0.3, "2001:2::4"]
  - name: G
    vni: 7001
    attachments:
      - {port: host3, vlan: 20}
    remote-vteps: [198.18.0.5]
workers:
  count: 1
  idle-sleep-us: 20
"""

H1, H2, H3 = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:01:03"
VTEPS = ["198.18.0.2", "198.18.0.3", "2001:2::4"]


def unk(i):
    return E.mac(0x0f0000 + i)


def inputs():
    h1 = []
    for i in range(5):
        h1.append(bcast_frame(H1, ident=i))
        h1.append(host_frame(H1, unk(i), "198.19.1.1", "198.19.7.%d" % i, 4000 + i, 80,
                             size=64 + 10 * i))
    for i in range(3):
        h1.append(host_frame(H1, "01:00:5e:00:00:%02x" % (i + 1), "198.19.1.1",
                             "224.0.0.%d" % (i + 1), 5000, 5000, size=70))
    h1.append(host_frame(H1, "33:33:00:00:00:01", "198.19.1.1", "198.19.7.99", 1, 2, size=1514))
    h2 = [bcast_frame(H2, ident=100), host_frame(H2, unk(50), size=200)]
    h3 = []
    for i in range(2):
        h3.append(bcast_frame(H3, vlan=10, pcp=5, ident=200 + i))
        h3.append(host_frame(H3, unk(100 + i), "198.19.1.3", "198.19.7.1", 6000 + i, 80,
                             size=128, vlan=10, pcp=5))
    return {"host1": h1, "host2": h2, "host3": h3}


class Flood(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.inp = inputs()
        cls.lab = E.Lab("flood")
        cls.res = cls.lab.run(CONFIG, cls.inp)
        # normalized (untagged) frames by ingress port
        cls.norm = {"host1": cls.inp["host1"], "host2": cls.inp["host2"],
                    "host3": [untag(f) for f in cls.inp["host3"]]}
        cls.all_norm = cls.norm["host1"] + cls.norm["host2"] + cls.norm["host3"]

    def test_host1_gets_others_only(self):
        self.assertFrames(self.res.out("host1"), self.norm["host2"] + self.norm["host3"],
                          "host1 output", ordered=False)

    def test_host2_gets_others_only(self):
        self.assertFrames(self.res.out("host2"), self.norm["host1"] + self.norm["host3"],
                          "host2 output", ordered=False)

    def test_host3_tagged_copies(self):
        exp = [tag(f, 10) for f in self.norm["host1"] + self.norm["host2"]]
        self.assertFrames(self.res.out("host3"), exp, "host3 output (VLAN 10, PCP 0)",
                          ordered=False)

    def test_each_vtep_one_copy_per_frame(self):
        per_vtep = collections.defaultdict(list)
        sport_of = collections.defaultdict(set)
        for n, pkt in enumerate(self.res.out("uplink")):
            f = E.parse_vxlan(pkt)
            per_vtep[f["ip_dst"]].append(f["inner"])
            E.assert_vxlan(pkt, inner=f["inner"], vni=7000, dst_ip=f["ip_dst"],
                           what="uplink packet #%d" % n)
            sport_of[f["inner"]].add(f["udp_sport"])
        self.assertEqual(sorted(per_vtep), sorted(VTEPS), "VTEPs that received copies")
        for v in VTEPS:
            self.assertFrames(per_vtep[v], self.all_norm, "inner frames sent to VTEP %s" % v,
                              ordered=False)
        for inner, ports in sport_of.items():
            self.assertEqual(len(ports), 1, "copies of one frame with different UDP source "
                             "ports %s" % ports)

    def test_tshark(self):
        rows = E.tshark_vxlan(self.res.pcap("uplink"))
        self.assertEqual(len(rows), 3 * len(self.all_norm))
        cnt = collections.Counter(r["ip6_dst"] or r["ip_dst"] for r in rows)
        self.assertEqual(cnt, {v: len(self.all_norm) for v in VTEPS})
        for v in VTEPS:
            E.assert_tshark_inner([r for r in rows if (r["ip6_dst"] or r["ip_dst"]) == v],
                                  self.all_norm, "tshark inner frames to %s" % v, ordered=False)
        for r in rows:
            self.assertEqual(r["vni"], "7000", r)
            if r["ip6_dst"]:
                self.assertEqual(r["udp_cksum"], E.CKSUM_GOOD, r)
            else:
                self.assertEqual(r["ip_cksum"], E.CKSUM_GOOD, r)

    def test_counters(self):
        self.res.assert_drops({})
        p = self.res.ports
        n1, n2, n3 = (len(self.inp[k]) for k in ("host1", "host2", "host3"))
        self.assertEqual(p["uplink"]["tx_packets"], 3 * (n1 + n2 + n3))
        self.assertEqual(p["host1"]["tx_packets"], n2 + n3)
        self.assertEqual(p["host2"]["tx_packets"], n1 + n3)
        self.assertEqual(p["host3"]["tx_packets"], n1 + n2)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
