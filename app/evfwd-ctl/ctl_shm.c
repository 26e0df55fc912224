/* ctl_shm.c: attaching evfwd-ctl to the control ring (shm_open + mmap),
 * header checks and role locks. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl_shm.h"

uint64_t
ctl_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
ctl_evfwd_alive(const struct ctl_ring *r)
{
	pid_t pid = (pid_t)r->hdr->evfwd_pid;

	return pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH;
}

int
ctl_wait_handled(struct ctl_ring *r, uint64_t target, unsigned long timeout_ms)
{
	const volatile struct evf_ring_stats *s = evf_ring_stats(r->hdr);
	uint64_t last = s->handled_idx, since = ctl_mono_ns();

	while (s->handled_idx < target) {
		struct timespec ts = { 0, 200000 };
		uint64_t now = ctl_mono_ns();

		if (s->handled_idx != last) {
			last = s->handled_idx;
			since = now;
		}
		if (!ctl_evfwd_alive(r)) {
			fprintf(stderr, "evfwd-ctl: evfwd (pid %lu) is gone; %lu record(s) not handled\n",
				(unsigned long)r->hdr->evfwd_pid, (unsigned long)(target - last));
			return -1;
		}
		if (now - since > (uint64_t)timeout_ms * 1000000ull) {
			fprintf(stderr, "evfwd-ctl: evfwd made no progress for %lu ms; %lu record(s)"
				" not handled\n", timeout_ms, (unsigned long)(target - last));
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

int
ctl_ring_open(const char *name, struct ctl_ring *r)
{
	struct stat st;
	const struct evf_ring_hdr *h;

	memset(r, 0, sizeof(*r));
	r->fd = shm_open(name, O_RDWR, 0);
	if (r->fd < 0) {
		fprintf(stderr, "evfwd-ctl: cannot open control ring %s: %s (is evfwd running with"
			" a control-ring section?)\n", name, strerror(errno));
		return -1;
	}
	if (fstat(r->fd, &st) < 0 || (size_t)st.st_size < EVF_RING_HDR_SIZE) {
		fprintf(stderr, "evfwd-ctl: %s is too small to be a control ring\n", name);
		close(r->fd);
		return -1;
	}
	r->size = (size_t)st.st_size;
	r->hdr = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->hdr == MAP_FAILED) {
		fprintf(stderr, "evfwd-ctl: cannot map %s: %s\n", name, strerror(errno));
		close(r->fd);
		return -1;
	}
	h = r->hdr;
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != EVF_RING_MAGIC ||
	    h->abi_version != EVF_RING_ABI_VERSION || h->record_size != EVF_RING_REC_SIZE ||
	    h->header_size != EVF_RING_HDR_SIZE || h->nb_rings != 2 || h->total_size != r->size) {
		fprintf(stderr, "evfwd-ctl: %s: not a control ring of ABI version %u (magic %#x,"
			" version %u)\n", name, EVF_RING_ABI_VERSION, h->magic, h->abi_version);
		ctl_ring_close(r);
		return -1;
	}
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t cnt = h->ring[i].count;
		if (cnt == 0 || (cnt & (cnt - 1)) || h->ring[i].offset < EVF_RING_HDR_SIZE ||
		    h->ring[i].offset + cnt * EVF_RING_REC_SIZE > r->size) {
			fprintf(stderr, "evfwd-ctl: %s: ring %u descriptor out of bounds\n", name, i);
			ctl_ring_close(r);
			return -1;
		}
	}
	return 0;
}

int
ctl_ring_lock(struct ctl_ring *r, int which, const char *what)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = which, .l_len = 1,
	};

	if (fcntl(r->fd, F_SETLK, &fl) == 0)
		return 0;
	fprintf(stderr, "evfwd-ctl: another %s is attached to this ring (single %s only)\n",
		what, what);
	return -1;
}

void
ctl_ring_close(struct ctl_ring *r)
{
	if (r->hdr != NULL && r->hdr != MAP_FAILED)
		munmap(r->hdr, r->size);
	if (r->fd >= 0)
		close(r->fd);
	r->hdr = NULL;
	r->fd = -1;
}
