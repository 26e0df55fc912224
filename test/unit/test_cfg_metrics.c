/* test_cfg_metrics.c: CUnit tests of the config's "metrics" section (lib/cfg,
 * cfg_metrics.c): defaults, every key, IPv4 and IPv6 listen addresses, and
 * bad values each with its exact position and reason. Pure: no EAL. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "evf_cfg.h"

#define HEAD "node: {name: leaf1}\nports: [{name: h, device: d, role: access}]\n"

static struct evf_cfg *
load(const char *yaml, char *err, size_t errlen)
{
	return evf_cfg_load_buffer("t.yaml", yaml, strlen(yaml), err, errlen);
}

static const char *
addr_text(const struct evf_cfg_metrics *m, char *buf, size_t len)
{
	return evf_ip_fmt(&m->addr, buf, len);
}

static void
test_absent_and_defaults(void)
{
	char err[EVF_CFG_ERR_LEN], ip[EVF_IP_STRLEN];
	struct evf_cfg *cfg = load(HEAD, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_FALSE(cfg->metrics.enabled);
	evf_cfg_free(cfg);

	cfg = load(HEAD "metrics:\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_TRUE(cfg->metrics.enabled);
	CU_ASSERT_STRING_EQUAL(addr_text(&cfg->metrics, ip, sizeof(ip)), "127.0.0.1");
	CU_ASSERT_EQUAL(cfg->metrics.port, 9469);
	CU_ASSERT_EQUAL(cfg->metrics.max_connections, 32);
	CU_ASSERT_EQUAL(cfg->metrics.request_timeout, 5);
	evf_cfg_free(cfg);
}

static void
test_every_key(void)
{
	static const struct {
		const char *yaml, *addr;
		int family;
		uint16_t port;
		uint32_t maxc, timeout;
	} ok[] = {
		{ "metrics: {listen: 127.0.0.2:1, max-connections: 1, request-timeout: 1}",
		  "127.0.0.2", AF_INET, 1, 1, 1 },
		{ "metrics:\n  listen: \"[::1]:65535\"\n  max-connections: 1024\n"
		  "  request-timeout: 300\n", "::1", AF_INET6, 65535, 1024, 300 },
		{ "metrics: {listen: 0.0.0.0:9100}", "0.0.0.0", AF_INET, 9100, 32, 5 },
		{ "metrics: {listen: \"[2001:2::7]:8080\"}", "2001:2::7", AF_INET6, 8080, 32, 5 },
		{ "metrics: {max-connections: 7}", "127.0.0.1", AF_INET, 9469, 7, 5 },
	};
	char yaml[512], err[EVF_CFG_ERR_LEN], ip[EVF_IP_STRLEN];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct evf_cfg *cfg;

		snprintf(yaml, sizeof(yaml), HEAD "%s\n", ok[i].yaml);
		cfg = load(yaml, err, sizeof(err));
		if (cfg == NULL)
			fprintf(stderr, "\n%s: %s\n", ok[i].yaml, err);
		CU_ASSERT_PTR_NOT_NULL(cfg);
		if (cfg == NULL)
			continue;
		CU_ASSERT_TRUE(cfg->metrics.enabled);
		CU_ASSERT_EQUAL(cfg->metrics.addr.family, ok[i].family);
		CU_ASSERT_STRING_EQUAL(addr_text(&cfg->metrics, ip, sizeof(ip)), ok[i].addr);
		CU_ASSERT_EQUAL(cfg->metrics.port, ok[i].port);
		CU_ASSERT_EQUAL(cfg->metrics.max_connections, ok[i].maxc);
		CU_ASSERT_EQUAL(cfg->metrics.request_timeout, ok[i].timeout);
		evf_cfg_free(cfg);
	}
}

static void
test_bad(void)
{
	static const struct {
		const char *yaml, *want;
	} bad[] = {
		{ "metrics: {listen: 127.0.0.1}",
		  "t.yaml:3:19: metrics.listen: '127.0.0.1': not ADDRESS:PORT" },
		{ "metrics: {listen: 127.0.0.1:0}",
		  "t.yaml:3:19: metrics.listen: '127.0.0.1:0': the port is not 1..65535" },
		{ "metrics: {listen: 127.0.0.1:65536}",
		  "t.yaml:3:19: metrics.listen: '127.0.0.1:65536': the port is not 1..65535" },
		{ "metrics: {listen: \"127.0.0.1: 80\"}",
		  "t.yaml:3:19: metrics.listen: '127.0.0.1: 80': the port is not 1..65535" },
		{ "metrics: {listen: localhost:9469}",
		  "t.yaml:3:19: metrics.listen: 'localhost:9469': not an IPv4 address before the port" },
		{ "metrics: {listen: \"::1:9469\"}",
		  "t.yaml:3:19: metrics.listen: '::1:9469': an IPv6 address is written"
		  " [ADDRESS]:PORT" },
		{ "metrics: {listen: \"[::1]\"}",
		  "t.yaml:3:19: metrics.listen: '[::1]': an IPv6 address is written [ADDRESS]:PORT" },
		{ "metrics: {listen: \"[]:80\"}",
		  "t.yaml:3:19: metrics.listen: '[]:80': no IPv6 address between [ and ]" },
		{ "metrics: {listen: \"[1.2.3.4]:80\"}",
		  "t.yaml:3:19: metrics.listen: '[1.2.3.4]:80': not an IPv6 address between [ and ]" },
		{ "metrics: {listen: 224.0.0.1:80}",
		  "t.yaml:3:19: metrics.listen: '224.0.0.1:80': a multicast or broadcast address"
		  " cannot be listened on" },
		{ "metrics: {listen: \"[ff02::1]:80\"}",
		  "t.yaml:3:19: metrics.listen: '[ff02::1]:80': a multicast address cannot be"
		  " listened on" },
		{ "metrics: {listen: [1]}",
		  "t.yaml:3:19: metrics.listen: expected a string, got a sequence" },
		{ "metrics: {max-connections: 0}",
		  "t.yaml:3:28: metrics.max-connections: 0 is out of range 1..1024" },
		{ "metrics: {request-timeout: 301}",
		  "t.yaml:3:28: metrics.request-timeout: 301 is out of range 1..300" },
		{ "metrics: {port: 80}", "t.yaml:3:11: metrics: unknown key 'port'" },
		{ "metrics: [listen]", "t.yaml:3:10: metrics: expected a mapping, got a sequence" },
	};
	char yaml[512], err[EVF_CFG_ERR_LEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct evf_cfg *cfg;

		snprintf(yaml, sizeof(yaml), HEAD "%s\n", bad[i].yaml);
		err[0] = '\0';
		cfg = load(yaml, err, sizeof(err));
		CU_ASSERT_PTR_NULL(cfg);
		if (cfg != NULL || strcmp(err, bad[i].want) != 0)
			fprintf(stderr, "\n%s\n  got:  %s\n  want: %s\n", bad[i].yaml,
				cfg ? "(loaded)" : err, bad[i].want);
		CU_ASSERT_STRING_EQUAL(err, bad[i].want);
		evf_cfg_free(cfg);
	}
}

int
main(void)
{
	unsigned int failures;
	CU_pSuite suite;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite("cfg-metrics", NULL, NULL);
	if (suite == NULL ||
	    CU_add_test(suite, "absent and defaults", test_absent_and_defaults) == NULL ||
	    CU_add_test(suite, "every key", test_every_key) == NULL ||
	    CU_add_test(suite, "bad values", test_bad) == NULL) {
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures != 0;
}
