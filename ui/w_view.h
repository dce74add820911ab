/*
 * Text buffers and the scrolling viewer (help, transcript).  A textbuf
 * is a ring of owned lines: when it holds max lines the oldest go, so
 * a server that sends 100 000 lines cannot eat the memory.
 */
#ifndef SW_UI_W_VIEW_H
#define SW_UI_W_VIEW_H

#include <stddef.h>

#include "keys.h"

struct textbuf {
	char	**ring;
	size_t	  cap;		/* allocated slots */
	size_t	  max;		/* keep at most this many lines */
	size_t	  first;	/* index of line 0 in ring */
	size_t	  n;		/* lines held */
	size_t	  dropped;	/* lines pushed out so far */
};

void		 tb_init(struct textbuf *, size_t max);
void		 tb_clear(struct textbuf *);	/* empty, keeps max */
void		 tb_free(struct textbuf *);

/* Appends a copy of line (one line; '\n' is not special).  0 or -1. */
int		 tb_add(struct textbuf *, const char *line);
int		 tb_addf(struct textbuf *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Appends text split at '\n' (a final newline adds no empty line). */
int		 tb_add_text(struct textbuf *, const char *text);

size_t		 tb_count(const struct textbuf *);
const char	*tb_line(const struct textbuf *, size_t i);

struct viewer {
	const struct textbuf	*tb;
	char			 title[96];
	size_t			 top;
	int			 left;		/* columns scrolled right */
	int			 follow;	/* stick to the end */
	char			 query[96];	/* / searches for it */
	size_t			 hit;		/* line of the last match + 1 */
};

/* What a key did to a viewer. */
#define VIEW_KEPT	0	/* not a viewer key */
#define VIEW_MOVED	1
#define VIEW_CLOSE	2
#define VIEW_PASS	3	/* close, and the key acts as usual */
#define VIEW_SEARCH	4	/* /: the caller asks what to find */
#define VIEW_NOMATCH	5	/* n or N found nothing (or no query) */

/*
 * Scrolls for a; page is the number of text rows shown.  Left and
 * Right scroll sideways, Home and End go to the ends, n and N find the
 * next and the previous match of the query (/ asks for it: the caller
 * opens an editor, then viewer_search()); Tab, Shift-Tab, the digits,
 * ? and t are passed on (VIEW_PASS), so moving between screens works
 * with a viewer open.
 */
int		 viewer_key(struct viewer *, enum action a, int ch, int page);

/*
 * Finds query (case-insensitive) from line `from` on, forward (dir > 0)
 * or backward, wrapping round; the line's index + 1, or 0: not found.
 */
size_t		 tb_find(const struct textbuf *, const char *query,
		    size_t from, int dir);

/*
 * Sets the viewer's query and moves to its first match after the top
 * (VIEW_MOVED), or leaves the view and returns VIEW_KEPT: not found.
 */
int		 viewer_search(struct viewer *, const char *query, int dir,
		    int page);

/* Rows of text the viewer shows on the current screen. */
int		 viewer_rows(void);

/* Draws the viewer over the body. */
void		 viewer_draw(const struct viewer *);

/* Draws lines of tb from top in rows y0..y1 (a plain pane). */
void		 pane_draw(const struct textbuf *, size_t top, int y0, int y1,
		    int left);

/*
 * The same, long lines wrapped with a hanging indent instead of cut
 * (step data: fingerprints, issuer names).  Scrolling stays by lines.
 */
void		 pane_draw_wrapped(const struct textbuf *, size_t top, int y0,
		    int y1);

/* The lowest top from which the rest of tb fills at most rows rows. */
size_t		 pane_last_top(const struct textbuf *, int rows);

/*
 * The top one page of rows (wrapped) further down (dir > 0) or up from
 * top: a line that wraps is never skipped by Page Down.
 */
size_t		 pane_page(const struct textbuf *, size_t top, int rows,
		    int dir);

#endif
