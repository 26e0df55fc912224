// stats.go: evfwd-gobgp's counters, written as JSON to --status-file (atomic
// rename) every heartbeat and at exit, for operators and tests.
package main

import (
	"encoding/json"
	"os"
	"sort"
)

type stats struct {
	file string
	// evfwd
	ringAttaches, ringErrors, ringFullWaits, ringShrunk uint64
	events, damagedEvents, eventGaps, eventErrors       uint64
	dumps, dumpRequests, badMACIP                       uint64
	records, resyncs                                    uint64
	lastRingErr                                         string
	// gobgpd
	bgpConnects, bgpErrors, paths, sends     uint64
	advertisedPaths, withdrawn, originErrors uint64
	refused, deferred, retried               uint64
	lastBGPErr                               string
}

func newStats() *stats {
	return &stats{}
}

type statusJSON struct {
	Ring struct {
		Name         string `json:"name"`
		Attached     bool   `json:"attached"`
		EvfwdPid     uint64 `json:"evfwd_pid"`
		Epoch        uint64 `json:"epoch"`
		Synced       bool   `json:"synced"`
		Attaches     uint64 `json:"attaches"`
		Errors       uint64 `json:"errors"`
		LastError    string `json:"last_error,omitempty"`
		Events       uint64 `json:"events"`
		Damaged      uint64 `json:"damaged_events"`
		Gaps         uint64 `json:"event_gaps"`
		Dumps        uint64 `json:"dumps"`
		BadMACIP     uint64 `json:"bad_macip_events"`
		DumpRequests uint64 `json:"dump_requests"`
		Records      uint64 `json:"records_written"`
		Handled      uint64 `json:"records_handled"`
		Produced     uint64 `json:"records_produced"`
		FullWaits    uint64 `json:"full_ring_waits"`
		Shrunk       uint64 `json:"shrunk"` // objects truncated under us (detached)
	} `json:"ring"`
	Model struct {
		MACVRFs  int       `json:"mac_vrfs"`
		Segments []segJSON `json:"segments"`
		MACs     int       `json:"local_macs"`
		Bindings int       `json:"local_bindings"`
		VTEP     string    `json:"vtep"`
	} `json:"evfwd"`
	BGP struct {
		Gobgpd    string `json:"gobgpd"`
		Connected bool   `json:"connected"`
		RouterID  string `json:"router_id"`
		ASN       uint32 `json:"asn"`
		Connects  uint64 `json:"connects"`
		Errors    uint64 `json:"errors"`
		LastError string `json:"last_error,omitempty"`
		Watching  bool   `json:"watching"`
		Resyncs   uint64 `json:"resyncs"`
		Paths     uint64 `json:"paths_received"`
	} `json:"bgp"`
	Intake struct {
		Routes  int               `json:"routes_in_evfwd"`
		Skipped map[string]uint64 `json:"skipped"`
	} `json:"intake"`
	Origin struct {
		Advertised int               `json:"advertised"`
		Pending    int               `json:"pending"`
		Sent       uint64            `json:"paths_added"`
		Withdrawn  uint64            `json:"paths_withdrawn"`
		Sends      uint64            `json:"streams"`
		Errors     uint64            `json:"errors"`
		Refused    map[string]uint64 `json:"refused"`
		Gobgpd     uint64            `json:"refused_by_gobgpd"`
		Deferred   int               `json:"deferred_now"`
		DeferredN  uint64            `json:"deferred"`
		Retried    uint64            `json:"retried"`
		ByType     map[string]int    `json:"advertised_by_type"`
	} `json:"origin"`
}

type segJSON struct {
	ESI  string   `json:"esi"`
	Up   bool     `json:"up"`
	VNIs []uint32 `json:"vnis"`
	DF   []uint32 `json:"df_for_vnis"`
}

func (s *stats) snapshot(a *adapter) *statusJSON {
	j := &statusJSON{}
	j.Ring.Name = a.opt.ring
	j.Ring.Attached = a.rg != nil
	if a.rg != nil {
		j.Ring.EvfwdPid = a.rg.evfwdPid()
		j.Ring.Handled = a.rg.handled()
		j.Ring.Produced = a.rg.produced()
	}
	j.Ring.Epoch, j.Ring.Synced = a.epoch, a.synced
	j.Ring.Attaches, j.Ring.Errors, j.Ring.LastError = s.ringAttaches, s.ringErrors, s.lastRingErr
	j.Ring.Events, j.Ring.Damaged, j.Ring.Gaps = s.events, s.damagedEvents, s.eventGaps
	j.Ring.Dumps, j.Ring.DumpRequests, j.Ring.BadMACIP = s.dumps, s.dumpRequests, s.badMACIP
	j.Ring.Records, j.Ring.FullWaits, j.Ring.Shrunk = s.records, s.ringFullWaits, s.ringShrunk
	j.Model.MACVRFs, j.Model.MACs = len(a.m.bds), len(a.m.macs)
	for _, ips := range a.m.macips {
		j.Model.Bindings += len(ips)
	}
	if nh := a.org.nextHop(a.m); nh != nil {
		j.Model.VTEP = nh.String()
	}
	for _, sg := range a.m.segs {
		sj := segJSON{ESI: esiText(sg.esi), Up: sg.up, VNIs: []uint32{}, DF: []uint32{}}
		for v := range sg.vnis {
			sj.VNIs = append(sj.VNIs, v)
			if sg.df[v] {
				sj.DF = append(sj.DF, v)
			}
		}
		sort.Slice(sj.VNIs, func(i, k int) bool { return sj.VNIs[i] < sj.VNIs[k] })
		sort.Slice(sj.DF, func(i, k int) bool { return sj.DF[i] < sj.DF[k] })
		j.Model.Segments = append(j.Model.Segments, sj)
	}
	sort.Slice(j.Model.Segments, func(i, k int) bool { return j.Model.Segments[i].ESI < j.Model.Segments[k].ESI })
	j.BGP.Gobgpd, j.BGP.Connected = a.opt.gobgpd, a.bc != nil
	j.BGP.RouterID, j.BGP.ASN = a.org.set.routerID, a.org.set.asn
	j.BGP.Connects, j.BGP.Errors, j.BGP.LastError = s.bgpConnects, s.bgpErrors, s.lastBGPErr
	j.BGP.Watching, j.BGP.Resyncs, j.BGP.Paths = a.watching && !a.initPending, s.resyncs, s.paths
	j.Intake.Routes = len(a.in.evf)
	j.Intake.Skipped = a.in.skips
	j.Origin.Advertised, j.Origin.Pending = len(a.advertised), len(a.pending)
	j.Origin.Sent, j.Origin.Withdrawn, j.Origin.Sends = s.advertisedPaths, s.withdrawn, s.sends
	j.Origin.Errors, j.Origin.Refused = s.originErrors, a.org.refused
	j.Origin.Gobgpd, j.Origin.Deferred = s.refused, len(a.deferred)
	j.Origin.DeferredN, j.Origin.Retried = s.deferred, s.retried
	j.Origin.ByType = map[string]int{}
	for _, r := range a.advertised {
		t := "rt" + itoa(uint64(r.Type))
		if r.Type == 2 && r.IP != nil {
			t = "rt2-mac-ip"
		}
		j.Origin.ByType[t]++
	}
	return j
}

func (s *stats) write(a *adapter) {
	if a.opt.statusFile == "" {
		return
	}
	b, err := json.MarshalIndent(s.snapshot(a), "", "  ")
	if err != nil {
		return
	}
	tmp := a.opt.statusFile + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0644); err != nil {
		return
	}
	os.Rename(tmp, a.opt.statusFile)
}
