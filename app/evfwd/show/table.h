/* table.h: aligned text tables for shell output (main or control thread). */
#ifndef EVF_TABLE_H
#define EVF_TABLE_H

#include <stdio.h>

#define EVF_TABLE_MAX_COLS 16

struct evf_table;

/** Columns named by a NULL-terminated list of headers. */
struct evf_table *evf_table_new(const char *const *headers);
/** Append a row of exactly as many strings as there are columns. */
void evf_table_row(struct evf_table *t, const char *const *cells);
/** Append a row from a printf format whose cells are separated by tabs. */
void evf_table_rowf(struct evf_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void evf_table_print(struct evf_table *t, FILE *out);
unsigned int evf_table_rows(const struct evf_table *t);
void evf_table_free(struct evf_table *t);

#endif /* EVF_TABLE_H */
