#!/usr/bin/python3
"""test_install.py: "meson install" (suite "cli"; the test process runs
meson and the installed programs, no evfwd keeps running).

BUILD_DIR (from meson) is installed with --destdir into a temporary
directory; the prefix is the build's (PREFIX, BINDIR, SYSCONFDIR and
DATADIR from meson). Checked:

- the four programs are in BINDIR and run from there: evfwd --help,
  evfwd-cli --help, evfwd-ctl with no argument (its usage, exit 2),
  evfwd-gobgp -h (its flags); evfwd links no library of the build tree
  (ldd finds everything);
- the example configs are in DATADIR/doc/evfwd/examples, every one of the
  repository's conf/examples among them, and the installed evfwd accepts
  each with --check-config;
- the documentation (every doc/*.md, README.md) is in DATADIR/doc/evfwd;
- the unit evfwd@.service is in PREFIX/lib/systemd/system, names the
  installed evfwd and SYSCONFDIR/evfwd/%i.yaml, and systemd-analyze verify
  accepts it as evfwd@leaf1.service (paths pointed into the destdir so that
  the programs it runs exist).
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("BUILD_DIR") or os.path.join(SRC, "build")
PREFIX = os.environ.get("PREFIX", "/usr/local")
BINDIR = os.path.join(PREFIX, os.environ.get("BINDIR", "bin"))
SYSCONFDIR = os.path.join(PREFIX, os.environ.get("SYSCONFDIR", "etc"))
DATADIR = os.path.join(PREFIX, os.environ.get("DATADIR", "share"))
PROGRAMS = ("evfwd", "evfwd-cli", "evfwd-ctl", "evfwd-gobgp")


def need(tool):
    path = shutil.which(tool)
    if path is None:
        print("test_install: %s not found" % tool, file=sys.stderr)
        sys.exit(1)  # a missing tool fails the test, never skips it
    return path


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.meson = need("meson")
        cls.analyze = need("systemd-analyze")
        cls.tmp = tempfile.mkdtemp(prefix="evf-install-")
        cls.dest = os.path.join(cls.tmp, "root")
        p = subprocess.run([cls.meson, "install", "-C", BUILD, "--destdir", cls.dest,
                            "--no-rebuild"], capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise AssertionError("meson install failed (%d):\n%s\n%s"
                                 % (p.returncode, p.stdout[-4000:], p.stderr[-4000:]))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def at(self, path):
        return self.dest + path

    def run_installed(self, args, **kw):
        return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)

    def test_01_programs(self):
        for prog in PROGRAMS:
            path = self.at(os.path.join(BINDIR, prog))
            self.assertTrue(os.path.isfile(path) and os.access(path, os.X_OK), path)
        bindir = self.at(BINDIR)
        p = self.run_installed([os.path.join(bindir, "evfwd"), "--", "--help"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("--config FILE", p.stdout)
        p = self.run_installed([os.path.join(bindir, "evfwd-cli"), "--help"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Usage: evfwd-cli", p.stdout)
        p = self.run_installed([os.path.join(bindir, "evfwd-ctl")])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage", (p.stdout + p.stderr).lower())
        p = self.run_installed([os.path.join(bindir, "evfwd-gobgp"), "-h"])
        self.assertIn("Usage of evfwd-gobgp", p.stdout + p.stderr)
        p = self.run_installed(["ldd", os.path.join(bindir, "evfwd")])
        self.assertEqual(p.returncode, 0)
        self.assertNotIn("not found", p.stdout)
        self.assertNotIn(os.path.abspath(BUILD), p.stdout)

    def test_02_examples(self):
        ex = self.at(os.path.join(DATADIR, "doc", "evfwd", "examples"))
        want = sorted(os.path.basename(f) for f in glob.glob(os.path.join(SRC, "conf", "examples",
                                                                         "*.yaml")))
        self.assertIn("leaf-daemon.yaml", want)
        got = sorted(os.listdir(ex))
        for f in want + ["demo.yaml", "demo.cmds"]:
            self.assertIn(f, got)
        evfwd = self.at(os.path.join(BINDIR, "evfwd"))
        for f in want:
            p = self.run_installed([evfwd, "--", "--config", os.path.join(ex, f),
                                    "--check-config"])
            self.assertEqual(p.returncode, 0, "%s: %s" % (f, p.stderr))
            self.assertIn("configuration is valid", p.stdout)

    def test_03_docs(self):
        doc = self.at(os.path.join(DATADIR, "doc", "evfwd"))
        want = [os.path.basename(f) for f in glob.glob(os.path.join(SRC, "doc", "*.md"))]
        self.assertIn("operations.md", want)
        for f in want + ["README.md"]:
            with open(os.path.join(doc, f)) as fh, open(
                    os.path.join(SRC, "doc" if f != "README.md" else "", f)) as src:
                self.assertEqual(fh.read(), src.read(), f)

    def test_04_systemd_unit(self):
        unit = self.at(os.path.join(PREFIX, "lib", "systemd", "system", "evfwd@.service"))
        with open(unit) as fh:
            text = fh.read()
        evfwd = os.path.join(BINDIR, "evfwd")
        cfg = os.path.join(SYSCONFDIR, "evfwd", "%i.yaml")
        self.assertIn("\nExecStart=%s $EVFWD_EAL_ARGS -- --config %s " % (evfwd, cfg), text)
        self.assertIn("\nExecStartPre=%s -- --config %s --check-config\n" % (evfwd, cfg), text)
        self.assertIn("\nRuntimeDirectory=evfwd\n", text)
        self.assertNotIn("@", text.replace("evfwd@", "").replace("%i", ""))
        # verify it as an instance, its programs pointed into the destdir
        vdir = os.path.join(self.tmp, "verify")
        os.makedirs(vdir)
        inst = os.path.join(vdir, "evfwd@leaf1.service")
        with open(inst, "w") as fh:
            fh.write(text.replace(BINDIR + "/", self.at(BINDIR) + "/"))
        p = self.run_installed([self.analyze, "verify", inst])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("Unknown", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
