#!/usr/bin/python3
"""mhlib.py: shared pieces of the multihoming scenario tests (suite "mh").

Built on test/pkt/evfpkt.py (imported through sys.path). The address plan maps
the SR Linux EVPN multihoming lab (learn-srlinux "evpn-mh01"):

    leaf1 198.18.0.1 --+-- ES-1 01:11:11:11:11:11:11:00:00:01 -- ce1 (00:c1:ab:00:00:11)
    leaf2 198.18.0.2 --+
    leaf3 198.18.0.3 ----- ce2 (00:c1:ab:00:00:21..23)

Helpers here: YAML configuration text, route commands, parsers for the shell
views ("show es", "show df", "show routes", "show events", the replies to
"route ..."), DF election models (RFC 7432 8.5 modulo, RFC 8584 3.2 HRW) and
running several evfwd instances side by side.
"""
import ipaddress
import os
import random
import re
import sys
import threading
import zlib

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "pkt"))
import evfpkt as E  # noqa: E402

# ------------------------------------------------------------ the lab --

ESI1 = "01:11:11:11:11:11:11:00:00:01"
ESI1_BYTES = bytes(int(x, 16) for x in ESI1.split(":"))
CE1 = "00:c1:ab:00:00:11"
CE2 = ["00:c1:ab:00:00:21", "00:c1:ab:00:00:22", "00:c1:ab:00:00:23", "00:c1:ab:00:00:24"]
CE1_IP, CE2_IP = "192.168.0.11", "192.168.0.21"
LEAF = {1: "198.18.0.1", 2: "198.18.0.2", 3: "198.18.0.3"}
ME_MAC = E.ME_MAC
NH_MAC = E.NH_MAC


def node_yaml(name, vtep):
    return ("node:\n  name: %s\n  vtep-ipv4: %s\n  mac: %s\n" % (name, vtep, ME_MAC))


def port_yaml(name, role="access", enabled=True):
    s = "  - name: %s\n    device: \"{dev:%s}\"\n    role: %s\n" % (name, name, role)
    if role == "network":
        s += "    next-hop-mac: %s\n    mtu: 1600\n" % NH_MAC
    if not enabled:
        s += "    admin-state: disable\n"
    return s


def workers_yaml():
    return "workers:\n  count: 1\n  idle-sleep-us: 20\n"


# ------------------------------------------------------ route commands --

def rt1_es(vtep, esi=ESI1, op="add", single_active=False):
    return "route %s rt1 esi %s vtep %s%s" % (op, esi, vtep, " single-active" if single_active else "")


def rt1_evi(vni, vtep, esi=ESI1, op="add"):
    return "route %s rt1 esi %s vni %d vtep %s" % (op, esi, vni, vtep)


def rt2(vni, mac, vtep, esi=None, seq=0, op="add", sticky=False):
    s = "route %s rt2 vni %d mac %s" % (op, vni, mac)
    if esi is not None:
        s += " esi %s" % esi
    return s + " vtep %s seq %d" % (vtep, seq) + (" sticky" if sticky else "")


def rt3(vni, vtep, op="add"):
    return "route %s rt3 vni %d vtep %s" % (op, vni, vtep)


def rt4(vtep, esi=ESI1, alg=None, pref=None, dp=False, op="add"):
    s = "route %s rt4 esi %s vtep %s" % (op, esi, vtep)
    if alg:
        s += " df-alg %s" % alg
    if pref is not None:
        s += " pref %d" % pref
    return s + (" dont-preempt" if dp else "")


# ---------------------------------------------------- shell parsing --

def route_replies(res):
    """[(command, kind, detail)] for every 'route ...' command of a run, in order.
    kind: 'applied', 'rejected' (detail: the reason), 'not-applied' (detail: the
    parser's message) or 'none' (no reply line: detail is the whole output)."""
    out = []
    for cmd, lines in res.sections:
        if not cmd.startswith("route "):
            continue
        text = "\n".join(lines)
        m = re.search(r"^(.*): applied$", text, re.M)
        if m:
            out.append((cmd, "applied", m.group(1)))
            continue
        m = re.search(r"^(.*): rejected \(([^)]*)\)$", text, re.M)
        if m:
            out.append((cmd, "rejected", m.group(2)))
            continue
        m = re.search(r"^Route not applied: (.*)$", text, re.M)
        if m:
            out.append((cmd, "not-applied", m.group(1)))
            continue
        out.append((cmd, "none", text))
    return out


def assert_all_applied(tc, res):
    bad = [r for r in route_replies(res) if r[1] != "applied"]
    tc.assertEqual(bad, [], "route commands that were not applied")


def table(lines):
    """Rows (dicts) of the first text table in lines (a header followed by dashes)."""
    for i in range(len(lines) - 1):
        if lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"} and lines[i].strip():
            end = i + 2
            # rows end at a blank line or a "Key: value" trailer ("This node: ...")
            while end < len(lines) and lines[end].strip() and \
                    not re.match(r"^[A-Za-z][A-Za-z -]*: ", lines[end]):
                end += 1
            rows, _ = E.parse_table(lines[:end], i)
            return rows
    return []


def show(res, cmd, index=0):
    """Output lines of the index-th run of a shell command."""
    outs = res.outputs_of(cmd)
    if index >= len(outs):
        raise AssertionError("no output #%d of '%s' (ran %d times)" % (index, cmd, len(outs)))
    return outs[index]


def show_df(res, index=0):
    """{(segment, mac-vrf): row} of the index-th 'show df'."""
    return {(r["Segment"], r["MAC-VRF"]): r for r in table(show(res, "show df", index))}


def show_es(res, index=0):
    """{name: row} of the index-th 'show es'."""
    return {r["Name"]: r for r in table(show(res, "show es", index))}


def fdb_row(res, mac, index=0, cmd="show fdb"):
    """The FDB row of mac (any MAC-VRF when there is one), or None."""
    rows = [r for r in res.fdb(index, cmd) if r["Address"].lower() == mac.lower()]
    if len(rows) > 1:
        raise AssertionError("%s listed %d times in '%s'" % (mac, len(rows), cmd))
    return rows[0] if rows else None


_EV = re.compile(r"^\s*(\d+)\s+t=(\d+)\s+(\S+)\s*(.*)$")


def events(res, index=0, cmd="show events"):
    """[(seq, type, fields dict, text)] of the index-th 'show events'."""
    out = []
    for line in show(res, cmd, index):
        m = _EV.match(line)
        if not m:
            continue
        rest = m.group(4)
        f = {}
        words = rest.split()
        for k in ("vni", "mac", "seq", "esi", "pref"):
            if k in words and words.index(k) + 1 < len(words):
                f[k] = words[words.index(k) + 1]
        if m.group(3) == "df-change":
            f["df"] = words[-1] == "DF"
        out.append((int(m.group(1)), m.group(3), f, rest))
    return out


def route_counters(res, index=0):
    """(applied {('rt1','add'): n, ...}, results {'ok': n, 'bad-esi': n, ...}) of 'show routes'."""
    lines = show(res, "show routes", index)
    applied, results = {}, {}
    for line in lines:
        if line.startswith("Routes applied:"):
            for t, a, d in re.findall(r"(rt\d) \+(\d+)/-(\d+)", line):
                applied[(t, "add")] = int(a)
                applied[(t, "del")] = int(d)
        elif line.startswith("Results:"):
            for name, n in re.findall(r"([a-z-]+) (\d+)", line[len("Results:"):]):
                results[name] = int(n)
    return applied, results


# --------------------------------------------------------- DF models --

def _ipkey(ip):
    a = ipaddress.ip_address(ip)
    return (a.version, int(a))


def df_modulo(candidates, evi):
    """RFC 7432 8.5: candidates ordered by address, DF = the (evi mod N)-th."""
    c = sorted(candidates, key=_ipkey)
    return c[evi % len(c)]


def hrw_weight(v, esi_bytes, ip):
    """RFC 8584 3.2: Wrand(v, Es, Si) with D = CRC-32 of v (4 bytes) + ESI, 31 bits."""
    si = int(ipaddress.IPv4Address(ip))
    d = zlib.crc32(v.to_bytes(4, "big") + esi_bytes) & 0x7fffffff
    return (1103515245 * (((1103515245 * si + 12345) % 2 ** 31) ^ d) + 12345) % 2 ** 31


def df_hrw(candidates, evi, esi_bytes=ESI1_BYTES):
    """Highest weight wins, a tie goes to the lowest address."""
    return sorted(candidates, key=lambda ip: (-hrw_weight(evi, esi_bytes, ip), _ipkey(ip)))[0]


# ------------------------------------------------------------- frames --

def flow_ports(n, seed):
    """n distinct (UDP source port, destination port) pairs drawn from a seeded
    generator: like real flows, without a pattern shared by all of them."""
    r, seen = random.Random(seed), set()
    while len(seen) < n:
        seen.add((r.randrange(1024, 65536), r.randrange(1, 65536)))
    return sorted(seen)


def flows(src_mac, dst_mac, n, sip=CE2_IP, dip=CE1_IP, seed=0, size=80, tag=0, ports=None):
    """n distinct UDP flows (ports from flow_ports(n, seed) unless given); the payload
    carries tag and the flow number so that every frame is unique."""
    out = []
    for i, (sp, dp) in enumerate(ports or flow_ports(n, seed)):
        out.append(E.host_frame(src_mac, dst_mac, sip, dip, sp, dp, size=size,
                                payload=b"mh%02d%05d" % (tag, i)))
    return out


def split_by_vtep(frames):
    """{outer destination IP: [parsed dicts]} of VXLAN frames."""
    by = {}
    for f in frames:
        p = E.parse_vxlan(f)
        by.setdefault(p["ip_dst"], []).append(p)
    return by


def split_text(by, total):
    return ", ".join("%s %d (%.1f%%)" % (ip, len(v), 100.0 * len(v) / total)
                     for ip, v in sorted(by.items()))


# ----------------------------------------------------- parallel runs --

def run_many(lab, jobs):
    """Run several evfwd instances at the same time. jobs: {tag: (config, inputs, cmds)}.
    Returns {tag: Result}; the first failure is raised once all have ended."""
    results, errors = {}, {}

    def one(tag, config, inputs, cmds):
        try:
            results[tag] = lab.run(config, inputs, cmds=cmds, tag=tag)
        except BaseException as e:  # noqa: B902 - reported below
            errors[tag] = e

    threads = [threading.Thread(target=one, args=(t,) + tuple(j)) for t, j in jobs.items()]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        lab.failed = True
        tag = sorted(errors)[0]
        raise AssertionError("evfwd instance %s failed: %s" % (tag, errors[tag]))
    return results
