#!/usr/bin/python3
"""clilib.py: shared pieces of the control-socket and evfwd-cli tests (suite "cli").

Built on test/pkt/evfpkt.py (Lab, LiveRun: evfwd in the background with a
FIFO command file, scapy frames, pcap files). Here:

- Client: a raw control-socket client that checks the framing of every reply
  (doc/shell.md: "| " output lines, "! " error lines, a last "= CODE WORDS"
  line) and returns (output lines, error lines, code, words);
- counters(): "show control-socket" as {counter: value};
- port_stats(): "show port stats" rows as {port: {column: int}};
- Live: evfwd started headless with a control socket in the lab's directory,
  traffic replayed without end on host1 (net_pcap infinite_rx) towards a
  remote MAC, so that every test can check forwarding goes on;
- EVFWD_CLI (the binary, from the environment or build/app/evfwd-cli).

Addresses: 198.18.0.0/15 only. Every evfwd is started by LiveRun (killed at
exit if a test failed half-way); sockets live in the lab's directory, which
evfpkt removes when every test passed.
"""
import os
import re
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "pkt"))
import evfpkt as E  # noqa: E402

EVFWD_CLI = os.environ.get("EVFWD_CLI") or os.path.join(_HERE, "..", "..", "build", "app",
                                                        "evfwd-cli")
if not (os.path.isfile(EVFWD_CLI) and os.access(EVFWD_CLI, os.X_OK)):
    E._die("evfwd-cli not found at %s (build it or set EVFWD_CLI)" % EVFWD_CLI)

HOST = "02:00:00:00:01:01"      # on host1
REMOTE = "02:00:00:00:09:99"    # behind 198.18.0.2 (remote-macs)
GREETING = re.compile(r"^evfwd \S+ protocol 1 node (\S+)$")

CONFIG = """
node:
  name: {node}
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "net_null0,no-rx=1"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
  - name: host1
    device: "net_pcap0,rx_pcap={dir}/host1_in.pcap,infinite_rx=1"
    role: access
  - name: host2
    device: "net_null1,no-rx=1"
    role: access
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {{port: host1, vlan: untagged}}
      - {{port: host2, vlan: untagged}}
    remote-vteps: [198.18.0.2]
    remote-macs:
      - {{mac: "{remote}", vtep: 198.18.0.2}}
control-socket:
  path: {sock}
  max-clients: {max_clients}
  output-buffer: {outbuf}
"""


def frames(n=16):
    """Unicast frames from HOST to REMOTE: encapsulated to 198.18.0.2."""
    return [E.host_frame(HOST, REMOTE, "198.18.1.1", "198.18.1.2", 1000 + i, 80, size=100)
            for i in range(n)]


class Live:
    """evfwd with a control socket, traffic flowing on host1 -> uplink."""

    def __init__(self, lab, node="cli1", max_clients=4, outbuf=65536, max_runtime=90,
                 extra_args=(), sock=None, extra_yaml=""):
        self.lab = lab
        lab.runs += 1
        self.dir = os.path.join(lab.dir, "in%d" % lab.runs)
        os.makedirs(self.dir)
        E.write_pcap(os.path.join(self.dir, "host1_in.pcap"), frames())
        self.sock = sock or os.path.join(self.dir, "ctl.sock")
        cfg = CONFIG.format(node=node, dir=self.dir, remote=REMOTE, sock=self.sock,
                            max_clients=max_clients, outbuf=outbuf) + extra_yaml
        self.run = E.LiveRun(lab, cfg, max_runtime=max_runtime, extra_args=extra_args)

    def client(self, **kw):
        return Client(self.sock, **kw)

    def quit(self):
        res = self.run.quit()
        res.assert_no_mbuf_leak()
        return res

    def close(self):
        self.run.close()


class ProtocolError(AssertionError):
    pass


class Client:
    """A raw control-socket client; every reply's framing is checked."""

    def __init__(self, path, timeout=20, greet=True):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b""
        self.greeting = self.reply() if greet else None

    def readline(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("evfwd closed the connection (unread: %r)" % self.buf[:200])
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace")

    def reply(self):
        """(output lines, error lines, code, words) of the next reply."""
        out, err = [], []
        while True:
            line = self.readline()
            if line.startswith("| ") or line == "|":
                out.append(line[2:])
            elif line.startswith("! "):
                err.append(line[2:])
            elif re.match(r"^= \d+( |$)", line):
                parts = line.split(" ", 2)
                return out, err, int(parts[1]), parts[2] if len(parts) > 2 else ""
            else:
                raise ProtocolError("reply line without a tag: %r" % line)

    def send(self, data):
        self.s.sendall(data if isinstance(data, bytes) else data.encode())

    def cmd(self, text):
        self.send(text + "\n")
        return self.reply()

    def ok(self, text):
        """Output lines of a command that must succeed."""
        out, err, code, words = self.cmd(text)
        if code != 0 or err:
            raise AssertionError("%r: code %d %s, errors %r" % (text, code, words, err))
        return out

    def eof(self, timeout=10):
        """True once evfwd closed the connection (whatever it sent before)."""
        self.s.settimeout(timeout)
        try:
            while True:
                chunk = self.s.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def counters(lines):
    """'show control-socket' output lines -> {counter: value}."""
    for i, l in enumerate(lines):
        if l.startswith("Counter") and "Meaning" in l:
            rows, _ = E.parse_table(lines, i)
            return {r["Counter"]: int(r["Value"]) for r in rows}
    raise AssertionError("no counter table in:\n" + "\n".join(lines))


def clients_table(lines):
    for i, l in enumerate(lines):
        if l.startswith("Client ") and "Unsent bytes" in l:
            return E.parse_table(lines, i)[0]
    return []


def port_stats(lines):
    rows = E.table_rows(lines)
    return {r["Port"]: {k: (int(v) if v.isdigit() else v) for k, v in r.items()} for r in rows}


def uplink_tx(c):
    return port_stats(c.ok("show port stats"))["uplink"]["TX-packets"]


def wait_until(pred, timeout, what, interval=0.05):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out after %s s waiting for %s" % (timeout, what))
        time.sleep(interval)


def cli(sock, *args, input=None, env=None, timeout=30):
    """Run evfwd-cli -s SOCK ARGS...: (exit code, stdout, stderr)."""
    p = subprocess.run([EVFWD_CLI, "-s", sock] + list(args), input=input, capture_output=True,
                       text=True, timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr
