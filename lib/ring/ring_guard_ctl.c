/* ring_guard_ctl.c: evfwd survives a process that shrinks the control-ring
 * object under it (ftruncate). Without this, evfwd's next read or write past
 * the new end of the object raises SIGBUS and kills it.
 *
 * A SIGBUS handler checks the faulting address. If it lies inside evfwd's
 * mapping of the object, the handler maps private zero pages over the whole
 * mapping and marks the object lost. The faulting access is then retried on
 * the zero pages and succeeds, so the code that was running finishes
 * normally; nothing is interrupted half-way. The next poll of the control
 * thread creates a new object under the same name, with the same layout.
 * A shrink that evfwd has not run into yet is found by a size check every
 * 100 ms, so producers, which refuse a shrunk object, are not left waiting.
 * Every route and all forwarding state are kept. Producers see a new inode
 * and reattach (doc/ring-abi.md 1.6).
 *
 * A SIGBUS anywhere else gets the action it had before evfwd installed its
 * handler. The main thread installs the handler at start-up (once per
 * process), the control
 * thread replaces the object, and the handler runs in the faulting thread
 * (only the control thread touches the object). */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "evf_common.h"
#include "ring_private.h"

#define R evf_ring_st

static struct sigaction prev_action;
static bool installed;

static void
on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t a = (uintptr_t)si->si_addr, lo = (uintptr_t)R.hdr;

	if (R.on && !R.external && lo != 0 && a >= lo && a - lo < R.size &&
	    mmap(R.hdr, R.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != MAP_FAILED) {
		R.lost = 1;
		return; /* the access is retried on the zero pages */
	}
	/* Not the ring's: what would have happened without evfwd's handler. */
	if ((prev_action.sa_flags & SA_SIGINFO) && prev_action.sa_sigaction != NULL) {
		prev_action.sa_sigaction(sig, si, uctx);
		return;
	}
	if (prev_action.sa_handler != SIG_DFL && prev_action.sa_handler != SIG_IGN) {
		prev_action.sa_handler(sig);
		return;
	}
	/* The access faults again on return, now with the default action. */
	signal(SIGBUS, SIG_DFL);
}

/* Installed once for the life of the process, never removed: with no ring
 * it passes every SIGBUS on. (Removing it could break a chain: a handler
 * installed after it, such as the ring client's, calls it as its previous
 * one; installing it again would then make a loop.) */
void
evf_ring_guard_install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &prev_action) == 0)
		installed = true;
	else
		EVF_LOG(WARNING, "control ring: cannot install the SIGBUS handler: a process that"
			" shrinks the ring object can kill evfwd");
}

void
evf_ring_check_size(uint64_t now)
{
	struct stat st;

	if (R.external || now < R.next_size_check)
		return;
	R.next_size_check = now + rte_get_tsc_hz() / 10;
	if (fstat(R.fd, &st) == 0 && (uint64_t)st.st_size < R.size)
		R.lost = 1;
}

/* One line per replacement, but not a flood when a process keeps doing it:
 * the first ten, then each power of two. */
static bool
worth_logging(uint64_t n)
{
	return n <= 10 || (n & (n - 1)) == 0;
}

void
evf_ring_replace(uint64_t now)
{
	struct evf_ring_hdr *h;
	char err[256];
	int fd = -1;

	if (now < R.next_replace_tsc)
		return;
	h = evf_ring_object_create(R.name, R.size, &fd, err, sizeof(err));
	if (h == NULL) {
		/* Nothing is read meanwhile; forwarding goes on. Retried every second. */
		R.next_replace_tsc = now + rte_get_tsc_hz();
		if (worth_logging(++evf_ring_counters.replace_failures))
			EVF_LOG(ERR, "control ring: %s (retrying every second)", err);
		return;
	}
	munmap(R.hdr, R.size); /* the private zero pages, or the shrunk object */
	close(R.fd);
	evf_ring_layout(h, R.size);
	R.hdr = h;
	R.fd = fd;
	R.created_ns = evf_ring_mono_ns();
	/* The positions of every ring start again on the new object; the
	 * routes' generations, a resync in progress and the hold timer stay. */
	memset(R.cons, 0, sizeof(R.cons));
	R.ev_prod = 0;
	R.have_epoch = false;
	R.epoch = 0;
	R.ev_cons_epoch = 0;
	R.last_prod_hb_ns = 0;
	R.next_stats = 0;
	evf_ring_events_reset();
	R.lost = 0;
	if (worth_logging(++evf_ring_counters.replaced))
		EVF_LOG(ERR, "control ring: %s was shrunk under evfwd (replaced %lu time(s)): now"
			" serving a new object under that name; every route and the forwarding"
			" state are kept, producers reattach", R.name,
			(unsigned long)evf_ring_counters.replaced);
}
