#!/usr/bin/python3
"""test_mac_limit.py: mac-limit 2 in a MAC-VRF.

MAC-VRF M (VNI 200, mac-limit 2): host1, host2 (starts disabled) and host3
untagged. Phase 1: host1 sends broadcasts from M1 and M2 (learned; the copies
for host2 are port-down drops, host3 gets them). Phase 2 ("port start host2"):
host2 sends 5 frames from M3 (to M1 and broadcast): all 5 are dropped as
mac-limit, none reaches host1 or host3, and the FDB still holds exactly M1
and M2 ("show mac-vrf M" says 2 of 2 used).
"""
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame

CONFIG = """
node:
  name: limit
  fdb-capacity: 1024
ports:
  - name: host1
    device: "{dev:host1}"
    role: access
  - name: host2
    device: "{dev:host2}"
    role: access
    admin-state: disable
  - name: host3
    device: "{dev:host3}"
    role: access
mac-vrfs:
  - name: M
    vni: 200
    mac-limit: 2
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: untagged}
      - {port: host3, vlan: untagged}
workers:
  count: 1
  idle-sleep-us: 20
"""

M1, M2, M3 = "00:c1:ab:00:00:01", "00:c1:ab:00:00:02", "00:c1:ab:00:00:03"
N3 = 5

CMDS = ["wait idle 300", "show fdb", "show mac-vrf M", "show drops",
        "port start host2", "wait idle 300", "show fdb", "show mac-vrf M", "show drops", "quit"]


class MacLimit(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.h1 = [bcast_frame(M1, ident=1), bcast_frame(M2, ident=2)]
        c.h2 = []
        for i in range(N3):
            c.h2.append(host_frame(M3, M1, size=64 + i) if i % 2 == 0
                        else bcast_frame(M3, ident=10 + i))
        c.lab = E.Lab("mac-limit")
        c.res = c.lab.run(CONFIG, {"host1": c.h1, "host2": c.h2}, cmds=CMDS)

    def test_fdb_before(self):
        self.assertEqual(sorted(self.res.fdb_map(0)), [("M", M1), ("M", M2)])

    def test_fdb_after_exactly_two(self):
        fdb = self.res.fdb_map(1)
        self.assertEqual(fdb, {("M", M1): "host1", ("M", M2): "host1"})

    def test_mac_vrf_shows_limit_reached(self):
        out = "\n".join(self.res.outputs_of("show mac-vrf M")[1])
        self.assertRegex(out, r"MAC limit\s*:\s*2 \(2 used", out)

    def test_show_drops_per_phase(self):
        self.assertEqual(self.res.drops_in(0), {"port-down": 2}, "drops after phase 1")
        self.assertEqual(self.res.drops_in(1), {"port-down": 2, "mac-limit": N3},
                         "drops after phase 2")

    def test_mac_limit_drops_exact(self):
        self.res.assert_drops({"port-down": 2, "mac-limit": N3})
        self.assertEqual(self.res.ports["host2"]["dropped"], N3)
        self.assertEqual(self.res.ports["host2"]["rx_packets"], N3)

    def test_outputs(self):
        self.assertFrames(self.res.out("host1"), [], "host1 output (M3's frames must not pass)")
        self.assertFrames(self.res.out("host3"), self.h1, "host3 output")
        self.assertFrames(self.res.out("host2"), [], "host2 output")

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
