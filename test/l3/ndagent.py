#!/usr/bin/python3
"""ndagent.py IFNAME SECONDS: run inside a test namespace (ip netns exec) by
the l3 lab. Reads frames to send (hex, one per line) on stdin until EOF,
sends them at about 500 frames/s on IFNAME while capturing, keeps capturing
SECONDS after the last one, then prints every ARP frame and every ICMPv6
NS/NA received (not sent) on IFNAME as "in HEX" lines and "end"."""
import select
import socket
import sys
import time

ETH_P_ALL = 3


def is_nd(b):
    if len(b) < 14:
        return False
    et = b[12] << 8 | b[13]
    if et == 0x0806:
        return True
    return et == 0x86DD and len(b) >= 55 and b[20] == 58 and b[54] in (135, 136)


def main():
    ifname, linger = sys.argv[1], float(sys.argv[2])
    frames = [bytes.fromhex(l.strip()) for l in sys.stdin if l.strip()]
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    rx.bind((ifname, 0))
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((ifname, 0))
    got = []

    def drain(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([rx], [], [], left)
            if not r:
                continue
            b, addr = rx.recvfrom(65535)
            if addr[2] != socket.PACKET_OUTGOING and is_nd(b):
                got.append(b)

    for f in frames:
        tx.send(f)
        drain(time.monotonic() + 0.002)
    drain(time.monotonic() + linger)
    out = ["in " + b.hex() for b in got] + ["end"]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
