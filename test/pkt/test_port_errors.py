#!/usr/bin/python3
"""Port set-up errors a user meets on a real gateway: evfwd must stop before
forwarding, with a message that names the port, the device and the real limit,
and never invent a reason the driver did not give.

- an underlay MTU the device cannot receive (net_af_packet on a veth takes
  frames up to 1518 bytes): refused at start-up, naming the device's MTU and
  frame limit; the same port with mtu 1500 starts and forwards;
- net_pcap takes jumbo frames: mtu 9000 on it starts (the check does not
  reject what the device takes);
- a device the driver refuses to probe (rx_pcap file missing): "cannot probe
  device", with the driver's code, not a made-up errno text.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evfpkt as E  # noqa: E402

CONFIG = """
node: {{vtep-ipv4: 198.18.0.3, mac: "02:00:00:00:00:03"}}
ports:
  - {{name: uplink, device: "{uplink}", role: network, mtu: {mtu}, next-hop-mac: "02:00:00:00:00:fe"}}
  - {{name: acc, device: "{{dev:acc}}", role: access}}
mac-vrfs:
  - {{name: red, vni: 100, attachments: [{{port: acc, vlan: untagged}}],
     remote-macs: [{{mac: "00:c1:ab:00:00:21", vtep: 198.18.0.1}}]}}
"""


class PortErrors(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("porterr")
        cls.links = E.Links()
        ns = cls.links.netns("evfpe-peer")
        cls.links.veth("evfpe0", "evfpe1", ns)

    @classmethod
    def tearDownClass(cls):
        cls.links.cleanup()

    def config(self, uplink, mtu):
        return CONFIG.format(uplink=uplink, mtu=mtu)

    def test_af_packet_mtu_above_frame_limit(self):
        res = self.lab.run(self.config("net_af_packet0,iface=evfpe0", 9000), {}, expect_rc=1)
        err = res.stderr
        self.assertIn("port uplink: mtu 9000 above what device net_af_packet takes: mtu 1500"
                      " (frames up to 1518 bytes)", err)
        self.assertEqual(res.final_text, "", "evfwd must not start forwarding")

    def test_af_packet_mtu_1500_forwards(self):
        frame = E.host_frame("00:c1:ab:00:00:11", "00:c1:ab:00:00:21")
        res = self.lab.run(self.config("net_af_packet0,iface=evfpe0", 1500), {"acc": [frame]},
                           cmds=["wait idle 200"])
        self.assertEqual(res.ports["uplink"]["tx_packets"], 1)
        self.assertEqual(res.ports["acc"]["rx_packets"], 1)

    def test_pcap_takes_jumbo_mtu(self):
        res = self.lab.run(self.config("{dev:uplink}", 9000), {})
        self.assertNotIn("above what device", res.stderr)
        self.assertIn("uplink", res.ports)

    def test_probe_refused_names_no_invented_reason(self):
        res = self.lab.run(self.config("net_pcap9,rx_pcap=/nonexistent/evfpe.pcap", 1500), {},
                           expect_rc=1)
        err = res.stderr
        self.assertIn("port uplink: cannot probe device 'net_pcap9,rx_pcap=/nonexistent/"
                      "evfpe.pcap': the driver refused it (code -1", err)
        self.assertNotIn("Operation not permitted", err)


if __name__ == "__main__":
    E.main()
