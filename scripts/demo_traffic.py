#!/usr/bin/python3
"""demo_traffic.py OUTDIR: write the demo's input pcaps (scapy).

host1/host2 send ARP, pings and TCP in MAC-VRF blue (untagged) and red
(VLAN 20 on host1); the uplink carries VXLAN from two remote VTEPs, plus a
few malformed packets so "show drops" has something to say."""
import sys

from scapy.all import ARP, ICMP, IP, TCP, UDP, VXLAN, Dot1Q, Ether, Raw, wrpcap

out = sys.argv[1] if len(sys.argv) > 1 else "."
ME_MAC, NH_MAC = "02:00:00:00:00:10", "02:00:00:00:00:fe"
ME_IP = "198.18.0.10"
H1, H2, H1R = "00:c1:ab:00:01:01", "00:c1:ab:00:01:02", "00:c1:ab:00:02:11"
R1, R2, RR = "00:c1:ab:00:01:31", "00:c1:ab:00:01:32", "00:c1:ab:00:02:01"


def vx(vtep, vni, inner, flags=0x08):
    return (Ether(src=NH_MAC, dst=ME_MAC) / IP(src=vtep, dst=ME_IP, flags="DF") /
            UDP(sport=50000 + vni, dport=4789) / VXLAN(vni=vni, flags=flags) / inner)


host1, host2, uplink = [], [], []
for i in range(200):
    host1.append(Ether(src=H1, dst="ff:ff:ff:ff:ff:ff") /
                 ARP(psrc="198.19.1.1", pdst="198.19.1.%d" % (2 + i % 3)))
    host1.append(Ether(src=H1, dst=H2) / IP(src="198.19.1.1", dst="198.19.1.2") /
                 ICMP(id=1, seq=i))
    host2.append(Ether(src=H2, dst=H1) / IP(src="198.19.1.2", dst="198.19.1.1") /
                 ICMP(type=0, id=1, seq=i))
    host1.append(Ether(src=H1R, dst=RR) / Dot1Q(vlan=20) /
                 IP(src="198.19.2.11", dst="198.19.2.1") / TCP(sport=10000 + i, dport=443))
    uplink.append(vx("198.18.0.1", 100, Ether(src=R1, dst=H1) /
                     IP(src="198.19.1.31", dst="198.19.1.1") / UDP(sport=i + 1, dport=53)))
    uplink.append(vx("198.18.0.2", 200, Ether(src=RR, dst=H1R) /
                     IP(src="198.19.2.1", dst="198.19.2.11") / TCP(sport=443, dport=10000 + i)))
for i in range(10):
    uplink.append(vx("198.18.0.1", 999, Ether(src=R1, dst=H1) / Raw(b"unknown vni")))
    uplink.append(vx("198.18.0.2", 100, Ether(src=R2, dst=H1) / Raw(b"I flag clear"), flags=0))
wrpcap(f"{out}/host1_in.pcap", host1)
wrpcap(f"{out}/host2_in.pcap", host2)
wrpcap(f"{out}/uplink_in.pcap", uplink)
print(f"demo traffic: {len(host1)} + {len(host2)} frames on access ports, "
      f"{len(uplink)} VXLAN packets on the uplink")
