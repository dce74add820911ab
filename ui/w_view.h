/*
 * The scrolling viewer over the body (help, transcript): keys, search
 * and drawing of a textbuf (textbuf.h).
 */
#ifndef SW_UI_W_VIEW_H
#define SW_UI_W_VIEW_H

#include <stddef.h>

#include "keys.h"
#include "textbuf.h"

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
 * Sets the viewer's query and moves to its first match after the top
 * (VIEW_MOVED), or leaves the view and returns VIEW_KEPT: not found.
 */
int		 viewer_search(struct viewer *, const char *query, int dir,
		    int page);

/* Rows of text the viewer shows on the current screen. */
int		 viewer_rows(void);

/* Draws the viewer over the body. */
void		 viewer_draw(const struct viewer *);

#endif
