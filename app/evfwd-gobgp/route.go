// route.go: one EVPN route (RFC 7432 types 1-4, RFC 8365 VXLAN), decoded from
// or encoded into GoBGP's API protobuf (github.com/osrg/gobgp/api), never from
// display text. The same struct describes routes received (intake) and routes
// evfwd-gobgp originates; key() identifies a BGP route (its NLRI), and
// fingerprint() everything it carries, so that two routes can be compared.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	api "github.com/osrg/gobgp/api"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

const (
	maxET                  = 0xffffffff // Ethernet tag of RT1 per-ES routes
	tunnelVXLAN            = 8          // encapsulation extended community, RFC 8365 5.1.3
	pmsiIngressReplication = 6
	dfTypeModulo           = 0
)

// dfElection is the DF Election extended community (RFC 8584 2.2, RFC 9785).
type dfElection struct {
	Present bool
	Alg     uint8
	Bitmap  uint16
	Pref    uint16
}

// The Don't-Preempt bit of the DF Election bitmap (RFC 9785).
const dfBitmapDP = 0x2000

// The ARP/ND extended community (RFC 9047 section 3.1): type 0x06 (EVPN),
// sub-type 0x08, a flags octet, five reserved octets. Flags, numbered from
// the high-order bit 0 to the low-order bit 7: bit 4 I (immutable binding),
// bit 6 O (override), bit 7 R (router). GoBGP 3.10 has no message for it:
// it travels as api.UnknownExtended (type 6, value = sub-type + 6 octets).
const (
	ecTypeEVPN        = 0x06
	ecSubTypeDF       = 0x06
	ecSubTypeARPND    = 0x08
	arpNDRouter       = 0x01 // R: the address is a router's (IPv6 ND)
	arpNDOverride     = 0x02 // O: answers override neighbor caches
	arpNDImmutable    = 0x08 // I: a configured binding, never moves
	arpNDCommunityLen = 7    // UnknownExtended value: sub-type and six octets
)

type evpnRoute struct {
	Type         uint8
	RD           string // canonical "admin:assigned"
	ESI          [10]byte
	ETag         uint32
	MAC          net.HardwareAddr // RT2
	IP           net.IP           // RT2 IP, RT3/RT4 originator
	Labels       []uint32         // RT1 label, RT2 labels (VNIs for VXLAN)
	NextHop      net.IP
	RTs          []string // route targets "asn:nn" / "ip:nn", sorted
	Encap        uint32   // 0 none, 8 VXLAN
	HasESILabel  bool
	SingleActive bool
	HasMobility  bool
	Seq          uint32
	Sticky       bool
	RouterMAC    net.HardwareAddr
	DefaultGW    bool
	PMSIType     uint32 // RT3
	PMSILabel    uint32
	PMSIID       net.IP
	HasPMSI      bool
	ESImport     net.HardwareAddr // RT4
	DF           dfElection
	HasARPND     bool   // RT2: the ARP/ND extended community (RFC 9047)
	NDFlags      uint8  // its flags octet (arpND*)
	BadARPND     string // RT2: an ARP/ND community that does not decode (what it was)
	Withdraw     bool
	Local        bool     // originated by the local gobgpd (no neighbor)
	Neighbor     string   // peer it came from
	Owner        string   // originated: what in evfwd's state asks for it (model_apply.go)
	Unknown      []string // communities and attributes evfwd does not use (for the log)
}

var errNotEVPN = errors.New("not an EVPN path")

// key identifies the BGP route (RFC 7432 section 7: the NLRI fields that make a route).
func (r *evpnRoute) key() string {
	switch r.Type {
	case 1:
		return fmt.Sprintf("1|%s|%x|%d", r.RD, r.ESI, r.ETag)
	case 2:
		return fmt.Sprintf("2|%s|%d|%s|%s", r.RD, r.ETag, r.MAC, ipText(r.IP))
	case 3:
		return fmt.Sprintf("3|%s|%d|%s", r.RD, r.ETag, ipText(r.IP))
	case 4:
		return fmt.Sprintf("4|%s|%x|%s", r.RD, r.ESI, ipText(r.IP))
	}
	return fmt.Sprintf("%d|%s", r.Type, r.RD)
}

// fingerprint: everything the route carries, to compare two versions of it.
func (r *evpnRoute) fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|esi=%x|lbl=%v|nh=%s|rt=%s|enc=%d", r.key(), r.ESI, r.Labels,
		ipText(r.NextHop), strings.Join(r.RTs, ","), r.Encap)
	if r.HasESILabel {
		fmt.Fprintf(&b, "|esil=%v", r.SingleActive)
	}
	if r.HasMobility {
		fmt.Fprintf(&b, "|mm=%d,%v", r.Seq, r.Sticky)
	}
	if r.RouterMAC != nil {
		fmt.Fprintf(&b, "|rmac=%s", r.RouterMAC)
	}
	if r.HasPMSI {
		fmt.Fprintf(&b, "|pmsi=%d,%d,%s", r.PMSIType, r.PMSILabel, ipText(r.PMSIID))
	}
	if r.ESImport != nil {
		fmt.Fprintf(&b, "|esimp=%s", r.ESImport)
	}
	if r.DF.Present {
		fmt.Fprintf(&b, "|df=%d,%#x,%d", r.DF.Alg, r.DF.Bitmap, r.DF.Pref)
	}
	if r.DefaultGW {
		b.WriteString("|dgw")
	}
	if r.HasARPND {
		fmt.Fprintf(&b, "|arpnd=%#x", r.NDFlags)
	}
	return b.String()
}

func ipText(ip net.IP) string {
	if ip == nil {
		return "-"
	}
	return ip.String()
}

func esiText(e [10]byte) string {
	parts := make([]string, 10)
	for i, x := range e {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

func parseESI(s string) ([10]byte, error) {
	var e [10]byte
	parts := strings.Split(s, ":")
	if len(parts) != 10 {
		return e, fmt.Errorf("ESI %q: ten colon-separated hex bytes", s)
	}
	for i, p := range parts {
		var x uint8
		if len(p) != 2 {
			return e, fmt.Errorf("ESI %q: byte %q", s, p)
		}
		if _, err := fmt.Sscanf(p, "%02x", &x); err != nil {
			return e, fmt.Errorf("ESI %q: byte %q", s, p)
		}
		e[i] = x
	}
	return e, nil
}

// ---- decoding (GoBGP API -> evpnRoute) ----

func rdText(a *anypb.Any) (string, error) {
	if a == nil {
		return "", errors.New("no RD")
	}
	m, err := a.UnmarshalNew()
	if err != nil {
		return "", err
	}
	switch v := m.(type) {
	case *api.RouteDistinguisherIPAddress:
		return fmt.Sprintf("%s:%d", v.Admin, v.Assigned), nil
	case *api.RouteDistinguisherTwoOctetASN:
		return fmt.Sprintf("%d:%d", v.Admin, v.Assigned), nil
	case *api.RouteDistinguisherFourOctetASN:
		return fmt.Sprintf("%d:%d", v.Admin, v.Assigned), nil
	}
	return "", fmt.Errorf("RD of type %T", m)
}

func esiOf(e *api.EthernetSegmentIdentifier) ([10]byte, error) {
	var b [10]byte
	if e == nil {
		return b, nil
	}
	if e.Type > 255 || len(e.Value) > 9 {
		return b, fmt.Errorf("ESI type %d with %d value bytes", e.Type, len(e.Value))
	}
	b[0] = byte(e.Type)
	copy(b[1:], e.Value)
	return b, nil
}

func parseIPField(s string) net.IP {
	if s == "" || s == "<nil>" {
		return nil
	}
	ip := net.ParseIP(s)
	if ip == nil {
		return nil
	}
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}

// decodePath turns one GoBGP path into an evpnRoute. Fields evfwd does not
// use are noted in Unknown, never an error by themselves.
func decodePath(p *api.Path) (*evpnRoute, error) {
	if p == nil || p.Nlri == nil {
		return nil, errors.New("path without NLRI")
	}
	if p.Family != nil && (p.Family.Afi != api.Family_AFI_L2VPN || p.Family.Safi != api.Family_SAFI_EVPN) {
		return nil, errNotEVPN
	}
	m, err := p.Nlri.UnmarshalNew()
	if err != nil {
		return nil, fmt.Errorf("NLRI: %v", err)
	}
	r := &evpnRoute{Withdraw: p.IsWithdraw, Neighbor: p.NeighborIp}
	r.Local = p.NeighborIp == "" || p.NeighborIp == "<nil>"
	switch v := m.(type) {
	case *api.EVPNEthernetAutoDiscoveryRoute:
		r.Type = 1
		if r.RD, err = rdText(v.Rd); err == nil {
			r.ESI, err = esiOf(v.Esi)
		}
		r.ETag = v.EthernetTag
		r.Labels = []uint32{v.Label}
	case *api.EVPNMACIPAdvertisementRoute:
		r.Type = 2
		if r.RD, err = rdText(v.Rd); err == nil {
			r.ESI, err = esiOf(v.Esi)
		}
		r.ETag = v.EthernetTag
		if err == nil {
			r.MAC, err = net.ParseMAC(v.MacAddress)
			if err == nil && len(r.MAC) != 6 {
				err = fmt.Errorf("MAC %q", v.MacAddress)
			}
		}
		if err == nil && v.IpAddress != "" && v.IpAddress != "<nil>" {
			if r.IP = parseIPField(v.IpAddress); r.IP == nil {
				err = fmt.Errorf("IP %q", v.IpAddress)
			}
		}
		r.Labels = append([]uint32(nil), v.Labels...)
	case *api.EVPNInclusiveMulticastEthernetTagRoute:
		r.Type = 3
		r.RD, err = rdText(v.Rd)
		r.ETag = v.EthernetTag
		if r.IP = parseIPField(v.IpAddress); r.IP == nil && err == nil {
			err = fmt.Errorf("originator %q", v.IpAddress)
		}
	case *api.EVPNEthernetSegmentRoute:
		r.Type = 4
		if r.RD, err = rdText(v.Rd); err == nil {
			r.ESI, err = esiOf(v.Esi)
		}
		if r.IP = parseIPField(v.IpAddress); r.IP == nil && err == nil {
			err = fmt.Errorf("originator %q", v.IpAddress)
		}
	case *api.EVPNIPPrefixRoute:
		r.Type = 5
		r.RD, _ = rdText(v.Rd)
		return r, nil
	default:
		return nil, fmt.Errorf("NLRI of type %T", m)
	}
	if err != nil {
		return nil, err
	}
	for _, a := range p.Pattrs {
		if err := r.decodeAttr(a); err != nil {
			return nil, err
		}
	}
	sort.Strings(r.RTs)
	return r, nil
}

func (r *evpnRoute) decodeAttr(a *anypb.Any) error {
	m, err := a.UnmarshalNew()
	if err != nil {
		r.Unknown = append(r.Unknown, a.TypeUrl)
		return nil
	}
	switch v := m.(type) {
	case *api.NextHopAttribute:
		r.NextHop = parseIPField(v.NextHop)
	case *api.MpReachNLRIAttribute:
		if len(v.NextHops) > 0 {
			r.NextHop = parseIPField(v.NextHops[0])
		}
	case *api.ExtendedCommunitiesAttribute:
		for _, c := range v.Communities {
			if err := r.decodeCommunity(c); err != nil {
				return err
			}
		}
	case *api.PmsiTunnelAttribute:
		r.HasPMSI = true
		r.PMSIType = v.Type
		r.PMSILabel = v.Label
		if len(v.Id) == 4 || len(v.Id) == 16 {
			r.PMSIID = net.IP(append([]byte(nil), v.Id...))
			if v4 := r.PMSIID.To4(); v4 != nil && len(v.Id) == 4 {
				r.PMSIID = v4
			}
		}
	case *api.OriginAttribute, *api.AsPathAttribute, *api.LocalPrefAttribute,
		*api.MultiExitDiscAttribute, *api.OriginatorIdAttribute, *api.ClusterListAttribute,
		*api.CommunitiesAttribute, *api.LargeCommunitiesAttribute:
		// BGP path selection only
	default:
		r.Unknown = append(r.Unknown, fmt.Sprintf("%T", m))
	}
	return nil
}

func (r *evpnRoute) decodeCommunity(c *anypb.Any) error {
	m, err := c.UnmarshalNew()
	if err != nil {
		r.Unknown = append(r.Unknown, c.TypeUrl)
		return nil
	}
	switch v := m.(type) {
	case *api.TwoOctetAsSpecificExtended:
		if v.SubType == 2 {
			r.RTs = append(r.RTs, fmt.Sprintf("%d:%d", v.Asn, v.LocalAdmin))
		}
	case *api.FourOctetAsSpecificExtended:
		if v.SubType == 2 {
			r.RTs = append(r.RTs, fmt.Sprintf("%d:%d", v.Asn, v.LocalAdmin))
		}
	case *api.IPv4AddressSpecificExtended:
		if v.SubType == 2 {
			r.RTs = append(r.RTs, fmt.Sprintf("%s:%d", v.Address, v.LocalAdmin))
		}
	case *api.EncapExtended:
		r.Encap = v.TunnelType
	case *api.ESILabelExtended:
		r.HasESILabel = true
		r.SingleActive = v.IsSingleActive
	case *api.MacMobilityExtended:
		r.HasMobility = true
		r.Seq = v.SequenceNum
		r.Sticky = v.IsSticky
	case *api.RouterMacExtended:
		r.RouterMAC, _ = net.ParseMAC(v.Mac)
	case *api.ESImportRouteTarget:
		r.ESImport, _ = net.ParseMAC(v.EsImport)
	case *api.DefaultGatewayExtended:
		r.DefaultGW = true
	case *api.UnknownExtended:
		switch {
		case v.Type == ecTypeEVPN && len(v.Value) == 7 && v.Value[0] == ecSubTypeDF:
			// DF Election (RFC 8584 2.2), which GoBGP 3.10 does not model:
			// DF type, bitmap(2), reserved(1), preference(2)
			r.DF = dfElection{Present: true, Alg: v.Value[1] & 0x1f,
				Bitmap: binary.BigEndian.Uint16(v.Value[2:4]),
				Pref:   binary.BigEndian.Uint16(v.Value[5:7])}
		case v.Type == ecTypeEVPN && len(v.Value) > 0 && v.Value[0] == ecSubTypeARPND:
			r.decodeARPND(v.Value)
		default:
			r.Unknown = append(r.Unknown, fmt.Sprintf("ext-community %d/%x", v.Type, v.Value))
		}
	default:
		r.Unknown = append(r.Unknown, fmt.Sprintf("%T", m))
	}
	return nil
}

// decodeARPND: the ARP/ND community (value: sub-type 0x08, flags, five
// reserved octets, ignored on receipt). One of another length, or a second
// one with other flags, makes the route's BadARPND (the intake counts it and
// does not use the route, as RFC 7606 treats a malformed attribute).
func (r *evpnRoute) decodeARPND(v []byte) {
	switch {
	case len(v) != arpNDCommunityLen:
		r.BadARPND = fmt.Sprintf("ARP/ND community of %d octets", len(v)+1)
	case r.HasARPND && r.NDFlags != v[1]:
		r.BadARPND = fmt.Sprintf("two ARP/ND communities (flags %#x, %#x)", r.NDFlags, v[1])
	default:
		r.HasARPND, r.NDFlags = true, v[1]
	}
}

// ---- encoding (evpnRoute -> GoBGP API) ----

func mustAny(m proto.Message) *anypb.Any {
	a, err := anypb.New(m)
	if err != nil {
		panic(err) // only our own well-formed messages get here
	}
	return a
}

// decimalText: s as a decimal number up to max, written as strconv writes
// it (no sign, blank or leading zero), so that the text a route is keyed by
// is the text it decodes back to from gobgpd.
func decimalText(s string, max uint64) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max || strconv.FormatUint(n, 10) != s {
		return 0, false
	}
	return n, true
}

// ipv4Text: s as a dotted-quad IPv4 address in its canonical form, or nil.
func ipv4Text(s string) net.IP {
	if ip := net.ParseIP(s).To4(); ip != nil && ip.String() == s {
		return ip
	}
	return nil
}

// rdAny: "a.b.c.d:n" (type 1), "asn:n" (type 0 below 65536, else type 2).
func rdAny(rd string) (*anypb.Any, error) {
	i := strings.LastIndexByte(rd, ':')
	if i <= 0 {
		return nil, fmt.Errorf("RD %q: ADMIN:NUMBER", rd)
	}
	n, ok := decimalText(rd[i+1:], 0xffffffff)
	if !ok {
		return nil, fmt.Errorf("RD %q: number 0..4294967295", rd)
	}
	admin := rd[:i]
	if ip := ipv4Text(admin); ip != nil {
		if n > 0xffff {
			return nil, fmt.Errorf("RD %q: number above 65535", rd)
		}
		return mustAny(&api.RouteDistinguisherIPAddress{Admin: ip.String(), Assigned: uint32(n)}), nil
	}
	asn, ok := decimalText(admin, 0xffffffff)
	if !ok {
		return nil, fmt.Errorf("RD %q: admin is an IPv4 address or an AS number", rd)
	}
	if asn <= 0xffff {
		return mustAny(&api.RouteDistinguisherTwoOctetASN{Admin: uint32(asn), Assigned: uint32(n)}), nil
	}
	if n > 0xffff {
		return nil, fmt.Errorf("RD %q: number above 65535", rd)
	}
	return mustAny(&api.RouteDistinguisherFourOctetASN{Admin: uint32(asn), Assigned: uint32(n)}), nil
}

// rtAny: route target "asn:n" or "a.b.c.d:n".
func rtAny(rt string) (*anypb.Any, error) {
	i := strings.LastIndexByte(rt, ':')
	if i <= 0 {
		return nil, fmt.Errorf("RT %q: ADMIN:NUMBER", rt)
	}
	n, ok := decimalText(rt[i+1:], 0xffffffff)
	if !ok {
		return nil, fmt.Errorf("RT %q: number 0..4294967295", rt)
	}
	if ip := ipv4Text(rt[:i]); ip != nil {
		if n > 0xffff {
			return nil, fmt.Errorf("RT %q: an IPv4 address takes a number up to 65535", rt)
		}
		return mustAny(&api.IPv4AddressSpecificExtended{IsTransitive: true, SubType: 2,
			Address: ip.String(), LocalAdmin: uint32(n)}), nil
	}
	asn, ok := decimalText(rt[:i], 0xffffffff)
	if !ok {
		return nil, fmt.Errorf("RT %q: admin is an AS number or an IPv4 address", rt)
	}
	if asn <= 0xffff {
		return mustAny(&api.TwoOctetAsSpecificExtended{IsTransitive: true, SubType: 2,
			Asn: uint32(asn), LocalAdmin: uint32(n)}), nil
	}
	if n > 0xffff {
		return nil, fmt.Errorf("RT %q: a 4-octet AS takes a number up to 65535", rt)
	}
	return mustAny(&api.FourOctetAsSpecificExtended{IsTransitive: true, SubType: 2,
		Asn: uint32(asn), LocalAdmin: uint32(n)}), nil
}

func esiAPI(e [10]byte) *api.EthernetSegmentIdentifier {
	return &api.EthernetSegmentIdentifier{Type: uint32(e[0]), Value: append([]byte(nil), e[1:]...)}
}

// toPath builds the GoBGP path of a route we originate.
func (r *evpnRoute) toPath() (*api.Path, error) {
	rd, err := rdAny(r.RD)
	if err != nil {
		return nil, err
	}
	var nlri proto.Message
	switch r.Type {
	case 1:
		nlri = &api.EVPNEthernetAutoDiscoveryRoute{Rd: rd, Esi: esiAPI(r.ESI), EthernetTag: r.ETag,
			Label: r.Labels[0]}
	case 2:
		ip := ""
		if r.IP != nil {
			ip = r.IP.String()
		}
		nlri = &api.EVPNMACIPAdvertisementRoute{Rd: rd, Esi: esiAPI(r.ESI), EthernetTag: r.ETag,
			MacAddress: r.MAC.String(), IpAddress: ip, Labels: r.Labels}
	case 3:
		nlri = &api.EVPNInclusiveMulticastEthernetTagRoute{Rd: rd, EthernetTag: r.ETag,
			IpAddress: r.IP.String()}
	case 4:
		nlri = &api.EVPNEthernetSegmentRoute{Rd: rd, Esi: esiAPI(r.ESI), IpAddress: r.IP.String()}
	default:
		return nil, fmt.Errorf("route type %d is not originated", r.Type)
	}
	var comms []*anypb.Any
	for _, rt := range r.RTs {
		a, err := rtAny(rt)
		if err != nil {
			return nil, err
		}
		comms = append(comms, a)
	}
	if r.Encap != 0 {
		comms = append(comms, mustAny(&api.EncapExtended{TunnelType: r.Encap}))
	}
	if r.HasESILabel {
		comms = append(comms, mustAny(&api.ESILabelExtended{IsSingleActive: r.SingleActive}))
	}
	if r.HasMobility {
		comms = append(comms, mustAny(&api.MacMobilityExtended{IsSticky: r.Sticky, SequenceNum: r.Seq}))
	}
	if r.ESImport != nil {
		comms = append(comms, mustAny(&api.ESImportRouteTarget{EsImport: r.ESImport.String()}))
	}
	if r.DF.Present {
		v := make([]byte, 7)
		v[0] = ecSubTypeDF
		v[1] = r.DF.Alg & 0x1f
		binary.BigEndian.PutUint16(v[2:4], r.DF.Bitmap)
		binary.BigEndian.PutUint16(v[5:7], r.DF.Pref)
		comms = append(comms, mustAny(&api.UnknownExtended{Type: ecTypeEVPN, Value: v}))
	}
	if r.HasARPND {
		v := make([]byte, arpNDCommunityLen)
		v[0] = ecSubTypeARPND
		v[1] = r.NDFlags
		comms = append(comms, mustAny(&api.UnknownExtended{Type: ecTypeEVPN, Value: v}))
	}
	pattrs := []*anypb.Any{
		mustAny(&api.OriginAttribute{Origin: 0}),
		mustAny(&api.NextHopAttribute{NextHop: r.NextHop.String()}),
	}
	if len(comms) > 0 {
		pattrs = append(pattrs, mustAny(&api.ExtendedCommunitiesAttribute{Communities: comms}))
	}
	if r.HasPMSI {
		id := []byte(r.PMSIID.To4())
		if id == nil {
			id = []byte(r.PMSIID.To16())
		}
		pattrs = append(pattrs, mustAny(&api.PmsiTunnelAttribute{Type: r.PMSIType,
			Label: r.PMSILabel, Id: id}))
	}
	return &api.Path{
		Family:     &api.Family{Afi: api.Family_AFI_L2VPN, Safi: api.Family_SAFI_EVPN},
		Nlri:       mustAny(nlri),
		Pattrs:     pattrs,
		IsWithdraw: r.Withdraw,
	}, nil
}

// esImport: the ES-Import route target of an ESI, auto-derived from the six
// high-order octets of its value (RFC 7432 section 7.6).
func esImport(e [10]byte) net.HardwareAddr {
	return net.HardwareAddr(append([]byte(nil), e[1:7]...))
}

// esiGoBGPSafe: GoBGP 3.10 rejects, on receipt, an ESI of type 1, 2, 4 or 5
// whose last octet is not 0x00 (RFC 7432 section 5 reserves it) and then
// disables EVPN on the whole session ("Capability was disabled").
func esiGoBGPSafe(e [10]byte) bool {
	switch e[0] {
	case 1, 2, 4, 5:
		return e[9] == 0
	}
	return true
}

func isZeroESI(e [10]byte) bool {
	return bytes.Equal(e[:], make([]byte, 10))
}
