#!/usr/bin/python3
"""bench_traffic.py OUTDIR [FLOWS]: write the benchmark input pcaps (scapy).

decap.pcap: VXLAN/IPv4 packets from 198.18.0.1 to our VTEP 198.18.0.3, VNI 100,
            64-byte inner frames to the static local MAC 00:c1:ab:00:00:11.
encap.pcap: 64-byte frames from 00:c1:ab:00:00:11 to the static remote MAC
            00:c1:ab:00:00:21 (behind VTEP 198.18.0.1).
Each file holds FLOWS distinct inner flows (source IP/port), so the UDP
source-port hash and the flow hash work on varied input."""
import sys

from scapy.all import IP, UDP, VXLAN, Ether, Raw, wrpcap

out = sys.argv[1]
flows = int(sys.argv[2]) if len(sys.argv) > 2 else 256
LOCAL, REMOTE = "00:c1:ab:00:00:11", "00:c1:ab:00:00:21"


def inner(src, dst, i):
    f = (Ether(src=src, dst=dst) /
         IP(src="198.19.%d.%d" % (i // 250, 1 + i % 250), dst="198.19.100.1") /
         UDP(sport=1024 + i, dport=5001))
    return f / Raw(b"\0" * (60 - len(f)))  # 60 bytes + 4 FCS = 64-byte frame


decap = [Ether(src="02:00:00:00:00:fe", dst="02:00:00:00:00:03") /
         IP(src="198.18.0.1", dst="198.18.0.3", flags="DF", ttl=64) /
         UDP(sport=49152 + i, dport=4789) / VXLAN(vni=100, flags=0x08) /
         inner(REMOTE, LOCAL, i) for i in range(flows)]
encap = [inner(LOCAL, REMOTE, i) for i in range(flows)]
wrpcap(f"{out}/decap.pcap", decap)
wrpcap(f"{out}/encap.pcap", encap)
