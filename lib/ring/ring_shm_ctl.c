/* ring_shm_ctl.c: creating evfwd's control-ring object and laying out its
 * header (main thread at start-up), and the header check every poll makes
 * (control thread). See evf_ring.h and doc/ring-abi.md. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "evf_cfg.h"
#include "evf_common.h"
#include "ring_private.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -EINVAL; } while (0)

struct ring_state evf_ring_st;
#define R evf_ring_st

bool
evf_ring_enabled(void)
{
	return R.on;
}

uint64_t
evf_ring_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A record slot from evfwd's own copy of the layout: nothing the other
 * process writes in the header can make evfwd read or write elsewhere. */
struct evf_ring_rec *
evf_ring_slot_of(unsigned int ring, uint64_t idx)
{
	return (struct evf_ring_rec *)((uint8_t *)R.hdr + R.desc[ring].offset) +
		(idx & (R.desc[ring].count - 1));
}

size_t
evf_ring_mem_size(const struct evf_cfg_ring *cfg)
{
	return EVF_RING_HDR_SIZE + ((size_t)cfg->records * 2 + cfg->event_records) *
		EVF_RING_REC_SIZE;
}

/* Lay out the header of a new object of size bytes at h, from the
 * descriptors in R.desc; the magic last (a producer that sees it sees a
 * complete header). */
void
evf_ring_layout(struct evf_ring_hdr *h, size_t size)
{
	memset(h, 0, EVF_RING_HDR_SIZE);
	h->abi_version = EVF_RING_ABI_VERSION;
	h->abi_minor = EVF_RING_ABI_MINOR;
	h->header_size = EVF_RING_HDR_SIZE;
	h->record_size = EVF_RING_REC_SIZE;
	h->nb_rings = EVF_RING_COUNT;
	h->total_size = size;
	h->evfwd_pid = (uint64_t)getpid();
	memcpy(h->ring, R.desc, sizeof(R.desc));
	atomic_thread_fence(memory_order_release);
	__atomic_store_n(&h->magic, EVF_RING_MAGIC, __ATOMIC_RELEASE);
}

/* Start serving the object at h. Ring 2 (manual) has the size of ring 0. */
static void
ring_start(const struct evf_cfg_ring *cfg, struct evf_ring_hdr *h, size_t size)
{
	uint64_t off = EVF_RING_HDR_SIZE;

	R.desc[EVF_RING_ROUTES].offset = off;
	R.desc[EVF_RING_ROUTES].count = cfg->records;
	off += (uint64_t)cfg->records * EVF_RING_REC_SIZE;
	R.desc[EVF_RING_EVENTS].offset = off;
	R.desc[EVF_RING_EVENTS].count = cfg->event_records;
	off += (uint64_t)cfg->event_records * EVF_RING_REC_SIZE;
	R.desc[EVF_RING_MANUAL].offset = off;
	R.desc[EVF_RING_MANUAL].count = cfg->records;
	evf_ring_layout(h, size);

	R.on = true;
	R.hdr = h;
	R.size = size;
	R.batch = cfg->batch > RING_MAX_BATCH ? RING_MAX_BATCH : (cfg->batch ? cfg->batch : 256);
	R.hold_tsc = rte_get_tsc_hz() * cfg->hold_time;
	R.producer_timeout_tsc = rte_get_tsc_hz() * (uint64_t)cfg->producer_timeout;
	R.total_size = size;
	R.created_ns = evf_ring_mono_ns();
	memset(&evf_ring_counters, 0, sizeof(evf_ring_counters));
	evf_ring_events_start();
}

int
evf_ring_init_mem(const struct evf_cfg_ring *cfg, void *mem, char *err, size_t errlen)
{
	memset(&R, 0, sizeof(R));
	if (mem == NULL || cfg->records == 0 || (cfg->records & (cfg->records - 1)) ||
	    cfg->event_records == 0 || (cfg->event_records & (cfg->event_records - 1)))
		ERR("control-ring: bad memory or ring sizes");
	ring_start(cfg, mem, evf_ring_mem_size(cfg));
	R.external = true;
	return 0;
}

/* Create (replacing any object of that name) and map a new object of size
 * bytes, mode 0600; *fdp keeps its descriptor (its size is watched). NULL
 * with err filled on failure. */
struct evf_ring_hdr *
evf_ring_object_create(const char *name, size_t size, int *fdp, char *err, size_t errlen)
{
	struct evf_ring_hdr *h;
	int fd;

	/* A stale object from an earlier run is replaced: the layout may differ. */
	shm_unlink(name);
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "control-ring: cannot create shared memory %s: %s", name,
			 strerror(errno));
		return NULL;
	}
	if (fchmod(fd, 0600) < 0 || ftruncate(fd, (off_t)size) < 0) {
		int e = errno;

		close(fd);
		shm_unlink(name);
		snprintf(err, errlen, "control-ring: cannot size %s to %zu bytes: %s", name, size,
			 strerror(e));
		return NULL;
	}
	h = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED) {
		int e = errno;

		close(fd);
		shm_unlink(name);
		snprintf(err, errlen, "control-ring: cannot map %s: %s", name, strerror(e));
		return NULL;
	}
	*fdp = fd;
	return h;
}

int
evf_ring_init(const struct evf_cfg_ring *cfg, char *err, size_t errlen)
{
	size_t size = evf_ring_mem_size(cfg);
	struct evf_ring_hdr *h;

	memset(&R, 0, sizeof(R));
	if (!cfg->enabled)
		return 0;
	snprintf(R.name, sizeof(R.name), "%s", cfg->name);
	R.fd = -1;
	h = evf_ring_object_create(R.name, size, &R.fd, err, errlen);
	if (h == NULL)
		return -EINVAL;
	ring_start(cfg, h, size);
	/* A producer that shrinks the object must not kill evfwd (SIGBUS):
	 * ring_guard_ctl.c. */
	evf_ring_guard_install();
	return 0;
}

void
evf_ring_fini(void)
{
	if (!R.on)
		return;
	evf_ring_events_stop();
	if (!R.external) {
		munmap(R.hdr, R.size);
		close(R.fd);
		R.fd = -1;
		shm_unlink(R.name);
	}
	R.on = false;
}

bool
evf_ring_header_intact(void)
{
	const struct evf_ring_hdr *h = R.hdr;

	return __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) == EVF_RING_MAGIC &&
		h->abi_version == EVF_RING_ABI_VERSION && h->abi_minor == EVF_RING_ABI_MINOR &&
		h->header_size == EVF_RING_HDR_SIZE && h->record_size == EVF_RING_REC_SIZE &&
		h->nb_rings == EVF_RING_COUNT && h->total_size == R.total_size &&
		memcmp(h->ring, R.desc, sizeof(R.desc)) == 0;
}
