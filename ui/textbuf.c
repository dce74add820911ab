/*
 * Text buffers (textbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

void
tb_init(struct textbuf *tb, size_t max)
{
	memset(tb, 0, sizeof(*tb));
	tb->max = max;
}

void
tb_clear(struct textbuf *tb)
{
	size_t i;

	for (i = 0; i < tb->n; i++)
		free(tb->ring[(tb->first + i) % tb->cap]);
	tb->first = tb->n = tb->dropped = 0;
}

void
tb_free(struct textbuf *tb)
{
	tb_clear(tb);
	free(tb->ring);
	tb->ring = NULL;
	tb->cap = 0;
}

/* Grows the ring (only while it is not yet max long). */
static int
tb_grow(struct textbuf *tb)
{
	size_t ncap = tb->cap ? tb->cap * 2 : 64, i;
	char **nr;

	if (ncap > tb->max)
		ncap = tb->max;
	if ((nr = calloc(ncap, sizeof(*nr))) == NULL)
		return -1;
	for (i = 0; i < tb->n; i++)
		nr[i] = tb->ring[(tb->first + i) % tb->cap];
	free(tb->ring);
	tb->ring = nr;
	tb->cap = ncap;
	tb->first = 0;
	return 0;
}

int
tb_add(struct textbuf *tb, const char *line)
{
	char *copy;

	if (tb->max == 0 || (copy = strdup(line)) == NULL)
		return -1;
	if (tb->n == tb->cap && tb->cap < tb->max && tb_grow(tb) < 0) {
		free(copy);
		return -1;
	}
	if (tb->n == tb->max) {
		free(tb->ring[tb->first]);
		tb->ring[tb->first] = copy;
		tb->first = (tb->first + 1) % tb->cap;
		tb->dropped++;
		return 0;
	}
	tb->ring[(tb->first + tb->n) % tb->cap] = copy;
	tb->n++;
	return 0;
}

int
tb_addf(struct textbuf *tb, const char *fmt, ...)
{
	char line[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return tb_add(tb, line);
}

int
tb_add_text(struct textbuf *tb, const char *text)
{
	char line[1200];
	const char *nl;
	size_t n;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		n = nl ? (size_t)(nl - text) : strlen(text);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, text, n);
		line[n] = '\0';
		if (tb_add(tb, line) < 0)
			return -1;
		if (nl == NULL)
			break;
		text = nl + 1;
	}
	return 0;
}

size_t
tb_count(const struct textbuf *tb)
{
	return tb->n;
}

const char *
tb_line(const struct textbuf *tb, size_t i)
{
	return i < tb->n ? tb->ring[(tb->first + i) % tb->cap] : "";
}

size_t
tb_find(const struct textbuf *tb, const char *query, size_t from, int dir)
{
	size_t n = tb_count(tb), i, k;

	if (n == 0 || query[0] == '\0')
		return 0;
	for (k = 0; k < n; k++) {
		i = dir > 0 ? (from + k) % n : (from + n - k % n) % n;
		if (strcasestr(tb_line(tb, i), query) != NULL)
			return i + 1;
	}
	return 0;
}
