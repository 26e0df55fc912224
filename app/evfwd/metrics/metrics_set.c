/* metrics_set.c: metric families in memory and their exposition in
 * Prometheus text 0.0.4 or OpenMetrics 1.0.0 (metrics_set.h). Whichever
 * thread builds a set owns it; no shared state. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_set.h"

struct msample {
	char *labels;              /**< k="v",k="v" escaped, or NULL */
	bool real;
	uint64_t u;
	double d;
};

struct mfamily {
	char *name, *help;
	enum evf_mtype type;
	uint32_t n, cap;
	struct msample *s;
};

struct evf_mset {
	uint32_t n, cap;
	struct mfamily *f;
	int cur;                   /**< current family, -1 none */
};

struct evf_mset *
evf_mset_new(void)
{
	struct evf_mset *s = calloc(1, sizeof(*s));

	if (s != NULL)
		s->cur = -1;
	return s;
}

void
evf_mset_free(struct evf_mset *s)
{
	if (s == NULL)
		return;
	for (uint32_t i = 0; i < s->n; i++) {
		for (uint32_t k = 0; k < s->f[i].n; k++)
			free(s->f[i].s[k].labels);
		free(s->f[i].s);
		free(s->f[i].name);
		free(s->f[i].help);
	}
	free(s->f);
	free(s);
}

static bool
valid_name(const char *n)
{
	if (n[0] == '\0' || (n[0] >= '0' && n[0] <= '9'))
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

int
evf_mset_family(struct evf_mset *s, const char *name, enum evf_mtype type, const char *help)
{
	struct mfamily *f;

	if (s == NULL)
		return -ENOMEM;
	if (!valid_name(name))
		return -EINVAL;
	for (uint32_t i = 0; i < s->n; i++)
		if (strcmp(s->f[i].name, name) == 0) {
			if (s->f[i].type != type)
				return -EINVAL;
			s->cur = (int)i;
			return 0;
		}
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 64;
		struct mfamily *nf = realloc(s->f, cap * sizeof(*nf));

		if (nf == NULL)
			return -ENOMEM;
		s->f = nf;
		s->cap = cap;
	}
	f = &s->f[s->n];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	f->help = strdup(help != NULL ? help : "");
	f->type = type;
	if (f->name == NULL || f->help == NULL) {
		free(f->name);
		free(f->help);
		return -ENOMEM;
	}
	s->cur = (int)s->n++;
	return 0;
}

/* k="v",... from the pairs; label values escaped: \ " and newline. */
static char *
labels_text(va_list ap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *k;
	bool first = true;

	if (f == NULL)
		return NULL;
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);

		fprintf(f, "%s%s=\"", first ? "" : ",", k);
		for (const char *p = v != NULL ? v : ""; *p; p++) {
			if (*p == '\\')
				fputs("\\\\", f);
			else if (*p == '"')
				fputs("\\\"", f);
			else if (*p == '\n')
				fputs("\\n", f);
			else
				fputc(*p, f);
		}
		fputc('"', f);
		first = false;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	if (first) {
		free(buf);
		return strdup("");
	}
	return buf;
}

static int
add(struct evf_mset *s, bool real, uint64_t u, double d, va_list ap)
{
	struct mfamily *f;
	struct msample *x;
	char *labels;

	if (s == NULL || s->cur < 0)
		return -EINVAL;
	f = &s->f[s->cur];
	if (f->n == f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 8;
		struct msample *ns = realloc(f->s, cap * sizeof(*ns));

		if (ns == NULL)
			return -ENOMEM;
		f->s = ns;
		f->cap = cap;
	}
	labels = labels_text(ap);
	if (labels == NULL)
		return -ENOMEM;
	x = &f->s[f->n++];
	x->labels = labels;
	x->real = real;
	x->u = u;
	x->d = d;
	return 0;
}

int
evf_mset_add(struct evf_mset *s, uint64_t value, ...)
{
	va_list ap;
	int rc;

	va_start(ap, value);
	rc = add(s, false, value, 0, ap);
	va_end(ap);
	return rc;
}

int
evf_mset_add_real(struct evf_mset *s, double value, ...)
{
	va_list ap;
	int rc;

	va_start(ap, value);
	rc = add(s, true, 0, value, ap);
	va_end(ap);
	return rc;
}

/* HELP text: \ and newline escaped; OpenMetrics escapes " too. */
static void
write_help(FILE *out, const char *h, bool om)
{
	for (const char *p = h; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '"' && om)
			fputs("\\\"", out);
		else
			fputc(*p, out);
	}
}

static void
write_value(FILE *out, const struct msample *x)
{
	if (!x->real)
		fprintf(out, "%" PRIu64, x->u);
	else if (isnan(x->d))
		fputs("NaN", out);
	else if (isinf(x->d))
		fputs(x->d > 0 ? "+Inf" : "-Inf", out);
	else
		fprintf(out, "%.17g", x->d);
}

static void
write_family(FILE *out, const struct mfamily *f, bool om)
{
	static const char *const suffix[] = { "_total", "", "_info" };
	static const char *const om_type[] = { "counter", "gauge", "info" };
	static const char *const prom_type[] = { "counter", "gauge", "gauge" };
	/* Prometheus text names the family as its samples; OpenMetrics without
	 * the counter's and info's suffix */
	const char *fam_suffix = om ? "" : suffix[f->type];

	fprintf(out, "# HELP %s%s ", f->name, fam_suffix);
	write_help(out, f->help, om);
	fprintf(out, "\n# TYPE %s%s %s\n", f->name, fam_suffix,
		om ? om_type[f->type] : prom_type[f->type]);
	for (uint32_t i = 0; i < f->n; i++) {
		const struct msample *x = &f->s[i];

		fprintf(out, "%s%s", f->name, suffix[f->type]);
		if (x->labels[0] != '\0')
			fprintf(out, "{%s}", x->labels);
		fputc(' ', out);
		write_value(out, x);
		fputc('\n', out);
	}
}

int
evf_mset_write(FILE *out, const struct evf_mset *const *sets, unsigned int n, bool openmetrics)
{
	for (unsigned int k = 0; k < n; k++) {
		if (sets[k] == NULL)
			continue;
		for (uint32_t i = 0; i < sets[k]->n; i++)
			write_family(out, &sets[k]->f[i], openmetrics);
	}
	if (openmetrics)
		fputs("# EOF\n", out);
	return ferror(out) ? -EIO : 0;
}
