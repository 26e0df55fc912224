#!/usr/bin/python3
"""test_producer_timeout.py: the control-ring key producer-timeout on a live
evfwd (suite "ring"; doc/config.md, doc/ring-abi.md 4.5).

evfwd runs headless (net_null ports, a command FIFO for its shell) with
control-ring {producer-timeout: 2, hold-time: 3}; times below are measured
by the test around what it observes, so each check is either certainly
before or certainly after evfwd's deadline, or the test fails as too slow.
1. No producer ever attaches: after 2 s the timeout fires anyway (one
   producer timeout, a resync) and the hold time sweeps nothing.
2. A producer pushes routes (rt2, rt3, rt1, rt4) WITHOUT sync-begin/sync-end,
   then keeps only sending heartbeats (evfwd-ctl push heartbeat) for longer
   than the timeout: no timeout, the routes stay ("show fdb", flood list,
   "show es").
3. The producer falls silent: before 2 s nothing has changed; after it, one
   more producer timeout (evfwd-ctl status, "show ring"), a resync open, and
   every route still held until the hold time; after the hold time all of
   them are swept (swept = their number, one more hold expiry, no sync end)
   and the FDB, flood list and segment are empty. The timeout is counted once
   per silence (still 2 a while later).
The ring object is unlinked and evfwd stopped whatever happens.
"""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ringlib as R  # noqa: E402

E = R.E
TIMEOUT = 2
HOLD = 3
ESI = "00:e5:00:00:00:00:00:00:00:77"
MACS = ["02:00:00:bb:00:%02x" % i for i in range(1, 11)]
ROUTES = (["rt2 add vni 100 mac %s vtep 198.18.0.%d" % (m, 2 + i % 3) for i, m in enumerate(MACS)]
          + ["rt3 add vni 100 vtep 198.18.0.9",
             "rt1 add esi %s vtep 198.18.0.10" % ESI,
             "rt4 add esi 00:e5:00:00:00:00:00:00:00:01 vtep 198.18.0.11"])
# ring routes a sweep withdraws: every route above
N_ROUTES = len(ROUTES)


class ProducerTimeout(E.EvfTestCase):
    def setUp(self):
        self.lab = E.Lab("ring-producer-timeout")
        self.ring = R.ring_name("timeout")
        self.config = (
            "node: {vtep-ipv4: 198.18.0.1, mac: \"%s\"}\n"
            "ports:\n"
            "  - {name: uplink, device: \"net_null0,no-rx=1\", role: network,"
            " next-hop-mac: \"%s\"}\n"
            "  - {name: acc0, device: \"net_null1,no-rx=1\", role: access}\n"
            "  - {name: acc1, device: \"net_null2,no-rx=1\", role: access}\n"
            "mac-vrfs:\n"
            "  - {name: blue, vni: 100, attachments: [{port: acc0, vlan: untagged},"
            " {port: acc1, vlan: 10}]}\n"
            "ethernet-segments:\n"
            "  - {name: es-1, esi: 00:e5:00:00:00:00:00:00:00:01, interface: acc1, df-timer: 0}\n"
            "control-ring: {name: %s, records: 256, event-records: 64, hold-time: %d,"
            " producer-timeout: %d}\n" % (E.ME_MAC, E.NH_MAC, self.ring, HOLD, TIMEOUT))

    def test_producer_timeout(self):
        run = E.LiveRun(self.lab, self.config, max_runtime=120)
        try:
            self.scenario(run)
        except BaseException:
            self.lab.failed = True
            run.close()
            raise
        res = run.quit()
        res.assert_no_mbuf_leak()
        self.assertFalse(os.path.exists(R.shm_path(self.ring)),
                         "the ring object is left after evfwd exited")

    # ---- observations ----

    def status(self):
        return R.ctl_status(self.ring)

    def routes_state(self, run):
        """(evpn MACs of "show fdb", blue's flood list, the PEs (RT1 per-ES) of the
        remote segment ESI, the local-bias peers (RT4) of es-1)."""
        fdb = R.fdb_evpn(run.cmd("show fdb"))
        fl = [l.split(":", 1)[1].strip() for l in run.cmd("show mac-vrf blue")
              if l.strip().startswith("Flood list")]
        pes = [r["PEs (RT1 per-ES)"] for r in R.table(run.cmd("show es"), "Name") if r["ESI"] == ESI]
        peers = [l.split(":", 1)[1].strip() for l in run.cmd("show es es-1")
                 if l.strip().startswith("Peers for local bias")]
        return fdb, fl, pes, peers

    def assertHeld(self, run, what):
        want = {("blue", m): "vxlan 198.18.0.%d" % (2 + i % 3) for i, m in enumerate(MACS)}
        self.assertEqual(self.routes_state(run), (want, ["198.18.0.9(imet)"], ["198.18.0.10"],
                                                  ["198.18.0.11"]), what)

    def assertSwept(self, run, what):
        fdb, fl, pes, peers = self.routes_state(run)
        self.assertEqual((fdb, fl, peers), ({}, ["none"], ["-"]), what)
        self.assertIn(pes, ([], ["-"]), "%s: remote segment's PEs" % what)

    def push(self, *words, stdin=None):
        rc, out, err = R.ctl(self.ring, "push", "--producer", "--wait", *words, input=stdin)
        self.assertEqual(rc, 0, "push: rc %d, stderr %s" % (rc, err))

    # ---- the scenario ----

    def scenario(self, run):
        R.wait_until(lambda: os.path.exists(R.shm_path(self.ring)), 10, what="the ring object")

        # 1. nobody attached: the timeout fires, the hold time sweeps nothing
        st = R.wait_until(lambda: (lambda s: s if s["hold_expiries"] == 1 else None)(self.status()),
                          TIMEOUT + HOLD + 10, interval=0.1,
                          what="the first producer timeout's hold time")
        self.assertEqual((st["timeouts"], st["swept"], st["records"], st["sync_end"]),
                         (1, 0, 0, 0), st["text"])
        self.assertFalse(st["syncing"], st["text"])

        # 2. routes without sync, then heartbeats only for 1.5 x the timeout
        self.push(stdin="".join(r + "\n" for r in ROUTES))
        st = self.status()
        self.assertEqual((st["records"], st["applied"], st["timeouts"]), (N_ROUTES, N_ROUTES, 1),
                         st["text"])
        self.assertHeld(run, "after the push")
        end = time.monotonic() + TIMEOUT * 1.5
        beats = 0
        while time.monotonic() < end:
            self.push("heartbeat")
            beats += 1
            time.sleep(0.4)
        st = self.status()
        self.assertEqual((st["heartbeats"], st["timeouts"], st["hold_expiries"], st["swept"]),
                         (beats, 1, 1, 0), st["text"])
        self.assertFalse(st["syncing"], st["text"])
        self.assertHeld(run, "while heartbeats keep coming")

        # 3. silence. t0: before the last sign of life, so evfwd's timeout is at or
        # after t0 + TIMEOUT and its hold deadline at or after t0 + TIMEOUT + HOLD.
        t0 = time.monotonic()
        self.push("heartbeat")
        time.sleep(TIMEOUT / 2)
        st = self.status()
        self.assertHeld(run, "%.1f s into the silence" % (time.monotonic() - t0))
        checked = time.monotonic() - t0
        self.assertLess(checked, TIMEOUT, "too slow: the check before the timeout took until"
                        " %.2f s" % checked)
        self.assertEqual((st["timeouts"], st["hold_expiries"]), (1, 1), st["text"])
        self.assertFalse(st["syncing"], st["text"])

        st = R.wait_until(lambda: (lambda s: s if s["timeouts"] == 2 else None)(self.status()),
                          TIMEOUT + 10, interval=0.05, what="the producer timeout")
        fired = time.monotonic() - t0
        self.assertGreaterEqual(fired, TIMEOUT, "timeout after %.2f s of silence" % fired)
        self.assertTrue(st["syncing"], "no resync after the timeout: " + st["text"])
        self.assertEqual((st["hold_expiries"], st["swept"], st["sync_begin"], st["sync_end"]),
                         (1, 0, 0, 0), st["text"])
        self.assertEqual(st["generation"], 3, st["text"])  # start 1, two timeouts
        ring = R.show_ring(run.cmd("show ring"))
        self.assertEqual((ring["timeouts"], ring["hold_expiries"]), (2, 1), ring["text"])
        self.assertTrue(ring["hold_timer"], ring["text"])
        self.assertHeld(run, "right after the timeout (hold time running)")
        checked = time.monotonic() - t0
        self.assertLess(checked, TIMEOUT + HOLD, "too slow: the check before the hold time took"
                        " until %.2f s" % checked)

        st = R.wait_until(lambda: (lambda s: s if s["hold_expiries"] == 2 else None)(self.status()),
                          HOLD + 10, interval=0.05, what="the hold time")
        swept_at = time.monotonic() - t0
        self.assertGreaterEqual(swept_at, TIMEOUT + HOLD, "swept after %.2f s" % swept_at)
        self.assertEqual((st["swept"], st["timeouts"], st["sync_end"], st["applied"]),
                         (N_ROUTES, 2, 0, N_ROUTES), st["text"])
        self.assertFalse(st["syncing"], st["text"])
        self.assertSwept(run, "after the hold time")
        routes = "\n".join(run.cmd("show routes"))
        self.assertIn("Swept by resyncs: %d" % N_ROUTES, routes)
        # counted once per silence
        time.sleep(TIMEOUT + 0.5)
        st = self.status()
        self.assertEqual((st["timeouts"], st["hold_expiries"]), (2, 2), st["text"])


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
