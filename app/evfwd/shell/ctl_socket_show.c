/* ctl_socket_show.c: "show control-socket" (main thread): the socket, its
 * limits, every counter of EVF_CTLSOCK_COUNTERS and the connected clients. */
#include <inttypes.h>
#include <stdio.h>

#include "ctl_socket.h"
#include "ctl_socket_private.h"
#include "table.h"

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
