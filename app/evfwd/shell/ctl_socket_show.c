/* ctl_socket_show.c: "show control-socket" and its JSON form (main thread):
 * the socket, its limits, every counter of EVF_CTLSOCK_COUNTERS and the
 * connected clients; and the counters as a counter set for the metrics
 * endpoint (read by its thread with relaxed loads). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "ctl_socket.h"
#include "ctl_socket_private.h"
#include "json_out.h"
#include "table.h"

#define CTLSOCK_DESC(name, text) { #name, text, offsetof(struct ctlsock_counters, name) },
static const struct evf_counter_desc ctlsock_desc[] = { EVF_CTLSOCK_COUNTERS(CTLSOCK_DESC) };
#undef CTLSOCK_DESC

void
evf_ctlsock_counter_set(struct evf_counter_set *set)
{
	set->title = "Control socket";
	set->key = "ctlsock";
	set->desc = ctlsock_desc;
	set->n = sizeof(ctlsock_desc) / sizeof(ctlsock_desc[0]);
	set->base = &evf_ctlsock.cnt;
}

uint32_t
evf_ctlsock_clients(void)
{
	return __atomic_load_n(&evf_ctlsock.nb_clients, __ATOMIC_RELAXED);
}

bool
evf_ctlsock_enabled(void)
{
	return __atomic_load_n(&evf_ctlsock.lfd, __ATOMIC_RELAXED) >= 0;
}

void
evf_ctlsock_show(FILE *out)
{
	static const char *const chdr[] = { "Counter", "Value", "Meaning", NULL };
	static const char *const khdr[] = { "Client", "PID", "UID", "Connected s", "Commands",
		"Unsent bytes", "State", NULL };
	const struct ctlsock *s = &evf_ctlsock;
	uint64_t now = evf_shell_now_ms();
	struct evf_table *t;

	if (s->lfd < 0) {
		fprintf(out, "Control socket: none (no control-socket section in the config)\n");
		return;
	}
	fprintf(out, "Control socket: %s (mode 0600)\n", s->path);
	fprintf(out, "Clients: %u connected, max-clients %u, most at once %u; output-buffer %zu"
		" bytes\n", s->nb_clients, s->max_clients, s->peak, s->out_limit);
	t = evf_table_new(chdr);
	if (t == NULL)
		return;
#define X(name, text) evf_table_rowf(t, "%s\t%" PRIu64 "\t%s", #name, s->cnt.name, text);
	EVF_CTLSOCK_COUNTERS(X)
#undef X
	evf_table_print(t, out);
	evf_table_free(t);
	t = evf_table_new(khdr);
	if (t == NULL)
		return;
	for (uint32_t i = 0; i < s->max_clients; i++) {
		const struct ctlsock_client *c = &s->clients[i];

		if (c->fd < 0)
			continue;
		evf_table_rowf(t, "%" PRIu64 "\t%ld\t%ld\t%" PRIu64 "\t%" PRIu64 "\t%zu\t%s", c->id,
			(long)c->pid, c->uid == (uid_t)-1 ? -1L : (long)c->uid,
			(now - c->since_ms) / 1000, c->commands, ctlsock_client_pending(c),
			c->running ? "running" : c->eof ? "input closed" : "idle");
	}
	fprintf(out, "\n");
	evf_table_print(t, out);
	evf_table_free(t);
}

int
evf_ctlsock_show_json(FILE *out, const char *unused)
{
	const struct ctlsock *s = &evf_ctlsock;
	uint64_t now = evf_shell_now_ms();
	struct evf_counter_set set;
	json_t *root = json_object(), *clients;
	(void)unused;

	evf_json_set(root, "enabled", json_boolean(s->lfd >= 0));
	if (s->lfd < 0)
		return evf_json_print(out, root);
	evf_json_set(root, "path", evf_json_str(s->path));
	evf_json_set(root, "mode", json_string("0600"));
	evf_json_set(root, "clients_connected", json_integer(s->nb_clients));
	evf_json_set(root, "max_clients", json_integer(s->max_clients));
	evf_json_set(root, "most_at_once", json_integer(s->peak));
	evf_json_set(root, "output_buffer", evf_json_uint(s->out_limit));
	evf_ctlsock_counter_set(&set);
	evf_json_set(root, "counters", evf_json_counters(&set));
	clients = json_array();
	for (uint32_t i = 0; i < s->max_clients; i++) {
		const struct ctlsock_client *c = &s->clients[i];
		json_t *o;

		if (c->fd < 0)
			continue;
		o = json_object();
		evf_json_set(o, "client", evf_json_uint(c->id));
		evf_json_set(o, "pid", c->pid < 0 ? json_null() : json_integer(c->pid));
		evf_json_set(o, "uid", c->uid == (uid_t)-1 ? json_null() : json_integer(c->uid));
		evf_json_set(o, "connected_s", evf_json_uint((now - c->since_ms) / 1000));
		evf_json_set(o, "commands", evf_json_uint(c->commands));
		evf_json_set(o, "unsent_bytes", evf_json_uint(ctlsock_client_pending(c)));
		evf_json_set(o, "state", json_string(c->running ? "running" : c->eof ?
						     "input closed" : "idle"));
		evf_json_push(clients, o);
	}
	evf_json_set(root, "clients", clients);
	return evf_json_print(out, root);
}
