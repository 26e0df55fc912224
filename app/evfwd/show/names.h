/* names.h: machine names of shown names, for JSON keys and metric names
 * (any thread; pure). */
#ifndef EVF_NAMES_H
#define EVF_NAMES_H

#include <stddef.h>

/** A shown name in lower-case snake case: letters and digits kept (lower
 *  case), every other run of characters one '_', none at either end:
 *  "refused at MAC limit" -> "refused_at_mac_limit". Returns buf. */
const char *evf_snake_name(const char *shown, char *buf, size_t len);

#endif /* EVF_NAMES_H */
