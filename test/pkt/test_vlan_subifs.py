#!/usr/bin/python3
"""test_vlan_subifs.py: two VLAN subinterfaces of one port in two MAC-VRFs.

MAC-VRF A (VNI 1010): host1 VLAN 10, host2 untagged, VTEP 198.18.0.2 with
static MAC RA. MAC-VRF B (VNI 1020): host1 VLAN 20, host2 VLAN 30, VTEP
198.18.0.3 with static MAC RB.

Run 1 (everything enabled):
  * host1.10 -> RA and host1.20 -> RB: VNI 1010 to .2 / VNI 1020 to .3, the access
    tag popped (inner = sent frame minus the tag), all fields checked;
  * host1.10 -> RB (a MAC of B only): unknown in A, flooded in A only;
  * broadcasts stay in their MAC-VRF (host2 untagged vs host2.30, .2 vs .3);
  * a priority-tagged frame (VID 0) on host2 is the untagged attachment: leaves
    host1 with tag 10 and the same PCP, and untagged inside VXLAN;
  * VID 0 and VLAN 30 on host1 (no attachment) are dropped as no-attachment;
  * VXLAN VNI 1010 / 1020 floods get tag 10 / 20 on host1, none / 30 on host2.
Run 2: the same host MAC H1 learned on host1.10 (A) and host1.20 (B); VXLAN
unicast to H1 in VNI 1010 leaves tagged 10, in VNI 1020 tagged 20, once each.
"""
import collections

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag, untag, vxlan4

CONFIG = """
node:
  name: subifs
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
{uplink_extra}
  - name: host1
    device: "{dev:host1}"
    role: access
  - name: host2
    device: "{dev:host2}"
    role: access
mac-vrfs:
  - name: A
    vni: 1010
    attachments:
      - {port: host1, vlan: 10}
      - {port: host2, vlan: untagged}
    remote-vteps: [198.18.0.2]
    remote-macs:
      - {mac: "00:c1:ab:00:0a:0a", vtep: 198.18.0.2}
  - name: B
    vni: 1020
    attachments:
      - {port: host1, vlan: 20}
      - {port: host2, vlan: 30}
    remote-vteps: [198.18.0.3]
    remote-macs:
      - {mac: "00:c1:ab:00:0b:0b", vtep: 198.18.0.3}
workers:
  count: 1
  idle-sleep-us: 20
"""

H1, H2 = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02"
RA, RB = "00:c1:ab:00:0a:0a", "00:c1:ab:00:0b:0b"
R1 = "00:c1:ab:00:02:01"
UNK = "00:c1:ab:00:07:77"
VA, VB = "198.18.0.2", "198.18.0.3"


def set_pcp(frame, pcp):
    """frame with the PCP of its first tag replaced."""
    tci = int.from_bytes(frame[14:16], "big")
    return frame[:14] + (((pcp << 13) | (tci & 0x1fff)).to_bytes(2, "big")) + frame[16:]


class SubifsForwarding(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.h1_to_ra = [host_frame(H1, RA, "198.19.1.1", "198.19.10.1", 100 + i, 80, vlan=10,
                                 pcp=5, size=90 + i) for i in range(3)]
        c.h1_to_rb = [host_frame(H1, RB, "198.19.2.1", "198.19.20.1", 200 + i, 80, vlan=20,
                                 size=95 + i) for i in range(3)]
        c.h1_10_to_rb = host_frame(H1, RB, "198.19.1.1", "198.19.20.1", 300, 80, vlan=10,
                                   size=99)
        c.h1_bc10 = bcast_frame(H1, vlan=10, ident=1)
        c.h1_bc20 = bcast_frame(H1, vlan=20, ident=2)
        c.h1_noatt = [bcast_frame(H1, vlan=0, ident=3), bcast_frame(H1, vlan=30, ident=4)]
        c.h2_bc = bcast_frame(H2, ident=5)
        c.h2_bc30 = bcast_frame(H2, vlan=30, ident=6)
        c.h2_prio = bcast_frame(H2, vlan=0, pcp=3, ident=7)
        c.dec_bc = bcast_frame(R1, ident=8)
        c.dec_unk = host_frame(R1, UNK, "198.19.2.9", "198.19.2.10", 1, 2, size=81)
        host1 = (c.h1_to_ra[:1] + c.h1_to_rb[:1] + [c.h1_10_to_rb, c.h1_bc10, c.h1_noatt[0]] +
                 c.h1_to_ra[1:] + c.h1_to_rb[1:] + [c.h1_bc20, c.h1_noatt[1]])
        host2 = [c.h2_bc, c.h2_bc30, c.h2_prio]
        uplink = [vxlan4(c.dec_bc, 1010, src=VA), vxlan4(c.dec_unk, 1020, src=VB)]
        c.lab = E.Lab("subifs")
        c.res = c.lab.run(CONFIG.replace("{uplink_extra}", ""),
                          {"host1": host1, "host2": host2, "uplink": uplink})

    def test_encap_per_vlan(self):
        got = collections.defaultdict(list)
        for n, pkt in enumerate(self.res.out("uplink")):
            f = E.parse_vxlan(pkt)
            vni = {VA: 1010, VB: 1020}.get(f["ip_dst"])
            self.assertIsNotNone(vni, "packet #%d to unexpected VTEP %s" % (n, f["ip_dst"]))
            E.assert_vxlan(pkt, inner=f["inner"], vni=vni, dst_ip=f["ip_dst"],
                           what="uplink packet #%d" % n)
            got[(f["ip_dst"], f["vni"])].append(f["inner"])
        exp_a = ([untag(f) for f in self.h1_to_ra] +
                 [untag(self.h1_10_to_rb), untag(self.h1_bc10), self.h2_bc, untag(self.h2_prio)])
        exp_b = [untag(f) for f in self.h1_to_rb] + [untag(self.h1_bc20), untag(self.h2_bc30)]
        self.assertEqual(sorted(got), [(VA, 1010), (VB, 1020)])
        self.assertFrames(got[(VA, 1010)], exp_a, "VNI 1010 to %s (tags popped)" % VA,
                          ordered=False)
        self.assertFrames(got[(VB, 1020)], exp_b, "VNI 1020 to %s (tags popped)" % VB,
                          ordered=False)

    def test_host1_output(self):
        exp = [tag(self.h2_bc, 10), tag(untag(self.h2_bc30), 20),
               set_pcp(tag(untag(self.h2_prio), 10), 3),
               tag(self.dec_bc, 10), tag(self.dec_unk, 20)]
        self.assertFrames(self.res.out("host1"), exp, "host1 output", ordered=False)

    def test_host2_output(self):
        exp = [untag(self.h1_10_to_rb), untag(self.h1_bc10), tag(untag(self.h1_bc20), 30),
               self.dec_bc, tag(self.dec_unk, 30)]
        self.assertFrames(self.res.out("host2"), exp, "host2 output", ordered=False)

    def test_drops(self):
        self.res.assert_drops({"no-attachment": 2})
        self.assertEqual(self.res.ports["host1"]["dropped"], 2)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class SubifsSameMacTwoVlans(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.learn = [bcast_frame(H1, vlan=10, ident=1), bcast_frame(H1, vlan=20, ident=2)]
        c.to_a = [host_frame(R1, H1, "198.19.9.1", "198.19.1.1", 10 + i, 20, size=70 + i)
                  for i in range(2)]
        c.to_b = [host_frame(R1, H1, "198.19.9.2", "198.19.2.1", 30 + i, 40, size=80 + i)
                  for i in range(2)]
        uplink = []
        for a, b in zip(c.to_a, c.to_b):
            uplink += [vxlan4(a, 1010, src=VA), vxlan4(b, 1020, src=VB)]
        c.lab = E.Lab("subifs-learn")
        c.res = c.lab.run(CONFIG.replace("{uplink_extra}", "    admin-state: disable"),
                          {"host1": c.learn, "uplink": uplink},
                          cmds=["wait idle 300", "show fdb", "port start uplink",
                                "wait idle 300", "quit"])

    def test_fdb_same_mac_two_mac_vrfs(self):
        fdb = self.res.fdb_map(0)
        self.assertEqual(fdb.get(("A", H1)), "host1.10", fdb)
        self.assertEqual(fdb.get(("B", H1)), "host1.20", fdb)

    def test_unicast_gets_its_vlan_tag(self):
        exp = []
        for a, b in zip(self.to_a, self.to_b):
            exp += [tag(a, 10), tag(b, 20)]
        self.assertFrames(self.res.out("host1"), exp, "host1 output")

    def test_host2_only_phase1_floods(self):
        self.assertFrames(self.res.out("host2"),
                          [untag(self.learn[0]), tag(untag(self.learn[1]), 30)], "host2 output")

    def test_drops(self):
        # phase-1 broadcasts flood to 198.18.0.2/.3 while the uplink is down
        self.res.assert_drops({"port-down": 2})

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
