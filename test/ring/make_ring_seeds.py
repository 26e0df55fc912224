#!/usr/bin/python3
"""make_ring_seeds.py: seed corpora of the control ring fuzzers (deterministic).

  SEEDS/rec/*  inputs of test/fuzz/fuzz_ring_rec.c: 128-byte records laid out
               as lib/ring/evf_ring_abi.h says (one valid record per route
               variant, event records, a few invalid ones, a short and a long
               input);
  SEEDS/hdr/*  inputs of test/fuzz/fuzz_ring_hdr.c: byte 0 the batch size, then
               ops (see that file's header): routes, restarts with and without
               SYNC-END, damaged header words, indices out of range, patches.

usage: make_ring_seeds.py --seeds DIR [--mkdir DIR]... [--stamp FILE]
"""
import argparse
import ipaddress
import os
import struct

RT1, RT2, RT3, RT4 = 1, 2, 3, 4
SYNC_BEGIN, SYNC_END, HEARTBEAT = 16, 17, 18
F_PER_ES, F_SINGLE_ACTIVE, F_STICKY, F_DONT_PREEMPT, F_DF = 1, 2, 4, 8, 16


def addr(text):
    """(af, 16 bytes) of an address, or (0, zeros)."""
    if not text:
        return 0, bytes(16)
    a = ipaddress.ip_address(text)
    return (4, a.packed + bytes(12)) if a.version == 4 else (6, a.packed)


def esi(text):
    return bytes(int(x, 16) for x in text.split(":")) if text else bytes(10)


def mac(text):
    return bytes(int(x, 16) for x in text.split(":")) if text else bytes(6)


def record(rtype, op=0, flags=0, vtep=None, ip=None, df_alg=0, df_pref=0, vni=0, seq=0,
           esi_=None, mac_=None, attach=0, ts_ns=0, ev_seq=0):
    """Bytes 0..127 of a record (rec_idx and crc zero: the fuzzers seal)."""
    vaf, vb = addr(vtep)
    iaf, ib = addr(ip)
    rec = struct.pack("<IIBBBBBBHII", 0, 0, rtype, op, flags, vaf, iaf, df_alg, df_pref, vni, seq)
    rec += esi(esi_) + mac(mac_) + vb + ib
    rec += struct.pack("<HHIQQ", attach, 0, 0, ts_ns, ev_seq) + bytes(32)
    assert len(rec) == 128
    return rec


ESL = "01:11:11:11:11:11:11:00:00:01"
ESR = "00:11:22:33:44:55:66:77:88:99"


def rec_seeds():
    s = {}
    s["rt1_per_es"] = record(RT1, flags=F_PER_ES, vtep="198.18.0.2", esi_=ESL)
    s["rt1_single_active"] = record(RT1, flags=F_PER_ES | F_SINGLE_ACTIVE, vtep="2001:2::2", esi_=ESR)
    s["rt1_per_evi"] = record(RT1, vtep="198.18.0.2", vni=100, esi_=ESR)
    s["rt1_withdraw"] = record(RT1, op=1, flags=F_PER_ES, vtep="198.18.0.2", esi_=ESL)
    s["rt2_mac"] = record(RT2, vtep="198.18.0.2", vni=100, mac_="00:c1:ab:00:00:01")
    s["rt2_esi_ip6"] = record(RT2, vtep="2001:2::2", ip="2001:db8::4", vni=200, seq=7,
                              esi_=ESR, mac_="00:c1:ab:00:00:02")
    s["rt2_sticky_ip4"] = record(RT2, flags=F_STICKY, vtep="198.18.0.3", ip="198.19.0.1",
                                 vni=16777215, seq=4294967295, mac_="02:00:00:00:00:05")
    s["rt2_withdraw"] = record(RT2, op=1, vtep="198.18.0.2", vni=100, mac_="00:c1:ab:00:00:01")
    s["rt3"] = record(RT3, vtep="198.18.0.2", vni=100)
    s["rt3_ip6"] = record(RT3, op=1, vtep="2001:2::9", vni=1)
    s["rt4_modulo"] = record(RT4, vtep="198.18.0.2", esi_=ESL)
    s["rt4_hrw"] = record(RT4, vtep="198.18.0.2", esi_=ESL, df_alg=1)
    s["rt4_pref_dp"] = record(RT4, flags=F_DONT_PREEMPT, vtep="198.18.0.2", esi_=ESL, df_alg=2,
                              df_pref=65535)
    s["ev_learned"] = record(64, vni=100, mac_="00:c1:ab:00:00:01", esi_=ESL, attach=3, ev_seq=9)
    s["ev_moved_remote"] = record(66, vni=100, mac_="00:c1:ab:00:00:01", attach=0xffff)
    s["ev_es_up"] = record(69, flags=F_DONT_PREEMPT, esi_=ESL, df_alg=2, df_pref=7)
    s["ev_df"] = record(71, flags=F_DF, esi_=ESL, vni=100)
    s["bad_type"] = record(5, vtep="198.18.0.2", vni=100)
    s["bad_vni"] = record(RT2, vtep="198.18.0.2", vni=1 << 24, mac_="00:c1:ab:00:00:01")
    s["bad_alg"] = record(RT4, vtep="198.18.0.2", esi_=ESL, df_alg=3)
    s["short"] = record(RT3, vtep="198.18.0.2", vni=100)[:40]
    s["long"] = s["rt2_esi_ip6"] + s["rt1_per_evi"] + s["rt4_pref_dp"][:77]
    return s


# ---- fuzz_ring_hdr ops ----

def op_route(t, withdraw=False, mac_i=0, vtep_i=0, vni_i=0, esi_i=0, ip=False, per_es=False,
             sa=False, sticky=False, alg=0, dp=False, pref=0, seq=0):
    b0 = ((t - 1) & 3) | (4 if withdraw else 0)
    b1 = (mac_i & 15) | ((vtep_i & 7) << 4)
    b2 = (vni_i & 3) | ((esi_i & 7) << 2) | (0x20 if ip else 0)
    b3 = (1 if per_es else 0) | (2 if sa else 0) | (4 if sticky else 0) | ((alg % 3) << 3) | \
        (0x20 if dp else 0)
    return bytes([2, b0, b1, b2, b3, pref & 0xff, seq & 7])


def op_ctl(kind):
    return bytes([3 | ({"begin": 0, "end": 1, "heartbeat": 2}[kind] << 3)])


def op_poll(eighths=1):
    return bytes([6, eighths])


def op_epoch(e):
    return bytes([5]) + struct.pack("<H", e)


def op_prod(value, raw=False):
    return bytes([4, 1 if raw else 0]) + struct.pack("<Q", value & (2**64 - 1))


def op_cons(value):
    return bytes([7, 1]) + struct.pack("<Q", value)


def op_hdr_word(word, value):
    return bytes([7, (word % 32) << 1]) + struct.pack("<Q", value)


def op_patch(off, data):
    return bytes([0]) + struct.pack("<H", off) + bytes([len(data) - 1]) + data


def op_raw(rec):
    body = rec[8:128]
    n = min(15, len(body) // 8)
    return bytes([1 | (n << 3)]) + body[:n * 8]


def full_set():
    return (op_route(3, vtep_i=0) + op_route(3, vtep_i=3, vni_i=1) +
            op_route(2, mac_i=1, vtep_i=0) + op_route(2, mac_i=2, vtep_i=1, esi_i=2, ip=True, seq=3) +
            op_route(1, vtep_i=1, esi_i=2, per_es=True) + op_route(1, vtep_i=2, esi_i=2, per_es=True, sa=True) +
            op_route(1, vtep_i=1, esi_i=2) + op_route(4, vtep_i=6, esi_i=1, alg=2, pref=9, dp=True))


def hdr_seeds():
    s = {}
    s["routes"] = bytes([63]) + full_set() + op_poll()
    s["withdraw"] = bytes([16]) + full_set() + op_poll() + op_route(2, True, mac_i=1, vtep_i=0) + \
        op_route(3, True, vtep_i=0) + op_route(1, True, vtep_i=2, esi_i=2, per_es=True) + op_poll()
    s["restart_sync"] = bytes([63]) + full_set() + op_poll() + op_epoch(7) + op_poll() + \
        op_ctl("begin") + op_route(3, vtep_i=0) + op_route(2, mac_i=1, vtep_i=0) + op_ctl("end") + op_poll()
    s["restart_hold"] = bytes([63]) + full_set() + op_poll() + op_epoch(9) + op_ctl("begin") + \
        op_route(2, mac_i=1, vtep_i=0) + op_poll(4) + op_poll(20)
    s["rejects"] = bytes([63]) + op_route(2, vni_i=2) + op_route(3, vtep_i=4) + op_route(3, vtep_i=5) + \
        op_route(4, esi_i=2) + op_route(2, esi_i=4) + op_route(2, vtep_i=7) + \
        op_raw(record(5, vtep="198.18.0.2")) + op_raw(record(RT4, vtep="198.18.0.2", esi_=ESL, df_alg=3)) + \
        op_ctl("heartbeat") + op_poll()
    s["bad_magic"] = bytes([63]) + full_set() + op_patch(0, b"\x00") + op_poll() + op_patch(0, b"E") + op_poll()
    s["bad_desc"] = bytes([63]) + full_set() + op_hdr_word(4, 4096 + 64) + op_poll() + \
        op_hdr_word(4, 4096) + op_poll()
    s["bad_count"] = bytes([63]) + full_set() + op_hdr_word(5, 1 << 40 | 128) + op_poll()
    s["bad_total"] = bytes([63]) + full_set() + op_hdr_word(2, 1 << 30) + op_poll()
    s["index_ahead"] = bytes([63]) + full_set() + op_prod(1000) + op_poll() + full_set() + op_poll()
    s["index_behind"] = bytes([63]) + op_cons(50) + op_prod(40, raw=True) + op_poll() + full_set() + op_poll()
    s["index_wrap"] = bytes([31]) + op_cons(2**64 - 3) + op_prod(2**64 - 3, raw=True) + full_set() + op_poll()
    s["torn_slot"] = bytes([63]) + full_set() + op_patch(4096 + 128 * 2 + 20, b"\x05\x06") + op_poll()
    s["small_batch"] = bytes([0]) + full_set() + full_set() + op_poll() + op_poll() + op_poll()
    s["sync_end_alone"] = bytes([63]) + full_set() + op_ctl("end") + op_poll() + op_ctl("begin") + \
        op_ctl("end") + op_poll()
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--mkdir", action="append", default=[])
    ap.add_argument("--stamp")
    a = ap.parse_args()
    for d in a.mkdir:
        os.makedirs(d, exist_ok=True)
    for sub, seeds in (("rec", rec_seeds()), ("hdr", hdr_seeds())):
        d = os.path.join(a.seeds, sub)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)
    if a.stamp:
        with open(a.stamp, "w") as fh:
            fh.write("ok\n")


if __name__ == "__main__":
    main()
