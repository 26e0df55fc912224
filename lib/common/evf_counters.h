/* evf_counters.h: counter sets declared once. A set is an X-macro list
 * X(field, shown name, help); from it come the struct of uint64_t fields, a
 * table of descriptions (name, help, offset), and everything that shows or
 * exports the counters (the shell, DPDK telemetry, the control ring's stats
 * block), so a counter cannot be added without being shown. Any thread (the
 * functions only read). */
#ifndef EVF_COUNTERS_H
#define EVF_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct evf_counter_desc {
	const char *name;   /**< as shown: "learned", "objects reclaimed" */
	const char *help;
	uint32_t offset;    /**< of the uint64_t in its struct */
};

/** A set: its title, descriptions, and where its values live. */
struct evf_counter_set {
	const char *title;  /**< "Learning" */
	const char *key;    /**< for machines: "learning" (telemetry /evfwd/<key>) */
	const struct evf_counter_desc *desc;
	unsigned int n;
	const void *base;   /**< the struct holding the values */
};

/* Struct fields and descriptions from a list. */
#define EVF_COUNTER_FIELD(f, name, help) uint64_t f;
#define EVF_COUNTER_DESC_OF(type, f, name, help) { name, help, offsetof(struct type, f) },

static inline uint64_t
evf_counter_value(const struct evf_counter_set *s, unsigned int i)
{
	return __atomic_load_n((const uint64_t *)((const char *)s->base + s->desc[i].offset),
			       __ATOMIC_RELAXED);
}

/** One line: "Title: name value, name value ..." (no newline). */
void evf_counters_print(FILE *out, const struct evf_counter_set *s);

#endif /* EVF_COUNTERS_H */
