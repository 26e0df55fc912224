#!/usr/bin/python3
"""test_bad_config.py: the evfwd binary on bad configurations.

Each case is the same small config (an uplink and an access port on net_pcap,
one MAC-VRF) with one mistake. evfwd must exit 1, print nothing on stdout
and exactly one line on stderr, "evfwd: FILE:LINE:COL: KEY: ...", pointing
at the mistake (the "@@" marker in the case's text) and naming the key; and
it must touch no port: the configuration is checked before EAL starts, so no
net_pcap device is created and no tx_pcap file appears. The unbroken config
is run too, to show that it does create the tx_pcap files.
"""
import os
import subprocess

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402

GOOD = """node:
  name: badcfg
  vtep-ipv4: @@V4
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: @@MTU
  - name: host1
    device: "{dev:host1}"
    role: access
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {port: @@ATT, vlan: untagged}
  - name: B
    vni: @@VNI2
    remote-vteps: [198.18.0.2]
workers:
  count: @@WORKERS
"""
DEFAULTS = {"V4": "198.18.0.1", "MTU": "1600", "ATT": "host1", "VNI2": "5002", "WORKERS": "1"}


def config(mark=None, value=None, extra=None):
    """GOOD with every @@NAME filled in; @@mark becomes "@@value" (the marker stays
    in front of the mistake). extra: (after_line_text, lines to insert) or None."""
    text = GOOD
    for k, v in DEFAULTS.items():
        text = text.replace("@@" + k, "@@" + value if k == mark else v)
    if extra is not None:
        after, ins = extra
        i = text.index(after) + len(after)
        text = text[:i] + ins + text[i:]
    return text


# (name, config text with "@@" at the expected position, key named, message fragment)
CASES = [
    ("MTU out of range", config("MTU", "99999"), "ports[0].mtu",
     "99999 is out of range 68..9600"),
    ("unknown key", config(extra=("    role: access\n", "    @@colour: red\n")), "ports[1]",
     "unknown key 'colour'"),
    ("bad IPv4 address", config("V4", "198.18.0.300"), "node.vtep-ipv4",
     "'198.18.0.300' is not an IPv4 address"),
    ("attachment to an unknown port", config("ATT", "host9"),
     "mac-vrfs[0].attachments[0].port", "unknown port or LAG 'host9'"),
    ("duplicate VNI", config("VNI2", "5001"), "mac-vrfs[1].vni",
     "VNI 5001 is already used by mac-vrf 'A'"),
    ("VNI above 24 bits", config("VNI2", "16777216"), "mac-vrfs[1].vni",
     "16777216 is out of range 1..16777215"),
    ("worker count not a number", config("WORKERS", "two"), "workers.count",
     "'two' is not a decimal integer"),
]


def locate(text):
    """(text without the marker, line, column) of the "@@" marker (1-based)."""
    i = text.index("@@")
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return text[:i] + text[i + 2:], line, col


class BadConfig(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("bad_config")

    def run_evfwd(self, text, tag):
        rundir, cfg, ports = self.lab.prepare(text, {}, tag=tag)
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--exit-on-idle", "100"]
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60, cwd=rundir)
        outs = [os.path.join(rundir, "%s_out.pcap" % port) for port in ports]
        return p, cfg, outs

    def test_bad_configs(self):
        for n, (name, text, key, msg) in enumerate(CASES):
            with self.subTest(name):
                text, line, col = locate(text)
                p, cfg, outs = self.run_evfwd(text, "bad%d" % n)
                what = "%s: rc %d\nstdout: %r\nstderr: %r" % (name, p.returncode, p.stdout,
                                                               p.stderr)
                self.assertEqual(p.returncode, 1, what)
                self.assertEqual(p.stdout, "", what)
                lines = p.stderr.splitlines()
                self.assertEqual(len(lines), 1, what)
                self.assertTrue(p.stderr.endswith("\n"), what)
                self.assertTrue(lines[0].startswith("evfwd: %s:%d:%d: %s: " % (cfg, line, col,
                                                                             key)), what)
                self.assertIn(msg, lines[0], what)
                self.assertEqual([o for o in outs if os.path.exists(o)], [],
                                 "%s: a port was opened" % name)

    def test_syntax_error(self):
        text = config().replace("  count: 1\n", "  count: [1\n")
        p, cfg, outs = self.run_evfwd(text, "syntax")
        lines = p.stderr.splitlines()
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(lines), 1, p.stderr)
        # libyaml reports it where the flow sequence should have ended: after the last line
        nlines = text.count("\n")
        self.assertRegex(lines[0], r"^evfwd: %s:%d:\d+: syntax error: " % (cfg, nlines + 1))
        self.assertEqual([o for o in outs if os.path.exists(o)], [])

    def test_check_config_counts_static_macs_like_bring_up(self):
        """Bring-up puts every remote-macs and static-macs entry of every MAC-VRF in
        one FDB of node.fdb-capacity entries. --check-config counts them the same
        way: one entry too many is refused by both (before, the check said valid and
        bring-up failed with "FDB full"); exactly the capacity is valid and runs."""
        def macs_config(n_static):
            mac = lambda i: "02:00:00:00:%02x:%02x" % (i >> 8, i & 255)  # noqa: E731
            lines = ["node: {vtep-ipv4: 198.18.0.1, mac: 02:00:00:00:00:01, fdb-capacity: 1024}",
                     "ports:",
                     "  - {name: uplink, device: \"{dev:uplink}\", role: network,"
                     " next-hop-mac: 02:00:00:00:00:fe}",
                     "  - {name: host1, device: \"{dev:host1}\", role: access}",
                     "mac-vrfs:",
                     "  - name: A", "    vni: 5001", "    remote-macs:"]
            lines += ["      - {mac: %s, vtep: 198.18.0.2}" % mac(i) for i in range(500)]
            lines += ["  - name: B", "    vni: 5002",
                      "    attachments: [{port: host1, vlan: untagged}]", "    static-macs:"]
            lines += ["      - {mac: %s, port: host1, vlan: untagged}" % mac(500 + i)
                      for i in range(n_static)]
            return "\n".join(lines) + "\n"

        for n_static, ok in ((525, False), (524, True)):
            with self.subTest(total=500 + n_static):
                rundir, cfg, _ = self.lab.prepare(macs_config(n_static), {},
                                                  tag="fdbcap%d" % n_static)
                chk = subprocess.run([E.EVFWD, "--", "--config", cfg, "--check-config"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     timeout=60, cwd=rundir)
                p, _, _ = self.run_evfwd(macs_config(n_static), "fdbrun%d" % n_static)
                what = "check: rc %d %r %r\nrun: rc %d %r" % (chk.returncode, chk.stdout,
                                                             chk.stderr, p.returncode, p.stderr)
                if ok:
                    self.assertEqual(chk.returncode, 0, what)
                    self.assertIn("configuration is valid", chk.stdout, what)
                    self.assertEqual(p.returncode, 0, what)
                    self.assertIn("mbufs in use after stop: 0 of", p.stdout)
                else:
                    self.assertEqual(chk.returncode, 1, what)
                    self.assertRegex(chk.stderr, r"^evfwd: %s:\d+:\d+: mac-vrfs\[1\]\.static-macs: "
                                     r"1025 static MACs in all mac-vrfs \(remote-macs and static-macs\) "
                                     r"exceed node\.fdb-capacity \(1024\)\n$"
                                     % cfg, what)
                    self.assertEqual(p.returncode, 1, what)
                    self.assertNotIn("FDB full", p.stderr, what)
                    self.assertIn("exceed node.fdb-capacity (1024)", p.stderr, what)

    def test_failures_after_loading_free_the_config(self):
        """A valid config whose bring-up fails (a net_pcap input that does not exist),
        or whose EAL arguments are refused, exits 1 with the reason and frees what it
        loaded: in a -Dsanitizers=true build a leak report would exit 99 instead."""
        text = config().replace('"{dev:uplink}"', '"net_pcap9,rx_pcap=/nonexistent/in.pcap,'
                                'tx_pcap={dir}/uplink_out.pcap"')
        rundir, cfg, _ = self.lab.prepare(text, {}, tag="bringup")
        runs = {
            "bring-up": ([E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--exit-on-idle", "100"],
                         "evfwd: port uplink: cannot probe device"),
            "EAL": ([E.EVFWD, "--no-huge", "--no-such-eal-option", "--", "--config", cfg],
                    "evfwd: EAL initialisation failed"),
        }
        for name, (args, msg) in runs.items():
            with self.subTest(name):
                p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   timeout=60, cwd=rundir)
                what = "%s: rc %d\nstdout: %r\nstderr: %r" % (name, p.returncode, p.stdout,
                                                               p.stderr)
                self.assertEqual(p.returncode, 1, what)
                self.assertIn(msg, p.stderr, what)
                self.assertNotIn("Sanitizer", p.stderr, what)

    def test_good_config_opens_its_ports(self):
        """The control: without the mistake the same config runs and the net_pcap
        devices write their tx_pcap files (so their absence above means something)."""
        text, _, _ = locate(config("MTU", "1600"))
        p, cfg, outs = self.run_evfwd(text, "good")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("mbufs in use after stop: 0 of", p.stdout)
        self.assertEqual([o for o in outs if not os.path.exists(o)], [])


if __name__ == "__main__":
    E.main()
