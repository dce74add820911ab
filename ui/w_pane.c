/*
 * Panes (w_pane.h).
 */
#include <curses.h>
#include <string.h>

#include "draw.h"
#include "w_pane.h"

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
		draw_wrap_next(s, width, &adv);
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
