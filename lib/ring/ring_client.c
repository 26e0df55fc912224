/* ring_client.c: mapping and using evfwd's control ring from another process
 * (evf_ring_client.h). No DPDK, no evfwd state. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evf_ring_client.h"

#define ERR(code, ...) do { if (err) snprintf(err, errlen, __VA_ARGS__); return (code); } while (0)

/* ---- SIGBUS guard ----
 * Another process may shrink the object (ftruncate) while it is mapped here:
 * the next access to the lost part raises SIGBUS. The handler maps private
 * zero pages over a guarded mapping that faulted and marks it lost, so the
 * access completes (reading zeros) and evf_ring_client_shrunk() says so; a
 * SIGBUS elsewhere goes to the handler that was there before (in a Go
 * program, Go's own, as cgo requires). Mappings are kept by address, not
 * by client, because a client struct may live in Go memory. */
#define GUARD_SLOTS 8
static struct {
	volatile uintptr_t addr;
	volatile size_t size;
	volatile int lost;
} guard[GUARD_SLOTS];
static struct sigaction guard_prev;

static void
guard_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;

	for (int i = 0; i < GUARD_SLOTS; i++) {
		uintptr_t lo = guard[i].addr;

		if (lo != 0 && a >= lo && a - lo < guard[i].size &&
		    mmap((void *)lo, guard[i].size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
			guard[i].lost = 1;
			return; /* retried on the zero pages */
		}
	}
	if ((guard_prev.sa_flags & SA_SIGINFO) && guard_prev.sa_sigaction != NULL) {
		guard_prev.sa_sigaction(sig, si, uctx);
		return;
	}
	if (guard_prev.sa_handler != SIG_DFL && guard_prev.sa_handler != SIG_IGN) {
		guard_prev.sa_handler(sig);
		return;
	}
	signal(SIGBUS, SIG_DFL); /* faults again: the default action */
}

/* Guard a new mapping; -1 when every slot is taken (then unguarded). The
 * handler is installed at the first mapping, once for the process: never
 * removed or installed again, so no chain of handlers can loop. */
static int
guard_add(void *addr, size_t size)
{
	static int installed; /* 0 no, 1 yes, -1 failed */
	struct sigaction sa;

	if (__sync_bool_compare_and_swap(&installed, 0, 2)) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = guard_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		__atomic_store_n(&installed, sigaction(SIGBUS, &sa, &guard_prev) == 0 ? 1 : -1,
				 __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&installed, __ATOMIC_ACQUIRE) == 2)
		; /* another thread is installing it */
	if (installed != 1)
		return -1;
	for (int i = 0; i < GUARD_SLOTS; i++)
		if (__sync_bool_compare_and_swap(&guard[i].addr, 0, (uintptr_t)1)) {
			guard[i].size = size;
			guard[i].lost = 0;
			__atomic_store_n(&guard[i].addr, (uintptr_t)addr, __ATOMIC_RELEASE);
			return i;
		}
	return -1;
}

static void
guard_drop(int slot)
{
	if (slot >= 0 && slot < GUARD_SLOTS)
		__atomic_store_n(&guard[slot].addr, (uintptr_t)0, __ATOMIC_RELEASE);
}

uint64_t
evf_ring_client_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
nap_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

int
evf_ring_client_open(struct evf_ring_client *c, const char *name, char *err, size_t errlen)
{
	const struct evf_ring_hdr *h;
	struct stat st;
	int e;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->guard = -1;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->fd = shm_open(name, O_RDWR, 0);
	if (c->fd < 0) {
		e = errno;
		ERR(-e, "cannot open control ring %s: %s (is evfwd running with a control-ring"
		    " section?)", name, strerror(e));
	}
	if (fstat(c->fd, &st) < 0 || (size_t)st.st_size < EVF_RING_HDR_SIZE) {
		evf_ring_client_close(c);
		ERR(-EINVAL, "%s is too small to be a control ring", name);
	}
	c->size = (size_t)st.st_size;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->hdr = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (c->hdr == MAP_FAILED) {
		e = errno;
		c->hdr = NULL;
		evf_ring_client_close(c);
		ERR(-e, "cannot map %s: %s", name, strerror(e));
	}
	c->guard = guard_add(c->hdr, c->size);
	h = c->hdr;
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != EVF_RING_MAGIC ||
	    h->abi_version != EVF_RING_ABI_VERSION || h->record_size != EVF_RING_REC_SIZE ||
	    h->header_size != EVF_RING_HDR_SIZE || h->nb_rings != EVF_RING_COUNT ||
	    h->total_size != c->size) {
		uint32_t magic = h->magic;
		unsigned int version = h->abi_version;

		evf_ring_client_close(c);
		ERR(-EPROTO, "%s: not a control ring of ABI version %u (magic %#x, version %u)",
		    name, EVF_RING_ABI_VERSION, magic, version);
	}
	for (unsigned int i = 0; i < EVF_RING_COUNT; i++) {
		uint64_t cnt = h->ring[i].count, off = h->ring[i].offset;

		if (cnt == 0 || (cnt & (cnt - 1)) || off < EVF_RING_HDR_SIZE || off > c->size ||
		    cnt * EVF_RING_REC_SIZE > c->size - off) {
			evf_ring_client_close(c);
			ERR(-EPROTO, "%s: ring %u descriptor out of bounds", name, i);
		}
	}
	return 0;
}

void
evf_ring_client_close(struct evf_ring_client *c)
{
	guard_drop(c->guard);
	c->guard = -1;
	if (c->hdr != NULL)
		munmap(c->hdr, c->size);
	if (c->fd >= 0)
		close(c->fd);
	c->hdr = NULL;
	c->fd = -1;
}

int
evf_ring_client_lock(struct evf_ring_client *c, enum evf_ring_role role, unsigned int wait_ms)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (off_t)role, .l_len = 1,
	};
	uint64_t until = evf_ring_client_now_ns() + (uint64_t)wait_ms * 1000000ull;

	for (;;) {
		if (fcntl(c->fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN)
			return -errno;
		if (evf_ring_client_now_ns() >= until)
			return -EBUSY;
		nap_us(2000);
	}
}

bool
evf_ring_client_evfwd_alive(const struct evf_ring_client *c)
{
	pid_t pid = (pid_t)c->hdr->evfwd_pid;

	return pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH;
}

int
evf_ring_client_shrunk(const struct evf_ring_client *c)
{
	struct stat st;

	if (c->guard >= 0 && guard[c->guard].lost)
		return 1;
	return fstat(c->fd, &st) < 0 || (size_t)st.st_size < c->size;
}

int
evf_ring_client_stale(const struct evf_ring_client *c)
{
	struct stat st;
	int fd;

	/* First, before reading the header: shrunk under us (evfwd then serves
	 * a new object), touching the lost part would raise SIGBUS. */
	if (evf_ring_client_shrunk(c) || !evf_ring_client_evfwd_alive(c))
		return 1;
	fd = shm_open(c->name, O_RDONLY, 0);
	if (fd < 0)
		return 1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 1;
	}
	close(fd);
	return st.st_dev != c->dev || st.st_ino != c->ino;
}

int
evf_ring_client_produce(struct evf_ring_client *c, unsigned int ring, struct evf_ring_rec *rec)
{
	struct evf_ring_idx *ix = &c->hdr->idx[ring];

	rec->ts_ns = evf_ring_client_now_ns();
	if (evf_ring_produce(c->hdr, ring, rec) < 0)
		return -EAGAIN;
	atomic_store_explicit(&ix->prod_heartbeat_ns, rec->ts_ns, memory_order_relaxed);
	return 0;
}

static uint64_t
fresh_epoch(void)
{
	return evf_ring_client_now_ns() | 1;
}

uint64_t
evf_ring_client_new_epoch(struct evf_ring_client *c)
{
	uint64_t e = fresh_epoch();

	atomic_store_explicit(&c->hdr->idx[EVF_RING_ROUTES].prod_epoch, e, memory_order_release);
	return e;
}

uint64_t
evf_ring_client_request_dump(struct evf_ring_client *c, uint64_t epoch)
{
	uint64_t e = epoch ? epoch : fresh_epoch();

	atomic_store_explicit(&c->hdr->idx[EVF_RING_EVENTS].cons_epoch, e, memory_order_release);
	return e;
}

void
evf_ring_client_heartbeat(struct evf_ring_client *c, unsigned int ring)
{
	atomic_store_explicit(&c->hdr->idx[ring].prod_heartbeat_ns, evf_ring_client_now_ns(),
			      memory_order_relaxed);
}

uint64_t
evf_ring_client_handled(const struct evf_ring_client *c, unsigned int ring)
{
	const volatile struct evf_ring_stats *s = evf_ring_stats(c->hdr);

	return ring == EVF_RING_MANUAL ? s->manual_handled_idx : s->handled_idx;
}

uint64_t
evf_ring_client_prod_idx(const struct evf_ring_client *c, unsigned int ring)
{
	return atomic_load_explicit(&c->hdr->idx[ring].prod_idx, memory_order_relaxed);
}

int
evf_ring_client_wait_handled(struct evf_ring_client *c, unsigned int ring, uint64_t target,
			     unsigned int timeout_ms, char *err, size_t errlen)
{
	uint64_t last = evf_ring_client_handled(c, ring), since = evf_ring_client_now_ns();

	while (evf_ring_client_handled(c, ring) < target) {
		uint64_t now = evf_ring_client_now_ns(), h = evf_ring_client_handled(c, ring);

		if (h != last) {
			last = h;
			since = now;
		}
		if (!evf_ring_client_evfwd_alive(c))
			ERR(-ESRCH, "evfwd (pid %lu) is gone; %lu record(s) not handled",
			    (unsigned long)c->hdr->evfwd_pid, (unsigned long)(target - last));
		if (now - since > (uint64_t)timeout_ms * 1000000ull)
			ERR(-ETIMEDOUT, "evfwd made no progress for %u ms; %lu record(s) not handled",
			    timeout_ms, (unsigned long)(target - last));
		nap_us(200);
	}
	return 0;
}

int
evf_ring_client_consume(struct evf_ring_client *c, struct evf_ring_rec *out, unsigned int max,
			uint64_t *first)
{
	int n = evf_ring_consume(c->hdr, EVF_RING_EVENTS, out, max, first);

	return n < 0 ? -ERANGE : n;
}
