// fuzz_test.go: native Go fuzzers (go test -fuzz; the seeds also run as
// part of the plain go test).
//
// FuzzDecodePath       protobuf bytes -> api.Path -> decodePath must not
//
//	panic; a decoded route goes through the intake (add,
//	then withdrawal: nothing may stay), and re-encoded by
//	toPath it decodes back to the same key and fingerprint.
//
// FuzzOriginRoundTrip  bytes -> events-ring records (MAC/IP bindings
//
//	included) -> model; per-owner updates must advertise
//	exactly what the full computation asks for, and every
//	originated route survives toPath -> wire -> decodePath.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	api "github.com/osrg/gobgp/api"
	"google.golang.org/protobuf/proto"
)

func fuzzIntake(localVNIs bool) *intake {
	in := newIntake(func(string, ...interface{}) {})
	if localVNIs {
		in.localVNIs = map[uint32]bool{10100: true, 100: true, 1: true}
	}
	for _, e := range [][10]byte{esiT0, esiT1, esiT4, esi09, {1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01, 0, 1, 0}} {
		in.localESIs[e] = true
	}
	in.ownNextHops["192.0.2.1"] = true
	return in
}

// decodeSeedPaths: real gobgpd paths (gRPC sample, CLI samples) and every
// route origin.go makes, for the seed corpus.
func decodeSeedPaths(t testing.TB) []*api.Path {
	ps := grpcSamplePaths(t)
	files, err := filepath.Glob(filepath.Join(cliSampleDir, "type*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CLI samples in %s: %v", cliSampleDir, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.TrimSpace(string(raw))
		if strings.HasPrefix(s, "[") {
			s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
		}
		ps = append(ps, cliToPath(t, []byte(s)))
	}
	var logs []string
	// MAC+IP routes with the ARP/ND community among them
	for _, r := range testOriginator(originSet(), &logs).all(buildModel(append(originRecords(), macipRecords()...))) {
		p, err := r.toPath()
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func FuzzDecodePath(f *testing.F) {
	for _, p := range decodeSeedPaths(f) {
		b, err := proto.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := &api.Path{}
		if proto.Unmarshal(b, p) != nil {
			return
		}
		r, err := decodePath(p)
		if err != nil {
			if r != nil {
				t.Fatalf("a route and the error %v", err)
			}
			return
		}
		_, _ = r.key(), r.fingerprint()
		for _, local := range []bool{false, true} {
			in := fuzzIntake(local)
			if rec, ok := in.toRecord(r); ok && (rec.Type < recRT1 || rec.Type > recRT4) {
				t.Fatalf("record of type %d", rec.Type)
			}
			in.apply(r)
			w := *r
			w.Withdraw = true
			in.apply(&w)
			if len(in.bgp) != 0 || len(in.evf) != 0 {
				t.Fatalf("after its withdrawal the intake holds %v %v", in.bgp, in.evf)
			}
		}
		// what toPath encodes (not the router MAC and default gateway
		// communities, which evfwd-gobgp never originates) comes back the same
		c := *r
		c.RouterMAC, c.DefaultGW = nil, false
		p2, err := c.toPath()
		if err != nil {
			return
		}
		b2, err := proto.Marshal(p2)
		if err != nil {
			t.Fatal(err)
		}
		p3 := &api.Path{}
		if err := proto.Unmarshal(b2, p3); err != nil {
			t.Fatal(err)
		}
		r2, err := decodePath(p3)
		if err != nil {
			t.Fatalf("toPath(%s) does not decode: %v", c.fingerprint(), err)
		}
		if r2.fingerprint() != c.fingerprint() || r2.Withdraw != c.Withdraw {
			t.Fatalf("re-encoded:\n got %s\nwant %s", r2.fingerprint(), c.fingerprint())
		}
	})
}

// fuzzRecords: 12 bytes per record, values from small sets so that records
// meet (same VNI, ESI, MAC), with some out-of-range values.
func fuzzRecords(b []byte) []record {
	types := []uint8{evNode, evBD, evESBD, evESUp, evESDown, evDFChange, evMacLearned, evMacMoved,
		evMacAged, evMacFrozen, evMacUnfrozen, evMacLearned, evMacIPLearned, evMacIPAged}
	esis := [][10]byte{esiT0, esiT1, esiT2, esiT3, esiT4, esiT5, refusedESI, {}}
	var out []record
	for ; len(b) >= 12; b = b[12:] {
		r := record{Type: types[int(b[0])%len(types)], Flags: b[1] &^ flagDump,
			VNI: 10100 + 100*uint32(b[2]%4), ESI: esis[int(b[3])%len(esis)],
			MAC: [6]byte{2, 0, 0, 0, 0, b[4] % 8}, Seq: uint32(b[5]), Attach: 1,
			// DF types of 5 bits: route.go encodes RFC 8584's DF Alg field
			DFAlg: b[7] & 0x1f, DFPref: binary.BigEndian.Uint16(b[8:10])}
		if b[2] >= 0xf0 {
			r.VNI = binary.BigEndian.Uint32(b[8:12]) // any VNI (EVI too: RD numbers above 65535)
		}
		if b[6]&1 != 0 {
			r.Attach = attachNone
		}
		switch r.Type {
		case evBD:
			r.EVI = uint32(b[10]) * 100
			if b[10] == 0xff {
				r.EVI = r.VNI
			}
		case evMacIPLearned, evMacIPAged:
			// a few addresses per MAC, both families, some with no family
			switch b[11] % 5 {
			case 0, 1:
				r.IPAF, r.IP = afIPv4, addr16(fmt.Sprintf("198.18.0.%d", b[10]%4))
			case 2, 3:
				r.IPAF, r.IP = afIPv6, addr16(fmt.Sprintf("2001:db8::%x", b[10]%4))
			default:
				r.IPAF = b[10] // 0..255: mostly not a family
			}
		case evNode:
			if b[11]&1 != 0 {
				r.VtepAF, r.Vtep = afIPv4, addr16(fmt.Sprintf("192.0.2.%d", b[10]))
			}
			if b[11]&2 != 0 {
				r.IPAF, r.IP = afIPv6, addr16(fmt.Sprintf("2001:db8::%x", b[10]))
			}
		}
		out = append(out, r)
	}
	return out
}

func FuzzOriginRoundTrip(f *testing.F) {
	f.Add([]byte{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, // node 192.0.2.1, 2001:db8::1
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, // BD 10100 EVI 100
		1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, // BD 10300 EVI 300
		2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, // esiT1 in 10100
		2, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, // esiT1 in 10300
		3, flagSingleActive | flagDontPreempt, 0, 1, 0, 0, 0, 2, 1, 44, 0, 0, // esiT1 up, preference 300, DP
		6, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, // MAC 1 on esiT1
		7, 0, 2, 7, 2, 9, 0, 0, 0, 0, 0, 0, // MAC 2 moved, seq 9
		6, flagSticky, 2, 7, 3, 0, 0, 0, 0, 0, 0, 0, // static MAC 3
		12, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, // MAC 1: 198.18.0.1
		12, flagNDRouter, 0, 1, 1, 0, 0, 0, 0, 0, 1, 2, // MAC 1: 2001:db8::1, router
		12, flagSticky | flagNDRouter, 0, 7, 5, 0, 0, 0, 0, 0, 2, 3, // own address, no local MAC
		12, 0, 0, 7, 6, 0, 0, 0, 0, 0, 9, 4, // no address family
		7, 0, 0, 1, 1, 5, 0, 0, 0, 0, 0, 0, // MAC 1 moved, seq 5
		13, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, // 198.18.0.1 aged
		4, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, // esiT1 down
	})
	f.Add([]byte{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1,
		1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, // BD 10200, EVI = VNI
		2, 0, 1, 6, 0, 0, 0, 0, 0, 0, 0, 0, // refused ESI in 10200
		3, 0, 1, 6, 0, 0, 0, 1, 0, 0, 0, 0,
		6, 0, 1, 6, 4, 0, 0, 0, 0, 0, 0, 0,
		6, 0, 0xf0, 7, 4, 0, 0, 0, 0, 1, 0x86, 0xa0, // VNI 100000
		1, 0, 0xf0, 7, 4, 0, 0, 0, 0, 1, 0x86, 0xa0, // its BD, EVI 100000
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		var logs []string
		set := originSet()
		a := newAdapter(&options{origin: set}, func(f string, args ...interface{}) {
			logs = append(logs, fmt.Sprintf(f, args...))
		})
		o := a.org
		m := newModel()
		for _, r := range fuzzRecords(b) {
			c := m.apply(&r)
			switch {
			case c.owner == "*" || r.Type == evBD:
				a.queueFull(o.all(m)) // what a dump (the only source of these records) leads to
			case c.owner != "":
				a.update(c.owner, o.routesOf(m, c))
			}
		}
		// two MAC-VRFs with one EVI have the same RD (router-id:EVI), so
		// their routes share keys: a configuration evfwd-gobgp cannot
		// advertise (see the report); the invariant holds for distinct EVIs
		evis := map[uint32]bool{}
		for vni, evi := range m.bds {
			if _, over := set.rd[vni]; !over {
				if evis[evi] {
					return
				}
				evis[evi] = true
			}
		}
		want := o.all(m)
		if len(a.advertised) != len(want) {
			t.Fatalf("%d routes advertised by updates, %d wanted", len(a.advertised), len(want))
		}
		for k, w := range want {
			g := a.advertised[k]
			if g == nil || g.fingerprint() != w.fingerprint() {
				t.Fatalf("updates advertise %v for %s", g, w.fingerprint())
			}
			if !a.byOwner[w.Owner][k] {
				t.Fatalf("%s not owned by %s", k, w.Owner)
			}
		}
		for _, w := range want {
			p, err := w.toPath()
			if err != nil {
				// router-id:EVI with an EVI above 65535 has no type 1 RD
				var n uint64
				if _, e := fmt.Sscanf(strings.TrimPrefix(w.RD, set.routerID+":"), "%d", &n); e != nil || n <= 0xffff {
					t.Fatalf("toPath(%s): %v", w.fingerprint(), err)
				}
				continue
			}
			bb, err := proto.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			p2 := &api.Path{}
			if err := proto.Unmarshal(bb, p2); err != nil {
				t.Fatal(err)
			}
			d, err := decodePath(p2)
			if err != nil || d.fingerprint() != w.fingerprint() {
				t.Fatalf("round trip of %s: %v %v", w.fingerprint(), d, err)
			}
		}
	})
}
