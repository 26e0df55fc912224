/* ringclient.c: evfwd-gobgp compiles the one ring client evfwd-ctl uses
 * (lib/ring/ring_client.c, on lib/ring/evf_ring_abi.h) into its cgo part. */
#include "ring_client.c"
