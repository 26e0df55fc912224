#!/usr/bin/python3
"""gobgp_adapter.py: feed evfwd's control ring from a GoBGP speaker (stdlib only).

    gobgp_adapter.py --gobgp-host 127.0.0.2 --gobgp-port 50052 --ring /evfwd \
        [--evfwd-ctl build/app/evfwd-ctl] [--verbose] [--status-file F] \
        [--advertise --nexthop 198.18.0.1 --rd-admin 10.0.0.2 --rt-asn 65000]

Routes (GoBGP -> evfwd)
    The adapter runs `gobgp -u HOST -p PORT monitor global rib -a evpn -j
    --current` (one JSON array of paths per line; adds, and withdrawals with
    "withdrawal": true) and one long-running `evfwd-ctl --ring NAME push
    --new-epoch` child, and writes route lines (doc/routes.md) to the child's
    standard input.

    Start-up and every restart (monitor lost, push child gone, the ring object
    re-created by a restarted evfwd) follow one procedure, because GoBGP has no
    sequence numbers and no end-of-dump marker:
      1. open the monitor first and buffer what it says (--current makes the
         watcher registration and the dump of the current table one step, so
         no event can fall between the monitor and the snapshot);
      2. take the snapshot `gobgp ... global rib -a evpn -j`;
      3. write "sync-begin", one add per route of the snapshot, "sync-end":
         evfwd withdraws every ring route not re-sent (doc/ring-abi.md);
      4. write the buffered events, then live events, in order (replaying the
         buffer after the snapshot gives the exact final state: duplicates are
         upserts, a withdrawal of something already gone is counted by evfwd
         as not-found and changes nothing).
    A "heartbeat" line goes out every --heartbeat seconds (default 3).

    Mapping (one GoBGP path -> one route line):
      type 1  etag 4294967295 (MAX-ET): "rt1 add esi E vtep V [single-active]"
              single-active from the ESI label extended community
              {type 6, subtype 1, is_single_active}; other etags (per-EVI):
              "rt1 add esi E vni <.label> vtep V"
      type 2  "rt2 add vni <labels[0]> mac M vtep V [esi E] [ip IP] [seq S]
              [sticky]", seq/sticky from the MAC mobility extended community
              {type 6, subtype 0, sequence, is_sticky}
      type 3  "rt3 add vni <PMSI label> vtep <originator ip>" (PMSI attribute
              type 22; without one, a non-zero etag is taken as the VNI)
      type 4  "rt4 add esi E vtep <originator ip> [df-alg A] [pref P]
              [dont-preempt]" from a DF Election extended community {type 6,
              subtype 6} if one is present (GoBGP 3.10 drops routes carrying
              it, so today RT4 arrives without it: evfwd's default, modulo)
      VTEP of types 1 and 2: the next hop (attribute type 14 .nexthop).
      ESI: GoBGP's display strings are converted back to the ten bytes for
      every type GoBGP prints: "single-homed", "ESI_ARBITRARY | xx:..",
      "ESI_LACP | system mac M, port key K", "ESI_MSTP | bridge mac M, priority
      P", "ESI_MAC | system mac M, local discriminator D", "ESI_ROUTERID |
      router id A, local discriminator D", "ESI_AS | as N, local discriminator
      D" (and the older "as X:Y" form), "ESIType(N) | xx:..", and the gRPC
      form {"type": N, "value": base64}.
    Skipped and counted (--status-file, and the summary on exit): type 5 and
    unknown route types, paths without a neighbor (routes originated on this
    GoBGP, e.g. our own advertisements), ESIs that cannot be decoded, routes
    without a usable VNI, RT1 with the zero ESI, and paths missing a field.

    Several BGP routes may map to one evfwd route (e.g. two RDs): the adapter
    keeps the BGP keys of each evfwd route and withdraws it only when the last
    one goes; a route whose attributes change the evfwd route (next hop, VNI)
    withdraws the old one.

Local MACs (evfwd -> GoBGP), with --advertise
    `evfwd-ctl --ring NAME watch` is read; "mac-learned" and "mac-moved" (to a
    local attachment) become `gobgp global rib add -a evpn macadv MAC 0.0.0.0
    [esi ...] etag 0 label VNI rd <rd-admin>:<VNI> rt <rt-asn>:<VNI> encap
    vxlan nexthop <nexthop>`, "mac-aged" and "mac-moved ... (now remote)" the
    matching `del`. Supported: MAC-only routes with the MAC's ESI (any ESI
    type, written in the CLI's per-type form). Not supported: the MAC
    mobility sequence and sticky bit (GoBGP's CLI cannot set the MAC mobility
    extended community), IP addresses, segment routes (es-up/es-down/df-change
    events are counted, not advertised), and MACs learned before the adapter
    started (the events ring is not a table: there is no local snapshot).

Options: --gobgp-host/--gobgp-port, --ring, --evfwd-ctl PATH, --gobgp PATH,
--verbose (every line written to stderr), --status-file FILE (JSON counters,
rewritten after every sync and heartbeat), --translate FILE|- (offline: print
the route lines for GoBGP JSON and exit; used by the tests).
"""
import argparse
import base64
import ctypes
import ipaddress
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

MAX_ET = 4294967295
_HERE = os.path.dirname(os.path.abspath(__file__))

# ------------------------------------------------------------------ ESI --

_MAC = r"([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})"
_ESI_FORMS = [
    (re.compile(r"^ESI_LACP \| system mac %s, port key (\d+)$" % _MAC), 1, "mac16"),
    (re.compile(r"^ESI_MSTP \| bridge mac %s, priority (\d+)$" % _MAC), 2, "mac16"),
    (re.compile(r"^ESI_MAC \| system mac %s, local discriminator (\d+)$" % _MAC), 3, "mac24"),
    (re.compile(r"^ESI_ROUTERID \| router id (\d+\.\d+\.\d+\.\d+), local discriminator (\d+)$"),
     4, "ip32"),
    (re.compile(r"^ESI_AS \| as (\d+), local discriminator (\d+)$"), 5, "as32"),
    (re.compile(r"^ESI_AS \| as (\d+):(\d+), local discriminator (\d+)$"), 5, "as16_16"),
]


def _hex_bytes(text, n=9):
    parts = text.split(":")
    if not 1 <= len(parts) <= n:
        raise ValueError("%d hex bytes" % len(parts))
    b = bytes(int(p, 16) for p in parts)
    if any(len(p) > 2 for p in parts):
        raise ValueError("bad hex byte")
    return b + bytes(n - len(b))


def esi_bytes(esi):
    """The ten ESI bytes of a GoBGP ESI (display string or gRPC dict)."""
    if isinstance(esi, dict):  # gRPC JSON: {"type": N, "value": base64 of 9 bytes}
        v = base64.b64decode(esi.get("value", "") or "")
        if len(v) > 9:
            raise ValueError("ESI value of %d bytes" % len(v))
        return bytes([int(esi.get("type", 0)) & 0xff]) + v + bytes(9 - len(v))
    if not isinstance(esi, str):
        raise ValueError("ESI %r" % (esi,))
    s = esi.strip()
    if s in ("single-homed", "0", ""):
        return bytes(10)
    m = re.match(r"^ESI_ARBITRARY \| ([0-9a-fA-F:]+)$", s)
    if m:
        return b"\x00" + _hex_bytes(m.group(1))
    m = re.match(r"^ESIType\((\d+)\) \| ([0-9a-fA-F:]+)$", s)
    if m:
        t = int(m.group(1))
        if t > 255:
            raise ValueError("ESI type %d" % t)
        return bytes([t]) + _hex_bytes(m.group(2))
    for rx, t, form in _ESI_FORMS:
        m = rx.match(s)
        if not m:
            continue
        g = m.groups()
        if form == "mac16":
            return bytes([t]) + _hex_bytes(g[0], 6) + int(g[1]).to_bytes(2, "big") + b"\x00"
        if form == "mac24":
            return bytes([t]) + _hex_bytes(g[0], 6) + int(g[1]).to_bytes(3, "big")
        if form == "ip32":
            return bytes([t]) + ipaddress.IPv4Address(g[0]).packed + \
                int(g[1]).to_bytes(4, "big") + b"\x00"
        if form == "as32":
            return bytes([t]) + int(g[0]).to_bytes(4, "big") + int(g[1]).to_bytes(4, "big") + b"\x00"
        return bytes([t]) + int(g[0]).to_bytes(2, "big") + int(g[1]).to_bytes(2, "big") + \
            int(g[2]).to_bytes(4, "big") + b"\x00"
    raise ValueError("ESI %r not understood" % s)


def esi_text(b):
    return ":".join("%02x" % x for x in b)


def esi_cli(b):
    """GoBGP CLI words for ten ESI bytes (ParseEthernetSegmentIdentifier)."""
    t, v = b[0], b[1:]
    mac = ":".join("%02x" % x for x in v[:6])
    if t == 0:
        return ["ARBITRARY", ":".join("%02x" % x for x in v)] if any(v) else ["single-homed"]
    if t in (1, 2) and v[8] == 0:
        return ["LACP" if t == 1 else "MSTP", mac, str(int.from_bytes(v[6:8], "big"))]
    if t == 3:
        return ["MAC", mac, str(int.from_bytes(v[6:9], "big"))]
    if t == 4 and v[8] == 0:
        return ["ROUTERID", str(ipaddress.IPv4Address(v[:4])), str(int.from_bytes(v[4:8], "big"))]
    if t == 5 and v[8] == 0:
        return ["AS", str(int.from_bytes(v[:4], "big")), str(int.from_bytes(v[4:8], "big"))]
    if t > 5:
        return [str(t), ":".join("%02x" % x for x in v)]
    raise ValueError("ESI %s has no GoBGP CLI form" % esi_text(b))

# -------------------------------------------------------------- mapping --


class Skip(Exception):
    """A path that is not turned into a route; .reason is the counter name."""

    def __init__(self, reason, detail=""):
        super().__init__("%s%s" % (reason, ": " + detail if detail else ""))
        self.reason = reason


def _attr(path, t):
    for a in path.get("attrs") or []:
        if a.get("type") == t:
            return a
    return None


def _ext_comms(path):
    a = _attr(path, 16)
    return (a.get("value") or []) if a else []


def _ext(path, t, sub):
    for c in _ext_comms(path):
        if c.get("type") == t and c.get("subtype") == sub:
            return c
    return None


def _ip(text, what):
    if text in (None, "", "<nil>"):
        raise Skip("no-" + what)
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise Skip("bad-" + what, str(text))


def _vni(v, what):
    try:
        v = int(v)
    except (TypeError, ValueError):
        raise Skip("no-vni", what)
    if not 1 <= v <= 0xffffff:
        raise Skip("no-vni", "%s %d" % (what, v))
    return v


def _rd(val):
    rd = val.get("rd") or {}
    return "%s:%s" % (rd.get("admin", "?"), rd.get("assigned", "?"))


def _df_words(c):
    """Route words of a DF Election extended community (RFC 8584 2.2), from
    whatever fields a GoBGP version prints: named fields, or the raw value."""
    words = []
    alg = c.get("algorithm", c.get("df_alg", c.get("alg")))
    pref = c.get("preference", c.get("pref"))
    dp = c.get("dont_preempt", c.get("dp"))
    raw = c.get("value")
    if alg is None and isinstance(raw, str):
        try:
            b = bytes.fromhex(raw.replace(":", "")) if not raw.isdigit() else b""
        except ValueError:
            b = b""
        if len(b) >= 6:  # DF type, bitmap(2), reserved(1), preference(2)
            alg, bitmap, pref = b[0], int.from_bytes(b[1:3], "big"), int.from_bytes(b[4:6], "big")
            dp = bool(bitmap & 0x2000) if dp is None else dp
    names = {0: "modulo", 1: "hrw", 2: "preference", "0": "modulo", "1": "hrw", "2": "preference"}
    if alg is not None:
        a = names.get(alg, str(alg).lower())
        if a not in ("modulo", "hrw", "preference"):
            # another DF type (one octet): passed on by number; evfwd keeps
            # the PE as a candidate and falls back to modulo (RFC 8584 2.2)
            if not (isinstance(alg, int) or str(alg).isdigit()) or not 0 <= int(alg) <= 255:
                raise Skip("bad-df-election", str(alg))
            a = str(int(alg))
        words += ["df-alg", a]
        if a == "preference" and pref is not None:
            words += ["pref", str(int(pref))]
    if dp:
        words.append("dont-preempt")
    return words


def translate(path):
    """(bgp_key, evfwd_identity, route words after 'rtN add') of one path, or Skip."""
    nlri = path.get("nlri") or {}
    t = nlri.get("type")
    val = nlri.get("value") or {}
    if t == 5:
        raise Skip("type5")
    if t not in (1, 2, 3, 4):
        raise Skip("unknown-type", str(t))
    if not path.get("neighbor-ip") or path.get("neighbor-ip") == "<nil>":
        raise Skip("local")
    nh = _attr(path, 14)
    nexthop = nh.get("nexthop") if nh else None
    try:
        if t in (1, 2, 4):
            esi = esi_bytes(val.get("esi", "single-homed"))
    except ValueError as e:
        raise Skip("bad-esi", str(e))
    if t == 1:
        etag = int(val.get("etag", 0))
        key = (1, _rd(val), esi, etag)
        vtep = _ip(nexthop, "vtep")
        if not any(esi):
            raise Skip("rt1-zero-esi")
        if etag == MAX_ET:
            lab = _ext(path, 6, 1)
            words = ["rt1", "esi", esi_text(esi), "vtep", vtep]
            if lab and lab.get("is_single_active"):
                words.append("single-active")
            return key, ("rt1es", esi, vtep), words
        vni = _vni(val.get("label"), "rt1 label")
        return key, ("rt1evi", esi, vni, vtep), ["rt1", "esi", esi_text(esi), "vni", str(vni),
                                                  "vtep", vtep]
    if t == 2:
        mac = val.get("mac")
        if not mac or not re.match("^" + _MAC + "$", mac):
            raise Skip("no-mac")
        ip = val.get("ip")
        ip = None if ip in (None, "", "<nil>") else _ip(ip, "ip")
        key = (2, _rd(val), int(val.get("etag", 0)), mac.lower(), ip)
        labels = val.get("labels") or []
        vni = _vni(labels[0] if labels else None, "rt2 label")
        vtep = _ip(nexthop, "vtep")
        words = ["rt2", "vni", str(vni), "mac", mac.lower(), "vtep", vtep]
        if any(esi):
            words += ["esi", esi_text(esi)]
        if ip:
            words += ["ip", ip]
        mob = _ext(path, 6, 0)
        if mob:
            words += ["seq", str(int(mob.get("sequence", 0)))]
            if mob.get("is_sticky"):
                words.append("sticky")
        return key, ("rt2", vni, mac.lower(), vtep, ip), words
    if t == 3:
        orig = val.get("ip")
        key = (3, _rd(val), int(val.get("etag", 0)), orig)
        pmsi = _attr(path, 22)
        if pmsi and pmsi.get("label") is not None:
            vni = _vni(pmsi.get("label"), "pmsi label")
        else:
            vni = _vni(val.get("etag"), "rt3 etag (no PMSI attribute)")
        vtep = _ip(orig if orig not in (None, "", "<nil>") else
                   (pmsi or {}).get("tunnel-id") or nexthop, "vtep")
        return key, ("rt3", vni, vtep), ["rt3", "vni", str(vni), "vtep", vtep]
    orig = val.get("ip")
    key = (4, _rd(val), esi, orig)
    if not any(esi):
        raise Skip("rt4-zero-esi")
    vtep = _ip(orig if orig not in (None, "", "<nil>") else nexthop, "vtep")
    words = ["rt4", "esi", esi_text(esi), "vtep", vtep]
    df = _ext(path, 6, 6)
    if df:
        words += _df_words(df)
    return key, ("rt4", esi, vtep), words


def line(words, op):
    return " ".join([words[0], op] + words[1:])


class Translator:
    """GoBGP paths -> route lines, with the BGP keys behind each evfwd route."""

    def __init__(self):
        self.by_key = {}       # bgp key -> (identity, words)
        self.refs = {}         # identity -> set of bgp keys
        self.skipped = {}
        self.adds = self.dels = 0

    def reset(self):
        self.by_key, self.refs = {}, {}

    def _skip(self, reason):
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def _drop(self, key):
        ident, words = self.by_key.pop(key)
        keys = self.refs.get(ident, set())
        keys.discard(key)
        if keys:
            return []
        self.refs.pop(ident, None)
        self.dels += 1
        return [line(words, "del")]

    def path(self, p):
        """Lines for one path (add or withdrawal)."""
        try:
            key, ident, words = translate(p)
        except Skip as e:
            self._skip(e.reason)
            if p.get("withdrawal") and e.reason not in ("type5", "unknown-type", "local"):
                # a withdrawal missing attributes: fall back to what we sent
                k = _loose_key(p)
                if k is not None and k in self.by_key:
                    return self._drop(k)
            return []
        out = []
        if p.get("withdrawal"):
            if key in self.by_key:
                return self._drop(key)
            return []  # never sent (skipped, or before our snapshot): nothing to undo
        old = self.by_key.get(key)
        if old is not None and old[0] != ident:
            out += self._drop(key)
        self.by_key[key] = (ident, words)
        self.refs.setdefault(ident, set()).add(key)
        self.adds += 1
        out.append(line(words, "add"))
        return out


def _loose_key(p):
    nlri = p.get("nlri") or {}
    t, val = nlri.get("type"), nlri.get("value") or {}
    try:
        if t == 1:
            return (1, _rd(val), esi_bytes(val.get("esi", "")), int(val.get("etag", 0)))
        if t == 2:
            ip = val.get("ip")
            return (2, _rd(val), int(val.get("etag", 0)), (val.get("mac") or "").lower(),
                    None if ip in (None, "", "<nil>") else str(ipaddress.ip_address(ip)))
        if t == 3:
            return (3, _rd(val), int(val.get("etag", 0)), val.get("ip"))
        if t == 4:
            return (4, _rd(val), esi_bytes(val.get("esi", "")), val.get("ip"))
    except (ValueError, TypeError):
        return None
    return None


def snapshot_paths(doc):
    """Paths of a `gobgp global rib -j` document (dict prefix -> [paths]): the
    best path of each destination (the first one when none says best)."""
    out = []
    if isinstance(doc, dict):
        for paths in doc.values():
            if not paths:
                continue
            best = [p for p in paths if p.get("best")]
            out.append(best[0] if best else paths[0])
    elif isinstance(doc, list):
        out = [p for p in doc if isinstance(p, dict)]
    return out


def iter_json_paths(text):
    """Paths in any GoBGP JSON text: a snapshot dict, an array, one path, or
    monitor output (one array per line)."""
    text = text.strip()
    if not text:
        return []
    try:
        doc = json.loads(text)
        if isinstance(doc, dict) and "nlri" in doc:
            return [doc]
        return snapshot_paths(doc)
    except json.JSONDecodeError:
        out = []
        for ln in text.splitlines():
            if ln.strip():
                d = json.loads(ln)
                out += [d] if isinstance(d, dict) and "nlri" in d else snapshot_paths(d)
        return out

# ------------------------------------------------------------- running --


def _pdeathsig():
    """Children die with us (SIGTERM when the adapter goes, even by SIGKILL)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _default_ctl():
    for c in (os.environ.get("EVFWD_CTL"), os.path.join(_HERE, "..", "build", "app", "evfwd-ctl")):
        if c and os.access(c, os.X_OK):
            return c
    return "evfwd-ctl"


class Adapter:
    def __init__(self, a):
        self.a = a
        self.gobgp = [a.gobgp, "-u", a.gobgp_host, "-p", str(a.gobgp_port)]
        self.tr = Translator()
        self.q = queue.Queue()
        self.wlock = threading.Lock()
        self.stop = threading.Event()
        self.push = None
        self.monitor = None
        self.watch = None
        self.shm_id = None
        self.counters = {"syncs": 0, "snapshot_routes": 0, "heartbeats": 0, "lines": 0,
                         "monitor_starts": 0, "producer_starts": 0, "events": 0,
                         "adv_add": 0, "adv_del": 0, "adv_fail": 0, "adv_skipped": 0}
        self.adv_q = queue.Queue()

    def log(self, msg):
        sys.stderr.write("gobgp_adapter: %s\n" % msg)
        sys.stderr.flush()

    # ---- status ----
    def status(self, state):
        if not self.a.status_file:
            return
        d = dict(self.counters)
        d.update(state=state, adds=self.tr.adds, dels=self.tr.dels, skipped=self.tr.skipped,
                 routes=len(self.tr.refs), pid=os.getpid(), time=time.time())
        tmp = self.a.status_file + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(d, fh, sort_keys=True)
        os.replace(tmp, self.a.status_file)

    # ---- the producer child ----
    def _shm_ident(self):
        try:
            st = os.stat("/dev/shm/" + self.a.ring.lstrip("/"))
            return (st.st_dev, st.st_ino)
        except OSError:
            return None

    def start_push(self):
        if self.push is not None and self.push.poll() is None:
            try:
                self.push.stdin.close()
            except OSError:
                pass
            try:
                self.push.wait(5)
            except subprocess.TimeoutExpired:
                self.push.kill()
        cmd = [self.a.evfwd_ctl, "--ring", self.a.ring, "push", "--producer", "--new-epoch"]
        for attempt in range(100):
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, text=True, bufsize=1,
                                 preexec_fn=_pdeathsig)
            time.sleep(0.2)
            if p.poll() is None:
                self.push = p
                self.shm_id = self._shm_ident()
                self.counters["producer_starts"] += 1
                return
            # the ring is missing, or a previous producer still holds the lock
            if self.stop.is_set():
                raise SystemExit(1)
            time.sleep(min(0.1 * (attempt + 1), 2.0))
        raise SystemExit("gobgp_adapter: cannot start %s" % " ".join(cmd))

    def write(self, lines):
        if not lines:
            return
        with self.wlock:
            for ln in lines:
                if self.a.verbose:
                    self.log("-> " + ln)
            data = "".join(ln + "\n" for ln in lines)
            try:
                self.push.stdin.write(data)
                self.push.stdin.flush()
            except (OSError, ValueError, AttributeError):
                self.q.put(("push-lost", None))
                return
            self.counters["lines"] += len(lines)

    # ---- GoBGP ----
    def _reader(self, proc, tag):
        for ln in proc.stdout:
            self.q.put((tag, (proc, ln)))
        self.q.put((tag + "-eof", proc))

    def start_monitor(self):
        if self.monitor is not None and self.monitor.poll() is None:
            self.monitor.kill()
            self.monitor.wait()
        cmd = self.gobgp + ["monitor", "global", "rib", "-a", "evpn", "-j", "--current"]
        self.monitor = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1,
                                        preexec_fn=_pdeathsig)
        self.counters["monitor_starts"] += 1
        threading.Thread(target=self._reader, args=(self.monitor, "mon"), daemon=True).start()

    def snapshot(self):
        p = subprocess.run(self.gobgp + ["global", "rib", "-a", "evpn", "-j"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError("snapshot failed: %s" % p.stderr.strip())
        out = p.stdout.strip()
        return snapshot_paths(json.loads(out)) if out and out != "null" else []

    def resync(self, why):
        """Monitor first, then snapshot, SYNC-BEGIN, table, SYNC-END, buffer."""
        self.log("resync (%s)" % why)
        while not self.stop.is_set():
            self.start_monitor()
            time.sleep(self.a.settle)
            try:
                paths = self.snapshot()
                break
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as e:
                self.log(str(e))
                time.sleep(1)
        else:
            return
        self.tr.reset()
        lines = ["sync-begin"]
        for p in paths:
            p = dict(p)
            p.pop("withdrawal", None)
            lines += self.tr.path(p)
        lines.append("sync-end")
        self.write(lines)
        self.counters["syncs"] += 1
        self.counters["snapshot_routes"] = len(paths)
        self.status("synced")
        self.log("synced: %d paths in the snapshot, %d evfwd routes" % (len(paths),
                                                                        len(self.tr.refs)))

    def on_monitor_line(self, ln):
        ln = ln.strip()
        if not ln:
            return
        try:
            doc = json.loads(ln)
        except json.JSONDecodeError:
            self.log("monitor: not JSON: %r" % ln[:120])
            return
        paths = doc if isinstance(doc, list) else [doc]
        lines = []
        for p in paths:
            if isinstance(p, dict):
                self.counters["events"] += 1
                lines += self.tr.path(p)
        self.write(lines)

    # ---- evfwd -> GoBGP ----
    def start_watch(self):
        cmd = [self.a.evfwd_ctl, "--ring", self.a.ring, "watch"]
        self.watch = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1,
                                      preexec_fn=_pdeathsig)
        threading.Thread(target=self._reader, args=(self.watch, "watch"), daemon=True).start()
        threading.Thread(target=self._advertiser, daemon=True).start()

    def on_watch_line(self, ln):
        m = re.match(r"^\d+ (mac-learned|mac-aged|mac-moved) vni (\d+) mac (\S+) seq (\d+)"
                     r"(?: esi (\S+))?( \(now remote\))?\s*$", ln.strip())
        if not m:
            self.counters["adv_skipped"] += 1
            return
        kind, vni, mac, _seq, esi, remote = m.groups()
        add = kind == "mac-learned" or (kind == "mac-moved" and not remote)
        self.adv_q.put((add, int(vni), mac, esi))

    def _advertiser(self):
        a = self.a
        while not self.stop.is_set():
            try:
                add, vni, mac, esi = self.adv_q.get(timeout=0.5)
            except queue.Empty:
                continue
            words = ["macadv", mac, "0.0.0.0"]
            if esi:
                try:
                    words += ["esi"] + esi_cli(bytes(int(x, 16) for x in esi.split(":")))
                except ValueError:
                    self.counters["adv_skipped"] += 1
                    continue
            words += ["etag", "0", "label", str(vni), "rd", "%s:%d" % (a.rd_admin, vni)]
            if add:
                words += ["rt", "%s:%d" % (a.rt_asn, vni), "encap", "vxlan", "nexthop", a.nexthop]
            cmd = self.gobgp + ["global", "rib", "add" if add else "del", "-a", "evpn"] + words
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=30)
            if p.returncode != 0:
                self.counters["adv_fail"] += 1
                self.log("advertise failed: %s: %s" % (" ".join(cmd), p.stderr.strip()[:200]))
            else:
                self.counters["adv_add" if add else "adv_del"] += 1
                if a.verbose:
                    self.log("<- " + " ".join(cmd[5:]))

    # ---- main loop ----
    def heartbeat(self):
        while not self.stop.wait(self.a.heartbeat):
            self.q.put(("tick", None))

    def run(self):
        self.start_push()
        if self.a.advertise:
            self.start_watch()
        self.resync("start")
        threading.Thread(target=self.heartbeat, daemon=True).start()
        while not self.stop.is_set():
            try:
                tag, item = self.q.get(timeout=1)
            except queue.Empty:
                continue
            if tag == "mon":
                proc, ln = item
                if proc is self.monitor:
                    self.on_monitor_line(ln)
            elif tag == "mon-eof":
                if item is self.monitor and not self.stop.is_set():
                    self.log("monitor ended (rc %s): reconnecting" % self.monitor.wait())
                    time.sleep(1)
                    self.resync("monitor lost")
            elif tag == "watch":
                self.on_watch_line(item[1])
            elif tag == "watch-eof":
                if not self.stop.is_set():
                    time.sleep(1)
                    self.start_watch()
            elif tag == "tick":
                ident = self._shm_ident()
                if self.push.poll() is not None or (ident is not None and ident != self.shm_id):
                    self.q.put(("push-lost", None))
                    continue
                self.write(["heartbeat"])
                self.counters["heartbeats"] += 1
                self.status("running")
            elif tag == "push-lost":
                if self.stop.is_set():
                    break
                self.log("producer gone or ring re-created: new producer and resync")
                self.start_push()
                self.resync("producer restart")
        self.status("stopped")

    def shutdown(self, *_):
        self.stop.set()
        for p in (self.monitor, self.watch):
            if p is not None and p.poll() is None:
                p.terminate()
        if self.push is not None and self.push.poll() is None:
            try:
                self.push.stdin.close()
                self.push.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.push.kill()


def main(argv=None):
    ap = argparse.ArgumentParser(description="GoBGP EVPN routes into evfwd's control ring")
    ap.add_argument("--gobgp-host", default="127.0.0.1")
    ap.add_argument("--gobgp-port", type=int, default=50051)
    ap.add_argument("--gobgp", default="gobgp", help="the gobgp CLI")
    ap.add_argument("--ring", default="/evfwd")
    ap.add_argument("--evfwd-ctl", default=None)
    ap.add_argument("--heartbeat", type=float, default=3.0)
    ap.add_argument("--settle", type=float, default=0.3,
                    help="seconds between opening the monitor and the snapshot")
    ap.add_argument("--status-file")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--advertise", action="store_true", help="local MACs from evfwd into GoBGP")
    ap.add_argument("--nexthop", help="--advertise: our VTEP address")
    ap.add_argument("--rd-admin", help="--advertise: RD is ADMIN:VNI")
    ap.add_argument("--rt-asn", default="65000", help="--advertise: RT is ASN:VNI")
    ap.add_argument("--translate", metavar="FILE", help="offline: print route lines for GoBGP JSON")
    a = ap.parse_args(argv)
    if a.translate:
        text = sys.stdin.read() if a.translate == "-" else open(a.translate).read()
        tr = Translator()
        for p in iter_json_paths(text):
            for ln in tr.path(p):
                print(ln)
        if tr.skipped:
            sys.stderr.write("skipped: %s\n" % json.dumps(tr.skipped, sort_keys=True))
        return 0
    if a.advertise and not (a.nexthop and a.rd_admin):
        ap.error("--advertise needs --nexthop and --rd-admin")
    a.evfwd_ctl = a.evfwd_ctl or _default_ctl()
    ad = Adapter(a)
    signal.signal(signal.SIGTERM, ad.shutdown)
    signal.signal(signal.SIGINT, ad.shutdown)
    try:
        ad.run()
    finally:
        ad.shutdown()
        ad.log("stopped: %s" % json.dumps(dict(ad.counters, adds=ad.tr.adds, dels=ad.tr.dels,
                                                    skipped=ad.tr.skipped), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
