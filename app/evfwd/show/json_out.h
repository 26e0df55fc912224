/* json_out.h: building the JSON forms of the show commands with jansson
 * (doc/shell.md "JSON output"). Used by whichever thread builds the output:
 * the main thread, or the control thread inside evf_ctl_call. Every helper
 * takes a NULL value or object without crashing (an allocation that failed
 * leaves a key out; evf_json_print reports a root that could not be made). */
#ifndef EVF_JSON_OUT_H
#define EVF_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "evf_addr.h"
#include "evf_counters.h"
#include "names.h"

/** A JSON string of s; bytes that are not UTF-8 become U+FFFD, so the
 *  output is always valid JSON. NULL s gives JSON null. */
json_t *evf_json_str(const char *s);
/** A counter or other unsigned value (jansson integers are signed 64-bit:
 *  values above INT64_MAX, which no counter reaches, are clamped). */
json_t *evf_json_uint(uint64_t v);
/** An address as text, or null when unset. */
json_t *evf_json_ip(const struct evf_ip *ip);
json_t *evf_json_mac(const struct rte_ether_addr *mac);
json_t *evf_json_esi(const struct evf_esi *esi);
/** obj[key] = val (the reference to val is taken; NULL obj or val: dropped). */
void evf_json_set(json_t *obj, const char *key, json_t *val);
/** arr += val (reference taken). */
void evf_json_push(json_t *arr, json_t *val);
/** A counter set as an object: one key per counter, its shown name in
 *  lower-case snake case ("refused at MAC limit" -> "refused_at_mac_limit"). */
json_t *evf_json_counters(const struct evf_counter_set *set);
/** Write root (indented, keys in insertion order) and a newline, then drop
 *  it. 0, or -ENOMEM when root is NULL or could not be written. */
int evf_json_print(FILE *out, json_t *root);

#endif /* EVF_JSON_OUT_H */
