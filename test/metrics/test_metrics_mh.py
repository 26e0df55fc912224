#!/usr/bin/python3
"""test_metrics_mh.py: segment, DF, LAG and LACP families of the metrics
endpoint (suites "metrics" and "cli"; the test process scrapes with curl).

evfwd (commands through its FIFO command file) has a local all-active
segment ES-1 on ce1 (df-timer 0) and an LACP LAG lag1 (fast) of two members
with no partner, both attached to MAC-VRF A. Checked, in both formats:

- ES-1 is described (segment, ESI, local, all-active), up, no remote PE,
  and this node is DF for <ES-1, A>;
- a peer's RT4 and RT1 per-ES (198.18.0.2, modulo: EVI 5001 picks it) make
  the scrape show one remote PE and this node non-DF, as "show df json"
  says; withdrawn, this node is DF again;
- lag1 is down with two members, none selected, LACPDUs sent on each member
  grow between scrapes, none received; actor/partner state bytes are those
  "show lacp lag1 json" reports; "show lag lag1 json" and "show es ES-1
  json" name their object.
"""
import json
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metricslib as M  # noqa: E402

C, E, P = M.C, M.E, M.P
ESI = "01:11:11:11:11:11:11:00:00:01"

CONFIG = """
node:
  name: met2
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
ports:
  - {name: uplink, device: "net_null0,no-rx=1", role: network, next-hop-mac: "02:00:00:00:00:fe"}
  - {name: ce1, device: "net_null1,no-rx=1", role: access}
  - {name: m1, device: "net_null2,no-rx=1", role: access}
  - {name: m2, device: "net_null3,no-rx=1", role: access}
lags:
  - {name: lag1, members: [m1, m2], mode: lacp, lacp: {interval: fast}}
ethernet-segments:
  - {name: ES-1, esi: "%s", interface: ce1, mode: all-active, df-timer: 0}
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: ce1, vlan: untagged}, {port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
""" % ESI


class MetricsMH(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("metrics-mh")
        cls.port = M.free_port()
        cls.evf = E.LiveRun(cls.lab, CONFIG + M.metrics_yaml(cls.port), max_runtime=90)
        cls.sc = M.Scraper(cls.port)

    @classmethod
    def tearDownClass(cls):
        res = cls.evf.quit()
        res.assert_no_mbuf_leak()

    def json(self, cmd):
        out = self.evf.cmd(cmd + " json")
        return json.loads("\n".join(out))

    def wait_scrape(self, pred, what, om=False):
        def once():
            s, _ = self.sc.scrape(openmetrics=om)
            return s if pred(s) else None
        return C.wait_until(once, 5, what, interval=0.1)

    def test_01_segment_and_df(self):
        # the segment comes up with ce1's link, then the election (df-timer 0) runs
        s = self.wait_scrape(lambda s: P.value(s, "evfwd_es_df", segment="ES-1",
                                               mac_vrf="A") == 1, "DF at start")
        P.value(s, "evfwd_es_info", segment="ES-1", esi=ESI, type="local", mode="all-active")
        self.assertEqual(P.value(s, "evfwd_es_up", segment="ES-1"), 1)
        self.assertEqual(P.value(s, "evfwd_es_pes", segment="ES-1"), 0)
        for r in ("route add rt4 esi %s vtep 198.18.0.2" % ESI,
                  "route add rt1 esi %s vtep 198.18.0.2" % ESI):
            self.assertIn("applied", "\n".join(self.evf.cmd(r)))
        s = self.wait_scrape(lambda s: P.value(s, "evfwd_es_df", segment="ES-1",
                                               mac_vrf="A") == 0, "non-DF in the scrape", om=True)
        self.assertEqual(P.value(s, "evfwd_es_pes", segment="ES-1"), 1)
        es = self.json("show es ES-1")["segments"]
        self.assertEqual([(e["name"], e["esi"]) for e in es], [("ES-1", ESI)])
        df = self.json("show df")["df"]
        self.assertEqual([(d["segment"], d["mac_vrf"], d["df"]) for d in df],
                         [("ES-1", "A", "198.18.0.2")])
        self.evf.cmd("route del rt4 esi %s vtep 198.18.0.2" % ESI)
        self.evf.cmd("route del rt1 esi %s vtep 198.18.0.2" % ESI)
        s = self.wait_scrape(lambda s: P.value(s, "evfwd_es_df", segment="ES-1",
                                               mac_vrf="A") == 1, "DF again in the scrape")
        self.assertEqual(P.value(s, "evfwd_es_pes", segment="ES-1"), 0)

    def test_02_lag_and_lacp(self):
        s1, _ = self.sc.scrape(openmetrics=True)
        time.sleep(1.5)
        s2, _ = self.sc.scrape()
        lacp = self.json("show lacp lag1")
        self.assertEqual(P.value(s2, "evfwd_lag_up", lag="lag1"), 0)
        self.assertEqual(P.value(s2, "evfwd_lag_members", lag="lag1"), 2)
        self.assertEqual(P.value(s2, "evfwd_lag_members_distributing", lag="lag1"), 0)
        for m in ("m1", "m2"):
            self.assertEqual(P.value(s2, "evfwd_lacp_member_selected", lag="lag1", port=m), 0)
            self.assertGreater(P.value(s2, "evfwd_lacp_pdus_sent_total", lag="lag1", port=m),
                               P.value(s1, "evfwd_lacp_pdus_sent_total", lag="lag1", port=m), m)
            self.assertEqual(P.value(s2, "evfwd_lacp_pdus_received_total", lag="lag1", port=m), 0)
        self.assertEqual([l["name"] for l in lacp["lags"]], ["lag1"])
        self.assertEqual([l["name"] for l in self.json("show lag lag1")["lags"]], ["lag1"])
        members = {m["port"]: m for lag in lacp["lags"] for m in lag["members"]}
        self.assertEqual(sorted(members), ["m1", "m2"])
        for name, m in members.items():
            self.assertEqual(P.value(s2, "evfwd_lacp_actor_state", lag="lag1", port=name),
                             m["actor_state"], name)
            self.assertEqual(P.value(s2, "evfwd_lacp_partner_state", lag="lag1", port=name),
                             m["partner_state"], name)


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
