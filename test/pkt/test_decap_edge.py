#!/usr/bin/python3
"""test_decap_edge.py: jumbo frames and QinQ on the decapsulation side.

Ports / MAC-VRFs:
  uplink   network, untagged underlay, MTU 9100 (VTEP 198.18.0.1 / 2001:2::1)
  uplink2  network, underlay VLAN 100, MTU 1600
  jumbo    access MTU 9000: untagged -> J (VNI 3000), VLAN 30 -> JT (VNI 3001)
  q1       access -> Q1 (VNI 4000, inner VLAN tags dropped: the default)
  q2       access -> Q2 (VNI 4001, allow-inner-vlan: true)

Jumbo: VXLAN over IPv4 and IPv6 carrying inner frames of 9014 bytes (9000
MTU + Ethernet header), 9000, 4000 and 64 bytes arrive on the 9100-MTU
uplink and leave on jumbo byte-identical (VNI 3001: with tag 30 pushed, 9018
bytes on the wire); 9015-byte inner frames (one above jumbo's MTU) are
dropped under mtu-exceeded, in both MAC-VRFs.

QinQ, what evfwd does with each (the underlay parser knows the 802.1Q TPID
0x8100 only; an outer 802.1ad 0x88a8 tag is an EtherType like any other; an
inner frame starting with either tag carries an inner VLAN):
  outer 8100/8100 on the untagged uplink        -> underlay-vlan (a tag that
                                                   is not the underlay's)
  outer 88a8/8100 on the untagged uplink        -> not-ip
  outer 8100(100)/8100(200) on uplink2 (VLAN 100) -> not-ip (IPv4/IPv6 must
                                                   follow the one underlay tag)
  outer 88a8(100)/8100(100) on uplink2          -> underlay-vlan
  inner 8100/8100 in VNI 4000                   -> inner-vlan (RFC 7348 6.1)
  inner 8100/8100 in VNI 4001 (allow-inner-vlan) -> forwarded unchanged
  inner 88a8/8100 in VNI 4000                   -> inner-vlan (an S-tag is a
                                                   VLAN tag too)
  inner 88a8/8100 in VNI 4001 (allow-inner-vlan) -> forwarded unchanged
Valid packets are interleaved with these in every burst and must all be
forwarded; each drop reason counts exactly its frames; tshark reads the same
frames from every output; no mbuf leak.
"""
import collections

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import host_frame, tag, vxlan4, vxlan6  # noqa: E402

CONFIG = """
node:
  name: decap-edge
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: 2001:2::1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 9100
  - name: uplink2
    device: "{dev:uplink2}"
    role: network
    next-hop-mac: 02:00:00:00:00:fd
    vlan: 100
    mtu: 1600
  - name: jumbo
    device: "{dev:jumbo}"
    role: access
    mtu: 9000
  - name: q1
    device: "{dev:q1}"
    role: access
  - name: q2
    device: "{dev:q2}"
    role: access
mac-vrfs:
  - name: J
    vni: 3000
    attachments:
      - {port: jumbo, vlan: untagged}
  - name: JT
    vni: 3001
    attachments:
      - {port: jumbo, vlan: 30}
  - name: Q1
    vni: 4000
    attachments:
      - {port: q1, vlan: untagged}
  - name: Q2
    vni: 4001
    allow-inner-vlan: true
    attachments:
      - {port: q2, vlan: untagged}
workers:
  count: 1
  idle-sleep-us: 20
"""

R = "198.18.0.2"
R6 = "2001:2::2"
RMAC = "00:c1:ab:00:02:01"      # remote host
HJ, HQ = "00:c1:ab:00:01:03", "00:c1:ab:00:01:04"

_n = [0]


def inner(dst, size, vlan=None):
    _n[0] += 1
    n = _n[0]
    return host_frame(RMAC, dst, "198.19.7.%d" % (n % 250 + 1), "198.19.8.1", 10000 + n, 9,
                      size=size, vlan=vlan)


def vx(frame, vni, **kw):
    _n[0] += 1
    return vxlan4(frame, vni, src=R, sport=40000 + _n[0], **kw)


def qinq(frame, outer_vid, tpid=0x8100):
    """Push a second tag in front of frame's 802.1Q tag."""
    return tag(frame, outer_vid, tpid=tpid)


def interleave(valid, bad):
    out = []
    for i in range(max(len(valid), len(bad))):
        out += valid[i:i + 1] + bad[i:i + 1]
    return out


class DecapEdge(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        # ---- jumbo ----
        c.j_ok = [inner(HJ, s) for s in (9014, 64, 9000, 4000, 9014)]
        c.j6_ok = [inner(HJ, 9014)]
        c.jt_ok = [inner(HJ, s) for s in (9014, 100)]
        c.j_big = [inner(HJ, 9015), inner(HJ, 9015)]
        c.jt_big = [inner(HJ, 9015)]
        # ---- QinQ in the payload ----
        c.q1_ok = [inner(HQ, 80 + i) for i in range(6)]
        c.q1_qinq = [qinq(inner(HQ, 120, vlan=20), 10), qinq(inner(HQ, 121, vlan=21), 11)]
        c.q1_ad = [qinq(inner(HQ, 122, vlan=22), 12, tpid=0x88a8)]
        c.q2_qinq = [qinq(inner(HQ, 130, vlan=30), 13), qinq(inner(HQ, 131, vlan=31), 14)]
        c.q2_ad = [qinq(inner(HQ, 132, vlan=32), 15, tpid=0x88a8)]
        # ---- QinQ in the underlay ----
        c.u_qinq = [qinq(tag(vx(inner(HQ, 90), 4000), 6), 5),
                    qinq(tag(vx(inner(HQ, 91), 4000), 7), 5)]              # underlay-vlan
        c.u_ad = [qinq(tag(vx(inner(HQ, 92), 4000), 6), 5, tpid=0x88a8)]   # not-ip
        c.u2_ok_inner = [inner(HQ, 70 + i) for i in range(4)]
        c.u2_ok = [vx(f, 4000, vlan=100) for f in c.u2_ok_inner]
        c.u2_qinq = [tag(vx(inner(HQ, 93), 4000, vlan=200), 100),
                     tag(vx(inner(HQ, 94), 4000, vlan=100), 100)]          # not-ip
        c.u2_ad = [tag(vx(inner(HQ, 95), 4000, vlan=100), 100, tpid=0x88a8)]  # underlay-vlan

        valid = ([vx(f, 3000) for f in c.j_ok[:3]] +
                 [vxlan6(f, 3000, src=R6, sport=41000) for f in c.j6_ok] +
                 [vx(f, 3000) for f in c.j_ok[3:]] + [vx(f, 3001) for f in c.jt_ok] +
                 [vx(f, 4000) for f in c.q1_ok] +
                 [vx(f, 4001) for f in c.q2_qinq + c.q2_ad])
        bad = ([vx(f, 3000) for f in c.j_big] + [vx(f, 3001) for f in c.jt_big] +
               [vx(f, 4000) for f in c.q1_qinq + c.q1_ad] + c.u_qinq + c.u_ad)
        c.inputs = {"uplink": interleave(valid, bad),
                    "uplink2": interleave(c.u2_ok, c.u2_qinq + c.u2_ad)}
        c.lab = E.Lab("decap_edge")
        c.res = c.lab.run(CONFIG, c.inputs)

    # ---- jumbo ----
    def test_jumbo_byte_identical(self):
        exp = self.j_ok[:3] + self.j6_ok + self.j_ok[3:] + [tag(f, 30) for f in self.jt_ok]
        out = self.res.out("jumbo")
        self.assertFrames(out, exp, "jumbo output")
        self.assertEqual(sorted(len(f) for f in out if len(f) > 9000),
                         [9014, 9014, 9014, 9018], "jumbo frame sizes on the wire")

    def test_jumbo_above_mtu_dropped(self):
        self.assertEqual(self.res.drops.get("mtu-exceeded"), len(self.j_big) + len(self.jt_big))
        out = self.res.out("jumbo")
        for f in self.j_big + self.jt_big:
            self.assertNotIn(f, out)
            self.assertNotIn(tag(f, 30), out)

    def test_tshark_jumbo(self):
        E.assert_tshark_frames(self.res.pcap("jumbo"), self.res.out("jumbo"), "tshark on jumbo")
        vids = [x["layers"]["vlan"][0]["fields"]["vlan.id"] if x["layers"]["vlan"] else None
                for x in E.tshark_dissect(self.res.pcap("jumbo"))]
        self.assertEqual(vids, [None] * 6 + ["30", "30"])

    # ---- QinQ ----
    def test_q1_gets_only_untagged_inner(self):
        # inner 8100/8100 and 88a8/8100 are dropped (inner-vlan) in VNI 4000
        exp = self.q1_ok + self.u2_ok_inner
        self.assertFrames(self.res.out("q1"), exp, "q1 output", ordered=False)
        out = self.res.out("q1")
        for f in self.q1_qinq + self.q1_ad:
            self.assertNotIn(f, out)
        self.assertEqual([f for f in out if f in self.q1_ok], self.q1_ok,
                         "uplink frames in order")
        self.assertEqual([f for f in out if f in self.u2_ok_inner], self.u2_ok_inner,
                         "uplink2 frames in order")

    def test_q2_allow_inner_vlan_keeps_both_tags(self):
        self.assertFrames(self.res.out("q2"), self.q2_qinq + self.q2_ad, "q2 output")

    def test_tshark_qinq_outputs(self):
        E.assert_tshark_frames(self.res.pcap("q2"), self.q2_qinq + self.q2_ad, "tshark on q2")
        E.assert_tshark_frames(self.res.pcap("q1"), self.res.out("q1"), "tshark on q1")

    def test_drop_counters(self):
        self.res.assert_drops({
            "mtu-exceeded": len(self.j_big) + len(self.jt_big),
            "inner-vlan": len(self.q1_qinq) + len(self.q1_ad),
            "underlay-vlan": len(self.u_qinq) + len(self.u2_ad),
            "not-ip": len(self.u_ad) + len(self.u2_qinq),
        })

    def test_port_counters(self):
        p = self.res.ports
        for port in ("uplink", "uplink2"):
            self.assertEqual(p[port]["rx_packets"], len(self.inputs[port]), port)
            self.assertEqual(p[port]["rx_bytes"], sum(len(f) for f in self.inputs[port]), port)
            self.assertEqual(p[port]["tx_packets"], 0, port)
        self.assertEqual(p["uplink"]["dropped"], len(self.j_big) + len(self.jt_big) +
                         len(self.q1_qinq) + len(self.q1_ad) + len(self.u_qinq) + len(self.u_ad))
        self.assertEqual(p["uplink2"]["dropped"], len(self.u2_qinq) + len(self.u2_ad))
        for port in ("jumbo", "q1", "q2"):
            self.assertEqual(p[port]["tx_packets"], len(self.res.out(port)), port)
            self.assertEqual(p[port]["tx_bytes"], sum(len(f) for f in self.res.out(port)), port)
        self.assertEqual(collections.Counter(self.res.out("uplink")), collections.Counter())

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
