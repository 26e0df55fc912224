#!/usr/bin/python3
"""test_socket_file.py: the control socket's file and its configuration (suite "cli").

- the socket is created mode 0600 (evfwd started with umask 000), in a
  directory evfwd creates mode 0700 when it is missing, owned by evfwd's user;
  a client connects; at exit the file is removed;
- a stale socket (left by a process that died) is replaced;
- a socket another evfwd serves is not taken over: the second evfwd exits 1
  naming the path, before it opens any port, and the first keeps serving;
- a regular file at the path is refused (exit 1) and left as it was;
- "control-socket:" alone: /run/evfwd/NODE-NAME.sock, found by "evfwd-cli
  -n NODE-NAME" (the directory is removed again if this test created it);
- bad values are refused by --check-config with one FILE:LINE:COL line: a
  relative path, a path ending in "/", 108 characters, max-clients 0 and
  1025, output-buffer 4095, an unknown key, a YAML sequence.
"""
import os
import stat
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E

BASE = """
node:
  name: {node}
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - {{name: uplink, device: "net_null0,no-rx=1", role: network, next-hop-mac: 02:00:00:00:00:fe}}
  - {{name: host1, device: "net_null1,no-rx=1", role: access}}
"""


def config(node, section):
    return BASE.format(node=node) + section


class SocketFile(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-sockfile")

    def start(self, text, umask=None):
        old = os.umask(umask) if umask is not None else None
        try:
            return E.LiveRun(self.lab, text, max_runtime=60)
        finally:
            if old is not None:
                os.umask(old)

    def run_once(self, text, extra=("--max-runtime", "5")):
        """evfwd that must fail at start: (exit code, stdout, stderr)."""
        self.lab.runs += 1
        d = os.path.join(self.lab.dir, "once%d" % self.lab.runs)
        os.makedirs(d)
        cfg = os.path.join(d, "evfwd.yaml")
        with open(cfg, "w") as fh:
            fh.write(text)
        p = subprocess.run([E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg] + list(extra),
                           capture_output=True, text=True, timeout=60, cwd=d)
        return p.returncode, p.stdout, p.stderr, cfg

    def test_mode_directory_and_removal(self):
        d = os.path.join(self.lab.dir, "newdir")
        path = os.path.join(d, "s1.sock")
        run = self.start(config("sf1", "control-socket:\n  path: %s\n" % path), umask=0)
        try:
            st, dst = os.lstat(path), os.stat(d)
            self.assertTrue(stat.S_ISSOCK(st.st_mode))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(dst.st_mode), 0o700)
            self.assertEqual((st.st_uid, dst.st_uid), (os.getuid(), os.getuid()))
            c = C.Client(path)
            self.assertEqual(c.ok("echo hi"), ["hi"])
            c.close()
            self.assertIn("evfwd: control socket %s\n" % path, run.stdout())
        except BaseException:
            run.close()
            raise
        run.quit().assert_no_mbuf_leak()
        self.assertFalse(os.path.exists(path), "the socket file is left after exit")

    def test_stale_socket_replaced(self):
        path = os.path.join(self.lab.dir, "stale.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.close()  # a socket file nobody serves
        self.assertTrue(stat.S_ISSOCK(os.lstat(path).st_mode))
        run = self.start(config("sf2", "control-socket:\n  path: %s\n" % path))
        try:
            c = C.Client(path)
            self.assertRegex(c.greeting[3], C.GREETING)
            c.close()
        except BaseException:
            run.close()
            raise
        run.quit()
        self.assertFalse(os.path.exists(path))

    def test_live_socket_not_taken(self):
        path = os.path.join(self.lab.dir, "live.sock")
        text = config("sf3", "control-socket:\n  path: %s\n" % path)
        run = self.start(text)
        try:
            ino = os.lstat(path).st_ino
            rc, out, err, _ = self.run_once(text)
            self.assertEqual(rc, 1, out + err)
            self.assertIn("evfwd: control socket %s is in use by another process (another evfwd"
                          " with node name 'sf3'? set control-socket.path)" % path, err)
            self.assertNotIn("forwarding", out, "the second evfwd started forwarding")
            self.assertEqual(os.lstat(path).st_ino, ino, "the socket file was replaced")
            c = C.Client(path)
            self.assertEqual(c.ok("echo first"), ["first"])
            c.close()
        except BaseException:
            run.close()
            raise
        run.quit()

    def test_regular_file_refused(self):
        path = os.path.join(self.lab.dir, "file.sock")
        with open(path, "w") as fh:
            fh.write("keep me\n")
        rc, out, err, _ = self.run_once(config("sf4", "control-socket:\n  path: %s\n" % path))
        self.assertEqual(rc, 1, out + err)
        self.assertIn("evfwd: control socket %s: the file exists and is not a socket"
                      " (not replaced)" % path, err)
        with open(path) as fh:
            self.assertEqual(fh.read(), "keep me\n")

    def test_default_path(self):
        node = "evfcli-%d" % os.getpid()
        path = "/run/evfwd/%s.sock" % node
        made = not os.path.exists("/run/evfwd")
        run = self.start(config(node, "control-socket:\n"))
        try:
            self.assertTrue(stat.S_ISSOCK(os.lstat(path).st_mode))
            self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
            if made:
                self.assertEqual(stat.S_IMODE(os.stat("/run/evfwd").st_mode), 0o700)
            p = subprocess.run([C.EVFWD_CLI, "-n", node, "echo", "by-name"], capture_output=True,
                               text=True, timeout=20)
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "by-name\n", ""))
            env = dict(os.environ, EVFWD_SOCKET=path)
            p = subprocess.run([C.EVFWD_CLI, "echo", "by-env"], capture_output=True, text=True,
                               timeout=20, env=env)
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "by-env\n", ""))
        except BaseException:
            run.close()
            raise
        finally:
            pass
        run.quit()
        self.assertFalse(os.path.exists(path))
        if made:
            try:
                os.rmdir("/run/evfwd")
            except OSError:
                pass

    def test_bad_values(self):
        d = self.lab.dir
        cases = [
            ("  path: relative.sock\n", "path: 'relative.sock' is not an absolute path to a"
             " socket file"),
            ("  path: %s/\n" % d, "path: '%s/' is not an absolute path to a socket file" % d),
            ("  path: /%s\n" % ("x" * 107), "path: path of 108 characters: a unix socket path"
             " holds at most 107"),
            ("  max-clients: 0\n", "max-clients"),
            ("  max-clients: 1025\n", "max-clients"),
            ("  output-buffer: 4095\n", "output-buffer"),
            ("  colour: blue\n", "colour"),
        ]
        for body, msg in cases:
            rc, out, err, cfg = self.run_once(config("sf5", "control-socket:\n" + body),
                                              extra=("--check-config",))
            self.assertEqual(rc, 1, body + out + err)
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertRegex(lines[0], r"^evfwd: %s:\d+:\d+: control-socket\.?" % cfg)
            self.assertIn(msg, lines[0])
        rc, out, err, cfg = self.run_once(config("sf5", "control-socket: [a]\n"),
                                          extra=("--check-config",))
        self.assertEqual(rc, 1, out + err)
        self.assertIn("control-socket", err)
        rc, out, err, cfg = self.run_once(config("sf5", "control-socket:\n  max-clients: 1024\n"
                                                 "  output-buffer: 4096\n  path: /x.sock\n"),
                                          extra=("--check-config",))
        self.assertEqual((rc, err), (0, ""), out)


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
