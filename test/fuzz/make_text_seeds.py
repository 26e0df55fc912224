#!/usr/bin/python3
"""make_text_seeds.py: write the seed corpora of the text fuzzers (deterministic).

  --cfg DIR     fuzz_cfg: conf/examples/*.yaml and conf/demo.yaml (given with
                --conf), plus small configs that reach each section and some
                classic YAML troubles (anchors, flow/block mix, tags, deep
                nesting, documents, NUL escapes)
  --route DIR   fuzz_route_text: one line per route form of doc/routes.md
                (byte 0 even), and the same routes as NUL-separated words (odd)
  --shell DIR   fuzz_shell: every command of "help", with good and bad
                arguments, a few lines per seed (names from fuzz_shell.c's config)

usage: make_text_seeds.py [--conf DIR]... [--cfg DIR] [--route DIR] [--shell DIR]
                          [--mkdir DIR]... [--stamp FILE]
"""
import argparse
import glob
import os
import sys

CFG_SMALL = {
    "minimal": "node: {}\nports: [{name: h, device: d, role: access}]\n",
    "network": ("node: {vtep-ipv4: 198.18.0.1, vtep-ipv6: '2001:2::1', udp-port: 4790, ttl: 9,"
                " udp6-zero-checksum: true, fdb-capacity: 4096, mbufs: 8192}\n"
                "ports:\n  - {name: up, device: d0, role: network, next-hop-mac: 02:00:00:00:00:fe,"
                " vlan: 100, mtu: 9000, rx-queues: 2, rx-descriptors: 512,"
                " tx-descriptors: 512}\n  - {name: h, device: d1, role: access,"
                " admin-state: disable}\n"),
    "macvrf": ("node: {vtep-ipv4: 198.18.0.1}\n"
               "ports: [{name: up, device: d0, role: network, next-hop-mac: 02:00:00:00:00:fe},"
               " {name: h, device: d1, role: access}]\n"
               "mac-vrfs:\n  - name: a\n    vni: 10\n    evi: 11\n    mac-aging: 0\n"
               "    learning: false\n    mac-limit: 5\n    allow-inner-vlan: true\n"
               "    attachments: [{port: h, vlan: untagged}, {port: h, vlan: 7}]\n"
               "    remote-vteps: [198.18.0.2]\n"
               "    remote-macs: [{mac: 00:c1:ab:00:00:01, vtep: 198.18.0.2}]\n"
               "    static-macs: [{mac: 00:c1:ab:00:00:02, port: h, vlan: 7}]\n"
               "    mac-duplication: {action: blackhole, num-moves: 3, monitoring-window: 10,"
               " hold-down: 0}\n"),
    "lag-es": ("node: {vtep-ipv4: 198.18.0.1, mac: 02:00:00:00:00:01}\n"
               "ports: [{name: a, device: d0, role: access}, {name: b, device: d1, role: access}]\n"
               "lags:\n  - name: lag1\n    members: [{port: a, port-number: 1, port-priority: 9},"
               " b]\n    mode: lacp\n    lacp: {activity: passive, interval: fast,"
               " system-id: '00:00:00:00:00:11', system-priority: 11, key: 11}\n"
               "    min-links: 2\n    tx-hash: l23\n"
               "    management: {member: a, macs: [00:c1:ab:00:0b:01], vlan: 5}\n"
               "mac-vrfs: [{name: m, vni: 1, attachments: [{port: lag1, vlan: untagged}]}]\n"
               "ethernet-segments:\n  - name: es1\n    esi: 00:11:11:11:11:11:11:11:11:01\n"
               "    mode: single-active\n    interface: lag1\n"
               "    df-election: {algorithm: preference, preference: 100, dont-preempt: true}\n"
               "    df-timer: 3\n    activation-timer: 1\n"),
    "ctlsock": ("node: {name: n1}\nports: [{name: h, device: d, role: access}]\n"
                "control-socket: {path: /run/evfwd/x.sock, max-clients: 1024,"
                " output-buffer: 4096}\n"),
    "ctlsock-default": "node: {}\nports: [{name: h, device: d, role: access}]\ncontrol-socket:\n",
    "ring-workers": ("node: {}\nports: [{name: h, device: d, role: access}]\n"
                     "control-ring: {name: /evf-fuzz, records: 64, event-records: 64, hold-time: 5,"
                     " batch: 16, producer-timeout: 3}\n"
                     "workers: {count: 2, lcores: [1, 2], burst: 16, idle-sleep-us: 10}\n"),
    "anchors": ("node: &n {vtep-ipv4: 198.18.0.1}\nports:\n  - &p {name: h, device: d, role: access}\n"
                "  - *p\nmac-vrfs: [{name: a, vni: 1, attachments: [&at {port: h, vlan: 1}, *at]}]\n"),
    "tags": "!!map {node: !!map {}, ports: !!seq [{name: !!str h, device: d, role: access}]}\n",
    "documents": "---\nnode: {}\nports: [{name: h, device: d, role: access}]\n...\n---\n{}\n",
    "deep": "node: {}\nports: [{name: h, device: d, role: access}]\nx: " + "[" * 70 + "]" * 70 + "\n",
    "nul": "node: {name: \"a\\0b\"}\nports: [{name: h, device: d, role: access}]\n",
    "untagged-nul": ("node: {}\nports: [{name: h, device: d, role: access}]\n"
                     "mac-vrfs: [{name: a, vni: 1, attachments: [{port: h, vlan: \"untagged\\0\"}]}]\n"),
    "block-scalars": "node:\n  name: |\n    abc\nports:\n  - name: >-\n      h\n    device: d\n    role: access\n",
    "complex-key": "? [a, b]\n: 1\nnode: {}\n",
}

ESI = "01:11:11:11:11:11:11:00:00:01"
ROUTES = [
    "rt1 add esi %s vtep 198.18.0.1" % ESI,
    "rt1 add esi %s vtep 198.18.0.1 single-active" % ESI,
    "rt1 del esi %s vtep 2001:2::1 etag max" % ESI,
    "rt1 add esi %s vni 100 vtep 198.18.0.1" % ESI,
    "rt2 add vni 100 mac 00:c1:ab:00:00:11 vtep 198.18.0.1",
    "rt2 add vni 100 mac 00:c1:ab:00:00:11 vtep 198.18.0.1 esi %s ip 198.18.5.1 seq 7 sticky" % ESI,
    "rt2 del vni 200 mac 00:c1:ab:00:00:12 vtep 2001:2::1 ip 2001:2::99 seq 4294967295",
    "rt3 add vni 100 vtep 198.18.0.2",
    "rt3 del vni 16777215 vtep 2001:2::2",
    "rt4 add esi %s vtep 198.18.0.1" % ESI,
    "rt4 add esi %s vtep 198.18.0.1 df-alg hrw" % ESI,
    "rt4 add esi %s vtep 198.18.0.1 df-alg preference pref 100 dont-preempt" % ESI,
    "rt4 add esi %s vtep 198.18.0.1 df-alg 200 pref 5" % ESI,
    "# a comment",
    "rt2 add vni 0 mac 00:c1:ab:00:00:11 vtep 198.18.0.1",
    "rt2 add vni 100 vni 100 mac 00:c1:ab:00:00:11",
]

SHELL = [
    ["help", "show port stats", "show port stats all", "show port stats host1", "show port info"],
    ["show mac-vrf", "show mac-vrf blue", "show mac-vrf nope", "show fdb", "show fdb mac-vrf red"],
    ["show vteps", "show drops", "show drops all", "show workers", "show learning", "show xdp",
     "show control-socket"],
    ["show es", "show es ES-1", "show es %s" % ESI, "show df", "show routes", "show ring"],
    ["show lacp", "show lacp lag1", "show lag", "show lag lag1", "show lag nope"],
    ["show events", "show events 5", "show events 0", "show events 99999999999"],
    ["clear stats", "clear mac-duplication", "echo marker", "sleep 10", "wait idle 5"],
    ["port stop host1", "port start host1", "port stop all", "port start all", "port stop nope"],
    ["route add " + r for r in ROUTES[:7]],
    ["route add " + r for r in ROUTES[7:13]] + ["route del " + ROUTES[4][8:]],
    ["route add rt2", "route del", "route add rt9 x", "route add rt2 vni 100 mac zz vtep 1"],
    ["", "   ", "# comment", "\tshow fdb", "show  fdb", "quit", "exit"],
    ["bogus", "show", "show port", "port", "port start", "sleep", "sleep x", "echo"],
]


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data if isinstance(data, bytes) else data.encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conf", action="append", default=[])
    ap.add_argument("--cfg")
    ap.add_argument("--route")
    ap.add_argument("--shell")
    ap.add_argument("--mkdir", action="append", default=[])
    ap.add_argument("--stamp")
    a = ap.parse_args()
    for d in a.mkdir + [x for x in (a.cfg, a.route, a.shell) if x]:
        os.makedirs(d, exist_ok=True)
    if a.cfg:
        n = 0
        for c in a.conf:
            for path in sorted(glob.glob(os.path.join(c, "*.yaml"))):
                with open(path, "rb") as fh:
                    write(a.cfg, "conf-" + os.path.basename(path), fh.read())
                n += 1
        if a.conf and n == 0:
            sys.exit("make_text_seeds: no .yaml in %s" % ", ".join(a.conf))
        for name, text in CFG_SMALL.items():
            write(a.cfg, name + ".yaml", text)
    if a.route:
        for i, r in enumerate(ROUTES):
            write(a.route, "line-%02d" % i, b"\x00" + r.encode())
            write(a.route, "words-%02d" % i, b"\x01" + r.replace(" ", "\x00").encode())
    if a.shell:
        for i, lines in enumerate(SHELL):
            write(a.shell, "cmds-%02d" % i, "\n".join(lines) + "\n")
    if a.stamp:
        write(os.path.dirname(a.stamp) or ".", os.path.basename(a.stamp), "")


if __name__ == "__main__":
    main()
