/*
 * Text buffers and the full-body scrolling viewer.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "w_view.h"

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

int
viewer_rows(void)
{
	return BODY_BOTTOM() - BODY_TOP;	/* one row is the title */
}

/* The first line shown: the end when following. */
static size_t
viewer_top(const struct viewer *v, int page)
{
	size_t n = tb_count(v->tb);

	if (v->follow)
		return n > (size_t)page ? n - (size_t)page : 0;
	return v->top;
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

int
viewer_search(struct viewer *v, const char *query, int dir, int page)
{
	size_t n = tb_count(v->tb), last = n > (size_t)page ?
	    n - (size_t)page : 0, from, hit;

	if (query != NULL)
		snprintf(v->query, sizeof(v->query), "%s", query);
	/* From the line after the last match, or the top of the page. */
	from = v->hit > 0 ? (dir > 0 ? v->hit : v->hit + n - 2) :
	    viewer_top(v, page);
	if (query != NULL)
		from = viewer_top(v, page);
	if ((hit = tb_find(v->tb, v->query, from % (n ? n : 1), dir)) == 0)
		return VIEW_KEPT;
	v->hit = hit;
	/* The match two lines below the top, so its context shows. */
	v->top = hit - 1 > 2 ? hit - 3 : 0;
	if (v->top > last)
		v->top = last;
	v->follow = 0;
	return VIEW_MOVED;
}

int
viewer_key(struct viewer *v, enum action a, int ch, int page)
{
	size_t n = tb_count(v->tb), last = n > (size_t)page ?
	    n - (size_t)page : 0, top = viewer_top(v, page);

	if ((ch == 'n' || ch == 'N') && v->query[0] != '\0')
		return viewer_search(v, NULL, ch == 'n' ? 1 : -1, page) ==
		    VIEW_KEPT ? VIEW_NOMATCH : VIEW_MOVED;
	if (ch == 'n' || ch == 'N')
		return VIEW_NOMATCH;
	switch (a) {
	case ACT_UP:	top = top > 0 ? top - 1 : 0; break;
	case ACT_DOWN:	top = top < last ? top + 1 : last; break;
	case ACT_PGUP:	top = top > (size_t)page ? top - (size_t)page : 0;
			break;
	case ACT_PGDN:	top = top + (size_t)page < last ?
			    top + (size_t)page : last; break;
	case ACT_HOME:	top = 0; break;
	case ACT_END:	top = last; break;
	case ACT_START:
		if (ch != KEY_HOME)
			return VIEW_PASS;
		top = 0;
		break;
	case ACT_RESULT:
		if (ch != KEY_END)
			return VIEW_PASS;
		top = last;
		break;
	case ACT_SEARCH:
		return VIEW_SEARCH;
	case ACT_BACK:
		if (ch != KEY_LEFT)
			return VIEW_PASS;
		v->left = v->left >= 20 ? v->left - 20 : 0;
		return VIEW_MOVED;
	case ACT_NEXT:
		if (ch != KEY_RIGHT)
			return VIEW_PASS;
		v->left += 20;
		return VIEW_MOVED;
	case ACT_HELP: case ACT_TRANSCRIPT: case ACT_EXPLAIN:
		return VIEW_PASS;
	case ACT_STEP: case ACT_PROBE:
		return VIEW_PASS;
	case ACT_QUIT:		/* q closes the view, F10 quits */
		return ch == KEY_F(10) ? VIEW_PASS : VIEW_CLOSE;
	case ACT_CANCEL: case ACT_ESC: case ACT_ENTER:
		return VIEW_CLOSE;
	default:
		return VIEW_KEPT;
	}
	v->top = top;
	v->follow = top == last;
	return VIEW_MOVED;
}

/* Skips `left` columns of s (horizontal scrolling). */
static const char *
skip_cols(const char *s, int left)
{
	size_t len = strlen(s), i = 0;

	while (i < len && left > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		left--;
	}
	return s + i;
}

void
pane_draw(const struct textbuf *tb, size_t top, int y0, int y1, int left)
{
	int y;

	for (y = y0; y <= y1; y++, top++)
		if (top < tb_count(tb))
			draw_line(y, 1, COLS - 2,
			    skip_cols(tb_line(tb, top), left), A_NORMAL);
}

/* Continuation lines start under the text, not under the margin. */
static int
hanging_indent(const char *s, int w)
{
	int n = 0;

	while (s[n] == ' ')
		n++;
	n += 4;
	return n < w / 2 ? n : w / 2;
}

/* Rows line s takes in w columns, wrapped as pane_draw_wrapped() does. */
static int
line_rows(const char *s, int w)
{
	int in = hanging_indent(s, w), rows = 0, width = w;
	size_t adv;

	do {
		wrap_next(s, width, &adv);
		s += adv;
		rows++;
		width = w - in;
	} while (*s != '\0' && adv > 0);
	return rows;
}

void
pane_draw_wrapped(const struct textbuf *tb, size_t top, int y0, int y1)
{
	const char *s;
	int y = y0, w = COLS - 2;

	for (; y <= y1 && top < tb_count(tb); top++) {
		s = tb_line(tb, top);
		y += draw_wrapped(y, 1, w, y1 - y + 1, s, hanging_indent(s, w),
		    A_NORMAL);
	}
}

size_t
pane_last_top(const struct textbuf *tb, int rows)
{
	size_t top = tb_count(tb);
	int used = 0, r;

	while (top > 0) {
		r = line_rows(tb_line(tb, top - 1), COLS - 2);
		if (used + r > rows)
			break;
		used += r;
		top--;
	}
	return top;
}

size_t
pane_page(const struct textbuf *tb, size_t top, int rows, int dir)
{
	int used = 0, r;

	while (dir > 0 && top + 1 < tb_count(tb)) {
		r = line_rows(tb_line(tb, top), COLS - 2);
		if (used + r > rows && used > 0)
			break;
		used += r;
		top++;
	}
	while (dir < 0 && top > 0) {
		r = line_rows(tb_line(tb, top - 1), COLS - 2);
		if (used + r > rows && used > 0)
			break;
		used += r;
		top--;
	}
	return top;
}

void
viewer_draw(const struct viewer *v)
{
	int page = viewer_rows(), y;
	size_t top = viewer_top(v, page), n = tb_count(v->tb);
	char where[64];

	for (y = BODY_TOP; y <= BODY_BOTTOM(); y++)
		draw_line(y, 0, COLS, "", A_NORMAL);
	draw_rule(BODY_TOP, v->title);
	if (n > 0)
		snprintf(where, sizeof(where), " %zu-%zu of %zu%s ", top + 1,
		    top + (size_t)page < n ? top + (size_t)page : n, n,
		    v->follow ? ", following" : "");
	else
		snprintf(where, sizeof(where), " empty ");
	draw_text(BODY_TOP, COLS - (int)strlen(where) - 2,
	    (int)strlen(where), where, theme_attr(ROLE_DIM));
	pane_draw(v->tb, top, BODY_TOP + 1, BODY_BOTTOM(), v->left);
}
