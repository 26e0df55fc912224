/* json_out.c: JSON building helpers on jansson (json_out.h); any thread that
 * builds show output (main, or control inside evf_ctl_call). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "names.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

json_t *
evf_json_str(const char *s)
{
	size_t len, off = 0;
	char *clean;
	json_t *j;

	if (s == NULL)
		return json_null();
	j = json_string(s);
	if (j != NULL)
		return j;
	/* not UTF-8 (or out of memory): replace what is not */
	len = strlen(s);
	clean = malloc(len * 3 + 1);
	if (clean == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len((const unsigned char *)s + i, len - i);

		if (n == 0) {
			memcpy(clean + off, "\xef\xbf\xbd", 3);
			off += 3;
			i++;
		} else {
			memcpy(clean + off, s + i, n);
			off += n;
			i += n;
		}
	}
	clean[off] = '\0';
	j = json_string(clean);
	free(clean);
	return j;
}

json_t *
evf_json_uint(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

json_t *
evf_json_ip(const struct evf_ip *ip)
{
	char buf[EVF_IP_STRLEN];

	if (ip == NULL || ip->family == 0)
		return json_null();
	return json_string(evf_ip_fmt(ip, buf, sizeof(buf)));
}

json_t *
evf_json_mac(const struct rte_ether_addr *mac)
{
	char buf[EVF_MAC_STRLEN];

	return json_string(evf_mac_fmt(mac, buf, sizeof(buf)));
}

json_t *
evf_json_esi(const struct evf_esi *esi)
{
	char buf[EVF_ESI_STRLEN];

	return json_string(evf_esi_fmt(esi, buf, sizeof(buf)));
}

void
evf_json_set(json_t *obj, const char *key, json_t *val)
{
	if (obj == NULL || val == NULL) {
		json_decref(val);
		return;
	}
	json_object_set_new(obj, key, val);
}

void
evf_json_push(json_t *arr, json_t *val)
{
	if (arr == NULL || val == NULL) {
		json_decref(val);
		return;
	}
	json_array_append_new(arr, val);
}

json_t *
evf_json_counters(const struct evf_counter_set *set)
{
	json_t *o = json_object();

	for (unsigned int i = 0; i < set->n; i++) {
		char key[64];

		evf_json_set(o, evf_snake_name(set->desc[i].name, key, sizeof(key)),
			     evf_json_uint(evf_counter_value(set, i)));
	}
	return o;
}

int
evf_json_print(FILE *out, json_t *root)
{
	int rc;

	if (root == NULL)
		return -ENOMEM;
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc < 0)
		return -ENOMEM;
	fputc('\n', out);
	return 0;
}
