#!/usr/bin/python3
"""test_lag.py: the LAG data path on net_pcap members (doc/lag.md).

Every run has a network port "uplink" (remote VTEP 198.18.0.2) and LAG
members m1, m2 (and m3, m4 in the static run). Frames from the network are
VXLAN from the remote VTEP; member output pcaps are compared byte for byte.

 1. static: lag1 (m1+m2, tx-hash l34) and lag2 (m3+m4, tx-hash l2, VLAN 30).
    900 frames of 450 seeded-random 5-tuples to a static MAC on lag1: each
    inner frame leaves exactly once over m1+m2, byte-identical; each member
    carries 40-60%; each flow stays on one member. 200 frames of one MAC pair
    and many 5-tuples to lag2 all leave on one member, tagged 30. `show lag`:
    up, 128/128 buckets, both members collecting and distributing; `show
    port stats all` and the final counters match the pcaps; no drops.
 2. learning (static lag1 + access port h1): a broadcast and an unknown
    unicast entering m2 from a new MAC are flooded to h1 and the VTEP (never
    back to the LAG), the MAC is learned on "lag1"; 64 flows from the network
    to it then leave over m1+m2 once each and never reach h1.
 3. management member m1 (BMC MAC), three runs:
    a. static: 200 flows to the BMC all leave on m1, 200 flows to a host MAC
       use both members, broadcasts leave once on m1 only, unknown unicast
       leaves once;
    b. mode lacp, no partner: frames from the BMC entering m1 are forwarded
       (VXLAN to the VTEP, inner byte-identical); every other frame entering
       m1 or m2 (other MACs, the BMC on m2) is dropped lag-not-collecting;
       the network's frames to the BMC leave on m1, to the host are dropped
       lag-down, broadcasts leave once on m1;
    c. mode lacp with a partner on m2 only (one crafted LACPDU through a FIFO,
       long timeout): m2 distributes, m1 does not; BMC frames leave on m1,
       host frames on m2, each broadcast once on m1 and once on m2 (doc: "they
       also leave on a hashed distributing member"); each unknown unicast
       leaves exactly once on m2 (the host) and once on m1 (the management
       member) (test_unknown_unicast_once_to_the_host).
 4. slow protocols (static lag1, plain access port h1): a LACPDU on m1 is
    punted (counted in `show lag`, no drop, no output); the same frame on h1
    is dropped slow-protocol; a Marker on m2 gets exactly one Marker Response
    on m2 (every byte checked); an unknown subtype counts Unknown, a LACPDU
    with a broken TLV length counts Illegal.
 5. LACP transmission (mode lacp, fast, system 00:00:00:00:00:11 / 11 / key
    11, port numbers 5 and 6, no partner) for 3.5 s: per member three LACPDUs
    while expired and then one per second once defaulted (the fast interval
    makes the default partner ask for fast PDUs), every byte checked (actor
    Activity, Timeout, Aggregation, Defaulted and Expired as 802.1AX's
    INITIALIZE -> EXPIRED -> DEFAULTED leave them, partner: admin default),
    at least 0.8 s apart; `show lacp` (seed 003's layout and columns, then the
    detail table) first shows "expired" (0xc7), after the 3 s short timeout
    "defaulted" (0x47), OUT_SYNC/True/False/False.
 6. min-links 2 on a static LAG carrying ES-1: `port stop m2` takes the LAG
    down and the segment with it (es-down, non-DF events), `port start m2`
    brings both back (es-up, DF).
 7. management VLAN 100 on m1 (no management MACs), two runs, VLAN 200 for
    comparison (same inner frames, same host MAC in both MAC-VRFs):
    a. static: 200 flows of VLAN 100 all leave on m1, the same 200 flows in
       VLAN 200 are hashed over m1 and m2; broadcasts and unknown unicast of
       both VLANs leave once, on m1 (flooded frames go to the management
       member);
    b. mode lacp, partner on m2 only (m1, the management member, does not
       collect or distribute; every bucket names m2): VLAN 100 unicast still
       all on m1, VLAN 200 all on m2, each flooded frame once on m1 and once
       on m2; on m1 frames tagged 100 enter (VXLAN to the VTEP), frames tagged
       200 and untagged frames are dropped lag-not-collecting.
 8. min-links 2, mode lacp (m2 admin-down at start, partner PDUs through
    FIFOs): with a partner on m1 only the LAG is down, and the LACPDUs m1
    sends after recording the partner say Synchronization, Collecting and
    Distributing 0, `show lacp` OUT_SYNC; `port start m2` with a partner
    PDU there: both members in sync, collecting and distributing, LAG up;
    `port stop m2`: down again, m1 sends out-of-sync LACPDUs again. The PDUs
    of each phase are told apart by the LACPDU-out counter of `show lag`.

Frames that must enter a member after the LAG's control thread has seen the
member up (the learning frame on m2, the partner's LACPDU, the network's
frames in runs 3b/3c) come through a FIFO used as net_pcap's rx_pcap: the
worker blocks reading it until the test writes the frames and closes it, so
nothing depends on timing. (evfwd starts forwarding before its first LAG poll,
and `port start` of a member takes effect in the LAG only at the next 20 ms
link poll: a frame read from a plain pcap file at that moment would be
dropped lag-down / lag-not-collecting.)
"""
import collections
import os
import random
import re
import struct
import threading
import unittest

import sys
sys.dont_write_bytecode = True
import evfpkt as E  # noqa: E402
from evfpkt import bcast_frame, host_frame, tag, vxlan4  # noqa: E402

REMOTE = "198.18.0.2"
SLOW_DST = "01:80:c2:00:00:02"
R1 = "00:c1:ab:00:02:01"        # host behind the remote VTEP
R2 = "00:c1:ab:00:02:02"
HOST1 = "00:c1:ab:00:01:01"     # host behind lag1
HOST2 = "00:c1:ab:00:01:02"     # host behind lag2
BMC = "00:c1:ab:00:0b:01"       # management MAC on m1
NEW = "00:c1:ab:00:03:01"       # learned on lag1 in run 2
UNK = "00:c1:ab:00:07:77"       # never seen anywhere
PARTNER_MAC = "00:c1:ab:00:0f:02"

HEAD = """
node:
  name: lag
  vtep-ipv4: 198.18.0.1
  mac: 02:00:00:00:00:01
"""
UPLINK = """\
  - name: uplink
    device: "{dev:uplink}"
    role: network
    next-hop-mac: 02:00:00:00:00:fe
    mtu: 1600
"""
UPLINK_DOWN = UPLINK.replace("mtu: 1600\n", "mtu: 1600\n    admin-state: disable\n")
WORKERS = """
workers:
  count: 1
  idle-sleep-us: 20
"""


def access(name, extra=""):
    return "  - name: %s\n    device: \"{dev:%s}\"\n    role: access\n%s" % (name, name, extra)


# ------------------------------------------------------------ shell tables --


def show_lag(lines):
    """`show lag` -> {lag: {state, mode, min_links, tx_hash, ndist, nmem, mgmt, members}}."""
    out, cur, i = {}, None, 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"LAG (\S+): (up|down), mode (\S+), min-links (\d+), tx-hash (\S+), "
                     r"(\d+) of (\d+) member\(s\) distributing$", line)
        if m:
            cur = out[m.group(1)] = {
                "state": m.group(2), "mode": m.group(3), "min_links": int(m.group(4)),
                "tx_hash": m.group(5), "ndist": int(m.group(6)), "nmem": int(m.group(7)),
                "mgmt": None, "members": {}}
        elif line.startswith("  Management member:") and cur is not None:
            cur["mgmt"] = line.strip()
        elif line.startswith("Member ") and cur is not None:
            rows, i = E.parse_table(lines, i)
            cur["members"] = {r["Member"]: r for r in rows}
            continue
        i += 1
    if not out:
        raise AssertionError("no LAG in `show lag` output:\n" + "\n".join(lines))
    return out


LACP_COLUMNS = ["Members", "Oper state", "Activity", "Timeout", "State", "System Id", "Oper key",
                "Partner Id", "Partner Key", "Port No", "Partner Port No"]   # seed 003
LACP_DETAIL_COLUMNS = ["Member", "Actor state", "Partner state", "Selected", "Mux", "Receive"]


def is_rule(line):
    return bool(line.strip()) and set(line.strip()) == {"-"}


def show_lacp(lines):
    """`show lacp` (doc/lag.md: seed 003's lacp-state table, then a detail table)
    -> {lag: {"info": {key: value}, "members": {name: row}, "columns": [[...], [...]]}}.
    A member's row merges its cells of both tables; "Detail" in info is the text
    after "Detail:" (the aggregator)."""
    out, cur, i = {}, None, 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"LACP State for (\S+)$", line)
        if m:
            if not (i > 0 and is_rule(lines[i - 1]) and i + 1 < len(lines) and
                    is_rule(lines[i + 1])):
                raise AssertionError("title %r not between two rules:\n%s"
                                     % (line, "\n".join(lines)))
            cur = out[m.group(1)] = {"info": {}, "members": {}, "columns": []}
            i += 2
            continue
        if cur is not None and line.startswith(("Members ", "Member ")):
            cur["columns"].append(re.findall(r"\S+(?: \S+)*", line))
            rows, i = E.parse_table(lines, i)
            for r in rows:
                name = r.get("Members", r.get("Member"))
                row = cur["members"].setdefault(name, {})
                for k, v in r.items():
                    if k not in ("Members", "Member"):
                        if k in row:
                            raise AssertionError("column %r twice for %s" % (k, name))
                        row[k] = v
            continue
        m = re.match(r"([A-Z][A-Za-z ]*?)\s*:\s*(.*)$", line)
        if cur is not None and m:
            cur["info"][m.group(1)] = m.group(2).strip()
        i += 1
    if not out:
        raise AssertionError("no LAG in `show lacp` output:\n" + "\n".join(lines))
    return out


def table_by(lines, first, key):
    """The evfwd table whose header starts with `first`, as {row[key]: row}."""
    for i, line in enumerate(lines):
        if line.startswith(first):
            rows, _ = E.parse_table(lines, i)
            return {r[key]: r for r in rows}
    raise AssertionError("no table starting with %r in:\n%s" % (first, "\n".join(lines)))


def port_stats(lines):
    return table_by(lines, "Port ", "Port")


# ------------------------------------------------------------ slow frames --


def lacp_info(sys_prio=0, system="00:00:00:00:00:00", key=0, port_prio=0, port=0, state=0):
    return struct.pack("!H6sHHHB3x", sys_prio, E.mac_bytes(system), key, port_prio, port, state)


def lacpdu(actor, partner, src=PARTNER_MAC, actor_len=20):
    """A version 1 LACPDU frame (124 bytes). actor/partner: lacp_info() bodies."""
    body = (bytes([1, 1, 1, actor_len]) + actor + bytes([2, 20]) + partner +
            bytes([3, 16]) + struct.pack("!H", 0) + bytes(12) + bytes([0, 0]) + bytes(50))
    assert len(body) == 110
    return E.mac_bytes(SLOW_DST) + E.mac_bytes(src) + b"\x88\x09" + body


def marker(tlv, port, system, transaction, src=PARTNER_MAC):
    body = (bytes([2, 1, tlv, 16]) + struct.pack("!H6sI", port, E.mac_bytes(system), transaction)
            + bytes(2) + bytes([0, 0]) + bytes(90))
    assert len(body) == 110
    return E.mac_bytes(SLOW_DST) + E.mac_bytes(src) + b"\x88\x09" + body


def slow_unknown(subtype, src=PARTNER_MAC):
    return E.mac_bytes(SLOW_DST) + E.mac_bytes(src) + b"\x88\x09" + bytes([subtype, 1]) + bytes(108)


def is_slow(frame):
    return frame[12:14] == b"\x88\x09"


ST_ACTIVITY, ST_TIMEOUT, ST_AGGREGATION, ST_SYNC = 0x01, 0x02, 0x04, 0x08
ST_COLLECTING, ST_DISTRIBUTING, ST_DEFAULTED, ST_EXPIRED = 0x10, 0x20, 0x40, 0x80
ST_NAMES = [(ST_ACTIVITY, "Activity"), (ST_TIMEOUT, "Timeout"), (ST_AGGREGATION, "Aggregation"),
            (ST_SYNC, "Synchronization"), (ST_COLLECTING, "Collecting"),
            (ST_DISTRIBUTING, "Distributing"), (ST_DEFAULTED, "Defaulted"),
            (ST_EXPIRED, "Expired")]


def parse_info(b):
    sp, sysid, key, pp, port, st = struct.unpack("!H6sHHHB", b[:15])
    return {"sys_prio": sp, "system": E.mac_str(sysid), "key": key, "port_prio": pp,
            "port": port, "state": st, "reserved": b[15:18]}


def parse_lacpdu(f):
    """A transmitted LACPDU, field by field (802.1AX-2014 6.4.2)."""
    p = f[14:]
    return {
        "len": len(f), "dst": E.mac_str(f[0:6]), "src": E.mac_str(f[6:12]),
        "ethertype": struct.unpack("!H", f[12:14])[0], "subtype": p[0], "version": p[1],
        "actor_tlv": (p[2], p[3]), "actor": parse_info(p[4:22]),
        "partner_tlv": (p[22], p[23]), "partner": parse_info(p[24:42]),
        "collector_tlv": (p[42], p[43]), "collector_max_delay": struct.unpack("!H", p[44:46])[0],
        "collector_reserved": p[46:58], "terminator": (p[58], p[59]), "reserved": p[60:110]}


# ---------------------------------------------------------- FIFO-fed runs --

PCAP_HDR = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


class FifoRun:
    """evfwd (E.LiveRun: shell commands through a FIFO) with the rx_pcap of the
    ports in `fifos` being FIFOs too. net_pcap opens them at probe (the header
    is written at once) and the worker blocks reading the first one in port
    order until feed() writes its frames and closes it (EOF). Other ports get
    ordinary pcap files from `inputs`."""

    def __init__(self, lab, config, inputs, fifos, tag):
        self.dir = os.path.join(lab.dir, tag)
        os.makedirs(self.dir)
        ports = []

        def dev(m):
            if m.group(1) not in ports:
                ports.append(m.group(1))
            return "net_pcap%d,rx_pcap=%s,tx_pcap=%s" % (
                ports.index(m.group(1)), os.path.join(self.dir, m.group(1) + "_in.pcap"),
                os.path.join(self.dir, m.group(1) + "_out.pcap"))

        text = re.sub(r"\{dev:([A-Za-z0-9_.-]+)\}", dev, config)
        self.fhs, threads = {}, []
        for p in ports:
            path = os.path.join(self.dir, p + "_in.pcap")
            if p in fifos:
                os.mkfifo(path)
                t = threading.Thread(target=self._open, args=(p, path), daemon=True)
                t.start()
                threads.append(t)
            else:
                E.write_pcap(path, inputs.get(p, []))
        self.run = E.LiveRun(lab, text, tag=tag, max_runtime=60)
        for t in threads:
            t.join(10)
        if set(self.fhs) != set(fifos):
            self.close_fifos()
            self.run.close()
            raise AssertionError("evfwd did not open the FIFOs %s"
                                 % sorted(set(fifos) - set(self.fhs)))

    def _open(self, port, path):
        fh = open(path, "wb")
        fh.write(PCAP_HDR)
        fh.flush()
        self.fhs[port] = fh

    def feed(self, port, frames):
        """Write frames into port's FIFO and close it: the worker reads them and EOF."""
        fh = self.fhs.pop(port)
        for i, f in enumerate(frames):
            fh.write(struct.pack("<IIII", 1700000000, i, len(f), len(f)) + bytes(f))
        fh.close()

    def close_fifos(self):
        for p in list(self.fhs):
            self.fhs.pop(p).close()

    def cmd(self, text):
        return self.run.cmd(text)

    def wait_for(self, text, pred, what, timeout=10):
        out = self.run.wait_for(text, pred, timeout=timeout)
        if not pred(out):
            raise AssertionError("%s: not reached within %d s; last `%s`:\n%s"
                                 % (what, timeout, text, "\n".join(out)))
        return out

    def quit(self):
        self.close_fifos()
        return self.run.quit()


def stats_pred(port, field, value):
    def pred(lines):
        try:
            return int(port_stats(lines)[port][field]) == value
        except (AssertionError, KeyError, ValueError):
            return False
    return pred


# ================================================================ 1. static --

STATIC = HEAD + "ports:\n" + UPLINK_DOWN + \
    access("m1") + access("m2") + access("m3") + access("m4") + """
lags:
  - name: lag1
    members: [m1, m2]
    mode: static
  - name: lag2
    members: [m3, m4]
    mode: static
    tx-hash: l2
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
    static-macs: [{mac: "00:c1:ab:00:01:01", port: lag1, vlan: untagged}]
  - name: B
    vni: 5002
    attachments: [{port: lag2, vlan: 30}]
    remote-vteps: [198.18.0.2]
    static-macs: [{mac: "00:c1:ab:00:01:02", port: lag2, vlan: 30}]
""" + WORKERS

STATIC_CMDS = ["show lag", "port start uplink", "wait idle 300", "show lag",
               "show port stats all", "show drops"]


def random_flows(rng, n):
    """n distinct (proto, sip, dip, sport, dport) 5-tuples."""
    flows = set()
    while len(flows) < n:
        flows.add((rng.choice(["udp", "tcp"]),
                   "198.19.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)),
                   "198.20.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)),
                   rng.randrange(1024, 65536), rng.randrange(1, 65536)))
    return sorted(flows)


class Static(E.EvfTestCase):
    NFLOWS = 450

    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(20240611)
        c.flow_of = {}          # inner frame -> 5-tuple
        c.a_frames = []
        for k, (proto, sip, dip, sport, dport) in enumerate(random_flows(rng, c.NFLOWS)):
            for j in range(2):
                f = host_frame(R1, HOST1, sip, dip, sport, dport, proto=proto,
                               size=64 + (7 * k + 131 * j) % 300)
                c.flow_of[f] = (proto, sip, dip, sport, dport)
                c.a_frames.append(f)
        c.b_frames = [host_frame(R2, HOST2, "198.19.9.%d" % (i + 1), "198.20.9.%d" % (200 - i),
                                 3000 + 17 * i, 80 + i, proto="udp" if i % 2 else "tcp",
                                 size=70 + i) for i in range(200)]
        uplink = ([vxlan4(f, 5001, src=REMOTE, sport=49152 + i % 1000)
                   for i, f in enumerate(c.a_frames)] +
                  [vxlan4(f, 5002, src=REMOTE) for f in c.b_frames])
        c.n_in = len(uplink)
        c.lab = E.Lab("lag-static")
        c.res = c.lab.run(STATIC, {"uplink": uplink}, cmds=STATIC_CMDS)

    def test_each_frame_once_over_the_members(self):
        got = self.res.out("m1") + self.res.out("m2")
        self.assertFrames(got, self.a_frames, "lag1 (m1+m2) output", ordered=False)

    def test_members_share_the_load(self):
        n1, n2 = len(self.res.out("m1")), len(self.res.out("m2"))
        total = len(self.a_frames)
        for name, n in (("m1", n1), ("m2", n2)):
            self.assertTrue(0.40 * total <= n <= 0.60 * total,
                            "%s carried %d of %d frames (%.1f%%), expected 40-60%%"
                            % (name, n, total, 100.0 * n / total))

    def test_flows_stick_to_one_member(self):
        where = collections.defaultdict(set)
        for port in ("m1", "m2"):
            for f in self.res.out(port):
                self.assertIn(f, self.flow_of, "%s sent a frame that was never sent in" % port)
                where[self.flow_of[f]].add(port)
        self.assertEqual(len(where), self.NFLOWS, "flows seen on the members")
        split = {k: v for k, v in where.items() if len(v) != 1}
        self.assertEqual(split, {}, "flows whose frames left on both members")
        per = collections.Counter(next(iter(v)) for v in where.values())
        self.assertEqual(sorted(per), ["m1", "m2"], "members carrying flows")

    def test_l2_hash_one_mac_pair_one_member(self):
        exp = [tag(f, 30) for f in self.b_frames]
        o3, o4 = self.res.out("m3"), self.res.out("m4")
        self.assertEqual(sorted([len(o3), len(o4)]), [0, len(exp)],
                         "lag2 (tx-hash l2, one MAC pair): m3 %d, m4 %d frames" % (len(o3), len(o4)))
        self.assertFrames(o3 + o4, exp, "lag2 output (VLAN 30 pushed)", ordered=False)

    def test_nothing_else(self):
        self.assertEqual(self.res.out("uplink"), [], "uplink output")
        self.res.assert_drops({})

    def test_show_lag(self):
        for k in (0, 1):
            lags = show_lag(self.res.outputs_of("show lag")[k])
            self.assertEqual(sorted(lags), ["lag1", "lag2"])
            for name, hsh, mem in (("lag1", "l34", ("m1", "m2")), ("lag2", "l2", ("m3", "m4"))):
                g = lags[name]
                self.assertEqual((g["state"], g["mode"], g["min_links"], g["tx_hash"], g["ndist"],
                                  g["nmem"], g["mgmt"]), ("up", "static", 1, hsh, 2, 2, None),
                                 "show lag #%d, %s" % (k, name))
                self.assertEqual(sorted(g["members"]), sorted(mem))
                for m in mem:
                    r = g["members"][m]
                    self.assertEqual(
                        (r["Link"], r["Selected"], r["Mux"], r["Collecting"], r["Distributing"],
                         r["Buckets"], r["LACPDU-in"], r["LACPDU-out"], r["Unknown"],
                         r["Illegal"]),
                        ("up", "-", "-", "yes", "yes", "128", "0", "0", "0", "0"),
                        "show lag #%d, %s member %s" % (k, name, m))

    def test_port_stats(self):
        n = {p: len(self.res.out(p)) for p in ("m1", "m2", "m3", "m4")}
        shell = port_stats(self.res.outputs_of("show port stats all")[0])
        for src in (shell, None):
            for p in ("uplink", "m1", "m2", "m3", "m4"):
                if src is shell:
                    row = src[p]
                    got = (int(row["RX-packets"]), int(row["TX-packets"]), int(row["Dropped"]))
                else:
                    row = self.res.ports[p]
                    got = (row["rx_packets"], row["tx_packets"], row["dropped"])
                exp = (self.n_in, 0, 0) if p == "uplink" else (0, n[p], 0)
                self.assertEqual(got, exp, "%s counters of %s (RX, TX, dropped)"
                                 % ("shell" if src is shell else "final", p))

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


# ============================================================== 2. learning --

LEARN = HEAD + "ports:\n" + access("m1") + access("m2") + access("h1") + UPLINK + """
lags:
  - name: lag1
    members: [m1, m2]
    mode: static
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {port: lag1, vlan: untagged}
      - {port: h1, vlan: untagged}
    remote-vteps: [198.18.0.2]
""" + WORKERS


class Learning(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.from_m2 = [bcast_frame(NEW, ident=7),
                     host_frame(NEW, UNK, "198.19.3.1", "198.19.3.9", 4000, 53, size=90)]
        c.to_new = [host_frame(R1, NEW, "198.19.2.%d" % (i + 1), "198.19.3.1", 5000 + 3 * i,
                               53 + i, size=64 + 5 * i) for i in range(64)]
        c.lab = E.Lab("lag-learning")
        run = FifoRun(c.lab, LEARN, {}, ["m2", "uplink"], "run")
        try:
            # the worker is blocked on m2's FIFO; the control thread runs
            c.lag_before = run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["ndist"] == 2,
                                        "both members distributing")
            run.feed("m2", c.from_m2)
            c.fdb1 = run.wait_for("show fdb", lambda o: any(NEW in l for l in o),
                                  "%s learned" % NEW)
            run.feed("uplink", [vxlan4(f, 5001, src=REMOTE) for f in c.to_new])
            run.wait_for("show port stats all", stats_pred("uplink", "RX-packets", len(c.to_new)),
                         "the network's frames received")
            run.cmd("wait idle 300")
            c.fdb2 = run.cmd("show fdb")
        finally:
            c.res = run.quit()

    def fdb(self, lines):
        for i, line in enumerate(lines):
            if line.startswith("MAC-VRF "):
                rows, _ = E.parse_table(lines, i)
                return {r["Address"]: r for r in rows}
        return {}

    def test_learned_on_the_lag(self):
        for k, lines in enumerate((self.fdb1, self.fdb2)):
            f = self.fdb(lines)
            self.assertIn(NEW, f, "show fdb #%d" % k)
            self.assertEqual((f[NEW]["MAC-VRF"], f[NEW]["Destination"], f[NEW]["Type"]),
                             ("A", "lag1", "learnt"), "show fdb #%d entry of %s" % (k, NEW))

    def test_flooded_not_back_to_the_lag(self):
        self.assertFrames(self.res.out("h1"), self.from_m2, "h1 output (the flood from m2 only)",
                          ordered=False)
        vx = self.res.out("uplink")
        self.assertEqual(len(vx), 2, "VXLAN frames to the VTEP")
        inners = []
        for n, pkt in enumerate(vx):
            f = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=f["inner"], vni=5001, dst_ip=REMOTE,
                           what="uplink packet #%d" % n)
            inners.append(f["inner"])
        self.assertFrames(inners, self.from_m2, "inner frames sent to the VTEP", ordered=False)

    def test_known_unicast_over_the_members(self):
        o1, o2 = self.res.out("m1"), self.res.out("m2")
        self.assertFrames(o1 + o2, self.to_new, "lag1 (m1+m2) output", ordered=False)
        self.assertTrue(o1 and o2, "64 flows all on one member (m1 %d, m2 %d)" % (len(o1), len(o2)))

    def test_show_lag_and_drops(self):
        g = show_lag(self.lag_before)["lag1"]
        self.assertEqual([(m, g["members"][m]["Buckets"]) for m in ("m1", "m2")],
                         [("m1", "128"), ("m2", "128")])
        self.res.assert_drops({})
        p = self.res.ports
        self.assertEqual((p["m2"]["rx_packets"], p["uplink"]["rx_packets"], p["h1"]["tx_packets"],
                          p["uplink"]["tx_packets"], p["m1"]["tx_packets"] + p["m2"]["tx_packets"]),
                         (2, 64, 2, 2, 64), "m2 RX, uplink RX, h1 TX, uplink TX, m1+m2 TX")

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


# ================================================== 3. management member --

MGMT_LAG = """
lags:
  - name: lag1
    members: [m1, m2]
    mode: %s
    management: {member: m1, macs: ["00:c1:ab:00:0b:01"]}
"""
MGMT_BD = """
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
    remote-macs: [{mac: "00:c1:ab:00:02:01", vtep: 198.18.0.2}]
    static-macs:
      - {mac: "00:c1:ab:00:0b:01", port: lag1, vlan: untagged}
      - {mac: "00:c1:ab:00:01:01", port: lag1, vlan: untagged}
"""
MGMT_STATIC = (HEAD + "ports:\n" + UPLINK_DOWN + access("m1") + access("m2") +
               MGMT_LAG % "static" + MGMT_BD + WORKERS)
# network port last: the worker reads m1 and m2 (files) before blocking on its FIFO
MGMT_LACP = (HEAD + "ports:\n" + access("m1") + access("m2") + UPLINK + MGMT_LAG % "lacp" +
             MGMT_BD + WORKERS)
MGMT_PARTNER = (HEAD + "ports:\n" + access("m1") + access("m2") + UPLINK + (MGMT_LAG % "lacp") +
                """    lacp: {interval: slow, system-id: "00:00:00:00:00:11", system-priority: 11,
           key: 11}
""" + MGMT_BD + WORKERS)


def net_frames(rng, dst, n, base):
    return [host_frame(R1, dst, sip, dip, sport, dport, proto=proto, size=64 + (base + 3 * i) % 200)
            for i, (proto, sip, dip, sport, dport) in enumerate(random_flows(rng, n))]


def bcasts(n, base):
    return [bcast_frame(R1, ident=base + i) for i in range(n)]


class MgmtStatic(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(7)
        c.to_bmc = net_frames(rng, BMC, 200, 0)
        c.to_host = net_frames(rng, HOST1, 200, 1)
        c.bc = bcasts(3, 0)
        c.unk = [host_frame(R1, UNK, "198.19.2.1", "198.19.7.%d" % (i + 1), 8000 + i, 53, size=96)
                 for i in range(3)]
        uplink = [vxlan4(f, 5001, src=REMOTE) for f in c.to_bmc + c.to_host + c.bc + c.unk]
        c.lab = E.Lab("lag-mgmt-static")
        c.res = c.lab.run(MGMT_STATIC, {"uplink": uplink},
                          cmds=["show lag", "port start uplink", "wait idle 300", "show lag"])

    def test_bmc_frames_on_m1(self):
        m1 = [f for f in self.res.out("m1") if f in set(self.to_bmc)]
        m2 = [f for f in self.res.out("m2") if f in set(self.to_bmc)]
        self.assertEqual(len(m2), 0, "frames to the BMC on m2")
        self.assertFrames(m1, self.to_bmc, "frames to the BMC on m1", ordered=False)

    def test_host_frames_hashed(self):
        hs = set(self.to_host)
        o1 = [f for f in self.res.out("m1") if f in hs]
        o2 = [f for f in self.res.out("m2") if f in hs]
        self.assertFrames(o1 + o2, self.to_host, "frames to the host over m1+m2", ordered=False)
        for name, n in (("m1", len(o1)), ("m2", len(o2))):
            self.assertTrue(60 <= n <= 140, "%s carried %d of 200 host flows" % (name, n))

    def test_broadcast_once_on_m1(self):
        self.assertFrames([f for f in self.res.out("m1") if f in set(self.bc)], self.bc,
                          "broadcasts on m1")
        self.assertEqual([f for f in self.res.out("m2") if f in set(self.bc)], [],
                         "broadcasts on m2")

    def test_unknown_unicast_once(self):
        u = set(self.unk)
        self.assertFrames([f for p in ("m1", "m2") for f in self.res.out(p) if f in u], self.unk,
                          "unknown unicast on m1+m2", ordered=False)

    def test_totals(self):
        self.assertEqual(len(self.res.out("m1")) + len(self.res.out("m2")),
                         len(self.to_bmc) + len(self.to_host) + len(self.bc) + len(self.unk),
                         "frames on m1+m2")
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()

    def test_show_lag(self):
        for k in (0, 1):
            g = show_lag(self.res.outputs_of("show lag")[k])["lag1"]
            self.assertEqual((g["state"], g["ndist"], g["mgmt"]),
                             ("up", 2, "Management member: m1 (up), 1 MAC(s)"), "show lag #%d" % k)
            self.assertEqual([g["members"][m]["Buckets"] for m in ("m1", "m2")], ["128", "128"])


class MgmtLacpNoPartner(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(11)
        # entering the members
        c.bmc_out = [host_frame(BMC, R1, "198.19.11.1", "198.19.2.%d" % (i + 1), 6000 + i, 22,
                                size=80 + i) for i in range(5)] + [bcast_frame(BMC, ident=77)]
        c.m1_other = [host_frame(HOST1, R1, "198.19.1.1", "198.19.2.1", 7000 + i, 80, size=70)
                      for i in range(4)] + [bcast_frame(HOST1, ident=78)]
        c.m2_in = [host_frame(HOST1, R1, "198.19.1.1", "198.19.2.1", 7100 + i, 80, size=72)
                   for i in range(6)] + [host_frame(BMC, R1, "198.19.11.1", "198.19.2.1", 7200 + i,
                                                    22, size=74) for i in range(3)]
        # from the network
        c.to_bmc = net_frames(rng, BMC, 100, 0)
        c.to_host = net_frames(rng, HOST1, 20, 1)
        c.bc = bcasts(2, 10)
        c.lab = E.Lab("lag-mgmt-lacp")
        run = FifoRun(c.lab, MGMT_LACP, {"m1": c.bmc_out + c.m1_other, "m2": c.m2_in},
                      ["uplink"], "run")
        try:
            c.lag1 = run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["mgmt"] ==
                                  "Management member: m1 (up), 1 MAC(s)", "management member up")
            run.wait_for("show port stats all", stats_pred("m2", "RX-packets", len(c.m2_in)),
                         "m1 and m2 input read")
            run.feed("uplink", [vxlan4(f, 5001, src=REMOTE) for f in c.to_bmc + c.to_host + c.bc])
            run.wait_for("show port stats all",
                         stats_pred("uplink", "RX-packets", len(c.to_bmc) + len(c.to_host) + len(c.bc)),
                         "the network's frames received")
            run.cmd("wait idle 300")
            c.lag2 = run.cmd("show lag")
            c.lacp = run.cmd("show lacp")
        finally:
            c.res = run.quit()
        c.data = {p: [f for f in c.res.out(p) if not is_slow(f)] for p in ("m1", "m2")}

    def test_bmc_frames_forwarded_from_m1(self):
        vx = self.res.out("uplink")
        inners = []
        for n, pkt in enumerate(vx):
            f = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=f["inner"], vni=5001, dst_ip=REMOTE,
                           what="uplink packet #%d" % n)
            inners.append(f["inner"])
        self.assertFrames(inners, self.bmc_out, "frames encapsulated to the VTEP (BMC via m1 only)",
                          ordered=False)

    def test_network_to_lag(self):
        self.assertFrames(self.data["m1"], self.to_bmc + self.bc,
                          "m1 data output (BMC flows, broadcasts once)", ordered=False)
        self.assertEqual(self.data["m2"], [], "m2 data output")

    def test_drops(self):
        self.res.assert_drops({
            "lag-not-collecting": len(self.m1_other) + len(self.m2_in),
            "lag-down": len(self.to_host)})

    def test_only_lacpdus_besides(self):
        for p in ("m1", "m2"):
            slow = [f for f in self.res.out(p) if is_slow(f)]
            self.assertTrue(slow, "no LACPDU on %s" % p)
            for f in slow:
                self.assertEqual((f[:6], f[14]), (E.mac_bytes(SLOW_DST), 1), "slow frame on %s" % p)

    def test_show(self):
        for k, lines in enumerate((self.lag1, self.lag2)):
            g = show_lag(lines)["lag1"]
            self.assertEqual((g["state"], g["mode"], g["ndist"]), ("down", "lacp", 0), "#%d" % k)
            for m in ("m1", "m2"):
                r = g["members"][m]
                self.assertEqual((r["Link"], r["Selected"], r["Mux"], r["Collecting"],
                                  r["Distributing"], r["Buckets"]),
                                 ("up", "no", "detached", "no", "no", "0"), "show lag #%d %s" % (k, m))
        lacp = show_lacp(self.lacp)["lag1"]
        self.assertEqual(lacp["info"]["Detail"], "aggregator has no partner")
        for m in ("m1", "m2"):
            r = lacp["members"][m]
            self.assertEqual((r["State"], r["Partner Id"], r["Selected"], r["Mux"]),
                             ("OUT_SYNC/True/False/False", "00:00:00:00:00:00", "no", "detached"),
                             "show lacp %s" % m)
            # no partner ever: expired for the first 3 s, defaulted after
            self.assertIn(r["Receive"], ("expired", "defaulted"), "show lacp %s" % m)

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


class MgmtLacpPartnerOnM2(E.EvfTestCase):
    """A partner (system 00:00:00:00:00:22) answers on m2 only: one LACPDU
    that names our m2 (system 00:00:00:00:00:11, prio 11, key 11, port 2,
    port priority 255) and is in sync, collecting and distributing. With
    interval slow its information stays current for 90 s, so m2 goes WAITING
    (2 s), ATTACHED, COLLECTING, DISTRIBUTING and stays there."""

    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(13)
        c.to_bmc = net_frames(rng, BMC, 50, 0)
        c.to_host = net_frames(rng, HOST1, 50, 1)
        c.bc = bcasts(3, 20)
        c.unk = [host_frame(R1, UNK, "198.19.2.1", "198.19.7.%d" % (i + 1), 8000 + i, 53, size=96)
                 for i in range(3)]
        actor = lacp_info(22, "00:00:00:00:00:22", 22, 255, 1,
                          ST_ACTIVITY | ST_AGGREGATION | ST_SYNC | ST_COLLECTING | ST_DISTRIBUTING)
        partner = lacp_info(11, "00:00:00:00:00:11", 11, 255, 2, ST_ACTIVITY | ST_AGGREGATION |
                            ST_SYNC | ST_COLLECTING | ST_DISTRIBUTING)
        c.pdu = lacpdu(actor, partner)
        c.lab = E.Lab("lag-mgmt-partner")
        run = FifoRun(c.lab, MGMT_PARTNER, {}, ["m2", "uplink"], "run")
        try:
            run.wait_for("show lacp", lambda o: show_lacp(o)["lag1"]["members"]["m2"]["Oper state"]
                         == "up", "m2 up in LACP")
            run.feed("m2", [c.pdu])
            c.lag1 = run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["ndist"] == 1,
                                  "m2 distributing")
            c.lacp = run.cmd("show lacp")
            run.feed("uplink", [vxlan4(f, 5001, src=REMOTE)
                                for f in c.to_bmc + c.to_host + c.bc + c.unk])
            run.wait_for("show port stats all", stats_pred(
                "uplink", "RX-packets", len(c.to_bmc) + len(c.to_host) + len(c.bc) + len(c.unk)),
                "the network's frames received")
            run.cmd("wait idle 300")
        finally:
            c.res = run.quit()
        c.data = {p: [f for f in c.res.out(p) if not is_slow(f)] for p in ("m1", "m2")}

    def test_m2_distributing_m1_not(self):
        g = show_lag(self.lag1)["lag1"]
        self.assertEqual((g["state"], g["ndist"], g["mgmt"]),
                         ("up", 1, "Management member: m1 (up), 1 MAC(s)"))
        got = {m: (g["members"][m]["Mux"], g["members"][m]["Distributing"],
                   g["members"][m]["Buckets"], g["members"][m]["LACPDU-in"]) for m in ("m1", "m2")}
        self.assertEqual(got, {"m1": ("detached", "no", "0", "0"),
                               "m2": ("distributing", "yes", "256", "1")})
        lacp = show_lacp(self.lacp)["lag1"]
        self.assertEqual(lacp["info"]["Detail"],
                         "aggregator partner 00:00:00:00:00:22, key 22, priority 22")
        r = lacp["members"]["m2"]
        self.assertEqual((r["State"], r["Actor state"], r["Partner Id"], r["Partner Key"],
                          r["Partner Port No"], r["Partner state"], r["Selected"], r["Mux"],
                          r["Receive"]),
                         ("IN_SYNC/True/True/True", "0x3d", "00:00:00:00:00:22", "22", "1", "0x3d",
                          "yes", "distributing", "current"))

    def test_bmc_on_m1_host_on_m2(self):
        bmc, host = set(self.to_bmc), set(self.to_host)
        self.assertFrames([f for f in self.data["m1"] if f in bmc], self.to_bmc, "BMC frames on m1",
                          ordered=False)
        self.assertFrames([f for f in self.data["m2"] if f in host], self.to_host,
                          "host frames on m2", ordered=False)
        self.assertEqual([f for f in self.data["m2"] if f in bmc], [], "BMC frames on m2")
        self.assertEqual([f for f in self.data["m1"] if f in host], [], "host frames on m1")

    def test_broadcast_on_m1_and_m2(self):
        for p in ("m1", "m2"):
            self.assertFrames([f for f in self.data[p] if f in set(self.bc)], self.bc,
                              "broadcasts on %s (once each)" % p, ordered=False)

    # A flooded frame (unknown unicast too) goes to the management member (the
    # BMC may be the one it is for) and, since the host does not collect on
    # m1 here, once more to a hashed distributing member: exactly once each.
    def test_unknown_unicast_once_to_the_host(self):
        u = set(self.unk)
        on = {p: [f for f in self.data[p] if f in u] for p in ("m1", "m2")}
        self.assertFrames(on["m2"], self.unk, "unknown unicast on m2, the host's member "
                          "(m1 got %d)" % len(on["m1"]), ordered=False)
        self.assertFrames(on["m1"], self.unk, "unknown unicast on m1, the management member",
                          ordered=False)

    def test_drops(self):
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


# ========================================================= 4. slow protocols --

SLOW = HEAD + "ports:\n" + UPLINK + access("m1") + access("m2") + access("h1") + """
lags:
  - name: lag1
    members: [m1, m2]
    mode: static
mac-vrfs:
  - name: A
    vni: 5001
    attachments:
      - {port: lag1, vlan: untagged}
      - {port: h1, vlan: untagged}
    remote-vteps: [198.18.0.2]
""" + WORKERS

MK_PORT, MK_SYS, MK_TID = 0x0203, "00:c1:ab:00:0f:99", 0xdeadbeef


class SlowProtocols(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.pdu = lacpdu(lacp_info(22, "00:00:00:00:00:22", 22, 255, 1, ST_ACTIVITY | ST_AGGREGATION),
                       lacp_info())
        c.marker = marker(1, MK_PORT, MK_SYS, MK_TID)
        c.unknown = slow_unknown(10)
        c.broken = lacpdu(lacp_info(22, "00:00:00:00:00:22", 22, 255, 1, ST_ACTIVITY), lacp_info(),
                          actor_len=19)
        c.lab = E.Lab("lag-slow")
        c.res = c.lab.run(SLOW, {"m1": [c.pdu, c.unknown], "m2": [c.marker, c.broken],
                                 "h1": [c.pdu]},
                          cmds=["wait idle 300", "sleep 100", "show lag", "show port info",
                                "show port stats all"])
        c.info = table_by(c.res.outputs_of("show port info")[0], "Port ", "Port")

    def test_drops(self):
        self.res.assert_drops({"slow-protocol": 1})
        p = self.res.ports
        self.assertEqual({k: (p[k]["rx_packets"], p[k]["dropped"]) for k in ("m1", "m2", "h1")},
                         {"m1": (2, 0), "m2": (2, 0), "h1": (1, 1)}, "RX, dropped per port")

    def test_nothing_forwarded(self):
        for p in ("uplink", "m1", "h1"):
            self.assertEqual(self.res.out(p), [], "%s output" % p)

    def test_marker_response(self):
        out = self.res.out("m2")
        self.assertEqual(len(out), 1, "frames on m2: %s" % [f.hex() for f in out])
        f = out[0]
        p = f[14:]
        m2mac = self.info["m2"]["MAC"]
        got = {"len": len(f), "dst": E.mac_str(f[0:6]), "src": E.mac_str(f[6:12]),
               "ethertype": hex(struct.unpack("!H", f[12:14])[0]), "subtype": p[0],
               "version": p[1], "tlv": p[2], "tlv_len": p[3],
               "port": struct.unpack("!H", p[4:6])[0], "system": E.mac_str(p[6:12]),
               "transaction": struct.unpack("!I", p[12:16])[0], "pad": p[16:18].hex(),
               "terminator": (p[18], p[19]), "reserved": p[20:].hex(), "payload": len(p)}
        exp = {"len": 124, "dst": SLOW_DST, "src": m2mac, "ethertype": "0x8809", "subtype": 2,
               "version": 1, "tlv": 2, "tlv_len": 16, "port": MK_PORT, "system": MK_SYS,
               "transaction": MK_TID, "pad": "0000", "terminator": (0, 0), "reserved": "00" * 90,
               "payload": 110}
        self.assertEqual(got, exp, "Marker Response on m2")
        self.assertEqual(p, self.marker[14:16] + b"\x02" + self.marker[17:], "Marker Response = "
                         "the Marker with TLV type 2")

    def test_show_lag_counters(self):
        g = show_lag(self.res.outputs_of("show lag")[0])["lag1"]
        cols = ("LACPDU-in", "LACPDU-out", "Marker-in", "Marker-resp-out", "Unknown", "Illegal")
        got = {m: tuple(int(g["members"][m][k]) for k in cols) for m in ("m1", "m2")}
        self.assertEqual(got, {"m1": (1, 0, 0, 0, 1, 0), "m2": (0, 0, 1, 1, 0, 1)},
                         "per member %s" % (cols,))
        self.assertEqual((g["state"], g["ndist"]), ("up", 2))

    def test_port_macs_are_distinct(self):
        macs = {p: self.info[p]["MAC"] for p in ("m1", "m2")}
        self.assertNotEqual(macs["m1"], macs["m2"])

    def test_no_mbuf_leak(self):
        self.res.assert_no_mbuf_leak()


# ==================================================== 5. LACP transmission --

LACP_TX = HEAD + "ports:\n" + UPLINK + access("m1") + access("m2") + """
lags:
  - name: lag1
    members: [{port: m1, port-number: 5}, {port: m2, port-number: 6}]
    mode: lacp
    lacp: {interval: fast, system-id: "00:00:00:00:00:11", system-priority: 11, key: 11}
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
""" + WORKERS

# INITIALIZE (recordDefault: Defaulted) -> PORT_DISABLED -> EXPIRED (Expired;
# the partner's Timeout forced short, so fast periodic: a PDU at once, then
# every second) -> DEFAULTED after current_while (3 s short timeout): Expired
# clear, the admin partner (short timeout with interval fast) -> still one
# PDU per second.
STATE_EXPIRED = ST_ACTIVITY | ST_TIMEOUT | ST_AGGREGATION | ST_DEFAULTED | ST_EXPIRED    # 0xc7
STATE_DEFAULTED = ST_ACTIVITY | ST_TIMEOUT | ST_AGGREGATION | ST_DEFAULTED               # 0x47
PARTNER_STATE = ST_TIMEOUT | ST_AGGREGATION   # admin default (aggregatable) + EXPIRED's short timeout


def decode_state(s):
    return "+".join(n for b, n in ST_NAMES if s & b) or "-"


class LacpTransmit(E.EvfTestCase):
    @classmethod
    def setUpClass(cls):
        c = cls
        c.lab = E.Lab("lag-lacp-tx")
        c.res = c.lab.run(LACP_TX, {}, cmds=["show lacp", "show port info", "sleep 3500",
                                             "show lacp", "show lag"])
        c.info = table_by(c.res.outputs_of("show port info")[0], "Port ", "Port")
        from scapy.all import rdpcap
        c.pdus = {p: [(float(k.time), bytes(k.original)) for k in rdpcap(c.res.pcap(p))]
                  for p in ("m1", "m2")}

    def test_pdu_fields(self):
        for p, port in (("m1", 5), ("m2", 6)):
            self.assertTrue(self.pdus[p], "no LACPDU on %s" % p)
            for n, (_, f) in enumerate(self.pdus[p]):
                d = parse_lacpdu(f)
                what = "%s LACPDU #%d" % (p, n)
                self.assertEqual(
                    (d["len"], d["dst"], d["src"], hex(d["ethertype"]), d["subtype"], d["version"],
                     d["actor_tlv"], d["partner_tlv"], d["collector_tlv"], d["collector_max_delay"],
                     d["terminator"]),
                    (124, SLOW_DST, self.info[p]["MAC"], "0x8809", 1, 1, (1, 20), (2, 20), (3, 16),
                     0, (0, 0)), what)
                a = dict(d["actor"])
                st = a.pop("state")
                self.assertIn(decode_state(st), (decode_state(STATE_EXPIRED),
                                                 decode_state(STATE_DEFAULTED)),
                              what + " actor state")
                self.assertEqual(a, {"sys_prio": 11, "system": "00:00:00:00:00:11", "key": 11,
                                     "port_prio": 255, "port": port, "reserved": bytes(3)},
                                 what + " actor")
                pa = dict(d["partner"])
                self.assertEqual(decode_state(pa.pop("state")), decode_state(PARTNER_STATE),
                                 what + " partner state")
                self.assertEqual(pa, {"sys_prio": 0, "system": "00:00:00:00:00:00", "key": 0,
                                      "port_prio": 0, "port": 0, "reserved": bytes(3)},
                                 what + " partner")
                self.assertEqual((d["collector_reserved"], d["reserved"]), (bytes(12), bytes(50)),
                                 what + " reserved bytes")

    def test_pdu_states_in_order(self):
        # three (t = 0, 1, 2 s) while expired, then defaulted ones (t >= 3 s)
        for p in ("m1", "m2"):
            states = [parse_lacpdu(f)["actor"]["state"] for _, f in self.pdus[p]]
            self.assertEqual(states[:3], [STATE_EXPIRED] * 3, "%s: states %s" % (p, states))
            self.assertEqual(states[3:], [STATE_DEFAULTED] * (len(states) - 3),
                             "%s: states %s" % (p, states))

    def test_pdu_count_and_rate(self):
        for p in ("m1", "m2"):
            times = [t for t, _ in self.pdus[p]]
            self.assertIn(len(times), (3, 4, 5), "%s: LACPDUs at %s" % (p, times))
            for i in range(len(times)):
                self.assertLessEqual(len([t for t in times if times[i] <= t < times[i] + 1.0]), 3,
                                     "%s: more than 3 LACPDUs within 1 s" % p)
            gaps = [b - a for a, b in zip(times, times[1:])]
            self.assertTrue(all(g >= 0.8 for g in gaps), "%s: fast periodic gaps %s" % (p, gaps))

    def test_show_lacp(self):
        for k, rx, st in ((0, "expired", STATE_EXPIRED), (1, "defaulted", STATE_DEFAULTED)):
            lines = self.res.outputs_of("show lacp")[k]
            lacp = show_lacp(lines)["lag1"]
            # seed 003's layout: title between rules, then these lines and columns
            self.assertEqual(lines[:8], ["-" * 100, "LACP State for lag1", "-" * 100,
                                         "Lag Id         : lag1", "Interval       : FAST",
                                         "Mode           : ACTIVE",
                                         "System Id      : 00:00:00:00:00:11",
                                         "System Priority: 11"], "show lacp #%d head" % k)
            self.assertEqual(lacp["columns"], [LACP_COLUMNS, LACP_DETAIL_COLUMNS])
            self.assertEqual(lacp["info"], {"Lag Id": "lag1", "Interval": "FAST", "Mode": "ACTIVE",
                                            "System Id": "00:00:00:00:00:11",
                                            "System Priority": "11",
                                            "Detail": "aggregator has no partner"})
            for m, port in (("m1", "5"), ("m2", "6")):
                r = lacp["members"][m]
                self.assertEqual(
                    r, {"Oper state": "up", "Activity": "ACTIVE", "Timeout": "SHORT",
                        "State": "OUT_SYNC/True/False/False", "System Id": "00:00:00:00:00:11",
                        "Oper key": "11", "Partner Id": "00:00:00:00:00:00", "Partner Key": "0",
                        "Port No": port, "Partner Port No": "0", "Actor state": "0x%02x" % st,
                        "Partner state": "0x%02x" % PARTNER_STATE, "Selected": "no",
                        "Mux": "detached", "Receive": rx},
                    "show lacp #%d, %s" % (k, m))

    def test_show_lag(self):
        g = show_lag(self.res.outputs_of("show lag")[0])["lag1"]
        self.assertEqual((g["state"], g["mode"], g["ndist"]), ("down", "lacp", 0))
        for p in ("m1", "m2"):
            r = g["members"][p]
            self.assertEqual((r["Selected"], r["Mux"], r["Buckets"], r["LACPDU-in"], r["LACPDU-out"]),
                             ("no", "detached", "0", "0", str(len(self.pdus[p]))), p)

    def test_counters(self):
        self.res.assert_drops({})
        p = self.res.ports
        self.assertEqual((p["m1"]["tx_packets"], p["m2"]["tx_packets"], p["uplink"]["tx_packets"]),
                         (len(self.pdus["m1"]), len(self.pdus["m2"]), 0))
        self.res.assert_no_mbuf_leak()


# ======================================================= 6. min-links, ES --

MINLINKS = HEAD + "ports:\n" + UPLINK + access("m1") + access("m2") + """
lags:
  - {name: lag1, members: [m1, m2], mode: static, min-links: 2}
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
ethernet-segments:
  - {name: ES-1, esi: "01:11:11:11:11:11:11:00:00:01", interface: lag1, df-timer: 0}
""" + WORKERS


class MinLinks(E.EvfTestCase):
    """min-links 2 on a static LAG carrying ES-1: one member stopped -> the LAG
    is down, so is the segment (es-down and non-DF events for the control
    plane); started again -> both up again."""

    @classmethod
    def setUpClass(cls):
        cls.lab = E.Lab("lag-minlinks")
        cls.res = cls.lab.run(MINLINKS, {}, cmds=[
            "sleep 300", "show lag", "show es", "port stop m2", "sleep 100", "show lag",
            "show es", "port start m2", "sleep 100", "show lag", "show es", "show events"])

    def es_row(self, k):
        lines = self.res.outputs_of("show es")[k]
        i = [n for n, l in enumerate(lines) if l.startswith("Name ")][0]
        rows, _ = E.parse_table(lines, i)
        return {r["Name"]: r for r in rows}["ES-1"]

    def test_states(self):
        want = [("up", 2, "yes", "up", "1 of 1 mac-vrfs"),
                ("down", 0, "no", "down", "0 of 1 mac-vrfs"),
                ("up", 2, "yes", "up", "1 of 1 mac-vrfs")]
        for k, (lag_state, ndist, m1_dist, es_oper, df) in enumerate(want):
            g = show_lag(self.res.outputs_of("show lag")[k])["lag1"]
            self.assertEqual((g["state"], g["min_links"], g["ndist"],
                              g["members"]["m1"]["Distributing"]),
                             (lag_state, 2, ndist, m1_dist), "show lag #%d" % k)
            es = self.es_row(k)
            self.assertEqual((es["Interface"], es["Oper"], es["DF for"]), ("lag1", es_oper, df),
                             "show es #%d" % k)
        # the stopped member says so; m1 keeps its link but distributes nothing
        g = show_lag(self.res.outputs_of("show lag")[1])["lag1"]
        self.assertEqual((g["members"]["m2"]["Link"], g["members"]["m1"]["Link"],
                          g["members"]["m1"]["Buckets"]), ("stopped", "up", "0"))

    def test_events(self):
        ev = [l.split()[2:] for l in self.res.outputs_of("show events")[0]
              if re.match(r"\s+\d+\s+t=", l)]
        self.assertEqual([(e[0], e[-1]) for e in ev],
                         [("es-up", "32767"), ("df-change", "DF"), ("es-down", "32767"),
                          ("df-change", "non-DF"), ("es-up", "32767"), ("df-change", "DF")])

    def test_clean(self):
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()


# ====================================================== 7. management VLAN --

MV_LAG = """
lags:
  - name: lag1
    members: [m1, m2]
    mode: %s
    management: {member: m1, vlan: 100}
"""
MV_BD = """
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: 100}]
    remote-vteps: [198.18.0.2]
    remote-macs: [{mac: "00:c1:ab:00:02:01", vtep: 198.18.0.2}]
    static-macs: [{mac: "00:c1:ab:00:01:01", port: lag1, vlan: 100}]
  - name: B
    vni: 5002
    attachments: [{port: lag1, vlan: 200}]
    remote-vteps: [198.18.0.2]
    static-macs: [{mac: "00:c1:ab:00:01:01", port: lag1, vlan: 200}]
  - name: C
    vni: 5003
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
"""
MV_STATIC = (HEAD + "ports:\n" + UPLINK_DOWN + access("m1") + access("m2") + MV_LAG % "static" +
             MV_BD + WORKERS)
MV_PARTNER = (HEAD + "ports:\n" + access("m1") + access("m2") + UPLINK + MV_LAG % "lacp" +
              """    lacp: {interval: slow, system-id: "00:00:00:00:00:11", system-priority: 11,
           key: 11}
""" + MV_BD + WORKERS)


def on(frames, port_out):
    """The frames of `frames` found in port_out, in port_out's order."""
    s = set(frames)
    return [f for f in port_out if f in s]


class MgmtVlanStatic(E.EvfTestCase):
    """Management VLAN 100 on m1 of a static LAG: VLAN 100 frames all leave on
    m1, the same flows in VLAN 200 are hashed over m1 and m2."""

    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(17)
        c.flows = net_frames(rng, HOST1, 200, 0)
        c.bc = bcasts(3, 40)
        c.unk = [host_frame(R1, UNK, "198.19.2.1", "198.19.8.%d" % (i + 1), 8100 + i, 53, size=90)
                 for i in range(3)]
        uplink = ([vxlan4(f, 5001, src=REMOTE) for f in c.flows + c.bc + c.unk] +
                  [vxlan4(f, 5002, src=REMOTE) for f in c.flows + c.bc + c.unk])
        c.n_in = len(uplink)
        c.lab = E.Lab("lag-mgmt-vlan-static")
        c.res = c.lab.run(MV_STATIC, {"uplink": uplink},
                          cmds=["show lag", "port start uplink", "wait idle 300", "show lag"])
        c.out = {p: c.res.out(p) for p in ("m1", "m2")}

    def test_vlan_100_unicast_all_on_m1(self):
        exp = [tag(f, 100) for f in self.flows]
        self.assertFrames(on(exp, self.out["m1"]), exp, "VLAN 100 flows on m1", ordered=False)
        self.assertEqual(on(exp, self.out["m2"]), [], "VLAN 100 flows on m2")

    def test_vlan_200_unicast_hashed(self):
        exp = [tag(f, 200) for f in self.flows]
        o1, o2 = on(exp, self.out["m1"]), on(exp, self.out["m2"])
        self.assertFrames(o1 + o2, exp, "VLAN 200 flows over m1+m2", ordered=False)
        for name, n in (("m1", len(o1)), ("m2", len(o2))):
            self.assertTrue(60 <= n <= 140, "%s carried %d of 200 VLAN 200 flows" % (name, n))
        # the flows hashed to m2 in VLAN 200 leave on m1 in VLAN 100
        on_m2 = {bytes(f[:12] + f[16:]) for f in o2}
        in_100 = {bytes(f[:12] + f[16:]) for f in on([tag(f, 100) for f in on_m2], self.out["m1"])}
        self.assertEqual(in_100, on_m2, "VLAN 100 copies of the flows hashed to m2 in VLAN 200")

    def test_flooded_once_on_m1(self):
        for vid in (100, 200):
            exp = [tag(f, vid) for f in self.bc + self.unk]
            self.assertFrames(on(exp, self.out["m1"]), exp, "VLAN %d broadcast and unknown "
                              "unicast on m1" % vid, ordered=False)
            self.assertEqual(on(exp, self.out["m2"]), [], "VLAN %d flooded frames on m2" % vid)

    def test_totals(self):
        self.assertEqual(len(self.out["m1"]) + len(self.out["m2"]), self.n_in, "frames on m1+m2")
        self.assertEqual(self.res.out("uplink"), [], "uplink output")
        self.res.assert_drops({})
        self.res.assert_no_mbuf_leak()

    def test_show_lag(self):
        for k in (0, 1):
            g = show_lag(self.res.outputs_of("show lag")[k])["lag1"]
            self.assertEqual((g["state"], g["ndist"], g["mgmt"]),
                             ("up", 2, "Management member: m1 (up), 0 MAC(s), vlan 100"),
                             "show lag #%d" % k)


class MgmtVlanLacpPartnerOnM2(E.EvfTestCase):
    """Management VLAN 100 on m1, mode lacp, a partner on m2 only (as in
    MgmtLacpPartnerOnM2): m2 holds every bucket, m1 neither collects nor
    distributes."""

    @classmethod
    def setUpClass(cls):
        c = cls
        rng = random.Random(19)
        c.flows = net_frames(rng, HOST1, 50, 0)
        c.bc = bcasts(3, 60)
        c.unk = [host_frame(R1, UNK, "198.19.2.1", "198.19.9.%d" % (i + 1), 8200 + i, 53, size=94)
                 for i in range(3)]
        # entering m1 (read at start: m1 never collects, so timing does not matter)
        c.m1_100 = ([host_frame(BMC, R1, "198.19.11.1", "198.19.2.%d" % (i + 1), 6100 + i, 22,
                                vlan=100, size=84 + i) for i in range(4)] +
                    [host_frame(HOST2, R1, "198.19.12.1", "198.19.2.9", 6200, 443, vlan=100,
                                size=88),
                     bcast_frame(BMC, vlan=100, ident=81)])
        c.m1_200 = [host_frame(BMC, R1, "198.19.11.1", "198.19.2.1", 6300 + i, 22, vlan=200,
                               size=80) for i in range(4)]
        c.m1_untagged = [host_frame(BMC, R1, "198.19.11.1", "198.19.2.1", 6400 + i, 22, size=76)
                         for i in range(3)]
        st = ST_ACTIVITY | ST_AGGREGATION | ST_SYNC | ST_COLLECTING | ST_DISTRIBUTING
        c.pdu = lacpdu(lacp_info(22, "00:00:00:00:00:22", 22, 255, 1, st),
                       lacp_info(11, "00:00:00:00:00:11", 11, 255, 2, st))
        net = ([vxlan4(f, 5001, src=REMOTE) for f in c.flows + c.bc + c.unk] +
               [vxlan4(f, 5002, src=REMOTE) for f in c.flows + c.bc + c.unk])
        c.lab = E.Lab("lag-mgmt-vlan-partner")
        run = FifoRun(c.lab, MV_PARTNER, {"m1": c.m1_100 + c.m1_200 + c.m1_untagged},
                      ["m2", "uplink"], "run")
        try:
            run.wait_for("show lacp", lambda o: show_lacp(o)["lag1"]["members"]["m2"]["Oper state"]
                         == "up", "m2 up in LACP")
            run.feed("m2", [c.pdu])
            c.lag1 = run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["ndist"] == 1,
                                  "m2 distributing")
            run.feed("uplink", net)
            run.wait_for("show port stats all", stats_pred("uplink", "RX-packets", len(net)),
                         "the network's frames received")
            run.cmd("wait idle 300")
        finally:
            c.res = run.quit()
        c.data = {p: [f for f in c.res.out(p) if not is_slow(f)] for p in ("m1", "m2")}

    def test_m2_holds_every_bucket(self):
        g = show_lag(self.lag1)["lag1"]
        self.assertEqual((g["state"], g["ndist"], g["mgmt"]),
                         ("up", 1, "Management member: m1 (up), 0 MAC(s), vlan 100"))
        got = {m: (g["members"][m]["Collecting"], g["members"][m]["Distributing"],
                   g["members"][m]["Buckets"]) for m in ("m1", "m2")}
        self.assertEqual(got, {"m1": ("no", "no", "0"), "m2": ("yes", "yes", "256")})

    def test_vlan_100_unicast_on_m1(self):
        exp = [tag(f, 100) for f in self.flows]
        self.assertFrames(on(exp, self.data["m1"]), exp, "VLAN 100 flows on m1", ordered=False)
        self.assertEqual(on(exp, self.data["m2"]), [], "VLAN 100 flows on m2")

    def test_vlan_200_unicast_on_m2(self):
        exp = [tag(f, 200) for f in self.flows]
        self.assertFrames(on(exp, self.data["m2"]), exp, "VLAN 200 flows on m2", ordered=False)
        self.assertEqual(on(exp, self.data["m1"]), [], "VLAN 200 flows on m1")

    # m1 takes every flooded frame but the host does not collect there: one more
    # copy on a hashed distributing member (m2), for both VLANs
    def test_flooded_once_on_each(self):
        for vid in (100, 200):
            exp = [tag(f, vid) for f in self.bc + self.unk]
            for p in ("m1", "m2"):
                self.assertFrames(on(exp, self.data[p]), exp, "VLAN %d flooded frames on %s"
                                  % (vid, p), ordered=False)

    def test_rx_on_m1_management_vlan_only(self):
        vx = self.res.out("uplink")
        inners = []
        for n, pkt in enumerate(vx):
            f = E.parse_vxlan(pkt)
            E.assert_vxlan(pkt, inner=f["inner"], vni=5001, dst_ip=REMOTE,
                           what="uplink packet #%d" % n)
            inners.append(f["inner"])
        self.assertFrames(inners, [E.untag(f) for f in self.m1_100],
                          "VXLAN to the VTEP: the VLAN 100 frames that entered m1", ordered=False)

    def test_totals_and_drops(self):
        self.assertEqual(len(self.data["m1"]) + len(self.data["m2"]),
                         2 * len(self.flows) + 4 * (len(self.bc) + len(self.unk)),
                         "data frames on m1+m2")
        self.res.assert_drops({"lag-not-collecting": len(self.m1_200) + len(self.m1_untagged)})
        p = self.res.ports
        self.assertEqual((p["m1"]["rx_packets"], p["m1"]["dropped"]),
                         (len(self.m1_100) + len(self.m1_200) + len(self.m1_untagged),
                          len(self.m1_200) + len(self.m1_untagged)), "m1 RX, dropped")
        self.res.assert_no_mbuf_leak()


# ================================================== 8. min-links, mode lacp --

ML_LACP = HEAD + "ports:\n" + access("m1") + access("m2", "    admin-state: disable\n") + \
    UPLINK + """
lags:
  - name: lag1
    members: [{port: m1, port-number: 1}, {port: m2, port-number: 2}]
    mode: lacp
    min-links: 2
    lacp: {interval: slow, system-id: "00:00:00:00:00:11", system-priority: 11, key: 11}
mac-vrfs:
  - name: A
    vni: 5001
    attachments: [{port: lag1, vlan: untagged}]
    remote-vteps: [198.18.0.2]
""" + WORKERS

ML_PARTNER = "00:c1:ab:00:00:22"
ST_SCD = ST_SYNC | ST_COLLECTING | ST_DISTRIBUTING
ST_IN_USE = ST_ACTIVITY | ST_AGGREGATION | ST_SCD        # 0x3d, long timeout


class MinLinksLacp(E.EvfTestCase):
    """min-links 2 with mode lacp. Phases: A partner on m1 only (m2 admin
    down); B m2 started and its partner PDU read; C m2 stopped. The partner
    (system 00:c1:ab:00:00:22, key 22, slow: its information stays current for
    90 s) sends one in-sync, collecting, distributing PDU per member."""

    @classmethod
    def setUpClass(cls):
        c = cls
        c.pdu = {n: lacpdu(lacp_info(22, ML_PARTNER, 22, 255, n, ST_IN_USE),
                           lacp_info(11, "00:00:00:00:00:11", 11, 255, n, ST_IN_USE),
                           src="00:c1:ab:00:0f:%02x" % n) for n in (1, 2)}
        c.lab = E.Lab("lag-minlinks-lacp")
        run = FifoRun(c.lab, ML_LACP, {}, ["m1", "m2"], "run")
        c.shows = {}
        try:
            # failed waits are not fatal here: each phase's test reports what it saw
            run.run.wait_for("show lacp", lambda o: show_lacp(o)["lag1"]["members"]["m1"]
                             ["Oper state"] == "up", timeout=10)
            run.feed("m1", [c.pdu[1]])
            run.run.wait_for("show lacp", lambda o: show_lacp(o)["lag1"]["members"]["m1"]
                             ["Receive"] == "current", timeout=10)
            run.cmd("sleep 3000")   # past the 2 s aggregate wait
            c.shows["A"] = (run.cmd("show lacp"), run.cmd("show lag"))
            # m2 is stopped: its FIFO is not read until `port start m2`
            run.feed("m2", [c.pdu[2]])
            run.cmd("port start m2")
            run.run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["ndist"] == 2, timeout=10)
            run.cmd("sleep 1500")   # PDUs held back by the 3-per-second limit go out
            c.shows["B"] = (run.cmd("show lacp"), run.cmd("show lag"))
            run.cmd("port stop m2")
            run.run.wait_for("show lag", lambda o: show_lag(o)["lag1"]["state"] == "down",
                             timeout=10)
            run.cmd("sleep 1500")
            c.shows["C"] = (run.cmd("show lacp"), run.cmd("show lag"))
        finally:
            c.res = run.quit()
        c.pdus = {p: [parse_lacpdu(f) for f in c.res.out(p) if is_slow(f)] for p in ("m1", "m2")}

    def phase(self, ph):
        if ph not in self.shows:
            self.fail("phase %s was not reached" % ph)
        lacp, lag = self.shows[ph]
        return show_lacp(lacp)["lag1"], show_lag(lag)["lag1"]

    def sent(self, port, ph):
        """The LACPDUs port sent by the end of phase ph (show lag LACPDU-out)."""
        return self.pdus[port][:int(self.phase(ph)[1]["members"][port]["LACPDU-out"])]

    def assert_out_of_sync_pdus(self, pdus, what):
        """pdus: m1's PDUs of a phase below min-links. Those sent with the
        partner's information recorded (there is at least one: the partner's
        PDU asked for it) say Synchronization, Collecting, Distributing 0."""
        recorded = [d for d in pdus if d["partner"]["system"] == ML_PARTNER]
        self.assertTrue(recorded, "%s: no LACPDU on m1 naming the partner (states %s)"
                        % (what, [decode_state(d["actor"]["state"]) for d in pdus]))
        for n, d in enumerate(recorded):
            self.assertEqual(decode_state(d["actor"]["state"] & ST_SCD), "-",
                             "%s: m1 LACPDU #%d actor state %s (0x%02x) while below min-links"
                             % (what, n, decode_state(d["actor"]["state"]), d["actor"]["state"]))
            self.assertEqual(d["actor"]["state"] & (ST_DEFAULTED | ST_EXPIRED), 0, what)
            a = dict(d["actor"])
            a.pop("state")
            self.assertEqual(a, {"sys_prio": 11, "system": "00:00:00:00:00:11", "key": 11,
                                 "port_prio": 255, "port": 1, "reserved": bytes(3)}, what)
            pa = dict(d["partner"])
            self.assertEqual(pa, {"sys_prio": 22, "system": ML_PARTNER, "key": 22,
                                  "port_prio": 255, "port": 1, "state": ST_IN_USE,
                                  "reserved": bytes(3)}, what + " partner")

    def assert_lacp_row(self, lacp, m, state, partner_id, what):
        r = lacp["members"][m]
        self.assertEqual((r["Oper state"], r["State"], r["Partner Id"], r["Partner Key"],
                          r["Receive"]), ("up", state, partner_id, "22", "current"),
                         "%s: show lacp %s" % (what, m))

    def test_a_partner_on_m1_only(self):
        lacp, lag = self.phase("A")
        self.assert_out_of_sync_pdus(self.sent("m1", "A"), "phase A")
        self.assertEqual((lag["state"], lag["min_links"], lag["ndist"]), ("down", 2, 0),
                         "phase A show lag")
        self.assertEqual(lacp["members"]["m2"]["Oper state"], "down", "phase A m2")
        # 802.1AX STANDBY selection: m1 could aggregate, but alone is below min-links
        self.assertEqual((lacp["members"]["m1"]["Selected"], lacp["members"]["m1"]["Mux"],
                          lag["members"]["m1"]["Selected"], lag["members"]["m1"]["Collecting"],
                          lag["members"]["m1"]["Distributing"], lag["members"]["m1"]["Buckets"]),
                         ("standby", "waiting", "standby", "no", "no", "0"), "phase A m1")
        self.assert_lacp_row(lacp, "m1", "OUT_SYNC/True/False/False", "00:C1:AB:00:00:22",
                             "phase A")

    def test_b_both_members_in_use(self):
        lacp, lag = self.phase("B")
        self.assertEqual((lag["state"], lag["ndist"]), ("up", 2), "phase B show lag")
        for m in ("m1", "m2"):
            self.assertEqual((lag["members"][m]["Collecting"], lag["members"][m]["Distributing"],
                              lag["members"][m]["Buckets"]), ("yes", "yes", "128"), m)
            self.assert_lacp_row(lacp, m, "IN_SYNC/True/True/True", "00:C1:AB:00:00:22",
                                 "phase B")
            self.assertEqual((lacp["members"][m]["Selected"], lacp["members"][m]["Mux"],
                              lacp["members"][m]["Actor state"]),
                             ("yes", "distributing", "0x%02x" % ST_IN_USE), m)
            pdus = self.sent(m, "B")
            self.assertTrue(pdus, "no LACPDU on %s" % m)
            self.assertEqual(decode_state(pdus[-1]["actor"]["state"]), decode_state(ST_IN_USE),
                             "phase B: the last LACPDU on %s" % m)
            self.assertEqual(pdus[-1]["partner"]["system"], ML_PARTNER, m)

    def test_c_m2_stopped(self):
        lacp, lag = self.phase("C")
        n_b = len(self.sent("m1", "B"))
        self.assert_out_of_sync_pdus(self.sent("m1", "C")[n_b:], "phase C")
        self.assertEqual((lag["state"], lag["ndist"], lag["members"]["m2"]["Link"]),
                         ("down", 0, "stopped"), "phase C show lag")
        self.assertEqual(lacp["members"]["m2"]["Oper state"], "down", "phase C m2")
        self.assertEqual((lacp["members"]["m1"]["Selected"], lacp["members"]["m1"]["Mux"],
                          lag["members"]["m1"]["Collecting"], lag["members"]["m1"]["Distributing"],
                          lag["members"]["m1"]["Buckets"]),
                         ("standby", "waiting", "no", "no", "0"), "phase C m1")
        self.assert_lacp_row(lacp, "m1", "OUT_SYNC/True/False/False", "00:C1:AB:00:00:22",
                             "phase C")

    def test_pdus_all_sent(self):
        # every PDU counted by LACPDU-out of m1 is in its pcap, nothing else left m1
        self.assertEqual(len(self.sent("m1", "C")), len(self.pdus["m1"]))
        self.assertEqual([f for f in self.res.out("m1") if not is_slow(f)], [])
        self.res.assert_no_mbuf_leak()


if __name__ == "__main__":
    E.main()
