// bgp.go: the gRPC client of gobgpd: its identity (router id, AS), the watch
// of the global EVPN table (current table first), batched origination through
// AddPathStream, and the list of paths this speaker originates.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	api "github.com/osrg/gobgp/api"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var evpnFamily = &api.Family{Afi: api.Family_AFI_L2VPN, Safi: api.Family_SAFI_EVPN}

type bgpClient struct {
	conn     *grpc.ClientConn
	api      api.GobgpApiClient
	routerID string
	asn      uint32
}

// dialBGP connects to gobgpd and reads its global settings.
func dialBGP(ctx context.Context, addr string) (*bgpClient, error) {
	dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(dctx, addr, grpc.WithInsecure(), grpc.WithBlock(),
		// a whole EVPN table arrives as one message
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30)))
	if err != nil {
		return nil, fmt.Errorf("gobgpd at %s: %v", addr, err)
	}
	c := &bgpClient{conn: conn, api: api.NewGobgpApiClient(conn)}
	gctx, gcancel := context.WithTimeout(ctx, 3*time.Second)
	defer gcancel()
	r, err := c.api.GetBgp(gctx, &api.GetBgpRequest{})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("gobgpd at %s: GetBgp: %v", addr, err)
	}
	if r.Global == nil || r.Global.RouterId == "" || r.Global.Asn == 0 {
		conn.Close()
		return nil, fmt.Errorf("gobgpd at %s has no router id or AS yet (BGP not started)", addr)
	}
	c.routerID = r.Global.RouterId
	c.asn = r.Global.Asn
	return c, nil
}

func (c *bgpClient) close() {
	c.conn.Close()
}

// watch streams the best EVPN paths of the global table: the first batch is
// the whole current table, then every change. Batches go to out until ctx
// ends or the stream fails (the error goes to errc).
func (c *bgpClient) watch(ctx context.Context, out chan<- []*api.Path, errc chan<- error) {
	s, err := c.api.WatchEvent(ctx, &api.WatchEventRequest{Table: &api.WatchEventRequest_Table{
		Filters: []*api.WatchEventRequest_Table_Filter{{
			Type: api.WatchEventRequest_Table_Filter_BEST, Init: true}}}})
	if err != nil {
		errc <- fmt.Errorf("WatchEvent: %v", err)
		return
	}
	for {
		r, err := s.Recv()
		if err != nil {
			if ctx.Err() == nil {
				errc <- fmt.Errorf("WatchEvent: %v", err)
			}
			return
		}
		t := r.GetTable()
		if t == nil {
			continue
		}
		var evpn []*api.Path
		for _, p := range t.Paths {
			if p.Family != nil && p.Family.Afi == api.Family_AFI_L2VPN &&
				p.Family.Safi == api.Family_SAFI_EVPN {
				evpn = append(evpn, p)
			}
		}
		select {
		case out <- evpn:
		case <-ctx.Done():
			return
		}
	}
}

// refusal: gobgpd answered (it is there) but would not take a path.
func refusal(err error) bool {
	return status.Code(err) == codes.Unknown
}

// send adds and withdraws paths in the global table. It returns a
// transport error (gobgpd gone) or, per path index, why gobgpd refused it.
// One AddPathStream carries batch paths per message; gobgpd refuses a whole
// message for one bad path, so a refused message is sent again path by path
// (AddPath) to apply the others and find the bad ones.
func (c *bgpClient) send(ctx context.Context, paths []*api.Path, batch int) (map[int]error, error) {
	// gobgpd's time per MAC route grows with its table (it checks MAC mobility
	// against every route): allow for it rather than give up on a big table
	err := c.stream(ctx, paths, batch, 120*time.Second+time.Duration(len(paths))*10*time.Millisecond)
	if err == nil || !refusal(err) {
		return nil, err
	}
	refused := map[int]error{}
	for i, p := range paths {
		actx, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := c.api.AddPath(actx, &api.AddPathRequest{TableType: api.TableType_GLOBAL, Path: p})
		cancel()
		if err != nil {
			if !refusal(err) {
				return refused, err
			}
			refused[i] = errors.New(status.Convert(err).Message())
		}
	}
	return refused, nil
}

func (c *bgpClient) stream(ctx context.Context, paths []*api.Path, batch int,
	timeout time.Duration) error {
	if len(paths) == 0 {
		return nil
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := c.api.AddPathStream(sctx)
	if err != nil {
		return fmt.Errorf("AddPathStream: %v", err)
	}
	for i := 0; i < len(paths); i += batch {
		j := i + batch
		if j > len(paths) {
			j = len(paths)
		}
		if err := s.Send(&api.AddPathStreamRequest{TableType: api.TableType_GLOBAL,
			Paths: paths[i:j]}); err != nil {
			if errors.Is(err, io.EOF) {
				_, err = s.CloseAndRecv() // the server's reason
			}
			return err
		}
	}
	_, err = s.CloseAndRecv()
	return err
}

// localPaths lists the EVPN paths of the global table that this gobgpd
// originates (no neighbor): what an earlier evfwd-gobgp left there.
func (c *bgpClient) localPaths(ctx context.Context) ([]*api.Path, error) {
	lctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	s, err := c.api.ListPath(lctx, &api.ListPathRequest{TableType: api.TableType_GLOBAL,
		Family: evpnFamily})
	if err != nil {
		return nil, fmt.Errorf("ListPath: %v", err)
	}
	var out []*api.Path
	for {
		r, err := s.Recv()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("ListPath: %v", err)
		}
		for _, p := range r.Destination.GetPaths() {
			if p.NeighborIp == "" || p.NeighborIp == "<nil>" {
				out = append(out, p)
			}
		}
	}
}
