#!/usr/bin/python3
"""test_learning_aging.py: MAC learning on access attachments and aging.

MAC-VRF L (VNI 100, mac-aging 2 s): host1 untagged, host2 VLAN 5, host3
untagged; host2 and host3 start disabled and are started by the command file:
  1. host1 sends two broadcasts from H1 (host2/host3 down: 4 port-down drops);
     "show fdb": H1 on host1, nothing else;
  2. port start host2: three unicasts H2 -> H1 go to host1 only (H1 is known),
     "show fdb" / "show fdb mac-vrf L": H1 on host1, H2 on host2.5, aging <= 2;
  3. sleep 4000: "show fdb" is empty (both aged out);
  4. port start host3: H3 -> H1 and H3 -> H2 flood again to host1 and host2.5;
     "show fdb": H3 only.
"""
import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag

CONFIG = """
node:
  name: learn
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
    admin-state: disable
mac-vrfs:
  - name: L
    vni: 100
    mac-aging: 2
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: 5}
      - {port: host3, vlan: untagged}
workers:
  count: 1
  idle-sleep-us: 20
"""

H1, H2, H3 = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:01:03"

CMDS = ["wait idle 300", "show fdb",
        "port start host2", "wait idle 300", "show fdb", "show fdb mac-vrf L",
        "sleep 4000", "show fdb",
        "port start host3", "wait idle 300", "show fdb", "quit"]


class LearningAging(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.h1 = [bcast_frame(H1, ident=1), bcast_frame(H1, ident=2)]
        c.h2 = [host_frame(H2, H1, "198.19.0.2", "198.19.0.1", 100 + i, 7, vlan=5, size=70 + i)
                for i in range(3)]
        c.h3 = [host_frame(H3, H1, "198.19.0.3", "198.19.0.1", 200 + i, 7, size=80 + i)
                for i in range(2)] + [host_frame(H3, H2, "198.19.0.3", "198.19.0.2", 300, 7,
                                                 size=90)]
        c.lab = E.Lab("learning")
        c.res = c.lab.run(CONFIG, {"host1": c.h1, "host2": c.h2, "host3": c.h3}, cmds=CMDS)

    def fdb(self, i, cmd="show fdb"):
        return {r["Address"].lower(): r for r in self.res.fdb(i, cmd)}

    def test_phase1_h1_on_host1(self):
        f = self.fdb(0)
        self.assertEqual(sorted(f), [H1], "FDB after host1's broadcasts")
        self.assertEqual(f[H1]["Destination"], "host1")
        self.assertEqual(f[H1]["Type"], "learnt")
        self.assertEqual(f[H1]["MAC-VRF"], "L")

    def test_phase2_both_learned(self):
        for f in (self.fdb(1), self.fdb(0, "show fdb mac-vrf L")):
            self.assertEqual(sorted(f), [H1, H2], "FDB after host2's unicasts")
            self.assertEqual(f[H1]["Destination"], "host1")
            self.assertEqual(f[H2]["Destination"], "host2.5")
            for r in f.values():
                self.assertLessEqual(int(r["Aging"]), 2, r)

    def test_phase3_aged_out(self):
        self.assertEqual(self.fdb(2), {}, "FDB 4 s later with mac-aging 2")

    def test_phase4_relearn(self):
        f = self.fdb(3)
        self.assertEqual(sorted(f), [H3])
        self.assertEqual(f[H3]["Destination"], "host3")

    def test_unicast_then_flood_after_aging(self):
        # host1: H2's unicasts (H1 known: host1 only), then H3's frames (flooded)
        self.assertFrames(self.res.out("host1"), self.h2_untagged() + self.h3,
                          "host1 output")
        # host2.5: only H3's frames, flooded after aging (tag 5 pushed)
        self.assertFrames(self.res.out("host2"), [tag(f, 5) for f in self.h3], "host2 output")
        self.assertFrames(self.res.out("host3"), [], "host3 output")

    def h2_untagged(self):
        return [E.untag(f) for f in self.h2]

    def test_drops(self):
        # phase 1: each broadcast floods to host2 and host3, both still down
        self.res.assert_drops({"port-down": 4})

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
