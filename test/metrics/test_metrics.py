#!/usr/bin/python3
"""test_metrics.py: the OpenMetrics endpoint of a forwarding evfwd (suites
"metrics" and "cli"; the test process scrapes with curl).

evfwd runs headless with a control socket and a metrics section
(max-connections 3, request-timeout 2) while host1's frames are forwarded to
198.18.0.2 without end (net_pcap infinite_rx). Checked:

- both formats parse (omparse: every sample under its # TYPE, valid names,
  label escaping, # EOF for OpenMetrics) with the right content type, and
  hold the families an operator needs, with their labels: ports (port),
  drop reasons (reason: every reason "show drops all json" lists), workers
  (worker, lcore), FDB per MAC-VRF (mac_vrf, type), segments (segment),
  LAG/LACP, control ring, control socket, the endpoint's own counters;
- values move with traffic: host1's RX, the uplink's TX and the worker's
  packets grow between scrapes, and "show port stats host1 json" read in
  between lies between the two scrapes; the scrape counter counts scrapes;
- values move with the control plane: an RT2 added with evfwd-cli shows as
  an EVPN MAC of MAC-VRF A, a second VTEP and an applied route; withdrawn,
  they go back;
- bad requests are answered and counted: 404 for another path, 405 with
  Allow for POST, HEAD without a body, garbage bytes closed without a
  request;
- idle clients cannot starve scrapers: with three clients holding every
  slot (dribbling a byte now and then, so libmicrohttpd's own idle timer
  never fires) a scrape is refused and counted; once they are past
  request-timeout a scrape gets through and the endpoint counts them cut;
- a busy metrics address stops a second evfwd before it forwards, naming
  the address;
- forwarding never stops, no packet is dropped, no mbuf leaks.
Prints the median and worst scrape time.
"""
import json
import os
import re
import socket
import statistics
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metricslib as M  # noqa: E402

C, E, P = M.C, M.E, M.P


class Metrics(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("metrics")
        cls.port = M.free_port()
        cls.live = C.Live(cls.lab, node="met1", max_clients=4,
                          extra_yaml=M.metrics_yaml(cls.port, max_conns=3, timeout=2))
        cls.sock = cls.live.sock
        cls.sc = M.Scraper(cls.port)

    @classmethod
    def tearDownClass(cls):
        res = cls.live.quit()
        res.assert_drops({})
        t = sorted(cls.sc.times)
        if t:
            print("metrics: %d scrapes, median %.1f ms, worst %.1f ms"
                  % (len(t), 1000 * statistics.median(t), 1000 * t[-1]), file=sys.stderr)

    def cli_json(self, cmd):
        rc, out, err = C.cli(self.sock, cmd + " json")
        self.assertEqual((rc, err), (0, ""), cmd)
        return json.loads(out)

    def counter(self, s, name, **labels):
        return P.value(s, name, **labels)

    def test_01_formats_and_families(self):
        self.assertIn("metrics at http://127.0.0.1:%d/metrics" % self.port, self.live.run.stdout())
        for om in (False, True):
            s, fams = self.sc.scrape(openmetrics=om)
            total = "_total"
            for port in ("uplink", "host1", "host2"):
                for f in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_dropped",
                          "rx_missed"):
                    self.counter(s, "evfwd_port_%s%s" % (f, total), port=port)
                self.assertEqual(self.counter(s, "evfwd_port_link_up", port=port), 1)
                self.assertEqual(self.counter(s, "evfwd_port_admin_up", port=port), 1)
            self.counter(s, "evfwd_port_info", port="host1", role="access", driver="net_pcap")
            reasons = [d["reason"] for d in self.cli_json("show drops all")["drops"]]
            self.assertGreater(len(reasons), 20)
            self.assertEqual(sorted(dict(k)["reason"] for k in s["evfwd_drops_total"]),
                             sorted(reasons))
            self.counter(s, "evfwd_worker_packets_total", worker="0", lcore="1")
            for t in ("learnt", "static", "evpn"):
                self.counter(s, "evfwd_fdb_macs", mac_vrf="A", type=t)
            self.assertEqual(self.counter(s, "evfwd_fdb_macs", mac_vrf="A", type="static"), 1)
            self.counter(s, "evfwd_mac_vrf_info", mac_vrf="A", vni="5001", evi="5001")
            self.assertEqual(self.counter(s, "evfwd_mac_vrf_attachments", mac_vrf="A"), 2)
            self.assertEqual(self.counter(s, "evfwd_vteps"), 1)
            self.counter(s, "evfwd_learning_learned_total")
            self.counter(s, "evfwd_control_loops_total")
            self.counter(s, "evfwd_ring_rejected_total", reason="bad-vni")
            self.assertEqual(self.counter(s, "evfwd_ring_configured"), 0)
            self.counter(s, "evfwd_ctlsock_commands_total")
            self.counter(s, "evfwd_metrics_http_scrapes_total")
            self.counter(s, "evfwd_route_results_total", result="ok")
            self.counter(s, "evfwd_arp_nd_arp_requests_total")
            self.counter(s, "evfwd_bindings_learned_total")
            self.counter(s, "evfwd_underlay_resolver_probes_sent_total")
            self.counter(s, "evfwd_build_info", node="met1", version=self.version())
            # no segment in this config: the families are declared, empty
            for f in ("evfwd_es", "evfwd_es_df", "evfwd_es_up", "evfwd_es_pes"):
                self.assertIn(f if om else f + ("_info" if f == "evfwd_es" else ""), fams)
            self.assertEqual(fams["evfwd_drops"] if om else fams["evfwd_drops_total"], "counter")
            self.assertEqual(fams["evfwd_es"] if om else fams["evfwd_es_info"],
                             "info" if om else "gauge")

    def version(self):
        """evfwd's version as it prints it at start ("evfwd VERSION starting")."""
        m = re.search(r"^evfwd (\S+) starting", self.live.run.stdout(), re.M)
        self.assertIsNotNone(m)
        return m.group(1)

    def test_02_values_move_with_traffic(self):
        s1, _ = self.sc.scrape()
        time.sleep(0.3)
        mid = self.cli_json("show port stats host1")["ports"][0]
        time.sleep(0.3)
        s2, _ = self.sc.scrape(openmetrics=True)
        rx1 = self.counter(s1, "evfwd_port_rx_packets_total", port="host1")
        rx2 = self.counter(s2, "evfwd_port_rx_packets_total", port="host1")
        self.assertLess(rx1, mid["rx_packets"])
        self.assertLessEqual(mid["rx_packets"], rx2)
        for name, labels in (("evfwd_port_tx_packets_total", {"port": "uplink"}),
                             ("evfwd_port_tx_bytes_total", {"port": "uplink"}),
                             ("evfwd_port_rx_bytes_total", {"port": "host1"}),
                             ("evfwd_worker_packets_total", {"worker": "0", "lcore": "1"}),
                             ("evfwd_worker_loops_total", {"worker": "0", "lcore": "1"}),
                             ("evfwd_control_loops_total", {})):
            self.assertGreater(self.counter(s2, name, **labels), self.counter(s1, name, **labels),
                               name)
        self.assertEqual(self.counter(s2, "evfwd_port_tx_packets_total", port="host2"), 0)
        self.assertEqual(self.counter(s2, "evfwd_metrics_http_scrapes_total") -
                         self.counter(s1, "evfwd_metrics_http_scrapes_total"), 1)
        self.assertGreaterEqual(self.counter(s2, "evfwd_ctlsock_commands_total") -
                                self.counter(s1, "evfwd_ctlsock_commands_total"), 1)
        self.assertGreater(self.counter(s2, "evfwd_uptime_seconds"),
                           self.counter(s1, "evfwd_uptime_seconds"))
        # the frames from HOST were learnt: one learnt MAC
        self.assertEqual(self.counter(s2, "evfwd_fdb_macs", mac_vrf="A", type="learnt"), 1)

    def test_03_values_move_with_routes(self):
        mac = "02:00:00:00:0b:01"
        s0, _ = self.sc.scrape()
        rc, out, err = C.cli(self.sock, "route add rt2 vni 5001 mac %s vtep 198.18.0.4" % mac)
        self.assertEqual((rc, err), (0, ""), out)

        def evpn_macs(n):
            s, _ = self.sc.scrape()
            return s if self.counter(s, "evfwd_fdb_macs", mac_vrf="A", type="evpn") == n else None
        s1 = C.wait_until(lambda: evpn_macs(1), 5, "the RT2's MAC in the scrape", interval=0.1)
        self.assertEqual(self.counter(s1, "evfwd_vteps"), 2)
        self.assertEqual(self.counter(s1, "evfwd_fdb_entries"),
                         self.counter(s0, "evfwd_fdb_entries") + 1)
        for name, labels in (("evfwd_routes_applied_total", {"type": "rt2", "op": "add"}),
                             ("evfwd_route_results_total", {"result": "ok"})):
            self.assertEqual(self.counter(s1, name, **labels) - self.counter(s0, name, **labels),
                             1, name)
        rc, out, err = C.cli(self.sock, "route del rt2 vni 5001 mac %s vtep 198.18.0.4" % mac)
        self.assertEqual((rc, err), (0, ""), out)
        s2 = C.wait_until(lambda: evpn_macs(0), 5, "the MAC gone from the scrape", interval=0.1)
        self.assertEqual(self.counter(s2, "evfwd_vteps"), 1)
        self.assertEqual(self.counter(s2, "evfwd_routes_applied_total", type="rt2", op="del") -
                         self.counter(s0, "evfwd_routes_applied_total", type="rt2", op="del"), 1)

    def endpoint(self):
        return self.cli_json("show metrics")["counters"]

    def test_04_bad_requests(self):
        c0 = self.endpoint()
        base = "http://127.0.0.1:%d" % self.port
        st, _, body, _ = M.curl(base + "/nope")
        self.assertEqual(st, 404)
        self.assertIn("/metrics", body)
        st, hdr, _, _ = M.curl(base + "/metrics", "-X", "POST", "-d", "x=1")
        self.assertEqual(st, 405)
        self.assertEqual(hdr.get("allow"), "GET, HEAD")
        st, hdr, body, _ = M.curl(base + "/metrics", "-I", "-o", "/dev/null")
        self.assertEqual((st, body), (200, ""))
        self.assertEqual(hdr.get("content-type"), M.PROM_TYPE)
        # garbage: libmicrohttpd answers 400 and closes; no request reached us
        g = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        g.sendall(b"\x00\xff\xfe garbage \x01\x02\r\n\r\n")
        data = b""
        while True:
            chunk = g.recv(4096)
            if not chunk:
                break
            data += chunk
        g.close()
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 400"), data[:200])
        c1 = C.wait_until(lambda: (lambda c: c if c["no_request"] > c0["no_request"] else None)(
            self.endpoint()), 5, "the garbage connection counted")
        self.assertEqual(c1["not_found"] - c0["not_found"], 1)
        self.assertEqual(c1["bad_method"] - c0["bad_method"], 1)
        self.assertEqual(c1["scrapes"] - c0["scrapes"], 1, "HEAD builds the scrape too")
        self.assertEqual(c1["errors"], 0)

    def test_05_idle_clients_cannot_starve_scrapers(self):
        c0 = self.endpoint()
        tx0 = C.uplink_tx(self.live.client())
        idle = [socket.create_connection(("127.0.0.1", self.port), timeout=5) for _ in range(3)]
        scrape = None
        try:
            C.wait_until(lambda: self.cli_json("show metrics")["open_connections"] == 3, 5,
                         "three connections open")
            t0 = time.monotonic()
            st, _, body, _ = M.curl("http://127.0.0.1:%d/metrics" % self.port, timeout=5)
            self.assertEqual(st, 0, "a fourth client is refused while the three are young")
            # keep them alive past request-timeout (2 s) with a byte now and then
            for i in range(9):
                for c in idle:
                    c.sendall(b"GET /metrics HTTP/1.1\r\n"[i:i + 1])
                time.sleep(0.3)
            self.assertGreater(time.monotonic() - t0, 2.2)
            scrape, _ = self.sc.scrape()
        finally:
            for c in idle:
                c.close()
        c1 = self.endpoint()
        self.assertGreaterEqual(c1["refused"] - c0["refused"], 1)
        self.assertGreaterEqual(c1["cut"] - c0["cut"], 1, "an idle client cut to make room")
        self.assertEqual(self.counter(scrape, "evfwd_metrics_http_refused_total"), c1["refused"])
        self.assertGreater(C.uplink_tx(self.live.client()), tx0, "forwarding went on")

    def test_06_busy_address(self):
        cfg = ("node: {name: busy, vtep-ipv4: 198.18.0.1, mac: \"02:00:00:00:00:01\"}\n"
               "ports:\n  - name: p\n    device: \"{dev:p}\"\n    role: access\n"
               + M.metrics_yaml(self.port))
        res = self.lab.run(cfg, {}, cmds=["quit"], expect_rc=1, timeout=30)
        self.assertIn("metrics listen 127.0.0.1:%d: Address already in use" % self.port,
                      res.stderr)
        self.assertNotIn("forwarding", res.stdout)

    def test_07_scrape_time(self):
        for _ in range(10):
            self.sc.scrape(openmetrics=True)
        self.assertLess(statistics.median(self.sc.times), 0.5)


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
