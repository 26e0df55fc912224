#!/usr/bin/python3
"""bench_profiles.py OUTDIR SCENARIO...: inputs of scripts/bench.sh's profiles
beyond the single flow (bench_traffic.py writes those): for each scenario
OUTDIR/SC.pcap (the input, replayed by net_pcap infinite_rx), OUTDIR/SC.yaml
(evfwd's config: port "in" takes the pcap, "out" is a net_null sink),
OUTDIR/SC.env (FANOUT: output frames per input frame; RING: 1 when the routes
are pushed through the control ring) and, when routes are needed,
OUTDIR/SC.routes (shell "route add" lines, put before the measurement) or
OUTDIR/SC.ring (evfwd-ctl push lines). Frames are written without scapy (the
scale input has 65,536 of them). Frame i of every input differs from frame
i-1 in its MACs (and VLAN or VNI), so no header run forms.

Scenarios:
  hosts-decap, hosts-encap  4 MAC-VRFs (VNI 1001-1004 on VLANs 101-104 of the
      access port), 1,024 static local MACs, 4,096 remote MACs over 8 VTEPs;
  scale-encap  1 MAC-VRF (VNI 100, untagged), SCALE_MACS (default 1,000,000)
      remote MACs over 8 VTEPs pushed through the control ring, SCALE_DESTS
      (default 65,536) distinct destinations among them, 1,024 local sources
      (control ring BENCH_RING, default /evfwd-bench-scale);
  alias-encap  the hosts layout with its 4,096 remote MACs behind two remote
      segments of 2 and 4 PEs (RT1 per-ES and per-EVI, RT2 with ESI);
  flood-encap  broadcast from 1,024 local MACs, flooded to 8 VTEPs (RT3 list).
"""
import os
import struct
import sys

NODE_MAC = "02:00:00:00:00:03"
NEXT_HOP = "02:00:00:00:00:fe"
VTEP = "198.18.0.3"
NLOCAL, NREMOTE, NVNI, NVTEP = 1024, 4096, 4, 8


def mac_b(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip_b(s):
    return bytes(int(x) for x in s.split("."))


def local_mac(j):
    return "00:c1:ab:01:%02x:%02x" % (j >> 8, j & 0xff)


def remote_mac(r):
    return "00:c1:ab:02:%02x:%02x" % (r >> 8, r & 0xff)


def scale_mac(k):
    return "02:00:00:%02x:%02x:%02x" % (k >> 16, (k >> 8) & 0xff, k & 0xff)


def vtep(t):
    return "198.18.1.%d" % (1 + t)


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, proto, payload_len, ident=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident, 0x4000, 64, proto, 0,
                    ip_b(src), ip_b(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def inner(dst, src, i, vlan=None):
    """60-byte Ethernet/IPv4/UDP frame (64 on the wire), tagged if vlan."""
    payload = b"\0" * 18
    udp = struct.pack("!HHHH", 1024 + (i & 0x7fff), 5001, 8 + len(payload), 0) + payload
    ip = ipv4("198.19.%d.%d" % ((i >> 8) & 0xff, i & 0xff), "198.19.200.1", 17, len(udp), i & 0xffff)
    tag = b"" if vlan is None else struct.pack("!HH", 0x8100, vlan)
    return mac_b(dst) + mac_b(src) + tag + b"\x08\x00" + ip + udp


def vxlan(src_vtep, vni, frame, i):
    vx = struct.pack("!II", 0x08000000, vni << 8) + frame
    udp = struct.pack("!HHHH", 49152 + (i & 0x3fff), 4789, 8 + len(vx), 0) + vx
    return (mac_b(NODE_MAC) + mac_b(NEXT_HOP) + b"\x08\x00" +
            ipv4(src_vtep, VTEP, 17, len(udp), i & 0xffff) + udp)


def write_pcap(path, frames):
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for n, f in enumerate(frames):
            fh.write(struct.pack("<IIII", n // 1000000, n % 1000000, len(f), len(f)))
            fh.write(f)


def ports(out, sc, access_in, extra_node=""):
    dev_in = "net_pcap0,rx_pcap=%s/%s.pcap,infinite_rx=1" % (out, sc)
    roles = ("access", "network") if access_in else ("network", "access")
    nh = ', next-hop-mac: "%s"' % NEXT_HOP
    return ("node: {vtep-ipv4: %s, mac: \"%s\"%s}\nports:\n"
            "  - {name: in, device: \"%s\", role: %s%s}\n"
            "  - {name: out, device: \"net_null0,no-rx=1\", role: %s%s}\n" %
            (VTEP, NODE_MAC, extra_node, dev_in, roles[0], nh if roles[0] == "network" else "",
             roles[1], nh if roles[1] == "network" else ""))


def hosts_vrfs(acc, with_remote=True):
    y = "mac-vrfs:\n"
    for v in range(NVNI):
        y += "  - name: h%d\n    vni: %d\n" % (v, 1001 + v)
        y += "    attachments: [{port: %s, vlan: %d}]\n" % (acc, 101 + v)
        y += "    static-macs:\n"
        for j in range(v, NLOCAL, NVNI):
            y += "      - {mac: \"%s\", port: %s, vlan: %d}\n" % (local_mac(j), acc, 101 + v)
        if with_remote:
            y += "    remote-macs:\n"
            for r in range(v, NREMOTE, NVNI):
                y += "      - {mac: \"%s\", vtep: %s}\n" % (remote_mac(r), vtep((r // NVNI) % NVTEP))
    return y


def hosts_frames(n, encap):
    """Frame i: MAC-VRF i%4, local MAC i%1024, remote MAC i%4096 (both of that MAC-VRF)."""
    frames = []
    for i in range(n):
        v, j, r = i % NVNI, i % NLOCAL, i % NREMOTE
        if encap:
            frames.append(inner(remote_mac(r), local_mac(j), i, vlan=101 + v))
        else:
            frames.append(vxlan(vtep((r // NVNI) % NVTEP), 1001 + v,
                                inner(local_mac(j), remote_mac(r), i), i))
    return frames


def single_vrf(acc, extra=""):
    y = "mac-vrfs:\n  - name: s\n    vni: 100\n"
    y += "    attachments: [{port: %s, vlan: untagged}]\n" % acc
    y += "    static-macs:\n"
    for j in range(NLOCAL):
        y += "      - {mac: \"%s\", port: %s, vlan: untagged}\n" % (local_mac(j), acc)
    return y + extra


WORKERS = "workers: {count: 1, burst: 32}\n"
ESS = [("00:11:22:33:44:55:66:77:88:01", ["198.18.2.1", "198.18.2.2"]),
       ("00:11:22:33:44:55:66:77:88:02", ["198.18.2.3", "198.18.2.4", "198.18.2.5", "198.18.2.6"])]


def profile(out, sc):
    env = {"FANOUT": 1, "RING": 0}
    routes = ring = None
    if sc in ("hosts-decap", "hosts-encap"):
        enc = sc == "hosts-encap"
        yaml = ports(out, sc, enc) + hosts_vrfs("in" if enc else "out") + WORKERS
        frames = hosts_frames(NREMOTE, enc)
    elif sc == "alias-encap":
        yaml = ports(out, sc, True) + hosts_vrfs("in", with_remote=False) + WORKERS
        frames = hosts_frames(NREMOTE, True)
        routes = []
        for esi, pes in ESS:
            for p in pes:
                routes.append("route add rt1 esi %s vtep %s" % (esi, p))
                for v in range(NVNI):
                    routes.append("route add rt1 esi %s vni %d vtep %s" % (esi, 1001 + v, p))
        for r in range(NREMOTE):
            esi, pes = ESS[r % 2]
            routes.append("route add rt2 vni %d mac %s vtep %s esi %s" %
                          (1001 + r % NVNI, remote_mac(r), pes[(r // 2) % len(pes)], esi))
    elif sc == "scale-encap":
        macs = int(os.environ.get("SCALE_MACS", "1000000"))
        dests = int(os.environ.get("SCALE_DESTS", "65536"))
        cap = 1 << max(17, (macs * 2 - 1).bit_length())
        yaml = (ports(out, sc, True, ", fdb-capacity: %d, mbufs: %d" % (cap, dests + 65536)) +
                single_vrf("in") +
                "control-ring: {name: %s, records: 65536, batch: 1024}\n" %
                os.environ.get("BENCH_RING", "/evfwd-bench-scale") + WORKERS)
        step = max(1, macs // dests)
        frames = [inner(scale_mac((i * step) % macs), local_mac(i % NLOCAL), i)
                  for i in range(dests)]
        ring = ("rt2 add vni 100 mac %s vtep %s\n" % (scale_mac(k), vtep(k % NVTEP))
                for k in range(macs))
        env["RING"] = 1
        env["MBUFS"] = dests + 65536
    elif sc == "flood-encap":
        yaml = (ports(out, sc, True) +
                single_vrf("in", "    remote-vteps: [%s]\n" %
                           ", ".join(vtep(t) for t in range(NVTEP))) + WORKERS)
        frames = [inner("ff:ff:ff:ff:ff:ff", local_mac(i % NLOCAL), i) for i in range(NREMOTE)]
        env["FANOUT"] = NVTEP
    else:
        raise SystemExit("bench_profiles.py: unknown scenario %s" % sc)
    write_pcap("%s/%s.pcap" % (out, sc), frames)
    with open("%s/%s.yaml" % (out, sc), "w") as fh:
        fh.write(yaml)
    with open("%s/%s.env" % (out, sc), "w") as fh:
        fh.write("".join("%s=%s\n" % kv for kv in env.items()))
    for ext, lines in (("routes", routes), ("ring", ring)):
        path = "%s/%s.%s" % (out, sc, ext)
        if lines is None:
            if os.path.exists(path):
                os.unlink(path)
            continue
        with open(path, "w") as fh:
            for line in lines:
                fh.write(line if line.endswith("\n") else line + "\n")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    for sc in sys.argv[2:]:
        profile(sys.argv[1], sc)


if __name__ == "__main__":
    main()
