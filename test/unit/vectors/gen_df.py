#!/usr/bin/python3
"""gen_df.py: DF election test vectors for test/unit/test_df.c, computed
independently of evfwd's C code from the text of the RFCs.

RFC 8584 section 3.2 (Highest Random Weight):
    D(v, Es)          = CRC-32 (IEEE 802.3, as zlib.crc32) of the 4-byte
                        big-endian v followed by the 10-byte ESI, & 0x7fffffff
    Wrand(v, Es, Si)  = (1103515245 * ((1103515245 * Si + 12345) XOR D(v, Es))
                         + 12345) mod 2^31
    Si                = the PE's IPv4 address as a 32-bit number
    The PE with the highest weight is DF; a tie goes to the numerically lowest
    address.
RFC 7432 section 8.5 (modulo service carving), computed for the same rows:
    candidates ordered by increasing address, DF = the one at index v mod N.

The arithmetic is done with unbounded Python integers exactly as written in
the RFC (no intermediate reduction) and reduced once at the end.

Usage (regenerates the committed header; the output is deterministic):
    /usr/bin/python3 test/unit/vectors/gen_df.py > test/unit/vectors/df_vectors.h
"""
import random
import sys
import zlib

A = 1103515245
C = 12345
SEED = 8584          # random.Random seed: same table on every run
ROWS = 200


def digest(v, esi):
    """D(v, Es): 31-bit CRC-32 digest of v (4 bytes, big endian) || ESI."""
    assert 0 <= v < 2**32 and len(esi) == 10
    return zlib.crc32(v.to_bytes(4, "big") + bytes(esi)) & 0x7FFFFFFF


def wrand(v, esi, si):
    """RFC 8584 3.2 weight, reduced modulo 2^31 only at the end."""
    return (A * ((A * si + C) ^ digest(v, esi)) + C) % (2**31)


def ip_num(s):
    a = [int(x) for x in s.split(".")]
    assert len(a) == 4 and all(0 <= x <= 255 for x in a)
    return (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]


def ip_str(n):
    return ".".join(str((n >> s) & 0xFF) for s in (24, 16, 8, 0))


def hrw_winner(v, esi, ips):
    w = [wrand(v, esi, ip) for ip in ips]
    best = max(w)
    # highest weight; on a tie the lowest address
    return min((ip, i) for i, ip in enumerate(ips) if w[i] == best)[1], w


def modulo_winner(v, ips):
    order = sorted(range(len(ips)), key=lambda i: ips[i])
    return order[v % len(ips)]


def self_check():
    esi = [1] * 10
    si = ip_num("10.0.0.1")
    assert digest(100, esi) == 42737338, digest(100, esi)
    assert wrand(100, esi, si) == 664511525, wrand(100, esi, si)


def rows():
    rnd = random.Random(SEED)
    out = []
    base = ip_num("198.18.0.0")
    for _ in range(ROWS):
        esi = [rnd.randrange(256) for _ in range(10)]
        esi[0] = rnd.choice([0, 1, 2, 3, 4, 5])     # the ESI type byte
        if all(b == 0 for b in esi) or all(b == 0xFF for b in esi):
            esi[9] = 1
        v = rnd.randrange(1, 2**24)
        n = rnd.randrange(2, 6)
        ips = rnd.sample(range(base + 1, base + 2**17 - 1), n)   # 198.18.0.0/15
        out.append((v, esi, ips, "random"))
    # Ties: the weight depends on Si only modulo 2^31 (the LCG multiplier is
    # odd), so two addresses differing only in the top bit weigh the same and
    # the lower one must win.
    for v, a, b in ((100, "10.0.0.1", "138.0.0.1"),
                    (4094, "198.18.0.5", "70.18.0.5"),
                    (16777215, "198.19.255.254", "70.19.255.254")):
        out.append((v, [1] * 10, [ip_num(a), ip_num(b)], "tie"))
        esi = [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99]
        # a third candidate weighing less than the tied pair, listed between them
        third = next(x for x in range(ip_num("198.18.7.1"), ip_num("198.18.8.0"))
                     if wrand(v, esi, x) < wrand(v, esi, ip_num(a)))
        out.append((v, esi, [ip_num(b), third, ip_num(a)], "tie"))
    return out


def main():
    self_check()
    w = sys.stdout.write
    w("/* df_vectors.h: DF election vectors for test_df.c. GENERATED, do not edit.\n"
      " * Produced by test/unit/vectors/gen_df.py (independent Python implementation\n"
      " * of RFC 8584 section 3.2 with zlib.crc32, and of RFC 7432 section 8.5):\n"
      " *     /usr/bin/python3 test/unit/vectors/gen_df.py > test/unit/vectors/df_vectors.h\n"
      " * Deterministic (random.Random(%d)); known answer checked by the script:\n"
      " * v=100, ESI 01 x 10, Si=10.0.0.1 -> D=42737338, Wrand=664511525.\n"
      " * Addresses are host-order IPv4 numbers; winners index ip[]. */\n" % SEED)
    w("#ifndef DF_VECTORS_H\n#define DF_VECTORS_H\n\n#include <stdint.h>\n\n")
    w("struct df_vec {\n"
      "\tuint32_t v;            /* the EVI */\n"
      "\tuint8_t esi[10];\n"
      "\tuint8_t n;             /* candidates, 2..5 */\n"
      "\tuint8_t hrw;           /* index of the HRW DF */\n"
      "\tuint8_t mod;           /* index of the modulo DF */\n"
      "\tuint8_t tie;           /* 1: the top weights tie (lowest address wins) */\n"
      "\tuint32_t ip[5];        /* IPv4, host order */\n"
      "\tuint32_t w[5];         /* Wrand of each candidate */\n"
      "};\n\n")
    w("#define DF_KNOWN_D     42737338u\n#define DF_KNOWN_WRAND 664511525u\n\n")
    w("static const struct df_vec df_vectors[] = {\n")
    for v, esi, ips, kind in rows():
        win, ws = hrw_winner(v, esi, ips)
        tie = int(sorted(ws)[-1] == sorted(ws)[-2])
        assert (kind == "tie") == bool(tie), (v, ips)
        pad = lambda l: l + [0] * (5 - len(l))
        w("\t{ %uu, { %s }, %u, %u, %u, %u,\n\t  { %s },\n\t  { %s } }, /* %s */\n" % (
            v, ", ".join("0x%02x" % b for b in esi), len(ips), win,
            modulo_winner(v, ips), tie,
            ", ".join("0x%08xu" % x for x in pad(ips)),
            ", ".join("%uu" % x for x in pad(ws)),
            " ".join(ip_str(x) for x in ips)))
    w("};\n\n#endif /* DF_VECTORS_H */\n")


if __name__ == "__main__":
    main()
