#!/usr/bin/python3
"""test_bench.py: a smoke round of scripts/bench.sh (no performance threshold).

Runs "ROUNDS=1 scripts/bench.sh 1" (every profile, a short warm-up, the
scale profile with 65,536 MACs, 4,096 destinations and no hugepages) with
this build's evfwd (EVFWD) and its files in the lab directory (BENCH_OUT),
with a "bc" on PATH that fails loudly: bench.sh must not need bc
(scripts/setup-deps.sh does not install it). Checks that each scenario
prints evfwd's and testpmd's rates, their ratio and evfwd's busy cycles per
packet as numbers (rates above 0: both programs forwarded), that the ratio is
evfwd / testpmd, that results.md holds the same figures, and that the scale
profile's routes all went through the control ring and were applied.
Needs dpdk-testpmd (Debian package dpdk).
"""
import os
import re
import shutil
import signal
import subprocess
import unittest

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BENCH = os.path.join(ROOT, "scripts", "bench.sh")
SECONDS = 1
SCENARIOS = ["alias-encap", "decap", "encap", "flood-encap", "hosts-decap", "hosts-encap",
             "scale-encap"]
SCALE_MACS = 65536
NUM = r"([0-9]+(?:\.[0-9]+)?)"
ROUND = re.compile(r"^([a-z-]+) round 1: evfwd %s pps, testpmd %s pps, ratio %s, "
                   r"%s cycles/pkt$" % (NUM, NUM, NUM, NUM))
ROW = re.compile(r"^\| ([a-z-]+) \| %s \| %s \| %s \| %s \|$" % (NUM, NUM, NUM, NUM))


class BenchSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("dpdk-testpmd") is None:
            raise AssertionError("dpdk-testpmd is required (Debian package dpdk) but is not "
                                 "on PATH")
        cls.lab = E.Lab("bench")
        shim = os.path.join(cls.lab.dir, "nobc")
        os.makedirs(shim)
        with open(os.path.join(shim, "bc"), "w") as fh:
            fh.write("#!/bin/sh\necho 'bench.sh called bc' >&2\nexit 127\n")
        os.chmod(os.path.join(shim, "bc"), 0o755)
        env = dict(os.environ, ROUNDS="1", BENCH_OUT=os.path.join(cls.lab.dir, "bench"),
                   WARMUP_MS="500", HUGE="0", SCALE_MACS=str(SCALE_MACS), SCALE_DESTS="4096",
                   EVFWD=os.path.abspath(E.EVFWD), PATH=shim + ":" + os.environ["PATH"])
        proc = subprocess.Popen(["bash", BENCH, str(SECONDS)], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            cls.out, cls.err = proc.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            cls.lab.failed = True
            raise AssertionError("scripts/bench.sh %d did not finish within 240 s" % SECONDS)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        cls.rc = proc.returncode
        cls.results = os.path.join(cls.lab.dir, "bench", "results.md")

    def describe(self):
        return "rc %d\n---- stdout ----\n%s\n---- stderr ----\n%s" % (self.rc, self.out,
                                                                     self.err[-3000:])

    def test_exit_and_no_bc(self):
        if self.rc != 0:
            self.lab.failed = True
        self.assertEqual(self.rc, 0, self.describe())
        self.assertNotIn("called bc", self.err, self.describe())

    def rounds(self):
        got = {}
        for line in self.out.splitlines():
            m = ROUND.match(line)
            if m:
                got[m.group(1)] = tuple(float(x) for x in m.groups()[1:])
        return got

    def test_round_lines(self):
        got = self.rounds()
        if sorted(got) != SCENARIOS:
            self.lab.failed = True
        self.assertEqual(sorted(got), SCENARIOS, self.describe())
        for sc, (e, t, ratio, cpp) in got.items():
            self.assertGreater(e, 0, "%s: evfwd rate\n%s" % (sc, self.describe()))
            self.assertGreater(t, 0, "%s: testpmd rate\n%s" % (sc, self.describe()))
            self.assertGreater(cpp, 0, "%s: cycles/pkt\n%s" % (sc, self.describe()))
            self.assertAlmostEqual(ratio, e / t, delta=0.0006, msg="%s: ratio" % sc)

    def test_results_table(self):
        with open(self.results) as fh:
            text = fh.read()
        self.assertIn(self.out.strip().splitlines()[-1], text)
        rows = {m.group(1): tuple(float(x) for x in m.groups()[1:])
                for m in map(ROW.match, text.splitlines()) if m}
        self.assertEqual(sorted(rows), SCENARIOS, text)
        for sc, (e, t, ratio, cpp) in self.rounds().items():
            self.assertEqual(rows[sc], (round(e / 1e6, 2), round(t / 1e6, 2), ratio, cpp),
                             "results.md row of %s:\n%s" % (sc, text))

    def test_scale_routes_through_the_ring(self):
        with open(os.path.join(self.lab.dir, "bench", "scale-encap.push.log")) as fh:
            text = fh.read()
        self.assertRegex(text, r"%d records read, %d routes applied" % (SCALE_MACS, SCALE_MACS),
                         text)


if __name__ == "__main__":
    E.main()
