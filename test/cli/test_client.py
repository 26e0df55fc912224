#!/usr/bin/python3
"""test_client.py: evfwd-cli against a running evfwd (suite "cli").

evfwd runs headless with a control socket (max-clients 6) while host1's
frames are forwarded all along.

- one-shot: "evfwd-cli -s SOCK show mac-vrf" prints exactly what the shell
  prints (stdout), nothing on stderr, exit 0; a good route "applied", exit 0;
  failures exit 1 with evfwd's message alone on stderr and nothing on stdout
  (unknown MAC-VRF, unknown command, bad arguments, rejected route, malformed
  route); a line over 1023 characters is not sent (exit 1); "quit" leaves the
  client only (exit 0, evfwd still serves);
- usage errors exit 2 (bad -t, -n with a '/', unknown option), --help exits 0;
  no socket exits 3 naming it; -t 1 on "sleep 4000" exits 3 after about a
  second, and evfwd counts the client gone during its command;
- commands on standard input: every line runs, stdout holds the outputs in
  order, stderr the errors, the exit code is the worst (1); "quit" stops
  reading;
- every slot taken: evfwd-cli prints evfwd's refusal and exits 3;
- six evfwd-cli processes at once, 60 commands each from standard input:
  each gets exactly its own outputs;
- interactive on a pseudo-terminal (its controlling terminal): the prompt
  "cli2> ", TAB completing "sh" -> "show " and "mac" -> "mac-vrf ", the
  choices after "show " listed, "?" listing the commands that match "show
  port", a table, an error, history recalled with the up arrow and kept in
  ~/.evfwd_cli_history, Ctrl-C during "sleep 10000" (the connection dropped,
  evfwd cuts the sleep short, evfwd-cli connects again at once), "quit"
  exiting 0 while evfwd keeps running.
"""
import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E
ANSI = re.compile(rb"\x1b(\[[0-9;?]*[A-Za-z]|[A-Za-z=>])")
SHOW_WORDS = ("arp  control-socket  df  drops  es  events  fdb  irb  lacp  lag  learning  mac-vrf  metrics"
              "  nd  port  ring  routes  underlay  vteps  workers  xdp")


class Pty:
    """evfwd-cli with a pseudo-terminal as its controlling terminal."""

    def __init__(self, args, env):
        self.master, slave = os.openpty()

        def ctty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     preexec_fn=ctty)
        os.close(slave)
        self.raw = b""
        self.mark = 0

    def text(self):
        return ANSI.sub(b"", self.raw).replace(b"\r", b"").replace(b"\x07", b"").decode(
            errors="replace")

    def send(self, data):
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def _read(self, t):
        r, _, _ = select.select([self.master], [], [], t)
        if r:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            self.raw += chunk
            return bool(chunk)
        return False

    def expect(self, pattern, timeout=10):
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            text = self.text()[self.mark:]
            m = rx.search(text)
            if m:
                self.mark += m.end()
                return text[:m.end()]
            if time.monotonic() > end:
                raise AssertionError("no %r from evfwd-cli within %d s (exit %s); got:\n%s"
                                     % (pattern, timeout, self.proc.poll(), text[-3000:]))
            if not self._read(0.1) and self.proc.poll() is not None:
                time.sleep(0.05)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self.master)


class Client(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-client")
        cls.live = C.Live(cls.lab, node="cli2", max_clients=6)
        cls.sock = cls.live.sock
        cls.mon = cls.live.client()

    @classmethod
    def tearDownClass(cls):
        cls.mon.close()
        res = cls.live.quit()
        res.assert_drops({})

    def cli(self, *args, **kw):
        return C.cli(self.sock, *args, **kw)

    def cnt(self):
        return C.counters(self.mon.ok("show control-socket"))

    def wait_free(self):
        C.wait_until(lambda: "Clients: 1 connected" in "\n".join(
            self.mon.ok("show control-socket")), 10, "the other clients to be gone")

    # ---- one-shot ----

    def test_01_one_shot(self):
        want = "\n".join(self.live.run.cmd("show mac-vrf")) + "\n"
        self.assertEqual(self.cli("show", "mac-vrf"), (0, want, ""))
        self.assertEqual(self.cli("show mac-vrf"), (0, want, ""))
        mac = "02:00:00:00:0b:01"
        self.assertEqual(self.cli("route", "add", "rt2", "vni", "5001", "mac", mac, "vtep",
                                  "198.18.0.4"),
                         (0, "rt2 add vni 5001 mac %s vtep 198.18.0.4 seq 0: applied\n" % mac, ""))
        self.assertEqual(self.cli("route del rt2 vni 5001 mac %s vtep 198.18.0.4" % mac)[0], 0)
        self.assertEqual(self.cli("quit"), (0, "", ""))
        self.assertEqual(self.mon.ok("echo alive"), ["alive"])

    def test_02_one_shot_failures(self):
        cases = [
            (("show", "fdb", "mac-vrf", "nope"), "No MAC-VRF named 'nope'.\n"),
            (("bogus",), "unknown command: 'bogus' (type help)\n"),
            (("sleep", "x"), "bad arguments: 'sleep x' (type help)\n"),
            (("route", "add", "rt2", "vni", "9", "mac", "02:00:00:00:0b:02", "vtep", "198.18.0.4"),
             "rt2 add vni 9 mac 02:00:00:00:0b:02 vtep 198.18.0.4 seq 0: rejected (unknown-vni)\n"),
            (("route", "add", "rt2", "vni", "5001", "mac", "zz", "vtep", "198.18.0.4"),
             "Route not applied: mac 'zz' is not a MAC address\n"),
            (("port", "start", "nosuch"), "No port named 'nosuch'.\n"),
            (("echo", "x" * 1100), "evfwd-cli: line longer than 1023 characters: not run\n"),
        ]
        for args, err in cases:
            got = self.cli(*args)
            self.assertEqual(got[:2], (1, ""), args)
            if args[0] == "route" and "zz" in args:
                self.assertTrue(got[2].startswith("Route not applied: mac 'zz'"), got)
            else:
                self.assertEqual(got[2], err, args)

    def test_03_usage_connection_timeout(self):
        for args in (["-t", "abc", "show", "fdb"], ["-n", "a/b", "show"], ["--bogus"]):
            p = subprocess.run([C.EVFWD_CLI] + args, capture_output=True, text=True, timeout=10)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertEqual(p.stdout, "")
        p = subprocess.run([C.EVFWD_CLI, "--help"], capture_output=True, text=True, timeout=10)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        self.assertIn("Usage: evfwd-cli", p.stdout)
        missing = os.path.join(self.lab.dir, "none.sock")
        self.assertEqual(C.cli(missing, "show", "fdb"),
                         (3, "", "evfwd-cli: cannot connect to %s: No such file or directory (is"
                          " evfwd running with a control-socket section?)\n" % missing))
        self.wait_free()
        c0 = self.cnt()
        t = time.monotonic()
        self.assertEqual(self.cli("-t", "1", "sleep", "4000"),
                         (3, "", "evfwd-cli: no reply from evfwd within 1 s\n"))
        self.assertLess(time.monotonic() - t, 3)
        C.wait_until(lambda: self.cnt()["hangup_cmd"] > c0["hangup_cmd"], 10, "hangup_cmd")

    # ---- standard input ----

    def test_04_stdin(self):
        text = "echo a\nbogus\n\n# comment\nshow fdb mac-vrf nope\necho b\n"
        self.assertEqual(self.cli(input=text),
                         (1, "a\nb\n", "unknown command: 'bogus' (type help)\n"
                          "No MAC-VRF named 'nope'.\n"))
        self.assertEqual(self.cli(input="echo a\necho b\n"), (0, "a\nb\n", ""))
        self.assertEqual(self.cli(input="echo a\nquit\necho b\n"), (0, "a\n", ""))
        self.assertEqual(self.cli(input="echo a\nsleep\\x00\n".replace("\\x00", "\0")),
                         (1, "a\n", "evfwd-cli: stdin:2: line contains a NUL character: not run\n"))

    def test_05_refused_when_full(self):
        self.wait_free()
        held = [self.live.client() for _ in range(5)]  # with the monitor: all 6 slots
        try:
            self.assertEqual(self.cli("echo", "x"),
                             (3, "", "too many clients: 6 connected (control-socket max-clients"
                              " 6); try again later\nevfwd-cli: evfwd refused the connection\n"))
        finally:
            for c in held:
                c.close()

    def test_06_concurrent_processes(self):
        self.wait_free()
        results, errors = {}, []

        def one(k):
            text = "".join("echo p%d-%d\n" % (k, i) for i in range(60))
            try:
                results[k] = self.cli(input=text, timeout=60)
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
        threads = [threading.Thread(target=one, args=(k,)) for k in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for k in range(5):
            self.assertEqual(results[k], (0, "".join("p%d-%d\n" % (k, i) for i in range(60)), ""))

    # ---- interactive ----

    def test_07_interactive(self):
        self.wait_free()
        home = os.path.join(self.lab.dir, "home")
        os.makedirs(home, exist_ok=True)
        env = dict(os.environ, TERM="xterm", HOME=home)
        c0 = self.cnt()
        pty = Pty([C.EVFWD_CLI, "-s", self.sock], env)
        try:
            pty.expect(r"node cli2, on %s: TAB completes, \? lists commands, quit leaves\.\n"
                       % re.escape(self.sock))
            pty.expect(r"cli2> ")
            pty.send("sh\t")
            pty.expect(r"show $")
            pty.send("mac\t")
            pty.expect(r"mac-vrf $")
            pty.send("\r")
            table = pty.expect(r"\ncli2> ")
            want = self.live.run.cmd("show mac-vrf")
            self.assertIn("\n".join(want), table)
            pty.send("show \t")
            pty.expect(re.escape(SHOW_WORDS) + r"\n")
            pty.expect(r"cli2> show $")
            pty.send("\x01\x0bshow port ?")
            listing = pty.expect(r"show port info +driver, queues[^\n]*\n")
            self.assertIn("show port stats <word>", listing)
            self.assertIn("show port stats ", listing)
            pty.send("\x01\x0bshow fdb mac-vrf nope\r")
            pty.expect(r"No MAC-VRF named 'nope'\.\ncli2> ")
            pty.send("\x1b[A")
            pty.expect(r"show fdb mac-vrf nope")
            pty.send("\x01\x0bsleep 10000\r")
            time.sleep(0.5)
            t = time.monotonic()
            pty.send("\x03")
            pty.expect(r"evfwd-cli: interrupted: connecting again\n")
            pty.expect(r"cli2> ")
            self.assertLess(time.monotonic() - t, 5)
            pty.send("echo back\r")
            pty.expect(r"\nback\ncli2> ")
            pty.send("quit\r")
            pty.proc.wait(10)
            self.assertEqual(pty.proc.returncode, 0, pty.text()[-3000:])
        finally:
            pty.close()
        with open(os.path.join(home, ".evfwd_cli_history")) as fh:
            hist = fh.read()
        for cmd in ("show\\040mac-vrf", "show\\040fdb\\040mac-vrf\\040nope", "sleep\\04010000",
                    "echo\\040back", "quit"):
            self.assertIn(cmd + "\n", hist)
        c1 = self.cnt()
        self.assertEqual(c1["hangup_cmd"] - c0["hangup_cmd"], 1, "the interrupted sleep")
        self.assertEqual(c1["accepted"] - c0["accepted"], 2, "first connection and reconnection")
        self.assertEqual(self.mon.ok("echo alive"), ["alive"])
        self.assertIsNone(self.live.run.proc.poll())


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
