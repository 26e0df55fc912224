// model_apply.go: one events-ring record applied to the model of evfwd's
// local state; tells which originated routes it touches.
package main

import "net"

// What a record changed: the routes of this owner must be recomputed.
type change struct {
	owner string // "" nothing, "*" everything (our next hop)
	kind  uint8  // 'b' MAC-VRF, 's' segment, 'm' MAC
	vni   uint32
	esi   [10]byte
	mac   macKey
}

func ownerBD(vni uint32) string    { return "bd:" + itoa(uint64(vni)) }
func ownerSeg(esi [10]byte) string { return "es:" + esiText(esi) }
func ownerMAC(k macKey) string {
	return "mac:" + itoa(uint64(k.vni)) + ":" + net.HardwareAddr(k.mac[:]).String()
}

func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}

func addrOf(af uint8, b [16]byte) net.IP {
	switch af {
	case afIPv4:
		return net.IP(append([]byte(nil), b[:4]...))
	case afIPv6:
		return net.IP(append([]byte(nil), b[:]...))
	}
	return nil
}

// apply changes the model by one record (live or dumped).
func (m *model) apply(r *record) change {
	switch r.Type {
	case evNode:
		m.vtep4 = addrOf(r.VtepAF, r.Vtep)
		m.vtep6 = addrOf(r.IPAF, r.IP)
		return change{owner: "*"}
	case evBD:
		m.bds[r.VNI] = r.EVI
		return change{owner: ownerBD(r.VNI), kind: 'b', vni: r.VNI}
	case evESBD:
		s := m.seg(r.ESI)
		s.vnis[r.VNI] = true
		s.df[r.VNI] = r.Flags&flagDF != 0
		return change{owner: ownerSeg(r.ESI), kind: 's', esi: r.ESI}
	case evESUp, evESDown:
		s := m.seg(r.ESI)
		s.up = r.Type == evESUp
		s.singleActive = r.Flags&flagSingleActive != 0
		if s.up {
			s.alg = r.DFAlg
			s.pref = r.DFPref
			s.dp = r.Flags&flagDontPreempt != 0
		}
		return change{owner: ownerSeg(r.ESI), kind: 's', esi: r.ESI}
	case evDFChange:
		m.seg(r.ESI).df[r.VNI] = r.Flags&flagDF != 0
		return change{}
	case evMacLearned, evMacMoved, evMacAged:
		k := macKey{vni: r.VNI, mac: r.MAC}
		if r.Type == evMacAged || (r.Type == evMacMoved && r.Attach == attachNone) {
			delete(m.macs, k)
		} else {
			m.macs[k] = localMAC{seq: r.Seq, esi: r.ESI, sticky: r.Flags&flagSticky != 0}
		}
		return change{owner: ownerMAC(k), kind: 'm', mac: k}
	case evMacIPLearned, evMacIPAged:
		// a binding's routes belong to its MAC's owner: the MAC+IP routes
		// carry the MAC's mobility sequence, so they change with it
		ik, ok := macIPKeyOf(r)
		if !ok {
			return change{} // counted by the adapter (badMACIP)
		}
		k := macKey{vni: r.VNI, mac: r.MAC}
		if r.Type == evMacIPAged {
			if ips := m.macips[k]; ips != nil {
				delete(ips, ik)
				if len(ips) == 0 {
					delete(m.macips, k)
				}
			}
		} else {
			if m.macips[k] == nil {
				m.macips[k] = map[ipKey]localMACIP{}
			}
			m.macips[k][ik] = localMACIP{esi: r.ESI, router: r.Flags&flagNDRouter != 0,
				sticky: r.Flags&flagSticky != 0}
		}
		return change{owner: ownerMAC(k), kind: 'm', mac: k}
	}
	return change{} // frozen/unfrozen: the MAC stays advertised as it is
}

// macIPKeyOf: the address of a MACIP event; false when it has none (ip_af
// neither 4 nor 6, or an IPv4 address with bytes 4..15 set).
func macIPKeyOf(r *record) (ipKey, bool) {
	switch r.IPAF {
	case afIPv4:
		for _, b := range r.IP[4:] {
			if b != 0 {
				return ipKey{}, false
			}
		}
	case afIPv6:
	default:
		return ipKey{}, false
	}
	return ipKey{af: r.IPAF, ip: r.IP}, true
}

// badMACIP: a MACIP event without a usable address (the model ignores it).
func badMACIP(r *record) bool {
	if r.Type != evMacIPLearned && r.Type != evMacIPAged {
		return false
	}
	_, ok := macIPKeyOf(r)
	return !ok
}
