#!/usr/bin/python3
"""test_decap.py: VXLAN from a remote VTEP to local hosts.

MAC-VRF A (VNI 5001): host1 untagged, host2 VLAN 10; MAC-VRF B (VNI 5002):
host3 untagged, host2 VLAN 20. The uplink starts disabled: first host1 and
host2 send a broadcast each (so evfwd learns H1 and H2), then "port start
uplink" lets the VXLAN packets in. Checks:
  * inner dst H1 -> exactly one frame on host1, byte-identical to the inner frame;
  * inner dst H2 -> host2 with 802.1Q tag 10 pushed (PCP 0), otherwise identical;
  * unknown unicast and broadcast in VNI 5001 -> host1 and host2.10 only;
  * unknown unicast in VNI 5002 -> host3 and host2.20 only (also for H1, which is
    only known in A);
  * inner dst = a static remote MAC -> dropped remote-to-remote, never sent back;
  * nothing goes back to the uplink; drop counters exact; no mbuf leak.
"""
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag, vxlan4

CONFIG = """
node:
  name: decap
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
    admin-state: disable
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
  - name: A
    vni: 5001
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: 10}
    remote-vteps: [198.18.0.2]
    remote-macs:
      - {mac: "00:c1:ab:00:09:99", vtep: 198.18.0.2}
  - name: B
    vni: 5002
    attachments:
      - {port: host3, vlan: untagged}
      - {port: host2, vlan: 20}
    remote-vteps: [198.18.0.2]
workers:
  count: 1
  idle-sleep-us: 20
"""

H1, H2 = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02"
R1 = "00:c1:ab:00:02:01"        # host behind the remote VTEP
RA = "00:c1:ab:00:09:99"        # static remote MAC in A
UNK = "00:c1:ab:00:07:77"       # never seen anywhere
REMOTE = "198.18.0.2"

CMDS = ["wait idle 300", "show fdb", "port start uplink", "wait idle 300", "show fdb", "quit"]


class Decap(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.learn1 = bcast_frame(H1, ident=1)
        c.learn2 = bcast_frame(H2, vlan=10, ident=2)
        c.to_h1 = [host_frame(R1, H1, "198.19.2.1", "198.19.1.1", 7000 + i, 53, size=64 + 97 * i)
                   for i in range(3)]
        c.to_h2 = [host_frame(R1, H2, "198.19.2.1", "198.19.1.2", 7100 + i, 53, size=80 + i)
                   for i in range(2)]
        c.unk_a = [host_frame(R1, UNK, "198.19.2.1", "198.19.1.9", 7200 + i, 53, size=70)
                   for i in range(2)]
        c.bc_a = [bcast_frame(R1, ident=9)]
        c.unk_b = [host_frame(R1, UNK, "198.19.3.1", "198.19.3.9", 7300 + i, 53, size=90)
                   for i in range(2)]
        c.h1_in_b = [host_frame(R1, H1, "198.19.3.1", "198.19.3.2", 7400, 53, size=66)]
        c.to_static = [host_frame(R1, RA, "198.19.2.1", "198.19.2.99", 7500, 53, size=72)]
        uplink = []
        uplink += [vxlan4(f, 5001, src=REMOTE) for f in c.to_h1]
        uplink += [vxlan4(f, 5001, src=REMOTE) for f in c.to_h2]
        uplink += [vxlan4(f, 5001, src=REMOTE) for f in c.unk_a]
        uplink += [vxlan4(f, 5001, src=REMOTE) for f in c.bc_a]
        uplink += [vxlan4(f, 5002, src=REMOTE) for f in c.unk_b]
        uplink += [vxlan4(f, 5002, src=REMOTE) for f in c.h1_in_b]
        uplink += [vxlan4(f, 5001, src=REMOTE) for f in c.to_static]
        c.lab = E.Lab("decap")
        c.res = c.lab.run(CONFIG, {"host1": [c.learn1], "host2": [c.learn2], "uplink": uplink},
                          cmds=CMDS)

    def test_learned_before_vxlan(self):
        fdb = self.res.fdb_map(0)
        self.assertEqual(fdb.get(("A", H1)), "host1", "H1 not learned on host1: %s" % fdb)
        self.assertEqual(fdb.get(("A", H2)), "host2.10", "H2 not learned on host2.10: %s" % fdb)

    def test_host1_output(self):
        # phase 1: H2's broadcast (tag popped); phase 2, in uplink order:
        # unicast to H1, unknown unicast, broadcast of A
        exp = [self.learn2[:12] + self.learn2[16:]] + self.to_h1 + self.unk_a + self.bc_a
        self.assertFrames(self.res.out("host1"), exp, "host1 output")

    def test_unicast_to_h1_exactly_once(self):
        out = self.res.out("host1")
        for f in self.to_h1:
            self.assertEqual(out.count(f), 1, "inner frame to H1 not seen exactly once on host1")

    def test_host2_output_tagged(self):
        exp = [tag(self.learn1, 10)]
        exp += [tag(f, 10) for f in self.to_h2 + self.unk_a + self.bc_a]
        exp += [tag(f, 20) for f in self.unk_b + self.h1_in_b]
        self.assertFrames(self.res.out("host2"), exp, "host2 output (tags 10/20 pushed)")

    def test_host3_only_its_mac_vrf(self):
        self.assertFrames(self.res.out("host3"), self.unk_b + self.h1_in_b,
                          "host3 output (MAC-VRF B only)")

    def test_tshark_decap_outputs(self):
        """tshark reads the same frames from each output pcap and dissects them as plain
        Ethernet (VLAN 10/20 on host2, no VXLAN left) with the inner frames' fields."""
        exp1 = [self.learn2[:12] + self.learn2[16:]] + self.to_h1 + self.unk_a + self.bc_a
        exp2 = ([tag(self.learn1, 10)] + [tag(f, 10) for f in self.to_h2 + self.unk_a + self.bc_a]
                + [tag(f, 20) for f in self.unk_b + self.h1_in_b])
        E.assert_tshark_frames(self.res.pcap("host1"), exp1, "tshark on host1")
        E.assert_tshark_frames(self.res.pcap("host2"), exp2, "tshark on host2")
        E.assert_tshark_frames(self.res.pcap("host3"), self.unk_b + self.h1_in_b, "tshark on host3")

    def test_nothing_back_to_network(self):
        self.assertEqual(self.res.out("uplink"), [], "frames sent back to the uplink")
        self.assertEqual(self.res.ports["uplink"]["tx_packets"], 0)

    def test_counters(self):
        # the phase-1 broadcasts also flood to 198.18.0.2 while the uplink is down
        self.res.assert_drops({"port-down": 2, "remote-to-remote": 1})
        p = self.res.ports
        self.assertEqual(p["uplink"]["rx_packets"], 12)
        self.assertEqual(p["uplink"]["dropped"], 1)
        self.assertEqual(p["host1"]["tx_packets"], 1 + 3 + 2 + 1)
        self.assertEqual(p["host2"]["tx_packets"], 1 + 2 + 2 + 1 + 2 + 1)
        self.assertEqual(p["host3"]["tx_packets"], 3)

    def test_fdb_after(self):
        fdb = self.res.fdb_map(1)
        self.assertEqual(fdb.get(("A", H1)), "host1", fdb)
        self.assertEqual(fdb.get(("A", H2)), "host2.10", fdb)
        self.assertEqual(fdb.get(("A", RA)), "vxlan 198.18.0.2", fdb)
        self.assertNotIn(("B", H1), fdb)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
