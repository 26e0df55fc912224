#!/usr/bin/python3
"""test_telemetry.py: evfwd's DPDK telemetry endpoints against its shell, in
one run (suite pkt).

evfwd runs with an access port replaying (net_pcap) frames from 6 source
MACs (one of them a broadcast source, dropped as bad-src-mac) and a null
uplink. The test reads the telemetry socket (SOCK_SEQPACKET, JSON) like
dpdk-telemetry.py does, and checks:
  - /evfwd/drops has one entry for every drop reason "show drops all" lists
    (DPDK 22.11 drops names with "-": they are sent with "_"), and
    bad_src_mac is 1;
  - /evfwd/learning, /evfwd/control, /evfwd/ring and /evfwd/worker have
    every counter of their lists (the same names "show learning", "show
    ring" and "show workers" print) with the values the shell shows: learned
    5, worker packets 6, learn events 5, ...;
  - /evfwd/ports has the ports with their counters.
"""
import json
import os
import re
import socket
import sys
import time

sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402

NMACS = 5
CONFIG = """
node:
  name: tel
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - {name: uplink, device: "net_null0,no-rx=1", role: network, next-hop-mac: "02:00:00:00:00:fe"}
  - {name: host-1, device: "net_pcap0,rx_pcap=%s,tx_iface=lo", role: access}
mac-vrfs:
  - name: A
    vni: 5001
    remote-vteps: [198.18.0.2]
    attachments: [{port: host-1, vlan: untagged}]
control-ring: {name: %s}
"""


def tel_name(name):
    return re.sub(r"[^A-Za-z0-9_/]", "_", name)


class Telemetry(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("telemetry")
        frames = [E.bcast_frame(E.mac(i + 1)) for i in range(NMACS)]
        frames.append(E.bcast_frame("ff:ff:ff:ff:ff:ff"))   # bad source MAC
        cls.pcap = os.path.join(cls.lab.dir, "in.pcap")
        E.write_pcap(cls.pcap, frames)
        cls.prefix = "evftel%d" % os.getpid()
        cls.ring = "/evft-tel-%d" % os.getpid()
        eal = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--file-prefix", cls.prefix,
               "--log-level=lib.eal:error"]
        cls.evf = E.LiveRun(cls.lab, CONFIG % (cls.pcap, cls.ring), eal_args=eal, max_runtime=60)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if "learned %d" % NMACS in "\n".join(cls.evf.cmd("show learning")):
                break
            time.sleep(0.2)
        path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % cls.prefix
        end = time.monotonic() + 10
        while not os.path.exists(path) and time.monotonic() < end:
            time.sleep(0.1)
        cls.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        cls.sock.connect(path)
        cls.hello = json.loads(cls.sock.recv(4096))

    @classmethod
    def tearDownClass(cls):
        cls.sock.close()
        res = cls.evf.quit()
        res.assert_no_mbuf_leak()

    def query(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.hello["max_output_len"] + 1024))
        self.assertIn(cmd, reply, reply)
        return reply[cmd]

    def counter_line(self, lines, title):
        """'Title: name v, name v' -> {name: v}"""
        for line in lines:
            if line.startswith(title + ":"):
                return {k: int(v) for k, v in
                        re.findall(r"([A-Za-z][A-Za-z ]*?) (\d+)(?:,|$)", line[len(title) + 1:])}
        self.fail("no %r line in %s" % (title, lines))

    def test_drops(self):
        tel = self.query("/evfwd/drops")
        shown = E.table_rows(self.evf.cmd("show drops all"))
        names = {r["Reason"] for r in shown if "Reason" in r}
        self.assertGreater(len(names), 40)
        self.assertEqual(set(tel), {tel_name(n) for n in names})
        self.assertEqual(tel["bad_src_mac"], 1)

    def test_learning_and_control(self):
        lines = self.evf.cmd("show learning")
        learn = self.counter_line(lines, "Learning")
        tel = self.query("/evfwd/learning")
        self.assertEqual(tel, {tel_name(k): v for k, v in learn.items()})
        self.assertEqual(tel["learned"], NMACS)
        self.assertEqual(len(tel), 10)
        ctl = self.query("/evfwd/control")
        self.assertEqual(set(ctl), {"loops", "shell_calls", "objects_reclaimed"})
        self.assertGreater(ctl["loops"], 0)
        self.assertGreater(ctl["shell_calls"], 0)

    def test_worker(self):
        tel = self.query("/evfwd/worker")
        rows = E.table_rows(self.evf.cmd("show workers"))
        self.assertEqual(len(rows), 1)
        for name in ("loops", "packets", "busy cycles", "flood copies", "learn events",
                     "learn ring full", "punted"):
            self.assertIn(tel_name(name), tel)
            self.assertIn(name[0].upper() + name[1:], rows[0])
        self.assertEqual(tel["packets"], NMACS + 1)
        self.assertEqual(int(rows[0]["Packets"]), NMACS + 1)
        self.assertEqual(tel["learn_events"], NMACS)
        for name in ("loops", "packets", "flood copies", "learn events", "punted"):
            if name != "loops":      # still moving
                self.assertEqual(int(rows[0][name[0].upper() + name[1:]]), tel[tel_name(name)])
        self.assertEqual(tel["punted"], 0)

    def test_ring(self):
        tel = self.query("/evfwd/ring")
        shown = self.counter_line(self.evf.cmd("show ring"), "Control ring")
        self.assertEqual(set(tel), {tel_name(k) for k in shown})
        for k in ("records", "objects replaced", "bad timestamps", "events written"):
            self.assertIn(tel_name(k), tel)
        self.assertGreaterEqual(tel["events_written"], NMACS)  # the learned MACs' events

    def test_ports(self):
        tel = self.query("/evfwd/ports")
        self.assertEqual(set(tel), {"uplink", "host_1"})
        self.assertEqual(tel["host_1"]["rx_packets"], NMACS + 1)
        self.assertEqual(tel["uplink"]["tx_packets"], NMACS)


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
