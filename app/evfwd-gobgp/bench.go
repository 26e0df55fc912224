// bench.go: evfwd-gobgp's load tools for scripts/bench_gobgp.py, beside the
// adapter: "inject" originates N synthetic MAC routes (or their withdrawals)
// on a gobgpd through the same batched AddPathStream the adapter uses, and
// "count" waits until a gobgpd's global EVPN table holds N paths, printing
// when (CLOCK_MONOTONIC, the clock evfwd-ctl status and the adapters use).
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	api "github.com/osrg/gobgp/api"
	"golang.org/x/sys/unix"
)

func monoNow() float64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return float64(ts.Sec) + float64(ts.Nsec)/1e9
}

// benchRoutes: N RT2 routes, MACs 02:bb:XX:XX:XX:XX (the route number).
func benchRoutes(n int, vni uint32, nh net.IP, rd string, withdraw bool) []*api.Path {
	out := make([]*api.Path, 0, n)
	for i := 0; i < n; i++ {
		r := &evpnRoute{Type: 2, RD: rd, NextHop: nh, Encap: tunnelVXLAN,
			MAC:    net.HardwareAddr{0x02, 0xbb, byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)},
			Labels: []uint32{vni}, RTs: []string{fmt.Sprintf("65000:%d", vni)}, Withdraw: withdraw}
		p, err := r.toPath()
		if err != nil {
			panic(err)
		}
		out = append(out, p)
	}
	return out
}

func benchMain(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: evfwd-gobgp bench inject|count [options]")
		return 2
	}
	fs := flag.NewFlagSet("evfwd-gobgp bench "+args[0], flag.ContinueOnError)
	addr := fs.String("gobgpd", "127.0.0.1:50051", "gobgpd gRPC API address")
	n := fs.Int("count", 1000, "routes")
	vni := fs.Uint("vni", 100, "VNI of the routes")
	nhs := fs.String("next-hop", "198.18.0.9", "next hop of the routes")
	rd := fs.String("rd", "10.0.0.9:100", "RD of the routes")
	batch := fs.Int("batch", 1000, "paths per AddPathStream message")
	withdraw := fs.Bool("withdraw", false, "withdraw them instead")
	timeout := fs.Duration("timeout", 1800*time.Second, "give up after this long")
	local := fs.Bool("local", false, "count: only the paths this gobgpd originates")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	ctx := context.Background()
	c, err := dialBGP(ctx, *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer c.close()
	switch args[0] {
	case "inject":
		paths := benchRoutes(*n, uint32(*vni), net.ParseIP(*nhs).To4(), *rd, *withdraw)
		t0 := monoNow()
		if err := c.stream(ctx, paths, *batch, *timeout); err != nil {
			fmt.Fprintln(os.Stderr, "AddPathStream:", err)
			return 1
		}
		fmt.Printf("inject %d start %.6f end %.6f\n", *n, t0, monoNow())
	case "count":
		t0 := monoNow()
		for {
			got, err := c.count(ctx, *local)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			if got >= *n {
				fmt.Printf("count %d at %.6f\n", got, monoNow())
				return 0
			}
			if monoNow()-t0 > timeout.Seconds() {
				fmt.Printf("count %d timeout %.6f\n", got, monoNow())
				return 3
			}
			time.Sleep(20 * time.Millisecond)
		}
	default:
		fmt.Fprintln(os.Stderr, "bench: inject or count")
		return 2
	}
	return 0
}

// count: EVPN paths in the global table (all, or those gobgpd originates).
func (c *bgpClient) count(ctx context.Context, local bool) (int, error) {
	if local {
		ps, err := c.localPaths(ctx)
		return len(ps), err
	}
	t, err := c.api.GetTable(ctx, &api.GetTableRequest{TableType: api.TableType_GLOBAL,
		Family: evpnFamily})
	if err != nil {
		return 0, err
	}
	return int(t.NumPath), nil
}
