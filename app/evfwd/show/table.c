/* table.c: aligned text tables (column widths computed from the content). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct evf_table {
	unsigned int ncols, nrows, cap;
	char *headers[EVF_TABLE_MAX_COLS];
	char **cells; /* nrows * ncols */
};

struct evf_table *
evf_table_new(const char *const *headers)
{
	struct evf_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	while (headers[t->ncols] != NULL && t->ncols < EVF_TABLE_MAX_COLS) {
		t->headers[t->ncols] = strdup(headers[t->ncols]);
		t->ncols++;
	}
	return t;
}

void
evf_table_row(struct evf_table *t, const char *const *cells)
{
	if (t == NULL)
		return;
	if (t->nrows == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, sizeof(char *) * cap * t->ncols);
		if (c == NULL)
			return;
		t->cells = c;
		t->cap = cap;
	}
	for (unsigned int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = strdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void
evf_table_rowf(struct evf_table *t, const char *fmt, ...)
{
	char *line = NULL, *save = NULL, *tok;
	const char *cells[EVF_TABLE_MAX_COLS] = { 0 };
	unsigned int n = 0;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (line == NULL)
		return;
	for (tok = strtok_r(line, "\t", &save); tok && n < EVF_TABLE_MAX_COLS;
	     tok = strtok_r(NULL, "\t", &save))
		cells[n++] = tok;
	evf_table_row(t, cells);
	free(line);
}

void
evf_table_print(struct evf_table *t, FILE *out)
{
	size_t w[EVF_TABLE_MAX_COLS];
	size_t total = 0;

	if (t == NULL)
		return;
	for (unsigned int c = 0; c < t->ncols; c++) {
		w[c] = strlen(t->headers[c]);
		for (unsigned int r = 0; r < t->nrows; r++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);
			if (l > w[c])
				w[c] = l;
		}
		total += w[c] + 2;
	}
	for (unsigned int c = 0; c < t->ncols; c++)
		fprintf(out, "%-*s%s", (int)w[c], t->headers[c], c + 1 < t->ncols ? "  " : "\n");
	for (size_t i = 0; i + 2 < total; i++)
		fputc('-', out);
	fputc('\n', out);
	for (unsigned int r = 0; r < t->nrows; r++)
		for (unsigned int c = 0; c < t->ncols; c++)
			fprintf(out, "%-*s%s", (int)w[c], t->cells[r * t->ncols + c],
				c + 1 < t->ncols ? "  " : "\n");
}

unsigned int
evf_table_rows(const struct evf_table *t)
{
	return t ? t->nrows : 0;
}

void
evf_table_free(struct evf_table *t)
{
	if (t == NULL)
		return;
	for (unsigned int c = 0; c < t->ncols; c++)
		free(t->headers[c]);
	for (unsigned int i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
