#!/usr/bin/python3
"""record_gobgp_samples.py: record the GoBGP JSON of test/ring/gobgp_samples/.

    test/ring/record_gobgp_samples.py [--out DIR] [--net 127.65.0] [--bgp-port 10179]

Not a test: run by hand (about 15 s, no root) when the samples must be made
again, e.g. for another GoBGP version; then check the new files with
evfwd-gobgp's Go tests (`meson test -C build gobgp-go`: TestDecodeCLISamples
and TestDecodeRecordedTables decode them) and look at the diff (the "age"
fields, absolute times, always change; nothing reads them).

Three private gobgpd (Debian package gobgpd 3.10) on loopback addresses of
127.0.0.0/8 (--net X.Y.Z gives X.Y.Z.1..3), each with its gRPC API on
port 50051 of its address and BGP on --bgp-port (not 179, so no root is
needed), all in AS 65000 with the l2vpn-evpn family:
    A  X.Y.Z.1, router-id 10.0.0.1: the injector, peers with B and C;
    B  X.Y.Z.2, router-id 10.0.0.2: the recorded speaker, peers with A;
    C  X.Y.Z.3, router-id 10.0.0.3: the other PE of a MAC move, peers with A
       only (iBGP: A does not pass C's routes on to B).
Routes are injected on A with the gobgp CLI; B's
`gobgp monitor global rib -a evpn -j` is recorded, and after every command
the recorder waits for the one monitor line it must cause. Next hops,
originator IPs, RDs, MACs and ESIs are route data chosen here (next hop
127.0.0.1, RD admin 10.0.0.1 as in the tests' expectations), independent of
the addresses the speakers use.

MAC mobility: GoBGP's CLI has no keyword for the MAC mobility extended
community, but gobgpd adds one itself (RFC 7432 15) to a locally added
MAC/IP route when its RIB already holds a route for the same MAC and
Ethernet tag from a peer: sequence = the highest one seen + 1, and a local
route for the MAC is withdrawn when a peer's route with a higher sequence
arrives. Before B's monitor starts, A and C add 02:00:00:00:00:07 in turn
until C's route carries sequence 6 (which withdraws A's: B is left with
nothing); in the recorded stream A adds it once more and it leaves A with
sequence 7.

Not recordable with the CLI (evfwd-gobgp's Go tests build these paths by
hand instead): the single-active flag of the ESI label extended
community (the a-d parser takes one argument after esi-label; only the gRPC
API sets it) and the gRPC watch form of paths (ESI as {type, base64 value}).

Files written (only after the whole recording succeeded):
  type*_add.json, type*_withdraw.json  one path of B's monitor each,
                                       re-indented (json indent 2)
  rib_b_snapshot.json                  `gobgp global rib -a evpn -j` of B after
                                       the withdrawals, re-indented
  monitor_b_first40.jsonl              the first 40 lines of B's monitor, as
                                       printed (one JSON array per line)
Every process started here (gobgpd under `timeout`, gobgp monitor) is killed
and the temp dir removed, whatever happens.
"""
import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
GOBGPD, GOBGP = shutil.which("gobgpd"), shutil.which("gobgp")
API_PORT = 50051
MONITOR_LINES = 40

CONF = """[global.config]
  as = 65000
  router-id = "{rid}"
  port = {port}
  local-address-list = ["{me}"]
"""
NEIGHBOR = """
[[neighbors]]
  [neighbors.config]
    neighbor-address = "{peer}"
    peer-as = 65000
  [neighbors.transport.config]
    local-address = "{me}"
    remote-port = {port}
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = 30
    keepalive-interval = 10
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
"""

EXT = "rt 65000:100 encap vxlan"
LACP1 = "esi LACP aa:bb:cc:dd:ee:01 1"
LACP2 = "esi LACP aa:bb:cc:dd:ee:02 1"
LACP9 = "esi LACP aa:bb:cc:dd:ee:09 1"
ARB = "esi ARBITRARY 00:11:22:33:44:55:66:77:88"
NH = "nexthop 127.0.0.1"
# name: (NLRI words, also those of del; attribute words of add)
ROUTES = {
    "rt1evi-arb": ("a-d %s etag 0 label 10100 rd 10.0.0.1:100" % ARB, EXT + " " + NH),
    "rt1es-l1": ("a-d %s etag 4294967295 label 0 rd 10.0.0.1:0" % LACP1,
                 EXT + " esi-label 0 " + NH),
    "rt1es-l2": ("a-d %s etag 4294967295 label 0 rd 10.0.0.1:0" % LACP2,
                 EXT + " esi-label 0 " + NH),
    "rt1evi-l1": ("a-d %s etag 0 label 10100 rd 10.0.0.1:100" % LACP1, EXT + " " + NH),
    "rt2-maconly": ("macadv 02:00:00:00:00:01 0.0.0.0 esi 0 etag 0 label 10100 rd 10.0.0.1:100",
                    EXT + " " + NH),
    "rt2-macip": ("macadv 02:00:00:00:00:02 192.168.10.2 %s etag 0 label 10100 rd 10.0.0.1:100"
                  % LACP1, EXT + " router-mac 02:aa:00:00:00:01 " + NH),
    "rt3": ("multicast 127.0.0.1 etag 0 rd 10.0.0.1:100",
            EXT + " pmsi ingress-repl 10100 127.0.0.1 " + NH),
    # ES-Import RT derived by GoBGP from the ESI
    "rt4": ("esi 127.0.0.1 %s rd 10.0.0.1:0" % LACP1, "encap vxlan " + NH),
    # the same RT4 again with one more extended community: an upsert
    "rt4-upsert": ("esi 127.0.0.1 %s rd 10.0.0.1:0" % LACP1, EXT + " " + NH),
    "rt5": ("prefix 10.20.0.0/24 etag 0 label 50000 rd 10.0.0.1:5000",
            "rt 65000:5000 encap vxlan router-mac 02:aa:00:00:00:01 " + NH),
    # old positional form: labels 10100,50000, then the default-gateway flag
    "rt2-twolabels": ("macadv 02:00:00:00:00:03 192.168.10.3 0 10100,50000 default-gateway "
                      "rd 10.0.0.1:100", "rt 65000:100 65000:5000 encap vxlan " + NH),
    "rt2-ipv6": ("macadv 02:00:00:00:00:04 2001:db8::4 %s etag 0 label 10100 rd 65000:100" % ARB,
                 EXT + " " + NH),
    "rt2-mobility": ("macadv 02:00:00:00:00:07 192.168.10.7 %s etag 0 label 10100 "
                     "rd 10.0.0.1:100" % LACP9, EXT + " " + NH),
}
# C's route for the same MAC (another RD, single-homed, next hop 127.0.0.3)
C_MOBILITY = ("macadv 02:00:00:00:00:07 192.168.10.7 etag 0 label 10100 rd 10.0.0.3:100",
              EXT + " nexthop 127.0.0.3")

# the recorded stream: (op, route, sample file of the path it causes, or None)
SCRIPT = [
    ("add", "rt1evi-arb", None),
    ("add", "rt1es-l1", "type1_per_es_add.json"),
    ("add", "rt1es-l2", None),
    ("add", "rt1evi-l1", "type1_per_evi_add.json"),
    ("add", "rt2-maconly", "type2_maconly_add.json"),
    ("add", "rt2-macip", "type2_macip_add.json"),
    ("add", "rt3", "type3_imet_add.json"),
    ("add", "rt4", "type4_es_add.json"),
    ("add", "rt4-upsert", None),
    ("add", "rt5", "type5_prefix_add.json"),
    ("add", "rt2-twolabels", "type2_twolabels_defgw_add.json"),
    ("add", "rt2-ipv6", "type2_ipv6_rdtype0_add.json"),
    ("del", "rt1es-l1", "type1_per_es_withdraw.json"),
    ("del", "rt1evi-l1", "type1_per_evi_withdraw.json"),
    ("del", "rt2-macip", "type2_macip_withdraw.json"),
    ("del", "rt3", "type3_imet_withdraw.json"),
    ("del", "rt4", "type4_es_withdraw.json"),
    ("snapshot", None, "rib_b_snapshot.json"),
    ("add", "rt2-mobility", "type2_macmobility_seq7_add.json"),
]
# then MAC/IP routes 02:01:00:00:00:NN / 10.0.0.NN until the stream has 40 lines


def bulk_route(n):
    return ("macadv 02:01:00:00:00:%02x 10.0.0.%d etag 0 label 10100 rd 10.0.0.1:100" % (n, n),
            EXT + " " + NH)


class Fail(Exception):
    pass


class Lab:
    def __init__(self, net, bgp_port):
        self.ip = {n: "%s.%d" % (net, i) for i, n in enumerate("abc", 1)}
        self.bgp_port = bgp_port
        self.tmp = tempfile.mkdtemp(prefix="evft-gobgp-rec-")
        self.procs = []
        self.monitor = None
        self.lines = queue.Queue()
        self.raw = []

    # ---- processes ----
    def spawn(self, args, **kw):
        p = subprocess.Popen(args, start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except OSError:
                    pass
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cli(self, who, *words, check=True):
        args = [GOBGP, "-u", self.ip[who], "-p", str(API_PORT)] + list(words)
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
        if check and p.returncode != 0:
            raise Fail("%s: rc %d: %s%s" % (" ".join(args), p.returncode, p.stdout[-400:],
                                            p.stderr[-400:]))
        return p.stdout

    def rib(self, who):
        return json.loads(self.cli(who, "global", "rib", "-a", "evpn", "-j") or "{}")

    def route(self, who, op, nlri, attrs):
        words = ["global", "rib", op, "-a", "evpn"] + nlri.split()
        if op == "add":
            words += attrs.split()
        self.cli(who, *words)

    # ---- set-up ----
    def start(self):
        peers = {"a": "bc", "b": "a", "c": "a"}
        rids = {"a": "10.0.0.1", "b": "10.0.0.2", "c": "10.0.0.3"}
        for n in "abc":
            me = self.ip[n]
            text = CONF.format(rid=rids[n], port=self.bgp_port, me=me)
            for q in peers[n]:
                text += NEIGHBOR.format(peer=self.ip[q], me=me, port=self.bgp_port)
            with open(os.path.join(self.tmp, n + ".toml"), "w") as fh:
                fh.write(text)
            log = open(os.path.join(self.tmp, n + ".log"), "w")
            # timeout: a watchdog should this script be killed without its clean-up
            self.spawn(["timeout", "600", GOBGPD, "-f", n + ".toml", "-p", "--api-hosts",
                        "%s:%d" % (me, API_PORT), "--pprof-disable"], cwd=self.tmp,
                       stdout=log, stderr=subprocess.STDOUT)
            log.close()
        for peer in "bc":
            self.wait(lambda: self.established("a", peer), 60,
                      "the session A-%s to be Established" % peer.upper())

    def established(self, who, peer):
        out = self.cli(who, "neighbor", check=False)
        return any(ln.split()[:1] == [self.ip[peer]] and "Establ" in ln for ln in out.splitlines())

    def wait(self, cond, timeout, what):
        end = time.time() + timeout
        while time.time() < end:
            if cond():
                return
            time.sleep(0.2)
        raise Fail("timed out waiting for %s\n%s" % (what, self.logs()))

    def logs(self):
        out = []
        for n in "abc":
            try:
                with open(os.path.join(self.tmp, n + ".log")) as fh:
                    out.append("--- %s.log (tail)\n%s" % (n, "".join(fh.readlines()[-10:])))
            except OSError:
                pass
        return "".join(out)

    # ---- MAC mobility prelude ----
    def seq_of(self, who, rd_admin):
        """MAC mobility sequence of the 02:00:00:00:00:07 route of RD admin
        rd_admin in who's RIB: None if absent, -1 without the community."""
        for paths in self.rib(who).values():
            for p in paths:
                v = p["nlri"]["value"]
                if p["nlri"]["type"] == 2 and v.get("mac") == "02:00:00:00:00:07" and \
                        v["rd"].get("admin") == rd_admin:
                    for a in p["attrs"]:
                        if a.get("type") == 16:
                            for c in a.get("value") or []:
                                if c.get("type") == 6 and c.get("subtype") == 0:
                                    return c["sequence"]
                    return -1
        return None

    def mobility_prelude(self):
        a_nlri, a_attrs = ROUTES["rt2-mobility"]
        self.route("a", "add", a_nlri, a_attrs)
        self.wait(lambda: self.seq_of("c", "10.0.0.1") == -1, 15, "A's first MAC route at C")
        want = 0
        while want <= 6:
            who, other = ("c", "a") if want % 2 == 0 else ("a", "c")
            nlri, attrs = C_MOBILITY if who == "c" else (a_nlri, a_attrs)
            self.route(who, "add", nlri, attrs)
            rd = "10.0.0.3" if who == "c" else "10.0.0.1"
            self.wait(lambda: self.seq_of(who, rd) == want, 15,
                      "sequence %d on %s's own route" % (want, who.upper()))
            self.wait(lambda: self.seq_of(other, rd) == want, 15,
                      "sequence %d from %s at %s" % (want, who.upper(), other.upper()))
            want += 1
        # C's sequence 6 made A withdraw its own route (sequence 5): nothing left at B
        self.wait(lambda: self.seq_of("a", "10.0.0.1") is None, 15, "A to withdraw its route")
        self.wait(lambda: self.rib("b") == {}, 15, "B's RIB to be empty")

    # ---- the recorded stream ----
    def start_monitor(self):
        self.monitor = self.spawn([GOBGP, "-u", self.ip["b"], "-p", str(API_PORT), "monitor",
                                   "global", "rib", "-a", "evpn", "-j"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def reader():
            for ln in self.monitor.stdout:
                self.lines.put(ln)
        threading.Thread(target=reader, daemon=True).start()
        time.sleep(2)   # the watch is registered asynchronously; nothing to wait on

    def next_line(self, what):
        try:
            ln = self.lines.get(timeout=15)
        except queue.Empty:
            raise Fail("no monitor line from B for %s\n%s" % (what, self.logs()))
        self.raw.append(ln)
        paths = json.loads(ln)
        if len(paths) != 1:
            raise Fail("%s: %d paths in one monitor line" % (what, len(paths)))
        return paths[0]

    def step(self, op, nlri, attrs, what):
        self.route("a", op, nlri, attrs)
        p = self.next_line(what)
        if bool(p.get("withdrawal")) != (op == "del") or p.get("neighbor-ip") != self.ip["a"]:
            raise Fail("%s: unexpected path %s" % (what, json.dumps(p)))
        return p


def record(lab):
    files = {}
    lab.start()
    lab.mobility_prelude()
    lab.start_monitor()
    for op, name, fname in SCRIPT:
        if op == "snapshot":
            time.sleep(1)
            files[fname] = lab.rib("b")
            continue
        p = lab.step(op, *ROUTES[name], what="%s %s" % (op, name))
        if fname:
            files[fname] = p
    seq = [c for a in files["type2_macmobility_seq7_add.json"]["attrs"] if a.get("type") == 16
           for c in a["value"] if c.get("type") == 6 and c.get("subtype") == 0]
    if [c.get("sequence") for c in seq] != [7]:
        raise Fail("the mobility route arrived with %s, not sequence 7" % seq)
    n = 0
    while len(lab.raw) < MONITOR_LINES:
        lab.step("add", *bulk_route(n), what="bulk route %d" % n)
        n += 1
    time.sleep(1)
    if not lab.lines.empty():
        raise Fail("unexpected monitor lines: %s" % lab.lines.get())
    files["monitor_b_first40.jsonl"] = "".join(lab.raw)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(_HERE, "gobgp_samples"))
    ap.add_argument("--net", default="127.65.0",
                    help="first three octets of the speakers' loopback addresses")
    ap.add_argument("--bgp-port", type=int, default=10179)
    args = ap.parse_args()
    if GOBGPD is None or GOBGP is None:
        sys.exit("FAIL: gobgpd/gobgp not found: install the Debian package gobgpd")
    if not args.net.startswith("127."):
        sys.exit("FAIL: --net must be in 127.0.0.0/8")
    lab = Lab(args.net, args.bgp_port)
    try:
        files = record(lab)
    except Fail as e:
        sys.exit("FAIL: %s" % e)
    finally:
        lab.close()
    os.makedirs(args.out, exist_ok=True)
    for fname, doc in sorted(files.items()):
        with open(os.path.join(args.out, fname), "w") as fh:
            fh.write(doc if isinstance(doc, str) else json.dumps(doc, indent=2) + "\n")
    print("wrote %d files to %s (%s)" % (len(files), args.out,
                                         subprocess.run([GOBGP, "--version"], text=True,
                                                        stdout=subprocess.PIPE).stdout.strip()))


if __name__ == "__main__":
    main()
