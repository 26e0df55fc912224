#!/usr/bin/python3
"""soak_traffic.py OUTDIR: write the soak's input pcaps (scapy), replayed in a
loop by net_pcap infinite_rx ports (scripts/soak.sh).

Our VTEP is 198.18.0.3, MAC-VRF blue is VNI 100 (host1 and host2 untagged,
host3 untagged as a sink), MAC-VRF red VNI 200 (host1 VLAN 20).
  up0.pcap    VXLAN from 198.18.0.1 and 198.18.0.2: VNI 100 frames from 32
              remote MACs to the local MACs of host1/host2 (known unicast,
              after learning), broadcast (BUM from the network) and to
              unknown MACs; VNI 200 frames; VNI 999 (unknown: dropped).
  host1.pcap  frames from 32 local MACs (A) and the 8 moving MACs (M) to the
              static remote MACs, to ring-learned remote MACs (02:00:00:...),
              broadcast, unknown unicast; VLAN 20 frames (red).
  host2.pcap  frames from 32 other local MACs (B) and the same 8 moving MACs:
              as both pcaps loop, each M moves between host1 and host2.
"""
import sys

from scapy.all import IP, UDP, VXLAN, Dot1Q, Ether, Raw, wrpcap

out = sys.argv[1]
SPINE, NODE = "02:00:00:00:00:fe", "02:00:00:00:00:03"
A = ["00:c1:aa:00:00:%02x" % i for i in range(32)]
B = ["00:c1:bb:00:00:%02x" % i for i in range(32)]
M = ["00:c1:cc:00:00:%02x" % i for i in range(8)]
REMOTE = ["00:c1:ee:00:00:%02x" % i for i in range(32)]
STATIC_REMOTE = "00:c1:ab:00:00:21"
RING = ["02:00:00:00:%02x:%02x" % (i >> 8, i & 255) for i in range(0, 2000, 97)]


def frame(src, dst, i, vlan=None):
    f = Ether(src=src, dst=dst)
    if vlan is not None:
        f = f / Dot1Q(vlan=vlan)
    f = f / IP(src="198.19.%d.%d" % (i // 250, 1 + i % 250), dst="198.19.200.1") / \
        UDP(sport=1024 + i % 30000, dport=5001)
    return f / Raw(b"\0" * max(0, 60 - len(f)))


def vxlan(vtep, vni, inner, i):
    return (Ether(src=SPINE, dst=NODE) / IP(src=vtep, dst="198.18.0.3", flags="DF", ttl=64) /
            UDP(sport=49152 + i % 16000, dport=4789) / VXLAN(vni=vni, flags=0x08) / inner)


up0, host1, host2 = [], [], []
for i in range(256):
    src = REMOTE[i % len(REMOTE)]
    vtep = "198.18.0.1" if i % 2 == 0 else "198.18.0.2"
    locals_ = A + B
    if i % 8 == 0:
        dst = "ff:ff:ff:ff:ff:ff"
    elif i % 8 == 1:
        dst = "00:c1:dd:00:00:%02x" % (i % 64)   # unknown
    else:
        dst = locals_[i % len(locals_)]
    up0.append(vxlan(vtep, 100, frame(src, dst, i), i))
    if i % 16 == 3:
        up0.append(vxlan(vtep, 200, frame(src, "ff:ff:ff:ff:ff:ff", i), i))
    if i % 32 == 5:
        up0.append(vxlan(vtep, 999, frame(src, dst, i), i))

for side, own, out_list in (("1", A, host1), ("2", B, host2)):
    for i in range(256):
        src = M[i % len(M)] if i % 4 == 0 else own[i % len(own)]
        k = i % 6
        if k == 0:
            dst = "ff:ff:ff:ff:ff:ff"
        elif k == 1:
            dst = STATIC_REMOTE
        elif k == 2:
            dst = RING[i % len(RING)]
        elif k == 3:
            dst = "00:c1:dd:00:01:%02x" % (i % 64)   # unknown unicast
        else:
            dst = REMOTE[i % len(REMOTE)]           # learned from up0
        out_list.append(frame(src, dst, i))
        if side == "1" and i % 16 == 7:
            out_list.append(frame(own[i % len(own)], "ff:ff:ff:ff:ff:ff", i, vlan=20))

wrpcap(f"{out}/up0.pcap", up0)
wrpcap(f"{out}/host1.pcap", host1)
wrpcap(f"{out}/host2.pcap", host2)
