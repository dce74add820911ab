/*
 * The full-body scrolling viewer (w_view.h).
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "w_pane.h"
#include "w_view.h"

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
