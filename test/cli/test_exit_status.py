#!/usr/bin/python3
"""test_exit_status.py: exit statuses of command files and evfwd-ctl push (suite "cli").

- a command file whose lines fail (a route evfwd rejects, a route that does
  not parse, an unknown command, an unknown MAC-VRF, port and segment, a
  withdrawal of a route never received) runs to its end: the lines after the
  failures run (an echo, a route that is applied), each failure is on stderr
  as "FILE:LINE: WHY" in order, then "evfwd: 7 command(s) in FILE failed",
  and evfwd exits 1 once done (with --exit-on-idle, after forwarding its
  traffic); a "quit" after a failure still exits 1; the same file without the
  bad lines exits 0 and says nothing on stderr about commands;
- evfwd-ctl push --wait to the manual ring: evfwd's answer route by route: a
  route for an unknown VNI and a withdrawal of a route never received are
  "stdin:N: rejected by evfwd (route-rejected)", a line that does not parse
  is reported by the parser, the summary counts 3 rejected lines and 4
  records written, exit 1; the good routes are in evfwd's FDB; a good input
  exits 0; without --wait push cannot know evfwd's answer and exits 0.
"""
import atexit
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E
EVFWD_CTL = os.environ.get("EVFWD_CTL") or os.path.join(os.path.dirname(C.EVFWD_CLI),
                                                        "evfwd-ctl")
if not os.access(EVFWD_CTL, os.X_OK):
    E._die("evfwd-ctl not found at %s (build it or set EVFWD_CTL)" % EVFWD_CTL)

RING = "/evft-cli-%d" % os.getpid()


@atexit.register
def _unlink_ring():
    try:
        os.unlink("/dev/shm" + RING)
    except OSError:
        pass


CONFIG = """
node:
  name: status
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
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {port: host1, vlan: untagged}
"""
M1, M2, M3, M4 = ("02:00:00:00:0c:%02x" % i for i in range(1, 5))
# (line, None) runs, (line, stderr reason) fails
FILE = [
    ("route add rt2 vni 5001 mac %s vtep 198.18.0.2" % M1, None),
    ("route add rt2 vni 77 mac %s vtep 198.18.0.2" % M2,
     "rt2 add vni 77 mac %s vtep 198.18.0.2 seq 0: rejected (unknown-vni)" % M2),
    ("route add rt2 vni 5001 mac %s vtep 198.18.0.300" % M2,
     "Route not applied: vtep '198.18.0.300' is not an IPv4/IPv6 address"),
    ("bogus words", "unknown command: 'bogus words' (type help)"),
    ("show fdb mac-vrf nope", "No MAC-VRF named 'nope'."),
    ("port start nosuch", "No port named 'nosuch'."),
    ("show es nope", "No ethernet segment named 'nope'."),
    ("route del rt2 vni 5001 mac %s vtep 198.18.0.2" % M3,
     "rt2 del vni 5001 mac %s vtep 198.18.0.2 seq 0: rejected (not-found)" % M3),
    ("echo after-the-failures", None),
    ("route add rt2 vni 5001 mac %s vtep 198.18.0.3" % M4, None),
    ("show fdb", None),
]


class ExitStatus(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-status")

    def run_file(self, lines, tag, expect_rc):
        frames = {"host1": [E.host_frame("02:00:00:00:01:01", M4, "198.18.1.1", "198.18.1.4",
                                         4000 + i, 80) for i in range(10)]}
        rundir, cfg, ports = self.lab.prepare(CONFIG, frames, tag=tag)
        cf = os.path.join(rundir, "cmds.txt")
        with open(cf, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--cmdline-file", cf,
                                          "--exit-on-idle", "300", "--hold-ports"]
        p = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=rundir)
        res = E.Result(self.lab, rundir, ports, args, p, lines)
        if p.returncode != expect_rc or not res.final_text:
            self.lab.failed = True
            self.fail("exit %d, expected %d\n%s" % (p.returncode, expect_rc, res.describe()))
        res.assert_no_mbuf_leak()
        return res, cf

    @staticmethod
    def failures(res, cf):
        return [l for l in res.stderr.splitlines() if l.startswith(cf) or
                re.match(r"evfwd: \d+ command", l)]

    def test_command_file_fails_at_the_end(self):
        res, cf = self.run_file([l for l, _ in FILE], "bad", 1)
        want = ["%s:%d: %s" % (cf, n, why) for n, (_, why) in enumerate(FILE, 1) if why]
        want.append("evfwd: %d command(s) in %s failed" % (len(want), cf))
        self.assertEqual(self.failures(res, cf), want)
        self.assertEqual(len(want), 8)
        # the file went on after the failures
        self.assertEqual(res.outputs_of("echo after-the-failures"), [["after-the-failures"]])
        self.assertEqual(res.fdb_map(0), {("A", M1): "vxlan 198.18.0.2",
                                          ("A", M4): "vxlan 198.18.0.3"})
        # and forwarding happened once the file was done (--hold-ports): to M4's VTEP
        out = res.out("uplink")
        self.assertEqual(len(out), 10)
        for n, pkt in enumerate(out):
            self.assertEqual(E.parse_vxlan(pkt)["ip_dst"], "198.18.0.3", "uplink #%d" % n)

    def test_quit_after_a_failure_still_fails(self):
        res, cf = self.run_file(["bogus", "echo x", "quit", "echo never"], "quit", 1)
        self.assertEqual(self.failures(res, cf),
                         ["%s:1: unknown command: 'bogus' (type help)" % cf,
                          "evfwd: 1 command(s) in %s failed" % cf])
        self.assertEqual(res.outputs_of("echo never"), [])

    def test_good_file_exits_0(self):
        res, cf = self.run_file([l for l, why in FILE if why is None], "good", 0)
        self.assertEqual(self.failures(res, cf), [])

    # ---- evfwd-ctl push ----

    def push(self, *args, input=None):
        p = subprocess.run([EVFWD_CTL, "--ring", RING, "push"] + list(args), input=input,
                           capture_output=True, text=True, timeout=60)
        return p.returncode, p.stderr.splitlines()

    def test_ctl_push_wait_reports_evfwd_rejections(self):
        text = CONFIG.replace("{dev:uplink}", "net_null0,no-rx=1").replace(
            "{dev:host1}", "net_null1,no-rx=1") + "control-ring:\n  name: %s\n" % RING
        run = E.LiveRun(self.lab, text, max_runtime=60)
        try:
            C.wait_until(lambda: os.path.exists("/dev/shm" + RING), 10, "the ring object")
            stdin = ("rt2 add vni 5001 mac %s vtep 198.18.0.2\n" % M1 +
                     "rt2 add vni 77 mac %s vtep 198.18.0.2\n" % M2 +
                     "rt2 add vni 5001 mac %s vtep 198.18.0.300\n" % M2 +
                     "rt2 del vni 5001 mac %s vtep 198.18.0.2\n" % M3 +
                     "rt2 add vni 5001 mac %s vtep 198.18.0.3\n" % M4)
            rc, err = self.push("--wait", input=stdin)
            self.assertEqual(rc, 1, err)
            self.assertEqual(err, [
                "stdin:2: rejected by evfwd (route-rejected)",
                "stdin:3: vtep '198.18.0.300' is not an IPv4/IPv6 address",
                "stdin:4: rejected by evfwd (route-rejected)",
                "evfwd-ctl: 4 record(s) written, 3 line(s) rejected, waited 0 time(s) on a"
                " full ring"])
            fdb = {(r["MAC-VRF"], r["Address"].lower()): r["Destination"]
                   for r in E.table_rows(run.cmd("show fdb")) if r["Type"] == "evpn"}
            self.assertEqual(fdb, {("A", M1): "vxlan 198.18.0.2", ("A", M4): "vxlan 198.18.0.3"})
            rc, err = self.push("--wait", "rt2", "del", "vni", "5001", "mac", M1, "vtep",
                                "198.18.0.2")
            self.assertEqual((rc, err[:-1]), (0, []), err)
            # without --wait, push cannot know evfwd's answer
            rc, err = self.push("rt2", "add", "vni", "77", "mac", M2, "vtep", "198.18.0.2")
            self.assertEqual((rc, err[:-1]), (0, []), err)
        except BaseException:
            run.close()
            raise
        run.quit().assert_no_mbuf_leak()


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
