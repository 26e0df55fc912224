#!/usr/bin/python3
"""test_producer_restart.py: producer restarts on a live evfwd (suite "ring").

evfwd runs with a control ring (a name with this test's PID, hold-time 3 s)
and traffic flowing: acc0 is a net_pcap port replaying (infinite_rx) four
flows to MACs that routes install; the uplink is net_null, so what the flows
become is seen in the uplink's TX counter.

1. Producer 1, `evfwd-ctl push` reading a generated stream of 20000 rt2 lines
   from a pipe (paced), is killed with SIGKILL mid-stream. Everything it had
   written is applied, state is kept after its death.
2. Producer 2 starts with --new-epoch and sends sync-begin, a snapshot (a
   third of producer 1's routes, some of them moved to another VTEP, the
   flows' MACs, and routes producer 1 never sent), sync-end. Checked through
   the shell: "show fdb" holds exactly the snapshot (no stale route, moved
   MACs on their new VTEP), "show ring" one epoch change, one sync begin/end,
   the sweep count, no hold expiry (not even after the hold time);
   "evfwd-ctl status" agrees.
3. Producer 3 restarts WITHOUT sync-end (sync-begin and half the table): the
   stale routes stay until the hold time, then are swept ("show ring": one
   hold expiry), and "show fdb" is exactly what producer 3 sent.
All along, "show port stats" is sampled: the uplink's TX counter grows
between every two samples (forwarding never stopped). The run ends with
"mbufs in use after stop: 0". Every child is killed and the shared-memory
object unlinked whatever happens (ringlib.cleanup at exit).
"""
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ringlib as R  # noqa: E402

E = R.E
HOLD = 3
N = 20000
FLOWS = 4
HOST = "00:c1:ab:00:00:01"


def mac_of(i):
    return "02:aa:00:%02x:%02x:%02x" % ((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def vni_of(i):
    return 200 if i % 5 == 4 else 100


def bd_of(i):
    return "red" if vni_of(i) == 200 else "blue"


def vtep_of(i, moved=False):
    return ("198.18.2.%d" if moved else "198.18.1.%d") % (1 + i % 50)


def line(i, moved=False, op="add"):
    return "rt2 %s vni %d mac %s vtep %s" % (op, vni_of(i), mac_of(i), vtep_of(i, moved))


def expect_of(routes):
    """{(mac-vrf, mac): 'vxlan VTEP'} for a list of (i, moved)."""
    return {(bd_of(i), mac_of(i)): "vxlan " + vtep_of(i, moved) for i, moved in routes}


class ProducerRestart(E.EvfTestCase):
    def setUp(self):
        self.lab = E.Lab("ring-restart")
        self.ring = R.ring_name("restart")
        flows = [E.host_frame(HOST, mac_of(i), sport=1000 + i, size=128) for i in range(FLOWS)]
        pcap = os.path.join(self.lab.dir, "flows.pcap")
        E.write_pcap(pcap, flows)
        self.config = (
            "node: {vtep-ipv4: 198.18.0.1, mac: \"%s\"}\n"
            "ports:\n"
            "  - {name: uplink, device: \"net_null0,no-rx=1\", role: network,"
            " next-hop-mac: \"%s\", mtu: 1600}\n"
            "  - {name: acc0, device: \"net_pcap0,rx_pcap=%s,infinite_rx=1\", role: access}\n"
            "mac-vrfs:\n"
            "  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged}]}\n"
            "  - {name: red, vni: 200, attachments: [{port: acc0, vlan: 20}]}\n"
            "control-ring: {name: %s, records: 4096, hold-time: %d, batch: 256}\n"
            % (E.ME_MAC, E.NH_MAC, pcap, self.ring, HOLD))
        self.tx = []

    def sample_tx(self, run, when):
        """One 'show port stats' sample; the uplink TX must have grown since the last."""
        tx = R.port_tx(run.cmd("show port stats all"), "uplink")
        if self.tx and tx <= self.tx[-1][1]:
            self.fail("forwarding stopped %s: uplink TX %d, was %d %s"
                      % (when, tx, self.tx[-1][1], self.tx[-1][0]))
        self.tx.append((when, tx))
        return tx

    def fdb(self, run):
        return R.fdb_evpn(run.cmd("show fdb", timeout=60))

    def assertFdb(self, run, expect, what):
        got = self.fdb(run)
        if got != expect:
            missing = sorted(set(expect) - set(got))
            stale = sorted(set(got) - set(expect))
            wrong = sorted(k for k in set(got) & set(expect) if got[k] != expect[k])
            self.fail("%s: FDB differs from the snapshot: %d missing %s, %d stale %s, %d on the"
                      " wrong VTEP %s" % (what, len(missing), missing[:5], len(stale), stale[:5],
                                          len(wrong), [(k, got[k], expect[k]) for k in wrong[:5]]))

    def push(self, lines, new_epoch=True, pace=0.0, chunk=500):
        """A producer process fed lines through a pipe (optionally paced); returns
        (process, writer thread)."""
        args = [R.EVFWD_CTL, "--ring", self.ring, "push", "--producer"] + (["--new-epoch"] if new_epoch else []) + \
            ["--wait"]
        p = R.spawn(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def writer():
            try:
                for k in range(0, len(lines), chunk):
                    p.stdin.write("".join(ln + "\n" for ln in lines[k:k + chunk]))
                    p.stdin.flush()
                    if pace:
                        time.sleep(pace)
                p.stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass
        th = threading.Thread(target=writer, daemon=True)
        th.start()
        return p, th

    def finish_push(self, p, th, what):
        th.join(60)
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            R.kill(p)
            self.fail("%s did not finish" % what)
        err = p.stderr.read()
        self.assertEqual(p.returncode, 0, "%s: rc %s, stderr:\n%s" % (what, p.returncode, err))
        return err

    def test_restart(self):
        run = E.LiveRun(self.lab, self.config, max_runtime=240)
        try:
            self.scenario(run)
        except Exception:
            self.lab.failed = True
            raise
        res = run.quit()
        res.assert_no_mbuf_leak()
        R.cleanup()
        self.assertFalse(os.path.exists("/dev/shm/" + self.ring.lstrip("/")),
                         "the ring object is left after evfwd exited")
        sys.stderr.write("uplink TX samples: %s\n" % ", ".join("%s=%d" % s for s in self.tx))

    def scenario(self, run):
        R.wait_until(lambda: os.path.exists("/dev/shm/" + self.ring.lstrip("/")), 10,
                     what="the ring object")
        self.sample_tx(run, "at start")   # nothing installed yet: flows flood (no recipient)...
        self.tx.clear()                   # ...so TX starts with the first routes

        # ---- 1. producer 1, killed mid-stream ----
        stream = [line(i) for i in range(N)]
        p1, th1 = self.push(stream, new_epoch=False, pace=0.05, chunk=400)
        R.wait_until(lambda: R.ctl_status(self.ring).get("consumed", 0) >= 6000, 30,
                     what="producer 1 to get 6000 records consumed")
        self.sample_tx(run, "while producer 1 streams")
        os.killpg(p1.pid, signal.SIGKILL)
        p1.wait(10)
        th1.join(10)
        st = R.wait_until(lambda: (lambda s: s if s["queued"] == 0 else None)(R.ctl_status(self.ring)),
                          10, what="the ring to drain")
        k1 = st["applied"]
        self.assertLess(k1, N, "producer 1 finished before it was killed: pace it slower")
        self.assertEqual(st["records"], k1, "records read != applied: %s" % st["text"])
        sys.stderr.write("producer 1 killed after %d of %d routes\n" % (k1, N))
        self.sample_tx(run, "after producer 1 was killed")
        p1_routes = [(i, False) for i in range(k1)]
        self.assertFdb(run, expect_of(p1_routes), "after producer 1 died (state kept)")
        self.sample_tx(run, "with no producer")

        # ---- 2. producer 2: new epoch, sync-begin, snapshot, sync-end ----
        kept = [(i, i % 9 == 0 and i >= FLOWS) for i in range(k1) if i < FLOWS or i % 3 == 0]
        new = [(i, False) for i in range(k1, min(N, k1 + 300))] + [(i, False) for i in range(N, N + 500)]
        snapshot = kept + new
        lines = ["sync-begin"] + [line(i, moved) for i, moved in snapshot] + ["sync-end"]
        p2, th2 = self.push(lines, pace=0.02, chunk=300)
        time.sleep(0.1)
        self.sample_tx(run, "during the snapshot")
        err = self.finish_push(p2, th2, "producer 2")
        self.assertIn("0 line(s) rejected", err)
        self.sample_tx(run, "after sync-end")
        expect2 = expect_of(snapshot)
        self.assertFdb(run, expect2, "after producer 2's sync-end")
        ring = R.show_ring(run.cmd("show ring"))
        moved = sum(1 for _, m in kept if m)
        self.assertEqual(ring.get("epochs"), 1, ring["text"])
        self.assertEqual(ring.get("sync_begin"), 1, ring["text"])
        self.assertEqual(ring.get("sync_end"), 1, ring["text"])
        self.assertEqual(ring.get("hold_expiries"), 0, ring["text"])
        # swept: producer 1's routes not re-sent, and the old VTEP's route of each moved MAC
        self.assertEqual(ring.get("swept"), k1 - len(kept) + moved, ring["text"])
        self.assertFalse(ring["resync"] or ring["hold_timer"], ring["text"])
        self.assertEqual(sum(ring["rejected"].values()), 0, ring["text"])
        st = R.ctl_status(self.ring)
        self.assertEqual((st["restarts"], st["sync_begin"], st["sync_end"], st["swept"]),
                         (1, 1, 1, ring["swept"]), st["text"])
        self.assertFalse(st["syncing"], st["text"])
        # the hold timer is off: nothing more goes after the hold time
        time.sleep(HOLD + 1)
        self.sample_tx(run, "hold time after sync-end")
        self.assertFdb(run, expect2, "hold time after producer 2's sync-end")
        self.assertEqual(R.show_ring(run.cmd("show ring")).get("hold_expiries"), 0)
        routes = "\n".join(run.cmd("show routes"))
        self.assertIn("Swept by resyncs: %d" % ring["swept"], routes)

        # ---- 3. producer 3: restart without sync-end, the hold time sweeps ----
        half = [r for n, r in enumerate(snapshot) if n % 2 == 0 or r[0] < FLOWS]
        lines = ["sync-begin"] + [line(i, m) for i, m in half]
        t0 = time.monotonic()
        p3, th3 = self.push(lines, pace=0.01, chunk=300)
        self.finish_push(p3, th3, "producer 3")
        self.sample_tx(run, "producer 3 sent its half table")
        if time.monotonic() - t0 < HOLD - 0.5:
            ring = R.show_ring(run.cmd("show ring"))
            self.assertEqual(ring.get("hold_expiries"), 0, ring["text"])
            self.assertTrue(ring["hold_timer"], ring["text"])
            self.assertEqual(len(self.fdb(run)), len(expect2), "swept before the hold time")
        R.wait_until(lambda: R.show_ring(run.cmd("show ring")).get("hold_expiries") == 1, HOLD + 10,
                     interval=0.2, what="the hold time to expire")
        self.sample_tx(run, "after the hold time")
        self.assertFdb(run, expect_of(half), "after producer 3's hold time")
        ring = R.show_ring(run.cmd("show ring"))
        self.assertEqual((ring["epochs"], ring["sync_begin"], ring["sync_end"], ring["hold_expiries"]),
                         (2, 2, 1, 1), ring["text"])
        self.assertEqual(ring["swept"], k1 - len(kept) + moved + len(snapshot) - len(half),
                         ring["text"])
        self.sample_tx(run, "at the end")


if __name__ == "__main__":
    E.main()
