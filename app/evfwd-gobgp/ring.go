// ring.go: evfwd's control ring through cgo: lib/ring/evf_ring_abi.h and
// the ring client of the codec library (lib/ring/ring_client.c, linked from
// the build's libevf-codec.a through CGO_LDFLAGS), the same code evfwd-ctl
// uses (one ABI, one implementation). evfwd-gobgp is the producer of the routes ring (ring 0)
// and the consumer of the events ring (ring 1).
package main

/*
#cgo CFLAGS: -std=gnu11 -O2 -msse4.2 -I${SRCDIR}/../../lib/ring
#include <errno.h>
#include <stdlib.h>
#include "evf_ring_client.h"

static int ring_rec_intact(const struct evf_ring_rec *r, uint64_t idx)
{
	return evf_ring_rec_intact(r, idx);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// Record types, flags and families of evf_ring_abi.h.
const (
	recRT1         = C.EVF_REC_RT1
	recRT2         = C.EVF_REC_RT2
	recRT3         = C.EVF_REC_RT3
	recRT4         = C.EVF_REC_RT4
	recSyncBegin   = C.EVF_REC_SYNC_BEGIN
	recSyncEnd     = C.EVF_REC_SYNC_END
	recHeartbeat   = C.EVF_REC_HEARTBEAT
	evMacLearned   = C.EVF_REC_EV_MAC_LEARNED
	evMacAged      = C.EVF_REC_EV_MAC_AGED
	evMacMoved     = C.EVF_REC_EV_MAC_MOVED
	evMacFrozen    = C.EVF_REC_EV_MAC_FROZEN
	evMacUnfrozen  = C.EVF_REC_EV_MAC_UNFROZEN
	evESUp         = C.EVF_REC_EV_ES_UP
	evESDown       = C.EVF_REC_EV_ES_DOWN
	evDFChange     = C.EVF_REC_EV_DF_CHANGE
	evNode         = C.EVF_REC_EV_NODE
	evBD           = C.EVF_REC_EV_BD
	evESBD         = C.EVF_REC_EV_ES_BD
	evDumpBegin    = C.EVF_REC_EV_DUMP_BEGIN
	evDumpEnd      = C.EVF_REC_EV_DUMP_END
	evMacIPLearned = C.EVF_REC_EV_MACIP_LEARNED // minor 2
	evMacIPAged    = C.EVF_REC_EV_MACIP_AGED

	opAdd      = C.EVF_REC_ADD
	opWithdraw = C.EVF_REC_WITHDRAW

	flagPerES        = C.EVF_REC_F_PER_ES
	flagSingleActive = C.EVF_REC_F_SINGLE_ACTIVE
	flagSticky       = C.EVF_REC_F_STICKY
	flagDontPreempt  = C.EVF_REC_F_DONT_PREEMPT
	flagDF           = C.EVF_REC_F_DF
	flagDump         = C.EVF_REC_F_DUMP
	flagNDRouter     = C.EVF_REC_F_ND_ROUTER // minor 2

	afNone = C.EVF_REC_AF_NONE
	afIPv4 = C.EVF_REC_AF_IPV4
	afIPv6 = C.EVF_REC_AF_IPV6

	ringRoutes = C.EVF_RING_ROUTES
	ringEvents = C.EVF_RING_EVENTS

	attachNone = 0xffff
)

// record is one ring record in Go form (the fields evf_ring_rec carries).
type record struct {
	Type, Op, Flags    uint8
	VtepAF, IPAF       uint8
	DFAlg              uint8
	DFPref             uint16
	VNI, Seq, EVI      uint32
	ESI                [10]byte
	MAC                [6]byte
	Vtep, IP           [16]byte
	Attach             uint16
	EvSeq, Epoch, TsNs uint64
}

func (r *record) toC(c *C.struct_evf_ring_rec) {
	*c = C.struct_evf_ring_rec{}
	c._type = C.uint8_t(r.Type)
	c.op = C.uint8_t(r.Op)
	c.flags = C.uint8_t(r.Flags)
	c.vtep_af = C.uint8_t(r.VtepAF)
	c.ip_af = C.uint8_t(r.IPAF)
	c.df_alg = C.uint8_t(r.DFAlg)
	c.df_pref = C.uint16_t(r.DFPref)
	c.vni = C.uint32_t(r.VNI)
	c.seq = C.uint32_t(r.Seq)
	for i := range r.ESI {
		c.esi[i] = C.uint8_t(r.ESI[i])
	}
	for i := range r.MAC {
		c.mac[i] = C.uint8_t(r.MAC[i])
	}
	for i := range r.Vtep {
		c.vtep[i] = C.uint8_t(r.Vtep[i])
		c.ip[i] = C.uint8_t(r.IP[i])
	}
}

func fromC(c *C.struct_evf_ring_rec) record {
	r := record{
		Type: uint8(c._type), Op: uint8(c.op), Flags: uint8(c.flags),
		VtepAF: uint8(c.vtep_af), IPAF: uint8(c.ip_af), DFAlg: uint8(c.df_alg),
		DFPref: uint16(c.df_pref), VNI: uint32(c.vni), Seq: uint32(c.seq),
		EVI: uint32(c.evi), Attach: uint16(c.attach), EvSeq: uint64(c.ev_seq),
		Epoch: uint64(c.epoch), TsNs: uint64(c.ts_ns),
	}
	for i := range r.ESI {
		r.ESI[i] = byte(c.esi[i])
	}
	for i := range r.MAC {
		r.MAC[i] = byte(c.mac[i])
	}
	for i := range r.Vtep {
		r.Vtep[i] = byte(c.vtep[i])
		r.IP[i] = byte(c.ip[i])
	}
	return r
}

// ring is evfwd's control-ring object mapped by this process.
type ring struct {
	c    C.struct_evf_ring_client
	open bool
	name string
	recs [256]C.struct_evf_ring_rec
}

var errRingFull = errors.New("routes ring full")

// openRing maps the object and takes the producer and watcher locks.
func openRing(name string) (*ring, error) {
	r := &ring{name: name}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var buf [256]C.char
	if rc := C.evf_ring_client_open(&r.c, cname, &buf[0], C.size_t(len(buf))); rc < 0 {
		return nil, errors.New(C.GoString(&buf[0]))
	}
	r.open = true
	if rc := C.evf_ring_client_lock(&r.c, C.EVF_RING_ROLE_PRODUCER, 0); rc < 0 {
		r.close()
		return nil, fmt.Errorf("%s: another producer holds the routes ring (evfwd-gobgp or"+
			" evfwd-ctl push --producer)", name)
	}
	if rc := C.evf_ring_client_lock(&r.c, C.EVF_RING_ROLE_WATCHER, 0); rc < 0 {
		r.close()
		return nil, fmt.Errorf("%s: another process consumes the events ring"+
			" (evfwd-ctl watch?)", name)
	}
	return r, nil
}

func (r *ring) close() {
	if r.open {
		C.evf_ring_client_close(&r.c)
		r.open = false
	}
}

// newEpoch starts a new producer instance: evfwd opens a resync of the
// routes ring and dumps its local state (answering this epoch); as the events
// consumer too, we ask for that same dump, so that evfwd dumps once.
func (r *ring) newEpoch() uint64 {
	e := C.evf_ring_client_new_epoch(&r.c)
	C.evf_ring_client_request_dump(&r.c, e)
	return uint64(e)
}

// requestDump asks for a dump of local state only.
func (r *ring) requestDump() uint64 {
	return uint64(C.evf_ring_client_request_dump(&r.c, 0))
}

// produce writes one record into the routes ring; errRingFull when full.
func (r *ring) produce(rec *record) error {
	var c C.struct_evf_ring_rec
	rec.toC(&c)
	if rc := C.evf_ring_client_produce(&r.c, ringRoutes, &c); rc < 0 {
		return errRingFull
	}
	return nil
}

func (r *ring) heartbeat() {
	C.evf_ring_client_heartbeat(&r.c, ringRoutes)
}

// consume reads the events waiting on the events ring (at most 256).
// A record that fails its seal is returned with Type 0.
func (r *ring) consume() ([]record, error) {
	var first C.uint64_t
	n := C.evf_ring_client_consume(&r.c, &r.recs[0], C.uint(len(r.recs)), &first)
	if n < 0 {
		return nil, errors.New("events ring indices out of range")
	}
	out := make([]record, int(n))
	for i := 0; i < int(n); i++ {
		if C.ring_rec_intact(&r.recs[i], first+C.uint64_t(i)) == 0 {
			out[i] = record{}
			continue
		}
		out[i] = fromC(&r.recs[i])
	}
	return out, nil
}

// shrunk: another process truncated the object (evfwd serves a new one);
// touching the lost part would kill this process with SIGBUS.
func (r *ring) shrunk() bool {
	return C.evf_ring_client_shrunk(&r.c) != 0
}

// stale: the object was replaced by a restarted evfwd, removed, or its evfwd is gone.
func (r *ring) stale() bool {
	return C.evf_ring_client_stale(&r.c) != 0
}

// handled: every routes record below this index has been applied or rejected.
func (r *ring) handled() uint64 {
	return uint64(C.evf_ring_client_handled(&r.c, ringRoutes))
}

func (r *ring) produced() uint64 {
	return uint64(C.evf_ring_client_prod_idx(&r.c, ringRoutes))
}

func (r *ring) evfwdPid() uint64 {
	return uint64(r.c.hdr.evfwd_pid)
}
