/*
 * The text of the error decoder's paste area (dlg_explain.c), apart
 * from curses and the app: keys in, the text and what the dialog
 * should do out.  Curses-free, so the fuzzer drives it with a byte
 * stream (tests/fuzz/paste-fuzz.c).
 */
#ifndef SW_UI_PASTE_BUF_H
#define SW_UI_PASTE_BUF_H

#include <stddef.h>

#define PASTE_MAX	(1u << 20)	/* a whole log fits; more is cut */

struct paste_buf {
	char	*text;		/* NUL-terminated; NULL: nothing yet */
	size_t	 len, cap;
	size_t	 lines;		/* newlines in text */
	int	 in_paste;	/* between the bracketed-paste markers */
	int	 last_cr;	/* "\r\n" is one newline */
	int	 cut;		/* text beyond PASTE_MAX was dropped */
};

enum paste_act {
	PASTE_REDRAW,	/* the text or the state changed */
	PASTE_NONE,	/* nothing to do */
	PASTE_DECODE,	/* the paste ended, or Ctrl-D / F10: decode it */
	PASTE_CANCEL	/* Esc outside a paste: close the dialog */
};

/*
 * One key (a curses key code, or KEY_PASTE_BEGIN/END from keys.h).
 * Printable bytes, TAB and UTF-8 bytes are added; Enter, CR and LF
 * (CR LF once) add a newline; Backspace takes a whole character back;
 * Ctrl-U clears.  Allocation failures drop the byte.
 */
enum paste_act	paste_buf_key(struct paste_buf *, int ch);

/*
 * The offsets where the last n lines of the text start, oldest first;
 * returns how many (a 1 MiB paste is drawn as fast as a short one).
 */
int		paste_buf_last_lines(const struct paste_buf *, size_t *start,
		    int n);

/* The line at off, tabs as blanks, into buf (cap > 0 bytes). */
void		paste_buf_line(const struct paste_buf *, size_t off,
		    char *buf, size_t cap);

/* Empties the text, wiped (logs hold secrets); keeps the buffer. */
void		paste_buf_clear(struct paste_buf *);

/* Wipes and frees the buffer. */
void		paste_buf_free(struct paste_buf *);

#endif
