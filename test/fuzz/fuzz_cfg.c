/* fuzz_cfg.c: libFuzzer target for the YAML config loader (lib/cfg) and
 * libyaml under it. No EAL, no runtime.
 *
 * The input is a config file: evf_cfg_load_buffer() either refuses it or
 * returns a config. Properties (a violation calls abort(), a crash for
 * libFuzzer; ASan and UBSan watch every read and every operation):
 *   refused    err is one line, "fuzz.yaml:LINE:COL: ..." or "fuzz.yaml: ...",
 *              NUL-terminated inside its buffer, no control character;
 *   accepted   at least one port; every count within its documented bound
 *              (ports and LAG members, attachments, VTEPs, static MACs within
 *              node.fdb-capacity), every attachment naming a port or a LAG
 *              of the config, names NUL-terminated;
 *   both       nothing leaks (LeakSanitizer), and a second load of the same
 *              bytes gives the same answer (no hidden state).
 * Seeds: conf/examples, conf/demo.yaml and the bad configs of
 * make_text_seeds.py (--cfg); dictionary cfg.dict (keys and values). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evf_cfg.h"

#define FAIL(...) do { \
	fprintf(stderr, "fuzz_cfg: property violated: " __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

static void
check_err(const char *err, size_t errlen)
{
	size_t len = strnlen(err, errlen);

	if (len == errlen)
		FAIL("error message not NUL-terminated");
	if (len == 0)
		FAIL("refused without a message");
	if (strncmp(err, "fuzz.yaml:", 10) != 0)
		FAIL("error does not start with the file name: %s", err);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			FAIL("control character 0x%02x in the error message", (unsigned char)err[i]);
}

static bool
is_iface(const struct evf_cfg *cfg, const char *name)
{
	return evf_cfg_port_index(cfg, name) >= 0 || evf_cfg_lag_index(cfg, name) >= 0;
}

static void
check_cfg(const struct evf_cfg *cfg)
{
	uint64_t statics = 0;
	unsigned int attach = 0;

	if (cfg->nb_ports == 0 || cfg->ports == NULL)
		FAIL("accepted without a port");
	for (uint16_t i = 0; i < cfg->nb_ports; i++)
		if (strnlen(cfg->ports[i].name, sizeof(cfg->ports[i].name)) == sizeof(cfg->ports[i].name))
			FAIL("port name not NUL-terminated");
	for (uint16_t i = 0; i < cfg->nb_lags; i++) {
		const struct evf_cfg_lag *l = &cfg->lags[i];

		if (l->nb_members == 0 || l->nb_members > EVF_CFG_LAG_MAX_MEMBERS)
			FAIL("LAG %u has %u members", i, l->nb_members);
		for (uint8_t m = 0; m < l->nb_members; m++)
			if (evf_cfg_port_index(cfg, l->members[m].port) < 0)
				FAIL("LAG member '%s' is no port", l->members[m].port);
	}
	for (uint16_t b = 0; b < cfg->nb_bds; b++) {
		const struct evf_cfg_bd *bd = &cfg->bds[b];

		if (bd->vni == 0 || bd->vni > 0xffffff)
			FAIL("VNI %u accepted", bd->vni);
		attach += bd->nb_attach;
		for (uint16_t a = 0; a < bd->nb_attach; a++)
			if (!is_iface(cfg, bd->attach[a].port))
				FAIL("attachment to '%s', no port or LAG", bd->attach[a].port);
		if (bd->nb_vteps > EVF_MAX_VTEPS)
			FAIL("%u remote VTEPs", bd->nb_vteps);
		statics += (uint64_t)bd->nb_macs + bd->nb_local_macs;
		for (uint32_t m = 0; m < bd->nb_local_macs; m++)
			if (!is_iface(cfg, bd->local_macs[m].attach.port))
				FAIL("static MAC on '%s', no port or LAG", bd->local_macs[m].attach.port);
	}
	if (attach > EVF_MAX_ATTACH)
		FAIL("%u attachments", attach);
	if (statics > cfg->node.fdb_capacity)
		FAIL("%llu static MACs, fdb-capacity %u", (unsigned long long)statics,
		     cfg->node.fdb_capacity);
	for (uint16_t i = 0; i < cfg->nb_es; i++)
		if (!is_iface(cfg, cfg->es[i].iface))
			FAIL("segment on '%s', no port or LAG", cfg->es[i].iface);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[EVF_CFG_ERR_LEN], err2[EVF_CFG_ERR_LEN];
	struct evf_cfg *cfg, *again;

	memset(err, 0x55, sizeof(err));
	cfg = evf_cfg_load_buffer("fuzz.yaml", (const char *)data, size, err, sizeof(err));
	if (cfg == NULL)
		check_err(err, sizeof(err));
	else
		check_cfg(cfg);
	again = evf_cfg_load_buffer("fuzz.yaml", (const char *)data, size, err2, sizeof(err2));
	if ((cfg == NULL) != (again == NULL))
		FAIL("a second load of the same bytes answers differently");
	if (cfg == NULL && strcmp(err, err2) != 0)
		FAIL("a second load gives another error: '%s' / '%s'", err, err2);
	evf_cfg_free(again);
	evf_cfg_free(cfg);
	return 0;
}
