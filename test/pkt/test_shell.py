#!/usr/bin/python3
"""test_shell.py: the shell, from a command file and interactively (-i on a pty).

One leaf: uplink (network), host1 (access: MAC-VRF A untagged, C on VLAN 30),
host2 (access, MAC-VRF B, admin-state disable until "port start host2").
Flood lists: A -> 198.18.0.2, 198.18.0.3; B -> 198.18.0.3, 2001:2::5; C none;
static remote MACs RA behind 198.18.0.4 (A) and RB behind 198.18.0.3 (B).

ShellCommands (--cmdline-file): phase 1 traffic on uplink and host1; "show
port stats all", "show drops"; "clear stats" then every counter reads 0 (with
"show port stats all" and the bare "show port stats", which means all);
"port start host2" lets phase 2 in, and the counters count only phase 2
("show port stats host2" shows host2 alone; the final statistics agree);
"show mac-vrf" (bare) and "show vteps" are checked row by row, value by value.

ShellInteractive (-i on a pseudo-terminal): the prompt, "help" listing every
command, TAB completing a unique keyword ("sh" -> "show", "po" -> "port",
"st" -> "stats", "mac-v" -> "mac-vrf") and listing the choices after
"show port ", commands printing their tables, "quit" exiting 0 with the final
statistics and no mbuf in use.
"""
import os
import re
import select
import signal
import subprocess
import termios
import time

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import host_frame, vxlan4  # noqa: E402

CONFIG = """
node:
  name: shell
  vtep-ipv4: 198.18.0.1
  vtep-ipv6: 2001:2::1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
  - name: host1
    device: "{dev:host1}"
    role: access
  - name: host2
    device: "{dev:host2}"
    role: access
    admin-state: disable
mac-vrfs:
  - name: A
    vni: 5001
    mac-aging: 120
    attachments:
      - {port: host1, vlan: untagged}
    remote-vteps: [198.18.0.2, 198.18.0.3]
    remote-macs:
      - {mac: "00:c1:ab:00:0a:0a", vtep: 198.18.0.4}
  - name: B
    vni: 5002
    evi: 77
    mac-limit: 100
    attachments:
      - {port: host2, vlan: untagged}
    remote-vteps: [198.18.0.3, "2001:2::5"]
    remote-macs:
      - {mac: "00:c1:ab:00:0b:0b", vtep: 198.18.0.3}
  - name: C
    vni: 5003
    attachments:
      - {port: host1, vlan: 30}
workers:
  count: 1
  idle-sleep-us: 20
"""

H1, H2, H1C = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:01:03"
RA, RB, R1 = "00:c1:ab:00:0a:0a", "00:c1:ab:00:0b:0b", "00:c1:ab:00:02:01"
C_PEER = "00:c1:ab:00:01:33"    # destination in C, never seen: C floods to nobody

# phase 1: host1 and uplink
H1_TO_RA = [host_frame(H1, RA, "198.19.1.1", "198.19.4.1", 1000 + i, 80, size=64 + 10 * i)
            for i in range(5)]
H1_BAD = [host_frame("01:00:5e:00:00:01", RA, size=70)]          # bad-src-mac
H1C_FRAMES = [host_frame(H1C, C_PEER, "198.19.3.1", "198.19.3.2", 3000, 80, vlan=30, size=90)]
R1_TO_H1 = [host_frame(R1, H1, "198.19.2.1", "198.19.1.1", 2000 + i, 53, size=100 + i)
            for i in range(3)]
UPLINK_IN = [vxlan4(f, 5001, src="198.18.0.2") for f in R1_TO_H1]
HOST1_IN = H1_TO_RA[:2] + H1_BAD + H1_TO_RA[2:] + H1C_FRAMES
# phase 2: host2 (started by "port start host2")
H2_TO_RB = [host_frame(H2, RB, "198.19.5.1", "198.19.6.1", 4000 + i, 80, size=80 + i)
            for i in range(4)]
H2_NOATT = [host_frame(H2, RB, vlan=99, size=72), host_frame(H2, RB, vlan=99, size=73)]
HOST2_IN = H2_TO_RB[:2] + H2_NOATT + H2_TO_RB[2:]

CMDS = ["wait idle 300",
        "show port stats all", "show drops",
        "clear stats",
        "show port stats all", "show port stats", "show drops",
        "port start host2", "wait idle 300",
        "show port stats host2", "show port stats", "show drops",
        "show mac-vrf", "show vteps", "show port stats nosuch",
        "quit"]

PORT_COLS = ("RX-packets", "RX-bytes", "TX-packets", "TX-bytes", "Dropped")


def stats_of(rows):
    """{port: (admin, rx pkts, rx bytes, tx pkts, tx bytes, dropped)} of a port table."""
    return {r["Port"]: (r["Admin"],) + tuple(int(r[c]) for c in PORT_COLS) for r in rows}


def nbytes(frames, extra=0):
    return sum(len(f) + extra for f in frames)


# expected counters, per phase
PHASE1 = {
    "uplink": ("up", len(UPLINK_IN), nbytes(UPLINK_IN), len(H1_TO_RA), nbytes(H1_TO_RA, 50), 0),
    "host1": ("up", len(HOST1_IN), nbytes(HOST1_IN), len(R1_TO_H1), nbytes(R1_TO_H1),
              len(H1_BAD) + len(H1C_FRAMES)),
    "host2": ("down", 0, 0, 0, 0, 0),
}
ZERO = {"uplink": ("up", 0, 0, 0, 0, 0), "host1": ("up", 0, 0, 0, 0, 0),
        "host2": ("down", 0, 0, 0, 0, 0)}
PHASE2 = {
    "uplink": ("up", 0, 0, len(H2_TO_RB), nbytes(H2_TO_RB, 50), 0),
    "host1": ("up", 0, 0, 0, 0, 0),
    "host2": ("up", len(HOST2_IN), nbytes(HOST2_IN), 0, 0, len(H2_NOATT)),
}
DROPS1 = {"bad-src-mac": 1, "no-destination": 1}
DROPS2 = {"no-attachment": 2}


class ShellCommands(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("shell")
        # "show port stats nosuch" fails its line: evfwd exits 1 at the end
        cls.res = cls.lab.run(CONFIG, {"uplink": UPLINK_IN, "host1": HOST1_IN,
                                       "host2": HOST2_IN}, cmds=CMDS, expect_rc=1)

    def port_table(self, cmd, index):
        return stats_of(self.res.table(cmd, index))

    def test_1_counters_before_clear(self):
        self.assertEqual(self.port_table("show port stats all", 0), PHASE1)
        self.assertEqual(self.res.drops_in(0), DROPS1)

    def test_2_clear_stats_zeroes_everything(self):
        self.assertEqual(self.res.outputs_of("clear stats"), [["Statistics cleared."]])
        self.assertEqual(self.port_table("show port stats all", 1), ZERO)
        self.assertEqual(self.res.drops_in(1), {})
        self.assertEqual(self.res.outputs_of("show drops")[1], ["No drops.", "Total dropped: 0"])

    def test_3_bare_show_port_stats_is_all(self):
        # right after the clear and after phase 2: every port, as "all" prints them
        self.assertEqual(self.port_table("show port stats", 0), ZERO)
        self.assertEqual(self.port_table("show port stats", 1), PHASE2)
        self.assertEqual(self.res.table("show port stats", 0)[0].keys(),
                         self.res.table("show port stats all", 0)[0].keys())

    def test_4_counting_again_after_clear(self):
        self.assertEqual(self.res.drops_in(2), DROPS2)
        # the final statistics count from the clear too
        got = {p: (v["admin"], v["rx_packets"], v["rx_bytes"], v["tx_packets"], v["tx_bytes"],
                   v["dropped"]) for p, v in self.res.ports.items()}
        self.assertEqual(got, PHASE2)
        self.res.assert_drops(DROPS2)

    def test_5_show_port_stats_name(self):
        rows = self.res.table("show port stats host2", 0)
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(stats_of(rows), {"host2": PHASE2["host2"]})
        self.assertEqual(rows[0]["Role"], "access")
        self.assertEqual(self.res.outputs_of("show port stats nosuch"),
                         [["No port named 'nosuch' (see show port info)."]])
        # the one failed line, named with its number, and the exit code
        n = CMDS.index("show port stats nosuch") + 1
        cf = os.path.join(self.res.dir, "cmds.txt")
        self.assertEqual([l for l in self.res.stderr.splitlines() if l.startswith(cf) or
                          re.match(r"evfwd: \d+ command", l)],
                         ["%s:%d: No port named 'nosuch' (see show port info)." % (cf, n),
                          "evfwd: 1 command(s) in %s failed" % cf])
        self.assertEqual(self.res.rc, 1)

    def test_6_show_mac_vrf(self):
        rows = self.res.table("show mac-vrf", 0)
        got = {r["MAC-VRF"]: {k: v for k, v in r.items() if k != "MAC-VRF"} for r in rows}
        self.assertEqual(got, {
            "A": {"VNI": "5001", "EVI": "5001", "Attachments": "1", "Remote VTEPs": "2",
                  "Learned": "1", "Static": "1", "EVPN": "0", "Aging": "120", "Limit": "none"},
            "B": {"VNI": "5002", "EVI": "77", "Attachments": "1", "Remote VTEPs": "2",
                  "Learned": "1", "Static": "1", "EVPN": "0", "Aging": "300", "Limit": "100"},
            "C": {"VNI": "5003", "EVI": "5003", "Attachments": "1", "Remote VTEPs": "0",
                  "Learned": "1", "Static": "0", "EVPN": "0", "Aging": "300", "Limit": "none"},
        })
        self.assertEqual([r["MAC-VRF"] for r in rows], ["A", "B", "C"])

    def test_7_show_vteps(self):
        rows = self.res.table("show vteps", 0)
        got = {r["VTEP"]: (r["Family"], r["Usable"], r["MACs"], r["Flood in"], r["Refs"])
               for r in rows}
        # Refs: one per flood list holding the VTEP, one per MAC behind it
        self.assertEqual(got, {
            "198.18.0.2": ("ipv4", "yes", "0", "A", "1"),
            "198.18.0.3": ("ipv4", "yes", "1", "A,B", "3"),
            "198.18.0.4": ("ipv4", "yes", "1", "-", "1"),
            "2001:2::5": ("ipv6", "yes", "0", "B", "1"),
        })
        self.assertEqual(len(rows), 4, rows)
        self.assertEqual(sorted(r["Id"] for r in rows), sorted({r["Id"] for r in rows}),
                         "VTEP ids not unique")

    def test_8_frames(self):
        self.assertFrames(self.res.out("host1"), R1_TO_H1, "host1 output")
        self.assertFrames(self.res.out("host2"), [], "host2 output")
        out = self.res.out("uplink")
        self.assertEqual(len(out), len(H1_TO_RA) + len(H2_TO_RB))
        for n, (pkt, (inner, vni, dst)) in enumerate(zip(out, [(f, 5001, "198.18.0.4")
                                                               for f in H1_TO_RA] +
                                                         [(f, 5002, "198.18.0.3")
                                                          for f in H2_TO_RB])):
            E.assert_vxlan(pkt, inner=inner, vni=vni, dst_ip=dst, what="uplink #%d" % n)

    def test_9_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


# ------------------------------------------------------------- interactive --

ANSI = re.compile(rb"\x1b(\[[0-9;]*[A-Za-z]|[A-Za-z])")
PROMPT = "evfwd> "

# every command "help" must list (the start of its help line)
HELP_COMMANDS = [
    "show port stats all|<port>:", "show port stats:", "show port info:", "show xdp:",
    "show mac-vrf:", "show mac-vrf <name>:", "show fdb:", "show fdb mac-vrf <name>:",
    "show drops all:", "show vteps|drops|workers|learning:", "clear stats:",
    "route add|del", "show es|df|routes|ring|lacp|lag:", "show events:",
    "clear mac-duplication:", "port start|stop <port>|all:", "sleep <ms>:", "echo <word>:",
    "wait idle <ms>:", "quit:", "help:", "show control-socket:",
]


class Pty:
    """evfwd with its stdin and stdout on a pseudo-terminal (stderr to a file)."""

    def __init__(self, args, cwd, err_path):
        self.master, slave = os.openpty()
        self.err = open(err_path, "w")
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=self.err,
                                     cwd=cwd, start_new_session=True)
        self.slave = slave  # kept until the shell has set the terminal up (wait_raw)
        self.raw = b""      # everything read, as sent
        self.mark = 0       # start of the text(raw) not yet returned by expect()

    def text(self, b):
        return ANSI.sub(b"", b).replace(b"\r", b"").decode(errors="replace")

    def send(self, data):
        os.write(self.master, data.encode())

    def expect(self, pattern, timeout=20):
        """Read until the regex pattern matches the (escape-free) text since the last
        expect(); returns that text up to the end of the match."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            text = self.text(self.raw)[self.mark:]
            m = rx.search(text)
            if m:
                self.mark += m.end()
                return text[:m.end()]
            left = end - time.monotonic()
            if left <= 0 or self.proc.poll() is not None and not self._ready(0):
                raise AssertionError("no %r from evfwd within %d s (exit code %s); got:\n%s"
                                     % (pattern, timeout, self.proc.poll(), text[-3000:]))
            if self._ready(min(left, 0.2)):
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: the slave side is closed
                    chunk = b""
                if not chunk:
                    if self.proc.poll() is None:
                        time.sleep(0.05)
                    continue
                self.raw += chunk

    def wait_raw(self, timeout=20):
        """DPDK's cmdline prints its prompt before it turns off the terminal's echo
        and line mode: wait for that, so that what is typed next is read by it."""
        end = time.monotonic() + timeout
        while termios.tcgetattr(self.slave)[3] & (termios.ICANON | termios.ECHO):
            if time.monotonic() > end or self.proc.poll() is not None:
                raise AssertionError("evfwd's shell did not set the terminal to raw mode "
                                     "within %d s (exit code %s)" % (timeout, self.proc.poll()))
            time.sleep(0.01)
        os.close(self.slave)
        self.slave = None

    def _ready(self, t):
        r, _, _ = select.select([self.master], [], [], t)
        return bool(r)

    def drain(self, timeout=10):
        """Everything until evfwd closes the terminal (after it exited)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self._ready(0.2):
                if self.proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.raw += chunk
        return self.text(self.raw)[self.mark:]

    def close(self):
        if self.slave is not None:
            os.close(self.slave)
            self.slave = None
        if self.proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                    self.proc.wait(timeout=10)
                    break
                except (OSError, subprocess.TimeoutExpired):
                    pass
        try:
            os.close(self.master)
        except OSError:
            pass
        self.err.close()


class ShellInteractive(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("shell-i")
        rundir, cfg, _ = cls.lab.prepare(CONFIG, {"uplink": UPLINK_IN, "host1": HOST1_IN,
                                                  "host2": HOST2_IN}, tag="interactive")
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "-i"]
        cls.t = {}
        pty = Pty(args, rundir, os.path.join(rundir, "stderr.txt"))
        try:
            cls.t["start"] = pty.expect(r"forwarding with 1 worker\(s\)\n" + PROMPT)
            pty.wait_raw()
            pty.send("help\r")
            cls.t["help"] = pty.expect(r"help: this list\n(?:  .*\n)*" + PROMPT)
            pty.send("wait idle 300\r")
            pty.expect(r"wait idle 300\n" + PROMPT)
            # TAB on a unique prefix completes the keyword and a space
            pty.send("sh\t")
            cls.t["tab_show"] = pty.expect(r"show $")
            pty.send("po\t")
            cls.t["tab_port"] = pty.expect(r"port $")
            # TAB after "show port ": the choices, then the prompt and the line again
            pty.send("\t")
            cls.t["tab_choices"] = pty.expect(PROMPT + r"show port $")
            pty.send("st\t")
            cls.t["tab_stats"] = pty.expect(r"stats $")
            pty.send("\r")
            cls.t["stats"] = pty.expect(r"\n" + PROMPT)
            pty.send("show mac-v\t")
            cls.t["tab_macvrf"] = pty.expect(r"mac-vrf $")
            pty.send("\r")
            cls.t["macvrf"] = pty.expect(r"\n" + PROMPT)
            pty.send("show fdb\r")
            cls.t["fdb"] = pty.expect(r"Total MACs: .*\n" + PROMPT)
            pty.send("show nonsense\r")
            cls.t["bad"] = pty.expect(r"\n" + PROMPT)
            pty.send("quit\r")
            cls.t["quit"] = pty.drain(30)
            try:
                cls.rc = pty.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cls.rc = None
        except BaseException:
            cls.lab.failed = True
            raise
        finally:
            pty.close()
        with open(os.path.join(rundir, "stdout.txt"), "w") as fh:
            fh.write(pty.text(pty.raw))

    def lines(self, key):
        """Output lines of one step, without the prompt that ended it."""
        lines = self.t[key].split("\n")
        return lines[:-1] if lines and lines[-1] == PROMPT else lines

    def test_help_lists_every_command(self):
        helps = [l.strip() for l in self.lines("help")]
        self.assertEqual(helps[1], "Commands (TAB completes keywords):")
        missing = [c for c in HELP_COMMANDS if not any(h.startswith(c) for h in helps)]
        self.assertEqual(missing, [], "commands missing from help:\n" + self.t["help"])

    def test_tab_completes_unique_keywords(self):
        # the echo of what was typed, then the completion
        self.assertEqual(self.t["tab_show"], "show ")
        self.assertEqual(self.t["tab_port"], "port ")
        self.assertEqual(self.t["tab_stats"], "stats ")
        self.assertEqual(self.t["tab_macvrf"], "show mac-vrf ")

    def test_tab_lists_choices(self):
        # one line per command that can follow (two for stats: bare and with a name)
        choices = re.findall(r"^ (\S+) \[Fixed STRING\]: (show port \S+)", self.t["tab_choices"],
                             re.M)
        self.assertEqual(sorted(set(choices)), [("info", "show port info:"),
                                                ("stats", "show port stats"),
                                                ("stats", "show port stats:")],
                         repr(self.t["tab_choices"]))

    def test_bare_show_port_stats_table(self):
        rows = E.table_rows(self.lines("stats"))
        got = stats_of(rows)
        # everything of phase 1 arrived; host2 is still disabled and sent nothing
        self.assertEqual(got, PHASE1)

    def test_show_mac_vrf_table(self):
        rows = E.table_rows(self.lines("macvrf"))
        self.assertEqual([(r["MAC-VRF"], r["VNI"]) for r in rows],
                         [("A", "5001"), ("B", "5002"), ("C", "5003")])

    def test_show_fdb_table(self):
        rows = E.table_rows(self.lines("fdb"))
        got = {(r["MAC-VRF"], r["Address"], r["Destination"], r["Type"]) for r in rows}
        self.assertEqual(got, {("A", H1, "host1", "learnt"),
                               ("A", RA, "vxlan 198.18.0.4", "static"),
                               ("B", RB, "vxlan 198.18.0.3", "static"),
                               ("C", H1C, "host1.30", "learnt")})

    def test_bad_command_reported(self):
        self.assertIn("Bad arguments", self.t["bad"])

    def test_quit_exits_0_with_final_statistics(self):
        self.assertEqual(self.rc, 0, self.t["quit"][-3000:])
        self.assertIn("==== final statistics ====", self.t["quit"])
        m = re.search(r"mbufs in use after stop: (\d+) of \d+", self.t["quit"])
        self.assertIsNotNone(m, self.t["quit"][-3000:])
        self.assertEqual(m.group(1), "0")


if __name__ == "__main__":
    E.main()
