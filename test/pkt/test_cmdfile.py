#!/usr/bin/python3
"""test_cmdfile.py: command files (--cmdline-file) read line by line, whole lines only.

A line longer than 1023 characters (or holding a NUL or another control
character) is refused as a whole, with an error naming its line number; no
piece of it runs, so a 1,023-character comment followed by "route del ..."
deletes nothing and a tail "quit" ends nothing; the line numbers of later
errors stay right and the run exits 1. A line of exactly 1023 characters still
runs. --max-runtime ends a command file that is still running (a "sleep" in
it, or a FIFO nobody writes to), and says so.
"""
import os
import re
import subprocess
import time

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402

CONFIG = """
node:
  name: cmdfile
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
MAC = "00:c1:ab:00:00:11"
ADD = "route add rt2 vni 5001 mac %s vtep 198.18.0.2 seq 0" % MAC
DEL = "route del rt2 vni 5001 mac %s vtep 198.18.0.2 seq 0" % MAC
LIMIT = 1023


def fdb_macs(res, index):
    return {r["Address"].lower() for r in res.fdb(index)}


class CommandFile(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cmdfile")

    def run_file(self, lines, tag, expect_rc, extra=(), timeout=60, raw=None):
        """evfwd on CONFIG with a command file of lines (joined by newlines, or the
        bytes raw); returns (returncode, stdout, stderr, seconds, command file path)."""
        rundir, cfg, _ = self.lab.prepare(CONFIG, {}, tag=tag)
        cf = os.path.join(rundir, "cmds.txt")
        with open(cf, "wb") as fh:
            fh.write(raw if raw is not None else ("\n".join(lines) + "\n").encode())
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--cmdline-file", cf] + list(extra)
        t0 = time.monotonic()
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           errors="replace", timeout=timeout, cwd=rundir)
        secs = time.monotonic() - t0
        res = E.Result(self.lab, rundir, [], args, p, lines)
        if p.returncode != expect_rc:
            self.lab.failed = True
            self.fail("evfwd exited with %d (expected %d)\n%s" % (p.returncode, expect_rc,
                                                                  res.describe()))
        return res, secs, cf

    def test_over_long_lines_never_run_a_tail(self):
        comment = "#" + "x" * (LIMIT - 1)          # a full 1023-character comment ...
        lines = [
            ADD,                                    # 1
            comment + DEL,                          # 2 ... then "route del": one long line
            "show fdb",                             # 3
            "y" * 2000 + "quit",                    # 4 a tail "quit"
            "bogus command",                        # 5
            "show fdb",                             # 6
            "#" + "z" * (LIMIT - 1),                # 7 exactly 1023 characters: a comment
            "a" * (LIMIT + 1),                      # 8 1024 characters
            "quit",                                 # 9
        ]
        res, _, cf = self.run_file(lines, "long", expect_rc=1)
        what = res.describe()
        self.assertEqual(fdb_macs(res, 0), {MAC}, what)
        self.assertEqual(fdb_macs(res, 1), {MAC}, "a tail of line 2 deleted the route\n" + what)
        self.assertNotIn("evfwd> route del", res.stdout, what)
        self.assertEqual([c for c, _ in res.sections], [ADD, "show fdb", "bogus command",
                                                         "show fdb", "quit"], what)
        errs = res.stderr.splitlines()
        self.assertIn("%s:2: line longer than %d characters: not run" % (cf, LIMIT), errs, what)
        self.assertIn("%s:4: line longer than %d characters: not run" % (cf, LIMIT), errs, what)
        self.assertIn("%s:8: line longer than %d characters: not run" % (cf, LIMIT), errs, what)
        self.assertIn("%s:5: unknown command: 'bogus command' (type help)" % cf, errs, what)
        self.assertIn("evfwd: 4 command(s) in %s failed" % cf, errs, what)
        self.assertEqual(len([e for e in errs if e.startswith(cf + ":")]), 4, what)
        res.assert_no_mbuf_leak()

    def test_nul_and_control_characters_refuse_the_line(self):
        raw = (ADD.encode() + b"\n" +
               b"show fdb\x00" + DEL.encode() + b"\n" +    # 2: NUL, then a route del
               b"show fdb\r" + DEL.encode() + b"\n" +      # 3: a CR inside the line
               b"show fdb\r\n" +                           # 4: CRLF ending: fine
               b"quit\n")
        res, _, cf = self.run_file(None, "nul", expect_rc=1, raw=raw)
        what = res.describe()
        self.assertEqual(fdb_macs(res, 0), {MAC}, what)
        self.assertEqual([c for c, _ in res.sections], [ADD, "show fdb", "quit"], what)
        errs = res.stderr.splitlines()
        self.assertIn("%s:2: line contains a NUL character: not run" % cf, errs, what)
        self.assertIn("%s:3: line contains a control character (0x0d): not run" % cf, errs, what)
        self.assertIn("evfwd: 2 command(s) in %s failed" % cf, errs, what)

    def test_max_runtime_ends_a_sleep(self):
        res, secs, _ = self.run_file(["sleep 60000", "quit"], "sleep", expect_rc=0,
                                     extra=["--max-runtime", "2"], timeout=50)
        what = "%.1f s\n%s" % (secs, res.describe())
        self.assertLess(secs, 30, what)
        self.assertIn("evfwd: --max-runtime 2 s reached", res.stdout, what)
        self.assertTrue(res.final_text, what)
        res.assert_no_mbuf_leak()

    def test_max_runtime_ends_a_silent_fifo(self):
        """A command file nobody writes to (a FIFO held open) no longer outlives it."""
        rundir, cfg, _ = self.lab.prepare(CONFIG, {}, tag="fifo")
        fifo = os.path.join(rundir, "cmds.fifo")
        os.mkfifo(fifo)
        args = [E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--cmdline-file", fifo,
                                         "--max-runtime", "2"]
        t0 = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=rundir)
        wfd = None
        try:
            while wfd is None and time.monotonic() - t0 < 30:
                try:
                    wfd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    if proc.poll() is not None:
                        break
                    time.sleep(0.02)
            os.write(wfd, b"show fdb\n")
            out, err = proc.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            self.lab.failed = True
            self.fail("evfwd still ran 40 s after --max-runtime 2\n%s\n%s" % (out, err))
        finally:
            if wfd is not None:
                os.close(wfd)
        secs = time.monotonic() - t0
        self.assertEqual(proc.returncode, 0, err)
        self.assertLess(secs, 30, out)
        self.assertIn("evfwd> show fdb", out)
        self.assertIn("evfwd: --max-runtime 2 s reached", out)
        m = re.search(r"mbufs in use after stop: (\d+) of", out)
        self.assertTrue(m and m.group(1) == "0", out)


if __name__ == "__main__":
    E.main()
