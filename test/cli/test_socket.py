#!/usr/bin/python3
"""test_socket.py: evfwd's control socket, protocol and bad input (suite "cli").

One evfwd (headless, a FIFO command file, control socket with max-clients 4
and output-buffer 65536) forwards all along: host1 replays 16 frames without
end (net_pcap infinite_rx) to a remote MAC, encapsulated out of the uplink
(net_null). A monitor client stays connected the whole time; after every bad
input the test checks, through it, that the uplink's TX counter still
moves, and reads "show control-socket" to check the counter of that case
moved by exactly what was done.

- greeting "= 0 evfwd VERSION protocol 1 node cli1"; a command's output over
  the socket is byte for byte what the shell prints for it from the command
  file (show mac-vrf, show fdb, show vteps, help);
- failures: unknown command, bad arguments, a rejected route, an unknown
  MAC-VRF and port: "! WHY" then "= 1 failed", exact texts; a good route
  "= 0 ok"; blank line and comment "= 0 ok"; "@commands" lists exactly the
  commands "help" lists; an unknown request "= 1";
- over-long lines: 1023 characters run, 1024 are refused ("= 2"), a line
  whose text after 1023 characters is "port stop all" stops nothing, a
  100,000-character line sent in 1,000-byte pieces too; the connection goes
  on after each;
- binary garbage: 64 KiB of random bytes with newlines: one reply per line,
  each with the code its line deserves (2: NUL, control character or too
  long; 0: blank or comment; 1: anything else), while another client is
  answered in time; 1 MiB without a newline, then a disconnect: nothing runs,
  "partial" counts it;
- disconnect during a command: "sleep 20000" then a hang-up: evfwd cuts the
  sleep short and answers others at once (hangup_cmd); a client with output
  evfwd could not send yet that hangs up (hangup_out);
- a thousand connects: 3 free slots greeted, 997 refused with "! too many
  clients ..." and "= 3 refused" then closed (refused_full + 997); the slots
  come back once they close;
- several clients at once: 3 threads x 100 commands (echo markers, show
  mac-vrf, route add/del of distinct MACs): every reply is its own, the FDB
  holds every MAC after, none after the withdrawals;
- a client that never reads its output is dropped once output-buffer bytes
  wait (dropped_full), others served;
- "quit" from a client ends its session ("= 3 bye"), not evfwd.
At the end evfwd quits cleanly (no mbuf in use), every frame host1 received
went out of the uplink, no drop.
"""
import os
import random
import resource
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E
LIMIT = 1023


def expected_code(line):
    """The code evfwd must answer a raw line with (doc/shell.md)."""
    if line.endswith(b"\r"):
        line = line[:-1]
    if len(line) > LIMIT:
        return 2
    if any(b == 0 or (b < 0x20 and b != 0x09) or b == 0x7f for b in line):
        return 2
    s = line.lstrip(b" \t")
    if s == b"" or s.startswith(b"#"):
        return 0
    return 1


class ControlSocket(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-socket")
        cls.live = C.Live(cls.lab, max_clients=4, outbuf=65536)
        cls.mon = cls.live.client()

    @classmethod
    def tearDownClass(cls):
        cls.mon.close()
        res = cls.live.quit()
        # every frame host1 received was encapsulated out of the uplink
        self = cls
        host1, uplink = res.ports["host1"], res.ports["uplink"]
        if not (host1["rx_packets"] > 0 and host1["rx_packets"] == uplink["tx_packets"]):
            self.lab.failed = True
            raise AssertionError("host1 RX %d != uplink TX %d" % (host1["rx_packets"],
                                                                 uplink["tx_packets"]))
        res.assert_drops({})

    def cnt(self):
        return C.counters(self.mon.ok("show control-socket"))

    def assertForwarding(self, before, what):
        """The uplink's TX counter moves past before (traffic flows)."""
        C.wait_until(lambda: C.uplink_tx(self.mon) > before, 10,
                     "the uplink to transmit again after " + what)

    def assertDelta(self, c0, c1, **want):
        got = {k: c1[k] - c0[k] for k in want}
        self.assertEqual(got, want)

    # ---- greeting, same output as the shell ----

    def test_01_greeting_and_shell_output(self):
        out, err, code, words = self.mon.greeting
        self.assertEqual((out, err, code), ([], [], 0))
        self.assertRegex(words, C.GREETING)
        self.assertEqual(C.GREETING.match(words).group(1), "cli1")
        for cmd in ("show mac-vrf", "show vteps", "show fdb mac-vrf A", "help"):
            self.assertEqual(self.mon.ok(cmd), self.live.run.cmd(cmd), cmd)

    # ---- failed commands ----

    def test_02_failures(self):
        c = self.live.client()
        try:
            self.assertEqual(c.cmd("bogus command"),
                             ([], ["unknown command: 'bogus command' (type help)"], 1, "failed"))
            self.assertEqual(c.cmd("sleep abc"),
                             ([], ["bad arguments: 'sleep abc' (type help)"], 1, "failed"))
            self.assertEqual(c.cmd("route add rt2 vni 9 mac 02:00:00:00:0a:01 vtep 198.18.0.3"),
                             ([], ["rt2 add vni 9 mac 02:00:00:00:0a:01 vtep 198.18.0.3 seq 0:"
                                   " rejected (unknown-vni)"], 1, "failed"))
            self.assertEqual(c.cmd("route add rt2 vni abc mac 02:00:00:00:0a:01 vtep 198.18.0.3"),
                             ([], ["Route not applied: vni 'abc' is not 1..16777215"], 1,
                              "failed"))
            self.assertEqual(c.cmd("show fdb mac-vrf nope"),
                             ([], ["No MAC-VRF named 'nope'."], 1, "failed"))
            self.assertEqual(c.cmd("port stop nosuch"),
                             ([], ["No port named 'nosuch'."], 1, "failed"))
            self.assertEqual(c.cmd("route add rt2 vni 5001 mac 02:00:00:00:0a:01 vtep 198.18.0.3"),
                             (["rt2 add vni 5001 mac 02:00:00:00:0a:01 vtep 198.18.0.3 seq 0:"
                               " applied"], [], 0, "ok"))
            self.assertEqual(c.cmd("route del rt2 vni 5001 mac 02:00:00:00:0a:01 vtep 198.18.0.3"),
                             (["rt2 del vni 5001 mac 02:00:00:00:0a:01 vtep 198.18.0.3 seq 0:"
                               " applied"], [], 0, "ok"))
            self.assertEqual(c.cmd(""), ([], [], 0, "ok"))
            self.assertEqual(c.cmd("   # a comment"), ([], [], 0, "ok"))
            self.assertEqual(c.cmd("echo hello"), (["hello"], [], 0, "ok"))
            # the command list: one line per command "help" lists, same help text;
            # "help" sums the JSON forms ("show ... json") up in one line
            grammar = c.ok("@commands")
            helps = [l.strip() for l in c.ok("help")[1:]]
            plain = [g for g in grammar if not g.split("\t", 1)[0].endswith(" json")]
            self.assertGreaterEqual(len(grammar) - len(plain), 7)
            json_help = [h for h in helps if h.startswith("show ... json:")]
            self.assertEqual(len(json_help), 1)
            self.assertEqual([g.split("\t", 1)[1] for g in plain],
                             [h for h in helps if h not in json_help])
            self.assertIn("show fdb mac-vrf <word>\tshow fdb mac-vrf <name>: MAC table of one"
                          " MAC-VRF", grammar)
            self.assertIn("port start|stop <word>\tport start|stop <port>|all: resume or stop"
                          " forwarding on a port", grammar)
            out, err, code, _ = c.cmd("@bogus")
            self.assertEqual((out, code), ([], 1))
            self.assertEqual(len(err), 1)
            self.assertIn("unknown request", err[0])
        finally:
            c.close()

    # ---- over-long lines ----

    def test_03_over_long_lines(self):
        c0, tx0 = self.cnt(), C.uplink_tx(self.mon)
        c = self.live.client()
        try:
            self.assertEqual(c.cmd("#" + "x" * (LIMIT - 1)), ([], [], 0, "ok"))
            refused = ([], ["line longer than 1023 characters: not run"], 2, "refused")
            self.assertEqual(c.cmd("#" + "x" * LIMIT), refused)
            # the text after character 1023 is a command: it must not run
            self.assertEqual(c.cmd("#" + "x" * (LIMIT - 1) + "port stop all"), refused)
            self.assertEqual(c.cmd("echo x" + " " * (LIMIT - 6) + "port stop all"), refused)
            # 100,000 characters in 1,000-byte pieces, a tail "port stop all"
            big = ("#" * 99987 + "port stop all").encode()
            for i in range(0, len(big), 1000):
                c.send(big[i:i + 1000])
                time.sleep(0.001)
            c.send(b"\n")
            self.assertEqual(c.reply(), refused)
            self.assertEqual(c.cmd("echo still-framed"), (["still-framed"], [], 0, "ok"))
        finally:
            c.close()
        admin = {p: r["Admin"] for p, r in C.port_stats(self.mon.ok("show port stats")).items()}
        self.assertEqual(admin, {"uplink": "up", "host1": "up", "host2": "up"})
        c1 = self.cnt()
        self.assertDelta(c0, c1, refused_long=4, refused_ctrl=0, commands=3 + 1)
        self.assertForwarding(tx0, "over-long lines")

    # ---- binary garbage ----

    def test_04_binary_garbage(self):
        rnd = random.Random(11)
        data = bytearray(rnd.getrandbits(8) for _ in range(65536))
        for i in range(0, len(data), rnd.randint(40, 3000)):
            data[i] = 0x0a
        data[-1] = 0x0a
        lines = bytes(data).split(b"\n")[:-1]
        want = [expected_code(l) for l in lines]
        self.assertGreater(want.count(2), 5)
        self.assertGreater(want.count(1), 0)
        c0, tx0 = self.cnt(), C.uplink_tx(self.mon)
        c = self.live.client()
        codes, late = [], []

        def other():  # another client is served while the garbage flows
            o = self.live.client()
            try:
                for i in range(20):
                    t = time.monotonic()
                    if o.ok("echo other-%d" % i) != ["other-%d" % i]:
                        late.append("wrong answer")
                    if time.monotonic() - t > 2:
                        late.append(time.monotonic() - t)
            finally:
                o.close()
        th = threading.Thread(target=other)
        th.start()
        try:
            sender = threading.Thread(target=c.send, args=(bytes(data),))
            sender.start()
            for _ in lines:
                codes.append(c.reply()[2])
            sender.join()
        finally:
            th.join()
            c.close()
        self.assertEqual(codes, want)
        self.assertEqual(late, [], "the other client waited")
        # 1 MiB without a newline, then a disconnect: nothing of it runs
        c1 = self.cnt()
        g = self.live.client()
        junk = bytes(rnd.choice(b"abcdefgh \t\x00\x01\xff") for _ in range(1 << 20))
        g.send(junk.replace(b"\n", b"x"))
        g.close()
        C.wait_until(lambda: self.cnt()["partial"] > c1["partial"], 10, "the partial line")
        c2 = self.cnt()
        # nothing of it ran: no command failed, no line was refused
        self.assertDelta(c1, c2, partial=1, failed=0, refused_long=0, refused_ctrl=0)
        # every line counted where it belongs
        runs = [l for l, w in zip(lines, want) if w == 1]
        n_req = sum(1 for l in runs if l.lstrip(b" \t").startswith(b"@"))
        self.assertEqual(c1["refused_long"] + c1["refused_ctrl"] - c0["refused_long"] -
                         c0["refused_ctrl"], want.count(2))
        self.assertDelta(c0, c1, requests=n_req, bad_request=n_req,
                         failed=len(runs) - n_req, hangup_cmd=0, hangup_out=0, dropped_full=0)
        self.assertForwarding(tx0, "binary garbage")

    # ---- hang-ups ----

    def test_05_hangup_during_command(self):
        c0 = self.cnt()
        a = self.live.client()
        a.send("sleep 20000\nshow fdb\n")
        time.sleep(0.3)  # the sleep runs (and nobody else is served meanwhile)
        t = time.monotonic()
        a.close()
        # the main thread is free again at once: the sleep was cut short
        self.assertEqual(self.mon.ok("echo after-hangup"), ["after-hangup"])
        self.assertLess(time.monotonic() - t, 5)
        c1 = self.cnt()
        self.assertDelta(c0, c1, hangup_cmd=1, hangup_out=0)

    def test_06_hangup_with_unsent_output(self):
        """A client that stops reading, then hangs up while evfwd holds output
        for it: counted as gone before reading its output."""
        c0 = self.cnt()
        x = self.live.client()
        unsent = 0
        for i in range(200):
            x.send("show drops all\n")
            rows = C.clients_table(self.mon.ok("show control-socket"))
            unsent = max([int(r["Unsent bytes"]) for r in rows] + [0])
            if unsent > 0:
                break
        self.assertGreater(unsent, 0, "evfwd never had output waiting")
        self.assertLess(unsent, 65536)
        x.close()
        C.wait_until(lambda: self.cnt()["hangup_out"] > c0["hangup_out"], 10, "hangup_out")
        self.assertDelta(c0, self.cnt(), hangup_out=1, dropped_full=0, hangup_cmd=0)

    def test_07_never_reads(self):
        c0, tx0 = self.cnt(), C.uplink_tx(self.mon)
        y = self.live.client()
        y.s.settimeout(1)
        sent = 0
        dropped = False
        end = time.monotonic() + 30
        while time.monotonic() < end and not dropped:
            try:
                y.s.sendall(b"show drops all\n" * 20)
                sent += 20
            except (BrokenPipeError, ConnectionResetError):
                dropped = True
            except socket.timeout:  # evfwd stopped reading us: did it drop us?
                dropped = self.cnt()["dropped_full"] > c0["dropped_full"]
        y.close()
        C.wait_until(lambda: self.cnt()["dropped_full"] > c0["dropped_full"], 10, "the drop")
        c1 = self.cnt()
        self.assertDelta(c0, c1, dropped_full=1, hangup_out=0)
        # it was answered for a while: at least output-buffer bytes of replies
        self.assertGreater(c1["bytes_out"] - c0["bytes_out"], 65536)
        self.assertEqual(self.mon.ok("echo served"), ["served"])
        self.assertForwarding(tx0, "a client that never reads")

    # ---- many connections ----

    def test_08_thousand_connects(self):
        C.wait_until(lambda: "Clients: 1 connected" in "\n".join(
            self.mon.ok("show control-socket")), 10, "the other tests' clients to be gone")
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 1200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(hard, 1200), hard), hard))
        self.assertGreaterEqual(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1100,
                                "cannot open 1000 sockets in the test process")
        c0, tx0 = self.cnt(), C.uplink_tx(self.mon)
        socks = []
        try:
            for _ in range(1000):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.live.sock)  # blocking: waits while the backlog is full
                s.settimeout(20)
                socks.append(s)
            greeted, refused = 0, 0
            for s in socks:
                data = b""
                while not data.endswith(b"\n") or not data.split(b"\n")[-2].startswith(b"= "):
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                lines = data.decode().splitlines()
                if len(lines) == 1 and C.GREETING.match(lines[0][4:]) and lines[0][:4] == "= 0 ":
                    greeted += 1
                else:
                    self.assertEqual(lines, ["! too many clients: 4 connected (control-socket"
                                             " max-clients 4); try again later", "= 3 refused"])
                    self.assertEqual(s.recv(10), b"", "a refused connection is closed")
                    refused += 1
            self.assertEqual((greeted, refused), (3, 997))
            c1 = self.cnt()
            self.assertDelta(c0, c1, refused_full=997, accepted=3)
            self.assertForwarding(tx0, "a thousand connects")
        finally:
            for s in socks:
                s.close()
        # the three slots come back
        C.wait_until(lambda: "Clients: 1 connected" in "\n".join(
            self.mon.ok("show control-socket")), 10, "the slots to be free")
        n = self.live.client()
        self.assertEqual(n.ok("echo again"), ["again"])
        n.close()

    # ---- several clients at once ----

    def test_09_concurrent_clients(self):
        ref = self.mon.ok("show mac-vrf")
        errors = []

        def worker(k):
            c = self.live.client()
            try:
                for i in range(100):
                    mac = "02:00:00:0%d:%02x:01" % (k, i)
                    if i % 3 == 0:
                        got = c.cmd("echo c%d-%d" % (k, i))
                        want = (["c%d-%d" % (k, i)], [], 0, "ok")
                    elif i % 3 == 1:  # its counts change meanwhile: the table's shape
                        got = c.cmd("show mac-vrf")
                        got = ([l.split()[0] for l in got[0]],) + got[1:]
                        want = ([l.split()[0] for l in ref], [], 0, "ok")
                    else:
                        got = c.cmd("route add rt2 vni 5001 mac %s vtep 198.18.0.%d" % (mac, 10 + k))
                        want = (["rt2 add vni 5001 mac %s vtep 198.18.0.%d seq 0: applied"
                                 % (mac, 10 + k)], [], 0, "ok")
                    if got != want:
                        errors.append((k, i, got, want))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append((k, repr(e)))
            finally:
                c.close()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(1, 4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        rows = E.table_rows(self.mon.ok("show fdb mac-vrf A"))
        evpn = {r["Address"].lower(): r["Destination"] for r in rows if r["Type"] == "evpn"}
        want = {"02:00:00:0%d:%02x:01" % (k, i): "vxlan 198.18.0.%d" % (10 + k)
                for k in range(1, 4) for i in range(100) if i % 3 == 2}
        self.assertEqual(evpn, want)
        for mac, dest in want.items():
            self.mon.ok("route del rt2 vni 5001 mac %s vtep %s" % (mac, dest.split()[1]))
        rows = E.table_rows(self.mon.ok("show fdb mac-vrf A"))
        self.assertEqual([r for r in rows if r["Type"] == "evpn"], [])

    # ---- quit ----

    def test_10_quit_ends_the_session_only(self):
        c0 = self.cnt()
        q = self.live.client()
        self.assertEqual(q.cmd("quit"), ([], [], 3, "bye"))
        self.assertTrue(q.eof(), "the connection stays open after quit")
        q.close()
        self.assertEqual(self.mon.ok("echo alive"), ["alive"])
        self.assertIsNone(self.live.run.proc.poll(), "evfwd exited")
        self.assertDelta(c0, self.cnt(), quit=1)


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
