/* evf_evpn.c: names of the DF election algorithms (evf_evpn.h); any thread. */
#include <errno.h>
#include <string.h>

#include "evf_addr.h"
#include "evf_evpn.h"

const char *const evf_df_alg_names[] = {
	[EVF_DF_MODULO] = "modulo",
	[EVF_DF_HRW] = "hrw",
	[EVF_DF_PREFERENCE] = "preference",
	NULL,
};

const char *
evf_df_alg_name(unsigned int alg)
{
	return alg <= EVF_DF_PREFERENCE ? evf_df_alg_names[alg] : NULL;
}

int
evf_df_alg_parse(const char *s, uint8_t *alg)
{
	uint64_t v;

	for (unsigned int i = 0; evf_df_alg_names[i] != NULL; i++)
		if (strcmp(s, evf_df_alg_names[i]) == 0) {
			*alg = (uint8_t)i;
			return 0;
		}
	if (strcmp(s, "pref") == 0) {
		*alg = EVF_DF_PREFERENCE;
		return 0;
	}
	if (evf_u64_parse(s, 0, 255, &v) < 0)
		return -EINVAL;
	*alg = (uint8_t)v;
	return 0;
}
