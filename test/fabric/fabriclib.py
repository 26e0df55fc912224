#!/usr/bin/python3
"""fabriclib.py: the pieces of an EVPN fabric lab (suite "fabric"): gobgpd
speakers and a route reflector on 127.0.0.0/8, evfwd-gobgp adapters, an FRR
leaf (Linux bridge + kernel VXLAN + bgpd/zebra) in its own namespace, and an
IP spine namespace that routes the underlay between the leafs.

    sp = Speakers(lab_dir, base="127.67.N.")    # addresses BASE+n, BGP port 10179
    sp.gobgpd("rr", 100, "10.0.0.100", clients=[1, 2, 3], passive=[4])
    sp.gobgpd("leaf1", 1, "10.0.0.1", rr=100)
    sp.rib(1)                 # gobgp global rib -a evpn -j, as EvpnRoute tuples
    a = Adapter(lab_dir, "leaf1", gobgpd=sp.api(1), ring="/evff-...")
    a.status()                # its --status-file, parsed
    frr = FrrLeaf(...)        # namespace, bridge, vxlan, zebra + bgpd, relay

Underlay: evfwd answers no ARP (its network ports use a static next-hop
MAC), so the spine is a Linux router namespace with one veth per leaf, a /32
route to each evfwd VTEP over its veth and a permanent neighbour entry with
the leaf's MAC; the FRR leaf's kernel resolves the spine by ARP on a /30.

FRR and 127/8: FRR's bgpd refuses a session whose local address it cannot
find on an interface zebra knows, and zebra ignores 127.0.0.0/8 addresses.
The FRR leaf's bgpd therefore peers with 198.18.200.1, a relay (relay.py,
here) in a namespace of its own on a veth; the relay forwards the TCP stream
to the route reflector in the root namespace from 127.x.4. Every BGP session
the fabric sees is on 127.0.0.0/8; the only other BGP bytes cross one veth
between two of the test's namespaces.

Everything this creates is named after the lab's prefix or lives in the lab's
directory, so ovslab's watchdog removes it if the test dies.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "lacp"))
import ovslab as L  # noqa: E402  (puts test/pkt on sys.path)
import evfpkt as E  # noqa: E402

GOBGPD = shutil.which("gobgpd")
GOBGP = shutil.which("gobgp")
FRR_DIR = "/usr/lib/frr"
VTYSH = shutil.which("vtysh")
BGP_PORT = 10179
API_PORT = 50051
ASN = 65000
EVFWD_GOBGP = os.environ.get("EVFWD_GOBGP") or os.path.join(
    _HERE, "..", "..", "build", "app", "evfwd-gobgp")
IP_CMD = E.IP_CMD


def need_tools():
    """Fail (never skip) when the machine lacks what the fabric needs."""
    missing = [n for n, p in (("gobgpd", GOBGPD), ("gobgp", GOBGP), ("vtysh", VTYSH),
                              ("evfwd-gobgp", EVFWD_GOBGP if os.path.exists(EVFWD_GOBGP) else None),
                              ("frr zebra", os.path.join(FRR_DIR, "zebra")
                               if os.path.exists(os.path.join(FRR_DIR, "zebra")) else None))
               if not p]
    if missing:
        raise AssertionError("the fabric lab needs %s (Debian packages gobgpd, frr; "
                             "evfwd-gobgp is built by meson)" % ", ".join(missing))


def sh(args, ns=None, check=True, timeout=30):
    return E.sh(args, ns=ns, check=check, timeout=timeout)


# ------------------------------------------------------------ EVPN routes --

def _esi_text(v):
    """An ESI as gobgp's JSON shows it -> the ten bytes in text, or the string."""
    if isinstance(v, dict):
        return "%02x:%s" % (v.get("type", 0), ":".join("%02x" % b for b in v.get("value", [])))
    return str(v)


def route_key(p):
    """(type, rd, esi/mac/ip..., next hop) of one path of `gobgp ... -j`: what
    identifies a route and where it leads."""
    n = p["nlri"]
    v = n.get("value", {})
    rd = v.get("rd", {})
    rd = "%s:%s" % (rd.get("admin"), rd.get("assigned"))
    nh = None
    for a in p.get("attrs", []):
        if a.get("type") == 14:
            nh = a.get("nexthop")
        elif a.get("type") == 3 and nh is None:
            nh = a.get("nexthop")
    t = n["type"]
    if t == 1:
        k = (t, rd, _esi_text(v.get("esi")), v.get("etag"))
    elif t == 2:
        k = (t, rd, v.get("mac"), v.get("ip"))
    elif t == 3:
        k = (t, rd, v.get("ip"))
    elif t == 4:
        k = (t, rd, _esi_text(v.get("esi")), v.get("ip"))
    else:
        k = (t, rd, json.dumps(v, sort_keys=True))
    return k + (nh,)


# ------------------------------------------------------------- gobgpd --

class Speakers:
    """gobgpd instances, each on BASE+n (BGP port 10179, gRPC 50051)."""

    def __init__(self, rundir, base):
        self.dir = os.path.join(rundir, "bgp")
        os.makedirs(self.dir, exist_ok=True)
        self.base = base
        self.procs = {}

    def addr(self, n):
        return self.base + str(n)

    def api(self, n):
        return "%s:%d" % (self.addr(n), API_PORT)

    def gobgpd(self, name, n, router_id, rr=None, clients=(), passive=()):
        lines = ['[global.config]', '  as = %d' % ASN, '  router-id = "%s"' % router_id,
                 '  port = %d' % BGP_PORT, '  local-address-list = ["%s"]' % self.addr(n)]
        peers = ([(rr, False, False)] if rr else []) + [(c, True, False) for c in clients] + \
            [(c, True, True) for c in passive]
        for peer, client, pas in peers:
            lines += ['[[neighbors]]', '  [neighbors.config]',
                      '    neighbor-address = "%s"' % self.addr(peer), '    peer-as = %d' % ASN,
                      '  [neighbors.transport.config]',
                      '    local-address = "%s"' % self.addr(n),
                      '    remote-port = %d' % BGP_PORT]
            if pas:
                lines.append('    passive-mode = true')
            lines += ['  [neighbors.timers.config]', '    connect-retry = 1',
                      '    hold-time = 9', '    keepalive-interval = 3']
            if client:
                lines += ['  [neighbors.route-reflector.config]',
                          '    route-reflector-client = true',
                          '    route-reflector-cluster-id = "%s"' % router_id]
            lines += ['  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]',
                      '      afi-safi-name = "l2vpn-evpn"']
        cfg = os.path.join(self.dir, "%s.toml" % name)
        with open(cfg, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        log = open(os.path.join(self.dir, "%s.log" % name), "w")
        p = subprocess.Popen([GOBGPD, "-f", cfg, "-p", "--api-hosts", self.api(n),
                              "--pprof-disable", "-l", "info"], stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.procs[n] = (name, p)
        return p

    def cli(self, n, *args, check=True):
        r = subprocess.run([GOBGP, "-u", self.addr(n), "-p", str(API_PORT)] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
        if check and r.returncode != 0:
            raise AssertionError("gobgp %s %s: %s" % (self.addr(n), " ".join(args), r.stderr))
        return r.stdout

    def rib(self, n):
        """Every EVPN path in the global RIB of speaker n: list of (key, neighbor),
        neighbor None for the paths speaker n originates."""
        out = self.cli(n, "global", "rib", "-a", "evpn", "-j", check=False).strip()
        if not out or out.startswith("Network not in table"):
            return []
        data = json.loads(out)
        paths = []
        for plist in (data.values() if isinstance(data, dict) else data):
            for p in plist:
                nb = p.get("neighbor-ip")
                paths.append((route_key(p), None if nb in ("", "<nil>", None) else nb))
        return paths

    def local(self, n):
        """The keys of the paths speaker n originates."""
        return {k for k, nb in self.rib(n) if nb is None}

    def neighbors(self, n):
        """neighbor address -> state (gobgp neighbor -j)."""
        out = self.cli(n, "neighbor", "-j", check=False)
        try:
            data = json.loads(out)
        except ValueError:
            return {}
        if not isinstance(data, list):   # a gobgpd still starting answers otherwise
            return {}
        st = {}
        for peer in data:
            if not isinstance(peer, dict):
                continue
            a = peer.get("conf", {}).get("neighbor_address") or \
                peer.get("state", {}).get("neighbor_address")
            st[a] = peer.get("state", {}).get("session_state")
        return st

    def alive(self):
        return {name: p.poll() is None for name, p in self.procs.values()}

    def stop(self):
        for name, p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for name, p in self.procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


# ------------------------------------------------------------ adapters --

class Adapter:
    """One evfwd-gobgp process (its own session; stopped at teardown)."""

    def __init__(self, rundir, name, gobgpd, ring, extra=()):
        self.name, self.gobgpd, self.ring, self.extra = name, gobgpd, ring, list(extra)
        self.dir = os.path.join(rundir, "adapters")
        os.makedirs(self.dir, exist_ok=True)
        self.status_file = os.path.join(self.dir, "%s.json" % name)
        self.log_path = os.path.join(self.dir, "%s.log" % name)
        self.proc = None
        self.starts = 0

    def start(self):
        self.starts += 1
        try:
            os.unlink(self.status_file)   # ready() must not read the last instance's
        except OSError:
            pass
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [EVFWD_GOBGP, "--gobgpd", self.gobgpd, "--ring", self.ring,
             "--status-file", self.status_file, "--heartbeat", "200ms"] + self.extra,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self

    def status(self):
        try:
            with open(self.status_file) as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return {}

    def log(self):
        try:
            with open(self.log_path, errors="replace") as fh:
                return fh.read()
        except OSError:
            return ""

    def ready(self):
        s = self.status()
        return bool(s) and s["ring"]["attached"] and s["ring"]["synced"] and \
            s["bgp"]["connected"] and s["bgp"]["watching"] and s["origin"]["pending"] == 0

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


# ------------------------------------------------------------ underlay --

class Spine:
    """A router namespace: one veth per leaf."""

    def __init__(self, links, ns):
        self.links, self.ns = links, ns
        sh(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"], ns=ns)
        sh(["sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0"], ns=ns)
        sh([IP_CMD, "link", "set", "lo", "up"], ns=ns)

    def evfwd_leaf(self, spine_if, vtep, leaf_mac, spine_mac):
        """spine_if (already in the namespace) leads to an evfwd VTEP."""
        sh([IP_CMD, "link", "set", spine_if, "address", spine_mac], ns=self.ns)
        sh([IP_CMD, "link", "set", spine_if, "up"], ns=self.ns)
        sh(["sysctl", "-q", "-w", "net.ipv4.conf.%s.rp_filter=0" % spine_if], ns=self.ns)
        sh([IP_CMD, "route", "replace", vtep + "/32", "dev", spine_if], ns=self.ns)
        sh([IP_CMD, "neigh", "replace", vtep, "lladdr", leaf_mac, "dev", spine_if, "nud",
            "permanent"], ns=self.ns)

    def routed_leaf(self, spine_if, spine_ip, leaf_ip, vtep):
        """spine_if leads to a Linux leaf that answers ARP (spine_ip/30, leaf_ip)."""
        sh([IP_CMD, "addr", "add", spine_ip + "/30", "dev", spine_if], ns=self.ns)
        sh([IP_CMD, "link", "set", spine_if, "up"], ns=self.ns)
        sh(["sysctl", "-q", "-w", "net.ipv4.conf.%s.rp_filter=0" % spine_if], ns=self.ns)
        sh([IP_CMD, "route", "replace", vtep + "/32", "via", leaf_ip], ns=self.ns)


# ------------------------------------------------------------ FRR leaf --

RELAY = r"""
import ctypes, socket, sys, threading
# relay.py LISTEN_IP PORT TARGET_IP TARGET_PORT BIND_IP NETNS_FD: listen in the
# namespace it starts in, then move to NETNS_FD and connect from there
lip, lport, tip, tport, bip, nsfd = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((lip, lport))
ls.listen(8)
libc = ctypes.CDLL(None, use_errno=True)
if libc.setns(nsfd, 0x40000000) != 0:
    raise OSError(ctypes.get_errno(), "setns")

def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

print("ready", flush=True)
while True:
    c, _ = ls.accept()
    try:
        u = socket.socket()
        u.bind((bip, 0))
        u.connect((tip, tport))
    except OSError:
        c.close()
        continue
    for a, b in ((c, u), (u, c)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
"""


class FrrLeaf:
    """A Linux leaf: netns NS with br100 + vxlan100 (VTEP), a host namespace
    behind it, an uplink veth to the spine, and FRR (zebra, bgpd) inside,
    peering with the route reflector through the relay."""

    def __init__(self, links, rundir, prefix, vni, vtep, router_id, rr_addr, my_addr):
        self.links, self.vni, self.vtep, self.router_id = links, vni, vtep, router_id
        self.ns, self.ns_relay, self.ns_host = prefix + "-l4", prefix + "-l4c", prefix + "-h4"
        # FRR drops its privileges to user frr, which cannot enter the lab's own
        # (0700) directory: it gets one of its own (named after the prefix, so the
        # watchdog knows its processes); stop() copies it into the lab's.
        self.keep_dir = os.path.join(rundir, "frr")
        self.dir = tempfile.mkdtemp(prefix=prefix + "-frr-")
        os.chmod(self.dir, 0o755)
        self.run = os.path.join(self.dir, "run")
        os.makedirs(self.run, exist_ok=True)
        shutil.chown(self.dir, "frr", "frr")
        shutil.chown(self.run, "frr", "frr")
        self.rr_addr, self.my_addr = rr_addr, my_addr
        self.prefix = prefix
        self.procs = []

    def build(self, spine_ns, uplink, spine_if, uplink_ip, gw_ip, host_if, host_peer, host_ip,
              host_mac, mtu):
        """uplink (in NS) -- spine_if (in spine_ns): the underlay link, uplink_ip/30 with
        the default route via gw_ip; host_if (on the bridge) -- host_peer (in the host
        namespace, host_ip/24, host_mac)."""
        ns = self.ns
        for n in (self.ns, self.ns_relay, self.ns_host):
            self.links.netns(n)
        self.links.veth(uplink, spine_if, spine_ns, queues=1)
        sh([IP_CMD, "link", "set", uplink, "netns", ns])
        sh([IP_CMD, "addr", "add", self.vtep + "/32", "dev", "lo"], ns=ns)
        sh([IP_CMD, "addr", "add", uplink_ip + "/30", "dev", uplink], ns=ns)
        sh([IP_CMD, "link", "set", uplink, "up"], ns=ns)
        sh([IP_CMD, "route", "add", "default", "via", gw_ip], ns=ns)
        # the VTEPs by a route of their own: FRR does not resolve BGP next hops
        # through a default route (no "ip nht resolve-via-default")
        sh([IP_CMD, "route", "add", "198.18.0.0/24", "via", gw_ip], ns=ns)
        sh([IP_CMD, "link", "add", "br%d" % self.vni, "type", "bridge"], ns=ns)
        sh([IP_CMD, "link", "add", "vxlan%d" % self.vni, "type", "vxlan", "id", str(self.vni),
            "local", self.vtep, "dstport", "4789", "nolearning"], ns=ns)
        sh([IP_CMD, "link", "set", "vxlan%d" % self.vni, "master", "br%d" % self.vni], ns=ns)
        sh(["bridge", "link", "set", "dev", "vxlan%d" % self.vni, "learning", "off"], ns=ns)
        # the host: a veth from the bridge to its own namespace
        self.links.veth(host_if, host_peer, self.ns_host, queues=1, peer_mac=host_mac)
        sh([IP_CMD, "link", "set", host_if, "netns", ns])
        sh([IP_CMD, "link", "set", host_if, "master", "br%d" % self.vni], ns=ns)
        sh([IP_CMD, "link", "set", host_if, "up"], ns=ns)
        for n in ("br%d" % self.vni, "vxlan%d" % self.vni):
            sh([IP_CMD, "link", "set", n, "up"], ns=ns)
        sh([IP_CMD, "link", "set", host_peer, "mtu", str(mtu)], ns=self.ns_host)
        sh([IP_CMD, "addr", "add", host_ip + "/24", "dev", host_peer], ns=self.ns_host)
        sh([IP_CMD, "link", "set", "lo", "up"], ns=self.ns_host)
        # the relay's namespace: FRR 198.18.200.2 <-> relay 198.18.200.1
        sh([IP_CMD, "link", "set", "lo", "up"], ns=self.ns_relay)
        c0, c1 = self.prefix + "-r0", self.prefix + "-r1"
        sh([IP_CMD, "link", "add", c0, "type", "veth", "peer", "name", c1])
        self.links.links.append(c0)
        sh([IP_CMD, "link", "set", c0, "netns", ns])
        sh([IP_CMD, "link", "set", c1, "netns", self.ns_relay])
        sh([IP_CMD, "addr", "add", "198.18.200.2/30", "dev", c0], ns=ns)
        sh([IP_CMD, "addr", "add", "198.18.200.1/30", "dev", c1], ns=self.ns_relay)
        sh([IP_CMD, "link", "set", c0, "up"], ns=ns)
        sh([IP_CMD, "link", "set", c1, "up"], ns=self.ns_relay)
        # nothing but test traffic: no IPv6 (router solicitations, DAD) anywhere here
        for n in (ns, self.ns_relay, self.ns_host):
            sh(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"], ns=n)

    def _spawn(self, args, ns=None, log=None):
        cmd = ([IP_CMD, "netns", "exec", ns] if ns else []) + args
        out = open(log or os.devnull, "a")
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                             pass_fds=getattr(self, "_pass", ()))
        out.close()
        self.procs.append(p)
        return p

    def start(self):
        relay = os.path.join(self.dir, "relay.py")
        with open(relay, "w") as fh:
            fh.write(RELAY)
        root_ns = os.open("/proc/self/ns/net", os.O_RDONLY)
        self._pass = (root_ns,)
        self.relay = self._spawn(["/usr/bin/python3", relay, "198.18.200.1", str(BGP_PORT),
                                  self.rr_addr, str(BGP_PORT), self.my_addr, str(root_ns)],
                                 ns=self.ns_relay, log=os.path.join(self.dir, "relay.log"))
        self._pass = ()
        os.close(root_ns)
        zconf = os.path.join(self.dir, "zebra.conf")
        with open(zconf, "w") as fh:
            fh.write("hostname %s\nlog file %s/zebra.log\n" % (self.ns, self.dir))
        bconf = os.path.join(self.dir, "bgpd.conf")
        peer = "198.18.200.1"
        with open(bconf, "w") as fh:
            fh.write("\n".join([
                "hostname %s" % self.ns, "log file %s/bgpd.log" % self.dir,
                "router bgp %d" % ASN, " bgp router-id %s" % self.router_id,
                " no bgp default ipv4-unicast",
                " neighbor %s remote-as %d" % (peer, ASN),
                " neighbor %s port %d" % (peer, BGP_PORT),
                " neighbor %s update-source 198.18.200.2" % peer,
                " neighbor %s timers 3 9" % peer,
                " neighbor %s timers connect 1" % peer,
                " address-family l2vpn evpn", "  neighbor %s activate" % peer,
                "  advertise-all-vni", " exit-address-family", ""]))
        for f in (zconf, bconf):
            shutil.chown(f, "frr", "frr")
        common = ["-N", self.prefix, "-z", os.path.join(self.run, "zserv.api"),
                  "--vty_socket", self.run]
        self.zebra = self._spawn([os.path.join(FRR_DIR, "zebra"), "-f", zconf,
                                  "-i", os.path.join(self.run, "zebra.pid")] + common,
                                 ns=self.ns, log=os.path.join(self.dir, "zebra.out"))
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(self.run, "zserv.api")):
            if time.monotonic() > deadline or self.zebra.poll() is not None:
                raise AssertionError("FRR zebra did not start (%s)" % self.dir)
            time.sleep(0.1)
        self.bgpd = self._spawn([os.path.join(FRR_DIR, "bgpd"), "-f", bconf,
                                 "-i", os.path.join(self.run, "bgpd.pid"),
                                 "-p", str(BGP_PORT), "-l", "198.18.200.2"] + common,
                                ns=self.ns, log=os.path.join(self.dir, "bgpd.out"))

    def vtysh(self, cmd):
        r = subprocess.run([VTYSH, "--vty_socket", self.run, "-c", cmd], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        return r.stdout

    def vtysh_json(self, cmd):
        out = self.vtysh(cmd)
        try:
            return json.loads(out)
        except ValueError:
            return {"_text": out}

    def alive(self):
        return {"zebra": self.zebra.poll() is None, "bgpd": self.bgpd.poll() is None,
                "relay": self.relay.poll() is None}

    def stop(self):
        """Stop every process, keep the logs and configs in the lab's directory."""
        self._stop()
        if os.path.isdir(self.dir):
            shutil.copytree(self.dir, self.keep_dir, ignore=shutil.ignore_patterns("run"),
                            dirs_exist_ok=True)
            shutil.rmtree(self.dir, ignore_errors=True)

    def _stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except OSError:
                    pass
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass
                p.wait()


def wait_until(pred, timeout, interval=0.2, what="condition"):
    """pred() until true; returns its value or raises AssertionError naming what."""
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
