/* show.h: the text behind the shell's "show" commands and the final report.
 * Functions marked (control) read control-thread state and must run there
 * (the shell wraps them in evf_ctl_call); the others read counters and
 * start-up tables and may run on the main thread. */
#ifndef EVF_SHOW_H
#define EVF_SHOW_H

#include <stdbool.h>
#include <stdio.h>

/** Port counters: all ports (name NULL) or one. Returns -1 for an unknown name. */
int evf_show_port_stats(FILE *out, const char *name);
/** XDP steering counters (packets per verdict) of every net_af_xdp port
 *  running evfwd's program; returns how many ports were shown. */
int evf_show_xdp(FILE *out);
/** Port configuration: driver, role, queues, MTU, offloads, MACs. */
void evf_show_ports(FILE *out);
/** MAC-VRFs, or the detail of one (control). */
int evf_show_bd(FILE *out, const char *name);
/** FDB of every MAC-VRF or of one (control). */
int evf_show_fdb(FILE *out, const char *bd_name);
/** Remote VTEPs (control). */
int evf_show_vteps(FILE *out);
/** Non-zero drop counters, or every reason with its meaning. */
void evf_show_drops(FILE *out, bool all);
/** Per-worker loop and cycle counters. */
void evf_show_workers(FILE *out);
/** Ethernet segments, or one by name or ESI (control), like SR Linux's
 *  "show system network-instance ethernet-segments NAME detail". */
int evf_show_es(FILE *out, const char *name);
/** DF per segment and MAC-VRF (control). */
int evf_show_df(FILE *out);
/** LACP state of every LAG or one, like SR Linux's "show lag NAME lacp-state" (control). */
int evf_show_lacp(FILE *out, const char *name);
/** LAG members, distribution and LACP counters (control). */
int evf_show_lag(FILE *out, const char *name);
/** Learning and control-thread counters (control). */
int evf_show_learning(FILE *out);
/** ARP (family AF_INET) or ND (AF_INET6) bindings of every MAC-VRF or of one;
 *  -1 for an unknown MAC-VRF (control). */
int evf_show_bindings(FILE *out, const char *bd_name, int family);
/** Gateways, their addresses and host paths, binding counts, ARP/ND counters (control). */
int evf_show_irb(FILE *out);
/** show underlay (control). */
int evf_show_underlay(FILE *out);

#endif /* EVF_SHOW_H */
