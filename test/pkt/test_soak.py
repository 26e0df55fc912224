#!/usr/bin/python3
"""test_soak.py: a 20-second smoke run of scripts/soak.sh with this build's evfwd
and evfwd-ctl (EVFWD, EVFWD_CTL): traffic on five ports, route churn through the
control ring (bench-rt2 adds and withdrawals, MAC mobility pushes, a producer
epoch change with sync-begin/sync-end), port stop/start from the command file,
events read by evfwd-ctl watch. The script's own checks must hold (exit 0: no
mbuf in use after stop, every record sent read by evfwd, every event written
read by the watcher), and its report must carry every figure, as numbers. No
figure is compared against a threshold: the soak is a benchmark."""
import os
import re
import subprocess
import tempfile

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Soak(E.EvfTestCase):
    def test_smoke_run(self):
        out = tempfile.mkdtemp(prefix="evfpkt-soak-")
        env = dict(os.environ, SOAK_SECONDS="20", SOAK_ROUTES="5000", SOAK_OUT=out,
                   EVFWD=os.path.abspath(E.EVFWD),
                   EVFWD_CTL=os.environ.get("EVFWD_CTL") or
                   os.path.join(os.path.dirname(os.path.abspath(E.EVFWD)), "evfwd-ctl"))
        p = subprocess.run([os.path.join(ROOT, "scripts", "soak.sh")], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=240, env=env)
        what = "soak.sh exited %d (kept %s)\n%s" % (p.returncode, out, p.stdout[-6000:])
        self.assertEqual(p.returncode, 0, what)
        rep = open(os.path.join(out, "soak.md")).read()
        figures = {
            "mbufs in use after stop": r"\| mbufs in use after stop \| 0 of \d+ \|",
            "records": r"\| ring records sent .* \| (\d+) \|\n\| ring records read by evfwd \| \1 \|",
            "routes": r"\| route records sent / applied \| \d+ / \d+ \|",
            "resyncs": r"\| routes swept by resyncs .* \| \d+ / [1-9]\d* / \d+ \|",
            # soak.sh fails unless watch read every event written before it
            # stopped and none more (timers may write a few after)
            "events": r"\| events emitted .* \| (\d+) / (\d+) / (\d+) \|",
            "events after": r"\| events written while the reader stopped \(not read\) \| \d+ \|",
            "events lost": r"\| events lost .* \| \d+ / \d+ \|",
            "rss": r"\| RSS after the first cycle / at the end / max \(kB\) \| \d+ / \d+ / \d+ \|",
            "rss growth": r"\| RSS growth after the first cycle \| -?\d+ kB \|",
            "port counters": r"\nPort +.*RX-packets",
        }
        for name, rx in figures.items():
            self.assertRegex(rep, rx, "%s missing from the report\n%s" % (name, rep))
        rx_total = sum(int(m) for m in re.findall(r"^(?:up0|host1|host2)\s+\S+\s+\S+\s+\S+\s+(\d+)", rep, re.M))
        self.assertGreater(rx_total, 0, rep)
        subprocess.run(["rm", "-rf", out])


if __name__ == "__main__":
    E.main()
