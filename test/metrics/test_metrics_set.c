/* test_metrics_set.c: CUnit tests of the metrics exposition writer
 * (app/evfwd/metrics/metrics_set.c), byte for byte: both formats, the
 * suffixes of counters and info families, label value escaping (\ " and
 * newline), HELP escaping, real values, "# EOF", and the refusals (bad
 * names, a family again with another type, a sample without a family).
 * Pure: no EAL, no thread. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "metrics_set.h"

/* The exposition of one set, as a string the caller frees. */
static char *
write_all(const struct evf_mset *s, bool om)
{
	const struct evf_mset *sets[] = { s };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(evf_mset_write(f, sets, 1, om), 0);
	fclose(f);
	return buf;
}

static struct evf_mset *
sample_set(void)
{
	struct evf_mset *s = evf_mset_new();

	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(evf_mset_family(s, "evfwd_drops", EVF_MT_COUNTER, "dropped \\ by\nreason"), 0);
	CU_ASSERT_EQUAL(evf_mset_add(s, 7, "reason", "a\"b\\c\nd", "port", "p1", NULL), 0);
	CU_ASSERT_EQUAL(evf_mset_add(s, 0, NULL), 0);
	CU_ASSERT_EQUAL(evf_mset_family(s, "evfwd_up_seconds", EVF_MT_GAUGE, "say \"hi\""), 0);
	CU_ASSERT_EQUAL(evf_mset_add_real(s, 1.5, NULL), 0);
	CU_ASSERT_EQUAL(evf_mset_add_real(s, NAN, "k", "nan", NULL), 0);
	CU_ASSERT_EQUAL(evf_mset_family(s, "evfwd_build", EVF_MT_INFO, "version"), 0);
	CU_ASSERT_EQUAL(evf_mset_add(s, 1, "version", "1.0", NULL), 0);
	/* the first family again: more samples go to it */
	CU_ASSERT_EQUAL(evf_mset_family(s, "evfwd_drops", EVF_MT_COUNTER, "ignored"), 0);
	CU_ASSERT_EQUAL(evf_mset_add(s, UINT64_MAX, "reason", "", NULL), 0);
	return s;
}

static void
test_prometheus_text(void)
{
	struct evf_mset *s = sample_set();
	char *t = write_all(s, false);

	CU_ASSERT_STRING_EQUAL(t,
		"# HELP evfwd_drops_total dropped \\\\ by\\nreason\n"
		"# TYPE evfwd_drops_total counter\n"
		"evfwd_drops_total{reason=\"a\\\"b\\\\c\\nd\",port=\"p1\"} 7\n"
		"evfwd_drops_total 0\n"
		"evfwd_drops_total{reason=\"\"} 18446744073709551615\n"
		"# HELP evfwd_up_seconds say \"hi\"\n"
		"# TYPE evfwd_up_seconds gauge\n"
		"evfwd_up_seconds 1.5\n"
		"evfwd_up_seconds{k=\"nan\"} NaN\n"
		"# HELP evfwd_build_info version\n"
		"# TYPE evfwd_build_info gauge\n"
		"evfwd_build_info{version=\"1.0\"} 1\n");
	free(t);
	evf_mset_free(s);
}

static void
test_openmetrics(void)
{
	struct evf_mset *s = sample_set();
	char *t = write_all(s, true);

	CU_ASSERT_STRING_EQUAL(t,
		"# HELP evfwd_drops dropped \\\\ by\\nreason\n"
		"# TYPE evfwd_drops counter\n"
		"evfwd_drops_total{reason=\"a\\\"b\\\\c\\nd\",port=\"p1\"} 7\n"
		"evfwd_drops_total 0\n"
		"evfwd_drops_total{reason=\"\"} 18446744073709551615\n"
		"# HELP evfwd_up_seconds say \\\"hi\\\"\n"
		"# TYPE evfwd_up_seconds gauge\n"
		"evfwd_up_seconds 1.5\n"
		"evfwd_up_seconds{k=\"nan\"} NaN\n"
		"# HELP evfwd_build version\n"
		"# TYPE evfwd_build info\n"
		"evfwd_build_info{version=\"1.0\"} 1\n"
		"# EOF\n");
	free(t);
	evf_mset_free(s);
}

static void
test_refusals(void)
{
	struct evf_mset *s = evf_mset_new();
	char *t;

	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(evf_mset_add(s, 1, NULL), -EINVAL); /* no family yet */
	CU_ASSERT_EQUAL(evf_mset_family(s, "", EVF_MT_GAUGE, "x"), -EINVAL);
	CU_ASSERT_EQUAL(evf_mset_family(s, "9lives", EVF_MT_GAUGE, "x"), -EINVAL);
	CU_ASSERT_EQUAL(evf_mset_family(s, "bad-name", EVF_MT_GAUGE, "x"), -EINVAL);
	CU_ASSERT_EQUAL(evf_mset_family(s, "with space", EVF_MT_GAUGE, "x"), -EINVAL);
	CU_ASSERT_EQUAL(evf_mset_family(s, "ok_name", EVF_MT_GAUGE, "x"), 0);
	CU_ASSERT_EQUAL(evf_mset_family(s, "ok_name", EVF_MT_COUNTER, "x"), -EINVAL);
	/* an empty family is written with its HELP and TYPE only */
	t = write_all(s, true);
	CU_ASSERT_STRING_EQUAL(t, "# HELP ok_name x\n# TYPE ok_name gauge\n# EOF\n");
	free(t);
	evf_mset_free(s);
	evf_mset_free(NULL);
	CU_ASSERT_EQUAL(evf_mset_family(NULL, "x", EVF_MT_GAUGE, "x"), -ENOMEM);
	CU_ASSERT_EQUAL(evf_mset_add(NULL, 1, NULL), -EINVAL);
}

int
main(void)
{
	unsigned int failures;
	CU_pSuite suite;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite("metrics-set", NULL, NULL);
	if (suite == NULL ||
	    CU_add_test(suite, "prometheus text", test_prometheus_text) == NULL ||
	    CU_add_test(suite, "openmetrics", test_openmetrics) == NULL ||
	    CU_add_test(suite, "refusals", test_refusals) == NULL) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures != 0;
}
