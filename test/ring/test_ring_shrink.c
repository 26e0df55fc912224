/* test_ring_shrink.c: CUnit tests of a control-ring object shrunk under evfwd
 * (issue 12, defect 1). Another process that can open the object truncates
 * it (ftruncate). evfwd's next access past the new end would raise SIGBUS and
 * kill it. Here the ring is a real shared-memory object (evf_ring_init, not
 * plain memory) on a brought-up runtime, and the other process is played by
 * the ring client library on its own mapping of that object.
 *
 * - shrunk_slots: the object is cut to its header and the producer index
 *   advanced, so evfwd's copy of the record faults. evfwd survives, handles
 *   nothing, and counts neither a reject, a damaged header nor a bad index.
 *   The next poll serves a new object of the right size under the same name
 *   (another inode). The routes already applied (routes ring and manual ring)
 *   stay in the FDB. The client sees its object as shrunk and stale; a new
 *   client on the new object resyncs (SYNC-BEGIN ... SYNC-END): its routes
 *   are applied, the routes it did not resend are swept, and the manual route
 *   stays. The new events ring carries live events and a dump.
 * - shrunk_to_zero: the header is gone too (size 0). The header check itself
 *   faults; evfwd survives and replaces the object.
 * - shrunk_under_events_writer: the object is shrunk, then a MAC is learned
 *   outside any poll. The event write faults inside the learning call, which
 *   still completes (the MAC is in the FDB). The replacement's dump has the
 *   MAC.
 * - shrunk_untouched: cut to the header with no record announced: nothing
 *   faults, the size check (every 100 ms) finds it and replaces the object.
 * - repeated: shrunk 5 times in a row (to nothing, or to the header with one
 *   more record announced), replaced 5 times; the counters in the stats
 *   block of the latest object say so.
 * - other_sigbus: a SIGBUS that is not the ring's still kills the process
 *   (a child touching another truncated mapping), with evfwd's and the
 *   client's handlers installed, with and without a ring. If a handler did
 *   not pass it on, the child would loop or survive.
 * - client_guard: the ring client library guards its own mapping the same
 *   way: a client whose object is shrunk reads zeros, survives its writes,
 *   and reports the object as shrunk and stale. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "evf_bd.h"
#include "evf_bd_ctl.h"
#include "evf_events.h"
#include "evf_fdb.h"
#include "evf_fdb_ctl.h"
#include "evf_rcu.h"
#include "evf_ring.h"
#include "evf_ring_client.h"
#include "evf_route.h"
#include "evf_test_env.h"

#define MAC_A   "00:c1:ab:00:00:0a"
#define MAC_B   "00:c1:ab:00:00:0b"
#define MAC_M   "00:c1:ab:00:00:4d"     /* pushed on the manual ring */
#define MAC_L   "00:c1:ab:00:00:1e"     /* learned on acc0 */
#define MAC_L2  "00:c1:ab:00:00:1f"

static const char cfg_yaml[] =
	"node:\n"
	"  vtep-ipv4: 198.18.0.1\n"
	"  mac: 02:00:00:00:00:01\n"
	"  fdb-capacity: 4096\n"
	"ports:\n"
	"  - {name: net0, device: net_ring_s0, role: network, next-hop-mac: 02:00:00:00:00:fe,\n"
	"     rx-descriptors: 64, tx-descriptors: 64}\n"
	"  - {name: acc0, device: net_ring_s1, role: access, rx-descriptors: 64, tx-descriptors: 64}\n"
	"mac-vrfs:\n"
	"  - name: blue\n"
	"    vni: 100\n"
	"    attachments: [{port: acc0, vlan: untagged}]\n";

static struct evf_cfg_ring rcfg;
static uint64_t T;
static uint16_t blue;
static struct evf_ring_client cl;

/* A fresh runtime with a real ring object and a producer client on it. */
static void
fresh(void)
{
	char err[256] = "";

	if (evft_is_up())
		evft_down();
	CU_ASSERT_EQUAL_FATAL(evft_up(cfg_yaml), 0);
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.enabled = true;
	snprintf(rcfg.name, sizeof(rcfg.name), "/evft-shrink-%d", (int)getpid());
	rcfg.records = 64;
	rcfg.event_records = 64;
	rcfg.hold_time = 5;
	rcfg.batch = 64;
	if (evf_ring_init(&rcfg, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_init: %s", err);
	CU_ASSERT_FATAL(evf_ring_enabled());
	if (evf_ring_client_open(&cl, rcfg.name, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_client_open: %s", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cl.hdr);
	T = rte_rdtsc();
	blue = evft_bd("blue");
}

static void
done(void)
{
	evf_ring_client_close(&cl);
	evf_ring_fini();
}

static int
suite_clean(void)
{
	evft_down();
	return 0;
}

static unsigned int
poll_ring(void)
{
	unsigned int n;

	T += rte_get_tsc_hz() / 100;
	n = evf_ring_poll(T);
	evf_rcu_drain();
	return n;
}

static void
push(struct evf_ring_client *c, unsigned int ring, const char *text)
{
	struct evf_route r;
	struct evf_ring_rec rec;
	char err[256];

	if (evf_route_parse_line(text, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "test bug: '%s': %s\n", text, err);
		abort();
	}
	evf_ring_encode_route(&r, &rec);
	CU_ASSERT_EQUAL_FATAL(evf_ring_client_produce(c, ring, &rec), 0);
}

static void
push_ctl(struct evf_ring_client *c, uint8_t type)
{
	struct evf_ring_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	CU_ASSERT_EQUAL_FATAL(evf_ring_client_produce(c, EVF_RING_ROUTES, &rec), 0);
}

static const struct evf_fdb_entry *
fdb(const char *mac)
{
	struct rte_ether_addr m = evft_mac(mac);

	return evf_fdb_find(blue, &m);
}

/* Size and inode of the object now under the ring's name (size -1: none). */
static off_t
object_now(ino_t *ino)
{
	struct stat st;
	int fd = shm_open(rcfg.name, O_RDONLY, 0);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	*ino = st.st_ino;
	return st.st_size;
}

/* What another process with write access does: cut the object to size. */
static void
shrink_to(off_t size)
{
	int fd = shm_open(rcfg.name, O_RDWR, 0);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(ftruncate(fd, size), 0);
	close(fd);
}

/* What a broken producer does next: announce one more routes record, by
 * the header (which is all that is left of the object). */
static void
announce_record(void)
{
	int fd = shm_open(rcfg.name, O_RDWR, 0);
	struct evf_ring_hdr *h;

	CU_ASSERT_FATAL(fd >= 0);
	h = mmap(NULL, EVF_RING_HDR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	CU_ASSERT_FATAL(h != MAP_FAILED);
	atomic_fetch_add(&h->idx[EVF_RING_ROUTES].prod_idx, 1);
	munmap(h, EVF_RING_HDR_SIZE);
}

static uint64_t
rejected_total(void)
{
	uint64_t n = 0;

	for (int i = 0; i < EVF_RING_REJ_MAX; i++)
		n += evf_ring_counters.rejected[i];
	return n;
}

/* A new client on the object now under the name. */
static void
reopen(void)
{
	char err[256] = "";

	evf_ring_client_close(&cl);
	if (evf_ring_client_open(&cl, rcfg.name, err, sizeof(err)) != 0)
		fprintf(stderr, "\n    evf_ring_client_open (new object): %s", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cl.hdr);
}

/* Events of the client's events ring until DUMP_END (or nothing more):
 * does any carry mac with the given type? */
static bool
events_have_mac(uint8_t type, const char *mac, bool want_dump)
{
	struct rte_ether_addr m = evft_mac(mac);
	struct evf_ring_rec recs[64];
	bool found = false;

	for (int round = 0; round < 50; round++) {
		uint64_t first;
		int n;

		poll_ring();
		n = evf_ring_client_consume(&cl, recs, RTE_DIM(recs), &first);
		CU_ASSERT(n >= 0);
		for (int i = 0; i < n; i++) {
			CU_ASSERT(evf_ring_rec_intact(&recs[i], first + (uint64_t)i));
			if (recs[i].type == type && memcmp(recs[i].mac, m.addr_bytes, 6) == 0 &&
			    !!(recs[i].flags & EVF_REC_F_DUMP) == want_dump)
				found = true;
			if (recs[i].type == EVF_REC_EV_DUMP_END)
				return found;
		}
		if (n <= 0 && !want_dump)
			return found;
	}
	return found;
}

static void
learn(const char *mac)
{
	struct evf_learn_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.mac = evft_mac(mac);
	ev.bd = blue;
	ev.attach = evft_attach("acc0", 0);
	evf_fdb_learn(&ev);
}

/* ---- cases ---- */

static void
test_shrunk_slots(void)
{
	size_t size;
	ino_t ino0 = 0, ino1 = 0;
	struct evf_ring_stats *s;

	fresh();
	size = evf_ring_mem_size(&rcfg);
	CU_ASSERT_EQUAL(object_now(&ino0), (off_t)size);
	CU_ASSERT_EQUAL(evf_ring_client_lock(&cl, EVF_RING_ROLE_PRODUCER, 0), 0);
	evf_ring_client_new_epoch(&cl);
	push_ctl(&cl, EVF_REC_SYNC_BEGIN);
	push(&cl, EVF_RING_ROUTES, "rt3 add vni 100 vtep 198.18.0.2");
	push(&cl, EVF_RING_ROUTES, "rt2 add vni 100 mac " MAC_A " vtep 198.18.0.2");
	push_ctl(&cl, EVF_REC_SYNC_END);
	push(&cl, EVF_RING_MANUAL, "rt2 add vni 100 mac " MAC_M " vtep 198.18.0.3");
	for (int i = 0; i < 5; i++)
		poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.applied, 2);
	CU_ASSERT_EQUAL(evf_ring_counters.manual_applied, 1);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_A));
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));

	/* cut to the header, and one more record announced: its slot is gone */
	shrink_to(EVF_RING_HDR_SIZE);
	CU_ASSERT(evf_ring_client_shrunk(&cl));
	CU_ASSERT(evf_ring_client_stale(&cl));
	announce_record();
	poll_ring();      /* faults, survives (the size check is not due yet) */
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.records, 4);
	CU_ASSERT_EQUAL(rejected_total(), 0);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_header, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_index, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 0);
	poll_ring();      /* replaces */
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 1);
	CU_ASSERT_EQUAL(object_now(&ino1), (off_t)size);
	CU_ASSERT_NOT_EQUAL(ino0, ino1);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_A));
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));

	/* a new producer on the new object resyncs */
	reopen();
	CU_ASSERT_FALSE(evf_ring_client_stale(&cl));
	CU_ASSERT_EQUAL(cl.hdr->abi_minor, EVF_RING_ABI_MINOR);
	CU_ASSERT_EQUAL(evf_ring_client_lock(&cl, EVF_RING_ROLE_PRODUCER, 0), 0);
	CU_ASSERT_EQUAL(evf_ring_client_lock(&cl, EVF_RING_ROLE_WATCHER, 0), 0);
	evf_ring_client_request_dump(&cl, evf_ring_client_new_epoch(&cl));
	push_ctl(&cl, EVF_REC_SYNC_BEGIN);
	push(&cl, EVF_RING_ROUTES, "rt2 add vni 100 mac " MAC_B " vtep 198.18.0.2");
	push_ctl(&cl, EVF_REC_SYNC_END);
	learn(MAC_L);
	CU_ASSERT(events_have_mac(EVF_REC_EV_MAC_LEARNED, MAC_L, true));
	CU_ASSERT_EQUAL(evf_ring_client_handled(&cl, EVF_RING_ROUTES), 3);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_B));
	CU_ASSERT_PTR_NULL(fdb(MAC_A));      /* not resent: swept by the resync */
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));  /* manual: never swept */
	CU_ASSERT_EQUAL(evf_ring_counters.swept, 2);  /* MAC_A and the RT3 */
	/* live events go on, on the new object */
	learn(MAC_L2);
	CU_ASSERT(events_have_mac(EVF_REC_EV_MAC_LEARNED, MAC_L2, false));
	s = evf_ring_stats(cl.hdr);
	CU_ASSERT_EQUAL(s->replaced, 1);
	CU_ASSERT_EQUAL(s->bad_header, 0);
	done();
}

static void
test_shrunk_to_zero(void)
{
	ino_t ino0 = 0, ino1 = 0;

	fresh();
	CU_ASSERT(object_now(&ino0) > 0);
	push(&cl, EVF_RING_MANUAL, "rt2 add vni 100 mac " MAC_M " vtep 198.18.0.3");
	poll_ring();
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));
	shrink_to(0);
	poll_ring();      /* the header check faults */
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 0);
	CU_ASSERT_EQUAL(evf_ring_counters.bad_header, 0);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 1);
	CU_ASSERT_EQUAL(object_now(&ino1), (off_t)evf_ring_mem_size(&rcfg));
	CU_ASSERT_NOT_EQUAL(ino0, ino1);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));
	reopen();
	push(&cl, EVF_RING_MANUAL, "rt2 add vni 100 mac " MAC_B " vtep 198.18.0.3");
	poll_ring();
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_B));
	CU_ASSERT_EQUAL(evf_ring_client_handled(&cl, EVF_RING_MANUAL), 1);
	done();
}

static void
test_shrunk_under_events_writer(void)
{
	fresh();
	poll_ring();
	shrink_to(EVF_RING_HDR_SIZE);
	/* the event sink writes the MAC_LEARNED record at once: it faults here,
	 * inside the learning call, which must still complete */
	learn(MAC_L);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_L));
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 0);
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 1);
	reopen();
	CU_ASSERT_EQUAL(evf_ring_client_lock(&cl, EVF_RING_ROLE_WATCHER, 0), 0);
	evf_ring_client_request_dump(&cl, 0);
	CU_ASSERT(events_have_mac(EVF_REC_EV_MAC_LEARNED, MAC_L, true));
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_L));
	done();
}

static void
test_shrunk_untouched(void)
{
	ino_t ino0 = 0, ino1 = 0;

	fresh();
	CU_ASSERT(object_now(&ino0) > 0);
	poll_ring();
	/* cut to the header with nothing for evfwd to read there: no fault, the
	 * size check (every 100 ms) finds it */
	shrink_to(EVF_RING_HDR_SIZE);
	for (int i = 0; i < 20 && evf_ring_counters.replaced == 0; i++)
		poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 1);
	CU_ASSERT_EQUAL(object_now(&ino1), (off_t)evf_ring_mem_size(&rcfg));
	CU_ASSERT_NOT_EQUAL(ino0, ino1);
	done();
}

static void
test_repeated(void)
{
	fresh();
	push(&cl, EVF_RING_MANUAL, "rt2 add vni 100 mac " MAC_M " vtep 198.18.0.3");
	poll_ring();
	for (int i = 0; i < 5; i++) {
		if (i % 2) {
			shrink_to(0);
		} else {
			shrink_to(EVF_RING_HDR_SIZE);
			announce_record();
		}
		poll_ring();
		poll_ring();
		poll_ring();
		CU_ASSERT_EQUAL(evf_ring_counters.replaced, (uint64_t)i + 1);
	}
	reopen();
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_stats(cl.hdr)->replaced, 5);
	CU_ASSERT_EQUAL(evf_ring_stats(cl.hdr)->bad_header, 0);
	CU_ASSERT_PTR_NOT_NULL(fdb(MAC_M));
	done();
}

/* A child that touches another truncated mapping: 0 when it died of it
 * (SIGBUS, or in sanitizer builds a report and a non-zero exit), else -1. */
static int
foreign_sigbus_kills(void)
{
	char name[64];
	int status = 0;
	pid_t pid;

	snprintf(name, sizeof(name), "/evft-other-%d", (int)getpid());
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = shm_open(name, O_CREAT | O_RDWR, 0600);
		volatile uint8_t *p;

		if (fd < 0 || ftruncate(fd, 8192) < 0)
			_exit(3);
		p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(4);
		shm_unlink(name);
		if (ftruncate(fd, 0) < 0)
			_exit(5);
		p[4096] = 1; /* SIGBUS: not the ring's */
		_exit(0);
	}
	shm_unlink(name);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	shm_unlink(name);
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGBUS ? 0 : -1;
	return WIFEXITED(status) && WEXITSTATUS(status) > 5 ? 0 : -1;
}

static void
test_other_sigbus(void)
{
	/* evfwd's handler and the client's, both installed, chained */
	fresh();
	CU_ASSERT_EQUAL(foreign_sigbus_kills(), 0);
	done();
	/* no ring any more: the handlers pass it on */
	CU_ASSERT_EQUAL(foreign_sigbus_kills(), 0);
}

/* The client side: a client whose object is shrunk under it survives its
 * own accesses, reads zeros, and says it is shrunk. */
static void
test_client_guard(void)
{
	struct evf_ring_client other;
	struct evf_ring_rec rec;
	char err[256] = "";
	uint64_t first;

	fresh();
	CU_ASSERT_EQUAL_FATAL(evf_ring_client_open(&other, rcfg.name, err, sizeof(err)), 0);
	CU_ASSERT(other.guard >= 0);
	CU_ASSERT_FALSE(evf_ring_client_shrunk(&other));
	shrink_to(0);
	/* header and slots are gone: each access reads or writes zero pages */
	CU_ASSERT_EQUAL(other.hdr->magic, 0);
	memset(&rec, 0, sizeof(rec));
	rec.type = EVF_REC_SYNC_BEGIN;
	(void)evf_ring_client_produce(&other, EVF_RING_ROUTES, &rec);
	(void)evf_ring_client_consume(&other, &rec, 1, &first);
	CU_ASSERT(evf_ring_client_shrunk(&other));
	CU_ASSERT(evf_ring_client_stale(&other));
	evf_ring_client_close(&other);
	/* evfwd replaces it; a new client is fine */
	poll_ring();
	poll_ring();
	CU_ASSERT_EQUAL(evf_ring_counters.replaced, 1);
	CU_ASSERT_EQUAL_FATAL(evf_ring_client_open(&other, rcfg.name, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(evf_ring_client_shrunk(&other));
	evf_ring_client_close(&other);
	done();
}

int
main(int argc, char **argv)
{
	static const struct evft_case cases[] = {
		{ "shrunk_slots", test_shrunk_slots },
		{ "shrunk_to_zero", test_shrunk_to_zero },
		{ "shrunk_under_events_writer", test_shrunk_under_events_writer },
		{ "shrunk_untouched", test_shrunk_untouched },
		{ "repeated", test_repeated },
		{ "other_sigbus", test_other_sigbus },
		{ "client_guard", test_client_guard },
	};

	(void)argc;
	evft_eal_init(argv[0]);
	return evft_run("ring-shrink", cases, RTE_DIM(cases), NULL, suite_clean);
}
