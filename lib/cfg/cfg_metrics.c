/* cfg_metrics.c: the "metrics" section: the OpenMetrics / Prometheus HTTP
 * endpoint (app/evfwd/metrics/). Present = enabled; "metrics:" alone listens
 * on 127.0.0.1:9469. Main thread, at start, like the whole loader. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_sections.h"

/* "ADDRESS:PORT" (IPv4) or "[ADDRESS]:PORT" (IPv6): 0 with a and port set,
 * or a static message saying what is wrong. */
static const char *
split_listen(const char *s, struct evf_ip *a, uint16_t *port)
{
	char host[64];
	const char *colon, *p;
	size_t hlen;
	uint64_t v;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':')
			return "an IPv6 address is written [ADDRESS]:PORT";
		hlen = (size_t)(end - s - 1);
		p = end + 2;
		if (hlen == 0 || hlen >= sizeof(host))
			return "no IPv6 address between [ and ]";
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		memset(a, 0, sizeof(*a));
		if (inet_pton(AF_INET6, host, a->v6) != 1)
			return "not an IPv6 address between [ and ]";
		a->family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return "not ADDRESS:PORT";
		hlen = (size_t)(colon - s);
		p = colon + 1;
		if (hlen == 0 || hlen >= sizeof(host))
			return "not ADDRESS:PORT";
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (strchr(host, ':') != NULL)
			return "an IPv6 address is written [ADDRESS]:PORT";
		memset(a, 0, sizeof(*a));
		if (inet_pton(AF_INET, host, &a->v4) != 1)
			return "not an IPv4 address before the port";
		a->family = AF_INET;
	}
	if (evf_u64_parse(p, 1, 65535, &v) < 0)
		return "the port is not 1..65535";
	*port = (uint16_t)v;
	if (a->family == AF_INET && ((ntohl(a->v4) >> 28) == 0xe || a->v4 == 0xffffffffu))
		return "a multicast or broadcast address cannot be listened on";
	if (a->family == AF_INET6 && a->v6[0] == 0xff)
		return "a multicast address cannot be listened on";
	return NULL;
}

static int
metrics_listen(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg_metrics *m = obj;
	const char *s, *why;

	if (cfg_get_str(ctx, val, &s) < 0)
		return -EINVAL;
	why = split_listen(s, &m->addr, &m->port);
	if (why != NULL)
		return cfg_error(ctx, val, "'%s': %s", s, why);
	return 0;
}

#define M struct evf_cfg_metrics
static const struct cfg_key metrics_keys[] = {
	CFG_KEY_FUNC("listen", metrics_listen, false),
	CFG_KEY_UINT("max-connections", M, max_connections, 1, 1024, false),
	CFG_KEY_UINT("request-timeout", M, request_timeout, 1, 300, false),
};
#undef M

int
cfg_section_metrics(struct cfg_ctx *ctx, yaml_node_t *val, void *obj)
{
	struct evf_cfg *cfg = obj;
	struct evf_cfg_metrics *m = &cfg->metrics;
	struct cfg_map map;

	m->enabled = true;
	m->addr.family = AF_INET;
	m->addr.v4 = htonl(INADDR_LOOPBACK);
	m->port = 9469;
	m->max_connections = 32;
	m->request_timeout = 5;
	if (cfg_is_null(val))
		return 0; /* "metrics:" alone: every default */
	return cfg_map_parse(ctx, val, metrics_keys, RTE_DIM(metrics_keys), m, &map);
}
