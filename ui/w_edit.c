/*
 * The one-line editor's model (w_field.h): keys in, text and cursor
 * out, UTF-8 aware.  No curses call (its key codes only) and no app,
 * so the fuzzer drives it with a byte stream (tests/fuzz/field-fuzz.c);
 * w_field.c draws it.
 */
#include <curses.h>		/* key codes only */
#include <stdio.h>
#include <string.h>

#include "w_field.h"

#define CTRL(c)	((c) & 0x1f)

void
editor_open(struct editor *ed, const char *title, const char *initial,
    int secret)
{
	memset(ed, 0, sizeof(*ed));
	snprintf(ed->title, sizeof(ed->title), "%s", title);
	snprintf(ed->buf, sizeof(ed->buf), "%s", initial ? initial : "");
	ed->len = ed->cur = strlen(ed->buf);
	ed->secret = secret;
}

/* Start of the UTF-8 character before byte i. */
static size_t
prev_char(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[--i] & 0xc0) == 0x80)
		;
	return i;
}

size_t
editor_next_char(const char *s, size_t len, size_t i)
{
	while (i < len && ((unsigned char)s[++i] & 0xc0) == 0x80)
		;
	return i;
}

static void
editor_delete(struct editor *ed, size_t from, size_t to)
{
	memmove(ed->buf + from, ed->buf + to, ed->len - to + 1);
	ed->len -= to - from;
	ed->cur = from;
}

static void
editor_insert(struct editor *ed, int ch)
{
	if (ed->len + 1 >= sizeof(ed->buf))
		return;
	memmove(ed->buf + ed->cur + 1, ed->buf + ed->cur,
	    ed->len - ed->cur + 1);
	ed->buf[ed->cur++] = (char)ch;
	ed->len++;
}

enum ed_result
editor_key(struct editor *ed, int ch)
{
	switch (ch) {
	case '\n': case '\r': case KEY_ENTER:
		return ED_COMMIT;
	case 27:
		return ED_ABORT;
	case KEY_BACKSPACE: case 127: case CTRL('h'):
		if (ed->cur > 0)
			editor_delete(ed, prev_char(ed->buf, ed->cur),
			    ed->cur);
		break;
	case KEY_DC: case CTRL('d'):
		if (ed->cur < ed->len)
			editor_delete(ed, ed->cur,
			    editor_next_char(ed->buf, ed->len, ed->cur));
		break;
	case KEY_LEFT: case CTRL('b'):
		ed->cur = prev_char(ed->buf, ed->cur);
		break;
	case KEY_RIGHT: case CTRL('f'):
		ed->cur = editor_next_char(ed->buf, ed->len, ed->cur);
		break;
	case KEY_HOME: case CTRL('a'): ed->cur = 0; break;
	case KEY_END: case CTRL('e'): ed->cur = ed->len; break;
	case CTRL('u'): editor_delete(ed, 0, ed->cur); break;
	case CTRL('k'): ed->buf[ed->cur] = '\0'; ed->len = ed->cur; break;
	default:
		/* Bytes of a UTF-8 sequence arrive one getch() at a time. */
		if ((ch >= 0x20 && ch < 0x7f) || (ch >= 0x80 && ch <= 0xff))
			editor_insert(ed, ch);
		break;
	}
	return ED_GOING;
}
