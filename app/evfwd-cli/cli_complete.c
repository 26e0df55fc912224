/* cli_complete.c: evfwd-cli's command list (one thread; "@commands": one line per
 * command, "SYNTAX<TAB>HELP") and completion from it: which words may come
 * next after what was typed, and which commands match it ("?"). The list
 * comes from the shell's own parser tables, so nothing offered here is a
 * command evfwd would not take. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool
is_free(const char *tok)
{
	return tok[0] == '<';
}

static bool
is_rest(const char *tok)
{
	return strcmp(tok, "<words...>") == 0;
}

/* Does word match token tok: one of its choices ("a|b"), or any word. */
static bool
tok_match(const char *tok, const char *word, size_t wlen)
{
	const char *p = tok;

	if (is_free(tok))
		return true;
	while (*p != '\0') {
		size_t n = strcspn(p, "|");

		if (n == wlen && strncmp(p, word, n) == 0)
			return true;
		p += n;
		if (*p == '|')
			p++;
	}
	return false;
}

int
cli_grammar_add(struct cli_grammar *g, const char *line, size_t len)
{
	const char *tab = memchr(line, '\t', len);
	size_t slen = tab != NULL ? (size_t)(tab - line) : len;
	struct cli_cmd *cmds, *c;
	char *save = NULL;

	if (slen == 0)
		return -1;
	cmds = realloc(g->cmds, (g->n + 1) * sizeof(*cmds));
	if (cmds == NULL)
		return -1;
	g->cmds = cmds;
	c = &cmds[g->n];
	memset(c, 0, sizeof(*c));
	c->syntax = strndup(line, slen);
	c->help = tab != NULL ? strndup(tab + 1, len - slen - 1) : strdup("");
	c->tok = calloc(slen / 2 + 2, sizeof(*c->tok));
	if (c->syntax == NULL || c->help == NULL || c->tok == NULL)
		goto fail;
	{
		char *words = strdup(c->syntax);

		if (words == NULL)
			goto fail;
		for (char *w = strtok_r(words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
			if ((c->tok[c->ntok] = strdup(w)) != NULL)
				c->ntok++;
		free(words);
	}
	g->n++;
	return 0;
fail:
	free(c->syntax);
	free(c->help);
	free(c->tok);
	return -1;
}

void
cli_grammar_free(struct cli_grammar *g)
{
	for (unsigned int i = 0; i < g->n; i++) {
		for (unsigned int t = 0; t < g->cmds[i].ntok; t++)
			free(g->cmds[i].tok[t]);
		free(g->cmds[i].tok);
		free(g->cmds[i].syntax);
		free(g->cmds[i].help);
	}
	free(g->cmds);
	g->cmds = NULL;
	g->n = 0;
}

/* The typed text cut into words: complete ones (followed by a blank) and
 * the one being typed (after the last blank, maybe empty). */
struct typed {
	const char *w[64];
	size_t wl[64];
	unsigned int n;            /**< complete words */
	const char *part;
	size_t plen;
};

static void
split(const char *s, struct typed *t)
{
	const char *p = s;

	t->n = 0;
	for (;;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (p[n] == '\0') { /* the last word: no blank after it */
			t->part = p;
			t->plen = n;
			return;
		}
		if (t->n < 64) {
			t->w[t->n] = p;
			t->wl[t->n] = n;
		}
		t->n++;
		p += n;
	}
}

/* Command c takes the complete words; *rest: a "<words...>" token took them. */
static bool
cmd_takes(const struct cli_cmd *c, const struct typed *t, bool *rest)
{
	*rest = false;
	if (t->n > 64)
		return false;
	for (unsigned int i = 0; i < t->n; i++) {
		if (i < c->ntok && is_rest(c->tok[i])) {
			*rest = true;
			return true;
		}
		if (i >= c->ntok || !tok_match(c->tok[i], t->w[i], t->wl[i]))
			return false;
	}
	return true;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cli_complete(const struct cli_grammar *g, const char *typed, char ***out)
{
	struct typed t;
	char **w = NULL;
	int n = 0, k = 0;

	split(typed, &t);
	for (unsigned int i = 0; i < g->n; i++) {
		const struct cli_cmd *c = &g->cmds[i];
		const char *p;
		bool rest;

		if (!cmd_takes(c, &t, &rest) || rest || t.n >= c->ntok || is_free(c->tok[t.n]))
			continue;
		for (p = c->tok[t.n]; *p != '\0';) {
			size_t len = strcspn(p, "|");

			if (len >= t.plen && strncmp(p, t.part, t.plen) == 0) {
				char **nw = realloc(w, (size_t)(n + 1) * sizeof(*w));

				if (nw == NULL || (nw[n] = strndup(p, len)) == NULL) {
					w = nw != NULL ? nw : w;
					cli_words_free(w, n);
					return -1;
				}
				w = nw;
				n++;
			}
			p += len;
			if (*p == '|')
				p++;
		}
	}
	if (n > 1) {
		qsort(w, (size_t)n, sizeof(*w), cmp_str);
		for (int i = 0; i < n; i++) {
			if (k > 0 && strcmp(w[k - 1], w[i]) == 0) {
				free(w[i]);
				continue;
			}
			w[k++] = w[i];
		}
		n = k;
	}
	*out = w;
	return n;
}

int
cli_matching(const struct cli_grammar *g, const char *typed, unsigned int **out)
{
	struct typed t;
	unsigned int *m = calloc(g->n + 1, sizeof(*m));
	int n = 0;

	if (m == NULL)
		return -1;
	split(typed, &t);
	for (unsigned int i = 0; i < g->n; i++) {
		const struct cli_cmd *c = &g->cmds[i];
		bool rest;

		if (!cmd_takes(c, &t, &rest))
			continue;
		if (!rest && t.plen > 0) { /* the word being typed must fit too */
			if (t.n >= c->ntok)
				continue;
			if (!is_free(c->tok[t.n])) {
				bool ok = false;

				for (const char *p = c->tok[t.n]; *p != '\0' && !ok;) {
					size_t len = strcspn(p, "|");

					ok = len >= t.plen && strncmp(p, t.part, t.plen) == 0;
					p += len;
					if (*p == '|')
						p++;
				}
				if (!ok)
					continue;
			}
		}
		m[n++] = i;
	}
	*out = m;
	return n;
}

void
cli_words_free(char **w, int n)
{
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
}
