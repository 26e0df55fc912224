/* evf_evpn.h: EVPN vocabulary every room shares (any thread): the DF
 * election algorithms (RFC 8584 registry values) and their names, spelled
 * here once for the config, route text, the ring's event text and the
 * shell. */
#ifndef EVF_EVPN_H
#define EVF_EVPN_H

#include <stdint.h>

/** DF election algorithms (RFC 8584 registry values). */
enum evf_df_alg {
	EVF_DF_MODULO = 0,      /**< RFC 7432 8.5 service carving */
	EVF_DF_HRW = 1,         /**< RFC 8584 section 3 highest random weight */
	EVF_DF_PREFERENCE = 2,  /**< RFC 9785 highest preference */
};

/** Names indexed by enum evf_df_alg, NULL-terminated. */
extern const char *const evf_df_alg_names[];

/** The name of a known algorithm, NULL for another DF type. */
const char *evf_df_alg_name(unsigned int alg);
/** A name ("pref" for preference too) or a DF type number 0..255 (one
 *  octet, RFC 8584 2.2). 0 or -EINVAL. */
int evf_df_alg_parse(const char *s, uint8_t *alg);

#endif /* EVF_EVPN_H */
