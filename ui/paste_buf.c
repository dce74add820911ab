/*
 * The paste area's text (paste_buf.h): growing, wiped on every copy
 * and clear, cut at PASTE_MAX.
 */
#include <curses.h>		/* key codes only: no curses call here */
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "paste_buf.h"

#define CTRL(c)		((c) & 0x1f)

void
paste_buf_clear(struct paste_buf *x)
{
	if (x->text != NULL)
		explicit_bzero(x->text, x->cap);
	x->len = x->lines = 0;
	x->cut = x->in_paste = x->last_cr = 0;
}

void
paste_buf_free(struct paste_buf *x)
{
	paste_buf_clear(x);
	free(x->text);
	x->text = NULL;
	x->cap = 0;
}

static void
text_add(struct paste_buf *x, char c)
{
	char *n;
	size_t ncap;

	if (x->len + 1 >= PASTE_MAX) {
		x->cut = 1;
		return;
	}
	if (x->len + 1 >= x->cap) {
		ncap = x->cap ? x->cap * 2 : 4096;
		if ((n = malloc(ncap)) == NULL)
			return;
		if (x->text != NULL) {
			memcpy(n, x->text, x->len);
			explicit_bzero(x->text, x->cap);
			free(x->text);
		}
		x->text = n;
		x->cap = ncap;
	}
	x->text[x->len++] = c;
	x->text[x->len] = '\0';
	x->lines += c == '\n';
}

static void
text_backspace(struct paste_buf *x)
{
	/* A whole UTF-8 character: its continuation bytes, then its lead. */
	while (x->len > 0 && ((unsigned char)x->text[x->len - 1] & 0xc0) ==
	    0x80)
		x->len--;
	if (x->len > 0)
		x->lines -= x->text[--x->len] == '\n';
	if (x->text != NULL)
		x->text[x->len] = '\0';
}

enum paste_act
paste_buf_key(struct paste_buf *x, int ch)
{
	int cr = x->last_cr;

	x->last_cr = ch == '\r';
	switch (ch) {
	case KEY_PASTE_BEGIN:
		x->in_paste = 1;
		return PASTE_REDRAW;
	case KEY_PASTE_END: case CTRL('d'): case KEY_F(10):
		x->in_paste = 0;
		return PASTE_DECODE;
	case 27:
		return x->in_paste ? PASTE_NONE : PASTE_CANCEL;
	case '\r': case KEY_ENTER:
		text_add(x, '\n');
		return PASTE_REDRAW;
	case '\n':
		if (!cr)
			text_add(x, '\n');
		return PASTE_REDRAW;
	case KEY_BACKSPACE: case 127: case CTRL('h'):
		text_backspace(x);
		return PASTE_REDRAW;
	case CTRL('u'):
		paste_buf_clear(x);
		return PASTE_REDRAW;
	default:
		if (ch == '\t' || (ch >= 0x20 && ch <= 0xff && ch != 0x7f))
			text_add(x, (char)ch);
		return PASTE_REDRAW;
	}
}

/*
 * The offsets where the last n lines of the text start, oldest first;
 * returns how many.  Scans back from the end: a 1 MiB paste is drawn
 * as fast as a short one.
 */
int
paste_buf_last_lines(const struct paste_buf *x, size_t *start, int n)
{
	size_t i = x->len;
	int got = 0;

	while (got < n) {
		while (i > 0 && x->text[i - 1] != '\n')
			i--;
		start[n - 1 - got++] = i;
		if (i == 0)
			break;
		i--;			/* past the newline, to the line before */
	}
	memmove(start, start + (n - got), (size_t)got * sizeof(*start));
	return got;
}

/* The line at off, tabs as blanks, into buf. */
void
paste_buf_line(const struct paste_buf *x, size_t off, char *buf, size_t cap)
{
	size_t o = 0;

	for (; off < x->len && x->text[off] != '\n' && o + 1 < cap; off++)
		buf[o++] = x->text[off] == '\t' ? ' ' : x->text[off];
	buf[o] = '\0';
}
