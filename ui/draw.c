/*
 * Text on the screen: widths, clipping, wrapping, rules.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "probe.h"

/*
 * Characters that reorder or hide text (bidi overrides, zero-width
 * marks, BOM): a server name must look like what it is.  src/sanitize.c
 * escapes them already; this is the second line of defence.
 */
static int
invisible(wchar_t c)
{
	return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/*
 * One character of s: its length in bytes and its width.  Invalid
 * UTF-8, control characters and (without UTF-8) every non-ASCII byte
 * count as one byte shown as '?'.
 */
static size_t
char_at(const char *s, size_t len, int *width, int *bad)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	*bad = 0;
	*width = 1;
	if ((unsigned char)s[0] < 0x20 || s[0] == 0x7f) {
		*bad = 1;
		return 1;
	}
	if ((unsigned char)s[0] < 0x80)
		return 1;
	if (!theme_utf8()) {
		*bad = 1;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0 ||
	    (w = wcwidth(wc)) < 0 || invisible(wc)) {
		*bad = 1;
		return 1;
	}
	*width = w;
	return n;
}

int
draw_text_width(const char *s, size_t len)
{
	size_t i = 0, n;
	int w, bad, total = 0;

	while (i < len) {
		n = char_at(s + i, len - i, &w, &bad);
		total += w;
		i += n;
	}
	return total;
}

int
draw_text(int y, int x, int w, const char *s, unsigned attr)
{
	size_t len = strlen(s), i = 0, n;
	int cw, bad, used = 0, ell;

	if (w <= 0 || y < 0 || y >= LINES)
		return 0;
	ell = draw_text_width(theme_glyph(GL_ELLIPSIS),
	    strlen(theme_glyph(GL_ELLIPSIS)));
	attron((int)attr);
	move(y, x);
	while (i < len) {
		n = char_at(s + i, len - i, &cw, &bad);
		/* Keep room for the ellipsis unless the rest fits. */
		if (used + cw > w || (used + cw > w - ell &&
		    draw_text_width(s + i, len - i) > w - used)) {
			addstr(theme_glyph(GL_ELLIPSIS));
			used += ell;
			break;
		}
		if (bad)
			addch('?');
		else
			addnstr(s + i, (int)n);
		used += cw;
		i += n;
	}
	attroff((int)attr);
	return used;
}

void
draw_line(int y, int x, int w, const char *s, unsigned attr)
{
	int used = draw_text(y, x, w, s, attr);

	attron((int)attr);
	for (; used < w; used++)
		mvaddch(y, x + used, ' ');
	attroff((int)attr);
}

size_t
draw_wrap_next(const char *s, int w, size_t *adv)
{
	size_t i = 0, n, brk = 0, len = strlen(s);
	int cw, bad, used = 0;

	while (i < len && s[i] != '\n') {
		n = char_at(s + i, len - i, &cw, &bad);
		if (used + cw > w && i > 0)
			break;
		if (s[i] == ' ')
			brk = i;
		used += cw;
		i += n;
	}
	if (i < len && s[i] != '\n' && brk > 0)
		i = brk;	/* break at the last blank, not mid-word */
	n = i;
	while (s[i] == ' ')
		i++;
	if (s[i] == '\n')
		i++;
	*adv = i;
	return n;
}

int
draw_wrap_count(const char *s, int w)
{
	size_t adv;
	int rows = 0;

	do {
		draw_wrap_next(s, w, &adv);
		s += adv;
		rows++;
	} while (*s != '\0' && adv > 0);
	return rows;
}

int
draw_wrapped(int y, int x, int w, int maxrows, const char *s, int indent,
    unsigned attr)
{
	char line[1024];
	size_t n, adv;
	int rows = 0, in = 0;

	while (rows < maxrows) {
		n = draw_wrap_next(s, w - in, &adv);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		draw_text(y + rows, x + in, w - in, line, attr);
		rows++;
		s += adv;
		if (*s == '\0' || adv == 0)
			break;
		in = indent;
	}
	return rows;
}

void
draw_rule(int y, const char *label)
{
	unsigned attr = theme_attr(ROLE_DIM);
	int x;

	attron((int)attr);
	mvaddstr(y, 0, theme_glyph(GL_HLINE));
	attroff((int)attr);
	x = 1;
	if (label != NULL && *label != '\0') {
		x += draw_text(y, x, COLS - x, " ", 0);
		x += draw_text(y, x, COLS - x - 2, label,
		    theme_attr(ROLE_HEAD));
		x += draw_text(y, x, COLS - x, " ", 0);
	}
	attron((int)attr);
	for (; x < COLS; x++)
		mvaddstr(y, x, theme_glyph(GL_HLINE));
	attroff((int)attr);
}

void
draw_box(int y, int x, int h, int w, unsigned attr)
{
	int i, j;

	attron((int)attr);
	for (i = 0; i < h; i++) {
		const char *l = i == 0 ? theme_glyph(GL_ULCORNER) :
		    i == h - 1 ? theme_glyph(GL_LLCORNER) : theme_glyph(GL_VLINE);
		const char *r = i == 0 ? theme_glyph(GL_URCORNER) :
		    i == h - 1 ? theme_glyph(GL_LRCORNER) : theme_glyph(GL_VLINE);
		const char *fill = i == 0 || i == h - 1 ?
		    theme_glyph(GL_HLINE) : " ";

		mvaddstr(y + i, x, l);
		for (j = 1; j < w - 1; j++)
			addstr(i == 0 || i == h - 1 ? fill : " ");
		addstr(r);
	}
	attroff((int)attr);
}

enum theme_role
draw_role_of_severity(int sev)
{
	return sev == SEV_FAIL ? ROLE_FAIL : sev == SEV_WARN ? ROLE_WARN :
	    ROLE_INFO;
}

enum theme_role
draw_role_of_verdict(int v)
{
	switch (v) {
	case VERDICT_FAIL:	return ROLE_FAIL;
	case VERDICT_WARN:	return ROLE_WARN;
	case VERDICT_PASS:	return ROLE_PASS;
	default:		return ROLE_DIM;
	}
}
