#!/usr/bin/python3
"""test_multiworker.py: two workers, two RX and two TX queues per port.

The machine has 2 CPUs, so EAL runs with --lcores 0@0,1@1,2@1: the main
lcore 0 on CPU 0 and worker lcores 1 and 2 sharing CPU 1 (workers sleep 20 us
when idle). 'show workers' must list them as lcores 1 and 2.

Pcap run: both ports are net_pcap with two rx_pcap= and two tx_pcap= (2 RX
queues, 2 TX queues; pcap has no RSS, each RX queue reads its own file).
evfwd spreads RX queues round robin, so worker 0 polls uplink/0 and host/0 and
worker 1 polls uplink/1 and host/1; each worker transmits on its own TX queue.
MAC-VRF A (VNI 10010, host untagged, remote MAC R1 behind 198.18.0.1, flood
list 198.18.0.1 and .2) and MAC-VRF B (VNI 10020, host VLAN 20, remote MAC R2
behind 198.18.0.2). Each MAC-VRF has one attachment, so a decapsulated frame
leaves exactly once whether or not its destination has been learned yet.
Checks:
  - every input frame of both queues of both directions is forwarded exactly
    once (union of the two TX files: encap field by field with the inner bytes,
    decap byte for byte), and what a worker received leaves on that worker's
    TX queue (queue 0's inputs in *_out0, queue 1's in *_out1);
  - source MAC H1 arrives on both host queues (both workers): one FDB entry,
    nothing 'moved'; H2 (queue 1 only) and H3 (VLAN 20, queue 0 only) learned;
  - no drops, 'mbufs in use after stop: 0';
  - 'show workers': two workers on lcores 1 and 2, their RX queues, and the
    packets each received (non-zero, = its two input files).

Too few TX queues: a net_pcap port with two rx_pcap= but one tx_pcap= under
2 workers makes evfwd exit 1 with one error line saying the device has 1 TX
queue and evfwd needs one per worker (drivers/port/port_setup.c).

Tap RSS run: an access port net_tap,iface=evfm-PIDt with 2 queues (made
multi_queue beforehand) and 2 workers; 64 flows from one host injected on the
tap interface with scapy. DPDK's own tap RSS (rte_flow + BPF) is not available
here (net_tap logs that the multiq qdisc is missing and disables rte_flow), but
the kernel's tun driver spreads the flows it transmits over the tap's queues
by flow hash, so both workers receive: checked with 'show port info' (RXQ 2)
and 'show workers' (both non-zero), every flow encapsulated exactly once on
the net_pcap uplink (2 TX files, each worker's count in its own file) and
the host learned once.
"""
import os
import re
import sys
import time
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag, untag  # noqa: E402

E.cleanup_on_sigterm()
EAL = ["--no-huge", "--in-memory", "--no-pci", "--lcores", "0@0,1@1,2@1",
       "--log-level=lib.eal:error"]
PID = os.getpid()

VTEP = "198.18.0.10"
RV1, RV2 = "198.18.0.1", "198.18.0.2"
H1, H2, H3 = "00:c1:ab:00:01:01", "00:c1:ab:00:02:02", "00:c1:ab:00:03:03"
R1, R2 = "00:c1:ab:00:04:04", "00:c1:ab:00:05:05"
VNI_A, VNI_B = 10010, 10020


def pcap_dev(n, d, port, nrx=2, ntx=2):
    return "net_pcap%d,%s,%s" % (
        n, ",".join("rx_pcap=%s/%s_in%d.pcap" % (d, port, q) for q in range(nrx)),
        ",".join("tx_pcap=%s/%s_out%d.pcap" % (d, port, q) for q in range(ntx)))


CONFIG = """
node:
  name: multiworker
  vtep-ipv4: 198.18.0.10
  mac: 02:00:00:00:00:01
ports:
  - name: uplink
    device: "%(up)s"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
  - name: host
    device: "%(host)s"
    role: access
mac-vrfs:
  - name: A
    vni: 10010
    attachments:
      - {port: host, vlan: untagged}
    remote-vteps: [198.18.0.1, 198.18.0.2]
    remote-macs:
      - {mac: "00:c1:ab:00:04:04", vtep: 198.18.0.1}
  - name: B
    vni: 10020
    attachments:
      - {port: host, vlan: 20}
    remote-macs:
      - {mac: "00:c1:ab:00:05:05", vtep: 198.18.0.2}
workers:
  count: 2
  idle-sleep-us: 20
"""

# ------------------------------------------------------------- traffic --


def host_queue(q):
    """Access input of queue q: [(frame, [(outer dst IP, VNI, inner)])]."""
    out = []
    for i in range(40):
        # H1 on both queues (same source MAC through both workers), distinct flows
        f = host_frame(H1, R1, "198.19.0.1", "198.19.4.%d" % (1 + q), 1000 + 100 * q + i, 2000,
                       size=64 + 31 * i + q, proto="tcp" if i % 3 == 0 else "udp")
        out.append((f, [(RV1, VNI_A, f)]))
        if q == 1 and i % 4 == 0:
            f = host_frame(H2, R1, "198.19.0.2", "198.19.4.4", 3000 + i, 2000, size=90 + i)
            out.append((f, [(RV1, VNI_A, f)]))
        if q == 0 and i % 4 == 1:
            f = host_frame(H3, R2, "198.19.20.3", "198.19.20.5", 4000 + i, 53, size=100 + i,
                           vlan=20, pcp=i % 8)
            out.append((f, [(RV2, VNI_B, untag(f))]))
        if i % 10 == 5:
            f = bcast_frame(H1 if q == 0 else H2, ident=100 * q + i)
            out.append((f, [(RV1, VNI_A, f), (RV2, VNI_A, f)]))
    return out


def uplink_queue(q):
    """Network input of queue q: [(VXLAN frame, [frame expected on host])]."""
    out = []
    for i in range(40):
        if i % 5 == 4:
            inner = host_frame(R2, H3 if q == 0 else "00:c1:ab:00:33:33", "198.19.20.5",
                               "198.19.20.3", 53, 4000 + i, size=80 + i)
            out.append((E.vxlan4(inner, VNI_B, src=RV2, dst=VTEP, sport=50000 + i),
                        [tag(inner, 20)]))
        else:
            dst = [H1, H2, "00:c1:ab:00:11:11", "ff:ff:ff:ff:ff:ff"][i % 4]
            inner = host_frame(R1, dst, "198.19.4.4", "198.19.0.1", 2000, 1000 + 100 * q + i,
                               size=70 + 29 * i + q)
            out.append((E.vxlan4(inner, VNI_A, src=RV1, dst=VTEP, sport=51000 + i), [inner]))
    return out


def check_encap(tc, got, expected, what):
    """got: VXLAN frames; expected: [(dst ip, vni, inner)] as a multiset."""
    want = {}
    for dst, vni, inner in expected:
        want.setdefault((dst, vni, inner), 0)
        want[(dst, vni, inner)] += 1
    extra = []
    for n, pkt in enumerate(got):
        f = E.parse_vxlan(pkt)
        key = (f["ip_dst"], f["vni"], f["inner"])
        if want.get(key):
            want[key] -= 1
            E.assert_vxlan(pkt, inner=f["inner"], vni=key[1], dst_ip=key[0], src_ip=VTEP,
                           what="%s #%d" % (what, n))
        else:
            extra.append("to %s VNI %d inner %s" % (key[0], key[1], key[2][:40].hex()))
    missing = ["to %s VNI %d inner %s (x%d)" % (k[0], k[1], k[2][:40].hex(), v)
               for k, v in want.items() if v]
    tc.assertFalse(missing or extra, "%s: %d missing, %d unexpected:\n    %s"
                   % (what, len(missing), len(extra), "\n    ".join((missing + extra)[:20])))


def workers_table(lines):
    for i, line in enumerate(lines):
        if line.startswith("Worker ") and "Lcore" in line:
            rows, _ = E.parse_table(lines, i)
            return rows
    raise AssertionError("no 'show workers' table in:\n" + "\n".join(lines))


# ---------------------------------------------------------------- tests --


class PcapTwoQueues(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("multiworker")
        d = os.path.join(cls.lab.dir, "pcap")
        os.makedirs(d)
        cls.d = d
        cls.hq = [host_queue(0), host_queue(1)]
        cls.uq = [uplink_queue(0), uplink_queue(1)]
        for q in range(2):
            E.write_pcap(os.path.join(d, "host_in%d.pcap" % q), [f for f, _ in cls.hq[q]])
            E.write_pcap(os.path.join(d, "uplink_in%d.pcap" % q), [f for f, _ in cls.uq[q]])
        cfg = CONFIG % dict(up=pcap_dev(0, d, "uplink"), host=pcap_dev(1, d, "host"))
        saved = E.EAL_ARGS
        E.EAL_ARGS = EAL  # Lab.run reads the module's EAL arguments
        try:
            cls.res = cls.lab.run(cfg, {}, tag="pcap",
                                  cmds=["show port info", "wait idle 300", "show fdb",
                                        "show learning", "show workers"])
        finally:
            E.EAL_ARGS = saved

    def out(self, port, q):
        return E.read_pcap(os.path.join(self.d, "%s_out%d.pcap" % (port, q)))

    def test_queues(self):
        rows, _ = E.parse_table(self.res.outputs_of("show port info")[0], 0)
        for r in rows:
            self.assertEqual((r["RXQ"], r["TXQ"]), ("2", "2"), "port %s: %s" % (r["Port"], r))

    def test_encap_exactly_once(self):
        got = self.out("uplink", 0) + self.out("uplink", 1)
        exp = [e for q in range(2) for _, lst in self.hq[q] for e in lst]
        check_encap(self, got, exp, "uplink (both TX files)")

    def test_decap_exactly_once(self):
        got = self.out("host", 0) + self.out("host", 1)
        exp = [e for q in range(2) for _, lst in self.uq[q] for e in lst]
        self.assertFrames(got, exp, "host (both TX files)", ordered=False)

    def test_tx_queue_per_worker(self):
        # worker q polls RX queue q of both ports and transmits on TX queue q only
        for q in range(2):
            check_encap(self, self.out("uplink", q), [e for _, lst in self.hq[q] for e in lst],
                        "uplink_out%d (from host_in%d, worker %d)" % (q, q, q))
            self.assertFrames(self.out("host", q), [e for _, lst in self.uq[q] for e in lst],
                              "host_out%d (from uplink_in%d, worker %d)" % (q, q, q),
                              ordered=False)

    def test_learning_one_entry(self):
        rows = self.res.fdb()
        learnt = sorted((r["Address"].lower(), r["Destination"]) for r in rows
                        if r["Type"] == "learnt")
        self.assertEqual(learnt, [(H1, "host"), (H2, "host"), (H3, "host.20")],
                         "H1 came through both workers: one entry")
        line = self.res.outputs_of("show learning")[0][0]
        m = re.search(r"learned (\d+), moved (\d+)", line)
        self.assertIsNotNone(m, line)
        self.assertEqual((int(m.group(1)), int(m.group(2))), (3, 0), line)

    def test_workers(self):
        rows = workers_table(self.res.outputs_of("show workers")[0])
        self.assertEqual([(r["Worker"], r["Lcore"], r["RX queues"]) for r in rows],
                         [("0", "1", "uplink/0,host/0"), ("1", "2", "uplink/1,host/1")])
        for q, r in enumerate(rows):
            self.assertEqual(int(r["Packets"]), len(self.hq[q]) + len(self.uq[q]),
                             "worker %d packets = its two input files: %s" % (q, r))
            self.assertGreater(int(r["Packets"]), 0)

    def test_port_counters(self):
        p = self.res.ports
        self.assertEqual(p["host"]["rx_packets"], len(self.hq[0]) + len(self.hq[1]))
        self.assertEqual(p["uplink"]["rx_packets"], len(self.uq[0]) + len(self.uq[1]))

    def test_no_drops(self):
        self.res.assert_drops({})

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class PcapTooFewTxQueues(E.EvfTestCase):
    def test_one_tx_pcap_two_workers(self):
        lab = E.Lab("multiworker-txq")
        d = os.path.join(lab.dir, "txq")
        os.makedirs(d)
        for port in ("uplink", "host"):
            for q in range(2):
                E.write_pcap(os.path.join(d, "%s_in%d.pcap" % (port, q)), [])
        cfg = CONFIG % dict(up=pcap_dev(0, d, "uplink", ntx=1), host=pcap_dev(1, d, "host"))
        saved = E.EAL_ARGS
        E.EAL_ARGS = EAL
        try:
            res = lab.run(cfg, {}, tag="txq", expect_rc=1)
        finally:
            E.EAL_ARGS = saved
        errs = [l for l in res.stderr.splitlines() if l.startswith("evfwd:")]
        self.assertEqual(len(errs), 1, "one evfwd error line:\n" + res.stderr)
        self.assertRegex(errs[0], r"^evfwd: port uplink: device net_pcap has 1 TX queue\(s\), "
                         r"evfwd needs one per worker \(2\)")
        self.assertNotIn("final statistics", res.stdout)


class TapRss(E.EvfTestCase):
    NFLOWS = 64

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("multiworker-tap")
        links = E.Links()
        try:
            d = os.path.join(cls.lab.dir, "tap")
            os.makedirs(d)
            cls.d = d
            for q in range(2):
                E.write_pcap(os.path.join(d, "uplink_in%d.pcap" % q), [])
            tap = links.tap("evfm-%dt" % PID)
            peer = E.Peer([tap])
            cfg = CONFIG % dict(up=pcap_dev(0, d, "uplink"), host="net_tap1,iface=" + tap)
            run = E.LiveRun(cls.lab, cfg, eal_args=EAL, max_runtime=90, tag="tap")
            try:
                cls.port_info = run.cmd("show port info")
                cls.frames = [host_frame(H1, R1, "198.19.%d.1" % (i % 7), "198.19.4.%d" % i,
                                         1024 + 17 * i, 2000 + i, size=80 + i,
                                         proto="tcp" if i % 2 else "udp")
                              for i in range(cls.NFLOWS)]
                peer.send(tap, cls.frames)
                end = time.monotonic() + 15
                while time.monotonic() < end:
                    stats = run.cmd("show port stats all")
                    rows, _ = E.parse_table(stats, 0)
                    if {r["Port"]: r for r in rows}["host"]["RX-packets"] == str(cls.NFLOWS):
                        break
                    time.sleep(0.1)
                run.cmd("wait idle 200")
                cls.workers = workers_table(run.cmd("show workers"))
                run.cmd("show fdb")
                cls.res = run.quit()
            finally:
                run.close()
        except BaseException:
            cls.lab.failed = True
            raise
        finally:
            links.cleanup()

    def out(self, q):
        return E.read_pcap(os.path.join(self.d, "uplink_out%d.pcap" % q))

    def test_tap_has_two_queues(self):
        rows, _ = E.parse_table(self.port_info, 0)
        host = {r["Port"]: r for r in rows}["host"]
        self.assertEqual((host["Driver"], host["RXQ"], host["TXQ"]), ("net_tap", "2", "2"))

    def test_both_workers_receive(self):
        pk = [int(r["Packets"]) for r in self.workers]
        self.assertEqual([(r["Lcore"], r["RX queues"]) for r in self.workers],
                         [("1", "uplink/0,host/0"), ("2", "uplink/1,host/1")])
        self.assertEqual(sum(pk), self.NFLOWS, "packets per worker %s" % pk)
        self.assertTrue(all(pk), "%d flows on a 2-queue tap all reached one worker: %s"
                        % (self.NFLOWS, pk))

    def test_encap_exactly_once(self):
        check_encap(self, self.out(0) + self.out(1), [(RV1, VNI_A, f) for f in self.frames],
                    "uplink (both TX files)")

    def test_tx_queue_per_worker(self):
        pk = [int(r["Packets"]) for r in self.workers]
        self.assertEqual([len(self.out(0)), len(self.out(1))], pk,
                         "each worker encapsulates onto its own TX queue")

    def test_one_fdb_entry(self):
        learnt = [(r["Address"].lower(), r["Destination"]) for r in self.res.fdb()
                  if r["Type"] == "learnt"]
        self.assertEqual(learnt, [(H1, "host")])

    def test_no_drops_no_leak(self):
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()

    def test_nothing_left(self):
        self.assertEqual(E.Links.leftovers("evfm-%d" % PID), [])


if __name__ == "__main__":
    E.main()
