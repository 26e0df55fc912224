#!/usr/bin/python3
"""test_ctl_push.py: `evfwd-ctl push` input errors and the shared-memory
object's mode, on a live evfwd (suite "ring").

test_push_errors: evfwd runs headless (net_null ports, a command FIFO for its
shell) with a control ring named after this test's PID.
- Route words on the command line that do not parse (a bad address, a control
  word with an argument, an unknown keyword in a withdrawal): exit code 1,
  standard error exactly "arguments:1: REASON" and the summary "0 record(s)
  written, 1 line(s) rejected"; the routes ring's prod_idx does not move.
- Standard input mixing good lines, comments, blank lines and eleven bad lines
  (each parser reason: bad value, unknown type, missing key, key given twice,
  over-long line, too many words, a control word with arguments; bad adds and
  a bad withdrawal of a good route): exit code 1, standard error exactly one
  "stdin:N: REASON" per bad line with its number, in order, then the summary.
  The ring holds exactly the three records of the good lines (read from the
  object: type, op, vni, mac, vtep, seal), evfwd-ctl status and "show ring"
  count 3 records, 2 routes applied, 1 heartbeat, no sync, nothing rejected,
  and "show fdb" / "show mac-vrf blue" / "show vteps" hold exactly what the
  good lines say.
- Good input (arguments, then standard input with a withdrawal) exits 0 and
  is applied.
test_manual_beside_producer: a producer (`push --producer --new-epoch`, kept
running on a pipe, as evfwd-gobgp would be) holds the routes ring; an
operator's `evfwd-ctl push` goes to the manual ring: exit 0, applied; a second
`push --producer` is refused (exit 2, naming the manual ring); control words
on the manual ring are refused with their line number. The producer's resyncs
(SYNC-BEGIN ... SYNC-END, then a new epoch whose hold time expires) sweep its
own routes but never the manual ones; a manual withdrawal removes a manual
route. status counts manual records, applied and rejected apart from the
producer's.
test_shm_mode: evfwd started with umask 0277 over a stale 0666 object of the
same name: the object it creates is a new one, mode 0600 exactly (owner read
and write, whatever the umask), owned by its user, of the configured size,
with evfwd's pid in the header; SIGTERM makes evfwd exit 0 (no mbuf left)
and unlink it.
Every child is killed and every object unlinked at exit (ringlib.cleanup).
"""
import os
import stat
import struct
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ringlib as R  # noqa: E402

E = R.E
BLUE = "blue"
RT2, RT3, HEARTBEAT, SYNC_BEGIN = 2, 3, 18, 16
SUMMARY = "evfwd-ctl: %d record(s) written, %d line(s) rejected, waited 0 time(s) on a full ring"

# standard input: (line, None) for a line written or skipped, (line, reason) for a bad one
GOOD_MAC = "02:00:00:aa:01:01"
LONG = "rt2 add vni 100 mac 02:00:00:aa:01:05 vtep 198.18.0.2 #" + "-" * 480
MANY = "rt2 add vni 100 mac 02:00:00:aa:01:06 vtep 198.18.0.2" + " sticky" * 25   # 33 words
STDIN = [
    ("# routes for blue", None),
    ("rt2 add vni 100 mac %s vtep 198.18.0.2" % GOOD_MAC, None),
    ("rt2 add vni 100 mac 02:00:00:aa:01:02 vtep 198.18.0.2 seq x",
     "seq 'x' is not 0..4294967295"),
    ("", None),
    ("rt9 add vni 100 vtep 198.18.0.3", "unknown route type 'rt9' (rt1, rt2, rt3, rt4)"),
    ("rt3 add vni 100 vtep 198.18.0.3   # flood list", None),
    ("heartbeat now", "'heartbeat' takes no arguments"),
    ("rt2 add vni 100 mac 02:00:00:aa:01:03", "missing 'vtep'"),
    ("rt2 add vni 16777216 mac 02:00:00:aa:01:04 vtep 198.18.0.2",
     "vni '16777216' is not 1..16777215"),
    (LONG, "line longer than 511 characters"),
    (MANY, "more than 32 words"),
    ("sync-begin now", "'sync-begin' takes no arguments"),
    ("heartbeat   # still here", None),
    ("rt2 add vni 100 mac 02:00:00:aa:01:07 vtep 198.18.0.2 mac 02:00:00:aa:01:08",
     "'mac' given twice"),
    ("rt1 add esi 00:11:22:33:44:55:66:77:88:99 vtep 198.18.0.300",
     "vtep '198.18.0.300' is not an IPv4/IPv6 address"),
    ("rt2 del vni 100 mac %s vtep 198.18.0.2 esi zz" % GOOD_MAC,
     "esi 'zz' is not ten colon-separated hex bytes"),
]


def v4(text):
    return bytes(int(x) for x in text.split(".")) + bytes(12)


def mac_bytes(text):
    return bytes.fromhex(text.replace(":", ""))


class CtlPush(E.EvfTestCase):
    def setUp(self):
        self.lab = E.Lab("ring-ctl-push")
        self.ring = R.ring_name(self._testMethodName.replace("test_", "").replace("_", "-"))

    def config(self, records=256):
        return ("node: {vtep-ipv4: 198.18.0.1, mac: \"%s\"}\n"
                "ports:\n"
                "  - {name: uplink, device: \"net_null0,no-rx=1\", role: network,"
                " next-hop-mac: \"%s\"}\n"
                "  - {name: acc0, device: \"net_null1,no-rx=1\", role: access}\n"
                "mac-vrfs:\n"
                "  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged}]}\n"
                "control-ring: {name: %s, records: %d, event-records: 64, hold-time: 30}\n"
                % (E.ME_MAC, E.NH_MAC, self.ring, records))

    # ---- helpers ----

    def produced(self):
        return R.ctl_status(self.ring)["produced"]

    def push(self, *words, stdin=None):
        rc, out, err = R.ctl(self.ring, "push", "--producer", "--wait", *words, input=stdin)
        self.assertEqual(out, "", "push wrote to standard output")
        return rc, err.splitlines()

    def assertRejectedArgs(self, words, reason):
        p0 = self.produced()
        rc, err = self.push(*words)
        self.assertEqual(rc, 1, "push %s: exit code %d, stderr %s" % (words, rc, err))
        self.assertEqual(err, ["arguments:1: " + reason, SUMMARY % (0, 1)], "push %s" % (words,))
        self.assertEqual(self.produced(), p0, "push %s wrote into the ring" % (words,))

    def assertState(self, run, fdb, flood, vteps, what):
        got = R.fdb_evpn(run.cmd("show fdb"))
        self.assertEqual(got, fdb, "%s: show fdb" % what)
        lines = run.cmd("show mac-vrf blue")
        fl = [l.split(":", 1)[1].strip() for l in lines if l.strip().startswith("Flood list")]
        self.assertEqual(fl, [flood], "%s: show mac-vrf blue:\n%s" % (what, "\n".join(lines)))
        rows = R.table(run.cmd("show vteps"), "VTEP")
        self.assertEqual(sorted(r["VTEP"] for r in rows), sorted(vteps), "%s: show vteps" % what)

    # ---- push errors ----

    def test_push_errors(self):
        run = E.LiveRun(self.lab, self.config(), max_runtime=120)
        try:
            self.push_errors(run)
        except BaseException:
            self.lab.failed = True
            run.close()
            raise
        res = run.quit()
        res.assert_no_mbuf_leak()
        self.assertFalse(os.path.exists(R.shm_path(self.ring)),
                         "the ring object is left after evfwd exited")

    def push_errors(self, run):
        R.wait_until(lambda: os.path.exists(R.shm_path(self.ring)), 10, what="the ring object")
        self.assertEqual(self.produced(), 0)

        # ---- arguments: one line, rejected, nothing written ----
        self.assertRejectedArgs(["rt2", "add", "vni", "100", "mac", "02:00:00:aa:02:01",
                                 "vtep", "198.18.0.300"],
                                "vtep '198.18.0.300' is not an IPv4/IPv6 address")
        self.assertRejectedArgs(["sync-begin", "now"], "'sync-begin' takes no arguments")
        self.assertRejectedArgs(["rt2", "add", "vni", "100", "mac", "02:00:00:aa:02:02"],
                                "missing 'vtep'")
        self.assertRejectedArgs(["rt3", "del", "vni", "100", "vtep", "198.18.0.3", "bogus"],
                                "'bogus' needs a value")
        st = R.ctl_status(self.ring)
        self.assertEqual((st["produced"], st["consumed"], st["records"], st["applied"]),
                         (0, 0, 0, 0), st["text"])
        self.assertEqual(st["sync_begin"], 0, st["text"])
        self.assertEqual(R.fdb_evpn(run.cmd("show fdb")), {})

        # ---- standard input: the bad lines reported, the good ones written ----
        bad = [(n + 1, reason) for n, (_, reason) in enumerate(STDIN) if reason]
        self.assertEqual(len(bad), 11)
        self.assertEqual(len(MANY.split()), 33)
        self.assertGreater(len(LONG), 511)
        rc, err = self.push(stdin="".join(line + "\n" for line, _ in STDIN))
        self.assertEqual(rc, 1, "push from stdin: exit code %d, stderr %s" % (rc, err))
        self.assertEqual(err, ["stdin:%d: %s" % b for b in bad] + [SUMMARY % (3, 11)])

        # exactly the good lines' records are in the ring, sealed, in order
        recs = R.ring_records(self.ring)
        self.assertEqual([r["index"] for r in recs], [0, 1, 2])
        for r in recs:
            self.assertTrue(r["sealed"], "record %d fails its seal: %s" % (r["index"], r))
            self.assertEqual((r["op"], r["flags"], r["attach"], r["ev_seq"]), (0, 0, 0, 0), r)
            self.assertEqual((r["reserved0"], r["reserved1"], r["evi"], r["reserved3"], r["epoch"],
                              r["reserved2"]), (0, 0, 0, 0, 0, bytes(16)), r)
            self.assertNotEqual(r["ts_ns"], 0, r)
        want = [
            dict(type=RT2, vni=100, mac=mac_bytes(GOOD_MAC), vtep_af=4, vtep=v4("198.18.0.2"),
                 seq=0, esi=bytes(10), ip_af=0, ip=bytes(16)),
            dict(type=RT3, vni=100, mac=bytes(6), vtep_af=4, vtep=v4("198.18.0.3"), seq=0,
                 esi=bytes(10), ip_af=0, ip=bytes(16)),
            dict(type=HEARTBEAT, vni=0, mac=bytes(6), vtep_af=0, vtep=bytes(16), seq=0,
                 esi=bytes(10), ip_af=0, ip=bytes(16)),
        ]
        for r, w in zip(recs, want):
            self.assertEqual({k: r[k] for k in w}, w, "record %d" % r["index"])

        st = R.ctl_status(self.ring)
        self.assertEqual((st["produced"], st["consumed"], st["records"], st["applied"]),
                         (3, 3, 3, 2), st["text"])
        self.assertEqual((st["heartbeats"], st["sync_begin"], st["sync_end"], st["restarts"]),
                         (1, 0, 0, 0), st["text"])
        self.assertFalse(st["syncing"], st["text"])
        self.assertEqual(sum(st["rejected"].values()), 0, st["text"])
        ring = R.show_ring(run.cmd("show ring"))
        self.assertEqual((ring["records"], ring["applied"], ring["heartbeats"], ring["sync_begin"]),
                         (3, 2, 1, 0), ring["text"])
        self.assertEqual(sum(ring["rejected"].values()), 0, ring["text"])
        self.assertFalse(ring["resync"] or ring["hold_timer"], ring["text"])
        self.assertState(run, {(BLUE, GOOD_MAC): "vxlan 198.18.0.2"}, "198.18.0.3(imet)",
                         ["198.18.0.2", "198.18.0.3"], "after the mixed input")

        # ---- good input: exit code 0, applied ----
        rc, err = self.push("rt2", "add", "vni", "100", "mac", "02:00:00:aa:02:03",
                            "vtep", "198.18.0.4", "seq", "7")
        self.assertEqual((rc, err), (0, [SUMMARY % (1, 0)]))
        rows = [r for r in R.table(run.cmd("show fdb"), "MAC-VRF")
                if r["Address"].lower() == "02:00:00:aa:02:03"]
        self.assertEqual([(r["MAC-VRF"], r["Destination"], r["Type"], r["Seq"]) for r in rows],
                         [(BLUE, "vxlan 198.18.0.4", "evpn", "7")])
        rc, err = self.push(stdin="heartbeat\n\n# withdraw the first one\n"
                                  "rt2 del vni 100 mac %s vtep 198.18.0.2\n" % GOOD_MAC)
        self.assertEqual((rc, err), (0, [SUMMARY % (2, 0)]))
        st = R.ctl_status(self.ring)
        self.assertEqual((st["produced"], st["records"], st["applied"], st["heartbeats"]),
                         (6, 6, 4, 2), st["text"])
        self.assertEqual(sum(st["rejected"].values()), 0, st["text"])
        self.assertState(run, {(BLUE, "02:00:00:aa:02:03"): "vxlan 198.18.0.4"},
                         "198.18.0.3(imet)", ["198.18.0.3", "198.18.0.4"], "after the good input")

    # ---- manual routes beside a producer ----

    def manual(self, *words, stdin=None):
        rc, out, err = R.ctl(self.ring, "push", "--wait", *words, input=stdin)
        return rc, err.splitlines()

    def test_manual_beside_producer(self):
        run = E.LiveRun(self.lab, self.config(), max_runtime=120)
        prod = None
        try:
            R.wait_until(lambda: os.path.exists(R.shm_path(self.ring)), 10, what="the ring object")
            prod = R.spawn([R.EVFWD_CTL, "--ring", self.ring, "push", "--producer",
                            "--new-epoch", "--quiet"], stdin=subprocess.PIPE, text=True)

            def produce(*lines):
                prod.stdin.write("".join(l + "\n" for l in lines))
                prod.stdin.flush()
            produce("sync-begin", "rt2 add vni 100 mac 02:00:00:bb:00:01 vtep 198.18.0.2",
                    "rt2 add vni 100 mac 02:00:00:bb:00:02 vtep 198.18.0.2", "sync-end")
            R.wait_until(lambda: R.ctl_status(self.ring).get("applied") == 2, 10,
                         what="the producer's two routes")

            # the operator: manual ring, beside the producer
            rc, err = self.manual("rt2", "add", "vni", "100", "mac", "02:00:00:cc:00:01",
                                  "vtep", "198.18.0.7")
            self.assertEqual((rc, err), (0, [SUMMARY % (1, 0)]))
            rc, err = self.manual(stdin="rt3 add vni 100 vtep 198.18.0.7\n"
                                        "sync-begin\n"
                                        "rt2 add vni 100 mac 02:00:00:cc:00:02 vtep 198.18.0.7\n")
            self.assertEqual(rc, 1, err)
            self.assertEqual(err, ["stdin:2: 'sync-begin' is for the routes ring's producer"
                                   " (--producer); manual routes are never resynchronised",
                                   SUMMARY % (2, 1)])
            # a second producer is refused while the first holds the ring
            rc, out, err2 = R.ctl(self.ring, "push", "--producer", "heartbeat")
            self.assertEqual(rc, 2, err2)
            self.assertIn("push without --producer", err2)
            st = R.ctl_status(self.ring)
            self.assertEqual((st["manual_records"], st["manual_applied"], st["manual_rejected"]),
                             (3, 3, 0), st["text"])
            self.assertEqual((st["records"], st["applied"]), (4, 2), st["text"])
            both = {(BLUE, "02:00:00:bb:00:01"): "vxlan 198.18.0.2",
                    (BLUE, "02:00:00:bb:00:02"): "vxlan 198.18.0.2",
                    (BLUE, "02:00:00:cc:00:01"): "vxlan 198.18.0.7",
                    (BLUE, "02:00:00:cc:00:02"): "vxlan 198.18.0.7"}
            self.assertEqual(R.fdb_evpn(run.cmd("show fdb")), both)

            # the producer resyncs with one route only: its other one goes, manual ones stay
            produce("sync-begin", "rt2 add vni 100 mac 02:00:00:bb:00:01 vtep 198.18.0.2",
                    "sync-end")
            R.wait_until(lambda: R.ctl_status(self.ring).get("swept") == 1, 10, what="the sweep")
            del both[(BLUE, "02:00:00:bb:00:02")]
            self.assertEqual(R.fdb_evpn(run.cmd("show fdb")), both)
            self.assertState(run, both, "198.18.0.7(imet)", ["198.18.0.2", "198.18.0.7"],
                             "after the producer's resync")
            # the producer is replaced and sends nothing: at its SYNC-END every
            # route of its own goes, none of the manual ones
            prod.stdin.close()
            prod.wait(10)
            prod = R.spawn([R.EVFWD_CTL, "--ring", self.ring, "push", "--producer",
                            "--new-epoch", "--quiet"], stdin=subprocess.PIPE, text=True)
            produce("sync-begin", "sync-end")
            R.wait_until(lambda: R.ctl_status(self.ring).get("swept") == 2, 10,
                         what="the second sweep")
            del both[(BLUE, "02:00:00:bb:00:01")]
            self.assertEqual(R.fdb_evpn(run.cmd("show fdb")), both)
            # manual routes go by a manual withdrawal
            rc, err = self.manual("rt2", "del", "vni", "100", "mac", "02:00:00:cc:00:02",
                                  "vtep", "198.18.0.7")
            self.assertEqual((rc, err), (0, [SUMMARY % (1, 0)]))
            del both[(BLUE, "02:00:00:cc:00:02")]
            self.assertEqual(R.fdb_evpn(run.cmd("show fdb")), both)
            ring = R.show_ring(run.cmd("show ring"))
            c = ring["counters"]
            self.assertEqual((c["manual records"], c["manual applied"], c["manual rejected"]),
                             (4, 4, 0), ring["text"])
        except BaseException:
            self.lab.failed = True
            run.close()
            raise
        finally:
            if prod is not None:
                R.kill(prod)
        res = run.quit()
        res.assert_no_mbuf_leak()

    # ---- the object's mode ----

    def test_shm_mode(self):
        path = R.shm_path(self.ring)
        records, events = 256, 64
        # a stale object of the same name, readable and writable by anyone
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
        try:
            os.fchmod(fd, 0o666)
            os.write(fd, b"\xff" * 4096)
            stale_ino = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o666)

        rundir = os.path.join(self.lab.dir, "mode")
        os.makedirs(rundir)
        cfg = os.path.join(rundir, "evfwd.yaml")
        with open(cfg, "w") as fh:
            fh.write(self.config(records))
        out = open(os.path.join(rundir, "stdout.txt"), "w")
        err = open(os.path.join(rundir, "stderr.txt"), "w")
        # umask 0277 would leave 0400 from shm_open(..., 0600): evfwd must set 0600 itself
        p = R.spawn([E.EVFWD] + E.EAL_ARGS + ["--", "--config", cfg, "--max-runtime", "60"],
                    stdout=out, stderr=err, cwd=rundir, umask=0o277)
        out.close()
        err.close()
        try:
            def ready():
                try:
                    st = os.stat(path)
                    with open(path, "rb") as fh:
                        magic = struct.unpack("<I", fh.read(4))[0]
                except (OSError, struct.error):
                    return None
                return st if st.st_ino != stale_ino and magic == 0x52465645 else None
            st = R.wait_until(lambda: ready() or (p.poll() is not None and "exited"), 30,
                              what="evfwd's ring object")
            self.assertNotEqual(st, "exited", "evfwd exited with %s" % p.returncode)
            self.assertTrue(stat.S_ISREG(st.st_mode))
            self.assertEqual(oct(stat.S_IMODE(st.st_mode)), oct(0o600),
                             "mode of %s (umask 0277, stale object 0666)" % path)
            self.assertEqual(st.st_uid, os.geteuid())
            self.assertEqual(st.st_size, 4096 + (2 * records + events) * 128)
            with open(path, "rb") as fh:
                hdr = fh.read(32)
            magic, abi, hsize, rsize, nb, total, pid = struct.unpack("<IHHIIQQ", hdr)
            self.assertEqual((magic, abi, hsize, rsize, nb, total, pid),
                             (0x52465645, 2, 4096, 128, 3, st.st_size, p.pid))
            # evfwd-ctl (same user) opens it
            self.assertEqual(R.ctl_status(self.ring)["produced"], 0)
        except BaseException:
            self.lab.failed = True
            raise
        finally:
            R.kill(p)
        self.assertEqual(p.returncode, 0, "evfwd after SIGTERM")
        self.assertFalse(os.path.exists(path), "evfwd left %s after a clean exit" % path)
        with open(os.path.join(rundir, "stdout.txt")) as fh:
            self.assertRegex(fh.read(), r"mbufs in use after stop: 0 of \d+")


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
