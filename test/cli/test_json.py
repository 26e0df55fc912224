#!/usr/bin/python3
"""test_json.py: the JSON form of every show command (suite "cli"; the test
process talks to evfwd through evfwd-cli).

evfwd runs headless with a control socket while host1's frames are forwarded.

- every show command the shell lists ("@commands", the list evfwd-cli
  completes from) has a JSON form: each text form, its free words filled
  in (port host1, MAC-VRF A, event count 5), followed by "json" exits 0 and
  prints one JSON object and nothing else; "help" sums the forms up in one
  line;
- the JSON says what the text says: MAC-VRF names and VNIs, the FDB's MACs,
  every drop reason, the ports and their roles, the workers, the remote
  VTEPs;
- a missing object (MAC-VRF, port, segment, LAG) exits 1 with the text
  form's own message on stderr and prints no JSON;
- the names of show commands refuse the word json: "show mac-vrf json" is the
  list, never an object named json;
- "show events N json" holds at most N events, the newest first as in text.
Segments and LAGs by name: test/metrics/test_metrics_mh.py.
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clilib as C  # noqa: E402

E = C.E
FILL = {("port", "stats"): "host1", ("show", "mac-vrf"): "A", ("fdb", "mac-vrf"): "A"}


def expand(words):
    """Concrete commands of one grammar line ("show es|df routes")."""
    out = [[]]
    for i, w in enumerate(words):
        if w == "<number>":
            alts = ["5"]
        elif w == "<word>":
            prev = tuple(words[max(0, i - 2):i])
            alts = [FILL.get(prev, "missing-object")]
        else:
            alts = w.split("|")
        out = [o + [a] for o in out for a in alts]
    return [" ".join(o) for o in out]


class Json(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("cli-json")
        cls.live = C.Live(cls.lab, node="json1")
        cls.sock = cls.live.sock
        cls.mon = cls.live.client()

    @classmethod
    def tearDownClass(cls):
        cls.mon.close()
        res = cls.live.quit()
        res.assert_drops({})

    def j(self, cmd):
        rc, out, err = C.cli(self.sock, cmd + " json")
        self.assertEqual((rc, err), (0, ""), cmd)
        try:
            doc = json.loads(out)
        except ValueError as e:
            raise AssertionError("%s json: not JSON (%s):\n%s" % (cmd, e, out[:2000]))
        self.assertIsInstance(doc, dict, cmd)
        return doc

    def test_01_every_show_command_has_a_json_form(self):
        lines = self.mon.ok("@commands")
        shows = []
        for l in lines:
            usage = l.split("\t", 1)[0].split()
            if usage[0] == "show" and usage[-1] != "json":
                shows.append(usage)
        self.assertGreaterEqual(len(shows), 15)
        done = 0
        for usage in shows:
            for cmd in expand(usage):
                if "missing-object" in cmd:
                    continue
                self.j(cmd)
                done += 1
        self.assertGreaterEqual(done, 20)
        helps = [l for l in self.mon.ok("help") if "json" in l]
        self.assertEqual(len(helps), 1, helps)

    def test_02_json_says_what_the_text_says(self):
        text = E.table_rows(self.mon.ok("show mac-vrf"))
        doc = self.j("show mac-vrf")
        self.assertEqual([(v["name"], v["vni"]) for v in doc["mac_vrfs"]],
                         [(r["MAC-VRF"], int(r["VNI"])) for r in text])
        self.assertEqual(doc["mac_vrfs"][0]["attachments"], ["host1", "host2"])
        fdb_text = "\n".join(self.mon.ok("show fdb"))
        fdb = self.j("show fdb")["entries"]
        self.assertEqual(sorted(e["mac"] for e in fdb),
                         sorted(set(re.findall(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", fdb_text))))
        remote = [e for e in fdb if e["mac"] == C.REMOTE][0]
        self.assertEqual((remote["type"], remote["destination"]["kind"],
                          remote["destination"]["vtep"]), ("static", "vtep", "198.18.0.2"))
        host = [e for e in fdb if e["mac"] == C.HOST][0]
        self.assertEqual((host["type"], host["destination"]),
                         ("learnt", {"kind": "attachment", "attachment": "host1"}))
        drops_text = E.table_rows(self.mon.ok("show drops all"))
        drops = self.j("show drops all")["drops"]
        self.assertEqual([d["reason"] for d in drops], [r["Reason"] for r in drops_text])
        ports = self.j("show port info")["ports"]
        self.assertEqual([(p["name"], p["role"]) for p in ports],
                         [("uplink", "network"), ("host1", "access"), ("host2", "access")])
        st = self.j("show port stats")["ports"]
        self.assertEqual([p["name"] for p in st], ["uplink", "host1", "host2"])
        self.assertGreater(st[0]["tx_packets"], 0)
        one = self.j("show port stats host1")["ports"]
        self.assertEqual([p["name"] for p in one], ["host1"])
        self.assertGreaterEqual(one[0]["rx_packets"], st[1]["rx_packets"])
        w = self.j("show workers")["workers"]
        self.assertEqual(len(w), 1)
        self.assertGreater(w[0]["counters"]["packets"], 0)
        self.assertEqual(self.j("show vteps")["vteps"][0]["address"], "198.18.0.2")
        self.assertEqual(self.j("show ring"), {"configured": False})
        sock = self.j("show control-socket")
        self.assertEqual((sock["enabled"], sock["path"]), (True, self.sock))
        self.assertGreaterEqual(sock["counters"]["commands"], 1)
        self.assertEqual(self.j("show metrics"), {"enabled": False})

    def test_03_missing_objects(self):
        for cmd, msg in (("show mac-vrf nope", "No MAC-VRF named 'nope'."),
                         ("show fdb mac-vrf nope", "No MAC-VRF named 'nope'."),
                         ("show port stats nope", "No port named 'nope' (see show port info)."),
                         ("show es nope", "No ethernet segment named 'nope'."),
                         ("show lag nope", "No LAG named 'nope'."),
                         ("show lacp nope", "No LAG named 'nope'.")):
            text = C.cli(self.sock, cmd)
            self.assertEqual(text[0], 1, cmd)
            self.assertEqual(C.cli(self.sock, cmd + " json"), (1, "", text[2]), cmd)
            self.assertIn(msg, text[2])

    def test_04_json_is_not_a_name(self):
        self.assertEqual(self.j("show mac-vrf"), self.j("show mac-vrf A"))
        rc, out, _ = C.cli(self.sock, "show mac-vrf json")
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["mac_vrfs"][0]["name"], "A")
        rc, out, err = C.cli(self.sock, "show mac-vrf json json")
        self.assertEqual((rc, out), (1, ""), err)

    def test_05_events_count(self):
        ev = self.j("show events 5")
        self.assertLessEqual(len(ev["events"]), 5)
        self.assertGreaterEqual(ev["emitted"], 1)
        self.assertEqual(ev["events"][0]["type"], "mac-learned")
        self.assertEqual(self.j("show events")["events"][:1], ev["events"][:1])


if __name__ == "__main__":
    E.cleanup_on_sigterm()
    E.main()
