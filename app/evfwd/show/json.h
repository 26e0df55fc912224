/* json.h: the JSON forms of the show commands (doc/shell.md "JSON output"),
 * one function per command, each writing one JSON document to out.
 * Functions marked (control) read control-thread state and run there (the
 * shell wraps them in evf_ctl_call); the others read counters and start-up
 * tables on the main thread. Every function returns 0, -ENOENT when the
 * named object does not exist, or -ENOMEM. */
#ifndef EVF_JSON_H
#define EVF_JSON_H

#include <stdio.h>

/** show port stats [all|NAME] json: name NULL or "all" for every port. */
int evf_json_port_stats(FILE *out, const char *name);
/** show port info json. */
int evf_json_port_info(FILE *out, const char *unused);
/** show xdp json. */
int evf_json_xdp(FILE *out, const char *unused);
/** show drops [all] json: all non-NULL for every reason. */
int evf_json_drops(FILE *out, const char *all);
/** show workers json. */
int evf_json_workers(FILE *out, const char *unused);
/** show mac-vrf [NAME] json (control). */
int evf_json_mac_vrf(FILE *out, const char *name);
/** show fdb [mac-vrf NAME] json (control). */
int evf_json_fdb(FILE *out, const char *bd_name);
/** show vteps json (control). */
int evf_json_vteps(FILE *out, const char *unused);
/** show learning json (control). */
int evf_json_learning(FILE *out, const char *unused);
/** show es [NAME|ESI] json (control). */
int evf_json_es(FILE *out, const char *name);
/** show df json (control). */
int evf_json_df(FILE *out, const char *unused);
/** show lacp [LAG] json (control). */
int evf_json_lacp(FILE *out, const char *name);
/** show lag [LAG] json (control). */
int evf_json_lag(FILE *out, const char *name);
/** show routes json (control). */
int evf_json_routes(FILE *out, const char *unused);
/** show ring json (control). */
int evf_json_ring(FILE *out, const char *unused);
/** show arp [MAC-VRF] json, show nd [MAC-VRF] json (control). */
int evf_json_arp(FILE *out, const char *bd_name);
int evf_json_nd(FILE *out, const char *bd_name);
/** show irb json (control). */
int evf_json_irb(FILE *out, const char *unused);
/** show underlay json (control). */
int evf_json_underlay(FILE *out, const char *unused);
/** show events [N] json: n as decimal text (control). */
int evf_json_events(FILE *out, const char *n);

#endif /* EVF_JSON_H */
