#!/usr/bin/python3
"""ringlib.py: shared pieces of the control ring scenario tests (suite "ring").

Built on test/pkt/evfpkt.py (LiveRun: evfwd in the background with a FIFO
command file, so that shell commands can be issued while traffic flows).
Here: finding evfwd-ctl, a unique ring name per test process, evfwd shell
output parsers ("show fdb", "show ring", "show port stats", "show es",
"show mac-vrf NAME"), "evfwd-ctl status" parsing, a reader of the records of
a ring straight from the shared-memory object (ring_records, with the seal
checked by an independent CRC-32C), and a registry of child processes and
shared-memory objects that are always cleaned up at exit.
"""
import atexit
import os
import re
import signal
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "pkt"))
import evfpkt as E  # noqa: E402

EVFWD_CTL = os.environ.get("EVFWD_CTL") or os.path.join(_HERE, "..", "..", "build", "app",
                                                        "evfwd-ctl")
if not (os.path.isfile(EVFWD_CTL) and os.access(EVFWD_CTL, os.X_OK)):
    E._die("evfwd-ctl not found at %s (build it or set EVFWD_CTL)" % EVFWD_CTL)

_children = []
_shm = []


def ring_name(tag):
    """A shared-memory name unique to this test process."""
    name = "/evft-%s-%d" % (tag, os.getpid())
    _shm.append(name)
    return name


def spawn(args, **kw):
    """Popen registered for cleanup (own process group)."""
    kw.setdefault("start_new_session", True)
    p = subprocess.Popen(args, **kw)
    _children.append(p)
    return p


def kill(p, sig=signal.SIGTERM, timeout=10):
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, sig)
    except OSError:
        pass
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait(timeout)


def cleanup():
    for p in reversed(_children):
        kill(p)
    E._close_live()
    for name in _shm:
        try:
            os.unlink("/dev/shm/" + name.lstrip("/"))
        except OSError:
            pass


atexit.register(cleanup)


def ctl(ring, *args, timeout=60, input=None):
    """Run evfwd-ctl once; returns (rc, stdout, stderr)."""
    p = subprocess.run([EVFWD_CTL, "--ring", ring] + list(args), input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def ctl_status(ring):
    """evfwd-ctl status as a dict: produced, consumed, queued, epoch (routes ring),
    records, applied, generation, syncing, and the producer/evfwd counters."""
    rc, out, err = ctl(ring, "status")
    if rc != 0:
        raise AssertionError("evfwd-ctl status failed (rc %d): %s" % (rc, err))
    d = {}
    m = re.search(r"routes: \d+ records, produced (\d+), consumed (\d+), queued (\d+), "
                  r"producer epoch (0x[0-9a-fA-F]+|0)", out)
    if m:
        d.update(produced=int(m.group(1)), consumed=int(m.group(2)), queued=int(m.group(3)),
                 epoch=int(m.group(4), 16))
    m = re.search(r"(\d+) records read, (\d+) routes applied, generation (\d+)", out)
    if m:
        d.update(records=int(m.group(1)), applied=int(m.group(2)), generation=int(m.group(3)))
    m = re.search(r"manual: (\d+) records read, (\d+) routes applied, (\d+) rejected", out)
    if m:
        d.update(manual_records=int(m.group(1)), manual_applied=int(m.group(2)),
                 manual_rejected=int(m.group(3)))
    m = re.search(r"manual: \d+ records, produced (\d+), consumed (\d+)", out)
    if m:
        d.update(manual_produced=int(m.group(1)), manual_consumed=int(m.group(2)))
    m = re.search(r"dumps (\d+) \((\d+) records, last epoch (0x[0-9a-fA-F]+|0)\)", out)
    if m:
        d.update(dumps=int(m.group(1)), dump_records=int(m.group(2)),
                 dump_epoch=int(m.group(3), 16))
    d["syncing"] = "resync in progress" in out
    for k, rx in (("restarts", r"producer restarts (\d+)"), ("sync_begin", r"sync begin (\d+)"),
                  ("sync_end", r"sync end (\d+)"), ("hold_expiries", r"hold expiries (\d+)"),
                  ("swept", r"swept (\d+)"), ("heartbeats", r"heartbeats (\d+)"),
                  ("timeouts", r"producer timeouts (\d+)"),
                  ("bad_header", r"damaged header seen (\d+)"), ("bad_index", r"bad indices (\d+)")):
        m = re.search(rx, out)
        if m:
            d[k] = int(m.group(1))
    m = re.search(r"^  rejected:(.*)$", out, re.M)
    if m:
        w = m.group(1).split()
        d["rejected"] = {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}
    d["text"] = out
    return d


def shm_path(ring):
    """The file of a POSIX shared-memory object name (Linux: /dev/shm)."""
    return "/dev/shm/" + ring.lstrip("/")


def crc32c(data):
    """CRC-32C (Castagnoli, reflected 0x82F63B78, init and final xor ~0), bit by bit."""
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1))
    return crc ^ 0xffffffff


REC_FIELDS = ("rec_idx", "crc", "type", "op", "flags", "vtep_af", "ip_af", "df_alg", "df_pref",
              "vni", "seq", "esi", "mac", "vtep", "ip", "attach", "reserved0", "reserved1",
              "ts_ns", "ev_seq", "evi", "reserved3", "epoch", "reserved2")
_REC = struct.Struct("<IIBBBBBBHII10s6s16s16sHHIQQIIQ16s")


def ring_records(ring, which=0, first=None, last=None):
    """Records [first, last) of ring `which` (0 routes, 1 events, 2 manual) read straight
    from the shared-memory object (doc/ring-abi.md section 2), as dicts of the
    record fields plus "index" and "sealed" (rec_idx and CRC-32C right). By
    default, every record still in the ring up to its prod_idx."""
    with open(shm_path(ring), "rb") as fh:
        data = fh.read()
    offset, count = struct.unpack_from("<QI", data, 32 + 16 * which)
    prod = struct.unpack_from("<Q", data, 256 + 192 * which)[0]
    if last is None:
        last = prod
    if first is None:
        first = max(0, last - count)
    out = []
    for i in range(first, last):
        raw = data[offset + (i & (count - 1)) * 128:][:128]
        rec = dict(zip(REC_FIELDS, _REC.unpack(raw)))
        rec["index"] = i
        rec["sealed"] = rec["rec_idx"] == i & 0xffffffff and rec["crc"] == crc32c(raw[8:])
        out.append(rec)
    return out


def show_ring(lines):
    """Counters of 'show ring' output lines."""
    text = "\n".join(lines)
    d = {"text": text}
    m = re.search(r"Routes: generation (\d+)", text)
    if m:
        d["generation"] = int(m.group(1))
    d["resync"] = "resync in progress" in text
    d["hold_timer"] = "hold timer running" in text
    m = re.search(r"^Control ring: (.*)$", text, re.M)
    if m:
        # the counter line: "name value" pairs, whatever else the list grows
        counters = {k: int(v) for k, v in re.findall(r"([a-z][a-z ]*?) (\d+)(?:,|$)", m.group(1))}
        d["counters"] = counters
        for k, name in (("records", "records"), ("applied", "applied"),
                        ("epochs", "producer restarts"), ("sync_begin", "sync begin"),
                        ("sync_end", "sync end"), ("hold_expiries", "hold expiries"),
                        ("swept", "swept"), ("heartbeats", "heartbeats"),
                        ("timeouts", "producer timeouts"), ("bad_header", "damaged header"),
                        ("bad_index", "bad indices")):
            if name in counters:
                d[k] = counters[name]
    m = re.search(r"^Rejected:(.*)$", text, re.M)
    if m:
        w = m.group(1).split()
        d["rejected"] = {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}
    m = re.search(r"Ring \S+ routes: .* epoch (\d+)", text)
    if m:
        d["epoch"] = int(m.group(1))
    return d


def table(lines, first_col):
    """Rows (dicts) of the first evfwd table whose header starts with first_col."""
    for i, line in enumerate(lines):
        if line.startswith(first_col + " ") or line.strip() == first_col:
            rows, _ = E.parse_table(lines, i)
            return rows
    return []


def fdb_evpn(lines):
    """{(mac-vrf, mac): destination} of the evpn rows of 'show fdb' output, with the
    'Total MACs' line cross-checked."""
    rows = table(lines, "MAC-VRF")
    tot = [l for l in lines if l.startswith("Total MACs:")]
    if not tot:
        raise AssertionError("no 'Total MACs' line in:\n" + "\n".join(lines[-20:]))
    m = re.match(r"Total MACs: (\d+) \(learnt (\d+), static (\d+), evpn (\d+)\)", tot[0])
    if int(m.group(1)) != len(rows):
        raise AssertionError("'show fdb' printed %d rows but '%s'" % (len(rows), tot[0]))
    out = {(r["MAC-VRF"], r["Address"].lower()): r["Destination"] for r in rows if r["Type"] == "evpn"}
    if int(m.group(4)) != len(out):
        raise AssertionError("'show fdb': %d evpn rows but '%s'" % (len(out), tot[0]))
    return out


def port_tx(lines, port):
    """TX-packets of one port in 'show port stats' output."""
    for r in table(lines, "Port"):
        if r["Port"] == port:
            return int(r["TX-packets"])
    raise AssertionError("port %s not in:\n%s" % (port, "\n".join(lines)))


def wait_until(pred, timeout, interval=0.05, what="condition"):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)
