#!/usr/bin/python3
"""bench_gobgp.py: the EVPN control plane's rates, evfwd-gobgp against gobgpd
alone, every figure from one run.

  intake N (default 5000 and 20000): a peer gobgpd (A) originates N RT2 through
      its gRPC API (evfwd-gobgp bench inject: batched AddPathStream); the
      leaf's gobgpd (B) has them in its RIB at t_rib; evfwd, fed by the
      adapter attached to B, has applied them all at t_evfwd (evfwd-ctl
      status). Reported: t_rib and t_evfwd from the start of the injection,
      and the adapter's lag t_evfwd - t_rib. "gobgpd alone" is the same
      without evfwd and adapter.
  origination N (default 20000): evfwd learns N MACs on an access port (a pcap
      replayed at start); evfwd-gobgp, started then, originates them all on
      its gobgpd (dump, model, batched AddPathStream): time until gobgpd's
      RIB holds N local paths, against gobgpd alone taking the same N paths
      from one AddPathStream client (the same evfwd runs beside it). Rounds
      alternate between the two modes; the medians and their ratio are reported.

Every gobgpd is fresh for each measurement (gobgpd 3.10 checks MAC mobility
against its whole table, so what an earlier round left would slow the next).
Speakers on 127.68.N.x, BGP port 10180; evfwd on net_null/net_pcap ports.
Output: build/bench/gobgp.md (copy the figures into doc/benchmark.md).

  scripts/bench_gobgp.py [--counts 5000,20000] [--origin 20000] [--rounds 3]
"""
import argparse
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
BUILD = os.path.join(ROOT, "build", "app")
EVFWD = os.path.join(BUILD, "evfwd")
CTL = os.path.join(BUILD, "evfwd-ctl")
ADAPTER = os.path.join(BUILD, "evfwd-gobgp")
GOBGPD = shutil.which("gobgpd")
GOBGP = shutil.which("gobgp")
BASE = "127.68.%d." % (os.getpid() % 250 + 1)
PORT = 10180
EAL = ["--no-huge", "--no-shconf", "-m", "1024", "--no-pci", "-l", "0-1",
       "--log-level=lib.eal:error", "--log-level=pmd.net.pcap:error"]
procs = []


def mono():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def spawn(args, log, **kw):
    fh = open(log, "a")
    p = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True, **kw)
    fh.close()
    procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM):
    if p.poll() is None:
        try:
            os.killpg(p.pid, sig)
        except OSError:
            pass
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def stop_all():
    for p in reversed(procs):
        stop(p)
    procs.clear()


def wait(pred, timeout, what):
    end = mono() + timeout
    while not pred():
        if mono() > end:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.05)


def gobgpd(d, name, n, peers):
    lines = ['[global.config]', '  as = 65000', '  router-id = "10.0.0.%d"' % n,
             '  port = %d' % PORT, '  local-address-list = ["%s%d"]' % (BASE, n)]
    for m in peers:
        lines += ['[[neighbors]]', '  [neighbors.config]',
                  '    neighbor-address = "%s%d"' % (BASE, m), '    peer-as = 65000',
                  '  [neighbors.transport.config]', '    local-address = "%s%d"' % (BASE, n),
                  '    remote-port = %d' % PORT, '  [neighbors.timers.config]',
                  '    connect-retry = 1', '    hold-time = 30', '    keepalive-interval = 10',
                  '  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]',
                  '      afi-safi-name = "l2vpn-evpn"']
    cfg = os.path.join(d, name + ".toml")
    with open(cfg, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return spawn([GOBGPD, "-f", cfg, "-p", "--api-hosts", "%s%d:50051" % (BASE, n),
                  "--pprof-disable", "-l", "warn"], os.path.join(d, name + ".log"))


def api(n):
    return "%s%d:50051" % (BASE, n)


def established(n, peer):
    r = subprocess.run([GOBGP, "-u", BASE + str(n), "-p", "50051", "neighbor"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return any(l.split()[:1] == [BASE + str(peer)] and "Establ" in l for l in r.stdout.splitlines())


def bench(*args):
    r = subprocess.run([ADAPTER, "bench"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError("evfwd-gobgp bench %s: %s %s" % (" ".join(args), r.stdout, r.stderr))
    return r.stdout


def inject(n, count, withdraw=False):
    out = bench("inject", "--gobgpd", api(n), "--count", str(count), *(
        ["--withdraw"] if withdraw else []))
    m = re.search(r"start ([\d.]+) end ([\d.]+)", out)
    return float(m.group(1)), float(m.group(2))


def count_at(n, count, local=False):
    out = bench("count", "--gobgpd", api(n), "--count", str(count), *(
        ["--local"] if local else []))
    return float(re.search(r"at ([\d.]+)", out).group(1))


def evfwd(d, ring, pcap=None, cmds=False):
    """evfwd on null ports (and a pcap access port); with cmds, a FIFO as its
    command file, open for writing: returns (process, fd)."""
    # the MACs' frames replayed in a loop: a burst of new MACs can overflow the
    # workers' learn ring, and a MAC not learned the first time is the next
    acc = ('"net_pcap1,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1"' % pcap) if pcap else \
        '"net_null1,no-rx=1"'
    cfg = os.path.join(d, "evfwd.yaml")
    with open(cfg, "w") as fh:
        fh.write("""node: {vtep-ipv4: 198.18.0.1, mac: "02:00:00:00:00:01", fdb-capacity: 131072, mbufs: 65536}
ports:
  - {name: uplink, device: "net_null0,no-rx=1", role: network, next-hop-mac: "02:00:00:00:00:fe"}
  - {name: acc0, device: %s, role: access}
mac-vrfs:
  - {name: blue, vni: 100, mac-aging: 0, attachments: [{port: acc0, vlan: untagged}]}
control-ring: {name: %s, records: 65536, event-records: 65536, hold-time: 120}
workers: {count: 1, idle-sleep-us: 200}
""" % (acc, ring))
    extra = []
    if cmds:
        fifo = os.path.join(d, "cmds.fifo")
        os.mkfifo(fifo)
        extra = ["--cmdline-file", fifo]
    p = spawn([EVFWD] + EAL + ["--", "--config", cfg, "--max-runtime", "1800"] + extra,
              os.path.join(d, "evfwd.log"), cwd=d)
    wait(lambda: os.path.exists("/dev/shm" + ring), 30, "evfwd's ring")
    if not cmds:
        return p
    fd = []

    def opened():
        try:
            fd.append(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            return True
        except OSError:
            return False
    wait(opened, 30, "evfwd's command file")
    os.set_blocking(fd[0], True)
    return p, fd[0]


def learned(d, ring, count):
    """evfwd with count MACs learned on its access port, which is then stopped:
    the worker is idle (it sleeps) whatever is measured next, adapter or not."""
    pcap = os.path.join(d, "learn.pcap")
    learn_pcap(pcap, count)
    p, fd = evfwd(d, ring, pcap, cmds=True)
    wait(lambda: events_written(ring) >= count, 60, "evfwd learning the MACs")
    os.write(fd, b"port stop acc0\n")
    time.sleep(1)
    return p, fd


def applied(ring):
    r = subprocess.run([CTL, "--ring", ring, "status"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"(\d+) routes applied", r.stdout)
    return int(m.group(1)) if m else -1


def events_written(ring):
    r = subprocess.run([CTL, "--ring", ring, "status"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"events written (\d+)", r.stdout)
    return int(m.group(1)) if m else -1


def adapter(d, ring, n):
    st = os.path.join(d, "adapter.json")
    p = spawn([ADAPTER, "--gobgpd", api(n), "--ring", ring, "--status-file", st,
               "--heartbeat", "200ms"], os.path.join(d, "adapter.log"))

    def ready():
        try:
            s = json.load(open(st))
        except (OSError, ValueError):
            return False
        return s["ring"]["synced"] and s["bgp"]["watching"]
    wait(ready, 60, "evfwd-gobgp ready")
    return p


def intake(d, count, mode):
    """One intake measurement in a fresh pair of gobgpd: returns a dict of times."""
    gobgpd(d, "A", 1, [2])
    gobgpd(d, "B", 2, [1])
    wait(lambda: established(2, 1), 30, "A-B session")
    ring = "/evfbench-%d" % os.getpid()
    res = {}
    if mode != "gobgpd":
        evfwd(d, ring)
        adapter(d, ring, 2)
        base = applied(ring)
    t0, t1 = inject(1, count)
    res["inject_s"] = t1 - t0
    res["rib_s"] = count_at(2, count) - t0
    if mode != "gobgpd":
        end = mono() + 600
        while applied(ring) < base + count and mono() < end:
            time.sleep(0.01)
        res["evfwd_s"] = mono() - t0 if applied(ring) >= base + count else None
    stop_all()
    return res


def learn_pcap(path, n):
    """n Ethernet frames from n distinct source MACs (02:aa:...) to a broadcast."""
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            f = (b"\xff" * 6 + bytes([0x02, 0xaa, (i >> 24) & 255, (i >> 16) & 255,
                                      (i >> 8) & 255, i & 255]) + b"\x88\xb5" + b"\x00" * 46)
            fh.write(struct.pack("<IIII", 0, 0, len(f), len(f)) + f)


def origination(d, count, mode):
    # B has no peer: every path in its table is one it originates (counted
    # with GetTable, not by listing them: a listing of 20,000 paths every
    # 20 ms would slow gobgpd down)
    gobgpd(d, "B", 2, [])
    wait(lambda: subprocess.run([GOBGP, "-u", BASE + "2", "-p", "50051", "global"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0,
         30, "gobgpd B")
    res = {}
    ring = "/evfbench-%d" % os.getpid()
    if mode == "gobgpd":
        # the same evfwd runs beside it (same machine load), without adapter
        learned(d, ring, count)
        t0, _ = inject(2, count)
        res["rib_s"] = count_at(2, count) - t0
    elif mode == "evfwd-gobgp":
        # every MAC learned before the adapter starts: it takes them from evfwd's dump
        learned(d, ring, count)
        t0 = mono()
        adapter(d, ring, 2)
        res["rib_s"] = count_at(2, count) - t0
    stop_all()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="5000,20000")
    ap.add_argument("--origin", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3, help="origination rounds (median)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "gobgp.md"))
    a = ap.parse_args()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    work = tempfile.mkdtemp(prefix="evfbench-gobgp-")
    lines = ["# EVPN control plane rates (%s)" % time.strftime("%Y-%m-%d %H:%M"), "",
             "## Intake: N RT2 originated on a peer gobgpd through its gRPC API", "",
             "| N | mode | injection | in the leaf gobgpd's RIB | applied by evfwd | evfwd after the RIB |",
             "| --- | --- | --- | --- | --- | --- |"]
    modes = ["gobgpd", "evfwd-gobgp"]
    try:
        for n in [int(x) for x in a.counts.split(",") if x.strip() not in ("", "none")]:
            for mode in modes:
                d = tempfile.mkdtemp(dir=work, prefix="in-%s-%d-" % (mode, n))
                r = intake(d, n, mode)
                ev = r.get("evfwd_s")
                lines.append("| %d | %s | %.2f s | %.2f s (%.0f/s) | %s | %s |" % (
                    n, mode, r["inject_s"], r["rib_s"], n / r["rib_s"],
                    "-" if mode == "gobgpd" else ("%.2f s" % ev if ev else "not all"),
                    "-" if mode == "gobgpd" or not ev else "%.3f s" % (ev - r["rib_s"])))
                print(lines[-1], flush=True)
        lines += ["", "## Origination: N MACs learned by evfwd, into the leaf gobgpd's RIB", "",
                  "| N | mode | until gobgpd's RIB holds them all |", "| --- | --- | --- |"]
        times = {"gobgpd": [], "evfwd-gobgp": []}
        for rnd in range(a.rounds):   # alternated, so that both see the same machine
            for mode in ("gobgpd", "evfwd-gobgp"):
                d = tempfile.mkdtemp(dir=work, prefix="out-%s-%d-" % (mode, rnd))
                times[mode].append(origination(d, a.origin, mode)["rib_s"])
                print("origination %s round %d: %.2f s" % (mode, rnd + 1, times[mode][-1]),
                      flush=True)
        med = {m: sorted(t)[len(t) // 2] for m, t in times.items()}
        for mode in ("gobgpd", "evfwd-gobgp"):
            lines.append("| %d | %s | median %.2f s (%.0f/s) of %s |" % (
                a.origin, mode, med[mode], a.origin / med[mode],
                ", ".join("%.2f" % t for t in times[mode])))
        # gobgpd's own time varies several-fold between rounds: the ratio of
        # each round's pair (run back to back) is steadier than that of medians
        pairs = [e / g for g, e in zip(times["gobgpd"], times["evfwd-gobgp"])]
        lines.append("| | evfwd-gobgp / gobgpd alone | ratio of medians %.2f; per round %s, median %.2f |" % (
            med["evfwd-gobgp"] / med["gobgpd"], ", ".join("%.2f" % r for r in pairs),
            sorted(pairs)[len(pairs) // 2]))
        print("\n".join(lines[-3:]), flush=True)
    finally:
        stop_all()
    with open(a.out, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    print("results: " + a.out)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda s, f: (stop_all(), sys.exit(1)))
    try:
        main()
    except BaseException:
        stop_all()
        raise
