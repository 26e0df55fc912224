/* metrics_set.h: a set of metric families in memory and its text forms,
 * Prometheus text 0.0.4 and OpenMetrics 1.0.0 (used by the metrics thread,
 * and by the control thread for the part of a scrape it builds). A set is
 * built, written any number of times, then freed; nothing is shared. */
#ifndef EVF_METRICS_SET_H
#define EVF_METRICS_SET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum evf_mtype {
	EVF_MT_COUNTER,  /**< family NAME, sample NAME_total */
	EVF_MT_GAUGE,    /**< family NAME, sample NAME */
	EVF_MT_INFO,     /**< family NAME, sample NAME_info, value 1 */
};

struct evf_mset;

struct evf_mset *evf_mset_new(void);
void evf_mset_free(struct evf_mset *s);
/** Make family name (letters, digits, '_') the current one, creating it
 *  with its type and help (one line) the first time. 0, -EINVAL (a bad name,
 *  or the name again with another type) or -ENOMEM. */
int evf_mset_family(struct evf_mset *s, const char *name, enum evf_mtype type,
	const char *help);
/** A sample of the current family: value, then label names and values as
 *  const char * pairs, NULL-terminated. Label values are escaped here.
 *  0, -EINVAL (no current family) or -ENOMEM. */
int evf_mset_add(struct evf_mset *s, uint64_t value, ...);
/** The same with a real value (gauges: seconds, ratios). */
int evf_mset_add_real(struct evf_mset *s, double value, ...);
/** Write sets one after the other as one exposition (OpenMetrics ends with
 *  "# EOF"). A family must be in one set only. 0 or -EIO. */
int evf_mset_write(FILE *out, const struct evf_mset *const *sets, unsigned int n,
	bool openmetrics);

#endif /* EVF_METRICS_SET_H */
