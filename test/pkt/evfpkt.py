#!/usr/bin/python3
"""evfpkt.py: a small framework for evfwd packet scenario tests (suite "pkt").

A test writes an evfwd YAML configuration as a template, feeds each port one
input pcap built with scapy, runs evfwd headless on net_pcap vdevs, then
checks what came out:

    lab = Lab("decap")
    res = lab.run(CONFIG, {"uplink": [pkt, ...], "host1": [...]},
                  cmds=["wait idle 300", "show fdb", "quit"])
    res.out("host1")            # frames transmitted on host1 (bytes, in order)
    res.drops                   # {"unknown-vni": 3, ...} from the final statistics
    res.ports["uplink"]         # {"rx_packets": .., "tx_packets": .., "dropped": ..}
    res.fdb()                   # rows of the (first) "show fdb" output
    res.assert_no_mbuf_leak()   # "mbufs in use after stop: 0 of N"
    res.table("show vteps")     # rows of the first table a shell command printed

tshark cross-checks: tshark_vxlan(pcap) (outer fields, checksums, and the inner
frame tshark finds after the VXLAN header) with assert_tshark_inner(rows,
expected_inner_frames); assert_tshark_frames(pcap, expected) for plain Ethernet
outputs (decapsulated frames: bytes, addresses, 802.1Q/802.1ad IDs, IPs).

Configuration templates use {dev:PORT}, which becomes
"net_pcapN,rx_pcap=<dir>/PORT_in.pcap,tx_pcap=<dir>/PORT_out.pcap" with a
unique N per port, and {dir} for the run's temporary directory. Every run gets
its own directory under one tempfile.mkdtemp() per Lab; the directories are
removed when every test passed and kept (and printed) otherwise, or always
with EVFPKT_KEEP=1.

Address plan: 198.18.0.0/15 for IPv4 VTEPs and hosts, 2001:2::/48 for IPv6
VTEPs. Run with /usr/bin/python3 (Debian's python3-scapy); tshark is needed
too. Missing tools make the test FAIL, never skip.
"""
import atexit
import collections
import ipaddress
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

# ---------------------------------------------------------------- tools --


def _die(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.stderr.flush()
    sys.exit(1)


logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy.loading").setLevel(logging.ERROR)
try:
    from scapy.all import (ARP, ICMP, IP, IPv6, IPv6ExtHdrFragment,  # noqa: F401
                           IPv6ExtHdrHopByHop, TCP, UDP, Dot1Q, Ether, Raw,
                           rdpcap)
except ImportError as _e:  # pragma: no cover - environment check
    _die("scapy is required (Debian package python3-scapy, run with /usr/bin/python3; "
         "this is %s): %s" % (sys.executable, _e))

TSHARK = shutil.which("tshark")
if TSHARK is None:
    _die("tshark is required (Debian package tshark) but is not on PATH")

_HERE = os.path.dirname(os.path.abspath(__file__))
EVFWD = os.environ.get("EVFWD") or os.path.join(_HERE, "..", "..", "build", "app", "evfwd")
if not (os.path.isfile(EVFWD) and os.access(EVFWD, os.X_OK)):
    _die("evfwd binary not found at %s (build it with scripts/build.sh or set EVFWD)" % EVFWD)

EAL_ARGS = ["--no-huge", "--in-memory", "--no-pci", "-l", "0-1", "--log-level=lib.eal:error"]
RUN_TIMEOUT = 60

# ------------------------------------------------------------- addresses --

ME_MAC = "02:00:00:00:00:01"       # node.mac: outer source/destination MAC
NH_MAC = "02:00:00:00:00:fe"       # underlay next hop
ME_V4 = "198.18.0.1"
ME_V6 = "2001:2::1"
VXLAN_PORT = 4789
UDP_SRC_MIN, UDP_SRC_MAX = 49152, 65535


def mac(i, prefix="00:c1:ab"):
    """A unicast host MAC from an integer (00:c1:ab:xx:yy:zz)."""
    return "%s:%02x:%02x:%02x" % (prefix, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


# ---------------------------------------------------------- frame making --


def host_frame(src, dst, sip="198.19.0.1", dip="198.19.0.2", sport=1000, dport=2000,
               size=None, vlan=None, pcp=0, proto="udp", payload=None):
    """An Ethernet frame from a host: [802.1Q] / IPv4 / UDP or TCP / payload.
    size: total frame length in bytes (the payload is padded to reach it)."""
    eth = Ether(src=src, dst=dst)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan, prio=pcp)
    l4 = UDP(sport=sport, dport=dport) if proto == "udp" else TCP(sport=sport, dport=dport)
    pkt = eth / IP(src=sip, dst=dip) / l4
    data = payload if payload is not None else b""
    if size is not None:
        need = size - len(pkt) - len(data)
        if need < 0:
            raise ValueError("frame of %d bytes cannot hold its headers" % size)
        data += bytes((i * 7 + 3) & 0xff for i in range(need))
    return bytes(pkt / Raw(data)) if data else bytes(pkt)


def bcast_frame(src, vlan=None, pcp=0, ident=0):
    """Broadcast ARP request from src (padded to 60 bytes like a real NIC would)."""
    eth = Ether(src=src, dst="ff:ff:ff:ff:ff:ff")
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan, prio=pcp)
    pkt = bytes(eth / ARP(hwsrc=src, psrc="198.19.%d.%d" % (ident >> 8 & 0xff, ident & 0xff),
                          pdst="198.19.255.254"))
    return pkt + b"\x00" * max(0, 60 + (4 if vlan is not None else 0) - len(pkt))


def tag(frame, vid, pcp=0, tpid=0x8100):
    """Insert an 802.1Q (or other TPID) tag after the MAC addresses."""
    return frame[:12] + struct.pack("!HH", tpid, (pcp << 13) | vid) + frame[12:]


def untag(frame):
    """Remove the first tag after the MAC addresses."""
    return frame[:12] + frame[16:]


def vxlan_hdr(vni, flags=0x08, reserved1=0, reserved2=0):
    return struct.pack("!B3sI", flags, reserved1.to_bytes(3, "big"), (vni << 8) | reserved2)


def vxlan4(inner, vni, src=None, dst=ME_V4, smac=NH_MAC, dmac=ME_MAC, sport=50000,
           dport=VXLAN_PORT, ttl=64, vlan=None, flags=0x08, reserved1=0, reserved2=0,
           options=None, ipflags="DF", frag=0, ip_id=1):
    """VXLAN over IPv4 as sent by a remote VTEP (UDP checksum 0), as bytes."""
    eth = Ether(src=smac, dst=dmac)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    ip = IP(src=src or "198.18.0.2", dst=dst, ttl=ttl, flags=ipflags, frag=frag, id=ip_id)
    if options is not None:
        ip.options = options
    return bytes(eth / ip / UDP(sport=sport, dport=dport, chksum=0) /
                 Raw(vxlan_hdr(vni, flags, reserved1, reserved2) + inner))


def vxlan6(inner, vni, src="2001:2::2", dst=ME_V6, smac=NH_MAC, dmac=ME_MAC, sport=50000,
           dport=VXLAN_PORT, hlim=64, vlan=None, ext=None, flags=0x08):
    """VXLAN over IPv6 (UDP checksum computed), optional extension headers, as bytes."""
    eth = Ether(src=smac, dst=dmac)
    if vlan is not None:
        eth = eth / Dot1Q(vlan=vlan)
    ip6 = IPv6(src=src, dst=dst, hlim=hlim)
    if ext is not None:
        ip6 = ip6 / ext
    return bytes(eth / ip6 / UDP(sport=sport, dport=dport) / Raw(vxlan_hdr(vni, flags) + inner))


def ip_checksum(hdr):
    if len(hdr) % 2:
        hdr += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4_patch(frame, l2=14, **fields):
    """Rewrite IPv4 header fields of frame (bytes) and fix the header checksum
    unless checksum= is given. Fields: ihl, tot_len, flags_frag, ttl, proto, dst, src."""
    b = bytearray(frame)
    if "ihl" in fields:
        b[l2] = (b[l2] & 0xf0) | fields["ihl"]
    if "version" in fields:
        b[l2] = (fields["version"] << 4) | (b[l2] & 0x0f)
    if "tot_len" in fields:
        struct.pack_into("!H", b, l2 + 2, fields["tot_len"])
    if "flags_frag" in fields:
        struct.pack_into("!H", b, l2 + 6, fields["flags_frag"])
    if "ttl" in fields:
        b[l2 + 8] = fields["ttl"]
    if "proto" in fields:
        b[l2 + 9] = fields["proto"]
    if "src" in fields:
        b[l2 + 12:l2 + 16] = ipaddress.IPv4Address(fields["src"]).packed
    if "dst" in fields:
        b[l2 + 16:l2 + 20] = ipaddress.IPv4Address(fields["dst"]).packed
    if "checksum" in fields:
        struct.pack_into("!H", b, l2 + 10, fields["checksum"])
    else:
        ihl = max(5, b[l2] & 0x0f) * 4
        struct.pack_into("!H", b, l2 + 10, 0)
        struct.pack_into("!H", b, l2 + 10, ip_checksum(bytes(b[l2:l2 + ihl])))
    return bytes(b)


def udp_patch(frame, l4, length=None, dport=None):
    """Rewrite UDP length / destination port at offset l4 (UDP checksum left alone)."""
    b = bytearray(frame)
    if length is not None:
        struct.pack_into("!H", b, l4 + 4, length)
    if dport is not None:
        struct.pack_into("!H", b, l4 + 2, dport)
    return bytes(b)


# ------------------------------------------------------- VXLAN checking --


def parse_vxlan(frame):
    """Split an encapsulated frame into a dict of outer fields plus 'inner'.
    Raises AssertionError when the frame is not Ethernet/[802.1Q]/IP/UDP/VXLAN."""
    f = {}
    if len(frame) < 14:
        raise AssertionError("frame of %d bytes is not VXLAN" % len(frame))
    f["eth_dst"], f["eth_src"] = mac_str(frame[0:6]), mac_str(frame[6:12])
    et, = struct.unpack_from("!H", frame, 12)
    off = 14
    f["vlan"] = None
    f["pcp"] = None
    if et == 0x8100:
        tci, et = struct.unpack_from("!HH", frame, 14)
        f["vlan"], f["pcp"] = tci & 0xfff, tci >> 13
        off = 18
    f["ethertype"] = et
    f["l2_len"] = off
    if et == 0x0800:
        vihl, tos, tot, ident, ff, ttl, proto, csum = struct.unpack_from("!BBHHHBBH", frame, off)
        ihl = (vihl & 0xf) * 4
        f.update(ip_version=vihl >> 4, ihl=ihl, tos=tos, ip_len=tot, ip_id=ident,
                 df=bool(ff & 0x4000), mf=bool(ff & 0x2000), frag_off=ff & 0x1fff, ttl=ttl,
                 proto=proto, ip_csum=csum,
                 ip_csum_ok=ip_checksum(frame[off:off + ihl]) == 0,
                 ip_src=str(ipaddress.IPv4Address(frame[off + 12:off + 16])),
                 ip_dst=str(ipaddress.IPv4Address(frame[off + 16:off + 20])),
                 ip_total_matches=(tot == len(frame) - off))
        l4 = off + ihl
    elif et == 0x86dd:
        vtf, plen, nh, hlim = struct.unpack_from("!IHBB", frame, off)
        f.update(ip_version=vtf >> 28, traffic_class=(vtf >> 20) & 0xff,
                 flow_label=vtf & 0xfffff, ip_len=plen, proto=nh, ttl=hlim,
                 ip_src=str(ipaddress.IPv6Address(frame[off + 8:off + 24])),
                 ip_dst=str(ipaddress.IPv6Address(frame[off + 24:off + 40])),
                 ip_total_matches=(plen == len(frame) - off - 40))
        l4 = off + 40
    else:
        raise AssertionError("outer EtherType 0x%04x is not IPv4/IPv6" % et)
    if f["proto"] != 17:
        raise AssertionError("outer IP protocol %d is not UDP" % f["proto"])
    sport, dport, ulen, ucsum = struct.unpack_from("!HHHH", frame, l4)
    f.update(udp_sport=sport, udp_dport=dport, udp_len=ulen, udp_csum=ucsum,
             udp_len_matches=(ulen == len(frame) - l4))
    if et == 0x86dd:
        pseudo = (frame[off + 8:off + 40] + struct.pack("!IxxxB", len(frame) - l4, 17))
        f["udp_csum_ok"] = ucsum != 0 and ip_checksum(pseudo + frame[l4:]) == 0
    vx = frame[l4 + 8:l4 + 16]
    if len(vx) < 8:
        raise AssertionError("frame too short for a VXLAN header")
    f["vx_flags"] = vx[0]
    f["vx_reserved1"] = int.from_bytes(vx[1:4], "big")
    f["vni"] = int.from_bytes(vx[4:7], "big")
    f["vx_reserved2"] = vx[7]
    f["inner"] = frame[l4 + 16:]
    f["udp_off"] = l4
    return f


def assert_vxlan(frame, *, inner, vni, dst_ip, src_ip=None, outer_src_mac=ME_MAC,
                 outer_dst_mac=NH_MAC, vlan=None, ttl=64, udp_dport=VXLAN_PORT,
                 udp6_zero_checksum=False, what="VXLAN packet"):
    """Check an encapsulated frame field by field; returns parse_vxlan()'s dict.
    inner: the exact inner frame expected (what the host sent, minus its access tag)."""
    f = parse_vxlan(frame)
    v6 = ":" in dst_ip
    if src_ip is None:
        src_ip = ME_V6 if v6 else ME_V4
    errs = []

    def chk(name, got, want):
        if got != want:
            errs.append("%s: got %r, expected %r" % (name, got, want))

    chk("outer dst MAC", f["eth_dst"], outer_dst_mac.lower())
    chk("outer src MAC", f["eth_src"], outer_src_mac.lower())
    chk("underlay VLAN", f["vlan"], vlan)
    if vlan is not None:
        chk("underlay PCP", f["pcp"], 0)
    chk("EtherType", f["ethertype"], 0x86dd if v6 else 0x0800)
    if not v6:
        chk("IP version", f["ip_version"], 4)
        chk("IHL", f["ihl"], 20)
        chk("TOS", f["tos"], 0)
        chk("IP total length = frame - L2", f["ip_total_matches"], True)
        chk("IP ID", f["ip_id"], 0)
        chk("DF", f["df"], True)
        chk("MF", f["mf"], False)
        chk("fragment offset", f["frag_off"], 0)
        chk("TTL", f["ttl"], ttl)
        chk("IPv4 header checksum valid", f["ip_csum_ok"], True)
        chk("UDP checksum (IPv4: 0)", f["udp_csum"], 0)
    else:
        chk("IP version", f["ip_version"], 6)
        chk("traffic class", f["traffic_class"], 0)
        chk("payload length = frame - L2 - 40", f["ip_total_matches"], True)
        chk("hop limit", f["ttl"], ttl)
        if udp6_zero_checksum:
            chk("UDP checksum (udp6-zero-checksum)", f["udp_csum"], 0)
        else:
            chk("UDP checksum over IPv6 valid", f["udp_csum_ok"], True)
    chk("IP protocol", f["proto"], 17)
    chk("outer src IP", f["ip_src"], str(ipaddress.ip_address(src_ip)))
    chk("outer dst IP", f["ip_dst"], str(ipaddress.ip_address(dst_ip)))
    chk("UDP dst port", f["udp_dport"], udp_dport)
    if not UDP_SRC_MIN <= f["udp_sport"] <= UDP_SRC_MAX:
        errs.append("UDP src port %d outside %d..%d" % (f["udp_sport"], UDP_SRC_MIN, UDP_SRC_MAX))
    chk("UDP length = frame - L2 - L3", f["udp_len_matches"], True)
    chk("VXLAN flags", f["vx_flags"], 0x08)
    chk("VXLAN reserved (flags word)", f["vx_reserved1"], 0)
    chk("VXLAN reserved (VNI word)", f["vx_reserved2"], 0)
    chk("VNI", f["vni"], vni)
    if f["inner"] != inner:
        errs.append("inner frame differs from what was sent:\n      got      %s\n      expected %s"
                    % (f["inner"][:80].hex(), inner[:80].hex()) +
                    ("\n      (lengths %d vs %d)" % (len(f["inner"]), len(inner))))
    if errs:
        raise AssertionError("%s: %d field(s) wrong:\n    %s" % (what, len(errs), "\n    ".join(errs)))
    return f


# ---------------------------------------------------------------- tshark --


def tshark_fields(pcap, fields, udp_port=None, extra=None):
    """Run tshark on pcap and return one tuple of field strings per packet."""
    cmd = [TSHARK, "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=f"]
    if udp_port is not None and udp_port != VXLAN_PORT:
        cmd += ["-d", "udp.port==%d,vxlan" % udp_port]
    for fld in fields:
        cmd += ["-e", fld]
    cmd += extra or []
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=60)
    if p.returncode != 0:
        raise AssertionError("tshark failed (rc %d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                               p.stderr))
    rows = []
    for line in p.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        rows.append(tuple(cols))
    return rows


# tshark checksum status values (proto_checksum_enum_e)
CKSUM_BAD, CKSUM_GOOD, CKSUM_UNVERIFIED, CKSUM_NOT_PRESENT, CKSUM_ILLEGAL = "0", "1", "2", "3", "4"


def tshark_vxlan(pcap, udp_port=None):
    """Per packet: dict(vni, ip_cksum, udp_cksum, src, dst, sport, dport, vlan, ttl, flags)
    as tshark dissects it (checksums verified), plus the inner frame as tshark finds it
    ("inner": the bytes after the VXLAN header tshark dissected, "inner_eth": the inner
    Ethernet header tshark dissected there, "inner_ip": its inner IPv4/IPv6 addresses,
    "protocols"); check them with assert_tshark_inner()."""
    fields = ["vxlan.vni", "vxlan.flags", "ip.checksum.status", "udp.checksum.status",
              "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport",
              "vlan.id", "ip.ttl", "ipv6.hlim", "_ws.expert.severity", "frame.len"]
    out = []
    for r in tshark_fields(pcap, fields, udp_port):
        d = dict(zip(["vni", "flags", "ip_cksum", "udp_cksum", "ip_src", "ip_dst", "ip6_src",
                      "ip6_dst", "sport", "dport", "vlan", "ttl", "hlim", "expert",
                      "len"], r))
        out.append(d)
    dis = tshark_dissect(pcap, udp_port)
    if len(dis) != len(out):
        raise AssertionError("tshark: %d packets as fields, %d as JSON in %s"
                             % (len(out), len(dis), pcap))
    for d, x in zip(out, dis):
        vx = x["layers"].get("vxlan")
        if not vx:
            d.update(inner=None, inner_eth=None, inner_ip=None, protocols=x["protocols"])
            continue
        start = vx[-1]["off"] + vx[-1]["len"]
        d.update(inner=x["frame"][start:], protocols=x["protocols"],
                 inner_eth=x["eth_at"](start), inner_ip=x["ip_after"](start))
    return out


def _raw_list(v):
    """tshark JSON "X_raw" value(s): one [hex, offset, length, ...] or a list of them."""
    if v is None:
        return []
    return v if v and isinstance(v[0], list) else [v]


def _dict_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def tshark_dissect(pcap, udp_port=None):
    """tshark's own reading of pcap (JSON with raw bytes, -x): per packet a dict with
    "frame" (the bytes tshark read), "protocols" (frame.protocols), "layers" ({name:
    [{"off", "len", "fields"}, ...]} for eth, vlan, ieee8021ad, ip, ipv6, udp, vxlan, arp, in frame
    order), and two lookups: eth_at(off) -> {"dst", "src", "type"} of the Ethernet header
    tshark dissected at offset off (None if none), ip_after(off) -> (src, dst) of the
    first IPv4/IPv6 header at or after off (None if none)."""
    cmd = [TSHARK, "-n", "-r", pcap, "-T", "json", "-x", "--no-duplicate-keys"]
    if udp_port is not None and udp_port != VXLAN_PORT:
        cmd += ["-d", "udp.port==%d,vxlan" % udp_port]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=120)
    if p.returncode != 0:
        raise AssertionError("tshark failed (rc %d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                               p.stderr))
    pkts = json.loads(p.stdout) if p.stdout.strip() else []
    out = []
    for pk in pkts:
        lay = pk["_source"]["layers"]
        frame = bytes.fromhex(_raw_list(lay["frame_raw"])[0][0])
        layers = {}
        for name in ("eth", "vlan", "ieee8021ad", "ip", "ipv6", "udp", "vxlan", "arp"):
            raws, dicts = _raw_list(lay.get(name + "_raw")), _dict_list(lay.get(name))
            if len(raws) != len(dicts):
                raise AssertionError("tshark JSON of %s: %d %s_raw but %d %s layers"
                                     % (pcap, len(raws), name, len(dicts), name))
            layers[name] = [{"off": r[1], "len": r[2], "fields": d} for r, d in zip(raws, dicts)]

        def eth_at(off, layers=layers):
            for e in layers["eth"]:
                if e["off"] == off:
                    f = e["fields"]
                    return {"dst": f.get("eth.dst"), "src": f.get("eth.src"),
                            "type": f.get("eth.type")}
            return None

        def ip_after(off, layers=layers):
            cands = ([(e["off"], e["fields"].get("ip.src"), e["fields"].get("ip.dst"))
                      for e in layers["ip"]] +
                     [(e["off"], e["fields"].get("ipv6.src"), e["fields"].get("ipv6.dst"))
                      for e in layers["ipv6"]])
            cands = sorted(c for c in cands if c[0] >= off)
            return (cands[0][1], cands[0][2]) if cands else None

        out.append({"frame": frame, "protocols": lay["frame"]["frame.protocols"],
                    "layers": layers, "eth_at": eth_at, "ip_after": ip_after})
    return out


def _eth_view(frame):
    """What tshark must show for an Ethernet frame: dst, src, EtherType/TPID, and the
    addresses of the IPv4/IPv6 header after up to two tags (None if neither)."""
    et = struct.unpack_from("!H", frame, 12)[0]
    off = 14
    while et in (0x8100, 0x88a8) and len(frame) >= off + 4:
        et = struct.unpack_from("!H", frame, off + 2)[0]
        off += 4
    ip = None
    if et == 0x0800 and len(frame) >= off + 20:
        ip = (str(ipaddress.IPv4Address(frame[off + 12:off + 16])),
              str(ipaddress.IPv4Address(frame[off + 16:off + 20])))
    elif et == 0x86dd and len(frame) >= off + 40:
        ip = (str(ipaddress.IPv6Address(frame[off + 8:off + 24])),
              str(ipaddress.IPv6Address(frame[off + 24:off + 40])))
    return {"dst": mac_str(frame[0:6]), "src": mac_str(frame[6:12]),
            "type": "0x%04x" % struct.unpack_from("!H", frame, 12)[0]}, ip


def assert_tshark_inner(rows, expected, what="tshark", ordered=True):
    """rows of tshark_vxlan(): tshark found a VXLAN header in every packet and, right
    after it, an Ethernet frame byte-identical to the expected inner frame, whose
    Ethernet and IP fields as tshark dissected them are those of the expected frame.
    ordered=False: expected is compared as a multiset."""
    errs = []
    if len(rows) != len(expected):
        errs.append("%d packets, expected %d" % (len(rows), len(expected)))
    for n, r in enumerate(rows):
        if r["inner"] is None:
            errs.append("#%d: tshark found no VXLAN header (%s)" % (n, r["protocols"]))
            continue
        eth, ip = _eth_view(r["inner"])
        if r["inner_eth"] != eth:
            errs.append("#%d: inner Ethernet as tshark dissects it %s, bytes say %s"
                        % (n, r["inner_eth"], eth))
        if ip is not None and r["inner_ip"] != ip:
            errs.append("#%d: inner IP addresses as tshark dissects them %s, bytes say %s"
                        % (n, r["inner_ip"], ip))
        if ordered and n < len(expected) and r["inner"] != expected[n]:
            errs.append("#%d: inner frame differs (tshark %s..., %d bytes; expected %s..., "
                        "%d bytes)" % (n, r["inner"][:32].hex(), len(r["inner"]),
                                       expected[n][:32].hex(), len(expected[n])))
    if not ordered:
        got = [r["inner"] for r in rows if r["inner"] is not None]
        if collections.Counter(got) != collections.Counter(expected):
            errs.append("inner frames differ as multisets:\n    " +
                        multiset_diff(got, expected))
    if errs:
        raise AssertionError("%s: %s" % (what, "\n  ".join(errs[:20])))


def assert_tshark_frames(pcap, expected, what="tshark", ordered=True):
    """A plain-Ethernet output (decapsulated frames): tshark reads exactly the expected
    frames from pcap (bytes) and dissects each as Ethernet with the expected addresses,
    EtherType or TPID, 802.1Q VLAN IDs and IP addresses."""
    dis = tshark_dissect(pcap)
    errs = []
    if len(dis) != len(expected):
        errs.append("%d frames, expected %d" % (len(dis), len(expected)))
    for n, x in enumerate(dis):
        f = x["frame"]
        eth, ip = _eth_view(f)
        if x["eth_at"](0) != eth:
            errs.append("#%d: Ethernet as tshark dissects it %s, bytes say %s"
                        % (n, x["eth_at"](0), eth))
        # tags: 802.1Q (0x8100, tshark's "vlan") and 802.1ad (0x88a8, "ieee8021ad")
        vids, off = {0x8100: [], 0x88a8: []}, 12
        while len(f) >= off + 4 and struct.unpack_from("!H", f, off)[0] in vids:
            tpid, tci = struct.unpack_from("!HH", f, off)
            vids[tpid].append(str(tci & 0xfff))
            off += 4
        for tpid, layer in ((0x8100, "vlan"), (0x88a8, "ieee8021ad")):
            got_vids = [v["fields"].get(layer + ".id") for v in x["layers"][layer]]
            if got_vids != vids[tpid]:
                errs.append("#%d: %s IDs per tshark %s, bytes say %s"
                            % (n, layer, got_vids, vids[tpid]))
        if ip is not None and x["ip_after"](0) != ip:
            errs.append("#%d: IP addresses per tshark %s, bytes say %s"
                        % (n, x["ip_after"](0), ip))
        if ordered and n < len(expected) and f != expected[n]:
            errs.append("#%d: frame differs (tshark %s..., %d bytes; expected %s..., %d bytes)"
                        % (n, f[:32].hex(), len(f), expected[n][:32].hex(), len(expected[n])))
    if not ordered:
        got = [x["frame"] for x in dis]
        if collections.Counter(got) != collections.Counter(expected):
            errs.append("frames differ as multisets:\n    " + multiset_diff(got, expected))
    if errs:
        raise AssertionError("%s (%s): %s" % (what, pcap, "\n  ".join(errs[:20])))


# --------------------------------------------------------------- the lab --

_labs = []
_keep = os.environ.get("EVFPKT_KEEP") == "1"


def _cleanup():
    for lab in _labs:
        if _keep or lab.failed:
            sys.stderr.write("evfpkt: kept %s\n" % lab.dir)
        else:
            shutil.rmtree(lab.dir, ignore_errors=True)


atexit.register(_cleanup)


def write_pcap(path, frames):
    """Classic pcap, Ethernet link type, one record per frame (bytes or scapy packet)."""
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            b = bytes(fr)
            fh.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(b), len(b)))
            fh.write(b)


def read_pcap(path):
    """Frames of an output pcap as bytes (scapy rdpcap, original bytes)."""
    if not os.path.exists(path):
        raise AssertionError("output pcap %s was not written" % path)
    pkts = rdpcap(path)
    return [bytes(p.original) if p.original is not None else bytes(p) for p in pkts]


def parse_table(lines, start):
    """Parse an evfwd text table whose header is lines[start] (a dashes line follows).
    Returns (rows as dicts keyed by header, index after the table)."""
    header = lines[start]
    names = re.findall(r"\S+(?: \S+)*", header)
    pos = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
    i = start + 1
    if i < len(lines) and set(lines[i].strip()) == {"-"}:
        i += 1
    rows = []
    while i < len(lines) and lines[i].strip() and not re.match(r"^(Total|TSC|No )", lines[i]):
        line = lines[i]
        row = {}
        for k, name in enumerate(names):
            end = pos[k + 1] if k + 1 < len(pos) else None
            row[name] = line[pos[k]:end].strip() if end else line[pos[k]:].strip()
        rows.append(row)
        i += 1
    return rows, i


def table_rows(lines):
    """Rows of the first table (header line followed by a line of dashes) in lines."""
    for i in range(len(lines) - 1):
        if lines[i].strip() and lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"}:
            return parse_table(lines, i)[0]
    return []


class Result:
    """Outcome of one evfwd run."""

    def __init__(self, lab, rundir, ports, cmdline, proc, cmds):
        self.lab, self.dir, self.port_names = lab, rundir, ports
        self.cmdline, self.rc = cmdline, proc.returncode
        self.stdout, self.stderr = proc.stdout, proc.stderr
        self.cmds = cmds
        self._outs = {}
        self._parse()

    def describe(self):
        return ("command: %s\nexit code: %s\n---- stdout ----\n%s\n---- stderr ----\n%s"
                % (" ".join(self.cmdline), self.rc, self.stdout[-12000:], self.stderr[-6000:]))

    def _parse(self):
        lines = self.stdout.splitlines()
        # command sections: "evfwd> CMD" then its output
        self.sections = []
        final_at = None
        for i, line in enumerate(lines):
            if line.startswith("==== final statistics ===="):
                final_at = i
                break
            if line.startswith("evfwd> "):
                self.sections.append([line[len("evfwd> "):].strip(), []])
            elif self.sections:
                self.sections[-1][1].append(line)
        self.final_text = "\n".join(lines[final_at:]) if final_at is not None else ""
        self.ports, self.drops = {}, {}
        m = re.search(r"mbufs in use after stop: (\d+) of (\d+)", self.stdout)
        self.mbufs_in_use = int(m.group(1)) if m else None
        self.mbufs_total = int(m.group(2)) if m else None
        if final_at is None:
            return
        fl = lines[final_at:]
        for i, line in enumerate(fl):
            if line.startswith("Port ") and "RX-packets" in line:
                rows, _ = parse_table(fl, i)
                for r in rows:
                    self.ports[r["Port"]] = {
                        "rx_packets": int(r["RX-packets"]), "rx_bytes": int(r["RX-bytes"]),
                        "tx_packets": int(r["TX-packets"]), "tx_bytes": int(r["TX-bytes"]),
                        "dropped": int(r["Dropped"]), "admin": r["Admin"]}
            if line.startswith("Reason ") and "Packets" in line:
                rows, _ = parse_table(fl, i)
                for r in rows:
                    self.drops[r["Reason"]] = int(r["Packets"])
                break

    # ---- shell output ----
    def outputs_of(self, cmd):
        """Output lines of every run of shell command cmd, in order."""
        return [out for c, out in self.sections if c == cmd]

    def table(self, cmd, index=0):
        """Rows (dicts keyed by the header) of the first table (a header line, then a
        line of dashes) in the index-th output of shell command cmd; [] when it printed
        no table."""
        outs = self.outputs_of(cmd)
        if index >= len(outs):
            raise AssertionError("no output #%d of '%s' in evfwd's stdout" % (index, cmd))
        return table_rows(outs[index])

    def fdb(self, index=0, cmd="show fdb"):
        """Rows (dicts: MAC-VRF, Address, Destination, Type, Aging, Seq, Flags) of the
        index-th run of cmd ("show fdb" or "show fdb mac-vrf X"). [] when empty."""
        outs = self.outputs_of(cmd)
        if index >= len(outs):
            raise AssertionError("no output #%d of '%s' in evfwd's stdout" % (index, cmd))
        lines = outs[index]
        total = [l for l in lines if l.startswith("Total MACs:")]
        if not total:
            raise AssertionError("'%s' printed no 'Total MACs' line:\n%s" % (cmd, "\n".join(lines)))
        for i, line in enumerate(lines):
            if line.startswith("MAC-VRF ") and "Address" in line:
                rows, _ = parse_table(lines, i)
                n = int(re.match(r"Total MACs: (\d+)", total[0]).group(1))
                if n != len(rows):
                    raise AssertionError("'%s': %d rows but '%s'" % (cmd, len(rows), total[0]))
                return rows
        return []

    def fdb_map(self, index=0, cmd="show fdb"):
        """{(mac-vrf, mac): destination} of fdb()."""
        return {(r["MAC-VRF"], r["Address"].lower()): r["Destination"]
                for r in self.fdb(index, cmd)}

    def drops_in(self, index=0):
        """Drops dict of the index-th 'show drops' output."""
        outs = self.outputs_of("show drops")
        lines = outs[index]
        d = {}
        for i, line in enumerate(lines):
            if line.startswith("Reason ") and "Packets" in line:
                rows, _ = parse_table(lines, i)
                d = {r["Reason"]: int(r["Packets"]) for r in rows}
        return d

    # ---- pcaps ----
    def pcap(self, port):
        return os.path.join(self.dir, "%s_out.pcap" % port)

    def out(self, port):
        """Frames transmitted on port, as bytes, in order."""
        if port not in self._outs:
            self._outs[port] = read_pcap(self.pcap(port))
        return self._outs[port]

    # ---- common assertions ----
    def assert_no_mbuf_leak(self):
        if self.mbufs_in_use is None:
            raise AssertionError("no 'mbufs in use after stop' line in the final statistics\n"
                                 + self.describe())
        if self.mbufs_in_use != 0:
            raise AssertionError("mbuf leak: 'mbufs in use after stop: %d of %d'"
                                 % (self.mbufs_in_use, self.mbufs_total))

    def assert_drops(self, expected, what="final drop counters"):
        """The non-zero drop reasons are exactly expected (a dict)."""
        exp = {k: v for k, v in expected.items() if v}
        if self.drops != exp:
            diff = []
            for k in sorted(set(exp) | set(self.drops)):
                if exp.get(k, 0) != self.drops.get(k, 0):
                    diff.append("%-22s got %6d  expected %6d" % (k, self.drops.get(k, 0),
                                                                 exp.get(k, 0)))
            raise AssertionError("%s differ:\n    %s" % (what, "\n    ".join(diff)))


class Lab:
    """One test's temporary directory and its evfwd runs."""

    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="evfpkt-%s-" % name)
        self.failed = False
        self.runs = 0
        _labs.append(self)

    def prepare(self, config, inputs, tag=None):
        """A run directory with the config (template expanded) and the input pcaps;
        returns (run directory, config path, port names in template order)."""
        self.runs += 1
        rundir = os.path.join(self.dir, tag or "run%d" % self.runs)
        os.makedirs(rundir, exist_ok=True)
        ports = []

        def dev(m):
            port = m.group(1)
            if port not in ports:
                ports.append(port)
            n = ports.index(port)
            return "net_pcap%d,rx_pcap=%s,tx_pcap=%s" % (
                n, os.path.join(rundir, port + "_in.pcap"), os.path.join(rundir, port + "_out.pcap"))

        text = re.sub(r"\{dev:([A-Za-z0-9_.-]+)\}", dev, config).replace("{dir}", rundir)
        for p in inputs:
            if p not in ports:
                raise ValueError("input for port %s, which the config does not have" % p)
        for p in ports:
            write_pcap(os.path.join(rundir, p + "_in.pcap"), inputs.get(p, []))
        cfg = os.path.join(rundir, "evfwd.yaml")
        with open(cfg, "w") as fh:
            fh.write(text)
        return rundir, cfg, ports

    def run(self, config, inputs, cmds=None, exit_on_idle=300, expect_rc=0,
            timeout=RUN_TIMEOUT, tag=None):
        """Run evfwd once. config: YAML template ({dev:PORT}, {dir}); inputs: {port:
        [frames]} (ports of the template without inputs get an empty pcap); cmds: shell
        commands for --cmdline-file ("quit" appended when missing)."""
        rundir, cfg, ports = self.prepare(config, inputs, tag)
        args = [EVFWD] + EAL_ARGS + ["--", "--config", cfg, "--exit-on-idle", str(exit_on_idle)]
        if cmds is not None:
            cmds = list(cmds)
            if not cmds or cmds[-1].strip() != "quit":
                cmds.append("quit")
            cf = os.path.join(rundir, "cmds.txt")
            with open(cf, "w") as fh:
                fh.write("\n".join(cmds) + "\n")
            args += ["--cmdline-file", cf]
        try:
            proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, timeout=timeout, cwd=rundir)
        except subprocess.TimeoutExpired as e:
            self.failed = True
            raise AssertionError("evfwd did not exit within %d s: %s\n---- stdout ----\n%s\n"
                                 "---- stderr ----\n%s" % (timeout, " ".join(args),
                                                           (e.stdout or b"")[-8000:],
                                                           (e.stderr or b"")[-4000:]))
        with open(os.path.join(rundir, "stdout.txt"), "w") as fh:
            fh.write(proc.stdout)
        with open(os.path.join(rundir, "stderr.txt"), "w") as fh:
            fh.write(proc.stderr)
        res = Result(self, rundir, ports, args, proc, cmds)
        if proc.returncode != expect_rc:
            self.failed = True
            raise AssertionError("evfwd exited with %d (expected %d)\n%s"
                                 % (proc.returncode, expect_rc, res.describe()))
        if expect_rc == 0 and not res.final_text:
            self.failed = True
            raise AssertionError("evfwd printed no final statistics\n" + res.describe())
        return res


# ------------------------------------------------------------ test runner --


def multiset_diff(got, expected, fmt=lambda b: b[:48].hex()):
    """Human-readable difference of two lists of frames compared as multisets."""
    g, e = collections.Counter(got), collections.Counter(expected)
    msg = []
    for fr, n in (e - g).items():
        msg.append("missing x%d: %s (%d bytes)" % (n, fmt(fr), len(fr)))
    for fr, n in (g - e).items():
        msg.append("unexpected x%d: %s (%d bytes)" % (n, fmt(fr), len(fr)))
    return "\n    ".join(msg[:20]) + ("\n    ..." if len(msg) > 20 else "")


class EvfTestCase(unittest.TestCase):
    """unittest base with frame-list assertions."""
    maxDiff = None

    def assertFrames(self, got, expected, what, ordered=True):
        if ordered:
            if list(got) == list(expected):
                return
            if collections.Counter(got) == collections.Counter(expected):
                self.fail("%s: right frames, wrong order" % what)
        elif collections.Counter(got) == collections.Counter(expected):
            return
        self.fail("%s: %d frame(s), expected %d:\n    %s"
                  % (what, len(got), len(expected), multiset_diff(got, expected)))


def main():
    """unittest.main() that keeps the lab directories of a failed test."""
    prog = unittest.main(exit=False, verbosity=2)
    ok = prog.result.wasSuccessful()
    if not ok:
        for lab in _labs:
            lab.failed = True
    sys.exit(0 if ok else 1)


# ------------------------------------------- live ports: veth, tap, netns --
# Helpers for tests that run evfwd on kernel interfaces instead of pcap files
# (test_backends.py, test_multiworker.py): Links makes network namespaces,
# veth pairs and persistent taps and removes them again; Peer runs scapy on
# the far side of a link (inside a namespace) to send frames and capture what
# evfwd transmits; LiveRun runs evfwd with a FIFO as its --cmdline-file so a
# test can issue shell commands while traffic flows.

import select  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402

IP_CMD = shutil.which("ip") or "/usr/sbin/ip"


def sh(args, ns=None, check=True, timeout=30):
    """Run a command (a list), inside network namespace ns when given; returns stdout.
    A failure raises AssertionError with the command and its stderr."""
    if ns is not None:
        args = [IP_CMD, "netns", "exec", ns] + list(args)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("command failed (rc %d): %s\n%s" % (p.returncode, " ".join(args),
                                                                 p.stderr.strip()))
    return p.stdout


def _no_ipv6(ifname, ns=None):
    # no IPv6 on test links: no router solicitations, MLD reports or DAD probes
    sh(["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % ifname], ns=ns)


class Links:
    """Network namespaces, veth pairs and taps made by one test. Everything is
    removed by cleanup(), which is also registered with atexit (and is safe to
    call twice). Names should carry the test's own prefix (e.g. 'evfb-')."""

    def __init__(self):
        self.namespaces, self.links = [], []
        atexit.register(self.cleanup)

    def netns(self, name):
        sh([IP_CMD, "netns", "add", name])
        self.namespaces.append(name)
        sh([IP_CMD, "-n", name, "link", "set", "lo", "up"])
        return name

    def veth(self, name, peer, peer_ns, mtu=None, peer_mac=None, queues=None):
        """A veth pair: name stays in this namespace (for evfwd), peer goes to peer_ns.
        IPv6 is disabled on both ends before they come up. queues: number of TX and RX
        queues of both ends (the kernel's default is one per CPU)."""
        q = [] if queues is None else ["numtxqueues", str(queues), "numrxqueues", str(queues)]
        sh([IP_CMD, "link", "add", name] + q + ["type", "veth", "peer", "name", peer] + q +
           ["netns", peer_ns])
        self.links.append(name)
        _no_ipv6(name)
        _no_ipv6(peer, ns=peer_ns)
        if mtu is not None:
            sh([IP_CMD, "link", "set", name, "mtu", str(mtu)])
            sh([IP_CMD, "-n", peer_ns, "link", "set", peer, "mtu", str(mtu)])
        if peer_mac is not None:
            sh([IP_CMD, "-n", peer_ns, "link", "set", peer, "address", peer_mac])
        sh([IP_CMD, "link", "set", name, "up"])
        sh([IP_CMD, "-n", peer_ns, "link", "set", peer, "up"])
        return name

    def tap(self, name, mtu=None, multi_queue=True, up=True):
        """A persistent tap in this namespace, made before evfwd starts so that IPv6 is
        off before the link ever comes up; net_tap,iface=NAME attaches to it (net_tap
        opens its queues with IFF_MULTI_QUEUE, so the tap must be multi_queue). up: set
        the link up now (a packet socket cannot be opened on a link that is down)."""
        args = [IP_CMD, "tuntap", "add", "dev", name, "mode", "tap"]
        if multi_queue:
            args.append("multi_queue")
        sh(args)
        self.links.append(name)
        _no_ipv6(name)
        if mtu is not None:
            sh([IP_CMD, "link", "set", name, "mtu", str(mtu)])
        if up:
            sh([IP_CMD, "link", "set", name, "up"])
        return name

    def cleanup(self):
        # evfwd and the scapy peers first: they hold the interfaces
        _close_live()
        _close_peers()
        for name in reversed(self.links):
            subprocess.run([IP_CMD, "link", "del", name], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        self.links = []
        for ns in reversed(self.namespaces):
            subprocess.run([IP_CMD, "netns", "del", ns], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        self.namespaces = []

    @staticmethod
    def leftovers(prefix):
        """Namespaces and links whose names start with prefix (should be none after cleanup)."""
        out = []
        for line in sh([IP_CMD, "netns", "list"], check=False).splitlines():
            if line.split() and line.split()[0].startswith(prefix):
                out.append("netns " + line.split()[0])
        for line in sh([IP_CMD, "-o", "link", "show"], check=False).splitlines():
            m = re.match(r"\d+: ([^:@]+)", line)
            if m and m.group(1).startswith(prefix):
                out.append("link " + m.group(1))
        return out


# The scapy side of a link, run as its own process (inside a namespace with
# "ip netns exec"). One scapy L2Socket per interface, read by an AsyncSniffer:
# an L2Socket (unlike sniff()'s default listen socket) drops the frames it
# sends itself, and scapy re-inserts the 802.1Q tag the kernel moved into the
# packet's auxiliary data. Protocol on stdin/stdout, one line each:
#   send IFACE HEX [HEX...] -> "ok"      dump -> "pkt IFACE HEX"... then "end"
#   count -> "count N"                   quit -> exits
_PEER_AGENT = r'''
import logging, sys, threading
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy.loading").setLevel(logging.ERROR)
from scapy.all import AsyncSniffer, conf
from scapy.arch.linux import L2Socket
conf.sniff_promisc = 1
socks, sniffers, cap = {}, [], []
lock = threading.Lock()
def keep(iface):
    def prn(p):
        b = p.original if getattr(p, "original", None) is not None else bytes(p)
        with lock:
            cap.append((iface, bytes(b)))
    return prn
for ifname in sys.argv[1:]:
    s = L2Socket(iface=ifname, promisc=True)
    socks[ifname] = s
    ev = threading.Event()
    sn = AsyncSniffer(opened_socket=s, store=False, prn=keep(ifname), started_callback=ev.set)
    sn.start()
    if not ev.wait(10):
        print("error sniffer on %s did not start" % ifname, flush=True)
        sys.exit(1)
    sniffers.append(sn)
print("ready", flush=True)
for line in sys.stdin:
    w = line.split()
    if not w:
        continue
    if w[0] == "send":
        for h in w[2:]:
            socks[w[1]].send(bytes.fromhex(h))
        print("ok", flush=True)
    elif w[0] == "dump":
        with lock:
            got = list(cap)
        for ifname, b in got:
            print("pkt %s %s" % (ifname, b.hex()))
        print("end", flush=True)
    elif w[0] == "count":
        with lock:
            print("count %d" % len(cap), flush=True)
    elif w[0] == "quit":
        break
for sn in sniffers:
    try:
        sn.stop(join=False)
    except Exception:
        pass
'''


class _LineReader:
    """Lines from a pipe with a timeout (os.read + select, no Python buffering)."""

    def __init__(self, fd):
        self.fd, self.buf = fd, b""

    def readline(self, timeout):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    return None
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()


class Peer:
    """scapy on interfaces ifaces (in namespace ns, or this one when ns is None):
    every frame arriving on them is captured from start to close()."""

    def __init__(self, ifaces, ns=None, timeout=20):
        self.ifaces = list(ifaces)
        args = ["/usr/bin/python3", "-c", _PEER_AGENT] + self.ifaces
        if ns is not None:
            args = [IP_CMD, "netns", "exec", ns] + args
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        _peers.append(self)
        self.rd = _LineReader(self.proc.stdout.fileno())
        self.timeout = timeout
        line = self.rd.readline(timeout)
        if line != "ready":
            err = self._kill()
            raise AssertionError("scapy peer on %s (netns %s) did not start: %r\n%s"
                                 % (self.ifaces, ns, line, err))

    def _ask(self, text, until):
        try:
            self.proc.stdin.write((text + "\n").encode())
            self.proc.stdin.flush()
        except OSError as e:
            raise AssertionError("scapy peer on %s is gone: %s\n%s" % (self.ifaces, e,
                                                                        self._kill()))
        lines = []
        while True:
            line = self.rd.readline(self.timeout)
            if line is None:
                raise AssertionError("scapy peer on %s: no answer to %r\n%s"
                                     % (self.ifaces, text.split()[0], self._kill()))
            if line.startswith(until):
                return lines, line
            lines.append(line)

    def send(self, iface, frames):
        """Transmit frames (bytes) on iface, in order."""
        frames = [bytes(f) for f in frames]
        for k in range(0, len(frames), 16):
            self._ask("send %s %s" % (iface, " ".join(f.hex() for f in frames[k:k + 16])), "ok")

    def captured(self, iface=None):
        """Frames captured so far (bytes, in arrival order), on iface or all interfaces."""
        lines, _ = self._ask("dump", "end")
        out = []
        for line in lines:
            _, ifname, h = line.split(" ", 2)
            if iface is None or ifname == iface:
                out.append(bytes.fromhex(h))
        return out

    def count(self):
        _, line = self._ask("count", "count ")
        return int(line.split()[1])

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


_peers = []


def _close_peers():
    for p in _peers:
        p.close()


atexit.register(_close_peers)


class LiveRun:
    """evfwd running in the background with a FIFO as --cmdline-file, so that shell
    commands can be issued while the test sends traffic:

        run = LiveRun(lab, config_text, eal_args=[...], max_runtime=60, netns=None)
        out = run.cmd("show fdb")     # its output lines, once evfwd executed it
        res = run.quit()              # a Result (final statistics, sections, mbufs)

    Each cmd() is followed by "sleep 0" and waits for its echo, so the command's
    output is complete when cmd() returns. --max-runtime ends evfwd if the test
    dies; close() (also at exit) kills it if it is still there."""

    def __init__(self, lab, config, eal_args=None, max_runtime=60, tag=None,
                 start_timeout=30, extra_args=(), netns=None):
        lab.runs += 1
        self.lab = lab
        self.dir = os.path.join(lab.dir, tag or "run%d" % lab.runs)
        os.makedirs(self.dir, exist_ok=True)
        self.cfg = os.path.join(self.dir, "evfwd.yaml")
        with open(self.cfg, "w") as fh:
            fh.write(config)
        self.fifo = os.path.join(self.dir, "cmds.fifo")
        os.mkfifo(self.fifo)
        self.out_path = os.path.join(self.dir, "stdout.txt")
        self.err_path = os.path.join(self.dir, "stderr.txt")
        self.args = ([EVFWD] + list(eal_args or EAL_ARGS) +
                     ["--", "--config", self.cfg, "--cmdline-file", self.fifo,
                      "--max-runtime", str(max_runtime)] + list(extra_args))
        if netns:   # evfwd in a network namespace (its ports' devices are there)
            self.args = [IP_CMD, "netns", "exec", netns] + self.args
        self.cmds, self.markers, self.fd, self.result = [], 0, None, None
        self.max_runtime = max_runtime
        with open(self.out_path, "w") as o, open(self.err_path, "w") as e:
            self.proc = subprocess.Popen(self.args, stdout=o, stderr=e, cwd=self.dir,
                                         start_new_session=True)
        _live.append(self)
        end = time.monotonic() + start_timeout
        while self.fd is None:
            try:
                self.fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:  # ENXIO: evfwd has not opened the command file yet
                pass
            if self.proc.poll() is not None:
                lab.failed = True
                raise AssertionError("evfwd exited with %d during start-up\n%s"
                                     % (self.proc.returncode, self.describe()))
            if time.monotonic() > end:
                self.close()
                lab.failed = True
                raise AssertionError("evfwd did not reach its command file within %d s\n%s"
                                     % (start_timeout, self.describe()))
            time.sleep(0.02)
        os.set_blocking(self.fd, True)

    def stdout(self):
        with open(self.out_path, errors="replace") as fh:
            return fh.read()

    def stderr(self):
        with open(self.err_path, errors="replace") as fh:
            return fh.read()

    def describe(self):
        return ("command: %s\nexit code: %s\n---- stdout ----\n%s\n---- stderr ----\n%s"
                % (" ".join(self.args), self.proc.poll(), self.stdout()[-12000:],
                   self.stderr()[-6000:]))

    def cmd(self, text, timeout=30):
        """Run one shell command; returns its output lines."""
        self.cmds.append(text)
        self.markers += 1
        try:
            os.write(self.fd, (text + "\nsleep 0\n").encode())
        except OSError as e:  # EPIPE: evfwd is gone
            self.lab.failed = True
            raise AssertionError("cannot send %r to evfwd: %s\n%s" % (text, e, self.describe()))
        end = time.monotonic() + timeout
        while True:
            out = self.stdout()
            if out.count("evfwd> sleep 0\n") >= self.markers:
                break
            if self.proc.poll() is not None or time.monotonic() > end:
                self.lab.failed = True
                raise AssertionError("evfwd did not complete %r within %d s\n%s"
                                     % (text, timeout, self.describe()))
            time.sleep(0.02)
        # the output of the last "evfwd> TEXT" before the marker
        lines = out.splitlines()
        idx = [i for i, l in enumerate(lines) if l == "evfwd> sleep 0"][self.markers - 1]
        start = max(i for i in range(idx) if lines[i] == "evfwd> " + text)
        return lines[start + 1:idx]

    def wait_for(self, text, pred, timeout=10, interval=0.1):
        """Repeat cmd(text) until pred(output lines) is true; returns the last output."""
        end = time.monotonic() + timeout
        while True:
            out = self.cmd(text)
            if pred(out):
                return out
            if time.monotonic() > end:
                return out
            time.sleep(interval)

    def quit(self, expect_rc=0, timeout=60):
        """Send quit, wait for evfwd to exit; returns a Result of the whole run."""
        try:
            os.write(self.fd, b"quit\n")
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            self.lab.failed = True
            raise AssertionError("evfwd did not exit within %d s after quit\n%s"
                                 % (timeout, self.describe()))
        proc = types.SimpleNamespace(returncode=self.proc.returncode, stdout=self.stdout(),
                                     stderr=self.stderr())
        self.result = Result(self.lab, self.dir, [], self.args, proc, self.cmds + ["quit"])
        if proc.returncode != expect_rc:
            self.lab.failed = True
            raise AssertionError("evfwd exited with %d (expected %d)\n%s"
                                 % (proc.returncode, expect_rc, self.result.describe()))
        if expect_rc == 0 and not self.result.final_text:
            self.lab.failed = True
            raise AssertionError("evfwd printed no final statistics\n" + self.result.describe())
        return self.result

    def close(self):
        """Kill evfwd (its own process group) if it is still running."""
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass


_live = []


def _close_live():
    for r in _live:
        r.close()


atexit.register(_close_live)


def cleanup_on_sigterm():
    """Turn SIGTERM (meson's timeout) into SystemExit so that finally blocks and
    atexit handlers (Links.cleanup, LiveRun.close, Peer.close) still run."""
    def _term(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, _term)
