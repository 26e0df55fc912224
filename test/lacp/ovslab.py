#!/usr/bin/python3
"""ovslab.py: a private Open vSwitch (userspace datapath) as a real LACP partner
for evfwd's LAGs (suite "lacp").

    lab = OvsLab(parent_dir=...)    # names evfl-XXXX-*, a run directory, a watchdog
    lab.make_links()                # member veths, host and spine namespaces
    lab.start_ovs()                 # own ovsdb-server + ovs-vswitchd
    lab.make_host_bridge()          # br-host (netdev) with LACP bond0 on the members
    lab.wait_bond("bond0", [...])   # lacp/show + bond/show parsed (parse_lacp_show, ...)
    lab.nft_drop_slow(dev)          # drop LACPDUs leaving dev (nftables netdev egress)
    Agent("send"|"count", ifname, ns, magic)   # raw-socket traffic with sequence numbers
    lab.cleanup()                   # also at exit; see install_signal_handlers()

Topology (every interface and namespace name starts with lab.prefix,
"evfl-XXXX" with XXXX from the PID, so interface names stay within 15
characters):

    netns PFX-host                 root namespace                         netns PFX-spine
    PFX-hh (198.18.1.1/24) --veth-- PFX-hb  [br-host]
                                           bond0 = PFX-m1o + PFX-m2o
                                   PFX-m1o --veth-- PFX-m1   (evfwd member m1)
                                   PFX-m2o --veth-- PFX-m2   (evfwd member m2)
                                                    PFX-n    (evfwd network port) --veth-- PFX-np
    self-test only: br-leaf, bond1 = PFX-m1 + PFX-m2, PFX-lb --veth-- PFX-lh in netns PFX-leaf

ovs-vswitchd runs in the root namespace: its netdev datapath opens "system"
ports (PFX-m1o, PFX-m2o, PFX-hb) with AF_PACKET sockets (netdev-linux), so
they must be in the namespace it runs in. evfwd's ends are in the root
namespace too. The host's IP stack is in PFX-host behind PFX-hb; the spine
(remote VTEP) is whatever sends and captures raw frames on PFX-np. Every link
has IPv6 off, so nothing but test traffic and LACPDUs flows.

OVS is private: a directory holds its database (created with ovsdb-tool from
/usr/share/openvswitch/vswitch.ovsschema), the db socket, both unixctl
sockets, pid files and logs (kept with the test's directory on failure), and
OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR/OVS_SYSCONFDIR point there for every OVS
command, so a system OVS service (if any) is neither used nor touched.
ovs-vsctl runs with --db=unix:DIR/db.sock, ovs-appctl with -t
DIR/ovs-vswitchd.ctl. The daemons run in the foreground in their own session,
with a raised priority (like evfwd: the machine is small and shared), and are
stopped with "ovs-appctl exit --cleanup", then by PID. bond0 runs with
bond-rebalance-interval 0 (no load-based moves during a test); OVS then never
hands hashes back to a re-enabled member, spread_bond() makes it deal them
again (a new bond-hash-basis; bond/migrate works on balance-slb only).

Blocking LACPDUs: an nftables netdev *ingress* rule on the receiving end does
not work on veths: net_af_xdp gets frames from XDP and packet sockets (OVS,
net_af_packet) get them from the taps, both before the ingress hook (checked:
the rule counted the LACPDUs and OVS kept its partner). nft_drop_slow() uses
the *egress* hook of the sending end: AF_PACKET transmit goes through
dev_queue_xmit, which runs it.

Cleanup: OvsLab starts a watchdog in its own session (meson's timeout kill of
the test's process group does not reach it). When the test process ends
without cleanup() (signal, SIGKILL), it kills every process naming the lab's
directories or prefix (evfwd, OVS, agents), deletes the lab's nftables tables,
links and namespaces, and the netdev-datapath taps a killed ovs-vswitchd leaves
behind (br-host, br-leaf, ovs-netdev; only when no other ovs-vswitchd runs).

Self-test (no evfwd needed): "/usr/bin/python3 ovslab.py" runs OVS against OVS:
br-host's bond0 against br-leaf's bond1 (lacp=active, lacp-time=fast, system
id 00:00:00:00:00:11, priority 11, aggregation key 11, port ids 1 and 2: what
evfwd's lag1 presents) across the member veths. Both bonds must negotiate with
both members current/attached/enabled and the expected partner; 200 UDP flows
from the host namespace to a leaf namespace must spread over both members
(20-80% each; the capture agents on both veth ends agree) and arrive exactly
once; link down/up on one member; a new hash basis spreads again; LACPDUs
dropped at egress make the other side time the member out, and it comes back
when the rule is deleted; then everything is torn down and nothing may be left.
Exit 0 on success, 1 with the reason otherwise.

Needs root, iproute2, openvswitch-switch (ovsdb-tool, ovsdb-server,
ovs-vswitchd, ovs-vsctl, ovs-appctl), nftables (nft) and /usr/bin/python3 with
python3-scapy (evfpkt, whose helpers this uses, also wants tshark). A missing
tool is a failure, never a skip.
"""
import atexit
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "pkt"))
import evfpkt as E  # noqa: E402

# ---------------------------------------------------------------- tools --

OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def _need(prog):
    path = shutil.which(prog) or next((p for p in ("/usr/sbin/" + prog, "/usr/bin/" + prog,
                                                   "/sbin/" + prog) if os.access(p, os.X_OK)),
                                      None)
    if path is None:
        E._die("%s is required (scripts/setup-deps.sh test installs it) but was not found"
               % prog)
    return path


OVSDB_TOOL = _need("ovsdb-tool")
OVSDB_SERVER = _need("ovsdb-server")
OVS_VSWITCHD = _need("ovs-vswitchd")
OVS_VSCTL = _need("ovs-vsctl")
OVS_APPCTL = _need("ovs-appctl")
NFT = _need("nft")
if not os.path.isfile(OVS_SCHEMA):
    E._die("Open vSwitch schema %s is missing (package openvswitch-common)" % OVS_SCHEMA)
if os.geteuid() != 0:
    E._die("the lacp tests need root (network namespaces, veths, OVS, nftables)")

sh = E.sh
IP_CMD = E.IP_CMD

# Addresses (198.18.0.0/15, only inside our namespaces)
HOST_IP = "198.18.1.1"        # the host (PFX-hh in PFX-host)
LEAF_IP = "198.18.1.2"        # self-test: the far side behind br-leaf (PFX-lh in PFX-leaf)
HOST_MAC = "00:c1:ab:00:01:01"
LEAF_MAC = "00:c1:ab:00:02:02"
HOST_SYS_ID = "02:00:00:00:0a:01"   # br-host bond0's LACP system id
HOST_SYS_PRIO = 100
EVF_SYS_ID = "00:00:00:00:00:11"    # what evfwd's lag1 (and br-leaf in the self-test) present
EVF_SYS_PRIO = 11
EVF_KEY = 11


# ------------------------------------------------------------- cleanup --

_labs = []


def _cleanup_all():
    for lab in list(_labs):
        lab.cleanup()


atexit.register(_cleanup_all)


def install_signal_handlers():
    """SIGTERM (meson's timeout: it signals the test's process group, waits 0.5 s,
    then SIGKILLs it), SIGHUP and SIGINT end the test at once (unittest would
    record a SystemExit raised inside a test as an error and go on with the next
    test). The lab's watchdog (see _WATCHDOG) sees the test process gone and
    removes everything: processes, nftables tables, links, namespaces."""
    def _exit(signum, frame):
        try:
            sys.stderr.write("\novslab: signal %d, exiting; the watchdog cleans up\n" % signum)
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(s, _exit)


# The watchdog: a process in its own session (meson's kill of the test's process
# group does not reach it) that waits for the test process to end, whatever
# the way (normal exit after OvsLab.cleanup() stops the watchdog first; a signal;
# SIGKILL), then kills every process whose command line names one of the lab's
# markers (its directories, its interface prefix: evfwd, ovsdb-server,
# ovs-vswitchd, agents, scapy peers) and deletes the nftables tables, links and
# namespaces whose names start with the lab's prefix.
_WATCHDOG = r"""
import os, re, signal, subprocess, sys, time
parent, tag, prefix, ip, nft = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
markers = sys.argv[6:]
signal.signal(signal.SIGTERM, lambda s, f: os._exit(0))
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)

def gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True

while not gone(parent):
    time.sleep(0.2)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
me, killed = os.getpid(), []
for rnd in range(3):
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == me:
            continue
        try:
            with open("/proc/%s/cmdline" % p, "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(m in cmd for m in markers):
            try:
                os.kill(int(p), signal.SIGKILL)
                killed.append(p)
            except OSError:
                pass
    time.sleep(0.2)
run = lambda a: subprocess.run(a, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True).stdout
dels = []
for line in run([nft, "list", "tables"]).splitlines():
    w = line.split()
    if len(w) == 3 and w[0] == "table" and w[2].startswith("evfl_%s_" % tag):
        run([nft, "delete", "table", w[1], w[2]])
        dels.append(w[2])
for line in run([ip, "-o", "link", "show"]).splitlines():
    m = re.match(r"\d+: ([^:@]+)", line)
    if m and m.group(1).startswith(prefix):
        run([ip, "link", "del", m.group(1)])
        dels.append(m.group(1))
for line in run([ip, "netns", "list"]).splitlines():
    w = line.split()
    if w and w[0].startswith(prefix):
        run([ip, "netns", "del", w[0]])
        dels.append(w[0])
# a killed ovs-vswitchd leaves its (persistent) netdev-datapath taps behind; they
# are ours unless another ovs-vswitchd runs
def comm(p):
    try:
        with open("/proc/%s/comm" % p) as fh:
            return fh.read().strip()
    except OSError:
        return ""
end = time.monotonic() + 3
while time.monotonic() < end and not all(gone(int(p)) for p in killed):
    time.sleep(0.1)
if not [p for p in os.listdir("/proc") if p.isdigit() and comm(p) == "ovs-vswitchd"
        and not gone(int(p))]:
    for dev in ("br-host", "br-leaf", "ovs-netdev"):
        if "tun type tap" in run([ip, "-d", "link", "show", dev]):
            run([ip, "link", "del", dev])
            dels.append(dev)
try:
    sys.stderr.write("ovslab watchdog: test process %d ended without cleaning up; killed %d "
                     "process(es), removed %s\n" % (parent, len(set(killed)), dels))
except OSError:
    pass
"""


# ------------------------------------------------------------ parsers --


def parse_ovs_map(text):
    """'{a=1, b="x"}' (ovs-vsctl get ... column) -> dict of str (ints where numeric)."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise AssertionError("not an OVSDB map: %r" % text)
    out = {}
    for k, v in re.findall(r'([\w:-]+)=("(?:[^"\\]|\\.)*"|[^,}]*)', text[1:-1]):
        v = v.strip().strip('"')
        out[k] = int(v) if re.fullmatch(r"-?\d+", v) else v
    return out


def parse_lacp_show(text):
    """ovs-appctl lacp/show BOND -> {'status': [...], 'sys_id', 'sys_priority',
    'key', 'lacp_time', 'members': {name: {'flags': [...], 'may_enable': bool,
    'actor': {...}, 'partner': {...}}}} (actor/partner: sys_id, sys_priority, port_id,
    port_priority, key, state (list of words))."""
    res = {"members": {}}
    cur = None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("----"):
            continue
        m = re.match(r"(?:member|slave): (\S+): ?(.*)$", s)
        if m:
            cur = {"flags": m.group(2).split(), "actor": {}, "partner": {}}
            res["members"][m.group(1)] = cur
            continue
        m = re.match(r"(actor|partner) (sys_id|sys_priority|port_id|port_priority|key|state):"
                     r" ?(.*)$", s)
        if m and cur is not None:
            v = m.group(3).strip()
            if m.group(2) == "state":
                cur[m.group(1)]["state"] = v.split()
            elif m.group(2) == "sys_id":
                cur[m.group(1)]["sys_id"] = v.lower()
            else:
                cur[m.group(1)][m.group(2)] = int(v)
            continue
        m = re.match(r"([\w ]+?): ?(.*)$", s)
        if not m:
            continue
        k, v = m.group(1), m.group(2).strip()
        if cur is not None:
            if k == "may_enable":
                cur["may_enable"] = v == "true"
            else:
                cur[k] = v
        elif k == "status":
            res["status"] = v.split()
        elif k == "sys_id":
            res["sys_id"] = v.lower()
        elif k == "sys_priority":
            res["sys_priority"] = int(v)
        elif k == "aggregation key":
            res["key"] = int(v)
        else:
            res[k] = v
    return res


def parse_bond_show(text):
    """ovs-appctl bond/show BOND -> {'bond_mode', 'lacp_status', ..., 'members':
    {name: {'state': 'enabled'|'disabled', 'active': bool, 'may_enable': bool,
    'hashes': {hash: kB}}}}."""
    res = {"members": {}}
    cur = None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("----"):
            continue
        m = re.match(r"(?:member|slave) (\S+): (\w+)", s)
        if m:
            cur = {"state": m.group(2), "active": False, "may_enable": None, "hashes": {}}
            res["members"][m.group(1)] = cur
            continue
        if cur is not None:
            if s.startswith("active member") or s.startswith("active slave"):
                cur["active"] = True
                continue
            m = re.match(r"may_enable: (\w+)", s)
            if m:
                cur["may_enable"] = m.group(1) == "true"
                continue
            m = re.match(r"hash (\d+): (\d+) kB load", s)
            if m:
                cur["hashes"][int(m.group(1))] = int(m.group(2))
                continue
        m = re.match(r"([\w -]+?): ?(.*)$", s)
        if m and cur is None:
            res[m.group(1)] = m.group(2).strip()
    return res


# ----------------------------------------------------------------- OVS --


class Ovs:
    """A private ovsdb-server + ovs-vswitchd with everything under rundir."""

    def __init__(self, rundir):
        self.dir = rundir
        self.db = os.path.join(rundir, "conf.db")
        self.db_sock = os.path.join(rundir, "db.sock")
        self.ctl = os.path.join(rundir, "ovs-vswitchd.ctl")
        self.db_ctl = os.path.join(rundir, "ovsdb-server.ctl")
        self.env = dict(os.environ, OVS_RUNDIR=rundir, OVS_DBDIR=rundir, OVS_LOGDIR=rundir,
                        OVS_SYSCONFDIR=rundir)
        self.procs = {}

    def _log(self, name):
        return os.path.join(self.dir, name + ".log")

    def start(self, timeout=20):
        self._run([OVSDB_TOOL, "create", self.db, OVS_SCHEMA])
        self._spawn("ovsdb-server", [
            OVSDB_SERVER, self.db, "--remote=punix:" + self.db_sock,
            "--unixctl=" + self.db_ctl, "--pidfile=" + os.path.join(self.dir, "ovsdb-server.pid"),
            "--log-file=" + self._log("ovsdb-server"), "--no-chdir", "-vconsole:off",
            "-vfile:info"])
        self._wait_path(self.db_sock, "ovsdb-server", timeout)
        self.vsctl("--no-wait", "init")
        self._spawn("ovs-vswitchd", [
            OVS_VSWITCHD, "unix:" + self.db_sock, "--unixctl=" + self.ctl,
            "--pidfile=" + os.path.join(self.dir, "ovs-vswitchd.pid"),
            "--log-file=" + self._log("ovs-vswitchd"), "--no-chdir", "-vconsole:off",
            "-vfile:info", "-vfile:lacp:dbg", "-vfile:bond:dbg"])
        self._wait_path(self.ctl, "ovs-vswitchd", timeout)
        # wait until vswitchd has connected to the database and applied it
        self.vsctl("--timeout=%d" % timeout, "set", "Open_vSwitch", ".",
                   "other_config:evfl=1")

    def _spawn(self, name, args):
        out = open(os.path.join(self.dir, name + ".stderr"), "w")
        self.procs[name] = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                            env=self.env, cwd=self.dir, start_new_session=True)
        out.close()

    def _wait_path(self, path, name, timeout):
        end = time.monotonic() + timeout
        while not os.path.exists(path):
            p = self.procs[name]
            if p.poll() is not None:
                raise AssertionError("%s exited with %d during start-up\n%s"
                                     % (name, p.returncode, self.describe()))
            if time.monotonic() > end:
                raise AssertionError("%s did not create %s within %d s\n%s"
                                     % (name, path, timeout, self.describe()))
            time.sleep(0.05)

    def _run(self, args, check=True, timeout=30):
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=self.env, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError("command failed (rc %d): %s\n%s\n%s"
                                 % (p.returncode, " ".join(args), p.stderr.strip(),
                                    self.describe()))
        return p.stdout

    def vsctl(self, *args, check=True):
        return self._run([OVS_VSCTL, "--db=unix:" + self.db_sock, "--timeout=20"] + list(args),
                         check=check)

    def appctl(self, *args, check=True):
        return self._run([OVS_APPCTL, "-t", self.ctl, "--timeout=20"] + list(args),
                         check=check)

    def version(self):
        return self._run([OVS_VSWITCHD, "--version"]).splitlines()[0].strip()

    def lacp(self, bond):
        return parse_lacp_show(self.appctl("lacp/show", bond))

    def bond(self, bond):
        return parse_bond_show(self.appctl("bond/show", bond))

    def iface_stats(self, iface):
        """OVS's Interface statistics column (rx_packets, tx_packets, ...). vswitchd
        refreshes it only every 5 s (stats-update-interval): tests use the kernel
        counters (OvsLab.kstat) or the capture agents instead."""
        return parse_ovs_map(self.vsctl("get", "Interface", iface, "statistics"))

    def running(self):
        return {n: p.poll() is None for n, p in self.procs.items()}

    def describe(self, lines=40):
        out = ["OVS run directory: %s" % self.dir]
        for name in ("ovs-vswitchd", "ovsdb-server"):
            p = self.procs.get(name)
            if p is not None:
                out.append("%s: pid %d, %s" % (name, p.pid, "running" if p.poll() is None
                                               else "exited %s" % p.returncode))
            for suffix in (".log", ".stderr"):
                path = os.path.join(self.dir, name + suffix)
                if os.path.exists(path):
                    with open(path, errors="replace") as fh:
                        tail = fh.read().splitlines()[-lines:]
                    if tail:
                        out.append("---- %s%s (last %d lines) ----" % (name, suffix, len(tail)))
                        out += tail
        return "\n".join(out)

    def stop(self):
        """exit --cleanup (removes the datapath and its tap devices), then by PID."""
        p = self.procs.get("ovs-vswitchd")
        if p is not None and p.poll() is None:
            self._run([OVS_APPCTL, "-t", self.ctl, "--timeout=10", "exit", "--cleanup"],
                      check=False)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        p = self.procs.get("ovsdb-server")
        if p is not None and p.poll() is None:
            self._run([OVS_APPCTL, "-t", self.db_ctl, "--timeout=10", "exit"], check=False)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        for name, p in self.procs.items():
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                        p.wait(timeout=10)
                    except (OSError, subprocess.TimeoutExpired):
                        pass


# ----------------------------------------------------------------- lab --


class OvsLab:
    """Namespaces, veths, nftables tables and a private OVS for one test run."""

    def __init__(self, tag=None, keep=None, parent_dir=None):
        """parent_dir: put the run directory (OVS database, sockets, logs) there and
        leave its removal to the owner of parent_dir (e.g. an evfpkt.Lab, which keeps
        it when a test failed); otherwise a temp dir removed unless failed/keep."""
        self.tag = tag or "%04x" % (os.getpid() & 0xffff)
        self.prefix = "evfl-" + self.tag           # every namespace/link name starts with it
        self.owned = parent_dir is None
        self.dir = (tempfile.mkdtemp(prefix="evflacp-%s-" % self.tag) if self.owned else
                    tempfile.mkdtemp(prefix="ovslab-", dir=parent_dir))
        self.keep = os.environ.get("EVFPKT_KEEP") == "1" if keep is None else keep
        self.failed = False
        self.links = E.Links()
        self.ovs = None
        self.nft_tables = []
        self.cleaned = False
        p = self.prefix
        self.m1, self.m2 = p + "-m1", p + "-m2"          # evfwd's member ends
        self.m1o, self.m2o = p + "-m1o", p + "-m2o"      # OVS's member ends (bond0)
        self.net, self.netp = p + "-n", p + "-np"        # evfwd network port / spine end
        self.hb, self.hh = p + "-hb", p + "-hh"          # br-host port / host end
        self.lb, self.lh = p + "-lb", p + "-lh"          # self-test: br-leaf port / leaf end
        self.ns_host, self.ns_spine = p + "-host", p + "-spine"
        self.ns_leaf = p + "-leaf"
        self.bridge_host, self.bridge_leaf = "br-host", "br-leaf"
        self.bond_host, self.bond_leaf = "bond0", "bond1"
        for n in (self.m1o, self.hh, self.ns_spine):
            assert len(n) <= 15, n
        markers = [self.dir, self.prefix + "-"] + ([parent_dir] if parent_dir else [])
        self.watchdog = subprocess.Popen(
            ["/usr/bin/python3", "-c", _WATCHDOG, str(os.getpid()), self.tag, self.prefix,
             IP_CMD, NFT] + markers, stdin=subprocess.DEVNULL, start_new_session=True)
        _labs.append(self)

    # ---- OVS ----
    def start_ovs(self):
        rundir = os.path.join(self.dir, "ovs")
        os.makedirs(rundir)
        self.ovs = Ovs(rundir)
        self.ovs.start()
        for p in self.ovs.procs.values():
            boost(p.pid)
        return self.ovs

    # ---- links ----
    def _veth_root(self, a, b, mac_b=None):
        """A veth pair with both ends in the root namespace, IPv6 off, up."""
        sh([IP_CMD, "link", "add", a, "numtxqueues", "1", "numrxqueues", "1", "type", "veth",
            "peer", "name", b, "numtxqueues", "1", "numrxqueues", "1"])
        self.links.links.append(a)
        for n in (a, b):
            E._no_ipv6(n)
        if mac_b:
            sh([IP_CMD, "link", "set", b, "address", mac_b])
        sh([IP_CMD, "link", "set", a, "up"])
        sh([IP_CMD, "link", "set", b, "up"])

    def make_links(self, leaf=False):
        """Member veths, host namespace (+ leaf namespace for the self-test), spine
        namespace with the network veth."""
        self.links.netns(self.ns_host)
        self.links.netns(self.ns_spine)
        self._veth_root(self.m1, self.m1o)
        self._veth_root(self.m2, self.m2o)
        self.links.veth(self.hb, self.hh, self.ns_host, queues=1, peer_mac=HOST_MAC)
        sh([IP_CMD, "-n", self.ns_host, "addr", "add", HOST_IP + "/24", "dev", self.hh])
        self.links.veth(self.net, self.netp, self.ns_spine, queues=1)
        if leaf:
            self.links.netns(self.ns_leaf)
            self.links.veth(self.lb, self.lh, self.ns_leaf, queues=1, peer_mac=LEAF_MAC)
            sh([IP_CMD, "-n", self.ns_leaf, "addr", "add", LEAF_IP + "/24", "dev", self.lh])

    def make_host_bridge(self, members=None):
        """br-host (datapath_type=netdev) with bond0 = LACP active/fast/balance-tcp over
        the OVS member ends and the host veth PFX-hb."""
        members = members or [self.m1o, self.m2o]
        o = self.ovs
        o.vsctl("add-br", self.bridge_host, "--", "set", "Bridge", self.bridge_host,
                "datapath_type=netdev", "other_config:hwaddr=02:00:00:00:0a:fe",
                "fail_mode=standalone")
        o.vsctl("add-bond", self.bridge_host, self.bond_host, *members,
                "lacp=active", "bond_mode=balance-tcp",
                "other_config:lacp-time=fast",
                "other_config:lacp-system-id=" + HOST_SYS_ID,
                "other_config:lacp-system-priority=%d" % HOST_SYS_PRIO,
                "other_config:bond-rebalance-interval=0",
                "other_config:lacp-fallback-ab=false")
        o.vsctl("add-port", self.bridge_host, self.hb)
        self._check_ports(self.bridge_host, members + [self.hb])

    def make_leaf_bridge(self, members=None):
        """Self-test only: br-leaf with bond1 presenting what evfwd's lag1 presents
        (system 00:00:00:00:00:11, priority 11, key 11, port numbers 1 and 2)."""
        members = members or [self.m1, self.m2]
        o = self.ovs
        o.vsctl("add-br", self.bridge_leaf, "--", "set", "Bridge", self.bridge_leaf,
                "datapath_type=netdev", "other_config:hwaddr=02:00:00:00:0b:fe",
                "fail_mode=standalone")
        o.vsctl("add-bond", self.bridge_leaf, self.bond_leaf, *members,
                "lacp=active", "bond_mode=balance-tcp",
                "other_config:lacp-time=fast",
                "other_config:lacp-system-id=" + EVF_SYS_ID,
                "other_config:lacp-system-priority=%d" % EVF_SYS_PRIO,
                "other_config:bond-rebalance-interval=0")
        for n, m in enumerate(members):
            o.vsctl("set", "Interface", m, "other_config:lacp-aggregation-key=%d" % EVF_KEY,
                    "other_config:lacp-port-id=%d" % (n + 1))
        o.vsctl("add-port", self.bridge_leaf, self.lb)
        self._check_ports(self.bridge_leaf, members + [self.lb])

    def _check_ports(self, bridge, ifaces):
        for i in ifaces:
            err = self.ovs.vsctl("get", "Interface", i, "error").strip()
            ofport = self.ovs.vsctl("get", "Interface", i, "ofport").strip()
            if err not in ("[]", '""') or ofport in ("-1", "[]"):
                raise AssertionError("OVS could not open %s on %s: error %s, ofport %s\n%s"
                                     % (i, bridge, err, ofport, self.ovs.describe()))

    # ---- LACP / bond state ----
    def wait_bond(self, bond, members, partner_sys=None, partner_key=None, timeout=15,
                  partner_prio=None):
        """Wait until bond's LACP is negotiated and every member is current, attached,
        may_enable and enabled (and the partner is partner_sys/partner_key when
        given). Returns (seconds taken, lacp/show dict, bond/show dict); raises with
        both outputs when it does not happen within timeout."""
        t0 = time.monotonic()
        while True:
            why = []
            lacp_txt = self.ovs.appctl("lacp/show", bond)
            bond_txt = self.ovs.appctl("bond/show", bond)
            lacp, bnd = parse_lacp_show(lacp_txt), parse_bond_show(bond_txt)
            if "negotiated" not in lacp.get("status", []):
                why.append("lacp status %s" % lacp.get("status"))
            for m in members:
                lm, bm = lacp["members"].get(m), bnd["members"].get(m)
                if lm is None or bm is None:
                    why.append("%s not in the bond" % m)
                    continue
                for f in ("current", "attached"):
                    if f not in lm["flags"]:
                        why.append("%s not %s (%s)" % (m, f, " ".join(lm["flags"])))
                if not lm.get("may_enable"):
                    why.append("%s may_enable false" % m)
                if bm["state"] != "enabled":
                    why.append("%s %s in bond/show" % (m, bm["state"]))
                if partner_sys and lm["partner"].get("sys_id") != partner_sys:
                    why.append("%s partner %s" % (m, lm["partner"].get("sys_id")))
                if partner_key is not None and lm["partner"].get("key") != partner_key:
                    why.append("%s partner key %s" % (m, lm["partner"].get("key")))
                if partner_prio is not None and lm["partner"].get("sys_priority") != partner_prio:
                    why.append("%s partner priority %s" % (m, lm["partner"].get("sys_priority")))
                for side in ("actor", "partner"):
                    st = lm[side].get("state", [])
                    for f in ("synchronized", "collecting", "distributing"):
                        if f not in st:
                            why.append("%s %s not %s" % (m, side, f))
                    for f in ("expired", "defaulted"):
                        if f in st:
                            why.append("%s %s %s" % (m, side, f))
            dt = time.monotonic() - t0
            if not why:
                return dt, lacp, bnd
            if dt > timeout:
                raise AssertionError("OVS %s not negotiated within %d s: %s\n"
                                     "---- lacp/show ----\n%s---- bond/show ----\n%s"
                                     % (bond, timeout, "; ".join(why), lacp_txt, bond_txt))
            time.sleep(0.2)

    def lacp(self, bond):
        return self.ovs.lacp(bond)

    def bond(self, bond):
        return self.ovs.bond(bond)

    def spread_bond(self, bond):
        """Make OVS deal its balance-tcp hash entries over the enabled members again.
        With bond-rebalance-interval 0, OVS moves a disabled member's hashes to the
        others but never gives them back when the member is enabled again
        (bond/migrate only works on balance-slb). A new bond-hash-basis makes it
        reset every entry; entries are then assigned round robin as flows come."""
        self.hash_basis = getattr(self, "hash_basis", 0) + 1
        self.ovs.vsctl("set", "Port", bond, "other_config:bond-hash-basis=%d" % self.hash_basis)

    @staticmethod
    def kstat(iface, counter):
        """A kernel counter of a root-namespace interface (/sys/class/net/IF/statistics):
        exact and current (OVS's Interface statistics column lags by up to 5 s)."""
        with open("/sys/class/net/%s/statistics/%s" % (iface, counter)) as fh:
            return int(fh.read())

    def member_tx(self, ifaces):
        """{iface: tx_packets}: what OVS sent on each of its member ends."""
        return {i: self.kstat(i, "tx_packets") for i in ifaces}

    def member_rx(self, ifaces):
        """{iface: rx_packets}: what arrived at OVS's member ends (= what the other
        end, evfwd or br-leaf, transmitted)."""
        return {i: self.kstat(i, "rx_packets") for i in ifaces}

    # ---- nftables: drop LACPDUs on one link ----
    def nft_drop_slow(self, device, hook="egress"):
        """An nftables netdev table dropping EtherType 0x8809 on device at hook
        (ingress or egress). Returns the table name; nft_delete() removes it."""
        name = "evfl_%s_%d" % (self.tag, len(self.nft_tables))
        rule = ("table netdev %s { chain c { type filter hook %s device \"%s\" priority 0; "
                "ether type 0x8809 counter drop; }; }" % (name, hook, device))
        sh([NFT, rule])
        self.nft_tables.append(name)
        return name

    def nft_counter(self, name):
        out = sh([NFT, "list", "table", "netdev", name])
        m = re.search(r"counter packets (\d+)", out)
        return int(m.group(1)) if m else None

    def nft_delete(self, name):
        subprocess.run([NFT, "delete", "table", "netdev", name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if name in self.nft_tables:
            self.nft_tables.remove(name)

    # ---- teardown ----
    def cleanup(self):
        """evfwd runs and scapy peers, OVS, nftables tables, links, namespaces.
        Safe to call more than once."""
        if self.cleaned:
            return
        self.cleaned = True
        E._close_live()
        E._close_peers()
        for p in list(_agents):
            p.close()
        if self.ovs is not None:
            self.ovs.stop()
        for t in list(self.nft_tables):
            self.nft_delete(t)
        self.links.cleanup()
        if self.watchdog.poll() is None:     # nothing left for it to do
            self.watchdog.terminate()
            try:
                self.watchdog.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.watchdog.kill()
                self.watchdog.wait()
        if not self.owned:
            return
        if self.keep or self.failed:
            sys.stderr.write("ovslab: kept %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def leftovers(self):
        """Everything of this lab still there: namespaces, links, nft tables, processes."""
        out = E.Links.leftovers(self.prefix)
        nft = sh([NFT, "list", "tables"], check=False)
        out += ["nft " + l for l in nft.splitlines() if "evfl_%s_" % self.tag in l]
        if self.ovs is not None:
            out += ["process %s" % n for n, up in self.ovs.running().items() if up]
        out += ["evfwd pid %d" % r.proc.pid for r in E._live if r.proc.poll() is None]
        out += ["scapy peer %s" % p.ifaces for p in E._peers if p.proc.poll() is None]
        out += ["agent %s" % a.what for a in _agents if a.proc.poll() is None]
        if self.watchdog.poll() is None:
            out.append("watchdog pid %d" % self.watchdog.pid)
        for dev in (self.bridge_host, self.bridge_leaf, "ovs-netdev"):
            if self.ovs is not None and os.path.exists("/sys/class/net/" + dev) and \
                    not _other_vswitchd():
                out.append("link %s (OVS netdev-datapath tap)" % dev)
        return out


def boost(pid, nice=-10, group=True):
    """Raise the scheduling priority of our own process pid (all threads of its
    process group when group: evfwd and the OVS daemons run in their own session),
    so that other load on this small machine does not stall the data path."""
    try:
        os.setpriority(os.PRIO_PGRP if group else os.PRIO_PROCESS, pid, nice)
    except OSError as e:
        raise AssertionError("cannot raise the priority of pid %d: %s" % (pid, e))


def ranges(nums):
    """[1,2,3,7,8] -> '1-3,7-8' (at most 12 ranges): lost sequence numbers in messages."""
    out, start, prev = [], None, None
    for x in sorted(nums):
        if start is None:
            start = prev = x
        elif x == prev + 1:
            prev = x
        else:
            out.append((start, prev))
            start = prev = x
    if start is not None:
        out.append((start, prev))
    txt = ",".join("%d" % a if a == b else "%d-%d" % (a, b) for a, b in out[:12])
    return txt + (",..." if len(out) > 12 else "")


def pct(x):
    return "%.0f%%" % (100 * x)


def machine_load(top=8):
    """Load average and the busiest processes: context for timing failures."""
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    ps = subprocess.run(["ps", "-eo", "pid,ni,pcpu,etime,args", "--sort=-pcpu"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    lines = [l[:140] for l in ps.splitlines()[:top + 1]]
    return "load average %s (%d CPUs); busiest processes:\n  %s" % (
        " ".join(load), os.cpu_count() or 0, "\n  ".join(lines))


def _other_vswitchd():
    """True when an ovs-vswitchd that is not ours runs (then br-* may be its own)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/comm" % pid) as fh:
                if fh.read().strip() == "ovs-vswitchd":
                    return True
        except OSError:
            pass
    return False


def other_labs():
    """PIDs of ovs-vswitchd processes of other ovslab runs (another lacp test, possibly
    from another checkout, on this machine): the userspace datapath's tap ovs-netdev
    and br-host are global names, so two labs cannot run at the same time."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if os.path.basename(cmd.split(" ", 1)[0]) == "ovs-vswitchd" and \
                ("/ovslab-" in cmd or "/evflacp-" in cmd):
            out.append(int(pid))
    return out


def wait_other_labs(timeout=150, say=None):
    """Wait until no other ovslab run's ovs-vswitchd is left (see other_labs());
    returns the seconds waited, raises AssertionError after timeout."""
    t0 = time.monotonic()
    told = False
    while True:
        pids = other_labs()
        if not pids:
            return time.monotonic() - t0
        if not told and say is not None:
            say("ovslab: another lab's ovs-vswitchd runs (pid %s); waiting up to %d s"
                % (pids, timeout))
            told = True
        if time.monotonic() - t0 > timeout:
            raise AssertionError("another OVS lab (ovs-vswitchd pid %s) still runs after %d s: "
                                 "the netdev datapath (tap ovs-netdev, br-host) cannot be "
                                 "shared" % (pids, timeout))
        time.sleep(1.0)


# ------------------------------------------------------- traffic agents --
# Small raw-socket processes (plain Python, no scapy: fast enough for a paced
# stream of 1000+ pps on this machine), each on one interface, optionally
# inside a namespace. Protocol on stdin/stdout, one line each:
#   sender:  "f HEX" loads a template frame; "clear" drops them;
#            "go RATE COUNT SEQOFF SEQBASE" sends COUNT frames cycling through the
#            templates, frame i with the 32-bit sequence number SEQBASE+i written at
#            byte SEQOFF (SEQOFF -1: as is), paced at RATE pps; it answers
#            "started T0" (time.monotonic(), the same clock in every process here)
#            and, when finished, "done COUNT SECONDS".
#   counter: records every frame containing MAGIC followed by a sequence number,
#            separately for frames arriving on the interface ("in") and frames the
#            interface transmitted ("out", PACKET_OUTGOING: seen by every packet
#            socket on it); "seqs in|out" -> "seqs SEQ:N ..."; "frames in|out" ->
#            "frame SEQ HEX" lines (first copy of each) then "end"; "reset" -> "ok".

_AGENT = r"""
import os, socket, struct, sys, time, select
mode, ifname = sys.argv[1], sys.argv[2]
# a sender's socket (protocol 0) receives nothing; a counter's gets every frame
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0 if mode == "send" else socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
s.bind((ifname, 0))
if mode == "send":
    frames = []
    print("ready", flush=True)
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "f":
            frames.append(bytes.fromhex(w[1]))
        elif w[0] == "clear":
            frames = []
        elif w[0] == "go":
            rate, n, off, base = float(w[1]), int(w[2]), int(w[3]), int(w[4])
            t0 = time.monotonic()
            print("started %.6f" % t0, flush=True)
            for i in range(n):
                f = frames[i % len(frames)]
                if off >= 0:
                    f = bytearray(f)
                    struct.pack_into("!I", f, off, base + i)
                due = t0 + i / rate
                d = due - time.monotonic()
                if d > 0:
                    time.sleep(d)
                while True:
                    try:
                        s.send(f)
                        break
                    except (BlockingIOError, OSError) as e:
                        if getattr(e, "errno", 0) not in (105, 11):   # ENOBUFS, EAGAIN
                            raise
                        time.sleep(0.0002)
            print("done %d %.6f" % (n, time.monotonic() - t0), flush=True)
        elif w[0] == "quit":
            break
else:
    magic = bytes.fromhex(sys.argv[3])
    seen = {"in": {}, "out": {}}
    first = {"in": {}, "out": {}}
    print("ready", flush=True)
    while True:
        r, _, _ = select.select([s, sys.stdin], [], [], 1)
        if s in r:
            while True:
                try:
                    b, addr = s.recvfrom(65535, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                except OSError as e:
                    # ENETDOWN: the link went down (a failover test); the socket
                    # receives again once it is back up
                    if e.errno in (100, 6):
                        break
                    raise
                k = b.find(magic)
                if k < 0 or k + len(magic) + 4 > len(b):
                    continue
                d = "out" if addr[2] == socket.PACKET_OUTGOING else "in"
                seq, = struct.unpack_from("!I", b, k + len(magic))
                seen[d][seq] = seen[d].get(seq, 0) + 1
                if seq not in first[d]:
                    first[d][seq] = b
        if sys.stdin in r:
            line = sys.stdin.readline()
            w = line.split()
            if not line or (w and w[0] == "quit"):
                break
            if not w:
                continue
            if w[0] == "seqs":
                print("seqs " + " ".join("%d:%d" % kv for kv in sorted(seen[w[1]].items())),
                      flush=True)
            elif w[0] == "frames":
                out = ["frame %d %s" % (q, f.hex()) for q, f in sorted(first[w[1]].items())]
                print("\n".join(out + ["end"]), flush=True)
            elif w[0] == "reset":
                seen = {"in": {}, "out": {}}
                first = {"in": {}, "out": {}}
                print("ok", flush=True)
"""

_agents = []


class Agent:
    """One raw-socket agent process (see _AGENT) on ifname in namespace ns."""

    def __init__(self, mode, ifname, ns=None, magic=None, timeout=10):
        args = ["/usr/bin/python3", "-c", _AGENT, mode, ifname] + ([magic.hex()] if magic else [])
        if ns is not None:
            args = [IP_CMD, "netns", "exec", ns] + args
        self.what = "%s on %s%s" % (mode, ifname, " (netns %s)" % ns if ns else "")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        _agents.append(self)
        self.rd = E._LineReader(self.proc.stdout.fileno())
        line = self.rd.readline(timeout)
        if line != "ready":
            raise AssertionError("agent %s did not start: %r\n%s" % (self.what, line,
                                                                     self._kill()))
        if mode == "send":   # its pacing (and the loss timing derived from it) matters
            boost(self.proc.pid, -5, group=False)

    def _write(self, text):
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except OSError as e:
            raise AssertionError("agent %s is gone: %s\n%s" % (self.what, e, self._kill()))

    def _read(self, prefix, timeout):
        line = self.rd.readline(timeout)
        if line is None or not line.startswith(prefix):
            raise AssertionError("agent %s: expected %r, got %r\n%s"
                                 % (self.what, prefix, line, self._kill()))
        return line

    # sender
    def load(self, frames):
        """Replace the template frames."""
        self._write("clear\n" + "".join("f %s\n" % bytes(f).hex() for f in frames))

    def go(self, rate, count, seq_off=-1, seq_base=0):
        """Start sending; returns the sender's start time (time.monotonic())."""
        self._write("go %s %d %d %d\n" % (rate, count, seq_off, seq_base))
        return float(self._read("started ", 10).split()[1])

    def wait_done(self, timeout):
        """-> (frames sent, seconds it took)"""
        w = self._read("done ", timeout).split()
        return int(w[1]), float(w[2])

    def send(self, frames, rate=2000):
        """Send frames once, in order, and wait until they are out."""
        self.load(frames)
        self.go(rate, len(frames))
        return self.wait_done(30 + len(frames) / rate)

    # counter
    def seqs(self, direction="in", timeout=20):
        """{sequence number: times seen}"""
        self._write("seqs %s\n" % direction)
        line = self._read("seqs", timeout)
        out = {}
        for kv in line.split()[1:]:
            k, v = kv.split(":")
            out[int(k)] = int(v)
        return out

    def frames(self, direction="in", timeout=20):
        """{sequence number: bytes of its first copy}"""
        self._write("frames %s\n" % direction)
        out = {}
        while True:
            line = self.rd.readline(timeout)
            if line is None:
                raise AssertionError("agent %s: no answer to frames\n%s" % (self.what,
                                                                           self._kill()))
            if line == "end":
                return out
            _, q, h = line.split(" ", 2)
            out[int(q)] = bytes.fromhex(h)

    def reset(self):
        self._write("reset\n")
        self._read("ok", 10)

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            _, err = self.proc.communicate(timeout=5)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            err = b""
        return (err or b"").decode(errors="replace")[-3000:]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()


atexit.register(lambda: [a.close() for a in _agents])


# -------------------------------------------------------------- frames --


def ipv4_udp(src_mac, dst_mac, sip, dip, sport, dport, payload, size=None, ttl=64):
    """Ethernet / IPv4 (DF, ID 0, valid header checksum) / UDP (checksum 0, i.e. none)
    / payload, padded with a pattern to size bytes; built with struct (fast)."""
    if size is not None and size > 42 + len(payload):
        payload = payload + bytes((i * 7 + 3) & 0xff for i in range(size - 42 - len(payload)))
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(payload), 0,
                               0x4000, ttl, 17, 0, socket.inet_aton(sip), socket.inet_aton(dip)))
    struct.pack_into("!H", ip, 10, E.ip_checksum(bytes(ip)))
    return E.mac_bytes(dst_mac) + E.mac_bytes(src_mac) + b"\x08\x00" + bytes(ip) + udp + payload


def vxlan_udp(inner, vni, src_ip, dst_ip, smac, dmac, sport):
    """VXLAN over IPv4 as a remote VTEP sends it (UDP checksum 0)."""
    return ipv4_udp(smac, dmac, src_ip, dst_ip, sport, E.VXLAN_PORT,
                    E.vxlan_hdr(vni) + inner)


def with_seq(frame, magic, seq):
    """frame with the 32-bit seq written right after magic (as the sender agent does)."""
    k = frame.find(magic)
    if k < 0:
        raise ValueError("no magic in frame")
    b = bytearray(frame)
    struct.pack_into("!I", b, k + len(magic), seq)
    return bytes(b)


def seq_offset(frame, magic):
    k = frame.find(magic)
    if k < 0:
        raise ValueError("no magic in frame")
    return k + len(magic)


def share(counts):
    """{k: n} -> {k: fraction of the total} (0 when the total is 0)."""
    tot = sum(counts.values())
    return {k: (v / tot if tot else 0.0) for k, v in counts.items()}


def delta(after, before):
    return {k: after[k] - before.get(k, 0) for k in after}


# ----------------------------------------------------------- self-test --


def selftest(verbose=True):
    """OVS against OVS over the member veths; returns a list of result lines, raises
    AssertionError on any failure. Everything is torn down, also on failure."""
    def say(msg):
        report.append(msg)
        if verbose:
            print(msg, flush=True)

    report = []
    lab = OvsLab()
    try:
        lab.make_links(leaf=True)
        lab.start_ovs()
        say("%s: private run dir %s" % (lab.ovs.version(), lab.ovs.dir))
        lab.make_host_bridge()
        lab.make_leaf_bridge()
        t_host, lacp_h, bond_h = lab.wait_bond(lab.bond_host, [lab.m1o, lab.m2o],
                                               partner_sys=EVF_SYS_ID, partner_key=EVF_KEY,
                                               partner_prio=EVF_SYS_PRIO)
        t_leaf, lacp_l, bond_l = lab.wait_bond(lab.bond_leaf, [lab.m1, lab.m2],
                                               partner_sys=HOST_SYS_ID, timeout=15)
        say("both bonds negotiated: bond0 after %.1f s, bond1 after %.1f s more"
            % (t_host, t_leaf))
        for m in (lab.m1o, lab.m2o):
            lm = lacp_h["members"][m]
            say("  bond0 %s: %s, may_enable %s, partner %s prio %d key %d port %d state %s"
                % (m, " ".join(lm["flags"]), lm["may_enable"], lm["partner"]["sys_id"],
                   lm["partner"]["sys_priority"], lm["partner"]["key"],
                   lm["partner"]["port_id"], ",".join(lm["partner"]["state"])))
        ports = sorted(lacp_h["members"][m]["partner"]["port_id"] for m in (lab.m1o, lab.m2o))
        if ports != [1, 2]:
            raise AssertionError("bond0's partner port ids are %s, expected [1, 2]" % ports)
        if bond_h.get("lacp_status") != "negotiated" or bond_h.get("bond_mode") != "balance-tcp":
            raise AssertionError("bond0 bond/show: %s" % bond_h)
        # 200 UDP flows host -> leaf: spread over both members, each exactly once
        magic = b"EVFLSELF"
        cnt = Agent("count", lab.lh, ns=lab.ns_leaf, magic=magic)
        snd = Agent("send", lab.hh, ns=lab.ns_host)
        # per member: what OVS br-host transmitted ("out" on its ends) and what the
        # leaf ends received ("in"): the same sequence numbers must show on both
        mo = {m: Agent("count", m, magic=magic) for m in (lab.m1o, lab.m2o)}
        mi = {m: Agent("count", m, magic=magic) for m in (lab.m1, lab.m2)}
        # teach br-leaf and br-host where the MACs are (one frame each way)
        Agent("send", lab.lh, ns=lab.ns_leaf).send(
            [ipv4_udp(LEAF_MAC, HOST_MAC, LEAF_IP, HOST_IP, 7000, 7000, b"hello", size=64)])
        time.sleep(0.5)
        frames = [ipv4_udp(HOST_MAC, LEAF_MAC, HOST_IP, LEAF_IP, 20000 + k, 7000,
                           magic + bytes(4), size=128) for k in range(200)]
        before = lab.member_tx([lab.m1o, lab.m2o])
        snd.load(frames)
        snd.go(2000, len(frames), seq_offset(frames[0], magic), 0)
        snd.wait_done(30)
        time.sleep(1.0)
        seen = cnt.seqs()
        after = lab.member_tx([lab.m1o, lab.m2o])
        d = delta(after, before)
        out = {m: a.seqs("out") for m, a in mo.items()}
        inn = {m: a.seqs("in") for m, a in mi.items()}
        n_out = {m: len(v) for m, v in out.items()}
        sh_ = share(n_out)
        say("200 flows host -> leaf: bond0 sent %s (%s); kernel tx counters %s (LACPDUs too)"
            % (n_out, ", ".join("%s %.0f%%" % (k, 100 * v) for k, v in sh_.items()), d))
        missing = [k for k in range(200) if k not in seen]
        dup = {k: v for k, v in seen.items() if v != 1}
        if missing or dup:
            raise AssertionError("leaf got %d of 200 flows (missing %s), duplicates %s"
                                 % (len(seen), missing[:20], dup))
        for k, v in sh_.items():
            if not 0.2 <= v <= 0.8:
                raise AssertionError("member %s carried %.0f%% of the flows (%s)"
                                     % (k, 100 * v, n_out))
        if set(out[lab.m1o]) != set(inn[lab.m1]) or set(out[lab.m2o]) != set(inn[lab.m2]) \
                or set(out[lab.m1o]) & set(out[lab.m2o]):
            raise AssertionError("per-member agents disagree: out %s in %s"
                                 % ({m: sorted(v)[:10] for m, v in out.items()},
                                    {m: sorted(v)[:10] for m, v in inn.items()}))
        for k, v in d.items():
            if v < n_out[k]:
                raise AssertionError("kernel tx counter of %s (%d) below the frames seen (%d)"
                                     % (k, v, n_out[k]))
        say("every flow arrived exactly once; per-member capture agrees on both veth ends")
        # link down on one member: OVS moves everything to the other
        sh([IP_CMD, "link", "set", lab.m2o, "down"])
        t0 = time.monotonic()
        while True:
            b = lab.bond(lab.bond_host)
            if b["members"][lab.m2o]["state"] == "disabled":
                break
            if time.monotonic() - t0 > 5:
                raise AssertionError("bond0 still uses %s 5 s after link down:\n%s"
                                     % (lab.m2o, b))
            time.sleep(0.1)
        say("link down on %s: bond0 disabled it after %.2f s" % (lab.m2o, time.monotonic() - t0))
        sh([IP_CMD, "link", "set", lab.m2o, "up"])
        dt, _, _ = lab.wait_bond(lab.bond_host, [lab.m1o, lab.m2o], partner_sys=EVF_SYS_ID)
        say("link up again: both members enabled after %.1f s" % dt)
        for a in list(mo.values()) + [cnt]:
            a.reset()
        snd.go(2000, len(frames), seq_offset(frames[0], magic), 1000)
        snd.wait_done(30)
        time.sleep(0.5)
        n_after = {m: len(a.seqs("out")) for m, a in mo.items()}
        lab.spread_bond(lab.bond_host)
        for a in list(mo.values()) + [cnt]:
            a.reset()
        snd.go(2000, len(frames), seq_offset(frames[0], magic), 2000)
        snd.wait_done(30)
        time.sleep(0.5)
        n_spread = {m: len(a.seqs("out")) for m, a in mo.items()}
        if len(cnt.seqs()) != 200:
            raise AssertionError("after the new hash basis the leaf got %d of 200"
                                 % len(cnt.seqs()))
        for k, v in share(n_spread).items():
            if not 0.2 <= v <= 0.8:
                raise AssertionError("after the new hash basis %s carried %.0f%% (%s)"
                                     % (k, 100 * v, n_spread))
        say("after link up OVS kept its hashes on the survivor: %s; a new bond-hash-basis "
            "spread them again: %s" % (n_after, n_spread))
        # LACPDUs dropped on m2 (OVS -> leaf direction): the leaf times out m2
        t = lab.nft_drop_slow(lab.m2o, hook="egress")
        t0 = time.monotonic()
        while True:
            lm = lab.ovs.lacp(lab.bond_leaf)["members"][lab.m2]
            if "current" not in lm["flags"] or not lm.get("may_enable"):
                break
            if time.monotonic() - t0 > 8:
                raise AssertionError("bond1 %s still current 8 s after LACPDUs were blocked "
                                     "(nft counter %s)" % (lab.m2, lab.nft_counter(t)))
            time.sleep(0.1)
        say("LACPDUs dropped on %s egress (nft counter %s): bond1 %s %s after %.1f s"
            % (lab.m2o, lab.nft_counter(t), lab.m2, " ".join(lm["flags"]),
               time.monotonic() - t0))
        lab.nft_delete(t)
        dt, _, _ = lab.wait_bond(lab.bond_leaf, [lab.m1, lab.m2], partner_sys=HOST_SYS_ID)
        say("rule deleted: bond1 both members enabled after %.1f s" % dt)
        for a in list(_agents):
            a.close()
    except BaseException:
        lab.failed = True
        raise
    finally:
        lab.cleanup()
        left = lab.leftovers()
    if left:
        raise AssertionError("left behind after cleanup: %s" % left)
    say("teardown: no namespace, link, nft table or process left (prefix %s)" % lab.prefix)
    return report


if __name__ == "__main__":
    install_signal_handlers()
    try:
        selftest()
    except AssertionError as e:
        sys.stderr.write("FAIL: %s\n" % e)
        sys.exit(1)
    print("PASS: OVS-OVS LACP self-test")
