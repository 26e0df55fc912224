#!/usr/bin/python3
"""test_gobgp_adapter.py: scripts/gobgp_adapter.py's mapping, offline (suite "ring").

No gobgpd and no evfwd: the adapter module is imported and fed
- the GoBGP 3.10 JSON recorded in test/ring/gobgp_samples/ by
  test/ring/record_gobgp_samples.py (every route type, adds and withdrawals,
  an upsert, MAC mobility sequence 7, the RIB snapshot and 40 monitor
  lines): each must give exactly the route lines written here by hand from
  the JSON;
- hand-written paths for what the gobgp CLI cannot make gobgpd emit: an RT1
  per-ES with the single-active flag, and the gRPC form of an ESI;
- ESI display strings of every ESI type GoBGP prints, produced by a Python
  copy of GoBGP's EthernetSegmentIdentifier.String() (pkg/packet/bgp/bgp.go)
  from random ESIs, plus the strings gobgp 3.10 printed on this machine; each
  must convert back to the same ten bytes, and esi_cli() must give the CLI
  words GoBGP parses back into the same ESI;
- synthetic paths for what the samples lack: BGP keys behind one evfwd route
  (two RDs), a next hop change (withdraw old, add new), withdrawals without
  attributes, DF Election extended communities, skipped paths by reason.
"""
import base64
import importlib.util
import ipaddress
import json
import os
import random
import sys
import unittest

_HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER = os.environ.get("GOBGP_ADAPTER") or os.path.join(_HERE, "..", "..", "scripts",
                                                          "gobgp_adapter.py")
SAMPLES = os.environ.get("GOBGP_SAMPLES") or os.path.join(_HERE, "gobgp_samples")

spec = importlib.util.spec_from_file_location("gobgp_adapter", ADAPTER)
GA = importlib.util.module_from_spec(spec)
spec.loader.exec_module(GA)

ESI_LACP1 = "01:aa:bb:cc:dd:ee:01:00:01:00"
ESI_LACP9 = "01:aa:bb:cc:dd:ee:09:00:01:00"
ESI_ARB = "00:00:11:22:33:44:55:66:77:88"


def lines_of(name=None, text=None):
    if text is None:
        with open(os.path.join(SAMPLES, name)) as fh:
            text = fh.read()
    tr = GA.Translator()
    out = []
    for p in GA.iter_json_paths(text):
        out += tr.path(p)
    return out, tr


# ---- GoBGP's ESI String(), in Python (pkg/packet/bgp/bgp.go, v3) ----
TYPE_NAMES = ["ESI_ARBITRARY", "ESI_LACP", "ESI_MSTP", "ESI_MAC", "ESI_ROUTERID", "ESI_AS"]


def gobgp_esi_string(b, old_as=False):
    t, v = b[0], b[1:]
    hexs = ":".join("%02x" % x for x in v)
    mac = ":".join("%02x" % x for x in v[:6])
    name = TYPE_NAMES[t] if t < len(TYPE_NAMES) else "ESIType(%d)" % t
    if t == 1:
        return "%s | system mac %s, port key %d" % (name, mac, int.from_bytes(v[6:8], "big"))
    if t == 2:
        return "%s | bridge mac %s, priority %d" % (name, mac, int.from_bytes(v[6:8], "big"))
    if t == 3:
        return "%s | system mac %s, local discriminator %d" % (name, mac, int.from_bytes(v[6:9], "big"))
    if t == 4:
        return "%s | router id %s, local discriminator %d" % (name, ipaddress.IPv4Address(v[:4]),
                                                               int.from_bytes(v[4:8], "big"))
    if t == 5:
        if old_as:
            return "%s | as %d:%d, local discriminator %d" % (
                name, int.from_bytes(v[:2], "big"), int.from_bytes(v[2:4], "big"),
                int.from_bytes(v[4:8], "big"))
        return "%s | as %d, local discriminator %d" % (name, int.from_bytes(v[:4], "big"),
                                                       int.from_bytes(v[4:8], "big"))
    if t == 0 and not any(v):
        return "single-homed"
    return "%s | %s" % (name, hexs)


def gobgp_cli_esi(words):
    """GoBGP's ParseEthernetSegmentIdentifier (CLI words -> ten bytes), in Python."""
    if not words or words[0] == "single-homed":
        return bytes(10)
    names = {"ARBITRARY": 0, "LACP": 1, "MSTP": 2, "MAC": 3, "ROUTERID": 4, "AS": 5}
    t = names.get(words[0].upper().replace("ESI_", ""))
    if t is None:
        t = int(words[0])
    v = bytearray(9)
    if t in (1, 2):
        v[0:6] = bytes(int(x, 16) for x in words[1].split(":"))
        v[6:8] = int(words[2]).to_bytes(2, "big")
    elif t == 3:
        v[0:6] = bytes(int(x, 16) for x in words[1].split(":"))
        v[6:9] = int(words[2]).to_bytes(4, "big")[1:]
    elif t == 4:
        v[0:4] = ipaddress.IPv4Address(words[1]).packed
        v[4:8] = int(words[2]).to_bytes(4, "big")
    elif t == 5:
        v[0:4] = int(words[1]).to_bytes(4, "big")
        v[4:8] = int(words[2]).to_bytes(4, "big")
    elif len(words) > 1:
        vals = bytes(int(x, 16) for x in words[1].split(":"))
        v[:len(vals)] = vals
    return bytes([t]) + bytes(v)


def path(t, value, nexthop="198.18.0.2", ext=(), pmsi=None, withdrawal=False, neighbor="127.0.0.1"):
    attrs = [{"type": 1, "value": 2}, {"type": 16, "value": list(ext)}]
    if pmsi is not None:
        attrs.append({"type": 22, "tunnel-type": 6, "label": pmsi, "tunnel-id": nexthop})
    if nexthop is not None:
        attrs.append({"type": 14, "nexthop": nexthop, "afi": 25, "safi": 70})
    p = {"nlri": {"type": t, "value": value}, "attrs": attrs, "best": False}
    if neighbor:
        p["neighbor-ip"] = neighbor
        p["source-id"] = "10.0.0.1"
    if withdrawal:
        p["withdrawal"] = True
    return p


RD = {"type": 1, "admin": "10.0.0.1", "assigned": 100}

# Hand-written: an RT1 per-ES of segment LACP aa:bb:cc:dd:ee:09 key 1 with the
# single-active flag, as `gobgp monitor global rib -a evpn -j` of GoBGP 3.10
# prints a path received from a peer (the shape of the recorded
# type1_per_es_add.json; the flag is the is_single_active field of the ESI
# label extended community {type 6, subtype 1}). Not recorded because the
# gobgp CLI cannot set the flag: its a-d parser takes exactly one argument
# after "esi-label" (`esi-label 0 single-active` is refused, a lone
# `single-active` word is dropped); only the gRPC API (ESILabelExtended
# is_single_active) sets it.
_RT1_SA_NLRI = {"type": 1, "value": {
    "rd": {"type": 1, "admin": "10.0.0.1", "assigned": 0},
    "esi": "ESI_LACP | system mac aa:bb:cc:dd:ee:09, port key 1",
    "etag": 4294967295, "label": 0}}
RT1_SINGLE_ACTIVE = {
    "nlri": _RT1_SA_NLRI, "age": 1795360520, "best": False,
    "attrs": [{"type": 1, "value": 0}, {"type": 2, "as_paths": []}, {"type": 5, "value": 100},
              {"type": 16, "value": [{"type": 0, "subtype": 2, "value": "65000:100"},
                                     {"type": 3, "subtype": 12, "tunnel_type": 8},
                                     {"type": 6, "subtype": 1, "label": 0,
                                      "is_single_active": True}]},
              {"type": 14, "nexthop": "127.0.0.1", "afi": 25, "safi": 70,
               "value": [_RT1_SA_NLRI]}],
    "stale": False, "source-id": "10.0.0.1", "neighbor-ip": "127.65.0.1"}


def rt2_value(mac="02:00:00:00:00:01", ip="<nil>", esi="single-homed", label=100, rd=RD):
    return {"rd": rd, "esi": esi, "etag": 0, "mac": mac, "ip": ip, "labels": [label]}


class Samples(unittest.TestCase):
    """The recorded GoBGP 3.10 output (gobgp_samples/), route line by route line."""

    def test_every_sample(self):
        expect = {
            "type1_per_es_add.json": ["rt1 add esi %s vtep 127.0.0.1" % ESI_LACP1],
            "type1_per_evi_add.json": ["rt1 add esi %s vni 10100 vtep 127.0.0.1" % ESI_LACP1],
            "type2_macip_add.json": [
                "rt2 add vni 10100 mac 02:00:00:00:00:02 vtep 127.0.0.1 esi %s ip 192.168.10.2"
                % ESI_LACP1],
            "type2_maconly_add.json": ["rt2 add vni 10100 mac 02:00:00:00:00:01 vtep 127.0.0.1"],
            "type2_ipv6_rdtype0_add.json": [
                "rt2 add vni 10100 mac 02:00:00:00:00:04 vtep 127.0.0.1 esi %s ip 2001:db8::4"
                % ESI_ARB],
            "type2_macmobility_seq7_add.json": [
                "rt2 add vni 10100 mac 02:00:00:00:00:07 vtep 127.0.0.1 esi %s ip 192.168.10.7 seq 7"
                % ESI_LACP9],
            "type2_twolabels_defgw_add.json": [
                "rt2 add vni 10100 mac 02:00:00:00:00:03 vtep 127.0.0.1 ip 192.168.10.3"],
            "type3_imet_add.json": ["rt3 add vni 10100 vtep 127.0.0.1"],
            "type4_es_add.json": ["rt4 add esi %s vtep 127.0.0.1" % ESI_LACP1],
            "type5_prefix_add.json": [],
            # a withdrawal alone: nothing was sent for it, nothing to undo
            "type1_per_es_withdraw.json": [],
            "type2_macip_withdraw.json": [],
            "type3_imet_withdraw.json": [],
            "type4_es_withdraw.json": [],
        }
        for name, want in sorted(expect.items()):
            got, tr = lines_of(name)
            self.assertEqual(got, want, name)
        _, tr = lines_of("type5_prefix_add.json")
        self.assertEqual(tr.skipped, {"type5": 1})

    def test_single_active_fixture(self):
        got, tr = lines_of(text=json.dumps(RT1_SINGLE_ACTIVE))
        self.assertEqual(got, ["rt1 add esi %s vtep 127.0.0.1 single-active" % ESI_LACP9])
        # the same path in a monitor line (an array), then withdrawn without the flag
        tr = GA.Translator()
        w = json.loads(json.dumps(RT1_SINGLE_ACTIVE))
        w["withdrawal"] = True
        w["attrs"][3]["value"][2]["is_single_active"] = False
        out = []
        for p in GA.iter_json_paths(json.dumps([RT1_SINGLE_ACTIVE]) + "\n" + json.dumps([w])):
            out += tr.path(p)
        self.assertEqual(out, ["rt1 add esi %s vtep 127.0.0.1 single-active" % ESI_LACP9,
                               "rt1 del esi %s vtep 127.0.0.1 single-active" % ESI_LACP9])

    def test_add_then_withdraw_samples(self):
        for add, wd in [("type1_per_es_add.json", "type1_per_es_withdraw.json"),
                        ("type1_per_evi_add.json", "type1_per_evi_withdraw.json"),
                        ("type2_macip_add.json", "type2_macip_withdraw.json"),
                        ("type3_imet_add.json", "type3_imet_withdraw.json"),
                        ("type4_es_add.json", "type4_es_withdraw.json")]:
            tr = GA.Translator()
            texts = []
            for name in (add, wd):
                with open(os.path.join(SAMPLES, name)) as fh:
                    for p in GA.iter_json_paths(fh.read()):
                        texts += tr.path(p)
            self.assertEqual(len(texts), 2, add)
            self.assertEqual(texts[1], texts[0].replace(" add ", " del ", 1), add)
            self.assertEqual(tr.refs, {}, add)

    def test_snapshot(self):
        got, tr = lines_of("rib_b_snapshot.json")
        self.assertEqual(sorted(got), sorted([
            "rt1 add esi 01:aa:bb:cc:dd:ee:02:00:01:00 vtep 127.0.0.1",
            "rt1 add esi %s vni 10100 vtep 127.0.0.1" % ESI_ARB,
            "rt2 add vni 10100 mac 02:00:00:00:00:01 vtep 127.0.0.1",
            "rt2 add vni 10100 mac 02:00:00:00:00:03 vtep 127.0.0.1 ip 192.168.10.3",
            "rt2 add vni 10100 mac 02:00:00:00:00:04 vtep 127.0.0.1 esi %s ip 2001:db8::4" % ESI_ARB,
        ]))
        self.assertEqual(tr.skipped, {"type5": 1})

    def test_monitor_stream(self):
        got, tr = lines_of("monitor_b_first40.jsonl")
        # line by line from the JSON (record_gobgp_samples.py's SCRIPT, then MAC/IP
        # routes 02:01:00:00:00:NN 10.0.0.NN); the RT5 of line 10 gives nothing
        want = [
            "rt1 add esi %s vni 10100 vtep 127.0.0.1" % ESI_ARB,
            "rt1 add esi %s vtep 127.0.0.1" % ESI_LACP1,
            "rt1 add esi 01:aa:bb:cc:dd:ee:02:00:01:00 vtep 127.0.0.1",
            "rt1 add esi %s vni 10100 vtep 127.0.0.1" % ESI_LACP1,
            "rt2 add vni 10100 mac 02:00:00:00:00:01 vtep 127.0.0.1",
            "rt2 add vni 10100 mac 02:00:00:00:00:02 vtep 127.0.0.1 esi %s ip 192.168.10.2"
            % ESI_LACP1,
            "rt3 add vni 10100 vtep 127.0.0.1",
            "rt4 add esi %s vtep 127.0.0.1" % ESI_LACP1,
            # the same RT4 again with one more extended community (an upsert)
            "rt4 add esi %s vtep 127.0.0.1" % ESI_LACP1,
            "rt2 add vni 10100 mac 02:00:00:00:00:03 vtep 127.0.0.1 ip 192.168.10.3",
            "rt2 add vni 10100 mac 02:00:00:00:00:04 vtep 127.0.0.1 esi %s ip 2001:db8::4"
            % ESI_ARB,
            "rt1 del esi %s vtep 127.0.0.1" % ESI_LACP1,
            "rt1 del esi %s vni 10100 vtep 127.0.0.1" % ESI_LACP1,
            "rt2 del vni 10100 mac 02:00:00:00:00:02 vtep 127.0.0.1 esi %s ip 192.168.10.2"
            % ESI_LACP1,
            "rt3 del vni 10100 vtep 127.0.0.1",
            "rt4 del esi %s vtep 127.0.0.1" % ESI_LACP1,
            "rt2 add vni 10100 mac 02:00:00:00:00:07 vtep 127.0.0.1 esi %s ip 192.168.10.7 seq 7"
            % ESI_LACP9,
        ] + ["rt2 add vni 10100 mac 02:01:00:00:00:%02x vtep 127.0.0.1 ip 10.0.0.%d" % (n, n)
             for n in range(22)]
        self.assertEqual(got, want)
        self.assertEqual(tr.skipped, {"type5": 1})
        # every withdrawal in the stream undoes exactly an add sent before it
        sent = {}
        for ln in got:
            w = ln.split()
            ident = " ".join(w[:1] + w[2:])
            if w[1] == "add":
                sent[ident] = sent.get(ident, 0) + 1
            else:
                self.assertIn(ident, sent, ln)
                del sent[ident]
        self.assertIn("rt2 del vni 10100 mac 02:00:00:00:00:02 vtep 127.0.0.1 esi %s ip 192.168.10.2"
                      % ESI_LACP1, got)
        self.assertIn("rt2 add vni 10100 mac 02:00:00:00:00:07 vtep 127.0.0.1 esi %s "
                      "ip 192.168.10.7 seq 7" % ESI_LACP9, got)
        self.assertEqual(sum(tr.skipped.values()), tr.skipped.get("type5", 0))
        self.assertEqual(len(tr.refs), len(sent))


class Esi(unittest.TestCase):
    def test_seen_on_gobgp_3_10(self):
        seen = {
            "single-homed": "00:00:00:00:00:00:00:00:00:00",
            "ESI_LACP | system mac aa:bb:cc:dd:ee:01, port key 1": ESI_LACP1,
            "ESI_ARBITRARY | 00:11:22:33:44:55:66:77:88": ESI_ARB,
            "ESI_MSTP | bridge mac aa:bb:cc:dd:ee:02, priority 7": "02:aa:bb:cc:dd:ee:02:00:07:00",
            "ESI_MAC | system mac aa:bb:cc:dd:ee:03, local discriminator 70000":
                "03:aa:bb:cc:dd:ee:03:01:11:70",
            "ESI_ROUTERID | router id 10.1.2.3, local discriminator 99":
                "04:0a:01:02:03:00:00:00:63:00",
            "ESI_AS | as 4200000000, local discriminator 5": "05:fa:56:ea:00:00:00:00:05:00",
            "ESIType(9) | 01:02:03:04:05:06:07:08:09": "09:01:02:03:04:05:06:07:08:09",
            # older GoBGP printed the AS as two 16-bit halves
            "ESI_AS | as 1:2, local discriminator 3": "05:00:01:00:02:00:00:00:03:00",
        }
        for s, want in seen.items():
            self.assertEqual(GA.esi_text(GA.esi_bytes(s)), want, s)

    def test_every_type_round_trip(self):
        rnd = random.Random(7)
        n = 0
        for t in list(range(0, 12)) + [127, 255]:
            for _ in range(200):
                v = bytearray(rnd.getrandbits(8) for _ in range(9))
                if t in (1, 2, 4, 5):
                    v[8] = 0       # GoBGP rejects these types otherwise (last octet 0)
                if rnd.random() < 0.05:
                    v = bytearray(9)
                b = bytes([t]) + bytes(v)
                s = gobgp_esi_string(b)
                self.assertEqual(GA.esi_bytes(s), b, s)
                if t == 5:
                    self.assertEqual(GA.esi_bytes(gobgp_esi_string(b, old_as=True)), b)
                # the CLI words of the reverse direction give the same ESI back
                if any(b) or t == 0:
                    self.assertEqual(gobgp_cli_esi(GA.esi_cli(b)), b, GA.esi_cli(b))
                n += 1
        self.assertGreater(n, 2000)

    def test_grpc_form(self):
        # Hand-written: GoBGP's gRPC API (WatchEvent/ListPath, protobuf JSON) gives the ESI
        # of a path as {"type": N, "value": base64 of the nine value bytes}; this one is
        # LACP aa:bb:cc:dd:ee:09 port key 1. The gobgp CLI's -j output always prints the
        # display string instead, so there is no CLI command that records this form.
        self.assertEqual(GA.esi_text(GA.esi_bytes({"type": 1, "value": "qrvM3e4JAAEA"})), ESI_LACP9)
        self.assertEqual(GA.esi_bytes({"type": 0, "value": base64.b64encode(bytes(9)).decode()}),
                         bytes(10))

    def test_rejected(self):
        for s in ["ESI_ARBITRARY | value \x01\x02", "ESI_LACP | system mac zz, port key 1",
                  "ESIType(300) | 01", "ESI_ARBITRARY | 01:02:03:04:05:06:07:08:09:0a", 42,
                  "ESI_MAC | system mac aa:bb:cc:dd:ee:03"]:
            with self.assertRaises(ValueError, msg=repr(s)):
                GA.esi_bytes(s)
        tr = GA.Translator()
        self.assertEqual(tr.path(path(2, rt2_value(esi="ESI_WHAT | 1"))), [])
        self.assertEqual(tr.skipped, {"bad-esi": 1})


class Translation(unittest.TestCase):
    def test_two_rds_one_route(self):
        tr = GA.Translator()
        rd2 = {"type": 1, "admin": "10.0.0.9", "assigned": 100}
        a = tr.path(path(3, {"rd": RD, "etag": 0, "ip": "198.18.0.2"}, pmsi=100))
        b = tr.path(path(3, {"rd": rd2, "etag": 0, "ip": "198.18.0.2"}, pmsi=100))
        self.assertEqual(a, ["rt3 add vni 100 vtep 198.18.0.2"])
        self.assertEqual(b, ["rt3 add vni 100 vtep 198.18.0.2"])
        self.assertEqual(tr.path(path(3, {"rd": RD, "etag": 0, "ip": "198.18.0.2"}, pmsi=100,
                                      withdrawal=True)), [])
        self.assertEqual(tr.path(path(3, {"rd": rd2, "etag": 0, "ip": "198.18.0.2"}, pmsi=100,
                                      withdrawal=True)), ["rt3 del vni 100 vtep 198.18.0.2"])

    def test_nexthop_change(self):
        tr = GA.Translator()
        tr.path(path(2, rt2_value(), nexthop="198.18.0.2"))
        got = tr.path(path(2, rt2_value(), nexthop="198.18.0.3"))
        self.assertEqual(got, ["rt2 del vni 100 mac 02:00:00:00:00:01 vtep 198.18.0.2",
                               "rt2 add vni 100 mac 02:00:00:00:00:01 vtep 198.18.0.3"])
        # same route again: an upsert, no withdrawal
        self.assertEqual(tr.path(path(2, rt2_value(), nexthop="198.18.0.3")),
                         ["rt2 add vni 100 mac 02:00:00:00:00:01 vtep 198.18.0.3"])

    def test_withdrawal_without_attributes(self):
        tr = GA.Translator()
        tr.path(path(2, rt2_value(ip="198.19.0.1", label=200), ext=[
            {"type": 6, "subtype": 0, "sequence": 3, "is_sticky": True}]))
        w = path(2, rt2_value(ip="198.19.0.1", label=200), nexthop=None, withdrawal=True)
        self.assertEqual(tr.path(w), [
            "rt2 del vni 200 mac 02:00:00:00:00:01 vtep 198.18.0.2 ip 198.19.0.1 seq 3 sticky"])

    def test_rt1_rt3_rt4_forms(self):
        tr = GA.Translator()
        esi = "ESI_LACP | system mac aa:bb:cc:dd:ee:01, port key 1"
        self.assertEqual(tr.path(path(1, {"rd": RD, "esi": esi, "etag": 4294967295, "label": 0},
                                      ext=[{"type": 6, "subtype": 1, "label": 0,
                                            "is_single_active": True}])),
                         ["rt1 add esi %s vtep 198.18.0.2 single-active" % ESI_LACP1])
        self.assertEqual(tr.path(path(1, {"rd": RD, "esi": esi, "etag": 0, "label": 300})),
                         ["rt1 add esi %s vni 300 vtep 198.18.0.2" % ESI_LACP1])
        self.assertEqual(tr.path(path(3, {"rd": RD, "etag": 0, "ip": "2001:2::7"},
                                      nexthop="2001:2::7", pmsi=16777215)),
                         ["rt3 add vni 16777215 vtep 2001:2::7"])
        # no PMSI: a VLAN-aware etag is the VNI; none at all: skipped
        self.assertEqual(tr.path(path(3, {"rd": RD, "etag": 55, "ip": "198.18.0.8"})),
                         ["rt3 add vni 55 vtep 198.18.0.8"])
        self.assertEqual(tr.path(path(3, {"rd": RD, "etag": 0, "ip": "198.18.0.9"})), [])
        self.assertEqual(tr.path(path(4, {"rd": RD, "esi": esi, "ip": "198.18.0.4"},
                                      nexthop="198.18.0.99")),
                         ["rt4 add esi %s vtep 198.18.0.4" % ESI_LACP1])

    def test_df_election(self):
        tr = GA.Translator()
        esi = "ESI_LACP | system mac aa:bb:cc:dd:ee:01, port key 1"
        v = {"rd": RD, "esi": esi, "ip": "198.18.0.4"}
        got = tr.path(path(4, v, ext=[{"type": 6, "subtype": 6, "algorithm": 2, "preference": 500,
                                       "dont_preempt": True}]))
        self.assertEqual(got, ["rt4 add esi %s vtep 198.18.0.4 df-alg preference pref 500 "
                               "dont-preempt" % ESI_LACP1])
        got = tr.path(path(4, v, ext=[{"type": 6, "subtype": 6, "algorithm": 1}]))
        self.assertEqual(got, ["rt4 add esi %s vtep 198.18.0.4 df-alg hrw" % ESI_LACP1])
        # RFC 8584 2.2 raw value: type 2, bitmap DP bit (0x2000 here), reserved, preference 7
        got = tr.path(path(4, v, ext=[{"type": 6, "subtype": 6, "value": "02:20:00:00:00:07"}]))
        self.assertEqual(got, ["rt4 add esi %s vtep 198.18.0.4 df-alg preference pref 7 "
                               "dont-preempt" % ESI_LACP1])
        # a DF type evfwd does not run: passed on by number (evfwd falls back
        # to modulo); a value that is no DF type at all is skipped
        got = tr.path(path(4, v, ext=[{"type": 6, "subtype": 6, "algorithm": 9}]))
        self.assertEqual(got, ["rt4 add esi %s vtep 198.18.0.4 df-alg 9" % ESI_LACP1])
        self.assertEqual(tr.path(path(4, v, ext=[{"type": 6, "subtype": 6,
                                                  "algorithm": "best"}])), [])
        self.assertEqual(tr.skipped, {"bad-df-election": 1})

    def test_skips(self):
        tr = GA.Translator()
        self.assertEqual(tr.path(path(2, rt2_value(), neighbor=None)), [])          # local
        self.assertEqual(tr.path(path(5, {"rd": RD, "prefix": "10.0.0.0/24"})), [])
        self.assertEqual(tr.path(path(7, {"rd": RD})), [])
        self.assertEqual(tr.path(path(2, rt2_value(label=0))), [])
        self.assertEqual(tr.path(path(2, rt2_value(), nexthop=None)), [])
        self.assertEqual(tr.path(path(1, {"rd": RD, "esi": "single-homed", "etag": 0, "label": 5})), [])
        self.assertEqual(tr.path(path(4, {"rd": RD, "esi": "single-homed", "ip": "198.18.0.4"})), [])
        self.assertEqual(tr.skipped, {"local": 1, "type5": 1, "unknown-type": 1, "no-vni": 1,
                                      "no-vtep": 1, "rt1-zero-esi": 1, "rt4-zero-esi": 1})
        self.assertEqual(tr.adds, 0)

    def test_translate_cli(self):
        """--translate prints the same lines (what a person would run)."""
        import subprocess
        p = subprocess.run([sys.executable, ADAPTER, "--translate",
                            os.path.join(SAMPLES, "type2_macmobility_seq7_add.json")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines(), [
            "rt2 add vni 10100 mac 02:00:00:00:00:07 vtep 127.0.0.1 esi %s ip 192.168.10.7 seq 7"
            % ESI_LACP9])


if __name__ == "__main__":
    if not os.path.isdir(SAMPLES):
        sys.stderr.write("FAIL: GoBGP samples not found at %s (set GOBGP_SAMPLES)\n" % SAMPLES)
        sys.exit(1)
    unittest.main(verbosity=2)
