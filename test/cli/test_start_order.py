#!/usr/bin/python3
"""test_start_order.py: --hold-ports, a command file's routes before the first frame
(suite "cli").

host1 (net_pcap) replays 200 unicast frames to a remote host R as soon as
its port forwards; the MAC-VRF has no static VTEP nor MAC: R's location
comes from the command file's routes (RT3 for 198.18.0.3, RT2 for R behind
198.18.0.2), which a "sleep 500" first delays, as a long file would.

- with --hold-ports: evfwd says the ports are held, "show port stats" inside
  the file reads every port stopped with nothing received; once the file has
  run the ports start; every one of the 200 frames leaves the uplink as VXLAN
  to 198.18.0.2, VNI 5001, in order, checked field by field and through
  tshark (inner frame byte-identical); nothing dropped;
- without it, the same file: the 200 frames are gone before the routes are
  in (unknown unicast without a flood list: flooded to host2 only, and
  host2's to host1); the uplink sends nothing: the race the option closes;
- with --hold-ports and a file that stops host2 itself and has a rejected
  route: host2 stays stopped (its frames never read), the other ports start,
  the frames are forwarded, and evfwd exits 1 naming the failed line;
- with --hold-ports, a control socket and no end to the command file (a
  FIFO): ports stay held until "evfwd-cli port start all" after "evfwd-cli
  route add ...", then every frame is forwarded by that route.
"""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E
H = "02:00:00:00:01:01"
R = "02:00:00:00:09:01"
H2 = "02:00:00:00:02:02"
N = 200

CONFIG = """
node:
  name: order
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
  - name: host1
    device: "{dev:host1}"
    role: access
  - name: host2
    device: "{dev:host2}"
    role: access
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {port: host1, vlan: untagged}
      - {port: host2, vlan: untagged}
"""
SOCKET = """control-socket:
  path: {dir}/ctl.sock
"""
ROUTES = ["route add rt3 vni 5001 vtep 198.18.0.3",
          "route add rt2 vni 5001 mac %s vtep 198.18.0.2" % R]
CMDS = ["sleep 500", "show port stats"] + ROUTES


def traffic():
    return {"host1": [E.host_frame(H, R, "198.18.1.1", "198.18.1.9", 2000 + i, 80, size=90)
                      for i in range(N)],
            "host2": [E.host_frame(H2, R, "198.18.1.2", "198.18.1.9", 3000 + i, 80, size=80)
                      for i in range(20)]}


class StartOrder(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-order")
        cls.t = traffic()

    def run_file(self, cmds, tag, extra, expect_rc=0):
        """evfwd with a command file that does not quit (--exit-on-idle ends it)."""
        rundir, cfg, ports = self.lab.prepare(CONFIG, self.t, tag=tag)
        cf = os.path.join(rundir, "cmds.txt")
        with open(cf, "w") as fh:
            fh.write("\n".join(cmds) + "\n")
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--cmdline-file", cf,
                                          "--exit-on-idle", "300"] + list(extra)
        p = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=rundir)
        for name, text in (("stdout.txt", p.stdout), ("stderr.txt", p.stderr)):
            with open(os.path.join(rundir, name), "w") as fh:
                fh.write(text)
        res = E.Result(self.lab, rundir, ports, args, p, cmds)
        if p.returncode != expect_rc or not res.final_text:
            self.lab.failed = True
            self.fail("evfwd exited with %d (expected %d)\n%s" % (p.returncode, expect_rc,
                                                                  res.describe()))
        res.assert_no_mbuf_leak()
        return res, cf

    def assert_all_to_remote(self, res, what, hosts=("host1", "host2")):
        """Every frame of hosts left the uplink as VXLAN to 198.18.0.2, VNI 5001,
        each host's in its order (the worker polls one port after the other)."""
        out = res.out("uplink")
        self.assertEqual(len(out), sum(len(self.t[h]) for h in hosts), what)
        by_src = {}
        for pkt in out:
            by_src.setdefault(E.parse_vxlan(pkt)["inner"][6:12], []).append(pkt)
        for h in hosts:
            sent = [bytes(f) for f in self.t[h]]
            got = by_src.get(sent[0][6:12], [])
            self.assertEqual(len(got), len(sent), "%s: frames of %s" % (what, h))
            for n, (pkt, inner) in enumerate(zip(got, sent)):
                E.assert_vxlan(pkt, inner=inner, vni=5001, dst_ip="198.18.0.2",
                               what="%s: %s's frame #%d" % (what, h, n))
        rows = E.tshark_vxlan(res.pcap("uplink"))
        E.assert_tshark_inner(rows, [bytes(f) for h in hosts for f in self.t[h]], what,
                              ordered=False)

    def test_hold_ports(self):
        res, _ = self.run_file(CMDS, "hold", ["--hold-ports"])
        self.assertIn("evfwd: 3 port(s) held until the command file has run (--hold-ports)\n",
                      res.stdout)
        self.assertIn("evfwd: command file done: 3 held port(s) started\n", res.stdout)
        during = {r["Port"]: (r["Admin"], r["RX-packets"])
                  for r in res.table("show port stats", 0)}
        self.assertEqual(during, {"uplink": ("down", "0"), "host1": ("down", "0"),
                                  "host2": ("down", "0")})
        self.assert_all_to_remote(res, "--hold-ports")
        res.assert_drops({})
        self.assertEqual(res.ports["host1"]["rx_packets"], N)
        self.assertEqual(res.ports["uplink"]["tx_packets"], N + 20)

    def test_without_hold_the_frames_race_the_routes(self):
        res, _ = self.run_file(CMDS, "nohold", [])
        self.assertNotIn("held", res.stdout)
        during = {r["Port"]: (r["Admin"], r["RX-packets"])
                  for r in res.table("show port stats", 0)}
        self.assertEqual(during["host1"], ("up", str(N)), "host1 replayed before the routes")
        self.assertEqual(res.out("uplink"), [], "frames sent by routes that were not in yet")
        self.assertEqual(res.ports["uplink"]["tx_packets"], 0)
        self.assertEqual(res.ports["host1"]["rx_packets"], N)
        # every frame of both hosts was unknown unicast with no flood list yet:
        # flooded to the other local attachment only
        self.assertFrames(res.out("host2"), [bytes(f) for f in self.t["host1"]],
                          "host1's frames flooded to host2")
        self.assertFrames(res.out("host1"), [bytes(f) for f in self.t["host2"]],
                          "host2's frames flooded to host1")
        res.assert_drops({})

    def test_hold_leaves_ports_the_file_set(self):
        cmds = ["port stop host2", "sleep 200",
                "route add rt2 vni 9 mac %s vtep 198.18.0.2" % R] + ROUTES
        res, cf = self.run_file(cmds, "hold-stop", ["--hold-ports"], expect_rc=1)
        self.assertIn("evfwd: command file done: 2 held port(s) started\n", res.stdout)
        self.assertEqual(res.outputs_of("port stop host2"), [["Port host2 stopped."]])
        err = [l for l in res.stderr.splitlines() if l.startswith(cf) or
               re.match(r"evfwd: \d+ command", l)]
        self.assertEqual(err, ["%s:3: rt2 add vni 9 mac %s vtep 198.18.0.2 seq 0: rejected"
                               " (unknown-vni)" % (cf, R),
                               "evfwd: 1 command(s) in %s failed" % cf])
        self.assertEqual(res.ports["host2"]["admin"], "down")
        self.assertEqual(res.ports["host2"]["rx_packets"], 0)
        self.assertEqual(res.ports["host1"]["admin"], "up")
        self.assert_all_to_remote(res, "--hold-ports, host2 stopped by the file", ("host1",))

    def test_hold_until_port_start_from_the_socket(self):
        rundir, cfg, ports = self.lab.prepare(CONFIG + SOCKET, self.t, tag="hold-socket")
        with open(cfg) as fh:
            text = fh.read()
        sock = os.path.join(rundir, "ctl.sock")
        run = E.LiveRun(self.lab, text, max_runtime=60, extra_args=["--hold-ports"])
        try:
            self.assertIn("evfwd: 3 port(s) held until the command file has run", run.stdout())
            time.sleep(0.5)
            rc, out, err = C.cli(sock, "show", "port", "stats")
            self.assertEqual((rc, err), (0, ""))
            st = C.port_stats(out.splitlines())
            self.assertEqual({p: (v["Admin"], v["RX-packets"]) for p, v in st.items()},
                             {"uplink": ("down", 0), "host1": ("down", 0), "host2": ("down", 0)})
            for r in ROUTES:
                self.assertEqual(C.cli(sock, r)[0], 0, r)
            rc, out, err = C.cli(sock, "port", "start", "all")
            self.assertEqual((rc, out, err), (0, "Port uplink started.\nPort host1 started.\n"
                                                 "Port host2 started.\n", ""))
            C.wait_until(lambda: C.port_stats(C.cli(sock, "show port stats")[1].splitlines())
                         ["uplink"]["TX-packets"] == N + 20, 10, "every frame forwarded")
        except BaseException:
            run.close()
            raise
        res = run.quit()
        res.assert_no_mbuf_leak()
        res.assert_drops({})
        res.dir = rundir  # the pcaps are in the prepared directory
        self.assert_all_to_remote(res, "--hold-ports until port start")


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
