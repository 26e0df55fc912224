// evfwd-gobgp: the EVPN control plane of one evfwd, as a client of a gobgpd
// running beside it. It feeds evfwd's routes ring with the EVPN routes of the
// fabric (decoded from GoBGP's API, never from display text) and originates
// evfwd's own routes (RT1, RT2, RT3, RT4) from what evfwd publishes on its
// events ring. doc/fabric.md is the user guide.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	gobgpd     string
	ring       string
	statusFile string
	heartbeat  time.Duration
	batch      int
	batchDelay time.Duration
	verbose    bool
	origin     originSettings
}

// perVNI collects repeated "VNI=VALUE" flags.
type perVNI struct {
	what string
	set  func(vni uint32, v string) error
}

func (p *perVNI) String() string { return "" }
func (p *perVNI) Set(s string) error {
	i := strings.IndexByte(s, '=')
	if i <= 0 {
		return fmt.Errorf("%s: VNI=VALUE", p.what)
	}
	vni, err := strconv.ParseUint(s[:i], 10, 32)
	if err != nil || vni == 0 || vni > 0xffffff {
		return fmt.Errorf("%s: VNI %q is not 1..16777215", p.what, s[:i])
	}
	return p.set(uint32(vni), s[i+1:])
}

func parseOptions(args []string) (*options, error) {
	o := &options{origin: originSettings{rd: map[uint32]string{}, rt: map[uint32][]string{}}}
	fs := flag.NewFlagSet("evfwd-gobgp", flag.ContinueOnError)
	fs.StringVar(&o.gobgpd, "gobgpd", "127.0.0.1:50051", "gobgpd gRPC API address")
	fs.StringVar(&o.ring, "ring", "/evfwd", "evfwd control ring (control-ring.name)")
	fs.StringVar(&o.statusFile, "status-file", "", "write counters as JSON to this file every heartbeat")
	fs.DurationVar(&o.heartbeat, "heartbeat", time.Second, "producer heartbeat and status interval")
	fs.IntVar(&o.batch, "batch", 1000, "paths per AddPathStream message")
	fs.DurationVar(&o.batchDelay, "batch-delay", 5*time.Millisecond, "how long MAC routes wait to be sent together")
	fs.BoolVar(&o.verbose, "verbose", false, "log more")
	routerID := fs.String("router-id", "", "RD admin of our routes (default: gobgpd's router id)")
	asn := fs.Uint("asn", 0, "AS of auto-derived route targets (default: gobgpd's AS)")
	nextHop := fs.String("next-hop", "", "next hop of our routes (default: evfwd's VTEP address)")
	fs.BoolVar(&o.origin.allowAnyESI, "allow-any-esi", false,
		"advertise ESIs of type 1, 2, 4, 5 whose last octet is not 0 (GoBGP peers refuse them)")
	fs.BoolVar(&o.origin.dfElection, "df-election", true,
		"send the DF Election community for segments not using modulo")
	fs.BoolVar(&o.origin.arpND, "arp-nd-community", true,
		"send the ARP/ND community (RFC 9047, R flag) on MAC+IP routes of routers' addresses")
	fs.Var(&perVNI{what: "--rd", set: func(v uint32, s string) error {
		if _, err := rdAny(s); err != nil {
			return err
		}
		o.origin.rd[v] = s
		return nil
	}}, "rd", "VNI=RD: route distinguisher of a MAC-VRF (default router-id:EVI); repeatable")
	fs.Var(&perVNI{what: "--rt", set: func(v uint32, s string) error {
		for _, rt := range strings.Split(s, ",") {
			if _, err := rtAny(rt); err != nil {
				return err
			}
			o.origin.rt[v] = append(o.origin.rt[v], rt)
		}
		return nil
	}}, "rt", "VNI=RT[,RT]: route targets of a MAC-VRF (default AS:VNI); repeatable")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *routerID != "" {
		ip := net.ParseIP(*routerID).To4()
		if ip == nil {
			return nil, fmt.Errorf("--router-id %q is not an IPv4 address", *routerID)
		}
		o.origin.routerID = ip.String() // canonical: the admin of our RDs as gobgpd shows it
	}
	if *asn > 0xffffffff {
		return nil, fmt.Errorf("--asn %d is out of range", *asn)
	}
	o.origin.asn = uint32(*asn)
	if *nextHop != "" {
		if o.origin.nextHop = net.ParseIP(*nextHop); o.origin.nextHop == nil {
			return nil, fmt.Errorf("--next-hop %q is not an address", *nextHop)
		}
		if v4 := o.origin.nextHop.To4(); v4 != nil {
			o.origin.nextHop = v4
		}
	}
	if o.batch < 1 || o.heartbeat <= 0 || o.batchDelay < 0 {
		return nil, fmt.Errorf("--batch, --heartbeat and --batch-delay must be positive")
	}
	return o, nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		os.Exit(benchMain(os.Args[2:]))
	}
	opt, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "evfwd-gobgp: %v\n", err)
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "evfwd-gobgp: ", log.LstdFlags|log.Lmicroseconds)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a := newAdapter(opt, logger.Printf)
	a.st.file = opt.statusFile
	logger.Printf("starting: gobgpd %s, ring %s", opt.gobgpd, opt.ring)
	a.run(ctx)
	logger.Printf("stopped: every originated route withdrawn")
}
